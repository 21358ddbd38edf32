package search

import (
	"path/filepath"
	"testing"

	"gongkai/catalogue"
)

// TestShortTitleClauseOnlyWhenSomeEntryHasIt: the short-title clause is
// built for a short title an entry has and left out for any other text,
// and is built again once an entry with that short title is indexed.
func TestShortTitleClauseOnlyWhenSomeEntryHasIt(t *testing.T) {
	ctx := t.Context()
	x, _, err := OpenIndex(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	law := func(id, title string) *catalogue.PublicEntry {
		return &catalogue.PublicEntry{ID: id, Content: &catalogue.Content{Title: title, Body: "为了规范档案管理，制定本法。"}}
	}
	if err := x.IndexPublic(ctx, law("a", "中华人民共和国档案法")); err != nil {
		t.Fatal(err)
	}
	if x.shortTitleQuery(ctx, "档案法") == nil {
		t.Error("no short-title clause for 档案法, which an entry has")
	}
	if x.shortTitleQuery(ctx, "档案") != nil {
		t.Error("a short-title clause for 档案, which no entry has")
	}
	if err := x.IndexPublic(ctx, law("b", "档案")); err != nil {
		t.Fatal(err)
	}
	if x.shortTitleQuery(ctx, "档案") == nil {
		t.Error("no short-title clause for 档案 after an entry titled 档案 was indexed")
	}
}
