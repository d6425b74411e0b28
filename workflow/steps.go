package workflow

import (
	"fmt"
	"strings"

	"sufficiency/care"
)

// OfferTx is the offers workflow's steps within one transaction, in a
// dialect's SQL, by one actor at one time. Respond, WithdrawOpen and Cancel
// run the workflow over it, so its transitions, events and audit entries are
// decided once for both databases.
type OfferTx interface {
	// Referral reads a referral's status, council, places needed and start
	// date (YYYY-MM-DD or ""), locking it where the database needs that;
	// ErrNoReferral when there is none.
	Referral(ref string) (status ReferralStatus, council string, group int, start string, err error)
	// Offer reads an offer's status and shortlisted vacancy;
	// ErrNotShortlisted when the provision was not sent the referral.
	Offer(ref, provision string) (Status, string, error)
	// SetOffer moves an offer from one status to another, recording the
	// provider's answer when there is one; ErrOfferChanged when the offer
	// changed meanwhile.
	SetOffer(ref, provision string, from, to Status, answer *Answer) error
	// OpenOffers lists the referral's pending, offered and accepted
	// offers, by rank.
	OpenOffers(ref string) ([]OpenOffer, error)
	// SetReferral moves a referral from one status to another with a note;
	// ErrReferralChanged when it changed meanwhile.
	SetReferral(ref string, from, to ReferralStatus, note string) error
	// Release gives a held reservation's places back (nothing when none).
	Release(ref, council string) error
	// Event appends an offer event.
	Event(ref, provision, action, from, to string, reason Reason, note string) error
	// Audit appends an audit entry.
	Audit(action, council, detail string) error
}

// Answer is a provider's answer recorded on its offer.
type Answer struct {
	Reason     Reason
	Note       string
	Price      care.Pence
	Conditions string
}

// OpenOffer is an offer still open (or accepted) on a referral.
type OpenOffer struct {
	ProvisionID string
	Status      Status
}

// Respond records a provider's offer or decline (c checked) on an open
// referral.
func Respond(t OfferTx, c Change) error {
	rst, council, _, _, err := t.Referral(c.Referral)
	if err != nil {
		return err
	}
	if rst != ReferralOpen {
		return notOpen(c.Referral, rst)
	}
	from, _, err := t.Offer(c.Referral, c.ProvisionID)
	if err != nil {
		return err
	}
	to, err := nextOffer(c.Referral, c.ProvisionID, from, c.Action)
	if err != nil {
		return err
	}
	note := strings.TrimSpace(c.Note)
	if err := t.SetOffer(c.Referral, c.ProvisionID, from, to, &Answer{Reason: c.Reason, Note: note, Price: c.Price, Conditions: strings.TrimSpace(c.Conditions)}); err != nil {
		return err
	}
	if err := t.Event(c.Referral, c.ProvisionID, string(c.Action), string(from), string(to), c.Reason, note); err != nil {
		return err
	}
	return t.Audit(ActionOfferPrefix+string(c.Action), council, respondDetail(c, from, to))
}

// WithdrawOpen withdraws every pending or offered offer of the referral,
// and the accepted one too when withAccepted (the referral is being
// cancelled), noting why.
func WithdrawOpen(t OfferTx, ref, council, why string, withAccepted bool) error {
	open, err := t.OpenOffers(ref)
	if err != nil {
		return err
	}
	for _, o := range open {
		if o.Status == StatusAccepted && !withAccepted {
			continue
		}
		to, err := Next(o.Status, ActionWithdraw)
		if err != nil {
			return err
		}
		if err := t.SetOffer(ref, o.ProvisionID, o.Status, to, nil); err != nil {
			return err
		}
		if err := t.Event(ref, o.ProvisionID, string(ActionWithdraw), string(o.Status), string(to), "", why); err != nil {
			return err
		}
		if err := t.Audit(ActionOfferPrefix+"withdraw", council, fmt.Sprintf("referral %s, provision %s: %s → %s (%s)", ref, o.ProvisionID, o.Status, to, why)); err != nil {
			return err
		}
	}
	return nil
}

// Cancel cancels a referral (ref checked): withdraws its offers, releases
// its place and notes why.
func Cancel(t OfferTx, ref, note string) error {
	note = strings.TrimSpace(note)
	rst, council, _, _, err := t.Referral(ref)
	if err != nil {
		return err
	}
	next, err := nextReferral(ref, rst, ReferralCancel)
	if err != nil {
		return err
	}
	if err := WithdrawOpen(t, ref, council, "referral cancelled", true); err != nil {
		return err
	}
	if err := t.Release(ref, council); err != nil {
		return err
	}
	if err := t.SetReferral(ref, rst, next, note); err != nil {
		return err
	}
	if err := t.Event(ref, "", string(ReferralCancel), string(rst), string(next), "", note); err != nil {
		return err
	}
	return t.Audit(ActionOfferPrefix+"cancel", council, fmt.Sprintf("referral %s: %s → %s", ref, rst, next))
}

