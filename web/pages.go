package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/catalogue"
	"gongkai/search"
)

func (h *Handler) templateFuncs() template.FuncMap {
	return template.FuncMap{
		"statusLabel": func(s any) string {
			switch v := s.(type) {
			case catalogue.Status:
				return v.Label()
			case string:
				return catalogue.Status(v).Label()
			}
			return fmt.Sprint(s)
		},
		"actionLabel": func(s any) string { return catalogue.Action(fmt.Sprint(s)).Label() },
		"roleLabel":   func(s string) string { return catalogue.Role(s).Label() },
		"kioskRows": func() [][]string {
			return [][]string{
				{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"},
				{"q", "w", "e", "r", "t", "y", "u", "i", "o", "p"},
				{"a", "s", "d", "f", "g", "h", "j", "k", "l"},
				// - and / for 索引号 (11440200007041827X/2019-00012) and dates.
				{"z", "x", "c", "v", "b", "n", "m", "-", "/"},
			}
		},
		// kioskKeyName is the spoken name of a key whose sign a screen
		// reader may skip; it keeps the sign, as the key shows it.
		"kioskKeyName": func(k string) string {
			switch k {
			case "-":
				return "短横线 -"
			case "/":
				return "斜杠 /"
			}
			return ""
		},
		"reportRows": func() []struct{ Key, Label string } {
			return []struct{ Key, Label string }{{"review", "行政复议"}, {"suit_direct", "行政诉讼（未经复议直接起诉）"}, {"suit_after", "行政诉讼（复议后起诉）"}}
		},
		"reportCols": func() []string {
			return []string{"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"}
		},
		"reportRow": func(in *catalogue.ReportInputs, key string) [5]int {
			switch key {
			case "review":
				return in.Review
			case "suit_direct":
				return in.SuitDirect
			}
			return in.SuitAfter
		},
		"clockTime":     clock,
		"withholdLabel": catalogue.WithholdingLabel,
		// overdue reports whether a publish-by date has passed.
		"overdue": func(d catalogue.Date) bool {
			return h.Service != nil && !d.IsZero() && h.Service.Today().After(d)
		},
		"date": func(d catalogue.Date) string {
			if d.IsZero() {
				return "—"
			}
			return fmt.Sprintf("%d年%d月%d日", d.Year, int(d.Month), d.Day)
		},
		"isodate": func(d catalogue.Date) string { return d.String() },
		"day": func(t time.Time) catalogue.Date {
			if t.IsZero() {
				return catalogue.Date{}
			}
			return catalogue.DateOf(t.In(chinaTime))
		},
		// marked trusts search highlights: the search package escapes the
		// text and adds only <mark> and </mark>.
		"marked":     func(s string) template.HTML { return template.HTML(s) },
		"paragraphs": paragraphs,
		"size":       humanSize,
		"fallback": func(a, b string) string {
			if a != "" {
				return a
			}
			return b
		},
		"add": func(a, b int) int { return a + b },
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict needs key/value pairs")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
	}
}

var chinaTime = time.FixedZone("CST", 8*3600)

// paragraphs splits a body into paragraphs at blank lines or single line
// breaks, dropping empty ones, so plain text reads as it was written.
func paragraphs(body string) []string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/(1<<20)), ".0") + " MB"
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d 字节", n)
}

// link is a labelled URL for templates; Current marks the active one.
type link struct {
	Label   string
	URL     string
	Current bool
	Count   int
}

// withParam returns the request's path and query with one parameter set
// (or removed when value is "") and the page reset, unless it is the page.
func withParam(u *url.URL, key, value string) string {
	if value == "" {
		return withoutParams(u, key)
	}
	q := u.Query()
	if key != "page" {
		q.Del("page")
	}
	q.Set(key, value)
	return pathWithQuery(u, q)
}

// withoutParams returns the request's path and query without the given
// parameters, back on the first page.
func withoutParams(u *url.URL, keys ...string) string {
	q := u.Query()
	q.Del("page")
	for _, k := range keys {
		q.Del(k)
	}
	return pathWithQuery(u, q)
}

// pathWithQuery is u's path with the query q, without a "?" when q is empty.
func pathWithQuery(u *url.URL, q url.Values) string {
	if len(q) == 0 {
		return u.Path
	}
	return u.Path + "?" + q.Encode()
}

// pager is the pagination of a result list.
type pager struct {
	Page, Pages int
	Prev, Next  string
	Links       []link
	From, To    uint64
}

