package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/geo"
	"sufficiency/picture"
	"sufficiency/refdata"
	"sufficiency/ssda903"
	"sufficiency/store"
	"sufficiency/store/sqlite"
	"sufficiency/tabular"
)

const pictureSynopsis = `[--la CODE | --region NAME] [--at DATE] [--publish] [--format text|json|csv|xlsx] [--out FILE] [--db FILE]

The sufficiency picture of a council (--la: ONS code, DfE code or name) or a region (--region: e.g.
"North West", or "England" for every loaded council) at a date: children in care and who they are, placement
mix, distance from home, stability, siblings, cost and who pays, and registered places against children
placed, beside the published figures for statistical neighbours, the region and England. --publish
suppresses small numbers (1 to 4) for publication. --at defaults to the last date the loaded data covers.`

// runPicture is the picture verb.
func runPicture(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "picture", pictureSynopsis)
	o := analyticsFlags(fs)
	publish := fs.Bool("publish", false, "suppress small numbers (1 to 4) in every table, for publication")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := o.check(fs); err != nil {
		return err
	}
	st, err := openAnalyticsStore(ctx, o.dbPath(env))
	if err != nil {
		return err
	}
	defer st.Close()
	sc, err := resolveScope(ctx, st, o.la, o.region)
	if err != nil {
		return err
	}
	data, err := loadScope(ctx, st, sc, true)
	if err != nil {
		return err
	}
	at, err := o.date(env, data.episodes)
	if err != nil {
		return err
	}
	provs, err := registerProvisions(ctx, st)
	if err != nil {
		return err
	}
	in := picture.Input{
		Name:        sc.name,
		Scope:       sc.loaded,
		Councils:    pictureCouncils(),
		Children:    data.children,
		Episodes:    data.episodes,
		Provisions:  provs,
		Locate:      newGeoLocator(),
		Comparators: publishedComparators(sc, at),
	}
	p := picture.Compute(in, at)
	tables := p.Tables(*publish)
	if sn := neighbourTable(sc, at); sn != nil {
		tables = append(tables, *sn)
	}
	if from := returnsStart(data.episodes); !from.IsZero() && p.YearStart.Before(from.AddDate(0, 0, -1)) {
		tables[0].Notes = append(tables[0].Notes, fmt.Sprintf("The loaded returns start on %s: the figures for the year to %s (started, ceased, 3 or more placements, spent in the year) miss what happened before then, and children who left care before then are not in the data.",
			from.Format("2 January 2006"), at.Format("2 January 2006")))
	}
	if len(sc.missing) > 0 {
		tables[0].Notes = append(tables[0].Notes, fmt.Sprintf("No data loaded for %d council(s) of %s: %s. They are left out.",
			len(sc.missing), sc.name, strings.Join(sc.missing, ", ")))
	}
	// --region England covers the loaded councils only: say how few, so the
	// figures are not read as England's (the published England column is).
	if sc.council == nil && sc.region == "" && sc.name == "England" {
		if all := len(refdata.Councils()); len(sc.loaded) < all {
			tables[0].Notes = append(tables[0].Notes, fmt.Sprintf("England here means the %d council(s) whose data is loaded, of %d: the figures are theirs, not England's.",
				len(sc.loaded), all))
		}
	}
	return writeTables(env, o.format, o.out, tables)
}

// analyticsOptions are the flags the picture, review and market verbs share.
type analyticsOptions struct {
	la, region, at, format, out, db string
}

func analyticsFlags(fs interface {
	StringVar(p *string, name, value, usage string)
}) *analyticsOptions {
	o := &analyticsOptions{}
	fs.StringVar(&o.la, "la", "", "council `CODE` (ONS code, DfE code or name)")
	fs.StringVar(&o.region, "region", "", "region `NAME` (e.g. \"North West\"), or England")
	fs.StringVar(&o.at, "at", "", "`DATE` (YYYY-MM-DD) to measure at; default the last date the data covers")
	fs.StringVar(&o.format, "format", "text", "output `FORMAT`: text, json, csv or xlsx")
	fs.StringVar(&o.out, "out", "", "write to `FILE` instead of standard output (needed for xlsx)")
	fs.StringVar(&o.db, "db", "", "database `FILE` (default $SUFFICIENCY_DB or sufficiency.db)")
	return o
}

