package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/catalogue"
	"gongkai/search"
)

// hitJSON is a search or catalogue hit as CONTRACT.md describes it.
type hitJSON struct {
	ID          string              `json:"id"`
	IndexNo     string              `json:"index_no"`
	Title       string              `json:"title"`
	DocNo       string              `json:"doc_no"`
	Organ       string              `json:"organ"`
	Category    string              `json:"category"`
	Topic       string              `json:"topic"`
	DocType     string              `json:"doc_type"`
	Summary     string              `json:"summary"`
	FormedAt    catalogue.Date      `json:"formed_at"`
	PublishedAt catalogue.Date      `json:"published_at"`
	Validity    string              `json:"validity"`
	URL         string              `json:"url"`
	Highlights  map[string][]string `json:"highlights,omitempty"`
}

func entryURL(id string) string { return "/entries/" + id }

func toHitJSON(h search.Hit) hitJSON {
	return hitJSON{
		ID: h.ID, IndexNo: h.IndexNo, Title: h.Title, DocNo: h.DocNo, Organ: h.Organ,
		Category: h.Category, Topic: h.Topic, DocType: h.DocType, Summary: h.Summary,
		FormedAt: h.FormedAt, PublishedAt: h.PublishedAt, Validity: h.Validity,
		URL: entryURL(h.ID), Highlights: h.Highlights,
	}
}

// errMalformedQuery answers a query string net/url cannot decode.
var errMalformedQuery = catalogue.Errorf(catalogue.EINVALID,
	"网址中的查询参数无法解析（“%%”须写作“%%25”，“;”须写作“%%3B”），请检查网址后重试")

// checkQueryString refuses a query string that does not decode in full.
// c.Query silently drops the pairs net/url cannot parse ("q=%zz", a raw
// ";"), so such a search would answer with the whole catalogue as if
// nothing had been asked.
func checkQueryString(c *gin.Context) error {
	if _, err := url.ParseQuery(c.Request.URL.RawQuery); err != nil {
		return errMalformedQuery
	}
	return nil
}

// parseQuery reads the public search parameters shared by the API, the
// pages and the exports.
func parseQuery(c *gin.Context) (search.Query, error) {
	if err := checkQueryString(c); err != nil {
		return search.Query{}, err
	}
	q := search.Query{
		Text: strings.TrimSpace(c.Query("q")),
		Sort: c.Query("sort"),
		Filters: search.Filters{
			Category: c.Query("category"),
			Topic:    c.Query("topic"),
			Organ:    c.Query("organ"),
			DocType:  c.Query("doc_type"),
			Year:     c.Query("year"),
			Validity: c.Query("validity"),
		},
	}
	var err error
	if q.Page, err = intParam(c, "page", 1); err != nil {
		return q, err
	}
	if q.Size, err = intParam(c, "size", search.DefaultSize); err != nil {
		return q, err
	}
	if y := q.Filters.Year; y != "" {
		if n, err := strconv.Atoi(y); err != nil || n < 1000 || n > 9999 {
			return q, catalogue.Errorf(catalogue.EINVALID, "年份 %q 不正确", y)
		}
	}
	for _, d := range []struct {
		name string
		to   *catalogue.Date
	}{{"from", &q.Filters.From}, {"to", &q.Filters.To}} {
		if v := c.Query(d.name); v != "" {
			if *d.to, err = catalogue.ParseDate(v); err != nil {
				return q, err
			}
		}
	}
	return q, q.Normalize()
}

func intParam(c *gin.Context, name string, def int) (int, error) {
	v := c.Query(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, catalogue.Errorf(catalogue.EINVALID, "参数 %s 必须是正整数", name)
	}
	return n, nil
}

type searchJSON struct {
	Total  uint64                         `json:"total"`
	Page   int                            `json:"page"`
	Size   int                            `json:"size"`
	TookMS int64                          `json:"took_ms"`
	Hits   []hitJSON                      `json:"hits"`
	Facets map[string][]search.FacetValue `json:"facets,omitempty"`
}

