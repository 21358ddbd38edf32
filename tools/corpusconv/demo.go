package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// DemoConfig says where the demo generator reads and writes.
type DemoConfig struct {
	Corpus string // /work/shared/corpus
	Seeds  string // /work/shared/seeds
	Out    string // the demo package directory
	NoPDF  bool   // reuse the PDFs in Out/files instead of rendering them
}

// DemoCatalogue is the name of the catalogue the generator writes in Out,
// gzip-compressed JSON Lines in the import format.
const DemoCatalogue = "catalogue.jsonl.gz"

// demoMustLaws are well-known texts every demo has, with all their
// versions (the older ones are 已修订): the law this product serves, the
// laws an administrative agency works under, and a few everybody searches.
var demoMustLaws = []string{
	"中华人民共和国政府信息公开条例", "中华人民共和国个人信息保护法", "中华人民共和国行政复议法",
	"中华人民共和国行政许可法", "中华人民共和国行政处罚法", "中华人民共和国行政强制法",
	"中华人民共和国行政诉讼法", "中华人民共和国国家赔偿法", "中华人民共和国立法法",
	"中华人民共和国宪法", "中华人民共和国数据安全法", "中华人民共和国网络安全法",
	"中华人民共和国保守国家秘密法", "中华人民共和国保守国家秘密法实施条例", "中华人民共和国档案法",
	"中华人民共和国公务员法", "中华人民共和国监察法", "中华人民共和国劳动合同法",
	"中华人民共和国消费者权益保护法", "中华人民共和国安全生产法", "中华人民共和国环境保护法",
	"中华人民共和国治安管理处罚法", "中华人民共和国未成年人保护法", "中华人民共和国民法典（总则）",
	"中华人民共和国突发事件应对法", "中华人民共和国统计法", "中华人民共和国电子签名法",
	"信访工作条例", "优化营商环境条例", "重大行政决策程序暂行条例", "行政法规制定程序条例", "规章制定程序条例",
}

// demoQuotas is how many more laws each group contributes, drawn in a
// fixed pseudo-random order (the SHA-256 of the source path), so every
// run picks the same ones and the picks spread over years and subjects.
// Local regulations are drawn per region.
var demoQuotas = map[string]int{
	"行政法规": 60, "司法解释": 24, "部门规章": 12,
	"地方性法规/山东": 15, "地方性法规/河南": 15, "地方性法规/浙江": 15, "地方性法规/上海": 15,
	"地方性法规/北京": 15, "地方性法规/重庆": 12, "地方性法规/广东": 12,
	"宪法相关法": 7, "民法商法": 7, "行政法": 8, "经济法": 8, "社会法": 7, "刑法": 2, "诉讼与非诉讼程序法": 4,
}

// demoOlderVersions is how many more superseded versions are drawn from
// the titles already picked, to show 已修订 entries beside their successors.
const demoOlderVersions = 6

// demoMaxBodyBytes keeps the drawn laws small; the must-have ones may be larger.
const demoMaxBodyBytes = 30 << 10

