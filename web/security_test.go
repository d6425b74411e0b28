package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sufficiency/auth"
	"sufficiency/care"
	"sufficiency/internal/storetest"
	"sufficiency/store"
)

// Issue 15 item 9: the page to return to after sign-in is accepted only when
// it parses as a same-origin relative path.
func TestSafeNextAcceptsOnlySameOriginRelativePaths(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"/", "/"},
		{"/councils/E06000001", "/councils/E06000001"},
		{"/market?at=2025-03-31", "/market?at=2025-03-31"},
		{"/regions/North%20East", "/regions/North%20East"},
		{"/councils/E06000001#frag", "/councils/E06000001"},
		{"", "/"},
		{"//evil.example", "/"},
		{"/\\evil.example", "/"},
		{"/\t/evil.example", "/"},   // browsers drop the tab: //evil.example
		{"/\n/evil.example", "/"},   // and newlines
		{"/\r\n/evil.example", "/"}, //
		{"/\x00/evil.example", "/"},
		{"/\x7f/evil.example", "/"},
		{"\\\\evil.example", "/"},
		{"https://evil.example/", "/"},
		{"https:/evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"evil.example", "/"},
		{"//user@evil.example", "/"},
		{"/%2F/evil.example", "/"},
		{"/%2f%2fevil.example", "/"},
		{"%2F%2Fevil.example", "/"},
		{"/" + strings.Repeat("a", 3000), "/"},
	} {
		if got := safeNext(tc.in); got != tc.want {
			t.Errorf("safeNext(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// The redirect after a successful sign-in never leaves the site.
func TestLoginRedirectStaysOnSite(t *testing.T) {
	f := newFixture(t)
	for _, next := range []string{"/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example"} {
		form := url.Values{"name": {"hart"}, "password": {testPassword}, "next": {next}}
		w := f.do(t, "POST", "/login", strings.NewReader(form.Encode()), nil)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("next %q: status %d", next, w.Code)
		}
		if loc := w.Header().Get("Location"); loc != "/" {
			t.Errorf("next %q: redirected to %q, want /", next, loc)
		}
	}
}

// loginAs posts a sign-in from addr and returns the response.
func (f *fixture) loginFrom(t *testing.T, srv *Server, name, password, addr string) *httptest.ResponseRecorder {
	t.Helper()
	form := url.Values{"name": {name}, "password": {password}}
	r := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = addr + ":40000"
	w := httptest.NewRecorder()
	srv.Handler().ServeHTTP(w, r)
	return w
}

// Issue 15 item 2: many names sprayed from one address are slowed down
// after FreeAddrFailures failures (they were all checked before).
func TestLoginSprayFromOneAddressThrottled(t *testing.T) {
	f := newFixture(t)
	throttled := 0
	for i := 0; i < 30; i++ {
		w := f.loginFrom(t, f.srv, fmt.Sprintf("guess%02d", i), "wrong password!", "203.0.113.7")
		switch {
		case i < auth.FreeAddrFailures && w.Code != http.StatusUnauthorized:
			t.Fatalf("attempt %d: status %d, want 401", i, w.Code)
		case i >= auth.FreeAddrFailures && w.Code != http.StatusTooManyRequests:
			t.Fatalf("attempt %d: status %d, want 429", i, w.Code)
		case w.Code == http.StatusTooManyRequests:
			throttled++
			if w.Header().Get("Retry-After") == "" {
				t.Fatalf("attempt %d: 429 without Retry-After", i)
			}
		}
	}
	if throttled != 30-auth.FreeAddrFailures {
		t.Errorf("%d throttled", throttled)
	}
	// Another address is not slowed by this one.
	if w := f.loginFrom(t, f.srv, "hart", testPassword, "198.51.100.1"); w.Code != http.StatusSeeOther {
		t.Errorf("other address: status %d", w.Code)
	}
}

// The throttle lives in the database: a second server over the same
// database (a restart, or another app server) sees the failures.
func TestLoginThrottleHoldsAcrossServers(t *testing.T) {
	f := newFixture(t)
	for i := 0; i < auth.FreeNameFailures; i++ {
		if w := f.loginFrom(t, f.srv, "hart", "wrong password!", fmt.Sprintf("198.51.100.%d", i+1)); w.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d", i, w.Code)
		}
	}
	other, err := New(Config{Store: f.db, InsecureCookies: true, Now: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if w := f.loginFrom(t, other, "HART", testPassword, "198.51.100.99"); w.Code != http.StatusTooManyRequests {
		t.Fatalf("second server: status %d, want 429", w.Code)
	}
}

// The throttle is a delay, never a lockout: however many failures an
// attacker causes, the user waits at most MaxNameDelay.
func TestLoginThrottleIsNotALockout(t *testing.T) {
	f := newFixture(t)
	for i := 0; i < 40; i++ {
		w := f.loginFrom(t, f.srv, "hart", "wrong password!", fmt.Sprintf("192.0.2.%d", i+1))
		if w.Code == http.StatusTooManyRequests {
			ra, err := strconv.Atoi(w.Header().Get("Retry-After"))
			if err != nil || ra < 1 || time.Duration(ra)*time.Second > auth.MaxNameDelay {
				t.Fatalf("attempt %d: Retry-After %q", i, w.Header().Get("Retry-After"))
			}
			f.clock.Add(time.Duration(ra) * time.Second)
		}
	}
	f.clock.Add(auth.MaxNameDelay)
	if w := f.loginFrom(t, f.srv, "hart", testPassword, "192.0.2.200"); w.Code != http.StatusSeeOther {
		t.Fatalf("the user after %s: status %d", auth.MaxNameDelay, w.Code)
	}
}

// Issue 15 item 1: password checks run in a bounded pool; when it is full a
// sign-in is answered 429 with Retry-After at once rather than queued.
func TestLoginPoolBackPressure(t *testing.T) {
	f := newFixture(t)
	f.srv.auth.HashSlots = 1
	f.srv.auth.QueueWait = time.Millisecond
	var wg sync.WaitGroup
	codes := make([]int, 12)
	retry := make([]string, 12)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := f.loginFrom(t, f.srv, fmt.Sprintf("user%d", i), "wrong password!", fmt.Sprintf("192.0.2.%d", i+1))
			codes[i], retry[i] = w.Code, w.Header().Get("Retry-After")
		}()
	}
	wg.Wait()
	busy := 0
	for i, c := range codes {
		switch c {
		case http.StatusUnauthorized:
		case http.StatusTooManyRequests:
			busy++
			if retry[i] != "1" {
				t.Errorf("429 with Retry-After %q", retry[i])
			}
		default:
			t.Errorf("status %d", c)
		}
	}
	if busy == 0 {
		t.Errorf("12 concurrent sign-ins through one slot with no queue: none refused (%v)", codes)
	}
}

// 100 concurrent sign-ins with wrong passwords keep the server's memory
// bounded (before: 100 × 19 MiB of Argon2id at once, 2 GB and more).
func TestLoginMemoryBoundedUnderConcurrentSignIns(t *testing.T) {
	if testing.Short() {
		t.Skip("100 password checks")
	}
	f := newFixture(t)
	// Each attempt from its own address (a distributed attack), so that the
	// per-address throttle does not hide the pool.
	h := f.srv.Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.RemoteAddr = r.Header.Get("X-Test-Addr") + ":40000"
		h.ServeHTTP(w, r)
	}))
	defer ts.Close()
	runtime.GC()
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if v := ms.Sys - ms.HeapReleased; v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	var wg sync.WaitGroup
	var ok, busy, other atomic.Int32
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			form := url.Values{"name": {fmt.Sprintf("user%03d", i)}, "password": {"wrong password!"}}
			req, _ := http.NewRequest("POST", ts.URL+"/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Test-Addr", fmt.Sprintf("10.0.%d.%d", i/200, i%200+1))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				other.Add(1)
				return
			}
			resp.Body.Close()
			switch resp.StatusCode {
			case http.StatusUnauthorized:
				ok.Add(1)
			case http.StatusTooManyRequests:
				busy.Add(1)
			default:
				other.Add(1)
			}
		}()
	}
	wg.Wait()
	close(stop)
	<-sampled
	mb := peak.Load() >> 20
	t.Logf("100 concurrent sign-ins: %d checked (401), %d refused busy (429), peak memory from the Go runtime %d MiB", ok.Load(), busy.Load(), mb)
	if other.Load() != 0 || ok.Load() == 0 {
		t.Errorf("%d answered neither 401 nor 429; %d checked", other.Load(), ok.Load())
	}
	if mb >= 300 {
		t.Errorf("peak memory %d MiB, want under 300", mb)
	}
}

