package extract

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"gongkai/catalogue"
)

// MustReadFile returns a file from testdata.
func MustReadFile(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// MustText extracts a testdata file with the default limits.
func MustText(tb testing.TB, name string) Result {
	tb.Helper()
	res, err := Text(context.Background(), bytes.NewReader(MustReadFile(tb, name)), name, "", Limits{})
	if err != nil {
		tb.Fatalf("Text(%s): %v", name, err)
	}
	return res
}

// assertInOrder fails unless each phrase occurs in text after the previous.
func assertInOrder(tb testing.TB, text string, phrases ...string) {
	tb.Helper()
	rest := text
	for _, p := range phrases {
		i := strings.Index(rest, p)
		if i < 0 {
			if strings.Contains(text, p) {
				tb.Errorf("%q is out of order", p)
			} else {
				tb.Errorf("%q is missing from:\n%s", p, text)
			}
			continue
		}
		rest = rest[i+len(p):]
	}
}

func TestText(t *testing.T) {
	for name, tc := range map[string]struct {
		file    string
		typ     string
		phrases []string
	}{
		"PDFFromLibreOffice": {
			file: "seed000.pdf", typ: TypePDF,
			phrases: []string{
				"关于印发《市工业和信息化局政府信息主动公开工作制度》的通知",
				// Lines wrapped inside a sentence are joined again.
				"为进一步做好政府信息公开工作，结合我局工作实际，特制定《市工业和信息化局政府信息主动公开工作制度》，请认真贯彻执行。\n韶关市工业和信息化局\n2019 年 12 月 2 日",
				"为保障公民、法人和其他组织的知情权、参与权和监督权，建立公正透明的工业和信息化工作机制",
				"（二）受理和处理向本局提出的政府信息公开申请；\n（三）",
				"应当自信息形成或者变更之日起 20 个工作日内予以公开。",
				"十一、本制度由局政府信息公开工作领导小组办公室负责解释。",
			},
		},
		"PDFWithOwnerPasswordOnly": {
			file: "owner-aes128.pdf", typ: TypePDF,
			phrases: []string{"关于印发《市工业和信息化局政府信息主动公开工作制度》的通知", "请认真贯彻执行。", "市工业和信息化局政府信息主动公开工作制度"},
		},
		"DOCXParagraphsAndTable": {
			file: "seed000.docx", typ: TypeDOCX,
			phrases: []string{
				"关于印发《市工业和信息化局政府信息主动\n公开工作制度》的通知\n",
				"请认真贯彻执行。\n",
				"下列政府信息免予公开：\n序号 免予公开的情形\n一 属于国家秘密的；\n二 属于商业秘密或者公开可能导致商业秘密被泄露的；\n",
				"七 其他公开后可能危及国家安全、公共安全、经济安全和社会稳定的信息。\n前款第（二）、（三）所列政府信息",
				"十一、本制度由局政府信息公开工作领导小组办公室负\n责解释。",
			},
		},
		"TextInGBK": {
			file: "seed004-gbk.txt", typ: TypeText,
			phrases: []string{
				"首页>信息公开>业务频道>法规党建\n\n三亚市商务会展局信息公开制度",
				"第一章总则",
				"第二条我市商务系统向社会公开政府信息适用本规定。",
				"(二)受理和处理向本机关提出的政府信息公开申请;",
			},
		},
		"TextInUTF16WithBOM": {
			file: "seed000-utf16le.txt", typ: TypeText,
			phrases: []string{"关于印发《市工业和信息化局政府信息主动\n公开工作制度》的通知", "韶关市工业和信息化局\n\n2019 年 12 月 2 日", "负\n\n责解释。"},
		},
		"HTMLInGB2312": {
			file: "seed003-gbk.html", typ: TypeHTML,
			phrases: []string{
				"首页 > 信息公开\n南安市工信局主动公开政府信息处理流程细则\n为建立健全市工信局政府信息制作和发布机制",
				"一、制作类信息主动公开流程",
				"拟稿人在“南安市工信局发文处理单”上，依据《条例》规定，选择公文的公开属性",
			},
		},
	} {
		t.Run(name, func(t *testing.T) {
			res := MustText(t, tc.file)
			if res.ContentType != tc.typ {
				t.Errorf("ContentType = %q, want %q", res.ContentType, tc.typ)
			}
			if res.Truncated {
				t.Error("Truncated with default limits")
			}
			if !utf8.ValidString(res.Text) || strings.ContainsRune(res.Text, utf8.RuneError) {
				t.Error("text has invalid or replaced characters")
			}
			assertInOrder(t, res.Text, tc.phrases...)
		})
	}
}

func TestText_HTMLHidesScriptsAndStyles(t *testing.T) {
	res := MustText(t, "seed003-gbk.html")
	for _, hidden := range []string{"脚本里的字不应出现", "样式里的字不应出现", "统计代码", "请启用脚本", "font-family"} {
		if strings.Contains(res.Text, hidden) {
			t.Errorf("text contains %q from a script, style or noscript", hidden)
		}
	}
}

func TestText_HTMLJoinsWrappedChineseAndKeepsSpaces(t *testing.T) {
	page := "<html><body><p>政府信息\n  公开指南</p><p>Open\n government &amp; data</p><table><tr><td>序号</td><td>名称</td></tr></table><pre>第一行\n第二行</pre></body></html>"
	res, err := Text(context.Background(), strings.NewReader(page), "a.html", "", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := "政府信息公开指南\nOpen government & data\n序号 名称\n第一行\n第二行"
	if res.Text != want {
		t.Errorf("text = %q, want %q", res.Text, want)
	}
}

func TestText_Errors(t *testing.T) {
	ole := append([]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, make([]byte, 2048)...)
	for name, tc := range map[string]struct {
		data []byte
		file string
		want error
	}{
		"ErrEncryptedPDFWithUserPassword":  {MustReadFile(t, "encrypted-aes256.pdf"), "a.pdf", ErrEncrypted},
		"ErrEncryptedPDFWithAES256":        {MustReadFile(t, "owner-aes256.pdf"), "a.pdf", ErrEncrypted},
		"ErrCorruptTruncatedPDF":           {MustReadFile(t, "truncated.pdf"), "a.pdf", ErrCorrupt},
		"ErrCorruptGarbageNamedPDF":        {[]byte("这不是PDF文件，只是名字叫PDF。\x00\x01\x02"), "a.pdf", ErrCorrupt},
		"ErrCorruptPDFHeaderOnly":          {[]byte("%PDF-1.7\n%%EOF\n"), "a.pdf", ErrCorrupt},
		"ErrCorruptPDFHugeSize":            {[]byte("%PDF-1.4\ntrailer\n<</Size 9999999999/Root 1 0 R>>\nstartxref\n0\n%%EOF\n"), "a.pdf", ErrCorrupt},
		"ErrCorruptPDFSelfNestedObjStream": {selfNestedObjectStreamPDF(), "a.pdf", ErrCorrupt},
		"ErrCorruptZipNamedDOCX":           {mustZip(t, map[string]string{"hello.txt": "hi"}), "a.docx", ErrCorrupt},
		"ErrCorruptTruncatedDOCX":          {MustReadFile(t, "seed000.docx")[:3000], "a.docx", ErrCorrupt},
		"ErrCorruptBrokenDocumentXML":      {mustZip(t, map[string]string{"word/document.xml": "<w:document><w:body><w:p><w:t>半截"}), "a.docx", ErrCorrupt},
		"ErrEncryptedDOCX":                 {ole, "a.docx", ErrEncrypted},
		"ErrUnsupportedDOC":                {ole, "a.doc", ErrUnsupported},
		"ErrUnsupportedImage":              {[]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "scan.png", ErrUnsupported},
		"ErrUnsupportedUnknownBinary":      {[]byte{0, 1, 2, 3, 4, 5, 0xff, 0xfe}, "a.bin", ErrUnsupported},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Text(context.Background(), bytes.NewReader(tc.data), tc.file, "", Limits{})
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.file) {
				t.Errorf("err %q does not name the file", err)
			}
			if catalogue.ErrorCode(err) != catalogue.EINVALID {
				t.Errorf("code = %q, want %q", catalogue.ErrorCode(err), catalogue.EINVALID)
			}
			if msg := catalogue.ErrorMessage(err); !strings.Contains(msg, "附件") {
				t.Errorf("message %q is not the user-facing one", msg)
			}
		})
	}
}

