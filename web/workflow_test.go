package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"gongkai/catalogue"
	"gongkai/internal/testenv"
	"gongkai/search"
	"gongkai/storage"
	"gongkai/storage/fs"
	"gongkai/storage/minio"
	"gongkai/web"
)

// workflowFixture is the whole site, public and staff, over one bucket:
// records, public projection, accounts, both indexes, the service and the
// handler. The clock stands still at workflowNow.
type workflowFixture struct {
	*staffFixture
	Service     *catalogue.Service
	Records     *storage.Records
	Public      *storage.PublicSite
	StaffIndex  *search.Index
	PublicIndex *search.Index
	Apps        *catalogue.ApplicationService
	Bucket      storage.Bucket
	sessions    map[string]staffSession
}

// workflowNow is Friday 2026-11-20, 10:00 in China.
var workflowNow = time.Date(2026, 11, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// workflowAccounts are the staff of the fixture: two sections with a
// drafter and a chief each (and a second chief in 综合科), one leader, the
// office and an administrator.
var workflowAccounts = []catalogue.NewUser{
	{Name: "admin", Role: catalogue.RoleAdmin},
	{Name: "office", Role: catalogue.RoleOffice},
	{Name: "leader", Role: catalogue.RoleLeader},
	{Name: "chief", Role: catalogue.RoleSectionChief, Section: "综合科"},
	{Name: "chief2", Role: catalogue.RoleSectionChief, Section: "综合科"},
	{Name: "drafter", Role: catalogue.RoleDrafter, Section: "综合科"},
	{Name: "otherchief", Role: catalogue.RoleSectionChief, Section: "法规科"},
	{Name: "otherdrafter", Role: catalogue.RoleDrafter, Section: "法规科"},
}

func newWorkflowFixture(t *testing.T, b storage.Bucket) *workflowFixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	users := storage.NewUsers(b)
	f := &workflowFixture{
		staffFixture: &staffFixture{Users: users, Accounts: &catalogue.Accounts{Users: users, Sessions: users, Hasher: staffHasher}},
		Records:      storage.NewRecords(b), Public: storage.NewPublicSite(b), Bucket: b, sessions: map[string]staffSession{},
	}
	for _, u := range workflowAccounts {
		u.Password = staffPassword
		if _, _, err := f.Accounts.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	var err error
	if f.PublicIndex, _, err = search.OpenIndex(filepath.Join(dir, "public")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.PublicIndex.Close() })
	if f.StaffIndex, _, err = search.OpenIndex(filepath.Join(dir, "staff")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.StaffIndex.Close() })
	settings := catalogue.DefaultSettings()
	settings.MaxUploadBytes = 64 << 10
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	f.Service = &catalogue.Service{
		Records: f.Records, Public: f.Public, PublicIndex: f.PublicIndex, StaffIndex: f.StaffIndex,
		Settings: settings, Calendar: catalogue.DefaultCalendar(), Log: log,
		Now: func() time.Time { return workflowNow },
	}
	apps := storage.NewApplications(b)
	f.Apps = &catalogue.ApplicationService{Store: apps, Calendar: f.Service.Calendar, Settings: f.Service.Settings,
		Now: func() time.Time { return workflowNow }}
	f.Handler, err = web.New(web.Deps{
		Applications: f.Apps, Reports: apps,
		Public: f.Public, PublicIndex: f.PublicIndex, StaffIndex: f.StaffIndex, Service: f.Service,
		Ready: func(context.Context) error { return nil }, Log: log, Version: "test",
		Users: users, Sessions: users, Passwords: staffHasher,
		SaveCalendar: func(ctx context.Context, c *catalogue.Calendar) error { return storage.SaveCalendar(ctx, b, c) },
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(f.Handler)
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

// newFSWorkflow returns a workflow fixture on a filesystem bucket.
func newFSWorkflow(t *testing.T) *workflowFixture {
	t.Helper()
	b, err := fs.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return newWorkflowFixture(t, b)
}

// forEachStore runs fn on a filesystem bucket and on a bucket of a real
// MinIO server.
func forEachStore(t *testing.T, fn func(t *testing.T, f *workflowFixture)) {
	t.Run("fs", func(t *testing.T) {
		b, err := fs.New(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		fn(t, newWorkflowFixture(t, b))
	})
	t.Run("minio", func(t *testing.T) {
		srv := testenv.SharedMinIO(t)
		b, err := minio.New(t.Context(), minio.Config{Endpoint: srv.Endpoint, AccessKey: srv.AccessKey, SecretKey: srv.SecretKey, Bucket: srv.NewBucketName()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		fn(t, newWorkflowFixture(t, b))
	})
}

// as returns the bearer token of an account, signing in once.
func (f *workflowFixture) as(t *testing.T, name string) string {
	t.Helper()
	s, ok := f.sessions[name]
	if !ok {
		s = f.MustLogin(t, name)
		f.sessions[name] = s
	}
	return s.Token
}

// staffEntry is the part of the staff entry answer the tests read.
type staffEntry struct {
	ID                string   `json:"id"`
	IndexNo           string   `json:"index_no"`
	Title             string   `json:"title"`
	Kind              string   `json:"kind"`
	Attribute         string   `json:"attribute"`
	WithholdReason    string   `json:"withhold_reason"`
	Status            string   `json:"status"`
	Section           string   `json:"section"`
	Deadline          string   `json:"deadline"`
	DeadlineEstimated bool     `json:"deadline_estimated"`
	Overdue           bool     `json:"overdue"`
	ReturnComment     string   `json:"return_comment"`
	Actions           []string `json:"actions"`
	Revision          string   `json:"revision"`
	Attachments       []struct {
		Name   string `json:"name"`
		SHA256 string `json:"sha256"`
		Size   int64  `json:"size"`
	} `json:"attachments"`
	Secrecy *struct{ Opinion, Basis string } `json:"secrecy"`
	Audit   []catalogue.AuditEvent           `json:"audit"`
}

// create drafts an entry as user and returns it; fields override the
// defaults of a 公文类 notice formed on 2026-11-16.
func (f *workflowFixture) create(t *testing.T, user string, fields map[string]any) staffEntry {
	t.Helper()
	body := map[string]any{
		"title": "关于印发《工业和信息化工作制度》的通知", "formed_at": "2026-11-16", "doc_type": "通知",
		"kind": "document", "body": "第一条 为做好工作，制定本制度。", "attribute": "主动公开",
		"summary": "工作制度的内容概述。",
	}
	for k, v := range fields {
		body[k] = v
	}
	resp, data := f.Do(t, http.MethodPost, "/api/v1/admin/entries", staffReq{JSON: body, Bearer: f.as(t, user)})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create as %s: %d %s", user, resp.StatusCode, data)
	}
	var e staffEntry
	mustJSON(t, data, &e)
	return e
}

func mustJSON(t *testing.T, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%v in %s", err, data)
	}
}

// act does an action and returns the status code and body.
func (f *workflowFixture) act(t *testing.T, user, id, action string, req map[string]string) (int, []byte) {
	t.Helper()
	if req == nil {
		req = map[string]string{}
	}
	resp, data := f.Do(t, http.MethodPost, "/api/v1/admin/entries/"+id+"/"+action, staffReq{JSON: req, Bearer: f.as(t, user)})
	return resp.StatusCode, data
}

// mustAct does an action that must succeed and returns the entry.
func (f *workflowFixture) mustAct(t *testing.T, user, id, action string, req map[string]string) staffEntry {
	t.Helper()
	code, data := f.act(t, user, id, action, req)
	if code != http.StatusOK {
		t.Fatalf("%s %s as %s: %d %s", action, id, user, code, data)
	}
	var e staffEntry
	mustJSON(t, data, &e)
	return e
}

func (f *workflowFixture) get(t *testing.T, user, id string) staffEntry {
	t.Helper()
	resp, data := f.Do(t, http.MethodGet, "/api/v1/admin/entries/"+id, staffReq{Bearer: f.as(t, user)})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("get %s as %s: %d %s", id, user, resp.StatusCode, data)
	}
	var e staffEntry
	mustJSON(t, data, &e)
	return e
}

// refused asserts that an action is refused with the status and leaves
// the entry exactly as it was: same revision, same audit trail.
func (f *workflowFixture) refused(t *testing.T, user, id, action string, req map[string]string, want int) {
	t.Helper()
	before := f.get(t, "office", id)
	code, data := f.act(t, user, id, action, req)
	if code != want {
		t.Errorf("%s as %s in %s: got %d %s, want %d", action, user, before.Status, code, data, want)
	}
	if msg := errorMessage(data); msg == "" {
		t.Errorf("%s as %s: refusal without a message: %s", action, user, data)
	}
	after := f.get(t, "office", id)
	if after.Revision != before.Revision || len(after.Audit) != len(before.Audit) || after.Status != before.Status {
		t.Errorf("%s as %s was refused but changed the entry: %s/%s → %s/%s", action, user,
			before.Status, before.Revision, after.Status, after.Revision)
	}
}

func errorMessage(body []byte) string {
	var e struct {
		Error struct{ Message string } `json:"error"`
	}
	_ = json.Unmarshal(body, &e)
	return e.Error.Message
}

// publicGet fetches a public URL with no credentials.
func (f *workflowFixture) publicGet(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, data := f.Do(t, http.MethodGet, path, staffReq{})
	return resp.StatusCode, string(data)
}

func TestReviewChain(t *testing.T) {
	forEachStore(t, func(t *testing.T, f *workflowFixture) {
		e := f.create(t, "drafter", map[string]any{"doc_no": "韶工信〔2026〕31号", "body": "第一条 链条测试正文 审核链路全程。"})
		if e.Status != "draft" || e.Section != "综合科" || e.Attribute != "主动公开" {
			t.Fatalf("new entry: %+v", e)
		}
		// 20 working days after Monday 2026-11-16 is 2026-12-14.
		if e.Deadline != "2026-12-14" || e.Overdue || e.DeadlineEstimated {
			t.Errorf("deadline %q overdue %v estimated %v, want 2026-12-14, false, false", e.Deadline, e.Overdue, e.DeadlineEstimated)
		}
		id := e.ID

		// Draft: only the section's drafters and chiefs may submit.
		f.refused(t, "otherdrafter", id, "submit", nil, http.StatusForbidden)
		f.refused(t, "leader", id, "submit", nil, http.StatusForbidden)
		f.refused(t, "chief", id, "approve", nil, http.StatusConflict)
		f.refused(t, "office", id, "publish", nil, http.StatusConflict)
		f.refused(t, "drafter", id, "approve", nil, http.StatusForbidden)
		f.refused(t, "drafter", id, "no-such-action", nil, http.StatusBadRequest)
		f.mustAct(t, "drafter", id, "submit", map[string]string{"comment": "请审核"})

		// Section review: the chief of this section.
		f.refused(t, "drafter", id, "submit", nil, http.StatusConflict)
		f.refused(t, "otherchief", id, "approve", nil, http.StatusForbidden)
		f.refused(t, "leader", id, "approve", nil, http.StatusConflict)
		f.refused(t, "chief", id, "return", nil, http.StatusBadRequest) // a return needs a comment
		f.refused(t, "chief", id, "publish", nil, http.StatusConflict)
		got := f.mustAct(t, "chief", id, "return", map[string]string{"comment": "请补充文号"})
		if got.Status != "draft" || got.ReturnComment != "请补充文号" {
			t.Fatalf("returned: %+v", got)
		}
		// Returned: the drafter edits and submits again.
		resp, data := f.Do(t, http.MethodPut, "/api/v1/admin/entries/"+id, staffReq{Bearer: f.as(t, "drafter"), JSON: map[string]any{
			"title": "关于印发《工业和信息化工作制度》的通知", "formed_at": "2026-11-16", "doc_no": "韶工信〔2026〕32号", "summary": "概述",
			"body": "第一条 链条测试正文 审核链路全程。", "kind": "document", "attribute": "主动公开",
		}})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("edit returned entry: %d %s", resp.StatusCode, data)
		}
		f.mustAct(t, "drafter", id, "submit", nil)
		f.mustAct(t, "chief", id, "approve", map[string]string{"comment": "同意"})

		// Leader review: the leader decides, or asks the office.
		f.refused(t, "chief", id, "approve", nil, http.StatusConflict)
		f.refused(t, "otherdrafter", id, "submit", nil, http.StatusForbidden)
		f.refused(t, "office", id, "secrecy-review", map[string]string{"opinion": "公开", "comment": "x"}, http.StatusConflict)
		f.refused(t, "drafter", id, "edit-not-an-action", nil, http.StatusBadRequest)
		resp, _ = f.Do(t, http.MethodPut, "/api/v1/admin/entries/"+id, staffReq{Bearer: f.as(t, "drafter"), JSON: map[string]any{"title": "改", "formed_at": "2026-11-16", "body": "x"}})
		if resp.StatusCode != http.StatusConflict {
			t.Errorf("editing an entry under review: %d, want 409", resp.StatusCode)
		}
		f.mustAct(t, "leader", id, "secrecy-review", map[string]string{"comment": "请公开办审查是否涉密"})

		// Secrecy review: the office answers with an opinion and its basis.
		f.refused(t, "leader", id, "approve", nil, http.StatusConflict)
		f.refused(t, "chief", id, "secrecy-review", nil, http.StatusForbidden)
		f.refused(t, "office", id, "secrecy-review", map[string]string{"opinion": "也许"}, http.StatusBadRequest)
		f.refused(t, "office", id, "secrecy-review", map[string]string{"opinion": "公开"}, http.StatusBadRequest)
		got = f.mustAct(t, "office", id, "secrecy-review", map[string]string{"opinion": "公开", "comment": "不涉及国家秘密"})
		if got.Status != "leader_review" || got.Secrecy == nil || got.Secrecy.Opinion != "公开" {
			t.Fatalf("after the secrecy review: %+v", got)
		}
		f.mustAct(t, "leader", id, "approve", map[string]string{"comment": "同意公开"})

		// Approved 公文类: published by the office, not the section.
		f.refused(t, "chief", id, "publish", nil, http.StatusForbidden)
		f.refused(t, "office", id, "archive", nil, http.StatusConflict)
		if code, _ := f.publicGet(t, "/api/v1/entries/"+id); code != http.StatusNotFound {
			t.Errorf("approved but unpublished entry: public API %d, want 404", code)
		}
		published := f.mustAct(t, "office", id, "publish", nil)
		if published.Status != "published" || !strings.HasPrefix(published.IndexNo, "114402000070418252/2026-") {
			t.Fatalf("published: status %s index_no %q", published.Status, published.IndexNo)
		}
		// On the public side at once (the regulation's readers: within 2 s).
		mustBePublic(t, f, id, "链条测试正文")
		f.refused(t, "office", id, "publish", nil, http.StatusConflict)

		// The audit trail: every step, who, role and comment.
		var steps []string
		for _, a := range published.Audit {
			steps = append(steps, a.Actor+":"+a.Action)
		}
		want := []string{"drafter:create", "drafter:submit", "chief:return", "drafter:edit", "drafter:submit", "chief:approve",
			"leader:secrecy-review", "office:secrecy-review", "leader:approve", "office:publish"}
		if !slices.Equal(steps, want) {
			t.Errorf("audit trail\n got %v\nwant %v", steps, want)
		}
		if a := published.Audit[2]; a.Role != "section_chief" || a.Comment != "请补充文号" || a.From != "section_review" || a.To != "draft" {
			t.Errorf("return in the audit trail: %+v", a)
		}

		// 非公文类: the section chief publishes.
		nd := f.create(t, "drafter", map[string]any{"kind": "non_document", "title": "综合科2026年工作计划", "doc_type": "", "body": "科室工作计划正文 非公文类发布。"})
		f.mustAct(t, "drafter", nd.ID, "submit", nil)
		f.mustAct(t, "chief", nd.ID, "approve", nil)
		f.mustAct(t, "leader", nd.ID, "approve", nil)
		f.refused(t, "otherchief", nd.ID, "publish", nil, http.StatusForbidden)
		f.mustAct(t, "chief", nd.ID, "publish", nil)
		mustBePublic(t, f, nd.ID, "非公文类发布")
	})
}

// mustBePublic checks that a published entry is on every public surface:
// the entry API and page, and search for a phrase of its body.
func mustBePublic(t *testing.T, f *workflowFixture, id, phrase string) {
	t.Helper()
	if code, body := f.publicGet(t, "/api/v1/entries/"+id); code != http.StatusOK {
		t.Errorf("public API for %s: %d %s", id, code, body)
	}
	if code, _ := f.publicGet(t, "/entries/"+id); code != http.StatusOK {
		t.Errorf("public page for %s: %d", id, code)
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		_, body := f.publicGet(t, "/api/v1/search?q="+url.QueryEscape(phrase))
		if strings.Contains(body, id) {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("public search for %q does not find %s within 2 s: %s", phrase, id, body)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestAttributeOutcomes(t *testing.T) {
	forEachStore(t, func(t *testing.T, f *workflowFixture) {
		const canary = "金丝雀不予公开KX7Q9"
		const canaryOrgan = "金丝雀保密机关"
		// 不予公开 needs a reason from the list.
		resp, data := f.Do(t, http.MethodPost, "/api/v1/admin/entries", staffReq{Bearer: f.as(t, "drafter"), JSON: map[string]any{
			"title": "关于内部人事安排的请示", "formed_at": "2026-11-16", "body": canary, "attribute": "不予公开",
		}})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(errorMessage(data), "理由") {
			t.Errorf("不予公开 without a reason: %d %s", resp.StatusCode, data)
		}
		w := f.create(t, "drafter", map[string]any{
			"title": "关于内部人事安排的请示", "organ": canaryOrgan, "doc_type": "请示", "category": "机构职能",
			"body": "本请示涉及 " + canary + " 的内部事务。", "attribute": "不予公开", "withhold_reason": "internal_affairs",
			"summary": "摘要 " + canary,
		})
		if w.WithholdReason != "internal_affairs" {
			t.Errorf("withhold reason %q", w.WithholdReason)
		}
		// Attach a file carrying the canary too.
		att := f.upload(t, w.ID, "drafter", map[string]string{"内部.txt": "附件正文 " + canary})
		if len(att.Attachments) != 1 {
			t.Fatalf("attachments after upload: %+v", att.Attachments)
		}
		f.mustAct(t, "drafter", w.ID, "submit", nil)
		f.mustAct(t, "chief", w.ID, "approve", nil)
		f.mustAct(t, "leader", w.ID, "approve", nil)
		f.refused(t, "office", w.ID, "publish", nil, http.StatusConflict)
		archived := f.mustAct(t, "office", w.ID, "archive", map[string]string{"comment": "归档"})
		if archived.Status != "archived" {
			t.Fatalf("status %s, want archived", archived.Status)
		}

		// 依申请公开: kept internal, found by staff with the attribute filter.
		r := f.create(t, "drafter", map[string]any{"title": "关于某企业补助的批复", "doc_type": "批复", "attribute": "依申请公开", "body": "依申请公开正文 ONREQ42"})
		f.mustAct(t, "drafter", r.ID, "submit", nil)
		f.mustAct(t, "chief", r.ID, "approve", nil)
		// The leader may change the attribute while approving; here to
		// 依申请公开 again from the chief's view, recorded in the trail.
		f.mustAct(t, "leader", r.ID, "approve", map[string]string{"attribute": "依申请公开"})
		f.mustAct(t, "office", r.ID, "archive", nil)
		var list struct {
			Total int `json:"total"`
			Hits  []struct {
				ID, Status, Attribute string
			} `json:"hits"`
		}
		resp, data = f.Do(t, http.MethodGet, "/api/v1/admin/entries?attribute="+url.QueryEscape("依申请公开")+"&q=ONREQ42", staffReq{Bearer: f.as(t, "office")})
		mustJSON(t, data, &list)
		if resp.StatusCode != http.StatusOK || list.Total != 1 || list.Hits[0].ID != r.ID || list.Hits[0].Status != "archived" {
			t.Errorf("staff search for the 依申请公开 entry: %d %s", resp.StatusCode, data)
		}

		// The canary is in the staff index (so the checks below can fail)...
		resp, data = f.Do(t, http.MethodGet, "/api/v1/admin/entries?q="+url.QueryEscape(canary), staffReq{Bearer: f.as(t, "office")})
		if !strings.Contains(string(data), w.ID) {
			t.Fatalf("staff search does not find the withheld entry: %d %s", resp.StatusCode, data)
		}
		// ...and nowhere public.
		assertNoPublicTrace(t, f, []string{w.ID, r.ID}, []string{canary, canaryOrgan, "ONREQ42", att.Attachments[0].SHA256})
	})
}

// assertNoPublicTrace checks every public surface for ids and strings that
// must not be there.
func assertNoPublicTrace(t *testing.T, f *workflowFixture, ids, secrets []string) {
	t.Helper()
	paths := []string{"/", "/catalogue", "/api/v1/catalogue?size=100", "/api/v1/search?size=100", "/search?q=", "/feed.atom", "/sitemap.xml"}
	for _, s := range secrets {
		paths = append(paths, "/api/v1/search?q="+url.QueryEscape(s), "/search?q="+url.QueryEscape(s),
			"/api/v1/search?organ="+url.QueryEscape(s))
	}
	for _, id := range ids {
		paths = append(paths, "/api/v1/entries/"+id, "/entries/"+id)
		for _, s := range secrets {
			paths = append(paths, "/files/"+id+"/"+s)
		}
	}
	for _, p := range paths {
		code, body := f.publicGet(t, p)
		typed, _ := url.QueryUnescape(p)
		for _, s := range append(slices.Clone(secrets), ids...) {
			// A page may repeat what was typed (the search box, the path
			// to return to); anything else would come from the store.
			if strings.Contains(body, s) && !strings.Contains(typed, s) {
				t.Errorf("GET %s (%d) contains %q", p, code, s)
			}
		}
		if strings.HasPrefix(p, "/api/v1/search?q=") {
			var res struct{ Total int }
			mustJSON(t, []byte(body), &res)
			if res.Total != 0 {
				t.Errorf("GET %s: %d hits, want none: %s", p, res.Total, body)
			}
		}
		if strings.HasPrefix(p, "/api/v1/entries/") || strings.HasPrefix(p, "/entries/") || strings.HasPrefix(p, "/files/") {
			if code != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", p, code)
			}
		}
	}
}

// upload adds files to a draft through a multipart PUT and returns the entry.
func (f *workflowFixture) upload(t *testing.T, id, user string, files map[string]string) staffEntry {
	t.Helper()
	e := f.get(t, user, id)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fields := map[string]string{
		"title": e.Title, "formed_at": "2026-11-16", "kind": e.Kind, "attribute": e.Attribute,
		"withhold_reason": e.WithholdReason, "revision": e.Revision,
	}
	full := f.full(t, user, id)
	for _, k := range []string{"organ", "body", "summary", "doc_type", "category"} {
		fields[k] = full[k]
	}
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for name, content := range files {
		w, _ := mw.CreateFormFile("files", name)
		io.WriteString(w, content)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPut, f.URL+"/api/v1/admin/entries/"+id, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+f.as(t, user))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("upload: %d %s", resp.StatusCode, data)
	}
	var out staffEntry
	mustJSON(t, data, &out)
	return out
}

// full returns the entry's string fields as the API shows them.
func (f *workflowFixture) full(t *testing.T, user, id string) map[string]string {
	t.Helper()
	_, data := f.Do(t, http.MethodGet, "/api/v1/admin/entries/"+id, staffReq{Bearer: f.as(t, user)})
	var m map[string]any
	mustJSON(t, data, &m)
	out := map[string]string{}
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}

func TestConcurrentApprovals(t *testing.T) {
	forEachStore(t, func(t *testing.T, f *workflowFixture) {
		for round := range 4 {
			e := f.create(t, "drafter", map[string]any{"title": fmt.Sprintf("并发审核测试通知之%d", round)})
			f.mustAct(t, "drafter", e.ID, "submit", nil)
			f.as(t, "chief")
			f.as(t, "chief2")
			var wg sync.WaitGroup
			codes := make([]int, 2)
			bodies := make([][]byte, 2)
			start := make(chan struct{})
			for i, who := range []string{"chief", "chief2"} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					req, _ := http.NewRequest(http.MethodPost, f.URL+"/api/v1/admin/entries/"+e.ID+"/approve", strings.NewReader(`{"comment":"同意"}`))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+f.sessions[who].Token)
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						t.Error(err)
						return
					}
					defer resp.Body.Close()
					codes[i] = resp.StatusCode
					bodies[i], _ = io.ReadAll(resp.Body)
				}()
			}
			close(start)
			wg.Wait()
			slices.Sort(codes)
			if codes[0] != http.StatusOK || codes[1] != http.StatusConflict {
				t.Fatalf("round %d: two concurrent approvals answered %v (%s | %s), want one 200 and one 409", round, codes, bodies[0], bodies[1])
			}
			got := f.get(t, "office", e.ID)
			approvals := 0
			for _, a := range got.Audit {
				if a.Action == "approve" {
					approvals++
				}
			}
			if got.Status != "leader_review" || approvals != 1 {
				t.Errorf("round %d: status %s with %d approvals, want leader_review with 1", round, got.Status, approvals)
			}
		}
	})
}

