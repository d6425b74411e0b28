package sqlshared

import (
	"context"
	"time"

	"sufficiency/identity"
	"sufficiency/store"
)

// User administration (identity.AdminStore) written once for both databases:
// each store runs these in its write or read transaction (Tx), with the
// time its audit entries carry. What differs is said here: a user's name is
// matched ignoring case by the column's NOCASE collation in SQLite and by
// lower() in PostgreSQL (nameIs).

// nameIs is the condition that column col names the user in parameter p,
// ignoring case.
func nameIs(d Dialect, col, p string) string {
	if d == Postgres {
		return "lower(" + col + ") = lower(" + p + ")"
	}
	return col + " = " + p
}

// AppendAudit appends an audit entry at the time at.
func AppendAudit(ctx context.Context, tx Tx, at time.Time, actor, action, council, detail string) error {
	_, err := tx.Exec(ctx, InsertAudit,
		tx.Dialect().Codec().EncodeInstant(at), actor, action, council, detail)
	return err
}

// userRow reads the named user's id, name as stored and council.
func userRow(ctx context.Context, tx Tx, name string) (id int64, exact, council string, err error) {
	err = tx.QueryRow(ctx, `SELECT id, name, council FROM users WHERE `+nameIs(tx.Dialect(), "name", "$1"), name).Scan(&id, &exact, &council)
	if tx.NoRows(err) {
		return 0, "", "", ErrNoUser(name)
	}
	return id, exact, council, err
}

// SetDisabled disables (ending the user's sessions) or enables a user,
// audited at at; see identity.AdminStore.
func SetDisabled(ctx context.Context, tx Tx, at time.Time, name string, disabled bool) (identity.User, error) {
	var u identity.User
	id, exact, council, err := userRow(ctx, tx, name)
	if err != nil {
		return u, err
	}
	if _, err := tx.Exec(ctx, `UPDATE users SET disabled = $1 WHERE id = $2`, tx.Dialect().Codec().EncodeBool(disabled), id); err != nil {
		return u, err
	}
	ended, action := int64(0), ActionUserEnable
	if disabled {
		action = ActionUserDisable
		if ended, err = tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id); err != nil {
			return u, err
		}
	}
	if err := AppendAudit(ctx, tx, at, store.ActorFrom(ctx), action, council, DisableDetail(exact, disabled, int(ended))); err != nil {
		return u, err
	}
	err = ScanUser(tx.QueryRow(ctx, `SELECT `+UserColumns+` FROM users u WHERE u.id = $1`, id), tx.Dialect().Codec(), &u)
	return u, err
}

// SetPassword replaces a user's password hash and ends the user's sessions,
// audited at at; it returns how many ended. See identity.AdminStore.
func SetPassword(ctx context.Context, tx Tx, at time.Time, name, hash string) (int, error) {
	id, exact, council, err := userRow(ctx, tx, name)
	if err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, id); err != nil {
		return 0, err
	}
	ended, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1`, id)
	if err != nil {
		return 0, err
	}
	return int(ended), AppendAudit(ctx, tx, at, store.ActorFrom(ctx), ActionPassword, council, PasswordDetail(exact, int(ended)))
}

// Sessions lists the sessions of a user ("" for all), newest first. See
// identity.AdminStore.
func Sessions(ctx context.Context, tx Tx, name string) ([]identity.SessionInfo, error) {
	return listByUser(ctx, tx, name, `SELECT s.token_hash, u.name, s.created, s.last_seen FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE $1 = '' OR `+nameIs(tx.Dialect(), "u.name", "$1")+` ORDER BY s.created DESC, s.token_hash`, ScanSessionInfo)
}

// listByUser runs query with the user's name as $1 (ENOTFOUND for a name
// that is no user; "" for every user) and scans each row.
func listByUser[T any](ctx context.Context, tx Tx, name, query string, scan func(Row, Codec) (T, error)) ([]T, error) {
	if name != "" {
		if _, _, _, err := userRow(ctx, tx, name); err != nil {
			return nil, err
		}
	}
	var out []T
	err := tx.Each(ctx, query, []any{name}, func(r Row) error {
		v, err := scan(r, tx.Dialect().Codec())
		out = append(out, v)
		return err
	})
	return out, err
}

// EndSession ends the session whose id (identity.CheckID'd) the list shows,
// audited at at. See identity.AdminStore.
func EndSession(ctx context.Context, tx Tx, at time.Time, id string) error {
	var hash, name, council string
	err := tx.QueryRow(ctx, `SELECT s.token_hash, u.name, u.council FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE substr(s.token_hash, 1, $1) = $2`, identity.IDLength, id).Scan(&hash, &name, &council)
	if tx.NoRows(err) {
		return ErrNoSessionID(id)
	}
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hash); err != nil {
		return err
	}
	return AppendAudit(ctx, tx, at, store.ActorFrom(ctx), ActionSessionEnd, council, "session "+id+" of "+name)
}

// APITokens lists the API tokens of a user ("" for all), newest first. See
// identity.AdminStore.
func APITokens(ctx context.Context, tx Tx, name string) ([]identity.TokenInfo, error) {
	return listByUser(ctx, tx, name, `SELECT t.token_hash, u.name, t.label, t.created, t.expires FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE $1 = '' OR `+nameIs(tx.Dialect(), "u.name", "$1")+` ORDER BY t.created DESC, t.token_hash`, ScanTokenInfo)
}

// RevokeAPIToken deletes the API token whose id (identity.CheckID'd) the list
// shows, audited at at. See identity.AdminStore.
func RevokeAPIToken(ctx context.Context, tx Tx, at time.Time, id string) error {
	var hash, name, council, label string
	err := tx.QueryRow(ctx, `SELECT t.token_hash, u.name, u.council, t.label FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE substr(t.token_hash, 1, $1) = $2`, identity.IDLength, id).Scan(&hash, &name, &council, &label)
	if tx.NoRows(err) {
		return ErrNoTokenID(id)
	}
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM api_tokens WHERE token_hash = $1`, hash); err != nil {
		return err
	}
	return AppendAudit(ctx, tx, at, store.ActorFrom(ctx), ActionTokenRevoke, council, TokenDetail(name, label)+" ("+id+")")
}
