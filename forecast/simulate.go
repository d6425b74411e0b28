package forecast

import (
	"context"
	"hash/fnv"
	"math"
	"math/rand/v2"
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
	code    string
	moveTot []float64 // total move hazard per cell
	exitTot []float64 // total exit hazard per cell
	cum     []float64 // per cell: cumulative move hazards over groups, then cumulative exit hazards over reasons
	entVar  float64   // variance of the entry-rate multiplier
	exitVar float64   // variance of the exit-rate multiplier
	entCum  []float64 // cumulative entry rates
	entAge  []float64 // age in years at entry of each entry cell
	entRate float64
	first   [][]float64 // cumulative first-group shares per band
	current []simChild
	seed    uint64
}

type simChild struct {
	age0       float64 // age in days at the origin
	group      int
	groupStart float64 // days from the origin (≤ 0)
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
		buf, delta, gather []int32
		roll               []int32
		spend              []float64
	}
	newScratch := func() *scratch {
		sc := &scratch{buf: make([]int32, opt.Sims*stride), delta: make([]int32, nS*(s.k+1))}
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
		// many councils: each worker takes whole councils
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
					i := int(next.Add(1) - 1)
					if i >= len(councils) || ctx.Err() != nil {
						return
					}
					sc := s.prepare(councils[i], opt.Seed)
					clear(st.buf)
					for sim := 0; sim < opt.Sims; sim++ {
						s.run(sc, sim, st.delta, st.buf[sim*stride:(sim+1)*stride])
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
		deltas := make([][]int32, opt.Workers)
		for w := range deltas {
			deltas[w] = make([]int32, nS*(s.k+1))
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
						s.run(sc, sim, deltas[w], st.buf[sim*stride:(sim+1)*stride])
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
	origin := s.m.Config.Origin
	for _, c := range cm.Current {
		sc.current = append(sc.current, simChild{age0: days(c.DOB, origin), group: c.Group, groupStart: -days(c.InGroupSince, origin)})
	}
	return sc
}

// run does one simulation of one council into out (stocks by state and
// month, then flows), using delta as scratch.
func (s *simulator) run(sc *simCouncil, sim int, delta, out []int32) {
	clear(delta)
	rng := &fastRand{pcg: *rand.NewPCG(sc.seed, uint64(sim))}
	rng.exp = rand.New(&rng.pcg)
	// this simulation's rate multipliers: the uncertainty of the rates
	mEnt, mExit := rng.gammaMean1(sc.entVar), rng.gammaMean1(sc.exitVar)
	entRate := sc.entRate * mEnt
	flows := out[s.nb*s.ng*s.k:]
	for _, c := range sc.current {
		s.child(sc, rng, mExit, c.age0, c.group, c.groupStart, 0, delta, flows)
	}
	if entRate > 0 {
		t := rng.ExpFloat64() / entRate
		for t <= s.horizon {
			u := rng.Float64() * sc.entRate
			lo, hi := 0, len(sc.entCum)-1
			for lo < hi { // first cell whose cumulative rate exceeds u
				mid := (lo + hi) / 2
				if sc.entCum[mid] > u {
					hi = mid
				} else {
					lo = mid + 1
				}
			}
			i := lo
			ageDays := (sc.entAge[i] + rng.Float64()) * yearDays
			b := s.band(ageDays)
			if b >= 0 {
				g := pick(sc.first[b], rng.Float64()*sc.first[b][s.ng-1])
				flows[s.month(t)]++ // entries
				s.child(sc, rng, mExit, ageDays-t, g, t, t, delta, flows)
			}
			t += rng.ExpFloat64() / entRate
		}
	}
	// stocks: prefix sums of the deltas
	kk := s.k + 1
	for st := 0; st < s.nb*s.ng; st++ {
		acc := int32(0)
		for k := 0; k < s.k; k++ {
			acc += delta[st*kk+k]
			out[st*s.k+k] = acc
		}
	}
}

func pick(cum []float64, u float64) int {
	for i, v := range cum {
		if u < v {
			return i
		}
	}
	return len(cum) - 1
}

// band returns the age band of an age in days, or -1 at or past the last edge.
func (s *simulator) band(age float64) int {
	if age >= s.edges[s.nb] {
		return -1
	}
	for b := s.nb - 1; b > 0; b-- {
		if age >= s.edges[b] {
			return b
		}
	}
	return 0
}

// child simulates one child from time t (days from the origin) to leaving
// care or the horizon, recording its stay in each state in delta and its exit
// in flows. One unit exponential is drawn per event and used up by the
// cumulative hazard across segments (age and duration band edges), which is
// exact for piecewise-constant hazards.
func (s *simulator) child(sc *simCouncil, rng *fastRand, mExit, age0 float64, g int, groupStart, t float64, delta, flows []int32) {
	// local copies: the compiler cannot keep fields in registers across the
	// stores to delta
	ng, nd, nb, nr, nk := s.ng, s.nd, s.nb, s.nr, s.k
	kk := nk + 1
	w := ng + nr
	edges, durs, horizon, monthAt := s.edges, s.durs, s.horizon, s.monthAt
	moveTot, exitTot, cum := sc.moveTot, sc.exitTot, sc.cum
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
	b := s.band(age0 + t)
	if b < 0 {
		return
	}
	kStart := month(t) // first month end of the current sojourn in state (b, g)
	d := 0
	for i := nd - 1; i > 0; i-- {
		if t-groupStart >= durs[i] {
			d = i
			break
		}
	}
	e := rng.ExpFloat64() // hazard still to be used up before the next event
	for {
		seg, kind := horizon, segHorizon
		if x := edges[b+1] - age0; x < seg {
			seg, kind = x, segAge
		}
		if d+1 < nd {
			if x := groupStart + durs[d+1]; x < seg {
				seg, kind = x, segDuration
			}
		}
		c := (b*ng+g)*nd + d
		mv := moveTot[c]
		lam := mv + mExit*exitTot[c]
		if need := lam * (seg - t); lam > 0 && e < need {
			tau := t + e/lam
			row := cum[c*w : (c+1)*w]
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
			if j < ng {
				g, groupStart, t, kStart, d = j, tau, tau, kEnd, 0
				e = rng.ExpFloat64()
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
		switch kind {
		case segHorizon:
			st := (b*ng + g) * kk
			delta[st+kStart]++
			delta[st+nk]--
			return
		case segAge:
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
		case segDuration:
			d++
		}
	}
}

// Kinds of segment end in the simulation of one child.
const (
	segHorizon = iota
	segAge
	segDuration
)

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

// fastRand is the simulator's random stream: a PCG generator called
// directly (no interface) for uniform draws, and through math/rand/v2's
// ziggurat for unit-exponential draws (several times faster than −log U).
type fastRand struct {
	pcg rand.PCG
	exp *rand.Rand
}

// Float64 returns a uniform draw in [0, 1).
func (r *fastRand) Float64() float64 { return float64(r.pcg.Uint64()>>11) * 0x1p-53 }

// ExpFloat64 returns a unit exponential draw.
func (r *fastRand) ExpFloat64() float64 { return r.exp.ExpFloat64() }

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
		x := r.exp.NormFloat64()
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
