package forecast

import (
	"math"
	"testing"
)

// TestAliasTable: every outcome's probability under the table, summed
// exactly over the slots, is its share of the weights (to within the 2⁻³²
// resolution of the thresholds); zero weights are never drawn.
func TestAliasTable(t *testing.T) {
	for name, w := range map[string][]float64{
		"Groups":      {0.15, 0.30, 0, 0.10, 0.08, 0.04, 0.02, 0.06},
		"Exits":       {0.14, 0.05, 0.04, 0.03, 0.04},
		"One":         {0, 0, 3},
		"Skewed":      {1e-9, 1, 1e-6, 0, 5},
		"EightEqual":  {1, 1, 1, 1, 1, 1, 1, 1},
		"SingleFirst": {2},
	} {
		t.Run(name, func(t *testing.T) {
			var tab aliasTable
			buildAlias(w, tab[:])
			tot := 0.0
			for _, v := range w {
				tot += v
			}
			got := make([]float64, aliasSlots)
			for i, e := range tab {
				keep := float64(e.thr) / (1 << 32)
				got[i] += keep / aliasSlots
				got[e.alt] += (1 - keep) / aliasSlots
			}
			for i := range got {
				want := 0.0
				if i < len(w) {
					want = w[i] / tot
				}
				if want == 0 && got[i] != 0 {
					t.Errorf("outcome %d has weight 0 but probability %g", i, got[i])
				}
				if math.Abs(got[i]-want) > 1e-8 {
					t.Errorf("outcome %d: probability %.10f, want %.10f", i, got[i], want)
				}
			}
			// aliasPick agrees with the table: slot from the top bits, fraction from the low 32
			for i := range aliasSlots {
				hi := uint64(i) << (64 - aliasBits)
				if j := aliasPick(&tab, hi|0); tab[i].thr > 0 && j != i {
					t.Errorf("slot %d, fraction 0: drew %d", i, j)
				}
				if j := aliasPick(&tab, hi|(1<<32-1)); j != int(tab[i].alt) && tab[i].thr != 1<<32-1 {
					t.Errorf("slot %d, fraction 1: drew %d, want alias %d", i, j, tab[i].alt)
				}
			}
		})
	}
}
