package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"gongkai/catalogue"
	"gongkai/demo"
	"gongkai/indexer"
	"gongkai/indexer/extract"
	"gongkai/search"
	"gongkai/storage"
	"gongkai/storage/fs"
	"gongkai/storage/minio"
	"gongkai/web"
)

// Main holds the process's parts, opened in order by Open and closed in
// reverse by Close.
type Main struct {
	Config Config
	Log    *slog.Logger
	stdout io.Writer

	lock    *os.File
	Bucket  storage.Bucket
	Records *storage.Records
	Public  *storage.PublicSite
	Users   *storage.Users // staff accounts, sections and sessions
	// Applications keeps applications for disclosure and annual reports.
	Applications *storage.Applications

	PublicIndex *search.Index
	StaffIndex  *search.Index
	Service     *catalogue.Service

	// publicStale is set when a change was saved but the public side could
	// not follow; the unclean-shutdown marker then stays, so the next start
	// reconciles.
	publicStale atomic.Bool

	// reindexing is set by OpenForReindex.
	reindexing bool
	// bulk is set by the offline commands, which load many documents and
	// exit: their indexes merge no segments until Settle (indexer.Options).
	bulk bool
	// consistent is set once the store, the public projection and the
	// indexes are known to agree: opening found a clean stop or repaired
	// an unclean one, or Reindex finished. Only then may Close remove the
	// unclean-shutdown marker; a start-up or reindex that fails halfway
	// leaves it, so the next start repairs again.
	consistent bool

	// Addr is the address the server listens on once Serve has started
	// (useful with --addr 127.0.0.1:0 in tests).
	Addr chan string
}

// NewMain returns an unopened Main.
func NewMain(c Config, stdout, stderr io.Writer) *Main {
	var h slog.Handler = slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo})
	if c.LogFormat == "json" {
		h = slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo})
	}
	return &Main{Config: c, Log: slog.New(h), stdout: stdout, Addr: make(chan string, 1)}
}

const dirtyMarker = "unclean-shutdown"

// OpenOffline opens the store and indexes for a maintenance command; it
// fails if a server (or another command) is using the data dir.
func (m *Main) OpenOffline(ctx context.Context) error {
	m.bulk = true
	return m.open(ctx)
}

// OpenForReindex is OpenOffline for Reindex, which reconciles and rebuilds
// everything itself: opening does not rebuild indexes first, even new ones
// or after an unclean stop, so nothing is indexed twice.
func (m *Main) OpenForReindex(ctx context.Context) error {
	m.reindexing, m.bulk = true, true
	return m.open(ctx)
}

// Open opens everything the server needs, repairs what an unclean stop may
// have left, and loads the demo catalogue when asked.
func (m *Main) Open(ctx context.Context) error {
	if err := m.open(ctx); err != nil {
		return err
	}
	// Deadlines run up to 20 working days ahead: warn while there is time
	// to enter next year's holiday notice.
	now := catalogue.DateOf(time.Now())
	if missing := m.Service.Calendar.MissingYears(now, now.AddDays(90)); len(missing) > 0 {
		m.Log.Warn("working-day calendar has no data for these years; deadlines there are estimates until an administrator enters them", "years", missing)
	}
	if m.Config.Demo {
		if err := m.loadDemo(ctx); err != nil {
			m.consistent = false // an import stopped halfway: see importFile
			return err
		}
	}
	return nil
}

