package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

// Saved forecasts and scenario runs: written once in sqlshared (saved.go),
// run here in PostgreSQL's transactions through pgTx; a scenario's name is
// locked first (an advisory lock) so that concurrent saves of one name
// cannot take the same version.

var (
	_ store.ForecastStore = (*DB)(nil)
	_ store.ScenarioStore = (*DB)(nil)
)

// pgTx is a PostgreSQL transaction as sqlshared's statements need it.
type pgTx struct{ tx pgQuerier }

// pgQuerier is what pgTx runs statements on: a transaction (pgx.Tx), or a
// connection on its own (*pgx.Conn) for one statement, which is atomic by
// itself (DB.single).
type pgQuerier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func (pgTx) Dialect() sqlshared.Dialect { return sqlshared.Postgres }

func (t pgTx) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	tag, err := t.tx.Exec(ctx, q, args...)
	return tag.RowsAffected(), err
}

func (t pgTx) QueryRow(ctx context.Context, q string, args ...any) sqlshared.Row {
	return t.tx.QueryRow(ctx, q, args...)
}

func (t pgTx) Each(ctx context.Context, q string, args []any, row func(sqlshared.Row) error) error {
	return t.Rows(ctx, q, args, func(rows sqlshared.Rows) error { return sqlshared.EachRow(rows, row) })
}

func (t pgTx) Rows(ctx context.Context, q string, args []any, read func(sqlshared.Rows) error) error {
	rows, err := t.tx.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	err = read(rows)
	rows.Close()
	if err != nil {
		return err
	}
	return rows.Err()
}

func (pgTx) NoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

// SaveForecast stores a forecast; see store.ForecastStore.
func (db *DB) SaveForecast(ctx context.Context, f store.SavedForecast) (store.SavedForecast, error) {
	f, err := store.PrepareForecast(ctx, f, db.now())
	if err != nil {
		return store.SavedForecast{}, err
	}
	err = db.write(ctx, "save forecast", func(tx pgx.Tx) (err error) {
		f.ID, err = sqlshared.SaveForecast(ctx, pgTx{tx}, f)
		return err
	})
	if err != nil {
		return store.SavedForecast{}, err
	}
	return f, nil
}

// Forecasts lists saved forecasts; see store.ForecastStore. Not audited:
// forecasts are aggregate figures.
func (db *DB) Forecasts(ctx context.Context, filter store.ForecastFilter) (out []store.SavedForecast, err error) {
	err = db.read(ctx, "list forecasts", func(tx pgx.Tx) error {
		out, err = sqlshared.Forecasts(ctx, pgTx{tx}, filter)
		return err
	})
	return out, err
}

// Forecast returns one saved forecast with its record; see
// store.ForecastStore. Not audited: forecasts are aggregate figures.
func (db *DB) Forecast(ctx context.Context, id int64) (f store.SavedForecast, err error) {
	err = db.read(ctx, "read forecast", func(tx pgx.Tx) error {
		f, err = sqlshared.Forecast(ctx, pgTx{tx}, id)
		return err
	})
	if err != nil {
		return store.SavedForecast{}, err
	}
	return f, nil
}

// SaveScenario stores a scenario run as the next version of its name; see
// store.ScenarioStore.
func (db *DB) SaveScenario(ctx context.Context, s store.SavedScenario) (store.SavedScenario, error) {
	s, err := store.PrepareScenario(ctx, s, db.now())
	if err != nil {
		return store.SavedScenario{}, err
	}
	err = db.write(ctx, "save scenario", func(tx pgx.Tx) (err error) {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('scenario:' || $1))`, s.Name); err != nil {
			return err
		}
		s, err = sqlshared.SaveScenario(ctx, pgTx{tx}, s)
		return err
	})
	if err != nil {
		return store.SavedScenario{}, err
	}
	return s, nil
}

// Scenarios lists saved scenarios, newest first; see store.ScenarioStore.
// Not audited: scenarios are aggregate figures.
func (db *DB) Scenarios(ctx context.Context, f store.ScenarioFilter) (out []store.SavedScenario, err error) {
	err = db.read(ctx, "list scenarios", func(tx pgx.Tx) error {
		out, err = sqlshared.Scenarios(ctx, pgTx{tx}, f)
		return err
	})
	return out, err
}

// Scenario returns one saved scenario; see store.ScenarioStore.
func (db *DB) Scenario(ctx context.Context, id int64) (s store.SavedScenario, err error) {
	err = db.read(ctx, "read scenario", func(tx pgx.Tx) error {
		s, err = sqlshared.Scenario(ctx, pgTx{tx}, id)
		return err
	})
	if err != nil {
		return store.SavedScenario{}, err
	}
	return s, nil
}