func TestUploads(t *testing.T) {
	f := newFSWorkflow(t)
	e := f.create(t, "drafter", nil)
	got := f.upload(t, e.ID, "drafter", map[string]string{"一.txt": "附件一 正文", "二.txt": "附件二 正文"})
	if len(got.Attachments) != 2 {
		t.Fatalf("after uploading two files: %+v", got.Attachments)
	}
	// Staff can download them; the public cannot.
	for _, a := range got.Attachments {
		resp, data := f.Do(t, http.MethodGet, "/api/v1/admin/entries/"+e.ID+"/files/"+a.SHA256, staffReq{Bearer: f.as(t, "drafter")})
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(data), "正文") {
			t.Errorf("staff download %s: %d %q", a.Name, resp.StatusCode, data)
		}
		if code, _ := f.publicGet(t, "/files/"+e.ID+"/"+a.SHA256); code != http.StatusNotFound {
			t.Errorf("public download of a draft's file: %d, want 404", code)
		}
	}

	// An oversize file (the fixture allows 64 KB) is refused with a clear
	// message and changes nothing.
	before := f.get(t, "drafter", e.ID)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range map[string]string{"title": e.Title, "formed_at": "2026-11-16", "body": "正文", "revision": before.Revision} {
		mw.WriteField(k, v)
	}
	w, _ := mw.CreateFormFile("files", "大文件.txt")
	w.Write(bytes.Repeat([]byte("大"), 40<<10)) // 120 KB
	mw.Close()
	req, _ := http.NewRequest(http.MethodPut, f.URL+"/api/v1/admin/entries/"+e.ID, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+f.as(t, "drafter"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(errorMessage(data), "大文件.txt") || !strings.Contains(errorMessage(data), "64 KB") {
		t.Errorf("oversize upload: %d %s", resp.StatusCode, data)
	}
	if after := f.get(t, "drafter", e.ID); after.Revision != before.Revision || len(after.Attachments) != 2 {
		t.Errorf("a refused upload changed the entry: %d attachments", len(after.Attachments))
	}
	// A request body over the whole limit is refused before it is read.
	req, _ = http.NewRequest(http.MethodPost, f.URL+"/api/v1/admin/entries", bytes.NewReader(make([]byte, 2<<20)))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	req.Header.Set("Authorization", "Bearer "+f.as(t, "drafter"))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	data, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge || errorMessage(data) == "" {
		t.Errorf("oversize request: %d %s", resp.StatusCode, data)
	}
	// By form, the page says so and leads back to the dashboard, not to
	// signing in again.
	req, _ = http.NewRequest(http.MethodPost, f.URL+"/admin/entries", bytes.NewReader(make([]byte, 2<<20)))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	f.page(t, "drafter", http.MethodGet, "/admin", nil, nil)
	req.AddCookie(f.sessions["drafter"].Cookie)
	if resp, err = http.DefaultTransport.RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	data, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if page := string(data); resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(page, "上限") ||
		!strings.Contains(page, `href="/admin">返回工作台`) || strings.Contains(page, `href="/admin/login"`) {
		t.Errorf("oversize form: %d %s", resp.StatusCode, page)
	}
}

func TestDeadlinesAndDashboard(t *testing.T) {
	f := newFSWorkflow(t)
	// Formed 2026-09-18: 20 working days run past the National Day holiday
	// and the 9-20 and 10-10 make-up days to 2026-10-22; today is 11-20.
	late := f.create(t, "drafter", map[string]any{"title": "超期测试通知", "formed_at": "2026-09-18"})
	if late.Deadline != "2026-10-22" || !late.Overdue {
		t.Errorf("late entry: deadline %s overdue %v, want 2026-10-22 true", late.Deadline, late.Overdue)
	}
	// Formed 2026-10-26: due 2026-11-23, within 5 working days of 11-20.
	soon := f.create(t, "drafter", map[string]any{"title": "即将到期测试通知", "formed_at": "2026-10-26"})
	if soon.Deadline != "2026-11-23" || soon.Overdue {
		t.Errorf("soon entry: deadline %s overdue %v", soon.Deadline, soon.Overdue)
	}
	// Formed 2026-12-21: the deadline runs into 2027, which has no calendar data.
	next := f.create(t, "drafter", map[string]any{"title": "跨年测试通知", "formed_at": "2026-12-21"})
	if !next.DeadlineEstimated {
		t.Errorf("a deadline in 2027 is not flagged as an estimate: %+v", next)
	}
	// A withheld entry has no publication clock.
	withheld := f.create(t, "drafter", map[string]any{"title": "内部请示", "formed_at": "2026-09-01", "attribute": "不予公开", "withhold_reason": "process_information"})
	if withheld.Overdue {
		t.Errorf("a 不予公开 entry is flagged overdue")
	}

	var dash struct {
		RawTasks   []struct{ ID string } `json:"tasks"`
		RawOverdue []struct{ ID string } `json:"overdue"`
		RawDueSoon []struct{ ID string } `json:"due_soon"`
		Counts     map[string]int        `json:"counts"`
		Missing    []int                 `json:"calendar_missing_years"`
	}
	ids := func(l []struct{ ID string }) []string {
		var out []string
		for _, x := range l {
			out = append(out, x.ID)
		}
		return out
	}
	resp, data := f.Do(t, http.MethodGet, "/api/v1/admin/dashboard", staffReq{Bearer: f.as(t, "drafter")})
	mustJSON(t, data, &dash)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("dashboard: %d %s", resp.StatusCode, data)
	}
	if got := ids(dash.RawOverdue); !slices.Equal(got, []string{late.ID}) {
		t.Errorf("overdue %v, want [%s]", got, late.ID)
	}
	if got := ids(dash.RawDueSoon); !slices.Equal(got, []string{soon.ID}) {
		t.Errorf("due soon %v, want [%s]", got, soon.ID)
	}
	if len(dash.RawTasks) != 4 || dash.Counts["draft"] != 4 {
		t.Errorf("drafter's tasks %d, draft count %d, want 4 and 4", len(dash.RawTasks), dash.Counts["draft"])
	}
	if !slices.Contains(dash.Missing, 2027) {
		t.Errorf("the dashboard does not warn that 2027 has no calendar data: %v", dash.Missing)
	}
	// The other section sees none of it.
	_, data = f.Do(t, http.MethodGet, "/api/v1/admin/dashboard", staffReq{Bearer: f.as(t, "otherdrafter")})
	if strings.Contains(string(data), late.ID) {
		t.Errorf("another section's dashboard shows this section's entries: %s", data)
	}
	resp, _ = f.Do(t, http.MethodGet, "/api/v1/admin/entries/"+late.ID, staffReq{Bearer: f.as(t, "otherdrafter")})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("another section's drafter reads the entry: %d, want 403", resp.StatusCode)
	}
	// The overdue filter of staff search.
	_, data = f.Do(t, http.MethodGet, "/api/v1/admin/entries?overdue=1", staffReq{Bearer: f.as(t, "leader")})
	if !strings.Contains(string(data), late.ID) || strings.Contains(string(data), soon.ID) {
		t.Errorf("overdue filter: %s", data)
	}

	// The administrator enters 2027 (from the State Council's notice of
	// 2026): the estimate becomes a real date.
	year2027 := map[string]any{"notice": "测试用 2027 年安排", "holidays": []map[string]string{
		{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"},
	}, "workdays": []string{}}
	resp, data = f.Do(t, http.MethodPut, "/api/v1/admin/calendar/2027", staffReq{Bearer: f.as(t, "office"), JSON: year2027})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("the office edits the calendar: %d %s", resp.StatusCode, data)
	}
	resp, data = f.Do(t, http.MethodPut, "/api/v1/admin/calendar/2027", staffReq{Bearer: f.as(t, "admin"), JSON: year2027})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("admin edits the calendar: %d %s", resp.StatusCode, data)
	}
	// 2026-12-21 + 20 working days, with 2027-01-01 a holiday: 2027-01-19.
	if got := f.get(t, "drafter", next.ID); got.DeadlineEstimated || got.Deadline != "2027-01-19" {
		t.Errorf("after entering 2027: deadline %s estimated %v, want 2027-01-19 false", got.Deadline, got.DeadlineEstimated)
	}
	// Kept in the store, so a restart has it.
	_, cal, err := storage.LoadConfiguration(context.Background(), f.Bucket)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cal.Year(2027); !ok {
		t.Errorf("the stored calendar lacks 2027")
	}
}

