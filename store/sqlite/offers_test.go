package sqlite

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/match"
	"sufficiency/offers"
	"sufficiency/store"
)

// offerSupply is a small synthetic supply: three homes near Manchester and a
// fostering household, with vacancies.
func offerSupply() ([]care.Provision, []care.Vacancy) {
	home := func(id, name, owner, pc string) care.Provision {
		return care.Provision{ID: id, Kind: care.KindChildrensHome, Name: name, Owner: owner, Sector: care.SectorPrivate,
			Council: "E08000003", Postcode: pc, Places: 4, Rating: care.RatingGood, MinAge: 8, MaxAge: 17,
			Needs: []string{"EBD"}, WeeklyPrice: 550000}
	}
	provs := []care.Provision{
		home("H1", "Didsbury House", "Acme Care", "M20"),
		home("H2", "Withington Lodge", "Beacon Homes", "M14 5"),
		home("H3", "Salford Place", "Acme Care", "M6"),
		{ID: "F1", Kind: care.KindFostering, Name: "Stockport carers", Owner: "Stockport Council", Sector: care.SectorLA,
			Council: "E08000007", Postcode: "SK4", Places: 2, Rating: care.RatingGood, MaxAge: 18, InHouse: true,
			SiblingCapacity: 2, WeeklyPrice: 45000},
	}
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	vacs := []care.Vacancy{
		{ID: "V-H1", ProvisionID: "H1", Places: 2, ValidFrom: from, UpdatedAt: from},
		{ID: "V-H2", ProvisionID: "H2", Places: 1, ValidFrom: from, UpdatedAt: from},
		{ID: "V-H3", ProvisionID: "H3", Places: 1, ValidFrom: from, UpdatedAt: from},
		{ID: "V-F1", ProvisionID: "F1", Places: 1, ValidFrom: from, UpdatedAt: from},
	}
	return provs, vacs
}

const testChildID = "CHILD-4471"

func offerReferral(t testing.TB) care.Referral {
	t.Helper()
	ref, err := care.ParseReferral([]byte(`{"id": "LA-REF-31", "council": "E08000009", "child_id": "`+testChildID+`", "sex": "F",
		"date_of_birth": "2012-05-14", "needed_by": "under_5_days", "start_date": "2026-03-28",
		"foster_suitability": "suitable", "residential_suitability": "preferred",
		"supported_accommodation_suitability": "unsuitable", "sibling_count": 0, "home_postcode": "M32 8BW",
		"living_companions": "no_preference", "pets": "not_known", "needs_tier": "enhanced", "need_codes": ["EBD"],
		"risk_to_child_other": "known to police as `+testChildID+` near M32 8BW"}`), "referral")
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// offerDB opens a temporary database holding offerSupply, with a clock that
// advances one minute per reading.
func offerDB(t *testing.T) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "offers.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var mu sync.Mutex
	clock := time.Date(2026, 3, 27, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(time.Minute)
		return clock
	}
	provs, vacs := offerSupply()
	if err := db.ReplaceSupply(context.Background(), provs, vacs); err != nil {
		t.Fatal(err)
	}
	return db, path
}

