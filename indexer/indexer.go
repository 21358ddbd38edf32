// Package indexer keeps the catalogue's full-text indexes: Bleve (scorch)
// indexes of Document, with Chinese analysis by gse and a domain
// dictionary (or, as a baseline for comparison, Bleve's CJK bigrams). An
// index is derived data: the object store is the source of truth, and an
// index built by another version of the analysis, mapping or dictionary is
// thrown away and rebuilt from it.
//
// The dictionary is loaded once per process (about a second and 130 MB) and
// shared by every index. Words staff add (LoadUserDict, LoadUserDictFile)
// must be loaded before the first index is opened.
package indexer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"github.com/blevesearch/bleve/v2/mapping"
	bolterrors "go.etcd.io/bbolt/errors"

	"gongkai/indexer/analysis/t2s"
	"gongkai/indexer/dict"
)

// Version is the version of the analysis and the mapping. Bump it when the
// tokenizer, the filters or the way documents are mapped change in a way
// the fingerprints below cannot see; indexes of another version are
// rebuilt. Dictionary and mapping changes are detected by themselves.
const Version = 19 // 2: facets as one tuple per document; 3: the date order key; 4: short titles; 5: one text field; 6: title and 主题词 in it; 7: word pairs; 8: words across a cut; 9: at the second word's position; 10: 第N号 serials in Arabic digits; 11: which stored texts need no folding; 12: a blank-line rule, withdrawn; 13: as 11; 14: the parts of the text field apart; 15: 文号 with part of the organ prefix; 16: the year and serial among those; 17: pinyin syllable starts; 18: 文号 and organ in the text field; 19: only the 文号's 机关代字 weighs

// versionKey is where an index records what built it (Bleve internal data).
var versionKey = []byte("gongkai.version")

// metaFile is the file Bleve writes in every index directory.
const metaFile = "index_meta.json"

// batchDocs and batchBytes bound one Bleve batch: enough to index fast,
// small enough to keep memory flat while a whole catalogue is rebuilt.
const (
	batchDocs  = 1024
	batchBytes = 4 << 20
)

// openTimeout bounds the wait for an index another process holds open.
const openTimeout = "3s"

// Index is one full-text index.
type Index struct {
	idx      bleve.Index
	dir      string
	analysis Analysis
	pairs    bool   // FieldPairs is indexed
	body     bool   // FieldBody is stored
	rebuild  string // why the index is empty and must be rebuilt; "" if it need not be
	share    *sharing

	// Bleve panics when an index is closed twice (a failed rebuild can
	// leave a closed index behind), so Close runs once.
	closeOnce sync.Once
	closeErr  error

	// unpersisted holds a channel for each batch not yet on disk, oldest
	// first; flush waits for the oldest when there are maxUnpersisted.
	mu          sync.Mutex
	unpersisted []chan error
}

// maxUnpersisted bounds the batches held in memory, searchable but not yet
// on disk: enough for Bleve to write several as one, few enough that a
// rebuild of the whole catalogue stays within a gigabyte or two.
const maxUnpersisted = 4

// Options choose how an index is built. The zero value is the product's
// default: gse analysis.
type Options struct {
	Analysis Analysis // "" means AnalysisGSE
	// WithoutPairs leaves FieldPairs out (it is never there with the
	// bigram analysis). The pairs make an import about a third slower and
	// the index a quarter larger; the staff index goes without them.
	WithoutPairs bool
	// WithoutBody leaves the stored body out (it is still searched): for
	// an index whose searches cut no snippets and that serves no entry's
	// page, as the staff index's do not. The body is most of what a
	// document stores.
	WithoutBody bool
	// Bulk is for a command that loads documents and exits (gongkai import
	// and reindex): Bleve merges no segments while the index is open, and
	// Compact or Settle at the end merges them all in one pass. Merged as
	// the batches come, most documents are merged several times over.
	Bulk bool
}

// bleveConfig is what Bleve opens or creates the index with. Bleve keeps
// the configuration an index was created with in its index_meta.json and
// opens it with that, overridden by what is given at the time: the merge
// plan is therefore given at every open, so that an index a bulk load
// created merges as usual once the server opens it.
func (o Options) bleveConfig() map[string]any {
	// Bleve's defaults, which a key left out would keep.
	plan := map[string]any{
		"FloorSegmentSize":   mergeplan.DefaultMergePlanOptions.FloorSegmentSize,
		"MaxSegmentsPerTier": mergeplan.DefaultMergePlanOptions.MaxSegmentsPerTier,
	}
	if o.Bulk {
		// Bleve's merger allows as many segments as the documents fill at
		// the size of the smallest (counted as at least FloorSegmentSize
		// documents), which is never fewer than there are, and this many
		// to a tier: it plans no merge, beyond dropping segments whose
		// documents were all deleted.
		plan = map[string]any{"FloorSegmentSize": 1, "MaxSegmentsPerTier": 1 << 20}
	}
	return map[string]any{"unsafe_batch": true, "scorchMergePlanOptions": plan}
}

