package storetest

import (
	"reflect"
	"sync"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/identity"
	"sufficiency/store"
)

// AuthStore is a store that keeps the web app's users, sessions and API
// tokens: the core store (for the audit log) and identity.Store. RunAuth tests
// it.
type AuthStore interface {
	store.Store
	identity.Store
}

// RunAuth runs the users, sessions and API tokens contract suite. newStore
// must return a new, empty store; RunAuth closes it when each sub-test ends.
func RunAuth(t *testing.T, newStore func(t *testing.T) AuthStore) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st AuthStore)
	}{
		{"UsersSessionsTokens", testUsersSessionsTokens},
		{"NamesIgnoreCase", testUserNamesIgnoreCase},
		{"ConcurrentCreateUser", testConcurrentCreateUser},
		{"ErrNotFound", testAuthNotFound},
		{"LoginFailures", testLoginFailures},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t, newStore)
			tt.fn(t, st)
		})
	}
}

func testUsersSessionsTokens(t *testing.T, st AuthStore) {
	ctx := ctxAs("tester")
	u, err := st.CreateUser(ctx, identity.User{Name: "hart", Role: identity.RoleCouncil, Council: "E06000001", PasswordHash: "$argon2id$x"})
	if err != nil || u.ID == 0 || u.Created.IsZero() {
		t.Fatalf("CreateUser: %+v %v", u, err)
	}
	_, err = st.CreateUser(ctx, identity.User{Name: "x", Role: identity.RoleCouncil})
	wantCode(t, "council user without council", err, care.EINVALID)
	got, err := st.UserByName(ctx, "hart")
	if err != nil || got.ID != u.ID || got.Council != "E06000001" || got.Role != identity.RoleCouncil || got.PasswordHash != "$argon2id$x" ||
		got.Disabled || !got.Created.Equal(u.Created) {
		t.Fatalf("UserByName: %+v %v", got, err)
	}
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	if err := st.CreateSession(ctx, identity.Session{TokenHash: "h1", UserID: u.ID, Created: now, LastSeen: now}); err != nil {
		t.Fatal(err)
	}
	if err := st.TouchSession(ctx, "h1", now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	s, su, err := st.SessionUser(ctx, "h1")
	if err != nil || su.Name != "hart" || su.ID != u.ID || s.UserID != u.ID || s.TokenHash != "h1" || !s.Created.Equal(now) || !s.LastSeen.Equal(now.Add(time.Minute)) {
		t.Fatalf("SessionUser: %+v %+v %v", s, su, err)
	}
	if err := st.DeleteSession(ctx, "h1", "logout"); err != nil {
		t.Fatal(err)
	}
	_, _, err = st.SessionUser(ctx, "h1")
	wantCode(t, "deleted session", err, care.ENOTFOUND)
	// An expired session is removed without an audit entry.
	if err := st.CreateSession(ctx, identity.Session{TokenHash: "h2", UserID: u.ID, Created: now, LastSeen: now}); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteSession(ctx, "h2", ""); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateAPIToken(ctx, identity.APIToken{TokenHash: "t1", UserID: u.ID, Label: "ci", Created: now, Expires: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	tok, tu, err := st.TokenUser(ctx, "t1")
	if err != nil || tu.ID != u.ID || tok.Label != "ci" || tok.UserID != u.ID || !tok.Created.Equal(now) || !tok.Expires.Equal(now.Add(time.Hour)) {
		t.Fatalf("TokenUser: %+v %+v %v", tok, tu, err)
	}
	if err := st.CreateAPIToken(ctx, identity.APIToken{TokenHash: "t2", UserID: u.ID, Created: now}); err != nil {
		t.Fatal(err)
	}
	if tok, _, err := st.TokenUser(ctx, "t2"); err != nil || !tok.Expires.IsZero() || tok.Label != "" {
		t.Fatalf("token without expiry: %+v %v", tok, err)
	}
	evs, err := st.AuditLog(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range evs {
		actions = append(actions, e.Actor+":"+e.Action+":"+e.Council)
	}
	want := []string{"tester:user add:E06000001", "hart:login:E06000001", "hart:logout:E06000001", "hart:login:E06000001",
		"tester:api token:E06000001", "tester:api token:E06000001"}
	if !reflect.DeepEqual(actions, want) {
		t.Fatalf("audit %v, want %v", actions, want)
	}
	admin, err := st.CreateUser(ctx, identity.User{Name: "root", Role: identity.RoleAdmin, Disabled: true})
	if err != nil {
		t.Fatal(err)
	}
	us, err := st.Users(ctx)
	if err != nil || len(us) != 2 || us[0].Name != "hart" || us[1].ID != admin.ID || !us[1].Disabled || us[1].Role != identity.RoleAdmin {
		t.Fatalf("Users: %+v %v", us, err)
	}
}

// testUserNamesIgnoreCase checks a name is taken whatever its case, found
// in any case, and listed in alphabetical order ignoring case.
func testUserNamesIgnoreCase(t *testing.T, st AuthStore) {
	ctx := ctxAs("tester")
	for _, name := range []string{"bob", "Alice", "carol", "Dave"} {
		if _, err := st.CreateUser(ctx, identity.User{Name: name, Role: identity.RoleAdmin}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := st.CreateUser(ctx, identity.User{Name: "BOB", Role: identity.RoleAdmin})
	wantCode(t, "BOB after bob", err, care.ECONFLICT)
	u, err := st.UserByName(ctx, "ALICE")
	if err != nil || u.Name != "Alice" {
		t.Fatalf("UserByName(ALICE): %+v %v", u, err)
	}
	us, err := st.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range us {
		names = append(names, u.Name)
	}
	if want := []string{"Alice", "bob", "carol", "Dave"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("Users: %v, want %v", names, want)
	}
}

// testConcurrentCreateUser has ten callers add the same user (in varying
// case) at once: exactly one succeeds, the others get ECONFLICT.
func testConcurrentCreateUser(t *testing.T, st AuthStore) {
	const callers = 10
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make([]error, callers)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			name := []string{"sameuser", "SameUser", "SAMEUSER"}[i%3]
			_, errs[i] = st.CreateUser(ctxAs("tester"), identity.User{Name: name, Role: identity.RoleAdmin})
		}(i)
	}
	close(start)
	wg.Wait()
	if won := countWins(t, errs); won != 1 {
		t.Fatalf("%d of %d concurrent CreateUser calls with one name succeeded", won, callers)
	}
	if us, err := st.Users(ctxAs("tester")); err != nil || len(us) != 1 {
		t.Fatalf("Users: %+v %v", us, err)
	}
}

func testAuthNotFound(t *testing.T, st AuthStore) {
	ctx := ctxAs("tester")
	_, err := st.UserByName(ctx, "nobody")
	wantCode(t, "UserByName(nobody)", err, care.ENOTFOUND)
	_, _, err = st.SessionUser(ctx, "nope")
	wantCode(t, "SessionUser(nope)", err, care.ENOTFOUND)
	_, _, err = st.TokenUser(ctx, "nope")
	wantCode(t, "TokenUser(nope)", err, care.ENOTFOUND)
	wantCode(t, "DeleteSession(nope)", st.DeleteSession(ctx, "nope", "logout"), care.ENOTFOUND)
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	wantCode(t, "CreateSession for no user", st.CreateSession(ctx, identity.Session{TokenHash: "h", UserID: 999, Created: now, LastSeen: now}), care.ENOTFOUND)
	wantCode(t, "CreateAPIToken for no user", st.CreateAPIToken(ctx, identity.APIToken{TokenHash: "t", UserID: 999, Created: now}), care.ENOTFOUND)
	if us, err := st.Users(ctx); err != nil || len(us) != 0 {
		t.Fatalf("Users of an empty store: %+v %v", us, err)
	}
	if evs, err := st.AuditLog(ctx, store.AuditFilter{}); err != nil || len(evs) != 0 {
		t.Fatalf("failed calls left audit entries: %+v %v", evs, err)
	}
}

// testLoginFailures: failed sign-ins are counted per key, restart after the
// window, and are cleared per key (issue 15: the throttle is in the database).
func testLoginFailures(t *testing.T, st AuthStore) {
	ctx := ctxAs("tester")
	t0 := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	win := 15 * time.Minute
	name, addr := "name:aaaa", "addr:bbbb"
	got, err := st.LoginFailures(ctx, []string{name, addr})
	if err != nil || len(got) != 0 {
		t.Fatalf("empty: %v %v", got, err)
	}
	for i := 0; i < 3; i++ {
		if err := st.RecordLoginFailure(ctx, []string{name, addr}, t0.Add(time.Duration(i)*time.Second), t0.Add(-win)); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.RecordLoginFailure(ctx, []string{addr}, t0.Add(5*time.Second), t0.Add(-win)); err != nil {
		t.Fatal(err)
	}
	got, err = st.LoginFailures(ctx, []string{name, addr, "name:none"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]identity.LoginFailures{name: {Count: 3, Last: t0.Add(2 * time.Second)}, addr: {Count: 4, Last: t0.Add(5 * time.Second)}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("LoginFailures = %+v, want %+v", got, want)
	}
	if err := st.ClearLoginFailures(ctx, name); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.LoginFailures(ctx, []string{name, addr}); len(got) != 1 || got[addr].Count != 4 {
		t.Fatalf("after clear: %+v", got)
	}
	// A failure after the window restarts the count, and old rows go.
	later := t0.Add(win + time.Minute)
	if err := st.RecordLoginFailure(ctx, []string{name}, later, later.Add(-win)); err != nil {
		t.Fatal(err)
	}
	got, _ = st.LoginFailures(ctx, []string{name, addr})
	if want := (map[string]identity.LoginFailures{name: {Count: 1, Last: later}}); !reflect.DeepEqual(got, want) {
		t.Fatalf("after the window: %+v, want %+v", got, want)
	}
}
