package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"gongkai/catalogue"
)

// TestApplications applies on the public site and through the API, follows
// the status by tracking code, has the office handle it, and checks that
// the applicant's personal data appears on no public response.
func TestApplications(t *testing.T) {
	f := newFSWorkflow(t)
	const (
		canaryName  = "金丝雀申请人王五"
		canaryID    = "11010519491231002X"
		canaryPhone = "13912345678"
		canaryMail  = "wangwu-canary@example.com"
	)
	apply := map[string]string{
		"applicant_type": "自然人", "name": canaryName, "id_type": "身份证", "id_number": canaryID, "phone": canaryPhone,
		"email": canaryMail, "description": "2026年工业企业技术改造专项资金项目的评审结果", "format": "电子", "channel": "电子邮件",
	}
	// The form: a bad ID number comes back with a message and what was typed.
	bad := url.Values{}
	for k, v := range apply {
		bad.Set(k, v)
	}
	bad.Set("id_number", "110105194912310021")
	resp, body := f.Do(t, http.MethodPost, "/apply", staffReq{Form: bad})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), "身份证号码不正确") || !strings.Contains(string(body), "技术改造专项资金") {
		t.Errorf("a bad ID number: %d", resp.StatusCode)
	}
	good := url.Values{}
	for k, v := range apply {
		good.Set(k, v)
	}
	resp, _ = f.Do(t, http.MethodPost, "/apply", staffReq{Form: good, From: "203.0.113.7"})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/apply/") {
		t.Fatalf("apply by form: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	statusURL := strings.TrimSuffix(resp.Header.Get("Location"), "?new=1")
	code := strings.TrimPrefix(statusURL, "/apply/")
	resp, body = f.Do(t, http.MethodGet, statusURL+"?new=1", staffReq{})
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), code) || !strings.Contains(string(body), "2026-12-18") {
		t.Errorf("status page: %d (want the code and the due date 2026-12-18)", resp.StatusCode)
	}

	// The API: 201 with the tracking code, received today, due in 20 working days.
	var created struct{ TrackingCode, ReceivedAt, DueAt string }
	resp, body = f.Do(t, http.MethodPost, "/api/v1/applications", staffReq{JSON: map[string]string{
		"applicant_type": "法人或其他组织", "org_kind": "科研机构", "name": "某研究院", "id_type": "统一社会信用代码",
		"id_number": "12440200MB2C00000Y", "phone": "0751-8888888", "description": "2025年度政府信息公开工作年度报告的原始数据",
		"format": "纸质", "channel": "自行领取"}})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("apply by API: %d %s", resp.StatusCode, body)
	}
	json.Unmarshal(body, &struct {
		TrackingCode *string `json:"tracking_code"`
		ReceivedAt   *string `json:"received_at"`
		DueAt        *string `json:"due_at"`
	}{&created.TrackingCode, &created.ReceivedAt, &created.DueAt})
	if created.ReceivedAt != "2026-11-20" || created.DueAt != "2026-12-18" || len(created.TrackingCode) != 12 {
		t.Errorf("created %+v", created)
	}
	resp, body = f.Do(t, http.MethodPost, "/api/v1/applications", staffReq{JSON: map[string]string{"applicant_type": "自然人"}})
	if resp.StatusCode != http.StatusBadRequest || errorMessage(body) == "" {
		t.Errorf("an empty application: %d %s", resp.StatusCode, body)
	}
	// A flood from one address is stopped.
	limited := false
	for i := 0; i < 12; i++ {
		resp, _ = f.Do(t, http.MethodPost, "/apply", staffReq{Form: good, From: "198.51.100.9"})
		if resp.StatusCode == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	if !limited {
		t.Errorf("12 applications from one address in a minute were all accepted")
	}

	// Staff: only the office handles applications; viewing is logged.
	if resp, _ := f.Do(t, http.MethodGet, "/api/v1/admin/applications", staffReq{Bearer: f.as(t, "drafter")}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a drafter lists applications: %d", resp.StatusCode)
	}
	resp, body = f.Do(t, http.MethodGet, "/api/v1/admin/applications", staffReq{Bearer: f.as(t, "office")})
	if resp.StatusCode != http.StatusOK || strings.Contains(string(body), canaryName) {
		t.Errorf("the staff list: %d, personal data in the list: %v", resp.StatusCode, strings.Contains(string(body), canaryName))
	}
	resp, body = f.Do(t, http.MethodGet, "/api/v1/admin/applications/"+code, staffReq{Bearer: f.as(t, "office")})
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), canaryName) || !strings.Contains(string(body), `"action":"view"`) {
		t.Errorf("staff view: %d %s", resp.StatusCode, body)
	}
	act := func(action string, req map[string]any) (int, []byte) {
		resp, body := f.Do(t, http.MethodPost, "/api/v1/admin/applications/"+code+"/"+action, staffReq{Bearer: f.as(t, "office"), JSON: req})
		return resp.StatusCode, body
	}
	if c, body := act("correction", map[string]any{"items": "请写明所需资金项目的名称"}); c != http.StatusOK {
		t.Fatalf("correction: %d %s", c, body)
	}
	_, body = f.Do(t, http.MethodGet, statusURL, staffReq{})
	if !strings.Contains(string(body), "请写明所需资金项目的名称") {
		t.Errorf("the status page does not show the correction request")
	}
	if !strings.Contains(string(body), "补正材料请注明申请查询码 "+code) {
		t.Errorf("the status page does not say where to send the completed request")
	}
	if c, body := act("corrected", nil); c != http.StatusOK {
		t.Fatalf("corrected: %d %s", c, body)
	}
	if c, _ := act("answer", map[string]any{"outcome": "nonsense"}); c != http.StatusBadRequest {
		t.Errorf("an unknown outcome: %d", c)
	}
	if c, body := act("answer", map[string]any{"outcome": "partial", "note": "部分内容涉及商业秘密，已作区分处理"}); c != http.StatusOK {
		t.Fatalf("answer: %d %s", c, body)
	}
	if c, _ := act("extend", map[string]any{"days": 5, "approver": "李主任"}); c != http.StatusConflict {
		t.Errorf("extending an answered application: %d", c)
	}
	_, body = f.Do(t, http.MethodGet, "/api/v1/applications/"+strings.ToLower(code), staffReq{})
	if !strings.Contains(string(body), `"status":"answered"`) || !strings.Contains(string(body), "区分处理") {
		t.Errorf("status after the answer: %s", body)
	}
	if !strings.Contains(string(body), `"label":"部分公开"`) || strings.Contains(string(body), "只计这一情形") {
		t.Errorf("the applicant is shown the report's counting rule, not the outcome: %s", body)
	}
	// Registering a letter received earlier.
	resp, body = f.Do(t, http.MethodPost, "/api/v1/admin/applications", staffReq{Bearer: f.as(t, "office"), JSON: map[string]string{
		"applicant_type": "自然人", "name": "赵六", "id_type": "护照", "id_number": "E12345678", "phone": "13700000000",
		"address": "韶关市某路1号", "description": "某文件", "format": "纸质", "channel": "邮寄", "received_via": "信函", "received_at": "2026-11-16"}})
	if resp.StatusCode != http.StatusCreated || !strings.Contains(string(body), `"received_at":"2026-11-16"`) {
		t.Errorf("registering a letter: %d %s", resp.StatusCode, body)
	}

	// The report counts them: 本年新收 3+, one answered 部分公开 by a person.
	var rep struct {
		Table3 struct {
			New      []int `json:"new"`
			Total    []int `json:"total"`
			Outcomes []struct {
				Code   string `json:"code"`
				Counts []int  `json:"counts"`
			} `json:"outcomes"`
		} `json:"table3"`
		Inconsistent []string `json:"inconsistent"`
	}
	resp, body = f.Do(t, http.MethodGet, "/api/v1/reports/2026", staffReq{})
	if err := json.Unmarshal(body, &rep); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("report: %d %v", resp.StatusCode, err)
	}
	if len(rep.Inconsistent) != 0 || rep.Table3.Total[0] != 1 || rep.Table3.New[2] != 1 {
		t.Errorf("report table 三: new %v total %v inconsistent %v", rep.Table3.New, rep.Table3.Total, rep.Inconsistent)
	}
	for _, o := range rep.Table3.Outcomes {
		if o.Code == "partial" && o.Counts[0] != 1 {
			t.Errorf("部分公开 by persons: %v", o.Counts)
		}
	}
	if resp, _ := f.Do(t, http.MethodGet, "/reports/2026", staffReq{}); resp.StatusCode != http.StatusOK {
		t.Errorf("report page: %d", resp.StatusCode)
	}
	if resp, _ := f.Do(t, http.MethodGet, "/reports/2099", staffReq{}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a report of the future: %d", resp.StatusCode)
	}
	// Staff-entered parts, checked.
	resp, body = f.Do(t, http.MethodPut, "/api/v1/admin/reports/2026", staffReq{Bearer: f.as(t, "office"), JSON: map[string]any{
		"licensing": 12, "review": []int{1, 1, 0, 0, 3}}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("table 四 with a wrong total: %d %s", resp.StatusCode, body)
	}
	resp, _ = f.Do(t, http.MethodPut, "/api/v1/admin/reports/2026", staffReq{Bearer: f.as(t, "office"), JSON: map[string]any{
		"licensing": 12, "review": []int{1, 1, 0, 0, 2}, "overview": "本年度依法做好政府信息公开工作。"}})
	if resp.StatusCode != http.StatusOK {
		t.Errorf("entering the report: %d", resp.StatusCode)
	}
	_, body = f.Do(t, http.MethodGet, "/reports/2026", staffReq{})
	if !strings.Contains(string(body), "本年度依法做好政府信息公开工作") || !strings.Contains(string(body), "各栏一致") {
		t.Errorf("the report page lacks the entered overview or the consistency check")
	}

	// Personal data: on no public response.
	for _, p := range []string{statusURL, "/api/v1/applications/" + code, "/reports/2026", "/api/v1/reports/2026", "/guide", "/",
		"/api/v1/search?q=" + url.QueryEscape(canaryName), "/feed.atom", "/sitemap.xml", "/catalogue"} {
		_, body := f.publicGet(t, p)
		for _, s := range []string{canaryName, canaryID, canaryPhone, canaryMail} {
			if strings.Contains(body, s) && !strings.Contains(p, url.QueryEscape(s)) {
				t.Errorf("%s shows the applicant's %q", p, s)
			}
		}
	}
	if code, body := f.publicGet(t, "/guide"); code != http.StatusOK || !strings.Contains(body, "20 个工作日") {
		t.Errorf("guide: %d", code)
	}
}

