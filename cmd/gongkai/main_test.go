package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// env returns an environment lookup with the given overrides and nothing
// from the real environment, so tests do not depend on the machine.
func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

// MustWriteFile writes a file under dir and returns its path.
func MustWriteFile(tb testing.TB, dir, name, content string) string {
	tb.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p
}

const goodLines = `{"title": "关于印发《市工业和信息化局政府信息主动公开工作制度》的通知", "organ": "韶关市工业和信息化局", "formed_at": "2019-12-02", "doc_no": "韶工信〔2019〕12号", "index_no": "11440200007041827X/2019-00012", "published_at": "2019-12-05", "category": "政策法规及规范性文件", "topic": "工业、交通", "doc_type": "通知", "summary": "印发政府信息主动公开工作制度。", "body": "为进一步做好政府信息公开工作，结合我局工作实际，特制定本制度。"}
{"title": "韶关市工业和信息化局2020年政府信息公开工作年度报告", "organ": "韶关市工业和信息化局", "formed_at": "2021-01-20", "category": "其他", "body": "本报告根据《中华人民共和国政府信息公开条例》要求编制。", "attachments": [{"name": "年度报告.txt", "path": "files/report.txt"}]}
`

// The three bad lines of the foundation issue: malformed JSON, a missing
// title and an impossible date.
const badLines = `{"title": "残缺的行", "organ": 
{"organ": "韶关市工业和信息化局", "formed_at": "2020-03-01", "body": "没有名称"}
{"title": "日期错误", "organ": "韶关市工业和信息化局", "formed_at": "2020-02-30", "body": "二月没有三十日"}
`

func TestImport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	MustWriteFile(t, dir, "files/report.txt", "年度报告正文：主动公开政府信息 128 条。")
	file := MustWriteFile(t, dir, "catalogue.jsonl", goodLines+badLines)

	t.Run("BadLinesNamedGoodLinesKept", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		err := Run(ctx, []string{"import", "--data", data, file}, nil, &stdout, &stderr, env())
		if err == nil {
			t.Fatal("import with bad lines exited 0")
		}
		if !strings.Contains(err.Error(), "3 line(s) failed") {
			t.Errorf("error = %q, want it to count 3 failed lines", err)
		}
		for _, want := range []string{"catalogue.jsonl:3:", "catalogue.jsonl:4:", "缺少名称", "catalogue.jsonl:5:", "2020-02-30"} {
			if !strings.Contains(stderr.String(), want) {
				t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
			}
		}
		if !strings.Contains(stdout.String(), "5 lines: 2 imported, 0 already present, 3 failed") {
			t.Errorf("stdout = %q", stdout.String())
		}
	})

	t.Run("ReimportAddsNothing", func(t *testing.T) {
		var stdout, stderr bytes.Buffer
		_ = Run(ctx, []string{"import", "--data", data, file}, nil, &stdout, &stderr, env())
		if !strings.Contains(stdout.String(), "0 imported, 2 already present, 3 failed") {
			t.Errorf("second import: stdout = %q", stdout.String())
		}
	})

	t.Run("ServedInCatalogue", func(t *testing.T) {
		base := MustServe(t, data)
		var got struct {
			Total int `json:"total"`
			Hits  []struct {
				ID      string `json:"id"`
				Title   string `json:"title"`
				IndexNo string `json:"index_no"`
				URL     string `json:"url"`
			} `json:"hits"`
		}
		MustGetJSON(t, base+"/api/v1/catalogue", http.StatusOK, &got)
		if got.Total != 2 || len(got.Hits) != 2 {
			t.Fatalf("catalogue total=%d hits=%d, want 2", got.Total, len(got.Hits))
		}
		// Newest first: the 2021 report before the 2019 notice.
		if !strings.Contains(got.Hits[0].Title, "年度报告") {
			t.Errorf("first hit %q, want the 2021 report", got.Hits[0].Title)
		}
		if got.Hits[1].IndexNo != "11440200007041827X/2019-00012" {
			t.Errorf("imported index number changed: %q", got.Hits[1].IndexNo)
		}
		if !strings.HasPrefix(got.Hits[0].IndexNo, "114402000070418252/2021-") {
			t.Errorf("allocated index number %q, want the agency code and 2021", got.Hits[0].IndexNo)
		}
		var entry struct {
			Title       string `json:"title"`
			Attachments []struct {
				Name, URL string
			} `json:"attachments"`
		}
		MustGetJSON(t, base+"/api/v1/entries/"+got.Hits[0].ID, http.StatusOK, &entry)
		if len(entry.Attachments) != 1 || entry.Attachments[0].Name != "年度报告.txt" {
			t.Fatalf("attachments = %+v", entry.Attachments)
		}
		body := MustGet(t, base+entry.Attachments[0].URL, http.StatusOK)
		if !strings.Contains(body, "主动公开政府信息 128 条") {
			t.Errorf("attachment body = %q", body)
		}
		MustGet(t, base+"/api/v1/entries/00000000000000000000", http.StatusNotFound)
		MustGet(t, base+"/api/v1/entries/..%2F..%2Finternal", http.StatusNotFound)
	})
}

