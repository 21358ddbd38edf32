// Package fs is the filesystem provider of storage.Bucket, gongkai's
// embedded default store.
//
// Under its root directory it keeps two folders and, at times, a marker:
//
//	objects/<key>   one file per object
//	tmp/            writes in progress, emptied by New
//	unsynced        there may be deferred writes not yet synced
//
// An object file is a three-line header followed by the content:
//
//	gongkai-object 1
//	<MD5 of the content in hex, the ETag>
//	<content type>
//
// Keeping the metadata in the same file as the data means one rename
// publishes both, so a crash leaves either the old object or the new one,
// never data without its content type. Temporary files live outside
// objects/, so List never sees them.
//
// A write is durable when Put returns: the file is synced before its rename
// and the folder after it. A write whose context came from
// storage.DeferSync skips both, and Sync makes all such writes durable with
// one sync of the filesystem. Before the first of them the marker is made
// durable; a Sync that covered every deferred write removes it. If New
// finds it, the machine stopped before a Sync, and a deferred object may
// have been renamed into place before its content reached the disk: New
// checks every object written since the marker against its MD5, removes
// those that fail, and keeps the marker until the next Sync (UnsyncedStop).
// Only new objects can fail: a deferred write that replaces an object
// syncs its file before the rename, so the old version is replaced only by
// a complete new one.
//
// A key cannot be both an object and a folder of others ("a" and "a/b"):
// writing the second one fails. MinIO does not refuse this but stops listing
// one of the two, so gongkai's keys never do it.
package fs

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	iofs "io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"gongkai/storage"
)

const (
	objectsDir = "objects"
	tmpDir     = "tmp"
	// unsyncedMarker exists while deferred writes may not be durable.
	unsyncedMarker = "unsynced"
	// tmpShards spreads the temporary files over folders of tmpDir:
	// creating a file in a folder and renaming one out of it both hold the
	// folder's lock, and with every write's temporary file in one folder
	// an import's workers spent an eighth of their CPU spinning on it.
	tmpShards = 16

	headerMagic = "gongkai-object 1"
	// DefaultContentType is stored when a Put names none, as S3 does.
	DefaultContentType = "application/octet-stream"
	// maxContentType bounds the header; real MIME types are far shorter.
	maxContentType = 255
	maxHeader      = len(headerMagic) + 1 + md5.Size*2 + 1 + maxContentType + 1

	dirPerm  = 0o750
	filePerm = 0o640
)

// Bucket is a storage.Bucket on a local directory.
//
// Conditional writes are made exact with in-process locks: the server locks
// the data directory so only one process ever writes to it, and within the
// process every commit of a key holds that key's lock.
type Bucket struct {
	dir  string   // the root directory, for messages
	root *os.Root // every file access goes through it, so no key or symlink escapes dir

	// keyLocks serialise the check-and-rename of writes to the same key
	// (striped by hash, so unrelated keys rarely wait on each other).
	keyLocks [64]sync.Mutex
	// tree is held shared by writes, which create folders, and exclusively
	// by deletes, which remove folders left empty.
	tree    sync.RWMutex
	tempSeq atomic.Uint64
	// folders keeps the busiest folders open for operations relative to
	// them (at_unix.go); a write into an open one need not create it.
	// delete drops the folders it removes (under tree).
	folders folders
	// syncs coalesces concurrent syncs of one folder: writers that renamed
	// into it while a sync ran share the next one.
	syncs sync.Map // string → *dirSync
	// deferred tracks the writes that left their sync to Sync.
	deferred deferState
	// unsyncedStop is set when New found the unsynced marker: the
	// machine stopped before deferred writes were synced. repaired lists
	// the keys New removed because their content never reached the disk.
	unsyncedStop bool
	repaired     []string
	// syncRoot is the root folder, open for syncfs(2) for the bucket's
	// life, so that an error in writing back is reported to it once and
	// not lost between two handles.
	syncRoot *os.File
}

