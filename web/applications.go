package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/catalogue"
)

// Applications for disclosure (依申请公开): the public form and status page,
// the JSON API, and the staff side that handles them.

// applyLimit bounds applications from one address: enough for a family or
// an office behind one address, not for a flood.
const (
	applyLimit  = 10
	applyWindow = time.Hour
)

// appJSON is the public view of an application: its progress, never the
// applicant's personal data.
// Its dates are catalogue.Date, which JSON writes as YYYY-MM-DD and the
// pages as 2026年12月29日.
type appJSON struct {
	TrackingCode string         `json:"tracking_code"`
	Status       string         `json:"status"`
	StatusLabel  string         `json:"status_label"`
	ReceivedAt   catalogue.Date `json:"received_at"`
	DueAt        catalogue.Date `json:"due_at,omitzero"`
	Correction   *corrJSON      `json:"correction,omitempty"`
	Extension    *extJSON       `json:"extension,omitempty"`
	Outcome      *outJSON       `json:"outcome,omitempty"`
}

type corrJSON struct {
	AskedAt    catalogue.Date `json:"asked_at"`
	Items      string         `json:"items"`
	Due        catalogue.Date `json:"due"`
	ReceivedAt catalogue.Date `json:"received_at,omitzero"`
}

type extJSON struct {
	Days int            `json:"days"`
	At   catalogue.Date `json:"at"`
}

type outJSON struct {
	Code    string         `json:"code"`
	Label   string         `json:"label"`
	Note    string         `json:"note,omitempty"`
	Holder  string         `json:"holder,omitempty"`
	Entries []string       `json:"entries,omitempty"`
	At      catalogue.Date `json:"at"`
}

func (h *Handler) toAppJSON(a *catalogue.Application) appJSON {
	out := appJSON{TrackingCode: a.TrackingCode(), Status: a.Status, StatusLabel: catalogue.AppStatusLabel(a.Status), ReceivedAt: a.ReceivedAt}
	if a.Status != catalogue.AppAnswered {
		if d := h.Applications.Due(a); !d.Stopped {
			out.DueAt = d.Date
		}
	}
	if c := a.Correction; c != nil {
		out.Correction = &corrJSON{AskedAt: c.AskedAt, Items: c.Items, Due: c.Due, ReceivedAt: c.ReceivedAt}
	}
	if e := a.Extension; e != nil {
		out.Extension = &extJSON{Days: e.Days, At: e.At}
	}
	if ans := a.Answer; ans != nil {
		out.Outcome = &outJSON{Code: ans.Outcome, Label: catalogue.OutcomeText(ans.Outcome), Note: ans.Note, Holder: ans.Holder, At: ans.At}
		for _, id := range ans.EntryIDs {
			out.Outcome.Entries = append(out.Outcome.Entries, entryURL(id))
		}
	}
	return out
}

// applicationRequest is the body of POST /api/v1/applications.
type applicationRequest struct {
	catalogue.Applicant
	catalogue.Request
	// Staff registering a letter, fax or visit.
	ReceivedVia string `json:"received_via"`
	ReceivedAt  string `json:"received_at"`
}

func (r applicationRequest) application() (*catalogue.Application, error) {
	a := &catalogue.Application{Applicant: r.Applicant, Request: r.Request, ReceivedVia: r.ReceivedVia}
	if r.ReceivedAt != "" {
		d, err := catalogue.ParseDate(r.ReceivedAt)
		if err != nil {
			return nil, catalogue.FieldErrorf("received_at", "收到日期应为 YYYY-MM-DD")
		}
		a.ReceivedAt = d
	}
	return a, nil
}

func applicationFromForm(c *gin.Context) applicationRequest {
	f := func(k string) string { return strings.TrimSpace(c.PostForm(k)) }
	return applicationRequest{
		Applicant: catalogue.Applicant{Type: f("applicant_type"), OrgKind: f("org_kind"), Name: f("name"), IDType: f("id_type"),
			IDNumber: f("id_number"), Phone: f("phone"), Email: f("email"), Address: f("address")},
		Request: catalogue.Request{Description: f("description"), DocNo: f("doc_no"), IndexNo: f("index_no"),
			Format: f("format"), Channel: f("channel")},
		ReceivedVia: f("received_via"), ReceivedAt: f("received_at"),
	}
}

// limitApply counts one application from the client's address; ERATELIMIT
// past applyLimit an hour.
// Only accepted applications count, so fixing a typo costs nothing.
func (h *Handler) limitApply(c *gin.Context) error {
	if until := h.applyLimiter.blockedUntil(applyKey(c)); !until.IsZero() {
		c.Header("Retry-After", strconv.Itoa(int(time.Until(until).Seconds())+1))
		return catalogue.Errorf(catalogue.ERATELIMIT, "提交过于频繁：同一网络地址每小时最多提交 %d 份申请，请稍后再试", applyLimit)
	}
	return nil
}

