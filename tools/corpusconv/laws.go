package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// Law is one line of LawRefBook's laws.jsonl (corpus README).
type Law struct {
	ID          string         `json:"id"`
	Category    string         `json:"category"`
	Region      *string        `json:"region"`
	Title       string         `json:"title"`
	Subtitle    *string        `json:"subtitle"`
	VersionDate *string        `json:"version_date"`
	History     []HistoryEvent `json:"history"`
	Body        string         `json:"body"`
}

// LawRefBookURL is where the LawRefBook snapshot of the corpus lives.
const LawRefBookURL = "https://github.com/LawRefBook/Laws/blob/2f4c5c2/"

// Where a converted law's organ and date came from, for the summary on stderr.
const (
	FromHistory     = "history"      // named by a history event
	FromTitle       = "title"        // the place or organ the title starts with
	FromBody        = "body"         // the ministry the body names most
	FromCategory    = "category"     // the category's usual maker
	FromVersionDate = "version_date" // the source's version date
	FromIDDate      = "id"           // the date in the source file name
	FromEffective   = "effective"    // 本法自…起施行 in the body
	FromBodyDate    = "body_date"    // the latest date the body mentions
	FromBodyMonth   = "body_month"   // the first day of the latest month the body mentions
	FromBodyYear    = "body_year"    // 1 January of the latest year the body mentions
	FromSnapshot    = "snapshot"     // undated: the latest version date in the corpus
)

// ConvertedLaw is a law in the import format with notes on how it was derived.
type ConvertedLaw struct {
	Record
	OrganFrom, DateFrom string
	EmptyBody           bool
}

// ReadLaws reads laws.jsonl(.gz) in file order.
func ReadLaws(name string) ([]Law, error) {
	var laws []Law
	err := readJSONLines(name, func(_ int, data []byte) error {
		var l Law
		if err := json.Unmarshal(data, &l); err != nil {
			return err
		}
		laws = append(laws, l)
		return nil
	})
	return laws, err
}

// ConvertLaws converts every law, then marks older versions of the same
// title from the same organ as 已修订. The output has one record per input
// line, in input order.
func ConvertLaws(laws []Law) ([]ConvertedLaw, error) {
	out := make([]ConvertedLaw, len(laws))
	latest := map[string]string{} // organ + title → latest formed_at
	snapshot := SnapshotDay(laws)
	for i, l := range laws {
		c, err := ConvertLaw(l, snapshot)
		if err != nil {
			return nil, fmt.Errorf("convert %s: %w", l.ID, err)
		}
		out[i] = c
		key := c.Organ + "\x00" + c.Title
		if c.FormedAt > latest[key] {
			latest[key] = c.FormedAt
		}
	}
	for i := range out {
		if out[i].FormedAt < latest[out[i].Organ+"\x00"+out[i].Title] {
			out[i].Validity = ValidityRevised
		}
	}
	return out, nil
}

// SnapshotDay is the latest version date in the corpus: the snapshot was
// taken on or after it, so every record without a date of its own existed
// by then.
func SnapshotDay(laws []Law) Day {
	var latest Day
	for _, l := range laws {
		if l.VersionDate == nil {
			continue
		}
		if d, ok := ParseISODay(*l.VersionDate); ok && latest.Before(d) {
			latest = d
		}
	}
	return latest
}

// ConvertLaw maps one LawRefBook record to the import format: organ, 令号
// and publication date from the history events, formed_at from the version
// date, category as LawRefBook files it, body as plain text. A record with
// no date anywhere is formed_at undated (see SnapshotDay).
func ConvertLaw(l Law, undated Day) (ConvertedLaw, error) {
	c := ConvertedLaw{}
	title := CleanTitle(l.Title)
	if l.Subtitle != nil && strings.TrimSpace(*l.Subtitle) != "" {
		// 民法典 comes as one record per 编, all under the same title.
		title += "（" + CleanTitle(*l.Subtitle) + "）"
	}
	ms := make([]Milestone, len(l.History))
	for i, e := range l.History {
		ms[i] = ParseEvent(e)
	}
	body := PlainText(l.Body)

	formed, dateFrom := lawFormedAt(l, ms, body)
	if formed.IsZero() {
		formed, dateFrom = undated, FromSnapshot
	}
	organ, organFrom := lawOrgan(l, title, ms, body)
	c.Record = Record{
		Title:     title,
		Organ:     organ,
		FormedAt:  formed.String(),
		DocNo:     lawDocNo(ms, formed, body),
		Category:  l.Category,
		Topic:     Topic(title),
		DocType:   LawDocType(l.Category, title),
		Validity:  ValidityInForce,
		SourceURL: LawRefBookURL + escapePath(l.ID),
	}
	c.OrganFrom, c.DateFrom = organFrom, dateFrom
	c.PublishedAt = lawPublishedAt(ms, formed).String()
	c.EffectiveAt = lawEffectiveAt(ms, formed, body).String()
	if strings.TrimSpace(body) == "" {
		// Four records come without a body; their history is all there is.
		c.EmptyBody = true
		c.Body = historyBody(title, ms)
		c.Summary = Truncate(title+"的制定和修改沿革（来源数据未收录正文）。", MaxSummaryRunes)
	} else {
		c.Body = body
		c.Summary = Summary(body)
	}
	if c.Summary == "" {
		c.Summary = Truncate(title, MaxSummaryRunes)
	}
	return c, c.Check()
}

