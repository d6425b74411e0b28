package review

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"sufficiency/care"
)

var (
	d  = care.Date
	at = d(2025, 3, 31)
)

// grid places postcodes on a plane measured in miles.
type grid map[string][2]float64

func (g grid) Miles(a, b string) (float64, bool) {
	p, ok1 := g[a]
	q, ok2 := g[b]
	return math.Hypot(p[0]-q[0], p[1]-q[1]), ok1 && ok2
}

// kid is one child with one open episode starting on start.
type kid struct {
	id     string
	tier   care.NeedsTier
	place  string
	prov   string
	start  time.Time
	home   string
	pl     string
	urn    string
	pounds float64
}

func input(kids ...kid) Input {
	in := Input{Scope: []string{"A"}, Locate: grid{"H": {0, 0}, "NEAR": {0, 5}, "FAR": {0, 30}, "FAR2": {0, 40}}}
	for _, k := range kids {
		in.Children = append(in.Children, care.Child{Council: "A", ID: k.id, DOB: d(2010, 1, 1), Needs: care.NeedsProfile{Tier: k.tier}})
		prov := k.prov
		if prov == "" {
			prov = "PR4"
		}
		in.Episodes = append(in.Episodes, care.Episode{Council: "A", ChildID: k.id, Start: k.start, ReasonNew: "S", LegalStatus: "C2",
			Placement: care.PlacementType(k.place), Provider: care.ProviderType(prov), HomePostcode: k.home, PlacementPostcode: k.pl,
			URN: k.urn, WeeklyCost: care.FromPounds(k.pounds)})
	}
	return in
}

func ruleByID(t *testing.T, id string) Rule {
	t.Helper()
	for _, r := range DefaultRules() {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no default rule %q", id)
	return Rule{}
}

// flagged returns the ids of the children the rule flagged.
func flagged(w Worklist, rule string) []string {
	var ids []string
	for _, it := range w.Items {
		if it.FlaggedBy(rule) {
			ids = append(ids, it.ChildID)
		}
	}
	return ids
}

func wantFlagged(t *testing.T, w Worklist, rule string, want ...string) {
	t.Helper()
	got := strings.Join(flagged(w, rule), ",")
	// Items are ordered by priority then cost; compare as sets.
	g := map[string]bool{}
	for _, id := range flagged(w, rule) {
		g[id] = true
	}
	if len(g) != len(want) {
		t.Fatalf("%s flagged %q, want %q", rule, got, strings.Join(want, ","))
	}
	for _, id := range want {
		if !g[id] {
			t.Fatalf("%s flagged %q, want %q", rule, got, strings.Join(want, ","))
		}
	}
}

func TestDefaultRulesParse(t *testing.T) {
	rules := DefaultRules()
	if len(rules) != 9 {
		t.Fatalf("%d default rules, want 9", len(rules))
	}
	kinds := map[string]bool{}
	for _, r := range rules {
		kinds[r.Kind] = true
	}
	if len(kinds) != len(Kinds) {
		t.Fatalf("default rules cover %d of %d kinds", len(kinds), len(Kinds))
	}
}

func TestParseRulesRejects(t *testing.T) {
	tests := []struct{ name, json, want string }{
		{"NotJSON", "rules:", "not valid"},
		{"Empty", `{"rules": []}`, "no rules"},
		{"UnknownKind", `{"rules": [{"id": "x", "kind": "vibes", "weight": 1}]}`, "unknown kind"},
		{"UnknownField", `{"rules": [{"id": "x", "kind": "siblings_apart", "wieght": 1}]}`, "not valid"},
		{"DuplicateID", `{"rules": [{"id": "x", "kind": "siblings_apart"}, {"id": "x", "kind": "siblings_apart"}]}`, "used twice"},
		{"BadPercentile", `{"rules": [{"id": "x", "kind": "cost_above_percentile", "params": {"percentile": 120}}]}`, "between 0 and 100"},
		{"BadGroup", `{"rules": [{"id": "x", "kind": "residential_without_complex_needs", "params": {"groups": ["castle"]}}]}`, "unknown placement group"},
		{"AltNoLabel", `{"rules": [{"id": "x", "kind": "residential_without_complex_needs", "params": {"groups": ["childrens_home"], "alternatives": [{"max_age": 15, "tiers": [1], "price_groups": ["foster_other"]}]}}]}`, "no label"},
		{"AltAges", `{"rules": [{"id": "x", "kind": "residential_without_complex_needs", "params": {"groups": ["childrens_home"], "alternatives": [{"label": "F", "min_age": 16, "max_age": 15, "tiers": [1], "price_groups": ["foster_other"]}]}}]}`, "not a range"},
		{"AltTier", `{"rules": [{"id": "x", "kind": "residential_without_complex_needs", "params": {"groups": ["childrens_home"], "alternatives": [{"label": "F", "max_age": 15, "tiers": [5], "price_groups": ["foster_other"]}]}}]}`, "tier 5 is not 1 to 4"},
		{"AltRisk", `{"rules": [{"id": "x", "kind": "residential_without_complex_needs", "params": {"groups": ["childrens_home"], "alternatives": [{"label": "F", "max_age": 15, "tiers": [1], "exclude_risks": ["grumpy"], "price_groups": ["foster_other"]}]}}]}`, "unknown risk"},
		{"AltPriceGroup", `{"rules": [{"id": "x", "kind": "residential_without_complex_needs", "params": {"groups": ["childrens_home"], "alternatives": [{"label": "F", "max_age": 15, "tiers": [1], "price_groups": ["castle"]}]}}]}`, "unknown placement group"},
		{"AltNoPriceGroup", `{"rules": [{"id": "x", "kind": "residential_without_complex_needs", "params": {"groups": ["childrens_home"], "alternatives": [{"label": "F", "max_age": 15, "tiers": [1]}]}}]}`, "price_groups is empty"},
		{"NegativeWeeks", `{"rules": [{"id": "x", "kind": "residential_without_complex_needs", "params": {"groups": ["childrens_home"], "min_weeks_in_placement": -1}}]}`, "min_weeks_in_placement"},
		{"BadRating", `{"rules": [{"id": "x", "kind": "home_rating", "params": {"ratings": ["Meh"]}}]}`, "unknown rating"},
		{"NoMiles", `{"rules": [{"id": "x", "kind": "far_without_reason"}]}`, "miles"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRules(strings.NewReader(tt.json))
			if care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v, want EINVALID containing %q", err, tt.want)
			}
		})
	}
}

