package forecast

import (
	"maps"
	"math"
	"slices"
	"sort"
	"time"

	"sufficiency/care"
)

// Costs prices a projection: a weekly unit cost per placement group at the
// origin's prices, the yearly price inflation of each group, and an optional
// budget line per projection year (pounds; empty for none).
type Costs struct {
	Weekly    []float64 // pounds per child per week, by Model.Groups
	Inflation []float64 // yearly rise, e.g. 0.05 for 5%, by Model.Groups
	Source    []string  // where each weekly cost came from
	Budget    []float64 // pounds per projection year (first year first); may be shorter than the horizon
}

func (c *Costs) check(ng int) error {
	if len(c.Weekly) != ng || len(c.Inflation) != ng {
		return care.Errorf(care.EINVALID, "costs: give a weekly cost and an inflation rate for each of the %d placement groups", ng)
	}
	for i := range c.Weekly {
		if c.Weekly[i] < 0 || math.IsNaN(c.Weekly[i]) || c.Inflation[i] <= -1 || math.IsNaN(c.Inflation[i]) {
			return care.Errorf(care.EINVALID, "costs: weekly cost %v or inflation %v for %s is not usable; give a cost of 0 or more and inflation above −100%%", c.Weekly[i], c.Inflation[i], care.ForecastGroups[i])
		}
	}
	return nil
}

// SpendYear is projected spend on placements in one projection year, over
// simulations, with the gap to the budget line where one was given.
type SpendYear struct {
	Year        int     `json:"year"` // 1 = the first twelve months after the origin
	Ends        string  `json:"ends"` // last day of the year
	Mean        float64 `json:"mean"`
	P10         float64 `json:"p10"`
	P50         float64 `json:"p50"`
	P90         float64 `json:"p90"`
	Budget      float64 `json:"budget,omitempty"`
	GapMean     float64 `json:"gap_mean,omitempty"`      // mean spend − budget
	GapP90      float64 `json:"gap_p90,omitempty"`       // P90 spend − budget
	OverBudgetP float64 `json:"p_over_budget,omitempty"` // share of simulations spending more than the budget
}

// spend fills out[sim*years+y] with each simulation's spend in year y: the
// stock of each group over each month (the mean of the month's two ends)
// × days / 7 × the weekly cost inflated to the middle of the month.
func (s *simulator) spend(buf []int32, sims, years int, c *Costs, out []float64) {
	nS := s.nb * s.ng
	stride := (nS + 2 + s.nr) * s.k
	price := make([]float64, s.ng*s.k)
	for k := 1; k < s.k; k++ {
		mid := (s.months[k-1] + s.months[k]) / 2
		for g := 0; g < s.ng; g++ {
			price[g*s.k+k] = c.Weekly[g] * math.Pow(1+c.Inflation[g], mid/yearDays) * (s.months[k] - s.months[k-1]) / 7
		}
	}
	clear(out)
	for sim := 0; sim < sims; sim++ {
		src := buf[sim*stride:]
		for b := 0; b < s.nb; b++ {
			for g := 0; g < s.ng; g++ {
				row := src[(b*s.ng+g)*s.k:]
				for k := 1; k < s.k; k++ {
					y := (k - 1) / 12
					out[sim*years+y] += float64(row[k-1]+row[k]) / 2 * price[g*s.k+k]
				}
			}
		}
	}
}

func spendYears(spend []float64, sims, years int, c *Costs, months []time.Time) []SpendYear {
	var out []SpendYear
	vals := make([]float64, sims)
	for y := 0; y < years; y++ {
		sum := 0.0
		for sim := 0; sim < sims; sim++ {
			vals[sim] = spend[sim*years+y]
			sum += vals[sim]
		}
		sort.Float64s(vals)
		sy := SpendYear{Year: y + 1, Ends: months[12*(y+1)].Format(time.DateOnly), Mean: sum / float64(sims),
			P10: quantile(vals, 0.1), P50: quantile(vals, 0.5), P90: quantile(vals, 0.9)}
		if y < len(c.Budget) && c.Budget[y] > 0 {
			sy.Budget = c.Budget[y]
			sy.GapMean, sy.GapP90 = sy.Mean-sy.Budget, sy.P90-sy.Budget
			over := sort.SearchFloat64s(vals, sy.Budget)
			for over < sims && vals[over] <= sy.Budget {
				over++
			}
			sy.OverBudgetP = float64(sims-over) / float64(sims)
		}
		out = append(out, sy)
	}
	return out
}

// ObservedCosts returns, for each placement group, the mean weekly cost of
// the child-days in [from, to) of episodes that carry a weekly cost (so the
// mix of in-house and external provision within a group is weighted as it
// was), the child-days behind it, and the yearly rise of costs by episode
// start year (a least-squares line through the log of the yearly mean costs,
// when at least two years have five costed episodes; NaN otherwise).
func ObservedCosts(episodes []care.Episode, from, to time.Time) (weekly, days, rise []float64) {
	ng := len(care.ForecastGroups)
	weekly, days, rise = make([]float64, ng), make([]float64, ng), make([]float64, ng)
	type yr struct {
		sum float64
		n   int
	}
	byYear := make([]map[int]*yr, ng)
	for i := range byYear {
		byYear[i] = map[int]*yr{}
	}
	for _, e := range episodes {
		if e.WeeklyCost <= 0 {
			continue
		}
		g := groupIndex(care.ForecastGroupOf(e.Placement, e.Provider))
		y := byYear[g][e.Start.Year()]
		if y == nil {
			y = &yr{}
			byYear[g][e.Start.Year()] = y
		}
		y.sum += e.WeeklyCost.Pounds()
		y.n++
		a, b := e.Start, e.End
		if a.Before(from) {
			a = from
		}
		if b.IsZero() || b.After(to) {
			b = to
		}
		if d := b.Sub(a).Hours() / 24; d > 0 {
			weekly[g] += d * e.WeeklyCost.Pounds()
			days[g] += d
		}
	}
	for g := range weekly {
		if days[g] > 0 {
			weekly[g] /= days[g]
		} else {
			weekly[g] = math.NaN()
		}
		// Years in order: summing in map order would make the fitted rise
		// (and every spend figure) differ in the last digits between runs.
		var xs, ys []float64
		for _, year := range slices.Sorted(maps.Keys(byYear[g])) {
			if v := byYear[g][year]; v.n >= 5 {
				xs = append(xs, float64(year))
				ys = append(ys, math.Log(v.sum/float64(v.n)))
			}
		}
		rise[g] = math.NaN()
		if len(xs) >= 2 {
			var mx, my float64
			for i := range xs {
				mx += xs[i]
				my += ys[i]
			}
			mx /= float64(len(xs))
			my /= float64(len(xs))
			var sxy, sxx float64
			for i := range xs {
				sxy += (xs[i] - mx) * (ys[i] - my)
				sxx += (xs[i] - mx) * (xs[i] - mx)
			}
			rise[g] = math.Exp(sxy/sxx) - 1
		}
	}
	return weekly, days, rise
}
