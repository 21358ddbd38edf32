package main

import (
	"fmt"
	"strings"
	"time"
)

// Targets of the issue, for the 147k articles on a 2-core machine.
const (
	targetP50       = 10 * time.Millisecond
	targetP99       = 100 * time.Millisecond
	targetIndexRate = 1000.0  // articles/s
	targetServeRSS  = 1 << 30 // bytes
)

// Markdown renders the report: the machine, one table with the analyses
// side by side, the in-process breakdown and the relevance failures.
func (r *Report) Markdown() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	m := r.Machine
	p("# gongkai benchmark, %s\n\n", r.Started.Format("2006-01-02 15:04"))
	p("Machine: %d CPUs, %s, %.1f GiB RAM, Linux %s, %s.\n\n", m.CPUs, m.Model, float64(m.MemTotal)/(1<<30), m.Kernel, m.GoVersion)
	c := r.Corpus
	p("Corpus: %d laws + %d articles = %d entries, %.1f MB of text (title, summary, body), %.1f MB of JSONL. ",
		c.Laws, c.Articles, c.Laws+c.Articles, float64(c.TextBytes)/1e6, float64(c.FileBytes)/1e6)
	p("Queries: %d per class, drawn with seed %d, sent by %d concurrent clients over HTTP on loopback to `/api/v1/search` (which always computes facets and highlights). "+
		"The p50 / p99 rows are the server as shipped, which keeps the results of recent searches until the index changes, so a query repeated within a class is answered from them; "+
		"the rows \"every query searched\" are a second server with GONGKAI_KEEP_RESULTS=0.\n\n",
		r.Config.Queries, r.Config.Seed, r.Config.Clients)

	p("| measure |")
	for _, a := range r.Analyses {
		p(" %s |", a.Analysis)
	}
	p(" target |\n|---|")
	for range r.Analyses {
		p("---|")
	}
	p("---|\n")
	row := func(name, target string, f func(a AnalysisReport) string) {
		p("| %s |", name)
		for _, a := range r.Analyses {
			p(" %s |", f(a))
		}
		p(" %s |\n", target)
	}
	row("entries imported (failed)", "", func(a AnalysisReport) string {
		return fmt.Sprintf("%d (%d)", a.Import.Imported, a.Import.Failed)
	})
	row("import wall time", "", func(a AnalysisReport) string { return a.Import.Wall.Round(time.Second).String() })
	row("indexing entries/s (import, both indexes)", "≥ 1,000", func(a AnalysisReport) string {
		return mark(fmt.Sprintf("%.0f", rate(a.Import.Imported, a.Import.Wall)), rate(a.Import.Imported, a.Import.Wall) >= targetIndexRate)
	})
	row("indexing MB of text/s", "", func(a AnalysisReport) string {
		return fmt.Sprintf("%.2f", float64(c.TextBytes)/1e6/a.Import.Wall.Seconds())
	})
	row("import CPU (user + sys)", "", func(a AnalysisReport) string {
		return (a.Import.User + a.Import.Sys).Round(time.Second).String()
	})
	row("peak RSS while importing", "", func(a AnalysisReport) string { return mb(a.Import.PeakRSS) })
	row("reindex (both indexes from the store): wall, entries/s", "", func(a AnalysisReport) string {
		return fmt.Sprintf("%s, %.0f/s", a.Reindex.Wall.Round(time.Second), rate(a.Reindex.Imported, a.Reindex.Wall))
	})
	row("peak RSS while reindexing", "", func(a AnalysisReport) string { return mb(a.Reindex.PeakRSS) })
	row("index size: public + staff", "", func(a AnalysisReport) string {
		return fmt.Sprintf("%s + %s", mb(a.IndexBytes["public"]), mb(a.IndexBytes["staff"]))
	})
	row("object store size", "", func(a AnalysisReport) string { return mb(a.StoreBytes) })
	row("start-up to /readyz 200", "", func(a AnalysisReport) string { return a.Startup.Round(time.Millisecond).String() })
	row("peak RSS while serving (VmHWM)", "≤ 1 GB", func(a AnalysisReport) string {
		return mark(mb(a.ServeHWM), a.ServeHWM <= targetServeRSS)
	})
	latency := func(prefix string, of func(AnalysisReport) []ClassStats) {
		for i, cl := range Classes {
			row(prefix+"p50 / p99: "+cl.Label, "≤ 10 / ≤ 100 ms", func(a AnalysisReport) string {
				stats := of(a)
				if i >= len(stats) {
					return "–"
				}
				s := stats[i]
				return mark(fmt.Sprintf("%.1f / %.1f ms", ms(s.P50), ms(s.P99)), s.P50 <= targetP50 && s.P99 <= targetP99)
			})
		}
	}
	latency("", func(a AnalysisReport) []ClassStats { return a.HTTP })
	latency("every query searched, ", func(a AnalysisReport) []ClassStats { return a.HTTPSearched })
	for i, cl := range Classes {
		row("1 client, every query searched, p50 / p99: "+cl.Label, "", func(a AnalysisReport) string {
			if i >= len(a.HTTPSerial) {
				return "–"
			}
			return fmt.Sprintf("%.1f / %.1f ms", ms(a.HTTPSerial[i].P50), ms(a.HTTPSerial[i].P99))
		})
	}
	row("queries answered / errors", "", func(a AnalysisReport) string {
		n, e := 0, 0
		for _, s := range a.HTTP {
			n += s.N
			e += s.Errors
		}
		return fmt.Sprintf("%d / %d", n, e)
	})
	row("relevance searches passed", "", func(a AnalysisReport) string {
		return fmt.Sprintf("%d of %d", a.Relevance, a.RelevanceOf)
	})
	p("\n✗ marks a missed target.\n\n")

	p("## Hits per class (median; queries with no hit) and throughput with %d clients\n\n| class | what |", r.Config.Clients)
	for _, a := range r.Analyses {
		p(" %s |", a.Analysis)
	}
	p("\n|---|---|")
	for range r.Analyses {
		p("---|")
	}
	p("\n")
	for i, cl := range Classes {
		p("| %s | %s |", cl.Label, cl.About)
		for _, a := range r.Analyses {
			if i < len(a.HTTP) {
				p(" %d (%d), %.0f q/s |", a.HTTP[i].MedianHits, a.HTTP[i].ZeroHits, a.HTTP[i].QPS)
			} else {
				p(" – |")
			}
		}
		p("\n")
	}

	p("\n## Where the time goes: in process, one query at a time, p50 / p99 ms\n\n")
	p("The same queries against the same public index, after the server stopped, with facets and highlights switched off in turn.\n\n")
	for _, a := range r.Analyses {
		p("### %s\n\n| class | full | no facets | no highlights | neither |\n|---|---|---|---|---|\n", a.Analysis)
		for i, bs := range a.InProcess {
			p("| %s |", Classes[i].Label)
			for _, v := range bs.Variants {
				p(" %.1f / %.1f |", ms(v.P50), ms(v.P99))
			}
			p("\n")
		}
		p("\n")
	}

	p("## Relevance searches failed\n\n")
	for _, a := range r.Analyses {
		p("- %s (%d): %s\n", a.Analysis, len(a.Failed), strings.Join(a.Failed, " · "))
	}
	return b.String()
}

func rate(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

func mark(s string, ok bool) string {
	if ok {
		return s
	}
	return s + " ✗"
}
