package gsetokenizer_test

import (
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"gongkai/indexer/analysis/gsetokenizer"
)

func MustTokenizer(tb testing.TB, subwords bool) *gsetokenizer.Tokenizer {
	tb.Helper()
	t, err := gsetokenizer.New(subwords)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func MustReadFile(tb testing.TB, path string) string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func terms(ts analysis.TokenStream) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t.Term)
	}
	return out
}

func withoutSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// checkOffsets asserts what must hold for every token of text: its offsets
// cut its term out of text (whitespace bridged inside Chinese aside, none
// at either end), the
// words of each position follow the previous position's and do not
// overlap them, and every sub-word lies inside the first word of its
// position, or straddles its start and the end of the word before.
func checkOffsets(t *testing.T, text string, ts analysis.TokenStream) {
	t.Helper()
	var before, parent *analysis.Token
	lastEnd, lastPos := 0, 0
	for _, tok := range ts {
		if tok.Start < 0 || tok.End > len(text) || tok.Start >= tok.End {
			t.Fatalf("token %q has offsets [%d,%d) outside the text", tok.Term, tok.Start, tok.End)
		}
		covered := text[tok.Start:tok.End]
		if withoutSpace(covered) != string(tok.Term) || strings.TrimSpace(covered) != covered {
			t.Errorf("token %q at [%d,%d) covers %q", tok.Term, tok.Start, tok.End, covered)
		}
		switch {
		case tok.Position == lastPos+1+separators(text, lastEnd, tok.Start):
			if tok.Start < lastEnd {
				t.Errorf("token %q at %d starts at %d, inside the previous word ending at %d", tok.Term, tok.Position, tok.Start, lastEnd)
			}
			before, parent, lastEnd, lastPos = parent, tok, tok.End, tok.Position
		case tok.Position == lastPos && parent != nil && tok.Start < parent.Start:
			if before == nil || tok.Start < before.Start || tok.Start >= before.End || tok.End > parent.End {
				t.Errorf("%q [%d,%d) straddles the start of %q [%d,%d) but does not start in the word before it", tok.Term, tok.Start, tok.End, parent.Term, parent.Start, parent.End)
			}
		case tok.Position == lastPos && parent != nil:
			if tok.Start < parent.Start || tok.End > parent.End {
				t.Errorf("sub-word %q [%d,%d) is outside its word %q [%d,%d)", tok.Term, tok.Start, tok.End, parent.Term, parent.Start, parent.End)
			}
		default:
			t.Fatalf("token %q has position %d after position %d", tok.Term, tok.Position, lastPos)
		}
	}
}

func TestOffsetsOnRealText(t *testing.T) {
	for _, file := range []string{"law_ogi.txt", "law_pipl.txt", "seed000.txt"} {
		text := MustReadFile(t, "../../testdata/"+file)
		for mode, subwords := range map[string]bool{"IndexMode": true, "QueryMode": false} {
			t.Run(file+"/"+mode, func(t *testing.T) {
				ts := MustTokenizer(t, subwords).Tokenize([]byte(text))
				if len(ts) < 500 {
					t.Fatalf("only %d tokens", len(ts))
				}
				checkOffsets(t, text, ts)
			})
		}
	}
}

// separators counts the part separators in text[from:to], each of which
// leaves a position free.
func separators(text string, from, to int) int {
	if from >= to {
		return 0
	}
	return strings.Count(text[from:to], gsetokenizer.PartSeparator)
}

func TestRepeatedWordsHaveTheirOwnOffsets(t *testing.T) {
	text := MustReadFile(t, "../../testdata/law_ogi.txt")
	starts := map[string]map[int]bool{}
	count := map[string]int{}
	for _, tok := range MustTokenizer(t, true).Tokenize([]byte(text)) {
		term := string(tok.Term)
		if starts[term] == nil {
			starts[term] = map[int]bool{}
		}
		starts[term][tok.Start] = true
		count[term]++
	}
	// Every occurrence of a word must point at itself, not at the first
	// one (as gse's own Analyze has it).
	for term, n := range count {
		if len(starts[term]) != n {
			t.Errorf("%s occurs %d times at %d distinct offsets", term, n, len(starts[term]))
		}
	}
	if count["政府信息"] < 100 {
		t.Errorf("政府信息 occurs %d times, want over 100", count["政府信息"])
	}
}

