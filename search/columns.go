package search

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	index "github.com/blevesearch/bleve_index_api"

	"gongkai/indexer"
)

// Facet counts and the date order come from columns held in memory, one
// set per index snapshot, indexed by internal document number: the facet
// tuple of each document, and its rank in the date order. Counting the
// facets of a search is then one array read per hit, and sorting by date
// a bounded heap of ranks. Bleve's own facets and sort keys decode and copy
// every hit's doc values: at 150k entries that cost several times the
// search itself for a word found in thousands of entries, and 160 ms to
// list the whole catalogue by date.
//
// The columns are built from the snapshot's doc values the first time a
// search needs them (about 100 ms for the full corpus) and kept until the
// index changes. They rely on scorch's internal ids being document numbers
// (8 bytes, big-endian); TestColumnsMatchTheDocuments fails if a Bleve
// release changes that.

// columns are those of one snapshot.
type columns struct {
	reader index.IndexReader // the snapshot; kept only to compare with
	tuple  []uint32          // by document number: tuple index + 1, or 0 for none
	tuples []string
	rank   []uint32 // by document number: place in the date order, from 0; noRank if none
	ids    []string // by rank: the document's id
	docs   []uint32 // by rank: the document number
	live   []int    // by tuple index + 1: how many documents have that tuple
	// valueIDs has, by tuple index, the number of each of its values in
	// names (+ 1, 0 for none): counting facets adds into arrays, and
	// browsing compares numbers.
	valueIDs [][indexer.FacetPositions]uint32
	names    [indexer.FacetPositions][]string
}

const noRank = math.MaxUint32

// columnCache keeps the columns of the latest snapshot searched.
type columnCache struct {
	mu   sync.Mutex
	last *columns
}

// get returns the columns of r's snapshot, building them if needed.
func (c *columnCache) get(r index.IndexReader) (*columns, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.last != nil && c.last.reader == r {
		return c.last, nil
	}
	col, err := buildColumns(r)
	if err != nil {
		return nil, err
	}
	c.last = col
	return col, nil
}

// maxDocNumber bounds the internal document numbers a column holds: far
// beyond any catalogue, so a larger one means the ids are something else.
const maxDocNumber = 1 << 26

func buildColumns(r index.IndexReader) (*columns, error) {
	dv, err := r.DocValueReader([]string{indexer.FieldFacets, indexer.FieldOrder})
	if err != nil {
		return nil, fmt.Errorf("search: columns: %w", err)
	}
	ids, err := r.DocIDReaderAll()
	if err != nil {
		return nil, fmt.Errorf("search: columns: %w", err)
	}
	defer ids.Close()
	col := &columns{reader: r}
	numbers := map[string]uint32{}
	type ordered struct {
		doc       uint64
		dates, id string // dates: 发布日期 and 生成日期, compared as one string
	}
	var order []ordered
	var doc uint64
	var tuple uint32
	visit := func(field string, term []byte) {
		switch field {
		case indexer.FieldFacets:
			n, ok := numbers[string(term)]
			if !ok {
				col.tuples = append(col.tuples, string(term))
				n = uint32(len(col.tuples))
				numbers[string(term)] = n
			}
			tuple = n
		case indexer.FieldOrder:
			dates, id := indexer.SplitOrderKey(string(term))
			order = append(order, ordered{doc, dates, id})
		}
	}
	for {
		id, err := ids.Next()
		if err != nil {
			return nil, fmt.Errorf("search: columns: %w", err)
		}
		if id == nil {
			break
		}
		n, ok := docNumber(id)
		if !ok {
			return nil, fmt.Errorf("search: columns: internal id %x is not a document number", id)
		}
		doc, tuple = n, 0
		if err := dv.VisitDocValues(id, visit); err != nil {
			return nil, fmt.Errorf("search: columns: %w", err)
		}
		if n >= uint64(len(col.tuple)) {
			grown := make([]uint32, max(n+1, uint64(len(col.tuple))*2))
			copy(grown, col.tuple)
			col.tuple = grown
		}
		col.tuple[n] = tuple
	}
	col.live = make([]int, len(col.tuples)+1)
	for _, t := range col.tuple {
		col.live[t]++
	}
	col.valueIDs = make([][indexer.FacetPositions]uint32, len(col.tuples))
	var known [indexer.FacetPositions]map[string]uint32
	for p := range known {
		known[p] = map[string]uint32{}
	}
	for i, t := range col.tuples {
		for p, v := range indexer.SplitFacetTuple(t) {
			if v == "" {
				continue
			}
			id, ok := known[p][v]
			if !ok {
				col.names[p] = append(col.names[p], v)
				id = uint32(len(col.names[p]))
				known[p][v] = id
			}
			col.valueIDs[i][p] = id
		}
	}

	// Newest 发布日期 first, then newest 生成日期, then id.
	sort.Slice(order, func(i, j int) bool {
		if order[i].dates != order[j].dates {
			return order[i].dates > order[j].dates
		}
		return order[i].id < order[j].id
	})
	col.rank = make([]uint32, len(col.tuple))
	for i := range col.rank {
		col.rank[i] = noRank
	}
	col.ids = make([]string, len(order))
	col.docs = make([]uint32, len(order))
	for i, o := range order {
		col.rank[o.doc] = uint32(i)
		col.ids[i] = o.id
		col.docs[i] = uint32(o.doc)
	}
	return col, nil
}