// sendFromDB shortlists ref against the supply stored in db and sends it.
func sendFromDB(t *testing.T, db *DB, ref care.Referral, opt offers.SendOptions) offers.Sent {
	t.Helper()
	ctx := context.Background()
	provs, err := db.Provisions(ctx, store.ProvisionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	vacs, err := db.Vacancies(ctx, store.VacancyFilter{})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := match.NewIndex(provs, vacs, match.DefaultPolicy(), nil)
	if err != nil {
		t.Fatal(err)
	}
	sent, err := offers.Send(ctx, db, ix, ref, opt)
	if err != nil {
		t.Fatal(err)
	}
	return sent
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if care.ErrorCode(err) != code {
		t.Fatalf("err %v (code %q); want %s", err, care.ErrorCode(err), code)
	}
}

func vacancyPlaces(t *testing.T, db *DB, id string) int {
	t.Helper()
	var n int
	err := db.r.QueryRow(`SELECT places FROM vacancies WHERE id = ?`, id).Scan(&n)
	if err != nil {
		return -1 // gone
	}
	return n
}

func TestOfferWorkflow(t *testing.T) {
	db, _ := offerDB(t)
	ctx := context.Background()
	sent := sendFromDB(t, db, offerReferral(t), offers.SendOptions{ShortlistOptions: offers.ShortlistOptions{Top: 3}, Actor: "placements officer"})
	ref := sent.Referral.Reference
	if sent.Status != offers.ReferralOpen || len(sent.Offers) != 3 || sent.SentBy != "placements officer" || sent.GroupSize != 1 {
		t.Fatalf("sent %+v", sent)
	}
	for k, o := range sent.Offers {
		if o.Status != offers.StatusPending || o.Rank != k+1 || o.UpdatedBy != "placements officer" {
			t.Fatalf("offer %d %+v", k, o)
		}
	}
	first, second, third := sent.Offers[0].ProvisionID, sent.Offers[1].ProvisionID, sent.Offers[2].ProvisionID

	t.Run("ErrNotOnShortlist", func(t *testing.T) {
		var notSent string
		for _, id := range []string{"H1", "H2", "H3", "F1"} {
			if id != first && id != second && id != third {
				notSent = id
			}
		}
		_, err := offers.Make(ctx, db, ref, notSent, 0, "provider")
		wantCode(t, err, care.ENOTFOUND)
	})
	t.Run("ErrUnknownReferral", func(t *testing.T) {
		_, err := offers.Make(ctx, db, "R-NONE-0000", first, 0, "provider")
		wantCode(t, err, care.ENOTFOUND)
	})
	t.Run("ErrAcceptBeforeOffer", func(t *testing.T) {
		_, err := db.Accept(ctx, ref, first, "council")
		wantCode(t, err, care.ECONFLICT)
	})

	o, err := offers.Make(ctx, db, ref, first, 560000, "Acme duty manager")
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != offers.StatusOffered || o.OfferedPrice != 560000 || o.UpdatedBy != "Acme duty manager" || o.RespondedAt.IsZero() {
		t.Fatalf("offer %+v", o)
	}
	if _, err := offers.Make(ctx, db, ref, first, 0, "again"); care.ErrorCode(err) != care.ECONFLICT {
		t.Fatalf("second offer: %v", err)
	}
	d, err := offers.Decline(ctx, db, ref, second, offers.ReasonImpact, "", "Beacon manager")
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != offers.StatusDeclined || d.Reason != offers.ReasonImpact {
		t.Fatalf("decline %+v", d)
	}
	if _, err := offers.Make(ctx, db, ref, second, 0, "Beacon manager"); care.ErrorCode(err) != care.ECONFLICT {
		t.Fatalf("offer after decline: %v", err)
	}
	if _, err := offers.Decline(ctx, db, ref, third, offers.ReasonOther, "", "x"); care.ErrorCode(err) != care.EINVALID {
		t.Fatalf("other without note: %v", err)
	}

	vacBefore := vacancyPlaces(t, db, sent.Offers[0].VacancyID)
	res, err := db.Accept(ctx, ref, first, "head of placements")
	if err != nil {
		t.Fatal(err)
	}
	if res.Places != 1 || res.ProvisionID != first || res.PlacesLeft != vacBefore-1 || res.By != "head of placements" {
		t.Fatalf("reservation %+v (vacancy had %d)", res, vacBefore)
	}
	if got := vacancyPlaces(t, db, res.VacancyID); (res.PlacesLeft == 0 && got != -1) || (res.PlacesLeft > 0 && got != res.PlacesLeft) {
		t.Fatalf("vacancy %s has %d places after reserving; want %d (gone when 0)", res.VacancyID, got, res.PlacesLeft)
	}
	_, err = db.Accept(ctx, ref, first, "again")
	wantCode(t, err, care.ECONFLICT)
	_, err = offers.Decline(ctx, db, ref, third, offers.ReasonStaffing, "", "late provider")
	wantCode(t, err, care.ECONFLICT)

	got, err := db.Referrals(ctx, offers.Filter{Reference: ref})
	if err != nil {
		t.Fatal(err)
	}
	s := got[0]
	if s.Status != offers.ReferralPlaced || s.Reservation == nil || s.Reservation.VacancyID != res.VacancyID {
		t.Fatalf("after accept %+v", s)
	}
	wantStatus := map[string]offers.Status{first: offers.StatusAccepted, second: offers.StatusDeclined, third: offers.StatusWithdrawn}
	for _, o := range s.Offers {
		if o.Status != wantStatus[o.ProvisionID] {
			t.Errorf("%s: %s, want %s", o.ProvisionID, o.Status, wantStatus[o.ProvisionID])
		}
	}
	// send, offer, decline, accept (offer), accept (referral), withdraw.
	if len(s.Events) != 6 {
		t.Fatalf("events %+v", s.Events)
	}
	for i := 1; i < len(s.Events); i++ {
		if s.Events[i].At.Before(s.Events[i-1].At) || s.Events[i].Actor == "" {
			t.Errorf("event %d %+v", i, s.Events[i])
		}
	}
	audit, err := db.AuditLog(ctx, store.AuditFilter{Council: "E08000009"})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, e := range audit {
		actions[e.Action]++
	}
	for _, a := range []string{"offer send", "offer offer", "offer decline", "offer accept", "offer withdraw"} {
		if actions[a] != 1 {
			t.Errorf("audit log has %d %q entries: %v", actions[a], a, actions)
		}
	}

	t.Run("CancelReleasesThePlace", func(t *testing.T) {
		if err := db.Cancel(ctx, ref, "child returned home", "social worker"); err != nil {
			t.Fatal(err)
		}
		if got := vacancyPlaces(t, db, res.VacancyID); got != vacBefore {
			t.Fatalf("vacancy %s has %d places after release; want %d", res.VacancyID, got, vacBefore)
		}
		got, err := db.Referrals(ctx, offers.Filter{Reference: ref})
		if err != nil {
			t.Fatal(err)
		}
		s := got[0]
		if s.Status != offers.ReferralCancelled || s.Note != "child returned home" || s.Reservation.Released.IsZero() || s.Reservation.ReleasedBy != "social worker" {
			t.Fatalf("after cancel %+v", s)
		}
		for _, o := range s.Offers {
			if o.ProvisionID == first && o.Status != offers.StatusWithdrawn {
				t.Errorf("accepted offer is %s after cancel", o.Status)
			}
		}
		wantCode(t, db.Cancel(ctx, ref, "", "again"), care.ECONFLICT)
		// The released place can be given to another referral.
		again := sendFromDB(t, db, offerReferral(t), offers.SendOptions{ShortlistOptions: offers.ShortlistOptions{Chosen: []string{first}}})
		if _, err := offers.Make(ctx, db, again.Referral.Reference, first, 0, "p"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Accept(ctx, again.Referral.Reference, first, "c"); err != nil {
			t.Fatalf("accepting the released place: %v", err)
		}
	})
}

// TestSentReferralIsPseudonymous checks that nothing stored — the referral,
// offers, events, audit log, in the database file and its WAL — holds the
// council's CHILD id, referral id, full date of birth or full postcodes.
func TestSentReferralIsPseudonymous(t *testing.T) {
	db, path := offerDB(t)
	ctx := context.Background()
	ref := offerReferral(t)
	sent := sendFromDB(t, db, ref, offers.SendOptions{})
	if _, err := offers.Decline(ctx, db, sent.Referral.Reference, sent.Offers[0].ProvisionID, offers.ReasonLocation, "", "p"); err != nil {
		t.Fatal(err)
	}
	if sent.Referral.BirthMonth != "2012-05" || sent.Referral.HomeDistrict != "M32" {
		t.Fatalf("sent %+v", sent.Referral)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	var all []byte
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if err == nil {
			all = append(all, b...)
		}
	}
	for _, banned := range []string{testChildID, "LA-REF-31", "2012-05-14", "M32 8BW", "M328BW", "M32 8"} {
		if bytes.Contains(all, []byte(banned)) {
			t.Errorf("the database file holds %q", banned)
		}
	}
	if !bytes.Contains(all, []byte(sent.Referral.Reference)) {
		t.Fatal("the scan found not even the reference: is it reading the right file?")
	}
}

// TestAcceptRace has many councils race for the last places of one vacancy,
// each through its own connection pool to the same file (as separate
// processes would): exactly as many acceptances succeed as there are places,
// every other gets ECONFLICT, and the vacancy is never overbooked.
func TestAcceptRace(t *testing.T) {
	for _, places := range []int{1, 3} {
		t.Run(fmt.Sprintf("%dPlaces", places), func(t *testing.T) {
			db, path := offerDB(t)
			ctx := context.Background()
			provs, vacs := offerSupply()
			vacs[0].Places = places // V-H1 of H1
			if err := db.ReplaceSupply(ctx, provs, vacs); err != nil {
				t.Fatal(err)
			}
			const racers = 20
			refs := make([]string, racers)
			for i := range refs {
				refs[i] = fmt.Sprintf("R-RACE-%04d", i)
				sr := offers.SentReferral{Reference: refs[i], Council: fmt.Sprintf("E0800%04d", i), BirthMonth: "2012-05", HomeDistrict: "M32"}
				entry := offers.Entry{Rank: 1, ProvisionID: "H1", VacancyID: "V-H1", Name: "Didsbury House", Provider: "Acme Care", Kind: "childrens_home", Council: "E08000003"}
				if _, err := db.SendReferral(ctx, sr, 1, []offers.Entry{entry}, "council"); err != nil {
					t.Fatal(err)
				}
				if _, err := offers.Make(ctx, db, refs[i], "H1", 0, "Acme Care"); err != nil {
					t.Fatal(err)
				}
			}
			conns := make([]*DB, racers)
			for i := range conns {
				c, err := Open(ctx, path)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				conns[i] = c
			}
			var wg sync.WaitGroup
			start := make(chan struct{})
			errs := make([]error, racers)
			for i := range conns {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					<-start
					_, errs[i] = conns[i].Accept(ctx, refs[i], "H1", fmt.Sprintf("council %d", i))
				}(i)
			}
			close(start)
			wg.Wait()
			won := 0
			for i, err := range errs {
				switch care.ErrorCode(err) {
				case "":
					won++
				case care.ECONFLICT:
				default:
					t.Errorf("racer %d: %v", i, err)
				}
			}
			if won != places {
				t.Fatalf("%d acceptances succeeded for %d places", won, places)
			}
			var reserved, accepted int
			db.r.QueryRow(`SELECT COALESCE(SUM(places), 0) FROM reservations WHERE vacancy_id = 'V-H1' AND released_at IS NULL`).Scan(&reserved)
			db.r.QueryRow(`SELECT COUNT(*) FROM offers WHERE provision_id = 'H1' AND status = 'accepted'`).Scan(&accepted)
			if reserved != places || accepted != places || vacancyPlaces(t, db, "V-H1") != -1 {
				t.Fatalf("reserved %d, accepted %d, vacancy left %d", reserved, accepted, vacancyPlaces(t, db, "V-H1"))
			}
		})
	}
}

func TestSiblingGroupNeedsPlacesTogether(t *testing.T) {
	db, _ := offerDB(t)
	ctx := context.Background()
	sr := offers.SentReferral{Reference: "R-SIBS-0001", Council: "E08000009", BirthMonth: "2012-05", HomeDistrict: "M32", SiblingCount: 2}
	entry := offers.Entry{Rank: 1, ProvisionID: "H1", VacancyID: "V-H1"} // V-H1 has 2 places: not enough for 3
	if _, err := db.SendReferral(ctx, sr, 3, []offers.Entry{entry}, "c"); err != nil {
		t.Fatal(err)
	}
	if _, err := offers.Make(ctx, db, "R-SIBS-0001", "H1", 0, "p"); err != nil {
		t.Fatal(err)
	}
	_, err := db.Accept(ctx, "R-SIBS-0001", "H1", "c")
	wantCode(t, err, care.ECONFLICT)
	if vacancyPlaces(t, db, "V-H1") != 2 {
		t.Fatal("a failed acceptance changed the vacancy")
	}
	got, _ := db.Referrals(ctx, offers.Filter{Reference: "R-SIBS-0001"})
	if got[0].Status != offers.ReferralOpen || got[0].Offers[0].Status != offers.StatusOffered || got[0].Reservation != nil {
		t.Fatalf("a failed acceptance changed the referral: %+v", got[0])
	}
}

func TestSendReferralErrors(t *testing.T) {
	db, _ := offerDB(t)
	ctx := context.Background()
	sr := offers.SentReferral{Reference: "R-DUP-0001", Council: "E08000009"}
	e := offers.Entry{Rank: 1, ProvisionID: "H1", VacancyID: "V-H1"}
	if _, err := db.SendReferral(ctx, sr, 1, []offers.Entry{e}, "c"); err != nil {
		t.Fatal(err)
	}
	_, err := db.SendReferral(ctx, sr, 1, []offers.Entry{e}, "c")
	wantCode(t, err, care.ECONFLICT)
	sr.Reference = "R-NEW-0001"
	_, err = db.SendReferral(ctx, sr, 1, nil, "c")
	wantCode(t, err, care.EINVALID)
	_, err = db.SendReferral(ctx, sr, 1, []offers.Entry{e, e}, "c")
	wantCode(t, err, care.EINVALID)
	_, err = db.SendReferral(ctx, sr, 0, []offers.Entry{e}, "c")
	wantCode(t, err, care.EINVALID)
	if got, _ := db.Referrals(ctx, offers.Filter{Reference: "R-NEW-0001"}); len(got) != 0 {
		t.Fatal("a refused send left a referral behind")
	}
	_, err = db.Referrals(ctx, offers.Filter{Reference: "R-NEW-0001"})
	wantCode(t, err, care.ENOTFOUND)
}

// TestSupplyRefreshKeepsOffers checks a supply refresh after offers exist
// neither fails nor loses the offer history.
func TestSupplyRefreshKeepsOffers(t *testing.T) {
	db, _ := offerDB(t)
	ctx := context.Background()
	sent := sendFromDB(t, db, offerReferral(t), offers.SendOptions{})
	provs, vacs := offerSupply()
	if err := db.ReplaceSupply(ctx, provs[:2], vacs[:2]); err != nil {
		t.Fatalf("supply refresh after offers: %v", err)
	}
	got, err := db.Referrals(ctx, offers.Filter{Reference: sent.Referral.Reference})
	if err != nil || len(got[0].Offers) != len(sent.Offers) {
		t.Fatalf("offers after refresh: %v %+v", err, got)
	}
}

func TestOfferEventsAppendOnly(t *testing.T) {
	db, _ := offerDB(t)
	sendFromDB(t, db, offerReferral(t), offers.SendOptions{})
	for _, q := range []string{`UPDATE offer_events SET actor = 'x'`, `DELETE FROM offer_events`} {
		if _, err := db.w.Exec(q); err == nil {
			t.Errorf("%s succeeded", q)
		}
	}
}

// TestDeclines checks the aggregate over a fixture of declines made at known
// times, by council, provider and period.
func TestDeclines(t *testing.T) {
	db, _ := offerDB(t)
	ctx := context.Background()
	var clock time.Time
	db.Now = func() time.Time { return clock }
	day := func(d int) time.Time { return time.Date(2026, 3, d, 12, 0, 0, 0, time.UTC) }
	type decline struct {
		council, provision string
		reason             offers.Reason
		day                int
	}
	fixture := []decline{
		{"E08000009", "H1", offers.ReasonNoVacancy, 2},
		{"E08000009", "H2", offers.ReasonPrice, 3},
		{"E08000009", "H3", offers.ReasonNoVacancy, 10},
		{"E08000001", "H1", offers.ReasonNoVacancy, 11},
		{"E08000001", "H2", offers.ReasonOther, 20},
		{"E08000001", "F1", offers.ReasonStaffing, 25},
	}
	names := map[string]string{"H1": "Acme Care", "H2": "Beacon Homes", "H3": "Acme Care", "F1": "Stockport Council"}
	for i, d := range fixture {
		clock = day(d.day)
		ref := fmt.Sprintf("R-DECL-%04d", i)
		e := offers.Entry{Rank: 1, ProvisionID: d.provision, VacancyID: "V-" + d.provision, Provider: names[d.provision]}
		if _, err := db.SendReferral(ctx, offers.SentReferral{Reference: ref, Council: d.council}, 1, []offers.Entry{e}, "c"); err != nil {
			t.Fatal(err)
		}
		note := ""
		if d.reason == offers.ReasonOther {
			note = "home closing"
		}
		if _, err := offers.Decline(ctx, db, ref, d.provision, d.reason, note, names[d.provision]); err != nil {
			t.Fatal(err)
		}
	}
	// An offer that was made, not declined, is not counted.
	clock = day(12)
	if _, err := db.SendReferral(ctx, offers.SentReferral{Reference: "R-OFFR-0001", Council: "E08000009"}, 1,
		[]offers.Entry{{Rank: 1, ProvisionID: "H1", VacancyID: "V-H1", Provider: "Acme Care"}}, "c"); err != nil {
		t.Fatal(err)
	}
	if _, err := offers.Make(ctx, db, "R-OFFR-0001", "H1", 0, "p"); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name       string
		f          offers.DeclineFilter
		total      int
		noVacancy  int
		acme       int
		topCouncil string
	}{
		{"All", offers.DeclineFilter{}, 6, 3, 3, "E08000001"},
		{"Period", offers.DeclineFilter{From: day(3).Truncate(24 * time.Hour), To: day(20).Truncate(24 * time.Hour)}, 3, 2, 2, "E08000009"},
		{"Council", offers.DeclineFilter{Council: "E08000001"}, 3, 1, 1, "E08000001"},
		{"Provider", offers.DeclineFilter{Provider: "Acme Care"}, 3, 3, 3, "E08000009"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := offers.Declines(ctx, db, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Total != tc.total || rep.ByReason[0].Reason != offers.ReasonNoVacancy || rep.ByReason[0].Count != tc.noVacancy {
				t.Fatalf("report %+v", rep)
			}
			acme := 0
			for _, g := range rep.ByProvider {
				if g.Key == "Acme Care" {
					acme = g.Total
				}
			}
			if acme != tc.acme || rep.ByCouncil[0].Key != tc.topCouncil {
				t.Fatalf("acme %d, councils %+v", acme, rep.ByCouncil)
			}
		})
	}
	_, err := db.Declines(ctx, offers.DeclineFilter{From: day(5), To: day(5)})
	wantCode(t, err, care.EINVALID)
}