// openStore takes the data dir's lock and opens the object store: all that
// a command touching only records (such as "user add") needs.
func (m *Main) openStore(ctx context.Context) error {
	c := m.Config
	if err := os.MkdirAll(c.Data, 0o750); err != nil {
		return fmt.Errorf("create data dir: %w", err)
	}
	if err := m.lockDataDir(); err != nil {
		return err
	}
	switch c.Store {
	case "minio":
		b, err := minio.New(ctx, minio.Config{Endpoint: c.MinIOEndpoint, AccessKey: c.MinIOAccessKey,
			SecretKey: c.MinIOSecretKey, Bucket: c.MinIOBucket, Secure: c.MinIOSecure})
		if err != nil {
			return err
		}
		m.Bucket = b
	default:
		b, err := fs.New(filepath.Join(c.Data, "store"))
		if err != nil {
			return err
		}
		m.Bucket = b
		if b.UnsyncedStop() {
			// Record at once, durably, that the catalogue must be
			// reconciled: the store forgets the stop at its next sync,
			// which may come before anything is reconciled (a command
			// that only adds a user).
			if err := writeDurably(filepath.Join(c.Data, dirtyMarker), []byte("unsynced stop")); err != nil {
				return fmt.Errorf("write %s: %w", dirtyMarker, err)
			}
			gone := b.Repaired()
			m.Log.Warn("the machine stopped before an import's last writes reached the disk; import the file again to add what is missing",
				"incomplete_objects_removed", len(gone))
		}
	}
	m.Users = storage.NewUsers(m.Bucket)
	m.Applications = storage.NewApplications(m.Bucket)
	return nil
}

func (m *Main) open(ctx context.Context) error {
	if err := m.openStore(ctx); err != nil {
		return err
	}
	c := m.Config
	m.Records = storage.NewRecords(m.Bucket)
	m.Public = storage.NewPublicSite(m.Bucket)

	settings, calendar, err := storage.LoadConfiguration(ctx, m.Bucket)
	if err != nil {
		return err
	}

	// Staff-added words for the Chinese tokenizer, one a line. A change
	// alters the index version, so the indexes are rebuilt to use them.
	if userDict := filepath.Join(c.Data, "userdict.txt"); fileExists(userDict) {
		if err := indexer.LoadUserDictFile(userDict); err != nil {
			return fmt.Errorf("user dictionary %s: %w", userDict, err)
		}
	}
	// Hidden, for tools/bench only: GONGKAI_ANALYZER=bigram builds the
	// indexes with Bleve's CJK bigrams, the baseline gse is compared with.
	ixOpts := indexer.Options{Analysis: indexer.Analysis(os.Getenv("GONGKAI_ANALYZER")), Bulk: m.bulk}
	pub, pubFresh, err := search.OpenIndexWith(filepath.Join(c.Data, "index", "public"), ixOpts)
	if err != nil {
		return err
	}
	m.PublicIndex = pub
	// Staff search goes without the word pairs, which rank words typed
	// together and find quoted pairs inside longer words: they would
	// make every import and publication index them twice.
	staffOpts := ixOpts
	staffOpts.WithoutPairs = true
	// Nor does it store the body: staff searches cut no snippets, and the
	// pages that show a body read it from the store.
	staffOpts.WithoutBody = true
	staff, staffFresh, err := search.OpenIndexWith(filepath.Join(c.Data, "index", "staff"), staffOpts)
	if err != nil {
		return err
	}
	m.StaffIndex = staff
	// Hidden, for measuring searches without the results kept for repeated
	// ones (README "Performance"): GONGKAI_KEEP_RESULTS=0.
	if os.Getenv("GONGKAI_KEEP_RESULTS") == "0" {
		pub.KeepResults(0)
		staff.KeepResults(0)
	}

	m.Service = &catalogue.Service{
		Records:     m.Records,
		Public:      m.Public,
		PublicIndex: m.PublicIndex,
		StaffIndex:  m.StaffIndex,
		Extract:     extractText,
		Settings:    settings,
		Calendar:    calendar,
		Log:         m.Log,
	}
	m.Service.OnPublicSyncFailure = func() { m.publicStale.Store(true) }

	marker := filepath.Join(c.Data, dirtyMarker)
	_, statErr := os.Stat(marker)
	unclean := statErr == nil
	if err := writeDurably(marker, []byte(time.Now().Format(time.RFC3339))); err != nil {
		return fmt.Errorf("write %s: %w", marker, err)
	}
	if m.reindexing {
		return nil // Reindex reconciles and rebuilds
	}
	if unclean {
		m.Log.Warn("the last run did not stop cleanly: reconciling the public projection and rebuilding the indexes")
		rep, err := m.reconcile(ctx)
		if err != nil {
			return err
		}
		m.Log.Info("reconciled", "entries", rep.Entries, "public", rep.Public, "rewritten", rep.Rewritten, "removed", rep.Removed)
		pubFresh, staffFresh = true, true
	}
	if pubFresh || staffFresh {
		if err := m.rebuild(ctx, pubFresh, staffFresh); err != nil {
			return err
		}
	}
	m.consistent = true
	return nil
}

