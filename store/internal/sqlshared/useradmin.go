package sqlshared

import (
	"fmt"

	"sufficiency/care"
	"sufficiency/identity"
)

// Audit actions of user administration (identity.AdminStore).
const (
	ActionUserDisable = "user disable"
	ActionUserEnable  = "user enable"
	ActionPassword    = "password change"
	ActionSessionEnd  = "session end"
	ActionTokenRevoke = "api token revoke"
)

// PasswordDetail is the audit detail of a password change.
func PasswordDetail(user string, ended int) string {
	return fmt.Sprintf("password of %s changed; %d session(s) ended", user, ended)
}

// DisableDetail is the audit detail of disabling or enabling a user.
func DisableDetail(user string, disabled bool, ended int) string {
	if disabled {
		return fmt.Sprintf("%s disabled; %d session(s) ended", user, ended)
	}
	return user + " enabled"
}

// ErrNoSessionID and ErrNoTokenID are the errors for an unknown id.
func ErrNoSessionID(id string) error {
	return care.Errorf(care.ENOTFOUND, "no session %s", id)
}

// ErrNoTokenID is the error for an unknown API token id.
func ErrNoTokenID(id string) error {
	return care.Errorf(care.ENOTFOUND, "no API token %s", id)
}

// ShortID is the administrators' id of a token hash.
func ShortID(hash string) string {
	if len(hash) > identity.IDLength {
		return hash[:identity.IDLength]
	}
	return hash
}

// ScanSessionInfo scans token_hash, user name, created, last_seen.
func ScanSessionInfo(r Row, c Codec) (identity.SessionInfo, error) {
	var s identity.SessionInfo
	created, seen := c.Instant(), c.Instant()
	if err := r.Scan(&s.ID, &s.User, created.Dest(), seen.Dest()); err != nil {
		return s, err
	}
	s.ID = ShortID(s.ID)
	var err error
	if s.Created, err = created.Value(); err != nil {
		return s, err
	}
	s.LastSeen, err = seen.Value()
	return s, err
}

// ScanTokenInfo scans token_hash, user name, label, created, expires.
func ScanTokenInfo(r Row, c Codec) (identity.TokenInfo, error) {
	var t identity.TokenInfo
	created, exp := c.Instant(), c.Instant()
	if err := r.Scan(&t.ID, &t.User, &t.Label, created.Dest(), exp.Dest()); err != nil {
		return t, err
	}
	t.ID = ShortID(t.ID)
	var err error
	if t.Created, err = created.Value(); err != nil {
		return t, err
	}
	t.Expires, err = exp.Value()
	return t, err
}
