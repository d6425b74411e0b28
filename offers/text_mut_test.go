package offers

import (
	"bytes"
	"context"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/match"
	"sufficiency/workflow"
)

// memStore is a workflow store in memory: what was sent and answered, the
// decline counts and drafts it is given.
type memStore struct {
	workflow.Store
	workflow.DraftStore
	sent      []workflow.SentReferral
	shortlist [][]workflow.Entry
	group     []int
	changes   []workflow.Change
	counts    []workflow.DeclineCount
	filter    workflow.DeclineFilter
	referrals map[string][]workflow.Sent
	drafts    map[string][]workflow.Draft
	fail      error
}

func (m *memStore) SendReferral(ctx context.Context, r workflow.SentReferral, group int, list []workflow.Entry, actor string) (workflow.Sent, error) {
	m.sent, m.shortlist, m.group = append(m.sent, r), append(m.shortlist, list), append(m.group, group)
	return workflow.Sent{Referral: r, SentBy: actor, GroupSize: group}, m.fail
}

func (m *memStore) Respond(ctx context.Context, c workflow.Change) (workflow.Offer, error) {
	m.changes = append(m.changes, c)
	return workflow.Offer{Referral: c.Referral, Status: workflow.StatusOffered}, m.fail
}

func (m *memStore) Declines(ctx context.Context, f workflow.DeclineFilter) ([]workflow.DeclineCount, error) {
	m.filter = f
	return m.counts, m.fail
}

func (m *memStore) Referrals(ctx context.Context, f workflow.Filter) ([]workflow.Sent, error) {
	return m.referrals[f.Council], m.fail
}

func (m *memStore) Drafts(ctx context.Context, council string) ([]workflow.Draft, error) {
	return m.drafts[council], nil
}

func TestSendMakeDecline(t *testing.T) {
	ix, ref := fixtureIndex(t)
	st := &memStore{}
	today := time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)
	sent, err := Send(context.Background(), st, ix, ref, SendOptions{Reference: "R-TEST-0001", Actor: "sw", Today: today})
	if err != nil {
		t.Fatal(err)
	}
	want, err := Shortlist(ix, ref, ShortlistOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.sent) != 1 || st.sent[0].Reference != "R-TEST-0001" || !reflect.DeepEqual(st.shortlist[0], want) || st.group[0] != ref.GroupSize() || sent.SentBy != "sw" {
		t.Errorf("sent %+v with %d entries, group %v", st.sent, len(st.shortlist[0]), st.group)
	}
	// No reference given: a fresh one.
	if _, err := Send(context.Background(), st, ix, ref, SendOptions{Today: today}); err != nil || !strings.HasPrefix(st.sent[1].Reference, "R-") || st.sent[1].Reference == "R-TEST-0001" {
		t.Errorf("fresh reference %q, %v", st.sent[1].Reference, err)
	}
	// No date: today's age.
	if _, err := Send(context.Background(), st, ix, ref, SendOptions{}); err != nil {
		t.Errorf("no date: %v", err)
	}
	bad := ref
	bad.Council = ""
	if _, err := Send(context.Background(), st, ix, bad, SendOptions{Today: today}); err == nil || len(st.sent) != 3 {
		t.Errorf("referral without council: %v, %d sent", err, len(st.sent))
	}

	st = &memStore{}
	if _, err := Make(context.Background(), st, "R1", "P1", 420000, "prov"); err != nil {
		t.Fatal(err)
	}
	if _, err := Decline(context.Background(), st, "R1", "P2", workflow.ReasonOther, "  closing  ", "prov"); err != nil {
		t.Fatal(err)
	}
	wantChanges := []workflow.Change{
		{Referral: "R1", ProvisionID: "P1", Action: workflow.ActionOffer, Price: 420000, Actor: "prov"},
		{Referral: "R1", ProvisionID: "P2", Action: workflow.ActionDecline, Reason: workflow.ReasonOther, Note: "closing", Actor: "prov"},
	}
	if !reflect.DeepEqual(st.changes, wantChanges) {
		t.Errorf("changes %+v; want %+v", st.changes, wantChanges)
	}
	// Checked before the store is asked.
	if _, err := Make(context.Background(), st, "R1", "P1", -1, "prov"); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("negative price: %v", err)
	}
	if _, err := Decline(context.Background(), st, "R1", "P1", workflow.ReasonPrice, "too low", "prov"); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("note with a structured reason: %v", err)
	}
	if len(st.changes) != 2 {
		t.Errorf("invalid answers reached the store: %+v", st.changes)
	}
}

