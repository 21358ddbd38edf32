package search_test

import (
	"fmt"

	"gongkai/catalogue"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gongkai/indexer"
	"gongkai/search"
)

// TestColumnsMatchTheDocuments checks the facet counts and the date order
// of searches against counts and an order made from the documents
// themselves, over an index of several segments with replaced and deleted
// documents, and again after the index changes (a new snapshot, so new
// columns).
func TestColumnsMatchTheDocuments(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "index")
	x, _, err := search.OpenIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()

	categories := []string{"政策法规", "规划计划", "统计数据", ""}
	topics := []string{"工业、交通", "综合政务", ""}
	organs := []string{"韶关市工业和信息化局", "韶关市人民政府", "广东省人民政府办公厅", "演示局"}
	docTypes := []string{"通知", "办法", "意见", ""}
	live := map[string]indexer.Document{}
	doc := func(i, variant int) indexer.Document {
		word := []string{"通知", "办法"}[(i+variant)%2]
		return indexer.Document{
			ID: fmt.Sprintf("d%04d", i), Title: fmt.Sprintf("关于第%d号事项的%s", i, word),
			Body:     "本文件是" + word + "，请遵照执行。",
			Category: categories[(i+variant)%len(categories)], Topic: topics[i%len(topics)],
			Organ: organs[(i*7+variant)%len(organs)], DocType: docTypes[(i+2*variant)%len(docTypes)],
			FormedAt: time.Date(2015+(i+variant)%9, 3, 1, 0, 0, 0, 0, time.UTC),
			// Many ties, broken by 生成日期 and then by id.
			PublishedAt: time.Date(2024, 1, 1+(i*3+variant)%5, 8, 0, 0, 0, time.UTC),
		}
	}
	index := func(docs ...indexer.Document) {
		t.Helper()
		entries := make([]*catalogue.PublicEntry, len(docs))
		for i, d := range docs {
			entries[i] = &catalogue.PublicEntry{ID: d.ID, Content: &catalogue.Content{
				Title: d.Title, Body: d.Body, Category: d.Category, Topic: d.Topic, Organ: d.Organ,
				DocType: d.DocType, FormedAt: catalogue.DateOf(d.FormedAt)}, PublishedAt: d.PublishedAt}
		}
		if err := x.IndexPublic(ctx, entries...); err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			live[d.ID] = d
		}
	}
	remove := func(ids ...string) {
		t.Helper()
		if err := x.DeletePublic(ctx, ids...); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			delete(live, id)
		}
	}
	// Filters by facet values: without words these are answered from the
	// columns alone, with words by a search.
	filters := []search.Filters{{}, {Category: "政策法规"}, {Organ: "韶关市人民政府", Year: "2018"},
		{Topic: "综合政务", DocType: "通知"}, {Category: "统计数据", Year: "1999"}}
	matches := func(d indexer.Document, word string, f search.Filters) bool {
		return (word == "" || strings.Contains(d.Body, word)) &&
			(f.Category == "" || f.Category == d.Category) && (f.Topic == "" || f.Topic == d.Topic) &&
			(f.Organ == "" || f.Organ == d.Organ) && (f.DocType == "" || f.DocType == d.DocType) &&
			(f.Year == "" || f.Year == fmt.Sprint(d.FormedAt.Year()))
	}
	// want counts the facets of the live documents whose body has word
	// and that pass f.
	want := func(word string, f search.Filters) map[string]map[string]int {
		out := map[string]map[string]int{"category": {}, "topic": {}, "organ": {}, "year": {}, "doc_type": {}}
		for _, d := range live {
			if !matches(d, word, f) {
				continue
			}
			for name, v := range map[string]string{"category": d.Category, "topic": d.Topic, "organ": d.Organ,
				"year": fmt.Sprint(d.FormedAt.Year()), "doc_type": d.DocType} {
				if v != "" {
					out[name][v]++
				}
			}
		}
		return out
	}
	checkFacets := func(stage, word string, f search.Filters) {
		t.Helper()
		for _, sort := range []string{search.SortRelevance, search.SortDate} {
			res, err := x.Search(ctx, search.Query{Text: word, Filters: f, Sort: sort, Facets: true, Size: 5})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]map[string]int{}
			for name, vals := range res.Facets {
				got[name] = map[string]int{}
				for _, v := range vals {
					got[name][v.Value] = v.Count
				}
			}
			w := want(word, f)
			for name := range w {
				if !maps.Equal(got[name], w[name]) {
					t.Errorf("%s, %q %+v by %s: facet %s = %v, want %v", stage, word, f, sort, name, got[name], w[name])
				}
			}
		}
	}
	check := func(stage string) {
		t.Helper()
		for _, word := range []string{"", "通知", "办法"} {
			for _, f := range filters {
				checkFacets(stage, word, f)
			}
		}
	}

	// wantOrder lists the live documents whose body has word and that pass
	// f, newest 发布日期 first, then newest 生成日期, then by id.
	wantOrder := func(word string, f search.Filters) []string {
		var docs []indexer.Document
		for _, d := range live {
			if matches(d, word, f) {
				docs = append(docs, d)
			}
		}
		slices.SortFunc(docs, func(a, b indexer.Document) int {
			if c := b.PublishedAt.Compare(a.PublishedAt); c != 0 {
				return c
			}
			if c := b.FormedAt.Compare(a.FormedAt); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
		ids := make([]string, len(docs))
		for i, d := range docs {
			ids[i] = d.ID
		}
		return ids
	}
	checkOrder := func(stage string) {
		t.Helper()
		for _, word := range []string{"", "通知", "办法"} {
			for _, f := range filters {
				all := wantOrder(word, f)
				for _, page := range []int{1, 3} {
					res, err := x.Search(ctx, search.Query{Text: word, Filters: f, Sort: search.SortDate, Page: page, Size: 20, Facets: page == 1})
					if err != nil {
						t.Fatal(err)
					}
					want := all[min((page-1)*20, len(all)):min(page*20, len(all))]
					var got []string
					for _, h := range res.Hits {
						got = append(got, h.ID)
					}
					if !slices.Equal(got, want) || res.Total != uint64(len(all)) {
						t.Errorf("%s, %q %+v page %d by date: %d hits %v, want %d hits %v", stage, word, f, page, res.Total, got, len(all), want)
					}
					if len(res.Hits) > 0 && res.Hits[0].Title == "" {
						t.Errorf("%s: hits of a date-ordered page lack their stored fields: %+v", stage, res.Hits[0])
					}
				}
			}
		}
	}

	// Three batches make three segments.
	for b := range 3 {
		var docs []indexer.Document
		for i := b * 100; i < (b+1)*100; i++ {
			docs = append(docs, doc(i, 0))
		}
		index(docs...)
	}
	check("fresh")
	checkOrder("fresh")

	var changed []indexer.Document
	for i := 0; i < 300; i += 7 {
		changed = append(changed, doc(i, 1)) // other word, category, organ, year
	}
	index(changed...)
	var gone []string
	for i := 3; i < 300; i += 11 {
		gone = append(gone, fmt.Sprintf("d%04d", i))
	}
	remove(gone...)
	check("after replacing and deleting")
	checkOrder("after replacing and deleting")

	index(doc(400, 0), doc(401, 1))
	check("after adding")
	checkOrder("after adding")
}
