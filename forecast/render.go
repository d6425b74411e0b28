package forecast

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"

	"sufficiency/care"
	"sufficiency/tabular"
)

// This file prints a forecast from its Record, as text (tables with the 80%
// interval), JSON or CSV: a new forecast and one shown again from the
// database go through the same code, so a saved forecast prints as it did
// when it was made.

func writePublishedCSV(w io.Writer, res *PublishedResult) error {
	cw := tabular.NewCSVWriter(w)
	cw.Write([]string{"la_code", "la_name", "origin", "year", "stock_at_origin", "p10", "p50", "p90", "mean"})
	for _, pr := range res.Predictions {
		cw.Write([]string{pr.Code, pr.Name, strconv.Itoa(pr.Origin), strconv.Itoa(pr.Year), f0(pr.Last),
			f0(pr.P(0.1)), f0(pr.P(0.5)), f0(pr.P(0.9)), strconv.FormatFloat(pr.Mean, 'f', 1, 64)})
	}
	cw.Flush()
	return cw.Error()
}

func f0(v float64) string { return strconv.FormatFloat(math.Round(v), 'f', 0, 64) }

type publishedJSON struct {
	*PublishedResult
	Input       string              `json:"input"`
	InputSHA256 string              `json:"input_sha256"`
	Forecasts   []publishedJSONLine `json:"forecasts"`
}

type publishedJSONLine struct {
	LACode    string             `json:"la_code"`
	LAName    string             `json:"la_name"`
	Year      int                `json:"year"`
	Stock     float64            `json:"stock_at_origin"`
	P10       float64            `json:"p10"`
	P50       float64            `json:"p50"`
	P90       float64            `json:"p90"`
	Mean      float64            `json:"mean"`
	Quantiles map[string]float64 `json:"quantiles"`
}

