package web_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/catalogue"
	"gongkai/internal/testenv"
	"gongkai/storage"
	"gongkai/storage/fs"
	"gongkai/storage/minio"
)

// TestMinIOOutage stops a real MinIO server under a running site: public
// search and entry pages go on from the index; downloads and staff writes
// answer 503 with a Chinese message and change nothing; when the server
// comes back the site recovers by itself.
func TestMinIOOutage(t *testing.T) {
	srv := testenv.StartMinIO(t)
	b, err := minio.New(t.Context(), minio.Config{Endpoint: srv.Endpoint, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey, Bucket: srv.NewBucketName()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	f := newWorkflowFixture(t, b)
	e := f.create(t, "drafter", map[string]any{"title": "关于停机测试的通知", "body": "停机测试正文 OUTAGE42"})
	e = f.upload(t, e.ID, "drafter", map[string]string{"附件.txt": "停机测试附件"})
	f.mustAct(t, "drafter", e.ID, "submit", nil)
	f.mustAct(t, "chief", e.ID, "approve", nil)
	f.mustAct(t, "leader", e.ID, "approve", nil)
	f.mustAct(t, "office", e.ID, "publish", nil)
	fileURL := "/files/" + e.ID + "/" + e.Attachments[0].SHA256
	drafter := f.as(t, "drafter")
	entries := func() int {
		n := 0
		_ = f.Records.ListEntries(context.Background(), func(*catalogue.Entry) error { n++; return nil })
		return n
	}
	before := entries()

	srv.Stop()
	if ids := f.searchIDs(t, "OUTAGE42"); len(ids) != 1 || ids[0] != e.ID {
		t.Errorf("search during the outage: %v", ids)
	}
	if code, body := f.publicGet(t, "/entries/"+e.ID); code != http.StatusOK || !strings.Contains(body, "停机测试正文") || !strings.Contains(body, "暂时无法访问") {
		t.Errorf("entry page during the outage: %d", code)
	}
	if code, body := f.publicGet(t, "/api/v1/entries/"+e.ID); code != http.StatusOK || !strings.Contains(body, "OUTAGE42") {
		t.Errorf("entry API during the outage: %d %s", code, body)
	}
	if code, _ := f.publicGet(t, "/catalogue"); code != http.StatusOK {
		t.Errorf("catalogue during the outage: %d", code)
	}
	if code, body := f.publicGet(t, fileURL); code != http.StatusServiceUnavailable || !strings.Contains(body, "暂时不可用") {
		t.Errorf("download during the outage: %d %s", code, body)
	}
	resp, data := f.Do(t, http.MethodPost, "/api/v1/admin/entries", staffReq{Bearer: drafter, JSON: map[string]any{
		"title": "停机时的草稿", "formed_at": "2026-11-16", "body": "x"}})
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(errorMessage(data), "暂时不可用") {
		t.Errorf("staff write during the outage: %d %s", resp.StatusCode, data)
	}

	srv.Start()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, data = f.Do(t, http.MethodPost, "/api/v1/admin/entries", staffReq{Bearer: drafter, JSON: map[string]any{
			"title": "恢复后的草稿", "formed_at": "2026-11-16", "body": "x"}})
		if resp.StatusCode == http.StatusCreated {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no recovery within 60 s after MinIO came back: %d %s", resp.StatusCode, data)
		}
		time.Sleep(500 * time.Millisecond)
	}
	if code, body := f.publicGet(t, fileURL); code != http.StatusOK || !strings.Contains(body, "停机测试附件") {
		t.Errorf("download after recovery: %d", code)
	}
	// Nothing half-written: exactly the one draft made after recovery was added.
	if got := entries(); got != before+1 {
		t.Errorf("%d entries after the outage, want %d", got, before+1)
	}
}

// faultyBucket fails writes on purpose: the n-th write (Put or Delete)
// fails once ("error"), or it and everything after it fail until revived
// ("kill": the process died there).
type faultyBucket struct {
	storage.Bucket
	mu     sync.Mutex
	writes int
	failAt int // 0: never
	kill   bool
	dead   bool
}

var errInjected = errors.New("injected failure")

func (b *faultyBucket) arm(at int, kill bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.writes, b.failAt, b.kill, b.dead = 0, at, kill, false
}

// disarm stops failing and returns how many writes happened since arm.
func (b *faultyBucket) disarm() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failAt, b.dead = 0, false
	return b.writes
}

func (b *faultyBucket) check(write bool) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.dead {
		return errInjected
	}
	if !write {
		return nil
	}
	b.writes++
	if b.failAt != 0 && b.writes == b.failAt {
		b.dead = b.kill
		return errInjected
	}
	return nil
}

func (b *faultyBucket) Put(ctx context.Context, key string, r io.Reader, size int64, opts storage.PutOptions) (storage.ObjectInfo, error) {
	if err := b.check(true); err != nil {
		return storage.ObjectInfo{}, err
	}
	return b.Bucket.Put(ctx, key, r, size, opts)
}

