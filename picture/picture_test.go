package picture

import (
	"math"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/tabular"
)

// gridLocator places postcodes on a plane measured in miles.
type gridLocator map[string]struct {
	x, y    float64
	council string
}

func (g gridLocator) Miles(a, b string) (float64, bool) {
	p, ok1 := g[a]
	q, ok2 := g[b]
	if !ok1 || !ok2 {
		return 0, false
	}
	return math.Hypot(p.x-q.x, p.y-q.y), true
}

func (g gridLocator) CouncilOf(pc string) (string, bool) {
	p, ok := g[pc]
	return p.council, ok && p.council != ""
}

var d = care.Date

// fixture is a small council A (region R1) with children whose figures are
// worked out by hand in the tests below, one child of council B placed in A,
// and council C in another region.
func fixture() Input {
	loc := gridLocator{
		"H1": {0, 0, "A"}, "H2": {0, 1, "A"}, "H3": {0, 2, "A"}, "H5": {1, 0, "A"},
		"PA": {3, 4, "A"}, "PA2": {1, 3, "A"},
		"PB": {0, 27, "B"}, "PB2": {0, 32, "B"}, "HB": {0, 40, "B"},
		"PC": {0, 101, "C"},
	}
	ep := func(council, child string, start, end time.Time, rne, ls, place, prov, home, pl, urn string, cost care.Pence) care.Episode {
		rec := ""
		if !end.IsZero() {
			rec = "X1"
		}
		return care.Episode{Council: council, ChildID: child, Start: start, End: end, ReasonNew: rne, LegalStatus: ls,
			Placement: care.PlacementType(place), Provider: care.ProviderType(prov), ReasonEnded: rec,
			HomePostcode: home, PlacementPostcode: pl, URN: urn, WeeklyCost: cost}
	}
	c2 := ep("A", "c2", d(2024, 6, 1), time.Time{}, "S", "V2", "K2", "PR4", "H2", "PC", "U1", 1_200_000)
	c2.Funding = care.Funding{SocialCare: 800_000, Education: 200_000, Health: 200_000}
	c6 := ep("A", "c6", d(2022, 1, 1), d(2024, 12, 1), "S", "V2", "U4", "PR1", "H1", "PA", "", 70_000)
	c6.ReasonEnded = "E11"
	return Input{
		Name:  "A",
		Scope: []string{"A"},
		Councils: []Council{
			{Code: "A", Name: "Council A", Region: "R1", Pop0to17: 10000},
			{Code: "B", Name: "Council B", Region: "R1", Pop0to17: 5000},
			{Code: "C", Name: "Council C", Region: "R2", Pop0to17: 8000},
		},
		Children: []care.Child{
			{Council: "A", ID: "c1", Sex: care.Male, DOB: d(2010, 5, 1)},
			{Council: "A", ID: "c2", Sex: care.Female, DOB: d(2008, 1, 1), UASC: true},
			{Council: "A", ID: "c3", Sex: care.Male, DOB: d(2012, 3, 1)},
			{Council: "A", ID: "c4", Sex: care.Female, DOB: d(2015, 1, 1)},
			{Council: "A", ID: "c5", Sex: care.Female, DOB: d(2016, 1, 1)},
			{Council: "A", ID: "c6", Sex: care.Male, DOB: d(2009, 1, 1)},
			{Council: "A", ID: "c7", Sex: care.Male, DOB: d(2011, 1, 1)},
			{Council: "B", ID: "b1", Sex: care.Male, DOB: d(2010, 1, 1)},
		},
		Episodes: []care.Episode{
			ep("A", "c1", d(2020, 1, 1), time.Time{}, "S", "C2", "U4", "PR1", "H1", "PA", "", 80_000),
			c2,
			ep("A", "c3", d(2023, 1, 1), d(2024, 6, 1), "S", "C1", "U6", "PR4", "H3", "PB", "", 0),
			ep("A", "c3", d(2024, 6, 1), d(2024, 9, 1), "P", "C2", "U6", "PR1", "H3", "PA", "", 0),
			ep("A", "c3", d(2024, 9, 1), d(2024, 9, 10), "P", "C2", "T1", "", "H3", "", "", 0),
			ep("A", "c3", d(2024, 9, 10), time.Time{}, "P", "C2", "K2", "PR4", "H3", "PB2", "U2", 500_000),
			ep("A", "c4", d(2024, 10, 1), time.Time{}, "S", "C1", "U4", "PR1", "H5", "PA", "", 0),
			ep("A", "c5", d(2024, 10, 1), time.Time{}, "S", "C1", "U4", "PR1", "H5", "PA2", "", 0),
			c6,
			ep("A", "c7", d(2024, 5, 1), time.Time{}, "S", "V3", "U4", "PR1", "H1", "PA", "", 0),
			ep("B", "b1", d(2023, 1, 1), time.Time{}, "S", "C2", "K2", "PR4", "HB", "PA", "U3", 400_000),
		},
		Provisions: []care.Provision{
			{ID: "U1", Kind: care.KindChildrensHome, Council: "C", Places: 4},
			{ID: "U2", Kind: care.KindChildrensHome, Council: "B", Places: 3},
			{ID: "U3", Kind: care.KindChildrensHome, Council: "A", Places: 5},
			{ID: "U4", Kind: care.KindSupported, Council: "A"},
		},
		Locate:      loc,
		Comparators: []Comparator{{Name: "England", Kind: "England", Period: "31 March 2024", Values: map[string]float64{MeasureRate: 70}}},
	}
}

