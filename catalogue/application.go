package catalogue

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Applications for disclosure (依申请公开, 条例 2019 第二十七–四十五条):
// anyone may ask for information that is not published; the agency must
// answer within working-day deadlines, and the annual report counts every
// application by applicant and outcome.

// Applicant types and the organisation kinds of the annual report's table 三.
const (
	ApplicantPerson = "自然人"
	ApplicantOrg    = "法人或其他组织"
)

// OrgKinds are the organisation columns of table 三, in its order.
var OrgKinds = []string{"商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"}

// Choices an applicant makes.
var (
	IDTypes         = []string{"身份证", "护照", "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "统一社会信用代码", "其他"}
	DeliveryFormats = []string{"电子", "纸质"}
	Channels        = []string{"电子邮件", "邮寄", "自行领取", "在线"}
	// ReceivedVia are the ways an application arrives (DOMAIN.md).
	ReceivedVia = []string{"在线", "信函", "传真", "当面"}
)

// Application statuses.
const (
	AppReceived   = "received"   // 办理中
	AppCorrection = "correction" // 待补正: waiting for the applicant
	AppThirdParty = "third_party"
	AppAnswered   = "answered"
)

// AppStatusLabel names an application status for the applicant and staff.
func AppStatusLabel(s string) string {
	switch s {
	case AppReceived:
		return "办理中"
	case AppCorrection:
		return "待申请人补正"
	case AppThirdParty:
		return "征求第三方意见中"
	case AppAnswered:
		return "已答复"
	}
	return s
}

// Outcome is one way of answering an application, a row of table 三.
type Outcome struct {
	Code  string `json:"code"`
	Group string `json:"group"` // 予以公开, 部分公开, 不予公开, 无法提供, 不予处理, 其他处理
	Label string `json:"label"`
}

// Outcomes lists every outcome in the order of table 三 (2021 template).
var Outcomes = func() []Outcome {
	out := []Outcome{{"disclose", "予以公开", "予以公开"}, {"partial", "部分公开", "部分公开（区分处理的，只计这一情形，不计其他情形）"}}
	for _, r := range withholdingReasons {
		out = append(out, Outcome{"withhold_" + r.Code, "不予公开", r.Label})
	}
	return append(out,
		Outcome{"unable_not_held", "无法提供", "本机关不掌握相关政府信息"},
		Outcome{"unable_need_create", "无法提供", "没有现成信息需要另行制作"},
		Outcome{"unable_unclear", "无法提供", "补正后申请内容仍不明确"},
		Outcome{"reject_complaint", "不予处理", "信访举报投诉类申请"},
		Outcome{"reject_repeat", "不予处理", "重复申请"},
		Outcome{"reject_publication", "不予处理", "要求提供公开出版物"},
		Outcome{"reject_mass", "不予处理", "无正当理由大量反复申请"},
		Outcome{"reject_confirm", "不予处理", "要求行政机关确认或重新出具已获取信息"},
		Outcome{"other_no_correction", "其他处理", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"},
		Outcome{"other_no_fee", "其他处理", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"},
		Outcome{"other", "其他处理", "其他"},
	)
}()

// LookupOutcome finds an outcome by its code.
func LookupOutcome(code string) (Outcome, bool) {
	for _, o := range Outcomes {
		if o.Code == code {
			return o, true
		}
	}
	return Outcome{}, false
}

// Applicant is who applies. Personal data: never on a public page, and
// every staff view of it is logged on the application.
type Applicant struct {
	Type     string `json:"applicant_type"` // 自然人 or 法人或其他组织
	OrgKind  string `json:"org_kind,omitempty"`
	Name     string `json:"name"`
	IDType   string `json:"id_type"`
	IDNumber string `json:"id_number"`
	Phone    string `json:"phone"`
	Email    string `json:"email,omitempty"`
	Address  string `json:"address,omitempty"`
}

// Request is what is asked for and how the answer should come.
type Request struct {
	Description string `json:"description"`
	DocNo       string `json:"doc_no,omitempty"`
	IndexNo     string `json:"index_no,omitempty"`
	Format      string `json:"format"`  // 电子 or 纸质
	Channel     string `json:"channel"` // 电子邮件, 邮寄, 自行领取, 在线
}

// Correction is a request to complete an unclear application (补正).
type Correction struct {
	AskedAt    Date   `json:"asked_at"`
	Items      string `json:"items"`       // everything to complete, at once
	Due        Date   `json:"due"`         // the applicant's deadline
	ReceivedAt Date   `json:"received_at"` // when the completed request arrived: the clock restarts
}

// Consultation is a third party's opinion being sought (征求第三方意见):
// the time it takes, up to 15 working days, is not counted.
type Consultation struct {
	StartedAt Date   `json:"started_at"`
	Party     string `json:"party"`
	Due       Date   `json:"due"`
	RepliedAt Date   `json:"replied_at"`
}

// Extension is the one extension of the answer deadline (条例第三十三条).
type Extension struct {
	Days     int    `json:"days"`
	Approver string `json:"approver"` // the office head who approved it
	Reason   string `json:"reason"`
	At       Date   `json:"at"`
}

// Answer is how an application was answered.
type Answer struct {
	Outcome  string   `json:"outcome"`
	Note     string   `json:"note,omitempty"`      // what the applicant reads
	EntryIDs []string `json:"entry_ids,omitempty"` // published entries that answer it
	Holder   string   `json:"holder,omitempty"`    // who holds it, when not this agency
	At       Date     `json:"at"`
	By       string   `json:"by"`
}

// AppEvent is one line of an application's trail, including staff views of
// the applicant's personal data.
type AppEvent struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Note   string    `json:"note,omitempty"`
}

// appActionLabels name the staff actions of the trail in Chinese.
var appActionLabels = map[string]string{
	"view": "查看", "correction": "要求补正", "corrected": "收到补正", "no-correction": "逾期不补正",
	"consult": "征求第三方意见", "consulted": "第三方答复", "extend": "延长答复期限", "answer": "答复",
}

// ActionLabel names the event's action for the trail: the staff actions
// are kept by their codes, registration in Chinese already.
func (e AppEvent) ActionLabel() string {
	if l, ok := appActionLabels[e.Action]; ok {
		return l
	}
	return e.Action
}

// Application is one application for disclosure. Its ID is the tracking
// code the applicant keeps: random, so codes cannot be guessed.
type Application struct {
	ID          string         `json:"id"`
	Applicant   Applicant      `json:"applicant"`
	Request     Request        `json:"request"`
	ReceivedVia string         `json:"received_via"`
	ReceivedAt  Date           `json:"received_at"`
	Status      string         `json:"status"`
	Correction  *Correction    `json:"correction,omitempty"`
	Consults    []Consultation `json:"consults,omitempty"`
	Extension   *Extension     `json:"extension,omitempty"`
	Answer      *Answer        `json:"answer,omitempty"`
	Events      []AppEvent     `json:"events,omitempty"`
	CreatedAt   time.Time      `json:"created_at"`
	Revision    string         `json:"-"`
}

// ApplicationStore keeps applications. Implemented by storage.Applications.
type ApplicationStore interface {
	Application(ctx context.Context, id string) (*Application, error)
	CreateApplication(ctx context.Context, a *Application) error
	UpdateApplication(ctx context.Context, a *Application) error
	ListApplications(ctx context.Context, fn func(*Application) error) error
}

// TrackingCode is how the applicant sees the application's id.
func (a *Application) TrackingCode() string { return strings.ToUpper(a.ID) }

// NewTrackingCode returns a random tracking code: 12 characters from an
// alphabet without look-alikes (no 0/O, 1/I/L), about 60 bits.
func NewTrackingCode() string {
	const alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b[:])
}

// Limits on application fields.
const (
	maxAppDescriptionRunes = 2000
	maxAppFieldRunes       = 200
	correctionReplyDays    = 15 // working days the applicant has to complete a request
)

// Validate checks an application as submitted. Every problem is reported,
// each naming its field (FieldErrors).
func (a *Application) Validate() error {
	ap, rq := &a.Applicant, &a.Request
	trim := func(ss ...*string) {
		for _, s := range ss {
			*s = strings.TrimSpace(*s)
		}
	}
	trim(&ap.Type, &ap.OrgKind, &ap.Name, &ap.IDType, &ap.IDNumber, &ap.Phone, &ap.Email, &ap.Address,
		&rq.Description, &rq.DocNo, &rq.IndexNo, &rq.Format, &rq.Channel)
	bad := map[string]bool{}
	var errs []error
	add := func(field, format string, args ...any) {
		if !bad[field] {
			bad[field] = true
			errs = append(errs, FieldErrorf(field, format, args...))
		}
	}
	switch ap.Type {
	case ApplicantPerson:
		ap.OrgKind = ""
	case ApplicantOrg:
		if !slices.Contains(OrgKinds, ap.OrgKind) {
			add("org_kind", "法人或其他组织须选择类别：%s", strings.Join(OrgKinds, "、"))
		}
	default:
		add("applicant_type", "申请人类型应为“自然人”或“法人或其他组织”")
	}
	for _, f := range []struct{ field, v, label string }{
		{"name", ap.Name, "申请人姓名或名称"}, {"id_number", ap.IDNumber, "证件号码"}, {"phone", ap.Phone, "联系电话"},
		{"description", rq.Description, "所需信息的描述"},
	} {
		if f.v == "" {
			add(f.field, "请填写%s", f.label)
		}
	}
	for _, f := range []struct{ field, v, label string }{{"name", ap.Name, "姓名或名称"}, {"id_number", ap.IDNumber, "证件号码"},
		{"phone", ap.Phone, "联系电话"}, {"email", ap.Email, "电子邮箱"}, {"address", ap.Address, "通信地址"},
		{"doc_no", rq.DocNo, "文号"}, {"index_no", rq.IndexNo, "索引号"}} {
		if utf8.RuneCountInString(f.v) > maxAppFieldRunes {
			add(f.field, "%s过长（最多 %d 个字）", f.label, maxAppFieldRunes)
		}
	}
	if utf8.RuneCountInString(rq.Description) > maxAppDescriptionRunes {
		add("description", "所需信息的描述过长（最多 %d 个字）", maxAppDescriptionRunes)
	}
	if !slices.Contains(IDTypes, ap.IDType) {
		add("id_type", "证件类型应为：%s", strings.Join(IDTypes, "、"))
	}
	switch {
	case ap.IDNumber == "":
	case ap.IDType == "身份证" && !validResidentID(ap.IDNumber):
		add("id_number", "身份证号码不正确：应为 18 位，最后一位是数字或 X，并符合校验规则")
	case ap.IDType == "统一社会信用代码":
		if err := ValidCreditCode(ap.IDNumber); err != nil {
			add("id_number", "%s", ErrorMessage(err))
		} else {
			ap.IDNumber = NormalizeOrganCode(ap.IDNumber)
		}
	}
	if ap.Phone != "" && !looksLikePhone(ap.Phone) {
		add("phone", "联系电话不正确：请填写手机号或带区号的固定电话")
	}
	if ap.Email != "" {
		if _, err := mail.ParseAddress(ap.Email); err != nil {
			add("email", "电子邮箱格式不正确")
		}
	}
	if !slices.Contains(DeliveryFormats, rq.Format) {
		add("format", "获取信息的载体形式应为：电子 或 纸质")
	}
	if !slices.Contains(Channels, rq.Channel) {
		add("channel", "获取信息的方式应为：%s", strings.Join(Channels, "、"))
	}
	switch {
	case rq.Channel == "电子邮件" && ap.Email == "":
		add("email", "选择电子邮件获取时，请填写电子邮箱")
	case rq.Channel == "邮寄" && ap.Address == "":
		add("address", "选择邮寄时，请填写通信地址")
	}
	if !slices.Contains(ReceivedVia, a.ReceivedVia) {
		add("received_via", "收到申请的渠道应为：%s", strings.Join(ReceivedVia, "、"))
	}
	return errors.Join(errs...)
}

// validResidentID checks an 18-digit 居民身份证号码 by its GB 11643 check digit.
func validResidentID(s string) bool {
	s = strings.ToUpper(s)
	if len(s) != 18 {
		return false
	}
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		sum += int(s[i]-'0') * weights[i]
	}
	return s[17] == "10X98765432"[sum%11]
}

