package catalogue

import "strings"

// WithholdingReason is a ground for 不予公开. Code is stable ASCII kept in
// records; Label is the wording of the 2021 annual-report template
// (国办公开办函〔2021〕30号), whose table counts refusals by these grounds;
// Basis is the article of the 2019 regulation behind it.
type WithholdingReason struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	Basis string `json:"basis"`
}

var withholdingReasons = []WithholdingReason{
	{"state_secret", "属于国家秘密", "条例第十四条"},
	{"prohibited_by_law", "其他法律行政法规禁止公开", "条例第十四条"},
	{"endangers_security", "危及国家安全、公共安全、经济安全、社会稳定", "条例第十四条"},
	{"third_party_rights", "保护第三方合法权益（商业秘密、个人隐私）", "条例第十五条"},
	{"internal_affairs", "属于三类内部事务信息", "条例第十六条第一款"},
	{"process_information", "属于四类过程性信息", "条例第十六条第二款"},
	{"law_enforcement_file", "属于行政执法案卷", "条例第十六条第二款"},
	{"administrative_inquiry", "属于行政查询事项", "条例第三十六条第（七）项"},
}

// WithholdingReasons returns the grounds for 不予公开 in the order of the
// annual report.
func WithholdingReasons() []WithholdingReason {
	return append([]WithholdingReason(nil), withholdingReasons...)
}

// LookupWithholdingReason finds a ground by its code or, for input typed by
// people and older records, by its label.
func LookupWithholdingReason(codeOrLabel string) (WithholdingReason, bool) {
	s := strings.TrimSpace(codeOrLabel)
	for _, r := range withholdingReasons {
		if r.Code == s || r.Label == s {
			return r, true
		}
	}
	return WithholdingReason{}, false
}

// WithdrawalReason is a reason for taking a published entry down (撤回).
// Most leave a public notice with the title, date and reason, so nothing
// disappears silently. HidesTitle reasons (the entry exposed personal or
// classified information) leave no trace at all, since even the title may
// be the leak. NeedsNote reasons must be explained in free text.
type WithdrawalReason struct {
	Code       string `json:"code"`
	Label      string `json:"label"`
	HidesTitle bool   `json:"hides_title,omitempty"`
	NeedsNote  bool   `json:"needs_note,omitempty"`
}

var withdrawalReasons = []WithdrawalReason{
	{Code: "published_in_error", Label: "发布错误"},
	{Code: "superseded", Label: "已被替代"},
	{Code: "expired", Label: "已失效"},
	{Code: "personal_information", Label: "含个人信息", HidesTitle: true},
	{Code: "classified_information", Label: "含涉密信息", HidesTitle: true},
	{Code: "other", Label: "其他", NeedsNote: true},
}

// WithdrawalReasons returns the reasons for a withdrawal, for a form.
func WithdrawalReasons() []WithdrawalReason {
	return append([]WithdrawalReason(nil), withdrawalReasons...)
}

// LookupWithdrawalReason finds a withdrawal reason by its code or label.
func LookupWithdrawalReason(codeOrLabel string) (WithdrawalReason, bool) {
	s := strings.TrimSpace(codeOrLabel)
	for _, r := range withdrawalReasons {
		if r.Code == s || r.Label == s {
			return r, true
		}
	}
	return WithdrawalReason{}, false
}
