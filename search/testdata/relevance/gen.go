//go:build ignore

// Gen writes documents.jsonl.gz, the documents of the relevance suite: the
// laws listed in sources.tsv, converted from the shared corpus by
// tools/corpusconv exactly as `corpusconv laws` converts them for import,
// each with the id searches.json calls it by and the 索引号 a fresh import
// would allocate (the demo agency's code, the year of 生成日期, a serial per
// year in file order). Run it from the module root:
//
//	go run ./search/testdata/relevance/gen.go --corpus ../shared/corpus
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

const (
	dir        = "search/testdata/relevance"
	sourceBase = "https://github.com/LawRefBook/Laws/blob/2f4c5c2/"
	organCode  = "114402000070418252" // catalogue/settings.json: the demo agency
)

func main() {
	corpus := flag.String("corpus", "../shared/corpus", "the shared corpus directory")
	flag.Parse()
	if err := run(*corpus); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

type source struct{ id, path, title string }

func run(corpus string) error {
	sources, err := readSources(filepath.Join(dir, "sources.tsv"))
	if err != nil {
		return err
	}
	cmd := exec.Command("go", "run", "./tools/corpusconv", "laws", filepath.Join(corpus, "lawrefbook", "laws.jsonl.gz"))
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("corpusconv: %w", err)
	}
	bySource := map[string][]byte{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var r struct {
			SourceURL string `json:"source_url"`
		}
		line := append([]byte(nil), sc.Bytes()...)
		if err := json.Unmarshal(line, &r); err != nil {
			return err
		}
		p, err := url.PathUnescape(strings.TrimPrefix(r.SourceURL, sourceBase))
		if err != nil {
			return err
		}
		bySource[p] = line
	}
	if err := sc.Err(); err != nil {
		return err
	}

	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	serials := map[string]int{}
	for _, s := range sources {
		line, ok := bySource[s.path]
		if !ok {
			return fmt.Errorf("%s: %s is not in the corpus", s.id, s.path)
		}
		var r struct {
			Title    string `json:"title"`
			FormedAt string `json:"formed_at"`
			IndexNo  string `json:"index_no"`
		}
		if err := json.Unmarshal(line, &r); err != nil {
			return err
		}
		if r.Title != s.title {
			return fmt.Errorf("%s: converted title %q, sources.tsv says %q", s.id, r.Title, s.title)
		}
		if r.IndexNo != "" {
			return fmt.Errorf("%s: corpusconv now writes an index_no; update gen.go", s.id)
		}
		year := r.FormedAt[:4]
		serials[year]++
		head, err := json.Marshal(map[string]string{"id": s.id})
		if err != nil {
			return err
		}
		indexNo, err := json.Marshal(fmt.Sprintf("%s/%s-%05d", organCode, year, serials[year]))
		if err != nil {
			return err
		}
		// {"id":…,"index_no":…, then the record's own fields in corpusconv's order.
		fmt.Fprintf(zw, "%s,\"index_no\":%s,%s\n", head[:len(head)-1], indexNo, line[1:])
	}
	if err := zw.Close(); err != nil {
		return err
	}
	name := filepath.Join(dir, "documents.jsonl.gz")
	if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%s: %d documents, %d bytes\n", name, len(sources), buf.Len())
	return nil
}

func readSources(name string) ([]source, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var out []source
	seen := map[string]bool{}
	for n, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("%s:%d: want id, path and title separated by tabs", name, n+1)
		}
		if seen[f[0]] {
			return nil, fmt.Errorf("%s:%d: id %s given twice", name, n+1, f[0])
		}
		seen[f[0]] = true
		out = append(out, source{f[0], f[1], f[2]})
	}
	return out, nil
}
