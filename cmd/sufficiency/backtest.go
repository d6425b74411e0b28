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

	"sufficiency/care"
	"sufficiency/forecast"
)

const backtestSynopsis = `[--published FILE] [--origins 2012..2022] [--years 3] [--format text|json]

Refits the published-statistics model at each origin (31 March) using only the figures up to it, forecasts
1 to --years years ahead and scores the forecasts against the published outcomes for every council with more
than 20 children in care at the origin, alongside the naive last-value and linear-trend forecasts on exactly
the same councils and origins. Without --published it uses the series embedded in the binary.`

// runBacktest is the backtest verb.
func runBacktest(_ context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "backtest", backtestSynopsis)
	published := fs.String("published", "", "published series `FILE` (DfE council totals CSV); default: the embedded copy")
	origins := fs.String("origins", "", "origin `YEARS`: a range 2012..2022, a list 2015,2019 or one year; default: every origin the data allows")
	years := fs.Int("years", 3, "score forecasts 1 to `N` years ahead")
	format := fs.String("format", "text", "output `FORMAT`: text or json")
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
		out.Scores = append(out.Scores, jsonScore{s.Method, s.Horizon, s.Origin, s.N, nullable(s.MAPE, 3), nullable(s.Coverage80, 3), nullable(s.WIS, 3), s.Variant})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func writeBacktestText(w io.Writer, res *forecast.BacktestResult, label string) error {
	fmt.Fprintf(w, "Backtest of %s on %s: councils with more than %d children in care at the origin.\n", res.ModelVersion, label, res.MinStock)
	fmt.Fprintln(w, "MAPE: mean absolute % error of the point forecast (model: P50). Cov80: share of outcomes in P10–P90.")
	fmt.Fprintln(w, "WIS%: weighted interval score / outcome (lower is better); naive intervals from past changes.")
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "origin\tyears\tn\tmodel MAPE\tnaive MAPE\ttrend MAPE\tmodel cov80\tnaive cov80\tmodel WIS%\tnaive WIS%\tspecification chosen\t")
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
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.2f\t%.2f\t%.2f\t%.1f%%\t%.1f%%\t%.2f\t%.2f\t%s\t\n", o, h, m.N, m.MAPE, n.MAPE, t.MAPE,
			100*m.Coverage80, 100*n.Coverage80, m.WIS, n.WIS, m.Variant)
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
		fmt.Fprintln(w, "origin skipped:", s)
	}
	return nil
}
