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
	"sufficiency/offers"
	"sufficiency/store"
)

// ActionOfferPrefix starts the audit actions of the offers workflow
// (council: the placing council): + send, offer, decline, accept, withdraw,
// release, cancel.
const ActionOfferPrefix = "offer "

// OfferActor is the given actor, else the context's.
func OfferActor(ctx context.Context, actor string) string {
	if a := strings.TrimSpace(actor); a != "" {
		return a
	}
	return store.ActorFrom(ctx)
}

// CheckReferral validates a referral about to be sent: a reference, 1 to 13
// places, a non-empty shortlist naming each provision once with its vacancy.
// It returns the referral encoded as stored (JSON).
func CheckReferral(r offers.SentReferral, groupSize int, list []offers.Entry) ([]byte, error) {
	if strings.TrimSpace(r.Reference) == "" {
		return nil, care.Errorf(care.EINVALID, "the referral has no reference: use offers.NewReference")
	}
	if len(list) == 0 {
		return nil, care.Errorf(care.EINVALID, "referral %s: the shortlist is empty; send it to at least one eligible provision", r.Reference)
	}
	if groupSize < 1 || groupSize > 13 {
		return nil, care.Errorf(care.EINVALID, "referral %s: %d places needed; give 1 (the child) to 13 (with 12 siblings)", r.Reference, groupSize)
	}
	seen := map[string]bool{}
	for _, e := range list {
		if e.ProvisionID == "" || e.VacancyID == "" {
			return nil, care.Errorf(care.EINVALID, "referral %s: a shortlist entry has no provision or vacancy id", r.Reference)
		}
		if seen[e.ProvisionID] {
			return nil, care.Errorf(care.EINVALID, "referral %s: provision %s is on the shortlist twice; list each once", r.Reference, e.ProvisionID)
		}
		seen[e.ProvisionID] = true
	}
	data, err := json.Marshal(r)
	if err != nil {
		return nil, care.WrapError(care.EINTERNAL, err, "encode referral %s", r.Reference)
	}
	return data, nil
}

// Rank is the k-th (from 0) shortlist entry's rank: its own, else k+1.
func Rank(e offers.Entry, k int) int {
	if e.Rank < 1 {
		return k + 1
	}
	return e.Rank
}

// SendDetail is the audit detail of a referral sent to the provisions named.
func SendDetail(ref string, provisions []string) string {
	return fmt.Sprintf("referral %s sent to %d providers: %s", ref, len(provisions), strings.Join(provisions, ", "))
}

// ErrReferenceUsed is the error for a referral reference already stored.
func ErrReferenceUsed(ref string) error {
	return care.Errorf(care.ECONFLICT, "referral reference %s is already used; send again to get a fresh reference", ref)
}

// ErrRankTwice is the error for a shortlist giving one rank twice.
func ErrRankTwice(ref string, rank int) error {
	return care.Errorf(care.EINVALID, "referral %s: rank %d is given twice on the shortlist; number the entries 1, 2, 3, ...", ref, rank)
}

// ErrNoReferral is the error for a referral reference not stored.
func ErrNoReferral(ref string) error {
	return care.Errorf(care.ENOTFOUND, "no referral %q: check the reference printed by \"referral send\" (\"offer list\" shows them all)", ref)
}

// ErrNotShortlisted is the error for an answer from a provision not on the
// referral's shortlist (ids, by rank).
func ErrNotShortlisted(ref, provision string, ids []string) error {
	return care.Errorf(care.ENOTFOUND, "provision %q was not sent referral %s; only its shortlist can answer: %s", provision, ref, strings.Join(ids, ", "))
}

// ErrNoOffer is the error for an offer not found after a change.
func ErrNoOffer(ref, provision string) error {
	return care.Errorf(care.ENOTFOUND, "provision %q was not sent referral %s", provision, ref)
}

// ErrOfferChanged is the error for a conditional update of an offer that
// found it changed meanwhile.
func ErrOfferChanged(ref, provision string) error {
	return care.Errorf(care.ECONFLICT, "the offer of %s for referral %s changed meanwhile; look at it again (offer list --referral %s)", provision, ref, ref)
}

// ErrReferralChanged is the error for a conditional update of a referral
// that found it changed meanwhile.
func ErrReferralChanged(ref string) error {
	return care.Errorf(care.ECONFLICT, "referral %s changed meanwhile; look at it again", ref)
}

// ErrAlreadyAccepted is the error for a second accepted offer on a referral.
func ErrAlreadyAccepted(ref string) error {
	return care.Errorf(care.ECONFLICT, "referral %s already has an accepted offer; cancel the referral first to release that place", ref)
}

// errAlreadyPlaced is the error for accepting an offer on a referral placed
// with provision with.
func errAlreadyPlaced(ref, with string) error {
	return care.Errorf(care.ECONFLICT, "referral %s is already placed with %s; cancel the referral first to release that place", ref, with)
}

// ErrHasReservation is the error for a second reservation on a referral.
func ErrHasReservation(ref string) error {
	return care.Errorf(care.ECONFLICT, "referral %s already has a reservation; cancel the referral first to release it", ref)
}

// ErrNoVacancy is the error for an acceptance that found no vacancy of the
// provision with group places free by start (YYYY-MM-DD or "").
func ErrNoVacancy(provision string, group int, start string) error {
	what := "a place"
	if group > 1 {
		what = fmt.Sprintf("%d places together", group)
	}
	by := ""
	if start != "" {
		by = " by " + start
	}
	return care.Errorf(care.ECONFLICT, "provision %s has no vacancy with %s free%s any more: another referral was given it first (or the provider's vacancies changed); nothing was reserved, so accept another offer or ask the provider to update its vacancies", provision, what, by)
}