// TestApplicationPages handles an application with the office's pages.
func TestApplicationPages(t *testing.T) {
	f := newFSWorkflow(t)
	if resp, _ := f.page(t, "drafter", http.MethodGet, "/admin/applications", nil, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a drafter opens the applications: %d", resp.StatusCode)
	}
	resp, _ := f.page(t, "office", http.MethodPost, "/admin/applications", map[string]string{
		"received_via": "当面", "received_at": "2026-11-19", "applicant_type": "自然人", "name": "孙七", "id_type": "护照",
		"id_number": "E7654321", "phone": "13600000000", "description": "某项目的批复", "format": "纸质", "channel": "自行领取",
	}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("register by form: %d", resp.StatusCode)
	}
	loc := resp.Header.Get("Location")
	_, body := f.page(t, "office", http.MethodGet, loc, nil, nil)
	for _, want := range []string{"孙七", `value="answer"`, `value="correction"`, `value="extend"`, "2026-12-17"} {
		if !strings.Contains(body, want) {
			t.Errorf("application page lacks %q", want)
		}
	}
	resp, body = f.page(t, "office", http.MethodPost, loc+"/act", map[string]string{"action": "answer", "outcome": "unable_not_held"}, nil)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `<a href="`+loc+`">返回申请</a>`) {
		t.Errorf("不掌握 without naming the holder: %d", resp.StatusCode)
	}
	resp, _ = f.page(t, "office", http.MethodPost, loc+"/act", map[string]string{"action": "answer", "outcome": "unable_not_held", "holder": "韶关市发展和改革局"}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("answer by form: %d", resp.StatusCode)
	}
	_, body = f.page(t, "office", http.MethodGet, loc, nil, nil)
	if !strings.Contains(body, "本机关不掌握相关政府信息") || strings.Count(body, ">查看<") < 2 || strings.Contains(body, ">answer<") {
		t.Errorf("after the answer the page lacks the outcome or the logged views")
	}
	resp, body = f.page(t, "office", http.MethodPost, "/admin/reports/2026", map[string]string{"review0": "1", "review4": "2"}, nil)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, "总计") {
		t.Errorf("an unbalanced table 四 by form: %d", resp.StatusCode)
	}
	resp, _ = f.page(t, "office", http.MethodPost, "/admin/reports/2026", map[string]string{"review0": "1", "review4": "1", "overview": "概况"}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("saving the report by form: %d", resp.StatusCode)
	}
}

