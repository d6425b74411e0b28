package identity

import (
	"context"
	"strings"
	"time"

	"sufficiency/care"
)

// SessionInfo is a session as an administrator sees it: its ID is the first
// IDLength hexadecimal digits of the token's hash, never the token.
type SessionInfo struct {
	ID       string    `json:"id"`
	User     string    `json:"user"`
	Created  time.Time `json:"created"`
	LastSeen time.Time `json:"last_seen"`
}

// TokenInfo is an API token as an administrator sees it (ID as for sessions).
type TokenInfo struct {
	ID      string    `json:"id"`
	User    string    `json:"user"`
	Label   string    `json:"label"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires,omitzero"` // zero: never
}

// IDLength is how many hexadecimal digits of a token's hash name a session
// or token to administrators (48 bits: unique in practice, useless to sign in).
const IDLength = 12

// CheckID checks a session or token ID as typed: EINVALID unless it is
// IDLength lower-case hexadecimal digits.
func CheckID(id string) (string, error) {
	id = strings.ToLower(strings.TrimSpace(id))
	if len(id) != IDLength || strings.Trim(id, "0123456789abcdef") != "" {
		return "", care.Errorf(care.EINVALID, "id %q: give the %d-character id that the list shows", id, IDLength)
	}
	return id, nil
}

// AdminStore changes users' access. Each method is one transaction, records
// what it did in the audit log under the context's actor, and returns
// ENOTFOUND for an unknown user, session or token. Implemented by
// store/sqlite and store/postgres (contract: storetest.RunUserAdmin).
type AdminStore interface {
	// SetDisabled disables (or enables) the named user; disabling ends
	// every session of the user (its API tokens stop working while it is
	// disabled). It returns the user afterwards.
	SetDisabled(ctx context.Context, name string, disabled bool) (User, error)
	// SetPassword replaces the user's password hash and ends every session
	// of the user. It returns how many sessions were ended.
	SetPassword(ctx context.Context, name, hash string) (int, error)
	// Sessions lists the sessions of the named user ("" for every user),
	// newest first.
	Sessions(ctx context.Context, name string) ([]SessionInfo, error)
	// EndSession ends the session whose ID is id (see IDLength).
	EndSession(ctx context.Context, id string) error
	// APITokens lists the API tokens of the named user ("" for every user),
	// newest first.
	APITokens(ctx context.Context, name string) ([]TokenInfo, error)
	// RevokeAPIToken deletes the API token whose ID is id.
	RevokeAPIToken(ctx context.Context, id string) error
}
