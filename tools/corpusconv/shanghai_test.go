package main

import "testing"

const shanghaiSample = `---
标题: 关于印发《长宁区土地储备成本认定管理办法》的通知
文号: 长规划资源规〔2025〕1号
发布单位: 上海市长宁区规划和自然资源局
发布日期: 2025-07-16
层级: 区级
类型: 办法
分类: 规划与土地
状态: 有效
官方链接: https://www.shanghai.gov.cn/zhengce/detail/0074::007478141
---

> 本文正文由脚本自上海市官方公开页面提取，仅供检索查阅。

# 关于印发《长宁区土地储备成本认定管理办法》的通知

区政府各委、办、局，各街道办事处，新泾镇政府：

《长宁区土地储备成本认定管理办法》已经区政府第109次常务会议审议通过，现予印发。

第一条

为做好长宁区土地储备成本认定管理工作，结合长宁区实际情况，制定本办法。

第四条

土地储备的成本开支范围为：    1.土地补偿费。    2.安置补助费。

第十五条

本办法自2025年8月16日起施行。
`

func TestConvertShanghai(t *testing.T) {
	r, err := ConvertShanghai(shanghaiSample)
	if err != nil {
		t.Fatal(err)
	}
	want := Record{
		Title: "关于印发《长宁区土地储备成本认定管理办法》的通知", Organ: "上海市长宁区规划和自然资源局",
		FormedAt: "2025-07-16", DocNo: "长规划资源规〔2025〕1号", PublishedAt: "2025-07-16", EffectiveAt: "2025-08-16",
		Category: "规划与土地", Topic: "国土资源、能源", DocType: "通知", Validity: "有效",
		SourceURL: "https://www.shanghai.gov.cn/zhengce/detail/0074::007478141",
		Summary:   "为做好长宁区土地储备成本认定管理工作，结合长宁区实际情况，制定本办法。",
	}
	body := r.Body
	r.Body = ""
	if r.Title != want.Title || r.Organ != want.Organ || r.FormedAt != want.FormedAt || r.DocNo != want.DocNo ||
		r.PublishedAt != want.PublishedAt || r.EffectiveAt != want.EffectiveAt || r.Category != want.Category ||
		r.Topic != want.Topic || r.DocType != want.DocType || r.Validity != want.Validity ||
		r.SourceURL != want.SourceURL || r.Summary != want.Summary {
		t.Errorf("got  %+v\nwant %+v", r, want)
	}
	wantBody := "区政府各委、办、局，各街道办事处，新泾镇政府：\n\n《长宁区土地储备成本认定管理办法》已经区政府第109次常务会议审议通过，现予印发。\n\n" +
		"第一条\n\n为做好长宁区土地储备成本认定管理工作，结合长宁区实际情况，制定本办法。\n\n第四条\n\n" +
		"土地储备的成本开支范围为：\n\n1.土地补偿费。\n\n2.安置补助费。\n\n第十五条\n\n本办法自2025年8月16日起施行。"
	if body != wantBody {
		t.Errorf("body:\n%s\nwant:\n%s", body, wantBody)
	}
}

func TestConvertShanghaiNeedsFrontMatter(t *testing.T) {
	if _, err := ConvertShanghai("# 标题\n\n正文"); err == nil {
		t.Error("a file without front matter converted")
	}
}
