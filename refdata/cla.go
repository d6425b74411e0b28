package refdata

import (
	"sort"
	"strings"
	"sync"
)

// YearFigures are one area's published children-looked-after totals for one
// year ending 31 March: children looked after at 31 March (the stock), and
// children who started and ceased to be looked after during the year.
type YearFigures struct {
	Year       int    // year ending 31 March, e.g. 2023 for 2022–23
	Council    string // ONS code (blank for national and regional rows)
	DfECode    string // DfE 3-digit LA code as published (region letters or 921/999 for other rows)
	Name       string // as published
	CLA31Mar   Figure // children looked after at 31 March
	Starts     Figure // started to be looked after during the year
	Ceases     Figure // ceased to be looked after during the year
	Pop0to17   Figure // 0–17 population used for the rate (published from 2019, and 2010)
	RatePer10k Figure // children looked after per 10,000 children aged 0–17 (from 2019)
	Source     string // the publication the row was taken from
	// Estimate is "" for a published figure; otherwise it says how the
	// figure was derived (see CLAHistory).
	Estimate string
}

type claTotals struct {
	byDfE    map[string][]YearFigures // LA rows by DfE code
	byRegion map[string][]YearFigures // regional rows by lower-cased name
	england  []YearFigures
}

var claOnce struct {
	sync.Once
	t *claTotals
}

func loadCLATotals() *claTotals {
	claOnce.Do(func() { claOnce.t = parseCLATotals() })
	return claOnce.t
}

func parseCLATotals() *claTotals {
	t := mustTable("dfe_cla_la_totals_2010_2025.csv", "time_period", "level", "dfe_la_code", "cla_31mar", "starts", "ceases")
	out := &claTotals{byDfE: map[string][]YearFigures{}, byRegion: map[string][]YearFigures{}}
	for _, r := range t.rows {
		y, ok := atoi(t.get(r, "time_period"))
		if !ok {
			continue
		}
		f := YearFigures{
			Year:       y,
			Council:    t.get(r, "la_code"),
			DfECode:    t.get(r, "dfe_la_code"),
			Name:       t.get(r, "la_name"),
			CLA31Mar:   parseFigure(t.get(r, "cla_31mar")),
			Starts:     parseFigure(t.get(r, "starts")),
			Ceases:     parseFigure(t.get(r, "ceases")),
			Pop0to17:   parseFigure(t.get(r, "pop_0_17")),
			RatePer10k: parseFigure(t.get(r, "cla_rate_per_10k")),
			Source:     t.get(r, "source"),
		}
		switch t.get(r, "level") {
		case "Local authority":
			out.byDfE[f.DfECode] = append(out.byDfE[f.DfECode], f)
		case "Regional":
			name := councilKey(t.get(r, "region_name"))
			f.Name = t.get(r, "region_name")
			out.byRegion[name] = append(out.byRegion[name], f)
		case "National":
			f.Name = "England"
			out.england = append(out.england, f)
		}
	}
	for _, v := range out.byDfE {
		sortYears(v)
	}
	for _, v := range out.byRegion {
		sortYears(v)
	}
	sortYears(out.england)
	return out
}

func sortYears(v []YearFigures) {
	sort.SliceStable(v, func(i, j int) bool { return v[i].Year < v[j].Year })
}

// CLATotals returns a council's published totals, oldest year first, for the
// years 2010–2025 in which the DfE published figures for it under its current
// DfE code (2018 was not published at LA level; councils created by
// reorganisation have rows only from their first year, e.g. Cumberland from
// 2023). council is an ONS code, DfE code or name. Rows that carried only a
// DfE code are filled with the council's ONS code. An unknown council gives
// nil.
func CLATotals(council string) []YearFigures {
	c, ok := CouncilByCode(council)
	if !ok {
		return nil
	}
	rows := loadCLATotals().byDfE[c.DfECode]
	out := make([]YearFigures, len(rows))
	copy(out, rows)
	for i := range out {
		out[i].Council = c.Code
	}
	return out
}

