package catalogue

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// Service carries out the catalogue's use cases on top of the stores and
// indexes it is given. It is the only writer of the public projection.
type Service struct {
	Records     RecordStore
	Public      PublicSite
	PublicIndex PublicIndex
	StaffIndex  StaffIndex
	Extract     TextExtractor
	Settings    Settings
	Calendar    *Calendar
	Log         *slog.Logger
	Now         func() time.Time
	// OnPublicSyncFailure is called when a record was saved but the public
	// side could not be brought up to date, so the next start reconciles.
	OnPublicSyncFailure func()

	stale stale // entries whose public side is to be retried
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// NewEntryID returns a fresh random entry id.
func NewEntryID() string {
	var b [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(b[:])
}

// AllocateIndexNo gives e its 索引号 if it has none: the organ's code (or the
// agency's), the year the information was formed, and the next serial of
// that sequence. Numbers already claimed (for example by an imported entry)
// are skipped, so a number is never held by two entries.
func (s *Service) AllocateIndexNo(ctx context.Context, e *Entry, c *Content) error {
	return s.allocateIndexNo(ctx, e, c, newSerialPool(s.Records, 1))
}

// allocateIndexNo is AllocateIndexNo taking serials from pool.
func (s *Service) allocateIndexNo(ctx context.Context, e *Entry, c *Content, pool *serialPool) error {
	if e.IndexNo != "" {
		return s.Records.ClaimIndexNo(ctx, e.IndexNo, e.ID)
	}
	front, ok := s.Settings.OrganCode(c.Organ)
	if !ok {
		front = s.Settings.Agency.Code
	}
	year := c.FormedAt.Year
	for range 100 {
		serial, err := pool.take(ctx, front, year)
		if err != nil {
			return err
		}
		no, err := FormatIndexNo(front, year, serial)
		if err != nil {
			return err
		}
		switch err := s.Records.ClaimIndexNo(ctx, no, e.ID); ErrorCode(err) {
		case "":
			e.IndexNo = no
			return nil
		case ECONFLICT:
			continue // held by an imported entry: take the next serial
		default:
			return err
		}
	}
	return Errorf(EINTERNAL, "无法分配索引号：%s/%d 的编号连续被占用", front, year)
}

// serialPool hands out 索引号 serials from blocks reserved in the store, so
// a bulk import advances each sequence once per block rather than once per
// entry. Release gives back what was not used.
type serialPool struct {
	records RecordStore
	block   int
	mu      sync.Mutex
	free    map[serialSeq]*serialRange
}

type serialSeq struct {
	front string
	year  int
}

type serialRange struct{ next, last int }

func newSerialPool(records RecordStore, block int) *serialPool {
	return &serialPool{records: records, block: block, free: map[serialSeq]*serialRange{}}
}

func (p *serialPool) take(ctx context.Context, front string, year int) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	k := serialSeq{front, year}
	r := p.free[k]
	if r == nil || r.next > r.last {
		first, err := p.records.ReserveIndexSerials(ctx, front, year, p.block)
		if err != nil {
			return 0, err
		}
		r = &serialRange{next: first, last: first + p.block - 1}
		p.free[k] = r
	}
	n := r.next
	r.next++
	return n, nil
}

// release gives the unused ends of the blocks back to their sequences.
func (p *serialPool) release(ctx context.Context, log *slog.Logger) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for k, r := range p.free {
		if err := p.records.ReleaseIndexSerials(ctx, k.front, k.year, r.next, r.last); err != nil {
			log.Warn("could not give back unused 索引号 serials; they stay unused", "front", k.front, "year", k.year, "from", r.next, "to", r.last, "err", err)
		}
		delete(p.free, k)
	}
}

// attachmentText returns the extracted text of the attachments, as stored
// when they were uploaded.
func (s *Service) attachmentText(ctx context.Context, atts []Attachment) (string, error) {
	var b strings.Builder
	for _, a := range atts {
		t, err := s.Records.Text(ctx, a.SHA256)
		if err != nil {
			return "", err
		}
		if t != "" {
			b.WriteString(t)
			b.WriteString("\n")
		}
	}
	return b.String(), nil
}

// ExtractAndKeepText extracts the text of a stored attachment and keeps it
// beside the file. A file whose text cannot be extracted is still kept: the
// reason is recorded on the attachment.
func (s *Service) ExtractAndKeepText(ctx context.Context, a *Attachment) error {
	if s.Extract == nil {
		return nil
	}
	rc, err := s.Records.OpenFile(ctx, a.SHA256)
	if err != nil {
		return err
	}
	defer rc.Close()
	text, err := s.Extract(ctx, rc, a.Name, a.ContentType)
	if err != nil {
		a.ExtractError = err.Error()
		s.log().Warn("attachment text not extracted", "file", a.Name, "sha256", a.SHA256, "err", err)
		return nil
	}
	a.ExtractError = ""
	return s.Records.PutText(ctx, a.SHA256, text)
}

// projection computes what the public side should hold for e, reading the
// extracted attachment text only when the entry is public.
func (s *Service) projection(ctx context.Context, e *Entry) (*PublicEntry, Projection, error) {
	var text string
	if cur := e.Current(); cur != nil && e.IsPublic() {
		var err error
		if text, err = s.attachmentText(ctx, cur.Content.Attachments); err != nil {
			return nil, 0, err
		}
	}
	p, proj := PublicRecord(e, text)
	return p, proj, nil
}

