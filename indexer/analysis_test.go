package indexer_test

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"gongkai/indexer"
	"gongkai/indexer/analysis/gsetokenizer"
)

// TestMain loads a user word, in traditional characters, the way the
// service loads its user dictionary: before any index is opened.
func TestMain(m *testing.M) {
	if err := indexer.LoadUserDict([]string{"粵省事", " "}); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

func MustOpen(tb testing.TB, dir string) *indexer.Index {
	tb.Helper()
	x, err := indexer.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { x.Close() })
	return x
}

func MustReadFile(tb testing.TB, path string) string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// testDocuments are the real documents of testdata, and a few made up to
// show one thing each.
func testDocuments(tb testing.TB) []indexer.Document {
	day := func(s string) time.Time {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			tb.Fatal(err)
		}
		return t
	}
	return []indexer.Document{
		{ID: "law_ogi", Title: "中华人民共和国政府信息公开条例", Organ: "国务院", DocNo: "国务院令第711号",
			Body: MustReadFile(tb, "testdata/law_ogi.txt"), FormedAt: day("2019-04-03")},
		{ID: "law_pipl", Title: "中华人民共和国个人信息保护法", Organ: "全国人民代表大会常务委员会",
			Body: MustReadFile(tb, "testdata/law_pipl.txt"), FormedAt: day("2021-08-20")},
		{ID: "seed000", Title: "关于印发《市工业和信息化局政府信息主动公开工作制度》的通知",
			Organ: "韶关市工业和信息化局", DocNo: "韶工信〔2019〕12号", IndexNo: "11440200007041827X/2019-00012",
			Body: MustReadFile(tb, "testdata/seed000.txt"), FormedAt: day("2019-12-02")},
		{ID: "report1954", Title: "1954年政府工作报告", Organ: "国务院",
			Body: MustReadFile(tb, "testdata/report1954.txt"), FormedAt: day("1954-09-23")},
		{ID: "fullwidth", Title: "关于ＡＢＣ１２３型设备的说明", Body: "型号ＡＢＣ１２３的设备。"},
		{ID: "latin", Title: "abc123 型设备", Summary: "设备型号 ABC123。"},
		{ID: "userword", Title: "粤省事使用说明", Body: "下载粤省事，查询政务信息。"},
	}
}

func MustTestIndex(tb testing.TB) *indexer.Index {
	tb.Helper()
	x := MustOpen(tb, tb.TempDir()+"/index")
	if err := x.Index(context.Background(), testDocuments(tb)...); err != nil {
		tb.Fatal(err)
	}
	return x
}

var textFields = []string{indexer.FieldTitle, indexer.FieldText}

// wordsQuery asks for every analysed term in the title or the text field:
// a check of the analysis at the index, simpler than the queries the
// search package builds.
func wordsQuery(tb testing.TB, x *indexer.Index, words string) query.Query {
	tb.Helper()
	a := x.Bleve().Mapping().AnalyzerNamed(indexer.QueryAnalyzer)
	if a == nil {
		tb.Fatal("no query analyzer")
	}
	var all []query.Query
	for _, tok := range a.Analyze([]byte(words)) {
		var any []query.Query
		for _, f := range textFields {
			q := bleve.NewTermQuery(string(tok.Term))
			q.SetField(f)
			any = append(any, q)
		}
		all = append(all, bleve.NewDisjunctionQuery(any...))
	}
	if len(all) == 0 {
		tb.Fatalf("%q has no terms", words)
	}
	return bleve.NewConjunctionQuery(all...)
}

func phraseQuery(phrase string) query.Query {
	var any []query.Query
	for _, f := range textFields {
		q := bleve.NewMatchPhraseQuery(phrase)
		q.SetField(f)
		q.Analyzer = indexer.QueryAnalyzer
		any = append(any, q)
	}
	return bleve.NewDisjunctionQuery(any...)
}

func MustSearch(tb testing.TB, x *indexer.Index, q query.Query) []string {
	tb.Helper()
	res, err := x.Bleve().Search(bleve.NewSearchRequestOptions(q, 100, 0, false))
	if err != nil {
		tb.Fatal(err)
	}
	ids := []string{}
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	slices.Sort(ids)
	return ids
}

