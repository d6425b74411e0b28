package auth

import (
	"context"
	"errors"
	"strings"
	"sufficiency/identity"
	"sync"
	"testing"
	"time"

	"sufficiency/care"
)

// Tests of the Service (sign-in, throttling, sessions, API tokens) over an
// in-memory Store, written from the rules documented on the Service and in
// docs/SECURITY.md: sessions end after 30 minutes idle or 12 hours in all;
// a session is renewed at most once a minute; failed sign-ins are counted
// per name and per address, the first 5 (10) free, then a wait from one
// second doubling to 30 (60) seconds, forgotten after 15 minutes; at most 4
// password checks at once, a sign-in waiting at most 2 seconds for one.
// The store contract itself is tested against SQLite and PostgreSQL by
// storetest.RunAuth; memStore follows the same contract.

// memStore is an in-memory Store, following the contract on Store and
// ThrottleStore. err, when set for a method name, is returned by it.
type memStore struct {
	mu       sync.Mutex
	users    map[string]identity.User
	sessions map[string]identity.Session
	tokens   map[string]identity.APIToken
	failures map[string]identity.LoginFailures
	deleted  []string // recordAs of each DeleteSession
	touched  []time.Time
	recorded [][]string  // keys of each RecordLoginFailure
	since    []time.Time // since of each RecordLoginFailure
	err      map[string]error
	// beforeFailures runs before LoginFailures answers (its call number,
	// from 1): a concurrent sign-in's failures arriving between two reads.
	beforeFailures func(call int)
	failureCalls   int
}

func newMemStore() *memStore {
	return &memStore{users: map[string]identity.User{}, sessions: map[string]identity.Session{}, tokens: map[string]identity.APIToken{},
		failures: map[string]identity.LoginFailures{}, err: map[string]error{}}
}

func (m *memStore) CreateUser(_ context.Context, u identity.User) (identity.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.users[u.Name]; ok {
		return identity.User{}, care.Errorf(care.ECONFLICT, "user %s exists", u.Name)
	}
	u.ID = int64(len(m.users) + 1)
	m.users[u.Name] = u
	return u, nil
}

func (m *memStore) UserByName(_ context.Context, name string) (identity.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.err["UserByName"]; err != nil {
		return identity.User{}, err
	}
	u, ok := m.users[name]
	if !ok {
		return identity.User{}, care.Errorf(care.ENOTFOUND, "no user %s", name)
	}
	return u, nil
}

func (m *memStore) Users(context.Context) ([]identity.User, error) { return nil, nil }

func (m *memStore) userByID(id int64) identity.User {
	for _, u := range m.users {
		if u.ID == id {
			return u
		}
	}
	return identity.User{}
}

func (m *memStore) CreateSession(_ context.Context, s identity.Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.err["CreateSession"]; err != nil {
		return err
	}
	m.sessions[s.TokenHash] = s
	return nil
}

func (m *memStore) SessionUser(_ context.Context, h string) (identity.Session, identity.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.err["SessionUser"]; err != nil {
		return identity.Session{}, identity.User{}, err
	}
	s, ok := m.sessions[h]
	if !ok {
		return identity.Session{}, identity.User{}, care.Errorf(care.ENOTFOUND, "no session")
	}
	return s, m.userByID(s.UserID), nil
}

func (m *memStore) TouchSession(_ context.Context, h string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.err["TouchSession"]; err != nil {
		return err
	}
	s := m.sessions[h]
	s.LastSeen = at
	m.sessions[h] = s
	m.touched = append(m.touched, at)
	return nil
}

func (m *memStore) DeleteSession(_ context.Context, h, recordAs string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.err["DeleteSession"]; err != nil {
		return err
	}
	if _, ok := m.sessions[h]; !ok {
		return care.Errorf(care.ENOTFOUND, "no session")
	}
	delete(m.sessions, h)
	m.deleted = append(m.deleted, recordAs)
	return nil
}

