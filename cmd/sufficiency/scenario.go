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
	var scs []*scenario.Scenario
	var files [][]byte
	for _, path := range fs.Args() {
		b, err := os.ReadFile(path)
		if err != nil {
			return care.WrapError(care.EUNUSABLE, err, "cannot read scenario file %s; give the path of a JSON or YAML scenario", path)
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
		files = append(files, b)
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
		res, err := scenario.RunOn(ctx, st, sc, scenario.Options{Cache: cache, Progress: func(done, total int) { bar.update(sc.Name, int64(done), int64(total)) }})
		bar.done()
		if err != nil {
			return err
		}
		results = append(results, res)
		if !*noSave {
			ss, ok := st.(store.ScenarioStore)
			if !ok {
				return care.Errorf(care.EINTERNAL, "this database cannot keep scenarios; use --no-save")
			}
			rec, err := res.Saved(files[i])
			if err != nil {
				return err
			}
			saved, err := ss.SaveScenario(ctx, rec)
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
	if format == tabular.FormatJSON {
		w := env.Stdout
		if out != "" {
			f, err := os.Create(out)
			if err != nil {
				return care.WrapError(care.EUNUSABLE, err, "cannot create %s", out)
			}
			defer f.Close()
			w = f
		}
		if len(results) == 1 {
			b, err := results[0].Encode()
			if err != nil {
				return err
			}
			_, err = w.Write(b)
			return err
		}
		return writeJSON(w, struct {
			Scenarios []*scenario.Result `json:"scenarios"`
		}{results})
	}
	var tables []tabular.Table
	if len(results) > 1 {
		if ts, err := scenario.Compare(results); err == nil {
			tables = append(tables, ts...)
		}
	}
	for _, r := range results {
		tables = append(tables, r.Tables()...)
	}
	return writeTables(env, format, out, tables)
}

// runScenarioSaved lists the saved runs or shows one.
func runScenarioSaved(ctx context.Context, env *Env, db string, list bool, id int64, name, la, format, out string) error {
	st, err := openStore(ctx, env, db, mustExist)
	if err != nil {
		return err
	}
	defer st.Close()
	ss, ok := st.(store.ScenarioStore)
	if !ok {
		return care.Errorf(care.EUNUSABLE, "this database keeps no scenarios")
	}
	if !list {
		s, err := ss.Scenario(ctx, id)
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
	runs, err := ss.Scenarios(ctx, store.ScenarioFilter{Name: name, Council: la})
	if err != nil {
		return err
	}
	t := tabular.Table{Title: "Saved scenario runs", Columns: []tabular.Column{{Name: "ID", Kind: tabular.Number}, {Name: "Name", Kind: tabular.Text},
		{Name: "Version", Kind: tabular.Number}, {Name: "Scope", Kind: tabular.Text}, {Name: "From", Kind: tabular.Text}, {Name: "Years", Kind: tabular.Number},
		{Name: "Simulations", Kind: tabular.Number}, {Name: "Seed", Kind: tabular.Number}, {Name: "Run by", Kind: tabular.Text}, {Name: "Saved", Kind: tabular.Text}}}
	for _, s := range runs {
		t.AddRow(float64(s.ID), s.Name, float64(s.Version), s.Scope, s.Origin.Format("2 January 2006"), float64(s.Years), float64(s.Sims), float64(s.Seed),
			s.Actor, s.At.Format("2 January 2006 15:04 MST"))
	}
	if len(runs) == 0 {
		t.Notes = append(t.Notes, "No scenario has been run on this database yet: sufficiency scenario FILE.")
	}
	return writeTables(env, format, out, []tabular.Table{t})
}
