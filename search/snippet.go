package search

import (
	"bytes"
	"html"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"gongkai/indexer/analysis/t2s"
)

// Snippets are cut here rather than by Bleve's highlighter, from the page's
// hits only: asking Bleve to highlight makes it keep the term positions of
// every hit and run the query again, which cost more than the search when
// a word matches thousands of entries. The query's analysed terms are found
// in the text folded as the analyzer folds it (traditional to simplified,
// full width to half, lower case), and marked in the original text.

// snippetRunes is the length of one fragment in characters: about two
// lines of Chinese text.
const snippetRunes = 90

// maxMatches bounds the matches considered in one text, and maxTextBytes
// the text searched (about 20,000 Chinese characters, more than nearly
// every law has), so a long text costs no more than a short one.
const (
	maxMatches   = 256
	maxTextBytes = 64 << 10
)

// foldText folds text as the analyzer folds terms, keeping every byte
// where it was: traditional characters to simplified ones of the same
// length, and letters to lower case (full-width ones to full-width lower
// case). Full-width letters and digits stay full width: a term is looked
// for in both widths (termVariants). The folded copy is made in buf's
// storage when that is large enough.
func foldText(buf []byte, text string) []byte {
	b := t2s.SimplifyBytes(append(buf[:0], text...)) // that copy itself when nothing changes
	// One step per character, not per byte: Chinese text is mostly
	// characters of three bytes. The text is valid UTF-8 (stored by the
	// indexer); in broken text a byte after a stray lead byte may be
	// stepped over, costing at most a mark.
	for i := 0; i < len(b); {
		switch c := b[i]; {
		case c < utf8.RuneSelf:
			if c >= 'A' && c <= 'Z' {
				b[i] = c + 'a' - 'A'
			}
			i++
		case c == 0xEF && i+2 < len(b) && b[i+1] == 0xBC && b[i+2] >= 0xA1 && b[i+2] <= 0xBA:
			// Ａ–Ｚ (EF BC A1–BA) to ａ–ｚ (EF BD 81–9A).
			b[i+1], b[i+2] = 0xBD, b[i+2]-0xA1+0x81
			i += 3
		case c >= 0xF0:
			i += 4
		case c >= 0xE0:
			i += 3
		case c >= 0xC0:
			i += 2
		default: // a continuation byte out of place
			i++
		}
	}
	return b
}

// foldBuffers hold the folded copies of texts while their terms are
// found: up to maxTextBytes for each hit shown, which would otherwise be
// garbage after every search.
var foldBuffers = sync.Pool{New: func() any { return new([]byte) }}

// termVariants returns a folded term as typed and, if it has letters,
// digits or signs, with them in full width.
func termVariants(term string) []string {
	full := strings.Map(func(r rune) rune {
		if r > ' ' && r < 0x7F {
			return r - '!' + '！'
		}
		return r
	}, term)
	if full == term {
		return []string{term}
	}
	return []string{term, full}
}

// span is a run of marked bytes, [start, end), and which terms it holds:
// bit i for terms[i] (the 64th and later share the last bit).
type span struct {
	start, end int
	terms      uint64
}

// findTerms returns where the terms occur in folded, merged where they
// overlap or touch, in order; at most maxMatches of them.
func findTerms(folded []byte, terms []string) []span {
	var found []span
	for k, term := range terms {
		bit := uint64(1) << min(k, 63)
		for _, t := range termVariants(term) {
			tb := []byte(t)
			for at := 0; at < len(folded) && len(found) < maxMatches*4; {
				i := bytes.Index(folded[at:], tb)
				if i < 0 {
					break
				}
				found = append(found, span{at + i, at + i + len(t), bit})
				at += i + len(t)
			}
		}
	}
	slices.SortFunc(found, func(a, b span) int { return a.start - b.start })
	var merged []span
	for _, s := range found {
		if n := len(merged); n > 0 && s.start <= merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, s.end)
			merged[n-1].terms |= s.terms
			continue
		}
		merged = append(merged, s)
		if len(merged) >= maxMatches {
			break
		}
	}
	return merged
}

// snippets returns up to n fragments of text with the terms in <mark>,
// HTML-escaped, best first: the windows of snippetRunes characters holding
// the most different terms, then the most matches. Text shorter than a
// fragment is one fragment; none if no term occurs.
func snippets(text string, terms []string, n int) []string {
	if text == "" || len(terms) == 0 {
		return nil
	}
	if len(text) > maxTextBytes {
		cut := maxTextBytes
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	buf := foldBuffers.Get().(*[]byte)
	folded := foldText(*buf, text)
	spans := findTerms(folded, terms)
	*buf = folded[:0]
	foldBuffers.Put(buf)
	if len(spans) == 0 {
		return nil
	}
	type window struct {
		start, end    int // bytes
		first, last   int // spans inside: [first, last)
		kinds, counts int
	}
	var windows []window
	for i, s := range spans {
		// Start a little before the match, so it reads in context; take
		// characters from before it when the text ends sooner.
		start := back(text, s.start, snippetRunes/6)
		end, short := forward(text, start, snippetRunes)
		if short > 0 {
			start = back(text, start, short)
		}
		w := window{start: start, end: end, first: i}
		var seen uint64
		j := i
		for ; j < len(spans) && spans[j].end <= end; j++ {
			seen |= spans[j].terms
		}
		w.last, w.kinds, w.counts = j, bits.OnesCount64(seen), j-i
		windows = append(windows, w)
	}
	slices.SortStableFunc(windows, func(a, b window) int {
		if a.kinds != b.kinds {
			return b.kinds - a.kinds
		}
		return b.counts - a.counts
	})
	var out []string
	var taken []window
	for _, w := range windows {
		if len(out) == n {
			break
		}
		overlaps := false
		for _, t := range taken {
			if w.start < t.end && t.start < w.end {
				overlaps = true
				break
			}
		}
		if overlaps || w.last == w.first {
			continue
		}
		taken = append(taken, w)
		out = append(out, markup(text, spans[w.first:w.last], w.start, w.end))
	}
	return out
}

// back returns the offset n characters before at, or 0. The text is
// valid UTF-8 (stored by the indexer), so a character starts at every byte
// that is not a continuation byte.
func back(text string, at, n int) int {
	for ; n > 0 && at > 0; n-- {
		at--
		for at > 0 && !utf8.RuneStart(text[at]) {
			at--
		}
	}
	return at
}

// forward returns the offset n characters after at, and how many of them
// the text did not have.
func forward(text string, at, n int) (int, int) {
	for ; n > 0 && at < len(text); n-- {
		at++
		for at < len(text) && !utf8.RuneStart(text[at]) {
			at++
		}
	}
	return at, n
}

// markup writes text[start:end] escaped, with the spans in <mark>.
func markup(text string, spans []span, start, end int) string {
	var b strings.Builder
	at := start
	for _, s := range spans {
		b.WriteString(html.EscapeString(text[at:s.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s.start:s.end]))
		b.WriteString("</mark>")
		at = s.end
	}
	b.WriteString(html.EscapeString(text[at:end]))
	return strings.TrimSpace(b.String())
}
