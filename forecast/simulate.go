package forecast

import (
	"context"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
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
	// Levers, when set, change the named councils' rates month by month
	// (see Levers); councils not named are projected as fitted.
	Levers map[string]*Levers
	// KeepSims keeps every simulation's stocks by group and flows in each
	// CouncilProjection's Sims (and the roll-up's), for figures worked out
	// per simulation (package scenario).
	KeepSims bool
	// SimsOnly keeps only each council's Sims (as KeepSims does) and leaves
	// out everything worked out from them: the series, the spend and the
	// roll-up (RollUp is nil). Package scenario, which works its figures out
	// per simulation, saves the summaries' time.
	SimsOnly bool
	// Progress, when set, is told how many of the total simulations
	// (councils × Sims) are done: about ten times a second while the
	// projection runs, always from one goroutine at a time, and once at the
	// end with done == total (unless the projection is cancelled). It must
	// return quickly.
	Progress func(done, total int)
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
	// Sims, with SimOptions.KeepSims or SimsOnly, holds each simulation's counts per
	// month: for simulation i, row r (SimRows: the placement groups, then
	// entries, then exits by reason with age18 last) and month k, the value
	// is Sims[(i*SimRows(ng)+r)*months+k].
	Sims []int32 `json:"-"`
}

// SimRows is the number of rows per simulation in CouncilProjection.Sims
// for a model of ng placement groups: the groups, entries and the exits by
// reason (age18 last).
func SimRows(ng int) int { return ng + 1 + len(ExitReasons) + 1 }

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
	// at[c×ne+e] is cell c in epoch e: its run and its alias tables.
	// Runs are a cell's consecutive epochs whose move and exit hazards
	// differ by at most a factor thinTol (with recruit_foster's monthly
	// epochs, most cells' epochs differ only in where a move goes, and the
	// rest by a little each month); a cell's runs are numbered in order,
	// so the run after r is r+1. runMove, runExit and runEnd are each run's
	// highest total move and exit hazards and the day it ends (+Inf for a
	// cell's last); runThin is true when the run's epochs' hazards are not
	// all the same. A child crosses runs, not epochs: in a run of unequal
	// hazards it draws events at the run's highest hazard and keeps each
	// with probability (the epoch's hazard) / (the highest), which is exact
	// (thinning: Lewis and Shedler 1979); the epoch, which the kept
	// event's hazards and alias tables need, is read from its month.
	at               []cellEpoch
	runMove, runExit []float64
	runEnd           []float64
	runThin          []bool
	// the distinct alias tables (aliasSlots entries) of the cells' epochs:
	// of the destination group of a move, and of the reason of an exit.
	// Stored once each, a scenario's tables stay small enough for the
	// processor's caches (a table per cell and epoch: 0.9 MB a council).
	tables   []aliasTable
	entVar   float64 // variance of the entry-rate multiplier
	exitVar  float64 // variance of the exit-rate multiplier
	entrants []simEntrants
	first    []aliasTable // per epoch and age band: alias table of the first placement group
	current  []simChild
	seed     uint64
	// epochs: runs of months with the same cell hazards (one without
	// levers). moveTot, exitTot and at hold ne epochs of each of the
	// nb×ng×nd cells, a cell's epochs side by side (cell c in epoch e at
	// c×ne+e), so that a child crossing epochs reads on through memory;
	// epEnd[e] is the day epoch e ends (+Inf for the last); epochOf[k] is
	// the epoch of the month ending at month end k (k ≥ 1; [0] = 0; [s.k],
	// past the horizon = the last).
	ne      int
	epEnd   []float64
	epochOf []int32
	// redirects are the levers' redirects applied when a placement is
	// drawn (nil when none, or when they are in the tables instead): the
	// first group of an entrant and the destination of a move are drawn
	// from tables without them, and then each redirect in turn sends a
	// placement into its group elsewhere with the month's share. A move
	// redirected into the group the child is in is no move: the event is
	// thrown away and the child's stay goes on (thinning, exact). So a
	// share that changes every month (recruit_foster's) makes no epochs:
	// the cells' hazards and tables stay those of the epochs the other
	// levers make (TestRedirectAtDraw compares the two ways).
	redirects []simRedirect
	// redirFrom has bit g set when a redirect sends placements out of
	// group g: a placement drawn into another group is left as it is
	// (redirect would do nothing), without the call
	redirFrom uint64
}

// simRedirect is one redirect lever as the simulator applies it at a draw.
type simRedirect struct {
	from int
	// thr[k] is the share in the month ending at month end k as a
	// threshold for eventBits random bits (see moveThreshold); [0] is the
	// first month's and [s.k], past the horizon, the last month's
	thr []uint64
	to  aliasTable // the destination groups' weights
}

// redirectAtDraw switches the redirects at a draw on (see
// simCouncil.redirects); tests turn it off to compare them with redirects
// in the cells' tables.
var redirectAtDraw = true

// redirect applies the redirects to a placement drawn into group g at a
// time in the month ending at month end k, with the random stream's state
// rs (one draw for each redirect out of the group the placement is in at
// that point); it returns the group and the stream's state.
func (sc *simCouncil) redirect(g, k int, rs uint64) (int, uint64) {
	for i := range sc.redirects {
		rd := &sc.redirects[i]
		if g != rd.from {
			continue
		}
		var u uint64
		rs, u = wyNext(rs)
		if eventField(u) < rd.thr[k] {
			g = aliasPick(&rd.to, u)
		}
	}
	return g, rs
}

// cellEpoch is one cell in one epoch: its run of epochs (see
// simCouncil.at), and its alias tables in simCouncil.tables.
type cellEpoch struct {
	run, move, exit int32
}

// simEntrants are the entrants of one year of age: entries of that age by
// every sex and UASC status together, since the hazards do not depend on
// them.
type simEntrants struct {
	age  float64 // age in whole years at entry
	rate float64 // entries per day
	band int     // age band at that age
	// with levers changing this age's entries: the multiplier and the
	// extra entrants per day by month (nil when unchanged)
	mul, add []float64
}

