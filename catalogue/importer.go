package catalogue

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// ImportRecord is one line of the import format (CONTRACT.md): a published
// 主动公开 entry of an existing catalogue being migrated in.
type ImportRecord struct {
	Title       string             `json:"title"`
	Organ       string             `json:"organ"`
	FormedAt    string             `json:"formed_at"`
	DocNo       string             `json:"doc_no"`
	IndexNo     string             `json:"index_no"`
	PublishedAt string             `json:"published_at"`
	Category    string             `json:"category"`
	Topic       string             `json:"topic"`
	DocType     string             `json:"doc_type"`
	Keywords    []string           `json:"keywords"`
	Summary     string             `json:"summary"`
	Body        string             `json:"body"`
	Validity    string             `json:"validity"`
	EffectiveAt string             `json:"effective_at"`
	Attachments []ImportAttachment `json:"attachments"`
	SourceURL   string             `json:"source_url"`
}

// ImportAttachment names a file beside the JSONL file.
type ImportAttachment struct {
	Name string `json:"name"`
	Path string `json:"path"`
}

// MaxImportLineBytes bounds one JSONL line; a longer line is reported and skipped.
const MaxImportLineBytes = 16 << 20

// ImportKey identifies the entry a record describes across imports: its
// 索引号 when it has one, else organ, title, date and 文号 together. The
// 文号 is held as the first imports held it (writtenDocNo): keys must not
// change, or a file imported again would make each such line a second
// entry.
func (r *ImportRecord) ImportKey() string {
	if no := strings.TrimSpace(r.IndexNo); no != "" {
		return "index_no\x00" + no
	}
	return strings.Join([]string{"record", strings.TrimSpace(r.Organ), strings.TrimSpace(r.Title),
		strings.TrimSpace(r.FormedAt), writtenDocNo(r.DocNo)}, "\x00")
}

// importID derives the entry id from the import key, so that importing the
// same line twice lands on the same id and the second create is refused.
func importID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:10])
}

// content validates the record and turns it into entry content, without
// attachments.
func (r *ImportRecord) content() (Content, Date, error) {
	var published Date
	c := Content{
		Title:     strings.TrimSpace(r.Title),
		Organ:     strings.TrimSpace(r.Organ),
		DocNo:     strings.TrimSpace(r.DocNo),
		Category:  strings.TrimSpace(r.Category),
		Topic:     strings.TrimSpace(r.Topic),
		DocType:   strings.TrimSpace(r.DocType),
		Keywords:  r.Keywords,
		Summary:   strings.TrimSpace(r.Summary),
		Body:      r.Body,
		Validity:  strings.TrimSpace(r.Validity),
		SourceURL: strings.TrimSpace(r.SourceURL),
	}
	if strings.TrimSpace(r.FormedAt) == "" {
		return c, published, Errorf(EINVALID, "缺少生成日期（formed_at）")
	}
	var err error
	if c.FormedAt, err = ParseDate(strings.TrimSpace(r.FormedAt)); err != nil {
		return c, published, Errorf(EINVALID, "生成日期（formed_at）%q 不是有效的 YYYY-MM-DD 日期", r.FormedAt)
	}
	if r.PublishedAt != "" {
		if published, err = ParseDate(strings.TrimSpace(r.PublishedAt)); err != nil {
			return c, published, Errorf(EINVALID, "发布日期（published_at）%q 不是有效的 YYYY-MM-DD 日期", r.PublishedAt)
		}
	}
	if r.EffectiveAt != "" {
		if c.EffectiveAt, err = ParseDate(strings.TrimSpace(r.EffectiveAt)); err != nil {
			return c, published, Errorf(EINVALID, "生效日期（effective_at）%q 不是有效的 YYYY-MM-DD 日期", r.EffectiveAt)
		}
	}
	if c.Validity == "" {
		c.Validity = ValidityInForce
	}
	if strings.TrimSpace(c.Body) == "" && len(r.Attachments) == 0 {
		return c, published, Errorf(EINVALID, "正文（body）和附件（attachments）至少要有一项")
	}
	// Attachments are checked once stored; validate the rest now so a bad
	// line stores nothing.
	probe := c
	if probe.Body == "" {
		probe.Body = "-"
	}
	if err := probe.Validate(); err != nil {
		return c, published, err
	}
	return c, published, nil
}

