package main

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// MustLaw decodes a LawRefBook line.
func MustLaw(tb testing.TB, line string) Law {
	tb.Helper()
	var l Law
	if err := json.Unmarshal([]byte(line), &l); err != nil {
		tb.Fatal(err)
	}
	return l
}

// Real records of laws.jsonl, bodies shortened.
const (
	lawDisclosure = `{"id": "行政法规/政府信息公开条例(2019-04-03).md", "category": "行政法规", "region": null, "title": "中华人民共和国政府信息公开条例", "subtitle": null, "version_date": "2019-04-03", "history": [{"date": "2007年4月5日", "event": "中华人民共和国国务院令第492号公布"}, {"date": "2019年4月3日", "event": "中华人民共和国国务院令第711号修订"}, {"date": "2019年5月15日", "event": "施行"}], "body": "## 第一章 总则\n\n第一条 为了保障公民、法人和其他组织依法获取政府信息，提高政府工作的透明度，建设法治政府，充分发挥政府信息对人民群众生产、生活和经济社会活动的服务作用，制定本条例。\n\n第二条 本条例所称政府信息，是指行政机关在履行行政管理职能过程中制作或者获取的，以一定形式记录、保存的信息。"}`
	lawReview2017 = `{"id": "诉讼与非诉讼程序法/行政复议法(2017-09-01).md", "category": "诉讼与非诉讼程序法", "region": null, "title": "中华人民共和国行政复议法", "subtitle": null, "version_date": "2017-09-01", "history": [{"date": "1999年4月29日", "event": "第九届全国人民代表大会常务委员会第九次会议通过"}, {"date": "2009年8月27日", "event": "第十一届全国人民代表大会常务委员会第十次会议《关于修改部分法律的决定》第一次修正"}], "body": "## 第一章 总则\n\n第一条 为了防止和纠正违法的或者不当的具体行政行为，保护公民、法人和其他组织的合法权益，保障和监督行政机关依法行使职权，根据宪法，制定本法。"}`
	lawReview2023 = `{"id": "诉讼与非诉讼程序法/行政复议法(2023-09-01).md", "category": "诉讼与非诉讼程序法", "region": null, "title": "中华人民共和国行政复议法", "subtitle": null, "version_date": "2023-09-01", "history": [{"date": "1999年4月29日", "event": "第九届全国人民代表大会常务委员会第九次会议通过"}, {"date": "2023年9月1日", "event": "第十四届全国人民代表大会常务委员会第五次会议修订"}], "body": "## 第一章 总 则\n\n\u200b\n\n第一条 为了防止和纠正违法的或者不当的行政行为，保护公民、法人和其他组织的合法权益，根据宪法，制定本法。"}`
	lawEmptyBody  = `{"id": "DLC/广东地方法规/地方性法规/广东/汕头经济特区突发公共卫生事件应急条例(2022-05-30).md", "category": "地方性法规", "region": "广东", "title": "汕头经济特区突发公共卫生事件应急条例", "subtitle": null, "version_date": "2022-05-30", "history": [{"date": "2022年5月30日", "event": "汕头市第十五届人民代表大会常务委员会第五次会议通过"}], "body": ""}`
	lawCounty     = `{"id": "x/景宁畲族自治县水资源管理条例.md", "category": "地方性法规", "region": "浙江", "title": "景宁畲族自治县水资源管理条例", "subtitle": null, "version_date": "2021-05-28", "history": [{"date": "2001年4月12日", "event": "县第五届人民代表大会第五次会议通过"}, {"date": "2001年6月29日", "event": "浙江省第九届人民代表大会常务委员会第二十七次会议批准"}], "body": "第一条 为了合理开发、利用、节约和保护水资源，制定本条例。"}`
	lawApproved   = `{"id": "x/济南市农村公路条例.md", "category": "地方性法规", "region": "山东", "title": "济南市农村公路条例", "subtitle": null, "version_date": "2014-09-26", "history": [{"date": null, "event": "2014年9月26"}, {"date": null, "event": "日山东省第十二届人民代表大会常务委员会第十次会议批准"}], "body": "第一条 为了加强农村公路的建设、养护和管理，制定本条例。"}`
	lawUndated    = `{"id": "DLC/上海地方法规/地方性法规/上海/上海市专利保护条例.md", "category": "地方性法规", "region": "上海", "title": "上海市专利保护条例", "subtitle": null, "version_date": null, "history": [], "body": "## 第一章　总则\n\n第一条 为了保护发明创造专利权，制定本条例。\n\n第三十四条 本条例自2002年7月1日起施行。"}`
	lawCivilCode  = `{"id": "民法典/总则.md", "category": "民法典", "region": null, "title": "中华人民共和国民法典", "subtitle": "总则", "version_date": null, "history": [{"date": "2020年5月28日", "event": "第十三届全国人民代表大会第三次会议通过"}, {"date": "2021年1月1日", "event": "施行"}], "body": "## 第一章  基本规定\n\n第一条 为了保护民事主体的合法权益，调整民事关系，根据宪法，制定本法。"}`
	lawCoIssuers  = `{"id": "行政法规/进口影片管理办法.md", "category": "行政法规", "region": null, "title": "进口影片管理办法", "subtitle": null, "version_date": "1981-10-13", "history": [{"date": "1981年10月13日", "event": "文化部"}, {"date": null, "event": "海关总署发布"}], "body": "第一条 为了加强对进口影片的管理，制定本办法。"}`
)

