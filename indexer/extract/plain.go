package extract

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// plainText decodes a text file: UTF-8 or UTF-16 with a byte order mark,
// UTF-8 without one, and otherwise GB18030, the superset of GBK and GB2312
// that Chinese Windows writes as "ANSI".
func plainText(data []byte, w *textBuilder) error {
	s, err := decodeText(data)
	if err != nil {
		return err
	}
	w.WriteString(s)
	return nil
}

func decodeText(data []byte) (string, error) {
	var enc encoding.Encoding
	switch {
	case bytes.HasPrefix(data, []byte{0xef, 0xbb, 0xbf}):
		return string(data[3:]), nil
	case bytes.HasPrefix(data, []byte{0xff, 0xfe}):
		enc = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
	case bytes.HasPrefix(data, []byte{0xfe, 0xff}):
		enc = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
	case mostlyUTF8(data):
		return string(data), nil
	default:
		enc = simplifiedchinese.GB18030
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return "", fmt.Errorf("decode: %w: %v", ErrCorrupt, err)
	}
	return string(out), nil
}

// mostlyUTF8 reports whether data is UTF-8 with at most a few bad bytes (a
// file cut in the middle of a character, a stray byte). GBK text read as
// UTF-8 is nearly all bad sequences and almost no valid multi-byte ones.
func mostlyUTF8(data []byte) bool {
	var good, bad int
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			bad++
		} else {
			good++
		}
		i += size
	}
	return bad == 0 || bad*10 <= good
}