type simChild struct {
	age0       float64 // age in days at the origin
	group      int
	groupStart float64 // days from the origin (≤ 0)
	band       int     // age band at the origin (−1 at 18 or over)
	dur        int     // duration band at the origin
}

// simCell is one run's hazard in one simulation (see simCouncil.at).
type simCell struct {
	lam    float64 // total hazard per day: moves + the exit multiplier × exits
	invLam float64 // 1/lam (0 when lam is 0: no event is then drawn)
	end    float64 // the day the run ends (+Inf for a cell's last)
	// the share of lam that is moves, as a threshold for eventBits random
	// bits: 0 never, 1<<eventBits always; thinned for a run whose epochs'
	// hazards differ (lam is then the run's highest hazard, an upper bound)
	moveThr uint64
}

// simCell1 is one cell's hazard in one simulation for a council whose
// levers make one epoch (or none: the baseline), as child1 reads it: a
// cell is its own run, which never ends, and its alias tables are named
// here instead of through simCouncil.at.
type simCell1 struct {
	lam, invLam float64 // as simCell's
	moveThr     uint64  // as simCell's (never thinned: one epoch)
	move, exit  int32   // the cell's alias tables in simCouncil.tables
}

// oneEpochPath switches child1 on for councils of one epoch; tests turn it
// off to compare it with child, which must give the same draws and bytes.
var oneEpochPath = true

// thinned is simCell.moveThr of a run whose epochs' hazards differ.
const thinned = math.MaxUint64

// thinTol is how far (a factor) the move or exit hazards of the epochs of
// one run may differ: at most 1 − 1/thinTol of the events drawn at the
// run's highest hazard are thrown away. 1 makes runs of equal hazards
// only, so that a child crosses every change of hazard (tests compare the
// two).
var thinTol = 1.5

// eventBits are the random bits that choose between a move and an exit. The
// same 64-bit draw then chooses the destination or the reason from an alias
// table (aliasPick), which reads its other bits: the slot from the top 3 and
// the fraction from the low 32.
const eventBits = 29

// moveThreshold is p in [0, 1] as a threshold t for eventBits random bits
// v: v < t with probability p to within 2⁻²⁹.
func moveThreshold(p float64) uint64 {
	return uint64(math.Round(p * (1 << eventBits)))
}

// eventField returns the eventBits bits of the draw u that aliasPick does
// not read (bits 32–60).
func eventField(u uint64) uint64 {
	return (u >> 32) & (1<<eventBits - 1)
}

// simWork is one worker's scratch for running simulations.
type simWork struct {
	rng   *fastRand
	cell  []simCell  // this simulation's hazards per run of a cell's epochs
	cell1 []simCell1 // the same for a council of one epoch, per cell (child1)
	delta []int32    // per state, +1/−1 at the first and past-the-last month end of each stay
	mExit float64    // this simulation's exit-rate multiplier
}

func (s *simulator) newWork() *simWork {
	// the stream's state is written at every child: padded on both sides
	// so that no other worker's data shares its cache line (false sharing
	// between the cores: each write would take the line from the other)
	pad := &struct {
		_   [cacheLine]byte
		rng fastRand
		_   [cacheLine]byte
	}{}
	pad.rng.seed(0, 0)
	pad.rng.std = rand.New(&pad.rng)
	return &simWork{rng: &pad.rng, cell: make([]simCell, s.nb*s.ng*s.nd), delta: make([]int32, s.nb*s.ng*(s.k+1))}
}

// cacheLine is at least the processor's cache line (64 bytes on amd64 and
// most arm64; 128 on some).
const cacheLine = 128

// simulator is shared by the workers of one projection.
type simulator struct {
	m       *Model
	nb, ng  int
	nd, nr  int
	edges   []float64 // age band edges in days
	durs    []float64 // duration band edges in days
	monthAt []int32   // first month index whose end is on or after day d
	// monthAt again, padded with s.k to monthSlots days, for the per-child
	// loop: indexed by a day masked to the array's size, it needs no bounds
	// check and no slice length
	monthTab *[monthSlots]int32
	// monthNext[d] is monthTab[d+1]: the month of a time in (d, d+1)
	monthNext *[monthSlots]int32
	months    []float64 // month ends in days from the origin
	horizon   float64
	k         int // number of month ends including the origin
	// byGroup: run writes each simulation's stocks by group, not by
	// state (age band × group), in the layout of CouncilProjection.Sims
	// (SimOptions.SimsOnly keeps them as they are written)
	byGroup bool
}

