package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/forecast"
	"sufficiency/refdata"
)

// runForecast is the forecast verb.
func runForecast(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "forecast", helpText("forecast"))
	published := fs.String("published", "", "forecast from a published series `FILE` (DfE council totals CSV); \"embedded\" for the copy in the binary")
	scope := addScopeFlags(fs)
	from := fs.String("from", "", "origin: last `YEAR` (published) or DATE (imported data, YYYY-MM-DD) of data used")
	years := fs.Int("years", 3, "horizon in `YEARS` (1–5 for imported data)")
	format := fs.String("format", "text", "output `FORMAT`: text, json or csv")
	sims := fs.Int("sims", 1000, "Monte Carlo simulations (imported data, mode simulate)")
	seed := fs.Int64("seed", 1, "random seed (imported data, mode simulate)")
	mode := fs.String("mode", "simulate", "imported data: simulate (child-level Monte Carlo) or markov (deterministic reference)")
	db := dbFlag(fs)
	costFlag := fs.String("cost", "", "imported data: weekly unit costs in pounds, `GROUP=POUNDS,...` (default: imported placement costs, else reference figures)")
	inflFlag := fs.String("inflation", "", "imported data: yearly price rise per group, `GROUP=RATE,...` e.g. childrens_home=0.06")
	budgetFlag := fs.String("budget", "", "imported data: placement budget in pounds per projection year, `Y1,Y2,...`, for the funding gap")
	refStart := fs.String("ref-start", "", "imported data: start `DATE` of the reference window for rates (default: two years before --ref-end)")
	refEnd := fs.String("ref-end", "", "imported data: end `DATE` of the reference window (default: the origin)")
	noSave := fs.Bool("no-save", false, "do not save the forecast in the database")
	list := fs.Bool("list", false, "list the saved forecasts (with --la CODE: those covering the council)")
	show := fs.Int64("show", 0, "print saved forecast `ID` as it was printed when made")
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
	if err := scope.parse(false); err != nil {
		return err
	}
	showGiven := false
	fs.Visit(func(f *flag.Flag) { showGiven = showGiven || f.Name == "show" })
	if *list || showGiven {
		// only --la (with --list), --format and --db go with --list and --show
		allowed := map[string]bool{"list": true, "show": true, "format": true, "db": true, "la": *list}
		var extra []string
		fs.Visit(func(f *flag.Flag) {
			if !allowed[f.Name] {
				extra = append(extra, "--"+f.Name)
			}
		})
		switch {
		case *list && showGiven:
			return care.Errorf(care.EINVALID, "give --list or --show ID, not both")
		case len(extra) > 0:
			return care.Errorf(care.EINVALID, "%s cannot be used with --list or --show: a saved forecast is shown as it was made (--list takes --la, --format and --db; --show takes --format and --db)", strings.Join(extra, ", "))
		case *list:
			st, err := openStore(ctx, env, *db, mustExist)
			if err != nil {
				return err
			}
			defer st.Close()
			return hint(analysis.ListForecasts(ctx, st, scope.parsed, env.Stdout, *format), care.EINVALID, "--list takes one council (--la CODE)")
		}
		return runForecastShow(ctx, env, *db, *show, *format)
	}
	if *published != "" {
		return runForecastPublished(ctx, env, publishedOptions{source: *published, scope: scope, from: *from, format: *format,
			years: *years, db: *db, noSave: *noSave})
	}
	return runForecastImported(ctx, env, importedOptions{scope: scope, from: *from, format: *format, years: *years,
		sims: *sims, seed: *seed, mode: *mode, db: *db, refStart: *refStart, refEnd: *refEnd,
		cost: *costFlag, inflation: *inflFlag, budget: *budgetFlag, noSave: *noSave})
}

// publishedOptions are the flags of the published-statistics forecast.
type publishedOptions struct {
	scope                    *scopeFlags
	source, from, format, db string
	years                    int
	noSave                   bool
}

