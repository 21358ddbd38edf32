package search

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"

	"gongkai/catalogue"
	"gongkai/indexer"
)

// loadStored reads the fields Bleve's own loader reads, from documents in
// several segments with some deleted between them, and leaves out a
// document deleted after it was found.
func TestLoadStoredReadsWhatBleveReads(t *testing.T) {
	ctx := t.Context()
	x := mustOpenIndex(t)
	var ids []string
	for batch := range 4 { // a segment each
		var entries []*catalogue.PublicEntry
		for i := range 5 {
			id := fmt.Sprintf("e%d-%d", batch, i)
			ids = append(ids, id)
			day := time.Date(2020+batch, 3, 1+i, 0, 0, 0, 0, time.UTC)
			entries = append(entries, &catalogue.PublicEntry{ID: id, IndexNo: "IDX-" + id, PublishedAt: day, UpdatedAt: day.Add(time.Hour),
				Content: &catalogue.Content{Title: "关于档案工作的通知 " + id, Summary: "概述 " + id, Body: "正文 " + id,
					Organ: "市档案局", DocType: "通知", FormedAt: catalogue.DateOf(day)}})
		}
		if err := x.IndexPublic(ctx, entries...); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.DeletePublic(ctx, "e1-2", "e2-0"); err != nil {
		t.Fatal(err)
	}
	fields := append(storedFields[:len(storedFields):len(storedFields)], "body")
	req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), 100, 0, false)
	req.Fields = fields
	want, err := x.idx.Bleve().Search(req) // Bleve's own loader
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Hits) != len(ids)-2 {
		t.Fatalf("%d documents, want %d", len(want.Hits), len(ids)-2)
	}
	var hits search.DocumentMatchCollection
	for _, h := range want.Hits {
		hits = append(hits, &search.DocumentMatch{ID: h.ID})
	}
	hits = append(hits, &search.DocumentMatch{ID: "e1-2"}) // deleted before
	got, err := x.loadStored(hits, fields, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want.Hits) {
		t.Fatalf("loadStored kept %d hits, want %d (the deleted one left out)", len(got), len(want.Hits))
	}
	for i, h := range got {
		if h.ID != want.Hits[i].ID || !maps.Equal(h.Fields, want.Hits[i].Fields) {
			t.Errorf("%s: loadStored gives\n%v\nBleve gives %s:\n%v", h.ID, h.Fields, want.Hits[i].ID, want.Hits[i].Fields)
		}
		if body := h.Fields["body"]; body != "正文 "+h.ID {
			t.Errorf("%s: body %q, read from another document", h.ID, body)
		}
	}
}

// With the query's terms, loadStored cuts the body's fragments as it reads
// the body, the same fragments highlight cuts from a copy of it, and
// leaves the body out of the fields; the field telling which texts need no
// folding is read before the body, as the cut without folding needs.
func TestLoadStoredCutsTheBody(t *testing.T) {
	ctx := t.Context()
	x := mustOpenIndex(t)
	long := strings.Repeat("各级行政机关应当依法做好档案工作。", 300) + "加强国民经济统计。"
	if err := x.IndexPublic(ctx,
		&catalogue.PublicEntry{ID: "plain", Content: &catalogue.Content{Title: "国民经济统计通知", Body: long}},
		&catalogue.PublicEntry{ID: "trad", Content: &catalogue.Content{Title: "國民經濟統計通知", Body: "做好國民經濟統計工作。"}},
		&catalogue.PublicEntry{ID: "none", Content: &catalogue.Content{Title: "国民经济统计", Body: "无关的正文。"}},
	); err != nil {
		t.Fatal(err)
	}
	ids := []string{"plain", "trad", "none"}
	fields := []string{indexer.FieldTitle, indexer.FieldBody, indexer.FieldPlain}
	terms := newQueryTerms([]string{"国民经济", "统计"})
	copied, err := x.fetch(ctx, ids, fields, nil)
	if err != nil {
		t.Fatal(err)
	}
	highlight(copied.Hits, terms)
	cut, err := x.fetch(ctx, ids, fields, terms)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range cut.Hits {
		if _, ok := h.Fields[indexer.FieldBody]; ok {
			t.Errorf("%s: the body was copied into the fields", h.ID)
		}
	}
	highlight(cut.Hits, terms)
	for i, h := range cut.Hits {
		want := copied.Hits[i].Fragments
		if !maps.EqualFunc(h.Fragments, want, slices.Equal) {
			t.Errorf("%s: fragments %q, want %q", h.ID, h.Fragments, want)
		}
	}
	if f := copied.Hits[0].Fragments[indexer.FieldBody]; len(f) == 0 || !strings.Contains(f[0], "<mark>国民经济") {
		t.Errorf("plain: body fragments %q, want the match at its end", f)
	}
	if f := copied.Hits[2].Fragments[indexer.FieldBody]; len(f) != 0 {
		t.Errorf("none: body fragments %q, want none", f)
	}

	var order []string
	r, err := x.snapshot()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	doc, err := r.Document("plain")
	if err != nil {
		t.Fatal(err)
	}
	doc.VisitFields(func(f index.Field) { order = append(order, f.Name()) })
	if p, b := slices.Index(order, indexer.FieldPlain), slices.Index(order, indexer.FieldBody); p < 0 || b < 0 || p > b {
		t.Errorf("stored fields in the order %v: %s is not read before %s", order, indexer.FieldPlain, indexer.FieldBody)
	}
}