// page sends a staff page request with the session cookie; form posts
// carry the CSRF token. Multipart when files are given.
func (f *workflowFixture) page(t *testing.T, user, method, path string, form map[string]string, files map[string]string) (*http.Response, string) {
	t.Helper()
	s, ok := f.sessions[user]
	if !ok {
		f.as(t, user)
		s = f.sessions[user]
	}
	var body io.Reader
	ct := ""
	if method == http.MethodPost {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("csrf", s.CSRF)
		for k, v := range form {
			mw.WriteField(k, v)
		}
		for name, content := range files {
			w, _ := mw.CreateFormFile("files", name)
			io.WriteString(w, content)
		}
		mw.Close()
		body, ct = &buf, mw.FormDataContentType()
	}
	req, _ := http.NewRequest(method, f.URL+path, body)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	req.AddCookie(s.Cookie)
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, string(data)
}

// TestStaffEntryPages takes an entry through the chain with the HTML forms
// alone, as a keyboard user of the pages would.
func TestStaffEntryPages(t *testing.T) {
	f := newFSWorkflow(t)

	resp, body := f.page(t, "drafter", http.MethodGet, "/admin", nil, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "待我处理") || !strings.Contains(body, `href="/admin/entries/new"`) {
		t.Fatalf("dashboard: %d", resp.StatusCode)
	}
	resp, body = f.page(t, "drafter", http.MethodGet, "/admin/entries/new", nil, nil)
	for _, want := range []string{`name="title"`, `name="formed_at"`, `name="files"`, `name="attribute"`, `name="withhold_reason"`, `<label for="f-title">`} {
		if !strings.Contains(body, want) {
			t.Errorf("new-entry form lacks %s", want)
		}
	}
	// A missing title comes back as a message, with what was typed kept.
	resp, body = f.page(t, "drafter", http.MethodPost, "/admin/entries", map[string]string{"formed_at": "2026-11-16", "body": "保留的正文"}, nil)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "缺少名称") || !strings.Contains(body, "保留的正文") {
		t.Errorf("form without a title: %d", resp.StatusCode)
	}
	resp, _ = f.page(t, "drafter", http.MethodPost, "/admin/entries", map[string]string{
		"title": "关于发布《网页表单测试办法》的通知", "formed_at": "2026-11-16", "kind": "document", "attribute": "主动公开",
		"body": "网页表单测试正文", "keywords": "表单、测试", "summary": "网页表单测试的概述",
	}, map[string]string{"附件.txt": "网页表单附件"})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create by form: %d", resp.StatusCode)
	}
	loc := resp.Header.Get("Location")
	id := strings.TrimPrefix(loc, "/admin/entries/")
	steps := []struct{ user, action string }{
		{"drafter", "submit"}, {"chief", "approve"}, {"leader", "approve"}, {"office", "publish"},
	}
	for _, s := range steps {
		_, body = f.page(t, s.user, http.MethodGet, loc, nil, nil)
		if !strings.Contains(body, `name="action" value="`+s.action+`"`) {
			t.Fatalf("%s's entry page offers no %s button", s.user, s.action)
		}
		resp, _ = f.page(t, s.user, http.MethodPost, loc+"/act", map[string]string{"action": s.action, "attribute": "主动公开"}, nil)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s %s by form: %d", s.user, s.action, resp.StatusCode)
		}
	}
	_, body = f.page(t, "office", http.MethodGet, loc, nil, nil)
	for _, want := range []string{"已发布", "办理记录", "114402000070418252/2026-", "在公开网站查看", "附件.txt"} {
		if !strings.Contains(body, want) {
			t.Errorf("published entry page lacks %q", want)
		}
	}
	mustBePublic(t, f, id, "网页表单测试正文")
	// The form for a replacement names the entry it replaces by its title.
	if _, body = f.page(t, "drafter", http.MethodGet, "/admin/entries/new?replaces="+id, nil, nil); !strings.Contains(body, `">关于发布《网页表单测试办法》的通知</a>`) {
		t.Errorf("the replacement form does not name the entry it replaces")
	}
	// A refused action by form: 409 page with the reason, nothing changed.
	resp, body = f.page(t, "office", http.MethodPost, loc+"/act", map[string]string{"action": "publish"}, nil)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "已发布") {
		t.Errorf("publishing twice by form: %d", resp.StatusCode)
	}
	// The list with filters, and the calendar page.
	resp, body = f.page(t, "leader", http.MethodGet, "/admin/entries?status=published", nil, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, id) {
		t.Errorf("entries list: %d", resp.StatusCode)
	}
	resp, body = f.page(t, "admin", http.MethodPost, "/admin/calendar", map[string]string{"year": "2027", "holidays": "元旦 2027-01-01\n春节 2027-02-30 2027-03-01"}, nil)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "第 2 行") {
		t.Errorf("a bad calendar line: %d", resp.StatusCode)
	}
	resp, _ = f.page(t, "admin", http.MethodPost, "/admin/calendar", map[string]string{"year": "2027", "holidays": "元旦 2027-01-01 2027-01-01"}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("saving a calendar year: %d", resp.StatusCode)
	}
	if resp, _ = f.page(t, "drafter", http.MethodGet, "/admin/calendar", nil, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a drafter opens the calendar: %d", resp.StatusCode)
	}
}

