package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"

	lpdf "github.com/ledongthuc/pdf"
)

// Bounds on the PDF object graph, against files built to loop or explode.
const (
	maxPageTreeNodes = 200_000 // page tree nodes visited
	maxPageTreeDepth = 64
	maxFormDepth     = 8   // form XObjects drawn inside form XObjects
	maxSavedStates   = 512 // q without Q
	checkEvery       = 1024
)

// pdfText writes the text of a PDF page by page. It parses the file with
// github.com/ledongthuc/pdf but interprets content streams itself, to follow
// the text position (a line break where the baseline moves) and to read
// fonts the way Chinese PDFs need (see fontDecoder). A page that fails to
// parse is skipped; the document fails only if no page gave text.
func pdfText(ctx context.Context, data []byte, w *textBuilder) error {
	data, err := preparePDF(data)
	if err != nil {
		return err
	}
	r, err := lpdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if errors.Is(err, lpdf.ErrInvalidPassword) || bytes.Contains(data, []byte("/Encrypt")) {
			return fmt.Errorf("%w: %v", ErrEncrypted, err)
		}
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	p := &pdfPages{ctx: ctx, w: w, fonts: map[string]glyphDecoder{}}
	if err := p.catch(func() { p.walk(r.Trailer().Key("Root").Key("Pages"), lpdf.Value{}, 0) }); err != nil {
		return err
	}
	if p.pages == 0 {
		return fmt.Errorf("%w: no pages", ErrCorrupt)
	}
	if p.pageErr != nil && w.Len() == 0 {
		return p.pageErr
	}
	return nil
}

// preparePDF mends what commonly stops the library before it starts: a
// version header it does not know (PDF 2.0) and bytes after the last %%EOF.
func preparePDF(data []byte) ([]byte, error) {
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		return nil, fmt.Errorf("%w: no %%PDF header", ErrCorrupt)
	}
	end := bytes.LastIndex(data, []byte("%%EOF"))
	if end < 0 {
		return nil, fmt.Errorf("%w: no %%%%EOF: the file is truncated", ErrCorrupt)
	}
	data = data[:end+len("%%EOF")]
	if len(data) < 9 || !bytes.HasPrefix(data, []byte("%PDF-1.")) || data[7] < '0' || data[7] > '7' || data[8] != '\n' && data[8] != '\r' {
		// data is ours (read by Text), so it can be patched in place.
		copy(data, "%PDF-1.7\n")
	}
	if err := checkPDFNumbers(data); err != nil {
		return nil, err
	}
	return data, nil
}

// abort carries an error out of the library's interpreter callback.
type abort struct{ err error }

// pdfPages walks the page tree and extracts each page's text.
type pdfPages struct {
	ctx     context.Context
	w       *textBuilder
	fonts   map[string]glyphDecoder // by font dictionary, shared by pages
	nodes   int
	pages   int
	ops     int
	pageErr error // the first page's error, if a page failed
}

// catch runs f and turns an abort or a library panic into an error.
func (p *pdfPages) catch(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if a, ok := r.(abort); ok {
				err = a.err
				return
			}
			err = fmt.Errorf("%w: %v", ErrCorrupt, r)
		}
	}()
	f()
	return nil
}

// check stops the walk when the context is done or the text is full.
func (p *pdfPages) check() {
	p.ops++
	if p.ops%checkEvery != 0 {
		return
	}
	if err := p.ctx.Err(); err != nil {
		panic(abort{err})
	}
	if p.w.Full() {
		panic(abort{nil})
	}
}

// walk visits a page tree node, passing inherited resources down rather than
// following Parent links, which may loop.
func (p *pdfPages) walk(node, res lpdf.Value, depth int) {
	p.nodes++
	if depth > maxPageTreeDepth || p.nodes > maxPageTreeNodes {
		panic(abort{fmt.Errorf("%w: page tree too deep or too large", ErrCorrupt)})
	}
	if err := p.ctx.Err(); err != nil {
		panic(abort{err})
	}
	if r := node.Key("Resources"); r.Kind() == lpdf.Dict {
		res = r
	}
	kids := node.Key("Kids")
	if node.Key("Type").Name() == "Pages" || kids.Kind() == lpdf.Array {
		for i := range kids.Len() {
			if p.w.Full() {
				return
			}
			p.walk(kids.Index(i), res, depth+1)
		}
		return
	}
	if node.Kind() != lpdf.Dict {
		return
	}
	p.pages++
	p.w.Break()
	err := p.catch(func() {
		s := &textState{graphics: graphics{ctm: identity, th: 1}}
		p.content(node.Key("Contents"), res, s, 0)
	})
	switch {
	case p.ctx.Err() != nil:
		panic(abort{p.ctx.Err()})
	case err != nil && p.pageErr == nil:
		p.pageErr = err
	}
}

// matrix is a PDF transformation matrix [a b c d e f].
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m then n: the matrix that applies m, then n.
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func translate(x, y float64) matrix { return matrix{1, 0, 0, 1, x, y} }

