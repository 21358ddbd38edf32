package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
)

// MustPDF returns a minimal PDF with one page per content stream; each page
// has the font /F1 with the dictionary font (e.g. "<</Type/Font
// /Subtype/Type1/BaseFont/Helvetica>>"), and extra objects are appended as
// objects 4, 5, … for the font to refer to.
func MustPDF(tb testing.TB, font string, extra []string, contents ...string) []byte {
	tb.Helper()
	var b bytes.Buffer
	var offsets []int
	obj := func(body string) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), body)
	}
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	first := 4 + len(extra) // number of the first page object
	var kids bytes.Buffer
	for i := range contents {
		fmt.Fprintf(&kids, "%d 0 R ", first+2*i)
	}
	obj("<</Type/Catalog/Pages 2 0 R>>")
	obj(fmt.Sprintf("<</Type/Pages/Kids[%s]/Count %d>>", kids.String(), len(contents)))
	obj(font)
	for _, e := range extra {
		obj(e)
	}
	for i, c := range contents {
		obj(fmt.Sprintf("<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 3 0 R>>>>/Contents %d 0 R>>", first+2*i+1))
		obj(fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(c)+1, c))
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}

const helvetica = "<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>"

// selfNestedObjectStreamPDF returns a PDF whose cross-reference stream puts
// the page tree (object 3) inside object stream 3, i.e. inside itself.
func selfNestedObjectStreamPDF() []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n")
	catalog := b.Len()
	b.WriteString("1 0 obj\n<</Type/Catalog/Pages 3 0 R>>\nendobj\n")
	xref := b.Len()
	var rows bytes.Buffer
	row := func(typ byte, f2 uint32, f3 uint16) {
		rows.Write([]byte{typ, byte(f2 >> 24), byte(f2 >> 16), byte(f2 >> 8), byte(f2), byte(f3 >> 8), byte(f3)})
	}
	row(0, 0, 65535)
	row(1, uint32(catalog), 0)
	row(0, 0, 0)
	row(2, 3, 0)
	row(1, uint32(xref), 0)
	fmt.Fprintf(&b, "4 0 obj\n<</Type/XRef/Size 5/W[1 4 2]/Root 1 0 R/Length %d>>\nstream\n", rows.Len())
	b.Write(rows.Bytes())
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", xref)
	return b.Bytes()
}

// pdfText extracts a PDF built in a test.
func mustPDFText(tb testing.TB, pdf []byte) string {
	tb.Helper()
	res, err := Text(context.Background(), bytes.NewReader(pdf), "t.pdf", "", Limits{})
	if err != nil {
		tb.Fatalf("Text: %v", err)
	}
	return res.Text
}

