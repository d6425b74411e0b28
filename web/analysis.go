package web

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"sort"
	"strings"
	"time"

	"sufficiency/auth"
	"sufficiency/care"
	"sufficiency/geo"
	"sufficiency/market"
	"sufficiency/picture"
	"sufficiency/refdata"
	"sufficiency/review"
	"sufficiency/store"
	"sufficiency/tabular"
)

// This file assembles the capabilities' inputs from the store, as
// cmd/sufficiency/picture.go, review.go and market.go do. The shared parts
// (scope resolution, the register, the geo locator, published comparators)
// should move to one package both use; until then this is the web's minimal
// copy, without published comparators, in-placers from other councils,
// statutory reviews or missing episodes.

// analyst computes pictures, worklists and the market for a user.
type analyst struct {
	st  store.Store
	now func() time.Time
}

func (s *Server) analyst() *analyst { return &analyst{st: s.cfg.Store, now: s.cfg.Now} }

// Result is a set of tables of one scope, as the API returns it.
type Result struct {
	Scope string `json:"scope"`
	At    string `json:"at"` // YYYY-MM-DD
	// Suppressed is true when small numbers (1 to 4) are suppressed, as for publication.
	Suppressed bool `json:"suppressed"`
	// Tables are written as the CLI's --format json writes them (title,
	// columns, rows as objects keyed by column, notes).
	Tables []tabular.Table `json:"-"`
}

// MarshalJSON writes the result with its tables in the tabular JSON form.
func (r Result) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	if err := tabular.WriteJSON(&buf, r.Tables); err != nil {
		return nil, err
	}
	type plain Result
	return json.Marshal(struct {
		plain
		Tables json.RawMessage `json:"tables"`
	}{plain(r), buf.Bytes()})
}

// CouncilRow is one loaded council as the dashboard and /api/v1/councils list it.
type CouncilRow struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Region   string `json:"region"`
	Years    []int  `json:"years"`
	Children string `json:"children"` // a count, or "c" when suppressed for this user
	Episodes string `json:"episodes"`
	// Own is true when the user may see the council's child-level data.
	Own bool `json:"own"`
}

// councils lists the loaded councils with counts, suppressed (1 to 4) for
// councils outside the user's scope.
func (a *analyst) councils(ctx context.Context, u auth.User) ([]CouncilRow, error) {
	sums, err := a.st.Councils(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]CouncilRow, 0, len(sums))
	for _, s := range sums {
		row := CouncilRow{Code: s.Council, Name: s.Council, Years: s.Years, Own: u.CanSeeCouncil(s.Council)}
		if c, ok := refdata.CouncilByCode(s.Council); ok {
			row.Name, row.Region = c.Name, c.Region
		}
		row.Children, row.Episodes = count(s.Children, !row.Own), count(s.Episodes, !row.Own)
		out = append(out, row)
	}
	return out, nil
}

// count formats n, as "c" when suppress and 1 ≤ n ≤ 4.
func count(n int, suppress bool) string {
	if suppress && n >= 1 && n <= 4 {
		return tabular.Suppressed
	}
	return tabular.Format(tabular.Column{Kind: tabular.Count}, n)
}

// loaded returns the loaded council codes.
func (a *analyst) loaded(ctx context.Context) (map[string]bool, error) {
	sums, err := a.st.Councils(ctx)
	if err != nil {
		return nil, err
	}
	m := map[string]bool{}
	for _, s := range sums {
		m[s.Council] = true
	}
	return m, nil
}

// councilScope resolves a council code (ONS or DfE code, or name) that has
// data loaded. ENOTFOUND otherwise.
func (a *analyst) councilScope(ctx context.Context, code string) (refdata.Council, error) {
	c, ok := refdata.CouncilByCode(code)
	if !ok {
		return c, care.Errorf(care.ENOTFOUND, "no council %q: give an ONS code such as E06000001", code)
	}
	loaded, err := a.loaded(ctx)
	if err != nil {
		return c, err
	}
	if !loaded[c.Code] {
		return c, care.Errorf(care.ENOTFOUND, "no children are loaded for %s", c.Name)
	}
	return c, nil
}

