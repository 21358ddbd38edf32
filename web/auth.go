package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/catalogue"
)

// Staff sign-in: sessions live in the object store under the SHA-256 of a
// random token. Browsers carry the token in the gk_session cookie; API
// clients may send it as "Authorization: Bearer <token>" instead. Requests
// that change something and are authenticated by the cookie must prove they
// come from our own pages: forms carry the session's CSRF token in a hidden
// field, scripts send it in the X-CSRF-Token header. Bearer requests need
// none, since a browser never attaches that header on its own.
const (
	sessionCookie = "gk_session"
	loginCookie   = "gk_login" // CSRF token of the sign-in form, before there is a session
	csrfField     = "csrf"
	csrfHeader    = "X-CSRF-Token"
	staffKey      = "gongkai.staff"
)

// Sign-in attempt limits: an account is locked for a while after 5 wrong
// passwords in 15 minutes, and an address after 20, so guessing is slow
// without locking the whole office out behind one NAT address for long.
const (
	accountAttempts = 5
	addressAttempts = 20
	attemptWindow   = 15 * time.Minute
)

// staffSide is the state of the staff side shared by its handlers.
type staffSide struct {
	accounts      *catalogue.Accounts
	accountLimit  *attemptLimiter
	addressLimit  *attemptLimiter
	flashes       *flashes
	crossOrigin   *http.CrossOriginProtection
	pruneMu       sync.Mutex
	lastPrune     time.Time
	pruneInterval time.Duration
}

// staff is the signed-in staff member of a request.
type staff struct {
	Session *catalogue.Session
	User    *catalogue.User
	Token   string
	Bearer  bool // authenticated by the Authorization header, not the cookie
}

func currentStaff(c *gin.Context) *staff {
	if v, ok := c.Get(staffKey); ok {
		return v.(*staff)
	}
	return nil
}

