package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"sufficiency/auth"
	"sufficiency/care"
	"sufficiency/identity"
	"sufficiency/internal/storetest"
	"sufficiency/store"
	"sufficiency/store/sqlite"
)

const testPassword = "correct horse battery staple"

// Councils of the test database (both in the North East).
const (
	hartlepool    = "E06000001"
	middlesbrough = "E06000002"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type fixture struct {
	db    *sqlite.DB
	srv   *Server
	clock *clock
}

// testUsers are one user of each role and scope.
var testUsers = []identity.User{
	{Name: "hart", Role: identity.RoleCouncil, Council: hartlepool},
	{Name: "ne-rcc", Role: identity.RoleRCC, Region: "North East"},
	{Name: "nw-rcc", Role: identity.RoleRCC, Region: "North West"},
	{Name: "prov", Role: identity.RoleProvider, Provider: "Acme Care Ltd"},
	{Name: "admin", Role: identity.RoleAdmin},
}

var testHash = sync.OnceValue(func() string {
	h, err := auth.HashPassword(testPassword)
	if err != nil {
		panic(err)
	}
	return h
})

// newFixture opens a temporary database with two small synthetic councils
// and one user of each role, and a server over it with a settable clock.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureTagged(t, "h")
}

// newFixtureTagged is newFixture with Hartlepool's children tagged hTag
// (storetest.Fixture: the tag shapes their ids and home postcodes).
func newFixtureTagged(t *testing.T, hTag string) *fixture {
	t.Helper()
	ctx := store.WithActor(context.Background(), "test")
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "web.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	storetest.MustImport(t, db, storetest.Fixture(hartlepool, []int{2024, 2025}, 12, hTag))
	storetest.MustImport(t, db, storetest.Fixture(middlesbrough, []int{2024, 2025}, 12, "m"))
	for _, u := range testUsers {
		u.PasswordHash = testHash()
		if _, err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	clk := &clock{t: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	db.Now = clk.Now
	srv, err := New(Config{Store: db, InsecureCookies: true, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{db: db, srv: srv, clock: clk}
}

// do serves one request through the whole handler.
func (f *fixture) do(t *testing.T, method, target string, body io.Reader, mod func(*http.Request)) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, target, body)
	if body != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if mod != nil {
		mod(r)
	}
	w := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(w, r)
	return w
}

// login signs in and returns the session cookie.
func (f *fixture) login(t *testing.T, name string) *http.Cookie {
	t.Helper()
	form := url.Values{"name": {name}, "password": {testPassword}}
	w := f.do(t, "POST", "/login", strings.NewReader(form.Encode()), nil)
	if w.Code != http.StatusSeeOther {
		t.Fatalf("login %s: status %d: %s", name, w.Code, w.Body)
	}
	for _, c := range w.Result().Cookies() {
		if c.Name == "sufficiency" && c.Value != "" {
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax", c)
			}
			return c
		}
	}
	t.Fatalf("login %s: no session cookie", name)
	return nil
}

func withCookie(c *http.Cookie) func(*http.Request) {
	return func(r *http.Request) { r.AddCookie(c) }
}

func TestHealthz(t *testing.T) {
	f := newFixture(t)
	w := f.do(t, "GET", "/healthz", nil, nil)
	if w.Code != 200 || w.Body.String() != "ok\n" {
		t.Fatalf("healthz: %d %q", w.Code, w.Body)
	}
}

func TestAnonymous(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/", "/councils/" + hartlepool, "/councils/" + hartlepool + "/review", "/regions/North%20East", "/market", "/audit"} {
		t.Run("page"+path, func(t *testing.T) {
			w := f.do(t, "GET", path, nil, nil)
			if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/login?next=") {
				t.Fatalf("status %d location %q; want a redirect to /login", w.Code, w.Header().Get("Location"))
			}
		})
	}
	for _, path := range []string{"/api/v1/me", "/api/v1/councils", "/api/v1/councils/" + hartlepool + "/picture", "/api/v1/councils/" + hartlepool + "/review", "/api/v1/market", "/api/v1/audit"} {
		t.Run("api"+path, func(t *testing.T) {
			w := f.do(t, "GET", path, nil, nil)
			p := mustProblem(t, w, http.StatusUnauthorized)
			if p.Code != care.EUNAUTHORIZED || w.Header().Get("WWW-Authenticate") == "" {
				t.Errorf("problem %+v, WWW-Authenticate %q", p, w.Header().Get("WWW-Authenticate"))
			}
		})
	}
	if w := f.do(t, "GET", "/login", nil, nil); w.Code != 200 || !strings.Contains(w.Body.String(), `name="password"`) {
		t.Errorf("GET /login: %d", w.Code)
	}
}