// regionScope returns the region's loaded councils. ENOTFOUND for an
// unknown region or one with nothing loaded.
func (a *analyst) regionScope(ctx context.Context, name string) (string, []string, error) {
	cs, err := refdata.CouncilsInRegion(name)
	if err != nil || len(cs) == 0 {
		return "", nil, care.Errorf(care.ENOTFOUND, "no region %q: use one of %s", name, strings.Join(refdata.Regions(), ", "))
	}
	loaded, err := a.loaded(ctx)
	if err != nil {
		return "", nil, err
	}
	var codes []string
	for _, c := range cs {
		if loaded[c.Code] {
			codes = append(codes, c.Code)
		}
	}
	if len(codes) == 0 {
		return "", nil, care.Errorf(care.ENOTFOUND, "no children are loaded for %s", cs[0].Region)
	}
	return cs[0].Region, codes, nil
}

// childData reads the councils' children and episodes (audited under the
// context's actor).
func (a *analyst) childData(ctx context.Context, codes []string) ([]care.Child, []care.Episode, error) {
	var children []care.Child
	var eps []care.Episode
	for _, code := range codes {
		cs, err := a.st.Children(ctx, code)
		if err != nil {
			return nil, nil, err
		}
		es, err := a.st.Episodes(ctx, code)
		if err != nil {
			return nil, nil, err
		}
		children = append(children, cs...)
		eps = append(eps, es...)
	}
	return children, eps, nil
}

// atDate returns the date to measure at: ?at= when given (EINVALID when not
// a date), else the last date the episodes cover, or today when that is
// later than today or there are none.
func (a *analyst) atDate(at string, eps []care.Episode) (time.Time, error) {
	if at != "" {
		t, err := time.Parse("2006-01-02", at)
		if err != nil {
			return time.Time{}, care.Errorf(care.EINVALID, "at=%q is not a date: write it as YYYY-MM-DD", at)
		}
		return t, nil
	}
	var last time.Time
	for _, e := range eps {
		if e.Start.After(last) {
			last = e.Start
		}
		if e.End.After(last) {
			last = e.End
		}
	}
	now := a.now().UTC()
	today := care.Date(now.Year(), now.Month(), now.Day())
	if last.IsZero() || last.After(today) {
		return today, nil
	}
	return last, nil
}

// provisions returns the supply the store holds with the Ofsted register
// added for every URN the store does not have.
func (a *analyst) provisions(ctx context.Context) ([]care.Provision, error) {
	ps, err := a.st.Provisions(ctx, store.ProvisionFilter{})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, p := range ps {
		seen[p.ID] = true
	}
	for _, p := range refdata.Providers() {
		if p.Kind == "" || p.ShortBreakOnly || seen[p.URN] {
			continue
		}
		ps = append(ps, care.Provision{ID: p.URN, Kind: p.Kind, Name: p.Name, Owner: p.Owner, Sector: p.Sector,
			Council: p.Council, Postcode: p.Postcode, Places: p.Places, Rating: p.Rating, Registered: p.Registered})
	}
	return ps, nil
}

// picture computes the picture of the councils; publish suppresses small numbers.
func (a *analyst) picture(ctx context.Context, name string, codes []string, at string, publish bool) (Result, picture.Picture, error) {
	children, eps, err := a.childData(ctx, codes)
	if err != nil {
		return Result{}, picture.Picture{}, err
	}
	t, err := a.atDate(at, eps)
	if err != nil {
		return Result{}, picture.Picture{}, err
	}
	provs, err := a.provisions(ctx)
	if err != nil {
		return Result{}, picture.Picture{}, err
	}
	var councils []picture.Council
	for _, c := range refdata.Councils() {
		councils = append(councils, picture.Council{Code: c.Code, Name: c.Name, Region: c.Region, Pop0to17: c.Pop0to17})
	}
	p := picture.Compute(picture.Input{Name: name, Scope: codes, Councils: councils, Children: children, Episodes: eps,
		Provisions: provs, Locate: newLocator()}, t)
	return Result{Scope: name, At: t.Format("2006-01-02"), Suppressed: publish, Tables: p.Tables(publish)}, p, nil
}

