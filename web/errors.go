package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"gongkai/catalogue"
)

// statusOf maps each domain error code to its HTTP status.
var statusOf = map[string]int{
	catalogue.EINVALID:      http.StatusBadRequest,
	catalogue.EUNAUTHORIZED: http.StatusUnauthorized,
	catalogue.EFORBIDDEN:    http.StatusForbidden,
	catalogue.ENOTFOUND:     http.StatusNotFound,
	catalogue.ECONFLICT:     http.StatusConflict,
	catalogue.EGONE:         http.StatusGone,
	catalogue.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	catalogue.ERATELIMIT:    http.StatusTooManyRequests,
	catalogue.EUNAVAILABLE:  http.StatusServiceUnavailable,
	catalogue.EINTERNAL:     http.StatusInternalServerError,
}

// HTTPStatus returns the status for err's code.
func HTTPStatus(err error) int {
	if s, ok := statusOf[catalogue.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		// Fields holds every problem found with the input, by field name
		// (title, formed_at, …), where message gives only the first: a
		// client can show each beside its field, as the staff forms do.
		Fields map[string]string `json:"fields,omitempty"`
	} `json:"error"`
}

// fail answers with err: JSON for API paths, an HTML error page otherwise.
// Internal errors are logged with their cause; the user sees the message only.
func (h *Handler) fail(c *gin.Context, err error) {
	status := HTTPStatus(err)
	code := catalogue.ErrorCode(err)
	if status >= 500 {
		h.Log.Error("request failed", "path", c.Request.URL.Path, "code", code, "err", err)
	}
	var body errorBody
	body.Error.Code = code
	body.Error.Message = catalogue.ErrorMessage(err)
	body.Error.Fields = catalogue.FieldErrors(err) // left out when empty
	if code == catalogue.EUNAVAILABLE {
		c.Header("Retry-After", "30")
	}
	if isAPI(c) {
		c.AbortWithStatusJSON(status, body)
		return
	}
	h.errorPage(c, status, body.Error.Message)
}

func isAPI(c *gin.Context) bool {
	p := c.Request.URL.Path
	return strings.HasPrefix(p, "/api/") || p == "/healthz" || p == "/readyz"
}

var errNoRoute = catalogue.Errorf(catalogue.ENOTFOUND, "页面不存在")

func (h *Handler) noRoute(c *gin.Context) {
	// The parts of a large sitemap, /sitemap-{n}.xml, are not expressible
	// as a route pattern.
	if p := c.Request.URL.Path; c.Request.Method == http.MethodGet && strings.HasPrefix(p, "/sitemap-") && strings.HasSuffix(p, ".xml") && h.PublicIndex != nil {
		h.sitemapPage(c)
		return
	}
	// A mistyped kiosk address stays in the kiosk: its layout, its script
	// (no way out, the idle reset) and its way back to the start screen.
	if inKioskPath(c) {
		h.kioskError(c, errNoRoute)
		return
	}
	h.fail(c, errNoRoute)
}

// inKioskPath reports whether the request is for a kiosk page.
func inKioskPath(c *gin.Context) bool {
	p := c.Request.URL.Path
	return p == "/kiosk" || strings.HasPrefix(p, "/kiosk/")
}

// noMethod answers 405: the path exists, but not for this method.
func (h *Handler) noMethod(c *gin.Context) {
	const msg = "不支持该请求方法"
	if isAPI(c) {
		var body errorBody
		body.Error.Code, body.Error.Message = "method_not_allowed", msg
		c.AbortWithStatusJSON(http.StatusMethodNotAllowed, body)
		return
	}
	if inKioskPath(c) {
		h.renderKiosk(c, http.StatusMethodNotAllowed, "kiosk_error", "出错了", gin.H{"Message": msg})
		c.Abort()
		return
	}
	h.errorPage(c, http.StatusMethodNotAllowed, msg)
}