// staffRoutes lists the routes of staff accounts and sign-in. A handler
// built without an account store (a public-only site, such as the copy on
// the public network that holds only public data) has no staff side.
func (h *Handler) staffRoutes() {
	if h.Users == nil || h.Sessions == nil {
		return
	}
	h.staff = &staffSide{
		accounts: &catalogue.Accounts{
			Users: h.Users, Sessions: h.Sessions, Hasher: h.Passwords,
		},
		accountLimit:  newAttemptLimiter(accountAttempts, attemptWindow),
		addressLimit:  newAttemptLimiter(addressAttempts, attemptWindow),
		flashes:       newFlashes(),
		crossOrigin:   http.NewCrossOriginProtection(),
		pruneInterval: time.Hour,
	}
	r := h.engine

	api := r.Group("/api/v1/admin", noStore(), h.limitBody())
	api.POST("/login", h.apiLogin)
	authed := api.Group("", h.staffAPI())
	authed.POST("/logout", h.apiLogout)
	authed.GET("/me", h.apiMe)
	authed.GET("/users", h.requireRole(catalogue.RoleAdmin), h.apiUsers)
	authed.POST("/users", h.requireRole(catalogue.RoleAdmin), h.apiCreateUser)
	authed.PUT("/users/:name", h.requireRole(catalogue.RoleAdmin), h.apiEditUser)
	authed.POST("/users/:name/:action", h.requireRole(catalogue.RoleAdmin), h.apiUserAction)
	authed.GET("/sections", h.apiSections)
	authed.POST("/sections", h.requireRole(catalogue.RoleAdmin), h.apiCreateSection)
	authed.DELETE("/sections/:name", h.requireRole(catalogue.RoleAdmin), h.apiDeleteSection)
	if h.StaffIndex != nil && h.Service != nil {
		authed.GET("/dashboard", h.apiDashboard)
		authed.GET("/entries", h.apiStaffEntries)
		authed.POST("/entries", h.apiCreateEntry)
		authed.GET("/entries/:id", h.apiStaffEntry)
		authed.PUT("/entries/:id", h.apiUpdateEntry)
		authed.POST("/entries/:id/:action", h.apiEntryAction)
		authed.GET("/entries/:id/files/:sha", h.apiStaffFile)
		authed.GET("/calendar", h.apiCalendar)
		authed.PUT("/calendar/:year", h.requireRole(catalogue.RoleAdmin), h.apiPutCalendarYear)
	}
	if h.Applications != nil && h.Reports != nil {
		office := authed.Group("", h.requireRole(catalogue.RoleOffice))
		office.GET("/applications", h.apiStaffApplications)
		office.POST("/applications", h.apiRegisterApplication)
		office.GET("/applications/:id", h.apiStaffApplication)
		office.POST("/applications/:id/:action", h.apiApplicationAction)
		office.PUT("/reports/:year", h.apiPutReport)
	}

	r.GET("/admin/login", noStore(), h.loginPage)
	r.POST("/admin/login", noStore(), h.loginSubmit)
	pages := r.Group("/admin", noStore(), h.limitBody(), h.staffPages())
	pages.GET("", h.adminHome)
	pages.POST("/logout", h.logout)
	pages.GET("/password", h.passwordPage)
	pages.POST("/password", h.passwordSubmit)
	if h.StaffIndex != nil && h.Service != nil {
		pages.GET("/entries", h.entriesPage)
		pages.GET("/entries/new", h.newEntryPage)
		pages.POST("/entries", h.createEntry)
		pages.GET("/entries/:id", h.staffEntryPage)
		pages.GET("/entries/:id/edit", h.editEntryPage)
		pages.POST("/entries/:id/edit", h.updateEntry)
		pages.POST("/entries/:id/act", h.entryAct)
		pages.GET("/entries/:id/files/:sha", h.staffFilePage)
		pages.GET("/calendar", h.requireRole(catalogue.RoleAdmin, catalogue.RoleOffice), h.calendarPage)
		pages.POST("/calendar", h.requireRole(catalogue.RoleAdmin), h.calendarSubmit)
	}
	if h.Applications != nil && h.Reports != nil && h.Service != nil {
		office := pages.Group("", h.requireRole(catalogue.RoleOffice))
		office.GET("/applications", h.applicationsPage)
		office.GET("/applications/new", h.registerApplicationPage)
		office.POST("/applications", h.registerApplication)
		office.GET("/applications/:id", h.applicationPage)
		office.POST("/applications/:id/act", h.applicationAct)
		office.GET("/reports/:year", h.reportEditPage)
		office.POST("/reports/:year", h.reportEditSubmit)
	}
	admin := pages.Group("", h.requireRole(catalogue.RoleAdmin))
	admin.GET("/users", h.usersPage)
	admin.POST("/users", h.userCreate)
	admin.GET("/users/:name", h.userPage)
	admin.POST("/users/:name", h.userEdit)
	admin.POST("/users/:name/reset", h.userReset)
	admin.POST("/users/:name/disable", h.userDisable)
	admin.POST("/users/:name/enable", h.userEnable)
	admin.POST("/sections", h.sectionCreate)
	admin.POST("/sections/delete", h.sectionDelete)
}

// noStore keeps staff pages and answers out of every cache: they hold
// names, tokens and, once, generated passwords.
func noStore() gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Header("Cache-Control", "no-store")
		c.Next()
	}
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// bearerToken returns the token of an "Authorization: Bearer" header and
// whether the header was there at all.
func bearerToken(c *gin.Context) (string, bool) {
	v := c.GetHeader("Authorization")
	if v == "" {
		return "", false
	}
	scheme, token, _ := strings.Cut(v, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", true
	}
	return strings.TrimSpace(token), true
}

var (
	errCSRF        = catalogue.Errorf(catalogue.EFORBIDDEN, "请求缺少有效的 CSRF 令牌，请刷新页面后重试")
	errCrossOrigin = catalogue.Errorf(catalogue.EFORBIDDEN, "拒绝来自其他网站的请求")
)

