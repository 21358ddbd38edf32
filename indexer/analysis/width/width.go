// Package width is a Bleve token filter that folds full-width letters,
// digits and signs to their ordinary (half-width) forms, so that ＡＢＣ１２３
// and ABC123 are the same term. It works on terms, not on the text, because
// folding changes byte lengths and token offsets must stay those of the
// original text.
package width

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/width"
)

// Name is the name the token filter is registered under in Bleve.
const Name = "gongkai_width"

// Filter folds full-width and half-width variants to their canonical width.
type Filter struct{}

// New returns the filter.
func New() *Filter { return &Filter{} }

// Filter folds each token's term in place.
func (f *Filter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, t := range input {
		if needsFold(t.Term) {
			t.Term = width.Fold.Bytes(t.Term)
		}
	}
	return input
}

// needsFold reports whether term holds a character from the halfwidth and
// fullwidth forms block (U+FF00–U+FFEF) or the ideographic space: the only
// characters width.Fold changes that tokens can contain. Checking first
// spares an allocation for nearly every term.
func needsFold(term []byte) bool {
	for i := 0; i < len(term); {
		if term[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(term[i:])
		if (r >= 0xFF00 && r <= 0xFFEF) || r == 0x3000 {
			return true
		}
		i += size
	}
	return false
}

// Constructor builds the filter for Bleve's registry.
func Constructor(config map[string]interface{}, cache *registry.Cache) (analysis.TokenFilter, error) {
	return New(), nil
}

func init() {
	if err := registry.RegisterTokenFilter(Name, Constructor); err != nil {
		panic(err)
	}
}
