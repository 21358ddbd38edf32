package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A Seed is one of the three original documents in /work/shared/seeds,
// with the catalogue fields read from it by hand and the way its text was
// extracted, which decides how it is cleaned.
type Seed struct {
	Prefix string // the file name starts with it: 000_, 003_, 004_
	Record Record // everything but the body
	// Extraction: "pdf" (lines wrapped at the page width, page artefacts),
	// "docx" (one line a paragraph), "web" (a page with its navigation).
	Extraction string
	// Headings are paragraphs that end without punctuation and must not
	// run into the next line when wrapped lines are joined.
	Headings []string
	// Drop are lines of page furniture to remove wherever they are.
	Drop []string
	// DropFrom removes everything from the first line starting with it.
	DropFrom string
	PDFName  string // attachment file name under files/
}

// Seeds are the three original documents (DOMAIN.md). The catalogue fields
// come from reading each one:
//
//   - 000 is 韶关市工业和信息化局's notice issuing its proactive disclosure
//     rules, signed 2019-12-02; its 文号, 索引号 and publication date are
//     those of CONTRACT.md's import example.
//   - 003 is 附件2 of a notice of 南安市工业和信息化局 (南安市工信局) and
//     carries no date. It cites the 2019 条例 by its new article numbers
//     (第六条 on correcting false information, 第十条 on who publishes,
//     第十一条 on coordination), so it was formed no earlier than the
//     revised 条例 took effect on 2019-05-15; that lower bound is used.
//   - 004 is 三亚市商务会展局's disclosure rules as its website published
//     them on 2018-04-24 (the page's byline; the rules take effect 自印发之日).
var Seeds = []Seed{
	{
		Prefix: "000_",
		Record: Record{
			Title:       "关于印发《市工业和信息化局政府信息主动公开工作制度》的通知",
			Organ:       "韶关市工业和信息化局",
			FormedAt:    "2019-12-02",
			DocNo:       "韶工信〔2019〕12号",
			IndexNo:     "11440200007041827X/2019-00012",
			PublishedAt: "2019-12-05",
			Category:    "政策法规及规范性文件",
			Topic:       "工业、交通",
			DocType:     "通知",
			Summary: "韶关市工业和信息化局印发本局政府信息主动公开工作制度，规定政府信息公开工作机构的职责、" +
				"公开前的保密审查、应当主动公开和免予公开的信息，按机构职能、政策法规及规范性文件、规划计划、" +
				"主要业务工作、统计数据和其他六类重点公开，并在信息形成或者变更之日起20个工作日内公开。",
			Validity: ValidityInForce,
		},
		Extraction: "pdf",
		Headings:   []string{"市工业和信息化局政府信息主动公开工作制度"},
		PDFName:    "seed-000.pdf",
	},
	{
		Prefix: "003_",
		Record: Record{
			Title:    "南安市工信局主动公开政府信息处理流程细则",
			Organ:    "南安市工业和信息化局",
			FormedAt: "2019-05-15",
			Category: "其他",
			Topic:    "工业、交通",
			DocType:  "细则",
			Summary: "南安市工业和信息化局主动公开政府信息的处理流程：公文类、非公文类和获取保存类信息由拟稿人提出公开属性，" +
				"科室负责人审核，分管领导审定，必要时由公开办保密审查，主动公开的信息20个工作日内在政府网站发布并移交查阅中心；" +
				"附操作说明，列出13种公文文种与主动公开的关系和不予公开的六类理由。",
			Validity: ValidityInForce,
		},
		Extraction: "docx",
		Drop:       []string{"[bookmark: _GoBack]"},
		PDFName:    "seed-003.pdf",
	},
	{
		Prefix: "004_",
		Record: Record{
			Title:       "三亚市商务会展局信息公开制度",
			Organ:       "三亚市商务会展局",
			FormedAt:    "2018-04-24",
			PublishedAt: "2018-04-24",
			Category:    "政策法规及规范性文件",
			Topic:       "商贸、海关、旅游",
			DocType:     "制度",
			Summary: "三亚市商务会展局依据《中华人民共和国政府信息公开条例》制定的商务系统信息公开制度，分五章，" +
				"规定信息公开工作的主管部门和职责、主动公开的范围和重点、不予公开的情形、公开指南和目录、" +
				"20个工作日内主动公开、依申请公开的程序和答复期限，以及年度报告和监督保障。",
			Validity: ValidityInForce,
		},
		Extraction: "web",
		Drop:       []string{"首页>信息公开>业务频道>法规党建", "【字体: 打印", "2018-04-24 17:02 三亚市商务会展局"},
		DropFrom:   "相关稿件",
		PDFName:    "seed-004.pdf",
	},
}

// LoadSeed reads the seed's file from dir and returns its cleaned
// paragraphs, without the title.
func LoadSeed(dir string, s Seed) ([]string, error) {
	matches, err := filepath.Glob(filepath.Join(dir, s.Prefix+"*.txt"))
	if err != nil {
		return nil, err
	}
	if len(matches) != 1 {
		return nil, fmt.Errorf("seed %s*.txt: found %d files in %s", s.Prefix, len(matches), dir)
	}
	data, err := os.ReadFile(matches[0])
	if err != nil {
		return nil, err
	}
	return CleanSeed(string(data), s), nil
}

