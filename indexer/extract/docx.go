package extract

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// docxText writes the text of a Word document's main part in document order:
// a line per paragraph, table cells separated by spaces and a line per row.
// Text boxes come where they are anchored; for content with a fallback
// rendering (mc:AlternateContent) only the first choice is read, so nothing
// comes twice.
func docxText(ctx context.Context, data []byte, maxBytes int64, w *textBuilder) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	name := mainPart(zr)
	f := findZipFile(zr, name)
	if f == nil {
		return fmt.Errorf("%w: no %s", ErrCorrupt, name)
	}
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("%w: open %s: %v", ErrCorrupt, name, err)
	}
	defer rc.Close()

	// A small file can inflate enormously; markup does not count towards
	// MaxChars, so cap what we inflate as well.
	in := &capReader{r: rc, left: 10 * maxBytes}
	dec := xml.NewDecoder(in)
	var (
		stack    []string // local names of open elements
		skip     int      // depth inside an mc:Fallback
		inText   bool
		cellDeep int // open table cells
	)
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if w.Full() {
				return nil
			}
		}
		tok, err := dec.RawToken()
		if err == io.EOF {
			if len(stack) > 0 {
				return fmt.Errorf("%w: %s ends inside <%s>", ErrCorrupt, name, stack[len(stack)-1])
			}
			return nil
		}
		if err != nil {
			if errors.Is(err, ErrTooLarge) {
				return fmt.Errorf("%s inflates past %d bytes: %w", name, 10*maxBytes, ErrTooLarge)
			}
			return fmt.Errorf("%w: %s: %v", ErrCorrupt, name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			local := t.Name.Local
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			stack = append(stack, local)
			if skip > 0 || local == "Fallback" {
				skip++
				continue
			}
			switch local {
			case "t":
				inText = true
			case "tc":
				cellDeep++
			case "tab":
				if parent == "r" {
					w.WriteString("\t")
				}
			case "br", "cr":
				if parent == "r" {
					w.Break()
				}
			case "noBreakHyphen":
				w.WriteString("-")
			}
		case xml.EndElement:
			if len(stack) == 0 {
				return fmt.Errorf("%w: %s: unexpected </%s>", ErrCorrupt, name, t.Name.Local)
			}
			stack = stack[:len(stack)-1]
			if skip > 0 {
				skip--
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				if cellDeep > 0 {
					w.WriteString(" ")
				} else {
					w.Break()
				}
			case "tc":
				cellDeep--
				w.WriteString("\t")
			case "tr":
				w.Break()
			}
		case xml.CharData:
			if inText && skip == 0 {
				w.WriteString(string(t))
			}
		}
	}
}

// mainPart returns the name of the main document part from the package
// relationships, or the name Word always uses.
func mainPart(zr *zip.Reader) string {
	const fallback = "word/document.xml"
	f := findZipFile(zr, "_rels/.rels")
	if f == nil {
		return fallback
	}
	rc, err := f.Open()
	if err != nil {
		return fallback
	}
	defer rc.Close()
	var rels struct {
		Relationship []struct {
			Type   string `xml:",attr"`
			Target string `xml:",attr"`
		}
	}
	if err := xml.NewDecoder(io.LimitReader(rc, 1<<20)).Decode(&rels); err != nil {
		return fallback
	}
	for _, r := range rels.Relationship {
		if strings.HasSuffix(r.Type, "/officeDocument") {
			return strings.TrimPrefix(path.Clean("/"+r.Target), "/")
		}
	}
	return fallback
}

// findZipFile finds a part by name; zip tools disagree on case and slashes.
func findZipFile(zr *zip.Reader, name string) *zip.File {
	for _, f := range zr.File {
		if strings.EqualFold(strings.TrimPrefix(strings.ReplaceAll(f.Name, `\`, "/"), "/"), name) {
			return f
		}
	}
	return nil
}

// capReader fails with ErrTooLarge once more than left bytes are read.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var probe [1]byte
		if n, err := c.r.Read(probe[:]); n == 0 && err != nil {
			return 0, err // ended exactly at the cap
		}
		return 0, ErrTooLarge
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
