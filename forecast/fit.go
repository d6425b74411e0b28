package forecast

import (
	"fmt"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"sufficiency/care"
)

// Model is the fitted child-level model: for each council, piecewise-constant
// hazards of moving between placement groups and of leaving care by reason,
// by age band × placement group × time in the group, estimated as
// occurrences / exposure over the reference window (the maximum-likelihood
// estimate of a piecewise-exponential competing-risks model) and shrunk
// toward the rates pooled over every council in the input; entries as a
// Poisson process per day by age at entry, sex and UASC; the first placement
// group of an entrant by age band; and the children in care at the origin.
type Model struct {
	Version  string
	Config   Config
	Groups   []care.ForecastGroup // the placement groups (care.ForecastGroups)
	Councils []*CouncilModel      // sorted by council code
	Pooled   *CouncilModel        // all councils together (no current children)
	Skipped  int                  // children left out for want of a date of birth
	Warnings []string             // councils with something unusual (e.g. no entries)
}

// CouncilModel is one council's fitted rates and children at the origin.
// Cells are indexed (age band, group, duration band); see Model.Cell.
type CouncilModel struct {
	Council    string
	Exposure   []float64   // days at risk per cell in the window
	MoveCount  []float64   // moves per cell × destination group
	ExitCount  []float64   // exits per cell × reason (ExitReasons order)
	Move       []float64   // hazard per day per cell × destination group (pooled)
	Exit       []float64   // hazard per day per cell × reason (pooled)
	Entries    []EntryCell // entry rates by age, sex, UASC
	FirstGroup [][]float64 // [age band][group]: share of entrants placed first in group
	Current    []InCare    // children in care at the end of the origin day
	AgeOuts    int         // children who reached 18 in care in the window (not estimated: forced)
	AgeUp      []float64   // per (age band, group): crossings of the band's upper edge in the window
	// Quarterly entries and (estimated-reason) exits in the window, and the
	// variance of a rate multiplier each implies: the over-dispersion of the
	// quarterly counts beyond Poisson plus the estimation error 1/count.
	QuarterEntries, QuarterExits []float64
	EntryVar, ExitVar            float64
}

// EntryCell is the entry rate of one kind of child.
type EntryCell struct {
	Age    int // age in whole years at entry
	Sex    care.Sex
	UASC   bool
	Count  int     // entries in the reference window
	PerDay float64 // Count / days in the window
}

// InCare is a child in care at the origin, as the projection carries it forward.
type InCare struct {
	ID           string
	DOB          time.Time
	Sex          care.Sex
	UASC         bool
	Group        int       // index into Model.Groups
	InGroupSince time.Time // start of the current run of episodes in this group
}

// NumBands, NumDurations and NumGroups give the model's dimensions.
func (m *Model) NumBands() int     { return len(m.Config.AgeBands) - 1 }
func (m *Model) NumDurations() int { return len(m.Config.DurationBands) }
func (m *Model) NumGroups() int    { return len(m.Groups) }

// Cell returns the index of (age band, group, duration band).
func (m *Model) Cell(band, group, dur int) int {
	return (band*len(m.Groups)+group)*len(m.Config.DurationBands) + dur
}

// Council returns the council's fitted model, or ENOTFOUND.
func (m *Model) Council(code string) (*CouncilModel, error) {
	for _, c := range m.Councils {
		if c.Council == code {
			return c, nil
		}
	}
	return nil, care.Errorf(care.ENOTFOUND, "council %s has no children in the data the model was fitted on; import its returns first", code)
}

// bandOf returns the band of an age in days since birth, or -1 past the last edge.
func bandOfAge(cfg *Config, dob, t time.Time) int {
	age := care.AgeOn(dob, t)
	for b := len(cfg.AgeBands) - 2; b >= 0; b-- {
		if age >= cfg.AgeBands[b] {
			if age >= cfg.AgeBands[len(cfg.AgeBands)-1] {
				return -1
			}
			return b
		}
	}
	return 0
}

func durBand(cfg *Config, d float64) int {
	for i := len(cfg.DurationBands) - 1; i > 0; i-- {
		if d >= float64(cfg.DurationBands[i]) {
			return i
		}
	}
	return 0
}

