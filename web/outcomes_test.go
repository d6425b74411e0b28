package web

import (
	"net/url"
	"strings"
	"testing"

	"sufficiency/internal/storetest"
	"sufficiency/offers"
)

func TestOutcomesPages(t *testing.T) {
	f := newPlacementFixture(t)
	ref := sendH1H2(t, f)
	acme, beacon, c := f.login(t, "acme"), f.login(t, "beacon"), f.login(t, "traff")
	f.post(t, acme, "/provider/referrals/"+ref+"/decline", url.Values{"provision": {"H1"}, "reason": {"staffing"}})
	f.post(t, beacon, "/provider/referrals/"+ref+"/offer", url.Values{"provision": {"H2"}})
	if res := f.post(t, c, "/referrals/"+ref+"/offers/H2/accept", nil); res.Code != 303 {
		t.Fatalf("accept: %d", res.Code)
	}
	// A draft no home can take: a 17-year-old for supported accommodation only (none in the supply).
	form := goodReferralForm()
	form.Set("date_of_birth", "2008-06")
	form.Set("foster_suitability", "unsuitable")
	form.Set("residential_suitability", "unsuitable")
	form.Set("supported_accommodation_suitability", "preferred")
	f.createReferral(t, c, form)

	res := f.get(t, c, "/councils/"+trafford+"/outcomes")
	if res.Code != 200 {
		t.Fatalf("outcomes page: %d %s", res.Code, res.Body)
	}
	for _, want := range []string{"Referral outcomes", "Declines by reason", "Declines by kind of home", "Declines by provider", "Acme Care",
		"Placed more than 20 miles from home, and why", "Referrals with no eligible home (not sent)"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("outcomes page: no %q", want)
		}
	}
	var o offers.Outcomes
	if code := f.apiJSON(t, c, "GET", "/api/v1/councils/"+trafford+"/outcomes", "", &o); code != 200 || o.Sent != 1 || o.Placed != 1 || o.Declined != 1 || o.NoEligible != 1 {
		t.Errorf("API: %d %+v", code, o)
	}
	if code := f.apiJSON(t, c, "GET", "/api/v1/councils/"+trafford+"/outcomes?from=2026-03-28", "", &o); code != 200 || o.Sent != 0 || o.NoEligible != 0 {
		t.Errorf("API from the day after: %d %+v", code, o)
	}
	var p Problem
	if code := f.apiJSON(t, c, "GET", "/api/v1/councils/"+trafford+"/outcomes?from=tomorrow", "", &p); code != 400 {
		t.Errorf("bad date: %d", code)
	}
	// The picture pages show the outcomes of the year to today to those who may see them.
	storetest.MustImport(t, f.db, storetest.Fixture(trafford, []int{2024, 2025}, 12, "t"))
	for _, tt := range []struct{ user, path string }{{"traff", "/councils/" + trafford}, {"nw-analyst", "/regions/North%20West"}} {
		res := f.get(t, f.login(t, tt.user), tt.path)
		if res.Code != 200 {
			t.Fatalf("%s as %s: %d", tt.path, tt.user, res.Code)
		}
		for _, want := range []string{`id="referral-outcomes"`, `id="chart-declines"`, `id="chart-declines-kind"`, `id="chart-declines-provider"`, "Acme Care",
			`<p class="app-tile__label">Referrals with no eligible home (not sent)</p><p class="app-tile__value">1</p>`} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("%s as %s: no %q", tt.path, tt.user, want)
			}
		}
	}
	if res := f.get(t, f.login(t, "ne-rcc"), "/councils/"+trafford); strings.Contains(res.Body, `id="referral-outcomes"`) {
		t.Error("the North East RCC sees Trafford's referral outcomes on its picture")
	}
	// The picture pages link to the outcomes for those who may see them.
	if res := f.get(t, c, "/councils/"+hartlepool); res.Code != 200 || strings.Contains(res.Body, "/councils/"+hartlepool+"/outcomes") {
		t.Errorf("Trafford's officer on Hartlepool's picture: %d, or a link to its outcomes", res.Code)
	}
	if res := f.get(t, f.login(t, "ne-rcc"), "/councils/"+hartlepool); !strings.Contains(res.Body, `href="/councils/`+hartlepool+`/outcomes"`) {
		t.Error("the North East RCC has no link to Hartlepool's outcomes on its picture")
	}
	nw := f.login(t, "nw-analyst")
	if res := f.get(t, nw, "/regions/North%20West/outcomes"); res.Code != 200 || !strings.Contains(res.Body, "North West: referral outcomes") {
		t.Errorf("region outcomes: %d", res.Code)
	}
	if res := f.get(t, nw, "/councils/"+trafford+"/outcomes"); res.Code != 200 {
		t.Errorf("RCC reads its council's outcomes: %d", res.Code)
	}
	for _, name := range []string{"hart", "acme", "ne-rcc"} {
		u := f.login(t, name)
		if res := f.get(t, u, "/councils/"+trafford+"/outcomes"); res.Code != 403 {
			t.Errorf("%s reads Trafford's outcomes: %d", name, res.Code)
		}
		if res := f.get(t, u, "/regions/North%20West/outcomes"); res.Code != 403 {
			t.Errorf("%s reads the North West's outcomes: %d", name, res.Code)
		}
	}
}
