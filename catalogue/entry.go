package catalogue

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Attribute is the disclosure attribute (公开属性) of a piece of information.
type Attribute string

// The three disclosure attributes of 条例 2019.
const (
	Proactive Attribute = "主动公开"  // published to everyone
	OnRequest Attribute = "依申请公开" // given on application only
	Withheld  Attribute = "不予公开"  // never disclosed; WithholdReason says why
)

// Valid reports whether a is one of the three attributes.
func (a Attribute) Valid() bool { return a == Proactive || a == OnRequest || a == Withheld }

// Kind is the kind of information an entry describes (seed 003 §一).
type Kind string

// The kinds of information.
const (
	KindDocument    Kind = "document"     // 公文类: issued in the agency's name
	KindNonDocument Kind = "non_document" // 非公文类: made by a section in its work
	KindObtained    Kind = "obtained"     // 获取保存类: obtained from others and kept
	KindLink        Kind = "link"         // published elsewhere; the entry links there
)

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	switch k {
	case KindDocument, KindNonDocument, KindObtained, KindLink:
		return true
	}
	return false
}

// Label returns the Chinese name of the kind.
func (k Kind) Label() string {
	switch k {
	case KindDocument:
		return "公文类"
	case KindNonDocument:
		return "非公文类"
	case KindObtained:
		return "获取保存类"
	case KindLink:
		return "链接"
	}
	return string(k)
}

// Status is where an entry stands in the review chain.
type Status string

// Entry statuses (CONTRACT.md).
const (
	StatusDraft         Status = "draft"
	StatusSectionReview Status = "section_review"
	StatusLeaderReview  Status = "leader_review"
	StatusSecrecyReview Status = "secrecy_review"
	StatusApproved      Status = "approved"
	StatusPublished     Status = "published"
	StatusWithdrawn     Status = "withdrawn"
	StatusArchived      Status = "archived" // 不予公开 (and 依申请公开) kept internally
)

// Validity values (有效性).
const (
	ValidityInForce   = "有效"
	ValidityExpired   = "失效"
	ValidityAbolished = "废止"
	ValidityRevised   = "已修订"
)

// Limits on entry fields. Local rules cap 内容概述 at 100–500 characters.
const (
	MaxTitleRunes   = 500
	MaxSummaryRunes = 500
	MaxBodyBytes    = 8 << 20
)

// Attachment is a file belonging to an entry. Its bytes live in the object
// store under their SHA-256, so identical files are stored once.
type Attachment struct {
	Name        string `json:"name"`
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
	// ExtractError is set when no text could be taken from the file (broken,
	// encrypted, unsupported); the file is kept all the same.
	ExtractError string `json:"extract_error,omitempty"`
}

// Content is what one version of an entry says: the catalogue fields that
// the public sees once the version is published.
type Content struct {
	Title       string   `json:"title"`
	Organ       string   `json:"organ"`
	FormedAt    Date     `json:"formed_at"`
	DocNo       string   `json:"doc_no,omitempty"`
	Category    string   `json:"category,omitempty"`
	Topic       string   `json:"topic,omitempty"`
	DocType     string   `json:"doc_type,omitempty"`
	Keywords    []string `json:"keywords,omitempty"`
	Summary     string   `json:"summary,omitempty"`
	Body        string   `json:"body,omitempty"`
	Validity    string   `json:"validity,omitempty"`
	EffectiveAt Date     `json:"effective_at,omitempty"`
	SourceURL   string   `json:"source_url,omitempty"`
	// Normative marks 规章 and 行政规范性文件, which the annual report counts.
	Normative   string       `json:"normative,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`
}

// Validate checks the fields the regulation requires of every catalogue
// entry. Every problem is reported, each naming its field (FieldErrors).
func (c *Content) Validate() error {
	var errs []error
	add := func(field, format string, args ...any) { errs = append(errs, FieldErrorf(field, format, args...)) }
	switch {
	case strings.TrimSpace(c.Title) == "":
		add("title", "缺少名称（title）")
	case utf8.RuneCountInString(c.Title) > MaxTitleRunes:
		add("title", "名称超过 %d 个字符", MaxTitleRunes)
	}
	if strings.TrimSpace(c.Organ) == "" {
		add("organ", "缺少发布机构（organ）")
	}
	if c.FormedAt.IsZero() {
		add("formed_at", "缺少生成日期（formed_at）")
	}
	switch {
	case strings.TrimSpace(c.Body) == "" && len(c.Attachments) == 0 && c.SourceURL == "":
		add("body", "正文（body）和附件（attachments）至少要有一项")
	case len(c.Body) > MaxBodyBytes:
		errs = append(errs, &Error{Code: ETOOLARGE, Field: "body", Message: fmt.Sprintf("正文超过 %d MB", MaxBodyBytes>>20)})
	}
	if utf8.RuneCountInString(c.Summary) > MaxSummaryRunes {
		add("summary", "内容概述超过 %d 个字符", MaxSummaryRunes)
	}
	switch c.Normative {
	case "", NormRegulation, NormNormative:
	default:
		add("normative", "文件类别 %q 不正确，应为 规章 或 行政规范性文件（或不填）", c.Normative)
	}
	switch c.Validity {
	case "", ValidityInForce, ValidityExpired, ValidityAbolished, ValidityRevised:
	default:
		add("validity", "有效性 %q 不正确，应为 有效、失效、废止 或 已修订", c.Validity)
	}
	return errors.Join(errs...)
}

