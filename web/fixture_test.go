package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"gongkai/catalogue"
	"gongkai/internal/testenv"
	"gongkai/search"
	"gongkai/storage"
	"gongkai/storage/fs"
	"gongkai/web"
)

// Lines of testdata/catalogue.jsonl, each one entry.
const (
	lineRules     = 1  // 韶工信〔2019〕12号, 索引号 11440200007041827X/2019-00012, one attachment; withdrawn by the withdrawal tests
	lineReport    = 2  // 2020年政府信息公开工作年度报告
	linePlan      = 3  // 2022年工业企业技术改造专项资金项目计划
	lineNanan     = 4  // the only entry of 南安市工业和信息化局
	lineDigital   = 5  // 韶府〔2023〕5号, 数字政府
	lineStats     = 6  // body holds <script>alert(1)</script>
	lineAbolished = 7  // 韶府〔2020〕31号, 有效性 失效
	lineFunctions = 8  // 机构职能, the newest
	lineAward     = 9  // 主要业务工作, 公示
	lineLetter    = 10 // withdrawn without trace by the withdrawal tests
	catalogueSize = 10
)

// rulesIndexNo and rulesDocNo are the numbers of lineRules.
const (
	rulesIndexNo = "11440200007041827X/2019-00012"
	rulesDocNo   = "韶工信〔2019〕12号"
)

// rulesAttachment is the file lineRules carries.
const (
	rulesAttachmentName = "政府信息主动公开工作制度.txt"
	rulesAttachmentPath = "testdata/files/zhidu.txt"
)

// Fixture is the whole public site over real parts: a filesystem bucket,
// the record store and public projection on it, the public and staff
// indexes, the catalogue service with testdata/catalogue.jsonl imported,
// and the web handler served by an httptest server.
type Fixture struct {
	URL         string
	Server      *httptest.Server
	Handler     *web.Handler
	Deps        web.Deps
	Service     *catalogue.Service
	Records     *storage.Records
	Public      *storage.PublicSite
	PublicIndex *search.Index

	ids               map[int]string // catalogue line → entry id
	closers           []func()
	publicIndexClosed bool
}

// ClosePublicIndex closes the public index underneath the running site,
// as when its disk fails. (A Bleve index panics if closed twice.)
func (f *Fixture) ClosePublicIndex(tb testing.TB) {
	tb.Helper()
	if err := f.PublicIndex.Close(); err != nil {
		tb.Fatal(err)
	}
	f.publicIndexClosed = true
}

// ID returns the id of the entry imported from the given catalogue line.
func (f *Fixture) ID(tb testing.TB, line int) string {
	tb.Helper()
	id, ok := f.ids[line]
	if !ok {
		tb.Fatalf("no entry was imported from catalogue line %d", line)
	}
	return id
}

func (f *Fixture) close() {
	for i := len(f.closers) - 1; i >= 0; i-- {
		f.closers[i]()
	}
}

