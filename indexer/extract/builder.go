package extract

import (
	"strings"
	"unicode"
)

// textBuilder collects extracted text, normalising whitespace as it goes and
// stopping at a character limit, so that no format can produce more than the
// limit in memory.
//
// Runs of spaces become one space, runs of line breaks at most one blank line,
// and leading and trailing whitespace of lines disappears. Control characters
// and U+FFFD (what undecodable bytes become) are dropped. Soft separators
// (Space, SoftBreak) come from layout rather than from the text itself; they
// vanish between two Chinese characters, where a visual line break or a
// collapsed newline does not separate words.
type textBuilder struct {
	b         strings.Builder
	max       int // characters allowed
	n         int // characters written
	truncated bool

	last     rune // last rune written, 0 at the start
	breaks   int  // hard line breaks pending
	space    bool // hard space pending
	soft     bool // soft space pending
	softLine bool // soft line break pending
}

func newTextBuilder(maxChars int) *textBuilder {
	return &textBuilder{max: maxChars}
}

// WriteString adds text; the whitespace in it counts as written.
func (t *textBuilder) WriteString(s string) {
	for _, r := range s {
		if t.truncated {
			return
		}
		switch {
		case r == '\n' || r == '\r' || r == '\f' || r == '\v' || r == '\u2028' || r == '\u2029':
			t.breaks++
		case r == ' ' || r == '\t' || r == '\u00a0' || r == '\u3000' || unicode.Is(unicode.Zs, r):
			t.space = true
		case r == unicode.ReplacementChar || unicode.IsControl(r) || r == '\ufeff' || r == '\u200b':
			// dropped
		default:
			t.writeRune(r)
		}
	}
}

// Space adds a soft space: a word gap inferred from layout.
func (t *textBuilder) Space() { t.soft = true }

// SoftBreak adds a soft line break: the end of a visual line, which may or
// may not end a paragraph.
func (t *textBuilder) SoftBreak() { t.softLine = true }

// Break adds a hard line break: the end of a paragraph or row. Two in a row
// leave a blank line.
func (t *textBuilder) Break() { t.breaks++ }

// EndLine ends the line if it is not ended already: block boundaries in
// HTML, where an opening and a closing tag should not make a blank line.
func (t *textBuilder) EndLine() { t.breaks = max(t.breaks, 1) }

// Full reports whether the limit is reached, so that parsers can stop early.
func (t *textBuilder) Full() bool { return t.truncated || t.n >= t.max }

// Truncated reports whether text was dropped because of the limit.
func (t *textBuilder) Truncated() bool { return t.truncated }

func (t *textBuilder) String() string { return t.b.String() }

// Len returns the number of characters written.
func (t *textBuilder) Len() int { return t.n }

func (t *textBuilder) writeRune(r rune) {
	var sep string
	switch {
	case t.last == 0:
		// nothing before the first character
	case t.breaks > 1:
		sep = "\n\n"
	case t.breaks == 1:
		sep = "\n"
	case t.softLine && !joinsLine(t.last, r):
		sep = "\n"
	case t.space:
		sep = " "
	case t.soft && !(wide(t.last) && wide(r)):
		sep = " "
	}
	t.breaks, t.space, t.soft, t.softLine = 0, false, false, false

	need := len([]rune(sep)) + 1
	if t.n+need > t.max {
		t.truncated = true
		return
	}
	t.b.WriteString(sep)
	t.b.WriteRune(r)
	t.n += need
	t.last = r
}

// wide reports whether r is a CJK character or full-width punctuation, which
// are written without spaces between them.
func wide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303f) || // CJK symbols and punctuation
		(r >= 0xff00 && r <= 0xffef) || // full-width forms
		r == '“' || r == '”' || r == '‘' || r == '’' || r == '…' || r == '—'
}

// joinsLine reports whether a visual line break between prev and next is only
// a wrap inside a Chinese sentence: both sides are wide and prev does not end
// a sentence or a clause that begins a list.
func joinsLine(prev, next rune) bool {
	if !wide(prev) || !wide(next) {
		return false
	}
	switch prev {
	case '。', '！', '？', '；', '：', '…':
		return false
	}
	return true
}
