package match

import (
	"math"
	"slices"
	"time"

	"sufficiency/care"
)

// light is an eligible provision being ranked: its vacancy, distance and
// score (or, before it is scored, a lower bound of the score).
type light struct {
	k, vac, free int32
	miles, score float64
}

// byScore orders ranked provisions by score, then provision id.
func (ix *Index) byScore(a, b light) int {
	if a.score != b.score {
		if a.score < b.score {
			return -1
		}
		return 1
	}
	return int(ix.idOrder[a.k] - ix.idOrder[b.k])
}

// rank scores every provision of ranked and sorts them, best first.
func (ix *Index) rank(ref care.Referral, rp *referralPoints, ranked []light, at, now time.Time) []light {
	scratch := make([]Part, 0, 8)
	for n := range ranked {
		l := &ranked[n]
		l.score = ix.score(ref, rp, &ix.provs[l.k], int(l.vac), int(l.free), at, now, l.miles, scratch[:0]).Score
	}
	slices.SortFunc(ranked, ix.byScore)
	return ranked
}

// explained is the candidate, with its parts, of l, an eligible provision
// of a search for ref at at (zero: the referral's start; Options.Now zero)
// made with scoresOnly.
func (ix *Index) explained(ref care.Referral, l light, at time.Time) (Candidate, error) {
	rp, err := ix.locateReferral(ref)
	if err != nil {
		return Candidate{}, err
	}
	if at.IsZero() {
		at = ref.Start()
	}
	return ix.score(ref, &rp, &ix.provs[l.k], int(l.vac), int(l.free), at, at, l.miles, nil), nil
}

// rankLazily returns the best top of ranked (more than top provisions,
// each holding a lower bound of its score), scored and sorted as rank
// would, scoring only the provisions that can reach them: the top with
// the lowest bounds are scored first; the worst of their scores, w, is
// then beaten or equalled only by provisions whose bound is at most w,
// so the others are never scored.
func (ix *Index) rankLazily(ref care.Referral, rp *referralPoints, ranked []light, top int, at, now time.Time) []light {
	// The top lowest bounds: a max-heap of positions in ranked.
	heap := make([]int, 0, top)
	worse := func(i, j int) bool { return ranked[heap[i]].score > ranked[heap[j]].score }
	down := func(i int) {
		for {
			c := 2*i + 1
			if c >= len(heap) {
				return
			}
			if c+1 < len(heap) && worse(c+1, c) {
				c++
			}
			if !worse(c, i) {
				return
			}
			heap[i], heap[c] = heap[c], heap[i]
			i = c
		}
	}
	for n := range ranked {
		switch {
		case len(heap) < top:
			heap = append(heap, n)
			for i := len(heap) - 1; i > 0 && worse(i, (i-1)/2); i = (i - 1) / 2 {
				heap[i], heap[(i-1)/2] = heap[(i-1)/2], heap[i]
			}
		case ranked[n].score < ranked[heap[0]].score:
			heap[0] = n
			down(0)
		}
	}
	scratch := make([]Part, 0, 8)
	scoreOf := func(l *light) float64 {
		return ix.score(ref, rp, &ix.provs[l.k], int(l.vac), int(l.free), at, now, l.miles, scratch[:0]).Score
	}
	scored := make([]bool, len(ranked))
	w := math.Inf(-1)
	for _, n := range heap {
		s := scoreOf(&ranked[n])
		w = max(w, s)
		ranked[n].score, scored[n] = s, true
	}
	// The margin covers rounding: the bound adds the parts in another order
	// than score does.
	limit := w + 1e-9*(1+math.Abs(w))
	out := make([]light, 0, 2*top)
	for n := range ranked {
		l := ranked[n]
		if !scored[n] {
			if l.score > limit {
				continue
			}
			l.score = scoreOf(&l)
		}
		out = append(out, l)
	}
	slices.SortFunc(out, ix.byScore)
	return out
}

// scoreBound is the least the parts of a score other than distance can
// add for the referral under the policy (so a provision's score is at
// least miles × DistancePerMile + scoreBound), or −Inf when a negative
// weight leaves a part unbounded (cost per 10% over the benchmark, or per
// mile beyond the school's reach). The bound is exact but for rounding,
// which rankLazily's margin covers.
func (p *Policy) scoreBound(ref care.Referral, school bool) float64 {
	if p.CostPer10PctOver < 0 || ref.KeepSchool && school && p.SchoolPerMile < 0 {
		return math.Inf(-1)
	}
	low := func(xs ...float64) float64 {
		m := 0.0
		for _, x := range xs {
			m = min(m, x)
		}
		return m
	}
	b := low(p.OutOfArea) // in area
	if ref.KeepSchool && school {
		b += low(p.SchoolMove)
	}
	b += 0 + low(p.NotPreferredType) + low(p.ResidentialForLowerNeeds) + low(p.FosterWithoutSpecialism) // needs fit
	b += low(3 * p.CostPer10PctUnder)                                                                   // cost
	b += low(p.RatingOutstanding, p.RatingGood, p.RatingRI, p.RatingInadequate, p.RatingNone)
	b += 0 + low(p.NewHome) + low(p.StaleVacancy) // stability
	return b
}
