package catalogue

import (
	"context"
	"fmt"
	"strings"
)

// The annual report on government information disclosure (年度报告), in the
// layout of the 2021 template (国办公开办函〔2021〕30号).

// Normative kinds of table 二 that the catalogue can count itself.
const (
	NormRegulation = "规章"
	NormNormative  = "行政规范性文件"
)

// Table3Columns are the applicant columns of table 三.
var Table3Columns = append(append([]string{ApplicantPerson}, OrgKinds...), "总计")

// Table3 counts applications: new this year, carried over from last year,
// the outcomes of those answered this year, and those carried forward.
type Table3 struct {
	Columns        []string    `json:"columns"`
	New            []int       `json:"new"`
	Carried        []int       `json:"carried_over"`
	Outcomes       []Table3Row `json:"outcomes"`
	Total          []int       `json:"total"` // 办理结果总计
	CarriedForward []int       `json:"carried_forward"`
}

// Table3Row is one outcome row.
type Table3Row struct {
	Code   string `json:"code"`
	Group  string `json:"group"`
	Label  string `json:"label"`
	Counts []int  `json:"counts"`
}

// column returns the table 三 column of an applicant.
func column(a *Applicant) int {
	if a.Type == ApplicantPerson {
		return 0
	}
	for i, k := range OrgKinds {
		if k == a.OrgKind {
			return 1 + i
		}
	}
	return len(OrgKinds) // 其他
}

// ComputeTable3 counts the applications for year. An application is new in
// the year it was received, carried over into a year it was open at the
// start of, counted by outcome in the year it was answered, and carried
// forward from a year it was still open at the end of.
func ComputeTable3(year int, apps []*Application) Table3 {
	n := len(Table3Columns)
	t := Table3{Columns: Table3Columns, New: make([]int, n), Carried: make([]int, n), Total: make([]int, n), CarriedForward: make([]int, n)}
	rows := map[string]*Table3Row{}
	for _, o := range Outcomes {
		t.Outcomes = append(t.Outcomes, Table3Row{Code: o.Code, Group: o.Group, Label: o.Label, Counts: make([]int, n)})
	}
	for i := range t.Outcomes {
		rows[t.Outcomes[i].Code] = &t.Outcomes[i]
	}
	add := func(v []int, col int) { v[col]++; v[n-1]++ }
	for _, a := range apps {
		col := column(&a.Applicant)
		received := a.ReceivedAt.Year
		answered := 0
		if a.Answer != nil {
			answered = a.Answer.At.Year
		}
		if received > year {
			continue
		}
		if received == year {
			add(t.New, col)
		}
		if received < year && (answered == 0 || answered >= year) {
			add(t.Carried, col)
		}
		if answered == year {
			if r := rows[a.Answer.Outcome]; r != nil {
				add(r.Counts, col)
			}
			add(t.Total, col)
		}
		if answered == 0 || answered > year {
			add(t.CarriedForward, col)
		}
	}
	return t
}

// Consistent checks table 三's identity for every column: 新收 + 上年结转 =
// 办理结果总计 + 结转下年度. It returns the columns where it fails.
func (t Table3) Consistent() []string {
	var bad []string
	for i, c := range t.Columns {
		if t.New[i]+t.Carried[i] != t.Total[i]+t.CarriedForward[i] {
			bad = append(bad, fmt.Sprintf("%s：%d + %d ≠ %d + %d", c, t.New[i], t.Carried[i], t.Total[i], t.CarriedForward[i]))
		}
	}
	return bad
}

// Table2Docs counts 规章 and 行政规范性文件 from the catalogue.
type Table2Docs struct {
	Kind      string `json:"kind"`
	Issued    int    `json:"issued"`    // 本年制发
	Abolished int    `json:"abolished"` // 本年废止
	InForce   int    `json:"in_force"`  // 现行有效 at the end of the year
}

// ComputeTable2Docs counts, for year, the 规章 and 行政规范性文件 the
// catalogue holds: issued (formed) in the year, abolished in the year (a
// version marking it 废止 or 失效 published in the year), and in force at
// the end of the year.
func ComputeTable2Docs(year int, entries []*Entry) []Table2Docs {
	out := []Table2Docs{{Kind: NormRegulation}, {Kind: NormNormative}}
	for _, e := range entries {
		if len(e.Versions) == 0 || e.Attribute != Proactive {
			continue
		}
		first := e.Versions[0].Content
		var row *Table2Docs
		for i := range out {
			if out[i].Kind == first.Normative || out[i].Kind == e.Current().Content.Normative {
				row = &out[i]
			}
		}
		if row == nil {
			continue
		}
		if first.FormedAt.Year == year {
			row.Issued++
		}
		var asOf *Version // the version in force at the end of the year
		abolishedThisYear := false
		for i := range e.Versions {
			v := &e.Versions[i]
			if v.PublishedAt.In(chinaZone).Year() > year {
				break
			}
			prevValid := asOf == nil || inForce(asOf.Content.Validity)
			asOf = v
			if prevValid && !inForce(v.Content.Validity) && v.PublishedAt.In(chinaZone).Year() == year {
				abolishedThisYear = true
			}
		}
		if abolishedThisYear {
			row.Abolished++
		}
		withdrawn := e.Withdrawn != nil && e.Withdrawn.At.In(chinaZone).Year() <= year
		if asOf != nil && inForce(asOf.Content.Validity) && !withdrawn {
			row.InForce++
		}
	}
	return out
}