// TestSuggestedWithheld: a drafter who leaves the attribute to the
// document type is told when the suggestion is 不予公开 and needs a reason.
func TestSuggestedWithheld(t *testing.T) {
	f := newFSWorkflow(t)
	fields := map[string]any{"title": "关于调整科室职责的请示", "formed_at": "2026-11-16", "doc_type": "请示", "body": "请示正文", "summary": "请示"}
	resp, data := f.Do(t, http.MethodPost, "/api/v1/admin/entries", staffReq{JSON: fields, Bearer: f.as(t, "drafter")})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(errorMessage(data), "按文种建议的公开属性为不予公开") {
		t.Errorf("a 请示 without attribute or reason: %d %s", resp.StatusCode, data)
	}
	fields["withhold_reason"] = "process_information"
	resp, data = f.Do(t, http.MethodPost, "/api/v1/admin/entries", staffReq{JSON: fields, Bearer: f.as(t, "drafter")})
	var e staffEntry
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("a 请示 with a reason: %d %s", resp.StatusCode, data)
	}
	if mustJSON(t, data, &e); e.Attribute != "不予公开" || e.WithholdReason != "process_information" {
		t.Errorf("a 请示 with a reason: %s %s", e.Attribute, e.WithholdReason)
	}
}

// TestEntryFormNormative: the entry form marks 规章 and 行政规范性文件, which
// table 二 of the annual report counts, and editing by form keeps the mark.
func TestEntryFormNormative(t *testing.T) {
	f := newFSWorkflow(t)
	_, body := f.page(t, "drafter", http.MethodGet, "/admin/entries/new", nil, nil)
	if !strings.Contains(body, `name="normative"`) || !strings.Contains(body, `<option value="行政规范性文件">`) {
		t.Fatalf("the new-entry form offers no 文件类别")
	}
	form := map[string]string{
		"title": "关于印发《规范性文件表单测试办法》的通知", "formed_at": "2026-11-16", "kind": "document", "attribute": "主动公开",
		"body": "规范性文件正文", "summary": "概述", "normative": "行政规范性文件",
	}
	resp, _ := f.page(t, "drafter", http.MethodPost, "/admin/entries", form, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create by form: %d", resp.StatusCode)
	}
	loc := resp.Header.Get("Location")
	id := strings.TrimPrefix(loc, "/admin/entries/")
	normative := func() string {
		_, data := f.Do(t, http.MethodGet, "/api/v1/admin/entries/"+id, staffReq{Bearer: f.as(t, "drafter")})
		var e struct{ Normative string }
		mustJSON(t, data, &e)
		return e.Normative
	}
	if got := normative(); got != "行政规范性文件" {
		t.Fatalf("normative after create by form = %q", got)
	}
	_, body = f.page(t, "drafter", http.MethodGet, loc+"/edit", nil, nil)
	if !strings.Contains(body, `<option value="行政规范性文件" selected>`) {
		t.Errorf("the edit form does not show the 文件类别")
	}
	form["body"] = "规范性文件正文（修改）"
	if resp, _ = f.page(t, "drafter", http.MethodPost, loc+"/edit", form, nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit by form: %d", resp.StatusCode)
	}
	if got := normative(); got != "行政规范性文件" {
		t.Errorf("normative after edit by form = %q", got)
	}
	if _, body = f.page(t, "drafter", http.MethodGet, loc, nil, nil); !strings.Contains(body, "<dt>文件类别</dt><dd>行政规范性文件</dd>") {
		t.Errorf("the entry page does not show the 文件类别")
	}
}

