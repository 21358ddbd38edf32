// Package t2s is a Bleve char filter that turns traditional Chinese
// characters into simplified ones, so that 國民經濟 and 国民经济 index and
// search alike. The conversion data is OpenCC's t2s, through the
// github.com/longbridgeapp/opencc port, whose dictionaries are embedded in
// the binary.
//
// The filter never changes the length of its input: a character whose
// simplified form has a different UTF-8 length is left as it is. Token
// offsets therefore stay valid for the original text, which is what
// highlighting cuts its snippets from.
package t2s

import (
	"fmt"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/longbridgeapp/opencc"
)

// Name is the name the char filter is registered under in Bleve.
const Name = "gongkai_t2s"

// CharFilter converts traditional Chinese to simplified, length-preserving.
type CharFilter struct {
	conv *converter
}

// New returns the char filter, loading the conversion table on first use.
func New() (*CharFilter, error) {
	c, err := load()
	if err != nil {
		return nil, err
	}
	return &CharFilter{conv: c}, nil
}

// Filter returns input with traditional characters replaced by simplified
// ones of the same byte length. Input without any traditional character is
// returned unchanged, without copying.
func (f *CharFilter) Filter(input []byte) []byte {
	return f.conv.convert(input)
}

// String converts s the way Filter does.
func (f *CharFilter) String(s string) string {
	return string(f.conv.convert([]byte(s)))
}

// Simplify converts s the way Filter does, for text outside an analyzer
// (snippets, short titles, typed 文号). The table is embedded, so it loads
// unless the build is broken; s is then returned as it is.
func Simplify(s string) string {
	c, err := load()
	if err != nil {
		return s
	}
	return string(c.convert([]byte(s)))
}

// SimplifyBytes is Simplify for b, returning b itself when nothing in it
// changes.
func SimplifyBytes(b []byte) []byte {
	c, err := load()
	if err != nil {
		return b
	}
	return c.convert(b)
}

// Constructor builds the char filter for Bleve's registry.
func Constructor(config map[string]interface{}, cache *registry.Cache) (analysis.CharFilter, error) {
	return New()
}

func init() {
	if err := registry.RegisterCharFilter(Name, Constructor); err != nil {
		panic(err)
	}
}

// converter holds OpenCC's t2s converter and, for speed, the single
// characters it changes: text with none of them (nearly all simplified
// text) is passed through after one table lookup per character.
type converter struct {
	cc    *opencc.OpenCC
	chars map[rune]rune
	// has marks the characters of chars (all in the BMP), so the scan of a
	// text costs a bit test per character rather than a map lookup.
	has [1 << 16 / 64]uint64
}

// traditional reports whether r has a simplified form.
func (c *converter) traditional(r rune) bool {
	return r < 1<<16 && c.has[r>>6]&(1<<(r&63)) != 0
}

var (
	loadOnce sync.Once
	loaded   *converter
	loadErr  error
)

// hanBlocks are the BMP blocks whose characters are probed for a
// simplified form: CJK Extension A, CJK Unified Ideographs and the
// compatibility ideographs.
var hanBlocks = [][2]rune{{0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xF900, 0xFAFF}}

func load() (*converter, error) {
	loadOnce.Do(func() {
		cc, err := opencc.New("t2s")
		if err != nil {
			loadErr = fmt.Errorf("t2s: load OpenCC t2s: %w", err)
			return
		}
		c := &converter{cc: cc, chars: make(map[rune]rune, 4096)}
		// Ask OpenCC about each character once (about 30 ms): the library
		// offers no way to list its table.
		var buf [utf8.UTFMax]byte
		for _, b := range hanBlocks {
			for r := b[0]; r <= b[1]; r++ {
				n := utf8.EncodeRune(buf[:], r)
				out, err := cc.Convert(string(buf[:n]))
				if err != nil {
					loadErr = fmt.Errorf("t2s: convert %q: %w", r, err)
					return
				}
				s, size := utf8.DecodeRuneInString(out)
				if size == len(out) && s != r && s != utf8.RuneError {
					c.chars[r] = s
					c.has[r>>6] |= 1 << (r & 63)
				}
			}
		}
		loaded = c
	})
	return loaded, loadErr
}

func (c *converter) convert(input []byte) []byte {
	first := c.firstTraditional(input)
	if first < 0 {
		return input
	}
	out := make([]byte, len(input))
	copy(out, input)
	// Convert each run of Han characters that holds a traditional one as a
	// whole, so that OpenCC's phrase table (乾隆 stays 乾隆) applies.
	for i := runStart(input, first); i < len(input); {
		r, size := utf8.DecodeRune(input[i:])
		if !unicode.Is(unicode.Han, r) {
			i += size
			continue
		}
		j := i
		traditional := false
		for j < len(input) {
			r, size := utf8.DecodeRune(input[j:])
			if !unicode.Is(unicode.Han, r) {
				break
			}
			if c.traditional(r) {
				traditional = true
			}
			j += size
		}
		if traditional {
			c.convertRun(out[i:j], input[i:j])
		}
		i = j
	}
	return out
}

// convertRun writes the simplified form of the Han run in into out, which
// has the same length, character by character where lengths agree.
func (c *converter) convertRun(out, in []byte) {
	phrased, err := c.cc.Convert(string(in))
	if err != nil || utf8.RuneCountInString(phrased) != utf8.RuneCount(in) {
		phrased = "" // fall back to the character table
	}
	o, p := 0, 0
	for i := 0; i < len(in); {
		r, size := utf8.DecodeRune(in[i:])
		s := r
		if phrased != "" {
			ps, psize := utf8.DecodeRuneInString(phrased[p:])
			p += psize
			s = ps
		} else if m, ok := c.chars[r]; ok {
			s = m
		}
		if utf8.RuneLen(s) == size {
			utf8.EncodeRune(out[o:], s)
		}
		o += size
		i += size
	}
}

// firstTraditional returns the byte offset of the first character that has
// a simplified form, or -1.
func (c *converter) firstTraditional(input []byte) int {
	for i := 0; i < len(input); {
		b0 := input[i]
		if b0 < utf8.RuneSelf {
			i++
			continue
		}
		// Nearly every character of Chinese text is three bytes long:
		// decoded here, as utf8.DecodeRune does not inline them. A
		// sequence this lets through that DecodeRune would refuse (an
		// overlong form or a surrogate) decodes to no marked character.
		if b0&0xF0 == 0xE0 && i+2 < len(input) && input[i+1]&0xC0 == 0x80 && input[i+2]&0xC0 == 0x80 {
			r := rune(b0&0x0F)<<12 | rune(input[i+1]&0x3F)<<6 | rune(input[i+2]&0x3F)
			if c.traditional(r) {
				return i
			}
			i += 3
			continue
		}
		r, size := utf8.DecodeRune(input[i:])
		if c.traditional(r) {
			return i
		}
		i += size
	}
	return -1
}

// runStart returns the start of the Han run holding the character at i.
func runStart(input []byte, i int) int {
	for i > 0 {
		r, size := utf8.DecodeLastRune(input[:i])
		if !unicode.Is(unicode.Han, r) {
			break
		}
		i -= size
	}
	return i
}