func TestText_DeclaredTypeHelpsUnknownContent(t *testing.T) {
	// Without an extension and with an ambiguous zip, the declared type decides.
	res, err := Text(context.Background(), bytes.NewReader(MustReadFile(t, "seed000.docx")), "附件1", "application/zip", Limits{})
	if err != nil || res.ContentType != TypeDOCX {
		t.Fatalf("got %q, %v; want a DOCX sniffed from content", res.ContentType, err)
	}
	_, err = Text(context.Background(), strings.NewReader("\x00\x01binary"), "附件2", "application/pdf", Limits{})
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("err = %v, want ErrCorrupt from the declared PDF type", err)
	}
}

func TestText_Limits(t *testing.T) {
	pdf := MustReadFile(t, "seed000.pdf")
	full := MustText(t, "seed000.pdf").Text

	t.Run("ErrTooLarge", func(t *testing.T) {
		_, err := Text(context.Background(), bytes.NewReader(pdf), "a.pdf", "", Limits{MaxBytes: int64(len(pdf)) - 1})
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("err = %v, want ErrTooLarge", err)
		}
		if catalogue.ErrorCode(err) != catalogue.ETOOLARGE {
			t.Errorf("code = %q, want %q", catalogue.ErrorCode(err), catalogue.ETOOLARGE)
		}
	})
	t.Run("ExactlyMaxBytesIsRead", func(t *testing.T) {
		if _, err := Text(context.Background(), bytes.NewReader(pdf), "a.pdf", "", Limits{MaxBytes: int64(len(pdf))}); err != nil {
			t.Fatal(err)
		}
	})
	for _, file := range []string{"seed000.pdf", "seed000.docx", "seed004-gbk.txt", "seed003-gbk.html"} {
		t.Run("TruncatedAtMaxChars/"+file, func(t *testing.T) {
			whole := MustText(t, file).Text
			res, err := Text(context.Background(), bytes.NewReader(MustReadFile(t, file)), file, "", Limits{MaxChars: 100})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Truncated {
				t.Error("Truncated = false")
			}
			if n := utf8.RuneCountInString(res.Text); n > 100 || n < 90 {
				t.Errorf("got %d characters, want 90 to 100", n)
			}
			if !strings.HasPrefix(whole, res.Text) {
				t.Errorf("truncated text is not a prefix of the full text:\n%s", res.Text)
			}
		})
	}
	t.Run("NotTruncatedAtExactLength", func(t *testing.T) {
		res, err := Text(context.Background(), bytes.NewReader(pdf), "a.pdf", "", Limits{MaxChars: utf8.RuneCountInString(full)})
		if err != nil || res.Truncated || res.Text != full {
			t.Fatalf("Truncated = %v, err = %v, same text = %v", res.Truncated, err, res.Text == full)
		}
	})
}

