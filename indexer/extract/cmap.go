package extract

import (
	"strings"
	"unicode/utf16"

	lpdf "github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// glyphDecoder turns the bytes of a PDF text-showing operator into text.
type glyphDecoder interface {
	Decode(raw string) string
}

// maxCMapCodes bounds the codes one ToUnicode CMap may define; a range like
// <0000> <FFFF> is legitimate, billions of entries are not.
const maxCMapCodes = 1 << 20

// fontDecoder chooses how to read the text of a font, in the order the PDF
// specification gives: its ToUnicode CMap; for CID fonts, a predefined
// Chinese CMap whose codes are GBK, Big5 or UTF-16; for simple fonts, their
// single-byte encoding. Fonts without any of these show glyph ids, which
// carry no text, and give nothing.
func fontDecoder(font lpdf.Value) glyphDecoder {
	composite := font.Key("Subtype").Name() == "Type0"
	if tu := font.Key("ToUnicode"); tu.Kind() == lpdf.Stream {
		if m := parseToUnicode(tu, font, composite); len(m.codes) > 0 {
			return m
		}
	}
	if composite {
		return predefinedCMap(font.Key("Encoding").Name())
	}
	f := lpdf.Font{V: font}
	return f.Encoder()
}

// predefinedCMap returns a decoder for the Adobe CMaps whose character codes
// are themselves a Chinese encoding, as older Chinese PDFs with unembedded
// fonts use them.
func predefinedCMap(name string) glyphDecoder {
	base := strings.TrimSuffix(strings.TrimSuffix(name, "-H"), "-V")
	switch {
	case strings.HasPrefix(base, "UniGB-UCS2"), strings.HasPrefix(base, "UniGB-UTF16"),
		strings.HasPrefix(base, "UniCNS-UCS2"), strings.HasPrefix(base, "UniCNS-UTF16"),
		strings.HasPrefix(base, "UniJIS-UCS2"), strings.HasPrefix(base, "UniJIS-UTF16"),
		strings.HasPrefix(base, "UniKS-UCS2"), strings.HasPrefix(base, "UniKS-UTF16"):
		return utf16Decoder{}
	case base == "GB-EUC", base == "GBpc-EUC", base == "GBK-EUC", base == "GBKp-EUC", base == "GBK2K":
		return multiByteDecoder{simplifiedchinese.GB18030}
	case base == "B5pc", base == "ETen-B5", base == "ETenms-B5", base == "HKscs-B5":
		return multiByteDecoder{traditionalchinese.Big5}
	}
	return noText{}
}

type utf16Decoder struct{}

func (utf16Decoder) Decode(raw string) string { return decodeUTF16BE(raw) }

type multiByteDecoder struct{ enc encoding.Encoding }

func (d multiByteDecoder) Decode(raw string) string {
	s, err := d.enc.NewDecoder().String(raw)
	if err != nil {
		return ""
	}
	return s
}

type noText struct{}

func (noText) Decode(string) string { return "" }

// toUnicode is a parsed ToUnicode CMap.
type toUnicode struct {
	space [4][]codeRange // codespace ranges by code length - 1
	width int            // code length when no codespace range matches
	codes map[string]string
}

// codeRange is a codespace range: each byte of a code lies between the
// bytes of lo and hi at the same position.
type codeRange struct{ lo, hi string }

func (r codeRange) contains(code string) bool {
	for i := 0; i < len(code); i++ {
		if code[i] < r.lo[i] || code[i] > r.hi[i] {
			return false
		}
	}
	return true
}

// parseToUnicode reads a ToUnicode CMap with the library's PostScript
// interpreter. A malformed CMap yields what was read before the damage.
func parseToUnicode(strm, font lpdf.Value, composite bool) (m *toUnicode) {
	m = &toUnicode{width: 1, codes: map[string]string{}}
	if composite {
		m.width = 2
	}
	defer func() {
		if p := recover(); p != nil {
			if _, ok := p.(abort); ok {
				panic(p)
			}
		}
	}()
	var args []lpdf.Value
	lpdf.Interpret(strm, func(stk *lpdf.Stack, op string) {
		args = popAll(stk, args[:0])
		switch op {
		case "findresource":
			// "/CIDInit /ProcSet findresource begin" needs some dictionary.
			stk.Push(font)
		case "endcodespacerange":
			for i := 0; i+1 < len(args); i += 2 {
				lo, hi := args[i].RawString(), args[i+1].RawString()
				if n := len(lo); n >= 1 && n <= 4 && len(hi) == n {
					m.space[n-1] = append(m.space[n-1], codeRange{lo, hi})
				}
			}
		case "endbfchar":
			for i := 0; i+1 < len(args) && len(m.codes) < maxCMapCodes; i += 2 {
				m.codes[args[i].RawString()] = unicodeText(args[i+1])
			}
		case "endbfrange":
			for i := 0; i+2 < len(args); i += 3 {
				m.addRange(args[i].RawString(), args[i+1].RawString(), args[i+2])
			}
		}
	})
	return m
}

// addRange adds the codes lo..hi. A string destination is the text of lo,
// its last UTF-16 unit counting up; an array lists each code's text.
func (m *toUnicode) addRange(lo, hi string, dst lpdf.Value) {
	if len(lo) == 0 || len(lo) > 4 || len(hi) != len(lo) {
		return
	}
	first, last := codeValue(lo), codeValue(hi)
	var base []uint16
	if dst.Kind() == lpdf.String {
		base = utf16Units(dst.RawString())
		if len(base) == 0 {
			return
		}
	}
	code := []byte(lo)
	for c := uint64(first); c <= uint64(last) && len(m.codes) < maxCMapCodes; c++ {
		i := int(c - uint64(first))
		putCode(code, uint32(c))
		switch {
		case base != nil:
			u := append([]uint16(nil), base...)
			u[len(u)-1] += uint16(i)
			m.codes[string(code)] = string(utf16.Decode(u))
		case dst.Kind() == lpdf.Array && i < dst.Len():
			m.codes[string(code)] = unicodeText(dst.Index(i))
		default:
			return
		}
	}
}

// Decode splits raw into codes by the codespace ranges and maps each one.
func (m *toUnicode) Decode(raw string) string {
	var b strings.Builder
	for len(raw) > 0 {
		n := m.codeLen(raw)
		if s, ok := m.codes[raw[:n]]; ok {
			b.WriteString(s)
		}
		raw = raw[n:]
	}
	return b.String()
}

func (m *toUnicode) codeLen(raw string) int {
	for n := 1; n <= 4 && n <= len(raw); n++ {
		for _, r := range m.space[n-1] {
			if r.contains(raw[:n]) {
				return n
			}
		}
	}
	return min(m.width, len(raw))
}

func codeValue(code string) uint32 {
	var v uint32
	for i := 0; i < len(code); i++ {
		v = v<<8 | uint32(code[i])
	}
	return v
}

func putCode(code []byte, v uint32) {
	for i := len(code) - 1; i >= 0; i-- {
		code[i] = byte(v)
		v >>= 8
	}
}

// unicodeText decodes a CMap destination string, which is UTF-16BE.
func unicodeText(v lpdf.Value) string { return decodeUTF16BE(v.RawString()) }

func utf16Units(s string) []uint16 {
	u := make([]uint16, len(s)/2)
	for i := range u {
		u[i] = uint16(s[2*i])<<8 | uint16(s[2*i+1])
	}
	return u
}

func decodeUTF16BE(s string) string {
	return string(utf16.Decode(utf16Units(s)))
}

// popAll empties the stack into args, bottom first.
func popAll(stk *lpdf.Stack, args []lpdf.Value) []lpdf.Value {
	n := stk.Len()
	for range n {
		args = append(args, stk.Pop())
	}
	for i, j := 0, len(args)-1; i < j; i, j = i+1, j-1 {
		args[i], args[j] = args[j], args[i]
	}
	return args
}
