package web_test

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"gongkai/catalogue"
)

func TestAPIEntry(t *testing.T) {
	f := sharedServer(t)
	recs := MustRecords(t)
	id := f.ID(t, lineRules)
	r := recs[lineRules]
	var e entryJSON
	body := f.GetJSON(t, "/api/v1/entries/"+id, http.StatusOK, &e)
	file, err := os.ReadFile(rulesAttachmentPath)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("CarriesTheHitFieldsAndBody", func(t *testing.T) {
		want := hitJSON{
			ID: id, IndexNo: r.IndexNo, Title: r.Title, DocNo: r.DocNo, Organ: r.Organ, Category: r.Category,
			Topic: r.Topic, DocType: r.DocType, Summary: r.Summary, FormedAt: r.FormedAt, PublishedAt: r.PublishedAt,
			Validity: r.Validity, URL: "/entries/" + id,
		}
		if !reflect.DeepEqual(e.hitJSON, want) {
			t.Errorf("entry\n got %+v\nwant %+v", e.hitJSON, want)
		}
		if e.Body != r.Body {
			t.Errorf("body %q, want %q", e.Body, r.Body)
		}
	})

	t.Run("AgreesWithTheSearchHit", func(t *testing.T) {
		res := f.MustSearch(t, "q", rulesIndexNo)
		h := res.Hits[0]
		h.Highlights = nil
		got := e.hitJSON
		got.Highlights = nil
		if !reflect.DeepEqual(h, got) {
			t.Errorf("search hit\n %+v\nentry\n %+v", h, got)
		}
	})

	t.Run("ListsAttachments", func(t *testing.T) {
		if len(e.Attachments) != 1 {
			t.Fatalf("attachments %+v, want one", e.Attachments)
		}
		a := e.Attachments[0]
		if a.Name != rulesAttachmentName || a.Size != int64(len(file)) || a.ContentType != "text/plain; charset=utf-8" ||
			!strings.HasPrefix(a.URL, "/files/"+id+"/") {
			t.Errorf("attachment %+v, want %s, %d bytes, text/plain; charset=utf-8, under /files/%s/", a, rulesAttachmentName, len(file), id)
		}
	})

	t.Run("ListsVersions", func(t *testing.T) {
		if len(e.Versions) != 1 || e.Versions[0] != (versionJSON{Version: 1, PublishedAt: r.PublishedAt}) {
			t.Errorf("versions %+v, want [{1 %s}]", e.Versions, r.PublishedAt)
		}
	})

	t.Run("LeaksNothingInternal", func(t *testing.T) {
		var top map[string]json.RawMessage
		if err := json.Unmarshal(body, &top); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"audit", "draft", "status", "attribute", "import_key", "attachment_text", "section", "withhold_reason", "created_at", "revision"} {
			if _, ok := top[k]; ok {
				t.Errorf("public entry has internal field %q: %s", k, body)
			}
		}
		if bytes.Contains(body, []byte(`"sha256"`)) || bytes.Contains(body, []byte("internal/")) {
			t.Errorf("public entry names internal storage: %s", body)
		}
	})

	t.Run("AttachmentDownloadsExactBytes", func(t *testing.T) {
		resp, got := f.Get(t, e.Attachments[0].URL)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d", e.Attachments[0].URL, resp.StatusCode)
		}
		if !bytes.Equal(got, file) {
			t.Errorf("downloaded %d bytes, want the %d bytes of %s", len(got), len(file), rulesAttachmentPath)
		}
		disp, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
		if err != nil || disp != "attachment" || params["filename"] != rulesAttachmentName {
			t.Errorf("Content-Disposition %q: %s %v %v, want attachment; filename=%s", resp.Header.Get("Content-Disposition"), disp, params, err, rulesAttachmentName)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		if nosniff := resp.Header.Get("X-Content-Type-Options"); nosniff != "nosniff" {
			t.Errorf("X-Content-Type-Options %q on a download", nosniff)
		}
	})

	for name, path := range map[string]string{
		"UnknownID":         "/api/v1/entries/0123456789abcdef0123",
		"DotDotID":          "/api/v1/entries/..%2F..",
		"TraversalID":       "/api/v1/entries/..%2F..%2Finternal%2Fentries%2F" + id,
		"LongID":            "/api/v1/entries/" + strings.Repeat("a", 65),
		"VeryLongID":        "/api/v1/entries/" + strings.Repeat("0", 5000),
		"UpperCaseID":       "/api/v1/entries/" + strings.ToUpper(id),
		"ShortID":           "/api/v1/entries/abc",
		"IDWithJSONSuffix":  "/api/v1/entries/" + id + ".json",
		"EncodedNULInID":    "/api/v1/entries/" + id + "%00",
		"UnknownAPIRoute":   "/api/v1/entries",
		"UnknownAPIVersion": "/api/v2/entries/" + id,
	} {
		t.Run(name+"Is404", func(t *testing.T) {
			resp, body := f.Get(t, path)
			if resp.StatusCode != http.StatusNotFound {
				t.Fatalf("GET %s: status %d, want 404; body %s", path, resp.StatusCode, body)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("GET %s: Content-Type %q, want JSON", path, ct)
			}
			MustError(t, body, "not_found")
		})
	}

	t.Run("UnknownAndMalformedIDAnswerAlike", func(t *testing.T) {
		_, unknown := f.Get(t, "/api/v1/entries/0123456789abcdef0123")
		_, upper := f.Get(t, "/api/v1/entries/"+strings.ToUpper(id))
		if !bytes.Equal(unknown, upper) {
			t.Errorf("unknown id: %s\nupper-case id: %s", unknown, upper)
		}
	})

	for name, path := range map[string]string{
		"ShaOfAnotherFile":  "/files/" + id + "/" + strings.Repeat("0", 64),
		"ShaOfAnotherEntry": "/files/" + f.ID(t, lineReport) + strings.TrimPrefix(e.Attachments[0].URL, "/files/"+id),
		"UpperCaseSha":      "/files/" + id + "/" + strings.ToUpper(strings.TrimPrefix(e.Attachments[0].URL, "/files/"+id+"/")),
		"UnknownEntry":      "/files/0123456789abcdef0123/" + strings.TrimPrefix(e.Attachments[0].URL, "/files/"+id+"/"),
		"Traversal":         "/files/" + id + "/..%2F..%2Finternal%2Ffiles",
	} {
		t.Run("Download"+name+"Is404", func(t *testing.T) {
			resp, body := f.Get(t, path)
			if resp.StatusCode != http.StatusNotFound {
				t.Fatalf("GET %s: status %d, want 404", path, resp.StatusCode)
			}
			if bytes.Equal(body, file) || resp.Header.Get("Content-Disposition") != "" {
				t.Errorf("GET %s served the file", path)
			}
		})
	}
}

