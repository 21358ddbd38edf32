package search

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
)

// Stored fields are read here rather than by Bleve. For every hit, Bleve
// builds the whole stored document, each field a Field of its own with
// its value copied (the body of a long law too, whatever fields were
// asked for), then copies the asked ones again, dates formatted as text.
// In a profile of the benchmark's two-word searches that was a fifth of
// the server's CPU, and garbage for the collector. Here the document's
// stored values are visited once and only those asked for are kept.

// loadStored sets the Fields of each hit to the named stored fields of its
// document, as Bleve would (text as a string, a date in RFC 3339), read
// from the index as it is now; a hit whose document has left the index
// since it was found is dropped. The hits keep their order.
func (x *Index) loadStored(hits search.DocumentMatchCollection, fields []string) (search.DocumentMatchCollection, error) {
	if len(hits) == 0 {
		return hits, nil
	}
	r, err := x.snapshot()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, unavailable(fmt.Errorf("search: index reader %T is not scorch's", r))
	}
	// Document numbers run on from one segment to the next, deleted
	// documents counted.
	segs := snap.Segments()
	starts := make([]uint64, len(segs))
	var next uint64
	for i, s := range segs {
		starts[i] = next
		next += uint64(s.FullSize())
	}
	out := hits[:0]
	for _, h := range hits {
		iid, err := snap.InternalID(h.ID)
		if err != nil {
			return nil, unavailable(err)
		}
		n, ok := docNumber(iid)
		if !ok || n >= next {
			continue // withdrawn or replaced meanwhile
		}
		i := sort.Search(len(starts), func(i int) bool { return starts[i] > n }) - 1
		values := make(map[string]any, len(fields))
		err = segs[i].VisitDocument(n-starts[i], func(name string, typ byte, value []byte, _ []uint64) bool {
			if !slices.Contains(fields, name) {
				return true
			}
			switch typ {
			case 't':
				values[name] = string(value)
			case 'd':
				if t, _, err := document.NewDateTimeFieldFromBytes(name, nil, value).DateTime(); err == nil {
					values[name] = t.Format(time.RFC3339)
				}
			}
			return true
		})
		if err != nil {
			return nil, unavailable(err)
		}
		h.Fields = values
		out = append(out, h)
	}
	return out, nil
}
