package search

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gongkai/catalogue"
	"gongkai/indexer"
)

// A relevance suite is a directory holding documents.jsonl (or
// documents.jsonl.gz) and searches.json: real documents, and what each
// search must find among them. The relevance tests run it against every
// analysis, and tools/bench reports how many searches each gets right.
// See testdata/relevance/README.md for the format.

// RelevanceSearch is one search of a suite and what it must find. Every
// expectation given must hold; at least one must be given.
type RelevanceSearch struct {
	Query   string           `json:"query"`
	Filters RelevanceFilters `json:"filters,omitzero"`
	Sort    string           `json:"sort,omitempty"` // relevance (default) or date
	Size    int              `json:"size,omitempty"` // page size; DefaultSize if 0
	Note    string           `json:"note,omitempty"` // why the expectation is right
	// KnownFailure says why the search does not yet find what it should.
	// The expectations stay as they should be; the tests report the
	// search as a known failure, and fail once it passes so that the mark
	// is removed.
	KnownFailure string `json:"known_failure,omitempty"`

	IDs      []string `json:"ids,omitempty"`      // exactly these hits, in this order, and no others
	Top      []string `json:"top,omitempty"`      // the first hits, in this order
	First    string   `json:"first,omitempty"`    // the first hit
	Contains []string `json:"contains,omitempty"` // on the page, in any order
	Absent   []string `json:"absent,omitempty"`   // not on the page
	Total    *int     `json:"total,omitempty"`    // the number of hits
	Exact    *string  `json:"exact,omitempty"`    // Result.Exact: "文号", "索引号" or ""
}

// RelevanceFilters are the filters of a search, as the API takes them.
type RelevanceFilters struct {
	Category string `json:"category,omitempty"`
	Topic    string `json:"topic,omitempty"`
	Organ    string `json:"organ,omitempty"`
	DocType  string `json:"doc_type,omitempty"`
	Year     string `json:"year,omitempty"`
	Validity string `json:"validity,omitempty"`
	From     string `json:"from,omitempty"` // YYYY-MM-DD
	To       string `json:"to,omitempty"`
}

// Name identifies the search: the query, then the filters and sort order
// it was given.
func (s RelevanceSearch) Name() string {
	parts := []string{s.Query}
	if s.Query == "" {
		parts[0] = "(no text)"
	}
	f := s.Filters
	for _, kv := range [][2]string{{"category", f.Category}, {"topic", f.Topic}, {"organ", f.Organ},
		{"doc_type", f.DocType}, {"year", f.Year}, {"validity", f.Validity}, {"from", f.From}, {"to", f.To},
		{"sort", s.Sort}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	return strings.Join(parts, " ")
}

// Query returns the search as a Query, with facets and highlights off.
func (s RelevanceSearch) query() (Query, error) {
	q := Query{Text: s.Query, Sort: s.Sort, Page: 1, Size: s.Size}
	f := s.Filters
	q.Filters = Filters{Category: f.Category, Topic: f.Topic, Organ: f.Organ, DocType: f.DocType,
		Year: f.Year, Validity: f.Validity}
	for _, d := range []struct {
		text string
		to   *catalogue.Date
	}{{f.From, &q.Filters.From}, {f.To, &q.Filters.To}} {
		if d.text == "" {
			continue
		}
		day, err := catalogue.ParseDate(d.text)
		if err != nil {
			return q, fmt.Errorf("date %q: %w", d.text, err)
		}
		*d.to = day
	}
	return q, nil
}

// referenced lists the document ids the expectations name.
func (s RelevanceSearch) referenced() []string {
	ids := slices.Concat(s.IDs, s.Top, s.Contains, s.Absent)
	if s.First != "" {
		ids = append(ids, s.First)
	}
	return ids
}

func (s RelevanceSearch) expects() bool {
	return len(s.referenced()) > 0 || s.Total != nil || s.Exact != nil
}

// Check compares a result with the expectations and says, one line each,
// which do not hold; nil when all do.
func (s RelevanceSearch) Check(res *Result) []string {
	got := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		got[i] = h.ID
	}
	var fails []string
	failf := func(format string, args ...any) { fails = append(fails, fmt.Sprintf(format, args...)) }
	if s.IDs != nil && (!slices.Equal(got, s.IDs) || res.Total != uint64(len(s.IDs))) {
		failf("hits %v (total %d), want exactly %v", got, res.Total, s.IDs)
	}
	if len(s.Top) > 0 && (len(got) < len(s.Top) || !slices.Equal(got[:len(s.Top)], s.Top)) {
		failf("first hits %v, want %v", got[:min(len(got), len(s.Top))], s.Top)
	}
	if s.First != "" && (len(got) == 0 || got[0] != s.First) {
		failf("first hit %v, want %s", got[:min(len(got), 1)], s.First)
	}
	for _, id := range s.Contains {
		if !slices.Contains(got, id) {
			failf("%s not among the %d hits on the page", id, len(got))
		}
	}
	for _, id := range s.Absent {
		if i := slices.Index(got, id); i >= 0 {
			failf("%s found at position %d, want it absent", id, i+1)
		}
	}
	if s.Total != nil && res.Total != uint64(*s.Total) {
		failf("total %d, want %d", res.Total, *s.Total)
	}
	if s.Exact != nil && res.Exact != *s.Exact {
		failf("understood as exact %q, want %q", res.Exact, *s.Exact)
	}
	return fails
}