func (m *memStore) CreateAPIToken(_ context.Context, t identity.APIToken) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.err["CreateAPIToken"]; err != nil {
		return err
	}
	m.tokens[t.TokenHash] = t
	return nil
}

func (m *memStore) TokenUser(_ context.Context, h string) (identity.APIToken, identity.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.err["TokenUser"]; err != nil {
		return identity.APIToken{}, identity.User{}, err
	}
	t, ok := m.tokens[h]
	if !ok {
		return identity.APIToken{}, identity.User{}, care.Errorf(care.ENOTFOUND, "no token")
	}
	return t, m.userByID(t.UserID), nil
}

func (m *memStore) LoginFailures(_ context.Context, keys []string) (map[string]identity.LoginFailures, error) {
	m.mu.Lock()
	m.failureCalls++
	call, hook := m.failureCalls, m.beforeFailures
	m.mu.Unlock()
	if hook != nil {
		hook(call)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.err["LoginFailures"]; err != nil {
		return nil, err
	}
	out := map[string]identity.LoginFailures{}
	for _, k := range keys {
		if f, ok := m.failures[k]; ok {
			out[k] = f
		}
	}
	return out, nil
}

func (m *memStore) RecordLoginFailure(_ context.Context, keys []string, at, since time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.err["RecordLoginFailure"]; err != nil {
		return err
	}
	for _, k := range keys {
		f := m.failures[k]
		if f.Last.Before(since) {
			f.Count = 0
		}
		f.Count++
		f.Last = at
		m.failures[k] = f
	}
	m.recorded = append(m.recorded, append([]string(nil), keys...))
	m.since = append(m.since, since)
	return nil
}

func (m *memStore) ClearLoginFailures(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.err["ClearLoginFailures"]; err != nil {
		return err
	}
	delete(m.failures, key)
	return nil
}

const testPassword = "correct horse battery staple"

var testHash = sync.OnceValue(func() string {
	h, err := HashPassword(testPassword)
	if err != nil {
		panic(err)
	}
	return h
})

// t0 is a fixed clock reading, in a zone other than UTC so that the
// Service's conversion to UTC shows.
var t0 = time.Date(2025, time.March, 31, 9, 0, 0, 0, time.FixedZone("BST", 3600))

// fixture is a Service over a memStore with one user, "hart", and a clock
// the test moves.
type fixture struct {
	st  *memStore
	svc *Service
	now time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{st: newMemStore(), now: t0}
	if _, err := f.st.CreateUser(context.Background(), identity.User{Name: "hart", Role: identity.RoleAdmin, PasswordHash: testHash()}); err != nil {
		t.Fatal(err)
	}
	f.svc = NewService(f.st)
	f.svc.Now = func() time.Time { return f.now }
	return f
}

func waitOf(t *testing.T, err error) time.Duration {
	t.Helper()
	var we *WaitError
	if care.ErrorCode(err) != care.EBUSY || !asWait(err, &we) {
		t.Fatalf("want EBUSY with a wait, got %v", err)
	}
	return we.RetryAfter()
}

// TestLoginRightPassword: the right password signs in with a new token each
// time, stores only the token's hash, starts the session now (in UTC) and
// clears the name's failures.
func TestLoginRightPassword(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.st.failures[nameKey("hart")] = identity.LoginFailures{Count: 3, Last: t0}
	tok, u, err := f.svc.LoginFrom(ctx, "  hart ", testPassword, "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "hart" || tok == "" {
		t.Fatalf("user %+v token %q", u, tok)
	}
	s, ok := f.st.sessions[HashToken(tok)]
	if !ok || s.UserID != u.ID {
		t.Fatalf("no session under the token's hash: %+v", f.st.sessions)
	}
	if _, ok := f.st.sessions[tok]; ok {
		t.Error("the token itself is stored")
	}
	if !s.Created.Equal(t0) || !s.LastSeen.Equal(t0) || s.Created.Location() != time.UTC {
		t.Errorf("session times %v %v, want %v in UTC", s.Created, s.LastSeen, t0)
	}
	if _, ok := f.st.failures[nameKey("hart")]; ok {
		t.Error("the name's failures were not cleared")
	}
	tok2, _, err := f.svc.Login(ctx, "hart", testPassword)
	if err != nil || tok2 == tok {
		t.Errorf("second sign-in: %q %v (a token is never reused)", tok2, err)
	}
}

// TestLoginRefused: a wrong password, an unknown name and a disabled user
// all get the same answer, and each counts as a failure under the name and
// the address, forgotten after 15 minutes.
func TestLoginRefused(t *testing.T) {
	for _, tc := range []struct {
		name, user, password string
		disabled             bool
	}{
		{"WrongPassword", "hart", "correct horse battery stapler", false},
		{"UnknownName", "hartt", testPassword, false},
		{"Disabled", "hart", testPassword, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			if tc.disabled {
				u := f.st.users["hart"]
				u.Disabled = true
				f.st.users["hart"] = u
			}
			_, _, err := f.svc.LoginFrom(context.Background(), tc.user, tc.password, "10.0.0.1")
			if care.ErrorCode(err) != care.EUNAUTHORIZED || !strings.Contains(err.Error(), "user name or password is not right") {
				t.Fatalf("got %v", err)
			}
			if len(f.st.sessions) != 0 {
				t.Error("a session was started")
			}
			if len(f.st.recorded) != 1 || strings.Join(f.st.recorded[0], " ") != nameKey(tc.user)+" "+addrKey("10.0.0.1") {
				t.Errorf("failures recorded under %v", f.st.recorded)
			}
			if want := t0.Add(-15 * time.Minute); !f.st.since[0].Equal(want) {
				t.Errorf("failures before %v forgotten, want before %v", f.st.since[0], want)
			}
		})
	}
	// Without an address (the CLI), only the name counts.
	f := newFixture(t)
	if _, _, err := f.svc.Login(context.Background(), "hart", "not the password"); care.ErrorCode(err) != care.EUNAUTHORIZED {
		t.Fatal(err)
	}
	if len(f.st.recorded) != 1 || len(f.st.recorded[0]) != 1 || f.st.recorded[0][0] != nameKey("hart") {
		t.Errorf("recorded %v", f.st.recorded)
	}
}