func applyKey(c *gin.Context) string { return "apply:" + c.ClientIP() }

// submitOnline files an application from the public side, within the
// per-address limit.
func (h *Handler) submitOnline(c *gin.Context, req applicationRequest) (*catalogue.Application, error) {
	req.ReceivedVia, req.ReceivedAt = "在线", ""
	a, err := req.application()
	if err == nil {
		err = h.limitApply(c)
	}
	if err == nil {
		err = h.Applications.Submit(c.Request.Context(), a, "申请人（在线）")
	}
	if err != nil {
		return nil, err
	}
	h.applyLimiter.fail(applyKey(c))
	h.reportCache.Clear()
	return a, nil
}

// apiApply takes an application online: 201 with the tracking code.
func (h *Handler) apiApply(c *gin.Context) {
	var req applicationRequest
	if err := bindJSON(c, &req); err != nil {
		h.fail(c, err)
		return
	}
	a, err := h.submitOnline(c, req)
	if err != nil {
		h.fail(c, err)
		return
	}
	j := h.toAppJSON(a)
	c.JSON(http.StatusCreated, gin.H{"tracking_code": j.TrackingCode, "received_at": j.ReceivedAt, "due_at": j.DueAt, "status_url": "/apply/" + j.TrackingCode})
}

// apiApplication answers the status of an application by its tracking code.
func (h *Handler) apiApplication(c *gin.Context) {
	a, err := h.Applications.Store.Application(c.Request.Context(), c.Param("code"))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, h.toAppJSON(a))
}

// applyForm is the application form's state: what was typed, and the
// messages of the last attempt by field (Errors, listed in Summary) and
// about the form as a whole (Error).
type applyForm struct {
	Req     applicationRequest
	Errors  formErrors
	Summary []fieldError
	Error   string
	Choices gin.H
	// Code is the tracking code typed into the status form, and
	// CodeError what is wrong with it.
	Code      string
	CodeError string
}

// applyFormFields are the fields of the public form in the order they
// appear, for the error summary.
var applyFormFields = []string{"applicant_type", "org_kind", "name", "id_type", "id_number", "phone", "email", "address",
	"description", "doc_no", "index_no", "format", "channel"}

// withErrors records err on the form: next to the fields it is about, and
// at the top for the rest.
func (f applyForm) withErrors(err error, fields []string) applyForm {
	f.Errors, f.Summary, f.Error = formErrorsOf(err, fields)
	return f
}

func appChoices() gin.H {
	return gin.H{"OrgKinds": catalogue.OrgKinds, "IDTypes": catalogue.IDTypes, "Formats": catalogue.DeliveryFormats,
		"Channels": catalogue.Channels, "ReceivedVia": catalogue.ReceivedVia}
}

// applyPage shows the application form.
func (h *Handler) applyPage(c *gin.Context) {
	h.render(c, http.StatusOK, "apply", "申请政府信息公开", "apply", applyForm{Req: newApplicationRequest(), Choices: appChoices()})
}

// newApplicationRequest is what the empty public form starts with.
func newApplicationRequest() applicationRequest {
	return applicationRequest{Applicant: catalogue.Applicant{Type: catalogue.ApplicantPerson, IDType: "身份证"},
		Request: catalogue.Request{Format: "电子", Channel: "在线"}}
}

// applySubmit takes the form: on success the status page with the tracking
// code; otherwise the form again with what was typed and what to fix.
func (h *Handler) applySubmit(c *gin.Context) {
	req := applicationFromForm(c)
	a, err := h.submitOnline(c, req)
	if err != nil {
		h.render(c, HTTPStatus(err), "apply", "申请政府信息公开", "apply", applyForm{Req: req, Choices: appChoices()}.withErrors(err, applyFormFields))
		return
	}
	c.Redirect(http.StatusSeeOther, "/apply/"+a.TrackingCode()+"?new=1")
}

