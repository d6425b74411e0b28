package workflow

import (
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"sufficiency/care"
)

// The limits of the offers workflow, each on, below and above: a referral
// places 1 (the child) to 13 (with 12 siblings); a vacancy 0 to
// MaxVacancyPlaces; conditions and notes up to 500 characters; a decline
// period's From strictly before its To.

func TestCheckReferralLimits(t *testing.T) {
	r := SentReferral{Reference: "R-AAAA-BBBB", Council: "E08000003"}
	one := []Entry{{ProvisionID: "P1", VacancyID: "V1"}}
	tests := []struct {
		name  string
		r     SentReferral
		group int
		list  []Entry
		want  string // "" for valid; else a fragment of the message
	}{
		{"NoPlaces", r, 0, one, "0 places needed"},
		{"TheChildAlone", r, 1, one, ""},
		{"TwelveSiblings", r, 13, one, ""},
		{"ThirteenSiblings", r, 14, one, "14 places needed"},
		{"Negative", r, -1, one, "-1 places needed"},
		{"NoReference", SentReferral{Reference: "  "}, 1, one, "no reference"},
		{"EmptyShortlist", r, 1, nil, "shortlist is empty"},
		{"NoVacancyID", r, 1, []Entry{{ProvisionID: "P1"}}, "no provision or vacancy id"},
		{"NoProvisionID", r, 1, []Entry{{VacancyID: "V1"}}, "no provision or vacancy id"},
		{"Twice", r, 1, []Entry{{ProvisionID: "P1", VacancyID: "V1"}, {ProvisionID: "P1", VacancyID: "V2"}}, "provision P1 is on the shortlist twice"},
		{"TwoProvisions", r, 2, []Entry{{ProvisionID: "P1", VacancyID: "V1"}, {ProvisionID: "P2", VacancyID: "V1"}}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, err := CheckReferral(tc.r, tc.group, tc.list)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("CheckReferral: %v", err)
				}
				var back SentReferral
				if err := json.Unmarshal(data, &back); err != nil || back.Reference != tc.r.Reference || back.Council != tc.r.Council {
					t.Fatalf("stored form %s does not read back as the referral (%v)", data, err)
				}
				return
			}
			if care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("CheckReferral: %v; want EINVALID with %q", err, tc.want)
			}
			if data != nil {
				t.Errorf("data %s returned with an error", data)
			}
		})
	}
}

func TestRank(t *testing.T) {
	for _, tc := range []struct{ rank, k, want int }{
		{0, 0, 1}, {0, 4, 5}, {-1, 2, 3}, {1, 7, 1}, {2, 0, 2},
	} {
		if got := Rank(Entry{Rank: tc.rank}, tc.k); got != tc.want {
			t.Errorf("Rank(rank %d, k %d) = %d; want %d", tc.rank, tc.k, got, tc.want)
		}
	}
}

func TestVacancyUpdateLimits(t *testing.T) {
	tests := []struct {
		name string
		v    VacancyUpdate
		want string
	}{
		{"NoneFree", VacancyUpdate{ProvisionID: "P1", Places: 0}, ""},
		{"BelowZero", VacancyUpdate{ProvisionID: "P1", Places: -1}, "places: -1 is out of range"},
		{"AtMost", VacancyUpdate{ProvisionID: "P1", Places: MaxVacancyPlaces}, ""},
		{"AboveMost", VacancyUpdate{ProvisionID: "P1", Places: MaxVacancyPlaces + 1}, "places: 51 is out of range"},
		{"NoProvision", VacancyUpdate{ProvisionID: " ", Places: 1}, "provision: missing"},
		{"FreePrice", VacancyUpdate{ProvisionID: "P1", Places: 1, WeeklyPrice: 0}, ""},
		{"NegativePrice", VacancyUpdate{ProvisionID: "P1", Places: 1, WeeklyPrice: -1}, "weekly_price"},
	}
	if MaxVacancyPlaces != 50 {
		t.Fatalf("MaxVacancyPlaces = %d; the register's largest homes have fewer than 50 places", MaxVacancyPlaces)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.v.Check()
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("%v; want EINVALID with %q", err, tc.want)
			}
		})
	}
}

