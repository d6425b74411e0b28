package sqlite

import (
	"context"
	"database/sql"
	"time"

	"sufficiency/identity"
	"sufficiency/store"
)

// LoginFailures returns the failed sign-ins under each key; see
// identity.ThrottleStore.
func (db *DB) LoginFailures(ctx context.Context, keys []string) (map[string]identity.LoginFailures, error) {
	out := make(map[string]identity.LoginFailures, len(keys))
	err := db.read(ctx, "read failed sign-ins", func(tx *sql.Tx) error {
		for _, k := range keys {
			var n int
			var last string
			err := tx.QueryRowContext(ctx, `SELECT failures, last FROM login_failures WHERE key = ?`, k).Scan(&n, &last)
			if err == sql.ErrNoRows {
				continue
			}
			if err != nil {
				return err
			}
			t, err := store.ParseTimeString(last)
			if err != nil {
				return err
			}
			out[k] = identity.LoginFailures{Count: n, Last: t}
		}
		return nil
	})
	return out, err
}

// RecordLoginFailure adds a failed sign-in under each key; see
// identity.ThrottleStore.
func (db *DB) RecordLoginFailure(ctx context.Context, keys []string, at, since time.Time) error {
	return db.write(ctx, "record a failed sign-in", func(tx *sql.Tx) error {
		cut := store.TimeString(since)
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE last < ?`, cut); err != nil {
			return err
		}
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, `INSERT INTO login_failures (key, failures, last) VALUES (?, 1, ?)
				ON CONFLICT (key) DO UPDATE SET failures = failures + 1, last = excluded.last`, k, store.TimeString(at)); err != nil {
				return err
			}
		}
		return nil
	})
}

// ClearLoginFailures forgets the failures under key; see identity.ThrottleStore.
func (db *DB) ClearLoginFailures(ctx context.Context, key string) error {
	return db.write(ctx, "clear failed sign-ins", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM login_failures WHERE key = ?`, key)
		return err
	})
}
