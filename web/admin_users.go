package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"gongkai/catalogue"
)

// userForm is the account form (create or edit) as submitted.
type userForm struct {
	Name        string
	DisplayName string
	Role        catalogue.Role
	Section     string
	Errors      formErrors
}

func readUserForm(c *gin.Context) userForm {
	return userForm{
		Name:        catalogue.NormalizeUserName(c.PostForm("name")),
		DisplayName: strings.TrimSpace(c.PostForm("display_name")),
		Role:        catalogue.Role(c.PostForm("role")),
		Section:     strings.TrimSpace(c.PostForm("section")),
		Errors:      formErrors{},
	}
}

// check puts each field's rule violations next to the field.
func (f *userForm) check(withName bool) {
	if withName {
		_ = f.Errors.set("name", catalogue.ValidateUserName(f.Name))
	}
	_ = f.Errors.set("display_name", catalogue.ValidateDisplayName(f.DisplayName))
	if !f.Role.Valid() {
		f.Errors["role"] = "请选择角色"
	}
	_ = f.Errors.set("section", catalogue.ValidateRoleSection(f.Role, f.Section))
}

// sectionRow is a section with how many accounts belong to it.
type sectionRow struct {
	Name    string
	Members int
}

// usersData is the accounts page: the list, the new-account form and the
// sections.
type usersData struct {
	Users       []*catalogue.User
	Sections    []sectionRow
	Roles       []catalogue.Role
	New         userForm
	SectionName string
	SectionErr  string
}

func (h *Handler) loadUsersData(c *gin.Context) (*usersData, error) {
	ctx := c.Request.Context()
	users, err := h.Users.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	sections, err := h.Users.Sections(ctx)
	if err != nil {
		return nil, err
	}
	d := &usersData{Users: users, Roles: catalogue.Roles, New: userForm{Role: catalogue.RoleDrafter, Errors: formErrors{}}}
	members := map[string]int{}
	for _, u := range users {
		members[u.Section]++
	}
	for _, s := range sections {
		d.Sections = append(d.Sections, sectionRow{Name: s.Name, Members: members[s.Name]})
	}
	return d, nil
}

// usersPage lists the accounts and sections (administrators only).
func (h *Handler) usersPage(c *gin.Context) {
	d, err := h.loadUsersData(c)
	if err != nil {
		h.failPage(c, err)
		return
	}
	h.renderAdmin(c, http.StatusOK, "admin_users", "账号与科室", "users", d)
}

// userCreate adds an account from the form. Without a password one is made
// up and shown once on the next page.
func (h *Handler) userCreate(c *gin.Context) {
	f := readUserForm(c)
	password := c.PostForm("password")
	f.check(true)
	if password != "" {
		_ = f.Errors.set("password", catalogue.ValidatePassword(f.Name, password))
	}
	var u *catalogue.User
	var generated string
	status := http.StatusBadRequest
	if len(f.Errors) == 0 {
		var err error
		u, generated, err = h.staff.accounts.CreateUser(c.Request.Context(), catalogue.NewUser{
			Name: f.Name, DisplayName: f.DisplayName, Role: f.Role, Section: f.Section, Password: password,
		})
		if catalogue.ErrorCode(err) == catalogue.ECONFLICT {
			status = http.StatusConflict
		}
		if err := f.Errors.set("name", err); err != nil {
			h.failPage(c, err)
			return
		}
	}
	if len(f.Errors) > 0 {
		d, err := h.loadUsersData(c)
		if err != nil {
			h.failPage(c, err)
			return
		}
		d.New = f
		h.renderAdmin(c, status, "admin_users", "账号与科室", "users", d)
		return
	}
	h.Log.Info("account created", "user", u.Name, "role", u.Role, "by", currentStaff(c).User.Name)
	fl := flash{Text: "已创建账号 " + u.Name + "（" + u.Role.Label() + "）。"}
	if generated != "" {
		fl.Secret = generated
	}
	h.flash(c, fl)
	c.Redirect(http.StatusSeeOther, "/admin/users/"+u.Name)
}

// userData is one account's page: its details and the forms acting on it.
type userData struct {
	User     *catalogue.User
	Edit     userForm
	Roles    []catalogue.Role
	Sections []catalogue.Section
	Self     bool
}

func (h *Handler) loadUser(c *gin.Context) (*userData, error) {
	ctx := c.Request.Context()
	u, err := h.Users.User(ctx, c.Param("name"))
	if err != nil {
		return nil, err
	}
	sections, err := h.Users.Sections(ctx)
	if err != nil {
		return nil, err
	}
	// Keep the account's own section selectable even if it was deleted
	// from the list, so saving the form does not silently drop it.
	if u.Section != "" && !slices.ContainsFunc(sections, func(s catalogue.Section) bool { return s.Name == u.Section }) {
		sections = append(sections, catalogue.Section{Name: u.Section})
	}
	return &userData{
		User: u, Roles: catalogue.Roles, Sections: sections, Self: u.Name == currentStaff(c).User.Name,
		Edit: userForm{Name: u.Name, DisplayName: u.DisplayName, Role: u.Role, Section: u.Section, Errors: formErrors{}},
	}, nil
}

