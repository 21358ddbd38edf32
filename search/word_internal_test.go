package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"gongkai/catalogue"
	"gongkai/indexer"
)

// TestWordSearchAsBleve checks searchWord against Bleve's collector over
// real laws: for one-word searches (common words found in most of them,
// and words cut from their titles and texts), on the first pages and one
// past the last, both must give the same total, the same hits in the same
// order with the same scores, stored fields and fragments, and the same
// facets; entries alike, with equal scores, in the index's order.
func TestWordSearchAsBleve(t *testing.T) {
	suite, x := mustIndexRelevanceLaws(t)
	ctx := context.Background()
	// Fifteen entries alike score alike: the page keeps the index's order.
	var alike []*catalogue.PublicEntry
	for i := range 15 {
		alike = append(alike, &catalogue.PublicEntry{ID: fmt.Sprintf("kiwi%02d", i),
			Content: &catalogue.Content{Title: "猕猴桃", Body: "猕猴桃"}})
	}
	if err := x.IndexPublic(ctx, alike...); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 9))
	texts := []string{"管理", "规定", "国家", "人民政府", "应当", "的", "信息", "档案", "没有这个词语", "猕猴桃"}
	for len(texts) < 300 {
		doc := suite.Documents[rng.IntN(len(suite.Documents))]
		src := []rune(doc.Body)
		if len(texts)%3 == 0 {
			src = []rune(doc.Title)
		}
		n := 2 + rng.IntN(3)
		if len(src) <= n {
			continue
		}
		start := rng.IntN(len(src) - n)
		texts = append(texts, string(src[start:start+n]))
	}

	words, found := 0, 0
	for _, text := range texts {
		root, terms, err := x.textQuery(ParseText(text), true)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, ok := wordQuery(root); !ok {
			continue // more than one word once analysed
		}
		words++
		for _, page := range []int{1, 2, 40} {
			q := Query{Text: text, Sort: SortRelevance, Page: page, Size: 10, Facets: true, Highlight: true}
			run := func(byBleve bool) (uint64, []Hit, map[string][]FacetValue) {
				x.wordsByBleve = byBleve
				req := bleve.NewSearchRequestOptions(root, q.Size, (q.Page-1)*q.Size, false)
				req.Fields = append(storedFields[:len(storedFields):len(storedFields)], indexer.FieldBody, indexer.FieldPlain)
				req.SortBy([]string{"-_score"})
				snip := newQueryTerms(terms)
				sr, facets, err := x.collect(ctx, req, q, snip)
				if err != nil {
					t.Fatal(err)
				}
				highlight(sr.Hits, snip)
				var hits []Hit
				for _, dm := range sr.Hits {
					hits = append(hits, toHit(dm))
				}
				return sr.Total, hits, facets
			}
			wantTotal, want, wantFacets := run(true)
			gotTotal, got, gotFacets := run(false)
			if page == 1 && wantTotal > 0 {
				found++
			}
			if gotTotal != wantTotal || !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotFacets, wantFacets) {
				t.Errorf("%q page %d: %d hits %v\nfacets %v\nBleve's: %d hits %v\nfacets %v", text, page, gotTotal, ids(got), gotFacets, wantTotal, ids(want), wantFacets)
			}
		}
	}
	t.Logf("%d of %d searches one word, %d of them found", words, len(texts), found)
	if words < 80 || found < 60 {
		t.Errorf("%d one-word searches, %d found: the searches do not test enough", words, found)
	}
}

func ids(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.ID)
	}
	return out
}
