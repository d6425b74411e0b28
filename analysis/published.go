package analysis

import (
	"fmt"
	"time"

	"sufficiency/care"
	"sufficiency/picture"
	"sufficiency/refdata"
	"sufficiency/tabular"
)

// PublishedYear is the published placement-mix year to compare with a
// picture at `at`: the latest year ending 31 March on or before at, or the
// earliest published year when at is before them all; 0 when nothing is
// published.
func PublishedYear(at time.Time) int {
	ys := refdata.PlacementMixYears()
	if len(ys) == 0 {
		return 0
	}
	want := at.Year()
	if at.Before(care.Date(at.Year(), time.March, 31)) {
		want--
	}
	best := ys[0]
	for _, y := range ys {
		if y <= want {
			best = y
		}
	}
	return best
}

// mixValues turns a published placement mix and totals into picture measures.
func mixValues(p refdata.PlacementCounts, t refdata.YearFigures, haveTotals bool) map[string]float64 {
	v := map[string]float64{}
	total, ok := p.Total.Int()
	if !ok || total == 0 {
		return v
	}
	share := func(id string, fs ...refdata.Figure) {
		sum := 0.0
		for _, f := range fs {
			if !f.Known {
				return
			}
			sum += f.Value
		}
		v[id] = 100 * sum / float64(total)
	}
	v[picture.MeasureInCare] = float64(total)
	share(picture.MeasurePctFoster, p.Foster)
	share(picture.MeasurePctHomes, p.SecureAndChildrensHomes)
	share(picture.MeasurePctSupported, p.IndependentSemiIndependentSupp)
	share(picture.MeasurePctWithParents, p.PlacedWithParents)
	share(picture.MeasurePctAdoption, p.PlacedForAdoption)
	share(picture.MeasurePctResSchool, p.ResidentialSchools)
	share(picture.MeasurePctOther, p.OtherResidential, p.OtherPlacements)
	share(picture.MeasurePctOwnLA, p.ProviderOwnLA)
	share(picture.MeasurePctPrivate, p.ProviderPrivate)
	share(picture.MeasurePctVoluntary, p.ProviderVoluntary)
	share(picture.MeasurePctOutside, p.OutsideLABoundary)
	share(picture.MeasurePctOver20, p.Over20Miles)
	share(picture.MeasurePctUASC, p.UASC)
	share(picture.MeasurePct16Plus, p.Age16Plus)
	if p.OtherLAChildrenPlaced.Known {
		v[picture.MeasureInPlacers] = p.OtherLAChildrenPlaced.Value
	}
	if haveTotals {
		if t.RatePer10k.Known {
			v[picture.MeasureRate] = t.RatePer10k.Value
		} else if pop, ok := t.Pop0to17.Int(); ok && pop > 0 {
			v[picture.MeasureRate] = 10000 * float64(total) / float64(pop)
		}
		if t.Starts.Known {
			v[picture.MeasureStarted] = t.Starts.Value
		}
		if t.Ceases.Known {
			v[picture.MeasureCeased] = t.Ceases.Value
		}
	}
	return v
}

func yearOf(rows []refdata.YearFigures, year int) (refdata.YearFigures, bool) {
	for _, r := range rows {
		if r.Year == year {
			return r, true
		}
	}
	return refdata.YearFigures{}, false
}

// Comparators gives the published figures beside a picture: the council's
// own published figures and its statistical neighbours' average (a single
// council), the region, and England, for the published year nearest before
// at (see PublishedYear).
func Comparators(sc Scope, at time.Time) []picture.Comparator {
	year := PublishedYear(at)
	if year == 0 {
		return nil
	}
	period := fmt.Sprintf("31 March %d", year)
	var out []picture.Comparator
	if sc.Council != nil {
		if p, ok := refdata.PlacementMix(sc.Council.Code, year); ok {
			t, have := refdata.CLATotalsFor(sc.Council.Code, year)
			out = append(out, picture.Comparator{Name: sc.Council.Name, Kind: "published", Period: period, Values: mixValues(p, t, have)})
		}
		sums, counts := map[string]float64{}, map[string]int{}
		for _, sn := range sc.Council.StatNeighbours {
			p, ok := refdata.PlacementMix(sn, year)
			if !ok {
				continue
			}
			t, have := refdata.CLATotalsFor(sn, year)
			for k, v := range mixValues(p, t, have) {
				sums[k] += v
				counts[k]++
			}
		}
		if len(sums) > 0 {
			avg := map[string]float64{}
			for k, s := range sums {
				avg[k] = s / float64(counts[k])
			}
			out = append(out, picture.Comparator{Name: "Statistical neighbours", Kind: "average", Period: period, Values: avg})
		}
	}
	if sc.Region != "" {
		if p, ok := refdata.RegionPlacementMix(sc.Region, year); ok {
			t, have := yearOf(refdata.RegionCLATotals(sc.Region), year)
			out = append(out, picture.Comparator{Name: sc.Region, Kind: "region", Period: period, Values: mixValues(p, t, have)})
		}
	}
	if p, ok := refdata.EnglandPlacementMix(year); ok {
		t, have := yearOf(refdata.EnglandCLATotals(), year)
		out = append(out, picture.Comparator{Name: England, Kind: England, Period: period, Values: mixValues(p, t, have)})
	}
	return out
}

// NeighbourTable lists each statistical neighbour's published figures for
// the published year nearest before at; nil unless the scope is one council
// with statistical neighbours.
func NeighbourTable(sc Scope, at time.Time) *tabular.Table {
	if sc.Council == nil || len(sc.Council.StatNeighbours) == 0 {
		return nil
	}
	year := PublishedYear(at)
	ids := []string{picture.MeasureInCare, picture.MeasureRate, picture.MeasurePctFoster, picture.MeasurePctHomes,
		picture.MeasurePctPrivate, picture.MeasurePctOutside, picture.MeasurePctOver20, picture.MeasurePctUASC}
	t := tabular.Table{
		Title:   fmt.Sprintf("Statistical neighbours of %s: published figures at 31 March %d", sc.Council.Name, year),
		Columns: []tabular.Column{{Name: "Council"}},
	}
	for _, id := range ids {
		for _, m := range picture.Measures {
			if m.ID == id {
				t.Columns = append(t.Columns, tabular.Column{Name: m.Label, Kind: tabular.Number})
			}
		}
	}
	for _, sn := range sc.Council.StatNeighbours {
		c, ok := refdata.CouncilByCode(sn)
		if !ok {
			continue
		}
		p, ok := refdata.PlacementMix(sn, year)
		if !ok {
			continue
		}
		tot, have := refdata.CLATotalsFor(sn, year)
		v := mixValues(p, tot, have)
		row := []any{c.Name}
		for _, id := range ids {
			if x, ok := v[id]; ok {
				row = append(row, x)
			} else {
				row = append(row, nil)
			}
		}
		t.AddRow(row...)
	}
	return &t
}

// PublishedMeasures are a council's published figures for the year ending
// 31 March year, keyed as picture.Measures; nil when nothing is published.
func PublishedMeasures(council string, year int) map[string]float64 {
	p, ok := refdata.PlacementMix(council, year)
	if !ok {
		return nil
	}
	t, have := refdata.CLATotalsFor(council, year)
	return mixValues(p, t, have)
}
