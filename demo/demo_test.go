package demo_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"gongkai/demo"
)

// entry is one catalogue line in the import format (CONTRACT.md).
type entry struct {
	Title       string   `json:"title"`
	Organ       string   `json:"organ"`
	FormedAt    string   `json:"formed_at"`
	DocNo       string   `json:"doc_no"`
	IndexNo     string   `json:"index_no"`
	PublishedAt string   `json:"published_at"`
	EffectiveAt string   `json:"effective_at"`
	Category    string   `json:"category"`
	Topic       string   `json:"topic"`
	DocType     string   `json:"doc_type"`
	Keywords    []string `json:"keywords"`
	Summary     string   `json:"summary"`
	Body        string   `json:"body"`
	Validity    string   `json:"validity"`
	Attachments []struct {
		Name string `json:"name"`
		Path string `json:"path"`
	} `json:"attachments"`
	SourceURL string `json:"source_url"`
}

// MustReadCatalogue decodes every line of the embedded catalogue, failing
// on a line that is not a JSON object of the import format's fields.
func MustReadCatalogue(tb testing.TB) []entry {
	tb.Helper()
	r, err := demo.Open()
	if err != nil {
		tb.Fatal(err)
	}
	defer func() {
		if err := r.Close(); err != nil {
			tb.Errorf("close catalogue: %v", err)
		}
	}()
	var entries []entry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		var e entry
		if err := dec.Decode(&e); err != nil {
			tb.Fatalf("line %d: %v", n, err)
		}
		entries = append(entries, e)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return entries
}

// validDate reports whether s is an existing day written YYYY-MM-DD.
func validDate(s string) bool {
	t, err := time.Parse("2006-01-02", s)
	return err == nil && t.Format("2006-01-02") == s
}

var topics = map[string]bool{
	"国务院组织机构": true, "综合政务": true, "国民经济管理、国有资产监管": true, "财政、金融、审计": true,
	"国土资源、能源": true, "农业、林业、水利": true, "工业、交通": true, "商贸、海关、旅游": true,
	"市场监管、安全生产监管": true, "城乡建设、环境保护": true, "科技、教育": true, "文化、广电、新闻出版": true,
	"卫生、体育": true, "人口与计划生育、妇女儿童工作": true, "劳动、人事、监察": true, "公安、安全、司法": true,
	"民政、扶贫、救灾": true, "民族、宗教": true, "对外事务": true, "港澳台侨工作": true, "国防": true, "其他": true,
}

func TestCatalogueLinesImport(t *testing.T) {
	entries := MustReadCatalogue(t)
	if len(entries) < 250 || len(entries) > 400 {
		t.Errorf("catalogue has %d entries, want a few hundred", len(entries))
	}
	keys := map[string]string{}
	for i, e := range entries {
		where := fmt.Sprintf("line %d (%s)", i+1, e.Title)
		switch {
		case strings.TrimSpace(e.Title) == "":
			t.Errorf("%s: no title", where)
		case strings.TrimSpace(e.Organ) == "":
			t.Errorf("%s: no organ", where)
		case !validDate(e.FormedAt):
			t.Errorf("%s: formed_at %q is not a YYYY-MM-DD date", where, e.FormedAt)
		case strings.TrimSpace(e.Body) == "" && len(e.Attachments) == 0:
			t.Errorf("%s: neither body nor attachment", where)
		}
		for _, d := range []string{e.PublishedAt, e.EffectiveAt} {
			if d != "" && !validDate(d) {
				t.Errorf("%s: date %q is not YYYY-MM-DD", where, d)
			}
		}
		if n := utf8.RuneCountInString(e.Summary); n == 0 || n > 500 {
			t.Errorf("%s: summary of %d characters, want 1–500", where, n)
		}
		if !topics[e.Topic] {
			t.Errorf("%s: topic %q is not one of the 22 主题分类", where, e.Topic)
		}
		switch e.Validity {
		case "", "有效", "失效", "废止", "已修订":
		default:
			t.Errorf("%s: validity %q", where, e.Validity)
		}
		for _, a := range e.Attachments {
			st, err := fs.Stat(demo.FS, a.Path)
			if err != nil {
				t.Errorf("%s: attachment %s: %v", where, a.Path, err)
				continue
			}
			if st.Size() == 0 || st.Size() > 300<<10 {
				t.Errorf("%s: attachment %s is %d bytes, want 1 byte to 300 KB", where, a.Path, st.Size())
			}
		}
		// The importer's identity of a line: importing the demo must
		// create one entry per line.
		key := e.IndexNo
		if key == "" {
			key = strings.Join([]string{e.Organ, e.Title, e.FormedAt, e.DocNo}, "\x00")
		}
		if prev, ok := keys[key]; ok {
			t.Errorf("%s: same import key as %s", where, prev)
		}
		keys[key] = where
	}
}

