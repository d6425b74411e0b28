package web

// OWASP ASVS 4.0 level 2 checks that apply to this app, each against a
// running server (httptest.NewServer over the real handler, a real HTTP
// client). docs/SECURITY.md lists which requirement each test covers; other
// controls have their own tests named there.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"sufficiency/store"
)

// liveServer runs the fixture's server over real HTTP.
type liveServer struct {
	*fixture
	url string
}

func newLive(t *testing.T, cfg func(*Config)) *liveServer {
	t.Helper()
	f := newFixture(t)
	if cfg != nil {
		c := f.srv.cfg
		cfg(&c)
		srv, err := New(c)
		if err != nil {
			t.Fatal(err)
		}
		f.srv = srv
	}
	ts := httptest.NewServer(f.srv.Handler())
	t.Cleanup(ts.Close)
	return &liveServer{fixture: f, url: ts.URL}
}

// client is a browser-like client: a cookie jar, no automatic redirects.
func (l *liveServer) client(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func call(t *testing.T, c *http.Client, method, u string, form url.Values, hdr map[string]string) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func (l *liveServer) signIn(t *testing.T, c *http.Client, name string) {
	t.Helper()
	resp, body := call(t, c, "POST", l.url+"/login", url.Values{"name": {name}, "password": {testPassword}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in %s: %d %s", name, resp.StatusCode, body)
	}
}

// V2 Authentication: V2.2.1 (anti-automation, see the throttle tests),
// V2.5.x generic failure answers (no user enumeration), V2.1.x credentials
// never in URLs or echoed back.
func TestASVSAuthentication(t *testing.T) {
	l := newLive(t, nil)
	c := l.client(t)
	msg := regexp.MustCompile(`<a href="#name">([^<]*)</a>`)
	_, wrongName := call(t, c, "POST", l.url+"/login", url.Values{"name": {"nobody"}, "password": {"Secret-Password-1"}}, nil)
	_, wrongPass := call(t, c, "POST", l.url+"/login", url.Values{"name": {"admin"}, "password": {"Secret-Password-1"}}, nil)
	a, b := msg.FindStringSubmatch(wrongName), msg.FindStringSubmatch(wrongPass)
	if a == nil || b == nil || a[1] != b[1] {
		t.Errorf("V2.5: a wrong name and a wrong password answer differently: %q / %q", a, b)
	}
	if strings.Contains(wrongName+wrongPass, "Secret-Password-1") {
		t.Error("V2.1: the password is echoed back")
	}
	// Credentials in a URL do not sign in.
	resp, _ := call(t, c, "GET", l.url+"/login?name=admin&password="+url.QueryEscape(testPassword), nil, nil)
	if resp.StatusCode != http.StatusOK || len(resp.Cookies()) != 0 {
		t.Errorf("V2.1: GET with credentials: %d, cookies %v", resp.StatusCode, resp.Cookies())
	}
	// The form asks browsers to fill the password as a password.
	_, form := call(t, c, "GET", l.url+"/login", nil, nil)
	if !strings.Contains(form, `type="password" autocomplete="current-password"`) {
		t.Error("login form password field")
	}
}

// V3 Session management: V3.2.1 new token at sign-in, V3.3.1 sign-out
// invalidates on the server, V3.4.1–3.4.5 cookie attributes (__Host-,
// Secure, HttpOnly, SameSite, Path=/), V3.2.3 tokens only in cookies.
func TestASVSSessionManagement(t *testing.T) {
	l := newLive(t, func(c *Config) { c.InsecureCookies = false })
	c := l.client(t)
	resp, _ := call(t, c, "POST", l.url+"/login", url.Values{"name": {"hart"}, "password": {testPassword}}, map[string]string{"Cookie": "__Host-sufficiency=attacker-chosen"})
	var sess *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "__Host-sufficiency" {
			sess = ck
		}
	}
	if sess == nil {
		t.Fatalf("no __Host- session cookie: %v", resp.Cookies())
	}
	if !sess.Secure || !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode || sess.Path != "/" || sess.Domain != "" {
		t.Errorf("V3.4: cookie %+v", sess)
	}
	if sess.Value == "attacker-chosen" || len(sess.Value) < 43 {
		t.Errorf("V3.2.1: session token %q", sess.Value)
	}
	if loc := resp.Header.Get("Location"); strings.Contains(loc, sess.Value) {
		t.Error("V3.2.3: the token is in a URL")
	}
	// The cookie works (sent by hand: the test server is plain http, where a
	// jar would not send a Secure cookie), then sign-out ends it on the server.
	with := map[string]string{"Cookie": "__Host-sufficiency=" + sess.Value, "Sec-Fetch-Site": "same-origin"}
	if r, _ := call(t, c, "GET", l.url+"/api/v1/me", nil, with); r.StatusCode != http.StatusOK {
		t.Fatalf("signed-in request: %d", r.StatusCode)
	}
	if r, _ := call(t, c, "POST", l.url+"/logout", url.Values{}, with); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", r.StatusCode)
	}
	if r, _ := call(t, c, "GET", l.url+"/api/v1/me", nil, with); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("V3.3.1: the session cookie replayed after sign-out: %d", r.StatusCode)
	}
}