// TestLoginStoreErrors: a store failure is reported as it is, never as a
// wrong password, and no session is started.
func TestLoginStoreErrors(t *testing.T) {
	boom := care.Errorf(care.EINTERNAL, "disk on fire")
	for _, tc := range []struct {
		method, password, user string
	}{
		{"LoginFailures", testPassword, "hart"},
		{"UserByName", testPassword, "hart"},
		{"RecordLoginFailure", "wrong wrong wrong", "hart"},
		{"RecordLoginFailure", testPassword, "nobody"},
		{"ClearLoginFailures", testPassword, "hart"},
		{"CreateSession", testPassword, "hart"},
	} {
		f := newFixture(t)
		f.st.err[tc.method] = boom
		tok, _, err := f.svc.Login(context.Background(), tc.user, tc.password)
		if !errors.Is(err, boom) && err != boom {
			t.Errorf("%s fails (%s): got %v", tc.method, tc.user, err)
		}
		if tok != "" {
			t.Errorf("%s fails: token %q", tc.method, tok)
		}
	}
	// The second check, with the slot held, reports a store failure too.
	f := newFixture(t)
	f.st.beforeFailures = func(call int) {
		if call == 2 {
			f.st.mu.Lock()
			f.st.err["LoginFailures"] = boom
			f.st.mu.Unlock()
		}
	}
	if _, _, err := f.svc.Login(context.Background(), "hart", testPassword); err != boom {
		t.Errorf("second check fails: got %v", err)
	}
}