// AcceptTx is OfferTx with the steps of an acceptance.
type AcceptTx interface {
	OfferTx
	// AcceptedWith is the provision whose offer on the referral was
	// accepted ("" when none).
	AcceptedWith(ref string) (string, error)
	// TakePlaces takes group places of one of the provision's vacancies
	// free by start (YYYY-MM-DD or ""), the shortlisted vacancy first, and
	// deletes the vacancy if none is left; ErrNoVacancy when none has them.
	TakePlaces(provision string, group int, start, shortlisted string) (Taken, error)
	// PlaceReferral moves the referral from one status to another.
	PlaceReferral(ref string, from, to ReferralStatus) error
	// Reserve records the reservation of the places taken;
	// ErrHasReservation when the referral has one.
	Reserve(ref, provision string, group int, taken Taken) error
}

// Taken is what TakePlaces took: the vacancy, its places left, and its
// valid-from and weekly price as stored (kept on the reservation).
type Taken struct {
	VacancyID string
	Left      int
	ValidFrom any
	Price     int64
}

// Accept accepts provision's offer on referral ref (both checked) and
// reserves its places, withdrawing the referral's other open  The
// reservation returned has no time or actor yet.
func Accept(t AcceptTx, ref, provision string) (Reservation, error) {
	rst, council, group, start, err := t.Referral(ref)
	if err != nil {
		return Reservation{}, err
	}
	nextRef, err := nextReferral(ref, rst, ReferralAccept)
	if err != nil {
		if rst == ReferralPlaced {
			with, err := t.AcceptedWith(ref)
			if err != nil {
				return Reservation{}, err
			}
			return Reservation{}, errAlreadyPlaced(ref, with)
		}
		return Reservation{}, err
	}
	from, shortlisted, err := t.Offer(ref, provision)
	if err != nil {
		return Reservation{}, err
	}
	to, err := nextOffer(ref, provision, from, ActionAccept)
	if err != nil {
		return Reservation{}, err
	}
	taken, err := t.TakePlaces(provision, group, start, shortlisted)
	if err != nil {
		return Reservation{}, err
	}
	if err := t.SetOffer(ref, provision, from, to, nil); err != nil {
		return Reservation{}, err
	}
	if err := t.PlaceReferral(ref, rst, nextRef); err != nil {
		return Reservation{}, err
	}
	if err := t.Reserve(ref, provision, group, taken); err != nil {
		return Reservation{}, err
	}
	if err := t.Event(ref, provision, string(ActionAccept), string(from), string(to), "", ""); err != nil {
		return Reservation{}, err
	}
	if err := t.Event(ref, "", string(ReferralAccept), string(rst), string(nextRef), "", ""); err != nil {
		return Reservation{}, err
	}
	if err := t.Audit(ActionOfferPrefix+"accept", council, fmt.Sprintf("referral %s, provision %s: accepted; %d place(s) of vacancy %s reserved, %d left",
		ref, provision, group, taken.VacancyID, taken.Left)); err != nil {
		return Reservation{}, err
	}
	if err := WithdrawOpen(t, ref, council, "another offer was accepted", false); err != nil {
		return Reservation{}, err
	}
	return Reservation{Referral: ref, ProvisionID: provision, VacancyID: taken.VacancyID, Places: group, PlacesLeft: taken.Left}, nil
}

// respondDetail is the audit detail of a provider's answer.
func respondDetail(c Change, from, to Status) string {
	detail := fmt.Sprintf("referral %s, provision %s: %s → %s", c.Referral, c.ProvisionID, from, to)
	if c.Reason != "" {
		detail += " (" + string(c.Reason) + ")"
	}
	return detail
}

// SendTx is OfferTx with the steps of sending a referral.
type SendTx interface {
	OfferTx
	// AddReferral stores an open referral: start is its start date as a
	// column value, data its JSON; ErrReferenceUsed when the reference is
	// taken.
	AddReferral(r SentReferral, group int, start any, data []byte) error
	// AddOffer stores a pending offer at rank; ErrRankTwice when the rank
	// is given twice.
	AddOffer(ref string, e Entry, rank int) error
}

// Send stores a referral, checked and encoded by CheckReferral (data), with
// its shortlist, each entry ranked as given or else by its place.
func Send(t SendTx, r SentReferral, group int, list []Entry, start any, data []byte) error {
	if err := t.AddReferral(r, group, start, data); err != nil {
		return err
	}
	names := make([]string, len(list))
	for k, e := range list {
		if err := t.AddOffer(r.Reference, e, Rank(e, k)); err != nil {
			return err
		}
		names[k] = e.ProvisionID
	}
	if err := t.Event(r.Reference, "", "send", "", string(ReferralOpen), "", ""); err != nil {
		return err
	}
	return t.Audit(ActionOfferPrefix+"send", r.Council, SendDetail(r.Reference, names))
}
