package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
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

// staffEntryJSON is an entry as staff see it: every field of the working
// copy, the workflow state, the deadline, the audit trail, and what the
// caller may do with it now.
type staffEntryJSON struct {
	ID                  string              `json:"id"`
	IndexNo             string              `json:"index_no,omitempty"`
	Kind                catalogue.Kind      `json:"kind"`
	KindLabel           string              `json:"kind_label"`
	Attribute           catalogue.Attribute `json:"attribute"`
	WithholdReason      string              `json:"withhold_reason,omitempty"`
	WithholdReasonLabel string              `json:"withhold_reason_label,omitempty"`
	Status              catalogue.Status    `json:"status"`
	StatusLabel         string              `json:"status_label"`
	Section             string              `json:"section,omitempty"`
	catalogue.Content
	Deadline          string                    `json:"deadline,omitempty"`
	DeadlineEstimated bool                      `json:"deadline_estimated,omitempty"`
	Overdue           bool                      `json:"overdue"`
	ReturnComment     string                    `json:"return_comment,omitempty"`
	ChangeNote        string                    `json:"change_note,omitempty"`
	Replaces          string                    `json:"replaces,omitempty"`
	ReplaceValidity   string                    `json:"replace_validity,omitempty"`
	ReplacedBy        string                    `json:"replaced_by,omitempty"`
	Withdrawn         *catalogue.Withdrawal     `json:"withdrawn,omitempty"`
	Secrecy           *catalogue.SecrecyOpinion `json:"secrecy,omitempty"`
	Versions          []staffVersionJSON        `json:"versions,omitempty"`
	Audit             []catalogue.AuditEvent    `json:"audit"`
	Actions           []catalogue.Action        `json:"actions"`
	CanEdit           bool                      `json:"can_edit"`
	PublicURL         string                    `json:"public_url,omitempty"`
	Revision          string                    `json:"revision"`
	Warning           string                    `json:"warning,omitempty"`
	CreatedBy         string                    `json:"created_by,omitempty"`
	CreatedAt         time.Time                 `json:"created_at"`
	UpdatedAt         time.Time                 `json:"updated_at"`
}

type staffVersionJSON struct {
	Version     int       `json:"version"`
	PublishedAt time.Time `json:"published_at"`
	Note        string    `json:"note,omitempty"`
}

func (h *Handler) toStaffEntryJSON(e *catalogue.Entry, actor catalogue.Actor) staffEntryJSON {
	out := staffEntryJSON{
		ID: e.ID, IndexNo: e.IndexNo, Kind: e.Kind, KindLabel: e.Kind.Label(), Attribute: e.Attribute,
		WithholdReason: e.WithholdReason, Status: e.Status, StatusLabel: e.StatusLabel(), Section: e.Section,
		Content: e.Draft, Overdue: h.Service.Overdue(e), ReturnComment: e.ReturnComment, Secrecy: e.Secrecy,
		ChangeNote: e.ChangeNote, Replaces: e.Replaces, ReplaceValidity: e.ReplaceValidity, ReplacedBy: e.ReplacedBy,
		Withdrawn: e.Withdrawn,
		Audit:     e.Audit, Actions: e.ActionsFor(actor), CanEdit: e.CanEdit(actor) == nil, Revision: e.Revision,
		CreatedBy: e.CreatedBy, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt,
	}
	if e.WithholdReason != "" {
		out.WithholdReasonLabel = catalogue.WithholdingLabel(e.WithholdReason)
	}
	if d, ok := h.Service.Deadline(e); ok {
		out.Deadline, out.DeadlineEstimated = d.Date.String(), d.Estimated
	}
	for _, v := range e.Versions {
		out.Versions = append(out.Versions, staffVersionJSON{v.Number, v.PublishedAt, v.Note})
	}
	if e.IsPublic() {
		out.PublicURL = entryURL(e.ID)
	}
	if out.Actions == nil {
		out.Actions = []catalogue.Action{}
	}
	if out.Audit == nil {
		out.Audit = []catalogue.AuditEvent{}
	}
	return out
}

