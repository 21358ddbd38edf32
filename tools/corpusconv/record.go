package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// Record is one line of the import format (CONTRACT.md, "Import format").
// Empty optional fields are left out to keep the files small.
type Record struct {
	Title       string       `json:"title"`
	Organ       string       `json:"organ"`
	FormedAt    string       `json:"formed_at"`
	DocNo       string       `json:"doc_no,omitempty"`
	IndexNo     string       `json:"index_no,omitempty"`
	PublishedAt string       `json:"published_at,omitempty"`
	EffectiveAt string       `json:"effective_at,omitempty"`
	Category    string       `json:"category,omitempty"`
	Topic       string       `json:"topic,omitempty"`
	DocType     string       `json:"doc_type,omitempty"`
	Summary     string       `json:"summary,omitempty"`
	Body        string       `json:"body,omitempty"`
	Validity    string       `json:"validity,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`
	SourceURL   string       `json:"source_url,omitempty"`
}

// Attachment names a file relative to the JSONL file.
type Attachment struct {
	Name string `json:"name"`
	Path string `json:"path"`
}

// MaxTitleRunes is the longest 名称 the catalogue accepts.
const MaxTitleRunes = 500

// Validity values (有效性).
const (
	ValidityInForce = "有效"
	ValidityRevised = "已修订"
)

// Check reports what keeps r from importing: the fields CONTRACT.md
// requires and the date format.
func (r *Record) Check() error {
	switch {
	case strings.TrimSpace(r.Title) == "":
		return fmt.Errorf("no title")
	case strings.TrimSpace(r.Organ) == "":
		return fmt.Errorf("%s: no organ", r.Title)
	case strings.TrimSpace(r.Body) == "" && len(r.Attachments) == 0:
		return fmt.Errorf("%s: neither body nor attachments", r.Title)
	case utf8.RuneCountInString(r.Title) > MaxTitleRunes:
		return fmt.Errorf("%s: title longer than %d characters", r.Title, MaxTitleRunes)
	case utf8.RuneCountInString(r.Summary) > MaxSummaryRunes:
		return fmt.Errorf("%s: summary longer than %d characters", r.Title, MaxSummaryRunes)
	}
	switch r.Validity {
	case "", ValidityInForce, ValidityRevised, "失效", "废止":
	default:
		return fmt.Errorf("%s: validity %q is not 有效, 失效, 废止 or 已修订", r.Title, r.Validity)
	}
	if _, ok := ParseISODay(r.FormedAt); !ok {
		return fmt.Errorf("%s: formed_at %q is not YYYY-MM-DD", r.Title, r.FormedAt)
	}
	for _, d := range []string{r.PublishedAt, r.EffectiveAt} {
		if _, ok := ParseISODay(d); d != "" && !ok {
			return fmt.Errorf("%s: date %q is not YYYY-MM-DD", r.Title, d)
		}
	}
	return nil
}

// WriteRecords writes records as JSON Lines, without HTML escaping so that
// the Chinese text stays readable.
func WriteRecords(w io.Writer, recs []Record) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range recs {
		if err := enc.Encode(&recs[i]); err != nil {
			return fmt.Errorf("write %q: %w", recs[i].Title, err)
		}
	}
	return bw.Flush()
}

// readJSONLines decodes every line of a JSON Lines file, gzip-compressed
// when the name ends in .gz, calling fn with the 0-based line number.
func readJSONLines(name string, fn func(line int, data []byte) error) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(name, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		defer gz.Close()
		r = gz
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for n := 0; sc.Scan(); n++ {
		if err := fn(n, sc.Bytes()); err != nil {
			return fmt.Errorf("%s line %d: %w", name, n+1, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}
