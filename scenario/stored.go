package scenario

import (
	"context"
	"fmt"
	"time"

	"sufficiency/care"

	"sufficiency/analysis"
	"sufficiency/forecast"
	"sufficiency/refdata"
	"sufficiency/store"
)

// Options are how a scenario is run on a store's data.
type Options struct {
	Workers  int
	Progress func(done, total int)
	// Cache, when set, keeps the data, model and baseline of one scope,
	// origin, horizon, simulation count and seed, so that several
	// scenarios sharing them read, fit and project the baseline once.
	Cache *Cache
}

// Cache keeps what scenarios sharing a baseline share (see Options.Cache).
// Its zero value is empty; it is not safe for concurrent use.
type Cache struct {
	key string
	in  Input
}

// RunOn resolves the scenario's scope in the store, reads the children,
// episodes and supply (reads of child-level data are audited by the store
// under the context's actor), fits the child-level model at the scenario's
// origin, prices it (BaseCosts) and runs the scenario.
func RunOn(ctx context.Context, st analysis.Store, sc *Scenario, o Options) (*Result, error) {
	if err := sc.Check(); err != nil {
		return nil, errInvalid(sc, err)
	}
	key := fmt.Sprintf("%s|%s|%s|%d|%d|%d", sc.Scope.LA, sc.Scope.Region, sc.From, sc.Years, sc.Sims, *sc.Seed)
	if c := o.Cache; c != nil && c.key == key && c.in.Model != nil {
		in := c.in
		in.Workers, in.Progress = o.Workers, o.Progress
		res, err := Run(ctx, sc, in)
		return res, err
	}
	in, digest, err := prepare(ctx, st, sc)
	if err != nil {
		return nil, err
	}
	in.Workers, in.Progress = o.Workers, o.Progress
	if o.Cache == nil {
		res, err := Run(ctx, sc, in)
		if err != nil {
			return nil, err
		}
		res.InputsDigest = <-digest
		return res, nil
	}
	// project the baseline here so the cache can keep it (the inputs'
	// digest is worked out meanwhile)
	base, err := forecast.Simulate(ctx, in.Model, forecast.SimOptions{Years: sc.Years, Sims: sc.Sims, Seed: *sc.Seed, Workers: o.Workers, SimsOnly: true})
	if err != nil {
		return nil, err
	}
	in.Baseline, in.InputsDigest = base, <-digest
	o.Cache.key, o.Cache.in = key, in
	return Run(ctx, sc, in)
}

// Spec parses the scenario's scope (analysis.ParseScope): the file is the
// edge its scope is parsed at, once. Errors name the field.
func (s Scope) Spec() (analysis.ScopeSpec, error) {
	spec, err := analysis.ParseScope(s.LA, s.Region)
	if err != nil {
		field := "scope.la"
		if s.Region != "" {
			field = "scope.region"
		}
		return spec, care.WrapError(care.ErrorCode(err), err, "%s", field)
	}
	return spec, nil
}

// RunAudited is RunOn recording the run's reads as one audit entry
// (AuditRun, file naming the scenario's file) where st keeps an audit log,
// instead of one entry per store read; elsewhere each read is the store's
// own. The reads are recorded whether or not the run succeeds.
func RunAudited(ctx context.Context, st analysis.Store, sc *Scenario, file string, opts Options) (*Result, error) {
	rctx, log := ctx, (*store.ReadLog)(nil)
	if _, ok := st.(store.Auditor); ok {
		rctx, log = store.WithReadLog(ctx)
	}
	res, err := RunOn(rctx, st, sc, opts)
	if aerr := AuditRun(ctx, st, sc, file, log); aerr != nil {
		return res, aerr
	}
	return res, err
}