// RelevanceSuite is a loaded suite: its documents, ready to index, and its
// searches.
type RelevanceSuite struct {
	Documents []indexer.Document
	Searches  []RelevanceSearch
	titles    map[string]string
}

// Title returns the title of the document with that id, for messages.
func (s *RelevanceSuite) Title(id string) string { return s.titles[id] }

// LoadRelevanceSuite reads the suite in dir. It refuses searches that
// expect nothing, name a document the suite does not have, repeat another
// search or carry fields it does not know (a misspelt expectation would
// otherwise be silently ignored).
func LoadRelevanceSuite(dir string) (*RelevanceSuite, error) {
	s := &RelevanceSuite{titles: map[string]string{}}
	if err := s.loadDocuments(dir); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(filepath.Join(dir, "searches.json"))
	if err != nil {
		return nil, fmt.Errorf("search: relevance suite: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s.Searches); err != nil {
		return nil, fmt.Errorf("search: relevance suite %s/searches.json: %w", dir, err)
	}
	names := map[string]bool{}
	for i, q := range s.Searches {
		where := fmt.Sprintf("search: relevance suite %s/searches.json: search %d (%s)", dir, i+1, q.Name())
		switch {
		case !q.expects():
			return nil, fmt.Errorf("%s: expects nothing", where)
		case names[q.Name()]:
			return nil, fmt.Errorf("%s: repeats an earlier search", where)
		}
		names[q.Name()] = true
		for _, id := range q.referenced() {
			if _, ok := s.titles[id]; !ok {
				return nil, fmt.Errorf("%s: no document %q", where, id)
			}
		}
		if _, err := q.query(); err != nil {
			return nil, fmt.Errorf("%s: %w", where, err)
		}
	}
	return s, nil
}

// relevanceDocument is one line of documents.jsonl: a record in the import
// format with the id the searches call it by.
type relevanceDocument struct {
	ID string `json:"id"`
	catalogue.ImportRecord
}

func (s *RelevanceSuite) loadDocuments(dir string) error {
	var r io.Reader
	name := filepath.Join(dir, "documents.jsonl")
	f, err := os.Open(name)
	if errors.Is(err, os.ErrNotExist) {
		name += ".gz"
		if f, err = os.Open(name); err == nil {
			defer f.Close()
			zr, zerr := gzip.NewReader(f)
			if zerr != nil {
				return fmt.Errorf("search: relevance suite %s: %w", name, zerr)
			}
			r = zr
		}
	} else if err == nil {
		defer f.Close()
		r = f
	}
	if err != nil {
		return fmt.Errorf("search: relevance suite: %w", err)
	}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	for n := 1; ; n++ {
		var d relevanceDocument
		err := dec.Decode(&d)
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("search: relevance suite %s: document %d: %w", name, n, err)
		}
		doc, err := d.document()
		if err != nil {
			return fmt.Errorf("search: relevance suite %s: document %d (%s): %w", name, n, d.ID, err)
		}
		if _, dup := s.titles[doc.ID]; dup {
			return fmt.Errorf("search: relevance suite %s: document %d: id %q given twice", name, n, d.ID)
		}
		s.titles[doc.ID] = doc.Title
		s.Documents = append(s.Documents, doc)
	}
	return nil
}

