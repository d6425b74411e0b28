package storetest

import (
	"context"
	"strings"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/identity"
	"sufficiency/store"
)

// UserAdminStore is a store whose users can be administered: AuthStore and
// identity.AdminStore. RunUserAdmin tests it.
type UserAdminStore interface {
	AuthStore
	identity.AdminStore
}

// RunUserAdmin runs the user administration contract suite: disabling and
// enabling (sessions end), password changes (sessions end), listing and
// ending sessions, listing and revoking API tokens, each audited, with
// ENOTFOUND and EINVALID where due. newStore must return a new, empty store;
// it is closed when the test ends.
func RunUserAdmin(t *testing.T, newStore func(t *testing.T) UserAdminStore) {
	st := newStore(t)
	t.Cleanup(func() { st.Close() })
	ctx := ctxAs("admin-tester")
	at := time.Date(2026, 3, 27, 9, 0, 0, 0, time.UTC)
	users := map[string]identity.User{}
	for _, u := range []identity.User{{Name: "alice", Role: identity.RoleCouncil, Council: "E06000001", PasswordHash: "$argon2id$a"},
		{Name: "bob", Role: identity.RoleProvider, Provider: "Acme Care", PasswordHash: "$argon2id$b"}} {
		got, err := st.CreateUser(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		users[u.Name] = got
	}
	session := func(user, token string, k int) {
		t.Helper()
		if err := st.CreateSession(ctx, identity.Session{TokenHash: identity.HashToken(token), UserID: users[user].ID,
			Created: at.Add(time.Duration(k) * time.Minute), LastSeen: at.Add(time.Duration(k) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	session("alice", "a1", 1)
	session("alice", "a2", 2)
	session("bob", "b1", 3)
	for i, u := range []string{"alice", "bob"} {
		if err := st.CreateAPIToken(ctx, identity.APIToken{TokenHash: identity.HashToken("tok-" + u), UserID: users[u].ID, Label: "for " + u,
			Created: at.Add(time.Duration(i) * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	idOf := func(token string) string { return identity.HashToken(token)[:identity.IDLength] }

	all, err := st.Sessions(ctx, "")
	if err != nil || len(all) != 3 || all[0].User != "bob" || all[0].ID != idOf("b1") || !all[0].Created.Equal(at.Add(3*time.Minute)) {
		t.Fatalf("Sessions(\"\"): %v %+v; want bob's first (newest)", err, all)
	}
	mine, err := st.Sessions(ctx, "ALICE")
	if err != nil || len(mine) != 2 || mine[0].ID != idOf("a2") || mine[1].ID != idOf("a1") {
		t.Fatalf("Sessions(ALICE): %v %+v", err, mine)
	}
	if _, err := st.Sessions(ctx, "nobody"); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("Sessions(nobody): %v, want ENOTFOUND", err)
	}

	// Disabling ends the user's sessions, and only theirs.
	u, err := st.SetDisabled(ctx, "alice", true)
	if err != nil || !u.Disabled || u.Name != "alice" {
		t.Fatalf("SetDisabled: %v %+v", err, u)
	}
	if _, _, err := st.SessionUser(ctx, identity.HashToken("a1")); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("alice's session after disabling: %v", err)
	}
	if _, _, err := st.SessionUser(ctx, identity.HashToken("b1")); err != nil {
		t.Errorf("bob's session after disabling alice: %v", err)
	}
	if _, tu, err := st.TokenUser(ctx, identity.HashToken("tok-alice")); err != nil || !tu.Disabled {
		t.Errorf("alice's token user after disabling: %v %+v; want it disabled", err, tu)
	}
	if u, err := st.SetDisabled(ctx, "alice", false); err != nil || u.Disabled {
		t.Errorf("enable: %v %+v", err, u)
	}
	if _, err := st.SetDisabled(ctx, "nobody", true); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("SetDisabled(nobody): %v", err)
	}

	// A password change ends the user's sessions.
	n, err := st.SetPassword(ctx, "Bob", "$argon2id$new")
	if err != nil || n != 1 {
		t.Fatalf("SetPassword: %d %v; want 1 session ended", n, err)
	}
	if b, err := st.UserByName(ctx, "bob"); err != nil || b.PasswordHash != "$argon2id$new" {
		t.Errorf("bob after the change: %v %+v", err, b)
	}
	if _, _, err := st.SessionUser(ctx, identity.HashToken("b1")); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("bob's session after the password change: %v", err)
	}
	if _, err := st.SetPassword(ctx, "nobody", "x"); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("SetPassword(nobody): %v", err)
	}

	// Ending one session.
	session("alice", "a3", 4)
	session("alice", "a4", 5)
	if err := st.EndSession(ctx, strings.ToUpper(idOf("a3"))); err != nil {
		t.Fatalf("EndSession: %v", err)
	}
	if _, _, err := st.SessionUser(ctx, identity.HashToken("a3")); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("session a3 after ending: %v", err)
	}
	if _, _, err := st.SessionUser(ctx, identity.HashToken("a4")); err != nil {
		t.Errorf("session a4 ended too: %v", err)
	}
	if err := st.EndSession(ctx, idOf("a3")); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("EndSession twice: %v", err)
	}
	for _, bad := range []string{"", "abc", idOf("a4") + "0", "zzzzzzzzzzzz", "' OR 1=1 --"} {
		if err := st.EndSession(ctx, bad); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("EndSession(%q): %v, want EINVALID", bad, err)
		}
	}

	// Tokens.
	toks, err := st.APITokens(ctx, "")
	if err != nil || len(toks) != 2 || toks[0].User != "bob" || toks[0].Label != "for bob" || !toks[0].Expires.IsZero() {
		t.Fatalf("APITokens: %v %+v", err, toks)
	}
	if mine, err := st.APITokens(ctx, "alice"); err != nil || len(mine) != 1 || mine[0].ID != idOf("tok-alice") {
		t.Fatalf("APITokens(alice): %v %+v", err, mine)
	}
	if err := st.RevokeAPIToken(ctx, idOf("tok-alice")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.TokenUser(ctx, identity.HashToken("tok-alice")); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("revoked token: %v", err)
	}
	if _, _, err := st.TokenUser(ctx, identity.HashToken("tok-bob")); err != nil {
		t.Errorf("bob's token after revoking alice's: %v", err)
	}
	if err := st.RevokeAPIToken(ctx, idOf("tok-alice")); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("revoke twice: %v", err)
	}

	// Every change is in the audit log under the actor.
	evs, err := st.AuditLog(context.Background(), store.AuditFilter{Actor: "admin-tester"})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, e := range evs {
		seen[e.Action]++
	}
	for action, want := range map[string]int{"user disable": 1, "user enable": 1, "password change": 1, "session end": 1, "api token revoke": 1} {
		if seen[action] != want {
			t.Errorf("audit %q: %d entries, want %d (all: %v)", action, seen[action], want, seen)
		}
	}
}
