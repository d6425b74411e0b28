// Package workflow is the offers workflow of a placement search, as the
// domain knows it: a pseudonymised referral (SentReferral) sent to a
// shortlist (Entry), each shortlisted provision's offer or structured decline
// (Offer, Reason), the acceptance that reserves a place (Reservation), the
// history of every change (Event); the states and the transitions allowed
// (Next, NextReferral); and the steps of each change (Send, Respond, Accept,
// Cancel) over the transaction a store provides (SendTx, OfferTx, AcceptTx),
// so the rules, the events and the audit entries are decided here once for
// every database. The Store interface is declared here; store/sqlite and
// store/postgres implement it and import nothing above this package. Package
// offers builds on it: shortlisting through match, pseudonymisation, the
// decline report.
package workflow

import (
	"context"
	"fmt"
	"strings"
	"time"

	"sufficiency/care"
)

// Status is the state of one shortlisted provision's answer to a referral.
type Status string

// Offer statuses. Pending is the state on sending; Declined and Withdrawn are
// final; Accepted is final except that cancelling the referral withdraws it
// (releasing the place).
const (
	StatusPending   Status = "pending"   // sent to the provider, no answer yet
	StatusOffered   Status = "offered"   // the provider offers a place
	StatusDeclined  Status = "declined"  // the provider declined, with a reason
	StatusAccepted  Status = "accepted"  // the council accepted the offer; the place is reserved
	StatusWithdrawn Status = "withdrawn" // closed by the council: another offer accepted, or the referral cancelled
)

// Statuses lists every offer status in workflow order.
var Statuses = []Status{StatusPending, StatusOffered, StatusDeclined, StatusAccepted, StatusWithdrawn}

// Action is something a provider or the council does to an offer.
type Action string

// Actions on an offer.
const (
	ActionOffer    Action = "offer"    // provider: offers a place
	ActionDecline  Action = "decline"  // provider: declines (also retracts an offer not yet accepted)
	ActionAccept   Action = "accept"   // council: accepts an offer, reserving the place
	ActionWithdraw Action = "withdraw" // council: closes the offer (another accepted, referral cancelled)
)

// transitions is the whole offer state machine: from status, action → to status.
var transitions = map[Status]map[Action]Status{
	StatusPending: {ActionOffer: StatusOffered, ActionDecline: StatusDeclined, ActionWithdraw: StatusWithdrawn},
	StatusOffered: {ActionDecline: StatusDeclined, ActionAccept: StatusAccepted, ActionWithdraw: StatusWithdrawn},
	// Cancelling a placed referral withdraws the accepted offer and releases the place.
	StatusAccepted: {ActionWithdraw: StatusWithdrawn},
}

// Next returns the status an offer moves to when action is taken in status
// from. ECONFLICT, with a message saying what can be done instead, when the
// action is not allowed in that state; EINVALID for an unknown status or
// action.
func Next(from Status, action Action) (Status, error) {
	if !knownStatus(from) {
		return "", care.Errorf(care.EINVALID, "unknown offer status %q; statuses are %s", from, joinStatuses())
	}
	switch action {
	case ActionOffer, ActionDecline, ActionAccept, ActionWithdraw:
	default:
		return "", care.Errorf(care.EINVALID, "unknown action %q on an offer; use offer, decline, accept or withdraw", action)
	}
	if to, ok := transitions[from][action]; ok {
		return to, nil
	}
	var why string
	switch {
	case from == StatusDeclined:
		why = "the provider has already declined; it cannot be changed"
	case from == StatusWithdrawn:
		why = "the offer was withdrawn (another offer was accepted or the referral was cancelled)"
	case from == StatusAccepted:
		why = "the offer has been accepted; to undo it, cancel the referral, which releases the place"
	case from == StatusOffered && action == ActionOffer:
		why = "the provider has already offered"
	case from == StatusPending && action == ActionAccept:
		why = "the provider has not offered a place yet; only an offer can be accepted"
	default:
		why = "that is not allowed in this state"
	}
	return "", care.Errorf(care.ECONFLICT, "cannot %s now: the offer is %s (%s)", action, from, why)
}

func knownStatus(s Status) bool {
	for _, x := range Statuses {
		if x == s {
			return true
		}
	}
	return false
}

func joinStatuses() string {
	parts := make([]string, len(Statuses))
	for i, s := range Statuses {
		parts[i] = string(s)
	}
	return strings.Join(parts, ", ")
}

// ReferralStatus is the state of a sent referral.
type ReferralStatus string

// Referral statuses.
const (
	ReferralOpen      ReferralStatus = "open"      // sent; waiting for offers or for the council to accept one
	ReferralPlaced    ReferralStatus = "placed"    // an offer was accepted and its place reserved
	ReferralCancelled ReferralStatus = "cancelled" // withdrawn by the council; any reserved place released
)

// ReferralAction is something the council does to a referral as a whole.
type ReferralAction string

// Referral actions.
const (
	ReferralAccept ReferralAction = "accept" // an offer is accepted
	ReferralCancel ReferralAction = "cancel" // the council cancels the referral
)

