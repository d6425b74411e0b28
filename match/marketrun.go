package match

import (
	"fmt"
	"io"
)

// WriteMarketRun prints what a market simulation replayed (referrals
// against ix's supply, with o's objective, sibling and urgency rules) and
// then its outcomes side by side (WriteMarketComparison).
func WriteMarketRun(w io.Writer, referrals int, ix *Index, o MarketOptions, out []MarketOutcome) error {
	sibs := "sibling groups split as needed"
	if o.KeepSiblings {
		sibs = "sibling groups kept together where one home can take them (else placed apart)"
	}
	urgent := map[bool]string{true: "held for the batch", false: "placed on arrival"}[o.HoldUrgent]
	fmt.Fprintf(w, "Market simulation: %d referrals, %d provisions, %d vacancies; joint objective %s, %s, urgent referrals %s.\n\n",
		referrals, ix.Provisions(), len(ix.Vacancies()), o.Objective, sibs, urgent)
	return WriteMarketComparison(w, out, len(ix.Vacancies()))
}
