// Command corpusconv converts the shared corpus of real government text
// (/work/shared/corpus) into gongkai's import format, and builds the demo
// catalogue bundled in package demo.
//
//	corpusconv laws     laws.jsonl.gz                  > laws.jsonl
//	corpusconv articles articles.jsonl.gz laws.jsonl.gz > articles.jsonl
//	corpusconv reports  government_work_reports.jsonl.gz > reports.jsonl
//	corpusconv demo --corpus DIR --seeds DIR --out demo/
//
// Records go to stdout as JSON Lines; a summary of what was derived and how
// goes to stderr. The same input always gives the same output.
//
// How a LawRefBook law is mapped (laws.go, history.go, classify.go):
//   - organ: the first history event in which a named organ enacts or
//     publishes the text (通过, 公布, 发布, 令); then one that amends it; then
//     an approving congress (for a city's regulation approved by its
//     province, the city's congress named by the title); then the title, the
//     ministry a 部门规章 names most, and last the category's usual maker
//     (行政法规 国务院, 司法解释 最高人民法院, the NPC branches of law
//     全国人民代表大会常务委员会, 案例 最高人民法院), or 未注明发布机构.
//   - doc_no: the 令号 or 公告号 of the latest numbered event up to two months
//     after the version date (国务院令第711号), else a 发文字号 on its own at
//     the top of the body (法释〔2023〕3号).
//   - formed_at: version_date; else the latest dated event other than 施行;
//     else the date in the file name, the body's 自…起施行, the latest date,
//     month or year the body mentions; else the latest version date in the
//     corpus (the snapshot held the text by then).
//   - published_at: the first publishing event from formed_at to two months
//     after; effective_at: the first 施行 on or after formed_at.
//   - doc_type: a title ending in a statutory 文种 (决定, 决议, 通知…) is that
//     文种; otherwise 法律 for the NPC's branches of law, 宪法, 行政法规,
//     部门规章, 地方性法规, 司法解释, 案例 by category.
//   - validity: 已修订 when the same organ has a later version of the title,
//     else 有效. Topic: the first 主题分类 whose words the title contains.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

const usage = `usage:
  corpusconv laws     LAWS.jsonl.gz                    > laws.jsonl
  corpusconv articles ARTICLES.jsonl.gz LAWS.jsonl.gz  > articles.jsonl
  corpusconv reports  REPORTS.jsonl.gz                 > reports.jsonl
  corpusconv demo     --corpus DIR --seeds DIR --out DIR [--no-pdf]
`

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "corpusconv:", err)
		os.Exit(1)
	}
}

var errUsage = errors.New("bad arguments\n" + usage)

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errUsage
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "laws":
		if len(rest) != 1 {
			return errUsage
		}
		return runLaws(rest[0], stdout, stderr)
	case "articles":
		if len(rest) != 2 {
			return errUsage
		}
		return runArticles(rest[0], rest[1], stdout, stderr)
	case "reports":
		if len(rest) != 1 {
			return errUsage
		}
		return runReports(rest[0], stdout, stderr)
	case "demo":
		fs := flag.NewFlagSet("demo", flag.ContinueOnError)
		fs.SetOutput(stderr)
		var cfg DemoConfig
		fs.StringVar(&cfg.Corpus, "corpus", "/work/shared/corpus", "the shared corpus directory")
		fs.StringVar(&cfg.Seeds, "seeds", "/work/shared/seeds", "the seed documents directory")
		fs.StringVar(&cfg.Out, "out", "demo", "the demo package directory to write")
		fs.BoolVar(&cfg.NoPDF, "no-pdf", false, "keep the seed PDFs already in --out instead of rendering them with LibreOffice")
		if err := fs.Parse(rest); err != nil {
			return err
		}
		return BuildDemo(cfg, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return errUsage
}

func runLaws(lawsFile string, stdout, stderr io.Writer) error {
	laws, err := ReadLaws(lawsFile)
	if err != nil {
		return err
	}
	conv, err := ConvertLaws(laws)
	if err != nil {
		return err
	}
	recs := make([]Record, len(conv))
	for i := range conv {
		recs[i] = conv[i].Record
	}
	if err := WriteRecords(stdout, recs); err != nil {
		return err
	}
	LawStats(conv).Print(stderr)
	return nil
}
