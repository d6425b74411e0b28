// Package identity declares who can sign in, as the stores keep it: users
// with a role and a scope, browser sessions and API tokens (by the hash of
// their token), failed sign-ins, and the interfaces the stores implement
// (Store, AdminStore, ThrottleStore). It is domain vocabulary below the
// store, as care is: store/sqlite and store/postgres implement these
// interfaces and import nothing else of sign-in. What is decided with these
// types (passwords, sign-in, throttling, Permit) is auth's.
//
// Roles and what they may see:
//   - council: child-level data of their own council only;
//   - rcc: child-level data of the councils of their region (the Regional
//     Care Cooperative's area);
//   - provider: no child-level data; only the offers and referrals addressed
//     to their organisation (a later version serves those);
//   - admin: everything, and the audit log.
package identity

import (
	"context"
	"fmt"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/refdata"
)

// Role is what a user is.
type Role string

// The roles.
const (
	RoleCouncil  Role = "council"
	RoleRCC      Role = "rcc"
	RoleProvider Role = "provider"
	RoleAdmin    Role = "admin"
)

// ParseRole returns the role named s. EINVALID for anything else.
func ParseRole(s string) (Role, error) {
	switch r := Role(strings.ToLower(strings.TrimSpace(s))); r {
	case RoleCouncil, RoleRCC, RoleProvider, RoleAdmin:
		return r, nil
	}
	return "", care.Errorf(care.EINVALID, "role %q: use council, rcc, provider or admin", s)
}

// User is someone who may sign in.
type User struct {
	ID   int64
	Name string // unique sign-in name; recorded in the audit log
	Role Role
	// Council is the ONS code of a council user's council.
	Council string
	// Region is an RCC user's region (as refdata names regions).
	Region string
	// Provider is a provider user's organisation (the owner as the register names it).
	Provider     string
	PasswordHash string // Argon2id, PHC string format; "" when the user signs in only by token
	Created      time.Time
	Disabled     bool
}

// FieldError says which of a user's fields Validate refuses (Field:
// "name", "role", "council", "region" or "provider") and why, in the
// domain's words: an edge names its own flag or form field for it.
type FieldError struct {
	Field, Message string
}

// Error is the message.
func (e *FieldError) Error() string { return e.Message }

// invalidField is an EINVALID error wrapping a FieldError.
func invalidField(field, format string, args ...any) error {
	return care.WrapError(care.EINVALID, &FieldError{Field: field, Message: fmt.Sprintf(format, args...)}, "")
}

// Validate checks that the user's scope fits the role. EINVALID otherwise,
// wrapping a *FieldError (errors.As) naming the field.
func (u User) Validate() error {
	if strings.TrimSpace(u.Name) == "" || len(u.Name) > 100 || strings.ContainsAny(u.Name, " \t\r\n") {
		return invalidField("name", "user name %q: give 1 to 100 characters without spaces", u.Name)
	}
	switch u.Role {
	case RoleCouncil:
		if _, ok := refdata.CouncilByCode(u.Council); !ok || u.Council == "" {
			return invalidField("council", "a council user needs a council (an ONS code such as E06000001); %q is not a council", u.Council)
		}
	case RoleRCC:
		if _, err := refdata.CouncilsInRegion(u.Region); err != nil || u.Region == "" {
			return invalidField("region", "an RCC user needs a region (e.g. \"North West\"); %q is not a region", u.Region)
		}
	case RoleProvider:
		if strings.TrimSpace(u.Provider) == "" {
			return invalidField("provider", "a provider user needs the organisation (as the Ofsted register names it)")
		}
	case RoleAdmin:
	default:
		return invalidField("role", "role %q: use council, rcc, provider or admin", u.Role)
	}
	return nil
}

// IsAdmin reports whether the user is an administrator.
func (u User) IsAdmin() bool { return u.Role == RoleAdmin }

// CanSeeCouncil reports whether the user may see the council's child-level
// data (and its unsuppressed figures).
func (u User) CanSeeCouncil(code string) bool {
	switch u.Role {
	case RoleAdmin:
		return true
	case RoleCouncil:
		return code != "" && code == u.Council
	case RoleRCC:
		c, ok := refdata.CouncilByCode(code)
		return ok && strings.EqualFold(c.Region, u.Region)
	}
	return false
}

// CanSeeRegion reports whether the user may see the region's child-level
// data: an RCC user their own region, an admin any.
func (u User) CanSeeRegion(name string) bool {
	switch u.Role {
	case RoleAdmin:
		return true
	case RoleRCC:
		return strings.EqualFold(name, u.Region)
	}
	return false
}

// Scope describes in words what the user may see.
func (u User) Scope() string {
	switch u.Role {
	case RoleAdmin:
		return "every council"
	case RoleCouncil:
		if c, ok := refdata.CouncilByCode(u.Council); ok {
			return c.Name
		}
		return u.Council
	case RoleRCC:
		return u.Region
	case RoleProvider:
		return u.Provider
	}
	return ""
}

// Session is a signed-in browser session. Only the hash of its token is stored.
type Session struct {
	TokenHash string
	UserID    int64
	Created   time.Time // absolute expiry counts from here
	LastSeen  time.Time // idle expiry counts from here
}

// APIToken is a bearer token for the JSON API. Only its hash is stored.
type APIToken struct {
	TokenHash string
	UserID    int64
	Label     string
	Created   time.Time
	Expires   time.Time // zero: never
}

// Store keeps users, sessions and API tokens. Implementations record user
// creation, sign-in and sign-out in the audit log.
type Store interface {
	// CreateUser stores a new user and returns it with its ID. ECONFLICT when
	// the name is taken.
	CreateUser(ctx context.Context, u User) (User, error)
	// UserByName returns the user. ENOTFOUND when there is none.
	UserByName(ctx context.Context, name string) (User, error)
	// Users lists every user, ordered by name.
	Users(ctx context.Context) ([]User, error)
	// CreateSession stores a session of the user and records the sign-in.
	CreateSession(ctx context.Context, s Session) error
	// SessionUser returns the session with the token hash and its user.
	// ENOTFOUND when there is none.
	SessionUser(ctx context.Context, tokenHash string) (Session, User, error)
	// TouchSession sets the session's LastSeen.
	TouchSession(ctx context.Context, tokenHash string, at time.Time) error
	// DeleteSession removes the session (sign-out, expiry); recordAs, when
	// not blank, is the audit action to record ("logout").
	DeleteSession(ctx context.Context, tokenHash, recordAs string) error
	// CreateAPIToken stores an API token of the user.
	CreateAPIToken(ctx context.Context, t APIToken) error
	// TokenUser returns the API token with the hash and its user. ENOTFOUND
	// when there is none.
	TokenUser(ctx context.Context, tokenHash string) (APIToken, User, error)
	// ThrottleStore keeps failed sign-ins, shared by every server.
	ThrottleStore
}