func (o *analyticsOptions) check(fs interface{ NArg() int }) error {
	if fs.NArg() > 0 {
		return care.Errorf(care.EINVALID, "this command takes no arguments; use --la CODE or --region NAME")
	}
	switch o.format {
	case tabular.FormatText, tabular.FormatJSON, tabular.FormatCSV:
	case tabular.FormatXLSX:
		if o.out == "" {
			return care.Errorf(care.EINVALID, "--format xlsx writes an Excel workbook: give --out FILE.xlsx")
		}
	default:
		return care.Errorf(care.EINVALID, "--format %q: use text, json, csv or xlsx", o.format)
	}
	if o.la != "" && o.region != "" {
		return care.Errorf(care.EINVALID, "give --la or --region, not both")
	}
	return nil
}

func (o *analyticsOptions) dbPath(env *Env) string {
	if o.db != "" {
		return o.db
	}
	if p := env.Getenv("SUFFICIENCY_DB"); p != "" {
		return p
	}
	return "sufficiency.db"
}

// date returns --at, or the last date the episodes cover (their latest start
// or end), or today when that is later than today or there are none.
//
// An --at outside the data is refused: after the end of the collection year
// (31 March) of the latest event, children shown as in care may have left
// unrecorded (a picture at 2030 would count everyone as still in care, two
// years older); before the earliest episode nothing is loaded.
func (o *analyticsOptions) date(env *Env, eps []care.Episode) (time.Time, error) {
	var first, last time.Time
	for _, e := range eps {
		if !e.Start.IsZero() && (first.IsZero() || e.Start.Before(first)) {
			first = e.Start
		}
		if e.Start.After(last) {
			last = e.Start
		}
		if e.End.After(last) {
			last = e.End
		}
	}
	if o.at != "" {
		t, err := time.Parse("2006-01-02", o.at)
		if err != nil {
			return time.Time{}, care.Errorf(care.EINVALID, "--at %q is not a date: write it as YYYY-MM-DD, e.g. 2025-03-31", o.at)
		}
		if !last.IsZero() {
			end := care.Date(last.Year(), time.March, 31)
			if last.After(end) {
				end = care.Date(last.Year()+1, time.March, 31)
			}
			if t.After(end) {
				return time.Time{}, care.Errorf(care.EINVALID, "--at %s is after the data: the loaded returns end on %s, so who is in care later is not known; give a date up to %s, or import later returns",
					o.at, end.Format("2006-01-02"), end.Format("2006-01-02"))
			}
			if t.Before(first) {
				return time.Time{}, care.Errorf(care.EINVALID, "--at %s is before the data: the earliest episode loaded starts on %s; give a later date, or import earlier returns",
					o.at, first.Format("2006-01-02"))
			}
		}
		return t, nil
	}
	now := env.Now().UTC()
	today := care.Date(now.Year(), now.Month(), now.Day())
	if last.IsZero() || last.After(today) {
		return today, nil
	}
	return last, nil
}

// analyticsStore is what the analytics verbs read from the store.
type analyticsStore interface {
	Councils(ctx context.Context) ([]store.CouncilSummary, error)
	Children(ctx context.Context, council string) ([]care.Child, error)
	Episodes(ctx context.Context, council string) ([]care.Episode, error)
	Provisions(ctx context.Context, f store.ProvisionFilter) ([]care.Provision, error)
	Returns(ctx context.Context, council string, years []int) ([]*ssda903.Return, error)
	Close() error
}