func TestCatalogueHasSeeds(t *testing.T) {
	entries := MustReadCatalogue(t)
	seeds := []struct{ title, organ, formedAt string }{
		{"关于印发《市工业和信息化局政府信息主动公开工作制度》的通知", "韶关市工业和信息化局", "2019-12-02"},
		{"南安市工信局主动公开政府信息处理流程细则", "南安市工业和信息化局", "2019-05-15"},
		{"三亚市商务会展局信息公开制度", "三亚市商务会展局", "2018-04-24"},
	}
	for _, s := range seeds {
		t.Run(s.organ, func(t *testing.T) {
			var found *entry
			for i := range entries {
				if entries[i].Title == s.title {
					found = &entries[i]
				}
			}
			if found == nil {
				t.Fatalf("seed %q not in the catalogue", s.title)
			}
			if found.Organ != s.organ || found.FormedAt != s.formedAt {
				t.Errorf("organ %q formed %s, want %q %s", found.Organ, found.FormedAt, s.organ, s.formedAt)
			}
			if len(found.Attachments) != 1 {
				t.Fatalf("%d attachments, want the seed's PDF", len(found.Attachments))
			}
			pdf, err := fs.ReadFile(demo.FS, found.Attachments[0].Path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Errorf("attachment %s is not a PDF", found.Attachments[0].Path)
			}
			for _, artefact := range []string{"[bookmark", "\nZ\n", "首页>", "扫一扫"} {
				if strings.Contains(found.Body, artefact) {
					t.Errorf("body still has the extraction artefact %q", artefact)
				}
			}
		})
	}
	for _, e := range entries {
		if e.Organ == "韶关市工业和信息化局" {
			if e.IndexNo != "11440200007041827X/2019-00012" || e.DocNo != "韶工信〔2019〕12号" {
				t.Errorf("seed 000: index_no %q doc_no %q", e.IndexNo, e.DocNo)
			}
		} else if e.IndexNo != "" {
			t.Errorf("%s: index_no %q, want it left to the service", e.Title, e.IndexNo)
		}
	}
}

func TestCatalogueHasWellKnownTexts(t *testing.T) {
	entries := MustReadCatalogue(t)
	versions := map[string][]string{} // title → validity of each version
	docTypes := map[string]int{}
	for _, e := range entries {
		versions[e.Title] = append(versions[e.Title], e.Validity)
		docTypes[e.DocType]++
	}
	for _, title := range []string{
		"中华人民共和国个人信息保护法", "中华人民共和国政府信息公开条例", "中华人民共和国行政复议法",
		"中华人民共和国行政许可法", "2025年中华人民共和国国务院政府工作报告",
		"上海市住房和城乡建设管理委员会关于住房限购审核前置有关问题的通知",
	} {
		if len(versions[title]) == 0 {
			t.Errorf("%s is missing", title)
		}
	}
	if v := versions["中华人民共和国行政复议法"]; len(v) != 2 || strings.Count(strings.Join(v, ","), "已修订") != 1 {
		t.Errorf("行政复议法 versions %v, want the 2017 one 已修订 and the 2023 one in force", v)
	}
	for _, dt := range []string{"法律", "行政法规", "地方性法规", "司法解释", "部门规章", "报告", "通知"} {
		if docTypes[dt] == 0 {
			t.Errorf("no entry of 文种 %s", dt)
		}
	}
}

func TestFSIsSmall(t *testing.T) {
	var total int64
	err := fs.WalkDir(demo.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		total += info.Size()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if total > 3<<20 {
		t.Errorf("demo data is %d KB, want under 3 MB", total>>10)
	}
}

func TestAttributionNamesSources(t *testing.T) {
	doc, err := fs.ReadFile(demo.FS, "ATTRIBUTION.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{"github.com/LawRefBook/Laws", "2f4c5c2", "github.com/aldohemsn/chinese-political-corpora",
		"99bc4b0", "github.com/zhiyao87/Shanghai-Gov-Docs-Index"} {
		if !strings.Contains(string(doc), src) {
			t.Errorf("ATTRIBUTION.md does not name %s", src)
		}
		if !strings.Contains(demo.Attribution, src) {
			t.Errorf("Attribution does not name %s", src)
		}
	}
	if !strings.Contains(string(doc), "第五条第一项") || !strings.Contains(demo.Attribution, "第五条第一项") {
		t.Error("the copyright note (著作权法第五条第一项) is missing")
	}
	if strings.Contains(demo.Attribution, "\n") {
		t.Error("Attribution must be one line")
	}
}