func TestPDF_Layout(t *testing.T) {
	for name, tc := range map[string]struct {
		content string
		want    string
	}{
		"LineBreakWhereBaselineMoves":  {"BT /F1 12 Tf 72 700 Td (Hello world) Tj 0 -14 Td (second line) Tj ET", "Hello world\nsecond line"},
		"SameBaselineContinues":        {"BT /F1 12 Tf 72 700 Td (Hel) Tj 20 0 Td (lo) Tj ET", "Hello"},
		"TJGapIsASpace":                {"BT /F1 12 Tf 72 700 Td [(open)-400(data)-30(set)] TJ ET", "open dataset"},
		"QuoteMovesToNextLine":         {"BT /F1 12 Tf 14 TL 72 700 Td (one) Tj (two) ' ET", "one\ntwo"},
		"CTMPutsTextOnSameLine":        {"q 1 0 0 1 0 100 cm BT /F1 12 Tf 1 0 0 1 72 600 Tm (one) Tj ET Q BT /F1 12 Tf 1 0 0 1 90 700 Tm (line) Tj ET", "oneline"},
		"TextBeforeLibraryPanicIsKept": {"BT /F1 12 Tf 72 700 Td (kept) Tj ET begin", "kept"},
		"UnknownFontShowsNothing":      {"BT /F9 12 Tf 72 700 Td (lost) Tj /F1 12 Tf (found) Tj ET", "found"},
	} {
		t.Run(name, func(t *testing.T) {
			if got := mustPDFText(t, MustPDF(t, helvetica, nil, tc.content)); got != tc.want {
				t.Errorf("text = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestPDF_PagesInOrder(t *testing.T) {
	got := mustPDFText(t, MustPDF(t, helvetica, nil, "BT /F1 12 Tf (page one) Tj ET", "BT /F1 12 Tf (page two) Tj ET"))
	if got != "page one\npage two" {
		t.Errorf("text = %q", got)
	}
}

func TestPDF_ErrCorruptWhenNoPageParses(t *testing.T) {
	_, err := Text(context.Background(), bytes.NewReader(MustPDF(t, helvetica, nil, "begin")), "t.pdf", "", Limits{})
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("err = %v, want ErrCorrupt", err)
	}
}

func TestPDF_PDF20Header(t *testing.T) {
	pdf := MustPDF(t, helvetica, nil, "BT /F1 12 Tf (two point oh) Tj ET")
	copy(pdf, "%PDF-2.0")
	if got := mustPDFText(t, append(pdf, "trailing junk after the end"...)); got != "two point oh" {
		t.Errorf("text = %q", got)
	}
}

func TestPDF_Fonts(t *testing.T) {
	type0 := func(encoding string, toUnicode bool) string {
		f := "<</Type/Font/Subtype/Type0/BaseFont/SimSun/Encoding/" + encoding +
			"/DescendantFonts[<</Type/Font/Subtype/CIDFontType0/BaseFont/SimSun/CIDSystemInfo<</Registry(Adobe)/Ordering(GB1)/Supplement 2>>>>]"
		if toUnicode {
			f += "/ToUnicode 4 0 R"
		}
		return f + ">>"
	}
	cmap := func(body string) string {
		return fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(body), body)
	}
	const header = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Test def 1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
	const footer = "endcmap CMapName currentdict /CMap defineresource pop end end"
	for name, tc := range map[string]struct {
		font    string
		extra   []string
		content string
		want    string
	}{
		"ToUnicodeBfchar": {
			type0("Identity-H", true),
			[]string{cmap(header + "3 beginbfchar <0001> <653F> <0002> <5E9C> <0003> <D840DC00> endbfchar\n" + footer)},
			"BT /F1 12 Tf <000100020003> Tj ET", "政府\U00020000",
		},
		"ToUnicodeBfrangeString": {
			type0("Identity-H", true),
			[]string{cmap(header + "1 beginbfrange <0010> <0012> <516C> endbfrange\n" + footer)},
			"BT /F1 12 Tf <001000110012> Tj ET", "公六兮",
		},
		"ToUnicodeBfrangeArray": {
			type0("Identity-H", true),
			[]string{cmap(header + "1 beginbfrange <0020> <0021> [<516C> <5F00>] endbfrange\n" + footer)},
			"BT /F1 12 Tf <00200021> Tj ET", "公开",
		},
		"ToUnicodeMixedCodeLengths": {
			type0("Identity-H", true),
			[]string{cmap("/CIDInit /ProcSet findresource begin 12 dict begin begincmap 2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange\n" +
				"2 beginbfchar <41> <0041> <B9AB> <516C> endbfchar\n" + footer)},
			"BT /F1 12 Tf <41B9AB41> Tj ET", "A公A",
		},
		"PredefinedGBKCMap": {
			type0("GBK-EUC-H", false), nil,
			"BT /F1 12 Tf <D5FEB8AED0C5CFA2B9ABBFAA> Tj ET", "政府信息公开",
		},
		"PredefinedUCS2CMap": {
			type0("UniGB-UCS2-H", false), nil,
			"BT /F1 12 Tf <653F5E9C> Tj ET", "政府",
		},
		"IdentityWithoutToUnicodeGivesNothing": {
			type0("Identity-H", false), nil,
			"BT /F1 12 Tf <00010002> Tj ET", "",
		},
	} {
		t.Run(name, func(t *testing.T) {
			if got := mustPDFText(t, MustPDF(t, tc.font, tc.extra, tc.content)); got != tc.want {
				t.Errorf("text = %q, want %q", got, tc.want)
			}
		})
	}
}

func BenchmarkPDF(b *testing.B) {
	pdf := MustReadFile(b, "seed000.pdf")
	b.SetBytes(int64(len(pdf)))
	for b.Loop() {
		if _, err := Text(context.Background(), bytes.NewReader(pdf), "seed000.pdf", "", Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}
