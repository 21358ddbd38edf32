package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// A query string net/url cannot decode loses the pairs it cannot parse, so
// "?q=%zz" used to search for nothing and list the whole catalogue as if
// that were the answer. Such a request is refused with a message instead.
func TestMalformedQueryStringIs400(t *testing.T) {
	f := sharedServer(t)
	malformed := map[string]string{
		"LonePercent":       "q=%",
		"BadEscape":         "q=%zz",
		"RawSemicolon":      "q=个人;x",
		"EncodedSemicolon":  "q=%E4%B8%AA%E4%BA%BA;x",
		"BadEscapeInFilter": "q=个人&category=%G0",
	}
	for name, query := range malformed {
		for _, path := range []string{"/api/v1/search", "/api/v1/catalogue"} {
			t.Run(name+strings.ReplaceAll(path, "/", "_"), func(t *testing.T) {
				resp, body := f.Get(t, path+"?"+query)
				if resp.StatusCode != http.StatusBadRequest {
					t.Fatalf("GET %s?%s: status %d, want 400; body %.200s", path, query, resp.StatusCode, body)
				}
				if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
					t.Errorf("Content-Type %q, want JSON", ct)
				}
				MustError(t, body, "invalid")
				if !strings.Contains(string(body), "查询参数") {
					t.Errorf("error %s does not say the query string is at fault", body)
				}
			})
		}
		for _, path := range []string{"/search", "/catalogue", "/kiosk/search", "/export.csv", "/feed.atom"} {
			t.Run(name+strings.ReplaceAll(path, "/", "_"), func(t *testing.T) {
				resp, body := f.Get(t, path+"?"+query)
				if resp.StatusCode != http.StatusBadRequest {
					t.Fatalf("GET %s?%s: status %d, want 400", path, query, resp.StatusCode)
				}
				if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Errorf("Content-Type %q, want the HTML error page", ct)
				}
				if !strings.Contains(string(body), "查询参数") {
					t.Errorf("the page does not say the query string is at fault")
				}
				if strings.Contains(string(body), "/entries/"+f.ID(t, lineRules)) {
					t.Errorf("the page lists the catalogue as if no query was given")
				}
			})
		}
	}

	t.Run("KioskErrorStaysInTheKiosk", func(t *testing.T) {
		_, body := f.Get(t, "/kiosk/search?q=%zz")
		for _, l := range kioskLinks(t, body) {
			if !strings.HasPrefix(l, "/kiosk") && !strings.HasPrefix(l, "/static/") && l != "#main" {
				t.Errorf("the kiosk error links out of the kiosk: %s", l)
			}
		}
	})

	// Well-formed queries, and pages that read no parameters, are untouched.
	for _, path := range []string{
		"/api/v1/search?q=%E5%B7%A5%E4%BD%9C%E5%88%B6%E5%BA%A6",
		"/search?q=%E5%B7%A5%E4%BD%9C%E5%88%B6%E5%BA%A6&page=1",
		"/catalogue?category=",
		"/kiosk/search?q=gzzd",
		"/entries/" + f.ID(t, lineRules) + "?from=%zz",
	} {
		t.Run("WellFormed"+strings.ReplaceAll(path[:strings.Index(path, "?")], "/", "_"), func(t *testing.T) {
			if resp, _ := f.Get(t, path); resp.StatusCode != http.StatusOK {
				t.Errorf("GET %s: status %d, want 200", path, resp.StatusCode)
			}
		})
	}
}
