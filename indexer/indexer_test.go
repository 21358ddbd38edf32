package indexer_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"gongkai/catalogue"
	"gongkai/indexer"
)

func MustCount(tb testing.TB, x *indexer.Index) uint64 {
	tb.Helper()
	n, err := x.Count()
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

func MustClose(tb testing.TB, x *indexer.Index) {
	tb.Helper()
	if err := x.Close(); err != nil {
		tb.Fatal(err)
	}
}

func TestOpen(t *testing.T) {
	ctx := context.Background()
	docs := []indexer.Document{{ID: "a", Title: "政府信息公开指南"}, {ID: "b", Title: "年度报告"}}

	t.Run("NewIndexNeedsRebuild", func(t *testing.T) {
		x := MustOpen(t, filepath.Join(t.TempDir(), "data", "index", "public"))
		if !x.NeedsRebuild() || x.RebuildReason() == "" {
			t.Errorf("new index: NeedsRebuild %v, reason %q", x.NeedsRebuild(), x.RebuildReason())
		}
	})

	t.Run("EmptyDirectoryBecomesAnIndex", func(t *testing.T) {
		dir := t.TempDir()
		x := MustOpen(t, dir)
		if !x.NeedsRebuild() {
			t.Error("index created in an empty directory does not need a rebuild")
		}
	})

	t.Run("ReopenedIndexKeepsItsDocuments", func(t *testing.T) {
		dir := t.TempDir() + "/index"
		x, err := indexer.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		if err := x.Index(ctx, docs...); err != nil {
			t.Fatal(err)
		}
		MustClose(t, x)
		x = MustOpen(t, dir)
		if x.NeedsRebuild() {
			t.Errorf("reopened index needs a rebuild: %s", x.RebuildReason())
		}
		if n := MustCount(t, x); n != 2 {
			t.Errorf("reopened index has %d documents, want 2", n)
		}
	})

	t.Run("CloseWritesEveryBatch", func(t *testing.T) {
		// Batches are written to disk in the background; Close must wait
		// for the last of them.
		dir := t.TempDir() + "/index"
		x := MustOpen(t, dir)
		var many []indexer.Document
		for i := range 3000 {
			many = append(many, indexer.Document{ID: fmt.Sprintf("d%05d", i), Title: "政府信息公开指南", Body: strings.Repeat("本机关主动公开政府信息。", 20)})
		}
		if err := x.Index(ctx, many...); err != nil {
			t.Fatal(err)
		}
		MustClose(t, x)
		x = MustOpen(t, dir)
		defer x.Close()
		if n := MustCount(t, x); n != uint64(len(many)) {
			t.Errorf("reopened index has %d documents, want %d", n, len(many))
		}
	})

	for name, damage := range map[string]func(dir string) error{
		"CorruptMetadataRebuilds": func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "index_meta.json"), []byte("{not json"), 0o600)
		},
		"MissingStoreRebuilds": func(dir string) error {
			return os.RemoveAll(filepath.Join(dir, "store"))
		},
		"CorruptStoreRebuilds": func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "store", "root.bolt"), []byte("not a bolt database"), 0o600)
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir() + "/index"
			x, err := indexer.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			if err := x.Index(ctx, docs...); err != nil {
				t.Fatal(err)
			}
			MustClose(t, x)
			if err := damage(dir); err != nil {
				t.Fatal(err)
			}
			x = MustOpen(t, dir)
			if !x.NeedsRebuild() || !strings.Contains(x.RebuildReason(), "无法读取") {
				t.Errorf("damaged index: NeedsRebuild %v, reason %q", x.NeedsRebuild(), x.RebuildReason())
			}
			if n := MustCount(t, x); n != 0 {
				t.Errorf("recreated index has %d documents", n)
			}
			if err := x.Index(ctx, docs...); err != nil {
				t.Errorf("recreated index cannot index: %v", err)
			}
		})
	}

	t.Run("ErrNotAnIndex", func(t *testing.T) {
		dir := t.TempDir()
		precious := filepath.Join(dir, "records.json")
		if err := os.WriteFile(precious, []byte("{}"), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := indexer.Open(dir); err == nil || !strings.Contains(err.Error(), "not a search index") {
			t.Errorf("Open of a data directory: err = %v", err)
		}
		if _, err := indexer.Recreate(dir); err == nil {
			t.Error("Recreate of a data directory succeeded")
		}
		if _, err := os.Stat(precious); err != nil {
			t.Errorf("a file in the directory is gone: %v", err)
		}
	})

	t.Run("ErrInUse", func(t *testing.T) {
		if testing.Short() {
			t.Skip("waits for the open timeout")
		}
		dir := t.TempDir() + "/index"
		x := MustOpen(t, dir)
		if err := x.Index(ctx, docs...); err != nil {
			t.Fatal(err)
		}
		if _, err := indexer.Open(dir); err == nil || !strings.Contains(err.Error(), "in use") {
			t.Errorf("second Open: err = %v, want in use", err)
		}
		if n := MustCount(t, x); n != 2 {
			t.Errorf("the open index has %d documents after a second Open, want 2", n)
		}
	})
}