var at = d(2025, 3, 31)

func counts(cs []Count) map[string]int {
	m := map[string]int{}
	for _, c := range cs {
		m[c.Key] = c.N
	}
	return m
}

func eq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func TestComputeCouncil(t *testing.T) {
	p := Compute(fixture(), at)

	t.Run("WhoIsInCare", func(t *testing.T) {
		// c1–c5; c6 left in December, c7 is on short breaks (V3).
		eq(t, "in care", p.InCare, 5)
		eq(t, "rate", p.RatePer10k, 5.0)
		eq(t, "started", p.Started, 3) // c2, c4, c5
		eq(t, "ceased", p.Ceased, 1)   // c6
		age := counts(p.ByAge)
		eq(t, "5-9", age["5-9"], 1)     // c5 (9)
		eq(t, "10-15", age["10-15"], 3) // c1 (14), c3 (13), c4 (10)
		eq(t, "16+", age["16+"], 1)     // c2 (17)
		sex := counts(p.BySex)
		eq(t, "male", sex["M"], 2)
		eq(t, "female", sex["F"], 3)
		eq(t, "uasc", counts(p.ByUASC)["uasc"], 1)
		legal := counts(p.ByLegal)
		eq(t, "care orders", legal["care_order"], 4)
		eq(t, "s20", legal["s20"], 1)
	})

	t.Run("PlacementMix", func(t *testing.T) {
		g := map[string]GroupRow{}
		for _, r := range p.ByGroup {
			g[r.Key] = r
		}
		eq(t, "foster other", g["foster_other"].Children, 3)
		eq(t, "children's home", g["childrens_home"].Children, 2)
		eq(t, "total row", g["total"].Children, 5)
		eq(t, "homes outside", g["childrens_home"].Where.Outside, 2)
		eq(t, "homes over 20", g["childrens_home"].Where.Over20, 2)
		pr := map[string]GroupRow{}
		for _, r := range p.ByProvider {
			pr[r.Key] = r
		}
		eq(t, "own council", pr["PR1"].Children, 3)
		eq(t, "private", pr["PR4"].Children, 2)
		eq(t, "private weekly", pr["PR4"].Cost.Weekly, care.Pence(1_700_000))
	})

	t.Run("Distance", func(t *testing.T) {
		w := p.Where
		// c1, c4, c5 inside A within 20 miles; c2 in C (another region, 100
		// miles); c3 in B via URN U2 (same region, 30 miles).
		eq(t, "inside", w.Inside, 3)
		eq(t, "outside", w.Outside, 2)
		eq(t, "over 20", w.Over20, 2)
		eq(t, "outside region", w.OutsideRegion, 1)
		eq(t, "inside within 20", w.InsideWithin20, 3)
		eq(t, "outside over 20", w.OutsideOver20, 2)
	})

	t.Run("Stability", func(t *testing.T) {
		// c3: foster (first of the year), foster again (P), temporary (not
		// counted), children's home (P) = 3. c1 alone is under 16 and in care
		// 2.5+ years, in the same placement since 2020.
		eq(t, "in care", p.Stability.InCare, 5)
		eq(t, "3+", p.Stability.ThreePlus, 1)
		eq(t, "eligible", p.Stability.Eligible, 1)
		eq(t, "long-term", p.Stability.LongTerm, 1)
	})

	t.Run("Siblings", func(t *testing.T) {
		eq(t, "groups", p.Siblings.Groups, 1) // c4 and c5: same day, same home postcode
		eq(t, "apart", p.Siblings.GroupsApart, 1)
		eq(t, "children apart", p.Siblings.ChildrenApart, 2)
	})

	t.Run("Cost", func(t *testing.T) {
		eq(t, "weekly", p.Cost.Weekly, care.Pence(1_780_000))
		eq(t, "placements", p.Cost.Placements, 3)
		eq(t, "high cost", p.Cost.HighCost, 1)
		eq(t, "annualised", p.Cost.Annualised(), care.Pence(1_780_000*52))
		// c1 365 days at £800, c2 304 days at £12,000, c3 203 days at £5,000,
		// c6 244 days at £700; each ×days/7, to the penny.
		eq(t, "in year", p.Cost.InYear, care.Pence(4_171_429+52_114_286+14_500_000+2_440_000))
		f := p.Funders
		eq(t, "social care", f.SocialCare, care.Pence(800_000))
		eq(t, "education", f.Education, care.Pence(200_000))
		eq(t, "health", f.Health, care.Pence(200_000))
		eq(t, "not split", f.NotSplit, care.Pence(580_000))
		eq(t, "split placements", f.SplitPlacements, 1)
	})

	t.Run("Supply", func(t *testing.T) {
		s := map[care.ProvisionKind]SupplyRow{}
		for _, r := range p.Supply {
			s[r.Kind] = r
		}
		h := s[care.KindChildrensHome]
		eq(t, "home settings", h.Settings, 1)
		eq(t, "home places", h.Places, 5)
		eq(t, "own in homes", h.OwnChildren, 2)
		eq(t, "own out of area", h.OwnOutOfArea, 2)
		eq(t, "in-placers", h.InPlacers, 1) // b1 in U3
		eq(t, "supported settings", s[care.KindSupported].Settings, 1)
		eq(t, "fostered in area", s[care.KindFostering].OwnInArea, 3)
	})

	t.Run("Measures", func(t *testing.T) {
		eq(t, "pct foster", p.Measures[MeasurePctFoster], 60.0)
		eq(t, "pct homes", p.Measures[MeasurePctHomes], 40.0)
		eq(t, "pct over 20", p.Measures[MeasurePctOver20], 40.0)
		eq(t, "pct uasc", p.Measures[MeasurePctUASC], 20.0)
		eq(t, "in-placers", p.Measures[MeasureInPlacers], 1.0)
	})
}

