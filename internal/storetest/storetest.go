// Package storetest is the contract every store.Store implementation meets:
// one test suite, run by each implementation's own tests with
//
//	storetest.Run(t, func(t *testing.T) store.Store { ... a fresh, empty store ... })
//
// It checks behaviour through the interface only: round trips, council
// scoping, replacing a council-year, all-or-nothing imports, not-found errors,
// the audit log, supply, and consistent reads while an import is being
// written.
package storetest

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/ssda903"
	"sufficiency/store"
)

// openStore returns a new store from newStore, closed (and the close
// checked) when t ends: each sub-test of a contract suite starts with one.
func openStore[S interface{ Close() error }](t *testing.T, newStore func(t *testing.T) S) S {
	t.Helper()
	st := newStore(t)
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return st
}

// Run runs the contract suite. newStore must return a new, empty store; Run
// closes it when each sub-test ends.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, st store.Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"CouncilScoping", testCouncilScoping},
		{"ReplaceYear", testReplaceYear},
		{"AllOrNothing", testAllOrNothing},
		{"ErrInvalidImport", testInvalidImport},
		{"ErrNotFound", testNotFound},
		{"ErrConflictWhenImportedMeanwhile", testConflict},
		{"Audit", testAudit},
		{"AuditPerAction", testAuditPerAction},
		{"Supply", testSupply},
		{"ClosedSettings", testClosedSettings},
		{"ConcurrentReadersDuringWrite", testConcurrentReaders},
		{"Progress", testProgress},
		{"EpisodesWhere", testEpisodesWhere},
		{"BulkLoad", testBulkLoad},
		{"DataVersion", testDataVersion},
		{"Uploads", testUploads},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := openStore(t, newStore)
			tt.fn(t, st)
		})
	}
}

// MustImport imports imp or fails the test.
func MustImport(tb testing.TB, st store.Store, imp store.Import) store.ImportResult {
	tb.Helper()
	res, err := st.ImportReturns(context.Background(), imp)
	if err != nil {
		tb.Fatalf("ImportReturns(%s %v): %v", imp.Council, imp.Years, err)
	}
	return res
}

func ctxAs(actor string) context.Context { return store.WithActor(context.Background(), actor) }

func mustChildren(tb testing.TB, st store.Store, council string) []care.Child {
	tb.Helper()
	cs, err := st.Children(ctxAs("storetest"), council)
	if err != nil {
		tb.Fatalf("Children(%s): %v", council, err)
	}
	return cs
}

func mustEpisodes(tb testing.TB, st store.Store, council string) []care.Episode {
	tb.Helper()
	es, err := st.Episodes(ctxAs("storetest"), council)
	if err != nil {
		tb.Fatalf("Episodes(%s): %v", council, err)
	}
	return es
}

func mustReturns(tb testing.TB, st store.Store, council string, years ...int) []*ssda903.Return {
	tb.Helper()
	rs, err := st.Returns(ctxAs("storetest"), council, years)
	if err != nil {
		tb.Fatalf("Returns(%s, %v): %v", council, years, err)
	}
	return rs
}

func diff(tb testing.TB, what string, got, want any) {
	tb.Helper()
	if !reflect.DeepEqual(got, want) {
		tb.Errorf("%s differ:\n got  %+v\n want %+v", what, got, want)
	}
}

// sortedImport returns imp as the store orders it.
func sortedImport(tb testing.TB, imp store.Import) store.Import {
	tb.Helper()
	p, err := store.PrepareImport(imp)
	if err != nil {
		tb.Fatalf("PrepareImport: %v", err)
	}
	return p
}

