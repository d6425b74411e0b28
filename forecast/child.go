package forecast

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"sufficiency/care"
)

// ChildModelVersion identifies the child-level model; it is recorded with
// every projection so a result can be reproduced.
const ChildModelVersion = "childsim-3"

// ExitReason is why a child left care, grouped for the forecast.
type ExitReason string

// Exit reasons. ExitAge18 is not estimated: every child still in care leaves
// at 18 in the projection.
const (
	ExitHome         ExitReason = "home"         // E4A, E4B, E13, E41: home to parents, relatives or others (incl. child arrangement orders)
	ExitAdoption     ExitReason = "adoption"     // E11, E12
	ExitSGO          ExitReason = "sgo"          // E45–E48: special guardianship order
	ExitIndependence ExitReason = "independence" // E5, E6, E17 before 18: independent living, staying put
	ExitOther        ExitReason = "other"        // E2, E3, E7, E8, E9, E14, E15, E16 and unknown
	ExitAge18        ExitReason = "age18"        // reached 18 in care
)

// ExitReasons lists the estimated exit reasons (ExitAge18 is forced) in
// display order.
var ExitReasons = []ExitReason{ExitHome, ExitAdoption, ExitSGO, ExitIndependence, ExitOther}

// ExitReasonOf maps an SSDA903 REC code to an exit reason.
func ExitReasonOf(rec string) ExitReason {
	switch rec {
	case "E4A", "E4B", "E13", "E41":
		return ExitHome
	case "E11", "E12":
		return ExitAdoption
	case "E45", "E46", "E47", "E48":
		return ExitSGO
	case "E5", "E6", "E17":
		return ExitIndependence
	}
	return ExitOther
}

// Config sets up the child-level model. The zero value of a field means its
// default.
type Config struct {
	// AgeBands are the band edges in years: band i is [AgeBands[i],
	// AgeBands[i+1]). Default 0, 1, 5, 10, 16, 18. The last edge is the age
	// at which children leave care.
	AgeBands []int
	// DurationBands are edges in days of time in the current placement group:
	// hazards of moving and leaving differ by them. Default 0, 91, 365.
	DurationBands []int
	// RefStart and RefEnd bound the reference window [RefStart, RefEnd) over
	// which rates are estimated. Default: the two years ending at Origin.
	RefStart, RefEnd time.Time
	// Origin is the date the projection starts from (children in care at the
	// end of that day are carried forward). Default: the last date in the data.
	Origin time.Time
	// PriorDays is the weight, in days of exposure, of the rates pooled over
	// every council in the input in each council's own rates (partial
	// pooling). Default 180; negative means none.
	PriorDays float64
}

// DefaultAgeBands are the default age band edges in years.
var DefaultAgeBands = []int{0, 1, 5, 10, 16, 18}

// DefaultDurationBands are the default edges of time in placement group, in days.
var DefaultDurationBands = []int{0, 91, 365}

const dayLen = 24 * time.Hour

func days(a, b time.Time) float64 { return float64(b.Sub(a)) / float64(dayLen) }

// stay is a run of contiguous episodes in one forecast group.
type stay struct {
	group  int // index into care.ForecastGroups
	start  time.Time
	end    time.Time // zero when still open
	next   int       // group moved to, or -1 when the child left care (or open)
	reason ExitReason
	entry  bool // first stay of a period of care
}

// history is one child's stays.
type history struct {
	child care.Child
	stays []stay
}

func groupIndex(g care.ForecastGroup) int {
	for i, x := range care.ForecastGroups {
		if x == g {
			return i
		}
	}
	return len(care.ForecastGroups) - 1
}

// councilInput is the children and episodes of one council, as indexes
// into the caller's slices.
type councilInput struct {
	code     string
	children []int32
	episodes []int32
}

