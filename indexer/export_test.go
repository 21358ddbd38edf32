package indexer

// Segments returns the number of segment files the index has on disk, for
// the tests of merging.
func (x *Index) Segments() (uint64, error) {
	s, err := x.scorch()
	if err != nil {
		return 0, err
	}
	return rootSegments(s), nil
}
