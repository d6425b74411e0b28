package refdata

import (
	"fmt"
	"math"
	"strings"

	"sufficiency/care"
)

// measure picks one figure out of a council's or the nation's year.
type measure struct {
	name     string
	council  func(YearFigures) Figure
	national func(NationalYear) Figure
}

var measures = []measure{
	{"children looked after at 31 March", func(f YearFigures) Figure { return f.CLA31Mar }, func(n NationalYear) Figure { return n.CLA31Mar }},
	{"starts", func(f YearFigures) Figure { return f.Starts }, func(n NationalYear) Figure { return n.Starts }},
	{"ceases", func(f YearFigures) Figure { return f.Ceases }, func(n NationalYear) Figure { return n.Ceases }},
}

// CLAEstimate returns a council's children looked after at 31 March, starts
// and ceases for any year from 1994 on, each figure taken independently:
//
//   - the published figure (or the predecessors' apportioned figure, see
//     CLAHistory) when it is known;
//   - between two known years, linear interpolation (e.g. 2018, or a
//     suppressed starts figure);
//   - before the first or after the last known year, the nearest known figure
//     scaled by the national series' change between the two years
//     (NationalSeries, 1994–2025; after 2025 the national figure is held at
//     its 2025 level).
//
// Estimated figures are rounded to whole children and Estimate says, per
// figure, how each was made. council is an ONS code, DfE code or name; an
// unknown council gives ENOTFOUND, a year before 1994 EINVALID. A council with
// no known figure at all for a measure (none among the 153) gives the measure
// as unknown.
func CLAEstimate(council string, year int) (YearFigures, error) {
	c, err := LookupCouncil(council)
	if err != nil {
		return YearFigures{}, err
	}
	if year < 1994 {
		return YearFigures{}, care.Errorf(care.EINVALID,
			"year %d is before the national series starts: give a year ending 31 March from 1994 on", year)
	}
	hist := CLAHistory(c.Code)
	out := YearFigures{Year: year, Council: c.Code, DfECode: c.DfECode, Name: c.Name}
	for _, f := range hist {
		if f.Year == year {
			out = f
		}
	}
	var notes []string
	figs := []*Figure{&out.CLA31Mar, &out.Starts, &out.Ceases}
	for i, m := range measures {
		if figs[i].Known {
			continue
		}
		v, how, ok := estimateMeasure(hist, m, year)
		if !ok {
			continue
		}
		*figs[i] = known(math.Round(v))
		notes = append(notes, m.name+" "+how)
	}
	if len(notes) > 0 {
		if out.Estimate != "" {
			notes = append([]string{out.Estimate}, notes...)
		}
		out.Estimate = strings.Join(notes, "; ")
		if out.Source == "" {
			out.Source = "estimated from published figures (refdata.CLAEstimate)"
		}
	}
	return out, nil
}

// CLASeries returns CLAEstimate for each year from..to inclusive.
func CLASeries(council string, from, to int) ([]YearFigures, error) {
	if from > to {
		return nil, care.Errorf(care.EINVALID, "year range %d–%d is empty: the first year must not be after the last", from, to)
	}
	out := make([]YearFigures, 0, to-from+1)
	for y := from; y <= to; y++ {
		f, err := CLAEstimate(council, y)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// estimateMeasure estimates one measure for year from the known years in
// hist (sorted by year).
func estimateMeasure(hist []YearFigures, m measure, year int) (float64, string, bool) {
	var prev, next *YearFigures
	for i := range hist {
		if !m.council(hist[i]).Known {
			continue
		}
		if hist[i].Year < year {
			prev = &hist[i]
		}
		if hist[i].Year > year && next == nil {
			next = &hist[i]
		}
	}
	switch {
	case prev != nil && next != nil:
		a, b := m.council(*prev).Value, m.council(*next).Value
		t := float64(year-prev.Year) / float64(next.Year-prev.Year)
		return a + (b-a)*t, fmt.Sprintf("interpolated between %d and %d", prev.Year, next.Year), true
	case prev != nil:
		return scaleNational(m, *prev, year)
	case next != nil:
		return scaleNational(m, *next, year)
	}
	return 0, "", false
}

// scaleNational scales a council's known figure in base.Year by the national
// series' ratio between year and base.Year.
func scaleNational(m measure, base YearFigures, year int) (float64, string, bool) {
	nat := func(y int) (float64, bool) {
		s := NationalSeries()
		if y > s[len(s)-1].Year {
			y = s[len(s)-1].Year
		}
		for _, n := range s {
			if n.Year == y {
				f := m.national(n)
				return f.Value, f.Known && f.Value > 0
			}
		}
		return 0, false
	}
	b, okb := nat(base.Year)
	t, okt := nat(year)
	if !okb || !okt {
		return 0, "", false
	}
	return m.council(base).Value * t / b, fmt.Sprintf("scaled from %d by the national series (×%.3f)", base.Year, t/b), true
}