// normalize checks the analysis and fills in the default.
func (o Options) normalize() (Options, error) {
	a, err := ParseAnalysis(string(o.Analysis))
	if err != nil {
		return o, err
	}
	o.Analysis = a
	o.WithoutPairs = o.WithoutPairs || a != AnalysisGSE
	return o, nil
}

func newIndex(idx bleve.Index, dir string, o Options, rebuild string) *Index {
	return &Index{idx: idx, dir: dir, analysis: o.Analysis, pairs: !o.WithoutPairs, body: !o.WithoutBody, rebuild: rebuild,
		share: newSharing(idx.Mapping(), o.Analysis.IndexAnalyzer(), shared, !o.WithoutPairs)}
}

// Open opens the index at dir, creating it if dir does not exist or is
// empty. If the index was built by another version, or cannot be read, it
// is deleted and created anew, empty: NeedsRebuild then reports true and
// RebuildReason says why, and the caller must index every document again.
// A new index needs a rebuild too. Open refuses to delete a directory that
// does not look like an index, and fails without deleting anything when
// another process holds the index open.
func Open(dir string) (*Index, error) { return OpenWith(dir, Options{}) }

// OpenWith is Open with the analysis of opts. The analysis is part of the
// index's version: an index built with another one is rebuilt.
func OpenWith(dir string, opts Options) (*Index, error) {
	o, err := opts.normalize()
	if err != nil {
		return nil, err
	}
	want, err := buildVersionFor(o)
	if err != nil {
		return nil, err
	}
	empty, err := isEmptyOrMissing(dir)
	if err != nil {
		return nil, fmt.Errorf("indexer: open %s: %w", dir, err)
	}
	if empty {
		return create(dir, o, want, "新建索引")
	}
	if _, err := os.Stat(filepath.Join(dir, metaFile)); err != nil {
		return nil, fmt.Errorf("indexer: open %s: not a search index (no %s), refusing to replace it", dir, metaFile)
	}
	config := o.bleveConfig()
	config["bolt_timeout"] = openTimeout
	idx, err := bleve.OpenUsing(dir, config)
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("indexer: open %s: the index is in use by another process", dir)
	}
	if err != nil {
		return recreate(dir, o, want, fmt.Sprintf("索引无法读取（%v）", err))
	}
	got, err := idx.GetInternal(versionKey)
	if err != nil {
		idx.Close()
		return recreate(dir, o, want, fmt.Sprintf("索引无法读取（%v）", err))
	}
	if string(got) != want {
		idx.Close()
		return recreate(dir, o, want, fmt.Sprintf("索引版本 %q 与程序版本 %q 不符", got, want))
	}
	return newIndex(idx, dir, o, ""), nil
}

// Recreate deletes the index at dir, if there is one, and creates it anew,
// empty, for a rebuild from scratch.
func Recreate(dir string) (*Index, error) { return RecreateWith(dir, Options{}) }

// RecreateWith is Recreate with the analysis of opts.
func RecreateWith(dir string, opts Options) (*Index, error) {
	o, err := opts.normalize()
	if err != nil {
		return nil, err
	}
	want, err := buildVersionFor(o)
	if err != nil {
		return nil, err
	}
	return recreate(dir, o, want, "按要求重建")
}

func recreate(dir string, o Options, version, reason string) (*Index, error) {
	if err := remove(dir); err != nil {
		return nil, err
	}
	return create(dir, o, version, reason)
}

func create(dir string, o Options, version, reason string) (*Index, error) {
	// Bleve creates the directory itself and refuses one that exists.
	if err := os.Remove(dir); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("indexer: create %s: %w", dir, err)
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o750); err != nil {
		return nil, fmt.Errorf("indexer: create %s: %w", dir, err)
	}
	idx, err := bleve.NewUsing(dir, NewMappingFor(o.Analysis), scorch.Name, scorch.Name, o.bleveConfig())
	if err != nil {
		return nil, fmt.Errorf("indexer: create %s: %w", dir, err)
	}
	if err := idx.SetInternal(versionKey, []byte(version)); err != nil {
		idx.Close()
		return nil, fmt.Errorf("indexer: create %s: record version: %w", dir, err)
	}
	return newIndex(idx, dir, o, reason), nil
}

