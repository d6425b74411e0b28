package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/store"
)

// scopedImport is a council's history with placements spread over a few
// postcodes (written in different ways) and homes, some costed, some open.
func scopedImport(council string, r *rand.Rand) store.Import {
	posts := []string{"M14 5AB", "m14 5", "M145AB", "M2", "TS25 1", "ts251ab", "", "not a postcode", "B1 1AA"}
	imp := store.Import{Council: council}
	for i := 0; i < 40; i++ {
		id := fmt.Sprintf("c%02d", i)
		ch := care.Child{Council: council, ID: id, Sex: care.Female, DOB: care.Date(2010, 1, 1), Ethnicity: "WBRI"}
		if i%3 == 0 { // some with needs recorded, which ChildrenWhere reads with them
			ch.Needs = care.NeedsProfile{Tier: care.TierComplex, Risks: []care.Risk{care.RiskSelfHarm}, MentalHealth: true, CommunicationNeeds: []string{"BSL"}}
		}
		imp.Children = append(imp.Children, ch)
		day := care.Date(2022, 1, 1).AddDate(0, 0, r.IntN(600))
		for k, n := 0, 1+r.IntN(4); k < n; k++ {
			e := care.Episode{Council: council, ChildID: id, Start: day, ReasonNew: "P", LegalStatus: "C2", CategoryOfNeed: "N1",
				Placement: "U4", Provider: care.ProviderPrivate, PlacementPostcode: posts[r.IntN(len(posts))]}
			if r.IntN(3) == 0 {
				e.URN = fmt.Sprintf("SC%d", r.IntN(5))
			}
			if r.IntN(2) == 0 {
				e.WeeklyCost = care.Pence(1 + r.IntN(100000))
			}
			if k < n-1 || r.IntN(2) == 0 {
				day = day.AddDate(0, 0, 1+r.IntN(300))
				e.End, e.ReasonEnded = day, "X1"
			}
			imp.Episodes = append(imp.Episodes, e)
			if e.End.IsZero() {
				break
			}
		}
	}
	return imp
}

