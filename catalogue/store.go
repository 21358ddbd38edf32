package catalogue

import (
	"context"
	"io"
)

// RecordStore keeps the agency's internal records and files: every entry in
// every state, with its audit trail. It is the source of truth. Implemented
// by storage.Records.
type RecordStore interface {
	// Entry returns the entry with its Revision set. ENOTFOUND if absent.
	Entry(ctx context.Context, id string) (*Entry, error)
	// CreateEntry stores a new entry and sets its Revision. ECONFLICT if an
	// entry with that id exists.
	CreateEntry(ctx context.Context, e *Entry) error
	// UpdateEntry replaces the entry if it has not changed since e.Revision
	// was read, and sets the new Revision. ECONFLICT otherwise.
	UpdateEntry(ctx context.Context, e *Entry) error
	// ListEntries calls fn for every entry, in id order.
	ListEntries(ctx context.Context, fn func(*Entry) error) error

	// PutFile stores an attachment under its content hash with a sniffed
	// content type. ETOOLARGE if it is longer than maxBytes.
	PutFile(ctx context.Context, r io.Reader, name string, maxBytes int64) (Attachment, error)
	// OpenFile opens a stored attachment. ENOTFOUND if absent.
	OpenFile(ctx context.Context, sha256 string) (io.ReadCloser, error)
	// PutText keeps the text extracted from a file; Text returns it, or ""
	// with no error when none was kept.
	PutText(ctx context.Context, sha256, text string) error
	Text(ctx context.Context, sha256 string) (string, error)

	// ReserveIndexSerials allocates the next n serials of the 索引号 sequence
	// for an organ code and year and returns the first; the block is
	// first … first+n-1. Serials are never handed out twice.
	ReserveIndexSerials(ctx context.Context, front string, year, n int) (int, error)
	// ReleaseIndexSerials gives back the unused end of a block, first …
	// last, if nothing was reserved after it; otherwise the serials stay
	// unused. Giving back is only a courtesy that keeps the sequence free
	// of gaps: it never fails a caller's work.
	ReleaseIndexSerials(ctx context.Context, front string, year, first, last int) error
	// ClaimIndexNo records that entryID holds indexNo. Claiming a number the
	// same entry already holds succeeds; ECONFLICT if another entry holds it.
	ClaimIndexNo(ctx context.Context, indexNo, entryID string) error

	// DeferSync returns a context under which writes to this store and to
	// the public site may return before they would survive a crash of the
	// machine; Sync makes every such write durable at once. A bulk import
	// makes a batch of entries durable together this way, many times
	// faster than one by one. The store makes sure a crash before Sync
	// leaves each deferred object complete or absent, and Reconcile then
	// restores what the order of the writes no longer guarantees (the
	// 索引号 claim of a record, the files of a public record). Index
	// sequences are never deferred, and an import writes attachments
	// durably before the entry that names them.
	DeferSync(ctx context.Context) context.Context
	Sync(ctx context.Context) error
}

// PublicSite is the public projection of the catalogue: the only data the
// public pages and API read. Only publishing and withdrawal write to it.
type PublicSite interface {
	PublicReader
	// PutEntry stores the public record and copies its current attachments
	// from the record store, files first so a record never points at a
	// missing file.
	PutEntry(ctx context.Context, p *PublicEntry, files RecordStore) error
	// DeleteEntry removes the public record and its files.
	DeleteEntry(ctx context.Context, id string) error
	// ListIDs calls fn with the id of every public record, in id order,
	// without reading the records.
	ListIDs(ctx context.Context, fn func(id string) error) error
}

// PublicReader reads the public projection.
type PublicReader interface {
	// Entry returns the public record. ENOTFOUND if there is none.
	Entry(ctx context.Context, id string) (*PublicEntry, error)
	// ListEntries calls fn for every public record, in id order.
	ListEntries(ctx context.Context, fn func(*PublicEntry) error) error
	// OpenFile opens a public attachment of the entry, to read from any
	// offset (ranged downloads). ENOTFOUND unless the file belongs to the
	// entry's public record.
	OpenFile(ctx context.Context, id, sha256 string) (io.ReadSeekCloser, error)
}

// PublicIndex is the search index of the public projection.
type PublicIndex interface {
	IndexPublic(ctx context.Context, entries ...*PublicEntry) error
	DeletePublic(ctx context.Context, ids ...string) error
}

// StaffIndex is the search index of every internal entry, for staff only.
type StaffIndex interface {
	IndexEntries(ctx context.Context, entries ...*Entry) error
	DeleteEntries(ctx context.Context, ids ...string) error
}

// TextExtractor takes the searchable text out of an attachment.
type TextExtractor func(ctx context.Context, r io.Reader, name, contentType string) (string, error)
