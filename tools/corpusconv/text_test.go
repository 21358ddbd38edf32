package main

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPlainText(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"HeadingMarksGo":       {"## 第一章  总则\n\n第一条 为了……制定本法。", "第一章 总则\n\n第一条 为了……制定本法。"},
		"NestedHeading":        {"## 第一编 总则\n\n### 第一章 任务", "第一编 总则\n\n第一章 任务"},
		"IdeographicSpaceKept": {"## 第一章　总则", "第一章\u3000总则"},
		"ZeroWidthGone":        {"\u200b\n\n\u200b\n\n第一条 内容。", "第一条 内容。"},
		"LoneHashesGo":         {"##\n\n第一千二百五十九条 内容。", "第一千二百五十九条 内容。"},
		"TableBecomesCells": {"<!-- TABLE -->\n| 刑法条文 |罪名 |\n|-----|-----|\n| 第一百三十三条之二 |妨害安全驾驶罪 |",
			"刑法条文\u3000罪名\n\n第一百三十三条之二\u3000妨害安全驾驶罪"},
		"BlankLinesCollapse": {"第一条 甲。\n\n\n\n第二条 乙。", "第一条 甲。\n\n第二条 乙。"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := PlainText(tt.in); got != tt.want {
				t.Errorf("PlainText(%q)\n= %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSummary(t *testing.T) {
	t.Run("PurposeClause", func(t *testing.T) {
		body := "第一章 总则\n\n第一条 为了规范口岸开放，提高口岸通关效率，制定本条例。本条例适用于口岸。\n\n第二条 其他。"
		if got := Summary(body); got != "为了规范口岸开放，提高口岸通关效率，制定本条例。" {
			t.Errorf("Summary = %q", got)
		}
	})
	t.Run("PurposeClauseUnderItsOwnHeading", func(t *testing.T) {
		body := "第一条（目的）\n\n为了持续深化改革，制定本办法。\n\n第二条（适用范围）"
		if got := Summary(body); got != "为了持续深化改革，制定本办法。" {
			t.Errorf("Summary = %q", got)
		}
	})
	t.Run("FirstSentencesWithoutAddressees", func(t *testing.T) {
		body := "各科室（局），局属各单位：\n\n为进一步做好政府信息公开工作，特制定本制度，请认真贯彻执行。"
		if got := Summary(body); got != "为进一步做好政府信息公开工作，特制定本制度，请认真贯彻执行。" {
			t.Errorf("Summary = %q", got)
		}
	})
	t.Run("LongClauseIsCut", func(t *testing.T) {
		body := "第一条 为了" + strings.Repeat("保障公民的知情权，", 40) + "制定本条例。"
		got := Summary(body)
		if n := utf8.RuneCountInString(got); n > MaxSummaryRunes || !strings.HasSuffix(got, "……") {
			t.Errorf("Summary has %d runes and ends %q", n, got[len(got)-9:])
		}
	})
}

func TestTruncate(t *testing.T) {
	if got := Truncate("短句。", 10); got != "短句。" {
		t.Errorf("Truncate kept %q", got)
	}
	got := Truncate("第一句话很长很长，第二句话也很长很长，第三句", 14)
	if got != "第一句话很长很长……" {
		t.Errorf("Truncate = %q, want the cut at the last comma", got)
	}
}

func TestTopic(t *testing.T) {
	tests := map[string]string{
		"中华人民共和国政府信息公开条例":                  "综合政务",
		"中华人民共和国道路交通安全法":                   "公安、安全、司法",
		"杭州市公共汽车客运管理条例":                    "工业、交通",
		"上海市住房和城乡建设管理委员会关于住房限购审核前置有关问题的通知": "城乡建设、环境保护",
		"中华人民共和国社会保险法":                     "劳动、人事、监察",
		"中华人民共和国商业银行法":                     "财政、金融、审计",
		"高空坠物由侵权人承担赔偿责任":                   "其他",
	}
	for title, want := range tests {
		if got := Topic(title); got != want {
			t.Errorf("Topic(%q) = %q, want %q", title, got, want)
		}
	}
	for _, r := range topicRules {
		if !topicKnown(r.topic) {
			t.Errorf("rule topic %q is not one of the 22", r.topic)
		}
	}
}

func TestLawDocType(t *testing.T) {
	tests := []struct{ category, title, want string }{
		{"行政法", "中华人民共和国行政许可法", "法律"},
		{"宪法相关法", "全国人民代表大会常务委员会关于批准《…》的决定", "决定"},
		{"宪法", "中华人民共和国宪法", "宪法"},
		{"司法解释", "最高人民法院关于…问题的批复", "司法解释"},
		{"地方性法规", "北京市人民代表大会常务委员会关于废止部分地方性法规的决定", "决定"},
		{"地方性法规", "上海口岸服务条例", "地方性法规"},
		{"行政法规", "国务院关于…的通知（2011年修订）", "通知"},
	}
	for _, tt := range tests {
		if got := LawDocType(tt.category, tt.title); got != tt.want {
			t.Errorf("LawDocType(%q, %q) = %q, want %q", tt.category, tt.title, got, tt.want)
		}
	}
}
