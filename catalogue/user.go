package catalogue

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Role is what a staff account may do in the review chain (DOMAIN.md).
type Role string

// The staff roles of CONTRACT.md.
const (
	RoleDrafter      Role = "drafter"       // 拟稿人: drafts entries and proposes their attribute
	RoleSectionChief Role = "section_chief" // 科室负责人: reviews the section's drafts
	RoleLeader       Role = "leader"        // 分管领导: decides the attribute
	RoleOffice       Role = "office"        // 公开办: secrecy review, publishing, withdrawal, catalogue, reports
	RoleAdmin        Role = "admin"         // 系统管理员: accounts, settings, calendar
)

// Roles lists every role in the order of the review chain, for forms.
var Roles = []Role{RoleDrafter, RoleSectionChief, RoleLeader, RoleOffice, RoleAdmin}

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool {
	switch r {
	case RoleDrafter, RoleSectionChief, RoleLeader, RoleOffice, RoleAdmin:
		return true
	}
	return false
}

// Label returns the Chinese name of the role.
func (r Role) Label() string {
	switch r {
	case RoleDrafter:
		return "拟稿人"
	case RoleSectionChief:
		return "科室负责人"
	case RoleLeader:
		return "分管领导"
	case RoleOffice:
		return "公开办"
	case RoleAdmin:
		return "系统管理员"
	case "import":
		return "导入" // the audit trail of an imported entry
	case "system":
		return "系统"
	}
	return string(r)
}

// NeedsSection reports whether accounts of this role must belong to a
// section: drafters and section chiefs work on their section's entries.
func (r Role) NeedsSection() bool { return r == RoleDrafter || r == RoleSectionChief }

// Limits on account fields.
const (
	MinUserNameLen    = 2
	MaxUserNameLen    = 32
	MaxDisplayRunes   = 40
	MaxSectionRunes   = 40
	MinPasswordRunes  = 10
	MaxPasswordBytes  = 256 // bounds the hashing work an attacker can ask for
	GeneratedPassword = 16  // length of passwords the system makes up
)

