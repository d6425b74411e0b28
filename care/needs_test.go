package care

import "testing"

// TestNeedsTierLabel: the four tiers of the commissioning frameworks in plain
// words, and anything else (no tier recorded, a value outside them) "Not
// recorded".
func TestNeedsTierLabel(t *testing.T) {
	for tier, want := range map[NeedsTier]string{
		TierUnknown: "Not recorded", TierStandard: "Standard", TierEnhanced: "Enhanced",
		TierComplex: "Complex", TierHighly: "Highly complex", TierHighly + 1: "Not recorded", -1: "Not recorded",
	} {
		if got := tier.Label(); got != want {
			t.Errorf("NeedsTier(%d).Label() = %q, want %q", tier, got, want)
		}
	}
}
