package catalogue

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func TestDefaultSettings(t *testing.T) {
	s := DefaultSettings()
	if err := s.Validate(); err != nil {
		t.Fatalf("embedded settings are invalid: %v", err)
	}
	if s.Agency.Name != "韶关市工业和信息化局" || s.Agency.Code != "114402000070418252" {
		t.Errorf("agency = %+v", s.Agency)
	}
	wantCategories := []string{"机构职能", "政策法规及规范性文件", "规划计划", "主要业务工作", "统计数据", "其他"}
	if !slices.Equal(s.Categories, wantCategories) {
		t.Errorf("categories = %v, want %v", s.Categories, wantCategories)
	}
	if len(s.Topics) != 22 || s.Topics[0] != "国务院组织机构" || s.Topics[6] != "工业、交通" || s.Topics[21] != "其他" {
		t.Errorf("topics = %d %v, want the State Council's 22 in order", len(s.Topics), s.Topics)
	}
	days := []int{s.PublishWorkingDays, s.ApplicationAnswerWorkingDays, s.ApplicationExtensionWorkingDays,
		s.CorrectionNoticeWorkingDays, s.ThirdPartyWorkingDays}
	if !slices.Equal(days, []int{20, 20, 20, 7, 15}) {
		t.Errorf("working-day deadlines = %v, want the 2019 regulation's [20 20 20 7 15]", days)
	}
	if s.MaxUploadBytes != 50<<20 || s.KioskIdleSeconds != 120 {
		t.Errorf("upload limit %d, kiosk idle %d", s.MaxUploadBytes, s.KioskIdleSeconds)
	}
	s.Categories[0] = "changed by the caller"
	if DefaultSettings().Categories[0] != "机构职能" {
		t.Error("DefaultSettings shares slices between calls")
	}
}

