package indexer

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"gongkai/catalogue"
	"gongkai/indexer/analysis/fold"
	"gongkai/indexer/analysis/gsetokenizer"
	"gongkai/indexer/analysis/pinyin"
	"gongkai/indexer/analysis/t2s"
)

// Document is what the index holds of one catalogue entry. The public index
// gets published entries only; the staff index gets every entry with its
// workflow fields.
type Document struct {
	ID, IndexNo, Title, DocNo, Organ, Category, Topic, DocType, Validity string
	Summary, Body, AttachmentText                                        string
	Keywords                                                             string // 主题词, separated by spaces
	FormedAt, PublishedAt, UpdatedAt                                     time.Time
	Status, Attribute, Section, Kind                                     string    // staff index only; empty in the public index
	DueAt                                                                time.Time // staff index only: publish-by date while the clock runs
}

// Field names in the index, for queries, sorting, facets and stored values.
const (
	// Chinese text, analysed with IndexAnalyzer. Title, 主题词, summary,
	// body, the text of the attachments, the 文号's 机关代字 and year
	// (docNoWords) and the 发布机构 are indexed together as FieldText, so
	// that a search looks each word up once, in one field, and finds an
	// entry by part of its 文号 (韶工信, 法释〔2024〕) or by its organ's name
	// as well as by its words. The parts are joined by
	// gsetokenizer.PartSeparator, so no word or phrase runs from one into
	// the next. The title (with term vectors, for phrases) and the 主题词
	// (with the 机关代字 and the organ) are indexed on their own as well, to
	// weigh a word found there. Title, summary and body are stored, for
	// the results page, snippets and the outage fallback.
	FieldTitle    = "title"
	FieldText     = "text"
	FieldSummary  = "summary"  // stored only
	FieldBody     = "body"     // stored only
	FieldKeywords = "keywords" // 主题词, the 文号's 机关代字 and 发布机构: indexed only, to weigh
	// FieldPlain names, separated by spaces, the stored texts (FieldTitle,
	// FieldBody) that fold to themselves (fold.Unchanged): snippets look
	// for terms in them as they are. Stored only. Its name sorts before
	// FieldBody's: Bleve stores a document's fields in the order of their
	// names, and search reads it before the body it tells about.
	FieldPlain = "as_is"
	// The title's pinyin, in full and as initials, cut into grams for
	// substring matching (package pinyin): indexed only.
	FieldTitlePinyin   = "title_py"
	FieldTitleInitials = "title_pyi"

	// FieldShortTitle is the title without the 中华人民共和国 of a national
	// law and without a closing parenthesis (ShortTitle), folded, indexed
	// only: a query that is a law's short name (档案法) finds the law first.
	FieldShortTitle = "short_title"

	// Exact values (keyword fields).
	FieldIndexNo   = "index_no"    // 索引号 as written
	FieldDocNo     = "doc_no"      // 发文字号 as written
	FieldDocNoNorm = "doc_no_norm" // catalogue.NormalizeDocNo(doc_no): indexed only
	// The 文号 with only the end of its organ prefix or without it
	// (公告第39号, 令第285号, 〔2019〕12号; catalogue.DocNoSuffixes):
	// indexed only.
	FieldDocNoSuffix = "doc_no_suffix"

	// Facets and filters (keyword fields with doc values).
	FieldOrgan    = "organ"
	FieldCategory = "category"
	FieldTopic    = "topic"
	FieldDocType  = "doc_type"
	FieldValidity = "validity"
	FieldYear     = "year" // year of formed_at, e.g. "2019"
	// FieldFacets holds a document's five facet values as one term, a
	// FacetTuple, in a doc-values field, read once per index snapshot by
	// package search to count facets.
	FieldFacets = "facets"
	// FieldOrder holds a document's place in the date order of the
	// catalogue (newest 发布日期 first, then 生成日期, then id) as an OrderKey
	// in a doc-values field, read once per index snapshot by package search.
	FieldOrder     = "order"
	FieldStatus    = "status"
	FieldAttribute = "attribute"
	FieldSection   = "section"
	FieldKind      = "kind"

	// Dates, with doc values for sorting and ranges.
	FieldFormedAt    = "formed_at"
	FieldPublishedAt = "published_at"
	FieldUpdatedAt   = "updated_at"
	FieldDueAt       = "due_at" // staff index only
)

// The positions of the facets in a FacetTuple.
const (
	FacetCategory = iota
	FacetTopic
	FacetOrgan
	FacetDocType
	FacetYear
	FacetPositions
)

// facetSep separates the values of a FacetTuple; it cannot occur in one.
const facetSep = "\x1f"

// FacetTuple joins the facet values of a document in the order of the
// Facet positions; an empty value stands for none.
func FacetTuple(category, topic, organ, docType, year string) string {
	vals := [FacetPositions]string{category, topic, organ, docType, year}
	for i, v := range vals {
		vals[i] = strings.ReplaceAll(v, facetSep, " ")
	}
	return strings.Join(vals[:], facetSep)
}

// ShortTitle returns the name people use for a title: without the
// 中华人民共和国 that opens a national law's title and without a closing
// parenthesis ((2020年修订), （试行）), folded to simplified, half-width,
// lower-case characters without spaces. "" if nothing is left.
func ShortTitle(title string) string {
	s := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u3000' || r == '\t' {
			return -1
		}
		if r >= '！' && r <= '～' {
			r = r - '！' + '!'
		}
		return unicode.ToLower(r)
	}, t2s.Simplify(title))
	s = strings.TrimPrefix(s, "中华人民共和国")
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndex(s, "("); i > 0 {
			s = s[:i]
		}
	}
	return s
}

// orderDate is how OrderKey writes a date: fixed width, so keys compare
// as their dates do.
const orderDate = "20060102150405"

