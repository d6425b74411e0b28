// Package analysis assembles the sufficiency picture, the needs-led review
// and the market for a scope: it resolves a council or region to the
// councils loaded, reads their children and episodes from the store (each
// read audited by the store under the context's actor), adds the supply
// (the store's provisions with the embedded Ofsted register), places
// postcodes with package geo, chooses the date to measure at, and sets the
// published statistics beside the computed figures. The CLI and the web app
// call it; the capabilities it calls (picture, review, market) stay pure.
package analysis

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"sufficiency/care"
	"sufficiency/geo"
	"sufficiency/refdata"
	"sufficiency/ssda903"
	"sufficiency/store"
)

// Store is what analysis reads from a store; store.Store has it all.
// Children, Episodes and Returns are audited by the store.
type Store interface {
	Councils(ctx context.Context) ([]store.CouncilSummary, error)
	Children(ctx context.Context, council string) ([]care.Child, error)
	Episodes(ctx context.Context, council string) ([]care.Episode, error)
	Provisions(ctx context.Context, f store.ProvisionFilter) ([]care.Provision, error)
	Returns(ctx context.Context, council string, years []int) ([]*ssda903.Return, error)
	EpisodesWhere(ctx context.Context, q store.EpisodeQuery) ([]care.Episode, error)
}

// England names the whole country as a scope (Resolve) and a market region.
const England = "England"

// Scope is the councils an analysis covers.
type Scope struct {
	// Name labels the scope: the council's or region's name, or England.
	Name string
	// Region is the council's region, or the region asked for; "" for England.
	Region string
	// Council is set when the scope is one council known to refdata.
	Council *refdata.Council
	// Councils are the councils in scope with data loaded (ONS codes, or the
	// code a council was imported under when refdata does not know it).
	Councils []string
	// Missing names the councils in scope with nothing loaded.
	Missing []string
	// Loaded is every council with data in the store: code → name.
	Loaded map[string]string
}

// loadedCouncils returns every council with data in the store, code → name.
// ENOTFOUND when there are none.
func loadedCouncils(ctx context.Context, st Store) (map[string]string, error) {
	summaries, err := st.Councils(ctx)
	if err != nil {
		return nil, err
	}
	all := map[string]string{}
	for _, s := range summaries {
		name := s.Council
		if c, ok := refdata.CouncilByCode(s.Council); ok {
			name = c.Name
		}
		all[s.Council] = name
	}
	if len(all) == 0 {
		return nil, care.Errorf(care.ENOTFOUND, "the database holds no children")
	}
	return all, nil
}

// ScopeSpec is a scope as an edge asks for it, parsed once (ParseScope from
// a CLI's --la/--region or a query's la/region, ParseCouncil from a URL's
// council, ParseRegion from a URL's region) and passed down as a value to be
// resolved against the store once (Resolve, LoadImported). The zero spec
// asks for nothing: each verb says what that means (the one council loaded,
// or every council).
type ScopeSpec struct {
	// Councils are the councils asked for: ONS codes of councils in the
	// register, or a code as given (refdata.NormaliseCouncil) that only a
	// store may hold (a test code, an old code).
	Councils []string
	// Region is the English region asked for, as refdata names it, or
	// England for every loaded council.
	Region string
}

// IsZero reports whether the spec asks for nothing.
func (s ScopeSpec) IsZero() bool { return len(s.Councils) == 0 && s.Region == "" }

// IsEngland reports whether the spec asks for every loaded council.
func (s ScopeSpec) IsEngland() bool { return s.Region == England }

// LA is the councils asked for, comma-separated ("" for none): the form a
// scenario file, a forecast record or a query keeps.
func (s ScopeSpec) LA() string { return strings.Join(s.Councils, ",") }

// String names the spec: its councils, its region, England, or "".
func (s ScopeSpec) String() string {
	if s.Region != "" {
		return s.Region
	}
	return s.LA()
}

// CouncilSpec is the scope of one council, as refdata or a store names it
// (the code is normalised by refdata.NormaliseCouncil).
func CouncilSpec(code string) ScopeSpec {
	return ScopeSpec{Councils: []string{refdata.NormaliseCouncil(code)}}
}

// noCouncil is the error, of code, for a council neither the register
// nor the store knows.
func noCouncil(code, s string) error {
	return care.Errorf(code, "no council %q: no English children's services council has the code or name; give an ONS code (e.g. E08000003), a DfE 3-digit code (e.g. 352) or the council's name (e.g. Manchester)", strings.TrimSpace(s))
}

