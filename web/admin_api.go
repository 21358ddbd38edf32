package web

import (
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/catalogue"
)

// userJSON is an account as the admin API shows it: never the hash.
type userJSON struct {
	Name               string         `json:"name"`
	DisplayName        string         `json:"display_name,omitempty"`
	Role               catalogue.Role `json:"role"`
	RoleLabel          string         `json:"role_label"`
	Section            string         `json:"section,omitempty"`
	Disabled           bool           `json:"disabled"`
	MustChangePassword bool           `json:"must_change_password,omitempty"`
	CreatedAt          time.Time      `json:"created_at"`
	UpdatedAt          time.Time      `json:"updated_at"`
}

func toUserJSON(u *catalogue.User) userJSON {
	return userJSON{
		Name: u.Name, DisplayName: u.DisplayName, Role: u.Role, RoleLabel: u.Role.Label(), Section: u.Section,
		Disabled: u.Disabled, MustChangePassword: u.MustChangePassword, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt,
	}
}

// maxJSONBody bounds the small JSON bodies of the account API.
const maxJSONBody = 16 << 10

// bindJSON decodes a small JSON body into v. The content type is not
// insisted on, so simple clients work; what keeps other sites' pages from
// posting here is the cross-origin check and, for cookie sessions, the
// CSRF header.
func bindJSON(c *gin.Context, v any) error {
	if err := json.NewDecoder(io.LimitReader(c.Request.Body, maxJSONBody)).Decode(v); err != nil {
		return catalogue.WrapError(catalogue.EINVALID, "请求体应为 JSON 格式", err)
	}
	return nil
}