func TestRecreate(t *testing.T) {
	dir := t.TempDir() + "/index"
	x, err := indexer.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Index(context.Background(), indexer.Document{ID: "a", Title: "通知"}); err != nil {
		t.Fatal(err)
	}
	MustClose(t, x)
	x, err = indexer.Recreate(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if n := MustCount(t, x); n != 0 || !x.NeedsRebuild() {
		t.Errorf("recreated index: %d documents, NeedsRebuild %v", n, x.NeedsRebuild())
	}
}

func TestIndexAndDelete(t *testing.T) {
	ctx := context.Background()
	x := MustOpen(t, t.TempDir()+"/index")
	var docs []indexer.Document
	for i := range 600 { // more than one batch
		docs = append(docs, indexer.Document{ID: "doc" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Title: "政府信息公开"})
	}
	if err := x.Index(ctx, docs...); err != nil {
		t.Fatal(err)
	}
	if n := MustCount(t, x); n != 600 {
		t.Fatalf("%d documents, want 600", n)
	}

	t.Run("IndexingAgainReplaces", func(t *testing.T) {
		if err := x.Index(ctx, indexer.Document{ID: docs[0].ID, Title: "行政复议决定书"}); err != nil {
			t.Fatal(err)
		}
		if n := MustCount(t, x); n != 600 {
			t.Errorf("%d documents after replacing one, want 600", n)
		}
		if got := MustSearch(t, x, wordsQuery(t, x, "行政复议")); !slices.Equal(got, []string{docs[0].ID}) {
			t.Errorf("replaced document: search finds %v", got)
		}
	})

	t.Run("DeleteRemoves", func(t *testing.T) {
		ids := []string{docs[1].ID, docs[2].ID, "never-indexed"}
		if err := x.Delete(ctx, ids...); err != nil {
			t.Fatal(err)
		}
		if n := MustCount(t, x); n != 598 {
			t.Errorf("%d documents after deleting two, want 598", n)
		}
	})

	t.Run("ErrNoID", func(t *testing.T) {
		if err := x.Index(ctx, indexer.Document{Title: "无编号"}); err == nil {
			t.Error("a document without ID was indexed")
		}
	})

	t.Run("ErrCanceled", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		err := x.Index(cctx, indexer.Document{ID: "late", Title: "通知"})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Index with a canceled context: err = %v", err)
		}
		if err := x.Delete(cctx, docs[3].ID); !errors.Is(err, context.Canceled) {
			t.Errorf("Delete with a canceled context: err = %v", err)
		}
	})

	t.Run("NothingToDoIsNoError", func(t *testing.T) {
		if err := x.Index(ctx); err != nil {
			t.Error(err)
		}
		if err := x.Delete(ctx); err != nil {
			t.Error(err)
		}
	})
}

