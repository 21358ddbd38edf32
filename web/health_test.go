package web_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/web"
)

func TestHealth(t *testing.T) {
	f := sharedServer(t)

	t.Run("HealthzIs200", func(t *testing.T) {
		var body struct{ Status, Version string }
		f.GetJSON(t, "/healthz", http.StatusOK, &body)
		if body.Status != "ok" || body.Version != "test" {
			t.Errorf("healthz %+v, want status ok, version test", body)
		}
	})

	t.Run("ReadyzIs200WhenReady", func(t *testing.T) {
		var body struct{ Status string }
		f.GetJSON(t, "/readyz", http.StatusOK, &body)
		if body.Status != "ready" {
			t.Errorf("readyz status %q, want ready", body.Status)
		}
	})

	t.Run("ReadyzIs503WithErrorWhenNotReady", func(t *testing.T) {
		d := f.Deps
		d.Ready = func(context.Context) error {
			return errors.New("object store: dial tcp 10.0.0.7:9000: connection refused")
		}
		h, err := web.New(d)
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		if rec.Code != http.StatusServiceUnavailable {
			t.Fatalf("readyz: status %d, want 503", rec.Code)
		}
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("readyz: Content-Type %q", ct)
		}
		MustError(t, rec.Body.Bytes(), "unavailable")
		if strings.Contains(rec.Body.String(), "10.0.0.7") || strings.Contains(rec.Body.String(), "connection refused") {
			t.Errorf("readyz shows the internal cause: %s", rec.Body)
		}
		var top map[string]json.RawMessage
		if err := json.Unmarshal(rec.Body.Bytes(), &top); err != nil || top["error"] == nil {
			t.Errorf("readyz body %s, want the error body", rec.Body)
		}
		// /healthz says only that the process is up.
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		if rec.Code != http.StatusOK {
			t.Errorf("healthz while not ready: status %d, want 200", rec.Code)
		}
	})

	t.Run("ReadyzWithoutCheckIs200", func(t *testing.T) {
		d := f.Deps
		d.Ready = nil
		h, err := web.New(d)
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		if rec.Code != http.StatusOK {
			t.Errorf("readyz without a check: status %d, want 200", rec.Code)
		}
	})
}

// When the index cannot answer, readers get 503 with a retry hint and no
// internal detail, as JSON from the API and as a page on the site.
func TestIndexUnavailable(t *testing.T) {
	f := MustServer(t)
	f.ClosePublicIndex(t)

	t.Run("APISearchIs503", func(t *testing.T) {
		resp, body := f.Get(t, "/api/v1/search?q="+url.QueryEscape("韶关"))
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("status %d, want 503; body %s", resp.StatusCode, body)
		}
		MustError(t, body, "unavailable")
		if resp.Header.Get("Retry-After") == "" {
			t.Errorf("503 without Retry-After")
		}
		if strings.Contains(strings.ToLower(string(body)), "closed") || strings.Contains(string(body), "bleve") {
			t.Errorf("503 shows the internal cause: %s", body)
		}
	})

	t.Run("APICatalogueIs503", func(t *testing.T) {
		// The catalogue is read from the index's columns, past Bleve's
		// search API: a closed index must still answer 503, not panic.
		resp, body := f.Get(t, "/api/v1/catalogue?size=3")
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("status %d, want 503; body %s", resp.StatusCode, body)
		}
		MustError(t, body, "unavailable")
	})

	t.Run("SearchPageIs503Page", func(t *testing.T) {
		_, body := f.MustPage(t, "/search?q="+url.QueryEscape("韶关"), http.StatusServiceUnavailable)
		if !strings.Contains(body, "服务暂不可用") {
			t.Errorf("503 page lacks its heading")
		}
	})

	t.Run("EntryStillServedFromTheStore", func(t *testing.T) {
		f.GetJSON(t, "/api/v1/entries/"+f.ID(t, lineRules), http.StatusOK, nil)
	})
}

// Handlers share templates, assets and the index; many readers at once
// must neither race (go test -race) nor disturb each other's answers.
func TestConcurrentReaders(t *testing.T) {
	f := sharedServer(t)
	id := f.ID(t, lineRules)
	paths := []string{"/", "/catalogue", "/search?q=" + url.QueryEscape("韶关"), "/entries/" + id,
		"/api/v1/search?q=" + url.QueryEscape(rulesDocNo), "/api/v1/entries/" + id, "/api/v1/catalogue?size=3"}
	// Every reader must see the same answer; only the time taken varies.
	took := regexp.MustCompile(`"took_ms":\d+`)
	same := func(body []byte) string { return took.ReplaceAllString(string(body), `"took_ms":0`) }
	want := map[string]string{}
	for _, p := range paths {
		resp, body := f.Get(t, p)
		want[p] = same(body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d", p, resp.StatusCode)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(paths))
	for i := range 8 {
		for _, p := range paths {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, err := http.NewRequest(http.MethodGet, f.URL+p, nil)
				if err != nil {
					errs <- err.Error()
					return
				}
				resp, err := f.Server.Client().Do(req)
				if err != nil {
					errs <- err.Error()
					return
				}
				defer resp.Body.Close()
				body, err := io.ReadAll(resp.Body)
				if err != nil || resp.StatusCode != http.StatusOK || same(body) != want[p] {
					errs <- fmt.Sprintf("reader %d: GET %s: status %d, %d bytes differ from the first answer (%d bytes), %v", i, p, resp.StatusCode, len(body), len(want[p]), err)
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestMethods(t *testing.T) {
	f := sharedServer(t)
	t.Run("HeadAnsweredAsGet", func(t *testing.T) {
		resp, err := f.Server.Client().Head(f.URL + "/catalogue")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("HEAD /catalogue: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	})
	t.Run("HeadSendsNoBody", func(t *testing.T) {
		// Two requests on one connection: the second answer must follow
		// the first's headers directly, or it does not parse.
		conn, err := net.Dial("tcp", f.Server.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conn.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := io.WriteString(conn, "HEAD /catalogue HTTP/1.1\r\nHost: test\r\n\r\nGET /healthz HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"); err != nil {
			t.Fatal(err)
		}
		br := bufio.NewReader(conn)
		for i, method := range []string{http.MethodHead, http.MethodGet} {
			resp, err := http.ReadResponse(br, &http.Request{Method: method})
			if err != nil {
				t.Fatalf("answer %d: %v", i+1, err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("answer %d to %s: %d %s", i+1, method, resp.StatusCode, body)
			}
		}
	})
	t.Run("WrongMethodIs405", func(t *testing.T) {
		for _, p := range []string{"/api/v1/search", "/catalogue"} {
			resp, err := f.Server.Client().Post(f.URL+p, "text/plain", strings.NewReader("x"))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusMethodNotAllowed {
				t.Errorf("POST %s: %d, want 405", p, resp.StatusCode)
			}
		}
	})
}
