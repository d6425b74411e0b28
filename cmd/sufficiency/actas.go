package main

import (
	"context"
	"strings"

	"sufficiency/auth"
	"sufficiency/care"
	"sufficiency/store"
	"sufficiency/workflow"
)

// The workflow verbs act as a user of the database, never as a bare name:
// --as NAME must name a user (sufficiency user list), else the API token in
// $SUFFICIENCY_TOKEN names one, else the run's actor ($SUFFICIENCY_ACTOR or
// the operating-system user) must be a user's name. The user's role and
// scope must then permit the act on the resource: auth.Permit decides, as
// for the pages and the API.

// actAs resolves who acts and checks act on res. It returns the user, whose
// name is recorded with the change. EUNAUTHORIZED when no user can be
// named; EFORBIDDEN (from auth.Permit) when the user may not.
func actAs(ctx context.Context, env *Env, st auth.Store, as string, act auth.Act, res auth.Resource) (auth.User, error) {
	u, err := whoActs(ctx, env, st, as)
	if err != nil {
		return auth.User{}, err
	}
	if err := auth.Permit(u, act, res); err != nil {
		return auth.User{}, care.Errorf(care.ErrorCode(err), "%s (acting as %s, %s of %s)", care.ErrorMessage(err), u.Name, u.Role, u.Scope())
	}
	return u, nil
}

func whoActs(ctx context.Context, env *Env, st auth.Store, as string) (auth.User, error) {
	hint := "name a user with --as NAME (see \"sufficiency user list\"), or set SUFFICIENCY_TOKEN to one of their API tokens"
	if name := strings.TrimSpace(as); name != "" {
		u, err := st.UserByName(ctx, name)
		if care.ErrorCode(err) == care.ENOTFOUND {
			return auth.User{}, care.Errorf(care.EUNAUTHORIZED, "--as %q is not a user of this database: %s", name, hint)
		}
		if err == nil && u.Disabled {
			return auth.User{}, care.Errorf(care.EUNAUTHORIZED, "the account %s is disabled", u.Name)
		}
		return u, err
	}
	if tok := strings.TrimSpace(env.Getenv("SUFFICIENCY_TOKEN")); tok != "" {
		svc := auth.NewService(st)
		svc.Now = env.Now
		u, err := svc.Token(ctx, tok)
		if err != nil {
			return auth.User{}, care.Errorf(care.ErrorCode(err), "SUFFICIENCY_TOKEN: %s", care.ErrorMessage(err))
		}
		return u, nil
	}
	name := store.ActorFrom(ctx)
	u, err := st.UserByName(ctx, name)
	if care.ErrorCode(err) == care.ENOTFOUND {
		return auth.User{}, care.Errorf(care.EUNAUTHORIZED, "you (%s) are not a user of this database: %s", name, hint)
	}
	if err == nil && u.Disabled {
		return auth.User{}, care.Errorf(care.EUNAUTHORIZED, "the account %s is disabled", u.Name)
	}
	return u, err
}

// referralOwner reads the sent referral reference: its council and the
// provider of each shortlisted provision. ENOTFOUND for an unknown referral.
func referralOwner(ctx context.Context, st workflow.Store, reference string) (workflow.Sent, error) {
	list, err := st.Referrals(ctx, workflow.Filter{Reference: reference})
	if err != nil {
		return workflow.Sent{}, err
	}
	if len(list) != 1 {
		return workflow.Sent{}, care.Errorf(care.ENOTFOUND, "no referral %s: check the reference", reference)
	}
	return list[0], nil
}

// providerOf is the provider of provision on the referral's shortlist ("" when it is not on it).
func providerOf(s workflow.Sent, provision string) string {
	for _, o := range s.Offers {
		if o.ProvisionID == provision {
			return o.Provider
		}
	}
	return ""
}
