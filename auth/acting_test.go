package auth

import (
	"context"
	"strings"
	"sufficiency/identity"
	"testing"

	"sufficiency/care"
)

// TestActing: a claim names a user by name, else by API token, else by the
// run's actor; the errors say what is wrong in the domain's words (no flag,
// no command), and Permit decides the act.
func TestActing(t *testing.T) {
	ctx := context.Background()
	st := newMemStore()
	svc := NewService(st)
	for _, u := range []identity.User{{Name: "officer", Role: identity.RoleCouncil, Council: "E06000001"},
		{Name: "other", Role: identity.RoleCouncil, Council: "E06000002"}, {Name: "gone", Role: identity.RoleCouncil, Council: "E06000001", Disabled: true}} {
		if _, err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	tok, err := svc.NewAPIToken(ctx, "officer", "cli", 0)
	if err != nil {
		t.Fatal(err)
	}
	res := Resource{Council: "E06000001", What: "referral R-1"}
	for _, tc := range []struct {
		claim          Claim
		user, code, in string
	}{
		{Claim{Name: "officer"}, "officer", "", ""},
		{Claim{Name: " officer ", Token: "sfy_forged", Actor: "nobody"}, "officer", "", ""}, // the name first
		{Claim{Token: tok, Actor: "nobody"}, "officer", "", ""},                             // then the token
		{Claim{Actor: "officer"}, "officer", "", ""},                                        // then the actor
		{Claim{Name: "ghost"}, "", care.EUNAUTHORIZED, `"ghost" is not a user of this database`},
		{Claim{Actor: "nobody"}, "", care.EUNAUTHORIZED, `"nobody" is not a user of this database`},
		{Claim{Name: "gone"}, "", care.EUNAUTHORIZED, "the account gone is disabled"},
		{Claim{Token: "sfy_forged"}, "", care.EUNAUTHORIZED, "the API token is not right"},
		{Claim{Name: "other"}, "", care.EFORBIDDEN, "(acting as other, council of"},
	} {
		u, err := svc.Acting(ctx, tc.claim, ActReferralSend, res)
		if u.Name != tc.user || care.ErrorCode(err) != tc.code || !strings.Contains(care.ErrorMessage(err), tc.in) {
			t.Errorf("Acting(%+v) = %q, %v; want %q, %s %q", tc.claim, u.Name, err, tc.user, tc.code, tc.in)
		}
		if msg := care.ErrorMessage(err); strings.Contains(msg, "--") || strings.Contains(msg, "sufficiency ") {
			t.Errorf("Acting(%+v): %q names a flag or a command", tc.claim, msg)
		}
	}
}
