package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
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
