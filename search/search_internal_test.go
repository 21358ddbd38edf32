package search

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gongkai/catalogue"
	"gongkai/indexer"
)

// TestShortTitleClauseOnlyWhenSomeEntryHasIt: the short-title clause is
// built for a short title an entry has and left out for any other text,
// and is built again once an entry with that short title is indexed.
func TestShortTitleClauseOnlyWhenSomeEntryHasIt(t *testing.T) {
	ctx := t.Context()
	x := mustOpenIndex(t)
	if err := x.IndexPublic(ctx, archivesEntry("a", "中华人民共和国档案法")); err != nil {
		t.Fatal(err)
	}
	if x.shortTitleQuery(ctx, "档案法") == nil {
		t.Error("no short-title clause for 档案法, which an entry has")
	}
	if x.shortTitleQuery(ctx, "档案") != nil {
		t.Error("a short-title clause for 档案, which no entry has")
	}
	if err := x.IndexPublic(ctx, archivesEntry("b", "档案")); err != nil {
		t.Fatal(err)
	}
	if x.shortTitleQuery(ctx, "档案") == nil {
		t.Error("no short-title clause for 档案 after an entry titled 档案 was indexed")
	}
}

// TestWordsOnlyInTitleOrKeywordsAreFound: a word must be in the text
// field, which holds the title and the 主题词 as well: an entry whose body
// lacks the word is found by it, sorted by relevance and by date, and a
// title match ranks above a body match.
func TestWordsOnlyInTitleOrKeywordsAreFound(t *testing.T) {
	ctx := t.Context()
	x := mustOpenIndex(t)
	entry := func(id, title, body string, keywords ...string) *catalogue.PublicEntry {
		return &catalogue.PublicEntry{ID: id, Content: &catalogue.Content{Title: title, Body: body, Keywords: keywords,
			FormedAt: catalogue.DateOf(time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC))}}
	}
	if err := x.IndexPublic(ctx,
		entry("body", "关于做好防汛工作的通知", "各单位要优化营商环境，做好防汛准备。"),
		entry("title", "优化营商环境若干措施", "为了推动高质量发展，制定本措施。"),
		entry("keywords", "关于印发工作要点的通知", "现将工作要点印发给你们。", "营商环境"),
	); err != nil {
		t.Fatal(err)
	}
	for _, sort := range []string{SortRelevance, SortDate} {
		res, err := x.Search(ctx, Query{Text: "营商环境", Sort: sort})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if !slices.Contains(ids, "title") || !slices.Contains(ids, "keywords") || !slices.Contains(ids, "body") {
			t.Errorf("sort %s: hits %v, want the entries with 营商环境 in title, 主题词 and body", sort, ids)
		}
		if sort == SortRelevance && (len(ids) == 0 || ids[0] == "body") {
			t.Errorf("by relevance: hits %v, want the body match after those in title or 主题词", ids)
		}
	}
}

// archivesEntry is a public entry with that title and a body about 档案.
func archivesEntry(id, title string) *catalogue.PublicEntry {
	return &catalogue.PublicEntry{ID: id, Content: &catalogue.Content{Title: title, Body: "为了规范档案管理，制定本法。"}}
}

// titledEntry is a public entry whose body is its title.
func titledEntry(id, title string) *catalogue.PublicEntry {
	return &catalogue.PublicEntry{ID: id, Content: &catalogue.Content{Title: title, Body: title + "。"}}
}

