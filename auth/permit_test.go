package auth

import (
	"sufficiency/identity"
	"testing"

	"sufficiency/care"
)

// TestPermit is the role × act × owner table: every act by every role, on a
// resource of the user's own council, region or organisation and on another's.
func TestPermit(t *testing.T) {
	const hart, middl, york = "E06000001", "E06000002", "E06000014" // North East, North East, Yorkshire
	users := map[string]identity.User{
		"council":  {Name: "c", Role: identity.RoleCouncil, Council: hart},
		"rcc":      {Name: "r", Role: identity.RoleRCC, Region: "North East"},
		"provider": {Name: "p", Role: identity.RoleProvider, Provider: "Acme Care Ltd"},
		"admin":    {Name: "a", Role: identity.RoleAdmin},
	}
	own := Resource{Council: hart, Provider: "acme care ltd ", Region: "North East"}
	sameRegion := Resource{Council: middl, Provider: "Other Ltd", Region: "North East"}
	other := Resource{Council: york, Provider: "Other Ltd", Region: "Yorkshire and The Humber"}
	// allowed[act][role] = which resources are allowed: "own", "region" (own + same region), "all", "" (none).
	allowed := map[Act]map[string]string{
		ActReferralRead:    {"council": "own", "rcc": "region", "admin": "all"},
		ActReferralWrite:   {"council": "own"},
		ActReferralSend:    {"council": "own"},
		ActReferralAccept:  {"council": "own"},
		ActReferralCancel:  {"council": "own"},
		ActProviderRead:    {"provider": "own"},
		ActProviderRespond: {"provider": "own"},
		ActVacancyUpdate:   {"provider": "own"},
		ActAllocate:        {"rcc": "region"},
		ActOutcomesCouncil: {"council": "own", "rcc": "region", "admin": "all"},
		ActOutcomesRegion:  {"rcc": "region", "admin": "all"},
		ActAdminister:      {"admin": "all"},
	}
	for act, roles := range allowed {
		for role, u := range users {
			for _, tc := range []struct {
				name string
				res  Resource
				ok   bool
			}{
				{"own", own, roles[role] != ""},
				{"same region", sameRegion, roles[role] == "region" || roles[role] == "all"},
				{"other", other, roles[role] == "all"},
			} {
				// Region-scoped acts: "own" and "same region" are the same region.
				if act == ActAllocate || act == ActOutcomesRegion {
					tc.ok = roles[role] != "" && (tc.name != "other" || roles[role] == "all")
				}
				err := Permit(u, act, tc.res)
				if (err == nil) != tc.ok {
					t.Errorf("%s %s on %s resource: err %v, want allowed=%v", role, act, tc.name, err, tc.ok)
				}
				if err != nil && care.ErrorCode(err) != care.EFORBIDDEN {
					t.Errorf("%s %s: code %s, want forbidden", role, act, care.ErrorCode(err))
				}
			}
		}
	}
	// A disabled user may do nothing.
	d := users["council"]
	d.Disabled = true
	if err := Permit(d, ActReferralRead, own); care.ErrorCode(err) != care.EUNAUTHORIZED {
		t.Errorf("disabled user: %v, want unauthorized", err)
	}
	// An empty council or provider never matches.
	if Permit(identity.User{Role: identity.RoleCouncil}, ActReferralSend, Resource{}) == nil {
		t.Error("a council user without a council sent a referral of no council")
	}
	if Permit(identity.User{Role: identity.RoleProvider}, ActProviderRespond, Resource{}) == nil {
		t.Error("a provider user without an organisation answered for no organisation")
	}
	if Permit(users["council"], "nonsense", own) == nil {
		t.Error("an unknown act was allowed")
	}
}
