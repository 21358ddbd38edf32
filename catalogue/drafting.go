package catalogue

import (
	"context"
	"errors"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"
)

// DraftInput is what a drafter fills in: the kind and proposed attribute of
// the information, and the catalogue fields. Content.Attachments lists the
// files already stored (AddFile) that belong to the entry.
type DraftInput struct {
	Kind           Kind      `json:"kind"`
	Attribute      Attribute `json:"attribute"` // empty: suggested from the document type
	WithholdReason string    `json:"withhold_reason"`
	Content        Content   `json:"content"`
	// Replaces is the id of a published entry this one replaces; when this
	// one is published the old one becomes ReplaceValidity (失效 or 废止).
	Replaces        string `json:"replaces"`
	ReplaceValidity string `json:"replace_validity"`
}

// normalizeDraft fills in defaults and checks the input, returning the
// withholding reason's code. Every problem found is reported, each naming
// its field (FieldErrors).
func (s *Service) normalizeDraft(in *DraftInput) (string, error) {
	var errs []error
	if in.Kind == "" {
		in.Kind = KindDocument
	}
	if !in.Kind.Valid() {
		errs = append(errs, FieldErrorf("kind", "信息类别应为 公文类（document）、非公文类（non_document）、获取保存类（obtained）或 链接（link）"))
	}
	c := &in.Content
	c.Title = strings.TrimSpace(c.Title)
	c.Organ = strings.TrimSpace(c.Organ)
	c.DocNo = strings.TrimSpace(c.DocNo)
	c.Summary = strings.TrimSpace(c.Summary)
	c.SourceURL = strings.TrimSpace(c.SourceURL)
	if c.Organ == "" {
		c.Organ = s.Settings.Agency.Name
	}
	if c.DocType != "" {
		if t, ok := CanonicalDocType(c.DocType); ok {
			c.DocType = t
		}
	}
	if c.SourceURL != "" {
		u, err := url.Parse(c.SourceURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, FieldErrorf("source_url", "原文链接应为 http:// 或 https:// 开头的网址"))
		}
	}
	if in.Kind == KindLink && c.SourceURL == "" {
		errs = append(errs, FieldErrorf("source_url", "链接类信息须填写原文链接（source_url）"))
	}
	if err := c.Validate(); err != nil {
		errs = append(errs, err)
	}
	if y := c.FormedAt.Year; !c.FormedAt.IsZero() && (y < 1949 || y > s.Today().Year+1) {
		errs = append(errs, FieldErrorf("formed_at", "生成日期 %s 不合理：应在 1949 年至明年之间", c.FormedAt))
	}
	reason, err := "", error(nil)
	if in.Attribute == "" {
		var why string
		in.Attribute, why = SuggestAttribute(c.DocType, c.Title)
		if in.Attribute == Withheld && strings.TrimSpace(in.WithholdReason) == "" {
			// The drafter chose nothing: say that the suggestion is 不予公开,
			// not that they chose it without a reason.
			err = FieldErrorf("withhold_reason", "按文种建议的公开属性为不予公开（%s）：请选择不予公开的理由，或选择其他公开属性", why)
		}
	}
	if err == nil {
		reason, err = checkAttribute(in.Attribute, in.WithholdReason)
	}
	if err := errors.Join(append(errs, err)...); err != nil {
		return "", err
	}
	return reason, nil
}

// CreateDraft starts a new entry in the actor's section as a draft.
// Drafters and section chiefs draft; the attribute, when not given, is the
// one suggested for the document type.
func (s *Service) CreateDraft(ctx context.Context, actor Actor, in DraftInput) (*Entry, error) {
	if actor.Role != RoleDrafter && actor.Role != RoleSectionChief {
		return nil, Errorf(EFORBIDDEN, "只有拟稿人和科室负责人可以拟稿")
	}
	reason, err := s.normalizeDraft(&in)
	if err != nil {
		return nil, err
	}
	if err := s.checkReplaces(ctx, actor, &in); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	e := &Entry{
		Replaces: in.Replaces, ReplaceValidity: in.ReplaceValidity,
		ID: NewEntryID(), Kind: in.Kind, Attribute: in.Attribute, WithholdReason: reason,
		Status: StatusDraft, Section: actor.Section, Draft: in.Content, CreatedBy: actor.Name,
		CreatedAt: now, UpdatedAt: now,
	}
	e.Audit = append(e.Audit, AuditEvent{At: now, Actor: actor.Name, Role: string(actor.Role), Action: "create", To: StatusDraft,
		Comment: "公开属性：" + attributeNote(e)})
	s.refreshDue(e)
	if err := s.Records.CreateEntry(ctx, e); err != nil {
		return nil, err
	}
	s.indexStaff(ctx, e)
	return e, nil
}

