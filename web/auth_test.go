package web_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gongkai/catalogue"
	"gongkai/storage"
	"gongkai/storage/fs"
	"gongkai/web"
)

// staffFixture is the staff side over real parts: a filesystem bucket in a
// temporary dir, the account store on it and the web handler behind an
// httptest server. Only the password hashing is made cheap.
type staffFixture struct {
	URL      string
	Handler  *web.Handler
	Users    *storage.Users
	Accounts *catalogue.Accounts
}

var staffHasher = catalogue.NewPasswordHasher(catalogue.Argon2Params{Time: 1, Memory: 64, Threads: 1})

const staffPassword = "correct horse battery"

// MustStaffServer starts the staff side with one account per role:
// admin, office, leader, chief and drafter (both of 综合科), all with
// staffPassword.
func MustStaffServer(tb testing.TB) *staffFixture {
	tb.Helper()
	b, err := fs.New(filepath.Join(tb.TempDir(), "store"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { b.Close() })
	users := storage.NewUsers(b)
	f := &staffFixture{Users: users, Accounts: &catalogue.Accounts{Users: users, Sessions: users, Hasher: staffHasher}}
	for _, u := range []catalogue.NewUser{
		{Name: "admin", Role: catalogue.RoleAdmin},
		{Name: "office", Role: catalogue.RoleOffice},
		{Name: "leader", Role: catalogue.RoleLeader},
		{Name: "chief", Role: catalogue.RoleSectionChief, Section: "综合科"},
		{Name: "drafter", DisplayName: "张三", Role: catalogue.RoleDrafter, Section: "综合科"},
	} {
		u.Password = staffPassword
		if _, _, err := f.Accounts.CreateUser(context.Background(), u); err != nil {
			tb.Fatal(err)
		}
	}
	f.Handler, err = web.New(web.Deps{
		Log:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		Version: "test", Users: users, Sessions: users, Passwords: staffHasher,
		// Tests speak for many client addresses through X-Forwarded-For.
		TrustedProxies: []string{"127.0.0.1"},
	})
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(f.Handler)
	tb.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

// staffReq describes one request: a JSON or form body, credentials and
// extra headers.
type staffReq struct {
	JSON    any
	Form    url.Values
	Bearer  string
	Cookies []*http.Cookie
	Header  map[string]string
	From    string // client address, sent as X-Forwarded-For
}

// Do sends one request without following redirects and returns the
// response with its body read.
func (f *staffFixture) Do(tb testing.TB, method, path string, r staffReq) (*http.Response, []byte) {
	tb.Helper()
	var body io.Reader
	ct := ""
	switch {
	case r.JSON != nil:
		data, _ := json.Marshal(r.JSON)
		body, ct = bytes.NewReader(data), "application/json"
	case r.Form != nil:
		body, ct = strings.NewReader(r.Form.Encode()), "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequest(method, f.URL+path, body)
	if err != nil {
		tb.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if r.Bearer != "" {
		req.Header.Set("Authorization", "Bearer "+r.Bearer)
	}
	for _, c := range r.Cookies {
		req.AddCookie(c)
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	if r.From != "" {
		req.Header.Set("X-Forwarded-For", r.From)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp, data
}

type loginJSON struct {
	Token     string `json:"token"`
	CSRFToken string `json:"csrf_token"`
	User      struct {
		Name    string `json:"name"`
		Role    string `json:"role"`
		Section string `json:"section"`
	} `json:"user"`
}

// staffSession is a signed-in client: the bearer token, the cookie and the
// CSRF token.
type staffSession struct {
	Token, CSRF string
	Cookie      *http.Cookie
}

// MustLogin signs in through the API and returns the session.
func (f *staffFixture) MustLogin(tb testing.TB, name string) staffSession {
	tb.Helper()
	resp, body := f.Do(tb, http.MethodPost, "/api/v1/admin/login", staffReq{JSON: map[string]string{"name": name, "password": staffPassword}})
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("login %s: %d %s", name, resp.StatusCode, body)
	}
	var got loginJSON
	if err := json.Unmarshal(body, &got); err != nil {
		tb.Fatal(err)
	}
	return staffSession{Token: got.Token, CSRF: got.CSRFToken, Cookie: sessionCookieOf(tb, resp)}
}

func sessionCookieOf(tb testing.TB, resp *http.Response) *http.Cookie {
	tb.Helper()
	for _, c := range resp.Cookies() {
		if c.Name == "gk_session" {
			return c
		}
	}
	tb.Fatalf("no gk_session cookie in %v", resp.Header["Set-Cookie"])
	return nil
}

func login(name, password string) staffReq {
	return staffReq{JSON: map[string]string{"name": name, "password": password}}
}

// errorCode returns the code of a JSON error body.
func errorCode(body []byte) string {
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	_ = json.Unmarshal(body, &e)
	return e.Error.Code
}

func TestStaffLogin(t *testing.T) {
	f := MustStaffServer(t)

	t.Run("SetsHttpOnlySameSiteCookieAndReturnsToken", func(t *testing.T) {
		resp, body := f.Do(t, http.MethodPost, "/api/v1/admin/login", login("drafter", staffPassword))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d: %s", resp.StatusCode, body)
		}
		var got loginJSON
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Token) < 40 || got.CSRFToken == "" || got.User.Name != "drafter" || got.User.Role != "drafter" || got.User.Section != "综合科" {
			t.Fatalf("login answer %s", body)
		}
		c := sessionCookieOf(t, resp)
		if c.Value != got.Token || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.MaxAge <= 0 || c.Secure {
			t.Fatalf("cookie %+v: want the token, HttpOnly, SameSite=Lax, Path=/, an expiry, not Secure over plain HTTP", c)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q, want no-store", cc)
		}
	})

	t.Run("SecureCookieOverTLS", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "https://gongkai.example/api/v1/admin/login", strings.NewReader(`{"name":"office","password":"`+staffPassword+`"}`))
		req.Header.Set("Content-Type", "application/json")
		req.TLS = &tls.ConnectionState{}
		rec := httptest.NewRecorder()
		f.Handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if c := sessionCookieOf(t, rec.Result()); !c.Secure {
			t.Fatalf("cookie over TLS is not Secure: %+v", c)
		}
	})

	t.Run("BearerAndCookieBothAuthenticate", func(t *testing.T) {
		s := f.MustLogin(t, "leader")
		for name, r := range map[string]staffReq{"bearer": {Bearer: s.Token}, "cookie": {Cookies: []*http.Cookie{s.Cookie}}} {
			resp, body := f.Do(t, http.MethodGet, "/api/v1/admin/me", r)
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"name":"leader"`) {
				t.Errorf("%s: %d %s", name, resp.StatusCode, body)
			}
		}
		for name, r := range map[string]staffReq{"none": {}, "garbage": {Bearer: "not-a-token"}, "basic": {Header: map[string]string{"Authorization": "Basic YWRtaW46eA=="}}} {
			resp, body := f.Do(t, http.MethodGet, "/api/v1/admin/me", r)
			if resp.StatusCode != http.StatusUnauthorized || errorCode(body) != catalogue.EUNAUTHORIZED {
				t.Errorf("%s: %d %s, want 401 unauthorized", name, resp.StatusCode, body)
			}
		}
	})

	t.Run("LogoutInvalidatesTheSession", func(t *testing.T) {
		s := f.MustLogin(t, "office")
		resp, body := f.Do(t, http.MethodPost, "/api/v1/admin/logout", staffReq{Bearer: s.Token})
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("logout: %d %s", resp.StatusCode, body)
		}
		for _, r := range []staffReq{{Bearer: s.Token}, {Cookies: []*http.Cookie{s.Cookie}}} {
			if resp, _ := f.Do(t, http.MethodGet, "/api/v1/admin/me", r); resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("after logout: %d, want 401", resp.StatusCode)
			}
		}
	})

	t.Run("ExpiredSessionRefused", func(t *testing.T) {
		token := catalogue.RandomToken(32)
		now := time.Now()
		err := f.Users.CreateSession(context.Background(), &catalogue.Session{
			TokenHash: catalogue.TokenHash(token), User: "office", Role: catalogue.RoleOffice, CSRF: "x",
			CreatedAt: now.Add(-13 * time.Hour), LastSeenAt: now.Add(-5 * time.Minute), ExpiresAt: now.Add(-time.Hour),
		})
		if err != nil {
			t.Fatal(err)
		}
		if resp, _ := f.Do(t, http.MethodGet, "/api/v1/admin/me", staffReq{Bearer: token}); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("expired session over the API: %d, want 401", resp.StatusCode)
		}
		if _, err := f.Users.Session(context.Background(), catalogue.TokenHash(token)); catalogue.ErrorCode(err) != catalogue.ENOTFOUND {
			t.Errorf("expired session kept: %v", err)
		}
	})

	t.Run("ExpiredSessionSendsPagesToLogin", func(t *testing.T) {
		token := catalogue.RandomToken(32)
		now := time.Now()
		_ = f.Users.CreateSession(context.Background(), &catalogue.Session{
			TokenHash: catalogue.TokenHash(token), User: "office", CSRF: "x",
			CreatedAt: now.Add(-9 * time.Hour), LastSeenAt: now.Add(-8*time.Hour - time.Minute), ExpiresAt: now.Add(3 * time.Hour),
		})
		resp, _ := f.Do(t, http.MethodGet, "/admin/password", staffReq{Cookies: []*http.Cookie{{Name: "gk_session", Value: token}}})
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/login?") || !strings.Contains(loc, "msg=expired") || !strings.Contains(loc, "next=%2Fadmin%2Fpassword") {
			t.Fatalf("idle session: %d Location %q", resp.StatusCode, loc)
		}
	})

	t.Run("SameAnswerForUnknownUserAndWrongPassword", func(t *testing.T) {
		r1, b1 := f.Do(t, http.MethodPost, "/api/v1/admin/login", login("chief", "not the password"))
		r2, b2 := f.Do(t, http.MethodPost, "/api/v1/admin/login", login("nobody", "not the password"))
		if r1.StatusCode != http.StatusUnauthorized || r2.StatusCode != http.StatusUnauthorized || !bytes.Equal(b1, b2) {
			t.Fatalf("wrong password %d %s; unknown user %d %s", r1.StatusCode, b1, r2.StatusCode, b2)
		}
		if !strings.Contains(string(b1), "账号或密码不正确") {
			t.Errorf("message %s", b1)
		}
	})

	t.Run("DisabledUserRefused", func(t *testing.T) {
		g := MustStaffServer(t)
		s := g.MustLogin(t, "chief")
		if err := g.Accounts.SetDisabled(context.Background(), "chief", true, "admin"); err != nil {
			t.Fatal(err)
		}
		resp, body := g.Do(t, http.MethodPost, "/api/v1/admin/login", login("chief", staffPassword))
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "已停用") {
			t.Fatalf("disabled login: %d %s, want 403", resp.StatusCode, body)
		}
		if resp, _ := g.Do(t, http.MethodGet, "/api/v1/admin/me", staffReq{Bearer: s.Token}); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("session of a disabled account: %d, want 401", resp.StatusCode)
		}
	})

	t.Run("CrossSiteLoginRefused", func(t *testing.T) {
		r := login("admin", staffPassword)
		r.Header = map[string]string{"Sec-Fetch-Site": "cross-site", "Content-Type": "text/plain"}
		if resp, body := f.Do(t, http.MethodPost, "/api/v1/admin/login", r); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("cross-site login: %d %s, want 403", resp.StatusCode, body)
		}
	})

	t.Run("ErrInvalidForNonJSONLogin", func(t *testing.T) {
		resp, _ := f.Do(t, http.MethodPost, "/api/v1/admin/login", staffReq{Form: url.Values{"name": {"admin"}, "password": {staffPassword}}})
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("form-encoded API login: %d, want 400", resp.StatusCode)
		}
	})
}

func TestStaffLoginRateLimit(t *testing.T) {
	t.Run("PerAccount", func(t *testing.T) {
		f := MustStaffServer(t)
		for i := range 5 {
			// From different addresses, so only the account's count rises.
			r := login("office", "guess number "+fmt.Sprint(i))
			r.From = fmt.Sprintf("198.51.100.%d", i+1)
			if resp, body := f.Do(t, http.MethodPost, "/api/v1/admin/login", r); resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d %s", i+1, resp.StatusCode, body)
			}
		}
		r := login("office", staffPassword)
		r.From = "198.51.100.99"
		resp, body := f.Do(t, http.MethodPost, "/api/v1/admin/login", r)
		if resp.StatusCode != http.StatusTooManyRequests || errorCode(body) != catalogue.ERATELIMIT {
			t.Fatalf("sixth attempt, right password: %d %s, want 429", resp.StatusCode, body)
		}
		if !strings.Contains(string(body), "后再试") || resp.Header.Get("Retry-After") == "" {
			t.Errorf("429 should say when to retry: %s, Retry-After %q", body, resp.Header.Get("Retry-After"))
		}
		// Other accounts are not affected.
		r = login("leader", staffPassword)
		r.From = "198.51.100.1"
		if resp, body := f.Do(t, http.MethodPost, "/api/v1/admin/login", r); resp.StatusCode != http.StatusOK {
			t.Fatalf("another account: %d %s", resp.StatusCode, body)
		}
	})

	t.Run("PerAddressNotResetBySuccess", func(t *testing.T) {
		f := MustStaffServer(t)
		const addr = "203.0.113.7"
		fail := func(i int) {
			t.Helper()
			r := login(fmt.Sprintf("guess%02d", i), "wrong password")
			r.From = addr
			if resp, body := f.Do(t, http.MethodPost, "/api/v1/admin/login", r); resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d %s", i, resp.StatusCode, body)
			}
		}
		for i := range 19 {
			fail(i)
		}
		r := login("drafter", staffPassword)
		r.From = addr
		if resp, body := f.Do(t, http.MethodPost, "/api/v1/admin/login", r); resp.StatusCode != http.StatusOK {
			t.Fatalf("19 failures, then the right password: %d %s", resp.StatusCode, body)
		}
		// The success must not wipe the address's failures, or one known
		// account would let an attacker keep guessing the others.
		fail(19)
		resp, body := f.Do(t, http.MethodPost, "/api/v1/admin/login", r)
		if resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("20 failures from one address, then the right password: %d %s, want 429", resp.StatusCode, body)
		}
		r.From = "203.0.113.8"
		if resp, body := f.Do(t, http.MethodPost, "/api/v1/admin/login", r); resp.StatusCode != http.StatusOK {
			t.Fatalf("another address: %d %s", resp.StatusCode, body)
		}
	})
}

// pageCSRF returns the CSRF token in a page's forms.
func pageCSRF(tb testing.TB, body []byte) string {
	tb.Helper()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(body)
	if m == nil {
		tb.Fatalf("no CSRF field in page:\n%s", body)
	}
	return string(m[1])
}

func TestStaffCSRF(t *testing.T) {
	f := MustStaffServer(t)
	ctx := context.Background()
	s := f.MustLogin(t, "admin")
	cookie := []*http.Cookie{s.Cookie}
	exists := func(name string) bool {
		_, err := f.Users.User(ctx, name)
		return err == nil
	}

	t.Run("CookieJSONNeedsHeader", func(t *testing.T) {
		newUser := map[string]string{"name": "wang", "role": "leader"}
		for name, hdr := range map[string]map[string]string{"missing": nil, "wrong": {"X-CSRF-Token": "wrong-token"}} {
			resp, body := f.Do(t, http.MethodPost, "/api/v1/admin/users", staffReq{JSON: newUser, Cookies: cookie, Header: hdr})
			if resp.StatusCode != http.StatusForbidden || errorCode(body) != catalogue.EFORBIDDEN {
				t.Fatalf("%s token: %d %s, want 403", name, resp.StatusCode, body)
			}
			if exists("wang") {
				t.Fatalf("%s token: the account was created", name)
			}
		}
		resp, body := f.Do(t, http.MethodPost, "/api/v1/admin/users", staffReq{JSON: newUser, Cookies: cookie, Header: map[string]string{"X-CSRF-Token": s.CSRF}})
		if resp.StatusCode != http.StatusCreated || !exists("wang") {
			t.Fatalf("right token: %d %s, want 201", resp.StatusCode, body)
		}
		if !strings.Contains(string(body), `"password":"`) {
			t.Errorf("no generated password in %s", body)
		}
	})

	t.Run("BearerNeedsNoToken", func(t *testing.T) {
		resp, body := f.Do(t, http.MethodPost, "/api/v1/admin/users", staffReq{JSON: map[string]string{"name": "zhao", "role": "office"}, Bearer: s.Token})
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("bearer create: %d %s", resp.StatusCode, body)
		}
	})

	t.Run("FormNeedsField", func(t *testing.T) {
		form := url.Values{"name": {"qian"}, "role": {"leader"}}
		for name, token := range map[string]string{"missing": "", "wrong": "wrong-token"} {
			v := url.Values{"csrf": {token}}
			for k, vs := range form {
				v[k] = vs
			}
			resp, body := f.Do(t, http.MethodPost, "/admin/users", staffReq{Form: v, Cookies: cookie})
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "CSRF") {
				t.Fatalf("%s token: %d, want 403 page", name, resp.StatusCode)
			}
			if exists("qian") {
				t.Fatalf("%s token: the account was created", name)
			}
		}
		_, page := f.Do(t, http.MethodGet, "/admin/users", staffReq{Cookies: cookie})
		form.Set("csrf", pageCSRF(t, page))
		resp, body := f.Do(t, http.MethodPost, "/admin/users", staffReq{Form: form, Cookies: cookie})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/users/qian" || !exists("qian") {
			t.Fatalf("right token: %d %q %s", resp.StatusCode, resp.Header.Get("Location"), body)
		}
	})

	t.Run("CrossSiteRefusedEvenWithToken", func(t *testing.T) {
		resp, _ := f.Do(t, http.MethodPost, "/admin/users", staffReq{
			Form: url.Values{"name": {"sun"}, "role": {"leader"}, "csrf": {s.CSRF}}, Cookies: cookie,
			Header: map[string]string{"Sec-Fetch-Site": "cross-site"},
		})
		if resp.StatusCode != http.StatusForbidden || exists("sun") {
			t.Fatalf("cross-site form post: %d, want 403 and nothing created", resp.StatusCode)
		}
	})

	t.Run("LogoutFormNeedsField", func(t *testing.T) {
		o := f.MustLogin(t, "office")
		resp, _ := f.Do(t, http.MethodPost, "/admin/logout", staffReq{Cookies: []*http.Cookie{o.Cookie}, Form: url.Values{}})
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("logout without token: %d, want 403", resp.StatusCode)
		}
		resp, _ = f.Do(t, http.MethodPost, "/admin/logout", staffReq{Cookies: []*http.Cookie{o.Cookie}, Form: url.Values{"csrf": {o.CSRF}}})
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/admin/login") {
			t.Fatalf("logout: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if resp, _ := f.Do(t, http.MethodGet, "/api/v1/admin/me", staffReq{Bearer: o.Token}); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("session after logout form: %d", resp.StatusCode)
		}
	})
}

