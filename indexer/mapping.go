package indexer

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"

	"gongkai/indexer/analysis/chinese"
)

// Analyzer names, for queries that name one.
const (
	IndexAnalyzer = chinese.IndexName // text fields are indexed with it
	QueryAnalyzer = chinese.QueryName // analyse what people type with it
)

// NewMapping returns the index mapping: one static document type with the
// fields above. The default mapping is disabled and nothing is dynamic, so a
// field not listed here is never indexed or stored.
func NewMapping() mapping.IndexMapping {
	doc := bleve.NewDocumentStaticMapping()

	text := func(stored bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = IndexAnalyzer
		f.Store = stored
		f.IncludeTermVectors = stored // positions and offsets: phrases and highlights
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	for _, name := range []string{FieldTitle, FieldSummary, FieldBody, FieldAttachments} {
		doc.AddFieldMappingsAt(name, text(true))
	}
	doc.AddFieldMappingsAt(FieldKeywords, text(false))

	exact := func(stored, docValues bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = stored
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = docValues
		return f
	}
	doc.AddFieldMappingsAt(FieldIndexNo, exact(true, false))
	doc.AddFieldMappingsAt(FieldDocNo, exact(true, false))
	doc.AddFieldMappingsAt(FieldDocNoNorm, exact(false, false))
	doc.AddFieldMappingsAt(FieldDocNoTail, exact(false, false))
	for _, name := range []string{
		FieldOrgan, FieldCategory, FieldTopic, FieldDocType, FieldValidity, FieldYear,
		FieldStatus, FieldAttribute, FieldSection,
	} {
		doc.AddFieldMappingsAt(name, exact(true, true))
	}

	for _, name := range []string{FieldFormedAt, FieldPublishedAt, FieldUpdatedAt} {
		f := bleve.NewDateTimeFieldMapping()
		f.IncludeInAll = false
		doc.AddFieldMappingsAt(name, f)
	}

	im := bleve.NewIndexMapping()
	im.DefaultMapping = bleve.NewDocumentDisabledMapping()
	im.AddDocumentMapping(docType, doc)
	im.DefaultAnalyzer = keyword.Name
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false
	return im
}
