package analysis

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/forecast"
	"sufficiency/refdata"
	"sufficiency/store"
)

// ForecastOptions are what a child-level forecast of imported data is asked
// for: the same for the CLI's forecast verb and the web's forecast page.
type ForecastOptions struct {
	// LA and Region say what was asked for (kept in the record).
	LA, Region string
	// Config is the model's configuration: origin and reference window
	// (zero for the defaults).
	Config forecast.Config
	// Mode is "simulate" (child-level Monte Carlo) or "markov".
	Mode        string
	Years, Sims int
	Seed        uint64
	// Cost and Inflation are GROUP=VALUE lists (weekly pounds; yearly rise);
	// Budget is pounds per projection year, comma-separated.
	Cost, Inflation, Budget string
	// Progress, when set, is told of the simulations done.
	Progress func(done, total int)
}

// Forecast fits the child-level model to the children and episodes and
// projects it (simulation with costs, or the deterministic reference),
// returning the record that is saved and shown. EINVALID for a mode, horizon
// or cost setting out of range.
func Forecast(ctx context.Context, children []care.Child, episodes []care.Episode, o ForecastOptions) (*forecast.Record, error) {
	if o.Mode == "" {
		o.Mode = forecast.ModeSimulate
	}
	if o.Mode != "simulate" && o.Mode != "markov" {
		return nil, care.Errorf(care.EINVALID, "mode %q: use simulate (child-level Monte Carlo) or markov (deterministic reference)", o.Mode)
	}
	if o.Years < 1 || o.Years > 5 {
		return nil, care.Errorf(care.EINVALID, "years %d: the child-level projection runs 1 to 5 years", o.Years)
	}
	var codes []string
	seen := map[string]bool{}
	for _, c := range children {
		if !seen[c.Council] {
			seen[c.Council] = true
			codes = append(codes, c.Council)
		}
	}
	m, err := forecast.Fit(children, episodes, o.Config)
	if err != nil {
		return nil, err
	}
	req := forecast.Request{LA: o.LA, Region: o.Region, Councils: codes, Origin: dateText(m.Config.Origin),
		ReferenceStart: dateText(m.Config.RefStart), ReferenceEnd: dateText(m.Config.RefEnd),
		AgeBands: m.Config.AgeBands, DurationBands: m.Config.DurationBands, PriorDays: m.Config.PriorDays}
	in := forecast.Inputs{Digest: forecast.InputsDigest(children, episodes), Children: len(children), Episodes: len(episodes),
		SkippedNoDOB: m.Skipped, Warnings: m.Warnings}
	for _, c := range m.Councils {
		in.InCareAtOrigin += len(c.Current)
	}
	if o.Mode == "markov" {
		p, err := forecast.Markov(m, o.Years, nil)
		if err != nil {
			return nil, err
		}
		return forecast.NewMarkovRecord(req, in, p), nil
	}
	costs, err := ForecastCosts(m, episodes, o)
	if err != nil {
		return nil, err
	}
	for g, grp := range m.Groups {
		req.Costs = append(req.Costs, forecast.CostSetting{Group: string(grp), Weekly: costs.Weekly[g], Inflation: costs.Inflation[g], Source: costs.Source[g]})
	}
	req.Budget, req.CostsAsGiven, req.InflationAsGiven = costs.Budget, o.Cost, o.Inflation
	p, err := forecast.Simulate(ctx, m, forecast.SimOptions{Years: o.Years, Sims: o.Sims, Seed: o.Seed, Costs: costs, Progress: o.Progress})
	if err != nil {
		return nil, err
	}
	return forecast.NewSimulationRecord(req, in, p), nil
}

// SaveForecast saves the record in fst as made by actor at now, with its
// listable summary, and returns what was saved (with its id).
func SaveForecast(ctx context.Context, fst store.ForecastStore, rec *forecast.Record, actor string, now time.Time) (store.SavedForecast, error) {
	rec.Actor, rec.Made = actor, now.UTC()
	b, err := rec.Encode()
	if err != nil {
		return store.SavedForecast{}, err
	}
	origin, err := time.Parse("2006-01-02", rec.Request.Origin)
	if err != nil {
		return store.SavedForecast{}, care.WrapError(care.EINTERNAL, err, "forecast origin %q", rec.Request.Origin)
	}
	sf := store.SavedForecast{Actor: rec.Actor, Mode: rec.Mode, Scope: ForecastScope(rec.Request), Councils: rec.Request.Councils,
		Origin: origin, Years: rec.Request.Years, Sims: rec.Request.Sims, ModelVersion: rec.ModelVersion, InputsDigest: rec.Inputs.Digest, Record: b}
	if rec.Mode == forecast.ModeSimulate {
		sf.Seed = int64(rec.Request.Seed)
	}
	for _, d := range []struct {
		s   string
		dst *time.Time
	}{{rec.Request.ReferenceStart, &sf.ReferenceStart}, {rec.Request.ReferenceEnd, &sf.ReferenceEnd}} {
		if d.s != "" {
			if *d.dst, err = time.Parse("2006-01-02", d.s); err != nil {
				return store.SavedForecast{}, care.WrapError(care.EINTERNAL, err, "forecast reference window %q", d.s)
			}
		}
	}
	return fst.SaveForecast(ctx, sf)
}