func testEpisodesWhere(t *testing.T, st store.Store) {
	r := rand.New(rand.NewPCG(14, 14))
	councils := []string{"E06000001", "E06000002", "E08000003"}
	var all []care.Episode
	var children []care.Child
	for _, c := range councils {
		imp := scopedImport(c, r)
		MustImport(t, st, imp)
		all = append(all, mustEpisodes(t, st, c)...)
		children = append(children, mustChildren(t, st, c)...)
	}
	d := care.Date
	var queries []store.EpisodeQuery
	for _, at := range []time.Time{d(2022, 6, 30), d(2023, 3, 31), d(2024, 1, 15)} {
		queries = append(queries,
			store.EpisodeQuery{At: at},
			store.EpisodeQuery{At: at, Runs: true},
			store.EpisodeQuery{At: at, Councils: []string{"E06000002"}, Runs: true},
			store.EpisodeQuery{At: at, Except: []string{"E06000001"}, Districts: []string{"M14", "TS25"}},
			store.EpisodeQuery{At: at, Except: []string{"E06000001"}, Districts: []string{"M14"}, URNs: []string{"SC1", "SC3"}, Runs: true},
			store.EpisodeQuery{At: at, URNs: []string{"SC0"}},
			store.EpisodeQuery{At: at, Councils: []string{"E06000001", "E08000003"}, CostedSince: at.AddDate(-2, 0, 0), CostedCouncils: []string{"E08000003"}},
			store.EpisodeQuery{At: at, CostedSince: at.AddDate(-1, 0, 0), CostedCouncils: councils},
			store.EpisodeQuery{At: at, Since: at.AddDate(-1, 0, 0), Councils: []string{"E06000001"}, Runs: true},
			store.EpisodeQuery{At: at, Since: at.AddDate(0, -3, 0)},
			store.EpisodeQuery{At: at, Since: at.AddDate(-1, 0, 0), Except: []string{"E08000003"}, Districts: []string{"M14"}},
		)
	}
	for i, q := range queries {
		q.Purpose = fmt.Sprintf("query %d", i)
		want := store.FilterEpisodes(all, q)
		got, err := st.EpisodesWhere(ctxAs("scoped"), q)
		if err != nil {
			t.Fatalf("query %d %+v: %v", i, q, err)
		}
		if len(want) == 0 && len(got) == 0 {
			continue
		}
		diff(t, fmt.Sprintf("query %d %+v", i, q), got, want)
		// One audit entry per council read, naming the purpose and count.
		n := map[string]int{}
		for _, e := range want {
			n[e.Council]++
		}
		for c, k := range n {
			ev, err := st.AuditLog(ctxAs("t"), store.AuditFilter{Council: c, Actor: "scoped", Action: store.ActionReadEpisodes})
			if err != nil {
				t.Fatal(err)
			}
			wantDetail := fmt.Sprintf("query %d: %d episodes", i, k)
			if !slices.ContainsFunc(ev, func(e store.AuditEvent) bool { return e.Detail == wantDetail }) {
				t.Errorf("query %d: no audit entry %q for %s", i, wantDetail, c)
			}
		}
	}
	if _, err := st.EpisodesWhere(ctxAs("t"), store.EpisodeQuery{}); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("a query without a date: %v, want EINVALID", err)
	}
	// ChildrenWhere: the children of the episodes each query selects, with
	// their needs, in council then Children order, audited the same way.
	withNeeds := 0
	for i, q := range queries {
		q.Purpose = fmt.Sprintf("children query %d", i)
		chosen := map[[2]string]bool{}
		for _, e := range store.FilterEpisodes(all, q) {
			chosen[[2]string{e.Council, e.ChildID}] = true
		}
		var want []care.Child
		for _, c := range children {
			if chosen[[2]string{c.Council, c.ID}] {
				want = append(want, c)
				if c.Needs.Tier != care.TierUnknown {
					withNeeds++
				}
			}
		}
		got, err := st.ChildrenWhere(ctxAs("scoped"), q)
		if err != nil {
			t.Fatalf("children query %d %+v: %v", i, q, err)
		}
		if len(want) == 0 && len(got) == 0 {
			continue
		}
		diff(t, fmt.Sprintf("children query %d %+v", i, q), got, want)
		n := map[string]int{}
		for _, c := range want {
			n[c.Council]++
		}
		for c, k := range n {
			ev, err := st.AuditLog(ctxAs("t"), store.AuditFilter{Council: c, Actor: "scoped", Action: store.ActionReadChildren})
			if err != nil {
				t.Fatal(err)
			}
			wantDetail := fmt.Sprintf("children query %d: %d children", i, k)
			if !slices.ContainsFunc(ev, func(e store.AuditEvent) bool { return e.Detail == wantDetail }) {
				t.Errorf("children query %d: no audit entry %q for %s", i, wantDetail, c)
			}
		}
	}
	if withNeeds == 0 {
		t.Error("no child with needs selected: the needs are not tested")
	}
	if _, err := st.ChildrenWhere(ctxAs("t"), store.EpisodeQuery{}); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("a children query without a date: %v, want EINVALID", err)
	}
	// The councils' summaries carry their counts and the dates they cover.
	sums, err := st.Councils(ctxAs("t"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sums {
		var own []care.Episode
		for _, e := range all {
			if e.Council == s.Council {
				own = append(own, e)
			}
		}
		if s.Span != store.SpanOf(own) || s.Episodes != len(own) || s.Children != 40 {
			t.Errorf("%s: summary %+v, want span %+v and %d episodes", s.Council, s, store.SpanOf(own), len(own))
		}
	}
	if !strings.Contains(fmt.Sprint(len(sums)), "3") {
		t.Errorf("%d councils", len(sums))
	}
}

func testDataVersion(t *testing.T, st store.Store) {
	vs, ok := st.(store.Versioned)
	if !ok {
		t.Skip("the store keeps no data version")
	}
	version := func() int64 {
		t.Helper()
		v, err := vs.DataVersion(ctxAs("t"))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	v0 := version()
	MustImport(t, st, Fixture("E08000003", []int{2025}, 5, "a"))
	v1 := version()
	if v1 <= v0 {
		t.Errorf("import: version %d, was %d", v1, v0)
	}
	mustChildren(t, st, "E08000003")
	mustEpisodes(t, st, "E08000003")
	if _, err := st.Councils(ctxAs("t")); err != nil {
		t.Fatal(err)
	}
	if v := version(); v != v1 {
		t.Errorf("reads changed the version: %d, was %d", v, v1)
	}
	bad := Fixture("E08000003", []int{2025}, 5, "b")
	bad.Episodes[0].ChildID = "nobody"
	if _, err := st.ImportReturns(ctxAs("t"), bad); err == nil {
		t.Fatal("an import with an episode of no child succeeded")
	}
	if v := version(); v != v1 {
		t.Errorf("a refused import changed the version: %d, was %d", v, v1)
	}
	p1, err := vs.Versions(ctxAs("t"))
	if err != nil || p1.Data() != v1 {
		t.Fatalf("parts %+v (%v), whole %d", p1, err, v1)
	}
	p := care.Provision{ID: "SC1", Kind: care.KindChildrensHome, Name: "Home", Council: "E08000003", Postcode: "M14 5AB", Places: 2}
	if err := st.ReplaceSupply(ctxAs("t"), []care.Provision{p}, []care.Vacancy{{ID: "v1", ProvisionID: "SC1", Places: 1}}); err != nil {
		t.Fatal(err)
	}
	v2 := version()
	if v2 <= v1 {
		t.Errorf("supply replaced: version %d, was %d", v2, v1)
	}
	// Provisions are read by the analyses (the picture's supply), so
	// replacing the supply raises the analyses' part too.
	if parts, err := vs.Versions(ctxAs("t")); err != nil || parts.Data() != v2 || parts.Analysis <= p1.Analysis {
		t.Errorf("supply replaced: parts %+v (%v), whole %d; were %+v", parts, err, v2, p1)
	}
	if err := st.ReplaceSupply(ctxAs("t"), nil, nil); err != nil {
		t.Fatal(err)
	}
	if v := version(); v <= v2 {
		t.Errorf("supply emptied: version %d, was %d", v, v2)
	}
}

// testBulkLoad: a store.BulkLoader defers the episodes' secondary indexes
// only on a database without episodes, and the scoped reads, which use those
// indexes, answer the same while they are deferred and once they are built.
func testBulkLoad(t *testing.T, st store.Store) {
	bl, ok := st.(store.BulkLoader)
	if !ok {
		t.Skip("not a store.BulkLoader")
	}
	ctx := context.Background()
	if deferred, err := bl.BeginBulkLoad(ctx); err != nil || !deferred {
		t.Fatalf("BeginBulkLoad on an empty store = %v, %v; want true", deferred, err)
	}
	if deferred, err := bl.BeginBulkLoad(ctx); err != nil || deferred {
		t.Errorf("BeginBulkLoad again = %v, %v; want false (nothing left to defer)", deferred, err)
	}
	t.Run("Deferred", func(t *testing.T) { testEpisodesWhere(t, st) })
	for range 2 { // the second builds nothing
		if err := bl.EndBulkLoad(ctx); err != nil {
			t.Fatalf("EndBulkLoad: %v", err)
		}
	}
	t.Run("Built", func(t *testing.T) { testEpisodesWhere(t, st) })
	if deferred, err := bl.BeginBulkLoad(ctx); err != nil || deferred {
		t.Errorf("BeginBulkLoad with episodes stored = %v, %v; want false", deferred, err)
	}
}