// writeDurably writes the file and syncs it and its folder, so that it
// survives a crash of the machine.
func writeDurably(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o640)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	d, err := os.Open(filepath.Dir(name))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func extractText(ctx context.Context, r io.Reader, name, contentType string) (string, error) {
	res, err := extract.Text(ctx, r, name, contentType, extract.DefaultLimits())
	return res.Text, err
}

// lockDataDir takes an exclusive lock on the data dir for this process's
// lifetime, so a maintenance command cannot run beside a server.
func (m *Main) lockDataDir() error {
	path := filepath.Join(m.Config.Data, "gongkai.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return fmt.Errorf("open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return fmt.Errorf("data dir %s is in use by a running gongkai server or command; stop it first, or use the admin API for online import", m.Config.Data)
		}
		return fmt.Errorf("lock data dir: %w", err)
	}
	_ = f.Truncate(0)
	fmt.Fprintf(f, "%d\n", os.Getpid())
	m.lock = f
	return nil
}

// rebuild fills fresh indexes from the store, the source of truth: the
// public index from the public projection only, the staff index from the
// internal records. The two are rebuilt side by side: each spends much of
// its time in single-threaded work (reading records, writing segments).
func (m *Main) rebuild(ctx context.Context, public, staff bool) error {
	type job struct {
		name string
		run  func() (int, error)
	}
	var jobs []job
	if public {
		jobs = append(jobs, job{"public", func() (int, error) { return m.PublicIndex.RebuildPublic(ctx, m.Public) }})
	}
	if staff {
		jobs = append(jobs, job{"staff", func() (int, error) { return m.StaffIndex.RebuildStaff(ctx, m.Records) }})
	}
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			n, err := j.run()
			if err != nil {
				errs[i] = fmt.Errorf("rebuild %s index: %w", j.name, err)
				return
			}
			m.Log.Info(j.name+" index rebuilt", "entries", n, "took", time.Since(start).Round(time.Millisecond))
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// reconcile makes the public projection agree with the records and that
// durable, so that the store forgets an unsynced stop, and empties both
// indexes for a rebuild: they may hold documents a crash left behind.
func (m *Main) reconcile(ctx context.Context) (catalogue.ReconcileReport, error) {
	rep, err := m.Service.Reconcile(ctx)
	if err != nil {
		return rep, err
	}
	if err := m.Records.Sync(ctx); err != nil {
		return rep, err
	}
	for _, idx := range []*search.Index{m.PublicIndex, m.StaffIndex} {
		if err := idx.Clear(); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// Settle merges what a bulk load left in each index into one segment, the
// two side by side, when it left many: searches then walk one.
func (m *Main) Settle(ctx context.Context) error {
	var g errgroup.Group
	for _, idx := range []*search.Index{m.PublicIndex, m.StaffIndex} {
		g.Go(func() error { return idx.Settle(ctx) })
	}
	return g.Wait()
}

// Reindex reconciles the public projection with the records and rebuilds
// both indexes from scratch.
func (m *Main) Reindex(ctx context.Context) error {
	rep, err := m.reconcile(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.stdout, "reconciled: %d entries, %d public, %d public records rewritten, %d removed\n",
		rep.Entries, rep.Public, rep.Rewritten, rep.Removed)
	if err := m.rebuild(ctx, true, true); err != nil {
		return err
	}
	fmt.Fprintf(m.stdout, "reindexed: public %d, staff %d documents\n", m.PublicIndex.Count(), m.StaffIndex.Count())
	m.consistent = true
	return nil
}

func (m *Main) loadDemo(ctx context.Context) error {
	empty := true
	if err := m.Records.ListEntries(ctx, func(*catalogue.Entry) error { empty = false; return errStopList }); err != nil && !errors.Is(err, errStopList) {
		return err
	}
	if !empty {
		m.Log.Info("data dir already has entries: demo catalogue not loaded")
		return nil
	}
	m.Log.Info("loading the demo catalogue")
	r, err := demo.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	sum, err := m.Service.Import(ctx, r, demo.FS, ".", catalogue.ImportOptions{Actor: "demo", Report: func(res catalogue.ImportResult) {
		if res.Err != nil {
			m.Log.Error("demo line not imported", "line", res.Line, "err", res.Err)
		}
	}})
	if err != nil {
		return err
	}
	m.Log.Info("demo catalogue loaded", "entries", sum.Created, "took", sum.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(m.stdout, "演示目录已载入：%d 条。数据来源：%s\n", sum.Created, demo.Attribution)
	if err := m.createDemoAccounts(ctx); err != nil {
		return err
	}
	if err := m.createDemoWork(ctx); err != nil {
		return err
	}
	return m.createDemoApplications(ctx)
}

var errStopList = errors.New("stop listing")

// Serve runs the HTTP server until ctx is cancelled, then shuts down
// gracefully, letting requests in flight finish.
func (m *Main) Serve(ctx context.Context) error {
	h, err := web.New(web.Deps{
		Public:         m.Public,
		PublicIndex:    m.PublicIndex,
		Service:        m.Service,
		Ready:          m.ready,
		Log:            m.Log,
		Version:        Version,
		Attribution:    demo.Attribution,
		Users:          m.Users,
		Sessions:       m.Users,
		TrustedProxies: m.Config.TrustedProxies,
		BaseURL:        m.Config.BaseURL,
		StaffIndex:     m.StaffIndex,
		Applications: &catalogue.ApplicationService{
			Store: m.Applications, Calendar: m.Service.Calendar, Settings: m.Service.Settings,
		},
		Reports: m.Applications,
		SaveCalendar: func(ctx context.Context, c *catalogue.Calendar) error {
			return storage.SaveCalendar(ctx, m.Bucket, c)
		},
	})
	if err != nil {
		return err
	}
	if err := m.PublicIndex.Warm(); err != nil {
		m.Log.Warn("public index: columns not read ahead; the first search reads them", "err", err)
	}
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", m.Config.Addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // uploads
		WriteTimeout:      5 * time.Minute, // downloads, exports
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(m.Log.Handler(), slog.LevelWarn),
	}
	addr := ln.Addr().String()
	m.Addr <- addr
	m.Log.Info("serving", "addr", "http://"+addr, "data", m.Config.Data, "store", m.Config.Store)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	// A change saved while the public side could not follow (a store
	// hiccup) is retried until the public side matches.
	rctx, stopRetries := context.WithCancel(ctx)
	defer stopRetries()
	go m.Service.RunPublicRetries(rctx, 2*time.Second)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	m.Log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), m.Config.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// ready reports whether the store and the public index can serve.
func (m *Main) ready(ctx context.Context) error {
	if _, err := m.Bucket.Stat(ctx, "internal/health-probe"); err != nil && !errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("object store: %w", err)
	}
	if _, err := m.PublicIndex.DocCount(); err != nil {
		return fmt.Errorf("public index: %w", err)
	}
	return nil
}

// Close releases everything Open took, in reverse order. A clean close
// of a consistent catalogue removes the unclean-shutdown marker.
func (m *Main) Close() error {
	var errs []error
	clean := !m.publicStale.Load()
	for _, idx := range []*search.Index{m.StaffIndex, m.PublicIndex} {
		if idx != nil {
			if err := idx.Close(); err != nil {
				errs = append(errs, err)
				clean = false
			}
		}
	}
	if m.Bucket != nil {
		if err := m.Bucket.Close(); err != nil { // it syncs what was deferred
			errs = append(errs, err)
			clean = false
		}
	}
	if m.lock != nil {
		if clean && m.consistent {
			_ = os.Remove(filepath.Join(m.Config.Data, dirtyMarker))
		}
		m.lock.Close()
	}
	return errors.Join(errs...)
}