var (
	// A page number or a stray letter the PDF extraction left on a line
	// of its own (seed 000 has "4" and "Z").
	rePageArtefact = regexp.MustCompile(`^([0-9]{1,3}|[A-Za-z])$`)
	// A paragraph starts with an enumerator: 一、 （一） 第一条 1． （1） 附件.
	reEnumerator    = regexp.MustCompile(`^(（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|第[一二三四五六七八九十百]+[条章节]|[0-9]+[、．.]|（[0-9]+）|\([0-9]+\)|附件|[①-⑳])`)
	reDateLine      = regexp.MustCompile(`^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$`)
	reHanDigitSpace = regexp.MustCompile(`(\p{Han}) +([0-9])`)
	reDigitHanSpace = regexp.MustCompile(`([0-9]) +(\p{Han})`)
	// 第一条为提高… on a web page that lost the space after the number.
	reArticleRun = regexp.MustCompile(`^(第[一二三四五六七八九十百]+[条章节])([^\s　、，])`)
)

// CleanSeed turns the text of a seed into paragraphs.
func CleanSeed(text string, s Seed) []string {
	text = invisible.Replace(text)
	var lines []string
	for _, line := range strings.Split(text, "\n") {
		for _, d := range s.Drop {
			line = strings.ReplaceAll(line, d, "")
		}
		line = strings.TrimSpace(reSpaces.ReplaceAllString(line, " "))
		if s.DropFrom != "" && strings.HasPrefix(line, s.DropFrom) {
			break
		}
		if line == "" || rePageArtefact.MatchString(line) {
			continue
		}
		lines = append(lines, line)
	}
	lines = dropTitle(lines, s.Record.Title)
	if s.Extraction == "pdf" {
		lines = joinWrapped(lines, s.Headings)
	}
	out := lines[:0]
	for _, l := range lines {
		if reDateLine.MatchString(l) {
			l = strings.ReplaceAll(l, " ", "")
		}
		// 自信息形成或者变更之日起 20 个工作日内: spaces the extraction put
		// around numbers in Chinese text.
		l = reHanDigitSpace.ReplaceAllString(l, "$1$2")
		l = reDigitHanSpace.ReplaceAllString(l, "$1$2")
		if s.Extraction == "web" {
			l = reArticleRun.ReplaceAllString(fullWidthPunct(l), "$1 $2")
		}
		out = append(out, l)
	}
	return out
}

// joinWrapped joins the lines of a PDF extraction back into paragraphs.
// Lines of a paragraph fill the page width; a paragraph ends on a line
// that stops short after a sentence mark (。；：！？), or one far shorter
// than the width that does not stop on a comma, and at a date, a heading,
// the line before a date (the signature) and the line before an enumerator.
func joinWrapped(lines []string, headings []string) []string {
	isHeading := map[string]bool{}
	for _, h := range headings {
		isHeading[h] = true
	}
	width := lineWidth(lines)
	var paras []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			paras = append(paras, cur.String())
			cur.Reset()
		}
	}
	for i, line := range lines {
		if cur.Len() > 0 && (reEnumerator.MatchString(line) || reDateLine.MatchString(line)) {
			flush()
		}
		cur.WriteString(line)
		n := utf8.RuneCountInString(line)
		last, _ := utf8.DecodeLastRuneInString(line)
		next := ""
		if i+1 < len(lines) {
			next = lines[i+1]
		}
		switch {
		case reDateLine.MatchString(line), isHeading[cur.String()], reDateLine.MatchString(next):
			flush()
		case strings.ContainsRune("。；：！？", last) && n < width-2:
			flush()
		case n < width/2 && !strings.ContainsRune("，、《（“", last):
			flush()
		}
	}
	flush()
	return paras
}

// lineWidth is the page width in characters: the length most full lines
// reach (the 90th percentile, so that one long line does not set it).
func lineWidth(lines []string) int {
	ns := make([]int, len(lines))
	for i, l := range lines {
		ns[i] = utf8.RuneCountInString(l)
	}
	sort.Ints(ns)
	if len(ns) == 0 {
		return 0
	}
	return ns[len(ns)*9/10]
}

// dropTitle removes the lines at the top that spell the title (a title
// that wrapped over two lines counts once both are gone), and a line
// 附件2 above it.
func dropTitle(lines []string, title string) []string {
	want := strings.ReplaceAll(title, " ", "")
	got := ""
	for i, l := range lines {
		if i == 0 && strings.HasPrefix(l, "附件") && utf8.RuneCountInString(l) <= 4 {
			continue
		}
		got += strings.ReplaceAll(l, " ", "")
		if got == want {
			return lines[i+1:]
		}
		if !strings.HasPrefix(want, got) {
			break
		}
	}
	return lines
}

// fullWidthPunct turns ASCII punctuation written between Chinese text into
// its full-width form, as the document had it before a web page converted
// it: ,;:() become ，；：（）.
func fullWidthPunct(s string) string {
	rs := []rune(s)
	han := func(i int) bool { return i >= 0 && i < len(rs) && unicode.Is(unicode.Han, rs[i]) }
	for i, r := range rs {
		switch r {
		case ',', ';', ':':
			if han(i-1) || han(i+1) || i > 0 && strings.ContainsRune(")）", rs[i-1]) {
				rs[i] = map[rune]rune{',': '，', ';': '；', ':': '：'}[r]
			}
		case '(':
			if closeAt := indexRune(rs[i:], ')'); closeAt > 0 && (han(i-1) || han(i+1) || isHanNumeral(rs[i+1])) {
				rs[i], rs[i+closeAt] = '（', '）'
			}
		}
	}
	return string(rs)
}

func indexRune(rs []rune, r rune) int {
	for i, x := range rs {
		if x == r {
			return i
		}
	}
	return -1
}

func isHanNumeral(r rune) bool { return strings.ContainsRune("一二三四五六七八九十", r) }