func TestComputeRegion(t *testing.T) {
	in := fixture()
	in.Name = "R1"
	in.Scope = []string{"A", "B"}
	p := Compute(in, at)
	eq(t, "in care", p.InCare, 6)
	eq(t, "population", p.Pop0to17, 15000)
	eq(t, "rate", p.RatePer10k, 4.0)
	eq(t, "council rows", len(p.Councils), 2)
	// b1 is B's child placed in A: outside its council, inside the region's area.
	eq(t, "outside council", p.Where.Outside, 3)
	for _, s := range p.Supply {
		if s.Kind == care.KindChildrensHome {
			eq(t, "settings in region", s.Settings, 2)  // U2 in B, U3 in A
			eq(t, "own in area", s.OwnInArea, 2)        // c3 in B, b1 in A
			eq(t, "in-placers", s.InPlacers, 0)         // nobody else loaded
			eq(t, "own out of area", s.OwnOutOfArea, 1) // c2 in C
		}
	}
	// Compared with the DfE's regional figure, the sum over its councils of
	// other councils' children placed within each: c3 (A's child) in B and
	// b1 (B's) in A. It used to be 0 here: only councils outside the scope
	// counted, so a region's figure could never match the published one.
	eq(t, "in-placers measure", p.Measures[MeasureInPlacers], 2.0)
}

