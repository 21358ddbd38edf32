package catalogue

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
)

// MustDefaultCalendar returns the embedded calendar, failing the test if it
// does not hold exactly 2025 and 2026.
func MustDefaultCalendar(tb testing.TB) *Calendar {
	tb.Helper()
	c := DefaultCalendar()
	if got := c.Years(); !slices.Equal(got, []int{2025, 2026}) {
		tb.Fatalf("default calendar years = %v, want [2025 2026]", got)
	}
	return c
}

// calDate is MustParseDate under a short name for the tables below.
func calDate(s string) Date { return MustParseDate(s) }

func TestDefaultCalendar(t *testing.T) {
	c := MustDefaultCalendar(t)
	// Both years have 248 working days (365 days, 104 or 105 weekend days,
	// 13 or 14 holiday weekdays, 5 or 6 make-up days); counted by hand from
	// the notices.
	for _, year := range []int{2025, 2026} {
		n := 0
		for day := (Date{year, 1, 1}); day.Year == year; day = day.AddDays(1) {
			ok, err := c.IsWorkingDay(day)
			if err != nil {
				t.Fatalf("IsWorkingDay(%s) error %v", day, err)
			}
			if ok {
				n++
			}
		}
		if n != 248 {
			t.Errorf("%d has %d working days, want 248", year, n)
		}
	}
	if a, b := DefaultCalendar(), DefaultCalendar(); a == b {
		t.Error("DefaultCalendar returned the same instance twice; edits would leak between callers")
	}
}

func TestCalendarIsWorkingDay(t *testing.T) {
	c := MustDefaultCalendar(t)
	for day, want := range map[string]bool{
		"2025-01-01": false, // 元旦, Wednesday
		"2025-01-26": true,  // Sunday worked for 春节
		"2025-01-28": false, // 春节, Tuesday
		"2025-02-04": false, // last day of 春节
		"2025-02-05": true,
		"2025-02-08": true,  // Saturday worked for 春节
		"2025-02-09": false, // an ordinary Sunday
		"2025-04-27": true,  // Sunday worked for 劳动节
		"2025-05-05": false,
		"2025-06-02": false, // 端午节, Monday
		"2025-09-28": true,
		"2025-10-08": false,
		"2025-10-11": true,
		"2026-01-02": false,
		"2026-01-04": true, // Sunday worked for 元旦
		"2026-02-14": true,
		"2026-02-23": false, // 春节, Monday
		"2026-02-28": true,
		"2026-05-09": true,
		"2026-06-19": false, // 端午节, Friday
		"2026-09-20": true,
		"2026-09-25": false, // 中秋节, Friday
		"2026-10-07": false,
		"2026-10-08": true,
		"2026-10-10": true,
		"2026-10-11": false,
	} {
		got, err := c.IsWorkingDay(calDate(day))
		if err != nil || got != want {
			t.Errorf("IsWorkingDay(%s) = %v, %v; want %v, nil", day, got, err, want)
		}
	}

	t.Run("ErrNoCalendar", func(t *testing.T) {
		got, err := c.IsWorkingDay(calDate("2027-01-01")) // a Friday
		var nc *NoCalendarError
		if !errors.As(err, &nc) || nc.Year != 2027 {
			t.Fatalf("IsWorkingDay(2027-01-01) error = %v, want *NoCalendarError{2027}", err)
		}
		if !got {
			t.Error("the weekend-only estimate for Friday 2027-01-01 should be a working day")
		}
		if ErrorCode(err) != EINVALID || ErrorMessage(err) != "2027 年的工作日历尚未录入，日期仅按周末估算" {
			t.Errorf("code %q message %q, want EINVALID and the Chinese message", ErrorCode(err), ErrorMessage(err))
		}
		if year, ok := IsNoCalendar(err); !ok || year != 2027 {
			t.Errorf("IsNoCalendar = %d, %v", year, ok)
		}
	})
	t.Run("ErrZeroDate", func(t *testing.T) {
		if _, err := c.IsWorkingDay(Date{}); ErrorCode(err) != EINVALID {
			t.Errorf("IsWorkingDay(zero) error = %v, want EINVALID", err)
		}
	})
}

