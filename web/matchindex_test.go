package web

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/store"
	"sufficiency/store/sqlite"
	"sufficiency/workflow"
)

// TestMatchIndexFollowsDataVersion: the match index is kept while the data
// version stands (a second search builds nothing) and a vacancy change made
// behind this server's back (another app server on the same database) shows
// in the very next search, not after a time-to-live.
func TestMatchIndexFollowsDataVersion(t *testing.T) {
	f := newPlacementFixture(t)
	counted := &countingStore{DB: f.db}
	srv, err := New(Config{Store: counted, InsecureCookies: true, Now: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	f.srv = srv
	c := f.login(t, "traff")
	body := `{"id": "LA-1", "child_id": "CHILD-9", "sex": "F", "date_of_birth": "2012-05", "needed_by": "later",
		"start_date": "2026-03-28", "foster_suitability": "suitable", "residential_suitability": "preferred",
		"supported_accommodation_suitability": "unsuitable", "sibling_count": 0, "home_postcode": "M32 8BW",
		"living_companions": "no_preference", "pets": "not_known", "needs_tier": "enhanced", "need_codes": ["EBD"]}`
	var created ReferralAPI
	if code := f.apiJSON(t, c, "POST", "/api/v1/referrals", body, &created); code != 201 {
		t.Fatalf("create: %d", code)
	}
	matches := func() []string {
		t.Helper()
		var m struct {
			Candidates []candidateView `json:"candidates"`
		}
		if code := f.apiJSON(t, c, "GET", "/api/v1/referrals/"+created.Reference+"/matches", "", &m); code != 200 {
			t.Fatalf("matches: %d", code)
		}
		var ids []string
		for _, cv := range m.Candidates {
			ids = append(ids, cv.ProvisionID)
		}
		slices.Sort(ids)
		return ids
	}
	if got := matches(); !slices.Contains(got, "H1") {
		t.Fatalf("H1 (2 places free) not matched: %v", got)
	}
	built := counted.provisionReads.Load()
	matches()
	if n := counted.provisionReads.Load(); n != built || built == 0 {
		t.Fatalf("supply read %d times for the first search and %d for the second, with the data version unchanged", built, n-built)
	}
	// Another server fills H1: straight through the store.
	ctx := store.WithActor(context.Background(), "other-server")
	if _, err := f.db.SetVacancy(ctx, workflow.VacancyUpdate{ProvisionID: "H1", Places: 0}, "acme"); err != nil {
		t.Fatal(err)
	}
	if got := matches(); slices.Contains(got, "H1") {
		t.Errorf("H1 still matched after its vacancy was filled elsewhere: %v", got)
	}
	// Only the vacancies changed: the provisions are not read again.
	if n := counted.provisionReads.Load(); n != built {
		t.Errorf("the whole supply read again (%d reads, was %d) after a change of vacancies alone", n, built)
	}
	// The provisions replaced: read again.
	provs, err := f.db.Provisions(ctx, store.ProvisionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	vacs, err := f.db.Vacancies(ctx, store.VacancyFilter{})
	if err != nil {
		t.Fatal(err)
	}
	provs[0].Name += " (renamed)"
	if err := f.db.ReplaceSupply(ctx, provs, vacs); err != nil {
		t.Fatal(err)
	}
	matches()
	if n := counted.provisionReads.Load(); n != built+1 {
		t.Errorf("supply read %d times after the provisions were replaced, want %d", n, built+1)
	}
}

// countingStore counts the reads of the whole supply (one per index built).
type countingStore struct {
	*sqlite.DB
	provisionReads atomic.Int64
}

func (s *countingStore) Provisions(ctx context.Context, f store.ProvisionFilter) ([]care.Provision, error) {
	s.provisionReads.Add(1)
	return s.DB.Provisions(ctx, f)
}

// TestCachedPictureSkipsTheHeavyQueue: with every server-wide heavy slot
// taken, a picture already cached is still served at once (page and API),
// while one that must be computed waits for a slot and is refused when none
// comes.
func TestCachedPictureSkipsTheHeavyQueue(t *testing.T) {
	f := newFixture(t)
	c := f.login(t, "ne-rcc")
	for _, path := range []string{"/councils/" + hartlepool, "/api/v1/regions/North%20East/picture"} {
		if w := f.do(t, "GET", path, nil, withCookie(c)); w.Code != 200 {
			t.Fatalf("%s: %d", path, w.Code)
		}
	}
	f.srv.limits.heavyWait = 50 * time.Millisecond
	for range cap(f.srv.limits.heavy) {
		release, err := f.srv.limits.enterHeavy(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer release()
	}
	for _, path := range []string{"/councils/" + hartlepool, "/api/v1/regions/North%20East/picture"} {
		if w := f.do(t, "GET", path, nil, withCookie(c)); w.Code != 200 {
			t.Errorf("cached %s with the heavy slots taken: %d", path, w.Code)
		}
	}
	if w := f.do(t, "GET", "/councils/"+middlesbrough, nil, withCookie(c)); w.Code != http.StatusTooManyRequests || !strings.Contains(w.Body.String(), "other people") {
		t.Errorf("a picture not cached, with the heavy slots taken: %d, want 429 (the server is busy)", w.Code)
	}
}