// newFixture builds a fixture whose data lives under dir.
func newFixture(dir string) (_ *Fixture, err error) {
	ctx := context.Background()
	f := &Fixture{ids: map[int]string{}}
	defer func() {
		if err != nil {
			f.close()
		}
	}()
	bucket, err := fs.New(filepath.Join(dir, "store"))
	if err != nil {
		return nil, err
	}
	f.closers = append(f.closers, func() { bucket.Close() })
	f.Records = storage.NewRecords(bucket)
	f.Public = storage.NewPublicSite(bucket)

	pub, _, err := search.OpenIndex(filepath.Join(dir, "index", "public"))
	if err != nil {
		return nil, err
	}
	f.closers = append(f.closers, func() {
		if !f.publicIndexClosed {
			pub.Close()
		}
	})
	staff, _, err := search.OpenIndex(filepath.Join(dir, "index", "staff"))
	if err != nil {
		return nil, err
	}
	f.closers = append(f.closers, func() { staff.Close() })
	f.PublicIndex = pub

	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	f.Service = &catalogue.Service{
		Records:     f.Records,
		Public:      f.Public,
		PublicIndex: pub,
		StaffIndex:  staff,
		Settings:    catalogue.DefaultSettings(),
		Calendar:    catalogue.DefaultCalendar(),
		Log:         log,
	}

	var mu sync.Mutex
	var failed []string
	sum, err := f.Service.ImportFile(ctx, os.DirFS("testdata"), "catalogue.jsonl", catalogue.ImportOptions{
		Actor: "test",
		Report: func(r catalogue.ImportResult) {
			mu.Lock()
			defer mu.Unlock()
			if r.Err != nil {
				failed = append(failed, fmt.Sprintf("line %d: %v", r.Line, r.Err))
				return
			}
			f.ids[r.Line] = r.ID
		},
	})
	if err != nil {
		return nil, err
	}
	if len(failed) > 0 || sum.Created != catalogueSize {
		return nil, fmt.Errorf("import testdata/catalogue.jsonl: %d created, want %d; %s", sum.Created, catalogueSize, strings.Join(failed, "; "))
	}

	apps := storage.NewApplications(bucket)
	f.Deps = web.Deps{
		Applications: &catalogue.ApplicationService{Store: apps, Calendar: f.Service.Calendar, Settings: f.Service.Settings},
		Reports:      apps,
		Public:       f.Public,
		PublicIndex:  pub,
		Service:      f.Service,
		Ready:        func(context.Context) error { return nil },
		Log:          log,
		Version:      "test",
		Attribution:  "测试数据",
	}
	if f.Handler, err = web.New(f.Deps); err != nil {
		return nil, err
	}
	f.Server = httptest.NewServer(f.Handler)
	f.closers = append(f.closers, f.Server.Close)
	f.URL = f.Server.URL
	return f, nil
}

