package main

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxSummaryRunes caps the 内容概述 the converters write; local rules allow
// 100–500 characters and a catalogue list reads best with short ones.
const MaxSummaryRunes = 200

var (
	reHeading      = regexp.MustCompile(`^#{1,6}\s*`)
	reTableRule    = regexp.MustCompile(`^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$`)
	reHTMLComment  = regexp.MustCompile(`<!--.*?-->`)
	reManyNewlines = regexp.MustCompile(`\n{3,}`)
	reSpaces       = regexp.MustCompile(`[ \t\x{00a0}\x{3000}]+`)
	// A clause that is only a structural heading: 第一章 总则, 第二节, 附则.
	reStructure = regexp.MustCompile(`^(第[〇零一二三四五六七八九十百千]+[编章节分编]|附\s*则|序\s*言)`)
)

// invisible characters the sources carry: zero-width spaces and joiners, BOMs.
var invisible = strings.NewReplacer("\u200b", "", "\u200c", "", "\u200d", "", "\ufeff", "", "\u2060", "", "\r", "")

// PlainText turns the Markdown of a LawRefBook body into plain paragraphs
// separated by blank lines: heading marks, HTML comments and table rules go,
// table rows become cells separated by an ideographic space, and
// zero-width characters are removed.
func PlainText(md string) string {
	md = invisible.Replace(md)
	md = reHTMLComment.ReplaceAllString(md, "")
	var out []string
	for _, line := range strings.Split(md, "\n") {
		line = strings.TrimSpace(reSpaces.ReplaceAllStringFunc(line, collapseSpace))
		switch {
		case line == "":
			out = append(out, "")
			continue
		case reTableRule.MatchString(line) && strings.Contains(line, "-"):
			continue
		case strings.HasPrefix(line, "#"):
			line = strings.TrimSpace(reHeading.ReplaceAllString(line, ""))
			line = strings.Trim(line, "#")
		case strings.HasPrefix(line, "|"):
			var cells []string
			for _, c := range strings.Split(strings.Trim(line, "|"), "|") {
				if c = strings.TrimSpace(c); c != "" {
					cells = append(cells, c)
				}
			}
			line = strings.Join(cells, "\u3000")
		}
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, line)
		} else {
			out = append(out, "")
		}
	}
	// Paragraphs are separated by one blank line whatever the source did.
	var paras []string
	for _, p := range out {
		if p != "" {
			paras = append(paras, p)
		}
	}
	return strings.Join(paras, "\n\n")
}

// collapseSpace keeps one space for a run of spaces (an ideographic space
// when the run had one, as in 第一章　总则).
func collapseSpace(s string) string {
	if strings.ContainsRune(s, '\u3000') {
		return "\u3000"
	}
	return " "
}

// CleanTitle collapses the whitespace of a title.
func CleanTitle(s string) string {
	return strings.TrimSpace(reSpaces.ReplaceAllString(invisible.Replace(s), " "))
}

// Paragraphs splits plain text into its non-empty paragraphs.
func Paragraphs(text string) []string {
	var ps []string
	for _, p := range strings.Split(text, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			ps = append(ps, p)
		}
	}
	return ps
}

var rePurposeClause = regexp.MustCompile(`^第[一1]条\s*[（(]?[^）)]{0,8}[）)]?\s*(为了?.*)$`)

// Summary writes a 内容概述 for a body: the purpose clause of 第一条 (为了…，
// 制定本法。) when there is one, since it says what the document is for;
// otherwise the first sentences of the first paragraphs that are not
// headings. At most MaxSummaryRunes runes.
func Summary(body string) string {
	ps := Paragraphs(body)
	for i, p := range ps {
		if i > 12 {
			break
		}
		if m := rePurposeClause.FindStringSubmatch(p); m != nil {
			return Truncate(firstSentence(m[1]), MaxSummaryRunes)
		}
		// 第一条（目的） on a line of its own, the clause on the next.
		if strings.HasPrefix(p, "第一条") && utf8.RuneCountInString(p) <= 12 && i+1 < len(ps) &&
			strings.HasPrefix(ps[i+1], "为") {
			return Truncate(firstSentence(ps[i+1]), MaxSummaryRunes)
		}
	}
	var b strings.Builder
	for _, p := range ps {
		// Headings, and the addressees a notice opens with (各区县…：).
		if IsHeading(p) || b.Len() == 0 && strings.HasPrefix(p, "各") && (strings.HasSuffix(p, "：") || strings.HasSuffix(p, ":")) {
			continue
		}
		for _, s := range sentences(p) {
			if b.Len() > 0 && utf8.RuneCountInString(b.String()+s) > MaxSummaryRunes {
				return Truncate(b.String(), MaxSummaryRunes)
			}
			b.WriteString(s)
			if utf8.RuneCountInString(b.String()) >= 80 {
				return Truncate(b.String(), MaxSummaryRunes)
			}
		}
	}
	return Truncate(b.String(), MaxSummaryRunes)
}

// IsHeading reports whether a paragraph is a heading rather than prose: a
// structural heading (第一章 总则), or a short line that ends without
// sentence punctuation.
func IsHeading(p string) bool {
	if reStructure.MatchString(p) && utf8.RuneCountInString(p) <= 40 {
		return true
	}
	last, _ := utf8.DecodeLastRuneInString(p)
	return utf8.RuneCountInString(p) <= 30 && !strings.ContainsRune("。；：！？…”」）)", last)
}

// sentences splits a paragraph after each 。！？； keeping the mark.
func sentences(p string) []string {
	var out []string
	start := 0
	for i, r := range p {
		if strings.ContainsRune("。！？；", r) {
			end := i + utf8.RuneLen(r)
			out = append(out, p[start:end])
			start = end
		}
	}
	if start < len(p) {
		out = append(out, p[start:])
	}
	return out
}

func firstSentence(p string) string {
	if s := sentences(p); len(s) > 0 {
		return s[0]
	}
	return p
}

// Truncate shortens s to at most max runes, cutting after the last clause
// mark that fits and ending with …… when anything was cut.
func Truncate(s string, max int) string {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	rs := []rune(s)[:max-2]
	cut := len(rs)
	for i := len(rs) - 1; i >= len(rs)/2; i-- {
		if strings.ContainsRune("，。；、：", rs[i]) {
			cut = i
			break
		}
	}
	return strings.TrimRightFunc(string(rs[:cut]), unicode.IsSpace) + "……"
}
