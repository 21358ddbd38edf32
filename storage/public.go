package storage

import (
	"context"
	"errors"
	"io"
	"strings"

	"gongkai/catalogue"
)

// PublicSite keeps the public projection of the catalogue under public/ in a
// Bucket. It can read and write nothing else: the public web handlers are
// given a PublicSite (as a catalogue.PublicReader) and no other handle on
// the store, so internal records are out of their reach by construction.
type PublicSite struct {
	b Bucket
}

// NewPublicSite returns the public projection kept on b.
func NewPublicSite(b Bucket) *PublicSite { return &PublicSite{b: b} }

var _ catalogue.PublicSite = (*PublicSite)(nil)

func publicEntryKey(id string) string        { return publicEntriesPrefix + id + ".json" }
func publicFileKey(id, sha string) string    { return publicFilesPrefix + id + "/" + sha }
func publicFilesOf(id string) string         { return publicFilesPrefix + id + "/" }
func shaFromPublicFileKey(key string) string { return key[strings.LastIndex(key, "/")+1:] }

// Entry implements catalogue.PublicReader.
func (s *PublicSite) Entry(ctx context.Context, id string) (*catalogue.PublicEntry, error) {
	if !ValidID(id) {
		return nil, notFound("条目")
	}
	var p catalogue.PublicEntry
	_, err := getJSON(ctx, s.b, publicEntryKey(id), &p)
	if errors.Is(err, ErrNotFound) {
		return nil, notFound("条目")
	}
	if err != nil {
		return nil, domainError("get public entry", err)
	}
	return &p, nil
}

// ListEntries implements catalogue.PublicReader.
func (s *PublicSite) ListEntries(ctx context.Context, fn func(*catalogue.PublicEntry) error) error {
	return listJSON(ctx, s.b, publicEntriesPrefix, func(_ ObjectInfo, p *catalogue.PublicEntry) error {
		return fn(p)
	})
}

// ListIDs implements catalogue.PublicSite.
func (s *PublicSite) ListIDs(ctx context.Context, fn func(string) error) error {
	err := s.b.List(ctx, publicEntriesPrefix, func(info ObjectInfo) error {
		id, ok := strings.CutSuffix(strings.TrimPrefix(info.Key, publicEntriesPrefix), ".json")
		if !ok || !ValidID(id) {
			return nil
		}
		return fn(id)
	})
	if err != nil {
		return domainError("list "+publicEntriesPrefix, err)
	}
	return nil
}

// OpenFile implements catalogue.PublicReader: only a file listed by the
// entry's public record (its current or an earlier version) is served.
// Public files are named by their content hash, so they never change and
// can be read from any offset.
func (s *PublicSite) OpenFile(ctx context.Context, id, sha string) (io.ReadSeekCloser, error) {
	p, err := s.Entry(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.Content == nil || !hasAttachment(p.Attachments(), sha) {
		return nil, notFound("文件")
	}
	f, _, err := openSeekable(ctx, s.b, publicFileKey(id, sha))
	if errors.Is(err, ErrNotFound) {
		return nil, notFound("文件")
	}
	if err != nil {
		return nil, domainError("get public file", err)
	}
	return f, nil
}

func hasAttachment(atts []catalogue.Attachment, sha string) bool {
	for _, a := range atts {
		if a.SHA256 == sha {
			return true
		}
	}
	return false
}

// PutEntry implements catalogue.PublicSite. Files go first and the record
// last, so a public record never names a file the public cannot fetch;
// files of earlier versions are removed after the record no longer names them.
func (s *PublicSite) PutEntry(ctx context.Context, p *catalogue.PublicEntry, files catalogue.RecordStore) error {
	if !ValidID(p.ID) {
		return catalogue.Errorf(catalogue.EINVALID, "条目编号 %q 不合法", p.ID)
	}
	keep := p.Attachments()
	for _, a := range keep {
		key := publicFileKey(p.ID, a.SHA256)
		if _, err := s.b.Stat(ctx, key); err == nil {
			continue
		} else if !errors.Is(err, ErrNotFound) {
			return domainError("stat public file", err)
		}
		rc, err := files.OpenFile(ctx, a.SHA256)
		if err != nil {
			return err
		}
		_, err = s.b.Put(ctx, key, rc, a.Size, PutOptions{ContentType: a.ContentType})
		rc.Close()
		if err != nil {
			return domainError("publish file "+a.Name, err)
		}
	}
	if _, err := putJSON(ctx, s.b, publicEntryKey(p.ID), p, PutOptions{}); err != nil {
		return domainError("publish entry "+p.ID, err)
	}
	return s.removeFiles(ctx, p.ID, keep)
}

// DeleteEntry implements catalogue.PublicSite: the record goes first, so
// nothing public points at the files while they are being removed.
func (s *PublicSite) DeleteEntry(ctx context.Context, id string) error {
	if !ValidID(id) {
		return nil
	}
	if err := s.b.Delete(ctx, publicEntryKey(id)); err != nil {
		return domainError("unpublish entry "+id, err)
	}
	return s.removeFiles(ctx, id, nil)
}

func (s *PublicSite) removeFiles(ctx context.Context, id string, keep []catalogue.Attachment) error {
	var stale []string
	err := s.b.List(ctx, publicFilesOf(id), func(info ObjectInfo) error {
		if !hasAttachment(keep, shaFromPublicFileKey(info.Key)) {
			stale = append(stale, info.Key)
		}
		return nil
	})
	if err != nil {
		return domainError("list public files", err)
	}
	for _, key := range stale {
		if err := s.b.Delete(ctx, key); err != nil {
			return domainError("remove public file", err)
		}
	}
	return nil
}
