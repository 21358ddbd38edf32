// Package testenv starts the external servers gongkai's tests run against:
// a real MinIO server on loopback, from the pinned binary that
// scripts/minio.sh installs.
//
// A test that needs its own server (to stop and restart it, say) calls
// StartMinIO. A package with many MinIO tests shares one server per test
// binary through SharedMinIO, gives every test its own bucket with
// NewBucketName, and stops the server from TestMain:
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		testenv.StopSharedMinIO()
//		os.Exit(code)
//	}
package testenv

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// Timeouts for the server's life cycle. Start-up takes about a second on a
// quiet machine; the margin is for loaded CI runners.
const (
	readyTimeout = 60 * time.Second
	stopTimeout  = 15 * time.Second
)

// MinIOServer is a MinIO server process listening on 127.0.0.1, with its
// own data directory and root credentials.
type MinIOServer struct {
	Endpoint  string // host:port for the S3 API
	AccessKey string
	SecretKey string

	tb      testing.TB // reports Start and Stop failures; nil for the shared server
	binary  string
	dataDir string
	certDir string
	console string // console address, kept on loopback
	log     *serverLog
	buckets atomic.Int64

	mu   sync.Mutex
	proc *process // nil while stopped
}

type process struct {
	cmd  *exec.Cmd
	done chan struct{} // closed once the process has exited
	err  error         // its exit status, valid after done
}

// StartMinIO starts a MinIO server for tb and stops it, deleting its data,
// when tb ends. Without a MinIO binary it skips tb, or fails it when the
// environment variable CI is true: a MinIO test must never silently skip in
// CI. It also skips in -short mode.
func StartMinIO(tb testing.TB) *MinIOServer {
	tb.Helper()
	binary := MustMinIOBinary(tb)
	dir := tb.TempDir()
	s, err := startServer(binary, dir)
	if err != nil {
		tb.Fatalf("testenv: %v", err)
	}
	s.tb = tb
	tb.Cleanup(func() {
		if tb.Failed() {
			tb.Logf("testenv: MinIO log (%s):\n%s", s.Endpoint, s.log.String())
		}
		if err := s.stop(); err != nil {
			tb.Errorf("testenv: %v", err)
		}
	})
	return s
}

var shared struct {
	mu  sync.Mutex
	srv *MinIOServer
	dir string
	err error // why the shared server could not start; every caller fails with it
}

// SharedMinIO returns the test binary's shared MinIO server, starting it on
// first use. It skips or fails like StartMinIO. Tests must not stop a shared
// server (use StartMinIO for outage tests) and should keep to their own
// buckets (NewBucketName). TestMain calls StopSharedMinIO after m.Run; should
// it not, the server still dies with the test binary on Linux, leaving its
// temporary data directory behind.
func SharedMinIO(tb testing.TB) *MinIOServer {
	tb.Helper()
	binary := MustMinIOBinary(tb)
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.srv == nil && shared.err == nil {
		shared.dir, shared.err = os.MkdirTemp("", "gongkai-minio-")
		if shared.err == nil {
			shared.srv, shared.err = startServer(binary, shared.dir)
		}
	}
	if shared.err != nil {
		tb.Fatalf("testenv: shared MinIO server: %v", shared.err)
	}
	return shared.srv
}

// StopSharedMinIO stops the shared server, if one was started, and deletes
// its data. Call it from TestMain after m.Run.
func StopSharedMinIO() {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.srv != nil {
		if err := shared.srv.stop(); err != nil {
			fmt.Fprintf(os.Stderr, "testenv: %v\n", err)
		}
		shared.srv = nil
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
		shared.dir = ""
	}
}

// MustMinIOBinary returns the path of the MinIO server binary: the one named
// by $GONGKAI_MINIO_BIN, else ${GONGKAI_CACHE:-$HOME/.cache/gongkai}/bin/minio,
// else minio on PATH. Without one it skips tb, or fails it when CI is true.
func MustMinIOBinary(tb testing.TB) string {
	tb.Helper()
	if testing.Short() {
		tb.Skip("testenv: skipping a test that needs a MinIO server in -short mode")
	}
	binary, tried := findMinIOBinary()
	if binary != "" {
		return binary
	}
	msg := "testenv: no MinIO server binary (tried " + strings.Join(tried, ", ") +
		"); install the pinned one with scripts/minio.sh, or run make test"
	if ci, _ := strconv.ParseBool(os.Getenv("CI")); ci {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
	return ""
}

// findMinIOBinary returns the first executable candidate, and the candidates
// it tried, for the message when there is none.
func findMinIOBinary() (string, []string) {
	var tried []string
	if bin := os.Getenv("GONGKAI_MINIO_BIN"); bin != "" {
		if isExecutable(bin) {
			return bin, nil
		}
		tried = append(tried, "$GONGKAI_MINIO_BIN="+bin)
	}
	cache := os.Getenv("GONGKAI_CACHE")
	if cache == "" {
		if home, err := os.UserHomeDir(); err == nil {
			cache = filepath.Join(home, ".cache", "gongkai")
		}
	}
	if cache != "" {
		bin := filepath.Join(cache, "bin", "minio")
		if isExecutable(bin) {
			return bin, nil
		}
		tried = append(tried, bin)
	}
	if bin, err := exec.LookPath("minio"); err == nil {
		return bin, nil
	}
	return "", append(tried, "minio on PATH")
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

// NewBucketName returns a bucket name no other caller of this server got, so
// tests sharing a server never see each other's objects.
func (s *MinIOServer) NewBucketName() string {
	return fmt.Sprintf("test-%d-%d", os.Getpid(), s.buckets.Add(1))
}

// Stop stops the server, keeping its port and data for Start. Stopping a
// stopped server does nothing.
func (s *MinIOServer) Stop() {
	if err := s.stop(); err != nil {
		s.fatal(err)
	}
}

// Start starts a stopped server again on the same port and data directory,
// and waits until it is ready. Starting a running server does nothing.
func (s *MinIOServer) Start() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc != nil {
		return
	}
	if err := s.launch(); err != nil {
		s.fatal(err)
	}
}

// Log returns what the server has written to its stdout and stderr.
func (s *MinIOServer) Log() string { return s.log.String() }

func (s *MinIOServer) fatal(err error) {
	if s.tb == nil {
		panic("testenv: shared MinIO server: " + err.Error())
	}
	s.tb.Helper()
	s.tb.Fatalf("testenv: %v", err)
}

// startServer starts a server with data under dir on free loopback ports,
// trying fresh ports if another process took the ones it picked.
func startServer(binary, dir string) (*MinIOServer, error) {
	secret := make([]byte, 16)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("generate MinIO secret key: %w", err)
	}
	s := &MinIOServer{
		AccessKey: "gongkai-test",
		SecretKey: hex.EncodeToString(secret),
		binary:    binary,
		dataDir:   filepath.Join(dir, "data"),
		certDir:   filepath.Join(dir, "certs"),
		log:       &serverLog{},
	}
	var err error
	for range 3 {
		if s.Endpoint, err = freeLoopbackAddr(); err != nil {
			return nil, err
		}
		if s.console, err = freeLoopbackAddr(); err != nil {
			return nil, err
		}
		s.mu.Lock()
		err = s.launch()
		s.mu.Unlock()
		if err == nil || !strings.Contains(s.log.String(), "address already in use") {
			break
		}
	}
	return s, err
}

