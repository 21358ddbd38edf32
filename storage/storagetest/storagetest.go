// Package storagetest is the acceptance suite every storage.Bucket provider
// runs in its tests, so all providers behave alike.
package storagetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/storage"
)

// DefaultContentType is what every provider reports for an object stored
// without a content type.
const DefaultContentType = "application/octet-stream"

// InvalidKeys are keys every provider must refuse with storage.ErrInvalidKey.
var InvalidKeys = []string{
	"", "/abs", "a/../b", "..", "a/./b", "./a", "a\\b", "a\x00b", "a\nb",
	"a//b", "a/", "bad\xffutf8", strings.Repeat("k", 1025),
}

// AcceptanceTest checks that buckets from newBucket behave as
// storage.Bucket documents. newBucket must return a new, empty bucket on
// every call and close it when its test ends.
func AcceptanceTest(t *testing.T, newBucket func(t *testing.T) storage.Bucket) {
	t.Run("RoundTripKeepsContentAndType", func(t *testing.T) {
		testRoundTrip(t, newBucket(t))
	})
	t.Run("MissingContentTypeIsOctetStream", func(t *testing.T) {
		b := newBucket(t)
		put := MustPut(t, b, "plain", "bytes", "")
		if put.ContentType != DefaultContentType {
			t.Errorf("Put ContentType = %q, want %q", put.ContentType, DefaultContentType)
		}
		if got := MustStat(t, b, "plain").ContentType; got != DefaultContentType {
			t.Errorf("Stat ContentType = %q, want %q", got, DefaultContentType)
		}
	})
	t.Run("EmptyObjectRoundTrips", func(t *testing.T) {
		b := newBucket(t)
		MustPut(t, b, "empty", "", "text/plain")
		content, info := MustGet(t, b, "empty")
		if content != "" || info.Size != 0 {
			t.Errorf("Get = %q (Size %d), want empty", content, info.Size)
		}
	})
	t.Run("OverwriteReplacesContentTypeAndETag", func(t *testing.T) {
		testOverwrite(t, newBucket(t))
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		testNotFound(t, newBucket(t))
	})
	t.Run("ListInKeyOrderByPrefix", func(t *testing.T) {
		testList(t, newBucket(t))
	})
	t.Run("ListStopsAtCallbackError", func(t *testing.T) {
		testListStops(t, newBucket(t))
	})
	t.Run("DeleteRemovesObject", func(t *testing.T) {
		testDelete(t, newBucket(t))
	})
	t.Run("ErrInvalidKey", func(t *testing.T) {
		testInvalidKeys(t, newBucket(t))
	})
	t.Run("ChineseKeys", func(t *testing.T) {
		testChineseKeys(t, newBucket(t))
	})
	t.Run("LargeObjectRoundTrips", func(t *testing.T) {
		testLargeObject(t, newBucket(t))
	})
	t.Run("ShortContentStoresNothing", func(t *testing.T) {
		testShortContent(t, newBucket(t))
	})
	t.Run("IfAbsent", func(t *testing.T) {
		testIfAbsent(t, newBucket(t))
	})
	t.Run("IfMatch", func(t *testing.T) {
		testIfMatch(t, newBucket(t))
	})
	t.Run("IfAbsentWithIfMatchRejected", func(t *testing.T) {
		b := newBucket(t)
		_, err := b.Put(t.Context(), "both", strings.NewReader("x"), 1, storage.PutOptions{IfAbsent: true, IfMatch: "abc"})
		if err == nil {
			t.Fatal("Put with IfAbsent and IfMatch succeeded")
		}
		mustNotExist(t, b, "both")
	})
	t.Run("ConcurrentIfAbsentOneWins", func(t *testing.T) {
		b := newBucket(t)
		testRace(t, b, "race/absent", func(string) storage.PutOptions {
			return storage.PutOptions{IfAbsent: true}
		})
	})
	t.Run("ConcurrentIfMatchOneWins", func(t *testing.T) {
		b := newBucket(t)
		base := MustPut(t, b, "race/match", "base", "text/plain")
		testRace(t, b, "race/match", func(string) storage.PutOptions {
			return storage.PutOptions{IfMatch: base.ETag}
		})
	})
	t.Run("CancelledContextFails", func(t *testing.T) {
		testCancelledContext(t, newBucket(t))
	})
	t.Run("CancelDuringPutStoresNothing", func(t *testing.T) {
		testCancelDuringPut(t, newBucket(t))
	})
	t.Run("CancelDuringGetStopsReading", func(t *testing.T) {
		testCancelDuringGet(t, newBucket(t))
	})
	t.Run("GetRangeReadsPartOfTheObject", func(t *testing.T) {
		testGetRange(t, newBucket(t))
	})
}