// Issue 15 item 11: one user's requests run at most MaxUserRequests at a
// time; the next waits, then is refused 429 with Retry-After. Other users
// are not affected.
func TestPerUserConcurrencyLimit(t *testing.T) {
	f := newFixture(t)
	f.srv.limits.userWait = 50 * time.Millisecond
	hart, admin := f.login(t, "hart"), f.login(t, "admin")
	gate := make(chan struct{})
	started := make(chan struct{}, 10)
	slow := f.srv.requireUser(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		<-gate
		w.WriteHeader(http.StatusNoContent)
	}), true)
	serve := func(c *http.Cookie) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/api/v1/slow", nil)
		r.AddCookie(c)
		w := httptest.NewRecorder()
		slow.ServeHTTP(w, r)
		return w
	}
	var wg sync.WaitGroup
	codes := make(chan int, MaxUserRequests)
	for i := 0; i < MaxUserRequests; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); codes <- serve(hart).Code }()
	}
	for i := 0; i < MaxUserRequests; i++ {
		<-started
	}
	w := serve(hart)
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "2" || !strings.Contains(w.Body.String(), "requests running") {
		t.Errorf("request %d of one user: status %d, Retry-After %q, %s", MaxUserRequests+1, w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	// Another user still gets in.
	go func() { <-started }()
	done := make(chan int)
	go func() { done <- serve(admin).Code }()
	time.Sleep(20 * time.Millisecond)
	close(gate)
	if c := <-done; c != http.StatusNoContent {
		t.Errorf("other user: status %d", c)
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != http.StatusNoContent {
			t.Errorf("status %d", c)
		}
	}
	// Slots are given back.
	go func() { <-started }()
	if w := serve(hart); w.Code != http.StatusNoContent {
		t.Errorf("after the others finished: status %d", w.Code)
	}
}

// Expensive pages share a server-wide pool: beyond it a request waits, then
// is refused 429 (not run, holding memory).
func TestHeavyPagesShareABoundedPool(t *testing.T) {
	f := newFixture(t)
	f.srv.limits = newLimits(0, 1)
	f.srv.limits.heavyWait = 50 * time.Millisecond
	// Rebuild the routes over the new limits.
	f.srv.handler = f.srv.routes()
	gate := make(chan struct{})
	started := make(chan struct{})
	h := f.srv.heavy(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-gate
	})
	go h(httptest.NewRecorder(), httptest.NewRequest("GET", "/regions/North%20East", nil))
	<-started
	c := f.login(t, "ne-rcc")
	for _, target := range []string{"/regions/North%20East", "/api/v1/regions/North%20East/picture", "/councils/" + hartlepool} {
		w := f.do(t, "GET", target, nil, withCookie(c))
		if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "5" {
			t.Errorf("%s with the pool full: status %d, Retry-After %q", target, w.Code, w.Header().Get("Retry-After"))
		}
	}
	// Cheap pages are not held up.
	if w := f.do(t, "GET", "/api/v1/me", nil, withCookie(c)); w.Code != http.StatusOK {
		t.Errorf("/api/v1/me: status %d", w.Code)
	}
	close(gate)
	if w := f.do(t, "GET", "/api/v1/regions/North%20East/picture", nil, withCookie(c)); w.Code != http.StatusOK {
		t.Errorf("after the pool freed: status %d", w.Code)
	}
}

