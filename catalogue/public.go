package catalogue

import "time"

// PublicEntry is everything the public side may know about an entry: the
// current published version and the list of earlier ones, or, once withdrawn,
// only the withdrawal notice. It is the sole shape in which entry data leaves
// the internal store, so nothing unpublished can ride along by accident.
type PublicEntry struct {
	ID          string             `json:"id"`
	IndexNo     string             `json:"index_no"`
	Version     int                `json:"version,omitempty"`
	Content     *Content           `json:"content,omitempty"`
	PublishedAt time.Time          `json:"published_at,omitzero"` // first publication
	UpdatedAt   time.Time          `json:"updated_at,omitzero"`   // publication of the current version
	Versions    []PublicVersionRef `json:"versions,omitempty"`
	// Earlier holds the content of the earlier published versions, for the
	// pages that show them. They are never indexed: search, the catalogue
	// and feeds know only the current version.
	Earlier    []PublicVersion `json:"earlier,omitempty"`
	Replaces   string          `json:"replaces,omitempty"`
	ReplacedBy string          `json:"replaced_by,omitempty"`
	// AttachmentText is the text extracted from the attachments, for the
	// public index; the API never returns it.
	AttachmentText string `json:"attachment_text,omitempty"`
	// Withdrawn is set on the notice that replaces a withdrawn entry; Content
	// is then nil and only the title is kept in WithdrawnTitle.
	Withdrawn      *PublicWithdrawal `json:"withdrawn,omitempty"`
	WithdrawnTitle string            `json:"withdrawn_title,omitempty"`
}

// PublicVersionRef lists one published version of an entry.
type PublicVersionRef struct {
	Number      int       `json:"version"`
	PublishedAt time.Time `json:"published_at"`
	Note        string    `json:"note,omitempty"`
}

// PublicVersion is a published version with its content.
type PublicVersion struct {
	PublicVersionRef
	Content Content `json:"content"`
}

// Attachments returns every file the public record names: the current
// version's and the earlier versions'.
func (p *PublicEntry) Attachments() []Attachment {
	var out []Attachment
	if p.Content != nil {
		out = append(out, p.Content.Attachments...)
	}
	for _, v := range p.Earlier {
		out = append(out, v.Content.Attachments...)
	}
	return out
}

// PublishedVersion returns the published version numbered n: an earlier
// one, or the current one in the same shape (its note from Versions); false
// if there is none, or the entry is withdrawn.
func (p *PublicEntry) PublishedVersion(n int) (*PublicVersion, bool) {
	if p.Content == nil {
		return nil, false
	}
	if n == p.Version {
		v := &PublicVersion{PublicVersionRef: PublicVersionRef{Number: n, PublishedAt: p.UpdatedAt}, Content: *p.Content}
		for _, ref := range p.Versions {
			if ref.Number == n {
				v.Note = ref.Note
			}
		}
		return v, true
	}
	for i := range p.Earlier {
		if p.Earlier[i].Number == n {
			return &p.Earlier[i], true
		}
	}
	return nil, false
}

// PublicWithdrawal is the public notice of a withdrawal.
type PublicWithdrawal struct {
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

// Projection is what the public side should hold for an entry.
type Projection int

// The three public states of an entry.
const (
	ProjectNothing Projection = iota // not public, or withdrawn without trace
	ProjectEntry                     // the current version is public
	ProjectNotice                    // withdrawn: only a notice with title, date and reason
)

// PublicRecord returns what the public side should hold for e, derived only
// from published versions. attachmentText is the extracted text of the
// current version's attachments.
func PublicRecord(e *Entry, attachmentText string) (*PublicEntry, Projection) {
	cur := e.Current()
	if cur == nil || e.Attribute != Proactive {
		return nil, ProjectNothing
	}
	if w := e.Withdrawn; w != nil {
		if w.Hidden {
			return nil, ProjectNothing
		}
		return &PublicEntry{
			ID:             e.ID,
			IndexNo:        e.IndexNo,
			Withdrawn:      &PublicWithdrawal{At: w.At, Reason: w.Reason},
			WithdrawnTitle: cur.Content.Title,
		}, ProjectNotice
	}
	content := cur.Content
	p := &PublicEntry{
		ID:             e.ID,
		IndexNo:        e.IndexNo,
		Version:        cur.Number,
		Content:        &content,
		PublishedAt:    e.Versions[0].PublishedAt,
		UpdatedAt:      cur.PublishedAt,
		Replaces:       e.Replaces,
		ReplacedBy:     e.ReplacedBy,
		AttachmentText: attachmentText,
	}
	for i, v := range e.Versions {
		ref := PublicVersionRef{Number: v.Number, PublishedAt: v.PublishedAt, Note: v.Note}
		p.Versions = append(p.Versions, ref)
		if i < len(e.Versions)-1 {
			p.Earlier = append(p.Earlier, PublicVersion{PublicVersionRef: ref, Content: v.Content})
		}
	}
	return p, ProjectEntry
}