// staffHitJSON is one line of a staff list.
type staffHitJSON struct {
	ID          string `json:"id"`
	IndexNo     string `json:"index_no,omitempty"`
	Title       string `json:"title"`
	DocNo       string `json:"doc_no,omitempty"`
	Organ       string `json:"organ"`
	Kind        string `json:"kind"`
	Attribute   string `json:"attribute"`
	Status      string `json:"status"`
	StatusLabel string `json:"status_label"`
	Section     string `json:"section,omitempty"`
	FormedAt    string `json:"formed_at"`
	Deadline    string `json:"deadline,omitempty"`
	Overdue     bool   `json:"overdue"`
	UpdatedAt   string `json:"updated_at,omitempty"`
	URL         string `json:"url"`
}

func (h *Handler) toStaffHit(hit search.Hit) staffHitJSON {
	return staffHitJSON{
		ID: hit.ID, IndexNo: hit.IndexNo, Title: hit.Title, DocNo: hit.DocNo, Organ: hit.Organ, Kind: hit.Kind,
		Attribute: hit.Attribute, Status: hit.Status, StatusLabel: catalogue.Status(hit.Status).Label(),
		Section: hit.Section, FormedAt: hit.FormedAt.String(), Deadline: hit.DueAt.String(),
		Overdue: !hit.DueAt.IsZero() && h.Service.Today().After(hit.DueAt), UpdatedAt: hit.UpdatedAt.String(),
		URL: "/admin/entries/" + hit.ID,
	}
}

// staffQuery reads the filters of a staff list from the query string. Drafters
// and section chiefs only ever see their own section.
func (h *Handler) staffQuery(c *gin.Context, actor catalogue.Actor) (search.Query, error) {
	page, err := intParam(c, "page", 1)
	if err != nil {
		return search.Query{}, err
	}
	size, err := intParam(c, "size", search.DefaultSize)
	if err != nil {
		return search.Query{}, err
	}
	q := search.Query{
		Text: strings.TrimSpace(c.Query("q")), Page: page, Size: size, Sort: c.Query("sort"),
		Highlight: false,
		Filters: search.Filters{
			Status: c.Query("status"), Attribute: c.Query("attribute"), Section: c.Query("section"),
			Kind: c.Query("kind"), Category: c.Query("category"), Organ: c.Query("organ"), Year: c.Query("year"),
		},
	}
	if q.Filters.Status != "" && !slices.Contains(catalogue.Statuses, catalogue.Status(q.Filters.Status)) {
		return q, catalogue.Errorf(catalogue.EINVALID, "状态 %q 不正确", q.Filters.Status)
	}
	if actor.Role.NeedsSection() {
		q.Filters.Section = actor.Section
	}
	today := h.Service.Today()
	switch {
	case c.Query("overdue") == "1" || c.Query("deadline") == "overdue":
		q.Filters.DueTo = today.AddDays(-1)
	case c.Query("due_soon") == "1" || c.Query("deadline") == "due_soon":
		soon, _ := h.Service.Calendar.AddWorkingDays(today, dueSoonWorkingDays)
		q.Filters.DueFrom, q.Filters.DueTo = today, soon
	}
	if q.Sort == "" && (q.Filters.DueTo != (catalogue.Date{})) {
		q.Sort = search.SortDue
	}
	if q.Sort == "" && q.Text == "" {
		q.Sort = search.SortUpdated // what changed last, work in progress first
	}
	return q, nil
}

// dueSoonWorkingDays is the window of the dashboard's "due soon" list.
const dueSoonWorkingDays = 5

// draftRequest is the body of creating or editing an entry: the import
// fields plus kind, attribute and withholding reason. Files come as
// multipart parts named "files"; remove_attachments lists the SHA-256 of
// files to drop when editing.
type draftRequest struct {
	catalogue.Content
	Kind              catalogue.Kind      `json:"kind"`
	Attribute         catalogue.Attribute `json:"attribute"`
	WithholdReason    string              `json:"withhold_reason"`
	RemoveAttachments []string            `json:"remove_attachments"`
	Revision          string              `json:"revision"`
	Replaces          string              `json:"replaces"`
	ReplaceValidity   string              `json:"replace_validity"`
}

// maxDraftJSON bounds a JSON draft: the body limit plus the other fields.
const maxDraftJSON = catalogue.MaxBodyBytes + 256<<10

