package review

import (
	"fmt"
	"testing"

	"sufficiency/care"
)

// TestStepDownPriceMedianOfPeers: under the rule without alternatives, the
// step-down price is the median (nearest rank, METHOD.md) weekly cost of the
// current placements in step_down_groups when there are at least min_peers
// of them, else the configured step_down_weekly_pounds. Four foster
// placements listed out of order (£1,200, £600, £900, £700): the median is
// the second smallest, £700; min_peers on (4), below (3) and above (5).
func TestStepDownPriceMedianOfPeers(t *testing.T) {
	in := input(
		kid{id: "home", tier: care.TierStandard, place: "K2", start: d(2024, 1, 1), pounds: 6000},
		kid{id: "f1", tier: care.TierStandard, place: "U4", start: d(2024, 1, 1), pounds: 1200},
		kid{id: "f2", tier: care.TierStandard, place: "U4", start: d(2024, 1, 1), pounds: 600},
		kid{id: "f3", tier: care.TierStandard, place: "U4", start: d(2024, 1, 1), pounds: 900},
		kid{id: "f4", tier: care.TierStandard, place: "U4", start: d(2024, 1, 1), pounds: 700},
	)
	for _, tc := range []struct {
		minPeers int
		price    float64
	}{{3, 700}, {4, 700}, {5, 1000}} {
		t.Run(fmt.Sprint("MinPeers", tc.minPeers), func(t *testing.T) {
			rule := legacyStepDown()
			rule.Params.MinPeers = tc.minPeers
			w := Build(in, []Rule{rule}, at)
			wantFlagged(t, w, "step-down", "home")
			if got, want := w.StepDown.WeeklySaving, care.FromPounds(6000-tc.price); got != want {
				t.Errorf("weekly saving %v, want %v (priced at £%g)", got, want, tc.price)
			}
		})
	}
}
