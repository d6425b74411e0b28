// Package sqlshared holds what store/sqlite and store/postgres do alike
// whatever the SQL: validation of inputs, the mapping of domain values to
// column values and back, the records built from rows, state transitions
// and the wording of errors and audit entries. The SQL itself stays in each
// implementation.
package sqlshared

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/store"
	"sufficiency/workflow"
)

// OfferActor is the given actor, else the context's.
func OfferActor(ctx context.Context, actor string) string {
	if a := strings.TrimSpace(actor); a != "" {
		return a
	}
	return store.ActorFrom(ctx)
}

// Where builds a WHERE clause of conditions ANDed together, numbering the
// placeholders as the dialect does.
type Where struct {
	b    strings.Builder
	Args []any
	// Placeholder is the n-th (from 1) placeholder: "?" or "$n".
	Placeholder func(n int) string
}

// NewWhere starts a clause with its first condition (e.g. "WHERE 1=1").
func NewWhere(first string, placeholder func(n int) string) *Where {
	w := &Where{Placeholder: placeholder}
	w.b.WriteString(first)
	return w
}

// Add appends " AND cond" with v as its argument; cond has one %s for the
// placeholder.
func (w *Where) Add(cond string, v any) {
	w.Args = append(w.Args, v)
	fmt.Fprintf(&w.b, " AND "+cond, w.Placeholder(len(w.Args)))
}

// String is the clause.
func (w *Where) String() string { return w.b.String() }

// Question is SQLite's placeholder.
func Question(int) string { return "?" }

// Dollar is PostgreSQL's placeholder.
func Dollar(n int) string { return fmt.Sprintf("$%d", n) }

// ReferralWhere is the WHERE clause over referrals r selecting f.
func ReferralWhere(f workflow.Filter, first string, placeholder func(int) string) *Where {
	w := NewWhere(first, placeholder)
	if f.Reference != "" {
		w.Add("r.reference = %s", f.Reference)
	}
	if f.Council != "" {
		w.Add("r.council = %s", f.Council)
	}
	if f.Status != "" {
		w.Add("r.status = %s", string(f.Status))
	}
	if f.ProvisionID != "" {
		w.Add("EXISTS (SELECT 1 FROM offers x WHERE x.referral = r.reference AND x.provision_id = %s)", f.ProvisionID)
	}
	return w
}

// DeclineWhere is the WHERE clause over offers o joined to referrals r
// selecting the declines f counts; instant encodes a time as a column value.
func DeclineWhere(f workflow.DeclineFilter, placeholder func(int) string, instant func(time.Time) any) *Where {
	w := NewWhere("WHERE o.status = 'declined'", placeholder)
	if !f.From.IsZero() {
		w.Add("o.responded_at >= %s", instant(f.From))
	}
	if !f.To.IsZero() {
		w.Add("o.responded_at < %s", instant(f.To))
	}
	if f.Council != "" {
		w.Add("r.council = %s", f.Council)
	}
	if f.Provider != "" {
		w.Add("o.provider = %s", f.Provider)
	}
	return w
}

// Offer completes an offer scanned from its columns: prices in pence,
// status and reason.
func Offer(o *workflow.Offer, price, offered int64, status, reason string) {
	o.WeeklyPrice, o.OfferedPrice = care.Pence(price), care.Pence(offered)
	o.Status, o.Reason = workflow.Status(status), workflow.Reason(reason)
}

// Sent is a referral's record, its offers and events still empty, from its
// columns (the stored JSON decoded).
func Sent(ref, status, data string, s *workflow.Sent) error {
	if err := json.Unmarshal([]byte(data), &s.Referral); err != nil {
		return fmt.Errorf("referral %s: stored JSON: %w", ref, err)
	}
	s.Status = workflow.ReferralStatus(status)
	s.Offers, s.Events = []workflow.Offer{}, []workflow.Event{}
	return nil
}

// Referrals gathers what loadSent reads: the referrals, then each offer,
// reservation and event placed on its referral.
type Referrals struct {
	Out   []workflow.Sent
	index map[string]int
}

// AddSent appends a referral.
func (r *Referrals) AddSent(ref string, s workflow.Sent) {
	if r.index == nil {
		r.index = map[string]int{}
	}
	r.index[ref] = len(r.Out)
	r.Out = append(r.Out, s)
}

// Found checks that a referral asked for by reference was found.
func (r *Referrals) Found(f workflow.Filter) error {
	if f.Reference != "" && len(r.Out) == 0 {
		return workflow.ErrNoReferral(f.Reference)
	}
	return nil
}

// AddOffers places offers on their referrals.
func (r *Referrals) AddOffers(list []workflow.Offer) {
	for _, o := range list {
		if i, ok := r.index[o.Referral]; ok {
			r.Out[i].Offers = append(r.Out[i].Offers, o)
		}
	}
}

// AddReservation places a reservation on its referral.
func (r *Referrals) AddReservation(v workflow.Reservation) {
	if i, ok := r.index[v.Referral]; ok {
		r.Out[i].Reservation = &v
	}
}

// AddEvent places an event, its reason given as stored, on referral ref.
func (r *Referrals) AddEvent(ref string, e workflow.Event, reason string) {
	e.Reason = workflow.Reason(reason)
	if i, ok := r.index[ref]; ok {
		r.Out[i].Events = append(r.Out[i].Events, e)
	}
}

// DeclineCount completes a decline count with its reason as stored.
func DeclineCount(c workflow.DeclineCount, reason string) workflow.DeclineCount {
	c.Reason = workflow.Reason(reason)
	return c
}

// ScanOpenOffer scans an open offer (provision_id, status).
func ScanOpenOffer(r Row) (workflow.OpenOffer, error) {
	var o workflow.OpenOffer
	var st string
	err := r.Scan(&o.ProvisionID, &st)
	o.Status = workflow.Status(st)
	return o, err
}