// deferState says whether the unsynced marker is on disk and which
// deferred writes Sync can know to be covered.
type deferState struct {
	mu      sync.Mutex
	marked  bool   // the marker is on disk
	writing int    // deferred writes in progress
	begun   uint64 // deferred writes begun, ever
	failed  bool   // a sync failed: the marker stays for good
}

var _ storage.Syncer = (*Bucket)(nil)

// New opens the bucket rooted at dir, creating the directory if needed, and
// deletes writes a crash left unfinished: temporary files, and deferred
// objects whose content did not reach the disk (see Repaired).
func New(dir string) (*Bucket, error) {
	if dir == "" {
		return nil, errors.New("storage/fs: no directory given")
	}
	if err := os.MkdirAll(dir, dirPerm); err != nil {
		return nil, fmt.Errorf("storage/fs: create %s: %w", dir, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("storage/fs: open %s: %w", dir, err)
	}
	b := &Bucket{dir: dir, root: root}
	if b.syncRoot, err = root.Open("."); err != nil {
		root.Close()
		return nil, fmt.Errorf("storage/fs: open %s: %w", dir, err)
	}
	if err := b.prepare(); err != nil {
		b.syncRoot.Close()
		root.Close()
		return nil, fmt.Errorf("storage/fs: prepare %s: %w", dir, err)
	}
	return b, nil
}

func (b *Bucket) prepare() error {
	if err := b.root.RemoveAll(tmpDir); err != nil {
		return err
	}
	if fi, err := b.root.Stat(unsyncedMarker); err == nil {
		// The marker stays until a Sync: should this process stop too
		// before the caller has mended what the stop left (see
		// UnsyncedStop), the next New finds it again.
		b.unsyncedStop = true
		b.deferred.marked = true
		// Deferred writes began after the marker was written; a minute
		// allows for a clock set back meanwhile. A clock now behind the
		// marker's time was set back further, and nothing tells when:
		// every object is checked.
		since := fi.ModTime().Add(-time.Minute)
		if time.Now().Before(fi.ModTime()) {
			since = time.Time{}
		}
		if err := b.removeIncomplete(since); err != nil {
			return fmt.Errorf("check objects after an unsynced stop: %w", err)
		}
	} else if !errors.Is(err, iofs.ErrNotExist) {
		return err
	}
	for _, d := range []string{objectsDir, tmpDir} {
		if err := b.root.Mkdir(d, dirPerm); err != nil && !errors.Is(err, iofs.ErrExist) {
			return err
		}
	}
	for i := range tmpShards {
		if err := b.root.Mkdir(tmpShard(i), dirPerm); err != nil {
			return err
		}
	}
	return b.syncDir(".")
}

// tmpShard is the i-th folder of temporary files.
func tmpShard(i int) string { return fmt.Sprintf("%s/%02d", tmpDir, i) }

// Put stores size bytes from r at key: it writes them to a temporary file,
// syncs it, and renames it into place (deferring the syncs under
// storage.DeferSync).
func (b *Bucket) Put(ctx context.Context, key string, r io.Reader, size int64, opts storage.PutOptions) (storage.ObjectInfo, error) {
	if err := storage.ValidateKey(key); err != nil {
		return storage.ObjectInfo{}, fmt.Errorf("storage/fs: put: %w", err)
	}
	info, err := b.put(ctx, key, r, size, opts)
	if err != nil {
		return storage.ObjectInfo{}, fmt.Errorf("storage/fs: put %q: %w", key, err)
	}
	return info, nil
}

func (b *Bucket) put(ctx context.Context, key string, r io.Reader, size int64, opts storage.PutOptions) (storage.ObjectInfo, error) {
	switch {
	case size < 0:
		return storage.ObjectInfo{}, fmt.Errorf("negative size %d", size)
	case opts.IfAbsent && opts.IfMatch != "":
		return storage.ObjectInfo{}, errors.New("IfAbsent and IfMatch are mutually exclusive")
	}
	contentType := opts.ContentType
	if contentType == "" {
		contentType = DefaultContentType
	}
	if err := checkContentType(contentType); err != nil {
		return storage.ObjectInfo{}, err
	}
	if err := ctx.Err(); err != nil {
		return storage.ObjectInfo{}, err
	}

	deferred := canDefer && storage.SyncDeferred(ctx)
	if deferred {
		if err := b.beginDeferred(); err != nil {
			return storage.ObjectInfo{}, err
		}
		defer b.endDeferred()
	}

	seq := b.tempSeq.Add(1)
	tmp := fmt.Sprintf("%s/%d-%d", tmpShard(int(seq%tmpShards)), os.Getpid(), seq)
	f, err := b.openAt(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, filePerm)
	if err != nil {
		return storage.ObjectInfo{}, err
	}
	committed := false
	defer func() {
		if !committed {
			f.Close()
			b.root.Remove(tmp)
		}
	}()
	etag, modTime, err := writeObject(ctx, f, r, size, contentType)
	if err != nil {
		return storage.ObjectInfo{}, err
	}
	if !deferred {
		if err := f.Sync(); err != nil {
			return storage.ObjectInfo{}, err
		}
	}
	if err := b.commit(ctx, f, tmp, key, opts, deferred); err != nil {
		return storage.ObjectInfo{}, err
	}
	committed = true
	// The object is in place: a failure to close is no failure of the
	// write (on a local disk its errors are reported by the syncs).
	f.Close()
	return storage.ObjectInfo{Key: key, Size: size, ContentType: contentType, ETag: etag, ModTime: modTime}, nil
}

// writeObject writes the header and content to f. The header
// is written twice: first with a blank ETag to reserve its place, then with
// the MD5 once the content has streamed through.
func writeObject(ctx context.Context, f *os.File, r io.Reader, size int64, contentType string) (etag string, modTime time.Time, err error) {
	blank := strings.Repeat("0", md5.Size*2)
	if _, err := io.WriteString(f, header(blank, contentType)); err != nil {
		return "", time.Time{}, err
	}
	h := md5.New()
	if _, err := io.CopyN(io.MultiWriter(f, h), storage.ContextReader(ctx, r), size); err != nil {
		if errors.Is(err, io.EOF) {
			err = fmt.Errorf("content shorter than its size %d: %w", size, io.ErrUnexpectedEOF)
		}
		return "", time.Time{}, err
	}
	etag = hex.EncodeToString(h.Sum(nil))
	if _, err := f.WriteAt([]byte(header(etag, contentType)), 0); err != nil {
		return "", time.Time{}, err
	}
	fi, err := f.Stat()
	if err != nil {
		return "", time.Time{}, err
	}
	return etag, fi.ModTime(), nil
}

// commit checks the write's condition and renames the temporary file f to
// the key's path, both under the key's lock, then syncs the folder so the
// rename survives a crash. A deferred write syncs neither, except that it
// syncs f before replacing an object, which a crash must not lose.
func (b *Bucket) commit(ctx context.Context, f *os.File, tmp, key string, opts storage.PutOptions, deferred bool) error {
	b.tree.RLock()
	defer b.tree.RUnlock()
	mu := b.keyLock(key)
	mu.Lock()
	defer mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}

	name := objectsDir + "/" + key
	if err := b.mkdirs(path.Dir(name)); err != nil {
		return err
	}
	fi, err := b.lstatAt(name)
	exists := err == nil && fi.Mode().IsRegular()
	switch {
	case err == nil && fi.IsDir():
		return fmt.Errorf("%q is a folder of other objects", key)
	case err != nil && !errors.Is(err, iofs.ErrNotExist):
		return notFoundOr(err)
	case opts.IfAbsent && exists:
		return fmt.Errorf("%w: the object already exists", storage.ErrPrecondition)
	case opts.IfMatch != "" && !exists:
		return fmt.Errorf("%w: the object does not exist", storage.ErrPrecondition)
	case opts.IfMatch != "":
		current, err := b.statLocked(key)
		if err != nil && !errors.Is(err, storage.ErrNotFound) {
			return err
		}
		if err != nil || current.ETag != strings.Trim(opts.IfMatch, `"`) {
			return fmt.Errorf("%w: the object changed (ETag %s, not %s)", storage.ErrPrecondition, current.ETag, opts.IfMatch)
		}
	}
	if deferred && exists {
		if err := f.Sync(); err != nil {
			return err
		}
	}
	if err := b.renameAt(tmp, name); err != nil {
		return err
	}
	if deferred {
		return nil
	}
	return b.syncDir(path.Dir(name))
}

