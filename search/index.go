package search

import (
	"context"
	"fmt"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	"strings"
	"time"

	"gongkai/catalogue"
	"gongkai/indexer"
	"gongkai/indexer/dict"
)

// Index is one search index (the public one or the staff one) with the
// catalogue operations on it. The public index is only ever fed public
// records, so everything it can return is public.
type Index struct {
	idx     *indexer.Index
	dir     string
	opts    indexer.Options
	columns columnCache  // of the latest snapshot searched (columns.go)
	results *resultCache // nil: none (cache.go)
	// wordsByBleve sends one-word searches through Bleve's collector
	// rather than searchWord (word.go): for tests comparing the two.
	wordsByBleve bool
}

// OpenIndex opens or creates the index at dir. fresh is true when the index
// is new or was recreated (version change, damage) and must be rebuilt from
// the store.
func OpenIndex(dir string) (*Index, bool, error) { return OpenIndexWith(dir, indexer.Options{}) }

// OpenIndexWith is OpenIndex with the analysis of opts; queries are
// analysed the way the index was built.
func OpenIndexWith(dir string, opts indexer.Options) (*Index, bool, error) {
	idx, err := indexer.OpenWith(dir, opts)
	if err != nil {
		return nil, false, fmt.Errorf("search: open index %s: %w", dir, err)
	}
	return &Index{idx: idx, dir: dir, opts: opts, results: newResultCache(DefaultResultCache)}, idx.NeedsRebuild(), nil
}

// KeepResults sets how many recent results the index keeps for searches
// repeated before it changes; 0 keeps none, for measuring the searches
// themselves.
func (x *Index) KeepResults(n int) { x.results = newResultCache(n) }

// Analysis returns how the index's text is analysed.
func (x *Index) Analysis() indexer.Analysis { return x.idx.Analysis() }

// Close closes the index.
func (x *Index) Close() error { return x.idx.Close() }

// Settle merges what a bulk load left into one segment, if it left many
// (indexer.Index.Settle).
func (x *Index) Settle(ctx context.Context) error { return x.idx.Settle(ctx) }

// Count returns the number of documents, or 0 if the index cannot say.
func (x *Index) Count() uint64 {
	n, _ := x.idx.Count()
	return n
}

// DocCount returns the number of documents, or an error if the index is unusable.
func (x *Index) DocCount() (uint64, error) { return x.idx.Count() }

// Clear empties the index, for a rebuild from scratch.
func (x *Index) Clear() error {
	if err := x.idx.Close(); err != nil {
		return err
	}
	idx, err := indexer.RecreateWith(x.dir, x.opts)
	if err != nil {
		return fmt.Errorf("search: recreate index %s: %w", x.dir, err)
	}
	x.idx = idx
	return nil
}

// PublicDocument turns a public record into an index document. A
// withdrawal notice has no content and yields ok=false: it is never indexed.
func PublicDocument(p *catalogue.PublicEntry) (indexer.Document, bool) {
	if p.Content == nil || p.Withdrawn != nil {
		return indexer.Document{}, false
	}
	d := contentDocument(p.ID, p.IndexNo, p.Content)
	d.AttachmentText = p.AttachmentText
	d.PublishedAt = p.PublishedAt
	d.UpdatedAt = p.UpdatedAt
	return d, true
}

// StaffDocument turns an internal entry into a staff index document: the
// working copy with the entry's workflow state.
func StaffDocument(e *catalogue.Entry) indexer.Document {
	d := contentDocument(e.ID, e.IndexNo, &e.Draft)
	d.Status = string(e.Status)
	d.Attribute = string(e.Attribute)
	d.Section = e.Section
	d.Kind = string(e.Kind)
	if !e.DueAt.IsZero() {
		d.DueAt = e.DueAt.Time()
	}
	if len(e.Versions) > 0 {
		d.PublishedAt = e.Versions[0].PublishedAt
	}
	d.UpdatedAt = e.UpdatedAt // staff sort by the last change of any kind
	return d
}

func contentDocument(id, indexNo string, c *catalogue.Content) indexer.Document {
	return indexer.Document{
		ID: id, IndexNo: indexNo, Title: c.Title, DocNo: c.DocNo, Organ: c.Organ,
		Category: c.Category, Topic: c.Topic, DocType: c.DocType, Validity: c.Validity,
		Summary: c.Summary, Body: c.Body, Keywords: strings.Join(c.Keywords, " "),
		FormedAt: c.FormedAt.Time(),
	}
}

// IndexPublic implements catalogue.PublicIndex.
func (x *Index) IndexPublic(ctx context.Context, entries ...*catalogue.PublicEntry) error {
	docs := make([]indexer.Document, 0, len(entries))
	var gone []string
	for _, p := range entries {
		if d, ok := PublicDocument(p); ok {
			docs = append(docs, d)
		} else {
			gone = append(gone, p.ID)
		}
	}
	if err := x.idx.Index(ctx, docs...); err != nil {
		return err
	}
	return x.idx.Delete(ctx, gone...)
}

// DeletePublic implements catalogue.PublicIndex.
func (x *Index) DeletePublic(ctx context.Context, ids ...string) error {
	return x.idx.Delete(ctx, ids...)
}

// IndexEntries implements catalogue.StaffIndex.
func (x *Index) IndexEntries(ctx context.Context, entries ...*catalogue.Entry) error {
	docs := make([]indexer.Document, len(entries))
	for i, e := range entries {
		docs[i] = StaffDocument(e)
	}
	return x.idx.Index(ctx, docs...)
}