// graphics is the part of the graphics state that q and Q save.
type graphics struct {
	ctm matrix
	dec glyphDecoder
	tfs float64 // font size
	tl  float64 // leading
	th  float64 // horizontal scale
}

// textState follows where text goes on one page.
type textState struct {
	graphics
	saved    []graphics
	tm, tlm  matrix
	started  bool
	lastY    float64
	lastSize float64
	gap      bool // a word gap from a TJ adjustment is pending
}

// content interprets a content stream (a page's or a form's). The text
// position only matters for its baseline: where it moves by half a line or
// more, a line ends.
func (p *pdfPages) content(strm, res lpdf.Value, s *textState, depth int) {
	local := map[string]glyphDecoder{} // this resource dictionary's fonts by name
	var args []lpdf.Value
	lpdf.Interpret(strm, func(stk *lpdf.Stack, op string) {
		p.check()
		args = popAll(stk, args[:0])
		num := func(i int) float64 {
			if i < len(args) {
				return args[i].Float64()
			}
			return 0
		}
		switch op {
		case "q":
			if len(s.saved) < maxSavedStates {
				s.saved = append(s.saved, s.graphics)
			}
		case "Q":
			if n := len(s.saved); n > 0 {
				s.graphics, s.saved = s.saved[n-1], s.saved[:n-1]
			}
		case "cm":
			if len(args) == 6 {
				s.ctm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}.mul(s.ctm)
			}
		case "BT":
			s.tm, s.tlm = identity, identity
		case "Tf":
			if len(args) == 2 {
				s.dec = p.font(res, args[0].Name(), local)
				s.tfs = num(1)
			}
		case "TL":
			s.tl = num(0)
		case "Tz":
			s.th = num(0) / 100
		case "Td", "TD":
			if op == "TD" {
				s.tl = -num(1)
			}
			s.tlm = translate(num(0), num(1)).mul(s.tlm)
			s.tm = s.tlm
		case "Tm":
			if len(args) == 6 {
				s.tlm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}
				s.tm = s.tlm
			}
		case "T*":
			s.nextLine()
		case "'", "\"":
			s.nextLine()
			if len(args) > 0 {
				p.show(s, args[len(args)-1].RawString())
			}
		case "Tj":
			if len(args) > 0 {
				p.show(s, args[0].RawString())
			}
		case "TJ":
			if len(args) == 0 {
				return
			}
			arr := args[0]
			for i := range arr.Len() {
				e := arr.Index(i)
				if e.Kind() == lpdf.String {
					p.show(s, e.RawString())
				} else if e.Float64() < -200 {
					// a gap of a fifth of an em or more is a word space
					s.gap = true
				}
			}
		case "Do":
			if len(args) == 1 && depth < maxFormDepth {
				p.form(res.Key("XObject").Key(args[0].Name()), res, s, depth)
			}
		}
	})
}

func (s *textState) nextLine() {
	s.tlm = translate(0, -s.tl).mul(s.tlm)
	s.tm = s.tlm
}

// form draws a form XObject: its own content with its own resources.
func (p *pdfPages) form(x, res lpdf.Value, s *textState, depth int) {
	if x.Kind() != lpdf.Stream || x.Key("Subtype").Name() != "Form" {
		return
	}
	if r := x.Key("Resources"); r.Kind() == lpdf.Dict {
		res = r
	}
	saved := s.graphics
	if m := x.Key("Matrix"); m.Len() == 6 {
		var fm matrix
		for i := range fm {
			fm[i] = m.Index(i).Float64()
		}
		s.ctm = fm.mul(s.ctm)
	}
	tm, tlm := s.tm, s.tlm
	p.content(x, res, s, depth+1)
	s.graphics, s.tm, s.tlm = saved, tm, tlm
}

// show writes the text of one string operand, after a line break if the
// baseline moved.
func (p *pdfPages) show(s *textState, raw string) {
	if s.dec == nil {
		return
	}
	trm := s.tm.mul(s.ctm)
	y := trm[5]
	size := math.Abs(s.tfs) * math.Hypot(trm[2], trm[3])
	if size == 0 || math.IsNaN(size) || math.IsInf(size, 0) {
		size = 1
	}
	if s.started {
		if math.Abs(y-s.lastY) > 0.5*max(size, s.lastSize) {
			p.w.SoftBreak()
		} else if s.gap {
			p.w.Space()
		}
	}
	s.gap = false
	s.started, s.lastY, s.lastSize = true, y, size
	p.w.WriteString(s.dec.Decode(raw))
}

// font returns the decoder of the font named in res, parsing each font
// dictionary once per document.
func (p *pdfPages) font(res lpdf.Value, name string, local map[string]glyphDecoder) glyphDecoder {
	if d, ok := local[name]; ok {
		return d
	}
	fd := res.Key("Font").Key(name)
	var d glyphDecoder = noText{}
	if fd.Kind() == lpdf.Dict {
		// The dictionary's text names its CMap and descendants by object
		// number, so equal text means the same decoding.
		key := fd.String()
		var ok bool
		if d, ok = p.fonts[key]; !ok {
			d = fontDecoder(fd)
			p.fonts[key] = d
		}
	}
	local[name] = d
	return d
}
