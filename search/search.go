package search

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"gongkai/catalogue"
	"gongkai/indexer"
	"gongkai/indexer/analysis/pinyin"
	"gongkai/indexer/analysis/t2s"
	"gongkai/indexer/dict"
)

// Field boosts: a word in the title counts for more than one in the body.
const (
	boostTitle    = 5.0
	boostKeywords = 3.0
	boostText     = 1.0    // the text field: title, 主题词, summary, body and attachments
	boostPair     = 5.0    // two words typed together found side by side (FieldPairs)
	boostExact    = 1000.0 // an exact 文号 or 索引号 match goes first
)

// facetFields are the facets returned with results, with how many values
// each shows.
var facetFields = []struct {
	name string
	pos  int // in the indexer.FacetTuple
	size int
}{
	{"category", indexer.FacetCategory, 30},
	{"topic", indexer.FacetTopic, 30},
	{"organ", indexer.FacetOrgan, 30},
	{"year", indexer.FacetYear, 80},
	{"doc_type", indexer.FacetDocType, 30},
}

var storedFields = []string{
	indexer.FieldIndexNo, indexer.FieldTitle, indexer.FieldDocNo, indexer.FieldOrgan,
	indexer.FieldCategory, indexer.FieldTopic, indexer.FieldDocType, indexer.FieldSummary,
	indexer.FieldValidity, indexer.FieldFormedAt, indexer.FieldPublishedAt, indexer.FieldUpdatedAt,
	indexer.FieldStatus, indexer.FieldAttribute, indexer.FieldSection, indexer.FieldKind, indexer.FieldDueAt,
}

// Search runs q against the index, or returns the result it gave on the
// same snapshot of the index (cache.go). Results are shared: the caller
// must not change them.
func (x *Index) Search(ctx context.Context, q Query) (*Result, error) {
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	start := time.Now()
	if x.results == nil || !cacheable(q) {
		return x.search(ctx, q, start)
	}
	r, err := x.snapshot()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if res, ok := x.results.get(r, q); ok {
		again := *res
		again.Took = time.Since(start)
		return &again, nil
	}
	res, err := x.search(ctx, q, start)
	if err != nil {
		return nil, err
	}
	x.results.put(r, q, res)
	return res, nil
}