// applyStatus shows an application's progress by its tracking code. A
// code typed into the form (/apply-status?code=) that is empty or unknown
// brings the form back with the message next to the field.
func (h *Handler) applyStatus(c *gin.Context) {
	code := c.Param("code")
	fromForm := code == ""
	if fromForm {
		code = strings.TrimSpace(c.Query("code"))
		if code == "" {
			h.trackFormAgain(c, http.StatusBadRequest, code, "请填写申请查询码：提交申请后页面上显示的 12 位字母和数字")
			return
		}
	}
	a, err := h.Applications.Store.Application(c.Request.Context(), code)
	if fromForm && catalogue.IsNotFound(err) {
		h.trackFormAgain(c, http.StatusNotFound, code, "没有找到查询码为“"+code+"”的申请，请核对后重新输入")
		return
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	h.render(c, http.StatusOK, "apply_status", "申请办理进度", "apply", gin.H{"A": h.toAppJSON(a), "New": c.Query("new") == "1", "Guide": h.Service.Settings.Guide})
}

// trackFormAgain shows the application page again with msg next to the
// tracking-code field of its status form.
func (h *Handler) trackFormAgain(c *gin.Context, status int, code, msg string) {
	f := applyForm{Req: newApplicationRequest(), Choices: appChoices(), Code: code, CodeError: msg}
	h.render(c, status, "apply", "查询办理进度", "apply", f)
}

// guidePage is the 政府信息公开指南, from the settings.
func (h *Handler) guidePage(c *gin.Context) {
	s := h.Service.Settings
	h.render(c, http.StatusOK, "guide", "政府信息公开指南", "guide", gin.H{
		"S": s, "AnswerDays": s.ApplicationAnswerWorkingDays, "ExtensionDays": s.ApplicationExtensionWorkingDays,
		"PublishDays": s.PublishWorkingDays, "CorrectionDays": s.CorrectionNoticeWorkingDays,
	})
}

// report builds the annual report of the year in the path.
func (h *Handler) report(c *gin.Context) (*catalogue.AnnualReport, error) {
	year, err := strconv.Atoi(c.Param("year"))
	if err != nil || year < 2008 || year > h.Service.Today().Year {
		return nil, catalogue.Errorf(catalogue.ENOTFOUND, "没有这一年的年度报告")
	}
	if v, ok := h.reportCache.Load(year); ok {
		if cr := v.(cachedReport); time.Since(cr.at) < reportCacheFor {
			return cr.r, nil
		}
	}
	ctx := c.Request.Context()
	var entries []*catalogue.Entry
	if err := h.Service.Records.ListEntries(ctx, func(e *catalogue.Entry) error {
		if len(e.Versions) > 0 {
			entries = append(entries, e)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	var apps []*catalogue.Application
	if err := h.Applications.Store.ListApplications(ctx, func(a *catalogue.Application) error {
		apps = append(apps, a)
		return nil
	}); err != nil {
		return nil, err
	}
	in, err := h.Reports.ReportInputs(ctx, year)
	if err != nil && !catalogue.IsNotFound(err) {
		return nil, err
	}
	r := catalogue.BuildReport(year, h.Service.Settings.Agency.Name, entries, apps, in)
	h.reportCache.Store(year, cachedReport{r, time.Now()})
	return r, nil
}

// reportCacheFor is how long a built report is reused: building one reads
// every entry and application, which nobody should be able to make the
// server do on every request.
const reportCacheFor = 5 * time.Minute

type cachedReport struct {
	r  *catalogue.AnnualReport
	at time.Time
}

// reportPage shows the annual report, printable.
func (h *Handler) reportPage(c *gin.Context) {
	r, err := h.report(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.render(c, http.StatusOK, "report", strconv.Itoa(r.Year)+"年政府信息公开工作年度报告", "guide", gin.H{"R": r, "Groups": catalogue.OutcomeGroups()})
}

// apiReport answers the annual report as JSON.
func (h *Handler) apiReport(c *gin.Context) {
	r, err := h.report(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

// --- staff side ---

// staffAppJSON is an application as staff see it, personal data included.
type staffAppJSON struct {
	ID          string                   `json:"id"`
	Applicant   catalogue.Applicant      `json:"applicant"`
	Request     catalogue.Request        `json:"request"`
	ReceivedVia string                   `json:"received_via"`
	Progress    appJSON                  `json:"progress"`
	Overdue     bool                     `json:"overdue"`
	Consults    []catalogue.Consultation `json:"consults,omitempty"`
	Extension   *catalogue.Extension     `json:"extension,omitempty"`
	Answer      *catalogue.Answer        `json:"answer,omitempty"`
	Events      []catalogue.AppEvent     `json:"events"`
}

func (h *Handler) toStaffAppJSON(a *catalogue.Application) staffAppJSON {
	return staffAppJSON{ID: a.ID, Applicant: a.Applicant, Request: a.Request, ReceivedVia: a.ReceivedVia, Progress: h.toAppJSON(a),
		Overdue: h.Applications.Overdue(a), Consults: a.Consults, Extension: a.Extension, Answer: a.Answer, Events: a.Events}
}

// appListItem is a line of the staff list: no personal data.
type appListItem struct {
	ID, Code, Status, StatusLabel, Description string
	ReceivedAt, Due                            catalogue.Date
	Overdue                                    bool
}

func (h *Handler) listApplications(c *gin.Context) ([]appListItem, error) {
	var out []appListItem
	err := h.Applications.Store.ListApplications(c.Request.Context(), func(a *catalogue.Application) error {
		if st := c.Query("status"); st != "" && st != a.Status {
			return nil
		}
		overdue := h.Applications.Overdue(a)
		if c.Query("overdue") == "1" && !overdue {
			return nil
		}
		j := h.toAppJSON(a)
		desc := []rune(a.Request.Description)
		if len(desc) > 40 {
			desc = append(desc[:40], '…')
		}
		out = append(out, appListItem{ID: a.ID, Code: a.TrackingCode(), Status: a.Status, StatusLabel: j.StatusLabel,
			ReceivedAt: j.ReceivedAt, Due: j.DueAt, Description: string(desc), Overdue: overdue})
		return nil
	})
	// Open ones first, by due date; then answered ones, newest first.
	slices.SortFunc(out, func(a, b appListItem) int {
		ao, bo := a.Status == catalogue.AppAnswered, b.Status == catalogue.AppAnswered
		switch {
		case ao != bo:
			if ao {
				return 1
			}
			return -1
		case !ao:
			return a.Due.Compare(b.Due)
		}
		return b.ReceivedAt.Compare(a.ReceivedAt)
	})
	return out, err
}

func (h *Handler) apiStaffApplications(c *gin.Context) {
	list, err := h.listApplications(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	if list == nil {
		list = []appListItem{}
	}
	c.JSON(http.StatusOK, gin.H{"applications": list})
}

// apiRegisterApplication registers one received by letter, fax or in
// person, with its day of receipt.
func (h *Handler) apiRegisterApplication(c *gin.Context) {
	var req applicationRequest
	if err := bindJSON(c, &req); err != nil {
		h.fail(c, err)
		return
	}
	a, err := req.application()
	if err == nil {
		err = h.Applications.Submit(c.Request.Context(), a, currentStaff(c).User.Name)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	h.reportCache.Clear()
	c.JSON(http.StatusCreated, gin.H{"id": a.ID, "progress": h.toAppJSON(a)})
}

// apiStaffApplication shows one application with the applicant's data;
// the view is recorded on its trail.
func (h *Handler) apiStaffApplication(c *gin.Context) {
	a, err := h.Applications.Store.Application(c.Request.Context(), c.Param("id"))
	if err == nil {
		err = h.Applications.LogView(c.Request.Context(), a, currentStaff(c).User.Name)
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	h.Log.Info("application viewed", "application", a.ID, "by", currentStaff(c).User.Name)
	c.JSON(http.StatusOK, h.toStaffAppJSON(a))
}

// apiApplicationAction handles an application: correction, corrected,
// no-correction, consult, consulted, extend, answer.
func (h *Handler) apiApplicationAction(c *gin.Context) {
	var req catalogue.AppActionRequest
	if c.Request.ContentLength != 0 {
		if err := bindJSON(c, &req); err != nil {
			h.fail(c, err)
			return
		}
	}
	a, err := h.Applications.Act(c.Request.Context(), c.Param("id"), c.Param("action"), currentStaff(c).User.Name, req)
	if err != nil {
		h.fail(c, err)
		return
	}
	h.reportCache.Clear()
	// The progress only: personal data is shown (and its view logged) by
	// GET /api/v1/admin/applications/{id}.
	c.JSON(http.StatusOK, gin.H{"id": a.ID, "progress": h.toAppJSON(a), "overdue": h.Applications.Overdue(a)})
}

// apiPutReport stores the staff-entered parts of a year's report.
func (h *Handler) apiPutReport(c *gin.Context) {
	year, err := strconv.Atoi(c.Param("year"))
	if err != nil {
		h.fail(c, catalogue.Errorf(catalogue.EINVALID, "年份应为数字"))
		return
	}
	var in catalogue.ReportInputs
	if err := bindJSON(c, &in); err != nil {
		h.fail(c, err)
		return
	}
	in.Year = year
	if err := in.Validate(); err != nil {
		h.fail(c, err)
		return
	}
	if err := h.Reports.PutReportInputs(c.Request.Context(), &in); err != nil {
		h.fail(c, err)
		return
	}
	h.reportCache.Delete(year)
	c.JSON(http.StatusOK, in)
}
