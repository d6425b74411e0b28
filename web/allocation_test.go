package web

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"sufficiency/internal/storetest"
	"sufficiency/match"
	"sufficiency/store"
)

// newAllocationFixture is newFixture's users over Hartlepool (home
// postcodes the sector M1 1) and Middlesbrough (home postcodes "M1 1m",
// which cannot be located), both North East with placement starts from April
// 2023, and the offers suite's supply, every vacancy free from 1 January 2023.
func newAllocationFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixtureTagged(t, "")
	provs, vacs := storetest.OfferSupply()
	for i := range vacs {
		vacs[i].ValidFrom = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if err := f.db.ReplaceSupply(store.WithActor(context.Background(), "test"), provs, vacs); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestRegionalAllocation(t *testing.T) {
	f := newAllocationFixture(t)
	rcc := f.login(t, "ne-rcc")
	if res := f.get(t, rcc, "/regions/North%20East/allocations"); res.Code != 200 || !strings.Contains(res.Body, `id="run"`) {
		t.Fatalf("form: %d", res.Code)
	}
	form := url.Values{"from": {"2023-04-01"}, "to": {"2023-06-30"}, "objective": {"distance"}, "keep_siblings": {"1"}, "compare": {"1"}}
	res := f.post(t, rcc, "/regions/North%20East/allocations", form)
	if res.Code != 200 {
		t.Fatalf("run: %d %s", res.Code, res.Body)
	}
	for _, want := range []string{`id="summary"`, "children placed", "Competition or cooperation", `id="cmp-miles"`, `id="cmp-over20"`,
		`id="cmp-split"`, `id="cmp-wait"`, "Competition: first come, first served", "Children not placed, and why"} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("result page: no %q", want)
		}
	}
	// Four vacancies (five places) for more children: some are not placed, each with a reason.
	if !strings.Contains(res.Body, `id="unplaced"`) {
		t.Error("no child is shown as not placed, with five places for more children")
	}
	// Bad input is named at the field.
	bad := url.Values{"from": {"2023-13-01"}, "to": {"2023-06-30"}, "objective": {"policy"}}
	if res := f.post(t, rcc, "/regions/North%20East/allocations", bad); res.Code != 422 || !strings.Contains(res.Body, `href="#from"`) {
		t.Errorf("bad date: %d", res.Code)
	}
	bad = url.Values{"from": {"2020-01-01"}, "to": {"2023-06-30"}}
	if res := f.post(t, rcc, "/regions/North%20East/allocations", bad); res.Code != 422 || !strings.Contains(res.Body, "longer than a year") {
		t.Errorf("long period: %d", res.Code)
	}
	bad = url.Values{"from": {"2019-01-01"}, "to": {"2019-03-01"}}
	if res := f.post(t, rcc, "/regions/North%20East/allocations", bad); res.Code != 422 || !strings.Contains(res.Body, "no placement starts") {
		t.Errorf("empty period: %d", res.Code)
	}
	// Only the region's RCC.
	for _, name := range []string{"nw-rcc", "hart", "prov", "admin"} {
		c := f.login(t, name)
		if res := f.post(t, c, "/regions/North%20East/allocations", form); res.Code != 403 {
			t.Errorf("%s runs the North East's allocation: %d", name, res.Code)
		}
		var p Problem
		if code := f.apiJSON(t, c, "POST", "/api/v1/regions/North%20East/allocations", `{"from": "2023-04-01", "to": "2023-06-30"}`, &p); code != 403 {
			t.Errorf("%s: API %d", name, code)
		}
	}
	// The API.
	var out allocationResult
	if code := f.apiJSON(t, rcc, "POST", "/api/v1/regions/north%20east/allocations", `{"from": "2023-04-01", "to": "2023-06-30", "objective": "distance", "keep_siblings": true, "compare": true}`, &out); code != 200 {
		t.Fatalf("API: %d", code)
	}
	a := out.Allocation
	if out.Region != "North East" || a.Children == 0 || a.Placed == 0 || a.Placed > 5 || a.Placed+len(a.Unplaced) != a.Children || len(out.Comparison) != 3 {
		t.Fatalf("API result: region %q, %d children, %d placed, %d unplaced, %d modes", out.Region, a.Children, a.Placed, len(a.Unplaced), len(out.Comparison))
	}
	located := 0
	for _, u := range a.Unplaced {
		if u.Reason == "" {
			t.Errorf("%s not placed without a reason", u.ChildID)
		}
		if strings.Contains(u.Reason, `home postcode "M1 1m" in Middlesbrough's return cannot be located`) {
			located++
		}
	}
	if located == 0 {
		t.Error("Middlesbrough's children with an unlocatable postcode are not reported")
	}
	if out.Comparison[0].Mode != match.ModeFirstCome || out.Comparison[0].Placements != nil {
		t.Errorf("comparison %+v", out.Comparison[0])
	}
	var p Problem
	if code := f.apiJSON(t, rcc, "POST", "/api/v1/regions/North%20East/allocations", `{"from": "2023-04-01", "to": "2023-06-30", "objective": "cheapest"}`, &p); code != 400 || !strings.Contains(p.Detail, "policy or distance") {
		t.Errorf("bad objective: %d %+v", code, p)
	}
	if code := f.apiJSON(t, rcc, "POST", "/api/v1/regions/Atlantis/allocations", `{"from": "2023-04-01", "to": "2023-06-30"}`, &p); code != 404 {
		t.Errorf("unknown region: %d", code)
	}
	// Referrals of another region's council are refused.
	other := `{"from": "2023-04-01", "to": "2023-06-30", "referrals": [{"id": "R1", "council": "E08000009", "sex": "F", "date_of_birth": "2012-05",
		"needed_by": "later", "home_postcode": "M32 8BW", "foster_suitability": "preferred", "residential_suitability": "suitable",
		"supported_accommodation_suitability": "unsuitable", "sibling_count": 0, "living_companions": "no_preference", "pets": "not_known"}]}`
	if code := f.apiJSON(t, rcc, "POST", "/api/v1/regions/North%20East/allocations", other, &p); code != 403 {
		t.Errorf("another region's referral: %d", code)
	}
	if code := f.apiJSON(t, rcc, "POST", "/api/v1/regions/North%20East/allocations", strings.Replace(other, "E08000009", hartlepool, 1), &out); code != 200 || out.Allocation.Children != 1 {
		t.Errorf("a referral of the region: %d %+v", code, out.Allocation)
	}
}