// Version is one published state of an entry. Versions are never changed
// once published; a change (变更) adds a new one.
type Version struct {
	Number      int       `json:"version"`
	Content     Content   `json:"content"`
	PublishedAt time.Time `json:"published_at"`
	Note        string    `json:"note,omitempty"` // what changed, shown to the public
}

// Withdrawal records why and when a published entry was taken down (撤回).
type Withdrawal struct {
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
	Note   string    `json:"note,omitempty"`
	// Hidden withdrawals (personal information, secrets) leave no public trace,
	// not even the title.
	Hidden bool   `json:"hidden,omitempty"`
	By     string `json:"by"`
}

// AuditEvent is one line of an entry's audit trail.
type AuditEvent struct {
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`
	Role    string    `json:"role"`
	Action  string    `json:"action"`
	From    Status    `json:"from,omitempty"`
	To      Status    `json:"to,omitempty"`
	Comment string    `json:"comment,omitempty"`
}

// Entry is one item of the 政府信息公开目录 as the agency keeps it internally:
// the working copy under review, every published version, and the audit trail.
// The public only ever sees the projection built by PublicRecord.
type Entry struct {
	ID             string      `json:"id"`
	IndexNo        string      `json:"index_no,omitempty"` // 索引号: set on publication, never changes
	Kind           Kind        `json:"kind"`
	Attribute      Attribute   `json:"attribute"`
	WithholdReason string      `json:"withhold_reason,omitempty"`
	Status         Status      `json:"status"`
	Section        string      `json:"section,omitempty"`
	Draft          Content     `json:"draft"` // the working copy
	Versions       []Version   `json:"versions,omitempty"`
	Withdrawn      *Withdrawal `json:"withdrawn,omitempty"`
	// ReturnComment is the reviewer's comment when the entry was last
	// returned to its drafter; cleared when it moves on.
	ReturnComment string          `json:"return_comment,omitempty"`
	Secrecy       *SecrecyOpinion `json:"secrecy,omitempty"` // the office's secrecy review
	// ClockFrom is the day the 20-working-day publication clock runs from
	// when it is not the formation date (a change, 变更); DueAt is the
	// publish-by date while the clock runs, kept for the staff index.
	ClockFrom Date   `json:"clock_from,omitzero"`
	DueAt     Date   `json:"due_at,omitzero"`
	CreatedBy string `json:"created_by,omitempty"`
	// ChangeNote says what a change (变更) under review changes; it becomes
	// the published version's note.
	ChangeNote string `json:"change_note,omitempty"`
	Replaces   string `json:"replaces,omitempty"`
	// ReplaceValidity is what the replaced entry becomes when this one is
	// published: 失效 or 废止.
	ReplaceValidity string `json:"replace_validity,omitempty"`
	ReplacedBy      string `json:"replaced_by,omitempty"`
	// ImportKey identifies the source line of an imported entry, so that
	// importing the same file twice creates nothing new.
	ImportKey string       `json:"import_key,omitempty"`
	CreatedAt time.Time    `json:"created_at"`
	UpdatedAt time.Time    `json:"updated_at"`
	Audit     []AuditEvent `json:"audit,omitempty"`

	// Revision is the store's version tag of the record as read; an update
	// succeeds only if the record has not changed since. Not serialised.
	Revision string `json:"-"`
}

// Current returns the latest published version, or nil if none was published.
func (e *Entry) Current() *Version {
	if len(e.Versions) == 0 {
		return nil
	}
	return &e.Versions[len(e.Versions)-1]
}

// IsPublic reports whether the entry belongs on the public side now: it has a
// published version, is 主动公开 and has not been withdrawn.
func (e *Entry) IsPublic() bool {
	return e.Attribute == Proactive && len(e.Versions) > 0 && e.Withdrawn == nil
}
