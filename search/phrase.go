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

// phraseQuery matches analysed terms that stand side by side in one field:
// the phrase a user puts in quotes.
//
// Side by side means at consecutive positions, or at one position and
// touching in the text. The index cuts a long word into its parts as well
// and puts each part at the whole word's position (社会信用代码 and 社会,
// 信用, 代码 all at one position), so that a phrase of whole words still
// matches; the query is cut into the fewest words. So "社会信用", which the
// query cuts into 社会 + 信用, is found in 统一社会信用代码 only by the
// parts' offsets: 信用 starts where 社会 ends. Bleve's phrase searcher
// goes by positions alone and misses it.
//
// Bleve's searcher also walks every entry holding all the terms, reads
// the positions of each term there and sorts them into maps before it
// looks for the phrase. With common words (单位应当, 应当及时提供, 前的准备)
// that is tens of thousands of entries and, for a word like 的, hundreds of
// positions in each long law: 50–90 ms a query. This one visits the terms
// rarest first and reads a term's positions only where the rarer terms
// already stand near enough for the phrase, then checks the phrase itself
// from what is left. Where Bleve's finds an entry this one finds it too,
// with the same score (the sum of the terms' scores, as Bleve's
// conjunction gives it).
type phraseQuery struct {
	terms []string // side by side, in this order
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
	order   []int                    // of terms, rarest first
	leads   []*index.TermFieldVector // where the leading term may stand in the phrase, in the entry being checked
	other   []*index.TermFieldVector
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
		s.leads = append(s.leads[:0], lead.doc.Vectors...)
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
			s.keepNear(lead.offset, t)
			if len(s.leads) == 0 {
				break
			}
		}
		for _, v := range s.leads {
			if s.before(lead.offset, v) && s.after(lead.offset, v) {
				return s.score(ctx), nil
			}
		}
		if ok, err := lead.next(); err != nil || !ok {
			return nil, err
		}
	}
}

// keepNear keeps the places of the leading term (at offset lead in the
// phrase) that t stands near enough to for the phrase: a term k places
// after another is between 0 and k positions after it.
func (s *phraseSearcher) keepNear(lead int, t *phraseTerm) {
	lo, hi := uint64(0), uint64(0) // how far t may stand before and after the lead
	if t.offset < lead {
		lo = uint64(lead - t.offset)
	} else {
		hi = uint64(t.offset - lead)
	}
	s.other = s.other[:0]
	for _, l := range s.leads {
		for _, v := range t.doc.Vectors {
			if v.Pos+lo >= l.Pos && v.Pos <= l.Pos+hi && slices.Equal(v.ArrayPositions, l.ArrayPositions) {
				s.other = append(s.other, l)
				break
			}
		}
	}
	s.leads, s.other = s.other, s.leads
}

// follows reports whether w comes right after v in the text: at the next
// position, or at the same one and starting where v ends (two parts of one
// long word).
func follows(v, w *index.TermFieldVector) bool {
	return (w.Pos == v.Pos+1 || w.Pos == v.Pos && w.Start == v.End) && slices.Equal(v.ArrayPositions, w.ArrayPositions)
}

// after reports whether the terms after offset k follow on from v, the
// place of term k.
func (s *phraseSearcher) after(k int, v *index.TermFieldVector) bool {
	if k == len(s.terms)-1 {
		return true
	}
	for _, w := range s.terms[k+1].doc.Vectors {
		if follows(v, w) && s.after(k+1, w) {
			return true
		}
	}
	return false
}

// before reports whether the terms before offset k lead up to v, the
// place of term k.
func (s *phraseSearcher) before(k int, v *index.TermFieldVector) bool {
	if k == 0 {
		return true
	}
	for _, w := range s.terms[k-1].doc.Vectors {
		if follows(w, v) && s.before(k-1, w) {
			return true
		}
	}
	return false
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