func TestChangeCheckConditionsAndNoteLimits(t *testing.T) {
	offer := func(cond string) Change {
		return Change{Referral: "R1", ProvisionID: "P1", Action: ActionOffer, Conditions: cond}
	}
	// Characters, not bytes: 500 "é" are 1,000 bytes and still within the limit.
	if err := offer(strings.Repeat("é", MaxConditions)).Check(); err != nil {
		t.Errorf("500 characters of conditions: %v", err)
	}
	if err := offer("  " + strings.Repeat("x", MaxConditions) + "  ").Check(); err != nil {
		t.Errorf("500 characters with spaces around: %v", err)
	}
	if err := offer(strings.Repeat("x", MaxConditions+1)).Check(); care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "501 characters") {
		t.Errorf("501 characters of conditions: %v; want EINVALID naming 501", err)
	}
	if err := (Change{Referral: "R1", ProvisionID: "P1", Action: ActionOffer, Price: 0}).Check(); err != nil {
		t.Errorf("an offer at the usual price: %v", err)
	}
	if err := (Change{Referral: "R1", ProvisionID: "P1", Action: ActionOffer, Note: "n"}).Check(); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("an offer with a note: %v; want EINVALID", err)
	}
	if err := (Change{Referral: "R1", ProvisionID: "P1", Action: ActionDecline, Reason: ReasonRisk, Conditions: "visits"}).Check(); care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "no conditions") {
		t.Errorf("a decline with conditions: %v; want EINVALID", err)
	}
	if err := (Change{Referral: "R1", ProvisionID: "P1", Action: ActionDecline, Reason: ReasonRisk, Conditions: "  "}).Check(); err != nil {
		t.Errorf("a decline with blank conditions: %v", err)
	}
	if err := (Change{Referral: "R1", ProvisionID: "P1", Action: ActionDecline, Reason: ReasonPrice, Price: -1}).Check(); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("a decline with a negative price: %v; want EINVALID", err)
	}
	// The note of reason other: 500 characters on, 501 above.
	if err := CheckDecline(ReasonOther, strings.Repeat("é", MaxNote)); err != nil {
		t.Errorf("a 500-character note: %v", err)
	}
	if err := CheckDecline(ReasonOther, strings.Repeat("x", MaxNote+1)); err == nil || !strings.Contains(err.Error(), "501 characters") {
		t.Errorf("a 501-character note: %v; want the count", err)
	}
}

func TestCheckDeclinesPeriod(t *testing.T) {
	d := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	tests := []struct {
		name     string
		from, to time.Time
		ok       bool
	}{
		{"Everything", time.Time{}, time.Time{}, true},
		{"FromOnly", d("2025-04-01"), time.Time{}, true},
		{"ToOnly", time.Time{}, d("2025-04-01"), true},
		{"OneDay", d("2025-03-31"), d("2025-04-01"), true},
		{"Empty", d("2025-04-01"), d("2025-04-01"), false},
		{"Backwards", d("2025-04-02"), d("2025-04-01"), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckDeclines(DeclineFilter{From: tc.from, To: tc.to})
			if (err == nil) != tc.ok {
				t.Fatalf("err %v; want ok=%v", err, tc.ok)
			}
			if err != nil && (care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "its first day "+tc.from.Format(time.DateOnly)+" is not before the day it ends 2025-04-01") || strings.Contains(err.Error(), "--")) {
				t.Errorf("message %v does not name the dates", err)
			}
		})
	}
}

func TestCheckAcceptAndCancel(t *testing.T) {
	for _, tc := range []struct {
		ref, prov string
		ok        bool
	}{{"R1", "P1", true}, {"", "P1", false}, {"R1", " ", false}, {" ", "", false}} {
		if err := CheckAccept(tc.ref, tc.prov); (err == nil) != tc.ok || (err != nil && care.ErrorCode(err) != care.EINVALID) {
			t.Errorf("CheckAccept(%q, %q) = %v; want ok=%v", tc.ref, tc.prov, err, tc.ok)
		}
	}
	if err := CheckCancel("R1"); err != nil {
		t.Errorf("CheckCancel(R1) = %v", err)
	}
	if err := CheckCancel("  "); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("CheckCancel(blank) = %v; want EINVALID", err)
	}
}

