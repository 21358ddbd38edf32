// Package pinyin lets titles be found by their pinyin, as people type it on
// a kiosk's on-screen keyboard or a phone without a Chinese input method:
// in full (gerenxinxibaohu) or by initials (grxxbhf), from any character
// of the title on. Titles are indexed as two strings (full pinyin and
// initials), each cut into overlapping three-letter grams at consecutive
// positions, so a phrase query of the typed letters' grams finds them as a
// substring. In full pinyin the gram where a syllable begins is indexed a
// second time, anchored (^jia for 监督 jian'du), and a query's first gram
// is that anchored one: typed letters match from the start of a syllable
// only, so "and" finds 安定 (an'ding) but not 监督, and "ong" nothing.
package pinyin

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	gopinyin "github.com/mozillazg/go-pinyin"
	"golang.org/x/text/width"
)

// Name is the name of the analyzer (the trigram tokenizer, lower-cased
// input) registered in Bleve.
const Name = "gongkai_pinyin_grams"

// gram is the length of the grams: long enough to be selective, short
// enough that three typed letters find something.
const gram = 3

// MinQueryLetters is the fewest letters a pinyin query needs.
const MinQueryLetters = gram

var args = func() gopinyin.Args {
	a := gopinyin.NewArgs()
	a.Style = gopinyin.Normal
	a.Fallback = func(r rune, _ gopinyin.Args) []string { return nil }
	return a
}()

// readings maps each character go-pinyin knows to its first reading in
// args' style. go-pinyin works a reading out on every call (tone marks
// stripped by string replacements), which made pinyin a few per cent of
// an import's CPU; the whole table takes about 40 ms, once per process.
var readings = sync.OnceValue(func() map[rune]string {
	m := make(map[rune]string, len(gopinyin.PinyinDict))
	for c := range gopinyin.PinyinDict {
		if p := gopinyin.SinglePinyin(rune(c), args); len(p) > 0 && p[0] != "" {
			m[rune(c)] = p[0]
		}
	}
	return m
})

// Syllable separates the syllables of Of's full pinyin; the Tokenizer
// anchors the gram after it.
const Syllable = '\''

// Anchor begins the anchored gram at a syllable's start.
const Anchor = "^"

// Of returns the full pinyin of s without tones, its syllables separated
// by Syllable, and its initials, both lower-case, with ASCII letters and
// digits kept as they are (a run of them is one syllable) and anything else
// dropped: 个人信息保护法 gives ge'ren'xin'xi'bao'hu'fa and grxxbhf.
func Of(s string) (full, initials string) {
	var f, i strings.Builder
	ascii := false // inside a run of ASCII letters and digits
	syllable := func() {
		if f.Len() > 0 {
			f.WriteByte(Syllable)
		}
	}
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if !ascii {
				syllable()
			}
			ascii = true
			c := unicode.ToLower(r)
			f.WriteRune(c)
			i.WriteRune(c)
			continue
		case unicode.Is(unicode.Han, r):
			if p, ok := readings()[r]; ok {
				syllable()
				f.WriteString(p)
				i.WriteByte(p[0])
			}
		}
		ascii = false
	}
	return f.String(), i.String()
}

// Letters returns q as pinyin letters (lower-case, spaces and apostrophes
// removed) and whether it is a pinyin query at all: letters only, at least
// MinQueryLetters of them. Letters in full width and vowels with tone
// marks are read as the plain letters (ｇｒｘｘ, gèrén), ü as v, as Of
// writes it.
func Letters(q string) (string, bool) {
	var b strings.Builder
	for _, r := range width.Fold.String(q) {
		if v, ok := toned[r]; ok {
			r = v
		}
		switch {
		case r == ' ' || r == '\'' || r == '’':
		case r < utf8.RuneSelf && unicode.IsLetter(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			return "", false
		}
	}
	return b.String(), b.Len() >= MinQueryLetters
}

// toned maps the vowels of pinyin with tone marks, and ü, to the letters
// Of writes for them.
var toned = func() map[rune]rune {
	m := map[rune]rune{}
	for plain, marked := range map[rune]string{
		'a': "āáǎàĀÁǍÀ", 'e': "ēéěèĒÉĚÈ", 'i': "īíǐìĪÍǏÌ", 'o': "ōóǒòŌÓǑÒ",
		'u': "ūúǔùŪÚǓÙ", 'v': "üǖǘǚǜÜǕǗǙǛ",
	} {
		for _, r := range marked {
			m[r] = plain
		}
	}
	return m
}()

// Tokenizer cuts ASCII text into overlapping grams at consecutive
// positions, Syllable marks left out; where a mark stood (and at the start)
// the gram is given again, anchored, at the same position. Text shorter
// than a gram is one token, and its anchored twin.
type Tokenizer struct{}

// Tokenize implements analysis.Tokenizer.
func (Tokenizer) Tokenize(input []byte) analysis.TokenStream {
	s := strings.ToLower(string(input))
	starts := []int{0} // where syllables begin, in s without its marks
	if strings.IndexByte(s, Syllable) >= 0 {
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			if s[i] != Syllable {
				b.WriteByte(s[i])
			} else if n := b.Len(); n > 0 && n != starts[len(starts)-1] {
				starts = append(starts, n)
			}
		}
		s = b.String()
	}
	if s == "" {
		return nil
	}
	if len(s) <= gram {
		return analysis.TokenStream{
			{Term: []byte(s), Start: 0, End: len(s), Position: 1, Type: analysis.AlphaNumeric},
			{Term: []byte(Anchor + s), Start: 0, End: len(s), Position: 1, Type: analysis.AlphaNumeric},
		}
	}
	out := make(analysis.TokenStream, 0, len(s)-gram+1+len(starts))
	for i := 0; i+gram <= len(s); i++ {
		out = append(out, &analysis.Token{Term: []byte(s[i : i+gram]), Start: i, End: i + gram, Position: i + 1, Type: analysis.AlphaNumeric})
		if len(starts) > 0 && starts[0] == i {
			starts = starts[1:]
			out = append(out, &analysis.Token{Term: []byte(Anchor + s[i:i+gram]), Start: i, End: i + gram, Position: i + 1, Type: analysis.AlphaNumeric})
		}
	}
	return out
}

// QueryGrams returns the grams of typed letters (Letters) in order, as
// the Tokenizer cuts them, the first anchored when anchored is set: the
// terms of a phrase at consecutive positions.
func QueryGrams(letters string, anchored bool) []string {
	var out []string
	for _, tok := range (Tokenizer{}).Tokenize([]byte(letters)) {
		// Letters without Syllable marks have one anchored gram, the first.
		if tok.Position == 1 && strings.HasPrefix(string(tok.Term), Anchor) != anchored {
			continue
		}
		out = append(out, string(tok.Term))
	}
	return out
}

func analyzerConstructor(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
	return &analysis.DefaultAnalyzer{Tokenizer: Tokenizer{}}, nil
}

func init() {
	if err := registry.RegisterAnalyzer(Name, analyzerConstructor); err != nil {
		panic(err)
	}
}
