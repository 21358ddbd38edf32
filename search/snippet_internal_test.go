package search

import (
	"bytes"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	"gongkai/indexer/analysis/fold"
)

// snippets cuts the fragments of one text for terms, as highlight does for
// each text of a page: as it is if it folds to itself, as the indexer
// records (indexer.FieldPlain).
func snippets(text string, terms []string, n int) []string {
	return newQueryTerms(terms).snippets(text, n, fold.Unchanged(text))
}

// A text that folds to itself gives the same fragments searched as it is
// as folded; one that does not is told apart.
func TestSnippetsOfPlainText(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	pieces := []string{"其他内容。", "规定如下：", "\n", "第十条 ", "档案", "保密", "ｇｄｐ", "gdp", "国民经济", "，", "épm"}
	terms := []string{"国民经济", "gdp", "档案"}
	for i := range 200 {
		var b strings.Builder
		for size := rng.IntN(40_000); b.Len() < size; {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		text := b.String()
		if !fold.Unchanged(text) {
			t.Fatalf("text %d folds to something else", i)
		}
		q := newQueryTerms(terms)
		if plain, folded := q.snippets(text, 2, true), q.snippets(text, 2, false); !slices.Equal(plain, folded) {
			t.Fatalf("text %d: %q as it is, %q folded", i, plain, folded)
		}
	}
	for _, text := range []string{"國民經濟", "GDP", "ＧＤＰ", "国民经济Ａ"} {
		if fold.Unchanged(text) {
			t.Errorf("fold.Unchanged(%q) = true", text)
		}
	}
}

// TestSnippets gives the terms as the query analyzer gives them:
// simplified, half-width, lower case.
func TestSnippets(t *testing.T) {
	t.Run("MarksTraditionalAndFullWidthAsTyped", func(t *testing.T) {
		got := snippets("一九五四年國民經濟計劃，ＧＤＰ增長。", []string{"国民经济", "gdp"}, 1)
		if len(got) != 1 || !strings.Contains(got[0], "<mark>國民經濟</mark>") || !strings.Contains(got[0], "<mark>ＧＤＰ</mark>") {
			t.Errorf("snippets = %q, want 國民經濟 and ＧＤＰ marked as written", got)
		}
	})
	t.Run("MarksCapitalsAfterCharactersOfEveryLength", func(t *testing.T) {
		// Capitals right after characters of two, three and four bytes.
		got := snippets("éPM年Ｐｍ𠀀GB，细颗粒物", []string{"pm", "ｐｍ", "gb"}, 1)
		for _, want := range []string{"é<mark>PM</mark>", "年<mark>Ｐｍ</mark>", "𠀀<mark>GB</mark>"} {
			if len(got) != 1 || !strings.Contains(got[0], want) {
				t.Errorf("snippets = %q, want %s", got, want)
			}
		}
	})
	t.Run("EscapesTheText", func(t *testing.T) {
		got := snippets(`<script>alert("x")</script> 政府信息公开 & 条例`, []string{"政府信息公开"}, 1)
		if len(got) != 1 || strings.Contains(got[0], "<script>") || !strings.Contains(got[0], "&lt;script&gt;") ||
			!strings.Contains(got[0], "&amp;") || !strings.Contains(got[0], "<mark>政府信息公开</mark>") {
			t.Errorf("snippets = %q", got)
		}
	})
	t.Run("MergesOverlappingTerms", func(t *testing.T) {
		// Bigram-like terms that overlap make one mark.
		got := snippets("保护个人信息的规定", []string{"个人", "人信", "信息"}, 1)
		if len(got) != 1 || !strings.Contains(got[0], "<mark>个人信息</mark>") {
			t.Errorf("snippets = %q, want one mark over 个人信息", got)
		}
	})
	t.Run("BestWindowsFirstAndApart", func(t *testing.T) {
		filler := strings.Repeat("其他内容。", 40)
		text := "第一处提到档案。" + filler + "这里同时有档案和保密两个词。" + filler + "最后一处保密。"
		got := snippets(text, []string{"档案", "保密"}, 2)
		if len(got) != 2 {
			t.Fatalf("got %d fragments, want 2: %q", len(got), got)
		}
		if !strings.Contains(got[0], "<mark>档案</mark>和<mark>保密</mark>") {
			t.Errorf("first fragment %q is not the one with both words", got[0])
		}
		for _, f := range got {
			plain := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(f)
			if n := utf8.RuneCountInString(plain); n > snippetRunes {
				t.Errorf("fragment of %d characters, over %d: %q", n, snippetRunes, f)
			}
		}
	})
	t.Run("NothingWhenNoTermOccurs", func(t *testing.T) {
		if got := snippets("政府信息公开条例", []string{"档案"}, 2); got != nil {
			t.Errorf("snippets = %q, want none", got)
		}
	})
	t.Run("LongTextWithManyMatchesIsBounded", func(t *testing.T) {
		text := strings.Repeat("本法所称档案，是指历史记录。", 20000)
		got := snippets(text, []string{"档案"}, 2)
		if len(got) != 2 {
			t.Errorf("got %d fragments, want 2", len(got))
		}
	})
}

// TestSnippetsStopEarlyWithoutLoss checks the search that stops once it
// has fragments enough against one over the whole text: as many
// fragments, the first as good (as many different terms) where the best
// is not far into a long text, and every match inside a fragment marked,
// also where the search stopped.
func TestSnippetsStopEarlyWithoutLoss(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	pieces := []string{"其他内容。", "规定如下：", "\n", "第十条 ", "档案", "保密", "ＧＤＰ", "GDP", "國民經濟", "，"}
	termSets := [][]string{{"档案"}, {"档案", "保密"}, {"国民经济", "gdp", "保密"}, {"gdp"}}
	for i := range 400 {
		var b strings.Builder
		size := rng.IntN(90_000)
		for b.Len() < size {
			p := pieces[rng.IntN(len(pieces))]
			if rng.IntN(4) > 0 && len(p) < 8 && p != "\n" && p != "，" {
				p = strings.Repeat("其他内容。", 1+rng.IntN(60)) // mostly filler: matches far apart
			}
			b.WriteString(p)
		}
		text := b.String()
		terms := termSets[i%len(termSets)]
		n := 1 + i%2
		got := snippets(text, terms, n)

		// The whole text at once, as the search went before.
		whole := text
		if len(whole) > maxTextBytes {
			whole = whole[:runeStartAtOrBefore(whole, maxTextBytes)]
		}
		found, _ := newQueryTerms(terms).findTerms(fold.Append(nil, whole), 0, nil)
		spans, _ := mergeSpans(found, nil)
		want, _ := pickWindows(whole, spans, n, len(whole), len(terms), nil)

		if len(got) != len(want) {
			t.Fatalf("text %d (%d bytes, terms %q): %d fragments, want %d", i, len(text), terms, len(got), len(want))
		}
		for k, f := range got {
			plain := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(f)
			folded := string(fold.Append(nil, plain))
			kinds := 0
			for _, term := range terms {
				if slices.ContainsFunc(termVariants(term), func(v string) bool { return strings.Contains(folded, v) }) {
					kinds++
				}
			}
			// The first fragment is as good whenever the best one is
			// within the part of the text always searched: the first two
			// steps, about 15 KB.
			sure := want[0].end <= 14<<10
			if k == 0 && sure && kinds != want[k].kinds || kinds == 0 {
				t.Errorf("text %d, fragment %d holds %d different terms, the whole-text search's %d: %q", i, k, kinds, want[k].kinds, f)
			}
			checkAllMarked(t, f, terms)
		}
	}
}

// checkAllMarked reports an occurrence of a term in fragment f outside
// its marks.
func checkAllMarked(t *testing.T, f string, terms []string) {
	t.Helper()
	for _, unmarked := range markRE.Split(f, -1) {
		folded := string(fold.Append(nil, unmarked))
		for _, term := range terms {
			for _, v := range termVariants(term) {
				if strings.Contains(folded, v) {
					t.Errorf("%s not marked in %q", v, f)
				}
			}
		}
	}
}

// TestSnippetsMarkEveryMatch covers the places a match could be left
// unmarked: across the end of a step of the search, at the edge of a
// fragment, past the bounds on matches.
func TestSnippetsMarkEveryMatch(t *testing.T) {
	filler := func(bytes int) string { // Han characters only: no place to end a step early
		return strings.Repeat("其", bytes/len("其"))
	}
	t.Run("AcrossAStep", func(t *testing.T) {
		for _, c := range []struct{ before, written, term string }{
			{filler(firstScanBytes - 3), "档案", "档案"},   // the step ends inside 档案
			{filler(firstScanBytes - 3), "ＧＤＰ", "gdp"}, // after Ｇ, not Han
			{filler(firstScanBytes - 1), "GDP", "gdp"}, // after G, an ASCII byte
		} {
			text := c.before + c.written + filler(9000)
			got := snippets(text, []string{c.term}, 1)
			if len(got) != 1 || !strings.Contains(got[0], "<mark>"+c.written+"</mark>") {
				t.Errorf("%s at byte %d: fragments %q, want it marked", c.written, len(c.before), got)
			}
		}
	})
	t.Run("AtTheEdgeOfAFragment", func(t *testing.T) {
		// Two 档案 touching make one mark; a fragment around the first
		// 档案 ends inside it.
		text := "档案" + strings.Repeat("内", snippetRunes-4) + "档案档案" + filler(300)
		for _, f := range snippets(text, []string{"档案"}, 2) {
			checkAllMarked(t, f, []string{"档案"})
		}
	})
	t.Run("PastTheBoundsOnMatches", func(t *testing.T) {
		// Asked for every fragment there is, so that none near a bound
		// goes unchecked.
		for _, text := range []string{
			strings.Repeat("档案保密档案保密档案保密，", 400), // maxMatches*4 matches before maxMatches spans
			strings.Repeat("档案，保密，", 400),        // maxMatches spans first
		} {
			got := snippets(text, []string{"档案", "保密"}, 1000)
			if len(got) == 0 {
				t.Fatalf("no fragments of %.30q…", text)
			}
			for _, f := range got {
				checkAllMarked(t, f, []string{"档案", "保密"})
			}
		}
	})
}

var markRE = regexp.MustCompile(`<mark>[^<]*</mark>`)

// BenchmarkSnippetsLongLaw cuts two fragments from a law of about 60 KB
// in which the words occur throughout, as in most laws a title word finds.
func BenchmarkSnippetsLongLaw(b *testing.B) {
	text := "第一条 为了加强档案管理，规范档案收集、整理工作，有效保护和利用档案，制定本法。\n" +
		strings.Repeat(strings.Repeat("第十条 其他内容，依照有关法律、行政法规的规定执行。\n", 20)+
			"第十一条 档案馆应当建立档案管理制度。\n", 45)
	terms := []string{"档案", "管理"}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		snippets(text, terms, 2)
	}
}