// OrderKey is the FieldOrder value of a document: its 发布日期, its
// 生成日期 and its id, each behind a separator.
func OrderKey(published, formed time.Time, id string) string {
	date := func(t time.Time) string {
		if t.IsZero() {
			return strings.Repeat("0", len(orderDate))
		}
		return t.UTC().Format(orderDate)
	}
	return date(published) + facetSep + date(formed) + facetSep + id
}

// SplitOrderKey returns the two dates of an OrderKey as one string, which
// compares as the dates do (newer is greater), and the id.
func SplitOrderKey(k string) (dates, id string) {
	i := strings.LastIndex(k, facetSep)
	return k[:max(i, 0)], k[i+1:]
}

// SplitFacetTuple returns the facet values of a FacetTuple by position.
func SplitFacetTuple(t string) (vals [FacetPositions]string) {
	for i := range vals {
		v, rest, _ := strings.Cut(t, facetSep)
		vals[i], t = v, rest
	}
	return vals
}

// docType is the one document type of the mapping; anything else falls to
// the disabled default mapping and is not indexed.
const docType = "entry"

// record is a Document as Bleve indexes it: derived fields filled in, empty
// values left out so that facets never show an empty value and unset dates
// never sort as year 1.
type record map[string]any

// BleveType tells Bleve which document mapping applies.
func (record) BleveType() string { return docType }

// record maps d to its fields; without body, the stored body and
// FieldPlain are left out.
func (d *Document) record(body bool) record {
	r := record{}
	str := func(field, v string) {
		if v != "" {
			r[field] = v
		}
	}
	date := func(field string, t time.Time) {
		if !t.IsZero() {
			r[field] = t
		}
	}
	str(FieldTitle, d.Title)
	str(FieldShortTitle, ShortTitle(d.Title))
	if d.Title != "" {
		full, initials := pinyin.Of(d.Title)
		str(FieldTitlePinyin, full)
		str(FieldTitleInitials, initials)
	}
	str(FieldSummary, d.Summary)
	if body {
		str(FieldBody, d.Body)
		var plain []string
		for _, f := range []struct{ name, text string }{{FieldTitle, d.Title}, {FieldBody, d.Body}} {
			if f.text != "" && fold.Unchanged(f.text) {
				plain = append(plain, f.name)
			}
		}
		str(FieldPlain, strings.Join(plain, " "))
	}
	var text []string
	for _, v := range []string{d.Title, d.Keywords, d.Summary, d.Body, d.AttachmentText, docNoWords(d.DocNo), d.Organ} {
		if v != "" {
			// A separator pasted into a part (from a word processor) is a
			// line break there, bridged as any other.
			text = append(text, strings.ReplaceAll(v, gsetokenizer.PartSeparator, "\n"))
		}
	}
	// Joined so that no word or phrase reaches from one part into the
	// next (the title's last word and the summary's first); blank lines
	// inside the body are layout and do not end a word (履行\n\n职责).
	str(FieldText, strings.Join(text, gsetokenizer.PartSeparator))
	// The 机关代字 of the 文号 and the organ's name weigh as a 主题词 does:
	// a search for 国务院令 or for an organ finds its documents before those
	// that only mention it. The year, serial, 第 and 号 would weigh nothing
	// and make long lists that every search for them walks.
	var weigh []string
	for _, v := range []string{d.Keywords, catalogue.DocNoPrefix(d.DocNo), d.Organ} {
		if v != "" {
			weigh = append(weigh, v)
		}
	}
	str(FieldKeywords, strings.Join(weigh, gsetokenizer.PartSeparator))
	str(FieldIndexNo, d.IndexNo)
	str(FieldDocNo, d.DocNo)
	if d.DocNo != "" {
		str(FieldDocNoNorm, catalogue.NormalizeDocNo(d.DocNo))
		if sfx := catalogue.DocNoSuffixes(d.DocNo); len(sfx) > 0 {
			r[FieldDocNoSuffix] = sfx
		}
	}
	str(FieldOrgan, d.Organ)
	str(FieldCategory, d.Category)
	str(FieldTopic, d.Topic)
	str(FieldDocType, d.DocType)
	str(FieldValidity, d.Validity)
	if !d.FormedAt.IsZero() {
		r[FieldYear] = strconv.Itoa(d.FormedAt.Year())
	}
	year := ""
	if !d.FormedAt.IsZero() {
		year = strconv.Itoa(d.FormedAt.Year())
	}
	r[FieldFacets] = FacetTuple(d.Category, d.Topic, d.Organ, d.DocType, year)
	r[FieldOrder] = OrderKey(d.PublishedAt, d.FormedAt, d.ID)
	str(FieldStatus, d.Status)
	str(FieldAttribute, d.Attribute)
	str(FieldSection, d.Section)
	str(FieldKind, d.Kind)
	date(FieldFormedAt, d.FormedAt)
	date(FieldPublishedAt, d.PublishedAt)
	date(FieldUpdatedAt, d.UpdatedAt)
	date(FieldDueAt, d.DueAt)
	return r
}

// docNoWords is what the text field holds of a 文号: its 机关代字 and its
// year (法释 2024 of 法释〔2024〕4号), so that part of it finds the entry,
// but not its serial, 第 and 号, which every entry's 文号 has and which
// would make a search for a whole 文号 walk them all (the 文号 itself is
// found by FieldDocNoNorm and FieldDocNoSuffix).
func docNoWords(docNo string) string {
	prefix := catalogue.DocNoPrefix(docNo)
	if d, ok := catalogue.ParseDocNo(docNo); ok && d.Year > 0 {
		return strings.TrimSpace(prefix + " " + strconv.Itoa(d.Year))
	}
	return prefix
}
