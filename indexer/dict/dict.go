// Package dict holds the Chinese segmentation dictionary of the process:
// gse's simplified Chinese dictionary, the product's domain dictionary
// (gongkai.txt, embedded) and the words staff add. It is loaded once per
// process, on first use, from data embedded in the binary, never from files
// (a deployed binary has no module cache to read them from), and shared by
// every analyzer and index: it takes about a second and 130 MB of heap.
package dict

import (
	"bufio"
	"cmp"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/go-ego/gse"
)

// domainText is the domain dictionary: government organs and the terms of
// 政府信息公开, one "word frequency part-of-speech" line each.
//
//go:embed gongkai.txt
var domainText string

// DefaultFreq is the frequency given to domain and user words that state
// none. A listed word of several parts beats the parts it is made of
// (政府信息公开 stays one word, not 政府 + 信息 + 公开) at any frequency gse
// keeps; a modest one keeps a short word from taking a character that
// belongs to its neighbour (公开办理 is 公开 + 办理, not 公开办 + 理).
const DefaultFreq = 500

// minFreq is the lowest frequency gse keeps; rarer words are dropped.
const minFreq = 2

// noDictPath is set as gse's dictionary path so that any attempt to read
// dictionary files, rather than the embedded data, fails loudly.
const noDictPath = "/nonexistent/gongkai-dict-is-embedded/gse.go"

// ErrLoaded is returned when user words are added after the dictionary has
// been loaded: they would change how text is segmented in an index that was
// built without them.
var ErrLoaded = errors.New("dict: the dictionary is already loaded; add user words before opening an index")

// Word is one dictionary entry.
type Word struct {
	Text string
	Freq float64
	Pos  string // part of speech, as in gse's dictionaries (n, nt, ns, …); may be empty
}

var (
	mu        sync.Mutex
	userWords []Word
	loaded    bool

	once     sync.Once
	seg      *gse.Segmenter
	loadErr  error
	printout string // the fingerprint, fixed when the dictionary loads
)

// AddUserWords adds words to the dictionary of this process. It must be
// called before the dictionary is first used (before any index is opened);
// afterwards it returns ErrLoaded. Each word must consist of Chinese
// characters only: the tokenizer hands only runs of Chinese characters to
// the segmenter, so any other word could never match.
func AddUserWords(words ...Word) error {
	mu.Lock()
	defer mu.Unlock()
	if loaded {
		return ErrLoaded
	}
	for _, w := range words {
		if err := validate(w); err != nil {
			return err
		}
	}
	userWords = append(userWords, words...)
	return nil
}

func validate(w Word) error {
	if w.Text == "" {
		return errors.New("dict: empty word")
	}
	for _, r := range w.Text {
		if !unicode.Is(unicode.Han, r) {
			return fmt.Errorf("dict: word %q: only Chinese characters can be added", w.Text)
		}
	}
	if w.Freq != 0 && w.Freq < minFreq {
		return fmt.Errorf("dict: word %q: frequency %g is below %d", w.Text, w.Freq, minFreq)
	}
	if strings.ContainsAny(w.Pos, " \t\n") {
		return fmt.Errorf("dict: word %q: part of speech %q has spaces", w.Text, w.Pos)
	}
	return nil
}

// ParseWords reads dictionary lines: "word [frequency] [part-of-speech]",
// separated by spaces or tabs. Blank lines and lines starting with # are
// skipped. Errors name the line.
func ParseWords(text string) ([]Word, error) {
	var words []Word
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		w := Word{Text: strings.TrimPrefix(f[0], "\uFEFF")}
		switch rest := f[1:]; {
		case len(rest) > 2:
			return nil, fmt.Errorf("dict: line %d: want \"word [frequency] [part-of-speech]\", got %q", n, line)
		case len(rest) == 2:
			freq, err := strconv.ParseFloat(rest[0], 64)
			if err != nil {
				return nil, fmt.Errorf("dict: line %d: frequency %q is not a number", n, rest[0])
			}
			w.Freq, w.Pos = freq, rest[1]
		case len(rest) == 1:
			if freq, err := strconv.ParseFloat(rest[0], 64); err == nil {
				w.Freq = freq
			} else {
				w.Pos = rest[0]
			}
		}
		if err := validate(w); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		words = append(words, w)
	}
	return words, sc.Err()
}

