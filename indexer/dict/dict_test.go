package dict_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-ego/gse"

	"gongkai/indexer/dict"
)

// userWord is added the way staff words are, before the dictionary loads.
const userWord = "粤省事"

func TestMain(m *testing.M) {
	if err := dict.AddUserWords(dict.Word{Text: userWord}); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

func MustSegmenter(tb testing.TB) *gse.Segmenter {
	tb.Helper()
	seg, err := dict.Segmenter()
	if err != nil {
		tb.Fatal(err)
	}
	return seg
}

func cut(seg *gse.Segmenter, s string) []string {
	var out []string
	for _, c := range seg.Segment([]byte(s)) {
		out = append(out, c.Token().Text())
	}
	return out
}

func TestDomainWordsStayWhole(t *testing.T) {
	seg := MustSegmenter(t)
	words := dict.DomainWords()
	if len(words) < 300 {
		t.Fatalf("the domain dictionary has %d words, want a few hundred", len(words))
	}
	for _, w := range words {
		if got := cut(seg, w.Text); len(got) != 1 {
			t.Errorf("%s is cut into %v", w.Text, got)
		}
	}
}

func TestSegmenter(t *testing.T) {
	seg := MustSegmenter(t)
	for name, c := range map[string]struct {
		text string
		want []string
	}{
		"OrganNameIsOneWord":          {"韶关市工业和信息化局印发", []string{"韶关市", "工业和信息化局", "印发"}},
		"TermIsOneWord":               {"依申请公开的政府信息", []string{"依申请公开", "的", "政府信息"}},
		"LawShortNameIsOneWord":       {"依据个人信息保护法", []string{"依据", "个人信息保护法"}},
		"ShortTermDoesNotStealAChar":  {"公开办理", []string{"公开", "办理"}},
		"UserWordIsOneWord":           {"下载粤省事", []string{"下载", userWord}},
		"CommonWordsUseGseDictionary": {"提高政府工作的透明度", []string{"提高", "政府", "工作", "的", "透明度"}},
	} {
		t.Run(name, func(t *testing.T) {
			if got := cut(seg, c.text); strings.Join(got, "/") != strings.Join(c.want, "/") {
				t.Errorf("%s is cut into %v, want %v", c.text, got, c.want)
			}
		})
	}
}

func TestAddUserWordsAfterLoadFails(t *testing.T) {
	MustSegmenter(t)
	if err := dict.AddUserWords(dict.Word{Text: "数字政府"}); !errors.Is(err, dict.ErrLoaded) {
		t.Errorf("AddUserWords after load: got %v, want ErrLoaded", err)
	}
}

func TestFingerprintIsStable(t *testing.T) {
	a, err := dict.Fingerprint()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := dict.Fingerprint()
	if a == "" || a != b {
		t.Errorf("fingerprints %q and %q", a, b)
	}
}

func TestParseWords(t *testing.T) {
	t.Run("FormatsAccepted", func(t *testing.T) {
		got, err := dict.ParseWords("# comment\n\n\uFEFF营商环境\n一网通办 1000\n放管服 300 n\n工信局 nt\n")
		if err != nil {
			t.Fatal(err)
		}
		want := []dict.Word{{Text: "营商环境"}, {Text: "一网通办", Freq: 1000}, {Text: "放管服", Freq: 300, Pos: "n"}, {Text: "工信局", Pos: "nt"}}
		if len(got) != len(want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("word %d: got %+v, want %+v", i, got[i], want[i])
			}
		}
	})
	for name, c := range map[string]struct{ text, errPart string }{
		"ErrNotChinese":      {"营商环境\nAPP应用\n", "line 2"},
		"ErrTooManyFields":   {"营商环境 10 n extra", "line 1"},
		"ErrBadFrequency":    {"营商环境 lots n", "frequency"},
		"ErrFrequencyTooLow": {"营商环境 1", "below"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := dict.ParseWords(c.text)
			if err == nil || !strings.Contains(err.Error(), c.errPart) {
				t.Errorf("ParseWords(%q) error = %v, want one mentioning %q", c.text, err, c.errPart)
			}
		})
	}
}

// TestLoadsFromEmbeddedData builds this test binary with -trimpath, as a
// deployed binary is, and runs it in an empty directory with HOME, GOPATH
// and GOMODCACHE pointing to empty directories: no dictionary file can be
// found there, so the dictionary must come from the data embedded in the
// binary. The child also checks that gse's file loader does fail there.
func TestLoadsFromEmbeddedData(t *testing.T) {
	if os.Getenv("GONGKAI_DICT_CHILD") == "1" {
		embeddedChild(t)
		return
	}
	if testing.Short() {
		t.Skip("builds a test binary")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build the test binary with")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "dict.test")
	build := exec.Command(gobin, "test", "-c", "-trimpath", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	empty := filepath.Join(tmp, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	run := exec.Command(bin, "-test.run=^TestLoadsFromEmbeddedData$", "-test.v")
	run.Dir = empty
	run.Env = []string{"GONGKAI_DICT_CHILD=1", "HOME=" + empty, "GOPATH=" + empty, "GOMODCACHE=" + empty, "PATH=/nonexistent"}
	out, err := run.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestLoadsFromEmbeddedData") {
		t.Fatalf("child: %v\n%s", err, out)
	}
}

func embeddedChild(t *testing.T) {
	var files gse.Segmenter
	files.SkipLog = true
	if err := files.LoadDict(); err == nil {
		t.Fatal("gse found its dictionary files: this environment proves nothing")
	}
	seg := MustSegmenter(t)
	if n := seg.Dict.NumTokens(); n < 300000 {
		t.Errorf("dictionary has %d words, want the whole gse dictionary", n)
	}
	if got := cut(seg, "中华人民共和国政府信息公开条例"); len(got) != 1 {
		t.Errorf("cut into %v", got)
	}
}