// legacyStepDown is a step-down rule in the form before alternatives: every
// candidate priced at one family placement.
func legacyStepDown() Rule {
	return Rule{ID: "step-down", Kind: KindResidentialNotComplex, Weight: 3, Params: Params{
		Groups: []care.PlacementGroup{care.GroupChildrensHome}, IncludeUnknownTier: true,
		StepDownGroups: []care.PlacementGroup{care.GroupFosterOther}, StepDownWeekly: 1000, MinPeers: 5}}
}

func TestRuleStepDownLegacyParams(t *testing.T) {
	in := input(
		kid{id: "std", tier: care.TierStandard, place: "K2", start: d(2024, 1, 1), pounds: 6000},
		kid{id: "cpx", tier: care.TierComplex, place: "K2", start: d(2024, 1, 1), pounds: 8000},
		kid{id: "unk", place: "K2", start: d(2024, 1, 1), pounds: 5000},
		kid{id: "fos", tier: care.TierStandard, place: "U4", start: d(2024, 1, 1), pounds: 900},
	)
	rule := legacyStepDown()
	w := Build(in, []Rule{rule}, at)
	wantFlagged(t, w, "step-down", "std", "unk")
	// Fewer than min_peers foster placements: the configured £1,000 is used.
	if w.StepDown.Candidates != 2 || w.StepDown.PlacesFreed != 2 || w.StepDown.Considered != 3 {
		t.Fatalf("step-down %+v", w.StepDown)
	}
	if w.StepDown.WeeklySaving != care.FromPounds(5000+4000) || w.StepDown.AnnualSaving() != care.FromPounds(9000*52) {
		t.Fatalf("saving %v", w.StepDown.WeeklySaving)
	}
	if w.StepDown.ByFunder.NotSplit != w.StepDown.WeeklySaving {
		t.Fatalf("by funder %+v", w.StepDown.ByFunder)
	}

	// With enough foster placements, their median is the step-down price.
	rule.Params.MinPeers = 1
	w = Build(in, []Rule{rule}, at)
	if w.StepDown.WeeklySaving != care.FromPounds(5100+4100) {
		t.Fatalf("saving against the £900 median: %v", w.StepDown.WeeklySaving)
	}

	rule.Params.IncludeUnknownTier = false
	wantFlagged(t, Build(in, []Rule{rule}, at), "step-down", "std")
}

