package market

import (
	"math"
	"strings"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/tabular"
)

var (
	d  = care.Date
	at = d(2025, 3, 31)
)

func fixture() Input {
	home := func(id, owner, council string, places int, sector care.Sector, r care.Rating) care.Provision {
		return care.Provision{ID: id, Kind: care.KindChildrensHome, Owner: owner, Council: council, Places: places, Sector: sector, Rating: r}
	}
	ep := func(council, child string, start, end time.Time, place, prov, urn string, pounds float64) care.Episode {
		return care.Episode{Council: council, ChildID: child, Start: start, End: end, LegalStatus: "C2", Placement: care.PlacementType(place),
			Provider: care.ProviderType(prov), URN: urn, WeeklyCost: care.FromPounds(pounds)}
	}
	return Input{
		Councils: []Council{{Code: "A", Name: "A", Region: "R1", Pop0to17: 10000}, {Code: "B", Name: "B", Region: "R1", Pop0to17: 10000}, {Code: "C", Name: "C", Region: "R2", Pop0to17: 20000}},
		Provisions: []care.Provision{
			home("1", "Acme Care Ltd", "A", 4, care.SectorPrivate, care.RatingGood),
			home("2", "ACME CARE LIMITED", "B", 4, care.SectorPrivate, care.RatingOutstanding),
			home("3", "Beta Homes", "A", 2, care.SectorPrivate, care.RatingRI),
			home("4", "Council A", "A", 2, care.SectorLA, care.RatingGood),
			home("5", "Gamma", "C", 6, care.SectorVoluntary, care.RatingInadequate),
			home("6", "Acme Care Ltd", "C", 2, care.SectorPrivate, care.RatingNone),
			{ID: "7", Kind: care.KindSupported, Owner: "Delta", Council: "A"},
		},
		Children: []care.Child{
			{Council: "A", ID: "a1", Needs: care.NeedsProfile{Tier: care.TierStandard}},
			{Council: "A", ID: "a2", Needs: care.NeedsProfile{Tier: care.TierComplex}},
			{Council: "A", ID: "a3", Needs: care.NeedsProfile{Tier: care.TierComplex}},
		},
		Episodes: []care.Episode{
			ep("A", "a1", d(2024, 6, 1), time.Time{}, "K2", "PR4", "1", 5000),
			ep("A", "a2", d(2023, 6, 1), time.Time{}, "K2", "PR4", "1", 6000),
			ep("A", "a3", d(2024, 10, 1), time.Time{}, "K2", "PR4", "5", 8000),
			ep("C", "c1", d(2024, 1, 1), time.Time{}, "K2", "PR4", "6", 4000),
			ep("A", "a4", d(2020, 1, 1), time.Time{}, "U4", "PR1", "", 500),
			ep("A", "a5", d(2023, 9, 1), d(2024, 2, 1), "K2", "PR4", "", 4000),
		},
		Occupancy: 0.5,
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.01 }

func TestOwnerGroup(t *testing.T) {
	for in, want := range map[string]string{
		"Acme Care Ltd": "Acme Care", "ACME CARE LIMITED": "Acme Care", "acme care (uk) ltd.": "Acme Care", "": "(owner not recorded)",
	} {
		if got := OwnerGroup(in, nil); got != want {
			t.Errorf("OwnerGroup(%q) = %q, want %q", in, got, want)
		}
	}
	if got := OwnerGroup("Acme Care Ltd", map[string]string{"Acme Care Ltd": "Big Capital"}); got != "Big Capital" {
		t.Errorf("mapped group %q", got)
	}
}

func TestConcentrate(t *testing.T) {
	c := Concentrate("x", map[string]float64{"a": 50, "b": 30, "c": 10, "d": 10, "z": 0})
	if c.Owners != 4 || !near(c.HHI, 3600) || !near(c.Top5, 100) || c.Top != "a" || !near(c.TopPct, 50) {
		t.Fatalf("%+v", c)
	}
	if e := Concentrate("none", nil); e.HHI != 0 || e.Owners != 0 {
		t.Fatalf("empty %+v", e)
	}
}

func TestAnalyse(t *testing.T) {
	m := Analyse(fixture(), at)

	t.Run("PlaceConcentration", func(t *testing.T) {
		want := map[string]float64{"R1": 5000, "R2": 6250, England: 3600}
		if len(m.PlaceConcentration) != 3 {
			t.Fatalf("%d areas", len(m.PlaceConcentration))
		}
		for _, c := range m.PlaceConcentration {
			if !near(c.HHI, want[c.Area]) {
				t.Errorf("%s HHI %.2f, want %.2f", c.Area, c.HHI, want[c.Area])
			}
		}
		eng := m.PlaceConcentration[2]
		if eng.Total != 20 || eng.Top != "Acme Care" || !near(eng.TopPct, 50) || eng.Owners != 4 {
			t.Errorf("England %+v", eng)
		}
	})

	t.Run("SpendConcentration", func(t *testing.T) {
		// Acme £15,000 (a1, a2, c1), Gamma £8,000 (a3).
		// Only the scope's own councils' spend is measured: one row.
		if len(m.SpendConcentration) != 1 {
			t.Fatalf("%d spend rows, want one for the area", len(m.SpendConcentration))
		}
		eng := m.SpendConcentration[0]
		s1, s2 := 100*15000/23000.0, 100*8000/23000.0
		if eng.Area != England || !near(eng.Total, 23000) || !near(eng.HHI, s1*s1+s2*s2) {
			t.Errorf("England spend %+v", eng)
		}
		if !strings.Contains(eng.Coverage, "2 of the 3 councils") || !strings.Contains(eng.Coverage, "4 placements") {
			t.Errorf("coverage %q", eng.Coverage)
		}
	})

	t.Run("SectorsOwnersRatings", func(t *testing.T) {
		if s := m.BySector[0]; s.Sector != care.SectorPrivate || s.Places != 12 || s.Settings != 4 || !near(s.Pct, 60) {
			t.Errorf("private %+v", s)
		}
		if o := m.TopOwners[0]; o.Group != "Acme Care" || o.Places != 10 || o.Regions != 2 || o.Ratings != [5]int{1, 1, 0, 0, 1} {
			t.Errorf("top owner %+v", o)
		}
		all := m.Ratings[len(m.Ratings)-1]
		if all != (RatingRow{"All sectors", 1, 2, 1, 1, 1}) {
			t.Errorf("ratings %+v", all)
		}
	})

	t.Run("PlacesPer10k", func(t *testing.T) {
		want := map[string]float64{"R1": 6, "R2": 4, England: 5}
		for _, r := range m.RegionPlaces {
			if !near(r.PlacesPer10k, want[r.Region]) {
				t.Errorf("%s %.2f", r.Region, r.PlacesPer10k)
			}
		}
	})

	t.Run("Prices", func(t *testing.T) {
		var ch *PriceRow
		for i := range m.Prices {
			if m.Prices[i].Group == care.GroupChildrensHome && m.Prices[i].Provider == care.ProviderPrivate {
				ch = &m.Prices[i]
			}
		}
		if ch == nil {
			t.Fatal("no private children's home prices")
		}
		// Current 4,000 5,000 6,000 8,000; started in the last year 5,000 and
		// 8,000; in the year before 4,000 (c1), 6,000 (a2), 4,000 (a5, ended).
		if ch.Placements != 4 || ch.Median != care.FromPounds(5500) || ch.Mean != care.FromPounds(5750) {
			t.Errorf("current %+v", ch)
		}
		if ch.MedianRecent != care.FromPounds(6500) || ch.MedianPr != care.FromPounds(4000) || !ch.GrowthKnown || !near(ch.Growth, 62.5) {
			t.Errorf("growth %+v", ch)
		}
	})

	t.Run("ValueForMoney", func(t *testing.T) {
		got := map[string]ValueRow{}
		for _, v := range m.ValueByRating {
			got[v.Category] = v
		}
		if got["Good"].Median != care.FromPounds(5500) || got["Inadequate"].Median != care.FromPounds(8000) || got["Not yet inspected"].Placements != 1 {
			t.Errorf("by rating %+v", m.ValueByRating)
		}
		tiers := map[string]ValueRow{}
		for _, v := range m.ValueByNeeds {
			tiers[v.Category] = v
		}
		if tiers["Complex needs"].Median != care.FromPounds(7000) || tiers["Standard needs"].Placements != 1 || tiers["Needs not recorded"].Placements != 1 {
			t.Errorf("by needs %+v", m.ValueByNeeds)
		}
	})

	t.Run("Contingency", func(t *testing.T) {
		got := map[string]Contingency{}
		for _, c := range m.Contingency {
			got[c.Group] = c
		}
		a := got["Acme Care"]
		if a.Places != 10 || a.PlacesByRegion["R1"] != 8 || a.PlacesByRegion["R2"] != 2 || a.Children != 3 || a.ChildrenByCouncil["A"] != 2 {
			t.Errorf("acme holding %+v", a)
		}
		// Displaced max(3 loaded, 10×0.5); spare (12-8)×0.5 + (8-2)×0.5.
		if a.Displaced != 5 || a.Spare != 5 || a.SpareNear != 5 || a.Difficulty != 1 || a.Rating != "hard to replace" {
			t.Errorf("acme contingency %+v", a)
		}
		g := got["Gamma"]
		if g.Displaced != 3 || g.Spare != 1 || g.Rating != "hard to replace" {
			t.Errorf("gamma %+v", g)
		}
		if b := got["Beta Homes"]; b.Displaced != 1 || b.Spare != 5 || b.SpareNear != 3 || b.Rating != "replaceable" {
			t.Errorf("beta %+v", b)
		}
		if m.Contingency[0].Group != "Acme Care" {
			t.Errorf("not largest first: %v", m.Contingency[0].Group)
		}
	})
}

func TestContingencyWithin20Miles(t *testing.T) {
	in := fixture()
	mile := 1609.3
	// A and C are 15 miles apart; B is 100 miles away.
	in.Councils[0].Northing, in.Councils[1].Northing, in.Councils[2].Northing = 1, 100*mile, 15*mile
	m := Analyse(in, at)
	for _, c := range m.Contingency {
		switch c.Group {
		case "Beta Homes":
			// Near A: other places in A (8-2) and C (8): 14 x 0.5.
			if c.SpareNear != 7 {
				t.Errorf("beta near %d", c.SpareNear)
			}
		case "Acme Care":
			// A (8-4), B (4-4), C (8-2): 10 x 0.5.
			if c.SpareNear != 5 {
				t.Errorf("acme near %d", c.SpareNear)
			}
		}
	}
}

func TestAnalyseRegion(t *testing.T) {
	in := fixture()
	in.Region = "R2"
	m := Analyse(in, at)
	if len(m.PlaceConcentration) != 3 {
		t.Fatal("concentration should cover every region and England whatever the scope")
	}
	if len(m.TopOwners) != 2 || m.TopOwners[0].Group != "Gamma" {
		t.Fatalf("R2 owners %+v", m.TopOwners)
	}
	if len(m.Contingency) != 2 {
		t.Fatalf("R2 contingency %+v", m.Contingency)
	}
	// Within R2 Acme holds home 6 (2 places) with one child (c1): its homes
	// in R1 and the R1 children in them are not R2's to re-home, and only
	// R2's other places (Gamma's 6) can take its children.
	for _, c := range m.Contingency {
		if c.Group == "Acme Care" && (c.Places != 2 || c.Children != 1 || c.Displaced != 1 || c.Spare != 3 || c.PlacesByRegion["R1"] != 0) {
			t.Errorf("R2 Acme contingency %+v", c)
		}
	}
	// Spend is R2's councils' own: C's £4,000 with Acme.
	if len(m.SpendConcentration) != 1 || m.SpendConcentration[0].Area != "R2" || !near(m.SpendConcentration[0].Total, 4000) || !near(m.SpendConcentration[0].HHI, 10000) {
		t.Errorf("R2 spend %+v", m.SpendConcentration)
	}
	// Prices use children of councils in R2 only: c1.
	for _, p := range m.Prices {
		if p.Group == care.GroupChildrensHome && p.Placements != 1 {
			t.Fatalf("R2 prices %+v", p)
		}
	}
	if n := len(m.Tables()); n < 9 {
		t.Fatalf("%d tables", n)
	}
}

func TestQuantile(t *testing.T) {
	vs := []care.Pence{100, 200, 300, 400}
	if Quantile(vs, 0.5) != 250 || Quantile(vs, 0) != 100 || Quantile(vs, 1) != 400 || Quantile(nil, 0.5) != 0 {
		t.Fatal("quantile")
	}
}

// Published market tables keep the register's public figures (settings,
// places, ratings) whole and hide counts of 1 to 4 children, also in the
// contingency table's list of children by council.
func TestTablesPublishKeepsRegisterFigures(t *testing.T) {
	m := Analyse(fixture(), at)
	for _, tb := range m.Tables() {
		pub := tabular.Suppress(tb)
		switch {
		case strings.HasPrefix(tb.Title, "Largest owner groups"):
			for i, r := range pub.Rows {
				for j, c := range pub.Columns {
					if r[j] == tabular.Suppressed {
						t.Errorf("%s row %d: public %s suppressed", tb.Title, i, c.Name)
					}
				}
			}
		case strings.HasPrefix(tb.Title, "Provider-failure contingency"):
			for _, r := range pub.Rows {
				if r[0] == "Acme Care" {
					// Places 10 public; 3 children in its homes hidden.
					if r[2] != 10 || r[4] != tabular.Suppressed {
						t.Errorf("acme published %v", r)
					}
					if list := r[5].(string); strings.ContainsAny(list, "123") || !strings.Contains(list, "fewer than 5") {
						t.Errorf("children by council %q shows a small count", list)
					}
				}
			}
		}
	}
}

// Concentration is the same to the last bit whatever order the map gives
// its owners in (the total was summed in map order).
func TestConcentrateDeterministic(t *testing.T) {
	m := map[string]float64{}
	for i := range 200 {
		m[string(rune('A'+i%26))+string(rune('a'+i/26))] = 0.1 + float64(i)*1.37
	}
	first := Concentrate("x", m)
	for range 50 {
		if c := Concentrate("x", m); c != first {
			t.Fatalf("%+v != %+v", c, first)
		}
	}
}

// The contingency's ratings at and around their limits (1 and 0.5 children
// displaced per spare place).
func TestDifficultyRating(t *testing.T) {
	for d, want := range map[float64]string{
		0: "replaceable", 0.49: "replaceable", 0.5: "stretched", 0.51: "stretched", 0.99: "stretched",
		1: "hard to replace", 1.01: "hard to replace", math.Inf(1): "hard to replace",
	} {
		if got := difficultyRating(d); got != want {
			t.Errorf("difficultyRating(%v) = %q, want %q", d, got, want)
		}
	}
}
