// Package gsetokenizer is a Bleve tokenizer that cuts Chinese text into
// words with gse and the process's dictionary (package dict).
//
// Runs of Chinese characters go to gse; runs of other letters and digits
// (Latin words, numbers such as 2019 or 12, full-width ＡＢＣ１２３) become
// one token each; punctuation and whitespace are dropped. Whitespace between
// two Chinese characters does not end a run, because in Chinese it is
// layout (a line wrapped in a PDF, 主动\n公开), not a word boundary: such a
// token spans the whitespace and its term leaves it out.
//
// PartSeparator (U+2029, PARAGRAPH SEPARATOR) is the one exception: it
// ends a run and leaves a position free, so that the parts of a text joined
// with it (a title, a summary, a body) never make a word or a phrase
// together across the join.
//
// It comes in two modes. The index mode (Name) emits every word and, after
// it, the dictionary words of two characters or more inside it (政府信息公开
// → 政府, 政府信息, 信息, 信息公开, 公开), each at its parent's position, so
// a search for a part finds the whole and phrase queries over whole words
// still line up, and a four-character word that gse's cut runs through,
// made of two words or sub-words on either side of it (法律 + 责任 gives
// 法律责任, at 责任's position), so a word is found however gse cut the
// text around it. The query mode (QueryName) emits the plain cuts only.
//
// Offsets are computed here in one pass over gse's cuts, in bytes of the
// input, so they are right for every token, repeated words included (gse's
// own Analyze gets repeated words wrong and is quadratic in the text length).
package gsetokenizer

import (
	"sort"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/go-ego/gse"

	"gongkai/indexer/dict"
)

// Names the two modes are registered under in Bleve.
const (
	Name      = "gongkai_gse"       // index mode: words and their sub-words
	QueryName = "gongkai_gse_query" // query mode: plain cuts
)

// PartSeparator joins the parts of one field's text: no word and no
// phrase reaches across it.
const PartSeparator = string(partSeparator)

const partSeparator = '\u2029'

// Tokenizer cuts text into words.
type Tokenizer struct {
	seg      *gse.Segmenter
	subwords bool
}

// New returns a tokenizer over the process's dictionary, loading it on first
// use. With subwords set it is the index mode.
func New(subwords bool) (*Tokenizer, error) {
	seg, err := dict.Segmenter()
	if err != nil {
		return nil, err
	}
	return &Tokenizer{seg: seg, subwords: subwords}, nil
}

// span maps a stretch of a Han run, as handed to gse with the whitespace
// gaps taken out, back to the input.
type span struct{ run, in int }

// Tokenize cuts input into tokens with byte offsets into input.
func (t *Tokenizer) Tokenize(input []byte) analysis.TokenStream {
	rv := make(analysis.TokenStream, 0, len(input)/5+1)
	pos := 0
	var spans []span
	for i := 0; i < len(input); {
		r, size := utf8.DecodeRune(input[i:])
		switch {
		case isHan(r):
			var run []byte
			run, spans, i = hanRun(input, i, spans[:0])
			rv, pos = t.cutHan(rv, pos, run, spans)
		case isWordChar(r):
			j := i + size
			for j < len(input) {
				r, size := utf8.DecodeRune(input[j:])
				if isHan(r) || !isWordChar(r) {
					break
				}
				j += size
			}
			pos++
			rv = append(rv, &analysis.Token{
				Term: input[i:j], Start: i, End: j, Position: pos, Type: wordType(input[i:j]),
			})
			i = j
		case r == partSeparator:
			pos++
			i += size
		default:
			i += size
		}
	}
	return rv
}

// hanRun collects the run of Han characters starting at i, bridging
// whitespace-only gaps between two Han characters. It returns the run's
// text without the gaps, the spans that map it back to input, and the end
// of the run in input. Without gaps the text is a slice of input.
func hanRun(input []byte, i int, spans []span) ([]byte, []span, int) {
	var run []byte
	for {
		k := i
		for k < len(input) {
			r, size := utf8.DecodeRune(input[k:])
			if !isHan(r) {
				break
			}
			k += size
		}
		spans = append(spans, span{run: len(run), in: i})
		g := k
		for g < len(input) {
			r, size := utf8.DecodeRune(input[g:])
			if !unicode.IsSpace(r) || r == partSeparator {
				break
			}
			g += size
		}
		next := false
		if g > k && g < len(input) {
			r, _ := utf8.DecodeRune(input[g:])
			next = isHan(r)
		}
		if len(spans) == 1 && !next {
			return input[i:k], spans, k
		}
		run = append(run, input[i:k]...)
		if !next {
			return run, spans, k
		}
		i = g
	}
}