// TestRuleStepDownChoosesAlternative checks the default rule's choice of
// alternative by age, needs tier and risks, the 13-week minimum on, below and
// above its limit, and the price of each alternative (its floor here, with no
// peers to price it).
func TestRuleStepDownChoosesAlternative(t *testing.T) {
	weeks := func(n int) time.Time { return at.AddDate(0, 0, -7*n) }
	tests := []struct {
		name  string
		dob   time.Time
		tier  care.NeedsTier
		risks []care.Risk
		start time.Time
		to    string // "" when not flagged
		price float64
	}{
		{"Under16Standard", d(2012, 6, 1), care.TierStandard, nil, d(2024, 1, 1), "Mainstream fostering", 800},
		{"Age15OnLimit", d(2009, 4, 1), care.TierStandard, nil, d(2024, 1, 1), "Mainstream fostering", 800},
		{"Age16AboveLimit", d(2009, 3, 31), care.TierStandard, nil, d(2024, 1, 1), "Supported accommodation", 1000},
		{"Under16Enhanced", d(2012, 6, 1), care.TierEnhanced, nil, d(2024, 1, 1), "Enhanced or specialist fostering", 1500},
		{"Under16UnknownTier", d(2012, 6, 1), care.TierUnknown, nil, d(2024, 1, 1), "Enhanced or specialist fostering", 1500},
		{"Under16RiskToSelf", d(2012, 6, 1), care.TierStandard, []care.Risk{care.RiskMissing}, d(2024, 1, 1), "Enhanced or specialist fostering", 1500},
		{"Under16RiskToOthers", d(2012, 6, 1), care.TierStandard, []care.Risk{care.RiskFireSetting}, d(2024, 1, 1), "", 0},
		{"Age17Enhanced", d(2008, 1, 1), care.TierEnhanced, nil, d(2024, 1, 1), "Supported accommodation with enhanced support", 2000},
		{"Age17RiskToSelf", d(2008, 1, 1), care.TierStandard, []care.Risk{care.RiskSubstances}, d(2024, 1, 1), "Supported accommodation with enhanced support", 2000},
		{"Complex", d(2012, 6, 1), care.TierComplex, nil, d(2024, 1, 1), "", 0},
		{"Age18", d(2007, 1, 1), care.TierStandard, nil, d(2024, 1, 1), "", 0},
		{"Placed12Weeks", d(2012, 6, 1), care.TierStandard, nil, weeks(12), "", 0},
		{"Placed13Weeks", d(2012, 6, 1), care.TierStandard, nil, weeks(13), "Mainstream fostering", 800},
		{"Placed14Weeks", d(2012, 6, 1), care.TierStandard, nil, weeks(14), "Mainstream fostering", 800},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := input(kid{id: "c", tier: tt.tier, place: "K2", start: tt.start, pounds: 5000})
			in.Children[0].DOB = tt.dob
			in.Children[0].Needs.Risks = tt.risks
			w := Build(in, []Rule{ruleByID(t, "step-down")}, at)
			if tt.to == "" {
				wantFlagged(t, w, "step-down")
				if !strings.Contains(w.Rules[0].Why, "not flagged: 1 ") {
					t.Fatalf("why %q does not count the placement left out", w.Rules[0].Why)
				}
				return
			}
			wantFlagged(t, w, "step-down", "c")
			it := w.Items[0]
			if it.StepDownTo != tt.to || it.StepDownFor != care.FromPounds(tt.price) || it.Saving != care.FromPounds(5000-tt.price) {
				t.Fatalf("stepped down to %q at %v saving %v, want %q at £%g", it.StepDownTo, it.StepDownFor, it.Saving, tt.to, tt.price)
			}
			if !strings.Contains(it.Flags[0].Detail, strings.ToLower(tt.to[:1])+tt.to[1:]) {
				t.Fatalf("detail %q does not name the alternative", it.Flags[0].Detail)
			}
		})
	}
}

