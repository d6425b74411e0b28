package web

// OWASP ASVS 4.0 level 2: V9 (communications), V10 (malicious code: the
// parts a running server shows) and V13 (API), each against a running
// server. The source-level V10 checks are internal/archtest's
// TestASVSMaliciousCode. docs/SECURITY.md names each test.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// V9 Communications: V9.1.1 HSTS on every answer behind HTTPS (the session
// cookie Secure), absent on plain localhost; V9.1.x no mixed content: pages
// load nothing over plain http and the CSP allows only the app's own origin.
func TestASVSCommunications(t *testing.T) {
	secure := newLive(t, func(c *Config) { c.InsecureCookies = false })
	c := secure.client(t)
	paths := []string{"/login", "/static/app.css", "/healthz", "/api/v1/me", "/no/such/page", "/api/openapi.json"}
	for _, p := range paths {
		r, _ := call(t, c, "GET", secure.url+p, nil, nil)
		if got := r.Header.Get("Strict-Transport-Security"); got != hstsValue {
			t.Errorf("V9.1.1: %s (%d): Strict-Transport-Security %q, want %q", p, r.StatusCode, got, hstsValue)
		}
	}
	// A sign-in behind HTTPS: the answer carries HSTS and a Secure cookie.
	r, _ := call(t, c, "POST", secure.url+"/login", url.Values{"name": {"hart"}, "password": {testPassword}}, nil)
	if r.Header.Get("Strict-Transport-Security") == "" || len(r.Cookies()) == 0 || !r.Cookies()[0].Secure {
		t.Errorf("V9.1.1/V3.4.1: sign-in over HTTPS: HSTS %q, cookies %v", r.Header.Get("Strict-Transport-Security"), r.Cookies())
	}
	plain := newLive(t, func(c *Config) { c.InsecureCookies = true })
	if r, _ := call(t, plain.client(t), "GET", plain.url+"/login", nil, nil); r.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS on plain http://localhost would pin localhost to HTTPS")
	}

	// No mixed content: every src, href and action of the pages is relative
	// or same-origin, never http://; the CSP names no scheme or other host.
	l := newLive(t, nil)
	hc := l.client(t)
	l.signIn(t, hc, "admin")
	attr := regexp.MustCompile(`(?i)\b(src|href|action|srcset|poster|data)\s*=\s*"([^"]*)"`)
	pages := 0
	for _, p := range []string{"/login", "/", "/councils/" + hartlepool, "/market", "/referrals", "/forecasts", "/imports", "/admin/users"} {
		r, body := call(t, hc, "GET", l.url+p, nil, nil)
		if r.StatusCode != http.StatusOK {
			continue // a page the administrator is not shown
		}
		pages++
		for _, m := range attr.FindAllStringSubmatch(body, -1) {
			v := strings.ToLower(strings.TrimSpace(m[2]))
			if strings.HasPrefix(v, "http:") || strings.HasPrefix(v, "//") || (strings.Contains(v, "://") && !strings.HasPrefix(v, "https://")) {
				t.Errorf("V9: %s loads %s=%q", p, m[1], m[2])
			}
			if (m[1] == "src" || m[1] == "srcset") && strings.HasPrefix(v, "https://") {
				t.Errorf("V9/V10.3: %s loads a resource from another origin: %q", p, m[2])
			}
		}
		csp := r.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "http:") || strings.Contains(csp, "https:") || strings.Contains(csp, "*") {
			t.Errorf("V9/V14.4.3: %s CSP %q", p, csp)
		}
	}
	if pages < 5 {
		t.Errorf("only %d pages answered 200: the check saw too little", pages)
	}
}

