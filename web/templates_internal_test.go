package web

import (
	"strings"
	"testing"

	"gongkai/search"
)

// TestHitSnippetsAreSetApart: a hit's body fragments, cut from places far
// apart in the text, are shown with an ellipsis between them, not run
// together as if they were one sentence.
func TestHitSnippetsAreSetApart(t *testing.T) {
	p, err := loadPages((&Handler{}).templateFuncs())
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	hits := []search.Hit{{ID: "a", Title: "关于档案工作的通知",
		Highlights: map[string][]string{"body": {"做好<mark>档案</mark>工作。", "加强<mark>档案</mark>管理。"}}}}
	if err := p.t["search"].ExecuteTemplate(&b, "hitlist", map[string]any{"Hits": hits, "Start": 1}); err != nil {
		t.Fatal(err)
	}
	if want := `做好<mark>档案</mark>工作。 … 加强<mark>档案</mark>管理。`; !strings.Contains(b.String(), want) {
		t.Errorf("hit list\n%s\nlacks %s", b.String(), want)
	}
}
