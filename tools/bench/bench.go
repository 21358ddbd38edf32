package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gongkai/indexer"
	"gongkai/search"
)

// Bench is one run.
type Bench struct {
	Config
	log    io.Writer
	binary string
}

// Report is everything a run measured.
type Report struct {
	Started  time.Time
	Machine  Machine
	Config   Config
	Corpus   CorpusStats
	Analyses []AnalysisReport
}

// AnalysisReport is what one analysis measured.
type AnalysisReport struct {
	Analysis indexer.Analysis

	Import       ImportStats
	Reindex      ImportStats      // `gongkai reindex`: both indexes rebuilt from the store
	IndexBytes   map[string]int64 // "public", "staff"
	StoreBytes   int64
	Startup      time.Duration
	ServeHWM     int64        // peak RSS of the server, bytes (VmHWM)
	ServeRSS     int64        // RSS after the queries, bytes
	HTTP         []ClassStats // Config.Clients concurrent clients, the server as shipped
	HTTPSearched []ClassStats // the same, no results kept: every query searched
	HTTPSerial   []ClassStats // one client, every query searched
	InProcess    []BreakdownStats
	Relevance    int // searches passed
	RelevanceOf  int
	Failed       []string // the relevance searches it got wrong
}

// ImportStats is one `gongkai import` run.
type ImportStats struct {
	Lines, Imported, Present, Failed int
	Wall, User, Sys                  time.Duration
	PeakRSS                          int64 // bytes (rusage maxrss)
}

func (b *Bench) logf(format string, args ...any) {
	fmt.Fprintf(b.log, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

// Run runs the whole benchmark.
func (b *Bench) Run(ctx context.Context) (*Report, error) {
	rep := &Report{Started: time.Now(), Machine: ReadMachine(), Config: b.Config}
	if err := os.MkdirAll(b.Out, 0o755); err != nil {
		return nil, err
	}
	out, err := filepath.Abs(b.Out)
	if err != nil {
		return nil, err
	}
	b.Out = out

	b.logf("building gongkai")
	b.binary = filepath.Join(b.Out, "gongkai")
	if err := runLogged(ctx, filepath.Join(b.Out, "build.log"), nil, "go", "build", "-o", b.binary, "./cmd/gongkai"); err != nil {
		return nil, fmt.Errorf("build gongkai: %w", err)
	}

	b.logf("converting the corpus (tools/corpusconv)")
	files, stats, err := b.convert(ctx)
	if err != nil {
		return nil, err
	}
	rep.Corpus = stats
	b.logf("%d laws and %d articles, %.1f MB of text", stats.Laws, stats.Articles, float64(stats.TextBytes)/1e6)

	queries, err := DrawQueries(files, b.Queries, b.Seed)
	if err != nil {
		return nil, err
	}
	if err := writeQueries(filepath.Join(b.Out, "queries"), queries); err != nil {
		return nil, err
	}

	for _, a := range b.Analyses {
		ar, err := b.runAnalysis(ctx, a, files, queries)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a, err)
		}
		rep.Analyses = append(rep.Analyses, *ar)
	}
	return rep, nil
}

func (b *Bench) runAnalysis(ctx context.Context, a indexer.Analysis, files []string, queries []Query) (*AnalysisReport, error) {
	ar := &AnalysisReport{Analysis: a}
	dir := filepath.Join(b.Out, string(a))
	data := filepath.Join(dir, "data")
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if !b.Keep {
		defer os.RemoveAll(data)
	}
	env := append(os.Environ(), "GONGKAI_ANALYZER="+string(a), "GONGKAI_STORE=fs", "GONGKAI_LOG_FORMAT=text")

	b.logf("%s: importing", a)
	imp, err := b.importAll(ctx, data, env, files, filepath.Join(dir, "import.log"))
	if err != nil {
		return nil, err
	}
	ar.Import = imp
	b.logf("%s: imported %d of %d lines in %s (%.0f/s), peak RSS %s", a, imp.Imported, imp.Lines,
		imp.Wall.Round(time.Second), float64(imp.Imported)/imp.Wall.Seconds(), mb(imp.PeakRSS))

	b.logf("%s: reindexing", a)
	if ar.Reindex, err = b.reindex(ctx, data, env, filepath.Join(dir, "reindex.log")); err != nil {
		return nil, err
	}
	b.logf("%s: reindexed %d entries in %s (%.0f/s), peak RSS %s", a, ar.Reindex.Imported,
		ar.Reindex.Wall.Round(time.Second), rate(ar.Reindex.Imported, ar.Reindex.Wall), mb(ar.Reindex.PeakRSS))

	ar.IndexBytes = map[string]int64{}
	for _, name := range []string{"public", "staff"} {
		if ar.IndexBytes[name], err = diskUsage(filepath.Join(data, "index", name)); err != nil {
			return nil, err
		}
	}
	if ar.StoreBytes, err = diskUsage(filepath.Join(data, "store")); err != nil {
		return nil, err
	}

	b.logf("%s: serving", a)
	if err := b.serve(ctx, ar, data, env, queries, filepath.Join(dir, "serve.log")); err != nil {
		return nil, err
	}

	b.logf("%s: in-process breakdown", a)
	if ar.InProcess, err = b.breakdown(ctx, a, filepath.Join(data, "index", "public"), queries); err != nil {
		return nil, err
	}

	b.logf("%s: relevance suite", a)
	rel, err := search.RunRelevanceSuite(ctx, filepath.Join("search", "testdata", "relevance"), filepath.Join(dir, "relevance-index"), indexer.Options{Analysis: a})
	if err != nil {
		return nil, err
	}
	os.RemoveAll(filepath.Join(dir, "relevance-index"))
	ar.Relevance, ar.RelevanceOf = rel.Passed(), len(rel.Results)
	for _, r := range rel.Results {
		if !r.Passed() {
			ar.Failed = append(ar.Failed, r.Search.Name())
		}
	}
	b.logf("%s: relevance %d of %d", a, ar.Relevance, ar.RelevanceOf)
	return ar, nil
}

