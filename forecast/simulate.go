package forecast

import (
	"context"
	"hash/fnv"
	"math"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"sufficiency/care"
)

// yearDays is the length of a year used to age children in the projection.
const yearDays = 365.25

// SimOptions set up a projection.
type SimOptions struct {
	Years   int      // horizon in years, 1–5
	Sims    int      // Monte Carlo simulations, 1–100,000
	Seed    uint64   // results are identical for the same model, options and seed
	Workers int      // goroutines; default GOMAXPROCS
	Only    []string // councils to project (default all in the model); the roll-up sums them
	// Costs, when set, prices the projected children (see Costs) and gives
	// spend per projection year with intervals, and the gap to Budget.
	Costs *Costs
}

// Series is one quantity over the projection's months: the mean and
// percentiles over simulations, one value per month end (index 0 is the
// origin).
type Series struct {
	Name string    `json:"name"`
	Mean []float64 `json:"mean"`
	P10  []float64 `json:"p10"`
	P50  []float64 `json:"p50"`
	P90  []float64 `json:"p90"`
}

// CouncilProjection is the projection of one council (or the roll-up).
// Stocks are children in care at each month end: per state (age band ×
// placement group), per group, per age band and in total. Flows are counts in
// the month ending at each month end (index 0 is zero): entries and exits by
// reason, age18 included.
type CouncilProjection struct {
	Council string      `json:"council"`
	States  []Series    `json:"states"` // "band/group", e.g. "10-16/foster_agency"
	Groups  []Series    `json:"groups"`
	Bands   []Series    `json:"bands"`
	Total   Series      `json:"total"`
	Entries Series      `json:"entries"`
	Exits   []Series    `json:"exits"`           // by reason: ExitReasons then age18
	Spend   []SpendYear `json:"spend,omitempty"` // per projection year, when costs were given
}

// Projection is a Monte Carlo projection of the child-level model.
type Projection struct {
	Version  string               `json:"model_version"`
	Origin   time.Time            `json:"origin"`
	RefStart time.Time            `json:"reference_start"`
	RefEnd   time.Time            `json:"reference_end"`
	Seed     uint64               `json:"seed"`
	Sims     int                  `json:"sims"`
	Months   []time.Time          `json:"months"` // month ends; Months[0] is the origin
	Councils []*CouncilProjection `json:"councils"`
	RollUp   *CouncilProjection   `json:"rollup"`
}

// BandLabel returns an age band's label, e.g. "10-16".
func (m *Model) BandLabel(b int) string {
	return itoa(m.Config.AgeBands[b]) + "-" + itoa(m.Config.AgeBands[b+1])
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	s := ""
	for i > 0 {
		s = string(rune('0'+i%10)) + s
		i /= 10
	}
	return s
}

// simCouncil holds what the simulator needs of one council, in flat arrays.
type simCouncil struct {
	code     string
	moveTot  []float64 // total move hazard per cell
	exitTot  []float64 // total exit hazard per cell
	cum      []float64 // per cell: cumulative move hazards over groups, then cumulative exit hazards over reasons
	entVar   float64   // variance of the entry-rate multiplier
	exitVar  float64   // variance of the exit-rate multiplier
	entCum   []float64 // cumulative entry rates
	entAge   []float64 // age in years at entry of each entry cell
	entRate  float64
	entGuide []int32     // guide table into entCum (see entryCell)
	entScale float64     // len(entGuide) / entRate
	first    [][]float64 // cumulative first-group shares per band
	current  []simChild
	seed     uint64
}

type simChild struct {
	age0       float64 // age in days at the origin
	group      int
	groupStart float64 // days from the origin (≤ 0)
	band       int     // age band at the origin (−1 at 18 or over)
}

// simWork is one worker's scratch for running simulations.
type simWork struct {
	rng   *fastRand
	lam   []float64 // this simulation's total hazard per cell: moves + exit multiplier × exits
	delta []int32   // per state, +1/−1 at the first and past-the-last month end of each stay
}

func (s *simulator) newWork() *simWork {
	return &simWork{rng: newFastRand(0, 0), lam: make([]float64, s.nb*s.ng*s.nd), delta: make([]int32, s.nb*s.ng*(s.k+1))}
}

// simulator is shared by the workers of one projection.
type simulator struct {
	m       *Model
	nb, ng  int
	nd, nr  int
	edges   []float64 // age band edges in days
	durs    []float64 // duration band edges in days
	monthAt []int32   // first month index whose end is on or after day d
	months  []float64 // month ends in days from the origin
	horizon float64
	k       int // number of month ends including the origin
}