// TestRuleStepDownPricedByPeers checks the alternative's price: the median of
// current placements of its price groups for children of its ages and tiers
// when there are at least min_peers of them, never below the floor.
func TestRuleStepDownPricedByPeers(t *testing.T) {
	kids := []kid{{id: "home", tier: care.TierStandard, place: "K2", start: d(2024, 1, 1), pounds: 5000}}
	// Five standard-tier foster placements of 15-year-olds at £900..£1,300:
	// median £1,100, above the £800 floor.
	for i := range 5 {
		kids = append(kids, kid{id: fmt.Sprint("f", i), tier: care.TierStandard, place: "U4", start: d(2024, 1, 1), pounds: float64(900 + 100*i)})
	}
	w := Build(input(kids...), []Rule{ruleByID(t, "step-down")}, at)
	if it := w.Items[0]; it.ChildID != "home" || it.StepDownFor != care.FromPounds(1100) || it.Saving != care.FromPounds(3900) {
		t.Fatalf("priced at %v saving %v, want £1,100 and £3,900", it.StepDownFor, it.Saving)
	}
	if !strings.Contains(w.Rules[0].Why, "Mainstream fostering £1,100 a week (median of 5 current placements of these ages and tiers)") {
		t.Fatalf("why %q", w.Rules[0].Why)
	}
	// Four peers are too few: the floor prices it.
	w = Build(input(kids[:5]...), []Rule{ruleByID(t, "step-down")}, at)
	if it := w.Items[0]; it.StepDownFor != care.FromPounds(800) {
		t.Fatalf("priced at %v with four peers, want the £800 floor", it.StepDownFor)
	}
	// Peers cheaper than the floor: the floor prices it.
	for i := 1; i < len(kids); i++ {
		kids[i].pounds = 500
	}
	w = Build(input(kids...), []Rule{ruleByID(t, "step-down")}, at)
	if it := w.Items[0]; it.StepDownFor != care.FromPounds(800) || !strings.Contains(w.Rules[0].Why, "the configured floor, above the median") {
		t.Fatalf("priced at %v (%s), want the £800 floor", it.StepDownFor, w.Rules[0].Why)
	}
}

func TestRuleHighCostLikeWithLike(t *testing.T) {
	// A children's home at £5,000 for a standard-tier child is not "high
	// cost" against ten foster placements at £1,000..£1,900: it is judged
	// only against children's homes, and there are too few of them.
	var kids []kid
	for i := range 10 {
		kids = append(kids, kid{id: fmt.Sprint("f", i), tier: care.TierStandard, place: "U4", start: d(2024, 1, 1), pounds: float64(1000 + 100*i)})
	}
	kids = append(kids, kid{id: "home", tier: care.TierStandard, place: "K2", start: d(2024, 1, 1), pounds: 5000})
	wantFlagged(t, Build(input(kids...), []Rule{ruleByID(t, "high-cost-for-needs")}, at), "high-cost-for-needs", "f9")
}

func TestRuleSiblingsApartExempt(t *testing.T) {
	in := input(
		kid{id: "adopt", place: "A4", start: d(2024, 5, 1), home: "H", pl: "NEAR"},
		kid{id: "foster", place: "U4", start: d(2024, 5, 1), home: "H", pl: "FAR", urn: "2"},
		kid{id: "parents", place: "P1", start: d(2024, 6, 1), home: "H", pl: "NEAR"},
		kid{id: "home", place: "K2", start: d(2024, 6, 1), home: "H", pl: "FAR", urn: "3"},
	)
	wantFlagged(t, Build(in, []Rule{ruleByID(t, "siblings-apart")}, at), "siblings-apart")
	rule := ruleByID(t, "siblings-apart")
	rule.Params.ExemptGroups = nil
	wantFlagged(t, Build(in, []Rule{rule}, at), "siblings-apart", "adopt", "foster", "parents", "home")
}