func TestUploadRefusesPrograms(t *testing.T) {
	f := newFSWorkflow(t)
	e := f.create(t, "drafter", nil)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range map[string]string{"title": e.Title, "formed_at": "2026-11-16", "body": "正文", "summary": "概述"} {
		mw.WriteField(k, v)
	}
	w, _ := mw.CreateFormFile("files", "setup.exe")
	w.Write(append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 200)...)) // a DOS/PE header
	mw.Close()
	req, _ := http.NewRequest(http.MethodPut, f.URL+"/api/v1/admin/entries/"+e.ID, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+f.as(t, "drafter"))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(errorMessage(data), "可执行程序") {
		t.Errorf("uploading a program: %d %s", resp.StatusCode, data)
	}
}

// TestDecisionAgainstSecrecyOpinion: the leader decides, but overriding
// the office's 不予公开 opinion takes a stated reason; and nothing is
// published without a 内容概述.
func TestDecisionAgainstSecrecyOpinion(t *testing.T) {
	f := newFSWorkflow(t)
	e := f.create(t, "drafter", map[string]any{"summary": ""})
	f.mustAct(t, "drafter", e.ID, "submit", nil)
	f.mustAct(t, "chief", e.ID, "approve", nil)
	f.mustAct(t, "leader", e.ID, "secrecy-review", nil)
	f.mustAct(t, "office", e.ID, "secrecy-review", map[string]string{"opinion": "不予公开", "comment": "含国家秘密"})
	f.refused(t, "leader", e.ID, "approve", map[string]string{"attribute": "主动公开"}, http.StatusBadRequest)
	f.refused(t, "leader", e.ID, "approve", nil, http.StatusBadRequest)
	f.mustAct(t, "leader", e.ID, "approve", map[string]string{"attribute": "主动公开", "comment": "经核实已解密，可以公开"})
	f.refused(t, "office", e.ID, "publish", nil, http.StatusBadRequest) // no 内容概述
}