var (
	reImported  = regexp.MustCompile(`: (\d+) lines: (\d+) imported, (\d+) already present, (\d+) failed`)
	reReindexed = regexp.MustCompile(`reindexed: public (\d+), staff (\d+) documents`)
)

// measured runs a gongkai command to the end, its output going to logName,
// and returns its stdout, wall time, CPU time and peak RSS.
func (b *Bench) measured(ctx context.Context, env []string, logName string, args ...string) (string, ImportStats, error) {
	var st ImportStats
	logf, err := os.Create(logName)
	if err != nil {
		return "", st, err
	}
	defer logf.Close()
	cmd := exec.CommandContext(ctx, b.binary, args...)
	cmd.Env = env
	var stdout strings.Builder
	cmd.Stdout = io.MultiWriter(&stdout, logf)
	cmd.Stderr = logf
	start := time.Now()
	runErr := cmd.Run()
	st.Wall = time.Since(start)
	if cmd.ProcessState == nil {
		return "", st, fmt.Errorf("%s: %w", args[0], runErr)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	st.PeakRSS = ru.Maxrss * 1024 // kilobytes on Linux
	st.User, st.Sys = cmd.ProcessState.UserTime(), cmd.ProcessState.SystemTime()
	return stdout.String(), st, runErr
}

// reindex runs `gongkai reindex`: both indexes rebuilt from the store.
func (b *Bench) reindex(ctx context.Context, data string, env []string, logName string) (ImportStats, error) {
	out, st, err := b.measured(ctx, env, logName, "reindex", "--data", data)
	if err != nil {
		return st, fmt.Errorf("reindex: %w (see %s)", err, logName)
	}
	m := reReindexed.FindStringSubmatch(out)
	if m == nil {
		return st, fmt.Errorf("reindex: no count in its output (see %s)", logName)
	}
	st.Imported, _ = strconv.Atoi(m[1])
	st.Lines = st.Imported
	return st, nil
}

// importAll runs `gongkai import` over every file in one process.
func (b *Bench) importAll(ctx context.Context, data string, env, files []string, logName string) (ImportStats, error) {
	out, st, runErr := b.measured(ctx, env, logName, append([]string{"import", "--data", data}, files...)...)
	if st.Wall == 0 {
		return st, runErr
	}
	for _, m := range reImported.FindAllStringSubmatch(out, -1) {
		n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
		st.Lines += n(1)
		st.Imported += n(2)
		st.Present += n(3)
		st.Failed += n(4)
	}
	if runErr != nil && st.Failed == 0 {
		return st, fmt.Errorf("import: %w (see %s)", runErr, logName)
	}
	if st.Imported == 0 {
		return st, fmt.Errorf("import: nothing imported (see %s)", logName)
	}
	return st, nil
}

// serve starts the server, times its start-up, runs the query classes
// over HTTP and stops it; then does the same with a server that keeps no
// results (GONGKAI_KEEP_RESULTS=0), so that every query is searched: the
// classes from 8 clients again, and from one client.
func (b *Bench) serve(ctx context.Context, ar *AnalysisReport, data string, env []string, queries []Query, logName string) error {
	srv, err := b.startServer(ctx, data, env, logName)
	if err != nil {
		return err
	}
	ar.Startup = srv.startup
	b.logf("%s: ready in %s", ar.Analysis, ar.Startup.Round(time.Millisecond))
	if ar.HTTP, err = b.runClasses(ctx, ar.Analysis, srv.base, queries, b.Clients, "kept results"); err != nil {
		srv.stop()
		return err
	}
	ar.ServeHWM, ar.ServeRSS = procMemory(srv.cmd.Process.Pid)
	if err := b.stopServer(ar, srv, logName); err != nil {
		return err
	}

	cold, err := b.startServer(ctx, data, append(env[:len(env):len(env)], "GONGKAI_KEEP_RESULTS=0"), logName+".searched")
	if err != nil {
		return err
	}
	if ar.HTTPSearched, err = b.runClasses(ctx, ar.Analysis, cold.base, queries, b.Clients, "every query searched"); err == nil {
		// One client: the service time without queueing for the cores.
		ar.HTTPSerial, err = b.runClasses(ctx, ar.Analysis, cold.base, queries, 1, "every query searched")
	}
	if err != nil {
		cold.stop()
		return err
	}
	return b.stopServer(ar, cold, logName+".searched")
}

// runClasses sends the warm-up queries, then each class's, from clients
// concurrent clients.
func (b *Bench) runClasses(ctx context.Context, a indexer.Analysis, base string, queries []Query, clients int, what string) ([]ClassStats, error) {
	client := newClient(clients)
	if _, err := runClass(ctx, client, base, "warm-up", byClass(queries, "warm-up"), clients, b.ClassTime); err != nil {
		return nil, err
	}
	var out []ClassStats
	for _, class := range Classes {
		cs, err := runClass(ctx, client, base, class.Name, byClass(queries, class.Name), clients, b.ClassTime)
		if err != nil {
			return nil, err
		}
		b.logf("%s: %-12s %s, %s: p50 %6.1f ms  p99 %6.1f ms  %5.0f q/s  (%d queries, %d errors, median %d hits)", a,
			class.Name, plural(clients, "client"), what, ms(cs.P50), ms(cs.P99), cs.QPS, cs.N, cs.Errors, cs.MedianHits)
		out = append(out, cs)
	}
	return out, nil
}

// A server is a running `gongkai serve`.
type server struct {
	cmd     *exec.Cmd
	base    string // http://addr
	startup time.Duration
	exited  chan error
}

// stop sends SIGTERM and waits for the server to exit.
func (s *server) stop() error {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.exited:
		return err
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		return errors.New("server did not stop within 30 s of SIGTERM")
	}
}

