package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"sufficiency/identity"
	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

// The web app's users, sessions and API tokens on PostgreSQL: the same
// behaviour and audit entries as store/sqlite/web.go (storetest.RunAuth runs
// against both). User names are unique ignoring case: a unique index on
// lower(name) decides, so two concurrent CreateUser calls with one name
// cannot both succeed.

var _ identity.Store = (*DB)(nil)

// Audit actions recorded for the web app's users (council: the user's council, if any).
const (
	actionUserAdd  = sqlshared.ActionUserAdd
	actionLogin    = sqlshared.ActionLogin
	actionAPIToken = sqlshared.ActionAPIToken
)

const userColumns = sqlshared.UserColumns

func scanUser(row sqlshared.Row, u *identity.User, extra ...any) error {
	return sqlshared.ScanUser(row, sqlshared.Native, u, extra...)
}

// CreateUser stores a new user; see identity.Store. EINVALID when the user's
// scope does not fit its role; ECONFLICT when the name is taken (in any
// case).
func (db *DB) CreateUser(ctx context.Context, u identity.User) (identity.User, error) {
	if err := u.Validate(); err != nil {
		return identity.User{}, err
	}
	err := db.write(ctx, "create user", func(tx pgx.Tx) error {
		now := db.stamp()
		err := tx.QueryRow(ctx, `INSERT INTO users (name, role, council, region, provider, password_hash, created, disabled)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			u.Name, string(u.Role), u.Council, u.Region, u.Provider, u.PasswordHash, now, u.Disabled).Scan(&u.ID)
		if violates(err, "users_name_key") {
			return sqlshared.ErrUserExists(u.Name)
		}
		if err != nil {
			return err
		}
		u.Created = now
		return appendAudit(ctx, tx, now, store.ActorFrom(ctx), actionUserAdd, u.Council,
			sqlshared.UserAddDetail(u))
	})
	if err != nil {
		return identity.User{}, err
	}
	return u, nil
}

// UserByName returns the user, matching the name in any case; see
// identity.Store. ENOTFOUND when there is none.
func (db *DB) UserByName(ctx context.Context, name string) (identity.User, error) {
	var u identity.User
	err := db.read(ctx, "read user", func(tx pgx.Tx) error {
		err := scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE lower(u.name) = lower($1)`, name), &u)
		if errors.Is(err, pgx.ErrNoRows) {
			return sqlshared.ErrNoUser(name)
		}
		return err
	})
	return u, err
}

// Users lists every user, ordered by name ignoring case; see identity.Store.
func (db *DB) Users(ctx context.Context) ([]identity.User, error) {
	var out []identity.User
	err := db.read(ctx, "list users", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+userColumns+` FROM users u ORDER BY lower(u.name) COLLATE "C", u.id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		out, err = sqlshared.ReadAll(rows, func(r sqlshared.Row) (u identity.User, err error) {
			return u, scanUser(r, &u)
		})
		return err
	})
	return out, err
}

// CreateSession stores a session and records the sign-in; see identity.Store.
func (db *DB) CreateSession(ctx context.Context, s identity.Session) error {
	return db.write(ctx, "create session", func(tx pgx.Tx) error {
		var name, council string
		err := tx.QueryRow(ctx, `SELECT name, council FROM users WHERE id = $1`, s.UserID).Scan(&name, &council)
		if errors.Is(err, pgx.ErrNoRows) {
			return sqlshared.ErrNoUserID(s.UserID)
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, created, last_seen) VALUES ($1, $2, $3, $4)`,
			s.TokenHash, s.UserID, s.Created, s.LastSeen); err != nil {
			return err
		}
		return appendAudit(ctx, tx, db.stamp(), name, actionLogin, council, "signed in")
	})
}

// SessionUser returns a session and its user; see identity.Store. ENOTFOUND
// when there is no such session.
func (db *DB) SessionUser(ctx context.Context, tokenHash string) (identity.Session, identity.User, error) {
	var s identity.Session
	var u identity.User
	err := db.read(ctx, "read session", func(tx pgx.Tx) error {
		var err error
		s, u, err = sqlshared.ScanSession(tx.QueryRow(ctx, `SELECT `+userColumns+`, s.created, s.last_seen
			FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`, tokenHash), sqlshared.Native, tokenHash)
		if errors.Is(err, pgx.ErrNoRows) {
			return sqlshared.ErrNoSession()
		}
		return err
	})
	return s, u, err
}

// TouchSession sets a session's LastSeen; see identity.Store.
func (db *DB) TouchSession(ctx context.Context, tokenHash string, at time.Time) error {
	return db.write(ctx, "renew session", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE sessions SET last_seen = $1 WHERE token_hash = $2`, at, tokenHash)
		return err
	})
}

// DeleteSession removes a session, recording recordAs (when not blank) in
// the audit log; see identity.Store. ENOTFOUND when there is no such session.
func (db *DB) DeleteSession(ctx context.Context, tokenHash, recordAs string) error {
	return db.write(ctx, "end session", func(tx pgx.Tx) error {
		var name, council string
		err := tx.QueryRow(ctx, `DELETE FROM sessions s USING users u WHERE s.token_hash = $1 AND u.id = s.user_id RETURNING u.name, u.council`,
			tokenHash).Scan(&name, &council)
		if errors.Is(err, pgx.ErrNoRows) {
			return sqlshared.ErrNoSession()
		}
		if err != nil {
			return err
		}
		if recordAs == "" {
			return nil
		}
		return appendAudit(ctx, tx, db.stamp(), name, recordAs, council, "")
	})
}

// CreateAPIToken stores an API token and records it; see identity.Store.
func (db *DB) CreateAPIToken(ctx context.Context, t identity.APIToken) error {
	return db.write(ctx, "create API token", func(tx pgx.Tx) error {
		var name, council string
		err := tx.QueryRow(ctx, `SELECT name, council FROM users WHERE id = $1`, t.UserID).Scan(&name, &council)
		if errors.Is(err, pgx.ErrNoRows) {
			return sqlshared.ErrNoUserID(t.UserID)
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO api_tokens (token_hash, user_id, label, created, expires) VALUES ($1, $2, $3, $4, $5)`,
			t.TokenHash, t.UserID, t.Label, t.Created, sqlshared.Native.EncodeInstant(t.Expires)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, db.stamp(), store.ActorFrom(ctx), actionAPIToken, council, sqlshared.TokenDetail(name, t.Label))
	})
}

// TokenUser returns an API token and its user; see identity.Store. ENOTFOUND
// when there is no such token.
func (db *DB) TokenUser(ctx context.Context, tokenHash string) (identity.APIToken, identity.User, error) {
	var t identity.APIToken
	var u identity.User
	err := db.read(ctx, "read API token", func(tx pgx.Tx) error {
		var err error
		t, u, err = sqlshared.ScanToken(tx.QueryRow(ctx, `SELECT `+userColumns+`, t.label, t.created, t.expires
			FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1`, tokenHash), sqlshared.Native, tokenHash)
		if errors.Is(err, pgx.ErrNoRows) {
			return sqlshared.ErrNoToken()
		}
		return err
	})
	return t, u, err
}
