package catalogue

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// cheapArgon2 keeps tests fast; the format and the code paths are the same.
var cheapArgon2 = Argon2Params{Time: 1, Memory: 64, Threads: 1}

func TestPasswordHashing(t *testing.T) {
	ctx := context.Background()
	h := NewPasswordHasher(cheapArgon2)

	t.Run("RoundTrip", func(t *testing.T) {
		hash, err := h.Hash(ctx, "正确的马电池订书钉")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(hash, "$argon2id$v=19$m=64,t=1,p=1$") {
			t.Fatalf("hash %q is not an argon2id PHC string with the hasher's parameters", hash)
		}
		ok, err := h.Verify(ctx, hash, "正确的马电池订书钉")
		if err != nil || !ok {
			t.Fatalf("Verify(right password) = %v, %v", ok, err)
		}
	})

	t.Run("WrongPasswordRefused", func(t *testing.T) {
		hash, _ := h.Hash(ctx, "correct horse battery")
		for _, pw := range []string{"correct horse batterY", "", "correct horse battery "} {
			if ok, err := h.Verify(ctx, hash, pw); ok || err != nil {
				t.Errorf("Verify(%q) = %v, %v, want false", pw, ok, err)
			}
		}
	})

	t.Run("SaltedSoEqualPasswordsDiffer", func(t *testing.T) {
		a, _ := h.Hash(ctx, "correct horse battery")
		b, _ := h.Hash(ctx, "correct horse battery")
		if a == b {
			t.Fatal("two hashes of one password are equal: no salt")
		}
	})

	t.Run("ParametersReadFromTheHash", func(t *testing.T) {
		old := NewPasswordHasher(Argon2Params{Time: 2, Memory: 128, Threads: 2})
		hash, _ := old.Hash(ctx, "correct horse battery")
		if ok, _ := h.Verify(ctx, hash, "correct horse battery"); !ok {
			t.Fatal("a hash made with other parameters does not verify")
		}
		if !h.NeedsRehash(hash) || old.NeedsRehash(hash) {
			t.Error("NeedsRehash does not tell the parameters apart")
		}
	})

	t.Run("MalformedHashIsAnError", func(t *testing.T) {
		for _, bad := range []string{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5",
			"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5"} {
			if ok, err := h.Verify(ctx, bad, "x"); ok || err == nil {
				t.Errorf("Verify(%q) = %v, %v, want an error", bad, ok, err)
			}
		}
	})

	t.Run("DefaultHashRecordsItsCost", func(t *testing.T) {
		// The cost itself is measured by BenchmarkDefaultPasswordHash, not
		// timed here: a timed test flakes on a loaded machine.
		hash, err := NewPasswordHasher(DefaultArgon2).Hash(ctx, "correct horse battery")
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$", DefaultArgon2.Memory, DefaultArgon2.Time, DefaultArgon2.Threads)
		if !strings.HasPrefix(hash, want) {
			t.Errorf("hash %q does not record the default parameters %q", hash, want)
		}
	})
}

func TestGeneratePassword(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		pw := GeneratePassword()
		if len(pw) != GeneratedPassword || strings.ContainsAny(pw, "0O1lI") {
			t.Fatalf("generated %q", pw)
		}
		if err := ValidatePassword("admin", pw); err != nil {
			t.Fatalf("generated %q breaks the rules: %v", pw, err)
		}
		if seen[pw] {
			t.Fatalf("generated %q twice", pw)
		}
		seen[pw] = true
	}
}

