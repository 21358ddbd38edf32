package width_test

import (
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"gongkai/indexer/analysis/width"
)

func TestFilter(t *testing.T) {
	for name, c := range map[string]struct{ in, want string }{
		"FullWidthLettersAndDigitsFold": {"ＡＢＣ１２３", "ABC123"},
		"FullWidthSignsFold":            {"（２０１９）", "(2019)"},
		"HalfWidthKatakanaWidens":       {"ｶﾀｶﾅ", "カタカナ"},
		"ChineseUnchanged":              {"政府信息公开", "政府信息公开"},
		"AsciiUnchanged":                {"abc123", "abc123"},
	} {
		t.Run(name, func(t *testing.T) {
			ts := analysis.TokenStream{{Term: []byte(c.in), Start: 3, End: 3 + len(c.in), Position: 2}}
			out := width.New().Filter(ts)
			if got := string(out[0].Term); got != c.want {
				t.Errorf("term %q folds to %q, want %q", c.in, got, c.want)
			}
			if out[0].Start != 3 || out[0].End != 3+len(c.in) || out[0].Position != 2 {
				t.Errorf("offsets or position changed: %+v", out[0])
			}
		})
	}
}

func TestRegistered(t *testing.T) {
	f, err := registry.NewCache().TokenFilterNamed(width.Name)
	if err != nil {
		t.Fatal(err)
	}
	out := f.Filter(analysis.TokenStream{{Term: []byte("１２号")}})
	if got := string(out[0].Term); got != "12号" {
		t.Errorf("registered filter gives %q, want 12号", got)
	}
}
