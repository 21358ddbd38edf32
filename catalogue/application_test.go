package catalogue_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai/catalogue"
)

// memApps is an in-memory application store with conditional writes.
type memApps struct {
	mu sync.Mutex
	m  map[string]catalogue.Application
	n  int
}

func (s *memApps) Application(_ context.Context, id string) (*catalogue.Application, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.m[strings.ToLower(id)]
	if !ok {
		return nil, catalogue.Errorf(catalogue.ENOTFOUND, "申请不存在")
	}
	return &a, nil
}

func (s *memApps) CreateApplication(_ context.Context, a *catalogue.Application) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]catalogue.Application{}
	}
	s.n++
	a.Revision = fmt.Sprint(s.n)
	s.m[a.ID] = *a
	return nil
}

func (s *memApps) UpdateApplication(_ context.Context, a *catalogue.Application) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m[a.ID].Revision != a.Revision {
		return catalogue.Errorf(catalogue.ECONFLICT, "changed")
	}
	s.n++
	a.Revision = fmt.Sprint(s.n)
	s.m[a.ID] = *a
	return nil
}

func (s *memApps) ListApplications(_ context.Context, fn func(*catalogue.Application) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.m {
		if err := fn(&a); err != nil {
			return err
		}
	}
	return nil
}

func newAppService(today string) (*catalogue.ApplicationService, *time.Time) {
	d := catalogue.MustParseDate(today)
	now := time.Date(d.Year, d.Month, d.Day, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	s := &catalogue.ApplicationService{Store: &memApps{}, Calendar: catalogue.DefaultCalendar(), Settings: catalogue.DefaultSettings()}
	s.Now = func() time.Time { return now }
	return s, &now
}

func validApplication() *catalogue.Application {
	return &catalogue.Application{
		Applicant: catalogue.Applicant{Type: catalogue.ApplicantPerson, Name: "张三", IDType: "身份证", IDNumber: "11010519491231002X", Phone: "13800138000"},
		Request:   catalogue.Request{Description: "2026年工业企业技术改造专项资金的分配结果", Format: "电子", Channel: "在线"},
	}
}

func TestApplicationValidate(t *testing.T) {
	ok := validApplication()
	ok.ReceivedVia = "在线"
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid application: %v", err)
	}
	for name, c := range map[string]struct {
		edit func(a *catalogue.Application)
		want string
	}{
		"type":        {func(a *catalogue.Application) { a.Applicant.Type = "公司" }, "申请人类型"},
		"org kind":    {func(a *catalogue.Application) { a.Applicant.Type = catalogue.ApplicantOrg }, "类别"},
		"name":        {func(a *catalogue.Application) { a.Applicant.Name = " " }, "姓名"},
		"id check":    {func(a *catalogue.Application) { a.Applicant.IDNumber = "110105194912310021" }, "身份证号码"},
		"phone":       {func(a *catalogue.Application) { a.Applicant.Phone = "abc" }, "联系电话"},
		"email":       {func(a *catalogue.Application) { a.Applicant.Email = "not-mail" }, "电子邮箱"},
		"mail needed": {func(a *catalogue.Application) { a.Request.Channel = "电子邮件" }, "请填写电子邮箱"},
		"address":     {func(a *catalogue.Application) { a.Request.Channel = "邮寄" }, "通信地址"},
		"format":      {func(a *catalogue.Application) { a.Request.Format = "光盘" }, "载体形式"},
		"description": {func(a *catalogue.Application) { a.Request.Description = strings.Repeat("长", 2001) }, "过长"},
		"credit code check": {func(a *catalogue.Application) {
			a.Applicant.Type, a.Applicant.OrgKind = catalogue.ApplicantOrg, "商业企业"
			a.Applicant.IDType, a.Applicant.IDNumber = "统一社会信用代码", "91440200MA4UXXXX0X"
		}, "统一社会信用代码“91440200MA4UXXXX0X”的校验码（最后一位）不正确"},
		"credit code length": {func(a *catalogue.Application) {
			a.Applicant.IDType, a.Applicant.IDNumber = "统一社会信用代码", "91440200MA4UXXXX0"
		}, "应为 18 位"},
	} {
		a := validApplication()
		a.ReceivedVia = "在线"
		c.edit(a)
		if err := a.Validate(); err == nil || !strings.Contains(catalogue.ErrorMessage(err), c.want) {
			t.Errorf("%s: %v, want a message with %q", name, err, c.want)
		}
	}
}

