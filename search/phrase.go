package search

import (
	"bytes"
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/scorer"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// phraseQuery matches analysed terms that stand at consecutive positions
// of one field: the phrase a user puts in quotes.
//
// Bleve's phrase searcher walks every entry holding all the terms, reads
// the positions of each term there and sorts them into maps before it
// looks for the phrase. With common words (单位应当, 应当及时提供, 前的准备)
// that is tens of thousands of entries and, for a word like 的, hundreds of
// positions in each long law: 50–90 ms a query. This one visits the terms
// rarest first and reads a term's positions only where the rarer terms
// already stand in the order of the phrase, keeping the possible starts of
// the phrase in a slice. It finds what Bleve's finds, with the same score
// (the sum of the terms' scores, as Bleve's conjunction gives it).
type phraseQuery struct {
	terms []string // consecutive positions
	field string
	boost float64
}

func newPhraseQuery(field string, terms []string, boost float64) *phraseQuery {
	return &phraseQuery{terms: terms, field: field, boost: boost}
}

// SetField and Field make it a query.FieldableQuery, whose field Bleve
// collects for its statistics.
func (q *phraseQuery) SetField(f string) { q.field = f }
func (q *phraseQuery) Field() string     { return q.field }

// Searcher implements query.Query.
func (q *phraseQuery) Searcher(ctx context.Context, r index.IndexReader, _ mapping.IndexMapping, options search.SearcherOptions) (search.Searcher, error) {
	if len(q.terms) == 0 {
		return searcher.NewMatchNoneSearcher(r)
	}
	docs, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	score := options.Score != "none"
	s := &phraseSearcher{options: options, terms: make([]phraseTerm, len(q.terms))}
	for i, t := range q.terms {
		tfr, err := r.TermFieldReader(ctx, []byte(t), q.field, score, score, true)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.terms[i] = phraseTerm{
			offset: i,
			reader: tfr,
			scorer: scorer.NewTermQueryScorer([]byte(t), q.field, q.boost, docs, tfr.Count(), 0, options),
		}
	}
	// Alone, the phrase is normalised over its own terms, as Bleve's is; a
	// conjunction or disjunction around it sets the norm over all its parts.
	s.SetQueryNorm(1 / math.Sqrt(s.Weight()))
	// The rarest term leads; each next one is read only where those before
	// it allow the phrase.
	s.order = make([]int, len(s.terms))
	for i := range s.order {
		s.order[i] = i
	}
	slices.SortStableFunc(s.order, func(a, b int) int {
		return cmp.Compare(s.terms[a].reader.Count(), s.terms[b].reader.Count())
	})
	return s, nil
}

type phraseTerm struct {
	offset int // in the phrase
	reader index.TermFieldReader
	scorer *scorer.TermQueryScorer
	doc    index.TermFieldDoc // where the reader stands: no ID before its first move
	done   bool               // no more entries hold the term
}

// advance moves the term's reader to the first entry at or after id,
// without calling the reader when it already stands there or beyond it
// (Bleve's readers start again from the beginning when asked to go back).
// Before the reader's first move doc.ID is empty, before every id.
func (t *phraseTerm) advance(id index.IndexInternalID) (bool, error) {
	if t.done {
		return false, nil
	}
	if bytes.Compare(t.doc.ID, id) >= 0 {
		return true, nil
	}
	return t.moved(t.reader.Advance(id, t.doc.Reset()))
}

// next moves the term's reader past the entry it stands on.
func (t *phraseTerm) next() (bool, error) {
	if t.done {
		return false, nil
	}
	return t.moved(t.reader.Next(t.doc.Reset()))
}

// moved notes where the reader went: to d, or past its last entry.
func (t *phraseTerm) moved(d *index.TermFieldDoc, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	t.done = d == nil
	return !t.done, nil
}

type phraseSearcher struct {
	options search.SearcherOptions
	terms   []phraseTerm
	order   []int         // of terms, rarest first
	starts  []phraseStart // where the phrase may begin in the entry being checked
	other   []phraseStart
}

// A phraseStart is a position the phrase may begin at: the position, and
// the array positions of the field value (a phrase stays in one value).
type phraseStart struct {
	pos   uint64
	array []uint64
}

func (s *phraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	ok, err := s.terms[s.order[0]].next()
	if err != nil || !ok {
		return nil, err
	}
	return s.match(ctx)
}

func (s *phraseSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	ok, err := s.terms[s.order[0]].advance(id)
	if err != nil || !ok {
		return nil, err
	}
	return s.match(ctx)
}

// match finds the first entry, from where the leading term stands, that
// holds the phrase.
func (s *phraseSearcher) match(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	lead := &s.terms[s.order[0]]
next:
	for {
		id := lead.doc.ID
		s.starts = s.starts[:0]
		for _, v := range lead.doc.Vectors {
			if v.Pos > uint64(lead.offset) {
				s.starts = append(s.starts, phraseStart{v.Pos - uint64(lead.offset), v.ArrayPositions})
			}
		}
		for _, i := range s.order[1:] {
			t := &s.terms[i]
			ok, err := t.advance(id)
			if err != nil || !ok {
				return nil, err
			}
			if !bytes.Equal(t.doc.ID, id) {
				// The term is not in this entry: go on from the next
				// entry that holds it.
				if ok, err := lead.advance(t.doc.ID); err != nil || !ok {
					return nil, err
				}
				continue next
			}
			s.keepStarts(t)
			if len(s.starts) == 0 {
				break
			}
		}
		if len(s.starts) > 0 {
			return s.score(ctx), nil
		}
		if ok, err := lead.next(); err != nil || !ok {
			return nil, err
		}
	}
}

// keepStarts keeps the starts at which t stands at its offset.
func (s *phraseSearcher) keepStarts(t *phraseTerm) {
	s.other = s.other[:0]
	for _, st := range s.starts {
		for _, v := range t.doc.Vectors {
			if v.Pos == st.pos+uint64(t.offset) && slices.Equal(v.ArrayPositions, st.array) {
				s.other = append(s.other, st)
				break
			}
		}
	}
	s.starts, s.other = s.other, s.starts
}

// score makes the match for the entry all terms stand on: the sum of the
// terms' scores, as Bleve's phrase searcher gives it, without locations
// (snippets find their own).
func (s *phraseSearcher) score(ctx *search.SearchContext) *search.DocumentMatch {
	var rv *search.DocumentMatch
	var expl []*search.Explanation
	for i := range s.terms {
		t := &s.terms[i]
		vectors := t.doc.Vectors
		t.doc.Vectors = nil
		dm := t.scorer.Score(ctx, &t.doc)
		t.doc.Vectors = vectors
		if s.options.Explain {
			expl = append(expl, dm.Expl)
		}
		if rv == nil {
			rv = dm
			continue
		}
		rv.Score += dm.Score
		ctx.DocumentMatchPool.Put(dm)
	}
	if s.options.Explain {
		rv.Expl = &search.Explanation{Value: rv.Score, Message: "sum of:", Children: expl}
	}
	return rv
}

func (s *phraseSearcher) Close() error {
	var first error
	for _, t := range s.terms {
		if t.reader != nil {
			if err := t.reader.Close(); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

func (s *phraseSearcher) Weight() float64 {
	var w float64
	for _, t := range s.terms {
		w += t.scorer.Weight()
	}
	return w
}

func (s *phraseSearcher) SetQueryNorm(n float64) {
	for _, t := range s.terms {
		t.scorer.SetQueryNorm(n)
	}
}

// Count is at most the count of the rarest term.
func (s *phraseSearcher) Count() uint64 { return s.terms[s.order[0]].reader.Count() }

func (s *phraseSearcher) Min() int { return 0 }

func (s *phraseSearcher) Size() int {
	n := 0
	for _, t := range s.terms {
		n += t.reader.Size() + t.scorer.Size() + t.doc.Size()
	}
	return n
}

func (s *phraseSearcher) DocumentMatchPoolSize() int { return len(s.terms) }
