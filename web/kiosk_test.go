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
