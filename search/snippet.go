package search

import (
	"bytes"
	"html"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"gongkai/indexer/analysis/fold"
)

// Snippets are cut here rather than by Bleve's highlighter, from the page's
// hits only: asking Bleve to highlight makes it keep the term positions of
// every hit and run the query again, which cost more than the search when
// a word matches thousands of entries. The query's analysed terms are found
// in the text folded as the analyzer folds it (package fold; letters and
// digits in either width, see termVariants), and marked in the original
// text.

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

// A text is searched in steps, four times as far each time, only while
// the fragments found are too few, or the first does not hold every term:
// in a long law the first matches are found in a few KB, where folding and
// searching the whole text cost more than the search in the index.
// firstScanBytes is the first step: all of nearly every article, the first
// articles of a law. Past enoughScanBytes, fragments enough are enough
// even if none holds every term. Two words of a query are near each other
// in few long laws: in the benchmark's two-word searches, searching on
// from 4 to 16 KB found such a fragment in one long text of eight, for
// about a tenth of the searches' time.
const (
	firstScanBytes  = 4 << 10
	enoughScanBytes = 8 << 10
)

// snippetBuffers hold what cutting one text's fragments needs for a while:
// the folded copy of the text (up to maxTextBytes), the matches found and
// merged and the windows around them, which would otherwise be garbage
// for every hit of every search. A text the indexer found folds to itself
// (indexer.FieldPlain) is copied as it is, which costs a tenth as much.
type snippetBuffers struct {
	folded        []byte
	found, merged []span
	windows       []window
}

var snippetPool = sync.Pool{New: func() any { return new(snippetBuffers) }}

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

// queryTerms are a query's analysed terms as snippets look for them, made
// once per search rather than for every text of every hit: each term's
// variants (termVariants) as bytes.
type queryTerms struct {
	variants [][][]byte // by term
	longest  int        // bytes of the longest variant
	every    int        // the bits of a window holding every term
}

func newQueryTerms(terms []string) *queryTerms {
	q := &queryTerms{every: min(len(terms), 64)}
	for _, t := range terms {
		var vs [][]byte
		for _, v := range termVariants(t) {
			vs = append(vs, []byte(v))
			q.longest = max(q.longest, len(v))
		}
		q.variants = append(q.variants, vs)
	}
	return q
}

// findTerms appends to found where the terms occur in folded, leaving out
// the matches that end by from: those were found in folded[:from] before.
// It stops at maxMatches*4 matches in all; limit is where its search
// stopped short then (every match starting before it was found), else
// len(folded).
func (q *queryTerms) findTerms(folded []byte, from int, found []span) (_ []span, limit int) {
	limit = len(folded)
	for k, vs := range q.variants {
		bit := uint64(1) << min(k, 63)
		for _, tb := range vs {
			at := max(0, from-len(tb)+1)
			for at < len(folded) && len(found) < maxMatches*4 {
				i := indexTerm(folded[at:], tb)
				if i < 0 {
					at = len(folded)
					break
				}
				found = append(found, span{at + i, at + i + len(tb), bit})
				at += i + len(tb)
			}
			limit = min(limit, at)
		}
	}
	return found, limit
}

// indexTerm is bytes.Index for the terms of Chinese text. bytes.Index looks
// for the first byte of sep and compares from there; the first byte of a
// Chinese character is one of a few (E4–E9 for nearly all), so in Chinese
// text it stops at almost every character. The last byte of a character
// takes 64 values about evenly: looking for that one skips dozens of
// characters at a time. A match found by its last byte starts at a
// character, since sep does.
func indexTerm(s, sep []byte) int {
	n := len(sep)
	if n < 2 || sep[0] < utf8.RuneSelf {
		return bytes.Index(s, sep)
	}
	last := sep[n-1]
	for at := n - 1; at < len(s); at++ {
		i := bytes.IndexByte(s[at:], last)
		if i < 0 {
			return -1
		}
		at += i
		if bytes.Equal(s[at-n+1:at+1], sep) {
			return at - n + 1
		}
	}
	return -1
}

