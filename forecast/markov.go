package forecast

import (
	"math"

	"sufficiency/care"
)

// MarkovVersion identifies the deterministic reference mode.
const MarkovVersion = "markov-v2-1"

// MarkovSeries is one quantity of the deterministic projection per month end:
// the expected count and its standard deviation, with the ±2σ band the v2
// tool draws (the lower edge floored at zero).
type MarkovSeries struct {
	Name  string    `json:"name"`
	Mean  []float64 `json:"mean"`
	SD    []float64 `json:"sd"`
	Lower []float64 `json:"lower"` // mean − 2σ, at least 0
	Upper []float64 `json:"upper"` // mean + 2σ
}

// MarkovCouncil is the deterministic projection of one council (or the roll-up).
type MarkovCouncil struct {
	Council string         `json:"council"`
	States  []MarkovSeries `json:"states"`
	Groups  []MarkovSeries `json:"groups"`
	Total   MarkovSeries   `json:"total"`
}

// MarkovProjection is the deterministic reference projection.
type MarkovProjection struct {
	Version  string           `json:"model_version"`
	Months   []string         `json:"months"`
	Councils []*MarkovCouncil `json:"councils"`
	RollUp   *MarkovCouncil   `json:"rollup"`
}

// Markov projects the fitted model with the open v2 method
// (SocialFinanceDigitalLabs cs-demand-model-regional, MultinomialPredictor):
// a daily Markov chain on the states age band × placement group plus "not in
// care", with daily rates over the reference window (moves, exits and
// ageing up a band, each as events / child-days in the state, so no
// dependence on time in placement), entrants per day by state, and
// the variance accumulated linearly each day as var ← var + (M∘(1−M))·pop +
// entrants (binomial for each transition, Poisson for entrants). Counts of
// the whole model's councils (or only) are projected separately and rolled
// up by adding means and variances. The starting population is the model's
// children in care at the origin.
func Markov(m *Model, years int, only []string) (*MarkovProjection, error) {
	if years < 1 || years > 5 {
		return nil, care.Errorf(care.EINVALID, "projection horizon %d years: give 1 to 5 years", years)
	}
	councils := m.Councils
	if len(only) > 0 {
		councils = nil
		for _, c := range only {
			cm, err := m.Council(c)
			if err != nil {
				return nil, err
			}
			councils = append(councils, cm)
		}
	}
	s := m.newSimulator(years)
	p := &MarkovProjection{Version: MarkovVersion}
	for k := 0; k < s.k; k++ {
		p.Months = append(p.Months, monthEnd(m.Config.Origin, k).Format("2006-01-02"))
	}
	nS := s.nb * s.ng
	var rollMean, rollVar [][]float64
	for _, cm := range councils {
		mean, vr := m.markovCouncil(cm, s)
		if rollMean == nil {
			rollMean, rollVar = make([][]float64, s.k), make([][]float64, s.k)
			for k := range rollMean {
				rollMean[k], rollVar[k] = make([]float64, nS), make([]float64, nS)
			}
		}
		for k := range mean {
			for i := range mean[k] {
				rollMean[k][i] += mean[k][i]
				rollVar[k][i] += vr[k][i]
			}
		}
		p.Councils = append(p.Councils, m.markovSeries(cm.Council, s, mean, vr))
	}
	p.RollUp = m.markovSeries("all", s, rollMean, rollVar)
	return p, nil
}