func TestFields(t *testing.T) {
	x := MustTestIndex(t)
	staff := indexer.Document{
		ID: "staff1", Title: "关于行政许可事项的通知", Organ: "某市工业和信息化局", Category: "政策法规及规范性文件",
		Topic: "工业、交通", DocType: "通知", Validity: "有效", Status: "draft", Attribute: "依申请公开", Section: "办公室",
		Keywords: "行政许可 营商环境", FormedAt: time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC),
		PublishedAt: time.Date(2024, 3, 8, 9, 30, 0, 0, time.UTC), UpdatedAt: time.Date(2024, 3, 9, 10, 0, 0, 0, time.UTC),
	}
	if err := x.Index(context.Background(), staff); err != nil {
		t.Fatal(err)
	}

	t.Run("StoredValuesComeBack", func(t *testing.T) {
		f := MustStored(t, x, "staff1")
		for field, want := range map[string]string{
			indexer.FieldTitle: staff.Title, indexer.FieldOrgan: staff.Organ, indexer.FieldCategory: staff.Category,
			indexer.FieldTopic: staff.Topic, indexer.FieldDocType: staff.DocType, indexer.FieldValidity: staff.Validity,
			indexer.FieldStatus: staff.Status, indexer.FieldAttribute: staff.Attribute, indexer.FieldSection: staff.Section,
			indexer.FieldYear: "2024", indexer.FieldFormedAt: "2024-03-05T00:00:00Z",
			indexer.FieldPublishedAt: "2024-03-08T09:30:00Z", indexer.FieldUpdatedAt: "2024-03-09T10:00:00Z",
		} {
			if got, _ := f[field].(string); got != want {
				t.Errorf("stored %s = %v, want %q", field, f[field], want)
			}
		}
		for _, field := range []string{indexer.FieldKeywords, indexer.FieldDocNoNorm, indexer.FieldDocNoSuffix, indexer.FieldDocNo, indexer.FieldBody} {
			if v, ok := f[field]; ok {
				t.Errorf("%s is stored (%v); it is indexed only or was empty", field, v)
			}
		}
	})

	t.Run("KeywordsAreSearchable", func(t *testing.T) {
		q := bleve.NewTermQuery("营商环境")
		q.SetField(indexer.FieldKeywords)
		if got := MustSearch(t, x, q); !slices.Equal(got, []string{"staff1"}) {
			t.Errorf("found %v", got)
		}
	})

	t.Run("FacetsHaveNoEmptyValues", func(t *testing.T) {
		req := bleve.NewSearchRequest(bleve.NewMatchAllQuery())
		for _, f := range []string{indexer.FieldOrgan, indexer.FieldYear, indexer.FieldCategory} {
			req.AddFacet(f, bleve.NewFacetRequest(f, 10))
		}
		res, err := x.Bleve().Search(req)
		if err != nil {
			t.Fatal(err)
		}
		years := map[string]int{}
		for _, tf := range res.Facets[indexer.FieldYear].Terms.Terms() {
			years[tf.Term] = tf.Count
		}
		want := map[string]int{"2019": 2, "2021": 1, "1954": 1, "2024": 1}
		for y, n := range want {
			if years[y] != n {
				t.Errorf("year facet %s = %d, want %d (all: %v)", y, years[y], n, years)
			}
		}
		if len(years) != len(want) {
			t.Errorf("year facet %v, want %v", years, want)
		}
		if res.Facets[indexer.FieldCategory].Total != 1 {
			t.Errorf("category facet counts %d values, want 1: empty categories must not count", res.Facets[indexer.FieldCategory].Total)
		}
		for _, tf := range res.Facets[indexer.FieldOrgan].Terms.Terms() {
			if tf.Term == "" {
				t.Error("organ facet has an empty value")
			}
		}
	})

	t.Run("DatesSortAndFilter", func(t *testing.T) {
		from := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
		q := bleve.NewDateRangeQuery(from, time.Time{})
		q.SetField(indexer.FieldFormedAt)
		req := bleve.NewSearchRequest(q)
		req.SortBy([]string{"-" + indexer.FieldFormedAt})
		res, err := x.Bleve().Search(req)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		if want := []string{"staff1", "law_pipl", "seed000", "law_ogi"}; !slices.Equal(got, want) {
			t.Errorf("formed since 2019, newest first: %v, want %v", got, want)
		}
	})

	t.Run("DocNoFoundInEveryWriting", func(t *testing.T) {
		for _, written := range []string{"韶工信〔2019〕12号", "韶工信[2019]12号", "韶工信（２０１９）第12号", "韶工信 2019年 12 号"} {
			q := bleve.NewTermQuery(catalogue.NormalizeDocNo(written))
			q.SetField(indexer.FieldDocNoNorm)
			if got := MustSearch(t, x, q); !slices.Equal(got, []string{"seed000"}) {
				t.Errorf("%s: found %v", written, got)
			}
		}
		q := bleve.NewTermQuery("〔2019〕12号")
		q.SetField(indexer.FieldDocNoSuffix)
		if got := MustSearch(t, x, q); !slices.Equal(got, []string{"seed000"}) {
			t.Errorf("〔2019〕12号 without prefix: found %v", got)
		}
	})

	t.Run("IndexNoFoundExactly", func(t *testing.T) {
		q := bleve.NewTermQuery("11440200007041827X/2019-00012")
		q.SetField(indexer.FieldIndexNo)
		if got := MustSearch(t, x, q); !slices.Equal(got, []string{"seed000"}) {
			t.Errorf("found %v", got)
		}
	})

	t.Run("StrayDocumentsAreNotIndexed", func(t *testing.T) {
		stray := map[string]any{"title": "绝密文件", "secret": "绝密"}
		if err := x.Bleve().Index("stray", stray); err != nil {
			t.Fatal(err)
		}
		for _, field := range []string{"title", "secret", "_all"} {
			q := bleve.NewTermQuery("绝密")
			q.SetField(field)
			if got := MustSearch(t, x, q); len(got) != 0 {
				t.Errorf("stray document found in %s: %v", field, got)
			}
		}
	})
}

