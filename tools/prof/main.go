// Command prof runs one class of benchmark queries against a public index
// in process, one at a time, and prints p50 and p99, optionally writing a
// CPU profile: how to see where search time goes without the HTTP server.
//
//	go run ./tools/prof -index DATA/index/public -queries bench/results/queries -class one-word [-facets=false] [-hl=false] [-cpu cpu.prof] [-allocs allocs.prof]
//
// The query files are those tools/bench writes (one URL query string a
// line); the index must have been built by the same version of gongkai.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strings"
	"time"

	"gongkai/catalogue"
	"gongkai/search"
)

func main() {
	dir := flag.String("index", "", "the public index directory")
	qdir := flag.String("queries", "", "the directory of query files tools/bench wrote")
	class := flag.String("class", "one-word", "query class: one-word, two-words, phrase, docno, filter-date, broad")
	cpu := flag.String("cpu", "", "write a CPU profile here")
	allocs := flag.String("allocs", "", "write a profile of the memory the queries allocate here")
	facets := flag.Bool("facets", true, "compute facets")
	hl := flag.Bool("hl", true, "compute highlights")
	rep := flag.Int("rep", 1, "run the queries this many times")
	slowest := flag.Int("slowest", 0, "list this many of the slowest queries, with their time and hits")
	flag.Parse()
	if *allocs != "" {
		runtime.MemProfileRate = 64 << 10 // before anything allocates
	}
	x, fresh, err := search.OpenIndex(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "prof:", err)
		os.Exit(1)
	}
	if fresh {
		fmt.Fprintln(os.Stderr, "prof: the index was built by another version and needs a rebuild (gongkai reindex)")
		os.Exit(1)
	}
	defer x.Close()
	x.KeepResults(0) // measure the searches, not the kept results of repeated ones
	read := func(name string) []url.Values {
		f, err := os.Open(*qdir + "/" + name + ".txt")
		if err != nil {
			fmt.Fprintln(os.Stderr, "prof:", err)
			os.Exit(1)
		}
		defer f.Close()
		var out []url.Values
		s := bufio.NewScanner(f)
		for s.Scan() {
			v, _ := url.ParseQuery(strings.TrimSpace(s.Text()))
			out = append(out, v)
		}
		return out
	}
	ctx := context.Background()
	mk := func(p url.Values) search.Query {
		sq := search.Query{Text: p.Get("q"), Sort: p.Get("sort"), Page: 1, Size: search.DefaultSize,
			Filters: search.Filters{Category: p.Get("category"), Organ: p.Get("organ"), Year: p.Get("year")},
			Facets:  *facets, Highlight: *hl}
		if f := p.Get("from"); f != "" {
			sq.Filters.From, _ = catalogue.ParseDate(f)
		}
		return sq
	}
	for _, p := range read("warm-up") {
		x.Search(ctx, mk(p))
	}
	qs := read(*class)
	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err != nil {
			fmt.Fprintln(os.Stderr, "prof:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	type timed struct {
		took  time.Duration
		query url.Values
		hits  uint64
	}
	var each []timed
	for r := 0; r < *rep; r++ {
		for _, p := range qs {
			s := time.Now()
			res, err := x.Search(ctx, mk(p))
			if err != nil {
				fmt.Fprintln(os.Stderr, "prof:", p.Encode(), err)
				os.Exit(1)
			}
			each = append(each, timed{time.Since(s), p, res.Total})
		}
	}
	runtime.ReadMemStats(&after)
	if *allocs != "" {
		f, err := os.Create(*allocs)
		if err != nil {
			fmt.Fprintln(os.Stderr, "prof:", err)
			os.Exit(1)
		}
		pprof.Lookup("allocs").WriteTo(f, 0)
		f.Close()
	}
	sort.Slice(each, func(i, j int) bool { return each[i].took > each[j].took }) // slowest first
	for _, t := range each[:min(*slowest, len(each))] {
		fmt.Printf("%8.2f ms %7d hits  %s\n", float64(t.took.Microseconds())/1000, t.hits, t.query.Encode())
	}
	n := len(each)
	fmt.Printf("%s n=%d p50=%v p99=%v allocated %.0f KB/query, %d GCs\n", *class, n, each[n-1-n/2].took, each[n-1-n*99/100].took,
		float64(after.TotalAlloc-before.TotalAlloc)/float64(n)/1024, after.NumGC-before.NumGC)
}