// NextReferral returns the status a referral moves to. ECONFLICT when the
// referral's state does not allow it (a placed referral cannot accept another
// offer; a cancelled one is final); EINVALID for unknown values.
func NextReferral(from ReferralStatus, action ReferralAction) (ReferralStatus, error) {
	switch from {
	case ReferralOpen, ReferralPlaced, ReferralCancelled:
	default:
		return "", care.Errorf(care.EINVALID, "unknown referral status %q; statuses are open, placed, cancelled", from)
	}
	switch {
	case action == ReferralAccept && from == ReferralOpen:
		return ReferralPlaced, nil
	case action == ReferralCancel && (from == ReferralOpen || from == ReferralPlaced):
		return ReferralCancelled, nil
	case action == ReferralAccept && from == ReferralPlaced:
		return "", care.Errorf(care.ECONFLICT, "the referral is already placed: one offer has been accepted; cancel the referral first to release that place")
	case action == ReferralAccept || action == ReferralCancel:
		return "", care.Errorf(care.ECONFLICT, "the referral was cancelled; send a new referral if a placement is still needed")
	}
	return "", care.Errorf(care.EINVALID, "unknown referral action %q; use accept or cancel", action)
}

// Entry is one provision on a referral's shortlist, as match ranked it.
type Entry struct {
	Rank        int        `json:"rank"` // 1 is best
	ProvisionID string     `json:"provision_id"`
	VacancyID   string     `json:"vacancy_id"` // the vacancy match would use
	Name        string     `json:"name"`
	Provider    string     `json:"provider"` // the owner organisation or fostering service
	Kind        string     `json:"kind"`
	Council     string     `json:"council"` // where the provision is
	Miles       float64    `json:"miles"`   // from the child's home district, −1 when unknown
	Score       float64    `json:"score"`   // match score (lower is better)
	WeeklyPrice care.Pence `json:"weekly_price_pence"`
}

// Offer is one shortlisted provision's state for a referral.
type Offer struct {
	Entry
	Referral string `json:"referral"`
	Status   Status `json:"status"`
	// Reason is set when declined; Note only when Reason is ReasonOther.
	Reason Reason `json:"reason,omitempty"`
	Note   string `json:"note,omitempty"`
	// OfferedPrice is the weekly price the provider offers (0: its usual price).
	OfferedPrice care.Pence `json:"offered_price_pence,omitempty"`
	// Conditions are the provider's conditions on an offer (e.g. "a
	// transition plan of two visits before moving in"); empty for none.
	Conditions string `json:"conditions,omitempty"`
	// RespondedAt is when the provider offered or declined (zero before).
	RespondedAt time.Time `json:"responded_at,omitzero"`
	UpdatedAt   time.Time `json:"updated_at"`
	UpdatedBy   string    `json:"updated_by"`
}

// Reservation is the place taken when an offer is accepted.
type Reservation struct {
	Referral    string    `json:"referral"`
	ProvisionID string    `json:"provision_id"`
	VacancyID   string    `json:"vacancy_id"`
	Places      int       `json:"places"` // the child and siblings placed together
	At          time.Time `json:"reserved_at"`
	By          string    `json:"reserved_by"`
	// PlacesLeft is what the vacancy had left after the reservation.
	PlacesLeft int `json:"places_left"`
	// Released is when cancelling the referral gave the place back (zero while held).
	Released   time.Time `json:"released_at,omitzero"`
	ReleasedBy string    `json:"released_by,omitempty"`
}

// Sent is a referral as it was sent, with its state and every offer.
type Sent struct {
	Referral  SentReferral   `json:"referral"`
	Status    ReferralStatus `json:"status"`
	GroupSize int            `json:"places_needed"`
	SentAt    time.Time      `json:"sent_at"`
	SentBy    string         `json:"sent_by"`
	UpdatedAt time.Time      `json:"updated_at"`
	UpdatedBy string         `json:"updated_by"`
	// Note is the council's note on cancelling.
	Note        string       `json:"note,omitempty"`
	Offers      []Offer      `json:"offers"`
	Reservation *Reservation `json:"reservation,omitempty"`
	// Events is every change to the referral and its offers, oldest first.
	Events []Event `json:"events"`
}

// Event is one recorded change: who did what, when, from which state to
// which. ProvisionID is empty for a change to the referral as a whole.
type Event struct {
	At          time.Time `json:"at"`
	Actor       string    `json:"actor"`
	ProvisionID string    `json:"provision_id,omitempty"`
	Action      string    `json:"action"` // send, offer, decline, accept, withdraw, cancel, release
	From        string    `json:"from,omitempty"`
	To          string    `json:"to"`
	Reason      Reason    `json:"reason,omitempty"`
	Note        string    `json:"note,omitempty"`
}