// notFoundOr passes err on unless it only says a parent is an object
// ("a" exists and "a/b" is asked for), which the rename then reports.
func notFoundOr(err error) error {
	if errors.Is(err, syscall.ENOTDIR) {
		return fmt.Errorf("a parent of the key is an object, so it cannot hold others: %w", err)
	}
	return err
}

// mkdirs creates dir and its missing parents under the root, syncing each
// parent that gained an entry.
func (b *Bucket) mkdirs(dir string) error {
	if b.folders.isOpen(dir) {
		return nil
	}
	segs := strings.Split(dir, "/")
	for i := 2; i <= len(segs); i++ {
		d := strings.Join(segs[:i], "/")
		err := b.root.Mkdir(d, dirPerm)
		switch {
		case err == nil:
			if err := b.syncDir(path.Dir(d)); err != nil {
				return err
			}
		case errors.Is(err, iofs.ErrExist):
			if fi, err := b.root.Stat(d); err != nil {
				return err
			} else if !fi.IsDir() {
				return fmt.Errorf("%q is an object, so it cannot hold others", strings.TrimPrefix(d, objectsDir+"/"))
			}
		default:
			return err
		}
	}
	return nil
}

// Get opens the object for reading. Reads fail once ctx is done.
func (b *Bucket) Get(ctx context.Context, key string) (io.ReadCloser, storage.ObjectInfo, error) {
	if err := storage.ValidateKey(key); err != nil {
		return nil, storage.ObjectInfo{}, fmt.Errorf("storage/fs: get: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, storage.ObjectInfo{}, fmt.Errorf("storage/fs: get %q: %w", key, err)
	}
	f, info, err := b.open(key)
	if err != nil {
		return nil, storage.ObjectInfo{}, fmt.Errorf("storage/fs: get %q: %w", key, err)
	}
	return storage.ContextReadCloser(ctx, f), info, nil
}

// GetRange opens length bytes of the object from offset on (to its end if
// length is negative). Reads fail once ctx is done.
func (b *Bucket) GetRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	if err := storage.ValidateRange(ctx, key, offset); err != nil {
		return nil, fmt.Errorf("storage/fs: get range: %w", err)
	}
	f, info, err := b.open(key)
	if err != nil {
		return nil, fmt.Errorf("storage/fs: get range %q: %w", key, err)
	}
	// open leaves f at the start of the content, after the header.
	if _, err := f.Seek(min(offset, info.Size), io.SeekCurrent); err != nil {
		f.Close()
		return nil, fmt.Errorf("storage/fs: get range %q: %w", key, err)
	}
	var r io.Reader = f
	if length >= 0 {
		r = io.LimitReader(f, length)
	}
	return storage.ContextReadCloser(ctx, struct {
		io.Reader
		io.Closer
	}{r, f}), nil
}