// openAnalyticsStore opens the database at path for reading, refusing to
// create one: ENOTFOUND when there is no file. Tests may replace it.
var openAnalyticsStore = func(ctx context.Context, path string) (analyticsStore, error) {
	fi, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, care.Errorf(care.ENOTFOUND, "no database at %s: import SSDA903 returns first (sufficiency import), or give --db FILE or set SUFFICIENCY_DB", path)
		}
		return nil, care.WrapError(care.EUNUSABLE, err, "cannot read the database %s", path)
	}
	if fi.IsDir() {
		return nil, care.Errorf(care.EUNUSABLE, "--db %s is a folder, not a database file: give the database FILE (e.g. %s)", path, filepath.Join(path, "sufficiency.db"))
	}
	return openSQLiteStore(ctx, path)
}

// scope is the councils a command covers.
type scope struct {
	name    string
	region  string            // the region of a council, or the region asked for ("" for England)
	council *refdata.Council  // set for a single council
	loaded  []string          // councils in scope with data loaded (ONS codes)
	missing []string          // councils in scope with nothing loaded (names)
	all     map[string]string // every loaded council: code → name
}

// resolveScope turns --la / --region into councils, keeping those loaded.
func resolveScope(ctx context.Context, st analyticsStore, la, region string) (scope, error) {
	summaries, err := st.Councils(ctx)
	if err != nil {
		return scope{}, err
	}
	sc := scope{all: map[string]string{}}
	for _, s := range summaries {
		name := s.Council
		if c, ok := refdata.CouncilByCode(s.Council); ok {
			name = c.Name
		}
		sc.all[s.Council] = name
	}
	if len(sc.all) == 0 {
		return sc, care.Errorf(care.ENOTFOUND, "the database holds no children: import SSDA903 returns first (sufficiency import)")
	}
	var want []string
	switch {
	case la != "":
		c, ok := refdata.CouncilByCode(la)
		if !ok {
			if _, loaded := sc.all[la]; loaded {
				sc.name = la
				want = []string{la}
				break
			}
			return sc, care.Errorf(care.ENOTFOUND, "no council %q: give an ONS code (E08000003), a DfE code (352) or a name (Manchester)", la)
		}
		sc.name, sc.region, sc.council = c.Name, c.Region, &c
		want = []string{c.Code}
	case region != "" && !strings.EqualFold(region, "England"):
		cs, err := refdata.CouncilsInRegion(region)
		if err != nil {
			return sc, err
		}
		sc.name, sc.region = cs[0].Region, cs[0].Region
		for _, c := range cs {
			want = append(want, c.Code)
		}
	case region != "":
		sc.name = "England"
		for code := range sc.all {
			want = append(want, code)
		}
		sort.Strings(want)
	default:
		if len(sc.all) > 1 {
			var names []string
			for _, n := range sc.all {
				names = append(names, n)
			}
			sort.Strings(names)
			return sc, care.Errorf(care.EINVALID, "the database holds %d councils (%s): choose one with --la CODE or a region with --region NAME (or --region England)",
				len(names), strings.Join(names, ", "))
		}
		for code, name := range sc.all {
			want = []string{code}
			sc.name = name
			if c, ok := refdata.CouncilByCode(code); ok {
				sc.region, sc.council = c.Region, &c
			}
		}
	}
	for _, code := range want {
		if _, ok := sc.all[code]; ok {
			sc.loaded = append(sc.loaded, code)
		} else {
			name := code
			if c, ok := refdata.CouncilByCode(code); ok {
				name = c.Name
			}
			sc.missing = append(sc.missing, name)
		}
	}
	if len(sc.loaded) == 0 {
		return sc, care.Errorf(care.ENOTFOUND, "no children are loaded for %s: import its SSDA903 returns first (sufficiency import --la ...)", sc.name)
	}
	return sc, nil
}

// scopeData is the child-level data read for a scope.
type scopeData struct {
	children []care.Child
	episodes []care.Episode
}

