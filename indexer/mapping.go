package indexer

import (
	"fmt"
	"gongkai/indexer/analysis/pinyin"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/mapping"

	"gongkai/indexer/analysis/chinese"
)

// Analyzer names of the default analysis (AnalysisGSE), for queries that
// name one.
const (
	IndexAnalyzer = chinese.IndexName // text fields are indexed with it
	QueryAnalyzer = chinese.QueryName // analyse what people type with it
)

// Analysis is how the text fields of an index are analysed.
type Analysis string

// The analyses an index can be built with.
const (
	// AnalysisGSE cuts words with gse and the domain dictionary: the
	// product's analysis, and the default.
	AnalysisGSE Analysis = "gse"
	// AnalysisBigram is Bleve's built-in CJK analyzer (overlapping
	// character pairs, no dictionary, no traditional-to-simplified
	// folding): the baseline the benchmark and relevance suite compare
	// against.
	AnalysisBigram Analysis = "bigram"
)

// ParseAnalysis reads an analysis name; "" is the default, AnalysisGSE.
func ParseAnalysis(name string) (Analysis, error) {
	switch a := Analysis(name); a {
	case "":
		return AnalysisGSE, nil
	case AnalysisGSE, AnalysisBigram:
		return a, nil
	}
	return "", fmt.Errorf("indexer: unknown analysis %q (want %q or %q)", name, AnalysisGSE, AnalysisBigram)
}

// IndexAnalyzer returns the name of the analyzer text fields are indexed with.
func (a Analysis) IndexAnalyzer() string {
	if a == AnalysisBigram {
		return cjk.AnalyzerName
	}
	return IndexAnalyzer
}

// QueryAnalyzer returns the name of the analyzer for what people type.
func (a Analysis) QueryAnalyzer() string {
	if a == AnalysisBigram {
		return cjk.AnalyzerName
	}
	return QueryAnalyzer
}

// NewMapping returns the index mapping with the default analysis (gse).
func NewMapping() mapping.IndexMapping { return NewMappingFor(AnalysisGSE) }

// NewMappingFor returns the index mapping with the text fields analysed by
// a: one static document type with the fields above. The default mapping is
// disabled and nothing is dynamic, so a field not listed here is never
// indexed or stored.
func NewMappingFor(a Analysis) mapping.IndexMapping {
	doc := bleve.NewDocumentStaticMapping()

	text := func(stored, positions bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = a.IndexAnalyzer()
		f.Store = stored
		f.IncludeTermVectors = positions // for phrases
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	doc.AddFieldMappingsAt(FieldTitle, text(true, true))
	doc.AddFieldMappingsAt(FieldText, text(false, true))
	doc.AddFieldMappingsAt(FieldKeywords, text(false, false))
	for _, name := range []string{FieldSummary, FieldBody, FieldPlain} {
		f := bleve.NewTextFieldMapping()
		f.Index = false
		f.Store = true
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = false
		doc.AddFieldMappingsAt(name, f)
	}
	for _, name := range []string{FieldTitlePinyin, FieldTitleInitials} {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = pinyin.Name
		f.Store = false
		f.IncludeTermVectors = true // positions, for the phrase of grams
		f.IncludeInAll = false
		f.DocValues = false
		doc.AddFieldMappingsAt(name, f)
	}

	exact := func(stored, docValues bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = stored
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = docValues
		return f
	}
	doc.AddFieldMappingsAt(FieldShortTitle, exact(false, false))
	doc.AddFieldMappingsAt(FieldIndexNo, exact(true, false))
	doc.AddFieldMappingsAt(FieldDocNo, exact(true, false))
	doc.AddFieldMappingsAt(FieldDocNoNorm, exact(false, false))
	doc.AddFieldMappingsAt(FieldDocNoSuffix, exact(false, false))
	// Filters only: their facets come from FieldFacets.
	for _, name := range []string{FieldOrgan, FieldCategory, FieldTopic, FieldDocType, FieldValidity, FieldYear} {
		doc.AddFieldMappingsAt(name, exact(true, false))
	}
	doc.AddFieldMappingsAt(FieldFacets, exact(false, true))
	doc.AddFieldMappingsAt(FieldOrder, exact(false, true))
	// The staff index's status counts read doc values.
	for _, name := range []string{FieldStatus, FieldAttribute, FieldSection, FieldKind} {
		doc.AddFieldMappingsAt(name, exact(true, true))
	}

	// A date indexed is 16 terms (Bleve's numeric precision steps), each
	// a posting and, with doc values, a doc value too: index and keep doc
	// values only where a search uses them (Bleve makes doc values only of
	// indexed fields). 生成日期 filters ranges; feeds and the staff's
	// orders sort by updated and due dates; the date order reads
	// FieldOrder, and 发布日期 is only shown.
	date := func(indexed, docValues bool) *mapping.FieldMapping {
		f := bleve.NewDateTimeFieldMapping()
		f.Index = indexed
		f.IncludeInAll = false
		f.DocValues = docValues
		return f
	}
	doc.AddFieldMappingsAt(FieldFormedAt, date(true, false))
	doc.AddFieldMappingsAt(FieldPublishedAt, date(false, false))
	doc.AddFieldMappingsAt(FieldUpdatedAt, date(true, true))
	doc.AddFieldMappingsAt(FieldDueAt, date(true, true))

	// No _all field: every query names its fields, and Bleve would fill
	// it with every field not excluded by name from it, as FieldPairs,
	// added past the mapping, is not (with positions, which made a sixth
	// of an import's CPU).
	doc.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())

	im := bleve.NewIndexMapping()
	im.DefaultMapping = bleve.NewDocumentDisabledMapping()
	im.AddDocumentMapping(docType, doc)
	im.DefaultAnalyzer = keyword.Name
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false
	return im
}
