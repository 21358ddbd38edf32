package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"gongkai/catalogue"
	"gongkai/search"
)

// entryForm is the entry form's state: the values typed and the message of
// the last attempt.
type entryForm struct {
	Action   string // where the form posts
	Entry    *catalogue.Entry
	Req      draftRequest
	Keywords string
	// ReplacesTitle is the title of the entry this one is to replace.
	ReplacesTitle string
	// Errors are the messages by field, shown next to each field and
	// listed in Summary; Error is one about the form as a whole.
	Errors    formErrors
	Summary   []fieldError
	Error     string
	Status    int
	Choices   formChoices
	MaxUpload string
}

// entryFormFields are the fields of the entry form in the order they
// appear, for the error summary.
var entryFormFields = []string{"replace_validity", "kind", "attribute", "withhold_reason", "title", "organ", "formed_at",
	"doc_no", "doc_type", "category", "topic", "validity", "normative", "effective_at", "keywords", "source_url",
	"summary", "body", "files"}

// withErrors records err on the form: next to the fields it is about, and
// at the top for the rest.
func (f entryForm) withErrors(err error) entryForm {
	f.Errors, f.Summary, f.Error = formErrorsOf(err, entryFormFields)
	f.Status = HTTPStatus(err)
	return f
}

// formChoices are the lists the entry form offers.
type formChoices struct {
	Kinds      []catalogue.Kind
	Attributes []catalogue.Attribute
	Reasons    []catalogue.WithholdingReason
	Categories []string
	Topics     []string
	DocTypes   []string
	Validities []string
	Normatives []string
	Opinions   []string
	Statuses   []catalogue.Status
	Withdrawal []catalogue.WithdrawalReason
}

func (h *Handler) choices() formChoices {
	return formChoices{
		Kinds:      []catalogue.Kind{catalogue.KindDocument, catalogue.KindNonDocument, catalogue.KindObtained, catalogue.KindLink},
		Attributes: []catalogue.Attribute{catalogue.Proactive, catalogue.OnRequest, catalogue.Withheld},
		Reasons:    catalogue.WithholdingReasons(),
		Categories: h.Service.Settings.Categories,
		Topics:     h.Service.Settings.Topics,
		DocTypes:   catalogue.DocTypes,
		Validities: []string{catalogue.ValidityInForce, catalogue.ValidityExpired, catalogue.ValidityAbolished, catalogue.ValidityRevised},
		Normatives: []string{catalogue.NormRegulation, catalogue.NormNormative},
		Opinions:   catalogue.SecrecyOpinions,
		Statuses:   catalogue.Statuses,
		Withdrawal: catalogue.WithdrawalReasons(),
	}
}

// adminHome is the dashboard: what waits for the signed-in staff member,
// what is due soon or overdue, counts by status, calendar warnings.
func (h *Handler) adminHome(c *gin.Context) {
	st := currentStaff(c)
	var d *dashboardData
	var dashErr string
	if h.StaffIndex != nil && h.Service != nil {
		var err error
		if d, err = h.dashboard(c); err != nil {
			h.Log.Error("dashboard", "err", err)
			dashErr = catalogue.ErrorMessage(err)
		}
	}
	var apps *appCounts
	if st.User.Role == catalogue.RoleOffice && h.Applications != nil {
		apps = h.countApplications(c)
	}
	h.renderAdmin(c, http.StatusOK, "admin_home", "工作台", "home", gin.H{
		"User": st.User, "Duty": roleDuties[st.User.Role], "Dash": d, "DashError": dashErr, "Apps": apps,
		"CanDraft": st.User.Role == catalogue.RoleDrafter || st.User.Role == catalogue.RoleSectionChief,
		"SignedIn": clock(st.Session.CreatedAt), "Expires": clock(st.Session.ExpiresAt),
	})
}

