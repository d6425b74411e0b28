package match

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"sufficiency/care"
	"sufficiency/geo"
)

// The limits of the eligibility rules and of the ranking score, each on the
// limit, just below and just above, as docs/METHOD.md ("Eligibility",
// "Ranking: a transparent score") and policy.conf define them. A distance
// limit is met exactly by setting it to the distance the index measures
// (math.Nextafter gives the nearest figures either side).

// limitIndex is testSupply's index under pol, after change (nil: none) has
// edited the supply.
func limitIndex(t *testing.T, pol Policy, change func(provs []care.Provision, vacs []care.Vacancy)) *Index {
	t.Helper()
	provs, vacs := testSupply()
	if change != nil {
		change(provs, vacs)
	}
	ix, err := NewIndex(provs, vacs, pol, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// searchFor searches for ref and returns provision id's candidate (nil when
// it is not among the candidates) and its exclusion reasons (nil when it is
// eligible). It searches both ways the index checks a provision: the compact
// check, and the full check used when the supply has more need codes or
// sexes than the compact records hold; the two must agree.
func searchFor(t *testing.T, ix *Index, ref care.Referral, opt Options, id string) (*Candidate, []Reason) {
	t.Helper()
	one := func(ix *Index) (*Candidate, []Reason) {
		res, err := ix.Search(ref, opt)
		if err != nil {
			t.Fatal(err)
		}
		for i := range res.Candidates {
			if res.Candidates[i].ProvisionID == id {
				return &res.Candidates[i], nil
			}
		}
		return nil, reasonsFor(res, id)
	}
	if ix.compact == nil {
		t.Fatal("no compact records built")
	}
	c, rs := one(ix)
	full := *ix
	full.compact, full.eligible = nil, &eligibleMemo{}
	fc, frs := one(&full)
	codes := func(rs []Reason) []ReasonCode {
		var out []ReasonCode
		for _, r := range rs {
			out = append(out, r.Code)
		}
		return out
	}
	if (c == nil) != (fc == nil) || !slices.Equal(codes(rs), codes(frs)) || (c != nil && c.Score != fc.Score) {
		t.Errorf("%s: the compact check gives eligible %v, reasons %v; the full check eligible %v, reasons %v",
			id, c != nil, rs, fc != nil, frs)
	}
	return c, rs
}

// provPoint is where the index puts provision id.
func provPoint(t *testing.T, ix *Index, id string) geo.Point {
	t.Helper()
	for k := range ix.provs {
		if ix.provs[k].p.ID == id {
			if !ix.provs[k].located {
				t.Fatalf("%s is not located", id)
			}
			return ix.provs[k].pt
		}
	}
	t.Fatalf("no provision %s", id)
	return geo.Point{}
}

func partOf(t *testing.T, c *Candidate, name string) Part {
	t.Helper()
	for _, p := range c.Parts {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("%s: no %s part in %+v", c.ProvisionID, name, c.Parts)
	return Part{}
}

func hasCode(rs []Reason, code ReasonCode) bool {
	for _, r := range rs {
		if r.Code == code {
			return true
		}
	}
	return false
}

// either side of x: the nearest float64 below and above.
func below(x float64) float64 { return math.Nextafter(x, math.Inf(-1)) }
func above(x float64) float64 { return math.Nextafter(x, math.Inf(1)) }

// TestMaxMilesLimit: "beyond the policy's limit: distance above max_miles
// when set". A home exactly max_miles away is eligible.
func TestMaxMilesLimit(t *testing.T) {
	ref := baseReferral()
	c, _ := searchFor(t, mustIndex(t, DefaultPolicy()), ref, Options{}, "H1")
	if c == nil {
		t.Fatal("H1 not eligible without a limit")
	}
	miles := c.Miles
	for _, tc := range []struct {
		name     string
		limit    float64
		excluded bool
	}{{"limit just below the distance", below(miles), true}, {"limit on the distance", miles, false},
		{"limit just above the distance", above(miles), false}} {
		pol := DefaultPolicy()
		pol.MaxMiles = tc.limit
		c, rs := searchFor(t, mustIndex(t, pol), ref, Options{}, "H1")
		if tc.excluded != (c == nil) || tc.excluded != hasCode(rs, ReasonTooFar) {
			t.Errorf("%s (%v miles, limit %v): eligible %v, reasons %v; want excluded as too far: %v", tc.name, miles, tc.limit, c != nil, rs, tc.excluded)
		}
	}
}

// TestBudgetCeiling: "over budget ceiling: the vacancy's weekly price above
// the referral's ceiling". H1's price is £5,500 a week.
func TestBudgetCeiling(t *testing.T) {
	ix := mustIndex(t, DefaultPolicy())
	for _, tc := range []struct {
		budget   care.Pence
		excluded bool
	}{{549999, true}, {550000, false}, {550001, false}} {
		ref := baseReferral()
		ref.Budget = tc.budget
		c, rs := searchFor(t, ix, ref, Options{}, "H1")
		if tc.excluded != (c == nil) || tc.excluded != hasCode(rs, ReasonBudget) {
			t.Errorf("budget %d pence for a 550000-pence place: eligible %v, reasons %v; want over budget: %v", tc.budget, c != nil, rs, tc.excluded)
		}
	}
}

// TestWithinFilter: Options.Within keeps the candidates "at most Within
// miles from the child's home", and does not change Eligible.
func TestWithinFilter(t *testing.T) {
	ix := mustIndex(t, DefaultPolicy())
	ref := baseReferral()
	all, err := ix.Search(ref, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := searchFor(t, ix, ref, Options{}, "H1")
	if c == nil {
		t.Fatal("H1 not eligible")
	}
	for _, tc := range []struct {
		within float64
		listed bool
	}{{below(c.Miles), false}, {c.Miles, true}, {above(c.Miles), true}} {
		res, err := ix.Search(ref, Options{Within: tc.within})
		if err != nil {
			t.Fatal(err)
		}
		listed := false
		for _, x := range res.Candidates {
			listed = listed || x.ProvisionID == "H1"
			if x.Miles > tc.within {
				t.Errorf("within %v: %s at %v miles listed", tc.within, x.ProvisionID, x.Miles)
			}
		}
		if listed != tc.listed {
			t.Errorf("H1 at %v miles, within %v: listed %v, want %v", c.Miles, tc.within, listed, tc.listed)
		}
		if res.Eligible != all.Eligible {
			t.Errorf("within %v: Eligible %d, want %d (the filter does not change it)", tc.within, res.Eligible, all.Eligible)
		}
	}
}

// TestAvoidDistance: "within X miles of a location to avoid: straight-line
// distance below the referral's distance". A home exactly X miles away is
// not excluded.
func TestAvoidDistance(t *testing.T) {
	ix := mustIndex(t, DefaultPolicy())
	avoid, err := ix.locate("M19")
	if err != nil {
		t.Fatal(err)
	}
	d := geo.Miles(avoid, provPoint(t, ix, "H1"))
	for _, tc := range []struct {
		miles    float64
		excluded bool
	}{{below(d), false}, {d, false}, {above(d), true}} {
		ref := baseReferral()
		ref.Avoid = []care.AvoidLocation{{Postcode: "M19", Miles: tc.miles}}
		c, rs := searchFor(t, ix, ref, Options{}, "H1")
		if tc.excluded != (c == nil) || tc.excluded != hasCode(rs, ReasonAvoid) {
			t.Errorf("H1 %v miles from M19, keep %v miles away: eligible %v, reasons %v; want excluded: %v", d, tc.miles, c != nil, rs, tc.excluded)
		}
	}
}

// TestSchoolReach: "school_move plus school_per_mile for each mile beyond
// school_reach_miles from the school"; a home exactly school_reach_miles
// from the school keeps it (no points).
func TestSchoolReach(t *testing.T) {
	ix := mustIndex(t, DefaultPolicy())
	school, err := ix.locate("M19")
	if err != nil {
		t.Fatal(err)
	}
	d := geo.Miles(school, provPoint(t, ix, "H1"))
	ref := baseReferral()
	ref.SchoolPostcode, ref.KeepSchool = "M19", true
	for _, tc := range []struct {
		reach float64
		move  bool
	}{{below(d), true}, {d, false}, {above(d), false}} {
		pol := DefaultPolicy()
		pol.SchoolReachMiles = tc.reach
		c, rs := searchFor(t, mustIndex(t, pol), ref, Options{}, "H1")
		if c == nil {
			t.Fatalf("H1 not eligible: %v", rs)
		}
		sp := partOf(t, c, "school")
		if got := sp.Points >= pol.SchoolMove; got != tc.move || (!tc.move && sp.Points != 0) {
			t.Errorf("school %v miles away, reach %v: %v points (%s); want the school move (%v points): %v", d, tc.reach, sp.Points, sp.Note, pol.SchoolMove, tc.move)
		}
		if want := pol.SchoolMove + (d-tc.reach)*pol.SchoolPerMile; tc.move && math.Abs(sp.Points-want) > 1e-9 {
			t.Errorf("school %v miles away, reach %v: %v points, want %v", d, tc.reach, sp.Points, want)
		}
	}
}

// TestNeedsFitTiers: residential_for_lower_needs for a children's home for a
// child of standard or enhanced needs (not complex, highly complex or not
// assessed); foster_without_specialism for a household with no specialism
// for a child of complex (or highly complex) needs, not enhanced.
func TestNeedsFitTiers(t *testing.T) {
	pol := DefaultPolicy()
	ix := mustIndex(t, pol)
	for _, tc := range []struct {
		tier        care.NeedsTier
		home, house float64 // needs_fit points at H1 (children's home) and F1 (household, no specialism)
	}{
		{care.TierUnknown, 0, 0},
		{care.TierStandard, pol.ResidentialForLowerNeeds, 0},
		{care.TierEnhanced, pol.ResidentialForLowerNeeds, 0},
		{care.TierComplex, 0, pol.FosterWithoutSpecialism},
		{care.TierHighly, 0, pol.FosterWithoutSpecialism},
	} {
		ref := baseReferral()
		ref.Needs.Tier = tc.tier
		ref.Residential = care.SuitabilityPreferred // no not_preferred_type points
		for _, w := range []struct {
			id     string
			points float64
		}{{"H1", tc.home}, {"F1", tc.house}} {
			c, rs := searchFor(t, ix, ref, Options{}, w.id)
			if c == nil {
				t.Fatalf("tier %d: %s not eligible: %v", tc.tier, w.id, rs)
			}
			if got := partOf(t, c, "needs_fit").Points; got != w.points {
				t.Errorf("tier %d at %s: needs_fit %v points, want %v", tc.tier, w.id, got, w.points)
			}
		}
	}
}

// TestCostOnBenchmark: a weekly price equal to the benchmark is "at or
// below the benchmark" with no points; a penny above is above it.
func TestCostOnBenchmark(t *testing.T) {
	for _, tc := range []struct {
		bench care.Pence
		above bool
	}{{550001, false}, {550000, false}, {549999, true}} {
		pol := DefaultPolicy()
		b := pol.Benchmark[care.TypeResidential]
		b[care.TierEnhanced] = tc.bench
		pol.Benchmark = map[string][5]care.Pence{care.TypeResidential: b}
		c, rs := searchFor(t, mustIndex(t, pol), baseReferral(), Options{}, "H1")
		if c == nil {
			t.Fatalf("H1 not eligible: %v", rs)
		}
		cp := partOf(t, c, "cost")
		if got := cp.Note == "above the benchmark for this need"; got != tc.above || (cp.Points > 0) != tc.above {
			t.Errorf("price 550000 against a benchmark of %d: %v points, %q; want above: %v", tc.bench, cp.Points, cp.Note, tc.above)
		}
	}
}

// TestStabilityLimits: new_home "for a home registered within
// new_home_years" (less than that long before the start date), and
// stale_vacancy "when the vacancy was last confirmed more than
// stale_vacancy_days before the search".
func TestStabilityLimits(t *testing.T) {
	pol := DefaultPolicy()
	pol.NewHomeYears = 4 // 4 × 365.25 days: exactly 2022-03-02 to the start date 2026-03-02
	for _, tc := range []struct {
		name       string
		registered int // days after four years before the start date
		new        bool
	}{{"registered a day over four years before", -1, false}, {"registered four years before", 0, false},
		{"registered a day under four years before", 1, true}} {
		ix := limitIndex(t, pol, func(provs []care.Provision, _ []care.Vacancy) {
			provs[0].Registered = day0.AddDate(-4, 0, tc.registered)
		})
		c, rs := searchFor(t, ix, baseReferral(), Options{Now: day0}, "H1")
		if c == nil {
			t.Fatalf("H1 not eligible: %v", rs)
		}
		if got := partOf(t, c, "stability").Points; (got == pol.NewHome) != tc.new {
			t.Errorf("%s: stability %v points; want new_home (%v): %v", tc.name, got, pol.NewHome, tc.new)
		}
	}
	for _, tc := range []struct {
		days  int
		stale bool
	}{{13, false}, {14, false}, {15, true}} {
		ix := limitIndex(t, pol, func(_ []care.Provision, vacs []care.Vacancy) {
			vacs[0].UpdatedAt = day0.AddDate(0, 0, -tc.days)
		})
		c, rs := searchFor(t, ix, baseReferral(), Options{Now: day0}, "H1")
		if c == nil {
			t.Fatalf("H1 not eligible: %v", rs)
		}
		if got := partOf(t, c, "stability").Points; (got == pol.StaleVacancy) != tc.stale {
			t.Errorf("vacancy confirmed %d days before the search (limit %v): stability %v points; want stale_vacancy (%v): %v",
				tc.days, pol.StaleVacancyDays, got, pol.StaleVacancy, tc.stale)
		}
	}
}

// TestPhysicalHarmFourYears: the impact assessment excludes a child at risk
// of physical harm to others from a home with "a resident four or more years
// younger".
func TestPhysicalHarmFourYears(t *testing.T) {
	ref := baseReferral() // 13 on the start date
	ref.Needs.Risks = []care.Risk{care.RiskPhysicalHarm}
	for _, tc := range []struct {
		resident int
		excluded bool
	}{{10, false}, {9, true}, {8, true}} {
		ix := limitIndex(t, DefaultPolicy(), func(provs []care.Provision, _ []care.Vacancy) {
			provs[0].Residents = []care.Resident{{Age: 16, Sex: care.Male}, {Age: tc.resident, Sex: care.Male}}
		})
		c, rs := searchFor(t, ix, ref, Options{}, "H1")
		if tc.excluded != (c == nil) || tc.excluded != hasCode(rs, ReasonImpact) {
			t.Errorf("child of 13, youngest resident %d: eligible %v, reasons %v; want excluded on impact: %v", tc.resident, c != nil, rs, tc.excluded)
		}
		over := ref
		over.Budget = 1
		if _, rs := searchFor(t, ix, over, Options{}, "H1"); hasCode(rs, ReasonImpact) != tc.excluded || !hasCode(rs, ReasonBudget) {
			t.Errorf("child of 13, youngest resident %d, over budget: reasons %v; want the impact among them: %v", tc.resident, rs, tc.excluded)
		}
	}
}

// TestAgeRangeAndCompanionLimits: "outside approval / registered age range:
// age at the start date outside min–max age" (H1 takes 8 to 17), and the
// companions requirement against a resident of the child's own age.
func TestAgeRangeAndCompanionLimits(t *testing.T) {
	ix := mustIndex(t, DefaultPolicy())
	for _, tc := range []struct {
		age      int
		excluded bool
	}{{7, true}, {8, false}, {9, false}, {16, false}, {17, false}, {18, true}} {
		ref := baseReferral()
		ref.DOB = day0.AddDate(-tc.age, 0, -10)
		c, rs := searchFor(t, ix, ref, Options{}, "H1")
		if tc.excluded != (c == nil) || tc.excluded != hasCode(rs, ReasonAge) {
			t.Errorf("child of %d at a home for 8 to 17: eligible %v, reasons %v; want excluded on age: %v", tc.age, c != nil, rs, tc.excluded)
		}
		// Excluded for another reason, the explanation lists every reason
		// that applies, and only those.
		ref.Budget = 1
		if _, rs := searchFor(t, ix, ref, Options{}, "H1"); hasCode(rs, ReasonAge) != tc.excluded || !hasCode(rs, ReasonBudget) {
			t.Errorf("child of %d at a home for 8 to 17, over budget: reasons %v; want the age among them: %v", tc.age, rs, tc.excluded)
		}
	}
	// H1's one resident is 15.
	for _, tc := range []struct {
		age        int
		companions care.Companions
		excluded   bool
	}{
		{14, care.CompanionsOlderOnly, false}, {15, care.CompanionsOlderOnly, true}, {16, care.CompanionsOlderOnly, true},
		{14, care.CompanionsYoungerOnly, true}, {15, care.CompanionsYoungerOnly, true}, {16, care.CompanionsYoungerOnly, false},
	} {
		ref := baseReferral()
		ref.DOB = day0.AddDate(-tc.age, 0, -10)
		ref.Companions = tc.companions
		c, rs := searchFor(t, ix, ref, Options{}, "H1")
		if tc.excluded != (c == nil) || tc.excluded != hasCode(rs, ReasonCompanions) {
			t.Errorf("child of %d, %s, resident of 15: eligible %v, reasons %v; want excluded: %v", tc.age, tc.companions, c != nil, rs, tc.excluded)
		}
		ref.Budget = 1
		if _, rs := searchFor(t, ix, ref, Options{}, "H1"); hasCode(rs, ReasonCompanions) != tc.excluded || !hasCode(rs, ReasonBudget) {
			t.Errorf("child of %d, %s, resident of 15, over budget: reasons %v; want the companions among them: %v", tc.age, tc.companions, rs, tc.excluded)
		}
	}
}

// TestOver20MilesRounding: the market outcome's share "placed over 20 miles"
// counts a distance over 20.0 miles to one decimal place, as the DfE does:
// 20.04 rounds to 20.0 and is not over; 20.05 rounds to 20.1.
func TestOver20MilesRounding(t *testing.T) {
	for _, tc := range []struct {
		miles float64
		over  bool
	}{{19.96, false}, {20, false}, {20.04, false}, {20.05, true}, {21, true}} {
		if got := over20Miles(tc.miles); got != tc.over {
			t.Errorf("over20Miles(%v) = %v, want %v", tc.miles, got, tc.over)
		}
	}
}

// TestExplainNeedsFitWithoutPoints: a needs fit with no points is a fit (the
// preferred type, registered for the needs), not a concern; so is a school
// within reach (no points), as TestSchoolReach scores it on the limit.
func TestExplainNeedsFitWithoutPoints(t *testing.T) {
	sc := Candidate{ProvisionID: "H1", Kind: string(care.KindChildrensHome), Parts: []Part{{Name: "school", Value: 12}}}
	if f := Explain(baseReferral(), sc, nil, nil); len(f.Concerns) != 0 || len(f.Fits) != 1 || !strings.Contains(f.Fits[0], "12.0 miles from the current school: the child can stay there") {
		t.Errorf("school 12 miles away, 0 points: fits %q, concerns %q", f.Fits, f.Concerns)
	}
	sc.Parts[0].Points = 25
	if f := Explain(baseReferral(), sc, nil, nil); len(f.Concerns) != 1 || !strings.Contains(f.Concerns[0], "too far to keep it") {
		t.Errorf("school 12 miles away, 25 points: fits %q, concerns %q", f.Fits, f.Concerns)
	}
	c := Candidate{ProvisionID: "H1", Kind: string(care.KindChildrensHome), Parts: []Part{{Name: "needs_fit", Note: "preferred type, needs met"}}}
	f := Explain(baseReferral(), c, nil, nil)
	if len(f.Concerns) != 0 || len(f.Fits) != 1 || !strings.Contains(f.Fits[0], "is the preferred type") {
		t.Errorf("needs fit, 0 points: fits %q, concerns %q", f.Fits, f.Concerns)
	}
	c.Parts[0].Points, c.Parts[0].Note = 0.5, "suitable but not preferred"
	if f := Explain(baseReferral(), c, nil, nil); len(f.Concerns) != 1 || f.Concerns[0] != "suitable but not preferred" {
		t.Errorf("needs fit, 0.5 points: fits %q, concerns %q", f.Fits, f.Concerns)
	}
}

// TestReadSupplyAgeRange: a home may take one age only (min_age = max_age);
// min_age above max_age is refused.
func TestReadSupplyAgeRange(t *testing.T) {
	supply := func(min, max int) string {
		return fmt.Sprintf(`{"provisions": [{"id": "H1", "kind": "childrens_home", "postcode": "M20", "places": 2, "min_age": %d, "max_age": %d, "weekly_price": 5000}], "vacancies": []}`, min, max)
	}
	for _, tc := range []struct {
		min, max int
		ok       bool
	}{{15, 16, true}, {16, 16, true}, {17, 16, false}} {
		provs, _, err := ReadSupply(strings.NewReader(supply(tc.min, tc.max)))
		if (err == nil) != tc.ok {
			t.Errorf("ages %d–%d: err %v, want accepted: %v", tc.min, tc.max, err, tc.ok)
		}
		if tc.ok && err == nil && (provs[0].MinAge != tc.min || provs[0].MaxAge != tc.max) {
			t.Errorf("ages %d–%d read as %d–%d", tc.min, tc.max, provs[0].MinAge, provs[0].MaxAge)
		}
	}
}

// TestWriteJSONTop: WriteJSON lists at most top candidates; top 0 lists none,
// a negative top all of them.
func TestWriteJSONTop(t *testing.T) {
	res, err := mustIndex(t, DefaultPolicy()).Search(baseReferral(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Candidates) < 2 {
		t.Fatalf("%d candidates; the test needs two or more", len(res.Candidates))
	}
	for _, tc := range []struct{ top, want int }{{0, 0}, {1, 1}, {len(res.Candidates), len(res.Candidates)}, {-1, len(res.Candidates)}} {
		var b bytes.Buffer
		if err := WriteJSON(&b, res, tc.top, 0); err != nil {
			t.Fatal(err)
		}
		var got struct {
			Candidates []json.RawMessage `json:"candidates"`
		}
		if err := json.Unmarshal(b.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Candidates) != tc.want {
			t.Errorf("top %d: %d candidates written, want %d", tc.top, len(got.Candidates), tc.want)
		}
	}
}

// TestExplainCostOnBenchmark: a weekly price equal to the benchmark (0%
// above) is not a concern; 1% above is.
func TestExplainCostOnBenchmark(t *testing.T) {
	for _, tc := range []struct {
		pct     float64
		concern bool
	}{{0, false}, {1, true}} {
		c := Candidate{ProvisionID: "H1", Kind: string(care.KindChildrensHome), WeeklyPrice: 550000,
			Parts: []Part{{Name: "cost", Value: tc.pct, Note: "at or below the benchmark for this need"}}}
		f := Explain(baseReferral(), c, nil, nil)
		if got := len(f.Concerns) == 1 && strings.Contains(f.Concerns[0], "above the benchmark"); got != tc.concern {
			t.Errorf("%v%% against the benchmark: fits %q, concerns %q; want a concern: %v", tc.pct, f.Fits, f.Concerns, tc.concern)
		}
	}
}