func TestStaffRoles(t *testing.T) {
	f := MustStaffServer(t)
	for _, name := range []string{"drafter", "chief", "leader", "office"} {
		t.Run("ErrForbidden_"+name, func(t *testing.T) {
			s := f.MustLogin(t, name)
			cookie := []*http.Cookie{s.Cookie}
			if resp, _ := f.Do(t, http.MethodGet, "/admin/users", staffReq{Cookies: cookie}); resp.StatusCode != http.StatusForbidden {
				t.Errorf("GET /admin/users: %d, want 403", resp.StatusCode)
			}
			if resp, _ := f.Do(t, http.MethodGet, "/admin/users/admin", staffReq{Cookies: cookie}); resp.StatusCode != http.StatusForbidden {
				t.Errorf("GET /admin/users/admin: %d, want 403", resp.StatusCode)
			}
			resp, _ := f.Do(t, http.MethodPost, "/admin/users/admin/reset", staffReq{Cookies: cookie, Form: url.Values{"csrf": {s.CSRF}}})
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("POST reset: %d, want 403", resp.StatusCode)
			}
			resp, body := f.Do(t, http.MethodGet, "/api/v1/admin/users", staffReq{Bearer: s.Token})
			if resp.StatusCode != http.StatusForbidden || errorCode(body) != catalogue.EFORBIDDEN {
				t.Errorf("GET /api/v1/admin/users: %d %s, want 403", resp.StatusCode, body)
			}
			// Their own pages work.
			resp, body = f.Do(t, http.MethodGet, "/admin", staffReq{Cookies: cookie})
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), name) || strings.Contains(string(body), `href="/admin/users"`) {
				t.Errorf("GET /admin: %d; want their name and no link to the account pages", resp.StatusCode)
			}
		})
	}
	if ok, _ := staffHasher.Verify(context.Background(), mustUser(t, f, "admin").PasswordHash, staffPassword); !ok {
		t.Error("a refused reset changed the admin's password")
	}

	t.Run("AnonymousSentToLogin", func(t *testing.T) {
		resp, _ := f.Do(t, http.MethodGet, "/admin/users?x=1", staffReq{})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/login?next=%2Fadmin%2Fusers%3Fx%3D1" {
			t.Fatalf("anonymous page: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		resp, body := f.Do(t, http.MethodGet, "/api/v1/admin/users", staffReq{})
		if resp.StatusCode != http.StatusUnauthorized || errorCode(body) != catalogue.EUNAUTHORIZED {
			t.Fatalf("anonymous API: %d %s", resp.StatusCode, body)
		}
	})

	t.Run("ErrConflictOnSecondCreate", func(t *testing.T) {
		s := f.MustLogin(t, "admin")
		user := map[string]string{"name": "zhou", "role": "drafter", "section": "综合科", "password": "a password of their own"}
		if resp, body := f.Do(t, http.MethodPost, "/api/v1/admin/users", staffReq{JSON: user, Bearer: s.Token}); resp.StatusCode != http.StatusCreated {
			t.Fatalf("first create: %d %s", resp.StatusCode, body)
		}
		user["role"] = "admin"
		resp, body := f.Do(t, http.MethodPost, "/api/v1/admin/users", staffReq{JSON: user, Bearer: s.Token})
		if resp.StatusCode != http.StatusConflict || errorCode(body) != catalogue.ECONFLICT {
			t.Fatalf("second create: %d %s, want 409", resp.StatusCode, body)
		}
		if strings.Contains(string(body), `"password"`) {
			t.Errorf("answer holds a password: %s", body)
		}
		_, page := f.Do(t, http.MethodGet, "/admin/users", staffReq{Cookies: []*http.Cookie{s.Cookie}})
		resp, page = f.Do(t, http.MethodPost, "/admin/users", staffReq{Cookies: []*http.Cookie{s.Cookie}, Form: url.Values{
			"csrf": {pageCSRF(t, page)}, "name": {"zhou"}, "role": {"leader"},
		}})
		if resp.StatusCode != http.StatusConflict || !strings.Contains(string(page), "账号 zhou 已存在") {
			t.Fatalf("second create by form: %d", resp.StatusCode)
		}
		if u := mustUser(t, f, "zhou"); u.Role != catalogue.RoleDrafter {
			t.Fatalf("a refused create changed the account: %+v", u)
		}
	})
}

