package indexer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
)

// countingAnalyzer cuts text at spaces and counts its calls.
type countingAnalyzer struct{ calls atomic.Int64 }

func (a *countingAnalyzer) Analyze(input []byte) analysis.TokenStream {
	a.calls.Add(1)
	var out analysis.TokenStream
	for i, w := range strings.Fields(string(input)) {
		out = append(out, &analysis.Token{Term: []byte(w), Position: i + 1})
	}
	return out
}

func longText(i int) []byte {
	return fmt.Appendf(nil, "第%d条 %s", i, strings.Repeat("政府 信息 公开 ", 8))
}

func TestMemoSharesATextOnce(t *testing.T) {
	m := newAnalysisMemo(1 << 20)
	a := &countingAnalyzer{}
	text := longText(1)

	first := m.analyze("gse", a, text)
	second := m.analyze("gse", a, append([]byte(nil), text...))
	if a.calls.Load() != 1 {
		t.Fatalf("two analyses of the same text cut it %d times, want 1", a.calls.Load())
	}
	if len(first) == 0 || &first[0] != &second[0] {
		t.Fatal("the second analysis did not get the first's tokens")
	}
	// Taken by the second index, the text is gone from the memo.
	m.analyze("gse", a, text)
	if a.calls.Load() != 2 {
		t.Errorf("a third analysis shared tokens already handed over (%d cuts)", a.calls.Load())
	}

	m.analyze("bigram", a, longText(2))
	m.analyze("gse", a, longText(2))
	if a.calls.Load() != 4 {
		t.Errorf("analyzers of different names shared a text (%d cuts, want 4)", a.calls.Load())
	}
	other := longText(3)
	other[len(other)-2] = 'X' // same length, other bytes
	m.analyze("gse", a, longText(3))
	m.analyze("gse", a, other)
	if a.calls.Load() != 6 {
		t.Errorf("different texts shared tokens (%d cuts, want 6)", a.calls.Load())
	}

	short := []byte("通知")
	m.analyze("gse", a, short)
	m.analyze("gse", a, short)
	if a.calls.Load() != 8 {
		t.Errorf("a short text was memoised (%d cuts, want 8)", a.calls.Load())
	}
}

func TestMemoStaysWithinItsLimit(t *testing.T) {
	const limit = 64 << 10
	m := newAnalysisMemo(limit)
	a := &countingAnalyzer{}
	for i := range 2000 { // texts no other index asks for
		m.analyze("gse", a, longText(i))
		m.mu.Lock()
		size, n, q := m.size, len(m.entries), len(m.queue)
		m.mu.Unlock()
		if size > limit {
			t.Fatalf("after %d texts the memo holds %d bytes, limit %d", i+1, size, limit)
		}
		if n > 200 || q > 200 {
			t.Fatalf("after %d texts the memo has %d entries and %d queued", i+1, n, q)
		}
	}
	// The newest texts are still there to share.
	before := a.calls.Load()
	m.analyze("gse", a, longText(1999))
	if a.calls.Load() != before {
		t.Error("the newest text was evicted")
	}

	// Texts both indexes take, behind one only the first ever sees (a
	// draft): what was taken is let go.
	m = newAnalysisMemo(limit)
	m.analyze("gse", a, longText(-1))
	for i := range 3000 {
		m.analyze("gse", a, longText(i))
		m.analyze("gse", a, longText(i))
	}
	m.mu.Lock()
	held := 0
	for _, e := range m.queue {
		if e.tokens != nil || e.text != "" {
			held++
		}
	}
	if held != len(m.entries) || len(m.queue) > 2*len(m.entries)+65 {
		t.Errorf("after 3,000 texts taken the memo holds %d texts for %d entries, %d queued", held, len(m.entries), len(m.queue))
	}
	m.mu.Unlock()

	// Idle, the memo empties; in use, it keeps what it has.
	m.analyze("gse", a, longText(5000))
	m.expire()
	if m.mu.Lock(); len(m.entries) == 0 {
		t.Error("a memo in use was cleared")
	}
	m.mu.Unlock()
	m.expire()
	if m.mu.Lock(); len(m.entries) != 0 || m.size != 0 || len(m.queue) != 0 {
		t.Errorf("an idle memo kept %d entries (%d bytes)", len(m.entries), m.size)
	}
	m.mu.Unlock()
}

// The staff and public indexes analyse the same texts side by side; each
// must end up as if it had analysed everything itself.
func TestIndexesSharingAnalysisMatchOneAlone(t *testing.T) {
	var docs []Document
	for _, name := range []string{"law_pipl.txt", "law_ogi.txt", "report1954.txt", "seed000.txt"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		paras := strings.Split(string(b), "\n")
		for i := 0; i+3 < len(paras); i += 3 {
			body := strings.Join(paras[i:i+3], "\n")
			if len([]rune(body)) < 30 {
				continue
			}
			title := []rune(strings.TrimSpace(paras[i]))
			docs = append(docs, Document{ID: fmt.Sprintf("%s-%d", name, i), Title: string(title[:min(len(title), 30)]), Body: body})
		}
	}
	if len(docs) < 100 {
		t.Fatalf("only %d documents from testdata", len(docs))
	}

	alone, err := Open(t.TempDir() + "/alone")
	if err != nil {
		t.Fatal(err)
	}
	defer alone.Close()
	alone.share = nil
	if err := alone.Index(context.Background(), docs...); err != nil {
		t.Fatal(err)
	}

	memo := newAnalysisMemo(memoBytes)
	var cuts atomic.Int64
	var pair [2]*Index
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range pair {
		x, err := Open(fmt.Sprintf("%s/shared%d", t.TempDir(), i))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		x.share = newSharing(x.idx.Mapping(), IndexAnalyzer, memo, true)
		inner := x.share.memo.inner
		x.share.memo.inner = analyzerFunc(func(b []byte) analysis.TokenStream {
			cuts.Add(1)
			return inner.Analyze(b)
		})
		pair[i] = x
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < len(docs) && errs[i] == nil; j += 50 {
				errs[i] = x.Index(context.Background(), docs[j:min(j+50, len(docs))]...)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	// Each document has a title and a text long enough to share.
	if n := cuts.Load(); n > int64(3*len(docs)) {
		t.Errorf("the pair cut %d texts for %d documents: little was shared", n, len(docs))
	}

	for _, word := range []string{"个人信息", "政府信息公开", "人民", "国务院", "规定"} {
		for _, field := range []string{FieldTitle, FieldText} {
			want := locations(t, alone, word, field)
			if len(want) == 0 && field == FieldText {
				t.Errorf("%s in %s: no hits in the index built alone", word, field)
			}
			for i, x := range pair {
				if got := locations(t, x, word, field); !reflect.DeepEqual(got, want) {
					t.Errorf("%s in %s: shared index %d finds %d documents, alone %d, or other locations", word, field, i, len(got), len(want))
				}
			}
		}
	}
}

type analyzerFunc func([]byte) analysis.TokenStream

func (f analyzerFunc) Analyze(b []byte) analysis.TokenStream { return f(b) }

// locations returns, for each document where term is in field, where it is.
func locations(t *testing.T, x *Index, term, field string) map[string][]string {
	t.Helper()
	q := query.NewTermQuery(term)
	q.SetField(field)
	req := bleve.NewSearchRequestOptions(q, 10000, 0, false)
	req.IncludeLocations = true
	res, err := x.idx.Search(req)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, h := range res.Hits {
		for _, l := range h.Locations[field][term] {
			out[h.ID] = append(out[h.ID], fmt.Sprintf("%d:%d-%d", l.Pos, l.Start, l.End))
		}
	}
	return out
}