func TestConvertLaw(t *testing.T) {
	t.Run("OrganOrderAndDatesFromHistory", func(t *testing.T) {
		c, err := ConvertLaw(MustLaw(t, lawDisclosure), Day{})
		if err != nil {
			t.Fatal(err)
		}
		want := Record{Title: "中华人民共和国政府信息公开条例", Organ: "国务院", FormedAt: "2019-04-03",
			DocNo: "国务院令第711号", PublishedAt: "2019-04-03", EffectiveAt: "2019-05-15",
			Category: "行政法规", Topic: "综合政务", DocType: "行政法规", Validity: "有效"}
		got := c.Record
		got.Body, got.Summary, got.SourceURL = "", "", ""
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got  %+v\nwant %+v", got, want)
		}
		if c.Summary != "为了保障公民、法人和其他组织依法获取政府信息，提高政府工作的透明度，建设法治政府，充分发挥政府信息对人民群众生产、生活和经济社会活动的服务作用，制定本条例。" {
			t.Errorf("summary %q, want the purpose clause of 第一条", c.Summary)
		}
		if strings.Contains(c.Body, "#") || !strings.HasPrefix(c.Body, "第一章 总则\n\n第一条") {
			t.Errorf("body keeps Markdown: %q", c.Body[:40])
		}
		if !strings.HasPrefix(c.SourceURL, LawRefBookURL+"%E8%A1%8C%E6%94%BF%E6%B3%95%E8%A7%84/") {
			t.Errorf("source_url %q", c.SourceURL)
		}
	})
	t.Run("EmptyBodyGetsHistory", func(t *testing.T) {
		c, err := ConvertLaw(MustLaw(t, lawEmptyBody), Day{})
		if err != nil {
			t.Fatal(err)
		}
		if !c.EmptyBody || !strings.Contains(c.Body, "2022年5月30日 汕头市第十五届人民代表大会常务委员会第五次会议通过") {
			t.Errorf("body %q, want the history", c.Body)
		}
		if c.Organ != "汕头市人民代表大会常务委员会" {
			t.Errorf("organ %q", c.Organ)
		}
	})
	t.Run("CountyCongressQualifiedByTitle", func(t *testing.T) {
		c, err := ConvertLaw(MustLaw(t, lawCounty), Day{})
		if err != nil {
			t.Fatal(err)
		}
		if c.Organ != "景宁畲族自治县人民代表大会" || c.OrganFrom != FromHistory {
			t.Errorf("organ %q from %s", c.Organ, c.OrganFrom)
		}
	})
	t.Run("CityRegulationOnlyApprovedNamesCity", func(t *testing.T) {
		c, err := ConvertLaw(MustLaw(t, lawApproved), Day{})
		if err != nil {
			t.Fatal(err)
		}
		if c.Organ != "济南市人民代表大会常务委员会" || c.OrganFrom != FromTitle {
			t.Errorf("organ %q from %s", c.Organ, c.OrganFrom)
		}
	})
	t.Run("UndatedTakesInForceClause", func(t *testing.T) {
		c, err := ConvertLaw(MustLaw(t, lawUndated), Day{2025, 1, 1})
		if err != nil {
			t.Fatal(err)
		}
		if c.FormedAt != "2002-07-01" || c.DateFrom != FromEffective {
			t.Errorf("formed_at %s from %s", c.FormedAt, c.DateFrom)
		}
		if c.Organ != "上海市人民代表大会常务委员会" {
			t.Errorf("organ %q", c.Organ)
		}
	})
	t.Run("PassedDateBeatsInForceDate", func(t *testing.T) {
		c, err := ConvertLaw(MustLaw(t, lawCivilCode), Day{})
		if err != nil {
			t.Fatal(err)
		}
		if c.Title != "中华人民共和国民法典（总则）" || c.FormedAt != "2020-05-28" || c.EffectiveAt != "2021-01-01" || c.Organ != "全国人民代表大会" {
			t.Errorf("title %q formed %s effective %s organ %q", c.Title, c.FormedAt, c.EffectiveAt, c.Organ)
		}
	})
	t.Run("SignersBeforePublisherAreCoIssuers", func(t *testing.T) {
		c, err := ConvertLaw(MustLaw(t, lawCoIssuers), Day{})
		if err != nil {
			t.Fatal(err)
		}
		if c.Organ != "文化部、海关总署" {
			t.Errorf("organ %q", c.Organ)
		}
	})
}

