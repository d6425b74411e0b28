package sqlshared

import (
	"fmt"

	"sufficiency/care"
	"sufficiency/identity"
)

// Audit actions recorded for the web app's users (council: the user's
// council, if any).
const (
	ActionUserAdd  = "user add"
	ActionLogin    = "login"
	ActionAPIToken = "api token"
)

// UserColumns are the columns ScanUser reads, of users u.
const UserColumns = `u.id, u.name, u.role, u.council, u.region, u.provider, u.password_hash, u.created, u.disabled`

// ScanUser scans a user's columns (UserColumns) into u, then extra.
func ScanUser(row Row, c Codec, u *identity.User, extra ...any) error {
	var role string
	created := c.Instant()
	dest := append([]any{&u.ID, &u.Name, &role, &u.Council, &u.Region, &u.Provider, &u.PasswordHash, created.Dest(), &u.Disabled}, extra...)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	u.Role = identity.Role(role)
	var err error
	u.Created, err = created.Value()
	return err
}

// ScanSession scans a session's user (UserColumns), then its created and
// last seen times.
func ScanSession(row Row, c Codec, tokenHash string) (identity.Session, identity.User, error) {
	var s identity.Session
	var u identity.User
	created, seen := c.Instant(), c.Instant()
	if err := ScanUser(row, c, &u, created.Dest(), seen.Dest()); err != nil {
		return s, u, err
	}
	s.TokenHash, s.UserID = tokenHash, u.ID
	var err error
	if s.Created, err = created.Value(); err != nil {
		return s, u, err
	}
	s.LastSeen, err = seen.Value()
	return s, u, err
}

// ScanToken scans an API token's user (UserColumns), then its label,
// created and expiry times.
func ScanToken(row Row, c Codec, tokenHash string) (identity.APIToken, identity.User, error) {
	var t identity.APIToken
	var u identity.User
	created, exp := c.Instant(), c.Instant()
	if err := ScanUser(row, c, &u, &t.Label, created.Dest(), exp.Dest()); err != nil {
		return t, u, err
	}
	t.TokenHash, t.UserID = tokenHash, u.ID
	var err error
	if t.Created, err = created.Value(); err != nil {
		return t, u, err
	}
	t.Expires, err = exp.Value()
	return t, u, err
}

// UserAddDetail is the audit detail of a user created.
func UserAddDetail(u identity.User) string {
	return fmt.Sprintf("user %s, role %s, scope %s", u.Name, u.Role, u.Scope())
}

// TokenDetail is the audit detail of an API token created for a user.
func TokenDetail(user, label string) string { return fmt.Sprintf("token for %s: %s", user, label) }

// ErrUserExists is the error for a user name already taken.
func ErrUserExists(name string) error {
	return care.Errorf(care.ECONFLICT, "there is already a user called %q", name)
}

// ErrNoUser is the error for a user name not stored.
func ErrNoUser(name string) error { return care.Errorf(care.ENOTFOUND, "no user called %q", name) }

// ErrNoUserID is the error for a user id not stored.
func ErrNoUserID(id int64) error { return care.Errorf(care.ENOTFOUND, "no user with id %d", id) }

// ErrNoSession is the error for a session token not stored.
func ErrNoSession() error { return care.Errorf(care.ENOTFOUND, "no such session") }

// ErrNoToken is the error for an API token not stored.
func ErrNoToken() error { return care.Errorf(care.ENOTFOUND, "no such API token") }