func TestValidatePassword(t *testing.T) {
	for name, tc := range map[string]struct {
		user, pw string
		want     string // part of the message, "" for valid
	}{
		"ErrNineCharacters": {"zhangsan", "晴天打伞下雨收衣服", "至少需要"}, // runes, not bytes, are counted
		"ValidLong":         {"zhangsan", "correct horse battery", ""},
		"ValidChinese":      {"zhangsan", "今天天气很好适合出门走走", ""},
		"ErrEmpty":          {"zhangsan", "", "请填写密码"},
		"ErrShort":          {"zhangsan", "abc123456", "至少需要 10 个字符"},
		"ErrIsName":         {"zhangsan123", "ZhangSan123", "不能包含账号名"},
		"ErrContainsName":   {"zhangsan", "zhangsan2026!", "不能包含账号名"},
		"ErrSameCharacter":  {"zhangsan", "aaaaaaaaaaaa", "同一个字符"},
		"ErrControl":        {"zhangsan", "correct\thorse battery", "控制字符"},
		"ErrTooLong":        {"zhangsan", strings.Repeat("ab", 200), "不能超过"},
		"ShortNameNotMatch": {"li", "police station 110", ""},
	} {
		t.Run(name, func(t *testing.T) {
			err := ValidatePassword(tc.user, tc.pw)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("ValidatePassword(%q) = %v, want nil", tc.pw, err)
			case tc.want != "" && (err == nil || !strings.Contains(ErrorMessage(err), tc.want)):
				t.Fatalf("ValidatePassword(%q) = %v, want a message with %q", tc.pw, err, tc.want)
			case err != nil && ErrorCode(err) != EINVALID:
				t.Fatalf("code %q, want EINVALID", ErrorCode(err))
			}
		})
	}
}

func TestValidateUser(t *testing.T) {
	for name, tc := range map[string]struct {
		u    User
		want string
	}{
		"Valid":               {User{Name: "zhang.san", Role: RoleDrafter, Section: "综合科", PasswordHash: "x"}, ""},
		"ValidAdminNoSection": {User{Name: "admin", Role: RoleAdmin, PasswordHash: "x"}, ""},
		"ErrNameUpperCase":    {User{Name: "Admin", Role: RoleAdmin, PasswordHash: "x"}, "小写"},
		"ErrNameSlash":        {User{Name: "a/b", Role: RoleAdmin, PasswordHash: "x"}, "小写"},
		"ErrNameChinese":      {User{Name: "张三", Role: RoleAdmin, PasswordHash: "x"}, "账号名"},
		"ErrNameTooShort":     {User{Name: "a", Role: RoleAdmin, PasswordHash: "x"}, "2 至 32"},
		"ErrNameDigitFirst":   {User{Name: "1abc", Role: RoleAdmin, PasswordHash: "x"}, "以字母开头"},
		"ErrBadRole":          {User{Name: "boss", Role: "boss", PasswordHash: "x"}, "角色"},
		"ErrDrafterNoSection": {User{Name: "zhang", Role: RoleDrafter, PasswordHash: "x"}, "拟稿人必须属于一个科室"},
		"ErrChiefNoSection":   {User{Name: "zhang", Role: RoleSectionChief, PasswordHash: "x"}, "科室负责人必须属于一个科室"},
		"ErrSectionSlash":     {User{Name: "zhang", Role: RoleDrafter, Section: "综合/科", PasswordHash: "x"}, "斜杠"},
		"ErrNoPassword":       {User{Name: "zhang", Role: RoleLeader}, "密码"},
	} {
		t.Run(name, func(t *testing.T) {
			err := tc.u.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tc.want) {
				t.Fatalf("Validate() = %v, want EINVALID with %q", err, tc.want)
			}
		})
	}
}

func TestRoles(t *testing.T) {
	want := map[Role]string{RoleDrafter: "拟稿人", RoleSectionChief: "科室负责人", RoleLeader: "分管领导", RoleOffice: "公开办", RoleAdmin: "系统管理员"}
	if len(Roles) != len(want) {
		t.Fatalf("Roles = %v", Roles)
	}
	for _, r := range Roles {
		if !r.Valid() || r.Label() != want[r] {
			t.Errorf("role %q: valid=%v label=%q", r, r.Valid(), r.Label())
		}
	}
	if Role("root").Valid() || Role("").Valid() {
		t.Error("unknown roles are valid")
	}
}

// BenchmarkDefaultPasswordHash measures one sign-in's hashing cost with the
// default parameters (about 70–100 ms on the 2-core target machine).
func BenchmarkDefaultPasswordHash(b *testing.B) {
	h := NewPasswordHasher(DefaultArgon2)
	for b.Loop() {
		if _, err := h.Hash(context.Background(), "correct horse battery"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRoleLabelOfTrailActors: the audit trail's non-staff actors read in
// Chinese too.
func TestRoleLabelOfTrailActors(t *testing.T) {
	for r, want := range map[Role]string{RoleOffice: "公开办", "import": "导入", "system": "系统"} {
		if got := r.Label(); got != want {
			t.Errorf("Role(%q).Label() = %q, want %q", r, got, want)
		}
	}
}