// blockingReader blocks until release is closed, then reports EOF.
type blockingReader struct{ release chan struct{} }

func (b blockingReader) Read([]byte) (int, error) {
	<-b.release
	return 0, io.EOF
}

func TestText_Timeout(t *testing.T) {
	t.Run("ErrTimeoutOnBlockingReader", func(t *testing.T) {
		x := newExtractor(1)
		r := blockingReader{make(chan struct{})}
		defer close(r.release)
		start := time.Now()
		_, err := x.text(context.Background(), r, "a.txt", "", Limits{Timeout: 50 * time.Millisecond})
		if !errors.Is(err, ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want ErrTimeout and DeadlineExceeded", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("took %v", d)
		}
	})
	t.Run("ErrTimeoutOnEndlessContent", func(t *testing.T) {
		// A page of half a million operators that show nothing; the
		// interpreter must notice the deadline and free its slot.
		x := newExtractor(1)
		pdf := MustPDF(t, helvetica, nil, strings.Repeat("1 0 0 1 0 0 cm ", 500_000))
		_, err := x.text(context.Background(), bytes.NewReader(pdf), "a.pdf", "", Limits{Timeout: 20 * time.Millisecond})
		if !errors.Is(err, ErrTimeout) {
			t.Fatalf("err = %v, want ErrTimeout", err)
		}
		mustFreeSlot(t, x)
	})
	t.Run("CanceledByCaller", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		r := blockingReader{make(chan struct{})}
		defer close(r.release)
		time.AfterFunc(20*time.Millisecond, cancel)
		_, err := newExtractor(1).text(ctx, r, "a.txt", "", Limits{})
		if !errors.Is(err, context.Canceled) || errors.Is(err, ErrTimeout) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("ErrTimeoutWhenAllParsersAreStuck", func(t *testing.T) {
		x := newExtractor(1)
		stuck := blockingReader{make(chan struct{})}
		if _, err := x.text(context.Background(), stuck, "stuck.txt", "", Limits{Timeout: 10 * time.Millisecond}); !errors.Is(err, ErrTimeout) {
			t.Fatalf("first: err = %v, want ErrTimeout", err)
		}
		// The abandoned worker still holds the only slot.
		_, err := x.text(context.Background(), strings.NewReader("政府信息"), "a.txt", "", Limits{Timeout: 30 * time.Millisecond})
		if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "free parser") {
			t.Fatalf("second: err = %v, want ErrTimeout waiting for a parser", err)
		}
		close(stuck.release)
		mustFreeSlot(t, x)
	})
}

// mustFreeSlot waits until x can run an extraction again.
func mustFreeSlot(tb testing.TB, x *extractor) {
	tb.Helper()
	res, err := x.text(context.Background(), strings.NewReader("政府信息"), "a.txt", "", Limits{Timeout: 5 * time.Second})
	if err != nil || res.Text != "政府信息" {
		tb.Fatalf("after a timeout: %q, %v", res.Text, err)
	}
}
