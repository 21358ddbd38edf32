package web_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// findAll returns the elements, in document order, for which match is true.
func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func byTag(a atom.Atom) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.DataAtom == a }
}

func hasClass(n *html.Node, class string) bool {
	v, _ := attr(n, "class")
	for _, c := range strings.Fields(v) {
		if c == class {
			return true
		}
	}
	return false
}

// text returns the text inside n.
func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func insideTag(n *html.Node, a atom.Atom) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.DataAtom == a {
			return true
		}
	}
	return false
}

// MustAccessiblePage parses a public page and checks what every page must
// have: the Chinese language, a skip link to <main id="main">, a label for
// every visible form control, alt text on every image, unique ids and
// id references that resolve. It returns the parsed document.
func MustAccessiblePage(tb testing.TB, body []byte) *html.Node {
	tb.Helper()
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		tb.Fatalf("parse page: %v", err)
	}
	if !bytes.Contains(body, []byte(`<html lang="zh-CN"`)) {
		tb.Errorf(`page lacks <html lang="zh-CN"`)
	}
	if !bytes.Contains(body, []byte(`<main id="main"`)) {
		tb.Errorf(`page lacks <main id="main"`)
	}
	skip := findAll(doc, func(n *html.Node) bool {
		href, _ := attr(n, "href")
		return n.DataAtom == atom.A && href == "#main" && hasClass(n, "skip-link")
	})
	if len(skip) != 1 {
		tb.Errorf("page has %d skip links to #main, want 1", len(skip))
	}
	if len(findAll(doc, byTag(atom.Main))) != 1 {
		tb.Errorf("page does not have exactly one <main>")
	}

	ids := map[string]int{}
	for _, n := range findAll(doc, func(n *html.Node) bool { _, ok := attr(n, "id"); return ok }) {
		id, _ := attr(n, "id")
		ids[id]++
	}
	for id, n := range ids {
		if n > 1 {
			tb.Errorf("id %q is used %d times", id, n)
		}
	}
	labelFor := map[string]bool{}
	for _, l := range findAll(doc, byTag(atom.Label)) {
		if id, ok := attr(l, "for"); ok {
			labelFor[id] = true
			if ids[id] == 0 {
				tb.Errorf("<label for=%q> names no element", id)
			}
		}
	}
	for _, n := range findAll(doc, func(n *html.Node) bool { return hasRef(n) }) {
		for _, key := range []string{"aria-labelledby", "aria-describedby", "aria-controls"} {
			v, _ := attr(n, key)
			for _, id := range strings.Fields(v) {
				if ids[id] == 0 {
					tb.Errorf("<%s %s=%q> names no element", n.Data, key, id)
				}
			}
		}
	}
	controls := findAll(doc, func(n *html.Node) bool {
		return n.DataAtom == atom.Input || n.DataAtom == atom.Select || n.DataAtom == atom.Textarea
	})
	for _, c := range controls {
		if typ, _ := attr(c, "type"); strings.EqualFold(typ, "hidden") {
			continue
		}
		id, _ := attr(c, "id")
		aria, _ := attr(c, "aria-label")
		labelledBy, _ := attr(c, "aria-labelledby")
		if !(id != "" && labelFor[id]) && strings.TrimSpace(aria) == "" && labelledBy == "" && !insideTag(c, atom.Label) {
			name, _ := attr(c, "name")
			tb.Errorf("<%s name=%q id=%q> has no label", c.Data, name, id)
		}
	}
	for _, img := range findAll(doc, byTag(atom.Img)) {
		if _, ok := attr(img, "alt"); !ok {
			src, _ := attr(img, "src")
			tb.Errorf("<img src=%q> has no alt", src)
		}
	}
	return doc
}

func hasRef(n *html.Node) bool {
	for _, k := range []string{"aria-labelledby", "aria-describedby", "aria-controls"} {
		if _, ok := attr(n, k); ok {
			return true
		}
	}
	return false
}

// TestMustAccessiblePage shows the checker catches what it is for, so a
// page test passing means something.
func TestMustAccessiblePage(t *testing.T) {
	const good = `<!DOCTYPE html><html lang="zh-CN"><body><a class="skip-link" href="#main">跳到主要内容</a>
<main id="main"><label for="q">检索</label><input id="q" name="q"><input type="hidden" name="return" value="/">
<input name="x" aria-label="某项"><label>内含 <input name="y"></label><img src="a.png" alt=""></main></body></html>`
	for name, tc := range map[string]struct{ page, want string }{
		"InputWithoutLabel": {`<input id="z" name="z">`, `<input name="z" id="z"> has no label`},
		"LabelForOtherID":   {`<label for="w">W</label><input id="z" name="z">`, `<label for="w"> names no element`},
		"ImageWithoutAlt":   {`<img src="b.png">`, `<img src="b.png"> has no alt`},
		"DuplicateID":       {`<p id="q"></p>`, `id "q" is used 2 times`},
		"DanglingRef":       {`<section aria-labelledby="nope"></section>`, `aria-labelledby="nope"> names no element`},
		"SecondMain":        {`<main></main>`, `exactly one <main>`},
	} {
		t.Run(name+"Reported", func(t *testing.T) {
			rec := &recordingTB{TB: t}
			MustAccessiblePage(rec, []byte(strings.Replace(good, "</main>", tc.page+"</main>", 1)))
			if !strings.Contains(rec.errors.String(), tc.want) {
				t.Errorf("errors %q, want one containing %q", rec.errors.String(), tc.want)
			}
		})
	}
	t.Run("GoodPagePasses", func(t *testing.T) {
		rec := &recordingTB{TB: t}
		MustAccessiblePage(rec, []byte(good))
		if rec.errors.Len() > 0 {
			t.Errorf("errors on a good page: %s", rec.errors.String())
		}
	})
}

// recordingTB records Errorf calls instead of failing the test.
type recordingTB struct {
	testing.TB
	errors strings.Builder
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.errors.WriteString(strings.TrimSpace(fmt.Sprintf(format, args...)) + "\n")
}
