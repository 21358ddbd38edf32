package search

import (
	"math"
	"math/rand/v2"
	"testing"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"gongkai/indexer"
)

// TestPhraseMatchesBleves checks the phrase searcher against Bleve's own
// over real laws: for phrases cut from their texts (so most are found, many
// in several laws, some of common words found thousands of times), and for
// the same words out of order (mostly not found), both must find the same
// entries with the same scores, alone, unscored, and inside a conjunction,
// where it is moved on by Advance, in the title field with its boost,
// and as a search is built, the title's phrase an optional clause.
func TestPhraseMatchesBleves(t *testing.T) {
	suite, x := mustIndexRelevanceLaws(t)
	analyzer := x.idx.Bleve().Mapping().AnalyzerNamed(x.idx.QueryAnalyzer())

	rng := rand.New(rand.NewPCG(7, 3))
	var phrases [][]string
	for len(phrases) < 400 {
		doc := suite.Documents[rng.IntN(len(suite.Documents))]
		var chars []rune
		if len(phrases)%4 == 0 {
			// The start of a title: the first position of the title field
			// and of the text field.
			chars = []rune(doc.Title)[:min(utf8.RuneCountInString(doc.Title), 2+rng.IntN(6))]
		} else {
			if len(doc.Body) < 100 {
				continue
			}
			start := rng.IntN(len(doc.Body) - 60)
			for !utf8.RuneStart(doc.Body[start]) {
				start++
			}
			chars = []rune(doc.Body[start:])[:2+rng.IntN(6)]
		}
		var terms []string
		for _, tok := range analyzer.Analyze([]byte(string(chars))) {
			terms = append(terms, string(tok.Term))
		}
		if len(terms) < 2 {
			continue
		}
		phrases = append(phrases, terms)
		if len(phrases)%5 == 0 { // the same words out of order
			shuffled := append([]string(nil), terms...)
			rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			phrases = append(phrases, shuffled)
		}
	}
	// Common words, found in most of the laws, some many times in each.
	for _, text := range []string{"县级以上人民政府", "有关部门应当", "的规定", "单位应当", "应当及时提供", "依照本法规定"} {
		var terms []string
		for _, tok := range analyzer.Analyze([]byte(text)) {
			terms = append(terms, string(tok.Term))
		}
		phrases = append(phrases, terms)
	}
	phrases = append(phrases, []string{"应当", "应当"}, []string{"的", "的"}, []string{"没有的词", "应当"})

	run := func(q query.Query, scored bool) []scoredHit { return mustScoredHits(t, x, q, scored) }
	found, many := 0, 0
	common := fieldTerm(indexer.FieldText, "规定", 1)
	// As textQuery builds a search: the phrase in the text field, and in
	// the title with its boost as an optional clause, beside a word.
	asSearched := func(text, title query.Query) query.Query {
		q := bleve.NewBooleanQuery()
		q.AddMust(text)
		q.AddShould(title, fieldTerm(indexer.FieldTitle, "规定", boostTitle))
		return q
	}
	for _, terms := range phrases {
		theirs := bleve.NewPhraseQuery(terms, indexer.FieldText)
		ours := newPhraseQuery(indexer.FieldText, terms, 1)
		theirTitle := bleve.NewPhraseQuery(terms, indexer.FieldTitle)
		theirTitle.SetBoost(boostTitle)
		ourTitle := newPhraseQuery(indexer.FieldTitle, terms, boostTitle)
		for _, c := range []struct {
			name   string
			ours   query.Query
			theirs query.Query
			scored bool
		}{
			{"alone", ours, theirs, true},
			{"unscored", ours, theirs, false},
			{"in a conjunction", bleve.NewConjunctionQuery(common, ours), bleve.NewConjunctionQuery(common, theirs), true},
			{"title alone", ourTitle, theirTitle, true},
			{"as searched", asSearched(ours, ourTitle), asSearched(theirs, theirTitle), true},
		} {
			want, got := run(c.theirs, c.scored), run(c.ours, c.scored)
			if c.name == "alone" && len(want) > 0 {
				found++
				if len(want) > 20 {
					many++
				}
			}
			if len(got) != len(want) {
				t.Errorf("%q %s: %d hits, Bleve's phrase %d", terms, c.name, len(got), len(want))
				continue
			}
			for i := range want {
				if got[i].id != want[i].id || math.Abs(got[i].score-want[i].score) > 1e-9*math.Abs(want[i].score) {
					t.Errorf("%q %s: hit %d is %v, Bleve's phrase %v", terms, c.name, i, got[i], want[i])
					break
				}
			}
		}
	}
	// The test means something only if phrases were found, some often.
	// (Many phrases cut from a text are not found: the words at the ends of
	// a cut differ from those of the whole text.)
	t.Logf("%d of %d phrases found, %d more than 20 times", found, len(phrases), many)
	if found < len(phrases)/5 || many < 10 {
		t.Errorf("%d of %d phrases found, %d more than 20 times: the phrases do not test enough", found, len(phrases), many)
	}
}

// mustIndexRelevanceLaws loads the relevance suite and indexes its laws
// into a new index, closed when the test ends.
func mustIndexRelevanceLaws(t *testing.T) (*RelevanceSuite, *Index) {
	t.Helper()
	suite, err := LoadRelevanceSuite("testdata/relevance")
	if err != nil {
		t.Fatal(err)
	}
	x := mustOpenIndex(t)
	if err := suite.Index(t.Context(), x); err != nil {
		t.Fatal(err)
	}
	return suite, x
}

// scoredHit is a hit's id and score.
type scoredHit struct {
	id    string
	score float64
}

// mustScoredHits returns every hit of q in x, in the order of their ids,
// scored or not.
func mustScoredHits(t *testing.T, x *Index, q query.Query, scored bool) []scoredHit {
	t.Helper()
	req := bleve.NewSearchRequestOptions(q, 10000, 0, false)
	req.SortBy([]string{"_id"})
	if !scored {
		req.Score = "none"
	}
	res, err := x.idx.Bleve().SearchInContext(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	var out []scoredHit
	for _, h := range res.Hits {
		out = append(out, scoredHit{h.ID, h.Score})
	}
	return out
}
