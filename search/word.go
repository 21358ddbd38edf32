package search

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"sort"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// A search for one word by relevance, with nothing around it (no filter,
// no short title, 文号 or pinyin clause), is collected here rather than by
// Bleve: the word's postings and its bonus clauses' are walked directly,
// each hit scored as Bleve's TermQueryScorer and rankSearcher score it,
// its facets counted from the columns, and only the page's best kept.
// Bleve hands every hit through a searcher, a pooled DocumentMatch, a
// scorer and its collector's heap: for a common word (17,542 hits for the
// median broad word, 64,000 for 管理) that was a third of the search.
// The hits, their order (score, then the index's order), the total and
// the facets are Bleve's own; TestWordSearchAsBleve compares them.

// wordQuery returns the terms of root when it is a rankQuery of one term
// with term bonus clauses, as textQuery builds it for one word.
func wordQuery(root query.Query) (must *query.TermQuery, bonus []*query.TermQuery, ok bool) {
	rq, ok := root.(*rankQuery)
	if !ok {
		return nil, nil, false
	}
	if must, ok = rq.must.(*query.TermQuery); !ok {
		return nil, nil, false
	}
	for _, b := range rq.bonus {
		tq, ok := b.(*query.TermQuery)
		if !ok {
			return nil, nil, false
		}
		bonus = append(bonus, tq)
	}
	return must, bonus, true
}

// termScorer scores one term's postings as Bleve's TermQueryScorer does
// with tf-idf.
type termScorer struct {
	reader index.TermFieldReader
	count  uint64
	idf    float64
	boost  float64
	weight float64 // boost × idf × query norm, once the norm is known
	at     *index.TermFieldDoc
}

func newTermScorer(ctx context.Context, r index.IndexReader, tq *query.TermQuery, docs uint64) (*termScorer, error) {
	tfr, err := r.TermFieldReader(ctx, []byte(tq.Term), tq.FieldVal, true, true, false)
	if err != nil {
		return nil, err
	}
	n := tfr.Count()
	return &termScorer{reader: tfr, count: n, boost: tq.BoostVal.Value(),
		idf: 1.0 + math.Log(float64(docs)/float64(n+1.0))}, nil
}

// squaredWeight is TermQueryScorer.Weight. Bleve sums the weights through
// an interface, each rounded; the conversion keeps the sum here from being
// fused with the product (an FMA on arm64), which would change the norm's
// last bit.
func (t *termScorer) squaredWeight() float64 {
	w := t.boost * t.idf
	return float64(w * w)
}

func (t *termScorer) score(d *index.TermFieldDoc) float64 {
	s := math.Sqrt(float64(d.Freq)) * d.Norm * t.idf
	if t.weight != 1.0 {
		s *= t.weight
	}
	return s
}

// wordHit is a hit kept for the page: its score and document number.
type wordHit struct {
	score float64
	doc   uint64
}

// worseHit ranks a below b: a lower score, or the same score found later
// (Bleve orders equal scores by the index's order).
func worseHit(a, b wordHit) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return a.doc > b.doc
}

// searchWord answers req, whose query is one word (wordQuery), with the
// hits from req.From on, at most req.Size, without their stored fields;
// with facets, their counts by tuple.
func (x *Index) searchWord(ctx context.Context, req *bleve.SearchRequest, must *query.TermQuery, bonus []*query.TermQuery, facets bool) (*bleve.SearchResult, map[string][]FacetValue, error) {
	r, err := x.snapshot()
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	var col *columns
	if facets {
		if col, err = x.columns.get(r); err != nil {
			return nil, nil, err
		}
	}
	docs, err := r.DocCount()
	if err != nil {
		return nil, nil, unavailable(err)
	}
	// The word's scorer first, then its bonus clauses'.
	scorers := make([]*termScorer, 0, 1+len(bonus))
	defer func() {
		for _, s := range scorers {
			_ = s.reader.Close()
		}
	}()
	for _, tq := range append([]*query.TermQuery{must}, bonus...) {
		s, err := newTermScorer(ctx, r, tq, docs)
		if err != nil {
			return nil, nil, unavailable(err)
		}
		scorers = append(scorers, s)
	}
	m, bs := scorers[0], scorers[1:]
	// As rankSearcher: the bonus clauses in the order Bleve sums them,
	// normalised over all the clauses.
	sort.Sort(byCount(bs))
	var bonusWeights float64
	for _, b := range bs {
		bonusWeights += b.squaredWeight()
	}
	norm := 1 / math.Sqrt(m.squaredWeight()+bonusWeights)
	for _, s := range scorers {
		s.weight = s.boost * s.idf * norm
	}
	for _, b := range bs {
		if b.at, err = b.reader.Next(nil); err != nil {
			return nil, nil, unavailable(err)
		}
	}

	kept := newBest(req.From+req.Size, worseHit)
	var counts []int
	if facets {
		counts = make([]int, len(col.tuples)+1)
	}
	var total uint64
	var d index.TermFieldDoc
	for {
		if total%1024 == 0 && ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		hit, err := m.reader.Next(d.Reset())
		if err != nil {
			return nil, nil, unavailable(err)
		}
		if hit == nil {
			break
		}
		n, ok := docNumber(hit.ID)
		if !ok || facets && n >= uint64(len(col.tuple)) {
			return nil, nil, unavailable(fmt.Errorf("search: hit with internal id %x outside the columns", hit.ID))
		}
		total++
		if facets {
			counts[col.tuple[n]]++
		}
		score := m.score(hit)
		var sum float64
		matched := 0
		for _, b := range bs {
			// One step when it is close; a skip when that was not enough.
			if b.at != nil && binary.BigEndian.Uint64(b.at.ID) < n {
				next := b.at
				if b.at, err = b.reader.Next(next.Reset()); err == nil && b.at != nil && binary.BigEndian.Uint64(b.at.ID) < n {
					b.at, err = b.reader.Advance(hit.ID, next.Reset())
				}
				if err != nil {
					return nil, nil, unavailable(err)
				}
			}
			if b.at != nil && binary.BigEndian.Uint64(b.at.ID) == n {
				sum += b.score(b.at)
				matched++
			}
		}
		kept.offer(wordHit{withBonus(score, sum, matched, len(bs)), n})
	}

	page := kept.sorted()
	out := &bleve.SearchResult{Total: total}
	if req.From < len(page) {
		for _, h := range page[req.From:] {
			iid := make(index.IndexInternalID, 8)
			binary.BigEndian.PutUint64(iid, h.doc)
			id, err := r.ExternalID(iid)
			if err != nil {
				return nil, nil, unavailable(err)
			}
			out.Hits = append(out.Hits, &search.DocumentMatch{ID: id, IndexInternalID: iid, Score: h.score})
		}
	}
	var fv map[string][]FacetValue
	if facets {
		fv = col.facets(counts)
	}
	return out, fv, nil
}

// byCount orders term scorers by their postings' length, as Bleve's
// OrderedSearcherList orders term searchers.
type byCount []*termScorer

func (s byCount) Len() int           { return len(s) }
func (s byCount) Less(i, j int) bool { return s[i].count < s[j].count }
func (s byCount) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }
