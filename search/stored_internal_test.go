package search

import (
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"gongkai/catalogue"
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
	got, err := x.loadStored(hits, fields)
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
