package workflow

import (
	"strings"
	"testing"

	"sufficiency/care"
)

func TestNext(t *testing.T) {
	tests := []struct {
		from   Status
		action Action
		to     Status
		code   string
	}{
		{StatusPending, ActionOffer, StatusOffered, ""},
		{StatusPending, ActionDecline, StatusDeclined, ""},
		{StatusPending, ActionWithdraw, StatusWithdrawn, ""},
		{StatusPending, ActionAccept, "", care.ECONFLICT},
		{StatusOffered, ActionAccept, StatusAccepted, ""},
		{StatusOffered, ActionDecline, StatusDeclined, ""},
		{StatusOffered, ActionWithdraw, StatusWithdrawn, ""},
		{StatusOffered, ActionOffer, "", care.ECONFLICT},
		{StatusAccepted, ActionWithdraw, StatusWithdrawn, ""},
		{StatusAccepted, ActionAccept, "", care.ECONFLICT},
		{StatusAccepted, ActionDecline, "", care.ECONFLICT},
		{StatusAccepted, ActionOffer, "", care.ECONFLICT},
		{StatusDeclined, ActionOffer, "", care.ECONFLICT},
		{StatusDeclined, ActionAccept, "", care.ECONFLICT},
		{StatusDeclined, ActionWithdraw, "", care.ECONFLICT},
		{StatusWithdrawn, ActionOffer, "", care.ECONFLICT},
		{StatusWithdrawn, ActionAccept, "", care.ECONFLICT},
		{"lost", ActionOffer, "", care.EINVALID},
		{StatusPending, "approve", "", care.EINVALID},
	}
	for _, tc := range tests {
		t.Run(string(tc.from)+"_"+string(tc.action), func(t *testing.T) {
			to, err := Next(tc.from, tc.action)
			if got := care.ErrorCode(err); got != tc.code {
				t.Fatalf("code %q, want %q (%v)", got, tc.code, err)
			}
			if to != tc.to {
				t.Fatalf("to %q, want %q", to, tc.to)
			}
			if err != nil && !strings.Contains(err.Error(), ";") && !strings.Contains(err.Error(), ":") {
				t.Errorf("message does not say what to do: %v", err)
			}
		})
	}
}

// TestNextEveryPair checks the table is complete: every status and action
// gives either a known status or an error, and final states allow nothing
// but what the table lists.
func TestNextEveryPair(t *testing.T) {
	allowed := 0
	for _, s := range Statuses {
		for _, a := range []Action{ActionOffer, ActionDecline, ActionAccept, ActionWithdraw} {
			to, err := Next(s, a)
			if err == nil {
				allowed++
				if !knownStatus(to) {
					t.Errorf("%s/%s → unknown %q", s, a, to)
				}
			}
		}
	}
	if allowed != 7 {
		t.Errorf("%d transitions allowed, want 7", allowed)
	}
}

func TestNextReferral(t *testing.T) {
	tests := []struct {
		from   ReferralStatus
		action ReferralAction
		to     ReferralStatus
		code   string
	}{
		{ReferralOpen, ReferralAccept, ReferralPlaced, ""},
		{ReferralOpen, ReferralCancel, ReferralCancelled, ""},
		{ReferralPlaced, ReferralCancel, ReferralCancelled, ""},
		{ReferralPlaced, ReferralAccept, "", care.ECONFLICT},
		{ReferralCancelled, ReferralAccept, "", care.ECONFLICT},
		{ReferralCancelled, ReferralCancel, "", care.ECONFLICT},
		{"gone", ReferralCancel, "", care.EINVALID},
		{ReferralOpen, "reopen", "", care.EINVALID},
	}
	for _, tc := range tests {
		t.Run(string(tc.from)+"_"+string(tc.action), func(t *testing.T) {
			to, err := NextReferral(tc.from, tc.action)
			if care.ErrorCode(err) != tc.code || to != tc.to {
				t.Fatalf("got %q %v, want %q code %q", to, err, tc.to, tc.code)
			}
		})
	}
}

func TestParseReason(t *testing.T) {
	for in, want := range map[string]Reason{
		"no_vacancy": ReasonNoVacancy, "No vacancy": ReasonNoVacancy, "outside statement of purpose": ReasonStatementOfPurpose,
		"impact-on-current-group": ReasonImpact, " STAFFING ": ReasonStaffing, "location": ReasonLocation,
		"price": ReasonPrice, "risk": ReasonRisk, "other": ReasonOther,
	} {
		got, err := ParseReason(in)
		if err != nil || got != want {
			t.Errorf("ParseReason(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "full", "too far away"} {
		if _, err := ParseReason(bad); care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "no_vacancy") {
			t.Errorf("ParseReason(%q): %v; want EINVALID listing the codes", bad, err)
		}
	}
}

func TestCheckDecline(t *testing.T) {
	tests := []struct {
		name   string
		reason Reason
		note   string
		ok     bool
	}{
		{"StructuredWithoutNote", ReasonPrice, "", true},
		{"OtherWithNote", ReasonOther, "home is closing for refurbishment", true},
		{"ErrOtherWithoutNote", ReasonOther, "  ", false},
		{"ErrNoteWithStructured", ReasonRisk, "the child is called Sam", false},
		{"ErrUnknown", "busy", "", false},
		{"ErrLabelNotCode", "No vacancy", "", false},
		{"ErrLongNote", ReasonOther, strings.Repeat("x", MaxNote+1), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckDecline(tc.reason, tc.note)
			if (err == nil) != tc.ok {
				t.Fatalf("err %v, want ok=%v", err, tc.ok)
			}
			if err != nil && care.ErrorCode(err) != care.EINVALID {
				t.Fatalf("code %s", care.ErrorCode(err))
			}
		})
	}
}

func TestChangeCheck(t *testing.T) {
	base := Change{Referral: "R-1", ProvisionID: "H1"}
	tests := []struct {
		name string
		c    func(Change) Change
		ok   bool
	}{
		{"Offer", func(c Change) Change { c.Action = ActionOffer; return c }, true},
		{"OfferWithPrice", func(c Change) Change { c.Action, c.Price = ActionOffer, 450000; return c }, true},
		{"ErrOfferWithReason", func(c Change) Change { c.Action, c.Reason = ActionOffer, ReasonPrice; return c }, false},
		{"ErrNegativePrice", func(c Change) Change { c.Action, c.Price = ActionOffer, -1; return c }, false},
		{"Decline", func(c Change) Change { c.Action, c.Reason = ActionDecline, ReasonStaffing; return c }, true},
		{"ErrDeclineWithoutReason", func(c Change) Change { c.Action = ActionDecline; return c }, false},
		{"ErrDeclineWithPrice", func(c Change) Change { c.Action, c.Reason, c.Price = ActionDecline, ReasonPrice, 10; return c }, false},
		{"ErrAcceptIsNotAnAnswer", func(c Change) Change { c.Action = ActionAccept; return c }, false},
		{"ErrNoReferral", func(c Change) Change { c.Action, c.Referral = ActionOffer, ""; return c }, false},
		{"ErrNoProvision", func(c Change) Change { c.Action, c.ProvisionID = ActionOffer, " "; return c }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.c(base).Check(); (err == nil) != tc.ok {
				t.Fatalf("err %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

// identifyingReferral is a referral full of details that must not reach providers.
