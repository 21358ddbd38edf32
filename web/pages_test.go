package web_test

import (
	"bytes"
	"net/http"
	"net/url"
	"os"
	"path"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"gongkai/catalogue"
	"gongkai/search"
)

// MustPage fetches a public page, checks its status, that it is HTML with
// the security headers, that every page's accessibility rules hold and
// that nothing on it needs an inline script or style the CSP forbids.
func (f *Fixture) MustPage(tb testing.TB, path string, wantStatus int, cookies ...*http.Cookie) (*html.Node, string) {
	tb.Helper()
	req := mustRequest(tb, http.MethodGet, f.URL+path, nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, body := f.Do(tb, req)
	if resp.StatusCode != wantStatus {
		tb.Fatalf("GET %s: status %d, want %d", path, resp.StatusCode, wantStatus)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		tb.Errorf("GET %s: Content-Type %q, want text/html; charset=utf-8", path, ct)
	}
	mustSecurityHeaders(tb, resp)
	doc := MustAccessiblePage(tb, body)
	for _, n := range findAll(doc, func(n *html.Node) bool {
		_, style := attr(n, "style")
		_, src := attr(n, "src")
		return style || n.DataAtom == atom.Style || (n.DataAtom == atom.Script && !src)
	}) {
		tb.Errorf("GET %s: inline <%s> or style attribute, which the CSP blocks", path, n.Data)
	}
	return doc, string(body)
}

func mustSecurityHeaders(tb testing.TB, resp *http.Response) {
	tb.Helper()
	h := resp.Header
	if v := h.Get("X-Content-Type-Options"); v != "nosniff" {
		tb.Errorf("%s: X-Content-Type-Options %q, want nosniff", resp.Request.URL.Path, v)
	}
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'self'", "form-action 'self'"} {
		if !strings.Contains(csp, want) {
			tb.Errorf("%s: Content-Security-Policy %q lacks %q", resp.Request.URL.Path, csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		tb.Errorf("%s: Content-Security-Policy %q allows inline code", resp.Request.URL.Path, csp)
	}
	if v := h.Get("X-Frame-Options"); v != "DENY" {
		tb.Errorf("%s: X-Frame-Options %q, want DENY", resp.Request.URL.Path, v)
	}
	if v := h.Get("Referrer-Policy"); v == "" {
		tb.Errorf("%s: no Referrer-Policy", resp.Request.URL.Path)
	}
}

// hitLinks returns the entry links of a result list or catalogue table, in order.
func hitLinks(doc *html.Node) []string {
	var out []string
	for _, a := range findAll(doc, byTag(atom.A)) {
		href, _ := attr(a, "href")
		if strings.HasPrefix(href, "/entries/") && (insideTag(a, atom.Ol) || insideTag(a, atom.Table) || insideTag(a, atom.Ul)) {
			out = append(out, strings.TrimPrefix(href, "/entries/"))
		}
	}
	return out
}

// metaTable returns the entry page's metadata table as label → value.
func metaTable(doc *html.Node) map[string]string {
	out := map[string]string{}
	for _, tr := range findAll(doc, byTag(atom.Tr)) {
		var cells []*html.Node
		for c := tr.FirstChild; c != nil; c = c.NextSibling {
			if c.DataAtom == atom.Th || c.DataAtom == atom.Td {
				cells = append(cells, c)
			}
		}
		for i := 0; i+1 < len(cells); i += 2 {
			if cells[i].DataAtom == atom.Th {
				out[strings.TrimSpace(text(cells[i]))] = strings.TrimSpace(text(cells[i+1]))
			}
		}
	}
	return out
}

func TestPages(t *testing.T) {
	f := sharedServer(t)
	recs := MustRecords(t)
	all := allHits(t, f)
	rules := f.ID(t, lineRules)

	t.Run("HomeShowsLatestAndCategories", func(t *testing.T) {
		doc, body := f.MustPage(t, "/", http.StatusOK)
		if !strings.Contains(body, "本目录共公开 <strong>10</strong> 条政府信息") {
			t.Errorf("home page lacks the count of 10 entries")
		}
		if links := hitLinks(doc); len(links) == 0 || links[0] != f.ID(t, lineFunctions) {
			t.Errorf("home latest %v, want the newest %s first", links, f.ID(t, lineFunctions))
		}
		tiles := map[string]string{} // category link → its text
		for _, a := range findAll(doc, byTag(atom.A)) {
			href, _ := attr(a, "href")
			if u, err := url.Parse(href); err == nil && u.Path == "/catalogue" && u.Query().Get("category") != "" {
				tiles[u.Query().Get("category")] = text(a)
			}
		}
		if got := tiles["政策法规及规范性文件"]; got != "政策法规及规范性文件3 条" {
			t.Errorf("政策法规及规范性文件 tile %q, want it to link the class and count 3 条; tiles %v", got, tiles)
		}
		if len(tiles) != 6 {
			t.Errorf("%d category tiles, want the 6 classes of the test catalogue: %v", len(tiles), tiles)
		}
		if len(findAll(doc, func(n *html.Node) bool { return n.DataAtom == atom.Form && hasClass(n, "searchbox") })) != 1 {
			t.Errorf("home page has no search box")
		}
	})

	t.Run("CatalogueListsAllNewestFirst", func(t *testing.T) {
		doc, body := f.MustPage(t, "/catalogue", http.StatusOK)
		var heads []string
		for _, th := range findAll(doc, func(n *html.Node) bool { return n.DataAtom == atom.Th && insideTag(n, atom.Thead) }) {
			heads = append(heads, text(th))
		}
		if strings.Join(heads, ",") != "索引号,名称,内容概述,生成日期,发布日期 ↓" {
			t.Errorf("catalogue headers %v, want 索引号 名称 内容概述 生成日期 发布日期 ↓", heads)
		}
		if got := hitLinks(doc); strings.Join(got, ",") != strings.Join(hitIDs(all), ",") {
			t.Errorf("catalogue rows %v, want %v", got, hitIDs(all))
		}
		if !strings.Contains(body, "共 10 条") || !strings.Contains(body, rulesIndexNo) || !strings.Contains(body, rulesDocNo) {
			t.Errorf("catalogue lacks the count, the 索引号 or the 文号 of the rules")
		}
	})

	t.Run("PageBeyondTheLast", func(t *testing.T) {
		// A page past the end says so and leads to the last one, on the
		// catalogue and in search results, rather than "第 7–3 条".
		for _, path := range []string{
			"/catalogue?" + url.Values{"category": {"政策法规及规范性文件"}, "size": {"2"}, "page": {"4"}}.Encode(),
			"/search?" + url.Values{"category": {"政策法规及规范性文件"}, "size": {"2"}, "page": {"4"}, "sort": {"date"}}.Encode(),
		} {
			doc, body := f.MustPage(t, path, http.StatusOK)
			if !strings.Contains(body, "共 2 页，没有第 4 页") || strings.Contains(body, "显示第") || strings.Contains(body, "没有找到") {
				t.Errorf("%s: want 共 2 页，没有第 4 页 and neither 显示第 nor 没有找到", path)
			}
			last := findAll(doc, func(n *html.Node) bool { return n.DataAtom == atom.A && text(n) == "转到最后一页" })
			if len(last) != 1 {
				t.Fatalf("%s: no link to the last page", path)
			}
			if href, _ := attr(last[0], "href"); !strings.Contains(href, "page=2") || !strings.Contains(href, "size=2") {
				t.Errorf("%s: last page link %q", path, href)
			}
			// The pager leads back to pages that exist.
			for _, a := range findAll(doc, func(n *html.Node) bool { return n.DataAtom == atom.A && insideTag(n, atom.Nav) }) {
				if href, _ := attr(a, "href"); strings.Contains(href, "page=") && !strings.Contains(href, "page=1") && !strings.Contains(href, "page=2") {
					t.Errorf("%s: pager link %q to a page past the last", path, href)
				}
			}
			if prev := findAll(doc, func(n *html.Node) bool { r, _ := attr(n, "rel"); return r == "prev" }); len(prev) != 1 {
				t.Errorf("%s: no link back from past the last page", path)
			} else if href, _ := attr(prev[0], "href"); !strings.Contains(href, "page=2") {
				t.Errorf("%s: previous page link %q, want the last page", path, href)
			}
		}
	})

	t.Run("CatalogueFilteredPage2", func(t *testing.T) {
		path := "/catalogue?" + url.Values{"category": {"政策法规及规范性文件"}, "size": {"2"}, "page": {"2"}}.Encode()
		doc, body := f.MustPage(t, path, http.StatusOK)
		if got := hitLinks(doc); len(got) != 1 || got[0] != rules {
			t.Errorf("%s rows %v, want only the oldest of the class, %s", path, got, rules)
		}
		if !strings.Contains(body, "共 3 条") || !strings.Contains(body, "当前显示第 3–3 条") {
			t.Errorf("%s lacks 共 3 条 and 当前显示第 3–3 条", path)
		}
		current := findAll(doc, func(n *html.Node) bool {
			v, _ := attr(n, "aria-current")
			return n.DataAtom == atom.A && v == "page" && insideTag(n, atom.Nav) && strings.Contains(text(n), "第 2 页")
		})
		if len(current) != 1 {
			t.Errorf("%s: the pager does not mark page 2 as current", path)
		}
		prev := findAll(doc, func(n *html.Node) bool { r, _ := attr(n, "rel"); return r == "prev" })
		if len(prev) != 1 {
			t.Fatalf("%s: no link to the previous page", path)
		}
		if href, _ := attr(prev[0], "href"); !strings.Contains(href, "page=1") || !strings.Contains(href, "category=") || !strings.Contains(href, "size=2") {
			t.Errorf("previous page link %q loses the filter or the size", href)
		}
	})

	t.Run("CatalogueDefaultPage2IsEmptyNot404", func(t *testing.T) {
		_, body := f.MustPage(t, "/catalogue?category="+url.QueryEscape("其他")+"&page=2", http.StatusOK)
		if !strings.Contains(body, "没有第 2 页") {
			t.Errorf("a page past the last does not say so")
		}
	})

	t.Run("SearchHighlightsAndEscapes", func(t *testing.T) {
		doc, body := f.MustPage(t, "/search?q="+url.QueryEscape("增加值"), http.StatusOK)
		if got := hitLinks(doc); len(got) != 1 || got[0] != f.ID(t, lineStats) {
			t.Errorf("results %v, want %s", got, f.ID(t, lineStats))
		}
		if len(findAll(doc, byTag(atom.Mark))) == 0 || !strings.Contains(body, "<mark>增加值</mark>") {
			t.Errorf("no <mark>增加值</mark> on the results page")
		}
		if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("the body's <script> is not shown escaped")
		}
		if len(findAll(doc, byTag(atom.Script))) != 0 || strings.Contains(body, "<script>alert") {
			t.Errorf("the body's <script> reached the page as markup")
		}
		if !strings.Contains(body, "<title>“增加值”的检索结果") {
			t.Errorf("the page title does not name the query")
		}
		input := findAll(doc, func(n *html.Node) bool {
			v, _ := attr(n, "name")
			typ, _ := attr(n, "type")
			return n.DataAtom == atom.Input && v == "q" && typ != "hidden"
		})
		if len(input) != 1 {
			t.Fatalf("%d search inputs, want 1", len(input))
		}
		if v, _ := attr(input[0], "value"); v != "增加值" {
			t.Errorf("search box value %q, want the query", v)
		}
	})

	t.Run("SearchByDocNoPutsEntryFirst", func(t *testing.T) {
		doc, _ := f.MustPage(t, "/search?q="+url.QueryEscape("韶工信[2019]12号"), http.StatusOK)
		if got := hitLinks(doc); len(got) == 0 || got[0] != rules {
			t.Errorf("results %v, want %s first", got, rules)
		}
	})

	// Bleve normalises scores (queryNorm), so an exact match scores about
	// 1.3, never the boostExact/10 = 100 that search.Index.Search waits for:
	// Result.Exact is always empty and the notice never shows.
	t.Run("SearchByDocNoSaysSo", func(t *testing.T) {
		_, body := f.MustPage(t, "/search?q="+url.QueryEscape("韶工信[2019]12号"), http.StatusOK)
		if !strings.Contains(body, "已按文号找到对应的信息") {
			t.Errorf("the page does not say the 文号 was recognised")
		}
	})

	t.Run("SearchByIndexNoSaysSo", func(t *testing.T) {
		_, body := f.MustPage(t, "/search?q="+url.QueryEscape(rulesIndexNo), http.StatusOK)
		if !strings.Contains(body, "已按索引号找到对应的信息") {
			t.Errorf("the page does not say the 索引号 was recognised")
		}
	})

	t.Run("SearchWithFiltersShowsFacetsAndClear", func(t *testing.T) {
		doc, body := f.MustPage(t, "/search?q="+url.QueryEscape("韶关")+"&organ="+url.QueryEscape("韶关市人民政府"), http.StatusOK)
		if len(hitLinks(doc)) != 2 {
			t.Errorf("韶关 organ=韶关市人民政府: %d results, want 2", len(hitLinks(doc)))
		}
		if !strings.Contains(body, "清除全部筛选条件") || !strings.Contains(body, "取消“韶关市人民政府”") {
			t.Errorf("a filtered search offers no way to clear the filter")
		}
	})

	t.Run("SearchEmptyQueryBrowses", func(t *testing.T) {
		doc, body := f.MustPage(t, "/search?q=", http.StatusOK)
		if !strings.Contains(body, "全部信息：共找到 <strong>10</strong> 条") {
			t.Errorf("browse page lacks 全部信息：共找到 10 条")
		}
		if got := hitLinks(doc); strings.Join(got, ",") != strings.Join(hitIDs(all), ",") {
			t.Errorf("browse results %v, want %v", got, hitIDs(all))
		}
	})

	t.Run("SearchNothingFoundHelps", func(t *testing.T) {
		_, body := f.MustPage(t, "/search?q="+url.QueryEscape("火星探测"), http.StatusOK)
		if !strings.Contains(body, "没有找到符合条件的信息") {
			t.Errorf("no-results page lacks its heading")
		}
	})

	t.Run("SearchOverlongQueryIs400Page", func(t *testing.T) {
		doc, body := f.MustPage(t, "/search?q="+url.QueryEscape(strings.Repeat("检", 10_000)), http.StatusBadRequest)
		if !strings.Contains(body, "检索词过长") || !strings.Contains(body, `role="alert"`) {
			t.Errorf("400 page does not explain the query is too long")
		}
		// The box holds the query to correct, cut to the length allowed,
		// not all 10,000 characters again.
		if v := searchBoxValue(t, doc); utf8.RuneCountInString(v) != search.MaxQueryRunes {
			t.Errorf("the search box holds %d characters, want %d", utf8.RuneCountInString(v), search.MaxQueryRunes)
		}
	})

	t.Run("SearchOfSignsOnlyIs400PageWithTheBox", func(t *testing.T) {
		q := `+-:^*"~()`
		doc, body := f.MustPage(t, "/search?q="+url.QueryEscape(q), http.StatusBadRequest)
		if !strings.Contains(body, "没有可以检索的文字") || !strings.Contains(body, `role="alert"`) {
			t.Errorf("400 page does not say there is nothing to search")
		}
		if v := searchBoxValue(t, doc); v != q {
			t.Errorf("the search box holds %q, want %q to correct", v, q)
		}
	})

	t.Run("SearchBadPageIs400Page", func(t *testing.T) {
		_, body := f.MustPage(t, "/search?q=x&page=0", http.StatusBadRequest)
		if !strings.Contains(body, "page") {
			t.Errorf("400 page does not name the bad parameter")
		}
	})

	t.Run("EntryShowsMetadataBodyAndAttachment", func(t *testing.T) {
		r := recs[lineRules]
		doc, body := f.MustPage(t, "/entries/"+rules, http.StatusOK)
		meta := metaTable(doc)
		for label, want := range map[string]string{
			"索引号": rulesIndexNo, "发布机构": r.Organ, "生成日期": "2019年12月2日", "发布日期": "2019年12月5日",
			"文号": rulesDocNo, "主题分类": r.Topic, "有效性": "有效", "目录分类": r.Category, "文种": r.DocType,
			"主题词": "政府信息公开、工作制度",
		} {
			if meta[label] != want {
				t.Errorf("metadata %s = %q, want %q", label, meta[label], want)
			}
		}
		h1 := findAll(doc, byTag(atom.H1))
		if len(h1) != 1 || text(h1[0]) != r.Title {
			t.Errorf("page heading is not the title %q", r.Title)
		}
		if !strings.Contains(body, "<p>属于主动公开范围的政府信息，应当自信息形成或者变更之日起20个工作日内予以公开。本局编制政府信息公开年度工作报告。</p>") {
			t.Errorf("entry page lacks the body paragraphs")
		}
		var e entryJSON
		f.GetJSON(t, "/api/v1/entries/"+rules, http.StatusOK, &e)
		att := findAll(doc, func(n *html.Node) bool {
			h, _ := attr(n, "href")
			return n.DataAtom == atom.A && h == e.Attachments[0].URL
		})
		if len(att) != 1 || text(att[0]) != rulesAttachmentName {
			t.Errorf("entry page does not link the attachment %s as %s", rulesAttachmentName, e.Attachments[0].URL)
		}
	})

	// On paper a relative /files/… link is no use: the printout gives the
	// attachment's full address (print.css shows data-print-url).
	t.Run("EntryPrintsAttachmentAddress", func(t *testing.T) {
		var e entryJSON
		f.GetJSON(t, "/api/v1/entries/"+rules, http.StatusOK, &e)
		if got := printURLs(t, f, "/entries/"+rules); len(got) != 1 || got[0] != f.URL+e.Attachments[0].URL {
			t.Errorf("entry page print addresses %v, want [%s]", got, f.URL+e.Attachments[0].URL)
		}
		if got := printURLs(t, f, "/kiosk/entries/"+rules); len(got) != 1 || got[0] != f.URL+e.Attachments[0].URL {
			t.Errorf("kiosk entry print addresses %v, want [%s]", got, f.URL+e.Attachments[0].URL)
		}
	})

	t.Run("EntryEscapesBody", func(t *testing.T) {
		doc, body := f.MustPage(t, "/entries/"+f.ID(t, lineStats), http.StatusOK)
		if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") || len(findAll(doc, byTag(atom.Script))) != 0 {
			t.Errorf("the body's <script> is not escaped on the entry page")
		}
	})

	t.Run("EntryShowsValidity", func(t *testing.T) {
		doc, _ := f.MustPage(t, "/entries/"+f.ID(t, lineAbolished), http.StatusOK)
		if v := metaTable(doc)["有效性"]; v != "失效" {
			t.Errorf("有效性 %q, want 失效", v)
		}
	})

	t.Run("UnknownEntryIs404Page", func(t *testing.T) {
		_, body := f.MustPage(t, "/entries/0123456789abcdef0123", http.StatusNotFound)
		if !strings.Contains(body, "<h1>页面不存在</h1>") {
			t.Errorf("404 page lacks its heading")
		}
	})

	t.Run("MalformedEntryIs404Page", func(t *testing.T) {
		f.MustPage(t, "/entries/"+strings.ToUpper(rules), http.StatusNotFound)
		f.MustPage(t, "/entries/..%2F..%2Fetc", http.StatusNotFound)
	})

	t.Run("UnknownRouteIs404Page", func(t *testing.T) {
		_, body := f.MustPage(t, "/no/such/page", http.StatusNotFound)
		if !strings.Contains(body, "<h1>页面不存在</h1>") {
			t.Errorf("404 page lacks its heading")
		}
	})
}