// noRegion is the error for a region that is not an English region.
func noRegion(s string) error {
	return care.Errorf(care.ENOTFOUND, "no region %q: it is not an English region; use one of %s", strings.TrimSpace(s), strings.Join(refdata.Regions(), ", "))
}

// ParseScope parses a council (la: an ONS code, DfE code or name in any
// case; several comma-separated; "all" for every loaded council) or a
// region (an English region in any case, or England): the one parser of a
// scope given as text. EINVALID for both; ENOTFOUND for an unknown region.
// A council the register does not know is kept as given (normalised): a
// store may hold it (a test code, an old code), a published series may
// name it, and what reads the spec says when none does (Resolve,
// LoadImported).
func ParseScope(la, region string) (ScopeSpec, error) {
	la, region = strings.TrimSpace(la), strings.TrimSpace(region)
	switch {
	case la != "" && region != "":
		return ScopeSpec{}, care.Errorf(care.EINVALID, "give a council or a region, not both")
	case strings.EqualFold(la, "all") || strings.EqualFold(region, England):
		return ScopeSpec{Region: England}, nil
	case region != "":
		r, ok := refdata.CanonicalRegion(region)
		if !ok {
			return ScopeSpec{}, noRegion(region)
		}
		return ScopeSpec{Region: r}, nil
	case la != "":
		return ScopeSpec{Councils: parseCouncils(la)}, nil
	}
	return ScopeSpec{}, nil
}

// parseCouncils reads la as one council of the register (its name may hold
// a comma: "Bristol, City of"), else as a comma-separated list, each part
// normalised by refdata.NormaliseCouncil.
func parseCouncils(la string) []string {
	if c, ok := refdata.CouncilByCode(la); ok {
		return []string{c.Code}
	}
	var codes []string
	for _, part := range strings.Split(la, ",") {
		if code := refdata.NormaliseCouncil(part); code != "" {
			codes = append(codes, code)
		}
	}
	return codes
}

// ParseCouncil parses one council of the register (an ONS code, DfE code
// or name in any case), as a URL's council is: ENOTFOUND otherwise.
func ParseCouncil(code string) (ScopeSpec, error) {
	c, ok := refdata.CouncilByCode(code)
	if !ok || strings.TrimSpace(code) == "" {
		return ScopeSpec{}, noCouncil(care.ENOTFOUND, code)
	}
	return ScopeSpec{Councils: []string{c.Code}}, nil
}

// ParseRegion parses one English region in any case, as a URL's region is
// (England is not a region here): ENOTFOUND otherwise.
func ParseRegion(name string) (ScopeSpec, error) {
	r, ok := refdata.CanonicalRegion(name)
	if !ok {
		return ScopeSpec{}, noRegion(name)
	}
	return ScopeSpec{Region: r}, nil
}

// MarketRegion parses a region for the market: "" for none or England,
// else the region's canonical name. ENOTFOUND for an unknown region.
func MarketRegion(name string) (string, error) {
	s, err := ParseScope("", name)
	if err != nil {
		return "", err
	}
	return s.MarketRegion()
}

// MarketRegion is the region the market of the spec covers: "" for none or
// England. EINVALID for councils: the market is a region's or England's.
func (s ScopeSpec) MarketRegion() (string, error) {
	if len(s.Councils) > 0 {
		return "", care.Errorf(care.EINVALID, "the market works on regions, not councils: give a region (or none for England)")
	}
	if s.IsEngland() {
		return "", nil
	}
	return s.Region, nil
}

