package main

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// Article is one line of LawRefBook's articles.jsonl: one 条 of a law.
type Article struct {
	Law      int    `json:"law"` // 0-based line number in laws.jsonl
	LawTitle string `json:"law_title"`
	Article  string `json:"article"` // 第十二条
	Chapter  string `json:"chapter"`
	Text     string `json:"text"`
}

var reArticleLabel = regexp.MustCompile(`^第[〇零一二三四五六七八九十百千0-9]+条(之[一二三四五六七八九十]+)?\s*`)

// ConvertArticle makes one entry of one article. Organ, dates, 文号,
// category and validity are the law's: an article is formed with its law.
func ConvertArticle(a Article, law Record) (Record, error) {
	r := law
	label := strings.TrimSpace(a.Article)
	r.Title = law.Title
	if label != "" {
		r.Title += " " + label
	}
	text := PlainText(a.Text)
	body := text
	if ch := CleanTitle(strings.Trim(a.Chapter, "# ")); ch != "" {
		body = ch + "\n\n" + text
	}
	r.Body = body
	r.Summary = ""
	if ps := Paragraphs(text); len(ps) > 0 {
		r.Summary = Truncate(reArticleLabel.ReplaceAllString(ps[0], ""), MaxSummaryRunes)
	}
	if r.Summary == "" {
		r.Summary = Truncate(text, MaxSummaryRunes)
	}
	r.Attachments = nil
	return r, r.Check()
}

// ConvertArticles reads articles.jsonl(.gz) against the converted laws and
// writes one record per article. It returns how many articles were written
// and how many repeat an earlier one (the articles of a law LawRefBook
// files twice), which the importer counts as duplicates.
func ConvertArticles(articlesFile string, laws []ConvertedLaw, w io.Writer) (n, repeats int, err error) {
	seen := map[string]bool{}
	batch := make([]Record, 0, 1024)
	err = readJSONLines(articlesFile, func(_ int, data []byte) error {
		var a Article
		if err := json.Unmarshal(data, &a); err != nil {
			return err
		}
		if a.Law < 0 || a.Law >= len(laws) {
			return fmt.Errorf("article %s of law line %d: no such law", a.Article, a.Law)
		}
		if strings.TrimSpace(a.Text) == "" {
			return nil // nothing to publish
		}
		r, err := ConvertArticle(a, laws[a.Law].Record)
		if err != nil {
			return err
		}
		key := strings.Join([]string{r.Organ, r.Title, r.FormedAt, r.DocNo}, "\x00")
		if seen[key] {
			repeats++
		}
		seen[key] = true
		batch = append(batch, r)
		n++
		if len(batch) == cap(batch) {
			if err := WriteRecords(w, batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
		return nil
	})
	if err != nil {
		return n, repeats, err
	}
	return n, repeats, WriteRecords(w, batch)
}

func runArticles(articlesFile, lawsFile string, stdout, stderr io.Writer) error {
	laws, err := ReadLaws(lawsFile)
	if err != nil {
		return err
	}
	conv, err := ConvertLaws(laws)
	if err != nil {
		return err
	}
	n, repeats, err := ConvertArticles(articlesFile, conv, stdout)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "articles: %d (of %d laws); repeating an earlier article (a law filed twice; imported once): %d\n",
		n, len(conv), repeats)
	return nil
}