func TestAPIEntryWithdrawn(t *testing.T) {
	f := MustServer(t)
	rules, letter := f.ID(t, lineRules), f.ID(t, lineLetter)
	var before entryJSON
	f.GetJSON(t, "/api/v1/entries/"+rules, http.StatusOK, &before)
	queries := map[string]string{rulesDocNo: rules, rulesIndexNo: rules, "工作制度": rules, `"负责人信息变更"`: letter}
	for q, id := range queries {
		if res := f.MustSearch(t, "q", q); !slices.Contains(hitIDs(res.Hits), id) {
			t.Fatalf("q=%s does not find %s before the withdrawal", q, id)
		}
	}
	at := time.Date(2024, 3, 1, 2, 30, 0, 0, time.UTC) // 10:30 in China, the same day
	f.Withdraw(t, rules, catalogue.Withdrawal{At: at, Reason: "已失效", Note: "内部备注：不应公开", By: "公开办"})
	f.Withdraw(t, letter, catalogue.Withdrawal{At: at, Reason: "涉及个人信息", Hidden: true, By: "公开办"})

	t.Run("NoticeIs410WithDateAndReason", func(t *testing.T) {
		var w withdrawnJSON
		body := f.GetJSON(t, "/api/v1/entries/"+rules, http.StatusGone, &w)
		if w.Withdrawn == nil || w.Withdrawn.At != "2024-03-01" || w.Withdrawn.Reason != "已失效" {
			t.Errorf("withdrawn %s, want at 2024-03-01, reason 已失效", body)
		}
		var top map[string]json.RawMessage
		if err := json.Unmarshal(body, &top); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"body", "summary", "attachments", "versions", "doc_no", "organ"} {
			if _, ok := top[k]; ok {
				t.Errorf("withdrawal notice has content field %q: %s", k, body)
			}
		}
		for _, s := range []string{"为进一步做好政府信息公开工作", "内部备注", "公开办", rulesAttachmentName} {
			if strings.Contains(string(body), s) {
				t.Errorf("withdrawal notice shows %q: %s", s, body)
			}
		}
	})

	t.Run("AttachmentIsNoLongerServed", func(t *testing.T) {
		resp, body := f.Get(t, before.Attachments[0].URL)
		if resp.StatusCode != http.StatusGone && resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s after withdrawal: status %d, want 410 or 404", before.Attachments[0].URL, resp.StatusCode)
		}
		if resp.Header.Get("Content-Disposition") != "" || strings.Contains(string(body), "二、属于主动公开范围") {
			t.Errorf("withdrawn attachment still served")
		}
	})

	t.Run("WithdrawnEntriesLeaveSearchAndCatalogue", func(t *testing.T) {
		all := allHits(t, f)
		if len(all) != catalogueSize-2 {
			t.Errorf("%d entries listed after two withdrawals, want %d", len(all), catalogueSize-2)
		}
		for _, h := range all {
			if h.ID == rules || h.ID == letter {
				t.Errorf("withdrawn entry %s still listed", h.ID)
			}
		}
		for q, id := range queries {
			if res := f.MustSearch(t, "q", q); slices.Contains(hitIDs(res.Hits), id) {
				t.Errorf("q=%s finds %v after withdrawal", q, hitIDs(res.Hits))
			}
		}
	})

	t.Run("HiddenIs404LikeANeverExistingID", func(t *testing.T) {
		resp, hidden := f.Get(t, "/api/v1/entries/"+letter)
		_, never := f.Get(t, "/api/v1/entries/0123456789abcdef0123")
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("hidden entry: status %d, want 404; body %s", resp.StatusCode, hidden)
		}
		if !bytes.Equal(hidden, never) {
			t.Errorf("hidden entry answers %s, a never-existing id %s", hidden, never)
		}
		if strings.Contains(string(hidden), "涉及个人信息") || strings.Contains(string(hidden), "负责人") {
			t.Errorf("hidden withdrawal leaves a trace: %s", hidden)
		}
	})
}

