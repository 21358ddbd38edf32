// Package chinese registers the two Chinese analyzers of the catalogue in
// Bleve: one for indexing text fields and one for analysing what people
// type. Both fold traditional to simplified characters, full-width to
// half-width, and upper to lower case, so 國民經濟 finds 国民经济 and
// ＡＢＣ１２３ finds abc123.
package chinese

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/registry"

	"gongkai/indexer/analysis/gsetokenizer"
	"gongkai/indexer/analysis/t2s"
	"gongkai/indexer/analysis/width"
)

// Names the analyzers are registered under in Bleve.
const (
	IndexName = "gse_index" // words and their dictionary sub-words
	QueryName = "gse_query" // plain cuts, for query text
)

func build(tokenizer string, cache *registry.Cache) (analysis.Analyzer, error) {
	t2sFilter, err := cache.CharFilterNamed(t2s.Name)
	if err != nil {
		return nil, err
	}
	tok, err := cache.TokenizerNamed(tokenizer)
	if err != nil {
		return nil, err
	}
	widthFilter, err := cache.TokenFilterNamed(width.Name)
	if err != nil {
		return nil, err
	}
	lower, err := cache.TokenFilterNamed(lowercase.Name)
	if err != nil {
		return nil, err
	}
	return &analysis.DefaultAnalyzer{
		// t2s keeps byte lengths, so it can run on the text; width folding
		// does not, so it runs on the terms.
		CharFilters:  []analysis.CharFilter{t2sFilter},
		Tokenizer:    tok,
		TokenFilters: []analysis.TokenFilter{widthFilter, lower},
	}, nil
}

// IndexConstructor builds the index analyzer.
func IndexConstructor(config map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
	return build(gsetokenizer.Name, cache)
}

// QueryConstructor builds the query analyzer.
func QueryConstructor(config map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
	return build(gsetokenizer.QueryName, cache)
}

func init() {
	if err := registry.RegisterAnalyzer(IndexName, IndexConstructor); err != nil {
		panic(err)
	}
	if err := registry.RegisterAnalyzer(QueryName, QueryConstructor); err != nil {
		panic(err)
	}
}
