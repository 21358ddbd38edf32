package search

import (
	"sync"

	index "github.com/blevesearch/bleve_index_api"
	lru "github.com/hashicorp/golang-lru/v2"
)

// Results of recent searches are kept for as long as the index does not
// change. The public search box gets the same few words over and over
// (公开, 管理, 通知, a category's link from the home page), and a common
// word is the costliest search there is: Bleve scores each of its tens of
// thousands of hits, and the facets count them all. A kept result is the
// one the search would give: it belongs to one snapshot of the index, and
// the first search that sees a newer snapshot (anything indexed, updated
// or withdrawn) empties the cache. Each index has its own, so the public
// index's holds nothing but public entries.

// DefaultResultCache is how many results an index keeps: about 30 KB each
// at the page size the public pages use.
const DefaultResultCache = 256

// cacheableSize bounds the page size of results kept, so that the cache's
// memory stays near DefaultResultCache × one public page.
const cacheableSize = DefaultSize

type resultCache struct {
	mu      sync.Mutex
	reader  index.IndexReader // the snapshot the results belong to
	results *lru.Cache[Query, *Result]
}

// newResultCache returns a cache of n results, or nil (no cache) for n <= 0.
func newResultCache(n int) *resultCache {
	if n <= 0 {
		return nil
	}
	results, err := lru.New[Query, *Result](n)
	if err != nil {
		panic(err) // only for n <= 0
	}
	return &resultCache{results: results}
}

func cacheable(q Query) bool { return q.Export == 0 && q.Size <= cacheableSize }

// get returns the result kept for q on snapshot r.
func (c *resultCache) get(r index.IndexReader, q Query) (*Result, bool) {
	if c == nil || !cacheable(q) {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reader != r {
		c.reader = r
		c.results.Purge()
		return nil, false
	}
	return c.results.Get(q)
}

// put keeps res, found for q on snapshot r, unless the index has changed
// since.
func (c *resultCache) put(r index.IndexReader, q Query, res *Result) {
	if c == nil || !cacheable(q) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reader == r {
		c.results.Add(q, res)
	}
}