func mustProblem(t *testing.T, w *httptest.ResponseRecorder, status int) Problem {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d: %s", w.Code, status, w.Body)
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q, want application/problem+json", ct)
	}
	var p Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if p.Status != status || p.Title == "" {
		t.Errorf("problem %+v", p)
	}
	return p
}

// TestRoles checks every route for every role: allowed or forbidden.
func TestRoles(t *testing.T) {
	f := newFixture(t)
	cookies := map[string]*http.Cookie{}
	for _, u := range testUsers {
		cookies[u.Name] = f.login(t, u.Name)
	}
	const ok, forbid, missing = 200, 403, 404
	tests := []struct {
		user, path string
		want       int
	}{
		{"hart", "/", ok},
		{"hart", "/councils/" + hartlepool, ok},
		{"hart", "/councils/" + middlesbrough, ok}, // published figures only
		{"hart", "/councils/" + hartlepool + "/review", ok},
		{"hart", "/councils/" + middlesbrough + "/review", forbid},
		{"hart", "/regions/North%20East", ok},
		{"hart", "/market", ok},
		{"hart", "/audit", forbid},
		{"hart", "/api/v1/me", ok},
		{"hart", "/api/v1/councils", ok},
		{"hart", "/api/v1/councils/" + hartlepool + "/picture", ok},
		{"hart", "/api/v1/councils/" + hartlepool + "/review", ok},
		{"hart", "/api/v1/councils/" + middlesbrough + "/review", forbid},
		{"hart", "/api/v1/audit", forbid},
		{"hart", "/api/v1/market", ok},
		{"ne-rcc", "/councils/" + middlesbrough + "/review", ok},
		{"ne-rcc", "/api/v1/councils/" + hartlepool + "/review", ok},
		{"ne-rcc", "/api/v1/regions/North%20East/picture", ok},
		{"nw-rcc", "/councils/" + middlesbrough + "/review", forbid},
		{"nw-rcc", "/api/v1/councils/" + hartlepool + "/review", forbid},
		{"prov", "/", ok},
		{"prov", "/councils/" + hartlepool, ok},
		{"prov", "/councils/" + hartlepool + "/review", forbid},
		{"prov", "/api/v1/councils/" + hartlepool + "/review", forbid},
		{"prov", "/audit", forbid},
		{"admin", "/councils/" + middlesbrough + "/review", ok},
		{"admin", "/audit", ok},
		{"admin", "/api/v1/audit", ok},
		{"admin", "/councils/E09000033", missing},                // a council with nothing loaded
		{"admin", "/api/v1/councils/E99999999/picture", missing}, // no such council
		{"admin", "/regions/Atlantis", missing},
		{"admin", "/api/v1/nothing", missing},
		{"admin", "/councils/" + hartlepool + "?at=yesterday", 400},
	}
	for _, tc := range tests {
		t.Run(tc.user+tc.path, func(t *testing.T) {
			w := f.do(t, "GET", tc.path, nil, withCookie(cookies[tc.user]))
			if strings.HasPrefix(tc.path, "/api/") && tc.want != ok {
				mustProblem(t, w, tc.want)
				return
			}
			if w.Code != tc.want {
				t.Fatalf("status %d, want %d: %.300s", w.Code, tc.want, w.Body)
			}
		})
	}
}

