package main

import (
	"context"
	"os"

	"sufficiency/care"
	"sufficiency/siting"
	"sufficiency/store"
	"sufficiency/tabular"
)

// runSiteHomes is the site-homes verb.
func runSiteHomes(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "site-homes", helpText("site-homes"))
	scope := addScopeFlags(fs)
	homes := fs.Int("homes", 0, "homes to open, `K`")
	places := fs.Int("places", 4, "places in each home, `P`")
	kind := fs.String("for", "residential", "`KIND` of place: residential or fostering")
	cands := fs.String("candidates", "", "candidate sites `FILE` (CSV: postcode[,name])")
	england := fs.Bool("england", false, "every postcode district in England is a candidate")
	at := fs.String("at", "", "`DATE` whose placements are the demand (default: the last date the data covers)")
	format := fs.String("format", "text", "output `FORMAT`: text, json, csv or xlsx")
	out := fs.String("out", "", "write to `FILE` instead of standard output (needed for xlsx)")
	asLevers := fs.Bool("as-levers", false, "print a scenario file with an open_home lever per chosen site")
	weekly := fs.Float64("weekly-cost", 4500, "with --as-levers: running cost per place per week, `POUNDS`")
	capital := fs.Float64("capital", 0, "with --as-levers: capital per home, `POUNDS`")
	start := fs.String("start", "", "with --as-levers: `DATE` the homes open")
	db := dbFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return care.Errorf(care.EINVALID, "site-homes takes no arguments (got %q); use --la CODE or --region NAME", fs.Arg(0))
	}
	if *homes == 0 {
		return care.Errorf(care.EINVALID, "give --homes K, the number of homes to open")
	}
	if err := scope.parse(true); err != nil {
		return err
	}
	if err := checkTableFormat(*format, *out); err != nil {
		return err
	}
	if err := siting.CheckKind(*kind); err != nil {
		return hint(err, care.EINVALID, "give --for residential or --for fostering")
	}
	if *places < 1 {
		return care.Errorf(care.EINVALID, "--places %d: give 1 or more places a home", *places)
	}
	req := siting.Request{Scope: scope.parsed, Options: siting.Options{Homes: *homes, Places: *places}, For: *kind, At: *at, AtName: "--at", AllEngland: *england}
	if *cands != "" {
		f, err := os.Open(*cands)
		if err != nil {
			return care.WrapError(care.EUNUSABLE, err, "cannot read candidate sites %s", *cands)
		}
		req.Sites, err = siting.ReadSites(f, *cands)
		f.Close()
		if err != nil {
			return err
		}
	}
	st, err := openStore(ctx, env, *db, mustExist)
	if err != nil {
		return err
	}
	defer st.Close()
	ctx = store.WithActor(ctx, cliActor(env, ""))
	a, err := siting.RunOn(ctx, st, req)
	if err != nil {
		return err
	}
	if *asLevers {
		return writeJSON(env.Stdout, a.Scenario(*weekly, *capital, *start, scope.la, scope.region))
	}
	if *format == tabular.FormatJSON {
		return writeJSON(env.Stdout, a)
	}
	return writeTables(env, *format, *out, a.Tables())
}