// BenchmarkSnippetsWordsApart is the common case of two words: the first
// throughout a law, the second only far in, so the search goes on past
// the first step without finding a fragment that holds both.
func BenchmarkSnippetsWordsApart(b *testing.B) {
	text := strings.Repeat(strings.Repeat("第十条 其他内容，依照有关法律、行政法规的规定执行。\n", 20)+
		"第十一条 档案馆应当建立档案管理制度。\n", 30) + "第九十条 档案主管部门应当加强监督检查。\n"
	terms := []string{"档案", "检查"}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		snippets(text, terms, 2)
	}
}

// indexTerm finds what bytes.Index finds, in Chinese text, mixed text and
// broken text alike.
func TestIndexTermAgreesWithBytesIndex(t *testing.T) {
	texts := []string{"", "档", "档案", "档案管理档案", "管理档案案档", "ＧＤＰ档案gdp", "\xe6\xa1档案\xa3", "案案案档案案"}
	seps := []string{"档案", "案档", "案", "档案管理", "gdp", "ＧＤＰ档", "\xa3", "\xe6\xa1", "案案", "档案档案"}
	for _, text := range texts {
		for _, sep := range seps {
			for from := 0; from <= len(text); from++ {
				if got, want := indexTerm([]byte(text[from:]), []byte(sep)), bytes.Index([]byte(text[from:]), []byte(sep)); got != want {
					t.Errorf("indexTerm(%q, %q) = %d, bytes.Index gives %d", text[from:], sep, got, want)
				}
			}
		}
	}
}

