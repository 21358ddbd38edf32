package search

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unsafe"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"

	"gongkai/indexer"
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
//
// With snip, the body is not copied into Fields: its fragments are cut
// where Bleve decompressed it, into the hit's Fragments. The body was most
// of what a search copied (in the benchmark's two-word searches, 175 of
// the 550 KB each allocated), only to be thrown away once cut.
func (x *Index) loadStored(hits search.DocumentMatchCollection, fields []string, snip *queryTerms) (search.DocumentMatchCollection, error) {
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
		var asIs string // FieldPlain, which is stored before the body
		err = segs[i].VisitDocument(n-starts[i], func(name string, typ byte, value []byte, _ []uint64) bool {
			if !slices.Contains(fields, name) {
				return true
			}
			switch {
			case typ == 't' && name == indexer.FieldPlain:
				asIs = string(value)
				values[name] = asIs
			case typ == 't' && name == indexer.FieldBody && snip != nil:
				// value is Bleve's buffer, valid only during the visit:
				// the fragments are copies. Had the body come first, it
				// is folded, which gives the same fragments.
				body := unsafe.String(unsafe.SliceData(value), len(value))
				if frags := snip.snippets(body, bodyFragments, slices.Contains(strings.Fields(asIs), name)); len(frags) > 0 {
					if h.Fragments == nil {
						h.Fragments = search.FieldFragmentMap{}
					}
					h.Fragments[name] = frags
				}
			case typ == 't':
				values[name] = string(value)
			case typ == 'd':
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