// Beyond says the page asked for is past the last (a link kept from a
// longer result, a page number typed in); Prev then leads to the last.
func (p pager) Beyond() bool { return p.Pages > 0 && p.Page > p.Pages }

// newPager pages res, whose hits paging may reach up to res.Depth.
func newPager(u *url.URL, res *search.Result) pager {
	total, page, size := res.Total, res.Page, res.Size
	maxTotal := min(total, uint64(res.Depth))
	pages := int((maxTotal + uint64(size) - 1) / uint64(size))
	p := pager{Page: page, Pages: pages}
	// Past the last page, the pager leads back to the last pages there are.
	at := page
	if p.Beyond() {
		at = pages + 1
	} else if total > 0 {
		p.From = uint64((page-1)*size) + 1
		p.To = min(uint64(page*size), total)
	}
	if at > 1 {
		p.Prev = withParam(u, "page", strconv.Itoa(at-1))
	}
	if page < pages {
		p.Next = withParam(u, "page", strconv.Itoa(page+1))
	}
	for i := max(1, at-3); i <= min(pages, at+3); i++ {
		p.Links = append(p.Links, link{Label: strconv.Itoa(i), URL: withParam(u, "page", strconv.Itoa(i)), Current: i == page})
	}
	return p
}

// facetGroup is one facet with links that set or clear its filter.
type facetGroup struct {
	Name, Label string
	Selected    string
	Clear       string
	Values      []link
}

var facetLabels = []struct{ name, label string }{
	{"category", "目录分类"}, {"topic", "主题分类"}, {"organ", "发布机构"}, {"year", "生成年份"}, {"doc_type", "文种"},
}

func facetGroups(u *url.URL, facets map[string][]search.FacetValue) []facetGroup {
	var out []facetGroup
	q := u.Query()
	for _, f := range facetLabels {
		vals := facets[f.name]
		sel := q.Get(f.name)
		if len(vals) == 0 && sel == "" {
			continue
		}
		g := facetGroup{Name: f.name, Label: f.label, Selected: sel, Clear: withParam(u, f.name, "")}
		for _, v := range vals {
			g.Values = append(g.Values, link{Label: v.Value, URL: withParam(u, f.name, v.Value), Current: v.Value == sel, Count: v.Count})
		}
		out = append(out, g)
	}
	return out
}

// facetPanel is the filters region beside a result list: the facet links
// and the 生成日期 range form.
type facetPanel struct {
	Groups []facetGroup
	Dates  *dateForm
}

// Shown reports whether the panel has anything to show.
func (p facetPanel) Shown() bool { return len(p.Groups) > 0 || p.Dates != nil }

// dateForm is the plain GET form that sets the 生成日期 range (from=, to=),
// keeping the search's other parameters as hidden fields.
type dateForm struct {
	Action   string
	Keep     []struct{ Name, Value string }
	From, To string
}

func newDateForm(u *url.URL, f search.Filters) *dateForm {
	d := &dateForm{Action: u.Path, From: f.From.String(), To: f.To.String()}
	q := u.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if k == "from" || k == "to" || k == "page" {
			continue
		}
		for _, v := range q[k] {
			if v != "" {
				d.Keep = append(d.Keep, struct{ Name, Value string }{k, v})
			}
		}
	}
	return d
}

// dateRangeLabel says in words which 生成日期 range a filter keeps.
func dateRangeLabel(from, to catalogue.Date) string {
	switch {
	case !from.IsZero() && !to.IsZero():
		return "生成日期 " + from.String() + " 至 " + to.String()
	case !from.IsZero():
		return "生成日期 " + from.String() + " 起"
	case !to.IsZero():
		return "生成日期 截至 " + to.String()
	}
	return ""
}

// activeFilters lists the filters a search has, each with the address of
// the same search without it, so a reader sees why there are fewer
// results and can take one condition away.
func activeFilters(u *url.URL, f search.Filters) []link {
	var out []link
	for _, c := range []struct{ key, label, value string }{
		{"category", "目录分类", f.Category}, {"topic", "主题分类", f.Topic}, {"organ", "发布机构", f.Organ},
		{"year", "生成年份", f.Year}, {"doc_type", "文种", f.DocType}, {"validity", "有效性", f.Validity},
	} {
		if c.value != "" {
			out = append(out, link{Label: c.label + "：" + c.value, URL: withoutParams(u, c.key)})
		}
	}
	if l := dateRangeLabel(f.From, f.To); l != "" {
		out = append(out, link{Label: l, URL: withoutParams(u, "from", "to")})
	}
	return out
}

