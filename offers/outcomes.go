package offers

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"sufficiency/match"
	"sufficiency/tabular"
	"sufficiency/workflow"
)

// Outcomes is what the referrals of a council or region say about
// sufficiency: how many were placed and how fast, why providers declined (by
// provider, kind of home and level of need), which children were placed more
// than 20 miles from home and why nothing nearer was taken, and how many
// referrals found no eligible home at all. It is evidence for the
// sufficiency statement, computed from the workflow's records only.
type Outcomes struct {
	Scope string    `json:"scope"`
	From  time.Time `json:"from,omitzero"`
	To    time.Time `json:"to,omitzero"` // exclusive
	// Referrals sent in the period, by state now.
	Sent      int `json:"sent"`
	Placed    int `json:"placed"`
	Open      int `json:"open"`
	Cancelled int `json:"cancelled"`
	// NoEligible is the number of referrals drafted in the period for which
	// no home or household was eligible (never sent); given by the caller.
	NoEligible int `json:"no_eligible_place"`
	// Answers of the shortlisted providers.
	Shortlisted int `json:"shortlisted"`
	Offered     int `json:"offered"` // offers made (accepted or not)
	Declined    int `json:"declined"`
	Unanswered  int `json:"unanswered"`
	// Days from sending to the place being reserved, of placed referrals.
	MedianDaysToPlace float64 `json:"median_days_to_place"`
	MaxDaysToPlace    int     `json:"max_days_to_place"`
	// Far lists the placements more than FarMiles from home, with why.
	Far        []FarPlacement `json:"placed_over_20_miles"`
	ByReason   []ReasonCount  `json:"declines_by_reason"`
	ByKind     []Breakdown    `json:"declines_by_kind"`
	ByNeed     []Breakdown    `json:"declines_by_need"`
	ByProvider []Breakdown    `json:"declines_by_provider"`
}

// FarMiles is the distance beyond which a placement counts as far from home
// (the DfE's 20 miles).
const FarMiles = 20.0

// FarPlacement is one placement more than FarMiles from home, with what
// happened to the nearer homes on its shortlist.
type FarPlacement struct {
	Reference string  `json:"reference"`
	Council   string  `json:"council"`
	Home      string  `json:"home"`
	Miles     float64 `json:"miles"`
	Why       string  `json:"why"`
}

// Breakdown is the declines of one group (a kind of home, a level of need, a
// provider) by reason.
type Breakdown struct {
	Key      string                  `json:"key"`
	Total    int                     `json:"total"`
	ByReason map[workflow.Reason]int `json:"by_reason"`
}

// ComputeOutcomes adds up the referrals sent in [from, to) (zero bounds:
// all) of list into Outcomes for scope; noEligible is the number of
// referrals that found no eligible home.
func ComputeOutcomes(scope string, list []workflow.Sent, from, to time.Time, noEligible int) Outcomes {
	o := Outcomes{Scope: scope, From: from, To: to, NoEligible: noEligible}
	byReason := map[workflow.Reason]int{}
	kinds, needs, provs := map[string]*Breakdown{}, map[string]*Breakdown{}, map[string]*Breakdown{}
	add := func(m map[string]*Breakdown, k string, r workflow.Reason) {
		b := m[k]
		if b == nil {
			b = &Breakdown{Key: k, ByReason: map[workflow.Reason]int{}}
			m[k] = b
		}
		b.Total++
		b.ByReason[r]++
	}
	var days []int
	for _, s := range list {
		if !from.IsZero() && s.SentAt.Before(from) || !to.IsZero() && !s.SentAt.Before(to) {
			continue
		}
		o.Sent++
		switch s.Status {
		case workflow.ReferralPlaced:
			o.Placed++
		case workflow.ReferralOpen:
			o.Open++
		case workflow.ReferralCancelled:
			o.Cancelled++
		}
		need := s.Referral.NeedsTier
		if need == "" {
			need = "unknown"
		}
		var accepted *workflow.Offer
		for i, of := range s.Offers {
			o.Shortlisted++
			switch of.Status {
			case workflow.StatusDeclined:
				o.Declined++
				byReason[of.Reason]++
				add(kinds, of.Kind, of.Reason)
				add(needs, need, of.Reason)
				add(provs, of.Provider, of.Reason)
			case workflow.StatusPending:
				o.Unanswered++
			case workflow.StatusOffered, workflow.StatusAccepted:
				o.Offered++
			case workflow.StatusWithdrawn:
				if !of.RespondedAt.IsZero() {
					o.Offered++ // an offer withdrawn when another was accepted
				} else {
					o.Unanswered++
				}
			}
			if of.Status == workflow.StatusAccepted {
				accepted = &s.Offers[i]
			}
		}
		if s.Status == workflow.ReferralPlaced && s.Reservation != nil {
			d := int(s.Reservation.At.Sub(s.SentAt).Hours() / 24)
			days = append(days, d)
			o.MaxDaysToPlace = max(o.MaxDaysToPlace, d)
		}
		if accepted != nil && accepted.Miles > FarMiles {
			o.Far = append(o.Far, FarPlacement{Reference: s.Referral.Reference, Council: s.Referral.Council, Home: accepted.Name,
				Miles: accepted.Miles, Why: whyFar(s, accepted)})
		}
	}
	if len(days) > 0 {
		sort.Ints(days)
		n := len(days)
		if n%2 == 1 {
			o.MedianDaysToPlace = float64(days[n/2])
		} else {
			o.MedianDaysToPlace = float64(days[n/2-1]+days[n/2]) / 2
		}
	}
	for _, r := range workflow.Reasons {
		rc := ReasonCount{Reason: r, Label: r.Label(), Count: byReason[r]}
		if o.Declined > 0 {
			rc.Share = float64(rc.Count) / float64(o.Declined)
		}
		o.ByReason = append(o.ByReason, rc)
	}
	o.ByKind, o.ByNeed, o.ByProvider = breakdowns(kinds), breakdowns(needs), breakdowns(provs)
	sort.Slice(o.Far, func(i, j int) bool { return o.Far[i].Miles > o.Far[j].Miles })
	return o
}

