// Package extract takes the plain text out of attachments (PDF, DOCX, HTML and
// text files) so that the indexer can make them searchable.
//
// Attachments come from outside and are often broken, so every extraction is
// bounded: input size, output length and time are capped by Limits, a parser
// panic becomes ErrCorrupt, and a process-wide semaphore keeps parsers that
// ignore cancellation from piling up.
package extract

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"runtime"
	"strings"
	"time"

	"gongkai/catalogue"
)

// Errors returned by Text, wrapped with the format and file name. They are
// domain errors so that their Chinese message can be shown to staff as the
// attachment's ExtractError.
var (
	// ErrUnsupported means the file is of a type this package cannot read.
	ErrUnsupported = catalogue.Errorf(catalogue.EINVALID, "不支持从该类型的附件提取文字")
	// ErrEncrypted means the file is password protected.
	ErrEncrypted = catalogue.Errorf(catalogue.EINVALID, "附件已加密，无法提取文字")
	// ErrCorrupt means the file is broken, truncated or not what its type says.
	ErrCorrupt = catalogue.Errorf(catalogue.EINVALID, "附件已损坏，无法提取文字")
	// ErrTooLarge means the input is larger than Limits.MaxBytes.
	ErrTooLarge = catalogue.Errorf(catalogue.ETOOLARGE, "附件过大，未提取文字")
	// ErrTimeout means extraction ran past Limits.Timeout, or waited that long
	// for a free parser.
	ErrTimeout = catalogue.Errorf(catalogue.EUNAVAILABLE, "提取附件文字超时")
)

// Media types that Sniff returns for the formats this package reads.
const (
	TypePDF  = "application/pdf"
	TypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeHTML = "text/html"
	TypeText = "text/plain"
)

// Default limits: large enough for any real 公开 attachment, small enough
// that one hostile file cannot take the server down.
const (
	DefaultMaxBytes = 50 << 20
	DefaultMaxChars = 2_000_000
	DefaultTimeout  = 20 * time.Second
)

// Limits bounds one extraction. Zero fields take the defaults.
type Limits struct {
	MaxBytes int64         // input larger than this fails with ErrTooLarge
	MaxChars int           // output is cut after this many characters (runes)
	Timeout  time.Duration // extraction stops with ErrTimeout after this long
}

// DefaultLimits returns the limits used for zero fields.
func DefaultLimits() Limits {
	return Limits{MaxBytes: DefaultMaxBytes, MaxChars: DefaultMaxChars, Timeout: DefaultTimeout}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxChars <= 0 {
		l.MaxChars = d.MaxChars
	}
	if l.Timeout <= 0 {
		l.Timeout = d.Timeout
	}
	return l
}

// Result is the text taken from one attachment.
type Result struct {
	Text        string // plain text, lines separated by "\n"
	ContentType string // the media type the file was read as
	Truncated   bool   // Text was cut at Limits.MaxChars
}

// maxParsers bounds the extractions running at once in this process. A parser
// stuck in a library loop cannot be killed, only abandoned; it keeps its slot,
// so a few such files degrade extraction to ErrTimeout instead of piling up
// goroutines and memory.
var maxParsers = max(2, runtime.NumCPU())

var shared = newExtractor(maxParsers)

// Text reads r (at most lim.MaxBytes) and returns its plain text. name (the
// file name, for its extension and for error messages) and contentType (as
// declared by the uploader, may be empty) only help when the content itself
// does not tell its type; see Sniff.
//
// Errors wrap ErrUnsupported, ErrEncrypted, ErrCorrupt, ErrTooLarge or
// ErrTimeout, or ctx.Err() when ctx is cancelled; a read error from r is
// returned wrapped. Text never panics on bad input.
func Text(ctx context.Context, r io.Reader, name, contentType string, lim Limits) (Result, error) {
	return shared.text(ctx, r, name, contentType, lim)
}

// extractor runs extractions in worker goroutines bounded by slots.
type extractor struct {
	slots chan struct{}
}

func newExtractor(n int) *extractor {
	return &extractor{slots: make(chan struct{}, n)}
}

