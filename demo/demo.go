// Package demo bundles the sample catalogue that `gongkai serve --demo`
// loads into an empty data dir: three original agency documents (with
// their PDFs), three Shanghai notices, recent government work reports and
// about three hundred laws and regulations, all real text (ATTRIBUTION.md).
//
// The files are generated; rebuild them with
//
//	go run ./tools/corpusconv demo --corpus /work/shared/corpus --seeds /work/shared/seeds --out demo/
//
// Nothing here reads the corpus at run time.
package demo

import (
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"io/fs"
)

//go:embed catalogue.jsonl.gz files ATTRIBUTION.md
var embedded embed.FS

// FS holds the catalogue (Catalogue) and, under files/, the attachments its
// lines name. Attachment paths are relative to the catalogue, so import it
// with FS and the directory ".".
var FS fs.FS = embedded

// Catalogue is the name in FS of the catalogue: JSON Lines in the import
// format (CONTRACT.md), gzip-compressed. Open returns it uncompressed.
const Catalogue = "catalogue.jsonl.gz"

// Attribution credits the sources of the demo texts, in one line for a
// page footer or a log message.
const Attribution = "演示数据来自 github.com/LawRefBook/Laws（2f4c5c2）、github.com/aldohemsn/chinese-political-corpora（99bc4b0）、" +
	"github.com/zhiyao87/Shanghai-Gov-Docs-Index；法律、法规和国家机关的文件依《中华人民共和国著作权法》第五条第一项不适用著作权法。"

// Open returns the catalogue as uncompressed JSON Lines. Closing it
// releases the decompressor.
func Open() (io.ReadCloser, error) {
	f, err := FS.Open(Catalogue)
	if err != nil {
		return nil, fmt.Errorf("demo: open %s: %w", Catalogue, err)
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("demo: read %s: %w", Catalogue, err)
	}
	return &catalogueReader{zr: zr, f: f}, nil
}

type catalogueReader struct {
	zr *gzip.Reader
	f  fs.File
}

func (r *catalogueReader) Read(p []byte) (int, error) { return r.zr.Read(p) }

func (r *catalogueReader) Close() error {
	err := r.zr.Close()
	if ferr := r.f.Close(); err == nil {
		err = ferr
	}
	return err
}