// V10 Malicious code, as the running server shows it: V10.3.2 the static
// assets served are exactly the embedded ones, addressed by their content
// digest (a changed file gets a new address); V10.2.x pages carry no script
// at all and load nothing from another origin (no third-party code to be
// swapped); the server answers no debugging or profiling endpoint.
func TestASVSMaliciousCodeServer(t *testing.T) {
	l := newLive(t, nil)
	c := l.client(t)
	l.signIn(t, c, "admin")
	n := 0
	err := fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		want, err := staticFiles.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		r, body := call(t, c, "GET", l.url+assetURL(name), nil, nil)
		if r.StatusCode != http.StatusOK || !bytes.Equal([]byte(body), want) {
			t.Errorf("V10.3.2: %s served %d, %d bytes, want the %d embedded", assetURL(name), r.StatusCode, len(body), len(want))
		}
		if !strings.Contains(assetURL(name), "?v="+assetDigests()[name]) || len(assetDigests()[name]) < 12 {
			t.Errorf("V10.3.2: %s is not addressed by its content digest", assetURL(name))
		}
		n++
		return nil
	})
	if err != nil || n == 0 {
		t.Fatalf("static files: %d, %v", n, err)
	}
	script := regexp.MustCompile(`(?i)<script|javascript:|\son[a-z]+\s*=`)
	pages := 0
	for _, p := range []string{"/login", "/", "/councils/" + hartlepool, "/market", "/referrals", "/forecasts", "/imports", "/admin/users"} {
		r, body := call(t, c, "GET", l.url+p, nil, nil)
		if r.StatusCode != http.StatusOK {
			continue
		}
		pages++
		if m := script.FindString(body); m != "" {
			t.Errorf("V10.2: %s carries script: %q", p, m)
		}
	}
	if pages < 5 {
		t.Errorf("only %d pages answered 200: the check saw too little", pages)
	}
	for _, p := range []string{"/debug/pprof/", "/debug/vars", "/debug/pprof/cmdline", "/.git/config", "/.env"} {
		if r, body := call(t, c, "GET", l.url+p, nil, nil); r.StatusCode == http.StatusOK {
			t.Errorf("V10.2.1/V14.3.2: %s answered 200: %.100s", p, body)
		}
	}
}

