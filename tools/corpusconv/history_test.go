package main

import "testing"

func ptr(s string) *string { return &s }

// The events are real ones from LawRefBook's history lists.
func TestParseEvent(t *testing.T) {
	tests := map[string]struct {
		event  HistoryEvent
		day    string
		organ  string
		docNo  string
		action Action
	}{
		"StateCouncilOrder": {
			HistoryEvent{ptr("2001年6月15日"), "中华人民共和国国务院令第306号公布"},
			"2001-06-15", "国务院", "国务院令第306号", ActPublish},
		"RevisionByOrder": {
			HistoryEvent{ptr("2019年4月3日"), "中华人民共和国国务院令第711号修订"},
			"2019-04-03", "国务院", "国务院令第711号", ActAmend},
		"JointOrderNumberBeforeLing": {
			HistoryEvent{ptr("1988年9月23日"), "中华人民共和国国务院、中华人民共和国中央军事委员会第14号令发布"},
			"1988-09-23", "国务院、中央军事委员会", "国务院、中央军事委员会令第14号", ActPublish},
		"JointOrder": {
			HistoryEvent{ptr("1988年12月17日"), "中华人民共和国国务院、中央军事委员会令第22号发布"},
			"1988-12-17", "国务院、中央军事委员会", "国务院、中央军事委员会令第22号", ActPublish},
		"MinistryOrder": {
			HistoryEvent{ptr("2021年12月24日"), "国家市场监督管理总局令第49号公布"},
			"2021-12-24", "国家市场监督管理总局", "国家市场监督管理总局令第49号", ActPublish},
		"PresidentialOrderNamesNoOrgan": {
			HistoryEvent{ptr("1993年3月31日"), "中中华人民共和国主席令第三号公布"},
			"1993-03-31", "", "主席令第三号", ActPublish},
		"NPCStandingCommittee": {
			HistoryEvent{ptr("2021年8月20日"), "第十三届全国人民代表大会常务委员会第三十次会议通过"},
			"2021-08-20", "全国人民代表大会常务委员会", "", ActEnact},
		"NPC": {
			HistoryEvent{ptr("1979年7月1日"), "第五届全国人民代表大会第二次会议通过"},
			"1979-07-01", "全国人民代表大会", "", ActEnact},
		"NPCAmendingDecision": {
			HistoryEvent{ptr("2017年9月1日"), "第十二届全国人民代表大会常务委员会第二十九次会议《关于修改<中华人民共和国法官法>等八部法律的决定》第二次修正"},
			"2017-09-01", "全国人民代表大会常务委员会", "", ActAmend},
		"ProvincialCongress": {
			HistoryEvent{ptr("2011年11月17日"), "上海市第十三届人民代表大会常务委员会第三十次会议通过"},
			"2011-11-17", "上海市人民代表大会常务委员会", "", ActEnact},
		"ProvinceApprovesCityRegulation": {
			HistoryEvent{ptr("2001年6月29日"), "浙江省第九届人民代表大会常务委员会第二十七次会议批准"},
			"2001-06-29", "浙江省人民代表大会常务委员会", "", ActApprove},
		"CountyCongressWithoutPlace": {
			HistoryEvent{ptr("2001年4月12日"), "县第五届人民代表大会第五次会议通过"},
			"2001-04-12", "县人民代表大会", "", ActEnact},
		"CongressAnnouncement": {
			HistoryEvent{ptr("2016年4月15日"), "丽水市第三届人民代表大会常务委员会公告第1号公布"},
			"2016-04-15", "丽水市人民代表大会常务委员会", "丽水市第三届人民代表大会常务委员会公告第1号", ActPublish},
		"ApprovalThenAnnouncement": {
			HistoryEvent{ptr("2013年12月9日"), "浙江省第十二届人民代表大会常务委员会第六次会议批准杭州市第十二届人民代表大会常务委员会公告第14号"},
			"2013-12-09", "浙江省人民代表大会常务委员会", "杭州市第十二届人民代表大会常务委员会公告第14号", ActApprove},
		"TwoCourts": {
			HistoryEvent{ptr("2013年9月30日"), "最高人民法院审判委员会第1592次会议、2013年10月22日最高人民检察院第十二届检察委员会第12次会议通过"},
			"2013-09-30", "最高人民法院、最高人民检察院", "", ActEnact},
		"Procuratorate": {
			HistoryEvent{ptr("2019年12月2日"), "最高人民检察院第十三届检察委员会第二十八次会议通过"},
			"2019-12-02", "最高人民检察院", "", ActEnact},
		"CourtAnnouncement": {
			HistoryEvent{ptr("1997年12月31日"), "最高人民法院公告公布"},
			"1997-12-31", "最高人民法院", "", ActPublish},
		"MinistryMeeting": {
			HistoryEvent{ptr("2008年7月17日"), "经人力资源和社会保障部第6次部务会议通过"},
			"2008-07-17", "人力资源和社会保障部", "", ActEnact},
		"StateCouncilMeeting": {
			HistoryEvent{ptr("2014年7月23日"), "国务院第57次常务会议通过"},
			"2014-07-23", "国务院", "", ActEnact},
		"OrganPublishes": {
			HistoryEvent{ptr("1999年6月7日"), "国家档案局发布"},
			"1999-06-07", "国家档案局", "", ActPublish},
		"BareOrganSigns": {
			HistoryEvent{nil, "文化部"},
			"", "文化部", "", ActSign},
		"DocumentNumberOnly": {
			HistoryEvent{nil, "劳社部发[2008]3号"},
			"", "", "劳社部发〔2008〕3号", ActOther},
		"InForce": {
			HistoryEvent{ptr("2019年5月15日"), "施行"},
			"2019-05-15", "", "", ActEffective},
		"DateInsideEvent": {
			HistoryEvent{nil, "(2014年11月1日第十二届全国人民代表大会常务委员会第十一次会议通过)"},
			"2014-11-01", "全国人民代表大会常务委员会", "", ActEnact},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			m := ParseEvent(tt.event)
			if m.Day.String() != tt.day || m.Organ != tt.organ || m.DocNo != tt.docNo || m.Action != tt.action {
				t.Errorf("ParseEvent(%q) = day %q organ %q docNo %q action %d; want %q %q %q %d",
					tt.event.Event, m.Day, m.Organ, m.DocNo, m.Action, tt.day, tt.organ, tt.docNo, tt.action)
			}
		})
	}
}

func TestFindDocNo(t *testing.T) {
	tests := map[string]string{
		"法释〔2021〕11号":        "法释〔2021〕11号",
		"人薪发［1995］32号":       "人薪发〔1995〕32号",
		"劳部发〔1994〕489号":      "劳部发〔1994〕489号",
		"沪府办发(2016)011号":     "沪府办发〔2016〕11号",
		"最高人民法院以法发〔1993〕15号": "法发〔1993〕15号",
		"第十二届全国人民代表大会":       "",
	}
	for in, want := range tests {
		if got := FindDocNo(in); got != want {
			t.Errorf("FindDocNo(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalizeOrgan(t *testing.T) {
	tests := map[string]string{
		"中华人民共和国国务院":                "国务院",
		"中华人民共和国国务院、中华人民共和国中央军事委员会": "国务院、中央军事委员会",
		"中央军委":        "中央军事委员会",
		"经人力资源和社会保障部": "人力资源和社会保障部",
	}
	for in, want := range tests {
		if got := NormalizeOrgan(in); got != want {
			t.Errorf("NormalizeOrgan(%q) = %q, want %q", in, got, want)
		}
	}
}