func TestDeclinesReport(t *testing.T) {
	f := workflow.DeclineFilter{From: care.Date(2025, 4, 1), To: care.Date(2026, 4, 1)}
	st := &memStore{counts: []workflow.DeclineCount{{Council: "E1", Provider: "Acme", Reason: workflow.ReasonPrice, Count: 2}}}
	rep, err := Declines(context.Background(), st, f)
	if err != nil || rep.Total != 2 || st.filter != f || !rep.From.Equal(f.From) {
		t.Errorf("Declines = %+v, %v (filter %+v)", rep, err, st.filter)
	}
	st.fail = errors.New("db gone")
	if _, err := Declines(context.Background(), st, f); err == nil {
		t.Error("a store error is lost")
	}
}

func TestWriteDeclines(t *testing.T) {
	counts := []workflow.DeclineCount{
		{Council: "E08000003", Provider: "Acme", Reason: workflow.ReasonPrice, Count: 3},
		{Council: "E08000003", Provider: "Beacon", Reason: workflow.ReasonNoVacancy, Count: 1},
	}
	rep := Summarise(counts, workflow.DeclineFilter{From: care.Date(2025, 4, 1), To: care.Date(2026, 4, 1)})
	var buf bytes.Buffer
	if err := WriteDeclinesCSV(&buf, rep); err != nil {
		t.Fatal(err)
	}
	if got := strings.ReplaceAll(buf.String(), "\r\n", "\n"); got != "council,provider,reason,declines\nE08000003,Acme,price,3\nE08000003,Beacon,no_vacancy,1\n" {
		t.Errorf("csv:\n%s", got)
	}
	buf.Reset()
	WriteDeclinesText(&buf, rep)
	got := buf.String()
	for _, want := range []string{
		"Declined referrals, 2025-04-01 to 2026-03-31: 4\n", // To is exclusive: the last day is the day before
		"\nBy reason:\n", "  no vacancy  1  25%\n", "  price  3  75%\n",
		"\nBy provider:\n  Acme    3  most often: price (3)\n  Beacon  1  most often: no vacancy (1)\n",
		"\nBy placing council:\n  E08000003  4  most often: price (3)\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("text lacks %q:\n%s", want, got)
		}
	}
	for _, tc := range []struct {
		from, to time.Time
		want     string
	}{
		{time.Time{}, time.Time{}, "Declined referrals, all time: 0\n"},
		{care.Date(2025, 4, 1), time.Time{}, "Declined referrals, from 2025-04-01: 0\n"},
		{time.Time{}, care.Date(2026, 4, 1), "Declined referrals, before 2026-04-01: 0\n"},
	} {
		buf.Reset()
		WriteDeclinesText(&buf, Summarise(nil, workflow.DeclineFilter{From: tc.from, To: tc.to}))
		if buf.String() != tc.want {
			t.Errorf("text %q; want %q", buf.String(), tc.want)
		}
	}
}

