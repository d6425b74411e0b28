package sqlshared

import (
	"context"
	"time"

	"sufficiency/identity"
	"sufficiency/store"
)

// The web app's users, sessions and API tokens (identity.Store) written once
// for both databases: each store runs these in its write or read transaction
// (Tx), with the time its audit entries carry. What differs is said here, by
// dialect: a name is matched ignoring case (nameIs) and users are listed in
// the order of their names ignoring case (usersOrder); SQLite checks a new
// user's name before inserting it (its single writer makes that safe), where
// PostgreSQL's unique index on lower(name) decides (the store maps the
// violation to ErrUserExists); an API token that never expires is kept as ""
// by SQLite and NULL by PostgreSQL (noExpiry).

// usersOrder is the ORDER BY of Users: SQLite's NOCASE column orders by name
// ignoring case; PostgreSQL orders by lower(name) bytewise, then id.
func usersOrder(d Dialect) string {
	if d == Postgres {
		return `lower(u.name) COLLATE "C", u.id`
	}
	return `u.name`
}

// expiresArg is the column value of an API token's expiry: a time, or for
// never "" in SQLite (a NOT NULL text column) and NULL in PostgreSQL.
func expiresArg(d Dialect, t time.Time) any {
	if d == SQLite && t.IsZero() {
		return ""
	}
	return d.Codec().EncodeInstant(t)
}

// CreateUser stores a new user (u.Validate'd) created at now, audited then,
// and returns it with its ID. ECONFLICT (ErrUserExists) when SQLite finds the
// name taken in any case; on PostgreSQL the unique index's violation comes
// back as the error, for the store to map.
func CreateUser(ctx context.Context, tx Tx, now time.Time, u identity.User) (identity.User, error) {
	d := tx.Dialect()
	if d == SQLite {
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE `+nameIs(d, "name", "$1"), u.Name).Scan(&n); err != nil {
			return u, err
		}
		if n > 0 {
			return u, ErrUserExists(u.Name)
		}
	}
	c := d.Codec()
	err := tx.QueryRow(ctx, `INSERT INTO users (name, role, council, region, provider, password_hash, created, disabled)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		u.Name, string(u.Role), u.Council, u.Region, u.Provider, u.PasswordHash, c.EncodeInstant(now), c.EncodeBool(u.Disabled)).Scan(&u.ID)
	if err != nil {
		return u, err
	}
	u.Created = now
	return u, AppendAudit(ctx, tx, now, store.ActorFrom(ctx), ActionUserAdd, u.Council, UserAddDetail(u))
}

// UserByName returns the user, matching the name in any case. ENOTFOUND
// when there is none.
func UserByName(ctx context.Context, tx Tx, name string) (identity.User, error) {
	var u identity.User
	err := ScanUser(tx.QueryRow(ctx, `SELECT `+UserColumns+` FROM users u WHERE `+nameIs(tx.Dialect(), "u.name", "$1"), name), tx.Dialect().Codec(), &u)
	if tx.NoRows(err) {
		return u, ErrNoUser(name)
	}
	return u, err
}

// Users lists every user, ordered by name ignoring case.
func Users(ctx context.Context, tx Tx) ([]identity.User, error) {
	var out []identity.User
	err := tx.Each(ctx, `SELECT `+UserColumns+` FROM users u ORDER BY `+usersOrder(tx.Dialect()), nil, func(r Row) error {
		var u identity.User
		err := ScanUser(r, tx.Dialect().Codec(), &u)
		out = append(out, u)
		return err
	})
	return out, err
}

// userByID reads the name and council of the user with the id. ENOTFOUND
// when there is none.
func userByID(ctx context.Context, tx Tx, id int64) (name, council string, err error) {
	err = tx.QueryRow(ctx, `SELECT name, council FROM users WHERE id = $1`, id).Scan(&name, &council)
	if tx.NoRows(err) {
		return "", "", ErrNoUserID(id)
	}
	return name, council, err
}

// CreateSession stores a session and records the sign-in at now.
func CreateSession(ctx context.Context, tx Tx, now time.Time, s identity.Session) error {
	name, council, err := userByID(ctx, tx, s.UserID)
	if err != nil {
		return err
	}
	c := tx.Dialect().Codec()
	if _, err := tx.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, created, last_seen) VALUES ($1, $2, $3, $4)`,
		s.TokenHash, s.UserID, c.EncodeInstant(s.Created), c.EncodeInstant(s.LastSeen)); err != nil {
		return err
	}
	return AppendAudit(ctx, tx, now, name, ActionLogin, council, "signed in")
}

// SessionUser returns the session with the token hash and its user.
// ENOTFOUND when there is none.
func SessionUser(ctx context.Context, tx Tx, tokenHash string) (identity.Session, identity.User, error) {
	s, u, err := ScanSession(tx.QueryRow(ctx, `SELECT `+UserColumns+`, s.created, s.last_seen
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`, tokenHash), tx.Dialect().Codec(), tokenHash)
	if tx.NoRows(err) {
		return s, u, ErrNoSession()
	}
	return s, u, err
}

// TouchSession sets the session's LastSeen.
func TouchSession(ctx context.Context, tx Tx, tokenHash string, at time.Time) error {
	_, err := tx.Exec(ctx, `UPDATE sessions SET last_seen = $1 WHERE token_hash = $2`, tx.Dialect().Codec().EncodeInstant(at), tokenHash)
	return err
}

// DeleteSession removes the session (one statement, so two sign-outs of
// one session record one) and, when recordAs is not blank, records it at
// now under the session's user. ENOTFOUND when there is no such session.
func DeleteSession(ctx context.Context, tx Tx, now time.Time, tokenHash, recordAs string) error {
	var userID int64
	err := tx.QueryRow(ctx, `DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id`, tokenHash).Scan(&userID)
	if tx.NoRows(err) {
		return ErrNoSession()
	}
	if err != nil {
		return err
	}
	name, council, err := userByID(ctx, tx, userID)
	if err != nil || recordAs == "" {
		return err
	}
	return AppendAudit(ctx, tx, now, name, recordAs, council, "")
}

// CreateAPIToken stores an API token of the user and records it at now
// under the context's actor.
func CreateAPIToken(ctx context.Context, tx Tx, now time.Time, t identity.APIToken) error {
	name, council, err := userByID(ctx, tx, t.UserID)
	if err != nil {
		return err
	}
	d := tx.Dialect()
	if _, err := tx.Exec(ctx, `INSERT INTO api_tokens (token_hash, user_id, label, created, expires) VALUES ($1, $2, $3, $4, $5)`,
		t.TokenHash, t.UserID, t.Label, d.Codec().EncodeInstant(t.Created), expiresArg(d, t.Expires)); err != nil {
		return err
	}
	return AppendAudit(ctx, tx, now, store.ActorFrom(ctx), ActionAPIToken, council, TokenDetail(name, t.Label))
}

// TokenUser returns the API token with the hash and its user. ENOTFOUND
// when there is none.
func TokenUser(ctx context.Context, tx Tx, tokenHash string) (identity.APIToken, identity.User, error) {
	t, u, err := ScanToken(tx.QueryRow(ctx, `SELECT `+UserColumns+`, t.label, t.created, t.expires
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1`, tokenHash), tx.Dialect().Codec(), tokenHash)
	if tx.NoRows(err) {
		return t, u, ErrNoToken()
	}
	return t, u, err
}
