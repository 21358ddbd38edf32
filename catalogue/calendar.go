package catalogue

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// defaultCalendarJSON is the working-day calendar the service starts with:
// the State Council's published holiday schedules. Admins edit a stored copy.
//
//go:embed calendar.json
var defaultCalendarJSON []byte

// Limits that keep a mistyped argument from looping for minutes.
const (
	maxWorkingDaysAdded = 10000 // about forty years of working days
	maxCalendarSpanDays = 36600 // about a hundred years
	maxHolidayDays      = 31    // the longest real holiday is 9 days; more is a typo
	minCalendarYear     = 1949
	maxCalendarYear     = 2199
)

// Holiday is one holiday period of the State Council's yearly notice, for
// example 春节 2026-02-15 to 2026-02-23, both days included.
type Holiday struct {
	Name string `json:"name"`
	From Date   `json:"from"`
	To   Date   `json:"to"`
}

// YearSchedule is one year of the working-day calendar: the holidays and
// the weekend days that are worked instead (调休上班). Every other Monday to
// Friday is a working day. All dates lie in Year: a holiday that crosses
// New Year is entered in both years.
type YearSchedule struct {
	Year     int       `json:"year"`
	Notice   string    `json:"notice,omitempty"` // the notice the schedule follows
	Holidays []Holiday `json:"holidays"`
	Workdays []Date    `json:"workdays"` // weekend days that are working days
}

// Validate checks that the schedule is one a notice could have published:
// dates inside the year, no day listed twice, no day both a holiday and a
// working day, make-up days on weekends, at least one holiday.
func (y YearSchedule) Validate() error {
	if y.Year < minCalendarYear || y.Year > maxCalendarYear {
		return Errorf(EINVALID, "工作日历年份 %d 超出 %d–%d 的范围", y.Year, minCalendarYear, maxCalendarYear)
	}
	if len(y.Holidays) == 0 {
		return Errorf(EINVALID, "%d 年没有录入任何节假日", y.Year)
	}
	inYear := func(d Date) error {
		if d.IsZero() {
			return Errorf(EINVALID, "%d 年的工作日历中有空日期", y.Year)
		}
		if d.Year != y.Year {
			return Errorf(EINVALID, "日期 %s 不在 %d 年内（跨年的假期请在两年中分别录入）", d, y.Year)
		}
		return nil
	}
	holidayOf := make(map[Date]string)
	for i, h := range y.Holidays {
		name := strings.TrimSpace(h.Name)
		if name == "" {
			return Errorf(EINVALID, "%d 年第 %d 个假期缺少名称", y.Year, i+1)
		}
		if err := inYear(h.From); err != nil {
			return err
		}
		if err := inYear(h.To); err != nil {
			return err
		}
		if h.From.After(h.To) {
			return Errorf(EINVALID, "假期“%s”的开始日期 %s 晚于结束日期 %s", name, h.From, h.To)
		}
		if n := daysFrom(h.From, h.To) + 1; n > maxHolidayDays {
			return Errorf(EINVALID, "假期“%s”长达 %d 天，请核对起止日期", name, n)
		}
		for d := h.From; !d.After(h.To); d = d.AddDays(1) {
			if other, dup := holidayOf[d]; dup {
				return Errorf(EINVALID, "%s 同时出现在假期“%s”和“%s”中", d, other, name)
			}
			holidayOf[d] = name
		}
	}
	seen := make(map[Date]bool)
	for _, d := range y.Workdays {
		if err := inYear(d); err != nil {
			return err
		}
		if seen[d] {
			return Errorf(EINVALID, "调休上班日 %s 重复出现", d)
		}
		seen[d] = true
		if name, ok := holidayOf[d]; ok {
			return Errorf(EINVALID, "%s 既在假期“%s”中，又被列为调休上班日", d, name)
		}
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			return Errorf(EINVALID, "调休上班日 %s 是%s，本来就是工作日，请核对", d, weekdayName(wd))
		}
	}
	return nil
}

// normalized returns a copy with names trimmed and dates in order.
func (y YearSchedule) normalized() YearSchedule {
	out := y
	out.Notice = strings.TrimSpace(y.Notice)
	out.Holidays = slices.Clone(y.Holidays)
	for i := range out.Holidays {
		out.Holidays[i].Name = strings.TrimSpace(out.Holidays[i].Name)
	}
	slices.SortFunc(out.Holidays, func(a, b Holiday) int { return a.From.Compare(b.From) })
	out.Workdays = append([]Date{}, y.Workdays...) // [] rather than null in the file
	slices.SortFunc(out.Workdays, Date.Compare)
	return out
}

func (y YearSchedule) clone() YearSchedule {
	y.Holidays = slices.Clone(y.Holidays)
	y.Workdays = slices.Clone(y.Workdays)
	return y
}

// daysFrom returns the number of calendar days from a to b.
func daysFrom(a, b Date) int { return int(b.Time().Sub(a.Time()).Hours() / 24) }

func weekdayName(wd time.Weekday) string {
	return [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}[wd]
}