// printURLs returns the attachment addresses the printout of an entry page
// gives: data-print-url on the public page, .k-print-url on the kiosk.
func printURLs(t *testing.T, f *Fixture, path string) []string {
	t.Helper()
	resp, body := f.Get(t, path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range findAll(doc, func(n *html.Node) bool { _, ok := attr(n, "data-print-url"); return ok }) {
		v, _ := attr(n, "data-print-url")
		out = append(out, v)
	}
	for _, n := range findAll(doc, func(n *html.Node) bool { return hasClass(n, "k-print-url") }) {
		out = append(out, strings.TrimPrefix(text(n), "："))
	}
	return out
}

// TestPrintAddressUsesBaseURL: with a configured public address, the
// printed attachment addresses use it, as feeds and QR codes do.
func TestPrintAddressUsesBaseURL(t *testing.T) {
	f := MustServer(t)
	f.Handler.BaseURL = "https://gk.example.gov.cn"
	rules := f.ID(t, lineRules)
	var e entryJSON
	f.GetJSON(t, "/api/v1/entries/"+rules, http.StatusOK, &e)
	want := "https://gk.example.gov.cn" + e.Attachments[0].URL
	for _, p := range []string{"/entries/" + rules, "/kiosk/entries/" + rules} {
		if got := printURLs(t, f, p); len(got) != 1 || got[0] != want {
			t.Errorf("%s: print addresses %v, want [%s]", p, got, want)
		}
	}
}

func TestPagesWithdrawn(t *testing.T) {
	f := MustServer(t)
	rules, letter := f.ID(t, lineRules), f.ID(t, lineLetter)
	f.Withdraw(t, rules, catalogue.Withdrawal{At: time.Date(2024, 3, 1, 2, 30, 0, 0, time.UTC), Reason: "已失效", Note: "内部备注"})
	f.Withdraw(t, letter, catalogue.Withdrawal{At: time.Date(2024, 3, 1, 2, 30, 0, 0, time.UTC), Reason: "涉及个人信息", Hidden: true})

	t.Run("NoticeIs410WithTitleDateAndReason", func(t *testing.T) {
		doc, body := f.MustPage(t, "/entries/"+rules, http.StatusGone)
		h1 := findAll(doc, byTag(atom.H1))
		if len(h1) != 1 || text(h1[0]) != MustRecords(t)[lineRules].Title {
			t.Errorf("withdrawn page heading is not the title")
		}
		for _, want := range []string{"该信息已撤回", "2024年3月1日", "已失效", rulesIndexNo} {
			if !strings.Contains(body, want) {
				t.Errorf("withdrawn page lacks %q", want)
			}
		}
		for _, not := range []string{"为进一步做好政府信息公开工作", "内部备注", rulesAttachmentName, "/files/"} {
			if strings.Contains(body, not) {
				t.Errorf("withdrawn page shows %q", not)
			}
		}
	})

	t.Run("HiddenIs404LikeANeverExistingID", func(t *testing.T) {
		const never = "0123456789abcdef0123"
		_, hidden := f.MustPage(t, "/entries/"+letter, http.StatusNotFound)
		_, unknown := f.MustPage(t, "/entries/"+never, http.StatusNotFound)
		if strings.ReplaceAll(hidden, letter, never) != unknown {
			t.Errorf("the hidden entry's page differs from a never-existing id's")
		}
	})
}

func TestPrefs(t *testing.T) {
	f := sharedServer(t)
	post := func(t *testing.T, toggle, ret string, cookies ...*http.Cookie) *http.Response {
		t.Helper()
		form := url.Values{"toggle": {toggle}, "return": {ret}}
		req := mustRequest(t, http.MethodPost, f.URL+"/prefs", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range cookies {
			req.AddCookie(c)
		}
		resp, _ := f.Do(t, req)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST /prefs: status %d, want 303", resp.StatusCode)
		}
		return resp
	}
	prefsCookie := func(t *testing.T, resp *http.Response) *http.Cookie {
		t.Helper()
		for _, c := range resp.Cookies() {
			if c.Name == "gk_prefs" {
				return c
			}
		}
		t.Fatalf("POST /prefs set no gk_prefs cookie: %v", resp.Header["Set-Cookie"])
		return nil
	}

	var large *http.Cookie
	t.Run("LargeSetsCookieAndGoesBack", func(t *testing.T) {
		resp := post(t, "large", "/catalogue?page=2&category=%E5%85%B6%E4%BB%96")
		if loc := resp.Header.Get("Location"); loc != "/catalogue?page=2&category=%E5%85%B6%E4%BB%96" {
			t.Errorf("Location %q, want the return path", loc)
		}
		large = prefsCookie(t, resp)
		if large.Value != "large" || !large.HttpOnly || large.Path != "/" || large.SameSite != http.SameSiteLaxMode || large.MaxAge <= 0 {
			t.Errorf("cookie %+v, want gk_prefs=large; Path=/; HttpOnly; SameSite=Lax; a Max-Age", large)
		}
	})

	t.Run("NextPageHasLargeText", func(t *testing.T) {
		if large == nil {
			t.Skip("no cookie")
		}
		doc, _ := f.MustPage(t, "/", http.StatusOK, large)
		root := findAll(doc, byTag(atom.Html))[0]
		if !hasClass(root, "large-text") {
			t.Errorf(`<html> lacks class="large-text"`)
		}
		pressed := findAll(doc, func(n *html.Node) bool { v, _ := attr(n, "value"); return n.DataAtom == atom.Button && v == "large" })
		if len(pressed) != 1 {
			t.Fatalf("no 大字 button")
		}
		if v, _ := attr(pressed[0], "aria-pressed"); v != "true" {
			t.Errorf("大字 button aria-pressed %q, want true", v)
		}
		if plain, _ := f.MustPage(t, "/", http.StatusOK); hasClass(findAll(plain, byTag(atom.Html))[0], "large-text") {
			t.Errorf("large-text without the cookie")
		}
	})

	t.Run("SecondToggleTurnsItOff", func(t *testing.T) {
		if large == nil {
			t.Skip("no cookie")
		}
		off := prefsCookie(t, post(t, "large", "/", large))
		both := prefsCookie(t, post(t, "contrast", "/", large))
		if off.Value != "" || both.Value != "large.contrast" {
			t.Errorf("large again: %q, want empty; contrast: %q, want large.contrast", off.Value, both.Value)
		}
		doc, _ := f.MustPage(t, "/search?q=", http.StatusOK, both)
		root := findAll(doc, byTag(atom.Html))[0]
		if !hasClass(root, "large-text") || !hasClass(root, "high-contrast") {
			t.Errorf("both preferences set, <html> classes do not show both")
		}
	})

	for name, ret := range map[string]string{
		"ProtocolRelative":     "//evil.example",
		"ProtocolRelativePath": "//evil.example/entries",
		"AbsoluteURL":          "https://evil.example",
		"Backslash":            `/\evil.example`,
		"Javascript":           "javascript:alert(1)",
		"Relative":             "catalogue",
		"Empty":                "",
		"HeaderInjection":      "/\r\nSet-Cookie: x=y",
	} {
		t.Run(name+"ReturnGoesHome", func(t *testing.T) {
			resp := post(t, "large", ret)
			if loc := resp.Header.Get("Location"); loc != "/" {
				t.Errorf("return %q: Location %q, want /", ret, loc)
			}
		})
	}

	// Browsers remove tabs and newlines from a URL before resolving it, so
	// "/\t/evil.example" is followed to //evil.example: an open redirect.
	t.Run("TabInReturnGoesHome", func(t *testing.T) {
		for _, ret := range []string{"/\t/evil.example", "/\t\\evil.example", "\t//evil.example"} {
			resp := post(t, "large", ret)
			if loc := resp.Header.Get("Location"); loc != "/" {
				t.Errorf("return %q: Location %q, want /", ret, loc)
			}
		}
	})
}

func TestStaticAssets(t *testing.T) {
	f := sharedServer(t)
	doc, _ := f.MustPage(t, "/", http.StatusOK)
	var hrefs []string
	for _, l := range findAll(doc, byTag(atom.Link)) {
		if rel, _ := attr(l, "rel"); rel == "stylesheet" {
			href, _ := attr(l, "href")
			hrefs = append(hrefs, href)
		}
	}
	if len(hrefs) != 2 {
		t.Fatalf("stylesheets %v, want app.css and print.css", hrefs)
	}
	hashed := regexp.MustCompile(`^/static/[0-9a-f]{12}/(app|print)\.css$`)

	t.Run("CSSIsServedImmutable", func(t *testing.T) {
		for _, href := range hrefs {
			if !hashed.MatchString(href) {
				t.Errorf("stylesheet URL %q is not content-hashed", href)
			}
			resp, body := f.Get(t, href)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: status %d", href, resp.StatusCode)
			}
			if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
				t.Errorf("GET %s: Cache-Control %q", href, cc)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
				t.Errorf("GET %s: Content-Type %q, want text/css", href, ct)
			}
			want, err := staticFile(href)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(body, want) {
				t.Errorf("GET %s: %d bytes, not the content of the file", href, len(body))
			}
			mustSecurityHeaders(t, resp)
		}
	})

	for name, path := range map[string]string{
		"UnknownHash":     "/static/000000000000/app.css",
		"NoHash":          "/static/app.css",
		"UnknownFile":     strings.Replace(hrefs[0], "app.css", "evil.css", 1),
		"Traversal":       strings.Replace(hrefs[0], "app.css", "..%2F..%2Ftemplates%2Fhome.html", 1),
		"StaticDirectory": "/static/",
	} {
		t.Run(name+"Is404", func(t *testing.T) {
			resp, _ := f.Get(t, path)
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: status %d, want 404", path, resp.StatusCode)
			}
			if cc := resp.Header.Get("Cache-Control"); strings.Contains(cc, "immutable") {
				t.Errorf("GET %s: a 404 is cached forever: %q", path, cc)
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	f := sharedServer(t)
	for name, path := range map[string]string{
		"Page": "/", "APISearch": "/api/v1/search?q=x", "API404": "/api/v1/entries/nope", "Page404": "/no/such/page",
		"Health": "/healthz", "API400": "/api/v1/search?page=0", "Download404": "/files/0123456789abcdef0123/00",
	} {
		t.Run(name+"HasThem", func(t *testing.T) {
			resp, _ := f.Get(t, path)
			mustSecurityHeaders(t, resp)
		})
	}
}

// staticFile returns the file under web/static that an asset URL serves.
func staticFile(href string) ([]byte, error) { return os.ReadFile("static/" + path.Base(href)) }

// searchBoxValue returns the value of the page's one search box (input q).
func searchBoxValue(t *testing.T, doc *html.Node) string {
	t.Helper()
	boxes := findAll(doc, func(n *html.Node) bool {
		name, _ := attr(n, "name")
		return n.DataAtom == atom.Input && name == "q"
	})
	if len(boxes) == 0 {
		t.Fatal("the page has no search box")
	}
	v, _ := attr(boxes[0], "value")
	return v
}

// dateInputs returns the search page's 生成日期 form inputs by name.
func dateInputs(doc *html.Node) map[string]*html.Node {
	out := map[string]*html.Node{}
	for _, form := range findAll(doc, func(n *html.Node) bool { return n.DataAtom == atom.Form && hasClass(n, "date-filter") }) {
		for _, in := range findAll(form, byTag(atom.Input)) {
			name, _ := attr(in, "name")
			out[name] = in
		}
	}
	return out
}

// chips returns the active-filter links of a search page: text → href.
func chips(doc *html.Node) map[string]string {
	out := map[string]string{}
	for _, a := range findAll(doc, func(n *html.Node) bool { return n.DataAtom == atom.A && hasClass(n, "chip") }) {
		href, _ := attr(a, "href")
		out[text(a)] = href
	}
	return out
}

// TestSearchDateRange: the search page has a labelled 生成日期 range form
// (a plain GET form keeping the other parameters), and an active range is
// shown above the results with a link that removes it.
func TestSearchDateRange(t *testing.T) {
	f := sharedServer(t)

	t.Run("FormHasLabelledDateInputs", func(t *testing.T) {
		doc, _ := f.MustPage(t, "/search?q=", http.StatusOK) // MustPage checks every input has a label
		in := dateInputs(doc)
		for _, name := range []string{"from", "to"} {
			if in[name] == nil {
				t.Fatalf("the search page has no %s= date input in a date-filter form", name)
			}
			if typ, _ := attr(in[name], "type"); typ != "date" {
				t.Errorf("%s input type %q, want date", name, typ)
			}
		}
		form := findAll(doc, func(n *html.Node) bool { return n.DataAtom == atom.Form && hasClass(n, "date-filter") })[0]
		if m, _ := attr(form, "method"); m != "get" {
			t.Errorf("date form method %q, want get", m)
		}
		if a, _ := attr(form, "action"); a != "/search" {
			t.Errorf("date form action %q, want /search", a)
		}
	})

	organ := "韶关市工业和信息化局"
	path := "/search?" + url.Values{"q": {"韶关"}, "organ": {organ}, "sort": {"date"}, "from": {"2020-01-01"}, "to": {"2021-12-31"}, "page": {"1"}}.Encode()

	t.Run("RangeKeepsOnlyEntriesFormedInIt", func(t *testing.T) {
		doc, _ := f.MustPage(t, "/search?"+url.Values{"organ": {organ}, "from": {"2020-01-01"}, "to": {"2021-12-31"}}.Encode(), http.StatusOK)
		got := hitLinks(doc)
		want := []string{f.ID(t, lineAward), f.ID(t, lineReport)} // formed 2021-09-01 and 2021-01-20
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("results %v, want %v", got, want)
		}
	})

	t.Run("FormKeepsTheOtherParameters", func(t *testing.T) {
		doc, _ := f.MustPage(t, path, http.StatusOK)
		in := dateInputs(doc)
		if in["from"] == nil || in["to"] == nil {
			t.Fatalf("the search page has no from= and to= date inputs")
		}
		if v, _ := attr(in["from"], "value"); v != "2020-01-01" {
			t.Errorf("from input value %q, want the range in force", v)
		}
		if v, _ := attr(in["to"], "value"); v != "2021-12-31" {
			t.Errorf("to input value %q, want the range in force", v)
		}
		for name, want := range map[string]string{"q": "韶关", "organ": organ, "sort": "date"} {
			if in[name] == nil {
				t.Errorf("the date form drops %s=", name)
				continue
			}
			if typ, _ := attr(in[name], "type"); typ != "hidden" {
				t.Errorf("%s= in the date form is a %q input, want hidden", name, typ)
			}
			if v, _ := attr(in[name], "value"); v != want {
				t.Errorf("the date form carries %s=%q, want %q", name, v, want)
			}
		}
		if in["page"] != nil {
			t.Errorf("the date form carries page=: a new range starts on page 1")
		}
	})

	t.Run("ActiveRangeIsAChipThatRemovesIt", func(t *testing.T) {
		doc, _ := f.MustPage(t, path, http.StatusOK)
		var href string
		for label, h := range chips(doc) {
			if strings.HasPrefix(label, "生成日期 2020-01-01 至 2021-12-31") {
				href = h
			}
		}
		if href == "" {
			t.Fatalf("no chip reads 生成日期 2020-01-01 至 2021-12-31; chips %v", chips(doc))
		}
		u, err := url.Parse(href)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		if u.Path != "/search" || q.Has("from") || q.Has("to") || q.Has("page") || q.Get("q") != "韶关" || q.Get("organ") != organ || q.Get("sort") != "date" {
			t.Errorf("the chip leads to %q, want the same search without from, to and page", href)
		}
		// The other filter is a chip of its own, which keeps the range.
		if h := chips(doc)["发布机构："+organ+"×（取消这个条件）"]; !strings.Contains(h, "from=2020-01-01") || strings.Contains(h, "organ=") {
			t.Errorf("the organ chip leads to %q, want the range kept and the organ gone", h)
		}
	})

	t.Run("OneSidedRangesSaySo", func(t *testing.T) {
		for query, want := range map[string]string{"from=2021-01-01": "生成日期 2021-01-01 起", "to=2020-12-31": "生成日期 截至 2020-12-31"} {
			doc, _ := f.MustPage(t, "/search?"+query, http.StatusOK)
			found := false
			for label := range chips(doc) {
				found = found || strings.HasPrefix(label, want)
			}
			if !found {
				t.Errorf("%s: no chip reads %q; chips %v", query, want, chips(doc))
			}
		}
	})

	t.Run("NoRangeNoChip", func(t *testing.T) {
		doc, _ := f.MustPage(t, "/search?q=", http.StatusOK)
		if c := chips(doc); len(c) != 0 {
			t.Errorf("an unfiltered search shows chips %v", c)
		}
	})

	t.Run("BadDatesAre400Pages", func(t *testing.T) {
		for query, want := range map[string]string{"from=2020-13-01": "格式不正确", "from=2021-01-01&to=2020-01-01": "结束日期早于开始日期"} {
			_, body := f.MustPage(t, "/search?"+query, http.StatusBadRequest)
			if !strings.Contains(body, want) || !strings.Contains(body, `role="alert"`) {
				t.Errorf("%s: the 400 page does not say %q", query, want)
			}
		}
	})
}

// TestFacetsLink: the search page and the catalogue have a 筛选 link above
// their results to the filters region (id="facets", headed 筛选), which
// follows the results and the pager in the page, as a phone shows it, so
// the keyboard meets them in the order they are seen.
func TestFacetsLink(t *testing.T) {
	f := sharedServer(t)
	for _, path := range []string{"/search?q=", "/search?q=" + url.QueryEscape("韶关"), "/catalogue", "/catalogue?size=2&category=" + url.QueryEscape("政策法规及规范性文件")} {
		t.Run(path, func(t *testing.T) {
			doc, _ := f.MustPage(t, path, http.StatusOK)
			order := map[*html.Node]int{}
			for i, n := range findAll(doc, func(*html.Node) bool { return true }) {
				order[n] = i
			}
			region := findAll(doc, func(n *html.Node) bool { id, _ := attr(n, "id"); return id == "facets" })
			if len(region) != 1 {
				t.Fatalf("no element with id=facets")
			}
			h2 := findAll(region[0], byTag(atom.H2))
			if len(h2) == 0 || text(h2[0]) != "筛选" {
				t.Errorf("the filters region is not headed 筛选")
			}
			if by, _ := attr(region[0], "aria-labelledby"); len(h2) > 0 && by == "" {
				t.Errorf("the filters region is not named by its heading")
			}
			jump := findAll(doc, func(n *html.Node) bool { href, _ := attr(n, "href"); return n.DataAtom == atom.A && href == "#facets" })
			if len(jump) != 1 || !strings.Contains(text(jump[0]), "筛选") {
				t.Fatalf("%d links to #facets reading 筛选, want 1", len(jump))
			}
			entries := findAll(doc, func(n *html.Node) bool {
				href, _ := attr(n, "href")
				return n.DataAtom == atom.A && strings.HasPrefix(href, "/entries/")
			})
			if len(entries) == 0 {
				t.Fatal("no results")
			}
			if order[jump[0]] > order[entries[0]] {
				t.Errorf("the 筛选 link comes after the first result")
			}
			if order[region[0]] < order[entries[len(entries)-1]] {
				t.Errorf("the filters come before the results in the page (and so in keyboard order)")
			}
			for _, nav := range findAll(doc, func(n *html.Node) bool { l, _ := attr(n, "aria-label"); return n.DataAtom == atom.Nav && l == "分页" }) {
				if order[region[0]] < order[nav] {
					t.Errorf("the filters come before the pager in the page")
				}
			}
		})
	}
}

// cellsByLabel returns, for each row of the catalogue table, its cells'
// text by their data-label.
func cellsByLabel(doc *html.Node) []map[string]string {
	var out []map[string]string
	for _, tr := range findAll(doc, func(n *html.Node) bool { return n.DataAtom == atom.Tr && insideTag(n, atom.Tbody) }) {
		row := map[string]string{}
		for _, td := range findAll(tr, byTag(atom.Td)) {
			l, _ := attr(td, "data-label")
			row[l] = strings.TrimSpace(text(td))
		}
		out = append(out, row)
	}
	return out
}

// TestDatesSaySo: the catalogue is ordered by 发布日期, so its table shows
// 发布日期 beside 生成日期 and says the order; the home page's latest
// entries and the search results say which date they show.
func TestDatesSaySo(t *testing.T) {
	f := sharedServer(t)

	t.Run("CatalogueShowsPublicationDateInItsOrder", func(t *testing.T) {
		doc, _ := f.MustPage(t, "/catalogue", http.StatusOK)
		rows := cellsByLabel(doc)
		if len(rows) != catalogueSize {
			t.Fatalf("%d rows, want %d", len(rows), catalogueSize)
		}
		for i, r := range rows {
			if r["发布日期"] == "" || r["生成日期"] == "" {
				t.Errorf("row %d lacks a 发布日期 or a 生成日期: %v", i+1, r)
			}
			if i > 0 && r["发布日期"] > rows[i-1]["发布日期"] {
				t.Errorf("row %d published %s after row %d's %s: not newest first by 发布日期", i+1, r["发布日期"], i, rows[i-1]["发布日期"])
			}
			if strings.Contains(r["名称"], "工作制度") && (r["生成日期"] != "2019-12-02" || r["发布日期"] != "2019-12-05") {
				t.Errorf("the rules' row: 生成日期 %q, 发布日期 %q, want 2019-12-02 and 2019-12-05", r["生成日期"], r["发布日期"])
			}
		}
		sorted := findAll(doc, func(n *html.Node) bool {
			v, _ := attr(n, "aria-sort")
			return n.DataAtom == atom.Th && v == "descending"
		})
		if len(sorted) != 1 || !strings.HasPrefix(text(sorted[0]), "发布日期") {
			t.Errorf("the 发布日期 header is not marked aria-sort=descending")
		}
		caption := findAll(doc, byTag(atom.Caption))
		if len(caption) != 1 || !strings.Contains(text(caption[0]), "按发布日期由新到旧") {
			t.Errorf("the table's caption does not say it is ordered by 发布日期")
		}
	})

	t.Run("HomeLatestSaysPublicationDate", func(t *testing.T) {
		doc, _ := f.MustPage(t, "/", http.StatusOK)
		section := findAll(doc, func(n *html.Node) bool { return n.DataAtom == atom.Section && hasClass(n, "latest") })
		if len(section) != 1 {
			t.Fatal("no latest-entries section")
		}
		items := findAll(section[0], byTag(atom.Li))
		if len(items) == 0 {
			t.Fatal("no latest entries")
		}
		for _, li := range items {
			if !strings.Contains(text(li), "发布日期 ") {
				t.Errorf("latest entry %q does not say its date is the 发布日期", text(li))
			}
		}
	})

	t.Run("SearchResultsShowPublicationDate", func(t *testing.T) {
		_, body := f.MustPage(t, "/search?q="+url.QueryEscape(rulesIndexNo), http.StatusOK)
		if !strings.Contains(body, "<dt>发布日期</dt><dd><time datetime=\"2019-12-05\">2019年12月5日</time>") {
			t.Errorf("the rules' hit does not show its 发布日期 2019年12月5日")
		}
		if !strings.Contains(body, "按发布日期") {
			t.Errorf("the sort by date does not say which date")
		}
	})
}

// TestCatalogueDateRange: the catalogue has the search page's 生成日期
// form, keeps its filters in it, and shows a range in force as a link
// that removes it.
func TestCatalogueDateRange(t *testing.T) {
	f := sharedServer(t)
	organ := "韶关市工业和信息化局"
	doc, _ := f.MustPage(t, "/catalogue?"+url.Values{"organ": {organ}, "from": {"2020-01-01"}, "to": {"2021-12-31"}}.Encode(), http.StatusOK)
	in := dateInputs(doc)
	if in["from"] == nil || in["to"] == nil {
		t.Fatal("the catalogue has no from= and to= date inputs")
	}
	if v, _ := attr(in["from"], "value"); v != "2020-01-01" {
		t.Errorf("from input value %q, want the range in force", v)
	}
	form := findAll(doc, func(n *html.Node) bool { return n.DataAtom == atom.Form && hasClass(n, "date-filter") })[0]
	if a, _ := attr(form, "action"); a != "/catalogue" {
		t.Errorf("date form action %q, want /catalogue", a)
	}
	kept := false
	for _, n := range findAll(form, byTag(atom.Input)) {
		name, _ := attr(n, "name")
		v, _ := attr(n, "value")
		kept = kept || name == "organ" && v == organ
	}
	if !kept {
		t.Errorf("the date form does not keep the organ filter")
	}
	var chips []string
	for _, a := range findAll(doc, func(n *html.Node) bool { return n.DataAtom == atom.A && hasClass(n, "chip") }) {
		href, _ := attr(a, "href")
		chips = append(chips, strings.TrimSpace(text(a))+" → "+href)
	}
	want := "生成日期 2020-01-01 至 2021-12-31"
	found := false
	for _, c := range chips {
		found = found || strings.HasPrefix(c, want) && !strings.Contains(c[strings.Index(c, "→"):], "from=")
	}
	if !found {
		t.Errorf("no link removing the range %q among %q", want, chips)
	}
}