// readDraft reads a draft from a JSON or multipart body, storing the
// uploaded files. Field errors name the field.
func (h *Handler) readDraft(c *gin.Context) (draftRequest, []catalogue.Attachment, error) {
	var req draftRequest
	// The API takes JSON, or multipart with files; pages post forms. A
	// client that sends JSON without saying so (curl -d) is read as JSON.
	ct, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	isForm := ct == "multipart/form-data" || ct == "application/x-www-form-urlencoded" && !isAPI(c)
	switch {
	case isForm:
		if err := parseForm(c); err != nil {
			return req, nil, err
		}
		form := c.Request.PostForm
		if c.Request.MultipartForm != nil {
			form = url.Values(c.Request.MultipartForm.Value)
		}
		if err := draftFromForm(form, &req); err != nil {
			return req, nil, err
		}
	default:
		dec := json.NewDecoder(io.LimitReader(c.Request.Body, maxDraftJSON))
		if err := dec.Decode(&req); err != nil {
			if catalogue.ErrorCode(err) == catalogue.EINVALID {
				return req, nil, err // a bad date, say which
			}
			return req, nil, catalogue.WrapError(catalogue.EINVALID, "请求体应为 JSON 格式的条目字段", err)
		}
		req.Attachments = nil
	}
	files, err := h.storeUploads(c)
	return req, files, err
}

// parseForm parses a form body, reporting an oversize one as ETOOLARGE.
func parseForm(c *gin.Context) error {
	err := c.Request.ParseMultipartForm(8 << 20)
	if errors.Is(err, http.ErrNotMultipart) {
		err = c.Request.ParseForm()
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return errUploadTooLarge(tooLarge.Limit - formRoom)
	}
	if err != nil {
		return catalogue.WrapError(catalogue.EINVALID, "无法读取提交的表单", err)
	}
	return nil
}

func errUploadTooLarge(limit int64) error {
	return catalogue.Errorf(catalogue.ETOOLARGE, "上传的内容超过 %s 的上限，请压缩或拆分文件后重试", humanSize(limit))
}

// storeUploads stores the files of a multipart body, each within the
// upload limit, and extracts their text.
func (h *Handler) storeUploads(c *gin.Context) ([]catalogue.Attachment, error) {
	mf := c.Request.MultipartForm
	if mf == nil {
		return nil, nil
	}
	var out []catalogue.Attachment
	for _, fh := range mf.File["files"] {
		if fh.Filename == "" && fh.Size == 0 {
			continue // the file field left empty
		}
		f, err := fh.Open()
		if err != nil {
			return nil, catalogue.WrapError(catalogue.EINVALID, "无法读取上传的文件 "+fh.Filename, err)
		}
		att, err := h.Service.AddFile(c.Request.Context(), f, fh.Filename)
		f.Close()
		switch catalogue.ErrorCode(err) {
		case "":
		case catalogue.ETOOLARGE:
			return nil, &catalogue.Error{Code: catalogue.ETOOLARGE, Field: "files",
				Message: fmt.Sprintf("文件“%s”超过 %s 的上限，请压缩或拆分后重试", fh.Filename, humanSize(h.Service.Settings.MaxUploadBytes))}
		case catalogue.EINVALID:
			return nil, &catalogue.Error{Code: catalogue.EINVALID, Field: "files", Message: catalogue.ErrorMessage(err), Err: err}
		default:
			return nil, err
		}
		out = append(out, att)
	}
	return out, nil
}

// draftFromForm reads the fields of the entry form.
func draftFromForm(f url.Values, req *draftRequest) error {
	get := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	c := &req.Content
	c.Title, c.Organ, c.DocNo = get("title"), get("organ"), get("doc_no")
	c.Category, c.Topic, c.DocType = get("category"), get("topic"), get("doc_type")
	c.Summary, c.Body, c.Validity, c.SourceURL = get("summary"), f.Get("body"), get("validity"), get("source_url")
	c.Keywords, c.Normative = splitKeywords(get("keywords")), get("normative")
	var errFormed, errEffective error
	c.FormedAt, errFormed = formDate(get("formed_at"), "formed_at", "生成日期")
	c.EffectiveAt, errEffective = formDate(get("effective_at"), "effective_at", "生效日期")
	req.Kind = catalogue.Kind(get("kind"))
	req.Attribute = catalogue.Attribute(get("attribute"))
	req.WithholdReason = get("withhold_reason")
	req.RemoveAttachments = f["remove_attachments"]
	req.Revision = get("revision")
	req.Replaces, req.ReplaceValidity = get("replaces"), get("replace_validity")
	return errors.Join(errFormed, errEffective)
}

