package forecast

import (
	"math"
	"math/bits"
	"math/rand/v2"
)

// fastRand is the simulator's random stream: wyrand (Wang Yi's generator
// from wyhash, the one Go's runtime uses for its cheaprand), a Weyl
// sequence of 64-bit states s += γ mixed by one 64×64→128-bit multiply
// whose two halves are folded together. Its one word of state stays in a
// register in the per-child loop, and a draw costs one multiply (the
// PCG-DXSM generator it replaces took three and two words of state). Its
// author reports that it passes the BigCrush and PractRand batteries; every
// one of the 2⁶⁴ states is visited once per period of 2⁶⁴ draws. The streams of the simulations
// start at states spread over that period by a hash of their two seeds
// (seed), so two streams share draws only if their starting states fall
// within a few thousand steps of each other: for a projection of England
// (about 153,000 streams of about 10⁴ draws) a chance of about 10⁻⁵, and a
// shared stretch would only make two simulations' draws alike for a while.
// TestFastRandStream and TestFastRandUniformIndependent check a reference
// vector, reproducibility and the uniformity and independence of the draws.
type fastRand struct {
	s   uint64     // the Weyl sequence's state
	std *rand.Rand // the same stream through math/rand/v2, for the rare gamma and normal draws
}

// wyrand's Weyl increment and output mixing constant.
const (
	wyInc = 0xa0761d6478bd642f
	wyMix = 0xe7037ed1a0b428db
)

// newFastRand returns a stream seeded by (seed1, seed2), as seed.
func newFastRand(seed1, seed2 uint64) *fastRand {
	r := &fastRand{}
	r.seed(seed1, seed2)
	r.std = rand.New(r)
	return r
}

// seed restarts the stream at a state that is a hash of (seed1, seed2):
// the simulator seeds one stream per (projection seed and council,
// simulation number).
func (r *fastRand) seed(seed1, seed2 uint64) {
	r.s = mix64(seed1 ^ mix64(seed2+wyInc))
}

// mix64 is SplitMix64's finaliser (Stafford's variant 13), a bijection of
// 64-bit words with full avalanche.
func mix64(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// Uint64 returns the next 64 random bits (rand.Source).
func (r *fastRand) Uint64() uint64 {
	var x uint64
	r.s, x = wyNext(r.s)
	return x
}

// wyNext is one step of the generator as a function of its state: the next
// state and the 64 random bits. The per-child loop holds the state in a
// local variable and calls it directly, so that the state stays in a
// register instead of going through memory at every draw.
func wyNext(s uint64) (next, x uint64) {
	s += wyInc
	hi, lo := bits.Mul64(s, s^wyMix)
	return s, hi ^ lo
}

// Float64 returns a uniform draw in [0, 1) from the top 53 bits.
func (r *fastRand) Float64() float64 { return float64(r.Uint64()>>11) * 0x1p-53 }

// ExpFloat64 returns a unit exponential draw by the ziggurat method: one
// 64-bit draw and a table look-up in about 99% of cases, the exact slow path
// of math/rand/v2 otherwise. It draws exactly what rand.Rand.ExpFloat64
// draws from the same stream.
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
			return zigRe - math.Log(r.stdFloat64())
		}
		if zigFe[i]+float32(r.stdFloat64())*(zigFe[i-1]-zigFe[i]) < float32(math.Exp(-x)) {
			return x
		}
		u := r.Uint64()
		j, i = uint32(u), uint8(u>>32)
	}
}

// stdFloat64 is rand.Rand.Float64 on this stream (the low 53 bits of a
// draw), without the call through the rand.Source interface.
func (r *fastRand) stdFloat64() float64 {
	return float64(r.Uint64()<<11>>11) / (1 << 53)
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
