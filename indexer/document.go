package indexer

import (
	"strconv"
	"time"

	"gongkai/catalogue"
	"gongkai/indexer/analysis/pinyin"
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
	// Chinese text, analysed with IndexAnalyzer; all but keywords are
	// stored with term vectors, for highlighting and phrase queries.
	FieldTitle       = "title"
	FieldSummary     = "summary"
	FieldBody        = "body"
	FieldAttachments = "attachments" // text extracted from the attachments
	FieldKeywords    = "keywords"    // 主题词: indexed only
	// The title's pinyin, in full and as initials, cut into grams for
	// substring matching (package pinyin): indexed only.
	FieldTitlePinyin   = "title_py"
	FieldTitleInitials = "title_pyi"

	// Exact values (keyword fields).
	FieldIndexNo   = "index_no"    // 索引号 as written
	FieldDocNo     = "doc_no"      // 发文字号 as written
	FieldDocNoNorm = "doc_no_norm" // catalogue.NormalizeDocNo(doc_no): indexed only
	FieldDocNoTail = "doc_no_tail" // 〔year〕serial号 without the organ prefix: indexed only

	// Facets and filters (keyword fields with doc values).
	FieldOrgan    = "organ"
	FieldCategory = "category"
	FieldTopic    = "topic"
	FieldDocType  = "doc_type"
	FieldValidity = "validity"
	FieldYear     = "year" // year of formed_at, e.g. "2019"
	// FieldFacets holds the five facet values of a document in one
	// doc-values field, each behind its FacetPrefix, so computing facets
	// decodes one doc-value chunk per hit instead of five.
	FieldFacets    = "facets"
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

// The prefixes of the values in FieldFacets.
const (
	FacetCategory = "c:"
	FacetTopic    = "t:"
	FacetOrgan    = "o:"
	FacetDocType  = "d:"
	FacetYear     = "y:"
)

// docType is the one document type of the mapping; anything else falls to
// the disabled default mapping and is not indexed.
const docType = "entry"

// record is a Document as Bleve indexes it: derived fields filled in, empty
// values left out so that facets never show an empty value and unset dates
// never sort as year 1.
type record map[string]any

// BleveType tells Bleve which document mapping applies.
func (record) BleveType() string { return docType }

func (d *Document) record() record {
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
	if d.Title != "" {
		full, initials := pinyin.Of(d.Title)
		str(FieldTitlePinyin, full)
		str(FieldTitleInitials, initials)
	}
	str(FieldSummary, d.Summary)
	str(FieldBody, d.Body)
	str(FieldAttachments, d.AttachmentText)
	str(FieldKeywords, d.Keywords)
	str(FieldIndexNo, d.IndexNo)
	str(FieldDocNo, d.DocNo)
	if d.DocNo != "" {
		str(FieldDocNoNorm, catalogue.NormalizeDocNo(d.DocNo))
		if n, ok := catalogue.ParseDocNo(d.DocNo); ok && !n.IsOrder() {
			n.Prefix = ""
			str(FieldDocNoTail, n.String())
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
	var facets []string
	for _, fv := range []struct{ prefix, v string }{
		{FacetCategory, d.Category}, {FacetTopic, d.Topic}, {FacetOrgan, d.Organ}, {FacetDocType, d.DocType},
	} {
		if fv.v != "" {
			facets = append(facets, fv.prefix+fv.v)
		}
	}
	if !d.FormedAt.IsZero() {
		facets = append(facets, FacetYear+strconv.Itoa(d.FormedAt.Year()))
	}
	if len(facets) > 0 {
		r[FieldFacets] = facets
	}
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
