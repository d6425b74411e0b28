package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

// Saved forecasts and scenario runs: written once in sqlshared (saved.go),
// run here in SQLite's transactions through sqlTx.

var (
	_ store.ForecastStore = (*DB)(nil)
	_ store.ScenarioStore = (*DB)(nil)
)

// sqlTx is a SQLite transaction as sqlshared's statements need it (their
// $n placeholders read as ?n).
type sqlTx struct{ tx *sql.Tx }

func (sqlTx) Dialect() sqlshared.Dialect { return sqlshared.SQLite }

func (t sqlTx) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := t.tx.ExecContext(ctx, sqlshared.SQLite.SQL(q), args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (t sqlTx) QueryRow(ctx context.Context, q string, args ...any) sqlshared.Row {
	return t.tx.QueryRowContext(ctx, sqlshared.SQLite.SQL(q), args...)
}

func (t sqlTx) Each(ctx context.Context, q string, args []any, row func(sqlshared.Row) error) error {
	return t.Rows(ctx, q, args, func(rows sqlshared.Rows) error { return sqlshared.EachRow(rows, row) })
}

func (t sqlTx) Rows(ctx context.Context, q string, args []any, read func(sqlshared.Rows) error) error {
	rows, err := t.tx.QueryContext(ctx, sqlshared.SQLite.SQL(q), args...)
	return readRows(rows, err, read)
}

func (sqlTx) NoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// SaveForecast stores a forecast; see store.ForecastStore.
func (db *DB) SaveForecast(ctx context.Context, f store.SavedForecast) (store.SavedForecast, error) {
	f, err := store.PrepareForecast(ctx, f, db.now())
	if err != nil {
		return store.SavedForecast{}, err
	}
	err = db.write(ctx, "save forecast", func(tx *sql.Tx) (err error) {
		f.ID, err = sqlshared.SaveForecast(ctx, sqlTx{tx}, f)
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
	err = db.read(ctx, "list forecasts", func(tx *sql.Tx) error {
		out, err = sqlshared.Forecasts(ctx, sqlTx{tx}, filter)
		return err
	})
	return out, err
}

// Forecast returns one saved forecast with its record; see
// store.ForecastStore. Not audited: forecasts are aggregate figures.
func (db *DB) Forecast(ctx context.Context, id int64) (f store.SavedForecast, err error) {
	err = db.read(ctx, "read forecast", func(tx *sql.Tx) error {
		f, err = sqlshared.Forecast(ctx, sqlTx{tx}, id)
		return err
	})
	if err != nil {
		return store.SavedForecast{}, err
	}
	return f, nil
}

// SaveScenario stores a scenario run as the next version of its name (the
// single writer keeps two saves of one name apart); see store.ScenarioStore.
func (db *DB) SaveScenario(ctx context.Context, s store.SavedScenario) (store.SavedScenario, error) {
	s, err := store.PrepareScenario(ctx, s, db.now())
	if err != nil {
		return store.SavedScenario{}, err
	}
	err = db.write(ctx, "save scenario", func(tx *sql.Tx) (err error) {
		s, err = sqlshared.SaveScenario(ctx, sqlTx{tx}, s)
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
	err = db.read(ctx, "list scenarios", func(tx *sql.Tx) error {
		out, err = sqlshared.Scenarios(ctx, sqlTx{tx}, f)
		return err
	})
	return out, err
}

// Scenario returns one saved scenario; see store.ScenarioStore.
func (db *DB) Scenario(ctx context.Context, id int64) (s store.SavedScenario, err error) {
	err = db.read(ctx, "read scenario", func(tx *sql.Tx) error {
		s, err = sqlshared.Scenario(ctx, sqlTx{tx}, id)
		return err
	})
	if err != nil {
		return store.SavedScenario{}, err
	}
	return s, nil
}