// TestNoDeadlineUnlessProactive: 不予公开 and 依申请公开 entries are never
// published, so the API gives them no publish-by date and no list counts
// them as due soon or overdue; an entry made 依申请公开 on approval loses
// its deadline.
func TestNoDeadlineUnlessProactive(t *testing.T) {
	f := newFSWorkflow(t)
	// The 请示 of the report: suggested 不予公开 by its document type.
	resp, data := f.Do(t, http.MethodPost, "/api/v1/admin/entries", staffReq{Bearer: f.as(t, "drafter"), JSON: map[string]any{
		"title": "关于某事项的请示", "formed_at": "2026-11-30", "doc_type": "请示", "withhold_reason": "process_information",
		"body": "请示正文", "summary": "请示",
	}})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: %d %s", resp.StatusCode, data)
	}
	var raw map[string]any
	mustJSON(t, data, &raw)
	if v, ok := raw["deadline"]; ok && v != nil {
		t.Errorf("a 不予公开 entry has deadline %v: %s", v, data)
	}
	// Past due and due soon by their dates, were they 主动公开.
	withheld := f.create(t, "drafter", map[string]any{"title": "内部请示", "formed_at": "2026-09-01", "attribute": "不予公开", "withhold_reason": "process_information"})
	onRequest := f.create(t, "drafter", map[string]any{"title": "依申请公开的通知", "formed_at": "2026-10-26", "attribute": "依申请公开"})
	// 主动公开 when drafted, made 依申请公开 by the leader: the clock stops.
	changed := f.create(t, "drafter", map[string]any{"title": "改为依申请公开的通知", "formed_at": "2026-09-18"})
	if changed.Deadline == "" || !changed.Overdue {
		t.Fatalf("a late 主动公开 draft: deadline %q overdue %v", changed.Deadline, changed.Overdue)
	}
	f.mustAct(t, "drafter", changed.ID, "submit", nil)
	f.mustAct(t, "chief", changed.ID, "approve", nil)
	changed = f.mustAct(t, "leader", changed.ID, "approve", map[string]string{"attribute": "依申请公开"})
	for _, e := range []staffEntry{withheld, onRequest, changed, f.get(t, "drafter", withheld.ID)} {
		if e.Deadline != "" || e.Overdue {
			t.Errorf("%s (%s): deadline %q overdue %v, want none", e.Title, e.Attribute, e.Deadline, e.Overdue)
		}
	}
	_, data = f.Do(t, http.MethodGet, "/api/v1/admin/dashboard", staffReq{Bearer: f.as(t, "leader")})
	var dash struct {
		Overdue []struct{ ID string } `json:"overdue"`
		DueSoon []struct{ ID string } `json:"due_soon"`
	}
	mustJSON(t, data, &dash)
	if len(dash.Overdue)+len(dash.DueSoon) != 0 {
		t.Errorf("the dashboard counts entries that are not 主动公开: %s", data)
	}
	for _, q := range []string{"overdue=1", "due_soon=1"} {
		_, data = f.Do(t, http.MethodGet, "/api/v1/admin/entries?"+q, staffReq{Bearer: f.as(t, "leader")})
		for _, id := range []string{withheld.ID, onRequest.ID, changed.ID} {
			if strings.Contains(string(data), id) {
				t.Errorf("staff search ?%s lists %s: %s", q, id, data)
			}
		}
	}
	if _, body := f.page(t, "drafter", http.MethodGet, "/admin/entries/"+withheld.ID, nil, nil); !strings.Contains(body, "不计公开期限") {
		t.Errorf("the entry page of a 不予公开 entry does not say it has no deadline")
	}
}

