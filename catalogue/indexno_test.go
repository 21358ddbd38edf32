package catalogue

import (
	"strings"
	"testing"
)

func TestValidOrganCode(t *testing.T) {
	t.Run("Valid", func(t *testing.T) {
		for _, code := range []string{
			// Published 统一社会信用代码 of real companies, chosen so that
			// every position holds a non-zero character in at least one.
			"914403001922038216", "9144030071526726XG", "91330100716105852F",
			"91110108551385082Q", "91110000802100433B", "914419006177625157",
			"91330110583235134A", "91441900MA4X07PQ5X",
			// The demo agency's code (settings.json).
			"114402000070418252",
			// 组织机构代码, bare and as usually printed.
			"192203821", "19220382-1", "71526726X", "71526726-X", "007041825",
			// Tolerated spelling: lower case, full width, spaces.
			"9144030071526726xg", "９１４４０３００１９２２０３８２１６", " 00704182-5 ",
		} {
			if err := ValidOrganCode(code); err != nil {
				t.Errorf("ValidOrganCode(%q) = %v, want nil", code, err)
			}
		}
	})
	t.Run("ErrCheckDigit", func(t *testing.T) {
		// 11440200007041827X is the example in CONTRACT.md: its check
		// character should be 8 (GB 32100) and its embedded 组织机构代码
		// 00704182-7 should end in 5 (GB 11714). Neither digit checks out.
		for _, code := range []string{"11440200007041827X", "914403001922038217", "007041827", "19220382-2"} {
			err := ValidOrganCode(code)
			if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), "校验码") {
				t.Errorf("ValidOrganCode(%q) = %v, want an EINVALID check-digit error", code, err)
			}
		}
	})
	t.Run("ErrShape", func(t *testing.T) {
		for _, code := range []string{
			"", "12345", "sggzyjyzx", "9144030019220382161", // wrong length
			"91440300192203821I", "9I4403001922038216", // I is not in the GB 32100 alphabet
			"9144A3001922038216", // division code must be digits
			"1922038*1",
		} {
			if err := ValidOrganCode(code); ErrorCode(err) != EINVALID {
				t.Errorf("ValidOrganCode(%q) = %v, want EINVALID", code, err)
			}
		}
	})
}

func TestNormalizeOrganCode(t *testing.T) {
	for in, want := range map[string]string{
		"00704182-5":           "007041825",
		" 9144030071526726xg ": "9144030071526726XG",
		"０７０４１８２５":             "07041825",
	} {
		if got := NormalizeOrganCode(in); got != want {
			t.Errorf("NormalizeOrganCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFormatIndexNo(t *testing.T) {
	t.Run("Formatted", func(t *testing.T) {
		tests := []struct {
			front        string
			year, serial int
			want         string
		}{
			{"114402000070418252", 2019, 12, "114402000070418252/2019-00012"},
			{"114402000070418252", 2026, 1, "114402000070418252/2026-00001"},
			{"007041825", 2025, 99999, "007041825/2025-99999"},
		}
		for _, tt := range tests {
			got, err := FormatIndexNo(tt.front, tt.year, tt.serial)
			if err != nil || got != tt.want {
				t.Errorf("FormatIndexNo(%q, %d, %d) = %q, %v; want %q", tt.front, tt.year, tt.serial, got, err, tt.want)
			}
			if !LooksLikeIndexNo(got) {
				t.Errorf("LooksLikeIndexNo(%q) = false for a generated number", got)
			}
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		tests := []struct {
			front        string
			year, serial int
		}{
			{"114402000070418252", 2019, 100000}, // six digits
			{"114402000070418252", 2019, 0},
			{"114402000070418252", 2019, -3},
			{"114402000070418252", 19, 1},
			{"11440200007041827X", 2019, 1}, // bad check character
			{"00704182-5", 2019, 1},         // not written as a front
			{"sggzyjyzx", 2024, 2},
			{"", 2019, 1},
		}
		for _, tt := range tests {
			if got, err := FormatIndexNo(tt.front, tt.year, tt.serial); ErrorCode(err) != EINVALID || got != "" {
				t.Errorf("FormatIndexNo(%q, %d, %d) = %q, %v; want EINVALID", tt.front, tt.year, tt.serial, got, err)
			}
		}
	})
}

func TestLooksLikeIndexNo(t *testing.T) {
	for in, want := range map[string]bool{
		"11440200007041827X/2019-00012":  true, // the CONTRACT example, check digit aside
		"114402000070418252/2019-00012":  true,
		"11440200007041827x/2019-00012":  true,
		"００７０４１８２５／２０１９－０００１２":           true,
		" 007041825/2019-00012 ":         true,
		"00704182-5/2019-00012":          true,
		"2019-00012":                     true, // 后段码 alone
		"201912-00012":                   true,
		"sggzyjyzx/2024-00002":           true,
		"20191202-189769":                true,
		"sggzyjyzx/2024-2":               true,
		"2019-12":                        false,
		"2019-12-02":                     false,
		"2019-123":                       false,
		"0751-8888888":                   false,
		"201913-00012":                   false, // month 13
		"20190230-000001":                false, // 30 February
		"1850-00012":                     false,
		"韶工信〔2019〕12号":                   false,
		"政府信息公开":                         false,
		"114402000070418252/":            false,
		"114402000070418252/2019":        false,
		"a/2019-00012":                   false, // one-letter front
		"http://example.com/2019-00012":  false,
		"11440200007041827X/2019-00012x": false,
	} {
		if got := LooksLikeIndexNo(in); got != want {
			t.Errorf("LooksLikeIndexNo(%q) = %v, want %v", in, got, want)
		}
	}
}
