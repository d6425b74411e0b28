package statement

import (
	"context"
	"fmt"
	"time"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/match"
	"sufficiency/tabular"
	"sufficiency/workflow"
)

// ReferralFacts are what the referrals sent through the offers workflow in
// the year to At say about children placed in a type of home other than the
// one preferred for them (which the SSDA903 return does not hold): the
// referrals sent, how they ended, and of those placed, whether the type of
// the accepted home was the one the social worker marked preferred.
type ReferralFacts struct {
	Sent      int
	Placed    int
	Open      int
	Cancelled int
	// ByType are the placed referrals by the type of the accepted home
	// (foster, residential, supported, in that order).
	ByType [3]PlacedType
}

// PlacedType counts the referrals placed in one type of home: in the
// preferred type, in a type the referral did not prefer while it preferred
// another, or with no type marked preferred.
type PlacedType struct {
	Type                                  string // care.TypeFoster, TypeResidential or TypeSupported
	Preferred, NotPreferred, NoPreference int
}

// placementTypes are the Placements Data Standard's types in ByType order.
var placementTypes = [3]string{care.TypeFoster, care.TypeResidential, care.TypeSupported}

// Totals adds up the placed referrals over the types.
func (f ReferralFacts) Totals() PlacedType {
	var t PlacedType
	for _, p := range f.ByType {
		t.Preferred += p.Preferred
		t.NotPreferred += p.NotPreferred
		t.NoPreference += p.NoPreference
	}
	return t
}

// referralStore is what the offers workflow's stores answer about sent
// referrals.
type referralStore interface {
	Referrals(ctx context.Context, f workflow.Filter) ([]workflow.Sent, error)
}

// readReferrals counts the scope's referrals sent in the year to at when st
// keeps the offers workflow; nil when it does not.
func readReferrals(ctx context.Context, st analysis.Store, sc analysis.Scope, at time.Time) (*ReferralFacts, error) {
	rs, ok := st.(referralStore)
	if !ok {
		return nil, nil
	}
	from, to := analysis.OutcomeYear(at)
	var list []workflow.Sent
	for _, code := range sc.Councils {
		l, err := rs.Referrals(ctx, workflow.Filter{Council: code})
		if err != nil {
			return nil, err
		}
		list = append(list, l...)
	}
	f := referralFacts(list, from, to)
	return &f, nil
}

// referralFacts adds up the referrals of list sent in [from, to).
func referralFacts(list []workflow.Sent, from, to time.Time) ReferralFacts {
	f := ReferralFacts{}
	for i, t := range placementTypes {
		f.ByType[i].Type = t
	}
	for _, s := range list {
		if s.SentAt.Before(from) || !s.SentAt.Before(to) {
			continue
		}
		f.Sent++
		switch s.Status {
		case workflow.ReferralOpen:
			f.Open++
		case workflow.ReferralCancelled:
			f.Cancelled++
		case workflow.ReferralPlaced:
			f.Placed++
			for _, of := range s.Offers {
				if of.Status != workflow.StatusAccepted {
					continue
				}
				typ := match.TypeOf(care.ProvisionKind(of.Kind))
				pref := map[string]string{care.TypeFoster: s.Referral.Foster, care.TypeResidential: s.Referral.Residential,
					care.TypeSupported: s.Referral.Supported}
				for i, t := range placementTypes {
					if t != typ {
						continue
					}
					switch {
					case pref[typ] == string(care.SuitabilityPreferred):
						f.ByType[i].Preferred++
					case pref[care.TypeFoster] == string(care.SuitabilityPreferred) || pref[care.TypeResidential] == string(care.SuitabilityPreferred) ||
						pref[care.TypeSupported] == string(care.SuitabilityPreferred):
						f.ByType[i].NotPreferred++
					default:
						f.ByType[i].NoPreference++
					}
				}
			}
		}
	}
	return f
}

// typeWords names a placement type in the tables.
func typeWords(t string) string {
	switch t {
	case care.TypeFoster:
		return "Fostering"
	case care.TypeResidential:
		return "Children's home or other residential"
	}
	return "Supported accommodation"
}