// Simulate projects the fitted model forward by Monte Carlo simulation of
// individual children: each child in care at the origin is carried forward
// with its own age and time in its placement group, new entrants arrive as a
// Poisson process, and each child's next move or exit is drawn from the
// piecewise-constant hazards of its age band, group and time in group;
// children leave at the last age band edge (18). Simulations are split over
// workers, each simulation with its own random stream seeded from (Seed,
// council, simulation number), so results do not depend on scheduling.
// It returns EINVALID for options out of range and ENOTFOUND for a council
// not in the model.
func Simulate(ctx context.Context, m *Model, opt SimOptions) (*Projection, error) {
	if opt.Years < 1 || opt.Years > 5 {
		return nil, care.Errorf(care.EINVALID, "projection horizon %d years: give 1 to 5 years", opt.Years)
	}
	if opt.Sims < 1 || opt.Sims > 100000 {
		return nil, care.Errorf(care.EINVALID, "%d simulations: give 1 to 100000 (1000 is usual)", opt.Sims)
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	councils := m.Councils
	if len(opt.Only) > 0 {
		councils = nil
		for _, code := range opt.Only {
			c, err := m.Council(code)
			if err != nil {
				return nil, err
			}
			councils = append(councils, c)
		}
	}
	s := m.newSimulator(opt.Years)
	p := &Projection{Version: m.Version, Origin: m.Config.Origin, RefStart: m.Config.RefStart, RefEnd: m.Config.RefEnd, Seed: opt.Seed, Sims: opt.Sims}
	for k := 0; k < s.k; k++ {
		p.Months = append(p.Months, monthEnd(m.Config.Origin, k))
	}
	nS := s.nb * s.ng
	nF := 1 + s.nr + 1 // entries, exits by reason, age18
	stride := (nS + nF) * s.k
	roll := make([]int32, opt.Sims*stride)
	if opt.Costs != nil {
		if err := opt.Costs.check(len(m.Groups)); err != nil {
			return nil, err
		}
	}
	// one worker's buffers
	type scratch struct {
		buf, gather []int32
		roll        []int32
		spend       []float64
		work        *simWork
	}
	newScratch := func() *scratch {
		sc := &scratch{buf: make([]int32, opt.Sims*stride), work: s.newWork()}
		if opt.Costs != nil {
			sc.spend = make([]float64, opt.Sims*opt.Years)
		}
		return sc
	}
	// finish summarises a council whose simulations are in st.buf.
	finish := func(code string, st *scratch, workers int) *CouncilProjection {
		cp := s.summarise(code, st.buf, opt.Sims, workers, &st.gather)
		if opt.Costs != nil {
			s.spend(st.buf, opt.Sims, opt.Years, opt.Costs, st.spend)
			cp.Spend = spendYears(st.spend, opt.Sims, opt.Years, opt.Costs, p.Months)
		}
		return cp
	}
	p.Councils = make([]*CouncilProjection, len(councils))
	if len(councils) >= 2*opt.Workers && opt.Workers > 1 {
		// many councils: each worker takes whole councils, the largest
		// first (less time with one worker idle at the end)
		order := make([]int, len(councils))
		work := make([]float64, len(councils))
		for i, cm := range councils {
			order[i] = i
			work[i] = float64(len(cm.Current))
			for _, e := range cm.Entries {
				work[i] += e.PerDay * s.horizon
			}
		}
		sort.SliceStable(order, func(a, b int) bool { return work[order[a]] > work[order[b]] })
		var next atomic.Int64
		var wg sync.WaitGroup
		rolls := make([][]int32, opt.Workers)
		for w := 0; w < opt.Workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				st := newScratch()
				st.roll = make([]int32, opt.Sims*stride)
				rolls[w] = st.roll
				for {
					n := int(next.Add(1) - 1)
					if n >= len(councils) || ctx.Err() != nil {
						return
					}
					i := order[n]
					sc := s.prepare(councils[i], opt.Seed)
					clear(st.buf)
					for sim := 0; sim < opt.Sims; sim++ {
						s.run(sc, sim, st.work, st.buf[sim*stride:(sim+1)*stride])
					}
					for j, v := range st.buf {
						st.roll[j] += v
					}
					p.Councils[i] = finish(councils[i].Council, st, 1)
				}
			}(w)
		}
		wg.Wait()
		for _, r := range rolls {
			for j, v := range r {
				roll[j] += v
			}
		}
	} else {
		// few councils: the simulations of each council are split over workers
		st := newScratch()
		works := make([]*simWork, opt.Workers)
		for w := range works {
			works[w] = s.newWork()
		}
		for i, cm := range councils {
			if ctx.Err() != nil {
				break
			}
			sc := s.prepare(cm, opt.Seed)
			clear(st.buf)
			var wg sync.WaitGroup
			for w := 0; w < opt.Workers; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for sim := w; sim < opt.Sims; sim += opt.Workers {
						s.run(sc, sim, works[w], st.buf[sim*stride:(sim+1)*stride])
					}
				}(w)
			}
			wg.Wait()
			for j, v := range st.buf {
				roll[j] += v
			}
			p.Councils[i] = finish(cm.Council, st, opt.Workers)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, care.WrapError(care.EINTERNAL, err, "projection cancelled")
	}
	st := &scratch{buf: roll}
	if opt.Costs != nil {
		st.spend = make([]float64, opt.Sims*opt.Years)
	}
	p.RollUp = finish("all", st, opt.Workers)
	return p, nil
}