func TestRuleStepDownSavingByFunder(t *testing.T) {
	in := input(kid{id: "std", tier: care.TierStandard, place: "K2", start: d(2024, 1, 1), pounds: 6000})
	in.Episodes[0].Funding = care.Funding{SocialCare: care.FromPounds(3000), Education: care.FromPounds(1500), Health: care.FromPounds(1500)}
	w := Build(in, []Rule{ruleByID(t, "step-down")}, at)
	// Saving £5,200 (against mainstream fostering's £800 floor) split 50/25/25.
	f := w.StepDown.ByFunder
	if f.SocialCare != care.FromPounds(2600) || f.Education != care.FromPounds(1300) || f.Health != care.FromPounds(1300) || f.NotSplit != 0 {
		t.Fatalf("by funder %+v", f)
	}
	if w.Flagged.SocialCare != care.FromPounds(3000) || w.Flagged.Total() != care.FromPounds(6000) {
		t.Fatalf("flagged %+v", w.Flagged)
	}
}

func TestRuleFarFromHome(t *testing.T) {
	in := input(
		kid{id: "near", place: "U4", start: d(2024, 1, 1), home: "H", pl: "NEAR"},
		kid{id: "far", place: "U4", start: d(2024, 1, 1), home: "H", pl: "FAR"},
		kid{id: "reason", place: "U4", start: d(2024, 2, 1), home: "H", pl: "FAR"},
		kid{id: "secure", place: "K1", start: d(2024, 1, 1), home: "H", pl: "FAR2"},
		kid{id: "nopc", place: "U4", start: d(2024, 1, 1), home: "H"},
	)
	in.DistanceReasons = map[EpisodeKey]string{{"A", "reason", d(2024, 2, 1)}: "specialist provision"}
	w := Build(in, []Rule{ruleByID(t, "far-from-home")}, at)
	wantFlagged(t, w, "far-from-home", "far")
	if w.Items[0].Flags[0].Detail != "30.0 miles from home" {
		t.Fatalf("detail %q", w.Items[0].Flags[0].Detail)
	}
	in.Locate = nil
	w = Build(in, []Rule{ruleByID(t, "far-from-home")}, at)
	if w.Rules[0].Evaluated || len(w.Items) != 0 {
		t.Fatal("distance rule evaluated without a locator")
	}
}

func TestRuleHighCostForNeeds(t *testing.T) {
	var kids []kid
	// Ten standard-tier placements at £1,000..£10,000: p90 (nearest rank) is
	// the 9th, £9,000, so only £10,000 is above it.
	for i := 1; i <= 10; i++ {
		kids = append(kids, kid{id: string(rune('a' + i - 1)), tier: care.TierStandard, place: "U4", start: d(2024, 1, 1), pounds: float64(i * 1000)})
	}
	// A complex-tier child at £20,000 has too few peers to judge.
	kids = append(kids, kid{id: "z", tier: care.TierComplex, place: "K2", start: d(2024, 1, 1), pounds: 20000})
	w := Build(input(kids...), []Rule{ruleByID(t, "high-cost-for-needs")}, at)
	wantFlagged(t, w, "high-cost-for-needs", "j")
	if !strings.Contains(w.Rules[0].Why, "Fostering with other carers: standard (tier 1) £9,000") {
		t.Fatalf("why %q", w.Rules[0].Why)
	}
}

func TestRuleHomeRating(t *testing.T) {
	in := input(
		kid{id: "ri", place: "K2", start: d(2024, 1, 1), urn: "1"},
		kid{id: "inad", place: "K2", start: d(2024, 1, 1), urn: "2"},
		kid{id: "good", place: "K2", start: d(2024, 1, 1), urn: "3"},
		kid{id: "fos", place: "U4", start: d(2024, 1, 1)},
	)
	in.Provisions = []care.Provision{{ID: "1", Rating: care.RatingRI}, {ID: "2", Rating: care.RatingInadequate}, {ID: "3", Rating: care.RatingGood}}
	wantFlagged(t, Build(in, []Rule{ruleByID(t, "home-rating")}, at), "home-rating", "ri", "inad")
	in.Provisions = nil
	if w := Build(in, []Rule{ruleByID(t, "home-rating")}, at); w.Rules[0].Evaluated {
		t.Fatal("rating rule evaluated without a register")
	}
}