// CLATotalsFor returns a council's totals for one year, and whether that year
// was published for it.
func CLATotalsFor(council string, year int) (YearFigures, bool) {
	for _, f := range CLATotals(council) {
		if f.Year == year {
			return f, true
		}
	}
	return YearFigures{}, false
}

// RegionCLATotals returns a region's published totals (2010–2025), oldest
// first. region is one of Regions() in any case, or "Inner London" / "Outer
// London" (published from 2011). An unknown region gives nil.
func RegionCLATotals(region string) []YearFigures {
	rows := loadCLATotals().byRegion[councilKey(region)]
	return append([]YearFigures(nil), rows...)
}

// EnglandCLATotals returns England's totals 2010–2025 from the same releases
// as the council rows (rounded to the nearest 10). For a longer series see
// NationalSeries.
func EnglandCLATotals() []YearFigures {
	return append([]YearFigures(nil), loadCLATotals().england...)
}

// NationalYear is one year of the national time series for England.
type NationalYear struct {
	Year     int    // year ending 31 March
	CLA31Mar Figure // children looked after at 31 March
	Starts   Figure
	Ceases   Figure
	UASC     Figure // unaccompanied asylum-seeking children looked after at 31 March ("x" before 2004)
	Adopted  Figure // children adopted from care during the year (not in this copy for 2025)
	Source   string
}

var seriesOnce struct {
	sync.Once
	s []NationalYear
}

// NationalSeries returns England's children-looked-after time series
// 1994–2025, oldest first (figures rounded to the nearest 10 by the DfE).
func NationalSeries() []NationalYear {
	seriesOnce.Do(func() {
		t := mustTable("dfe_cla_national_timeseries_1994_2025.csv", "year", "cla_31mar", "starts", "ceases")
		for _, r := range t.rows {
			y, ok := atoi(t.get(r, "year"))
			if !ok {
				continue
			}
			seriesOnce.s = append(seriesOnce.s, NationalYear{
				Year:     y,
				CLA31Mar: parseFigure(t.get(r, "cla_31mar")),
				Starts:   parseFigure(t.get(r, "starts")),
				Ceases:   parseFigure(t.get(r, "ceases")),
				UASC:     parseFigure(t.get(r, "uasc_31mar")),
				Adopted:  parseFigure(t.get(r, "adopted")),
				Source:   t.get(r, "source"),
			})
		}
		sort.Slice(seriesOnce.s, func(i, j int) bool { return seriesOnce.s[i].Year < seriesOnce.s[j].Year })
	})
	return append([]NationalYear(nil), seriesOnce.s...)
}

// NationalSeriesFor returns one year of the national series.
func NationalSeriesFor(year int) (NationalYear, bool) {
	for _, y := range NationalSeries() {
		if y.Year == year {
			return y, true
		}
	}
	return NationalYear{}, false
}

// NationalTable names one of the DfE's national breakdown tables, 2020–2024.
type NationalTable string

// The national breakdown tables (DfE, Children looked after in England, 2024
// release).
const (
	// AtMarch31 is children looked after at 31 March by characteristics;
	// groups "Age group", "Category of need", "Ethnicity", "Gender", "Legal
	// status", "Motherhood status" and "Placement".
	AtMarch31 NationalTable = "at_31_march"
	// Started is children who started to be looked after during the year;
	// groups "Age on starting", "Category of need", "Ethnicity", "Gender",
	// "Legal status", "Placement group", "Previous permanence arrangement"
	// and "Unaccompanied asylum-seeking children".
	Started NationalTable = "started"
	// Ceased is children who ceased to be looked after; groups "Age on
	// ceasing", "Category of need", "Duration of last period of care",
	// "Ethnicity", "Gender", "Legal status", "Placement group" and "Reason
	// episode ceased".
	Ceased NationalTable = "ceased"
	// DistanceLocality is children at 31 March by placement distance (20
	// miles or less / over 20 miles) and locality (inside / outside the LA
	// boundary); groups are placement groups ("All children", …).
	DistanceLocality NationalTable = "distance_locality"
	// ProviderLocality is children at 31 March by placement type (the group)
	// and provider (the characteristic: "Own provision (by the LA)",
	// "Private provision", …).
	ProviderLocality NationalTable = "provider_locality"
)