// document turns the record into what the public index holds for it, as
// an import followed by publication would: 发布日期 defaults to 生成日期,
// 有效性 to 有效.
func (d *relevanceDocument) document() (indexer.Document, error) {
	if strings.TrimSpace(d.ID) == "" {
		return indexer.Document{}, errors.New("no id")
	}
	r := &d.ImportRecord
	formed, err := catalogue.ParseDate(strings.TrimSpace(r.FormedAt))
	if err != nil {
		return indexer.Document{}, fmt.Errorf("formed_at: %w", err)
	}
	published := formed
	if r.PublishedAt != "" {
		if published, err = catalogue.ParseDate(strings.TrimSpace(r.PublishedAt)); err != nil {
			return indexer.Document{}, fmt.Errorf("published_at: %w", err)
		}
	}
	c := catalogue.Content{
		Title: strings.TrimSpace(r.Title), Organ: strings.TrimSpace(r.Organ), FormedAt: formed,
		DocNo: strings.TrimSpace(r.DocNo), Category: strings.TrimSpace(r.Category),
		Topic: strings.TrimSpace(r.Topic), DocType: strings.TrimSpace(r.DocType), Keywords: r.Keywords,
		Summary: strings.TrimSpace(r.Summary), Body: r.Body, Validity: strings.TrimSpace(r.Validity),
		SourceURL: strings.TrimSpace(r.SourceURL),
	}
	if c.Validity == "" {
		c.Validity = catalogue.ValidityInForce
	}
	if err := c.Validate(); err != nil {
		return indexer.Document{}, err
	}
	doc, ok := PublicDocument(&catalogue.PublicEntry{ID: d.ID, IndexNo: strings.TrimSpace(r.IndexNo),
		Version: 1, Content: &c, PublishedAt: published.Time(), UpdatedAt: published.Time()})
	if !ok {
		return indexer.Document{}, errors.New("not indexable")
	}
	return doc, nil
}

// Index adds the suite's documents to x.
func (s *RelevanceSuite) Index(ctx context.Context, x *Index) error {
	return x.idx.Index(ctx, s.Documents...)
}

// RelevanceResult is how one search of a suite fared.
type RelevanceResult struct {
	Search   RelevanceSearch
	Hits     []string // ids of the hits on the page
	Total    uint64
	Failures []string // the expectations that did not hold; empty if it passed
}

// Passed reports whether every expectation held.
func (r RelevanceResult) Passed() bool { return len(r.Failures) == 0 }

// Run runs every search of the suite against x, which must hold the
// suite's documents (see Index), and checks its expectations.
func (s *RelevanceSuite) Run(ctx context.Context, x *Index) []RelevanceResult {
	out := make([]RelevanceResult, len(s.Searches))
	for i, q := range s.Searches {
		out[i].Search = q
		query, err := q.query()
		if err == nil {
			var res *Result
			if res, err = x.Search(ctx, query); err == nil {
				out[i].Total = res.Total
				for _, h := range res.Hits {
					out[i].Hits = append(out[i].Hits, h.ID)
				}
				out[i].Failures = q.Check(res)
			}
		}
		if err != nil {
			out[i].Failures = []string{"search failed: " + err.Error()}
		}
	}
	return out
}

// RelevanceReport is a suite's outcome under one analysis.
type RelevanceReport struct {
	Analysis indexer.Analysis
	Results  []RelevanceResult
}

// Passed returns how many searches passed.
func (r *RelevanceReport) Passed() int {
	n := 0
	for _, res := range r.Results {
		if res.Passed() {
			n++
		}
	}
	return n
}

// RunRelevanceSuite indexes the suite in suiteDir into a new index at
// indexDir (which must not exist or be empty) built with opts, runs its
// searches and closes the index.
func RunRelevanceSuite(ctx context.Context, suiteDir, indexDir string, opts indexer.Options) (*RelevanceReport, error) {
	s, err := LoadRelevanceSuite(suiteDir)
	if err != nil {
		return nil, err
	}
	x, _, err := OpenIndexWith(indexDir, opts)
	if err != nil {
		return nil, err
	}
	defer x.Close()
	if n := x.Count(); n != 0 {
		return nil, fmt.Errorf("search: relevance suite: index %s already holds %d documents", indexDir, n)
	}
	if err := s.Index(ctx, x); err != nil {
		return nil, err
	}
	return &RelevanceReport{Analysis: x.Analysis(), Results: s.Run(ctx, x)}, nil
}
