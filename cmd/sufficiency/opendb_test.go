package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"sufficiency/identity"
	"sufficiency/match"
	"sufficiency/store"
	"sufficiency/store/postgres"
	"sufficiency/workflow"
)

// pgTestURL creates a fresh PostgreSQL database on the server named by
// SUFFICIENCY_TEST_PG, dropped when the test ends, and returns its URL.
// Without SUFFICIENCY_TEST_PG the test is skipped (failed when CI=true).
func pgTestURL(t *testing.T) string {
	t.Helper()
	server := os.Getenv("SUFFICIENCY_TEST_PG")
	if server == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("SUFFICIENCY_TEST_PG is not set in CI")
		}
		t.Skip("SUFFICIENCY_TEST_PG is not set: skipping the PostgreSQL CLI tests")
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("sufficiency_cli_%d_%d", os.Getpid(), time.Now().UnixNano())
	if _, err := admin.Exec(ctx, `CREATE DATABASE `+name); err != nil {
		admin.Close(ctx)
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
		admin.Close(ctx)
	})
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// TestOffersOnPostgres runs the offer workflow through the CLI with --db a
// postgres:// URL holding match's test supply.
func TestOffersOnPostgres(t *testing.T) {
	dbURL := pgTestURL(t)
	ctx := context.Background()
	f, err := os.Open(filepath.Join("..", "..", "match", "testdata", "supply.json"))
	if err != nil {
		t.Fatal(err)
	}
	provs, vacs, err := match.ReadSupply(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ReplaceSupply(ctx, provs, vacs); err != nil {
		t.Fatal(err)
	}
	tester := fmt.Sprintf("tester-%d", time.Now().UnixNano())
	addUsers(t, db, identity.User{Name: tester, Role: identity.RoleCouncil, Council: "E08000009"})
	getenv := envWith("SUFFICIENCY_DB", dbURL, "SUFFICIENCY_ACTOR", tester)
	refFile := filepath.Join("..", "..", "match", "testdata", "referral.json")
	var sent workflow.Sent
	if err := json.Unmarshal([]byte(mustRun(t, getenv, "referral", "send", "--referral", refFile, "--top", "3", "--format", "json")), &sent); err != nil {
		t.Fatal(err)
	}
	ref, prov := sent.Referral.Reference, sent.Offers[0].ProvisionID
	addUsers(t, db, identity.User{Name: tester + "-p", Role: identity.RoleProvider, Provider: sent.Offers[0].Provider})
	db.Close()
	mustRun(t, getenv, "offer", "make", "--referral", ref, "--provision", prov, "--as", tester+"-p")
	if out := mustRun(t, getenv, "offer", "accept", "--referral", ref, "--provision", prov, "--db", dbURL); !strings.Contains(out, prov) {
		t.Fatalf("accept: %s", out)
	}
	if msg, code := runMessage(getenv, "offer", "accept", "--referral", ref, "--provision", prov); code != 1 || !strings.Contains(msg, "already placed") {
		t.Fatalf("second accept: exit %d, %s", code, msg)
	}
	if out := mustRun(t, getenv, "offer", "list", "--referral", ref); !strings.Contains(out, "accepted") {
		t.Fatalf("list: %s", out)
	}
	mustRun(t, getenv, "referral", "cancel", "--referral", ref, "--note", "placement did not go ahead")
	if out := mustRun(t, getenv, "offer", "list", "--status", "cancelled"); !strings.Contains(out, ref) {
		t.Fatalf("cancelled list: %s", out)
	}
}

// TestUsersAndServeOnPostgres adds a user and serves the web app with --db a
// postgres:// URL, and signs in.
func TestUsersAndServeOnPostgres(t *testing.T) {
	dbURL := pgTestURL(t)
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"user", "add", "--db", dbURL, "--name", "hart", "--role", "council", "--council", "E06000001", "--password-stdin"},
		envWith(), strings.NewReader("a test password long enough\n"), &out, &errb); err != nil {
		t.Fatal(err, errb.String())
	}
	if l := mustRun(t, envWith("SUFFICIENCY_DB", dbURL), "user", "list"); !strings.Contains(l, "hart") {
		t.Fatalf("user list: %s", l)
	}
	if tok := mustRun(t, envWith(), "user", "token", "--db", dbURL, "--name", "HART"); !strings.HasPrefix(tok, "sfy_") {
		t.Fatalf("user token: %s", tok)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &syncBuffer{}, &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", dbURL}, envWith(), strings.NewReader(""), stdout, stderr)
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
	resp, err := client.PostForm(base+"/login", url.Values{"name": {"hart"}, "password": {"a test password long enough"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	u, _ := url.Parse(base)
	if resp.StatusCode != 200 || len(jar.Cookies(u)) == 0 {
		t.Fatalf("sign-in: %d, cookies %v", resp.StatusCode, jar.Cookies(u))
	}
	// The sign-in was recorded in the PostgreSQL database.
	db, err := postgres.Open(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	evs, err := db.AuditLog(context.Background(), store.AuditFilter{Action: "login"})
	if err != nil || len(evs) != 1 || evs[0].Actor != "hart" {
		t.Fatalf("login audit entries: %+v %v", evs, err)
	}
}
