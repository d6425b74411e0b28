package auth

import (
	"context"
	"strings"
	"sufficiency/identity"

	"sufficiency/care"
)

// Claim is who says they act outside a signed-in session (the CLI's
// workflow verbs), most explicit first: a user's Name, else an API Token,
// else the name the run is audited under (Actor), which must then be a
// user's name.
type Claim struct {
	Name, Token, Actor string
}

// Acting resolves the claim to a user and checks act on res (Permit, as for
// the pages and the API). It returns the user, whose name is recorded with
// the change. EUNAUTHORIZED, in the domain's words, when the claim names no
// user of the store, a disabled one, or a token that is not right or has
// expired; EFORBIDDEN when the user may not act, naming the user, role and
// scope. The edge says how to name a user in its own terms.
func (s *Service) Acting(ctx context.Context, c Claim, act Act, res Resource) (identity.User, error) {
	var u identity.User
	var err error
	if tok := strings.TrimSpace(c.Token); tok != "" && strings.TrimSpace(c.Name) == "" {
		u, err = s.Token(ctx, tok)
	} else {
		name := strings.TrimSpace(c.Name)
		if name == "" {
			name = c.Actor
		}
		u, err = s.Store.UserByName(ctx, name)
		if care.ErrorCode(err) == care.ENOTFOUND {
			return identity.User{}, care.Errorf(care.EUNAUTHORIZED, "%q is not a user of this database", name)
		}
		if err == nil && u.Disabled {
			return identity.User{}, care.Errorf(care.EUNAUTHORIZED, "the account %s is disabled", u.Name)
		}
	}
	if err != nil {
		return identity.User{}, err
	}
	if err := Permit(u, act, res); err != nil {
		return identity.User{}, care.Errorf(care.ErrorCode(err), "%s (acting as %s, %s of %s)", care.ErrorMessage(err), u.Name, u.Role, u.Scope())
	}
	return u, nil
}
