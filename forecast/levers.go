package forecast

import (
	"math"
	"slices"

	"sufficiency/care"
)

// Levers change one council's fitted rates month by month, inside the
// simulation: a scenario's entries, exits and moves are drawn from the
// changed hazards, so everything downstream of a changed event (the child's
// later moves, ageing, exit) follows from the model. Every schedule has one
// value per projection month: index m is the month ending at Months[m+1]
// (m = 0 is the first month after the origin). A nil schedule leaves the
// rate as fitted. Levers are plain numbers; package scenario turns dated
// scenario levers into them.
type Levers struct {
	// Entry multiplies the entry rate of children of each year of age at
	// entry: Entry[age][m] (age 0–17; a nil row is 1 throughout).
	Entry [][]float64
	// Arrivals adds entrants per day of each year of age in each month
	// (e.g. unaccompanied asylum-seeking children): Arrivals[age][m]. Their
	// first placement group is drawn like any entrant's of that age.
	Arrivals [][]float64
	// Exit multiplies the hazard of leaving care by each reason
	// (ExitReasons order): Exit[reason][m]; a nil row is 1 throughout.
	Exit [][]float64
	// Moves add hazards of moving out of one group (e.g. residential step
	// down to fostering).
	Moves []MoveLever
	// Redirect sends a share of the placements made into one group (first
	// placements of entrants and moves) to other groups instead (e.g.
	// in-house foster places recruited replace agency placements).
	Redirect []RedirectLever
}

// MoveLever is an extra hazard of moving from group From to the groups
// weighted by To (one weight per group of the model; normalised).
type MoveLever struct {
	From   int
	To     []float64
	PerDay []float64 // extra hazard per day, by month
}

// RedirectLever sends Share[m] of the placements into group From in month m
// to the groups weighted by To instead.
type RedirectLever struct {
	From  int
	To    []float64
	Share []float64 // by month, 0–1
}

// check reports the first schedule that does not fit the model.
func (l *Levers) check(ng, months int) error {
	rows := func(what string, rr [][]float64, n int, lo float64) error {
		if len(rr) > n {
			return care.Errorf(care.EINVALID, "levers: %s has %d rows; the model has %d", what, len(rr), n)
		}
		for i, r := range rr {
			if r == nil {
				continue
			}
			if len(r) != months {
				return care.Errorf(care.EINVALID, "levers: %s row %d has %d months; the projection has %d", what, i, len(r), months)
			}
			for _, v := range r {
				if !(v >= lo) || math.IsInf(v, 0) {
					return care.Errorf(care.EINVALID, "levers: %s row %d has %v; give a finite value of at least %v", what, i, v, lo)
				}
			}
		}
		return nil
	}
	if err := rows("entry multiplier", l.Entry, 18, 0); err != nil {
		return err
	}
	if err := rows("arrivals", l.Arrivals, 18, 0); err != nil {
		return err
	}
	if err := rows("exit multiplier", l.Exit, len(ExitReasons), 0); err != nil {
		return err
	}
	for _, mv := range l.Moves {
		if mv.From < 0 || mv.From >= ng || len(mv.To) != ng || len(mv.PerDay) != months {
			return care.Errorf(care.EINVALID, "levers: a move lever needs a group, %d destination weights and %d monthly hazards", ng, months)
		}
		if err := rows("move hazard", [][]float64{mv.PerDay}, 1, 0); err != nil {
			return err
		}
	}
	for _, rd := range l.Redirect {
		if rd.From < 0 || rd.From >= ng || len(rd.To) != ng || len(rd.Share) != months {
			return care.Errorf(care.EINVALID, "levers: a redirect lever needs a group, %d destination weights and %d monthly shares", ng, months)
		}
		for _, v := range rd.Share {
			if !(v >= 0 && v <= 1) {
				return care.Errorf(care.EINVALID, "levers: redirect share %v; give 0 to 1", v)
			}
		}
		tot := 0.0
		for _, v := range rd.To {
			if !(v >= 0) || math.IsInf(v, 0) {
				return care.Errorf(care.EINVALID, "levers: redirect destination weight %v; give a finite weight of 0 or more", v)
			}
			tot += v
		}
		if !(tot > 0) {
			return care.Errorf(care.EINVALID, "levers: a redirect lever needs a destination: its weights are all 0")
		}
	}
	return nil
}

// cellKey is what a month's cell hazards depend on: the exit multipliers,
// the move hazards and, when the redirects are in the cells' tables
// (atDraw false), the redirect shares of that month.
func (l *Levers) cellKey(m int, atDraw bool) []float64 {
	if l == nil {
		return nil
	}
	var k []float64
	for _, r := range l.Exit {
		if r != nil {
			k = append(k, r[m])
		}
	}
	for _, mv := range l.Moves {
		k = append(k, mv.PerDay[m])
	}
	if !atDraw {
		for _, rd := range l.Redirect {
			k = append(k, rd.Share[m])
		}
	}
	return k
}

// redirectsAtDraw is whether the simulator applies l's redirects when a
// placement is drawn (see simCouncil.redirects) rather than in the cells'
// tables: always, unless a redirect has no destination weight (the tables
// then lose the redirected share, which a draw cannot mirror) or the
// package's switch, which tests turn off to compare the two, is off.
func (l *Levers) redirectsAtDraw() bool {
	if l == nil || len(l.Redirect) == 0 || !redirectAtDraw {
		return false
	}
	for _, rd := range l.Redirect {
		if sum := sum(rd.To); !(sum > 0) {
			return false
		}
	}
	return true
}

// epochs splits the projection's months into runs with the same cell
// hazards: it returns each month's epoch and each epoch's first month.
func (l *Levers) epochs(months int) (of []int, first []int) {
	of = make([]int, months)
	first = []int{0}
	atDraw := l.redirectsAtDraw()
	prev := l.cellKey(0, atDraw)
	for m := 1; m < months; m++ {
		k := l.cellKey(m, atDraw)
		if !slices.Equal(k, prev) {
			first = append(first, m)
		}
		of[m] = len(first) - 1
		prev = k
	}
	return of, first
}

// redirect moves shares of the weights w (one per group) as the levers say
// in month m.
func (l *Levers) redirect(w []float64, m int) {
	if l == nil {
		return
	}
	for _, rd := range l.Redirect {
		s := rd.Share[m]
		if s <= 0 || w[rd.From] <= 0 {
			continue
		}
		moved := w[rd.From] * s
		w[rd.From] -= moved
		tot := 0.0
		for _, v := range rd.To {
			tot += v
		}
		if tot <= 0 {
			continue
		}
		for g, v := range rd.To {
			w[g] += moved * v / tot
		}
	}
}

// keep copies each simulation's stocks by group and its flows out of the
// simulations' raw counts (see CouncilProjection.Sims).
func (s *simulator) keep(buf []int32, sims int) []int32 {
	nS := s.nb * s.ng
	stride := (nS + 2 + s.nr) * s.k
	rows := SimRows(s.ng)
	out := make([]int32, sims*rows*s.k)
	for sim := 0; sim < sims; sim++ {
		src := buf[sim*stride : (sim+1)*stride]
		dst := out[sim*rows*s.k : (sim+1)*rows*s.k]
		for b := 0; b < s.nb; b++ {
			for g := 0; g < s.ng; g++ {
				row := src[(b*s.ng+g)*s.k : (b*s.ng+g+1)*s.k]
				d := dst[g*s.k : (g+1)*s.k]
				for k, v := range row {
					d[k] += v
				}
			}
		}
		copy(dst[s.ng*s.k:], src[nS*s.k:])
	}
	return out
}