// loadScope reads the children and episodes of the scope's councils and,
// with others, the episodes of every other loaded council (whose children
// placed in the area are in-placers).
func loadScope(ctx context.Context, st analyticsStore, sc scope, others bool) (scopeData, error) {
	var d scopeData
	in := map[string]bool{}
	for _, code := range sc.loaded {
		in[code] = true
		cs, err := st.Children(ctx, code)
		if err != nil {
			return d, err
		}
		d.children = append(d.children, cs...)
	}
	codes := append([]string(nil), sc.loaded...)
	if others {
		for code := range sc.all {
			if !in[code] {
				codes = append(codes, code)
			}
		}
	}
	sort.Strings(codes)
	for _, code := range codes {
		es, err := st.Episodes(ctx, code)
		if err != nil {
			return d, err
		}
		d.episodes = append(d.episodes, es...)
	}
	return d, nil
}

// registerProvisions returns the supply the store holds, with the Ofsted
// register (refdata) added for every URN the store does not have.
func registerProvisions(ctx context.Context, st analyticsStore) ([]care.Provision, error) {
	var out []care.Provision
	seen := map[string]bool{}
	if st != nil {
		ps, err := st.Provisions(ctx, store.ProvisionFilter{})
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			seen[p.ID] = true
		}
		out = append(out, ps...)
	}
	for _, p := range refdata.Providers() {
		if p.Kind == "" || p.ShortBreakOnly || seen[p.URN] {
			continue
		}
		out = append(out, care.Provision{
			ID: p.URN, Kind: p.Kind, Name: p.Name, Owner: p.Owner, Sector: p.Sector, Council: p.Council,
			Postcode: p.Postcode, Places: p.Places, Rating: p.Rating, Registered: p.Registered,
		})
	}
	return out, nil
}

func pictureCouncils() []picture.Council {
	var out []picture.Council
	for _, c := range refdata.Councils() {
		out = append(out, picture.Council{Code: c.Code, Name: c.Name, Region: c.Region, Pop0to17: c.Pop0to17})
	}
	return out
}

// geoLocator adapts package geo to the analytics packages' Locator: distances
// by the DfE method (rounded to 0.1 mile, as PL_DISTANCE is), councils by
// postcode district and sector.
type geoLocator struct {
	points   map[string]geoPoint
	councils map[string]geoCouncil
}

type geoPoint struct {
	p  geo.Point
	ok bool
}

type geoCouncil struct {
	code string
	ok   bool
}

func newGeoLocator() *geoLocator {
	return &geoLocator{points: map[string]geoPoint{}, councils: map[string]geoCouncil{}}
}

func (g *geoLocator) point(pc string) (geo.Point, bool) {
	if r, ok := g.points[pc]; ok {
		return r.p, r.ok
	}
	p, err := geo.LocateString(pc)
	g.points[pc] = geoPoint{p, err == nil}
	return p, err == nil
}

// Miles implements picture.Locator and review.Locator.
func (g *geoLocator) Miles(a, b string) (float64, bool) {
	pa, ok1 := g.point(a)
	pb, ok2 := g.point(b)
	if !ok1 || !ok2 {
		return 0, false
	}
	return math.Round(geo.Miles(pa, pb)*10) / 10, true
}

// CouncilOf implements picture.Locator.
func (g *geoLocator) CouncilOf(pc string) (string, bool) {
	if r, ok := g.councils[pc]; ok {
		return r.code, r.ok
	}
	p, err := geo.ParsePostcode(pc)
	var code string
	ok := err == nil
	if ok {
		code, ok = geo.CouncilOf(p)
	}
	g.councils[pc] = geoCouncil{code, ok}
	return code, ok
}

