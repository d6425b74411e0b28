package analysis

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/internal/storetest"
	"sufficiency/refdata"
	"sufficiency/review"
	"sufficiency/ssda903"
	"sufficiency/store"
	"sufficiency/store/sqlite"
	"sufficiency/tabular"
)

// The fixture: two councils of the North East with a few children each, and
// a council code refdata does not know.
const (
	hartlepool    = "E06000001" // DfE 805
	middlesbrough = "E06000002"
	unknown       = "X99"
)

// recorder is a Store that records the child-level reads it passes on.
type recorder struct {
	Store
	// mu guards reads and episodes: analysis reads at once (gather).
	mu    sync.Mutex
	reads []string
	// episodes are those EpisodesWhere returned.
	episodes []care.Episode
}

func (r *recorder) Children(ctx context.Context, council string) ([]care.Child, error) {
	r.note("children " + council)
	return r.Store.Children(ctx, council)
}

func (r *recorder) Episodes(ctx context.Context, council string) ([]care.Episode, error) {
	r.note("episodes " + council)
	return r.Store.Episodes(ctx, council)
}

// EpisodesWhere records the councils whose episodes came back.
func (r *recorder) EpisodesWhere(ctx context.Context, q store.EpisodeQuery) ([]care.Episode, error) {
	es, err := r.Store.EpisodesWhere(ctx, q)
	var councils []string
	for _, e := range es {
		if !slices.Contains(councils, e.Council) {
			councils = append(councils, e.Council)
		}
	}
	r.mu.Lock()
	r.reads = append(r.reads, "where "+strings.Join(councils, ","))
	r.episodes = append(r.episodes, es...)
	r.mu.Unlock()
	return es, err
}

// ChildrenWhere records the councils whose children came back, when the
// store has ChildrenWhere (a recorder without it has none, as fakes).
func (r *recorder) ChildrenWhere(ctx context.Context, q store.EpisodeQuery) ([]care.Child, error) {
	cs, err := r.Store.(ChildrenWhere).ChildrenWhere(ctx, q)
	var councils []string
	for _, c := range cs {
		if !slices.Contains(councils, c.Council) {
			councils = append(councils, c.Council)
		}
	}
	r.note("children where " + strings.Join(councils, ","))
	return cs, err
}

func (r *recorder) Returns(ctx context.Context, council string, years []int) ([]*ssda903.Return, error) {
	r.note("returns " + council)
	return r.Store.Returns(ctx, council, years)
}

// sameReads says whether got and want are the same reads in any order: the
// reads gather makes at once come in any order.
func sameReads(got, want []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want)))
}

// note records a read.
func (r *recorder) note(read string) {
	r.mu.Lock()
	r.reads = append(r.reads, read)
	r.mu.Unlock()
}

// openFixture writes a store with the given councils' children (see
// councilImport) on a temporary file.
func openFixture(t *testing.T, councils ...string) *recorder {
	t.Helper()
	db := openDB(t)
	for _, c := range councils {
		storetest.MustImport(t, db, councilImport(c))
	}
	return &recorder{Store: db}
}

