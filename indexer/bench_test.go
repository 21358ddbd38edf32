package indexer

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
)

// The benchmarks read laws from the shared corpus (laws.jsonl.gz, found in
// a shared/corpus directory above the working directory) and fall back to
// testdata when it is not there.

type law struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// corpusLaws returns the laws of the shared corpus for which keep returns
// true, stopping after max; nil if the corpus is not found.
func corpusLaws(tb testing.TB, max int, keep func(law) bool) []law {
	tb.Helper()
	dir, err := filepath.Abs(".")
	if err != nil {
		tb.Fatal(err)
	}
	for ; dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
		f, err := os.Open(filepath.Join(dir, "shared", "corpus", "lawrefbook", "laws.jsonl.gz"))
		if err != nil {
			continue
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			tb.Fatal(err)
		}
		sc := bufio.NewScanner(zr)
		sc.Buffer(make([]byte, 1<<20), 8<<20)
		var out []law
		for sc.Scan() && len(out) < max {
			var l law
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				tb.Fatal(err)
			}
			if keep(l) {
				out = append(out, l)
			}
		}
		if err := sc.Err(); err != nil {
			tb.Fatal(err)
		}
		return out
	}
	return nil
}

func readTestdata(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// lawText returns a real law body of about n characters: the corpus law
// closest above n, cut to n characters, or testdata laws repeated.
func lawText(tb testing.TB, n int) string {
	tb.Helper()
	var best string
	corpusLaws(tb, 1<<30, func(l law) bool {
		c := utf8.RuneCountInString(l.Body)
		if c >= n && (best == "" || c < utf8.RuneCountInString(best)) {
			best = l.Body
		}
		return false
	})
	if best == "" {
		tb.Logf("shared corpus not found: using testdata")
		for utf8.RuneCountInString(best) < n {
			best += readTestdata(tb, "law_pipl.txt") + readTestdata(tb, "law_ogi.txt")
		}
	}
	return string([]rune(best)[:n])
}

func mustAnalyzer(tb testing.TB, name string) analysis.Analyzer {
	tb.Helper()
	a, err := registry.NewCache().AnalyzerNamed(name)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

func benchmarkAnalyze(b *testing.B, chars int) {
	text := []byte(lawText(b, chars))
	a := mustAnalyzer(b, IndexAnalyzer)
	tokens := 0
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		tokens += len(a.Analyze(text))
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(tokens)/sec, "tokens/s")
	b.ReportMetric(sec*1e9/float64(b.N)/float64(chars), "ns/char")
}

// BenchmarkAnalyzeLaw analyses a real law body of 10,000 characters with
// the index analyzer.
func BenchmarkAnalyzeLaw(b *testing.B) { benchmarkAnalyze(b, 10_000) }

// BenchmarkAnalyzeLinear is the linearity check: ns/char must stay about
// the same from 10k to 100k characters (gse's own Analyze is quadratic).
func BenchmarkAnalyzeLinear(b *testing.B) {
	b.Run("10k", func(b *testing.B) { benchmarkAnalyze(b, 10_000) })
	b.Run("100k", func(b *testing.B) { benchmarkAnalyze(b, 100_000) })
}

// BenchmarkQueryAnalyzer analyses a typical search box input.
func BenchmarkQueryAnalyzer(b *testing.B) {
	a := mustAnalyzer(b, QueryAnalyzer)
	q := []byte("韶关市工业和信息化局 政府信息公开 2019年")
	for b.Loop() {
		a.Analyze(q)
	}
}

// BenchmarkIndexSize indexes 300 laws (about 2 M characters) and reports the
// size of the index per MB of text, with the mapping as it is and with
// the body not stored and the text field without term vectors, which is
// what snippets and phrase queries on them cost. Run it with
// -benchtime=1x.
func BenchmarkIndexSize(b *testing.B) {
	laws := corpusLaws(b, 300, func(l law) bool { return l.Body != "" })
	if laws == nil {
		b.Logf("shared corpus not found: using testdata")
		laws = []law{
			{Title: "政府信息公开条例", Body: readTestdata(b, "law_ogi.txt")},
			{Title: "个人信息保护法", Body: readTestdata(b, "law_pipl.txt")},
		}
	}
	textBytes := 0
	docs := make([]Document, len(laws))
	for i, l := range laws {
		docs[i] = Document{ID: fmt.Sprintf("law%04d", i), Title: l.Title, Body: l.Body}
		textBytes += len(l.Title) + len(l.Body)
	}
	lean := NewMapping().(*mapping.IndexMappingImpl)
	lean.TypeMapping[docType].Properties[FieldBody].Fields[0].Store = false
	lean.TypeMapping[docType].Properties[FieldText].Fields[0].IncludeTermVectors = false
	for name, m := range map[string]mapping.IndexMapping{"AsMapped": NewMapping(), "BodyNotStored": lean} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				dir := filepath.Join(b.TempDir(), "index")
				idx, err := bleve.NewUsing(dir, m, scorch.Name, scorch.Name, nil)
				if err != nil {
					b.Fatal(err)
				}
				x := &Index{idx: idx, dir: dir}
				if err := x.Index(context.Background(), docs...); err != nil {
					b.Fatal(err)
				}
				if err := x.Close(); err != nil {
					b.Fatal(err)
				}
				size := dirSize(b, dir)
				b.ReportMetric(float64(size)/float64(textBytes), "index-bytes/text-byte")
				b.ReportMetric(float64(textBytes)/1e6, "text-MB")
			}
			b.ReportMetric(float64(len(docs)*b.N)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}

func dirSize(tb testing.TB, dir string) int64 {
	tb.Helper()
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		n += info.Size()
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return n
}
