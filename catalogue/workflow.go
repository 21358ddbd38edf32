package catalogue

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Actor is the staff member doing something, as the review chain sees
// them: a name for the audit trail, a role and, for drafters and section
// chiefs, a section.
type Actor struct {
	Name    string
	Role    Role
	Section string
}

// ActorOf returns the actor a signed-in account acts as.
func ActorOf(u *User) Actor { return Actor{Name: u.Name, Role: u.Role, Section: u.Section} }

// Action is a step of the review chain (CONTRACT.md).
type Action string

// The actions on an entry.
const (
	ActSubmit        Action = "submit"         // drafter: send to the section chief
	ActApprove       Action = "approve"        // section chief, then leader: agree and pass it on
	ActReturn        Action = "return"         // any reviewer: back to the drafter with a comment
	ActSecrecyReview Action = "secrecy-review" // leader: ask the office; office: give its opinion
	ActPublish       Action = "publish"        // office (公文类) or section chief (非公文类): make it public
	ActArchive       Action = "archive"        // office: keep 依申请公开 / 不予公开 internally
	ActRevise        Action = "revise"         // start a change (变更) of published information
	ActWithdraw      Action = "withdraw"       // office: take published information down (撤回)
)

// Label returns the Chinese name of the action, for buttons and the audit trail.
func (a Action) Label() string {
	switch a {
	case ActSubmit:
		return "提交审核"
	case ActApprove:
		return "审核通过"
	case ActReturn:
		return "退回修改"
	case ActSecrecyReview:
		return "保密审查"
	case ActPublish:
		return "发布"
	case ActArchive:
		return "归档"
	case ActRevise:
		return "变更"
	case ActWithdraw:
		return "撤回"
	case "replaced":
		return "被替代"
	case "create":
		return "拟稿"
	case "edit":
		return "修改"
	case "import":
		return "导入"
	}
	return string(a)
}

// Label returns the Chinese name of the status.
func (s Status) Label() string {
	switch s {
	case StatusDraft:
		return "草稿"
	case StatusSectionReview:
		return "待科室审核"
	case StatusLeaderReview:
		return "待领导审定"
	case StatusSecrecyReview:
		return "保密审查中"
	case StatusApproved:
		return "已审定，待发布"
	case StatusPublished:
		return "已发布"
	case StatusWithdrawn:
		return "已撤回"
	case StatusArchived:
		return "已归档"
	}
	return string(s)
}

// StatusLabel names the entry's status, telling an approved entry that
// waits for publication from one that waits to be archived.
func (e *Entry) StatusLabel() string {
	if e.Status == StatusApproved && e.Attribute != Proactive {
		return "已审定，待归档"
	}
	if e.Status.Open() && len(e.Versions) > 0 {
		return e.Status.Label() + "（变更中）"
	}
	return e.Status.Label()
}

// Statuses lists the statuses in the order of the chain, for filters.
var Statuses = []Status{
	StatusDraft, StatusSectionReview, StatusLeaderReview, StatusSecrecyReview,
	StatusApproved, StatusPublished, StatusArchived, StatusWithdrawn,
}

// Open reports whether the entry is still on its way through the chain, so
// that its publication deadline is running.
func (s Status) Open() bool {
	switch s {
	case StatusDraft, StatusSectionReview, StatusLeaderReview, StatusSecrecyReview, StatusApproved:
		return true
	}
	return false
}

// The opinions the office's secrecy review (保密审查) can give.
const (
	SecrecyPublic   = "公开"
	SecrecyWithhold = "不予公开"
	SecrecyReferUp  = "需报审" // refer to the secrecy authority before deciding
)

// SecrecyOpinions lists the opinions, for forms.
var SecrecyOpinions = []string{SecrecyPublic, SecrecyWithhold, SecrecyReferUp}

// ActionRequest is what comes with an action: a comment for the audit
// trail, and for some actions more.
type ActionRequest struct {
	Comment string `json:"comment"`
	// Attribute and WithholdReason let a reviewer who approves change the
	// disclosure attribute the drafter proposed (reviewers confirm it).
	Attribute      Attribute `json:"attribute"`
	WithholdReason string    `json:"withhold_reason"`
	// Opinion is the office's answer to a secrecy review: 公开, 不予公开 or 需报审.
	Opinion string `json:"opinion"`
	// Reason is the reason of a withdrawal.
	Reason string `json:"reason"`
}

// MaxCommentRunes bounds comments in the audit trail.
const MaxCommentRunes = 1000