func sameToken(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// staffAPI authenticates a JSON request by bearer token or session cookie;
// 401 without one. Cookie-authenticated requests that change something
// must carry the X-CSRF-Token header.
func (h *Handler) staffAPI() gin.HandlerFunc {
	return func(c *gin.Context) {
		token, bearer := bearerToken(c)
		if !bearer {
			token, _ = c.Cookie(sessionCookie)
		}
		if token == "" {
			h.fail(c, catalogue.Errorf(catalogue.EUNAUTHORIZED, "请先登录"))
			return
		}
		s, u, err := h.staff.accounts.Resolve(c.Request.Context(), token)
		if err != nil {
			if !bearer && catalogue.ErrorCode(err) == catalogue.EUNAUTHORIZED {
				clearSessionCookie(c)
			}
			h.fail(c, err)
			return
		}
		if !bearer && unsafeMethod(c.Request.Method) {
			if h.staff.crossOrigin.Check(c.Request) != nil {
				h.fail(c, errCrossOrigin)
				return
			}
			if !sameToken(c.GetHeader(csrfHeader), s.CSRF) {
				h.fail(c, errCSRF)
				return
			}
		}
		c.Set(staffKey, &staff{Session: s, User: u, Token: token, Bearer: bearer})
		c.Next()
	}
}

// staffPages authenticates an HTML request by the session cookie and sends
// anyone without a session to the sign-in page, to come back afterwards.
// Form posts must carry the session's CSRF token.
func (h *Handler) staffPages() gin.HandlerFunc {
	return func(c *gin.Context) {
		token, _ := c.Cookie(sessionCookie)
		if token == "" {
			h.toLogin(c, false)
			return
		}
		s, u, err := h.staff.accounts.Resolve(c.Request.Context(), token)
		if catalogue.ErrorCode(err) == catalogue.EUNAUTHORIZED {
			clearSessionCookie(c)
			h.toLogin(c, true)
			return
		}
		if err != nil {
			h.fail(c, err)
			return
		}
		st := &staff{Session: s, User: u, Token: token}
		c.Set(staffKey, st)
		if unsafeMethod(c.Request.Method) {
			if h.staff.crossOrigin.Check(c.Request) != nil {
				h.adminError(c, http.StatusForbidden, errCrossOrigin)
				return
			}
			if !sameToken(c.PostForm(csrfField), s.CSRF) {
				h.adminError(c, http.StatusForbidden, errCSRF)
				return
			}
		}
		c.Next()
	}
}

// toLogin redirects to the sign-in page; a page asked for with GET is
// returned to after signing in. expired says a session has just ended.
func (h *Handler) toLogin(c *gin.Context, expired bool) {
	q := url.Values{}
	if c.Request.Method == http.MethodGet && c.Request.URL.Path != staffHome {
		q.Set("next", c.Request.URL.RequestURI())
	}
	if expired {
		q.Set("msg", "expired")
	}
	target := "/admin/login"
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	c.Redirect(http.StatusSeeOther, target)
	c.Abort()
}

// requireRole lets through only staff with one of the roles: 403 for others.
func (h *Handler) requireRole(roles ...catalogue.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		st := currentStaff(c)
		if st == nil {
			h.fail(c, catalogue.Errorf(catalogue.EUNAUTHORIZED, "请先登录"))
			return
		}
		if !slices.Contains(roles, st.User.Role) {
			labels := make([]string, len(roles))
			for i, r := range roles {
				labels[i] = r.Label()
			}
			err := catalogue.Errorf(catalogue.EFORBIDDEN, "只有%s可以使用此功能", strings.Join(labels, "、"))
			if isAPI(c) {
				h.fail(c, err)
			} else {
				h.adminError(c, http.StatusForbidden, err)
			}
			return
		}
		c.Next()
	}
}

