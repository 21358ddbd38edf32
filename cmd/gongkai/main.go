// Command gongkai runs the 政府信息公开 catalogue service and its
// maintenance commands. It only wires the packages together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
)

// Version is set at build time with -ldflags "-X main.Version=…".
var Version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, osEnv); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return // the usage asked for, printed: no failure
		}
		fmt.Fprintln(os.Stderr, "gongkai: "+oneLine(err.Error()))
		os.Exit(1)
	}
}

const usage = `usage:
  gongkai serve   [--addr 127.0.0.1:8080] [--data ./data] [--demo]
  gongkai import  [--data DIR] FILE.jsonl [FILE.jsonl …]
  gongkai reindex [--data DIR]
  gongkai user add --name NAME --role ROLE [--section SECTION] [--data DIR]   (password on stdin)
  gongkai version
Storage: GONGKAI_STORE=fs (default) or minio with GONGKAI_MINIO_ENDPOINT, _ACCESS_KEY, _SECRET_KEY, _BUCKET, _SECURE.`

// Run executes one command line. It is main without the process: tests call
// it with a temporary data dir.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, env func(string) string) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return errors.New("no command given")
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, args, stdout, stderr, env)
	case "import":
		return runImport(ctx, args, stdout, stderr, env)
	case "reindex":
		return runReindex(ctx, args, stdout, stderr, env)
	case "user":
		return runUser(ctx, args, stdin, stdout, stderr, env)
	case "version":
		fmt.Fprintln(stdout, "gongkai", Version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	fmt.Fprintln(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

func parse(fs *flag.FlagSet, c *Config, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	abs, err := filepath.Abs(c.Data)
	if err != nil {
		return fmt.Errorf("data dir %q: %w", c.Data, err)
	}
	c.Data = abs
	return nil
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) string) error {
	var c Config
	fs := newFlagSet("serve", &c, env, stderr, "addr", "data", "demo", "log-format")
	if err := parse(fs, &c, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("serve takes no arguments, got %q", fs.Args())
	}
	m := NewMain(c, stdout, stderr)
	if err := m.Open(ctx); err != nil {
		m.Close()
		return err
	}
	runErr := m.Serve(ctx)
	if err := m.Close(); err != nil && runErr == nil {
		runErr = err
	}
	return runErr
}

func runReindex(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) string) error {
	var c Config
	fs := newFlagSet("reindex", &c, env, stderr, "data", "log-format")
	if err := parse(fs, &c, args); err != nil {
		return err
	}
	defer bulkMemory(env)()
	m := NewMain(c, stdout, stderr)
	defer m.Close()
	if err := m.OpenForReindex(ctx); err != nil {
		return err
	}
	return m.Reindex(ctx)
}

func oneLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}
