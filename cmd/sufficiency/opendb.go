package main

import (
	"context"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"sufficiency/analysis"
	"sufficiency/care"
	"sufficiency/identity"
	"sufficiency/store"
	"sufficiency/store/postgres"
	"sufficiency/store/sqlite"
	"sufficiency/web"
	"sufficiency/workflow"
)

// This file is the one way every verb, and the server, opens a database:
// one --db flag (dbFlag), one default (dbPath: --db, else $SUFFICIENCY_DB,
// else sufficiency.db) and one opener (openStore). A postgres:// (or
// postgresql://) URL opens PostgreSQL, anything else is a SQLite file; both
// implement everything a verb may ask (Store).

// Store is everything a verb may ask of a database: the store, saved
// forecasts and scenarios, erasure, the offers workflow, and the web app's
// users, sessions and their administration.
type Store interface {
	store.Store
	store.ForecastStore
	store.ScenarioStore
	store.Eraser
	identity.AdminStore
	workflow.Store
	web.Store
}

var (
	_ Store          = (*sqlite.DB)(nil)
	_ Store          = (*postgres.DB)(nil)
	_ analysis.Store = Store(nil)
)

// dbUsage is the help text of every verb's --db flag.
const dbUsage = "database: SQLite `FILE` or postgres:// URL (default $SUFFICIENCY_DB, else sufficiency.db)"

// dbFlag adds the --db flag to a verb's flags.
func dbFlag(fs interface {
	String(name, value, usage string) *string
}) *string {
	return fs.String("db", "", dbUsage)
}

// dbPath is the database a verb uses: --db, else $SUFFICIENCY_DB, else
// sufficiency.db in the working directory.
func dbPath(env *Env, flag string) string {
	if flag = strings.TrimSpace(flag); flag != "" {
		return flag
	}
	if p := strings.TrimSpace(env.Getenv("SUFFICIENCY_DB")); p != "" {
		return p
	}
	return "sufficiency.db"
}

// isPostgresURL reports whether a --db value names a PostgreSQL server
// rather than a SQLite file.
func isPostgresURL(path string) bool {
	return strings.HasPrefix(path, "postgres://") || strings.HasPrefix(path, "postgresql://")
}

// dbExists reports whether the database path names is there to be read: a
// PostgreSQL URL always is (the server says otherwise when opened), a SQLite
// file when it exists.
func dbExists(path string) bool {
	if isPostgresURL(path) {
		return true
	}
	_, err := os.Stat(path)
	return err == nil
}

// openMode says whether openStore may create a new SQLite file.
type openMode int

const (
	// mustExist refuses a SQLite file that does not exist (ENOTFOUND): verbs
	// that read.
	mustExist openMode = iota
	// mayCreate creates a new SQLite file: verbs that write (import,
	// import-supply, user add, a saved forecast).
	mayCreate
)

// openStore opens the database the --db value flag names (see dbPath): a
// PostgreSQL server for a postgres:// URL, else a SQLite file; either's
// schema is brought up to date. ENOTFOUND for a missing SQLite file with
// mustExist, EUNUSABLE for a folder or an unreadable file and for a
// PostgreSQL server that cannot be reached.
func openStore(ctx context.Context, env *Env, flag string, mode openMode) (Store, error) {
	path := dbPath(env, flag)
	if isPostgresURL(path) {
		db, err := postgres.Open(ctx, path)
		if err != nil {
			return nil, err
		}
		return db, nil
	}
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.IsDir():
		return nil, care.Errorf(care.EUNUSABLE, "--db %s is a folder, not a database file: give the database FILE (e.g. %s)", path, filepath.Join(path, "sufficiency.db"))
	case err != nil && errors.Is(err, fs.ErrNotExist) && mode == mustExist:
		return nil, care.Errorf(care.ENOTFOUND, "no database at %s: import SSDA903 returns first (sufficiency import PATH --la CODE, or sufficiency demo), or give --db FILE or a postgres:// URL, or set SUFFICIENCY_DB", path)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, care.WrapError(care.EUNUSABLE, err, "cannot read the database %s", path)
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	return db, nil
}

// dbName is path as it may be shown: a PostgreSQL URL without its password.
func dbName(path string) string {
	if !isPostgresURL(path) {
		return path
	}
	u, err := url.Parse(path)
	if err != nil {
		return "the PostgreSQL database"
	}
	return u.Redacted()
}