// monthEnd returns the last day of the k-th month after the origin's month,
// or the origin for k = 0.
func monthEnd(origin time.Time, k int) time.Time {
	if k == 0 {
		return origin
	}
	first := time.Date(origin.Year(), origin.Month(), 1, 0, 0, 0, 0, time.UTC)
	return first.AddDate(0, k+1, -1)
}

func (m *Model) newSimulator(years int) *simulator {
	s := &simulator{m: m, nb: m.NumBands(), ng: m.NumGroups(), nd: m.NumDurations(), nr: len(ExitReasons), k: 12*years + 1}
	for _, e := range m.Config.AgeBands {
		s.edges = append(s.edges, float64(e)*yearDays)
	}
	for _, d := range m.Config.DurationBands {
		s.durs = append(s.durs, float64(d))
	}
	for k := 0; k < s.k; k++ {
		s.months = append(s.months, math.Round(days(m.Config.Origin, monthEnd(m.Config.Origin, k))))
	}
	s.horizon = s.months[s.k-1]
	s.monthAt = make([]int32, int(s.horizon)+3)
	k := 0
	for d := range s.monthAt {
		for k < s.k && s.months[k] < float64(d) {
			k++
		}
		s.monthAt[d] = int32(k)
	}
	return s
}

// month returns the first month index whose end is on or after time t
// (days from the origin); s.k when past the horizon.
func (s *simulator) month(t float64) int {
	d := int(math.Ceil(t))
	if d < 0 {
		d = 0
	}
	if d >= len(s.monthAt) {
		return s.k
	}
	return int(s.monthAt[d])
}

func (s *simulator) prepare(cm *CouncilModel, seed uint64) *simCouncil {
	nc := s.nb * s.ng * s.nd
	w := s.ng + s.nr
	sc := &simCouncil{code: cm.Council, moveTot: make([]float64, nc), exitTot: make([]float64, nc), cum: make([]float64, nc*w),
		entVar: cm.EntryVar, exitVar: cm.ExitVar}
	h := fnv.New64a()
	h.Write([]byte(cm.Council))
	sc.seed = seed ^ h.Sum64()
	for c := 0; c < nc; c++ {
		acc := 0.0
		for j := 0; j < s.ng; j++ {
			if j != (c/s.nd)%s.ng { // a move to the same group is not a move
				acc += cm.Move[c*s.ng+j]
			}
			sc.cum[c*w+j] = acc
		}
		sc.moveTot[c] = acc
		acc = 0
		for j := 0; j < s.nr; j++ {
			acc += cm.Exit[c*s.nr+j]
			sc.cum[c*w+s.ng+j] = acc
		}
		sc.exitTot[c] = acc
	}
	for _, e := range cm.Entries {
		sc.entRate += e.PerDay
		sc.entCum = append(sc.entCum, sc.entRate)
		sc.entAge = append(sc.entAge, float64(e.Age))
	}
	for b := range cm.FirstGroup {
		acc := 0.0
		row := make([]float64, s.ng)
		for g, v := range cm.FirstGroup[b] {
			acc += v
			row[g] = acc
		}
		sc.first = append(sc.first, row)
	}
	if sc.entRate > 0 {
		// guide table: entGuide[i] is the first entry cell whose cumulative
		// rate exceeds the start of slot i−1 of entRate/len(entGuide)
		// (one slot of slack against rounding), so the search starts there
		sc.entGuide = make([]int32, 4*len(sc.entCum))
		sc.entScale = float64(len(sc.entGuide)) / sc.entRate
		j := 0
		for i := range sc.entGuide {
			lo := float64(i-1) / sc.entScale
			for j < len(sc.entCum)-1 && sc.entCum[j] <= lo {
				j++
			}
			sc.entGuide[i] = int32(j)
		}
	}
	origin := s.m.Config.Origin
	for _, c := range cm.Current {
		age0 := days(c.DOB, origin)
		sc.current = append(sc.current, simChild{age0: age0, group: c.Group, groupStart: -days(c.InGroupSince, origin), band: s.band(age0)})
	}
	return sc
}

