package assign

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkDense times Dense on uniform [0,1) float costs (the SciPy
// benchmark's instances; bench/assign/compare.py compares the two).
func BenchmarkDense(b *testing.B) {
	for _, n := range []int{1000, 2000} {
		r := rand.New(rand.NewPCG(uint64(n), 1))
		c := make([]float64, n*n)
		for k := range c {
			c[k] = r.Float64()
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if res := Dense(n, n, c); res.Status != Optimal {
					b.Fatal(res.Status)
				}
			}
		})
	}
}

// BenchmarkSparse times Sparse on 2000 × 10000 with 5% of pairs eligible.
func BenchmarkSparse(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 7))
	var arcs []Arc[float64]
	for i := 0; i < 2000; i++ {
		for j := 0; j < 10000; j++ {
			if r.Float64() < 0.05 {
				arcs = append(arcs, Arc[float64]{i, j, 1 - r.Float64()})
			}
		}
	}
	g, _ := NewGraph(2000, 10000, arcs)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if res := Sparse(g); res.Status != Optimal {
			b.Fatal(res.Status)
		}
	}
}
