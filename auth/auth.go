// Package auth knows who may see what: Argon2id password hashes,
// database-backed sessions with idle and absolute expiry, bearer API tokens
// hashed at rest, login throttling, and Permit (act × role × owner). The
// users, roles, sessions and tokens it works on, and the stores' interfaces,
// are declared below the store in package identity (store/sqlite and
// store/postgres implement them); the names here are aliases of those, so
// that the web app and the CLI keep one import for sign-in. It never touches
// HTTP.
package auth

import "sufficiency/identity"

// The types of package identity, under the names auth's callers use.
type (
	// Role is what a user is (identity.Role).
	Role = identity.Role
	// User is someone who may sign in (identity.User).
	User = identity.User
	// Session is a signed-in browser session (identity.Session).
	Session = identity.Session
	// APIToken is a bearer token for the JSON API (identity.APIToken).
	APIToken = identity.APIToken
	// Store keeps users, sessions and API tokens (identity.Store).
	Store = identity.Store
	// AdminStore changes users' access (identity.AdminStore).
	AdminStore = identity.AdminStore
	// SessionInfo is a session as an administrator sees it (identity.SessionInfo).
	SessionInfo = identity.SessionInfo
	// TokenInfo is an API token as an administrator sees it (identity.TokenInfo).
	TokenInfo = identity.TokenInfo
	// LoginFailures is what the store keeps of failed sign-ins under one key
	// (identity.LoginFailures).
	LoginFailures = identity.LoginFailures
	// ThrottleStore keeps failed sign-ins (identity.ThrottleStore).
	ThrottleStore = identity.ThrottleStore
)

// The roles (identity's).
const (
	RoleCouncil  = identity.RoleCouncil
	RoleRCC      = identity.RoleRCC
	RoleProvider = identity.RoleProvider
	RoleAdmin    = identity.RoleAdmin
)

// IDLength is how many hexadecimal digits of a token's hash name a session
// or token to administrators (identity.IDLength).
const IDLength = identity.IDLength

// ParseRole returns the role named s. EINVALID for anything else.
func ParseRole(s string) (Role, error) { return identity.ParseRole(s) }

// CheckID checks a session or token ID as typed (identity.CheckID).
func CheckID(id string) (string, error) { return identity.CheckID(id) }