// mergeSpans sorts the matches and returns them merged where they overlap
// or touch, in order, appended to merged; at most maxMatches of them.
// limit is the start of the first match left out, or math.MaxInt.
func mergeSpans(found, merged []span) (_ []span, limit int) {
	slices.SortFunc(found, func(a, b span) int { return a.start - b.start })
	for _, s := range found {
		if n := len(merged); n > 0 && s.start <= merged[n-1].end {
			merged[n-1].end = max(merged[n-1].end, s.end)
			merged[n-1].terms |= s.terms
			continue
		}
		if len(merged) == maxMatches {
			return merged, s.start
		}
		merged = append(merged, s)
	}
	return merged, math.MaxInt
}

// snippets returns up to n fragments of text with the terms in <mark>,
// HTML-escaped, best first: the windows of snippetRunes characters holding
// the most different terms, then the most matches, in the part of the text
// searched (see firstScanBytes). Text shorter than a fragment is one
// fragment; none if no term occurs. plain says text folds to itself
// (fold.Unchanged).
func (q *queryTerms) snippets(text string, n int, plain bool) []string {
	if text == "" || len(q.variants) == 0 || n <= 0 {
		return nil
	}
	if len(text) > maxTextBytes {
		text = text[:runeStartAtOrBefore(text, maxTextBytes)]
	}
	buf := snippetPool.Get().(*snippetBuffers)
	folded, found := buf.folded[:0], buf.found[:0]
	defer func() {
		buf.folded, buf.found = folded[:0], found[:0]
		snippetPool.Put(buf)
	}()
	for end := 0; ; {
		from := end
		end = scanEnd(text, from)
		if plain {
			folded = append(folded, text[from:end]...)
		} else {
			folded = fold.Append(folded, text[from:end])
		}
		var searched int
		found, searched = q.findTerms(folded, from, found)
		spans, kept := mergeSpans(found, buf.merged[:0])
		buf.merged = spans
		// A window is complete when every match inside it has been found
		// whole: one starting inside it ends before the part searched
		// does, and before where a bound on matches cut the search short.
		complete := len(text)
		if end < len(text) {
			complete = end - q.longest
		}
		capped := searched < len(folded) || kept < math.MaxInt
		complete = min(complete, searched, kept)
		ws, best := pickWindows(text, spans, n, complete, q.every, &buf.windows)
		if best || capped || end == len(text) || end >= enoughScanBytes && len(ws) == n {
			var out []string
			for _, w := range ws {
				out = append(out, markup(text, spans[w.first:w.last], w.start, w.end))
			}
			return out
		}
	}
}

// scanEnd returns how far the search of text goes on to from from:
// firstScanBytes, then four times as far each time. It ends just after a
// character that is not Han (a newline, a space, a comma) when there is
// one near, so that a run of Han characters is folded whole (t2s converts
// phrases), else at the start of a character.
func scanEnd(text string, from int) int {
	end := max(firstScanBytes, 4*from)
	if end >= len(text) {
		return len(text)
	}
	end = runeStartAtOrBefore(text, end)
	for i := end; i > end-256 && i > from; {
		r, size := utf8.DecodeLastRuneInString(text[:i])
		if !unicode.Is(unicode.Han, r) {
			return i
		}
		i -= size
	}
	return max(end, from+1)
}

// runeStartAtOrBefore returns the start of the character holding byte i of
// text, which is longer than i.
func runeStartAtOrBefore(text string, i int) int {
	for i > 0 && !utf8.RuneStart(text[i]) {
		i--
	}
	return i
}

// window is a fragment's place in a text: bytes [start, end), holding
// spans [first, last), kinds different terms in counts matches.
type window struct {
	start, end    int
	first, last   int
	kinds, counts int
}

