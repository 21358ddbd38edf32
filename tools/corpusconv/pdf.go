package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"
)

// The seed attachments are rendered from their cleaned text: an ODF flat
// document (title centred, paragraphs indented two characters, signature
// and date right-aligned, A4 with GB/T 9704 margins) converted to PDF by
// LibreOffice, then stamped so that the same text gives the same bytes.

const fodtHeader = `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta><dc:title>%s</dc:title><dc:language>zh-CN</dc:language></office:meta>
<office:font-face-decls><style:font-face style:name="WenQuanYi Micro Hei" svg:font-family="&apos;WenQuanYi Micro Hei&apos;"/></office:font-face-decls>
<office:styles>
<style:default-style style:family="paragraph"><style:paragraph-properties fo:line-height="150%%"/><style:text-properties style:font-name="WenQuanYi Micro Hei" style:font-name-asian="WenQuanYi Micro Hei" fo:font-size="14pt" style:font-size-asian="14pt" fo:language="zh" fo:country="CN" style:language-asian="zh" style:country-asian="CN"/></style:default-style>
<style:style style:name="Title" style:family="paragraph"><style:paragraph-properties fo:text-align="center" fo:margin-bottom="0.6cm"/><style:text-properties fo:font-size="20pt" style:font-size-asian="20pt" fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
<style:style style:name="Heading" style:family="paragraph"><style:paragraph-properties fo:text-align="center" fo:margin-top="0.3cm" fo:margin-bottom="0.3cm"/><style:text-properties fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
<style:style style:name="Body" style:family="paragraph"><style:paragraph-properties fo:text-indent="28pt" fo:text-align="justify"/></style:style>
<style:style style:name="Right" style:family="paragraph"><style:paragraph-properties fo:text-align="end" fo:margin-right="28pt"/></style:style>
</office:styles>
<office:automatic-styles><style:page-layout style:name="A4"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="3.7cm" fo:margin-bottom="3.5cm" fo:margin-left="2.8cm" fo:margin-right="2.6cm"/></style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="A4"/></office:master-styles>
<office:body><office:text>
`

// FlatODT writes a document as an ODF flat text document.
func FlatODT(title string, paras []string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, fodtHeader, xmlText(title))
	fmt.Fprintf(&b, "<text:p text:style-name=\"Title\">%s</text:p>\n", xmlText(title))
	for i, p := range paras {
		style := "Body"
		switch {
		case reDateLine.MatchString(p) || i+1 < len(paras) && reDateLine.MatchString(paras[i+1]) && IsHeading(p):
			style = "Right" // the signature and its date
		case IsHeading(p):
			style = "Heading"
		}
		fmt.Fprintf(&b, "<text:p text:style-name=%q>%s</text:p>\n", style, xmlText(p))
	}
	b.WriteString("</office:text></office:body></office:document>\n")
	return b.Bytes()
}

func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// RenderPDF converts the document to PDF with LibreOffice (soffice on
// PATH) and writes it to out. The PDF's dates are set to day and its file
// identifier to a hash of the document, so reruns give identical files.
func RenderPDF(title string, paras []string, day Day, out string) error {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		return fmt.Errorf("render %s: LibreOffice is not installed (apt-get install libreoffice-writer-nogui fonts-wqy-microhei): %w", out, err)
	}
	tmp, err := os.MkdirTemp("", "corpusconv-pdf-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	odt := FlatODT(title, paras)
	src := filepath.Join(tmp, "doc.fodt")
	if err := os.WriteFile(src, odt, 0o644); err != nil {
		return err
	}
	// A private profile: another soffice running on the machine would
	// otherwise take the conversion over, or lock us out.
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(tmp, "profile"),
		"--headless", "--convert-to", "pdf:writer_pdf_Export", "--outdir", tmp, src)
	cmd.Env = append(os.Environ(), "HOME="+tmp)
	if outb, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("render %s: soffice: %w: %s", out, err, outb)
	}
	pdf, err := os.ReadFile(filepath.Join(tmp, "doc.pdf"))
	if err != nil {
		return fmt.Errorf("render %s: soffice wrote no PDF: %w", out, err)
	}
	sum := sha256.Sum256(odt)
	return os.WriteFile(out, StampPDF(pdf, day, sum[:16]), 0o644)
}

var (
	rePDFDate = regexp.MustCompile(`/(CreationDate|ModDate)\s*\(D:(\d{14})`)
	rePDFID   = regexp.MustCompile(`/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]`)
	// LibreOffice's checksum of the document changes with the export time.
	rePDFChecksum = regexp.MustCompile(`/DocChecksum\s*/([0-9A-Fa-f]+)`)
)

// StampPDF replaces the creation and modification times, the file
// identifier and the document checksum of a PDF with fixed values of the
// same length, so that the cross-reference offsets stay right.
func StampPDF(pdf []byte, day Day, id []byte) []byte {
	stamp := []byte(strings.ReplaceAll(day.String(), "-", "") + "000000")
	out := rePDFDate.ReplaceAllFunc(pdf, func(m []byte) []byte {
		i := bytes.Index(m, []byte("D:")) + 2
		r := append([]byte{}, m[:i]...)
		return append(r, stamp...)
	})
	hexID := strings.ToUpper(hex.EncodeToString(id))
	for _, re := range []*regexp.Regexp{rePDFID, rePDFChecksum} {
		out = re.ReplaceAllFunc(out, func(m []byte) []byte {
			sub := re.FindSubmatch(m)
			r := string(m)
			for _, old := range sub[1:] {
				r = strings.Replace(r, string(old), fit(hexID, len(old)), 1)
			}
			return []byte(r)
		})
	}
	return out
}

// fit repeats or cuts s to n bytes.
func fit(s string, n int) string {
	for utf8.RuneCountInString(s) < n {
		s += s
	}
	return s[:n]
}
