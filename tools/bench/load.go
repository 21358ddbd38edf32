package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"gongkai/catalogue"
	"gongkai/indexer"
	"gongkai/search"
)

// ClassStats is one query class sent over HTTP by concurrent clients.
type ClassStats struct {
	Class      string
	N, Errors  int
	P50, P99   time.Duration
	Max        time.Duration
	QPS        float64
	MedianHits int
	ZeroHits   int
	FirstError string `json:",omitempty"`
}

func newClient(clients int) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns:        clients,
			MaxIdleConnsPerHost: clients,
			DisableCompression:  true,
		},
	}
}

// runClass sends the queries to /api/v1/search from the given number of
// clients, each query once, stopping early after limit.
func runClass(ctx context.Context, client *http.Client, base, class string, qs []Query, clients int, limit time.Duration) (ClassStats, error) {
	st := ClassStats{Class: class}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	type result struct {
		took  time.Duration
		total int
		err   error
	}
	work := make(chan Query)
	results := make(chan result)
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for q := range work {
				start := time.Now()
				total, err := get(ctx, client, base+"/api/v1/search?"+q.Params.Encode())
				results <- result{time.Since(start), total, err}
			}
		}()
	}
	start := time.Now()
	go func() {
		defer close(work)
		for _, q := range qs {
			select {
			case work <- q:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	var took []time.Duration
	var hits []int
	for r := range results {
		if r.err != nil {
			st.Errors++
			if st.FirstError == "" {
				st.FirstError = r.err.Error()
			}
			continue
		}
		took = append(took, r.took)
		hits = append(hits, r.total)
		if r.total == 0 {
			st.ZeroHits++
		}
	}
	wall := time.Since(start)
	st.N = len(took)
	if st.N == 0 {
		return st, fmt.Errorf("%s: no query answered: %s", class, st.FirstError)
	}
	st.P50, st.P99, st.Max = percentile(took, 0.50), percentile(took, 0.99), slices.Max(took)
	st.QPS = float64(st.N) / wall.Seconds()
	slices.Sort(hits)
	st.MedianHits = hits[len(hits)/2]
	return st, nil
}

func get(ctx context.Context, client *http.Client, url string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("%s: %d %s", url, resp.StatusCode, body)
	}
	if total, ok := leadingTotal(body); ok {
		return total, nil
	}
	var r struct {
		Total int `json:"total"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return 0, fmt.Errorf("%s: %w", url, err)
	}
	return r.Total, nil
}

// leadingTotal reads the total from the head of a search response, which
// begins {"total":N. The client shares the machine's two cores with the
// server: decoding each whole response (about 30 KB, with the snippets
// and facets) took a tenth of them, and 2 ms of the server's p50 under 8
// clients. The body has been read whole all the same.
func leadingTotal(body []byte) (int, bool) {
	if len(body) == 0 || body[len(body)-1] != '}' && body[len(body)-1] != '\n' {
		return 0, false
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	for i, want := range []string{"{", "total", ""} {
		tok, err := d.Token()
		if err != nil {
			return 0, false
		}
		switch v := tok.(type) {
		case json.Delim:
			if i != 0 || v != '{' {
				return 0, false
			}
		case string:
			if v != want {
				return 0, false
			}
		case json.Number:
			n, err := v.Int64()
			return int(n), i == 2 && err == nil
		default:
			return 0, false
		}
	}
	return 0, false
}

// percentile returns the q-quantile (nearest rank) of ds.
func percentile(ds []time.Duration, q float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(float64(len(s))*q+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}

// BreakdownStats is one query class run in process, one query at a time,
// with facets and highlights on and off: what the time goes to.
type BreakdownStats struct {
	Class    string
	Variants []VariantStats
}

// VariantStats is one way of running a class.
type VariantStats struct {
	Name     string // full, no facets, no highlights, bare
	P50, P99 time.Duration
}

var variants = []struct {
	name              string
	facets, highlight bool
}{
	{"full", true, true},
	{"no facets", false, true},
	{"no highlights", true, false},
	{"bare", false, false},
}

// breakdown opens the public index the server used (the server has
// stopped) and runs every class in process.
func (b *Bench) breakdown(ctx context.Context, a indexer.Analysis, dir string, queries []Query) ([]BreakdownStats, error) {
	x, fresh, err := search.OpenIndexWith(dir, indexer.Options{Analysis: a})
	if err != nil {
		return nil, err
	}
	defer x.Close()
	if fresh {
		return nil, fmt.Errorf("the index at %s was rebuilt on opening: wrong analysis?", dir)
	}
	x.KeepResults(0) // each variant repeats the queries: search every one
	for _, q := range byClass(queries, "warm-up") {
		if _, err := x.Search(ctx, searchQuery(q, true, true)); err != nil {
			return nil, err
		}
	}
	var out []BreakdownStats
	for _, c := range Classes {
		bs := BreakdownStats{Class: c.Name}
		qs := byClass(queries, c.Name)
		for _, v := range variants {
			took := make([]time.Duration, 0, len(qs))
			for _, q := range qs {
				start := time.Now()
				if _, err := x.Search(ctx, searchQuery(q, v.facets, v.highlight)); err != nil {
					return nil, fmt.Errorf("%s %v: %w", c.Name, q.Params, err)
				}
				took = append(took, time.Since(start))
			}
			bs.Variants = append(bs.Variants, VariantStats{v.name, percentile(took, 0.5), percentile(took, 0.99)})
		}
		b.logf("%s: in process %-12s full %5.1f/%5.1f  no facets %5.1f/%5.1f  no highlights %5.1f/%5.1f  bare %5.1f/%5.1f ms (p50/p99)",
			a, c.Name, ms(bs.Variants[0].P50), ms(bs.Variants[0].P99), ms(bs.Variants[1].P50), ms(bs.Variants[1].P99),
			ms(bs.Variants[2].P50), ms(bs.Variants[2].P99), ms(bs.Variants[3].P50), ms(bs.Variants[3].P99))
		out = append(out, bs)
	}
	return out, nil
}

// searchQuery is the query the API would run for q's parameters.
func searchQuery(q Query, facets, highlight bool) search.Query {
	p := q.Params
	sq := search.Query{
		Text: p.Get("q"), Sort: p.Get("sort"), Page: 1, Size: search.DefaultSize,
		Filters: search.Filters{Category: p.Get("category"), Organ: p.Get("organ"), Year: p.Get("year")},
		Facets:  facets, Highlight: highlight,
	}
	if s := p.Get("size"); s != "" {
		sq.Size, _ = strconv.Atoi(s)
	}
	if f := p.Get("from"); f != "" {
		sq.Filters.From, _ = catalogue.ParseDate(f)
	}
	return sq
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func mb(n int64) string { return fmt.Sprintf("%.0f MB", float64(n)/(1<<20)) }