func TestImportRefusedWhileServing(t *testing.T) {
	data := t.TempDir()
	MustServe(t, data)
	file := MustWriteFile(t, t.TempDir(), "x.jsonl", goodLines)
	var stdout, stderr bytes.Buffer
	err := Run(context.Background(), []string{"import", "--data", data, file}, nil, &stdout, &stderr, env())
	if err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("import beside a server: err = %v, want a clear in-use error", err)
	}
}

// MustServe starts the server on a free port over data and returns its base URL.
func MustServe(tb testing.TB, data string) string {
	tb.Helper()
	c := Config{Addr: "127.0.0.1:0", Data: data, Store: "fs", LogFormat: "text", ShutdownTimeout: 5 * time.Second}
	m := NewMain(c, io.Discard, io.Discard)
	ctx, cancel := context.WithCancel(context.Background())
	if err := m.Open(ctx); err != nil {
		m.Close()
		cancel()
		tb.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Serve(ctx) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Error(err)
		}
		if err := m.Close(); err != nil {
			tb.Error(err)
		}
	})
	select {
	case addr := <-m.Addr:
		return "http://" + addr
	case err := <-done:
		tb.Fatal(err)
	}
	return ""
}

// MustGet fetches url, checks the status and returns the body.
func MustGet(tb testing.TB, url string, status int) string {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		tb.Fatalf("GET %s: status %d, want %d: %s", url, resp.StatusCode, status, b)
	}
	return string(b)
}

// MustGetJSON fetches url, checks the status and decodes the JSON body into v.
func MustGetJSON(tb testing.TB, url string, status int, v any) {
	tb.Helper()
	body := MustGet(tb, url, status)
	if err := json.Unmarshal([]byte(body), v); err != nil {
		tb.Fatalf("GET %s: %v: %s", url, err, body)
	}
}

// MustImportGoodLines imports goodLines into a new data dir and returns it.
func MustImportGoodLines(tb testing.TB) string {
	tb.Helper()
	dir := tb.TempDir()
	data := filepath.Join(dir, "data")
	MustWriteFile(tb, dir, "files/report.txt", "年度报告")
	file := MustWriteFile(tb, dir, "c.jsonl", goodLines)
	if err := Run(context.Background(), []string{"import", "--data", data, file}, nil, io.Discard, io.Discard, env()); err != nil {
		tb.Fatal(err)
	}
	return data
}

// After an unclean stop the next start reconciles the public projection
// with the records and rebuilds the indexes from scratch, so a public
// record that no internal entry justifies disappears from every view.
func TestUncleanRestartReconciles(t *testing.T) {
	data := MustImportGoodLines(t)
	// Simulate a crash that left a public record behind an entry whose
	// internal record says it must not be public.
	entries, err := filepath.Glob(filepath.Join(data, "store", "objects", "internal", "entries", "*.json"))
	if err != nil || len(entries) != 2 {
		t.Fatalf("internal entries %v, %v", entries, err)
	}
	if err := os.Remove(entries[0]); err != nil {
		t.Fatal(err)
	}
	MustWriteFile(t, data, dirtyMarker, "crashed")

	base := MustServe(t, data)
	var got struct {
		Total int `json:"total"`
	}
	MustGetJSON(t, base+"/api/v1/catalogue", http.StatusOK, &got)
	if got.Total != 1 {
		t.Fatalf("catalogue total after reconciliation = %d, want 1", got.Total)
	}
	id := strings.TrimSuffix(filepath.Base(entries[0]), ".json")
	MustGet(t, base+"/api/v1/entries/"+id, http.StatusNotFound)
}