// search runs q, normalised, against the index.
func (x *Index) search(ctx context.Context, q Query, start time.Time) (*Result, error) {
	parsed := ParseText(q.Text)
	var must []query.Query
	var exact string
	typed := t2s.Simplify(q.Text) // 文号 typed in traditional characters are looked up simplified

	if q.Text != "" && parsed.Empty() {
		if len(parsed.Excluded) > 0 {
			return nil, errOnlyExcluded
		}
		return nil, errNothingToSearch
	}
	var terms []string // analysed, for marking in snippets
	// Only the relevance order reads the score; the others sort on fields
	// (or the columns) and leave it out.
	scored := q.Sort == SortRelevance
	if !parsed.Empty() {
		// A 文号 or 索引号 cuts into single characters (公告第13号: 第, 号)
		// that stand for themselves, not for the words holding them.
		ex, label := exactQuery(typed)
		text, analysed, err := x.textQuery(parsed, scored, ex == nil)
		if err != nil {
			return nil, err
		}
		if py := pinyinQuery(q.Text); py != nil {
			if text == nil {
				text = py
			} else {
				text = bleve.NewDisjunctionQuery(text, py)
			}
		}
		if text != nil {
			if st := x.shortTitleQuery(ctx, q.Text); st != nil {
				text = bleve.NewDisjunctionQuery(st, text)
			}
		}
		if ex != nil {
			exact = label
			if text == nil {
				text = ex
			} else {
				text = bleve.NewDisjunctionQuery(ex, text)
			}
		}
		if text == nil {
			return nil, errNothingToSearch
		}
		must = append(must, text)
		terms = analysed
	}
	must = append(must, filterQueries(q.Filters)...)

	var root query.Query
	switch len(must) {
	case 0:
		root = bleve.NewMatchAllQuery()
	case 1:
		root = must[0]
	default:
		root = bleve.NewConjunctionQuery(must...)
	}
	if not, err := x.excludedQuery(parsed.Excluded); err != nil {
		return nil, err
	} else if not != nil {
		// Bleve leaves the excluded clause out of the scores and their
		// norm: what is found ranks as it would without it.
		b := bleve.NewBooleanQuery()
		b.AddMust(root)
		b.AddMustNot(not)
		root = b
	}

	req := bleve.NewSearchRequestOptions(root, q.Size, (q.Page-1)*q.Size, false)
	req.Fields = storedFields
	hl := q.Highlight && !parsed.Empty()
	if hl {
		req.Fields = append(storedFields[:len(storedFields):len(storedFields)], indexer.FieldBody, indexer.FieldPlain)
	}
	// Every sort key beyond the score is read for every hit, not only for the
	// page shown: at 150k entries tie-breakers on a date and _id cost more
	// than the search itself, so relevance sorts by score alone (ties keep
	// the index's order). The date order comes from the index's columns
	// (collect); the staff's orders keep Bleve's sort with a tie-breaker.
	if !scored {
		req.Score = "none"
	}
	switch q.Sort {
	case SortUpdated:
		req.SortBy([]string{"-" + indexer.FieldUpdatedAt, "_id"})
	case SortDue:
		req.SortBy([]string{indexer.FieldDueAt, "-" + indexer.FieldUpdatedAt, "_id"})
	default:
		req.SortBy([]string{"-_score"})
	}
	var snip *queryTerms // the body's fragments are cut as it is read
	if hl {
		if exact != "" {
			// A 文号 or 索引号 cuts into single characters (韶, 工, 信, 号):
			// marked, they would speckle every text. Its numbers stay.
			terms = slices.DeleteFunc(terms, func(t string) bool { return utf8.RuneCountInString(t) < 2 })
		}
		snip = newQueryTerms(terms)
	}
	sr, facets, err := x.collect(ctx, req, q, snip)
	if err != nil {
		return nil, err
	}
	if hl {
		highlight(sr.Hits, snip)
	}
	res := &Result{Total: sr.Total, Page: q.Page, Size: q.Size, Took: time.Since(start), Exact: exact, Depth: q.Depth()}
	for _, dm := range sr.Hits {
		res.Hits = append(res.Hits, toHit(dm))
	}
	// Say so only when the first hit really carries the number asked for.
	if exact != "" && (len(res.Hits) == 0 || q.Page != 1 || q.Sort != SortRelevance || !carriesNumber(res.Hits[0], typed)) {
		res.Exact = ""
	}
	res.Facets = facets
	return res, nil
}

// collect runs req, counting facets when q asks for them and keeping the
// date order itself, from the index's columns (columns.go). The catalogue
// without words, filtered by facet values only, comes from the columns
// alone.
//
// With snip, the hits' body fragments are cut as their stored fields are
// read (loadStored).
func (x *Index) collect(ctx context.Context, req *bleve.SearchRequest, q Query, snip *queryTerms) (*bleve.SearchResult, map[string][]FacetValue, error) {
	if want, ok := facetFilter(q); ok {
		return x.browse(ctx, req, q, want, snip)
	}
	// One word by relevance (word.go), as search builds it: tf-idf (the
	// mapping's default), no explanations, locations or search-after.
	if must, bonus, ok := wordQuery(req.Query); ok && q.Sort == SortRelevance && !x.wordsByBleve &&
		req.Score == "" && !req.Explain && !req.IncludeLocations && req.SearchAfter == nil && req.SearchBefore == nil {
		sr, facets, err := x.searchWord(ctx, req, must, bonus, q.Facets)
		if err == nil && len(req.Fields) > 0 {
			sr.Hits, err = x.loadStored(sr.Hits, req.Fields, snip)
		}
		if err != nil {
			return nil, nil, err
		}
		return sr, facets, nil
	}
	if !q.Facets && q.Sort != SortDate {
		sr, err := x.run(ctx, req, snip)
		return sr, nil, err
	}
	cc := &columnCollector{cache: &x.columns, facets: q.Facets}
	find := *req
	if q.Sort == SortDate {
		// Bleve only finds the hits, unscored; the collector keeps the
		// best ranks and the page is fetched by id below.
		cc.best = byRank(req.From + req.Size)
		find.Size, find.From, find.Score, find.Fields = 0, 0, "none", nil
	}
	sr, err := x.run(cc.withCollecting(ctx), &find, snip)
	if err != nil {
		return nil, nil, err
	}
	var facets map[string][]FacetValue
	if q.Facets {
		facets = cc.facetValues()
	}
	if cc.best == nil {
		return sr, facets, nil
	}
	out, err := x.fetch(ctx, cc.page(req.From), req.Fields, snip)
	if err != nil {
		return nil, nil, err
	}
	out.Total = cc.total
	return out, facets, nil
}

