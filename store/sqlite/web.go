package sqlite

import (
	"context"
	"database/sql"
	"time"

	"sufficiency/identity"
	"sufficiency/store/internal/sqlshared"
)

// The web app's users, sessions and API tokens on SQLite; see
// identity.Store. The statements and audit entries are sqlshared's (websql.go),
// the same for PostgreSQL (storetest.RunAuth); SQLite's single writer makes
// checking a new user's name before inserting it safe.

var _ identity.Store = (*DB)(nil)

// CreateUser stores a new user; see identity.Store. EINVALID when the user's
// scope does not fit its role; ECONFLICT when the name is taken.
func (db *DB) CreateUser(ctx context.Context, u identity.User) (identity.User, error) {
	if err := u.Validate(); err != nil {
		return identity.User{}, err
	}
	err := db.write(ctx, "create user", func(tx *sql.Tx) (err error) {
		u, err = sqlshared.CreateUser(ctx, sqlTx{tx}, db.now(), u)
		return err
	})
	if err != nil {
		return identity.User{}, err
	}
	return u, nil
}

// UserByName returns the user; see identity.Store. ENOTFOUND when there is none.
func (db *DB) UserByName(ctx context.Context, name string) (u identity.User, err error) {
	err = db.read(ctx, "read user", func(tx *sql.Tx) error {
		u, err = sqlshared.UserByName(ctx, sqlTx{tx}, name)
		return err
	})
	return u, err
}

// Users lists every user, ordered by name; see identity.Store.
func (db *DB) Users(ctx context.Context) (out []identity.User, err error) {
	err = db.read(ctx, "list users", func(tx *sql.Tx) error {
		out, err = sqlshared.Users(ctx, sqlTx{tx})
		return err
	})
	return out, err
}

// CreateSession stores a session and records the sign-in; see identity.Store.
func (db *DB) CreateSession(ctx context.Context, s identity.Session) error {
	return db.write(ctx, "create session", func(tx *sql.Tx) error {
		return sqlshared.CreateSession(ctx, sqlTx{tx}, db.now(), s)
	})
}

// SessionUser returns a session and its user; see identity.Store. ENOTFOUND
// when there is no such session.
func (db *DB) SessionUser(ctx context.Context, tokenHash string) (s identity.Session, u identity.User, err error) {
	err = db.read(ctx, "read session", func(tx *sql.Tx) error {
		s, u, err = sqlshared.SessionUser(ctx, sqlTx{tx}, tokenHash)
		return err
	})
	return s, u, err
}

// TouchSession sets a session's LastSeen; see identity.Store.
func (db *DB) TouchSession(ctx context.Context, tokenHash string, at time.Time) error {
	return db.write(ctx, "renew session", func(tx *sql.Tx) error {
		return sqlshared.TouchSession(ctx, sqlTx{tx}, tokenHash, at)
	})
}

// DeleteSession removes a session, recording recordAs (when not blank) in
// the audit log; see identity.Store. ENOTFOUND when there is no such session.
func (db *DB) DeleteSession(ctx context.Context, tokenHash, recordAs string) error {
	return db.write(ctx, "end session", func(tx *sql.Tx) error {
		return sqlshared.DeleteSession(ctx, sqlTx{tx}, db.now(), tokenHash, recordAs)
	})
}

// CreateAPIToken stores an API token and records it; see identity.Store.
func (db *DB) CreateAPIToken(ctx context.Context, t identity.APIToken) error {
	return db.write(ctx, "create API token", func(tx *sql.Tx) error {
		return sqlshared.CreateAPIToken(ctx, sqlTx{tx}, db.now(), t)
	})
}

// TokenUser returns an API token and its user; see identity.Store. ENOTFOUND
// when there is no such token.
func (db *DB) TokenUser(ctx context.Context, tokenHash string) (t identity.APIToken, u identity.User, err error) {
	err = db.read(ctx, "read API token", func(tx *sql.Tx) error {
		t, u, err = sqlshared.TokenUser(ctx, sqlTx{tx}, tokenHash)
		return err
	})
	return t, u, err
}

// LoginFailures returns the failed sign-ins under each key; see
// identity.ThrottleStore.
func (db *DB) LoginFailures(ctx context.Context, keys []string) (out map[string]identity.LoginFailures, err error) {
	err = db.read(ctx, "read failed sign-ins", func(tx *sql.Tx) error {
		out, err = sqlshared.LoginFailures(ctx, sqlTx{tx}, keys)
		return err
	})
	return out, err
}

// RecordLoginFailure adds a failed sign-in under each key; see
// identity.ThrottleStore.
func (db *DB) RecordLoginFailure(ctx context.Context, keys []string, at, since time.Time) error {
	return db.write(ctx, "record a failed sign-in", func(tx *sql.Tx) error {
		return sqlshared.RecordLoginFailure(ctx, sqlTx{tx}, keys, at, since)
	})
}

// ClearLoginFailures forgets the failures under key; see identity.ThrottleStore.
func (db *DB) ClearLoginFailures(ctx context.Context, key string) error {
	return db.write(ctx, "clear failed sign-ins", func(tx *sql.Tx) error {
		return sqlshared.ClearLoginFailures(ctx, sqlTx{tx}, key)
	})
}