func testRoundTrip(t *testing.T, st store.Store) {
	imp := Fixture("E08000003", []int{2024, 2025}, 12, "r")
	imp.AcceptedErrors = true
	before := time.Now().Add(-time.Minute)
	res := MustImport(t, st, imp)
	if res.ImportID == 0 || res.Children != 12 || res.Episodes != len(imp.Episodes) || len(res.Replaced) != 0 {
		t.Fatalf("result %+v", res)
	}
	want := sortedImport(t, imp)
	diff(t, "children", mustChildren(t, st, "E08000003"), want.Children)
	diff(t, "episodes", mustEpisodes(t, st, "E08000003"), want.Episodes)
	got := mustReturns(t, st, "E08000003")
	if len(got) != 2 {
		t.Fatalf("Returns gave %d years, want 2", len(got))
	}
	for i := range got {
		diff(t, fmt.Sprintf("return %d", got[i].Year), got[i], imp.Returns[i])
	}
	if one := mustReturns(t, st, "E08000003", 2025); len(one) != 1 || one[0].Year != 2025 {
		t.Errorf("Returns for 2025 gave %d returns", len(one))
	}
	if tr, ok := st.(store.TableReader); ok {
		// Only the tables asked for, each exactly as Returns gives it.
		some := []ssda903.TableName{ssda903.Episodes, ssda903.Reviews}
		part, err := tr.ReturnTables(ctxAs("storetest"), "E08000003", []int{2025}, some)
		if err != nil || len(part) != 1 || part[0].Year != 2025 {
			t.Fatalf("ReturnTables for 2025: %d returns, %v", len(part), err)
		}
		full := got[len(got)-1]
		wantTables := map[ssda903.TableName]*ssda903.Table{}
		for _, name := range some {
			if tb := full.Table(name); tb != nil {
				wantTables[name] = tb
			}
		}
		if len(wantTables) == 0 {
			t.Fatal("the fixture's 2025 return has neither table: the test would prove nothing")
		}
		diff(t, "ReturnTables' tables", part[0].Tables, wantTables)
		if all, err := tr.ReturnTables(ctxAs("storetest"), "E08000003", nil, nil); err != nil || len(all) != 2 {
			t.Errorf("ReturnTables without tables: %d returns, %v; want every table of both years", len(all), err)
		} else {
			diff(t, "ReturnTables without tables", all, got)
		}
	}
	fs, err := st.Findings(ctxAs("t"), res.ImportID)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "findings", fs, imp.Findings)

	recs, err := st.Imports(context.Background(), "E08000003")
	if err != nil || len(recs) != 1 {
		t.Fatalf("Imports: %v, %d records", err, len(recs))
	}
	r := recs[0]
	if r.ID != res.ImportID || r.Council != "E08000003" || r.Actor != store.UnknownActor || !r.AcceptedErrors ||
		r.Children != 12 || r.Episodes != len(imp.Episodes) || r.Errors != 2 || r.Warnings != 2 {
		t.Errorf("import record %+v", r)
	}
	if r.At.Before(before) || r.At.After(time.Now().Add(time.Minute)) || r.At.Location() != time.UTC {
		t.Errorf("import time %v is not now in UTC", r.At)
	}
	diff(t, "years", r.Years, []int{2024, 2025})
	diff(t, "files", r.Files, imp.Files)
	diff(t, "left out", r.LeftOut, imp.LeftOut)
	diff(t, "stitch rules", r.StitchRules, imp.StitchRules)
	if len(r.Rows) != 12 || r.Rows[0] != (store.TableCount{Year: 2024, Table: ssda903.Header, Rows: 12}) {
		t.Errorf("rows per table %+v", r.Rows)
	}
	diff(t, "result rows", res.Rows, r.Rows)

	cs, err := st.Councils(context.Background())
	if err != nil || len(cs) != 1 {
		t.Fatalf("Councils: %v %+v", err, cs)
	}
	c := cs[0]
	if c.Council != "E08000003" || c.Children != 12 || c.Episodes != len(imp.Episodes) || c.Imports != 1 ||
		c.LastImportID != res.ImportID || !c.LastImport.Equal(r.At) || c.LastActor != store.UnknownActor {
		t.Errorf("council summary %+v", c)
	}
	diff(t, "council years", c.Years, []int{2024, 2025})

	t.Run("ActorFromImportOrContext", func(t *testing.T) {
		imp2 := Fixture("E09000001", []int{2025}, 2, "a")
		imp2.Actor = "importer"
		MustImport(t, st, imp2)
		imp3 := Fixture("E09000002", []int{2025}, 2, "b")
		if _, err := st.ImportReturns(ctxAs("ctx-user"), imp3); err != nil {
			t.Fatal(err)
		}
		all, err := st.Imports(context.Background(), "")
		if err != nil || len(all) != 3 {
			t.Fatalf("Imports(all): %v, %d", err, len(all))
		}
		if all[1].Actor != "importer" || all[2].Actor != "ctx-user" {
			t.Errorf("actors %q %q", all[1].Actor, all[2].Actor)
		}
	})
}