// userPage shows one account (administrators only).
func (h *Handler) userPage(c *gin.Context) {
	d, err := h.loadUser(c)
	if err != nil {
		h.failPage(c, err)
		return
	}
	h.renderAdmin(c, http.StatusOK, "admin_user", "账号 "+d.User.Name, "users", d)
}

// userEdit saves an account's display name, role and section.
func (h *Handler) userEdit(c *gin.Context) {
	d, err := h.loadUser(c)
	if err != nil {
		h.failPage(c, err)
		return
	}
	f := readUserForm(c)
	f.Name = d.User.Name
	f.check(false)
	if len(f.Errors) == 0 {
		_, err := h.staff.accounts.EditUser(c.Request.Context(), d.User.Name, catalogue.UserChange{
			DisplayName: f.DisplayName, Role: f.Role, Section: f.Section,
		})
		if err := f.Errors.set("role", err); err != nil {
			h.failPage(c, err)
			return
		}
	}
	if len(f.Errors) > 0 {
		d.Edit = f
		h.renderAdmin(c, http.StatusBadRequest, "admin_user", "账号 "+d.User.Name, "users", d)
		return
	}
	h.Log.Info("account edited", "user", d.User.Name, "role", f.Role, "section", f.Section, "by", currentStaff(c).User.Name)
	h.flash(c, flash{Text: "已保存账号 " + d.User.Name + " 的信息。"})
	c.Redirect(http.StatusSeeOther, "/admin/users/"+d.User.Name)
}

// userReset gives an account a new generated password, shown once.
func (h *Handler) userReset(c *gin.Context) {
	name := c.Param("name")
	pw, err := h.staff.accounts.ResetPassword(c.Request.Context(), name)
	if err != nil {
		h.actionFailed(c, name, err)
		return
	}
	h.Log.Info("password reset", "user", name, "by", currentStaff(c).User.Name)
	h.flash(c, flash{Text: "已重置账号 " + name + " 的密码，该账号的所有登录已失效；本人登录后须修改密码。", Secret: pw})
	c.Redirect(http.StatusSeeOther, "/admin/users/"+name)
}

func (h *Handler) userDisable(c *gin.Context) { h.setDisabled(c, true) }
func (h *Handler) userEnable(c *gin.Context)  { h.setDisabled(c, false) }

func (h *Handler) setDisabled(c *gin.Context, disabled bool) {
	name, actor := c.Param("name"), currentStaff(c).User.Name
	if err := h.staff.accounts.SetDisabled(c.Request.Context(), name, disabled, actor); err != nil {
		h.actionFailed(c, name, err)
		return
	}
	word := "启用"
	if disabled {
		word = "停用"
	}
	h.Log.Info("account disabled or enabled", "user", name, "disabled", disabled, "by", actor)
	h.flash(c, flash{Text: "已" + word + "账号 " + name + "。"})
	c.Redirect(http.StatusSeeOther, "/admin/users/"+name)
}

// actionFailed reports a refused button action on the account's page.
func (h *Handler) actionFailed(c *gin.Context, name string, err error) {
	switch catalogue.ErrorCode(err) {
	case catalogue.EINVALID, catalogue.ECONFLICT:
		h.flash(c, flash{Text: catalogue.ErrorMessage(err), Error: true})
		c.Redirect(http.StatusSeeOther, "/admin/users/"+name)
	default:
		h.failPage(c, err)
	}
}

// sectionCreate adds a section.
func (h *Handler) sectionCreate(c *gin.Context) {
	name := strings.TrimSpace(c.PostForm("section_name"))
	err := h.staff.accounts.CreateSection(c.Request.Context(), name)
	if err == nil {
		h.flash(c, flash{Text: "已添加科室“" + name + "”。"})
		c.Redirect(http.StatusSeeOther, "/admin/users#sections")
		return
	}
	if code := catalogue.ErrorCode(err); code != catalogue.EINVALID && code != catalogue.ECONFLICT {
		h.failPage(c, err)
		return
	}
	d, lerr := h.loadUsersData(c)
	if lerr != nil {
		h.failPage(c, lerr)
		return
	}
	d.SectionName, d.SectionErr = name, catalogue.ErrorMessage(err)
	h.renderAdmin(c, HTTPStatus(err), "admin_users", "账号与科室", "users", d)
}

// sectionDelete removes a section no account belongs to.
func (h *Handler) sectionDelete(c *gin.Context) {
	name := c.PostForm("section_name")
	if err := h.staff.accounts.DeleteSection(c.Request.Context(), name); err != nil {
		if code := catalogue.ErrorCode(err); code != catalogue.ECONFLICT && code != catalogue.ENOTFOUND {
			h.failPage(c, err)
			return
		}
		h.flash(c, flash{Text: catalogue.ErrorMessage(err), Error: true})
	} else {
		h.flash(c, flash{Text: "已删除科室“" + name + "”。"})
	}
	c.Redirect(http.StatusSeeOther, "/admin/users#sections")
}