// home shows the search box, the catalogue classes and the latest entries.
func (h *Handler) home(c *gin.Context) {
	res, err := h.PublicIndex.Search(c.Request.Context(), search.Query{Sort: search.SortDate, Size: 10, Page: 1, Facets: true})
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "home", "首页", "home", gin.H{
		"Latest": res.Hits, "Total": res.Total,
		"Categories": res.Facets["category"], "Topics": res.Facets["topic"],
	})
}

// cataloguePage lists the catalogue newest first, with filters and paging.
func (h *Handler) cataloguePage(c *gin.Context) {
	q, err := parseQuery(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	q.Text, q.Sort, q.Facets = "", search.SortDate, true
	res, err := h.PublicIndex.Search(c.Request.Context(), q)
	if err != nil {
		h.fail(c, err)
		return
	}
	u := c.Request.URL
	h.render(c, http.StatusOK, "catalogue", "政府信息公开目录", "catalogue", gin.H{
		"Query": q, "Result": res, "Pager": newPager(u, res),
		"Facets": facetPanel{Groups: facetGroups(u, res.Facets), Dates: newDateForm(u, q.Filters)}, "Feed": feedURL(u),
		"Active": activeFilters(u, q.Filters), "ClearAll": "/catalogue",
	})
}

// searchPage shows search results with facets, highlights, sorting and paging.
func (h *Handler) searchPage(c *gin.Context) {
	// What was typed wrong is said above the search box, which holds the
	// query to correct (cut to the length a query may have).
	badInput := func(q search.Query, err error) {
		if r := []rune(q.Text); len(r) > search.MaxQueryRunes {
			q.Text = string(r[:search.MaxQueryRunes])
		}
		h.render(c, HTTPStatus(err), "search", "检索", "search", gin.H{
			"Query": q, "Error": catalogue.ErrorMessage(err),
		})
	}
	q, err := parseQuery(c)
	if err != nil {
		badInput(q, err)
		return
	}
	q.Facets, q.Highlight = true, true
	res, err := h.PublicIndex.Search(c.Request.Context(), q)
	if catalogue.ErrorCode(err) == catalogue.EINVALID || catalogue.ErrorCode(err) == catalogue.ETOOLARGE {
		badInput(q, err)
		return
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	u := c.Request.URL
	title := "检索"
	if q.Text != "" {
		title = "“" + q.Text + "”的检索结果"
	}
	panel := facetPanel{Groups: facetGroups(u, res.Facets)}
	// Narrowing nothing found by date helps no one; a range already set
	// stays in view so it can be changed.
	if res.Total > 0 || !q.Filters.From.IsZero() || !q.Filters.To.IsZero() {
		panel.Dates = newDateForm(u, q.Filters)
	}
	h.render(c, http.StatusOK, "search", title, "search", gin.H{
		"Query": q, "Result": res, "Pager": newPager(u, res),
		"Facets":    panel,
		"Active":    activeFilters(u, q.Filters),
		"SortDate":  withParam(u, "sort", search.SortDate),
		"SortScore": withParam(u, "sort", search.SortRelevance),
		"Filtered":  q.Filters != (search.Filters{}),
		"ClearAll":  "/search?q=" + url.QueryEscape(q.Text),
		"Export":    "/export.csv?" + withoutPage(u),
		"Feed":      feedURL(u),
	})
}

// withoutPage is the query string of u without paging and sorting, for
// links that take the whole result list (export, feed).
func withoutPage(u *url.URL) string {
	v := u.Query()
	v.Del("page")
	v.Del("size")
	return v.Encode()
}

// feedURL is the Atom feed that follows the list u shows.
func feedURL(u *url.URL) string {
	if q := withoutPage(u); q != "" {
		return "/feed.atom?" + q
	}
	return "/feed.atom"
}

// entryPage shows one entry with the metadata table government sites use.
func (h *Handler) entryPage(c *gin.Context) {
	p, err := h.publicEntry(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	if p.Content == nil {
		h.render(c, http.StatusGone, "withdrawn", "信息已撤回", "catalogue", p)
		return
	}
	h.render(c, http.StatusOK, "entry", p.Content.Title, "catalogue", gin.H{
		"E": p, "C": p.Content, "Updated": p.Version > 1, "FromIndex": p.Version == 0, "Base": h.baseURL(c),
	})
}

// publicEntry reads the public record of the entry the path names. When
// the object store cannot be reached, the entry is rebuilt from the public
// index, which holds the same public current version (without attachments
// and version history), so reading goes on through a storage outage.
func (h *Handler) publicEntry(c *gin.Context) (*catalogue.PublicEntry, error) {
	id := c.Param("id")
	p, err := h.Public.Entry(c.Request.Context(), id)
	if catalogue.ErrorCode(err) != catalogue.EUNAVAILABLE || h.PublicIndex == nil {
		return p, err
	}
	hit, body, ierr := h.PublicIndex.Document(c.Request.Context(), id)
	if ierr != nil {
		if catalogue.IsNotFound(ierr) {
			return nil, ierr
		}
		return nil, err
	}
	h.Log.Warn("object store unavailable: entry served from the public index", "entry", id)
	return &catalogue.PublicEntry{
		ID: hit.ID, IndexNo: hit.IndexNo,
		Content: &catalogue.Content{
			Title: hit.Title, Organ: hit.Organ, FormedAt: hit.FormedAt, DocNo: hit.DocNo, Category: hit.Category,
			Topic: hit.Topic, DocType: hit.DocType, Summary: hit.Summary, Body: body, Validity: hit.Validity,
		},
		PublishedAt: hit.PublishedAt.Time(), UpdatedAt: hit.UpdatedAt.Time(),
	}, nil
}

// entryVersionPage shows an earlier published version of an entry, marked
// as superseded, with a link to the current one.
func (h *Handler) entryVersionPage(c *gin.Context) {
	p, v, err := h.publicVersion(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	if p.Content == nil {
		h.render(c, http.StatusGone, "withdrawn", "信息已撤回", "catalogue", p)
		return
	}
	if v.Number == p.Version {
		// The current version is the entry's own page.
		c.Redirect(http.StatusFound, "/entries/"+url.PathEscape(p.ID))
		return
	}
	h.render(c, http.StatusOK, "entry", v.Content.Title+"（第 "+strconv.Itoa(v.Number)+" 版）", "catalogue", gin.H{
		"E": p, "C": &v.Content, "Updated": true, "Old": &v.PublicVersionRef, "Base": h.baseURL(c),
	})
}

// publicVersion reads the entry and the version the path names, an earlier
// one or the current one (which the entry's versions list too); for a
// withdrawn entry, the entry only.
func (h *Handler) publicVersion(c *gin.Context) (*catalogue.PublicEntry, *catalogue.PublicVersion, error) {
	p, err := h.Public.Entry(c.Request.Context(), c.Param("id"))
	if err != nil {
		return nil, nil, err
	}
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil {
		return nil, nil, catalogue.Errorf(catalogue.ENOTFOUND, "版本不存在")
	}
	if p.Content == nil {
		return p, nil, nil
	}
	v, ok := p.PublishedVersion(n)
	if !ok {
		return nil, nil, catalogue.Errorf(catalogue.ENOTFOUND, "没有第 %d 版（现行版本是第 %d 版）", n, p.Version)
	}
	return p, v, nil
}

// setPrefs stores the reader's display preferences and goes back to the page
// they came from. A plain form post, so it works without JavaScript.
func (h *Handler) setPrefs(c *gin.Context) {
	p := readPrefs(c)
	switch c.PostForm("toggle") {
	case "large":
		p.LargeText = !p.LargeText
	case "contrast":
		p.HighContrast = !p.HighContrast
	case "reset":
		p = prefs{}
	}
	var v []string
	if p.LargeText {
		v = append(v, "large")
	}
	if p.HighContrast {
		v = append(v, "contrast")
	}
	c.SetSameSite(http.SameSiteLaxMode)
	c.SetCookie(prefsCookie, strings.Join(v, "."), 365*24*3600, "/", "", c.Request.TLS != nil, true)
	c.Redirect(http.StatusSeeOther, localReturn(c.PostForm("return")))
}

// localReturn accepts only a path on this site, so the form cannot be used
// to redirect people elsewhere.
func localReturn(s string) string {
	if s == "" || !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.ContainsRune(s, '\\') {
		return "/"
	}
	// Browsers drop tabs and newlines from URLs, so "/\t/evil" would
	// become "//evil": refuse every control character.
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return "/"
		}
	}
	return s
}
