package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestStampPDFKeepsLengths(t *testing.T) {
	pdf := []byte("%PDF-1.6\n<</CreationDate(D:20261122034630Z')/ModDate(D:20261122034631Z')>>\n" +
		"trailer\n<</ID [ <C02E99C9764638BBC9B0FD42CA86D4DE>\n<C02E99C9764638BBC9B0FD42CA86D4DE> ]\n/DocChecksum /4B57DCF6E9B4BC003641F59C7C8D9E80\n>>\n")
	got := StampPDF(pdf, Day{2019, 12, 2}, []byte{0xab, 0xcd})
	if len(got) != len(pdf) {
		t.Fatalf("length changed from %d to %d: offsets would break", len(pdf), len(got))
	}
	for _, want := range []string{"/CreationDate(D:20191202000000Z')", "/ModDate(D:20191202000000Z')",
		"<ABCDABCDABCDABCDABCDABCDABCDABCD>", "/DocChecksum /ABCDABCDABCDABCDABCDABCDABCDABCD"} {
		if !bytes.Contains(got, []byte(want)) {
			t.Errorf("stamped PDF lacks %s:\n%s", want, got)
		}
	}
}

func TestFlatODTStyles(t *testing.T) {
	odt := string(FlatODT("关于印发<制度>的通知", []string{"各科室：", "为做好工作，制定本制度。", "韶关市工业和信息化局", "2019年12月2日", "第一章 总则"}))
	for _, want := range []string{
		`<text:p text:style-name="Title">关于印发&lt;制度&gt;的通知</text:p>`,
		`<text:p text:style-name="Body">为做好工作，制定本制度。</text:p>`,
		`<text:p text:style-name="Right">韶关市工业和信息化局</text:p>`,
		`<text:p text:style-name="Right">2019年12月2日</text:p>`,
		`<text:p text:style-name="Heading">第一章 总则</text:p>`,
	} {
		if !strings.Contains(odt, want) {
			t.Errorf("document lacks %s", want)
		}
	}
}

// TestRenderPDFIsReproducible renders twice with LibreOffice, when it is
// installed, and expects the same bytes.
func TestRenderPDFIsReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("renders with LibreOffice")
	}
	if _, err := exec.LookPath("soffice"); err != nil {
		t.Skip("LibreOffice not installed")
	}
	dir := t.TempDir()
	paras := []string{"各科室（局），局属各单位：", "为进一步做好政府信息公开工作，特制定本制度。", "2019年12月2日"}
	var pdfs [][]byte
	for _, name := range []string{"a.pdf", "b.pdf"} {
		out := filepath.Join(dir, name)
		if err := RenderPDF("通知", paras, Day{2019, 12, 2}, out); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte("%PDF-")) {
			t.Fatalf("%s is not a PDF", name)
		}
		pdfs = append(pdfs, data)
	}
	if !bytes.Equal(pdfs[0], pdfs[1]) {
		t.Error("two renderings of the same text differ")
	}
}
