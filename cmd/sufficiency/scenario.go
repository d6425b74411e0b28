package main

import (
	"context"
	"encoding/json"
	"os"

	"sufficiency/care"
	"sufficiency/scenario"
	"sufficiency/store"
	"sufficiency/tabular"
)

const scenarioSynopsis = `FILE... [--format text|json|csv|xlsx] [--out FILE] [--sims N] [--db FILE]

Runs each scenario file (JSON: name, scope {"la": CODE} or {"region": NAME}, from, years, seed, levers) on
the children imported into the database: the baseline and the scenario are projected with the same seed by
the child-level model, the levers changing entry, exit and move hazards inside the simulation
(entry_rate, exit_rate, step_down, recruit_foster, uasc_arrivals) or the price and place of care
(open_home, block_contract, price_inflation). Prints, per year with P10–P90, children in care by placement
group, places needed against available, the share placed over 20 miles from home, spend, capital, net
saving and payback; with several files, also one table comparing them. The same files, data and seed
give the same bytes. Levers and their fields are in docs/METHOD.md ("Scenarios").`

// runScenario is the scenario verb.
func runScenario(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "scenario", scenarioSynopsis)
	format := fs.String("format", "text", "output `FORMAT`: text, json, csv or xlsx")
	out := fs.String("out", "", "write to `FILE` instead of standard output (needed for xlsx)")
	sims := fs.Int("sims", 0, "simulations `N` (overrides the files' sims; default 1000)")
	db := dbFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return care.Errorf(care.EINVALID, "scenario needs at least one scenario FILE (JSON); see docs/METHOD.md for the levers")
	}
	switch *format {
	case tabular.FormatText, tabular.FormatJSON, tabular.FormatCSV:
	case tabular.FormatXLSX:
		if *out == "" {
			return care.Errorf(care.EINVALID, "--format xlsx writes an Excel workbook: give --out FILE.xlsx")
		}
	default:
		return care.Errorf(care.EINVALID, "--format %q: use text, json, csv or xlsx", *format)
	}
	var scs []*scenario.Scenario
	for _, path := range fs.Args() {
		b, err := os.ReadFile(path)
		if err != nil {
			return care.WrapError(care.EUNUSABLE, err, "cannot read scenario file %s; give the path of a JSON scenario", path)
		}
		sc, err := scenario.Parse(b, path)
		if err != nil {
			return err
		}
		if *sims > 0 {
			sc.Sims = *sims
			if err := sc.Check(); err != nil {
				return care.Errorf(care.EINVALID, "--sims %d: %v", *sims, err)
			}
		}
		scs = append(scs, sc)
	}
	st, err := openStore(ctx, env, *db, mustExist)
	if err != nil {
		return err
	}
	defer st.Close()
	ctx = store.WithActor(ctx, cliActor(env, ""))
	var results []*scenario.Result
	for _, sc := range scs {
		bar := newProgressBar(env.Stderr)
		res, err := scenario.RunOn(ctx, st, sc, scenario.Options{Progress: func(done, total int) { bar.update(sc.Name, int64(done), int64(total)) }})
		bar.done()
		if err != nil {
			return err
		}
		results = append(results, res)
	}
	if *format == tabular.FormatJSON {
		w := env.Stdout
		if *out != "" {
			f, err := os.Create(*out)
			if err != nil {
				return care.WrapError(care.EUNUSABLE, err, "cannot create %s", *out)
			}
			defer f.Close()
			w = f
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if len(results) == 1 {
			return enc.Encode(results[0])
		}
		return enc.Encode(struct {
			Scenarios []*scenario.Result `json:"scenarios"`
		}{results})
	}
	var tables []tabular.Table
	if len(results) > 1 {
		if t, err := scenario.Compare(results); err == nil {
			tables = append(tables, t)
		}
	}
	for _, r := range results {
		tables = append(tables, r.Tables()...)
	}
	return writeTables(env, *format, *out, tables)
}