// Dates reach the public in China time everywhere: search hits and pages
// convert with time.FixedZone("CST", 8*3600), so the entry API must too.
// A withdrawal at 18:00 UTC happened on the next day in China.
func TestAPIEntryDatesAreChinaDates(t *testing.T) {
	f := MustServer(t)
	id := f.ID(t, lineRules)
	f.Withdraw(t, id, catalogue.Withdrawal{At: time.Date(2024, 3, 1, 18, 0, 0, 0, time.UTC), Reason: "已失效"})
	var w withdrawnJSON
	f.GetJSON(t, "/api/v1/entries/"+id, http.StatusGone, &w)
	_, page := f.Get(t, "/entries/"+id)
	if !strings.Contains(string(page), "2024年3月2日") {
		t.Fatalf("the withdrawn page does not show the China date 2024年3月2日")
	}
	if w.Withdrawn == nil || w.Withdrawn.At != "2024-03-02" {
		t.Errorf("API withdrawn %+v, want at 2024-03-02 as the page shows", w.Withdrawn)
	}
}

// The entry's versions list its current version too, so asking the API for
// that version by number answers with the entry as it is now, in the shape
// an earlier version has; the page of that version is the entry's page.
func TestAPIEntryCurrentVersion(t *testing.T) {
	f := sharedServer(t)
	id := f.ID(t, lineRules)
	var current struct {
		Entry          json.RawMessage `json:"entry"`
		CurrentVersion int             `json:"current_version"`
		CurrentURL     string          `json:"current_url"`
	}
	f.GetJSON(t, "/api/v1/entries/"+id+"/versions/1", http.StatusOK, &current)
	entry := f.GetJSON(t, "/api/v1/entries/"+id, http.StatusOK, nil)
	var got, want any
	if err := json.Unmarshal(current.Entry, &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(entry, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("version 1 of a one-version entry\n got %s\nwant the entry %s", current.Entry, entry)
	}
	if current.CurrentVersion != 1 || current.CurrentURL != "/entries/"+id {
		t.Errorf("current_version %d, current_url %q; want 1 and /entries/%s", current.CurrentVersion, current.CurrentURL, id)
	}

	t.Run("PageRedirectsToTheEntry", func(t *testing.T) {
		resp, _ := f.Get(t, "/entries/"+id+"/versions/1")
		if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/entries/"+id {
			t.Errorf("page of the current version: %d to %q, want 302 to /entries/%s", resp.StatusCode, resp.Header.Get("Location"), id)
		}
	})
	t.Run("LaterVersionIs404", func(t *testing.T) {
		resp, body := f.Get(t, "/api/v1/entries/"+id+"/versions/2")
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("version 2 of a one-version entry: %d %s, want 404", resp.StatusCode, body)
		}
		MustError(t, body, "not_found")
	})
}