// pickWindows chooses up to n windows around the spans, apart, best first,
// from those that end by complete. best reports n windows, the first
// holding every term (as many as every): no part of the text further on
// could give a first one with more different terms.
//
// The windows are built in *buf, if given, which is left holding them.
func pickWindows(text string, spans []span, n, complete, every int, buf *[]window) (taken []window, best bool) {
	var windows []window
	if buf != nil {
		windows = (*buf)[:0]
		defer func() { *buf = windows }()
	}
	// The window of a match starts a little before it, so it reads in
	// context, and runs snippetRunes characters on. The matches are in
	// order, so the windows' starts are too: where matches are dense, a
	// window's end is the last one's, moved on as many characters as its
	// start moved, rather than snippetRunes characters counted again.
	rawStart, rawEnd, rawShort := 0, 0, 0
	for i, s := range spans {
		start := fragmentStart(text, s.start)
		if i == 0 || start >= rawEnd {
			rawEnd, rawShort = forward(text, start, snippetRunes)
		} else {
			e, short := forward(text, rawEnd, steps(text, rawStart, start))
			rawEnd, rawShort = e, rawShort+short
		}
		rawStart = start
		end, short := rawEnd, rawShort
		// Take characters from before it when the text ends sooner.
		if short > 0 {
			start = back(text, start, short)
		}
		if end > complete {
			break // it, and the windows after it, may hold matches not yet found
		}
		// Matches just before the one it is cut around are in it too.
		first := i
		for first > 0 && spans[first-1].start >= start {
			first--
		}
		last := i
		for last < len(spans) && spans[last].end <= end {
			last++
		}
		if last == i {
			continue // the match it is cut around is longer than a fragment
		}
		// A match its edges would cut through is left out, and the window
		// stops short of it, so that no match shows unmarked.
		if last < len(spans) && spans[last].start < end {
			end = spans[last].start
		}
		if first > 0 && spans[first-1].end > start {
			start = spans[first-1].end
		}
		var seen uint64
		for _, s := range spans[first:last] {
			seen |= s.terms
		}
		windows = append(windows, window{start: start, end: end, first: first, last: last,
			kinds: bits.OnesCount64(seen), counts: last - first})
	}
	// The best windows that do not overlap: the most different terms,
	// then the most matches, the earliest of equals.
	for len(taken) < n {
		best := -1
		for j, w := range windows {
			if best >= 0 && (w.kinds < windows[best].kinds || w.kinds == windows[best].kinds && w.counts <= windows[best].counts) {
				continue
			}
			if !slices.ContainsFunc(taken, func(t window) bool { return w.start < t.end && t.start < w.end }) {
				best = j
			}
		}
		if best < 0 {
			break
		}
		taken = append(taken, windows[best])
	}
	return taken, len(taken) == n && taken[0].kinds == every
}

// fragmentStart returns where a fragment around a match at at begins:
// snippetRunes/6 characters before it, or, where a line or a sentence
// begins a little further back or between there and the match, there, so
// that the fragment does not open inside a word (条 为了保护, cut from
// 第一条).
func fragmentStart(text string, at int) int {
	start := back(text, at, snippetRunes/6)
	if start == 0 {
		return 0
	}
	far := back(text, start, snippetRunes/9)
	for i := start - 1; i >= far; i-- {
		if endsSentence(text, far, i) {
			return i + 1
		}
	}
	for i := start; i < at; i++ {
		if endsSentence(text, start, i) {
			return i + 1
		}
	}
	return start
}

// endsSentence reports whether text[i] is the last byte of a line break
// or a sentence's end (。！？； or their ASCII forms) that starts at or
// after from. A byte at a time, as every match of a long text asks.
func endsSentence(text string, from, i int) bool {
	switch b := text[i]; b {
	case '\n', ';', '!', '?':
		return true
	case 0x82: // 。 U+3002: E3 80 82
		return i-2 >= from && text[i-1] == 0x80 && text[i-2] == 0xE3
	case 0x81, 0x9F, 0x9B: // ！？； U+FF01, U+FF1F, U+FF1B: EF BC 81/9F/9B
		return i-2 >= from && text[i-1] == 0xBC && text[i-2] == 0xEF
	}
	return false
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

// steps returns how many characters forward takes from from to reach to,
// a character's start at or after from.
func steps(text string, from, to int) int {
	n := 0
	for from < to {
		from++
		for from < len(text) && !utf8.RuneStart(text[from]) {
			from++
		}
		n++
	}
	return n
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