// DeleteEntries implements catalogue.StaffIndex.
func (x *Index) DeleteEntries(ctx context.Context, ids ...string) error {
	return x.idx.Delete(ctx, ids...)
}

const rebuildBatch = 1024

// RebuildPublic indexes every public record of the projection.
func (x *Index) RebuildPublic(ctx context.Context, public catalogue.PublicReader) (int, error) {
	return x.rebuild(ctx, func(add func(indexer.Document) error) error {
		return public.ListEntries(ctx, func(p *catalogue.PublicEntry) error {
			if d, ok := PublicDocument(p); ok {
				return add(d)
			}
			return nil // a withdrawal notice is never indexed
		})
	})
}

// RebuildStaff indexes every internal entry.
func (x *Index) RebuildStaff(ctx context.Context, records catalogue.RecordStore) (int, error) {
	return x.rebuild(ctx, func(add func(indexer.Document) error) error {
		return records.ListEntries(ctx, func(e *catalogue.Entry) error { return add(StaffDocument(e)) })
	})
}

// rebuild indexes the documents that walk hands to add, in batches, and
// returns how many it indexed.
func (x *Index) rebuild(ctx context.Context, walk func(add func(indexer.Document) error) error) (int, error) {
	var batch []indexer.Document
	n := 0
	err := walk(func(d indexer.Document) error {
		batch = append(batch, d)
		n++
		if len(batch) < rebuildBatch {
			return nil
		}
		err := x.idx.Index(ctx, batch...)
		batch = batch[:0]
		return err
	})
	if err == nil {
		err = x.idx.Index(ctx, batch...)
	}
	if err == nil {
		err = x.idx.Compact(ctx)
	}
	return n, err
}

// Warm reads the columns of the index as it is now (facet tuples and date
// order of every document), which the first search would otherwise read
// while the searches after it wait: about a tenth of a second at 150,000
// entries. The server warms the public index before it takes requests.
// It also starts making the table of words a single character is looked
// for in (dict.WordsWith, about a sixth of a second).
func (x *Index) Warm() error {
	r, err := x.snapshot()
	if err != nil {
		return err
	}
	defer r.Close()
	if x.idx.Analysis() == indexer.AnalysisGSE {
		// Made once, beside the columns rather than before them: a search
		// for a single character meanwhile waits for it.
		go dict.WordsWith('法')
	}
	_, err = x.columns.get(r)
	return err
}

// CountByStatus counts the entries of the staff index that pass f, by
// workflow status, for the dashboard.
func (x *Index) CountByStatus(ctx context.Context, f Filters) (map[string]uint64, uint64, error) {
	q := filterQueries(f)
	var root query.Query = bleve.NewMatchAllQuery()
	if len(q) > 0 {
		root = bleve.NewConjunctionQuery(q...)
	}
	req := bleve.NewSearchRequestOptions(root, 0, 0, false)
	req.AddFacet("status", bleve.NewFacetRequest(indexer.FieldStatus, 20))
	sr, err := x.run(ctx, req, nil)
	if err != nil {
		return nil, 0, err
	}
	out := make(map[string]uint64)
	if fr := sr.Facets["status"]; fr != nil && fr.Terms != nil {
		for _, t := range fr.Terms.Terms() {
			out[t.Term] = uint64(t.Count)
		}
	}
	return out, sr.Total, nil
}

// EachDocument calls fn with the id and last update of every document, in
// id order, paging with search-after so memory stays flat at any size.
func (x *Index) EachDocument(ctx context.Context, fn func(id string, updated time.Time) error) error {
	const batch = 2000
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(bleve.NewMatchAllQuery(), batch, 0, false)
		req.SortBy([]string{"_id"})
		req.SearchAfter = after
		sr, err := x.run(ctx, req, nil)
		if err != nil {
			return err
		}
		// Where the next page starts, and whether there is one, is the
		// search's to say: loadStored leaves out documents deleted since.
		found := len(sr.Hits)
		if found > 0 {
			after = []string{sr.Hits[found-1].ID}
		}
		hits, err := x.loadStored(sr.Hits, []string{indexer.FieldUpdatedAt}, nil)
		if err != nil {
			return err
		}
		for _, dm := range hits {
			s, _ := dm.Fields[indexer.FieldUpdatedAt].(string)
			t, _ := time.Parse(time.RFC3339, s)
			if err := fn(dm.ID, t); err != nil {
				return err
			}
		}
		if found < batch {
			return nil
		}
	}
}

// Document returns the stored fields of one document, with its body, or
// ENOTFOUND. The public pages fall back to it when the object store is
// unreachable: the public index holds exactly the public current versions.
func (x *Index) Document(ctx context.Context, id string) (*Hit, string, error) {
	if x.opts.WithoutBody {
		return nil, "", catalogue.Errorf(catalogue.EINTERNAL, "此索引不保存正文")
	}
	sr, err := x.fetch(ctx, []string{id}, append(storedFields[:len(storedFields):len(storedFields)], indexer.FieldBody), nil)
	if err != nil {
		return nil, "", err
	}
	if len(sr.Hits) == 0 {
		return nil, "", catalogue.Errorf(catalogue.ENOTFOUND, "条目不存在")
	}
	h := toHit(sr.Hits[0])
	body, _ := sr.Hits[0].Fields[indexer.FieldBody].(string)
	return &h, body, nil
}
