package web

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"sufficiency/store"
	"sufficiency/workflow"
)

// TestReferralsListPages checks the referrals list read a page at a time,
// newest first, on the API (limit on, below and above its bounds; the next
// cursor only while more follow) and on the page (50 a page, links to the
// older and newest pages), each read audited.
func TestReferralsListPages(t *testing.T) {
	f := newPlacementFixture(t)
	const n = referralsPageSize + 3
	want := saveListDrafts(t, f, n) // newest first
	c := f.login(t, "traff")
	type listAPI struct {
		Referrals []struct {
			Reference string `json:"reference"`
			ChildID   string `json:"child_id"`
			Status    string `json:"status"`
		} `json:"referrals"`
		Next string `json:"next"`
	}
	list := func(target string) (listAPI, int) {
		t.Helper()
		var out listAPI
		code := f.apiJSON(t, c, "GET", target, "", &out)
		return out, code
	}
	refs := func(l listAPI) []string {
		var s []string
		for _, r := range l.Referrals {
			s = append(s, r.Reference)
		}
		return s
	}
	first, code := list("/api/v1/referrals")
	if code != 200 || len(first.Referrals) != referralsPageSize || first.Next != want[referralsPageSize-1] {
		t.Fatalf("first page: %d, %d referrals, next %q", code, len(first.Referrals), first.Next)
	}
	if got := strings.Join(refs(first), " "); got != strings.Join(want[:referralsPageSize], " ") {
		t.Errorf("first page, newest first: %s", got)
	}
	if r := first.Referrals[0]; r.Status != "draft" || r.ChildID != fmt.Sprintf("CHILD-%d", n-1) {
		t.Errorf("newest: %+v", r)
	}
	second, code := list("/api/v1/referrals?after=" + first.Next)
	if code != 200 || second.Next != "" || strings.Join(refs(second), " ") != strings.Join(want[referralsPageSize:], " ") {
		t.Errorf("second page: %d %v next %q", code, refs(second), second.Next)
	}
	// The limit: 1 and 200 taken, a page exactly as long as what is left
	// has no next, one shorter has.
	for _, tc := range []struct {
		limit    int
		rows     int
		withNext bool
	}{{1, 1, true}, {n - 1, n - 1, true}, {n, n, false}, {maxReferralsPage, n, false}} {
		l, code := list(fmt.Sprintf("/api/v1/referrals?limit=%d", tc.limit))
		if code != 200 || len(l.Referrals) != tc.rows || (l.Next != "") != tc.withNext {
			t.Errorf("limit %d: %d, %d referrals, next %q", tc.limit, code, len(l.Referrals), l.Next)
		}
	}
	for _, q := range []string{"limit=0", fmt.Sprintf("limit=%d", maxReferralsPage+1), "limit=-1", "limit=ten", "after=R-NONE-0000"} {
		var p Problem
		if code := f.apiJSON(t, c, "GET", "/api/v1/referrals?"+q, "", &p); code != 400 {
			t.Errorf("?%s: %d, want 400", q, code)
		}
	}
	// Another council's officer does not see them, nor may page from one.
	hart := f.login(t, "hart")
	var other listAPI
	if code := f.apiJSON(t, hart, "GET", "/api/v1/referrals", "", &other); code != 200 || len(other.Referrals) != 0 {
		t.Errorf("Hartlepool's list: %d %v", code, refs(other))
	}
	var p Problem
	if code := f.apiJSON(t, hart, "GET", "/api/v1/referrals?after="+want[0], "", &p); code != 400 {
		t.Errorf("Hartlepool pages after Trafford's referral: %d, want 400", code)
	}
	// The page: 50 rows, then the rest with a link back to the newest.
	page := f.get(t, c, "/referrals")
	if page.Code != 200 || strings.Count(page.Body, `href="/referrals/R-LIST-`) != referralsPageSize ||
		!strings.Contains(page.Body, `href="/referrals?after=`+first.Next+`"`) || strings.Contains(page.Body, "Newest referrals") {
		t.Errorf("first page of the list: %d, %d rows", page.Code, strings.Count(page.Body, `href="/referrals/R-LIST-`))
	}
	page = f.get(t, c, "/referrals?after="+first.Next)
	if page.Code != 200 || strings.Count(page.Body, `href="/referrals/R-LIST-`) != 3 || strings.Contains(page.Body, "Older referrals") ||
		!strings.Contains(page.Body, "Newest referrals") || !strings.Contains(page.Body, want[n-1]) {
		t.Errorf("second page of the list: %d, %d rows", page.Code, strings.Count(page.Body, `href="/referrals/R-LIST-`))
	}
	// Each read of the list is one audit entry naming Trafford's drafts.
	evs, err := f.db.AuditLog(context.Background(), store.AuditFilter{Actor: "traff", Council: trafford})
	if err != nil {
		t.Fatal(err)
	}
	reads := 0
	for _, e := range evs {
		if strings.Contains(e.Detail, "/referrals") && strings.Contains(e.Detail, "read referral draft") {
			reads++
		}
	}
	if reads < 8 { // 2 pages, 4 limits and the 2 page views that were answered
		t.Errorf("audited reads of the list: %d, want at least 8: %+v", reads, evs)
	}
}

// saveListDrafts saves n of Trafford's referral drafts, R-LIST-0000 onwards,
// a minute apart on the store's clock, and returns their references newest
// first.
func saveListDrafts(t *testing.T, f *fixture, n int) []string {
	t.Helper()
	ctx := store.WithActor(context.Background(), "traff")
	var want []string
	for i := range n {
		body := fmt.Sprintf(`{"id": "LA-%d", "council": %q, "child_id": "CHILD-%d", "sex": "F", "date_of_birth": "2012-05", "needed_by": "later",
			"start_date": "2026-03-28", "foster_suitability": "suitable", "residential_suitability": "preferred",
			"supported_accommodation_suitability": "unsuitable", "sibling_count": 0, "home_postcode": "M32 8BW",
			"living_companions": "no_preference", "pets": "not_known", "needs_tier": "enhanced", "need_codes": ["EBD"]}`, i, trafford, i)
		d, _, err := workflow.NewDraft([]byte(body), fmt.Sprintf("R-LIST-%04d", i), false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.SaveDraft(ctx, d, "traff"); err != nil {
			t.Fatal(err)
		}
		f.clock.mu.Lock() // the store's clock: one draft a minute
		f.clock.t = f.clock.t.Add(time.Minute)
		f.clock.mu.Unlock()
		want = append([]string{d.Reference}, want...)
	}
	return want
}