// formDate reads the date typed into field.
func formDate(s, field, label string) (catalogue.Date, error) {
	if s == "" {
		return catalogue.Date{}, nil
	}
	d, err := catalogue.ParseDate(s)
	if err != nil {
		return d, catalogue.FieldErrorf(field, "%s应为 YYYY-MM-DD 格式的日期", label)
	}
	return d, nil
}

func splitKeywords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == ',' || r == '，' || r == '、' || r == ';' || r == '；' || r == '　'
	})
}

// input turns the request into the service's input, with the attachments
// the entry keeps (minus removed ones) and the new uploads.
func (r draftRequest) input(kept, uploaded []catalogue.Attachment) catalogue.DraftInput {
	in := catalogue.DraftInput{Kind: r.Kind, Attribute: r.Attribute, WithholdReason: r.WithholdReason, Content: r.Content,
		Replaces: r.Replaces, ReplaceValidity: r.ReplaceValidity}
	in.Content.Attachments = nil
	for _, a := range kept {
		if !slices.Contains(r.RemoveAttachments, a.SHA256) {
			in.Content.Attachments = append(in.Content.Attachments, a)
		}
	}
	for _, a := range uploaded {
		if !slices.ContainsFunc(in.Content.Attachments, func(b catalogue.Attachment) bool { return b.SHA256 == a.SHA256 }) {
			in.Content.Attachments = append(in.Content.Attachments, a)
		}
	}
	return in
}

// limitBody bounds every staff request body: an upload over the limit is
// refused with 413 before it is read, and one without a declared length is
// cut off at the limit.
func (h *Handler) limitBody() gin.HandlerFunc {
	return func(c *gin.Context) {
		limit := h.uploadLimit()
		if c.Request.ContentLength > limit {
			c.Header("Connection", "close") // the body is not read
			err := errUploadTooLarge(limit - formRoom)
			if isAPI(c) {
				h.fail(c, err)
			} else {
				h.adminError(c, http.StatusRequestEntityTooLarge, err)
			}
			return
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		c.Next()
	}
}

// uploadLimit is the largest staff request: one upload limit of files plus
// room for the form's fields.
func (h *Handler) uploadLimit() int64 {
	n := int64(50 << 20)
	if h.Service != nil && h.Service.Settings.MaxUploadBytes > 0 {
		n = h.Service.Settings.MaxUploadBytes
	}
	return n + formRoom
}

// formRoom is the room a staff request has beside its files, for the
// form's fields.
const formRoom = 1 << 20

// entryForStaff reads an entry the signed-in staff member may see.
func (h *Handler) entryForStaff(ctx context.Context, actor catalogue.Actor, id string) (*catalogue.Entry, error) {
	e, err := h.Service.Records.Entry(ctx, id)
	if err != nil {
		return nil, err
	}
	if !e.CanView(actor) {
		return nil, catalogue.Errorf(catalogue.EFORBIDDEN, "只能查看和处理本科室（%s）的条目", actor.Section)
	}
	return e, nil
}

// serveStaffFile sends an attachment of the entry to staff.
func (h *Handler) serveStaffFile(c *gin.Context, e *catalogue.Entry, sha string) {
	var att *catalogue.Attachment
	find := func(list []catalogue.Attachment) {
		for i := range list {
			if list[i].SHA256 == sha {
				att = &list[i]
			}
		}
	}
	find(e.Draft.Attachments)
	for i := range e.Versions {
		if att == nil {
			find(e.Versions[i].Content.Attachments)
		}
	}
	if att == nil {
		h.fail(c, catalogue.Errorf(catalogue.ENOTFOUND, "此条目没有这个附件"))
		return
	}
	rc, err := h.Service.Records.OpenFile(c.Request.Context(), sha)
	if err != nil {
		h.fail(c, err)
		return
	}
	defer rc.Close()
	c.Header("Content-Type", att.ContentType)
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": att.Name}))
	c.Header("Content-Length", strconv.FormatInt(att.Size, 10))
	c.Header("X-Content-Type-Options", "nosniff")
	c.Status(http.StatusOK)
	if _, err := io.Copy(c.Writer, rc); err != nil {
		h.Log.Warn("staff download interrupted", "entry", e.ID, "sha256", sha, "err", err)
	}
}
