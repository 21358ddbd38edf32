package chinese_test

import (
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/registry"

	"gongkai/indexer/analysis/chinese"
)

func TestRegisteredAnalyzersFold(t *testing.T) {
	c := registry.NewCache()
	for name, want := range map[string]string{
		chinese.IndexName: "政府信息公开 政府 政府信息 信息 信息公开 公开 abc123",
		chinese.QueryName: "政府信息公开 abc123",
	} {
		a, err := c.AnalyzerNamed(name)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, tok := range a.Analyze([]byte("政府信息公開，ＡＢＣ１２３")) {
			got = append(got, string(tok.Term))
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%s: %v, want %s", name, got, want)
		}
	}
}
