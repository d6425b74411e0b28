package main

import (
	"context"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/forecast"
)

// runBacktest is the backtest verb.
func runBacktest(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "backtest", helpText("backtest"))
	published := fs.String("published", "", "published series `FILE` (DfE council totals CSV); default: the embedded copy")
	origins := fs.String("origins", "", "origin `YEARS`: a range 2012..2022, a list 2015,2019 or one year; default: every origin the data allows")
	years := fs.Int("years", 3, "score forecasts 1 to `N` years ahead")
	format := fs.String("format", "text", "output `FORMAT`: text or json")
	db := fs.String("db", "", "backtest the child-level model on the children imported in database `FILE`")
	scope := addScopeFlags(fs)
	sims := fs.Int("sims", 200, "with --db: simulations per origin")
	seed := fs.Int64("seed", 1, "with --db: random seed")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return care.Errorf(care.EINVALID, "backtest takes no arguments (got %q); use --published FILE", fs.Arg(0))
	}
	if err := checkFormat("backtest", *format, "text", "json"); err != nil {
		return err
	}
	if *years < 1 || *years > 5 {
		return care.Errorf(care.EINVALID, "--years %d: score 1 to 5 years ahead", *years)
	}
	if *db != "" {
		if *published != "" {
			return care.Errorf(care.EINVALID, "give --published or --db, not both")
		}
		if err := scope.parse(false); err != nil {
			return err
		}
		return runBacktestImported(ctx, env, *db, scope.parsed, *origins, *years, *sims, *seed, *format)
	}
	p, in, err := analysis.LoadPublished(*published)
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
		return res.WriteJSON(env.Stdout, in.Label, in.Digest)
	}
	return res.WriteText(env.Stdout, in.Label)
}

// parseOrigins is forecast.ParseOrigins, its error naming the flag.
func parseOrigins(s string) ([]int, error) {
	yrs, err := forecast.ParseOrigins(s)
	if err != nil {
		return nil, care.WrapError(care.EINVALID, err, "--origins")
	}
	return yrs, nil
}

// runBacktestImported is the child-level backtest on imported data.
func runBacktestImported(ctx context.Context, env *Env, dbPath string, spec analysis.ScopeSpec, originsFlag string, years, sims int, seed int64, format string) error {
	if sims < 1 || sims > 10000 || seed < 0 {
		return care.Errorf(care.EINVALID, "--sims %d --seed %d: give 1 to 10000 simulations and a seed of 0 or more", sims, seed)
	}
	yrs, err := parseOrigins(originsFlag)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, env, dbPath, mustExist)
	if err != nil {
		return err
	}
	defer st.Close()
	children, episodes, collected, err := loadImported(ctx, st, spec)
	if err != nil {
		return err
	}
	origins := forecast.ChildOrigins(yrs, collected)
	res, err := forecast.BacktestChildLevel(ctx, children, episodes, origins, years, sims, uint64(seed))
	if err != nil {
		return err
	}
	if format == "json" {
		return res.WriteJSON(env.Stdout, forecast.InputsDigest(children, episodes))
	}
	return res.WriteText(env.Stdout)
}