// ApplicationService carries out the handling of applications.
type ApplicationService struct {
	Store    ApplicationStore
	Calendar *Calendar
	Settings Settings
	Now      func() time.Time
}

func (s *ApplicationService) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Today is the service's date in China.
func (s *ApplicationService) Today() Date { return DateOf(s.now().In(chinaZone)) }

func (s *ApplicationService) answerDays() int {
	if s.Settings.ApplicationAnswerWorkingDays > 0 {
		return s.Settings.ApplicationAnswerWorkingDays
	}
	return 20
}

// Submit registers an application. Online ones are received today (the
// day the system confirms them); staff registering a letter, fax or visit
// give the day of receipt (for registered post, the day it was signed for).
func (s *ApplicationService) Submit(ctx context.Context, a *Application, actor string) error {
	if a.ReceivedVia == "" {
		a.ReceivedVia = "在线"
	}
	if a.ReceivedVia == "在线" || a.ReceivedAt.IsZero() {
		a.ReceivedAt = s.Today()
	}
	if err := a.Validate(); err != nil {
		return err
	}
	if a.ReceivedAt.After(s.Today()) {
		return FieldErrorf("received_at", "收到申请的日期不能晚于今天")
	}
	a.ID = strings.ToLower(NewTrackingCode()) // shown upper-case; typed either way
	a.Status = AppReceived
	a.CreatedAt = s.now().UTC()
	a.Events = []AppEvent{{At: a.CreatedAt, Actor: actor, Action: "受理", Note: "渠道：" + a.ReceivedVia + "，收到日期 " + a.ReceivedAt.Chinese()}}
	return s.Store.CreateApplication(ctx, a)
}

