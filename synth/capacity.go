package synth

import (
	"math"
	"sync"

	"sufficiency/care"
	"sufficiency/refdata"
)

// Registered places bound how many children live in a setting at any date.
// Councils are generated independently (and in parallel), so each setting's
// places are shared out between the councils that could use it before any
// council runs: every council then keeps its own children within its share,
// and the shares of a setting add up to at most its registered places. The
// shares depend only on the reference data (every English council's
// published stock and placement mix, and where the settings are), not on
// the seed or on which councils are generated, so a council's output is the
// same whether it is generated alone or with the rest of England.

// capacityKind reports whether a setting's registered places bound its
// residents: children's homes, secure homes and residential special schools.
// Supported accommodation is registered by service, not by places (its
// places are not published), so it is not bounded.
func capacityKind(k care.ProvisionKind) bool {
	return k == care.KindChildrensHome || k == care.KindSecureHome || k == care.KindResidentialSchool
}

// capacityReach is how far (miles from a council's centre) a council's share
// of places may lie, as the candidate settings of a council (newSim).
const capacityReach = 150.0

// placeHeadroom is how many places a council is given for each child it has
// in a kind at 31 March (published mix): turnover, growth and the feedback
// on the mix need room above the average.
const placeHeadroom = 1.4

// allocatePlaces shares the places of every capacity-bounded setting of w
// between the councils ins, in proportion to each council's demand for the
// kind and an affinity that falls with distance (a council's own settings
// most of all), balanced (Sinkhorn scaling) so that each council is offered
// about its demand where the places allow and no setting gives more than its
// places. Settings are shared out in the order they were registered (those
// registered by 2014 first, then year by year), each cohort going to the
// councils still short of places, so that the places open in the early years
// of a run are shared as widely as the later ones; places left over at the
// end are shared once more as spare. It returns, per council code, the whole
// places of each setting (index into w.Homes) the council may use.
func allocatePlaces(w *World, ins []*CouncilInput) map[string]map[int32]int {
	type cell struct {
		c int   // council index
		h int32 // home index
		k Kind
		a float64
	}
	kindOf := map[care.ProvisionKind]Kind{care.KindChildrensHome: KindChildrensHome, care.KindSecureHome: KindSecure, care.KindResidentialSchool: KindResidentialSchool}
	// Demand of each council for each kind: peak stock × published share.
	demand := make([][nKinds]float64, len(ins))
	for i, in := range ins {
		var peak float64
		for _, t := range in.Targets {
			peak = math.Max(peak, t.Stock)
		}
		for k := Kind(0); k < nKinds; k++ {
			demand[i][k] = peak * in.Mix[k] * placeHeadroom
		}
		demand[i][KindSecure] += 0.5 // youth justice remands and short stays
	}
	need := make([][nKinds]float64, len(ins))
	copy(need, demand)
	const first, last = 2014, 2025
	// Cells by registration cohort; then the homes that closed
	// (closedHomes); the last is the spare pass.
	cohorts := make([][]int, last-first+3)
	closedPass := len(cohorts) - 2
	var cells []cell
	for hi := range w.Homes {
		h := &w.Homes[hi]
		if !capacityKind(h.Kind) || h.Places <= 0 {
			continue
		}
		y := first
		if h.Registered != noDay {
			ry, _, _ := h.Registered.civil()
			y = min(max(ry, first), last)
		}
		for ci, in := range ins {
			d := miles(in.Easting, in.Northing, h.Easting, h.Northing)
			if d > capacityReach {
				continue
			}
			a := math.Exp(-d / 15)
			if h.Council == in.Code {
				a *= 4
			}
			if h.Closed != noDay {
				cohorts[closedPass] = append(cohorts[closedPass], len(cells))
			} else {
				cohorts[y-first] = append(cohorts[y-first], len(cells))
			}
			cohorts[len(cohorts)-1] = append(cohorts[len(cohorts)-1], len(cells))
			cells = append(cells, cell{ci, int32(hi), kindOf[h.Kind], a})
		}
	}
	left := make([]int, len(w.Homes))
	for i := range w.Homes {
		left[i] = w.Homes[i].Places
	}
	out := make(map[string]map[int32]int, len(ins))
	for _, in := range ins {
		out[in.Code] = map[int32]int{}
	}
	row := make([]float64, len(ins)*int(nKinds))
	col := make([]float64, len(w.Homes))
	q := make([]float64, len(cells))
	for n, idx := range cohorts {
		spare := n == len(cohorts)-1
		closedHomes := n == closedPass
		target := func(c int, k Kind) float64 {
			switch {
			case spare:
				return demand[c][k] * 0.5
			case closedHomes:
				return demand[c][k]
			}
			return math.Max(need[c][k], 0)
		}
		// Sinkhorn: scale councils' rows to their need, then homes' columns
		// down to their places left, a few rounds.
		for _, i := range idx {
			q[i] = cells[i].a
		}
		for round := 0; round < 30; round++ {
			for _, i := range idx {
				row[cells[i].c*int(nKinds)+int(cells[i].k)] = 0
			}
			for _, i := range idx {
				row[cells[i].c*int(nKinds)+int(cells[i].k)] += q[i]
			}
			for _, i := range idx {
				x := cells[i]
				if s := row[x.c*int(nKinds)+int(x.k)]; s > 0 {
					q[i] *= target(x.c, x.k) / s
				}
			}
			for _, i := range idx {
				col[cells[i].h] = 0
			}
			for _, i := range idx {
				col[cells[i].h] += q[i]
			}
			for _, i := range idx {
				if s, p := col[cells[i].h], float64(left[cells[i].h]); s > p {
					q[i] *= p / s
				}
			}
		}
		// Whole places: each council's share of a setting rounded down, and
		// the fractions left over drawn by systematic sampling (a random
		// start keyed by URN): a council gets an extra place with the chance
		// of its fraction, so councils with many small shares (London) get
		// their due on average, and a setting never gives more than its
		// places. Cells are in home order, then council order.
		var acc, u float64
		home := int32(-1)
		for _, i := range idx {
			x := cells[i]
			if x.h != home {
				home, acc = x.h, 0
				u = newRand(uint64(n), "places:"+w.Homes[x.h].URN).Float64()
			}
			whole := math.Floor(q[i])
			f := q[i] - whole
			share := int(whole)
			if math.Ceil(acc+f-u) > math.Ceil(acc-u) {
				share++
			}
			acc += f
			share = min(share, left[x.h])
			if share <= 0 {
				continue
			}
			left[x.h] -= share
			if !closedHomes {
				need[x.c][x.k] -= float64(share)
			}
			out[ins[x.c].Code][x.h] += share
		}
	}
	return out
}

