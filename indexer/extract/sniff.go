package extract

import (
	"mime"
	"path"
	"strings"

	"github.com/gabriel-vasile/mimetype"
)

// typesByExtension names the types the extension decides when the content
// alone does not: a DOCX is a zip, an HTML fragment is plain text.
var typesByExtension = map[string]string{
	".pdf":  TypePDF,
	".docx": TypeDOCX,
	".htm":  TypeHTML,
	".html": TypeHTML,
	".txt":  TypeText,
	".text": TypeText,
	".doc":  "application/msword",
	".wps":  "application/vnd.ms-works",
	".ofd":  "application/ofd",
}

// Sniff returns the media type of a file (without parameters) from its first
// bytes, and from the extension of name when the bytes are not conclusive
// (a bare zip or OLE container, unknown binary, or plain text named .html).
// head should be at least the first 3 KB of the file.
func Sniff(head []byte, name string) string {
	typ := mediaType(mimetype.Detect(head).String())
	ext := strings.ToLower(path.Ext(strings.ReplaceAll(name, `\`, "/")))
	byExt, known := typesByExtension[ext]
	if !known {
		return typ
	}
	switch {
	case genericType(typ):
		return byExt
	case typ == "application/x-ole-storage" && byExt != TypeDOCX:
		// A .docx in an OLE container is encrypted; keep the container type
		// so that the caller can say so.
		return byExt
	case typ == TypeText && byExt == TypeHTML:
		return TypeHTML
	}
	return typ
}

// genericType reports whether typ says too little to choose a reader.
func genericType(typ string) bool {
	switch typ {
	case "", "application/octet-stream", "application/zip":
		return true
	}
	return false
}

// mediaType returns the lower-case media type of a Content-Type value,
// without parameters.
func mediaType(contentType string) string {
	if t, _, err := mime.ParseMediaType(contentType); err == nil {
		return t
	}
	t, _, _ := strings.Cut(contentType, ";")
	return strings.ToLower(strings.TrimSpace(t))
}