// review builds the needs-led review worklist of the councils (child-level).
func (a *analyst) review(ctx context.Context, name string, codes []string, at string) (Result, error) {
	children, eps, err := a.childData(ctx, codes)
	if err != nil {
		return Result{}, err
	}
	t, err := a.atDate(at, eps)
	if err != nil {
		return Result{}, err
	}
	provs, err := a.provisions(ctx)
	if err != nil {
		return Result{}, err
	}
	w := review.Build(review.Input{Scope: codes, Children: children, Episodes: eps, Provisions: provs, Locate: newLocator()},
		review.DefaultRules(), t)
	return Result{Scope: name, At: t.Format("2006-01-02"), Tables: w.Tables()}, nil
}

// market analyses the market of the register with the current placements
// of the councils the user may see; suppressed unless the user is an admin.
func (a *analyst) market(ctx context.Context, u auth.User, region, at string) (Result, error) {
	in := market.Input{Region: region, ChildrenInCare: map[string]int{}}
	for _, c := range refdata.Councils() {
		in.Councils = append(in.Councils, market.Council{Code: c.Code, Name: c.Name, Region: c.Region, Pop0to17: c.Pop0to17,
			Easting: c.Easting, Northing: c.Northing})
	}
	for _, r := range refdata.Regions() {
		if rows := refdata.RegionCLATotals(r); len(rows) > 0 {
			if n, ok := rows[len(rows)-1].CLA31Mar.Int(); ok {
				in.ChildrenInCare[r] = n
			}
		}
	}
	if rows := refdata.EnglandCLATotals(); len(rows) > 0 {
		if n, ok := rows[len(rows)-1].CLA31Mar.Int(); ok {
			in.ChildrenInCare[market.England] = n
		}
	}
	sums, err := a.st.Councils(ctx)
	if err != nil {
		return Result{}, err
	}
	var codes []string
	for _, s := range sums {
		if u.CanSeeCouncil(s.Council) {
			codes = append(codes, s.Council)
		}
	}
	sort.Strings(codes)
	if in.Children, in.Episodes, err = a.childData(ctx, codes); err != nil {
		return Result{}, err
	}
	if in.Provisions, err = a.provisions(ctx); err != nil {
		return Result{}, err
	}
	t, err := a.atDate(at, in.Episodes)
	if err != nil {
		return Result{}, err
	}
	tables := market.Analyse(in, t).Tables()
	publish := !u.IsAdmin()
	if publish {
		for i := range tables {
			tables[i] = tabular.Suppress(tables[i])
		}
	}
	scope := market.England
	if region != "" {
		scope = region
	}
	return Result{Scope: scope, At: t.Format("2006-01-02"), Suppressed: publish, Tables: tables}, nil
}

// locator adapts package geo to picture.Locator and review.Locator (DfE
// method, rounded to 0.1 mile as PL_DISTANCE is). One per request: it caches.
type locator struct {
	points   map[string]geoPoint
	councils map[string]string
}

type geoPoint struct {
	p  geo.Point
	ok bool
}

func newLocator() *locator {
	return &locator{points: map[string]geoPoint{}, councils: map[string]string{}}
}

func (g *locator) point(pc string) (geo.Point, bool) {
	if r, ok := g.points[pc]; ok {
		return r.p, r.ok
	}
	p, err := geo.LocateString(pc)
	g.points[pc] = geoPoint{p, err == nil}
	return p, err == nil
}

// Miles implements picture.Locator and review.Locator.
func (g *locator) Miles(a, b string) (float64, bool) {
	pa, ok1 := g.point(a)
	pb, ok2 := g.point(b)
	if !ok1 || !ok2 {
		return 0, false
	}
	return math.Round(geo.Miles(pa, pb)*10) / 10, true
}

// CouncilOf implements picture.Locator.
func (g *locator) CouncilOf(pc string) (string, bool) {
	if code, ok := g.councils[pc]; ok {
		return code, code != ""
	}
	var code string
	if p, err := geo.ParsePostcode(pc); err == nil {
		code, _ = geo.CouncilOf(p)
	}
	g.councils[pc] = code
	return code, code != ""
}
