package search

import (
	"slices"
	"testing"
	"time"
)

// TestKeptResultsLastUntilTheIndexChanges: a search repeated on an
// unchanged index is answered from the kept result; once an entry is
// indexed, updated or deleted, the same search sees it at once.
func TestKeptResultsLastUntilTheIndexChanges(t *testing.T) {
	ctx := t.Context()
	x := mustOpenIndex(t)
	if err := x.IndexPublic(ctx, archivesEntry("a", "档案管理办法"), archivesEntry("b", "档案工作规定")); err != nil {
		t.Fatal(err)
	}
	q := Query{Text: "档案", Facets: true, Highlight: true}
	search := func() *Result {
		t.Helper()
		res, err := x.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	ids := func(res *Result) []string {
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		return out
	}
	kept := func(a, b *Result) bool { return len(a.Hits) > 0 && len(b.Hits) > 0 && &a.Hits[0] == &b.Hits[0] }

	// Bleve writes the batch to disk in the background and then swaps in
	// a snapshot of the same documents, which empties the cache too: the
	// same search twice is answered from the kept result once that is
	// done, within a few tries.
	var first *Result
	for try := 0; ; try++ {
		first = search()
		if kept(first, search()) {
			break
		}
		if try == 100 {
			t.Fatal("the same search on an unchanged index was run again, not answered from the kept result")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Another page size is another search.
	if other, err := x.Search(ctx, Query{Text: "档案", Size: 5}); err != nil || kept(first, other) {
		t.Fatalf("a search with another page size got the kept result (err %v)", err)
	}

	if err := x.IndexPublic(ctx, archivesEntry("c", "档案查阅规定")); err != nil {
		t.Fatal(err)
	}
	added := search()
	if added.Total != 3 || kept(first, added) {
		t.Fatalf("after an entry was indexed: %d hits %v, want 3, from a new search", added.Total, ids(added))
	}
	if err := x.IndexPublic(ctx, archivesEntry("c", "查阅规定")); err != nil {
		t.Fatal(err)
	}
	updated := search()
	if len(updated.Hits) != 3 || updated.Hits[0].ID == "c" {
		t.Fatalf("after an entry's title changed: hits %v, want c (档案 now in its body only) after a and b", ids(updated))
	}
	if err := x.DeletePublic(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if gone := search(); gone.Total != 2 || gone.Facets == nil || slices.Contains(ids(gone), "a") {
		t.Fatalf("after an entry was withdrawn: %d hits %v, want 2 without a", gone.Total, ids(gone))
	}

	// Large pages and exports are not kept, nor anything when keeping is off.
	big := Query{Text: "档案", Size: cacheableSize + 1}
	b1, _ := x.Search(ctx, big)
	if b2, _ := x.Search(ctx, big); kept(b1, b2) {
		t.Error("a page larger than the public pages' was kept")
	}
	x.KeepResults(0)
	if n1, n2 := search(), search(); kept(n1, n2) {
		t.Error("a result was kept with keeping off")
	}
}

// TestResultFoundBeforeAChangeIsNotKeptAfterIt: a search that took its
// snapshot before an entry was withdrawn, and ends after a later search
// saw the change, must not leave its result for the searches after.
func TestResultFoundBeforeAChangeIsNotKeptAfterIt(t *testing.T) {
	ctx := t.Context()
	x := mustOpenIndex(t)
	if err := x.IndexPublic(ctx, archivesEntry("a", "档案管理办法")); err != nil {
		t.Fatal(err)
	}
	before, err := x.snapshot()
	if err != nil {
		t.Fatal(err)
	}
	defer before.Close()
	q := Query{Text: "档案"}
	if err := q.Normalize(); err != nil {
		t.Fatal(err)
	}
	x.results.get(before, q) // the slow search starts
	if err := x.DeletePublic(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	after, err := x.snapshot()
	if err != nil {
		t.Fatal(err)
	}
	defer after.Close()
	if _, ok := x.results.get(after, q); ok { // a search after the withdrawal
		t.Fatal("a result was kept before any was put")
	}
	x.results.put(before, q, &Result{Total: 1, Hits: []Hit{{ID: "a"}}}) // the slow search ends
	if res, ok := x.results.get(after, q); ok {
		t.Fatalf("a result found before the withdrawal (%d hits) is served after it", res.Total)
	}
	if res, err := x.Search(ctx, q); err != nil || res.Total != 0 {
		t.Fatalf("search after the withdrawal: %v, err %v; want no hits", res, err)
	}
}
