package forecast

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"unsafe"
)

// TestFastRandStream: the generator gives wyrand's stream from the hashed
// seeds (a reference vector computed independently, with Python's big
// integers), the same stream again when reseeded, and different streams
// for neighbouring seeds.
func TestFastRandStream(t *testing.T) {
	for _, tc := range []struct {
		seed1, seed2 uint64
		want         [4]uint64
	}{
		{0, 0, [4]uint64{0x33e35b711fd6eb85, 0x4ed6710155a15430, 0x030d16222edcd2ec, 0x2a0609988481b9de}},
		{1, 2, [4]uint64{0xb1a8d5e19c9cd979, 0x26a9c4c8471dd276, 0xf75ac8432ce4db4b, 0x9d0a49854cc1f5be}},
		{0xdeadbeef, 999, [4]uint64{0x1c0e3314d2201926, 0x12178ace6885ffc7, 0x42390b955110970f, 0x5dd8f86a08d3bb33}},
	} {
		r := newFastRand(tc.seed1, tc.seed2)
		for i, w := range tc.want {
			if got := r.Uint64(); got != w {
				t.Errorf("seeds (%d, %d) draw %d: %#016x, want %#016x", tc.seed1, tc.seed2, i, got, w)
			}
		}
		r.seed(tc.seed1, tc.seed2)
		if got := r.Uint64(); got != tc.want[0] {
			t.Errorf("seeds (%d, %d) reseeded: %#016x, want %#016x", tc.seed1, tc.seed2, got, tc.want[0])
		}
	}
	// the streams of 1,000 simulations of two neighbouring councils' seeds:
	// no draw among their first 50 repeats (a shared stretch of stream would)
	seen := map[uint64]bool{}
	r := newFastRand(0, 0)
	for _, s1 := range []uint64{12345, 12344} {
		for sim := uint64(0); sim < 1000; sim++ {
			r.seed(s1, sim)
			for range 50 {
				x := r.Uint64()
				if seen[x] {
					t.Fatalf("seeds (%d, %d): draw %#x seen before", s1, sim, x)
				}
				seen[x] = true
			}
		}
	}
}

// chiSquare returns Pearson's statistic of counts against equal expected
// counts.
func chiSquare(counts []int) float64 {
	n := 0
	for _, c := range counts {
		n += c
	}
	exp := float64(n) / float64(len(counts))
	x := 0.0
	for _, c := range counts {
		d := float64(c) - exp
		x += d * d / exp
	}
	return x
}

// TestFastRandUniformIndependent is a smoke test of the draws' uniformity
// and independence (the generator passes far stronger batteries; this
// catches a broken step or seeding): chi-square over 256 cells (255
// degrees of freedom: mean 255, sd 22.6; the bound, 400, is 6.4 sd) of the
// bit fields the simulator reads — the top bits (alias slot, uniforms), bits
// 32–39 (the ziggurat's layer), the low byte (the alias fraction), bits
// 32–60 (move or exit) — of consecutive pairs of draws, and of the first
// draws of neighbouring simulations' streams.
func TestFastRandUniformIndependent(t *testing.T) {
	const n = 1 << 20
	r := newFastRand(7, 11)
	fields := map[string]func(x uint64) int{
		"top byte":   func(x uint64) int { return int(x >> 56) },
		"bits 32-39": func(x uint64) int { return int(uint8(x >> 32)) },
		"low byte":   func(x uint64) int { return int(uint8(x)) },
		"event bits": func(x uint64) int { return int(eventField(x) >> (eventBits - 8)) },
	}
	counts := map[string][]int{}
	for name := range fields {
		counts[name] = make([]int, 256)
	}
	pairs, streams := make([]int, 256), make([]int, 256)
	prev := r.Uint64()
	for range n {
		x := r.Uint64()
		for name, f := range fields {
			counts[name][f(x)]++
		}
		pairs[int(prev>>60)<<4|int(x>>60)]++
		prev = x
	}
	var last uint64
	for sim := uint64(0); sim <= n/16; sim++ {
		r.seed(99, sim)
		x := r.Uint64()
		if sim > 0 {
			streams[int(last>>60)<<4|int(x>>60)]++
		}
		last = x
	}
	counts["consecutive pairs (top 4 bits each)"] = pairs
	counts["first draws of simulations s and s+1"] = streams
	for name, c := range counts {
		if x := chiSquare(c); x > 400 {
			t.Errorf("%s: chi-square %.1f over 256 cells (bound 400)", name, x)
		}
	}
}

// TestExpFloat64MatchesMathRand: the inlined ziggurat draws exactly what
// rand.Rand.ExpFloat64 draws from the same stream (the slow paths, about 1%
// of draws, included), and the draws have the unit exponential's mean and
// variance.
func TestExpFloat64MatchesMathRand(t *testing.T) {
	slow := 0
	sum, sum2 := 0.0, 0.0
	const n = 400000
	for seed := uint64(0); seed < 2; seed++ {
		r, src := newFastRand(seed, 77), newFastRand(seed, 77)
		ref := rand.New(src)
		for i := 0; i < n/2; i++ {
			a, b := r.ExpFloat64(), ref.ExpFloat64()
			if a != b {
				t.Fatalf("seed %d draw %d: exponential %v, math/rand %v", seed, i, a, b)
			}
			if a > 7.5 {
				slow++
			}
			sum += a
			sum2 += a * a
		}
	}
	if slow == 0 {
		t.Fatal("no draw from the tail: the slow path was not checked")
	}
	mean := sum / n
	sd := math.Sqrt(sum2/n - mean*mean)
	// standard errors: 1/√n = 0.0016 for the mean, about 0.0035 for the sd
	if math.Abs(mean-1) > 0.008 || math.Abs(sd-1) > 0.02 {
		t.Errorf("exponential draws: mean %.4f, sd %.4f; want 1 and 1", mean, sd)
	}
}

// TestWorkStreamsApart: two workers' random streams, whose state is written
// at every child, never share a cache line (false sharing made the same
// projection's CPU time vary by a fifth from run to run, as the allocator
// happened to place them).
func TestWorkStreamsApart(t *testing.T) {
	s := &simulator{nb: 1, ng: 1, nd: 1, k: 2}
	type small struct { // the streams' size class (16 bytes, with a pointer)
		p *int
		x int
	}
	var keep []*small
	for i := 0; i < 20; i++ {
		for j := 0; j < i%4; j++ { // the next allocations 16 bytes further on
			keep = append(keep, &small{})
		}
		a, b := s.newWork(), s.newWork()
		pa, pb := uintptr(unsafe.Pointer(&a.rng.s)), uintptr(unsafe.Pointer(&b.rng.s))
		if pa/64 == pb/64 || pa/64 == (pb+8)/64 || (pa+8)/64 == pb/64 {
			t.Fatalf("two workers' stream states at %x and %x share a cache line", pa, pb)
		}
	}
	runtime.KeepAlive(keep)
}