// An import syncs its writes a batch at a time. A machine that stops before
// a batch's sync may keep any part of it: here one entry's record was
// renamed into place but its content never reached the disk, and another
// entry kept its record but lost its 索引号 claim and the public copy of its
// attachment. Only the store's unsynced marker says so (the server's
// unclean-shutdown marker is not needed). The next start removes the
// incomplete record, restores the claim and the file, and the same file
// imported again adds the lost entry.
func TestImportInterruptedBeforeSync(t *testing.T) {
	data := MustImportGoodLines(t)
	store := filepath.Join(data, "store")
	objects := filepath.Join(store, "objects")
	entries, err := filepath.Glob(filepath.Join(objects, "internal", "entries", "*.json"))
	if err != nil || len(entries) != 2 {
		t.Fatalf("internal entries %v, %v", entries, err)
	}
	claims := filepath.Join(objects, "internal", "claims", "index_no")
	var torn, unclaimed string // the entry with an imported 索引号, the one given one
	for _, e := range entries {
		b, err := os.ReadFile(e)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "11440200007041827X/2019-00012") {
			torn = e
		} else {
			unclaimed = e
		}
	}
	var unclaimedNo string
	b, _ := os.ReadFile(unclaimed)
	if _, rest, ok := strings.Cut(string(b), `"index_no":"`); ok {
		unclaimedNo, _, _ = strings.Cut(rest, `"`)
	}
	claim := filepath.Join(claims, fmt.Sprintf("%x.json", sha256.Sum256([]byte(unclaimedNo))))
	if err := os.Remove(claim); err != nil {
		t.Fatalf("claim of %q: %v", unclaimedNo, err)
	}
	unclaimedID := strings.TrimSuffix(filepath.Base(unclaimed), ".json")
	publicFiles, err := filepath.Glob(filepath.Join(objects, "public", "files", unclaimedID, "*"))
	if err != nil || len(publicFiles) != 1 {
		t.Fatalf("public files of %s: %v, %v", unclaimedID, publicFiles, err)
	}
	if err := os.Remove(publicFiles[0]); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(torn, 0); err != nil {
		t.Fatal(err)
	}
	// The torn record's 索引号 claim outlives it: the line must still be
	// imported again, its id (derived from the 索引号) holding the claim.
	tornClaim := filepath.Join(claims, fmt.Sprintf("%x.json", sha256.Sum256([]byte("11440200007041827X/2019-00012"))))
	if _, err := os.Stat(tornClaim); err != nil {
		t.Fatalf("the claim of the torn record: %v", err)
	}
	MustWriteFile(t, store, "unsynced", "deferred writes not synced")

	file := MustWriteFile(t, t.TempDir(), "c.jsonl", goodLines)
	var stdout, stderr bytes.Buffer
	if err := Run(context.Background(), []string{"import", "--data", data, file}, nil, &stdout, &stderr, env()); err != nil {
		t.Fatalf("import again: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "2 lines: 1 imported, 1 already present, 0 failed") {
		t.Errorf("import again: stdout = %q, want the lost entry imported anew", stdout.String())
	}
	if _, err := os.Stat(claim); err != nil {
		t.Errorf("the lost claim of %s was not restored: %v", unclaimedNo, err)
	}
	if b, err := os.ReadFile(torn); err != nil || !strings.Contains(string(b), `"index_no":"11440200007041827X/2019-00012"`) {
		t.Errorf("the torn entry was not imported again under its id with its 索引号: %v", err)
	}
	if _, err := os.Stat(publicFiles[0]); err != nil {
		t.Errorf("the lost public file was not restored: %v", err)
	}
	if _, err := os.Stat(filepath.Join(store, "unsynced")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the unsynced marker is still there after a clean import: %v", err)
	}

	base := MustServe(t, data)
	var got struct {
		Total int `json:"total"`
	}
	MustGetJSON(t, base+"/api/v1/catalogue", http.StatusOK, &got)
	if got.Total != 2 {
		t.Fatalf("catalogue total = %d, want both entries", got.Total)
	}
	var entry struct {
		IndexNo     string `json:"index_no"`
		Attachments []struct{ URL string }
	}
	MustGetJSON(t, base+"/api/v1/entries/"+unclaimedID, http.StatusOK, &entry)
	if entry.IndexNo != unclaimedNo {
		t.Errorf("the entry that lost its claim has 索引号 %q, want %q kept", entry.IndexNo, unclaimedNo)
	}
	if len(entry.Attachments) != 1 || !strings.Contains(MustGet(t, base+entry.Attachments[0].URL, http.StatusOK), "年度报告") {
		t.Errorf("attachment of the entry that lost its public file: %+v", entry.Attachments)
	}
}

