package catalogue

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DocNo is a parsed 发文字号 or 令号.
//
// A 文号 such as 韶工信〔2019〕12号 has the 机关代字 as Prefix, a Year and a
// Serial. A 令号 such as 中华人民共和国国务院令第306号 has no year: Year is 0
// and Prefix is the issuing organ without 中华人民共和国 and without 令
// (国务院), because people write it both with and without the country name.
// A 文号 typed without its prefix (〔2019〕12号) parses with Prefix "".
type DocNo struct {
	Prefix string
	Year   int
	Serial int
}

// IsOrder reports whether d is a 令号 (numbered without a year).
func (d DocNo) IsOrder() bool { return d.Year == 0 }

// String returns the canonical form. A 文号 is written as GB/T 9704-2012
// §7.2.5 has it: 机关代字, the year in 六角括号〔〕, the serial without 第 and
// without leading zeros, then 号: 韶工信〔2019〕12号. A 令号 is the organ,
// 令第, the serial in Arabic digits, 号: 国务院令第306号, 主席令第3号.
func (d DocNo) String() string {
	switch {
	case d.Serial <= 0:
		return ""
	case d.IsOrder():
		return d.Prefix + "令第" + strconv.Itoa(d.Serial) + "号"
	default:
		return fmt.Sprintf("%s〔%04d〕%d号", d.Prefix, d.Year, d.Serial)
	}
}

// Bounds on what is taken for a 文号; outside them a string is more likely
// something else (a phone number, a date, a sentence).
const (
	docNoMinYear   = 1900
	docNoMaxYear   = 2199
	docNoMaxRunes  = 64
	docNoMaxSerial = 9999999
)

var (
	// 文号: optional prefix, the year in brackets (〔2019〕, 〔2019年〕) or
	// followed by 年, an optional 第, the serial, an optional 号.
	docNoPattern = regexp.MustCompile(`^([\p{Han}A-Za-z]*)(?:〔(\d{4})年?〕|(\d{4})年)第?(\d{1,7})(号?)$`)
	// 令号: organ 令 (第) N 号, also with the number in brackets: 国务院令（第306号）.
	orderPattern = regexp.MustCompile(`^(\p{Han}+?)令〔?第?(\d{1,6}|[零〇一二两三四五六七八九十百千]+)号〕?$`)
	// 令号 written the other way round: 国务院第306号令.
	orderPatternSuffix = regexp.MustCompile(`^(\p{Han}+?)第?(\d{1,6}|[零〇一二两三四五六七八九十百千]+)号令$`)
)

// docNoClean folds full-width letters and digits to ASCII, drops every kind
// of space and turns every bracket people use around the year into 〔〕.
func docNoClean(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range foldWidth(s) {
		switch {
		case unicode.IsSpace(r):
			continue
		case strings.ContainsRune("[(【〔〈﹝〖", r):
			r = '〔'
		case strings.ContainsRune("])】〕〉﹞〗", r):
			r = '〕'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// foldWidth maps full-width ASCII variants (Ａ, １, ［, （) to ASCII and the
// ideographic space to a space; other runes are kept.
func foldWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		}
		return r
	}, s)
}

// ParseDocNo reads a 文号 or 令号 in any of the ways people write one:
// brackets 〔〕 [] () （） 【】 ［］ 〈〉 ﹝﹞ or 2019年 around the year, full- or
// half-width characters, spaces, 第 before the serial, leading zeros. A 文号
// written with 2019年 must carry its prefix and 号; one with a bracketed
// year may omit both (a search for 〔2019〕12 is plainly a 文号).
func ParseDocNo(s string) (DocNo, bool) {
	t := docNoClean(s)
	if t == "" || utf8.RuneCountInString(t) > docNoMaxRunes {
		return DocNo{}, false
	}
	if m := docNoPattern.FindStringSubmatch(t); m != nil {
		prefix, bracketYear, plainYear, hao := m[1], m[2], m[3], m[5]
		if plainYear != "" && (prefix == "" || hao == "") {
			return DocNo{}, false
		}
		year, _ := strconv.Atoi(bracketYear + plainYear)
		serial, _ := strconv.Atoi(m[4])
		if year < docNoMinYear || year > docNoMaxYear || serial < 1 || serial > docNoMaxSerial {
			return DocNo{}, false
		}
		return DocNo{Prefix: prefix, Year: year, Serial: serial}, true
	}
	m := orderPattern.FindStringSubmatch(t)
	if m == nil {
		m = orderPatternSuffix.FindStringSubmatch(t)
	}
	if m == nil {
		return DocNo{}, false
	}
	organ := m[1]
	if rest, ok := strings.CutPrefix(organ, "中华人民共和国"); ok && rest != "" {
		organ = rest
	}
	serial, ok := parseSerial(m[2])
	if !ok {
		return DocNo{}, false
	}
	return DocNo{Prefix: organ, Serial: serial}, true
}

// parseSerial reads a serial written in Arabic or Chinese numerals
// (主席令第七十三号).
func parseSerial(s string) (int, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, n > 0 && n <= docNoMaxSerial
	}
	n, ok := parseChineseNumber(s)
	return n, ok && n > 0
}

