package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sufficiency/care"
	"sufficiency/identity"
	"sufficiency/match"
	"sufficiency/offers"
	"sufficiency/store/sqlite"
	"sufficiency/workflow"
)

// offerFixture makes a temporary database holding match's test supply
// (loaded with ReplaceSupply) and returns its path and a getenv naming it.
func offerFixture(t *testing.T) (string, func(string) string) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "offers.db")
	f, err := os.Open(filepath.Join("..", "..", "match", "testdata", "supply.json"))
	if err != nil {
		t.Fatal(err)
	}
	provs, vacs, err := match.ReadSupply(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ReplaceSupply(context.Background(), provs, vacs); err != nil {
		t.Fatal(err)
	}
	addUsers(t, db, offerUsers...)
	db.Close()
	getenv := func(k string) string {
		switch k {
		case "SUFFICIENCY_DB":
			return path
		case "SUFFICIENCY_ACTOR":
			return "tester"
		}
		return ""
	}
	return path, getenv
}

// offerUsers are the users of the offer tests: "tester" (the run's actor)
// and "officer" and "head" place children for Trafford (the referral's
// council); "hart" is of Hartlepool and "nw" an RCC analyst of the North West.
var offerUsers = []identity.User{
	{Name: "tester", Role: identity.RoleCouncil, Council: "E08000009"},
	{Name: "officer", Role: identity.RoleCouncil, Council: "E08000009"},
	{Name: "head", Role: identity.RoleCouncil, Council: "E08000009"},
	{Name: "hart", Role: identity.RoleCouncil, Council: "E06000001"},
	{Name: "nw", Role: identity.RoleRCC, Region: "North West"},
}

// addUsers adds users to st.
func addUsers(t *testing.T, st identity.Store, users ...identity.User) {
	t.Helper()
	for _, u := range users {
		if _, err := st.CreateUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
}

// addProviderUser adds a user named name for the provider of provision on
// the sent referral (match's test supply names no owners: the provision's
// name is its provider).
func addProviderUser(t *testing.T, path, name string, sent workflow.Sent, provision string) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, o := range sent.Offers {
		if o.ProvisionID == provision {
			addUsers(t, db, identity.User{Name: name, Role: identity.RoleProvider, Provider: o.Provider})
			return
		}
	}
	t.Fatalf("%s is not on the shortlist", provision)
}

func mustRun(t *testing.T, getenv func(string) string, args ...string) string {
	t.Helper()
	out, errOut, code := runCLI(t, getenv, args...)
	if code != 0 {
		t.Fatalf("%v: exit %d: %s%s", args, code, out, errOut)
	}
	return out
}

// runMessage runs the program and returns its output with the error message
// main would print, and the exit code.
func runMessage(getenv func(string) string, args ...string) (string, int) {
	var msg strings.Builder
	err := run(context.Background(), args, getenv, strings.NewReader(""), &msg, &msg)
	if err != nil {
		msg.WriteString("sufficiency: " + care.ErrorMessage(err))
	}
	return msg.String(), exitCode(err)
}