func writePublishedJSON(w io.Writer, res *PublishedResult, label, digest string) error {
	out := publishedJSON{PublishedResult: res, Input: label, InputSHA256: digest, Forecasts: []publishedJSONLine{}}
	r1 := func(v float64) float64 { return math.Round(v*10) / 10 }
	for _, pr := range res.Predictions {
		q := map[string]float64{}
		for l, v := range pr.Quantiles {
			q[strconv.FormatFloat(l, 'f', -1, 64)] = r1(v)
		}
		out.Forecasts = append(out.Forecasts, publishedJSONLine{LACode: pr.Code, LAName: pr.Name, Year: pr.Year, Stock: pr.Last,
			P10: r1(pr.P(0.1)), P50: r1(pr.P(0.5)), P90: r1(pr.P(0.9)), Mean: r1(pr.Mean), Quantiles: q})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func writePublishedText(w io.Writer, res *PublishedResult, label string) error {
	fmt.Fprintf(w, "Children in care at 31 March: forecast from %d (model %s; input %s, years %s)\n", res.Origin, res.ModelVersion, label, res.DataYears)
	fmt.Fprintln(w, "P50 with the 80% interval (P10–P90) in brackets.")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := "council\tname\t" + strconv.Itoa(res.Origin)
	for h := 1; h <= res.Years; h++ {
		head += "\t" + strconv.Itoa(res.Origin+h)
	}
	fmt.Fprintln(tw, head)
	for i := 0; i < len(res.Predictions); i += res.Years {
		first := res.Predictions[i]
		line := fmt.Sprintf("%s\t%s\t%s", first.Code, first.Name, f0(first.Last))
		for _, pr := range res.Predictions[i : i+res.Years] {
			line += fmt.Sprintf("\t%s (%s–%s)", f0(pr.P(0.5)), f0(pr.P(0.1)), f0(pr.P(0.9)))
		}
		fmt.Fprintln(tw, line)
	}
	tw.Flush()
	for _, s := range res.Skipped {
		fmt.Fprintf(w, "not forecast (no children in care published at 31 March %d): %s\n", res.Origin, s)
	}
	return nil
}

// Render prints the forecast r in format (text, json or csv); councilName
// gives a council's name from its code ("" when it is not known), for the
// text tables' headings. A new forecast and one shown again from the
// database go through this same code.
func (r *Record) Render(w io.Writer, format string, councilName func(code string) string) error {
	switch r.Mode {
	case ModeSimulate:
		p, err := r.Projection()
		if err != nil {
			return err
		}
		return writeSimulation(w, format, cliRecord(r), p, councilName)
	case ModeMarkov:
		p, err := r.MarkovProjection()
		if err != nil {
			return err
		}
		return writeMarkov(w, format, cliRecord(r), p, councilName)
	case ModePublished:
		res, err := r.PublishedResult()
		if err != nil {
			return err
		}
		switch format {
		case "csv":
			return writePublishedCSV(w, res)
		case "json":
			return writePublishedJSON(w, res, r.Inputs.Label, r.Inputs.Digest)
		}
		return writePublishedText(w, res, r.Inputs.Label)
	}
	return care.Errorf(care.EUNUSABLE, "forecast of mode %q: this sufficiency shows simulate, markov and published forecasts", r.Mode)
}

// cliRecord is the reproduction record printed with a child-level
func cliRecord(r *Record) forecastRecord {
	rec := forecastRecord{
		ModelVersion: r.ModelVersion, Mode: r.Mode, Origin: r.Request.Origin,
		ReferenceStart: r.Request.ReferenceStart, ReferenceEnd: r.Request.ReferenceEnd,
		AgeBands: r.Request.AgeBands, DurationBands: r.Request.DurationBands, PriorDays: r.Request.PriorDays,
		Councils: r.Request.Councils, Children: r.Inputs.Children, Episodes: r.Inputs.Episodes, InCareAtOrigin: r.Inputs.InCareAtOrigin,
		SkippedNoDOB: r.Inputs.SkippedNoDOB, InputsSHA256: r.Inputs.Digest, Warnings: r.Inputs.Warnings,
	}
	if r.Mode == ModeSimulate {
		rec.Seed, rec.Sims = r.Request.Seed, r.Request.Sims
		for _, c := range r.Request.Costs {
			rec.Costs = append(rec.Costs, costNote{Group: c.Group, Weekly: math.Round(c.Weekly*100) / 100, Inflation: math.Round(c.Inflation*10000) / 10000, Source: c.Source})
		}
	}
	return rec
}

// forecastRecord is what a child-level forecast needs to be reproduced.
type forecastRecord struct {
	ModelVersion   string     `json:"model_version"`
	Mode           string     `json:"mode"`
	Origin         string     `json:"origin"`
	ReferenceStart string     `json:"reference_start"`
	ReferenceEnd   string     `json:"reference_end"`
	AgeBands       []int      `json:"age_bands"`
	DurationBands  []int      `json:"duration_bands_days"`
	PriorDays      float64    `json:"prior_days"`
	Seed           uint64     `json:"seed,omitempty"`
	Sims           int        `json:"sims,omitempty"`
	Councils       []string   `json:"councils"`
	Children       int        `json:"children"`
	Episodes       int        `json:"episodes"`
	InCareAtOrigin int        `json:"in_care_at_origin"`
	SkippedNoDOB   int        `json:"skipped_no_dob"`
	InputsSHA256   string     `json:"inputs_sha256"`
	Warnings       []string   `json:"warnings,omitempty"`
	Costs          []costNote `json:"costs,omitempty"`
}

// costNote records the unit cost and inflation used for one placement group.
type costNote struct {
	Group     string  `json:"group"`
	Weekly    float64 `json:"weekly_pounds"`
	Inflation float64 `json:"inflation"`
	Source    string  `json:"source"`
}

func writeSimulation(w io.Writer, format string, rec forecastRecord, p *Projection, councilName func(string) string) error {
	months := make([]string, len(p.Months))
	for i, d := range p.Months {
		months[i] = day(d)
	}
	all := append([]*CouncilProjection{p.RollUp}, p.Councils...)
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			forecastRecord
			Months   []string             `json:"months"`
			RollUp   *CouncilProjection   `json:"rollup"`
			Councils []*CouncilProjection `json:"councils"`
		}{rec, months, p.RollUp, p.Councils})
	case "csv":
		cw := tabular.NewCSVWriter(w)
		cw.Write([]string{"la_code", "series", "date", "mean", "p10", "p50", "p90"})
		for _, cp := range all {
			list := append(append(append([]Series{cp.Total}, cp.Groups...), cp.Bands...), cp.States...)
			list = append(append(list, cp.Entries), cp.Exits...)
			for _, sr := range list {
				for k := range sr.Mean {
					cw.Write([]string{cp.Council, sr.Name, months[k], f1(sr.Mean[k]), f1(sr.P10[k]), f1(sr.P50[k]), f1(sr.P90[k])})
				}
			}
		}
		cw.Flush()
		return cw.Error()
	}
	fmt.Fprintf(w, "Children in care: child-level projection (%s, %d simulations, seed %d)\n", rec.ModelVersion, rec.Sims, rec.Seed)
	fmt.Fprintf(w, "Origin %s; rates from %s to %s; %d children in care at the origin; inputs %s\n", rec.Origin, rec.ReferenceStart, rec.ReferenceEnd, rec.InCareAtOrigin, rec.InputsSHA256[:12])
	fmt.Fprintln(w, "P50 with the 80% interval (P10–P90) at each 31 March-style year end after the origin.")
	for _, cp := range all {
		fmt.Fprintf(w, "\n%s\n", councilLabel(cp.Council, councilName))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		head := "series\t" + months[0]
		for k := 12; k < len(months); k += 12 {
			head += "\t" + months[k]
		}
		fmt.Fprintln(tw, head)
		for _, sr := range append([]Series{cp.Total}, cp.Groups...) {
			line := sr.Name + "\t" + f0(sr.Mean[0])
			for k := 12; k < len(months); k += 12 {
				line += fmt.Sprintf("\t%s (%s–%s)", f0(sr.P50[k]), f0(sr.P10[k]), f0(sr.P90[k]))
			}
			fmt.Fprintln(tw, line)
		}
		tw.Flush()
	}
	if len(p.RollUp.Spend) > 0 {
		fmt.Fprintln(w, "\nProjected placement spend, all councils together (£ million; P50 with P10–P90):")
		for _, sy := range p.RollUp.Spend {
			line := fmt.Sprintf("  year to %s: %.1f (%.1f–%.1f)", sy.Ends, sy.P50/1e6, sy.P10/1e6, sy.P90/1e6)
			if sy.Budget > 0 {
				line += fmt.Sprintf("; budget %.1f, mean gap %+.1f, chance of overspend %.0f%%", sy.Budget/1e6, sy.GapMean/1e6, 100*sy.OverBudgetP)
			}
			fmt.Fprintln(w, line)
		}
		for _, cn := range rec.Costs {
			fmt.Fprintf(w, "  %-20s £%8.0f a week, %+.1f%% a year: %s\n", cn.Group, cn.Weekly, 100*cn.Inflation, cn.Source)
		}
	}
	for _, wn := range rec.Warnings {
		fmt.Fprintln(w, "warning:", wn)
	}
	return nil
}