// Fit estimates the child-level model from children and their episodes
// (any number of councils). Children without a date of birth are left out
// (counted in Skipped). It returns EINVALID when there are no usable
// episodes, when the window or bands are wrong (saying what would work), or
// when no child entered care in the reference window anywhere.
func Fit(children []care.Child, episodes []care.Episode, cfg Config) (*Model, error) {
	first, last := dataRange(episodes)
	if first.IsZero() {
		return nil, care.Errorf(care.EINVALID, "no episodes of care to fit the model on; import SSDA903 returns for the council first")
	}
	cfg, err := cfg.withDefaults(first, last)
	if err != nil {
		return nil, err
	}
	m := &Model{Version: ChildModelVersion, Config: cfg, Groups: care.ForecastGroups}
	// councils are independent: each is fitted by one of the workers, and
	// the results are put together in order of council code
	inputs := splitByCouncil(children, episodes)
	fitted := make([]*CouncilModel, len(inputs))
	skips := make([]int, len(inputs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(inputs)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(inputs) {
					return
				}
				cm, seen := m.newCouncil(inputs[i].code), false
				skips[i] = inputs[i].histories(children, episodes, func(h history) {
					m.observe(cm, h)
					seen = true
				})
				if seen {
					fitted[i] = cm
				}
			}
		}()
	}
	wg.Wait()
	m.Pooled = m.newCouncil("all")
	for i, cm := range fitted {
		m.Skipped += skips[i]
		if cm != nil {
			m.Councils = append(m.Councils, cm)
			m.Pooled.add(cm)
		}
	}
	if len(m.Councils) == 0 {
		return nil, care.Errorf(care.EINVALID, "none of the %d children has both episodes and a date of birth; the model needs both", len(children))
	}
	totalEntries := 0
	for _, e := range m.Pooled.Entries {
		totalEntries += e.Count
	}
	if totalEntries == 0 {
		return nil, care.Errorf(care.EINVALID, "no child entered care in the reference window %s to %s (the episodes run from %s to %s); widen the window or move it to years with entries",
			cfg.RefStart.Format(time.DateOnly), cfg.RefEnd.Format(time.DateOnly), first.Format(time.DateOnly), last.Format(time.DateOnly))
	}
	m.rates(m.Pooled, nil)
	for _, cm := range m.Councils {
		m.rates(cm, m.Pooled)
		cm.EntryVar, cm.ExitVar = multiplierVar(cm.QuarterEntries), multiplierVar(cm.QuarterExits)
		n := 0
		for _, e := range cm.Entries {
			n += e.Count
		}
		if n == 0 {
			m.Warnings = append(m.Warnings, fmt.Sprintf("council %s: no child entered care in the reference window, so its projection has no new entrants; widen the window if that is not right", cm.Council))
		}
	}
	return m, nil
}

func (m *Model) newCouncil(code string) *CouncilModel {
	nc := m.NumBands() * m.NumGroups() * m.NumDurations()
	fg := make([][]float64, m.NumBands())
	for i := range fg {
		fg[i] = make([]float64, m.NumGroups())
	}
	return &CouncilModel{Council: code, Exposure: make([]float64, nc), MoveCount: make([]float64, nc*m.NumGroups()),
		ExitCount: make([]float64, nc*len(ExitReasons)), FirstGroup: fg, AgeUp: make([]float64, m.NumBands()*m.NumGroups()),
		QuarterEntries: make([]float64, m.quarters()), QuarterExits: make([]float64, m.quarters())}
}

// add accumulates another council's counts into c (for the pooled model).
func (c *CouncilModel) add(o *CouncilModel) {
	for i, v := range o.Exposure {
		c.Exposure[i] += v
	}
	for i, v := range o.MoveCount {
		c.MoveCount[i] += v
	}
	for i, v := range o.ExitCount {
		c.ExitCount[i] += v
	}
	for b := range o.FirstGroup {
		for g, v := range o.FirstGroup[b] {
			c.FirstGroup[b][g] += v
		}
	}
	idx := map[[3]int]int{}
	for i, e := range c.Entries {
		idx[entryKey(e)] = i
	}
	for _, e := range o.Entries {
		if i, ok := idx[entryKey(e)]; ok {
			c.Entries[i].Count += e.Count
			continue
		}
		idx[entryKey(e)] = len(c.Entries)
		c.Entries = append(c.Entries, EntryCell{Age: e.Age, Sex: e.Sex, UASC: e.UASC, Count: e.Count})
	}
	c.AgeOuts += o.AgeOuts
	for i, v := range o.QuarterEntries {
		c.QuarterEntries[i] += v
	}
	for i, v := range o.QuarterExits {
		c.QuarterExits[i] += v
	}
	for i, v := range o.AgeUp {
		c.AgeUp[i] += v
	}
}

