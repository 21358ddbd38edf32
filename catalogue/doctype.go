package catalogue

import (
	"strings"
	"unicode"
)

// DocTypes are the 15 statutory document types (文种) of the 2012
// 党政机关公文处理工作条例, in its order.
var DocTypes = []string{
	"决议", "决定", "命令（令）", "公报", "公告", "通告", "意见", "通知",
	"通报", "报告", "请示", "批复", "议案", "函", "纪要",
}

// docTypeAliases maps other names people use to the statutory one.
var docTypeAliases = map[string]string{
	"命令": "命令（令）", "令": "命令（令）", "命令(令)": "命令（令）",
	"会议纪要": "纪要", "复函": "函",
}

// CanonicalDocType returns the statutory name of a document type given as
// written (命令, 令, 会议纪要 and 复函 are accepted), and whether it is one.
func CanonicalDocType(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if t, ok := docTypeAliases[s]; ok {
		return t, true
	}
	for _, t := range DocTypes {
		if t == s {
			return t, true
		}
	}
	return "", false
}

// titleDocTypeEndings tell the document type from the end of a title,
// longer endings first so that 会议纪要 wins over 纪要.
var titleDocTypeEndings = []struct{ ending, docType string }{
	{"会议纪要", "纪要"}, {"纪要", "纪要"}, {"复函", "函"}, {"函", "函"},
	{"通知", "通知"}, {"通报", "通报"}, {"通告", "通告"}, {"公告", "公告"},
	{"公报", "公报"}, {"决定", "决定"}, {"决议", "决议"}, {"意见", "意见"},
	{"报告", "报告"}, {"请示", "请示"}, {"批复", "批复"}, {"议案", "议案"},
	{"令", "命令（令）"},
}

// DocTypeFromTitle tells the statutory document type from a title, which
// by GB/T 9704 ends with it (关于……的通知), ignoring a trailing
// parenthesis such as （试行） or （2019年第1号）.
func DocTypeFromTitle(title string) (string, bool) {
	t := trimTitleTail(title)
	for _, e := range titleDocTypeEndings {
		if strings.HasSuffix(t, e.ending) {
			return e.docType, true
		}
	}
	return "", false
}

// trimTitleTail drops trailing spaces, punctuation and one bracketed
// remark from a title.
func trimTitleTail(title string) string {
	t := strings.TrimRightFunc(strings.TrimSpace(title), func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("。.；;", r)
	})
	for _, p := range [][2]string{{"（", "）"}, {"(", ")"}, {"〔", "〕"}} {
		if strings.HasSuffix(t, p[1]) {
			if i := strings.LastIndex(t, p[0]); i > 0 {
				return strings.TrimSpace(t[:i])
			}
		}
	}
	return t
}

