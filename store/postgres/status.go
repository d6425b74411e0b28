package postgres

import (
	"context"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"sufficiency/care"
	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

// MigrationStatus lists every migration this program knows with when it
// was applied to the database at url (zero: pending), without changing it.
func MigrationStatus(ctx context.Context, url string) ([]store.Migration, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, care.WrapError(care.EINVALID, err, "the PostgreSQL connection string is not valid: give a URL such as postgres://user@host:5432/dbname")
	}
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, care.WrapError(care.EUNUSABLE, err, "cannot connect to PostgreSQL at %s:%d; check the server is running and the URL", cfg.Host, cfg.Port)
	}
	defer conn.Close(context.Background())
	applied := map[int]time.Time{}
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&exists); err != nil {
		return nil, care.WrapError(care.EINTERNAL, err, "read the schema version")
	}
	if exists {
		rows, err := conn.Query(ctx, sqlshared.AppliedMigrations)
		if err != nil {
			return nil, care.WrapError(care.EINTERNAL, err, "read the schema version")
		}
		for rows.Next() {
			var v int
			var at time.Time
			if err := rows.Scan(&v, &at); err != nil {
				rows.Close()
				return nil, care.WrapError(care.EINTERNAL, err, "read the schema version")
			}
			applied[v] = at.UTC()
		}
		rows.Close()
	}
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, care.WrapError(care.EINTERNAL, err, "read embedded migrations")
	}
	var out []store.Migration
	for _, e := range entries {
		num, rest, _ := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, care.Errorf(care.EINTERNAL, "migration file %q is not named NNNN_name.sql", e.Name())
		}
		out = append(out, store.Migration{Version: v, Name: strings.TrimSuffix(rest, ".sql"), Applied: applied[v]})
		delete(applied, v)
	}
	for v := range applied {
		out = append(out, store.Migration{Version: v, Name: "(unknown to this sufficiency: written by a newer one)", Unknown: true})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}
