package catalogue

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"sync"
	"time"
)

// Session lifetimes: a session ends after 8 hours without use, and 12 hours
// after sign-in however busy, so a forgotten browser on a shared office
// machine does not stay signed in overnight.
const (
	DefaultIdleTimeout = 8 * time.Hour
	DefaultMaxAge      = 12 * time.Hour
	// touchEvery bounds how often a busy session's last use is written back:
	// once a minute is precise enough for an 8-hour idle limit.
	touchEvery = time.Minute
)

// ErrBadCredentials is the one answer to a failed sign-in, whether the
// account is unknown or the password wrong, so it does not tell which
// accounts exist.
var ErrBadCredentials = Errorf(EUNAUTHORIZED, "账号或密码不正确")

// Accounts carries out the staff account use cases: creating and editing
// accounts, signing in and out, and changing passwords.
type Accounts struct {
	Users    UserStore
	Sessions SessionStore
	Hasher   *PasswordHasher // nil: DefaultArgon2
	Now      func() time.Time
	// IdleTimeout and MaxAge end sessions; zero means the defaults.
	IdleTimeout time.Duration
	MaxAge      time.Duration

	hasherOnce    sync.Once
	defaultHasher *PasswordHasher
}

func (a *Accounts) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

func (a *Accounts) hasher() *PasswordHasher {
	if a.Hasher != nil {
		return a.Hasher
	}
	a.hasherOnce.Do(func() { a.defaultHasher = NewPasswordHasher(DefaultArgon2) })
	return a.defaultHasher
}

func (a *Accounts) idle() time.Duration {
	if a.IdleTimeout > 0 {
		return a.IdleTimeout
	}
	return DefaultIdleTimeout
}

// SessionMaxAge is how long a session lasts at most, for cookie lifetimes.
func (a *Accounts) SessionMaxAge() time.Duration {
	if a.MaxAge > 0 {
		return a.MaxAge
	}
	return DefaultMaxAge
}

// NewUser is what creating an account takes.
type NewUser struct {
	Name        string
	DisplayName string
	Role        Role
	Section     string
	// Password is the chosen password; "" makes one up, returned by
	// CreateUser to be shown once.
	Password string
}

// CreateUser adds an account. The section is added to the list of sections
// if it is new. Returns the account and the password made up for it, if
// any. EINVALID if a field breaks a rule, ECONFLICT if the name is taken.
func (a *Accounts) CreateUser(ctx context.Context, n NewUser) (*User, string, error) {
	now := a.now()
	u := &User{
		Name: NormalizeUserName(n.Name), DisplayName: n.DisplayName, Role: n.Role, Section: n.Section,
		CreatedAt: now, UpdatedAt: now, PasswordChangedAt: now, PasswordHash: "-",
	}
	if err := u.Validate(); err != nil {
		return nil, "", err
	}
	generated := ""
	if n.Password == "" {
		generated = GeneratePassword()
		n.Password = generated
	} else if err := ValidatePassword(u.Name, n.Password); err != nil {
		return nil, "", err
	}
	if _, err := a.Users.User(ctx, u.Name); err == nil {
		return nil, "", userExists(u.Name) // before the costly hash
	} else if ErrorCode(err) != ENOTFOUND {
		return nil, "", err
	}
	hash, err := a.hasher().Hash(ctx, n.Password)
	if err != nil {
		return nil, "", err
	}
	u.PasswordHash = hash
	if err := a.ensureSection(ctx, u.Section); err != nil {
		return nil, "", err
	}
	if err := a.Users.CreateUser(ctx, u); err != nil {
		if ErrorCode(err) == ECONFLICT {
			return nil, "", userExists(u.Name)
		}
		return nil, "", err
	}
	return u, generated, nil
}

func userExists(name string) error { return Errorf(ECONFLICT, "账号 %s 已存在", name) }

// ensureSection adds the section to the list unless it is there already.
func (a *Accounts) ensureSection(ctx context.Context, name string) error {
	if name == "" {
		return nil
	}
	err := a.Users.CreateSection(ctx, Section{Name: name, CreatedAt: a.now()})
	if ErrorCode(err) == ECONFLICT {
		return nil
	}
	return err
}

// CreateSection adds a section. EINVALID if the name breaks a rule,
// ECONFLICT if it exists.
func (a *Accounts) CreateSection(ctx context.Context, name string) error {
	if name == "" {
		return Errorf(EINVALID, "请填写科室名称")
	}
	if err := ValidateSection(name); err != nil {
		return err
	}
	err := a.Users.CreateSection(ctx, Section{Name: name, CreatedAt: a.now()})
	if ErrorCode(err) == ECONFLICT {
		return Errorf(ECONFLICT, "科室“%s”已存在", name)
	}
	return err
}

// DeleteSection removes a section nobody belongs to. ECONFLICT if an
// account still names it, ENOTFOUND if there is no such section.
func (a *Accounts) DeleteSection(ctx context.Context, name string) error {
	users, err := a.Users.ListUsers(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Section == name {
			return Errorf(ECONFLICT, "科室“%s”还有账号（如 %s），请先调整这些账号", name, u.Name)
		}
	}
	return a.Users.DeleteSection(ctx, name)
}