var englandPlaces struct {
	sync.Once
	q   map[string]map[int32]int
	err error
}

// placesFromRefdata returns the shares of registered places of every English
// council in the reference world (computed once).
func placesFromRefdata() (map[string]map[int32]int, error) {
	englandPlaces.Do(func() {
		var ins []*CouncilInput
		for _, c := range refdata.Councils() {
			in, err := CouncilFromRefdata(c.Code, MinYear, MaxYear)
			if err != nil {
				englandPlaces.err = err
				return
			}
			ins = append(ins, in)
		}
		englandPlaces.q = allocatePlaces(WorldFromRefdata(), ins)
	})
	return englandPlaces.q, englandPlaces.err
}

// span is a child's stay in a capacity-bounded setting: [from, to), to is
// open (maxDay) until the child leaves.
type span struct {
	c        *child
	from, to day
}

const maxDay = day(math.MaxInt32)

// free reports whether the council may place one more child in home h on day
// d: with the stays recorded so far (open ones counted as lasting), the
// council's share of h is not full on d or on any later day.
func (s *sim) free(h int32, d day) bool {
	q := s.quota[h]
	if q <= 0 {
		return false
	}
	sp := s.occ[h]
	if len(sp) < q {
		return true
	}
	count := func(t day) int {
		n := 0
		for _, x := range sp {
			if x.from <= t && t < x.to {
				n++
			}
		}
		return n
	}
	if count(d) >= q {
		return false
	}
	for _, x := range sp {
		if x.from > d && count(x.from) >= q {
			return false
		}
	}
	return true
}

// settle records where c lives from day d: it ends c's stay in a bounded
// setting it has left and begins one in the setting of its open episode.
// Temporary episodes keep the place held.
func (s *sim) settle(c *child, d day) {
	h := int32(-1)
	if len(c.eps) > 0 {
		if e := c.cur(); e.home > 0 {
			h = e.home - 1
		}
	}
	if h == c.inHome {
		return
	}
	s.vacate(c, d)
	if h >= 0 {
		s.occ[h] = append(s.occ[h], span{c: c, from: d, to: maxDay})
		c.inHome = h
	}
}

// vacate ends c's stay in a bounded setting on day d.
func (s *sim) vacate(c *child, d day) {
	if c.inHome < 0 {
		return
	}
	sp := s.occ[c.inHome]
	for i := range sp {
		if sp[i].c == c && sp[i].to == maxDay {
			sp[i].to = d
		}
	}
	c.inHome = -1
}

// pruneStays forgets stays that ended on or before day d (no later placement
// starts before it).
func (s *sim) pruneStays(d day) {
	for h, sp := range s.occ {
		kept := sp[:0]
		for _, x := range sp {
			if x.to > d {
				kept = append(kept, x)
			}
		}
		for i := len(kept); i < len(sp); i++ {
			sp[i] = span{}
		}
		s.occ[h] = kept
	}
}
