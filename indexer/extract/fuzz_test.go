package extract

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// fuzzText checks what Text promises for any input: no panic reaching the
// worker, no hang, only the documented errors, valid UTF-8.
func fuzzText(t *testing.T, data []byte, name string) {
	res, err := Text(context.Background(), bytes.NewReader(data), name, "", Limits{Timeout: 5 * time.Second, MaxChars: 10_000})
	switch {
	case err == nil:
	case errors.Is(err, ErrTimeout):
		t.Fatalf("hang: %v", err)
	case strings.Contains(err.Error(), "parser panic"):
		t.Fatalf("panic outside the parser's own recovery: %v", err)
	case !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrEncrypted) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrTooLarge):
		t.Fatalf("undocumented error: %v", err)
	}
	if !utf8.ValidString(res.Text) {
		t.Fatalf("invalid UTF-8: %q", res.Text)
	}
}

func FuzzPDF(f *testing.F) {
	f.Add(MustPDF(f, helvetica, nil, "BT /F1 12 Tf 72 700 Td [(Hello)-300(world)] TJ 0 -14 Td (line) Tj ET"))
	f.Add(MustPDF(f, "<</Type/Font/Subtype/Type0/Encoding/Identity-H/ToUnicode 4 0 R>>",
		[]string{"<</Length 120>>\nstream\n/CIDInit /ProcSet findresource begin 1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <0001> <0003> <653F> endbfrange end\nendstream"},
		"BT /F1 12 Tf <000100020003> Tj ET"))
	f.Add(MustPDF(f, "<</Type/Font/Subtype/Type0/Encoding/GBK-EUC-H>>", nil, "q 1 0 0 1 0 100 cm BT /F1 12 Tf <D5FEB8AE> Tj ET Q"))
	f.Add(selfNestedObjectStreamPDF())
	f.Add(MustReadFile(f, "truncated.pdf")[:2000])
	f.Fuzz(func(t *testing.T, data []byte) { fuzzText(t, data, "f.pdf") })
}

func FuzzDOCX(f *testing.F) {
	f.Add(MustReadFile(f, "seed000.docx"))
	f.Add(mustZip(f, map[string]string{
		"_rels/.rels":       `<Relationships><Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml": `<w:document><w:body><w:p><w:r><w:t>政府</w:t><w:tab/><w:t>信息</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>公开</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>`,
	}))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzText(t, data, "f.docx") })
}
