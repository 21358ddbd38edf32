package pinyin

import (
	"slices"
	"testing"
	"unicode"

	gopinyin "github.com/mozillazg/go-pinyin"
)

func TestOf(t *testing.T) {
	for _, c := range []struct{ in, full, initials string }{
		{"中华人民共和国个人信息保护法", "zhong'hua'ren'min'gong'he'guo'ge'ren'xin'xi'bao'hu'fa", "zhrmghggrxxbhf"},
		{"关于2019年GDP的通知（试行）", "guan'yu'2019'nian'gdp'de'tong'zhi'shi'xing", "gy2019ngdpdtzsx"},
		{"5G网络", "5g'wang'luo", "5gwl"},
		{"", "", ""},
	} {
		full, ini := Of(c.in)
		if full != c.full || ini != c.initials {
			t.Errorf("Of(%q) = %q, %q; want %q, %q", c.in, full, ini, c.full, c.initials)
		}
	}
}

// Of reads each character from its table as go-pinyin would work it out.
func TestOfAgreesWithGoPinyin(t *testing.T) {
	for c := range gopinyin.PinyinDict {
		r := rune(c)
		if !unicode.Is(unicode.Han, r) {
			continue
		}
		want := ""
		if p := gopinyin.SinglePinyin(r, args); len(p) > 0 {
			want = p[0]
		}
		if got, _ := Of(string(r)); got != want {
			t.Fatalf("Of(%q) = %q, go-pinyin gives %q", string(r), got, want)
		}
	}
	if full, ini := Of("\u4e00\U0002B81D"); full != "yi" || ini != "y" { // 一 and a character go-pinyin does not know
		t.Errorf("Of = %q, %q; want yi, y", full, ini)
	}
}

func TestLetters(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"grxxbhf", "grxxbhf", true}, {"Ge Ren Xin'xi", "gerenxinxi", true}, {"ab", "ab", false},
		{"个人", "", false}, {"2019", "", false}, {"gr1", "", false},
		// Full width, as a Chinese input method types letters; tone marks;
		// ü as Of writes it.
		{"ｇｒｘｘＢＨＦ", "grxxbhf", true}, {"gèrén xìnxī", "gerenxinxi", true}, {"lǜsè", "lvse", true},
	} {
		got, ok := Letters(c.in)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("Letters(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestTokenizer(t *testing.T) {
	for _, c := range []struct {
		in    string
		terms []string
		pos   []int
	}{
		// Initials: one syllable start, at the beginning.
		{"grxxb", []string{"grx", "^grx", "rxx", "xxb"}, []int{1, 1, 2, 3}},
		// 监督机关: an anchored gram where each syllable begins.
		{"jian'du'ji'guan", []string{"jia", "^jia", "ian", "and", "ndu", "duj", "^duj", "uji", "jig", "^jig", "igu", "gua", "^gua", "uan"},
			[]int{1, 1, 2, 3, 4, 5, 5, 6, 7, 7, 8, 9, 9, 10}},
		// A syllable too near the end for a gram of its own (fa).
		{"hu'fa", []string{"huf", "^huf", "ufa"}, []int{1, 1, 2}},
		{"ab", []string{"ab", "^ab"}, []int{1, 1}},
		{"", nil, nil},
	} {
		var terms []string
		var pos []int
		for _, tok := range (Tokenizer{}).Tokenize([]byte(c.in)) {
			terms = append(terms, string(tok.Term))
			pos = append(pos, tok.Position)
		}
		if !slices.Equal(terms, c.terms) || !slices.Equal(pos, c.pos) {
			t.Errorf("%q: grams %v at %v, want %v at %v", c.in, terms, pos, c.terms, c.pos)
		}
	}
}

func TestQueryGrams(t *testing.T) {
	for _, c := range []struct {
		letters  string
		anchored bool
		want     []string
	}{
		{"jiandu", true, []string{"^jia", "ian", "and", "ndu"}},
		{"jiandu", false, []string{"jia", "ian", "and", "ndu"}},
		{"and", true, []string{"^and"}},
		{"", true, nil},
	} {
		if got := QueryGrams(c.letters, c.anchored); !slices.Equal(got, c.want) {
			t.Errorf("QueryGrams(%q, %v) = %v, want %v", c.letters, c.anchored, got, c.want)
		}
	}
}