// V4 Access control: V4.1.1/4.1.3 deny by default and least privilege,
// V4.2.1 no direct object access across councils, V4.3.x admin functions
// and no path traversal.
func TestASVSAccessControl(t *testing.T) {
	l := newLive(t, nil)
	anon := l.client(t)
	for _, p := range []string{"/api/v1/me", "/api/v1/councils", "/api/v1/councils/" + hartlepool + "/picture", "/api/v1/councils/" + hartlepool + "/review",
		"/api/v1/regions/North%20East/picture", "/api/v1/market", "/api/v1/audit", "/api/v1/referrals", "/api/v1/provider/referrals", "/api/v1/nothing-here"} {
		if r, _ := call(t, anon, "GET", l.url+p, nil, nil); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("V4.1.1: anonymous %s: %d", p, r.StatusCode)
		}
	}
	for _, p := range []string{"/", "/councils/" + hartlepool, "/market", "/audit", "/referrals", "/provider"} {
		if r, _ := call(t, anon, "GET", l.url+p, nil, nil); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
			t.Errorf("V4.1.1: anonymous page %s: %d", p, r.StatusCode)
		}
	}
	hart := l.client(t)
	l.signIn(t, hart, "hart")
	for _, p := range []string{"/api/v1/councils/" + middlesbrough + "/review", "/api/v1/audit", "/api/v1/regions/North%20East/review"} {
		if r, _ := call(t, hart, "GET", l.url+p, nil, nil); r.StatusCode != http.StatusForbidden && r.StatusCode != http.StatusNotFound {
			t.Errorf("V4.2.1: council user reads %s: %d", p, r.StatusCode)
		}
	}
	// Administrator functions: refused to a council user, and anonymously.
	for _, a := range []struct{ method, path string }{{"GET", "/api/v1/admin/users"}, {"POST", "/api/v1/admin/users/hart/disable"},
		{"PUT", "/api/v1/admin/users/admin/password"}, {"DELETE", "/api/v1/admin/sessions/0123456789ab"}} {
		if r, _ := call(t, hart, a.method, l.url+a.path, url.Values{}, map[string]string{"Sec-Fetch-Site": "same-origin"}); r.StatusCode != http.StatusForbidden {
			t.Errorf("V4.1.3: council user %s %s: %d", a.method, a.path, r.StatusCode)
		}
		if r, _ := call(t, anon, a.method, l.url+a.path, url.Values{}, nil); r.StatusCode != http.StatusUnauthorized && r.StatusCode != http.StatusForbidden {
			t.Errorf("V4.1.1: anonymous %s %s: %d", a.method, a.path, r.StatusCode)
		}
	}
	if u, err := l.db.UserByName(context.Background(), "hart"); err != nil || u.Disabled {
		t.Errorf("hart after refused admin calls: %+v %v", u, err)
	}
	if r, body := call(t, hart, "GET", l.url+"/api/v1/councils/"+middlesbrough+"/picture", nil, nil); r.StatusCode != http.StatusOK || !strings.Contains(body, `"suppressed": true`) {
		t.Errorf("another council's picture: %d, suppressed? %.200s", r.StatusCode, body)
	}
	for _, p := range []string{"/static/../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd", "/static/..%2f..%2fgo.mod"} {
		if r, body := call(t, hart, "GET", l.url+p, nil, nil); r.StatusCode == http.StatusOK && (strings.Contains(body, "root:") || strings.Contains(body, "module ")) {
			t.Errorf("V12.3.1: path traversal %s served a file", p)
		}
	}
	if r, _ := call(t, hart, "DELETE", l.url+"/api/v1/me", nil, nil); r.StatusCode != http.StatusMethodNotAllowed && r.StatusCode != http.StatusNotFound {
		t.Errorf("unexpected method: %d", r.StatusCode)
	}
}

// V5 Validation, sanitisation and encoding: V5.3.3 output encoding of
// user-controlled text, V5.3.4 parameterised queries (hostile parameters
// answer 4xx and change nothing), V5.1.x bad dates refused.
func TestASVSValidation(t *testing.T) {
	l := newLive(t, nil)
	c := l.client(t)
	_, body := call(t, c, "POST", l.url+"/login", url.Values{"name": {`<script>alert(1)</script>"`}, "password": {"x"}}, nil)
	if strings.Contains(body, "<script>alert(1)") || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;&#34;") {
		t.Error("V5.3.3: the name is echoed unescaped")
	}
	_, body = call(t, c, "GET", l.url+"/login?next="+url.QueryEscape(`"><script>alert(1)</script>`), nil, nil)
	if strings.Contains(body, "<script>alert(1)") {
		t.Error("V5.3.3: next is echoed unescaped")
	}
	l.signIn(t, c, "admin")
	for _, p := range []string{"/api/v1/councils/" + url.PathEscape("E06000001' OR '1'='1") + "/picture",
		"/api/v1/councils/" + url.PathEscape("x'; DROP TABLE users;--") + "/review",
		"/api/v1/councils/" + hartlepool + "/picture?at=" + url.QueryEscape("2025-03-31' OR 1=1--"),
		"/api/v1/regions/" + url.PathEscape("North East' --") + "/picture",
		"/api/v1/councils/" + hartlepool + "/picture?at=31/03/2025"} {
		if r, body := call(t, c, "GET", l.url+p, nil, nil); r.StatusCode < 400 || r.StatusCode >= 500 {
			t.Errorf("V5.3.4: %s: %d %.200s", p, r.StatusCode, body)
		}
	}
	us, err := l.db.Users(context.Background())
	if err != nil || len(us) != len(testUsers) {
		t.Errorf("users after hostile parameters: %d, %v", len(us), err)
	}
}

