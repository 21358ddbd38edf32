package catalogue_test

import (
	"testing"

	"gongkai/catalogue"
)

func TestBookTitle(t *testing.T) {
	for title, want := range map[string]string{
		"中华人民共和国政府信息公开条例":          "《中华人民共和国政府信息公开条例》",
		"关于印发《韶关市政府信息公开办法（修订）》的通知": "《关于印发〈韶关市政府信息公开办法（修订）〉的通知》",
		"关于转发《关于印发〈某规定〉的通知》的通知":    "《关于转发〈关于印发〈某规定〉的通知〉的通知》",
		"《政府信息公开指南》":               "《政府信息公开指南》",
		"《某办法》和《某细则》的解读":           "《〈某办法〉和〈某细则〉的解读》",
		"  关于印发《某办法》  ":            "《关于印发〈某办法〉》",
	} {
		if got := catalogue.BookTitle(title); got != want {
			t.Errorf("BookTitle(%q) = %q, want %q", title, got, want)
		}
	}
}
