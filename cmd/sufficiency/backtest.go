package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/forecast"
)

const backtestSynopsis = `[--published FILE | --db FILE [--la CODE | --region NAME] [--sims 200] [--seed N]]
        [--origins 2012..2022] [--years 3] [--format text|json]

Refits the published-statistics model at each origin (31 March) using only the figures up to it, forecasts
1 to --years years ahead and scores the forecasts against the published outcomes for every council with more
than 20 children in care at the origin, alongside the naive last-value forecast (with empirical intervals from
past changes) and a linear trend on exactly the same councils and origins: MAPE, 80% interval coverage and the
weighted interval score, per origin and overall. Without --published it uses the series embedded in the binary.

With --db, backtests the child-level model on imported children instead: refits at each 31 March of
--origins (default: every one with a year of data before and after it) on the episodes as known then, and
scores the 1- to --years-year council totals and placement-group totals of the simulation, the deterministic
reference (v2) mode and the last value against what the data show.`

// runBacktest is the backtest verb.
func runBacktest(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "backtest", backtestSynopsis)
	published := fs.String("published", "", "published series `FILE` (DfE council totals CSV); default: the embedded copy")
	origins := fs.String("origins", "", "origin `YEARS`: a range 2012..2022, a list 2015,2019 or one year; default: every origin the data allows")
	years := fs.Int("years", 3, "score forecasts 1 to `N` years ahead")
	format := fs.String("format", "text", "output `FORMAT`: text or json")
	db := fs.String("db", "", "backtest the child-level model on the children imported in database `FILE`")
	la := fs.String("la", "", "with --db: council `CODE`s (comma-separated); default all loaded")
	region := fs.String("region", "", "with --db: the loaded councils of region `NAME`")
	sims := fs.Int("sims", 200, "with --db: simulations per origin")
	seed := fs.Int64("seed", 1, "with --db: random seed")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return care.Errorf(care.EINVALID, "backtest takes no arguments (got %q); use --published FILE", fs.Arg(0))
	}
	if *format != "text" && *format != "json" {
		return care.Errorf(care.EINVALID, "--format %q: use text or json", *format)
	}
	if *years < 1 || *years > 5 {
		return care.Errorf(care.EINVALID, "--years %d: score 1 to 5 years ahead", *years)
	}
	if *db != "" {
		if *published != "" {
			return care.Errorf(care.EINVALID, "give --published or --db, not both")
		}
		return runBacktestImported(ctx, env, *db, *la, *region, *origins, *years, *sims, *seed, *format)
	}
	p, label, digest, err := loadPublished(*published)
	if err != nil {
		return err
	}
	list, err := parseOrigins(*origins)
	if err != nil {
		return err
	}
	res, err := forecast.Backtest(p, list, *years)
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeBacktestJSON(env.Stdout, res, label, digest)
	}
	return writeBacktestText(env.Stdout, res, label)
}

// parseOrigins reads "2012..2022", "2015,2019" or "2019"; "" means all.
func parseOrigins(s string) ([]int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	bad := care.Errorf(care.EINVALID, "--origins %q: give a range of years (2012..2022), a comma-separated list (2015,2019) or one year", s)
	if a, b, ok := strings.Cut(s, ".."); ok {
		lo, err1 := strconv.Atoi(strings.TrimSpace(a))
		hi, err2 := strconv.Atoi(strings.TrimSpace(b))
		if err1 != nil || err2 != nil || lo > hi || hi-lo > 100 {
			return nil, bad
		}
		var out []int
		for y := lo; y <= hi; y++ {
			out = append(out, y)
		}
		return out, nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		y, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, bad
		}
		out = append(out, y)
	}
	return out, nil
}

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

func writeBacktestJSON(w io.Writer, res *forecast.BacktestResult, label, digest string) error {
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

func writeBacktestText(w io.Writer, res *forecast.BacktestResult, label string) error {
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
	get := func(origin, h int, method string) (forecast.Score, bool) {
		for _, s := range res.Scores {
			if s.Origin == origin && s.Horizon == h && s.Method == method {
				return s, true
			}
		}
		return forecast.Score{}, false
	}
	row := func(origin, h int) {
		m, ok := get(origin, h, forecast.MethodStockFlow)
		if !ok {
			return
		}
		n, _ := get(origin, h, forecast.MethodNaive)
		t, _ := get(origin, h, forecast.MethodTrend)
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

// runBacktestImported is the child-level backtest on imported data.
func runBacktestImported(ctx context.Context, env *Env, dbPath, la, region, originsFlag string, years, sims int, seed int64, format string) error {
	if sims < 1 || sims > 10000 || seed < 0 {
		return care.Errorf(care.EINVALID, "--sims %d --seed %d: give 1 to 10000 simulations and a seed of 0 or more", sims, seed)
	}
	yrs, err := parseOrigins(originsFlag)
	if err != nil {
		return err
	}
	var origins []time.Time
	for _, y := range yrs {
		origins = append(origins, care.Date(y, 3, 31))
	}
	st, err := openStore(ctx, env, dbPath, mustExist)
	if err != nil {
		return err
	}
	defer st.Close()
	children, episodes, collected, err := analysis.LoadImported(ctx, st, la, region)
	if err != nil {
		return err
	}
	if len(origins) == 0 && len(collected) > 0 {
		// Returns hold children looked after in their years, so the stock is
		// complete only from the first collection year on: origins from the
		// 31 March two years later (a full reference window of returns) to a
		// year before the last return.
		first, last := collected[0], collected[len(collected)-1]
		for y := first + 2; y <= last-1; y++ {
			origins = append(origins, care.Date(y, 3, 31))
		}
	}
	res, err := forecast.BacktestChildLevel(ctx, children, episodes, origins, years, sims, uint64(seed))
	if err != nil {
		return err
	}
	if format == "json" {
		out := struct {
			*forecast.ChildBacktest
			InputsSHA256 string `json:"inputs_sha256"`
		}{res, forecast.InputsDigest(children, episodes)}
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
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	w := env.Stdout
	fmt.Fprintf(w, "Child-level backtest (%s, %d simulations, seed %d): councils with more than %d children in care at the origin.\n", res.ModelVersion, res.Sims, res.Seed, forecast.MinStock)
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
