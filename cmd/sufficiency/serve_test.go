package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"sufficiency/internal/storetest"
	"sufficiency/store"
	"sufficiency/store/sqlite"
)

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// seedWebDB writes a database with one small synthetic council (Hartlepool).
func seedWebDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "web.db")
	db, err := sqlite.Open(store.WithActor(context.Background(), "test"), path)
	if err != nil {
		t.Fatal(err)
	}
	storetest.MustImport(t, db, storetest.Fixture("E06000001", []int{2024, 2025}, 10, "t"))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestUserAdd(t *testing.T) {
	db := seedWebDB(t)
	env := func(string) string { return "" }
	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"Council", []string{"user", "add", "--db", db, "--name", "hart", "--role", "council", "--council", "E06000001"}, 0, "Password (shown once)"},
		{"Duplicate", []string{"user", "add", "--db", db, "--name", "hart", "--role", "admin"}, 1, ""},
		{"CouncilWithoutCode", []string{"user", "add", "--db", db, "--name", "x", "--role", "council"}, 2, ""},
		{"BadRole", []string{"user", "add", "--db", db, "--name", "x", "--role", "boss"}, 2, ""},
		{"RCC", []string{"user", "add", "--db", db, "--name", "ne", "--role", "rcc", "--region", "North East"}, 0, "Added ne"},
		{"List", []string{"user", "list", "--db", db}, 0, "hart"},
		{"Token", []string{"user", "token", "--db", db, "--name", "hart", "--label", "ci"}, 0, "sfy_"},
		{"TokenUnknownUser", []string{"user", "token", "--db", db, "--name", "nobody"}, 2, ""},
		{"NoSubcommand", []string{"user"}, 2, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, env, tc.args...)
			if code != tc.code || !strings.Contains(out, tc.out) {
				t.Fatalf("code %d (want %d), out %q, stderr %q", code, tc.code, out, errOut)
			}
		})
	}
}

func TestUserAddPasswordStdin(t *testing.T) {
	db := seedWebDB(t)
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"user", "add", "--db", db, "--name", "a", "--role", "admin", "--password-stdin"},
		func(string) string { return "" }, strings.NewReader("short\n"), &out, &errb)
	if exitCode(err) != 2 {
		t.Fatalf("short password: %v", err)
	}
}

func TestServeRefusesMissingDB(t *testing.T) {
	_, _, code := runCLI(t, nil, "serve", "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "none.db"))
	if code != 2 {
		t.Fatalf("code %d, want 2", code)
	}
	if _, _, code := runCLI(t, nil, "serve", "--addr", "nonsense"); code != 2 {
		t.Fatalf("bad --addr: code %d", code)
	}
}

// TestServeEndToEnd runs "sufficiency serve" on 127.0.0.1:0 with a seeded
// database and drives sign-in, the dashboard and the council page over HTTP.
func TestServeEndToEnd(t *testing.T) {
	db := seedWebDB(t)
	var in = strings.NewReader("a test password long enough\n")
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"user", "add", "--db", db, "--name", "hart", "--role", "council", "--council", "E06000001", "--password-stdin"},
		func(string) string { return "" }, in, &out, &errb); err != nil {
		t.Fatal(err, errb.String())
	}
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", db}, func(string) string { return "" }, strings.NewReader(""), stdout, stderr)
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	addrRE := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	var base string
	for i := 0; base == ""; i++ {
		base = addrRE.FindString(stdout.String())
		if i == 500 {
			t.Fatalf("serve did not start: %q %q", stdout.String(), stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
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
			t.Fatalf("not healthy: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp, err := client.PostForm(base+"/login", url.Values{"name": {"hart"}, "password": {"a test password long enough"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "Hartlepool") {
		t.Fatalf("dashboard: %d %.400s", resp.StatusCode, b)
	}
	resp, err = client.Get(base + "/councils/E06000001")
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "Sufficiency picture at") {
		t.Fatalf("council page: %d %.400s", resp.StatusCode, b)
	}
	if !strings.Contains(stderr.String(), `"msg":"request"`) {
		t.Errorf("no request log lines on stderr: %.300s", stderr.String())
	}
}
