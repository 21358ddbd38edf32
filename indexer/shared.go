package indexer

import (
	"hash/maphash"
	"slices"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
)

// The staff and public indexes are given the same title and text for every
// published entry, usually at the same moment: an import or a publication
// indexes a batch in both side by side, and a rebuild walks both in the
// same order. Cutting words is the dearest part of analysis, so the first
// index to analyse a text keeps its tokens in a memo, and the second takes
// them instead of cutting the text again.
//
// Sharing is safe because nothing downstream changes a token: Bleve reads
// the stream once, to count terms and record their locations. A text is
// handed over only on an exact match of the analyzer and the bytes, never
// on a hash alone.

// memoBytes bounds the memory the memo holds: a few batches of tokens, so
// that two indexes working on the same batches share nearly everything
// while memory stays flat. A text the other index never asks for (a draft
// only staff see) is dropped oldest first, or when the memo has been idle
// for memoIdle.
const (
	memoBytes = 64 << 20
	memoIdle  = 30 * time.Second
)

// minShared is the shortest text worth sharing: below it, hashing and
// locking cost about what analysis does.
const minShared = 64

// tokenBytes estimates the memory of one token in a stream.
const tokenBytes = 96

var shared = newAnalysisMemo(memoBytes)

type analysisMemo struct {
	limit int
	seed  maphash.Seed

	mu      sync.Mutex
	entries map[memoKey]*memoEntry
	queue   []*memoEntry // oldest first; entries already taken are skipped
	size    int          // estimated bytes of the entries in the map
	idle    *time.Timer  // clears the memo when nothing used it for memoIdle
	uses    uint64       // analyses since the timer was last set
}

type memoKey struct {
	analyzer string
	hash     uint64
}

type memoEntry struct {
	key   memoKey
	text  string        // the analysed bytes, compared on a hit
	ready chan struct{} // closed once tokens is set
	// tokens is the analysis, read-only once ready is closed.
	tokens analysis.TokenStream
	cost   int // estimated bytes, counted in size while the entry is in entries
}

func newAnalysisMemo(limit int) *analysisMemo {
	return &analysisMemo{limit: limit, seed: maphash.MakeSeed(), entries: make(map[memoKey]*memoEntry)}
}

// analyze returns inner's analysis of input, from the memo if another
// index has just analysed the same bytes with the analyzer of that name.
func (m *analysisMemo) analyze(name string, inner analysis.Analyzer, input []byte) analysis.TokenStream {
	if len(input) < minShared {
		return inner.Analyze(input)
	}
	key := memoKey{name, maphash.Bytes(m.seed, input)}
	m.mu.Lock()
	m.touch()
	e := m.entries[key]
	switch {
	case e != nil && e.text == string(input):
		// The second index: take the tokens, which no one else will.
		m.drop(e)
		m.mu.Unlock()
		<-e.ready
		m.mu.Lock()
		tokens := e.tokens
		e.tokens, e.text = nil, "" // the queue may hold e a while yet
		m.mu.Unlock()
		return tokens
	case e != nil:
		// Another text with the same hash is waiting for its second
		// index: leave it be.
		m.mu.Unlock()
		return inner.Analyze(input)
	}
	e = &memoEntry{key: key, text: string(input), ready: make(chan struct{})}
	m.entries[key] = e
	m.mu.Unlock()

	var tokens analysis.TokenStream
	func() {
		defer close(e.ready) // even if analysis panics, no taker waits forever
		// The filters may change input in place; e.text is a copy.
		tokens = inner.Analyze(input)
		e.tokens = tokens
	}()

	m.mu.Lock()
	if m.kept(e) { // not taken or cleared meanwhile
		// The tokens point into the input, which the first index keeps
		// too, so the text counts twice.
		e.cost = 2*len(e.text) + len(tokens)*tokenBytes
		m.size += e.cost
		m.queue = append(m.queue, e)
		m.evict()
	}
	m.mu.Unlock()
	return tokens
}

// kept reports whether e is in the memo, waiting for its second index.
// m.mu is held.
func (m *analysisMemo) kept(e *memoEntry) bool { return m.entries[e.key] == e }

// drop forgets e. m.mu is held.
func (m *analysisMemo) drop(e *memoEntry) {
	if !m.kept(e) {
		return
	}
	delete(m.entries, e.key)
	m.size -= e.cost
}

// evict drops the oldest entries while the memo holds more than its limit,
// and the taken ones at the front of the queue. When taken entries behind
// an old one nobody took make up most of the queue, they are swept out.
// m.mu is held.
func (m *analysisMemo) evict() {
	i := 0
	for ; i < len(m.queue) && (m.size > m.limit || !m.kept(m.queue[i])); i++ {
		m.drop(m.queue[i])
		m.queue[i] = nil
	}
	m.queue = m.queue[i:]
	if len(m.queue) > 2*len(m.entries)+64 {
		m.queue = slices.DeleteFunc(m.queue, func(e *memoEntry) bool { return !m.kept(e) })
	}
}

// touch notes a use, arming the timer that clears an idle memo. m.mu is
// held.
func (m *analysisMemo) touch() {
	if m.idle == nil {
		m.idle = time.AfterFunc(memoIdle, m.expire)
	}
	m.uses++
}

// expire clears the memo if nothing used it since the timer was set, and
// sets the timer again if something did.
func (m *analysisMemo) expire() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.uses > 0 {
		m.uses = 0
		m.idle.Reset(memoIdle)
		return
	}
	for _, e := range m.entries {
		if e.cost > 0 { // analysed: one still being analysed is not kept when done
			e.tokens, e.text = nil, ""
		}
	}
	clear(m.entries)
	m.queue, m.size, m.idle = nil, 0, nil
}

// memoAnalyzer is an index's analyzer of one name, analysing through the
// memo.
type memoAnalyzer struct {
	name  string
	inner analysis.Analyzer
	memo  *analysisMemo
}

func (a *memoAnalyzer) Analyze(input []byte) analysis.TokenStream {
	return a.memo.analyze(a.name, a.inner, input)
}

// sharing maps a document's text fields so that those analysed by the
// index's word-cutting analyzer go through the memo, and adds the pairs
// field.
type sharing struct {
	mapping mapping.IndexMapping
	inner   analysis.Analyzer // the index's instance of the analyzer
	memo    *memoAnalyzer
	pairs   bool // add FieldPairs, made from the tokens of FieldText
}

func newSharing(m mapping.IndexMapping, name string, memo *analysisMemo, pairs bool) *sharing {
	inner := m.AnalyzerNamed(name)
	if inner == nil {
		return nil
	}
	return &sharing{mapping: m, inner: inner, memo: &memoAnalyzer{name: name, inner: inner, memo: memo}, pairs: pairs}
}

// document maps data, with id, to a Bleve document.
func (s *sharing) document(id string, data any) (*document.Document, error) {
	doc := document.NewDocument(id)
	if err := s.mapping.MapDocument(doc, data); err != nil {
		return nil, err
	}
	for i, f := range doc.Fields {
		t, ok := f.(*document.TextField)
		switch {
		case !ok || t.Analyzer() != s.inner:
		case s.pairs && t.Name() == FieldText:
			doc.Fields[i] = withPairs(doc, t, s.memo)
		default:
			doc.Fields[i] = document.NewTextFieldCustom(t.Name(), t.ArrayPositions(), t.Value(), t.Options(), s.memo)
		}
	}
	return doc, nil
}