// mustOpenIndex opens a new empty index, closed when the test ends.
func mustOpenIndex(t *testing.T) *Index {
	t.Helper()
	x, _, err := OpenIndex(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

// TestDatesShownFilteredAndSorted: a hit shows the three dates of its
// entry (发布日期 only stored, not indexed), 生成日期 filters a range and
// the update date orders the feed.
func TestDatesShownFilteredAndSorted(t *testing.T) {
	ctx := t.Context()
	x := mustOpenIndex(t)
	day := func(d int) time.Time { return time.Date(2024, 5, d, 2, 0, 0, 0, time.UTC) }
	entry := func(id string, formed, published, updated int) *catalogue.PublicEntry {
		return &catalogue.PublicEntry{ID: id, PublishedAt: day(published), UpdatedAt: day(updated),
			Content: &catalogue.Content{Title: "关于档案工作的通知", Body: "做好档案工作。", FormedAt: catalogue.DateOf(day(formed))}}
	}
	if err := x.IndexPublic(ctx, entry("a", 1, 2, 9), entry("b", 3, 4, 5), entry("c", 6, 7, 8)); err != nil {
		t.Fatal(err)
	}
	ids := func(q Query) []string {
		t.Helper()
		res, err := x.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		return ids
	}
	res, err := x.Search(ctx, Query{Text: "档案", Filters: Filters{From: catalogue.DateOf(day(3)), To: catalogue.DateOf(day(3))}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 {
		t.Fatalf("生成日期 2024-05-03: %d hits, want b", len(res.Hits))
	}
	if h := res.Hits[0]; h.ID != "b" || h.FormedAt != catalogue.DateOf(day(3)) || h.PublishedAt != catalogue.DateOf(day(4)) || h.UpdatedAt != catalogue.DateOf(day(5)) {
		t.Errorf("hit %s dates %v / %v / %v, want b with 2024-05-03 / 04 / 05", h.ID, h.FormedAt, h.PublishedAt, h.UpdatedAt)
	}
	if got := ids(Query{Sort: SortUpdated}); !slices.Equal(got, []string{"a", "c", "b"}) {
		t.Errorf("by update: %v, want a c b", got)
	}
	if got := ids(Query{Sort: SortDate}); !slices.Equal(got, []string{"c", "b", "a"}) {
		t.Errorf("by date: %v, want c b a", got)
	}
}

// TestWordAcrossACut: 数据安全, which gse's cut of 统计数据安全管理 runs
// through, is found as a word and in the phrases the text holds, and not
// in one it does not.
func TestWordAcrossACut(t *testing.T) {
	ctx := t.Context()
	x := mustOpenIndex(t)
	if err := x.IndexPublic(ctx, &catalogue.PublicEntry{ID: "a", Content: &catalogue.Content{
		Title: "关于统计工作的通知", Body: "要求加强统计数据安全管理。"}}); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{`数据安全`: 1, `"数据安全管理"`: 1, `"统计数据安全"`: 1, `"加强数据安全"`: 0} {
		res, err := x.Search(ctx, Query{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != uint64(want) {
			t.Errorf("%s: %d hits, want %d", q, res.Total, want)
		}
	}
}

// TestNoWordAcrossParts: the title, summary and body of an entry are
// parts of one text field, yet no word and no phrase reaches from one
// into the next; a word that a blank line breaks inside the body (as the
// PDF text of seed000 has 设\n\n施 and 履行\n\n职责) is still found, as
// is one broken by a paragraph separator pasted into the body.
func TestNoWordAcrossParts(t *testing.T) {
	ctx := t.Context()
	x := mustOpenIndex(t)
	body, err := os.ReadFile("../indexer/testdata/seed000.txt")
	if err != nil {
		t.Fatal(err)
	}
	if err := x.IndexPublic(ctx,
		&catalogue.PublicEntry{ID: "parts", Content: &catalogue.Content{
			Title: "关于整理城建档案", Summary: "管理办法印发说明", Body: "请各单位认真执行。"}},
		&catalogue.PublicEntry{ID: "seed000", Content: &catalogue.Content{
			Title: "市工业和信息化局政府信息主动公开工作制度", Body: string(body)}},
		&catalogue.PublicEntry{ID: "pasted", Content: &catalogue.Content{
			Title: "关于信息", Body: "加强城乡\u2029规划工作。"}},
	); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string][]string{
		`档案管理`:     nil,
		`"档案管理"`:   nil,
		`"档案"`:     {"parts"},
		`"说明请各单位"`: nil,
		`城乡规划`:     {"pasted"},
		`"城乡规划"`:   {"pasted"},
		`设施`:       {"seed000"},
		`"依法履行职责"`: {"seed000"},
		`监督权`:      {"seed000"},
	} {
		_, ids := mustSearchIDs(t, x, q)
		if !slices.Equal(ids, want) {
			t.Errorf("%s: hits %v, want %v", q, ids, want)
		}
	}
}

// TestHighlightsFoldedOnlyWhereNeeded: an entry whose title and body are
// in traditional characters or capitals is marked where the simplified,
// lower-case query matches, as is one whose text the indexer found needs
// no folding; the field that tells them apart is stored for the one and
// read by the highlighter only.
func TestHighlightsFoldedOnlyWhereNeeded(t *testing.T) {
	ctx := t.Context()
	x := mustOpenIndex(t)
	if err := x.IndexPublic(ctx,
		&catalogue.PublicEntry{ID: "trad", Content: &catalogue.Content{Title: "國民經濟GDP統計通知", Body: "做好國民經濟GDP統計工作。"}},
		&catalogue.PublicEntry{ID: "plain", Content: &catalogue.Content{Title: "国民经济gdp统计通知", Body: "做好国民经济gdp统计工作。"}},
	); err != nil {
		t.Fatal(err)
	}
	res, err := x.Search(ctx, Query{Text: "国民经济 gdp", Highlight: true})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]string{
		"trad":  {"<mark>國民經濟GDP</mark>統計通知", "做好<mark>國民經濟GDP</mark>統計工作。"},
		"plain": {"<mark>国民经济gdp</mark>统计通知", "做好<mark>国民经济gdp</mark>统计工作。"},
	}
	if len(res.Hits) != 2 {
		t.Fatalf("%d hits, want 2", len(res.Hits))
	}
	for _, h := range res.Hits {
		w := want[h.ID]
		title, body := h.Highlights["title"], h.Highlights["body"]
		if !slices.Equal(title, []string{w[0]}) || !slices.Equal(body, []string{w[1]}) {
			t.Errorf("%s: title %q, body %q; want %q, %q", h.ID, title, body, w[0], w[1])
		}
	}
	// The indexer marks the plain entry's texts, not the other's; the
	// highlighter reads the mark and leaves neither it nor the body.
	sr, err := x.fetch(ctx, []string{"plain", "trad"}, []string{indexer.FieldTitle, indexer.FieldBody, indexer.FieldPlain}, nil)
	if err != nil || len(sr.Hits) != 2 {
		t.Fatalf("fetch: %v, %v", sr, err)
	}
	if got := sr.Hits[0].Fields[indexer.FieldPlain]; got != "title body" {
		t.Errorf("plain entry: stored %s = %v, want \"title body\"", indexer.FieldPlain, got)
	}
	if got, ok := sr.Hits[1].Fields[indexer.FieldPlain]; ok {
		t.Errorf("traditional entry: stored %s = %v, want none", indexer.FieldPlain, got)
	}
	highlight(sr.Hits, newQueryTerms([]string{"国民经济"}))
	for _, h := range sr.Hits {
		for _, f := range []string{indexer.FieldPlain, indexer.FieldBody} {
			if _, ok := h.Fields[f]; ok {
				t.Errorf("%s: %s left among the fields after highlighting", h.ID, f)
			}
		}
	}
}

// TestDocumentNeedsTheBody: an index that stores no body (the staff
// index) refuses to stand in for the store, rather than show an entry
// without its body.
func TestDocumentNeedsTheBody(t *testing.T) {
	x, _, err := OpenIndexWith(filepath.Join(t.TempDir(), "index"), indexer.Options{WithoutBody: true})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if err := x.IndexPublic(t.Context(), archivesEntry("a", "档案法")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := x.Document(t.Context(), "a"); catalogue.ErrorCode(err) != catalogue.EINTERNAL {
		t.Errorf("Document without a stored body: %v, want EINTERNAL", err)
	}
}

// TestWarmReadsTheColumnsSearchesUse: after Warm, a search by date with
// facets uses the columns Warm read rather than reading them again. The
// index is written and opened again first, as the server finds it: Bleve
// replaces the snapshot of a fresh batch once it has written it to disk.
func TestWarmReadsTheColumnsSearchesUse(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "index")
	x, _, err := OpenIndex(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.IndexPublic(ctx, archivesEntry("a", "档案法"), archivesEntry("b", "档案工作规定")); err != nil {
		t.Fatal(err)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	if x, _, err = OpenIndex(dir); err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if err := x.Warm(); err != nil {
		t.Fatal(err)
	}
	warmed := x.columns.last
	if warmed == nil {
		t.Fatal("Warm read no columns")
	}
	for _, q := range []Query{{Sort: SortDate, Facets: true}, {Text: "档案", Sort: SortDate, Facets: true}} {
		res, err := x.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 2 {
			t.Errorf("%+v: %d hits, want 2", q, res.Total)
		}
		if x.columns.last != warmed {
			t.Errorf("%+v: the search read the columns again", q)
		}
	}
}

// TestDocNoQueryMarksNoSingleCharacters: a 文号 typed as the query finds
// its entry first, and the single characters it cuts into (韶, 工, 信,
// 号) are not marked all over the title and the text; its numbers are.
func TestDocNoQueryMarksNoSingleCharacters(t *testing.T) {
	ctx := t.Context()
	x := mustOpenIndex(t)
	if err := x.IndexPublic(ctx,
		&catalogue.PublicEntry{ID: "a", Content: &catalogue.Content{Title: "关于印发工作制度的通知", DocNo: "韶工信〔2019〕12号",
			Body: "各科室：现将工作制度印发给你们，请认真执行。信息公开工作于2019年启动。"}},
		&catalogue.PublicEntry{ID: "b", Content: &catalogue.Content{Title: "关于信息化工作的通知", Body: "做好信息化工作。"}},
	); err != nil {
		t.Fatal(err)
	}
	res, err := x.Search(ctx, Query{Text: "韶工信[2019]12号", Highlight: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || res.Hits[0].ID != "a" || res.Exact == "" {
		t.Fatalf("hits %+v (exact %q), want a first, found by its 文号", res.Hits, res.Exact)
	}
	for _, h := range res.Hits {
		for field, frags := range h.Highlights {
			for _, f := range frags {
				for _, c := range []string{"工", "信", "号", "韶"} {
					if strings.Contains(f, "<mark>"+c+"</mark>") {
						t.Errorf("%s %s: %q marks %s", h.ID, field, f, c)
					}
				}
			}
		}
	}
	if body := res.Hits[0].Highlights["body"]; len(body) == 0 || !strings.Contains(body[0], "<mark>2019</mark>") {
		t.Errorf("a: body fragments %q, want the year marked", body)
	}
}

// TestDocNoWithPartOfItsPrefix: a 文号 or 令号 typed with only the end of
// its organ prefix (公告第39号, 令第285号, 工信〔2019〕12号) puts the entry
// carrying it first and says it was found by its number; another serial
// does not find it.
func TestDocNoWithPartOfItsPrefix(t *testing.T) {
	ctx := t.Context()
	x := mustOpenIndex(t)
	entry := func(id, title, docNo string) *catalogue.PublicEntry {
		return &catalogue.PublicEntry{ID: id, Content: &catalogue.Content{Title: title, DocNo: docNo, Body: "本条例自公布之日起施行。"}}
	}
	if err := x.IndexPublic(ctx,
		entry("zj", "浙江省流动人口居住登记条例", "浙江省人民代表大会常务委员会公告第39号"),
		entry("hz", "杭州市安全生产监督管理条例", "杭州市第十一届人民代表大会常务委员会公告第39号"),
		entry("gwy", "个人存款账户实名制规定", "国务院令第285号"),
		entry("sg", "关于印发工作制度的通知", "韶工信〔2019〕12号"),
	); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string][]string{
		"浙江省人民代表大会常务委员会公告第39号": {"zj"},
		"省人民代表大会常务委员会公告第39号":   {"zj"},
		"常务委员会公告第39号":          {"hz", "zj"},
		"公告第三十九号":              {"hz", "zj"},
		"令第285号":               {"gwy"},
		"院令（第285号）":            {"gwy"},
		"工信[2019]12号":          {"sg"},
		"公告第3号":                nil,
		"令第28号":                nil,
	} {
		res, ids := mustSearchIDs(t, x, q)
		if !slices.Equal(ids, want) {
			t.Errorf("%s: hits %v, want %v", q, ids, want)
		}
		if len(want) > 0 && res.Exact == "" {
			t.Errorf("%s: not said to be found by its number", q)
		}
	}
}

// mustSearchIDs searches x for text and returns the result and its hits'
// ids, sorted.
func mustSearchIDs(t *testing.T, x *Index, text string) (*Result, []string) {
	t.Helper()
	res, err := x.Search(t.Context(), Query{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	slices.Sort(ids)
	return res, ids
}

// TestPinyinFromASyllableStart: typed pinyin matches a title's full
// pinyin from the start of one of its syllables only, and its initials
// anywhere.
func TestPinyinFromASyllableStart(t *testing.T) {
	x := mustOpenIndex(t)
	if err := x.IndexPublic(t.Context(),
		archivesEntry("jiandu", "档案监督检查办法"),    // dang'an'jian'du
		archivesEntry("anding", "安定团结档案工作规定"),  // an'ding
		archivesEntry("gonggong", "公共档案馆管理条例"), // gong'gong
	); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string][]string{
		"and":      {"anding"},                       // not the and of dang'an'jian'du
		"jiandu":   {"jiandu"},                       // from a syllable start
		"ANDing":   {"anding"},                       // any case
		"ong":      nil,                              // no syllable begins so
		"gonggong": {"gonggong"},                     // several syllables
		"ngjiandu": nil,                              // from inside a syllable
		"dajdjc":   {"jiandu"},                       // initials: 档案监督检查
		"dagz":     {"anding"},                       // initials from the middle: 档案工作
		"dingtuan": {"anding"},                       // 定团, a title's middle
		"dangan":   {"anding", "gonggong", "jiandu"}, // 档案, in all three
		"ｊｉａｎｄｕ":   {"jiandu"},                       // in full width
		"jiāndū":   {"jiandu"},                       // with tone marks
	} {
		if _, got := mustSearchIDs(t, x, q); !slices.Equal(got, want) {
			t.Errorf("%q: found %v, want %v", q, got, want)
		}
	}
}

// TestMinusExcludesAWord: a word typed with a minus before it (half or
// full width) leaves out the entries that hold it, scored as without it;
// a minus inside a word only separates, and a query of excluded words
// alone is refused with a message.
func TestMinusExcludesAWord(t *testing.T) {
	x := mustOpenIndex(t)
	if err := x.IndexPublic(t.Context(),
		titledEntry("rules", "档案工作规则"),
		titledEntry("protect", "档案保护条例"),
		titledEntry("both", "档案保护管理规定"),
	); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string][]string{
		"档案":          {"both", "protect", "rules"},
		"档案 -保护":      {"rules"},
		"档案 －保护":      {"rules"},
		"-保护 档案":      {"rules"},
		"档案 -保护管理":    {"protect", "rules"}, // every term of the excluded word
		"档案 - 保护":     {"both", "protect"},  // a minus on its own excludes nothing
		"档案 -条例 -规定":  {"rules"},
		"档案保护-管理":     {"both"},             // inside a word, a separator
		`档案 -"保护 管理"`: {"protect", "rules"}, // quoted: all it holds
		`档案 -“保护”`:    {"rules"},
	} {
		if _, got := mustSearchIDs(t, x, q); !slices.Equal(got, want) {
			t.Errorf("%q: found %v, want %v", q, got, want)
		}
	}
	// Excluded, the hits keep the scores they have without the minus.
	with, err := x.Search(t.Context(), Query{Text: "档案 -保护"})
	if err != nil {
		t.Fatal(err)
	}
	without, err := x.Search(t.Context(), Query{Text: "档案"})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range without.Hits {
		if h.ID == "rules" && (len(with.Hits) != 1 || with.Hits[0].Score != h.Score) {
			t.Errorf("rules scores %v with the excluded word, %v without", with.Hits, h.Score)
		}
	}
	for _, q := range []string{"-保护", "－保护 -条例"} {
		if _, err := x.Search(t.Context(), Query{Text: q}); catalogue.ErrorCode(err) != catalogue.EINVALID || !strings.Contains(catalogue.ErrorMessage(err), "减号") {
			t.Errorf("%q: err %v, want a message about the minus", q, err)
		}
	}
}

// TestSingleCharacterInTheWordsThatHoldIt: a character typed alone, or
// left over at the end of a word not finished (个人信), is found in the
// common words that hold it, not only where the text has it as a word of
// its own.
func TestSingleCharacterInTheWordsThatHoldIt(t *testing.T) {
	x := mustOpenIndex(t)
	if err := x.IndexPublic(t.Context(),
		titledEntry("vat", "增值税暂行条例"),
		titledEntry("levy", "税收征收管理法"),
		titledEntry("pipl", "个人信息保护法"),
		titledEntry("archives", "档案管理办法"),
	); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string][]string{
		"税":     {"levy", "vat"},
		"税 增值税": {"vat"},
		"个人信":   {"pipl"},
		"信":     {"pipl"},
		"档案 法":  {"archives"}, // 办法
	} {
		if _, got := mustSearchIDs(t, x, q); !slices.Equal(got, want) {
			t.Errorf("%q: found %v, want %v", q, got, want)
		}
	}
}
