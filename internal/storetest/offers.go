package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/match"
	"sufficiency/offers"
	"sufficiency/store"
	"sufficiency/workflow"
)

// OffersStore is a store that keeps the offers workflow: the core store
// (supply, audit log) and workflow.Store. RunOffers tests it.
type OffersStore interface {
	store.Store
	workflow.Store
}

// OffersOpener opens a new, empty store for one test, whose clock is now
// (read at each change), and closes it when the test ends (t.Cleanup). It
// also returns connect, which opens another handle on the same database
// with its own connections, as another process would (default clock), also
// closed when the test ends.
type OffersOpener func(t testing.TB, now func() time.Time) (st OffersStore, connect func(t testing.TB) OffersStore)

// RunOffers runs the offers contract suite: the workflow's states, events
// and audit entries, errors, cancelling and releasing places, supply
// refreshes, the decline counts, what is stored of the referral, and that
// concurrent acceptances never book a place twice.
func RunOffers(t *testing.T, open OffersOpener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open OffersOpener)
	}{
		{"Workflow", testOfferWorkflow},
		{"Pseudonymous", testOffersPseudonymous},
		{"AcceptRace", testAcceptRace},
		{"AcceptRaceOneReferral", testAcceptRaceOneReferral},
		{"AcceptChoosesVacancy", testAcceptChoosesVacancy},
		{"SiblingGroupNeedsPlacesTogether", testSiblingGroup},
		{"ErrSendReferral", testSendReferralErrors},
		{"SupplyRefreshKeepsOffers", testSupplyRefreshKeepsOffers},
		{"Declines", testDeclines},
		{"Cancel", testCancel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open) })
	}
}