// Resolve turns a parsed scope into the councils loaded: its councils (a
// council the register does not know counts when the store holds it), the
// councils of its region, or every loaded council for England. With the
// zero spec, the one council loaded is the scope (EINVALID when several
// are loaded). ENOTFOUND for a council neither the register nor the store
// knows, or a scope with nothing loaded.
func Resolve(ctx context.Context, st Store, spec ScopeSpec) (Scope, error) {
	all, err := loadedCouncils(ctx, st)
	if err != nil {
		return Scope{}, err
	}
	sc := Scope{Loaded: all}
	var want []string
	switch {
	case len(spec.Councils) > 0:
		var names []string
		for i, code := range spec.Councils {
			c, ok := refdata.CouncilByCode(code)
			if !ok {
				if _, loaded := all[code]; !loaded {
					return sc, noCouncil(care.ENOTFOUND, code)
				}
				names = append(names, code)
				want = append(want, code)
				sc.Region, sc.Council = "", nil // in no region refdata knows
				continue
			}
			names = append(names, c.Name)
			want = append(want, c.Code)
			if i == 0 {
				sc.Region, sc.Council = c.Region, &c
			} else if sc.Region != c.Region {
				sc.Region = ""
			}
		}
		if len(want) > 1 {
			sc.Council = nil
		}
		sc.Name = strings.Join(names, ", ")
	case spec.Region != "" && !spec.IsEngland():
		cs, err := refdata.CouncilsInRegion(spec.Region)
		if err != nil {
			return sc, err
		}
		sc.Name, sc.Region = cs[0].Region, cs[0].Region
		for _, c := range cs {
			want = append(want, c.Code)
		}
	case spec.IsEngland():
		sc.Name = England
		for code := range all {
			want = append(want, code)
		}
		sort.Strings(want)
	default:
		if len(all) > 1 {
			var names []string
			for _, n := range all {
				names = append(names, n)
			}
			sort.Strings(names)
			return sc, care.Errorf(care.EINVALID, "the database holds %d councils (%s): choose a council or a region (or England)",
				len(names), strings.Join(names, ", "))
		}
		for code, name := range all {
			want = []string{code}
			sc.Name = name
			if c, ok := refdata.CouncilByCode(code); ok {
				sc.Region, sc.Council = c.Region, &c
			}
		}
	}
	for _, code := range want {
		if _, ok := all[code]; ok {
			sc.Councils = append(sc.Councils, code)
		} else {
			name := code
			if c, ok := refdata.CouncilByCode(code); ok {
				name = c.Name
			}
			sc.Missing = append(sc.Missing, name)
		}
	}
	if len(sc.Councils) == 0 {
		return sc, care.Errorf(care.ENOTFOUND, "no children are loaded for %s", sc.Name)
	}
	return sc, nil
}

// Data is the child-level data read for a scope.
type Data struct {
	Children []care.Child
	Episodes []care.Episode
}

// Load reads the children and episodes of the scope's councils and, with
// inPlacers, the children of other loaded councils placed in the scope's
// area on the last date the loaded data covers, with their histories (see
// PlacedIn). Episodes come in council-code order.
func Load(ctx context.Context, st Store, sc Scope, inPlacers bool) (Data, error) {
	if !inPlacers {
		return load(ctx, st, sc, time.Time{}, nil, false)
	}
	all, err := spans(ctx, st)
	if err != nil {
		return Data{}, err
	}
	at, err := Options{}.dateIn(spanOf(all, nil))
	if err != nil {
		return Data{}, err
	}
	provs, err := Provisions(ctx, st)
	if err != nil {
		return Data{}, err
	}
	return load(ctx, st, sc, at, provs, true)
}

// load is Load with in-placers at at, placed by provisions.
func load(ctx context.Context, st Store, sc Scope, at time.Time, provisions []care.Provision, inPlacers bool) (Data, error) {
	var d Data
	lists := make([][]care.Episode, 0, len(sc.Councils)+1)
	for _, code := range sc.Councils {
		cs, err := st.Children(ctx, code)
		if err != nil {
			return d, err
		}
		d.Children = append(d.Children, cs...)
		es, err := st.Episodes(ctx, code)
		if err != nil {
			return d, err
		}
		lists = append(lists, es)
	}
	if inPlacers {
		es, err := PlacedIn(ctx, st, sc, at, provisions)
		if err != nil {
			return d, err
		}
		lists = append(lists, es)
	}
	d.Episodes = concatByCouncil(lists...)
	return d, nil
}

// concatByCouncil is the episodes of lists grouped by council, councils in
// code order; within a council, in the order of lists and then of each
// list. Each council's episodes are found as runs (a list ordered by
// council, as the store returns them, has one run per council), so the
// episodes are copied once into a slice of their exact number, or not at
// all when one list holds them all in order.
func concatByCouncil(lists ...[]care.Episode) []care.Episode {
	type run struct {
		council string
		es      []care.Episode
	}
	var runs []run
	n, from := 0, -1
	for li, l := range lists {
		for i := 0; i < len(l); {
			j := i + 1
			for j < len(l) && l[j].Council == l[i].Council {
				j++
			}
			runs = append(runs, run{l[i].Council, l[i:j]})
			i = j
		}
		if len(l) > 0 {
			n += len(l)
			if from == -1 {
				from = li
			} else {
				from = -2 // episodes in more than one list
			}
		}
	}
	ordered := sort.SliceIsSorted(runs, func(i, j int) bool { return runs[i].council < runs[j].council })
	if from >= 0 && ordered {
		// One list, its councils in order and each in one run.
		return lists[from]
	}
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].council < runs[j].council })
	out := make([]care.Episode, 0, n)
	for _, r := range runs {
		out = append(out, r.es...)
	}
	return out
}