// stopServer stops srv; an exit status other than 0 is logged, not an
// error.
func (b *Bench) stopServer(ar *AnalysisReport, srv *server, logName string) error {
	if err := srv.stop(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			return fmt.Errorf("stop server: %w", err)
		}
		b.logf("%s: server exit: %v (see %s)", ar.Analysis, err, logName)
	}
	return nil
}

// startServer starts `gongkai serve` on a free loopback port and waits
// until it is ready.
func (b *Bench) startServer(ctx context.Context, data string, env []string, logName string) (*server, error) {
	addr, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	logf, err := os.Create(logName)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(b.binary, "serve", "--addr", addr, "--data", data)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logf, logf
	start := time.Now()
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	srv := &server{cmd: cmd, base: "http://" + addr, exited: make(chan error, 1)}
	go func() {
		srv.exited <- cmd.Wait()
		logf.Close()
	}()
	if err := waitReady(ctx, srv.base+"/readyz", srv.exited, 5*time.Minute); err != nil {
		srv.stop()
		return nil, fmt.Errorf("start-up: %w (see %s)", err, logName)
	}
	srv.startup = time.Since(start)
	return srv, nil
}

func freeLoopbackAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

func waitReady(ctx context.Context, url string, exited <-chan error, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	c := &http.Client{Timeout: 2 * time.Second}
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return fmt.Errorf("server exited: %v", err)
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		if resp, err := c.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	return fmt.Errorf("not ready after %s", limit)
}

// procMemory reads the peak (VmHWM) and current (VmRSS) resident set of a
// process, in bytes.
func procMemory(pid int) (hwm, rss int64) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		fields := strings.Fields(v)
		if len(fields) == 0 {
			continue
		}
		n, _ := strconv.ParseInt(fields[0], 10, 64)
		switch k {
		case "VmHWM":
			hwm = n * 1024
		case "VmRSS":
			rss = n * 1024
		}
	}
	return hwm, rss
}

// diskUsage is what du reports: allocated blocks of every file under dir.
func diskUsage(dir string) (int64, error) {
	var total int64
	err := filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if st, ok := info.Sys().(*syscall.Stat_t); ok {
			total += st.Blocks * 512
		} else {
			total += info.Size()
		}
		return nil
	})
	return total, err
}

// runLogged runs a command, its output going to a log file.
func runLogged(ctx context.Context, logName string, env []string, name string, args ...string) error {
	logf, err := os.Create(logName)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%w (see %s)", err, logName)
	}
	return nil
}

func writeJSON(name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(name, append(b, '\n'), 0o644)
}

// Machine describes where the run happened.
type Machine struct {
	CPUs      int
	Model     string
	MemTotal  int64 // bytes
	Kernel    string
	GoVersion string
}

// ReadMachine reads the machine's description from /proc.
func ReadMachine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), GoVersion: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.Model = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				f := strings.Fields(rest)
				if len(f) > 0 {
					n, _ := strconv.ParseInt(f[0], 10, 64)
					m.MemTotal = n * 1024
				}
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	return m
}

// plural says n things: "1 client", "8 clients".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