func runForecastPublished(ctx context.Context, env *Env, o publishedOptions) error {
	p, in, err := analysis.LoadPublished(o.source)
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
	rec, err := analysis.PublishedForecast(p, in, o.scope.parsed, forecast.Request{LA: o.scope.la, Region: o.scope.region, Source: o.source}, origin, o.years)
	if err != nil {
		return err
	}
	if !o.noSave {
		st, err := publishedStore(ctx, env, o.db)
		if err != nil {
			return err
		}
		if st != nil {
			defer st.Close()
			if err := saveForecast(ctx, env, st, rec); err != nil {
				return err
			}
		}
	}
	return rec.Render(env.Stdout, o.format, refdata.CouncilName)
}

// publishedStore opens the database a published-statistics forecast is
// saved in: the one named by --db or $SUFFICIENCY_DB (created if it is a new
// SQLite file), else ./sufficiency.db if it exists. With none it returns
// nil and says on stderr that the forecast is not saved.
func publishedStore(ctx context.Context, env *Env, dbFlag string) (Store, error) {
	if dbFlag != "" || env.Getenv("SUFFICIENCY_DB") != "" {
		return openStore(ctx, env, dbFlag, mayCreate)
	}
	path := dbPath(env, "")
	if _, err := os.Stat(path); err != nil {
		fmt.Fprintf(env.Stderr, "forecast not saved: no database (give --db FILE or set SUFFICIENCY_DB to keep it)\n")
		return nil, nil
	}
	return openStore(ctx, env, path, mustExist)
}

// saveForecast stamps rec with who made it and when, and saves it, printing
// its id on stderr.
func saveForecast(ctx context.Context, env *Env, st Store, rec *forecast.Record) error {
	saved, err := analysis.SaveForecast(ctx, st, rec, cliActor(env, ""), env.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "forecast %d saved\n", saved.ID)
	return nil
}

// importedOptions are the flags of the forecast on imported data.
type importedOptions struct {
	scope                   *scopeFlags
	from, format, mode, db  string
	refStart, refEnd        string
	cost, inflation, budget string
	years, sims             int
	seed                    int64
	noSave                  bool
}

func runForecastImported(ctx context.Context, env *Env, o importedOptions) error {
	if o.mode != "simulate" && o.mode != "markov" {
		return care.Errorf(care.EINVALID, "--mode %q: use simulate (child-level Monte Carlo) or markov (deterministic reference)", o.mode)
	}
	if o.years < 1 || o.years > 5 {
		return care.Errorf(care.EINVALID, "--years %d: the child-level projection runs 1 to 5 years", o.years)
	}
	if o.seed < 0 {
		return care.Errorf(care.EINVALID, "--seed %d: give a seed of 0 or more", o.seed)
	}
	cfg := forecast.Config{}
	if o.from != "" {
		d, err := time.Parse("2006-01-02", strings.TrimSpace(o.from))
		if err != nil {
			return care.Errorf(care.EINVALID, "--from %q: give the forecast origin as a date, YYYY-MM-DD (e.g. 2025-03-31); a year alone works only with --published", o.from)
		}
		cfg.Origin = d
	}
	var err error
	if cfg.RefStart, err = parseDate("ref-start", strings.TrimSpace(o.refStart)); err != nil {
		return err
	}
	if cfg.RefEnd, err = parseDate("ref-end", strings.TrimSpace(o.refEnd)); err != nil {
		return err
	}
	st, err := openStore(ctx, env, o.db, mustExist)
	if err != nil {
		return err
	}
	defer st.Close()
	children, episodes, _, err := loadImported(ctx, st, o.scope.parsed)
	if err != nil {
		return err
	}
	bar := newProgressBar(env.Stderr)
	rec, err := analysis.Forecast(ctx, children, episodes, analysis.ForecastOptions{
		LA: o.scope.la, Region: o.scope.region, Config: cfg, Mode: o.mode, Years: o.years, Sims: o.sims, Seed: uint64(o.seed),
		Cost: o.cost, Inflation: o.inflation, Budget: o.budget,
		Progress: func(done, total int) { bar.update("simulate", int64(done), int64(total)) }})
	bar.done()
	if err != nil {
		return err
	}
	if !o.noSave {
		if err := saveForecast(ctx, env, st, rec); err != nil {
			return err
		}
	}
	return rec.Render(env.Stdout, o.format, refdata.CouncilName)
}

