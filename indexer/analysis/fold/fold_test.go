package fold_test

import (
	"testing"

	"gongkai/indexer/analysis/fold"
)

func TestAppend(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"政府信息公开", "政府信息公开"},
		{"乾隆年间", "乾隆年间"}, // t2s keeps 乾 in this phrase: it folds to itself
		{"國民經濟計劃", "国民经济计划"},
		{"GDP增长ＧＤＰ，ｇｄｐ１２", "gdp增长ｇｄｐ，ｇｄｐ１２"},
		{"éPM𠀀", "épm𠀀"},
	} {
		got := string(fold.Append([]byte("前"), c.in))
		if got != "前"+c.want {
			t.Errorf("Append(%q) = %q, want %q", c.in, got, "前"+c.want)
		}
		if want := c.in == c.want; fold.Unchanged(c.in) != want {
			t.Errorf("Unchanged(%q) = %v, want %v", c.in, !want, want)
		}
		if len(got) != len("前"+c.in) {
			t.Errorf("Append(%q) moved bytes: %d, want %d", c.in, len(got), len("前"+c.in))
		}
	}
}
