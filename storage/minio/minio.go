// Package minio is the MinIO provider of storage.Bucket, for agencies that
// keep gongkai's data on a MinIO server.
//
// Conditional writes use the server's own If-None-Match and If-Match
// handling, which MinIO evaluates under its object lock, so they stay exact
// with many gongkai processes writing. Every object is sent in a single PUT,
// never as a multipart upload, so the condition and the write are one
// request and the ETag is always the content's MD5, as the filesystem
// provider's is.
package minio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	miniogo "github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/s3utils"

	"gongkai/storage"
)

// DefaultContentType is what MinIO stores when a Put names no content type.
const DefaultContentType = "application/octet-stream"

// Limits that keep an unreachable server from hanging gongkai: New gives up
// after checkTimeout, and each call retries a failed connection maxRetries
// times (about two seconds) before reporting storage.ErrUnavailable.
const (
	dialTimeout           = 5 * time.Second
	responseHeaderTimeout = 60 * time.Second
	maxRetries            = 3
)

// checkTimeout is a variable so tests of an unresponsive server need not
// wait for it.
var checkTimeout = 10 * time.Second

// Config says which server and bucket to use.
type Config struct {
	Endpoint  string // host:port, without a scheme
	AccessKey string
	SecretKey string
	Bucket    string
	Secure    bool // use HTTPS
}

// Bucket is a storage.Bucket on one bucket of a MinIO server.
type Bucket struct {
	client    *miniogo.Client
	transport *http.Transport
	bucket    string
}

var _ storage.Bucket = (*Bucket)(nil)

// New connects to the server and creates the bucket if it is missing. It
// returns an error wrapping storage.ErrUnavailable within about ten seconds
// if the server cannot be reached or refuses the credentials.
func New(ctx context.Context, cfg Config) (*Bucket, error) {
	switch {
	case cfg.Endpoint == "":
		return nil, errors.New("storage/minio: no endpoint configured")
	case cfg.AccessKey == "" || cfg.SecretKey == "":
		return nil, errors.New("storage/minio: access key and secret key are required")
	}
	if err := s3utils.CheckValidBucketName(cfg.Bucket); err != nil {
		return nil, fmt.Errorf("storage/minio: bucket name %q: %w", cfg.Bucket, err)
	}
	transport, err := miniogo.DefaultTransport(cfg.Secure)
	if err != nil {
		return nil, fmt.Errorf("storage/minio: %w", err)
	}
	transport.DialContext = (&net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}).DialContext
	transport.TLSHandshakeTimeout = dialTimeout
	transport.ResponseHeaderTimeout = responseHeaderTimeout
	client, err := miniogo.New(cfg.Endpoint, &miniogo.Options{
		Creds:      credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure:     cfg.Secure,
		Transport:  transport,
		MaxRetries: maxRetries,
	})
	if err != nil {
		return nil, fmt.Errorf("storage/minio: endpoint %q: %w", cfg.Endpoint, err)
	}
	b := &Bucket{client: client, transport: transport, bucket: cfg.Bucket}
	if err := b.ensureBucket(ctx, cfg); err != nil {
		transport.CloseIdleConnections()
		return nil, err
	}
	return b, nil
}

// ensureBucket is New's bounded check that the server answers, accepts our
// credentials and has the bucket.
func (b *Bucket) ensureBucket(parent context.Context, cfg Config) error {
	ctx, cancel := context.WithTimeout(parent, checkTimeout)
	defer cancel()
	exists, err := b.client.BucketExists(ctx, b.bucket)
	if err == nil && !exists {
		err = b.client.MakeBucket(ctx, b.bucket, miniogo.MakeBucketOptions{})
		if miniogo.ToErrorResponse(err).Code == "BucketAlreadyOwnedByYou" {
			err = nil // another gongkai created it meanwhile
		}
	}
	if err == nil {
		return nil
	}
	if miniogo.ToErrorResponse(err).StatusCode == http.StatusForbidden {
		return fmt.Errorf("storage/minio: %s refused the credentials of access key %q: %w: %w",
			cfg.Endpoint, cfg.AccessKey, storage.ErrUnavailable, err)
	}
	if ctx.Err() != nil && parent.Err() == nil {
		err = fmt.Errorf("no answer within %s: %w: %w", checkTimeout, storage.ErrUnavailable, err)
	} else {
		// Classified against the caller's context: our own deadline means
		// the server is unavailable, the caller's means they gave up.
		err = b.storageError(parent, err)
	}
	return fmt.Errorf("storage/minio: connect to %s, bucket %q: %w", cfg.Endpoint, cfg.Bucket, err)
}

