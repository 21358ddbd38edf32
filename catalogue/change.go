package catalogue

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// withdraw takes published information down (撤回). The entry leaves the
// public index first, so search stops showing it at once; then the record
// is saved; then the public record becomes a notice (or, for personal or
// classified information, disappears with its files). If saving fails the
// index gets the entry back and nothing has changed; if the public record
// cannot be rewritten it is retried until it is.
func (s *Service) withdraw(ctx context.Context, actor Actor, e *Entry, req ActionRequest, comment string) (*Entry, error) {
	reason, ok := LookupWithdrawalReason(req.Reason)
	if !ok {
		labels := make([]string, 0, len(withdrawalReasons))
		for _, r := range withdrawalReasons {
			labels = append(labels, r.Label)
		}
		return nil, Errorf(EINVALID, "撤回须选择理由：%s", strings.Join(labels, "、"))
	}
	if reason.NeedsNote && comment == "" {
		return nil, Errorf(EINVALID, "理由为“%s”时须写明具体原因", reason.Label)
	}
	now := s.now().UTC()
	from := e.Status
	e.Withdrawn = &Withdrawal{At: now, Reason: reason.Label, Note: comment, Hidden: reason.HidesTitle, By: actor.Name}
	if reason.Code == "other" && comment != "" {
		e.Withdrawn.Reason = reason.Label + "：" + comment
	}
	e.Status = StatusWithdrawn
	e.UpdatedAt = now
	e.ChangeNote = ""
	e.Audit = append(e.Audit, AuditEvent{At: now, Actor: actor.Name, Role: string(actor.Role), Action: string(ActWithdraw),
		From: from, To: StatusWithdrawn, Comment: strings.TrimSpace(reason.Label + "。" + comment)})
	s.refreshDue(e)

	if s.PublicIndex != nil {
		if err := s.PublicIndex.DeletePublic(ctx, e.ID); err != nil {
			return nil, WrapError(EUNAVAILABLE, "检索索引暂时无法更新，未撤回，请稍后再试", err)
		}
	}
	if err := s.update(ctx, e); err != nil {
		s.restorePublicIndex(ctx, e.ID)
		return nil, err
	}
	s.indexStaff(ctx, e)
	return e, s.publishProjection(ctx, e)
}

// restorePublicIndex puts an entry back into the public index from its
// public record after a withdrawal failed to save.
func (s *Service) restorePublicIndex(ctx context.Context, id string) {
	if s.PublicIndex == nil {
		return
	}
	p, err := s.Public.Entry(ctx, id)
	if err == nil {
		err = s.PublicIndex.IndexPublic(ctx, p)
	}
	if err != nil && !IsNotFound(err) {
		s.log().Error("public index not restored after a failed withdrawal", "entry", id, "err", err)
		s.markStale(id)
	}
}

// replacementNote is the note of the version that marks an entry replaced.
func replacementNote(newer *Entry) string {
	title := newer.Draft.Title
	if cur := newer.Current(); cur != nil {
		title = cur.Content.Title
	}
	return fmt.Sprintf("已被%s（索引号 %s）替代", BookTitle(title), newer.IndexNo)
}

// applyReplacement marks the entry that newer replaces: a new version of it
// with 有效性 失效 or 废止 and a link to newer. It is idempotent, so
// Reconcile can finish one that a failure interrupted.
func (s *Service) applyReplacement(ctx context.Context, newer *Entry) error {
	for range 5 {
		old, err := s.Records.Entry(ctx, newer.Replaces)
		if err != nil {
			return err
		}
		if old.ReplacedBy == newer.ID {
			return nil
		}
		if old.ReplacedBy != "" || !old.IsPublic() {
			s.log().Warn("replacement not applied: the old entry is already replaced or not public",
				"old", old.ID, "new", newer.ID, "replaced_by", old.ReplacedBy)
			return nil
		}
		now := s.now().UTC()
		content := old.Current().Content
		content.Validity = newer.ReplaceValidity
		if content.Validity == "" {
			content.Validity = ValidityExpired
		}
		note := replacementNote(newer)
		old.Versions = append(old.Versions, Version{Number: len(old.Versions) + 1, Content: content, PublishedAt: now, Note: note})
		if old.Status.Open() {
			old.Draft.Validity = content.Validity // a change under review keeps the new validity when published
		} else {
			old.Draft = content
		}
		old.ReplacedBy = newer.ID
		old.UpdatedAt = now
		by := AuditEvent{Actor: "系统", Role: "system"}
		for i := len(newer.Audit) - 1; i >= 0; i-- {
			if newer.Audit[i].Action == string(ActPublish) {
				by = newer.Audit[i] // whoever published the replacement
				break
			}
		}
		old.Audit = append(old.Audit, AuditEvent{At: now, Actor: by.Actor, Role: by.Role, Action: "replaced",
			From: old.Status, To: old.Status, Comment: note})
		switch err := s.Records.UpdateEntry(ctx, old); {
		case IsConflict(err):
			continue
		case err != nil:
			s.markStale(newer.ID)
			return err
		}
		s.indexStaff(ctx, old)
		return s.publishProjection(ctx, old)
	}
	return errChangedMeanwhile
}