// Due is an application's answer deadline with how it was reached.
type Due struct {
	Date      Date
	Stopped   bool // waiting for a correction: the clock restarts when it arrives
	Estimated bool // runs through a year without calendar data
	Paused    int  // working days of third-party consultation not counted
}

// Due computes the answer deadline: 20 working days from receipt (or from
// the arrival of the completed request after a 补正), plus the extension,
// plus the working days spent waiting for third parties.
func (s *ApplicationService) Due(a *Application) Due {
	start := a.ReceivedAt
	if c := a.Correction; c != nil {
		if c.ReceivedAt.IsZero() {
			return Due{Stopped: true, Date: c.Due}
		}
		start = c.ReceivedAt
	}
	days := s.answerDays()
	if a.Extension != nil {
		days += a.Extension.Days
	}
	var d Due
	for _, c := range a.Consults {
		end := c.RepliedAt
		if end.IsZero() || end.After(c.Due) {
			end = c.Due
		}
		n, err := s.Calendar.WorkingDaysBetween(c.StartedAt, end)
		if _, missing := IsNoCalendar(err); missing {
			d.Estimated = true
		}
		if n > 0 {
			d.Paused += n
		}
	}
	date, err := s.Calendar.AddWorkingDays(start, days+d.Paused)
	if _, missing := IsNoCalendar(err); missing {
		d.Estimated = true
	}
	d.Date = date
	return d
}