// PlacedIn reads the histories of other loaded councils' children in care
// at at whose placement may lie in the scope's area: placed at a home of
// provisions in one of the scope's councils, or with a placement postcode
// in a district that holds postcodes of the scope's councils
// (geo.DistrictsPlacingIn). The picture then decides, placement by
// placement, who is an in-placer. Only the store's indexes are read: no
// other council's whole history.
func PlacedIn(ctx context.Context, st Store, sc Scope, at time.Time, provisions []care.Provision) ([]care.Episode, error) {
	in := make(map[string]bool, len(sc.Councils))
	for _, c := range sc.Councils {
		in[c] = true
	}
	others := false
	for code := range sc.Loaded {
		if !in[code] {
			others = true
		}
	}
	if sc.Loaded == nil {
		others = true // not resolved: ask the store
	}
	if !others {
		return nil, nil
	}
	var urns []string
	for _, p := range provisions {
		if p.ID != "" && in[p.Council] {
			urns = append(urns, p.ID)
		}
	}
	districts := geo.DistrictsPlacingIn(sc.Councils)
	if len(urns) == 0 && len(districts) == 0 {
		return nil, nil
	}
	return st.EpisodesWhere(ctx, store.EpisodeQuery{
		Except: sc.Councils, At: at, Districts: districts, URNs: urns, Runs: true,
		Purpose: fmt.Sprintf("children placed in %s on %s (in-placers)", scopeName(sc), at.Format("2006-01-02")),
	})
}

func scopeName(sc Scope) string {
	if sc.Name != "" {
		return sc.Name
	}
	return strings.Join(sc.Councils, ", ")
}

// spans returns the span of every loaded council's episodes, by code.
func spans(ctx context.Context, st Store) (map[string]store.Span, error) {
	summaries, err := st.Councils(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]store.Span, len(summaries))
	for _, s := range summaries {
		out[s.Council] = s.Span
	}
	return out, nil
}

// spanOf joins the spans of councils (every council in all when councils is
// nil).
func spanOf(all map[string]store.Span, councils []string) store.Span {
	var s store.Span
	if councils == nil {
		for _, sp := range all {
			s = s.Join(sp)
		}
		return s
	}
	for _, c := range councils {
		s = s.Join(all[c])
	}
	return s
}

// inputs are what the picture and the review read for a scope.
type inputs struct {
	Data
	At         time.Time
	Provisions []care.Provision
	// Span is what the episodes read for the date cover (the scope's, or
	// every loaded council's with in-placers).
	Span store.Span
}