func testCouncilScoping(t *testing.T, st store.Store) {
	a := Fixture("E08000003", []int{2025}, 5, "")
	b := Fixture("E08000004", []int{2025}, 7, "")
	b.Children[0].Ethnicity = "BAFR" // same CHILD id, different child
	MustImport(t, st, a)
	MustImport(t, st, b)
	ca, cb := mustChildren(t, st, "E08000003"), mustChildren(t, st, "E08000004")
	if len(ca) != 5 || len(cb) != 7 {
		t.Fatalf("children: %d and %d, want 5 and 7", len(ca), len(cb))
	}
	if ca[0].ID != cb[0].ID || ca[0].Ethnicity == cb[0].Ethnicity {
		t.Fatalf("the two councils' child %q should be different children: %+v / %+v", ca[0].ID, ca[0], cb[0])
	}
	for _, c := range cb {
		if c.Council != "E08000004" {
			t.Errorf("child %q of E08000004 has council %q", c.ID, c.Council)
		}
	}
	ea := mustEpisodes(t, st, "E08000003")
	diff(t, "episodes of A", ea, sortedImport(t, a).Episodes)
	// Replacing one council leaves the other alone.
	a2 := Fixture("E08000003", []int{2025}, 3, "")
	MustImport(t, st, a2)
	if n := len(mustChildren(t, st, "E08000003")); n != 3 {
		t.Errorf("A after re-import has %d children, want 3", n)
	}
	diff(t, "children of B after A re-imported", mustChildren(t, st, "E08000004"), cb)
	diff(t, "returns of B after A re-imported", mustReturns(t, st, "E08000004"), b.Returns)
}

func testReplaceYear(t *testing.T, st store.Store) {
	first := Fixture("E10000002", []int{2023, 2024}, 6, "x")
	MustImport(t, st, first)
	// A new 2024 return, different content, with a history stitched from
	// 2023 + the new 2024.
	second := Fixture("E10000002", []int{2024}, 4, "y")
	res := MustImport(t, st, second)
	diff(t, "replaced", res.Replaced, []int{2024})
	rs := mustReturns(t, st, "E10000002")
	if len(rs) != 2 {
		t.Fatalf("%d years stored, want 2", len(rs))
	}
	diff(t, "2023 (not re-imported)", rs[0], first.Returns[0])
	diff(t, "2024 (replaced)", rs[1], second.Returns[0])
	diff(t, "children (replaced by the new stitched history)", mustChildren(t, st, "E10000002"), sortedImport(t, second).Children)
	third := Fixture("E10000002", []int{2025}, 4, "z")
	res = MustImport(t, st, third)
	if len(res.Replaced) != 0 {
		t.Errorf("importing a new year replaced %v", res.Replaced)
	}
	cs, err := st.Councils(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "years", cs[0].Years, []int{2023, 2024, 2025})
	if cs[0].Imports != 3 {
		t.Errorf("%d imports, want 3", cs[0].Imports)
	}
	// Findings of earlier imports stay with them.
	recs, _ := st.Imports(context.Background(), "E10000002")
	f, err := st.Findings(ctxAs("t"), recs[0].ID)
	if err != nil || len(f) != len(first.Findings) {
		t.Errorf("findings of the first import: %v, %d", err, len(f))
	}
}

// snapshot is everything observable through the API.
type snapshot struct {
	Councils   []store.CouncilSummary
	Imports    []store.ImportRecord
	Children   map[string][]care.Child
	Episodes   map[string][]care.Episode
	Returns    map[string][]*ssda903.Return
	Findings   map[int64][]ssda903.Finding
	Provisions []care.Provision
	Vacancies  []care.Vacancy
}

