package market

import (
	"fmt"
	"testing"
)

// TestConcentrateTopFiveAndTen pins the concentration measures on eleven
// owners of 10 places each (the CMA's children's social care market study
// reports the largest providers' shares and the HHI, the sum of squared
// percentage shares): the top five hold exactly five owners' places, the top
// ten exactly ten, the HHI is 11 × (100/11)²; ties are ordered by name.
func TestConcentrateTopFiveAndTen(t *testing.T) {
	by := map[string]float64{}
	for i := 0; i < 11; i++ {
		by[fmt.Sprintf("owner%02d", i)] = 10
	}
	c := Concentrate("x", by)
	share := 100.0 / 11
	if c.Owners != 11 || !near(c.Top5, 5*share) || !near(c.Top10, 10*share) || !near(c.HHI, 11*share*share) || c.Total != 110 {
		t.Fatalf("%+v", c)
	}
	if c.Top != "owner00" || !near(c.TopPct, share) {
		t.Errorf("largest owner %q %.2f%%: ties go to the first name", c.Top, c.TopPct)
	}
	// One owner: a monopoly, HHI 10,000.
	m := Concentrate("m", map[string]float64{"only": 3, "none": 0, "negative": -2})
	if m.Owners != 1 || !near(m.HHI, 10000) || !near(m.Top5, 100) || !near(m.Top10, 100) || m.Total != 3 {
		t.Errorf("monopoly %+v", m)
	}
}

// TestOccupancyDefault: the share of places assumed filled must be over 0
// and at most 1; anything else is replaced by the default 0.83 (the 80–85%
// the sector reports, Input.Occupancy).
func TestOccupancyDefault(t *testing.T) {
	for _, tc := range []struct{ in, want float64 }{{0, 0.83}, {-0.1, 0.83}, {1, 1}, {1.01, 0.83}, {0.5, 0.5}, {0.01, 0.01}} {
		in := fixture()
		in.Occupancy = tc.in
		if got := Analyse(in, at).Occupancy; got != tc.want {
			t.Errorf("occupancy %v: used %v, want %v", tc.in, got, tc.want)
		}
	}
}