// MustServer returns a fresh fixture with its data in tb.TempDir(), for a
// test that changes the catalogue. Tests that only read use sharedServer.
func MustServer(tb testing.TB) *Fixture {
	tb.Helper()
	f, err := newFixture(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(f.close)
	return f
}

var shared struct {
	once sync.Once
	dir  string
	f    *Fixture
	err  error
}

// sharedServer returns the fixture shared by every test of this binary that
// leaves the catalogue as imported. TestMain removes it.
func sharedServer(tb testing.TB) *Fixture {
	tb.Helper()
	shared.once.Do(func() {
		if shared.dir, shared.err = os.MkdirTemp("", "gongkai-web-test-"); shared.err != nil {
			return
		}
		shared.f, shared.err = newFixture(shared.dir)
	})
	if shared.err != nil {
		tb.Fatalf("shared fixture: %v", shared.err)
	}
	return shared.f
}

func TestMain(m *testing.M) {
	code := m.Run()
	testenv.StopSharedMinIO()
	if shared.f != nil {
		shared.f.close()
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// Withdraw withdraws the entry the way the workflow does: the internal
// record gets its withdrawal, the service rewrites the public projection
// (a notice, or nothing when hidden) and the public index drops the entry.
func (f *Fixture) Withdraw(tb testing.TB, id string, w catalogue.Withdrawal) {
	tb.Helper()
	ctx := context.Background()
	e, err := f.Records.Entry(ctx, id)
	if err != nil {
		tb.Fatal(err)
	}
	e.Withdrawn = &w
	e.Status = catalogue.StatusWithdrawn
	if err := f.Records.UpdateEntry(ctx, e); err != nil {
		tb.Fatal(err)
	}
	if _, _, err := f.Service.SyncPublic(ctx, e); err != nil {
		tb.Fatal(err)
	}
	if err := f.PublicIndex.DeletePublic(ctx, id); err != nil {
		tb.Fatal(err)
	}
}

// Get fetches path from the fixture and returns the response with its body read.
func (f *Fixture) Get(tb testing.TB, path string) (*http.Response, []byte) {
	tb.Helper()
	return f.Do(tb, mustRequest(tb, http.MethodGet, f.URL+path, nil))
}

// Do sends req and returns the response with its body read. It is one
// round trip: redirects are returned, not followed, and a Location header
// is handed back exactly as the server wrote it.
func (f *Fixture) Do(tb testing.TB, req *http.Request) (*http.Response, []byte) {
	tb.Helper()
	resp, err := f.Server.Client().Transport.RoundTrip(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp, body
}

func mustRequest(tb testing.TB, method, url string, body io.Reader) *http.Request {
	tb.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		tb.Fatal(err)
	}
	return req
}

// GetJSON fetches path, checks the status and the JSON content type and
// decodes the body into v.
func (f *Fixture) GetJSON(tb testing.TB, path string, wantStatus int, v any) []byte {
	tb.Helper()
	resp, body := f.Get(tb, path)
	if resp.StatusCode != wantStatus {
		tb.Fatalf("GET %s: status %d, want %d; body %s", path, resp.StatusCode, wantStatus, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		tb.Fatalf("GET %s: Content-Type %q, want application/json", path, ct)
	}
	if v != nil {
		dec := json.NewDecoder(bytes.NewReader(body))
		if err := dec.Decode(v); err != nil {
			tb.Fatalf("GET %s: decode %s: %v", path, body, err)
		}
	}
	return body
}

// MustRecords reads testdata/catalogue.jsonl: what each line says, by line.
func MustRecords(tb testing.TB) map[int]catalogue.ImportRecord {
	tb.Helper()
	data, err := os.ReadFile("testdata/catalogue.jsonl")
	if err != nil {
		tb.Fatal(err)
	}
	out := map[int]catalogue.ImportRecord{}
	for i, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var r catalogue.ImportRecord
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			tb.Fatalf("testdata/catalogue.jsonl:%d: %v", i+1, err)
		}
		out[i+1] = r
	}
	return out
}

// The JSON shapes of CONTRACT.md, as a client decodes them.
type (
	hitJSON struct {
		ID          string              `json:"id"`
		IndexNo     string              `json:"index_no"`
		Title       string              `json:"title"`
		DocNo       string              `json:"doc_no"`
		Organ       string              `json:"organ"`
		Category    string              `json:"category"`
		Topic       string              `json:"topic"`
		DocType     string              `json:"doc_type"`
		Summary     string              `json:"summary"`
		FormedAt    string              `json:"formed_at"`
		PublishedAt string              `json:"published_at"`
		Validity    string              `json:"validity"`
		URL         string              `json:"url"`
		Highlights  map[string][]string `json:"highlights"`
	}
	facetJSON struct {
		Value string `json:"value"`
		Count int    `json:"count"`
	}
	searchJSON struct {
		Total  int                    `json:"total"`
		Page   int                    `json:"page"`
		Size   int                    `json:"size"`
		TookMS *int64                 `json:"took_ms"`
		Hits   []hitJSON              `json:"hits"`
		Facets map[string][]facetJSON `json:"facets"`
	}
	errorJSON struct {
		Error *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	attachmentJSON struct {
		Name        string `json:"name"`
		URL         string `json:"url"`
		Size        int64  `json:"size"`
		ContentType string `json:"content_type"`
	}
	versionJSON struct {
		Version     int    `json:"version"`
		PublishedAt string `json:"published_at"`
		Note        string `json:"note"`
	}
	entryJSON struct {
		hitJSON
		Version     int              `json:"version"`
		Replaces    string           `json:"replaces"`
		Body        string           `json:"body"`
		Attachments []attachmentJSON `json:"attachments"`
		Versions    []versionJSON    `json:"versions"`
		ReplacedBy  string           `json:"replaced_by"`
	}
	withdrawnJSON struct {
		Withdrawn *struct {
			At     string `json:"at"`
			Reason string `json:"reason"`
		} `json:"withdrawn"`
	}
)

func hitIDs(hits []hitJSON) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	return out
}

// MustError checks that body is the error body of CONTRACT.md with code.
func MustError(tb testing.TB, body []byte, code string) {
	tb.Helper()
	var e errorJSON
	if err := json.Unmarshal(body, &e); err != nil {
		tb.Fatalf("error body %s: %v", body, err)
	}
	if e.Error == nil || e.Error.Code != code || e.Error.Message == "" {
		tb.Fatalf("error body %s, want {\"error\": {\"code\": %q, \"message\": …}}", body, code)
	}
}