// DomainWords returns the embedded domain dictionary.
func DomainWords() []Word {
	words, err := ParseWords(domainText)
	if err != nil {
		panic(err) // the embedded file is checked by the tests
	}
	return words
}

// Segmenter returns the process's segmenter, loading the dictionary on the
// first call. The segmenter is safe for concurrent use by segmentation
// calls; it must not be changed.
func Segmenter() (*gse.Segmenter, error) {
	once.Do(func() {
		mu.Lock()
		loaded = true
		words := append(DomainWords(), userWords...)
		mu.Unlock()
		seg, loadErr = load(words)
		printout = fingerprint(words)
	})
	return seg, loadErr
}

// Has reports whether w is a word of the process's dictionary (false if
// the dictionary cannot be loaded).
func Has(w []byte) bool {
	seg, err := Segmenter()
	if err != nil {
		return false
	}
	_, _, err = seg.Dict.Value(w)
	return err == nil
}

// Fingerprint identifies everything that decides how text is segmented:
// the gse version and dictionary, the domain dictionary and the user words.
// An index built under another fingerprint must be rebuilt. It loads the
// dictionary if that has not happened yet.
func Fingerprint() (string, error) {
	if _, err := Segmenter(); err != nil {
		return "", err
	}
	return printout, nil
}

func fingerprint(words []Word) string {
	h := sha256.New()
	fmt.Fprintf(h, "gse %s zh_s\n", gse.Version)
	for _, w := range words {
		fmt.Fprintf(h, "%s %g %s\n", w.Text, freq(w), w.Pos)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func freq(w Word) float64 {
	if w.Freq == 0 {
		return DefaultFreq
	}
	return w.Freq
}

// load builds the segmenter from embedded data only. The domain and user
// words go in first: gse keeps the first entry of a word, so theirs are the
// frequencies that count.
func load(words []Word) (*gse.Segmenter, error) {
	s := &gse.Segmenter{
		NotLoadHMM: true, // only dictionary cuts: the same text always cuts the same way
		SkipLog:    true,
		DictPath:   noDictPath,
	}
	var b strings.Builder
	for _, w := range words {
		pos := w.Pos
		if pos == "" {
			pos = "n"
		}
		fmt.Fprintf(&b, "%s %g %s\n", w.Text, freq(w), pos)
	}
	if err := s.LoadDictStr(b.String()); err != nil {
		return nil, fmt.Errorf("dict: load domain dictionary: %w", err)
	}
	if err := s.LoadDictEmbed("zh_s"); err != nil {
		return nil, fmt.Errorf("dict: load gse dictionary: %w", err)
	}
	if s.Dict == nil || s.Dict.NumTokens() < 100000 {
		return nil, errors.New("dict: the embedded gse dictionary is missing (built with -tags ne?)")
	}
	return s, nil
}

// wordsWithLimit is how many words WordsWith gives for a character.
const wordsWithLimit = 24

// WordsWith returns the commonest words of two to four Chinese characters
// in the dictionary that hold the character r, most frequent first, at
// most wordsWithLimit of them (nil if the dictionary cannot be loaded):
// the words a reader typing 税 alone, or 个人信 for 个人信息, may mean. The
// table is made on the first call, from the whole dictionary (about a
// quarter of a second), and kept.
func WordsWith(r rune) []string { return wordsWith()[r] }

var wordsWith = sync.OnceValue(func() map[rune][]string {
	seg, err := Segmenter()
	if err != nil {
		return nil
	}
	type word struct {
		text string
		freq float64
	}
	by := map[rune][]word{}
	for i := range seg.Dict.Tokens {
		t := &seg.Dict.Tokens[i]
		text := t.Text()
		n := 0
		han := true
		for _, c := range text {
			n++
			han = han && unicode.Is(unicode.Han, c)
		}
		if !han || n < 2 || n > 4 {
			continue
		}
		for j, c := range text {
			if !strings.ContainsRune(text[:j], c) {
				by[c] = append(by[c], word{text, t.Freq()})
			}
		}
	}
	out := make(map[rune][]string, len(by))
	for c, ws := range by {
		slices.SortStableFunc(ws, func(a, b word) int { return cmp.Compare(b.freq, a.freq) })
		top := make([]string, 0, min(len(ws), wordsWithLimit))
		for _, w := range ws[:min(len(ws), wordsWithLimit)] {
			top = append(top, w.text)
		}
		out[c] = top
	}
	return out
})