// Stat returns the object's info.
func (b *Bucket) Stat(ctx context.Context, key string) (storage.ObjectInfo, error) {
	if err := storage.ValidateKey(key); err != nil {
		return storage.ObjectInfo{}, fmt.Errorf("storage/fs: stat: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return storage.ObjectInfo{}, fmt.Errorf("storage/fs: stat %q: %w", key, err)
	}
	info, err := b.stat(key)
	if err != nil {
		return storage.ObjectInfo{}, fmt.Errorf("storage/fs: stat %q: %w", key, err)
	}
	return info, nil
}

func (b *Bucket) stat(key string) (storage.ObjectInfo, error) {
	b.tree.RLock()
	defer b.tree.RUnlock()
	return b.statLocked(key)
}

// statLocked is stat for a caller that holds the tree lock.
func (b *Bucket) statLocked(key string) (storage.ObjectInfo, error) {
	f, info, err := b.openLocked(key)
	if err != nil {
		return storage.ObjectInfo{}, err
	}
	f.Close()
	return info, nil
}

// open opens the object file positioned at the start of its content.
func (b *Bucket) open(key string) (*os.File, storage.ObjectInfo, error) {
	b.tree.RLock() // keeps the folder open while the file is opened in it
	defer b.tree.RUnlock()
	return b.openLocked(key)
}

// openLocked is open for a caller that holds the tree lock.
func (b *Bucket) openLocked(key string) (*os.File, storage.ObjectInfo, error) {
	f, err := b.openAt(objectsDir+"/"+key, os.O_RDONLY, 0)
	if err != nil {
		return nil, storage.ObjectInfo{}, notFound(err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, storage.ObjectInfo{}, err
	}
	if !fi.Mode().IsRegular() {
		// A folder of other objects, or something no Put made.
		f.Close()
		return nil, storage.ObjectInfo{}, storage.ErrNotFound
	}
	info, err := readHeader(f, key, fi)
	if err != nil {
		f.Close()
		return nil, storage.ObjectInfo{}, err
	}
	return f, info, nil
}

// errNotObject: the file does not start with an object header.
var errNotObject = errors.New("not a gongkai object file")

// readHeader parses the object header at the start of f, leaving f at the
// first byte of content.
func readHeader(f *os.File, key string, fi os.FileInfo) (storage.ObjectInfo, error) {
	buf := make([]byte, maxHeader)
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return storage.ObjectInfo{}, err
	}
	lines := strings.SplitN(string(buf[:n]), "\n", 4)
	if len(lines) < 4 || lines[0] != headerMagic || len(lines[1]) != md5.Size*2 {
		return storage.ObjectInfo{}, fmt.Errorf("%s: %w", fi.Name(), errNotObject)
	}
	headerLen := len(lines[0]) + len(lines[1]) + len(lines[2]) + 3
	if _, err := f.Seek(int64(headerLen), io.SeekStart); err != nil {
		return storage.ObjectInfo{}, err
	}
	return storage.ObjectInfo{
		Key:         key,
		Size:        fi.Size() - int64(headerLen),
		ContentType: lines[2],
		ETag:        lines[1],
		ModTime:     fi.ModTime(),
	}, nil
}

func header(etag, contentType string) string {
	return headerMagic + "\n" + etag + "\n" + contentType + "\n"
}

func checkContentType(ct string) error {
	if len(ct) > maxContentType {
		return fmt.Errorf("content type longer than %d bytes", maxContentType)
	}
	for _, r := range ct {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("content type %q contains a control character", ct)
		}
	}
	return nil
}

