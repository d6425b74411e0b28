package workflow

import (
	"context"

	"sufficiency/care"
)

// Referral reads the sent referral reference: its council, its shortlist
// (the provider of each provision) and its state. ENOTFOUND for an unknown
// reference.
func Referral(ctx context.Context, st Store, reference string) (Sent, error) {
	list, err := st.Referrals(ctx, Filter{Reference: reference})
	if err != nil {
		return Sent{}, err
	}
	if len(list) != 1 {
		return Sent{}, care.Errorf(care.ENOTFOUND, "no referral %s: check the reference", reference)
	}
	return list[0], nil
}

// ProviderOf is the provider of provision on the referral's shortlist, ""
// when it is not on it.
func (s Sent) ProviderOf(provision string) string {
	for _, o := range s.Offers {
		if o.ProvisionID == provision {
			return o.Provider
		}
	}
	return ""
}
