package storage_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"gongkai/catalogue"
	"gongkai/internal/testenv"
	"gongkai/storage"
	"gongkai/storage/fs"
	"gongkai/storage/minio"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testenv.StopSharedMinIO()
	os.Exit(code)
}

// forEachProvider runs fn against a fresh, empty bucket of every provider:
// the filesystem and a real MinIO server.
func forEachProvider(t *testing.T, fn func(t *testing.T, newBucket func(t *testing.T) storage.Bucket)) {
	t.Run("fs", func(t *testing.T) {
		fn(t, func(t *testing.T) storage.Bucket {
			b, err := fs.New(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { b.Close() })
			return b
		})
	})
	t.Run("minio", func(t *testing.T) {
		srv := testenv.SharedMinIO(t)
		fn(t, func(t *testing.T) storage.Bucket {
			b, err := minio.New(t.Context(), minio.Config{Endpoint: srv.Endpoint, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey, Bucket: srv.NewBucketName()})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { b.Close() })
			return b
		})
	})
}

func newEntry(id, title string) *catalogue.Entry {
	c := catalogue.Content{Title: title, Organ: "韶关市工业和信息化局", FormedAt: catalogue.MustParseDate("2026-03-02"), Body: "正文"}
	return &catalogue.Entry{ID: id, Kind: catalogue.KindDocument, Attribute: catalogue.Proactive, Status: catalogue.StatusDraft, Draft: c}
}