// TestLoginThrottleName: five failures for a name are free; after the
// fifth the next attempt must wait one second from it, even with the right
// password, and the right password after the wait signs in.
func TestLoginThrottleName(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for i := 1; i <= 4; i++ {
		if _, _, err := f.svc.Login(ctx, "hart", "wrong password!"); care.ErrorCode(err) != care.EUNAUTHORIZED {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	// Four failures: the fifth attempt is free (and fails).
	if _, _, err := f.svc.Login(ctx, "HART", "wrong password!"); care.ErrorCode(err) != care.EUNAUTHORIZED {
		t.Fatalf("fifth attempt: %v", err)
	}
	// Five failures: the sixth must wait a second from the last failure.
	f.now = t0.Add(999 * time.Millisecond)
	_, _, err := f.svc.Login(ctx, "hart", testPassword)
	if w := waitOf(t, err); w != time.Second {
		t.Errorf("wait %s, want 1s", w)
	}
	if !strings.Contains(err.Error(), "wait 1 seconds") {
		t.Errorf("message %q", err)
	}
	if f.st.failures[nameKey("hart")].Count != 5 {
		t.Error("a throttled attempt counted as a failure")
	}
	// On the second: no wait, and the right password signs in.
	f.now = t0.Add(time.Second)
	if _, _, err := f.svc.Login(ctx, "hart", testPassword); err != nil {
		t.Fatalf("after the wait: %v", err)
	}
}

// TestLoginThrottleWaitRounding: the wait asked is whole seconds, rounded up.
func TestLoginThrottleWaitRounding(t *testing.T) {
	for _, tc := range []struct {
		count   int
		elapsed time.Duration
		want    time.Duration
	}{
		{6, 500 * time.Millisecond, 2 * time.Second}, // 1.5 s left
		{6, time.Second, time.Second},                // 1 s left exactly
		{6, 1001 * time.Millisecond, time.Second},    // 0.999 s left
		{7, 0, 4 * time.Second},                      // 4 s left
		{20, 0, 30 * time.Second},                    // capped at 30 s for a name
		{20, 29*time.Second + time.Millisecond, time.Second},
	} {
		f := newFixture(t)
		f.st.failures[nameKey("hart")] = identity.LoginFailures{Count: tc.count, Last: t0}
		f.now = t0.Add(tc.elapsed)
		_, _, err := f.svc.Login(context.Background(), "hart", testPassword)
		if w := waitOf(t, err); w != tc.want {
			t.Errorf("%d failures, %s later: wait %s, want %s", tc.count, tc.elapsed, w, tc.want)
		}
	}
	// 30 s after the last of many failures: no wait.
	f := newFixture(t)
	f.st.failures[nameKey("hart")] = identity.LoginFailures{Count: 20, Last: t0}
	f.now = t0.Add(30 * time.Second)
	if _, _, err := f.svc.Login(context.Background(), "hart", testPassword); err != nil {
		t.Errorf("30 s after: %v", err)
	}
}

// TestLoginThrottleAddress: ten failures from an address are free, whatever
// the names; after them the address waits from one second up to 60.
func TestLoginThrottleAddress(t *testing.T) {
	for _, tc := range []struct {
		count int
		want  time.Duration // 0: no wait
	}{
		{9, 0}, {10, time.Second}, {11, 2 * time.Second}, {16, 60 * time.Second}, {100, 60 * time.Second},
	} {
		f := newFixture(t)
		f.st.failures[addrKey("10.0.0.9")] = identity.LoginFailures{Count: tc.count, Last: t0}
		_, _, err := f.svc.LoginFrom(context.Background(), "hart", testPassword, "10.0.0.9")
		if tc.want == 0 {
			if err != nil {
				t.Errorf("%d failures from the address: %v", tc.count, err)
			}
			continue
		}
		if w := waitOf(t, err); w != tc.want {
			t.Errorf("%d failures from the address: wait %s, want %s", tc.count, w, tc.want)
		}
		// Another address is not held up.
		if _, _, err := f.svc.LoginFrom(context.Background(), "hart", testPassword, "10.0.0.10"); err != nil {
			t.Errorf("%d failures from another address: %v", tc.count, err)
		}
	}
	// The name's limit (5) does not apply to the address: 9 failures from
	// an address under different names, none for "hart".
	f := newFixture(t)
	for i := range 9 {
		_, _, err := f.svc.LoginFrom(context.Background(), "user"+string(rune('a'+i)), "wrong password!", "10.0.0.9")
		if care.ErrorCode(err) != care.EUNAUTHORIZED {
			t.Fatalf("failure %d: %v", i, err)
		}
	}
	if _, _, err := f.svc.LoginFrom(context.Background(), "hart", testPassword, "10.0.0.9"); err != nil {
		t.Errorf("after 9 failures from the address: %v", err)
	}
	// The address's limit (10) does not apply to the name: 5 failures for
	// the name wait.
	f = newFixture(t)
	f.st.failures[nameKey("hart")] = identity.LoginFailures{Count: 5, Last: t0}
	if _, _, err := f.svc.LoginFrom(context.Background(), "hart", testPassword, "10.0.0.9"); waitOf(t, err) != time.Second {
		t.Errorf("5 failures for the name: %v", err)
	}
}

// TestLoginThrottleWindow: failures older than 15 minutes are forgotten.
func TestLoginThrottleWindow(t *testing.T) {
	for _, tc := range []struct {
		age    time.Duration
		forget bool
	}{
		{15*time.Minute + time.Nanosecond, true},
		{16 * time.Minute, true},
	} {
		f := newFixture(t)
		f.st.failures[nameKey("hart")] = identity.LoginFailures{Count: 50, Last: t0.Add(-tc.age)}
		if _, _, err := f.svc.Login(context.Background(), "hart", testPassword); err != nil {
			t.Errorf("failures %s old: %v", tc.age, err)
		}
	}
	// A failure 15 minutes and a nanosecond ago does not add to the count:
	// the store is told to restart counts last failed before then.
	f := newFixture(t)
	f.st.failures[nameKey("hart")] = identity.LoginFailures{Count: 50, Last: t0.Add(-15*time.Minute - time.Nanosecond)}
	if _, _, err := f.svc.Login(context.Background(), "hart", "wrong password!"); care.ErrorCode(err) != care.EUNAUTHORIZED {
		t.Fatal(err)
	}
	if c := f.st.failures[nameKey("hart")].Count; c != 1 {
		t.Errorf("count after an old run of failures: %d, want 1", c)
	}
}

// TestLoginRecheckWithSlot: the wait is checked again once a password-check
// slot is held, so sign-ins that queued together do not all pass on one old
// count.
func TestLoginRecheckWithSlot(t *testing.T) {
	f := newFixture(t)
	f.st.beforeFailures = func(call int) {
		if call == 2 { // others' failures recorded while this one queued
			f.st.mu.Lock()
			f.st.failures[nameKey("hart")] = identity.LoginFailures{Count: 6, Last: t0}
			f.st.mu.Unlock()
		}
	}
	_, _, err := f.svc.Login(context.Background(), "hart", testPassword)
	if w := waitOf(t, err); w != 2*time.Second {
		t.Errorf("wait %s, want 2s", w)
	}
	if len(f.st.sessions) != 0 {
		t.Error("signed in on the old count")
	}
}

// TestPasswordCheckSlots: at most HashSlots checks at once (4 when unset);
// a sign-in that finds none free within QueueWait is told to try again in a
// second; one whose context ends first gets the context's error.
func TestPasswordCheckSlots(t *testing.T) {
	ctx := context.Background()
	for _, slots := range []int{0, -1} {
		f := newFixture(t)
		f.svc.HashSlots = slots
		f.svc.QueueWait = time.Millisecond
		for i := range 4 {
			if _, err := f.svc.acquire(ctx); err != nil {
				t.Fatalf("HashSlots %d: check %d of 4: %v", slots, i+1, err)
			}
		}
		_, err := f.svc.acquire(ctx)
		if w := waitOf(t, err); w != time.Second || !strings.Contains(err.Error(), "busy checking other sign-ins") {
			t.Errorf("HashSlots %d: a fifth check: %v", slots, err)
		}
	}
	// One slot, held: the sign-in is refused, not queued without bound.
	f := newFixture(t)
	f.svc.HashSlots = 1
	f.svc.QueueWait = time.Millisecond
	release, err := f.svc.acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = f.svc.Login(ctx, "hart", testPassword)
	if waitOf(t, err) != time.Second {
		t.Errorf("slot held: %v", err)
	}
	// Freed: the sign-in goes through, and gives its slot back.
	release()
	for i := range 2 {
		if _, _, err := f.svc.Login(ctx, "hart", testPassword); err != nil {
			t.Fatalf("slot free, sign-in %d: %v", i+1, err)
		}
	}
	// A slot freed while waiting is taken.
	f = newFixture(t)
	f.svc.HashSlots = 1
	f.svc.QueueWait = time.Minute
	release, _ = f.svc.acquire(ctx)
	go func() { time.Sleep(10 * time.Millisecond); release() }()
	if _, _, err := f.svc.Login(ctx, "hart", testPassword); err != nil {
		t.Errorf("slot freed while waiting: %v", err)
	}
}

// TestPasswordCheckSlotsDefaultWait: with QueueWait unset the wait is the
// default (2 seconds), not none: a sign-in whose context is cancelled after
// a few milliseconds gets the context's error, not "busy".
func TestPasswordCheckSlotsDefaultWait(t *testing.T) {
	for _, wait := range []time.Duration{0, -time.Second} {
		f := newFixture(t)
		f.svc.HashSlots = 1
		f.svc.QueueWait = wait
		if _, err := f.svc.acquire(context.Background()); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(20*time.Millisecond, cancel)
		_, err := f.svc.acquire(ctx)
		if care.ErrorCode(err) != care.EBUSY || !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "abandoned") {
			t.Errorf("QueueWait %s: got %v, want the sign-in abandoned", wait, err)
		}
	}
}

// TestSessionLifetimes: a session lasts until it has been idle more than 30
// minutes or exists more than 12 hours (defaults), then is deleted; it is
// renewed at most once a minute.
func TestSessionLifetimes(t *testing.T) {
	const idle, abs = 30 * time.Minute, 12 * time.Hour
	for _, tc := range []struct {
		name              string
		created, lastSeen time.Duration // before now
		disabled          bool
		ok, touched       bool
		idleSet, absSet   time.Duration // the Service's settings (0: default)
	}{
		{name: "Fresh", ok: true},
		{name: "IdleOnLimit", created: idle, lastSeen: idle, ok: true, touched: true},
		{name: "IdleOverLimit", created: idle + time.Nanosecond, lastSeen: idle + time.Nanosecond},
		{name: "AbsoluteOnLimit", created: abs, lastSeen: time.Minute, ok: true},
		{name: "AbsoluteOverLimit", created: abs + time.Nanosecond, lastSeen: 0},
		{name: "Disabled", disabled: true},
		{name: "RenewOnMinute", created: time.Hour, lastSeen: time.Minute, ok: true},
		{name: "RenewOverMinute", created: time.Hour, lastSeen: time.Minute + time.Nanosecond, ok: true, touched: true},
		{name: "IdleSet", created: 10 * time.Minute, lastSeen: 10*time.Minute + time.Nanosecond, idleSet: 10 * time.Minute},
		{name: "IdleSetOn", created: 10 * time.Minute, lastSeen: 10 * time.Minute, idleSet: 10 * time.Minute, ok: true, touched: true},
		{name: "AbsSet", created: time.Hour + time.Nanosecond, idleSet: -1, absSet: time.Hour},
		{name: "AbsSetOn", created: time.Hour, absSet: time.Hour, ok: true},
		{name: "NegativeIdleIsDefault", created: 29 * time.Minute, lastSeen: 29 * time.Minute, idleSet: -1, absSet: -1, ok: true, touched: true},
		{name: "NegativeAbsIsDefault", created: 11 * time.Hour, lastSeen: 0, absSet: -1, ok: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.svc.IdleTimeout, f.svc.AbsoluteTimeout = tc.idleSet, tc.absSet
			if tc.disabled {
				u := f.st.users["hart"]
				u.Disabled = true
				f.st.users["hart"] = u
			}
			now := t0.UTC()
			h := HashToken("tok")
			f.st.sessions[h] = identity.Session{TokenHash: h, UserID: 1, Created: now.Add(-tc.created), LastSeen: now.Add(-tc.lastSeen)}
			u, err := f.svc.Session(context.Background(), "tok")
			if tc.ok {
				if err != nil || u.Name != "hart" {
					t.Fatalf("got %+v %v, want hart's session", u, err)
				}
			} else {
				if care.ErrorCode(err) != care.EUNAUTHORIZED || !strings.Contains(err.Error(), "session has ended") {
					t.Fatalf("got %+v %v, want the session ended", u, err)
				}
				if _, ok := f.st.sessions[h]; ok || len(f.st.deleted) != 1 || f.st.deleted[0] != "session expired" {
					t.Errorf("ended session not deleted as expired: %v", f.st.deleted)
				}
			}
			if touched := len(f.st.touched) == 1; touched != tc.touched {
				t.Errorf("renewed %v, want %v", f.st.touched, tc.touched)
			} else if touched && !f.st.touched[0].Equal(now) {
				t.Errorf("renewed to %v, want %v", f.st.touched[0], now)
			}
		})
	}
}

