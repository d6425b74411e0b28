package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSiteHomesVerb(t *testing.T) {
	db := importedDB(t)
	out, errOut, code := runCLI(t, nil, "site-homes", "--la", "E08000003", "--homes", "2", "--places", "3", "--db", db, "--format", "json")
	if code != 0 {
		t.Fatalf("code %d: %s", code, errOut)
	}
	var a struct {
		Sites  []struct{ Code, District string }
		Before struct{ Children, Over20 int } `json:"before"`
		After  struct {
			Children int
			Over20   int `json:"over_20_miles"`
		} `json:"after"`
		Saving float64 `json:"miles_saved"`
		Bound  float64 `json:"bound_miles"`
	}
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatal(err)
	}
	if len(a.Sites) != 2 || a.Saving > a.Bound || a.After.Children != a.Before.Children {
		t.Fatalf("%s", out)
	}
	lev, errOut, code := runCLI(t, nil, "site-homes", "--la", "E08000003", "--homes", "2", "--places", "3", "--db", db, "--as-levers", "--capital", "900000")
	if code != 0 || !strings.Contains(lev, `"lever": "open_home"`) {
		t.Fatalf("as-levers: %d %s\n%s", code, errOut, lev)
	}
	// foster recruitment: districts for carers, as recruit_foster levers
	fost, errOut, code := runCLI(t, nil, "site-homes", "--la", "E08000003", "--homes", "2", "--places", "3", "--for", "fostering", "--db", db, "--as-levers")
	if code != 0 || !strings.Contains(fost, `"lever": "recruit_foster"`) || strings.Contains(fost, "open_home") {
		t.Fatalf("fostering: %d %s\n%s", code, errOut, fost)
	}
	ffile := filepath.Join(t.TempDir(), "f.json")
	os.WriteFile(ffile, []byte(fost), 0o600)
	if _, errOut, code := runCLI(t, nil, "scenario", ffile, "--db", db, "--sims", "20", "--no-save"); code != 0 {
		t.Fatalf("scenario of the recruitment: %d %s", code, errOut)
	}
	// the levers run as a scenario
	file := filepath.Join(t.TempDir(), "s.json")
	os.WriteFile(file, []byte(lev), 0o600)
	if _, errOut, code := runCLI(t, nil, "scenario", file, "--db", db, "--sims", "20"); code != 0 {
		t.Fatalf("scenario of the levers: %d %s", code, errOut)
	}
	for name, c := range map[string]struct {
		args []string
		want string
	}{
		"no homes":   {[]string{"site-homes", "--la", "E08000003", "--db", db}, "--homes"},
		"no scope":   {[]string{"site-homes", "--homes", "2", "--db", db}, "--la"},
		"kind":       {[]string{"site-homes", "--la", "E08000003", "--homes", "2", "--for", "castles", "--db", db}, "--for"},
		"candidates": {[]string{"site-homes", "--la", "E08000003", "--homes", "2", "--candidates", "/nonexistent.csv", "--db", db}, "candidate sites"},
	} {
		err := runErr(c.args...)
		if code := exitCode(err); code != 2 || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: code %d, %v; want 2 and %q", name, code, err, c.want)
		}
	}
}
