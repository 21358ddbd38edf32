package extract

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// hiddenElements hold no text a reader sees.
var hiddenElements = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Title: true, atom.Svg: true, atom.Math: true, atom.Iframe: true,
	atom.Object: true, atom.Noembed: true, atom.Noframes: true,
}

// blockElements end a line where they start and where they end.
var blockElements = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Br: true, atom.Caption: true, atom.Dd: true, atom.Div: true, atom.Dl: true,
	atom.Dt: true, atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true,
	atom.Footer: true, atom.Form: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Header: true, atom.Hr: true,
	atom.Li: true, atom.Main: true, atom.Nav: true, atom.Ol: true, atom.P: true,
	atom.Pre: true, atom.Section: true, atom.Table: true, atom.Tr: true, atom.Ul: true,
	atom.Body: true, atom.Html: true,
}

// htmlText writes the visible text of an HTML page: no scripts, styles or
// title, a line per block, cells separated by spaces.
func htmlText(ctx context.Context, data []byte, contentType string, w *textBuilder) error {
	z := html.NewTokenizer(htmlDecoder(data, contentType).Reader(bytes.NewReader(data)))
	var hidden atom.Atom // the hidden element we are inside, if any
	depth := 0           // nesting of that element in itself
	pre := 0
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if w.Full() {
				return nil
			}
		}
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if err := z.Err(); err != io.EOF {
				return fmt.Errorf("%w: %v", ErrCorrupt, err)
			}
			return nil
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if hidden != 0 {
				if a == hidden && tt == html.StartTagToken {
					depth++
				} else if a == hidden && tt == html.EndTagToken {
					if depth--; depth == 0 {
						hidden = 0
					}
				}
				continue
			}
			switch {
			case hiddenElements[a] && tt == html.StartTagToken:
				hidden, depth = a, 1
			case a == atom.Td || a == atom.Th:
				w.WriteString(" ")
			case a == atom.Br:
				w.Break()
			case blockElements[a]:
				w.EndLine()
				if a == atom.Pre && tt == html.StartTagToken {
					pre++
				} else if a == atom.Pre && tt == html.EndTagToken && pre > 0 {
					pre--
				}
			}
		case html.TextToken:
			if hidden != 0 {
				continue
			}
			text := string(z.Text())
			if pre > 0 {
				w.WriteString(text)
				continue
			}
			writeCollapsed(w, text)
		}
	}
}

// writeCollapsed writes HTML text with its whitespace collapsed as a browser
// would: a run with a line break in it is a soft space (nothing between two
// Chinese characters), other runs are one space.
func writeCollapsed(w *textBuilder, text string) {
	for len(text) > 0 {
		i := strings.IndexAny(text, " \t\n\r\f")
		if i < 0 {
			w.WriteString(text)
			return
		}
		w.WriteString(text[:i])
		j := i
		for j < len(text) && strings.IndexByte(" \t\n\r\f", text[j]) >= 0 {
			j++
		}
		if strings.ContainsAny(text[i:j], "\n\r") {
			w.Space()
		} else {
			w.WriteString(" ")
		}
		text = text[j:]
	}
}

// htmlDecoder picks the page's encoding from its BOM, the declared content
// type or a <meta> charset. Undeclared pages are UTF-8 if they decode as
// such and GB18030 otherwise, as are pages that claim UTF-8 but are not: both
// are common on Chinese government sites.
func htmlDecoder(data []byte, contentType string) *encoding.Decoder {
	enc, name, certain := charset.DetermineEncoding(data, contentType)
	undeclared := name == "windows-1252" && !certain // DetermineEncoding's fallback
	switch {
	case (undeclared || name == "utf-8") && mostlyUTF8(data):
		return unicode.UTF8.NewDecoder()
	case undeclared, name == "utf-8", name == "gbk", name == "gb18030":
		return simplifiedchinese.GB18030.NewDecoder()
	}
	return enc.NewDecoder()
}