// facetFilter returns the facet values q's filters ask for, by position in
// the indexer.FacetTuple, when q lists entries by date without words and
// filters by nothing else (a filter added to Filters later is something
// else, so it is never ignored here).
func facetFilter(q Query) (want [indexer.FacetPositions]string, ok bool) {
	rest := q.Filters
	want[indexer.FacetCategory], want[indexer.FacetTopic], want[indexer.FacetOrgan] = rest.Category, rest.Topic, rest.Organ
	want[indexer.FacetDocType], want[indexer.FacetYear] = rest.DocType, rest.Year
	rest.Category, rest.Topic, rest.Organ, rest.DocType, rest.Year = "", "", "", "", ""
	return want, q.Text == "" && q.Sort == SortDate && rest == Filters{}
}

// browse answers a facetFilter listing from the columns of the index's
// current snapshot.
func (x *Index) browse(ctx context.Context, req *bleve.SearchRequest, q Query, want [indexer.FacetPositions]string, snip *queryTerms) (*bleve.SearchResult, map[string][]FacetValue, error) {
	r, err := x.snapshot()
	if err != nil {
		return nil, nil, err
	}
	col, err := x.columns.get(r)
	r.Close()
	if err != nil {
		return nil, nil, err
	}
	ids, total, counts := col.browse(want, req.From, req.Size, q.Facets)
	out, err := x.fetch(ctx, ids, req.Fields, snip)
	if err != nil {
		return nil, nil, err
	}
	out.Total = total
	var facets map[string][]FacetValue
	if q.Facets {
		facets = col.facets(counts)
	}
	return out, facets, nil
}

// fetch returns the documents with the given ids, in that order, with
// their stored fields; those deleted since are left out.
func (x *Index) fetch(ctx context.Context, ids []string, fields []string, snip *queryTerms) (*bleve.SearchResult, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	hits := make(search.DocumentMatchCollection, 0, len(ids))
	for _, id := range ids {
		hits = append(hits, &search.DocumentMatch{ID: id})
	}
	hits, err := x.loadStored(hits, fields, snip)
	if err != nil {
		return nil, err
	}
	return &bleve.SearchResult{Hits: hits}, nil
}

// run runs req, its hits' stored fields read by loadStored: from the
// index as it is once the search has returned, so a hit shows a document
// changed since as it is now, and one withdrawn since is left out (a page
// can then hold fewer hits than asked for, with the total unchanged).
func (x *Index) run(ctx context.Context, req *bleve.SearchRequest, snip *queryTerms) (*bleve.SearchResult, error) {
	fields := req.Fields
	if len(fields) > 0 {
		r := *req
		r.Fields = nil
		req = &r
	}
	sr, err := x.idx.Bleve().SearchInContext(ctx, req)
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, err
		}
		return nil, unavailable(err)
	}
	if len(fields) > 0 {
		if sr.Hits, err = x.loadStored(sr.Hits, fields, snip); err != nil {
			return nil, err
		}
	}
	return sr, nil
}