func TestCalendarAddWorkingDays(t *testing.T) {
	c := MustDefaultCalendar(t)
	tests := []struct {
		name string
		from string
		n    int
		want string
	}{
		// 2026-09-18 is a Friday. 9-19 Sat off; 9-20 Sun worked (1); 9-21…
		// 9-24 (2–5); 9-25…9-27 中秋节; 9-28…9-30 (6–8); 10-01…10-07 国庆节;
		// 10-08, 10-09 (9, 10); 10-10 Sat worked (11); 10-11 Sun off;
		// 10-12…10-16 (12–16); weekend; 10-19…10-22 (17–20).
		{"NationalDay2026", "2026-09-18", 20, "2026-10-22"},
		// 2025-12-20 is a Saturday. 12-22…12-26 (1–5); 12-29…12-31 (6–8);
		// 2026-01-01…01-03 元旦; 01-04 Sun worked (9); 01-05…01-09 (10–14);
		// 01-12…01-16 (15–19); 01-19 Mon (20).
		{"YearBoundary", "2025-12-20", 20, "2026-01-19"},
		// Spring Festival 2025: 1-25 Sat off; 1-26 Sun worked (1); 1-27 (2);
		// 1-28…2-04 春节; 2-05…2-07 (3–5); 2-08 Sat worked (6).
		{"SpringFestival2025BeforeHoliday", "2025-01-24", 2, "2025-01-27"},
		{"SpringFestival2025AfterHoliday", "2025-01-24", 5, "2025-02-07"},
		{"SpringFestival2025SaturdayWorked", "2025-01-24", 6, "2025-02-08"},
		{"SpringFestival2025Sunday", "2025-01-24", 7, "2025-02-10"},
		// Spring Festival 2026: 2-14 Sat worked (1); 2-15…2-23 春节;
		// 2-24…2-27 (2–5); 2-28 Sat worked (6); 3-01 Sun off; 3-02 (7).
		{"SpringFestival2026SaturdayBefore", "2026-02-13", 1, "2026-02-14"},
		{"SpringFestival2026AfterHoliday", "2026-02-13", 2, "2026-02-24"},
		{"SpringFestival2026SaturdayAfter", "2026-02-13", 6, "2026-02-28"},
		{"SpringFestival2026Monday", "2026-02-13", 7, "2026-03-02"},
		// National Day 2025: 9-27 Sat off; 9-28 Sun worked (1); 9-29, 9-30
		// (2, 3); 10-01…10-08; 10-09, 10-10 (4, 5); 10-11 Sat worked (6).
		{"NationalDay2025", "2025-09-26", 4, "2025-10-09"},
		{"NationalDay2025SaturdayWorked", "2025-09-26", 6, "2025-10-11"},
		{"LabourDay2025SundayWorked", "2025-04-25", 1, "2025-04-27"},
		{"LabourDay2025", "2025-04-30", 1, "2025-05-06"},
		{"ZeroDays", "2026-02-15", 0, "2026-02-15"},
		{"ZeroDaysInYearWithoutData", "2027-06-01", 0, "2027-06-01"},
		{"FromHoliday", "2026-10-01", 1, "2026-10-08"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.AddWorkingDays(calDate(tt.from), tt.n)
			if err != nil || got != calDate(tt.want) {
				t.Errorf("AddWorkingDays(%s, %d) = %s, %v; want %s, nil", tt.from, tt.n, got, err, tt.want)
			}
		})
	}

	t.Run("ErrNoCalendarWithEstimate", func(t *testing.T) {
		// 2027-03-01 is a Monday: weekdays 3-02…3-05 and 3-08.
		got, err := c.AddWorkingDays(calDate("2027-03-01"), 5)
		if year, ok := IsNoCalendar(err); !ok || year != 2027 {
			t.Fatalf("error = %v, want *NoCalendarError{2027}", err)
		}
		if got != calDate("2027-03-08") {
			t.Errorf("estimate = %s, want 2027-03-08", got)
		}
	})
	t.Run("ErrNoCalendarAcrossYearEnd", func(t *testing.T) {
		// 2026-12-24 Thu: 12-25 (1), 12-28…12-31 (2–5), then 2027 unknown:
		// 2027-01-01 Fri (6) by weekends only.
		got, err := c.AddWorkingDays(calDate("2026-12-24"), 6)
		if year, ok := IsNoCalendar(err); !ok || year != 2027 || got != calDate("2027-01-01") {
			t.Errorf("AddWorkingDays(2026-12-24, 6) = %s, %v; want the estimate 2027-01-01 with NoCalendarError{2027}", got, err)
		}
		got, err = c.AddWorkingDays(calDate("2026-12-24"), 5)
		if err != nil || got != calDate("2026-12-31") {
			t.Errorf("AddWorkingDays(2026-12-24, 5) = %s, %v; want 2026-12-31, nil", got, err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for _, tc := range []struct {
			from Date
			n    int
		}{{calDate("2026-01-05"), -1}, {Date{}, 3}, {calDate("2026-01-05"), 1 << 30}} {
			if _, err := c.AddWorkingDays(tc.from, tc.n); ErrorCode(err) != EINVALID {
				t.Errorf("AddWorkingDays(%s, %d) error = %v, want EINVALID", tc.from, tc.n, err)
			}
		}
	})
}

// TestCalendarBetweenMatchesAdd checks, for every day of 2025 and 2026, that
// counting the working days up to AddWorkingDays(d, n) gives n back, that
// the day reached is a working day, and that no working day was skipped.
func TestCalendarBetweenMatchesAdd(t *testing.T) {
	c := MustDefaultCalendar(t)
	for day := calDate("2025-01-01"); day.Year < 2027; day = day.AddDays(1) {
		for _, n := range []int{0, 1, 2, 5, 20, 40} {
			end, errAdd := c.AddWorkingDays(day, n)
			between, errBetween := c.WorkingDaysBetween(day, end)
			if between != n {
				t.Fatalf("WorkingDaysBetween(%s, %s) = %d, want %d", day, end, between, n)
			}
			back, _ := c.WorkingDaysBetween(end, day)
			if back != -n {
				t.Fatalf("WorkingDaysBetween(%s, %s) = %d, want %d", end, day, back, -n)
			}
			// Only a count that runs into 2027 may report missing data.
			wantErr := end.Year == 2027
			if y, ok := IsNoCalendar(errAdd); ok != wantErr || (ok && y != 2027) {
				t.Fatalf("AddWorkingDays(%s, %d) = %s, error %v", day, n, end, errAdd)
			}
			if _, ok := IsNoCalendar(errBetween); ok != wantErr {
				t.Fatalf("WorkingDaysBetween(%s, %s) error %v", day, end, errBetween)
			}
			if n == 0 {
				continue
			}
			if ok, _ := c.IsWorkingDay(end); !ok {
				t.Fatalf("AddWorkingDays(%s, %d) = %s, which is not a working day", day, n, end)
			}
			// The day before end holds one working day fewer.
			if before, _ := c.WorkingDaysBetween(day, end.AddDays(-1)); before != n-1 {
				t.Fatalf("WorkingDaysBetween(%s, %s) = %d, want %d", day, end.AddDays(-1), before, n-1)
			}
		}
	}
}

func TestCalendarWorkingDaysBetween(t *testing.T) {
	c := MustDefaultCalendar(t)
	tests := []struct {
		name     string
		from, to string
		want     int
	}{
		{"SameDay", "2026-03-02", "2026-03-02", 0},
		{"WholeYears", "2024-12-31", "2026-12-31", 496}, // from itself is not counted, so 2024 is not needed
		{"OverSpringFestival2026", "2026-02-13", "2026-02-28", 6},
		{"Backwards", "2026-02-28", "2026-02-13", -6},
		{"WeekendOnly", "2026-03-06", "2026-03-08", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.WorkingDaysBetween(calDate(tt.from), calDate(tt.to))
			if err != nil || got != tt.want {
				t.Errorf("WorkingDaysBetween(%s, %s) = %d, %v; want %d, nil", tt.from, tt.to, got, err, tt.want)
			}
		})
	}
	t.Run("ErrNoCalendar", func(t *testing.T) {
		// 2024-12-30 Mon to 2025-01-03 Fri: 12-31 estimated, 01-01 元旦, 01-02, 01-03.
		got, err := c.WorkingDaysBetween(calDate("2024-12-30"), calDate("2025-01-03"))
		if year, ok := IsNoCalendar(err); !ok || year != 2024 || got != 3 {
			t.Errorf("= %d, %v; want the estimate 3 with NoCalendarError{2024}", got, err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		if _, err := c.WorkingDaysBetween(Date{}, calDate("2025-01-03")); ErrorCode(err) != EINVALID {
			t.Errorf("zero date: error %v, want EINVALID", err)
		}
		if _, err := c.WorkingDaysBetween(calDate("1900-01-01"), calDate("2199-01-01")); ErrorCode(err) != EINVALID {
			t.Errorf("three centuries: error %v, want EINVALID", err)
		}
	})
}

func TestCalendarMissingYears(t *testing.T) {
	c := MustDefaultCalendar(t)
	if got := c.MissingYears(calDate("2025-06-01"), calDate("2028-01-01")); !slices.Equal(got, []int{2027, 2028}) {
		t.Errorf("MissingYears(2025…2028) = %v, want [2027 2028]", got)
	}
	if got := c.MissingYears(calDate("2028-01-01"), calDate("2024-06-01")); !slices.Equal(got, []int{2024, 2027, 2028}) {
		t.Errorf("MissingYears(2028…2024) = %v, want [2024 2027 2028]", got)
	}
	if got := c.MissingYears(calDate("2025-01-01"), calDate("2026-12-31")); len(got) != 0 {
		t.Errorf("MissingYears(2025…2026) = %v, want none", got)
	}
	var none *Calendar
	if got := none.MissingYears(calDate("2025-01-01"), calDate("2026-01-01")); !slices.Equal(got, []int{2025, 2026}) {
		t.Errorf("nil calendar MissingYears = %v, want [2025 2026]", got)
	}
	if _, err := none.AddWorkingDays(calDate("2025-01-01"), 1); err == nil {
		t.Error("a nil calendar answered without NoCalendarError")
	}
}

func TestCalendarPublishDeadline(t *testing.T) {
	c := MustDefaultCalendar(t)
	got, err := c.PublishDeadline(calDate("2026-09-18"), 20)
	if err != nil || got != calDate("2026-10-22") {
		t.Errorf("PublishDeadline(2026-09-18, 20) = %s, %v; want 2026-10-22", got, err)
	}
	t.Run("ErrInvalid", func(t *testing.T) {
		if _, err := c.PublishDeadline(Date{}, 20); ErrorCode(err) != EINVALID {
			t.Errorf("zero formation date: error %v, want EINVALID", err)
		}
		if _, err := c.PublishDeadline(calDate("2026-09-18"), 0); ErrorCode(err) != EINVALID {
			t.Errorf("zero working days: error %v, want EINVALID", err)
		}
	})
	t.Run("ErrNoCalendar", func(t *testing.T) {
		got, err := c.PublishDeadline(calDate("2026-12-20"), 20)
		if year, ok := IsNoCalendar(err); !ok || year != 2027 || got.Year != 2027 {
			t.Errorf("= %s, %v; want an estimate in 2027 with NoCalendarError{2027}", got, err)
		}
	})
}

// schedule2027 is a plausible schedule for a year the defaults lack.
func schedule2027() YearSchedule {
	return YearSchedule{
		Year: 2027,
		Holidays: []Holiday{
			{Name: "国庆节", From: calDate("2027-10-01"), To: calDate("2027-10-07")},
			{Name: "元旦", From: calDate("2027-01-01"), To: calDate("2027-01-03")},
		},
		Workdays: []Date{calDate("2027-10-09"), calDate("2027-09-26")},
	}
}

func TestCalendarSetYear(t *testing.T) {
	c := MustDefaultCalendar(t)
	if err := c.SetYear(schedule2027()); err != nil {
		t.Fatalf("SetYear(2027) = %v", err)
	}
	if got := c.Years(); !slices.Equal(got, []int{2025, 2026, 2027}) {
		t.Errorf("Years() = %v", got)
	}
	got, err := c.AddWorkingDays(calDate("2026-12-24"), 6)
	// 12-25 (1), 12-28…12-31 (2–5), 2027-01-01…01-03 元旦, 01-04 Mon (6).
	if err != nil || got != calDate("2027-01-04") {
		t.Errorf("after SetYear(2027): AddWorkingDays(2026-12-24, 6) = %s, %v; want 2027-01-04, nil", got, err)
	}
	s, ok := c.Year(2027)
	if !ok || s.Holidays[0].Name != "元旦" || s.Workdays[0] != calDate("2027-09-26") {
		t.Errorf("Year(2027) = %+v, want holidays and workdays sorted by date", s)
	}
	s.Holidays[0].Name = "changed by the caller"
	if again, _ := c.Year(2027); again.Holidays[0].Name != "元旦" {
		t.Error("Year returned a schedule sharing memory with the calendar")
	}
	if !c.RemoveYear(2027) || c.RemoveYear(2027) {
		t.Error("RemoveYear(2027) should report true once, then false")
	}
	if _, err := c.IsWorkingDay(calDate("2027-01-04")); err == nil {
		t.Error("2027 still known after RemoveYear")
	}

	t.Run("ErrInvalidLeavesCalendarUnchanged", func(t *testing.T) {
		bad := schedule2026()
		bad.Workdays = append(bad.Workdays, calDate("2026-10-01"))
		if err := c.SetYear(bad); ErrorCode(err) != EINVALID {
			t.Fatalf("SetYear(bad) = %v, want EINVALID", err)
		}
		if ok, err := c.IsWorkingDay(calDate("2026-10-01")); ok || err != nil {
			t.Errorf("2026-10-01 = %v, %v after a refused SetYear; want a holiday still", ok, err)
		}
	})
}

func schedule2026() YearSchedule {
	s, _ := DefaultCalendar().Year(2026)
	return s
}

func TestYearScheduleValidate(t *testing.T) {
	tests := map[string]struct {
		change func(*YearSchedule)
		want   string // part of the message
	}{
		"ErrBothHolidayAndWorkday": {func(s *YearSchedule) { s.Workdays = append(s.Workdays, calDate("2026-02-15")) }, "既在假期“春节”中"},
		"ErrWorkdayOutsideYear":    {func(s *YearSchedule) { s.Workdays = append(s.Workdays, calDate("2027-01-09")) }, "不在 2026 年内"},
		"ErrHolidayOutsideYear": {func(s *YearSchedule) {
			s.Holidays[0].From = calDate("2025-12-31")
		}, "不在 2026 年内"},
		"ErrDuplicateWorkday": {func(s *YearSchedule) { s.Workdays = append(s.Workdays, calDate("2026-01-04")) }, "重复出现"},
		"ErrOverlappingHoliday": {func(s *YearSchedule) {
			s.Holidays = append(s.Holidays, Holiday{Name: "补录", From: calDate("2026-10-07"), To: calDate("2026-10-08")})
		}, "同时出现在假期“国庆节”和“补录”中"},
		"ErrWorkdayOnWeekday":   {func(s *YearSchedule) { s.Workdays = append(s.Workdays, calDate("2026-03-04")) }, "是星期三，本来就是工作日"},
		"ErrFromAfterTo":        {func(s *YearSchedule) { s.Holidays[1].From, s.Holidays[1].To = s.Holidays[1].To, s.Holidays[1].From }, "晚于结束日期"},
		"ErrHolidayTooLong":     {func(s *YearSchedule) { s.Holidays[6].To = calDate("2026-12-31") }, "长达"},
		"ErrNoHolidays":         {func(s *YearSchedule) { s.Holidays = nil }, "没有录入任何节假日"},
		"ErrHolidayWithoutName": {func(s *YearSchedule) { s.Holidays[2].Name = " " }, "缺少名称"},
		"ErrZeroDate":           {func(s *YearSchedule) { s.Workdays = append(s.Workdays, Date{}) }, "空日期"},
		"ErrYearOutOfRange":     {func(s *YearSchedule) { s.Year = 20260 }, "超出"},
	}
	if err := schedule2026().Validate(); err != nil {
		t.Fatalf("the 2026 schedule is invalid: %v", err)
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			s := schedule2026()
			tt.change(&s)
			err := s.Validate()
			if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.want) {
				t.Errorf("Validate() = %v, want EINVALID containing %q", err, tt.want)
			}
		})
	}
}