// TestSearches runs testdata/searches.json: each query must find exactly
// the documents listed.
func TestSearches(t *testing.T) {
	var cases []struct {
		Name   string
		Words  string
		Phrase string
		Want   []string
	}
	if err := json.Unmarshal([]byte(MustReadFile(t, "testdata/searches.json")), &cases); err != nil {
		t.Fatal(err)
	}
	x := MustTestIndex(t)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			var q query.Query
			if c.Phrase != "" {
				q = phraseQuery(c.Phrase)
			} else {
				q = wordsQuery(t, x, c.Words)
			}
			slices.Sort(c.Want)
			if got := MustSearch(t, x, q); !slices.Equal(got, c.Want) {
				t.Errorf("words %q phrase %q: found %v, want %v", c.Words, c.Phrase, got, c.Want)
			}
		})
	}
}

func TestAnalyzers(t *testing.T) {
	x := MustTestIndex(t)
	m := x.Bleve().Mapping()
	for name, c := range map[string]struct {
		analyzer, text, want string
	}{
		"UserWordStaysOneToken":            {indexer.QueryAnalyzer, "下载粤省事", "下载 粤省事"},
		"DomainTermStaysOneToken":          {indexer.QueryAnalyzer, "依据政府信息公开条例", "依据 政府信息公开条例"},
		"FoldingAppliesToQueries":          {indexer.QueryAnalyzer, "國務院ＡＢＣ１２３", "国务院 abc123"},
		"IndexAnalyzerAddsSubwords":        {indexer.IndexAnalyzer, "个人信息保护法", "个人信息保护法 个人 个人信息 个人信息保护 信息 保护 保护法 护法"},
		"IndexAnalyzerFoldsTraditionalToo": {indexer.IndexAnalyzer, "國民經濟", "国民经济 国民 经济"},
	} {
		t.Run(name, func(t *testing.T) {
			a := m.AnalyzerNamed(c.analyzer)
			var got []string
			for _, tok := range a.Analyze([]byte(c.text)) {
				got = append(got, string(tok.Term))
			}
			if strings.Join(got, " ") != c.want {
				t.Errorf("%s(%q) = %v, want %s", c.analyzer, c.text, got, c.want)
			}
		})
	}
}

// TestLocationsPointAtTheOriginalText checks the offsets end to end: the
// term 国民经济, found in traditional text, is located on the traditional
// characters of the body, which follows the title in the text field of
// report1954.
func TestLocationsPointAtTheOriginalText(t *testing.T) {
	x := MustTestIndex(t)
	text := "1954年政府工作报告" + gsetokenizer.PartSeparator + MustReadFile(t, "testdata/report1954.txt")
	req := bleve.NewSearchRequest(wordsQuery(t, x, "国民经济"))
	req.IncludeLocations = true
	res, err := x.Bleve().Search(req)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		if h.ID != "report1954" {
			continue
		}
		locs := h.Locations[indexer.FieldText]["国民经济"]
		if len(locs) == 0 {
			t.Fatalf("no locations of 国民经济 in the text field: %v", h.Locations)
		}
		for _, l := range locs {
			if got := text[l.Start:l.End]; got != "國民經濟" {
				t.Errorf("location %d–%d holds %q, want 國民經濟", l.Start, l.End, got)
			}
		}
		return
	}
	t.Fatalf("report1954 not found: %v", res.Hits)
}

func TestShortTitle(t *testing.T) {
	for title, want := range map[string]string{
		"中华人民共和国档案法":            "档案法",
		"中華人民共和國檔案法":            "档案法",
		"中华人民共和国行政复议法（2017年修正）": "行政复议法",
		"政府信息公开条例(试行)":          "政府信息公开条例",
		"上海市 数据条例":              "上海市数据条例",
		"ＡＢＣ管理办法":               "abc管理办法",
		"中华人民共和国":               "",
		"关于印发《档案法》宣传方案的通知":      "关于印发《档案法》宣传方案的通知",
	} {
		if got := indexer.ShortTitle(title); got != want {
			t.Errorf("ShortTitle(%q) = %q, want %q", title, got, want)
		}
	}
}
