package main

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"sufficiency/care"
	"sufficiency/forecast"
	"sufficiency/refdata"
)

const forecastSynopsis = `[--published FILE] [--la CODE|all | --region NAME] [--from YEAR|DATE] [--years 3] [--format text|json|csv]
        [--sims 1000] [--seed N] [--mode simulate|markov] [--db FILE]

With --published, forecasts children in care for every council (or one) from a published series in the DfE
council totals format (stock at 31 March, starts, ceases), using only the years up to --from (default: the
last year in the file). Without it, forecasts from the children and episodes imported into the database.`

// runForecast is the forecast verb.
func runForecast(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "forecast", forecastSynopsis)
	published := fs.String("published", "", "forecast from a published series `FILE` (DfE council totals CSV); \"embedded\" for the copy in the binary")
	la := fs.String("la", "", "council `CODE` (ONS or DfE code or name; comma-separated list), or all")
	region := fs.String("region", "", "forecast the councils of region `NAME` (e.g. \"North West\")")
	from := fs.String("from", "", "origin: last `YEAR` (published) or DATE (imported data, YYYY-MM-DD) of data used")
	years := fs.Int("years", 3, "horizon in `YEARS` (1–5 for imported data)")
	format := fs.String("format", "text", "output `FORMAT`: text, json or csv")
	sims := fs.Int("sims", 1000, "Monte Carlo simulations (imported data, mode simulate)")
	seed := fs.Int64("seed", 1, "random seed (imported data, mode simulate)")
	mode := fs.String("mode", "simulate", "imported data: simulate (child-level Monte Carlo) or markov (deterministic reference)")
	db := fs.String("db", "", "database `FILE` (default $SUFFICIENCY_DB or sufficiency.db)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return care.Errorf(care.EINVALID, "forecast takes no arguments (got %q); use --published FILE for a published series", fs.Arg(0))
	}
	switch *format {
	case "text", "json", "csv":
	default:
		return care.Errorf(care.EINVALID, "--format %q: use text, json or csv", *format)
	}
	if *la != "" && *region != "" {
		return care.Errorf(care.EINVALID, "give --la or --region, not both")
	}
	if *published != "" {
		path := *published
		if path == "embedded" {
			path = ""
		}
		return runForecastPublished(env, publishedOptions{path: path, la: *la, region: *region, from: *from, format: *format, years: *years})
	}
	return runForecastImported(ctx, env, importedOptions{la: *la, region: *region, from: *from, format: *format, years: *years,
		sims: *sims, seed: *seed, mode: *mode, db: *db})
}

// loadPublished reads the published series from path, or, when path is "",
// builds it from the copy embedded in refdata. It returns the series, a label
// for the input and the input's SHA-256 digest.
func loadPublished(path string) (*forecast.Published, string, string, error) {
	if path == "" {
		p, digest, err := embeddedPublished()
		return p, "embedded DfE council totals 2010–2023 (refdata)", digest, err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, "", "", care.WrapError(care.EUNUSABLE, err, "cannot read the published series %s; give the path of a CSV in the DfE council totals format", path)
	}
	p, err := forecast.ReadPublished(strings.NewReader(string(b)))
	if err != nil {
		return nil, "", "", err
	}
	sum := sha256.Sum256(b)
	return p, path, hex.EncodeToString(sum[:]), nil
}

// embeddedPublished converts refdata's embedded council totals into a
// published series (the 153 current councils and England).
func embeddedPublished() (*forecast.Published, string, error) {
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

// publishedOptions are the flags of the published-statistics forecast.
type publishedOptions struct {
	path, la, region, from, format string
	years                          int
}

func runForecastPublished(env *Env, o publishedOptions) error {
	p, label, digest, err := loadPublished(o.path)
	if err != nil {
		return err
	}
	origin := p.LastYear()
	if o.from != "" {
		y, err := strconv.Atoi(strings.TrimSpace(o.from))
		if err != nil {
			return care.Errorf(care.EINVALID, "--from %q: with --published give the origin as a year (31 March), one of %d–%d", o.from, p.FirstYear(), p.LastYear())
		}
		origin = y
	}
	var codes []string
	switch {
	case o.region != "":
		cs, err := refdata.CouncilsInRegion(o.region)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if _, err := p.Council(c.DfECode); err == nil {
				codes = append(codes, c.DfECode)
			}
		}
	case o.la != "" && !strings.EqualFold(o.la, "all"):
		codes = strings.Split(o.la, ",")
	}
	res, err := forecast.PublishedForecast(p, origin, o.years, codes)
	if err != nil {
		return err
	}
	switch o.format {
	case "csv":
		return writePublishedCSV(env.Stdout, res)
	case "json":
		return writePublishedJSON(env.Stdout, res, label, digest)
	}
	return writePublishedText(env.Stdout, res, label)
}

func writePublishedCSV(w io.Writer, res *forecast.PublishedResult) error {
	cw := csv.NewWriter(w)
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
	*forecast.PublishedResult
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

func writePublishedJSON(w io.Writer, res *forecast.PublishedResult, label, digest string) error {
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

func writePublishedText(w io.Writer, res *forecast.PublishedResult, label string) error {
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

// importedOptions are the flags of the forecast on imported data.
type importedOptions struct {
	la, region, from, format, mode, db string
	years, sims                        int
	seed                               int64
}

func runForecastImported(_ context.Context, _ *Env, _ importedOptions) error {
	return care.Errorf(care.EINVALID, "forecasting imported children needs the child-level model, which this build does not have yet; use --published FILE (or --published embedded) for a forecast from the published series")
}