func TestParseSettings(t *testing.T) {
	t.Run("MissingFieldsTakeDefaults", func(t *testing.T) {
		s, err := ParseSettings([]byte(`{
			"agency": {"name": "深圳市某局", "code": "9144030071526726xg"},
			"organs": [{"name": "华为技术有限公司", "code": "91440300-1922038216"}],
			"publish_working_days": 15,
			"guide": {"phone": "0755-12345678"}
		}`))
		if err != nil {
			t.Fatal(err)
		}
		if s.Agency.Code != "9144030071526726XG" || s.Organs[0].Code != "914403001922038216" {
			t.Errorf("organ codes not normalised: %+v %+v", s.Agency, s.Organs)
		}
		if s.PublishWorkingDays != 15 || s.ApplicationAnswerWorkingDays != 20 {
			t.Errorf("working days = %d, %d; want 15 given and 20 default", s.PublishWorkingDays, s.ApplicationAnswerWorkingDays)
		}
		def := DefaultSettings()
		if s.Guide.Phone != "0755-12345678" || s.Guide.Office != def.Guide.Office {
			t.Errorf("guide = %+v; want the given phone and the default office", s.Guide)
		}
		if !slices.Equal(s.Topics, def.Topics) {
			t.Error("topics not filled from the defaults")
		}
	})
	t.Run("EmptyObjectIsDefaults", func(t *testing.T) {
		s, err := ParseSettings([]byte(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(s)
		b, _ := json.Marshal(DefaultSettings())
		if string(a) != string(b) {
			t.Errorf("ParseSettings({}) = %s, want the defaults %s", a, b)
		}
	})
	t.Run("RoundTrip", func(t *testing.T) {
		want := DefaultSettings()
		want.Organs = []Organ{{Name: "韶关市人民政府办公室", Code: "007041825"}}
		data, err := json.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseSettings(data)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := json.Marshal(got)
		if string(again) != string(data) {
			t.Errorf("round trip changed the settings:\n%s\n%s", data, again)
		}
	})
	errs := map[string]struct{ json, want string }{
		"ErrSyntax":        {`{"agency": `, "不是有效的 JSON"},
		"ErrUnknownField":  {`{"publish_workingdays": 10}`, `未知的字段 "publish_workingdays"`},
		"ErrBadCode":       {`{"agency": {"name": "某局", "code": "11440200007041827X"}}`, "校验码（最后一位）不正确"},
		"ErrNoCategories":  {`{"categories": []}`, "目录分类不能为空"},
		"ErrZeroDeadline":  {`{"application_answer_working_days": 0}`, "依申请公开答复期限应为 1–100 个工作日"},
		"ErrDuplicateName": {`{"organs": [{"name": "韶关市工业和信息化局", "code": "007041825"}]}`, "重复出现"},
	}
	for name, tt := range errs {
		t.Run(name, func(t *testing.T) {
			_, err := ParseSettings([]byte(tt.json))
			if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.want) {
				t.Errorf("ParseSettings(%s) = %v, want EINVALID containing %q", tt.json, err, tt.want)
			}
		})
	}
}

func TestSettingsValidate(t *testing.T) {
	tests := map[string]struct {
		change func(*Settings)
		field  string
	}{
		"ErrAgencyNameRequired":     {func(s *Settings) { s.Agency.Name = "" }, "agency.name"},
		"ErrAgencyCodeUnnormalised": {func(s *Settings) { s.Agency.Code = "00704182-5" }, "agency.code"},
		"ErrOrganCode":              {func(s *Settings) { s.Organs = []Organ{{Name: "某办", Code: "sggzyjyzx"}} }, "organs[0].code"},
		"ErrTopicBlank":             {func(s *Settings) { s.Topics[3] = " " }, "topics[3]"},
		"ErrTopicDuplicate":         {func(s *Settings) { s.Topics[21] = s.Topics[0] }, "topics[21]"},
		"ErrThirdPartyDays":         {func(s *Settings) { s.ThirdPartyWorkingDays = 365 }, "third_party_working_days"},
		"ErrUploadLimit":            {func(s *Settings) { s.MaxUploadBytes = 0 }, "max_upload_bytes"},
		"ErrKioskIdle":              {func(s *Settings) { s.KioskIdleSeconds = 1 }, "kiosk_idle_seconds"},
		"ErrGuideAddress":           {func(s *Settings) { s.Guide.Address = "" }, "guide.address"},
		"ErrGuidePhone":             {func(s *Settings) { s.Guide.Phone = "请致电办公室" }, "guide.phone"},
		"ErrGuideEmail":             {func(s *Settings) { s.Guide.Email = "gongkai at example.com" }, "guide.email"},
		"ErrGuidePostCode":          {func(s *Settings) { s.Guide.PostCode = "51200" }, "guide.post_code"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			s := DefaultSettings()
			tt.change(&s)
			ps := s.Problems()
			if len(ps) != 1 || ps[0].Field != tt.field {
				t.Fatalf("Problems() = %+v, want exactly one for %s", ps, tt.field)
			}
			if err := s.Validate(); ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), ps[0].Message) {
				t.Errorf("Validate() = %v, want EINVALID with %q", err, ps[0].Message)
			}
		})
	}
	t.Run("AllProblemsReported", func(t *testing.T) {
		s := DefaultSettings()
		s.Agency.Name, s.Guide.Phone, s.KioskIdleSeconds = "", "", 0
		if ps := s.Problems(); len(ps) != 3 {
			t.Errorf("Problems() = %+v, want 3", ps)
		}
	})
	t.Run("PhonesAsWritten", func(t *testing.T) {
		for _, phone := range []string{"0751-8888888", "(0751) 888 8888", "０７５１－８８８８８８８", "0751-8888888转123", "0751-8888888，0751-8888889", "+86 751 8888888", "12345"} {
			s := DefaultSettings()
			s.Guide.Phone = phone
			ok := len(s.Problems()) == 0
			if want := phone != "12345"; ok != want {
				t.Errorf("phone %q accepted = %v, want %v", phone, ok, want)
			}
		}
	})
}

func TestSettingsOrganCode(t *testing.T) {
	s := DefaultSettings()
	s.Organs = []Organ{{Name: "韶关市人民政府办公室", Code: "007041825"}}
	for name, want := range map[string]string{
		"韶关市工业和信息化局":   "114402000070418252",
		" 韶关市工业和信息化局 ": "114402000070418252",
		"韶关市人民政府办公室":   "007041825",
	} {
		if got, ok := s.OrganCode(name); !ok || got != want {
			t.Errorf("OrganCode(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
	for _, name := range []string{"", "国务院", "韶关市工业和信息化"} {
		if got, ok := s.OrganCode(name); ok {
			t.Errorf("OrganCode(%q) = %q, want not found", name, got)
		}
	}
}
