package web

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/catalogue"
	"gongkai/search"
)

// feedSize is how many entries an Atom feed carries.
const feedSize = 50

// Atom 1.0 (RFC 4287), as much of it as a feed reader needs.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published,omitempty"`
	Link      atomLink   `xml:"link"`
	Author    atomAuthor `xml:"author"`
	Summary   string     `xml:"summary,omitempty"`
	Category  []atomCat  `xml:"category,omitempty"`
}

type atomCat struct {
	Term string `xml:"term,attr"`
}

// baseURL is the site's address as the request reached it.
// The configured BaseURL is used when set: the Host header is the
// client's to choose, so answers built from it are not cached publicly.
func (h *Handler) baseURL(c *gin.Context) string {
	if h.BaseURL != "" {
		return h.BaseURL
	}
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}

// absoluteCache is the Cache-Control of an answer with absolute links:
// public caching only when the links come from the configured address.
func (h *Handler) absoluteCache(maxAge string) string {
	if h.BaseURL != "" {
		return "public, max-age=" + maxAge
	}
	return "no-cache"
}

// feed answers /feed.atom: the newest and most recently updated public
// entries, optionally narrowed by a search (q) and filters (category,
// topic, organ, doc_type, year), so a reader can follow one category or
// one query.
func (h *Handler) feed(c *gin.Context) {
	q, err := parseQuery(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	q.Sort, q.Page, q.Size, q.Facets, q.Highlight = search.SortUpdated, 1, feedSize, false, false
	res, err := h.PublicIndex.Search(c.Request.Context(), q)
	if err != nil {
		h.fail(c, err)
		return
	}
	base := h.baseURL(c)
	self := base + c.Request.URL.RequestURI()
	title := h.site().Name + "政府信息公开"
	switch {
	case q.Text != "":
		title += "：检索“" + q.Text + "”"
	case q.Filters.Category != "":
		title += "：" + q.Filters.Category
	case q.Filters.Topic != "":
		title += "：" + q.Filters.Topic
	}
	f := atomFeed{
		Lang: "zh-CN", ID: self, Title: title, Author: atomAuthor{Name: h.site().Name},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: self}, {Rel: "alternate", Type: "text/html", Href: base + "/search?" + c.Request.URL.RawQuery}},
	}
	updated := time.Time{}
	for _, hit := range res.Hits {
		u := hit.UpdatedAt.Time()
		if u.After(updated) {
			updated = u
		}
		e := atomEntry{
			ID: base + entryURL(hit.ID), Title: hit.Title, Updated: atomTime(hit.UpdatedAt), Published: atomTime(hit.PublishedAt),
			Link: atomLink{Rel: "alternate", Type: "text/html", Href: base + entryURL(hit.ID)}, Author: atomAuthor{Name: hit.Organ},
			Summary: hit.Summary,
		}
		if hit.Category != "" {
			e.Category = append(e.Category, atomCat{Term: hit.Category})
		}
		f.Entries = append(f.Entries, e)
	}
	if updated.IsZero() {
		updated = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	f.Updated = updated.UTC().Format(time.RFC3339)
	c.Header("Cache-Control", h.absoluteCache("300"))
	c.Status(http.StatusOK)
	c.Header("Content-Type", "application/atom+xml; charset=utf-8")
	c.Writer.WriteString(xml.Header)
	enc := xml.NewEncoder(c.Writer)
	enc.Indent("", " ")
	if err := enc.Encode(f); err != nil {
		h.Log.Warn("feed not written", "err", err)
	}
}

func atomTime(d catalogue.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format(time.RFC3339)
}

// sitemapMax is the most URLs one sitemap file may list (sitemaps.org).
const sitemapMax = 50000

type sitemapURLSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

// sitemap answers /sitemap.xml: the site's pages and every public entry,
// or, past 50,000 entries, an index of /sitemap-{n}.xml files.
func (h *Handler) sitemap(c *gin.Context) {
	base := h.baseURL(c)
	n := int(h.PublicIndex.Count())
	if n > sitemapMax {
		idx := sitemapIndex{}
		for i := 1; i <= (n+sitemapMax-1)/sitemapMax; i++ {
			idx.Sitemaps = append(idx.Sitemaps, sitemapURL{Loc: base + "/sitemap-" + strconv.Itoa(i) + ".xml"})
		}
		h.writeXML(c, idx)
		return
	}
	set := sitemapURLSet{URLs: []sitemapURL{{Loc: base + "/"}, {Loc: base + "/catalogue"}}}
	if err := h.sitemapPart(c, base, 0, &set); err != nil {
		h.fail(c, err)
		return
	}
	h.writeXML(c, set)
}

// sitemapPage answers /sitemap-{n}.xml, the n-th 50,000 entries.
func (h *Handler) sitemapPage(c *gin.Context) {
	name := strings.TrimPrefix(c.Request.URL.Path, "/") // sitemap-3.xml
	var n int
	if _, err := fmt.Sscanf(name, "sitemap-%d.xml", &n); err != nil || n < 1 || name != fmt.Sprintf("sitemap-%d.xml", n) {
		h.fail(c, errNoRoute)
		return
	}
	set := sitemapURLSet{}
	if err := h.sitemapPart(c, h.baseURL(c), (n-1)*sitemapMax, &set); err != nil {
		h.fail(c, err)
		return
	}
	if len(set.URLs) == 0 {
		h.fail(c, errNoRoute)
		return
	}
	h.writeXML(c, set)
}

var errSitemapFull = errors.New("sitemap full")

func (h *Handler) sitemapPart(c *gin.Context, base string, skip int, set *sitemapURLSet) error {
	i := 0
	err := h.PublicIndex.EachDocument(c.Request.Context(), func(id string, updated time.Time) error {
		i++
		if i <= skip {
			return nil
		}
		if i > skip+sitemapMax {
			return errSitemapFull
		}
		u := sitemapURL{Loc: base + entryURL(url.PathEscape(id))}
		if !updated.IsZero() {
			u.LastMod = updated.UTC().Format("2006-01-02")
		}
		set.URLs = append(set.URLs, u)
		return nil
	})
	if errors.Is(err, errSitemapFull) {
		return nil
	}
	return err
}

func (h *Handler) writeXML(c *gin.Context, v any) {
	c.Header("Cache-Control", h.absoluteCache("3600"))
	c.Header("Content-Type", "application/xml; charset=utf-8")
	c.Status(http.StatusOK)
	c.Writer.WriteString(xml.Header)
	enc := xml.NewEncoder(c.Writer)
	enc.Indent("", " ")
	_ = enc.Encode(v)
}