// Authenticate checks a name and password. ErrBadCredentials for an unknown
// account or a wrong password alike; EFORBIDDEN for a disabled account
// (said only to someone who knows its password).
func (a *Accounts) Authenticate(ctx context.Context, name, password string) (*User, error) {
	name = NormalizeUserName(name)
	if ValidateUserName(name) != nil || password == "" || len(password) > MaxPasswordBytes {
		a.hasher().VerifyNothing(ctx, password)
		return nil, ErrBadCredentials
	}
	u, err := a.Users.User(ctx, name)
	if ErrorCode(err) == ENOTFOUND {
		a.hasher().VerifyNothing(ctx, password)
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, err
	}
	ok, err := a.hasher().Verify(ctx, u.PasswordHash, password)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, WrapError(EINTERNAL, "账号数据有误，请联系系统管理员", err)
	}
	if !ok {
		return nil, ErrBadCredentials
	}
	if u.Disabled {
		return nil, Errorf(EFORBIDDEN, "该账号已停用，请联系系统管理员")
	}
	// Hashes made with older costs are upgraded while the password is at
	// hand; losing a race here only postpones the upgrade.
	if a.hasher().NeedsRehash(u.PasswordHash) {
		if hash, err := a.hasher().Hash(ctx, password); err == nil {
			up := *u
			up.PasswordHash = hash
			if a.Users.UpdateUser(ctx, &up) == nil {
				u = &up
			}
		}
	}
	return u, nil
}

// TokenHash returns the key a session token is stored under.
func TokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// StartSession signs u in and returns the bearer token, which is given to
// the client and never stored, and the session.
func (a *Accounts) StartSession(ctx context.Context, u *User, address string) (string, *Session, error) {
	now := a.now()
	token := RandomToken(32)
	s := &Session{
		TokenHash: TokenHash(token), User: u.Name, Role: u.Role, CSRF: RandomToken(32),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(a.SessionMaxAge()), Address: address,
	}
	if err := a.Sessions.CreateSession(ctx, s); err != nil {
		return "", nil, err
	}
	return token, s, nil
}

var (
	errNoSession      = Errorf(EUNAUTHORIZED, "请先登录")
	errSessionExpired = Errorf(EUNAUTHORIZED, "登录已过期，请重新登录")
)

// Resolve returns the session of a bearer token and its account as it is
// now. EUNAUTHORIZED if there is no such session, it has expired, the
// account is gone or disabled, or its password changed since sign-in; such
// a session is deleted.
func (a *Accounts) Resolve(ctx context.Context, token string) (*Session, *User, error) {
	if len(token) < 32 || len(token) > 128 {
		return nil, nil, errNoSession
	}
	hash := TokenHash(token)
	s, err := a.Sessions.Session(ctx, hash)
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil, errNoSession
	}
	if err != nil {
		return nil, nil, err
	}
	now := a.now()
	end := func(e error) (*Session, *User, error) {
		if err := a.Sessions.DeleteSession(ctx, hash); err != nil {
			return nil, nil, err
		}
		return nil, nil, e
	}
	if !now.Before(s.ExpiresAt) || !now.Before(s.LastSeenAt.Add(a.idle())) {
		return end(errSessionExpired)
	}
	u, err := a.Users.User(ctx, s.User)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return end(errNoSession)
	case err != nil:
		return nil, nil, err
	case u.Disabled:
		return end(Errorf(EUNAUTHORIZED, "该账号已停用，请联系系统管理员"))
	case s.CreatedAt.Before(u.PasswordChangedAt):
		return end(Errorf(EUNAUTHORIZED, "密码已更改，请重新登录"))
	}
	if now.Sub(s.LastSeenAt) >= touchEvery {
		s.LastSeenAt = now
		// Another request of the same session may have touched it first,
		// or the user signed out meanwhile: either way this one still
		// proceeds, and an expired session is refused next time.
		if err := a.Sessions.UpdateSession(ctx, s); err != nil {
			if c := ErrorCode(err); c != ECONFLICT && c != ENOTFOUND {
				return nil, nil, err
			}
		}
	}
	return s, u, nil
}

// EndSession signs out the session of token.
func (a *Accounts) EndSession(ctx context.Context, token string) error {
	return a.Sessions.DeleteSession(ctx, TokenHash(token))
}

// PruneSessions deletes expired sessions and returns how many.
func (a *Accounts) PruneSessions(ctx context.Context) (int, error) {
	now := a.now()
	return a.Sessions.DeleteSessions(ctx, func(s *Session) bool {
		return !now.Before(s.ExpiresAt) || !now.Before(s.LastSeenAt.Add(a.idle()))
	})
}

// ErrWrongPassword answers a password change whose current password is wrong.
var ErrWrongPassword = Errorf(EFORBIDDEN, "当前密码不正确")

