package web

import (
	"context"
	"net/http/httptest"
	"reflect"
	"testing"

	"sufficiency/identity"
	"sufficiency/internal/storetest"
	"sufficiency/store"
)

// The market is cached per data version and what the user's placements
// include: a cached answer is the one computed afresh, for each role, and
// an import (a new data version) is seen at the next request.
func TestMarketCachedPerVersion(t *testing.T) {
	f := newFixture(t)
	ctx := store.WithActor(context.Background(), "test")
	a := f.srv.analyst()
	fresh := *a
	fresh.cache = nil
	users := []identity.User{{Name: "admin", Role: identity.RoleAdmin}, {Name: "hart", Role: identity.RoleCouncil, Council: hartlepool},
		{Name: "ne-rcc", Role: identity.RoleRCC, Region: "North East"}}
	check := func() []Result {
		t.Helper()
		var out []Result
		for _, u := range users {
			for _, region := range []string{"", "North East"} {
				for range 2 { // computed, then from the cache
					got, err := a.market(withVersionMemo(httptest.NewRequest("GET", "/", nil).WithContext(ctx)).Context(), u, region, "")
					if err != nil {
						t.Fatal(err)
					}
					want, err := fresh.market(ctx, u, region, "")
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("%s, region %q: cached market differs from a fresh one", u.Name, region)
					}
					out = append(out, got)
				}
			}
		}
		return out
	}
	before := check()
	hits, _ := a.cache.stats()
	if hits == 0 {
		t.Fatal("market never served from the cache")
	}
	storetest.MustImport(t, f.db, storetest.Fixture("E08000009", []int{2025}, 30, "n"))
	after := check()
	if reflect.DeepEqual(before, after) {
		t.Fatal("the market is the same after an import of 30 more children")
	}
}