// TestSessionRefusals: no token, an unknown one, and store failures.
func TestSessionRefusals(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.svc.Session(ctx, ""); care.ErrorCode(err) != care.EUNAUTHORIZED || !strings.Contains(err.Error(), "please sign in") {
		t.Errorf("no token: %v", err)
	}
	if _, err := f.svc.Session(ctx, "unknown"); care.ErrorCode(err) != care.EUNAUTHORIZED || !strings.Contains(err.Error(), "session has ended") {
		t.Errorf("unknown token: %v", err)
	}
	boom := care.Errorf(care.EINTERNAL, "disk on fire")
	f.st.err["SessionUser"] = boom
	if _, err := f.svc.Session(ctx, "unknown"); err != boom {
		t.Errorf("store fails: %v", err)
	}
	delete(f.st.err, "SessionUser")
	h := HashToken("tok")
	f.st.sessions[h] = identity.Session{TokenHash: h, UserID: 1, Created: t0.Add(-time.Hour), LastSeen: t0.Add(-2 * time.Minute)}
	f.st.err["TouchSession"] = boom
	if _, err := f.svc.Session(ctx, "tok"); err != boom {
		t.Errorf("renewal fails: %v", err)
	}
}

// TestServiceClock: with no clock set the Service uses the time now, in UTC.
func TestServiceClock(t *testing.T) {
	s := &Service{}
	before := time.Now()
	got := s.now()
	if got.Location() != time.UTC || got.Before(before.Add(-time.Second)) || got.After(time.Now().Add(time.Second)) {
		t.Errorf("now %v", got)
	}
	f := newFixture(t)
	if got := f.svc.now(); !got.Equal(t0) || got.Location() != time.UTC {
		t.Errorf("set clock: %v", got)
	}
}