// gather chooses the date with o from the span of the scope's episodes
// (every loaded council's with inPlacers), reads the supply (see
// Provisions; with scopedSupply only the part ScopedProvisions gives for
// the scope's councils and the URNs of the episodes read) and loads the
// scope's data (see Load). With current, only the children in care at the
// date are read, with their histories. With also, also(date) runs with
// those reads.
//
// The supply, and after it the in-placers (found at the scope's settings),
// are read while the scope's own children and episodes are: the reads do not
// depend on each other, and a store serves them at once (each on a
// connection of its own), so on two cores the wait is about the longest of
// them rather than their sum. What is read, and so the result, is the same
// as one after the other.
func gather(ctx context.Context, st Store, sc Scope, o Options, inPlacers bool, mode loadMode, scopedSupply bool, also func(time.Time) error) (inputs, error) {
	all, err := spans(ctx, st)
	if err != nil {
		return inputs{}, err
	}
	span := spanOf(all, sc.Councils)
	if inPlacers {
		span = spanOf(all, nil)
	}
	at, err := o.dateIn(span)
	if err != nil {
		return inputs{}, err
	}
	var (
		provs  []care.Provision
		supply storedSupply
		own    ownData
		others []care.Episode
	)
	reads := []func() error{
		func() error {
			var err error
			if scopedSupply {
				// The scope's settings: PlacedIn looks for children placed at them.
				provs, err = supply.scoped(ctx, st, sc.Councils, nil)
			} else {
				provs, err = Provisions(ctx, st)
			}
			if err == nil && inPlacers {
				others, err = PlacedIn(ctx, st, sc, at, provs)
			}
			return err
		},
		func() error {
			var err error
			switch mode {
			case loadInCare:
				own, err = loadRuns(ctx, st, sc, at, time.Time{})
			case loadYear:
				// A week more than a year: enough whatever the year's first day is.
				own, err = loadRuns(ctx, st, sc, at, at.AddDate(-1, 0, -7))
			default:
				own, err = loadOwn(ctx, st, sc)
			}
			return err
		},
	}
	if also != nil {
		reads = append(reads, func() error { return also(at) })
	}
	if err = parallel(reads...); err != nil {
		return inputs{}, err
	}
	d := Data{Children: own.children, Episodes: concatByCouncil(append(own.episodes, others)...)}
	if scopedSupply {
		// And the settings the episodes read are placed at (the store is
		// asked only for those the first read did not answer).
		if provs, err = supply.scoped(ctx, st, sc.Councils, episodeURNs(d.Episodes)); err != nil {
			return inputs{}, err
		}
	}
	return inputs{Data: d, At: at, Provisions: provs, Span: span}, nil
}

// parallel runs fns at once and waits for them all; it returns the error of
// the first of fns (in their order) that failed.
func parallel(fns ...func() error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns[1:] {
		wg.Go(func() { errs[i+1] = fn() })
	}
	errs[0] = fns[0]()
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// ownData is what the scope's councils hold of the children and episodes
// gather reads: the children, and the episodes in lists ordered by council
// (concatByCouncil joins them).
type ownData struct {
	children []care.Child
	episodes [][]care.Episode
}

// loadOwn reads every child and episode of the scope's councils.
func loadOwn(ctx context.Context, st Store, sc Scope) (ownData, error) {
	var d ownData
	d.episodes = make([][]care.Episode, 0, len(sc.Councils)+1)
	for _, code := range sc.Councils {
		cs, err := st.Children(ctx, code)
		if err != nil {
			return d, err
		}
		d.children = append(d.children, cs...)
		es, err := st.Episodes(ctx, code)
		if err != nil {
			return d, err
		}
		d.episodes = append(d.episodes, es)
	}
	return d, nil
}

// loadMode says how much of the scope's histories gather reads.
type loadMode int

const (
	// loadAll reads every history of the scope's councils.
	loadAll loadMode = iota
	// loadInCare reads the histories of the children in care at the date.
	loadInCare
	// loadYear reads the histories of the children in care at any time in
	// the year to the date (and a week before).
	loadYear
)

// ChildrenWhere is a store that reads only the children of the episodes a
// query selects (store.Store has it; see store.Store.ChildrenWhere).
type ChildrenWhere interface {
	ChildrenWhere(ctx context.Context, q store.EpisodeQuery) ([]care.Child, error)
}

// loadRuns reads the histories of the scope's children in care at at (with
// since, at any time after since) with those children (a store without
// ChildrenWhere: every child of the scope's councils), the two reads at once
// (see gather). The picture and the review look children up only by the
// episodes read, so the others are not needed.
func loadRuns(ctx context.Context, st Store, sc Scope, at, since time.Time) (ownData, error) {
	var d ownData
	why := fmt.Sprintf("children in care of %s on %s", scopeName(sc), at.Format("2006-01-02"))
	if !since.IsZero() {
		why = fmt.Sprintf("children in care of %s from %s to %s", scopeName(sc), since.Format("2006-01-02"), at.Format("2006-01-02"))
	}
	q := store.EpisodeQuery{Councils: sc.Councils, At: at, Since: since, Runs: true, Purpose: why}
	var es []care.Episode
	err := parallel(
		func() (err error) {
			es, err = st.EpisodesWhere(ctx, q)
			return err
		},
		func() (err error) {
			if cw, ok := st.(ChildrenWhere); ok {
				d.children, err = cw.ChildrenWhere(ctx, q)
				return err
			}
			for _, code := range sc.Councils {
				cs, err := st.Children(ctx, code)
				if err != nil {
					return err
				}
				d.children = append(d.children, cs...)
			}
			return nil
		})
	d.episodes = [][]care.Episode{es}
	return d, err
}