// whyFar says why a child was placed far from home: what the nearer homes
// of the shortlist answered, or that none was nearer.
func whyFar(s workflow.Sent, acc *workflow.Offer) string {
	var near []string
	for _, of := range s.Offers {
		if of.ProvisionID == acc.ProvisionID || of.Miles < 0 || of.Miles >= acc.Miles {
			continue
		}
		what := string(of.Status)
		switch of.Status {
		case workflow.StatusDeclined:
			what = "declined: " + of.Reason.Label()
		case workflow.StatusPending:
			what = "did not answer"
		case workflow.StatusWithdrawn:
			what = "did not answer before the offer was accepted"
			if !of.RespondedAt.IsZero() {
				what = "offered, not chosen"
			}
		}
		near = append(near, fmt.Sprintf("%s (%.1f miles) %s", of.Name, of.Miles, what))
	}
	if len(near) == 0 {
		return fmt.Sprintf("no home within %.1f miles was eligible and shortlisted", acc.Miles)
	}
	return "nearer homes: " + strings.Join(near, "; ")
}

func breakdowns(m map[string]*Breakdown) []Breakdown {
	out := make([]Breakdown, 0, len(m))
	for _, b := range m {
		out = append(out, *b)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Total != out[j].Total {
			return out[i].Total > out[j].Total
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// kindLabel names a provision kind for the tables.
func kindLabel(k string) string {
	switch k {
	case "childrens_home":
		return "children's home"
	case "secure_home":
		return "secure children's home"
	case "residential_school":
		return "residential special school"
	case "supported_accommodation":
		return "supported accommodation"
	case "fostering":
		return "fostering household"
	}
	return strings.ReplaceAll(k, "_", " ")
}

// Tables are the outcomes as tables (the CLI prints them, the web shows and
// downloads them). Counts are of referrals and offers, not children's
// records, but small ones are suppressed like any other when published.
func (o Outcomes) Tables() []tabular.Table {
	note := "Referrals sent through this service"
	if !o.From.IsZero() || !o.To.IsZero() {
		note += fmt.Sprintf(" from %s to %s", dayOr(o.From, "the start"), dayOr(o.To.AddDate(0, 0, -1), "today"))
	}
	sum := tabular.Table{Title: o.Scope + ": referral outcomes", Columns: []tabular.Column{{Name: "Measure"}, {Name: "Value", Kind: tabular.Number}},
		Notes: []string{note + ". Days to place run from sending to the acceptance that reserved the place."}}
	rows := []struct {
		k string
		v float64
	}{{"Referrals sent", float64(o.Sent)}, {"Placed", float64(o.Placed)}, {"Still open", float64(o.Open)}, {"Withdrawn by the council", float64(o.Cancelled)},
		{"Referrals with no eligible home (not sent)", float64(o.NoEligible)}, {"Homes shortlisted", float64(o.Shortlisted)},
		{"Offers made", float64(o.Offered)}, {"Declines", float64(o.Declined)}, {"Not answered", float64(o.Unanswered)},
		{"Median days to place", o.MedianDaysToPlace}, {"Longest days to place", float64(o.MaxDaysToPlace)},
		{"Placed more than 20 miles from home", float64(len(o.Far))}}
	for _, r := range rows {
		sum.Rows = append(sum.Rows, []any{r.k, r.v})
	}
	reasons := tabular.Table{Title: "Declines by reason", Columns: []tabular.Column{{Name: "Reason"}, {Name: "Declines", Kind: tabular.Count},
		{Name: "Share of declines", Kind: tabular.Percent, Base: "Declines"}}}
	for _, r := range o.ByReason {
		reasons.Rows = append(reasons.Rows, []any{r.Label, r.Count, math.Round(r.Share*1000) / 10})
	}
	tables := []tabular.Table{sum, reasons,
		breakdownTable("Declines by kind of home", "Kind of home", o.ByKind, kindLabel),
		breakdownTable("Declines by the child's level of need", "Level of need", o.ByNeed, func(s string) string { return strings.ReplaceAll(s, "_", " ") }),
		breakdownTable("Declines by provider", "Provider", o.ByProvider, func(s string) string { return s })}
	far := tabular.Table{Title: "Placed more than 20 miles from home, and why", Columns: []tabular.Column{{Name: "Referral"}, {Name: "Council"},
		{Name: "Home"}, {Name: "Miles", Kind: tabular.Number}, {Name: "Why"}}}
	for _, f := range o.Far {
		far.Rows = append(far.Rows, []any{f.Reference, f.Council, f.Home, f.Miles, f.Why})
	}
	return append(tables, far)
}

func dayOr(t time.Time, none string) string {
	if t.IsZero() || t.Year() < 2 {
		return none
	}
	return t.Format("2 January 2006")
}

// breakdownTable is one breakdown as a table: a row per group, a column per reason.
func breakdownTable(title, what string, bs []Breakdown, label func(string) string) tabular.Table {
	t := tabular.Table{Title: title, Columns: []tabular.Column{{Name: what}, {Name: "Declines", Kind: tabular.Count}}}
	for _, r := range workflow.Reasons {
		t.Columns = append(t.Columns, tabular.Column{Name: r.Label(), Kind: tabular.Count})
	}
	for _, b := range bs {
		row := []any{label(b.Key), b.Total}
		for _, r := range workflow.Reasons {
			row = append(row, b.ByReason[r])
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// NoEligible counts the drafts created in [from, to) (zero bounds: all) and
// never sent (not in sent) for which ix finds no eligible home as of now:
// referrals the supply cannot meet at all. Drafts that no longer parse are
// not counted.
func NoEligible(ix *match.Index, drafts []workflow.Draft, sent map[string]bool, from, to, now time.Time) int {
	n := 0
	for _, d := range drafts {
		if sent[d.Reference] || !from.IsZero() && d.CreatedAt.Before(from) || !to.IsZero() && !d.CreatedAt.Before(to) {
			continue
		}
		ref, err := d.Parse()
		if err != nil {
			continue
		}
		// Eligibility does not depend on now (only the ranking does); the
		// index remembers each referral's answer while the supply is unchanged.
		if ok, err := ix.HasEligible(ref); err == nil && !ok {
			n++
		}
	}
	return n
}

// OutcomeStore is what GatherOutcomes reads: the sent referrals and the drafts.
type OutcomeStore interface {
	workflow.Store
	workflow.DraftStore
}

// GatherOutcomes reads the referrals and drafts of the councils from st and
// computes their outcomes for [from, to); index builds the supply's match
// index, called only when some draft was never sent (to count the drafts
// that found no eligible home, as of now).
func GatherOutcomes(ctx context.Context, st OutcomeStore, index func() (*match.Index, error), scope string, councils []string, from, to, now time.Time) (Outcomes, error) {
	var list []workflow.Sent
	sent := map[string]bool{}
	var drafts []workflow.Draft
	for _, c := range councils {
		l, err := st.Referrals(ctx, workflow.Filter{Council: c})
		if err != nil {
			return Outcomes{}, err
		}
		for _, s := range l {
			sent[s.Referral.Reference] = true
		}
		list = append(list, l...)
		d, err := st.Drafts(ctx, c)
		if err != nil {
			return Outcomes{}, err
		}
		drafts = append(drafts, d...)
	}
	noEligible := 0
	for _, d := range drafts {
		if !sent[d.Reference] {
			ix, err := index()
			if err != nil {
				return Outcomes{}, err
			}
			noEligible = NoEligible(ix, drafts, sent, from, to, now)
			break
		}
	}
	return ComputeOutcomes(scope, list, from, to, noEligible), nil
}