// NoCalendarError says a computation needed a year whose holidays have not
// been entered. The result returned with it is an estimate that counts only
// weekends as days off; callers show it flagged as such. errors.As finds an
// *Error with code EINVALID in it, so it reads like any domain error.
type NoCalendarError struct {
	Year int
}

func (e *NoCalendarError) Error() string {
	return fmt.Sprintf("%d 年的工作日历尚未录入，日期仅按周末估算", e.Year)
}

// Unwrap lets ErrorCode and ErrorMessage treat the error as EINVALID.
func (e *NoCalendarError) Unwrap() error { return &Error{Code: EINVALID, Message: e.Error()} }

// Calendar tells working days from days off under the State Council's yearly
// holiday notices. A year without data is never treated as weekends-only
// silently: every answer touching it comes with a *NoCalendarError. It is
// safe for concurrent use; a nil *Calendar knows no year.
type Calendar struct {
	mu    sync.RWMutex
	years map[int]*calendarYear
}

type calendarYear struct {
	schedule YearSchedule
	days     map[Date]bool // true: a make-up working day; false: a holiday
}

func newCalendarYear(s YearSchedule) *calendarYear {
	y := &calendarYear{schedule: s, days: make(map[Date]bool)}
	for _, h := range s.Holidays {
		for d := h.From; !d.After(h.To); d = d.AddDays(1) {
			y.days[d] = false
		}
	}
	for _, d := range s.Workdays {
		y.days[d] = true
	}
	return y
}

// calendarFile is the JSON form of a Calendar.
type calendarFile struct {
	Years []YearSchedule `json:"years"`
}

// DefaultCalendar returns a fresh copy of the embedded calendar (2025 and
// 2026 as published by the State Council).
func DefaultCalendar() *Calendar {
	c, err := ParseCalendar(defaultCalendarJSON)
	if err != nil {
		panic(fmt.Sprintf("catalogue: embedded calendar.json: %v", err)) // caught by the tests
	}
	return c
}

// ParseCalendar reads a calendar in the JSON form MarshalJSON writes and
// validates every year. Unknown fields are refused so that a misspelt
// "workdays" cannot silently drop the make-up days.
func ParseCalendar(data []byte) (*Calendar, error) {
	c := &Calendar{}
	if err := c.UnmarshalJSON(data); err != nil {
		return nil, err
	}
	return c, nil
}

// UnmarshalJSON replaces the calendar with the one in data, or leaves it
// unchanged when data is invalid.
func (c *Calendar) UnmarshalJSON(data []byte) error {
	var f calendarFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return configJSONError("工作日历", err)
	}
	years := make(map[int]*calendarYear, len(f.Years))
	for _, y := range f.Years {
		if err := y.Validate(); err != nil {
			return Errorf(EINVALID, "工作日历有误：%s", ErrorMessage(err))
		}
		if _, dup := years[y.Year]; dup {
			return Errorf(EINVALID, "工作日历有误：%d 年出现了不止一次", y.Year)
		}
		years[y.Year] = newCalendarYear(y.normalized())
	}
	c.mu.Lock()
	c.years = years
	c.mu.Unlock()
	return nil
}

// MarshalJSON writes the calendar, years in order, indented for people who
// edit the file by hand.
func (c *Calendar) MarshalJSON() ([]byte, error) {
	f := calendarFile{Years: []YearSchedule{}}
	if c != nil {
		c.mu.RLock()
		for _, y := range c.years {
			f.Years = append(f.Years, y.schedule.clone())
		}
		c.mu.RUnlock()
	}
	slices.SortFunc(f.Years, func(a, b YearSchedule) int { return a.Year - b.Year })
	return json.MarshalIndent(f, "", "  ")
}

// Years returns the years that have data, in order.
func (c *Calendar) Years() []int {
	if c == nil {
		return nil
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]int, 0, len(c.years))
	for y := range c.years {
		out = append(out, y)
	}
	slices.Sort(out)
	return out
}