// outsideBookTitles returns title without the names in 《》, so that the
// words of a document being issued (关于印发《会议管理办法》的通知) are not
// taken for the kind of notice that issues it.
func outsideBookTitles(title string) string {
	var b strings.Builder
	depth := 0
	for _, r := range title {
		switch {
		case r == '《':
			depth++
		case r == '》' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func titleHasAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// SuggestAttribute returns the disclosure attribute a document of this type
// and title usually gets, with a short explanation for the drafter, after
// the table of seed 003 §四 (文种与主动公开的关系). It is a default the
// drafter may override; the reviewers confirm it. When docType is empty or
// not a statutory type, the type is read from the end of the title.
func SuggestAttribute(docType, title string) (Attribute, string) {
	t, ok := CanonicalDocType(docType)
	if !ok {
		t, ok = DocTypeFromTitle(title)
	}
	if !ok {
		return Proactive, "未能识别文种：按“公开为常态、不公开为例外”暂定主动公开，请核实"
	}
	o := outsideBookTitles(title)
	switch t {
	case "命令（令）":
		return Proactive, "命令（令）用于公布法规规章、宣布重大强制性措施，属主动公开"
	case "公告", "通告":
		return Proactive, t + "用于公布应当周知或遵守的事项，属主动公开"
	case "公报":
		return Proactive, "公报用于公布重要决定或重大事项，属主动公开"
	case "决议":
		return Proactive, "决议是会议通过的重大决策事项，需要社会广泛知晓，一般主动公开"
	case "决定":
		if titleHasAny(o, "处分", "批评", "撤销", "撤消", "纠正", "责令") {
			return OnRequest, "批评处理，或变更、撤销下级机关不适当决定的决定，一般依申请公开"
		}
		return Proactive, "对重要事项作出部署或奖励表彰的决定，属主动公开"
	case "通知":
		return suggestForNotice(o, title)
	case "通报":
		return OnRequest, "通报（表扬、批评、情况通报）属内部工作信息，一般依申请公开"
	case "意见":
		switch {
		case titleHasAny(o, "评估", "评审", "鉴定", "审查意见", "审核意见"):
			return Withheld, "评估性意见属工作过程中的信息，不予公开（过程性信息）"
		case titleHasAny(o, "建议", "报请", "请求"):
			return Withheld, "请上级批转或转发的建议性意见属工作过程中的信息，不予公开（过程性信息）"
		}
		return Proactive, "指导性意见布置工作、提出原则和要求，一般主动公开"
	case "报告":
		if titleHasAny(o, "政府信息公开工作年度报告", "政府工作报告", "预算", "决算") {
			return Proactive, "依法应当向社会公布的报告（政府信息公开年度报告、政府工作报告、预决算），属主动公开"
		}
		return Withheld, "报告是下情上达的内部工作信息，不予公开；涉及部分公民切身利益的可改为依申请公开"
	case "请示":
		return Withheld, "请示是请求上级指示、批准的内部工作信息，不予公开"
	case "批复":
		return Withheld, "批复一般不予公开；涉及公民、法人或其他组织切身利益或需社会广泛知晓的，改为依申请公开"
	case "议案":
		return Withheld, "议案在权力机关审议批准前属建议性公文，不予公开；批准后列入主动公开"
	case "函":
		if titleHasAny(o, "建议", "提案") && titleHasAny(o, "答复", "复函", "办理") {
			return Proactive, "人大代表建议、政协委员提案的办理复文涉及公共利益的，原则上主动公开"
		}
		return OnRequest, "函用于商洽工作、询问和答复问题，属内部工作信息，依申请公开或不予公开"
	case "纪要":
		if titleHasAny(o, "常务会议", "办公会议", "例会") {
			return Proactive, "例行会议（如常务会议）的纪要可主动公开或依申请公开，请按内容确定"
		}
		return Withheld, "会议纪要大多属内部研究、讨论过程中的信息，不予公开（过程性信息）"
	}
	return Proactive, "按“公开为常态、不公开为例外”暂定主动公开，请核实"
}

// suggestForNotice tells the six kinds of 通知 of seed 003 §四(五) apart by
// their title: o is the title outside 《》, title the whole title.
func suggestForNotice(o, title string) (Attribute, string) {
	switch {
	case titleHasAny(o, "任免", "任职", "免职", "任命", "免去", "聘任", "职务"):
		return Proactive, "任免通知公布人事任免事项，属主动公开"
	case titleHasAny(o, "听证", "征求意见", "新闻发布"):
		return Proactive, "需要社会公众广泛知晓或参与的事项，属主动公开"
	case strings.Contains(o, "召开") || strings.HasSuffix(trimTitleTail(o), "会议的通知") ||
		(strings.Contains(o, "会议") && titleHasAny(o, "参加", "出席", "举办")):
		return Withheld, "会议通知属内部工作信息，一般不予公开（内部事务信息）"
	case titleHasAny(o, "转发", "批转"):
		if titleHasAny(title, "条例", "规章", "办法》", "规定》", "细则》") {
			return Proactive, "转发法规、规章的通知，属主动公开"
		}
		return OnRequest, "批转、转发性通知带有工作部署性质，一般依申请公开"
	case titleHasAny(o, "印发", "发布", "公布", "颁布"):
		return Proactive, "发布、印发规范性文件、制度、计划等的通知，属主动公开"
	case titleHasAny(o, "成立", "设立", "调整", "撤销", "撤消", "启用", "废止", "更名", "变更"):
		return Proactive, "知照性通知（机构成立调整、印章启用废止等）需要周知，一般主动公开"
	}
	return OnRequest, "指示性通知（传达上级决定、部署具体工作）一般依申请公开；需社会广泛知晓的可改为主动公开"
}
