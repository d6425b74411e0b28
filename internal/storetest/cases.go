package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"sufficiency/care"
	"sufficiency/match"
	"sufficiency/offers"
	"sufficiency/store"
	"sufficiency/workflow"
)

// testCases checks the referrals list read a page at a time
// (workflow.CaseLister): newest first, drafts and referrals sent without a
// draft together, pages that follow on, the page size at its limits, an
// unknown cursor refused, other councils left out, and each read audited.
func testCases(t *testing.T, st DraftsStore) {
	cl, ok := st.(workflow.CaseLister)
	if !ok {
		t.Fatalf("%T does not implement workflow.CaseLister", st)
	}
	ctx := store.WithActor(context.Background(), "officer")
	provs, vacs := OfferSupply()
	ix, err := match.NewIndex(provs, vacs, match.DefaultPolicy(), nil)
	if err != nil {
		t.Fatal(err)
	}
	// A referral sent without a draft (from the command line) before any
	// draft: the oldest of all.
	_, r, err := workflow.NewDraft([]byte(draftJSON), "", false)
	if err != nil {
		t.Fatal(err)
	}
	r.SiblingCount = 0
	if _, err := offers.Send(ctx, st, ix, r, offers.SendOptions{Reference: "R-CLI-0000", Actor: "officer", ShortlistOptions: offers.ShortlistOptions{Top: 2}}); err != nil {
		t.Fatal(err)
	}
	// Five drafts of E08000009 made one after another, one of E08000003.
	// Another referral is sent without a draft between the third and the
	// fourth.
	for i := 1; i <= 5; i++ {
		d, _, err := workflow.NewDraft([]byte(draftJSON), fmt.Sprintf("R-CASE-%04d", i), false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.SaveDraft(ctx, d, "officer"); err != nil {
			t.Fatal(err)
		}
		if i == 3 {
			if _, err := offers.Send(ctx, st, ix, r, offers.SendOptions{Reference: "R-CLI-0003", Actor: "officer", ShortlistOptions: offers.ShortlistOptions{Top: 2}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	other, _, _ := workflow.NewDraft([]byte(strings.Replace(draftJSON, `"E08000009"`, `"E08000003"`, 1)), "R-CASE-0900", false)
	if _, err := st.SaveDraft(ctx, other, "officer"); err != nil {
		t.Fatal(err)
	}
	// The second draft sent; then a referral sent without a draft (from the
	// command line), the newest of all.
	d2, err := st.Draft(ctx, "R-CASE-0002")
	if err != nil {
		t.Fatal(err)
	}
	if r, err = d2.Parse(); err != nil {
		t.Fatal(err)
	}
	r.SiblingCount = 0
	for _, ref := range []string{"R-CASE-0002", "R-CLI-0001"} {
		if _, err := offers.Send(ctx, st, ix, r, offers.SendOptions{Reference: ref, Actor: "officer", ShortlistOptions: offers.ShortlistOptions{Top: 2}}); err != nil {
			t.Fatal(err)
		}
	}

	refs := func(cs []workflow.Case) string {
		var s []string
		for _, c := range cs {
			s = append(s, c.Reference())
		}
		return strings.Join(s, " ")
	}
	page := func(after string, limit int, councils ...string) []workflow.Case {
		t.Helper()
		cs, err := cl.Cases(ctx, workflow.CaseQuery{Councils: councils, After: after, Limit: limit})
		if err != nil {
			t.Fatalf("page after %q of %d: %v", after, limit, err)
		}
		return cs
	}
	all := page("", workflow.MaxCasePage, "E08000009")
	if got, want := refs(all), "R-CLI-0001 R-CASE-0005 R-CASE-0004 R-CLI-0003 R-CASE-0003 R-CASE-0002 R-CASE-0001 R-CLI-0000"; got != want {
		t.Fatalf("list: %s, want %s", got, want)
	}
	if c := all[0]; c.Draft != nil || c.Sent == nil || c.Council() != "E08000009" {
		t.Errorf("referral sent without a draft: %+v", c)
	}
	if c := all[5]; c.Draft == nil || c.Sent == nil || c.Sent.Status != workflow.ReferralOpen || len(c.Sent.Offers) != 2 || c.Draft.ChildID != "CHILD-4471" {
		t.Errorf("sent draft: %+v", c)
	}
	if c := all[1]; c.Draft == nil || c.Sent != nil {
		t.Errorf("draft not sent: %+v", c)
	}
	// Pages of two follow on from each other (the oldest, sent without a
	// draft, on the last), and the one after the last is empty.
	var got []string
	after := ""
	for range 5 {
		cs := page(after, 2, "E08000009")
		if len(cs) > 2 {
			t.Fatalf("page after %q: %d referrals, want at most 2", after, len(cs))
		}
		if len(cs) == 0 {
			break
		}
		got = append(got, refs(cs))
		after = cs[len(cs)-1].Reference()
	}
	if g, want := strings.Join(got, " | "), "R-CLI-0001 R-CASE-0005 | R-CASE-0004 R-CLI-0003 | R-CASE-0003 R-CASE-0002 | R-CASE-0001 R-CLI-0000"; g != want {
		t.Errorf("pages of 2: %s, want %s", g, want)
	}
	if cs := page("R-CLI-0000", 2, "E08000009"); len(cs) != 0 {
		t.Errorf("after the last: %s, want none", refs(cs))
	}
	if g := refs(page("R-CASE-0004", 1, "E08000009")); g != "R-CLI-0003" {
		t.Errorf("one after R-CASE-0004: %s", g)
	}
	if g := refs(page("R-CLI-0003", 1, "E08000009")); g != "R-CASE-0003" {
		t.Errorf("one after R-CLI-0003: %s", g)
	}
	if g := refs(page("R-CASE-0001", 3, "E08000009")); g != "R-CLI-0000" {
		t.Errorf("after R-CASE-0001: %s", g)
	}
	// Two councils together, newest first.
	if g := refs(page("", 3, "E08000003", "E08000009")); g != "R-CLI-0001 R-CASE-0900 R-CASE-0005" {
		t.Errorf("two councils: %s", g)
	}
	// The page size: 1 and MaxCasePage are taken, 0 and MaxCasePage+1 are not.
	for _, tc := range []struct {
		q    workflow.CaseQuery
		code string
	}{
		{workflow.CaseQuery{Councils: []string{"E08000009"}, Limit: 1}, ""},
		{workflow.CaseQuery{Councils: []string{"E08000009"}, Limit: workflow.MaxCasePage}, ""},
		{workflow.CaseQuery{Councils: []string{"E08000009"}, Limit: 0}, care.EINVALID},
		{workflow.CaseQuery{Councils: []string{"E08000009"}, Limit: workflow.MaxCasePage + 1}, care.EINVALID},
		{workflow.CaseQuery{Limit: 10}, care.EINVALID},
		// A cursor that is not in the list: unknown, or another council's.
		{workflow.CaseQuery{Councils: []string{"E08000009"}, After: "R-NONE-0000", Limit: 10}, care.EINVALID},
		{workflow.CaseQuery{Councils: []string{"E08000009"}, After: "R-CASE-0900", Limit: 10}, care.EINVALID},
	} {
		if _, err := cl.Cases(ctx, tc.q); care.ErrorCode(err) != tc.code {
			t.Errorf("%+v: %v, want %q", tc.q, err, tc.code)
		}
	}
	// Every read of the list is audited under each council asked for.
	rctx, log := store.WithReadLog(ctx)
	if _, err := cl.Cases(rctx, workflow.CaseQuery{Councils: []string{"E08000003", "E08000009"}, Limit: 1}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(store.ReadCouncils(log.Take()), " "); got != "E08000003 E08000009" {
		t.Errorf("read log councils %q, want E08000003 E08000009", got)
	}
	evs, err := st.AuditLog(ctx, store.AuditFilter{Council: "E08000003", Action: "read referral draft"})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 { // the two-council page read without a read log
		t.Errorf("audited reads of E08000003's list: %d, want 1: %+v", len(evs), evs)
	}
}