func TestComputeWithoutLocatorOrPopulation(t *testing.T) {
	in := fixture()
	in.Locate = nil
	in.Councils = nil
	in.Provisions = nil
	p := Compute(in, at)
	eq(t, "in care", p.InCare, 5)
	eq(t, "rate unknown", p.RatePer10k, 0.0)
	eq(t, "location known", p.Where.LocationKnown, 0)
	eq(t, "distance known", p.Where.DistanceKnown, 0)
	if _, ok := p.Measures[MeasurePctOver20]; ok {
		t.Error("a distance percentage without any known distance")
	}
}

func TestComputeUnsortedEpisodes(t *testing.T) {
	in := fixture()
	eps := in.Episodes
	for i, j := 0, len(eps)-1; i < j; i, j = i+1, j-1 {
		eps[i], eps[j] = eps[j], eps[i]
	}
	p := Compute(in, at)
	eq(t, "3+ placements", p.Stability.ThreePlus, 1)
	eq(t, "in care", p.InCare, 5)
}

func TestTablesPublishSuppresses(t *testing.T) {
	p := Compute(fixture(), at)
	find := func(ts []tabular.Table, title string) tabular.Table {
		for _, tb := range ts {
			if tb.Title == title {
				return tb
			}
		}
		t.Fatalf("no table %q", title)
		return tabular.Table{}
	}
	open := p.Tables(false)
	pub := p.Tables(true)
	if len(open) != len(pub) {
		t.Fatalf("%d tables open, %d published", len(open), len(pub))
	}
	age := find(pub, "Children in care by age")
	// 5–9: 1 → c; 10–15: 3 → c; 16+: 1 → c; total 5 shown; zeros shown.
	want := []any{0, 0, tabular.Suppressed, tabular.Suppressed, tabular.Suppressed, 5}
	for i, w := range want {
		if age.Rows[i][1] != w {
			t.Errorf("age row %d = %v, want %v", i, age.Rows[i][1], w)
		}
	}
	if age.Rows[2][2] != tabular.Suppressed {
		t.Error("percentage of a suppressed count shown")
	}
	if find(open, "Children in care by age").Rows[3][1] != 3 {
		t.Error("unpublished table suppressed")
	}
	// No count of children of 1–4 survives anywhere in the published tables
	// (homes and places from the public register are shown).
	for _, tb := range pub {
		for _, r := range tb.Rows {
			for j, c := range tb.Columns {
				if n, ok := r[j].(int); ok && c.Kind == tabular.Count && !c.Public && n >= 1 && n <= 4 {
					t.Errorf("%s: %s = %d published", tb.Title, c.Name, n)
				}
			}
		}
	}
	cmp := find(pub, "Comparison with published figures")
	for _, r := range cmp.Rows {
		if r[0] == "% unaccompanied asylum-seeking" && r[1] != tabular.Suppressed {
			t.Errorf("UASC share resting on 1 child published: %v", r[1])
		}
		if r[0] == "Children in care per 10,000 children" && r[2] != 70.0 {
			t.Errorf("England comparator = %v", r[2])
		}
	}
}

// Long-term stability at 31 March 2025 counts children in care since
// 30 September 2022 or earlier (2.5 years); one who started on 1 October
// 2022 is a day short. AddDate(0, -30, 0) gave 1 October 2022 and counted them.
func TestLongTermStabilityThreshold(t *testing.T) {
	in := fixture()
	in.Children = []care.Child{{Council: "A", ID: "s1", Sex: care.Male, DOB: d(2012, 1, 1)}, {Council: "A", ID: "s2", Sex: care.Male, DOB: d(2012, 1, 1)}}
	in.Episodes = []care.Episode{
		{Council: "A", ChildID: "s1", Start: d(2022, 9, 30), ReasonNew: "S", LegalStatus: "C2", Placement: "U4", Provider: "PR1", HomePostcode: "H1", PlacementPostcode: "PA"},
		{Council: "A", ChildID: "s2", Start: d(2022, 10, 1), ReasonNew: "S", LegalStatus: "C2", Placement: "U4", Provider: "PR1", HomePostcode: "H2", PlacementPostcode: "PA"},
	}
	p := Compute(in, at)
	eq(t, "eligible for long-term stability", p.Stability.Eligible, 1)
	eq(t, "long-term stable", p.Stability.LongTerm, 1)
}