// mustFieldError checks that the form control with id carries the message
// want next to it: an element id+"-error" with the message inside the
// control's .field, named by the control's aria-describedby, the control
// marked aria-invalid, and a link to the control in the error summary.
func mustFieldError(t *testing.T, doc *html.Node, id, want string) {
	t.Helper()
	byID := func(id string) *html.Node {
		n := findAll(doc, func(n *html.Node) bool { v, ok := attr(n, "id"); return ok && v == id })
		if len(n) != 1 {
			return nil
		}
		return n[0]
	}
	ctl, msg := byID(id), byID(id+"-error")
	if ctl == nil || msg == nil {
		t.Errorf("#%s: control %v, message %v; want both", id, ctl != nil, msg != nil)
		return
	}
	if got := text(msg); !strings.Contains(got, want) {
		t.Errorf("#%s-error says %q, want %q", id, got, want)
	}
	describer := ctl
	if ctl.Parent != nil && ctl.Parent.DataAtom == atom.Label { // a radio: its group is described
		describer = ctl.Parent.Parent
	}
	if v, _ := attr(describer, "aria-invalid"); v != "true" {
		t.Errorf("#%s is not aria-invalid", id)
	}
	if v, _ := attr(describer, "aria-describedby"); !slices.Contains(strings.Fields(v), id+"-error") {
		t.Errorf("#%s aria-describedby=%q does not name its message", id, v)
	}
	field := msg.Parent
	if !hasClass(field, "field") || !hasClass(field, "has-error") || len(findAll(field, func(n *html.Node) bool { return n == ctl })) != 1 {
		t.Errorf("#%s-error is not next to its control in a .field.has-error", id)
	}
	links := findAll(doc, func(n *html.Node) bool { v, _ := attr(n, "href"); return n.DataAtom == atom.A && v == "#"+id })
	if len(links) != 1 || !strings.Contains(text(links[0]), want) {
		t.Errorf("the error summary has %d links to #%s", len(links), id)
	}
}

