package fs_test

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai/storage"
	"gongkai/storage/fs"
	"gongkai/storage/storagetest"
)

func TestAcceptance(t *testing.T) {
	storagetest.AcceptanceTest(t, func(t *testing.T) storage.Bucket {
		return MustOpen(t, t.TempDir())
	})
}

func TestNew(t *testing.T) {
	t.Run("CreatesMissingDirectory", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "data", "objects")
		b := MustOpen(t, dir)
		storagetest.MustPut(t, b, "k", "v", "")
		if _, err := os.Stat(dir); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrOnFile", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(file, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := fs.New(file); err == nil {
			t.Fatal("New on a regular file succeeded")
		}
	})
	t.Run("ReopenKeepsObjectsAndMetadata", func(t *testing.T) {
		dir := t.TempDir()
		b := MustOpen(t, dir)
		put := storagetest.MustPut(t, b, "internal/files/公开指南.pdf", "%PDF-1.7", "application/pdf")
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		content, info := storagetest.MustGet(t, MustOpen(t, dir), "internal/files/公开指南.pdf")
		if content != "%PDF-1.7" || info.ContentType != "application/pdf" || info.ETag != put.ETag {
			t.Errorf("after reopening: %q %+v, want the stored object %+v", content, info, put)
		}
	})
}

func TestETagIsContentMD5(t *testing.T) {
	b := MustOpen(t, t.TempDir())
	put := storagetest.MustPut(t, b, "k", "政府信息公开", "")
	sum := md5.Sum([]byte("政府信息公开"))
	if want := hex.EncodeToString(sum[:]); put.ETag != want {
		t.Errorf("ETag = %q, want the content's MD5 %q, as S3 gives", put.ETag, want)
	}
	t.Run("QuotedIfMatchAccepted", func(t *testing.T) {
		_, err := b.Put(t.Context(), "k", strings.NewReader("v2"), 2, storage.PutOptions{IfMatch: `"` + put.ETag + `"`})
		if err != nil {
			t.Errorf("IfMatch with a quoted ETag: %v", err)
		}
	})
}

func TestTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	b := MustOpen(t, dir)
	storagetest.MustPut(t, b, "kept", "v", "")

	t.Run("FailedPutLeavesNone", func(t *testing.T) {
		_, err := b.Put(t.Context(), "broken", io.MultiReader(strings.NewReader("part"), errReader{}), 100, storage.PutOptions{})
		if !errors.Is(err, errBroken) {
			t.Fatalf("Put = %v, want the reader's error", err)
		}
		var left []string
		err = filepath.WalkDir(filepath.Join(dir, "tmp"), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				left = append(left, p)
			}
			return err
		})
		if err != nil || len(left) != 0 {
			t.Errorf("tmp holds %q after a failed Put (%v)", left, err)
		}
	})
	t.Run("CrashLeftoversNeverListedAndRemovedByNew", func(t *testing.T) {
		// What a crash between creating and renaming a temporary file leaves.
		leftover := filepath.Join(dir, "tmp", "03", "1234-1")
		if err := os.WriteFile(leftover, []byte("half a write"), 0o600); err != nil {
			t.Fatal(err)
		}
		if keys := listKeys(t, b, ""); !slices.Equal(keys, []string{"kept"}) {
			t.Errorf("List = %q, want only [kept]", keys)
		}
		b.Close()
		reopened := MustOpen(t, dir)
		if _, err := os.Stat(leftover); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("New left %s in place (%v)", leftover, err)
		}
		if keys := listKeys(t, reopened, ""); !slices.Equal(keys, []string{"kept"}) {
			t.Errorf("List after reopening = %q, want only [kept]", keys)
		}
	})
}

func TestObjectAndFolderClash(t *testing.T) {
	b := MustOpen(t, t.TempDir())
	storagetest.MustPut(t, b, "a", "object a", "")
	storagetest.MustPut(t, b, "x/y", "object x/y", "")

	t.Run("ErrObjectUnderObject", func(t *testing.T) {
		if _, err := b.Put(t.Context(), "a/b", strings.NewReader("v"), 1, storage.PutOptions{}); err == nil {
			t.Error(`Put("a/b") succeeded while "a" is an object`)
		}
	})
	t.Run("ErrObjectOverFolder", func(t *testing.T) {
		if _, err := b.Put(t.Context(), "x", strings.NewReader("v"), 1, storage.PutOptions{}); err == nil {
			t.Error(`Put("x") succeeded while "x/" holds objects`)
		}
	})
	t.Run("BothUnchanged", func(t *testing.T) {
		if keys := listKeys(t, b, ""); !slices.Equal(keys, []string{"a", "x/y"}) {
			t.Errorf("List = %q, want [a x/y]", keys)
		}
		if content, _ := storagetest.MustGet(t, b, "a"); content != "object a" {
			t.Errorf("a = %q", content)
		}
	})
}