// step is one allowed move of the review chain: in state From, one of
// Roles may do Action; the entry moves to To.
type step struct {
	From   Status
	Action Action
	Roles  []Role
	To     Status
}

// chain is the review chain of seed 003 §一 as a table. Checks beyond role
// and state (section, kind, attribute) are in Entry.Allows.
var chain = []step{
	{StatusDraft, ActSubmit, []Role{RoleDrafter, RoleSectionChief}, StatusSectionReview},
	{StatusSectionReview, ActApprove, []Role{RoleSectionChief}, StatusLeaderReview},
	{StatusSectionReview, ActReturn, []Role{RoleSectionChief}, StatusDraft},
	{StatusLeaderReview, ActApprove, []Role{RoleLeader}, StatusApproved},
	{StatusLeaderReview, ActReturn, []Role{RoleLeader}, StatusDraft},
	{StatusLeaderReview, ActSecrecyReview, []Role{RoleLeader}, StatusSecrecyReview},
	{StatusSecrecyReview, ActSecrecyReview, []Role{RoleOffice}, StatusLeaderReview},
	{StatusSecrecyReview, ActReturn, []Role{RoleOffice}, StatusDraft},
	{StatusApproved, ActPublish, []Role{RoleOffice, RoleSectionChief}, StatusPublished},
	{StatusApproved, ActArchive, []Role{RoleOffice}, StatusArchived},
	{StatusApproved, ActReturn, []Role{RoleOffice, RoleSectionChief}, StatusDraft},
	{StatusPublished, ActRevise, []Role{RoleDrafter, RoleSectionChief, RoleOffice}, StatusDraft},
}

// withdrawRoles may withdraw published information (the office approves
// withdrawals); withdrawal is allowed at any point while the entry is public,
// also while a change of it is under review.
var withdrawRoles = []Role{RoleOffice}

// KnownAction reports whether a names an action of the review chain.
func KnownAction(a Action) bool {
	if a == ActWithdraw {
		return true
	}
	for _, s := range chain {
		if s.Action == a {
			return true
		}
	}
	return false
}

// Allows checks whether actor may do act on the entry now and returns the
// status it would move to. A refusal says why: EFORBIDDEN when the actor's
// role never does this action, or the entry is another section's, or (for
// publishing) its kind is the office's; ECONFLICT when the role does the
// action but the entry is not at that point of the chain.
func (e *Entry) Allows(actor Actor, act Action) (Status, error) {
	if !KnownAction(act) {
		return "", Errorf(EINVALID, "未知的操作 %q", act)
	}
	if !roleEverDoes(actor.Role, act) {
		return "", Errorf(EFORBIDDEN, "%s不能执行“%s”", actor.Role.Label(), act.Label())
	}
	if act == ActWithdraw {
		if !e.IsPublic() {
			return "", Errorf(ECONFLICT, "只有正在公开的信息可以撤回（条目当前状态为“%s”）", e.Status.Label())
		}
		return StatusWithdrawn, nil
	}
	if actor.Role.NeedsSection() && actor.Section != e.Section {
		return "", Errorf(EFORBIDDEN, "只能处理本科室（%s）的条目，此条目属于%s", actor.Section, orNone(e.Section))
	}
	var st *step
	for i := range chain {
		if chain[i].From == e.Status && chain[i].Action == act && slices.Contains(chain[i].Roles, actor.Role) {
			st = &chain[i]
			break
		}
	}
	if st == nil {
		// The role does this action, but not at this point of the chain:
		// the entry is elsewhere (perhaps someone else just moved it on).
		msg := fmt.Sprintf("条目当前状态为“%s”，%s不能执行“%s”", e.Status.Label(), actor.Role.Label(), act.Label())
		for _, c := range chain {
			if c.From == e.Status && c.Action == act {
				msg += fmt.Sprintf("（此时应由%s办理）", roleLabels(c.Roles))
				break
			}
		}
		return "", Errorf(ECONFLICT, "%s", msg)
	}
	switch act {
	case ActPublish:
		if e.Attribute != Proactive {
			return "", Errorf(ECONFLICT, "公开属性为“%s”的信息不发布，请由公开办归档", e.Attribute)
		}
		if actor.Role == RoleSectionChief && !e.Kind.PublishedBySection() {
			return "", Errorf(EFORBIDDEN, "%s由公开办发布，科室负责人只能发布非公文类和获取保存类信息", e.Kind.Label())
		}
		if actor.Role == RoleOffice && e.Kind.PublishedBySection() {
			return "", Errorf(EFORBIDDEN, "%s由本科室负责人发布，公开办发布公文类信息和链接", e.Kind.Label())
		}
	case ActArchive:
		if e.Attribute == Proactive {
			return "", Errorf(ECONFLICT, "主动公开的信息应当发布，不能归档")
		}
		if len(e.Versions) > 0 {
			return "", Errorf(ECONFLICT, "已公开的信息不能归档；如需停止公开，请撤回")
		}
	}
	return st.To, nil
}