func TestErrorsSayWhatToDo(t *testing.T) {
	tests := []struct {
		err  error
		code string
		want string
	}{
		{ErrReferenceUsed("R1"), care.ECONFLICT, "referral reference R1 is already used"},
		{ErrRankTwice("R1", 3), care.EINVALID, "rank 3 is given twice"},
		{ErrNoReferral("R9"), care.ENOTFOUND, `no referral "R9"`},
		{ErrNotShortlisted("R1", "P9", []string{"P1", "P2"}), care.ENOTFOUND, `provision "P9" was not sent referral R1; only its shortlist can answer: P1, P2`},
		{ErrNoOffer("R1", "P9"), care.ENOTFOUND, `provision "P9" was not sent referral R1`},
		{ErrOfferChanged("R1", "P1"), care.ECONFLICT, "the offer of P1 for referral R1 changed meanwhile; look at it again"},
		{ErrReferralChanged("R1"), care.ECONFLICT, "referral R1 changed meanwhile"},
		{ErrAlreadyAccepted("R1"), care.ECONFLICT, "already has an accepted offer"},
		{errAlreadyPlaced("R1", "P2"), care.ECONFLICT, "already placed with P2"},
		{ErrHasReservation("R1"), care.ECONFLICT, "already has a reservation"},
		{ErrNoVacancy("P1", 1, ""), care.ECONFLICT, "provision P1 has no vacancy with a place free any more"},
		{ErrNoVacancy("P1", 2, ""), care.ECONFLICT, "with 2 places together free any more"},
		{ErrNoVacancy("P1", 1, "2025-04-01"), care.ECONFLICT, "with a place free by 2025-04-01 any more"},
		{notOpen("R1", ReferralPlaced), care.ECONFLICT, "referral R1 is already placed"},
		{notOpen("R1", ReferralCancelled), care.ECONFLICT, "referral R1 was cancelled"},
	}
	for _, tc := range tests {
		if care.ErrorCode(tc.err) != tc.code || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("%v; want %s with %q", tc.err, tc.code, tc.want)
		}
		if strings.Contains(tc.err.Error(), "--") || strings.Contains(tc.err.Error(), "offer list") {
			t.Errorf("%v names a flag or a command: the edge adds how to fix it", tc.err)
		}
	}
}

func TestAuditDetails(t *testing.T) {
	for got, want := range map[string]string{
		SendDetail("R1", []string{"P1", "P2"}): "referral R1 sent to 2 providers: P1, P2",
		ReleasedGone("R1", "P1"):               "referral R1: provision P1 is no longer in the supply; no place to give back",
		ReleasedRestored("R1", "V1", "P1", 2):  "referral R1: vacancy V1 of P1 restored with 2 place(s)",
		ReleasedBack("R1", "V1", "P1", 3):      "referral R1: 3 place(s) given back to vacancy V1 of P1",
		ReleasedVacancyID("V1", "R1"):          "V1-released-R1",
		respondDetail(Change{Referral: "R1", ProvisionID: "P1", Reason: ReasonPrice}, StatusPending, StatusDeclined): "referral R1, provision P1: pending → declined (price)",
	} {
		if got != want {
			t.Errorf("got %q; want %q", got, want)
		}
	}
}

func TestReasonLabel(t *testing.T) {
	for r, want := range map[Reason]string{
		ReasonNoVacancy: "no vacancy", ReasonStatementOfPurpose: "outside statement of purpose",
		ReasonImpact: "impact on current group", ReasonOther: "other", "mystery": "mystery",
	} {
		if got := r.Label(); got != want {
			t.Errorf("%q.Label() = %q; want %q", r, got, want)
		}
	}
}