// prepareOffers sends n referrals, each shortlisting only H1 with its offer
// made, and returns their references.
func prepareOffers(b *testing.B, db *DB, prefix string, n int) []string {
	b.Helper()
	ctx := context.Background()
	refs := make([]string, n)
	for i := range refs {
		refs[i] = fmt.Sprintf("R-%s-%06d", prefix, i)
		sr := offers.SentReferral{Reference: refs[i], Council: fmt.Sprintf("E0800%04d", i%50), BirthMonth: "2012-05", HomeDistrict: "M32"}
		e := offers.Entry{Rank: 1, ProvisionID: "H1", VacancyID: "V-H1", Provider: "Acme Care"}
		if _, err := db.SendReferral(ctx, sr, 1, []offers.Entry{e}, "council"); err != nil {
			b.Fatal(err)
		}
		if _, err := offers.Make(ctx, db, refs[i], "H1", 0, "Acme Care"); err != nil {
			b.Fatal(err)
		}
	}
	return refs
}

func setPlaces(b *testing.B, db *DB, places int) {
	b.Helper()
	if _, err := db.w.Exec(`INSERT INTO vacancies (id, provision_id, places, weekly_price) VALUES ('V-H1', 'H1', ?, 0)
		ON CONFLICT (id) DO UPDATE SET places = excluded.places`, places); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkAccept measures accepting offers: one after another on one
// connection ("serial"), and 20 councils racing for the last 5 places of one
// vacancy, each through its own connection pool to the same file ("race20").
//
//	go test ./store/sqlite -run '^$' -bench Accept -benchtime 2s
func BenchmarkAccept(b *testing.B) {
	ctx := context.Background()
	open := func(b *testing.B) (*DB, string) {
		path := filepath.Join(b.TempDir(), "bench.db")
		db, err := Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		provs, vacs := offerSupply()
		if err := db.ReplaceSupply(ctx, provs, vacs); err != nil {
			b.Fatal(err)
		}
		return db, path
	}
	b.Run("serial", func(b *testing.B) {
		db, _ := open(b)
		defer db.Close()
		refs := prepareOffers(b, db, "SER", b.N)
		setPlaces(b, db, b.N+1)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := db.Accept(ctx, refs[i], "H1", "council"); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "accepts/s")
	})
	b.Run("race20", func(b *testing.B) {
		const racers, places = 20, 5
		db, path := open(b)
		defer db.Close()
		conns := make([]*DB, racers)
		for i := range conns {
			c, err := Open(ctx, path)
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			conns[i] = c
		}
		b.ResetTimer()
		for n := 0; n < b.N; n++ {
			b.StopTimer()
			refs := prepareOffers(b, db, fmt.Sprintf("RACE%d", n), racers)
			setPlaces(b, db, places)
			errs := make([]error, racers)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range conns {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					<-start
					_, errs[i] = conns[i].Accept(ctx, refs[i], "H1", "council")
				}(i)
			}
			b.StartTimer()
			close(start)
			wg.Wait()
			b.StopTimer()
			won := 0
			for _, err := range errs {
				switch care.ErrorCode(err) {
				case "":
					won++
				case care.ECONFLICT:
				default:
					b.Fatal(err)
				}
			}
			if won != places {
				b.Fatalf("%d acceptances succeeded for %d places", won, places)
			}
			b.StartTimer()
		}
		b.ReportMetric(float64(b.N*racers)/b.Elapsed().Seconds(), "attempts/s")
	})
}