// markovCouncil runs the daily chain for one council and returns the mean and
// variance per state at each month end.
func (m *Model) markovCouncil(cm *CouncilModel, s *simulator) (mean, vr [][]float64) {
	nb, ng, nd, nr := s.nb, s.ng, s.nd, s.nr
	nS := nb * ng
	// daily rates from the counts, summed over duration bands
	exposure := make([]float64, nS)
	rate := make([][]float64, nS) // rate[from][to]; to == nS is "not in care"
	for i := range rate {
		rate[i] = make([]float64, nS+1)
	}
	for b := 0; b < nb; b++ {
		for g := 0; g < ng; g++ {
			st := b*ng + g
			for d := 0; d < nd; d++ {
				c := m.Cell(b, g, d)
				exposure[st] += cm.Exposure[c]
				for g2 := 0; g2 < ng; g2++ {
					rate[st][b*ng+g2] += cm.MoveCount[c*ng+g2]
				}
				for r := 0; r < nr; r++ {
					rate[st][nS] += cm.ExitCount[c*nr+r]
				}
			}
			up := cm.AgeUp[st]
			if b+1 < nb {
				rate[st][(b+1)*ng+g] += up
			} else {
				rate[st][nS] += up
			}
		}
	}
	for st := range rate {
		rate[st][st] = 0
		for to := range rate[st] {
			if exposure[st] > 0 {
				rate[st][to] /= exposure[st]
			} else {
				rate[st][to] = 0
			}
		}
		// normalise so a day's outflows never exceed the stock (as v2 does)
		out := 0.0
		for _, r := range rate[st] {
			out += r
		}
		if out > 1 {
			for to := range rate[st] {
				rate[st][to] /= out
			}
		}
	}
	window := days(m.Config.RefStart, m.Config.RefEnd)
	entrants := make([]float64, nS)
	// entrants per day by state: the council's entries split by its first-group shares within age band
	for _, e := range cm.Entries {
		b := 0
		for b+1 < nb && e.Age >= m.Config.AgeBands[b+1] {
			b++
		}
		for g := 0; g < ng; g++ {
			entrants[b*ng+g] += float64(e.Count) / window * cm.FirstGroup[b][g]
		}
	}
	pop := make([]float64, nS)
	for _, c := range cm.Current {
		b := bandOfAge(&m.Config, c.DOB, m.Config.Origin)
		if b >= 0 {
			pop[b*ng+c.Group]++
		}
	}
	v := make([]float64, nS)
	next := make([]float64, nS)
	mean, vr = make([][]float64, s.k), make([][]float64, s.k)
	snap := func(k int) {
		mean[k] = append([]float64(nil), pop...)
		vr[k] = append([]float64(nil), v...)
	}
	snap(0)
	k := 1
	for day := 1; day <= int(s.horizon); day++ {
		copy(next, entrants)
		for from := 0; from < nS; from++ {
			if pop[from] == 0 {
				continue
			}
			stay := 1.0
			for to, r := range rate[from] {
				if r == 0 {
					continue
				}
				stay -= r
				if to < nS {
					next[to] += r * pop[from]
					v[to] += r * (1 - r) * pop[from]
				}
			}
			next[from] += stay * pop[from]
			v[from] += stay * (1 - stay) * pop[from]
		}
		for i := range v {
			v[i] += entrants[i]
		}
		pop, next = next, pop
		for k < s.k && float64(day) >= s.months[k] {
			snap(k)
			k++
		}
	}
	for ; k < s.k; k++ {
		snap(k)
	}
	return mean, vr
}

func (m *Model) markovSeries(code string, s *simulator, mean, vr [][]float64) *MarkovCouncil {
	mc := &MarkovCouncil{Council: code}
	mk := func(name string, idx []int) MarkovSeries {
		ms := MarkovSeries{Name: name}
		for k := range mean {
			mu, va := 0.0, 0.0
			for _, i := range idx {
				mu += mean[k][i]
				va += vr[k][i]
			}
			sd := math.Sqrt(va)
			ms.Mean = append(ms.Mean, mu)
			ms.SD = append(ms.SD, sd)
			ms.Lower = append(ms.Lower, math.Max(0, mu-2*sd))
			ms.Upper = append(ms.Upper, mu+2*sd)
		}
		return ms
	}
	var all []int
	for b := 0; b < s.nb; b++ {
		for g := 0; g < s.ng; g++ {
			mc.States = append(mc.States, mk(m.BandLabel(b)+"/"+string(m.Groups[g]), []int{b*s.ng + g}))
			all = append(all, b*s.ng+g)
		}
	}
	for g := 0; g < s.ng; g++ {
		var idx []int
		for b := 0; b < s.nb; b++ {
			idx = append(idx, b*s.ng+g)
		}
		mc.Groups = append(mc.Groups, mk(string(m.Groups[g]), idx))
	}
	mc.Total = mk("total", all)
	return mc
}
