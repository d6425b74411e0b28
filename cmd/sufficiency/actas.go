package main

import (
	"context"
	"strings"

	"sufficiency/auth"
	"sufficiency/care"
	"sufficiency/identity"
	"sufficiency/store"
)

// The workflow verbs act as a user of the database, never as a bare name:
// --as NAME must name a user (sufficiency user list), else the API token in
// $SUFFICIENCY_TOKEN names one, else the run's actor ($SUFFICIENCY_ACTOR or
// the operating-system user) must be a user's name. The user's role and
// scope must then permit the act on the resource: auth.Permit decides, as
// for the pages and the API.

// actAs resolves who acts (auth.Service.Acting: --as, else
// $SUFFICIENCY_TOKEN, else the run's actor) and checks act on res; to a
// claim that names no usable user it adds, in the CLI's terms, which one was
// read and how to name a user.
func actAs(ctx context.Context, env *Env, st identity.Store, as string, act auth.Act, res auth.Resource) (identity.User, error) {
	svc := auth.NewService(st)
	svc.Now = env.Now
	c := auth.Claim{Name: as, Token: env.Getenv("SUFFICIENCY_TOKEN"), Actor: store.ActorFrom(ctx)}
	u, err := svc.Acting(ctx, c, act, res)
	if care.ErrorCode(err) != care.EUNAUTHORIZED {
		return u, err
	}
	from := "you ($SUFFICIENCY_ACTOR, else the operating-system user)"
	switch {
	case strings.TrimSpace(as) != "":
		from = "--as"
	case strings.TrimSpace(c.Token) != "":
		return u, care.Errorf(care.EUNAUTHORIZED, "SUFFICIENCY_TOKEN: %s", care.ErrorMessage(err))
	}
	return u, care.Errorf(care.EUNAUTHORIZED, "%s: %s: name a user with --as NAME (see \"sufficiency user list\"), or set SUFFICIENCY_TOKEN to one of their API tokens", from, care.ErrorMessage(err))
}