// remove deletes an index directory, after checking that it is one.
func remove(dir string) error {
	empty, err := isEmptyOrMissing(dir)
	if err != nil {
		return fmt.Errorf("indexer: remove %s: %w", dir, err)
	}
	if empty {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, metaFile)); err != nil {
		return fmt.Errorf("indexer: remove %s: not a search index (no %s), refusing to delete it", dir, metaFile)
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("indexer: remove %s: %w", dir, err)
	}
	return nil
}

func isEmptyOrMissing(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return len(entries) == 0, nil
}

// buildVersion describes what an index with the default analysis is built
// with; see buildVersionFor.
func buildVersion() (string, error) { return buildVersionFor(Options{Analysis: AnalysisGSE}) }

// buildVersionFor describes what an index is built with: this package's
// Version, the dictionary's fingerprint, a hash of the mapping and the
// analysis, with or without pairs. For gse it loads the dictionary; the
// bigram analysis uses none ("dict:-"), so a bigram index never pays for
// loading it.
func buildVersionFor(o Options) (string, error) {
	a := o.Analysis
	fp := "-"
	if a == AnalysisGSE {
		var err error
		if fp, err = dict.Fingerprint(); err != nil {
			return "", fmt.Errorf("indexer: %w", err)
		}
	}
	mh, err := mappingHash(NewMappingFor(a))
	if err != nil {
		return "", err
	}
	pairs, body := "pairs", "body"
	if o.WithoutPairs {
		pairs = "no-pairs"
	}
	if o.WithoutBody {
		body = "no-body"
	}
	return fmt.Sprintf("v%d dict:%s mapping:%s analysis:%s %s %s", Version, fp, mh, a, pairs, body), nil
}

func mappingHash(m mapping.IndexMapping) (string, error) {
	b, err := json.Marshal(m)
	if err != nil {
		return "", fmt.Errorf("indexer: encode mapping: %w", err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8]), nil
}

// NeedsRebuild reports whether the index was just created empty (new,
// another version, or unreadable) and every document must be indexed again.
func (x *Index) NeedsRebuild() bool { return x.rebuild != "" }

// RebuildReason says, in Chinese for the log, why the index must be
// rebuilt; "" if it need not be.
func (x *Index) RebuildReason() string { return x.rebuild }

// Dir returns the directory of the index.
func (x *Index) Dir() string { return x.dir }

// Analysis returns how the index's text fields are analysed.
func (x *Index) Analysis() Analysis { return x.analysis }

// Pairs reports whether the index holds FieldPairs.
func (x *Index) Pairs() bool { return x.pairs }

// QueryAnalyzer returns the name of the analyzer for query text that
// matches how this index was built.
func (x *Index) QueryAnalyzer() string { return x.analysis.QueryAnalyzer() }

// Bleve returns the underlying index, for searching.
func (x *Index) Bleve() bleve.Index { return x.idx }

// Count returns the number of documents in the index.
func (x *Index) Count() (uint64, error) {
	n, err := x.idx.DocCount()
	if err != nil {
		return 0, fmt.Errorf("indexer: count: %w", err)
	}
	return n, nil
}

// Close closes the index.
func (x *Index) Close() error {
	x.closeOnce.Do(func() {
		if err := x.persist(); err != nil {
			x.closeErr = fmt.Errorf("indexer: close %s: %w", x.dir, err)
			x.idx.Close()
			return
		}
		if err := x.idx.Close(); err != nil {
			x.closeErr = fmt.Errorf("indexer: close %s: %w", x.dir, err)
		}
	})
	return x.closeErr
}

// Compact merges the index's segments into one, once everything indexed
// so far is on disk. A rebuild leaves a dozen and more segments of every
// size (a bulk load, which merges none as it goes, forty and more), and
// each search then looks each term up and walks its postings in every one
// of them: on the full corpus merged segments make a one-word search a
// fifth to a quarter faster, and the server after a rebuild peaked at
// 790-808 MB rather than 1,016 MB. Merging the full corpus takes about
// 20 s.
func (x *Index) Compact(ctx context.Context) error { return x.compact(ctx, 2) }

