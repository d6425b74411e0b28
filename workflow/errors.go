package workflow

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"sufficiency/care"
)

// ActionOfferPrefix starts the audit actions of the offers workflow
// (council: the placing council): + send, offer, decline, accept, withdraw,
// release, cancel.
const ActionOfferPrefix = "offer "

// CheckReferral validates a referral about to be sent: a reference, 1 to 13
// places, a non-empty shortlist naming each provision once with its vacancy.
// It returns the referral encoded as stored (JSON).
func CheckReferral(r SentReferral, groupSize int, list []Entry) ([]byte, error) {
	if strings.TrimSpace(r.Reference) == "" {
		return nil, care.Errorf(care.EINVALID, "the referral has no reference: use workflow.NewReference")
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
func Rank(e Entry, k int) int {
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
	return care.Errorf(care.ENOTFOUND, "no referral %q: check the reference the referral was sent under", ref)
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
	return care.Errorf(care.ECONFLICT, "the offer of %s for referral %s changed meanwhile; look at it again", provision, ref)
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
func notOpen(ref string, st ReferralStatus) error {
	if st == ReferralPlaced {
		return care.Errorf(care.ECONFLICT, "referral %s is already placed: an offer was accepted, so no more answers are needed", ref)
	}
	return care.Errorf(care.ECONFLICT, "referral %s was cancelled: no answer is needed", ref)
}

// nextOffer is Next for provision's offer on referral ref, its
// refusal an ECONFLICT naming both.
func nextOffer(ref, provision string, from Status, a Action) (Status, error) {
	to, err := Next(from, a)
	if err != nil {
		return "", care.Errorf(care.ECONFLICT, "%s for referral %s: %s", provision, ref, care.ErrorMessage(err))
	}
	return to, nil
}

// nextReferral is NextReferral for referral ref, its refusal an
// ECONFLICT naming the referral.
func nextReferral(ref string, from ReferralStatus, a ReferralAction) (ReferralStatus, error) {
	to, err := NextReferral(from, a)
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
func CheckDeclines(f DeclineFilter) error {
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return care.Errorf(care.EINVALID, "the period is empty: its first day %s is not before the day it ends %s", f.From.Format(time.DateOnly), f.To.Format(time.DateOnly))
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
