package auth

import (
	"strings"
	"sufficiency/identity"

	"sufficiency/care"
	"sufficiency/refdata"
)

// Act is something a user does in the placements workflow. Permit decides
// whether a user may do it to a resource; the CLI, the pages and the API all
// ask Permit, so the three can never disagree.
type Act string

// Acts of the placements workflow.
const (
	// Council placement officer acts on a referral of their council.
	ActReferralRead   Act = "referral.read"   // see a referral (draft or sent) with the child's details
	ActReferralWrite  Act = "referral.write"  // create or change a draft
	ActReferralSend   Act = "referral.send"   // send to a shortlist
	ActReferralAccept Act = "referral.accept" // accept an offer (reserves the place)
	ActReferralCancel Act = "referral.cancel" // withdraw the referral
	// Provider acts on its own provisions and the referrals sent to them.
	ActProviderRead    Act = "provider.read"    // see a pseudonymised referral sent to the provider
	ActProviderRespond Act = "provider.respond" // offer or decline
	ActVacancyUpdate   Act = "vacancy.update"   // change or confirm a vacancy
	// Regional and sufficiency acts.
	ActAllocate        Act = "region.allocate" // run a regional allocation
	ActOutcomesCouncil Act = "outcomes.council"
	ActOutcomesRegion  Act = "outcomes.region"
	// Administration.
	ActAdminister Act = "admin" // manage users, roles, sessions and tokens
)

// Resource is what an act is done to, named by its owners: the placing
// council of a referral, the owner organisation of a provision, a region.
// Only the fields the act needs are read.
type Resource struct {
	Council  string // ONS code of the placing council (referral acts, council outcomes)
	Provider string // owner organisation of the provision (provider acts)
	Region   string // region name (allocation, region outcomes)
	// What names the resource in the refusal ("referral R-7KQ2-M9XD").
	What string
}

// SameProvider reports whether two provider organisation names are the same
// (case and surrounding spaces ignored).
func SameProvider(a, b string) bool {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	return a != "" && strings.EqualFold(a, b)
}

// Permit decides whether u may do act to res: nil when allowed, EFORBIDDEN
// saying why not otherwise (EUNAUTHORIZED for a disabled user). The rules:
//
//   - a council user acts only on referrals of their own council (read,
//     draft, send, accept, withdraw) and sees their council's outcomes;
//   - an RCC user reads referrals and outcomes of the councils of their
//     region and runs allocations for it, but never acts for a council;
//   - a provider user acts only for their own organisation: its vacancies,
//     and the referrals sent to its provisions (pseudonymised);
//   - an administrator administers users and reads everything, but does not
//     act for a council or provider (least privilege: an admin account is
//     not a placement officer).
func Permit(u identity.User, act Act, res Resource) error {
	if u.Disabled {
		return care.Errorf(care.EUNAUTHORIZED, "the account %s is disabled", u.Name)
	}
	what := res.What
	if what == "" {
		what = "this"
	}
	deny := func(why string) error {
		return care.Errorf(care.EFORBIDDEN, "you may not %s %s: %s", verb(act), what, why)
	}
	switch act {
	case ActReferralRead:
		switch u.Role {
		case identity.RoleCouncil, identity.RoleRCC, identity.RoleAdmin:
			if u.CanSeeCouncil(res.Council) {
				return nil
			}
		}
		return deny("it belongs to " + councilName(res.Council) + ", outside what your account covers")
	case ActReferralWrite, ActReferralSend, ActReferralAccept, ActReferralCancel:
		if u.Role != identity.RoleCouncil {
			return deny("only a placement officer of the placing council may do that")
		}
		if res.Council == "" || res.Council != u.Council {
			return deny("it belongs to " + councilName(res.Council) + ", not your council")
		}
		return nil
	case ActProviderRead, ActProviderRespond, ActVacancyUpdate:
		if u.Role != identity.RoleProvider {
			return deny("only the provider it is addressed to may do that")
		}
		if !SameProvider(u.Provider, res.Provider) {
			return deny("it is not addressed to your organisation")
		}
		return nil
	case ActAllocate, ActOutcomesRegion:
		if u.Role == identity.RoleAdmin && act == ActOutcomesRegion {
			return nil
		}
		if u.Role == identity.RoleRCC && res.Region != "" && strings.EqualFold(u.Region, res.Region) {
			return nil
		}
		return deny("only the Regional Care Cooperative of " + res.Region + " may do that")
	case ActOutcomesCouncil:
		if (u.Role == identity.RoleCouncil || u.Role == identity.RoleRCC || u.Role == identity.RoleAdmin) && u.CanSeeCouncil(res.Council) {
			return nil
		}
		return deny("it belongs to " + councilName(res.Council) + ", outside what your account covers")
	case ActAdminister:
		if u.Role == identity.RoleAdmin {
			return nil
		}
		return deny("only administrators may do that")
	}
	return care.Errorf(care.EFORBIDDEN, "unknown act %q", act)
}

// verb is the act in words, for refusals.
func verb(a Act) string {
	switch a {
	case ActReferralRead:
		return "see"
	case ActReferralWrite:
		return "change"
	case ActReferralSend:
		return "send"
	case ActReferralAccept:
		return "accept an offer on"
	case ActReferralCancel:
		return "withdraw"
	case ActProviderRead:
		return "see"
	case ActProviderRespond:
		return "answer"
	case ActVacancyUpdate:
		return "change the vacancies of"
	case ActAllocate:
		return "run an allocation for"
	case ActOutcomesCouncil, ActOutcomesRegion:
		return "see the referral outcomes of"
	case ActAdminister:
		return "administer"
	}
	return string(a)
}

func councilName(code string) string {
	if c, ok := refdata.CouncilByCode(code); ok {
		return c.Name
	}
	if code == "" {
		return "no council"
	}
	return code
}

// OutcomeScope is whose referral outcomes are asked for: a council or a
// region, its councils and what Permit decides on.
type OutcomeScope struct {
	Name     string   // the council's or the region's name
	Councils []string // ONS codes
	Act      Act      // ActOutcomesCouncil or ActOutcomesRegion
	Resource Resource
}

// OutcomesOf resolves the council (an ONS or DfE code or a name) or, when
// council is "", the region whose referral outcomes are asked for, for the
// CLI and the web alike. ENOTFOUND for a council or region not in England's
// register.
func OutcomesOf(council, region string) (OutcomeScope, error) {
	if council = strings.TrimSpace(council); council != "" {
		c, ok := refdata.CouncilByCode(council)
		if !ok {
			return OutcomeScope{}, care.Errorf(care.ENOTFOUND, "no council %q", council)
		}
		return OutcomeScope{Name: c.Name, Councils: []string{c.Code}, Act: ActOutcomesCouncil, Resource: Resource{Council: c.Code, What: c.Name}}, nil
	}
	cs, err := refdata.CouncilsInRegion(region)
	if err != nil || len(cs) == 0 {
		return OutcomeScope{}, care.Errorf(care.ENOTFOUND, "no region %q: use one of %s", region, strings.Join(refdata.Regions(), ", "))
	}
	sc := OutcomeScope{Name: cs[0].Region, Act: ActOutcomesRegion, Resource: Resource{Region: cs[0].Region, What: "the " + cs[0].Region + " region"}}
	for _, c := range cs {
		sc.Councils = append(sc.Councils, c.Code)
	}
	return sc, nil
}
