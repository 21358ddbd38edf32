// Package fold folds stored text as the index analyzer folds its terms,
// keeping every byte where it was, so that a query's analysed terms can
// be found in it and marked in the original: traditional characters to
// simplified ones of the same length, and letters to lower case
// (full-width ones to full-width lower case). Full-width letters and
// digits stay full width.
//
// The indexer records which stored texts fold to themselves (Unchanged),
// nearly every Chinese text; package search then looks for terms in the
// text as it is, without folding it for every result shown.
package fold

import (
	"unicode/utf8"

	"gongkai/indexer/analysis/t2s"
)

// Append appends text to dst folded.
func Append(dst []byte, text string) []byte {
	start := len(dst)
	dst = append(dst, text...)
	b := dst[start:]
	if s := t2s.SimplifyBytes(b); len(b) > 0 && &s[0] != &b[0] {
		copy(b, s) // the same length: t2s keeps every character's size
	}
	// One step per character, not per byte: Chinese text is mostly
	// characters of three bytes. In broken UTF-8 a byte after a stray
	// lead byte may be stepped over, costing at most a mark.
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < utf8.RuneSelf:
			if c >= 'A' && c <= 'Z' {
				b[i] = c + 'a' - 'A'
			}
			i++
		case fullWidthUpper(b, i):
			// Ａ–Ｚ (EF BC A1–BA) to ａ–ｚ (EF BD 81–9A).
			b[i+1], b[i+2] = 0xBD, b[i+2]-0xA1+0x81
			i += 3
		default:
			i += width(c)
		}
	}
	return dst
}

// Unchanged reports whether text folds to itself.
func Unchanged(text string) bool { return string(Append(nil, text)) == text }

// fullWidthUpper reports whether b[i:] starts with one of Ａ–Ｚ.
func fullWidthUpper(b []byte, i int) bool {
	return b[i] == 0xEF && i+2 < len(b) && b[i+1] == 0xBC && b[i+2] >= 0xA1 && b[i+2] <= 0xBA
}

// width is the length of the UTF-8 sequence lead byte c starts; 1 for a
// continuation byte out of place.
func width(c byte) int {
	switch {
	case c >= 0xF0:
		return 4
	case c >= 0xE0:
		return 3
	case c >= 0xC0:
		return 2
	}
	return 1
}