// UpdateDraft replaces the working copy of a draft (new or returned). When
// revision is not empty it must be the revision the editor read: an entry
// changed meanwhile is not overwritten (ECONFLICT).
func (s *Service) UpdateDraft(ctx context.Context, actor Actor, id, revision string, in DraftInput) (*Entry, error) {
	e, err := s.Records.Entry(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := e.CanEdit(actor); err != nil {
		return nil, err
	}
	if revision != "" && revision != e.Revision {
		return nil, errChangedMeanwhile
	}
	reason, err := s.normalizeDraft(&in)
	if err != nil {
		return nil, err
	}
	if len(e.Versions) > 0 && in.Attribute != e.Attribute {
		return nil, Errorf(ECONFLICT, "已公开的信息在变更中不能改为%s；如需停止公开，请由公开办撤回", in.Attribute)
	}
	if in.Replaces != e.Replaces || (in.Replaces != "" && in.ReplaceValidity != e.ReplaceValidity) {
		if err := s.checkReplaces(ctx, actor, &in); err != nil {
			return nil, err
		}
		e.Replaces, e.ReplaceValidity = in.Replaces, in.ReplaceValidity
	}
	now := s.now().UTC()
	e.Kind, e.Attribute, e.WithholdReason, e.Draft = in.Kind, in.Attribute, reason, in.Content
	e.UpdatedAt = now
	e.Audit = append(e.Audit, AuditEvent{At: now, Actor: actor.Name, Role: string(actor.Role), Action: "edit",
		From: e.Status, To: e.Status, Comment: "公开属性：" + attributeNote(e)})
	s.refreshDue(e)
	if err := s.update(ctx, e); err != nil {
		return nil, err
	}
	s.indexStaff(ctx, e)
	return e, nil
}

var errChangedMeanwhile = Errorf(ECONFLICT, "条目已被其他人修改或处理，请刷新后查看最新状态再操作")

// update writes e if nobody changed it since it was read.
func (s *Service) update(ctx context.Context, e *Entry) error {
	err := s.Records.UpdateEntry(ctx, e)
	if IsConflict(err) {
		return errChangedMeanwhile
	}
	return err
}

// AddFile stores an uploaded attachment (at most Settings.MaxUploadBytes)
// and extracts its text for search. A file whose text cannot be extracted
// is kept with the reason recorded.
func (s *Service) AddFile(ctx context.Context, r io.Reader, name string) (Attachment, error) {
	att, err := s.Records.PutFile(ctx, r, name, s.Settings.MaxUploadBytes)
	if err != nil {
		return att, err
	}
	if executableTypes[att.ContentType] {
		return att, Errorf(EINVALID, "“%s”是可执行程序，不能作为公开信息的附件；请上传 PDF、Word、网页、图片或文本文件", name)
	}
	if err := s.ExtractAndKeepText(ctx, &att); err != nil {
		return att, err
	}
	return att, nil
}

// executableTypes are the sniffed types of programs, which are never
// attachments of disclosed information.
var executableTypes = map[string]bool{
	"application/vnd.microsoft.portable-executable": true, "application/x-msdownload": true,
	"application/x-executable": true, "application/x-elf": true, "application/x-mach-binary": true,
	"application/x-sharedlib": true, "application/x-dosexec": true,
}

// Act carries out one action of the review chain on the entry with id.
// The action is checked against the actor's role and section and the
// entry's state; a refused action changes nothing. Two staff acting on the
// same entry at once: the first write wins, the other gets ECONFLICT.
func (s *Service) Act(ctx context.Context, actor Actor, id string, act Action, req ActionRequest) (*Entry, error) {
	e, err := s.Records.Entry(ctx, id)
	if err != nil {
		return nil, err
	}
	to, err := e.Allows(actor, act)
	if err != nil {
		return nil, err
	}
	comment, err := checkComment(req.Comment)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	from := e.Status
	switch act {
	case ActReturn:
		if comment == "" {
			return nil, Errorf(EINVALID, "退回时须写明退回意见")
		}
		e.ReturnComment = comment
	case ActApprove:
		if o := e.Secrecy; o != nil && e.Status == StatusLeaderReview && o.Opinion != SecrecyPublic &&
			(req.Attribute == Proactive || req.Attribute == "" && e.Attribute == Proactive) && comment == "" {
			return nil, Errorf(EINVALID, "公开办的保密审查意见为“%s”：如仍决定主动公开，须在意见中写明理由", o.Opinion)
		}
		if req.Attribute != "" {
			reason, err := checkAttribute(req.Attribute, req.WithholdReason)
			if err != nil {
				return nil, err
			}
			if req.Attribute != e.Attribute || reason != e.WithholdReason {
				if len(e.Versions) > 0 && req.Attribute != Proactive {
					return nil, Errorf(ECONFLICT, "已公开的信息在变更中不能改为%s；如需停止公开，请由公开办撤回", req.Attribute)
				}
				e.Attribute, e.WithholdReason = req.Attribute, reason
				comment = strings.TrimSpace("公开属性改为：" + attributeNote(e) + "。" + comment)
			}
		}
	case ActSecrecyReview:
		if actor.Role == RoleOffice {
			if !slices.Contains(SecrecyOpinions, req.Opinion) {
				return nil, Errorf(EINVALID, "保密审查意见应为 公开、不予公开 或 需报审")
			}
			if comment == "" {
				return nil, Errorf(EINVALID, "保密审查意见须写明依据")
			}
			e.Secrecy = &SecrecyOpinion{Opinion: req.Opinion, Basis: comment, By: actor.Name, At: now.Format(time.RFC3339)}
			comment = e.Secrecy.String()
		}
	case ActRevise:
		if comment == "" {
			return nil, Errorf(EINVALID, "变更须写明变更说明（公众将在版本记录中看到）")
		}
		e.ChangeNote = comment
		e.ClockFrom = s.Today() // a change forms new information: the clock restarts
		e.Secrecy = nil
	case ActPublish:
		if err := e.Draft.Validate(); err != nil {
			return nil, err
		}
		if strings.TrimSpace(e.Draft.Summary) == "" {
			return nil, Errorf(EINVALID, "发布前须填写内容概述：政府信息公开目录的每一条都应有索引号、名称、内容概述和生成日期（条例第十二条）")
		}
		if err := s.AllocateIndexNo(ctx, e, &e.Draft); err != nil {
			return nil, err
		}
		e.Versions = append(e.Versions, Version{Number: len(e.Versions) + 1, Content: e.Draft, PublishedAt: now, Note: e.ChangeNote})
		e.ChangeNote = ""
	case ActWithdraw:
		return s.withdraw(ctx, actor, e, req, comment)
	}
	if act != ActReturn {
		e.ReturnComment = ""
	}
	e.Status = to
	e.UpdatedAt = now
	e.Audit = append(e.Audit, AuditEvent{At: now, Actor: actor.Name, Role: string(actor.Role), Action: string(act),
		From: from, To: to, Comment: comment})
	s.refreshDue(e)
	if err := s.update(ctx, e); err != nil {
		return nil, err
	}
	if act == ActPublish {
		err := s.publishProjection(ctx, e)
		s.indexStaff(ctx, e)
		if e.Replaces != "" && len(e.Versions) == 1 {
			if rerr := s.applyReplacement(ctx, e); rerr != nil && err == nil {
				err = rerr
			}
		}
		return e, err
	}
	s.indexStaff(ctx, e)
	return e, nil
}

// publishProjection writes the public record of a just-published entry and
// indexes it, so it is on the public site when the request returns.
func (s *Service) publishProjection(ctx context.Context, e *Entry) error {
	p, proj, err := s.SyncPublic(ctx, e)
	if err == nil && s.PublicIndex != nil {
		if proj == ProjectEntry {
			err = s.PublicIndex.IndexPublic(ctx, p)
		} else {
			err = s.PublicIndex.DeletePublic(ctx, e.ID)
		}
	}
	if err != nil {
		s.log().Error("saved, but the public site was not updated; it will be retried", "entry", e.ID, "err", err)
		s.markStale(e.ID)
		return WrapError(EUNAVAILABLE, "已保存，但公开网站暂未更新：系统会自动重试，直到公开网站与之一致", err)
	}
	return nil
}

// indexStaff updates the staff index after a change. The record is already
// saved, so a failure here is logged, not returned: the staff index is
// derived and `gongkai reindex` rebuilds it.
func (s *Service) indexStaff(ctx context.Context, e *Entry) {
	if s.StaffIndex == nil {
		return
	}
	if err := s.StaffIndex.IndexEntries(ctx, e); err != nil {
		s.log().Error("staff index not updated", "entry", e.ID, "err", err)
	}
}

func attributeNote(e *Entry) string {
	if e.Attribute == Withheld {
		return string(e.Attribute) + "（" + WithholdingLabel(e.WithholdReason) + "）"
	}
	return string(e.Attribute)
}

// publishDays is the number of working days within which proactive
// information must be published (条例第二十六条).
func (s *Service) publishDays() int {
	if s.Settings.PublishWorkingDays > 0 {
		return s.Settings.PublishWorkingDays
	}
	return 20
}

// Deadline is when an entry must be published by.
type Deadline struct {
	Date Date
	// Estimated is set when the period runs through a year without calendar
	// data: Date then counts weekends only.
	Estimated bool
	// MissingYear is that year.
	MissingYear int
}

// ClockStart returns the day the publication clock runs from: the day the
// information was formed, or the day it was changed.
func (e *Entry) ClockStart() Date {
	if !e.ClockFrom.IsZero() {
		return e.ClockFrom
	}
	return e.Draft.FormedAt
}

// Deadline returns the publish-by date of e (20 working days after it was
// formed or changed), or ok=false when the entry has none: it is not
// 主动公开 (依申请公开 and 不予公开 information is never published, so no
// clock runs), or it has no date.
func (s *Service) Deadline(e *Entry) (Deadline, bool) {
	start := e.ClockStart()
	if e.Attribute != Proactive || start.IsZero() || s.Calendar == nil {
		return Deadline{}, false
	}
	d, err := s.Calendar.PublishDeadline(start, s.publishDays())
	if year, missing := IsNoCalendar(err); missing {
		return Deadline{Date: d, Estimated: true, MissingYear: year}, true
	}
	if err != nil {
		return Deadline{}, false
	}
	return Deadline{Date: d}, true
}

// Today returns the service's current date in China.
func (s *Service) Today() Date { return DateOf(s.now().In(chinaZone)) }

var chinaZone = time.FixedZone("CST", 8*3600)

// Overdue reports whether e is 主动公开 information still on its way
// through the chain after its publish-by date.
func (s *Service) Overdue(e *Entry) bool {
	if !e.Status.Open() {
		return false
	}
	d, ok := s.Deadline(e)
	return ok && s.Today().After(d.Date)
}

// refreshDue records the publish-by date on an entry whose clock is
// running, for the staff index's due and overdue lists, and clears it
// otherwise.
func (s *Service) refreshDue(e *Entry) {
	e.DueAt = Date{}
	if !e.Status.Open() {
		return
	}
	if d, ok := s.Deadline(e); ok {
		e.DueAt = d.Date
	}
}

// RefreshDeadline recomputes the publish-by date of one entry after the
// calendar was edited, saving the entry only if the date moved.
func (s *Service) RefreshDeadline(ctx context.Context, id string) error {
	for range 3 {
		e, err := s.Records.Entry(ctx, id)
		if err != nil {
			return err
		}
		old := e.DueAt
		s.refreshDue(e)
		if e.DueAt == old {
			return nil
		}
		switch err := s.Records.UpdateEntry(ctx, e); {
		case IsConflict(err):
			continue // changed meanwhile: that change recomputed it, look again
		case err != nil:
			return err
		}
		s.indexStaff(ctx, e)
		return nil
	}
	return errChangedMeanwhile
}
