package catalogue_test

import (
	"fmt"
	"testing"

	"gongkai/catalogue"
)

// TestAllows checks every (state, action, actor) against the review chain
// of seed 003 written out by hand: what is listed is allowed, with the next
// state; everything else is refused with 403 (the role never does it, or
// the entry is another section's) or 409 (not at this point of the chain).
func TestAllows(t *testing.T) {
	actors := map[string]catalogue.Actor{
		"drafter":      {Name: "d", Role: catalogue.RoleDrafter, Section: "综合科"},
		"otherdrafter": {Name: "d2", Role: catalogue.RoleDrafter, Section: "法规科"},
		"chief":        {Name: "c", Role: catalogue.RoleSectionChief, Section: "综合科"},
		"otherchief":   {Name: "c2", Role: catalogue.RoleSectionChief, Section: "法规科"},
		"leader":       {Name: "l", Role: catalogue.RoleLeader},
		"office":       {Name: "o", Role: catalogue.RoleOffice},
		"admin":        {Name: "a", Role: catalogue.RoleAdmin},
	}
	actions := []catalogue.Action{catalogue.ActSubmit, catalogue.ActApprove, catalogue.ActReturn,
		catalogue.ActSecrecyReview, catalogue.ActPublish, catalogue.ActArchive, catalogue.ActRevise, catalogue.ActWithdraw}
	// allowed: "status kind attribute action actor" → next status.
	allowed := map[string]catalogue.Status{}
	for _, kind := range []catalogue.Kind{catalogue.KindDocument, catalogue.KindNonDocument, catalogue.KindObtained, catalogue.KindLink} {
		for _, attr := range []catalogue.Attribute{catalogue.Proactive, catalogue.OnRequest, catalogue.Withheld} {
			add := func(st catalogue.Status, act catalogue.Action, who string, to catalogue.Status) {
				allowed[fmt.Sprint(st, kind, attr, act, who)] = to
			}
			add(catalogue.StatusDraft, catalogue.ActSubmit, "drafter", catalogue.StatusSectionReview)
			add(catalogue.StatusDraft, catalogue.ActSubmit, "chief", catalogue.StatusSectionReview)
			add(catalogue.StatusSectionReview, catalogue.ActApprove, "chief", catalogue.StatusLeaderReview)
			add(catalogue.StatusSectionReview, catalogue.ActReturn, "chief", catalogue.StatusDraft)
			add(catalogue.StatusLeaderReview, catalogue.ActApprove, "leader", catalogue.StatusApproved)
			add(catalogue.StatusLeaderReview, catalogue.ActReturn, "leader", catalogue.StatusDraft)
			add(catalogue.StatusLeaderReview, catalogue.ActSecrecyReview, "leader", catalogue.StatusSecrecyReview)
			add(catalogue.StatusSecrecyReview, catalogue.ActSecrecyReview, "office", catalogue.StatusLeaderReview)
			add(catalogue.StatusSecrecyReview, catalogue.ActReturn, "office", catalogue.StatusDraft)
			add(catalogue.StatusApproved, catalogue.ActReturn, "office", catalogue.StatusDraft)
			add(catalogue.StatusApproved, catalogue.ActReturn, "chief", catalogue.StatusDraft)
			for _, who := range []string{"drafter", "chief", "office"} {
				add(catalogue.StatusPublished, catalogue.ActRevise, who, catalogue.StatusDraft)
			}
			// Withdrawal needs a published version: none of these has one.
			// 公文类 and links are published by the office, 非公文类 and
			// 获取保存类 by the section (seed 003).
			if attr == catalogue.Proactive {
				if kind == catalogue.KindNonDocument || kind == catalogue.KindObtained {
					add(catalogue.StatusApproved, catalogue.ActPublish, "chief", catalogue.StatusPublished)
				} else {
					add(catalogue.StatusApproved, catalogue.ActPublish, "office", catalogue.StatusPublished)
				}
			} else {
				add(catalogue.StatusApproved, catalogue.ActArchive, "office", catalogue.StatusArchived)
			}
		}
	}
	n := 0
	for _, st := range catalogue.Statuses {
		for _, kind := range []catalogue.Kind{catalogue.KindDocument, catalogue.KindNonDocument, catalogue.KindObtained, catalogue.KindLink} {
			for _, attr := range []catalogue.Attribute{catalogue.Proactive, catalogue.OnRequest, catalogue.Withheld} {
				for _, act := range actions {
					for who, actor := range actors {
						e := &catalogue.Entry{Status: st, Kind: kind, Attribute: attr, Section: "综合科"}
						to, err := e.Allows(actor, act)
						want, ok := allowed[fmt.Sprint(st, kind, attr, act, who)]
						n++
						switch {
						case ok && err != nil:
							t.Errorf("%s %s %s: %s by %s refused: %v", st, kind, attr, act, who, err)
						case ok && to != want:
							t.Errorf("%s %s %s: %s by %s → %s, want %s", st, kind, attr, act, who, to, want)
						case !ok && err == nil:
							t.Errorf("%s %s %s: %s by %s allowed (→ %s)", st, kind, attr, act, who, to)
						case !ok:
							code := catalogue.ErrorCode(err)
							if code != catalogue.EFORBIDDEN && code != catalogue.ECONFLICT {
								t.Errorf("%s %s %s: %s by %s refused with %s: %v", st, kind, attr, act, who, code, err)
							}
							if catalogue.ErrorMessage(err) == "" {
								t.Errorf("refusal without a message")
							}
							// Other sections and roles that never act so are forbidden.
							if (who == "otherdrafter" || who == "otherchief" || who == "admin") && code != catalogue.EFORBIDDEN {
								t.Errorf("%s %s: %s by %s: %s, want forbidden", st, kind, act, who, code)
							}
						}
						// ActionsFor agrees with Allows.
						listed := false
						for _, a := range e.ActionsFor(actor) {
							listed = listed || a == act
						}
						if listed != (err == nil) {
							t.Errorf("%s %s %s: ActionsFor(%s) lists %s: %v, Allows: %v", st, kind, attr, who, act, listed, err)
						}
					}
				}
			}
		}
	}
	if n != len(catalogue.Statuses)*4*3*len(actions)*len(actors) {
		t.Fatalf("checked %d combinations", n)
	}
	if _, err := (&catalogue.Entry{Status: catalogue.StatusDraft}).Allows(actors["drafter"], "revise-everything"); catalogue.ErrorCode(err) != catalogue.EINVALID {
		t.Errorf("unknown action: %v, want invalid", err)
	}
}

func TestCanEdit(t *testing.T) {
	drafter := catalogue.Actor{Role: catalogue.RoleDrafter, Section: "综合科"}
	for _, st := range catalogue.Statuses {
		e := &catalogue.Entry{Status: st, Section: "综合科"}
		err := e.CanEdit(drafter)
		if (st == catalogue.StatusDraft) != (err == nil) {
			t.Errorf("%s: CanEdit = %v", st, err)
		}
	}
	e := &catalogue.Entry{Status: catalogue.StatusDraft, Section: "综合科"}
	for _, a := range []catalogue.Actor{{Role: catalogue.RoleDrafter, Section: "法规科"}, {Role: catalogue.RoleLeader}, {Role: catalogue.RoleOffice}, {Role: catalogue.RoleAdmin}} {
		if catalogue.ErrorCode(e.CanEdit(a)) != catalogue.EFORBIDDEN {
			t.Errorf("%s of %q may edit another's draft", a.Role, a.Section)
		}
	}
}