// ForecastScope says what a forecast was asked for: the region, the
// councils as given, or all.
func ForecastScope(r forecast.Request) string {
	switch {
	case r.Region != "":
		return r.Region
	case r.LA != "":
		return r.LA
	}
	return "all"
}

// dateText writes a date as YYYY-MM-DD, the zero date as "".
func dateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// referenceCost is a fallback weekly cost from the embedded reference figures.
type referenceCost struct {
	metric string
	rise   float64
	why    string
}

// Where a unit cost came from (forecast.CostSetting.Source), in the domain's
// words: a record says the same whichever edge made it. Records saved before
// these words kept "given with --cost" and "... (give --cost GROUP=POUNDS)";
// they are shown as they were made, not rewritten.
const (
	// CostGiven is the source of a unit cost given with the request.
	CostGiven = "weekly unit cost given"
	// costNotPriced is the source of a group nothing prices (%s: the group).
	costNotPriced = "no imported costs and no reference figure: not priced (give a weekly unit cost for %s)"
)

// ForecastCosts builds the unit costs and inflation of a projection:
// o.Cost and o.Inflation where given; else imported weekly costs (when at
// least a child-year of costed placements in the reference window) and the
// rise observed in them; else the embedded reference figures.
func ForecastCosts(m *forecast.Model, episodes []care.Episode, o ForecastOptions) (*forecast.Costs, error) {
	ng := len(m.Groups)
	c := &forecast.Costs{Weekly: make([]float64, ng), Inflation: make([]float64, ng), Source: make([]string, ng)}
	// Observed 2019–2024 rises in the reference figures: residential from the
	// CCN average weekly residential cost (2019 → 2024); fostering from LA
	// spend per fostered child (NAO 2017-18 → derived RO3 2024-25).
	resRise, fosterRise := 0.0, 0.0
	if a, ok1 := referenceSeriesValue("CCN: average weekly cost of a residential placement (county councils)", 2019); ok1 {
		if b, ok2 := referenceSeriesValue("CCN: average weekly cost of a residential placement (county councils)", 2024); ok2 {
			resRise = math.Pow(b/a, 1.0/5) - 1
		}
	}
	if a, ok1 := referenceSeriesValue("NAO 2019: LA spend per fostered child", 0); ok1 {
		if b, ok2 := refdata.ReferenceFigure("Derived: RO3 fostering spend per fostered child at 31 Mar 2025"); ok2 {
			fosterRise = math.Pow(b.Value/(a/52.14), 1.0/7) - 1
		}
	}
	ref := map[care.ForecastGroup]referenceCost{
		care.ForecastFosterRelative:    {"Derived: RO3 fostering spend per fostered child at 31 Mar 2025", fosterRise, "all fostering"},
		care.ForecastFosterInHouse:     {"Derived: RO3 fostering spend per fostered child at 31 Mar 2025", fosterRise, "all fostering"},
		care.ForecastFosterAgency:      {"CMA interim: average weekly price, independent fostering agencies", fosterRise, "IFA price"},
		care.ForecastChildrensHome:     {"CCN: average weekly cost of a residential placement (county councils)", resRise, "residential"},
		care.ForecastSecureOther:       {"Derived: RO3 residential spend per child in secure/children's homes at 31 Mar 2025", resRise, "secure and children's homes"},
		care.ForecastSupported:         {"", resRise, ""},
		care.ForecastPlacedWithParents: {"", fosterRise, ""},
		care.ForecastAdoption:          {"", fosterRise, ""},
	}
	weekly, days, rise := forecast.ObservedCosts(episodes, m.Config.RefStart, m.Config.RefEnd)
	for g, grp := range m.Groups {
		r := ref[grp]
		switch {
		case days[g] >= 365:
			c.Weekly[g] = weekly[g]
			c.Source[g] = fmt.Sprintf("imported placement costs (%.0f child-days in the reference window)", days[g])
		case r.metric != "":
			f, ok := refdata.ReferenceFigure(r.metric)
			if ok {
				// bring the figure to the origin's prices with the group's rise
				yrs := float64(m.Config.Origin.Year() - priceYear(f.Period))
				c.Weekly[g] = f.Value * math.Pow(1+r.rise, yrs)
				c.Source[g] = fmt.Sprintf("reference: %s, %s (%s), moved to %d prices at the group's rise", f.Metric, f.Period, r.why, m.Config.Origin.Year())
			}
		}
		if c.Source[g] == "" {
			c.Source[g] = fmt.Sprintf(costNotPriced, grp)
		}
		c.Inflation[g] = r.rise
		if !math.IsNaN(rise[g]) && days[g] >= 365 {
			c.Inflation[g] = rise[g]
		}
	}
	if err := applyGroupValues(o.Cost, m.Groups, c.Weekly, c.Source, "weekly unit costs", CostGiven); err != nil {
		return nil, err
	}
	if err := applyGroupValues(o.Inflation, m.Groups, c.Inflation, nil, "yearly inflation", ""); err != nil {
		return nil, err
	}
	if o.Budget != "" {
		for _, f := range strings.Split(o.Budget, ",") {
			v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
			if err != nil || v < 0 {
				return nil, care.Errorf(care.EINVALID, "budget %q: give pounds per projection year separated by commas, e.g. 52000000,54000000", o.Budget)
			}
			c.Budget = append(c.Budget, v)
		}
	}
	return c, nil
}