func TestWriteSentAndReferralsText(t *testing.T) {
	at := time.Date(2026, 3, 20, 9, 30, 0, 0, time.UTC)
	sent := workflow.Sent{
		Referral: workflow.SentReferral{Reference: "R-AAAA-BBBB", Council: "E08000003", Sex: "F", BirthMonth: "2012-07", HomeDistrict: "M14", Urgency: "in_less_than_5_days"},
		Status:   workflow.ReferralPlaced, GroupSize: 2, SentAt: at, SentBy: "sw",
		Offers: []workflow.Offer{
			{Entry: workflow.Entry{Rank: 1, ProvisionID: "P1", Name: "Oak House", Provider: "Acme", Kind: "childrens_home", Miles: 2.26, VacancyID: "V1"},
				Status: workflow.StatusAccepted, UpdatedAt: at, UpdatedBy: "sw"},
			{Entry: workflow.Entry{Rank: 2, ProvisionID: "P2", Name: "Elm", Provider: "Beacon", Kind: "fostering", Miles: -1, VacancyID: "V2"},
				Status: workflow.StatusDeclined, Reason: workflow.ReasonStaffing, UpdatedAt: at, UpdatedBy: "prov"},
		},
		Reservation: &workflow.Reservation{ProvisionID: "P1", VacancyID: "V1", Places: 2, At: at, By: "sw"},
	}
	var buf bytes.Buffer
	WriteSentText(&buf, "LA-77", sent)
	got := buf.String()
	for _, want := range []string{
		"Referral LA-77 sent as R-AAAA-BBBB to 2 provider(s).\n",
		"born 2012-07, home district M14;",
		"RANK  PROVISION  NAME       PROVIDER  KIND            MILES  VACANCY\n",
		"1     P1         Oak House  Acme      childrens_home  2.3    V1\n",
		"2     P2         Elm        Beacon    fostering       ?      V2\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("sent text lacks %q:\n%s", want, got)
		}
	}

	cancelled := sent
	cancelled.Referral.Reference = "R-CCCC-DDDD"
	cancelled.Status = workflow.ReferralCancelled
	cancelled.Note = "went home"
	cancelled.Offers = nil
	cancelled.Reservation = &workflow.Reservation{ProvisionID: "P1", Released: at.Add(time.Hour), ReleasedBy: "lead"}
	buf.Reset()
	if err := WriteReferralsText(&buf, []workflow.Sent{sent, cancelled}); err != nil {
		t.Fatal(err)
	}
	got = buf.String()
	for _, want := range []string{
		"R-AAAA-BBBB  PLACED  council E08000003  sent 2026-03-20 09:30 by sw  (F, born 2012-07, home M14, needed in less than 5 days, 2 place(s))\n",
		"  1  P1  Oak House  Acme    2.3 mi  accepted            2026-03-20 09:30 by sw\n",
		"  2  P2  Elm        Beacon  ? mi    declined: staffing  2026-03-20 09:30 by prov\n",
		"  Reserved: 2 place(s) of vacancy V1 at P1, 2026-03-20 09:30 by sw.\n\nR-CCCC-DDDD  CANCELLED",
		"  Reservation of P1 released 2026-03-20 10:30 by lead.\n  Note: went home\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("referrals text lacks %q:\n%s", want, got)
		}
	}
	if strings.HasPrefix(got, "\n") || strings.Count(got, "Note:") != 1 {
		t.Errorf("referrals text:\n%s", got)
	}
}

func TestMiles(t *testing.T) {
	for m, want := range map[float64]string{-1: "?", -0.01: "?", 0: "0.0", 2.26: "2.3", 12.04: "12.0"} {
		if got := miles(m); got != want {
			t.Errorf("miles(%v) = %q; want %q", m, got, want)
		}
	}
}

