package statement

import (
	"context"
	"strings"
	"testing"
	"time"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/workflow"
)

// sent is a referral sent on day with the three types' suitability
// (foster, residential, supported) and, when kind is not empty, placed in a
// home of that kind.
func sent(day time.Time, foster, residential, supported, kind string, status workflow.ReferralStatus) workflow.Sent {
	s := workflow.Sent{Referral: workflow.SentReferral{Council: gateshead, Foster: foster, Residential: residential, Supported: supported},
		Status: status, SentAt: day}
	s.Offers = []workflow.Offer{{Entry: workflow.Entry{Kind: "childrens_home"}, Status: workflow.StatusDeclined}}
	if kind != "" {
		s.Offers = append(s.Offers, workflow.Offer{Entry: workflow.Entry{Kind: kind}, Status: workflow.StatusAccepted})
	}
	return s
}

func TestReferralFacts(t *testing.T) {
	from, to := analysis.OutcomeYear(care.Date(2025, time.March, 31)) // [1 April 2024, 1 April 2025)
	in := from.Add(time.Hour)
	const p, s, u, n = "preferred", "suitable", "unsuitable", "not_specified"
	list := []workflow.Sent{
		sent(in, p, s, u, "fostering", workflow.ReferralPlaced),               // foster preferred, fostered
		sent(in, s, p, u, "fostering", workflow.ReferralPlaced),               // residential preferred, fostered
		sent(in, s, p, u, "childrens_home", workflow.ReferralPlaced),          // residential preferred, children's home
		sent(in, s, p, u, "residential_school", workflow.ReferralPlaced),      // residential preferred, residential school
		sent(in, u, s, p, "childrens_home", workflow.ReferralPlaced),          // supported preferred, children's home
		sent(in, n, n, n, "supported_accommodation", workflow.ReferralPlaced), // no preference
		sent(in, p, s, u, "", workflow.ReferralOpen),
		sent(in, p, s, u, "", workflow.ReferralCancelled),
		sent(from, p, s, u, "", workflow.ReferralOpen),                              // the first day: counted
		sent(to, p, s, u, "fostering", workflow.ReferralPlaced),                     // the day after the year: not counted
		sent(from.Add(-time.Second), s, p, u, "fostering", workflow.ReferralPlaced), // before the year: not counted
	}
	f := referralFacts(list, from, to)
	if f.Sent != 9 || f.Placed != 6 || f.Open != 2 || f.Cancelled != 1 {
		t.Errorf("sent %d placed %d open %d cancelled %d; want 9, 6, 2, 1", f.Sent, f.Placed, f.Open, f.Cancelled)
	}
	want := [3]PlacedType{{care.TypeFoster, 1, 1, 0}, {care.TypeResidential, 2, 1, 0}, {care.TypeSupported, 0, 0, 1}}
	if f.ByType != want {
		t.Errorf("by type %+v, want %+v", f.ByType, want)
	}
	if tot := f.Totals(); tot != (PlacedType{Preferred: 3, NotPreferred: 2, NoPreference: 1}) {
		t.Errorf("totals %+v", tot)
	}
}

