package statement

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"sufficiency/care"
	"sufficiency/forecast"
	"sufficiency/scenario"
	"sufficiency/tabular"
)

// ChildForecast is the child-level projection of the scope's own children
// by placement type and by age band: the model fitted to the loaded
// episodes (package forecast) run forward from the statement's date.
type ChildForecast struct {
	ModelVersion string
	Origin       time.Time
	Sims         int
	Seed         uint64
	Years        int
	// Ends are the year ends after the origin (12, 24, ... months).
	Ends []time.Time
	// Groups and Bands are one row per placement type and per age band.
	Groups, Bands []ForecastRow
	Total         ForecastRow
	// Unavailable says why there is no projection (no children in care at
	// the origin, too little history to fit); "" when there is one.
	Unavailable string
}

// ForecastRow is one placement type's or age band's children in care at
// the origin and the mean over simulations at each year end, with the 10th
// and 90th percentiles at the last.
type ForecastRow struct {
	Key      string // the placement group or age band in the model
	Label    string
	Now      int
	Mean     []float64
	P10, P90 float64
}

// childSims is how many simulations the statement's child-level forecast
// runs: enough for stable means and P10–P90 of a council's placement
// types, and a region's in well under a second of CPU.
const childSims = 200

// childForecast fits the child-level model to the scope's children and
// episodes at at and projects it years ahead. A scope the model cannot be
// fitted to gives a ChildForecast saying why; only a cancelled context or
// an internal failure is an error.
func childForecast(ctx context.Context, children []care.Child, episodes []care.Episode, at time.Time, years int) (*ChildForecast, error) {
	out := &ChildForecast{Origin: at, Sims: childSims, Seed: 1, Years: years}
	m, err := forecast.Fit(children, episodes, forecast.Config{Origin: at})
	if err != nil {
		var e *care.Error
		if errors.As(err, &e) && e.Code != care.EINTERNAL {
			out.Unavailable = e.Message
			return out, nil
		}
		return nil, err
	}
	p, err := forecast.Simulate(ctx, m, forecast.SimOptions{Years: years, Sims: childSims, Seed: out.Seed})
	if err != nil {
		return nil, err
	}
	out.ModelVersion = p.Version
	r := p.RollUp
	if r == nil || len(r.Total.Mean) == 0 {
		out.Unavailable = "no children in care at " + day(at)
		return out, nil
	}
	var ks []int
	for y := 1; y <= years; y++ {
		k := 12 * y
		if k >= len(p.Months) {
			break
		}
		ks = append(ks, k)
		out.Ends = append(out.Ends, p.Months[k])
	}
	row := func(label string, s forecast.Series) ForecastRow {
		fr := ForecastRow{Key: s.Name, Label: label, Now: int(math.Round(s.Mean[0]))}
		for _, k := range ks {
			fr.Mean = append(fr.Mean, s.Mean[k])
		}
		if n := len(ks); n > 0 {
			fr.P10, fr.P90 = s.P10[ks[n-1]], s.P90[ks[n-1]]
		}
		return fr
	}
	for _, s := range r.Groups {
		out.Groups = append(out.Groups, row(scenario.GroupLabel(care.ForecastGroup(s.Name)), s))
	}
	for b, s := range r.Bands {
		out.Bands = append(out.Bands, row(bandLabel(m.Config.AgeBands[b], m.Config.AgeBands[b+1]), s))
	}
	out.Total = row("All children in care", r.Total)
	return out, nil
}

// bandLabel words an age band [lo, hi) in years.
func bandLabel(lo, hi int) string {
	switch {
	case lo == 0 && hi == 1:
		return "Under 1"
	case hi-lo == 1:
		return fmt.Sprintf("Aged %d", lo)
	case hi-lo == 2:
		return fmt.Sprintf("Aged %d and %d", lo, hi-1)
	}
	return fmt.Sprintf("Aged %d to %d", lo, hi-1)
}

