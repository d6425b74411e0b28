package siting

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkEnglandK10: K = 10 homes of 4 places over every postcode
// district in England for 7,000 children (about England's children in
// children's homes), homes drawn from districts, placements 0–120 miles away.
func BenchmarkEnglandK10(b *testing.B) {
	sites := Districts(nil, true)
	rng := rand.New(rand.NewPCG(1, 1))
	var children []Child
	for i := 0; i < 7000; i++ {
		s := sites[rng.IntN(len(sites))]
		children = append(children, Child{Home: s.Point, Miles: rng.Float64() * 120})
	}
	b.Logf("%d candidate districts, %d children", len(sites), len(children))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := Choose(children, sites, Options{Homes: 10, Places: 4})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(r.Guaranteed, "share-of-optimum")
	}
}
