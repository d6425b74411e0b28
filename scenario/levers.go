package scenario

import (
	"fmt"
	"math"
	"time"

	"sufficiency/care"
	"sufficiency/forecast"
)

// monthDays is the mean length of a month in days.
const monthDays = 365.25 / 12

// monthEnd is the last day of the k-th month after the origin's month (the
// origin itself for k = 0), as the forecast counts months.
func monthEnd(origin time.Time, k int) time.Time {
	if k == 0 {
		return origin
	}
	first := time.Date(origin.Year(), origin.Month(), 1, 0, 0, 0, 0, time.UTC)
	return first.AddDate(0, k+1, -1)
}

func dayCount(a, b time.Time) float64 { return b.Sub(a).Hours() / 24 }

// schedule is a lever's strength in each projection month, 0–1: the share
// of the month's days within [start, end], times the ramp (the months since
// the start over ramp_months, at most 1).
func (l *Lever) schedule(origin time.Time, months int) []float64 {
	start := origin.AddDate(0, 0, 1)
	if l.Start != "" {
		start, _ = date(l.Start)
	}
	var end time.Time
	if l.End != "" {
		end, _ = date(l.End)
		end = end.AddDate(0, 0, 1) // the end day acts in full
	}
	out := make([]float64, months)
	for m := range out {
		a, b := monthEnd(origin, m), monthEnd(origin, m+1) // the month is the days (a, b]
		lo, hi := a.AddDate(0, 0, 1), b.AddDate(0, 0, 1)
		if start.After(lo) {
			lo = start
		}
		if !end.IsZero() && end.Before(hi) {
			hi = end
		}
		if !hi.After(lo) {
			continue
		}
		f := dayCount(lo, hi) / dayCount(a, b)
		if l.RampMonths > 0 {
			f *= math.Min(1, dayCount(start, b.AddDate(0, 0, 1))/monthDays/float64(l.RampMonths))
		}
		out[m] = f
	}
	return out
}

// groupIndexes maps forecast groups to the model's indexes.
func groupIndexes(m *forecast.Model, gs []care.ForecastGroup) []int {
	var out []int
	for _, g := range gs {
		for i, x := range m.Groups {
			if x == g {
				out = append(out, i)
			}
		}
	}
	return out
}

// compiled is what the levers of a scenario become for one council.
type compiled struct {
	levers *forecast.Levers
	homes  []home  // open_home levers placed in this council
	blocks []block // block contracts
	// recruited foster places by month end (index k, 0 = origin)
	fosterPlaces []float64
	// deterministic costs by projection month (index m): programme running
	// costs, recruitment, capital
	programme, capital []float64
}

type home struct {
	lever    int
	group    int
	places   int
	weekly   float64
	active   []float64 // by month
	district string
	local    float64 // share of the group's children at the origin placed > 20 miles whose home is within 20 miles of the district
}

type block struct {
	lever  int
	group  int
	places int
	weekly float64
	active []float64
}

