package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"sufficiency/auth"
	"sufficiency/care"
	"sufficiency/store/sqlite"
)

// TestUserAdmin: disable and enable, password change ending sessions,
// session and token listing, ending and revoking, as the CLI does them.
func TestUserAdmin(t *testing.T) {
	path := filepath.Join(t.TempDir(), "u.db")
	getenv := envWith("SUFFICIENCY_DB", path, "SUFFICIENCY_ACTOR", "root")
	var out, errb strings.Builder
	if err := run(context.Background(), []string{"user", "add", "--name", "hart", "--role", "council", "--council", "E06000001", "--password-stdin"},
		getenv, strings.NewReader("old password 123\n"), &out, &errb); err != nil {
		t.Fatal(err, errb.String())
	}
	signIn := func(password string) (string, error) {
		db, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		tok, _, err := auth.NewService(db).Login(context.Background(), "hart", password)
		return tok, err
	}
	session := func(tok string) error {
		db, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		_, err = auth.NewService(db).Session(context.Background(), tok)
		return err
	}
	apiToken := func(tok string) error {
		db, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		_, err = auth.NewService(db).Token(context.Background(), tok)
		return err
	}
	s1, err := signIn("old password 123")
	if err != nil {
		t.Fatal(err)
	}
	list := mustRun(t, getenv, "user", "session", "list", "--name", "hart")
	ids := regexp.MustCompile(`(?m)^([0-9a-f]{12})\s+hart\s`).FindAllStringSubmatch(list, -1)
	if len(ids) != 1 {
		t.Fatalf("session list:\n%s", list)
	}
	if out := mustRun(t, getenv, "user", "session", "end", "--id", ids[0][1]); !strings.Contains(out, "ended") {
		t.Fatalf("session end: %s", out)
	}
	if err := session(s1); care.ErrorCode(err) != care.EUNAUTHORIZED {
		t.Errorf("session after ending it: %v", err)
	}

	// A password change ends every session; the old password no longer works.
	s2, _ := signIn("old password 123")
	var pw strings.Builder
	if err := run(context.Background(), []string{"user", "password", "--name", "hart", "--password-stdin"}, getenv,
		strings.NewReader("new password 456\n"), &pw, &errb); err != nil || !strings.Contains(pw.String(), "1 session(s) ended") {
		t.Fatalf("password: %v %s", err, pw.String())
	}
	if err := session(s2); err == nil {
		t.Error("a session survived the password change")
	}
	if _, err := signIn("old password 123"); err == nil {
		t.Error("the old password still works")
	}
	s3, err := signIn("new password 456")
	if err != nil {
		t.Fatal(err)
	}
	if msg, code := runMessage(getenv, "user", "password", "--name", "hart"); code != 0 || !strings.Contains(msg, "New password (shown once): ") {
		t.Errorf("generated password: %d %s", code, msg)
	}
	if err := session(s3); err == nil {
		t.Error("a session survived the second password change")
	}

	// Disable: sessions end, sign-in and tokens fail; enable restores sign-in.
	tok := strings.TrimSpace(mustRun(t, getenv, "user", "token", "--name", "hart", "--label", "reports"))
	if err := apiToken(tok); err != nil {
		t.Fatal(err)
	}
	mustRun(t, getenv, "user", "disable", "--name", "hart")
	if l := mustRun(t, getenv, "user", "list"); !strings.Contains(l, "disabled") {
		t.Errorf("user list after disabling:\n%s", l)
	}
	if err := apiToken(tok); err == nil {
		t.Error("a disabled user's token works")
	}
	mustRun(t, getenv, "user", "enable", "--name", "hart")
	if err := apiToken(tok); err != nil {
		t.Errorf("token after enabling: %v", err)
	}
	tl := mustRun(t, getenv, "user", "token", "list")
	tid := regexp.MustCompile(`(?m)^([0-9a-f]{12})\s+hart\s+reports`).FindStringSubmatch(tl)
	if tid == nil || strings.Contains(tl, strings.TrimPrefix(tok, "sfy_")) {
		t.Fatalf("token list:\n%s", tl)
	}
	mustRun(t, getenv, "user", "token", "revoke", "--id", tid[1])
	if err := apiToken(tok); err == nil {
		t.Error("a revoked token works")
	}

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"user", "disable", "--name", "nobody"}, 2, `no user called "nobody"`},
		{[]string{"user", "disable"}, 2, "give --name NAME"},
		{[]string{"user", "session", "end", "--id", "xyz"}, 2, "12-character id"},
		{[]string{"user", "session", "end"}, 2, "give --id ID"},
		{[]string{"user", "token", "revoke", "--id", tid[1]}, 2, "no API token"},
		{[]string{"user", "session"}, 2, "list or end"},
		{[]string{"user", "session", "list", "--format", "xml"}, 2, "text or json"},
	} {
		if msg, code := runMessage(getenv, tc.args...); code != tc.code || !strings.Contains(msg, tc.want) {
			t.Errorf("%v: exit %d %q; want %d and %q", tc.args, code, msg, tc.code, tc.want)
		}
	}
	if l := mustRun(t, getenv, "user", "list"); !strings.Contains(l, "active") {
		t.Errorf("user list:\n%s", l)
	}
}