// TestApplicationCreditCode: an organisation's 统一社会信用代码 is checked
// by its GB 32100-2015 check character and kept as written on the licence.
func TestApplicationCreditCode(t *testing.T) {
	for code, want := range map[string]string{
		"91350100M000100Y43":   "91350100M000100Y43", // the standard's example
		"91440200MA4UXXXX0F":   "91440200MA4UXXXX0F",
		"9144 0200-ma4uxxxx0f": "91440200MA4UXXXX0F", // spaces, a hyphen, lower case
	} {
		a := validApplication()
		a.ReceivedVia = "在线"
		a.Applicant.Type, a.Applicant.OrgKind = catalogue.ApplicantOrg, "商业企业"
		a.Applicant.IDType, a.Applicant.IDNumber = "统一社会信用代码", code
		if err := a.Validate(); err != nil || a.Applicant.IDNumber != want {
			t.Errorf("%s: %v, kept as %q; want valid, %q", code, err, a.Applicant.IDNumber, want)
		}
	}
	for _, code := range []string{"91440200MA4UXXXX0X", "91440200MA4UXXXX0", "91440200MA4UXXXXOF", "914402AAMA4UXXXX0F", "91440200MA4UXXXX0Ｆ中"} {
		err := catalogue.ValidCreditCode(code)
		if catalogue.ErrorCode(err) != catalogue.EINVALID || !strings.Contains(catalogue.ErrorMessage(err), "统一社会信用代码") {
			t.Errorf("ValidCreditCode(%q) = %v, want EINVALID naming the 统一社会信用代码", code, err)
		}
	}
}

