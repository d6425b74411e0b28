package forecast

import (
	"math"
	"testing"
	"time"

	"sufficiency/care"
)

// TestObservedCostsDeterministic: the fitted price rise must not depend on
// map iteration order, or the same forecast would differ between runs.
func TestObservedCostsDeterministic(t *testing.T) {
	var eps []care.Episode
	for y := 2015; y <= 2024; y++ {
		for k := 0; k < 7; k++ {
			start := time.Date(y, time.Month(1+k), 3, 0, 0, 0, 0, time.UTC)
			eps = append(eps, care.Episode{Council: "E06000001", ChildID: "c", Start: start, End: start.AddDate(0, 2, 0),
				Placement: "K2", Provider: "PR4", WeeklyCost: care.FromPounds(3000 * math.Pow(1.07, float64(y-2015)) * (1 + 0.013*float64(k)))})
		}
	}
	from, to := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	_, _, first := ObservedCosts(eps, from, to)
	g := groupIndex(care.ForecastGroupOf("K2", "PR4"))
	if r := first[g]; math.IsNaN(r) || math.Abs(r-0.07) > 0.01 {
		t.Fatalf("fitted rise %v, want about 0.07 a year", r)
	}
	for i := 0; i < 50; i++ {
		_, _, again := ObservedCosts(eps, from, to)
		for g := range first {
			if math.Float64bits(again[g]) != math.Float64bits(first[g]) && !(math.IsNaN(again[g]) && math.IsNaN(first[g])) {
				t.Fatalf("run %d: rise[%d] = %v, first run %v", i, g, again[g], first[g])
			}
		}
	}
}