// setSessionCookie gives the browser the session token: HttpOnly so scripts
// cannot read it, SameSite=Lax so other sites' forms do not carry it,
// Secure when the request came over TLS.
func (h *Handler) setSessionCookie(c *gin.Context, token string, s *catalogue.Session) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/",
		MaxAge: int(time.Until(s.ExpiresAt).Seconds()), Expires: s.ExpiresAt,
		HttpOnly: true, Secure: c.Request.TLS != nil, SameSite: http.SameSiteLaxMode,
	})
}

func clearSessionCookie(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: c.Request.TLS != nil, SameSite: http.SameSiteLaxMode,
	})
}

// signIn checks the attempt limits and the credentials and starts a
// session. Wrong credentials count against both the account and the
// client's address; a success forgives the account's failures but not the
// address's, so one valid account cannot be used to keep guessing others.
func (h *Handler) signIn(c *gin.Context, name, password string) (string, *catalogue.Session, *catalogue.User, error) {
	ctx := c.Request.Context()
	account, addr := "u:"+catalogue.NormalizeUserName(name), c.ClientIP()
	if err := h.checkLimits(account, addr); err != nil {
		return "", nil, nil, err
	}
	u, err := h.staff.accounts.Authenticate(ctx, name, password)
	if catalogue.IsCredentialsError(err) {
		h.staff.accountLimit.fail(account)
		h.staff.addressLimit.fail(addr)
		h.Log.Warn("sign-in failed", "user", name, "remote", addr)
	}
	if err != nil {
		return "", nil, nil, err
	}
	h.staff.accountLimit.reset(account)
	token, s, err := h.staff.accounts.StartSession(ctx, u, addr)
	if err != nil {
		return "", nil, nil, err
	}
	// A browser signing in again leaves its previous session behind: end it.
	if old, _ := c.Cookie(sessionCookie); old != "" {
		_ = h.staff.accounts.EndSession(ctx, old)
	}
	h.Log.Info("signed in", "user", u.Name, "role", u.Role, "remote", addr)
	h.pruneSessions(c)
	return token, s, u, nil
}

// checkLimits answers ERATELIMIT, saying when to try again, while the
// account or the address has too many recent failures.
func (h *Handler) checkLimits(account, addr string) error {
	until := h.staff.accountLimit.blockedUntil(account)
	if t := h.staff.addressLimit.blockedUntil(addr); t.After(until) {
		until = t
	}
	if until.IsZero() {
		return nil
	}
	mins := int(time.Until(until).Minutes()) + 1
	return &rateLimited{
		err: catalogue.Errorf(catalogue.ERATELIMIT, "登录失败次数过多，已暂停登录。请于 %s 之后再试（约 %d 分钟）。",
			until.In(chinaTime).Format("15:04"), mins),
		until: until,
	}
}

// rateLimited is ERATELIMIT with the time the limit lifts, for Retry-After.
type rateLimited struct {
	err   *catalogue.Error
	until time.Time
}

func (e *rateLimited) Error() string { return e.err.Error() }
func (e *rateLimited) Unwrap() error { return e.err }

func retryAfter(c *gin.Context, err error) {
	var rl *rateLimited
	if errors.As(err, &rl) {
		c.Header("Retry-After", strconv.Itoa(int(time.Until(rl.until).Seconds())+1))
	}
}

// pruneSessions deletes expired sessions at most once an interval, at a
// sign-in, so the store does not fill with abandoned sessions.
func (h *Handler) pruneSessions(c *gin.Context) {
	h.staff.pruneMu.Lock()
	due := time.Since(h.staff.lastPrune) >= h.staff.pruneInterval
	if due {
		h.staff.lastPrune = time.Now()
	}
	h.staff.pruneMu.Unlock()
	if !due {
		return
	}
	if n, err := h.staff.accounts.PruneSessions(c.Request.Context()); err != nil {
		h.Log.Warn("prune sessions", "err", err)
	} else if n > 0 {
		h.Log.Info("expired sessions removed", "count", n)
	}
}