func (b *faultyBucket) Delete(ctx context.Context, key string) error {
	if err := b.check(true); err != nil {
		return err
	}
	return b.Bucket.Delete(ctx, key)
}

func (b *faultyBucket) Get(ctx context.Context, key string) (io.ReadCloser, storage.ObjectInfo, error) {
	if err := b.check(false); err != nil {
		return nil, storage.ObjectInfo{}, err
	}
	return b.Bucket.Get(ctx, key)
}

func (b *faultyBucket) GetRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	if err := b.check(false); err != nil {
		return nil, err
	}
	return b.Bucket.GetRange(ctx, key, offset, length)
}

func (b *faultyBucket) Stat(ctx context.Context, key string) (storage.ObjectInfo, error) {
	if err := b.check(false); err != nil {
		return storage.ObjectInfo{}, err
	}
	return b.Bucket.Stat(ctx, key)
}

func (b *faultyBucket) List(ctx context.Context, prefix string, fn func(storage.ObjectInfo) error) error {
	if err := b.check(false); err != nil {
		return err
	}
	return b.Bucket.List(ctx, prefix, fn)
}

// scenario prepares an entry just before the step under test, and runs it.
type scenario struct {
	name    string
	prepare func(t *testing.T, f *workflowFixture) (id string)
	run     func(f *workflowFixture, id string) error
}

var office = catalogue.Actor{Name: "office", Role: catalogue.RoleOffice}

var scenarios = []scenario{
	{
		name: "publish",
		prepare: func(t *testing.T, f *workflowFixture) string {
			e := f.create(t, "drafter", map[string]any{"title": "故障注入发布测试", "body": "发布测试正文 FAULTPUB"})
			e = f.upload(t, e.ID, "drafter", map[string]string{"附件.txt": "故障注入附件"})
			f.mustAct(t, "drafter", e.ID, "submit", nil)
			f.mustAct(t, "chief", e.ID, "approve", nil)
			f.mustAct(t, "leader", e.ID, "approve", nil)
			return e.ID
		},
		run: func(f *workflowFixture, id string) error {
			_, err := f.Service.Act(context.Background(), office, id, catalogue.ActPublish, catalogue.ActionRequest{})
			return err
		},
	},
	{
		name: "revise",
		prepare: func(t *testing.T, f *workflowFixture) string {
			e := f.publish(t, map[string]any{"title": "故障注入变更测试", "body": "旧正文 FAULTOLD"})
			f.mustAct(t, "drafter", e.ID, "revise", map[string]string{"comment": "改正文"})
			f.Do(t, http.MethodPut, "/api/v1/admin/entries/"+e.ID, staffReq{Bearer: f.as(t, "drafter"), JSON: map[string]any{
				"title": "故障注入变更测试", "formed_at": "2026-11-16", "body": "新正文 FAULTNEW", "attribute": "主动公开", "summary": "概述"}})
			f.mustAct(t, "drafter", e.ID, "submit", nil)
			f.mustAct(t, "chief", e.ID, "approve", nil)
			f.mustAct(t, "leader", e.ID, "approve", nil)
			return e.ID
		},
		run: func(f *workflowFixture, id string) error {
			_, err := f.Service.Act(context.Background(), office, id, catalogue.ActPublish, catalogue.ActionRequest{})
			return err
		},
	},
	{
		name: "withdraw",
		prepare: func(t *testing.T, f *workflowFixture) string {
			e := f.create(t, "drafter", map[string]any{"title": "故障注入撤回测试", "body": "撤回测试正文 FAULTWD"})
			e = f.upload(t, e.ID, "drafter", map[string]string{"名单.txt": "含个人信息的附件"})
			f.mustAct(t, "drafter", e.ID, "submit", nil)
			f.mustAct(t, "chief", e.ID, "approve", nil)
			f.mustAct(t, "leader", e.ID, "approve", nil)
			f.mustAct(t, "office", e.ID, "publish", nil)
			return e.ID
		},
		run: func(f *workflowFixture, id string) error {
			_, err := f.Service.Act(context.Background(), office, id, catalogue.ActWithdraw, catalogue.ActionRequest{Reason: "personal_information"})
			return err
		},
	},
}

