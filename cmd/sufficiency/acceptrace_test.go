package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"sufficiency/auth"
	"sufficiency/identity"
	"sufficiency/internal/storetest"
	"sufficiency/store"
	"sufficiency/store/postgres"
	"sufficiency/store/sqlite"
	"sufficiency/web"
)

// Two councils accepting the last place at once through the JSON API: exactly
// one wins, the other gets 409, and the vacancy is never overbooked, on
// SQLite and PostgreSQL (the store's atomic reservation, proved end to end).

func TestAcceptRaceThroughAPISQLite(t *testing.T) {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "race.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	acceptRaceThroughAPI(t, db)
}

func TestAcceptRaceThroughAPIPostgres(t *testing.T) {
	db, err := postgres.Open(context.Background(), pgTestURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	acceptRaceThroughAPI(t, db)
}

func acceptRaceThroughAPI(t *testing.T, st Store) {
	ctx := store.WithActor(context.Background(), "test")
	provs, vacs := storetest.OfferSupply() // H2 (Beacon Homes) has one place
	if err := st.ReplaceSupply(ctx, provs, vacs); err != nil {
		t.Fatal(err)
	}
	const password = "a long enough password"
	h, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []identity.User{{Name: "traff", Role: identity.RoleCouncil, Council: "E08000009"}, {Name: "manc", Role: identity.RoleCouncil, Council: "E08000003"},
		{Name: "beacon", Role: identity.RoleProvider, Provider: "Beacon Homes"}} {
		u.PasswordHash = h
		if _, err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := web.New(web.Config{Store: st, InsecureCookies: true})
	if err != nil {
		t.Fatal(err)
	}
	handler := srv.Handler()
	svc := auth.NewService(st)
	token := map[string]string{}
	for _, n := range []string{"traff", "manc", "beacon"} {
		tok, err := svc.NewAPIToken(ctx, n, "race", 0)
		if err != nil {
			t.Fatal(err)
		}
		token[n] = tok
	}
	call := func(user, method, path, body string, out any) int {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+token[user])
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, r)
		if out != nil && w.Code < 300 {
			if err := json.Unmarshal(w.Body.Bytes(), out); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
		}
		return w.Code
	}
	referral := func(id, postcode string) string {
		return fmt.Sprintf(`{"id": %q, "child_id": "C-%s", "sex": "F", "date_of_birth": "2012-05", "needed_by": "later", "start_date": "2026-03-28",
			"foster_suitability": "unsuitable", "residential_suitability": "preferred", "supported_accommodation_suitability": "unsuitable",
			"sibling_count": 0, "home_postcode": %q, "living_companions": "no_preference", "pets": "not_known", "needs_tier": "enhanced", "need_codes": ["EBD"]}`, id, id, postcode)
	}
	for round := 0; round < 5; round++ {
		refs := map[string]string{}
		for _, c := range []struct{ user, postcode string }{{"traff", "M32 8BW"}, {"manc", "M14 5"}} {
			var created struct {
				Reference string `json:"reference"`
			}
			if code := call(c.user, "POST", "/api/v1/referrals", referral(fmt.Sprintf("%s-%d", c.user, round), c.postcode), &created); code != 201 {
				t.Fatalf("round %d: %s creates: %d", round, c.user, code)
			}
			ref := created.Reference
			if code := call(c.user, "POST", "/api/v1/referrals/"+ref+"/send", `{"provisions": ["H2"]}`, nil); code != 200 {
				t.Fatalf("round %d: %s sends: %d", round, c.user, code)
			}
			if code := call("beacon", "POST", "/api/v1/provider/referrals/"+ref+"/offer", `{"provision": "H2"}`, nil); code != 200 {
				t.Fatalf("round %d: offer to %s: %d", round, c.user, code)
			}
			refs[c.user] = ref
		}
		codes := map[string]int{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		start := make(chan struct{})
		for user, ref := range refs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				code := call(user, "POST", "/api/v1/referrals/"+ref+"/offers/H2/accept", "", nil)
				mu.Lock()
				codes[user] = code
				mu.Unlock()
			}()
		}
		close(start)
		wg.Wait()
		wins, lost := 0, 0
		for _, c := range codes {
			switch c {
			case 200:
				wins++
			case 409:
				lost++
			}
		}
		if wins != 1 || lost != 1 {
			t.Fatalf("round %d: accept statuses %v; want one 200 and one 409", round, codes)
		}
		vs, err := st.Vacancies(ctx, store.VacancyFilter{ProvisionIDs: []string{"H2"}})
		if err != nil {
			t.Fatal(err)
		}
		free := 0
		for _, v := range vs {
			free += v.Places
		}
		if free != 0 {
			t.Fatalf("round %d: H2 has %d free places after the race, want 0", round, free)
		}
		// Beacon frees the place again for the next round.
		if code := call("beacon", "PUT", "/api/v1/provider/vacancies/H2", `{"places": 1, "valid_from": "2026-03-01"}`, nil); code != 200 {
			t.Fatalf("round %d: vacancy: %d", round, code)
		}
	}
}
