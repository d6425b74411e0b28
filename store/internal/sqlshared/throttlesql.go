package sqlshared

import (
	"context"
	"time"

	"sufficiency/identity"
)

// Failed sign-ins (identity.ThrottleStore) written once for both databases.

// LoginFailures returns the failures recorded under each key; a key with
// none is absent.
func LoginFailures(ctx context.Context, tx Tx, keys []string) (map[string]identity.LoginFailures, error) {
	out := make(map[string]identity.LoginFailures, len(keys))
	c := tx.Dialect().Codec()
	for _, k := range keys {
		var f identity.LoginFailures
		last := c.Instant()
		err := tx.QueryRow(ctx, `SELECT failures, last FROM login_failures WHERE key = $1`, k).Scan(&f.Count, last.Dest())
		if tx.NoRows(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if f.Last, err = last.Value(); err != nil {
			return nil, err
		}
		out[k] = f
	}
	return out, nil
}

// RecordLoginFailure forgets the failures last before since, then adds one
// failure at at under each key.
func RecordLoginFailure(ctx context.Context, tx Tx, keys []string, at, since time.Time) error {
	c := tx.Dialect().Codec()
	if _, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE last < $1`, c.EncodeInstant(since)); err != nil {
		return err
	}
	for _, k := range keys {
		if _, err := tx.Exec(ctx, `INSERT INTO login_failures (key, failures, last) VALUES ($1, 1, $2)
			ON CONFLICT (key) DO UPDATE SET failures = login_failures.failures + 1, last = excluded.last`, k, c.EncodeInstant(at)); err != nil {
			return err
		}
	}
	return nil
}

// ClearLoginFailures forgets the failures under key.
func ClearLoginFailures(ctx context.Context, tx Tx, key string) error {
	_, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE key = $1`, key)
	return err
}