func entryKey(e EntryCell) [3]int {
	u := 0
	if e.UASC {
		u = 1
	}
	return [3]int{e.Age, int(e.Sex[0]), u}
}

// observe adds one child's history to the council's counts.
func (m *Model) observe(cm *CouncilModel, h history) {
	cfg := &m.Config
	w0, w1 := cfg.RefStart, cfg.RefEnd
	dob := h.child.DOB
	sex := h.child.Sex
	if sex != care.Male && sex != care.Female {
		sex = care.Unknown
	}
	for _, s := range h.stays {
		end := s.end
		// exposure within the window
		from, to := s.start, end
		if from.Before(w0) {
			from = w0
		}
		if to.IsZero() || to.After(w1) {
			to = w1
		}
		if from.Before(to) {
			m.expose(cm, dob, s, from, to)
		}
		// entry
		if s.entry && !s.start.Before(w0) && s.start.Before(w1) {
			if b := bandOfAge(cfg, dob, s.start); b >= 0 {
				age := care.AgeOn(dob, s.start)
				cm.addEntry(age, sex, h.child.UASC)
				cm.FirstGroup[b][s.group]++
				cm.QuarterEntries[m.quarterOf(s.start)]++
			}
		}
		// the event that ended the stay
		if end.IsZero() || !end.After(w0) || end.After(w1) {
			continue
		}
		at := end.Add(-time.Second)
		b := bandOfAge(cfg, dob, at)
		if b < 0 || (s.next < 0 && bandOfAge(cfg, dob, end) < 0) {
			if s.next < 0 {
				cm.AgeOuts++
			}
			continue // at or past the leaving age: the projection forces this exit
		}
		d := durBand(cfg, days(s.start, at))
		c := m.Cell(b, s.group, d)
		if s.next >= 0 {
			cm.MoveCount[c*m.NumGroups()+s.next]++
		} else {
			cm.ExitCount[c*len(ExitReasons)+reasonIndex(s.reason)]++
			cm.QuarterExits[m.quarterOf(at)]++
		}
	}
	// the child in care at the end of the origin day
	o := cfg.Origin
	for _, s := range h.stays {
		if s.start.After(o) || (!s.end.IsZero() && !s.end.After(o)) {
			continue
		}
		if bandOfAge(cfg, dob, o) < 0 {
			break
		}
		cm.Current = append(cm.Current, InCare{ID: h.child.ID, DOB: dob, Sex: sex, UASC: h.child.UASC, Group: s.group, InGroupSince: s.start})
		break
	}
}

// quarters is the number of whole quarters (91.31 days) in the window, at least 1.
func (m *Model) quarters() int {
	n := int(days(m.Config.RefStart, m.Config.RefEnd) / (yearDays / 4))
	if n < 1 {
		n = 1
	}
	return n
}

// quarterOf returns the quarter of the window a date falls in.
func (m *Model) quarterOf(t time.Time) int {
	q := int(days(m.Config.RefStart, t) / (yearDays / 4))
	return min(max(q, 0), m.quarters()-1)
}

// multiplierVar is the variance of a rate multiplier implied by quarterly
// counts: over-dispersion beyond Poisson, (var − mean) / mean² when positive,
// plus the estimation error 1 / total. Zero without counts.
func multiplierVar(q []float64) float64 {
	n, tot := float64(len(q)), 0.0
	for _, v := range q {
		tot += v
	}
	if tot == 0 {
		return 0
	}
	mean := tot / n
	ss := 0.0
	for _, v := range q {
		ss += (v - mean) * (v - mean)
	}
	over := 0.0
	if n >= 4 {
		if v := ss / (n - 1); v > mean {
			over = (v - mean) / (mean * mean)
		}
	}
	return over + 1/tot
}

