package main

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Report is one line of government_work_reports.jsonl: a 国务院政府工作报告
// or the NPC's resolution on one, as zh.wikisource has it.
type Report struct {
	Title   string  `json:"title"`
	URL     string  `json:"url"`
	Content string  `json:"content"`
	Year    *string `json:"year"`
}

// ReportsCategory is the catalogue class the reports and resolutions go in.
const ReportsCategory = "政府工作报告"

var (
	// Wikisource appends its licence template to every page.
	reWikisourceFooter = regexp.MustCompile(`(?s)\n\s*(本作品是中华人民共和国的|本作品来自中华人民共和国|本模板所指的|注：中文维基文库社群|Public domain\n).*$`)
	reBlankLines       = regexp.MustCompile(`\n[ \t\x{3000}]*\n\s*`)
	// 第十四届全国人民代表大会第三次会议.
	reNPCSession = regexp.MustCompile(`第([一二三四五六七八九十]+)届全国人民代表大会第([一二三四五六七八九十]+)次会议`)
	// （2023年3月13日第十四届全国人民代表大会第一次会议通过）.
	reAdopted = regexp.MustCompile(`[（(]([^（）()]{8,40}?)通过[）)]`)
)

// npcTerms gives the year each National People's Congress first met. From
// the 5th (1978) on, it met once a year, so session n of a term met in the
// term's first year + n − 1.
var npcTerms = map[int]int{1: 1954, 2: 1959, 3: 1964, 4: 1975, 5: 1978, 6: 1983, 7: 1988, 8: 1993,
	9: 1998, 10: 2003, 11: 2008, 12: 2013, 13: 2018, 14: 2023}

// earlySessions are the years of the sessions of the first four terms, which
// did not meet every year.
var earlySessions = map[[2]int]int{
	{1, 1}: 1954, {1, 2}: 1955, {1, 3}: 1956, {1, 4}: 1957, {1, 5}: 1958,
	{2, 1}: 1959, {2, 2}: 1960, {2, 3}: 1962, {2, 4}: 1963,
	{3, 1}: 1964, {4, 1}: 1975,
}

// sessionYear is the year of the NPC session a text names, or 0.
func sessionYear(text string) int {
	m := reNPCSession.FindStringSubmatch(text)
	if m == nil {
		return 0
	}
	term, n := hanNumber(m[1]), hanNumber(m[2])
	if y, ok := earlySessions[[2]int{term, n}]; ok {
		return y
	}
	if term >= 5 && npcTerms[term] > 0 {
		return npcTerms[term] + n - 1
	}
	return 0
}

// sessionOpening is the day the NPC's annual session opened in a year when
// the text gives no date: 5 March every year since 1998, except 2020 when it
// was put off to 22 May. Earlier sessions met on varying days, so only the
// year is known: 1 January stands for it.
func sessionOpening(year int) (Day, bool) {
	switch {
	case year == 2020:
		return Day{2020, 5, 22}, true
	case year >= 1998:
		return Day{year, 3, 5}, true
	}
	return Day{year, 1, 1}, false
}

// ReportText cleans a wikisource page: the licence footer goes, lines that
// the wiki links split are joined again, and paragraphs are separated by
// one blank line without leading indentation.
func ReportText(content string) string {
	s := invisible.Replace(content)
	s = reWikisourceFooter.ReplaceAllString(s, "")
	var paras []string
	for _, p := range reBlankLines.Split(s, -1) {
		var b strings.Builder
		for _, line := range strings.Split(p, "\n") {
			b.WriteString(strings.TrimRight(line, " \t"))
		}
		if p := strings.Trim(b.String(), " \t\u3000"); p != "" {
			paras = append(paras, p)
		}
	}
	return strings.Join(paras, "\n\n")
}

// ConvertReport maps one report or resolution. It returns how the date was
// found: "text" (written in it), "session" (the session's opening day) or
// "year" (only the year is known).
func ConvertReport(rep Report) (Record, string, error) {
	body := ReportText(rep.Content)
	title := CleanTitle(rep.Title)
	r := Record{
		Title:     title,
		Category:  ReportsCategory,
		Topic:     "综合政务",
		Body:      body,
		SourceURL: rep.URL,
	}
	head := body
	if len(head) > 600 {
		head = head[:600]
	}
	isResolution := strings.HasSuffix(title, "决议")
	if isResolution {
		r.Organ, r.DocType = "全国人民代表大会", "决议"
	} else {
		r.Organ, r.DocType = "国务院", "报告"
	}

	var formed Day
	from := "text"
	if m := reAdopted.FindStringSubmatch(head); isResolution && m != nil {
		formed, _ = ParseChineseDay(m[1])
	} else if !isResolution {
		// ——2024年3月5日在第十四届全国人民代表大会第二次会议上
		if i := strings.Index(head, "在第"); i > 0 {
			formed, _ = ParseChineseDay(head[:i])
		}
	}
	if formed.IsZero() {
		year := 0
		if rep.Year != nil {
			year, _ = strconv.Atoi(*rep.Year)
		}
		if year == 0 {
			year = sessionYear(title + head)
		}
		if year == 0 {
			return r, "", fmt.Errorf("%s: no date and no session to date it by", title)
		}
		var exact bool
		formed, exact = sessionOpening(year)
		from = "session"
		if !exact {
			from = "year"
		}
	}
	r.FormedAt = formed.String()
	r.Summary = reportSummary(body)
	if r.Summary == "" {
		r.Summary = Truncate(title, MaxSummaryRunes)
	}
	return r, from, r.Check()
}

// reportSummary is the first sentences of the report proper, after the
// heading, the speaker and the formal greeting (各位代表：现在，我代表国务院…).
func reportSummary(body string) string {
	var b strings.Builder
	for _, p := range Paragraphs(body) {
		if IsHeading(p) || utf8Len(p) < 30 || strings.HasPrefix(p, "——") || strings.HasPrefix(p, "各位代表") ||
			strings.Contains(p, "我代表国务院") || strings.Contains(p, "受国务院的委托") ||
			strings.HasPrefix(p, "（") && strings.HasSuffix(p, "）") {
			continue
		}
		for _, s := range sentences(p) {
			if b.Len() > 0 && utf8Len(b.String()+s) > MaxSummaryRunes {
				return Truncate(b.String(), MaxSummaryRunes)
			}
			b.WriteString(s)
			if utf8Len(b.String()) >= 80 {
				return Truncate(b.String(), MaxSummaryRunes)
			}
		}
	}
	return Truncate(b.String(), MaxSummaryRunes)
}

func utf8Len(s string) int { return len([]rune(s)) }

// ReadReports reads government_work_reports.jsonl(.gz) in file order.
func ReadReports(name string) ([]Report, error) {
	var reps []Report
	err := readJSONLines(name, func(_ int, data []byte) error {
		var r Report
		if err := json.Unmarshal(data, &r); err != nil {
			return err
		}
		reps = append(reps, r)
		return nil
	})
	return reps, err
}

func runReports(name string, stdout, stderr io.Writer) error {
	reps, err := ReadReports(name)
	if err != nil {
		return err
	}
	recs := make([]Record, 0, len(reps))
	dates := map[string]int{}
	for _, rep := range reps {
		r, from, err := ConvertReport(rep)
		if err != nil {
			return err
		}
		dates[from]++
		recs = append(recs, r)
	}
	if err := WriteRecords(stdout, recs); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "records: %d\nformed_at: %s\n", len(recs), counts(dates))
	return nil
}