// Year returns the schedule of one year, if it has been entered.
func (c *Calendar) Year(year int) (YearSchedule, bool) {
	if c == nil {
		return YearSchedule{}, false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	y, ok := c.years[year]
	if !ok {
		return YearSchedule{}, false
	}
	return y.schedule.clone(), true
}

// SetYear validates s and enters or replaces its year. EINVALID if s breaks
// a rule of YearSchedule.Validate.
func (c *Calendar) SetYear(s YearSchedule) error {
	if err := s.Validate(); err != nil {
		return err
	}
	y := newCalendarYear(s.normalized())
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.years == nil {
		c.years = make(map[int]*calendarYear)
	}
	c.years[s.Year] = y
	return nil
}

// RemoveYear deletes the data of a year, reporting whether there was any.
func (c *Calendar) RemoveYear(year int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.years[year]
	delete(c.years, year)
	return ok
}

// day reports whether d is a working day and whether d's year has data; for
// a year without data it answers by the weekend alone. The caller holds the
// read lock (or c is nil).
func (c *Calendar) day(d Date) (working, known bool) {
	var y *calendarYear
	if c != nil {
		y = c.years[d.Year]
	}
	if y != nil {
		if w, listed := y.days[d]; listed {
			return w, true
		}
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday, y != nil
}

func (c *Calendar) rlock() (unlock func()) {
	if c == nil {
		return func() {}
	}
	c.mu.RLock()
	return c.mu.RUnlock
}

// IsWorkingDay reports whether d is a working day. For a year without data
// it returns the weekend-only estimate and a *NoCalendarError.
func (c *Calendar) IsWorkingDay(d Date) (bool, error) {
	if d.IsZero() {
		return false, Errorf(EINVALID, "日期为空")
	}
	defer c.rlock()()
	working, known := c.day(d)
	if !known {
		return working, &NoCalendarError{Year: d.Year}
	}
	return working, nil
}

// AddWorkingDays returns the n-th working day after d: day 1 is the first
// working day after d, and n = 0 gives d itself. When the count runs through
// a year without data it returns the weekend-only estimate and a
// *NoCalendarError naming the first such year. EINVALID for negative or
// absurdly large n.
func (c *Calendar) AddWorkingDays(d Date, n int) (Date, error) {
	switch {
	case d.IsZero():
		return Date{}, Errorf(EINVALID, "日期为空")
	case n < 0:
		return Date{}, Errorf(EINVALID, "工作日数不能为负数（%d）", n)
	case n > maxWorkingDaysAdded:
		return Date{}, Errorf(EINVALID, "工作日数 %d 过大", n)
	}
	defer c.rlock()()
	var missing *NoCalendarError
	for n > 0 {
		d = d.AddDays(1)
		working, known := c.day(d)
		if !known && missing == nil {
			missing = &NoCalendarError{Year: d.Year}
		}
		if working {
			n--
		}
	}
	if missing != nil {
		return d, missing
	}
	return d, nil
}

// WorkingDaysBetween counts the working days after from up to and including
// to, so that WorkingDaysBetween(d, AddWorkingDays(d, n)) is n. When to is
// before from the count is negative: -WorkingDaysBetween(to, from). A year
// without data gives the weekend-only estimate and a *NoCalendarError.
func (c *Calendar) WorkingDaysBetween(from, to Date) (int, error) {
	if from.IsZero() || to.IsZero() {
		return 0, Errorf(EINVALID, "日期为空")
	}
	sign := 1
	if to.Before(from) {
		from, to, sign = to, from, -1
	}
	if daysFrom(from, to) > maxCalendarSpanDays {
		return 0, Errorf(EINVALID, "%s 到 %s 的跨度过大", from, to)
	}
	defer c.rlock()()
	var missing *NoCalendarError
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		working, known := c.day(d)
		if !known && missing == nil {
			missing = &NoCalendarError{Year: d.Year}
		}
		if working {
			n++
		}
	}
	if missing != nil {
		return sign * n, missing
	}
	return sign * n, nil
}

// MissingYears lists the years from from's to to's, in order, that have no
// data, for a warning on the dashboard before a deadline reaches them.
func (c *Calendar) MissingYears(from, to Date) []int {
	if from.IsZero() || to.IsZero() {
		return nil
	}
	lo, hi := min(from.Year, to.Year), max(from.Year, to.Year)
	defer c.rlock()()
	var out []int
	for y := lo; y <= hi; y++ {
		if c == nil || c.years[y] == nil {
			out = append(out, y)
		}
	}
	return out
}

// PublishDeadline returns the last day on which information formed (or
// changed) on formed may be published proactively: workingDays working days
// later (条例第二十六条: 20). EINVALID for a missing date or a non-positive
// number of days; a *NoCalendarError with the estimate when the period runs
// through a year without data.
func (c *Calendar) PublishDeadline(formed Date, workingDays int) (Date, error) {
	if formed.IsZero() {
		return Date{}, Errorf(EINVALID, "缺少生成日期，无法计算公开期限")
	}
	if workingDays <= 0 {
		return Date{}, Errorf(EINVALID, "公开期限应为正数个工作日，而不是 %d", workingDays)
	}
	return c.AddWorkingDays(formed, workingDays)
}

// configJSONError turns an error decoding an editable configuration file
// into an EINVALID error whose message says what to fix.
func configJSONError(what string, err error) error {
	if ErrorCode(err) == EINVALID { // a bad date, reported by Date
		return Errorf(EINVALID, "%s有误：%s", what, ErrorMessage(err))
	}
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return WrapError(EINVALID, fmt.Sprintf("%s含有未知的字段 %s", what, field), err)
	}
	return WrapError(EINVALID, fmt.Sprintf("%s不是有效的 JSON：%v", what, err), err)
}

// IsNoCalendar reports whether err is, or wraps, a *NoCalendarError, and
// for which year.
func IsNoCalendar(err error) (year int, ok bool) {
	var nc *NoCalendarError
	if errors.As(err, &nc) {
		return nc.Year, true
	}
	return 0, false
}