// parseChineseNumber reads Chinese numerals below 10000 as serials are
// written: a single digit or a number with units (十二, 七十三, 一百零五).
// Digit-by-digit forms (一二五) are refused: they are how years are written,
// not serials.
func parseChineseNumber(s string) (int, bool) {
	digits := map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4,
		'五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	units := map[rune]int{'十': 10, '百': 100, '千': 1000}
	if !strings.ContainsAny(s, "十百千") {
		r, size := utf8.DecodeRuneInString(s)
		d, ok := digits[r]
		return d, ok && size == len(s)
	}
	total, digit, lastUnit := 0, -1, 10000
	for _, r := range s {
		if d, ok := digits[r]; ok {
			if digit > 0 {
				return 0, false // two digits in a row: 三四十
			}
			digit = d
			continue
		}
		u, ok := units[r]
		if !ok || u >= lastUnit {
			return 0, false
		}
		if digit == -1 {
			digit = 1 // 十二 is 12
		}
		total += digit * u
		digit, lastUnit = -1, u
	}
	if digit > 0 {
		total += digit
	}
	return total, true
}

// NormalizeDocNo returns the key under which every way of writing one 文号
// or 令号 compares equal: the canonical DocNo.String() when s parses, and
// otherwise s with widths folded, spaces removed and year brackets unified,
// so that numbers this parser does not understand still match themselves.
// Another published number written in full (an organ and 第N号) keeps its
// organ as written and gets its serial in Arabic digits: 全国人民代表大会
// 公告第八号 and 公告第8号 are one number.
func NormalizeDocNo(s string) string {
	t := writtenDocNo(s)
	if utf8.RuneCountInString(t) > docNoMaxRunes {
		return t
	}
	// A parsed 令号 (国务院令第711号) matches too, and is left as it is.
	if m := numberedPattern.FindStringSubmatchIndex(t); m != nil {
		if serial, ok := parseSerial(t[m[2]:m[3]]); ok {
			return t[:m[2]] + strconv.Itoa(serial) + t[m[3]:]
		}
	}
	return t
}

// writtenDocNo is a 文号 or 令号 in its canonical form, and any other
// number as written, widths folded, spaces removed and year brackets
// unified: NormalizeDocNo before it read the serials of numbers written in
// full, as import keys still hold them (ImportRecord.ImportKey).
func writtenDocNo(s string) string {
	if d, ok := ParseDocNo(s); ok {
		return d.String()
	}
	return docNoClean(s)
}

// numberedPattern is an organ's name and its serial, as published numbers
// other than a 文号 or 令号 are written: 杭州市第十二届人民代表大会常务委员会
// 公告第78号, 全国人民代表大会公告第八号, a joint order 国务院、中央军事委员会令
// 第577号. ParseDocNo does not read them; they match as written, widths and
// spaces aside (NormalizeDocNo).
var numberedPattern = regexp.MustCompile(`^\p{Han}[\p{Han}、]*第(\d{1,6}|[零〇一二两三四五六七八九十百千]+)号$`)

// LooksLikeDocNo reports whether a search box input is a 文号 or 令号 in any
// of its variants, including a 文号 without its organ prefix (〔2019〕12号),
// or another published number written in full (an organ and 第N号: a 公告
// of a people's congress, a joint order), so that search can put the entry
// carrying it first.
func LooksLikeDocNo(q string) bool {
	if _, ok := ParseDocNo(q); ok {
		return true
	}
	t := docNoClean(q)
	return utf8.RuneCountInString(t) <= docNoMaxRunes && numberedPattern.MatchString(t)
}

// DocNoSuffixes returns the shorter forms of a 文号 or 令号 that people type
// with only the end of its organ prefix, or without it: 常务委员会公告第39号
// and 公告第39号 for 浙江省人民代表大会常务委员会公告第39号, 令第285号 for
// 国务院令第285号, 工信〔2019〕12号 and 〔2019〕12号 for 韶工信〔2019〕12号.
// Each is the normalised number (NormalizeDocNo) from a later character of
// its prefix on; a 文号's year and serial stand alone too, but a 第39号 or
// 令第 without an organ names nothing and is left out.
func DocNoSuffixes(docNo string) []string {
	norm := NormalizeDocNo(docNo)
	end, year := numberStart(norm)
	var out []string
	for i, r := range norm[:max(end, 0)] {
		if i > 0 && unicode.IsLetter(r) { // not at a 、 between two organs
			out = append(out, norm[i:])
		}
	}
	if year {
		out = append(out, norm[end:])
	}
	return out
}

// DocNoPrefix returns the 机关代字 or the organ of a 文号 or 令号, as
// NormalizeDocNo writes it, without its year and serial: 韶工信 of
// 韶工信〔2019〕12号, 国务院令 of 国务院令第290号; "" when it has none.
func DocNoPrefix(docNo string) string {
	norm := NormalizeDocNo(docNo)
	if end, _ := numberStart(norm); end > 0 {
		return norm[:end]
	}
	return ""
}

// numberStart is where the number of a normalised 文号 or 令号 begins: at
// its year's bracket (year is true then), else at its last 第; -1 if it
// has neither.
func numberStart(norm string) (end int, year bool) {
	if end = strings.Index(norm, "〔"); end >= 0 {
		return end, end > 0
	}
	return strings.LastIndex(norm, "第"), false
}
