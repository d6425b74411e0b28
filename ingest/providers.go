package ingest

import (
	"context"
	"sync"

	"sufficiency/refdata"
	"sufficiency/ssda903/rules"
	"sufficiency/store"
)

// ProviderList is the validator's provider hook for an import into st
// (rules.Options.Provider): the URNs the Ofsted provider list knows, open or
// closed, as the DfE's validator is given them. Open: the embedded Ofsted
// register (31 March 2025) and the supply imported into st (a setting
// registered since). Closed: the settings that have closed imported with
// the supply (supply closed.csv), with their close dates (rules 227 and
// 228: an episode may not start on or after the close date, nor end after it).
//
// The embedded register alone has no closed providers, so it would reject
// the URN of every home that has closed since an episode of an earlier year
// (rule 1008 is an error): without a list of closed settings in st the hook
// is nil and the URN rules are skipped, as when validating files alone.
// Only the close date is given: the register's registration dates stand for
// supported accommodation services operating before they were registered
// (2023), and no rule reads them (the DfE's 227 compares the start with the
// end of registration).
func ProviderList(ctx context.Context, st store.Store) (func(urn string) (rules.ProviderInfo, bool), error) {
	closed, err := st.ClosedSettings(ctx)
	if err != nil || len(closed) == 0 {
		return nil, err
	}
	open, err := st.Provisions(ctx, store.ProvisionFilter{})
	if err != nil {
		return nil, err
	}
	known := make(map[string]rules.ProviderInfo, len(open)+len(closed))
	for _, p := range registerURNs() {
		known[p] = rules.ProviderInfo{}
	}
	for _, p := range open {
		known[p.ID] = rules.ProviderInfo{}
	}
	for _, p := range closed {
		known[p.ID] = rules.ProviderInfo{Closed: p.Closed}
	}
	return func(urn string) (rules.ProviderInfo, bool) {
		p, ok := known[urn]
		return p, ok
	}, nil
}

var register struct {
	sync.Once
	urns []string
}

// registerURNs lists the URNs of the embedded Ofsted register.
func registerURNs() []string {
	register.Do(func() {
		for _, p := range refdata.Providers() {
			register.urns = append(register.urns, p.URN)
		}
	})
	return register.urns
}
