package storage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"sync"

	"github.com/gabriel-vasile/mimetype"

	"gongkai/catalogue"
)

// Key layout. Everything under internal/ is for staff; everything under
// public/ is what the public side may read, and only catalogue.Service (via
// PublicSite) writes there.
const (
	internalPrefix = "internal/"
	entriesPrefix  = "internal/entries/"
	filesPrefix    = "internal/files/"
	textPrefix     = "internal/text/"
	seqPrefix      = "internal/seq/"
	claimsPrefix   = "internal/claims/index_no/"

	// PublicPrefix is the only prefix the public side reads.
	PublicPrefix        = "public/"
	publicEntriesPrefix = "public/entries/"
	publicFilesPrefix   = "public/files/"
)

var validID = regexp.MustCompile(`^[0-9a-z]{8,64}$`)
var validSHA = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ValidID reports whether id has the shape of an entry id; anything else
// cannot name an entry and is treated as not found.
func ValidID(id string) bool { return validID.MatchString(id) }

// Records keeps catalogue records and files on a Bucket. It implements
// catalogue.RecordStore.
type Records struct {
	b Bucket

	seqMu sync.Map // front/year → *sync.Mutex, so local allocators queue instead of racing
}

// NewRecords returns the record store kept on b.
func NewRecords(b Bucket) *Records { return &Records{b: b} }

var _ catalogue.RecordStore = (*Records)(nil)

// domainError translates provider errors into the domain's codes, keeping
// the cause for the log.
func domainError(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrNotFound):
		return catalogue.WrapError(catalogue.ENOTFOUND, "未找到", fmt.Errorf("storage: %s: %w", op, err))
	case errors.Is(err, ErrPrecondition):
		return catalogue.WrapError(catalogue.ECONFLICT, "该记录已被他人修改，请刷新后重试", fmt.Errorf("storage: %s: %w", op, err))
	case errors.Is(err, ErrUnavailable):
		return catalogue.WrapError(catalogue.EUNAVAILABLE, "存储服务暂时不可用，请稍后再试", fmt.Errorf("storage: %s: %w", op, err))
	case errors.Is(err, ErrInvalidKey):
		return catalogue.WrapError(catalogue.EINVALID, "名称不合法", fmt.Errorf("storage: %s: %w", op, err))
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return catalogue.WrapError(catalogue.EINTERNAL, "存储出错，请稍后再试", fmt.Errorf("storage: %s: %w", op, err))
}

func notFound(what string) error { return catalogue.Errorf(catalogue.ENOTFOUND, "%s不存在", what) }

func getJSON(ctx context.Context, b Bucket, key string, v any) (ObjectInfo, error) {
	rc, info, err := b.Get(ctx, key)
	if err != nil {
		return info, err
	}
	defer rc.Close()
	if err := json.NewDecoder(rc).Decode(v); err != nil {
		return info, fmt.Errorf("decode %s: %w", key, err)
	}
	return info, nil
}

func putJSON(ctx context.Context, b Bucket, key string, v any, opts PutOptions) (ObjectInfo, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return ObjectInfo{}, fmt.Errorf("encode %s: %w", key, err)
	}
	opts.ContentType = "application/json"
	return b.Put(ctx, key, bytes.NewReader(data), int64(len(data)), opts)
}

func entryKey(id string) string { return entriesPrefix + id + ".json" }

// Entry implements catalogue.RecordStore.
func (r *Records) Entry(ctx context.Context, id string) (*catalogue.Entry, error) {
	if !ValidID(id) {
		return nil, notFound("条目")
	}
	var e catalogue.Entry
	info, err := getJSON(ctx, r.b, entryKey(id), &e)
	if errors.Is(err, ErrNotFound) {
		return nil, notFound("条目")
	}
	if err != nil {
		return nil, domainError("get entry "+id, err)
	}
	e.Revision = info.ETag
	return &e, nil
}

// CreateEntry implements catalogue.RecordStore.
func (r *Records) CreateEntry(ctx context.Context, e *catalogue.Entry) error {
	if !ValidID(e.ID) {
		return catalogue.Errorf(catalogue.EINVALID, "条目编号 %q 不合法", e.ID)
	}
	info, err := putJSON(ctx, r.b, entryKey(e.ID), e, PutOptions{IfAbsent: true})
	if err != nil {
		return domainError("create entry "+e.ID, err)
	}
	e.Revision = info.ETag
	return nil
}

// UpdateEntry implements catalogue.RecordStore.
func (r *Records) UpdateEntry(ctx context.Context, e *catalogue.Entry) error {
	if e.Revision == "" {
		return catalogue.Errorf(catalogue.EINTERNAL, "更新条目 %s 时缺少版本标记", e.ID)
	}
	info, err := putJSON(ctx, r.b, entryKey(e.ID), e, PutOptions{IfMatch: e.Revision})
	if err != nil {
		return domainError("update entry "+e.ID, err)
	}
	e.Revision = info.ETag
	return nil
}