// TestNoEligible: the drafts created in [from, to) and never sent for
// which the supply has no eligible home.
func TestNoEligible(t *testing.T) {
	data, err := os.ReadFile("../match/testdata/referral.json")
	if err != nil {
		t.Fatal(err)
	}
	draft := func(ref string, created time.Time) workflow.Draft {
		return workflow.Draft{Reference: ref, Referral: data, CreatedAt: created}
	}
	from, to := care.Date(2025, 4, 1), care.Date(2026, 4, 1)
	drafts := []workflow.Draft{
		draft("D-ON-FROM", from),
		draft("D-BEFORE", from.Add(-time.Second)),
		draft("D-LAST", to.Add(-time.Second)),
		draft("D-ON-TO", to),
		draft("D-SENT", from.AddDate(0, 1, 0)),
		{Reference: "D-BAD", Referral: []byte(`{"id": 1}`), CreatedAt: from},
	}
	sent := map[string]bool{"D-SENT": true}
	empty, err := match.NewIndex(nil, nil, match.DefaultPolicy(), nil)
	if err != nil {
		t.Fatal(err)
	}
	now := care.Date(2026, 3, 20)
	if got := NoEligible(empty, drafts, sent, from, to, now); got != 2 {
		t.Errorf("empty supply, [from, to): %d; want 2 (created on from and the second before to)", got)
	}
	if got := NoEligible(empty, drafts, sent, time.Time{}, time.Time{}, now); got != 4 {
		t.Errorf("empty supply, all time: %d; want 4 (every parsing draft not sent)", got)
	}
	ix, _ := fixtureIndex(t)
	if got := NoEligible(ix, drafts, sent, time.Time{}, time.Time{}, now); got != 0 {
		t.Errorf("the fixture supply has homes for the referral: %d; want 0", got)
	}
}

func TestGatherOutcomes(t *testing.T) {
	data, err := os.ReadFile("../match/testdata/referral.json")
	if err != nil {
		t.Fatal(err)
	}
	from, to := care.Date(2025, 4, 1), care.Date(2026, 4, 1)
	at := care.Date(2025, 6, 1)
	st := &memStore{
		referrals: map[string][]workflow.Sent{
			"E1": {{Referral: workflow.SentReferral{Reference: "R-1", Council: "E1"}, Status: workflow.ReferralOpen, SentAt: at}},
			"E2": {{Referral: workflow.SentReferral{Reference: "R-2", Council: "E2"}, Status: workflow.ReferralOpen, SentAt: at}},
		},
		drafts: map[string][]workflow.Draft{"E1": {{Reference: "R-1", Referral: data, CreatedAt: at}}},
	}
	calls := 0
	empty, _ := match.NewIndex(nil, nil, match.DefaultPolicy(), nil)
	index := func() (*match.Index, error) { calls++; return empty, nil }
	o, err := GatherOutcomes(context.Background(), st, index, "North West", []string{"E1", "E2"}, from, to, to)
	if err != nil || o.Sent != 2 || o.NoEligible != 0 || o.Scope != "North West" || calls != 0 {
		t.Errorf("every draft sent: %+v, %v, index built %d times; want 2 sent and no index", o, err, calls)
	}
	// A draft never sent: the index is built once and the draft counted.
	st.drafts["E2"] = []workflow.Draft{{Reference: "D-9", Referral: data, CreatedAt: at}, {Reference: "D-10", Referral: data, CreatedAt: at}}
	o, err = GatherOutcomes(context.Background(), st, index, "North West", []string{"E1", "E2"}, from, to, to)
	if err != nil || o.Sent != 2 || o.NoEligible != 2 || calls != 1 {
		t.Errorf("drafts not sent: %+v, %v, index built %d times; want 2 with no eligible home, one index", o, err, calls)
	}
	// Only the councils asked for.
	o, _ = GatherOutcomes(context.Background(), st, index, "E1", []string{"E1"}, from, to, to)
	if o.Sent != 1 || o.NoEligible != 0 {
		t.Errorf("one council: %+v", o)
	}
	boom := errors.New("no supply")
	if _, err := GatherOutcomes(context.Background(), st, func() (*match.Index, error) { return nil, boom }, "", []string{"E2"}, from, to, to); !errors.Is(err, boom) {
		t.Errorf("index error: %v", err)
	}
	st.fail = boom
	if _, err := GatherOutcomes(context.Background(), st, index, "", []string{"E1"}, from, to, to); !errors.Is(err, boom) {
		t.Errorf("store error: %v", err)
	}
}