func takeSnapshot(tb testing.TB, st store.Store) snapshot {
	tb.Helper()
	ctx := ctxAs("snapshot")
	s := snapshot{Children: map[string][]care.Child{}, Episodes: map[string][]care.Episode{}, Returns: map[string][]*ssda903.Return{}, Findings: map[int64][]ssda903.Finding{}}
	var err error
	if s.Councils, err = st.Councils(ctx); err != nil {
		tb.Fatal(err)
	}
	if s.Imports, err = st.Imports(ctx, ""); err != nil {
		tb.Fatal(err)
	}
	for _, c := range s.Councils {
		s.Children[c.Council] = mustChildren(tb, st, c.Council)
		s.Episodes[c.Council] = mustEpisodes(tb, st, c.Council)
		s.Returns[c.Council] = mustReturns(tb, st, c.Council)
	}
	for _, r := range s.Imports {
		if s.Findings[r.ID], err = st.Findings(ctx, r.ID); err != nil {
			tb.Fatal(err)
		}
	}
	if s.Provisions, err = st.Provisions(ctx, store.ProvisionFilter{}); err != nil {
		tb.Fatal(err)
	}
	if s.Vacancies, err = st.Vacancies(ctx, store.VacancyFilter{}); err != nil {
		tb.Fatal(err)
	}
	return s
}

func auditLen(tb testing.TB, st store.Store) int {
	tb.Helper()
	ev, err := st.AuditLog(context.Background(), store.AuditFilter{})
	if err != nil {
		tb.Fatal(err)
	}
	return len(ev)
}

func testAllOrNothing(t *testing.T, st store.Store) {
	MustImport(t, st, Fixture("E08000003", []int{2024, 2025}, 20, "g"))
	MustImport(t, st, Fixture("E08000004", []int{2025}, 5, "h"))
	ps, vs := supplyFixture()
	if err := st.ReplaceSupply(context.Background(), ps, vs); err != nil {
		t.Fatal(err)
	}
	before := takeSnapshot(t, st)
	audit := auditLen(t, st)

	// Each bad import fails after the store has started writing: rows of raw
	// tables and children are written before the bad episode is reached.
	orphan := Fixture("E08000003", []int{2025}, 30, "bad")
	orphan.Episodes = append(orphan.Episodes, care.Episode{ChildID: "no-such-child", Start: care.Date(2024, 5, 1)})
	newCouncil := Fixture("E06000001", []int{2025}, 30, "bad")
	newCouncil.Episodes = append(newCouncil.Episodes, care.Episode{ChildID: "no-such-child", Start: care.Date(2024, 5, 1)})
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	cases := []struct {
		name string
		ctx  context.Context
		imp  store.Import
		code string
	}{
		{"ErrEpisodeWithoutChild", context.Background(), orphan, care.EINVALID},
		{"ErrEpisodeWithoutChildNewCouncil", context.Background(), newCouncil, care.EINVALID},
		{"ErrCancelled", cancelled, Fixture("E08000003", []int{2025}, 30, "c"), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := st.ImportReturns(c.ctx, c.imp)
			if err == nil {
				t.Fatal("import succeeded")
			}
			if c.code != "" && care.ErrorCode(err) != c.code {
				t.Errorf("code %q (%v), want %q", care.ErrorCode(err), err, c.code)
			}
			if n := auditLen(t, st); n != audit {
				t.Errorf("audit log grew from %d to %d entries after a failed import", audit, n)
			}
		})
	}
	t.Run("ErrVacancyWithoutProvision", func(t *testing.T) {
		ps, vs := supplyFixture()
		vs = append(vs, care.Vacancy{ID: "v-x", ProvisionID: "nowhere", Places: 1})
		ps = ps[:1]
		if err := st.ReplaceSupply(context.Background(), ps, vs); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("ReplaceSupply: %v, want EINVALID", err)
		}
	})
	diff(t, "database after failed writes", takeSnapshot(t, st), before)
}

