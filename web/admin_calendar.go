package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"gongkai/catalogue"
	"gongkai/search"
)

// calendarForm is the working-day calendar page: the years with data and
// the form for one year, as lines of text.
type calendarForm struct {
	Years    []int
	Year     int
	Notice   string
	Holidays string // one holiday a line: 名称 YYYY-MM-DD YYYY-MM-DD
	Workdays string // one make-up working day a line
	Error    string
	Missing  []int
}

func (h *Handler) calendarFormFor(year int) calendarForm {
	cal := h.Service.Calendar
	f := calendarForm{Years: cal.Years(), Year: year}
	today := h.Service.Today()
	f.Missing = cal.MissingYears(today, today.AddDays(366))
	if y, ok := cal.Year(year); ok {
		f.Notice = y.Notice
		var b strings.Builder
		for _, hd := range y.Holidays {
			b.WriteString(hd.Name + " " + hd.From.String() + " " + hd.To.String() + "\n")
		}
		f.Holidays = b.String()
		b.Reset()
		for _, d := range y.Workdays {
			b.WriteString(d.String() + "\n")
		}
		f.Workdays = b.String()
	}
	return f
}

// calendarPage shows the calendar of a year (?year=, default this year).
func (h *Handler) calendarPage(c *gin.Context) {
	year := h.Service.Today().Year
	if s := c.Query("year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil {
			h.adminError(c, http.StatusBadRequest, catalogue.Errorf(catalogue.EINVALID, "年份应为数字"))
			return
		}
		year = y
	}
	h.renderAdmin(c, http.StatusOK, "admin_calendar", "工作日历", "calendar", h.calendarFormFor(year))
}

// calendarSubmit saves a year of the calendar from the form.
func (h *Handler) calendarSubmit(c *gin.Context) {
	f := calendarForm{Notice: c.PostForm("notice"), Holidays: c.PostForm("holidays"), Workdays: c.PostForm("workdays")}
	y, err := strconv.Atoi(strings.TrimSpace(c.PostForm("year")))
	f.Year = y
	if err == nil {
		var s catalogue.YearSchedule
		if s, err = parseYearSchedule(y, f.Notice, f.Holidays, f.Workdays); err == nil {
			err = h.saveYear(c.Request.Context(), s)
		}
	} else {
		err = catalogue.Errorf(catalogue.EINVALID, "年份应为数字")
	}
	if err != nil {
		keep := h.calendarFormFor(f.Year)
		f.Years, f.Missing, f.Error = keep.Years, keep.Missing, catalogue.ErrorMessage(err)
		h.renderAdmin(c, HTTPStatus(err), "admin_calendar", "工作日历", "calendar", f)
		return
	}
	h.flash(c, flash{Text: strconv.Itoa(y) + " 年的工作日历已保存，未发布条目的公开期限已按新日历重新计算。"})
	c.Redirect(http.StatusSeeOther, "/admin/calendar?year="+strconv.Itoa(y))
}

// parseYearSchedule reads the calendar form's lines.
func parseYearSchedule(year int, notice, holidays, workdays string) (catalogue.YearSchedule, error) {
	s := catalogue.YearSchedule{Year: year, Notice: strings.TrimSpace(notice)}
	for i, line := range strings.Split(holidays, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 && len(f) != 2 {
			return s, catalogue.Errorf(catalogue.EINVALID, "节假日第 %d 行应为“名称 开始日期 结束日期”，例如：春节 %d-02-15 %d-02-23", i+1, year, year)
		}
		from, err := catalogue.ParseDate(f[1])
		if err != nil {
			return s, catalogue.Errorf(catalogue.EINVALID, "节假日第 %d 行的日期 %q 应为 YYYY-MM-DD", i+1, f[1])
		}
		to := from
		if len(f) == 3 {
			if to, err = catalogue.ParseDate(f[2]); err != nil {
				return s, catalogue.Errorf(catalogue.EINVALID, "节假日第 %d 行的日期 %q 应为 YYYY-MM-DD", i+1, f[2])
			}
		}
		s.Holidays = append(s.Holidays, catalogue.Holiday{Name: f[0], From: from, To: to})
	}
	for i, line := range strings.Split(workdays, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		d, err := catalogue.ParseDate(line)
		if err != nil {
			return s, catalogue.Errorf(catalogue.EINVALID, "调休上班日第 %d 行 %q 应为 YYYY-MM-DD", i+1, line)
		}
		s.Workdays = append(s.Workdays, d)
	}
	return s, nil
}

// saveYear enters a year into the calendar, stores the calendar, and
// recomputes the deadlines of entries whose clock runs. If storing fails
// the calendar in memory is put back as it was.
func (h *Handler) saveYear(ctx context.Context, s catalogue.YearSchedule) error {
	cal := h.Service.Calendar
	old, had := cal.Year(s.Year)
	if err := cal.SetYear(s); err != nil {
		return err
	}
	if h.SaveCalendar != nil {
		if err := h.SaveCalendar(ctx, cal); err != nil {
			if had {
				_ = cal.SetYear(old)
			} else {
				cal.RemoveYear(s.Year)
			}
			return err
		}
	}
	h.Log.Info("calendar year saved", "year", s.Year)
	return h.refreshDeadlines(ctx)
}

// refreshDeadlines recomputes the publish-by dates of every 主动公开 entry
// still on its way through the chain.
func (h *Handler) refreshDeadlines(ctx context.Context) error {
	if h.StaffIndex == nil {
		return nil
	}
	for _, st := range catalogue.Statuses {
		if !st.Open() {
			continue
		}
		for page := 1; ; page++ {
			res, err := h.StaffIndex.Search(ctx, search.Query{
				Filters: search.Filters{Status: string(st), Attribute: string(catalogue.Proactive)},
				Sort:    search.SortDate, Page: page, Size: search.MaxPageSize, Export: 1 << 20,
			})
			if err != nil {
				return err
			}
			for _, hit := range res.Hits {
				if err := h.Service.RefreshDeadline(ctx, hit.ID); err != nil && !catalogue.IsNotFound(err) {
					return err
				}
			}
			if len(res.Hits) < search.MaxPageSize {
				break
			}
		}
	}
	return nil
}

// apiCalendar returns the calendar (any staff member may read it).
func (h *Handler) apiCalendar(c *gin.Context) {
	c.JSON(http.StatusOK, h.Service.Calendar)
}

// apiPutCalendarYear enters or replaces one year (administrators): the
// body is {"notice", "holidays": [{"name", "from", "to"}], "workdays": []}.
func (h *Handler) apiPutCalendarYear(c *gin.Context) {
	y, err := strconv.Atoi(c.Param("year"))
	if err != nil {
		h.fail(c, catalogue.Errorf(catalogue.EINVALID, "年份应为数字"))
		return
	}
	var s catalogue.YearSchedule
	if err := bindJSON(c, &s); err != nil {
		h.fail(c, err)
		return
	}
	s.Year = y
	if err := h.saveYear(c.Request.Context(), s); err != nil {
		h.fail(c, err)
		return
	}
	out, _ := h.Service.Calendar.Year(y)
	c.JSON(http.StatusOK, out)
}
