package web

import (
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"rsc.io/qr"

	"gongkai/catalogue"
	"gongkai/search"
)

// The reading-room kiosk: a touch layout under /kiosk whose pages link only
// to other kiosk pages, with an on-screen keyboard (pinyin letters, digits
// and common words), category tiles, very large text and touch targets, an
// idle reset and a print button that prints the entry with a QR code of
// its public address.

// kioskPageSize is how many results a kiosk page lists: few, large rows.
const kioskPageSize = 8

// kioskWords are the common words of titles the keyboard offers as keys,
// so a visitor who cannot type Chinese can still search by characters.
var kioskWords = []string{"通知", "办法", "规定", "条例", "公告", "意见", "规划", "报告", "实施", "管理", "安全", "企业"}

type kioskView struct {
	Title    string
	Prefs    prefs
	ReturnTo string
	Site     siteInfo
	Asset    map[string]string
	IdleSecs int
	Data     any
}

func (h *Handler) renderKiosk(c *gin.Context, status int, page, title string, data any) {
	idle := 120
	if h.Service != nil && h.Service.Settings.KioskIdleSeconds > 0 {
		idle = h.Service.Settings.KioskIdleSeconds
	}
	h.writePage(c, status, page, kioskView{
		Title: title, Prefs: readPrefs(c), ReturnTo: c.Request.URL.RequestURI(), Site: h.site(), Asset: h.assets.url, IdleSecs: idle, Data: data,
	}, "no-cache")
}

// kioskHome is the start screen: the search box with its keyboard and the
// category tiles with their counts.
func (h *Handler) kioskHome(c *gin.Context) {
	res, err := h.PublicIndex.Search(c.Request.Context(), search.Query{Sort: search.SortDate, Page: 1, Size: 1, Facets: true})
	if err != nil {
		h.kioskError(c, err)
		return
	}
	h.renderKiosk(c, http.StatusOK, "kiosk_home", "查阅政府信息", gin.H{
		"Categories": res.Facets["category"], "Topics": res.Facets["topic"], "Total": res.Total, "Words": kioskWords,
	})
}

// kioskSearch lists results in large rows; an empty query with a category
// browses it.
func (h *Handler) kioskSearch(c *gin.Context) {
	if err := checkQueryString(c); err != nil {
		h.kioskError(c, err)
		return
	}
	page, _ := strconv.Atoi(c.Query("page"))
	if page < 1 {
		page = 1
	}
	q := search.Query{
		Text: c.Query("q"), Page: page, Size: kioskPageSize, Highlight: true,
		Filters: search.Filters{Category: c.Query("category"), Topic: c.Query("topic")},
	}
	res, err := h.PublicIndex.Search(c.Request.Context(), q)
	var msg string
	if err != nil {
		if catalogue.ErrorCode(err) != catalogue.EINVALID {
			h.kioskError(c, err)
			return
		}
		msg, res = catalogue.ErrorMessage(err), &search.Result{Page: 1, Size: kioskPageSize}
	}
	link := func(p int) string { return kioskSearchURL(c.Query, p) }
	var prev, next string
	if res.Page > 1 {
		prev = link(res.Page - 1)
	}
	if uint64(res.Page*res.Size) < res.Total && res.Page*res.Size < res.Depth {
		next = link(res.Page + 1)
	}
	title := "检索结果"
	if q.Filters.Category != "" {
		title = q.Filters.Category
	}
	// The entry links carry this page's search (back=) so the entry can
	// lead back to it: a kiosk browser has no Back button.
	back, _ := strings.CutPrefix(link(res.Page), "/kiosk/search?")
	h.renderKiosk(c, http.StatusOK, "kiosk_search", title, gin.H{
		"Query": c.Query("q"), "Category": q.Filters.Category, "Topic": q.Filters.Topic, "Result": res,
		"Message": msg, "Prev": prev, "Next": next, "Words": kioskWords, "Back": back,
	})
}

// kioskEntry shows one entry in large print with its QR code, ready to print.
func (h *Handler) kioskEntry(c *gin.Context) {
	p, err := h.publicEntry(c)
	if err != nil {
		h.kioskError(c, err)
		return
	}
	if p.Content == nil {
		h.renderKiosk(c, http.StatusGone, "kiosk_withdrawn", "信息已撤回", p)
		return
	}
	pages := printPages(p.Content.Summary, p.Content.Body)
	h.renderKiosk(c, http.StatusOK, "kiosk_entry", p.Content.Title, gin.H{
		"E": p, "C": p.Content, "Base": h.baseURL(c), "PublicURL": h.baseURL(c) + entryURL(p.ID),
		"PrintPages": pages, "BodyPages": pages - 1,
		"BriefPrint": pages >= briefPrintFrom && strings.TrimSpace(p.Content.Body) != "",
		"Back":       kioskBack(c.Query("back")),
	})
}