// AuditRun records a run's reads noted in log (store.WithReadLog) as one
// audit entry under the context's actor: action "run scenario", every
// council read, and a detail naming the scenario, its file and the reads.
// Nothing when log is nil or empty; st must then be a store.Auditor (an
// error otherwise, so that no read goes unrecorded).
func AuditRun(ctx context.Context, st any, sc *Scenario, file string, log *store.ReadLog) error {
	if log == nil {
		return nil
	}
	reads := log.Take()
	if len(reads) == 0 {
		return nil
	}
	au, ok := st.(store.Auditor)
	if !ok {
		return care.Errorf(care.EINTERNAL, "scenario %q: the store cannot record its reads in the audit log", sc.Name)
	}
	var order []string
	n := map[string]int{}
	for _, r := range reads {
		if n[r.Action] == 0 {
			order = append(order, r.Action)
		}
		n[r.Action]++
	}
	detail := fmt.Sprintf("scenario %q", sc.Name)
	if file != "" {
		detail += " (" + file + ")"
	}
	for _, a := range order {
		detail += fmt.Sprintf("; %s: %d", a, n[a])
	}
	codes := store.ReadCouncils(reads)
	e := store.AuditEntry{Action: "run scenario", Councils: codes, Detail: detail}
	if len(codes) == 1 {
		e.Council = codes[0]
	}
	return au.AppendAudit(ctx, e)
}

// prepare reads and fits what a scenario runs on. The supply is read beside
// the children and episodes; of the episodes only those open at the origin
// are kept (the rest would be scanned by every garbage collection while the
// simulations run). The inputs' digest is worked out beside the fit and the
// baseline's simulation: the channel gives it (once) when it is done, and
// the Input has none.
func prepare(ctx context.Context, st analysis.Store, sc *Scenario) (Input, <-chan string, error) {
	spec, err := sc.Scope.Spec()
	if err != nil {
		return Input{}, nil, err
	}
	scope, err := analysis.Resolve(ctx, st, spec)
	if err != nil {
		return Input{}, nil, err
	}
	var (
		provs []care.Provision
		perr  error
		read  = make(chan struct{})
	)
	go func() {
		defer close(read)
		provs, perr = provisionsIn(ctx, st, scope.Councils)
	}()
	d, err := Load(ctx, st, scope.Councils)
	<-read
	if err != nil {
		return Input{}, nil, err
	}
	if perr != nil {
		return Input{}, nil, perr
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
	digest := make(chan string, 1)
	go func() { digest <- forecast.InputsDigest(d.Children, d.Episodes) }()
	m, err := forecast.Fit(d.Children, d.Episodes, cfg)
	if err != nil {
		return Input{}, nil, err
	}
	costs, err := BaseCosts(m, d.Episodes)
	if err != nil {
		return Input{}, nil, err
	}
	var open []care.Episode
	for _, e := range d.Episodes {
		if e.Covers(m.Config.Origin) {
			open = append(open, e)
		}
	}
	in := Input{Model: m, Costs: costs, Episodes: open, Provisions: provs,
		Locator: analysis.NewLocator(), ScopeName: scope.Name}
	return in, digest, nil
}

// provisionsIn is analysis.Provisions for the councils only (the places a
// scenario counts are in its own area): the store's supply of those
// councils, then the Ofsted register's homes there that the store lacks.
// Reading only the scope's supply saves most of a CPU-second on a
// database of all England.
func provisionsIn(ctx context.Context, st analysis.Store, councils []string) ([]care.Provision, error) {
	ps, err := st.Provisions(ctx, store.ProvisionFilter{Councils: councils})
	if err != nil {
		return nil, err
	}
	in := map[string]bool{}
	for _, c := range councils {
		in[c] = true
	}
	seen := map[string]bool{}
	for _, p := range ps {
		seen[p.ID] = true
	}
	for _, p := range refdata.Providers() {
		if p.Kind == "" || p.ShortBreakOnly || seen[p.URN] || !in[p.Council] {
			continue
		}
		ps = append(ps, care.Provision{ID: p.URN, Kind: p.Kind, Name: p.Name, Owner: p.Owner, Sector: p.Sector, Council: p.Council,
			Postcode: p.Postcode, Places: p.Places, Rating: p.Rating, Registered: p.Registered})
	}
	return ps, nil
}
