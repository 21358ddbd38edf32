package main

import "testing"

func TestLeadingTotal(t *testing.T) {
	for body, want := range map[string]struct {
		total int
		ok    bool
	}{
		`{"total":28,"page":1,"hits":[{"title":"x"}]}`: {28, true},
		`{"total": 0, "hits": []}` + "\n":              {0, true},
		`{"page":1,"total":28}`:                        {0, false}, // decoded whole instead
		`{"total":28,"page":1,"hits":[{"title":"x"`:    {0, false}, // cut short
		`{"total":"28"}`:                               {0, false},
		`[{"total":28}]`:                               {0, false},
		``:                                             {0, false},
	} {
		total, ok := leadingTotal([]byte(body))
		if total != want.total || ok != want.ok {
			t.Errorf("leadingTotal(%q) = %d, %v; want %d, %v", body, total, ok, want.total, want.ok)
		}
	}
}