func TestCloseTwiceIsSafe(t *testing.T) {
	idx, err := indexer.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	// A second Close must neither panic (as Bleve does) nor fail.
	if err := idx.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
}

// segmentedIndex builds an index of 6 × 2,000 documents, closed and
// reopened after each 2,000, which leaves more segment files than Bleve's
// own merger merges, and deletes doc7.
func segmentedIndex(t *testing.T, dir string) *indexer.Index {
	t.Helper()
	ctx := context.Background()
	for round := range 6 {
		x := MustOpen(t, dir)
		var docs []indexer.Document
		for i := range 2000 {
			n := round*2000 + i
			docs = append(docs, indexer.Document{ID: fmt.Sprintf("doc%d", n), Title: "政府信息公开", Body: fmt.Sprintf("第%d号通知", n)})
		}
		if err := x.Index(ctx, docs...); err != nil {
			t.Fatal(err)
		}
		MustClose(t, x)
	}
	x := MustOpen(t, dir)
	if err := x.Delete(ctx, "doc7"); err != nil {
		t.Fatal(err)
	}
	return x
}

// segmentFiles counts the index's segment files on disk.
func segmentFiles(t *testing.T, dir string) int {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if err != nil {
		t.Fatal(err)
	}
	return len(files)
}

// TestCompact: Compact merges an index's segments into one or two,
// deletes the files they replaced, loses nothing, and the merged index is
// what opens again; cancelled, it says so.
func TestCompact(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir() + "/index"
	x := segmentedIndex(t, dir)
	if n := segmentFiles(t, dir); n < 5 {
		t.Fatalf("the test's index has %d segment files: too few to show a merge", n)
	}
	if err := x.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		if n := MustCount(t, x); n != 11999 {
			t.Errorf("%s: %d documents, want 11,999", when, n)
		}
		if got := MustSearch(t, x, wordsQuery(t, x, "第7号通知")); len(got) != 0 {
			t.Errorf("%s: the deleted doc7 is found: %v", when, got)
		}
		if got := MustSearch(t, x, wordsQuery(t, x, "第11998号通知")); !slices.Equal(got, []string{"doc11998"}) {
			t.Errorf("%s: search for doc11998 finds %v", when, got)
		}
	}
	// Merged, and the files the merge replaced gone when Compact returns,
	// or soon after: Compact waits for Bleve to delete them for at most
	// compactCleanupWait, which a loaded machine (the race detector, the
	// whole suite at once) can outlast; Bleve then deletes them at its
	// next event, or when the index is next opened (TestCompact once
	// found 7 files after 106 s under the whole suite, 1 alone).
	n := segmentFiles(t, dir)
	for deadline := time.Now().Add(time.Minute); n > 2 && time.Now().Before(deadline); n = segmentFiles(t, dir) {
		time.Sleep(100 * time.Millisecond)
	}
	if n < 1 {
		t.Errorf("%d segment files after Compact, want 1 or 2", n)
	}
	check("compacted")
	MustClose(t, x)
	x = MustOpen(t, dir)
	if n := segmentFiles(t, dir); n < 1 || n > 2 {
		t.Errorf("%d segment files after Compact and a reopen, want 1 or 2", n)
	}
	check("reopened")

	t.Run("Cancelled", func(t *testing.T) {
		dir := t.TempDir() + "/index"
		x := segmentedIndex(t, dir)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := x.Compact(cctx); !errors.Is(err, context.Canceled) {
			t.Errorf("Compact with a cancelled context: err = %v", err)
		}
		if n := MustCount(t, x); n != 11999 {
			t.Errorf("%d documents after a cancelled Compact, want 11,999", n)
		}
	})
}