func writeMarkov(w io.Writer, format string, rec forecastRecord, p *MarkovProjection, councilName func(string) string) error {
	all := append([]*MarkovCouncil{p.RollUp}, p.Councils...)
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			forecastRecord
			Months   []string         `json:"months"`
			RollUp   *MarkovCouncil   `json:"rollup"`
			Councils []*MarkovCouncil `json:"councils"`
		}{rec, p.Months, p.RollUp, p.Councils})
	case "csv":
		cw := tabular.NewCSVWriter(w)
		cw.Write([]string{"la_code", "series", "date", "mean", "sd", "lower_2sd", "upper_2sd"})
		for _, mc := range all {
			for _, sr := range append(append([]MarkovSeries{mc.Total}, mc.Groups...), mc.States...) {
				for k := range sr.Mean {
					cw.Write([]string{mc.Council, sr.Name, p.Months[k], f1(sr.Mean[k]), f1(sr.SD[k]), f1(sr.Lower[k]), f1(sr.Upper[k])})
				}
			}
		}
		cw.Flush()
		return cw.Error()
	}
	fmt.Fprintf(w, "Children in care: deterministic reference projection (%s, the open v2 method)\n", rec.ModelVersion)
	fmt.Fprintf(w, "Origin %s; rates from %s to %s; %d children in care at the origin; inputs %s\n", rec.Origin, rec.ReferenceStart, rec.ReferenceEnd, rec.InCareAtOrigin, rec.InputsSHA256[:12])
	fmt.Fprintln(w, "Expected number with the ±2σ band (binomial/Poisson variance accumulated daily).")
	for _, mc := range all {
		fmt.Fprintf(w, "\n%s\n", councilLabel(mc.Council, councilName))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		head := "series\t" + p.Months[0]
		for k := 12; k < len(p.Months); k += 12 {
			head += "\t" + p.Months[k]
		}
		fmt.Fprintln(tw, head)
		for _, sr := range append([]MarkovSeries{mc.Total}, mc.Groups...) {
			line := sr.Name + "\t" + f0(sr.Mean[0])
			for k := 12; k < len(p.Months); k += 12 {
				line += fmt.Sprintf("\t%s (%s–%s)", f0(sr.Mean[k]), f0(sr.Lower[k]), f0(sr.Upper[k]))
			}
			fmt.Fprintln(tw, line)
		}
		tw.Flush()
	}
	return nil
}

