package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/catalogue"
)

// roleDuties says what each role does in the review chain (DOMAIN.md).
var roleDuties = map[catalogue.Role]string{
	catalogue.RoleDrafter:      "拟稿人负责起草本科室的公开条目，并提出公开属性（主动公开、依申请公开或不予公开，不予公开须说明理由）。",
	catalogue.RoleSectionChief: "科室负责人审核本科室拟稿人提交的条目及其公开属性。",
	catalogue.RoleLeader:       "分管领导决定条目的公开属性；拿不准时可送公开办进行保密审查。",
	catalogue.RoleOffice:       "公开办负责保密审查、公文类信息的发布与撤回、维护公开目录和编制年度报告。",
	catalogue.RoleAdmin:        "系统管理员负责账号、科室、系统设置和工作日历。",
}

// clock formats a time for staff pages, in China Standard Time.
func clock(t time.Time) string { return t.In(chinaTime).Format("2006年1月2日 15:04") }

// passwordForm is the change-password form's messages (passwords are never
// sent back into the page).
type passwordForm struct {
	Errors  formErrors
	Message string
}

func (h *Handler) passwordPage(c *gin.Context) {
	h.renderAdmin(c, http.StatusOK, "admin_password", "修改密码", "password", passwordForm{Errors: formErrors{}})
}

// passwordSubmit changes the signed-in user's password. Every session of
// the account ends, so a new one is started for this browser. Wrong
// current passwords count towards the sign-in limits: a session left open
// must not become a way to guess the password.
func (h *Handler) passwordSubmit(c *gin.Context) {
	st := currentStaff(c)
	ctx := c.Request.Context()
	current, next, confirm := c.PostForm("current"), c.PostForm("new"), c.PostForm("confirm")
	f := passwordForm{Errors: formErrors{}}
	if current == "" {
		f.Errors["current"] = "请填写当前密码"
	}
	if err := f.Errors.set("new", catalogue.ValidatePassword(st.User.Name, next)); err != nil {
		h.failPage(c, err)
		return
	}
	if confirm != next {
		f.Errors["confirm"] = "两次输入的新密码不一致"
	}
	if len(f.Errors) > 0 {
		h.renderAdmin(c, http.StatusBadRequest, "admin_password", "修改密码", "password", f)
		return
	}
	account, addr := "u:"+st.User.Name, c.ClientIP()
	if err := h.checkLimits(account, addr); err != nil {
		retryAfter(c, err)
		f.Errors["current"] = catalogue.ErrorMessage(err)
		h.renderAdmin(c, http.StatusTooManyRequests, "admin_password", "修改密码", "password", f)
		return
	}
	err := h.staff.accounts.ChangePassword(ctx, st.User.Name, current, next)
	switch {
	case err == nil:
	case catalogue.IsCredentialsError(err):
		h.staff.accountLimit.fail(account)
		h.staff.addressLimit.fail(addr)
		f.Errors["current"] = catalogue.ErrorMessage(err)
	case catalogue.ErrorCode(err) == catalogue.EINVALID:
		f.Errors["new"] = catalogue.ErrorMessage(err)
	case catalogue.ErrorCode(err) == catalogue.ECONFLICT:
		f.Message = "账号信息刚刚被修改（可能在另一处同时修改了密码），请重新操作。"
	default:
		h.failPage(c, err)
		return
	}
	if err != nil {
		h.renderAdmin(c, HTTPStatus(err), "admin_password", "修改密码", "password", f)
		return
	}
	h.Log.Info("password changed", "user", st.User.Name)
	token, s, err := h.staff.accounts.StartSession(ctx, st.User, addr)
	if err != nil {
		clearSessionCookie(c)
		c.Redirect(http.StatusSeeOther, "/admin/login?msg=expired")
		return
	}
	h.setSessionCookie(c, token, s)
	h.staff.flashes.add(s.TokenHash, flash{Text: "密码已修改。其他设备上的登录已全部失效。"})
	c.Redirect(http.StatusSeeOther, staffHome)
}