// stockRows is the number of stock rows run writes per simulation: the
// states, or the groups (byGroup).
func (s *simulator) stockRows() int {
	if s.byGroup {
		return s.ng
	}
	return s.nb * s.ng
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
// With opt.Levers, a council's rates change month by month as its Levers
// say; EINVALID when a lever does not fit the model or the horizon.
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
	for code, l := range opt.Levers {
		if l == nil {
			continue
		}
		if err := l.check(s.ng, s.k-1); err != nil {
			return nil, care.Errorf(care.EINVALID, "council %s: %v", code, err)
		}
	}
	p := &Projection{Version: m.Version, Origin: m.Config.Origin, RefStart: m.Config.RefStart, RefEnd: m.Config.RefEnd, Seed: opt.Seed, Sims: opt.Sims}
	for k := 0; k < s.k; k++ {
		p.Months = append(p.Months, monthEnd(m.Config.Origin, k))
	}
	// with SimsOnly the simulations are written as they are kept, each
	// council's into a buffer of its own that becomes its Sims
	s.byGroup = opt.SimsOnly
	nS := s.stockRows()
	nF := 1 + s.nr + 1 // entries, exits by reason, age18
	stride := (nS + nF) * s.k
	var roll []int32 // the roll-up's counts (none with SimsOnly)
	if !opt.SimsOnly {
		roll = make([]int32, opt.Sims*stride)
	}
	if opt.Costs != nil {
		if err := opt.Costs.check(len(m.Groups)); err != nil {
			return nil, err
		}
	}
	// one worker's buffers
	type scratch struct {
		buf, hist []int32
		roll      []int32
		spend     []float64
		work      *simWork
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
		if opt.SimsOnly {
			cp := &CouncilProjection{Council: code, Sims: st.buf}
			st.buf = make([]int32, opt.Sims*stride)
			return cp
		}
		cp := s.summarise(code, st.buf, opt.Sims, workers, &st.hist)
		if opt.KeepSims {
			cp.Sims = s.keep(st.buf, opt.Sims)
		}
		if opt.Costs != nil {
			s.spend(st.buf, opt.Sims, opt.Years, opt.Costs, st.spend)
			cp.Spend = spendYears(st.spend, opt.Sims, opt.Years, opt.Costs, p.Months)
		}
		return cp
	}
	p.Councils = make([]*CouncilProjection, len(councils))
	var done atomic.Int64 // simulations done, for opt.Progress
	stopProgress := startProgress(opt.Progress, &done, len(councils)*opt.Sims)
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
				if roll != nil {
					st.roll = make([]int32, opt.Sims*stride)
					rolls[w] = st.roll
				}
				for {
					n := int(next.Add(1) - 1)
					if n >= len(councils) || ctx.Err() != nil {
						return
					}
					i := order[n]
					sc := s.prepare(councils[i], opt.Seed, opt.Levers[councils[i].Council])
					for sim := 0; sim < opt.Sims; sim++ {
						s.run(sc, sim, st.work, st.buf[sim*stride:(sim+1)*stride])
					}
					done.Add(int64(opt.Sims))
					for j, v := range st.roll {
						st.roll[j] = v + st.buf[j]
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
			sc := s.prepare(cm, opt.Seed, opt.Levers[cm.Council])
			var wg sync.WaitGroup
			for w := 0; w < opt.Workers; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for sim := w; sim < opt.Sims; sim += opt.Workers {
						s.run(sc, sim, works[w], st.buf[sim*stride:(sim+1)*stride])
						done.Add(1)
					}
				}(w)
			}
			wg.Wait()
			for j, v := range roll {
				roll[j] = v + st.buf[j]
			}
			p.Councils[i] = finish(cm.Council, st, opt.Workers)
		}
	}
	stopProgress()
	if err := ctx.Err(); err != nil {
		return nil, care.WrapError(care.EINTERNAL, err, "projection cancelled")
	}
	if opt.Progress != nil {
		opt.Progress(len(councils)*opt.Sims, len(councils)*opt.Sims)
	}
	if opt.SimsOnly {
		return p, nil
	}
	st := &scratch{buf: roll}
	if opt.Costs != nil {
		st.spend = make([]float64, opt.Sims*opt.Years)
	}
	p.RollUp = finish("all", st, opt.Workers)
	return p, nil
}

// startProgress calls report(done, total) about ten times a second from one
// goroutine while the projection runs, when done has moved; the function it
// returns stops the reporting and waits until no call is in progress.
func startProgress(report func(done, total int), done *atomic.Int64, total int) (stop func()) {
	if report == nil {
		return func() {}
	}
	quit, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		last := int64(-1)
		for {
			select {
			case <-quit:
				return
			case <-tick.C:
				if n := done.Load(); n != last {
					last = n
					report(int(n), total)
				}
			}
		}
	}()
	return func() {
		close(quit)
		<-finished
	}
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
	s.monthTab, s.monthNext = new([monthSlots]int32), new([monthSlots]int32)
	for d := range s.monthTab {
		s.monthTab[d], s.monthNext[d] = int32(s.k), int32(s.k)
		if d < len(s.monthAt) {
			s.monthTab[d] = s.monthAt[d]
		}
		if d+1 < len(s.monthAt) {
			s.monthNext[d] = s.monthAt[d+1]
		}
	}
	return s
}

// monthSlots bounds the days of a projection (5 years and a few days).
const monthSlots = 2048

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