// Put stores size bytes from r at key in one PUT request.
func (b *Bucket) Put(ctx context.Context, key string, r io.Reader, size int64, opts storage.PutOptions) (storage.ObjectInfo, error) {
	if err := storage.ValidateKey(key); err != nil {
		return storage.ObjectInfo{}, fmt.Errorf("storage/minio: put: %w", err)
	}
	switch {
	case size < 0:
		return storage.ObjectInfo{}, fmt.Errorf("storage/minio: put %q: negative size %d", key, size)
	case opts.IfAbsent && opts.IfMatch != "":
		return storage.ObjectInfo{}, fmt.Errorf("storage/minio: put %q: IfAbsent and IfMatch are mutually exclusive", key)
	}
	if err := ctx.Err(); err != nil {
		return storage.ObjectInfo{}, fmt.Errorf("storage/minio: put %q: %w", key, err)
	}
	contentType := opts.ContentType
	if contentType == "" {
		contentType = DefaultContentType
	}
	if strings.ContainsFunc(contentType, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return storage.ObjectInfo{}, fmt.Errorf("storage/minio: put %q: content type %q contains a control character", key, contentType)
	}
	putOpts := miniogo.PutObjectOptions{ContentType: contentType, DisableMultipart: true}
	switch {
	case opts.IfAbsent:
		putOpts.SetMatchETagExcept("*")
	case opts.IfMatch != "":
		putOpts.SetMatchETag(strings.Trim(opts.IfMatch, `"`))
	}
	body := &uploadBody{r: r, left: size}
	uploaded, err := b.client.PutObject(ctx, b.bucket, key, body, size, putOpts)
	if err != nil {
		switch {
		case body.err != nil && ctx.Err() == nil:
			// The caller's reader failed, not the server.
			err = body.err
		case opts.IfMatch != "" && miniogo.ToErrorResponse(err).Code == "NoSuchKey":
			err = fmt.Errorf("%w: the object does not exist", storage.ErrPrecondition)
		default:
			err = b.storageError(ctx, err)
		}
		return storage.ObjectInfo{}, fmt.Errorf("storage/minio: put %q: %w", key, err)
	}
	return storage.ObjectInfo{
		Key:         key,
		Size:        size,
		ContentType: contentType,
		ETag:        trimETag(uploaded.ETag),
		// A PUT response carries no Last-Modified; the server's clock
		// agrees with ours to within the request's duration.
		ModTime: time.Now(),
	}, nil
}