// publishedYear is the published placement-mix year to compare with a
// picture at `at`: the latest year ending 31 March on or before at, or the
// earliest published year when at is before them all.
func publishedYear(at time.Time) int {
	ys := refdata.PlacementMixYears()
	if len(ys) == 0 {
		return 0
	}
	want := at.Year()
	if at.Before(care.Date(at.Year(), time.March, 31)) {
		want--
	}
	best := ys[0]
	for _, y := range ys {
		if y <= want {
			best = y
		}
	}
	return best
}

// mixValues turns a published placement mix and totals into picture measures.
func mixValues(p refdata.PlacementCounts, t refdata.YearFigures, haveTotals bool) map[string]float64 {
	v := map[string]float64{}
	total, ok := p.Total.Int()
	if !ok || total == 0 {
		return v
	}
	share := func(id string, fs ...refdata.Figure) {
		sum := 0.0
		for _, f := range fs {
			if !f.Known {
				return
			}
			sum += f.Value
		}
		v[id] = 100 * sum / float64(total)
	}
	v[picture.MeasureInCare] = float64(total)
	share(picture.MeasurePctFoster, p.Foster)
	share(picture.MeasurePctHomes, p.SecureAndChildrensHomes)
	share(picture.MeasurePctSupported, p.IndependentSemiIndependentSupp)
	share(picture.MeasurePctWithParents, p.PlacedWithParents)
	share(picture.MeasurePctAdoption, p.PlacedForAdoption)
	share(picture.MeasurePctResSchool, p.ResidentialSchools)
	share(picture.MeasurePctOther, p.OtherResidential, p.OtherPlacements)
	share(picture.MeasurePctOwnLA, p.ProviderOwnLA)
	share(picture.MeasurePctPrivate, p.ProviderPrivate)
	share(picture.MeasurePctVoluntary, p.ProviderVoluntary)
	share(picture.MeasurePctOutside, p.OutsideLABoundary)
	share(picture.MeasurePctOver20, p.Over20Miles)
	share(picture.MeasurePctUASC, p.UASC)
	share(picture.MeasurePct16Plus, p.Age16Plus)
	if p.OtherLAChildrenPlaced.Known {
		v[picture.MeasureInPlacers] = p.OtherLAChildrenPlaced.Value
	}
	if haveTotals {
		if t.RatePer10k.Known {
			v[picture.MeasureRate] = t.RatePer10k.Value
		} else if pop, ok := t.Pop0to17.Int(); ok && pop > 0 {
			v[picture.MeasureRate] = 10000 * float64(total) / float64(pop)
		}
		if t.Starts.Known {
			v[picture.MeasureStarted] = t.Starts.Value
		}
		if t.Ceases.Known {
			v[picture.MeasureCeased] = t.Ceases.Value
		}
	}
	return v
}

func yearOf(rows []refdata.YearFigures, year int) (refdata.YearFigures, bool) {
	for _, r := range rows {
		if r.Year == year {
			return r, true
		}
	}
	return refdata.YearFigures{}, false
}

// publishedComparators gives the published figures beside a picture: the
// council's own published figures and its statistical neighbours' average
// (single council), the region, and England, for the published year nearest
// before at (see publishedYear).
func publishedComparators(sc scope, at time.Time) []picture.Comparator {
	year := publishedYear(at)
	if year == 0 {
		return nil
	}
	period := fmt.Sprintf("31 March %d", year)
	var out []picture.Comparator
	if sc.council != nil {
		if p, ok := refdata.PlacementMix(sc.council.Code, year); ok {
			t, have := refdata.CLATotalsFor(sc.council.Code, year)
			out = append(out, picture.Comparator{Name: sc.council.Name, Kind: "published", Period: period, Values: mixValues(p, t, have)})
		}
		sums, counts := map[string]float64{}, map[string]int{}
		for _, sn := range sc.council.StatNeighbours {
			p, ok := refdata.PlacementMix(sn, year)
			if !ok {
				continue
			}
			t, have := refdata.CLATotalsFor(sn, year)
			for k, v := range mixValues(p, t, have) {
				sums[k] += v
				counts[k]++
			}
		}
		if len(sums) > 0 {
			avg := map[string]float64{}
			for k, s := range sums {
				avg[k] = s / float64(counts[k])
			}
			out = append(out, picture.Comparator{Name: "Statistical neighbours", Kind: "average", Period: period, Values: avg})
		}
	}
	if sc.region != "" {
		if p, ok := refdata.RegionPlacementMix(sc.region, year); ok {
			t, have := yearOf(refdata.RegionCLATotals(sc.region), year)
			out = append(out, picture.Comparator{Name: sc.region, Kind: "region", Period: period, Values: mixValues(p, t, have)})
		}
	}
	if p, ok := refdata.EnglandPlacementMix(year); ok {
		t, have := yearOf(refdata.EnglandCLATotals(), year)
		out = append(out, picture.Comparator{Name: "England", Kind: "England", Period: period, Values: mixValues(p, t, have)})
	}
	return out
}

