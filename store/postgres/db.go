// Package postgres is store.Store on PostgreSQL, using pgx v5: the same
// tables and behaviour as store/sqlite (the contract suite in internal/storetest
// runs against both), in PostgreSQL types (DATE, TIMESTAMPTZ, BOOLEAN,
// BYTEA). Bulk rows (raw typed tables, children, episodes, findings) are
// written with COPY inside the import's one transaction.
//
// Connections come from a database/sql pool over pgx's stdlib driver; every
// statement runs natively on the pooled *pgx.Conn. Imports of one council are
// serialised with a transaction-scoped advisory lock; reads run in REPEATABLE
// READ transactions, so each sees one consistent snapshot.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"sufficiency/care"
	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// DB is a store.Store backed by a PostgreSQL database.
type DB struct {
	pool *sql.DB
	// Now is the clock used to stamp imports and audit entries; it defaults
	// to time.Now and may be replaced before use (tests).
	Now func() time.Time
}

var _ store.Store = (*DB)(nil)

// maxConns bounds the connections a DB opens (and keeps idle).
const maxConns = 8

// Open connects to the PostgreSQL database at url (a postgres:// URL or
// key=value string; a search_path parameter selects the schema) and brings
// its schema up to date. EINVALID for a bad URL; EUNUSABLE when the server
// cannot be reached; ECONFLICT when the schema is newer than this program.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, care.WrapError(care.EINVALID, err, "the PostgreSQL connection string is not valid: give a URL such as postgres://user@host:5432/dbname")
	}
	pool := stdlib.OpenDB(*cfg)
	// As many kept idle as may be open: a pool that closes the connections
	// beyond its idle ones under a steady load opens new ones at once, and
	// each costs PostgreSQL a new backend and pgx its statement cache (the
	// soak saw 16 new connections a second with 4 kept idle).
	pool.SetMaxOpenConns(maxConns)
	pool.SetMaxIdleConns(maxConns)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, care.WrapError(care.EUNUSABLE, err, "cannot connect to PostgreSQL at %s:%d; check the server is running and the URL", cfg.Host, cfg.Port)
	}
	db := &DB{pool: pool, Now: time.Now}
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if err := db.ensureIndexes(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the connection pool.
func (db *DB) Close() error {
	if err := db.pool.Close(); err != nil {
		return care.WrapError(care.EINTERNAL, err, "close the PostgreSQL connections")
	}
	return nil
}

func (db *DB) now() time.Time {
	if db.Now == nil {
		return time.Now().UTC()
	}
	return db.Now().UTC()
}

// inTx runs fn in one transaction on a pooled connection.
func (db *DB) inTx(ctx context.Context, what string, opts pgx.TxOptions, fn func(tx pgx.Tx) error) error {
	conn, err := db.pool.Conn(ctx)
	if err != nil {
		return dbError(err, what)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		return pgx.BeginTxFunc(ctx, pc, opts, fn)
	})
	if err != nil {
		return dbError(err, what)
	}
	return nil
}

func (db *DB) write(ctx context.Context, what string, fn func(tx pgx.Tx) error) error {
	return db.inTx(ctx, what, pgx.TxOptions{IsoLevel: pgx.ReadCommitted}, fn)
}

func (db *DB) read(ctx context.Context, what string, fn func(tx pgx.Tx) error) error {
	return db.inTx(ctx, what, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
}

// single runs one statement on a connection of its own, without BEGIN and
// COMMIT: a single statement sees one snapshot and commits or fails whole
// by itself, and what every request does (read its session or API token
// and the data version, append its audit entry) then costs one round trip
// instead of three.
func (db *DB) single(ctx context.Context, what string, fn func(q pgTx) error) error {
	conn, err := db.pool.Conn(ctx)
	if err != nil {
		return dbError(err, what)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		return fn(pgTx{dc.(*stdlib.Conn).Conn()})
	})
	if err != nil {
		return dbError(err, what)
	}
	return nil
}

