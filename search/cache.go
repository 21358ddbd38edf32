package search

import (
	"sync"

	index "github.com/blevesearch/bleve_index_api"
	"github.com/hashicorp/golang-lru/v2/simplelru"
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

// resultCache's one lock covers both the snapshot and the results (the
// LRU is the library's unlocked one), so that emptying it for a new
// snapshot and keeping a result are never interleaved.
type resultCache struct {
	mu      sync.Mutex
	reader  index.IndexReader // the snapshot the results belong to
	results *simplelru.LRU[Query, *Result]
}

// newResultCache returns a cache of n results, or nil (no cache) for n <= 0.
func newResultCache(n int) *resultCache {
	if n <= 0 {
		return nil
	}
	results, err := simplelru.NewLRU[Query, *Result](n, nil)
	if err != nil {
		panic(err) // only for n <= 0
	}
	return &resultCache{results: results}
}

// cacheable says whether q's result may be kept; Search asks before it
// uses the cache.
func cacheable(q Query) bool { return q.Export == 0 && q.Size <= cacheableSize }

// get returns the result kept for q on snapshot r.
func (c *resultCache) get(r index.IndexReader, q Query) (*Result, bool) {
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
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.reader == r {
		c.results.Add(q, res)
	}
}