// A start-up that fails while repairing an unclean stop leaves the stop
// on record, so the next start repairs again.
func TestFailedRepairIsTriedAgain(t *testing.T) {
	data := MustImportGoodLines(t)
	entries, err := filepath.Glob(filepath.Join(data, "store", "objects", "internal", "entries", "*.json"))
	if err != nil || len(entries) == 0 {
		t.Fatalf("internal entries %v, %v", entries, err)
	}
	good, err := os.ReadFile(entries[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(entries[0], []byte("not an object"), 0o640); err != nil {
		t.Fatal(err)
	}
	marker := MustWriteFile(t, data, dirtyMarker, "crashed")
	file := MustWriteFile(t, t.TempDir(), "c.jsonl", goodLines)
	var stdout, stderr bytes.Buffer
	if err := Run(context.Background(), []string{"import", "--data", data, file}, nil, &stdout, &stderr, env()); err == nil {
		t.Fatalf("import over an unreadable record after an unclean stop succeeded:\n%s", stdout.String())
	}
	if _, err := os.Stat(marker); err != nil {
		t.Fatalf("the failed repair forgot the unclean stop: %v", err)
	}

	if err := os.WriteFile(entries[0], good, 0o640); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	stderr.Reset()
	if err := Run(context.Background(), []string{"import", "--data", data, file}, nil, &stdout, &stderr, env()); err != nil {
		t.Fatalf("import once the record is mended: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "reconciling") {
		t.Errorf("the second start did not repair: %s", stderr.String())
	}
	if _, err := os.Stat(marker); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the marker is still there after a repair that worked: %v", err)
	}
}

// reindex mends the public projection and rebuilds both indexes: a public
// record lost in a crash is written again and searchable, a stray one is
// gone, and the staff index holds every entry.
func TestReindex(t *testing.T) {
	ctx := context.Background()
	data := MustImportGoodLines(t)
	public, err := filepath.Glob(filepath.Join(data, "store", "objects", "public", "entries", "*.json"))
	if err != nil || len(public) != 2 {
		t.Fatalf("public entries %v, %v", public, err)
	}
	lost, err := os.ReadFile(public[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(public[0]); err != nil {
		t.Fatal(err)
	}
	strayID := "0000000000000000"
	MustWriteFile(t, filepath.Join(data, "store", "objects", "public", "entries"), strayID+".json", string(lost))

	var out strings.Builder
	if err := Run(ctx, []string{"reindex", "--data", data}, nil, &out, io.Discard, env()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"reconciled: 2 entries, 2 public, 1 public records rewritten, 1 removed", "reindexed: public 2, staff 2 documents"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("reindex printed %q, want %q in it", out.String(), want)
		}
	}
	base := MustServe(t, data)
	var got struct {
		Total int `json:"total"`
	}
	MustGetJSON(t, base+"/api/v1/catalogue", http.StatusOK, &got)
	if got.Total != 2 {
		t.Errorf("catalogue total after reindex = %d, want 2", got.Total)
	}
	MustGet(t, base+"/api/v1/entries/"+strings.TrimSuffix(filepath.Base(public[0]), ".json"), http.StatusOK)
	MustGet(t, base+"/api/v1/entries/"+strayID, http.StatusNotFound)
}