// run does one simulation of one council into out (stocks by state and
// month, then flows), using wk as scratch.
func (s *simulator) run(sc *simCouncil, sim int, wk *simWork, out []int32) {
	clear(wk.delta)
	rng := wk.rng
	rng.seed(sc.seed, uint64(sim))
	// this simulation's rate multipliers: the uncertainty of the rates
	mEnt, mExit := rng.gammaMean1(sc.entVar), rng.gammaMean1(sc.exitVar)
	for c, mv := range sc.moveTot {
		wk.lam[c] = mv + mExit*sc.exitTot[c]
	}
	entRate := sc.entRate * mEnt
	flows := out[s.nb*s.ng*s.k:]
	for _, c := range sc.current {
		if c.band >= 0 {
			s.child(sc, wk, mExit, c.age0, c.group, c.groupStart, 0, c.band, 0, flows)
		}
	}
	if entRate > 0 {
		t := rng.ExpFloat64() / entRate
		for t <= s.horizon {
			i := sc.entryCell(rng.Float64() * sc.entRate)
			ageDays := (sc.entAge[i] + rng.Float64()) * yearDays
			b := s.band(ageDays)
			if b >= 0 {
				g := pick(sc.first[b], rng.Float64()*sc.first[b][s.ng-1])
				k := s.month(t)
				flows[k]++ // entries
				s.child(sc, wk, mExit, ageDays-t, g, t, t, b, k, flows)
			}
			t += rng.ExpFloat64() / entRate
		}
	}
	// stocks: prefix sums of the deltas
	kk := s.k + 1
	delta := wk.delta
	for st := 0; st < s.nb*s.ng; st++ {
		acc := int32(0)
		for k := 0; k < s.k; k++ {
			acc += delta[st*kk+k]
			out[st*s.k+k] = acc
		}
	}
}

// entryCell returns the first entry cell whose cumulative rate exceeds u
// (the last cell if none does): the cell of an entrant, given u uniform on
// [0, entRate). The guide table gives a starting cell at or before the
// answer, from which a short forward scan finds it; the result is exactly
// that of a binary search over entCum.
func (sc *simCouncil) entryCell(u float64) int {
	cum := sc.entCum
	gi := int(u * sc.entScale)
	if gi >= len(sc.entGuide) {
		gi = len(sc.entGuide) - 1
	}
	j := int(sc.entGuide[gi])
	for j < len(cum)-1 && cum[j] <= u {
		j++
	}
	return j
}

// pick returns the first index whose cumulative value exceeds u (the last
// if none does), for a non-decreasing cum. It counts the values at or below
// u instead of stopping at the first above it: the same answer, without a
// branch that the processor cannot predict (the comparison compiles to a
// flag set), which is about twice as fast.
func pick(cum []float64, u float64) int {
	n := 0
	for _, v := range cum {
		if v <= u {
			n++
		}
	}
	return min(n, len(cum)-1)
}

// band returns the age band of an age in days, or -1 at or past the last edge.
func (s *simulator) band(age float64) int {
	if age >= s.edges[s.nb] {
		return -1
	}
	b := 0 // counted without branches, as in pick
	for _, e := range s.edges[1:s.nb] {
		if age >= e {
			b++
		}
	}
	return b
}

