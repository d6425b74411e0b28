package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sufficiency/internal/storetest"
	"sufficiency/store/sqlite"
	"sufficiency/workflow"
	"testing"
	"time"

	"sufficiency/offers"
)

// TestActAs: the workflow verbs act only as an existing user whose role and
// scope permit the act (auth.Permit, as for the pages and API); the name
// recorded is the user's.
func TestActAs(t *testing.T) {
	path, getenv := offerFixture(t)
	refFile := filepath.Join("..", "..", "match", "testdata", "referral.json")
	nobody := envWith("SUFFICIENCY_DB", path, "SUFFICIENCY_ACTOR", "nobody")

	// Sending: a council user of the referral's council only.
	for _, tc := range []struct {
		env  func(string) string
		as   string
		want string
	}{
		{getenv, "Acme Care Ltd", `--as: "Acme Care Ltd" is not a user of this database: name a user with --as NAME`},
		{getenv, "hart", "not your council"},
		{getenv, "nw", "only a placement officer of the placing council"},
		{nobody, "", `you ($SUFFICIENCY_ACTOR, else the operating-system user): "nobody" is not a user of this database: name a user with --as NAME`},
		{envWith("SUFFICIENCY_DB", path, "SUFFICIENCY_TOKEN", "sfy_forged"), "", "SUFFICIENCY_TOKEN: the API token is not right"},
	} {
		args := []string{"referral", "send", "--referral", refFile, "--top", "2"}
		if tc.as != "" {
			args = append(args, "--as", tc.as)
		}
		if msg, code := runMessage(tc.env, args...); code != 1 || !strings.Contains(msg, tc.want) {
			t.Errorf("send as %q: exit %d %q; want 1 and %q", tc.as, code, msg, tc.want)
		}
	}
	var sent workflow.Sent
	if err := json.Unmarshal([]byte(mustRun(t, getenv, "referral", "send", "--referral", refFile, "--top", "2", "--format", "json", "--as", "officer")), &sent); err != nil {
		t.Fatal(err)
	}
	ref, first, second := sent.Referral.Reference, sent.Offers[0].ProvisionID, sent.Offers[1].ProvisionID
	if sent.SentBy != "officer" {
		t.Errorf("sent by %q, want officer", sent.SentBy)
	}
	addProviderUser(t, path, "prov-a", sent, first)
	addProviderUser(t, path, "prov-b", sent, second)

	// Answering: only the provider of that provision.
	for _, tc := range []struct{ as, want string }{
		{"officer", "only the provider it is addressed to"},
		{"prov-b", "not addressed to your organisation"},
		{"Provider A", "is not a user"},
	} {
		if msg, code := runMessage(getenv, "offer", "make", "--referral", ref, "--provision", first, "--as", tc.as); code != 1 || !strings.Contains(msg, tc.want) {
			t.Errorf("make as %q: exit %d %q; want 1 and %q", tc.as, code, msg, tc.want)
		}
	}
	// A token in the environment names the user.
	tok := strings.TrimSpace(mustRun(t, getenv, "user", "token", "--name", "prov-a"))
	withToken := envWith("SUFFICIENCY_DB", path, "SUFFICIENCY_ACTOR", "nobody", "SUFFICIENCY_TOKEN", tok)
	if out := mustRun(t, withToken, "offer", "make", "--referral", ref, "--provision", first); !strings.Contains(out, "offered") {
		t.Fatalf("make with a token: %s", out)
	}
	// Accepting: the placing council's officer only; not another council, not the RCC, not the provider.
	for _, as := range []string{"hart", "nw", "prov-a"} {
		if msg, code := runMessage(getenv, "offer", "accept", "--referral", ref, "--provision", first, "--as", as); code != 1 || !strings.Contains(msg, "you may not accept an offer on") {
			t.Errorf("accept as %s: exit %d %q", as, code, msg)
		}
	}
	if msg, code := runMessage(getenv, "referral", "cancel", "--referral", ref, "--as", "hart"); code != 1 || !strings.Contains(msg, "you may not withdraw") {
		t.Errorf("cancel as hart: exit %d %q", code, msg)
	}
	mustRun(t, getenv, "offer", "accept", "--referral", ref, "--provision", first, "--as", "head")
	var list []workflow.Sent
	if err := json.Unmarshal([]byte(mustRun(t, getenv, "offer", "list", "--referral", ref, "--format", "json")), &list); err != nil {
		t.Fatal(err)
	}
	by := map[string]bool{}
	for _, e := range list[0].Events {
		by[e.Actor] = true
	}
	if !by["officer"] || !by["prov-a"] || !by["head"] || by["Acme Care Ltd"] || by["hart"] {
		t.Errorf("events recorded by %v; want officer, prov-a and head only", by)
	}

	// The outcomes of the council's referrals: the council and its region see them, another council does not.
	var o offers.Outcomes
	if err := json.Unmarshal([]byte(mustRun(t, getenv, "offer", "outcomes", "--council", "E08000009", "--format", "json")), &o); err != nil {
		t.Fatal(err)
	}
	if o.Scope != "Trafford" || o.Sent != 1 || o.Placed != 1 || o.Offered != 1 || o.Unanswered != 1 {
		t.Errorf("outcomes %+v", o)
	}
	if txt := mustRun(t, getenv, "offer", "outcomes", "--region", "North West", "--as", "nw"); !strings.Contains(txt, "North West: referral outcomes") || !strings.Contains(txt, "Declines by reason") {
		t.Errorf("region outcomes:\n%s", txt)
	}
	// The same evidence is part of the council's picture for the year the
	// referral was made in (issue 11: decline reasons appear in the picture).
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	// The referrals above were sent today: the picture is of the collection
	// year holding today (to the next 31 March), with returns up to it.
	end := time.Now().Year()
	if time.Now().After(time.Date(end, 3, 31, 23, 59, 59, 0, time.UTC)) {
		end++
	}
	storetest.MustImport(t, db, storetest.Fixture("E08000009", []int{end, end + 1}, 12, "t"))
	db.Close()
	pic, code := runMessage(getenv, "picture", "--la", "E08000009", "--at", fmt.Sprintf("%d-03-31", end), "--format", "json")
	if code != 0 {
		t.Fatalf("picture: exit %d: %s", code, pic)
	}
	if !strings.Contains(pic, "referral outcomes") || !strings.Contains(pic, "Declines by reason") {
		t.Errorf("the picture lacks the referral outcomes:\n%.2000s", pic)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"offer", "outcomes", "--council", "E08000009", "--as", "hart"}, 1, "you may not see the referral outcomes of Trafford"},
		{[]string{"offer", "outcomes", "--region", "North West", "--as", "officer"}, 1, "only the Regional Care Cooperative of North West"},
		{[]string{"offer", "outcomes"}, 2, "give --council CODE or --region NAME"},
		{[]string{"offer", "outcomes", "--council", "Atlantis"}, 2, "no council"},
		{[]string{"offer", "outcomes", "--council", "E08000009", "--from", "2026-03-01", "--to", "2026-03-01"}, 2, "the period is empty"},
	} {
		if msg, code := runMessage(getenv, tc.args...); code != tc.code || !strings.Contains(msg, tc.want) {
			t.Errorf("%v: exit %d %q; want %d and %q", tc.args, code, msg, tc.code, tc.want)
		}
	}
}