func testRoundTrip(t *testing.T, b storage.Bucket) {
	const key, content, ct = "docs/guide.txt", "政府信息公开指南 2024", "text/plain; charset=utf-8"
	before := time.Now()
	put := MustPut(t, b, key, content, ct)
	if put.Key != key || put.Size != int64(len(content)) || put.ContentType != ct || put.ETag == "" {
		t.Errorf("Put info = %+v, want key %q, size %d, type %q and an ETag", put, key, len(content), ct)
	}
	checkRecent(t, "Put", put.ModTime, before)

	got, info := MustGet(t, b, key)
	if got != content {
		t.Errorf("Get content = %q, want %q", got, content)
	}
	checkSameObject(t, "Get", info, put)
	stat := MustStat(t, b, key)
	checkSameObject(t, "Stat", stat, put)
	checkRecent(t, "Stat", stat.ModTime, before)
	if !info.ModTime.Equal(stat.ModTime) {
		t.Errorf("Get ModTime %v != Stat ModTime %v", info.ModTime, stat.ModTime)
	}
}

func testOverwrite(t *testing.T, b storage.Bucket) {
	first := MustPut(t, b, "doc", "first version", "text/plain")
	second := MustPut(t, b, "doc", "second, longer version", "application/json")
	if second.ETag == first.ETag {
		t.Errorf("ETag unchanged (%q) after the content changed", first.ETag)
	}
	content, info := MustGet(t, b, "doc")
	if content != "second, longer version" {
		t.Errorf("content = %q, want the second version", content)
	}
	checkSameObject(t, "Get", info, second)
	checkSameObject(t, "Stat", MustStat(t, b, "doc"), second)
	if n := len(MustList(t, b, "")); n != 1 {
		t.Errorf("List after overwrite has %d objects, want 1", n)
	}
}

func testNotFound(t *testing.T, b storage.Bucket) {
	MustPut(t, b, "folder/inner.txt", "x", "text/plain")
	for _, key := range []string{"missing", "folder/missing.txt", "folder", "folder/inner.txt/deeper"} {
		t.Run(fmt.Sprintf("%q", key), func(t *testing.T) {
			mustNotExist(t, b, key)
		})
	}
}