// Get opens the object. The reader fails once ctx is done.
func (b *Bucket) Get(ctx context.Context, key string) (io.ReadCloser, storage.ObjectInfo, error) {
	if err := storage.ValidateKey(key); err != nil {
		return nil, storage.ObjectInfo{}, fmt.Errorf("storage/minio: get: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, storage.ObjectInfo{}, fmt.Errorf("storage/minio: get %q: %w", key, err)
	}
	// One GET returns the body and its info together. (The lazy Object of
	// the high-level client sends a HEAD first and then a GET with
	// If-Match, so an object replaced in between fails with 412.)
	core := miniogo.Core{Client: b.client}
	body, st, _, err := core.GetObject(ctx, b.bucket, key, miniogo.GetObjectOptions{})
	if err != nil {
		return nil, storage.ObjectInfo{}, fmt.Errorf("storage/minio: get %q: %w", key, b.storageError(ctx, err))
	}
	st.Key = key
	// A body already received in full would otherwise still read to its
	// end after ctx is cancelled.
	return storage.ContextReadCloser(ctx, body), objectInfo(st, st.ContentType), nil
}

// GetRange opens length bytes of the object from offset on (to its end if
// length is negative) with one ranged GET.
func (b *Bucket) GetRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	if err := storage.ValidateRange(ctx, key, offset); err != nil {
		return nil, fmt.Errorf("storage/minio: get range: %w", err)
	}
	if length == 0 {
		return b.emptyRange(ctx, key)
	}
	var opts miniogo.GetObjectOptions
	var err error
	switch {
	case length > 0:
		err = opts.SetRange(offset, offset+length-1)
	case offset > 0:
		err = opts.SetRange(offset, 0) // "bytes=offset-", to the end
	}
	if err != nil {
		return nil, fmt.Errorf("storage/minio: get range %q: %w", key, err)
	}
	core := miniogo.Core{Client: b.client}
	body, _, _, err := core.GetObject(ctx, b.bucket, key, opts)
	if miniogo.ToErrorResponse(err).StatusCode == http.StatusRequestedRangeNotSatisfiable {
		// The object ends before offset (or is empty): S3 refuses the
		// range, where the interface promises an empty reader.
		return b.emptyRange(ctx, key)
	}
	if err != nil {
		return nil, fmt.Errorf("storage/minio: get range %q: %w", key, b.storageError(ctx, err))
	}
	return storage.ContextReadCloser(ctx, body), nil
}

// emptyRange is the empty reader of a range with no bytes in the object,
// or ErrNotFound if there is no object.
func (b *Bucket) emptyRange(ctx context.Context, key string) (io.ReadCloser, error) {
	if _, err := b.client.StatObject(ctx, b.bucket, key, miniogo.StatObjectOptions{}); err != nil {
		return nil, fmt.Errorf("storage/minio: get range %q: %w", key, b.storageError(ctx, err))
	}
	return io.NopCloser(strings.NewReader("")), nil
}

