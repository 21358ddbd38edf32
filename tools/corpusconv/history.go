package main

import (
	"regexp"
	"strings"
)

// Action is what a history event did to a law.
type Action int

// The actions a law's history records, from the words of the event.
const (
	ActOther     Action = iota
	ActEnact            // 通过, 制定: the organ made it
	ActPublish          // 公布, 发布, 公告, or a 令 without another verb
	ActAmend            // 修订, 修正, 修改
	ActApprove          // 批准: a higher congress approved a city's regulation
	ActEffective        // 施行 on its own
	ActSign             // a bare organ name: the signature of a letter-form document
)

// A Milestone is what one event of a law's history says: when, who, how,
// and under which number.
type Milestone struct {
	Day       Day
	Organ     string // normalised issuing organ(s), 、-separated; "" if none named
	DocNo     string // 令号, 公告号 or 发文字号 named by the event
	Action    Action
	Publishes bool // the event made the text public (公布, 发布, 公告, 令)
	Effective bool // the event is (or includes) 施行
	Text      string
}

// HistoryEvent is one {date, event} pair of the LawRefBook data.
type HistoryEvent struct {
	Date  *string `json:"date"`
	Event string  `json:"event"`
}

var (
	reNumber = `[0-9０-９〇零一二三四五六七八九十百]+`
	// 中华人民共和国国务院令第306号, 海关总署第12号令.
	reOrder      = regexp.MustCompile(`([\p{Han}、]+?)令第(` + reNumber + `)号`)
	reOrderAfter = regexp.MustCompile(`([\p{Han}、]+?)第(` + reNumber + `)号令`)
	// 第十届全国人民代表大会常务委员会第三次会议.
	reNationalCongress = regexp.MustCompile(`第[〇零一二三四五六七八九十]+届全国人民代表大会(常务委员会)?`)
	// 上海市第十三届人民代表大会常务委员会第三十次会议.
	reLocalCongress = regexp.MustCompile(`([\p{Han}]+?)第?[〇零一二三四五六七八九十]+届人民代表大会(常务委员会)?`)
	// 第十二届 in 杭州市第十二届人民代表大会常务委员会: the organ is the same
	// from one term to the next.
	reSession = regexp.MustCompile(`第?[〇零一二三四五六七八九十]+届`)
	// 杭州市人民代表大会常务委员会公告第12号, 最高人民法院公告.
	reAnnouncement = regexp.MustCompile(`([\p{Han}、]+?)公告(第` + reNumber + `号)?`)
	// 9月24日 left over when the source split an event in two.
	reDayPartial   = regexp.MustCompile(`^\d{1,2}月\d{1,2}日?`)
	reStateCouncil = regexp.MustCompile(`^国务院(第` + reNumber + `次常务会议|批准|发布|公布)`)
	// 人力资源和社会保障部第6次部务会议, 国家市场监督管理总局第9次局务会议.
	reOrganMeeting = regexp.MustCompile(`^([\p{Han}、]+?)第` + reNumber + `次[\p{Han}]{0,4}会议`)
	// 劳社部发[2008]3号, 人薪发［1995］32号, 法释〔2021〕11号.
	reDocNo = regexp.MustCompile(`([\p{Han}]{1,16})\s*[〔\[［(（【]\s*(\d{4})\s*[〕\]］)）】]\s*第?\s*0*(\d+)\s*号`)
	// An organ named alone, or followed by the verb that issued the text.
	reOrganVerb = regexp.MustCompile(`^([\p{Han}、]{2,60}?)(?:联合)?(发布|公布|印发|批准)?$`)
	reOrganName = regexp.MustCompile(`(部|委|委员会|局|署|院|办公厅|银行|政府|军委|人民代表大会|法院|检察院|办公室|总会)$`)
)