// kioskSearchURL is the kiosk's results page for the search parameters
// get gives (q, category, topic) at page, or without a page if it is 0.
func kioskSearchURL(get func(string) string, page int) string {
	v := url.Values{}
	for _, k := range []string{"q", "category", "topic"} {
		if s := get(k); s != "" {
			v.Set(k, s)
		}
	}
	if page > 0 {
		v.Set("page", strconv.Itoa(page))
	}
	return "/kiosk/search?" + v.Encode()
}

// kioskBack is the kiosk results page that an entry's back= parameter (the
// query string of the search it was found by) names, or "" when it names
// none. Only the search's own parameters are kept, on the kiosk's search
// path, so a crafted link cannot lead out of the kiosk.
func kioskBack(raw string) string {
	if raw == "" || len(raw) > 2048 {
		return ""
	}
	in, err := url.ParseQuery(raw)
	if err != nil {
		return ""
	}
	valid := func(k string) string {
		if v := in.Get(k); utf8.ValidString(v) && utf8.RuneCountInString(v) <= search.MaxQueryRunes {
			return v
		}
		return ""
	}
	// A page the kiosk's search would refuse (past its depth) is left out.
	page, err := strconv.Atoi(in.Get("page"))
	if q := (search.Query{Text: valid("q"), Page: page, Size: kioskPageSize}); err != nil || page < 1 || q.Normalize() != nil {
		page = 0
	}
	if page == 0 && valid("q") == "" && valid("category") == "" && valid("topic") == "" {
		return ""
	}
	return kioskSearchURL(valid, page)
}

// printedPerPage is about how many characters of text an A4 page holds in
// the kiosk's 12 pt print, paragraph ends included.
const printedPerPage = 1200

// briefPrintFrom is the estimated length of a printout, in pages, from
// which the kiosk offers the first page alone (the table, the summary and
// the QR code) beside the whole text: a visitor who walks up to a law of
// sixty pages rarely wants sixty sheets.
const briefPrintFrom = 4

// printPages estimates how many A4 pages the kiosk prints for an entry:
// one for the table and QR code, and the text after it.
func printPages(summary, body string) int {
	n := utf8.RuneCountInString(summary) + utf8.RuneCountInString(body)
	return 1 + (n+printedPerPage-1)/printedPerPage
}

// kioskQR is the QR code (PNG) of an entry's public address, for the
// printed page: a visitor scans it to read or download at home.
func (h *Handler) kioskQR(c *gin.Context) {
	p, err := h.publicEntry(c)
	if err != nil || p.Content == nil {
		c.Status(http.StatusNotFound)
		return
	}
	code, err := qr.Encode(h.baseURL(c)+entryURL(p.ID), qr.M)
	if err != nil {
		h.fail(c, catalogue.WrapError(catalogue.EINTERNAL, "二维码生成失败", err))
		return
	}
	code.Scale = 6
	c.Header("Cache-Control", h.absoluteCache("3600"))
	c.Data(http.StatusOK, "image/png", code.PNG())
}

// kioskPrefs switches the kiosk's extra-large text or high contrast and
// returns to the kiosk page it came from (never elsewhere).
func (h *Handler) kioskPrefs(c *gin.Context) {
	if !inKiosk(localReturn(c.PostForm("return"))) {
		c.Request.PostForm.Set("return", "/kiosk")
	}
	h.setPrefs(c)
}

// inKiosk reports whether the local address r is a kiosk page. Browsers
// resolve dot segments, also written %2e, so "/kiosk/../admin" is not one.
func inKiosk(r string) bool {
	p, _, _ := strings.Cut(r, "?")
	if strings.Contains(strings.ToLower(p), "%2e") || (path.Clean(p) != p && path.Clean(p)+"/" != p) {
		return false
	}
	return p == "/kiosk" || strings.HasPrefix(p, "/kiosk/")
}

// kioskError shows an error on the kiosk, with the way back to its start.
func (h *Handler) kioskError(c *gin.Context, err error) {
	status := HTTPStatus(err)
	if status >= 500 {
		h.Log.Error("kiosk", "path", c.Request.URL.Path, "err", err)
	}
	h.renderKiosk(c, status, "kiosk_error", "出错了", gin.H{"Message": catalogue.ErrorMessage(err)})
	c.Abort()
}