func TestParseCalendar(t *testing.T) {
	t.Run("RoundTrip", func(t *testing.T) {
		c := MustDefaultCalendar(t)
		if err := c.SetYear(schedule2027()); err != nil {
			t.Fatal(err)
		}
		data, err := c.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseCalendar(data)
		if err != nil {
			t.Fatalf("ParseCalendar(MarshalJSON()) = %v\n%s", err, data)
		}
		again, _ := back.MarshalJSON()
		if !bytes.Equal(data, again) {
			t.Errorf("round trip changed the calendar:\n%s\n---\n%s", data, again)
		}
		if !bytes.Contains(data, []byte(`"from": "2027-01-01"`)) {
			t.Errorf("marshalled calendar lacks the 2027 holidays:\n%s", data)
		}
	})
	t.Run("EmptyCalendarKnowsNoYear", func(t *testing.T) {
		c, err := ParseCalendar([]byte(`{"years": []}`))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.IsWorkingDay(calDate("2025-01-01")); err == nil {
			t.Error("an empty calendar answered without NoCalendarError")
		}
	})
	errs := map[string]struct{ json, want string }{
		"ErrSyntax":       {`{"years": [`, "不是有效的 JSON"},
		"ErrUnknownField": {`{"years": [{"year": 2026, "workday": ["2026-01-04"]}]}`, "未知的字段 \"workday\""},
		"ErrBadDate":      {`{"years": [{"year": 2026, "holidays": [{"name": "x", "from": "2026-02-30", "to": "2026-03-01"}]}]}`, "2026-02-30"},
		"ErrDuplicateYear": {`{"years": [
			{"year": 2026, "holidays": [{"name": "元旦", "from": "2026-01-01", "to": "2026-01-01"}]},
			{"year": 2026, "holidays": [{"name": "元旦", "from": "2026-01-01", "to": "2026-01-01"}]}]}`, "2026 年出现了不止一次"},
		"ErrBothHolidayAndWorkday": {`{"years": [{"year": 2026,
			"holidays": [{"name": "元旦", "from": "2026-01-01", "to": "2026-01-04"}], "workdays": ["2026-01-04"]}]}`, "既在假期“元旦”中"},
		"ErrOutsideYear": {`{"years": [{"year": 2026,
			"holidays": [{"name": "元旦", "from": "2025-12-31", "to": "2026-01-01"}]}]}`, "不在 2026 年内"},
	}
	for name, tt := range errs {
		t.Run(name, func(t *testing.T) {
			c, err := ParseCalendar([]byte(tt.json))
			if c != nil || ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.want) {
				t.Errorf("ParseCalendar = %v, %v; want EINVALID containing %q", c, err, tt.want)
			}
		})
	}
}

// TestCalendarConcurrentEdit runs readers against an admin's edits; the
// race detector checks the locking.
func TestCalendarConcurrentEdit(t *testing.T) {
	c := MustDefaultCalendar(t)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 50 {
				if _, err := c.AddWorkingDays(calDate("2025-12-01"), 30); err != nil {
					t.Errorf("AddWorkingDays: %v", err)
					return
				}
				_, _ = c.MarshalJSON()
			}
		})
	}
	wg.Go(func() {
		for range 50 {
			if err := c.SetYear(schedule2027()); err != nil {
				t.Errorf("SetYear: %v", err)
				return
			}
			c.RemoveYear(2027)
		}
	})
	wg.Wait()
}

// BenchmarkPublishDeadline measures the deadline computed for every entry
// of a staff listing.
func BenchmarkPublishDeadline(b *testing.B) {
	c := MustDefaultCalendar(b)
	formed := calDate("2026-09-18")
	for b.Loop() {
		if _, err := c.PublishDeadline(formed, 20); err != nil {
			b.Fatal(err)
		}
	}
}
