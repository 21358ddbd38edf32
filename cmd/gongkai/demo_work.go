package main

import (
	"context"
	"fmt"

	"gongkai/catalogue"
)

// demoWork is work in progress for the demo: entries at several points of
// the review chain, so that each demo account's 工作台 has something to do
// and the deadline lists are not empty.
var demoWork = []struct {
	title, docType, body string
	kind                 catalogue.Kind
	attribute            catalogue.Attribute
	reason               string
	daysAgo              int // 生成日期, days before today
	steps                []demoStep
}{
	{
		title: "关于开展2026年全市工业企业安全生产大检查的通知", docType: "通知", kind: catalogue.KindDocument,
		attribute: catalogue.Proactive, daysAgo: 2,
		body: "各县（市、区）工业和信息化主管部门：\n为切实做好全市工业企业安全生产工作，决定开展安全生产大检查。检查内容包括安全生产责任制落实、隐患排查治理和应急预案演练情况。",
	},
	{
		title: "综合科第四季度政务公开工作安排", kind: catalogue.KindNonDocument, attribute: catalogue.Proactive, daysAgo: 10,
		body:  "一、按月更新政府信息公开目录。二、做好依申请公开答复。三、编制年度报告。",
		steps: []demoStep{{"drafter", catalogue.ActSubmit, "请审核"}},
	},
	{
		title: "关于印发《韶关市工业和信息化局政务公开工作要点》的通知", docType: "通知", kind: catalogue.KindDocument,
		attribute: catalogue.Proactive, daysAgo: 40,
		body:  "现将《韶关市工业和信息化局政务公开工作要点》印发给你们，请认真贯彻执行。",
		steps: []demoStep{{"drafter", catalogue.ActSubmit, ""}, {"chief", catalogue.ActApprove, "同意，请领导审定"}},
	},
	{
		title: "关于调整局内部机构职责分工的请示", docType: "请示", kind: catalogue.KindDocument,
		attribute: catalogue.Withheld, reason: "internal_affairs", daysAgo: 5,
		body: "拟对局内部机构职责分工作如下调整……（内部事务信息）",
		steps: []demoStep{{"drafter", catalogue.ActSubmit, ""}, {"chief", catalogue.ActApprove, ""},
			{"leader", catalogue.ActSecrecyReview, "请公开办审查"}},
	},
}

type demoStep struct {
	account string
	action  catalogue.Action
	comment string
}

// createDemoWork drafts the demo's work in progress as the demo accounts.
func (m *Main) createDemoWork(ctx context.Context) error {
	actors := map[string]catalogue.Actor{}
	for _, d := range demoAccounts {
		actors[d.name] = catalogue.Actor{Name: d.name, Role: d.role, Section: d.section}
	}
	today := m.Service.Today()
	for _, w := range demoWork {
		e, err := m.Service.CreateDraft(ctx, actors["drafter"], catalogue.DraftInput{
			Kind: w.kind, Attribute: w.attribute, WithholdReason: w.reason,
			Content: catalogue.Content{Title: w.title, DocType: w.docType, Body: w.body, FormedAt: today.AddDays(-w.daysAgo),
				Category: "主要业务工作", Topic: "工业、交通"},
		})
		if err != nil {
			return fmt.Errorf("demo work %q: %w", w.title, err)
		}
		for _, s := range w.steps {
			if _, err := m.Service.Act(ctx, actors[s.account], e.ID, s.action, catalogue.ActionRequest{Comment: s.comment}); err != nil {
				return fmt.Errorf("demo work %q: %s: %w", w.title, s.action, err)
			}
		}
	}
	return nil
}

// demoApplications are applications for disclosure in several states, so
// the office has something to handle and /reports/{year} has figures.
var demoApplications = []struct {
	applicant catalogue.Applicant
	desc      string
	daysAgo   int
	answer    string // outcome, empty to leave it open
	note      string
}{
	{catalogue.Applicant{Type: catalogue.ApplicantPerson, Name: "演示申请人甲", IDType: "身份证", IDNumber: "11010519491231002X", Phone: "13800000001"},
		"2025年本市工业企业技术改造专项资金的分配结果", 30, "disclose", "已通过电子邮件发送相关文件。"},
	{catalogue.Applicant{Type: catalogue.ApplicantOrg, OrgKind: "商业企业", Name: "演示科技有限公司", IDType: "统一社会信用代码", IDNumber: "91440200MA0000000C", Phone: "0751-0000002"},
		"本公司申报的技术改造项目的专家评审意见", 25, "partial", "评审专家个人信息已作区分处理。"},
	{catalogue.Applicant{Type: catalogue.ApplicantPerson, Name: "演示申请人乙", IDType: "身份证", IDNumber: "11010519491231002X", Phone: "13800000003"},
		"某化工厂的环境影响评价报告", 12, "unable_not_held", "请向生态环境主管部门申请。"},
	{catalogue.Applicant{Type: catalogue.ApplicantOrg, OrgKind: "法律服务机构", Name: "演示律师事务所", IDType: "统一社会信用代码", IDNumber: "31440000MD0000000E", Phone: "0751-0000004"},
		"2024年以来本局作出的行政处罚决定书", 3, "", ""},
}

// createDemoApplications files the demo applications as the office would
// have received and handled them.
func (m *Main) createDemoApplications(ctx context.Context) error {
	today := m.Service.Today()
	for _, d := range demoApplications {
		svc := &catalogue.ApplicationService{Store: m.Applications, Calendar: m.Service.Calendar, Settings: m.Service.Settings}
		received := today.AddDays(-d.daysAgo)
		a := &catalogue.Application{Applicant: d.applicant, ReceivedVia: "信函", ReceivedAt: received,
			Request: catalogue.Request{Description: d.desc, Format: "电子", Channel: "在线"}}
		if err := svc.Submit(ctx, a, "office"); err != nil {
			return fmt.Errorf("demo application: %w", err)
		}
		if d.answer == "" {
			continue
		}
		req := catalogue.AppActionRequest{Outcome: d.answer, Note: d.note}
		if d.answer == "unable_not_held" {
			req.Holder = "韶关市生态环境局"
		}
		if _, err := svc.Act(ctx, a.ID, "answer", "office", req); err != nil {
			return fmt.Errorf("demo application: answer: %w", err)
		}
	}
	return nil
}
