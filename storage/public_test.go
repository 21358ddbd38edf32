package storage_test

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"sync/atomic"
	"testing"

	"gongkai/catalogue"
	"gongkai/storage"
)

// A public file is read from wherever a ranged download starts, and only
// from there: reads in sequence share one open reader, a read after a Seek
// elsewhere opens a ranged one.
func TestPublicFileReadsFromAnyOffset(t *testing.T) {
	forEachProvider(t, func(t *testing.T, newBucket func(t *testing.T) storage.Bucket) {
		ctx := t.Context()
		b := &rangeCounter{Bucket: newBucket(t)}
		content := make([]byte, 256<<10)
		rand.NewChaCha8([32]byte{1}).Read(content)
		size := int64(len(content))
		r := storage.NewRecords(b)
		att, err := r.PutFile(ctx, bytes.NewReader(content), "扫描件.pdf", 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		c := newEntry("pub0000002", "大附件").Draft
		c.Attachments = []catalogue.Attachment{att}
		pub := storage.NewPublicSite(b)
		if err := pub.PutEntry(ctx, &catalogue.PublicEntry{ID: "pub0000002", IndexNo: "x/2026-00002", Content: &c}, r); err != nil {
			t.Fatal(err)
		}
		open := func(t *testing.T) io.ReadSeekCloser {
			t.Helper()
			f, err := pub.OpenFile(ctx, "pub0000002", att.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { f.Close() })
			b.ranges.Store(0)
			return f
		}
		readAt := func(t *testing.T, f io.ReadSeeker, offset, n int64) {
			t.Helper()
			if _, err := f.Seek(offset, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			got := make([]byte, n)
			if _, err := io.ReadFull(f, got); err != nil {
				t.Fatalf("read %d bytes at %d: %v", n, offset, err)
			}
			if !bytes.Equal(got, content[offset:offset+n]) {
				t.Errorf("the %d bytes at %d differ from the file's", n, offset)
			}
		}

		t.Run("SeekEndGivesTheSize", func(t *testing.T) {
			if n, err := open(t).Seek(0, io.SeekEnd); n != size || err != nil {
				t.Errorf("Seek(0, SeekEnd) = %d, %v; want %d", n, err, size)
			}
		})
		t.Run("WholeFileIsOneRead", func(t *testing.T) {
			f := open(t)
			// As http.ServeContent does: find the size, then go back.
			f.Seek(0, io.SeekEnd)
			f.Seek(0, io.SeekStart)
			got, err := io.ReadAll(f)
			if err != nil || !bytes.Equal(got, content) {
				t.Fatalf("read %d bytes, %v; want the %d of the file", len(got), err, size)
			}
			if n := b.ranges.Load(); n != 0 {
				t.Errorf("%d ranged reads for a read from the start, want none", n)
			}
		})
		t.Run("RangesReadFromTheirStart", func(t *testing.T) {
			f := open(t)
			readAt(t, f, 100_000, 5000)
			readAt(t, f, 105_000, 5000) // goes on where the last stopped
			readAt(t, f, 10, 90)
			readAt(t, f, size-7, 7)
			if n := b.ranges.Load(); n != 3 {
				t.Errorf("%d ranged reads for three separate ranges, want 3", n)
			}
		})
		t.Run("PastTheEndIsEOF", func(t *testing.T) {
			f := open(t)
			if _, err := f.Seek(size+10, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			if n, err := f.Read(make([]byte, 10)); n != 0 || err != io.EOF {
				t.Errorf("Read past the end = %d, %v; want 0, EOF", n, err)
			}
		})
		t.Run("NegativePositionFails", func(t *testing.T) {
			if _, err := open(t).Seek(-1, io.SeekStart); err == nil {
				t.Error("Seek(-1, SeekStart) succeeded")
			}
		})
	})
}

// rangeCounter counts the ranged reads made of its bucket.
type rangeCounter struct {
	storage.Bucket
	ranges atomic.Int64
}

func (b *rangeCounter) GetRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	b.ranges.Add(1)
	return b.Bucket.GetRange(ctx, key, offset, length)
}
