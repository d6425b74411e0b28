package sqlite

import (
	"context"
	"database/sql"

	"sufficiency/identity"
	"sufficiency/store/internal/sqlshared"
)

// User administration on SQLite; see identity.AdminStore. The statements and
// audit entries are sqlshared's (adminsql.go), the same for PostgreSQL
// (storetest.RunUserAdmin).

var _ identity.AdminStore = (*DB)(nil)

// SetDisabled disables or enables a user; see identity.AdminStore.
func (db *DB) SetDisabled(ctx context.Context, name string, disabled bool) (u identity.User, err error) {
	err = db.write(ctx, "disable user", func(tx *sql.Tx) error {
		u, err = sqlshared.SetDisabled(ctx, sqlTx{tx}, db.now(), name, disabled)
		return err
	})
	return u, err
}

// SetPassword replaces a user's password hash and ends its sessions; see identity.AdminStore.
func (db *DB) SetPassword(ctx context.Context, name, hash string) (ended int, err error) {
	err = db.write(ctx, "change password", func(tx *sql.Tx) error {
		ended, err = sqlshared.SetPassword(ctx, sqlTx{tx}, db.now(), name, hash)
		return err
	})
	return ended, err
}

// Sessions lists sessions; see identity.AdminStore.
func (db *DB) Sessions(ctx context.Context, name string) (out []identity.SessionInfo, err error) {
	err = db.read(ctx, "list sessions", func(tx *sql.Tx) error {
		out, err = sqlshared.Sessions(ctx, sqlTx{tx}, name)
		return err
	})
	return out, err
}

// EndSession ends one session; see identity.AdminStore.
func (db *DB) EndSession(ctx context.Context, id string) error {
	id, err := identity.CheckID(id)
	if err != nil {
		return err
	}
	return db.write(ctx, "end session", func(tx *sql.Tx) error { return sqlshared.EndSession(ctx, sqlTx{tx}, db.now(), id) })
}

// APITokens lists API tokens; see identity.AdminStore.
func (db *DB) APITokens(ctx context.Context, name string) (out []identity.TokenInfo, err error) {
	err = db.read(ctx, "list API tokens", func(tx *sql.Tx) error {
		out, err = sqlshared.APITokens(ctx, sqlTx{tx}, name)
		return err
	})
	return out, err
}

// RevokeAPIToken deletes one API token; see identity.AdminStore.
func (db *DB) RevokeAPIToken(ctx context.Context, id string) error {
	id, err := identity.CheckID(id)
	if err != nil {
		return err
	}
	return db.write(ctx, "revoke API token", func(tx *sql.Tx) error { return sqlshared.RevokeAPIToken(ctx, sqlTx{tx}, db.now(), id) })
}