// TestApplicationsOnDashboard: the office's 工作台 counts open and overdue
// applications.
func TestApplicationsOnDashboard(t *testing.T) {
	f := newFSWorkflow(t)
	resp, _ := f.Do(t, http.MethodPost, "/api/v1/admin/applications", staffReq{Bearer: f.as(t, "office"), JSON: map[string]string{
		"applicant_type": "自然人", "name": "周八", "id_type": "护照", "id_number": "E1", "phone": "13500000000",
		"description": "某文件", "format": "纸质", "channel": "自行领取", "received_via": "信函", "received_at": "2026-09-18"}})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("register: %d", resp.StatusCode)
	}
	_, body := f.page(t, "office", http.MethodGet, "/admin", nil, nil)
	if !strings.Contains(body, "办理中 <strong>1</strong> 件") || !strings.Contains(body, "已超期 <strong>1</strong> 件") {
		t.Errorf("the office's dashboard does not count the overdue application")
	}
	if _, body := f.page(t, "leader", http.MethodGet, "/admin", nil, nil); strings.Contains(body, "依申请公开") {
		t.Errorf("the leader's dashboard shows applications")
	}
}

// isoDate is a date written the machine way, YYYY-MM-DD.
var isoDate = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)

// mustChineseDates checks that the readable text of a page writes dates as
// 2026年12月29日 and that each date shown is a <time> carrying the ISO date
// (which stays in JSON, <input type=date> values and datetime).
func mustChineseDates(t *testing.T, name string, body []byte, want ...string) {
	t.Helper()
	doc := MustAccessiblePage(t, body)
	for _, n := range findAll(doc, func(n *html.Node) bool { return n.DataAtom != atom.Pre && n.DataAtom != atom.Textarea }) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode && isoDate.MatchString(c.Data) {
				t.Errorf("%s: an ISO date in the text: %q", name, strings.TrimSpace(c.Data))
			}
		}
	}
	times := map[string]string{}
	for _, n := range findAll(doc, byTag(atom.Time)) {
		dt, _ := attr(n, "datetime")
		times[text(n)] = dt
	}
	for _, w := range want { // "2026-12-18": shown as <time datetime="2026-12-18">2026年12月18日</time>
		d := catalogue.MustParseDate(w)
		if times[d.Chinese()] != w {
			t.Errorf("%s: no <time datetime=%q>%s</time>; times %v", name, w, d.Chinese(), times)
		}
	}
}