// child simulates one child from time t (days from the origin) to leaving
// care or the horizon, recording its stay in each state in wk.delta and its
// exit in flows. The hazards are piecewise constant: constant within a
// segment of time between two of the child's boundaries (the next age band
// edge, the next duration band edge in its group, the horizon). One unit
// exponential e is drawn per event and used up by the cumulative hazard
// across segments: if e exceeds a segment's hazard λ·(length) it is reduced
// by that and the child crosses the boundary; otherwise the event happens at
// t + e/λ and one uniform, scaled to λ, picks which move or exit it is from
// the cell's cumulative hazards. This is exact for piecewise-constant
// hazards. λ per cell (moves + this simulation's exit multiplier × exits) is
// precomputed per simulation in wk.lam. b is the child's age band at t
// (≥ 0) and kStart the first month end at or after t, which the caller has
// already worked out.
//
// Tried and not kept (no faster on this machine, see docs/bench/forecast.md):
// inverting a per-state cumulative hazard table over the duration bands,
// which halves the loop's iterations but not its cost; generating the random
// stream in blocks ahead of use. The loop's cost is mostly branches whose
// outcome is random (event or boundary, move or exit), not arithmetic.
func (s *simulator) child(sc *simCouncil, wk *simWork, mExit, age0 float64, g int, groupStart, t float64, b, kStart int, flows []int32) {
	// local copies: the compiler cannot keep fields in registers across the
	// stores to delta
	ng, nd, nb, nr, nk := s.ng, s.nd, s.nb, s.nr, s.k
	kk := nk + 1
	w := ng + nr
	edges, durs, horizon, monthAt := s.edges, s.durs, s.horizon, s.monthAt
	moveTot, lamT, cum, delta, rng := sc.moveTot, wk.lam, sc.cum, wk.delta, wk.rng
	month := func(t float64) int {
		d := int(t)
		if float64(d) < t {
			d++
		}
		if d < 0 {
			d = 0
		}
		if d >= len(monthAt) {
			return nk
		}
		return int(monthAt[d])
	}
	d := 0 // the duration band, counted without branches as in pick
	for _, x := range durs[1:nd] {
		if t-groupStart >= x {
			d++
		}
	}
	inf := math.Inf(1)
	// the boundaries ahead: the next age band edge and duration band edge
	ageEnd, durEnd := edges[b+1]-age0, inf
	if d+1 < nd {
		durEnd = groupStart + durs[d+1]
	}
	u := rng.Uint64()
	e, ok := expFast(u) // hazard still to be used up before the next event
	if !ok {
		e = rng.expSlow(u)
	}
	for {
		// the segment ends at the first boundary; on a tie the horizon
		// comes before an age edge, which comes before a duration edge
		ha := horizon
		if ageEnd < ha {
			ha = ageEnd
		}
		seg := ha
		if durEnd < seg {
			seg = durEnd
		}
		c := (b*ng+g)*nd + d
		lam := lamT[c]
		if need := lam * (seg - t); lam > 0 && e < need {
			tau := t + e/lam
			row := cum[c*w : (c+1)*w]
			mv := moveTot[c]
			var j int
			if u := rng.Float64() * lam; u < mv {
				j = pick(row[:ng], u)
			} else {
				j = ng + pick(row[ng:], (u-mv)/mExit)
			}
			st := (b*ng + g) * kk
			kEnd := month(tau)
			delta[st+kStart]++
			delta[st+kEnd]--
			if j < ng { // a move: a new stay starts in group j
				g, groupStart, t, kStart, d = j, tau, tau, kEnd, 0
				durEnd = inf
				if nd > 1 {
					durEnd = tau + durs[1]
				}
				u := rng.Uint64()
				var ok bool
				if e, ok = expFast(u); !ok {
					e = rng.expSlow(u)
				}
				continue
			}
			if kEnd < nk {
				flows[(1+j-ng)*nk+kEnd]++
			}
			return
		} else {
			e -= need
		}
		t = seg
		switch {
		case durEnd < ha: // the next duration band
			d++
			durEnd = inf
			if d+1 < nd {
				durEnd = groupStart + durs[d+1]
			}
		case ageEnd < horizon: // the next age band
			st := (b*ng + g) * kk
			kEnd := month(seg)
			delta[st+kStart]++
			delta[st+kEnd]--
			b++
			kStart = kEnd
			if b >= nb {
				if kEnd < nk {
					flows[(1+nr)*nk+kEnd]++ // age18
				}
				return
			}
			ageEnd = edges[b+1] - age0
		default: // the horizon
			st := (b*ng + g) * kk
			delta[st+kStart]++
			delta[st+nk]--
			return
		}
	}
}

