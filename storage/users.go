package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"regexp"
	"sort"

	"gongkai/catalogue"
)

// Key layout of staff accounts. Users are keyed by their login name, which
// is restricted to characters safe in a key; sections by the SHA-256 of
// their Chinese name; sessions by the SHA-256 of the token, so the bearer
// token itself is never written anywhere.
const (
	usersPrefix    = "internal/users/"
	sectionsPrefix = "internal/sections/"
	sessionsPrefix = "internal/sessions/"
)

// Users keeps staff accounts, sections and sessions on a Bucket. It
// implements catalogue.UserStore and catalogue.SessionStore.
type Users struct {
	b Bucket
}

// NewUsers returns the account store kept on b.
func NewUsers(b Bucket) *Users { return &Users{b: b} }

var (
	_ catalogue.UserStore    = (*Users)(nil)
	_ catalogue.SessionStore = (*Users)(nil)
)

func userKey(name string) string { return usersPrefix + name + ".json" }

func sectionKey(name string) string {
	sum := sha256.Sum256([]byte(name))
	return sectionsPrefix + hex.EncodeToString(sum[:]) + ".json"
}

var validTokenHash = regexp.MustCompile(`^[0-9a-f]{64}$`)

func sessionKey(hash string) string { return sessionsPrefix + hash + ".json" }

// User implements catalogue.UserStore.
func (s *Users) User(ctx context.Context, name string) (*catalogue.User, error) {
	if catalogue.ValidateUserName(name) != nil {
		return nil, notFound("账号")
	}
	var u catalogue.User
	info, err := getJSON(ctx, s.b, userKey(name), &u)
	if errors.Is(err, ErrNotFound) {
		return nil, notFound("账号")
	}
	if err != nil {
		return nil, domainError("get user "+name, err)
	}
	u.Revision = info.ETag
	return &u, nil
}

// CreateUser implements catalogue.UserStore.
func (s *Users) CreateUser(ctx context.Context, u *catalogue.User) error {
	if err := catalogue.ValidateUserName(u.Name); err != nil {
		return err
	}
	info, err := putJSON(ctx, s.b, userKey(u.Name), u, PutOptions{IfAbsent: true})
	if errors.Is(err, ErrPrecondition) {
		return catalogue.Errorf(catalogue.ECONFLICT, "账号 %s 已存在", u.Name)
	}
	if err != nil {
		return domainError("create user "+u.Name, err)
	}
	u.Revision = info.ETag
	return nil
}

// UpdateUser implements catalogue.UserStore.
func (s *Users) UpdateUser(ctx context.Context, u *catalogue.User) error {
	if u.Revision == "" {
		return catalogue.Errorf(catalogue.EINTERNAL, "更新账号 %s 时缺少版本标记", u.Name)
	}
	if err := catalogue.ValidateUserName(u.Name); err != nil {
		return err
	}
	info, err := putJSON(ctx, s.b, userKey(u.Name), u, PutOptions{IfMatch: u.Revision})
	if errors.Is(err, ErrPrecondition) {
		return catalogue.WrapError(catalogue.ECONFLICT, "该账号已被他人修改，请刷新后重试", err)
	}
	if err != nil {
		return domainError("update user "+u.Name, err)
	}
	u.Revision = info.ETag
	return nil
}

// ListUsers implements catalogue.UserStore.
func (s *Users) ListUsers(ctx context.Context) ([]*catalogue.User, error) {
	var out []*catalogue.User
	err := listJSON(ctx, s.b, usersPrefix, func(info ObjectInfo, u *catalogue.User) error {
		u.Revision = info.ETag
		out = append(out, u)
		return nil
	})
	// Key order is not quite name order ("ab-c.json" < "ab.json").
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// Sections implements catalogue.UserStore.
func (s *Users) Sections(ctx context.Context) ([]catalogue.Section, error) {
	var out []catalogue.Section
	err := listJSON(ctx, s.b, sectionsPrefix, func(_ ObjectInfo, sec *catalogue.Section) error {
		out = append(out, *sec)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// CreateSection implements catalogue.UserStore.
func (s *Users) CreateSection(ctx context.Context, sec catalogue.Section) error {
	_, err := putJSON(ctx, s.b, sectionKey(sec.Name), sec, PutOptions{IfAbsent: true})
	if errors.Is(err, ErrPrecondition) {
		return catalogue.Errorf(catalogue.ECONFLICT, "科室“%s”已存在", sec.Name)
	}
	return domainError("create section", err)
}

// DeleteSection implements catalogue.UserStore.
func (s *Users) DeleteSection(ctx context.Context, name string) error {
	key := sectionKey(name)
	if _, err := s.b.Stat(ctx, key); errors.Is(err, ErrNotFound) {
		return notFound("科室")
	} else if err != nil {
		return domainError("stat section", err)
	}
	return domainError("delete section", s.b.Delete(ctx, key))
}

// Session implements catalogue.SessionStore.
func (s *Users) Session(ctx context.Context, hash string) (*catalogue.Session, error) {
	if !validTokenHash.MatchString(hash) {
		return nil, notFound("会话")
	}
	var sess catalogue.Session
	info, err := getJSON(ctx, s.b, sessionKey(hash), &sess)
	if errors.Is(err, ErrNotFound) {
		return nil, notFound("会话")
	}
	if err != nil {
		return nil, domainError("get session", err)
	}
	sess.Revision = info.ETag
	return &sess, nil
}

// CreateSession implements catalogue.SessionStore.
func (s *Users) CreateSession(ctx context.Context, sess *catalogue.Session) error {
	if !validTokenHash.MatchString(sess.TokenHash) {
		return catalogue.Errorf(catalogue.EINTERNAL, "会话标识不合法")
	}
	info, err := putJSON(ctx, s.b, sessionKey(sess.TokenHash), sess, PutOptions{IfAbsent: true})
	if err != nil {
		return domainError("create session", err)
	}
	sess.Revision = info.ETag
	return nil
}

// UpdateSession implements catalogue.SessionStore. A conditional write on a
// deleted session fails too, so a signed-out session is never revived.
func (s *Users) UpdateSession(ctx context.Context, sess *catalogue.Session) error {
	if !validTokenHash.MatchString(sess.TokenHash) || sess.Revision == "" {
		return catalogue.Errorf(catalogue.EINTERNAL, "会话标识不合法")
	}
	info, err := putJSON(ctx, s.b, sessionKey(sess.TokenHash), sess, PutOptions{IfMatch: sess.Revision})
	if err != nil {
		return domainError("update session", err)
	}
	sess.Revision = info.ETag
	return nil
}

// DeleteSession implements catalogue.SessionStore.
func (s *Users) DeleteSession(ctx context.Context, hash string) error {
	if !validTokenHash.MatchString(hash) {
		return nil
	}
	return domainError("delete session", s.b.Delete(ctx, sessionKey(hash)))
}

// DeleteSessions implements catalogue.SessionStore.
func (s *Users) DeleteSessions(ctx context.Context, match func(*catalogue.Session) bool) (int, error) {
	var doomed []string
	err := listJSON(ctx, s.b, sessionsPrefix, func(info ObjectInfo, sess *catalogue.Session) error {
		if match(sess) {
			doomed = append(doomed, info.Key)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for i, key := range doomed {
		if err := s.b.Delete(ctx, key); err != nil {
			return i, domainError("delete session", err)
		}
	}
	return len(doomed), nil
}