// TestLogout: signing out deletes the session, recorded as "logout"; no
// token or an unknown one is not an error; a store failure is.
func TestLogout(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tok, _, err := f.svc.Login(ctx, "hart", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Logout(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if len(f.st.sessions) != 0 || len(f.st.deleted) != 1 || f.st.deleted[0] != "logout" {
		t.Errorf("sessions %v deleted %v", f.st.sessions, f.st.deleted)
	}
	if err := f.svc.Logout(ctx, tok); err != nil {
		t.Errorf("unknown token: %v", err)
	}
	f.st.err["DeleteSession"] = care.Errorf(care.EINTERNAL, "disk on fire")
	if err := f.svc.Logout(ctx, ""); err != nil {
		t.Errorf("no token: %v", err)
	}
	if err := f.svc.Logout(ctx, tok); care.ErrorCode(err) != care.EINTERNAL {
		t.Errorf("store fails: %v", err)
	}
}

// TestAPITokens: a token is "sfy_" and a secret shown once; it works until
// it expires (on the expiry instant it still works) or its user is disabled.
func TestAPITokens(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tok, err := f.svc.NewAPIToken(ctx, "hart", "reporting", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	secret, ok := strings.CutPrefix(tok, "sfy_")
	if !ok || secret == "" {
		t.Fatalf("token %q", tok)
	}
	st, ok := f.st.tokens[HashToken(secret)]
	if !ok || st.Label != "reporting" || !st.Created.Equal(t0) || !st.Expires.Equal(t0.Add(time.Hour)) || st.Created.Location() != time.UTC {
		t.Fatalf("stored %+v", f.st.tokens)
	}
	for _, tc := range []struct {
		at time.Duration
		ok bool
	}{{0, true}, {time.Hour, true}, {time.Hour + time.Nanosecond, false}} {
		f.now = t0.Add(tc.at)
		u, err := f.svc.Token(ctx, tok)
		if tc.ok && (err != nil || u.Name != "hart") {
			t.Errorf("%s after: %+v %v", tc.at, u, err)
		}
		if !tc.ok && (care.ErrorCode(err) != care.EUNAUTHORIZED || !strings.Contains(err.Error(), "expired")) {
			t.Errorf("%s after: %v, want expired", tc.at, err)
		}
	}
	// No ttl (or a negative one): never expires.
	for _, ttl := range []time.Duration{0, -time.Hour} {
		f.now = t0
		tok, err := f.svc.NewAPIToken(ctx, "hart", "forever", ttl)
		if err != nil {
			t.Fatal(err)
		}
		if st := f.st.tokens[HashToken(strings.TrimPrefix(tok, "sfy_"))]; !st.Expires.IsZero() {
			t.Errorf("ttl %s: expires %v", ttl, st.Expires)
		}
		f.now = t0.Add(100 * 365 * 24 * time.Hour)
		if _, err := f.svc.Token(ctx, tok); err != nil {
			t.Errorf("ttl %s, a century later: %v", ttl, err)
		}
	}
	// A disabled user's tokens stop working.
	u := f.st.users["hart"]
	u.Disabled = true
	f.st.users["hart"] = u
	f.now = t0
	if _, err := f.svc.Token(ctx, tok); care.ErrorCode(err) != care.EUNAUTHORIZED {
		t.Errorf("disabled user: %v", err)
	}
}

// TestAPITokenRefusals: wrong forms, unknown users and store failures.
func TestAPITokenRefusals(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, tok := range []string{"", "sfy_", "abc", HashToken("x")} {
		if _, err := f.svc.Token(ctx, tok); care.ErrorCode(err) != care.EUNAUTHORIZED || !strings.Contains(err.Error(), "not right") {
			t.Errorf("token %q: %v", tok, err)
		}
	}
	// The secret without its prefix is refused even when the secret is known.
	tok, err := f.svc.NewAPIToken(ctx, "hart", "x", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Token(ctx, strings.TrimPrefix(tok, "sfy_")); care.ErrorCode(err) != care.EUNAUTHORIZED {
		t.Errorf("no prefix: %v", err)
	}
	if _, err := f.svc.NewAPIToken(ctx, "nobody", "x", 0); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("unknown user: %v", err)
	}
	boom := care.Errorf(care.EINTERNAL, "disk on fire")
	f.st.err["CreateAPIToken"] = boom
	if tok, err := f.svc.NewAPIToken(ctx, "hart", "x", 0); err != boom || tok != "" {
		t.Errorf("store fails: %q %v", tok, err)
	}
	f.st.err["TokenUser"] = boom
	if _, err := f.svc.Token(ctx, tok); err != boom {
		t.Errorf("lookup fails: %v", err)
	}
}