func TestTokenize(t *testing.T) {
	for name, c := range map[string]struct {
		subwords bool
		text     string
		want     string // terms joined by " "; "@" marks a new position
	}{
		"SubwordsShareTheirWordsPosition": {true, "政府信息公开条例", "@政府信息公开条例 政府 政府信息 政府信息公开 信息 信息公开 信息公开条例 公开 条例"},
		"QueryModeHasPlainCuts":           {false, "依申请公开政府信息", "@依申请公开 @政府信息"},
		"WordAcrossACutAtTheSecondWords":  {true, "追究法律责任", "@追究 @法律 @责任 法律责任"},
		"AcrossACutOnlyFromWords":         {true, "第一审判决", "@第一审 第一 一审 @判决 一审判决"},
		"AcrossACutFromSubwords":          {true, "统计数据安全", "@统计数据 统计 计数 数据 @安全 数据安全"},
		"QueryModeHasNoneAcross":          {false, "追究法律责任", "@追究 @法律 @责任"},
		"TwoCharacterWordsHaveNoSubwords": {true, "公开信息", "@公开 @信息"},
		"LatinAndNumbersAreTokens":        {false, "韶工信〔2019〕12号 COVID-19", "@韶 @工 @信 @2019 @12 @号 @COVID @19"},
		"FullWidthIsOneToken":             {false, "编号ＡＢＣ１２３。", "@编号 @ＡＢＣ１２３"},
		"PunctuationAndSpaceDropped":      {false, "“主动公开”、（不予公开）！ \t\n", "@主动公开 @不予公开"},
		"LineBreakInsideAWordIsBridged":   {false, "政府信息主动\n公开工作", "@政府信息 @主动公开 @工作"},
		"SpaceBeforeLatinIsNotBridged":    {false, "公开 abc 信息", "@公开 @abc @信息"},
		"BlankLineInsideAWordIsBridged":   {false, "依法履行\n\n职责", "@依法 @履行职责"},
		"PartSeparatorIsNotBridged":       {true, "档案\u2029管理", "@档案 @管理"},
		"EmptyTextHasNoTokens":            {false, "", ""},
	} {
		t.Run(name, func(t *testing.T) {
			ts := MustTokenizer(t, c.subwords).Tokenize([]byte(c.text))
			var b strings.Builder
			pos := 0
			for i, tok := range ts {
				if i > 0 {
					b.WriteByte(' ')
				}
				if tok.Position != pos {
					b.WriteByte('@')
					pos = tok.Position
				}
				b.Write(tok.Term)
			}
			if got := b.String(); got != c.want {
				t.Errorf("Tokenize(%q)\n got %s\nwant %s", c.text, got, c.want)
			}
			checkOffsets(t, c.text, ts)
		})
	}
}

// TestPartSeparatorLeavesAPosition checks that the words either side of
// the separator are not next to each other, so that no phrase matches
// across it, while a blank line or punctuation leaves none.
func TestPartSeparatorLeavesAPosition(t *testing.T) {
	for text, want := range map[string][]int{
		"档案" + gsetokenizer.PartSeparator + "管理":                               {1, 3},
		"档案" + gsetokenizer.PartSeparator + "\n" + "abc":                       {1, 3},
		"abc" + gsetokenizer.PartSeparator + gsetokenizer.PartSeparator + "管理": {1, 4},
		"档案。管理":    {1, 2},
		"档案\n\n管理": {1},
	} {
		var got []int
		for _, tok := range MustTokenizer(t, false).Tokenize([]byte(text)) {
			got = append(got, tok.Position)
		}
		if !slices.Equal(got, want) {
			t.Errorf("Tokenize(%q) positions %v, want %v", text, got, want)
		}
	}
}

func TestTokenTypes(t *testing.T) {
	ts := MustTokenizer(t, false).Tokenize([]byte("公开2019abc"))
	want := []analysis.TokenType{analysis.Ideographic, analysis.AlphaNumeric}
	if len(ts) != 2 || ts[0].Type != want[0] || ts[1].Type != want[1] {
		t.Errorf("got %v", ts)
	}
	if ts := MustTokenizer(t, false).Tokenize([]byte("2019")); ts[0].Type != analysis.Numeric {
		t.Errorf("2019 has type %v, want Numeric", ts[0].Type)
	}
}

func TestConcurrentUseGivesTheSameTokens(t *testing.T) {
	text := []byte(MustReadFile(t, "../../testdata/seed000.txt"))
	tok := MustTokenizer(t, true)
	want := strings.Join(terms(tok.Tokenize(text)), " ")
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if got := strings.Join(terms(tok.Tokenize(text)), " "); got != want {
				t.Error("concurrent tokenization gave other tokens")
			}
		})
	}
	wg.Wait()
}

func TestRegistered(t *testing.T) {
	c := registry.NewCache()
	for name, want := range map[string]int{gsetokenizer.Name: 3, gsetokenizer.QueryName: 1} {
		tok, err := c.TokenizerNamed(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(tok.Tokenize([]byte("政府信息"))); got != want {
			t.Errorf("%s gives %d tokens for 政府信息, want %d", name, got, want)
		}
	}
}
