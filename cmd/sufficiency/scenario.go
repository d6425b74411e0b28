package main

import (
	"context"
	"fmt"
	"os"

	"sufficiency/care"
	"sufficiency/refdata"
	"sufficiency/scenario"
	"sufficiency/store"
	"sufficiency/tabular"
)

// runScenario is the scenario verb.
func runScenario(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "scenario", helpText("scenario"))
	format := fs.String("format", "text", "output `FORMAT`: text, json, csv or xlsx")
	out := fs.String("out", "", "write to `FILE` instead of standard output (needed for xlsx)")
	sims := fs.Int("sims", 0, "simulations `N` (overrides the files' sims; default 1000)")
	noSave := fs.Bool("no-save", false, "do not save the runs in the database")
	list := fs.Bool("list", false, "list the saved scenario runs")
	show := fs.Int64("show", 0, "print saved scenario `ID` as it was made")
	name := fs.String("name", "", "with --list: runs of scenario `NAME`")
	la := fs.String("la", "", "with --list: runs covering council `CODE`")
	db := dbFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *list || *show != 0 {
		if fs.NArg() > 0 {
			return care.Errorf(care.EINVALID, "--list and --show take no scenario FILE")
		}
		return runScenarioSaved(ctx, env, *db, *list, *show, *name, *la, *format, *out)
	}
	if fs.NArg() == 0 {
		return care.Errorf(care.EINVALID, "scenario needs at least one scenario FILE (JSON or YAML); see docs/METHOD.md for the levers")
	}
	if err := checkTableFormat(*format, *out); err != nil {
		return err
	}
	scs, files, err := scenario.ReadFiles(fs.Args())
	if err != nil {
		return err
	}
	for _, sc := range scs {
		if *sims > 0 {
			sc.Sims = *sims
			if err := sc.Check(); err != nil {
				return care.Errorf(care.EINVALID, "--sims %d: %v", *sims, err)
			}
		}
	}
	st, err := openStore(ctx, env, *db, mustExist)
	if err != nil {
		return err
	}
	defer st.Close()
	ctx = store.WithActor(ctx, cliActor(env, ""))
	var results []*scenario.Result
	cache := &scenario.Cache{} // scenarios sharing scope, origin, horizon, sims and seed share one baseline
	for i, sc := range scs {
		bar := newProgressBar(env.Stderr)
		// a run's reads (two a council) are recorded as one audit entry
		res, err := scenario.RunAudited(ctx, st, sc, fs.Arg(i), scenario.Options{Cache: cache, Progress: func(done, total int) { bar.update(sc.Name, int64(done), int64(total)) }})
		bar.done()
		if err != nil {
			return err
		}
		results = append(results, res)
		if !*noSave {
			rec, err := res.Saved(files[i])
			if err != nil {
				return err
			}
			saved, err := st.SaveScenario(ctx, rec)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stderr, "scenario %d saved (%q version %d)\n", saved.ID, saved.Name, saved.Version)
		}
	}
	return writeScenarios(env, *format, *out, results)
}

// writeScenarios prints results: JSON as the store keeps them, or tables
// (with a comparison first when there are several).
func writeScenarios(env *Env, format, out string, results []*scenario.Result) error {
	if format != tabular.FormatJSON {
		return writeTables(env, format, out, scenario.ResultTables(results))
	}
	if out == "" {
		return scenario.WriteJSON(env.Stdout, results)
	}
	f, err := os.Create(out)
	if err != nil {
		return care.WrapError(care.EUNUSABLE, err, "cannot create %s", out)
	}
	defer f.Close()
	return scenario.WriteJSON(f, results)
}

// runScenarioSaved lists the saved runs or shows one.
func runScenarioSaved(ctx context.Context, env *Env, db string, list bool, id int64, name, la, format, out string) error {
	st, err := openStore(ctx, env, db, mustExist)
	if err != nil {
		return err
	}
	defer st.Close()
	if !list {
		s, err := st.Scenario(ctx, id)
		if err != nil {
			return hint(err, care.ENOTFOUND, "\"sufficiency scenario --list\" shows the saved ones")
		}
		r, err := scenario.Decode(s)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "scenario %d: %q version %d, run by %s on %s\n", s.ID, s.Name, s.Version, s.Actor, s.At.Format("2 January 2006 15:04 MST"))
		if format == tabular.FormatJSON && out == "" {
			_, err := env.Stdout.Write(s.Result)
			return err
		}
		return writeScenarios(env, format, out, []*scenario.Result{r})
	}
	if la != "" {
		code, err := refdata.CouncilCode(la)
		if err != nil {
			return err
		}
		la = code
	}
	runs, err := st.Scenarios(ctx, store.ScenarioFilter{Name: name, Council: la})
	if err != nil {
		return err
	}
	return writeTables(env, format, out, []tabular.Table{scenario.RunsTable(runs)})
}
