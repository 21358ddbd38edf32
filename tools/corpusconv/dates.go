package main

import (
	"regexp"
	"strings"
	"time"
)

// A Day is a calendar day as written on a document. The zero Day is unknown.
type Day struct {
	Year, Month, Dom int
}

// dayOf makes a Day and reports whether it exists on the calendar
// (2019-02-30 does not).
func dayOf(y, m, d int) (Day, bool) {
	if y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31 {
		return Day{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || int(t.Month()) != m {
		return Day{}, false
	}
	return Day{y, m, d}, true
}

// IsZero reports whether the day is unknown.
func (d Day) IsZero() bool { return d == Day{} }

// String formats the day as YYYY-MM-DD, the import format's dates, or "".
func (d Day) String() string {
	if d.IsZero() {
		return ""
	}
	return time.Date(d.Year, time.Month(d.Month), d.Dom, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
}

// Before reports whether d is earlier than o.
func (d Day) Before(o Day) bool { return d.String() < o.String() }

// AddDays returns the day n days later.
func (d Day) AddDays(n int) Day {
	t := time.Date(d.Year, time.Month(d.Month), d.Dom+n, 0, 0, 0, 0, time.UTC)
	return Day{t.Year(), int(t.Month()), t.Day()}
}

// ParseISODay reads YYYY-MM-DD.
func ParseISODay(s string) (Day, bool) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	if err != nil {
		return Day{}, false
	}
	return dayOf(t.Year(), int(t.Month()), t.Day())
}

// Chinese dates come as 2001年6月15日, with full-width digits (２００１年),
// spaces from PDF extraction (2019 年 12 月 2 日) or in Chinese numerals
// (一九九五年三月二十六日, 二○一六年七月二十日).
var (
	cnDigits    = `[0-9０-９]`
	cnNumerals  = `[〇○零Ｏ一二三四五六七八九十]`
	reDayArabic = regexp.MustCompile(`(` + cnDigits + `{4})\s*年\s*(` + cnDigits + `{1,2})\s*月\s*(` + cnDigits + `{1,2})\s*日`)
	reDayHan    = regexp.MustCompile(`(` + cnNumerals + `{4})年(` + cnNumerals + `{1,3})月(` + cnNumerals + `{1,3})日`)
	reDayISO    = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
)

// ParseChineseDay reads the first date written in s in any of the forms
// above, or as YYYY-MM-DD.
func ParseChineseDay(s string) (Day, bool) {
	days := FindDays(s)
	if len(days) == 0 {
		return Day{}, false
	}
	return days[0], true
}

// FindDays returns every valid date written in s, in the order they appear.
func FindDays(s string) []Day {
	type hit struct {
		at  int
		day Day
	}
	var hits []hit
	for _, m := range reDayArabic.FindAllStringSubmatchIndex(s, -1) {
		y, mo, d := arabic(s[m[2]:m[3]]), arabic(s[m[4]:m[5]]), arabic(s[m[6]:m[7]])
		if day, ok := dayOf(y, mo, d); ok {
			hits = append(hits, hit{m[0], day})
		}
	}
	for _, m := range reDayHan.FindAllStringSubmatchIndex(s, -1) {
		y, mo, d := hanYear(s[m[2]:m[3]]), hanNumber(s[m[4]:m[5]]), hanNumber(s[m[6]:m[7]])
		if day, ok := dayOf(y, mo, d); ok {
			hits = append(hits, hit{m[0], day})
		}
	}
	for _, m := range reDayISO.FindAllStringSubmatchIndex(s, -1) {
		if day, ok := ParseISODay(s[m[0]:m[1]]); ok {
			hits = append(hits, hit{m[0], day})
		}
	}
	// Few hits per string: insertion sort by position keeps it stable.
	for i := 1; i < len(hits); i++ {
		for j := i; j > 0 && hits[j].at < hits[j-1].at; j-- {
			hits[j], hits[j-1] = hits[j-1], hits[j]
		}
	}
	days := make([]Day, len(hits))
	for i, h := range hits {
		days[i] = h.day
	}
	return days
}

// arabic reads ASCII or full-width decimal digits.
func arabic(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			n = n*10 + int(r-'0')
		case r >= '０' && r <= '９':
			n = n*10 + int(r-'０')
		}
	}
	return n
}

var hanDigit = map[rune]int{'〇': 0, '○': 0, '零': 0, 'Ｏ': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// hanYear reads a year written digit by digit: 一九九五 is 1995.
func hanYear(s string) int {
	n := 0
	for _, r := range s {
		d, ok := hanDigit[r]
		if !ok {
			return 0
		}
		n = n*10 + d
	}
	return n
}

// hanNumber reads 1–99 in Chinese numerals: 三, 十, 十二, 二十, 二十六.
func hanNumber(s string) int {
	rs := []rune(s)
	switch {
	case len(rs) == 1 && rs[0] == '十':
		return 10
	case len(rs) == 1:
		return hanDigit[rs[0]]
	case len(rs) == 2 && rs[0] == '十':
		return 10 + hanDigit[rs[1]]
	case len(rs) == 2 && rs[1] == '十':
		return hanDigit[rs[0]] * 10
	case len(rs) == 3 && rs[1] == '十':
		return hanDigit[rs[0]]*10 + hanDigit[rs[2]]
	}
	return 0
}
