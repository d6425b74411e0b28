package scenario

import (
	"context"
	"time"

	"sufficiency/care"

	"sufficiency/analysis"
	"sufficiency/forecast"
)

// Options are how a scenario is run on a store's data.
type Options struct {
	Workers  int
	Progress func(done, total int)
}

// RunOn resolves the scenario's scope in the store, reads the children,
// episodes and supply (reads of child-level data are audited by the store
// under the context's actor), fits the child-level model at the scenario's
// origin, prices it (BaseCosts) and runs the scenario.
func RunOn(ctx context.Context, st analysis.Store, sc *Scenario, o Options) (*Result, error) {
	if err := sc.Check(); err != nil {
		return nil, errInvalid(sc, err)
	}
	scope, err := analysis.Resolve(ctx, st, sc.Scope.LA, sc.Scope.Region)
	if err != nil {
		return nil, err
	}
	d, err := Load(ctx, st, scope.Councils)
	if err != nil {
		return nil, err
	}
	provs, err := analysis.Provisions(ctx, st)
	if err != nil {
		return nil, err
	}
	cfg := forecast.Config{}
	if sc.From != "" {
		cfg.Origin, _ = time.Parse(time.DateOnly, sc.From)
	} else {
		// the end of the last collection year the returns cover (31 March)
		var last time.Time
		for _, e := range d.Episodes {
			for _, t := range []time.Time{e.Start, e.End} {
				if t.After(last) {
					last = t
				}
			}
		}
		if !last.IsZero() {
			cfg.Origin = care.CollectionYearEnd(last)
		}
	}
	m, err := forecast.Fit(d.Children, d.Episodes, cfg)
	if err != nil {
		return nil, err
	}
	return Run(ctx, sc, Input{Model: m, Costs: BaseCosts(m, d.Episodes), Episodes: d.Episodes, Provisions: provs,
		Locator: analysis.NewLocator(), InputsDigest: forecast.InputsDigest(d.Children, d.Episodes), ScopeName: scope.Name,
		Workers: o.Workers, Progress: o.Progress})
}