// SyncPublic makes the public projection of e match what PublicRecord says:
// writes the public record (or notice) or deletes it. It does not touch the
// public index; the caller indexes the returned record when the projection
// is ProjectEntry and removes the id from the index otherwise.
func (s *Service) SyncPublic(ctx context.Context, e *Entry) (*PublicEntry, Projection, error) {
	p, proj, err := s.projection(ctx, e)
	if err != nil {
		return nil, 0, err
	}
	if proj == ProjectNothing {
		return nil, proj, s.Public.DeleteEntry(ctx, e.ID)
	}
	return p, proj, s.Public.PutEntry(ctx, p, s.Records)
}

// ReconcileReport counts what Reconcile found and mended.
type ReconcileReport struct {
	Entries   int // internal entries examined
	Public    int // entries that belong on the public side
	Rewritten int // public records written because they were missing or stale
	Removed   int // public records removed because they should not be public
}

// Reconcile makes the public projection equal exactly to the projections of
// the internal records: it writes every missing or stale public record and
// removes every public record that no internal entry justifies. It also
// restores the claim of every entry's 索引号 and the files of every public
// record, which a crash during an import (whose writes are synced a batch
// at a time) may have lost while keeping the record. It is run after an unclean stop and by `gongkai
// reindex`, so a crash between the steps of publishing never leaves a leak
// or a loss behind.
func (s *Service) Reconcile(ctx context.Context) (ReconcileReport, error) {
	var (
		rep       ReconcileReport
		replacing []*Entry
		mu        sync.Mutex // guards want, rep.Public and rep.Rewritten
		want      = make(map[string]bool)
	)
	// Reading and comparing the public records is most of the work, and
	// each entry's is its own, so several entries are checked at a time;
	// the first failure stops the others.
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(reconcileWorkers)
	err := s.Records.ListEntries(gctx, func(e *Entry) error {
		rep.Entries++
		if e.Replaces != "" && e.IsPublic() {
			replacing = append(replacing, e)
		}
		g.Go(func() error {
			public, rewritten, err := s.reconcileEntry(gctx, e)
			if err != nil {
				return fmt.Errorf("%s: %w", e.ID, err)
			}
			mu.Lock()
			defer mu.Unlock()
			if public {
				want[e.ID] = true
				rep.Public++
			}
			if rewritten {
				rep.Rewritten++
			}
			return nil
		})
		return gctx.Err()
	})
	if failed := g.Wait(); failed != nil && (err == nil || errors.Is(err, context.Canceled)) {
		err = failed // the cause, not the cancellation it made
	}
	if err != nil {
		return rep, fmt.Errorf("catalogue: reconcile: %w", err)
	}
	// A replacement interrupted after the new entry was published: mark
	// the old one now (a no-op when it is already marked).
	for _, e := range replacing {
		if err := s.applyReplacement(ctx, e); err != nil {
			return rep, fmt.Errorf("catalogue: reconcile: replacement of %s by %s: %w", e.Replaces, e.ID, err)
		}
	}
	var stray []string
	err = s.Public.ListIDs(ctx, func(id string) error {
		if !want[id] {
			stray = append(stray, id)
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("catalogue: reconcile: %w", err)
	}
	for _, id := range stray {
		if err := s.Public.DeleteEntry(ctx, id); err != nil {
			return rep, fmt.Errorf("catalogue: reconcile: remove %s: %w", id, err)
		}
		rep.Removed++
	}
	return rep, nil
}

// reconcileWorkers is how many entries Reconcile checks at a time.
const reconcileWorkers = 8

// reconcileEntry makes e's public record what its projection says, if e
// belongs on the public side, and reports whether it does and whether its
// record had to be written.
func (s *Service) reconcileEntry(ctx context.Context, e *Entry) (public, rewritten bool, err error) {
	if e.IndexNo != "" {
		err := s.Records.ClaimIndexNo(ctx, e.IndexNo, e.ID)
		if IsConflict(err) {
			// Not of a crash's making: after one, Reconcile restores the
			// lost claims before anything else can take their numbers.
			// Tell staff, and go on.
			s.log().Warn("reconcile: the 索引号 of this entry is claimed by another", "entry", e.ID, "index_no", e.IndexNo)
		} else if err != nil {
			return false, false, err
		}
	}
	p, proj, err := s.projection(ctx, e)
	if err != nil || proj == ProjectNothing {
		return false, false, err
	}
	have, err := s.Public.Entry(ctx, e.ID)
	if err == nil && samePublic(have, p) {
		complete, err := s.publicFilesThere(ctx, p)
		if err != nil || complete {
			return true, false, err
		}
	}
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return true, false, err
	}
	return true, true, s.Public.PutEntry(ctx, p, s.Records)
}

// publicFilesThere reports whether every file the public record names can
// be fetched. PutEntry writes the files before the record, but an import
// defers the syncs of both, and a crash may keep the record alone.
func (s *Service) publicFilesThere(ctx context.Context, p *PublicEntry) (bool, error) {
	for _, a := range p.Attachments() {
		rc, err := s.Public.OpenFile(ctx, p.ID, a.SHA256)
		if IsNotFound(err) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		rc.Close()
	}
	return true, nil
}

// samePublic compares two public records by the fields that are persisted.
func samePublic(a, b *PublicEntry) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}

// IsConflict reports whether err says the state changed underneath.
func IsConflict(err error) bool { return ErrorCode(err) == ECONFLICT }

// IsNotFound reports whether err says the thing does not exist.
func IsNotFound(err error) bool { return ErrorCode(err) == ENOTFOUND }
