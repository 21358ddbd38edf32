package web_test

import (
	"encoding/json"
	"net/http"
	"testing"
)

func TestAccountsAPI(t *testing.T) {
	f := MustStaffServer(t)
	admin := f.MustLogin(t, "admin").Token
	as := func(tok string) staffReq { return staffReq{Bearer: tok} }

	resp, body := f.Do(t, http.MethodPost, "/api/v1/admin/sections", staffReq{Bearer: admin, JSON: map[string]string{"name": "法规科"}})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create section: %d %s", resp.StatusCode, body)
	}
	resp, body = f.Do(t, http.MethodPut, "/api/v1/admin/users/drafter", staffReq{Bearer: admin, JSON: map[string]string{
		"display_name": "李四", "role": "drafter", "section": "法规科"}})
	var got struct {
		User     struct{ Name, DisplayName, Section string } `json:"user"`
		Password string                                      `json:"password"`
	}
	if err := json.Unmarshal(body, &got); err != nil || resp.StatusCode != http.StatusOK || got.User.Section != "法规科" {
		t.Fatalf("edit: %d %s", resp.StatusCode, body)
	}
	// A drafter needs a section.
	resp, body = f.Do(t, http.MethodPut, "/api/v1/admin/users/drafter", staffReq{Bearer: admin, JSON: map[string]string{"role": "drafter"}})
	if resp.StatusCode != http.StatusBadRequest || errorCode(body) != "invalid" {
		t.Errorf("drafter without a section: %d %s", resp.StatusCode, body)
	}
	// Only administrators manage accounts.
	office := f.MustLogin(t, "office").Token
	if resp, _ := f.Do(t, http.MethodPost, "/api/v1/admin/users/drafter/disable", as(office)); resp.StatusCode != http.StatusForbidden {
		t.Errorf("the office disables an account: %d", resp.StatusCode)
	}
	// Disabled: signing in fails; enabled again: it works.
	if resp, body := f.Do(t, http.MethodPost, "/api/v1/admin/users/drafter/disable", as(admin)); resp.StatusCode != http.StatusOK {
		t.Fatalf("disable: %d %s", resp.StatusCode, body)
	}
	if resp, _ := f.Do(t, http.MethodPost, "/api/v1/admin/login", login("drafter", staffPassword)); resp.StatusCode == http.StatusOK {
		t.Errorf("a disabled account signs in")
	}
	if resp, body := f.Do(t, http.MethodPost, "/api/v1/admin/users/drafter/enable", as(admin)); resp.StatusCode != http.StatusOK {
		t.Fatalf("enable: %d %s", resp.StatusCode, body)
	}
	// A reset answers a new password once; the old one stops working.
	resp, body = f.Do(t, http.MethodPost, "/api/v1/admin/users/drafter/reset-password", as(admin))
	got.Password = ""
	if err := json.Unmarshal(body, &got); err != nil || resp.StatusCode != http.StatusOK || len(got.Password) < 10 {
		t.Fatalf("reset: %d %s", resp.StatusCode, body)
	}
	if resp, _ := f.Do(t, http.MethodPost, "/api/v1/admin/login", login("drafter", staffPassword)); resp.StatusCode == http.StatusOK {
		t.Errorf("the old password still works after a reset")
	}
	if resp, body := f.Do(t, http.MethodPost, "/api/v1/admin/login", login("drafter", got.Password)); resp.StatusCode != http.StatusOK {
		t.Errorf("the reset password does not work: %d %s", resp.StatusCode, body)
	}
	if resp, _ := f.Do(t, http.MethodPost, "/api/v1/admin/users/drafter/explode", as(admin)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown account action: %d", resp.StatusCode)
	}
	// A section with accounts cannot be deleted; an empty one can.
	if resp, _ := f.Do(t, http.MethodDelete, "/api/v1/admin/sections/法规科", as(admin)); resp.StatusCode < 400 {
		t.Errorf("deleting a section with an account: %d", resp.StatusCode)
	}
	f.Do(t, http.MethodPost, "/api/v1/admin/sections", staffReq{Bearer: admin, JSON: map[string]string{"name": "空科室"}})
	if resp, body := f.Do(t, http.MethodDelete, "/api/v1/admin/sections/空科室", as(admin)); resp.StatusCode != http.StatusNoContent {
		t.Errorf("deleting an empty section: %d %s", resp.StatusCode, body)
	}
	resp, body = f.Do(t, http.MethodGet, "/api/v1/admin/sections", as(office))
	if resp.StatusCode != http.StatusOK || !json.Valid(body) {
		t.Errorf("list sections: %d %s", resp.StatusCode, body)
	}
}
