package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"sufficiency/identity"
	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

var _ identity.Store = (*DB)(nil)

// Audit actions recorded for the web app's users (council: the user's council, if any).
const (
	actionUserAdd  = sqlshared.ActionUserAdd
	actionLogin    = sqlshared.ActionLogin
	actionAPIToken = sqlshared.ActionAPIToken
)

const userColumns = sqlshared.UserColumns

func scanUser(row sqlshared.Row, u *identity.User, extra ...any) error {
	return sqlshared.ScanUser(row, sqlshared.Text, u, extra...)
}

// CreateUser stores a new user; see identity.Store. EINVALID when the user's
// scope does not fit its role; ECONFLICT when the name is taken.
func (db *DB) CreateUser(ctx context.Context, u identity.User) (identity.User, error) {
	if err := u.Validate(); err != nil {
		return identity.User{}, err
	}
	err := db.write(ctx, "create user", func(tx *sql.Tx) error {
		now := db.now()
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE name = ?`, u.Name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return sqlshared.ErrUserExists(u.Name)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO users (name, role, council, region, provider, password_hash, created, disabled) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			u.Name, string(u.Role), u.Council, u.Region, u.Provider, u.PasswordHash, store.TimeString(now), u.Disabled)
		if err != nil {
			return err
		}
		if u.ID, err = res.LastInsertId(); err != nil {
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

// UserByName returns the user; see identity.Store. ENOTFOUND when there is none.
func (db *DB) UserByName(ctx context.Context, name string) (identity.User, error) {
	var u identity.User
	err := db.read(ctx, "read user", func(tx *sql.Tx) error {
		err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u WHERE u.name = ?`, name), &u)
		if errors.Is(err, sql.ErrNoRows) {
			return sqlshared.ErrNoUser(name)
		}
		return err
	})
	return u, err
}

// Users lists every user, ordered by name; see identity.Store.
func (db *DB) Users(ctx context.Context) ([]identity.User, error) {
	var out []identity.User
	err := db.read(ctx, "list users", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+userColumns+` FROM users u ORDER BY u.name`)
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
	return db.write(ctx, "create session", func(tx *sql.Tx) error {
		var name, council string
		err := tx.QueryRowContext(ctx, `SELECT name, council FROM users WHERE id = ?`, s.UserID).Scan(&name, &council)
		if errors.Is(err, sql.ErrNoRows) {
			return sqlshared.ErrNoUserID(s.UserID)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created, last_seen) VALUES (?, ?, ?, ?)`,
			s.TokenHash, s.UserID, store.TimeString(s.Created), store.TimeString(s.LastSeen)); err != nil {
			return err
		}
		return appendAudit(ctx, tx, db.now(), name, actionLogin, council, "signed in")
	})
}

// SessionUser returns a session and its user; see identity.Store. ENOTFOUND
// when there is no such session.
func (db *DB) SessionUser(ctx context.Context, tokenHash string) (identity.Session, identity.User, error) {
	var s identity.Session
	var u identity.User
	err := db.read(ctx, "read session", func(tx *sql.Tx) error {
		var err error
		s, u, err = sqlshared.ScanSession(tx.QueryRowContext(ctx, `SELECT `+userColumns+`, s.created, s.last_seen
			FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, tokenHash), sqlshared.Text, tokenHash)
		if errors.Is(err, sql.ErrNoRows) {
			return sqlshared.ErrNoSession()
		}
		return err
	})
	return s, u, err
}

// TouchSession sets a session's LastSeen; see identity.Store.
func (db *DB) TouchSession(ctx context.Context, tokenHash string, at time.Time) error {
	return db.write(ctx, "renew session", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen = ? WHERE token_hash = ?`, store.TimeString(at), tokenHash)
		return err
	})
}

// DeleteSession removes a session, recording recordAs (when not blank) in
// the audit log; see identity.Store. ENOTFOUND when there is no such session.
func (db *DB) DeleteSession(ctx context.Context, tokenHash, recordAs string) error {
	return db.write(ctx, "end session", func(tx *sql.Tx) error {
		var name, council string
		err := tx.QueryRowContext(ctx, `SELECT u.name, u.council FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, tokenHash).Scan(&name, &council)
		if errors.Is(err, sql.ErrNoRows) {
			return sqlshared.ErrNoSession()
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash); err != nil {
			return err
		}
		if recordAs == "" {
			return nil
		}
		return appendAudit(ctx, tx, db.now(), name, recordAs, council, "")
	})
}

// CreateAPIToken stores an API token and records it; see identity.Store.
func (db *DB) CreateAPIToken(ctx context.Context, t identity.APIToken) error {
	return db.write(ctx, "create API token", func(tx *sql.Tx) error {
		var name, council string
		err := tx.QueryRowContext(ctx, `SELECT name, council FROM users WHERE id = ?`, t.UserID).Scan(&name, &council)
		if errors.Is(err, sql.ErrNoRows) {
			return sqlshared.ErrNoUserID(t.UserID)
		}
		if err != nil {
			return err
		}
		exp := ""
		if !t.Expires.IsZero() {
			exp = store.TimeString(t.Expires)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (token_hash, user_id, label, created, expires) VALUES (?, ?, ?, ?, ?)`,
			t.TokenHash, t.UserID, t.Label, store.TimeString(t.Created), exp); err != nil {
			return err
		}
		return appendAudit(ctx, tx, db.now(), store.ActorFrom(ctx), actionAPIToken, council, sqlshared.TokenDetail(name, t.Label))
	})
}

// TokenUser returns an API token and its user; see identity.Store. ENOTFOUND
// when there is no such token.
func (db *DB) TokenUser(ctx context.Context, tokenHash string) (identity.APIToken, identity.User, error) {
	var t identity.APIToken
	var u identity.User
	err := db.read(ctx, "read API token", func(tx *sql.Tx) error {
		var err error
		t, u, err = sqlshared.ScanToken(tx.QueryRowContext(ctx, `SELECT `+userColumns+`, t.label, t.created, t.expires
			FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`, tokenHash), sqlshared.Text, tokenHash)
		if errors.Is(err, sql.ErrNoRows) {
			return sqlshared.ErrNoToken()
		}
		return err
	})
	return t, u, err
}