// ParseEvent reads one history event. The organ and number live inside the
// event text; the date is the event's own, else the first date in its text.
func ParseEvent(e HistoryEvent) Milestone {
	text := strings.TrimSpace(e.Event)
	m := Milestone{Text: text}
	if e.Date != nil {
		m.Day, _ = ParseChineseDay(*e.Date)
	}
	if m.Day.IsZero() {
		m.Day, _ = ParseChineseDay(text)
	}
	rest := cleanEvent(text)
	m.Action = eventAction(rest)
	m.Effective = strings.Contains(rest, "施行")
	m.Publishes = m.Action == ActPublish || strings.Contains(rest, "公布") || strings.Contains(rest, "发布") ||
		strings.Contains(rest, "公告") || reOrder.MatchString(rest) || reOrderAfter.MatchString(rest)

	switch {
	case reOrder.MatchString(rest) || reOrderAfter.MatchString(rest):
		m.Organ, m.DocNo = orderIssuers(rest)
	case reNationalCongress.MatchString(rest):
		sub := reNationalCongress.FindStringSubmatch(rest)
		m.Organ = "全国人民代表大会" + sub[1]
	case reLocalCongress.MatchString(rest):
		sub := reLocalCongress.FindStringSubmatch(rest)
		if place := placeName(sub[1]); place != "" {
			m.Organ = place + "人民代表大会" + sub[2]
		}
	case strings.Contains(rest, "最高人民法院审判委员会") && strings.Contains(rest, "检察委员会"):
		m.Organ = "最高人民法院、最高人民检察院"
	case strings.Contains(rest, "最高人民法院审判委员会"):
		m.Organ = "最高人民法院"
	case strings.Contains(rest, "最高人民检察院") && strings.Contains(rest, "检察委员会"):
		m.Organ = "最高人民检察院"
	case reAnnouncement.MatchString(rest):
		if organ, no := announcement(rest); organ != "" {
			m.Organ, m.DocNo = organ, no
		}
	case reStateCouncil.MatchString(rest):
		m.Organ = "国务院"
	case reOrganMeeting.MatchString(rest) && reOrganName.MatchString(NormalizeOrgan(reOrganMeeting.FindStringSubmatch(rest)[1])):
		m.Organ = NormalizeOrgan(reOrganMeeting.FindStringSubmatch(rest)[1])
	case reOrganVerb.MatchString(rest):
		sub := reOrganVerb.FindStringSubmatch(rest)
		if organ := NormalizeOrgan(sub[1]); reOrganName.MatchString(organ) {
			m.Organ = organ
			if sub[2] == "" {
				m.Action = ActSign
			}
		}
	}
	// The announcement of a congress regulation carries its own number
	// (杭州市人民代表大会常务委员会公告第30号) even when the event names
	// the congress session first.
	if m.DocNo == "" {
		_, m.DocNo = announcement(rest)
	}
	if m.DocNo == "" {
		m.DocNo = FindDocNo(rest)
	}
	return m
}

// cleanEvent drops dates, brackets and connecting words around an event so
// that the organ is the first thing in it.
func cleanEvent(s string) string {
	s = reDayArabic.ReplaceAllString(s, "")
	s = reDayHan.ReplaceAllString(s, "")
	s = reDayISO.ReplaceAllString(s, "")
	s = reDayPartial.ReplaceAllString(s, "")
	s = strings.Trim(s, " \u3000（）()、，,")
	s = strings.TrimSuffix(s, "根据")
	s = strings.ReplaceAll(s, "中中华人民共和国", "中华人民共和国")
	for _, p := range []string{"根据", "并经", "经", "由"} {
		s = strings.TrimPrefix(s, p)
	}
	return strings.TrimSpace(s)
}

func eventAction(s string) Action {
	switch {
	case strings.Contains(s, "修正") || strings.Contains(s, "修订") || strings.Contains(s, "修改"):
		return ActAmend
	case strings.Contains(s, "批准") && !strings.Contains(s, "通过"):
		return ActApprove
	case strings.Contains(s, "公布") || strings.Contains(s, "发布") || strings.Contains(s, "公告") ||
		reOrder.MatchString(s) || reOrderAfter.MatchString(s):
		return ActPublish
	case strings.Contains(s, "通过") || strings.Contains(s, "制定"):
		return ActEnact
	case strings.Contains(s, "施行"):
		return ActEffective
	}
	return ActOther
}

