package analysis

import (
	"context"
	"time"

	"sufficiency/care"
	"sufficiency/match"
	"sufficiency/offers"
	"sufficiency/store"
	"sufficiency/tabular"
)

// ReferralOutcomes gives the picture its evidence from the placement
// workflow: for the councils' referrals sent in the year to at (31 March
// style: the day after the same date a year before, to at), the outcomes,
// declines by reason, kind of home, need and provider, referrals no home could
// meet, time to place and placements over 20 miles (offers.Outcomes). It
// returns nil when st does not keep the workflow or no referral was sent or
// drafted in the year, so a picture without referrals is unchanged. With
// publish, small numbers are suppressed as in the rest of the picture.
func ReferralOutcomes(ctx context.Context, st store.Store, scope string, councils []string, at time.Time, publish bool) ([]tabular.Table, error) {
	ost, ok := st.(offers.OutcomeStore)
	if !ok || len(councils) == 0 {
		return nil, nil
	}
	index := func() (*match.Index, error) { return SupplyIndex(ctx, st) }
	return OutcomeTables(ctx, ost, index, scope, councils, at, publish)
}

// OutcomeYear is the year of referrals a picture at at counts: from the day
// after the same date a year before, to the day after at (the first day not
// counted).
func OutcomeYear(at time.Time) (from, to time.Time) {
	to = at.AddDate(0, 0, 1)
	return care.AddYears(to, -1), to
}

// OutcomeTables is ReferralOutcomes on a workflow store ost, with index
// giving the supply's match index (a server passes the one it keeps).
func OutcomeTables(ctx context.Context, ost offers.OutcomeStore, index func() (*match.Index, error), scope string, councils []string, at time.Time, publish bool) ([]tabular.Table, error) {
	from, to := OutcomeYear(at)
	o, err := offers.GatherOutcomes(ctx, ost, index, scope, councils, from, to, at)
	if err != nil {
		return nil, err
	}
	if o.Sent == 0 && o.NoEligible == 0 {
		return nil, nil
	}
	tables := o.Tables()
	if publish {
		for i := range tables {
			tables[i] = tabular.Suppress(tables[i])
		}
	}
	return tables, nil
}

// SupplyIndex builds the match index of the supply stored in st (every
// provision and vacancy), with the default policy.
func SupplyIndex(ctx context.Context, st store.Store) (*match.Index, error) {
	provs, vacs, err := readSupply(ctx, st)
	if err != nil {
		return nil, err
	}
	return match.NewIndex(provs, vacs, match.DefaultPolicy(), nil)
}

// StoredSupply reads every provision and vacancy st keeps, for a search or
// an allocation. ENOTFOUND when it keeps no provision.
func StoredSupply(ctx context.Context, st store.Store) ([]care.Provision, []care.Vacancy, error) {
	provs, vacs, err := readSupply(ctx, st)
	if err == nil && len(provs) == 0 {
		err = care.Errorf(care.ENOTFOUND, "the database holds no supply")
	}
	return provs, vacs, err
}

func readSupply(ctx context.Context, st store.Store) ([]care.Provision, []care.Vacancy, error) {
	provs, err := st.Provisions(ctx, store.ProvisionFilter{})
	if err != nil {
		return nil, nil, err
	}
	vacs, err := st.Vacancies(ctx, store.VacancyFilter{})
	if err != nil {
		return nil, nil, err
	}
	return provs, vacs, nil
}