// TestFailureInjection fails every write of publish, revise and withdraw
// in turn, once as a storage error and once as a kill (nothing after it
// happens), then restarts the way gongkai does after an unclean stop
// (reconcile, rebuild both indexes) and checks: the entry is intact and in
// its state before or after the step, and the public side (records, files,
// index) holds exactly what the internal record says is public.
func TestFailureInjection(t *testing.T) {
	stores := map[string]func(t *testing.T) storage.Bucket{
		"fs": func(t *testing.T) storage.Bucket {
			b, err := fs.New(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { b.Close() })
			return b
		},
		"minio": func(t *testing.T) storage.Bucket {
			srv := testenv.SharedMinIO(t)
			b, err := minio.New(t.Context(), minio.Config{Endpoint: srv.Endpoint, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey, Bucket: srv.NewBucketName()})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { b.Close() })
			return b
		},
	}
	for store, newBucket := range stores {
		t.Run(store, func(t *testing.T) {
			for _, sc := range scenarios {
				t.Run(sc.name, func(t *testing.T) {
					// A clean run counts the writes of the step.
					fb := &faultyBucket{Bucket: newBucket(t)}
					f := newWorkflowFixture(t, fb)
					id := sc.prepare(t, f)
					fb.arm(0, false)
					if err := sc.run(f, id); err != nil {
						t.Fatalf("clean run: %v", err)
					}
					writes := fb.disarm()
					after := f.get(t, "office", id).Status
					t.Logf("%s makes %d writes; each fails in turn", sc.name, writes)
					if writes < 2 {
						t.Fatalf("the step made %d writes", writes)
					}
					for _, kill := range []bool{false, true} {
						for at := 1; at <= writes; at++ {
							fb := &faultyBucket{Bucket: newBucket(t)}
							f := newWorkflowFixture(t, fb)
							id := sc.prepare(t, f)
							beforeStatus := f.get(t, "office", id).Status
							fb.arm(at, kill)
							err := sc.run(f, id)
							fb.disarm()
							if err == nil && !kill {
								// A failed write the step does not depend on (a
								// cleanup) may pass: the check below still holds.
								t.Logf("write %d failed, the step succeeded", at)
							}
							restartAndCheck(t, f, id, beforeStatus, after, kill, at)
						}
					}
				})
			}
		})
	}
}

// restartAndCheck does what gongkai does after an unclean stop and checks
// that internal and public agree.
func restartAndCheck(t *testing.T, f *workflowFixture, id, before, after string, kill bool, at int) {
	t.Helper()
	ctx := context.Background()
	where := func() string {
		mode := "error"
		if kill {
			mode = "kill"
		}
		return mode + " at write " + itoa(at)
	}
	if _, err := f.Service.Reconcile(ctx); err != nil {
		t.Fatalf("%s: reconcile: %v", where(), err)
	}
	if err := f.PublicIndex.Clear(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.PublicIndex.RebuildPublic(ctx, f.Public); err != nil {
		t.Fatal(err)
	}
	if err := f.StaffIndex.Clear(); err != nil {
		t.Fatal(err)
	}
	if _, err := f.StaffIndex.RebuildStaff(ctx, f.Records); err != nil {
		t.Fatal(err)
	}
	e, err := f.Records.Entry(ctx, id)
	if err != nil {
		t.Fatalf("%s: the entry is lost: %v", where(), err)
	}
	if st := string(e.Status); st != before && st != after {
		t.Errorf("%s: status %s, want %s or %s", where(), st, before, after)
	}
	want, proj := catalogue.PublicRecord(e, "")
	code, pub := f.publicEntry(t, id)
	switch proj {
	case catalogue.ProjectNothing:
		if code != http.StatusNotFound {
			t.Errorf("%s: internal says not public, the public API answers %d", where(), code)
		}
	case catalogue.ProjectNotice:
		if code != http.StatusGone {
			t.Errorf("%s: internal says withdrawn, the public API answers %d", where(), code)
		}
	case catalogue.ProjectEntry:
		if code != http.StatusOK || pub.Version != want.Version || pub.Body != want.Content.Body {
			t.Errorf("%s: internal says version %d is public, the public API answers %d with version %d", where(), want.Version, code, pub.Version)
		}
		for _, a := range want.Content.Attachments {
			if c, _ := f.publicGet(t, "/files/"+id+"/"+a.SHA256); c != http.StatusOK {
				t.Errorf("%s: public file %s: %d", where(), a.Name, c)
			}
		}
	}
	// The public index agrees with the public record.
	inIndex := false
	for _, hit := range f.searchIDs(t, e.Draft.Title) {
		inIndex = inIndex || hit == id
	}
	if inIndex != (proj == catalogue.ProjectEntry) {
		t.Errorf("%s: in the public index %v, public projection %v", where(), inIndex, proj)
	}
	// A withdrawn entry's files are gone.
	if proj != catalogue.ProjectEntry {
		for _, a := range e.Draft.Attachments {
			if c, _ := f.publicGet(t, "/files/"+id+"/"+a.SHA256); c == http.StatusOK {
				t.Errorf("%s: the file %s of a non-public entry is served", where(), a.Name)
			}
		}
	}
	// Published entries hold a claimed, unique 索引号.
	if len(e.Versions) > 0 && e.IndexNo == "" {
		t.Errorf("%s: published without an 索引号", where())
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
