package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"sufficiency/auth"
	"sufficiency/care"
	"sufficiency/store"
)

func TestWebUsersSessionsTokens(t *testing.T) {
	ctx := store.WithActor(context.Background(), "tester")
	db, err := Open(ctx, filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := db.CreateUser(ctx, auth.User{Name: "hart", Role: auth.RoleCouncil, Council: "E06000001", PasswordHash: "$argon2id$x"})
	if err != nil || u.ID == 0 {
		t.Fatalf("CreateUser: %+v %v", u, err)
	}
	if _, err := db.CreateUser(ctx, auth.User{Name: "HART", Role: auth.RoleAdmin}); care.ErrorCode(err) != care.ECONFLICT {
		t.Errorf("duplicate name: %v, want ECONFLICT", err)
	}
	if _, err := db.CreateUser(ctx, auth.User{Name: "x", Role: auth.RoleCouncil}); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("council user without council: %v, want EINVALID", err)
	}
	got, err := db.UserByName(ctx, "hart")
	if err != nil || got.ID != u.ID || got.Council != "E06000001" || got.Role != auth.RoleCouncil || got.PasswordHash != "$argon2id$x" {
		t.Fatalf("UserByName: %+v %v", got, err)
	}
	if _, err := db.UserByName(ctx, "nobody"); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("UserByName(nobody): %v", err)
	}
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	if err := db.CreateSession(ctx, auth.Session{TokenHash: "h1", UserID: u.ID, Created: now, LastSeen: now}); err != nil {
		t.Fatal(err)
	}
	if err := db.TouchSession(ctx, "h1", now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	s, su, err := db.SessionUser(ctx, "h1")
	if err != nil || su.Name != "hart" || !s.Created.Equal(now) || !s.LastSeen.Equal(now.Add(time.Minute)) {
		t.Fatalf("SessionUser: %+v %+v %v", s, su, err)
	}
	if err := db.DeleteSession(ctx, "h1", "logout"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.SessionUser(ctx, "h1"); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("deleted session: %v", err)
	}
	if err := db.CreateAPIToken(ctx, auth.APIToken{TokenHash: "t1", UserID: u.ID, Label: "ci", Created: now, Expires: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	tok, tu, err := db.TokenUser(ctx, "t1")
	if err != nil || tu.ID != u.ID || tok.Label != "ci" || !tok.Expires.Equal(now.Add(time.Hour)) {
		t.Fatalf("TokenUser: %+v %+v %v", tok, tu, err)
	}
	evs, err := db.AuditLog(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range evs {
		actions = append(actions, e.Actor+":"+e.Action)
	}
	want := []string{"tester:user add", "hart:login", "hart:logout", "tester:api token"}
	if len(actions) != len(want) {
		t.Fatalf("audit %v, want %v", actions, want)
	}
	for i := range want {
		if actions[i] != want[i] {
			t.Fatalf("audit %v, want %v", actions, want)
		}
	}
	us, err := db.Users(ctx)
	if err != nil || len(us) != 1 {
		t.Fatalf("Users: %v %v", us, err)
	}
}
