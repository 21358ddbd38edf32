package indexer

import (
	"context"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
)

func TestPairs(t *testing.T) {
	a := NewMapping().AnalyzerNamed(IndexAnalyzer)
	for _, c := range []struct {
		text      string
		want, not []string
	}{
		// Inside one word: its sub-words touch.
		{text: "统一社会信用代码管理", want: []string{"社会信用", "信用代码", "代码管理"}, not: []string{"信用管理", "社会代码"}},
		// Across two words.
		{text: "社会信用体系", want: []string{"社会信用"}},
		// A dictionary word is no pair.
		{text: "加强统计数据安全管理", not: []string{"数据安全"}},
		{text: "推进政府信息公开", not: []string{"信息公开"}},
		// Two words that are no word together.
		{text: "扩大政府投资规模", want: []string{"政府投资"}},
		// Apart, or not both of two characters: no pair.
		{text: "政府的投资", not: []string{"政府投资"}},
		{text: "政府，投资", not: []string{"政府投资"}},
		{text: "ABCD政府", not: []string{"cd政府"}},
		// The same pair twice is kept once.
		{text: "政府投资和政府投资", want: []string{"政府投资"}},
	} {
		var got []string
		for _, tok := range pairs(a.Analyze([]byte(c.text))) {
			got = append(got, string(tok.Term))
		}
		for _, w := range c.want {
			if n := count(got, w); n != 1 {
				t.Errorf("%s: pairs %q hold %q %d times, want once", c.text, got, w, n)
			}
		}
		for _, w := range c.not {
			if slices.Contains(got, w) {
				t.Errorf("%s: pairs %q hold %q", c.text, got, w)
			}
		}
	}
}

// The pairs analyzer cuts the text itself when the text field's tokens
// are not there, and gives the same pairs; it keeps no tokens after.
func TestPairAnalyzerWithoutTextTokens(t *testing.T) {
	a := NewMapping().AnalyzerNamed(IndexAnalyzer)
	text := []byte("统一社会信用代码，扩大政府投资规模")
	terms := func(ts analysis.TokenStream) (out []string) {
		for _, tok := range ts {
			out = append(out, string(tok.Term))
		}
		return out
	}
	want := terms(pairs(a.Analyze(text)))
	src := &pairSource{inner: a}
	if got := terms(pairAnalyzer{src}.Analyze(text)); len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("without the text field's tokens: pairs %q, want %q", got, want)
	}
	src.Analyze(text)
	if got := terms(pairAnalyzer{src}.Analyze(text)); !slices.Equal(got, want) || src.tokens != nil {
		t.Errorf("from the text field's tokens: pairs %q, want %q; tokens kept: %t", got, want, src.tokens != nil)
	}
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// The pairs field is filled in both indexes of a shared text, and only
// with the gse analysis and not WithoutPairs.
func TestPairsIndexed(t *testing.T) {
	ctx := context.Background()
	doc := Document{ID: "a", Title: "关于扩大政府投资的通知", Body: "统一社会信用代码是法人和其他组织的身份证。" + string(longText(1))}
	for _, c := range []struct {
		opts Options
		want uint64
	}{
		{Options{Analysis: AnalysisGSE}, 1},
		{Options{Analysis: AnalysisGSE, WithoutPairs: true}, 0},
		{Options{Analysis: AnalysisBigram}, 0},
	} {
		var got []uint64
		for range 2 { // the second index takes the first one's tokens
			x, err := OpenWith(t.TempDir(), c.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			if err := x.Index(ctx, doc); err != nil {
				t.Fatal(err)
			}
			// Not in an _all field besides: the mapping has none.
			if fields, err := x.Bleve().Fields(); err != nil || slices.Contains(fields, "_all") {
				t.Errorf("%+v: fields %v, %v; want no _all", c.opts, fields, err)
			}
			for _, term := range []string{"政府投资", "社会信用"} {
				q := query.NewTermQuery(term)
				q.SetField(FieldPairs)
				res, err := x.Bleve().SearchInContext(ctx, bleve.NewSearchRequest(q))
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, res.Total)
			}
		}
		for _, n := range got {
			if n != c.want {
				t.Errorf("%+v: pairs found %v times, want %d each", c.opts, got, c.want)
				break
			}
		}
	}
}