// ListEntries implements catalogue.RecordStore. Records are fetched a few
// at a time in parallel (a remote store answers each GET in a round trip)
// and handed to fn in key order.
func (r *Records) ListEntries(ctx context.Context, fn func(*catalogue.Entry) error) error {
	return listJSON(ctx, r.b, entriesPrefix, func(info ObjectInfo, e *catalogue.Entry) error {
		e.Revision = info.ETag
		return fn(e)
	})
}

func listJSON[T any](ctx context.Context, b Bucket, prefix string, fn func(ObjectInfo, *T) error) error {
	var keys []ObjectInfo
	err := b.List(ctx, prefix, func(info ObjectInfo) error {
		if strings.HasSuffix(info.Key, ".json") {
			keys = append(keys, info)
		}
		return nil
	})
	if err != nil {
		return domainError("list "+prefix, err)
	}
	const chunk, workers = 256, 8
	for start := 0; start < len(keys); start += chunk {
		part := keys[start:min(start+chunk, len(keys))]
		vals := make([]*T, len(part))
		infos := make([]ObjectInfo, len(part))
		errs := make([]error, len(part))
		var wg sync.WaitGroup
		next := make(chan int)
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					var v T
					infos[i], errs[i] = getJSON(ctx, b, part[i].Key, &v)
					vals[i] = &v
				}
			}()
		}
		for i := range part {
			next <- i
		}
		close(next)
		wg.Wait()
		for i := range part {
			if errors.Is(errs[i], ErrNotFound) {
				continue // deleted since listed
			}
			if errs[i] != nil {
				return domainError("list "+prefix, errs[i])
			}
			if err := fn(infos[i], vals[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

func fileKey(sha string) string { return filesPrefix + sha[:2] + "/" + sha }
func textKey(sha string) string { return textPrefix + sha[:2] + "/" + sha + ".txt" }

// PutFile implements catalogue.RecordStore. The upload is spooled to a
// temporary file to learn its hash and size before it is stored, so an
// oversize upload is refused without touching the store.
func (r *Records) PutFile(ctx context.Context, src io.Reader, name string, maxBytes int64) (catalogue.Attachment, error) {
	att := catalogue.Attachment{Name: cleanFileName(name)}
	tmp, err := os.CreateTemp("", "gongkai-upload-*")
	if err != nil {
		return att, fmt.Errorf("storage: spool upload: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()

	h := sha256.New()
	head := &prefixBuffer{max: 3072}
	n, err := io.Copy(io.MultiWriter(tmp, h, head), io.LimitReader(src, maxBytes+1))
	if err != nil {
		return att, catalogue.WrapError(catalogue.EINVALID, "读取上传文件失败", err)
	}
	if n > maxBytes {
		return att, catalogue.Errorf(catalogue.ETOOLARGE, "文件“%s”超过 %s 的大小上限", att.Name, humanBytes(maxBytes))
	}
	if n == 0 {
		return att, catalogue.Errorf(catalogue.EINVALID, "文件“%s”是空文件", att.Name)
	}
	att.SHA256 = hex.EncodeToString(h.Sum(nil))
	att.Size = n
	att.ContentType = mimetype.Detect(head.b).String()

	key := fileKey(att.SHA256)
	if _, err := r.b.Stat(ctx, key); err == nil {
		return att, nil // identical content is stored once
	} else if !errors.Is(err, ErrNotFound) {
		return att, domainError("stat file", err)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return att, fmt.Errorf("storage: spool upload: %w", err)
	}
	if _, err := r.b.Put(ctx, key, tmp, n, PutOptions{ContentType: att.ContentType}); err != nil {
		return att, domainError("put file "+att.Name, err)
	}
	return att, nil
}

// OpenFile implements catalogue.RecordStore.
func (r *Records) OpenFile(ctx context.Context, sha string) (io.ReadCloser, error) {
	if !validSHA.MatchString(sha) {
		return nil, notFound("文件")
	}
	rc, _, err := r.b.Get(ctx, fileKey(sha))
	if errors.Is(err, ErrNotFound) {
		return nil, notFound("文件")
	}
	return rc, domainError("get file", err)
}

// PutText implements catalogue.RecordStore.
func (r *Records) PutText(ctx context.Context, sha, text string) error {
	if !validSHA.MatchString(sha) {
		return catalogue.Errorf(catalogue.EINVALID, "文件摘要不合法")
	}
	_, err := r.b.Put(ctx, textKey(sha), strings.NewReader(text), int64(len(text)), PutOptions{ContentType: "text/plain; charset=utf-8"})
	return domainError("put text", err)
}

// Text implements catalogue.RecordStore.
func (r *Records) Text(ctx context.Context, sha string) (string, error) {
	if !validSHA.MatchString(sha) {
		return "", nil
	}
	rc, _, err := r.b.Get(ctx, textKey(sha))
	if errors.Is(err, ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", domainError("get text", err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	return string(b), domainError("read text", err)
}

type serialRecord struct {
	Front string `json:"front"`
	Year  int    `json:"year"`
	Last  int    `json:"last"` // the last serial handed out
}

// ReserveIndexSerials implements catalogue.RecordStore. The sequence is
// one object per organ code and year, advanced by compare-and-swap, so
// processes sharing a bucket never hand out a serial twice.
func (r *Records) ReserveIndexSerials(ctx context.Context, front string, year, n int) (int, error) {
	if n < 1 {
		return 0, catalogue.Errorf(catalogue.EINVALID, "索引号预留数量须大于零")
	}
	first := 0
	err := r.advanceSerials(ctx, front, year, func(rec *serialRecord) bool {
		first = rec.Last + 1
		rec.Last += n
		return true
	})
	return first, err
}

// ReleaseIndexSerials implements catalogue.RecordStore.
func (r *Records) ReleaseIndexSerials(ctx context.Context, front string, year, first, last int) error {
	if first > last {
		return nil
	}
	return r.advanceSerials(ctx, front, year, func(rec *serialRecord) bool {
		if rec.Last != last {
			return false // reserved past the block since: keep the gap
		}
		rec.Last = first - 1
		return true
	})
}

// advanceSerials reads the sequence, lets change edit it, and writes it
// back if change says so and nobody wrote in between (else reads again).
func (r *Records) advanceSerials(ctx context.Context, front string, year int, change func(*serialRecord) bool) error {
	if front == "" || strings.ContainsAny(front, "/\\") || ValidateKey(front) != nil {
		return catalogue.Errorf(catalogue.EINVALID, "机构代码 %q 不合法", front)
	}
	key := fmt.Sprintf("%s%s/%04d.json", seqPrefix, front, year)
	// Never deferred: a sequence that fell back after a crash would hand
	// out serials that entries stored since already hold.
	ctx = SyncNow(ctx)
	mu, _ := r.seqMu.LoadOrStore(key, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()
	for attempt := 0; attempt < 50; attempt++ {
		var rec serialRecord
		info, err := getJSON(ctx, r.b, key, &rec)
		opts := PutOptions{IfMatch: info.ETag}
		switch {
		case errors.Is(err, ErrNotFound):
			rec = serialRecord{Front: front, Year: year}
			opts = PutOptions{IfAbsent: true}
		case err != nil:
			return domainError("read index sequence", err)
		}
		if !change(&rec) {
			return nil
		}
		_, err = putJSON(ctx, r.b, key, rec, opts)
		if errors.Is(err, ErrPrecondition) {
			continue // another process took some: read again
		}
		if err != nil {
			return domainError("advance index sequence", err)
		}
		return nil
	}
	return catalogue.Errorf(catalogue.ECONFLICT, "索引号分配繁忙，请重试")
}

type indexClaim struct {
	IndexNo string `json:"index_no"`
	ID      string `json:"id"`
}

func claimKey(indexNo string) string {
	sum := sha256.Sum256([]byte(indexNo))
	return claimsPrefix + hex.EncodeToString(sum[:]) + ".json"
}

// ClaimIndexNo implements catalogue.RecordStore. A claim already held is
// only read, so that confirming one (as Reconcile does for every entry)
// writes nothing.
func (r *Records) ClaimIndexNo(ctx context.Context, indexNo, entryID string) error {
	key := claimKey(indexNo)
	var held indexClaim
	_, err := getJSON(ctx, r.b, key, &held)
	if errors.Is(err, ErrNotFound) {
		_, err = putJSON(ctx, r.b, key, indexClaim{IndexNo: indexNo, ID: entryID}, PutOptions{IfAbsent: true})
		if !errors.Is(err, ErrPrecondition) {
			return domainError("claim index number", err)
		}
		_, err = getJSON(ctx, r.b, key, &held) // claimed meanwhile
	}
	if err != nil {
		return domainError("read index claim", err)
	}
	if held.ID == entryID {
		return nil
	}
	return catalogue.Errorf(catalogue.ECONFLICT, "索引号 %s 已被另一条目使用", indexNo)
}

// DeferSync implements catalogue.RecordStore: on a bucket that can sync
// in groups (storage/fs), writes under the context it returns, to the
// records and to the public site on the same bucket, are durable only
// once Sync returns.
func (r *Records) DeferSync(ctx context.Context) context.Context {
	if _, ok := r.b.(Syncer); !ok {
		return ctx
	}
	return DeferSync(ctx)
}

// Sync implements catalogue.RecordStore.
func (r *Records) Sync(ctx context.Context) error {
	s, ok := r.b.(Syncer)
	if !ok {
		return nil
	}
	return domainError("sync", s.Sync(ctx))
}

// cleanFileName keeps the base name a user gave a file, without directories
// or control characters, for display and download headers.
func cleanFileName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	if name == "" || name == "." || name == ".." {
		return "附件"
	}
	return name
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d 字节", n)
}

// prefixBuffer keeps the first max bytes written to it, for sniffing.
type prefixBuffer struct {
	b   []byte
	max int
}

func (p *prefixBuffer) Write(b []byte) (int, error) {
	if room := p.max - len(p.b); room > 0 {
		p.b = append(p.b, b[:min(room, len(b))]...)
	}
	return len(b), nil
}