func testList(t *testing.T, b storage.Bucket) {
	keys := []string{
		"docs/a-b.txt", "docs/a.txt", "docs/a/x.txt", "docs/a/y/z.txt", "docs/b.txt",
		"docs/公开/指南.pdf", "docs0.txt", "obj_5", "Z.txt", "internal/files/公开指南.pdf",
	}
	stored := map[string]storage.ObjectInfo{}
	for i, k := range keys {
		stored[k] = MustPut(t, b, k, strings.Repeat("x", i+1), fmt.Sprintf("text/x-%d", i))
	}
	for _, prefix := range []string{
		"", "docs/", "docs", "docs/a", "docs/a/", "docs/a/y/", "docs/公", "docs/b.txt",
		"internal/files/公开", "nothing/", "docs/c", "Z", "z",
	} {
		// The expectation is computed the slow, obvious way: filter, then
		// sort bytewise.
		var want []string
		for _, k := range keys {
			if strings.HasPrefix(k, prefix) {
				want = append(want, k)
			}
		}
		slices.Sort(want)
		t.Run(fmt.Sprintf("%q", prefix), func(t *testing.T) {
			infos := MustList(t, b, prefix)
			var got []string
			for _, info := range infos {
				got = append(got, info.Key)
				s := stored[info.Key]
				if info.Size != s.Size || info.ETag != s.ETag || info.ContentType != s.ContentType {
					t.Errorf("List info %+v, want size %d, ETag %q, type %q", info, s.Size, s.ETag, s.ContentType)
				}
				if info.ModTime.IsZero() {
					t.Errorf("List info for %q has no ModTime", info.Key)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("List(%q) =\n  %q\nwant\n  %q", prefix, got, want)
			}
		})
	}
	t.Run("ErrInvalidKey", func(t *testing.T) {
		for _, prefix := range []string{"/abs", "a/../b", "a//b", "a\\b", "./"} {
			err := b.List(t.Context(), prefix, func(storage.ObjectInfo) error { return nil })
			if !errors.Is(err, storage.ErrInvalidKey) {
				t.Errorf("List(%q) = %v, want ErrInvalidKey", prefix, err)
			}
		}
	})
}

func testListStops(t *testing.T, b storage.Bucket) {
	for _, k := range []string{"a", "b", "c", "d"} {
		MustPut(t, b, "stop/"+k, k, "")
	}
	errEnough := errors.New("enough")
	var seen []string
	err := b.List(t.Context(), "stop/", func(info storage.ObjectInfo) error {
		seen = append(seen, info.Key)
		if len(seen) == 2 {
			return errEnough
		}
		return nil
	})
	if !errors.Is(err, errEnough) {
		t.Errorf("List = %v, want the callback's error", err)
	}
	if !slices.Equal(seen, []string{"stop/a", "stop/b"}) {
		t.Errorf("List visited %q after the error, want [stop/a stop/b]", seen)
	}
}

func testDelete(t *testing.T, b storage.Bucket) {
	MustPut(t, b, "folder/one", "1", "")
	MustPut(t, b, "folder/two", "2", "")
	MustDelete(t, b, "folder/one")
	mustNotExist(t, b, "folder/one")
	if got := keysOf(MustList(t, b, "")); !slices.Equal(got, []string{"folder/two"}) {
		t.Errorf("List after delete = %q, want [folder/two]", got)
	}

	t.Run("AbsentKeyIsNoError", func(t *testing.T) {
		MustDelete(t, b, "folder/one")
		MustDelete(t, b, "never/existed")
	})
	t.Run("EmptiedFolderCanBeAnObject", func(t *testing.T) {
		MustDelete(t, b, "folder/two")
		if got := MustList(t, b, ""); len(got) != 0 {
			t.Fatalf("List after deleting everything = %q, want nothing", keysOf(got))
		}
		MustPut(t, b, "folder", "now an object", "")
		if content, _ := MustGet(t, b, "folder"); content != "now an object" {
			t.Errorf("Get(folder) = %q", content)
		}
	})
	t.Run("DeletedKeyCanBeWrittenAgain", func(t *testing.T) {
		MustPut(t, b, "again/key", "old", "")
		MustDelete(t, b, "again/key")
		MustPut(t, b, "again/key", "new", "")
		if content, _ := MustGet(t, b, "again/key"); content != "new" {
			t.Errorf("Get = %q, want new", content)
		}
	})
}

func testInvalidKeys(t *testing.T, b storage.Bucket) {
	ctx := t.Context()
	for _, key := range InvalidKeys {
		name := fmt.Sprintf("%q", key)
		if len(name) > 40 {
			name = name[:40]
		}
		t.Run(name, func(t *testing.T) {
			_, err := b.Put(ctx, key, strings.NewReader("x"), 1, storage.PutOptions{})
			checkInvalid(t, "Put", err)
			_, _, err = b.Get(ctx, key)
			checkInvalid(t, "Get", err)
			_, err = b.GetRange(ctx, key, 0, -1)
			checkInvalid(t, "GetRange", err)
			_, err = b.Stat(ctx, key)
			checkInvalid(t, "Stat", err)
			checkInvalid(t, "Delete", b.Delete(ctx, key))
		})
	}
	if got := MustList(t, b, ""); len(got) != 0 {
		t.Errorf("invalid keys stored objects: %q", keysOf(got))
	}
}

func testChineseKeys(t *testing.T, b storage.Bucket) {
	keys := []string{
		"internal/files/公开指南.pdf",
		"internal/files/2024年 政府信息公开 (第1号)+%&=.pdf",
		"public/目录/〔2024〕12号/通知.html",
	}
	for _, key := range keys {
		content := "内容：" + key
		MustPut(t, b, key, content, "application/pdf")
		got, info := MustGet(t, b, key)
		if got != content || info.Key != key {
			t.Errorf("Get(%q) = %q (key %q)", key, got, info.Key)
		}
	}
	want := slices.Sorted(slices.Values(keys[:2]))
	if got := keysOf(MustList(t, b, "internal/files/")); !slices.Equal(got, want) {
		t.Errorf("List = %q, want %q", got, want)
	}
	if got := keysOf(MustList(t, b, "public/目录/〔")); !slices.Equal(got, keys[2:]) {
		t.Errorf("List by Chinese prefix = %q, want %q", got, keys[2:])
	}
}

func testLargeObject(t *testing.T, b storage.Bucket) {
	const size = 8 << 20
	// A reader without Seek or Len, like an upload's body.
	body := io.LimitReader(rand.NewChaCha8([32]byte{'g', 'o', 'n', 'g', 'k', 'a', 'i'}), size)
	h := sha256.New()
	put, err := b.Put(t.Context(), "large/scan.pdf", io.TeeReader(body, h), size, storage.PutOptions{ContentType: "application/pdf"})
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	want := h.Sum(nil)
	if put.Size != size {
		t.Errorf("Put Size = %d, want %d", put.Size, size)
	}
	rc, info, err := b.Get(t.Context(), "large/scan.pdf")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	defer rc.Close()
	h.Reset()
	n, err := io.Copy(h, rc)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if n != size || info.Size != size || !bytes.Equal(h.Sum(nil), want) {
		t.Errorf("read %d bytes (info.Size %d), content equal: %v; want %d identical bytes", n, info.Size, bytes.Equal(h.Sum(nil), want), size)
	}
	checkSameObject(t, "Get", info, put)
}

func testShortContent(t *testing.T, b storage.Bucket) {
	_, err := b.Put(t.Context(), "short", strings.NewReader("12345"), 10, storage.PutOptions{})
	if err == nil {
		t.Error("Put of 5 bytes claimed as 10 succeeded")
	}
	mustNotExist(t, b, "short")

	MustPut(t, b, "kept", "original", "")
	if _, err := b.Put(t.Context(), "kept", strings.NewReader("12345"), 10, storage.PutOptions{}); err == nil {
		t.Error("short overwrite succeeded")
	}
	if content, _ := MustGet(t, b, "kept"); content != "original" {
		t.Errorf("after a failed overwrite content = %q, want original", content)
	}
}

func testIfAbsent(t *testing.T, b storage.Bucket) {
	ctx := t.Context()
	first, err := b.Put(ctx, "once", strings.NewReader("first"), 5, storage.PutOptions{IfAbsent: true})
	if err != nil {
		t.Fatalf("first IfAbsent Put: %v", err)
	}
	_, err = b.Put(ctx, "once", strings.NewReader("second"), 6, storage.PutOptions{IfAbsent: true})
	if !errors.Is(err, storage.ErrPrecondition) {
		t.Errorf("second IfAbsent Put = %v, want ErrPrecondition", err)
	}
	content, info := MustGet(t, b, "once")
	if content != "first" || info.ETag != first.ETag {
		t.Errorf("after a lost IfAbsent the object is %q (ETag %q), want the first", content, info.ETag)
	}
	t.Run("AfterDelete", func(t *testing.T) {
		MustDelete(t, b, "once")
		if _, err := b.Put(ctx, "once", strings.NewReader("third"), 5, storage.PutOptions{IfAbsent: true}); err != nil {
			t.Errorf("IfAbsent Put after delete: %v", err)
		}
	})
}

func testIfMatch(t *testing.T, b storage.Bucket) {
	ctx := t.Context()
	v1 := MustPut(t, b, "doc", "version 1", "text/plain")
	v2, err := b.Put(ctx, "doc", strings.NewReader("version 2"), 9, storage.PutOptions{IfMatch: v1.ETag, ContentType: "text/plain"})
	if err != nil {
		t.Fatalf("IfMatch Put with the current ETag: %v", err)
	}
	checkSameObject(t, "Stat", MustStat(t, b, "doc"), v2)

	t.Run("StaleETag", func(t *testing.T) {
		_, err := b.Put(ctx, "doc", strings.NewReader("version 3"), 9, storage.PutOptions{IfMatch: v1.ETag})
		if !errors.Is(err, storage.ErrPrecondition) {
			t.Errorf("IfMatch Put with a stale ETag = %v, want ErrPrecondition", err)
		}
		if content, _ := MustGet(t, b, "doc"); content != "version 2" {
			t.Errorf("content = %q, want version 2", content)
		}
	})
	t.Run("MissingObject", func(t *testing.T) {
		_, err := b.Put(ctx, "absent", strings.NewReader("x"), 1, storage.PutOptions{IfMatch: v2.ETag})
		if !errors.Is(err, storage.ErrPrecondition) {
			t.Errorf("IfMatch Put on a missing key = %v, want ErrPrecondition", err)
		}
		mustNotExist(t, b, "absent")
	})
	t.Run("DeletedObject", func(t *testing.T) {
		MustDelete(t, b, "doc")
		_, err := b.Put(ctx, "doc", strings.NewReader("x"), 1, storage.PutOptions{IfMatch: v2.ETag})
		if !errors.Is(err, storage.ErrPrecondition) {
			t.Errorf("IfMatch Put on a deleted key = %v, want ErrPrecondition", err)
		}
		mustNotExist(t, b, "doc")
	})
}

// racers is how many writers race for one key.
const racers = 16

// testRace starts racers conditional writes to key at once, each with its
// own content, and checks that exactly one won and that its content is what
// the key now holds.
func testRace(t *testing.T, b storage.Bucket, key string, opts func(content string) storage.PutOptions) {
	var (
		wg      sync.WaitGroup
		start   = make(chan struct{})
		mu      sync.Mutex
		winners []string
		others  []error
	)
	for i := range racers {
		content := fmt.Sprintf("writer %02d", i)
		wg.Go(func() {
			<-start
			_, err := b.Put(t.Context(), key, strings.NewReader(content), int64(len(content)), opts(content))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				winners = append(winners, content)
			case !errors.Is(err, storage.ErrPrecondition):
				others = append(others, err)
			}
		})
	}
	close(start)
	wg.Wait()
	for _, err := range others {
		t.Errorf("a losing writer got %v, want ErrPrecondition", err)
	}
	if len(winners) != 1 {
		t.Fatalf("%d writers won (%q), want exactly 1", len(winners), winners)
	}
	if content, _ := MustGet(t, b, key); content != winners[0] {
		t.Errorf("key holds %q, want the winner's %q", content, winners[0])
	}
}