func testInvalidImport(t *testing.T, st store.Store) {
	good := func() store.Import { return Fixture("E08000003", []int{2025}, 3, "") }
	cases := []struct {
		name   string
		mutate func(*store.Import)
	}{
		{"NoCouncil", func(i *store.Import) { i.Council = " " }},
		{"YearOutOfRange", func(i *store.Import) { i.Years = []int{25}; i.Returns = nil }},
		{"YearTwice", func(i *store.Import) { i.Years = []int{2025, 2025} }},
		{"ReturnForOtherYear", func(i *store.Import) { i.Returns[0].Year = 2024 }},
		{"ReturnForOtherCouncil", func(i *store.Import) { i.Returns[0].Council = "E09000001" }},
		{"ChildOfOtherCouncil", func(i *store.Import) { i.Children[1].Council = "E09000001" }},
		{"ChildTwice", func(i *store.Import) { i.Children[1].ID = i.Children[0].ID }},
		{"BlankChild", func(i *store.Import) { i.Children[2].ID = "" }},
		{"EpisodeWithoutStart", func(i *store.Import) { i.Episodes[0].Start = time.Time{} }},
		{"NeedsTierOutOfRange", func(i *store.Import) { i.Children[0].Needs.Tier = 9 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			imp := good()
			c.mutate(&imp)
			_, err := st.ImportReturns(context.Background(), imp)
			if care.ErrorCode(err) != care.EINVALID {
				t.Fatalf("got %v, want EINVALID", err)
			}
		})
	}
	if cs, err := st.Councils(context.Background()); err != nil || len(cs) != 0 {
		t.Errorf("after refused imports: councils %+v, %v", cs, err)
	}
}

func testNotFound(t *testing.T, st store.Store) {
	ctx := ctxAs("t")
	if _, err := st.Children(ctx, "E99999999"); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("Children: %v", err)
	}
	if _, err := st.Episodes(ctx, "E99999999"); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("Episodes: %v", err)
	}
	if _, err := st.Returns(ctx, "E99999999", nil); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("Returns: %v", err)
	}
	if _, err := st.Findings(ctx, 12345); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("Findings: %v", err)
	}
	recs, err := st.Imports(ctx, "E99999999")
	if err != nil || len(recs) != 0 {
		t.Errorf("Imports of unknown council: %v %v", recs, err)
	}
}