// preferredTypes writes the gap section's paragraphs on children placed in
// a type of home other than the one preferred for them: from the offers
// workflow's referrals when the store keeps them, otherwise that the figure
// is not held.
func (c *composer) preferredTypes() {
	rf := c.in.Referrals
	if rf == nil {
		c.para("Preferred placement types are not held in the SSDA903 return, so children living in a type of home other than the one planned for them cannot be counted here.")
		return
	}
	c.para(c.w.preferredSentence(c.in.At, *rf))
	if s := c.w.unplacedSentence(*rf); s != "" {
		c.para(s)
	}
	tot := rf.Totals()
	if tot.Preferred+tot.NotPreferred+tot.NoPreference == 0 {
		return
	}
	t := tabular.Table{Title: fmt.Sprintf("Referrals placed through the offers workflow in the year to %s, by type of home", day(c.in.At)),
		Columns: []tabular.Column{{Name: "Type of home"}, {Name: "In the preferred type", Kind: tabular.Count},
			{Name: "In a type not preferred", Kind: tabular.Count}, {Name: "No preferred type given", Kind: tabular.Count}}, TotalRow: true}
	for _, p := range rf.ByType {
		t.AddRow(typeWords(p.Type), p.Preferred, p.NotPreferred, p.NoPreference)
	}
	t.AddRow("All placed", tot.Preferred, tot.NotPreferred, tot.NoPreference)
	c.table(t, "Offers workflow: referrals sent through sufficiency, the social worker's preferred type against the home accepted (the SSDA903 return does not hold the preferred type)", true)
}

// preferredSentence says how many of the referrals placed through the
// offers workflow in the year were placed in a type of home other than the
// one preferred for the child.
func (w words) preferredSentence(at time.Time, f ReferralFacts) string {
	t := f.Totals()
	placed := t.Preferred + t.NotPreferred + t.NoPreference
	if w.hidden(placed) {
		return fmt.Sprintf("Fewer than 5 referrals sent through the offers workflow in the year to %s have been placed: too few to say how many children were placed in a type of home other than the one preferred for them.", day(at))
	}
	if placed == 0 {
		return fmt.Sprintf("No referral sent through the offers workflow in the year to %s has been placed, so children placed in a type of home other than the one preferred for them cannot be counted yet (the SSDA903 return does not hold the preferred type).", day(at))
	}
	s := fmt.Sprintf("Of the %s referrals placed through the offers workflow in the year to %s, ", w.count(placed), day(at))
	if placed == 1 {
		s = fmt.Sprintf("Of the 1 referral placed through the offers workflow in the year to %s, ", day(at))
	}
	switch {
	case t.NotPreferred == 0 && t.NoPreference == 0:
		s += "every child was placed in the type of home preferred for them"
	case t.NotPreferred == 0:
		s += "none was placed in a type of home other than the one preferred for the child"
	default:
		s += fmt.Sprintf("%s %s placed in a type of home other than the one preferred for the child", w.count(t.NotPreferred), w.were(t.NotPreferred))
		if share, ok := w.share(t.NotPreferred, placed); ok {
			s += " (" + share + ")"
		}
	}
	if t.NoPreference > 0 {
		s += fmt.Sprintf("; %s gave no preferred type", w.count(t.NoPreference))
	}
	return s + ". Placements made outside the workflow are not counted: the SSDA903 return does not hold the preferred type."
}

// unplacedSentence says how many referrals sent in the year were not placed.
func (w words) unplacedSentence(f ReferralFacts) string {
	if f.Sent == 0 || w.hidden(f.Sent) {
		return ""
	}
	un := f.Open + f.Cancelled
	if un == 0 {
		return fmt.Sprintf("Every referral sent through the workflow in the year (%s) was placed.", w.count(f.Sent))
	}
	return fmt.Sprintf("Of the %s referrals sent in the year, %s %s not placed: %s still open and %s withdrawn by the council.",
		w.count(f.Sent), w.count(un), w.were(un), w.count(f.Open), w.count(f.Cancelled))
}

// were is "was" for one child (unless suppressed: "fewer than 5 were"),
// "were" otherwise.
func (w words) were(n int) string {
	if n == 1 && !w.hidden(n) {
		return "was"
	}
	return "were"
}