func testCancelledContext(t *testing.T, b storage.Bucket) {
	MustPut(t, b, "existing", "still here", "")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()

	_, err := b.Put(ctx, "new", strings.NewReader("x"), 1, storage.PutOptions{})
	checkCancelled(t, "Put", err)
	_, _, err = b.Get(ctx, "existing")
	checkCancelled(t, "Get", err)
	_, err = b.GetRange(ctx, "existing", 1, 2)
	checkCancelled(t, "GetRange", err)
	_, err = b.Stat(ctx, "existing")
	checkCancelled(t, "Stat", err)
	err = b.List(ctx, "", func(storage.ObjectInfo) error { return nil })
	checkCancelled(t, "List", err)
	checkCancelled(t, "Delete", b.Delete(ctx, "existing"))

	mustNotExist(t, b, "new")
	if content, _ := MustGet(t, b, "existing"); content != "still here" {
		t.Errorf("existing = %q after cancelled calls", content)
	}
}

func testCancelDuringPut(t *testing.T, b storage.Bucket) {
	MustPut(t, b, "upload", "original", "")
	const size = 4 << 20
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	// The body cancels the context once the upload is under way, then keeps
	// delivering bytes, as a slow client would.
	body := &cancellingReader{r: io.LimitReader(rand.NewChaCha8([32]byte{}), size), after: 256 << 10, cancel: cancel}
	_, err := b.Put(ctx, "upload", body, size, storage.PutOptions{})
	if err == nil {
		t.Fatal("Put succeeded although its context was cancelled midway")
	}
	if body.read >= size {
		t.Errorf("Put read all %d bytes of the body after its context was cancelled", body.read)
	}
	if content, _ := MustGet(t, b, "upload"); content != "original" {
		t.Errorf("after a cancelled overwrite the object holds %d bytes, want the original", len(content))
	}
}