func TestConvertLawsMarksOlderVersionsRevised(t *testing.T) {
	conv, err := ConvertLaws([]Law{MustLaw(t, lawReview2017), MustLaw(t, lawDisclosure), MustLaw(t, lawReview2023)})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{ValidityRevised, ValidityInForce, ValidityInForce} {
		if conv[i].Validity != want {
			t.Errorf("%s %s: validity %s, want %s", conv[i].Title, conv[i].FormedAt, conv[i].Validity, want)
		}
	}
	if conv[0].Organ != "全国人民代表大会常务委员会" {
		t.Errorf("organ %q", conv[0].Organ)
	}
}

// TestConvertLawsCorpus converts the whole shared corpus: every record must
// import (organ, valid date, body), and most organs come from the history.
func TestConvertLawsCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("converts the whole corpus")
	}
	const name = "/work/shared/corpus/lawrefbook/laws.jsonl.gz"
	if _, err := os.Stat(name); err != nil {
		t.Skip("shared corpus not present:", err)
	}
	laws, err := ReadLaws(name)
	if err != nil {
		t.Fatal(err)
	}
	conv, err := ConvertLaws(laws)
	if err != nil {
		t.Fatal(err)
	}
	if len(conv) != 3475 {
		t.Errorf("%d records, want 3475", len(conv))
	}
	s := LawStats(conv)
	if s.OrganFrom[FromHistory] < 3000 {
		t.Errorf("only %d organs from the history: %v", s.OrganFrom[FromHistory], s.OrganFrom)
	}
	if s.Revised < 50 || s.DocNos < 500 {
		t.Errorf("已修订 %d, 文号 %d: fewer than expected", s.Revised, s.DocNos)
	}
	for _, c := range conv {
		if err := c.Check(); err != nil {
			t.Error(err)
		}
		if !topicKnown(c.Topic) {
			t.Errorf("%s: topic %q", c.Title, c.Topic)
		}
	}
}

func topicKnown(t string) bool {
	for _, x := range Topics {
		if x == t {
			return true
		}
	}
	return false
}
