package review

import (
	"strings"
	"testing"
	"time"

	"sufficiency/care"
)

// Boundary tests of the review rules, each limit on, below and above,
// written from the rules' own definitions (Kinds, rules.json) and the
// sources they cite: the DfE's "over 20 miles" (more than 20), statutory
// reviews (first within 28 days of coming into care, the second within three
// months of it, then at most every six months: the Care Planning, Placement
// and Case Review (England) Regulations 2010, reg. 33), the DfE count of
// placements and of missing episodes in the 12 months to the date, and the
// nearest-rank percentile.

// TestFarFromHomeLimit: over 20 miles is more than 20.0 miles.
func TestFarFromHomeLimit(t *testing.T) {
	in := input(
		kid{id: "19.9", place: "U4", start: d(2024, 1, 1), home: "H", pl: "P19"},
		kid{id: "20.0", place: "U4", start: d(2024, 1, 1), home: "H", pl: "P20"},
		kid{id: "20.1", place: "U4", start: d(2024, 1, 1), home: "H", pl: "P21"},
		kid{id: "adoption", place: "A4", start: d(2024, 1, 1), home: "H", pl: "P21"},
	)
	in.Locate = grid{"H": {0, 0}, "P19": {0, 19.9}, "P20": {0, 20}, "P21": {0, 20.1}}
	w := Build(in, []Rule{ruleByID(t, "far-from-home")}, at)
	wantFlagged(t, w, "far-from-home", "20.1")
	if w.Reviewed != 4 || !w.Items[0].MilesKnown || w.Items[0].Miles != 20.1 {
		t.Fatalf("reviewed %d, item %+v", w.Reviewed, w.Items[0])
	}
}

// TestUnstableLimit: three or more placements in the 12 months to the date
// (DfE counting: the placement current on 1 April counts as the first).
func TestUnstableLimit(t *testing.T) {
	in := input()
	add := func(id string, starts ...time.Time) {
		in.Children = append(in.Children, care.Child{Council: "A", ID: id, DOB: d(2010, 1, 1)})
		for k, s := range starts {
			end, rne := time.Time{}, "P"
			if k+1 < len(starts) {
				end = starts[k+1]
			}
			if k == 0 {
				rne = "S"
			}
			in.Episodes = append(in.Episodes, care.Episode{Council: "A", ChildID: id, Start: s, End: end, ReasonNew: rne, LegalStatus: "C2",
				Placement: "U4", PlacementPostcode: "P" + id + string(rune('a'+k))}) // different carers
		}
	}
	add("two", d(2024, 1, 1), d(2024, 9, 1))                   // 2 in the year
	add("three", d(2024, 1, 1), d(2024, 9, 1), d(2025, 3, 31)) // 3: the last starts on the date
	add("three-edge", d(2024, 1, 1), d(2024, 3, 31), d(2024, 9, 1))
	// ^ the second placement started on 31 March 2024, the day before the year: 2 in the year
	add("four", d(2024, 4, 1), d(2024, 6, 1), d(2024, 9, 1), d(2025, 1, 1))
	wantFlagged(t, Build(in, []Rule{ruleByID(t, "unstable")}, at), "unstable", "three", "four")
	if got := Build(in, []Rule{ruleByID(t, "unstable")}, at).Items; len(got) == 2 && !strings.Contains(got[0].Flags[0].Detail+got[1].Flags[0].Detail, "4 placements in 12 months") {
		t.Errorf("details %q %q", got[0].Flags[0].Detail, got[1].Flags[0].Detail)
	}
}

// TestReviewOverdueLimits: the first review is due 28 days after the child
// came into care, the second 91 days after the first, later ones 183 days
// after the last; a review is overdue the day after it is due, not on it.
func TestReviewOverdueLimits(t *testing.T) {
	in := input(
		kid{id: "first-due-today", place: "U4", start: d(2025, 3, 3)},     // due 31 March 2025
		kid{id: "first-due-yesterday", place: "U4", start: d(2025, 3, 2)}, // due 30 March
		kid{id: "second-due-today", place: "U4", start: d(2024, 12, 1)},
		kid{id: "second-overdue", place: "U4", start: d(2024, 12, 1)},
		kid{id: "later-due-today", place: "U4", start: d(2023, 1, 1)},
		kid{id: "later-overdue", place: "U4", start: d(2023, 1, 1)},
		kid{id: "old-review-ignored", place: "U4", start: d(2025, 3, 2)},
		kid{id: "review-on-start-day", place: "U4", start: d(2024, 12, 30)},
	)
	r := func(id string, day time.Time) StatutoryReview { return StatutoryReview{"A", id, day} }
	in.Reviews = []StatutoryReview{
		r("second-due-today", d(2024, 12, 30)),                                     // + 91 days = 31 March 2025
		r("second-overdue", d(2024, 12, 29)),                                       // due 30 March
		r("later-due-today", d(2023, 1, 20)), r("later-due-today", d(2024, 9, 29)), // + 183 = 31 March 2025
		r("later-overdue", d(2023, 1, 20)), r("later-overdue", d(2024, 9, 28)),
		r("old-review-ignored", d(2025, 3, 1)),    // before this period of care began
		r("review-on-start-day", d(2024, 12, 30)), // counts: the second is due 31 March
	}
	wantFlagged(t, Build(in, []Rule{ruleByID(t, "review-overdue")}, at), "review-overdue",
		"first-due-yesterday", "second-overdue", "later-overdue", "old-review-ignored")
}

