package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary act as the CLI: with
// SUFFICIENCY_TEST_AS_CLI=1 it runs the arguments as sufficiency does, so
// tests can start real server processes without building the binary.
func TestMain(m *testing.M) {
	if os.Getenv("SUFFICIENCY_TEST_AS_CLI") == "1" {
		main()
	}
	os.Exit(m.Run())
}

// startServe starts "sufficiency serve" as a process of its own on a free
// port and returns its base URL; the process is stopped when the test ends.
func startServe(t *testing.T, dbURL string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "serve", "--addr", "127.0.0.1:0", "--db", dbURL)
	cmd.Env = append(os.Environ(), "SUFFICIENCY_TEST_AS_CLI=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	line := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(stdout)
		for s.Scan() {
			if m := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(s.Text()); m != "" {
				line <- m
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case base := <-line:
		return base
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not start: %s", stderr.String())
	}
	return ""
}

// TestTwoServersOnePostgres starts two serve processes on one PostgreSQL
// database, as two app servers behind a load balancer: a session made on
// one is good on the other, signing out on one ends it on both, a supply
// change made elsewhere raises the data version both report, and a browser
// import uploaded and started on one is checked, followed and seen done on
// the other (the upload and its progress are in the database).
func TestTwoServersOnePostgres(t *testing.T) {
	dbURL := pgTestURL(t)
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"user", "add", "--db", dbURL, "--name", "hart", "--role", "council", "--council", "E06000001", "--password-stdin"},
		envWith(), strings.NewReader("a test password long enough\n"), &out, &errb); err != nil {
		t.Fatal(err, errb.String())
	}
	a, b := startServe(t, dbURL), startServe(t, dbURL)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(a+"/login", url.Values{"name": {"hart"}, "password": {"a test password long enough"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	ua, _ := url.Parse(a)
	cookies := jar.Cookies(ua)
	if len(cookies) == 0 {
		t.Fatalf("sign-in on A: %d, no cookie", resp.StatusCode)
	}
	get := func(base, path string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", base+path, nil)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		resp, err := (&http.Client{Timeout: 30 * time.Second, CheckRedirect: client.CheckRedirect}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if code, _ := get(b, "/api/v1/me"); code != 200 {
		t.Fatalf("the session made on A, used on B: %d", code)
	}
	version := func(base string) string {
		t.Helper()
		_, body := get(base, "/metrics")
		m := regexp.MustCompile(`sufficiency_data_version (\d+)`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s/metrics has no data version:\n%s", base, body)
		}
		return m[1]
	}
	va, vb := version(a), version(b)
	if va != vb {
		t.Fatalf("data versions %s and %s", va, vb)
	}
	dir := t.TempDir()
	if _, stderr, code := runCLI(t, nil, "synth", "--out", dir+"/r", "--la", "E06000001", "--from", "2025", "--to", "2025"); code != 0 {
		t.Fatalf("synth: %s", stderr)
	}
	if _, stderr, code := runCLI(t, nil, "import-supply", dir+"/r/supply", "--db", dbURL); code != 0 {
		t.Fatalf("import-supply: %s", stderr)
	}
	if va2, vb2 := version(a), version(b); va2 == va || va2 != vb2 {
		t.Errorf("after a supply change: versions %q and %q, were %q", va2, vb2, va)
	}
	// A browser import: uploaded on A, checked on B, started on A, its
	// progress and result read on B.
	post := func(base, path, ctype string, body io.Reader) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("POST", base+path, body)
		for _, c := range cookies {
			req.AddCookie(c)
		}
		req.Header.Set("Origin", base)
		req.Header.Set("Content-Type", ctype)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	mw.WriteField("council", "E06000001")
	yearDir := filepath.Join(dir, "r", "E06000001", "2025")
	ents, err := os.ReadDir(yearDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		data, err := os.ReadFile(filepath.Join(yearDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		fw, _ := mw.CreateFormFile("files", "2025/"+e.Name())
		fw.Write(data)
	}
	mw.Close()
	resp = post(a, "/imports", mw.FormDataContentType(), &form)
	upload := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(upload, "/imports/") {
		t.Fatalf("upload on A: %d to %q", resp.StatusCode, upload)
	}
	if code, body := get(b, upload); code != 200 || !strings.Contains(body, "Findings by rule") {
		t.Fatalf("the upload made on A, checked on B: %d\n%.2000s", code, body)
	}
	resp = post(a, upload, "application/x-www-form-urlencoded", strings.NewReader("action=import&accept=yes"))
	job := strings.Replace(upload, "/imports/", "/imports/jobs/", 1)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != job {
		t.Fatalf("import on A: %d to %q, want 303 to %s", resp.StatusCode, resp.Header.Get("Location"), job)
	}
	for deadline := time.Now().Add(3 * time.Minute); ; time.Sleep(100 * time.Millisecond) {
		code, body := get(b, job)
		if code != 200 {
			t.Fatalf("the import started on A, followed on B: %d\n%.2000s", code, body)
		}
		if strings.Contains(body, "Returns imported") {
			break
		}
		if !strings.Contains(body, `<progress id="import-progress"`) {
			t.Fatalf("the import's page on B shows neither progress nor result:\n%.2000s", body)
		}
		if time.Now().After(deadline) {
			t.Fatal("the import did not finish in 3 minutes")
		}
	}
	if code, _ := get(b, upload); code != 404 {
		t.Errorf("the imported upload on B: %d, want 404 (spent)", code)
	}
	req, _ := http.NewRequest("POST", b+"/logout", nil)
	for _, c := range cookies {
		req.AddCookie(c)
	}
	req.Header.Set("Origin", b)
	if resp, err := client.Do(req); err == nil {
		resp.Body.Close()
	}
	if code, _ := get(a, "/api/v1/me"); code != 401 {
		t.Errorf("after signing out on B, A answers %d for the session, want 401", code)
	}
}