// Issue 15 item 7: access can be revoked and the revocation holds at once,
// on pages and the API: disabling a user ends its sessions and stops its
// tokens; a password change ends its sessions; one session can be ended;
// a token can be revoked.
func TestRevocationTakesEffectAtOnce(t *testing.T) {
	f := newFixture(t)
	ctx := store.WithActor(context.Background(), "admin")
	page := func(c *http.Cookie) int { return f.do(t, "GET", "/api/v1/me", nil, withCookie(c)).Code }
	bearer := func(tok string) int {
		return f.do(t, "GET", "/api/v1/me", nil, func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }).Code
	}
	tok, err := f.srv.auth.NewAPIToken(ctx, "hart", "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	c := f.login(t, "hart")
	if page(c) != http.StatusOK || bearer(tok) != http.StatusOK {
		t.Fatal("before: not signed in")
	}

	// Disable: the session ends, the token stops, sign-in is refused.
	if _, err := f.db.SetDisabled(ctx, "hart", true); err != nil {
		t.Fatal(err)
	}
	if got := page(c); got != http.StatusUnauthorized {
		t.Errorf("session of a disabled user: %d", got)
	}
	if got := bearer(tok); got != http.StatusUnauthorized {
		t.Errorf("token of a disabled user: %d", got)
	}
	form := url.Values{"name": {"hart"}, "password": {testPassword}}
	if w := f.do(t, "POST", "/login", strings.NewReader(form.Encode()), nil); w.Code != http.StatusUnauthorized {
		t.Errorf("sign-in of a disabled user: %d", w.Code)
	}
	// Enable: the token works again, the old session stays ended.
	if _, err := f.db.SetDisabled(ctx, "hart", false); err != nil {
		t.Fatal(err)
	}
	if bearer(tok) != http.StatusOK || page(c) != http.StatusUnauthorized {
		t.Errorf("after enable: token %d, old session %d", bearer(tok), page(c))
	}

	// Password change: every session ends; the old password no longer signs in.
	f.clock.Add(auth.MaxNameDelay) // past the failure above
	c1, c2 := f.login(t, "hart"), f.login(t, "hart")
	if n, err := auth.ChangePassword(ctx, f.db, "hart", "a brand new password"); err != nil || n != 2 {
		t.Fatalf("ChangePassword: %d sessions ended, %v", n, err)
	}
	if page(c1) != http.StatusUnauthorized || page(c2) != http.StatusUnauthorized {
		t.Errorf("sessions after a password change: %d %d", page(c1), page(c2))
	}
	if w := f.do(t, "POST", "/login", strings.NewReader(form.Encode()), nil); w.Code != http.StatusUnauthorized {
		t.Errorf("old password after a change: %d", w.Code)
	}
	f.clock.Add(auth.MaxNameDelay)
	form.Set("password", "a brand new password")
	w := f.do(t, "POST", "/login", strings.NewReader(form.Encode()), nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("new password: %d", w.Code)
	}
	var c3 *http.Cookie
	for _, ck := range w.Result().Cookies() {
		if ck.Name == "sufficiency" {
			c3 = ck
		}
	}

	// One session ended by an administrator; the other sessions stay.
	admin := f.login(t, "admin")
	sess, err := f.db.Sessions(ctx, "hart")
	if err != nil || len(sess) != 1 {
		t.Fatalf("Sessions: %+v %v", sess, err)
	}
	if err := f.db.EndSession(ctx, sess[0].ID); err != nil {
		t.Fatal(err)
	}
	if page(c3) != http.StatusUnauthorized || page(admin) != http.StatusOK {
		t.Errorf("after EndSession: hart %d, admin %d", page(c3), page(admin))
	}

	// Token revoked.
	toks, err := f.db.APITokens(ctx, "hart")
	if err != nil || len(toks) != 1 {
		t.Fatalf("APITokens: %+v %v", toks, err)
	}
	if err := f.db.RevokeAPIToken(ctx, toks[0].ID); err != nil {
		t.Fatal(err)
	}
	if got := bearer(tok); got != http.StatusUnauthorized {
		t.Errorf("revoked token: %d", got)
	}
}

