package catalogue

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxIndexSerial is the largest serial of the five-digit 后段码.
const MaxIndexSerial = 99999

// FormatIndexNo returns the 索引号 前段码/后段码 of the 政府信息公开目录系统实施指引:
// the organ code, a slash, the year and the serial in five digits, as in
// 114402000070418252/2019-00012. The front must be a valid organ code as
// written in a 索引号 (see NormalizeOrganCode); the serial runs from 1 to
// MaxIndexSerial.
func FormatIndexNo(front string, year, serial int) (string, error) {
	if err := ValidOrganCode(front); err != nil {
		return "", fmt.Errorf("catalogue: format index number: %w", err)
	}
	if n := NormalizeOrganCode(front); n != front {
		return "", Errorf(EINVALID, "索引号前段码 %q 应写作 %q（去掉连字符，字母大写）", front, n)
	}
	if year < 1000 || year > 9999 {
		return "", Errorf(EINVALID, "索引号年份 %d 不是四位数", year)
	}
	if serial < 1 || serial > MaxIndexSerial {
		return "", Errorf(EINVALID, "索引号顺序号 %d 超出 1–%d 的范围", serial, MaxIndexSerial)
	}
	return fmt.Sprintf("%s/%04d-%05d", front, year, serial), nil
}

// NormalizeOrganCode returns code as it is written in a 索引号 前段码:
// half-width, upper case, without spaces or the hyphen of the 组织机构代码
// (00704182-5 becomes 007041825).
func NormalizeOrganCode(code string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '-' || r == '—' || r == '－' {
			return -1
		}
		return unicode.ToUpper(r)
	}, foldWidth(code))
}

// ValidOrganCode checks a 9-character 组织机构代码 (GB 11714-1997) or an
// 18-character 统一社会信用代码 (GB 32100-2015), including its check
// character. Spaces, hyphens and lower case are tolerated; the code is
// checked as NormalizeOrganCode writes it.
func ValidOrganCode(code string) error {
	c := NormalizeOrganCode(code)
	switch len(c) {
	case 0:
		return Errorf(EINVALID, "机构代码为空")
	case 9:
		return validOrganizationCode(c)
	case 18:
		return validCreditCode(c)
	}
	return Errorf(EINVALID, "机构代码 %q 应为 9 位组织机构代码或 18 位统一社会信用代码", code)
}

// ValidCreditCode checks an 18-character 统一社会信用代码 (GB 32100-2015) by
// its character set, administrative division and check character, as an
// applicant organisation gives it. Spaces, hyphens and lower case are
// tolerated, as in ValidOrganCode.
func ValidCreditCode(code string) error {
	c := NormalizeOrganCode(code)
	switch n := utf8.RuneCountInString(c); {
	case n != 18:
		return Errorf(EINVALID, "统一社会信用代码应为 18 位数字或大写字母，“%s”是 %d 位", strings.TrimSpace(code), n)
	case len(c) != n:
		return Errorf(EINVALID, "统一社会信用代码只由数字和大写字母组成，“%s”含有其他字符", strings.TrimSpace(code))
	}
	return validCreditCode(c)
}

// validOrganizationCode checks a GB 11714 code: eight digits or capital
// letters and a check character, 0–9 or X.
func validOrganizationCode(c string) error {
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		switch r := c[i]; {
		case r >= '0' && r <= '9':
			sum += int(r-'0') * w
		case r >= 'A' && r <= 'Z':
			sum += int(r-'A'+10) * w
		default:
			return Errorf(EINVALID, "组织机构代码 %q 含有无效字符", c)
		}
	}
	var want byte
	switch v := 11 - sum%11; v {
	case 10:
		want = 'X'
	case 11:
		want = '0'
	default:
		want = byte('0' + v)
	}
	if c[8] != want {
		return Errorf(EINVALID, "组织机构代码 %q 的校验码不正确，请核对", c)
	}
	return nil
}

// creditCodeChars are the 31 characters of GB 32100; I, O, S, V and Z are
// left out because they are easily misread.
const creditCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// validCreditCode checks a GB 32100 code: registration authority, organ
// type, six-digit administrative division, nine-character subject code and
// the check character over the first seventeen.
func validCreditCode(c string) error {
	weights := [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum := 0
	for i, w := range weights {
		v := strings.IndexByte(creditCodeChars, c[i])
		if v < 0 {
			return Errorf(EINVALID, "统一社会信用代码“%s”的第 %d 位“%c”不是有效字符（不使用 I、O、S、V、Z）", c, i+1, c[i])
		}
		if i >= 2 && i < 8 && v > 9 {
			return Errorf(EINVALID, "统一社会信用代码“%s”的第 3–8 位应为行政区划代码（数字）", c)
		}
		sum += v * w
	}
	if c[17] != creditCodeChars[(31-sum%31)%31] {
		return Errorf(EINVALID, "统一社会信用代码“%s”的校验码（最后一位）不正确，请按营业执照或登记证书核对", c)
	}
	return nil
}

// The shapes a 索引号 takes in the wild: an optional front (organ code,
// hyphenated code or pinyin abbreviation such as sggzyjyzx), then a back of
// year, year+month or full date, a hyphen and a serial.
var indexNoPattern = regexp.MustCompile(`^(?:([0-9A-Za-z][0-9A-Za-z-]{1,31})/)?(\d{4}|\d{6}|\d{8})-(\d{1,8})$`)

// LooksLikeIndexNo reports whether a search box input is a 索引号 in one of
// the forms found in real catalogues: 11440200007041827X/2019-00012, a
// 后段码 alone (2019-00012), year and month (201912-00012), a pinyin front
// (sggzyjyzx/2024-00002) or a date form (20191202-189769). A back given
// without a front needs at least four serial digits, so that 2019-12 and
// other dates and numbers are not mistaken for one.
func LooksLikeIndexNo(q string) bool {
	t := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, foldWidth(q))
	m := indexNoPattern.FindStringSubmatch(t)
	if m == nil {
		return false
	}
	front, date, serial := m[1], m[2], m[3]
	if front == "" && len(serial) < 4 {
		return false
	}
	year, _ := strconv.Atoi(date[:4])
	if year < 1949 || year > 2199 {
		return false
	}
	switch len(date) {
	case 6:
		month, _ := strconv.Atoi(date[4:])
		return month >= 1 && month <= 12
	case 8:
		_, err := time.Parse("20060102", date)
		return err == nil
	}
	return true
}
