// Package search answers catalogue queries from a Bleve index built by
// package indexer: query understanding (words, phrases, 文号, 索引号),
// filters, facets, highlights and sorting. A user's text never reaches
// Bleve's query-string syntax.
package search

import (
	"time"
	"unicode/utf8"

	"gongkai/catalogue"
)

// Limits on what a query may ask for.
const (
	MaxQueryRunes = 200  // longer queries are refused with EINVALID
	MaxPageSize   = 100  // results per page
	MaxDepth      = 1000 // results reachable by paging a search: page*size may not exceed this
	DefaultSize   = 20
	// MaxBrowseDepth is MaxDepth for the catalogue without words in an
	// order of dates, which a reader pages through to its end: such a
	// page is the next ranks of the index's columns (or a heap of as
	// many ranks, under a date range), a few bytes each, where a search
	// by relevance keeps every hit up to the page scored.
	MaxBrowseDepth = 100_000
)

// Sort orders.
const (
	SortRelevance = "relevance"
	SortDate      = "date"    // newest first by 发布日期 (published_at), then 生成日期
	SortDue       = "due"     // staff index: earliest publish-by date first
	SortUpdated   = "updated" // most recently published or updated first, for feeds
)

// Filters narrow a query to exact field values. Empty fields do not filter.
type Filters struct {
	Category string
	Topic    string
	Organ    string
	DocType  string
	Year     string // year of 生成日期
	Validity string
	From, To catalogue.Date // 生成日期 range, inclusive

	// Staff index only.
	Status    string
	Attribute string
	Section   string
	Kind      string
	// DueFrom and DueTo select entries whose publish-by date is in the
	// range, inclusive; only entries whose clock runs have one.
	DueFrom, DueTo catalogue.Date
}

// Query is a search as a user asked it.
type Query struct {
	Text      string
	Filters   Filters
	Sort      string
	Page      int // from 1
	Size      int
	Facets    bool
	Highlight bool
	// Export lifts the depth limit for CSV export, up to the given number
	// of hits.
	Export int
}

// Hit is one result.
type Hit struct {
	ID          string
	IndexNo     string
	Title       string
	DocNo       string
	Organ       string
	Category    string
	Topic       string
	DocType     string
	Summary     string
	Validity    string
	FormedAt    catalogue.Date
	PublishedAt catalogue.Date
	UpdatedAt   catalogue.Date
	Status      string
	Attribute   string
	Section     string
	Kind        string
	DueAt       catalogue.Date
	Score       float64
	// Highlights holds fragments with <mark> around matched terms, by field
	// ("title", "body"); the text around the marks is HTML-escaped.
	Highlights map[string][]string
}

// FacetValue is one value of a facet with the number of hits having it.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Result is a page of hits.
type Result struct {
	Total  uint64
	Page   int
	Size   int
	Took   time.Duration
	Hits   []Hit
	Facets map[string][]FacetValue // "category", "topic", "organ", "year", "doc_type"
	// Exact is set when the query was understood as a 文号 or 索引号 and an
	// entry with exactly that number was put first.
	Exact string
	// Depth is how many of the hits paging may reach (Query.Depth).
	Depth int
}

// Depth is how many results paging may reach for q, once normalised.
func (q *Query) Depth() int {
	switch {
	case q.Export > 0:
		return q.Export
	case q.Text == "" && q.Sort != SortRelevance:
		return MaxBrowseDepth
	}
	return MaxDepth
}

// Normalize applies defaults and limits, and rejects queries no one should
// send: over-long text, bad sort names, pages past the depth limit.
func (q *Query) Normalize() error {
	if utf8.RuneCountInString(q.Text) > MaxQueryRunes {
		return catalogue.Errorf(catalogue.EINVALID, "检索词过长：最多 %d 个字", MaxQueryRunes)
	}
	if !utf8.ValidString(q.Text) {
		return catalogue.Errorf(catalogue.EINVALID, "检索词不是有效的文字")
	}
	switch q.Sort {
	case "":
		q.Sort = SortRelevance
		if q.Text == "" {
			q.Sort = SortDate
		}
	case SortRelevance, SortDate, SortDue, SortUpdated:
	default:
		return catalogue.Errorf(catalogue.EINVALID, "排序方式只能是 relevance 或 date")
	}
	if q.Page < 1 {
		q.Page = 1
	}
	if q.Size < 1 {
		q.Size = DefaultSize
	}
	if q.Size > MaxPageSize && q.Export == 0 {
		q.Size = MaxPageSize
	}
	if depth := q.Depth(); (q.Page-1)*q.Size >= depth {
		return catalogue.Errorf(catalogue.EINVALID, "只能翻阅前 %d 条结果，请缩小检索范围", depth)
	}
	if !q.Filters.From.IsZero() && !q.Filters.To.IsZero() && q.Filters.To.Before(q.Filters.From) {
		return catalogue.Errorf(catalogue.EINVALID, "结束日期早于开始日期")
	}
	return nil
}