// Issue 15 item 3: suppression survives differencing. A council user asking
// for another council's (suppressed) picture at adjacent dates gets the
// same figures, given at the 31 March on or before the date, so no
// difference isolates one child's event; the same days seen unsuppressed by
// the council itself do differ (the attack had something to find).
func TestSuppressedViewsResistDifferencing(t *testing.T) {
	f := newFixture(t)
	// Darlington: events from April 2021 to March 2022, and one child in
	// care since 2019 (so 31 March 2021 lies within the data).
	const darlington = "E06000005"
	imp := storetest.Fixture(darlington, []int{2022}, 12, "d")
	imp.Children = append(imp.Children, care.Child{Council: darlington, ID: "900001d", Sex: care.Female, DOB: care.Date(2010, 5, 1), Ethnicity: "WBRI"})
	imp.Episodes = append(imp.Episodes, care.Episode{Council: darlington, ChildID: "900001d", Start: care.Date(2019, 4, 1), ReasonNew: "S",
		LegalStatus: "C2", CategoryOfNeed: "N1", Placement: "U4", Provider: care.ProviderPrivate})
	storetest.MustImport(t, f.db, imp)
	hart, own := f.login(t, "hart"), f.login(t, "admin")
	type pic struct {
		At         string            `json:"at"`
		Suppressed bool              `json:"suppressed"`
		Tables     []json.RawMessage `json:"tables"`
	}
	get := func(c *http.Cookie, day time.Time) pic {
		w := f.do(t, "GET", "/api/v1/councils/"+darlington+"/picture?at="+day.Format("2006-01-02"), nil, withCookie(c))
		if w.Code != http.StatusOK {
			t.Fatalf("%s: status %d: %s", day.Format("2006-01-02"), w.Code, w.Body)
		}
		var p pic
		if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	same := func(a, b pic) bool {
		if len(a.Tables) != len(b.Tables) {
			return false
		}
		for i := range a.Tables {
			if !bytes.Equal(a.Tables[i], b.Tables[i]) {
				return false
			}
		}
		return true
	}
	start := time.Date(2021, 4, 1, 0, 0, 0, 0, time.UTC)
	var prevS, prevO pic
	rawDiffs := 0
	for d := 0; d < 364; d += 7 {
		day := start.AddDate(0, 0, d)
		s, o := get(hart, day), get(own, day)
		if !s.Suppressed || o.Suppressed {
			t.Fatalf("suppressed %v for hart, %v for admin", s.Suppressed, o.Suppressed)
		}
		if s.At != "2021-03-31" {
			t.Errorf("suppressed view at %s given at %s, want the reference date 2021-03-31", day.Format("2006-01-02"), s.At)
		}
		if o.At != day.Format("2006-01-02") {
			t.Errorf("own view at %s given at %s", day.Format("2006-01-02"), o.At)
		}
		if d > 0 {
			if !same(prevS, s) {
				t.Errorf("suppressed views a week apart differ (%s): differencing isolates events", day.Format("2006-01-02"))
			}
			if !same(prevO, o) {
				rawDiffs++
			}
		}
		prevS, prevO = s, o
	}
	if rawDiffs == 0 {
		t.Fatal("the unsuppressed view never changed over the year: the fixture has nothing to difference")
	}
	// The next reference date is 31 March 2022.
	if s := get(hart, time.Date(2022, 3, 31, 0, 0, 0, 0, time.UTC)); s.At != "2022-03-31" {
		t.Errorf("at 31 March 2025: given at %s", s.At)
	}
}

// Behind a reverse proxy, sign-in failures are counted per client (from the
// trusted proxy's X-Forwarded-For), not for everyone behind the proxy; from
// anyone else X-Forwarded-For is ignored, so forging it escapes nothing.
func TestClientAddressBehindTrustedProxy(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	for _, tc := range []struct{ remote, xff, want string }{
		{"203.0.113.7:5000", "", "203.0.113.7"},
		{"203.0.113.7:5000", "198.51.100.1", "203.0.113.7"}, // not a proxy: forged header ignored
		{"10.0.0.5:5000", "198.51.100.1", "198.51.100.1"},
		{"10.0.0.5:5000", "1.2.3.4, 198.51.100.1", "198.51.100.1"},  // right-most untrusted
		{"10.0.0.5:5000", "198.51.100.1, 10.0.0.9", "198.51.100.1"}, // through two proxies
		{"10.0.0.5:5000", "", "10.0.0.5"},                           // no header
		{"10.0.0.5:5000", "not-an-address", "10.0.0.5"},             // malformed: the proxy
		{"[::ffff:10.0.0.5]:5000", "198.51.100.1", "198.51.100.1"},  // v4-mapped proxy
	} {
		r := httptest.NewRequest("POST", "/login", nil)
		r.RemoteAddr = tc.remote
		if tc.xff != "" {
			r.Header.Set("X-Forwarded-For", tc.xff)
		}
		if got := clientAddr(r, trusted); got != tc.want {
			t.Errorf("%s via %q: %s, want %s", tc.remote, tc.xff, got, tc.want)
		}
	}
	// Through the proxy: one client's failures do not slow another.
	f := newFixture(t)
	srv, err := New(Config{Store: f.db, InsecureCookies: true, Now: f.clock.Now, TrustedProxies: trusted})
	if err != nil {
		t.Fatal(err)
	}
	post := func(name, pw, client string) int {
		form := url.Values{"name": {name}, "password": {pw}}
		r := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("X-Forwarded-For", client)
		r.RemoteAddr = "10.0.0.5:40000"
		w := httptest.NewRecorder()
		srv.Handler().ServeHTTP(w, r)
		return w.Code
	}
	for i := 0; i < auth.FreeAddrFailures; i++ {
		post(fmt.Sprintf("guess%d", i), "wrong password!", "198.51.100.66")
	}
	if c := post("guess-more", "wrong password!", "198.51.100.66"); c != http.StatusTooManyRequests {
		t.Errorf("the spraying client: %d, want 429", c)
	}
	if c := post("hart", testPassword, "198.51.100.1"); c != http.StatusSeeOther {
		t.Errorf("another client behind the same proxy: %d, want 303", c)
	}
}

// One user has at most MaxUserHeavy expensive requests running: the pool is
// shared, not filled by one user; another user still gets in.
func TestOneUserCannotFillTheHeavyPool(t *testing.T) {
	f := newFixture(t)
	f.srv.limits = newLimits(0, 4)
	f.srv.limits.heavyWait = 50 * time.Millisecond
	gate := make(chan struct{})
	started := make(chan struct{}, 4)
	h := f.srv.requireUser(f.srv.heavy(func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		<-gate
		w.WriteHeader(http.StatusNoContent)
	}), true)
	serve := func(c *http.Cookie) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/api/v1/regions/North%20East/picture", nil)
		r.AddCookie(c)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	rcc, admin := f.login(t, "ne-rcc"), f.login(t, "admin")
	first := make(chan int)
	go func() { first <- serve(rcc).Code }()
	<-started
	if w := serve(rcc); w.Code != http.StatusTooManyRequests || !strings.Contains(w.Body.String(), "previous page") {
		t.Errorf("second expensive request of one user: %d %s", w.Code, w.Body)
	}
	second := make(chan int)
	go func() { second <- serve(admin).Code }()
	<-started
	close(gate)
	if a, b := <-first, <-second; a != http.StatusNoContent || b != http.StatusNoContent {
		t.Errorf("statuses %d %d", a, b)
	}
}