// List calls fn for every object whose key starts with prefix, in lexical
// key order.
func (b *Bucket) List(ctx context.Context, prefix string, fn func(storage.ObjectInfo) error) error {
	if err := storage.ValidatePrefix(prefix); err != nil {
		return fmt.Errorf("storage/fs: list: %w", err)
	}
	// Start in the deepest folder the prefix names in full.
	dir := prefix[:strings.LastIndex(prefix, "/")+1]
	err := b.walk(ctx, dir, prefix, fn)
	var stopped *stopError
	if errors.As(err, &stopped) {
		return stopped.err
	}
	if err != nil {
		return fmt.Errorf("storage/fs: list %q: %w", prefix, err)
	}
	return nil
}

// stopError carries fn's error out of the walk, so List returns exactly
// what fn did, unwrapped.
type stopError struct{ err error }

func (e *stopError) Error() string { return "stopped: " + e.err.Error() }

// walk visits the folder holding keys that start with dir ("" or ending in
// "/"), in key order: a folder "a" sorts as "a/", since that is how every
// key inside it begins.
func (b *Bucket) walk(ctx context.Context, dir, prefix string, fn func(storage.ObjectInfo) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d, err := b.root.Open(objectsDir + "/" + dir)
	if err != nil {
		if errors.Is(err, iofs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return nil
		}
		return err
	}
	entries, err := d.ReadDir(-1)
	d.Close()
	if err != nil {
		if errors.Is(err, syscall.ENOTDIR) {
			return nil
		}
		return err
	}
	sortKey := func(e iofs.DirEntry) string {
		if e.IsDir() {
			return e.Name() + "/"
		}
		return e.Name()
	}
	slices.SortFunc(entries, func(x, y iofs.DirEntry) int { return strings.Compare(sortKey(x), sortKey(y)) })

	for _, e := range entries {
		key := dir + sortKey(e)
		switch {
		case e.IsDir():
			if strings.HasPrefix(key, prefix) || strings.HasPrefix(prefix, key) {
				if err := b.walk(ctx, key, prefix, fn); err != nil {
					return err
				}
			}
		case e.Type().IsRegular() && strings.HasPrefix(key, prefix):
			if err := ctx.Err(); err != nil {
				return err
			}
			info, err := b.stat(key)
			if errors.Is(err, storage.ErrNotFound) {
				continue // deleted since ReadDir
			}
			if err != nil {
				return err
			}
			if err := fn(info); err != nil {
				return &stopError{err}
			}
		}
	}
	return nil
}