// PublishedBySection reports whether information of this kind is published
// by its section rather than by the office (seed 003 §一: 公文类 by the
// office, 非公文类 by the section).
func (k Kind) PublishedBySection() bool { return k == KindNonDocument || k == KindObtained }

func roleEverDoes(r Role, act Action) bool {
	if act == ActWithdraw {
		return slices.Contains(withdrawRoles, r)
	}
	for _, s := range chain {
		if s.Action == act && slices.Contains(s.Roles, r) {
			return true
		}
	}
	return false
}

func roleLabels(rs []Role) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Label()
	}
	return strings.Join(out, "或")
}

func orNone(section string) string {
	if section == "" {
		return "未指定科室"
	}
	return section
}

// ActionsFor lists what actor may do on the entry now, for the buttons of
// the entry page.
func (e *Entry) ActionsFor(actor Actor) []Action {
	var out []Action
	for _, s := range chain {
		if s.From != e.Status || slices.Contains(out, s.Action) {
			continue
		}
		if _, err := e.Allows(actor, s.Action); err == nil {
			out = append(out, s.Action)
		}
	}
	if _, err := e.Allows(actor, ActWithdraw); err == nil {
		out = append(out, ActWithdraw)
	}
	return out
}

// CanEdit reports whether actor may change the working copy now: drafters
// and section chiefs of the entry's section, while it is a draft (new or
// returned).
func (e *Entry) CanEdit(actor Actor) error {
	if actor.Role != RoleDrafter && actor.Role != RoleSectionChief {
		return Errorf(EFORBIDDEN, "只有拟稿人和科室负责人可以修改条目")
	}
	if actor.Section != e.Section {
		return Errorf(EFORBIDDEN, "只能修改本科室（%s）的条目，此条目属于%s", actor.Section, orNone(e.Section))
	}
	if e.Status != StatusDraft {
		return Errorf(ECONFLICT, "条目当前状态为“%s”，只有草稿或退回的条目可以修改", e.Status.Label())
	}
	return nil
}

// CanView reports whether actor may see the entry: drafters and section
// chiefs see their section's entries; leaders, the office and
// administrators see all.
func (e *Entry) CanView(actor Actor) bool {
	return !actor.Role.NeedsSection() || actor.Section == e.Section
}

// checkAttribute validates a disclosure attribute with its withholding
// reason and returns the reason's code (empty unless withheld).
func checkAttribute(a Attribute, reason string) (string, error) {
	if !a.Valid() {
		return "", FieldErrorf("attribute", "公开属性应为 主动公开、依申请公开 或 不予公开")
	}
	if a != Withheld {
		return "", nil
	}
	if strings.TrimSpace(reason) == "" {
		return "", FieldErrorf("withhold_reason", "不予公开须选择不予公开的理由")
	}
	r, ok := LookupWithholdingReason(reason)
	if !ok {
		return "", FieldErrorf("withhold_reason", "不予公开的理由 %q 不在规定的理由之中", reason)
	}
	return r.Code, nil
}

// WithholdingLabel returns the wording of a withholding reason code.
func WithholdingLabel(code string) string {
	if r, ok := LookupWithholdingReason(code); ok {
		return r.Label
	}
	return code
}

func checkComment(c string) (string, error) {
	c = strings.TrimSpace(c)
	if utf8.RuneCountInString(c) > MaxCommentRunes {
		return "", Errorf(EINVALID, "意见不能超过 %d 个字符", MaxCommentRunes)
	}
	return c, nil
}

// SecrecyOpinion is the office's answer to a secrecy review.
type SecrecyOpinion struct {
	Opinion string `json:"opinion"` // 公开, 不予公开 or 需报审
	Basis   string `json:"basis"`
	By      string `json:"by"`
	At      string `json:"at"` // RFC 3339
}

func (o SecrecyOpinion) String() string {
	return fmt.Sprintf("保密审查意见：%s。依据：%s", o.Opinion, o.Basis)
}
