package forecast

import (
	"math"
	"math/bits"
	"math/rand/v2"
)

// fastRand is the simulator's random stream: the PCG-DXSM generator of
// math/rand/v2 (rand.PCG), written out here so that the compiler inlines it
// into the per-child loop instead of calling it through the rand.Source
// interface. From the same seeds it produces exactly the stream of
// rand.NewPCG, and ExpFloat64 draws exactly what rand.Rand.ExpFloat64 draws
// from it (TestFastRandMatchesMathRand), so replacing the library generator
// changed no result.
type fastRand struct {
	hi, lo uint64     // the 128-bit LCG state, as in rand.PCG
	std    *rand.Rand // the same stream through math/rand/v2, for the rare gamma draws
}

// newFastRand returns a stream seeded as rand.NewPCG(seed1, seed2).
func newFastRand(seed1, seed2 uint64) *fastRand {
	r := &fastRand{hi: seed1, lo: seed2}
	r.std = rand.New(r)
	return r
}

// seed restarts the stream as rand.NewPCG(seed1, seed2) would.
func (r *fastRand) seed(seed1, seed2 uint64) { r.hi, r.lo = seed1, seed2 }

// Uint64 returns the next 64 random bits (rand.PCG.Uint64: a 128-bit LCG step
// and the DXSM output function).
func (r *fastRand) Uint64() uint64 {
	var x uint64
	r.hi, r.lo, x = pcgNext(r.hi, r.lo)
	return x
}

// pcgNext is one step of the generator as a function of its state: the
// next state and the 64 random bits. The per-child loop holds the state in
// local variables and calls it directly, so that the state stays in
// registers instead of going through memory at every draw.
func pcgNext(hi, lo uint64) (nhi, nlo, x uint64) {
	const (
		mulHi    = 2549297995355413924
		mulLo    = 4865540595714422341
		incHi    = 6364136223846793005
		incLo    = 1442695040888963407
		cheapMul = 0xda942042e4dd58b5
	)
	h, l := bits.Mul64(lo, mulLo)
	h += hi*mulLo + lo*mulHi
	l, c := bits.Add64(l, incLo, 0)
	h, _ = bits.Add64(h, incHi, c)
	x = h
	x ^= x >> 32
	x *= cheapMul
	x ^= x >> 48
	x *= l | 1
	return h, l, x
}

// Float64 returns a uniform draw in [0, 1) from the top 53 bits.
func (r *fastRand) Float64() float64 { return float64(r.Uint64()>>11) * 0x1p-53 }

// ExpFloat64 returns a unit exponential draw by the ziggurat method: one
// 64-bit draw and a table look-up in about 99% of cases, the exact slow path
// of math/rand/v2 otherwise.
func (r *fastRand) ExpFloat64() float64 {
	u := r.Uint64()
	if j := uint32(u); j < zigKe[uint8(u>>32)] {
		return float64(j) * float64(zigWe[uint8(u>>32)])
	}
	return r.expSlow(u)
}

// expFast is the ziggurat's fast path for the 64 random bits u: the
// exponential draw and true, or false (about 1% of draws) when the caller
// must finish with expSlow(u). The hot loops write
//
//	u := rng.Uint64()
//	e, ok := expFast(u)
//	if !ok {
//		e = rng.expSlow(u)
//	}
//
// instead of calling ExpFloat64, which is too large to inline: a call costs
// more than the draw, since every value the loop holds in a register must be
// saved around it.
func expFast(u uint64) (float64, bool) {
	j, i := uint32(u), uint8(u>>32)
	return float64(j) * float64(zigWe[i]), j < zigKe[i]
}

// expSlow is the rest of rand.Rand.ExpFloat64's loop, from a first draw u
// that fell outside the ziggurat's rectangles.
func (r *fastRand) expSlow(u uint64) float64 {
	j, i := uint32(u), uint8(u>>32)
	for {
		x := float64(j) * float64(zigWe[i])
		if j < zigKe[i] {
			return x
		}
		if i == 0 {
			return zigRe - math.Log(r.std.Float64())
		}
		if zigFe[i]+float32(r.std.Float64())*(zigFe[i-1]-zigFe[i]) < float32(math.Exp(-x)) {
			return x
		}
		u := r.Uint64()
		j, i = uint32(u), uint8(u>>32)
	}
}

// gammaMean1 draws a multiplier with mean 1 and variance v from a gamma
// distribution (Marsaglia and Tsang); 1 when v is 0.
func (r *fastRand) gammaMean1(v float64) float64 {
	if v <= 0 {
		return 1
	}
	shape := 1 / v
	boost := 1.0
	if shape < 1 { // gamma(a) = gamma(a+1) · U^(1/a)
		boost = math.Pow(r.Float64(), 1/shape)
		shape++
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.std.NormFloat64()
		v3 := 1 + c*x
		if v3 <= 0 {
			continue
		}
		v3 = v3 * v3 * v3
		u := r.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v3+math.Log(v3)) {
			return d * v3 * boost * v
		}
	}
}