func TestRuleUnregisteredOrOther(t *testing.T) {
	in := input(
		kid{id: "z1", place: "Z1", start: d(2024, 1, 1)},
		kid{id: "z12", place: "Z12", start: d(2024, 1, 1)},
		kid{id: "k2nourn", place: "K2", start: d(2024, 1, 1)},
		kid{id: "k2unknown", place: "K2", start: d(2024, 1, 1), urn: "999"},
		kid{id: "k2ok", place: "K2", start: d(2024, 1, 1), urn: "1"},
		kid{id: "fos", place: "U4", start: d(2024, 1, 1)},
	)
	in.Provisions = []care.Provision{{ID: "1"}}
	wantFlagged(t, Build(in, []Rule{ruleByID(t, "unregistered-or-other")}, at), "unregistered-or-other", "z1", "z12", "k2nourn", "k2unknown")
}

func TestRuleUnstable(t *testing.T) {
	in := input(kid{id: "settled", place: "U4", start: d(2020, 1, 1), urn: "1"})
	ep := func(start, end time.Time, rne, place, urn string) care.Episode {
		return care.Episode{Council: "A", ChildID: "moved", Start: start, End: end, ReasonNew: rne, LegalStatus: "C2", Placement: care.PlacementType(place), URN: urn}
	}
	in.Children = append(in.Children, care.Child{Council: "A", ID: "moved", DOB: d(2010, 1, 1)})
	in.Episodes = append(in.Episodes,
		ep(d(2024, 1, 1), d(2024, 6, 1), "S", "U4", "2"),
		ep(d(2024, 6, 1), d(2024, 9, 1), "P", "U6", "3"),
		ep(d(2024, 9, 1), time.Time{}, "P", "K2", "4"))
	wantFlagged(t, Build(in, []Rule{ruleByID(t, "unstable")}, at), "unstable", "moved")
}

func TestRuleSiblingsApart(t *testing.T) {
	in := input(
		kid{id: "s1", place: "U4", start: d(2024, 5, 1), home: "H", pl: "NEAR", urn: "1"},
		kid{id: "s2", place: "U4", start: d(2024, 5, 1), home: "H", pl: "FAR", urn: "2"},
		kid{id: "t1", place: "U4", start: d(2024, 6, 1), home: "H", pl: "NEAR", urn: "3"},
		kid{id: "t2", place: "U4", start: d(2024, 6, 1), home: "H", pl: "NEAR", urn: "3"},
		kid{id: "lone", place: "U4", start: d(2024, 7, 1), home: "H", pl: "NEAR"},
	)
	wantFlagged(t, Build(in, []Rule{ruleByID(t, "siblings-apart")}, at), "siblings-apart", "s1", "s2")
}

func TestRuleReviewOverdue(t *testing.T) {
	in := input(
		kid{id: "new", place: "U4", start: d(2025, 3, 10)},   // first review due 7 April: not yet
		kid{id: "late", place: "U4", start: d(2025, 2, 1)},   // first review due 1 March, none held
		kid{id: "ok", place: "U4", start: d(2024, 1, 1)},     // reviews kept up
		kid{id: "lapsed", place: "U4", start: d(2023, 1, 1)}, // last review over 6 months ago
	)
	in.Reviews = []StatutoryReview{
		{"A", "ok", d(2024, 1, 20)}, {"A", "ok", d(2024, 4, 15)}, {"A", "ok", d(2024, 10, 10)},
		{"A", "lapsed", d(2023, 1, 25)}, {"A", "lapsed", d(2023, 4, 20)}, {"A", "lapsed", d(2024, 9, 1)},
	}
	w := Build(in, []Rule{ruleByID(t, "review-overdue")}, at)
	wantFlagged(t, w, "review-overdue", "late", "lapsed")
	in.Reviews = nil
	if w := Build(in, []Rule{ruleByID(t, "review-overdue")}, at); w.Rules[0].Evaluated || len(w.Items) != 0 {
		t.Fatal("review rule evaluated without review records")
	}
}

