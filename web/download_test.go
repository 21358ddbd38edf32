package web_test

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"os"
	"strings"
	"testing"
)

// Attachments run to tens of megabytes: a broken download resumes from
// where it stopped, a PDF viewer fetches the pages it shows, and a browser
// that has the file asks only whether it changed.
func TestDownloadRangesAndRevalidation(t *testing.T) {
	f := sharedServer(t)
	id := f.ID(t, lineRules)
	var e entryJSON
	f.GetJSON(t, "/api/v1/entries/"+id, http.StatusOK, &e)
	url := e.Attachments[0].URL
	sha := strings.TrimPrefix(url, "/files/"+id+"/")
	file, err := os.ReadFile(rulesAttachmentPath)
	if err != nil {
		t.Fatal(err)
	}
	size := len(file)
	get := func(t *testing.T, header ...string) (*http.Response, []byte) {
		t.Helper()
		req := mustRequest(t, http.MethodGet, f.URL+url, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		return f.Do(t, req)
	}

	t.Run("FullDownloadOffersRanges", func(t *testing.T) {
		resp, body := get(t)
		if resp.StatusCode != http.StatusOK || !bytes.Equal(body, file) {
			t.Fatalf("status %d, %d bytes; want 200 with the %d bytes", resp.StatusCode, len(body), size)
		}
		checkDownloadHeaders(t, resp, sha)
		if got := resp.Header.Get("Accept-Ranges"); got != "bytes" {
			t.Errorf("Accept-Ranges %q, want bytes", got)
		}
		if got := resp.Header.Get("Content-Length"); got != fmt.Sprint(size) {
			t.Errorf("Content-Length %q, want %d", got, size)
		}
	})

	for name, c := range map[string]struct {
		rng        string
		start, end int // the bytes file[start:end] are sent
	}{
		"FirstBytes":       {"bytes=0-99", 0, 100},
		"ResumeFromMiddle": {"bytes=100-", 100, size},
		"LastBytes":        {"bytes=-27", size - 27, size},
		"PastTheEnd":       {fmt.Sprintf("bytes=%d-%d", size-10, size+1000), size - 10, size},
	} {
		t.Run("Range"+name+"Is206", func(t *testing.T) {
			resp, body := get(t, "Range", c.rng)
			if resp.StatusCode != http.StatusPartialContent {
				t.Fatalf("Range %s: status %d, want 206", c.rng, resp.StatusCode)
			}
			if !bytes.Equal(body, file[c.start:c.end]) {
				t.Errorf("Range %s: got %q, want bytes %d-%d %q", c.rng, body, c.start, c.end-1, file[c.start:c.end])
			}
			if want := fmt.Sprintf("bytes %d-%d/%d", c.start, c.end-1, size); resp.Header.Get("Content-Range") != want {
				t.Errorf("Range %s: Content-Range %q, want %q", c.rng, resp.Header.Get("Content-Range"), want)
			}
			checkDownloadHeaders(t, resp, sha)
		})
	}

	t.Run("TwoRangesAreMultipart", func(t *testing.T) {
		resp, body := get(t, "Range", "bytes=0-9,200-209")
		mt, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
		if resp.StatusCode != http.StatusPartialContent || err != nil || mt != "multipart/byteranges" {
			t.Fatalf("status %d, Content-Type %q, want 206 multipart/byteranges", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		for _, part := range [][]byte{file[0:10], file[200:210]} {
			if !bytes.Contains(body, part) {
				t.Errorf("multipart body (boundary %s) lacks %q", params["boundary"], part)
			}
		}
	})

	t.Run("RangeBeyondTheFileIs416", func(t *testing.T) {
		resp, _ := get(t, "Range", fmt.Sprintf("bytes=%d-", size+1))
		if resp.StatusCode != http.StatusRequestedRangeNotSatisfiable {
			t.Errorf("status %d, want 416", resp.StatusCode)
		}
		if want := fmt.Sprintf("bytes */%d", size); resp.Header.Get("Content-Range") != want {
			t.Errorf("Content-Range %q, want %q", resp.Header.Get("Content-Range"), want)
		}
	})

	t.Run("IfNoneMatchOwnETagIs304", func(t *testing.T) {
		resp, body := get(t, "If-None-Match", `"`+sha+`"`)
		if resp.StatusCode != http.StatusNotModified || len(body) != 0 {
			t.Fatalf("status %d, %d bytes; want 304 and no body", resp.StatusCode, len(body))
		}
		if got := resp.Header.Get("ETag"); got != `"`+sha+`"` {
			t.Errorf("ETag %q on the 304", got)
		}
	})

	t.Run("IfNoneMatchOtherETagIs200", func(t *testing.T) {
		resp, body := get(t, "If-None-Match", `"`+strings.Repeat("0", 64)+`"`)
		if resp.StatusCode != http.StatusOK || !bytes.Equal(body, file) {
			t.Errorf("status %d, %d bytes; want 200 with the file", resp.StatusCode, len(body))
		}
	})

	t.Run("IfRangeWithAnotherETagSendsTheWholeFile", func(t *testing.T) {
		resp, body := get(t, "Range", "bytes=0-99", "If-Range", `"`+strings.Repeat("0", 64)+`"`)
		if resp.StatusCode != http.StatusOK || !bytes.Equal(body, file) {
			t.Errorf("status %d, %d bytes; want 200 with the file", resp.StatusCode, len(body))
		}
	})

	t.Run("IfRangeWithOwnETagSendsTheRange", func(t *testing.T) {
		resp, body := get(t, "Range", "bytes=0-99", "If-Range", `"`+sha+`"`)
		if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, file[:100]) {
			t.Errorf("status %d, %d bytes; want 206 with the first 100", resp.StatusCode, len(body))
		}
	})
}

// checkDownloadHeaders checks the headers every successful download
// carries, whole or in part.
func checkDownloadHeaders(t *testing.T, resp *http.Response, sha string) {
	t.Helper()
	disp, params, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition"))
	if err != nil || disp != "attachment" || params["filename"] != rulesAttachmentName {
		t.Errorf("Content-Disposition %q, want attachment; filename=%s", resp.Header.Get("Content-Disposition"), rulesAttachmentName)
	}
	if resp.StatusCode == http.StatusOK || resp.Header.Get("Content-Range") != "" {
		if ct := resp.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
			t.Errorf("Content-Type %q, want the attachment's text/plain; charset=utf-8", ct)
		}
	}
	if got := resp.Header.Get("ETag"); got != `"`+sha+`"` {
		t.Errorf("ETag %q, want %q", got, `"`+sha+`"`)
	}
	if got := resp.Header.Get("Cache-Control"); got != "public, max-age=3600" {
		t.Errorf("Cache-Control %q", got)
	}
}
