package search

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"gongkai/catalogue"
	"gongkai/indexer"
	"gongkai/indexer/analysis/pinyin"
)

// Field boosts: a word in the title counts for more than one in the body.
const (
	boostTitle    = 5.0
	boostKeywords = 3.0
	boostSummary  = 2.0
	boostBody     = 1.0
	boostAttach   = 0.7
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

// facetTuples bounds the distinct facet tuples counted for one search: far
// more than a catalogue has (150k entries of the corpus have about ten
// thousand), so every count is exact.
const facetTuples = 1 << 20

var storedFields = []string{
	indexer.FieldIndexNo, indexer.FieldTitle, indexer.FieldDocNo, indexer.FieldOrgan,
	indexer.FieldCategory, indexer.FieldTopic, indexer.FieldDocType, indexer.FieldSummary,
	indexer.FieldValidity, indexer.FieldFormedAt, indexer.FieldPublishedAt, indexer.FieldUpdatedAt,
	indexer.FieldStatus, indexer.FieldAttribute, indexer.FieldSection, indexer.FieldKind, indexer.FieldDueAt,
}

// Search runs q against the index.
func (x *Index) Search(ctx context.Context, q Query) (*Result, error) {
	if err := q.Normalize(); err != nil {
		return nil, err
	}
	start := time.Now()
	parsed := ParseText(q.Text)
	var must []query.Query
	var exact string

	if q.Text != "" && parsed.Empty() {
		return nil, errNothingToSearch
	}
	if !parsed.Empty() {
		text, err := x.textQuery(parsed)
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
		if st := shortTitleQuery(q.Text); st != nil && text != nil {
			text = bleve.NewDisjunctionQuery(st, text)
		}
		if ex, label := exactQuery(simplified(q.Text)); ex != nil {
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

	req := bleve.NewSearchRequestOptions(root, q.Size, (q.Page-1)*q.Size, false)
	req.Fields = storedFields
	hl := q.Highlight && !parsed.Empty()
	if hl {
		req.Fields = append(storedFields[:len(storedFields):len(storedFields)], indexer.FieldBody)
	}
	// Every sort key beyond the score is read for every hit, not only for the
	// page shown: at 150k entries tie-breakers on a date and _id cost more
	// than the search itself, so relevance sorts by score alone (ties keep
	// the index's order). Sorting by date needs them for a stable order.
	switch q.Sort {
	case SortUpdated:
		req.SortBy([]string{"-" + indexer.FieldUpdatedAt, "_id"})
	case SortDue:
		req.SortBy([]string{indexer.FieldDueAt, "-" + indexer.FieldUpdatedAt, "_id"})
	case SortDate:
		req.SortBy([]string{"-" + indexer.FieldPublishedAt, "-" + indexer.FieldFormedAt, "_id"})
	default:
		req.SortBy([]string{"-_score"})
	}
	sr, facetResult, err := x.collect(ctx, req, root, q)
	if err != nil {
		return nil, err
	}
	if hl {
		highlight(sr.Hits, x.queryTerms(parsed))
	}
	res := &Result{Total: sr.Total, Page: q.Page, Size: q.Size, Took: time.Since(start), Exact: exact}
	for _, dm := range sr.Hits {
		res.Hits = append(res.Hits, toHit(dm))
	}
	// Say so only when the first hit really carries the number asked for.
	if exact != "" && (len(res.Hits) == 0 || q.Page != 1 || q.Sort != SortRelevance || !carriesNumber(res.Hits[0], simplified(q.Text))) {
		res.Exact = ""
	}
	if q.Facets {
		res.Facets = splitFacets(facetResult)
	}
	return res, nil
}

// collect runs req, counting facets when q asks for them and keeping the
// date order itself, from the index's columns (columns.go); it falls back
// to Bleve's facets and sorting where there are no columns.
func (x *Index) collect(ctx context.Context, req *bleve.SearchRequest, root query.Query, q Query) (*bleve.SearchResult, *search.FacetResult, error) {
	if !q.Facets && q.Sort != SortDate {
		sr, err := x.run(ctx, req)
		return sr, nil, err
	}
	cc := &columnCollector{cache: &x.columns, facets: q.Facets}
	ordered := *req
	if q.Sort == SortDate {
		cc.order = req.From + req.Size
		ordered.Size, ordered.From = 0, 0
		ordered.Score = "none"
		ordered.Sort = nil
		ordered.SortBy([]string{"-_score"})
		ordered.Fields = nil
	}
	sr, err := x.run(cc.withCollecting(ctx), &ordered)
	if err != nil {
		return nil, nil, err
	}
	if !cc.used {
		// No columns: Bleve sorts, and counts in a second search.
		sr, err := x.run(ctx, req)
		if err != nil || !q.Facets {
			return sr, nil, err
		}
		fr := bleve.NewSearchRequestOptions(root, 0, 0, false)
		fr.AddFacet(indexer.FieldFacets, bleve.NewFacetRequest(indexer.FieldFacets, facetTuples))
		fsr, err := x.run(ctx, fr)
		if err != nil {
			return nil, nil, err
		}
		return sr, fsr.Facets[indexer.FieldFacets], nil
	}
	var facets *search.FacetResult
	if q.Facets {
		facets = cc.facetResult()
	}
	if cc.order == 0 {
		return sr, facets, nil
	}
	// The page, fetched by id and put in the order of the ranks.
	ids := cc.page(req.From)
	out := &bleve.SearchResult{Total: cc.total, Hits: search.DocumentMatchCollection{}}
	if len(ids) == 0 {
		return out, facets, nil
	}
	page := bleve.NewSearchRequestOptions(bleve.NewDocIDQuery(ids), len(ids), 0, false)
	page.Fields = req.Fields
	page.Score = "none"
	psr, err := x.run(ctx, page)
	if err != nil {
		return nil, nil, err
	}
	byID := make(map[string]*search.DocumentMatch, len(psr.Hits))
	for _, h := range psr.Hits {
		byID[h.ID] = h
	}
	for _, id := range ids {
		if h, ok := byID[id]; ok { // gone since, if not
			out.Hits = append(out.Hits, h)
		}
	}
	return out, facets, nil
}

func (x *Index) run(ctx context.Context, req *bleve.SearchRequest) (*bleve.SearchResult, error) {
	sr, err := x.idx.Bleve().SearchInContext(ctx, req)
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, err
		}
		return nil, catalogue.WrapError(catalogue.EUNAVAILABLE, "检索服务暂时不可用，请稍后再试", err)
	}
	return sr, nil
}

// highlight cuts the title and body fragments of one page's hits
// (snippet.go), from their stored text.
func highlight(hits search.DocumentMatchCollection, terms []string) {
	for _, h := range hits {
		frags := search.FieldFragmentMap{}
		for field, n := range map[string]int{indexer.FieldTitle: 1, indexer.FieldBody: 2} {
			text, _ := h.Fields[field].(string)
			if f := snippets(text, terms, n); len(f) > 0 {
				frags[field] = f
			}
		}
		delete(h.Fields, indexer.FieldBody) // read for the snippets only
		h.Fragments = frags
	}
}

// queryTerms returns the analysed terms of what the user typed, folded as
// the index folds them, for marking in snippets.
func (x *Index) queryTerms(p ParsedText) []string {
	analyzer := x.idx.Bleve().Mapping().AnalyzerNamed(x.idx.QueryAnalyzer())
	if analyzer == nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, text := range append(append([]string{}, p.Words...), p.Phrases...) {
		for _, tok := range analyzer.Analyze([]byte(text)) {
			t := string(tok.Term)
			if t == "" || seen[t] {
				continue
			}
			seen[t] = true
			out = append(out, foldTerm(t))
		}
	}
	// Longer terms first, so that where terms overlap the longer is marked.
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// splitFacets turns the counts of facet tuples into the five facets: each
// value with the sum of the counts of the tuples holding it, most frequent
// first (years newest first), cut to the facet's size.
func splitFacets(fr *search.FacetResult) map[string][]FacetValue {
	out := make(map[string][]FacetValue, len(facetFields))
	counts := make([]map[string]int, len(facetFields))
	for i := range facetFields {
		counts[i] = map[string]int{}
	}
	if fr != nil && fr.Terms != nil {
		for _, t := range fr.Terms.Terms() {
			vals := indexer.SplitFacetTuple(t.Term)
			for i, f := range facetFields {
				if v := vals[f.pos]; v != "" {
					counts[i][v] += t.Count
				}
			}
		}
	}
	for i, f := range facetFields {
		vals := make([]FacetValue, 0, len(counts[i]))
		for v, n := range counts[i] {
			vals = append(vals, FacetValue{Value: v, Count: n})
		}
		if f.name == "year" {
			sort.Slice(vals, func(i, j int) bool { return vals[i].Value > vals[j].Value })
		} else {
			sort.Slice(vals, func(i, j int) bool {
				if vals[i].Count != vals[j].Count {
					return vals[i].Count > vals[j].Count
				}
				return vals[i].Value < vals[j].Value
			})
		}
		if len(vals) > f.size {
			vals = vals[:f.size]
		}
		out[f.name] = vals
	}
	return out
}

var errNothingToSearch = catalogue.Errorf(catalogue.EINVALID, "检索词中没有可以检索的文字，请输入汉字、字母或数字")

// textQuery builds the query for the user's words and phrases: every word
// must match (in any field), phrases must match as phrases.
func (x *Index) textQuery(p ParsedText) (query.Query, error) {
	analyzer := x.idx.Bleve().Mapping().AnalyzerNamed(x.idx.QueryAnalyzer())
	if analyzer == nil {
		return nil, catalogue.Errorf(catalogue.EINTERNAL, "检索分析器未加载")
	}
	var all []query.Query
	for _, w := range p.Words {
		for _, tok := range analyzer.Analyze([]byte(w)) {
			all = append(all, anyField(string(tok.Term)))
		}
	}
	for _, ph := range p.Phrases {
		if len(analyzer.Analyze([]byte(ph))) == 0 {
			continue // only punctuation between the quotes
		}
		var alts []query.Query
		for _, f := range []struct {
			field string
			boost float64
		}{{indexer.FieldTitle, boostTitle}, {indexer.FieldSummary, boostSummary}, {indexer.FieldBody, boostBody}, {indexer.FieldAttachments, boostAttach}} {
			mp := bleve.NewMatchPhraseQuery(ph)
			mp.SetField(f.field)
			mp.Analyzer = x.idx.QueryAnalyzer()
			mp.SetBoost(f.boost)
			alts = append(alts, mp)
		}
		all = append(all, bleve.NewDisjunctionQuery(alts...))
	}
	switch len(all) {
	case 0:
		return nil, nil
	case 1:
		return all[0], nil
	}
	return bleve.NewConjunctionQuery(all...), nil
}

// anyField matches one analysed term in any text field, weighted by field.
func anyField(term string) query.Query {
	var alts []query.Query
	for _, f := range []struct {
		field string
		boost float64
	}{
		{indexer.FieldTitle, boostTitle}, {indexer.FieldKeywords, boostKeywords}, {indexer.FieldSummary, boostSummary},
		{indexer.FieldBody, boostBody}, {indexer.FieldAttachments, boostAttach},
	} {
		tq := bleve.NewTermQuery(term)
		tq.SetField(f.field)
		tq.SetBoost(f.boost)
		alts = append(alts, tq)
	}
	return bleve.NewDisjunctionQuery(alts...)
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
	var alts []query.Query
	for _, field := range []string{indexer.FieldTitleInitials, indexer.FieldTitlePinyin} {
		mp := bleve.NewMatchPhraseQuery(letters)
		mp.SetField(field)
		mp.Analyzer = pinyin.Name
		mp.SetBoost(boostPinyin)
		alts = append(alts, mp)
	}
	return bleve.NewDisjunctionQuery(alts...)
}

// boostShortTitle lifts an entry whose short title is the query (档案法
// for 中华人民共和国档案法) above those that only mention it, as the
// implementing regulations and local rules of a law do in their bodies.
const boostShortTitle = 30.0

// shortTitleQuery matches entries whose short title (indexer.ShortTitle)
// is what was typed; a current version before an amended one.
func shortTitleQuery(text string) query.Query {
	st := indexer.ShortTitle(text)
	if utf8.RuneCountInString(st) < 2 {
		return nil
	}
	same := bleve.NewTermQuery(st)
	same.SetField(indexer.FieldShortTitle)
	same.SetBoost(boostShortTitle)
	current := bleve.NewTermQuery("有效")
	current.SetField(indexer.FieldValidity)
	sameCurrent := bleve.NewTermQuery(st)
	sameCurrent.SetField(indexer.FieldShortTitle)
	inForce := bleve.NewConjunctionQuery(sameCurrent, current)
	inForce.SetBoost(boostShortTitle / 10)
	return bleve.NewDisjunctionQuery(same, inForce)
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
			tq := bleve.NewTermQuery(v)
			tq.SetField(indexer.FieldIndexNo)
			tq.SetBoost(boostExact)
			alts = append(alts, tq)
		}
		label = "索引号"
	}
	if catalogue.LooksLikeDocNo(text) {
		norm := catalogue.NormalizeDocNo(text)
		tq := bleve.NewTermQuery(norm)
		tq.SetField(indexer.FieldDocNoNorm)
		tq.SetBoost(boostExact)
		alts = append(alts, tq)
		if d, ok := catalogue.ParseDocNo(text); ok && d.Prefix == "" {
			// Given without the organ prefix: match the year and serial.
			tail := bleve.NewTermQuery(d.String())
			tail.SetField(indexer.FieldDocNoTail)
			tail.SetBoost(boostExact / 2)
			alts = append(alts, tail)
		}
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
		tq := bleve.NewTermQuery(value)
		tq.SetField(field)
		out = append(out, tq)
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
}

// Empty reports whether nothing is left to search for.
func (p ParsedText) Empty() bool { return len(p.Phrases) == 0 && len(p.Words) == 0 }

// ParseText splits what a user typed into phrases (in ASCII or Chinese
// quotes) and words (separated by spaces). Characters that mean something
// to other search engines (+ - : ^ * ~ ( ) and the like) carry no meaning
// here: they only separate words.
func ParseText(text string) ParsedText {
	var p ParsedText
	var cur strings.Builder
	inPhrase := false
	flush := func() {
		s := strings.TrimSpace(cur.String())
		cur.Reset()
		if s == "" {
			return
		}
		if inPhrase {
			p.Phrases = append(p.Phrases, s)
		} else {
			p.Words = append(p.Words, s)
		}
	}
	for _, r := range text {
		switch {
		case r == '"' || r == '“' || r == '”' || r == '「' || r == '」' || r == '＂':
			flush()
			inPhrase = !inPhrase
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
	if catalogue.NormalizeDocNo(h.DocNo) == catalogue.NormalizeDocNo(text) {
		return true
	}
	want, ok1 := catalogue.ParseDocNo(text)
	have, ok2 := catalogue.ParseDocNo(h.DocNo)
	return ok1 && ok2 && want.Prefix == "" && want.Year == have.Year && want.Serial == have.Serial
}