func TestRuleMissingFromPlacement(t *testing.T) {
	in := input(
		kid{id: "often", place: "K2", start: d(2024, 1, 1), urn: "1"},
		kid{id: "absent", place: "K2", start: d(2024, 1, 1), urn: "1"},
		kid{id: "longago", place: "K2", start: d(2022, 1, 1), urn: "1"},
	)
	m := func(id string, day time.Time, absent bool) MissingEpisode {
		return MissingEpisode{Council: "A", ChildID: id, Start: day, Absent: absent}
	}
	in.Missing = []MissingEpisode{
		m("often", d(2024, 6, 1), false), m("often", d(2024, 9, 1), false), m("often", d(2025, 2, 1), false),
		m("absent", d(2024, 6, 1), true), m("absent", d(2024, 9, 1), true), m("absent", d(2025, 2, 1), false),
		m("longago", d(2023, 6, 1), false), m("longago", d(2023, 9, 1), false), m("longago", d(2025, 2, 1), false),
	}
	rule := ruleByID(t, "missing-from-placement")
	wantFlagged(t, Build(in, []Rule{rule}, at), "missing-from-placement", "often")
	rule.Params.IncludeAbsent = true
	wantFlagged(t, Build(in, []Rule{rule}, at), "missing-from-placement", "often", "absent")
	in.Missing = nil
	if w := Build(in, []Rule{rule}, at); w.Rules[0].Evaluated {
		t.Fatal("missing rule evaluated without missing records")
	}
}

func TestWorklistPriorityOrder(t *testing.T) {
	in := input(
		kid{id: "one", tier: care.TierComplex, place: "K2", start: d(2024, 1, 1), home: "H", pl: "FAR", urn: "1", pounds: 4000},
		kid{id: "two", tier: care.TierStandard, place: "K2", start: d(2024, 2, 1), home: "H", pl: "FAR", urn: "2", pounds: 5000},
		kid{id: "none", tier: care.TierStandard, place: "U4", start: d(2024, 3, 1), home: "H", pl: "NEAR", pounds: 800},
	)
	w := Build(in, DefaultRules(), at)
	if w.Reviewed != 3 || len(w.Items) != 2 {
		t.Fatalf("reviewed %d, items %d", w.Reviewed, len(w.Items))
	}
	// "two" is a step-down candidate (3) and far (2): 5; "one" is far only: 2.
	if w.Items[0].ChildID != "two" || w.Items[0].Priority != 5 || w.Items[1].ChildID != "one" || w.Items[1].Priority != 2 {
		t.Fatalf("order %+v", w.Items)
	}
	tables := w.Tables()
	if len(tables) != 4 || len(tables[0].Rows) != 2 || tables[0].Rows[0][2] != "two" {
		t.Fatalf("tables %+v", tables[0].Rows)
	}
	// The provider in plain words beside its DfE code, as the placement is.
	if got := tables[0].Rows[0][6]; got != "PR4 Private provision" {
		t.Errorf("provider cell %q; want PR4 Private provision", got)
	}
	if want := "Review worklist at 31 March 2025: 2 of 3 current placements flagged"; tables[0].Title != want {
		t.Errorf("title %q; want %q", tables[0].Title, want)
	}
	w.Reviewed = 5994
	if want := "2 of 5,994 current placements flagged"; !strings.HasSuffix(w.Tables()[0].Title, want) {
		t.Errorf("title %q; want it to end %q", w.Tables()[0].Title, want)
	}
}

func TestPercentile(t *testing.T) {
	vs := []care.Pence{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for p, want := range map[float64]care.Pence{90: 9, 50: 5, 99: 10, 1: 1} {
		if got := Percentile(vs, p); got != want {
			t.Errorf("p%g = %d, want %d", p, got, want)
		}
	}
	if Percentile(nil, 90) != 0 {
		t.Error("percentile of nothing")
	}
}

// A rules file that is not valid JSON is explained in words, not with the
// decoder's own messages ("unexpected EOF", "invalid character").
func TestParseRulesExplainsBadJSON(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{``, "the file is empty"},
		{`{"rules": [{"id":`, "ends too early"},
		{`nonsense`, "is not JSON"},
		{`{"rules": [{"id": "a", "kind": "step-down", "weight": "x"}]}`, "rules.weight should be a JSON number, not string"},
		{`{"rulez": []}`, `"rulez" is not a rule field`},
	} {
		_, err := ParseRules(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want it to say %q", tc.in, err, tc.want)
		}
		if err != nil && (strings.Contains(err.Error(), "unexpected EOF") || strings.Contains(err.Error(), "invalid character")) {
			t.Errorf("%q: Go decoder text in %q", tc.in, err)
		}
	}
}
