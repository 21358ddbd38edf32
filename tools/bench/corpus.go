package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"
)

// CorpusStats describes what was imported.
type CorpusStats struct {
	Laws, Articles int
	TextBytes      int64 // UTF-8 bytes of title, summary and body
	FileBytes      int64 // bytes of the JSONL files
}

// record is the part of an import line the bench reads.
type record struct {
	Title    string `json:"title"`
	Organ    string `json:"organ"`
	FormedAt string `json:"formed_at"`
	DocNo    string `json:"doc_no"`
	Category string `json:"category"`
	Summary  string `json:"summary"`
	Body     string `json:"body"`
}

// convert converts the laws and articles with tools/corpusconv into the
// import format, keeping an even spread of --articles articles. It returns
// the files to import, laws first.
func (b *Bench) convert(ctx context.Context) ([]string, CorpusStats, error) {
	var st CorpusStats
	conv := filepath.Join(b.Out, "corpusconv")
	if err := runLogged(ctx, filepath.Join(b.Out, "build-corpusconv.log"), nil, "go", "build", "-o", conv, "./tools/corpusconv"); err != nil {
		return nil, st, err
	}
	laws := filepath.Join(b.Out, "laws.jsonl")
	allArticles := filepath.Join(b.Out, "articles-all.jsonl")
	lawsIn, articlesIn := filepath.Join(b.Corpus, lawsFile), filepath.Join(b.Corpus, articlesFile)
	if err := convertTo(ctx, laws, filepath.Join(b.Out, "convert-laws.log"), conv, "laws", lawsIn); err != nil {
		return nil, st, err
	}
	if err := convertTo(ctx, allArticles, filepath.Join(b.Out, "convert-articles.log"), conv, "articles", articlesIn, lawsIn); err != nil {
		return nil, st, err
	}
	articles := allArticles
	if b.Articles > 0 {
		articles = filepath.Join(b.Out, "articles.jsonl")
		if err := spread(allArticles, articles, b.Articles); err != nil {
			return nil, st, err
		}
		os.Remove(allArticles)
	}
	files := []string{laws, articles}
	for i, f := range files {
		n, text, size, err := countText(f)
		if err != nil {
			return nil, st, err
		}
		if i == 0 {
			st.Laws = n
		} else {
			st.Articles = n
		}
		st.TextBytes += text
		st.FileBytes += size
	}
	return files, st, nil
}

func convertTo(ctx context.Context, out, logName, conv string, args ...string) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	logf, err := os.Create(logName)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.CommandContext(ctx, conv, args...)
	cmd.Stdout, cmd.Stderr = f, logf
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("corpusconv %s: %w (see %s)", args[0], err, logName)
	}
	return f.Close()
}

// spread copies n lines of in, evenly spaced, to out.
func spread(in, out string, n int) error {
	total := 0
	if err := eachLine(in, func([]byte) error { total++; return nil }); err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	i := 0
	err = eachLine(in, func(line []byte) error {
		// Keep line i when floor((i+1)·n/total) steps up: exactly n lines.
		if total > 0 && (i+1)*n/total > i*n/total {
			w.Write(line)
			w.WriteByte('\n')
		}
		i++
		return nil
	})
	if err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func eachLine(name string, fn func([]byte) error) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		if err := fn(sc.Bytes()); err != nil {
			return err
		}
	}
	return sc.Err()
}

func countText(name string) (n int, text, size int64, err error) {
	err = eachLine(name, func(line []byte) error {
		var r record
		if err := json.Unmarshal(line, &r); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		n++
		text += int64(len(r.Title) + len(r.Summary) + len(r.Body))
		size += int64(len(line) + 1)
		return nil
	})
	return n, text, size, err
}

// Query is one search the bench sends: the API's parameters.
type Query struct {
	Class  string
	Params url.Values
}

// Class is a kind of query, measured on its own.
type Class struct {
	Name, Label, About string
}