// checkReplaces validates the entry a new draft is to replace.
func (s *Service) checkReplaces(ctx context.Context, actor Actor, in *DraftInput) error {
	if in.Replaces == "" {
		in.ReplaceValidity = ""
		return nil
	}
	switch in.ReplaceValidity {
	case "":
		in.ReplaceValidity = ValidityExpired
	case ValidityExpired, ValidityAbolished:
	default:
		return Errorf(EINVALID, "被替代的信息应改为“失效”或“废止”，而不是 %q", in.ReplaceValidity)
	}
	old, err := s.Records.Entry(ctx, in.Replaces)
	if IsNotFound(err) {
		return Errorf(EINVALID, "要替代的条目 %s 不存在", in.Replaces)
	}
	if err != nil {
		return err
	}
	if !old.IsPublic() {
		return Errorf(EINVALID, "要替代的条目%s没有在公开", BookTitle(old.Draft.Title))
	}
	if old.ReplacedBy != "" {
		return Errorf(ECONFLICT, "条目%s已被其他条目替代", BookTitle(old.Draft.Title))
	}
	if actor.Role.NeedsSection() && old.Section != actor.Section {
		return Errorf(EFORBIDDEN, "只能替代本科室（%s）的条目，%s属于%s", actor.Section, BookTitle(old.Draft.Title), orNone(old.Section))
	}
	return nil
}

// stale keeps the entries whose public side could not be brought up to
// date, to be retried.
type stale struct {
	mu  sync.Mutex
	ids map[string]int // id → how often marked; a retry clears it only if unchanged
}

func (s *Service) markStale(id string) {
	s.stale.mu.Lock()
	if s.stale.ids == nil {
		s.stale.ids = make(map[string]int)
	}
	s.stale.ids[id]++
	s.stale.mu.Unlock()
	if s.OnPublicSyncFailure != nil {
		s.OnPublicSyncFailure()
	}
}

// StaleCount returns how many entries wait for their public side to be
// brought up to date.
func (s *Service) StaleCount() int {
	s.stale.mu.Lock()
	defer s.stale.mu.Unlock()
	return len(s.stale.ids)
}

// RetryPublic brings the public side of every stale entry up to date from
// its internal record: the public record and files, the public index, and
// an unfinished replacement. It returns how many are still stale.
func (s *Service) RetryPublic(ctx context.Context) int {
	s.stale.mu.Lock()
	gens := make(map[string]int, len(s.stale.ids))
	ids := make([]string, 0, len(s.stale.ids))
	for id, g := range s.stale.ids {
		ids = append(ids, id)
		gens[id] = g
	}
	s.stale.mu.Unlock()
	slices.Sort(ids)
	for _, id := range ids {
		if err := s.resync(ctx, id); err != nil {
			s.log().Warn("public side still not updated", "entry", id, "err", err)
			continue
		}
		s.stale.mu.Lock()
		if s.stale.ids[id] == gens[id] { // not marked again meanwhile
			delete(s.stale.ids, id)
		}
		s.stale.mu.Unlock()
		s.log().Info("public side updated after an earlier failure", "entry", id)
	}
	return s.StaleCount()
}

func (s *Service) resync(ctx context.Context, id string) error {
	e, err := s.Records.Entry(ctx, id)
	if err != nil {
		return err
	}
	p, proj, err := s.SyncPublic(ctx, e)
	if err != nil {
		return err
	}
	if s.PublicIndex != nil {
		if proj == ProjectEntry {
			err = s.PublicIndex.IndexPublic(ctx, p)
		} else {
			err = s.PublicIndex.DeletePublic(ctx, id)
		}
		if err != nil {
			return err
		}
	}
	if e.Replaces != "" && e.IsPublic() {
		return s.applyReplacement(ctx, e)
	}
	return nil
}

// RunPublicRetries retries stale entries every interval until ctx ends.
func (s *Service) RunPublicRetries(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if s.StaleCount() > 0 {
				s.RetryPublic(ctx)
			}
		}
	}
}
