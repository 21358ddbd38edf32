package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/catalogue"
)

// loginForm is the sign-in form as submitted, with its messages.
type loginForm struct {
	Name    string
	Next    string
	CSRF    string
	Errors  formErrors
	Message string // the form's own error: wrong credentials, too many attempts
	Notice  string // why the user is here: signed out, session ended
}

// Why the sign-in page was reached, as ?msg= codes: only these fixed texts
// are shown, so a link cannot put words of its own on our page.
var loginNotices = map[string]string{
	"signed_out": "您已安全退出。",
	"expired":    "登录已失效（超时、已退出、账号停用或密码已修改），请重新登录。",
}

// loginPage shows the sign-in form, or goes on to the staff side when the
// browser is signed in already.
func (h *Handler) loginPage(c *gin.Context) {
	next := adminReturn(c.Query("next"))
	if token, _ := c.Cookie(sessionCookie); token != "" {
		if _, _, err := h.staff.accounts.Resolve(c.Request.Context(), token); err == nil {
			c.Redirect(http.StatusSeeOther, next)
			return
		}
	}
	f := loginForm{Next: next, Errors: formErrors{}, Notice: loginNotices[c.Query("msg")]}
	h.renderLogin(c, http.StatusOK, f)
}

func (h *Handler) renderLogin(c *gin.Context, status int, f loginForm) {
	f.CSRF = h.loginToken(c)
	h.renderAdmin(c, status, "admin_login", "工作人员登录", "login", f)
}

// loginToken returns the CSRF token of the sign-in form, kept in a cookie
// of its own (double submit) since there is no session yet. SameSite=Strict
// and a path of /admin/login keep it to this one form.
func (h *Handler) loginToken(c *gin.Context) string {
	if v, err := c.Cookie(loginCookie); err == nil && len(v) == 43 {
		return v
	}
	v := catalogue.RandomToken(32)
	http.SetCookie(c.Writer, &http.Cookie{
		Name: loginCookie, Value: v, Path: "/admin/login", MaxAge: int((12 * time.Hour).Seconds()),
		HttpOnly: true, Secure: c.Request.TLS != nil, SameSite: http.SameSiteStrictMode,
	})
	return v
}

// loginSubmit signs in from the form and goes to the page asked for, or to
// the password page when an administrator has reset the password.
func (h *Handler) loginSubmit(c *gin.Context) {
	f := loginForm{Name: strings.TrimSpace(c.PostForm("name")), Next: adminReturn(c.PostForm("next")), Errors: formErrors{}}
	cookieToken, _ := c.Cookie(loginCookie)
	if h.staff.crossOrigin.Check(c.Request) != nil || !sameToken(c.PostForm(csrfField), cookieToken) {
		f.Message = "登录页面已过期，请重新输入后再提交。"
		h.renderLogin(c, http.StatusForbidden, f)
		return
	}
	password := c.PostForm("password")
	if f.Name == "" {
		f.Errors["name"] = "请填写账号名"
	}
	if password == "" {
		f.Errors["password"] = "请填写密码"
	}
	if len(f.Errors) > 0 {
		h.renderLogin(c, http.StatusBadRequest, f)
		return
	}
	token, s, u, err := h.signIn(c, f.Name, password)
	if err != nil {
		switch catalogue.ErrorCode(err) {
		case catalogue.EUNAUTHORIZED, catalogue.EFORBIDDEN, catalogue.ERATELIMIT:
			retryAfter(c, err)
			f.Message = catalogue.ErrorMessage(err)
			h.renderLogin(c, HTTPStatus(err), f)
		default:
			h.failPage(c, err)
		}
		return
	}
	h.setSessionCookie(c, token, s)
	next := f.Next
	if u.MustChangePassword {
		h.staff.flashes.add(s.TokenHash, flash{Text: "管理员已为您重置密码，请先设置一个只有您自己知道的新密码。"})
		next = "/admin/password"
	}
	c.Redirect(http.StatusSeeOther, next)
}

// logout ends the session and returns to the sign-in page.
func (h *Handler) logout(c *gin.Context) {
	st := currentStaff(c)
	if err := h.staff.accounts.EndSession(c.Request.Context(), st.Token); err != nil {
		h.failPage(c, err)
		return
	}
	h.Log.Info("signed out", "user", st.User.Name)
	clearSessionCookie(c)
	c.Redirect(http.StatusSeeOther, "/admin/login?msg=signed_out")
}
