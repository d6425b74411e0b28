package scenario

import (
	"math"
	"testing"

	"sufficiency/analysis"
	"sufficiency/care"
)

// TestBaseCostsAreTheForecasts: a scenario prices each group as the
// child-level forecast does (docs/METHOD.md, "Costs"). With no costed
// placements in the reference window every group falls back to the
// embedded reference figures, moved from the year each is of: RO3 2024-25
// is at 31 March 2025, the origin's prices already, so in-house fostering
// costs £756 a week and secure/children's homes £7,708, unmoved. (Scenario
// used to read "2024-25" as 2024 and "2020 (interim report Oct 2021)" as
// 2021, pricing its baseline a year of inflation away from the forecast.)
func TestBaseCostsAreTheForecasts(t *testing.T) {
	m := quiet(t, 1, care.ForecastFosterInHouse)
	got, err := BaseCosts(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := analysis.ForecastCosts(m, nil, analysis.ForecastOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for g, grp := range m.Groups {
		if got.Weekly[g] != want.Weekly[g] || got.Inflation[g] != want.Inflation[g] || got.Source[g] != want.Source[g] {
			t.Errorf("%s: scenario £%.2f at %.4f (%s); forecast £%.2f at %.4f (%s)", grp,
				got.Weekly[g], got.Inflation[g], got.Source[g], want.Weekly[g], want.Inflation[g], want.Source[g])
		}
	}
	for _, tc := range []struct {
		g      care.ForecastGroup
		weekly float64
	}{
		{care.ForecastFosterInHouse, 756},
		{care.ForecastSecureOther, 7708},
	} {
		i := groupIndexes(m, []care.ForecastGroup{tc.g})[0]
		if math.Abs(got.Weekly[i]-tc.weekly) > 1e-9 {
			t.Errorf("%s: £%.2f a week; want £%.0f (a 2024-25 figure is at 31 March 2025 prices)", tc.g, got.Weekly[i], tc.weekly)
		}
	}
}