func TestDescribe(t *testing.T) {
	for _, tc := range []struct {
		o    Offer
		want string
	}{
		{Offer{Status: StatusDeclined, Reason: ReasonStaffing}, "declined: staffing"},
		{Offer{Status: StatusDeclined, Reason: ReasonOther, Note: "closing"}, "declined: other (closing)"},
		{Offer{Status: StatusOffered}, "offered"},
		{Offer{Status: StatusOffered, OfferedPrice: 1}, "offered at £0.01 a week"},
		{Offer{Status: StatusOffered, OfferedPrice: 452050}, "offered at £4520.50 a week"},
		{Offer{Status: StatusPending, OfferedPrice: 100}, "pending"},
		{Offer{Status: StatusAccepted}, "accepted"},
	} {
		if got := tc.o.Describe(); got != tc.want {
			t.Errorf("Describe(%+v) = %q; want %q", tc.o, got, tc.want)
		}
	}
}

func TestNewReferenceShape(t *testing.T) {
	// "R-" and two groups of four of Crockford's base 32 (no I, L, O, U).
	shape := regexp.MustCompile(`^R-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$`)
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		r := NewReference()
		if !shape.MatchString(r) {
			t.Fatalf("NewReference() = %q; want R-XXXX-XXXX in Crockford's base 32", r)
		}
		if seen[r] {
			t.Fatalf("NewReference gave %q twice in 200", r)
		}
		seen[r] = true
	}
}

const draftReferral = `{"id": "REF1", "council": "e08000003", "child_id": "C1", "date_of_birth": "2012-05",
  "needed_by": "in less than 5 days", "home_postcode": "M14 5"}`

func TestNewDraft(t *testing.T) {
	d, ref, err := NewDraft([]byte(draftReferral), "R-TEST-0001", true)
	if err != nil {
		t.Fatal(err)
	}
	if d.Reference != "R-TEST-0001" || d.Council != "E08000003" || d.ChildID != "C1" || !d.Emergency {
		t.Errorf("draft %+v", d)
	}
	if ref.ID != "REF1" || ref.Council != "E08000003" {
		t.Errorf("referral %+v", ref)
	}
	// Stored compact, and reads back as the same referral.
	if strings.ContainsAny(string(d.Referral), "\n ") && strings.Contains(string(d.Referral), ": ") {
		t.Errorf("referral stored uncompacted: %s", d.Referral)
	}
	back, err := d.Parse()
	if err != nil || !reflect.DeepEqual(back, ref) {
		t.Errorf("Parse() = %+v, %v; want %+v", back, err, ref)
	}

	d, _, err = NewDraft([]byte(draftReferral), "", false)
	if err != nil || !strings.HasPrefix(d.Reference, "R-") || len(d.Reference) != len("R-XXXX-XXXX") || d.Emergency {
		t.Errorf("no reference given: draft %+v, %v; want a fresh reference", d, err)
	}

	noCouncil := strings.Replace(draftReferral, `"council": "e08000003", `, "", 1)
	if _, _, err := NewDraft([]byte(noCouncil), "", false); care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "referral.council: missing") {
		t.Errorf("no council: %v; want EINVALID naming referral.council", err)
	}
	if _, _, err := NewDraft([]byte(`{"id": "REF1"}`), "", false); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("invalid referral: %v; want EINVALID", err)
	}
	if _, err := (Draft{Referral: json.RawMessage(`{"id": 3}`)}).Parse(); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("Parse of a bad draft: %v; want EINVALID", err)
	}
}

// acceptTx is memTx with the steps of an acceptance and of sending.
type acceptTx struct {
	memTx
	group    int
	start    string
	with     string
	vacancy  Taken
	noPlaces bool
	failAt   string // the step that fails
}

var errStep = errors.New("step failed")

func (a *acceptTx) fail(step string) error {
	if a.failAt == step {
		return errStep
	}
	return nil
}

func (a *acceptTx) Referral(ref string) (ReferralStatus, string, int, string, error) {
	return a.status, "E1", a.group, a.start, a.fail("referral")
}

func (a *acceptTx) AcceptedWith(ref string) (string, error) { return a.with, a.fail("acceptedwith") }

func (a *acceptTx) TakePlaces(provision string, group int, start, shortlisted string) (Taken, error) {
	a.steps = append(a.steps, "take "+provision+" "+start+" "+shortlisted+" "+strings.Repeat("+", group))
	if a.noPlaces {
		return Taken{}, ErrNoVacancy(provision, group, start)
	}
	return a.vacancy, a.fail("take")
}