// TestSnippetsCopyTheText: fragments are copies, never parts of the text,
// so that fragments cut from a buffer that is then reused (Bleve's, in
// loadStored) stay as they were.
func TestSnippetsCopyTheText(t *testing.T) {
	q := newQueryTerms([]string{"档案"})
	for _, text := range []string{
		"档案",
		"加强档案工作。",
		" 档案 ",
		strings.Repeat("各级机关做好工作。", 50) + "档案&<管理>",
	} {
		buf := []byte(text)
		frags := q.snippets(unsafe.String(unsafe.SliceData(buf), len(buf)), 2, true)
		if len(frags) == 0 {
			t.Fatalf("%q: no fragments", text)
		}
		var want []string
		for _, f := range frags {
			want = append(want, strings.Clone(f))
		}
		for i := range buf {
			buf[i] = 'x'
		}
		if !slices.Equal(frags, want) {
			t.Errorf("%q: fragments %q changed to %q with the text's buffer", text, want, frags)
		}
	}
}

// TestFragmentsBeginAtALine: a fragment begins where the line or sentence
// of its match begins when that is near, rather than inside a word.
func TestFragmentsBeginAtALine(t *testing.T) {
	q := newQueryTerms([]string{"个人信息"})
	before, after := strings.Repeat("前", 40), strings.Repeat("后", 100)
	for _, c := range []struct{ text, want string }{
		// The line begins between the usual start and the match.
		{before + "\n第一条 为了保护个人信息" + after, "第一条 为了保护<mark>个人信息</mark>后"},
		// A sentence begins a little before the usual start.
		{before + "。第二十一条 处理者应当依法保护本条所称个人信息" + after, "第二十一条 处理者应当依法保护本条所称<mark>个人信息</mark>后"},
		// No line or sentence near: characters before the match.
		{before + "个人信息" + after, strings.Repeat("前", snippetRunes/6) + "<mark>个人信息</mark>后"},
	} {
		got := q.snippets(c.text, 1, true)
		if len(got) != 1 || !strings.HasPrefix(got[0], c.want) {
			t.Errorf("%q: %q, want it to begin %q", c.text, got, c.want)
		}
	}
}