// ImportOutcome says what happened to one line.
type ImportOutcome string

// Import outcomes.
const (
	ImportCreated   ImportOutcome = "created"
	ImportDuplicate ImportOutcome = "duplicate" // imported before: nothing added
	ImportFailed    ImportOutcome = "failed"
)

// ImportResult reports one line of an import.
type ImportResult struct {
	Line    int
	ID      string
	IndexNo string
	Outcome ImportOutcome
	Err     error
}

// ImportSummary counts the outcomes of an import.
type ImportSummary struct {
	Lines, Created, Duplicates, Failed int
	Elapsed                            time.Duration
}

// ImportOptions tunes an import.
type ImportOptions struct {
	Actor   string // recorded in the audit trail
	Workers int    // lines processed at once; default 8
	// Report is called once per non-blank line, from one goroutine at a
	// time, in no particular order. A line reported created is durable
	// once its batch is indexed, and every one once Import returns
	// without error.
	Report func(ImportResult)
}

// ImportFile imports the JSONL file name inside fsys; attachment paths are
// relative to the file's directory and may not leave fsys. Every line is
// handled on its own: a bad line is reported and the others still import.
// It returns an error only when the file itself cannot be read; failed
// lines are counted in the summary.
func (s *Service) ImportFile(ctx context.Context, fsys fs.FS, name string, opts ImportOptions) (ImportSummary, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return ImportSummary{}, fmt.Errorf("catalogue: import %s: %w", name, err)
	}
	defer f.Close()
	return s.Import(ctx, f, fsys, path.Dir(name), opts)
}

type importLine struct {
	n    int
	data []byte
	err  error
}

// Import imports JSON Lines from r; dir is the directory in fsys that
// attachment paths are relative to.
//
// The lines' writes defer their sync (RecordStore.DeferSync), and each batch
// is made durable at once before it is indexed: on a local disk a sync per
// object took more than half of an import's time. A crash before a batch's
// sync loses at most the lines since the last one, which importing the
// file again adds, and the next start reconciles what was left.
func (s *Service) Import(ctx context.Context, r io.Reader, fsys fs.FS, dir string, opts ImportOptions) (ImportSummary, error) {
	start := time.Now()
	workers := opts.Workers
	if workers <= 0 {
		workers = 8
	}
	if opts.Actor == "" {
		opts.Actor = "import"
	}
	lines := make(chan importLine)
	results := make(chan ImportResult)
	batch := newIndexBatcher(ctx, s)
	serials := newSerialPool(s.Records, importSerialBlock)
	defer serials.release(context.WithoutCancel(ctx), s.log())
	wctx := s.Records.DeferSync(ctx)

	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for l := range lines {
				res := ImportResult{Line: l.n, Outcome: ImportFailed, Err: l.err}
				if l.err == nil {
					res = s.importLine(ctx, wctx, l.n, l.data, fsys, dir, opts.Actor, batch, serials)
				}
				results <- res
			}
		}()
	}

	var readErr error
	go func() {
		defer close(lines)
		readErr = readLines(ctx, r, lines)
	}()
	go func() {
		wg.Wait()
		close(results)
	}()

	var sum ImportSummary
	for res := range results {
		sum.Lines++
		switch res.Outcome {
		case ImportCreated:
			sum.Created++
		case ImportDuplicate:
			sum.Duplicates++
		default:
			sum.Failed++
		}
		if opts.Report != nil {
			opts.Report(res)
		}
	}
	// A cancelled import still makes durable what it wrote.
	syncErr := s.Records.Sync(context.WithoutCancel(ctx))
	indexErr := batch.flush()
	if syncErr == nil {
		syncErr = batch.syncErr
	}
	if syncErr != nil {
		return sum, fmt.Errorf("catalogue: import: the imported lines may not all be durable; run the import again: %w", syncErr)
	}
	if indexErr != nil {
		// The records are stored and public; only the index lags. A
		// reindex or the next start-up reconciliation repairs it.
		return sum, fmt.Errorf("catalogue: import: index: %w", indexErr)
	}
	sum.Elapsed = time.Since(start)
	if readErr != nil {
		return sum, fmt.Errorf("catalogue: import: read: %w", readErr)
	}
	return sum, ctx.Err()
}