// V7.4 Error handling: a fault answers a generic message without
// internals (no stack, no Go error text), as a page and as problem+json.
func TestASVSErrorHandling(t *testing.T) {
	l := newLive(t, nil)
	boom := l.srv.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("database password is hunter2 at /srv/app/store.go:42")
	}))
	for _, target := range []string{"/councils/x", "/api/v1/councils/x/picture"} {
		w := httptest.NewRecorder()
		boom.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
		body := w.Body.String()
		if w.Code != http.StatusInternalServerError || strings.Contains(body, "hunter2") || strings.Contains(body, ".go:") || strings.Contains(body, "goroutine") {
			t.Errorf("V7.4.1: %s: %d %.300s", target, w.Code, body)
		}
	}
	c := l.client(t)
	l.signIn(t, c, "admin")
	r, body := call(t, c, "GET", l.url+"/api/v1/no/such/thing", nil, nil)
	var p Problem
	if r.StatusCode != http.StatusNotFound || r.Header.Get("Content-Type") != "application/problem+json" || json.Unmarshal([]byte(body), &p) != nil || p.Status != 404 {
		t.Errorf("V7.4: unknown API route: %d %s %s", r.StatusCode, r.Header.Get("Content-Type"), body)
	}
}

// V7.1/V7.2 Logging: requests are logged with the user and status (V7.1.3),
// refused sign-ins with their reason (V7.2.1), never with passwords, tokens
// or query strings (V7.1.1).
func TestASVSLogging(t *testing.T) {
	var mu sync.Mutex
	var buf bytes.Buffer
	l := newLive(t, func(c *Config) {
		c.Logger = slog.New(slog.NewJSONHandler(&lockedWriter{mu: &mu, w: &buf}, nil))
	})
	c := l.client(t)
	l.signIn(t, c, "hart")
	call(t, c, "POST", l.url+"/login", url.Values{"name": {"hart"}, "password": {"Wrong-But-Secret-9"}}, nil)
	tok, err := l.srv.auth.NewAPIToken(store.WithActor(context.Background(), "admin"), "admin", "t", 0)
	if err != nil {
		t.Fatal(err)
	}
	call(t, c, "GET", l.url+"/api/v1/me?secret=query-value", nil, nil)
	call(t, http.DefaultClient, "GET", l.url+"/api/v1/me", nil, map[string]string{"Authorization": "Bearer " + tok})
	mu.Lock()
	log := buf.String()
	mu.Unlock()
	for _, secret := range []string{testPassword, "Wrong-But-Secret-9", "query-value", strings.TrimPrefix(tok, "sfy_")} {
		if strings.Contains(log, secret) {
			t.Errorf("V7.1.1: the log holds %q", secret)
		}
	}
	if !strings.Contains(log, `"path":"/login","status":303,`) || !strings.Contains(log, `"user":"hart"`) || !strings.Contains(log, `"user":"admin"`) ||
		!strings.Contains(log, `"msg":"sign-in refused","reason":"unauthorized"`) || !strings.Contains(log, `"path":"/api/v1/me","status":200`) {
		t.Errorf("V7.1.3: the log lacks who, what and the outcome:\n%.2000s", log)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// V8 Data protection: V8.2.1 responses that may hold child-level data are
// not cached; V8.3.1 sensitive data is never in the URL the app builds.
func TestASVSDataProtection(t *testing.T) {
	l := newLive(t, nil)
	c := l.client(t)
	l.signIn(t, c, "hart")
	for _, p := range []string{"/", "/councils/" + hartlepool, "/api/v1/councils/" + hartlepool + "/picture", "/api/v1/councils/" + hartlepool + "/review", "/api/v1/me"} {
		r, _ := call(t, c, "GET", l.url+p, nil, nil)
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Header.Get("Cache-Control"), "no-store") {
			t.Errorf("V8.2.1: %s: %d, Cache-Control %q", p, r.StatusCode, r.Header.Get("Cache-Control"))
		}
	}
	// A signed-out user sent to sign in keeps only the path, never the query.
	anon := l.client(t)
	r, _ := call(t, anon, "GET", l.url+"/councils/"+hartlepool+"?at=2025-03-31&token=abc", nil, nil)
	if loc := r.Header.Get("Location"); strings.Contains(loc, "token") {
		t.Errorf("V8.3.1: %s", loc)
	}
}