// snapshot returns the index's current snapshot, for reading it past
// Bleve's search API; the caller closes it.
func (x *Index) snapshot() (index.IndexReader, error) {
	adv, err := x.idx.Bleve().Advanced()
	if err != nil {
		return nil, unavailable(err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, unavailable(err)
	}
	// A closed index hands out a nil snapshot rather than an error.
	if v := reflect.ValueOf(r); r == nil || v.Kind() == reflect.Pointer && v.IsNil() {
		return nil, unavailable(bleve.ErrorIndexClosed)
	}
	return r, nil
}

// unavailable is the error for a failure of the index itself.
func unavailable(err error) error {
	return catalogue.WrapError(catalogue.EUNAVAILABLE, "检索服务暂时不可用，请稍后再试", err)
}

// highlight cuts the title and body fragments of one page's hits
// (snippet.go), from their stored text; loadStored has cut the body's
// already when the search gave it the terms.
func highlight(hits search.DocumentMatchCollection, q *queryTerms) {
	for _, h := range hits {
		frags := h.Fragments
		if frags == nil {
			frags = search.FieldFragmentMap{}
		}
		plain, _ := h.Fields[indexer.FieldPlain].(string)
		unchanged := strings.Fields(plain)
		for _, f := range []struct {
			field string
			n     int
		}{{indexer.FieldTitle, titleFragments}, {indexer.FieldBody, bodyFragments}} {
			text, ok := h.Fields[f.field].(string)
			if !ok {
				continue
			}
			if s := q.snippets(text, f.n, slices.Contains(unchanged, f.field)); len(s) > 0 {
				frags[f.field] = s
			}
		}
		// Read for the snippets only.
		delete(h.Fields, indexer.FieldBody)
		delete(h.Fields, indexer.FieldPlain)
		h.Fragments = frags
	}
}

// Fragments shown per hit.
const (
	titleFragments = 1
	bodyFragments  = 2
)

// facets turns counts of facet tuples (by tuple index + 1) into the five
// facets: each value with the sum of the counts of the tuples holding it,
// most frequent first (years newest first), cut to the facet's size.
func (c *columns) facets(counts []int) map[string][]FacetValue {
	var sums [indexer.FacetPositions][]int
	for p := range sums {
		sums[p] = make([]int, len(c.names[p])+1)
	}
	for t, n := range counts[1:] {
		if n == 0 {
			continue
		}
		for p, id := range c.valueIDs[t] {
			sums[p][id] += n
		}
	}
	out := make(map[string][]FacetValue, len(facetFields))
	for _, f := range facetFields {
		var vals []FacetValue
		for id, n := range sums[f.pos][1:] {
			if n > 0 {
				vals = append(vals, FacetValue{Value: c.names[f.pos][id], Count: n})
			}
		}
		if f.name == "year" {
			slices.SortFunc(vals, func(a, b FacetValue) int { return strings.Compare(b.Value, a.Value) })
		} else {
			slices.SortFunc(vals, func(a, b FacetValue) int {
				if a.Count != b.Count {
					return b.Count - a.Count
				}
				return strings.Compare(a.Value, b.Value)
			})
		}
		if len(vals) > f.size {
			vals = vals[:f.size]
		}
		if vals == nil {
			vals = []FacetValue{}
		}
		out[f.name] = vals
	}
	return out
}

var errNothingToSearch = catalogue.Errorf(catalogue.EINVALID, "检索词中没有可以检索的文字，请输入汉字、字母或数字")

var errOnlyExcluded = catalogue.Errorf(catalogue.EINVALID, "请输入要查找的词：前面带减号的词（如 -保护）只用于排除")

// queryAnalyzer is the analyzer that cuts what a user typed.
func (x *Index) queryAnalyzer() (analysis.Analyzer, error) {
	if a := x.idx.Bleve().Mapping().AnalyzerNamed(x.idx.QueryAnalyzer()); a != nil {
		return a, nil
	}
	return nil, catalogue.Errorf(catalogue.EINTERNAL, "检索分析器未加载")
}

// excludedQuery matches the entries that hold any of the excluded words,
// each as a word would be found (every term it is cut into in the text
// field); nil when none of them has a term.
func (x *Index) excludedQuery(words []string) (query.Query, error) {
	if len(words) == 0 {
		return nil, nil
	}
	analyzer, err := x.queryAnalyzer()
	if err != nil {
		return nil, err
	}
	var either []query.Query
	for _, w := range words {
		var all []query.Query
		for _, tok := range analyzer.Analyze([]byte(w)) {
			all = append(all, fieldTerm(indexer.FieldText, string(tok.Term), boostText))
		}
		switch len(all) {
		case 0:
		case 1:
			either = append(either, all[0])
		default:
			either = append(either, bleve.NewConjunctionQuery(all...))
		}
	}
	if len(either) == 0 {
		return nil, nil
	}
	return bleve.NewDisjunctionQuery(either...), nil
}

// textQuery builds the query for the user's words and phrases: every word
// must be in the text field, phrases must be there as phrases; when scored,
// a match in the title or the 主题词 weighs more. It also returns the
// analysed terms, folded as the index folds them, once each and longest
// first (so that where terms overlap in a snippet the longer is marked).
// With expandChars, a single character is also looked for in the words
// that hold it (maxExpanded).
func (x *Index) textQuery(p ParsedText, scored, expandChars bool) (query.Query, []string, error) {
	analyzer, err := x.queryAnalyzer()
	if err != nil {
		return nil, nil, err
	}
	var terms []string
	// consecutive is false when two terms share a position or a position
	// is left out between them. pairs holds the FieldPairs term of each
	// two terms in a row that touch and make one, "" for the others.
	withPairs := x.idx.Pairs()
	analyse := func(text string) (out, pairs []string, consecutive bool) {
		consecutive = true
		var prev *analysis.Token
		for i, tok := range analyzer.Analyze([]byte(text)) {
			t := string(tok.Term)
			out = append(out, t)
			if !slices.Contains(terms, t) {
				terms = append(terms, t)
			}
			if i > 0 {
				if tok.Position != prev.Position+1 {
					consecutive = false
				}
				pair, ok := indexer.PairTerm(string(prev.Term), t)
				if !ok || !withPairs || prev.End != tok.Start {
					pair = ""
				}
				pairs = append(pairs, pair)
			}
			prev = tok
		}
		return out, pairs, consecutive
	}
	// Every word and phrase must be in the text field, which holds the
	// title and the 主题词 as well as the text, so that each is one
	// searcher rather than one per field. In the title or among the 主题词
	// it counts for more: optional clauses, walked only where the text
	// matched, over the short lists of those fields.
	var must, should []query.Query
	expand := 0
	if expandChars && x.idx.Analysis() == indexer.AnalysisGSE {
		expand = maxExpanded
	}
	// holding returns the words a single character t is also looked for
	// in, while the query may have more.
	holding := func(t string) []string {
		if r, size := utf8.DecodeRuneInString(t); expand > 0 && size == len(t) {
			if ws := dict.WordsWith(r); len(ws) > 0 {
				expand--
				return ws
			}
		}
		return nil
	}
	word := func(t string) {
		text := fieldTerm(indexer.FieldText, t, boostText)
		if ws := holding(t); ws != nil {
			// One character alone (税, or the 信 of 个人信) is a term only
			// where the text has it as a word of its own: found in the
			// words that hold it as well, it finds what a reader means.
			alts := []query.Query{text}
			for _, w := range ws {
				alts = append(alts, fieldTerm(indexer.FieldText, w, boostText))
			}
			text = bleve.NewDisjunctionQuery(alts...)
		}
		must = append(must, text)
		if scored {
			should = append(should, fieldTerm(indexer.FieldTitle, t, boostTitle), fieldTerm(indexer.FieldKeywords, t, boostKeywords))
		}
	}
	for _, w := range p.Words {
		ts, pairs, _ := analyse(w)
		for _, t := range ts {
			word(t)
		}
		// Words typed together that the analyzer cut apart (政府投资 →
		// 政府 + 投资) rank higher where they stand side by side.
		if scored {
			for _, pair := range pairs {
				if pair != "" {
					should = append(should, fieldTerm(indexer.FieldPairs, pair, boostPair))
				}
			}
		}
	}
	for _, ph := range p.Phrases {
		ts, pairs, consecutive := analyse(ph)
		switch len(ts) {
		case 0:
			continue // only punctuation between the quotes
		case 1:
			// One word in quotes: the word itself, without the positions
			// a phrase is checked by.
			word(ts[0])
			continue
		}
		phrase := func(field string, boost float64) query.Query {
			if consecutive {
				return newPhraseQuery(field, ts, boost)
			}
			return fieldPhrase(field, x.idx.QueryAnalyzer(), ph, boost)
		}
		text := phrase(indexer.FieldText, boostText)
		if len(pairs) == 1 && pairs[0] != "" {
			// Two words in quotes are side by side also where both are
			// inside a longer word ("社会信用" in 社会信用代码), which
			// shares its position with them and so is no phrase of them.
			text = bleve.NewDisjunctionQuery(text, fieldTerm(indexer.FieldPairs, pairs[0], boostText))
		}
		must = append(must, text)
		if scored {
			should = append(should, phrase(indexer.FieldTitle, boostTitle))
		}
	}
	slices.SortStableFunc(terms, func(a, b string) int { return len(b) - len(a) })
	if len(must) == 0 {
		return nil, terms, nil
	}
	all := must[0] // not a conjunction of one, walked for every hit
	if len(must) > 1 {
		// Unscored, Bleve intersects the lists of the words as bitmaps.
		all = bleve.NewConjunctionQuery(must...)
	}
	if !scored || len(should) == 0 {
		return all, terms, nil
	}
	return &rankQuery{must: all, bonus: should}, terms, nil
}

// maxExpanded is how many single characters of one query are looked for
// in the words that hold them (dict.WordsWith); the others only as
// themselves, so that a query of many single characters costs no more
// than a few.
const maxExpanded = 2

// fieldTerm matches one analysed term in one field.
func fieldTerm(field, term string, boost float64) query.Query {
	tq := bleve.NewTermQuery(term)
	tq.SetField(field)
	tq.SetBoost(boost)
	return tq
}

// fieldPhrase matches text, cut by the named analyzer, as a phrase in one
// field.
func fieldPhrase(field, analyzer, text string, boost float64) query.Query {
	mp := bleve.NewMatchPhraseQuery(text)
	mp.SetField(field)
	mp.Analyzer = analyzer
	mp.SetBoost(boost)
	return mp
}

// boostPinyin weighs a title found by its pinyin below a word found in the
// text, so that an English word that happens to spell some initials does
// not push real matches down.
const boostPinyin = 2.0

// pinyinQuery matches titles whose pinyin, in full or as initials,
// contains the query typed as pinyin letters (grxxbhf, gerenxinxibaohu);
// nil unless the query is such letters.
func pinyinQuery(text string) query.Query {
	letters, ok := pinyin.Letters(text)
	if !ok {
		return nil
	}
	return bleve.NewDisjunctionQuery(
		pinyinPhrase(indexer.FieldTitleInitials, pinyin.QueryGrams(letters, false)),
		// In full pinyin from the start of a syllable only.
		pinyinPhrase(indexer.FieldTitlePinyin, pinyin.QueryGrams(letters, true)))
}

// pinyinPhrase matches a pinyin field's grams at consecutive positions.
func pinyinPhrase(field string, grams []string) query.Query {
	if len(grams) == 1 {
		return fieldTerm(field, grams[0], boostPinyin)
	}
	return newPhraseQuery(field, grams, boostPinyin)
}

// boostShortTitle lifts an entry whose short title is the query (档案法
// for 中华人民共和国档案法) above those that only mention it, as the
// implementing regulations and local rules of a law do in their bodies.
const boostShortTitle = 30.0

// shortTitleQuery matches entries whose short title (indexer.ShortTitle)
// is what was typed; a current version before an amended one. It is nil
// when no entry has that short title, as for nearly every search: the
// clause would then change no order among the hits of the words (it
// halves all their scores alike), but Bleve would still walk one more
// disjunction for every hit.
func (x *Index) shortTitleQuery(ctx context.Context, text string) query.Query {
	st := indexer.ShortTitle(text)
	if utf8.RuneCountInString(st) < 2 || !x.hasTerm(ctx, indexer.FieldShortTitle, st) {
		return nil
	}
	same := fieldTerm(indexer.FieldShortTitle, st, boostShortTitle)
	inForce := bleve.NewConjunctionQuery(fieldTerm(indexer.FieldShortTitle, st, 1), fieldTerm(indexer.FieldValidity, "有效", 1))
	inForce.SetBoost(boostShortTitle / 10)
	return bleve.NewDisjunctionQuery(same, inForce)
}

// hasTerm reports whether a document of the index's current snapshot has
// term in field (or had: deleted documents may still count). It is true
// when the index cannot tell, so that no clause is left out by mistake.
func (x *Index) hasTerm(ctx context.Context, field, term string) bool {
	r, err := x.snapshot()
	if err != nil {
		return true
	}
	defer r.Close()
	tfr, err := r.TermFieldReader(ctx, []byte(term), field, false, false, false)
	if err != nil {
		return true
	}
	defer tfr.Close()
	return tfr.Count() > 0
}

// exactQuery recognises a query that is a 文号 or an 索引号 and returns a
// query for the entry carrying exactly that number, with a label for the
// results page.
func exactQuery(text string) (query.Query, string) {
	text = strings.TrimSpace(text)
	var alts []query.Query
	label := ""
	if catalogue.LooksLikeIndexNo(text) {
		for _, v := range indexNoVariants(text) {
			alts = append(alts, fieldTerm(indexer.FieldIndexNo, v, boostExact))
		}
		label = "索引号"
	}
	if catalogue.LooksLikeDocNo(text) {
		norm := catalogue.NormalizeDocNo(text)
		alts = append(alts, fieldTerm(indexer.FieldDocNoNorm, norm, boostExact),
			// Typed with only the end of the organ prefix (公告第39号) or
			// without it (〔2019〕12号).
			fieldTerm(indexer.FieldDocNoSuffix, norm, boostExact/2))
		label = "文号"
	}
	if len(alts) == 0 {
		return nil, ""
	}
	if len(alts) == 1 {
		return alts[0], label
	}
	return bleve.NewDisjunctionQuery(alts...), label
}

func filterQueries(f Filters) []query.Query {
	var out []query.Query
	term := func(field, value string) {
		if value == "" {
			return
		}
		out = append(out, fieldTerm(field, value, 1))
	}
	term(indexer.FieldCategory, f.Category)
	term(indexer.FieldTopic, f.Topic)
	term(indexer.FieldOrgan, f.Organ)
	term(indexer.FieldDocType, f.DocType)
	term(indexer.FieldYear, f.Year)
	term(indexer.FieldValidity, f.Validity)
	term(indexer.FieldStatus, f.Status)
	term(indexer.FieldAttribute, f.Attribute)
	term(indexer.FieldSection, f.Section)
	term(indexer.FieldKind, f.Kind)
	dates := func(field string, lo, hi catalogue.Date) {
		if lo.IsZero() && hi.IsZero() {
			return
		}
		var from, to time.Time
		if !lo.IsZero() {
			from = lo.Time()
		}
		if !hi.IsZero() {
			to = hi.AddDays(1).Time()
		}
		incl, excl := true, false
		dq := bleve.NewDateRangeInclusiveQuery(from, to, &incl, &excl)
		dq.SetField(field)
		out = append(out, dq)
	}
	dates(indexer.FieldFormedAt, f.From, f.To)
	dates(indexer.FieldDueAt, f.DueFrom, f.DueTo)
	return out
}

func toHit(dm *search.DocumentMatch) Hit {
	s := func(f string) string {
		v, _ := dm.Fields[f].(string)
		return v
	}
	d := func(f string) catalogue.Date {
		t, err := time.Parse(time.RFC3339, s(f))
		if err != nil || t.IsZero() || t.Year() <= 1 {
			return catalogue.Date{}
		}
		return catalogue.DateOf(t.In(chinaTime))
	}
	h := Hit{
		ID: dm.ID, IndexNo: s(indexer.FieldIndexNo), Title: s(indexer.FieldTitle), DocNo: s(indexer.FieldDocNo),
		Organ: s(indexer.FieldOrgan), Category: s(indexer.FieldCategory), Topic: s(indexer.FieldTopic),
		DocType: s(indexer.FieldDocType), Summary: s(indexer.FieldSummary), Validity: s(indexer.FieldValidity),
		FormedAt: d(indexer.FieldFormedAt), PublishedAt: d(indexer.FieldPublishedAt), UpdatedAt: d(indexer.FieldUpdatedAt),
		Status: s(indexer.FieldStatus), Attribute: s(indexer.FieldAttribute), Section: s(indexer.FieldSection),
		Kind: s(indexer.FieldKind), DueAt: d(indexer.FieldDueAt),
		Score: dm.Score,
	}
	if len(dm.Fragments) > 0 {
		h.Highlights = make(map[string][]string)
		if fr := dm.Fragments[indexer.FieldTitle]; len(fr) > 0 {
			h.Highlights["title"] = fr[:1]
		}
		if fr := dm.Fragments[indexer.FieldBody]; len(fr) > 0 {
			h.Highlights["body"] = fr[:min(2, len(fr))]
		}
	}
	return h
}

// chinaTime is the zone dates are shown in; entry dates are stored as
// midnight UTC of the calendar day and publication times as instants.
var chinaTime = time.FixedZone("CST", 8*3600)

// ParsedText is a query split into quoted phrases and loose words.
type ParsedText struct {
	Phrases []string
	Words   []string
	// Excluded are the words typed with a minus before them (-保护,
	// －保护, or quoted: -"个人 信息"): no result holds all the terms of
	// any one of them.
	Excluded []string
}

// Empty reports whether nothing is left to search for.
func (p ParsedText) Empty() bool { return len(p.Phrases) == 0 && len(p.Words) == 0 }

// ParseText splits what a user typed into phrases (in ASCII or Chinese
// quotes) and words (separated by spaces). A minus at the start of a word
// excludes it, as in other search engines; the other characters that mean
// something to them (+ : ^ * ~ ( ) and the like), and a minus inside a
// word (2019-00012), carry no meaning here: they only separate words.
func ParseText(text string) ParsedText {
	var p ParsedText
	var cur strings.Builder
	// minus is set by a minus at the start of the word (or phrase) being
	// read.
	inPhrase, minus := false, false
	flush := func() {
		s := strings.TrimSpace(cur.String())
		cur.Reset()
		excluded := minus
		minus = false
		switch {
		case s == "":
		case excluded:
			p.Excluded = append(p.Excluded, s)
		case inPhrase:
			p.Phrases = append(p.Phrases, s)
		default:
			p.Words = append(p.Words, s)
		}
	}
	for _, r := range text {
		switch {
		case r == '"' || r == '“' || r == '”' || r == '「' || r == '」' || r == '＂':
			opening := !inPhrase && minus && cur.Len() == 0
			flush()
			inPhrase, minus = !inPhrase, opening // -"…" excludes what is quoted
		case (r == '-' || r == '－') && !inPhrase && cur.Len() == 0:
			minus = true
		case unicode.IsSpace(r) || r == '　':
			if inPhrase {
				cur.WriteRune(' ')
			} else {
				flush()
			}
		case strings.ContainsRune(`+-:^*~()!{}[]\/&|?`, r) && !inPhrase:
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	return p
}

// indexNoVariants returns the spellings of a typed 索引号 worth looking up:
// as typed, and with full-width characters folded and spaces removed, with
// the check character upper-cased (a 统一社会信用代码 ends in X, not x). An
// 索引号 is stored exactly as written, so pinyin fronts keep their case.
func indexNoVariants(text string) []string {
	folded := strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return -1
		case r >= '！' && r <= '～':
			return r - '！' + '!'
		}
		return r
	}, text)
	out := []string{text}
	add := func(v string) {
		for _, o := range out {
			if o == v {
				return
			}
		}
		out = append(out, v)
	}
	add(folded)
	add(strings.ToUpper(folded))
	if i := strings.IndexByte(folded, '/'); i > 0 {
		add(strings.ToUpper(folded[:i]) + folded[i:])
	}
	return out
}

// carriesNumber reports whether a hit has the 文号 or 索引号 the query is.
func carriesNumber(h Hit, text string) bool {
	text = strings.TrimSpace(text)
	for _, v := range indexNoVariants(text) {
		if h.IndexNo != "" && h.IndexNo == v {
			return true
		}
	}
	if h.DocNo == "" || !catalogue.LooksLikeDocNo(text) {
		return false
	}
	norm := catalogue.NormalizeDocNo(text)
	return catalogue.NormalizeDocNo(h.DocNo) == norm || slices.Contains(catalogue.DocNoSuffixes(h.DocNo), norm)
}
