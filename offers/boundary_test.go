package offers

import (
	"strings"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/workflow"
)

// TestOutcomesLimits pins the outcome measures on their edges: the period
// includes a referral sent at its first instant and excludes one sent at
// its end (To is exclusive); placed over 20 miles means more than 20.0
// miles (the DfE's threshold), 20.0 is not far; the median of an odd count
// is the middle value, of an even count the mean of the two middle ones.
func TestOutcomesLimits(t *testing.T) {
	from, to := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	placed := func(ref string, sent time.Time, days int, miles float64) workflow.Sent {
		return workflow.Sent{Referral: workflow.SentReferral{Reference: ref, Council: "E1"}, Status: workflow.ReferralPlaced, SentAt: sent,
			Reservation: &workflow.Reservation{At: sent.Add(time.Duration(days) * 24 * time.Hour)},
			Offers:      []workflow.Offer{{Entry: workflow.Entry{ProvisionID: ref, Name: "Home " + ref, Miles: miles}, Status: workflow.StatusAccepted, RespondedAt: sent}}}
	}
	list := []workflow.Sent{
		placed("at-start", from, 2, 20.0),
		placed("inside", from.Add(48*time.Hour), 4, 20.1),
		placed("last-second", to.Add(-time.Second), 9, 19.9),
		placed("at-end", to, 1, 50), // outside: To is exclusive
		placed("before", from.Add(-time.Second), 1, 50),
	}
	o := ComputeOutcomes("E1", list, from, to, 0)
	if o.Sent != 3 || o.Placed != 3 {
		t.Fatalf("sent %d placed %d, want 3 and 3", o.Sent, o.Placed)
	}
	if len(o.Far) != 1 || o.Far[0].Reference != "inside" || o.Far[0].Miles != 20.1 {
		t.Errorf("far %+v, want only the 20.1-mile placement", o.Far)
	}
	if o.MedianDaysToPlace != 4 || o.MaxDaysToPlace != 9 {
		t.Errorf("days to place: median %v max %d, want 4 and 9", o.MedianDaysToPlace, o.MaxDaysToPlace)
	}
	o = ComputeOutcomes("E1", list[:2], from, to, 0)
	if o.MedianDaysToPlace != 3 {
		t.Errorf("median of 2 and 4 days = %v, want 3", o.MedianDaysToPlace)
	}
	// No period: everything counts.
	if o := ComputeOutcomes("E1", list, time.Time{}, time.Time{}, 0); o.Sent != 5 {
		t.Errorf("no period: sent %d, want 5", o.Sent)
	}
}

// TestShortlistSizeLimits: a referral goes to 1 to MaxShortlist (30)
// providers; 0 means the default; more, or a negative number, is refused, as
// is choosing more than 30.
func TestShortlistSizeLimits(t *testing.T) {
	ix, ref := fixtureIndex(t)
	for _, tc := range []struct {
		top int
		ok  bool
	}{{-1, false}, {0, true}, {1, true}, {MaxShortlist, true}, {MaxShortlist + 1, false}} {
		es, err := Shortlist(ix, ref, ShortlistOptions{Top: tc.top})
		if (err == nil) != tc.ok {
			t.Errorf("top %d: err %v", tc.top, err)
			continue
		}
		if err != nil && care.ErrorCode(err) != care.EINVALID {
			t.Errorf("top %d: code %s", tc.top, care.ErrorCode(err))
		}
		if tc.top == 1 && len(es) != 1 {
			t.Errorf("top 1: %d entries", len(es))
		}
	}
	chosen := make([]string, MaxShortlist+1)
	for i := range chosen {
		chosen[i] = "P" + strings.Repeat("x", i)
	}
	if _, err := Shortlist(ix, ref, ShortlistOptions{Chosen: chosen}); err == nil || !strings.Contains(err.Error(), "choose at most 30") {
		t.Errorf("31 chosen: %v", err)
	}
}

// TestRedactShortIDs: identifiers of three characters or more are redacted
// from free text; shorter ones would redact ordinary words, so are not.
func TestRedactShortIDs(t *testing.T) {
	for _, tc := range []struct {
		id      string
		redacts bool
	}{{"ab", false}, {"abc", true}, {" ab ", false}, {"abcd", true}} {
		ref := care.Referral{ID: "REF-000001", ChildID: tc.id}
		out := redactor(ref)("notes about " + strings.TrimSpace(tc.id) + " today")
		if got := !strings.Contains(out, " "+strings.TrimSpace(tc.id)+" "); got != tc.redacts {
			t.Errorf("id %q: %q", tc.id, out)
		}
	}
}

// TestOutcomesCancelledAndOrder: a cancelled referral inside the period is
// counted; providers are listed by declines, most first, ties by name.
func TestOutcomesCancelledAndOrder(t *testing.T) {
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	decl := func(id, provider string) workflow.Offer {
		return workflow.Offer{Entry: workflow.Entry{ProvisionID: id, Provider: provider, Kind: "childrens_home"}, Status: workflow.StatusDeclined, Reason: workflow.ReasonStaffing, RespondedAt: from}
	}
	list := []workflow.Sent{
		{Referral: workflow.SentReferral{Reference: "R1"}, Status: workflow.ReferralCancelled, SentAt: from,
			Offers: []workflow.Offer{decl("H1", "Beta"), decl("H2", "Alpha"), decl("H3", "Gamma"), decl("H4", "Gamma")}},
	}
	o := ComputeOutcomes("E1", list, from, from.AddDate(0, 1, 0), 0)
	if o.Cancelled != 1 || o.Sent != 1 || o.Declined != 4 {
		t.Fatalf("cancelled %d sent %d declined %d", o.Cancelled, o.Sent, o.Declined)
	}
	var keys []string
	for _, b := range o.ByProvider {
		keys = append(keys, b.Key)
	}
	if strings.Join(keys, ",") != "Gamma,Alpha,Beta" {
		t.Errorf("providers in order %v, want Gamma (2), then Alpha and Beta (1 each) by name", keys)
	}
}

// TestSummariseOrder: decline groups are listed by total, most first, ties by
// name.
func TestSummariseOrder(t *testing.T) {
	rep := Summarise([]workflow.DeclineCount{{Council: "C", Provider: "Beta", Reason: workflow.ReasonStaffing, Count: 1}, {Council: "C", Provider: "Alpha", Reason: workflow.ReasonStaffing, Count: 1},
		{Council: "C", Provider: "Gamma", Reason: workflow.ReasonNoVacancy, Count: 3}, {Council: "C", Provider: "Delta", Reason: workflow.ReasonNoVacancy, Count: 0}}, workflow.DeclineFilter{})
	var keys []string
	for _, g := range rep.ByProvider {
		keys = append(keys, g.Key)
	}
	if strings.Join(keys, ",") != "Gamma,Alpha,Beta" || rep.Total != 5 {
		t.Errorf("providers %v total %d", keys, rep.Total)
	}
}

// TestRoundMiles: miles are shown to a tenth; an unknown distance (negative)
// stays -1.
func TestRoundMiles(t *testing.T) {
	for in, want := range map[float64]float64{12.34: 12.3, 12.35: 12.4, 0: 0, -0.5: -1, -7: -1} {
		if got := round1(in); got != want {
			t.Errorf("round1(%v) = %v, want %v", in, got, want)
		}
	}
}
