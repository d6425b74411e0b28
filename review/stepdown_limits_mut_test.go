package review

import (
	"strings"
	"testing"
	"time"

	"sufficiency/care"
)

// TestPriceAlternativesMinPeers: an alternative is priced at the median of
// the current placements of its ages and tiers when there are at least
// min_peers of them, else of its price groups at any age and tier when
// those are at least min_peers (on the limit: exactly min_peers), else at
// its configured price.
func TestPriceAlternativesMinPeers(t *testing.T) {
	alt := Alternative{Label: "Foster care", MinAge: 10, MaxAge: 15, Tiers: []care.NeedsTier{care.TierStandard},
		PriceGroups: []care.PlacementGroup{care.GroupFosterOther}, MinWeeklyPounds: 500}
	fostered := func(age int, pounds float64) peer {
		return peer{group: care.GroupFosterOther, age: age, tier: care.TierStandard, cost: care.FromPounds(pounds)}
	}
	// One peer of the alternative's ages, two more outside them: three in all.
	peers := []peer{fostered(12, 900), fostered(3, 800), fostered(17, 1000), {group: care.GroupChildrensHome, age: 12, tier: care.TierStandard, cost: care.FromPounds(5000)}}
	for _, tc := range []struct {
		minPeers int
		price    float64
		basis    string
	}{
		{1, 900, "median of 1 current placements of these ages and tiers"},
		{2, 900, "median of 3 current placements of any age and tier"},
		{3, 900, "median of 3 current placements of any age and tier"}, // on the limit
		{4, 500, "the configured price: fewer than 4 current placements"},
	} {
		got := priceAlternatives(Params{MinPeers: tc.minPeers, Alternatives: []Alternative{alt}}, peers)
		if len(got) != 1 || got[0].price != care.FromPounds(tc.price) || !strings.Contains(got[0].basis, tc.basis) {
			t.Errorf("min_peers %d: %+v; want £%g (%s)", tc.minPeers, got, tc.price, tc.basis)
		}
	}
}

// TestPriceAlternativesFloor: a median below the floor gives the floor; a
// median on the floor is the median (the floor is not said to be above it).
func TestPriceAlternativesFloor(t *testing.T) {
	alt := Alternative{Label: "Foster care", MinAge: 0, MaxAge: 17, Tiers: []care.NeedsTier{care.TierStandard},
		PriceGroups: []care.PlacementGroup{care.GroupFosterOther}}
	peers := []peer{{group: care.GroupFosterOther, age: 12, tier: care.TierStandard, cost: care.FromPounds(800)}}
	for _, tc := range []struct {
		floor float64
		price float64
		basis string
	}{
		{799, 800, "£800 a week (median of 1 current placements"},
		{800, 800, "£800 a week (median of 1 current placements"},
		{801, 801, "£801 a week (the configured floor, above the median of 1"},
	} {
		a := alt
		a.MinWeeklyPounds = tc.floor
		got := priceAlternatives(Params{MinPeers: 1, Alternatives: []Alternative{a}}, peers)
		if got[0].price != care.FromPounds(tc.price) || !strings.HasPrefix(got[0].basis, tc.basis) {
			t.Errorf("floor £%g: price %v, basis %q; want £%g, %q", tc.floor, got[0].price, got[0].basis, tc.price, tc.basis)
		}
	}
}

// TestStepDownMinWeeksInPlacement: children placed fewer than
// min_weeks_in_placement weeks before the review date are left out; on the
// limit (exactly that many weeks) they are considered.
func TestStepDownMinWeeksInPlacement(t *testing.T) {
	at := time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)
	alts := []pricedAlternative{{Alternative: Alternative{Label: "Foster care", MinAge: 0, MaxAge: 17, Tiers: []care.NeedsTier{care.TierStandard}}, price: care.FromPounds(800)}}
	p := Params{Groups: []care.PlacementGroup{care.GroupChildrensHome}, MinWeeksInPlacement: 12}
	for _, tc := range []struct {
		name    string
		since   time.Time
		flagged bool
	}{
		{"OneDayShort", at.AddDate(0, 0, -12*7+1), false},
		{"OnTheLimit", at.AddDate(0, 0, -12*7), true},
		{"OneDayOver", at.AddDate(0, 0, -12*7-1), true},
		{"StartNotKnown", time.Time{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			it := &Item{Age: 12, Tier: care.TierStandard, Since: tc.since, WeeklyCost: care.FromPounds(5000)}
			notFlagged := map[string]int{}
			got, _ := stepDownAlternative(care.GroupChildrensHome, it, care.NeedsProfile{}, at, p, alts, notFlagged)
			if got != tc.flagged {
				t.Fatalf("flagged %v; want %v", got, tc.flagged)
			}
			if !tc.flagged && notFlagged["placed for less than the minimum weeks"] != 1 {
				t.Errorf("not counted as placed too recently: %v", notFlagged)
			}
		})
	}
}