// TestDatesInChinese: the application pages and the staff pages write
// dates as 2026年12月29日, in <time datetime="2026-12-29">.
func TestDatesInChinese(t *testing.T) {
	f := newFSWorkflow(t)
	resp, body := f.Do(t, http.MethodPost, "/api/v1/admin/applications", staffReq{Bearer: f.as(t, "office"), JSON: map[string]string{
		"applicant_type": "自然人", "name": "赵六", "id_type": "护照", "id_number": "E12345678", "phone": "13700000000",
		"description": "某文件", "format": "纸质", "channel": "自行领取", "received_via": "信函", "received_at": "2026-11-16"}})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("register: %d %s", resp.StatusCode, body)
	}
	var app struct {
		ID       string `json:"id"`
		Progress struct {
			TrackingCode string `json:"tracking_code"`
			DueAt        string `json:"due_at"`
		} `json:"progress"`
	}
	mustJSON(t, body, &app)
	if app.Progress.DueAt != "2026-12-14" {
		t.Errorf("the API's due date %q, want ISO 2026-12-14", app.Progress.DueAt)
	}
	resp, body = f.Do(t, http.MethodPost, "/api/v1/admin/applications/"+app.ID+"/correction", staffReq{Bearer: f.as(t, "office"), JSON: map[string]any{"items": "请写明文件名称"}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("correction: %d %s", resp.StatusCode, body)
	}
	_, body = f.Do(t, http.MethodGet, "/apply/"+app.Progress.TrackingCode, staffReq{})
	mustChineseDates(t, "status page", body, "2026-11-16", "2026-11-20")
	_, page := f.page(t, "office", http.MethodGet, "/admin/applications/"+app.ID, nil, nil)
	mustChineseDates(t, "staff application page", []byte(page), "2026-11-16")
	if !strings.Contains(page, `type="date" value="2026-11-20"`) {
		t.Errorf("the date inputs lose their ISO value")
	}
	_, page = f.page(t, "office", http.MethodGet, "/admin/applications", nil, nil)
	mustChineseDates(t, "staff application list", []byte(page), "2026-11-16")

	e := f.create(t, "drafter", map[string]any{"formed_at": "2026-10-26"}) // due 2026-11-23
	_, page = f.page(t, "drafter", http.MethodGet, "/admin/entries/"+e.ID, nil, nil)
	mustChineseDates(t, "staff entry page", []byte(page), "2026-10-26", "2026-11-23")
	if !strings.Contains(page, `应于 <strong><time datetime="2026-11-23">2026年11月23日</time></strong> 前公开`) {
		t.Errorf("the entry page does not give its deadline in Chinese")
	}
	_, page = f.page(t, "drafter", http.MethodGet, "/admin", nil, nil)
	mustChineseDates(t, "dashboard", []byte(page), "2026-11-27")
	_, page = f.page(t, "admin", http.MethodGet, "/admin/users", nil, nil)
	mustChineseDates(t, "accounts", []byte(page))
}