// Change is a provider's answer to a referral: an offer or a decline.
type Change struct {
	Referral    string
	ProvisionID string
	Action      Action // ActionOffer or ActionDecline
	Reason      Reason // required for a decline
	Note        string // only with ReasonOther, and required then
	// Price is the weekly price offered (0: the usual price); only with an offer.
	Price care.Pence
	// Conditions are the provider's conditions on an offer; only with an offer.
	Conditions string
	Actor      string
}

// MaxConditions is the longest conditions text accepted with an offer, in characters.
const MaxConditions = 500

// Check validates a provider's answer before it is stored: EINVALID naming
// what is wrong.
func (c Change) Check() error {
	if strings.TrimSpace(c.Referral) == "" {
		return care.Errorf(care.EINVALID, "no referral reference given: pass the reference printed by \"referral send\"")
	}
	if strings.TrimSpace(c.ProvisionID) == "" {
		return care.Errorf(care.EINVALID, "no provision given: pass the id of the provision answering")
	}
	switch c.Action {
	case ActionOffer:
		if c.Reason != "" || c.Note != "" {
			return care.Errorf(care.EINVALID, "an offer takes no decline reason or note; to decline, use decline with a reason")
		}
		if c.Price < 0 {
			return care.Errorf(care.EINVALID, "the offered weekly price cannot be negative")
		}
		if n := len([]rune(strings.TrimSpace(c.Conditions))); n > MaxConditions {
			return care.Errorf(care.EINVALID, "the conditions have %d characters; keep them to %d", n, MaxConditions)
		}
		return nil
	case ActionDecline:
		if c.Price != 0 {
			return care.Errorf(care.EINVALID, "a decline takes no price; if the price is the reason, decline with reason price")
		}
		if strings.TrimSpace(c.Conditions) != "" {
			return care.Errorf(care.EINVALID, "a decline takes no conditions; give the reason instead")
		}
		return CheckDecline(c.Reason, c.Note)
	}
	return care.Errorf(care.EINVALID, "a provider can offer or decline, not %q", c.Action)
}

// Filter selects sent referrals. Empty fields select everything.
type Filter struct {
	Reference   string // one referral
	Council     string // the placing council
	ProvisionID string // referrals that went to this provision
	Status      ReferralStatus
}

// DeclineFilter selects declines for the report. Zero fields select
// everything; To is exclusive.
type DeclineFilter struct {
	From, To time.Time
	Council  string // placing council
	Provider string // owner organisation
}

// DeclineCount is the number of declines for one council, provider and
// reason: the finest grain the report adds up.
type DeclineCount struct {
	Council  string `json:"council"`
	Provider string `json:"provider"`
	Reason   Reason `json:"reason"`
	Count    int    `json:"count"`
}

// Store keeps sent referrals, their shortlists and offers, reservations and
// the history of every change. Each method is one transaction. Implemented by
// store/sqlite and store/postgres (contract: storetest.RunOffers).
type Store interface {
	// SendReferral records a pseudonymised referral and its shortlist, every
	// offer pending, as one transaction, stamped with actor. ECONFLICT when
	// the reference is already used; EINVALID for an empty shortlist.
	SendReferral(ctx context.Context, r SentReferral, groupSize int, shortlist []Entry, actor string) (Sent, error)
	// Respond records a provider's offer or decline (c.Check must pass; the
	// transition must be allowed by Next). ENOTFOUND when the referral does
	// not exist or the provision is not on its shortlist; ECONFLICT when the
	// referral is no longer open or the offer's state does not allow it.
	Respond(ctx context.Context, c Change) (Offer, error)
	// Accept accepts the provision's offer: in one transaction it reserves
	// the referral's places from a vacancy of the provision (the shortlisted
	// one first) with a conditional update that fails when no place is left,
	// marks the offer accepted and the referral placed, and withdraws the
	// other open offers. ECONFLICT when the places are gone (another council
	// took them), the referral is not open or the offer was not made;
	// ENOTFOUND for an unknown referral or provision.
	Accept(ctx context.Context, reference, provisionID, actor string) (Reservation, error)
	// Cancel cancels an open or placed referral, withdrawing every open or
	// accepted offer and releasing a reserved place back to its vacancy.
	// ENOTFOUND for an unknown referral; ECONFLICT when already cancelled.
	Cancel(ctx context.Context, reference, note, actor string) error
	// Referrals returns the sent referrals matching f with their offers,
	// oldest first. ENOTFOUND when f.Reference names no referral.
	Referrals(ctx context.Context, f Filter) ([]Sent, error)
	// Declines counts declined offers by placing council, provider and
	// reason, for declines made in [f.From, f.To).
	Declines(ctx context.Context, f DeclineFilter) ([]DeclineCount, error)
}

// Describe is a one-line account of an offer's state, for listings.
func (o Offer) Describe() string {
	switch o.Status {
	case StatusDeclined:
		s := "declined: " + o.Reason.Label()
		if o.Note != "" {
			s += " (" + o.Note + ")"
		}
		return s
	case StatusOffered:
		if o.OfferedPrice > 0 {
			return fmt.Sprintf("offered at £%.2f a week", o.OfferedPrice.Pounds())
		}
		return "offered"
	}
	return string(o.Status)
}
