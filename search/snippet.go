package search

import (
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search/highlight"
	htmlformat "github.com/blevesearch/bleve/v2/search/highlight/format/html"
	"github.com/blevesearch/bleve/v2/search/highlight/fragmenter/simple"
	simplehl "github.com/blevesearch/bleve/v2/search/highlight/highlighter/simple"
)

// SnippetHighlighter is the highlighter of result lists: Bleve's HTML
// highlighter (text escaped, matches in <mark>) with fragments short enough
// to scan, about two lines of Chinese text.
const SnippetHighlighter = "gongkai_snippet"

// snippetRunes is the length of one fragment in characters.
const snippetRunes = 90

func newSnippetHighlighter(_ map[string]any, cache *registry.Cache) (highlight.Highlighter, error) {
	formatter, err := cache.FragmentFormatterNamed(htmlformat.Name)
	if err != nil {
		return nil, err
	}
	return simplehl.NewHighlighter(simple.NewFragmenter(snippetRunes), formatter, " … "), nil
}

func init() {
	if err := registry.RegisterHighlighter(SnippetHighlighter, newSnippetHighlighter); err != nil {
		panic(err)
	}
}
