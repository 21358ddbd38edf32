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
// real laws, some withdrawn and some replaced since: for one-word searches
// (common words found in most of them, and words cut from their titles and
// texts), on the first pages and one past the last, in pages of 3, 10 and
// 50, with facets and without, both must give the same total, the same
// hits in the same order with the same scores, stored fields and
// fragments, and the same facets; entries alike, with equal scores, in the
// index's order.
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
	// Merged into one segment, then changed: some laws withdrawn and some
	// replaced, in a second segment, the first keeping their old postings
	// as deleted.
	if err := x.Settle(ctx); err != nil {
		t.Fatal(err)
	}
	var gone []string
	var changed []indexer.Document
	for i, d := range suite.Documents[:30] {
		if i%3 == 0 {
			gone = append(gone, d.ID)
			continue
		}
		d.Body += "\n本规定由国家管理部门负责解释。"
		changed = append(changed, d)
	}
	if err := x.DeletePublic(ctx, gone...); err != nil {
		t.Fatal(err)
	}
	if err := x.idx.Index(ctx, changed...); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 9))
	texts := []string{"管理", "规定", "国家", "人民政府", "应当", "的", "信息", "档案", "没有这个词语", "猕猴桃"}
	for len(texts) < 400 {
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
		root, terms, err := x.textQuery(ParseText(text), true, true)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, ok := wordQuery(root); !ok {
			continue // more than one word once analysed
		}
		words++
		for _, c := range []struct {
			page, size int
			facets     bool
		}{{1, 10, true}, {2, 10, true}, {40, 10, true}, {1, 3, false}, {3, 50, false}} {
			page := c.page
			q := Query{Text: text, Sort: SortRelevance, Page: page, Size: c.size, Facets: c.facets, Highlight: true}
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
			if page == 1 && c.size == 10 && wantTotal > 0 {
				found++
			}
			if gotTotal != wantTotal || !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotFacets, wantFacets) {
				t.Errorf("%q page %d of %d, facets %v: %d hits %v\nfacets %v\nBleve's: %d hits %v\nfacets %v", text, page, c.size, c.facets, gotTotal, ids(got), gotFacets, wantTotal, ids(want), wantFacets)
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