// TestFormErrorsNextToFields: the entry form, the public application form
// and the office's registration form show each message next to its field,
// and list them at the top with links to the fields.
func TestFormErrorsNextToFields(t *testing.T) {
	f := newFSWorkflow(t)
	t.Run("EntryForm", func(t *testing.T) {
		resp, body := f.page(t, "drafter", http.MethodPost, "/admin/entries", map[string]string{
			"formed_at": "2026-11-16", "attribute": "不予公开", "summary": "保留的概述", "normative": "其他文件",
		}, nil)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "保留的概述") {
			t.Fatalf("an entry without title, body or withholding reason: %d", resp.StatusCode)
		}
		doc := MustAccessiblePage(t, []byte(body))
		mustFieldError(t, doc, "f-title", "缺少名称")
		mustFieldError(t, doc, "f-body", "正文（body）和附件（attachments）至少要有一项")
		mustFieldError(t, doc, "f-normative", "文件类别")
		mustFieldError(t, doc, "f-withhold_reason", "不予公开须选择不予公开的理由")
		if !strings.Contains(body, "有 4 处需要修改") {
			t.Errorf("the summary does not count the 4 problems")
		}
		if strings.Contains(body, `id="f-organ-error"`) || strings.Contains(body, `id="f-formed_at" name="formed_at" type="date" value="2026-11-16" required aria-invalid`) {
			t.Errorf("a field without a problem is marked")
		}
	})
	t.Run("API", func(t *testing.T) {
		// The same entry by the JSON API: every problem by its field,
		// beside the first as the message.
		resp, data := f.Do(t, http.MethodPost, "/api/v1/admin/entries", staffReq{Bearer: f.as(t, "drafter"), JSON: map[string]any{
			"formed_at": "2026-11-16", "attribute": "不予公开", "summary": "保留的概述", "normative": "其他文件", "kind": "document",
		}})
		var e struct {
			Error struct {
				Code, Message string
				Fields        map[string]string
			}
		}
		mustJSON(t, data, &e)
		want := map[string]string{"title": "缺少名称", "body": "至少要有一项", "normative": "文件类别", "withhold_reason": "不予公开的理由"}
		if resp.StatusCode != http.StatusBadRequest || e.Error.Code != "invalid" || len(e.Error.Fields) != len(want) {
			t.Fatalf("an entry without title, body or withholding reason: %d %s", resp.StatusCode, data)
		}
		for field, part := range want {
			if !strings.Contains(e.Error.Fields[field], part) {
				t.Errorf("fields[%s] = %q, want it to say %s", field, e.Error.Fields[field], part)
			}
		}
		if e.Error.Message != e.Error.Fields["title"] {
			t.Errorf("message %q, want the first problem, %q", e.Error.Message, e.Error.Fields["title"])
		}
	})
	t.Run("EntryFormBadDate", func(t *testing.T) {
		_, body := f.page(t, "drafter", http.MethodPost, "/admin/entries", map[string]string{
			"title": "日期有误的通知", "formed_at": "2026-13-45", "body": "正文", "attribute": "依申请公开",
		}, nil)
		mustFieldError(t, MustAccessiblePage(t, []byte(body)), "f-formed_at", "生成日期应为 YYYY-MM-DD")
		if !strings.Contains(body, `<option value="依申请公开" selected>`) {
			t.Errorf("the attribute chosen is lost when the date is wrong")
		}
	})
	t.Run("ApplicationForm", func(t *testing.T) {
		form := url.Values{"applicant_type": {"自然人"}, "id_type": {"身份证"}, "id_number": {"11010519491231002X"},
			"phone": {"12345"}, "description": {"某文件"}, "format": {"电子"}, "channel": {"电子邮件"}}
		resp, body := f.Do(t, http.MethodPost, "/apply", staffReq{Form: form})
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("a bad application: %d", resp.StatusCode)
		}
		doc := MustAccessiblePage(t, body)
		mustFieldError(t, doc, "a-name", "请填写申请人姓名或名称")
		mustFieldError(t, doc, "a-phone", "联系电话不正确")
		mustFieldError(t, doc, "a-email", "选择电子邮件获取时，请填写电子邮箱")
		form.Set("applicant_type", "其他")
		_, body = f.Do(t, http.MethodPost, "/apply", staffReq{Form: form})
		mustFieldError(t, MustAccessiblePage(t, body), "a-applicant_type", "申请人类型应为")
	})
	t.Run("RegistrationForm", func(t *testing.T) {
		resp, body := f.page(t, "office", http.MethodPost, "/admin/applications", map[string]string{
			"received_via": "信函", "received_at": "2026-11-21", "applicant_type": "自然人", "name": "孙七", "id_type": "护照",
			"id_number": "E7654321", "phone": "13600000000", "description": "", "format": "纸质", "channel": "自行领取",
		}, nil)
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("a bad registration: %d", resp.StatusCode)
		}
		mustFieldError(t, MustAccessiblePage(t, []byte(body)), "n-description", "请填写所需信息的描述")
	})
}

// TestReplacementNoteNestedTitle: a replaced entry's version note quotes
// the new title in 书名号 with the marks inside it made single
// (GB/T 15834): 已被《关于印发〈…〉的通知》替代, on the public API and pages.
func TestReplacementNoteNestedTitle(t *testing.T) {
	f := newFSWorkflow(t)
	a := f.publish(t, map[string]any{"title": "关于印发《替代测试办法》的通知", "body": "原办法全文"})
	b := f.publish(t, map[string]any{"title": "关于印发《替代测试办法（修订）》的通知", "body": "修订后的办法全文",
		"replaces": a.ID, "replace_validity": "失效"})
	const want = "已被《关于印发〈替代测试办法（修订）〉的通知》（索引号 "
	_, old := f.publicEntry(t, a.ID)
	if n := len(old.Versions); n == 0 || !strings.HasPrefix(old.Versions[n-1].Note, want+b.IndexNo+"）替代") {
		t.Errorf("the replaced entry's versions: %+v, want a note starting %q", old.Versions, want)
	}
	if _, page := f.publicGet(t, "/entries/"+a.ID); strings.Contains(page, "《关于印发《") {
		t.Errorf("the public page nests 《》 inside 《》")
	}
	// A refusal that quotes the old title does the same.
	resp, data := f.Do(t, http.MethodPost, "/api/v1/admin/entries", staffReq{Bearer: f.as(t, "drafter"), JSON: map[string]any{
		"title": "再次替代", "formed_at": "2026-11-16", "body": "x", "replaces": a.ID}})
	if msg := errorMessage(data); resp.StatusCode != http.StatusConflict || !strings.Contains(msg, "条目《关于印发〈替代测试办法〉的通知》已被") {
		t.Errorf("replacing an entry already replaced: %d %q", resp.StatusCode, msg)
	}
}
