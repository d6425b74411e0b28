package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"sufficiency/auth"
	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

// User administration on PostgreSQL; see auth.AdminStore (the same behaviour
// and audit entries as store/sqlite/useradmin.go, storetest.RunUserAdmin).

var _ auth.AdminStore = (*DB)(nil)

// userRow reads the named user's id and council inside tx.
func userRow(ctx context.Context, tx pgx.Tx, name string) (int64, string, string, error) {
	var id int64
	var exact, council string
	err := tx.QueryRow(ctx, `SELECT id, name, council FROM users WHERE lower(name) = lower($1)`, name).Scan(&id, &exact, &council)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, "", "", sqlshared.ErrNoUser(name)
	}
	return id, exact, council, err
}

// SetDisabled disables or enables a user; see auth.AdminStore.
func (db *DB) SetDisabled(ctx context.Context, name string, disabled bool) (auth.User, error) {
	var u auth.User
	err := db.write(ctx, "disable user", func(tx pgx.Tx) error {
		id, exact, council, err := userRow(ctx, tx, name)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET disabled = $1 WHERE id = $2`, disabled, id); err != nil {
			return err
		}
		ended := int64(0)
		if disabled {
			res, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id)
			if err != nil {
				return err
			}
			ended = res.RowsAffected()
		}
		action := sqlshared.ActionUserEnable
		if disabled {
			action = sqlshared.ActionUserDisable
		}
		if err := appendAudit(ctx, tx, db.stamp(), store.ActorFrom(ctx), action, council, sqlshared.DisableDetail(exact, disabled, int(ended))); err != nil {
			return err
		}
		return scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE u.id = $1`, id), &u)
	})
	return u, err
}

// SetPassword replaces a user's password hash and ends its sessions; see auth.AdminStore.
func (db *DB) SetPassword(ctx context.Context, name, hash string) (int, error) {
	var ended int64
	err := db.write(ctx, "change password", func(tx pgx.Tx) error {
		id, exact, council, err := userRow(ctx, tx, name)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, id); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id)
		if err != nil {
			return err
		}
		ended = res.RowsAffected()
		return appendAudit(ctx, tx, db.stamp(), store.ActorFrom(ctx), sqlshared.ActionPassword, council, sqlshared.PasswordDetail(exact, int(ended)))
	})
	return int(ended), err
}

// Sessions lists sessions; see auth.AdminStore.
func (db *DB) Sessions(ctx context.Context, name string) ([]auth.SessionInfo, error) {
	var out []auth.SessionInfo
	err := db.read(ctx, "list sessions", func(tx pgx.Tx) error {
		if name != "" {
			if _, _, _, err := userRow(ctx, tx, name); err != nil {
				return err
			}
		}
		rows, err := tx.Query(ctx, `SELECT s.token_hash, u.name, s.created, s.last_seen FROM sessions s JOIN users u ON u.id = s.user_id
			WHERE $1 = '' OR lower(u.name) = lower($1) ORDER BY s.created DESC, s.token_hash`, name)
		return readRows(rows, err, func(rows sqlshared.Rows) (err error) {
			out, err = sqlshared.ReadAll(rows, func(r sqlshared.Row) (auth.SessionInfo, error) { return sqlshared.ScanSessionInfo(r, sqlshared.Native) })
			return err
		})
	})
	return out, err
}

// EndSession ends one session; see auth.AdminStore.
func (db *DB) EndSession(ctx context.Context, id string) error {
	id, err := auth.CheckID(id)
	if err != nil {
		return err
	}
	return db.write(ctx, "end session", func(tx pgx.Tx) error {
		var hash, name, council string
		err := tx.QueryRow(ctx, `SELECT s.token_hash, u.name, u.council FROM sessions s JOIN users u ON u.id = s.user_id
			WHERE substr(s.token_hash, 1, $1) = $2`, auth.IDLength, id).Scan(&hash, &name, &council)
		if errors.Is(err, pgx.ErrNoRows) {
			return sqlshared.ErrNoSessionID(id)
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hash); err != nil {
			return err
		}
		return appendAudit(ctx, tx, db.stamp(), store.ActorFrom(ctx), sqlshared.ActionSessionEnd, council, "session "+id+" of "+name)
	})
}

// APITokens lists API tokens; see auth.AdminStore.
func (db *DB) APITokens(ctx context.Context, name string) ([]auth.TokenInfo, error) {
	var out []auth.TokenInfo
	err := db.read(ctx, "list API tokens", func(tx pgx.Tx) error {
		if name != "" {
			if _, _, _, err := userRow(ctx, tx, name); err != nil {
				return err
			}
		}
		rows, err := tx.Query(ctx, `SELECT t.token_hash, u.name, t.label, t.created, t.expires FROM api_tokens t JOIN users u ON u.id = t.user_id
			WHERE $1 = '' OR lower(u.name) = lower($1) ORDER BY t.created DESC, t.token_hash`, name)
		return readRows(rows, err, func(rows sqlshared.Rows) (err error) {
			out, err = sqlshared.ReadAll(rows, func(r sqlshared.Row) (auth.TokenInfo, error) { return sqlshared.ScanTokenInfo(r, sqlshared.Native) })
			return err
		})
	})
	return out, err
}

// RevokeAPIToken deletes one API token; see auth.AdminStore.
func (db *DB) RevokeAPIToken(ctx context.Context, id string) error {
	id, err := auth.CheckID(id)
	if err != nil {
		return err
	}
	return db.write(ctx, "revoke API token", func(tx pgx.Tx) error {
		var hash, name, council, label string
		err := tx.QueryRow(ctx, `SELECT t.token_hash, u.name, u.council, t.label FROM api_tokens t JOIN users u ON u.id = t.user_id
			WHERE substr(t.token_hash, 1, $1) = $2`, auth.IDLength, id).Scan(&hash, &name, &council, &label)
		if errors.Is(err, pgx.ErrNoRows) {
			return sqlshared.ErrNoTokenID(id)
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM api_tokens WHERE token_hash = $1`, hash); err != nil {
			return err
		}
		return appendAudit(ctx, tx, db.stamp(), store.ActorFrom(ctx), sqlshared.ActionTokenRevoke, council, sqlshared.TokenDetail(name, label)+" ("+id+")")
	})
}