// neighbourTable lists each statistical neighbour's published figures.
func neighbourTable(sc scope, at time.Time) *tabular.Table {
	if sc.council == nil || len(sc.council.StatNeighbours) == 0 {
		return nil
	}
	year := publishedYear(at)
	ids := []string{picture.MeasureInCare, picture.MeasureRate, picture.MeasurePctFoster, picture.MeasurePctHomes,
		picture.MeasurePctPrivate, picture.MeasurePctOutside, picture.MeasurePctOver20, picture.MeasurePctUASC}
	t := tabular.Table{
		Title:   fmt.Sprintf("Statistical neighbours of %s: published figures at 31 March %d", sc.council.Name, year),
		Columns: []tabular.Column{{Name: "Council"}},
	}
	for _, id := range ids {
		for _, m := range picture.Measures {
			if m.ID == id {
				t.Columns = append(t.Columns, tabular.Column{Name: m.Label, Kind: tabular.Number})
			}
		}
	}
	for _, sn := range sc.council.StatNeighbours {
		c, ok := refdata.CouncilByCode(sn)
		if !ok {
			continue
		}
		p, ok := refdata.PlacementMix(sn, year)
		if !ok {
			continue
		}
		tot, have := refdata.CLATotalsFor(sn, year)
		v := mixValues(p, tot, have)
		row := []any{c.Name}
		for _, id := range ids {
			if x, ok := v[id]; ok {
				row = append(row, x)
			} else {
				row = append(row, nil)
			}
		}
		t.AddRow(row...)
	}
	return &t
}

// writeTables writes the tables to --out or standard output.
func writeTables(env *Env, format, out string, tables []tabular.Table) error {
	if out == "" {
		return tabular.Write(env.Stdout, format, tables)
	}
	f, err := os.Create(out)
	if err != nil {
		return care.WrapError(care.EUNUSABLE, err, "cannot create %s; check the folder exists and is writable", out)
	}
	if err := tabular.Write(f, format, tables); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return care.WrapError(care.EUNUSABLE, err, "cannot write %s", out)
	}
	fmt.Fprintf(env.Stderr, "wrote %d tables to %s\n", len(tables), out)
	return nil
}

// openSQLiteStore opens the SQLite database.
func openSQLiteStore(ctx context.Context, path string) (analyticsStore, error) {
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	return db, nil
}

// returnsStart is the first day the loaded returns cover: 1 April of the
// collection year of the earliest recorded end of an episode (a return holds
// the episodes open during its year, so earlier ends are not in the data).
// Zero when no episode has ended.
func returnsStart(eps []care.Episode) time.Time {
	var first time.Time
	for _, e := range eps {
		if !e.End.IsZero() && (first.IsZero() || e.End.Before(first)) {
			first = e.End
		}
	}
	if first.IsZero() {
		return first
	}
	y := first.Year()
	if first.Month() < time.April {
		y--
	}
	return care.Date(y, time.April, 1)
}
