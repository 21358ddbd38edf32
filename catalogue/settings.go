package catalogue

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// defaultSettingsJSON holds the settings of the demo agency, 韶关市工业和信息化局
// (seed 000). Contact facts the seed does not give are marked as demo data.
//
//go:embed settings.json
var defaultSettingsJSON []byte

// Organ is a government body whose information the catalogue holds, with
// the code that forms the front of its 索引号.
type Organ struct {
	Name string `json:"name"`
	Code string `json:"code"` // 组织机构代码 or 统一社会信用代码, as NormalizeOrganCode writes it
}

// Guide holds the facts the 公开指南 must state about the disclosure office
// (条例第十二条, seed 004 第十四条).
type Guide struct {
	Office   string `json:"office"`
	Address  string `json:"address"`
	Hours    string `json:"hours"`
	Phone    string `json:"phone"`
	Fax      string `json:"fax,omitempty"`
	Email    string `json:"email,omitempty"`
	PostCode string `json:"post_code,omitempty"`
}

// Settings is the agency's configuration that is data rather than code.
// Deadlines are in working days and follow the 2019 regulation by default;
// a local rule that differs is a change of setting, not of code.
type Settings struct {
	Agency     Organ    `json:"agency"`     // the agency running the service
	Organs     []Organ  `json:"organs"`     // other organs whose entries the catalogue holds
	Categories []string `json:"categories"` // the agency's own catalogue classes (seed 000 §七)
	Topics     []string `json:"topics"`     // the State Council's 主题分类, top level

	PublishWorkingDays              int `json:"publish_working_days"`               // 条例第二十六条
	ApplicationAnswerWorkingDays    int `json:"application_answer_working_days"`    // 条例第三十三条
	ApplicationExtensionWorkingDays int `json:"application_extension_working_days"` // 条例第三十三条
	CorrectionNoticeWorkingDays     int `json:"correction_notice_working_days"`     // 补正, 条例第三十条
	ThirdPartyWorkingDays           int `json:"third_party_working_days"`           // 条例第三十二条

	MaxUploadBytes   int64 `json:"max_upload_bytes"`
	KioskIdleSeconds int   `json:"kiosk_idle_seconds"`
	Guide            Guide `json:"guide"`
}

// Bounds that catch a typo in a setting; none of them is a legal limit.
const (
	maxSettingWorkingDays = 100
	maxUploadBytesLimit   = 4 << 30
	minKioskIdleSeconds   = 15
	maxKioskIdleSeconds   = 3600
	maxSettingNameRunes   = 100
)

// DefaultSettings returns a fresh copy of the embedded defaults.
func DefaultSettings() Settings {
	var s Settings
	if err := json.Unmarshal(defaultSettingsJSON, &s); err != nil {
		panic(fmt.Sprintf("catalogue: embedded settings.json: %v", err)) // caught by the tests
	}
	return s
}

// ParseSettings reads settings as JSON, taking the defaults for every field
// that is missing, normalises organ codes and validates the result. Unknown
// fields are refused so that a misspelt key is not silently ignored.
func ParseSettings(data []byte) (Settings, error) {
	s := DefaultSettings()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return Settings{}, configJSONError("设置", err)
	}
	s.normalize()
	if err := s.Validate(); err != nil {
		return Settings{}, err
	}
	return s, nil
}

// normalize trims names and writes organ codes the way a 索引号 carries them.
func (s *Settings) normalize() {
	norm := func(o *Organ) {
		o.Name = strings.TrimSpace(o.Name)
		o.Code = NormalizeOrganCode(o.Code)
	}
	norm(&s.Agency)
	for i := range s.Organs {
		norm(&s.Organs[i])
	}
	for i := range s.Categories {
		s.Categories[i] = strings.TrimSpace(s.Categories[i])
	}
	for i := range s.Topics {
		s.Topics[i] = strings.TrimSpace(s.Topics[i])
	}
	g := &s.Guide
	for _, f := range []*string{&g.Office, &g.Address, &g.Hours, &g.Phone, &g.Fax, &g.Email, &g.PostCode} {
		*f = strings.TrimSpace(*f)
	}
}

// SettingsProblem is one rule a Settings value breaks, named by the JSON
// path of the field so a form can show the message beside it.
type SettingsProblem struct {
	Field   string
	Message string
}

