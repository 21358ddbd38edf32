package web

import (
	"errors"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"gongkai/catalogue"
	"gongkai/search"
)

// apiCreateEntry drafts a new entry from JSON or a multipart form with
// files: 201 with the entry, status draft.
func (h *Handler) apiCreateEntry(c *gin.Context) {
	actor := catalogue.ActorOf(currentStaff(c).User)
	req, files, err := h.readDraft(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	e, err := h.Service.CreateDraft(c.Request.Context(), actor, req.input(nil, files))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, h.toStaffEntryJSON(e, actor))
}

// apiUpdateEntry replaces the working copy of a draft or returned entry.
func (h *Handler) apiUpdateEntry(c *gin.Context) {
	actor := catalogue.ActorOf(currentStaff(c).User)
	e, err := h.entryForStaff(c.Request.Context(), actor, c.Param("id"))
	if err != nil {
		h.fail(c, err)
		return
	}
	if err := e.CanEdit(actor); err != nil {
		h.fail(c, err)
		return
	}
	req, files, err := h.readDraft(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	revision := req.Revision
	if revision == "" {
		revision = e.Revision
	}
	e, err = h.Service.UpdateDraft(c.Request.Context(), actor, e.ID, revision, req.input(e.Draft.Attachments, files))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, h.toStaffEntryJSON(e, actor))
}

// apiStaffEntry returns one entry with its audit trail.
func (h *Handler) apiStaffEntry(c *gin.Context) {
	actor := catalogue.ActorOf(currentStaff(c).User)
	e, err := h.entryForStaff(c.Request.Context(), actor, c.Param("id"))
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, h.toStaffEntryJSON(e, actor))
}

// apiStaffFile downloads an attachment of an entry, public or not.
func (h *Handler) apiStaffFile(c *gin.Context) {
	actor := catalogue.ActorOf(currentStaff(c).User)
	e, err := h.entryForStaff(c.Request.Context(), actor, c.Param("id"))
	if err != nil {
		h.fail(c, err)
		return
	}
	h.serveStaffFile(c, e, c.Param("sha"))
}

// apiEntryAction carries out one action of the review chain: 200 with the
// entry; 403 when the caller's role or section may not, 409 when the
// entry's state does not allow it (or it changed meanwhile); nothing
// changes on a refusal.
func (h *Handler) apiEntryAction(c *gin.Context) {
	actor := catalogue.ActorOf(currentStaff(c).User)
	var req catalogue.ActionRequest
	if c.Request.ContentLength != 0 {
		if err := bindJSON(c, &req); err != nil && !errors.Is(err, io.EOF) {
			h.fail(c, err)
			return
		}
	}
	e, err := h.Service.Act(c.Request.Context(), actor, c.Param("id"), catalogue.Action(c.Param("action")), req)
	if err != nil && e != nil {
		// Saved, but the public side has not followed yet (it is retried):
		// the action happened, so it is not reported as a failure.
		out := h.toStaffEntryJSON(e, actor)
		out.Warning = catalogue.ErrorMessage(err)
		c.JSON(http.StatusOK, out)
		return
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	h.Log.Info("entry action", "entry", e.ID, "action", c.Param("action"), "by", actor.Name, "status", e.Status)
	c.JSON(http.StatusOK, h.toStaffEntryJSON(e, actor))
}

// apiStaffEntries searches every entry the caller may see (staff index):
// text, status, attribute, kind, section and overdue / due-soon filters.
func (h *Handler) apiStaffEntries(c *gin.Context) {
	actor := catalogue.ActorOf(currentStaff(c).User)
	q, err := h.staffQuery(c, actor)
	if err != nil {
		h.fail(c, err)
		return
	}
	res, err := h.StaffIndex.Search(c.Request.Context(), q)
	if err != nil {
		h.fail(c, err)
		return
	}
	hits := make([]staffHitJSON, len(res.Hits))
	for i, hit := range res.Hits {
		hits[i] = h.toStaffHit(hit)
	}
	c.JSON(http.StatusOK, gin.H{"total": res.Total, "page": res.Page, "size": res.Size, "hits": hits})
}

// apiDashboard answers the caller's dashboard: tasks, due soon, overdue,
// counts by status, and calendar warnings.
func (h *Handler) apiDashboard(c *gin.Context) {
	d, err := h.dashboard(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	out := gin.H{"counts": d.Counts, "total": d.Total, "calendar_missing_years": d.MissingYears}
	for name, list := range map[string][]search.Hit{"tasks": d.Tasks, "due_soon": d.DueSoon, "overdue": d.Overdue} {
		hits := make([]staffHitJSON, len(list))
		for i, hit := range list {
			hits[i] = h.toStaffHit(hit)
		}
		out[name] = hits
	}
	c.JSON(http.StatusOK, out)
}