// openDB opens an empty SQLite store on a temporary file, closed at the end.
func openDB(tb testing.TB) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(ctx(), filepath.Join(tb.TempDir(), "a.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// councilImport is one council's children. Hartlepool: h1 placed in
// Hartlepool, h2 in Middlesbrough (7.6 miles away), h3 left care in
// December 2024; its 2024/25 return holds the Reviews table (h1 reviewed
// in January 2025) and an empty Missing table. Middlesbrough: m1 placed in
// Hartlepool (an in-placer there), m2 at home in Middlesbrough. Any other
// code: one child placed at home.
func councilImport(council string) store.Import {
	d := care.Date
	child := func(id string, dob time.Time) care.Child {
		return care.Child{Council: council, ID: id, Sex: care.Female, DOB: dob, Ethnicity: "WBRI", Needs: care.NeedsProfile{Tier: care.TierStandard}}
	}
	ep := func(id string, start time.Time, place, prov, home, placed string, pounds float64) care.Episode {
		return care.Episode{Council: council, ChildID: id, Start: start, ReasonNew: "S", LegalStatus: "C2", CategoryOfNeed: "N1",
			Placement: care.PlacementType(place), Provider: care.ProviderType(prov), HomePostcode: home, PlacementPostcode: placed,
			WeeklyCost: care.FromPounds(pounds)}
	}
	imp := store.Import{Council: council}
	switch council {
	case hartlepool:
		left := ep("h3", d(2022, 1, 1), "U4", "PR1", "TS24 7", "TS25 1", 500)
		left.End, left.ReasonEnded = d(2024, 12, 1), "E11"
		imp.Children = []care.Child{child("h1", d(2012, 5, 1)), child("h2", d(2010, 3, 1)), child("h3", d(2009, 1, 1))}
		imp.Episodes = []care.Episode{
			ep("h1", d(2023, 5, 1), "U4", "PR1", "TS24 7", "TS25 1", 450),
			ep("h2", d(2024, 6, 1), "K2", "PR4", "TS24 7", "TS1 2", 5500),
			left,
		}
		ret := &ssda903.Return{Council: council, Year: 2025, Tables: map[ssda903.TableName]*ssda903.Table{}}
		table := func(name ssda903.TableName, rows ...[]string) {
			tb := &ssda903.Table{Name: name, File: string(name) + ".csv", Layout: ssda903.LayoutDfECSV, Present: make([]bool, len(ssda903.Columns[name]))}
			for i := range tb.Present {
				tb.Present[i] = true
			}
			for i, v := range rows {
				tb.Rows = append(tb.Rows, ssda903.Row{Line: i + 2, Values: v})
			}
			ret.Tables[name] = tb
		}
		table(ssda903.Reviews, []string{"h1", "01/05/2012", "10/01/2025", "PN1"})
		table(ssda903.Missing)
		imp.Years, imp.Returns = []int{2025}, []*ssda903.Return{ret}
	case middlesbrough:
		imp.Children = []care.Child{child("m1", d(2011, 2, 1)), child("m2", d(2013, 2, 1))}
		imp.Episodes = []care.Episode{
			ep("m1", d(2024, 1, 1), "U4", "PR4", "TS1 2", "TS25 1", 900),
			ep("m2", d(2024, 2, 1), "U4", "PR1", "TS5 6", "TS5 6", 450),
		}
	default:
		imp.Children = []care.Child{child("x1", d(2015, 1, 1))}
		imp.Episodes = []care.Episode{ep("x1", d(2024, 4, 1), "U4", "PR1", "TS1 2", "TS1 2", 450)}
	}
	return imp
}

func ctx() context.Context { return store.WithActor(context.Background(), "test") }

func TestResolve(t *testing.T) {
	st := openFixture(t, hartlepool, middlesbrough, unknown)
	tests := []struct {
		name, la, region string
		wantName         string
		wantRegion       string
		wantCouncil      string // refdata council, "" for none
		wantCouncils     []string
		wantMissing      int
		code, msg        string // error
	}{
		{name: "ONSCode", la: hartlepool, wantName: "Hartlepool", wantRegion: "North East", wantCouncil: hartlepool, wantCouncils: []string{hartlepool}},
		{name: "DfECode", la: "805", wantName: "Hartlepool", wantRegion: "North East", wantCouncil: hartlepool, wantCouncils: []string{hartlepool}},
		{name: "Name", la: "middlesbrough", wantName: "Middlesbrough", wantRegion: "North East", wantCouncil: middlesbrough, wantCouncils: []string{middlesbrough}},
		{name: "LoadedCodeRefdataLacks", la: unknown, wantName: unknown, wantCouncils: []string{unknown}},
		{name: "Region", region: "north east", wantName: "North East", wantRegion: "North East", wantCouncils: []string{hartlepool, middlesbrough}, wantMissing: 10},
		{name: "England", region: "england", wantName: "England", wantCouncils: []string{hartlepool, middlesbrough, unknown}},
		{name: "UnknownCouncil", la: "Atlantis", code: care.ENOTFOUND, msg: `no council "Atlantis"`},
		{name: "NotLoaded", la: "Salford", code: care.ENOTFOUND, msg: "no children are loaded for Salford"},
		{name: "RegionNotLoaded", region: "London", code: care.ENOTFOUND, msg: "no children are loaded for London"},
		{name: "UnknownRegion", region: "Atlantis", code: care.ENOTFOUND, msg: "not an English region"},
		{name: "SeveralLoaded", code: care.EINVALID, msg: "the database holds 3 councils (Hartlepool, Middlesbrough, X99)"},
		{name: "Both", la: hartlepool, region: "North East", code: care.EINVALID, msg: "not both"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := resolve(st, tt.la, tt.region)
			if tt.code != "" {
				if care.ErrorCode(err) != tt.code || !strings.Contains(care.ErrorMessage(err), tt.msg) {
					t.Fatalf("error %v (%s); want %s with %q", err, care.ErrorCode(err), tt.code, tt.msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			council := ""
			if sc.Council != nil {
				council = sc.Council.Code
			}
			if sc.Name != tt.wantName || sc.Region != tt.wantRegion || council != tt.wantCouncil ||
				!slices.Equal(sc.Councils, tt.wantCouncils) || len(sc.Missing) != tt.wantMissing || len(sc.Loaded) != 3 {
				t.Errorf("scope %+v", sc)
			}
		})
	}
}

func TestResolveOneOrNoneLoaded(t *testing.T) {
	sc, err := resolve(openFixture(t, middlesbrough), "", "")
	if err != nil || sc.Name != "Middlesbrough" || sc.Council == nil || sc.Region != "North East" || !slices.Equal(sc.Councils, []string{middlesbrough}) {
		t.Errorf("the one council loaded: %+v, %v", sc, err)
	}
	_, err = resolve(openFixture(t), hartlepool, "")
	if care.ErrorCode(err) != care.ENOTFOUND || !strings.Contains(care.ErrorMessage(err), "holds no children") {
		t.Errorf("empty store: %v", err)
	}
}

// ParseCouncil and ParseRegion (a URL's council or region) are stricter
// than ParseScope: a council must be known to refdata, and England is not a
// region.
func TestCouncilAndRegionScope(t *testing.T) {
	st := openFixture(t, hartlepool, unknown)
	resolveWith := func(parse func(string) (ScopeSpec, error), s string) func() (Scope, error) {
		return func() (Scope, error) {
			spec, err := parse(s)
			if err != nil {
				return Scope{}, err
			}
			return Resolve(ctx(), st, spec)
		}
	}
	tests := []struct {
		name    string
		resolve func() (Scope, error)
		want    string // scope name, or the error code
	}{
		{"Council", resolveWith(ParseCouncil, "805"), "Hartlepool"},
		{"CouncilRefdataLacks", resolveWith(ParseCouncil, unknown), care.ENOTFOUND},
		{"NoCouncil", resolveWith(ParseCouncil, ""), care.ENOTFOUND},
		{"Region", resolveWith(ParseRegion, "North East"), "North East"},
		{"England", resolveWith(ParseRegion, "England"), care.ENOTFOUND},
		{"NoRegion", resolveWith(ParseRegion, ""), care.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := tt.resolve()
			got := sc.Name
			if err != nil {
				got = care.ErrorCode(err)
			}
			if got != tt.want {
				t.Errorf("got %q (%v), want %q", got, err, tt.want)
			}
		})
	}
}

func TestMarketRegion(t *testing.T) {
	for _, tt := range []struct{ in, want, code string }{
		{"", "", ""},
		{"england", "", ""},
		{"north west", "North West", ""},
		{"Inner London", "London", ""},
		{"Atlantis", "", care.ENOTFOUND},
	} {
		got, err := MarketRegion(tt.in)
		if got != tt.want || care.ErrorCode(err) != tt.code {
			t.Errorf("MarketRegion(%q) = %q, %v; want %q, %q", tt.in, got, err, tt.want, tt.code)
		}
	}
}

func TestDate(t *testing.T) {
	d := care.Date
	eps := []care.Episode{{Start: d(2021, 6, 1), End: d(2023, 2, 1)}, {Start: d(2024, 5, 1)}}
	today := func() time.Time { return time.Date(2025, 6, 1, 23, 0, 0, 0, time.FixedZone("x", -3600)) } // 2 June UTC
	tests := []struct {
		name string
		o    Options
		eps  []care.Episode
		want time.Time
		msg  string // error
	}{
		{"Given", Options{At: "2024-03-31", Now: today}, eps, d(2024, 3, 31), ""},
		{"LastDayOfTheData", Options{At: "2025-03-31", Now: today}, eps, d(2025, 3, 31), ""},
		{"DefaultLastEvent", Options{Now: today}, eps, d(2024, 5, 1), ""},
		{"DefaultTodayWhenDataIsLater", Options{Now: today}, []care.Episode{{Start: d(2026, 1, 1)}}, d(2025, 6, 2), ""},
		{"DefaultTodayWithoutData", Options{Now: today}, nil, d(2025, 6, 2), ""},
		{"AnyDateWithoutData", Options{At: "2040-01-01"}, nil, d(2040, 1, 1), ""},
		{"NotADate", Options{At: "31/03/2025", AtName: "--at"}, eps, time.Time{}, `--at "31/03/2025" is not a date`},
		{"NotADateDefaultName", Options{At: "2025-02-30"}, eps, time.Time{}, `at "2025-02-30" is not a date`},
		{"AfterTheData", Options{At: "2025-04-01"}, eps, time.Time{}, "at 2025-04-01 is after the data: the loaded returns end on 2025-03-31"},
		{"BeforeTheData", Options{At: "2021-05-31"}, eps, time.Time{}, "at 2021-05-31 is before the data: the earliest episode loaded starts on 2021-06-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.o.Date(tt.eps)
			if tt.msg != "" {
				if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.msg) {
					t.Fatalf("error %v; want EINVALID with %q", err, tt.msg)
				}
				return
			}
			if err != nil || !got.Equal(tt.want) {
				t.Errorf("got %s, %v; want %s", got.Format(time.DateOnly), err, tt.want.Format(time.DateOnly))
			}
		})
	}
}

func TestLoad(t *testing.T) {
	st := openFixture(t, hartlepool, middlesbrough, unknown)
	sc, err := resolve(st, hartlepool, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		inPlacers bool
		reads     []string
		episodes  int
	}{
		{false, []string{"children " + hartlepool, "episodes " + hartlepool}, 3},
		// Only Middlesbrough's m1, placed in Hartlepool, is read: not X99's
		// child placed at home, nor Middlesbrough's m2.
		{true, []string{"children " + hartlepool, "episodes " + hartlepool, "where " + middlesbrough}, 4},
	} {
		st.reads = nil
		d, err := Load(ctx(), st, sc, tt.inPlacers)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(st.reads, tt.reads) || len(d.Children) != 3 || len(d.Episodes) != tt.episodes {
			t.Errorf("in-placers %v: read %v, %d children, %d episodes", tt.inPlacers, st.reads, len(d.Children), len(d.Episodes))
		}
	}
}

// csvOf writes tables as CSV, to look for figures as a reader sees them.
func csvOf(t *testing.T, tables []tabular.Table) string {
	t.Helper()
	var b bytes.Buffer
	if err := tabular.Write(&b, tabular.FormatCSV, tables); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestPicture(t *testing.T) {
	st := openFixture(t, hartlepool, middlesbrough)
	council, err := resolve(st, hartlepool, "")
	if err != nil {
		t.Fatal(err)
	}
	region, err := resolve(st, "", "North East")
	if err != nil {
		t.Fatal(err)
	}
	at := Options{At: "2025-03-31"}
	tests := []struct {
		name      string
		sc        Scope
		o         PictureOptions
		inCare    int
		inPlacers float64
		reads     int // child-level reads
		has, not  []string
	}{
		{name: "Council", sc: council, o: PictureOptions{Options: at}, inCare: 2, reads: 2,
			has: []string{"Hartlepool: children in care at 31 March 2025", "Children in care,2,", "Placed outside the council,1,"},
			not: []string{"Statistical neighbours of", "Hartlepool (published)", "North East (region)"}},
		{name: "InPlacers", sc: council, o: PictureOptions{Options: at, InPlacers: true}, inCare: 2, inPlacers: 1, reads: 3},
		{name: "Published", sc: council, o: PictureOptions{Options: at, Published: true}, inCare: 2, reads: 2,
			has: []string{"Hartlepool (published)", "Statistical neighbours of Hartlepool: published figures at 31 March"}},
		{name: "Publish", sc: council, o: PictureOptions{Options: at, Publish: true}, inCare: 2, reads: 2,
			has: []string{"Children in care,c,", "Placed outside the council,c,"}},
		// In a region, each council's children placed in the other's area are in-placers.
		{name: "RegionCoverage", sc: region, o: PictureOptions{Options: at, CoverageNotes: true}, inCare: 4, inPlacers: 2, reads: 4,
			has: []string{"North East: children in care", "No data loaded for 10 council(s) of North East: Redcar and Cleveland, "}},
		{name: "YearBeforeTheReturns", sc: council, o: PictureOptions{Options: Options{At: "2024-12-31"}, CoverageNotes: true}, inCare: 2, reads: 2,
			has: []string{"The loaded returns start on 1 April 2024"}},
		{name: "NoNotesWithout", sc: region, o: PictureOptions{Options: at}, inCare: 4, inPlacers: 2, reads: 4, not: []string{"No data loaded"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st.reads = nil
			res, err := Picture(ctx(), st, tt.sc, tt.o)
			if err != nil {
				t.Fatal(err)
			}
			if res.Picture.InCare != tt.inCare || res.Picture.Measures["in_placers"] != tt.inPlacers || len(st.reads) != tt.reads {
				t.Errorf("in care %d, in-placers %v, reads %v", res.Picture.InCare, res.Picture.Measures["in_placers"], st.reads)
			}
			if tt.o.Published != (len(res.Picture.Comparators) > 0) {
				t.Errorf("%d comparators with Published %v", len(res.Picture.Comparators), tt.o.Published)
			}
			out := csvOf(t, res.Tables) + strings.Join(res.Tables[0].Notes, "\n")
			for _, s := range tt.has {
				if !strings.Contains(out, s) {
					t.Errorf("no %q in\n%s", s, out)
				}
			}
			for _, s := range tt.not {
				if strings.Contains(out, s) {
					t.Errorf("%q in the tables", s)
				}
			}
		})
	}
}

func TestPictureEnglandNote(t *testing.T) {
	st := openFixture(t, hartlepool)
	sc, err := resolve(st, "", "England")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Picture(ctx(), st, sc, PictureOptions{Options: Options{At: "2025-03-31"}, CoverageNotes: true})
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("England here means the 1 council(s) whose data is loaded, of %d", len(refdata.Councils()))
	if !slices.ContainsFunc(res.Tables[0].Notes, func(n string) bool { return strings.HasPrefix(n, want) }) {
		t.Errorf("notes %q", res.Tables[0].Notes)
	}
}

func TestPictureDateOutsideTheData(t *testing.T) {
	st := openFixture(t, hartlepool)
	sc := Scope{Name: "Hartlepool", Councils: []string{hartlepool}}
	_, err := Picture(ctx(), st, sc, PictureOptions{Options: Options{At: "2031-03-31"}})
	if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), "after the data") {
		t.Errorf("got %v", err)
	}
}

