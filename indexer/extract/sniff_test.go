package extract

import "testing"

func TestSniff(t *testing.T) {
	pdf := MustReadFile(t, "seed000.pdf")
	docx := MustReadFile(t, "seed000.docx")
	zip := mustZip(t, map[string]string{"a.txt": "x"})
	ole := append([]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, make([]byte, 600)...)
	for name, tc := range map[string]struct {
		head []byte
		file string
		want string
	}{
		"MagicBeatsExtension":     {pdf, "通知.txt", TypePDF},
		"DOCXFromContent":         {docx, "附件", TypeDOCX},
		"ZipNamedDOCX":            {zip, "制度.DOCX", TypeDOCX},
		"BinaryNamedPDF":          {[]byte{0, 1, 2, 3}, `C:\公开\制度.pdf`, TypePDF},
		"GBKTextIsText":           {MustReadFile(t, "seed004-gbk.txt"), "a", TypeText},
		"TextNamedHTMLIsHTML":     {[]byte("政府信息公开"), "page.htm", TypeHTML},
		"HTMLFromContent":         {MustReadFile(t, "seed003-gbk.html"), "page", TypeHTML},
		"OLENamedDOCStaysDOC":     {ole, "a.doc", "application/msword"},
		"OLENamedDOCXIsContainer": {ole, "a.docx", "application/x-ole-storage"},
		"UnknownBinary":           {[]byte{0, 1, 2, 3}, "a.bin", "application/octet-stream"},
	} {
		t.Run(name, func(t *testing.T) {
			if got := Sniff(tc.head, tc.file); got != tc.want {
				t.Errorf("Sniff = %q, want %q", got, tc.want)
			}
		})
	}
}