func inForce(validity string) bool { return validity == "" || validity == ValidityInForce }

// ReportInputs are the parts of the report staff enter: the rest of table
// 二, table 四 and the prose sections.
type ReportInputs struct {
	Year int `json:"year"`
	// Table 二 figures the catalogue does not know.
	Licensing  int     `json:"licensing"`         // 行政许可 本年处理决定数量
	Penalty    int     `json:"penalty"`           // 行政处罚
	Coercion   int     `json:"coercion"`          // 行政强制
	FeesWan    float64 `json:"fees_wan"`          // 行政事业性收费 金额（万元）
	Review     [5]int  `json:"review"`            // 行政复议: 维持, 纠正, 其他, 尚未审结, 总计
	SuitDirect [5]int  `json:"suit_direct"`       // 行政诉讼 未经复议直接起诉
	SuitAfter  [5]int  `json:"suit_after_review"` // 行政诉讼 复议后起诉
	Overview   string  `json:"overview"`          // 总体情况
	Problems   string  `json:"problems"`          // 存在的主要问题及改进情况
	Other      string  `json:"other"`             // 其他需要报告的事项
}

// Validate checks the entered figures: no negative counts, and each
// table 四 total equal to the sum of its parts.
func (r *ReportInputs) Validate() error {
	if r.Licensing < 0 || r.Penalty < 0 || r.Coercion < 0 || r.FeesWan < 0 {
		return Errorf(EINVALID, "表二的数字不能为负数")
	}
	for _, row := range []struct {
		v     [5]int
		label string
	}{{r.Review, "行政复议"}, {r.SuitDirect, "行政诉讼（未经复议直接起诉）"}, {r.SuitAfter, "行政诉讼（复议后起诉）"}} {
		sum := 0
		for i, n := range row.v[:4] {
			if n < 0 || row.v[4] < 0 {
				return Errorf(EINVALID, "%s的第 %d 项为负数", row.label, i+1)
			}
			sum += n
		}
		if row.v[4] != sum {
			return Errorf(EINVALID, "%s的总计 %d 不等于各项之和 %d", row.label, row.v[4], sum)
		}
	}
	for _, s := range []string{r.Overview, r.Problems, r.Other} {
		if len(s) > 64<<10 {
			return Errorf(EINVALID, "文字部分过长")
		}
	}
	return nil
}

// ReportStore keeps the staff-entered parts of annual reports.
type ReportStore interface {
	ReportInputs(ctx context.Context, year int) (*ReportInputs, error) // ENOTFOUND if none yet
	PutReportInputs(ctx context.Context, r *ReportInputs) error
}

// AnnualReport is the whole report of a year.
type AnnualReport struct {
	Year       int          `json:"year"`
	Agency     string       `json:"agency"`
	Table2Docs []Table2Docs `json:"table2_documents"`
	Inputs     ReportInputs `json:"entered"`
	Table3     Table3       `json:"table3"`
	// Inconsistent lists the columns of table 三 whose identity fails; empty
	// when the table balances.
	Inconsistent []string `json:"inconsistent"`
}

// BuildReport assembles the report of year from the catalogue's entries,
// the applications and the staff-entered parts.
func BuildReport(year int, agency string, entries []*Entry, apps []*Application, in *ReportInputs) *AnnualReport {
	r := &AnnualReport{Year: year, Agency: agency, Table2Docs: ComputeTable2Docs(year, entries), Table3: ComputeTable3(year, apps)}
	if in != nil {
		r.Inputs = *in
	}
	r.Inputs.Year = year
	r.Inconsistent = r.Table3.Consistent()
	if r.Inconsistent == nil {
		r.Inconsistent = []string{}
	}
	return r
}

// OutcomeGroups lists the outcome groups of table 三 in order, for pages.
func OutcomeGroups() []string {
	var out []string
	for _, o := range Outcomes {
		if len(out) == 0 || out[len(out)-1] != o.Group {
			out = append(out, o.Group)
		}
	}
	return out
}

// OutcomeText is how the status page words an outcome for the applicant.
func OutcomeText(code string) string {
	o, ok := LookupOutcome(code)
	if !ok {
		return code
	}
	if strings.HasPrefix(o.Label, o.Group) {
		// 予以公开, and 部分公开 whose row label in the report carries a
		// counting rule (只计这一情形) that is no answer to an applicant.
		return o.Group
	}
	return o.Group + "（" + o.Label + "）"
}
