package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// Abridged from the real wikisource pages.
const (
	report2024     = "政府工作报告\n\n\n\n\n\n\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n\n\n\n\n国务院总理\u3000\n李\u3000强\n\n\n各位代表：\n\n现在，我代表国务院，向大会报告政府工作，请予审议，并请全国政协委员提出意见。\n\n\n\n一、2023年工作回顾\n\n\n过去一年，是全面贯彻党的二十大精神的开局之年，是本届政府依法履职的第一年。\n\n\n\n\n\n本作品是中华人民共和国的\n法律\n、\n法规\n，国家机关的决议。\n\n\n\nPublic domain\nPublic domain\nfalse\nfalse"
	resolution2024 = "第十四届全国人民代表大会第二次会议听取和审议了国务院总理李强所作的\n政府工作报告\n。会议充分肯定国务院过去一年的工作，决定批准这个报告。\n\n\n\n\n\n本作品来自中华人民共和国全国人民代表大会及其常务委员会的决定、决议。\n\n\n\nPublic domain\nPublic domain\nfalse\nfalse"
	resolution2023 = "\u200b\n\n\n\n\n第十四届全国人民代表大会第一次会议关于政府工作报告的决议\n\n\n\n\n（2023年3月13日第十四届全国人民代表大会第一次会议通过）\n\n第十四届全国人民代表大会第一次会议听取和审议了国务院总理李克强所作的政府工作报告。"
)

func TestReportText(t *testing.T) {
	got := ReportText(resolution2024)
	want := "第十四届全国人民代表大会第二次会议听取和审议了国务院总理李强所作的政府工作报告。会议充分肯定国务院过去一年的工作，决定批准这个报告。"
	if got != want {
		t.Errorf("ReportText = %q, want the wiki-link lines joined and the licence footer gone", got)
	}
}

func TestConvertReport(t *testing.T) {
	year := func(s string) *string { return &s }
	tests := map[string]struct {
		rep                          Report
		organ, docType, formed, from string
	}{
		"ReportDatedInHeading": {Report{Title: "2024年中华人民共和国国务院政府工作报告", Content: report2024, Year: year("2024")},
			"国务院", "报告", "2024-03-05", "text"},
		"ResolutionDatedWhenAdopted": {Report{Title: "第十四届全国人民代表大会第一次会议关于政府工作报告的决议", Content: resolution2023},
			"全国人民代表大会", "决议", "2023-03-13", "text"},
		"UndatedResolutionTakesSessionOpening": {Report{Title: "第十四届全国人民代表大会第二次会议关于政府工作报告的决议", Content: resolution2024},
			"全国人民代表大会", "决议", "2024-03-05", "session"},
		"SessionOf2020": {Report{Title: "2020年中华人民共和国国务院政府工作报告", Content: "各位代表：\n\n过去一年我国经济运行总体平稳，发展主要预期目标较好完成。", Year: year("2020")},
			"国务院", "报告", "2020-05-22", "session"},
		"OldReportKnowsOnlyYear": {Report{Title: "1985年中华人民共和国国务院政府工作报告", Content: "各位代表：\n\n刚刚过去的１９８４年，是我国各族人民取得伟大成就的一年。", Year: year("1985")},
			"国务院", "报告", "1985-01-01", "year"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			r, from, err := ConvertReport(tt.rep)
			if err != nil {
				t.Fatal(err)
			}
			if r.Organ != tt.organ || r.DocType != tt.docType || r.FormedAt != tt.formed || from != tt.from {
				t.Errorf("organ %q doc_type %q formed %s (%s); want %q %q %s (%s)", r.Organ, r.DocType, r.FormedAt, from,
					tt.organ, tt.docType, tt.formed, tt.from)
			}
			if strings.Contains(r.Body, "Public domain") || strings.Contains(r.Summary, "我代表国务院") {
				t.Errorf("footer or greeting kept: summary %q", r.Summary)
			}
		})
	}
}

func TestSessionYear(t *testing.T) {
	tests := map[string]int{
		"第十四届全国人民代表大会第三次会议关于政府工作报告的决议": 2025,
		"第十一届全国人民代表大会第一次会议关于政府工作报告的决议": 2008,
		"第二届全国人民代表大会第三次会议关于政府工作报告的决议":  1962,
		"关于政府工作报告的决议":                  0,
	}
	for in, want := range tests {
		if got := sessionYear(in); got != want {
			t.Errorf("sessionYear(%q) = %d, want %d", in, got, want)
		}
	}
}

// TestRunReportsCorpus converts the shared reports file when present.
func TestRunReportsCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("converts the whole corpus")
	}
	const name = "/work/shared/corpus/gov-work-reports/government_work_reports.jsonl.gz"
	if _, err := os.Stat(name); err != nil {
		t.Skip("shared corpus not present:", err)
	}
	var out, log bytes.Buffer
	if err := runReports(name, &out, &log); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\n"); n != 72 {
		t.Errorf("%d lines, want 72", n)
	}
	if !strings.Contains(log.String(), "records: 72") {
		t.Errorf("summary %q", log.String())
	}
}
