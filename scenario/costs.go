package scenario

import (
	"fmt"
	"math"
	"strconv"

	"sufficiency/care"
	"sufficiency/forecast"
	"sufficiency/refdata"
)

// BaseCosts gives the unit costs a scenario prices children with, as the
// child-level forecast does (cmd/sufficiency forecast without --cost):
// imported weekly costs where the reference window holds at least a
// child-year of costed placements in the group, with the rise observed in
// them; otherwise the embedded reference figures brought to the origin's
// prices at the group's published rise.
func BaseCosts(m *forecast.Model, episodes []care.Episode) *forecast.Costs {
	ng := len(m.Groups)
	c := &forecast.Costs{Weekly: make([]float64, ng), Inflation: make([]float64, ng), Source: make([]string, ng)}
	const res = "CCN: average weekly cost of a residential placement (county councils)"
	resRise, fosterRise := 0.0, 0.0
	if a, ok1 := seriesValue(res, 2019); ok1 {
		if b, ok2 := seriesValue(res, 2024); ok2 {
			resRise = math.Pow(b/a, 1.0/5) - 1
		}
	}
	if a, ok1 := seriesValue("NAO 2019: LA spend per fostered child", 0); ok1 {
		if b, ok2 := refdata.ReferenceFigure("Derived: RO3 fostering spend per fostered child at 31 Mar 2025"); ok2 {
			fosterRise = math.Pow(b.Value/(a/52.14), 1.0/7) - 1
		}
	}
	type ref struct {
		metric string
		rise   float64
	}
	refs := map[care.ForecastGroup]ref{
		care.ForecastFosterRelative:    {"Derived: RO3 fostering spend per fostered child at 31 Mar 2025", fosterRise},
		care.ForecastFosterInHouse:     {"Derived: RO3 fostering spend per fostered child at 31 Mar 2025", fosterRise},
		care.ForecastFosterAgency:      {"CMA interim: average weekly price, independent fostering agencies", fosterRise},
		care.ForecastChildrensHome:     {res, resRise},
		care.ForecastSecureOther:       {"Derived: RO3 residential spend per child in secure/children's homes at 31 Mar 2025", resRise},
		care.ForecastSupported:         {"", resRise},
		care.ForecastPlacedWithParents: {"", fosterRise},
		care.ForecastAdoption:          {"", fosterRise},
	}
	weekly, days, rise := forecast.ObservedCosts(episodes, m.Config.RefStart, m.Config.RefEnd)
	for g, grp := range m.Groups {
		r := refs[grp]
		switch {
		case days[g] >= 365:
			c.Weekly[g] = weekly[g]
			c.Source[g] = fmt.Sprintf("imported placement costs (%.0f child-days in the reference window)", days[g])
		case r.metric != "":
			if f, ok := refdata.ReferenceFigure(r.metric); ok {
				yrs := float64(m.Config.Origin.Year() - lastYear(f.Period))
				c.Weekly[g] = f.Value * math.Pow(1+r.rise, yrs)
				c.Source[g] = fmt.Sprintf("reference: %s, %s, moved to %d prices", f.Metric, f.Period, m.Config.Origin.Year())
			}
		}
		if c.Source[g] == "" {
			c.Source[g] = "no imported costs and no reference figure: not priced"
		}
		c.Inflation[g] = r.rise
		if !math.IsNaN(rise[g]) && days[g] >= 365 {
			c.Inflation[g] = rise[g]
		}
	}
	return c
}

func seriesValue(metric string, year int) (float64, bool) {
	for _, r := range refdata.ReferenceSeries(metric) {
		if year == 0 || lastYear(r.Period) == year {
			return r.Value, true
		}
	}
	return 0, false
}

func lastYear(period string) int {
	best := 0
	for i := 0; i+4 <= len(period); i++ {
		if y, err := strconv.Atoi(period[i : i+4]); err == nil && y > 1900 && y < 2200 && y > best {
			best = y
		}
	}
	return best
}
