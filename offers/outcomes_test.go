package offers

import (
	"strings"
	"testing"
	"time"

	"sufficiency/workflow"
)

func TestComputeOutcomes(t *testing.T) {
	day := func(d, h int) time.Time { return time.Date(2026, 3, d, h, 0, 0, 0, time.UTC) }
	offer := func(id, name, kind, provider string, miles float64, st workflow.Status, r workflow.Reason, answered bool) workflow.Offer {
		o := workflow.Offer{Entry: workflow.Entry{ProvisionID: id, Name: name, Kind: kind, Provider: provider, Miles: miles}, Status: st, Reason: r}
		if answered {
			o.RespondedAt = day(2, 0)
		}
		return o
	}
	list := []workflow.Sent{
		// Placed 3 days after sending, 25 miles away: the nearer home declined for staffing, another did not answer.
		{Referral: workflow.SentReferral{Reference: "R-A", Council: "E08000009", NeedsTier: "complex"}, Status: workflow.ReferralPlaced, SentAt: day(1, 9),
			Reservation: &workflow.Reservation{At: day(4, 9)},
			Offers: []workflow.Offer{
				offer("H1", "Near House", "childrens_home", "Acme", 3, workflow.StatusDeclined, workflow.ReasonStaffing, true),
				offer("H2", "Middle House", "childrens_home", "Beacon", 10, workflow.StatusWithdrawn, "", false),
				offer("F1", "Far Carers", "fostering", "Stockport", 25, workflow.StatusAccepted, "", true)}},
		// Placed after 1 day, 30 miles away, nothing nearer on the shortlist; one other offer withdrawn after offering.
		{Referral: workflow.SentReferral{Reference: "R-B", Council: "E08000009", NeedsTier: "standard"}, Status: workflow.ReferralPlaced, SentAt: day(5, 9),
			Reservation: &workflow.Reservation{At: day(6, 10)},
			Offers: []workflow.Offer{
				offer("H3", "Far House", "childrens_home", "Acme", 30, workflow.StatusAccepted, "", true),
				offer("H4", "Farther House", "childrens_home", "Acme", 40, workflow.StatusWithdrawn, "", true)}},
		// Open: two declines.
		{Referral: workflow.SentReferral{Reference: "R-C", Council: "E08000009"}, Status: workflow.ReferralOpen, SentAt: day(10, 9),
			Offers: []workflow.Offer{
				offer("H1", "Near House", "childrens_home", "Acme", 3, workflow.StatusDeclined, workflow.ReasonNoVacancy, true),
				offer("F1", "Far Carers", "fostering", "Stockport", 25, workflow.StatusDeclined, workflow.ReasonStaffing, true),
				offer("H2", "Middle House", "childrens_home", "Beacon", 10, workflow.StatusPending, "", false)}},
		// Outside the period.
		{Referral: workflow.SentReferral{Reference: "R-D"}, Status: workflow.ReferralCancelled, SentAt: day(20, 9)},
	}
	o := ComputeOutcomes("Trafford", list, day(1, 0), day(20, 0), 2)
	if o.Sent != 3 || o.Placed != 2 || o.Open != 1 || o.Cancelled != 0 || o.NoEligible != 2 {
		t.Errorf("counts %+v", o)
	}
	if o.Shortlisted != 8 || o.Declined != 3 || o.Offered != 3 || o.Unanswered != 2 {
		t.Errorf("answers: shortlisted %d declined %d offered %d unanswered %d; want 8, 3, 3, 2", o.Shortlisted, o.Declined, o.Offered, o.Unanswered)
	}
	if o.MedianDaysToPlace != 2 || o.MaxDaysToPlace != 3 {
		t.Errorf("days to place: median %v max %d; want 2 (of 3 and 1) and 3", o.MedianDaysToPlace, o.MaxDaysToPlace)
	}
	if len(o.Far) != 2 || o.Far[0].Reference != "R-B" || !strings.Contains(o.Far[0].Why, "no home within 30.0 miles") ||
		o.Far[1].Reference != "R-A" || !strings.Contains(o.Far[1].Why, "Near House (3.0 miles) declined: staffing") || !strings.Contains(o.Far[1].Why, "Middle House (10.0 miles) did not answer") {
		t.Errorf("far %+v", o.Far)
	}
	want := map[workflow.Reason]int{workflow.ReasonStaffing: 2, workflow.ReasonNoVacancy: 1}
	for _, r := range o.ByReason {
		if r.Count != want[r.Reason] {
			t.Errorf("reason %s: %d, want %d", r.Reason, r.Count, want[r.Reason])
		}
	}
	if len(o.ByKind) != 2 || o.ByKind[0].Key != "childrens_home" || o.ByKind[0].Total != 2 || o.ByKind[1].ByReason[workflow.ReasonStaffing] != 1 {
		t.Errorf("by kind %+v", o.ByKind)
	}
	if len(o.ByNeed) != 2 || o.ByNeed[0].Key != "unknown" || o.ByNeed[0].Total != 2 || o.ByNeed[1].Key != "complex" {
		t.Errorf("by need %+v", o.ByNeed)
	}
	if len(o.ByProvider) != 2 || o.ByProvider[0].Key != "Acme" || o.ByProvider[0].Total != 2 {
		t.Errorf("by provider %+v", o.ByProvider)
	}
	tables := o.Tables()
	if len(tables) != 6 || len(tables[5].Rows) != 2 || tables[0].Rows[0][1] != 3.0 {
		t.Errorf("tables %d, far rows %d, first row %v", len(tables), len(tables[5].Rows), tables[0].Rows[0])
	}
	// The period bounds: from inclusive, to exclusive.
	if o := ComputeOutcomes("x", list, day(5, 9), day(10, 9), 0); o.Sent != 1 {
		t.Errorf("[5 March 09:00, 10 March 09:00): %d sent, want 1", o.Sent)
	}
	if o := ComputeOutcomes("x", nil, time.Time{}, time.Time{}, 0); o.Sent != 0 || o.MedianDaysToPlace != 0 || len(o.ByReason) != len(workflow.Reasons) {
		t.Errorf("empty: %+v", o)
	}
}