func testAudit(t *testing.T, st store.Store) {
	MustImport(t, st, Fixture("E08000003", []int{2025}, 3, ""))
	MustImport(t, st, Fixture("E08000004", []int{2025}, 3, ""))
	start := auditLen(t, st)
	if start != 2 {
		t.Errorf("%d audit entries after two imports, want 2 (one per import)", start)
	}
	alice := store.WithActor(context.Background(), "alice")
	if _, err := st.Children(alice, "E08000003"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Episodes(alice, "E08000003"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Returns(alice, "E08000003", []int{2025}); err != nil {
		t.Fatal(err)
	}
	recs, _ := st.Imports(alice, "E08000003")
	if _, err := st.Findings(alice, recs[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Children(context.Background(), "E08000004"); err != nil {
		t.Fatal(err)
	}
	// Reads that hold no child-level data are not audited.
	st.Councils(alice)
	st.Imports(alice, "")
	st.Provisions(alice, store.ProvisionFilter{})

	ev, err := st.AuditLog(context.Background(), store.AuditFilter{Actor: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range ev {
		if e.Council != "E08000003" || e.At.IsZero() {
			t.Errorf("event %+v", e)
		}
		actions = append(actions, e.Action)
	}
	diff(t, "alice's actions", actions, []string{store.ActionReadChildren, store.ActionReadEpisodes, store.ActionReadReturns, store.ActionReadFindings})
	anon, _ := st.AuditLog(context.Background(), store.AuditFilter{Council: "E08000004", Action: store.ActionReadChildren})
	if len(anon) != 1 || anon[0].Actor != store.UnknownActor {
		t.Errorf("unattributed read: %+v", anon)
	}
	all, _ := st.AuditLog(context.Background(), store.AuditFilter{})
	if len(all) != start+5 {
		t.Errorf("%d audit entries, want %d", len(all), start+5)
	}
	for i := 1; i < len(all); i++ {
		if all[i].ID <= all[i-1].ID || all[i].At.Before(all[i-1].At) {
			t.Errorf("audit log out of order at %d", i)
		}
	}
	since, _ := st.AuditLog(context.Background(), store.AuditFilter{Since: all[len(all)-1].At})
	if len(since) == 0 || since[len(since)-1].ID != all[len(all)-1].ID {
		t.Errorf("AuditLog since the last event gave %+v", since)
	}
}

func supplyFixture() ([]care.Provision, []care.Vacancy) {
	ps := []care.Provision{
		{ID: "SC000001", Kind: care.KindChildrensHome, Name: "Oak House", Owner: "Oak Care Ltd", Sector: care.SectorPrivate, Council: "E08000003",
			Postcode: "M14", Places: 4, Rating: care.RatingGood, MinAge: 10, MaxAge: 17, Sexes: []care.Sex{care.Male, care.Female},
			Needs: []string{"EBD"}, Provider: care.ProviderPrivate, WeeklyPrice: 550000, Registered: care.Date(2019, 6, 1),
			Residents: []care.Resident{{Age: 15, Sex: care.Male, Risks: []care.Risk{care.RiskMissing}}, {Age: 12, Sex: care.Female}}},
		{ID: "FH-001", Kind: care.KindFostering, Name: "Household 1", Owner: "Council fostering service", Sector: care.SectorLA,
			Council: "E08000003", Places: 2, MinAge: 0, MaxAge: 18, Provider: care.ProviderOwnLA, InHouse: true, SiblingCapacity: 2,
			Specialisms: []string{"teenagers", "UASC"}, WeeklyPrice: 45000},
		{ID: "SC000002", Kind: care.KindChildrensHome, Name: "Elm House", Sector: care.SectorVoluntary, Council: "E08000004", Places: 2,
			MinAge: 8, MaxAge: 16, Provider: care.ProviderVoluntary, WeeklyPrice: 600000},
	}
	vs := []care.Vacancy{
		{ID: "v1", ProvisionID: "SC000001", Places: 1, ValidFrom: care.Date(2025, 5, 1), UpdatedAt: time.Date(2025, 4, 20, 9, 30, 0, 0, time.UTC)},
		{ID: "v2", ProvisionID: "FH-001", Places: 2, ValidFrom: care.Date(2025, 4, 1), UpdatedAt: time.Date(2025, 4, 1, 8, 0, 0, 5000, time.UTC), WeeklyPrice: 47000},
		{ID: "v3", ProvisionID: "SC000002", Places: 1, ValidFrom: care.Date(2025, 7, 1)},
	}
	return ps, vs
}

func testSupply(t *testing.T, st store.Store) {
	ctx := context.Background()
	ps, vs := supplyFixture()
	if err := st.ReplaceSupply(ctx, ps, vs); err != nil {
		t.Fatal(err)
	}
	got, err := st.Provisions(ctx, store.ProvisionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(ps)
	slices.SortFunc(want, func(a, b care.Provision) int {
		if a.ID < b.ID {
			return -1
		}
		return 1
	})
	diff(t, "provisions", got, want)
	homes, _ := st.Provisions(ctx, store.ProvisionFilter{Kinds: []care.ProvisionKind{care.KindChildrensHome}, Councils: []string{"E08000003"}})
	if len(homes) != 1 || homes[0].ID != "SC000001" || len(homes[0].Residents) != 2 {
		t.Errorf("homes in E08000003: %+v", homes)
	}
	byID, _ := st.Provisions(ctx, store.ProvisionFilter{IDs: []string{"FH-001", "SC000002"}})
	if len(byID) != 2 {
		t.Errorf("by id: %d", len(byID))
	}
	allV, err := st.Vacancies(ctx, store.VacancyFilter{})
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "vacancies (by valid-from)", allV, []care.Vacancy{vs[1], vs[0], vs[2]})
	soon, _ := st.Vacancies(ctx, store.VacancyFilter{AvailableBy: care.Date(2025, 5, 1), Councils: []string{"E08000003"}})
	diff(t, "vacancies available by 1 May 2025 in E08000003", soon, []care.Vacancy{vs[1], vs[0]})
	one, _ := st.Vacancies(ctx, store.VacancyFilter{ProvisionIDs: []string{"SC000002"}})
	diff(t, "vacancies of SC000002", one, []care.Vacancy{vs[2]})

	// Replace with less: everything old is gone.
	if err := st.ReplaceSupply(ctx, ps[2:], nil); err != nil {
		t.Fatal(err)
	}
	got, _ = st.Provisions(ctx, store.ProvisionFilter{})
	allV, _ = st.Vacancies(ctx, store.VacancyFilter{})
	if len(got) != 1 || len(allV) != 0 {
		t.Errorf("after replace: %d provisions, %d vacancies", len(got), len(allV))
	}
	for _, bad := range []struct {
		name string
		ps   []care.Provision
		vs   []care.Vacancy
	}{
		{"ErrDuplicateProvision", []care.Provision{ps[0], ps[0]}, nil},
		{"ErrBlankID", []care.Provision{{Name: "x"}}, nil},
		{"ErrDuplicateVacancy", ps, []care.Vacancy{vs[0], vs[0]}},
	} {
		if err := st.ReplaceSupply(ctx, bad.ps, bad.vs); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("%s: %v", bad.name, err)
		}
	}
}

func testConcurrentReaders(t *testing.T, st store.Store) {
	old := Fixture("E08000003", []int{2025}, 50, "old")
	MustImport(t, st, old)
	big := Fixture("E08000003", []int{2025}, 3000, "new")
	oldN, newN := len(old.Children), len(big.Children)
	oldE, newE := len(old.Episodes), len(big.Episodes)

	var wg sync.WaitGroup
	done := make(chan struct{})
	var importErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(done)
		_, importErr = st.ImportReturns(context.Background(), big)
	}()
	errs := make(chan error, 100)
	for r := 0; r < 3; r++ {
		wg.Add(1)
		go func(r int) {
			defer wg.Done()
			ctx := ctxAs(fmt.Sprintf("reader-%d", r))
			for i := 0; ; i++ {
				select {
				case <-done:
					if i > 0 {
						return
					}
				default:
				}
				cs, err := st.Councils(ctx)
				if err != nil {
					errs <- err
					return
				}
				if len(cs) != 1 {
					errs <- fmt.Errorf("%d councils", len(cs))
					return
				}
				s := cs[0]
				if !(s.Children == oldN && s.Episodes == oldE && s.Imports == 1) && !(s.Children == newN && s.Episodes == newE && s.Imports == 2) {
					errs <- fmt.Errorf("reader saw a partial import: %d children, %d episodes, %d imports", s.Children, s.Episodes, s.Imports)
					return
				}
				if r == 0 && i%5 == 0 {
					ch, err := st.Children(ctx, "E08000003")
					if err != nil {
						errs <- err
						return
					}
					if len(ch) != oldN && len(ch) != newN {
						errs <- fmt.Errorf("Children gave %d children", len(ch))
						return
					}
				}
			}
		}(r)
	}
	wg.Wait()
	close(errs)
	if importErr != nil {
		t.Fatal(importErr)
	}
	for err := range errs {
		t.Error(err)
	}
	if n := len(mustChildren(t, st, "E08000003")); n != newN {
		t.Errorf("after the import: %d children, want %d", n, newN)
	}
}

func testProgress(t *testing.T, st store.Store) {
	imp := Fixture("E08000003", []int{2024, 2025}, 40, "")
	var calls [][2]int
	imp.Progress = func(done, total int) { calls = append(calls, [2]int{done, total}) }
	MustImport(t, st, imp)
	if len(calls) == 0 {
		t.Fatal("progress never reported")
	}
	last := calls[len(calls)-1]
	if last[0] != last[1] || last[1] != store.TotalRows(imp) {
		t.Errorf("last progress %v, want done = total = %d", last, store.TotalRows(imp))
	}
	for i := 1; i < len(calls); i++ {
		if calls[i][0] < calls[i-1][0] {
			t.Errorf("progress went backwards: %v", calls)
		}
	}
}

func testConflict(t *testing.T, st store.Store) {
	zero := int64(0)
	first := Fixture("E08000003", []int{2024}, 3, "a")
	first.Base = &zero
	res := MustImport(t, st, first)
	// Built on "nothing loaded", but the council now has an import.
	stale := Fixture("E08000003", []int{2025}, 3, "b")
	stale.Base = &zero
	if _, err := st.ImportReturns(context.Background(), stale); care.ErrorCode(err) != care.ECONFLICT {
		t.Fatalf("stale import: %v, want ECONFLICT", err)
	}
	fresh := Fixture("E08000003", []int{2025}, 3, "b")
	fresh.Base = &res.ImportID
	MustImport(t, st, fresh)
	if recs, _ := st.Imports(context.Background(), "E08000003"); len(recs) != 2 {
		t.Errorf("%d imports, want 2", len(recs))
	}
}
