package main

import (
	"os"
	"strings"
	"testing"
)

// The first lines of seed 000 as the PDF extraction gave them.
const seed000Head = ` 关于印发《市工业和信息化局政府信息主动
公开工作制度》的通知

各科室（局），局属各单位：

为进一步做好政府信息公开工作，结合我局工作实际，

特制定《市工业和信息化局政府信息主动公开工作制度》，

请认真贯彻执行。

韶关市工业和信息化局

2019 年 12 月 2 日

Z
 市工业和信息化局政府信息主动

公开工作制度

为保障公民、法人和其他组织的知情权、参与权和监督

权，建立公正透明的工业和信息化工作机制，促进依法履行

职责，依据《中华人民共和国政府信息公开条例》，制定本

工作制度。

（四）主要业务工作。主要包括：本部门各项行政许可



4

的事项、依据、条件、数量、程序、期限以及申请行政许可

需要提交的全部材料目录及办理情况。

九、属于主动公开范围的政府信息，应当自信息形成或

者变更之日起 20 个工作日内予以公开。
`

func TestCleanSeedJoinsPDFLines(t *testing.T) {
	got := CleanSeed(seed000Head, Seeds[0])
	want := []string{
		"各科室（局），局属各单位：",
		"为进一步做好政府信息公开工作，结合我局工作实际，特制定《市工业和信息化局政府信息主动公开工作制度》，请认真贯彻执行。",
		"韶关市工业和信息化局",
		"2019年12月2日",
		"市工业和信息化局政府信息主动公开工作制度",
		"为保障公民、法人和其他组织的知情权、参与权和监督权，建立公正透明的工业和信息化工作机制，促进依法履行职责，依据《中华人民共和国政府信息公开条例》，制定本工作制度。",
		"（四）主要业务工作。主要包括：本部门各项行政许可的事项、依据、条件、数量、程序、期限以及申请行政许可需要提交的全部材料目录及办理情况。",
		"九、属于主动公开范围的政府信息，应当自信息形成或者变更之日起20个工作日内予以公开。",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("CleanSeed:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCleanSeedWebPage(t *testing.T) {
	page := "首页>信息公开>业务频道>法规党建\n\n三亚市商务会展局信息公开制度\n\n【字体: 打印\n2018-04-24 17:02 三亚市商务会展局\n\n" +
		"第一章总则\n\n第一条为提高政府部门工作的透明度,保障公民依法获取信息,根据《条例》(以下简称《条例》),制定本规定。\n\n" +
		"(一)具体承办本系统主动公开的政府信息事宜;\n\n相关稿件\n扫一扫在手机打开当前页\n"
	got := strings.Join(CleanSeed(page, Seeds[2]), "\n")
	want := "第一章 总则\n第一条 为提高政府部门工作的透明度，保障公民依法获取信息，根据《条例》（以下简称《条例》），制定本规定。\n" +
		"（一）具体承办本系统主动公开的政府信息事宜；"
	if got != want {
		t.Errorf("CleanSeed:\n%s\nwant:\n%s", got, want)
	}
}

func TestCleanSeedDocx(t *testing.T) {
	doc := "\n附件2\n南安市工信局主动公开政府信息处理流程细则\n为建立健全机制，特制订本细则。\n" +
		"[bookmark: _GoBack]拟稿人在“南安市工信局发文处理单”上选择公文的公开属性。\n"
	got := strings.Join(CleanSeed(doc, Seeds[1]), "\n")
	want := "为建立健全机制，特制订本细则。\n拟稿人在“南安市工信局发文处理单”上选择公文的公开属性。"
	if got != want {
		t.Errorf("CleanSeed:\n%s\nwant:\n%s", got, want)
	}
}

// TestLoadSeeds cleans the real seed files when they are present.
func TestLoadSeeds(t *testing.T) {
	const dir = "/work/shared/seeds"
	if _, err := os.Stat(dir); err != nil {
		t.Skip("seeds not present:", err)
	}
	for _, s := range Seeds {
		t.Run(s.Prefix, func(t *testing.T) {
			paras, err := LoadSeed(dir, s)
			if err != nil {
				t.Fatal(err)
			}
			body := strings.Join(paras, "\n")
			for _, junk := range []string{"[bookmark", "首页>", "扫一扫", "ICP备案", "【字体"} {
				if strings.Contains(body, junk) {
					t.Errorf("body keeps %q", junk)
				}
			}
			for _, p := range paras {
				if rePageArtefact.MatchString(p) {
					t.Errorf("page artefact %q kept", p)
				}
				if p == s.Record.Title {
					t.Errorf("title kept in the body")
				}
			}
			if len(paras) < 20 {
				t.Errorf("only %d paragraphs", len(paras))
			}
		})
	}
}