// ChangePassword replaces name's password after checking the current one.
// Every session of the account started before ends, this one included: the
// caller starts a new one. EINVALID if the new password breaks a rule,
// ErrWrongPassword (EFORBIDDEN) if the current one is wrong, ECONFLICT if
// the account changed meanwhile (say, a second change at the same time).
func (a *Accounts) ChangePassword(ctx context.Context, name, current, next string) error {
	u, err := a.Users.User(ctx, name)
	if err != nil {
		return err
	}
	if err := ValidatePassword(u.Name, next); err != nil {
		return err
	}
	if current == next {
		return Errorf(EINVALID, "新密码不能与当前密码相同")
	}
	ok, err := a.hasher().Verify(ctx, u.PasswordHash, current)
	if err != nil {
		return WrapError(EINTERNAL, "账号数据有误，请联系系统管理员", err)
	}
	if !ok {
		return ErrWrongPassword
	}
	return a.setPassword(ctx, u, next, false)
}

// ResetPassword gives name a made-up password, returned to be shown once to
// the administrator, ends the account's sessions and asks the user to
// choose a new password at next sign-in.
func (a *Accounts) ResetPassword(ctx context.Context, name string) (string, error) {
	u, err := a.Users.User(ctx, name)
	if err != nil {
		return "", err
	}
	pw := GeneratePassword()
	return pw, a.setPassword(ctx, u, pw, true)
}

func (a *Accounts) setPassword(ctx context.Context, u *User, password string, mustChange bool) error {
	hash, err := a.hasher().Hash(ctx, password)
	if err != nil {
		return err
	}
	now := a.now()
	u.PasswordHash, u.PasswordChangedAt, u.UpdatedAt, u.MustChangePassword = hash, now, now, mustChange
	if err := a.Users.UpdateUser(ctx, u); err != nil {
		return err
	}
	a.dropSessions(ctx, u.Name, now)
	return nil
}

// dropSessions deletes the sessions of name started before t. Resolve
// refuses them anyway; this only tidies the store, so failures are ignored.
func (a *Accounts) dropSessions(ctx context.Context, name string, t time.Time) {
	_, _ = a.Sessions.DeleteSessions(ctx, func(s *Session) bool {
		return s.User == name && s.CreatedAt.Before(t)
	})
}

// UserChange is an administrator's edit of an account.
type UserChange struct {
	DisplayName string
	Role        Role
	Section     string
}

// EditUser changes an account's display name, role and section, as the
// administrator actor. EINVALID if the change breaks a rule or would leave
// no enabled administrator; ECONFLICT if the account changed meanwhile.
func (a *Accounts) EditUser(ctx context.Context, name string, ch UserChange) (*User, error) {
	u, err := a.Users.User(ctx, name)
	if err != nil {
		return nil, err
	}
	next := *u
	next.DisplayName, next.Role, next.Section = ch.DisplayName, ch.Role, ch.Section
	if err := next.Validate(); err != nil {
		return nil, err
	}
	if u.Role == RoleAdmin && next.Role != RoleAdmin && !u.Disabled {
		if err := a.keepAnAdmin(ctx, u.Name); err != nil {
			return nil, err
		}
	}
	if err := a.ensureSection(ctx, next.Section); err != nil {
		return nil, err
	}
	next.UpdatedAt = a.now()
	if err := a.Users.UpdateUser(ctx, &next); err != nil {
		return nil, err
	}
	return &next, nil
}

// SetDisabled disables or re-enables name's account, as the administrator
// actor. Disabling ends its sessions. EINVALID for one's own account or the
// last enabled administrator; ECONFLICT if the account changed meanwhile.
func (a *Accounts) SetDisabled(ctx context.Context, name string, disabled bool, actor string) error {
	if disabled && name == actor {
		return Errorf(EINVALID, "不能停用自己的账号")
	}
	u, err := a.Users.User(ctx, name)
	if err != nil {
		return err
	}
	if u.Disabled == disabled {
		return nil
	}
	if disabled && u.Role == RoleAdmin {
		if err := a.keepAnAdmin(ctx, u.Name); err != nil {
			return err
		}
	}
	now := a.now()
	u.Disabled, u.UpdatedAt = disabled, now
	if err := a.Users.UpdateUser(ctx, u); err != nil {
		return err
	}
	if disabled {
		a.dropSessions(ctx, u.Name, now.Add(time.Nanosecond))
	}
	return nil
}

// keepAnAdmin refuses a change that would leave no enabled administrator
// besides name, since nobody could then manage accounts from the web.
func (a *Accounts) keepAnAdmin(ctx context.Context, name string) error {
	users, err := a.Users.ListUsers(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Name != name && u.Role == RoleAdmin && !u.Disabled {
			return nil
		}
	}
	return Errorf(EINVALID, "至少要保留一个启用的系统管理员账号")
}

// IsCredentialsError reports whether err is the answer to a wrong name or
// password, which counts towards the sign-in attempt limit.
func IsCredentialsError(err error) bool {
	return errors.Is(err, ErrBadCredentials) || errors.Is(err, ErrWrongPassword)
}
