package web_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"gongkai/catalogue"
)

func TestScratch(t *testing.T) {
	f := MustServer(t)
	for _, p := range []string{"/api/v1/entries/..%2F..", "/api/v1/entries/" + strings.Repeat("a", 70), "/api/v1/entries/ABCDEF0123", "/files/" + f.ID(t, 1) + "/" + strings.Repeat("0", 64), "/static/000000000000/app.css", "/nope", "/api/v1/nope"} {
		resp, body := f.Get(t, p)
		fmt.Printf("=== %s %d %s %q\n", p, resp.StatusCode, resp.Header.Get("Content-Type"), string(body)[:min(200, len(body))])
	}
	f.Withdraw(t, f.ID(t, lineAward), catalogue.Withdrawal{At: time.Date(2024, 3, 1, 18, 0, 0, 0, time.UTC), Reason: "已失效"})
	resp, body := f.Get(t, "/api/v1/entries/"+f.ID(t, lineAward))
	fmt.Println(resp.StatusCode, string(body))
	resp, body = f.Get(t, "/entries/"+f.ID(t, lineAward))
	fmt.Println(resp.StatusCode, string(body))
	for _, ret := range []string{"/\t/evil.example", "//evil.example", "/\\evil", "/catalogue?page=2"} {
		req := mustRequest(t, "POST", f.URL+"/prefs", strings.NewReader(url.Values{"toggle": {"large"}, "return": {ret}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, _ := f.Do(t, req)
		fmt.Printf("%q -> %d %q %v\n", ret, resp.StatusCode, resp.Header.Get("Location"), resp.Header["Set-Cookie"])
	}
}