type outcome struct {
	res Result
	err error
}

func (x *extractor) text(ctx context.Context, r io.Reader, name, contentType string, lim Limits) (Result, error) {
	lim = lim.withDefaults()
	ctx, cancel := context.WithTimeoutCause(ctx, lim.Timeout, ErrTimeout)
	defer cancel()

	select {
	case x.slots <- struct{}{}:
	case <-ctx.Done():
		return Result{}, fmt.Errorf("extract: %q: waiting for a free parser: %w", name, ctxErr(ctx))
	}

	// Buffered, so an abandoned worker can still deliver and exit.
	done := make(chan outcome, 1)
	go func() {
		defer func() { <-x.slots }()
		var o outcome
		defer func() {
			if p := recover(); p != nil {
				o = outcome{err: fmt.Errorf("extract: %q: %w: parser panic: %v", name, ErrCorrupt, p)}
			}
			done <- o
		}()
		o.res, o.err = run(ctx, r, name, contentType, lim)
	}()

	select {
	case o := <-done:
		if o.err != nil && ctx.Err() != nil {
			// A parser that noticed the deadline reports it in its own words;
			// callers want the cause.
			return Result{}, fmt.Errorf("extract: %q: %w", name, ctxErr(ctx))
		}
		return o.res, o.err
	case <-ctx.Done():
		return Result{}, fmt.Errorf("extract: %q: %w", name, ctxErr(ctx))
	}
}

// ctxErr returns ErrTimeout (which also matches context.DeadlineExceeded) if
// our own deadline fired, and the caller's error otherwise.
func ctxErr(ctx context.Context) error {
	if errors.Is(context.Cause(ctx), ErrTimeout) {
		return fmt.Errorf("%w: %w", ErrTimeout, context.DeadlineExceeded)
	}
	return ctx.Err()
}

// run reads the input and dispatches on its type; it runs in the worker.
func run(ctx context.Context, r io.Reader, name, contentType string, lim Limits) (Result, error) {
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxBytes+1))
	if err != nil {
		return Result{}, fmt.Errorf("extract: read %q: %w", name, err)
	}
	if int64(len(data)) > lim.MaxBytes {
		return Result{}, fmt.Errorf("extract: %q: over %d bytes: %w", name, lim.MaxBytes, ErrTooLarge)
	}

	typ := Sniff(data, name)
	if !supported(typ) && !genericType(typ) {
		// An explicit, unsupported sniffed type (a .doc, an image) wins.
		return Result{ContentType: typ}, fmt.Errorf("extract: %q (%s): %w", name, typ, unsupportedReason(typ, name))
	}
	if !supported(typ) {
		if declared := mediaType(contentType); supported(declared) {
			typ = declared
		}
	}

	w := newTextBuilder(lim.MaxChars)
	switch typ {
	case TypePDF:
		err = pdfText(ctx, data, w)
		err = wrapFormat("pdf", name, err)
	case TypeDOCX:
		err = docxText(ctx, data, lim.MaxBytes, w)
		err = wrapFormat("docx", name, err)
	case TypeHTML:
		err = htmlText(ctx, data, contentType, w)
		err = wrapFormat("html", name, err)
	case TypeText:
		err = plainText(data, w)
		err = wrapFormat("text", name, err)
	default:
		err = fmt.Errorf("extract: %q (%s): %w", name, typ, ErrUnsupported)
	}
	if err != nil {
		return Result{ContentType: typ}, err
	}
	return Result{Text: w.String(), ContentType: typ, Truncated: w.Truncated()}, nil
}

func wrapFormat(format, name string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("extract: %s %q: %w", format, name, err)
}

// unsupportedReason tells an encrypted Office file from an old binary one:
// an encrypted .docx is an OLE container, just like a .doc.
func unsupportedReason(typ, name string) error {
	if typ == "application/x-ole-storage" && strings.EqualFold(path.Ext(name), ".docx") {
		return ErrEncrypted
	}
	return ErrUnsupported
}

func supported(typ string) bool {
	switch typ {
	case TypePDF, TypeDOCX, TypeHTML, TypeText:
		return true
	}
	return false
}