// referenceSeriesValue returns the value of a reference metric for a year
// (0: the latest).
func referenceSeriesValue(metric string, year int) (float64, bool) {
	for _, r := range refdata.ReferenceSeries(metric) {
		if year == 0 || latestYear(r.Period) == year {
			return r.Value, true
		}
	}
	return 0, false
}

// latestYear is the last four-digit year in a period such as "2023-24".
func latestYear(period string) int {
	best := 0
	for i := 0; i+4 <= len(period); i++ {
		if y, err := strconv.Atoi(period[i : i+4]); err == nil && y > 1900 && y < 2200 && y > best {
			best = y
		}
	}
	return best
}

// priceYear is the year whose prices a reference figure of period is in: a
// financial year ("2024-25", the RO3 figures at 31 March 2025) is of the
// year it ends, 2025; otherwise the first four-digit year ("2020 (interim
// report Oct 2021)" is a 2020 price; the report's date is not). 0 if none.
func priceYear(period string) int {
	p := strings.TrimSpace(period)
	if len(p) >= 7 && p[4] == '-' {
		y, err1 := strconv.Atoi(p[:4])
		yy, err2 := strconv.Atoi(p[5:7])
		if err1 == nil && err2 == nil && (len(p) == 7 || p[7] < '0' || p[7] > '9') && yy == (y+1)%100 {
			return y + 1
		}
	}
	for i := 0; i+4 <= len(p); i++ {
		if y, err := strconv.Atoi(p[i : i+4]); err == nil && y > 1900 && y < 2200 {
			return y
		}
	}
	return 0
}

// applyGroupValues parses "group=value,..." into vals (by group index).
func applyGroupValues(s string, groups []care.ForecastGroup, vals []float64, source []string, what, why string) error {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(part, "=")
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		idx := -1
		for i, g := range groups {
			if string(g) == strings.TrimSpace(k) {
				idx = i
			}
		}
		if !ok || err != nil || idx < 0 {
			names := make([]string, len(groups))
			for i, g := range groups {
				names[i] = string(g)
			}
			return care.Errorf(care.EINVALID, "%s %q: give GROUP=NUMBER pairs separated by commas, with groups among %s", what, part, strings.Join(names, ", "))
		}
		vals[idx] = f
		if source != nil {
			source[idx] = why
		}
	}
	return nil
}

// EmbeddedPublished is the published series embedded in the program (DfE
// council totals of every council and England) as the published-statistics
// model reads it, with a SHA-256 of the figures used.
func EmbeddedPublished() (*forecast.Published, string, error) {
	h := sha256.New()
	fig := func(f refdata.Figure) float64 {
		if !f.Known {
			return math.NaN()
		}
		return f.Value
	}
	var series []*forecast.CouncilSeries
	for _, c := range refdata.Councils() {
		s := &forecast.CouncilSeries{Code: c.Code, DfECode: c.DfECode, Name: c.Name, Region: c.Region, Years: map[int]forecast.Totals{}}
		for _, y := range refdata.CLATotals(c.Code) {
			t := forecast.Totals{Stock: fig(y.CLA31Mar), Starts: fig(y.Starts), Ceases: fig(y.Ceases), Pop: fig(y.Pop0to17)}
			s.Years[y.Year] = t
			fmt.Fprintf(h, "%s,%d,%v,%v,%v,%v\n", c.Code, y.Year, t.Stock, t.Starts, t.Ceases, t.Pop)
		}
		if len(s.Years) > 0 {
			series = append(series, s)
		}
	}
	nat := map[int]forecast.Totals{}
	for _, y := range refdata.EnglandCLATotals() {
		nat[y.Year] = forecast.Totals{Stock: fig(y.CLA31Mar), Starts: fig(y.Starts), Ceases: fig(y.Ceases), Pop: fig(y.Pop0to17)}
		fmt.Fprintf(h, "E,%d,%v\n", y.Year, fig(y.CLA31Mar))
	}
	p, err := forecast.NewPublished(series, nat)
	return p, hex.EncodeToString(h.Sum(nil)), err
}