func TestReview(t *testing.T) {
	st := openFixture(t, hartlepool, middlesbrough)
	sc, err := resolve(st, hartlepool, "")
	if err != nil {
		t.Fatal(err)
	}
	at := Options{At: "2025-03-31"}
	far := []review.Rule{{ID: "far", Kind: review.KindFarWithoutReason, Description: "over 5 miles", Weight: 1, Params: review.Params{Miles: 5}}}
	tests := []struct {
		name      string
		o         ReviewOptions
		flagged   []string // children flagged
		evaluated map[string]bool
		reads     []string
	}{
		{name: "DefaultRulesNoRecords", o: ReviewOptions{Options: at},
			evaluated: map[string]bool{"review-overdue": false, "missing-from-placement": false},
			reads:     []string{"where " + hartlepool, "children where " + hartlepool}},
		{name: "StatutoryRecords", o: ReviewOptions{Options: at, StatutoryRecords: true},
			evaluated: map[string]bool{"review-overdue": true, "missing-from-placement": true},
			reads:     []string{"where " + hartlepool, "children where " + hartlepool, "returns " + hartlepool}},
		{name: "Rules", o: ReviewOptions{Options: at, Rules: far}, flagged: []string{"h2"}, evaluated: map[string]bool{"far": true},
			reads: []string{"where " + hartlepool, "children where " + hartlepool}},
		{name: "ReasonWithoutCouncil", o: ReviewOptions{Options: at, Rules: far,
			DistanceReasons: map[review.EpisodeKey]string{{ChildID: "h2", Start: care.Date(2024, 6, 1)}: "near family"}},
			evaluated: map[string]bool{"far": true}, reads: []string{"where " + hartlepool, "children where " + hartlepool}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st.reads = nil
			res, err := Review(ctx(), st, sc, tt.o)
			if err != nil {
				t.Fatal(err)
			}
			if !sameReads(st.reads, tt.reads) {
				t.Errorf("reads %v, want %v", st.reads, tt.reads)
			}
			if res.Worklist.Reviewed != 2 || len(res.Tables) == 0 || !res.At.Equal(care.Date(2025, 3, 31)) {
				t.Errorf("reviewed %d at %s, %d tables", res.Worklist.Reviewed, res.At, len(res.Tables))
			}
			if tt.flagged != nil || tt.o.Rules != nil {
				var got []string
				for _, it := range res.Worklist.Items {
					got = append(got, it.ChildID)
				}
				if !slices.Equal(got, tt.flagged) {
					t.Errorf("flagged %v, want %v", got, tt.flagged)
				}
			}
			for _, r := range res.Worklist.Rules {
				if want, ok := tt.evaluated[r.Rule.ID]; ok && r.Evaluated != want {
					t.Errorf("rule %s evaluated %v, want %v (%s)", r.Rule.ID, r.Evaluated, want, r.Why)
				}
			}
		})
	}
}