func (s *simulator) prepare(cm *CouncilModel, seed uint64, lv *Levers) *simCouncil {
	nc := s.nb * s.ng * s.nd
	nm := s.k - 1 // months
	epochOf, firstMonth := lv.epochs(nm)
	ne := len(firstMonth)
	sc := &simCouncil{code: cm.Council, ne: ne, moveTot: make([]float64, ne*nc), exitTot: make([]float64, ne*nc),
		at: make([]cellEpoch, ne*nc), entVar: cm.EntryVar, exitVar: cm.ExitVar}
	tableOf := map[aliasTable]int32{}
	intern := func(t *aliasTable) int32 {
		i, ok := tableOf[*t]
		if !ok {
			i = int32(len(sc.tables))
			sc.tables = append(sc.tables, *t)
			tableOf[*t] = i
		}
		return i
	}
	var tab aliasTable
	atDraw := lv.redirectsAtDraw()
	source := make([]bool, s.ng) // groups a redirect at a draw sends placements out of
	if atDraw {
		for _, rd := range lv.Redirect {
			r := simRedirect{from: rd.From, thr: make([]uint64, s.k+1)}
			for k := range r.thr {
				r.thr[k] = moveThreshold(rd.Share[min(max(k-1, 0), nm-1)])
			}
			buildAlias(rd.To, r.to[:])
			sc.redirects = append(sc.redirects, r)
			source[rd.From] = true
			sc.redirFrom |= 1 << rd.From
		}
	}
	sc.epochOf = make([]int32, s.k+1) // [s.k]: past the horizon, the last epoch
	for k := 1; k < s.k; k++ {
		sc.epochOf[k] = int32(epochOf[k-1])
	}
	sc.epochOf[s.k] = int32(ne - 1)
	for e := range ne {
		end := math.Inf(1)
		if e+1 < ne {
			end = s.months[firstMonth[e+1]] // the end of the epoch's last month
		}
		sc.epEnd = append(sc.epEnd, end)
	}
	h := fnv.New64a()
	h.Write([]byte(cm.Council))
	sc.seed = seed ^ h.Sum64()
	w := make([]float64, s.ng)
	ex := make([]float64, s.nr)
	for e := range ne {
		m := firstMonth[e]
		for c := 0; c < nc; c++ {
			from := (c / s.nd) % s.ng
			for j := 0; j < s.ng; j++ {
				w[j] = cm.Move[c*s.ng+j]
			}
			if lv != nil {
				for _, mv := range lv.Moves {
					if mv.From != from || mv.PerDay[m] <= 0 {
						continue
					}
					tot := 0.0
					for _, v := range mv.To {
						tot += v
					}
					for j, v := range mv.To {
						if tot > 0 {
							w[j] += mv.PerDay[m] * v / tot
						}
					}
				}
				if !atDraw {
					lv.redirect(w, m)
				}
			}
			// a move to the same group is not a move; but with redirects
			// at a draw, a move within a group they send placements out
			// of may be redirected out of it, so it is drawn (and thrown
			// away unless redirected)
			if !source[from] {
				w[from] = 0
			}
			acc := 0.0
			for _, v := range w {
				acc += v
			}
			sc.moveTot[c*ne+e] = acc
			buildAlias(w, tab[:])
			sc.at[c*ne+e].move = intern(&tab)
			copy(ex, cm.Exit[c*s.nr:(c+1)*s.nr])
			if lv != nil {
				for r := range ex {
					if r < len(lv.Exit) && lv.Exit[r] != nil {
						ex[r] *= lv.Exit[r][m]
					}
				}
			}
			acc = 0
			for _, v := range ex {
				acc += v
			}
			sc.exitTot[c*ne+e] = acc
			buildAlias(ex, tab[:])
			sc.at[c*ne+e].exit = intern(&tab)
		}
	}
	// runs: a cell's epochs while the lowest and highest move hazards and
	// the lowest and highest exit hazards are within thinTol
	within := func(lo, hi float64) bool { return lo == hi || (lo > 0 && hi <= lo*thinTol) }
	var mvLo, mvHi, exLo, exHi float64
	for i := range sc.at {
		e := i % ne
		mv, ex := sc.moveTot[i], sc.exitTot[i]
		if e == 0 || !within(min(mvLo, mv), max(mvHi, mv)) || !within(min(exLo, ex), max(exHi, ex)) {
			sc.runMove = append(sc.runMove, mv)
			sc.runExit = append(sc.runExit, ex)
			sc.runEnd = append(sc.runEnd, 0)
			sc.runThin = append(sc.runThin, false)
			mvLo, mvHi, exLo, exHi = mv, mv, ex, ex
		}
		r := len(sc.runEnd) - 1
		mvLo, mvHi, exLo, exHi = min(mvLo, mv), max(mvHi, mv), min(exLo, ex), max(exHi, ex)
		sc.runThin[r] = mvLo != mvHi || exLo != exHi
		sc.runMove[r], sc.runExit[r] = mvHi, exHi
		sc.at[i].run = int32(r)
		sc.runEnd[r] = sc.epEnd[e]
	}
	// entrants by year of age, in order of age
	byAge := map[int]float64{}
	for _, e := range cm.Entries {
		byAge[e.Age] += e.PerDay
	}
	row := func(rr [][]float64, a int) []float64 {
		if lv == nil || a >= len(rr) {
			return nil
		}
		return rr[a]
	}
	for a := 0; a <= s.m.Config.AgeBands[s.nb]; a++ {
		r := byAge[a]
		mul, add := row(lv.entryRows(), a), row(lv.arrivalRows(), a)
		if mul != nil && !slices.ContainsFunc(mul, func(v float64) bool { return v != 1 }) {
			mul = nil
		}
		if add != nil && !slices.ContainsFunc(add, func(v float64) bool { return v != 0 }) {
			add = nil
		}
		if b := s.band(float64(a) * yearDays); (r > 0 || add != nil) && b >= 0 {
			sc.entrants = append(sc.entrants, simEntrants{age: float64(a), rate: r, band: b, mul: mul, add: add})
		}
	}
	sc.first = make([]aliasTable, ne*s.nb)
	for e := range ne {
		for b := range cm.FirstGroup {
			copy(w, cm.FirstGroup[b])
			if !atDraw {
				lv.redirect(w, firstMonth[e])
			}
			buildAlias(w, sc.first[e*s.nb+b][:])
		}
	}
	origin := s.m.Config.Origin
	for _, c := range cm.Current {
		age0 := days(c.DOB, origin)
		gs := -days(c.InGroupSince, origin)
		sc.current = append(sc.current, simChild{age0: age0, group: c.Group, groupStart: gs, band: s.band(age0), dur: s.duration(-gs)})
	}
	return sc
}

func (l *Levers) entryRows() [][]float64 {
	if l == nil {
		return nil
	}
	return l.Entry
}

func (l *Levers) arrivalRows() [][]float64 {
	if l == nil {
		return nil
	}
	return l.Arrivals
}