// V13 API: V13.1.3/V13.2.1 methods restricted (405 with Allow, as
// problem+json), V13.2.5 the request Content-Type checked (415 before the
// body is read), V13.2.2/V5.1.2 unknown fields refused (no mass assignment),
// V13.1.x every API answer JSON or problem+json, V13.2.3 a cookie-signed
// cross-site write refused, V11.1.4/V13 per-user limits answered 429 with
// Retry-After.
func TestASVSAPI(t *testing.T) {
	l := newLive(t, nil)
	c := l.client(t)
	l.signIn(t, c, "admin")
	same := map[string]string{"Sec-Fetch-Site": "same-origin"}
	asJSON := func(extra map[string]string) map[string]string {
		h := map[string]string{"Sec-Fetch-Site": "same-origin", "Content-Type": "application/json"}
		for k, v := range extra {
			h[k] = v
		}
		return h
	}
	problem := func(what string, r *http.Response, body string, status int) {
		t.Helper()
		var p Problem
		if r.StatusCode != status || r.Header.Get("Content-Type") != "application/problem+json" || jsonUnmarshal(body, &p) != nil || p.Status != status || p.Detail == "" {
			t.Errorf("%s: %d %q %.300s; want %d problem+json", what, r.StatusCode, r.Header.Get("Content-Type"), body, status)
		}
	}

	// Methods: a path that exists under other methods answers 405 + Allow.
	for _, tc := range []struct{ method, path, allow string }{
		{"DELETE", "/api/v1/me", "GET"},
		{"PUT", "/api/v1/referrals", "GET, POST"},
		{"GET", "/api/v1/admin/users/hart/password", "PUT"},
		{"POST", "/api/v1/councils/" + hartlepool + "/picture", "GET"},
		{"PATCH", "/api/v1/admin/users", "GET, POST"},
	} {
		r, body := callBody(t, c, tc.method, l.url+tc.path, "", same)
		problem(tc.method+" "+tc.path, r, body, http.StatusMethodNotAllowed)
		if r.Header.Get("Allow") != tc.allow {
			t.Errorf("V13.2.1: %s %s: Allow %q, want %q", tc.method, tc.path, r.Header.Get("Allow"), tc.allow)
		}
	}
	r, body := callBody(t, c, "GET", l.url+"/api/v1/no/such/thing", "", same)
	problem("unknown API path", r, body, http.StatusNotFound)
	if r, _ := callBody(t, c, "TRACE", l.url+"/api/v1/me", "", same); r.StatusCode == http.StatusOK {
		t.Error("V13.2.1: TRACE answered 200")
	}

	// Content-Type: a body that is not declared JSON is refused before it is
	// read, whatever the route; the same body as JSON goes through.
	newUser := `{"name": "mallory", "role": "council", "council": "` + hartlepool + `", "password": "Another-Long-Password-7"}`
	for _, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1", "text/json"} {
		h := map[string]string{"Sec-Fetch-Site": "same-origin"}
		if ct != "" {
			h["Content-Type"] = ct
		}
		r, body := callBody(t, c, "POST", l.url+"/api/v1/admin/users", newUser, h)
		problem("V13.2.5 Content-Type "+ct, r, body, http.StatusUnsupportedMediaType)
	}
	if _, err := l.db.UserByName(context.Background(), "mallory"); err == nil {
		t.Fatal("V13.2.5: a user was created from a body not sent as JSON")
	}
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "application/merge-patch+json"} {
		if !jsonMediaType(ct) {
			t.Errorf("%q not taken as JSON", ct)
		}
	}

	// Mass assignment: fields the API does not take are refused, and
	// nothing is created.
	for _, extra := range []string{`"disabled": false`, `"id": 1`, `"password_hash": "x"`, `"role": "admin", "admin": true`} {
		body := strings.TrimSuffix(newUser, "}") + ", " + extra + "}"
		r, out := callBody(t, c, "POST", l.url+"/api/v1/admin/users", body, asJSON(nil))
		problem("V13.2.2 extra field "+extra, r, out, http.StatusBadRequest)
	}
	if _, err := l.db.UserByName(context.Background(), "mallory"); err == nil {
		t.Fatal("V13.2.2: a user was created from a body with fields the API does not take")
	}
	if r, out := callBody(t, c, "POST", l.url+"/api/v1/admin/users", newUser, asJSON(nil)); r.StatusCode >= 300 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("the same user sent as JSON: %d %.300s", r.StatusCode, out)
	}

	// Every API answer is JSON: successes, refusals and errors alike.
	anon := l.client(t)
	for _, p := range []string{"/api/v1/me", "/api/v1/councils", "/api/v1/councils/" + hartlepool + "/picture", "/api/v1/councils/E99999999/picture", "/api/v1/forecasts/999999"} {
		for _, cl := range []*http.Client{c, anon} {
			r, _ := callBody(t, cl, "GET", l.url+p, "", nil)
			ct := r.Header.Get("Content-Type")
			if !strings.HasPrefix(ct, "application/json") && ct != "application/problem+json" {
				t.Errorf("V13.1: GET %s answered %d as %q", p, r.StatusCode, ct)
			}
		}
	}

	// A write signed by the cookie from another site is refused (V13.2.3),
	// even as JSON.
	r, body = callBody(t, c, "POST", l.url+"/api/v1/admin/users/hart/disable", "{}", map[string]string{"Content-Type": "application/json", "Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
	if r.StatusCode != http.StatusForbidden {
		t.Errorf("V13.2.3: cross-site write: %d %.200s", r.StatusCode, body)
	}
	if u, err := l.db.UserByName(context.Background(), "hart"); err != nil || u.Disabled {
		t.Errorf("V13.2.3: hart after a cross-site disable: %+v %v", u, err)
	}
}

// V13/V11.1.4 limits: one user's requests beyond MaxUserRequests running at
// once are answered 429 with Retry-After as problem+json, not queued
// without end; another user is still served.
func TestASVSAPIRateLimit(t *testing.T) {
	l := newLive(t, func(c *Config) { c.MaxUserRequests = 1 })
	l.srv.limits.userWait = 50 * time.Millisecond
	hart := l.client(t)
	l.signIn(t, hart, "hart")
	release, err := l.srv.limits.enterUser(context.Background(), userID(t, l, "hart"))
	if err != nil {
		t.Fatal(err)
	}
	r, body := callBody(t, hart, "GET", l.url+"/api/v1/me", "", nil)
	var p Problem
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" || r.Header.Get("Content-Type") != "application/problem+json" || jsonUnmarshal(body, &p) != nil {
		t.Errorf("V11.1.4: a user over the limit: %d Retry-After %q %q %.200s", r.StatusCode, r.Header.Get("Retry-After"), r.Header.Get("Content-Type"), body)
	}
	other := l.client(t)
	l.signIn(t, other, "admin")
	if r, _ := callBody(t, other, "GET", l.url+"/api/v1/me", "", nil); r.StatusCode != http.StatusOK {
		t.Errorf("another user while hart is at the limit: %d", r.StatusCode)
	}
	release()
	if r, _ := callBody(t, hart, "GET", l.url+"/api/v1/me", "", nil); r.StatusCode != http.StatusOK {
		t.Errorf("hart after the slot is free: %d", r.StatusCode)
	}
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

func userID(t *testing.T, l *liveServer, name string) int64 {
	t.Helper()
	u, err := l.db.UserByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// callBody is call with a raw body (any method).
func callBody(t *testing.T, c *http.Client, method, u, body string, hdr map[string]string) (*http.Response, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
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
