package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

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
		{getenv, "Acme Care Ltd", `--as "Acme Care Ltd" is not a user`},
		{getenv, "hart", "not your council"},
		{getenv, "nw", "only a placement officer of the placing council"},
		{nobody, "", "you (nobody) are not a user"},
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
	var sent offers.Sent
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
	var list []offers.Sent
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
}