// run does one simulation of one council into out (stocks by state and
// month, then flows), using wk as scratch.
func (s *simulator) run(sc *simCouncil, sim int, wk *simWork, out []int32) {
	rng := wk.rng // (wk.delta is all zero: the stocks' pass below leaves it so)
	rng.seed(sc.seed, uint64(sim))
	// this simulation's rate multipliers: the uncertainty of the rates
	mEnt, mExit := rng.gammaMean1(sc.entVar), rng.gammaMean1(sc.exitVar)
	wk.mExit = mExit
	if len(wk.cell) < len(sc.runMove) {
		wk.cell = make([]simCell, len(sc.runMove))
	}
	ex, ends := sc.runExit[:len(sc.runMove)], sc.runEnd[:len(sc.runMove)]
	one := sc.ne == 1 && oneEpochPath // child1, whose cells are the runs
	if one && len(wk.cell1) < len(sc.runMove) {
		wk.cell1 = make([]simCell1, len(sc.runMove))
	}
	for r, mv := range sc.runMove {
		lam := mv + mExit*ex[r]
		var thr uint64
		inv := 0.0
		if lam > 0 {
			inv = 1 / lam
			thr = moveThreshold(mv * inv)
		}
		if sc.runThin[r] {
			thr = thinned
		}
		wk.cell[r] = simCell{lam: lam, invLam: inv, end: ends[r], moveThr: thr}
		if one {
			wk.cell1[r] = simCell1{lam: lam, invLam: inv, moveThr: thr, move: sc.at[r].move, exit: sc.at[r].exit}
		}
	}
	flows := out[s.stockRows()*s.k:] // (the stocks are all written below)
	clear(flows)
	for _, c := range sc.current {
		if c.band < 0 {
			continue
		}
		if one {
			s.child1(sc, wk, c.age0, c.group, c.groupStart, 0, c.band, c.dur, 0, flows)
		} else {
			s.child(sc, wk, c.age0, c.group, c.groupStart, 0, c.band, c.dur, 0, 0, flows)
		}
	}
	// new entrants: a Poisson process for each year of age at entry, the
	// age drawn within the year and the first group by age band, both from
	// one 64-bit draw (the age from the bits aliasPick leaves)
	for _, en := range sc.entrants {
		rate := en.rate * mEnt
		if en.mul != nil || en.add != nil {
			s.leverEntrants(sc, wk, en, rate, flows)
			continue
		}
		if !(rate > 0) {
			continue
		}
		gap := 1 / rate
		t := 0.0
		for {
			u := rng.Uint64()
			e, ok := expFast(u)
			if !ok {
				e = rng.expSlow(u)
			}
			if t += e * gap; t > s.horizon {
				break
			}
			r := rng.Uint64()
			ageDays := (en.age + float64(eventField(r))*(1.0/(1<<eventBits))) * yearDays
			b := en.band
			if ageDays >= s.edges[b+1] { // rounding at the top of the year
				if b = s.band(ageDays); b < 0 {
					continue
				}
			}
			k := s.month(t)
			ep := int(sc.epochOf[k])
			g := aliasPick(&sc.first[ep*s.nb+b], r)
			if sc.redirFrom>>g&1 != 0 {
				g, rng.s = sc.redirect(g, k, rng.s)
			}
			flows[k]++ // entries
			if one {
				s.child1(sc, wk, ageDays-t, g, t, t, b, 0, k, flows)
			} else {
				s.child(sc, wk, ageDays-t, g, t, t, b, 0, k, ep, flows)
			}
		}
	}
	// stocks: prefix sums of the deltas
	// (each delta is set back to zero as it is read, for the next
	// simulation, while it is in the cache; the last of each state's row,
	// past the horizon, is never read)
	kk := s.k + 1
	delta := wk.delta
	if s.byGroup { // by group: the bands' prefix sums added, band by band
		for g := 0; g < s.ng; g++ {
			row := out[g*s.k : (g+1)*s.k]
			for b := 0; b < s.nb; b++ {
				d := delta[(b*s.ng+g)*kk : (b*s.ng+g+1)*kk]
				d[s.k] = 0
				d = d[:len(row)]
				acc := int32(0)
				if b == 0 {
					for k, v := range d {
						acc += v
						row[k] = acc
					}
				} else {
					for k, v := range d {
						acc += v
						row[k] += acc
					}
				}
				clear(d)
			}
		}
		return
	}
	for st := 0; st < s.nb*s.ng; st++ {
		acc := int32(0)
		d := delta[st*kk : (st+1)*kk]
		o := out[st*s.k : (st+1)*s.k]
		for k := range o {
			acc += d[k]
			o[k] = acc
		}
		clear(d)
	}
}

// leverEntrants draws the entrants of one year of age whose rate levers
// change month by month: a Poisson process at the highest monthly rate,
// each arrival kept with probability (that month's rate) / (highest), which
// is exactly a Poisson process with the monthly rates (thinning).
func (s *simulator) leverEntrants(sc *simCouncil, wk *simWork, en simEntrants, base float64, flows []int32) {
	rng := wk.rng
	rateOf := func(m int) float64 {
		r := base
		if en.mul != nil {
			r *= en.mul[m]
		}
		if en.add != nil {
			r += en.add[m]
		}
		return r
	}
	top := 0.0
	for m := 0; m < s.k-1; m++ {
		top = max(top, rateOf(m))
	}
	if !(top > 0) {
		return
	}
	gap := 1 / top
	t := 0.0
	for {
		u := rng.Uint64()
		e, ok := expFast(u)
		if !ok {
			e = rng.expSlow(u)
		}
		if t += e * gap; t > s.horizon {
			return
		}
		r := rng.Uint64()
		k := s.month(t)
		if k < 1 {
			k = 1
		}
		if keep := rateOf(k-1) / top; keep < 1 && float64(rng.Uint64()>>11)*(1.0/(1<<53)) >= keep {
			continue
		}
		ageDays := (en.age + float64(eventField(r))*(1.0/(1<<eventBits))) * yearDays
		b := en.band
		if ageDays >= s.edges[b+1] {
			if b = s.band(ageDays); b < 0 {
				continue
			}
		}
		ep := int(sc.epochOf[k])
		g := aliasPick(&sc.first[ep*s.nb+b], r)
		if sc.redirFrom>>g&1 != 0 {
			g, rng.s = sc.redirect(g, k, rng.s)
		}
		flows[k]++
		if sc.ne == 1 && oneEpochPath {
			s.child1(sc, wk, ageDays-t, g, t, t, b, 0, k, flows)
		} else {
			s.child(sc, wk, ageDays-t, g, t, t, b, 0, k, ep, flows)
		}
	}
}

// duration returns the duration band of a time in a group in days.
func (s *simulator) duration(x float64) int {
	d := 0
	for _, e := range s.durs[1:s.nd] {
		if x >= e {
			d++
		}
	}
	return d
}

