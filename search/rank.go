package search

import (
	"context"
	"encoding/binary"
	"math"
	"reflect"
	"sort"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	"github.com/blevesearch/bleve/v2/size"
	index "github.com/blevesearch/bleve_index_api"
)

// rankQuery finds the documents must finds and adds to their scores those
// of the bonus clauses that match them as well: a Bleve BooleanQuery with
// Must and Should, scored the same (the bonus sum times the share of bonus
// clauses that matched; to the last bit for up to DisjunctionHeapTakeover
// bonus clauses, which Bleve sums in the same order, and up to rounding
// beyond, where it sums in its heap's order), but searched faster. Bleve
// advances a disjunction of the Should clauses to every hit of Must; for a
// common word (管理: 64,000 hits in the text field, 33,000 in titles) that
// merge cost as much as the text field's own list. rankSearcher walks each
// bonus list forward beside the hits instead, stepping to the next entry
// where it is close and skipping only where it is far behind. Over ten
// common words on the full corpus: 3.8 ms a search with the BooleanQuery,
// 2.8 ms with rankQuery, the text field alone 1.9 ms.
//
// It is also right where Bleve's BooleanSearcher is not: moved on by
// Advance (in a conjunction with a filter), that searcher advances its
// Should disjunction even when the disjunction's current match is at or
// past the target, so the match is thrown away and the hit it belongs to
// loses its bonus (bleve v2.5.7 search_boolean.go, Advance; the must-not
// searcher has the guard, the should searcher not).
//
// It asks for no explanations and keeps no term locations of the bonus
// clauses (search never asks Bleve for either).
type rankQuery struct {
	must  query.Query
	bonus []query.Query
}

func (q *rankQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	must, err := q.must.Searcher(ctx, r, m, options)
	if err != nil {
		return nil, err
	}
	s := &rankSearcher{must: must, at: make([]*search.DocumentMatch, len(q.bonus))}
	for _, b := range q.bonus {
		bs, err := b.Searcher(ctx, r, m, options)
		if err != nil {
			_ = s.Close()
			return nil, err
		}
		s.bonus = append(s.bonus, bs)
	}
	// In the order Bleve's disjunction sums them, shortest list first.
	sort.Sort(searcher.OrderedSearcherList(s.bonus))
	// As a BooleanSearcher does: normalised over all its clauses, until a
	// query around it normalises again.
	s.SetQueryNorm(1 / math.Sqrt(s.Weight()))
	return s, nil
}

// rankSearcher is the search.Searcher of a rankQuery.
type rankSearcher struct {
	must    search.Searcher
	bonus   []search.Searcher
	at      []*search.DocumentMatch // each bonus list's current entry; nil once it is done
	started bool
}

func (s *rankSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	d, err := s.must.Next(ctx)
	if err != nil || d == nil {
		return nil, err
	}
	return s.score(ctx, d)
}

func (s *rankSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	d, err := s.must.Advance(ctx, id)
	if err != nil || d == nil {
		return nil, err
	}
	return s.score(ctx, d)
}

// score brings every bonus list up to d and adds the scores of those on
// it, as Bleve's DisjunctionQueryScorer and ConjunctionQueryScorer would:
// d + (b₁ + … + bₖ) × k/n, summed in the clauses' order.
func (s *rankSearcher) score(ctx *search.SearchContext, d *search.DocumentMatch) (*search.DocumentMatch, error) {
	var err error
	if !s.started {
		s.started = true
		for i, b := range s.bonus {
			if s.at[i], err = b.Next(ctx); err != nil {
				return nil, err
			}
		}
	}
	var sum float64
	matched := 0
	for i, b := range s.at {
		if b == nil {
			continue
		}
		c := compareIDs(b.IndexInternalID, d.IndexInternalID)
		if c < 0 {
			// One step when it is close; a skip when that was not enough.
			s.at[i] = nil // not held while it is back in the pool
			ctx.DocumentMatchPool.Put(b)
			b, err = s.bonus[i].Next(ctx)
			if err == nil && b != nil && compareIDs(b.IndexInternalID, d.IndexInternalID) < 0 {
				ctx.DocumentMatchPool.Put(b)
				b, err = s.bonus[i].Advance(ctx, d.IndexInternalID)
			}
			if err != nil {
				return nil, err
			}
			if s.at[i] = b; b == nil {
				continue
			}
			c = compareIDs(b.IndexInternalID, d.IndexInternalID)
		}
		if c == 0 {
			sum += b.Score
			matched++
		}
	}
	d.Score = withBonus(d.Score, sum, matched, len(s.bonus))
	return d, nil
}

// withBonus adds to a score the bonus of matched of n bonus clauses whose
// scores sum to sum: as Bleve's BooleanSearcher adds its disjunction's,
// sum × matched/n, rounded before it is added (it is returned, not fused
// with the addition into one multiply-add as Go may on arm64).
func withBonus(score, sum float64, matched, n int) float64 {
	if matched == 0 {
		return score
	}
	return score + float64(sum*(float64(matched)/float64(n)))
}

// compareIDs orders internal ids as bytes.Compare does; scorch's are
// 8-byte big-endian numbers, compared as such.
func compareIDs(a, b index.IndexInternalID) int {
	if len(a) != 8 || len(b) != 8 {
		return a.Compare(b)
	}
	x, y := binary.BigEndian.Uint64(a), binary.BigEndian.Uint64(b)
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

func (s *rankSearcher) Weight() float64 {
	w := s.must.Weight()
	var bonus float64 // summed apart, as the BooleanSearcher's disjunction does
	for _, b := range s.bonus {
		bonus += b.Weight()
	}
	return w + bonus
}

func (s *rankSearcher) SetQueryNorm(n float64) {
	s.must.SetQueryNorm(n)
	for _, b := range s.bonus {
		b.SetQueryNorm(n)
	}
}

func (s *rankSearcher) Close() error {
	err := s.must.Close()
	for _, b := range s.bonus {
		if berr := b.Close(); err == nil {
			err = berr
		}
	}
	return err
}

// Count is a BooleanSearcher's, must's and the bonus clauses' summed
// (although they add no hits): a conjunction orders its searchers by it,
// and sums their scores in that order.
func (s *rankSearcher) Count() uint64 {
	n := s.must.Count()
	for _, b := range s.bonus {
		n += b.Count()
	}
	return n
}

func (s *rankSearcher) Min() int { return 0 }

var rankSearcherSize = int(reflect.TypeFor[rankSearcher]().Size())

func (s *rankSearcher) Size() int {
	n := rankSearcherSize + s.must.Size() + len(s.at)*size.SizeOfPtr
	for i, b := range s.bonus {
		n += b.Size() + size.SizeOfPtr
		if s.at[i] != nil {
			n += s.at[i].Size()
		}
	}
	return n
}

func (s *rankSearcher) DocumentMatchPoolSize() int {
	n := 1 + s.must.DocumentMatchPoolSize()
	for _, b := range s.bonus {
		n += 1 + b.DocumentMatchPoolSize() // its current entry, held between hits
	}
	return n
}