func testCancelDuringGet(t *testing.T, b storage.Bucket) {
	const size = 4 << 20
	if _, err := b.Put(t.Context(), "big", io.LimitReader(rand.NewChaCha8([32]byte{}), size), size, storage.PutOptions{}); err != nil {
		t.Fatalf("Put: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	rc, _, err := b.Get(ctx, "big")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	defer rc.Close()
	if _, err := io.ReadFull(rc, make([]byte, 1024)); err != nil {
		t.Fatalf("read before cancel: %v", err)
	}
	cancel()
	n, err := io.Copy(io.Discard, rc)
	if err == nil {
		t.Errorf("reading after cancel returned the remaining %d bytes without an error", n)
	}
}

func testGetRange(t *testing.T, b storage.Bucket) {
	const content = "0123456789公开目录" // 10 digits, then 12 bytes of Chinese
	MustPut(t, b, "range", content, "text/plain; charset=utf-8")
	MustPut(t, b, "empty", "", "")
	for _, c := range []struct {
		key            string
		offset, length int64
		want           string
	}{
		{"range", 0, -1, content},
		{"range", 0, 4, "0123"},
		{"range", 10, 3, "公"},
		{"range", 10, -1, "公开目录"},
		{"range", 13, 100, "开目录"},
		{"range", 21, -1, "录"[2:]},
		{"range", 22, -1, ""},
		{"range", 30, 5, ""},
		{"range", 3, 0, ""},
		{"empty", 0, -1, ""},
		{"empty", 5, 1, ""},
	} {
		t.Run(fmt.Sprintf("%s@%d+%d", c.key, c.offset, c.length), func(t *testing.T) {
			rc, err := b.GetRange(t.Context(), c.key, c.offset, c.length)
			if err != nil {
				t.Fatalf("GetRange: %v", err)
			}
			defer rc.Close()
			got, err := io.ReadAll(rc)
			if err != nil || string(got) != c.want {
				t.Errorf("GetRange read %q, %v; want %q", got, err, c.want)
			}
		})
	}
	t.Run("ErrNotFound", func(t *testing.T) {
		for _, length := range []int64{-1, 0, 5} {
			rc, err := b.GetRange(t.Context(), "missing", 1, length)
			if err == nil {
				rc.Close()
			}
			if !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("GetRange(missing, 1, %d) = %v, want ErrNotFound", length, err)
			}
		}
	})
	t.Run("NegativeOffsetFails", func(t *testing.T) {
		rc, err := b.GetRange(t.Context(), "range", -1, 2)
		if err == nil {
			rc.Close()
			t.Error("GetRange with offset -1 succeeded")
		}
	})
}

type cancellingReader struct {
	r      io.Reader
	read   int
	after  int
	cancel context.CancelFunc
}

func (c *cancellingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += n
	if c.read >= c.after {
		c.cancel()
	}
	return n, err
}

// MustPut stores content at key with the content type, failing tb on error.
func MustPut(tb testing.TB, b storage.Bucket, key, content, contentType string) storage.ObjectInfo {
	tb.Helper()
	info, err := b.Put(context.Background(), key, strings.NewReader(content), int64(len(content)), storage.PutOptions{ContentType: contentType})
	if err != nil {
		tb.Fatalf("Put(%q): %v", key, err)
	}
	return info
}

// MustGet returns the object's content and info, failing tb on error.
func MustGet(tb testing.TB, b storage.Bucket, key string) (string, storage.ObjectInfo) {
	tb.Helper()
	rc, info, err := b.Get(context.Background(), key)
	if err != nil {
		tb.Fatalf("Get(%q): %v", key, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		tb.Fatalf("read %q: %v", key, err)
	}
	return string(data), info
}

// MustStat returns the object's info, failing tb on error.
func MustStat(tb testing.TB, b storage.Bucket, key string) storage.ObjectInfo {
	tb.Helper()
	info, err := b.Stat(context.Background(), key)
	if err != nil {
		tb.Fatalf("Stat(%q): %v", key, err)
	}
	return info
}

// MustList returns what List reports under prefix, failing tb on error.
func MustList(tb testing.TB, b storage.Bucket, prefix string) []storage.ObjectInfo {
	tb.Helper()
	var infos []storage.ObjectInfo
	err := b.List(context.Background(), prefix, func(info storage.ObjectInfo) error {
		infos = append(infos, info)
		return nil
	})
	if err != nil {
		tb.Fatalf("List(%q): %v", prefix, err)
	}
	return infos
}

// MustDelete deletes the object, failing tb on error.
func MustDelete(tb testing.TB, b storage.Bucket, key string) {
	tb.Helper()
	if err := b.Delete(context.Background(), key); err != nil {
		tb.Fatalf("Delete(%q): %v", key, err)
	}
}

func mustNotExist(tb testing.TB, b storage.Bucket, key string) {
	tb.Helper()
	if _, err := b.Stat(context.Background(), key); !errors.Is(err, storage.ErrNotFound) {
		tb.Errorf("Stat(%q) = %v, want ErrNotFound", key, err)
	}
	rc, _, err := b.Get(context.Background(), key)
	if err == nil {
		rc.Close()
	}
	if !errors.Is(err, storage.ErrNotFound) {
		tb.Errorf("Get(%q) = %v, want ErrNotFound", key, err)
	}
}

func keysOf(infos []storage.ObjectInfo) []string {
	var keys []string
	for _, info := range infos {
		keys = append(keys, info.Key)
	}
	return keys
}

func checkSameObject(tb testing.TB, op string, got, want storage.ObjectInfo) {
	tb.Helper()
	if got.Key != want.Key || got.Size != want.Size || got.ContentType != want.ContentType || got.ETag != want.ETag {
		tb.Errorf("%s info = {Key:%q Size:%d ContentType:%q ETag:%q}, want {Key:%q Size:%d ContentType:%q ETag:%q}",
			op, got.Key, got.Size, got.ContentType, got.ETag, want.Key, want.Size, want.ContentType, want.ETag)
	}
}

// checkRecent checks that a ModTime is set and plausible; providers differ in
// its precision, so it is compared with a tolerance.
func checkRecent(tb testing.TB, op string, modTime, before time.Time) {
	tb.Helper()
	if modTime.Before(before.Add(-2*time.Second)) || modTime.After(time.Now().Add(2*time.Second)) {
		tb.Errorf("%s ModTime = %v, want about %v", op, modTime, before)
	}
}

func checkInvalid(tb testing.TB, op string, err error) {
	tb.Helper()
	if !errors.Is(err, storage.ErrInvalidKey) {
		tb.Errorf("%s = %v, want ErrInvalidKey", op, err)
	}
}

func checkCancelled(tb testing.TB, op string, err error) {
	tb.Helper()
	if !errors.Is(err, context.Canceled) {
		tb.Errorf("%s with a cancelled context = %v, want context.Canceled", op, err)
	}
}
