package pinyin

import (
	"slices"
	"testing"
	"unicode"

	gopinyin "github.com/mozillazg/go-pinyin"
)

func TestOf(t *testing.T) {
	for _, c := range []struct{ in, full, initials string }{
		{"中华人民共和国个人信息保护法", "zhonghuarenmingongheguogerenxinxibaohufa", "zhrmghggrxxbhf"},
		{"关于2019年GDP的通知（试行）", "guanyu2019niangdpdetongzhishixing", "gy2019ngdpdtzsx"},
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
	} {
		got, ok := Letters(c.in)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("Letters(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestTokenizer(t *testing.T) {
	var terms []string
	var pos []int
	for _, tok := range (Tokenizer{}).Tokenize([]byte("grxxb")) {
		terms = append(terms, string(tok.Term))
		pos = append(pos, tok.Position)
	}
	if !slices.Equal(terms, []string{"grx", "rxx", "xxb"}) || !slices.Equal(pos, []int{1, 2, 3}) {
		t.Errorf("grams %v at %v", terms, pos)
	}
	if toks := (Tokenizer{}).Tokenize([]byte("ab")); len(toks) != 1 || string(toks[0].Term) != "ab" {
		t.Errorf("short input: %v", toks)
	}
}
