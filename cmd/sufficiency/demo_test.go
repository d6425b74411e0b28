package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"sufficiency/demo"
)

// TestDemo runs the README's first command end to end on a fresh directory:
// generate the default region, import it, print the picture; then a second
// run reuses everything and serves the web app, where the printed demo user
// can sign in and see the region.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and imports a whole region")
	}
	dir := t.TempDir()
	data, db := filepath.Join(dir, "data"), filepath.Join(dir, "demo.db")

	out, errOut, code := runCLI(t, nil, "demo", "--data", data, "--db", db, "--no-serve")
	if code != 0 {
		t.Fatalf("first run: code %d\n%s", code, errOut)
	}
	for _, want := range []string{"North East: children in care at 31 March", "Placed over 20 miles from home", "Sibling groups placed apart"} {
		if !strings.Contains(out, want) {
			t.Errorf("picture lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(errOut, "demo: imported ") != 12 || strings.Contains(errOut, "WARNING") {
		t.Errorf("want 12 councils imported without validation errors:\n%s", errOut)
	}
	// Counts as people read them: the region has over a thousand children.
	if !regexp.MustCompile(`demo: generated 12 councils, \d{1,3}(,\d{3})+ children, \d{1,3}(,\d{3})+ episode rows`).MatchString(errOut) {
		t.Errorf("want the generated counts with thousands separators:\n%s", errOut)
	}

	// Second run: reuse, then serve until cancelled.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr strings.Builder
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"demo", "--data", data, "--db", db, "--addr", "127.0.0.1:0"}, envWith(), strings.NewReader(""), pw, &stderr)
		pw.Close()
	}()
	var base, name, password string
	others := map[string]string{} // the officer's and the provider's sign-ins
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "The web app: "); ok {
			f := strings.Fields(rest)
			if len(f) < 7 {
				t.Fatalf("web app line %q", line)
			}
			base, name, password = f[0], strings.TrimSuffix(f[4], ","), strings.TrimSuffix(f[6], ";")
			continue
		}
		if rest, ok := strings.CutPrefix(line, "  or as "); ok && base != "" {
			f := strings.Fields(rest)
			others[f[0]] = f[len(f)-1]
			if len(others) == 2 {
				break
			}
		}
	}
	if base == "" {
		t.Fatalf("no web app line; stderr:\n%s", stderr.String())
	}
	go io.Copy(io.Discard, pr)
	if b, err := os.ReadFile(filepath.Join(data, demo.LoginFile)); err != nil || strings.Split(string(b), "\n")[0] != name+" "+password {
		t.Errorf("login file %q, %v; printed %s %s", b, err, name, password)
	}
	if fi, err := os.Stat(filepath.Join(data, demo.LoginFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("login file mode %v, %v; want 0600", fi.Mode(), err)
	}

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	resp, err := client.PostForm(base+"/login", url.Values{"name": {name}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = client.Get(base + "/regions/North%20East")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "North East") {
		t.Errorf("region page: status %d\n%.500s", resp.StatusCode, body)
	}
	// Least privilege: the demo user is an RCC analyst of the region only.
	resp, err = client.Get(base + "/api/v1/councils/E08000003/picture")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusNotFound {
		t.Errorf("another region's council: status %d, want 403 or 404", resp.StatusCode)
	}

	// The placement officer reaches the referral pages and the provider its
	// portal, each signed in with the printed password.
	for user, path := range map[string]string{"demo-officer": "/referrals", "demo-provider": "/provider"} {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
		if others[user] == "" {
			t.Errorf("no sign-in printed for %s", user)
			continue
		}
		resp, err := c.PostForm(base+"/login", url.Values{"name": {user}, "password": {others[user]}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		resp, err = c.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || strings.Contains(string(body), "Sign in</h1>") {
			t.Errorf("%s %s: status %d\n%.300s", user, path, resp.StatusCode, body)
		}
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("demo after cancel: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("demo did not stop after cancel")
	}
	if !strings.Contains(stderr.String(), "reusing the synthetic region") {
		t.Errorf("second run did not reuse the data:\n%s", stderr.String())
	}
}
