// Package storage is gongkai's source of truth: a small object-store
// interface with a filesystem provider (storage/fs, the embedded default) and
// a MinIO provider (storage/minio), and the catalogue records kept on it.
//
// Keys are slash-separated paths of printable characters, such as
// "internal/entries/3f9a.json". Every provider treats them alike, so the
// same data can move between providers unchanged.
package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Errors every provider reports, wrapped with its own context. Test them
// with errors.Is.
var (
	// ErrNotFound: no object at that key.
	ErrNotFound = errors.New("object not found")
	// ErrPrecondition: a conditional write lost: the object existed for
	// IfAbsent, or had changed (or vanished) for IfMatch.
	ErrPrecondition = errors.New("precondition failed")
	// ErrInvalidKey: the key is empty, absolute, has "." or ".." segments,
	// a backslash, a NUL or other control character, or is not UTF-8.
	ErrInvalidKey = errors.New("invalid object key")
	// ErrUnavailable: the store cannot be reached or refused our credentials.
	ErrUnavailable = errors.New("object store unavailable")
)

// ObjectInfo describes a stored object.
type ObjectInfo struct {
	Key         string
	Size        int64
	ContentType string
	// ETag changes whenever the object's content changes; pass it back in
	// PutOptions.IfMatch to replace the object only if it is unchanged.
	ETag    string
	ModTime time.Time
}

// PutOptions controls a write. IfAbsent and IfMatch are mutually exclusive.
type PutOptions struct {
	ContentType string
	// IfAbsent makes the write fail with ErrPrecondition if the key exists.
	IfAbsent bool
	// IfMatch makes the write fail with ErrPrecondition unless the object
	// exists with exactly this ETag.
	IfMatch string
}

// Bucket is a flat key space of immutable-per-write objects. Writes are
// atomic: a reader sees the old object or the new one, never a mix.
type Bucket interface {
	// Put stores the size bytes read from r at key. With IfAbsent or IfMatch
	// set it returns ErrPrecondition when the condition fails, leaving the
	// object as it was. Returns the new object's info.
	Put(ctx context.Context, key string, r io.Reader, size int64, opts PutOptions) (ObjectInfo, error)
	// Get opens the object. Returns ErrNotFound if absent. The caller closes
	// the reader; once ctx is done, reading it fails with ctx's error.
	Get(ctx context.Context, key string) (io.ReadCloser, ObjectInfo, error)
	// GetRange opens length bytes of the object from byte offset on, or
	// all of them to its end if length is negative: fewer if the object
	// ends sooner, none if it ends before offset. Returns ErrNotFound if
	// absent. Reading, as for Get, fails once ctx is done.
	GetRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error)
	// Stat returns the object's info, or ErrNotFound.
	Stat(ctx context.Context, key string) (ObjectInfo, error)
	// List calls fn for every object whose key starts with prefix, in
	// lexical key order, descending into every "directory". An error from fn
	// stops the walk and is returned.
	List(ctx context.Context, prefix string, fn func(ObjectInfo) error) error
	// Delete removes the object. Deleting an absent key is not an error.
	Delete(ctx context.Context, key string) error
	// Close releases the provider's resources.
	Close() error
}

// ValidateRange checks GetRange's arguments before a provider opens
// anything: a valid key, an offset not negative, ctx not done.
func ValidateRange(ctx context.Context, key string, offset int64) error {
	if err := ValidateKey(key); err != nil {
		return err
	}
	if offset < 0 {
		return fmt.Errorf("%q: negative offset %d", key, offset)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%q: %w", key, err)
	}
	return nil
}

// ValidateKey returns ErrInvalidKey (wrapped with the reason) unless key is a
// clean relative slash path that cannot escape a provider's root.
func ValidateKey(key string) error {
	switch {
	case key == "":
		return keyError(key, "empty")
	case len(key) > 1024:
		return keyError(key, "longer than 1024 bytes")
	case !utf8.ValidString(key):
		return keyError(key, "not UTF-8")
	case strings.HasPrefix(key, "/"):
		return keyError(key, "absolute")
	case strings.HasSuffix(key, "/"):
		return keyError(key, "ends with a slash")
	case strings.ContainsRune(key, '\\'):
		return keyError(key, "contains a backslash")
	}
	for _, r := range key {
		if r < 0x20 || r == 0x7f {
			return keyError(key, "contains a control character")
		}
	}
	for _, seg := range strings.Split(key, "/") {
		switch seg {
		case "":
			return keyError(key, "has an empty segment")
		case ".", "..":
			return keyError(key, "has a dot segment")
		}
	}
	return nil
}

// ValidatePrefix is ValidateKey for list prefixes: "" (everything) and a
// trailing slash are allowed.
func ValidatePrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	return ValidateKey(strings.TrimSuffix(prefix, "/"))
}

type invalidKeyError struct{ key, why string }

func (e *invalidKeyError) Error() string {
	return "storage: invalid key " + quoteKey(e.key) + ": " + e.why
}
func (e *invalidKeyError) Unwrap() error { return ErrInvalidKey }

func keyError(key, why string) error { return &invalidKeyError{key, why} }

func quoteKey(k string) string {
	if len(k) > 80 {
		k = k[:80] + "…"
	}
	return strings.ToValidUTF8(`"`+k+`"`, "?")
}

// ContextReader fails every Read once ctx is done, so a cancelled copy stops
// even when the rest of the content is already buffered (a file, or a
// response body the kernel has received in full).
func ContextReader(ctx context.Context, r io.Reader) io.Reader {
	return &contextReader{ctx: ctx, r: r}
}

// ContextReadCloser is ContextReader for a reader that must be closed.
func ContextReadCloser(ctx context.Context, rc io.ReadCloser) io.ReadCloser {
	return struct {
		io.Reader
		io.Closer
	}{&contextReader{ctx: ctx, r: rc}, rc}
}

type contextReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *contextReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// A Syncer is a Bucket whose writes can be made durable in groups: a write
// whose context came from DeferSync may return before it would survive a
// crash of the machine, and Sync makes every such write durable at once. On
// a local disk this is many times faster in bulk than a sync per object.
//
// A provider that implements Syncer must also make sure a crash before Sync
// leaves no deferred object half written: after it, each deferred object
// is either complete or absent, and no object that existed before a
// deferred write replaced it is lost.
type Syncer interface {
	Bucket
	Sync(ctx context.Context) error
}

type deferKey struct{}

// DeferSync returns a context under which writes to a Syncer may leave
// making them durable to its next Sync. Other providers make every write
// durable before it returns, as always.
func DeferSync(ctx context.Context) context.Context {
	return context.WithValue(ctx, deferKey{}, true)
}

// SyncNow returns a context under which writes are durable before they
// return, even inside a DeferSync context.
func SyncNow(ctx context.Context) context.Context {
	return context.WithValue(ctx, deferKey{}, false)
}

// SyncDeferred reports whether writes under ctx may defer their sync.
func SyncDeferred(ctx context.Context) bool {
	d, _ := ctx.Value(deferKey{}).(bool)
	return d
}
