package catalogue

import (
	"regexp"
	"testing"
)

var reasonCodePattern = regexp.MustCompile(`^[a-z][a-z_]*[a-z]$`)

func TestWithholdingReasons(t *testing.T) {
	rs := WithholdingReasons()
	// The 2021 annual-report template counts refusals under these eight, in this order.
	wantLabels := []string{"属于国家秘密", "其他法律行政法规禁止公开", "危及国家安全、公共安全、经济安全、社会稳定",
		"保护第三方合法权益（商业秘密、个人隐私）", "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"}
	if len(rs) != len(wantLabels) {
		t.Fatalf("%d reasons, want %d", len(rs), len(wantLabels))
	}
	codes := make(map[string]bool)
	for i, r := range rs {
		if r.Label != wantLabels[i] {
			t.Errorf("reason %d = %q, want %q", i, r.Label, wantLabels[i])
		}
		if !reasonCodePattern.MatchString(r.Code) || codes[r.Code] {
			t.Errorf("code %q is not a unique ASCII code", r.Code)
		}
		codes[r.Code] = true
		if r.Basis == "" {
			t.Errorf("reason %s has no legal basis", r.Code)
		}
		for _, key := range []string{r.Code, r.Label, " " + r.Code + " "} {
			if got, ok := LookupWithholdingReason(key); !ok || got != r {
				t.Errorf("LookupWithholdingReason(%q) = %+v, %v", key, got, ok)
			}
		}
	}
	for _, key := range []string{"", "secret", "个人隐私"} {
		if got, ok := LookupWithholdingReason(key); ok {
			t.Errorf("LookupWithholdingReason(%q) = %+v, want not found", key, got)
		}
	}
	rs[0].Label = "changed by the caller"
	if WithholdingReasons()[0].Label != "属于国家秘密" {
		t.Error("WithholdingReasons shares its slice with callers")
	}
}

func TestWithdrawalReasons(t *testing.T) {
	want := []WithdrawalReason{
		{Code: "published_in_error", Label: "发布错误"},
		{Code: "superseded", Label: "已被替代"},
		{Code: "expired", Label: "已失效"},
		{Code: "personal_information", Label: "含个人信息", HidesTitle: true},
		{Code: "classified_information", Label: "含涉密信息", HidesTitle: true},
		{Code: "other", Label: "其他", NeedsNote: true},
	}
	got := WithdrawalReasons()
	if len(got) != len(want) {
		t.Fatalf("%d reasons, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("reason %d = %+v, want %+v", i, got[i], want[i])
		}
		if !reasonCodePattern.MatchString(got[i].Code) {
			t.Errorf("code %q is not ASCII snake case", got[i].Code)
		}
	}
	t.Run("PersonalInformationHidesTitle", func(t *testing.T) {
		r, ok := LookupWithdrawalReason("含个人信息")
		if !ok || !r.HidesTitle || r.NeedsNote {
			t.Errorf("LookupWithdrawalReason(含个人信息) = %+v, %v", r, ok)
		}
	})
	t.Run("OtherNeedsNote", func(t *testing.T) {
		r, ok := LookupWithdrawalReason("other")
		if !ok || !r.NeedsNote || r.HidesTitle {
			t.Errorf("LookupWithdrawalReason(other) = %+v, %v", r, ok)
		}
	})
	t.Run("UnknownNotFound", func(t *testing.T) {
		if r, ok := LookupWithdrawalReason("deleted"); ok {
			t.Errorf("LookupWithdrawalReason(deleted) = %+v", r)
		}
	})
}
