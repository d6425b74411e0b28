package web

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"sufficiency/identity"
	"sufficiency/store"
)

func TestAdminUsers(t *testing.T) {
	f := newFixture(t)
	adm := f.login(t, "admin")
	hart := f.login(t, "hart")
	ctx := store.WithActor(context.Background(), "test")

	// Only administrators.
	for _, name := range []string{"hart", "ne-rcc", "prov"} {
		c := f.login(t, name)
		if res := f.get(t, c, "/admin/users"); res.Code != 403 {
			t.Errorf("%s: /admin/users %d, want 403", name, res.Code)
		}
		if res := f.post(t, c, "/admin/users/admin/disable", nil); res.Code != 403 {
			t.Errorf("%s disables the admin: %d", name, res.Code)
		}
		var p Problem
		if code := f.apiJSON(t, c, "GET", "/api/v1/admin/users", "", &p); code != 403 {
			t.Errorf("%s: API users %d", name, code)
		}
	}
	res := f.get(t, adm, "/admin/users")
	if res.Code != 200 || !strings.Contains(res.Body, `id="user-hart"`) || !strings.Contains(res.Body, `id="disable-hart"`) || strings.Contains(res.Body, `id="disable-admin"`) {
		t.Fatalf("users page: %d", res.Code)
	}
	if strings.Contains(res.Body, "argon2") {
		t.Error("the page shows a password hash")
	}
	// Disabling ends the user's session at once.
	if res := f.post(t, adm, "/admin/users/hart/disable", nil); res.Code != 303 {
		t.Fatalf("disable: %d %s", res.Code, res.Body)
	}
	if res := f.get(t, hart, "/"); res.Code != 303 || !strings.HasPrefix(res.Location, "/login") {
		t.Errorf("hart's session after disabling: %d %s", res.Code, res.Location)
	}
	if res := f.post(t, hart, "/login", url.Values{"name": {"hart"}, "password": {testPassword}}); res.Code == 303 {
		t.Error("a disabled user signs in")
	}
	if res := f.get(t, adm, "/admin/users?done=x"); !strings.Contains(res.Body, `id="enable-hart"`) {
		t.Error("no enable button for the disabled user")
	}
	if res := f.post(t, adm, "/admin/users/admin/disable", nil); res.Code != 409 {
		t.Errorf("self-disable: %d, want 409", res.Code)
	}
	if res := f.post(t, adm, "/admin/users/nobody/disable", nil); res.Code != 404 {
		t.Errorf("disable nobody: %d", res.Code)
	}
	if res := f.post(t, adm, "/admin/users/hart/enable", nil); res.Code != 303 {
		t.Fatalf("enable: %d", res.Code)
	}
	hart = f.login(t, "hart")

	// A password change ends the sessions; a short password is named.
	if res := f.post(t, adm, "/admin/users/hart/password", url.Values{"new_password": {"short"}}); res.Code != 422 || !strings.Contains(res.Body, `href="#password-hart"`) {
		t.Errorf("short password: %d", res.Code)
	}
	if res := f.post(t, adm, "/admin/users/hart/password", url.Values{"new_password": {"a brand new passphrase"}}); res.Code != 303 || !strings.Contains(res.Location, "1+session") {
		t.Fatalf("password: %d %s", res.Code, res.Location)
	}
	if res := f.get(t, hart, "/"); res.Code != 303 {
		t.Errorf("hart's session after the password change: %d", res.Code)
	}
	if res := f.post(t, hart, "/login", url.Values{"name": {"hart"}, "password": {"a brand new passphrase"}}); res.Code != 303 {
		t.Errorf("sign in with the new password: %d", res.Code)
	}

	// Sessions and tokens: end one, revoke one.
	c := f.login(t, "ne-rcc")
	if _, err := f.srv.auth.NewAPIToken(ctx, "ne-rcc", "reports", 0); err != nil {
		t.Fatal(err)
	}
	res = f.get(t, adm, "/admin/users")
	m := regexp.MustCompile(`id="end-([0-9a-f]{12})"`).FindAllStringSubmatch(res.Body, -1)
	if len(m) == 0 {
		t.Fatal("no sessions listed")
	}
	ss, _ := f.db.Sessions(ctx, "ne-rcc")
	if len(ss) != 2 {
		t.Fatalf("ne-rcc sessions %v", ss)
	}
	for _, s := range ss {
		if res := f.post(t, adm, "/admin/sessions/"+s.ID+"/end", nil); res.Code != 303 {
			t.Fatalf("end session: %d", res.Code)
		}
	}
	if res := f.get(t, c, "/"); res.Code != 303 {
		t.Errorf("the ended session still works: %d", res.Code)
	}
	ts, _ := f.db.APITokens(ctx, "ne-rcc")
	if len(ts) != 1 || !strings.Contains(f.get(t, adm, "/admin/users").Body, `id="revoke-`+ts[0].ID+`"`) {
		t.Fatalf("tokens %v", ts)
	}
	if code := f.apiJSON(t, adm, "DELETE", "/api/v1/admin/tokens/"+ts[0].ID, "", nil); code != 204 {
		t.Errorf("revoke: %d", code)
	}
	if code := f.apiJSON(t, adm, "DELETE", "/api/v1/admin/tokens/"+ts[0].ID, "", nil); code != 404 {
		t.Errorf("revoke twice: %d", code)
	}
	if code := f.apiJSON(t, adm, "DELETE", "/api/v1/admin/sessions/nothex", "", nil); code != 400 {
		t.Errorf("bad id: %d", code)
	}

	// Adding a user: field errors, then success.
	res = f.post(t, adm, "/admin/users", url.Values{"user_name": {"new officer"}, "role": {"council"}, "council_code": {"Nowhere"}, "new_password": {"x"}})
	if res.Code != 422 || !strings.Contains(res.Body, `href="#new-council"`) || !strings.Contains(res.Body, `href="#new-password"`) {
		t.Errorf("bad new user: %d", res.Code)
	}
	if res := f.post(t, adm, "/admin/users", url.Values{"user_name": {"hart"}, "role": {"council"}, "council_code": {"E06000001"}, "new_password": {testPassword}}); res.Code != 422 || !strings.Contains(res.Body, "already exists") {
		t.Errorf("duplicate user: %d", res.Code)
	}
	if res := f.post(t, adm, "/admin/users", url.Values{"user_name": {"midd"}, "role": {"council"}, "council_code": {"Middlesbrough"}, "new_password": {testPassword}}); res.Code != 303 {
		t.Fatalf("add user: %d %s", res.Code, res.Body)
	}
	if u, err := f.db.UserByName(ctx, "midd"); err != nil || u.Council != middlesbrough || u.Role != identity.RoleCouncil {
		t.Errorf("added user %+v %v", u, err)
	}
	var created UserAPI
	if code := f.apiJSON(t, adm, "POST", "/api/v1/admin/users", `{"name": "acme2", "role": "provider", "provider": "Acme Care", "password": "`+testPassword+`"}`, &created); code != 201 || created.Provider != "Acme Care" {
		t.Errorf("API add: %d %+v", code, created)
	}
	var list struct {
		Users []UserAPI `json:"users"`
	}
	if code := f.apiJSON(t, adm, "GET", "/api/v1/admin/users", "", &list); code != 200 || len(list.Users) != len(testUsers)+2 {
		t.Errorf("API users: %d %d", code, len(list.Users))
	}
	// Every change is in the audit log, by the administrator.
	evs, err := f.db.AuditLog(ctx, store.AuditFilter{Actor: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range evs {
		seen[e.Action] = true
	}
	for _, a := range []string{"user disable", "user enable", "password change", "session end", "api token revoke", "user add"} {
		if !seen[a] {
			t.Errorf("no %q by admin in the audit log (%v)", a, seen)
		}
	}
}
