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

// TestValidateNamesEveryField: the checks of an entry and of an
// application report every problem at once, each naming its field, so a
// form can show each message next to its field; the first is still the
// error's code and message.
func TestValidateNamesEveryField(t *testing.T) {
	t.Run("Content", func(t *testing.T) {
		c := catalogue.Content{Normative: "其他", Validity: "作废"}
		err := c.Validate()
		got := catalogue.FieldErrors(err)
		for _, field := range []string{"title", "organ", "formed_at", "body", "normative", "validity"} {
			if got[field] == "" {
				t.Errorf("no message for %s in %v", field, got)
			}
		}
		if catalogue.ErrorCode(err) != catalogue.EINVALID || catalogue.ErrorMessage(err) != got["title"] {
			t.Errorf("code %s message %q, want invalid and the title's", catalogue.ErrorCode(err), catalogue.ErrorMessage(err))
		}
	})
	t.Run("Application", func(t *testing.T) {
		a := catalogue.Application{Applicant: catalogue.Applicant{Type: catalogue.ApplicantPerson, IDType: "身份证", Phone: "12"},
			Request: catalogue.Request{Format: "电子", Channel: "邮寄"}, ReceivedVia: "在线"}
		got := catalogue.FieldErrors(a.Validate())
		for _, field := range []string{"name", "id_number", "phone", "description", "address"} {
			if got[field] == "" {
				t.Errorf("no message for %s in %v", field, got)
			}
		}
	})
	t.Run("NoField", func(t *testing.T) {
		if got := catalogue.FieldErrors(catalogue.Errorf(catalogue.ECONFLICT, "已被修改")); len(got) != 0 {
			t.Errorf("FieldErrors of an error about no field = %v", got)
		}
	})
}