// Classes are the query classes, in the order reported.
var Classes = []Class{
	{"one-word", "one word", "a law's subject from its title: 电子商务, 档案, 个人信息保护"},
	{"two-words", "two words", "a subject and a common term: 档案 检查"},
	{"phrase", "phrase", "4–8 characters of an article in quotes"},
	{"docno", "文号 / 令号", "a law's 令号 or 文号, written in varied brackets and spacings"},
	{"filter-date", "filter + sort by date", "one word with an organ, category or year filter, newest first"},
	{"broad", "broad word (facets + highlights over big hit sets)", "common words: 管理, 公开, 责任…"},
	{"browse", "browse: the catalogue by date, no words", "the home page and /catalogue: every entry, or one category or year, newest first, with facets"},
}

// The API always asks for facets and highlights; the broad class is where
// they cost most, over tens of thousands of hits.
var broadWords = []string{"公开", "管理", "信息", "安全", "人民政府", "规定", "国家", "责任", "监督", "服务",
	"保护", "行政", "企业", "登记", "处罚", "许可", "标准", "工作", "部门", "社会", "发展", "建设", "组织",
	"单位", "检查", "规划", "资金", "合同", "财产", "程序", "权利", "义务"}

var commonTerms = []string{"管理", "监督", "责任", "许可", "处罚", "保护", "安全", "登记", "申请", "公开",
	"审查", "标准", "收费", "检查", "服务", "补偿"}

var (
	reParens    = regexp.MustCompile(`（[^）]*）|\([^)]*\)`)
	reQuoted    = regexp.MustCompile(`《([^》]+)》`)
	reTitleHead = regexp.MustCompile(`^(?:中华人民共和国|最高人民法院、最高人民检察院|最高人民法院|最高人民检察院|国务院|全国人民代表大会常务委员会|全国人民代表大会|\p{Han}{2,7}?(?:省|市|自治区|自治州|自治县|县)|关于|实施)`)
	reTitleTail = regexp.MustCompile(`(?:实施细则|实施条例|实施办法|若干规定|若干问题的规定|暂行条例|暂行规定|暂行办法|管理条例|管理办法|管理规定|促进条例|保护条例|条例|办法|规定|决定|细则|规则|解释|意见|通知|法)$`)
	reHan       = regexp.MustCompile(`^\p{Han}+$`)
	reHanRun    = regexp.MustCompile(`\p{Han}{4,}`)
)

// subject is what a title is about, as a person would search for it:
// 中华人民共和国个人信息保护法 → 个人信息保护; "" if nothing short is left.
func subject(title string) string {
	t := reParens.ReplaceAllString(title, "")
	if m := reQuoted.FindStringSubmatch(t); m != nil {
		t = m[1]
	}
	for i := 0; i < 3; i++ {
		t = reTitleHead.ReplaceAllString(t, "")
	}
	t = reTitleTail.ReplaceAllString(t, "")
	if n := utf8.RuneCountInString(t); n < 2 || n > 8 || !reHan.MatchString(t) {
		return ""
	}
	return t
}

// docNoVariants writes a 文号 or 令号 the ways people type it.
func docNoVariants(no string) []string {
	vs := []string{no}
	if strings.Contains(no, "〔") {
		for _, br := range [][2]string{{"[", "]"}, {"（", "）"}, {"(", ")"}, {"【", "】"}} {
			vs = append(vs, strings.NewReplacer("〔", br[0], "〕", br[1]).Replace(no))
		}
		vs = append(vs, strings.NewReplacer("〔", " 〔", "〕", "〕 ").Replace(no))
	}
	if strings.Contains(no, "令第") {
		vs = append(vs, strings.Replace(no, "令第", "令", 1), "中华人民共和国"+no,
			strings.Replace(strings.Replace(no, "令第", "令（第", 1), "号", "号）", 1))
	}
	return vs
}

// warmUps is how many queries of each class warm the server up; they are
// drawn like the others but not measured.
const warmUps = 10