// runForecastShow prints a saved forecast as it was printed when made, and
// on stderr when and by whom it was made and the command that repeats it.
func runForecastShow(ctx context.Context, env *Env, dbFlag string, id int64, format string) error {
	st, err := openStore(ctx, env, dbFlag, mustExist)
	if err != nil {
		return err
	}
	defer st.Close()
	rec, made, err := analysis.SavedForecast(ctx, st, id)
	if err != nil {
		return hint(err, care.ENOTFOUND, "\"sufficiency forecast --list\" shows the saved ones")
	}
	fmt.Fprintf(env.Stderr, "%s\nto repeat it: %s\n", made, repeatCommand(rec))
	return rec.Render(env.Stdout, format, refdata.CouncilName)
}

// repeatCommand is the command that makes the forecast of rec again: on the
// same inputs (same digest) and model version it gives the same numbers.
// The origin, reference window, horizon, simulations and seed are pinned,
// and the councils named, so data imported since does not change them.
func repeatCommand(r *forecast.Record) string {
	args := []string{"sufficiency", "forecast"}
	q := func(s string) string {
		if s == "" || strings.ContainsAny(s, " \t'\"\\$`;&|()<>*?") {
			return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		}
		return s
	}
	if r.Mode == forecast.ModePublished {
		args = append(args, "--published", q(r.Request.Source))
		switch {
		case r.Request.Region != "":
			args = append(args, "--region", q(r.Request.Region))
		case r.Request.LA != "":
			args = append(args, "--la", q(r.Request.LA))
		}
		if r.Published != nil {
			args = append(args, "--from", strconv.Itoa(r.Published.Origin))
		}
		return strings.Join(append(args, "--years", strconv.Itoa(r.Request.Years)), " ")
	}
	if len(r.Request.Councils) > 0 {
		args = append(args, "--la", q(strings.Join(r.Request.Councils, ",")))
	}
	args = append(args, "--mode", r.Mode, "--from", r.Request.Origin, "--years", strconv.Itoa(r.Request.Years),
		"--ref-start", r.Request.ReferenceStart, "--ref-end", r.Request.ReferenceEnd)
	if r.Mode == forecast.ModeSimulate {
		args = append(args, "--sims", strconv.Itoa(r.Request.Sims), "--seed", strconv.FormatUint(r.Request.Seed, 10))
		if r.Request.CostsAsGiven != "" {
			args = append(args, "--cost", q(r.Request.CostsAsGiven))
		}
		if r.Request.InflationAsGiven != "" {
			args = append(args, "--inflation", q(r.Request.InflationAsGiven))
		}
		if len(r.Request.Budget) > 0 {
			b := make([]string, len(r.Request.Budget))
			for i, v := range r.Request.Budget {
				b[i] = strconv.FormatFloat(v, 'f', -1, 64)
			}
			args = append(args, "--budget", strings.Join(b, ","))
		}
	}
	return strings.Join(args, " ")
}

// loadImported is analysis.LoadImported with the CLI's advice when nothing
// is imported for the councils asked for.
func loadImported(ctx context.Context, st Store, spec analysis.ScopeSpec) ([]care.Child, []care.Episode, []int, error) {
	children, episodes, years, err := analysis.LoadImported(ctx, st, spec)
	return children, episodes, years, hint(err, care.ENOTFOUND, "import their SSDA903 returns first (sufficiency import PATH --la CODE), or use --published FILE")
}