// splitByCouncil groups the children and episodes by council, in order of
// council code; councils with no child are left out (their episodes cannot
// be used).
func splitByCouncil(children []care.Child, episodes []care.Episode) []*councilInput {
	by := map[string]*councilInput{}
	var out []*councilInput
	for i := range children {
		code := children[i].Council
		ci := by[code]
		if ci == nil {
			ci = &councilInput{code: code}
			by[code] = ci
			out = append(out, ci)
		}
		ci.children = append(ci.children, int32(i))
	}
	for i := range episodes {
		if ci := by[episodes[i].Council]; ci != nil {
			ci.episodes = append(ci.episodes, int32(i))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].code < out[j].code })
	return out
}

// histories calls fn with each child's stays (children in order of ID; the
// stays slice is reused between calls). Episodes are joined into one period
// of care when the next starts on or before the day the previous ended (or
// the previous ended with X1); within a period, episodes in the same
// forecast group are merged. Children without a date of birth are left out
// and counted in the result; children without episodes are passed over.
func (ci *councilInput) histories(children []care.Child, episodes []care.Episode, fn func(h history)) (skipped int) {
	// each child's episodes as a linked list through next, in input order
	head := make(map[string][2]int32, len(ci.children)) // first and last episode
	next := make([]int32, len(ci.episodes))
	for n, i := range ci.episodes {
		next[n] = -1
		id := episodes[i].ChildID
		if fl, ok := head[id]; ok {
			next[fl[1]] = int32(n)
			head[id] = [2]int32{fl[0], int32(n)}
		} else {
			head[id] = [2]int32{int32(n), int32(n)}
		}
	}
	order := slices.Clone(ci.children)
	sort.Slice(order, func(i, j int) bool { return children[order[i]].ID < children[order[j]].ID })
	var eps []*care.Episode
	var stays []stay
	for _, cx := range order {
		c := children[cx]
		fl, ok := head[c.ID]
		if !ok {
			continue
		}
		if c.DOB.IsZero() {
			skipped++
			continue
		}
		eps = eps[:0]
		for n := fl[0]; n >= 0; n = next[n] {
			eps = append(eps, &episodes[ci.episodes[n]])
		}
		sort.Slice(eps, func(i, j int) bool { return eps[i].Start.Before(eps[j].Start) })
		stays = stays[:0]
		var prev *care.Episode
		for _, e := range eps {
			if e.Start.IsZero() || (!e.End.IsZero() && e.End.Before(e.Start)) {
				continue
			}
			g := groupIndex(care.ForecastGroupOf(e.Placement, e.Provider))
			n := len(stays)
			if n == 0 {
				stays = append(stays, stay{group: g, start: e.Start, next: -1, entry: true})
				prev = e
				continue
			}
			cur := &stays[n-1]
			contiguous := prev.End.IsZero() || !e.Start.After(prev.End) || prev.ReasonEnded == "X1"
			switch {
			case contiguous && cur.group == g:
				// same group: the stay goes on
			case contiguous:
				cur.end, cur.next = e.Start, g
				stays = append(stays, stay{group: g, start: e.Start, next: -1})
			default: // a gap: the child left care and came back
				cur.end, cur.next, cur.reason = prev.End, -1, ExitReasonOf(prev.ReasonEnded)
				stays = append(stays, stay{group: g, start: e.Start, next: -1, entry: true})
			}
			prev = e
		}
		if n := len(stays); n > 0 && !prev.End.IsZero() && prev.ReasonEnded != "" && prev.ReasonEnded != "X1" {
			stays[n-1].end, stays[n-1].reason = prev.End, ExitReasonOf(prev.ReasonEnded)
		}
		if len(stays) == 0 {
			continue
		}
		fn(history{child: c, stays: stays})
	}
	return skipped
}

// dataRange returns the first and last dates in the episodes.
func dataRange(episodes []care.Episode) (first, last time.Time) {
	for _, e := range episodes {
		if !e.Start.IsZero() && (first.IsZero() || e.Start.Before(first)) {
			first = e.Start
		}
		for _, d := range []time.Time{e.Start, e.End} {
			if !d.IsZero() && d.After(last) {
				last = d
			}
		}
	}
	return first, last
}

