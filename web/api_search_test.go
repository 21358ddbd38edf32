package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"gongkai/search"
)

// searchPath returns /api/v1/search with the parameters given as pairs.
func searchPath(kv ...string) string { return apiPath("/api/v1/search", kv...) }

func apiPath(path string, kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// MustSearch runs an API search that must succeed.
func (f *Fixture) MustSearch(tb testing.TB, kv ...string) searchJSON {
	tb.Helper()
	var res searchJSON
	f.GetJSON(tb, searchPath(kv...), http.StatusOK, &res)
	return res
}

// allHits returns every public entry, newest first, as the API lists them.
func allHits(tb testing.TB, f *Fixture) []hitJSON {
	tb.Helper()
	res := f.MustSearch(tb, "size", "100")
	if res.Total != len(res.Hits) {
		tb.Fatalf("browse all: total %d, %d hits", res.Total, len(res.Hits))
	}
	return res.Hits
}

func TestAPISearchResultShape(t *testing.T) {
	f := sharedServer(t)
	recs := MustRecords(t)
	rulesID := f.ID(t, lineRules)

	_, body := f.Get(t, searchPath("q", "工作制度"))
	var raw struct {
		Hits   []map[string]json.RawMessage `json:"hits"`
		Facets map[string]json.RawMessage   `json:"facets"`
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	var res searchJSON
	if err := json.Unmarshal(body, &res); err != nil {
		t.Fatal(err)
	}

	t.Run("TopLevelFieldsPresent", func(t *testing.T) {
		for _, k := range []string{"total", "page", "size", "took_ms", "hits", "facets"} {
			if _, ok := top[k]; !ok {
				t.Errorf("response lacks %q: %s", k, body)
			}
		}
		if res.Page != 1 || res.Size != search.DefaultSize || res.TookMS == nil || *res.TookMS < 0 {
			t.Errorf("page %d size %d took_ms %v, want 1, %d, ≥0", res.Page, res.Size, res.TookMS, search.DefaultSize)
		}
	})

	t.Run("HitHasEveryContractField", func(t *testing.T) {
		if len(raw.Hits) == 0 {
			t.Fatalf("no hits for 工作制度: %s", body)
		}
		for _, k := range []string{"id", "index_no", "title", "doc_no", "organ", "category", "topic", "doc_type",
			"summary", "formed_at", "published_at", "validity", "url", "highlights"} {
			if _, ok := raw.Hits[0][k]; !ok {
				t.Errorf("hit lacks %q: %s", k, body)
			}
		}
	})

	t.Run("HitCarriesTheEntrysCatalogueFields", func(t *testing.T) {
		if res.Total != 1 || res.Hits[0].ID != rulesID {
			t.Fatalf("工作制度: hits %v (total %d), want only %s", hitIDs(res.Hits), res.Total, rulesID)
		}
		r, h := recs[lineRules], res.Hits[0]
		want := hitJSON{
			ID: rulesID, IndexNo: r.IndexNo, Title: r.Title, DocNo: r.DocNo, Organ: r.Organ, Category: r.Category,
			Topic: r.Topic, DocType: r.DocType, Summary: r.Summary, FormedAt: r.FormedAt, PublishedAt: r.PublishedAt,
			Validity: r.Validity, URL: "/entries/" + rulesID,
		}
		got := h
		got.Highlights = nil
		if !reflect.DeepEqual(got, want) {
			t.Errorf("hit\n got %+v\nwant %+v", got, want)
		}
	})

	t.Run("HighlightsMarkTheWord", func(t *testing.T) {
		h := res.Hits[0].Highlights
		if len(h["title"]) == 0 || !strings.Contains(h["title"][0], "<mark>工作制度</mark>") {
			t.Errorf("title highlights %q lack <mark>工作制度</mark>", h["title"])
		}
		if len(h["body"]) == 0 || !strings.Contains(strings.Join(h["body"], ""), "<mark>工作制度</mark>") {
			t.Errorf("body highlights %q lack <mark>工作制度</mark>", h["body"])
		}
	})

	t.Run("FacetsHaveValueAndCount", func(t *testing.T) {
		for _, name := range []string{"category", "organ", "year", "doc_type"} {
			var vals []map[string]json.RawMessage
			if err := json.Unmarshal(raw.Facets[name], &vals); err != nil || len(vals) == 0 {
				t.Errorf("facet %q = %s, want a non-empty list", name, raw.Facets[name])
				continue
			}
			for _, v := range vals {
				if len(v) != 2 || v["value"] == nil || v["count"] == nil {
					t.Errorf("facet %q value %v, want exactly {value, count}", name, v)
				}
			}
		}
		if got := res.Facets["year"]; len(got) != 1 || got[0] != (facetJSON{"2019", 1}) {
			t.Errorf("year facet %v, want [{2019 1}]", got)
		}
	})
}

func TestAPISearchText(t *testing.T) {
	f := sharedServer(t)
	rulesID := f.ID(t, lineRules)

	t.Run("WordsAreANDed", func(t *testing.T) {
		a := f.MustSearch(t, "q", "安全生产")
		b := f.MustSearch(t, "q", "韶关")
		both := f.MustSearch(t, "q", "安全生产 韶关")
		var want []string
		for _, id := range hitIDs(a.Hits) {
			if slices.Contains(hitIDs(b.Hits), id) {
				want = append(want, id)
			}
		}
		got := hitIDs(both.Hits)
		sort.Strings(got)
		sort.Strings(want)
		if !slices.Equal(got, want) || both.Total != len(want) {
			t.Errorf("安全生产 韶关: %v (total %d), want the intersection %v", got, both.Total, want)
		}
		if len(want) != 1 || want[0] != f.ID(t, lineAbolished) || a.Total < 2 || b.Total < 2 {
			t.Errorf("the test data no longer separates the words: 安全生产 %d, 韶关 %d, both %v", a.Total, b.Total, want)
		}
	})

	t.Run("QuotedPhraseMatchesOnlyAdjacentWords", func(t *testing.T) {
		loose := f.MustSearch(t, "q", "年度工作报告")
		phrase := f.MustSearch(t, "q", `"年度工作报告"`)
		if loose.Total < 2 {
			t.Fatalf("年度工作报告 unquoted: %d hits, want the report and the rules", loose.Total)
		}
		if phrase.Total != 1 || phrase.Hits[0].ID != rulesID {
			t.Errorf(`"年度工作报告": %v, want only the rules %s, whose body has the words side by side`, hitIDs(phrase.Hits), rulesID)
		}
		chinese := f.MustSearch(t, "q", "“年度工作报告”")
		if !slices.Equal(hitIDs(chinese.Hits), hitIDs(phrase.Hits)) {
			t.Errorf("“年度工作报告” in Chinese quotes: %v, want %v", hitIDs(chinese.Hits), hitIDs(phrase.Hits))
		}
	})

	for name, q := range map[string]string{
		"DocNoAsWritten":           rulesDocNo,
		"DocNoSquareBrackets":      "韶工信[2019]12号",
		"DocNoParenthesesAndZeros": "韶工信（2019）第012号",
		"DocNoFullWidthLenticular": "韶工信【２０１９】１２号",
		"DocNoWithoutPrefix":       "〔2019〕12号",
		"DocNoWithSpaces":          " 韶工信 〔2019〕 12号 ",
		"IndexNo":                  rulesIndexNo,
	} {
		t.Run(name+"PutsTheEntryFirst", func(t *testing.T) {
			res := f.MustSearch(t, "q", q)
			if len(res.Hits) == 0 || res.Hits[0].ID != rulesID {
				t.Errorf("q=%q: hits %v, want %s first", q, hitIDs(res.Hits), rulesID)
			}
		})
	}

	// catalogue.LooksLikeIndexNo accepts a 索引号 typed in full width, with
	// spaces or with a lower-case check letter, but search/search.go
	// exactQuery looks the raw text up in index_no, so these find nothing.
	t.Run("IndexNoVariantsPutTheEntryFirst", func(t *testing.T) {
		for _, q := range []string{"11440200007041827Ｘ／2019－00012", "11440200007041827x/2019-00012", "11440200007041827X / 2019-00012"} {
			res := f.MustSearch(t, "q", q)
			if len(res.Hits) == 0 || res.Hits[0].ID != rulesID {
				t.Errorf("q=%q: hits %v, want %s first", q, hitIDs(res.Hits), rulesID)
			}
		}
	})

	t.Run("DocNoRanksTheEntryAboveOneCitingIt", func(t *testing.T) {
		res := f.MustSearch(t, "q", rulesDocNo)
		want := []string{rulesID, f.ID(t, lineReport)} // the report's body cites the rules by 文号
		if !slices.Equal(hitIDs(res.Hits), want) {
			t.Errorf("q=%s: %v, want %v", rulesDocNo, hitIDs(res.Hits), want)
		}
	})

	t.Run("OtherDocNoPutsItsEntryFirst", func(t *testing.T) {
		res := f.MustSearch(t, "q", "韶府(2020)31号")
		if len(res.Hits) == 0 || res.Hits[0].ID != f.ID(t, lineAbolished) {
			t.Errorf("韶府(2020)31号: hits %v, want %s first", hitIDs(res.Hits), f.ID(t, lineAbolished))
		}
	})

	t.Run("HighlightIsEscaped", func(t *testing.T) {
		res := f.MustSearch(t, "q", "增加值")
		if len(res.Hits) != 1 || res.Hits[0].ID != f.ID(t, lineStats) {
			t.Fatalf("增加值: hits %v, want only %s", hitIDs(res.Hits), f.ID(t, lineStats))
		}
		snippet := strings.Join(res.Hits[0].Highlights["body"], " ")
		if !strings.Contains(snippet, "<mark>增加值</mark>") {
			t.Errorf("snippet %q lacks <mark>增加值</mark>", snippet)
		}
		if !strings.Contains(snippet, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Errorf("snippet %q lacks the escaped &lt;script&gt;", snippet)
		}
		for _, frag := range append(res.Hits[0].Highlights["title"], res.Hits[0].Highlights["body"]...) {
			if s := strings.NewReplacer("<mark>", "", "</mark>", "").Replace(frag); strings.ContainsAny(s, "<>") {
				t.Errorf("fragment %q has markup other than <mark>", frag)
			}
		}
	})

	t.Run("SortDateIsNewestFirst", func(t *testing.T) {
		res := f.MustSearch(t, "q", "韶关", "sort", "date")
		if res.Total < 3 {
			t.Fatalf("韶关: %d hits, too few to check the order", res.Total)
		}
		mustNewestFirst(t, res.Hits)
	})

	t.Run("NoTextListsEverythingNewestFirst", func(t *testing.T) {
		res := f.MustSearch(t)
		if res.Total != catalogueSize {
			t.Errorf("browse: total %d, want %d", res.Total, catalogueSize)
		}
		mustNewestFirst(t, res.Hits)
		if res.Hits[0].ID != f.ID(t, lineFunctions) {
			t.Errorf("browse: first %s, want the newest %s", res.Hits[0].ID, f.ID(t, lineFunctions))
		}
	})

	t.Run("SyntaxOfOtherEnginesIsPlainText", func(t *testing.T) {
		// Punctuation alone has nothing to search: a clear 400, not a 500.
		if resp, body := f.Get(t, searchPath("q", `+-:^*"~()`)); resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "没有可以检索的文字") {
			t.Errorf(`q=+-:^*"~(): status %d, want 400 with a clear message; body %s`, resp.StatusCode, body)
		}
		for _, q := range []string{"title:foo", "a AND b", "工作制度 OR 年度报告", "韶关~2", "title:韶关", "[2019"} {
			resp, body := f.Get(t, searchPath("q", q))
			if resp.StatusCode != http.StatusOK {
				t.Errorf("q=%q: status %d, want 200; body %s", q, resp.StatusCode, body)
			}
		}
		res := f.MustSearch(t, "q", "title:韶关")
		if want := f.MustSearch(t, "q", "title 韶关"); !slices.Equal(hitIDs(res.Hits), hitIDs(want.Hits)) {
			t.Errorf("title:韶关 = %v, want the same as the words title 韶关: %v", hitIDs(res.Hits), hitIDs(want.Hits))
		}
	})

	// Input with nothing to search for may be refused, but as the user's
	// mistake (400 with the error body), never as a server error.
	t.Run("PunctuationIsNeverAServerError", func(t *testing.T) {
		for _, q := range []string{`"`, `"未闭合的引号`, `\`, `((((`, "*", "?", "{}", "!", "&&", "||", "%", "/.*/",
			"<script>alert(1)</script>", "的", "\x00", "\u200b", "'; DROP TABLE entries; --", "　", "〔〕号"} {
			resp, body := f.Get(t, searchPath("q", q))
			switch resp.StatusCode {
			case http.StatusOK:
			case http.StatusBadRequest:
				MustError(t, body, "invalid")
			default:
				t.Errorf("q=%q: status %d, want 200 or 400; body %s", q, resp.StatusCode, body)
			}
		}
	})

	t.Run("OverlongTextIs400", func(t *testing.T) {
		resp, body := f.Get(t, searchPath("q", strings.Repeat("检", 10_000)))
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("status %d, want 400", resp.StatusCode)
		}
		MustError(t, body, "invalid")
	})
}

func mustNewestFirst(tb testing.TB, hits []hitJSON) {
	tb.Helper()
	for i := 1; i < len(hits); i++ {
		a, b := hits[i-1], hits[i]
		if a.PublishedAt < b.PublishedAt || a.PublishedAt == "" {
			tb.Errorf("hit %d published %q before hit %d published %q: not newest first", i-1, a.PublishedAt, i, b.PublishedAt)
		}
	}
}

func TestAPISearchFilters(t *testing.T) {
	f := sharedServer(t)
	all := allHits(t, f)
	browse := f.MustSearch(t)

	field := map[string]func(hitJSON) string{
		"category": func(h hitJSON) string { return h.Category },
		"organ":    func(h hitJSON) string { return h.Organ },
		"year":     func(h hitJSON) string { return h.FormedAt[:4] },
		"doc_type": func(h hitJSON) string { return h.DocType },
		"topic":    func(h hitJSON) string { return h.Topic },
	}
	for _, name := range []string{"category", "organ", "year", "doc_type"} {
		t.Run(name+"FacetCountsMatchFilteredTotals", func(t *testing.T) {
			facet := browse.Facets[name]
			sum := 0
			for _, v := range facet {
				sum += v.Count
				res := f.MustSearch(t, name, v.Value, "size", "100")
				if res.Total != v.Count {
					t.Errorf("%s=%s: total %d, facet said %d", name, v.Value, res.Total, v.Count)
				}
				var want []string
				for _, h := range all {
					if field[name](h) == v.Value {
						want = append(want, h.ID)
					}
				}
				if got := hitIDs(res.Hits); !slices.Equal(got, want) {
					t.Errorf("%s=%s: hits %v, want %v", name, v.Value, got, want)
				}
				if fv := res.Facets[name]; len(fv) != 1 || fv[0] != v {
					t.Errorf("%s=%s: facet %v, want only %v", name, v.Value, fv, v)
				}
			}
			if sum != browse.Total {
				t.Errorf("%s facet counts sum to %d, total is %d", name, sum, browse.Total)
			}
		})
	}

	t.Run("YearFacetIsNewestFirst", func(t *testing.T) {
		years := browse.Facets["year"]
		if !sort.SliceIsSorted(years, func(i, j int) bool { return years[i].Value > years[j].Value }) {
			t.Errorf("year facet %v is not newest first", years)
		}
	})

	t.Run("FiltersCombineWithText", func(t *testing.T) {
		res := f.MustSearch(t, "q", "韶关", "organ", "韶关市人民政府")
		want := []string{f.ID(t, lineDigital), f.ID(t, lineAbolished)}
		got := hitIDs(res.Hits)
		sort.Strings(got)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("韶关 organ=韶关市人民政府: %v, want %v", got, want)
		}
	})

	t.Run("UnknownValueFindsNothing", func(t *testing.T) {
		if res := f.MustSearch(t, "organ", "不存在的机关"); res.Total != 0 || len(res.Hits) != 0 {
			t.Errorf("organ=不存在的机关: %d hits", res.Total)
		}
	})

	t.Run("DateRangeIsInclusiveOnFormedAt", func(t *testing.T) {
		from, to := "2021-01-20", "2022-11-11" // the 生成日期 of lineReport and lineLetter
		res := f.MustSearch(t, "from", from, "to", to, "size", "100")
		var want []string
		for _, h := range all {
			if h.FormedAt >= from && h.FormedAt <= to {
				want = append(want, h.ID)
			}
		}
		if got := hitIDs(res.Hits); !slices.Equal(got, want) || len(want) != 4 {
			t.Errorf("from %s to %s: %v, want %v (4 entries)", from, to, got, want)
		}
		if only := f.MustSearch(t, "from", "2024-02-01"); only.Total != 1 || only.Hits[0].ID != f.ID(t, lineFunctions) {
			t.Errorf("from 2024-02-01: %v, want only %s", hitIDs(only.Hits), f.ID(t, lineFunctions))
		}
		if none := f.MustSearch(t, "to", "2019-05-14"); none.Total != 0 {
			t.Errorf("to 2019-05-14: %v, want nothing", hitIDs(none.Hits))
		}
	})

	t.Run("ValidityFilter", func(t *testing.T) {
		res := f.MustSearch(t, "validity", "失效")
		if res.Total != 1 || res.Hits[0].ID != f.ID(t, lineAbolished) {
			t.Errorf("validity=失效: %v, want only %s", hitIDs(res.Hits), f.ID(t, lineAbolished))
		}
	})
}

func TestAPISearchPaging(t *testing.T) {
	f := sharedServer(t)
	all := allHits(t, f)

	t.Run("Page2ContinuesWherePage1Ends", func(t *testing.T) {
		p1 := f.MustSearch(t, "size", "4")
		p2 := f.MustSearch(t, "size", "4", "page", "2")
		p3 := f.MustSearch(t, "size", "4", "page", "3")
		if p2.Page != 2 || p2.Size != 4 || p2.Total != catalogueSize {
			t.Errorf("page 2: page %d size %d total %d", p2.Page, p2.Size, p2.Total)
		}
		got := slices.Concat(hitIDs(p1.Hits), hitIDs(p2.Hits), hitIDs(p3.Hits))
		if !slices.Equal(got, hitIDs(all)) {
			t.Errorf("pages of 4: %v, want %v", got, hitIDs(all))
		}
		if len(p3.Hits) != 2 {
			t.Errorf("page 3 of 4: %d hits, want 2", len(p3.Hits))
		}
	})

	t.Run("SizeIsCappedAtMax", func(t *testing.T) {
		res := f.MustSearch(t, "size", "1000")
		if res.Size != search.MaxPageSize {
			t.Errorf("size=1000: size %d, want %d", res.Size, search.MaxPageSize)
		}
	})

	t.Run("LastPageWithinDepthIs200", func(t *testing.T) {
		res := f.MustSearch(t, "q", "信息", "size", "20", "page", "50")
		if len(res.Hits) != 0 || res.Total == 0 {
			t.Errorf("page 50: %d hits, total %d", len(res.Hits), res.Total)
		}
	})

	// The catalogue without words is paged to its end, much further than
	// a search.
	t.Run("BrowsePastSearchDepthIs200", func(t *testing.T) {
		res := f.MustSearch(t, "size", "20", "page", "51")
		if len(res.Hits) != 0 || res.Total != catalogueSize {
			t.Errorf("page 51 without words: %d hits, total %d", len(res.Hits), res.Total)
		}
	})

	for name, kv := range map[string][]string{
		"PagePastDepthLimit":    {"q", "信息", "size", "20", "page", "51"},
		"PagePastDepthLimitMax": {"q", "信息", "size", "100", "page", "11"},
		"ScoredPastDepthLimit":  {"sort", "relevance", "size", "20", "page", "51"},
		"BrowsePastDepthLimit":  {"size", "100", "page", "1001"},
		"PageZero":              {"page", "0"},
		"PageNegative":          {"page", "-1"},
		"PageNotANumber":        {"page", "二"},
		"PageHuge":              {"page", "99999999999999999999"},
		"SizeZero":              {"size", "0"},
		"SizeNotANumber":        {"size", "ten"},
		"SortUnknown":           {"sort", "title"},
		"YearNotAYear":          {"year", "19"},
		"FromImpossibleDate":    {"from", "2019-02-30"},
		"ToNotADate":            {"to", "yesterday"},
		"ToBeforeFrom":          {"from", "2020-01-02", "to", "2020-01-01"},
		"TextNotUTF8":           {"q", "\xff\xfe"},
	} {
		t.Run(name+"Is400", func(t *testing.T) {
			resp, body := f.Get(t, searchPath(kv...))
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("%v: status %d, want 400; body %s", kv, resp.StatusCode, body)
			}
			MustError(t, body, "invalid")
		})
	}
}

func TestAPICatalogue(t *testing.T) {
	f := sharedServer(t)
	all := allHits(t, f)

	t.Run("NewestFirstWithoutFacetsOrHighlights", func(t *testing.T) {
		var top map[string]json.RawMessage
		body := f.GetJSON(t, "/api/v1/catalogue", http.StatusOK, &top)
		var keys []string
		for k := range top {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if !slices.Equal(keys, []string{"hits", "page", "size", "total"}) {
			t.Errorf("catalogue keys %v, want hits, page, size, total", keys)
		}
		if strings.Contains(string(body), "highlights") || strings.Contains(string(body), "<mark>") {
			t.Errorf("catalogue has highlights: %s", body)
		}
		var res searchJSON
		if err := json.Unmarshal(body, &res); err != nil {
			t.Fatal(err)
		}
		if res.Total != catalogueSize || len(res.Hits) != catalogueSize || res.Page != 1 || res.Size != search.DefaultSize {
			t.Errorf("catalogue: total %d, %d hits, page %d, size %d", res.Total, len(res.Hits), res.Page, res.Size)
		}
		mustNewestFirst(t, res.Hits)
		if !slices.Equal(hitIDs(res.Hits), hitIDs(all)) {
			t.Errorf("catalogue order %v, want %v", hitIDs(res.Hits), hitIDs(all))
		}
	})

	t.Run("TextIsIgnored", func(t *testing.T) {
		var res searchJSON
		f.GetJSON(t, apiPath("/api/v1/catalogue", "q", "增加值"), http.StatusOK, &res)
		if res.Total != catalogueSize {
			t.Errorf("catalogue?q=增加值: total %d, want the whole catalogue %d", res.Total, catalogueSize)
		}
	})

	t.Run("Paging", func(t *testing.T) {
		var res searchJSON
		f.GetJSON(t, apiPath("/api/v1/catalogue", "size", "3", "page", "2"), http.StatusOK, &res)
		if res.Page != 2 || res.Size != 3 || !slices.Equal(hitIDs(res.Hits), hitIDs(all[3:6])) {
			t.Errorf("page 2 of 3: page %d size %d hits %v, want %v", res.Page, res.Size, hitIDs(res.Hits), hitIDs(all[3:6]))
		}
	})

	for name, kv := range map[string][]string{
		"Category": {"category", "政策法规及规范性文件"},
		"Organ":    {"organ", "韶关市人民政府"},
		"Year":     {"year", "2019"},
		"DocType":  {"doc_type", "通知"},
		"Topic":    {"topic", "综合政务"},
	} {
		t.Run(name+"FilterNarrows", func(t *testing.T) {
			var res searchJSON
			f.GetJSON(t, apiPath("/api/v1/catalogue", append(kv, "size", "100")...), http.StatusOK, &res)
			var want []string
			for _, h := range all {
				v := map[string]string{"category": h.Category, "organ": h.Organ, "year": h.FormedAt[:4], "doc_type": h.DocType, "topic": h.Topic}[kv[0]]
				if v == kv[1] {
					want = append(want, h.ID)
				}
			}
			if got := hitIDs(res.Hits); len(want) < 2 || len(want) == catalogueSize || !slices.Equal(got, want) || res.Total != len(want) {
				t.Errorf("%s=%s: %v (total %d), want %v", kv[0], kv[1], got, res.Total, want)
			}
		})
	}

	t.Run("BadPageIs400", func(t *testing.T) {
		resp, body := f.Get(t, "/api/v1/catalogue?page=x")
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("status %d, want 400", resp.StatusCode)
		}
		MustError(t, body, "invalid")
	})
}
