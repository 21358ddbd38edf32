package catalogue

import (
	"strings"
	"testing"
)

func TestDocTypes(t *testing.T) {
	if len(DocTypes) != 15 {
		t.Fatalf("%d document types, want the 15 of the 2012 regulation", len(DocTypes))
	}
	for _, dt := range DocTypes {
		if got, ok := CanonicalDocType(dt); !ok || got != dt {
			t.Errorf("CanonicalDocType(%q) = %q, %v", dt, got, ok)
		}
	}
	for in, want := range map[string]string{"命令": "命令（令）", "令": "命令（令）", " 会议纪要 ": "纪要", "复函": "函"} {
		if got, ok := CanonicalDocType(in); !ok || got != want {
			t.Errorf("CanonicalDocType(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "办法", "通知公告"} {
		if got, ok := CanonicalDocType(in); ok {
			t.Errorf("CanonicalDocType(%q) = %q, want not a statutory type", in, got)
		}
	}
}

func TestDocTypeFromTitle(t *testing.T) {
	for title, want := range map[string]string{
		"关于印发《市工业和信息化局政府信息主动公开工作制度》的通知":    "通知",
		"上海市住房和城乡建设管理委员会关于住房限购审核前置有关问题的通知": "通知",
		"关于同意设立某某产业园的批复":                   "批复",
		"关于商请支持某项工作的函":                     "函",
		"关于对市政协十三届三次会议第45号提案的复函":           "函",
		"市政府第12次常务会议纪要":                    "纪要",
		"关于加快推进制造业高质量发展的实施意见（试行）":          "意见",
		"韶关市人民政府公告（2019年第1号）":              "公告",
		"中华人民共和国国务院令":                      "命令（令）",
		"关于2019年度工作情况的报告。":                 "报告",
		"关于市工业和信息化局政府信息公开工作制度":             "",
		"": "",
	} {
		got, _ := DocTypeFromTitle(title)
		if got != want {
			t.Errorf("DocTypeFromTitle(%q) = %q, want %q", title, got, want)
		}
	}
}

func TestSuggestAttribute(t *testing.T) {
	tests := []struct {
		name, docType, title string
		want                 Attribute
		explains             string // part of the explanation
	}{
		{"OrderProactive", "命令（令）", "韶关市人民政府令", Proactive, "命令"},
		{"AnnouncementProactive", "公告", "关于2019年度行政许可事项的公告", Proactive, "周知"},
		{"CircularProactive", "通告", "关于禁止燃放烟花爆竹的通告", Proactive, "周知"},
		{"DecisionAwardProactive", "决定", "关于表彰2019年度先进集体的决定", Proactive, "奖励"},
		{"DecisionDisciplineOnRequest", "决定", "关于给予某公司通报批评处理的决定", OnRequest, "批评"},
		{"DecisionRevokeOnRequest", "决定", "关于撤销某县工信局不当决定的决定", OnRequest, "撤销"},
		{"MeetingNoticeWithheld", "通知", "关于召开2019年全市工业和信息化工作会议的通知", Withheld, "会议通知"},
		{"SymposiumNoticeWithheld", "通知", "关于召开2020年度安全生产工作座谈会的通知", Withheld, "会议通知"},
		{"MeetingAttendanceWithheld", "通知", "关于参加全省工业和信息化工作会议的通知", Withheld, "会议通知"},
		{"AppointmentProactive", "通知", "关于张三等同志职务任免的通知", Proactive, "任免"},
		{"AppointmentProactiveOverMeeting", "通知", "关于召开会议研究干部任免的通知", Proactive, "任免"},
		{"HearingProactive", "通知", "关于召开电价调整听证会的通知", Proactive, "广泛知晓"},
		{"IssuingProactive", "通知", "关于印发《市工业和信息化局政府信息主动公开工作制度》的通知", Proactive, "印发"},
		{"IssuingMeetingRulesProactive", "通知", "关于印发《局机关会议管理办法》的通知", Proactive, "印发"},
		{"ForwardingOnRequest", "通知", "关于转发省工业和信息化厅做好安全生产工作意见的通知", OnRequest, "转发"},
		{"ForwardingRegulationProactive", "通知", "关于转发《广东省促进中小企业发展条例》的通知", Proactive, "法规"},
		{"InformingProactive", "通知", "关于成立政府信息公开工作领导小组的通知", Proactive, "知照"},
		{"SealProactive", "通知", "关于启用新印章的通知", Proactive, "知照"},
		{"InstructingOnRequest", "通知", "关于做好2020年春节期间安全生产工作的通知", OnRequest, "指示性"},
		{"BulletinOnRequest", "通报", "关于2019年第三季度安全生产情况的通报", OnRequest, "通报"},
		{"GuidingOpinionProactive", "意见", "关于加快推进工业互联网发展的实施意见", Proactive, "指导性"},
		{"AssessmentOpinionWithheld", "意见", "关于某项目节能评估的审查意见", Withheld, "评估"},
		{"SuggestionOpinionWithheld", "意见", "关于报请市政府批转某项工作的建议意见", Withheld, "建议"},
		{"ReportWithheld", "报告", "关于2019年工作情况的报告", Withheld, "下情上达"},
		{"AnnualDisclosureReportProactive", "报告", "2019年政府信息公开工作年度报告", Proactive, "年度报告"},
		{"BudgetReportProactive", "报告", "关于2020年部门预算的报告", Proactive, "预决算"},
		{"RequestWithheld", "请示", "关于申请专项资金的请示", Withheld, "请示"},
		{"ReplyWithheld", "批复", "关于同意某某工作方案的批复", Withheld, "批复"},
		{"MotionWithheld", "议案", "关于提请审议某条例草案的议案", Withheld, "审议批准前"},
		{"LetterOnRequest", "函", "关于商请支持某项工作的函", OnRequest, "函"},
		{"ProposalReplyProactive", "函", "关于对市政协十三届三次会议第45号提案答复的函", Proactive, "提案"},
		{"MinutesWithheld", "纪要", "关于研究某项目选址问题的会议纪要", Withheld, "过程性"},
		{"RoutineMinutesProactive", "会议纪要", "市政府第12次常务会议纪要", Proactive, "常务会议"},
		{"ResolutionProactive", "决议", "关于某重大事项的决议", Proactive, "决议"},
		{"CommuniqueProactive", "公报", "2019年国民经济和社会发展统计公报", Proactive, "公报"},
		// No statutory type given: read from the title.
		{"TypeFromTitle", "", "关于召开全市工作会议的通知", Withheld, "会议通知"},
		{"NonStatutoryTypeFromTitle", "办法", "关于印发《长宁区土地储备成本认定管理办法》的通知", Proactive, "印发"},
		{"UnknownType", "", "市工业和信息化局机构职能", Proactive, "未能识别文种"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, why := SuggestAttribute(tt.docType, tt.title)
			if got != tt.want || !strings.Contains(why, tt.explains) {
				t.Errorf("SuggestAttribute(%q, %q) = %s, %q; want %s explaining %q", tt.docType, tt.title, got, why, tt.want, tt.explains)
			}
			if !got.Valid() {
				t.Errorf("suggested %q, not an attribute", got)
			}
		})
	}
	// Every statutory type gets an explanation of its own, not the fallback.
	for _, dt := range DocTypes {
		if _, why := SuggestAttribute(dt, ""); strings.Contains(why, "未能识别") || strings.Contains(why, "暂定") {
			t.Errorf("SuggestAttribute(%q) fell through to %q", dt, why)
		}
	}
}
