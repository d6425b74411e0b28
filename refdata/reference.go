package refdata

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Reference is one curated market or cost figure reported by a public body
// (CMA, NAO, CCN/IMPOWER, LGA, PSSRU, Ofsted, MHCLG) or derived here from
// published data (the metric then starts "Derived:").
type Reference struct {
	Metric    string  // e.g. "CCN: average weekly cost of a residential placement (county councils)"
	Value     float64 // in Unit
	Unit      string  // e.g. "GBP per child per week", "percent", "GBP billion"
	Period    string  // as reported, e.g. "2024", "2023-24", "31 Mar 2025"
	Geography string  // e.g. "England", "GB"
	Source    string
	URL       string
	Notes     string
}

var refOnce struct {
	sync.Once
	list []Reference
}

// ReferenceFigures returns every curated figure, in file order.
func ReferenceFigures() []Reference {
	refOnce.Do(func() {
		t := mustTable("market_and_cost_reference_figures.csv", "metric", "value", "unit", "period")
		for _, r := range t.rows {
			v, ok := atof(t.get(r, "value"))
			if !ok {
				continue
			}
			refOnce.list = append(refOnce.list, Reference{
				Metric: t.get(r, "metric"), Value: v, Unit: t.get(r, "unit"), Period: t.get(r, "period"),
				Geography: t.get(r, "geography"), Source: t.get(r, "source"), URL: t.get(r, "url"), Notes: t.get(r, "notes"),
			})
		}
	})
	return append([]Reference(nil), refOnce.list...)
}

var yearRE = regexp.MustCompile(`(19|20)\d\d`)

// latestYear is the last four-digit year mentioned in a period ("2023-24" →
// 2023, "2016-2020" → 2020); 0 if none.
func latestYear(period string) int {
	best := 0
	for _, m := range yearRE.FindAllString(period, -1) {
		if y, _ := strconv.Atoi(m); y > best {
			best = y
		}
	}
	return best
}

// ReferenceFigure returns the figure with this metric name (case-insensitive,
// surrounding spaces ignored). Where several periods are published for one
// metric it returns the latest; ReferenceSeries returns them all.
func ReferenceFigure(metric string) (Reference, bool) {
	rs := ReferenceSeries(metric)
	if len(rs) == 0 {
		return Reference{}, false
	}
	best := rs[0]
	for _, r := range rs[1:] {
		if latestYear(r.Period) > latestYear(best.Period) {
			best = r
		}
	}
	return best, true
}

// ReferenceSeries returns every figure with this metric name, in file order.
func ReferenceSeries(metric string) []Reference {
	k := councilKey(metric)
	var out []Reference
	for _, r := range ReferenceFigures() {
		if strings.EqualFold(councilKey(r.Metric), k) {
			out = append(out, r)
		}
	}
	return out
}