// Overdue reports whether an open application is past its deadline.
func (s *ApplicationService) Overdue(a *Application) bool {
	if a.Status == AppAnswered {
		return false
	}
	d := s.Due(a)
	return s.Today().After(d.Date)
}

// AppActionRequest carries what a staff action on an application needs.
type AppActionRequest struct {
	Items    string   `json:"items"`    // 补正: what to complete
	Date     string   `json:"date"`     // when something arrived (YYYY-MM-DD); today if empty
	Party    string   `json:"party"`    // third party consulted
	Days     int      `json:"days"`     // extension in working days
	Approver string   `json:"approver"` // who approved the extension
	Reason   string   `json:"reason"`
	Outcome  string   `json:"outcome"`
	Note     string   `json:"note"`
	EntryIDs []string `json:"entry_ids"`
	Holder   string   `json:"holder"`
}

// Act carries out a staff action on an application: correction (ask for
// 补正), corrected (the completed request arrived), consult (ask a third
// party), consulted (its reply arrived), extend, answer. The write is
// conditional: of two staff acting at once, one wins.
func (s *ApplicationService) Act(ctx context.Context, id, action, actor string, r AppActionRequest) (*Application, error) {
	a, err := s.Store.Application(ctx, id)
	if err != nil {
		return nil, err
	}
	today := s.Today()
	day := today
	if r.Date != "" {
		if day, err = ParseDate(r.Date); err != nil {
			return nil, Errorf(EINVALID, "日期应为 YYYY-MM-DD")
		}
		if day.After(today) {
			return nil, Errorf(EINVALID, "日期不能晚于今天")
		}
	}
	if a.Status == AppAnswered {
		return nil, Errorf(ECONFLICT, "该申请已于 %s 答复，不能再办理", a.Answer.At)
	}
	note := ""
	switch action {
	case "correction":
		if a.Correction != nil {
			return nil, Errorf(ECONFLICT, "补正只能要求一次，且应一次性告知需要补正的全部事项")
		}
		if a.Status != AppReceived {
			return nil, Errorf(ECONFLICT, "当前状态为“%s”，不能要求补正", AppStatusLabel(a.Status))
		}
		if strings.TrimSpace(r.Items) == "" {
			return nil, Errorf(EINVALID, "请一次性写明需要补正的全部事项")
		}
		limit, _ := s.Calendar.AddWorkingDays(a.ReceivedAt, s.correctionNoticeDays())
		if today.After(limit) {
			return nil, Errorf(ECONFLICT, "应在收到申请之日起 %d 个工作日内（%s 前）要求补正，已超过期限", s.correctionNoticeDays(), limit)
		}
		due, _ := s.Calendar.AddWorkingDays(today, correctionReplyDays)
		a.Correction = &Correction{AskedAt: today, Items: strings.TrimSpace(r.Items), Due: due}
		a.Status = AppCorrection
		note = "补正事项：" + a.Correction.Items + "；补正期限 " + due.Chinese()
	case "corrected":
		if a.Status != AppCorrection {
			return nil, Errorf(ECONFLICT, "该申请没有在等待补正")
		}
		if day.Before(a.Correction.AskedAt) {
			return nil, Errorf(EINVALID, "补正收到日期不能早于要求补正的日期")
		}
		a.Correction.ReceivedAt = day
		a.Status = AppReceived
		note = "补正材料收到，答复期限自" + day.Chinese() + "重新计算"
	case "no-correction":
		if a.Status != AppCorrection {
			return nil, Errorf(ECONFLICT, "该申请没有在等待补正")
		}
		if !today.After(a.Correction.Due) {
			return nil, Errorf(ECONFLICT, "补正期限 %s 尚未届满", a.Correction.Due)
		}
		a.Answer = &Answer{Outcome: "other_no_correction", Note: "申请人无正当理由逾期未补正，视为放弃申请。", At: today, By: actor}
		a.Status = AppAnswered
		note = "逾期不补正，视为放弃申请"
	case "consult":
		if a.Status != AppReceived {
			return nil, Errorf(ECONFLICT, "当前状态为“%s”，不能征求第三方意见", AppStatusLabel(a.Status))
		}
		if strings.TrimSpace(r.Party) == "" {
			return nil, Errorf(EINVALID, "请写明征求意见的第三方")
		}
		due, _ := s.Calendar.AddWorkingDays(day, s.thirdPartyDays())
		a.Consults = append(a.Consults, Consultation{StartedAt: day, Party: strings.TrimSpace(r.Party), Due: due})
		a.Status = AppThirdParty
		note = "征求 " + r.Party + " 意见，答复期限 " + due.Chinese() + "（所需时间不计入答复期限）"
	case "consulted":
		if a.Status != AppThirdParty {
			return nil, Errorf(ECONFLICT, "该申请没有在征求第三方意见")
		}
		c := &a.Consults[len(a.Consults)-1]
		if day.Before(c.StartedAt) {
			return nil, Errorf(EINVALID, "第三方答复日期不能早于征求意见的日期")
		}
		c.RepliedAt = day
		a.Status = AppReceived
		note = "第三方于" + day.Chinese() + "答复"
	case "extend":
		if a.Extension != nil {
			return nil, Errorf(ECONFLICT, "答复期限只能延长一次")
		}
		if r.Days < 1 || r.Days > s.extensionDays() {
			return nil, Errorf(EINVALID, "延长的期限应为 1 至 %d 个工作日", s.extensionDays())
		}
		if strings.TrimSpace(r.Approver) == "" {
			return nil, Errorf(EINVALID, "延长答复期限须经政府信息公开工作机构负责人同意：请填写批准人")
		}
		a.Extension = &Extension{Days: r.Days, Approver: strings.TrimSpace(r.Approver), Reason: strings.TrimSpace(r.Reason), At: today}
		note = fmt.Sprintf("答复期限延长 %d 个工作日，经 %s 同意", r.Days, a.Extension.Approver)
	case "answer":
		o, ok := LookupOutcome(r.Outcome)
		if !ok {
			return nil, Errorf(EINVALID, "请选择答复结果")
		}
		if o.Code == "unable_not_held" && strings.TrimSpace(r.Holder) == "" && strings.TrimSpace(r.Note) == "" {
			return nil, Errorf(EINVALID, "本机关不掌握该信息时，应告知申请人掌握该信息的机关（或说明无法确定）")
		}
		a.Answer = &Answer{Outcome: o.Code, Note: strings.TrimSpace(r.Note), EntryIDs: r.EntryIDs, Holder: strings.TrimSpace(r.Holder), At: day, By: actor}
		a.Status = AppAnswered
		note = "答复：" + o.Group + "（" + o.Label + "）"
	default:
		return nil, Errorf(EINVALID, "未知的办理操作 %q", action)
	}
	a.Events = append(a.Events, AppEvent{At: s.now().UTC(), Actor: actor, Action: action, Note: note})
	if err := s.Store.UpdateApplication(ctx, a); err != nil {
		if IsConflict(err) {
			return nil, Errorf(ECONFLICT, "该申请刚被其他人办理，请刷新后查看")
		}
		return nil, err
	}
	return a, nil
}

// LogView records that a staff member opened an application's personal
// data (the trail shows who looked, and when).
func (s *ApplicationService) LogView(ctx context.Context, a *Application, actor string) error {
	for range 3 {
		a.Events = append(a.Events, AppEvent{At: s.now().UTC(), Actor: actor, Action: "view", Note: "查看申请人信息"})
		err := s.Store.UpdateApplication(ctx, a)
		if !IsConflict(err) {
			return err
		}
		fresh, ferr := s.Store.Application(ctx, a.ID)
		if ferr != nil {
			return ferr
		}
		*a = *fresh
	}
	return nil
}

func (s *ApplicationService) correctionNoticeDays() int {
	if s.Settings.CorrectionNoticeWorkingDays > 0 {
		return s.Settings.CorrectionNoticeWorkingDays
	}
	return 7
}

func (s *ApplicationService) thirdPartyDays() int {
	if s.Settings.ThirdPartyWorkingDays > 0 {
		return s.Settings.ThirdPartyWorkingDays
	}
	return 15
}

func (s *ApplicationService) extensionDays() int {
	if s.Settings.ApplicationExtensionWorkingDays > 0 {
		return s.Settings.ApplicationExtensionWorkingDays
	}
	return 20
}