func reasonIndex(r ExitReason) int {
	for i, x := range ExitReasons {
		if x == r {
			return i
		}
	}
	return len(ExitReasons) - 1
}

func (c *CouncilModel) addEntry(age int, sex care.Sex, uasc bool) {
	for i := range c.Entries {
		e := &c.Entries[i]
		if e.Age == age && e.Sex == sex && e.UASC == uasc {
			e.Count++
			return
		}
	}
	c.Entries = append(c.Entries, EntryCell{Age: age, Sex: sex, UASC: uasc, Count: 1})
}

// expose adds the days of stay s between from and to, split at age band and
// duration band edges, to the council's exposure.
func (m *Model) expose(cm *CouncilModel, dob time.Time, s stay, from, to time.Time) {
	cfg := &m.Config
	t := from
	for t.Before(to) {
		b := bandOfAge(cfg, dob, t)
		if b < 0 {
			return
		}
		d := durBand(cfg, days(s.start, t))
		next := to
		ageEdge := dob.AddDate(cfg.AgeBands[b+1], 0, 0)
		if ageEdge.Before(next) {
			next = ageEdge
		}
		if next.Equal(ageEdge) {
			cm.AgeUp[b*m.NumGroups()+s.group]++ // the child moves up a band (or reaches the leaving age) in care
		}
		if d+1 < len(cfg.DurationBands) {
			if e := s.start.AddDate(0, 0, cfg.DurationBands[d+1]); e.Before(next) {
				next = e
			}
		}
		if !next.After(t) { // guard against a date that does not move on
			next = to
		}
		cm.Exposure[m.Cell(b, s.group, d)] += days(t, next)
		t = next
	}
}

// rates turns counts into hazards per day, shrinking toward pooled rates
// with weight PriorDays of exposure, and entry counts into rates per day.
func (m *Model) rates(cm, pooled *CouncilModel) {
	ng, nr := m.NumGroups(), len(ExitReasons)
	k := m.Config.PriorDays
	cm.Move = make([]float64, len(cm.MoveCount))
	cm.Exit = make([]float64, len(cm.ExitCount))
	for c, exp := range cm.Exposure {
		for j := 0; j < ng; j++ {
			i := c*ng + j
			cm.Move[i] = shrunk(cm.MoveCount[i], exp, pooled, func(p *CouncilModel) float64 { return p.Move[i] }, k)
		}
		for j := 0; j < nr; j++ {
			i := c*nr + j
			cm.Exit[i] = shrunk(cm.ExitCount[i], exp, pooled, func(p *CouncilModel) float64 { return p.Exit[i] }, k)
		}
	}
	window := days(m.Config.RefStart, m.Config.RefEnd)
	sort.Slice(cm.Entries, func(i, j int) bool {
		a, b := entryKey(cm.Entries[i]), entryKey(cm.Entries[j])
		for x := range a {
			if a[x] != b[x] {
				return a[x] < b[x]
			}
		}
		return false
	})
	for i := range cm.Entries {
		cm.Entries[i].PerDay = float64(cm.Entries[i].Count) / window
	}
	// first group: the council's own shares, with 5 entrants' worth of the pooled shares
	for b := range cm.FirstGroup {
		row := cm.FirstGroup[b]
		tot := 0.0
		for _, v := range row {
			tot += v
		}
		var prow []float64
		ptot := 0.0
		if pooled != nil {
			prow = pooled.FirstGroup[b]
			for _, v := range prow {
				ptot += v
			}
		}
		sum := 0.0
		out := make([]float64, len(row))
		for g, v := range row {
			out[g] = v
			if ptot > 0 {
				out[g] += 5 * prow[g] / ptot
			}
			sum += out[g]
		}
		if sum == 0 { // no entrant of this age anywhere: fostering
			out[groupIndex(care.ForecastFosterInHouse)] = 1
			sum = 1
		}
		for g := range out {
			out[g] /= sum
		}
		cm.FirstGroup[b] = out
	}
}

func shrunk(events, exposure float64, pooled *CouncilModel, pooledRate func(*CouncilModel) float64, k float64) float64 {
	if pooled == nil || k == 0 {
		if exposure == 0 {
			return 0
		}
		return events / exposure
	}
	return (events + k*pooledRate(pooled)) / (exposure + k)
}
