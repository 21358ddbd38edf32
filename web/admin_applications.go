package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"gongkai/catalogue"
)

// Staff pages for applications and the annual report (the office).

// appCounts is the office's dashboard line on applications.
type appCounts struct{ Open, Overdue, DueSoon int }

// countApplications counts the open applications, those past their
// deadline and those due within dueSoonWorkingDays; nil if the store
// cannot be read (the dashboard then shows the rest).
func (h *Handler) countApplications(c *gin.Context) *appCounts {
	var n appCounts
	soon, _ := h.Service.Calendar.AddWorkingDays(h.Service.Today(), dueSoonWorkingDays)
	err := h.Applications.Store.ListApplications(c.Request.Context(), func(a *catalogue.Application) error {
		if a.Status == catalogue.AppAnswered {
			return nil
		}
		n.Open++
		switch d := h.Applications.Due(a); {
		case h.Applications.Overdue(a):
			n.Overdue++
		case !d.Stopped && !d.Date.After(soon):
			n.DueSoon++
		}
		return nil
	})
	if err != nil {
		h.Log.Warn("dashboard: applications not counted", "err", err)
		return nil
	}
	return &n
}

func (h *Handler) applicationsPage(c *gin.Context) {
	list, err := h.listApplications(c)
	if err != nil {
		h.failPage(c, err)
		return
	}
	h.renderAdmin(c, http.StatusOK, "admin_applications", "依申请公开", "applications", gin.H{
		"List": list, "Overdue": c.Query("overdue") == "1", "Year": h.Service.Today().Year,
	})
}

func (h *Handler) applicationPage(c *gin.Context) {
	a, err := h.Applications.Store.Application(c.Request.Context(), c.Param("id"))
	if err == nil {
		err = h.Applications.LogView(c.Request.Context(), a, currentStaff(c).User.Name)
	}
	if err != nil {
		h.failPage(c, err)
		return
	}
	h.Log.Info("application viewed", "application", a.ID, "by", currentStaff(c).User.Name)
	h.renderAdmin(c, http.StatusOK, "admin_application", "申请 "+a.TrackingCode(), "applications", gin.H{
		"A": h.toStaffAppJSON(a), "Outcomes": catalogue.Outcomes, "Today": h.Service.Today().String(),
	})
}

func (h *Handler) applicationAct(c *gin.Context) {
	days, _ := strconv.Atoi(c.PostForm("days"))
	req := catalogue.AppActionRequest{
		Items: c.PostForm("items"), Date: c.PostForm("date"), Party: c.PostForm("party"), Days: days,
		Approver: c.PostForm("approver"), Reason: c.PostForm("reason"), Outcome: c.PostForm("outcome"),
		Note: c.PostForm("note"), Holder: c.PostForm("holder"), EntryIDs: strings.Fields(c.PostForm("entry_ids")),
	}
	id := c.Param("id")
	if _, err := h.Applications.Act(c.Request.Context(), id, c.PostForm("action"), currentStaff(c).User.Name, req); err != nil {
		h.renderAdmin(c, HTTPStatus(err), "admin_error", "未能办理", "applications", gin.H{
			"Status": HTTPStatus(err), "Message": catalogue.ErrorMessage(err), "Back": "/admin/applications/" + id, "BackLabel": "返回申请",
		})
		return
	}
	h.reportCache.Clear()
	h.flash(c, flash{Text: "已办理。"})
	c.Redirect(http.StatusSeeOther, "/admin/applications/"+id)
}

// registerFormFields are the fields of the staff form that registers a
// letter, fax or visit, in the order they appear.
var registerFormFields = append([]string{"received_via", "received_at"}, applyFormFields...)

func (h *Handler) registerApplicationPage(c *gin.Context) {
	h.renderAdmin(c, http.StatusOK, "admin_application_new", "登记申请", "applications", applyForm{
		Req: applicationRequest{Applicant: catalogue.Applicant{Type: catalogue.ApplicantPerson, IDType: "身份证"},
			Request: catalogue.Request{Format: "纸质", Channel: "邮寄"}, ReceivedVia: "信函", ReceivedAt: h.Service.Today().String()},
		Choices: appChoices(),
	})
}

func (h *Handler) registerApplication(c *gin.Context) {
	req := applicationFromForm(c)
	a, err := req.application()
	if err == nil {
		err = h.Applications.Submit(c.Request.Context(), a, currentStaff(c).User.Name)
	}
	if err != nil {
		h.renderAdmin(c, HTTPStatus(err), "admin_application_new", "登记申请", "applications",
			applyForm{Req: req, Choices: appChoices()}.withErrors(err, registerFormFields))
		return
	}
	h.reportCache.Clear()
	h.flash(c, flash{Text: "申请已登记，查询码 " + a.TrackingCode() + "。请告知申请人。"})
	c.Redirect(http.StatusSeeOther, "/admin/applications/"+a.ID)
}

func (h *Handler) reportEditPage(c *gin.Context) {
	year, err := strconv.Atoi(c.Param("year"))
	if err != nil {
		h.adminError(c, http.StatusBadRequest, catalogue.Errorf(catalogue.EINVALID, "年份应为数字"))
		return
	}
	in, err := h.Reports.ReportInputs(c.Request.Context(), year)
	if catalogue.IsNotFound(err) {
		in, err = &catalogue.ReportInputs{Year: year}, nil
	}
	if err != nil {
		h.failPage(c, err)
		return
	}
	h.renderAdmin(c, http.StatusOK, "admin_report", strconv.Itoa(year)+" 年度报告", "applications", gin.H{"In": in})
}

func (h *Handler) reportEditSubmit(c *gin.Context) {
	year, err := strconv.Atoi(c.Param("year"))
	if err != nil {
		h.adminError(c, http.StatusBadRequest, catalogue.Errorf(catalogue.EINVALID, "年份应为数字"))
		return
	}
	num := func(k string) int { n, _ := strconv.Atoi(strings.TrimSpace(c.PostForm(k))); return n }
	row := func(k string) (r [5]int) {
		for i := range r {
			r[i] = num(k + strconv.Itoa(i))
		}
		return r
	}
	fees, _ := strconv.ParseFloat(strings.TrimSpace(c.PostForm("fees_wan")), 64)
	in := &catalogue.ReportInputs{Year: year, Licensing: num("licensing"), Penalty: num("penalty"), Coercion: num("coercion"), FeesWan: fees,
		Review: row("review"), SuitDirect: row("suit_direct"), SuitAfter: row("suit_after"),
		Overview: c.PostForm("overview"), Problems: c.PostForm("problems"), Other: c.PostForm("other")}
	if err := in.Validate(); err != nil {
		h.renderAdmin(c, http.StatusBadRequest, "admin_report", strconv.Itoa(year)+" 年度报告", "applications", gin.H{"In": in, "Error": catalogue.ErrorMessage(err)})
		return
	}
	if err := h.Reports.PutReportInputs(c.Request.Context(), in); err != nil {
		h.failPage(c, err)
		return
	}
	h.reportCache.Delete(year)
	h.flash(c, flash{Text: "已保存。"})
	c.Redirect(http.StatusSeeOther, "/admin/reports/"+strconv.Itoa(year))
}
