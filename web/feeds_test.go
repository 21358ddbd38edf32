package web_test

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

type atomJSON struct {
	Title   string `xml:"title"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

func TestFeed(t *testing.T) {
	f := sharedServer(t)
	resp, body := f.Get(t, "/feed.atom")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("feed: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var feed atomJSON
	if err := xml.Unmarshal(body, &feed); err != nil {
		t.Fatalf("feed is not XML: %v\n%s", err, body)
	}
	if len(feed.Entries) != catalogueSize {
		t.Errorf("feed has %d entries, want %d", len(feed.Entries), catalogueSize)
	}
	for i := 1; i < len(feed.Entries); i++ {
		if feed.Entries[i].Updated > feed.Entries[i-1].Updated {
			t.Errorf("feed not newest first at %d: %s after %s", i, feed.Entries[i].Updated, feed.Entries[i-1].Updated)
		}
	}
	for _, e := range feed.Entries {
		if !strings.Contains(e.Link.Href, "/entries/") || e.Title == "" {
			t.Errorf("feed entry %+v", e)
		}
	}
	// Per search and per category.
	_, body = f.Get(t, "/feed.atom?q="+url.QueryEscape(rulesDocNo))
	feed = atomJSON{}
	if err := xml.Unmarshal(body, &feed); err != nil || len(feed.Entries) == 0 || len(feed.Entries) == catalogueSize || !strings.Contains(feed.Title, rulesDocNo) {
		t.Errorf("feed for a search: %v %d entries, title %q", err, len(feed.Entries), feed.Title)
	}
	_, body = f.Get(t, "/feed.atom?category="+url.QueryEscape("不存在的分类"))
	feed = atomJSON{}
	if err := xml.Unmarshal(body, &feed); err != nil || len(feed.Entries) != 0 {
		t.Errorf("feed for an empty category: %v %d entries", err, len(feed.Entries))
	}
	if resp, _ := f.Get(t, "/feed.atom?q="+strings.Repeat("长", 300)); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("feed with an over-long query: %d", resp.StatusCode)
	}
}

// TestFeedLinkedFromCatalogue: the catalogue, whole or by class, links the
// feed that follows it.
func TestFeedLinkedFromCatalogue(t *testing.T) {
	f := sharedServer(t)
	for path, want := range map[string]int{
		"/catalogue": catalogueSize,
		"/catalogue?category=" + url.QueryEscape("政策法规及规范性文件") + "&page=2&size=2": 3,
	} {
		doc, _ := f.MustPage(t, path, http.StatusOK)
		feeds := findAll(doc, func(n *html.Node) bool {
			v, _ := attr(n, "type")
			return n.DataAtom == atom.A && v == "application/atom+xml"
		})
		if len(feeds) != 1 {
			t.Errorf("%s: %d feed links, want 1", path, len(feeds))
			continue
		}
		href, _ := attr(feeds[0], "href")
		_, body := f.Get(t, href)
		var feed atomJSON
		if err := xml.Unmarshal(body, &feed); err != nil || len(feed.Entries) != want {
			t.Errorf("%s links %s: %v, %d entries, want %d", path, href, err, len(feed.Entries), want)
		}
	}
}

func TestSitemap(t *testing.T) {
	f := sharedServer(t)
	resp, body := f.Get(t, "/sitemap.xml")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sitemap: %d", resp.StatusCode)
	}
	var set struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(body, &set); err != nil {
		t.Fatal(err)
	}
	entries := 0
	for _, u := range set.URLs {
		if strings.Contains(u.Loc, "/entries/") {
			entries++
			if u.LastMod == "" {
				t.Errorf("no lastmod for %s", u.Loc)
			}
		}
	}
	if entries != catalogueSize {
		t.Errorf("sitemap lists %d entries, want %d", entries, catalogueSize)
	}
	if resp, _ := f.Get(t, "/sitemap-2.xml"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a sitemap part past the end: %d", resp.StatusCode)
	}
	if resp, _ := f.Get(t, "/sitemap-x.xml"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a malformed sitemap part: %d", resp.StatusCode)
	}
}