func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// historyBody writes the body of a record that has none: its title and the
// history events, one a paragraph.
func historyBody(title string, ms []Milestone) string {
	lines := []string{title, "（来源数据未收录正文，以下为制定和修改沿革。）"}
	for _, m := range ms {
		text := strings.TrimRight(m.Text, " 　根据）)")
		if !m.Day.IsZero() && !strings.Contains(text, "年") {
			text = fmt.Sprintf("%d年%d月%d日 %s", m.Day.Year, m.Day.Month, m.Day.Dom, text)
		}
		lines = append(lines, text)
	}
	return strings.Join(lines, "\n\n")
}

var (
	reIDDate = regexp.MustCompile(`\((\d{4}-\d{2}-\d{2})\)\.md$`)
	// 本条例自2002年7月1日起施行。本规定自二○○四年十月一日起施行。
	reInForceClause = regexp.MustCompile(`自([^，。；]{6,16}?日)起(?:施行|实施)`)
	reYearMonth     = regexp.MustCompile(`((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月`)
	reYear          = regexp.MustCompile(`((?:19|20)\d{2})\s*年`)
)

// lawFormedAt is the date the version was formed: the version date; else
// the latest dated history event; else the date in the file name; else the
// date the body says it takes effect; else the latest date the body
// mentions (a case is published after its last hearing).
func lawFormedAt(l Law, ms []Milestone, body string) (Day, string) {
	if l.VersionDate != nil {
		if d, ok := ParseISODay(*l.VersionDate); ok {
			return d, FromVersionDate
		}
	}
	// The latest event that made or changed the text; 施行 only when the
	// history has nothing else (民法典: passed 2020-05-28, in force 2021).
	var latest, latestInForce Day
	for _, m := range ms {
		switch {
		case m.Action == ActEffective && latestInForce.Before(m.Day):
			latestInForce = m.Day
		case m.Action != ActEffective && latest.Before(m.Day):
			latest = m.Day
		}
	}
	if latest.IsZero() {
		latest = latestInForce
	}
	if !latest.IsZero() {
		return latest, FromHistory
	}
	if m := reIDDate.FindStringSubmatch(l.ID); m != nil {
		if d, ok := ParseISODay(m[1]); ok {
			return d, FromIDDate
		}
	}
	if d := inForceDay(body); !d.IsZero() {
		return d, FromEffective
	}
	for _, d := range FindDays(body) {
		if latest.Before(d) {
			latest = d
		}
	}
	if !latest.IsZero() {
		return latest, FromBodyDate
	}
	// Cases tell their story by month (2020年6月，张某入职…) and were
	// published after the last step they tell.
	for _, m := range reYearMonth.FindAllStringSubmatch(body, -1) {
		if d, ok := dayOf(arabic(m[1]), arabic(m[2]), 1); ok && latest.Before(d) {
			latest = d
		}
	}
	if !latest.IsZero() {
		return latest, FromBodyMonth
	}
	for _, m := range reYear.FindAllStringSubmatch(body, -1) {
		if d, ok := dayOf(arabic(m[1]), 1, 1); ok && latest.Before(d) {
			latest = d
		}
	}
	if !latest.IsZero() {
		return latest, FromBodyYear
	}
	return Day{}, ""
}

// inForceDay is the date in the last 自…起施行 clause of a body.
func inForceDay(body string) Day {
	all := reInForceClause.FindAllStringSubmatch(body, -1)
	for i := len(all) - 1; i >= 0; i-- {
		if d, ok := ParseChineseDay(all[i][1]); ok {
			return d
		}
	}
	return Day{}
}

