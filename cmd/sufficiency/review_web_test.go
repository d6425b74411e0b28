package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"sufficiency/auth"
	"sufficiency/identity"
	"sufficiency/ingest"
	"sufficiency/store"
	"sufficiency/store/sqlite"
	"sufficiency/synth"
	"sufficiency/web"
)

// TestReviewSameOnWebAndCLI: the web's worklist (its API, which the page
// filters) and `sufficiency review` flag the same placements for the same
// reasons on the same database, the statutory review and missing rules
// evaluated by both (issue 10: they once disagreed, 94 against 99).
func TestReviewSameOnWebAndCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and imports two councils")
	}
	ctx := store.WithActor(context.Background(), "test")
	dir := t.TempDir()
	codes := []string{"E06000001", "E06000002"}
	if _, err := synth.Generate(ctx, synth.Config{Out: filepath.Join(dir, "syn"), Councils: codes, From: 2022, To: 2025, Seed: 5, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "s.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range codes {
		if _, err := ingest.Run(ctx, db, []string{filepath.Join(dir, "syn", c)}, ingest.Options{Council: c, AcceptErrors: true}); err != nil {
			t.Fatal(err)
		}
	}
	hash, err := auth.HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateUser(ctx, identity.User{Name: "ne", Role: identity.RoleRCC, Region: "North East", PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Config{Store: db, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"name": {"ne"}, "password": {"correct horse battery staple"}}
	req := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	var cookie *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Value != "" {
			cookie = c
		}
	}
	if cookie == nil {
		t.Fatalf("sign-in: %d %s", rec.Code, rec.Body)
	}
	env := func(k string) string {
		if k == "SUFFICIENCY_DB" {
			return path
		}
		return ""
	}
	for _, tc := range []struct{ name, cli, api string }{
		{"Council", "--la=E06000001", "/api/v1/councils/E06000001/review"},
		{"Region", "--region=North East", "/api/v1/regions/North%20East/review"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, env, "review", tc.cli, "--format", "json")
			if code != 0 {
				t.Fatalf("review: exit %d: %s", code, errOut)
			}
			var ts jsonTables
			if err := json.Unmarshal([]byte(out), &ts); err != nil {
				t.Fatal(err)
			}
			var cli []string
			for _, r := range ts.find(t, "") {
				cli = append(cli, fmt.Sprintf("%v %v: %v", r["Council"], r["Child"], r["Why"]))
			}
			rules := map[string]string{}
			for _, r := range ts.find(t, "Review rules") {
				rules[fmt.Sprint(r["Rule"])] = fmt.Sprintf("%v %v", r["Evaluated"], r["Placements flagged"])
			}

			req := httptest.NewRequest("GET", tc.api, nil)
			req.AddCookie(cookie)
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, req)
			if rec.Code != 200 {
				t.Fatalf("API: %d %s", rec.Code, rec.Body)
			}
			var res web.ReviewResponse
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range res.Items {
				var why []string
				for _, f := range it.Flags {
					why = append(why, f.Rule+": "+f.Detail)
				}
				got = append(got, fmt.Sprintf("%s %s: %s", it.Council, it.ChildID, strings.Join(why, "; ")))
			}
			if len(cli) == 0 {
				t.Fatal("the CLI flagged nothing: the comparison proves nothing")
			}
			sort.Strings(cli)
			sort.Strings(got)
			if strings.Join(cli, "\n") != strings.Join(got, "\n") {
				t.Errorf("CLI flags %d placements, web %d; first CLI %q, first web %q", len(cli), len(got), cli[0], got[min(len(got)-1, 0)])
			}
			for _, r := range res.Rules {
				yes := "no"
				if r.Evaluated {
					yes = "yes"
				}
				want := rules[r.ID]
				gotRule := fmt.Sprintf("%s %d", yes, r.Flagged)
				if !r.Evaluated {
					gotRule = "no <nil>"
				}
				if want != gotRule {
					t.Errorf("rule %s: CLI %q, web %q", r.ID, want, gotRule)
				}
				if (r.ID == "review-overdue" || r.ID == "missing-from-placement") && !r.Evaluated {
					t.Errorf("rule %s not evaluated on the web: %s", r.ID, r.Why)
				}
			}
		})
	}
}
