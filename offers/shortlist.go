package offers

import (
	"context"
	"math"
	"strings"
	"sufficiency/workflow"
	"time"

	"sufficiency/care"
	"sufficiency/match"
)

// DefaultTop is how many providers a referral goes to when neither a number
// nor a choice is given: enough for a real choice, few enough that providers
// are not flooded with referrals they were never going to take.
const DefaultTop = 5

// MaxShortlist is the most providers one referral may go to. Sending to many
// more is the "send to all" practice this workflow replaces.
const MaxShortlist = 30

// ShortlistOptions say which eligible provisions a referral goes to.
type ShortlistOptions struct {
	// Top is the number of best-ranked eligible provisions (0: DefaultTop).
	Top int
	// Chosen, when given, are the provisions the council picked; each must
	// be eligible. Top is then ignored.
	Chosen []string
	// At is the date of the search (zero: the referral's start date).
	At time.Time
	// Now is when the search runs, for stale vacancies (zero: At).
	Now time.Time
}

// Shortlist ranks the eligible provisions for ref with match and returns the
// shortlist: the best opt.Top, or the provisions in opt.Chosen (in rank
// order). ENOTFOUND when nothing is eligible (run "sufficiency match" to see
// every exclusion); EINVALID when a chosen provision is unknown or not
// eligible (with match's reasons), or too many are asked for.
func Shortlist(ix *match.Index, ref care.Referral, opt ShortlistOptions) ([]workflow.Entry, error) {
	top := opt.Top
	if top == 0 {
		top = DefaultTop
	}
	if top < 0 || top > MaxShortlist {
		return nil, care.Errorf(care.EINVALID, "a shortlist of %d: send a referral to 1–%d providers; sending to all of them is what this workflow replaces", opt.Top, MaxShortlist)
	}
	if len(opt.Chosen) > MaxShortlist {
		return nil, care.Errorf(care.EINVALID, "%d provisions chosen: choose at most %d", len(opt.Chosen), MaxShortlist)
	}
	search := match.Options{At: opt.At, Now: opt.Now, Top: top}
	if len(opt.Chosen) > 0 {
		search.Top = 0 // rank every eligible provision, then pick the chosen
	}
	res, err := ix.Search(ref, search)
	if err != nil {
		return nil, err
	}
	if res.Eligible == 0 {
		return nil, care.Errorf(care.ENOTFOUND, "referral %s: no provision is eligible (%d considered, %d excluded); the search gives every exclusion with its reasons",
			ref.ID, res.Considered, res.ExcludedCount())
	}
	cands := res.Candidates
	if len(opt.Chosen) > 0 {
		rank := map[string]int{}
		for k, c := range cands {
			rank[c.ProvisionID] = k
		}
		seen := map[string]bool{}
		var picked []match.Candidate
		for _, id := range opt.Chosen {
			id = strings.TrimSpace(id)
			if id == "" || seen[id] {
				continue
			}
			seen[id] = true
			k, ok := rank[id]
			if !ok {
				return nil, notEligible(res, id)
			}
			picked = append(picked, cands[k])
		}
		// Keep match's ranking order.
		sortByRank(picked, rank)
		cands = picked
	}
	out := make([]workflow.Entry, len(cands))
	for k, c := range cands {
		p := ix.ProvisionOf(c.Vacancy)
		provider := strings.TrimSpace(p.Owner)
		if provider == "" {
			provider = p.Name
		}
		out[k] = workflow.Entry{Rank: k + 1, ProvisionID: c.ProvisionID, VacancyID: c.VacancyID, Name: c.Name,
			Provider: provider, Kind: c.Kind, Council: c.Council, Miles: round1(c.Miles), Score: round1(c.Score),
			WeeklyPrice: c.WeeklyPrice}
	}
	return out, nil
}

func round1(x float64) float64 {
	if x < 0 {
		return -1
	}
	return math.Round(x*10) / 10
}

func sortByRank(cs []match.Candidate, rank map[string]int) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && rank[cs[j].ProvisionID] < rank[cs[j-1].ProvisionID]; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// notEligible explains why a chosen provision cannot be sent the referral.
func notEligible(res match.Result, id string) error {
	for _, e := range res.NearestExcluded(-1) {
		if e.Provision.ID != id {
			continue
		}
		rs := make([]string, len(e.Reasons))
		for i, r := range e.Reasons {
			rs[i] = r.String()
		}
		return care.Errorf(care.EINVALID, "provision %s (%s) is not eligible for this referral: %s; choose an eligible provision",
			id, e.Provision.Name, strings.Join(rs, "; "))
	}
	return care.Errorf(care.EINVALID, "provision %q is not in the supply; check the id", id)
}

// SendOptions tune Send.
type SendOptions struct {
	ShortlistOptions
	// Actor is who sends the referral (recorded with every change).
	Actor string
	// Reference overrides the fresh opaque reference (tests); "" for NewReference.
	Reference string
	// Today is the date used for the child's age when the referral has no
	// start or received date (zero: time.Now).
	Today time.Time
}

// Send shortlists the referral with ix, pseudonymises it and records it in st
// with every shortlisted offer pending. It returns what was stored. Errors as
// Shortlist, Pseudonymise and Store.SendReferral.
func Send(ctx context.Context, st workflow.Store, ix *match.Index, ref care.Referral, opt SendOptions) (workflow.Sent, error) {
	list, err := Shortlist(ix, ref, opt.ShortlistOptions)
	if err != nil {
		return workflow.Sent{}, err
	}
	today := opt.Today
	if today.IsZero() {
		today = time.Now().UTC()
	}
	reference := opt.Reference
	if reference == "" {
		reference = workflow.NewReference()
	}
	sent, err := Pseudonymise(ref, reference, today)
	if err != nil {
		return workflow.Sent{}, err
	}
	return st.SendReferral(ctx, sent, ref.GroupSize(), list, opt.Actor)
}

// Make records a provider's offer of a place (price 0: its usual price).
func Make(ctx context.Context, st workflow.Store, reference, provisionID string, price care.Pence, actor string) (workflow.Offer, error) {
	c := workflow.Change{Referral: reference, ProvisionID: provisionID, Action: workflow.ActionOffer, Price: price, Actor: actor}
	if err := c.Check(); err != nil {
		return workflow.Offer{}, err
	}
	return st.Respond(ctx, c)
}

// Decline records a provider's decline with its reason (and a note, only for
// ReasonOther).
func Decline(ctx context.Context, st workflow.Store, reference, provisionID string, reason workflow.Reason, note, actor string) (workflow.Offer, error) {
	c := workflow.Change{Referral: reference, ProvisionID: provisionID, Action: workflow.ActionDecline, Reason: reason,
		Note: strings.TrimSpace(note), Actor: actor}
	if err := c.Check(); err != nil {
		return workflow.Offer{}, err
	}
	return st.Respond(ctx, c)
}