// TestBulkLoadSettles: an index opened for a bulk load does not merge its
// segments as it goes, Settle then merges all of it into one segment and
// loses nothing, and a load of a few segments is left to Bleve's merger.
func TestBulkLoadSettles(t *testing.T) {
	ctx := context.Background()
	const perRound = 500
	load := func(t *testing.T, dir string, rounds int) *indexer.Index {
		t.Helper()
		// Closed after each round, so that each is a segment of its own.
		for round := range rounds {
			x, err := indexer.OpenWith(dir, indexer.Options{Bulk: true})
			if err != nil {
				t.Fatal(err)
			}
			var docs []indexer.Document
			for i := range perRound {
				n := round*perRound + i
				docs = append(docs, indexer.Document{ID: fmt.Sprintf("doc%d", n), Title: "政府信息公开", Body: fmt.Sprintf("第%d号通知", n)})
			}
			if err := x.Index(ctx, docs...); err != nil {
				t.Fatal(err)
			}
			MustClose(t, x)
		}
		x, err := indexer.OpenWith(dir, indexer.Options{Bulk: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { x.Close() })
		return x
	}
	segments := func(t *testing.T, x *indexer.Index) uint64 {
		t.Helper()
		n, err := x.Segments()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	dir := t.TempDir() + "/index"
	x := load(t, dir, 12)
	// Bleve's merger, left to itself, merges these within a second or
	// so; opened for a bulk load, it does not.
	before := segments(t, x)
	if before < 12 {
		t.Errorf("%d segments after 12 rounds of a bulk load, want 12 or more: merged as it went", before)
	}
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if n := segments(t, x); n < before {
			t.Errorf("%d segments, %d a moment ago: merged during a bulk load", n, before)
			break
		}
	}
	if err := x.Settle(ctx); err != nil {
		t.Fatal(err)
	}
	if n := segments(t, x); n != 1 {
		t.Errorf("%d segments after Settle, want 1", n)
	}
	if n := MustCount(t, x); n != 12*perRound {
		t.Errorf("%d documents after Settle, want %d", n, 12*perRound)
	}
	for _, id := range []string{"doc0", "doc3456", "doc5999"} {
		no := strings.TrimPrefix(id, "doc")
		if got := MustSearch(t, x, wordsQuery(t, x, "第"+no+"号通知")); !slices.Equal(got, []string{id}) {
			t.Errorf("after Settle a search for %s finds %v", id, got)
		}
	}

	// The server opens the index without Bulk: its merger merges again,
	// though Bleve keeps the configuration an index was created with.
	t.Run("MergedWhenOpenedAsUsual", func(t *testing.T) {
		dir := t.TempDir() + "/index"
		MustClose(t, load(t, dir, 12))
		x := MustOpen(t, dir)
		n := segments(t, x)
		for deadline := time.Now().Add(time.Minute); n >= 12 && time.Now().Before(deadline); n = segments(t, x) {
			time.Sleep(100 * time.Millisecond)
		}
		if n >= 12 {
			t.Errorf("%d segments a minute after opening a bulk-loaded index without Bulk: not merged", n)
		}
	})

	t.Run("FewSegmentsLeft", func(t *testing.T) {
		x := load(t, t.TempDir()+"/index", 3)
		if err := x.Settle(ctx); err != nil {
			t.Fatal(err)
		}
		if n := segments(t, x); n != 3 {
			t.Errorf("%d segments after Settle of 3, want them left as they are", n)
		}
	})
}

// TestWithoutBody: an index opened WithoutBody (the staff index) still
// finds a document by a word of its body but stores neither the body nor
// FieldPlain; the same directory opened with the body stored is rebuilt,
// since its documents lack it.
func TestWithoutBody(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "index")
	x, err := indexer.OpenWith(dir, indexer.Options{WithoutBody: true})
	if err != nil {
		t.Fatal(err)
	}
	doc := indexer.Document{ID: "a", Title: "关于档案工作的通知", Summary: "做好档案工作。", Body: "各单位应当建立档案保管制度。"}
	if err := x.Index(ctx, doc); err != nil {
		t.Fatal(err)
	}
	q := bleve.NewTermQuery("保管")
	q.SetField(indexer.FieldText)
	if got := MustSearch(t, x, q); !slices.Equal(got, []string{"a"}) {
		t.Errorf("a word of the body finds %v, want a", got)
	}
	f := MustStored(t, x, "a")
	if f[indexer.FieldSummary] != doc.Summary {
		t.Errorf("summary %v, want it stored", f[indexer.FieldSummary])
	}
	for _, field := range []string{indexer.FieldBody, indexer.FieldPlain} {
		if v, ok := f[field]; ok {
			t.Errorf("%s is stored (%v) without the body", field, v)
		}
	}
	MustClose(t, x)

	y, err := indexer.OpenWith(dir, indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer y.Close()
	if !y.NeedsRebuild() || MustCount(t, y) != 0 {
		t.Errorf("opened with the body stored: NeedsRebuild %v with %d documents, want a new empty index", y.NeedsRebuild(), MustCount(t, y))
	}
}

// MustStored returns every stored field of the document with that id.
func MustStored(tb testing.TB, x *indexer.Index, id string) map[string]any {
	tb.Helper()
	req := bleve.NewSearchRequest(bleve.NewDocIDQuery([]string{id}))
	req.Fields = []string{"*"}
	res, err := x.Bleve().Search(req)
	if err != nil || len(res.Hits) != 1 {
		tb.Fatalf("stored fields of %s: %v %v", id, res, err)
	}
	return res.Hits[0].Fields
}