// notOpen is the error for an answer to a referral no longer open.
func notOpen(ref string, st offers.ReferralStatus) error {
	if st == offers.ReferralPlaced {
		return care.Errorf(care.ECONFLICT, "referral %s is already placed: an offer was accepted, so no more answers are needed", ref)
	}
	return care.Errorf(care.ECONFLICT, "referral %s was cancelled: no answer is needed", ref)
}

// nextOffer is offers.Next for provision's offer on referral ref, its
// refusal an ECONFLICT naming both.
func nextOffer(ref, provision string, from offers.Status, a offers.Action) (offers.Status, error) {
	to, err := offers.Next(from, a)
	if err != nil {
		return "", care.Errorf(care.ECONFLICT, "%s for referral %s: %s", provision, ref, care.ErrorMessage(err))
	}
	return to, nil
}

// nextReferral is offers.NextReferral for referral ref, its refusal an
// ECONFLICT naming the referral.
func nextReferral(ref string, from offers.ReferralStatus, a offers.ReferralAction) (offers.ReferralStatus, error) {
	to, err := offers.NextReferral(from, a)
	if err != nil {
		return "", care.Errorf(care.ECONFLICT, "referral %s: %s", ref, care.ErrorMessage(err))
	}
	return to, nil
}

// CheckAccept validates the arguments of an acceptance.
func CheckAccept(ref, provision string) error {
	if strings.TrimSpace(ref) == "" || strings.TrimSpace(provision) == "" {
		return care.Errorf(care.EINVALID, "give the referral reference and the provision whose offer is accepted")
	}
	return nil
}

// CheckCancel validates the argument of a cancellation.
func CheckCancel(ref string) error {
	if strings.TrimSpace(ref) == "" {
		return care.Errorf(care.EINVALID, "give the reference of the referral to cancel")
	}
	return nil
}

// CheckDeclines validates a decline count's period.
func CheckDeclines(f offers.DeclineFilter) error {
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return care.Errorf(care.EINVALID, "the period is empty: --from %s is not before --to %s", store.DateString(f.From), store.DateString(f.To))
	}
	return nil
}

// ReleasedGone is the audit detail of a release whose provision has left
// the supply.
func ReleasedGone(ref, provision string) string {
	return fmt.Sprintf("referral %s: provision %s is no longer in the supply; no place to give back", ref, provision)
}

// ReleasedRestored is the audit detail of a used-up vacancy restored by a release.
func ReleasedRestored(ref, vacancy, provision string, places int) string {
	return fmt.Sprintf("referral %s: vacancy %s of %s restored with %d place(s)", ref, vacancy, provision, places)
}

// ReleasedBack is the audit detail of places given back to their vacancy.
func ReleasedBack(ref, vacancy, provision string, places int) string {
	return fmt.Sprintf("referral %s: %d place(s) given back to vacancy %s of %s", ref, places, vacancy, provision)
}

// ReleasedVacancyID is the id of a vacancy restored by a release when its
// old id now names another provision's vacancy (the supply was replaced).
func ReleasedVacancyID(vacancy, ref string) string { return vacancy + "-released-" + ref }

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
func ReferralWhere(f offers.Filter, first string, placeholder func(int) string) *Where {
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
func DeclineWhere(f offers.DeclineFilter, placeholder func(int) string, instant func(time.Time) any) *Where {
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
func Offer(o *offers.Offer, price, offered int64, status, reason string) {
	o.WeeklyPrice, o.OfferedPrice = care.Pence(price), care.Pence(offered)
	o.Status, o.Reason = offers.Status(status), offers.Reason(reason)
}

// Sent is a referral's record, its offers and events still empty, from its
// columns (the stored JSON decoded).
func Sent(ref, status, data string, s *offers.Sent) error {
	if err := json.Unmarshal([]byte(data), &s.Referral); err != nil {
		return fmt.Errorf("referral %s: stored JSON: %w", ref, err)
	}
	s.Status = offers.ReferralStatus(status)
	s.Offers, s.Events = []offers.Offer{}, []offers.Event{}
	return nil
}

// Referrals gathers what loadSent reads: the referrals, then each offer,
// reservation and event placed on its referral.
type Referrals struct {
	Out   []offers.Sent
	index map[string]int
}

// AddSent appends a referral.
func (r *Referrals) AddSent(ref string, s offers.Sent) {
	if r.index == nil {
		r.index = map[string]int{}
	}
	r.index[ref] = len(r.Out)
	r.Out = append(r.Out, s)
}

// Found checks that a referral asked for by reference was found.
func (r *Referrals) Found(f offers.Filter) error {
	if f.Reference != "" && len(r.Out) == 0 {
		return ErrNoReferral(f.Reference)
	}
	return nil
}

// AddOffers places offers on their referrals.
func (r *Referrals) AddOffers(list []offers.Offer) {
	for _, o := range list {
		if i, ok := r.index[o.Referral]; ok {
			r.Out[i].Offers = append(r.Out[i].Offers, o)
		}
	}
}

// AddReservation places a reservation on its referral.
func (r *Referrals) AddReservation(v offers.Reservation) {
	if i, ok := r.index[v.Referral]; ok {
		r.Out[i].Reservation = &v
	}
}

// AddEvent places an event, its reason given as stored, on referral ref.
func (r *Referrals) AddEvent(ref string, e offers.Event, reason string) {
	e.Reason = offers.Reason(reason)
	if i, ok := r.index[ref]; ok {
		r.Out[i].Events = append(r.Out[i].Events, e)
	}
}

// DeclineCount completes a decline count with its reason as stored.
func DeclineCount(c offers.DeclineCount, reason string) offers.DeclineCount {
	c.Reason = offers.Reason(reason)
	return c
}
