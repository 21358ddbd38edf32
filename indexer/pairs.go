package indexer

import (
	"cmp"
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"

	"gongkai/indexer/dict"
)

// FieldPairs holds, for the gse analysis, every two two-character words of
// the text field that touch: the words gse cut and the words inside them,
// so 社会信用代码 gives 社会信用 and 信用代码, and 统计数据安全管理 (统计数据 +
// 安全管理) gives 数据安全 among others. Indexed only, without positions.
//
// It answers what positions cannot. A word inside a longer one shares that
// word's position, so the phrase "社会信用" does not match 社会信用代码 by
// positions; and two words that are not a dictionary word together
// (政府投资, cut as 政府 + 投资) are found apart as readily as side by side.
// One look-up of the pair in this field tells both.
//
// A document holds each of its pairs once, and the field counts as one
// token long, so a pair weighs the same in every document that has it:
// whether two words stand side by side is what the field tells, not how
// often, and a long law that says 政府投资 twice must not rank below a
// notice that says it once.
const FieldPairs = "pairs"

// PairTerm returns the FieldPairs term of two analysed words, and whether
// they make one: both of two Han characters, and together not a word of
// the dictionary. Such a word is in the text field itself, as a word, as
// a sub-word of a longer one, or across a cut (统计数据 + 安全 holds
// 数据安全, see gsetokenizer), and leaving it out of the pairs keeps a
// fifth of them out of the index.
func PairTerm(a, b string) (string, bool) {
	if !pairWord(a) || !pairWord(b) || dict.Has([]byte(a+b)) {
		return "", false
	}
	return a + b, true
}

func isHan(r rune) bool { return r >= 0x2E80 && unicode.Is(unicode.Han, r) }

func pairWord(w string) bool {
	if utf8.RuneCountInString(w) != 2 {
		return false
	}
	for _, r := range w {
		if !isHan(r) {
			return false
		}
	}
	return true
}

// pairSource analyses the text field and keeps its tokens for the pairs
// field of the same document. Bleve analyses a document's fields one after
// the other, in order, so the pairs field, which comes after the text
// field, reads tokens already there.
type pairSource struct {
	inner  analysis.Analyzer
	tokens analysis.TokenStream
}

func (s *pairSource) Analyze(input []byte) analysis.TokenStream {
	s.tokens = s.inner.Analyze(input)
	return s.tokens
}

// pairAnalyzer makes the pairs field's tokens from the text field's.
type pairAnalyzer struct{ src *pairSource }

// Analyze is given the text field's value. Should the text field not have
// been analysed first (a Bleve that analysed fields in another order), it
// analyses the value itself: the same tokens, at the cost of a second cut.
func (a pairAnalyzer) Analyze(input []byte) analysis.TokenStream {
	ts := a.src.tokens
	if ts == nil {
		ts = a.src.inner.Analyze(input)
	}
	a.src.tokens = nil // the batch keeps the document until it is indexed
	return pairs(ts)
}

// pairs returns a token for every two two-character Han words of ts where
// one ends at the byte the other starts at and that are not together a
// dictionary word, once per pair.
func pairs(ts analysis.TokenStream) analysis.TokenStream {
	words := make([]*analysis.Token, 0, len(ts))
	for _, t := range ts {
		if t.Type == analysis.Ideographic && t.End-t.Start == len(t.Term) && pairWord(string(t.Term)) {
			words = append(words, t)
		}
	}
	// Sub-words follow their word, so the stream is sorted by start only
	// within each word.
	slices.SortStableFunc(words, func(a, b *analysis.Token) int { return cmp.Compare(a.Start, b.Start) })
	out := make(analysis.TokenStream, 0, len(words))
	seen := make(map[string]bool, len(words))
	for _, a := range words {
		j, _ := slices.BinarySearchFunc(words, a.End, func(t *analysis.Token, end int) int { return cmp.Compare(t.Start, end) })
		for ; j < len(words) && words[j].Start == a.End; j++ {
			b := words[j]
			term := make([]byte, 0, len(a.Term)+len(b.Term))
			term = append(append(term, a.Term...), b.Term...)
			if seen[string(term)] || dict.Has(term) {
				continue
			}
			seen[string(term)] = true
			out = append(out, &analysis.Token{
				Term:     term,
				Start:    a.Start,
				End:      b.End,
				Position: len(out) + 1,
				Type:     analysis.Ideographic,
			})
		}
	}
	return out
}

// pairsField is the pairs field of a document: one token long, whatever
// it holds, so that its norm is the same in every document.
type pairsField struct{ *document.TextField }

func (pairsField) AnalyzedLength() int { return 1 }

// withPairs adds the pairs field to doc, made from the tokens of its text
// field, and returns the text field with its analyzer (analyzer) wrapped
// to keep them.
func withPairs(doc *document.Document, text *document.TextField, analyzer analysis.Analyzer) *document.TextField {
	src := &pairSource{inner: analyzer}
	f := document.NewTextFieldCustom(text.Name(), text.ArrayPositions(), text.Value(), text.Options(), src)
	doc.AddField(pairsField{document.NewTextFieldCustom(FieldPairs, nil, text.Value(), index.IndexField, pairAnalyzer{src})})
	return f
}
