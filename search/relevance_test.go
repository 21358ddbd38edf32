package search_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongkai/indexer"
	"gongkai/search"
)

const relevanceSuite = "testdata/relevance"

func MustLoadRelevanceSuite(tb testing.TB, dir string) *search.RelevanceSuite {
	tb.Helper()
	s, err := search.LoadRelevanceSuite(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// MustRelevanceIndex indexes the suite's documents into a new index in a
// temporary directory, analysed by a.
func MustRelevanceIndex(tb testing.TB, s *search.RelevanceSuite, a indexer.Analysis) *search.Index {
	tb.Helper()
	x, _, err := search.OpenIndexWith(filepath.Join(tb.TempDir(), "index"), indexer.Options{Analysis: a})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { x.Close() })
	if err := s.Index(context.Background(), x); err != nil {
		tb.Fatal(err)
	}
	if n := x.Count(); n != uint64(len(s.Documents)) {
		tb.Fatalf("index holds %d documents, want %d", n, len(s.Documents))
	}
	return x
}

// describe lists hits with their titles, for failure messages.
func describe(s *search.RelevanceSuite, ids []string) string {
	var b strings.Builder
	for i, id := range ids {
		b.WriteString("\n\t\t")
		b.WriteString(id)
		b.WriteString(" ")
		b.WriteString(s.Title(id))
		if i == 9 {
			break
		}
	}
	return b.String()
}

// TestRelevance runs testdata/relevance (real laws; searches.json says
// what each search must find) with the product's gse analysis, where every
// search must pass, and with Bleve's CJK bigrams, the baseline, whose score
// is only reported.
func TestRelevance(t *testing.T) {
	s := MustLoadRelevanceSuite(t, relevanceSuite)
	ctx := context.Background()

	t.Run("gse", func(t *testing.T) {
		x := MustRelevanceIndex(t, s, indexer.AnalysisGSE)
		results := s.Run(ctx, x)
		for _, r := range results {
			t.Run(r.Search.Name(), func(t *testing.T) {
				switch known := r.Search.KnownFailure; {
				case known == "" && !r.Passed():
					t.Errorf("%s\n\thits (total %d):%s", strings.Join(r.Failures, "\n\t"), r.Total, describe(s, r.Hits))
				case known != "" && r.Passed():
					t.Errorf("passes now: remove known_failure (%s)", known)
				case known != "":
					t.Logf("known failure (%s): %s", known, strings.Join(r.Failures, "; "))
				}
			})
		}
		t.Logf("gse passes %d of %d searches", passed(results), len(results))
	})

	t.Run("bigram", func(t *testing.T) {
		if testing.Short() {
			t.Skip("the baseline is only reported; skipped in -short mode")
		}
		x := MustRelevanceIndex(t, s, indexer.AnalysisBigram)
		results := s.Run(ctx, x)
		for _, r := range results {
			if !r.Passed() {
				t.Logf("bigram fails %s: %s", r.Search.Name(), strings.Join(r.Failures, "; "))
			}
		}
		t.Logf("bigram baseline passes %d of %d searches", passed(results), len(results))
	})
}

func passed(results []search.RelevanceResult) int {
	n := 0
	for _, r := range results {
		if r.Passed() {
			n++
		}
	}
	return n
}

// TestRelevanceCheck shows that each kind of expectation catches the
// mistake it is for, so that a passing suite means something.
func TestRelevanceCheck(t *testing.T) {
	res := &search.Result{Total: 3, Hits: []search.Hit{{ID: "a"}, {ID: "b"}, {ID: "c"}}}
	two, three := 2, 3
	wen := "文号"
	for name, c := range map[string]struct {
		search search.RelevanceSearch
		fails  bool
	}{
		"IDsMatch":            {search.RelevanceSearch{IDs: []string{"a", "b", "c"}}, false},
		"IDsWrongOrder":       {search.RelevanceSearch{IDs: []string{"b", "a", "c"}}, true},
		"IDsMissingOne":       {search.RelevanceSearch{IDs: []string{"a", "b"}}, true},
		"TopMatches":          {search.RelevanceSearch{Top: []string{"a", "b"}}, false},
		"TopWrongOrder":       {search.RelevanceSearch{Top: []string{"b", "a"}}, true},
		"TopLongerThanHits":   {search.RelevanceSearch{Top: []string{"a", "b", "c", "d"}}, true},
		"FirstMatches":        {search.RelevanceSearch{First: "a"}, false},
		"FirstIsSecond":       {search.RelevanceSearch{First: "b"}, true},
		"ContainsAll":         {search.RelevanceSearch{Contains: []string{"c", "a"}}, false},
		"ContainsMissing":     {search.RelevanceSearch{Contains: []string{"a", "z"}}, true},
		"AbsentIsAbsent":      {search.RelevanceSearch{Absent: []string{"z"}}, false},
		"AbsentIsThere":       {search.RelevanceSearch{Absent: []string{"c"}}, true},
		"TotalMatches":        {search.RelevanceSearch{Total: &three}, false},
		"TotalDiffers":        {search.RelevanceSearch{Total: &two}, true},
		"ExactNotUnderstood":  {search.RelevanceSearch{Exact: &wen}, true},
		"EveryExpectationHas": {search.RelevanceSearch{First: "a", Total: &two}, true},
	} {
		t.Run(name, func(t *testing.T) {
			fails := c.search.Check(res)
			if (len(fails) > 0) != c.fails {
				t.Errorf("Check = %q, want failures: %v", fails, c.fails)
			}
		})
	}
}

// TestLoadRelevanceSuiteRefusesBadSearches checks that a mistake in
// searches.json stops the suite rather than passing silently.
func TestLoadRelevanceSuiteRefusesBadSearches(t *testing.T) {
	docs := `{"id": "a", "title": "中华人民共和国政府信息公开条例", "organ": "国务院", "formed_at": "2019-04-03", "body": "第一条"}` + "\n"
	for name, c := range map[string]struct{ searches, want string }{
		"ErrMisspeltExpectation": {`[{"query": "公开", "frist": "a"}]`, "unknown field"},
		"ErrExpectsNothing":      {`[{"query": "公开"}]`, "expects nothing"},
		"ErrUnknownDocument":     {`[{"query": "公开", "first": "b"}]`, `no document "b"`},
		"ErrRepeated":            {`[{"query": "公开", "first": "a"}, {"query": "公开", "total": 1}]`, "repeats"},
		"ErrBadDate":             {`[{"query": "公开", "filters": {"from": "2019-13-01"}, "total": 1}]`, "2019-13-01"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			MustWriteFile(t, filepath.Join(dir, "documents.jsonl"), docs)
			MustWriteFile(t, filepath.Join(dir, "searches.json"), c.searches)
			_, err := search.LoadRelevanceSuite(dir)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("LoadRelevanceSuite: %v, want an error saying %q", err, c.want)
			}
		})
	}
}