func councilLabel(code string, councilName func(string) string) string {
	if code == "all" {
		return "All councils together"
	}
	if name := councilName(code); name != "" {
		return code + " " + name
	}
	return code
}

func f1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// jsonScore is a Score with NaN written as null.
type jsonScore struct {
	Method     string   `json:"method"`
	Horizon    int      `json:"horizon"`
	Origin     int      `json:"origin"`
	N          int      `json:"n"`
	MAPE       *float64 `json:"mape"`
	Coverage80 *float64 `json:"coverage80"`
	WIS        *float64 `json:"wis_pct"`
	Bias       *float64 `json:"bias_pct"`
	BelowP10   *float64 `json:"below_p10"`
	AboveP90   *float64 `json:"above_p90"`
	Variant    string   `json:"variant,omitempty"`
}

func nullable(v float64, digits int) *float64 {
	if math.IsNaN(v) {
		return nil
	}
	p := math.Pow(10, float64(digits))
	r := math.Round(v*p) / p
	return &r
}

// WriteJSON writes the backtest as JSON, its scores with NaN as null;
// label and digest name the published series scored on.
func (res *BacktestResult) WriteJSON(w io.Writer, label, digest string) error {
	out := struct {
		ModelVersion string      `json:"model_version"`
		Input        string      `json:"input"`
		InputSHA256  string      `json:"input_sha256"`
		Origins      []int       `json:"origins"`
		Horizons     []int       `json:"horizons"`
		MinStock     int         `json:"min_stock"`
		Scores       []jsonScore `json:"scores"`
		Skipped      []string    `json:"skipped,omitempty"`
	}{res.ModelVersion, label, digest, res.Origins, res.Horizons, res.MinStock, nil, res.Skipped}
	for _, s := range res.Scores {
		out.Scores = append(out.Scores, jsonScore{s.Method, s.Horizon, s.Origin, s.N, nullable(s.MAPE, 3), nullable(s.Coverage80, 3), nullable(s.WIS, 3),
			nullable(s.Bias, 3), nullable(s.BelowP10, 3), nullable(s.AboveP90, 3), s.Variant})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// WriteText writes the backtest as a table of scores per origin and years
// ahead, the model beside the naive and trend forecasts; label names the
// series scored on.
func (res *BacktestResult) WriteText(w io.Writer, label string) error {
	spec := ""
	for _, s := range res.Scores {
		if s.Variant != "" {
			spec = s.Variant
			break
		}
	}
	fmt.Fprintf(w, "Backtest of %s (%s) on %s: councils with more than %d children in care at the origin.\n", res.ModelVersion, spec, label, res.MinStock)
	fmt.Fprintln(w, "MAPE: mean absolute % error of the point forecast (model: P50); vs naive: model MAPE over naive MAPE − 1.")
	fmt.Fprintln(w, "Cov80: share of outcomes in P10–P90. WIS%: weighted interval score / outcome (lower is better);")
	fmt.Fprintln(w, "the naive forecast's intervals are the empirical quantiles of past changes. Bias: mean signed % error")
	fmt.Fprintln(w, "(above 0: forecast too many children); <P10 / >P90: shares of outcomes below and above the interval (10% each when calibrated).")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "origin\tyears\tn\tmodel MAPE\tnaive MAPE\ttrend MAPE\tvs naive\tmodel cov80\tnaive cov80\tmodel WIS%\tnaive WIS%\tmodel bias\tnaive bias\tmodel <P10\tmodel >P90\t")
	get := func(origin, h int, method string) (Score, bool) {
		for _, s := range res.Scores {
			if s.Origin == origin && s.Horizon == h && s.Method == method {
				return s, true
			}
		}
		return Score{}, false
	}
	row := func(origin, h int) {
		m, ok := get(origin, h, MethodStockFlow)
		if !ok {
			return
		}
		n, _ := get(origin, h, MethodNaive)
		t, _ := get(origin, h, MethodTrend)
		o := strconv.Itoa(origin)
		if origin == 0 {
			o = "all"
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.2f\t%.2f\t%.2f\t%+.1f%%\t%.1f%%\t%.1f%%\t%.2f\t%.2f\t%+.2f%%\t%+.2f%%\t%.1f%%\t%.1f%%\t\n", o, h, m.N, m.MAPE, n.MAPE, t.MAPE,
			100*(m.MAPE/n.MAPE-1), 100*m.Coverage80, 100*n.Coverage80, m.WIS, n.WIS, m.Bias, n.Bias, 100*m.BelowP10, 100*m.AboveP90)
	}
	for _, o := range res.Origins {
		for _, h := range res.Horizons {
			row(o, h)
		}
	}
	for _, h := range res.Horizons {
		row(0, h)
	}
	tw.Flush()
	for _, s := range res.Skipped {
		fmt.Fprintln(w, "not scored:", s)
	}
	return nil
}

// WriteJSON writes the child-level backtest as JSON with the inputs'
// digest; a score that cannot be computed (NaN) is written as -1.
func (res *ChildBacktest) WriteJSON(w io.Writer, digest string) error {
	out := struct {
		*ChildBacktest
		InputsSHA256 string `json:"inputs_sha256"`
	}{res, digest}
	for i := range out.Scores {
		if math.IsNaN(out.Scores[i].Coverage80) {
			out.Scores[i].Coverage80 = -1
		}
		for j := range out.Scores[i].Groups {
			if math.IsNaN(out.Scores[i].Groups[j].APE) {
				out.Scores[i].Groups[j].APE = -1
			}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// WriteText writes the child-level backtest as a table: per origin, years
// ahead and method, the MAPE of council totals, the 80% coverage and each
// placement group's % error.
func (res *ChildBacktest) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "Child-level backtest (%s, %d simulations, seed %d): councils with more than %d children in care at the origin.\n", res.ModelVersion, res.Sims, res.Seed, MinStock)
	fmt.Fprintln(w, "MAPE of council totals; Cov80: share in the 80% interval (v2 mode: mean ± 1.28σ); groups: % error of each group's total.")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := "origin\tyears\tmethod\tn\tMAPE\tcov80"
	for _, g := range care.ForecastGroups {
		head += "\t" + string(g)
	}
	fmt.Fprintln(tw, head)
	for _, s := range res.Scores {
		o := s.Origin
		if o == "" {
			o = "all"
		}
		cov := "-"
		if !math.IsNaN(s.Coverage80) {
			cov = fmt.Sprintf("%.0f%%", 100*s.Coverage80)
		}
		line := fmt.Sprintf("%s\t%d\t%s\t%d\t%.1f\t%s", o, s.Horizon, s.Method, s.N, s.MAPE, cov)
		for _, g := range s.Groups {
			if math.IsNaN(g.APE) {
				line += "\t-"
			} else {
				line += fmt.Sprintf("\t%.1f", g.APE)
			}
		}
		fmt.Fprintln(tw, line)
	}
	return tw.Flush()
}