// TestSuppression: a council user sees their own figures unsuppressed and
// another council's suppressed.
func TestSuppression(t *testing.T) {
	f := newFixture(t)
	c := f.login(t, "hart")
	for code, want := range map[string]bool{hartlepool: false, middlesbrough: true} {
		w := f.do(t, "GET", "/api/v1/councils/"+code+"/picture", nil, withCookie(c))
		var res struct {
			Suppressed bool
			Tables     []struct {
				Title   string
				Columns []string
				Rows    []map[string]any
			}
		}
		if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || w.Code != 200 {
			t.Fatalf("%s: %d %v", code, w.Code, err)
		}
		if res.Suppressed != want || len(res.Tables) == 0 || res.Tables[0].Title == "" || len(res.Tables[0].Columns) == 0 {
			t.Errorf("%s: suppressed %v (want %v), %d tables", code, res.Suppressed, want, len(res.Tables))
		}
	}
}

func TestLoginWrongPasswordAndThrottle(t *testing.T) {
	f := newFixture(t)
	bad := url.Values{"name": {"hart"}, "password": {"not the password"}}.Encode()
	for i := 0; i < auth.MaxFailures; i++ {
		w := f.do(t, "POST", "/login", strings.NewReader(bad), nil)
		if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "not right") {
			t.Fatalf("wrong password %d: status %d", i, w.Code)
		}
		if len(w.Result().Cookies()) != 0 {
			t.Fatal("a failed sign-in set a cookie")
		}
	}
	// Throttled: 429 with Retry-After, even with the right password...
	good := url.Values{"name": {"hart"}, "password": {testPassword}}.Encode()
	if w := f.do(t, "POST", "/login", strings.NewReader(good), nil); w.Code != http.StatusTooManyRequests || !strings.Contains(w.Body.String(), "too many") ||
		w.Header().Get("Retry-After") != "1" {
		t.Fatalf("throttled sign-in: status %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
	// ... but only for a delay, never a lockout: the right password after
	// the wait signs in.
	f.clock.Add(time.Second)
	if w := f.do(t, "POST", "/login", strings.NewReader(good), nil); w.Code != http.StatusSeeOther {
		t.Fatalf("sign-in after the delay: status %d", w.Code)
	}
	unknown := url.Values{"name": {"nobody"}, "password": {testPassword}}.Encode()
	if w := f.do(t, "POST", "/login", strings.NewReader(unknown), nil); w.Code != http.StatusUnauthorized {
		t.Fatalf("unknown user: status %d", w.Code)
	}
}

func TestLoginRedirectsToNext(t *testing.T) {
	f := newFixture(t)
	for next, want := range map[string]string{"/market": "/market", "//evil.example/": "/", "https://evil.example/": "/"} {
		form := url.Values{"name": {"hart"}, "password": {testPassword}, "next": {next}}.Encode()
		w := f.do(t, "POST", "/login", strings.NewReader(form), nil)
		if got := w.Header().Get("Location"); got != want {
			t.Errorf("next %q: Location %q, want %q", next, got, want)
		}
	}
}

func TestSessionExpiry(t *testing.T) {
	t.Run("Idle", func(t *testing.T) {
		f := newFixture(t)
		c := f.login(t, "hart")
		f.clock.Add(auth.DefaultIdleTimeout - time.Minute)
		if w := f.do(t, "GET", "/", nil, withCookie(c)); w.Code != 200 {
			t.Fatalf("before idle expiry: %d", w.Code)
		}
		f.clock.Add(auth.DefaultIdleTimeout + time.Minute)
		if w := f.do(t, "GET", "/", nil, withCookie(c)); w.Code != http.StatusSeeOther {
			t.Fatalf("after idle expiry: %d", w.Code)
		}
	})
	t.Run("Absolute", func(t *testing.T) {
		f := newFixture(t)
		c := f.login(t, "hart")
		for el := time.Duration(0); el < auth.DefaultAbsoluteTimeout-20*time.Minute; el += 20 * time.Minute {
			f.clock.Add(20 * time.Minute)
			if w := f.do(t, "GET", "/api/v1/me", nil, withCookie(c)); w.Code != 200 {
				t.Fatalf("at %v: %d", el, w.Code)
			}
		}
		f.clock.Add(40 * time.Minute)
		if w := f.do(t, "GET", "/api/v1/me", nil, withCookie(c)); w.Code != http.StatusUnauthorized {
			t.Fatalf("after absolute expiry: %d", w.Code)
		}
	})
}

func TestLogout(t *testing.T) {
	f := newFixture(t)
	c := f.login(t, "hart")
	w := f.do(t, "POST", "/logout", nil, withCookie(c))
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/login" {
		t.Fatalf("logout: %d %q", w.Code, w.Header().Get("Location"))
	}
	if w := f.do(t, "GET", "/", nil, withCookie(c)); w.Code != http.StatusSeeOther {
		t.Fatalf("old cookie after logout: %d", w.Code)
	}
	evs, err := f.db.AuditLog(context.Background(), store.AuditFilter{Actor: "hart"})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range evs {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, ","); got != "login,logout" {
		t.Errorf("audit of hart: %s, want login,logout", got)
	}
}

