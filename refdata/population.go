package refdata

import (
	"sort"
	"sync"
)

// YearPopulation is an area's ONS mid-year estimate of children aged 0–17.
type YearPopulation struct {
	Year     int // mid-year of the estimate
	Children int
}

var popOnce struct {
	sync.Once
	byDfE   map[string][]YearPopulation // LA rows by DfE code
	england []YearPopulation
}

func loadPopulation() {
	popOnce.Do(func() {
		t := mustTable("ons_population_0_17_by_la_2012_2024.csv", "time_period", "geographic_level", "old_la_code", "population_estimate")
		popOnce.byDfE = map[string][]YearPopulation{}
		for _, r := range t.rows {
			y, ok := atoi(t.get(r, "time_period"))
			n, nok := atoi(t.get(r, "population_estimate"))
			if !ok || !nok {
				continue
			}
			p := YearPopulation{Year: y, Children: n}
			switch t.get(r, "geographic_level") {
			case "Local authority":
				code := t.get(r, "old_la_code")
				popOnce.byDfE[code] = append(popOnce.byDfE[code], p)
			case "National":
				popOnce.england = append(popOnce.england, p)
			}
		}
		for _, v := range popOnce.byDfE {
			sort.Slice(v, func(i, j int) bool { return v[i].Year < v[j].Year })
		}
		sort.Slice(popOnce.england, func(i, j int) bool { return popOnce.england[i].Year < popOnce.england[j].Year })
	})
}

// Population returns a council's 0–17 population (ONS mid-year estimate) in
// year (2012–2024). council is an ONS code, DfE code or name. It reports false
// for an unknown council or a year with no estimate for it (councils created
// by reorganisation have estimates only from their first year).
func Population(council string, year int) (int, bool) {
	for _, p := range PopulationSeries(council) {
		if p.Year == year {
			return p.Children, true
		}
	}
	return 0, false
}

// PopulationSeries returns all of a council's 0–17 estimates, oldest first; nil
// for an unknown council.
func PopulationSeries(council string) []YearPopulation {
	c, ok := CouncilByCode(council)
	if !ok {
		return nil
	}
	loadPopulation()
	return append([]YearPopulation(nil), popOnce.byDfE[c.DfECode]...)
}

// EnglandPopulation returns England's 0–17 population in year (2012–2024).
func EnglandPopulation(year int) (int, bool) {
	loadPopulation()
	for _, p := range popOnce.england {
		if p.Year == year {
			return p.Children, true
		}
	}
	return 0, false
}