func TestOfferRoundTrip(t *testing.T) {
	path, getenv := offerFixture(t)
	refFile := filepath.Join("..", "..", "match", "testdata", "referral.json")

	text := mustRun(t, getenv, "referral", "send", "--referral", refFile, "--top", "3", "--as", "officer")
	if !strings.Contains(text, "Referral R0000 sent as R-") || !strings.Contains(text, "to 3 provider(s)") {
		t.Fatalf("send output:\n%s", text)
	}
	var sent workflow.Sent
	if err := json.Unmarshal([]byte(mustRun(t, getenv, "referral", "send", "--referral", refFile, "--top", "2", "--format", "json", "--db", path)), &sent); err != nil {
		t.Fatal(err)
	}
	ref := sent.Referral.Reference
	if len(sent.Offers) != 2 || sent.SentBy != "tester" || sent.Referral.HomeDistrict != "M32" {
		t.Fatalf("sent %+v", sent)
	}
	first, second := sent.Offers[0].ProvisionID, sent.Offers[1].ProvisionID
	addProviderUser(t, path, "provider-a", sent, first)
	addProviderUser(t, path, "provider-b", sent, second)

	out := mustRun(t, getenv, "offer", "make", "--referral", ref, "--provision", first, "--price", "5200.50", "--as", "provider-a")
	if !strings.Contains(out, "offered at £5200.50 a week") {
		t.Fatalf("make: %s", out)
	}
	out = mustRun(t, getenv, "offer", "decline", "--referral", ref, "--provision", second, "--reason", "other", "--note", "home closing for refurbishment", "--as", "provider-b")
	if !strings.Contains(out, "declined: other (home closing for refurbishment)") {
		t.Fatalf("decline: %s", out)
	}
	out = mustRun(t, getenv, "offer", "accept", "--referral", ref, "--provision", first, "--as", "head")
	if !strings.Contains(out, "is placed with "+first) {
		t.Fatalf("accept: %s", out)
	}
	msg, code := runMessage(getenv, "offer", "accept", "--referral", ref, "--provision", first)
	if code != 1 || !strings.Contains(msg, "already placed") || !strings.Contains(msg, "sufficiency offer list --referral "+ref) {
		t.Fatalf("second accept: exit %d %s", code, msg)
	}

	var list []workflow.Sent
	if err := json.Unmarshal([]byte(mustRun(t, getenv, "offer", "list", "--referral", ref, "--format", "json")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Status != workflow.ReferralPlaced || list[0].Offers[0].Status != workflow.StatusAccepted ||
		list[0].Offers[0].UpdatedBy != "head" || list[0].Offers[1].Reason != workflow.ReasonOther || list[0].Reservation == nil {
		t.Fatalf("list %+v", list)
	}
	all := mustRun(t, getenv, "offer", "list")
	if strings.Count(all, "R-") < 2 || !strings.Contains(all, "PLACED") || !strings.Contains(all, "OPEN") {
		t.Fatalf("list text:\n%s", all)
	}

	rows, err := csv.NewReader(strings.NewReader(mustRun(t, getenv, "offer", "declines", "--format", "csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || strings.Join(rows[0], ",") != "council,provider,reason,declines" || rows[1][0] != "E08000009" || rows[1][2] != "other" || rows[1][3] != "1" {
		t.Fatalf("declines csv %v", rows)
	}
	if txt := mustRun(t, getenv, "offer", "declines"); !strings.Contains(txt, "Declined referrals, all time: 1") {
		t.Fatalf("declines text:\n%s", txt)
	}
	var rep offers.Report
	if err := json.Unmarshal([]byte(mustRun(t, getenv, "offer", "declines", "--format", "json", "--from", "2000-01-01", "--to", "2001-01-01")), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Total != 0 {
		t.Fatalf("declines long ago: %+v", rep)
	}

	out = mustRun(t, getenv, "referral", "cancel", "--referral", ref, "--note", "child went home")
	if !strings.Contains(out, "cancelled") {
		t.Fatalf("cancel: %s", out)
	}
	if l := mustRun(t, getenv, "offer", "list", "--status", "cancelled"); !strings.Contains(l, ref) || !strings.Contains(l, "released") {
		t.Fatalf("cancelled list:\n%s", l)
	}
}

func TestOfferErrors(t *testing.T) {
	path, getenv := offerFixture(t)
	refFile := filepath.Join("..", "..", "match", "testdata", "referral.json")
	var sent workflow.Sent
	json.Unmarshal([]byte(mustRun(t, getenv, "referral", "send", "--referral", refFile, "--format", "json")), &sent)
	ref := sent.Referral.Reference
	prov := sent.Offers[0].ProvisionID
	missing := filepath.Join(t.TempDir(), "none.db")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"ErrNoSubcommand", []string{"offer"}, 2, "make, decline, accept"},
		{"ErrUnknownSubcommand", []string{"referral", "frob"}, 2, "send or cancel"},
		{"ErrNoDatabase", []string{"offer", "list", "--db", missing}, 2, "no database"},
		{"ErrPostgresUnreachable", []string{"offer", "list", "--db", "postgres://127.0.0.1:1/y"}, 2, "cannot connect"},
		{"ErrNoReferralFlag", []string{"offer", "make", "--provision", prov}, 2, "--referral is required"},
		{"ErrUnknownReferral", []string{"offer", "make", "--referral", "R-0000-0000", "--provision", prov}, 2, "no referral"},
		{"ErrNotShortlisted", []string{"offer", "make", "--referral", ref, "--provision", "N1"}, 2, "only its shortlist"},
		{"ErrOtherWithoutNote", []string{"offer", "decline", "--referral", ref, "--provision", prov, "--reason", "other"}, 2, "--reason other needs --note TEXT"},
		{"ErrBadReason", []string{"offer", "decline", "--referral", ref, "--provision", prov, "--reason", "busy"}, 2, "no_vacancy"},
		{"ErrNoteWithoutOther", []string{"offer", "decline", "--referral", ref, "--provision", prov, "--reason", "risk", "--note", "x"}, 2, "only with reason other"},
		{"ErrReasonOnOffer", []string{"offer", "make", "--referral", ref, "--provision", prov, "--reason", "risk"}, 2, "for declines"},
		{"ErrAcceptPending", []string{"offer", "accept", "--referral", ref, "--provision", prov}, 1, "not offered a place yet"},
		{"ErrBadFormat", []string{"offer", "declines", "--format", "xml"}, 2, "text, json, csv"},
		{"ErrBadDate", []string{"offer", "declines", "--from", "01/02/2026"}, 2, "YYYY-MM-DD"},
		{"ErrEmptyPeriod", []string{"offer", "declines", "--from", "2026-02-01", "--to", "2026-01-01"}, 2, "period is empty: its first day 2026-02-01 is not before the day it ends 2026-01-01: give --from before --to"},
		{"ErrTopTooBig", []string{"referral", "send", "--referral", refFile, "--top", "500"}, 2, "1–30"},
		{"ErrChosenIneligible", []string{"referral", "send", "--referral", refFile, "--provisions", "N1"}, 2, "not eligible"},
		{"ErrNoReferralFile", []string{"referral", "send", "--db", path}, 2, "--referral is required"},
		{"ErrBadStatus", []string{"offer", "list", "--status", "lost"}, 2, "open, placed or cancelled"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msg, code := runMessage(getenv, tc.args...)
			if code != tc.code || !strings.Contains(msg, tc.want) {
				t.Fatalf("exit %d (want %d), output %q; want it to mention %q", code, tc.code, msg, tc.want)
			}
		})
	}
}

// referral send shortlists the providers match ranks first: both search as
// of now (stale vacancies score the same). match used to search without the
// current time, so a stale vacancy ranked higher in match than in send.
func TestSendShortlistIsMatchTop(t *testing.T) {
	_, getenv := offerFixture(t)
	refFile := filepath.Join("..", "..", "match", "testdata", "referral.json")
	var m struct {
		Candidates []struct {
			ProvisionID string `json:"provision_id"`
		} `json:"candidates"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, getenv, "match", "--referral", refFile, "--top", "3", "--format", "json")), &m); err != nil {
		t.Fatal(err)
	}
	var sent workflow.Sent
	if err := json.Unmarshal([]byte(mustRun(t, getenv, "referral", "send", "--referral", refFile, "--top", "3", "--format", "json")), &sent); err != nil {
		t.Fatal(err)
	}
	var a, b []string
	for _, c := range m.Candidates {
		a = append(a, c.ProvisionID)
	}
	for _, o := range sent.Offers {
		b = append(b, o.ProvisionID)
	}
	if strings.Join(a, ",") != strings.Join(b, ",") {
		t.Fatalf("match ranks %v first, referral send shortlisted %v", a, b)
	}
}