func TestKeysStayInsideRoot(t *testing.T) {
	base := t.TempDir()
	outside := filepath.Join(base, "outside")
	if err := os.MkdirAll(outside, 0o750); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(outside, "secret")
	if err := os.WriteFile(secret, []byte("not an object"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(base, "store")
	b := MustOpen(t, dir)
	// Someone with access to the data directory plants links out of it.
	mustSymlink(t, outside, filepath.Join(dir, "objects", "absolute"))
	mustSymlink(t, "../../outside", filepath.Join(dir, "objects", "relative"))
	mustSymlink(t, secret, filepath.Join(dir, "objects", "file-link"))

	for _, key := range []string{"absolute/secret", "relative/secret", "file-link"} {
		t.Run(key, func(t *testing.T) {
			rc, _, err := b.Get(t.Context(), key)
			if err == nil {
				data, _ := io.ReadAll(rc)
				rc.Close()
				t.Errorf("Get(%q) read %q from outside the root", key, data)
			}
			if _, err := b.Stat(t.Context(), key); err == nil {
				t.Errorf("Stat(%q) succeeded outside the root", key)
			}
			_ = b.Delete(t.Context(), key) // may fail or remove the link itself, never its target
			if _, err := os.Stat(secret); err != nil {
				t.Fatalf("Delete(%q) removed a file outside the root: %v", key, err)
			}
		})
	}
	t.Run("PutCannotWriteOutside", func(t *testing.T) {
		for _, key := range []string{"absolute/new", "relative/new", "relative/sub/new"} {
			if _, err := b.Put(t.Context(), key, strings.NewReader("v"), 1, storage.PutOptions{}); err == nil {
				t.Errorf("Put(%q) succeeded through a link out of the root", key)
			}
		}
		if names := dirNames(t, outside); !slices.Equal(names, []string{"secret"}) {
			t.Errorf("outside now holds %q, want only [secret]", names)
		}
	})
	t.Run("ListDoesNotFollowLinks", func(t *testing.T) {
		if keys := listKeys(t, b, ""); len(keys) != 0 {
			t.Errorf("List = %q, want nothing", keys)
		}
	})
}

func TestOpenReaderKeepsOldContent(t *testing.T) {
	b := MustOpen(t, t.TempDir())
	storagetest.MustPut(t, b, "doc", "old content", "")
	rc, _, err := b.Get(t.Context(), "doc")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	storagetest.MustPut(t, b, "doc", "new content!", "")
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != "old content" {
		t.Errorf("open reader read %q after an overwrite, want the old content whole", data)
	}
}

func TestContentTypeWithControlCharacterRejected(t *testing.T) {
	b := MustOpen(t, t.TempDir())
	_, err := b.Put(t.Context(), "k", strings.NewReader("v"), 1, storage.PutOptions{ContentType: "text/plain\nX-Evil: 1"})
	if err == nil {
		t.Fatal("Put with a newline in the content type succeeded")
	}
	if _, err := b.Stat(t.Context(), "k"); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("Stat = %v, want ErrNotFound", err)
	}
}

func TestDeleteRemovesEmptyFolders(t *testing.T) {
	dir := t.TempDir()
	b := MustOpen(t, dir)
	storagetest.MustPut(t, b, "a/b/c/d", "v", "")
	storagetest.MustPut(t, b, "a/keep", "v", "")
	storagetest.MustDelete(t, b, "a/b/c/d")
	if names := dirNames(t, filepath.Join(dir, "objects", "a")); !slices.Equal(names, []string{"keep"}) {
		t.Errorf("objects/a holds %q, want [keep]", names)
	}
}

func TestDeferredSync(t *testing.T) {
	deferred := storage.DeferSync(context.Background())
	marker := func(dir string) bool {
		_, err := os.Stat(filepath.Join(dir, "unsynced"))
		return err == nil
	}
	put := func(t *testing.T, b *fs.Bucket, ctx context.Context, key, content string) {
		t.Helper()
		if _, err := b.Put(ctx, key, strings.NewReader(content), int64(len(content)), storage.PutOptions{}); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("SyncRemovesTheMarker", func(t *testing.T) {
		dir := t.TempDir()
		b := MustOpen(t, dir)
		storagetest.MustPut(t, b, "durable", "v", "")
		if marker(dir) {
			t.Fatal("a durable write left the unsynced marker")
		}
		put(t, b, deferred, "entries/a.json", "甲")
		if !marker(dir) {
			t.Fatal("no unsynced marker after a deferred write")
		}
		if got, _ := storagetest.MustGet(t, b, "entries/a.json"); got != "甲" {
			t.Errorf("deferred object reads %q before Sync", got)
		}
		if err := b.Sync(context.Background()); err != nil {
			t.Fatal(err)
		}
		if marker(dir) {
			t.Error("the unsynced marker is still there after Sync")
		}
	})

	t.Run("CloseSyncs", func(t *testing.T) {
		dir := t.TempDir()
		b := MustOpen(t, dir)
		put(t, b, deferred, "a", "甲")
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		if marker(dir) {
			t.Error("the unsynced marker is still there after Close")
		}
	})

	t.Run("MarkerStaysWhileAWriteRuns", func(t *testing.T) {
		dir := t.TempDir()
		b := MustOpen(t, dir)
		r, w := io.Pipe()
		done := make(chan error, 1)
		go func() {
			_, err := b.Put(deferred, "slow", r, int64(len("慢")), storage.PutOptions{})
			done <- err
		}()
		for !marker(dir) { // the write has begun once it marked the store
			time.Sleep(time.Millisecond)
		}
		if err := b.Sync(context.Background()); err != nil {
			t.Fatal(err)
		}
		if !marker(dir) {
			t.Fatal("Sync removed the marker while a deferred write was still running")
		}
		io.WriteString(w, "慢")
		w.Close()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if err := b.Sync(context.Background()); err != nil {
			t.Fatal(err)
		}
		if marker(dir) {
			t.Error("the marker stayed after a Sync with no write running")
		}
	})

	// A crash before Sync: the store may hold deferred objects whose
	// content never reached the disk. New removes exactly those.
	t.Run("NewRemovesIncompleteObjects", func(t *testing.T) {
		dir := t.TempDir()
		b := MustOpen(t, dir)
		storagetest.MustPut(t, b, "entries/old.json", "旧", "")
		put(t, b, deferred, "entries/old.json", "新") // replaces a durable object
		put(t, b, deferred, "entries/good.json", "完整")
		put(t, b, deferred, "entries/empty.json", "未写入")
		put(t, b, deferred, "entries/torn.json", "写了一半")
		objects := filepath.Join(dir, "objects", "entries")
		if err := os.Truncate(filepath.Join(objects, "empty.json"), 0); err != nil {
			t.Fatal(err)
		}
		torn := filepath.Join(objects, "torn.json")
		fi, _ := os.Stat(torn)
		if err := os.Truncate(torn, fi.Size()-3); err != nil {
			t.Fatal(err)
		}

		reopened := MustOpen(t, dir) // without Close: the machine stopped
		if got := reopened.Repaired(); !slices.Equal(got, []string{"entries/empty.json", "entries/torn.json"}) {
			t.Errorf("Repaired() = %q, want the two incomplete objects", got)
		}
		if got := listKeys(t, reopened, "entries/"); !slices.Equal(got, []string{"entries/good.json", "entries/old.json"}) {
			t.Errorf("objects after the crash: %q", got)
		}
		if got, _ := storagetest.MustGet(t, reopened, "entries/old.json"); got != "新" {
			t.Errorf("replaced object reads %q", got)
		}
		if !reopened.UnsyncedStop() {
			t.Error("UnsyncedStop() = false after a stop before Sync")
		}
		// The marker stays until the stop is mended and the store synced.
		if !marker(dir) {
			t.Error("New removed the unsynced marker")
		}
		if err := reopened.Sync(context.Background()); err != nil {
			t.Fatal(err)
		}
		if marker(dir) {
			t.Error("the unsynced marker is still there after Sync")
		}
	})

	// Only objects written since the marker are checked: older damage is
	// no deferred write's, and is reported when read, not removed.
	t.Run("OlderObjectsLeftAlone", func(t *testing.T) {
		dir := t.TempDir()
		b := MustOpen(t, dir)
		storagetest.MustPut(t, b, "old", "旧内容", "")
		put(t, b, deferred, "new", "新")
		old := filepath.Join(dir, "objects", "old")
		if err := os.Truncate(old, 0); err != nil {
			t.Fatal(err)
		}
		long := time.Now().Add(-time.Hour)
		if err := os.Chtimes(old, long, long); err != nil {
			t.Fatal(err)
		}
		reopened := MustOpen(t, dir)
		if got := reopened.Repaired(); len(got) != 0 {
			t.Errorf("Repaired() = %q, want the old object left alone", got)
		}
		if _, err := os.Stat(old); err != nil {
			t.Errorf("the old object was removed: %v", err)
		}
	})

	// A marker whose time is ahead of the clock (set back since) does not
	// hide the objects written after it.
	t.Run("ClockSetBack", func(t *testing.T) {
		dir := t.TempDir()
		b := MustOpen(t, dir)
		put(t, b, deferred, "torn", "写了一半")
		torn := filepath.Join(dir, "objects", "torn")
		if err := os.Truncate(torn, 0); err != nil {
			t.Fatal(err)
		}
		earlier := time.Now().Add(-10 * time.Minute) // written before the clock was set right
		if err := os.Chtimes(torn, earlier, earlier); err != nil {
			t.Fatal(err)
		}
		ahead := time.Now().Add(time.Hour)
		if err := os.Chtimes(filepath.Join(dir, "unsynced"), ahead, ahead); err != nil {
			t.Fatal(err)
		}
		if got := MustOpen(t, dir).Repaired(); !slices.Equal(got, []string{"torn"}) {
			t.Errorf("Repaired() = %q, want the torn object", got)
		}
	})

	// Without the marker New checks nothing and removes nothing: a damaged
	// object is reported when read, never silently dropped.
	t.Run("NoMarkerNoRemoval", func(t *testing.T) {
		dir := t.TempDir()
		b := MustOpen(t, dir)
		storagetest.MustPut(t, b, "k", "内容", "")
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(filepath.Join(dir, "objects", "k"), 0); err != nil {
			t.Fatal(err)
		}
		reopened := MustOpen(t, dir)
		if got := reopened.Repaired(); len(got) != 0 || reopened.UnsyncedStop() {
			t.Errorf("Repaired() = %q, UnsyncedStop() = %t without an unsynced stop", got, reopened.UnsyncedStop())
		}
		if _, _, err := reopened.Get(context.Background(), "k"); err == nil || errors.Is(err, storage.ErrNotFound) {
			t.Errorf("Get of a damaged object: %v, want an error that is not ErrNotFound", err)
		}
	})
}

func MustOpen(tb testing.TB, dir string) *fs.Bucket {
	tb.Helper()
	b, err := fs.New(dir)
	if err != nil {
		tb.Fatalf("fs.New: %v", err)
	}
	tb.Cleanup(func() { b.Close() })
	return b
}

func listKeys(tb testing.TB, b storage.Bucket, prefix string) []string {
	tb.Helper()
	var keys []string
	for _, info := range storagetest.MustList(tb, b, prefix) {
		keys = append(keys, info.Key)
	}
	return keys
}

func dirNames(tb testing.TB, dir string) []string {
	tb.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func mustSymlink(tb testing.TB, target, link string) {
	tb.Helper()
	if err := os.Symlink(target, link); err != nil {
		tb.Fatal(err)
	}
}

var errBroken = errors.New("connection reset by the client")

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errBroken }

// BenchmarkPut measures a durable 4 KiB write: temporary file, two fsyncs
// and a rename.
func BenchmarkPut(b *testing.B) {
	bucket := MustOpen(b, b.TempDir())
	content := strings.Repeat("公", 4096/3)
	b.SetBytes(int64(len(content)))
	for i := 0; b.Loop(); i++ {
		_, err := bucket.Put(b.Context(), "entries/"+strconv.Itoa(i%100)+".json", strings.NewReader(content), int64(len(content)), storage.PutOptions{ContentType: "application/json"})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGet measures opening and reading a 4 KiB object.
func BenchmarkGet(b *testing.B) {
	bucket := MustOpen(b, b.TempDir())
	content := strings.Repeat("公", 4096/3)
	storagetest.MustPut(b, bucket, "entry.json", content, "application/json")
	b.SetBytes(int64(len(content)))
	for b.Loop() {
		if got, _ := storagetest.MustGet(b, bucket, "entry.json"); len(got) != len(content) {
			b.Fatalf("read %d bytes", len(got))
		}
	}
}