// announcement reads who announced a text and the announcement's number:
// 浙江省…会议批准杭州市第十二届人民代表大会常务委员会公告第14号 is announced by
// 杭州市人民代表大会常务委员会, numbered as written after the approval.
func announcement(s string) (organ, docNo string) {
	sub := reAnnouncement.FindStringSubmatch(s)
	if sub == nil {
		return "", ""
	}
	issuer := sub[1]
	for _, w := range []string{"批准", "通过", "会议", "决定"} {
		if i := strings.LastIndex(issuer, w); i >= 0 {
			issuer = issuer[i+len(w):]
		}
	}
	organ = NormalizeOrgan(reSession.ReplaceAllString(issuer, ""))
	if !reOrganName.MatchString(organ) {
		return "", ""
	}
	if sub[2] != "" {
		docNo = NormalizeOrgan(issuer) + "公告" + sub[2]
	}
	return organ, docNo
}

// orderIssuers reads the issuers and number of a 令: 中华人民共和国国务院令第306号
// is issued by 国务院 and numbered 国务院令第306号. A 主席令 publishes a law
// made by a congress, so it names no organ.
func orderIssuers(s string) (organ, docNo string) {
	type order struct{ issuer, number string }
	var orders []order
	for _, re := range []*regexp.Regexp{reOrder, reOrderAfter} {
		for _, sub := range re.FindAllStringSubmatch(s, -1) {
			orders = append(orders, order{NormalizeOrgan(sub[1]), sub[2]})
		}
		if len(orders) > 0 {
			break
		}
	}
	var organs []string
	for _, o := range orders {
		if o.issuer == "" {
			continue
		}
		if docNo == "" {
			docNo = o.issuer + "令第" + o.number + "号"
		}
		if o.issuer != "主席" {
			organs = append(organs, o.issuer)
		}
	}
	return strings.Join(organs, "、"), docNo
}

// NormalizeOrgan tidies an organ as the history writes it: 中华人民共和国
// is dropped from each issuer (国务院, not 中华人民共和国国务院), abbreviations
// are spelled out, and joint issuers are joined with 、.
func NormalizeOrgan(s string) string {
	s = strings.Trim(s, " \u3000、，,")
	for _, p := range []string{"根据", "并经", "经", "由", "以"} {
		s = strings.TrimPrefix(s, p)
	}
	var parts []string
	for _, p := range strings.Split(s, "、") {
		p = strings.TrimSpace(p)
		p = strings.TrimPrefix(p, "中华人民共和国")
		switch p {
		case "":
			continue
		case "中央军委":
			p = "中央军事委员会"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "、")
}

// placeName keeps the place at the end of the text before 第N届人民代表大会:
// 上海市, 景宁畲族自治县, 汕头市 (the words before it belong to the sentence).
// A county's own congress writes just 县第五届人民代表大会: the place is
// then "县", for the caller to qualify from the title.
func placeName(s string) string {
	s = NormalizeOrgan(s)
	for _, suffix := range []string{"自治州", "自治县", "省", "市", "州", "县", "区"} {
		if strings.HasSuffix(s, suffix) {
			return s
		}
	}
	return ""
}

// FindDocNo returns the first 发文字号 in s, normalised to 机关代字〔年份〕序号号
// (GB/T 9704-2012 §7.2.5: 六角括号, no 第, no leading zeros).
func FindDocNo(s string) string {
	sub := reDocNo.FindStringSubmatch(s)
	if sub == nil {
		return ""
	}
	code := sub[1]
	// 最高人民法院以法发〔1993〕15号: the 代字 follows 以.
	if i := strings.LastIndex(code, "以"); i >= 0 {
		code = code[i+len("以"):]
	}
	if code == "" {
		return ""
	}
	return code + "〔" + sub[2] + "〕" + sub[3] + "号"
}
