package catalogue

import "strings"

// BookTitle returns title inside 书名号 for quoting it in running text:
// 《title》. The book-title marks inside it become single ones, as GB/T
// 15834-2011 §4.15 requires of nested titles: 关于印发《某办法》的通知
// gives 《关于印发〈某办法〉的通知》. A title that is itself wrapped in one
// pair of marks is not wrapped twice.
func BookTitle(title string) string {
	title = strings.TrimSpace(title)
	if inner, ok := strings.CutPrefix(title, "《"); ok {
		if inner, ok := strings.CutSuffix(inner, "》"); ok && balancedBookTitles(inner) {
			title = inner
		}
	}
	return "《" + nestedTitleMarks.Replace(title) + "》"
}

var nestedTitleMarks = strings.NewReplacer("《", "〈", "》", "〉")

// balancedBookTitles reports whether every 《 in s is closed by a 》 after it.
func balancedBookTitles(s string) bool {
	depth := 0
	for _, r := range s {
		switch r {
		case '《':
			depth++
		case '》':
			if depth--; depth < 0 {
				return false
			}
		}
	}
	return depth == 0
}
