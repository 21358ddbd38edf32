package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"gongkai/catalogue"
	"gongkai/search"
)

// TestDemo loads the demo into an empty data dir, as `serve --demo` does:
// the public catalogue, one account per role, and work in progress at
// several points of the review chain, none of it public.
func TestDemo(t *testing.T) {
	ctx := context.Background()
	var out bytes.Buffer
	m := NewMain(Config{Data: t.TempDir(), Store: "fs", LogFormat: "text", ShutdownTimeout: time.Second, Demo: true}, &out, io.Discard)
	t.Cleanup(func() { m.Close() })
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "演示目录已载入") || !strings.Contains(out.String(), "drafter") {
		t.Errorf("demo output:\n%s", out.String())
	}
	counts, _, err := m.StaffIndex.CountByStatus(ctx, search.Filters{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]uint64{"draft": 1, "section_review": 1, "leader_review": 1, "secrecy_review": 1}
	for st, n := range want {
		if counts[st] != n {
			t.Errorf("%d entries %s, want %d (counts %v)", counts[st], st, n, counts)
		}
	}
	public := m.PublicIndex.Count()
	if public == 0 || uint64(counts["published"]) != public {
		t.Errorf("%d public documents, %d published entries", public, counts["published"])
	}
	// Applications: three answered, one open.
	n, open := 0, 0
	m.Applications.ListApplications(ctx, func(a *catalogue.Application) error {
		n++
		if a.Answer == nil {
			open++
		}
		return nil
	})
	if n != 4 || open != 1 {
		t.Errorf("%d demo applications, %d open; want 4 and 1", n, open)
	}
	// The entry formed 40 days ago waits for the leader and is overdue.
	res, err := m.StaffIndex.Search(ctx, search.Query{Filters: search.Filters{Status: string(catalogue.StatusLeaderReview)}, Page: 1, Size: 5})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("leader_review: %v %v", res, err)
	}
	e, err := m.Records.Entry(ctx, res.Hits[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Service.Overdue(e) {
		t.Errorf("the demo's 40-day-old entry is not overdue: due %s", e.DueAt)
	}
}
