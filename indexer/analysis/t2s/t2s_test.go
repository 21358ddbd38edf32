package t2s_test

import (
	"testing"
	"unsafe"

	"github.com/blevesearch/bleve/v2/registry"

	"gongkai/indexer/analysis/t2s"
)

func MustFilter(tb testing.TB) *t2s.CharFilter {
	tb.Helper()
	f, err := t2s.New()
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

func TestFilter(t *testing.T) {
	f := MustFilter(t)
	for name, c := range map[string]struct{ in, want string }{
		"TraditionalBecomesSimplified": {"中華人民共和國政府信息公開條例", "中华人民共和国政府信息公开条例"},
		"MixedTextKeepsTheRest":        {"第十二條 ＡＢＣ abc 2019年國民經濟", "第十二条 ＡＢＣ abc 2019年国民经济"},
		"PhraseTableApplies":           {"乾隆年間的乾燥天氣", "乾隆年间的干燥天气"},
		"SimplifiedUnchanged":          {"依申请公开的政府信息", "依申请公开的政府信息"},
		"EmptyUnchanged":               {"", ""},
	} {
		t.Run(name, func(t *testing.T) {
			got := string(f.Filter([]byte(c.in)))
			if got != c.want {
				t.Errorf("Filter(%q) = %q, want %q", c.in, got, c.want)
			}
			if len(got) != len(c.in) {
				t.Errorf("Filter changed the length: %d bytes, was %d", len(got), len(c.in))
			}
		})
	}
}

func TestFilterSimplifiedTextIsNotCopied(t *testing.T) {
	f := MustFilter(t)
	in := []byte("为了保障公民、法人和其他组织依法获取政府信息，提高政府工作的透明度")
	out := f.Filter(in)
	if unsafe.SliceData(out) != unsafe.SliceData(in) {
		t.Error("text without traditional characters was copied")
	}
}

func TestFilterKeepsLengthWhenTheSimplifiedFormIsLonger(t *testing.T) {
	f := MustFilter(t)
	// OpenCC simplifies 僤 to 𫢸 (U+2B8B8), four bytes instead of three:
	// 僤 must stay so that offsets stay right, and 鐘錶 around it still
	// become 钟表.
	in := "鐘僤錶"
	want := "钟僤表"
	if got := f.String(in); got != want {
		t.Errorf("String(%q) = %q, want %q", in, got, want)
	}
}

func TestRegistered(t *testing.T) {
	cf, err := registry.NewCache().CharFilterNamed(t2s.Name)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(cf.Filter([]byte("條例"))); got != "条例" {
		t.Errorf("registered filter gives %q, want 条例", got)
	}
}

func BenchmarkFilterSimplified(b *testing.B) {
	f := MustFilter(b)
	in := []byte("为了保障公民、法人和其他组织依法获取政府信息，提高政府工作的透明度，建设法治政府，充分发挥政府信息对人民群众生产、生活和经济社会活动的服务作用，制定本条例。")
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		f.Filter(in)
	}
}

func BenchmarkFilterTraditional(b *testing.B) {
	f := MustFilter(b)
	in := []byte("我國偉大的人民革命的根本目的，是在於從帝國主義、封建主義和官僚資本主義的壓迫下面，最後也從資本主義的束縛和小生産的限制下面，解放我國的生産力。")
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		f.Filter(in)
	}
}
