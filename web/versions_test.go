package web

import (
	"bytes"
	"cmp"
	"context"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/internal/storetest"
	"sufficiency/store"
	"sufficiency/workflow"
)

// TestCachesFollowTheAnalysesVersion: the review worklist is cached like
// the picture, each view noting the child-level reads it was computed from
// for its own audit entry; a vacancy's change (many an hour in a busy
// region) leaves both cached, since neither reads a vacancy, while an import
// computes them again.
func TestCachesFollowTheAnalysesVersion(t *testing.T) {
	f := newFixture(t)
	ctx := store.WithActor(context.Background(), "test")
	home := care.Provision{ID: "H1", Kind: care.KindChildrensHome, Name: "Home", Council: hartlepool, Postcode: "TS24 8AA", Places: 3}
	if err := f.db.ReplaceSupply(ctx, []care.Provision{home}, []care.Vacancy{{ID: "V1", ProvisionID: "H1", Places: 1}}); err != nil {
		t.Fatal(err)
	}
	a := f.srv.analyst()
	fresh := *a
	fresh.reviews, fresh.cache = nil, nil
	codes := []string{hartlepool}
	sc := analysis.Scope{Name: "Hartlepool", Councils: codes}

	// view is one request's worklist and the reads its audit entry names.
	view := func(a *analyst) (any, []store.Read) {
		t.Helper()
		rctx, log := store.WithReadLog(withVersionMemo(httptest.NewRequest("GET", "/", nil).WithContext(ctx)).Context())
		res, err := a.worklist(rctx, sc, "")
		if err != nil {
			t.Fatal(err)
		}
		// The reads run at once (analysis.gather): compared in any order.
		reads := log.Take()
		slices.SortFunc(reads, func(x, y store.Read) int {
			return cmp.Or(strings.Compare(x.Action, y.Action), strings.Compare(x.Council, y.Council), strings.Compare(x.Detail, y.Detail))
		})
		return res, reads
	}
	picture := func(a *analyst) Result {
		t.Helper()
		res, _, err := a.picture(withVersionMemo(httptest.NewRequest("GET", "/", nil).WithContext(ctx)).Context(), sc, "", true)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	check := func(when string) {
		t.Helper()
		want, wantReads := view(&fresh)
		if len(wantReads) == 0 {
			t.Fatalf("%s: a fresh worklist read no child-level data", when)
		}
		for n := range 2 {
			got, reads := view(a)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s, view %d: the cached worklist differs from a fresh one", when, n+1)
			}
			if !reflect.DeepEqual(reads, wantReads) {
				t.Errorf("%s, view %d: audit reads %v, want %v (as a fresh computation reads)", when, n+1, reads, wantReads)
			}
		}
		if !reflect.DeepEqual(picture(a), picture(&fresh)) {
			t.Fatalf("%s: the cached picture differs from a fresh one", when)
		}
		// The API's answers, encoded once per cached value (and query).
		for n := range 2 {
			rctx := withVersionMemo(httptest.NewRequest("GET", "/", nil).WithContext(ctx)).Context()
			got, err := a.pictureJSON(rctx, sc, "", true)
			if err != nil {
				t.Fatal(err)
			}
			want, err := encodeJSON(picture(&fresh))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s, answer %d: the cached picture's JSON differs from a fresh one", when, n+1)
			}
			// Three queries whose answers differ (a worklist of 4 and then
			// 13 children in opposite orders, and none of them), each
			// encoded on its own.
			seen := map[string]bool{}
			for _, rq := range []reviewQuery{{Sort: "child", Page: 1}, {Sort: "child", Desc: true, Page: 1}, {Rule: "none", Sort: "priority", Desc: true, Page: 1}} {
				rctx, _ := store.WithReadLog(rctx)
				got, err := a.worklistJSON(rctx, sc, "", rq)
				if err != nil {
					t.Fatal(err)
				}
				res, _ := view(&fresh)
				want, err := encodeJSON(reviewResponse("Hartlepool", res.(analysis.ReviewResult), rq))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("%s, answer %d, %+v: the cached worklist's JSON differs from a fresh one", when, n+1, rq)
				}
				if seen[string(want)] {
					t.Fatalf("%s: two queries have the same answer; the test needs answers that differ", when)
				}
				seen[string(want)] = true
			}
		}
	}
	check("first")
	reviewHits, reviewMisses := a.reviews.stats()
	if reviewHits == 0 || reviewMisses != 1 {
		t.Fatalf("worklist: %d hits, %d misses; want one computation and the next view from the cache", reviewHits, reviewMisses)
	}
	_, pictureMisses := a.cache.stats()

	// A provider fills the place: vacancies only.
	if _, err := f.db.SetVacancy(ctx, workflow.VacancyUpdate{ProvisionID: "H1", Places: 0}, "acme"); err != nil {
		t.Fatal(err)
	}
	check("after a vacancy change")
	if _, m := a.reviews.stats(); m != reviewMisses {
		t.Errorf("a vacancy change made the worklist be computed again (%d misses, were %d)", m, reviewMisses)
	}
	if _, m := a.cache.stats(); m != pictureMisses {
		t.Errorf("a vacancy change made the picture be computed again (%d misses, were %d)", m, pictureMisses)
	}

	// An import: computed again, and different.
	before, _ := view(a)
	storetest.MustImport(t, f.db, storetest.Fixture(hartlepool, []int{2025}, 30, "n"))
	check("after an import")
	if _, m := a.reviews.stats(); m != reviewMisses+1 {
		t.Errorf("after an import: %d worklist computations, want %d", m, reviewMisses+1)
	}
	if after, _ := view(a); reflect.DeepEqual(before, after) {
		t.Error("the worklist is the same after an import of 30 more children")
	}

	// Without a read log (each store read audited on its own) nothing is
	// served from the cache, so every read is audited.
	h, m := a.reviews.stats()
	if _, err := a.worklist(ctx, sc, ""); err != nil {
		t.Fatal(err)
	}
	if h2, m2 := a.reviews.stats(); h2 != h || m2 != m {
		t.Errorf("a worklist without a read log used the cache: hits %d→%d, misses %d→%d", h, h2, m, m2)
	}
}