// dbError keeps *care.Error as they are, turns foreign key and unique
// violations into EINVALID, and wraps anything else as EINTERNAL.
func dbError(err error, what string) error {
	var ce *care.Error
	if errors.As(err, &ce) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23503":
			return care.WrapError(care.EINVALID, err, "%s: a row refers to one that does not exist (every episode's CHILD must have a child record; every vacancy's provision must be in the supply)", what)
		case "23505":
			return care.WrapError(care.EINVALID, err, "%s: the same key is given twice", what)
		}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return care.WrapError(care.EINTERNAL, err, "%s: stopped before it finished; nothing was changed", what)
	}
	return care.WrapError(care.EINTERNAL, err, "%s", what)
}

// migrate applies the embedded migrations not yet applied, under an
// advisory lock so concurrent openers do not race.
func (db *DB) migrate(ctx context.Context) error {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return care.WrapError(care.EINTERNAL, err, "read embedded migrations")
	}
	type mig struct {
		version int
		name    string
		sql     string
	}
	var ms []mig
	for _, e := range entries {
		num, rest, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return care.Errorf(care.EINTERNAL, "migration file %q is not named NNNN_name.sql", e.Name())
		}
		b, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return care.WrapError(care.EINTERNAL, err, "read migration %s", e.Name())
		}
		ms = append(ms, mig{v, strings.TrimSuffix(rest, ".sql"), string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	latest := ms[len(ms)-1].version
	return db.write(ctx, "bring the database schema up to date", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(7710421)`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    BIGINT      NOT NULL PRIMARY KEY,
			name       TEXT        NOT NULL,
			applied_at TIMESTAMPTZ NOT NULL)`); err != nil {
			return err
		}
		// Apply every known version not yet recorded (not only those above
		// the highest), so a capability's migration numbered below one that
		// shipped earlier is still applied.
		rows, err := tx.Query(ctx, `SELECT version FROM schema_migrations`)
		if err != nil {
			return err
		}
		applied, err := pgx.CollectRows(rows, pgx.RowTo[int])
		if err != nil {
			return err
		}
		done := make(map[int]bool, len(applied))
		for _, v := range applied {
			if v > latest {
				return care.Errorf(care.ECONFLICT, "the database has schema version %d but this sufficiency knows only up to %d: use a newer sufficiency", v, latest)
			}
			done[v] = true
		}
		for _, m := range ms {
			if done[m.version] {
				continue
			}
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %04d_%s: %w", m.version, m.name, err)
			}
			if fill := backfills[m.version]; fill != nil {
				if err := fill(ctx, tx); err != nil {
					return fmt.Errorf("migration %04d_%s: %w", m.version, m.name, err)
				}
			}
			if _, err := tx.Exec(ctx, sqlshared.RecordMigration, m.version, m.name, db.now()); err != nil {
				return err
			}
		}
		return nil
	})
}

// date returns nil for the zero time (NULL), else the date.
func date(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func appendAudit(ctx context.Context, tx pgx.Tx, at time.Time, actor, action, council, detail string) error {
	_, err := tx.Exec(ctx, sqlshared.InsertAudit,
		at, actor, action, council, detail)
	return err
}

// backfills fill, in Go, what a migration's SQL cannot compute for the rows
// already stored; each runs in its migration's transaction, after the SQL.
var backfills = map[int]func(ctx context.Context, tx pgx.Tx) error{
	2: fillDistricts,
}

// fillDistricts sets episodes.pl_district (migration 0002) from each
// distinct placement postcode stored.
func fillDistricts(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, sqlshared.PlacementPostcodes)
	if err != nil {
		return err
	}
	posts, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(posts) == 0 {
		return err
	}
	var from, to []string
	for _, p := range posts {
		if d := store.PlacementDistrict(p); d != "" {
			from, to = append(from, p), append(to, d)
		}
	}
	_, err = tx.Exec(ctx, `UPDATE episodes e SET pl_district = f.district
		FROM unnest($1::text[], $2::text[]) AS f (pl_post, district) WHERE e.pl_post = f.pl_post`, from, to)
	return err
}
