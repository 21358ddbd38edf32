package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Stats counts how the converted laws got their fields.
type Stats struct {
	Records    int
	OrganFrom  map[string]int
	DateFrom   map[string]int
	DocNos     int
	Published  int
	Effective  int
	Revised    int
	EmptyBody  int
	Duplicates int // lines the importer will see as the same entry as an earlier line
	Organs     map[string]int
}

// LawStats summarises a conversion.
func LawStats(conv []ConvertedLaw) Stats {
	s := Stats{OrganFrom: map[string]int{}, DateFrom: map[string]int{}, Organs: map[string]int{}}
	seen := map[string]bool{}
	for _, c := range conv {
		s.Records++
		s.OrganFrom[c.OrganFrom]++
		s.DateFrom[c.DateFrom]++
		s.Organs[c.Organ]++
		if c.DocNo != "" {
			s.DocNos++
		}
		if c.PublishedAt != "" {
			s.Published++
		}
		if c.EffectiveAt != "" {
			s.Effective++
		}
		if c.Validity == ValidityRevised {
			s.Revised++
		}
		if c.EmptyBody {
			s.EmptyBody++
		}
		// The importer's key: organ, title, formed_at and 文号.
		key := strings.Join([]string{c.Organ, c.Title, c.FormedAt, c.DocNo}, "\x00")
		if seen[key] {
			s.Duplicates++
		}
		seen[key] = true
	}
	return s
}

// Print writes the summary for a person reading the conversion's stderr.
func (s Stats) Print(w io.Writer) {
	fmt.Fprintf(w, "records: %d\n", s.Records)
	fmt.Fprintf(w, "organ: %s\n", counts(s.OrganFrom))
	fmt.Fprintf(w, "formed_at: %s\n", counts(s.DateFrom))
	fmt.Fprintf(w, "doc_no: %d, published_at: %d, effective_at: %d, 已修订: %d, empty body (history used): %d\n",
		s.DocNos, s.Published, s.Effective, s.Revised, s.EmptyBody)
	fmt.Fprintf(w, "distinct organs: %d (top: %s)\n", len(s.Organs), top(s.Organs, 8))
	if s.Duplicates > 0 {
		fmt.Fprintf(w, "lines repeating an earlier document (same organ, title, date, 文号; imported once): %d\n", s.Duplicates)
	}
}

func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || m[keys[i]] == m[keys[j]] && keys[i] < keys[j] })
	parts := make([]string, len(keys))
	for i, k := range keys {
		name := k
		if name == "" {
			name = "(none)"
		}
		parts[i] = fmt.Sprintf("%s %d", name, m[k])
	}
	return strings.Join(parts, ", ")
}

func top(m map[string]int, n int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || m[keys[i]] == m[keys[j]] && keys[i] < keys[j] })
	if len(keys) > n {
		keys = keys[:n]
	}
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