func TestScopeReasons(t *testing.T) {
	d := care.Date(2024, 6, 1)
	bare := review.EpisodeKey{ChildID: "h2", Start: d}
	own := review.EpisodeKey{Council: hartlepool, ChildID: "h2", Start: d}
	other := review.EpisodeKey{Council: middlesbrough, ChildID: "m1", Start: d}
	tests := []struct {
		name     string
		reasons  map[review.EpisodeKey]string
		councils []string
		want     map[review.EpisodeKey]string
	}{
		{"None", nil, []string{hartlepool}, nil},
		{"OneCouncil", map[review.EpisodeKey]string{bare: "a", other: "b"}, []string{hartlepool}, map[review.EpisodeKey]string{own: "a", other: "b"}},
		{"BareWinsOverOwn", map[review.EpisodeKey]string{bare: "a", own: "b"}, []string{hartlepool}, map[review.EpisodeKey]string{own: "a"}},
		{"SeveralCouncils", map[review.EpisodeKey]string{bare: "a"}, []string{hartlepool, middlesbrough}, map[review.EpisodeKey]string{bare: "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := fmt.Sprint(tt.reasons)
			got := scopeReasons(tt.reasons, tt.councils)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if fmt.Sprint(tt.reasons) != before {
				t.Errorf("the caller's reasons changed: %v", tt.reasons)
			}
		})
	}
}

