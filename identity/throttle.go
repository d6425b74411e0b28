package identity

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// LoginFailures is what the store keeps of the failed sign-ins under one key.
type LoginFailures struct {
	Count int       // failures since the count last restarted
	Last  time.Time // the latest failure
}

// ThrottleStore keeps failed sign-ins under opaque keys (the SHA-256 of a
// kind and a user name or address: names typed by mistake, which may be
// passwords, are never stored). store/sqlite and store/postgres implement it;
// auth decides how long a sign-in waits.
type ThrottleStore interface {
	// LoginFailures returns the failures recorded under each key; a key
	// with none is absent.
	LoginFailures(ctx context.Context, keys []string) (map[string]LoginFailures, error)
	// RecordLoginFailure adds one failure at at under each key. A key
	// whose last failure is before since restarts at one; rows whose last
	// failure is before since are deleted (the table stays small under a
	// spraying attack).
	RecordLoginFailure(ctx context.Context, keys []string, at, since time.Time) error
	// ClearLoginFailures forgets the failures under key.
	ClearLoginFailures(ctx context.Context, key string) error
}

// HashToken returns the SHA-256 of a session or API token, hex: what the
// store keeps. (A token has 256 random bits, so a fast hash is enough.)
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