// DrawQueries draws n queries of each class, and warmUps more of each
// labelled "warm-up", from the converted files (laws first, then articles)
// with a fixed seed.
func DrawQueries(files []string, n int, seed uint64) ([]Query, error) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var subjects, docNos []string
	var withSubject []record // laws with a subject, for filters that match them
	seenSubj, seenNo := map[string]bool{}, map[string]bool{}
	err := eachLine(files[0], func(line []byte) error {
		var r record
		if err := json.Unmarshal(line, &r); err != nil {
			return err
		}
		if s := subject(r.Title); s != "" {
			withSubject = append(withSubject, record{Title: s, Organ: r.Organ, Category: r.Category, FormedAt: r.FormedAt})
			if !seenSubj[s] {
				seenSubj[s] = true
				subjects = append(subjects, s)
			}
		}
		if r.DocNo != "" && !seenNo[r.DocNo] {
			seenNo[r.DocNo] = true
			docNos = append(docNos, r.DocNo)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	// A reservoir of article texts for phrases.
	var texts []string
	seen := 0
	err = eachLine(files[len(files)-1], func(line []byte) error {
		var r record
		if err := json.Unmarshal(line, &r); err != nil {
			return err
		}
		seen++
		if len(texts) < 4000 {
			texts = append(texts, r.Body)
		} else if j := rng.IntN(seen); j < len(texts) {
			texts[j] = r.Body
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(subjects) == 0 || len(docNos) == 0 || len(texts) == 0 {
		return nil, fmt.Errorf("corpus too small to draw queries: %d subjects, %d 文号, %d texts", len(subjects), len(docNos), len(texts))
	}

	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	var out []Query
	counts := map[string]int{}
	add := func(class string, kv ...string) {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		counts[class]++
		if counts[class] > n {
			class = "warm-up"
		}
		out = append(out, Query{Class: class, Params: v})
	}
	m := n + warmUps
	for range m {
		add("one-word", "q", pick(subjects))
	}
	for range m {
		add("two-words", "q", pick(subjects)+" "+pick(commonTerms))
	}
	for counts["phrase"] < m {
		runs := reHanRun.FindAllString(pick(texts), -1)
		if len(runs) == 0 {
			continue
		}
		r := []rune(pick(runs))
		size := 4 + rng.IntN(5)
		if size > len(r) {
			size = len(r)
		}
		at := rng.IntN(len(r) - size + 1)
		add("phrase", "q", `"`+string(r[at:at+size])+`"`)
	}
	for range m {
		add("docno", "q", pick(docNoVariants(pick(docNos))))
	}
	// A law's subject with its own organ, category or year: a filter that
	// keeps some hits, as a person narrowing a search would choose.
	for range m {
		r := withSubject[rng.IntN(len(withSubject))]
		switch rng.IntN(3) {
		case 0:
			add("filter-date", "q", r.Title, "organ", r.Organ, "sort", "date")
		case 1:
			add("filter-date", "q", r.Title, "category", r.Category, "sort", "date")
		default:
			add("filter-date", "q", r.Title, "year", r.FormedAt[:4], "sort", "date")
		}
	}
	for range m {
		add("broad", "q", pick(broadWords))
	}
	for range m {
		r := withSubject[rng.IntN(len(withSubject))]
		switch rng.IntN(3) {
		case 0:
			add("browse", "sort", "date")
		case 1:
			add("browse", "category", r.Category, "sort", "date")
		default:
			add("browse", "year", r.FormedAt[:4], "sort", "date")
		}
	}
	return out, nil
}

func byClass(qs []Query, class string) []Query {
	var out []Query
	for _, q := range qs {
		if q.Class == class {
			out = append(out, q)
		}
	}
	return out
}

func writeQueries(dir string, qs []Query) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, c := range append(Classes, Class{Name: "warm-up"}) {
		var b strings.Builder
		for _, q := range byClass(qs, c.Name) {
			b.WriteString(q.Params.Encode())
			b.WriteByte('\n')
		}
		if err := os.WriteFile(filepath.Join(dir, c.Name+".txt"), []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	return nil
}