func TestMarket(t *testing.T) {
	st := openFixture(t, hartlepool, middlesbrough)
	at := Options{At: "2025-03-31"}
	tests := []struct {
		name      string
		st        Store
		region    string
		o         MarketOptions
		wantName  string
		reads     []string
		reference bool
		suppress  bool
	}{
		{name: "RegisterAlone", st: nil, o: MarketOptions{Options: at}, wantName: "England"},
		{name: "EveryCouncil", st: st, region: "North East", o: MarketOptions{Options: at, ReferencePrices: true}, wantName: "North East",
			reads: []string{"children " + hartlepool, "children " + middlesbrough, "where " + hartlepool + "," + middlesbrough}, reference: true},
		{name: "Included", st: st, o: MarketOptions{Options: Options{At: "2024-03-31"}, Include: func(c string) bool { return c == middlesbrough }, Publish: true},
			wantName: "England", reads: []string{"children " + middlesbrough, "where " + middlesbrough}, suppress: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st.reads = nil
			res, err := Market(ctx(), tt.st, tt.region, tt.o)
			if err != nil {
				t.Fatal(err)
			}
			if res.Region != tt.wantName || !sameReads(st.reads, tt.reads) || (len(res.Market.Reference) > 0) != tt.reference {
				t.Errorf("region %q, reads %v, %d reference prices", res.Region, st.reads, len(res.Market.Reference))
			}
			plain := res.Market.Tables()
			if len(plain) != len(res.Tables) {
				t.Fatalf("%d tables, %d computed", len(res.Tables), len(plain))
			}
			for i := range plain {
				want := plain[i]
				if tt.suppress {
					want = tabular.Suppress(want)
				}
				if csvOf(t, res.Tables[i:i+1]) != csvOf(t, []tabular.Table{want}) {
					t.Errorf("table %q: suppressed %v, want %v", plain[i].Title, !tt.suppress, tt.suppress)
				}
			}
		})
	}
}

