package extract

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
)

// The library sizes some allocations by numbers it reads from the file: the
// cross-reference table by /Size, /Index and the subsection headers of xref
// tables, row buffers by /W and /Columns. A few bytes claiming a billion
// objects would make it ask for gigabytes, which the runtime does not
// recover from, so those numbers are checked before it sees them. The
// dictionaries that hold them are never compressed, so the raw bytes do.
const (
	maxPDFObjects = 4 << 20
	maxXrefWidth  = 8
	maxColumns    = 1 << 16
)

func checkPDFNumbers(data []byte) error {
	objects := int64(min(maxPDFObjects, max(100_000, len(data))))
	if err := checkNumbers(data, "/Size", objects, false); err != nil {
		return err
	}
	if err := checkNumbers(data, "/Columns", maxColumns, false); err != nil {
		return err
	}
	// /W and /Index mean other things in fonts; check them in xref streams.
	for _, d := range dictsWith(data, "/XRef") {
		dict := data[d.from:d.to]
		if err := checkNumbers(dict, "/W", maxXrefWidth, false); err != nil {
			return err
		}
		if err := checkNumbers(dict, "/Index", objects, true); err != nil {
			return err
		}
	}
	if err := checkXrefTables(data, objects); err != nil {
		return err
	}
	return checkObjectStreams(data)
}

// checkNumbers checks the number or numbers after each occurrence of key;
// with sum, the limit applies to each pair's sum (start + count).
func checkNumbers(data []byte, key string, limit int64, sum bool) error {
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte(key))
		if j < 0 {
			return nil
		}
		i += j + len(key)
		if i < len(data) && isRegular(data[i]) {
			continue // a longer name, like /SizeX
		}
		nums := numbersAfter(data[i:])
		for k, v := range nums {
			if sum {
				if k%2 == 1 {
					continue
				}
				if k+1 < len(nums) {
					v += nums[k+1]
				}
			}
			if v < 0 || v > limit {
				return fmt.Errorf("%w: %s %d is out of range", ErrCorrupt, key, v)
			}
		}
	}
}

// checkXrefTables checks the subsection headers ("start count") of classic
// cross-reference tables.
func checkXrefTables(data []byte, objects int64) error {
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte("xref"))
		if j < 0 {
			return nil
		}
		start := i + j
		i = start + len("xref")
		if start > 0 && isRegular(data[start-1]) {
			continue // startxref
		}
		end := bytes.Index(data[i:], []byte("trailer"))
		if end < 0 {
			end = len(data) - i
		}
		for line := range bytes.Lines(data[i : i+end]) {
			f := bytes.Fields(line)
			if len(f) != 2 {
				continue
			}
			first, ok1 := parseUint(f[0])
			count, ok2 := parseUint(f[1])
			if ok1 && ok2 && first+count > objects {
				return fmt.Errorf("%w: xref subsection %d %d is out of range", ErrCorrupt, first, count)
			}
		}
	}
}

// numbersAfter reads the integer, or the array of integers, after a key.
func numbersAfter(b []byte) []int64 {
	b = bytes.TrimLeft(b, " \t\r\n\f\x00")
	array := len(b) > 0 && b[0] == '['
	if array {
		b = b[1:]
	}
	var nums []int64
	for len(nums) < 64 {
		b = bytes.TrimLeft(b, " \t\r\n\f\x00")
		k := 0
		for k < len(b) && (b[k] >= '0' && b[k] <= '9' || k == 0 && (b[k] == '-' || b[k] == '+')) {
			k++
		}
		if k == 0 {
			break
		}
		v, ok := parseInt(b[:k])
		if !ok {
			v = -1 // too long to be sane
		}
		nums = append(nums, v)
		b = b[k:]
		if !array {
			break
		}
	}
	return nums
}

func parseUint(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 15 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, true
}

func parseInt(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	v, ok := parseUint(b)
	if neg {
		v = -v
	}
	return v, ok
}

// isRegular reports whether c can be part of a PDF name or keyword.
func isRegular(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', '\f', 0, '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return false
	}
	return true
}

// checkObjectStreams guards against object streams that lead back to
// themselves, which send the library into unbounded recursion (a fatal
// stack overflow, not a panic): an object stream that is itself said to be
// inside an object stream, or whose dictionary refers to an object that is.
// It reads the cross-reference streams to learn which objects are
// compressed.
func checkObjectStreams(data []byte) error {
	compressed := map[int64]int64{} // object number → its object stream
	for _, dict := range dictsWith(data, "/XRef") {
		readXrefStream(data, dict, compressed)
	}
	if len(compressed) == 0 {
		return nil
	}
	for obj, strm := range compressed {
		if _, ok := compressed[strm]; ok {
			return fmt.Errorf("%w: object stream %d holding object %d is itself compressed", ErrCorrupt, strm, obj)
		}
	}
	for _, dict := range dictsWith(data, "/ObjStm") {
		for _, ref := range refsIn(data[dict.from:dict.to]) {
			if _, ok := compressed[ref]; ok {
				return fmt.Errorf("%w: an object stream refers to compressed object %d", ErrCorrupt, ref)
			}
		}
	}
	return nil
}

