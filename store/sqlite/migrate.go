package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one embedded schema change.
type migration struct {
	Version int
	Name    string
	SQL     string
}

// migrations returns the embedded migrations in version order. File names are
// NNNN_name.sql; versions must be unique.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		name := e.Name()
		num, rest, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 || !strings.HasSuffix(rest, ".sql") {
			return nil, fmt.Errorf("migration file %q is not named NNNN_name.sql", name)
		}
		b, err := migrationFiles.ReadFile("migrations/" + name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{Version: v, Name: strings.TrimSuffix(rest, ".sql"), SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("two migrations have version %d", out[i].Version)
		}
	}
	return out, nil
}

// migrate applies every embedded migration the database has not had yet, each
// in its own IMMEDIATE transaction (so two processes opening a new file at once
// do not both apply it).
func migrate(ctx context.Context, w *sql.DB, now func() time.Time) error {
	ms, err := migrations()
	if err != nil {
		return care.WrapError(care.EINTERNAL, err, "read embedded migrations")
	}
	if _, err := w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER NOT NULL PRIMARY KEY,
		name       TEXT    NOT NULL,
		applied_at TEXT    NOT NULL
	) STRICT`); err != nil {
		return care.WrapError(care.EINVALID, err, "cannot prepare the database: is it a SQLite file you can write?")
	}
	latest := ms[len(ms)-1].Version
	for _, m := range ms {
		err := func() error {
			tx, err := w.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			var have int
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&have); err != nil {
				return err
			}
			if have > latest {
				return care.Errorf(care.ECONFLICT, "the database has schema version %d but this sufficiency knows only up to %d: use a newer sufficiency", have, latest)
			}
			var done int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&done); err != nil {
				return err
			}
			if done > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
			}
			if fill := backfills[m.Version]; fill != nil {
				if err := fill(ctx, tx); err != nil {
					return fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
				}
			}
			if _, err := tx.ExecContext(ctx, sqlshared.SQLite.SQL(sqlshared.RecordMigration),
				m.Version, m.Name, store.TimeString(now())); err != nil {
				return err
			}
			return tx.Commit()
		}()
		if err != nil {
			return dbError(err, "bring the database schema up to date")
		}
	}
	return nil
}

// backfills fill, in Go, what a migration's SQL cannot compute for the rows
// already stored; each runs in its migration's transaction, after the SQL.
var backfills = map[int]func(ctx context.Context, tx *sql.Tx) error{
	2: fillDistricts,
}

// fillDistricts sets episodes.pl_district (migration 0002) from each
// distinct placement postcode stored.
func fillDistricts(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, sqlshared.PlacementPostcodes)
	if err != nil {
		return err
	}
	posts, err := sqlshared.ReadAll(rows, sqlshared.String)
	rows.Close()
	if err != nil || len(posts) == 0 {
		return err
	}
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE fill_districts (pl_post TEXT NOT NULL PRIMARY KEY, district TEXT NOT NULL)`); err != nil {
		return err
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO fill_districts (pl_post, district) VALUES (?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	for _, p := range posts {
		if d := store.PlacementDistrict(p); d != "" {
			if _, err := ins.ExecContext(ctx, p, d); err != nil {
				return err
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE episodes SET pl_district = f.district FROM fill_districts f WHERE f.pl_post = episodes.pl_post`); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `DROP TABLE temp.fill_districts`)
	return err
}
