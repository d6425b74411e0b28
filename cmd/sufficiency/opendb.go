package main

import (
	"context"
	"errors"
	"io/fs"
	"net/url"
	"os"

	"sufficiency/care"
	"sufficiency/offers"
	"sufficiency/store"
	"sufficiency/store/postgres"
	"sufficiency/store/sqlite"
	"sufficiency/web"
)

// The stores of the offers workflow and of the web app. Both databases
// implement everything: a postgres:// (or postgresql://) URL opens
// PostgreSQL, anything else is a SQLite file.

// offersStore is what the referral and offer verbs need: the supply (to
// shortlist) and the offers workflow.
type offersStore interface {
	store.Store
	offers.Store
}

var (
	_ offersStore = (*sqlite.DB)(nil)
	_ offersStore = (*postgres.DB)(nil)
	_ web.Store   = (*sqlite.DB)(nil)
	_ web.Store   = (*postgres.DB)(nil)
)

// openDB opens the database path names: a PostgreSQL server for a
// postgres:// URL (its schema brought up to date), else a SQLite file, which
// must exist unless create is set; missing is the ENOTFOUND message for a
// SQLite file that does not. A PostgreSQL server that cannot be reached is
// EUNUSABLE.
func openDB(ctx context.Context, path string, create bool, missing string) (interface {
	offersStore
	web.Store
}, error) {
	if isPostgresURL(path) {
		db, err := postgres.Open(ctx, path)
		if err != nil {
			return nil, err
		}
		return db, nil
	}
	if !create {
		if _, err := os.Stat(path); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, care.Errorf(care.ENOTFOUND, "%s", missing)
			}
			return nil, care.WrapError(care.EUNUSABLE, err, "cannot read the database %s", path)
		}
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