func TestLoginRenewsToken(t *testing.T) {
	f := newFixture(t)
	c1 := f.login(t, "hart")
	form := url.Values{"name": {"hart"}, "password": {testPassword}}.Encode()
	w := f.do(t, "POST", "/login", strings.NewReader(form), withCookie(c1))
	if w.Code != http.StatusSeeOther {
		t.Fatal(w.Code)
	}
	if w := f.do(t, "GET", "/", nil, withCookie(c1)); w.Code != http.StatusSeeOther {
		t.Errorf("the session before a new sign-in still works: %d", w.Code)
	}
}

func TestCrossOriginRejected(t *testing.T) {
	f := newFixture(t)
	c := f.login(t, "hart")
	form := url.Values{"name": {"hart"}, "password": {testPassword}}.Encode()
	tests := map[string]func(*http.Request){
		"SecFetchSite": func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "cross-site") },
		"Origin":       func(r *http.Request) { r.Header.Set("Origin", "https://evil.example") },
	}
	for name, mod := range tests {
		t.Run("Login"+name, func(t *testing.T) {
			if w := f.do(t, "POST", "/login", strings.NewReader(form), mod); w.Code != http.StatusForbidden {
				t.Fatalf("cross-origin sign-in: %d", w.Code)
			}
		})
		t.Run("Logout"+name, func(t *testing.T) {
			w := f.do(t, "POST", "/logout", nil, func(r *http.Request) { mod(r); r.AddCookie(c) })
			if w.Code != http.StatusForbidden {
				t.Fatalf("cross-origin sign-out: %d", w.Code)
			}
		})
	}
	if w := f.do(t, "GET", "/", nil, withCookie(c)); w.Code != 200 {
		t.Fatalf("the session should survive a refused cross-origin sign-out: %d", w.Code)
	}
	same := func(r *http.Request) { r.Header.Set("Sec-Fetch-Site", "same-origin") }
	if w := f.do(t, "POST", "/login", strings.NewReader(form), same); w.Code != http.StatusSeeOther {
		t.Fatalf("same-origin sign-in: %d", w.Code)
	}
}

func TestAuditPage(t *testing.T) {
	f := newFixture(t)
	c := f.login(t, "admin")
	w := f.do(t, "GET", "/audit?actor=admin", nil, withCookie(c))
	if w.Code != 200 || !strings.Contains(w.Body.String(), "login") {
		t.Fatalf("audit page: %d", w.Code)
	}
}

