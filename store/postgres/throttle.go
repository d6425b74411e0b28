package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"sufficiency/identity"
)

// LoginFailures returns the failed sign-ins under each key; see
// identity.ThrottleStore.
func (db *DB) LoginFailures(ctx context.Context, keys []string) (map[string]identity.LoginFailures, error) {
	out := make(map[string]identity.LoginFailures, len(keys))
	err := db.read(ctx, "read failed sign-ins", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT key, failures, last FROM login_failures WHERE key = ANY($1)`, keys)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			var f identity.LoginFailures
			if err := rows.Scan(&k, &f.Count, &f.Last); err != nil {
				return err
			}
			f.Last = f.Last.UTC()
			out[k] = f
		}
		return rows.Err()
	})
	return out, err
}

// RecordLoginFailure adds a failed sign-in under each key; see
// identity.ThrottleStore.
func (db *DB) RecordLoginFailure(ctx context.Context, keys []string, at, since time.Time) error {
	return db.write(ctx, "record a failed sign-in", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE last < $1`, since); err != nil {
			return err
		}
		for _, k := range keys {
			if _, err := tx.Exec(ctx, `INSERT INTO login_failures (key, failures, last) VALUES ($1, 1, $2)
				ON CONFLICT (key) DO UPDATE SET failures = login_failures.failures + 1, last = excluded.last`, k, at); err != nil {
				return err
			}
		}
		return nil
	})
}

// ClearLoginFailures forgets the failures under key; see identity.ThrottleStore.
func (db *DB) ClearLoginFailures(ctx context.Context, key string) error {
	return db.write(ctx, "clear failed sign-ins", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE key = $1`, key)
		return err
	})
}