// summarise turns per-simulation counts into series: every series' value per
// simulation and month is gathered into one contiguous run per (series,
// month), and the runs are summarised in parallel.
func (s *simulator) summarise(code string, buf []int32, sims, workers int, gather *[]int32) *CouncilProjection {
	nS := s.nb * s.ng
	nF := 1 + s.nr + 1
	stride := (nS + nF) * s.k
	// series order: states, groups, bands, total, entries, exits
	nSer := nS + s.ng + s.nb + 1 + nF
	cells := nSer * s.k
	if cap(*gather) < cells*sims {
		*gather = make([]int32, cells*sims)
	}
	gt := (*gather)[:cells*sims]
	for sim := 0; sim < sims; sim++ {
		src := buf[sim*stride : (sim+1)*stride]
		for k := 0; k < s.k; k++ {
			total := int32(0)
			for b := 0; b < s.nb; b++ {
				band := int32(0)
				for g := 0; g < s.ng; g++ {
					st := b*s.ng + g
					v := src[st*s.k+k]
					gt[(st*s.k+k)*sims+sim] = v
					band += v
					gt[((nS+g)*s.k+k)*sims+sim] += v
				}
				gt[((nS+s.ng+b)*s.k+k)*sims+sim] = band
				total += band
			}
			gt[((nS+s.ng+s.nb)*s.k+k)*sims+sim] = total
			for f := 0; f < nF; f++ {
				gt[((nS+s.ng+s.nb+1+f)*s.k+k)*sims+sim] = src[(nS+f)*s.k+k]
			}
		}
	}
	series := make([]Series, nSer)
	for i := range series {
		series[i] = Series{Mean: make([]float64, s.k), P10: make([]float64, s.k), P50: make([]float64, s.k), P90: make([]float64, s.k)}
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var scratch []int32
			for cell := w; cell < cells; cell += workers {
				ser, k := cell/s.k, cell%s.k
				sr := &series[ser]
				sr.Mean[k], sr.P10[k], sr.P50[k], sr.P90[k], scratch = intQuantiles(gt[cell*sims:(cell+1)*sims], scratch)
			}
		}(w)
	}
	wg.Wait()
	clear(gt)
	cp := &CouncilProjection{Council: code}
	i := 0
	for b := 0; b < s.nb; b++ {
		for g := 0; g < s.ng; g++ {
			series[i].Name = s.m.BandLabel(b) + "/" + string(s.m.Groups[g])
			cp.States = append(cp.States, series[i])
			i++
		}
	}
	for g := 0; g < s.ng; g++ {
		series[i].Name = string(s.m.Groups[g])
		cp.Groups = append(cp.Groups, series[i])
		i++
	}
	for b := 0; b < s.nb; b++ {
		series[i].Name = s.m.BandLabel(b)
		cp.Bands = append(cp.Bands, series[i])
		i++
	}
	series[i].Name = "total"
	cp.Total = series[i]
	i++
	series[i].Name = "entries"
	cp.Entries = series[i]
	i++
	for r := 0; r <= s.nr; r++ {
		name := string(ExitAge18)
		if r < s.nr {
			name = string(ExitReasons[r])
		}
		series[i].Name = "exit:" + name
		cp.Exits = append(cp.Exits, series[i])
		i++
	}
	return cp
}

// intQuantiles returns the mean, P10, P50 and P90 of small non-negative
// integers (linear interpolation between order statistics), by counting when
// the range is small. scratch is reused between calls.
func intQuantiles(v []int32, scratch []int32) (mean, p10, p50, p90 float64, _ []int32) {
	lo, hi := v[0], v[0]
	sum := 0.0
	for _, x := range v {
		if x < lo {
			lo = x
		}
		if x > hi {
			hi = x
		}
		sum += float64(x)
	}
	mean = sum / float64(len(v))
	if lo == hi {
		f := float64(lo)
		return mean, f, f, f, scratch
	}
	n := len(v)
	// the value at rank r (0-based) in sorted order
	var at func(r int) int32
	if span := int(hi-lo) + 1; span <= 4*n {
		if cap(scratch) < span {
			scratch = make([]int32, span)
		}
		counts := scratch[:span]
		clear(counts)
		for _, x := range v {
			counts[x-lo]++
		}
		at = func(r int) int32 {
			acc := 0
			for i, c := range counts {
				acc += int(c)
				if acc > r {
					return lo + int32(i)
				}
			}
			return hi
		}
	} else {
		sorted := append([]int32(nil), v...)
		sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
		at = func(r int) int32 { return sorted[r] }
	}
	q := func(p float64) float64 {
		pos := p * float64(n-1)
		i := int(pos)
		if i >= n-1 {
			return float64(at(n - 1))
		}
		f := pos - float64(i)
		return float64(at(i))*(1-f) + float64(at(i+1))*f
	}
	return mean, q(0.1), q(0.5), q(0.9), scratch
}