// compact is Compact when the index has at least from segments on disk.
func (x *Index) compact(ctx context.Context, from uint64) error {
	if err := x.persist(); err != nil {
		return fmt.Errorf("indexer: compact %s: %w", x.dir, err)
	}
	s, err := x.scorch()
	if err != nil {
		return fmt.Errorf("indexer: compact %s: %w", x.dir, err)
	}
	before := rootSegments(s)
	if before < from {
		return nil
	}
	tasks := mergeTasks(s)
	// All segments in one merge: Bleve's own plan for one segment merges
	// ten at a time and stops after one round, forty segments into four.
	plan := mergeplan.SingleSegmentMergePlanOptions
	plan.SegmentsPerMergeTask = math.MaxInt
	if err := s.ForceMerge(ctx, &plan); err != nil {
		return fmt.Errorf("indexer: compact %s: %w", x.dir, err)
	}
	// Cancelled, ForceMerge stops the merge and returns nil; a merge that
	// failed (a full disk) is reported only to Bleve's error callback.
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("indexer: compact %s: %w", x.dir, err)
	}
	// Bleve's plan may find nothing worth merging (one large segment and
	// one made mostly of deletions, say): then nothing is wrong.
	if after := rootSegments(s); after >= before && mergeTasks(s) > tasks {
		return fmt.Errorf("indexer: compact %s: still %d segments after merging %d (see the log)", x.dir, after, before)
	}
	// Bleve deletes the files the merge replaced in the background, a
	// moment later: a command that closed at once would leave them (the
	// size of the index again) on disk until the next start.
	deadline := time.Now().Add(compactCleanupWait)
	for time.Now().Before(deadline) {
		files, err := filepath.Glob(filepath.Join(x.dir, "store", "*.zap"))
		if err != nil {
			return fmt.Errorf("indexer: compact %s: %w", x.dir, err)
		}
		if uint64(len(files)) <= rootSegments(s) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("indexer: compact %s: %w", x.dir, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
	return nil // the files go at the next start
}

// Settle compacts the index when a bulk load has left more than
// settledSegments segments, and otherwise leaves the few there are to
// Bleve's merger in the server: an import of a few batches into a large
// catalogue is not worth rewriting the whole index for.
func (x *Index) Settle(ctx context.Context) error { return x.compact(ctx, settledSegments+1) }

// settledSegments is how many segments Settle leaves as they are: Bleve's
// merger lets a tier hold ten before merging it.
const settledSegments = 10

func (x *Index) scorch() (*scorch.Scorch, error) {
	adv, err := x.idx.Advanced()
	if err != nil {
		return nil, err
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil, errors.New("not a scorch index")
	}
	return s, nil
}

// mergeTasks is the number of merges Bleve's merger has planned so far.
func mergeTasks(s *scorch.Scorch) uint64 {
	n, _ := s.StatsMap()["TotFileMergePlanTasks"].(uint64)
	return n
}

// rootSegments is the number of segment files of the index's current
// snapshot.
func rootSegments(s *scorch.Scorch) uint64 {
	n, _ := s.StatsMap()["TotFileSegmentsAtRoot"].(uint64)
	return n
}

// compactCleanupWait bounds Compact's wait for Bleve to delete the merged
// files.
const compactCleanupWait = 30 * time.Second

// Batches are "unsafe" in Bleve's sense: a batch is searchable when Batch
// returns, and written to disk soon after in the background, several
// together, rather than one file and sync each. A crash can lose the last
// of them, which costs nothing: an unclean stop rebuilds the indexes from
// the store. A clean Close waits until everything is on disk.

// persistTimeout bounds the wait in Close for the last batches to be
// written.
const persistTimeout = 5 * time.Minute

// syncKey is the internal value Close writes to learn when the batches
// before it are on disk.
var syncKey = []byte("gongkai.closed")

// persist waits until every batch so far is written to disk: Bleve writes
// batches in order, so until one more, made for the purpose, is.
func (x *Index) persist() error {
	b := x.idx.NewBatch()
	b.SetInternal(syncKey, []byte(time.Now().UTC().Format(time.RFC3339Nano)))
	written := onPersisted(b)
	if err := x.idx.Batch(b); err != nil {
		return fmt.Errorf("write the last batches: %w", err)
	}
	return waitPersisted(context.Background(), written)
}

// onPersisted returns a channel that receives the outcome of writing b to
// disk, once b has been handed to Bleve.
func onPersisted(b *bleve.Batch) chan error {
	written := make(chan error, 1)
	b.SetPersistedCallback(func(err error) {
		select {
		case written <- err:
		default:
		}
	})
	return written
}

// waitPersisted waits for the outcome onPersisted reports, for at most
// persistTimeout.
func waitPersisted(ctx context.Context, written chan error) error {
	select {
	case err := <-written:
		if err != nil {
			return fmt.Errorf("write batch to disk: %w", err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("write batch to disk: %w", ctx.Err())
	case <-time.After(persistTimeout):
		return fmt.Errorf("a batch was not written to disk within %v", persistTimeout)
	}
}

// Index adds or replaces documents, by ID, in batches. Documents of
// earlier batches stay indexed when a later one fails or ctx is done.
func (x *Index) Index(ctx context.Context, docs ...Document) error {
	b := x.idx.NewBatch()
	size := 0
	for i := range docs {
		d := &docs[i]
		if strings.TrimSpace(d.ID) == "" {
			return fmt.Errorf("indexer: index: document %d of %d has no ID", i+1, len(docs))
		}
		if err := x.add(b, d); err != nil {
			return fmt.Errorf("indexer: index %s: %w", d.ID, err)
		}
		size += len(d.Title) + len(d.Summary) + len(d.Body) + len(d.AttachmentText)
		if b.Size() >= batchDocs || size >= batchBytes {
			if err := x.flush(ctx, b); err != nil {
				return err
			}
			b.Reset()
			size = 0
		}
	}
	return x.flush(ctx, b)
}

// add maps d and adds it to b, analysing its text through the memo shared
// with the other index (shared.go).
func (x *Index) add(b *bleve.Batch, d *Document) error {
	r := d.record(x.body)
	if x.share == nil {
		return b.Index(d.ID, r)
	}
	doc, err := x.share.document(d.ID, r)
	if err != nil {
		return err
	}
	return b.IndexAdvanced(doc)
}

// Delete removes documents by ID; unknown IDs are ignored.
func (x *Index) Delete(ctx context.Context, ids ...string) error {
	b := x.idx.NewBatch()
	for _, id := range ids {
		b.Delete(id)
		if b.Size() >= batchDocs*4 {
			if err := x.flush(ctx, b); err != nil {
				return err
			}
			b.Reset()
		}
	}
	return x.flush(ctx, b)
}

func (x *Index) flush(ctx context.Context, b *bleve.Batch) error {
	if b.Size() == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("indexer: batch of %d: %w", b.Size(), err)
	}
	written := onPersisted(b)
	if err := x.idx.Batch(b); err != nil {
		return fmt.Errorf("indexer: batch of %d: %w", b.Size(), err)
	}
	x.mu.Lock()
	x.unpersisted = append(x.unpersisted, written)
	var oldest chan error
	if len(x.unpersisted) > maxUnpersisted {
		oldest = x.unpersisted[0]
		x.unpersisted = x.unpersisted[1:]
	}
	x.mu.Unlock()
	if oldest == nil {
		return nil
	}
	if err := waitPersisted(ctx, oldest); err != nil {
		return fmt.Errorf("indexer: %w", err)
	}
	return nil
}

// LoadUserDict adds staff's words to the segmentation dictionary, so that
// each stays one token (its parts are still indexed as sub-words). Words are
// folded to simplified characters; each must consist of Chinese characters.
// It must be called before the first index is opened: afterwards it fails,
// since indexes built without the words would not match. Changing the words
// changes the indexes' version, so they are rebuilt when next opened.
func LoadUserDict(words []string) error {
	ws := make([]dict.Word, 0, len(words))
	for _, w := range words {
		w = strings.TrimSpace(w)
		if w == "" {
			continue
		}
		ws = append(ws, dict.Word{Text: w})
	}
	return addUserWords(ws)
}

// LoadUserDictFile loads the user dictionary file at path, if there is one:
// UTF-8 text, one word a line, optionally followed by a frequency and a
// part of speech ("营商环境 1000 n"), # for comments. A missing file is no
// error. The same rules as LoadUserDict apply.
func LoadUserDictFile(path string) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("indexer: user dictionary: %w", err)
	}
	ws, err := dict.ParseWords(string(b))
	if err != nil {
		return fmt.Errorf("indexer: user dictionary %s: %w", path, err)
	}
	return addUserWords(ws)
}

func addUserWords(ws []dict.Word) error {
	fold, err := t2s.New()
	if err != nil {
		return fmt.Errorf("indexer: user dictionary: %w", err)
	}
	for i := range ws {
		ws[i].Text = fold.String(ws[i].Text)
	}
	if err := dict.AddUserWords(ws...); err != nil {
		return fmt.Errorf("indexer: user dictionary: %w", err)
	}
	return nil
}
