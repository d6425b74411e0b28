package workflow

import (
	"reflect"
	"testing"

	"sufficiency/care"
)

// memTx is an OfferTx over one referral in memory, recording its steps.
type memTx struct {
	status ReferralStatus
	offers []OpenOffer // by rank
	steps  []string
}

func (m *memTx) Referral(ref string) (ReferralStatus, string, int, string, error) {
	return m.status, "E1", 1, "", nil
}

func (m *memTx) Offer(ref, provision string) (Status, string, error) {
	for _, o := range m.offers {
		if o.ProvisionID == provision {
			return o.Status, "V-" + provision, nil
		}
	}
	return "", "", ErrNotShortlisted(ref, provision, nil)
}

func (m *memTx) SetOffer(ref, provision string, from, to Status, a *Answer) error {
	for i, o := range m.offers {
		if o.ProvisionID == provision && o.Status == from {
			m.offers[i].Status = to
			m.steps = append(m.steps, "offer "+provision+" "+string(to))
			return nil
		}
	}
	return ErrOfferChanged(ref, provision)
}

func (m *memTx) OpenOffers(ref string) ([]OpenOffer, error) {
	var out []OpenOffer
	for _, o := range m.offers {
		if o.Status == StatusPending || o.Status == StatusOffered || o.Status == StatusAccepted {
			out = append(out, o)
		}
	}
	return out, nil
}

func (m *memTx) SetReferral(ref string, from, to ReferralStatus, note string) error {
	m.status = to
	m.steps = append(m.steps, "referral "+string(to)+" "+note)
	return nil
}

func (m *memTx) Release(ref, council string) error {
	m.steps = append(m.steps, "release")
	return nil
}

func (m *memTx) Event(ref, provision, action, from, to string, reason Reason, note string) error {
	m.steps = append(m.steps, "event "+action+" "+to)
	return nil
}

func (m *memTx) Audit(action, council, detail string) error {
	m.steps = append(m.steps, "audit "+action+": "+detail)
	return nil
}

func TestRespond(t *testing.T) {
	tests := []struct {
		name   string
		status ReferralStatus
		offer  Status
		action Action
		code   string
		steps  []string
	}{
		{"offer", ReferralOpen, StatusPending, ActionOffer, "", []string{
			"offer P1 offered", "event offer offered", "audit offer offer: referral R1, provision P1: pending → offered"}},
		{"cancelled", ReferralCancelled, StatusPending, ActionOffer, care.ECONFLICT, nil},
		{"answered", ReferralOpen, StatusDeclined, ActionOffer, care.ECONFLICT, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &memTx{status: tt.status, offers: []OpenOffer{{"P1", tt.offer}}}
			err := Respond(m, Change{Referral: "R1", ProvisionID: "P1", Action: tt.action})
			if care.ErrorCode(err) != tt.code && !(tt.code == "" && err == nil) {
				t.Fatalf("Respond error %v; want code %q", err, tt.code)
			}
			if !reflect.DeepEqual(m.steps, tt.steps) {
				t.Errorf("steps %q; want %q", m.steps, tt.steps)
			}
		})
	}
}

func TestCancelWithdrawsEveryOpenOffer(t *testing.T) {
	m := &memTx{status: ReferralPlaced, offers: []OpenOffer{
		{"P1", StatusAccepted}, {"P2", StatusDeclined}, {"P3", StatusOffered}}}
	if err := Cancel(m, "R1", " gone home "); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"offer P1 withdrawn", "event withdraw withdrawn", "audit offer withdraw: referral R1, provision P1: accepted → withdrawn (referral cancelled)",
		"offer P3 withdrawn", "event withdraw withdrawn", "audit offer withdraw: referral R1, provision P3: offered → withdrawn (referral cancelled)",
		"release", "referral cancelled gone home", "event cancel cancelled", "audit offer cancel: referral R1: placed → cancelled",
	}
	if !reflect.DeepEqual(m.steps, want) {
		t.Errorf("steps\n%q\nwant\n%q", m.steps, want)
	}
}