// browse lists, newest first, the documents whose facet values are those
// of want (an empty value matches any): the ids from skip on, at most n,
// the number of them, and when facets is set their facet counts by tuple
// index + 1. It answers the catalogue without words from the columns
// alone, with no search of the index: the facets of the whole catalogue
// are a sum over its tuples, not over its documents. Every document has a
// tuple (indexer writes one for each), so tuple 0 is a number with no
// live document.
func (c *columns) browse(want [indexer.FacetPositions]string, skip, n int, facets bool) (ids []string, total uint64, counts []int) {
	var wantIDs [indexer.FacetPositions]uint32 // 0: any
	for p, w := range want {
		if w == "" {
			continue
		}
		wantIDs[p] = math.MaxUint32 // a value no document has: no tuple matches
		if i := slices.Index(c.names[p], w); i >= 0 {
			wantIDs[p] = uint32(i + 1)
		}
	}
	match := make([]bool, len(c.tuples)+1)
	for i, vals := range c.valueIDs {
		match[i+1] = true
		for p, w := range wantIDs {
			if w != 0 && vals[p] != w {
				match[i+1] = false
				break
			}
		}
	}
	if facets {
		counts = make([]int, len(match))
	}
	for t, ok := range match {
		if ok {
			total += uint64(c.live[t])
			if facets {
				counts[t] = c.live[t]
			}
		}
	}
	for r, d := range c.docs {
		if len(ids) == skip+n {
			break
		}
		if match[c.tuple[d]] {
			ids = append(ids, c.ids[r])
		}
	}
	if skip >= len(ids) {
		return nil, total, counts
	}
	return ids[skip:], total, counts
}

// docNumber reads an internal id as the document number scorch makes it.
func docNumber(id index.IndexInternalID) (uint64, bool) {
	if len(id) != 8 {
		return 0, false
	}
	n := binary.BigEndian.Uint64(id)
	return n, n < maxDocNumber
}

// columnCollector goes through every hit of one search: it counts facet
// tuples, and for a date-ordered search keeps the best-ranked hits itself
// (Bleve then only finds the hits; the page is fetched by id afterwards).
type columnCollector struct {
	cache  *columnCache
	facets bool
	best   *best[uint32] // the best-ranked hits kept; nil leaves ordering to Bleve

	col    *columns
	counts []int  // by tuple index + 1
	total  uint64 // hits seen
}

// byRank keeps the n best-ranked hits: lower ranks are better.
func byRank(n int) *best[uint32] { return newBest(n, func(a, b uint32) bool { return a > b }) }

// withCollecting returns ctx telling Bleve's collector to hand every hit
// to cc, before (or, when cc orders, instead of) its usual top-N handling.
func (cc *columnCollector) withCollecting(ctx context.Context) context.Context {
	var maker search.MakeDocumentMatchHandler = func(sctx *search.SearchContext) (search.DocumentMatchHandler, bool, error) {
		next, loadID, err := collector.MakeTopNDocumentMatchHandler(sctx)
		if err != nil {
			return nil, false, err
		}
		col, err := cc.cache.get(sctx.IndexReader)
		if err != nil {
			return nil, false, err
		}
		cc.col = col
		if cc.facets {
			cc.counts = make([]int, len(col.tuples)+1)
		}
		return func(d *search.DocumentMatch) error {
			if d == nil {
				return next(d)
			}
			n, ok := docNumber(d.IndexInternalID)
			if !ok || n >= uint64(len(col.tuple)) {
				return fmt.Errorf("search: hit with internal id %x outside the columns", d.IndexInternalID)
			}
			cc.total++
			if cc.facets {
				cc.counts[col.tuple[n]]++
			}
			if cc.best == nil {
				return next(d)
			}
			if r := col.rank[n]; r != noRank {
				cc.best.offer(r)
			}
			sctx.DocumentMatchPool.Put(d)
			return nil
		}, loadID, nil
	}
	return context.WithValue(ctx, search.MakeDocumentMatchHandlerKey, maker)
}

// facetValues returns the facets of the hits seen.
func (cc *columnCollector) facetValues() map[string][]FacetValue {
	return cc.col.facets(cc.counts)
}

// page returns the ids of the hits from skip on, best first.
func (cc *columnCollector) page(skip int) []string {
	ranks := cc.best.sorted()
	if skip >= len(ranks) {
		return nil
	}
	ids := make([]string, 0, len(ranks)-skip)
	for _, r := range ranks[skip:] {
		ids = append(ids, cc.col.ids[r])
	}
	return ids
}