func mustUser(tb testing.TB, f *staffFixture, name string) *catalogue.User {
	tb.Helper()
	u, err := f.Users.User(context.Background(), name)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

func TestStaffPages(t *testing.T) {
	f := MustStaffServer(t)

	t.Run("LoginFormSignsInAndReturns", func(t *testing.T) {
		resp, page := f.Do(t, http.MethodGet, "/admin/login?next=%2Fadmin%2Fpassword", staffReq{})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("login page: %d", resp.StatusCode)
		}
		var loginCookie *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "gk_login" {
				loginCookie = c
			}
		}
		if loginCookie == nil || !loginCookie.HttpOnly {
			t.Fatalf("login page sets no HttpOnly form cookie: %v", resp.Header["Set-Cookie"])
		}
		form := url.Values{"csrf": {pageCSRF(t, page)}, "name": {"Drafter"}, "password": {staffPassword}, "next": {"/admin/password"}}

		resp, _ = f.Do(t, http.MethodPost, "/admin/login", staffReq{Form: form})
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("login form without its cookie: %d, want 403", resp.StatusCode)
		}
		resp, _ = f.Do(t, http.MethodPost, "/admin/login", staffReq{Form: form, Cookies: []*http.Cookie{loginCookie}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/password" {
			t.Fatalf("login: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		cookie := []*http.Cookie{sessionCookieOf(t, resp)}
		resp, page = f.Do(t, http.MethodGet, "/admin", staffReq{Cookies: cookie})
		for _, want := range []string{"张三（drafter）", "拟稿人", "综合科", `href="/admin/password"`, `action="/admin/logout"`} {
			if !strings.Contains(string(page), want) {
				t.Errorf("landing page lacks %q", want)
			}
		}
		if resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("landing page Cache-Control %q", resp.Header.Get("Cache-Control"))
		}
	})

	t.Run("ErrorsShownNextToFields", func(t *testing.T) {
		lc := loginCookieFrom(t, f)
		resp, page := f.Do(t, http.MethodPost, "/admin/login", staffReq{Form: url.Values{"csrf": {lc.Value}, "name": {""}, "password": {""}}, Cookies: []*http.Cookie{lc}})
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("empty login: %d", resp.StatusCode)
		}
		for _, want := range []string{`id="f-name-error"`, "请填写账号名", `id="f-password-error"`, "请填写密码", `aria-invalid="true"`} {
			if !strings.Contains(string(page), want) {
				t.Errorf("page lacks %q", want)
			}
		}
		resp, page = f.Do(t, http.MethodPost, "/admin/login", staffReq{Form: url.Values{"csrf": {lc.Value}, "name": {"chief"}, "password": {"wrong"}}, Cookies: []*http.Cookie{lc}})
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(page), "账号或密码不正确") || !strings.Contains(string(page), `value="chief"`) {
			t.Fatalf("wrong password: %d", resp.StatusCode)
		}
	})

	t.Run("NextCannotLeaveTheStaffSide", func(t *testing.T) {
		lc := loginCookieFrom(t, f)
		for _, next := range []string{"//evil.example/", "https://evil.example/", "/catalogue", "/admin/logout"} {
			resp, _ := f.Do(t, http.MethodPost, "/admin/login", staffReq{Form: url.Values{"csrf": {lc.Value}, "name": {"office"}, "password": {staffPassword}, "next": {next}}, Cookies: []*http.Cookie{lc}})
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin" {
				t.Errorf("next=%q: %d %q, want /admin", next, resp.StatusCode, resp.Header.Get("Location"))
			}
		}
	})

	t.Run("PasswordChangeEndsOldSessions", func(t *testing.T) {
		g := MustStaffServer(t)
		s := g.MustLogin(t, "leader")
		other := g.MustLogin(t, "leader")
		cookie := []*http.Cookie{s.Cookie}
		resp, page := g.Do(t, http.MethodPost, "/admin/password", staffReq{Cookies: cookie, Form: url.Values{
			"csrf": {s.CSRF}, "current": {"not my password"}, "new": {"my fresh secret 2026"}, "confirm": {"my fresh secret 2026"},
		}})
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(page), "当前密码不正确") {
			t.Fatalf("wrong current password: %d", resp.StatusCode)
		}
		resp, page = g.Do(t, http.MethodPost, "/admin/password", staffReq{Cookies: cookie, Form: url.Values{
			"csrf": {s.CSRF}, "current": {staffPassword}, "new": {"short"}, "confirm": {"other"},
		}})
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(page), "至少需要 10 个字符") || !strings.Contains(string(page), "两次输入的新密码不一致") {
			t.Fatalf("weak and mismatched: %d", resp.StatusCode)
		}
		resp, _ = g.Do(t, http.MethodPost, "/admin/password", staffReq{Cookies: cookie, Form: url.Values{
			"csrf": {s.CSRF}, "current": {staffPassword}, "new": {"my fresh secret 2026"}, "confirm": {"my fresh secret 2026"},
		}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("change: %d", resp.StatusCode)
		}
		fresh := sessionCookieOf(t, resp)
		if fresh.Value == s.Token {
			t.Fatal("the session token was not replaced")
		}
		for _, old := range []string{s.Token, other.Token} {
			if resp, _ := g.Do(t, http.MethodGet, "/api/v1/admin/me", staffReq{Bearer: old}); resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("session from before the change: %d, want 401", resp.StatusCode)
			}
		}
		resp, page = g.Do(t, http.MethodGet, "/admin", staffReq{Cookies: []*http.Cookie{fresh}})
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), "密码已修改") {
			t.Fatalf("after the change: %d", resp.StatusCode)
		}
	})

	t.Run("ResetShowsPasswordOnce", func(t *testing.T) {
		g := MustStaffServer(t)
		s := g.MustLogin(t, "admin")
		cookie := []*http.Cookie{s.Cookie}
		resp, _ := g.Do(t, http.MethodPost, "/admin/users/office/reset", staffReq{Cookies: cookie, Form: url.Values{"csrf": {s.CSRF}}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/users/office" {
			t.Fatalf("reset: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		_, page := g.Do(t, http.MethodGet, "/admin/users/office", staffReq{Cookies: cookie})
		m := regexp.MustCompile(`<code class="secret">([^<]+)</code>`).FindSubmatch(page)
		if m == nil {
			t.Fatal("the new password is not shown")
		}
		pw := string(m[1])
		if _, again := g.Do(t, http.MethodGet, "/admin/users/office", staffReq{Cookies: cookie}); bytes.Contains(again, []byte(pw)) {
			t.Fatal("the new password is shown a second time")
		}
		resp, body := g.Do(t, http.MethodPost, "/api/v1/admin/login", login("office", pw))
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"must_change_password":true`) {
			t.Fatalf("login with the reset password: %d %s", resp.StatusCode, body)
		}
	})

	t.Run("DisableAndEnable", func(t *testing.T) {
		g := MustStaffServer(t)
		s := g.MustLogin(t, "admin")
		cookie := []*http.Cookie{s.Cookie}
		form := staffReq{Cookies: cookie, Form: url.Values{"csrf": {s.CSRF}}}
		if resp, _ := g.Do(t, http.MethodPost, "/admin/users/chief/disable", form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("disable: %d", resp.StatusCode)
		}
		if !mustUser(t, g, "chief").Disabled {
			t.Fatal("not disabled")
		}
		g.Do(t, http.MethodPost, "/admin/users/admin/disable", form)
		if _, page := g.Do(t, http.MethodGet, "/admin/users/admin", staffReq{Cookies: cookie}); !strings.Contains(string(page), "不能停用自己的账号") || mustUser(t, g, "admin").Disabled {
			t.Fatal("an admin disabled themselves")
		}
		g.Do(t, http.MethodPost, "/admin/users/chief/enable", form)
		if mustUser(t, g, "chief").Disabled {
			t.Fatal("not re-enabled")
		}
	})
}

// loginCookieFrom fetches the sign-in page and returns its form cookie,
// whose value is the form's CSRF token.
func loginCookieFrom(tb testing.TB, f *staffFixture) *http.Cookie {
	tb.Helper()
	resp, _ := f.Do(tb, http.MethodGet, "/admin/login", staffReq{})
	for _, c := range resp.Cookies() {
		if c.Name == "gk_login" {
			return c
		}
	}
	tb.Fatal("no gk_login cookie")
	return nil
}
