// Command bench measures gongkai on the shared corpus, once per text
// analysis, side by side: gse (the product) and Bleve's CJK bigrams (the
// baseline). For each analysis it
//
//   - imports the laws and the articles with `gongkai import` into a new
//     data dir: entries/s, MB of text/s, peak RSS of the import process;
//   - measures the indexes on disk;
//   - starts `gongkai serve` on a loopback port: time to /readyz 200;
//   - sends each query class (one word, two words, phrase, 文号, filter +
//     sort by date, broad words with facets and highlights) from 8 clients
//     to /api/v1/search: p50 and p99 latency, and the server's peak RSS;
//   - stops the server and runs the same queries in process, one at a time,
//     with and without facets and highlights, to show what the time goes to;
//   - runs the relevance suite (search/testdata/relevance).
//
// It prints a Markdown report and writes it, with the raw numbers, the query
// lists and the logs, under --out. Run it from the module root:
//
//	go run ./tools/bench --corpus ../shared/corpus --out bench/results
//	go run ./tools/bench --articles 5000   # a quick run
//
// The queries are drawn from the corpus with a fixed seed, so two runs send
// the same queries. Everything listens on 127.0.0.1 only.
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
	"strings"
	"syscall"
	"time"

	"gongkai/indexer"
)

// Config is what a run measures and where.
type Config struct {
	Corpus    string             // the shared corpus directory
	Out       string             // where results, data dirs and logs go
	Articles  int                // articles to import; 0 for all
	Analyses  []indexer.Analysis // in the order reported
	Clients   int                // concurrent HTTP clients
	Queries   int                // queries per class
	ClassTime time.Duration      // bound on one class's HTTP run
	Seed      uint64
	Keep      bool // keep the data dirs afterwards
}

// Validate checks the configuration and the working directory.
func (c *Config) Validate() error {
	if _, err := os.Stat("go.mod"); err != nil {
		return errors.New("run from the module root (where go.mod is): the bench builds ./cmd/gongkai and ./tools/corpusconv")
	}
	for _, f := range []string{lawsFile, articlesFile} {
		if _, err := os.Stat(filepath.Join(c.Corpus, f)); err != nil {
			return fmt.Errorf("corpus: %w", err)
		}
	}
	switch {
	case c.Articles < 0:
		return errors.New("--articles must be 0 (all) or more")
	case c.Clients < 1 || c.Clients > 64:
		return errors.New("--clients must be 1–64")
	case c.Queries < 10 || c.Queries > 5000:
		return errors.New("--queries must be 10–5000")
	case len(c.Analyses) == 0:
		return errors.New("--analyzers names none")
	}
	return nil
}

const (
	lawsFile     = "lawrefbook/laws.jsonl.gz"
	articlesFile = "lawrefbook/articles.jsonl.gz"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c Config
	var analyses string
	fs.StringVar(&c.Corpus, "corpus", "../shared/corpus", "the shared corpus directory")
	fs.StringVar(&c.Out, "out", "bench/results", "directory for the report, raw numbers, logs and (while running) data dirs")
	fs.IntVar(&c.Articles, "articles", 0, "import only this many articles, evenly spread over the corpus (0: all 147,288)")
	fs.StringVar(&analyses, "analyzers", "gse,bigram", "text analyses to compare, in order: gse, bigram")
	fs.IntVar(&c.Clients, "clients", 8, "concurrent HTTP clients")
	fs.IntVar(&c.Queries, "queries", 200, "queries per class")
	fs.DurationVar(&c.ClassTime, "class-time", 90*time.Second, "longest HTTP run of one query class")
	fs.Uint64Var(&c.Seed, "seed", 20250101, "seed for drawing the queries")
	fs.BoolVar(&c.Keep, "keep", false, "keep the data dirs (several GB for the full corpus)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for _, name := range strings.Split(analyses, ",") {
		a, err := indexer.ParseAnalysis(strings.TrimSpace(name))
		if err != nil {
			return err
		}
		c.Analyses = append(c.Analyses, a)
	}
	if err := c.Validate(); err != nil {
		return err
	}
	b := &Bench{Config: c, log: stderr}
	rep, err := b.Run(ctx)
	if err != nil {
		return err
	}
	md := rep.Markdown()
	fmt.Fprint(stdout, md)
	if err := os.WriteFile(filepath.Join(c.Out, "results.md"), []byte(md), 0o644); err != nil {
		return err
	}
	return writeJSON(filepath.Join(c.Out, "results.json"), rep)
}