// entriesPage lists and searches the entries the staff member may see.
func (h *Handler) entriesPage(c *gin.Context) {
	actor := catalogue.ActorOf(currentStaff(c).User)
	q, err := h.staffQuery(c, actor)
	if err != nil {
		h.failPage(c, err)
		return
	}
	res, err := h.StaffIndex.Search(c.Request.Context(), q)
	if err != nil && catalogue.ErrorCode(err) != catalogue.EINVALID {
		h.failPage(c, err)
		return
	}
	var msg string
	if err != nil {
		msg, res = catalogue.ErrorMessage(err), &search.Result{Page: 1, Size: q.Size}
	}
	params := url.Values{}
	for _, k := range []string{"q", "status", "attribute", "kind", "section", "overdue", "due_soon", "deadline", "sort"} {
		if v := c.Query(k); v != "" {
			params.Set(k, v)
		}
	}
	pageURL := func(p int) string {
		v := url.Values{}
		for k, vs := range params {
			v[k] = vs
		}
		v.Set("page", strconv.Itoa(p))
		return "/admin/entries?" + v.Encode()
	}
	var prev, next string
	if res.Page > 1 {
		prev = pageURL(res.Page - 1)
	}
	if uint64(res.Page*res.Size) < res.Total && res.Page*res.Size < res.Depth {
		next = pageURL(res.Page + 1)
	}
	h.renderAdmin(c, http.StatusOK, "admin_entries", "条目", "entries", gin.H{
		"Query": q, "Hits": res.Hits, "Total": res.Total, "Message": msg, "Choices": h.choices(),
		"Overdue": c.Query("overdue") == "1" || c.Query("deadline") == "overdue",
		"DueSoon": c.Query("due_soon") == "1" || c.Query("deadline") == "due_soon",
		"Params":  params, "Prev": prev, "Next": next, "Page": res.Page,
		"SectionLocked": actor.Role.NeedsSection(), "CanDraft": actor.Role == catalogue.RoleDrafter || actor.Role == catalogue.RoleSectionChief,
	})
}

// newEntryPage shows an empty entry form.
func (h *Handler) newEntryPage(c *gin.Context) {
	actor := catalogue.ActorOf(currentStaff(c).User)
	if actor.Role != catalogue.RoleDrafter && actor.Role != catalogue.RoleSectionChief {
		h.adminError(c, http.StatusForbidden, catalogue.Errorf(catalogue.EFORBIDDEN, "只有拟稿人和科室负责人可以拟稿"))
		return
	}
	req := draftRequest{Kind: catalogue.KindDocument}
	req.Organ = h.Service.Settings.Agency.Name
	req.FormedAt = h.Service.Today()
	req.Validity = catalogue.ValidityInForce
	req.Replaces = c.Query("replaces")
	h.renderEntryForm(c, entryForm{Action: "/admin/entries", Req: req, Status: http.StatusOK})
}

func (h *Handler) renderEntryForm(c *gin.Context, f entryForm) {
	f.Choices = h.choices()
	f.MaxUpload = humanSize(h.Service.Settings.MaxUploadBytes)
	f.Keywords = strings.Join(f.Req.Keywords, " ")
	if f.Req.Replaces != "" {
		if old, err := h.entryForStaff(c.Request.Context(), catalogue.ActorOf(currentStaff(c).User), f.Req.Replaces); err == nil {
			f.ReplacesTitle = old.Draft.Title
		}
	}
	title := "拟稿：新建条目"
	if f.Entry != nil {
		title = "修改条目"
	}
	h.renderAdmin(c, f.Status, "admin_entry_form", title, "entries", f)
}

// createEntry handles the new-entry form: the draft is saved and its page
// shown; on an error the form comes back with what was typed.
func (h *Handler) createEntry(c *gin.Context) {
	actor := catalogue.ActorOf(currentStaff(c).User)
	req, files, err := h.readDraft(c)
	if err == nil {
		var e *catalogue.Entry
		if e, err = h.Service.CreateDraft(c.Request.Context(), actor, req.input(nil, files)); err == nil {
			h.flash(c, flash{Text: "草稿已保存。核对无误后请“提交审核”。"})
			c.Redirect(http.StatusSeeOther, "/admin/entries/"+e.ID)
			return
		}
	}
	h.renderEntryForm(c, entryForm{Action: "/admin/entries", Req: req}.withErrors(err))
}

// editEntryPage shows the form for a draft or returned entry.
func (h *Handler) editEntryPage(c *gin.Context) {
	actor := catalogue.ActorOf(currentStaff(c).User)
	e, err := h.entryForStaff(c.Request.Context(), actor, c.Param("id"))
	if err != nil {
		h.failPage(c, err)
		return
	}
	if err := e.CanEdit(actor); err != nil {
		h.failPage(c, err)
		return
	}
	req := draftRequest{Content: e.Draft, Kind: e.Kind, Attribute: e.Attribute, WithholdReason: e.WithholdReason, Revision: e.Revision}
	h.renderEntryForm(c, entryForm{Action: "/admin/entries/" + e.ID + "/edit", Entry: e, Req: req, Status: http.StatusOK})
}