// TestNextReviewDue pins the schedule itself.
func TestNextReviewDue(t *testing.T) {
	p := ruleByID(t, "review-overdue").Params
	start := d(2024, 2, 1)
	for _, tc := range []struct {
		reviews []time.Time
		want    time.Time
	}{
		{nil, d(2024, 2, 29)}, // 28 days, across 29 February
		{[]time.Time{d(2024, 2, 20)}, d(2024, 5, 21)},
		{[]time.Time{d(2024, 2, 20), d(2024, 5, 1)}, d(2024, 10, 31)},
		{[]time.Time{d(2024, 1, 31), d(2024, 2, 20)}, d(2024, 5, 21)}, // the review before the start is ignored
		{[]time.Time{d(2024, 2, 1)}, d(2024, 5, 2)},                   // a review on the start day counts
	} {
		if got := NextReviewDue(start, tc.reviews, p); !got.Equal(tc.want) {
			t.Errorf("reviews %v: due %s, want %s", tc.reviews, got.Format(time.DateOnly), tc.want.Format(time.DateOnly))
		}
	}
}

// TestMissingLimits: three or more missing episodes starting in the 12 months
// to the date (1 April 2024 to 31 March 2025 inclusive).
func TestMissingLimits(t *testing.T) {
	in := input(
		kid{id: "two", place: "K2", start: d(2024, 1, 1), urn: "1"},
		kid{id: "three", place: "K2", start: d(2024, 1, 1), urn: "1"},
		kid{id: "edges-in", place: "K2", start: d(2024, 1, 1), urn: "1"},
		kid{id: "edges-out", place: "K2", start: d(2024, 1, 1), urn: "1"},
	)
	m := func(id string, day time.Time) MissingEpisode {
		return MissingEpisode{Council: "A", ChildID: id, Start: day}
	}
	in.Missing = []MissingEpisode{
		m("two", d(2024, 6, 1)), m("two", d(2024, 9, 1)),
		m("three", d(2024, 6, 1)), m("three", d(2024, 9, 1)), m("three", d(2025, 1, 1)),
		m("edges-in", d(2024, 4, 1)), m("edges-in", d(2024, 9, 1)), m("edges-in", d(2025, 3, 31)),
		m("edges-out", d(2024, 3, 31)), m("edges-out", d(2024, 9, 1)), m("edges-out", d(2025, 1, 1)), m("edges-out", d(2025, 4, 1)),
	}
	wantFlagged(t, Build(in, []Rule{ruleByID(t, "missing-from-placement")}, at), "missing-from-placement", "three", "edges-in")
}

// TestHighCostLimits: above the 90th percentile (nearest rank) of at least
// 10 costed placements of the same type and needs tier; on it is not above.
func TestHighCostLimits(t *testing.T) {
	var kids []kid
	for i := 1; i <= 10; i++ {
		kids = append(kids, kid{id: string(rune('a' + i - 1)), tier: care.TierStandard, place: "U4", start: d(2024, 1, 1), pounds: 1000})
	}
	kids[9].pounds = 1000.01 // p90 is the 9th, £1,000: only the 10th is above it
	w := Build(input(kids...), []Rule{ruleByID(t, "high-cost-for-needs")}, at)
	wantFlagged(t, w, "high-cost-for-needs", "j")
	// Nine peers are too few: the rule is not evaluated.
	w = Build(input(kids[:9]...), []Rule{ruleByID(t, "high-cost-for-needs")}, at)
	if w.Rules[0].Evaluated || len(w.Items) != 0 || !strings.Contains(w.Rules[0].Why, "fewer than 10") {
		t.Fatalf("9 peers: %+v", w.Rules[0])
	}
}