// Stat returns the object's info.
func (b *Bucket) Stat(ctx context.Context, key string) (storage.ObjectInfo, error) {
	if err := storage.ValidateKey(key); err != nil {
		return storage.ObjectInfo{}, fmt.Errorf("storage/minio: stat: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return storage.ObjectInfo{}, fmt.Errorf("storage/minio: stat %q: %w", key, err)
	}
	st, err := b.client.StatObject(ctx, b.bucket, key, miniogo.StatObjectOptions{})
	if err != nil {
		return storage.ObjectInfo{}, fmt.Errorf("storage/minio: stat %q: %w", key, b.storageError(ctx, err))
	}
	return objectInfo(st, st.ContentType), nil
}

// List calls fn for every object whose key starts with prefix, in lexical
// key order, as S3 lists them.
func (b *Bucket) List(ctx context.Context, prefix string, fn func(storage.ObjectInfo) error) error {
	if err := storage.ValidatePrefix(prefix); err != nil {
		return fmt.Errorf("storage/minio: list: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("storage/minio: list %q: %w", prefix, err)
	}
	// Cancelling stops the listing goroutine when fn ends the walk early.
	listCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	objects := b.client.ListObjects(listCtx, b.bucket, miniogo.ListObjectsOptions{
		Prefix:    prefix,
		Recursive: true,
		// A MinIO extension: each entry carries its content type, saving a
		// Stat per object.
		WithMetadata: true,
	})
	for obj := range objects {
		if obj.Err != nil {
			return fmt.Errorf("storage/minio: list %q: %w", prefix, b.storageError(ctx, obj.Err))
		}
		if err := fn(objectInfo(obj, listedContentType(obj))); err != nil {
			return err
		}
	}
	// The listing may end without an error when ctx is cancelled.
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("storage/minio: list %q: %w", prefix, err)
	}
	return nil
}

// Delete removes the object; S3 reports success for absent keys too.
func (b *Bucket) Delete(ctx context.Context, key string) error {
	if err := storage.ValidateKey(key); err != nil {
		return fmt.Errorf("storage/minio: delete: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("storage/minio: delete %q: %w", key, err)
	}
	if err := b.client.RemoveObject(ctx, b.bucket, key, miniogo.RemoveObjectOptions{}); err != nil {
		return fmt.Errorf("storage/minio: delete %q: %w", key, b.storageError(ctx, err))
	}
	return nil
}

// Close closes idle connections to the server.
func (b *Bucket) Close() error {
	b.transport.CloseIdleConnections()
	return nil
}

// unavailableCodes are S3 error codes that mean the store, not the request,
// is at fault.
var unavailableCodes = map[string]bool{
	"NoSuchBucket":               true,
	"AccessDenied":               true,
	"InvalidAccessKeyId":         true,
	"SignatureDoesNotMatch":      true,
	"XMinioServerNotInitialized": true,
	"XMinioStorageFull":          true,
	"ServiceUnavailable":         true,
	"SlowDown":                   true,
	"InternalError":              true,
}

// storageError maps a minio-go error to the storage package's errors,
// keeping the original in the chain.
func (b *Bucket) storageError(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		if errors.Is(err, ctxErr) {
			return err
		}
		return fmt.Errorf("%w: %w", ctxErr, err)
	}
	resp := miniogo.ToErrorResponse(err)
	switch {
	case resp.Code == "NoSuchKey":
		return fmt.Errorf("%w: %w", storage.ErrNotFound, err)
	case resp.StatusCode == http.StatusPreconditionFailed || resp.Code == "PreconditionFailed" ||
		resp.Code == "ConditionalRequestConflict":
		return fmt.Errorf("%w: %w", storage.ErrPrecondition, err)
	case unavailableCodes[resp.Code] || resp.StatusCode == http.StatusForbidden ||
		resp.StatusCode >= http.StatusInternalServerError || miniogo.IsNetworkOrHostDown(err, false):
		return fmt.Errorf("%w: %w", storage.ErrUnavailable, err)
	}
	return err
}

func objectInfo(obj miniogo.ObjectInfo, contentType string) storage.ObjectInfo {
	return storage.ObjectInfo{
		Key:         obj.Key,
		Size:        obj.Size,
		ContentType: contentType,
		ETag:        trimETag(obj.ETag),
		ModTime:     obj.LastModified,
	}
}

// listedContentType finds the content type among a listed object's
// metadata, whose key case varies between servers.
func listedContentType(obj miniogo.ObjectInfo) string {
	if obj.ContentType != "" {
		return obj.ContentType
	}
	for k, v := range obj.UserMetadata {
		if strings.EqualFold(k, "Content-Type") {
			return v
		}
	}
	return ""
}

// trimETag drops the quotes S3 puts around ETags, so ETags from Put, Stat,
// Get and List compare equal.
func trimETag(etag string) string { return strings.Trim(etag, `"`) }

// uploadBody passes exactly the declared number of bytes to minio-go and
// remembers a failure of the caller's reader, so Put can tell it from a
// failure of the server.
type uploadBody struct {
	r    io.Reader
	left int64
	err  error
}

func (u *uploadBody) Read(p []byte) (int, error) {
	if u.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > u.left {
		p = p[:u.left]
	}
	n, err := u.r.Read(p)
	u.left -= int64(n)
	switch {
	case errors.Is(err, io.EOF) && u.left > 0:
		err = fmt.Errorf("content ended %d bytes short of its size: %w", u.left, io.ErrUnexpectedEOF)
		u.err = err
	case err != nil && !errors.Is(err, io.EOF):
		u.err = err
	}
	return n, err
}