// updateEntry saves the edit form. An entry changed by someone else since
// the form was opened is not overwritten.
func (h *Handler) updateEntry(c *gin.Context) {
	actor := catalogue.ActorOf(currentStaff(c).User)
	e, err := h.entryForStaff(c.Request.Context(), actor, c.Param("id"))
	if err != nil {
		h.failPage(c, err)
		return
	}
	req, files, err := h.readDraft(c)
	if err == nil {
		var saved *catalogue.Entry
		if saved, err = h.Service.UpdateDraft(c.Request.Context(), actor, e.ID, req.Revision, req.input(e.Draft.Attachments, files)); err == nil {
			h.flash(c, flash{Text: "修改已保存。"})
			c.Redirect(http.StatusSeeOther, "/admin/entries/"+saved.ID)
			return
		}
	}
	req.Attachments = e.Draft.Attachments
	h.renderEntryForm(c, entryForm{Action: "/admin/entries/" + e.ID + "/edit", Entry: e, Req: req}.withErrors(err))
}

// staffEntryPage shows an entry to staff: its fields, deadline, files, review
// state, the actions the viewer may take, and the audit trail.
func (h *Handler) staffEntryPage(c *gin.Context) {
	actor := catalogue.ActorOf(currentStaff(c).User)
	e, err := h.entryForStaff(c.Request.Context(), actor, c.Param("id"))
	if err != nil {
		h.failPage(c, err)
		return
	}
	suggested, why := catalogue.SuggestAttribute(e.Draft.DocType, e.Draft.Title)
	deadline, _ := h.Service.Deadline(e)
	h.renderAdmin(c, http.StatusOK, "admin_entry", e.Draft.Title, "entries", gin.H{
		"E": e, "J": h.toStaffEntryJSON(e, actor), "Choices": h.choices(),
		"Suggested": suggested, "SuggestedWhy": why, "Deadline": deadline.Date,
	})
}

// entryAct carries out an action posted from the entry page. A refusal
// (403, 409) shows why on an error page; nothing is changed.
func (h *Handler) entryAct(c *gin.Context) {
	actor := catalogue.ActorOf(currentStaff(c).User)
	act := catalogue.Action(c.PostForm("action"))
	req := catalogue.ActionRequest{
		Comment: c.PostForm("comment"), Attribute: catalogue.Attribute(c.PostForm("attribute")),
		WithholdReason: c.PostForm("withhold_reason"), Opinion: c.PostForm("opinion"), Reason: c.PostForm("reason"),
	}
	e, err := h.Service.Act(c.Request.Context(), actor, c.Param("id"), act, req)
	if err != nil && e == nil {
		status := HTTPStatus(err)
		if status >= 500 {
			h.Log.Error("entry action failed", "entry", c.Param("id"), "action", act, "err", err)
		}
		h.renderAdmin(c, status, "admin_error", "未能"+act.Label(), "entries", gin.H{
			"Status": status, "Message": catalogue.ErrorMessage(err), "Back": "/admin/entries/" + c.Param("id"),
		})
		return
	}
	if err != nil {
		h.flash(c, flash{Text: catalogue.ErrorMessage(err), Error: true})
	} else {
		h.flash(c, flash{Text: doneMessage(act, actor) + "条目现在的状态：" + e.StatusLabel() + "。"})
	}
	c.Redirect(http.StatusSeeOther, "/admin/entries/"+e.ID)
}

// doneMessage confirms an action in words that fit who did it.
func doneMessage(act catalogue.Action, actor catalogue.Actor) string {
	switch {
	case act == catalogue.ActSecrecyReview && actor.Role == catalogue.RoleOffice:
		return "已提出保密审查意见，退回分管领导决定。"
	case act == catalogue.ActSecrecyReview:
		return "已送公开办保密审查。"
	case act == catalogue.ActSubmit:
		return "已提交科室负责人审核。"
	case act == catalogue.ActRevise:
		return "已开始变更：修改后重新提交审核，发布后生成新版本。"
	}
	return "已" + act.Label() + "。"
}

// staffFilePage downloads an attachment for staff.
func (h *Handler) staffFilePage(c *gin.Context) {
	actor := catalogue.ActorOf(currentStaff(c).User)
	e, err := h.entryForStaff(c.Request.Context(), actor, c.Param("id"))
	if err != nil {
		h.failPage(c, err)
		return
	}
	h.serveStaffFile(c, e, c.Param("sha"))
}