func TestCancel(t *testing.T) {
	ctx := context.Background()
	send := func(t *testing.T, db *DB, ref, prov string) {
		t.Helper()
		e := offers.Entry{Rank: 1, ProvisionID: prov, VacancyID: "V-" + prov}
		if _, err := db.SendReferral(ctx, offers.SentReferral{Reference: ref, Council: "E08000009"}, 1, []offers.Entry{e}, "c"); err != nil {
			t.Fatal(err)
		}
		if _, err := offers.Make(ctx, db, ref, prov, 0, "p"); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("OpenReferral", func(t *testing.T) {
		db, _ := offerDB(t)
		send(t, db, "R-OPEN-0001", "H2")
		if err := db.Cancel(ctx, "R-OPEN-0001", "", "sw"); err != nil {
			t.Fatal(err)
		}
		got, _ := db.Referrals(ctx, offers.Filter{Reference: "R-OPEN-0001"})
		if got[0].Status != offers.ReferralCancelled || got[0].Offers[0].Status != offers.StatusWithdrawn || got[0].Reservation != nil {
			t.Fatalf("%+v", got[0])
		}
		if vacancyPlaces(t, db, "V-H2") != 1 {
			t.Fatal("cancelling an open referral changed a vacancy")
		}
		_, err := db.Accept(ctx, "R-OPEN-0001", "H2", "c")
		wantCode(t, err, care.ECONFLICT)
		_, err = offers.Decline(ctx, db, "R-OPEN-0001", "H2", offers.ReasonRisk, "", "p")
		wantCode(t, err, care.ECONFLICT)
		wantCode(t, db.Cancel(ctx, "R-NONE-0000", "", "sw"), care.ENOTFOUND)
	})
	t.Run("RestoresUsedUpVacancy", func(t *testing.T) {
		db, _ := offerDB(t)
		send(t, db, "R-USED-0001", "H2") // V-H2 has one place
		if _, err := db.Accept(ctx, "R-USED-0001", "H2", "c"); err != nil {
			t.Fatal(err)
		}
		if vacancyPlaces(t, db, "V-H2") != -1 {
			t.Fatal("a used-up vacancy was kept")
		}
		if err := db.Cancel(ctx, "R-USED-0001", "", "sw"); err != nil {
			t.Fatal(err)
		}
		vs, err := db.Vacancies(ctx, store.VacancyFilter{ProvisionIDs: []string{"H2"}})
		if err != nil || len(vs) != 1 || vs[0].ID != "V-H2" || vs[0].Places != 1 || vs[0].ValidFrom.Format("2006-01-02") != "2026-03-01" {
			t.Fatalf("restored vacancy %+v %v", vs, err)
		}
	})
	t.Run("ProvisionGoneFromSupply", func(t *testing.T) {
		db, _ := offerDB(t)
		send(t, db, "R-GONE-0001", "H3")
		if _, err := db.Accept(ctx, "R-GONE-0001", "H3", "c"); err != nil {
			t.Fatal(err)
		}
		provs, vacs := offerSupply()
		if err := db.ReplaceSupply(ctx, provs[:2], vacs[:2]); err != nil { // H3 closed
			t.Fatal(err)
		}
		if err := db.Cancel(ctx, "R-GONE-0001", "", "sw"); err != nil {
			t.Fatal(err)
		}
		if n, _ := db.Vacancies(ctx, store.VacancyFilter{ProvisionIDs: []string{"H3"}}); len(n) != 0 {
			t.Fatalf("a vacancy was made for a provision no longer in the supply: %+v", n)
		}
		ev, _ := db.AuditLog(ctx, store.AuditFilter{Action: "offer release"})
		if len(ev) != 1 || !strings.Contains(ev[0].Detail, "no longer in the supply") {
			t.Fatalf("audit %+v", ev)
		}
	})
}