// NationalTables lists the national breakdown tables.
func NationalTables() []NationalTable {
	return []NationalTable{AtMarch31, Started, Ceased, DistanceLocality, ProviderLocality}
}

var nationalFiles = map[NationalTable]struct{ file, group, char string }{
	AtMarch31:        {"dfe_cla_national_31march_by_characteristics_2020_2024.csv", "cla_group", "characteristic"},
	Started:          {"dfe_cla_national_started_2020_2024.csv", "cla_group", "characteristic"},
	Ceased:           {"dfe_cla_national_ceased_2020_2024.csv", "cla_group", "characteristic"},
	DistanceLocality: {"dfe_cla_national_31march_by_distance_locality_2020_2024.csv", "cla_group", "characteristic"},
	ProviderLocality: {"dfe_cla_national_31march_by_provider_placement_locality_2020_2024.csv", "placement_type", "placement_provider"},
}

// Breakdown is one published national figure: the number of children with
// one characteristic within a group, and its percentage of the group's total.
type Breakdown struct {
	Year           int
	Group          string // e.g. "Age group", "Reason episode ceased", "1. All children looked after at 31 March"
	Characteristic string // e.g. "10 to 15 years", "Private provision"
	Number         Figure // rounded to the nearest 10 by the DfE
	Percent        Figure // rounded to a whole percent by the DfE
}

var nationalOnce struct {
	sync.Mutex
	m map[NationalTable][]Breakdown
}

func nationalRows(t NationalTable) []Breakdown {
	nationalOnce.Lock()
	defer nationalOnce.Unlock()
	if rows, ok := nationalOnce.m[t]; ok {
		return rows
	}
	spec, ok := nationalFiles[t]
	if !ok {
		return nil
	}
	tab := mustTable(spec.file, "time_period", spec.group, spec.char, "number", "percentage")
	var rows []Breakdown
	for _, r := range tab.rows {
		y, ok := atoi(tab.get(r, "time_period"))
		if !ok {
			continue
		}
		rows = append(rows, Breakdown{
			Year:           y,
			Group:          tab.get(r, spec.group),
			Characteristic: tab.get(r, spec.char),
			Number:         parseFigure(tab.get(r, "number")),
			Percent:        parseFigure(tab.get(r, "percentage")),
		})
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Year < rows[j].Year })
	if nationalOnce.m == nil {
		nationalOnce.m = map[NationalTable][]Breakdown{}
	}
	nationalOnce.m[t] = rows
	return rows
}

// National returns the rows of a national breakdown table for one year, in
// published order (group, then characteristic). A year or table not
// published gives nil.
func National(t NationalTable, year int) []Breakdown {
	var out []Breakdown
	for _, b := range nationalRows(t) {
		if b.Year == year {
			out = append(out, b)
		}
	}
	return out
}

// NationalGroup returns one group of a national table for one year (group
// matched ignoring case), e.g. NationalGroup(Ceased, 2024, "Reason episode ceased").
func NationalGroup(t NationalTable, year int, group string) []Breakdown {
	var out []Breakdown
	for _, b := range nationalRows(t) {
		if b.Year == year && strings.EqualFold(b.Group, group) {
			out = append(out, b)
		}
	}
	return out
}

// NationalFigure returns one published figure, matching group and
// characteristic ignoring case.
func NationalFigure(t NationalTable, year int, group, characteristic string) (Breakdown, bool) {
	for _, b := range nationalRows(t) {
		if b.Year == year && strings.EqualFold(b.Group, group) && strings.EqualFold(b.Characteristic, characteristic) {
			return b, true
		}
	}
	return Breakdown{}, false
}

// NationalYears returns the years a national table covers, oldest first.
func NationalYears(t NationalTable) []int {
	seen := map[int]bool{}
	var out []int
	for _, b := range nationalRows(t) {
		if !seen[b.Year] {
			seen[b.Year] = true
			out = append(out, b.Year)
		}
	}
	sort.Ints(out)
	return out
}