func (a *acceptTx) PlaceReferral(ref string, from, to ReferralStatus) error {
	a.steps = append(a.steps, "place "+string(from)+" "+string(to))
	a.status = to
	return a.fail("place")
}

func (a *acceptTx) Reserve(ref, provision string, group int, taken Taken) error {
	a.steps = append(a.steps, "reserve "+provision+" "+taken.VacancyID)
	return a.fail("reserve")
}

func (a *acceptTx) AddReferral(r SentReferral, group int, start any, data []byte) error {
	a.steps = append(a.steps, "add "+r.Reference+" "+string(data))
	return a.fail("add")
}

func (a *acceptTx) AddOffer(ref string, e Entry, rank int) error {
	a.steps = append(a.steps, "addoffer "+e.ProvisionID+" "+strings.Repeat("#", rank))
	return a.fail("addoffer")
}

func TestAccept(t *testing.T) {
	a := &acceptTx{memTx: memTx{status: ReferralOpen, offers: []OpenOffer{
		{"P1", StatusPending}, {"P2", StatusOffered}, {"P3", StatusDeclined}, {"P4", StatusOffered}}},
		group: 2, start: "2025-04-01", vacancy: Taken{VacancyID: "V-P2", Left: 1}}
	res, err := Accept(a, "R1", "P2")
	if err != nil {
		t.Fatal(err)
	}
	if want := (Reservation{Referral: "R1", ProvisionID: "P2", VacancyID: "V-P2", Places: 2, PlacesLeft: 1}); res != want {
		t.Errorf("reservation %+v; want %+v", res, want)
	}
	want := []string{
		"take P2 2025-04-01 V-P2 ++", "offer P2 accepted", "place open placed", "reserve P2 V-P2",
		"event accept accepted", "event accept placed",
		"audit offer accept: referral R1, provision P2: accepted; 2 place(s) of vacancy V-P2 reserved, 1 left",
		// the other open offers are withdrawn, the accepted one kept
		"offer P1 withdrawn", "event withdraw withdrawn", "audit offer withdraw: referral R1, provision P1: pending → withdrawn (another offer was accepted)",
		"offer P4 withdrawn", "event withdraw withdrawn", "audit offer withdraw: referral R1, provision P4: offered → withdrawn (another offer was accepted)",
	}
	if !reflect.DeepEqual(a.steps, want) {
		t.Errorf("steps\n%q\nwant\n%q", a.steps, want)
	}
	if a.offers[1].Status != StatusAccepted || a.offers[2].Status != StatusDeclined {
		t.Errorf("offers after %+v", a.offers)
	}
}

func TestAcceptRefused(t *testing.T) {
	tests := []struct {
		name   string
		status ReferralStatus
		offer  Status
		setup  func(*acceptTx)
		code   string
		want   string
	}{
		{"AlreadyPlaced", ReferralPlaced, StatusOffered, func(a *acceptTx) { a.with = "P7" }, care.ECONFLICT, "already placed with P7"},
		{"PlacedLookupFails", ReferralPlaced, StatusOffered, func(a *acceptTx) { a.failAt = "acceptedwith" }, "", "step failed"},
		{"Cancelled", ReferralCancelled, StatusOffered, nil, care.ECONFLICT, "referral R1: the referral was cancelled"},
		{"NotOffered", ReferralOpen, StatusPending, nil, care.ECONFLICT, "P1 for referral R1: cannot accept now"},
		{"NoPlaces", ReferralOpen, StatusOffered, func(a *acceptTx) { a.noPlaces = true }, care.ECONFLICT, "has no vacancy"},
		{"ReferralFails", ReferralOpen, StatusOffered, func(a *acceptTx) { a.failAt = "referral" }, "", "step failed"},
		{"ReserveFails", ReferralOpen, StatusOffered, func(a *acceptTx) { a.failAt = "reserve" }, "", "step failed"},
		{"PlaceFails", ReferralOpen, StatusOffered, func(a *acceptTx) { a.failAt = "place" }, "", "step failed"},
		{"TakeFails", ReferralOpen, StatusOffered, func(a *acceptTx) { a.failAt = "take" }, "", "step failed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := &acceptTx{memTx: memTx{status: tc.status, offers: []OpenOffer{{"P1", tc.offer}}}, group: 1}
			if tc.setup != nil {
				tc.setup(a)
			}
			res, err := Accept(a, "R1", "P1")
			if err == nil || (tc.code != "" && care.ErrorCode(err) != tc.code) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Accept: %v; want %s with %q", err, tc.code, tc.want)
			}
			if res != (Reservation{}) {
				t.Errorf("reservation %+v returned with an error", res)
			}
		})
	}
	a := &acceptTx{memTx: memTx{status: ReferralOpen}, group: 1}
	if _, err := Accept(a, "R1", "P9"); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("not shortlisted: %v; want ENOTFOUND", err)
	}
}