// OfferSupply is the small synthetic supply of the offers suite: three homes
// near Manchester and a fostering household, each with one vacancy (V-H1 of
// H1 has two places, the others one).
func OfferSupply() ([]care.Provision, []care.Vacancy) {
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

// OfferTestChildID is the council's CHILD id in OfferReferral; it must never
// be stored.
const OfferTestChildID = "CHILD-4471"

// OfferBanned lists what of OfferReferral must never be stored: the CHILD
// id, the council's referral id, the full date of birth and the full home
// postcode and sector.
var OfferBanned = []string{OfferTestChildID, "LA-REF-31", "2012-05-14", "M32 8BW", "M328BW", "M32 8"}

// OfferReferral is a referral from Trafford for a 13-year-old with
// emotional and behavioural needs, whose free text repeats the CHILD id and
// the full postcode.
func OfferReferral(t testing.TB) care.Referral {
	t.Helper()
	ref, err := care.ParseReferral([]byte(`{"id": "LA-REF-31", "council": "E08000009", "child_id": "`+OfferTestChildID+`", "sex": "F",
		"date_of_birth": "2012-05-14", "needed_by": "under_5_days", "start_date": "2026-03-28",
		"foster_suitability": "suitable", "residential_suitability": "preferred",
		"supported_accommodation_suitability": "unsuitable", "sibling_count": 0, "home_postcode": "M32 8BW",
		"living_companions": "no_preference", "pets": "not_known", "needs_tier": "enhanced", "need_codes": ["EBD"],
		"risk_to_child_other": "known to police as `+OfferTestChildID+` near M32 8BW"}`), "referral")
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// minuteClock is a clock that starts at 09:00 on 27 March 2026 and advances
// one minute per reading.
func minuteClock() func() time.Time {
	var mu sync.Mutex
	clock := time.Date(2026, 3, 27, 9, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(time.Minute)
		return clock
	}
}

// OpenWithSupply opens a store with open, loads supply (OfferSupply when
// nil) and returns it with its connect function.
func OpenWithSupply(t testing.TB, open OffersOpener, now func() time.Time, provs []care.Provision, vacs []care.Vacancy) (OffersStore, func(testing.TB) OffersStore) {
	t.Helper()
	if now == nil {
		now = minuteClock()
	}
	st, connect := open(t, now)
	if provs == nil {
		provs, vacs = OfferSupply()
	}
	if err := st.ReplaceSupply(context.Background(), provs, vacs); err != nil {
		t.Fatal(err)
	}
	return st, connect
}

// sendFromStore shortlists ref against the supply stored in st and sends it.
func sendFromStore(t testing.TB, st OffersStore, ref care.Referral, opt offers.SendOptions) workflow.Sent {
	t.Helper()
	ctx := context.Background()
	provs, err := st.Provisions(ctx, store.ProvisionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	vacs, err := st.Vacancies(ctx, store.VacancyFilter{})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := match.NewIndex(provs, vacs, match.DefaultPolicy(), nil)
	if err != nil {
		t.Fatal(err)
	}
	sent, err := offers.Send(ctx, st, ix, ref, opt)
	if err != nil {
		t.Fatal(err)
	}
	return sent
}

// sendOne sends a referral with a one-entry shortlist (the provision's
// vacancy V-<provision>) and, when offer is set, has the provider offer.
func sendOne(t testing.TB, st OffersStore, ref, council, provision string, group int, start string, offer bool) {
	t.Helper()
	ctx := context.Background()
	sr := workflow.SentReferral{Reference: ref, Council: council, BirthMonth: "2012-05", HomeDistrict: "M32", SiblingCount: group - 1, StartDate: start}
	e := workflow.Entry{Rank: 1, ProvisionID: provision, VacancyID: "V-" + provision, Provider: "Acme Care", Kind: "childrens_home", Council: "E08000003"}
	if _, err := st.SendReferral(ctx, sr, group, []workflow.Entry{e}, "council"); err != nil {
		t.Fatal(err)
	}
	if offer {
		if _, err := offers.Make(ctx, st, ref, provision, 0, "provider"); err != nil {
			t.Fatal(err)
		}
	}
}

func wantCode(t testing.TB, what string, err error, code string) {
	t.Helper()
	if care.ErrorCode(err) != code {
		t.Fatalf("%s: err %v (code %q); want %s", what, err, care.ErrorCode(err), code)
	}
}

// vacancyPlaces is the vacancy's places, -1 when it is not in the supply.
func vacancyPlaces(t testing.TB, st OffersStore, id string) int {
	t.Helper()
	vs, err := st.Vacancies(context.Background(), store.VacancyFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if v.ID == id {
			return v.Places
		}
	}
	return -1
}

func mustReferral(t testing.TB, st OffersStore, ref string) workflow.Sent {
	t.Helper()
	got, err := st.Referrals(context.Background(), workflow.Filter{Reference: ref})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("Referrals(%s): %d referrals", ref, len(got))
	}
	return got[0]
}

func testOfferWorkflow(t *testing.T, open OffersOpener) {
	st, _ := OpenWithSupply(t, open, nil, nil, nil)
	ctx := context.Background()
	sent := sendFromStore(t, st, OfferReferral(t), offers.SendOptions{ShortlistOptions: offers.ShortlistOptions{Top: 3}, Actor: "placements officer"})
	ref := sent.Referral.Reference
	if sent.Status != workflow.ReferralOpen || len(sent.Offers) != 3 || sent.SentBy != "placements officer" || sent.GroupSize != 1 {
		t.Fatalf("sent %+v", sent)
	}
	for k, o := range sent.Offers {
		if o.Status != workflow.StatusPending || o.Rank != k+1 || o.UpdatedBy != "placements officer" {
			t.Fatalf("offer %d %+v", k, o)
		}
	}
	if got := mustReferral(t, st, ref); !reflect.DeepEqual(got.Referral, sent.Referral) || !got.SentAt.Equal(sent.SentAt) {
		t.Fatalf("stored referral differs from the one sent:\n got  %+v\n want %+v", got.Referral, sent.Referral)
	}
	first, second, third := sent.Offers[0].ProvisionID, sent.Offers[1].ProvisionID, sent.Offers[2].ProvisionID

	t.Run("ErrNotOnShortlist", func(t *testing.T) {
		var notSent string
		for _, id := range []string{"H1", "H2", "H3", "F1"} {
			if id != first && id != second && id != third {
				notSent = id
			}
		}
		_, err := offers.Make(ctx, st, ref, notSent, 0, "provider")
		wantCode(t, "offer from a provision not sent the referral", err, care.ENOTFOUND)
	})
	t.Run("ErrUnknownReferral", func(t *testing.T) {
		_, err := offers.Make(ctx, st, "R-NONE-0000", first, 0, "provider")
		wantCode(t, "offer on an unknown referral", err, care.ENOTFOUND)
	})
	t.Run("ErrAcceptBeforeOffer", func(t *testing.T) {
		_, err := st.Accept(ctx, ref, first, "council")
		wantCode(t, "accept before the offer", err, care.ECONFLICT)
	})

	o, err := offers.Make(ctx, st, ref, first, 560000, "Acme duty manager")
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != workflow.StatusOffered || o.OfferedPrice != 560000 || o.UpdatedBy != "Acme duty manager" || o.RespondedAt.IsZero() {
		t.Fatalf("offer %+v", o)
	}
	_, err = offers.Make(ctx, st, ref, first, 0, "again")
	wantCode(t, "second offer", err, care.ECONFLICT)
	d, err := offers.Decline(ctx, st, ref, second, workflow.ReasonImpact, "", "Beacon manager")
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != workflow.StatusDeclined || d.Reason != workflow.ReasonImpact {
		t.Fatalf("decline %+v", d)
	}
	_, err = offers.Make(ctx, st, ref, second, 0, "Beacon manager")
	wantCode(t, "offer after decline", err, care.ECONFLICT)
	_, err = offers.Decline(ctx, st, ref, third, workflow.ReasonOther, "", "x")
	wantCode(t, "reason other without a note", err, care.EINVALID)

	vacBefore := vacancyPlaces(t, st, sent.Offers[0].VacancyID)
	res, err := st.Accept(ctx, ref, first, "head of placements")
	if err != nil {
		t.Fatal(err)
	}
	if res.Places != 1 || res.ProvisionID != first || res.PlacesLeft != vacBefore-1 || res.By != "head of placements" || res.At.IsZero() {
		t.Fatalf("reservation %+v (vacancy had %d)", res, vacBefore)
	}
	if got := vacancyPlaces(t, st, res.VacancyID); (res.PlacesLeft == 0 && got != -1) || (res.PlacesLeft > 0 && got != res.PlacesLeft) {
		t.Fatalf("vacancy %s has %d places after reserving; want %d (gone when 0)", res.VacancyID, got, res.PlacesLeft)
	}
	_, err = st.Accept(ctx, ref, first, "again")
	wantCode(t, "second acceptance", err, care.ECONFLICT)
	_, err = offers.Decline(ctx, st, ref, third, workflow.ReasonStaffing, "", "late provider")
	wantCode(t, "decline after acceptance", err, care.ECONFLICT)

	s := mustReferral(t, st, ref)
	if s.Status != workflow.ReferralPlaced || s.Reservation == nil || s.Reservation.VacancyID != res.VacancyID ||
		s.Reservation.Places != 1 || s.Reservation.PlacesLeft != res.PlacesLeft || !s.Reservation.At.Equal(res.At) || !s.Reservation.Released.IsZero() {
		t.Fatalf("after accept %+v (reservation %+v)", s, s.Reservation)
	}
	wantStatus := map[string]workflow.Status{first: workflow.StatusAccepted, second: workflow.StatusDeclined, third: workflow.StatusWithdrawn}
	for _, o := range s.Offers {
		if o.Status != wantStatus[o.ProvisionID] {
			t.Errorf("%s: %s, want %s", o.ProvisionID, o.Status, wantStatus[o.ProvisionID])
		}
		if o.ProvisionID == first && o.OfferedPrice != 560000 {
			t.Errorf("offered price %d after accept", o.OfferedPrice)
		}
	}
	// send, offer, decline, accept (offer), accept (referral), withdraw.
	var actions []string
	for i, e := range s.Events {
		actions = append(actions, e.Action+":"+e.From+">"+e.To)
		if e.Actor == "" || (i > 0 && e.At.Before(s.Events[i-1].At)) {
			t.Errorf("event %d %+v", i, e)
		}
	}
	wantEvents := []string{"send:>open", "offer:pending>offered", "decline:pending>declined", "accept:offered>accepted", "accept:open>placed", "withdraw:pending>withdrawn"}
	if !reflect.DeepEqual(actions, wantEvents) {
		t.Fatalf("events %v, want %v", actions, wantEvents)
	}
	if s.Events[2].Reason != workflow.ReasonImpact {
		t.Errorf("decline event %+v", s.Events[2])
	}
	audit, err := st.AuditLog(ctx, store.AuditFilter{Council: "E08000009"})
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, e := range audit {
		counts[e.Action]++
	}
	for _, a := range []string{"offer send", "offer offer", "offer decline", "offer accept", "offer withdraw"} {
		if counts[a] != 1 {
			t.Errorf("audit log has %d %q entries: %v", counts[a], a, counts)
		}
	}

	t.Run("CancelReleasesThePlace", func(t *testing.T) {
		if err := st.Cancel(ctx, ref, "child returned home", "social worker"); err != nil {
			t.Fatal(err)
		}
		if got := vacancyPlaces(t, st, res.VacancyID); got != vacBefore {
			t.Fatalf("vacancy %s has %d places after release; want %d", res.VacancyID, got, vacBefore)
		}
		s := mustReferral(t, st, ref)
		if s.Status != workflow.ReferralCancelled || s.Note != "child returned home" || s.Reservation == nil ||
			s.Reservation.Released.IsZero() || s.Reservation.ReleasedBy != "social worker" {
			t.Fatalf("after cancel %+v", s)
		}
		for _, o := range s.Offers {
			if o.ProvisionID == first && o.Status != workflow.StatusWithdrawn {
				t.Errorf("accepted offer is %s after cancel", o.Status)
			}
		}
		wantCode(t, "cancelling twice", st.Cancel(ctx, ref, "", "again"), care.ECONFLICT)
		// The released place can be given to another referral.
		again := sendFromStore(t, st, OfferReferral(t), offers.SendOptions{ShortlistOptions: offers.ShortlistOptions{Chosen: []string{first}}})
		if _, err := offers.Make(ctx, st, again.Referral.Reference, first, 0, "p"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Accept(ctx, again.Referral.Reference, first, "c"); err != nil {
			t.Fatalf("accepting the released place: %v", err)
		}
	})
}

// testOffersPseudonymous checks that nothing the store gives back — the
// referrals with offers and events, and the audit log — holds the council's
// CHILD id, referral id, full date of birth or full postcode. (Each store's
// own tests also scan what it wrote to disk.)
func testOffersPseudonymous(t *testing.T, open OffersOpener) {
	st, _ := OpenWithSupply(t, open, nil, nil, nil)
	ctx := context.Background()
	sent := sendFromStore(t, st, OfferReferral(t), offers.SendOptions{})
	if _, err := offers.Decline(ctx, st, sent.Referral.Reference, sent.Offers[0].ProvisionID, workflow.ReasonLocation, "", "p"); err != nil {
		t.Fatal(err)
	}
	if sent.Referral.BirthMonth != "2012-05" || sent.Referral.HomeDistrict != "M32" {
		t.Fatalf("sent %+v", sent.Referral)
	}
	all, err := st.Referrals(ctx, workflow.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	audit, err := st.AuditLog(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal([]any{all, audit})
	if err != nil {
		t.Fatal(err)
	}
	for _, banned := range OfferBanned {
		if strings.Contains(string(b), banned) {
			t.Errorf("the store gives back %q", banned)
		}
	}
	if !strings.Contains(string(b), sent.Referral.Reference) || !strings.Contains(string(b), "known to police as") {
		t.Fatal("the stored referral lacks its reference or its redacted free text")
	}
}

// AcceptRacers is how many councils race for the same places in the
// concurrency tests and the race benchmark.
const AcceptRacers = 20

// raceAccept has each racer i accept refs[i]'s offer of H1 through
// handles[i] at the same moment and returns their errors.
func raceAccept(handles []OffersStore, refs []string, provisions []string) []error {
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make([]error, len(refs))
	for i := range refs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			_, errs[i] = handles[i].Accept(context.Background(), refs[i], provisions[i], fmt.Sprintf("council %d", i))
		}(i)
	}
	close(start)
	wg.Wait()
	return errs
}

// countWins counts successes, failing the test for any error but ECONFLICT.
func countWins(t testing.TB, errs []error) int {
	t.Helper()
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
	return won
}

// testAcceptRace has 20 councils race for the last places of one vacancy,
// each through its own handle on the database (as separate processes
// would) or all through one shared handle (a server's pool): exactly as
// many acceptances succeed as there are places, every other gets
// ECONFLICT, and the vacancy is never overbooked.
func testAcceptRace(t *testing.T, open OffersOpener) {
	for _, shared := range []bool{false, true} {
		for _, places := range []int{1, 3} {
			name := fmt.Sprintf("%dPlaces", places)
			if shared {
				name += "SharedHandle"
			}
			t.Run(name, func(t *testing.T) {
				provs, vacs := OfferSupply()
				vacs[0].Places = places // V-H1 of H1
				st, connect := OpenWithSupply(t, open, nil, provs, vacs)
				refs := make([]string, AcceptRacers)
				provisions := make([]string, AcceptRacers)
				handles := make([]OffersStore, AcceptRacers)
				for i := range refs {
					refs[i], provisions[i] = fmt.Sprintf("R-RACE-%04d", i), "H1"
					sendOne(t, st, refs[i], fmt.Sprintf("E0800%04d", i), "H1", 1, "", true)
					handles[i] = st
					if !shared {
						handles[i] = connect(t)
					}
				}
				won := countWins(t, raceAccept(handles, refs, provisions))
				if won != places {
					t.Fatalf("%d acceptances succeeded for %d places", won, places)
				}
				list, err := st.Referrals(context.Background(), workflow.Filter{ProvisionID: "H1"})
				if err != nil {
					t.Fatal(err)
				}
				reserved, accepted, placed := 0, 0, 0
				for _, s := range list {
					if s.Reservation != nil && s.Reservation.Released.IsZero() && s.Reservation.VacancyID == "V-H1" {
						reserved += s.Reservation.Places
					}
					if s.Offers[0].Status == workflow.StatusAccepted {
						accepted++
					}
					if s.Status == workflow.ReferralPlaced {
						placed++
					}
				}
				if left := vacancyPlaces(t, st, "V-H1"); reserved != places || accepted != places || placed != places || left != -1 {
					t.Fatalf("reserved %d, accepted %d, placed %d, vacancy left %d", reserved, accepted, placed, left)
				}
			})
		}
	}
}

// testAcceptRaceOneReferral has one council accept, at the same moment
// through separate handles, the offers of several providers for one
// referral: exactly one is accepted and only its place is taken.
func testAcceptRaceOneReferral(t *testing.T, open OffersOpener) {
	st, connect := OpenWithSupply(t, open, nil, nil, nil)
	ctx := context.Background()
	provisions := []string{"H1", "H2", "H3", "F1"}
	var list []workflow.Entry
	for k, p := range provisions {
		list = append(list, workflow.Entry{Rank: k + 1, ProvisionID: p, VacancyID: "V-" + p})
	}
	if _, err := st.SendReferral(ctx, workflow.SentReferral{Reference: "R-ONE-0001", Council: "E08000009"}, 1, list, "c"); err != nil {
		t.Fatal(err)
	}
	refs := make([]string, len(provisions))
	handles := make([]OffersStore, len(provisions))
	for i, p := range provisions {
		if _, err := offers.Make(ctx, st, "R-ONE-0001", p, 0, "p"); err != nil {
			t.Fatal(err)
		}
		refs[i], handles[i] = "R-ONE-0001", connect(t)
	}
	if won := countWins(t, raceAccept(handles, refs, provisions)); won != 1 {
		t.Fatalf("%d offers accepted for one referral", won)
	}
	s := mustReferral(t, st, "R-ONE-0001")
	accepted, taken := 0, 0
	for _, o := range s.Offers {
		if o.Status == workflow.StatusAccepted {
			accepted++
		}
	}
	_, vacs := OfferSupply()
	for _, v := range vacs {
		if got := vacancyPlaces(t, st, v.ID); got != v.Places {
			taken += v.Places - max(got, 0)
		}
	}
	if s.Status != workflow.ReferralPlaced || accepted != 1 || taken != 1 || s.Reservation == nil {
		t.Fatalf("status %s, %d accepted, %d places taken, reservation %+v", s.Status, accepted, taken, s.Reservation)
	}
}

// testAcceptChoosesVacancy checks which vacancy an acceptance takes: the
// shortlisted one while it has the places, else another of the provision's
// free by the referral's start date, and none free later.
func testAcceptChoosesVacancy(t *testing.T, open OffersOpener) {
	provs, vacs := OfferSupply()
	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
	vacs[0].Places = 1 // V-H1 from 1 March
	vacs = append(vacs,
		care.Vacancy{ID: "V-H1-LATE", ProvisionID: "H1", Places: 2, ValidFrom: day(31).AddDate(0, 0, 15), UpdatedAt: day(1)},
		care.Vacancy{ID: "V-H1-B", ProvisionID: "H1", Places: 1, ValidFrom: day(10), UpdatedAt: day(1)},
		care.Vacancy{ID: "V-H1-A", ProvisionID: "H1", Places: 1, ValidFrom: day(20), UpdatedAt: day(1)})
	st, _ := OpenWithSupply(t, open, nil, provs, vacs)
	ctx := context.Background()
	tests := []struct {
		ref, start string
		want       string // vacancy taken, "" for ECONFLICT
	}{
		{"R-VAC-0001", "2026-03-28", "V-H1"},      // shortlisted
		{"R-VAC-0002", "2026-03-28", "V-H1-B"},    // earliest free by the start date
		{"R-VAC-0003", "2026-03-28", "V-H1-A"},    // then the next
		{"R-VAC-0004", "2026-03-28", ""},          // V-H1-LATE is free only from 15 April
		{"R-VAC-0005", "2026-04-20", "V-H1-LATE"}, // ... which suits a later start
		{"R-VAC-0006", "", "V-H1-LATE"},           // no start date: any vacancy
		{"R-VAC-0007", "", ""},                    // all taken
	}
	for _, tc := range tests {
		sendOne(t, st, tc.ref, "E08000009", "H1", 1, tc.start, true)
		res, err := st.Accept(ctx, tc.ref, "H1", "c")
		if tc.want == "" {
			wantCode(t, tc.ref, err, care.ECONFLICT)
			continue
		}
		if err != nil || res.VacancyID != tc.want {
			t.Fatalf("%s (start %q): took %q, err %v; want %s", tc.ref, tc.start, res.VacancyID, err, tc.want)
		}
	}
}

func testSiblingGroup(t *testing.T, open OffersOpener) {
	st, _ := OpenWithSupply(t, open, nil, nil, nil)
	ctx := context.Background()
	sendOne(t, st, "R-SIBS-0001", "E08000009", "H1", 3, "", true) // V-H1 has 2 places: not enough for 3
	_, err := st.Accept(ctx, "R-SIBS-0001", "H1", "c")
	wantCode(t, "three siblings, two places", err, care.ECONFLICT)
	if vacancyPlaces(t, st, "V-H1") != 2 {
		t.Fatal("a failed acceptance changed the vacancy")
	}
	got := mustReferral(t, st, "R-SIBS-0001")
	if got.Status != workflow.ReferralOpen || got.Offers[0].Status != workflow.StatusOffered || got.Reservation != nil || got.GroupSize != 3 {
		t.Fatalf("a failed acceptance changed the referral: %+v", got)
	}
	sendOne(t, st, "R-SIBS-0002", "E08000009", "H1", 2, "", true)
	res, err := st.Accept(ctx, "R-SIBS-0002", "H1", "c")
	if err != nil || res.Places != 2 || res.PlacesLeft != 0 || vacancyPlaces(t, st, "V-H1") != -1 {
		t.Fatalf("two siblings, two places: %+v %v", res, err)
	}
}

func testSendReferralErrors(t *testing.T, open OffersOpener) {
	st, _ := OpenWithSupply(t, open, nil, nil, nil)
	ctx := context.Background()
	sr := workflow.SentReferral{Reference: "R-DUP-0001", Council: "E08000009"}
	e := workflow.Entry{Rank: 1, ProvisionID: "H1", VacancyID: "V-H1"}
	if _, err := st.SendReferral(ctx, sr, 1, []workflow.Entry{e}, "c"); err != nil {
		t.Fatal(err)
	}
	_, err := st.SendReferral(ctx, sr, 1, []workflow.Entry{e}, "c")
	wantCode(t, "reference used twice", err, care.ECONFLICT)
	sr.Reference = "R-NEW-0001"
	tests := []struct {
		name  string
		group int
		list  []workflow.Entry
	}{
		{"EmptyShortlist", 1, nil},
		{"ProvisionTwice", 1, []workflow.Entry{e, e}},
		{"RankTwice", 1, []workflow.Entry{e, {Rank: 1, ProvisionID: "H2", VacancyID: "V-H2"}}},
		{"NoVacancy", 1, []workflow.Entry{{Rank: 1, ProvisionID: "H2"}}},
		{"NoPlaces", 0, []workflow.Entry{e}},
		{"TooManyPlaces", 14, []workflow.Entry{e}},
	}
	for _, tc := range tests {
		_, err := st.SendReferral(ctx, sr, tc.group, tc.list, "c")
		wantCode(t, tc.name, err, care.EINVALID)
	}
	_, err = st.Referrals(ctx, workflow.Filter{Reference: "R-NEW-0001"})
	wantCode(t, "a refused send left a referral behind", err, care.ENOTFOUND)
	if all, err := st.Referrals(ctx, workflow.Filter{}); err != nil || len(all) != 1 {
		t.Fatalf("referrals after refused sends: %d, %v", len(all), err)
	}
}

// testSupplyRefreshKeepsOffers checks a supply refresh after offers exist
// neither fails nor loses the offer history.
func testSupplyRefreshKeepsOffers(t *testing.T, open OffersOpener) {
	st, _ := OpenWithSupply(t, open, nil, nil, nil)
	ctx := context.Background()
	sent := sendFromStore(t, st, OfferReferral(t), offers.SendOptions{})
	provs, vacs := OfferSupply()
	if err := st.ReplaceSupply(ctx, provs[:2], vacs[:2]); err != nil {
		t.Fatalf("supply refresh after offers: %v", err)
	}
	got := mustReferral(t, st, sent.Referral.Reference)
	if len(got.Offers) != len(sent.Offers) {
		t.Fatalf("offers after refresh: %+v", got)
	}
}

// testDeclines checks the aggregate over a fixture of declines made at
// known times, by council, provider and period.
func testDeclines(t *testing.T, open OffersOpener) {
	var mu sync.Mutex
	var clock time.Time
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return clock
	}
	set := func(t time.Time) {
		mu.Lock()
		defer mu.Unlock()
		clock = t
	}
	st, _ := OpenWithSupply(t, open, now, nil, nil)
	ctx := context.Background()
	day := func(d int) time.Time { return time.Date(2026, 3, d, 12, 0, 0, 0, time.UTC) }
	type decline struct {
		council, provision string
		reason             workflow.Reason
		day                int
	}
	fixture := []decline{
		{"E08000009", "H1", workflow.ReasonNoVacancy, 2},
		{"E08000009", "H2", workflow.ReasonPrice, 3},
		{"E08000009", "H3", workflow.ReasonNoVacancy, 10},
		{"E08000001", "H1", workflow.ReasonNoVacancy, 11},
		{"E08000001", "H2", workflow.ReasonOther, 20},
		{"E08000001", "F1", workflow.ReasonStaffing, 25},
	}
	names := map[string]string{"H1": "Acme Care", "H2": "Beacon Homes", "H3": "Acme Care", "F1": "Stockport Council"}
	for i, d := range fixture {
		set(day(d.day))
		ref := fmt.Sprintf("R-DECL-%04d", i)
		e := workflow.Entry{Rank: 1, ProvisionID: d.provision, VacancyID: "V-" + d.provision, Provider: names[d.provision]}
		if _, err := st.SendReferral(ctx, workflow.SentReferral{Reference: ref, Council: d.council}, 1, []workflow.Entry{e}, "c"); err != nil {
			t.Fatal(err)
		}
		note := ""
		if d.reason == workflow.ReasonOther {
			note = "home closing"
		}
		if _, err := offers.Decline(ctx, st, ref, d.provision, d.reason, note, names[d.provision]); err != nil {
			t.Fatal(err)
		}
	}
	// An offer that was made, not declined, is not counted.
	set(day(12))
	if _, err := st.SendReferral(ctx, workflow.SentReferral{Reference: "R-OFFR-0001", Council: "E08000009"}, 1,
		[]workflow.Entry{{Rank: 1, ProvisionID: "H1", VacancyID: "V-H1", Provider: "Acme Care"}}, "c"); err != nil {
		t.Fatal(err)
	}
	if _, err := offers.Make(ctx, st, "R-OFFR-0001", "H1", 0, "p"); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name       string
		f          workflow.DeclineFilter
		total      int
		noVacancy  int
		acme       int
		topCouncil string
	}{
		{"All", workflow.DeclineFilter{}, 6, 3, 3, "E08000001"},
		{"Period", workflow.DeclineFilter{From: day(3).Truncate(24 * time.Hour), To: day(20).Truncate(24 * time.Hour)}, 3, 2, 2, "E08000009"},
		{"PeriodEndsAtDecline", workflow.DeclineFilter{From: day(2), To: day(11)}, 3, 2, 2, "E08000009"},
		{"Council", workflow.DeclineFilter{Council: "E08000001"}, 3, 1, 1, "E08000001"},
		{"Provider", workflow.DeclineFilter{Provider: "Acme Care"}, 3, 3, 3, "E08000009"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := offers.Declines(ctx, st, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Total != tc.total || rep.ByReason[0].Reason != workflow.ReasonNoVacancy || rep.ByReason[0].Count != tc.noVacancy {
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
	counts, err := st.Declines(ctx, workflow.DeclineFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range counts {
		got = append(got, fmt.Sprintf("%s/%s/%s/%d", c.Council, c.Provider, c.Reason, c.Count))
	}
	want := []string{"E08000001/Acme Care/no_vacancy/1", "E08000001/Beacon Homes/other/1", "E08000001/Stockport Council/staffing/1",
		"E08000009/Acme Care/no_vacancy/2", "E08000009/Beacon Homes/price/1"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Declines:\n got  %v\n want %v", got, want)
	}
	_, err = st.Declines(ctx, workflow.DeclineFilter{From: day(5), To: day(5)})
	wantCode(t, "empty period", err, care.EINVALID)
}

func testCancel(t *testing.T, open OffersOpener) {
	ctx := context.Background()
	t.Run("OpenReferral", func(t *testing.T) {
		st, _ := OpenWithSupply(t, open, nil, nil, nil)
		sendOne(t, st, "R-OPEN-0001", "E08000009", "H2", 1, "", true)
		if err := st.Cancel(ctx, "R-OPEN-0001", "", "sw"); err != nil {
			t.Fatal(err)
		}
		got := mustReferral(t, st, "R-OPEN-0001")
		if got.Status != workflow.ReferralCancelled || got.Offers[0].Status != workflow.StatusWithdrawn || got.Reservation != nil || got.UpdatedBy != "sw" {
			t.Fatalf("%+v", got)
		}
		if vacancyPlaces(t, st, "V-H2") != 1 {
			t.Fatal("cancelling an open referral changed a vacancy")
		}
		_, err := st.Accept(ctx, "R-OPEN-0001", "H2", "c")
		wantCode(t, "accept after cancel", err, care.ECONFLICT)
		_, err = offers.Decline(ctx, st, "R-OPEN-0001", "H2", workflow.ReasonRisk, "", "p")
		wantCode(t, "decline after cancel", err, care.ECONFLICT)
		wantCode(t, "cancel unknown", st.Cancel(ctx, "R-NONE-0000", "", "sw"), care.ENOTFOUND)
		wantCode(t, "cancel without reference", st.Cancel(ctx, " ", "", "sw"), care.EINVALID)
	})
	t.Run("GivesPlacesBack", func(t *testing.T) {
		st, _ := OpenWithSupply(t, open, nil, nil, nil)
		sendOne(t, st, "R-BACK-0001", "E08000009", "H1", 1, "", true) // V-H1 has two places
		if _, err := st.Accept(ctx, "R-BACK-0001", "H1", "c"); err != nil {
			t.Fatal(err)
		}
		if vacancyPlaces(t, st, "V-H1") != 1 {
			t.Fatal("the place was not taken")
		}
		if err := st.Cancel(ctx, "R-BACK-0001", "", "sw"); err != nil {
			t.Fatal(err)
		}
		if n := vacancyPlaces(t, st, "V-H1"); n != 2 {
			t.Fatalf("V-H1 has %d places after release; want 2", n)
		}
		ev, err := st.AuditLog(ctx, store.AuditFilter{Action: "offer release"})
		if err != nil || len(ev) != 1 || !strings.Contains(ev[0].Detail, "given back") || ev[0].Council != "E08000009" || ev[0].Actor != "sw" {
			t.Fatalf("audit %+v %v", ev, err)
		}
	})
	t.Run("RestoresUsedUpVacancy", func(t *testing.T) {
		st, _ := OpenWithSupply(t, open, nil, nil, nil)
		sendOne(t, st, "R-USED-0001", "E08000009", "H2", 1, "", true) // V-H2 has one place
		if _, err := st.Accept(ctx, "R-USED-0001", "H2", "c"); err != nil {
			t.Fatal(err)
		}
		if vacancyPlaces(t, st, "V-H2") != -1 {
			t.Fatal("a used-up vacancy was kept")
		}
		if err := st.Cancel(ctx, "R-USED-0001", "", "sw"); err != nil {
			t.Fatal(err)
		}
		vs, err := st.Vacancies(ctx, store.VacancyFilter{ProvisionIDs: []string{"H2"}})
		if err != nil || len(vs) != 1 || vs[0].ID != "V-H2" || vs[0].Places != 1 || vs[0].ValidFrom.Format("2006-01-02") != "2026-03-01" {
			t.Fatalf("restored vacancy %+v %v", vs, err)
		}
		got := mustReferral(t, st, "R-USED-0001")
		if got.Reservation == nil || got.Reservation.ReleasedBy != "sw" || got.Reservation.Released.IsZero() {
			t.Fatalf("reservation after release %+v", got.Reservation)
		}
	})
	t.Run("VacancyIDReused", func(t *testing.T) {
		st, _ := OpenWithSupply(t, open, nil, nil, nil)
		sendOne(t, st, "R-REUS-0001", "E08000009", "H2", 1, "", true)
		if _, err := st.Accept(ctx, "R-REUS-0001", "H2", "c"); err != nil {
			t.Fatal(err)
		}
		// The refreshed supply gives the id V-H2 to a vacancy of H3.
		provs, vacs := OfferSupply()
		vacs[1].ProvisionID = "H3"
		if err := st.ReplaceSupply(ctx, provs, vacs); err != nil {
			t.Fatal(err)
		}
		if err := st.Cancel(ctx, "R-REUS-0001", "", "sw"); err != nil {
			t.Fatal(err)
		}
		vs, err := st.Vacancies(ctx, store.VacancyFilter{ProvisionIDs: []string{"H2"}})
		if err != nil || len(vs) != 1 || vs[0].ID != "V-H2-released-R-REUS-0001" || vs[0].Places != 1 {
			t.Fatalf("H2's vacancies after release %+v %v", vs, err)
		}
		if n := vacancyPlaces(t, st, "V-H2"); n != 1 {
			t.Fatalf("H3's vacancy V-H2 has %d places; want 1 (untouched)", n)
		}
	})
	t.Run("ProvisionGoneFromSupply", func(t *testing.T) {
		st, _ := OpenWithSupply(t, open, nil, nil, nil)
		sendOne(t, st, "R-GONE-0001", "E08000009", "H3", 1, "", true)
		if _, err := st.Accept(ctx, "R-GONE-0001", "H3", "c"); err != nil {
			t.Fatal(err)
		}
		provs, vacs := OfferSupply()
		if err := st.ReplaceSupply(ctx, provs[:2], vacs[:2]); err != nil { // H3 closed
			t.Fatal(err)
		}
		if err := st.Cancel(ctx, "R-GONE-0001", "", "sw"); err != nil {
			t.Fatal(err)
		}
		if n, _ := st.Vacancies(ctx, store.VacancyFilter{ProvisionIDs: []string{"H3"}}); len(n) != 0 {
			t.Fatalf("a vacancy was made for a provision no longer in the supply: %+v", n)
		}
		ev, _ := st.AuditLog(ctx, store.AuditFilter{Action: "offer release"})
		if len(ev) != 1 || !strings.Contains(ev[0].Detail, "no longer in the supply") {
			t.Fatalf("audit %+v", ev)
		}
	})
}

// BenchAccept is the acceptance benchmark every offers store runs:
//
//   - serial: one handle accepts offers one after another (each a full
//     transaction: state checks, the guarded UPDATE of the vacancy, the
//     reservation, two events, audit entries); reports accepts/s.
//   - race20: 20 councils, each through its own handle on the database (as
//     20 processes would), race to accept the last 5 places of one vacancy;
//     each race checks exactly 5 succeed and 15 get ECONFLICT. Sending the
//     referrals and offers is outside the timer; reports attempts/s.
func BenchAccept(b *testing.B, open OffersOpener) {
	ctx := context.Background()
	// prepare sends n referrals, each shortlisting only H1 with its offer
	// made, and sets V-H1's places.
	prepare := func(b *testing.B, st OffersStore, prefix string, n, places int) []string {
		b.Helper()
		refs := make([]string, n)
		for i := range refs {
			refs[i] = fmt.Sprintf("R-%s-%06d", prefix, i)
			sendOne(b, st, refs[i], fmt.Sprintf("E0800%04d", i%50), "H1", 1, "", true)
		}
		provs, vacs := OfferSupply()
		vacs[0].Places = places
		if err := st.ReplaceSupply(ctx, provs, vacs); err != nil {
			b.Fatal(err)
		}
		return refs
	}
	b.Run("serial", func(b *testing.B) {
		st, _ := OpenWithSupply(b, open, time.Now, nil, nil)
		refs := prepare(b, st, "SER", b.N, b.N+1)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := st.Accept(ctx, refs[i], "H1", "council"); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "accepts/s")
	})
	b.Run("race20", func(b *testing.B) {
		const places = 5
		st, connect := OpenWithSupply(b, open, time.Now, nil, nil)
		handles := make([]OffersStore, AcceptRacers)
		provisions := make([]string, AcceptRacers)
		for i := range handles {
			handles[i], provisions[i] = connect(b), "H1"
		}
		b.ResetTimer()
		for n := 0; n < b.N; n++ {
			b.StopTimer()
			refs := prepare(b, st, fmt.Sprintf("RACE%d", n), AcceptRacers, places)
			b.StartTimer()
			errs := raceAccept(handles, refs, provisions)
			b.StopTimer()
			if won := countWins(b, errs); won != places {
				b.Fatalf("%d acceptances succeeded for %d places", won, places)
			}
			b.StartTimer()
		}
		b.ReportMetric(float64(b.N*AcceptRacers)/b.Elapsed().Seconds(), "attempts/s")
	})
}