// TestPercentileNearestRank: the smallest value with at least p% of values
// at or below it.
func TestPercentileNearestRank(t *testing.T) {
	v := []care.Pence{10, 20, 30, 40, 50}
	for _, tc := range []struct {
		p    float64
		want care.Pence
	}{{50, 30}, {40, 20}, {40.1, 30}, {60, 30}, {60.1, 40}, {90, 50}, {100, 50}, {1, 10}, {20, 10}, {20.1, 20}} {
		if got := Percentile(v, tc.p); got != tc.want {
			t.Errorf("p%g = %d, want %d", tc.p, got, tc.want)
		}
	}
	if got := Percentile([]care.Pence{10, 20, 30, 40}, 50); got != 20 {
		t.Errorf("median of four = %d, want 20", got)
	}
	if Percentile(nil, 50) != 0 {
		t.Error("empty")
	}
}

// TestStepDownMinWeeks: a children's home placement of 13 weeks (91 days)
// or more is reviewed for a step-down; 90 days is too new.
func TestStepDownMinWeeks(t *testing.T) {
	in := input(
		kid{id: "91-days", tier: care.TierStandard, place: "K2", start: at.AddDate(0, 0, -91), urn: "1", pounds: 5000},
		kid{id: "90-days", tier: care.TierStandard, place: "K2", start: at.AddDate(0, 0, -90), urn: "1", pounds: 5000},
		kid{id: "92-days", tier: care.TierStandard, place: "K2", start: at.AddDate(0, 0, -92), urn: "1", pounds: 5000},
	)
	w := Build(in, []Rule{ruleByID(t, "step-down")}, at)
	wantFlagged(t, w, "step-down", "91-days", "92-days")
	if !strings.Contains(w.Rules[0].Why, "not flagged: 1 placed for less than the minimum weeks") {
		t.Errorf("why %q", w.Rules[0].Why)
	}
	for _, it := range w.Items {
		// Mainstream fostering's floor is £800 a week: £5,000 − £800.
		if it.Saving != care.FromPounds(4200) || it.StepDownTo != "Mainstream fostering" {
			t.Errorf("%s: saving %d to %q", it.ChildID, it.Saving, it.StepDownTo)
		}
	}
	if w.StepDown.Considered != 3 || w.StepDown.Candidates != 2 || w.StepDown.WeeklySaving != 2*care.FromPounds(4200) || w.StepDown.AnnualSaving() != 2*52*care.FromPounds(4200) {
		t.Errorf("step-down %+v", w.StepDown)
	}
}

// TestAlternativeFitsAges: an alternative suits ages min_age to max_age
// inclusive; an unknown tier counts as enhanced (tier 2).
func TestAlternativeFitsAges(t *testing.T) {
	a := Alternative{MinAge: 0, MaxAge: 15, Tiers: []care.NeedsTier{care.TierStandard, care.TierEnhanced}, ExcludeRisks: []care.Risk{care.RiskFireSetting}}
	for _, tc := range []struct {
		age  int
		tier care.NeedsTier
		want bool
	}{{15, care.TierStandard, true}, {16, care.TierStandard, false}, {0, care.TierStandard, true}, {-1, care.TierStandard, false},
		{10, care.TierUnknown, true}, {10, care.TierComplex, false}} {
		if got := a.fits(tc.age, tc.tier, care.NeedsProfile{}); got != tc.want {
			t.Errorf("age %d tier %d: fits %v", tc.age, tc.tier, got)
		}
	}
	b := Alternative{MinAge: 0, MaxAge: 15, Tiers: []care.NeedsTier{care.TierStandard}}
	if b.fits(10, care.TierUnknown, care.NeedsProfile{}) {
		t.Error("unknown tier counts as enhanced, not standard")
	}
	if a.fits(10, care.TierStandard, care.NeedsProfile{Risks: []care.Risk{care.RiskFireSetting}}) {
		t.Error("an excluded risk rules the alternative out")
	}
}

// TestRuleWeightLimit: a weight of 0 is allowed, a negative one is not.
func TestRuleWeightLimit(t *testing.T) {
	for _, tc := range []struct {
		weight string
		ok     bool
	}{{"0", true}, {"0.5", true}, {"-0.5", false}} {
		_, err := ParseRules(strings.NewReader(`{"rules": [{"id": "x", "kind": "placements_in_year", "description": "d", "weight": ` + tc.weight + `, "params": {"min_placements": 3}}]}`))
		if (err == nil) != tc.ok {
			t.Errorf("weight %s: %v", tc.weight, err)
		}
	}
}

