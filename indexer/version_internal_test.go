package indexer

import (
	"fmt"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/mapping"
)

func TestVersionMismatchRebuilds(t *testing.T) {
	dir := t.TempDir() + "/index"
	x, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	want, err := buildVersion()
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := x.Bleve().GetInternal(versionKey); string(got) != want || !strings.HasPrefix(want, fmt.Sprintf("v%d dict:", Version)) {
		t.Fatalf("new index records version %q, want %q", got, want)
	}
	if err := x.Index(t.Context(), Document{ID: "a", Title: "通知"}); err != nil {
		t.Fatal(err)
	}
	// As an index built by an older release would have it.
	if err := x.Bleve().SetInternal(versionKey, []byte("v0 dict:0000 mapping:0000")); err != nil {
		t.Fatal(err)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}

	x, err = Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if !x.NeedsRebuild() || !strings.Contains(x.RebuildReason(), "版本") {
		t.Errorf("NeedsRebuild %v, reason %q", x.NeedsRebuild(), x.RebuildReason())
	}
	if n, _ := x.Count(); n != 0 {
		t.Errorf("index of another version kept %d documents", n)
	}
	if got, _ := x.Bleve().GetInternal(versionKey); string(got) != want {
		t.Errorf("recreated index records version %q, want %q", got, want)
	}
}

func TestMappingHashSeesAChange(t *testing.T) {
	m := NewMapping()
	before, err := mappingHash(m)
	if err != nil {
		t.Fatal(err)
	}
	m.(*mapping.IndexMappingImpl).TypeMapping[docType].Properties[FieldBody].Fields[0].Store = false
	after, err := mappingHash(m)
	if err != nil {
		t.Fatal(err)
	}
	if before == after {
		t.Error("the mapping hash did not change when the body stopped being stored")
	}
	if again, _ := mappingHash(NewMapping()); again != before {
		t.Errorf("NewMapping hashes to %s, then %s", before, again)
	}
}