func TestRecords(t *testing.T) {
	forEachProvider(t, func(t *testing.T, newBucket func(t *testing.T) storage.Bucket) {
		ctx := context.Background()

		t.Run("EntryRoundTrip", func(t *testing.T) {
			r := storage.NewRecords(newBucket(t))
			e := newEntry("a1b2c3d4e5", "关于印发工作制度的通知")
			if err := r.CreateEntry(ctx, e); err != nil {
				t.Fatal(err)
			}
			got, err := r.Entry(ctx, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Draft.Title != e.Draft.Title || got.Draft.FormedAt != e.Draft.FormedAt || got.Revision == "" {
				t.Fatalf("read back %+v", got)
			}
		})

		t.Run("ErrConflictOnSecondCreate", func(t *testing.T) {
			r := storage.NewRecords(newBucket(t))
			if err := r.CreateEntry(ctx, newEntry("dupdupdup1", "一")); err != nil {
				t.Fatal(err)
			}
			err := r.CreateEntry(ctx, newEntry("dupdupdup1", "二"))
			if catalogue.ErrorCode(err) != catalogue.ECONFLICT {
				t.Fatalf("second create = %v, want ECONFLICT", err)
			}
			got, _ := r.Entry(ctx, "dupdupdup1")
			if got.Draft.Title != "一" {
				t.Errorf("the losing create overwrote the record: %q", got.Draft.Title)
			}
		})

		t.Run("ErrNotFoundForUnknownOrMalformedID", func(t *testing.T) {
			r := storage.NewRecords(newBucket(t))
			for _, id := range []string{"0000000000", "../secret", "ABCDEF1234", strings.Repeat("a", 100), ""} {
				if _, err := r.Entry(ctx, id); catalogue.ErrorCode(err) != catalogue.ENOTFOUND {
					t.Errorf("Entry(%q) = %v, want ENOTFOUND", id, err)
				}
			}
		})

		t.Run("ExactlyOneConcurrentUpdateWins", func(t *testing.T) {
			r := storage.NewRecords(newBucket(t))
			if err := r.CreateEntry(ctx, newEntry("race000001", "原名称")); err != nil {
				t.Fatal(err)
			}
			const n = 8
			var wins, conflicts int
			var mu sync.Mutex
			var wg sync.WaitGroup
			base, _ := r.Entry(ctx, "race000001")
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					e := *base
					e.Draft.Title = fmt.Sprintf("修改 %d", i)
					err := r.UpdateEntry(ctx, &e)
					mu.Lock()
					defer mu.Unlock()
					switch catalogue.ErrorCode(err) {
					case "":
						wins++
					case catalogue.ECONFLICT:
						conflicts++
					default:
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			if wins != 1 || conflicts != n-1 {
				t.Fatalf("wins=%d conflicts=%d, want 1 and %d", wins, conflicts, n-1)
			}
		})

		t.Run("IndexSerialsUniqueUnderConcurrency", func(t *testing.T) {
			b := newBucket(t)
			// Two Records on one bucket stand for two processes: they share
			// nothing but the store.
			stores := []*storage.Records{storage.NewRecords(b), storage.NewRecords(b)}
			const n = 40
			seen := make(map[int]bool)
			var mu sync.Mutex
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					s, err := stores[i%2].ReserveIndexSerials(ctx, "114402000070418252", 2026, 1)
					mu.Lock()
					defer mu.Unlock()
					if err != nil {
						t.Error(err)
						return
					}
					if seen[s] {
						t.Errorf("serial %d handed out twice", s)
					}
					seen[s] = true
				}()
			}
			wg.Wait()
			for i := 1; i <= n; i++ {
				if !seen[i] {
					t.Errorf("serial %d missing: want exactly 1..%d", i, n)
				}
			}
			// Another year is another sequence.
			if s, err := stores[0].ReserveIndexSerials(ctx, "114402000070418252", 2025, 1); err != nil || s != 1 {
				t.Errorf("first serial of 2025 = %d, %v; want 1", s, err)
			}
		})

		t.Run("ImportLeavesNoGapInTheSequence", func(t *testing.T) {
			// An import reserves serials in blocks; what it does not use
			// goes back, so the next entry continues the sequence.
			b := newBucket(t)
			r := storage.NewRecords(b)
			svc := &catalogue.Service{Records: r, Public: storage.NewPublicSite(b), Settings: catalogue.DefaultSettings()}
			front := svc.Settings.Agency.Code
			const n = 70 // more than one block
			var lines strings.Builder
			for i := range n {
				fmt.Fprintf(&lines, `{"title": "第%d号通知", "organ": "韶关市工业和信息化局", "formed_at": "2024-05-06", "body": "正文"}`+"\n", i+1)
			}
			sum, err := svc.Import(ctx, strings.NewReader(lines.String()), fstest.MapFS{}, ".", catalogue.ImportOptions{})
			if err != nil || sum.Created != n {
				t.Fatalf("import: %+v, %v", sum, err)
			}
			held := map[string]bool{}
			if err := r.ListEntries(ctx, func(e *catalogue.Entry) error { held[e.IndexNo] = true; return nil }); err != nil {
				t.Fatal(err)
			}
			for i := 1; i <= n; i++ {
				if no := fmt.Sprintf("%s/2024-%05d", front, i); !held[no] {
					t.Errorf("no entry holds %s: want serials 1..%d", no, n)
				}
			}
			e := newEntry("afterimport", "导入之后的条目")
			e.Draft.FormedAt = catalogue.MustParseDate("2024-09-01")
			if err := svc.AllocateIndexNo(ctx, e, &e.Draft); err != nil {
				t.Fatal(err)
			}
			if want := fmt.Sprintf("%s/2024-%05d", front, n+1); e.IndexNo != want {
				t.Errorf("first number after the import = %s, want %s", e.IndexNo, want)
			}
		})

		t.Run("ReservedBlocksDoNotOverlapAndUnusedEndsReturn", func(t *testing.T) {
			b := newBucket(t)
			a, c := storage.NewRecords(b), storage.NewRecords(b)
			const front, year = "114402000070418252", 2024
			first, err := a.ReserveIndexSerials(ctx, front, year, 64)
			if err != nil || first != 1 {
				t.Fatalf("first block starts at %d, %v; want 1", first, err)
			}
			// The unused end of the last block goes back: the next
			// reservation continues right after what was used.
			if err := a.ReleaseIndexSerials(ctx, front, year, 11, 64); err != nil {
				t.Fatal(err)
			}
			if s, err := c.ReserveIndexSerials(ctx, front, year, 1); err != nil || s != 11 {
				t.Fatalf("serial after giving back 11..64 = %d, %v; want 11", s, err)
			}
			// Once another reservation followed a block, its end stays
			// unused rather than being handed out twice.
			second, err := a.ReserveIndexSerials(ctx, front, year, 8) // 12..19
			if err != nil || second != 12 {
				t.Fatalf("second block starts at %d, %v; want 12", second, err)
			}
			if s, err := c.ReserveIndexSerials(ctx, front, year, 1); err != nil || s != 20 {
				t.Fatalf("serial after the second block = %d, %v; want 20", s, err)
			}
			if err := a.ReleaseIndexSerials(ctx, front, year, 15, 19); err != nil {
				t.Fatal(err)
			}
			if s, err := c.ReserveIndexSerials(ctx, front, year, 1); err != nil || s != 21 {
				t.Errorf("serial after a refused give-back = %d, %v; want 21 (15..19 stay unused)", s, err)
			}
		})

		t.Run("AllocatedIndexNumbersUniqueAndSkipClaimed", func(t *testing.T) {
			r := storage.NewRecords(newBucket(t))
			svc := &catalogue.Service{Records: r, Settings: catalogue.DefaultSettings()}
			front := svc.Settings.Agency.Code
			// An imported entry already holds serial 3 of 2026.
			held := front + "/2026-00003"
			if err := r.ClaimIndexNo(ctx, held, "imported01"); err != nil {
				t.Fatal(err)
			}
			const n = 24
			got := make([]string, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					e := newEntry(fmt.Sprintf("alloc%05d", i), "条目")
					if err := svc.AllocateIndexNo(ctx, e, &e.Draft); err != nil {
						t.Error(err)
					}
					got[i] = e.IndexNo
				}()
			}
			wg.Wait()
			seen := map[string]bool{}
			for _, no := range got {
				if seen[no] || no == held || !strings.HasPrefix(no, front+"/2026-") {
					t.Errorf("index number %q duplicated, already held, or malformed", no)
				}
				seen[no] = true
			}
		})

		t.Run("ClaimIsIdempotentForItsHolder", func(t *testing.T) {
			r := storage.NewRecords(newBucket(t))
			no := "sggzyjyzx/2024-00002"
			if err := r.ClaimIndexNo(ctx, no, "holder0001"); err != nil {
				t.Fatal(err)
			}
			if err := r.ClaimIndexNo(ctx, no, "holder0001"); err != nil {
				t.Errorf("re-claim by the holder = %v", err)
			}
			if err := r.ClaimIndexNo(ctx, no, "other00001"); catalogue.ErrorCode(err) != catalogue.ECONFLICT {
				t.Errorf("claim by another entry = %v, want ECONFLICT", err)
			}
		})

		t.Run("FilesStoredOnceWithSniffedType", func(t *testing.T) {
			b := newBucket(t)
			r := storage.NewRecords(b)
			pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
			a1, err := r.PutFile(ctx, bytes.NewReader(pdf), "dir/../公开指南.pdf", 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			a2, err := r.PutFile(ctx, bytes.NewReader(pdf), "副本.bin", 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if a1.SHA256 != a2.SHA256 || a1.ContentType != "application/pdf" || a1.Name != "公开指南.pdf" || a1.Size != int64(len(pdf)) {
				t.Fatalf("attachments %+v %+v", a1, a2)
			}
			rc, err := r.OpenFile(ctx, a1.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(rc)
			rc.Close()
			if !bytes.Equal(data, pdf) {
				t.Error("file bytes changed")
			}
		})

		t.Run("ErrTooLargeStoresNothing", func(t *testing.T) {
			b := newBucket(t)
			r := storage.NewRecords(b)
			_, err := r.PutFile(ctx, strings.NewReader(strings.Repeat("x", 2048)), "big.txt", 1024)
			if catalogue.ErrorCode(err) != catalogue.ETOOLARGE {
				t.Fatalf("oversize upload = %v, want ETOOLARGE", err)
			}
			if !strings.Contains(catalogue.ErrorMessage(err), "big.txt") {
				t.Errorf("message %q does not name the file", catalogue.ErrorMessage(err))
			}
			n := 0
			_ = b.List(ctx, "", func(storage.ObjectInfo) error { n++; return nil })
			if n != 0 {
				t.Errorf("%d objects stored after a refused upload", n)
			}
		})

		t.Run("PublicSiteServesOnlyListedFiles", func(t *testing.T) {
			b := newBucket(t)
			r := storage.NewRecords(b)
			pub := storage.NewPublicSite(b)
			att, err := r.PutFile(ctx, strings.NewReader("附件内容"), "a.txt", 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			secret, err := r.PutFile(ctx, strings.NewReader("内部文件"), "b.txt", 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			c := newEntry("pub0000001", "公开条目").Draft
			c.Attachments = []catalogue.Attachment{att}
			p := &catalogue.PublicEntry{ID: "pub0000001", IndexNo: "x/2026-00001", Content: &c}
			if err := pub.PutEntry(ctx, p, r); err != nil {
				t.Fatal(err)
			}
			if rc, err := pub.OpenFile(ctx, p.ID, att.SHA256); err != nil {
				t.Errorf("listed file: %v", err)
			} else {
				rc.Close()
			}
			if _, err := pub.OpenFile(ctx, p.ID, secret.SHA256); catalogue.ErrorCode(err) != catalogue.ENOTFOUND {
				t.Errorf("unlisted internal file = %v, want ENOTFOUND", err)
			}
			if err := pub.DeleteEntry(ctx, p.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := pub.OpenFile(ctx, p.ID, att.SHA256); catalogue.ErrorCode(err) != catalogue.ENOTFOUND {
				t.Errorf("file after unpublishing = %v, want ENOTFOUND", err)
			}
			n := 0
			_ = b.List(ctx, storage.PublicPrefix, func(storage.ObjectInfo) error { n++; return nil })
			if n != 0 {
				t.Errorf("%d public objects left after unpublishing", n)
			}
		})

		t.Run("ImportTwiceAddsNothing", func(t *testing.T) {
			b := newBucket(t)
			svc := &catalogue.Service{Records: storage.NewRecords(b), Public: storage.NewPublicSite(b), Settings: catalogue.DefaultSettings()}
			files := fstest.MapFS{
				"c.jsonl": {Data: []byte(`{"title":"甲","organ":"韶关市工业和信息化局","formed_at":"2025-01-02","body":"正文甲"}
{"title":"乙","organ":"韶关市工业和信息化局","formed_at":"2025-01-03","body":"正文乙","attachments":[{"name":"乙.txt","path":"f/b.txt"}]}
{"title":"丙","organ":"韶关市工业和信息化局","formed_at":"2025-13-01","body":"坏日期"}
`)},
				"f/b.txt": {Data: []byte("附件乙")},
			}
			for round, want := range []catalogue.ImportSummary{
				{Lines: 3, Created: 2, Failed: 1},
				{Lines: 3, Duplicates: 2, Failed: 1},
			} {
				sum, err := svc.ImportFile(ctx, files, "c.jsonl", catalogue.ImportOptions{})
				if err != nil {
					t.Fatal(err)
				}
				sum.Elapsed = 0
				if sum != want {
					t.Errorf("round %d: %+v, want %+v", round+1, sum, want)
				}
			}
			n := 0
			_ = svc.Public.ListEntries(ctx, func(*catalogue.PublicEntry) error { n++; return nil })
			if n != 2 {
				t.Errorf("%d public records, want 2", n)
			}
		})

	})
}

func TestReconcile(t *testing.T) {
	forEachProvider(t, func(t *testing.T, newBucket func(t *testing.T) storage.Bucket) {
		ctx := context.Background()
		b := newBucket(t)
		svc := &catalogue.Service{Records: storage.NewRecords(b), Public: storage.NewPublicSite(b), Settings: catalogue.DefaultSettings()}
		files := fstest.MapFS{"c.jsonl": {Data: []byte(`{"title":"甲","organ":"韶关市工业和信息化局","formed_at":"2025-01-02","body":"正文甲"}
{"title":"乙","organ":"韶关市工业和信息化局","formed_at":"2025-01-03","body":"正文乙"}
`)}}
		if _, err := svc.ImportFile(ctx, files, "c.jsonl", catalogue.ImportOptions{}); err != nil {
			t.Fatal(err)
		}
		var ids []string
		_ = svc.Records.ListEntries(ctx, func(e *catalogue.Entry) error { ids = append(ids, e.ID); return nil })

		// A crash lost one public record, and a draft's record leaked out.
		if err := svc.Public.DeleteEntry(ctx, ids[0]); err != nil {
			t.Fatal(err)
		}
		draft := newEntry("draft00001", "内部草稿 CANARY-7f3a")
		if err := svc.Records.CreateEntry(ctx, draft); err != nil {
			t.Fatal(err)
		}
		leak := &catalogue.PublicEntry{ID: draft.ID, Content: &draft.Draft}
		if err := svc.Public.PutEntry(ctx, leak, svc.Records); err != nil {
			t.Fatal(err)
		}

		rep, err := svc.Reconcile(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rep != (catalogue.ReconcileReport{Entries: 3, Public: 2, Rewritten: 1, Removed: 1}) {
			t.Errorf("report %+v", rep)
		}
		var public []string
		_ = svc.Public.ListEntries(ctx, func(p *catalogue.PublicEntry) error { public = append(public, p.ID); return nil })
		if strings.Join(public, ",") != strings.Join(ids, ",") {
			t.Errorf("public records %v, want exactly %v", public, ids)
		}
		if rep, _ := svc.Reconcile(ctx); rep.Rewritten+rep.Removed != 0 {
			t.Errorf("second reconcile still changed things: %+v", rep)
		}

		// A public record that cannot be read stops reconciliation, which
		// names the entry and the cause, not the cancellation of the others.
		broken := &catalogue.Service{Records: svc.Records, Public: storage.NewPublicSite(unreadable{b, "public/entries/" + ids[1]}), Settings: svc.Settings}
		_, err = broken.Reconcile(ctx)
		if err == nil || !strings.Contains(err.Error(), ids[1]) || !errors.Is(err, errUnreadable) {
			t.Errorf("reconcile with an unreadable public record: %v", err)
		}
	})
}

var errUnreadable = errors.New("disk read error")

// unreadable is a bucket whose objects under prefix cannot be read.
type unreadable struct {
	storage.Bucket
	prefix string
}

func (u unreadable) Get(ctx context.Context, key string) (io.ReadCloser, storage.ObjectInfo, error) {
	if strings.HasPrefix(key, u.prefix) {
		return nil, storage.ObjectInfo{}, errUnreadable
	}
	return u.Bucket.Get(ctx, key)
}