// compile turns the scenario's levers into one council's forecast levers
// and supply. share is the council's part of quantities given for the whole
// scope; baseAgency is the baseline's mean agency-fostering stock by month
// end (for recruit_foster).
func (sc *Scenario) compile(m *forecast.Model, cm *forecast.CouncilModel, share map[int]float64, baseAgency []float64, dist *distances) (*compiled, error) {
	origin := m.Config.Origin
	months := 12 * sc.Years
	ng := len(m.Groups)
	c := &compiled{levers: &forecast.Levers{}, fosterPlaces: make([]float64, months+1),
		programme: make([]float64, months), capital: make([]float64, months)}
	lv := c.levers
	ones := func() []float64 {
		r := make([]float64, months)
		for i := range r {
			r[i] = 1
		}
		return r
	}
	fa := groupIndexes(m, []care.ForecastGroup{care.ForecastFosterAgency})[0]
	fi := groupIndexes(m, []care.ForecastGroup{care.ForecastFosterInHouse})[0]
	var recruitShare []float64
	for i := range sc.Levers {
		l := &sc.Levers[i]
		w, ok := share[i]
		if !ok || w == 0 {
			continue
		}
		f := l.schedule(origin, months)
		for mm := range f {
			if f[mm] > 0 {
				c.programme[mm] += l.AnnualCost * w * dayCount(monthEnd(origin, mm), monthEnd(origin, mm+1)) / 365.25
			}
		}
		lo, hi := 0, 17
		if len(l.Ages) == 2 {
			lo, hi = l.Ages[0], l.Ages[1]
		}
		switch l.Lever {
		case "entry_rate":
			if lv.Entry == nil {
				lv.Entry = make([][]float64, 18)
			}
			for a := lo; a <= hi; a++ {
				if lv.Entry[a] == nil {
					lv.Entry[a] = ones()
				}
				for mm, v := range f {
					lv.Entry[a][mm] *= 1 + *l.Change*v
				}
			}
		case "exit_rate":
			r := exitIndex(l.To)
			if lv.Exit == nil {
				lv.Exit = make([][]float64, len(forecast.ExitReasons))
			}
			if lv.Exit[r] == nil {
				lv.Exit[r] = ones()
			}
			for mm, v := range f {
				lv.Exit[r][mm] *= 1 + *l.Change*v
			}
		case "uasc_arrivals":
			if l.Ages == nil {
				lo, hi = 16, 17
			}
			if lv.Arrivals == nil {
				lv.Arrivals = make([][]float64, 18)
			}
			per := l.PerYear * w / 365.25 / float64(hi-lo+1)
			for a := lo; a <= hi; a++ {
				if lv.Arrivals[a] == nil {
					lv.Arrivals[a] = make([]float64, months)
				}
				for mm, v := range f {
					lv.Arrivals[a][mm] += per * v
				}
			}
		case "step_down":
			fromGs, _ := groupsOf(l.From)
			toGs, _ := groupsOf(l.To)
			to := make([]float64, ng)
			for _, g := range groupIndexes(m, toGs) {
				to[g] = 1
			}
			if len(toGs) > 1 {
				// split between the destination groups as the council's
				// children at the origin are
				n := make([]float64, ng)
				tot := 0.0
				for _, ch := range cm.Current {
					if to[ch.Group] > 0 {
						n[ch.Group]++
						tot++
					}
				}
				if tot > 0 {
					for g := range to {
						if to[g] > 0 {
							to[g] = n[g] / tot
						}
					}
				}
			}
			rate := -math.Log(1-*l.Share) / (float64(l.WithinMonths) * monthDays)
			for _, from := range groupIndexes(m, fromGs) {
				t := append([]float64(nil), to...)
				t[from] = 0
				if sum(t) == 0 {
					return nil, fmt.Errorf("levers[%d]: step_down from %s to %s moves no child: the groups are the same", i, l.From, l.To)
				}
				per := make([]float64, months)
				for mm, v := range f {
					per[mm] = rate * v
				}
				lv.Moves = append(lv.Moves, forecast.MoveLever{From: from, To: t, PerDay: per})
			}
		case "recruit_foster":
			attr := 0.10
			if l.Attrition != nil {
				attr = *l.Attrition
			}
			cph := l.ChildrenPerHousehold
			if cph == 0 {
				cph = 1
			}
			keep := math.Pow(1-attr, 1.0/12)
			n := 0.0
			if recruitShare == nil {
				recruitShare = make([]float64, months)
			}
			for mm, v := range f {
				recruited := l.HouseholdsPerYear * w / 12 * v
				n = n*keep + recruited
				c.programme[mm] += recruited * l.CostPerHousehold
				c.fosterPlaces[mm+1] += n * cph
			}
		case "open_home":
			g := care.ForecastChildrensHome
			if l.PlacementGroup != "" {
				gs, _ := groupsOf(l.PlacementGroup)
				g = gs[0]
			}
			gi := groupIndexes(m, []care.ForecastGroup{g})[0]
			d, _ := districtOf(l.PostcodeDistrict)
			h := home{lever: i, group: gi, places: l.Places, weekly: l.WeeklyCost, active: f, district: d}
			if dist != nil {
				h.local = dist.local(cm.Council, gi, d)
			}
			c.homes = append(c.homes, h)
			for mm, v := range f {
				if v > 0 {
					c.capital[mm] += l.Capital
					break
				}
			}
		case "block_contract":
			gs, _ := groupsOf(l.PlacementGroup)
			gi := groupIndexes(m, gs)[0]
			places := int(math.Round(float64(l.Places) * w))
			if places > 0 {
				c.blocks = append(c.blocks, block{lever: i, group: gi, places: places, weekly: l.WeeklyPrice, active: f})
			}
		}
	}
	if recruitShare != nil {
		to := make([]float64, ng)
		to[fi] = 1
		for mm := range recruitShare {
			if baseAgency[mm+1] > 0 {
				recruitShare[mm] = math.Min(1, c.fosterPlaces[mm+1]/baseAgency[mm+1])
			}
		}
		lv.Redirect = append(lv.Redirect, forecast.RedirectLever{From: fa, To: to, Share: recruitShare})
	}
	return c, nil
}

func sum(v []float64) float64 {
	t := 0.0
	for _, x := range v {
		t += x
	}
	return t
}
