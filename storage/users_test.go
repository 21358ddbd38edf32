package storage_test

import (
	"bytes"
	"context"
	"io"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gongkai/catalogue"
	"gongkai/storage"
)

// cheapHasher keeps the account tests fast: the same argon2id code with a
// tiny cost.
var cheapHasher = catalogue.NewPasswordHasher(catalogue.Argon2Params{Time: 1, Memory: 64, Threads: 1})

// testClock is a settable clock for session expiry.
type testClock struct{ ns atomic.Int64 }

func newTestClock() *testClock {
	c := &testClock{}
	c.ns.Store(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC).UnixNano())
	return c
}
func (c *testClock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *testClock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

// MustAccounts returns the account use cases over a fresh store on b, with
// a cheap hasher and the given clock.
func MustAccounts(t *testing.T, b storage.Bucket, clock *testClock) (*catalogue.Accounts, *storage.Users) {
	t.Helper()
	u := storage.NewUsers(b)
	return &catalogue.Accounts{Users: u, Sessions: u, Hasher: cheapHasher, Now: clock.Now}, u
}

// MustCreateUser adds an account with the given password.
func MustCreateUser(t *testing.T, a *catalogue.Accounts, name string, role catalogue.Role, section, password string) *catalogue.User {
	t.Helper()
	u, _, err := a.CreateUser(context.Background(), catalogue.NewUser{Name: name, Role: role, Section: section, Password: password})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

const testPassword = "correct horse battery"

func TestUsers(t *testing.T) {
	forEachProvider(t, func(t *testing.T, newBucket func(t *testing.T) storage.Bucket) {
		ctx := context.Background()

		t.Run("UserRoundTripAndListInNameOrder", func(t *testing.T) {
			a, store := MustAccounts(t, newBucket(t), newTestClock())
			for _, n := range []string{"zhao", "ab.c", "ab", "ab-c"} {
				MustCreateUser(t, a, n, catalogue.RoleDrafter, "综合科", testPassword)
			}
			u, err := store.User(ctx, "ab-c")
			if err != nil {
				t.Fatal(err)
			}
			if u.Role != catalogue.RoleDrafter || u.Section != "综合科" || u.Revision == "" || u.PasswordHash == "" {
				t.Fatalf("read back %+v", u)
			}
			users, err := store.ListUsers(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, u := range users {
				names = append(names, u.Name)
			}
			if want := "ab ab-c ab.c zhao"; joinSpace(names) != want {
				t.Errorf("ListUsers = %v, want %s", names, want)
			}
			sections, _ := store.Sections(ctx)
			if len(sections) != 1 || sections[0].Name != "综合科" {
				t.Errorf("sections = %+v, want the one section the accounts named", sections)
			}
		})

		t.Run("ErrConflictOnSecondCreate", func(t *testing.T) {
			a, store := MustAccounts(t, newBucket(t), newTestClock())
			MustCreateUser(t, a, "wang", catalogue.RoleLeader, "", testPassword)
			_, _, err := a.CreateUser(ctx, catalogue.NewUser{Name: "Wang", Role: catalogue.RoleAdmin, Password: "another password 1"})
			if catalogue.ErrorCode(err) != catalogue.ECONFLICT {
				t.Fatalf("second create = %v, want ECONFLICT", err)
			}
			// The store itself refuses too, for a racing create that passed the check.
			err = store.CreateUser(ctx, &catalogue.User{Name: "wang", Role: catalogue.RoleAdmin, PasswordHash: "x"})
			if catalogue.ErrorCode(err) != catalogue.ECONFLICT {
				t.Fatalf("store create over an account = %v, want ECONFLICT", err)
			}
			u, _ := store.User(ctx, "wang")
			if u.Role != catalogue.RoleLeader {
				t.Errorf("the losing create changed the account: %+v", u)
			}
		})

		t.Run("ErrNotFoundForUnknownOrMalformedName", func(t *testing.T) {
			store := storage.NewUsers(newBucket(t))
			for _, n := range []string{"nobody", "../entries/x", "Admin", "", "a/b"} {
				if _, err := store.User(ctx, n); catalogue.ErrorCode(err) != catalogue.ENOTFOUND {
					t.Errorf("User(%q) = %v, want ENOTFOUND", n, err)
				}
			}
		})

		t.Run("ExactlyOneConcurrentPasswordChangeWins", func(t *testing.T) {
			a, store := MustAccounts(t, newBucket(t), newTestClock())
			MustCreateUser(t, a, "zhang", catalogue.RoleDrafter, "综合科", testPassword)
			news := []string{"first new password", "second new password", "third new password"}
			errs := make([]error, len(news))
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i, pw := range news {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					errs[i] = a.ChangePassword(ctx, "zhang", testPassword, pw)
				}()
			}
			close(start)
			wg.Wait()
			winner := -1
			for i, err := range errs {
				switch {
				case err == nil && winner >= 0:
					t.Fatalf("changes %d and %d both succeeded", winner, i)
				case err == nil:
					winner = i
				// The loser either lost the conditional write, or read the
				// account after the winner and no longer knows the password.
				case catalogue.ErrorCode(err) != catalogue.ECONFLICT && err != catalogue.ErrWrongPassword:
					t.Fatalf("change %d: %v", i, err)
				}
			}
			if winner < 0 {
				t.Fatal("no change succeeded")
			}
			u, _ := store.User(ctx, "zhang")
			for i, pw := range news {
				ok, _ := cheapHasher.Verify(ctx, u.PasswordHash, pw)
				if ok != (i == winner) {
					t.Errorf("password %d matches = %v; winner was %d", i, ok, winner)
				}
			}
		})

		t.Run("SessionsKeyedByTokenHash", func(t *testing.T) {
			b := newBucket(t)
			a, _ := MustAccounts(t, b, newTestClock())
			u := MustCreateUser(t, a, "li", catalogue.RoleOffice, "", testPassword)
			token, s, err := a.StartSession(ctx, u, "192.0.2.1")
			if err != nil {
				t.Fatal(err)
			}
			if s.TokenHash != catalogue.TokenHash(token) || s.CSRF == "" || s.CSRF == token {
				t.Fatalf("session %+v", s)
			}
			// Nothing in the store holds the token itself.
			err = b.List(ctx, "", func(info storage.ObjectInfo) error {
				rc, _, err := b.Get(ctx, info.Key)
				if err != nil {
					return err
				}
				defer rc.Close()
				data, _ := io.ReadAll(rc)
				if bytes.Contains([]byte(info.Key), []byte(token)) || bytes.Contains(data, []byte(token)) {
					t.Errorf("%s holds the bearer token", info.Key)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			got, gotUser, err := a.Resolve(ctx, token)
			if err != nil || got.User != "li" || gotUser.Role != catalogue.RoleOffice {
				t.Fatalf("Resolve = %+v, %+v, %v", got, gotUser, err)
			}
			if err := a.EndSession(ctx, token); err != nil {
				t.Fatal(err)
			}
			if _, _, err := a.Resolve(ctx, token); catalogue.ErrorCode(err) != catalogue.EUNAUTHORIZED {
				t.Fatalf("Resolve after sign-out = %v, want EUNAUTHORIZED", err)
			}
		})

		t.Run("ExpiredSessionRefusedAndDeleted", func(t *testing.T) {
			clock := newTestClock()
			a, store := MustAccounts(t, newBucket(t), clock)
			u := MustCreateUser(t, a, "li", catalogue.RoleOffice, "", testPassword)

			idle, _, _ := a.StartSession(ctx, u, "")
			busy, busySession, _ := a.StartSession(ctx, u, "")
			// The busy session is used every hour; the idle one is not.
			for range 7 {
				clock.Advance(time.Hour)
				if _, _, err := a.Resolve(ctx, busy); err != nil {
					t.Fatalf("busy session refused after activity: %v", err)
				}
			}
			clock.Advance(time.Hour + time.Minute) // 8 h 1 min since sign-in
			if _, _, err := a.Resolve(ctx, idle); catalogue.ErrorCode(err) != catalogue.EUNAUTHORIZED {
				t.Fatalf("idle session after 8 h = %v, want EUNAUTHORIZED", err)
			}
			if _, err := store.Session(ctx, catalogue.TokenHash(idle)); catalogue.ErrorCode(err) != catalogue.ENOTFOUND {
				t.Errorf("expired session still stored: %v", err)
			}
			if _, _, err := a.Resolve(ctx, busy); err != nil {
				t.Fatalf("busy session refused before 12 h: %v", err)
			}
			clock.Advance(4 * time.Hour) // past the absolute 12 h
			if _, _, err := a.Resolve(ctx, busy); catalogue.ErrorCode(err) != catalogue.EUNAUTHORIZED {
				t.Fatalf("session after 12 h = %v, want EUNAUTHORIZED", err)
			}
			if _, err := store.Session(ctx, busySession.TokenHash); catalogue.ErrorCode(err) != catalogue.ENOTFOUND {
				t.Errorf("expired session still stored: %v", err)
			}
		})

		t.Run("PruneRemovesOnlyExpiredSessions", func(t *testing.T) {
			clock := newTestClock()
			a, _ := MustAccounts(t, newBucket(t), clock)
			u := MustCreateUser(t, a, "li", catalogue.RoleOffice, "", testPassword)
			old, _, _ := a.StartSession(ctx, u, "")
			clock.Advance(9 * time.Hour)
			fresh, _, _ := a.StartSession(ctx, u, "")
			n, err := a.PruneSessions(ctx)
			if err != nil || n != 1 {
				t.Fatalf("PruneSessions = %d, %v, want 1", n, err)
			}
			if _, _, err := a.Resolve(ctx, fresh); err != nil {
				t.Fatalf("fresh session pruned: %v", err)
			}
			if _, _, err := a.Resolve(ctx, old); err == nil {
				t.Fatal("old session still valid")
			}
		})

		t.Run("PasswordChangeEndsOtherSessions", func(t *testing.T) {
			clock := newTestClock()
			a, _ := MustAccounts(t, newBucket(t), clock)
			u := MustCreateUser(t, a, "li", catalogue.RoleOffice, "", testPassword)
			other, _, _ := a.StartSession(ctx, u, "")
			clock.Advance(time.Second)
			if err := a.ChangePassword(ctx, "li", testPassword, "a brand new password"); err != nil {
				t.Fatal(err)
			}
			if _, _, err := a.Resolve(ctx, other); catalogue.ErrorCode(err) != catalogue.EUNAUTHORIZED {
				t.Fatalf("session from before the change = %v, want EUNAUTHORIZED", err)
			}
			if _, err := a.Authenticate(ctx, "li", testPassword); err != catalogue.ErrBadCredentials {
				t.Fatalf("old password = %v, want ErrBadCredentials", err)
			}
			if _, err := a.Authenticate(ctx, "li", "a brand new password"); err != nil {
				t.Fatalf("new password: %v", err)
			}
			if err := a.ChangePassword(ctx, "li", "wrong current pw", "yet another password"); err != catalogue.ErrWrongPassword {
				t.Fatalf("change with a wrong current password = %v", err)
			}
		})

		t.Run("AuthenticateSameErrorForUnknownAndWrong", func(t *testing.T) {
			a, _ := MustAccounts(t, newBucket(t), newTestClock())
			MustCreateUser(t, a, "li", catalogue.RoleOffice, "", testPassword)
			_, wrong := a.Authenticate(ctx, "li", "not the password")
			_, unknown := a.Authenticate(ctx, "nobody", testPassword)
			_, malformed := a.Authenticate(ctx, "../x", testPassword)
			if wrong != catalogue.ErrBadCredentials || unknown != wrong || malformed != wrong {
				t.Fatalf("wrong=%v unknown=%v malformed=%v, want one generic error", wrong, unknown, malformed)
			}
			if u, err := a.Authenticate(ctx, " LI ", testPassword); err != nil || u.Name != "li" {
				t.Fatalf("name typed in capitals: %v, %v", u, err)
			}
		})

		t.Run("DisabledAccountCannotSignInAndLosesSessions", func(t *testing.T) {
			clock := newTestClock()
			a, _ := MustAccounts(t, newBucket(t), clock)
			MustCreateUser(t, a, "admin", catalogue.RoleAdmin, "", testPassword)
			u := MustCreateUser(t, a, "li", catalogue.RoleOffice, "", testPassword)
			token, _, _ := a.StartSession(ctx, u, "")
			if err := a.SetDisabled(ctx, "li", true, "admin"); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Authenticate(ctx, "li", testPassword); catalogue.ErrorCode(err) != catalogue.EFORBIDDEN {
				t.Fatalf("disabled sign-in = %v, want EFORBIDDEN", err)
			}
			if _, err := a.Authenticate(ctx, "li", "wrong password!"); err != catalogue.ErrBadCredentials {
				t.Fatalf("disabled, wrong password = %v: must not say the account exists", err)
			}
			if _, _, err := a.Resolve(ctx, token); catalogue.ErrorCode(err) != catalogue.EUNAUTHORIZED {
				t.Fatalf("session of a disabled account = %v", err)
			}
			if err := a.SetDisabled(ctx, "li", false, "admin"); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Authenticate(ctx, "li", testPassword); err != nil {
				t.Fatalf("re-enabled sign-in: %v", err)
			}
		})

		t.Run("ErrInvalidWhenLastAdminWouldGo", func(t *testing.T) {
			a, _ := MustAccounts(t, newBucket(t), newTestClock())
			MustCreateUser(t, a, "admin", catalogue.RoleAdmin, "", testPassword)
			MustCreateUser(t, a, "root", catalogue.RoleAdmin, "", testPassword)
			if err := a.SetDisabled(ctx, "admin", true, "admin"); catalogue.ErrorCode(err) != catalogue.EINVALID {
				t.Fatalf("disabling oneself = %v, want EINVALID", err)
			}
			if err := a.SetDisabled(ctx, "root", true, "admin"); err != nil {
				t.Fatal(err)
			}
			_, err := a.EditUser(ctx, "admin", catalogue.UserChange{Role: catalogue.RoleOffice})
			if catalogue.ErrorCode(err) != catalogue.EINVALID {
				t.Fatalf("demoting the last enabled admin = %v, want EINVALID", err)
			}
		})

		t.Run("SectionsCreateListDelete", func(t *testing.T) {
			a, store := MustAccounts(t, newBucket(t), newTestClock())
			for _, s := range []string{"政策法规科", "综合科"} {
				if err := a.CreateSection(ctx, s); err != nil {
					t.Fatal(err)
				}
			}
			if err := a.CreateSection(ctx, "综合科"); catalogue.ErrorCode(err) != catalogue.ECONFLICT {
				t.Fatalf("second create = %v, want ECONFLICT", err)
			}
			MustCreateUser(t, a, "zhang", catalogue.RoleDrafter, "综合科", testPassword)
			if err := a.DeleteSection(ctx, "综合科"); catalogue.ErrorCode(err) != catalogue.ECONFLICT {
				t.Fatalf("deleting a section with members = %v, want ECONFLICT", err)
			}
			if err := a.DeleteSection(ctx, "政策法规科"); err != nil {
				t.Fatal(err)
			}
			if err := a.DeleteSection(ctx, "政策法规科"); catalogue.ErrorCode(err) != catalogue.ENOTFOUND {
				t.Fatalf("deleting twice = %v, want ENOTFOUND", err)
			}
			sections, _ := store.Sections(ctx)
			if len(sections) != 1 || sections[0].Name != "综合科" {
				t.Fatalf("sections = %+v", sections)
			}
		})
	})
}

func joinSpace(s []string) string {
	var b bytes.Buffer
	for i, v := range s {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(v)
	}
	return b.String()
}
