package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

// Saved forecasts and scenario runs: the statements are sqlshared's
// (written once for both databases); this file runs them on SQLite.

var (
	_ store.ForecastStore = (*DB)(nil)
	_ store.ScenarioStore = (*DB)(nil)
)

const dialect = sqlshared.SQLite

// SaveForecast stores a forecast; see store.ForecastStore.
func (db *DB) SaveForecast(ctx context.Context, f store.SavedForecast) (store.SavedForecast, error) {
	f, err := store.PrepareForecast(ctx, f, db.now())
	if err != nil {
		return store.SavedForecast{}, err
	}
	err = db.write(ctx, "save forecast", func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, dialect.SQL(sqlshared.InsertForecast), sqlshared.ForecastArgs(sqlshared.Text, f)...).Scan(&f.ID); err != nil {
			return err
		}
		for i, c := range f.Councils {
			if _, err := tx.ExecContext(ctx, `INSERT INTO forecast_councils (forecast_id, position, council) VALUES (?, ?, ?)`, f.ID, i, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return store.SavedForecast{}, err
	}
	return f, nil
}

// Forecasts lists saved forecasts; see store.ForecastStore. Not audited:
// forecasts are aggregate figures.
func (db *DB) Forecasts(ctx context.Context, filter store.ForecastFilter) ([]store.SavedForecast, error) {
	var out []store.SavedForecast
	err := db.read(ctx, "list forecasts", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, sqlshared.ForecastsSQL(dialect), filter.Council, filter.Mode)
		if err != nil {
			return err
		}
		for rows.Next() {
			f, err := sqlshared.ScanForecast(rows, sqlshared.Text)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, f)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		for i := range out {
			if out[i].Councils, err = forecastCouncils(ctx, tx, out[i].ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Forecast returns one saved forecast with its record; see
// store.ForecastStore. Not audited: forecasts are aggregate figures.
func (db *DB) Forecast(ctx context.Context, id int64) (store.SavedForecast, error) {
	var f store.SavedForecast
	err := db.read(ctx, "read forecast", func(tx *sql.Tx) error {
		var err error
		var rec []byte
		f, err = sqlshared.ScanForecast(tx.QueryRowContext(ctx, sqlshared.ForecastSQL(dialect), id), sqlshared.Text, &rec)
		if errors.Is(err, sql.ErrNoRows) {
			return sqlshared.ErrNoForecast(id)
		}
		if err != nil {
			return err
		}
		f.Record = sqlshared.ForecastRecord(rec)
		f.Councils, err = forecastCouncils(ctx, tx, id)
		return err
	})
	if err != nil {
		return store.SavedForecast{}, err
	}
	return f, nil
}

func forecastCouncils(ctx context.Context, tx *sql.Tx, id int64) ([]string, error) {
	rows, err := tx.QueryContext(ctx, sqlshared.ForecastCouncilsSQL(dialect), id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return sqlshared.ReadAll(rows, sqlshared.String)
}

// SaveScenario stores a scenario run as the next version of its name; see
// store.ScenarioStore.
func (db *DB) SaveScenario(ctx context.Context, s store.SavedScenario) (store.SavedScenario, error) {
	s, err := store.PrepareScenario(ctx, s, db.now())
	if err != nil {
		return store.SavedScenario{}, err
	}
	err = db.write(ctx, "save scenario", func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, sqlshared.NextScenarioVersionSQL(dialect), s.Name).Scan(&s.Version); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, dialect.SQL(sqlshared.InsertScenario), sqlshared.ScenarioArgs(sqlshared.Text, s)...).Scan(&s.ID)
	})
	if err != nil {
		return store.SavedScenario{}, err
	}
	return s, nil
}

// Scenarios lists saved scenarios, newest first; see store.ScenarioStore.
// Not audited: scenarios are aggregate figures.
func (db *DB) Scenarios(ctx context.Context, f store.ScenarioFilter) ([]store.SavedScenario, error) {
	var out []store.SavedScenario
	err := db.read(ctx, "list scenarios", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, sqlshared.ScenariosSQL(dialect), f.Name, f.Council)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			s, err := sqlshared.ScanScenario(rows, sqlshared.Text)
			if err != nil {
				return err
			}
			out = append(out, s)
		}
		return rows.Err()
	})
	return out, err
}

// Scenario returns one saved scenario; see store.ScenarioStore.
func (db *DB) Scenario(ctx context.Context, id int64) (store.SavedScenario, error) {
	var s store.SavedScenario
	err := db.read(ctx, "read scenario", func(tx *sql.Tx) error {
		var err error
		var file, result []byte
		s, err = sqlshared.ScanScenario(tx.QueryRowContext(ctx, sqlshared.ScenarioSQL(dialect), id), sqlshared.Text, &file, &result)
		if errors.Is(err, sql.ErrNoRows) {
			return sqlshared.ErrNoScenario(id)
		}
		s.File, s.Result = file, result
		return err
	})
	if err != nil {
		return store.SavedScenario{}, err
	}
	return s, nil
}