// TestAlternativeValidationLimits: an alternative's ages are a range within
// 0 to 25 (care leavers are supported to 25), its tiers 1 to 4, its floor
// not negative; each limit on, below and above.
func TestAlternativeValidationLimits(t *testing.T) {
	rule := func(alt string) string {
		return `{"rules": [{"id": "s", "kind": "residential_without_complex_needs", "description": "d", "weight": 1,
			"params": {"groups": ["childrens_home"], "alternatives": [` + alt + `]}}]}`
	}
	for _, tc := range []struct {
		alt string
		ok  bool
	}{
		{`{"label": "A", "min_age": 0, "max_age": 25, "tiers": [1, 4], "price_groups": ["foster_other"], "min_weekly_pounds": 0}`, true},
		{`{"label": "A", "min_age": -1, "max_age": 15, "tiers": [1], "price_groups": ["foster_other"]}`, false},
		{`{"label": "A", "min_age": 0, "max_age": 26, "tiers": [1], "price_groups": ["foster_other"]}`, false},
		{`{"label": "A", "min_age": 10, "max_age": 10, "tiers": [1], "price_groups": ["foster_other"]}`, true},
		{`{"label": "A", "min_age": 11, "max_age": 10, "tiers": [1], "price_groups": ["foster_other"]}`, false},
		{`{"label": " ", "min_age": 0, "max_age": 15, "tiers": [1], "price_groups": ["foster_other"]}`, false},
		{`{"label": "A", "min_age": 0, "max_age": 15, "tiers": [], "price_groups": ["foster_other"]}`, false},
		{`{"label": "A", "min_age": 0, "max_age": 15, "tiers": [0], "price_groups": ["foster_other"]}`, false},
		{`{"label": "A", "min_age": 0, "max_age": 15, "tiers": [5], "price_groups": ["foster_other"]}`, false},
		{`{"label": "A", "min_age": 0, "max_age": 15, "tiers": [1], "price_groups": []}`, false},
		{`{"label": "A", "min_age": 0, "max_age": 15, "tiers": [1], "price_groups": ["foster_other"], "min_weekly_pounds": -0.01}`, false},
	} {
		_, err := ParseRules(strings.NewReader(rule(tc.alt)))
		if (err == nil) != tc.ok {
			t.Errorf("%s: err %v", tc.alt, err)
		}
		if err != nil && care.ErrorCode(err) != care.EINVALID {
			t.Errorf("%s: code %s", tc.alt, care.ErrorCode(err))
		}
	}
}

// TestStepDownUnknownTierExcluded: with include_unknown_tier off, a child
// whose needs tier is not recorded is not a step-down candidate, and the
// worklist says how many were left out for that reason.
func TestStepDownUnknownTierExcluded(t *testing.T) {
	rule := ruleByID(t, "step-down")
	rule.Params.IncludeUnknownTier = false
	in := input(
		kid{id: "unknown", place: "K2", start: d(2024, 1, 1), urn: "1", pounds: 5000},
		kid{id: "standard", tier: care.TierStandard, place: "K2", start: d(2024, 1, 1), urn: "1", pounds: 5000},
	)
	w := Build(in, []Rule{rule}, at)
	wantFlagged(t, w, "step-down", "standard")
	if !strings.Contains(w.Rules[0].Why, "1 with needs tier not recorded") {
		t.Errorf("why %q", w.Rules[0].Why)
	}
}

// TestReviewOrdersCouncils: episodes of several councils, given out of
// order, are reviewed council by council, child by child.
func TestReviewOrdersCouncils(t *testing.T) {
	in := input(kid{id: "a1", place: "Z1", start: d(2024, 1, 1)})
	in.Scope = []string{"A", "B"}
	in.Children = append(in.Children, care.Child{Council: "B", ID: "a1", DOB: d(2010, 1, 1)})
	in.Episodes = append([]care.Episode{{Council: "B", ChildID: "a1", Start: d(2024, 2, 1), ReasonNew: "S", LegalStatus: "C2", Placement: "Z1"}}, in.Episodes...)
	w := Build(in, []Rule{ruleByID(t, "unregistered-or-other")}, at)
	if w.Reviewed != 2 || len(w.Items) != 2 {
		t.Fatalf("reviewed %d, items %d: the same child id in two councils is two children", w.Reviewed, len(w.Items))
	}
}