// span is a stream dictionary in data, from its "obj" to its "stream".
type span struct{ from, to int }

// dictsWith finds the dictionaries of streams whose type is typ.
func dictsWith(data []byte, typ string) []span {
	var spans []span
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte(typ))
		if j < 0 {
			return spans
		}
		at := i + j
		i = at + len(typ)
		if i < len(data) && isRegular(data[i]) {
			continue
		}
		from := max(0, at-4096)
		if k := bytes.LastIndex(data[from:at], []byte("obj")); k >= 0 {
			from += k
		}
		to := bytes.Index(data[i:], []byte("stream"))
		if to < 0 || to > 4096 {
			continue
		}
		spans = append(spans, span{from, i + to})
	}
}

// readXrefStream records the compressed objects of one cross-reference
// stream. Streams it cannot read are skipped: the library will not read them
// either.
func readXrefStream(data []byte, dict span, compressed map[int64]int64) {
	d := data[dict.from:dict.to]
	w := numbersOf(d, "/W")
	size := numbersOf(d, "/Size")
	if len(w) != 3 || len(size) != 1 {
		return
	}
	index := numbersOf(d, "/Index")
	if len(index) == 0 {
		index = []int64{0, size[0]}
	}
	body := data[dict.to+len("stream"):]
	body = bytes.TrimLeft(body, "\r\n")
	if end := bytes.Index(body, []byte("endstream")); end >= 0 {
		body = body[:end]
	}
	width := int(w[0] + w[1] + w[2])
	if width == 0 {
		return
	}
	var rows []byte
	if bytes.Contains(d, []byte("/FlateDecode")) {
		zr, err := zlib.NewReader(bytes.NewReader(body))
		if err != nil {
			return
		}
		rows, _ = io.ReadAll(io.LimitReader(zr, (size[0]+1)*int64(width+1)))
	} else {
		rows = body
	}
	if p := numbersOf(d, "/Predictor"); len(p) == 1 && p[0] >= 10 {
		rows = unpredictUp(rows, width)
	}
	for k := 0; k+1 < len(index); k += 2 {
		for n := range index[k+1] {
			if len(rows) < width {
				return
			}
			row := rows[:width]
			rows = rows[width:]
			typ := int64(1)
			if w[0] > 0 {
				typ = fieldValue(row[:w[0]])
			}
			if typ == 2 {
				compressed[index[k]+n] = fieldValue(row[w[0] : w[0]+w[1]])
			}
		}
	}
}

// unpredictUp undoes PNG "Up" prediction, the only one the library reads;
// rows with another filter end the data.
func unpredictUp(data []byte, width int) []byte {
	var out, prev []byte
	prev = make([]byte, width)
	for len(data) >= width+1 {
		if data[0] != 2 && data[0] != 0 {
			break
		}
		row := make([]byte, width)
		for i := range row {
			row[i] = data[1+i]
			if data[0] == 2 {
				row[i] += prev[i]
			}
		}
		out = append(out, row...)
		prev = row
		data = data[width+1:]
	}
	return out
}

func fieldValue(b []byte) int64 {
	var v int64
	for _, c := range b {
		v = v<<8 | int64(c)
	}
	return v
}

// numbersOf returns the numbers after the first key in a dictionary.
func numbersOf(d []byte, key string) []int64 {
	for i := 0; ; {
		j := bytes.Index(d[i:], []byte(key))
		if j < 0 {
			return nil
		}
		i += j + len(key)
		if i < len(d) && isRegular(d[i]) {
			continue
		}
		return numbersAfter(d[i:])
	}
}

// refsIn returns the object numbers of the references ("12 0 R") in b.
func refsIn(b []byte) []int64 {
	var refs []int64
	f := bytes.FieldsFunc(b, func(r rune) bool { return r < 0x80 && !isRegular(byte(r)) })
	for i := 2; i < len(f); i++ {
		if string(f[i]) != "R" {
			continue
		}
		if n, ok := parseUint(f[i-2]); ok {
			if _, ok := parseUint(f[i-1]); ok {
				refs = append(refs, n)
			}
		}
	}
	return refs
}