// readLines splits r into lines, numbered from 1, skipping blank ones. An
// overlong line is reported as an error on its own line, not the file.
func readLines(ctx context.Context, r io.Reader, out chan<- importLine) error {
	br := bufio.NewReaderSize(r, 1<<20)
	n := 0
	for {
		n++
		var buf []byte
		tooLong := false
		for {
			frag, isPrefix, err := br.ReadLine()
			if err == io.EOF {
				if len(buf) == 0 && !tooLong {
					return nil
				}
				break
			}
			if err != nil {
				return err
			}
			if !tooLong {
				buf = append(buf, frag...)
				if len(buf) > MaxImportLineBytes {
					tooLong, buf = true, nil
				}
			}
			if !isPrefix {
				break
			}
		}
		line := importLine{n: n, data: buf}
		switch {
		case tooLong:
			line.err = Errorf(ETOOLARGE, "这一行超过 %d MB", MaxImportLineBytes>>20)
		case len(bytes.TrimSpace(buf)) == 0:
			continue
		}
		select {
		case out <- line:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// importLine imports one line. Its writes go under wctx, which defers their
// sync, except the attachments': those are made durable before the entry
// that names them is written, so that no crash can keep an entry (which a
// second import takes as done) and lose its files.
func (s *Service) importLine(ctx, wctx context.Context, n int, data []byte, fsys fs.FS, dir, actor string, batch *indexBatcher, serials *serialPool) ImportResult {
	res := ImportResult{Line: n, Outcome: ImportFailed}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a BOM from spreadsheet tools
	if !utf8.Valid(data) {
		res.Err = Errorf(EINVALID, "不是有效的 UTF-8 文本")
		return res
	}
	var rec ImportRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		res.Err = Errorf(EINVALID, "不是有效的 JSON：%s", jsonErrorText(err))
		return res
	}
	content, published, err := rec.content()
	if err != nil {
		res.Err = err
		return res
	}
	key := rec.ImportKey()
	res.ID = importID(key)
	if existing, err := s.Records.Entry(wctx, res.ID); err == nil {
		res.Outcome, res.IndexNo = ImportDuplicate, existing.IndexNo
		return res
	} else if !IsNotFound(err) {
		res.Err = err
		return res
	}

	for _, a := range rec.Attachments {
		att, err := s.importAttachment(ctx, fsys, dir, a)
		if err != nil {
			res.Err = err
			return res
		}
		content.Attachments = append(content.Attachments, att)
	}

	now := s.now().UTC()
	// A migrated entry was published long ago; without its 发布日期 the
	// 生成日期 is the closest truth, and far better than today.
	publishedAt := content.FormedAt.Time()
	if !published.IsZero() {
		publishedAt = published.Time()
	}
	e := &Entry{
		ID:        res.ID,
		IndexNo:   strings.TrimSpace(rec.IndexNo),
		Kind:      KindDocument,
		Attribute: Proactive,
		Status:    StatusPublished,
		Draft:     content,
		Versions:  []Version{{Number: 1, Content: content, PublishedAt: publishedAt}},
		ImportKey: key,
		CreatedAt: now,
		UpdatedAt: now,
		Audit: []AuditEvent{{At: now, Actor: actor, Role: "import", Action: "import",
			To: StatusPublished, Comment: fmt.Sprintf("由导入文件第 %d 行迁入", n)}},
	}
	if err := s.allocateIndexNo(wctx, e, &content, serials); err != nil {
		if IsConflict(err) {
			err = Errorf(ECONFLICT, "索引号 %s 已被另一条目使用", e.IndexNo)
		}
		res.Err = err
		return res
	}
	res.IndexNo = e.IndexNo
	if err := s.Records.CreateEntry(wctx, e); err != nil {
		if IsConflict(err) { // the same line twice in one file, racing
			res.Outcome = ImportDuplicate
			return res
		}
		res.Err = err
		return res
	}
	p, proj, err := s.SyncPublic(wctx, e)
	if err != nil {
		// The record is safe in the store; reconciliation will publish it.
		res.Err = fmt.Errorf("已保存但未能发布到公开站点（将在下次启动或 reindex 时补齐）：%w", err)
		return res
	}
	res.Outcome = ImportCreated
	batch.add(e, p, proj)
	return res
}

func (s *Service) importAttachment(ctx context.Context, fsys fs.FS, dir string, a ImportAttachment) (Attachment, error) {
	rel := strings.TrimPrefix(path.Clean("/"+strings.ReplaceAll(a.Path, "\\", "/")), "/")
	if a.Path == "" || strings.HasPrefix(a.Path, "/") || strings.Contains(a.Path, "..") || !fs.ValidPath(rel) {
		return Attachment{}, Errorf(EINVALID, "附件路径 %q 无效：必须是相对于导入文件的路径", a.Path)
	}
	f, err := fsys.Open(path.Join(dir, rel))
	if err != nil {
		return Attachment{}, Errorf(EINVALID, "找不到附件 %q", a.Path)
	}
	defer f.Close()
	name := a.Name
	if name == "" {
		name = path.Base(rel)
	}
	att, err := s.Records.PutFile(ctx, f, name, s.Settings.MaxUploadBytes)
	if err != nil {
		return Attachment{}, err
	}
	if err := s.ExtractAndKeepText(ctx, &att); err != nil {
		return Attachment{}, err
	}
	return att, nil
}

func jsonErrorText(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("第 %d 个字节处语法错误", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("字段 %s 的类型应为 %s", te.Field, te.Type)
	}
	return err.Error()
}

// indexBatcher collects freshly imported entries and indexes them in
// batches, which is many times faster than one document at a time. Full
// batches are indexed in the background, the staff and public indexes side
// by side, while the workers go on storing the next entries.
type indexBatcher struct {
	s     *Service
	mu    sync.Mutex
	batch indexBatch
	// queue takes full batches to the indexing goroutine; done closes when
	// it has indexed the last one.
	queue chan indexBatch
	done  chan struct{}
	err   error // the first indexing error; later batches are dropped
	// syncErr is the first failure to make a batch durable.
	syncErr error
}

type indexBatch struct {
	staff  []*Entry
	public []*PublicEntry
	gone   []string
}

const indexBatchSize = 1024

// importSerialBlock is how many 索引号 serials an import reserves at a time.
const importSerialBlock = 64

func newIndexBatcher(ctx context.Context, s *Service) *indexBatcher {
	b := &indexBatcher{s: s, queue: make(chan indexBatch, 1), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		for batch := range b.queue {
			if b.err == nil {
				b.err = b.index(ctx, batch)
			}
		}
	}()
	return b
}

func (b *indexBatcher) add(e *Entry, p *PublicEntry, proj Projection) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.batch.staff = append(b.batch.staff, e)
	if proj == ProjectEntry {
		b.batch.public = append(b.batch.public, p)
	} else {
		b.batch.gone = append(b.batch.gone, e.ID)
	}
	if len(b.batch.staff) >= indexBatchSize {
		// Waits here only while the previous batch is still being indexed.
		b.queue <- b.batch
		b.batch = indexBatch{}
	}
}

// flush indexes what is left, waits for every batch and returns the first
// error. The batcher takes nothing more afterwards.
func (b *indexBatcher) flush() error {
	b.mu.Lock()
	if len(b.batch.staff) > 0 {
		b.queue <- b.batch
		b.batch = indexBatch{}
	}
	close(b.queue)
	b.mu.Unlock()
	<-b.done
	return b.err
}

func (b *indexBatcher) index(ctx context.Context, batch indexBatch) error {
	// Every write of the batch's entries has returned: make them durable
	// before the index shows them. A failure is reported at the end; the
	// index, derived, goes on.
	if err := b.s.Records.Sync(context.WithoutCancel(ctx)); err != nil && b.syncErr == nil {
		b.syncErr = err
	}
	var wg sync.WaitGroup
	var staffErr error
	if b.s.StaffIndex != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			staffErr = b.s.StaffIndex.IndexEntries(ctx, batch.staff...)
		}()
	}
	var err error
	if b.s.PublicIndex != nil {
		if len(batch.public) > 0 {
			err = b.s.PublicIndex.IndexPublic(ctx, batch.public...)
		}
		if err == nil && len(batch.gone) > 0 {
			err = b.s.PublicIndex.DeletePublic(ctx, batch.gone...)
		}
	}
	wg.Wait()
	return errors.Join(staffErr, err)
}