// Problems lists every rule s breaks; none means s is valid.
func (s Settings) Problems() []SettingsProblem {
	var out []SettingsProblem
	add := func(field, format string, args ...any) {
		out = append(out, SettingsProblem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	checkOrgan := func(field string, o Organ) {
		switch {
		case strings.TrimSpace(o.Name) == "":
			add(field+".name", "机构名称不能为空")
		case utf8.RuneCountInString(o.Name) > maxSettingNameRunes:
			add(field+".name", "机构名称超过 %d 个字符", maxSettingNameRunes)
		}
		if err := ValidOrganCode(o.Code); err != nil {
			add(field+".code", "%s", ErrorMessage(err))
		} else if n := NormalizeOrganCode(o.Code); n != o.Code {
			add(field+".code", "机构代码应写作 %s（去掉连字符和空格，字母大写）", n)
		}
	}
	checkOrgan("agency", s.Agency)
	names := map[string]bool{strings.TrimSpace(s.Agency.Name): true}
	for i, o := range s.Organs {
		field := fmt.Sprintf("organs[%d]", i)
		checkOrgan(field, o)
		if name := strings.TrimSpace(o.Name); name != "" && names[name] {
			add(field+".name", "机构“%s”重复出现", name)
		} else {
			names[name] = true
		}
	}
	checkList := func(field, what string, list []string) {
		if len(list) == 0 {
			add(field, "%s不能为空", what)
		}
		seen := make(map[string]bool)
		for i, v := range list {
			switch {
			case strings.TrimSpace(v) == "":
				add(fmt.Sprintf("%s[%d]", field, i), "%s第 %d 项为空", what, i+1)
			case seen[v]:
				add(fmt.Sprintf("%s[%d]", field, i), "%s“%s”重复出现", what, v)
			}
			seen[v] = true
		}
	}
	checkList("categories", "目录分类", s.Categories)
	checkList("topics", "主题分类", s.Topics)

	days := []struct {
		field, what string
		n           int
	}{
		{"publish_working_days", "主动公开期限", s.PublishWorkingDays},
		{"application_answer_working_days", "依申请公开答复期限", s.ApplicationAnswerWorkingDays},
		{"application_extension_working_days", "答复延长期限", s.ApplicationExtensionWorkingDays},
		{"correction_notice_working_days", "补正告知期限", s.CorrectionNoticeWorkingDays},
		{"third_party_working_days", "第三方意见期限", s.ThirdPartyWorkingDays},
	}
	for _, d := range days {
		if d.n < 1 || d.n > maxSettingWorkingDays {
			add(d.field, "%s应为 1–%d 个工作日，而不是 %d", d.what, maxSettingWorkingDays, d.n)
		}
	}
	if s.MaxUploadBytes < 1<<20 || s.MaxUploadBytes > maxUploadBytesLimit {
		add("max_upload_bytes", "上传文件大小上限应在 1 MB 到 %d GB 之间", maxUploadBytesLimit>>30)
	}
	if s.KioskIdleSeconds < minKioskIdleSeconds || s.KioskIdleSeconds > maxKioskIdleSeconds {
		add("kiosk_idle_seconds", "查阅终端空闲复位时间应为 %d–%d 秒", minKioskIdleSeconds, maxKioskIdleSeconds)
	}

	g := s.Guide
	for _, f := range []struct{ field, what, v string }{
		{"guide.office", "公开工作机构名称", g.Office},
		{"guide.address", "办公地址", g.Address},
		{"guide.hours", "办公时间", g.Hours},
		{"guide.phone", "联系电话", g.Phone},
	} {
		if strings.TrimSpace(f.v) == "" {
			add(f.field, "公开指南须写明%s", f.what)
		}
	}
	if g.Phone != "" && !looksLikePhone(g.Phone) {
		add("guide.phone", "联系电话 %q 不像电话号码", g.Phone)
	}
	if g.Fax != "" && !looksLikePhone(g.Fax) {
		add("guide.fax", "传真号码 %q 不像电话号码", g.Fax)
	}
	if g.Email != "" {
		if a, err := mail.ParseAddress(g.Email); err != nil || a.Address != g.Email {
			add("guide.email", "电子邮箱 %q 格式不正确", g.Email)
		}
	}
	if g.PostCode != "" && !isDigits(g.PostCode, 6) {
		add("guide.post_code", "邮政编码应为 6 位数字")
	}
	return out
}

// looksLikePhone accepts what people write for a phone or fax number:
// digits with hyphens, spaces, brackets, + or 转 for an extension, and
// several numbers separated by commas; at least seven digits in all.
func looksLikePhone(s string) bool {
	digits := 0
	for _, r := range foldWidth(s) {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case unicode.IsSpace(r) || strings.ContainsRune("-+()（）、,，;；/转", r):
		default:
			return false
		}
	}
	return digits >= 7
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Validate reports every problem of s in one EINVALID error.
func (s Settings) Validate() error {
	ps := s.Problems()
	if len(ps) == 0 {
		return nil
	}
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Message
	}
	return Errorf(EINVALID, "设置有误：%s", strings.Join(msgs, "；"))
}

// OrganCode returns the code of the organ with that name: the running
// agency or one of the other organs.
func (s Settings) OrganCode(organName string) (string, bool) {
	name := strings.TrimSpace(organName)
	if name == "" {
		return "", false
	}
	if name == s.Agency.Name {
		return s.Agency.Code, true
	}
	for _, o := range s.Organs {
		if o.Name == name {
			return o.Code, true
		}
	}
	return "", false
}