// npcCategories are LawRefBook's branches of law: statutes of the National
// People's Congress and its standing committee.
var npcCategories = map[string]bool{
	"宪法": true, "宪法相关法": true, "民法典": true, "民法商法": true, "行政法": true,
	"经济法": true, "社会法": true, "刑法": true, "诉讼与非诉讼程序法": true,
}

// provinces spells out LawRefBook's regions.
var provinces = map[string]string{
	"山东": "山东省", "河南": "河南省", "浙江": "浙江省", "广东": "广东省",
	"上海": "上海市", "北京": "北京市", "重庆": "重庆市",
}

var (
	reTitlePlace       = regexp.MustCompile(`^(\p{Han}{2,8}?(?:自治州|自治县|省|市))`)
	reTitleSpecialZone = regexp.MustCompile(`^(\p{Han}{2,3})经济特区`)
	reTitleCourts      = regexp.MustCompile(`^(最高人民法院|最高人民检察院)(?:[、\s]+(最高人民法院|最高人民检察院))?`)
	reTitleMinistry    = regexp.MustCompile(`^(\p{Han}{2,12}?(?:部|总局|总署|委员会))(?:关于|、)`)
	reBodyMinistry     = regexp.MustCompile(`(?:国务院)?(?:公安|民政|司法|财政|商务|文化和旅游|文化|卫生|教育|科学技术|工业和信息化|人力资源和社会保障|自然资源|生态环境|住房和城乡建设|交通运输|水利|农业农村|农业|应急管理|外交|国防|审计|劳动和社会保障|劳动|人事|交通|铁道|建设|国土资源|环境保护|国家安全|监察)部`)
)

// lawOrgan finds who made the law. The history is read first: the first
// event in which a named organ enacts or publishes it (通过, 公布, 令), then
// one that amends it, then a congress that approved it (for a city's
// regulation, the city's own congress when the title names the city). Then
// the title (a 地方性法规 starts with its place, a 司法解释 with its court),
// the ministry a 部门规章 names most, and last the category's usual maker.
func lawOrgan(l Law, title string, ms []Milestone, body string) (string, string) {
	for _, acts := range [][]Action{{ActEnact, ActPublish}, {ActAmend}} {
		for i, m := range ms {
			if m.Organ == "" || !hasAction(acts, m.Action) {
				continue
			}
			// 文化部 / 海关总署发布: the organs signed on the lines before
			// the one that published are co-issuers.
			organs := []string{}
			for j := i - 1; j >= 0 && ms[j].Action == ActSign; j-- {
				organs = append([]string{ms[j].Organ}, organs...)
			}
			return qualifyPlace(strings.Join(append(organs, m.Organ), "、"), title), FromHistory
		}
	}
	for _, m := range ms {
		if m.Organ == "" || m.Action != ActApprove {
			continue
		}
		if place := titlePlace(title); place != "" && !strings.HasPrefix(m.Organ, place) {
			return congressOf(place, title), FromTitle
		}
		return m.Organ, FromHistory
	}
	var signed []string
	for _, m := range ms {
		if m.Action == ActSign && m.Organ != "" {
			signed = append(signed, m.Organ)
		}
	}
	if len(signed) > 0 {
		return strings.Join(signed, "、"), FromHistory
	}

	switch l.Category {
	case "地方性法规":
		if place := titlePlace(title); place != "" {
			return congressOf(place, title), FromTitle
		}
		if l.Region != nil && provinces[*l.Region] != "" {
			return provinces[*l.Region] + "人民代表大会常务委员会", FromCategory
		}
	case "司法解释":
		if m := reTitleCourts.FindStringSubmatch(title); m != nil {
			if m[2] != "" && m[2] != m[1] {
				return m[1] + "、" + m[2], FromTitle
			}
			return m[1], FromTitle
		}
		return "最高人民法院", FromCategory
	case "部门规章":
		if m := reTitleMinistry.FindStringSubmatch(title); m != nil {
			return NormalizeOrgan(m[1]), FromTitle
		}
		if organ := mostNamed(ministriesNamed(body)); organ != "" {
			return organ, FromBody
		}
	case "行政法规":
		return "国务院", FromCategory
	case "案例":
		// LawRefBook collects the 指导性案例 and 典型案例 the Supreme
		// People's Court publishes.
		return "最高人民法院", FromCategory
	}
	if npcCategories[l.Category] {
		if strings.HasPrefix(title, "全国人民代表大会关于") {
			return "全国人民代表大会", FromTitle
		}
		return "全国人民代表大会常务委员会", FromCategory
	}
	// Nothing names the maker (LawRefBook's 其他: a forensic standard, a
	// lawyers' guide): say so rather than guess.
	return "未注明发布机构", FromCategory
}