// launch starts the process and waits for its health check. s.mu is held.
func (s *MinIOServer) launch() error {
	cmd := exec.Command(s.binary, "server",
		"--address", s.Endpoint,
		"--console-address", s.console,
		"--certs-dir", s.certDir,
		s.dataDir)
	cmd.Env = append(environWithoutMinIO(),
		"MINIO_ROOT_USER="+s.AccessKey,
		"MINIO_ROOT_PASSWORD="+s.SecretKey,
		"MINIO_BROWSER=off",
		"MINIO_UPDATE=off",
	)
	cmd.Stdout = s.log
	cmd.Stderr = s.log
	fmt.Fprintf(s.log, "--- testenv: starting %s on %s\n", s.binary, s.Endpoint)
	p, err := startProcess(cmd)
	if err != nil {
		return fmt.Errorf("start MinIO %s: %w", s.binary, err)
	}
	if err := waitReady(s.Endpoint, p); err != nil {
		p.kill()
		return fmt.Errorf("MinIO on %s: %w\n%s", s.Endpoint, err, s.log.Tail(4096))
	}
	s.proc = p
	return nil
}

func (s *MinIOServer) stop() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.proc
	if p == nil {
		return nil
	}
	s.proc = nil
	// SIGTERM lets MinIO finish in-flight writes; a kill is the fallback.
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		fmt.Fprintf(s.log, "--- testenv: stopped\n")
		return nil
	case <-time.After(stopTimeout):
		p.kill()
		return fmt.Errorf("MinIO on %s ignored SIGTERM for %s and was killed", s.Endpoint, stopTimeout)
	}
}

// startProcess starts cmd and reaps it in the background. On Linux the
// process gets SIGKILL when the test binary dies, so no server outlives it.
func startProcess(cmd *exec.Cmd) (*process, error) {
	p := &process{cmd: cmd, done: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		// The parent-death signal fires when the thread that started the
		// child exits, so that thread stays locked to this goroutine until
		// the child is gone.
		lockThreadForChild()
		setParentDeathSignal(cmd)
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		p.err = cmd.Wait()
		close(p.done)
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return p, nil
}

func (p *process) kill() {
	_ = p.cmd.Process.Kill()
	<-p.done
}

// waitReady polls MinIO's liveness and cluster health checks until both
// answer 200: the second one means the drive is formatted and S3 calls work.
func waitReady(endpoint string, p *process) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(readyTimeout)
	for {
		if healthy(client, "http://"+endpoint+"/minio/health/live") &&
			healthy(client, "http://"+endpoint+"/minio/health/cluster") {
			return nil
		}
		select {
		case <-p.done:
			return fmt.Errorf("exited before it was ready (%v)", p.err)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not ready after %s", readyTimeout)
		}
	}
}

func healthy(client *http.Client, url string) bool {
	resp, err := client.Get(url)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// freeLoopbackAddr returns a 127.0.0.1 address whose port was free a moment
// ago; startServer retries if another process takes it first.
func freeLoopbackAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// environWithoutMinIO is the test's environment minus MINIO_* variables,
// which could otherwise point the server at other drives or settings.
func environWithoutMinIO() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MINIO_") {
			env = append(env, kv)
		}
	}
	return env
}

// serverLog collects the server's output, keeping the last maxServerLog
// bytes, for failure messages.
type serverLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

const maxServerLog = 1 << 20

func (l *serverLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	if over := l.buf.Len() - maxServerLog; over > 0 {
		l.buf.Next(over)
	}
	return len(p), nil
}

func (l *serverLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Tail returns the last n bytes of the log.
func (l *serverLog) Tail(n int) string {
	s := l.String()
	if len(s) > n {
		s = "…" + s[len(s)-n:]
	}
	return s
}
