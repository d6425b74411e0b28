package forecast

import (
	"math/rand/v2"
	"testing"
)

// TestFastRandMatchesMathRand: the inlined generator gives exactly the
// stream of rand.PCG, and its exponential draws are exactly those of
// rand.Rand.ExpFloat64 (including the ziggurat's slow paths, about 1% of
// draws), so the simulator's results are those of the library generator.
func TestFastRandMatchesMathRand(t *testing.T) {
	slow := 0
	for seed := uint64(0); seed < 4; seed++ {
		ref := rand.New(rand.NewPCG(seed, 77))
		r := newFastRand(seed, 77)
		for i := 0; i < 200000; i++ {
			if i%2 == 0 {
				a, b := r.ExpFloat64(), ref.ExpFloat64()
				if a != b {
					t.Fatalf("seed %d draw %d: exponential %v, math/rand %v", seed, i, a, b)
				}
				if a > 7.5 {
					slow++
				}
			} else if a, b := r.Uint64(), ref.Uint64(); a != b {
				t.Fatalf("seed %d draw %d: %x, math/rand %x", seed, i, a, b)
			}
		}
	}
	if slow == 0 {
		t.Fatal("no draw from the tail: the slow path was not checked")
	}
}