// SelectDemoLaws picks the laws of the demo catalogue and returns their
// indexes in input order.
func SelectDemoLaws(laws []Law, conv []ConvertedLaw) []int {
	picked := map[int]bool{}
	titles := map[string]bool{}
	byTitle := map[string][]int{}
	for i, c := range conv {
		byTitle[c.Title] = append(byTitle[c.Title], i)
	}
	for _, t := range demoMustLaws {
		for _, i := range byTitle[t] {
			picked[i] = true
			titles[t] = true
		}
	}
	// Only laws with a date of their own, a named organ and a body of
	// their own are drawn; one version per title, the current one.
	groups := map[string][]int{}
	for i, c := range conv {
		if c.EmptyBody || c.Validity != ValidityInForce || len(c.Body) > demoMaxBodyBytes ||
			(c.DateFrom != FromVersionDate && c.DateFrom != FromHistory) || c.OrganFrom == FromCategory && c.Organ == "未注明发布机构" {
			continue
		}
		g := laws[i].Category
		if g == "地方性法规" && laws[i].Region != nil {
			g += "/" + *laws[i].Region
		}
		if demoQuotas[g] > 0 {
			groups[g] = append(groups[g], i)
		}
	}
	for _, g := range sortedKeys(groups) {
		cands := groups[g]
		sort.Slice(cands, func(a, b int) bool { return drawKey(laws[cands[a]].ID) < drawKey(laws[cands[b]].ID) })
		n := 0
		for _, i := range cands {
			if n == demoQuotas[g] {
				break
			}
			if titles[conv[i].Title] {
				continue
			}
			picked[i], titles[conv[i].Title] = true, true
			n++
		}
	}
	// Older versions of drawn titles, newest superseded version first.
	var older []int
	for i, c := range conv {
		if c.Validity == ValidityRevised && titles[c.Title] && !picked[i] && len(c.Body) <= demoMaxBodyBytes && !c.EmptyBody {
			older = append(older, i)
		}
	}
	sort.Slice(older, func(a, b int) bool { return drawKey(laws[older[a]].ID) < drawKey(laws[older[b]].ID) })
	for k := 0; k < len(older) && k < demoOlderVersions; k++ {
		picked[older[k]] = true
	}
	idx := make([]int, 0, len(picked))
	for i := range picked {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	return idx
}

func drawKey(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// demoReportsFrom: the government work reports of recent years, and the
// NPC's resolutions on them from the current congress.
const demoReportsFrom = "2021-01-01"
const demoResolutionsFrom = "2023-01-01"

// BuildDemo writes the demo catalogue: the three seeds (each with its PDF),
// the Shanghai samples, recent government work reports and a selection of
// laws, as Out/catalogue.jsonl.gz with the PDFs under Out/files.
func BuildDemo(cfg DemoConfig, log io.Writer) error {
	var recs []Record
	kinds := map[string]int{}

	if err := os.MkdirAll(filepath.Join(cfg.Out, "files"), 0o755); err != nil {
		return err
	}
	for _, s := range Seeds {
		paras, err := LoadSeed(cfg.Seeds, s)
		if err != nil {
			return err
		}
		r := s.Record
		r.Body = strings.Join(paras, "\n\n")
		rel := "files/" + s.PDFName
		out := filepath.Join(cfg.Out, filepath.FromSlash(rel))
		formed, _ := ParseISODay(r.FormedAt)
		if cfg.NoPDF {
			if _, err := os.Stat(out); err != nil {
				return fmt.Errorf("seed %s: --no-pdf but %w", s.Prefix, err)
			}
		} else if err := RenderPDF(r.Title, paras, formed, out); err != nil {
			return fmt.Errorf("seed %s: %w", s.Prefix, err)
		}
		r.Attachments = []Attachment{{Name: r.Title + ".pdf", Path: rel}}
		recs = append(recs, r)
		kinds["seed"]++
	}

	sh, err := LoadShanghai(filepath.Join(cfg.Corpus, "shanghai-samples"))
	if err != nil {
		return err
	}
	recs = append(recs, sh...)
	kinds["shanghai"] += len(sh)

	reps, err := ReadReports(filepath.Join(cfg.Corpus, "gov-work-reports", "government_work_reports.jsonl.gz"))
	if err != nil {
		return err
	}
	var reports []Record
	for _, rep := range reps {
		r, _, err := ConvertReport(rep)
		if err != nil {
			return err
		}
		from := demoReportsFrom
		if r.DocType == "决议" {
			from = demoResolutionsFrom
		}
		if r.FormedAt >= from {
			reports = append(reports, r)
		}
	}
	sort.SliceStable(reports, func(i, j int) bool { return reports[i].FormedAt > reports[j].FormedAt })
	recs = append(recs, reports...)
	kinds["report"] += len(reports)

	laws, err := ReadLaws(filepath.Join(cfg.Corpus, "lawrefbook", "laws.jsonl.gz"))
	if err != nil {
		return err
	}
	conv, err := ConvertLaws(laws)
	if err != nil {
		return err
	}
	for _, i := range SelectDemoLaws(laws, conv) {
		recs = append(recs, conv[i].Record)
		kinds["law"]++
	}

	if err := checkDemo(recs); err != nil {
		return err
	}
	var raw bytes.Buffer
	if err := WriteRecords(&raw, recs); err != nil {
		return err
	}
	gz, err := gzipBytes(raw.Bytes())
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(cfg.Out, DemoCatalogue), gz, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(log, "demo: %d entries (%s); catalogue %d KB (%d KB uncompressed)\n",
		len(recs), counts(kinds), len(gz)>>10, raw.Len()>>10)
	return nil
}

// checkDemo refuses a catalogue with a line that would not import or two
// lines the importer would take for the same entry.
func checkDemo(recs []Record) error {
	seen := map[string]string{}
	for _, r := range recs {
		if err := r.Check(); err != nil {
			return err
		}
		key := r.IndexNo
		if key == "" {
			key = strings.Join([]string{r.Organ, r.Title, r.FormedAt, r.DocNo}, "\x00")
		}
		if prev, ok := seen[key]; ok {
			return fmt.Errorf("demo: %q and %q would import as the same entry", prev, r.Title)
		}
		seen[key] = r.Title
	}
	return nil
}

// gzipBytes compresses without a name or time in the header, so the same
// catalogue gives the same file.
func gzipBytes(data []byte) ([]byte, error) {
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
