package main

import "testing"

func TestParseChineseDay(t *testing.T) {
	tests := map[string]struct {
		in, want string
	}{
		"Arabic":              {"2001年6月15日", "2001-06-15"},
		"TwoDigitMonth":       {"2011年11月17日", "2011-11-17"},
		"SpacesFromPDF":       {"2019 年 12 月 2 日", "2019-12-02"},
		"FullWidthDigits":     {"２００１年６月１５日", "2001-06-15"},
		"HanNumerals":         {"一九九五年三月二十六日", "1995-03-26"},
		"HanNumeralsCircle":   {"二○一六年七月二十日", "2016-07-20"},
		"HanTen":              {"二○○四年十月一日", "2004-10-01"},
		"ISO":                 {"2022-03-15", "2022-03-15"},
		"InsideText":          {"本条例自2002年7月1日起施行。", "2002-07-01"},
		"ImpossibleDay":       {"2019年2月30日", ""},
		"MissingDayCharacter": {"2014年9月26", ""},
		"NoDate":              {"中华人民共和国国务院令第306号公布", ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			d, ok := ParseChineseDay(tt.in)
			if d.String() != tt.want || ok != (tt.want != "") {
				t.Errorf("ParseChineseDay(%q) = %q, %v; want %q", tt.in, d, ok, tt.want)
			}
		})
	}
}

func TestFindDaysInOrder(t *testing.T) {
	days := FindDays("1993年2月6日通过、一九九八年一月十四日修正、2011-09-22修订")
	want := []string{"1993-02-06", "1998-01-14", "2011-09-22"}
	if len(days) != len(want) {
		t.Fatalf("FindDays found %v, want %v", days, want)
	}
	for i := range want {
		if days[i].String() != want[i] {
			t.Errorf("day %d = %s, want %s", i, days[i], want[i])
		}
	}
}

func TestDayArithmetic(t *testing.T) {
	d := Day{2019, 12, 2}
	if got := d.AddDays(60).String(); got != "2020-01-31" {
		t.Errorf("AddDays(60) = %s, want 2020-01-31", got)
	}
	if !d.Before(Day{2019, 12, 10}) || d.Before(d) {
		t.Error("Before is wrong")
	}
	if (Day{}).String() != "" {
		t.Error("the zero Day must format as empty")
	}
}