type loginRequest struct {
	Name     string `json:"name"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token     string    `json:"token"`
	CSRFToken string    `json:"csrf_token"`
	ExpiresAt time.Time `json:"expires_at"`
	User      userJSON  `json:"user"`
}

// apiLogin signs in with {"name", "password"}: 200 with the bearer token,
// the CSRF token for cookie-authenticated calls and the account, and the
// session cookie. 401 for a wrong name or password, 429 after too many.
func (h *Handler) apiLogin(c *gin.Context) {
	if h.staff.crossOrigin.Check(c.Request) != nil {
		h.fail(c, errCrossOrigin)
		return
	}
	var req loginRequest
	if err := bindJSON(c, &req); err != nil {
		h.fail(c, err)
		return
	}
	token, s, u, err := h.signIn(c, req.Name, req.Password)
	if err != nil {
		retryAfter(c, err)
		h.fail(c, err)
		return
	}
	h.setSessionCookie(c, token, s)
	c.JSON(http.StatusOK, loginResponse{Token: token, CSRFToken: s.CSRF, ExpiresAt: s.ExpiresAt, User: toUserJSON(u)})
}

// apiLogout ends the session: 204.
func (h *Handler) apiLogout(c *gin.Context) {
	st := currentStaff(c)
	if err := h.staff.accounts.EndSession(c.Request.Context(), st.Token); err != nil {
		h.fail(c, err)
		return
	}
	if !st.Bearer {
		clearSessionCookie(c)
	}
	c.Status(http.StatusNoContent)
}

// apiMe answers who is signed in, with the CSRF token cookie-authenticated
// calls need.
func (h *Handler) apiMe(c *gin.Context) {
	st := currentStaff(c)
	c.JSON(http.StatusOK, gin.H{"user": toUserJSON(st.User), "csrf_token": st.Session.CSRF, "expires_at": st.Session.ExpiresAt})
}

// apiUsers lists the accounts (administrators only).
func (h *Handler) apiUsers(c *gin.Context) {
	users, err := h.Users.ListUsers(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	out := make([]userJSON, len(users))
	for i, u := range users {
		out[i] = toUserJSON(u)
	}
	c.JSON(http.StatusOK, gin.H{"users": out})
}

type createUserRequest struct {
	Name        string         `json:"name"`
	DisplayName string         `json:"display_name"`
	Role        catalogue.Role `json:"role"`
	Section     string         `json:"section"`
	Password    string         `json:"password"` // "" makes one up
}

// apiCreateUser adds an account (administrators only): 201 with the account
// and, when none was given, the generated password, shown this once. 409 if
// the name is taken.
func (h *Handler) apiCreateUser(c *gin.Context) {
	var req createUserRequest
	if err := bindJSON(c, &req); err != nil {
		h.fail(c, err)
		return
	}
	u, generated, err := h.staff.accounts.CreateUser(c.Request.Context(), catalogue.NewUser{
		Name: req.Name, DisplayName: req.DisplayName, Role: req.Role, Section: req.Section, Password: req.Password,
	})
	if err != nil {
		h.fail(c, err)
		return
	}
	h.Log.Info("account created", "user", u.Name, "role", u.Role, "by", currentStaff(c).User.Name)
	body := gin.H{"user": toUserJSON(u)}
	if generated != "" {
		body["password"] = generated
	}
	c.JSON(http.StatusCreated, body)
}

type editUserRequest struct {
	DisplayName string         `json:"display_name"`
	Role        catalogue.Role `json:"role"`
	Section     string         `json:"section"`
}

// apiEditUser changes an account's name shown, role and section
// (administrators only): 200 with the account.
func (h *Handler) apiEditUser(c *gin.Context) {
	var req editUserRequest
	if err := bindJSON(c, &req); err != nil {
		h.fail(c, err)
		return
	}
	u, err := h.staff.accounts.EditUser(c.Request.Context(), c.Param("name"), catalogue.UserChange{
		DisplayName: req.DisplayName, Role: req.Role, Section: req.Section,
	})
	if err != nil {
		h.fail(c, err)
		return
	}
	h.Log.Info("account edited", "user", u.Name, "role", u.Role, "by", currentStaff(c).User.Name)
	c.JSON(http.StatusOK, gin.H{"user": toUserJSON(u)})
}

// apiUserAction disables, enables or resets the password of an account
// (administrators only). A reset answers the new password, shown once.
func (h *Handler) apiUserAction(c *gin.Context) {
	ctx, name, actor := c.Request.Context(), c.Param("name"), currentStaff(c).User.Name
	body := gin.H{}
	var err error
	switch c.Param("action") {
	case "disable", "enable":
		err = h.staff.accounts.SetDisabled(ctx, name, c.Param("action") == "disable", actor)
	case "reset-password":
		var pw string
		if pw, err = h.staff.accounts.ResetPassword(ctx, name); err == nil {
			body["password"] = pw
		}
	default:
		err = catalogue.Errorf(catalogue.ENOTFOUND, "未知的账号操作 %q（disable、enable 或 reset-password）", c.Param("action"))
	}
	if err != nil {
		h.fail(c, err)
		return
	}
	h.Log.Info("account action", "user", name, "action", c.Param("action"), "by", actor)
	u, err := h.Users.User(ctx, name)
	if err != nil {
		h.fail(c, err)
		return
	}
	body["user"] = toUserJSON(u)
	c.JSON(http.StatusOK, body)
}

// apiSections lists the sections with how many accounts each has.
func (h *Handler) apiSections(c *gin.Context) {
	secs, err := h.Users.Sections(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"sections": secs})
}

// apiCreateSection adds a section {"name"} (administrators only): 201.
func (h *Handler) apiCreateSection(c *gin.Context) {
	var req struct {
		Name string `json:"name"`
	}
	if err := bindJSON(c, &req); err != nil {
		h.fail(c, err)
		return
	}
	if err := h.staff.accounts.CreateSection(c.Request.Context(), req.Name); err != nil {
		h.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"name": req.Name})
}

// apiDeleteSection removes a section without accounts (administrators only): 204.
func (h *Handler) apiDeleteSection(c *gin.Context) {
	if err := h.staff.accounts.DeleteSection(c.Request.Context(), c.Param("name")); err != nil {
		h.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