// band returns the age band of an age in days, or -1 at or past the last edge.
func (s *simulator) band(age float64) int {
	if age >= s.edges[s.nb] {
		return -1
	}
	b := 0 // counted without branches (a flag set, not a jump)
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
// t + e/λ, is a move with probability (move hazard)/λ and an exit otherwise,
// and the destination group or exit reason is drawn from the cell's alias
// table. This is exact for piecewise-constant hazards. λ per cell (moves +
// this simulation's exit multiplier × exits) is precomputed per simulation
// in wk.cell. b is the child's age band at t (≥ 0), d its duration band
// at t and kStart the first month end at or after t, which the caller has
// already worked out.
//
// With levers the cells' hazards change between epochs (runs of months):
// an epoch's end is one more boundary, after which the child goes on in the
// same cell of the next epoch's tables; ep is the epoch at t. A scenario
// whose levers change every month (recruit_foster's share) has an epoch a
// month, but in most cells only where a move goes changes, and in the rest
// the hazard changes a little: the child crosses runs of a cell's epochs
// (the next run is the next entry of wk.cell), drawing its events in a run
// whose epochs' hazards differ at the run's highest hazard and keeping each
// with probability (its epoch's hazard) / (the highest) (thinning, exact;
// see simCouncil.at); the epoch, which the hazards and alias tables of an
// event need, is read from the month at an event or at a change of cell.
func (s *simulator) child(sc *simCouncil, wk *simWork, age0 float64, g int, groupStart, t float64, b, d, kStart, ep int, flows []int32) {
	// local copies: the compiler cannot keep fields in registers across the
	// stores to delta
	ng, nd, nb, nr, nk, ne := s.ng, s.nd, s.nb, s.nr, s.k, sc.ne
	kk := nk + 1
	edges, durs, horizon, monthAt, monthNext := s.edges, s.durs, s.horizon, s.monthTab, s.monthNext
	cells, at, tables, epochOf, delta, rng := wk.cell, sc.at, sc.tables, sc.epochOf, wk.delta, wk.rng
	moveTot, exitTot := sc.moveTot, sc.exitTot
	rs := rng.s // the random stream's state, kept in a register
	var u uint64
	inf := math.Inf(1)
	// the boundaries ahead: the next age band edge (or the horizon, if
	// sooner) and the next duration band edge
	ageEnd, durEnd := edges[b+1]-age0, inf
	ha := min(ageEnd, horizon)
	if d+1 < nd {
		durEnd = groupStart + durs[d+1]
	}
	st := b*ng + g          // the state
	cb := (st*nd + d) * ne  // the cell (state and duration band): its first epoch in the tables
	r := int(at[cb+ep].run) // the run of the cell's epochs that t is in
	sk := st * kk           // the state's row in delta
	rs, u = wyNext(rs)
	e, ok := expFast(u) // hazard still to be used up before the next event
	if !ok {
		rng.s = rs
		e = rng.expSlow(u)
		rs = rng.s
	}
	var (
		cl        simCell
		need, seg float64
	)
	for {
		// the segment ends at the first boundary; on a tie the horizon
		// comes before an age edge, which comes before a duration edge,
		// which comes before the end of a run of epochs
		seg = ha
		if durEnd < seg {
			seg = durEnd
		}
		// runs that end before it: the same cell's next run
		for {
			cl = cells[r]
			if cl.end >= seg {
				break
			}
			if need = cl.lam * (cl.end - t); e < need {
				goto event
			}
			e -= need
			t = cl.end
			r++
		}
		if need = cl.lam * (seg - t); e < need { // (never when λ = 0: e ≥ 0)
			goto event
		}
		e -= need
		t = seg
		if durEnd < ha { // the next duration band
			d++
			cb += ne
			if ne > 1 {
				dd := int(seg)
				if float64(dd) < seg {
					dd++
				}
				ep = int(epochOf[monthAt[dd&(monthSlots-1)]])
			}
			r = int(at[cb+ep].run)
			durEnd = inf
			if d+1 < nd {
				durEnd = groupStart + durs[d+1]
			}
			continue
		}
		if ageEnd < horizon { // the next age band
			dd := int(seg)
			if float64(dd) < seg {
				dd++
			}
			kEnd := int(monthAt[dd&(monthSlots-1)])
			delta[sk+kStart]++
			delta[sk+kEnd]--
			b++
			kStart = kEnd
			if b >= nb {
				if kEnd < nk {
					flows[(1+nr)*nk+kEnd]++ // age18
				}
				rng.s = rs
				return
			}
			ageEnd = edges[b+1] - age0
			ha = min(ageEnd, horizon)
			st, cb, sk = st+ng, cb+ng*nd*ne, sk+ng*kk
			ep = int(epochOf[kEnd])
			r = int(at[cb+ep].run)
			continue
		}
		// the horizon
		delta[sk+kStart]++
		delta[sk+nk]--
		rng.s = rs
		return
	event:
		// the event, at a time that is not a whole number of days
		// (but with probability 0): its month end is the first at or
		// after the next whole day, and its epoch that month's
		tau := t + e*cl.invLam
		kEnd := int(monthNext[int(tau)&(monthSlots-1)])
		ep = int(epochOf[kEnd])
		var u2 uint64 // move or exit, and the destination or reason
		rs, u2 = wyNext(rs)
		move := eventField(u2) < cl.moveThr
		if cl.moveThr == thinned {
			// a run of unequal hazards: the event is a move, an exit or
			// nothing (thrown away) as the epoch's hazards share the run's
			// highest
			v := float64(eventField(u2)) * (1.0 / (1 << eventBits)) * cl.lam
			mv := moveTot[cb+ep]
			if move = v < mv; !move && v >= mv+wk.mExit*exitTot[cb+ep] {
				t = tau
				rs, u = wyNext(rs)
				var ok bool
				if e, ok = expFast(u); !ok {
					rng.s = rs
					e = rng.expSlow(u)
					rs = rng.s
				}
				continue
			}
		}
		if move { // a move: a new stay starts
			to := aliasPick(&tables[at[cb+ep].move], u2)
			if sc.redirects != nil {
				if to, rs = sc.redirect(to, kEnd, rs); to == g {
					// redirected into the child's own group: no move
					t = tau
					rs, u = wyNext(rs)
					var ok bool
					if e, ok = expFast(u); !ok {
						rng.s = rs
						e = rng.expSlow(u)
						rs = rng.s
					}
					continue
				}
			}
			delta[sk+kStart]++
			delta[sk+kEnd]--
			g = to
			st, groupStart, t, kStart, d = b*ng+g, tau, tau, kEnd, 0
			cb, sk = st*nd*ne, st*kk
			r = int(at[cb+ep].run)
			durEnd = inf
			if nd > 1 {
				durEnd = tau + durs[1]
			}
			rs, u = wyNext(rs)
			var ok bool
			if e, ok = expFast(u); !ok {
				rng.s = rs
				e = rng.expSlow(u)
				rs = rng.s
			}
			continue
		}
		delta[sk+kStart]++
		delta[sk+kEnd]--
		j := aliasPick(&tables[at[cb+ep].exit], u2)
		if kEnd < nk {
			flows[(1+j)*nk+kEnd]++
		}
		rng.s = rs
		return
	}
}

// child1 is child for a council of one epoch (sc.ne == 1: the baseline,
// and a scenario whose levers do not change the cells' hazards over time):
// a cell is its own run, which never ends, so the child crosses only its
// age and duration band edges and the horizon, and its cell's hazards and
// alias tables are read from wk.cell1. It makes the same draws and the
// same arithmetic as child, so the same stays and exits
// (TestOneEpochPath); without the epochs' bookkeeping, and with fewer
// values live in the loop, it is quicker.
func (s *simulator) child1(sc *simCouncil, wk *simWork, age0 float64, g int, groupStart, t float64, b, d, kStart int, flows []int32) {
	ng, nd, nb, nr, nk := s.ng, s.nd, s.nb, s.nr, s.k
	kk := nk + 1
	edges, durs, horizon, monthAt, monthNext := s.edges, s.durs, s.horizon, s.monthTab, s.monthNext
	cells, tables, delta, rng := wk.cell1, sc.tables, wk.delta, wk.rng
	rs := rng.s // the random stream's state, kept in a register
	var u uint64
	inf := math.Inf(1)
	ageEnd, durEnd := edges[b+1]-age0, inf
	ha := min(ageEnd, horizon)
	if d+1 < nd {
		durEnd = groupStart + durs[d+1]
	}
	st := b*ng + g // the state
	c := st*nd + d // the cell (state and duration band)
	sk := st * kk  // the state's row in delta
	rs, u = wyNext(rs)
	e, ok := expFast(u) // hazard still to be used up before the next event
	if !ok {
		rng.s = rs
		e = rng.expSlow(u)
		rs = rng.s
	}
	for {
		// the segment ends at the first boundary; on a tie the horizon
		// comes before an age edge, which comes before a duration edge
		seg := ha
		if durEnd < seg {
			seg = durEnd
		}
		cl := &cells[c]
		if need := cl.lam * (seg - t); !(e < need) { // (always when λ = 0: e ≥ 0)
			e -= need
			t = seg
			if durEnd < ha { // the next duration band
				d++
				c++
				durEnd = inf
				if d+1 < nd {
					durEnd = groupStart + durs[d+1]
				}
				continue
			}
			if ageEnd < horizon { // the next age band
				dd := int(seg)
				if float64(dd) < seg {
					dd++
				}
				kEnd := int(monthAt[dd&(monthSlots-1)])
				delta[sk+kStart]++
				delta[sk+kEnd]--
				b++
				kStart = kEnd
				if b >= nb {
					if kEnd < nk {
						flows[(1+nr)*nk+kEnd]++ // age18
					}
					rng.s = rs
					return
				}
				ageEnd = edges[b+1] - age0
				ha = min(ageEnd, horizon)
				st, c, sk = st+ng, c+ng*nd, sk+ng*kk
				continue
			}
			// the horizon
			delta[sk+kStart]++
			delta[sk+nk]--
			rng.s = rs
			return
		}
		// the event, at a time that is not a whole number of days (but
		// with probability 0): its month end is the first at or after the
		// next whole day
		tau := t + e*cl.invLam
		kEnd := int(monthNext[int(tau)&(monthSlots-1)])
		var u2 uint64 // move or exit, and the destination or reason
		rs, u2 = wyNext(rs)
		if eventField(u2) < cl.moveThr { // a move: a new stay starts
			to := aliasPick(&tables[cl.move], u2)
			if sc.redirects != nil {
				if sc.redirFrom>>to&1 != 0 {
					to, rs = sc.redirect(to, kEnd, rs)
				}
				if to == g {
					// redirected into the child's own group: no move
					t = tau
					rs, u = wyNext(rs)
					if e, ok = expFast(u); !ok {
						rng.s = rs
						e = rng.expSlow(u)
						rs = rng.s
					}
					continue
				}
			}
			delta[sk+kStart]++
			delta[sk+kEnd]--
			g = to
			st, groupStart, t, kStart, d = b*ng+g, tau, tau, kEnd, 0
			c, sk = st*nd, st*kk
			durEnd = inf
			if nd > 1 {
				durEnd = tau + durs[1]
			}
			rs, u = wyNext(rs)
			if e, ok = expFast(u); !ok {
				rng.s = rs
				e = rng.expSlow(u)
				rs = rng.s
			}
			continue
		}
		delta[sk+kStart]++
		delta[sk+kEnd]--
		j := aliasPick(&tables[cl.exit], u2)
		if kEnd < nk {
			flows[(1+j)*nk+kEnd]++
		}
		rng.s = rs
		return
	}
}

// summarise turns per-simulation counts into series. Every series' value
// per simulation and month (a cell) is worked out from one simulation's
// counts at a time (row), twice: first for each cell's minimum and maximum,
// then to count each cell's values in a histogram of that range (all
// cells' histograms end to end in *hist); the means and percentiles are
// read from the histograms in parallel. A cell whose range is too wide for
// a histogram (more than 4 × sims + 4096 values, which the counts of a
// council do not reach) keeps its values and sorts them. Both give the
// exact order statistics.
func (s *simulator) summarise(code string, buf []int32, sims, workers int, hist *[]int32) *CouncilProjection {
	nS := s.nb * s.ng
	nF := 1 + s.nr + 1
	stride := (nS + nF) * s.k
	// series order: states, groups, bands, total, entries, exits
	nSer := nS + s.ng + s.nb + 1 + nF
	cells := nSer * s.k
	row := make([]int32, cells)
	fill := func(sim int) {
		src := buf[sim*stride : (sim+1)*stride]
		copy(row, src[:nS*s.k]) // the states
		grp := row[nS*s.k : (nS+s.ng)*s.k]
		bnd := row[(nS+s.ng)*s.k : (nS+s.ng+s.nb)*s.k]
		tot := row[(nS+s.ng+s.nb)*s.k : (nS+s.ng+s.nb+1)*s.k]
		clear(grp)
		clear(bnd)
		clear(tot)
		for b := 0; b < s.nb; b++ {
			bb := bnd[b*s.k : (b+1)*s.k]
			for g := 0; g < s.ng; g++ {
				st := src[(b*s.ng+g)*s.k:][:len(bb)]
				gg := grp[g*s.k:][:len(bb)]
				for k, v := range st {
					gg[k] += v
					bb[k] += v
				}
			}
			tt := tot[:len(bb)]
			for k, v := range bb {
				tt[k] += v
			}
		}
		copy(row[(nS+s.ng+s.nb+1)*s.k:], src[nS*s.k:]) // the flows
	}
	lo, hi := make([]int32, cells), make([]int32, cells)
	fill(0)
	copy(lo, row)
	copy(hi, row)
	for sim := 0; sim < sims; sim++ {
		if sim > 0 {
			fill(sim)
		}
		lo, hi := lo[:len(row)], hi[:len(row)]
		for c, v := range row {
			lo[c] = min(lo[c], v)
			hi[c] = max(hi[c], v)
		}
	}
	// each cell's histogram: off[c] is where it starts in h, −1 when the
	// cell keeps its values in vals instead
	off := make([]int, cells)
	vals := map[int][]int32{}
	total := 0
	for c := range off {
		if span := int(hi[c]-lo[c]) + 1; span <= 4*sims+4096 {
			off[c] = total
			total += span
		} else {
			off[c] = -1
			vals[c] = make([]int32, 0, sims)
		}
	}
	if cap(*hist) < total {
		*hist = make([]int32, total)
	}
	h := (*hist)[:total]
	clear(h)
	for sim := 0; sim < sims; sim++ {
		fill(sim)
		off, lo := off[:len(row)], lo[:len(row)]
		for c, v := range row {
			if o := off[c]; o >= 0 {
				h[o+int(v-lo[c])]++
			} else {
				vals[c] = append(vals[c], v)
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
			for c := w; c < cells; c += workers {
				ser, k := c/s.k, c%s.k
				sr := &series[ser]
				sum := 0
				if o := off[c]; o >= 0 {
					counts := h[o : o+int(hi[c]-lo[c])+1]
					for i, n := range counts {
						sum += int(n) * (int(lo[c]) + i)
					}
					sr.P10[k], sr.P50[k], sr.P90[k] = countedQuantiles(counts, lo[c], sims)
				} else {
					for _, v := range vals[c] {
						sum += int(v)
					}
					slices.Sort(vals[c])
					sr.P10[k], sr.P50[k], sr.P90[k] = sortedQuantiles(vals[c])
				}
				sr.Mean[k] = float64(sum) / float64(sims)
			}
		}(w)
	}
	wg.Wait()
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
// the range is small, by sorting otherwise.
func intQuantiles(v []int32) (mean, p10, p50, p90 float64) {
	lo, hi, sum := v[0], v[0], 0
	for _, x := range v {
		lo = min(lo, x)
		hi = max(hi, x)
		sum += int(x)
	}
	n := len(v)
	mean = float64(sum) / float64(n)
	if span := int(hi-lo) + 1; span <= 4*n {
		counts := make([]int32, span)
		for _, x := range v {
			counts[x-lo]++
		}
		p10, p50, p90 = countedQuantiles(counts, lo, n)
		return mean, p10, p50, p90
	}
	sorted := slices.Clone(v)
	slices.Sort(sorted)
	p10, p50, p90 = sortedQuantiles(sorted)
	return mean, p10, p50, p90
}

// quantileRanks are the ranks (0-based, in sorted order) of n values that
// P10, P50 and P90 interpolate between, and the weight of the upper one.
func quantileRanks(n int) (ranks [6]int, frac [3]float64) {
	for q, p := range [3]float64{0.1, 0.5, 0.9} {
		pos := p * float64(n-1)
		i := int(pos)
		if i >= n-1 {
			ranks[2*q], ranks[2*q+1], frac[q] = n-1, n-1, 0
			continue
		}
		ranks[2*q], ranks[2*q+1], frac[q] = i, i+1, pos-float64(i)
	}
	return ranks, frac
}

// countedQuantiles returns P10, P50 and P90 of n values given as counts of
// lo, lo+1, …: one pass over the counts finds the six order statistics the
// three percentiles need.
func countedQuantiles(counts []int32, lo int32, n int) (p10, p50, p90 float64) {
	ranks, frac := quantileRanks(n)
	var at [6]int32 // the values at those ranks
	acc, r := 0, 0  // ranks are non-decreasing
	for i, c := range counts {
		acc += int(c)
		for r < len(ranks) && ranks[r] < acc {
			at[r] = lo + int32(i)
			r++
		}
		if r == len(ranks) {
			break
		}
	}
	return interpolate(at, frac)
}

// sortedQuantiles returns P10, P50 and P90 of sorted values.
func sortedQuantiles(sorted []int32) (p10, p50, p90 float64) {
	ranks, frac := quantileRanks(len(sorted))
	var at [6]int32
	for r, k := range ranks {
		at[r] = sorted[k]
	}
	return interpolate(at, frac)
}

func interpolate(at [6]int32, frac [3]float64) (p10, p50, p90 float64) {
	q := func(i int) float64 {
		return float64(at[2*i])*(1-frac[i]) + float64(at[2*i+1])*frac[i]
	}
	return q(0), q(1), q(2)
}
