package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"sufficiency/identity"
	"sufficiency/store/internal/sqlshared"
)

// The web app's users, sessions and API tokens on PostgreSQL; see
// identity.Store. The statements and audit entries are sqlshared's
// (websql.go), the same for SQLite (storetest.RunAuth). User names are
// unique ignoring case: a unique index on lower(name) decides, so two
// concurrent CreateUser calls with one name cannot both succeed.

var _ identity.Store = (*DB)(nil)

// CreateUser stores a new user; see identity.Store. EINVALID when the user's
// scope does not fit its role; ECONFLICT when the name is taken (in any
// case).
func (db *DB) CreateUser(ctx context.Context, u identity.User) (identity.User, error) {
	if err := u.Validate(); err != nil {
		return identity.User{}, err
	}
	err := db.write(ctx, "create user", func(tx pgx.Tx) (err error) {
		u, err = sqlshared.CreateUser(ctx, pgTx{tx}, db.stamp(), u)
		if violates(err, "users_name_key") {
			return sqlshared.ErrUserExists(u.Name)
		}
		return err
	})
	if err != nil {
		return identity.User{}, err
	}
	return u, nil
}

// UserByName returns the user, matching the name in any case; see
// identity.Store. ENOTFOUND when there is none.
func (db *DB) UserByName(ctx context.Context, name string) (u identity.User, err error) {
	err = db.read(ctx, "read user", func(tx pgx.Tx) error {
		u, err = sqlshared.UserByName(ctx, pgTx{tx}, name)
		return err
	})
	return u, err
}

// Users lists every user, ordered by name ignoring case; see identity.Store.
func (db *DB) Users(ctx context.Context) (out []identity.User, err error) {
	err = db.read(ctx, "list users", func(tx pgx.Tx) error {
		out, err = sqlshared.Users(ctx, pgTx{tx})
		return err
	})
	return out, err
}

// CreateSession stores a session and records the sign-in; see identity.Store.
func (db *DB) CreateSession(ctx context.Context, s identity.Session) error {
	return db.write(ctx, "create session", func(tx pgx.Tx) error {
		return sqlshared.CreateSession(ctx, pgTx{tx}, db.stamp(), s)
	})
}

// SessionUser returns a session and its user; see identity.Store. ENOTFOUND
// when there is no such session.
func (db *DB) SessionUser(ctx context.Context, tokenHash string) (s identity.Session, u identity.User, err error) {
	err = db.single(ctx, "read session", func(q pgTx) error {
		s, u, err = sqlshared.SessionUser(ctx, q, tokenHash)
		return err
	})
	return s, u, err
}

// TouchSession sets a session's LastSeen; see identity.Store.
func (db *DB) TouchSession(ctx context.Context, tokenHash string, at time.Time) error {
	return db.write(ctx, "renew session", func(tx pgx.Tx) error {
		return sqlshared.TouchSession(ctx, pgTx{tx}, tokenHash, at)
	})
}

// DeleteSession removes a session, recording recordAs (when not blank) in
// the audit log; see identity.Store. ENOTFOUND when there is no such session.
func (db *DB) DeleteSession(ctx context.Context, tokenHash, recordAs string) error {
	return db.write(ctx, "end session", func(tx pgx.Tx) error {
		return sqlshared.DeleteSession(ctx, pgTx{tx}, db.stamp(), tokenHash, recordAs)
	})
}

// CreateAPIToken stores an API token and records it; see identity.Store.
func (db *DB) CreateAPIToken(ctx context.Context, t identity.APIToken) error {
	return db.write(ctx, "create API token", func(tx pgx.Tx) error {
		return sqlshared.CreateAPIToken(ctx, pgTx{tx}, db.stamp(), t)
	})
}

// TokenUser returns an API token and its user; see identity.Store. ENOTFOUND
// when there is no such token.
func (db *DB) TokenUser(ctx context.Context, tokenHash string) (t identity.APIToken, u identity.User, err error) {
	err = db.single(ctx, "read API token", func(q pgTx) error {
		t, u, err = sqlshared.TokenUser(ctx, q, tokenHash)
		return err
	})
	return t, u, err
}

// LoginFailures returns the failed sign-ins under each key; see
// identity.ThrottleStore.
func (db *DB) LoginFailures(ctx context.Context, keys []string) (out map[string]identity.LoginFailures, err error) {
	err = db.read(ctx, "read failed sign-ins", func(tx pgx.Tx) error {
		out, err = sqlshared.LoginFailures(ctx, pgTx{tx}, keys)
		return err
	})
	return out, err
}

// RecordLoginFailure adds a failed sign-in under each key; see
// identity.ThrottleStore.
func (db *DB) RecordLoginFailure(ctx context.Context, keys []string, at, since time.Time) error {
	return db.write(ctx, "record a failed sign-in", func(tx pgx.Tx) error {
		return sqlshared.RecordLoginFailure(ctx, pgTx{tx}, keys, at, since)
	})
}

// ClearLoginFailures forgets the failures under key; see identity.ThrottleStore.
func (db *DB) ClearLoginFailures(ctx context.Context, key string) error {
	return db.write(ctx, "clear failed sign-ins", func(tx pgx.Tx) error {
		return sqlshared.ClearLoginFailures(ctx, pgTx{tx}, key)
	})
}
