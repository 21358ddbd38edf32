package web

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/catalogue"
)

// adminView is what every staff page template receives: the page's data
// and who is signed in, with the CSRF token their forms carry.
type adminView struct {
	Title   string
	Site    siteInfo
	Prefs   prefs
	Path    string
	Asset   map[string]string
	Nav     string
	Staff   *catalogue.User // nil on the sign-in page
	IsAdmin bool
	CSRF    string
	Flash   []flash
	Data    any
	Version string
}

// render writes a staff page in the admin layout. Staff pages are never
// cached (noStore), unlike the public ones render serves.
func (h *Handler) renderAdmin(c *gin.Context, status int, page, title, nav string, data any) {
	v := adminView{
		Title: title, Site: h.site(), Prefs: readPrefs(c), Path: c.Request.URL.Path,
		Asset: h.assets.url, Nav: nav, Data: data, Version: h.Version,
	}
	if st := currentStaff(c); st != nil {
		v.Staff, v.IsAdmin, v.CSRF = st.User, st.User.Role == catalogue.RoleAdmin, st.Session.CSRF
		v.Flash = h.staff.flashes.take(st.Session.TokenHash)
	}
	h.writePage(c, status, page, v, "no-store")
}

// adminError shows an error in the admin layout and stops the request.
func (h *Handler) adminError(c *gin.Context, status int, err error) {
	if status >= 500 {
		h.Log.Error("request failed", "path", c.Request.URL.Path, "err", err)
	}
	title := "出错了"
	switch status {
	case http.StatusForbidden:
		title = "无权访问"
	case http.StatusNotFound:
		title = "页面不存在"
	case http.StatusConflict:
		title = "操作冲突"
	}
	h.renderAdmin(c, status, "admin_error", title, "", gin.H{"Status": status, "Message": catalogue.ErrorMessage(err)})
	c.Abort()
}

// failPage shows err on an admin page with the status its code maps to.
func (h *Handler) failPage(c *gin.Context, err error) { h.adminError(c, HTTPStatus(err), err) }

// formErrors are a form's messages by field name, shown next to each field
// and listed in a summary at the top.
type formErrors map[string]string

// fieldOrder is the order fields appear in the forms, so the error summary
// reads top to bottom like the form.
var fieldOrder = []string{"name", "display_name", "role", "section", "password", "current", "new", "confirm", "section_name"}

// fieldError is one entry of a form's error summary.
type fieldError struct{ Field, Message string }

// InOrder lists the errors in the order of the form's fields.
func (fe formErrors) InOrder() []fieldError {
	var out []fieldError
	for _, f := range fieldOrder {
		if m, ok := fe[f]; ok {
			out = append(out, fieldError{f, m})
		}
	}
	for f, m := range fe {
		if !slices.Contains(fieldOrder, f) {
			out = append(out, fieldError{f, m})
		}
	}
	return out
}

// formErrorsOf sorts the messages of err for a form whose fields are
// given in the order they appear: a message about one of them is shown next
// to it and listed in the summary; whatever is about none of them (or about
// no field, such as a conflict) is returned as the message about the form
// as a whole.
func formErrorsOf(err error, fields []string) (formErrors, []fieldError, string) {
	fe := formErrors{}
	if err == nil {
		return fe, nil, ""
	}
	var other []string
	for f, m := range catalogue.FieldErrors(err) {
		if slices.Contains(fields, f) {
			fe[f] = m
		} else {
			other = append(other, m)
		}
	}
	var list []fieldError
	for _, f := range fields {
		if m, ok := fe[f]; ok {
			list = append(list, fieldError{f, m})
		}
	}
	if len(list)+len(other) == 0 {
		return fe, nil, catalogue.ErrorMessage(err)
	}
	slices.Sort(other)
	return fe, list, strings.Join(other, "；")
}

// set records err against field; errors without a user-facing message
// (store failures) are not field errors and are returned instead.
func (fe formErrors) set(field string, err error) error {
	switch catalogue.ErrorCode(err) {
	case "":
		return nil
	case catalogue.EINVALID, catalogue.ECONFLICT, catalogue.EFORBIDDEN, catalogue.EUNAUTHORIZED, catalogue.ERATELIMIT, catalogue.ENOTFOUND:
		if _, ok := fe[field]; !ok {
			fe[field] = catalogue.ErrorMessage(err)
		}
		return nil
	}
	return err
}

// flash is a one-time message shown on the next staff page. Secret holds a
// generated password, shown this once and kept nowhere else.
type flash struct {
	Text   string
	Error  bool
	Secret string
}

// flashes keeps one-time messages in memory by session, for the page a
// form post redirects to. A restart loses them; a lost generated password
// is reset again.
type flashes struct {
	mu sync.Mutex
	m  map[string]*flashBox
}

type flashBox struct {
	at    time.Time
	items []flash
}

const flashTTL = 10 * time.Minute

func newFlashes() *flashes { return &flashes{m: map[string]*flashBox{}} }

func (f *flashes) add(session string, fl flash) {
	f.mu.Lock()
	defer f.mu.Unlock()
	now := time.Now()
	for k, b := range f.m {
		if now.Sub(b.at) > flashTTL {
			delete(f.m, k)
		}
	}
	b := f.m[session]
	if b == nil {
		b = &flashBox{}
		f.m[session] = b
	}
	b.at = now
	if len(b.items) < 10 {
		b.items = append(b.items, fl)
	}
}

func (f *flashes) take(session string) []flash {
	f.mu.Lock()
	defer f.mu.Unlock()
	b := f.m[session]
	delete(f.m, session)
	if b == nil || time.Since(b.at) > flashTTL {
		return nil
	}
	return b.items
}

// flash queues a message for the signed-in staff member's next page.
func (h *Handler) flash(c *gin.Context, fl flash) {
	if st := currentStaff(c); st != nil {
		h.staff.flashes.add(st.Session.TokenHash, fl)
	}
}

// staffHome is where a signed-in staff member lands.
const staffHome = "/admin"

// adminReturn accepts only a staff page as the place to return to after
// signing in, so the sign-in form cannot send people elsewhere.
func adminReturn(s string) string {
	s = localReturn(s)
	if s != staffHome && !strings.HasPrefix(s, staffHome+"/") || strings.HasPrefix(s, "/admin/login") || strings.HasPrefix(s, "/admin/logout") {
		return staffHome
	}
	return s
}
