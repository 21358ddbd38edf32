package catalogue_test

import (
	"testing"
	"time"

	"gongkai/catalogue"
)

// TestDeadlineOnlyForProactive: only 主动公开 information has a publish-by
// date (条例第二十六条); 依申请公开 and 不予公开 entries are never published,
// so they have no deadline and are never overdue, whatever their dates.
func TestDeadlineOnlyForProactive(t *testing.T) {
	s := &catalogue.Service{
		Settings: catalogue.DefaultSettings(), Calendar: catalogue.DefaultCalendar(),
		Now: func() time.Time { return time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC) },
	}
	entry := func(attr catalogue.Attribute) *catalogue.Entry {
		e := &catalogue.Entry{Attribute: attr, Status: catalogue.StatusDraft}
		e.Draft.FormedAt = catalogue.MustParseDate("2026-09-18") // due 2026-10-22, long past
		return e
	}
	t.Run("Proactive", func(t *testing.T) {
		e := entry(catalogue.Proactive)
		d, ok := s.Deadline(e)
		if !ok || d.Date.String() != "2026-10-22" {
			t.Errorf("Deadline = %v, %v; want 2026-10-22, true", d.Date, ok)
		}
		if !s.Overdue(e) {
			t.Errorf("a 主动公开 draft past its deadline is not overdue")
		}
	})
	for _, attr := range []catalogue.Attribute{catalogue.OnRequest, catalogue.Withheld} {
		t.Run("NoDeadline/"+string(attr), func(t *testing.T) {
			e := entry(attr)
			if d, ok := s.Deadline(e); ok {
				t.Errorf("Deadline = %v, true; want none", d.Date)
			}
			if s.Overdue(e) {
				t.Errorf("overdue")
			}
		})
	}
}