// TestPublishedYear: the latest published year ending 31 March on or
// before at, or the earliest.
func TestPublishedYear(t *testing.T) {
	ys := refdata.PlacementMixYears()
	if len(ys) < 2 {
		t.Skip("fewer than two published years")
	}
	first, last := ys[0], ys[len(ys)-1]
	for _, tc := range []struct {
		at   time.Time
		want int
	}{
		{care.Date(last+3, 1, 1), last},
		{care.Date(first, 3, 31), first},
		{care.Date(first+1, 3, 30), first},
		{care.Date(first+1, 3, 31), first + 1},
		{care.Date(first-5, 6, 1), first},
	} {
		if got := PublishedYear(tc.at); got != tc.want {
			t.Errorf("PublishedYear(%s) = %d, want %d", tc.at.Format("2006-01-02"), got, tc.want)
		}
	}
}

func TestLocator(t *testing.T) {
	l := NewLocator()
	for _, tt := range []struct {
		a, b  string
		miles float64
		ok    bool
	}{
		{"M14 5", "LA1 1", 47.5, true},
		{"TS24 7", "TS1 2", 7.6, true},
		{"TS24 7", "TS24 7", 0, true},
		{"TS24 7", "ZZ9 9", 0, false},
		{"", "TS1 2", 0, false},
	} {
		for range 2 { // the second time from the cache
			if m, ok := l.Miles(tt.a, tt.b); m != tt.miles || ok != tt.ok {
				t.Errorf("Miles(%q, %q) = %v, %v; want %v, %v", tt.a, tt.b, m, ok, tt.miles, tt.ok)
			}
		}
	}
	for _, tt := range []struct {
		pc, council string
		ok          bool
	}{
		{"TS24 7AA", hartlepool, true},
		{"TS1 2", middlesbrough, true},
		{"EH1 1", "", false}, // Scotland
		{"ZZ9 9", "", false},
		{"not a postcode", "", false},
	} {
		for range 2 {
			if c, ok := l.CouncilOf(tt.pc); c != tt.council || ok != tt.ok {
				t.Errorf("CouncilOf(%q) = %q, %v; want %q, %v", tt.pc, c, ok, tt.council, tt.ok)
			}
		}
	}
}

func TestProvisionsAddTheRegister(t *testing.T) {
	register, err := Provisions(ctx(), nil)
	if err != nil || len(register) == 0 {
		t.Fatalf("%d provisions, %v", len(register), err)
	}
	st := openFixture(t, hartlepool)
	own := care.Provision{ID: register[0].ID, Kind: register[0].Kind, Name: "Renamed home", Council: hartlepool, Places: 9}
	if err := st.Store.(store.Store).ReplaceSupply(ctx(), []care.Provision{own}, nil); err != nil {
		t.Fatal(err)
	}
	got, err := Provisions(ctx(), st)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(register) || got[0].Name != "Renamed home" {
		t.Errorf("%d provisions (register %d), first %+v", len(got), len(register), got[0])
	}
	if slices.ContainsFunc(got[1:], func(p care.Provision) bool { return p.ID == own.ID }) {
		t.Errorf("URN %s twice", own.ID)
	}
}
