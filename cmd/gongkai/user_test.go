package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// userAdd runs "gongkai user add" with the password on stdin.
func userAdd(t *testing.T, data, password string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	args = append([]string{"user", "add", "--data", data}, args...)
	err = Run(context.Background(), args, strings.NewReader(password), &out, &errOut, env())
	return out.String(), errOut.String(), err
}

func TestUserAdd(t *testing.T) {
	data := t.TempDir()
	const pw = "correct horse battery\n"

	t.Run("Created", func(t *testing.T) {
		out, _, err := userAdd(t, data, pw, "--name", "Admin", "--role", "admin")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "admin") || !strings.Contains(out, "系统管理员") {
			t.Errorf("stdout %q", out)
		}
		out, _, err = userAdd(t, data, "another fine password\r\n", "--name", "zhang", "--role", "drafter", "--section", "综合科")
		if err != nil || !strings.Contains(out, "综合科") {
			t.Fatalf("drafter: %q, %v", out, err)
		}
	})

	for name, tc := range map[string]struct {
		password string
		args     []string
		want     string
	}{
		"ErrConflictWhenExists":    {pw, []string{"--name", "admin", "--role", "office"}, "已存在"},
		"ErrWeakPassword":          {"short\n", []string{"--name", "li", "--role", "leader"}, "weak password: 密码至少需要 10 个字符"},
		"ErrPasswordIsName":        {"liuxiaoming\n", []string{"--name", "liuxiaoming", "--role", "leader"}, "不能包含账号名"},
		"ErrNoPassword":            {"", []string{"--name", "li", "--role", "leader"}, "no password on stdin"},
		"ErrEmptyFirstLine":        {"\ncorrect horse battery\n", []string{"--name", "li", "--role", "leader"}, "no password on stdin"},
		"ErrBadRole":               {pw, []string{"--name", "li", "--role", "boss"}, `角色 "boss" 不正确`},
		"ErrDrafterWithoutSection": {pw, []string{"--name", "li", "--role", "drafter"}, "拟稿人必须属于一个科室"},
		"ErrChiefWithoutSection":   {pw, []string{"--name", "li", "--role", "section_chief"}, "科室负责人必须属于一个科室"},
		"ErrBadName":               {pw, []string{"--name", "张三", "--role", "leader"}, "账号名"},
		"ErrMissingName":           {pw, []string{"--role", "leader"}, "--name and --role are required"},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := userAdd(t, data, tc.password, tc.args...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is more than one line: %q", err)
			}
		})
	}

	t.Run("ErrUnknownSubcommand", func(t *testing.T) {
		err := Run(context.Background(), []string{"user", "remove"}, nil, io.Discard, io.Discard, env())
		if err == nil {
			t.Fatal("user remove succeeded")
		}
	})

	t.Run("ServedAccountSignsIn", func(t *testing.T) {
		base := MustServe(t, data)
		for name, want := range map[string]int{"admin": http.StatusOK, "li": http.StatusUnauthorized} {
			body, _ := json.Marshal(map[string]string{"name": name, "password": "correct horse battery"})
			resp, err := http.Post(base+"/api/v1/admin/login", "application/json", bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != want {
				t.Errorf("login %s: %d, want %d", name, resp.StatusCode, want)
			}
		}
	})
}

func TestDemoAccounts(t *testing.T) {
	ctx := context.Background()
	var out bytes.Buffer
	m := NewMain(Config{Data: t.TempDir(), Store: "fs", LogFormat: "text", ShutdownTimeout: time.Second}, &out, io.Discard)
	t.Cleanup(func() { m.Close() })
	if err := m.openStore(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.createDemoAccounts(ctx); err != nil {
		t.Fatal(err)
	}
	users, err := m.Users.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	roles := map[string]string{}
	for _, u := range users {
		roles[u.Name] = string(u.Role) + "/" + u.Section
	}
	want := map[string]string{"admin": "admin/", "chief": "section_chief/综合科", "drafter": "drafter/综合科", "leader": "leader/", "office": "office/"}
	for n, r := range want {
		if roles[n] != r {
			t.Errorf("account %s = %q, want %q", n, roles[n], r)
		}
	}
	// Each password is printed once, beside its account.
	for n := range want {
		if !regexp.MustCompile(`(?m)^  ` + n + `\s+[A-Za-z2-9]{16}\s`).MatchString(out.String()) {
			t.Errorf("no password printed for %s:\n%s", n, out.String())
		}
	}
	out.Reset()
	if err := m.createDemoAccounts(ctx); err != nil || out.Len() != 0 {
		t.Fatalf("second run: %v, printed %q; want nothing", err, out.String())
	}
}
