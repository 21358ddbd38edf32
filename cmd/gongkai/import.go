package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"gongkai/catalogue"
)

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) string) error {
	var c Config
	fs := newFlagSet("import", &c, env, stderr, "data", "log-format")
	if err := parse(fs, &c, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("import needs at least one FILE.jsonl")
	}
	for _, name := range fs.Args() {
		if _, err := os.Stat(name); err != nil {
			return fmt.Errorf("import: %w", err)
		}
	}
	defer bulkMemory(env)()
	m := NewMain(c, stdout, stderr)
	defer m.Close()
	if err := m.OpenOffline(ctx); err != nil {
		return err
	}
	failed := 0
	for _, name := range fs.Args() {
		n, err := m.importFile(ctx, name, stderr)
		failed += n
		if err != nil {
			return err
		}
	}
	var errs []error
	if failed > 0 {
		errs = append(errs, fmt.Errorf("%d line(s) failed to import; the other lines were imported", failed))
	}
	start := time.Now()
	if err := m.Settle(ctx); err != nil {
		// Nothing is lost: the indexes are whole, only in more pieces
		// than searches like; gongkai reindex merges them again.
		errs = append(errs, fmt.Errorf("import: merging the indexes failed (searches work, more slowly, until gongkai reindex): %w", err))
	} else if took := time.Since(start); took > time.Second {
		fmt.Fprintf(stdout, "indexes merged (%.1fs)\n", took.Seconds())
	}
	return errors.Join(errs...)
}

// importFile imports one JSONL file, naming each bad line on stderr, and
// returns how many lines failed.
func (m *Main) importFile(ctx context.Context, name string, stderr io.Writer) (int, error) {
	abs, err := filepath.Abs(name)
	if err != nil {
		return 0, err
	}
	if _, err := os.Stat(abs); err != nil {
		return 0, fmt.Errorf("import: %w", err)
	}
	dir := filepath.Dir(abs)
	sum, err := m.Service.ImportFile(ctx, os.DirFS(dir), filepath.Base(abs), catalogue.ImportOptions{
		Actor: "import",
		Report: func(res catalogue.ImportResult) {
			if res.Err != nil {
				fmt.Fprintf(stderr, "%s:%d: %s\n", name, res.Line, catalogue.ErrorMessage(res.Err))
			}
		},
	})
	if err != nil {
		// The import stopped partway (cancelled, or an index or the
		// store failed): the next start reconciles and rebuilds.
		m.consistent = false
		return sum.Failed, err
	}
	rate := 0.0
	if s := sum.Elapsed.Seconds(); s > 0 {
		rate = float64(sum.Lines) / s
	}
	fmt.Fprintf(m.stdout, "%s: %d lines: %d imported, %d already present, %d failed (%.1fs, %.0f lines/s)\n",
		name, sum.Lines, sum.Created, sum.Duplicates, sum.Failed, sum.Elapsed.Seconds(), rate)
	return sum.Failed, nil
}
