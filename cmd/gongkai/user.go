package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"gongkai/catalogue"
)

const userUsage = "usage: gongkai user add --name NAME --role ROLE [--section SECTION] [--display-name NAME] [--data DIR]   (password on stdin)"

// runUser adds a staff account from the command line: how the first
// administrator of a new installation is made. The password is read from
// the first line of stdin, so it stays out of the shell history and the
// process list.
func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, env func(string) string) error {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(stderr, userUsage)
		return errors.New("user: the only subcommand is add")
	}
	var c Config
	fs := newFlagSet("user add", &c, env, stderr, "data", "log-format")
	var name, role, section, display string
	fs.StringVar(&name, "name", "", "login name: 2–32 lower-case letters, digits, '.', '_' or '-'")
	fs.StringVar(&role, "role", "", "drafter, section_chief, leader, office or admin")
	fs.StringVar(&section, "section", "", "section (科室); required for drafter and section_chief")
	fs.StringVar(&display, "display-name", "", "the name shown to people (optional)")
	if err := parse(fs, &c, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("user add takes no arguments, got %q", fs.Args())
	}
	if name == "" || role == "" {
		return errors.New("user add: --name and --role are required")
	}
	n := catalogue.NewUser{
		Name: catalogue.NormalizeUserName(name), DisplayName: strings.TrimSpace(display),
		Role: catalogue.Role(role), Section: strings.TrimSpace(section),
	}
	// Check everything before reading the password or touching the store,
	// so a typo costs nothing.
	for _, err := range []error{
		catalogue.ValidateUserName(n.Name), catalogue.ValidateDisplayName(n.DisplayName),
		catalogue.ValidateRoleSection(n.Role, n.Section),
	} {
		if err != nil {
			return fmt.Errorf("user add: %s", catalogue.ErrorMessage(err))
		}
	}
	password, err := readPassword(stdin)
	if err != nil {
		return err
	}
	if err := catalogue.ValidatePassword(n.Name, password); err != nil {
		return fmt.Errorf("user add: weak password: %s", catalogue.ErrorMessage(err))
	}
	n.Password = password

	m := NewMain(c, stdout, stderr)
	defer m.Close()
	if err := m.openStore(ctx); err != nil {
		return err
	}
	accounts := &catalogue.Accounts{Users: m.Users, Sessions: m.Users}
	u, _, err := accounts.CreateUser(ctx, n)
	if err != nil {
		switch catalogue.ErrorCode(err) {
		case catalogue.EINVALID, catalogue.ECONFLICT:
			return fmt.Errorf("user add: %s", catalogue.ErrorMessage(err))
		}
		return fmt.Errorf("user add: %w", err)
	}
	where := ""
	if u.Section != "" {
		where = "，" + u.Section
	}
	fmt.Fprintf(stdout, "已创建账号 %s（%s%s）\n", u.Name, u.Role.Label(), where)
	return nil
}

// readPassword returns the first line of r without its line ending.
func readPassword(r io.Reader) (string, error) {
	if r == nil {
		return "", errors.New("user add: give the password on stdin, as the first line")
	}
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("user add: read password from stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("user add: no password on stdin; give it as the first line")
	}
	return line, nil
}

// demoAccounts are the accounts --demo creates, one per role, so every step
// of the review chain can be tried at once.
var demoAccounts = []struct {
	name, display string
	role          catalogue.Role
	section       string
}{
	{"drafter", "演示拟稿人", catalogue.RoleDrafter, "综合科"},
	{"chief", "演示科室负责人", catalogue.RoleSectionChief, "综合科"},
	{"leader", "演示分管领导", catalogue.RoleLeader, ""},
	{"office", "演示公开办", catalogue.RoleOffice, ""},
	{"admin", "演示管理员", catalogue.RoleAdmin, ""},
}

// createDemoAccounts makes one account per role with a random password and
// prints the passwords once. A data dir that has accounts already gets none.
func (m *Main) createDemoAccounts(ctx context.Context) error {
	existing, err := m.Users.ListUsers(ctx)
	if err != nil {
		return err
	}
	if len(existing) > 0 {
		m.Log.Info("data dir already has staff accounts: demo accounts not created")
		return nil
	}
	accounts := &catalogue.Accounts{Users: m.Users, Sessions: m.Users}
	var b strings.Builder
	b.WriteString("演示账号（密码只显示这一次，请记下）：\n")
	b.WriteString("  账号      密码              角色\n") // CJK takes two columns: padded by hand
	for _, d := range demoAccounts {
		u, pw, err := accounts.CreateUser(ctx, catalogue.NewUser{Name: d.name, DisplayName: d.display, Role: d.role, Section: d.section})
		if err != nil {
			return fmt.Errorf("create demo account %s: %w", d.name, err)
		}
		label := u.Role.Label()
		if u.Section != "" {
			label += "（" + u.Section + "）"
		}
		fmt.Fprintf(&b, "  %-8s  %-16s  %s\n", u.Name, pw, label)
	}
	b.WriteString("工作人员登录：/admin/login\n")
	fmt.Fprint(m.stdout, b.String())
	return nil
}
