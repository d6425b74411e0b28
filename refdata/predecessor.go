package refdata

import (
	"fmt"
	"math"
	"sort"
)

// Predecessor is a council that was abolished in a reorganisation and whose
// area (all or part) passed to a current council.
type Predecessor struct {
	DfECode string  // DfE 3-digit code of the abolished council, e.g. "909"
	Name    string  // e.g. "Cumbria"
	Share   float64 // share of the predecessor's children attributed to the successor (0–1)
	Basis   string  // how Share was set
}

// reorganisations lists, by successor DfE code, the predecessors whose
// published figures stand in for a current council's before it existed (or
// before the DfE published it separately). North Yorkshire (815) and Somerset
// (933) kept their DfE codes when they became unitary in 2023, so need no
// entry.
var reorganisations = map[string][]struct{ code, name string }{
	"838": {{"835", "Dorset (county council, to 2019)"}}, // Dorset, 2019; Christchurch went to BCP, not apportioned
	"839": {{"836", "Poole"}, {"837", "Bournemouth"}},    // Bournemouth, Christchurch and Poole, 2019
	"940": {{"928", "Northamptonshire"}},                 // North Northamptonshire, 2021
	"941": {{"928", "Northamptonshire"}},                 // West Northamptonshire, 2021
	"942": {{"909", "Cumbria"}},                          // Cumberland, 2023
	"943": {{"909", "Cumbria"}},                          // Westmorland and Furness, 2023
}

// Predecessors returns the councils whose figures stand in for council (ONS
// code, DfE code or name) before it existed, with the share of each
// attributed to it. Where a predecessor was split between several current
// councils, the share is each successor's part of their combined 0–17
// population in the first year all of them have an ONS estimate; a
// predecessor passed whole has share 1. Councils not created by a
// reorganisation since 2010 have none.
func Predecessors(council string) []Predecessor {
	c, ok := CouncilByCode(council)
	if !ok {
		return nil
	}
	var out []Predecessor
	for _, p := range reorganisations[c.DfECode] {
		var successors []string
		for succ, ps := range reorganisations {
			for _, q := range ps {
				if q.code == p.code {
					successors = append(successors, succ)
				}
			}
		}
		sort.Strings(successors)
		pr := Predecessor{DfECode: p.code, Name: p.name, Share: 1, Basis: "the whole predecessor passed to this council"}
		if len(successors) > 1 {
			share, year, ok := populationShare(c.DfECode, successors)
			if ok {
				pr.Share = share
				pr.Basis = fmt.Sprintf("0–17 population share among its successors in %d", year)
			} else {
				pr.Share = 1 / float64(len(successors))
				pr.Basis = "equal split among its successors (no population estimate)"
			}
		}
		out = append(out, pr)
	}
	return out
}

// populationShare is code's part of the 0–17 population of all the given
// councils in the first year every one of them has an estimate.
func populationShare(code string, all []string) (float64, int, bool) {
	loadPopulation()
	for year := 2012; year <= 2030; year++ {
		var mine, total float64
		complete := true
		for _, c := range all {
			n, ok := popOf(c, year)
			if !ok {
				complete = false
				break
			}
			total += float64(n)
			if c == code {
				mine = float64(n)
			}
		}
		if complete && total > 0 {
			return mine / total, year, true
		}
	}
	return 0, 0, false
}

func popOf(dfe string, year int) (int, bool) {
	for _, p := range popOnce.byDfE[dfe] {
		if p.Year == year {
			return p.Children, true
		}
	}
	return 0, false
}

// CLAHistory returns a council's children-looked-after totals for every year
// 2010–2025 for which a figure can be given, oldest first: its own published
// figures where they are known, and otherwise (for councils created by
// reorganisation, in years before the DfE published them separately) its
// predecessors' published figures times their shares (see Predecessors),
// rounded to whole children, with Estimate saying so. A year is left out when
// neither is known (2018 always: no LA figures were published).
func CLAHistory(council string) []YearFigures {
	c, ok := CouncilByCode(council)
	if !ok {
		return nil
	}
	own := map[int]YearFigures{}
	for _, f := range CLATotals(c.Code) {
		own[f.Year] = f
	}
	preds := Predecessors(c.Code)
	years := map[int]bool{}
	for y := range own {
		years[y] = true
	}
	totals := loadCLATotals()
	for _, p := range preds {
		for _, f := range totals.byDfE[p.DfECode] {
			years[f.Year] = true
		}
	}
	var out []YearFigures
	for y := range years {
		if f, ok := own[y]; ok && f.CLA31Mar.Known {
			out = append(out, f)
			continue
		}
		if f, ok := apportion(c, preds, totals, y); ok {
			out = append(out, f)
		}
	}
	sortYears(out)
	return out
}

// apportion sums the predecessors' figures for year times their shares; it
// fails unless every predecessor has a known stock figure that year.
func apportion(c Council, preds []Predecessor, totals *claTotals, year int) (YearFigures, bool) {
	if len(preds) == 0 {
		return YearFigures{}, false
	}
	f := YearFigures{Year: year, Council: c.Code, DfECode: c.DfECode, Name: c.Name}
	var cla, starts, ceases float64
	startsOK, ceasesOK := true, true
	var from string
	for i, p := range preds {
		var row *YearFigures
		for j := range totals.byDfE[p.DfECode] {
			if totals.byDfE[p.DfECode][j].Year == year {
				row = &totals.byDfE[p.DfECode][j]
			}
		}
		if row == nil || !row.CLA31Mar.Known {
			return YearFigures{}, false
		}
		cla += row.CLA31Mar.Value * p.Share
		startsOK = startsOK && row.Starts.Known
		ceasesOK = ceasesOK && row.Ceases.Known
		starts += row.Starts.Value * p.Share
		ceases += row.Ceases.Value * p.Share
		if i > 0 {
			from += " + "
		}
		from += fmt.Sprintf("%s (%s) × %.3f", p.Name, p.DfECode, p.Share)
		f.Source = row.Source
	}
	f.CLA31Mar = known(math.Round(cla))
	f.Starts, f.Ceases = Figure{Symbol: "x"}, Figure{Symbol: "x"}
	if startsOK {
		f.Starts = known(math.Round(starts))
	}
	if ceasesOK {
		f.Ceases = known(math.Round(ceases))
	}
	f.Pop0to17, f.RatePer10k = Figure{Symbol: "x"}, Figure{Symbol: "x"}
	f.Estimate = "apportioned from " + from
	return f, true
}
