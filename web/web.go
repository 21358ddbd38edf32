// Package web serves gongkai over HTTP with Gin: the public pages and JSON
// API, the reading-room kiosk and the staff side. Gin stays inside this
// package; every route is listed in routes.go.
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/catalogue"
	"gongkai/search"
)

// Deps are what the handlers need. Public handlers only ever use Public and
// PublicIndex: the public projection and its index, which hold nothing that
// is not public.
type Deps struct {
	Public      catalogue.PublicReader
	PublicIndex *search.Index
	// StaffIndex holds every entry, for staff search and the dashboard. It
	// is never handed to a public handler.
	StaffIndex *search.Index
	Service    *catalogue.Service
	// SaveCalendar stores the working-day calendar after an administrator
	// edits it.
	SaveCalendar func(context.Context, *catalogue.Calendar) error
	// Applications handles applications for disclosure; Reports keeps the
	// staff-entered parts of annual reports. Without them there is no
	// /apply and no /reports.
	Applications *catalogue.ApplicationService
	Reports      catalogue.ReportStore
	// Ready reports whether the store and indexes can serve (for /readyz).
	Ready       func(context.Context) error
	Log         *slog.Logger
	Version     string
	Attribution string

	// Users and Sessions are the staff accounts and their sessions; without
	// them the site has no staff side (a public-only copy).
	Users    catalogue.UserStore
	Sessions catalogue.SessionStore
	// Passwords hashes staff passwords; nil uses catalogue.DefaultArgon2.
	Passwords *catalogue.PasswordHasher
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client, for sign-in limits and logs; none by default, since
	// anyone can send that header.
	TrustedProxies []string
	// BaseURL is the public site's address for absolute links (feeds,
	// sitemap, exports, QR codes); empty: the address requests come to.
	BaseURL string
}

// Handler holds the dependencies of every route.
type Handler struct {
	Deps
	engine *gin.Engine
	pages  *pages
	assets *assets
	staff  *staffSide // nil without an account store

	applyLimiter *attemptLimiter
	reportCache  sync.Map // year → cachedReport
}

// New returns the HTTP handler of the whole site, with its templates and
// assets parsed once.
func New(d Deps) (*Handler, error) {
	gin.SetMode(gin.ReleaseMode)
	if d.Log == nil {
		d.Log = slog.Default()
	}
	h := &Handler{Deps: d, engine: gin.New(), applyLimiter: newAttemptLimiter(applyLimit, applyWindow)}
	var err error
	if h.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if h.pages, err = loadPages(h.templateFuncs()); err != nil {
		return nil, err
	}
	h.engine.HandleMethodNotAllowed = true
	if err := h.engine.SetTrustedProxies(d.TrustedProxies); err != nil {
		return nil, fmt.Errorf("web: trusted proxies: %w", err)
	}
	h.engine.Use(h.recoverer(), h.accessLog(), securityHeaders())
	h.routes()
	return h, nil
}

// ServeHTTP implements http.Handler.
// HEAD is answered as GET: net/http writes the headers and drops the body.
// The router is given a copy that says GET, since net/http decides from its
// own request whether to drop the body; changing that one would send the
// body, which the client then reads as the start of its next response.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodHead {
		r = r.WithContext(context.WithValue(r.Context(), headRequest{}, true))
		r.Method = http.MethodGet
	}
	h.engine.ServeHTTP(w, r)
}

// headRequest marks, in a request's context, a HEAD that ServeHTTP routes
// as a GET, for a handler that would otherwise read a body only to have
// it dropped (a download).
type headRequest struct{}

// asSent returns r with the method it was sent with.
func asSent(r *http.Request) *http.Request {
	if head, _ := r.Context().Value(headRequest{}).(bool); head {
		r = r.Clone(r.Context())
		r.Method = http.MethodHead
	}
	return r
}

func (h *Handler) accessLog() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		level := slog.LevelInfo
		if c.Writer.Status() >= 500 {
			level = slog.LevelError
		}
		h.Log.Log(c.Request.Context(), level, "http",
			"method", c.Request.Method, "path", c.Request.URL.Path,
			"status", c.Writer.Status(), "bytes", c.Writer.Size(),
			"took", time.Since(start).Round(time.Microsecond), "remote", c.ClientIP())
	}
}

// recoverer turns a panic into a logged 500 with the usual error body.
func (h *Handler) recoverer() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if v := recover(); v != nil {
				h.Log.Error("panic serving request", "path", c.Request.URL.Path, "panic", v)
				h.fail(c, catalogue.Errorf(catalogue.EINTERNAL, "服务器内部错误，请稍后再试。"))
				c.Abort()
			}
		}()
		c.Next()
	}
}

func securityHeaders() gin.HandlerFunc {
	return func(c *gin.Context) {
		hd := c.Writer.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		c.Next()
	}
}