// TestApplicationDeadlines: 20 working days on the calendar with its
// make-up days, a 补正 that restarts the clock, a third-party pause, an
// extension.
func TestApplicationDeadlines(t *testing.T) {
	ctx := context.Background()
	s, now := newAppService("2026-09-18")
	a := validApplication()
	if err := s.Submit(ctx, a, "applicant"); err != nil {
		t.Fatal(err)
	}
	if len(a.TrackingCode()) != 12 || a.ReceivedAt.String() != "2026-09-18" {
		t.Fatalf("code %q received %s", a.TrackingCode(), a.ReceivedAt)
	}
	// 2026-09-18 + 20 working days, through National Day and the 9-20 and
	// 10-10 make-up days: 2026-10-22.
	if d := s.Due(a); d.Date.String() != "2026-10-22" || d.Stopped {
		t.Errorf("due %+v, want 2026-10-22", d)
	}
	// 补正 on 9-22 stops the clock; the completed request on 10-12 restarts it.
	*now = now.AddDate(0, 0, 4) // 9-22
	a, err := s.Act(ctx, a.ID, "correction", "office", catalogue.AppActionRequest{Items: "请写明所需信息的年份和项目名称"})
	if err != nil {
		t.Fatal(err)
	}
	if d := s.Due(a); !d.Stopped {
		t.Errorf("the clock runs while waiting for a correction: %+v", d)
	}
	if _, err := s.Act(ctx, a.ID, "correction", "office", catalogue.AppActionRequest{Items: "再补一项"}); catalogue.ErrorCode(err) != catalogue.ECONFLICT {
		t.Errorf("a second correction request: %v", err)
	}
	*now = time.Date(2026, 10, 12, 10, 0, 0, 0, now.Location())
	if a, err = s.Act(ctx, a.ID, "corrected", "office", catalogue.AppActionRequest{}); err != nil {
		t.Fatal(err)
	}
	// 2026-10-12 + 20 working days = 2026-11-09.
	if d := s.Due(a); d.Date.String() != "2026-11-09" {
		t.Errorf("due after the correction %s, want 2026-11-09", d.Date)
	}
	// A third party consulted from 10-13, replying 10-16: 3 working days
	// (10-14, 10-15, 10-16) are not counted.
	*now = time.Date(2026, 10, 13, 10, 0, 0, 0, now.Location())
	if a, err = s.Act(ctx, a.ID, "consult", "office", catalogue.AppActionRequest{Party: "某科技有限公司"}); err != nil {
		t.Fatal(err)
	}
	*now = time.Date(2026, 10, 16, 10, 0, 0, 0, now.Location())
	if a, err = s.Act(ctx, a.ID, "consulted", "office", catalogue.AppActionRequest{}); err != nil {
		t.Fatal(err)
	}
	if d := s.Due(a); d.Date.String() != "2026-11-12" || d.Paused != 3 {
		t.Errorf("due after the consultation %+v, want 2026-11-12 with 3 days paused", d)
	}
	// One extension of at most 20 working days, with its approver.
	if _, err := s.Act(ctx, a.ID, "extend", "office", catalogue.AppActionRequest{Days: 21, Approver: "李主任"}); catalogue.ErrorCode(err) != catalogue.EINVALID {
		t.Errorf("a 21-day extension: %v", err)
	}
	if _, err := s.Act(ctx, a.ID, "extend", "office", catalogue.AppActionRequest{Days: 10}); catalogue.ErrorCode(err) != catalogue.EINVALID {
		t.Errorf("an extension without approver: %v", err)
	}
	if a, err = s.Act(ctx, a.ID, "extend", "office", catalogue.AppActionRequest{Days: 10, Approver: "李主任", Reason: "涉及多个科室"}); err != nil {
		t.Fatal(err)
	}
	if d := s.Due(a); d.Date.String() != "2026-11-26" {
		t.Errorf("due after the extension %s, want 2026-11-26", d.Date)
	}
	if _, err := s.Act(ctx, a.ID, "extend", "office", catalogue.AppActionRequest{Days: 5, Approver: "李主任"}); catalogue.ErrorCode(err) != catalogue.ECONFLICT {
		t.Errorf("a second extension: %v", err)
	}
	if a, err = s.Act(ctx, a.ID, "answer", "office", catalogue.AppActionRequest{Outcome: "disclose", Note: "见附件"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Act(ctx, a.ID, "answer", "office", catalogue.AppActionRequest{Outcome: "partial"}); catalogue.ErrorCode(err) != catalogue.ECONFLICT {
		t.Errorf("answering twice: %v", err)
	}
	if len(a.Events) != 7 {
		t.Errorf("%d events in the trail", len(a.Events))
	}
}

func TestApplicationNoCorrection(t *testing.T) {
	ctx := context.Background()
	s, now := newAppService("2026-11-02")
	a := validApplication()
	if err := s.Submit(ctx, a, "applicant"); err != nil {
		t.Fatal(err)
	}
	// The 补正 request must come within 7 working days of receipt.
	*now = now.AddDate(0, 0, 14)
	if _, err := s.Act(ctx, a.ID, "correction", "office", catalogue.AppActionRequest{Items: "x"}); catalogue.ErrorCode(err) != catalogue.ECONFLICT {
		t.Errorf("a late correction request: %v", err)
	}
	s2, now2 := newAppService("2026-11-02")
	b := validApplication()
	s2.Submit(ctx, b, "applicant")
	if _, err := s2.Act(ctx, b.ID, "correction", "office", catalogue.AppActionRequest{Items: "请说明"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s2.Act(ctx, b.ID, "no-correction", "office", catalogue.AppActionRequest{}); catalogue.ErrorCode(err) != catalogue.ECONFLICT {
		t.Errorf("closing before the correction deadline: %v", err)
	}
	*now2 = now2.AddDate(0, 1, 0)
	b2, err := s2.Act(ctx, b.ID, "no-correction", "office", catalogue.AppActionRequest{})
	if err != nil || b2.Answer.Outcome != "other_no_correction" {
		t.Fatalf("closing as 逾期不补正: %v", err)
	}
}

// TestTable3 builds a year of applications across every outcome and
// applicant column, with ones carried over from the year before and into
// the next, and checks every cell of table 三.
func TestTable3(t *testing.T) {
	cols := catalogue.Table3Columns[:len(catalogue.Table3Columns)-1]
	app := func(col int, received, answered, outcome string) *catalogue.Application {
		a := &catalogue.Application{Applicant: catalogue.Applicant{Type: catalogue.ApplicantPerson}, ReceivedAt: catalogue.MustParseDate(received)}
		if col > 0 {
			a.Applicant = catalogue.Applicant{Type: catalogue.ApplicantOrg, OrgKind: cols[col]}
		}
		if answered != "" {
			a.Answer = &catalogue.Answer{Outcome: outcome, At: catalogue.MustParseDate(answered)}
		}
		return a
	}
	var apps []*catalogue.Application
	want := map[string][]int{}
	inc := func(key string, col int) {
		if want[key] == nil {
			want[key] = make([]int, len(catalogue.Table3Columns))
		}
		want[key][col]++
		want[key][len(cols)]++
	}
	// Column c gets, for outcome number i, i%3+1 applications received and
	// answered in 2026, so every cell differs.
	for c := range cols {
		for i, o := range catalogue.Outcomes {
			for k := 0; k < (i+c)%3+1; k++ {
				apps = append(apps, app(c, "2026-03-02", "2026-04-01", o.Code))
				inc("new", c)
				inc(o.Code, c)
				inc("total", c)
			}
		}
		// Carried over from 2025: one answered in 2026 (disclose), one still open.
		apps = append(apps, app(c, "2025-12-20", "2026-01-10", "disclose"), app(c, "2025-12-22", "", ""))
		inc("carried", c)
		inc("carried", c)
		inc("disclose", c)
		inc("total", c)
		inc("forward", c) // the one still open
		// Received in 2026, answered in 2027: carried forward.
		apps = append(apps, app(c, "2026-12-28", "2027-01-05", "partial"))
		inc("new", c)
		inc("forward", c)
		// Answered in 2025 and received in 2027: not in 2026 at all.
		apps = append(apps, app(c, "2025-05-01", "2025-05-20", "disclose"), app(c, "2027-01-04", "", ""))
	}
	tb := catalogue.ComputeTable3(2026, apps)
	check := func(name string, got []int, key string) {
		t.Helper()
		w := want[key]
		if w == nil {
			w = make([]int, len(catalogue.Table3Columns))
		}
		for i := range w {
			if got[i] != w[i] {
				t.Errorf("%s, column %s: %d, want %d", name, catalogue.Table3Columns[i], got[i], w[i])
			}
		}
	}
	check("本年新收", tb.New, "new")
	check("上年结转", tb.Carried, "carried")
	check("办理结果总计", tb.Total, "total")
	check("结转下年度", tb.CarriedForward, "forward")
	for _, r := range tb.Outcomes {
		check(r.Label, r.Counts, r.Code)
	}
	if bad := tb.Consistent(); len(bad) != 0 {
		t.Errorf("table 三 does not balance: %v", bad)
	}
	if len(tb.Outcomes) != 2+8+3+5+3 {
		t.Errorf("%d outcome rows, want 21", len(tb.Outcomes))
	}
	// A broken table is reported.
	tb.Total[0]++
	if bad := tb.Consistent(); len(bad) != 1 {
		t.Errorf("an unbalanced column is not reported: %v", bad)
	}
}

func TestTable2Docs(t *testing.T) {
	at := func(s string) time.Time { d := catalogue.MustParseDate(s); return d.Time().Add(4 * time.Hour) }
	entry := func(norm, formed string, versions ...[2]string) *catalogue.Entry {
		e := &catalogue.Entry{Attribute: catalogue.Proactive}
		for _, v := range versions {
			e.Versions = append(e.Versions, catalogue.Version{PublishedAt: at(v[0]),
				Content: catalogue.Content{Normative: norm, FormedAt: catalogue.MustParseDate(formed), Validity: v[1]}})
		}
		return e
	}
	entries := []*catalogue.Entry{
		entry("规章", "2026-02-01", [2]string{"2026-02-05", "有效"}),                                     // issued 2026, in force
		entry("规章", "2024-02-01", [2]string{"2024-02-05", "有效"}, [2]string{"2026-06-01", "废止"}),      // abolished 2026
		entry("规章", "2020-02-01", [2]string{"2020-02-05", "有效"}),                                     // in force
		entry("行政规范性文件", "2026-03-01", [2]string{"2026-03-02", "有效"}, [2]string{"2027-01-10", "失效"}), // issued 2026, in force at year end
		entry("行政规范性文件", "2025-03-01", [2]string{"2025-03-02", "失效"}),                                // not in force
		entry("", "2026-03-01", [2]string{"2026-03-02", "有效"}),                                       // not counted
	}
	got := catalogue.ComputeTable2Docs(2026, entries)
	want := []catalogue.Table2Docs{{Kind: "规章", Issued: 1, Abolished: 1, InForce: 2}, {Kind: "行政规范性文件", Issued: 1, Abolished: 0, InForce: 1}}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%s: %+v, want %+v", want[i].Kind, got[i], want[i])
		}
	}
}

// TestOutcomeText: the applicant reads the outcome, not the report's
// counting rule for it.
func TestOutcomeText(t *testing.T) {
	for code, want := range map[string]string{
		"disclose":                     "予以公开",
		"partial":                      "部分公开",
		"withhold_process_information": "不予公开（属于四类过程性信息）",
		"unable_not_held":              "无法提供（本机关不掌握相关政府信息）",
	} {
		if got := catalogue.OutcomeText(code); got != want {
			t.Errorf("OutcomeText(%q) = %q, want %q", code, got, want)
		}
	}
}

// TestAppEventActionLabel: the trail names staff actions in Chinese.
func TestAppEventActionLabel(t *testing.T) {
	for action, want := range map[string]string{"view": "查看", "correction": "要求补正", "answer": "答复", "受理": "受理"} {
		if got := (catalogue.AppEvent{Action: action}).ActionLabel(); got != want {
			t.Errorf("ActionLabel(%q) = %q, want %q", action, got, want)
		}
	}
}
