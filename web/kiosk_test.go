package web_test

import (
	"bytes"
	"encoding/csv"
	"image/png"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func TestPinyinSearch(t *testing.T) {
	f := sharedServer(t)
	// 韶关市人民政府关于加快推进数字政府建设的实施意见: 数字政府建设 is
	// shuzizhengfujianshe, szzfjs.
	for _, q := range []string{"szzfjs", "shuzizhengfujianshe", "shu zi zheng fu", "SZZFJS"} {
		var res searchJSON
		f.GetJSON(t, "/api/v1/search?q="+url.QueryEscape(q), http.StatusOK, &res)
		if len(res.Hits) == 0 || !strings.Contains(res.Hits[0].Title, "数字政府建设") {
			t.Errorf("pinyin %q: %d hits, first %v", q, len(res.Hits), res.Hits)
		}
	}
	var res searchJSON
	f.GetJSON(t, "/api/v1/search?q=qqqzzzxxx", http.StatusOK, &res)
	if res.Total != 0 {
		t.Errorf("nonsense letters find %d", res.Total)
	}
}

// kioskLinks returns every href of a kiosk page.
func kioskLinks(t *testing.T, body []byte) []string {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				if a.Key == "href" || a.Key == "action" {
					out = append(out, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func TestKiosk(t *testing.T) {
	f := sharedServer(t)
	resp, body := f.Get(t, "/kiosk")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("kiosk: %d", resp.StatusCode)
	}
	page := string(body)
	for _, want := range []string{`lang="zh-CN"`, `data-idle-seconds="120"`, `class="k-keyboard"`, `data-key="g"`, `data-key="通知"`,
		`/kiosk/search?category=`, `<label for="k-q">`} {
		if !strings.Contains(page, want) {
			t.Errorf("kiosk start screen lacks %s", want)
		}
	}
	// Every link and form stays in the kiosk (assets aside).
	pages := []string{"/kiosk", "/kiosk/search?q=szzfjs", "/kiosk/search?category=" + url.QueryEscape("统计数据"), "/kiosk/entries/" + f.ID(t, 1)}
	for _, p := range pages {
		resp, body := f.Get(t, p)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", p, resp.StatusCode)
			continue
		}
		for _, l := range kioskLinks(t, body) {
			if !strings.HasPrefix(l, "/kiosk") && !strings.HasPrefix(l, "/static/") && l != "#main" {
				t.Errorf("%s links out of the kiosk: %s", p, l)
			}
		}
	}
	_, body = f.Get(t, "/kiosk/search?q=szzfjs")
	if !strings.Contains(string(body), "数字政府建设") {
		t.Errorf("kiosk pinyin search does not list the entry")
	}
	_, body = f.Get(t, "/kiosk/entries/"+f.ID(t, 1))
	for _, want := range []string{rulesIndexNo, `data-action="print"`, `/kiosk/qr/` + f.ID(t, 1)} {
		if !strings.Contains(string(body), want) {
			t.Errorf("kiosk entry lacks %s", want)
		}
	}
	// The note under the attachments points to the QR code, which is above it.
	if qr, note := strings.Index(string(body), `class="k-qr"`), strings.Index(string(body), "附件请扫描上方二维码"); qr < 0 || note < qr {
		t.Errorf("kiosk entry: the attachments' note (at %d) does not follow the QR code (at %d)", note, qr)
	}
	resp, body = f.Get(t, "/kiosk/qr/"+f.ID(t, 1))
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("QR: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if img, err := png.Decode(bytes.NewReader(body)); err != nil || img.Bounds().Dx() < 100 {
		t.Errorf("QR image: %v", err)
	}
	if resp, _ := f.Get(t, "/kiosk/entries/0000000000000000000a"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("kiosk, unknown entry: %d", resp.StatusCode)
	}
	if resp, _ := f.Get(t, "/kiosk/qr/0000000000000000000a"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("QR of an unknown entry: %d", resp.StatusCode)
	}
}

// TestKioskUnknownPath: a mistyped or stale kiosk address shows the kiosk's
// own error page, with its script (link blocking, idle reset) and no link
// to the public site; other unknown paths keep the public 404 page.
func TestKioskUnknownPath(t *testing.T) {
	f := sharedServer(t)
	for _, p := range []string{"/kiosk/xyz", "/kiosk/entries", "/kiosk/search/more", "/kiosk/qr"} {
		_, body := f.MustPage(t, p, http.StatusNotFound)
		for _, want := range []string{`class="kiosk`, `/kiosk.js"`, `data-idle-seconds="120"`, "页面不存在", `href="/kiosk"`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: the error page lacks %s", p, want)
			}
		}
		for _, l := range kioskLinks(t, []byte(body)) {
			if !strings.HasPrefix(l, "/kiosk") && !strings.HasPrefix(l, "/static/") && l != "#main" {
				t.Errorf("%s: the error page links out of the kiosk: %s", p, l)
			}
		}
	}
	resp, body := f.Do(t, mustRequest(t, http.MethodPost, f.URL+"/kiosk/search", nil))
	if resp.StatusCode != http.StatusMethodNotAllowed || !strings.Contains(string(body), `/kiosk.js"`) {
		t.Errorf("POST /kiosk/search: %d, kiosk page %v", resp.StatusCode, strings.Contains(string(body), `/kiosk.js"`))
	}
	for _, p := range []string{"/kioskxyz", "/no/such/page"} {
		_, body := f.MustPage(t, p, http.StatusNotFound)
		if strings.Contains(body, `/kiosk.js"`) || !strings.Contains(body, "<h1>页面不存在</h1>") {
			t.Errorf("%s: not the public 404 page", p)
		}
	}
}

// TestKioskPrefsStayInKiosk: the switches return to the kiosk page they
// came from, never to another address, dot segments included.
func TestKioskPrefsStayInKiosk(t *testing.T) {
	f := sharedServer(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for from, want := range map[string]string{
		"/kiosk/search?q=szzfjs": "/kiosk/search?q=szzfjs",
		"/kiosk":                 "/kiosk",
		"/kiosk?":                "/kiosk?",
		"/kiosk/../admin":        "/kiosk",
		"/kiosk/%2e%2e/admin":    "/kiosk",
		"/kiosk/.%2E/admin":      "/kiosk",
		"/kiosk/./../search":     "/kiosk",
		"/kioskx":                "/kiosk",
		"/search?q=a":            "/kiosk",
		"//example.com/kiosk":    "/kiosk",
	} {
		form := url.Values{"toggle": {"large"}, "return": {from}}
		resp, err := client.PostForm(f.URL+"/kiosk/prefs", form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || got != want {
			t.Errorf("switch from %q: %d to %q, want %q", from, resp.StatusCode, got, want)
		}
	}
}

func TestExportCSV(t *testing.T) {
	f := sharedServer(t)
	resp, body := f.Get(t, "/export.csv?category="+url.QueryEscape("政策法规及规范性文件"))
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("export: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if !bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) {
		t.Errorf("no UTF-8 byte order mark")
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
		t.Errorf("Content-Disposition %q", cd)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0][0] != "索引号" || rows[0][1] != "名称" {
		t.Fatalf("export rows: %d, header %v", len(rows), rows[0])
	}
	for _, r := range rows[1:] {
		if r[6] != "政策法规及规范性文件" || !strings.Contains(r[11], "/entries/") {
			t.Errorf("row %v", r)
		}
	}
	resp, _ = f.Get(t, "/export.csv?q="+strings.Repeat("长", 300))
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("export with an over-long query: %d", resp.StatusCode)
	}
}

// kioskBackLink returns the href of a kiosk entry page's 返回检索结果 link,
// or "" when it has none.
func kioskBackLink(t *testing.T, f *Fixture, path string) string {
	t.Helper()
	doc, _ := f.MustPage(t, path, http.StatusOK)
	links := findAll(doc, func(n *html.Node) bool {
		return n.DataAtom == atom.A && strings.Contains(text(n), "返回检索结果")
	})
	if len(links) > 1 {
		t.Fatalf("%s: %d 返回检索结果 links", path, len(links))
	}
	if len(links) == 0 {
		return ""
	}
	href, _ := attr(links[0], "href")
	return href
}

// TestKioskBackToResults: a kiosk browser has no Back button, so a result
// opened from the kiosk's search carries that search (back=) and the entry
// page links back to it; a back= that names anything but the kiosk's
// search with its own parameters gives no link, or one without the rest.
func TestKioskBackToResults(t *testing.T) {
	f := sharedServer(t)
	for _, results := range []string{
		"/kiosk/search?q=szzfjs",
		"/kiosk/search?page=2",
		"/kiosk/search?category=" + url.QueryEscape("政策法规及规范性文件"),
		"/kiosk/search?q=" + url.QueryEscape("工作制度 & 通知") + "&topic=" + url.QueryEscape("工业、交通"),
	} {
		t.Run(results, func(t *testing.T) {
			doc, _ := f.MustPage(t, results, http.StatusOK)
			var entries []string
			for _, a := range findAll(doc, func(n *html.Node) bool { return n.DataAtom == atom.A && hasClass(n, "k-result") }) {
				href, _ := attr(a, "href")
				entries = append(entries, href)
			}
			if len(entries) == 0 {
				t.Fatalf("%s lists no entries", results)
			}
			want, _ := url.Parse(results)
			wantQ := want.Query()
			if !wantQ.Has("page") {
				wantQ.Set("page", "1")
			}
			for _, e := range entries {
				u, err := url.Parse(e)
				if err != nil || !strings.HasPrefix(u.Path, "/kiosk/entries/") {
					t.Fatalf("result link %q", e)
				}
				back := kioskBackLink(t, f, e)
				b, err := url.Parse(back)
				if err != nil || b.Path != "/kiosk/search" || b.Query().Encode() != wantQ.Encode() {
					t.Errorf("%s: 返回检索结果 leads to %q, want /kiosk/search?%s", e, back, wantQ.Encode())
				}
			}
		})
	}

	id := f.ID(t, lineRules)
	for back, want := range map[string]string{
		"":                                  "",
		"//evil.example":                    "",
		"https://evil.example/kiosk/search": "",
		"/admin?q=a":                        "",
		"javascript:alert(1)":               "",
		"%zz":                               "",
		"page=-1":                           "",
		"page=0":                            "",
		"q=a&next=https://evil.example":     "/kiosk/search?q=a",
		"page=x&q=b":                        "/kiosk/search?q=b",
		"q=a%0d%0aSet-Cookie:x&page=3":      "/kiosk/search?page=3&q=a%0D%0ASet-Cookie%3Ax",
		"category=" + url.QueryEscape("其他"): "/kiosk/search?category=" + url.QueryEscape("其他"),
	} {
		got := kioskBackLink(t, f, "/kiosk/entries/"+id+"?back="+url.QueryEscape(back))
		if got != want {
			t.Errorf("back=%q: 返回检索结果 leads to %q, want %q", back, got, want)
		}
	}
}

// TestKioskKeyboardTypesIndexNumbers: an 索引号 such as
// 11440200007041827X/2019-00012 needs - and /, which the on-screen
// keyboard has, with names a screen reader speaks.
func TestKioskKeyboardTypesIndexNumbers(t *testing.T) {
	f := sharedServer(t)
	doc, _ := f.MustPage(t, "/kiosk", http.StatusOK)
	keys := map[string]string{}
	for _, b := range findAll(doc, func(n *html.Node) bool { return n.DataAtom == atom.Button && hasClass(n, "k-key") }) {
		k, _ := attr(b, "data-key")
		name, _ := attr(b, "aria-label")
		keys[k] = name
	}
	for _, k := range strings.Split(strings.ToLower(rulesIndexNo), "") {
		if _, ok := keys[k]; !ok {
			t.Errorf("the keyboard has no %q key to type %s", k, rulesIndexNo)
		}
	}
	for k, name := range map[string]string{"-": "短横线 -", "/": "斜杠 /"} {
		if keys[k] != name {
			t.Errorf("the %q key is named %q, want %q", k, keys[k], name)
		}
	}
}