// TestRunRelevanceSuiteWithEachAnalysis runs a small suite through the
// helper tools/bench uses, with each analysis: the index records the one
// it was built with, and a search the bigrams cannot answer (traditional
// characters, which they do not fold) tells the two apart.
func TestRunRelevanceSuiteWithEachAnalysis(t *testing.T) {
	dir := t.TempDir()
	MustWriteFile(t, filepath.Join(dir, "documents.jsonl"),
		`{"id": "ogi", "title": "中华人民共和国政府信息公开条例", "organ": "国务院", "formed_at": "2019-04-03", "doc_no": "国务院令第711号", "body": "为了保障公民、法人和其他组织依法获取政府信息，制定本条例。"}
{"id": "pipl", "title": "中华人民共和国个人信息保护法", "organ": "全国人民代表大会常务委员会", "formed_at": "2021-08-20", "body": "为了保护个人信息权益，规范个人信息处理活动，制定本法。"}
`)
	MustWriteFile(t, filepath.Join(dir, "searches.json"),
		`[{"query": "国务院令第711号", "ids": ["ogi"]}, {"query": "信息", "total": 2}, {"query": "個人信息", "ids": ["pipl"]}]`)
	for a, want := range map[indexer.Analysis]int{indexer.AnalysisGSE: 3, indexer.AnalysisBigram: 2} {
		t.Run(string(a), func(t *testing.T) {
			rep, err := search.RunRelevanceSuite(context.Background(), dir, filepath.Join(t.TempDir(), "index"), indexer.Options{Analysis: a})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Analysis != a {
				t.Errorf("report of analysis %q, want %q", rep.Analysis, a)
			}
			if rep.Passed() != want {
				t.Errorf("%d of %d searches pass, want %d: %+v", rep.Passed(), len(rep.Results), want, rep.Results)
			}
		})
	}
}

// TestOpenIndexWithAnotherAnalysisRebuilds: the analysis is part of the
// index version, so reopening an index with the other one starts it afresh.
func TestOpenIndexWithAnotherAnalysisRebuilds(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	s := MustLoadRelevanceSuite(t, relevanceSuite)
	x, fresh, err := search.OpenIndexWith(dir, indexer.Options{Analysis: indexer.AnalysisBigram})
	if err != nil || !fresh {
		t.Fatalf("new index: fresh %v, err %v", fresh, err)
	}
	if err := s.Index(context.Background(), x); err != nil {
		t.Fatal(err)
	}
	x.Close()

	x, fresh, err = search.OpenIndexWith(dir, indexer.Options{Analysis: indexer.AnalysisBigram})
	if err != nil || fresh || x.Count() == 0 {
		t.Fatalf("reopened with the same analysis: fresh %v, %d documents, err %v", fresh, x.Count(), err)
	}
	x.Close()

	x, fresh, err = search.OpenIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if !fresh || x.Count() != 0 || x.Analysis() != indexer.AnalysisGSE {
		t.Errorf("reopened with gse: fresh %v, %d documents, analysis %q; want a new empty gse index", fresh, x.Count(), x.Analysis())
	}

	if _, _, err := search.OpenIndexWith(filepath.Join(t.TempDir(), "other"), indexer.Options{Analysis: "trigram"}); err == nil {
		t.Error("an unknown analysis was accepted")
	}
}

func MustWriteFile(tb testing.TB, path, text string) {
	tb.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		tb.Fatal(err)
	}
}