// User is a staff account.
type User struct {
	Name        string `json:"name"` // the login name: lower-case ASCII, never changes
	DisplayName string `json:"display_name,omitempty"`
	Role        Role   `json:"role"`
	Section     string `json:"section,omitempty"` // 科室; required for drafters and section chiefs
	// PasswordHash is an argon2id PHC string; the password itself is never kept.
	PasswordHash string `json:"password_hash"`
	Disabled     bool   `json:"disabled,omitempty"`
	// MustChangePassword is set when an administrator resets the password,
	// so the user replaces the one the administrator has seen.
	MustChangePassword bool      `json:"must_change_password,omitempty"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
	// PasswordChangedAt ends every session started before it.
	PasswordChangedAt time.Time `json:"password_changed_at"`

	// Revision is the store's version tag of the record as read; an update
	// succeeds only if the record has not changed since. Not serialised.
	Revision string `json:"-"`
}

// Label is how the account is shown to people: the display name with the
// login name, or the login name alone.
func (u *User) Label() string {
	if u.DisplayName != "" {
		return u.DisplayName + "（" + u.Name + "）"
	}
	return u.Name
}

var userNameRE = regexp.MustCompile(`^[a-z][a-z0-9._-]*$`)

// NormalizeUserName is how a typed login name is looked up: names are kept
// in lower case so "Admin" and "admin" are one account.
func NormalizeUserName(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidateUserName checks a login name: 2–32 characters of lower-case
// letters, digits, '.', '_' and '-', starting with a letter. The name is part
// of object keys and URLs, so nothing else is allowed.
func ValidateUserName(name string) error {
	switch {
	case name == "":
		return Errorf(EINVALID, "请填写账号名")
	case len(name) < MinUserNameLen || len(name) > MaxUserNameLen:
		return Errorf(EINVALID, "账号名应为 %d 至 %d 个字符", MinUserNameLen, MaxUserNameLen)
	case !userNameRE.MatchString(name):
		return Errorf(EINVALID, "账号名只能使用小写英文字母、数字和 . _ -，并以字母开头")
	}
	return nil
}

// ValidateSection checks a section (科室) name; "" is allowed here and
// required or not by the role.
func ValidateSection(s string) error {
	switch {
	case s != strings.TrimSpace(s):
		return Errorf(EINVALID, "科室名称首尾不能有空格")
	case utf8.RuneCountInString(s) > MaxSectionRunes:
		return Errorf(EINVALID, "科室名称不能超过 %d 个字符", MaxSectionRunes)
	case strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) || r == '/' || r == '\\' }) >= 0:
		return Errorf(EINVALID, "科室名称不能包含斜杠或控制字符")
	}
	return nil
}

// ValidateDisplayName checks the optional name shown to people.
func ValidateDisplayName(s string) error {
	switch {
	case utf8.RuneCountInString(s) > MaxDisplayRunes:
		return Errorf(EINVALID, "姓名不能超过 %d 个字符", MaxDisplayRunes)
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return Errorf(EINVALID, "姓名不能包含控制字符")
	}
	return nil
}

// ValidateRoleSection checks that the role is known and that drafters and
// section chiefs name their section.
func ValidateRoleSection(r Role, section string) error {
	if !r.Valid() {
		return Errorf(EINVALID, "角色 %q 不正确，应为 drafter、section_chief、leader、office 或 admin", string(r))
	}
	if r.NeedsSection() && section == "" {
		return Errorf(EINVALID, "%s必须属于一个科室", r.Label())
	}
	return ValidateSection(section)
}

// ValidatePassword checks the minimum rules for a password chosen by a
// person: at least 10 characters, not containing the login name, not one
// character repeated.
func ValidatePassword(name, password string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case password == "":
		return Errorf(EINVALID, "请填写密码")
	case n < MinPasswordRunes:
		return Errorf(EINVALID, "密码至少需要 %d 个字符", MinPasswordRunes)
	case len(password) > MaxPasswordBytes:
		return Errorf(EINVALID, "密码不能超过 %d 个字节", MaxPasswordBytes)
	case !utf8.ValidString(password) || strings.IndexFunc(password, unicode.IsControl) >= 0:
		return Errorf(EINVALID, "密码不能包含控制字符")
	case containsName(password, name):
		return Errorf(EINVALID, "密码不能包含账号名")
	case strings.Count(password, string([]rune(password)[0])) == n:
		return Errorf(EINVALID, "密码不能由同一个字符重复组成")
	}
	return nil
}

// containsName reports whether the password is the login name or, for names
// long enough to matter, contains it, ignoring case.
func containsName(password, name string) bool {
	if name == "" {
		return false
	}
	p, n := strings.ToLower(password), strings.ToLower(name)
	return p == n || (len(n) >= 4 && strings.Contains(p, n))
}

// Validate checks every field of the account except the password hash.
func (u *User) Validate() error {
	if err := ValidateUserName(u.Name); err != nil {
		return err
	}
	if err := ValidateDisplayName(u.DisplayName); err != nil {
		return err
	}
	if err := ValidateRoleSection(u.Role, u.Section); err != nil {
		return err
	}
	if u.PasswordHash == "" {
		return Errorf(EINVALID, "账号 %s 没有设置密码", u.Name)
	}
	return nil
}

// Section is a 科室 of the agency; drafters and section chiefs belong to one.
type Section struct {
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// UserStore keeps staff accounts and the agency's sections. Implemented by
// storage.Users.
type UserStore interface {
	// User returns the account with its Revision set. ENOTFOUND if absent.
	User(ctx context.Context, name string) (*User, error)
	// CreateUser stores a new account and sets its Revision. ECONFLICT if an
	// account with that name exists; EINVALID if the name is malformed.
	CreateUser(ctx context.Context, u *User) error
	// UpdateUser replaces the account if it has not changed since
	// u.Revision was read, and sets the new Revision. ECONFLICT otherwise.
	UpdateUser(ctx context.Context, u *User) error
	// ListUsers returns every account in name order.
	ListUsers(ctx context.Context) ([]*User, error)

	// Sections returns every section in name order.
	Sections(ctx context.Context) ([]Section, error)
	// CreateSection adds a section. ECONFLICT if it exists.
	CreateSection(ctx context.Context, s Section) error
	// DeleteSection removes a section. ENOTFOUND if absent. Accounts that
	// name it keep their section: the caller checks there are none.
	DeleteSection(ctx context.Context, name string) error
}

// Session is a signed-in staff member. The bearer token is never stored:
// TokenHash is its SHA-256, so reading the store does not let anyone sign in.
type Session struct {
	TokenHash string `json:"token_hash"`
	User      string `json:"user"`
	Role      Role   `json:"role"` // the role at sign-in, for the log; requests use the account's current role
	// CSRF is the per-session token every state-changing form and
	// cookie-authenticated API call must carry.
	CSRF       string    `json:"csrf"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at"` // absolute end, however active the session is
	Address    string    `json:"address,omitempty"`

	Revision string `json:"-"`
}

// SessionStore keeps sessions, so they survive a restart and are shared by
// every process on the same store. Implemented by storage.Users.
type SessionStore interface {
	// Session returns the session stored under tokenHash, expired or not.
	// ENOTFOUND if absent.
	Session(ctx context.Context, tokenHash string) (*Session, error)
	// CreateSession stores a new session. ECONFLICT if one with that hash exists.
	CreateSession(ctx context.Context, s *Session) error
	// UpdateSession replaces the session if unchanged since s.Revision was
	// read. ECONFLICT if it changed or was deleted meanwhile.
	UpdateSession(ctx context.Context, s *Session) error
	// DeleteSession removes the session; deleting an absent one is no error.
	DeleteSession(ctx context.Context, tokenHash string) error
	// DeleteSessions removes every session for which match returns true and
	// returns how many it removed.
	DeleteSessions(ctx context.Context, match func(*Session) bool) (int, error)
}
