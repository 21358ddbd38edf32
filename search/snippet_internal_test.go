package search

import (
	"strings"
	"testing"
	"unicode/utf8"
)

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