// qualifyPlace completes a congress named without its place (县人民代表大会,
// as a county's congress writes itself) with the place the title starts with.
func qualifyPlace(organ, title string) string {
	for _, bare := range []string{"县", "市", "州", "区", "省"} {
		if strings.HasPrefix(organ, bare+"人民代表大会") {
			if place := titlePlace(title); strings.HasSuffix(place, bare) {
				return place + strings.TrimPrefix(organ, bare)
			}
		}
	}
	return organ
}

// ministriesNamed lists the ministries a body names, in order, leaving out
// 部门 (审计部门 is not a ministry).
func ministriesNamed(body string) []string {
	var names []string
	for _, loc := range reBodyMinistry.FindAllStringIndex(body, -1) {
		if strings.HasPrefix(body[loc[1]:], "门") {
			continue
		}
		names = append(names, strings.TrimPrefix(body[loc[0]:loc[1]], "国务院"))
	}
	return names
}

func hasAction(acts []Action, a Action) bool {
	for _, x := range acts {
		if x == a {
			return true
		}
	}
	return false
}

// titlePlace is the place a local regulation's title starts with: 济南市,
// 景宁畲族自治县, or 汕头市 for 汕头经济特区.
func titlePlace(title string) string {
	if m := reTitleSpecialZone.FindStringSubmatch(title); m != nil {
		return m[1] + "市"
	}
	if m := reTitlePlace.FindStringSubmatch(title); m != nil {
		return m[1]
	}
	return ""
}

// congressOf names the congress of a place that made a regulation: its
// standing committee, unless the title says the congress itself made it
// (上海市人民代表大会关于代表议案的规定).
func congressOf(place, title string) string {
	rest := strings.TrimPrefix(title, place)
	if strings.HasPrefix(rest, "人民代表大会") && !strings.HasPrefix(rest, "人民代表大会常务委员会") {
		return place + "人民代表大会"
	}
	return place + "人民代表大会常务委员会"
}

// mostNamed returns the most frequent string, the first seen on a tie.
func mostNamed(names []string) string {
	count := map[string]int{}
	best := ""
	for _, n := range names {
		count[n]++
		if count[n] > count[best] {
			best = n
		}
	}
	return best
}

// lawDocNo is the number of the 令 or announcement that published this
// version: the latest numbered event no later than two months after the
// version date; else a 发文字号 standing alone at the top of the body
// (司法解释 print 法释〔2023〕3号 under the title).
func lawDocNo(ms []Milestone, formed Day, body string) string {
	limit := formed.AddDays(60)
	no := ""
	for _, m := range ms {
		if m.DocNo != "" && (m.Day.IsZero() || !limit.Before(m.Day)) {
			no = m.DocNo
		}
	}
	if no != "" {
		return no
	}
	for i, p := range Paragraphs(body) {
		if i >= 3 {
			break
		}
		if n := FindDocNo(p); n != "" && len([]rune(p)) <= len([]rune(n))+4 {
			return n
		}
	}
	return ""
}

// lawPublishedAt is the day the version was made public: the first
// publishing event (公布, 发布, 公告, 令) from the version date to two months
// after it. Unknown otherwise: the NPC's laws list only the day they passed.
func lawPublishedAt(ms []Milestone, formed Day) Day {
	limit := formed.AddDays(60)
	var pubs []Day
	for _, m := range ms {
		if m.Publishes && !m.Day.IsZero() && !m.Day.Before(formed) && !limit.Before(m.Day) {
			pubs = append(pubs, m.Day)
		}
	}
	if len(pubs) == 0 {
		return Day{}
	}
	sort.Slice(pubs, func(i, j int) bool { return pubs[i].Before(pubs[j]) })
	return pubs[0]
}

// lawEffectiveAt is the first 施行 date on or after the version date, from
// the history or else from the body's 自…起施行 clause.
func lawEffectiveAt(ms []Milestone, formed Day, body string) Day {
	var best Day
	for _, m := range ms {
		if m.Effective && !m.Day.IsZero() && !m.Day.Before(formed) && (best.IsZero() || m.Day.Before(best)) {
			best = m.Day
		}
	}
	if best.IsZero() {
		if d := inForceDay(body); !d.IsZero() && !d.Before(formed) {
			best = d
		}
	}
	return best
}