// TestPreferredSentences: each sentence says only what its figures show,
// flipped by hand-made counts.
func TestPreferredSentences(t *testing.T) {
	at := care.Date(2025, time.March, 31)
	facts := func(sentN, open, cancelled int, pref, not, none int) ReferralFacts {
		f := ReferralFacts{Sent: sentN, Open: open, Cancelled: cancelled, Placed: pref + not + none}
		f.ByType[0] = PlacedType{Type: care.TypeFoster, Preferred: pref, NotPreferred: not, NoPreference: none}
		return f
	}
	for _, tc := range []struct {
		name      string
		f         ReferralFacts
		suppress  bool
		want, not []string
	}{
		{"all in the preferred type", facts(20, 0, 0, 20, 0, 0), false,
			[]string{"Of the 20 referrals placed through the offers workflow in the year to 31 March 2025, every child was placed in the type of home preferred for them.",
				"Every referral sent through the workflow in the year (20) was placed."}, []string{"other than the one preferred for the child"}},
		{"some not preferred", facts(30, 4, 6, 12, 8, 0), false,
			[]string{"Of the 20 referrals placed through the offers workflow in the year to 31 March 2025, 8 were placed in a type of home other than the one preferred for the child (40.0%).",
				"Of the 30 referrals sent in the year, 10 were not placed: 4 still open and 6 withdrawn by the council."}, []string{"every child"}},
		{"one not preferred", facts(10, 0, 0, 9, 1, 0), false,
			[]string{"1 was placed in a type of home other than the one preferred for the child (10.0%)"}, nil},
		{"one not preferred, suppressed", facts(10, 0, 0, 9, 1, 0), true,
			[]string{"fewer than 5 were placed in a type of home other than the one preferred for the child. "}, []string{"10.0%", "1 was"}},
		{"none preferred given", facts(12, 0, 0, 5, 0, 7), false,
			[]string{"none was placed in a type of home other than the one preferred for the child; 7 gave no preferred type."}, []string{"every child"}},
		{"none placed", facts(6, 6, 0, 0, 0, 0), false,
			[]string{"No referral sent through the offers workflow in the year to 31 March 2025 has been placed", "Of the 6 referrals sent in the year, 6 were not placed: 6 still open and 0 withdrawn by the council."}, nil},
		{"few placed, suppressed", facts(8, 5, 0, 2, 1, 0), true,
			[]string{"Fewer than 5 referrals sent through the offers workflow in the year to 31 March 2025 have been placed: too few to say"}, []string{"Of the fewer"}},
		{"few sent, suppressed", facts(3, 0, 0, 3, 0, 0), true,
			nil, []string{"referrals sent in the year", "Every referral"}},
		{"nothing sent", facts(0, 0, 0, 0, 0, 0), false,
			[]string{"No referral sent through the offers workflow"}, []string{"referrals sent in the year", "Every referral"}},
	} {
		w := words{suppress: tc.suppress}
		got := w.preferredSentence(at, tc.f) + " " + w.unplacedSentence(tc.f)
		for _, s := range tc.want {
			if !strings.Contains(got, s) {
				t.Errorf("%s: no %q in %q", tc.name, s, got)
			}
		}
		for _, s := range tc.not {
			if strings.Contains(got, s) {
				t.Errorf("%s: %q in %q", tc.name, s, got)
			}
		}
	}
}

// withReferrals is the fake with an offers workflow holding declines and
// sent referrals.
type withReferrals struct {
	*withDeclines
	list []workflow.Sent
}

func (r *withReferrals) Referrals(_ context.Context, f workflow.Filter) ([]workflow.Sent, error) {
	var out []workflow.Sent
	for _, s := range r.list {
		if f.Council == "" || s.Referral.Council == f.Council {
			out = append(out, s)
		}
	}
	return out, nil
}

// TestGapCountsNonPreferredTypeFromTheOffersWorkflow: with the offers
// workflow the gap analysis counts children placed in a type of home other
// than the one preferred for them, instead of saying the figure is not
// held; without it, it says so.
func TestGapCountsNonPreferredTypeFromTheOffersWorkflow(t *testing.T) {
	in := care.Date(2024, time.October, 1)
	const p, s, u = "preferred", "suitable", "unsuitable"
	var list []workflow.Sent
	for i := 0; i < 14; i++ {
		list = append(list, sent(in, s, p, u, "childrens_home", workflow.ReferralPlaced))
	}
	for i := 0; i < 6; i++ {
		list = append(list, sent(in, s, p, u, "fostering", workflow.ReferralPlaced)) // residential preferred, fostered
	}
	for i := 0; i < 5; i++ {
		list = append(list, sent(in, p, s, u, "", workflow.ReferralOpen))
	}
	ctx := context.Background()
	build := func(st analysis.Store) string {
		sc, err := analysis.Resolve(ctx, st, analysis.CouncilSpec(gateshead))
		if err != nil {
			t.Fatal(err)
		}
		r, err := Build(ctx, st, sc, Options{Options: analysis.Options{At: "2025-03-31"}, Made: care.Date(2025, time.June, 30)})
		if err != nil {
			t.Fatal(err)
		}
		return structure(r)
	}
	notHeld := "Preferred placement types are not held in the SSDA903 return"
	got := build(&withReferrals{withDeclines: &withDeclines{fakeStore: newFake(60)}, list: list})
	for _, want := range []string{
		"Of the 20 referrals placed through the offers workflow in the year to 31 March 2025, 6 were placed in a type of home other than the one preferred for the child (30.0%).",
		"Of the 25 referrals sent in the year, 5 were not placed: 5 still open and 0 withdrawn by the council.",
		"Referrals placed through the offers workflow in the year to 31 March 2025, by type of home [Type of home | In the preferred type | In a type not preferred | No preferred type given] 4 rows"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in\n%s", want, got)
		}
	}
	if strings.Contains(got, notHeld) {
		t.Errorf("the workflow holds preferred types, yet the statement says %q", notHeld)
	}
	if got := build(newFake(60)); !strings.Contains(got, notHeld) {
		t.Errorf("without the workflow the statement does not say %q", notHeld)
	}
}