func TestProblemMapping(t *testing.T) {
	tests := []struct {
		err    error
		status int
		code   string
	}{
		{care.Errorf(care.EINVALID, "bad"), 400, care.EINVALID},
		{care.Errorf(care.EUNAUTHORIZED, "who"), 401, care.EUNAUTHORIZED},
		{care.Errorf(care.EFORBIDDEN, "no"), 403, care.EFORBIDDEN},
		{care.Errorf(care.ENOTFOUND, "none"), 404, care.ENOTFOUND},
		{care.Errorf(care.ECONFLICT, "clash"), 409, care.ECONFLICT},
		{care.Errorf(care.EREJECTED, "refused"), 422, care.EREJECTED},
		{care.Errorf(care.EINTERNAL, "secret table xyz"), 500, ""},
		{errors.New("secret internals"), 500, ""},
	}
	for _, tc := range tests {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			w := httptest.NewRecorder()
			r := httptest.NewRequest("GET", "/api/v1/x", nil)
			apiError(w, r, tc.err)
			p := mustProblem(t, w, tc.status)
			if p.Code != tc.code {
				t.Errorf("code %q, want %q", p.Code, tc.code)
			}
			if tc.status == 500 && strings.Contains(p.Detail, "secret") {
				t.Errorf("internals leaked: %q", p.Detail)
			}
			if tc.status != 500 && p.Detail != care.ErrorMessage(tc.err) {
				t.Errorf("detail %q", p.Detail)
			}
		})
	}
}

func TestBearerToken(t *testing.T) {
	f := newFixture(t)
	tok, err := f.srv.auth.NewAPIToken(store.WithActor(context.Background(), "test"), "hart", "test", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	bearer := func(tok string) func(*http.Request) {
		return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }
	}
	w := f.do(t, "GET", "/api/v1/me", nil, bearer(tok))
	var me Me
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &me) != nil || me.Name != "hart" || me.Council != hartlepool {
		t.Fatalf("me: %d %s", w.Code, w.Body)
	}
	mustProblem(t, f.do(t, "GET", "/api/v1/councils/"+middlesbrough+"/review", nil, bearer(tok)), 403)
	mustProblem(t, f.do(t, "GET", "/api/v1/me", nil, bearer("sfy_wrong")), 401)
	f.clock.Add(2 * time.Hour)
	mustProblem(t, f.do(t, "GET", "/api/v1/me", nil, bearer(tok)), 401)
}

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t)
	w := f.do(t, "GET", "/login", nil, nil)
	h := w.Header()
	for k, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
		"X-Frame-Options":        "DENY",
	} {
		if h.Get(k) != want {
			t.Errorf("%s: %q, want %q", k, h.Get(k), want)
		}
	}
	csp := h.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "script-src") {
		t.Errorf("CSP %q", csp)
	}
	if w := f.do(t, "GET", "/static/app.css", nil, nil); w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/css") {
		t.Errorf("app.css: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
}

func TestRequestSizeLimit(t *testing.T) {
	f := newFixture(t)
	big := "name=hart&password=" + strings.Repeat("x", maxBodyBytes+1)
	w := f.do(t, "POST", "/login", strings.NewReader(big), nil)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized body: %d", w.Code)
	}
}

func TestNewRequiresStore(t *testing.T) {
	if _, err := New(Config{}); care.ErrorCode(err) != care.EINVALID {
		t.Fatalf("New without a store: %v", err)
	}
}

// TestEndToEnd starts the real server on 127.0.0.1:0 and drives sign-in,
// the dashboard and a council page over HTTP.
func TestEndToEnd(t *testing.T) {
	f := newFixture(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.srv.Serve(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	base := "http://" + ln.Addr().String()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	for i := 0; ; i++ {
		resp, err := client.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if i == 100 {
			t.Fatalf("server not healthy: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// Anonymous: the dashboard leads to the sign-in form.
	if code, body := get("/"); code != 200 || !strings.Contains(body, "Sign in") {
		t.Fatalf("anonymous dashboard: %d", code)
	}
	resp, err := client.PostForm(base+"/login", url.Values{"name": {"hart"}, "password": {testPassword}, "next": {"/"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "Councils loaded") || !strings.Contains(string(b), "Children in care") || !strings.Contains(string(b), "Hartlepool") {
		t.Fatalf("dashboard after sign-in: %d %.500s", resp.StatusCode, b)
	}
	code, body := get("/councils/" + hartlepool)
	if code != 200 || !strings.Contains(body, "<h1 class=\"govuk-heading-l\">Hartlepool</h1>") || !strings.Contains(body, "<table") {
		t.Fatalf("council page: %d %.500s", code, body)
	}
	if code, _ := get("/councils/" + middlesbrough + "/review"); code != 403 {
		t.Fatalf("another council's review: %d", code)
	}
}