// Delete removes the object and the folders it leaves empty.
func (b *Bucket) Delete(ctx context.Context, key string) error {
	if err := storage.ValidateKey(key); err != nil {
		return fmt.Errorf("storage/fs: delete: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("storage/fs: delete %q: %w", key, err)
	}
	if err := b.delete(key); err != nil {
		return fmt.Errorf("storage/fs: delete %q: %w", key, err)
	}
	return nil
}

func (b *Bucket) delete(key string) error {
	// Exclusive: no write may be between creating a folder and renaming
	// into it while empty folders are removed.
	b.tree.Lock()
	defer b.tree.Unlock()
	name := objectsDir + "/" + key
	fi, err := b.root.Lstat(name)
	switch {
	case errors.Is(err, iofs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		return nil
	case err != nil:
		return err
	case fi.IsDir():
		return nil // a folder of other objects, not an object
	}
	if err := b.root.Remove(name); err != nil {
		return err
	}
	dir := path.Dir(name)
	for dir != objectsDir {
		if err := b.root.Remove(dir); err != nil {
			break // not empty: it holds other objects
		}
		b.folders.drop(dir)
		dir = path.Dir(dir)
	}
	return b.syncDir(dir)
}

// beginDeferred starts a write that leaves its sync to Sync, first making
// the unsynced marker durable if it is not on disk.
func (b *Bucket) beginDeferred() error {
	d := &b.deferred
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.marked {
		if err := b.writeMarker(); err != nil {
			return fmt.Errorf("mark unsynced writes: %w", err)
		}
		d.marked = true
	}
	d.writing++
	d.begun++
	return nil
}

func (b *Bucket) endDeferred() {
	d := &b.deferred
	d.mu.Lock()
	d.writing--
	d.mu.Unlock()
}

func (b *Bucket) writeMarker() error {
	f, err := b.root.OpenFile(unsyncedMarker, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, filePerm)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(f, time.Now().UTC().Format(time.RFC3339)+"\n"); err != nil {
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
	return b.syncFolder(".")
}

// Sync makes every deferred write that has returned durable. It removes
// the unsynced marker when no deferred write ran while it synced.
func (b *Bucket) Sync(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("storage/fs: sync: %w", err)
	}
	d := &b.deferred
	d.mu.Lock()
	marked, idle, begun := d.marked, d.writing == 0, d.begun
	d.mu.Unlock()
	if !marked {
		return nil // nothing deferred since the last Sync
	}
	if err := b.syncFilesystem(); err != nil {
		d.mu.Lock()
		d.failed = true // some write may be lost: the next New checks
		d.mu.Unlock()
		return fmt.Errorf("storage/fs: sync %s: %w", b.dir, err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if idle && !d.failed && d.writing == 0 && d.begun == begun {
		// Every deferred write ended before the sync began: all are
		// durable. Should removing the marker itself be lost, the next
		// New only checks objects it need not have.
		if err := b.root.Remove(unsyncedMarker); err != nil && !errors.Is(err, iofs.ErrNotExist) {
			return fmt.Errorf("storage/fs: sync: %w", err)
		}
		d.marked = false
	}
	return nil
}

// removeIncomplete removes every object written since the time given
// whose content does not match the MD5 in its header, recording its key in
// b.repaired. An older object is left alone, whatever its state: damage to
// it is not of a deferred write's making, and is reported when it is read.
func (b *Bucket) removeIncomplete(since time.Time) error {
	return iofs.WalkDir(b.root.FS(), objectsDir, func(name string, e iofs.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() {
			return err
		}
		if fi, err := e.Info(); err != nil {
			return err
		} else if fi.ModTime().Before(since) {
			return nil
		}
		key := strings.TrimPrefix(name, objectsDir+"/")
		ok, err := b.complete(key)
		if err != nil || ok {
			return err
		}
		if err := b.root.Remove(name); err != nil {
			return err
		}
		b.repaired = append(b.repaired, key)
		return nil
	})
}

// complete reports whether the object's content matches its header's MD5.
func (b *Bucket) complete(key string) (bool, error) {
	f, err := b.root.Open(objectsDir + "/" + key)
	if err != nil {
		return false, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return false, err
	}
	info, err := readHeader(f, key, fi)
	if errors.Is(err, errNotObject) {
		return false, nil // its header never reached the disk
	}
	if err != nil {
		return false, err
	}
	h := md5.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return false, err
	}
	return n == info.Size && hex.EncodeToString(h.Sum(nil)) == info.ETag, nil
}

// UnsyncedStop reports whether New found that the machine had stopped
// before deferred writes were synced. Each of them may then be missing,
// and the objects whose content never reached the disk are removed
// (Repaired), but their order is lost: the caller must check what depends
// on it (gongkai reconciles the catalogue).
func (b *Bucket) UnsyncedStop() bool { return b.unsyncedStop }

// Repaired returns the keys of the objects New removed because the machine
// stopped before their deferred writes were synced. Those writes were never
// reported durable: a bulk import run again writes them anew.
func (b *Bucket) Repaired() []string { return slices.Clone(b.repaired) }

// Close syncs the deferred writes and releases the root directory. The
// bucket is unusable afterwards.
func (b *Bucket) Close() error {
	err := b.Sync(context.Background())
	b.folders.closeAll()
	b.syncRoot.Close()
	if cerr := b.root.Close(); cerr != nil {
		err = errors.Join(err, fmt.Errorf("storage/fs: close %s: %w", b.dir, cerr))
	}
	return err
}

func (b *Bucket) keyLock(key string) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(key))
	return &b.keyLocks[h.Sum32()%uint32(len(b.keyLocks))]
}

// syncDir flushes a folder's entries, making renames and removals in it
// durable.
func (b *Bucket) syncDir(dir string) error {
	s, _ := b.syncs.LoadOrStore(dir, newDirSync())
	return s.(*dirSync).sync(func() error { return b.syncFolder(dir) })
}

// dirSync lets concurrent writers share one sync of a folder: a sync
// covers every rename made before it started, so a writer waits for the
// first sync that starts after its rename, running it itself if none runs.
type dirSync struct {
	mu       sync.Mutex
	done     *sync.Cond
	running  bool
	started  uint64 // syncs begun
	finished uint64 // the number of the last sync to end
	err      error  // what it returned
}

func newDirSync() *dirSync {
	s := &dirSync{}
	s.done = sync.NewCond(&s.mu)
	return s
}

func (s *dirSync) sync(do func() error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	// A sync running now may have started before the caller's rename.
	need := s.started + 1
	for s.finished < need {
		if s.running {
			s.done.Wait()
			continue
		}
		s.running = true
		s.started++
		n := s.started
		s.mu.Unlock()
		err := do()
		s.mu.Lock()
		s.running, s.finished, s.err = false, n, err
		s.done.Broadcast()
	}
	return s.err
}

// notFound turns "no such file" and "a parent is a file" into ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, iofs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return storage.ErrNotFound
	}
	return err
}
