package t2s

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"
)

// firstTraditionalByRunes is firstTraditional as utf8.DecodeRune reads the
// text: what the three-byte shortcut must agree with.
func firstTraditionalByRunes(c *converter, input []byte) int {
	for i := 0; i < len(input); {
		r, size := utf8.DecodeRune(input[i:])
		if c.traditional(r) {
			return i
		}
		i += size
	}
	return -1
}

// TestFirstTraditionalAgreesWithDecodeRune compares the scan with the plain
// one on text made of valid and broken pieces: truncated sequences,
// overlong forms, surrogates, stray continuation bytes, four-byte
// characters, simplified and traditional characters.
func TestFirstTraditionalAgreesWithDecodeRune(t *testing.T) {
	c, err := load()
	if err != nil {
		t.Fatal(err)
	}
	pieces := [][]byte{
		[]byte("政府信息公开"), []byte("國"), []byte("條例"), []byte("a1，"), []byte("𠀀"),
		{0xE0, 0x80, 0x80}, {0xE0, 0x9F, 0xBF}, {0xED, 0xA0, 0x80}, {0xE5, 0x9C}, {0xE5},
		{0x80}, {0xBF, 0xBF}, {0xE5, 0x41, 0x9C}, {0xF0, 0x9F, 0x98}, {0xC3, 0xA9},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 20000; n++ {
		var in []byte
		for k := rng.IntN(8); k >= 0; k-- {
			in = append(in, pieces[rng.IntN(len(pieces))]...)
		}
		if got, want := c.firstTraditional(in), firstTraditionalByRunes(c, in); got != want {
			t.Fatalf("firstTraditional(% x) = %d, DecodeRune finds %d", in, got, want)
		}
	}
}