// cutHan appends the tokens of one Han run.
func (t *Tokenizer) cutHan(rv analysis.TokenStream, pos int, run []byte, spans []span) (analysis.TokenStream, int) {
	segs := t.seg.Segment(run)
	for i, s := range segs {
		pos++
		rv = appendHan(rv, run, spans, s.Start(), s.End(), pos)
		if !t.subwords {
			continue
		}
		if utf8.RuneCount(run[s.Start():s.End()]) > 2 {
			rv = t.appendSubwords(rv, run, spans, s.Start(), s.End(), pos)
		}
		if i > 0 {
			rv = t.appendStraddling(rv, run, spans, segs[i-1].Start(), s.Start(), s.End(), pos)
		}
	}
	return rv, pos
}

// appendStraddling appends, at pos, the dictionary word of four characters
// made of the last two characters of the word run[start:cut] and the first
// two of the word run[cut:end], where each of the two halves is a word of
// its own or one of its word's sub-words: gse cuts 统计数据安全管理 as
// 统计数据 + 安全 + 管理, yet it says 数据安全, and a search for 数据安全 must
// find it. Only halves that are words count, so a reading across the cut
// that the cut contradicts is not made up: 一审判决 gives no 审判. It takes
// the second word's position, so that the phrase 数据安全管理 matches the
// text, and 加强数据安全 does not.
func (t *Tokenizer) appendStraddling(rv analysis.TokenStream, run []byte, spans []span, start, cut, end, pos int) analysis.TokenStream {
	left, right := cut, cut
	for range 2 {
		if left <= start || right >= end {
			return rv
		}
		_, size := utf8.DecodeLastRune(run[:left])
		left -= size
		_, size = utf8.DecodeRune(run[right:])
		right += size
	}
	if !dict.Has(run[left:right]) || left > start && !dict.Has(run[left:cut]) || right < end && !dict.Has(run[cut:right]) {
		return rv
	}
	return appendHan(rv, run, spans, left, right, pos)
}

// appendSubwords appends, at pos, every dictionary word of two characters
// or more inside the word run[start:end], other than the word itself. All
// of them, not only gse's own decomposition: 政府信息公开条例 decomposes into
// 政府 + 信息公开条例, yet a search for 政府信息公开 must find it. Single
// characters are left out: they would double the size of the index for
// little gain.
func (t *Tokenizer) appendSubwords(rv analysis.TokenStream, run []byte, spans []span, start, end, pos int) analysis.TokenStream {
	chars := make([]gse.Text, 0, (end-start)/3)
	offs := make([]int, 0, cap(chars)+1)
	for i := start; i < end; {
		_, size := utf8.DecodeRune(run[i:])
		chars = append(chars, run[i:i+size])
		offs = append(offs, i)
		i += size
	}
	offs = append(offs, end)
	found := make([]*gse.Token, t.seg.Dict.MaxTokenLen())
	for i := range chars {
		n := t.seg.Dict.LookupTokens(chars[i:min(len(chars), i+len(found))], found)
		for _, tok := range found[:n] {
			words := utf8.RuneCountInString(tok.Text())
			if words < 2 || (i == 0 && words == len(chars)) {
				continue
			}
			rv = appendHan(rv, run, spans, offs[i], offs[i+words], pos)
		}
	}
	return rv
}

func appendHan(rv analysis.TokenStream, run []byte, spans []span, start, end, pos int) analysis.TokenStream {
	return append(rv, &analysis.Token{
		Term:     run[start:end],
		Start:    inputOffset(spans, start),
		End:      inputOffset(spans, end-1) + 1,
		Position: pos,
		Type:     analysis.Ideographic,
	})
}

// inputOffset maps a byte offset in a run to the input.
func inputOffset(spans []span, off int) int {
	if len(spans) == 1 {
		return spans[0].in + off
	}
	n := sort.Search(len(spans), func(i int) bool { return spans[i].run > off }) - 1
	return spans[n].in + off - spans[n].run
}

func isHan(r rune) bool { return r >= 0x2E80 && unicode.Is(unicode.Han, r) }

func isWordChar(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }

func wordType(term []byte) analysis.TokenType {
	for _, c := range term {
		if c < '0' || c > '9' {
			return analysis.AlphaNumeric
		}
	}
	return analysis.Numeric
}

func indexConstructor(config map[string]interface{}, cache *registry.Cache) (analysis.Tokenizer, error) {
	return New(true)
}

func queryConstructor(config map[string]interface{}, cache *registry.Cache) (analysis.Tokenizer, error) {
	return New(false)
}

func init() {
	if err := registry.RegisterTokenizer(Name, indexConstructor); err != nil {
		panic(err)
	}
	if err := registry.RegisterTokenizer(QueryName, queryConstructor); err != nil {
		panic(err)
	}
}