func toSearchJSON(res *search.Result) searchJSON {
	out := searchJSON{Total: res.Total, Page: res.Page, Size: res.Size, TookMS: res.Took.Milliseconds(),
		Hits: make([]hitJSON, 0, len(res.Hits)), Facets: res.Facets}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, toHitJSON(h))
	}
	return out
}

// apiSearch answers GET /api/v1/search.
func (h *Handler) apiSearch(c *gin.Context) {
	q, err := parseQuery(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	q.Facets, q.Highlight = true, true
	res, err := h.PublicIndex.Search(c.Request.Context(), q)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, toSearchJSON(res))
}

// apiCatalogue answers GET /api/v1/catalogue: the catalogue newest first.
func (h *Handler) apiCatalogue(c *gin.Context) {
	q, err := parseQuery(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	q.Text, q.Sort = "", search.SortDate
	res, err := h.PublicIndex.Search(c.Request.Context(), q)
	if err != nil {
		h.fail(c, err)
		return
	}
	out := toSearchJSON(res)
	out.Facets = nil
	c.JSON(http.StatusOK, gin.H{"total": out.Total, "page": out.Page, "size": out.Size, "hits": out.Hits})
}

// entryJSON is the public record of one entry.
type entryJSON struct {
	hitJSON
	UpdatedAt   catalogue.Date   `json:"updated_at"`
	Version     int              `json:"version"`
	Keywords    []string         `json:"keywords,omitempty"`
	EffectiveAt catalogue.Date   `json:"effective_at,omitzero"`
	SourceURL   string           `json:"source_url,omitempty"`
	Body        string           `json:"body"`
	Attachments []attachmentJSON `json:"attachments"`
	Versions    []versionJSON    `json:"versions"`
	Replaces    string           `json:"replaces,omitempty"`
	ReplacedBy  string           `json:"replaced_by,omitempty"`
}

type attachmentJSON struct {
	Name        string `json:"name"`
	URL         string `json:"url"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
}

type versionJSON struct {
	Version     int            `json:"version"`
	PublishedAt catalogue.Date `json:"published_at"`
	Note        string         `json:"note,omitempty"`
}

func fileURL(id, sha string) string { return "/files/" + id + "/" + sha }

func toEntryJSON(p *catalogue.PublicEntry) entryJSON {
	ct := p.Content
	out := entryJSON{
		hitJSON: hitJSON{
			ID: p.ID, IndexNo: p.IndexNo, Title: ct.Title, DocNo: ct.DocNo, Organ: ct.Organ,
			Category: ct.Category, Topic: ct.Topic, DocType: ct.DocType, Summary: ct.Summary,
			FormedAt: ct.FormedAt, PublishedAt: chinaDate(p.PublishedAt), Validity: ct.Validity,
			URL: entryURL(p.ID),
		},
		UpdatedAt: chinaDate(p.UpdatedAt), Version: p.Version, Keywords: ct.Keywords,
		EffectiveAt: ct.EffectiveAt, SourceURL: ct.SourceURL, Body: ct.Body,
		Replaces: p.Replaces, ReplacedBy: p.ReplacedBy,
		Attachments: []attachmentJSON{}, Versions: []versionJSON{},
	}
	for _, a := range ct.Attachments {
		out.Attachments = append(out.Attachments, attachmentJSON{Name: a.Name, URL: fileURL(p.ID, a.SHA256), Size: a.Size, ContentType: a.ContentType})
	}
	for _, v := range p.Versions {
		out.Versions = append(out.Versions, versionJSON{Version: v.Number, PublishedAt: chinaDate(v.PublishedAt), Note: v.Note})
	}
	return out
}

// apiEntry answers GET /api/v1/entries/{id}: the public record, 410 with
// the notice for a withdrawn entry, 404 for anything not public.
func (h *Handler) apiEntry(c *gin.Context) {
	p, err := h.publicEntry(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	if p.Withdrawn != nil || p.Content == nil {
		c.JSON(http.StatusGone, withdrawnJSON(p))
		return
	}
	c.JSON(http.StatusOK, toEntryJSON(p))
}

// apiEntryVersion answers GET /api/v1/entries/{id}/versions/{n}: a
// published version, earlier or current, with the current version's number.
func (h *Handler) apiEntryVersion(c *gin.Context) {
	p, v, err := h.publicVersion(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	if p.Content == nil {
		c.JSON(http.StatusGone, withdrawnJSON(p))
		return
	}
	// The record as it was at version n; for the current one, the record.
	at := *p
	at.Content, at.Version, at.UpdatedAt = &v.Content, v.Number, v.PublishedAt
	c.JSON(http.StatusOK, gin.H{"entry": toEntryJSON(&at), "current_version": p.Version, "current_url": entryURL(p.ID)})
}

func withdrawnJSON(p *catalogue.PublicEntry) gin.H {
	w := gin.H{}
	if p.Withdrawn != nil {
		w = gin.H{"at": chinaDate(p.Withdrawn.At), "reason": p.Withdrawn.Reason}
	}
	return gin.H{
		"id": p.ID, "index_no": p.IndexNo, "title": p.WithdrawnTitle, "withdrawn": w,
		"error": gin.H{"code": catalogue.EGONE, "message": "该信息已撤回"},
	}
}

// download serves a public attachment. Only files named by the entry's
// current public record can be fetched.
func (h *Handler) download(c *gin.Context) {
	id, sha := c.Param("id"), c.Param("sha")
	p, err := h.Public.Entry(c.Request.Context(), id)
	if err != nil {
		h.fail(c, err)
		return
	}
	if p.Content == nil {
		h.fail(c, catalogue.Errorf(catalogue.EGONE, "该信息已撤回，附件不再提供"))
		return
	}
	var att *catalogue.Attachment
	all := p.Attachments()
	for i := range all {
		if all[i].SHA256 == sha {
			att = &all[i]
		}
	}
	if att == nil {
		h.fail(c, catalogue.Errorf(catalogue.ENOTFOUND, "附件不存在"))
		return
	}
	f, err := h.Public.OpenFile(c.Request.Context(), id, sha)
	if err != nil {
		h.fail(c, err)
		return
	}
	defer f.Close()
	hd := c.Writer.Header()
	hd.Set("Content-Type", att.ContentType)
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": att.Name}))
	hd.Set("Cache-Control", "public, max-age=3600")
	hd.Set("ETag", `"`+sha+`"`)
	// ServeContent answers Range (downloads resume, PDF viewers fetch the
	// pages they show), If-Range and If-None-Match against the ETag. The
	// file is named by its hash, so the ETag alone says whether it changed:
	// no modification time is given.
	// A HEAD is answered as one, without reading the file.
	body := &readErrorKeeper{r: f}
	http.ServeContent(c.Writer, asSent(c.Request), att.Name, time.Time{}, body)
	if body.err != nil && !errors.Is(body.err, c.Request.Context().Err()) {
		h.Log.Warn("download interrupted", "id", id, "file", att.Name, "err", fmt.Sprint(body.err))
	}
}

// readErrorKeeper keeps the first error reading or seeking the file, other
// than the end of it, which http.ServeContent does not report.
type readErrorKeeper struct {
	r   io.ReadSeeker
	err error
}

func (k *readErrorKeeper) Read(p []byte) (int, error) {
	n, err := k.r.Read(p)
	k.keep(err)
	return n, err
}

func (k *readErrorKeeper) Seek(offset int64, whence int) (int64, error) {
	n, err := k.r.Seek(offset, whence)
	k.keep(err)
	return n, err
}

func (k *readErrorKeeper) keep(err error) {
	if k.err == nil && err != nil && err != io.EOF {
		k.err = err
	}
}

// chinaDate is the calendar day of an instant in China Standard Time, the
// day the pages show for it.
func chinaDate(t time.Time) catalogue.Date {
	if t.IsZero() {
		return catalogue.Date{}
	}
	return catalogue.DateOf(t.In(chinaTime))
}