// TestApplyStatusCodeForm: the status form sent without a code, or with
// one that matches nothing, comes back with the message next to the field,
// not a 404 page.
func TestApplyStatusCodeForm(t *testing.T) {
	f := newFSWorkflow(t)
	for name, c := range map[string]struct {
		query, want string
		status      int
	}{
		"Empty":   {"code=", "请填写申请查询码", http.StatusBadRequest},
		"Blank":   {"code=++", "请填写申请查询码", http.StatusBadRequest},
		"NoCode":  {"", "请填写申请查询码", http.StatusBadRequest},
		"Unknown": {"code=ABCD1234EFGH", "没有找到查询码为“ABCD1234EFGH”的申请", http.StatusNotFound},
	} {
		t.Run(name, func(t *testing.T) {
			resp, body := f.Do(t, http.MethodGet, "/apply-status?"+c.query, staffReq{})
			if resp.StatusCode != c.status {
				t.Errorf("status %d, want %d", resp.StatusCode, c.status)
			}
			doc := MustAccessiblePage(t, body)
			mustFieldError(t, doc, "t-code", c.want)
			if !strings.Contains(string(body), `action="/apply"`) {
				t.Errorf("the page is not the application form")
			}
		})
	}
	t.Run("Known", func(t *testing.T) {
		resp, body := f.Do(t, http.MethodPost, "/api/v1/applications", staffReq{JSON: map[string]string{
			"applicant_type": "自然人", "name": "钱九", "id_type": "护照", "id_number": "E1", "phone": "13500000000",
			"description": "某文件", "format": "电子", "channel": "在线"}})
		var created struct {
			Code string `json:"tracking_code"`
		}
		mustJSON(t, body, &created)
		resp, body = f.Do(t, http.MethodGet, "/apply-status?code=+"+created.Code+"+", staffReq{})
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "申请办理进度") {
			t.Errorf("a known code typed with spaces: %d", resp.StatusCode)
		}
	})
}

// TestApplyCreditCode: an organisation's 统一社会信用代码 with a wrong GB
// 32100 check character is refused, on the form next to the field and by
// the API; the right one is accepted.
func TestApplyCreditCode(t *testing.T) {
	f := newFSWorkflow(t)
	form := url.Values{"applicant_type": {"法人或其他组织"}, "org_kind": {"商业企业"}, "name": {"某有限公司"},
		"id_type": {"统一社会信用代码"}, "id_number": {"91440200MA4UXXXX0X"}, "phone": {"0751-8888888"},
		"description": {"某项目的批复"}, "format": {"电子"}, "channel": {"在线"}}
	resp, body := f.Do(t, http.MethodPost, "/apply", staffReq{Form: form})
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a wrong check character by form: %d", resp.StatusCode)
	}
	mustFieldError(t, MustAccessiblePage(t, body), "a-id_number", "统一社会信用代码“91440200MA4UXXXX0X”的校验码（最后一位）不正确")
	in := map[string]string{}
	for k := range form {
		in[k] = form.Get(k)
	}
	resp, body = f.Do(t, http.MethodPost, "/api/v1/applications", staffReq{JSON: in})
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(errorMessage(body), "校验码") {
		t.Errorf("a wrong check character by API: %d %s", resp.StatusCode, body)
	}
	in["id_number"] = "91440200MA4UXXXX0F"
	if resp, body = f.Do(t, http.MethodPost, "/api/v1/applications", staffReq{JSON: in}); resp.StatusCode != http.StatusCreated {
		t.Errorf("a valid 统一社会信用代码: %d %s", resp.StatusCode, body)
	}
}