func TestSend(t *testing.T) {
	a := &acceptTx{memTx: memTx{status: ReferralOpen}}
	r := SentReferral{Reference: "R1", Council: "E1"}
	list := []Entry{{ProvisionID: "P1"}, {ProvisionID: "P2", Rank: 5}, {ProvisionID: "P3"}}
	if err := Send(a, r, 1, list, nil, []byte("{}")); err != nil {
		t.Fatal(err)
	}
	want := []string{"add R1 {}", "addoffer P1 #", "addoffer P2 #####", "addoffer P3 ###",
		"event send open", "audit offer send: referral R1 sent to 3 providers: P1, P2, P3"}
	if !reflect.DeepEqual(a.steps, want) {
		t.Errorf("steps\n%q\nwant\n%q", a.steps, want)
	}
	for _, step := range []string{"add", "addoffer"} {
		a := &acceptTx{memTx: memTx{status: ReferralOpen}, failAt: step}
		if err := Send(a, r, 1, list, nil, nil); !errors.Is(err, errStep) {
			t.Errorf("%s fails: Send = %v", step, err)
		}
		if strings.Contains(strings.Join(a.steps, "|"), "event") {
			t.Errorf("%s fails: Send went on: %q", step, a.steps)
		}
	}
}

func TestRespondRecordsTheAnswer(t *testing.T) {
	m := &answerTx{memTx: memTx{status: ReferralOpen, offers: []OpenOffer{{"P1", StatusPending}}}}
	c := Change{Referral: "R1", ProvisionID: "P1", Action: ActionDecline, Reason: ReasonOther, Note: "  closing  ", Conditions: " ", Price: 0}
	if err := Respond(m, c); err != nil {
		t.Fatal(err)
	}
	if want := (Answer{Reason: ReasonOther, Note: "closing"}); m.answer == nil || *m.answer != want {
		t.Errorf("answer %+v; want %+v", m.answer, want)
	}
	if m.event != "decline pending declined other closing" {
		t.Errorf("event %q", m.event)
	}
	wantAudit := "audit offer decline: referral R1, provision P1: pending → declined (other)"
	if last := m.steps[len(m.steps)-1]; last != wantAudit {
		t.Errorf("audit %q; want %q", last, wantAudit)
	}

	m = &answerTx{memTx: memTx{status: ReferralOpen, offers: []OpenOffer{{"P1", StatusPending}}}}
	if err := Respond(m, Change{Referral: "R1", ProvisionID: "P1", Action: ActionOffer, Price: 420000, Conditions: " two visits "}); err != nil {
		t.Fatal(err)
	}
	if want := (Answer{Price: 420000, Conditions: "two visits"}); *m.answer != want {
		t.Errorf("answer %+v; want %+v", *m.answer, want)
	}

	m = &answerTx{memTx: memTx{status: ReferralPlaced, offers: []OpenOffer{{"P1", StatusPending}}}}
	if err := Respond(m, Change{Referral: "R1", ProvisionID: "P1", Action: ActionOffer}); err == nil || !strings.Contains(err.Error(), "already placed") {
		t.Errorf("answer to a placed referral: %v", err)
	}
	m = &answerTx{memTx: memTx{status: ReferralOpen}}
	if err := Respond(m, Change{Referral: "R1", ProvisionID: "P9", Action: ActionOffer}); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("answer from a provision not shortlisted: %v; want ENOTFOUND", err)
	}
	if len(m.steps) != 0 {
		t.Errorf("steps taken %q", m.steps)
	}
}

