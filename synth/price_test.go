package synth

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// Children's home prices keep the CCN average by needs tier, have no
// implausibly cheap placements (issue 17: a 10th percentile of £2,396 and
// placements at £1,810 after 2020), and keep a tail above £10,000 a week.
func TestChildrensHomePrice(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const mean = 6108.0 // CCN 2024
	var all []float64
	for tier := 1; tier <= 4; tier++ {
		sum := 0.0
		const n = 40000
		for range n {
			p := childrensHomePrice(r, mean, tier)
			sum += p
			all = append(all, p)
		}
		want := homeTierMean[tier] * mean
		if got := sum / n; math.Abs(got/want-1) > 0.03 {
			t.Errorf("tier %d mean £%.0f, want £%.0f ± 3%%", tier, got, want)
		}
	}
	sort.Float64s(all)
	p10, low := all[len(all)/10], all[0]
	over := 0
	for _, p := range all {
		if p > 10000 {
			over++
		}
	}
	if p10 < 3500 || low < 2800 {
		t.Errorf("10th percentile £%.0f, lowest £%.0f: want at least £3,500 and £2,800 (PSSRU 2022-23 £4,153, CMA 2020 £3,830)", p10, low)
	}
	if share := float64(over) / float64(len(all)); share < 0.08 || share > 0.16 {
		t.Errorf("%.1f%% above £10,000, want 8–16%% (LGA 2022/23: 1,510 placements)", 100*share)
	}
}
