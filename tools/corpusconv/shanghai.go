package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// The Shanghai samples are Markdown files with front matter (标题, 文号,
// 发布单位, 发布日期, 分类, 状态, 官方链接), a note from the scraper in a
// block quote, and the notice's text.

var (
	reFrontMatter = regexp.MustCompile(`(?s)^---\n(.*?)\n---\n`)
	// 1.土地补偿费。    2.安置补助费。 — items the scraper ran together.
	reInlineItems = regexp.MustCompile(`[ \x{3000}]{3,}`)
)

// ConvertShanghai maps one Shanghai sample to the import format.
func ConvertShanghai(text string) (Record, error) {
	text = invisible.Replace(text)
	m := reFrontMatter.FindStringSubmatch(text)
	if m == nil {
		return Record{}, fmt.Errorf("no front matter")
	}
	meta := map[string]string{}
	for _, line := range strings.Split(m[1], "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			meta[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	title := CleanTitle(meta["标题"])
	docNo := strings.TrimSpace(meta["文号"])
	var paras []string
	for _, line := range strings.Split(text[len(m[0]):], "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "", strings.HasPrefix(line, ">"):
			continue
		case strings.HasPrefix(line, "#"):
			continue // the title again, as a heading
		case len(paras) == 0 && (line == title || line == docNo):
			continue // the title and 文号 above the text, shown as fields
		}
		for _, p := range reInlineItems.Split(line, -1) {
			if p = strings.TrimSpace(p); p != "" {
				paras = append(paras, p)
			}
		}
	}
	body := strings.Join(paras, "\n\n")
	formed, ok := ParseISODay(meta["发布日期"])
	if !ok {
		return Record{}, fmt.Errorf("%s: 发布日期 %q", title, meta["发布日期"])
	}
	r := Record{
		Title:       title,
		Organ:       meta["发布单位"],
		FormedAt:    formed.String(),
		DocNo:       docNo,
		PublishedAt: formed.String(),
		Category:    meta["分类"],
		Topic:       Topic(title + " " + meta["分类"]),
		DocType:     TitleDocType(title),
		Summary:     Summary(body),
		Body:        body,
		Validity:    meta["状态"],
		SourceURL:   meta["官方链接"],
	}
	if d := inForceDay(body); !d.IsZero() && !d.Before(formed) {
		r.EffectiveAt = d.String()
	}
	if r.DocType == "" {
		r.DocType = meta["类型"]
	}
	return r, r.Check()
}

// LoadShanghai converts every sample in dir, in file name order.
func LoadShanghai(dir string) ([]Record, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var recs []Record
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		r, err := ConvertShanghai(string(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Base(name), err)
		}
		recs = append(recs, r)
	}
	return recs, nil
}