// answerTx is memTx keeping the answer and the event recorded.
type answerTx struct {
	memTx
	answer *Answer
	event  string
}

func (a *answerTx) SetOffer(ref, provision string, from, to Status, ans *Answer) error {
	a.answer = ans
	return a.memTx.SetOffer(ref, provision, from, to, ans)
}

func (a *answerTx) Event(ref, provision, action, from, to string, reason Reason, note string) error {
	a.event = strings.Join([]string{action, from, to, string(reason), note}, " ")
	return a.memTx.Event(ref, provision, action, from, to, reason, note)
}

func TestCancelRefused(t *testing.T) {
	m := &memTx{status: ReferralCancelled, offers: []OpenOffer{{"P1", StatusPending}}}
	if err := Cancel(m, "R1", ""); care.ErrorCode(err) != care.ECONFLICT || !strings.Contains(err.Error(), "referral R1") {
		t.Errorf("cancelling a cancelled referral: %v; want ECONFLICT naming it", err)
	}
	if len(m.steps) != 0 {
		t.Errorf("steps taken %q", m.steps)
	}
	// An open referral: nothing accepted, nothing but the open offers withdrawn.
	m = &memTx{status: ReferralOpen, offers: []OpenOffer{{"P1", StatusPending}, {"P2", StatusWithdrawn}}}
	if err := Cancel(m, "R1", ""); err != nil {
		t.Fatal(err)
	}
	if m.status != ReferralCancelled || m.offers[0].Status != StatusWithdrawn {
		t.Errorf("after cancel: %s %+v", m.status, m.offers)
	}
}

// TestNextSaysWhy: each refusal says why, in the words of its state, and
// what can be done instead.
func TestNextSaysWhy(t *testing.T) {
	for _, tc := range []struct {
		from   Status
		action Action
		why    string
	}{
		{StatusDeclined, ActionOffer, "the provider has already declined"},
		{StatusDeclined, ActionWithdraw, "the provider has already declined"},
		{StatusWithdrawn, ActionOffer, "the offer was withdrawn"},
		{StatusWithdrawn, ActionWithdraw, "the offer was withdrawn"},
		{StatusAccepted, ActionDecline, "the offer has been accepted; to undo it, cancel the referral"},
		{StatusAccepted, ActionAccept, "the offer has been accepted; to undo it, cancel the referral"},
		{StatusOffered, ActionOffer, "the provider has already offered"},
		{StatusPending, ActionAccept, "the provider has not offered a place yet; only an offer can be accepted"},
	} {
		_, err := Next(tc.from, tc.action)
		want := "cannot " + string(tc.action) + " now: the offer is " + string(tc.from) + " (" + tc.why
		if care.ErrorCode(err) != care.ECONFLICT || !strings.Contains(err.Error(), want) {
			t.Errorf("Next(%s, %s) = %v; want ECONFLICT with %q", tc.from, tc.action, err, want)
		}
	}
}

// TestNextReferralSaysWhy: accepting on a placed referral says it is placed
// (not cancelled); an unknown action is EINVALID in every state.
func TestNextReferralSaysWhy(t *testing.T) {
	if _, err := NextReferral(ReferralPlaced, ReferralAccept); care.ErrorCode(err) != care.ECONFLICT || !strings.Contains(err.Error(), "already placed") {
		t.Errorf("accept on placed: %v; want ECONFLICT saying it is placed", err)
	}
	for _, from := range []ReferralStatus{ReferralCancelled} {
		for _, a := range []ReferralAction{ReferralAccept, ReferralCancel} {
			if _, err := NextReferral(from, a); care.ErrorCode(err) != care.ECONFLICT || !strings.Contains(err.Error(), "the referral was cancelled") {
				t.Errorf("%s on cancelled: %v; want ECONFLICT saying it was cancelled", a, err)
			}
		}
	}
	for _, from := range []ReferralStatus{ReferralOpen, ReferralPlaced, ReferralCancelled} {
		if to, err := NextReferral(from, "reopen"); care.ErrorCode(err) != care.EINVALID || to != "" || !strings.Contains(err.Error(), "use accept or cancel") {
			t.Errorf("reopen on %s: %q, %v; want EINVALID", from, to, err)
		}
	}
}