// childForecastSection reports the projection by placement type and age:
// a sentence on the type expected to change most, and two tables (whole
// children; the counts now are suppressed as the statement's own, and a
// row's projections with them).
func (c *composer) childForecastSection() {
	f := c.in.ChildForecast
	if f == nil {
		return
	}
	c.heading("Forecast by placement type and age")
	if f.Unavailable != "" {
		c.para("The child-level forecast by placement type and age could not be made from the loaded data: " + f.Unavailable + ".")
		return
	}
	c.para(fmt.Sprintf("The child-level model (%s) follows each child in care at %s month by month: entries by age and sex, moves between placement types and leaving care by reason, at the rates seen in the loaded returns over the two years before. The figures are means over %d simulations, rounded to whole children, with the 10th and 90th percentiles at the last year; the method is set out in docs/METHOD.md. Its total can differ from the published-statistics forecast above, which is fitted to published totals rather than to each child.",
		f.ModelVersion, day(f.Origin), f.Sims))
	if s := c.w.childForecastSentence(f); s != "" {
		c.para(s)
	}
	src := fmt.Sprintf("Child-level forecast (%s) of the loaded SSDA903 episodes from %s, %d simulations, seed %d", f.ModelVersion, day(f.Origin), f.Sims, f.Seed)
	for _, part := range []struct {
		title, first string
		rows         []ForecastRow
	}{{"Forecast of children in care by placement type", "Placement type", f.Groups}, {"Forecast of children in care by age", "Age", f.Bands}} {
		cols := []tabular.Column{{Name: part.first}, {Name: day(f.Origin), Kind: tabular.Count}}
		for _, e := range f.Ends {
			cols = append(cols, tabular.Column{Name: day(e), Kind: tabular.Number})
		}
		if n := len(f.Ends); n > 0 {
			last := day(f.Ends[n-1])
			cols = append(cols, tabular.Column{Name: last + " low (P10)", Kind: tabular.Number}, tabular.Column{Name: last + " high (P90)", Kind: tabular.Number})
		}
		t := tabular.Table{Title: part.title, Columns: cols, TotalRow: true}
		for _, r := range append(append([]ForecastRow(nil), part.rows...), f.Total) {
			row := []any{r.Label, r.Now}
			for _, v := range r.Mean {
				row = append(row, math.Round(v)+0)
			}
			if len(f.Ends) > 0 {
				row = append(row, math.Round(r.P10)+0, math.Round(r.P90)+0)
			}
			t.AddRow(row...)
		}
		t.Notes = append(t.Notes, "Means over simulations rounded to whole children, so the rows need not add to the total exactly.")
		c.table(t, src, true)
	}
}

// childForecastSentence names the placement type the model expects to
// change most in number by the last year end, with its interval; nothing
// when no type's figures may be shown.
func (w words) childForecastSentence(f *ChildForecast) string {
	n := len(f.Ends)
	if n == 0 {
		return ""
	}
	best := -1
	change := func(r ForecastRow) float64 { return math.Round(r.Mean[n-1]) - float64(r.Now) }
	for i, r := range f.Groups {
		if w.hidden(r.Now) || r.Now == 0 || len(r.Mean) < n {
			continue
		}
		if best < 0 || math.Abs(change(r)) > math.Abs(change(f.Groups[best])) {
			best = i
		}
	}
	if best < 0 {
		return ""
	}
	r := f.Groups[best]
	d := change(r)
	end := day(f.Ends[n-1])
	lo, hi := math.Round(r.P10), math.Round(r.P90)
	interval := fmt.Sprintf("80%% interval %s to %s", thousands(int64(lo)), thousands(int64(hi)))
	if d == 0 {
		return fmt.Sprintf("The model expects no placement type to change in number by %s: the number of %s stays at about %s (%s).",
			end, groupWords(r), w.count(r.Now), interval)
	}
	dir, by := "rise", d
	if d < 0 {
		dir, by = "fall", -d
	}
	s := fmt.Sprintf("The largest change the model expects by %s is a %s of about %s in the number of %s, from %s to about %s (%s)",
		end, dir, thousands(int64(by)), groupWords(r), w.count(r.Now), thousands(int64(math.Round(r.Mean[n-1]))), interval)
	now := float64(r.Now)
	switch {
	case d > 0 && lo > now, d < 0 && hi < now:
		s += "; the whole interval lies on that side of today's number"
	default:
		s += "; the interval includes today's number, so the direction is not certain"
	}
	return s + "."
}

// groupWords names the children of a placement type in a sentence.
func groupWords(r ForecastRow) string {
	switch care.ForecastGroup(r.Key) {
	case care.ForecastFosterRelative:
		return "children fostered by family or friends"
	case care.ForecastFosterInHouse:
		return "children with the council's own foster carers"
	case care.ForecastFosterAgency:
		return "children with agency foster carers"
	case care.ForecastChildrensHome:
		return "children in children's homes"
	case care.ForecastSupported:
		return "young people in supported accommodation"
	case care.ForecastPlacedWithParents:
		return "children placed with parents"
	case care.ForecastAdoption:
		return "children placed for adoption"
	case care.ForecastSecureOther:
		return "children in secure and other placements"
	}
	return "children: " + lowerFirst(r.Label)
}
