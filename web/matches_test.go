package web

import (
	"context"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/match"
	"sufficiency/store"
	"sufficiency/store/sqlite"
)

// scoreAllMatches is the matches view as it was made before the search
// scored only what can reach the top: every eligible provision scored and
// explained in full, then filtered and cut. matchesOf must give the same.
func scoreAllMatches(t *testing.T, ix *match.Index, ref care.Referral, now time.Time, typ string, maxMiles float64, top int) matchView {
	res, err := ix.Search(ref, match.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	v := matchView{Considered: res.Considered, Eligible: res.Eligible, Excluded: res.ExcludedCount(), NoVacancy: res.NoVacancy, Type: typ}
	if maxMiles > 0 {
		v.MaxMiles = strconv.FormatFloat(maxMiles, 'f', -1, 64)
	}
	for _, c := range res.Candidates {
		if typ != "" && c.Type != typ || maxMiles > 0 && (c.Miles < 0 || c.Miles > maxMiles) {
			continue
		}
		if top > 0 && len(v.Candidates) >= top {
			break
		}
		v.Candidates = append(v.Candidates, explain(ref, c, ix.ProvisionOf(c.Vacancy), len(v.Candidates)+1))
	}
	for _, e := range res.NearestExcluded(-1)[:min(30, res.ExcludedCount())] {
		ev := exclusionView{ProvisionID: e.Provision.ID, Name: e.Provision.Name, Kind: kindWords(string(e.Provision.Kind)), Miles: round1(e.Miles)}
		for _, r := range e.Reasons {
			ev.Reasons = append(ev.Reasons, r.String())
		}
		v.Exclusions = append(v.Exclusions, ev)
	}
	for code, n := range res.ExcludedBy() {
		v.ByReason = append(v.ByReason, reasonCount{code.Label(), n})
	}
	sort.Slice(v.ByReason, func(i, j int) bool {
		if v.ByReason[i].Count != v.ByReason[j].Count {
			return v.ByReason[i].Count > v.ByReason[j].Count
		}
		return v.ByReason[i].Reason < v.ByReason[j].Reason
	})
	return v
}

// The referral page's matches (ranking, scores, explanations, exclusions,
// counts) over a supply of England's register and 3,000 fostering
// households are those of scoring every eligible provision, for children
// from several places, with and without the page's filters.
func TestMatchesSameAsScoringAll(t *testing.T) {
	ctx := store.WithActor(context.Background(), "test")
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "supply.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	provs, vacs := englandSupply(3000)
	if err := db.ReplaceSupply(ctx, provs, vacs); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 27, 10, 0, 0, 0, time.UTC)
	p := &placements{st: db, now: func() time.Time { return now }}
	ix, err := p.index(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, home := range []string{"M32 8BW", "TS24 7", "SW1A 1AA", "NE1 4", "PL1 2"} {
		for _, age := range []int{6, 13, 16} {
			ref := care.Referral{ID: "R-" + home, Council: "E08000009", ChildID: "C1", Sex: care.Female,
				DOB: now.AddDate(-age, -2, 0), Received: now, StartDate: now.AddDate(0, 0, 1), Urgency: care.UrgencyUnder5Days,
				Foster: care.SuitabilityPreferred, Residential: care.SuitabilitySuitable, Supported: care.SuitabilitySuitable,
				HomePostcode: home, Companions: care.CompanionsNoPreference, Pets: care.PetsNotKnown,
				Needs: care.NeedsProfile{Tier: care.TierEnhanced}}
			for _, f := range []struct {
				typ   string
				miles float64
				top   int
			}{{"", 0, 30}, {"", 0, 20}, {care.TypeFoster, 0, 30}, {care.TypeResidential, 25, 30}, {"", 10, 200}, {"", 0, 1}} {
				got, err := p.matchesOf(ctx, ref, f.typ, f.miles, f.top)
				if err != nil {
					t.Fatal(err)
				}
				want := scoreAllMatches(t, ix, ref, now, f.typ, f.miles, f.top)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("home %s, age %d, filters %+v: matches differ from scoring every home:\n got %+v\nwant %+v", home, age, f, got, want)
				}
				if f.top == 30 && f.typ == "" && len(got.Candidates) == 0 {
					t.Errorf("home %s, age %d: no candidates: the comparison tests nothing", home, age)
				}
			}
		}
	}
}
