package catalogue

import (
	"slices"
	"strings"
	"testing"
)

func TestNormalizeDocNo(t *testing.T) {
	tests := map[string]string{
		// One 文号 in every way people type it.
		"韶工信〔2019〕12号":    "韶工信〔2019〕12号",
		"韶工信[2019]12号":    "韶工信〔2019〕12号",
		"韶工信（2019）第012号":  "韶工信〔2019〕12号",
		"韶工信(2019)12号":    "韶工信〔2019〕12号",
		"韶工信【２０１９】１２号":    "韶工信〔2019〕12号",
		"韶工信［2019］12号":    "韶工信〔2019〕12号",
		"韶工信〈2019〉12号":    "韶工信〔2019〕12号",
		"韶工信﹝2019﹞12号":    "韶工信〔2019〕12号",
		"韶工信2019年12号":     "韶工信〔2019〕12号",
		"韶工信 [2019] 12 号": "韶工信〔2019〕12号",
		"韶工信　〔2019〕　12号":  "韶工信〔2019〕12号",
		"韶工信〔2019年〕12号":   "韶工信〔2019〕12号",
		"韶工信〔2019〕0012号":  "韶工信〔2019〕12号",
		// Real 文号 from the corpus and the domain notes.
		"沪建房管〔2016〕567号":   "沪建房管〔2016〕567号",
		"沪规划资源规〔2026〕2号":   "沪规划资源规〔2026〕2号",
		"劳社部发[2000]8号":     "劳社部发〔2000〕8号",
		"国办发(1985)49号":     "国办发〔1985〕49号",
		"温国土资发（2018）366号":  "温国土资发〔2018〕366号",
		"高检发释字〔2025〕1号":    "高检发释字〔2025〕1号",
		"国办公开办函〔2021〕30号":  "国办公开办函〔2021〕30号",
		"国办函〔2020〕109号":    "国办函〔2020〕109号",
		"法释〔2021〕11号":      "法释〔2021〕11号",
		"京政办字〔2017〕20号":    "京政办字〔2017〕20号",
		"〔2019〕12号":        "〔2019〕12号",
		"[2019]12":         "〔2019〕12号",
		"中华人民共和国国务院令第306号": "国务院令第306号",
		// 令号: with and without 中华人民共和国, spaces, brackets, word order.
		"国务院令 第 306 号":         "国务院令第306号",
		"国务院令第306号":            "国务院令第306号",
		"国务院令（第306号）":          "国务院令第306号",
		"中华人民共和国国务院令（第７１１号）":   "国务院令第711号",
		"国务院第306号令":            "国务院令第306号",
		"国务院令306号":             "国务院令第306号",
		"中华人民共和国公安部令第１２５号":     "公安部令第125号",
		"公安部令第125号":            "公安部令第125号",
		"主席令第三号":               "主席令第3号",
		"中华人民共和国主席令第七十三号":      "主席令第73号",
		"中华人民共和国中央军事委员会令第757号": "中央军事委员会令第757号",
		"国家市场监督管理总局令第53号":      "国家市场监督管理总局令第53号",
		"中国民用航空局令第29号":         "中国民用航空局令第29号",
		"司令部令第1号":              "司令部令第1号",
		"某市人民政府令第一百零五号":        "某市人民政府令第105号",
		// Not understood: cleaned so that equal-looking inputs still match.
		"":             "",
		"韶工信〔二〇一九〕12号": "韶工信〔二〇一九〕12号",
		"国发〔2019〕1号、国发〔2019〕2号": "国发〔2019〕1号、国发〔2019〕2号",
		"  韶工信（二〇一九）１２号 ":       "韶工信〔二〇一九〕12号",
		"政府信息公开":                "政府信息公开",
		// A number ParseDocNo does not read matches as written, widths aside.
		"杭州市第十二届人民代表大会常务委员会公告第７８号": "杭州市第十二届人民代表大会常务委员会公告第78号",
		// Its serial in Arabic digits, however it was written.
		"全国人民代表大会公告第八号":            "全国人民代表大会公告第8号",
		"全国人民代表大会公告第 008 号":        "全国人民代表大会公告第8号",
		"杭州市第十二届人民代表大会常务委员会公告第十四号": "杭州市第十二届人民代表大会常务委员会公告第14号",
		"国务院、中央军事委员会令第五百七十七号":      "国务院、中央军事委员会令第577号",
		"某某公告第一二号":                 "某某公告第一二号", // digit by digit: a year, not a serial
	}
	for in, want := range tests {
		if got := NormalizeDocNo(in); got != want {
			t.Errorf("NormalizeDocNo(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseDocNo(t *testing.T) {
	t.Run("Parsed", func(t *testing.T) {
		tests := map[string]DocNo{
			"韶工信〔2019〕12号":        {Prefix: "韶工信", Year: 2019, Serial: 12},
			"国办发（2019）第012号":      {Prefix: "国办发", Year: 2019, Serial: 12},
			"〔2019〕12号":           {Year: 2019, Serial: 12},
			"（2019）12号":           {Year: 2019, Serial: 12},
			"国务院令 第 306 号":        {Prefix: "国务院", Serial: 306},
			"中华人民共和国国务院令第306号":    {Prefix: "国务院", Serial: 306},
			"中华人民共和国中央军事委员会令第71号": {Prefix: "中央军事委员会", Serial: 71},
			"主席令第三号":              {Prefix: "主席", Serial: 3},
		}
		for in, want := range tests {
			got, ok := ParseDocNo(in)
			if !ok || got != want {
				t.Errorf("ParseDocNo(%q) = %+v, %v; want %+v, true", in, got, ok, want)
			}
		}
	})
	t.Run("Rejected", func(t *testing.T) {
		for _, in := range []string{
			"", "   ", "政府信息公开", "工业和信息化", "12号", "第306号", "令第306号", "国务院令",
			"2019年12月2日", "2019-12-02", "2019年", "2019年12号", "〔2019〕", "国发〔2019〕",
			"国发〔19〕12号", "国发〔2019〕0号", "国发〔1850〕3号", "国发〔2019〕12月",
			"11440200007041827X/2019-00012", "2019-00012", "0751-8888888", "国务院令第零号",
			"国务院令第三四号", "关于印发《市工业和信息化局政府信息主动公开工作制度》的通知",
			"韶工信〔2019〕12号韶工信〔2019〕12号韶工信〔2019〕12号韶工信〔2019〕12号韶工信〔2019〕12号",
		} {
			if d, ok := ParseDocNo(in); ok {
				t.Errorf("ParseDocNo(%q) = %+v, want no 文号", in, d)
			}
		}
	})
}

func TestDocNoString(t *testing.T) {
	tests := map[string]DocNo{
		"韶工信〔2019〕12号": {Prefix: "韶工信", Year: 2019, Serial: 12},
		"〔2019〕12号":    {Year: 2019, Serial: 12},
		"国务院令第306号":    {Prefix: "国务院", Serial: 306},
		"":             {},
	}
	for want, d := range tests {
		if got := d.String(); got != want {
			t.Errorf("%+v.String() = %q, want %q", d, got, want)
		}
		if want == "" {
			continue
		}
		// The canonical form parses back to the same number.
		if back, ok := ParseDocNo(want); !ok || back != d {
			t.Errorf("ParseDocNo(%q) = %+v, %v; want %+v", want, back, ok, d)
		}
	}
}

func TestLooksLikeDocNo(t *testing.T) {
	for in, want := range map[string]bool{
		"韶工信〔2019〕12号":                  true,
		"韶工信[2019]12号":                  true,
		"〔2019〕12号":                     true,
		"[2019]12号":                     true,
		"国务院令第711号":                     true,
		"国务院令 第 711 号":                  true,
		"政府信息公开":                        false,
		"2019年12月2日":                    false,
		"2019-12-02":                    false,
		"主动公开 工作制度":                     false,
		"12号":                           false,
		"114402000070418252/2019-00012": false,
		// Other numbers written in full: an organ and 第N号.
		"杭州市第十二届人民代表大会常务委员会公告第78号": true,
		"杭州市第十二届人民代表大会常务委员会公告第７８号": true,
		"全国人民代表大会公告第八号":            true,
		"国务院、中央军事委员会令第577号":        true,
		"公告 第 78 号":                     true,
		"第78号":                          false, // no organ: too vague to be one number
		"公告78号":                         false,
		"第十二届人民代表大会":                    false,
		strings.Repeat("很", 70) + "第1号": false,
	} {
		if got := LooksLikeDocNo(in); got != want {
			t.Errorf("LooksLikeDocNo(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestParseChineseNumber(t *testing.T) {
	for in, want := range map[string]int{
		"三": 3, "十": 10, "十二": 12, "七十三": 73, "一百": 100, "一百零五": 105,
		"三百二十": 320, "一千零一": 1001, "两千": 2000,
	} {
		if got, ok := parseChineseNumber(in); !ok || got != want {
			t.Errorf("parseChineseNumber(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "三四十", "十百", "百十百", "三x", "一二五", "二〇一九"} {
		if got, ok := parseChineseNumber(in); ok {
			t.Errorf("parseChineseNumber(%q) = %d, want failure", in, got)
		}
	}
}

func BenchmarkNormalizeDocNo(b *testing.B) {
	inputs := []string{"韶工信（2019）第012号", "中华人民共和国国务院令第306号", "关于印发工作制度的通知"}
	for i := 0; b.Loop(); i++ {
		NormalizeDocNo(inputs[i%len(inputs)])
	}
}

// TestImportKeyKeepsNumbersAsWritten: an import key holds a number written
// in full as the first imports did, serial as written, so that a file
// imported before NormalizeDocNo read such serials lands on the same
// entries again; 文号 and 令号 are keyed in their canonical form.
func TestImportKeyKeepsNumbersAsWritten(t *testing.T) {
	key := func(docNo string) string {
		r := ImportRecord{Organ: "全国人民代表大会", Title: "中华人民共和国宪法修正案", FormedAt: "1993-03-29", DocNo: docNo}
		return r.ImportKey()
	}
	for docNo, want := range map[string]string{
		"全国人民代表大会公告第八号":     "全国人民代表大会公告第八号",
		"全国人民代表大会公告第 008 号": "全国人民代表大会公告第008号",
		"国务院令（第７１１号）":       "国务院令第711号",
	} {
		if got, w := key(docNo), "record\x00全国人民代表大会\x00中华人民共和国宪法修正案\x001993-03-29\x00"+want; got != w {
			t.Errorf("ImportKey with doc_no %q = %q, want %q", docNo, got, w)
		}
	}
}

func TestDocNoSuffixes(t *testing.T) {
	for docNo, want := range map[string][]string{
		"浙江省人民代表大会常务委员会公告第39号": {"江省人民代表大会常务委员会公告第39号", "省人民代表大会常务委员会公告第39号",
			"人民代表大会常务委员会公告第39号", "民代表大会常务委员会公告第39号", "代表大会常务委员会公告第39号", "表大会常务委员会公告第39号",
			"大会常务委员会公告第39号", "会常务委员会公告第39号", "常务委员会公告第39号", "务委员会公告第39号", "委员会公告第39号",
			"员会公告第39号", "会公告第39号", "公告第39号", "告第39号"},
		"国务院令（第285号）":   {"务院令第285号", "院令第285号", "令第285号"},
		"韶工信[2019]012号": {"工信〔2019〕12号", "信〔2019〕12号", "〔2019〕12号"},
		"国务院、中央军事委员会令第577号": {"务院、中央军事委员会令第577号", "院、中央军事委员会令第577号", "中央军事委员会令第577号",
			"央军事委员会令第577号", "军事委员会令第577号", "事委员会令第577号", "委员会令第577号", "员会令第577号", "会令第577号", "令第577号"},
		"〔2019〕12号": nil,
		"":          nil,
	} {
		if got := DocNoSuffixes(docNo); !slices.Equal(got, want) {
			t.Errorf("DocNoSuffixes(%q)\n got %q\nwant %q", docNo, got, want)
		}
	}
}

func TestDocNoPrefix(t *testing.T) {
	for in, want := range map[string]string{
		"韶工信〔2019〕12号":        "韶工信",
		"韶工信[2019]12号":        "韶工信",
		"国务院令第290号":           "国务院令",
		"中华人民共和国国务院令第306号":    "国务院令",
		"国务院、中央军事委员会令（第290号）": "国务院、中央军事委员会令",
		"〔2019〕12号":           "",
		"":                    "",
	} {
		if got := DocNoPrefix(in); got != want {
			t.Errorf("DocNoPrefix(%q) = %q, want %q", in, got, want)
		}
	}
}