// withDefaults fills the zero fields of cfg from the data range and checks
// the bands and window. It returns EINVALID with a window that would work.
func (cfg Config) withDefaults(first, last time.Time) (Config, error) {
	if len(cfg.AgeBands) == 0 {
		cfg.AgeBands = DefaultAgeBands
	}
	if len(cfg.DurationBands) == 0 {
		cfg.DurationBands = DefaultDurationBands
	}
	for i := 1; i < len(cfg.AgeBands); i++ {
		if cfg.AgeBands[i] <= cfg.AgeBands[i-1] {
			return cfg, care.Errorf(care.EINVALID, "age bands %v must rise strictly, e.g. 0,1,5,10,16,18", cfg.AgeBands)
		}
	}
	if len(cfg.AgeBands) < 2 || cfg.AgeBands[0] != 0 || cfg.AgeBands[len(cfg.AgeBands)-1] > 25 {
		return cfg, care.Errorf(care.EINVALID, "age bands %v must start at 0 and end at the leaving age (18), e.g. 0,1,5,10,16,18", cfg.AgeBands)
	}
	if cfg.DurationBands[0] != 0 {
		return cfg, care.Errorf(care.EINVALID, "duration bands %v must start at 0 days", cfg.DurationBands)
	}
	for i := 1; i < len(cfg.DurationBands); i++ {
		if cfg.DurationBands[i] <= cfg.DurationBands[i-1] {
			return cfg, care.Errorf(care.EINVALID, "duration bands %v must rise strictly, e.g. 0,91,365", cfg.DurationBands)
		}
	}
	if cfg.PriorDays == 0 {
		cfg.PriorDays = 180
	}
	if cfg.PriorDays < 0 {
		cfg.PriorDays = 0
	}
	// The returns describe every day up to the end of the collection year
	// of the last event (31 March), not only up to that event.
	covered := care.CollectionYearEnd(last)
	span := fmt.Sprintf("the episodes run from %s and the returns cover days up to %s", first.Format(time.DateOnly), covered.Format(time.DateOnly))
	if cfg.Origin.IsZero() {
		cfg.Origin = last
	}
	if cfg.Origin.After(covered) || cfg.Origin.Before(first) {
		return cfg, care.Errorf(care.EINVALID, "forecast origin %s is outside the data: %s; choose an origin within them", cfg.Origin.Format(time.DateOnly), span)
	}
	if cfg.RefEnd.IsZero() {
		cfg.RefEnd = cfg.Origin
	}
	if cfg.RefStart.IsZero() {
		cfg.RefStart = cfg.RefEnd.AddDate(-2, 0, 0)
		if cfg.RefStart.Before(first) {
			cfg.RefStart = first
		}
	}
	if cfg.RefEnd.After(cfg.Origin) {
		return cfg, care.Errorf(care.EINVALID, "reference window ends %s, after the forecast origin %s; end it on or before the origin", cfg.RefEnd.Format(time.DateOnly), cfg.Origin.Format(time.DateOnly))
	}
	if cfg.RefStart.Before(first) || cfg.RefEnd.After(covered) {
		return cfg, care.Errorf(care.EINVALID, "reference window %s to %s is outside the data: %s; choose a window within them",
			cfg.RefStart.Format(time.DateOnly), cfg.RefEnd.Format(time.DateOnly), span)
	}
	if d := days(cfg.RefStart, cfg.RefEnd); d < 180 {
		return cfg, care.Errorf(care.EINVALID, "reference window %s to %s is %.0f days; rates need at least 180 days of history: %s, so a window from %s to %s would work",
			cfg.RefStart.Format(time.DateOnly), cfg.RefEnd.Format(time.DateOnly), d, span, maxTime(first, cfg.RefEnd.AddDate(-1, 0, 0)).Format(time.DateOnly), cfg.RefEnd.Format(time.DateOnly))
	}
	return cfg, nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
