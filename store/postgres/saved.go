package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

// Saved forecasts and scenario runs: the statements are sqlshared's
// (written once for both databases); this file runs them on PostgreSQL, with
// what only PostgreSQL does: a forecast's councils copied in (COPY), and an
// advisory lock on a scenario's name so that concurrent saves of one name
// cannot take the same version.

var (
	_ store.ForecastStore = (*DB)(nil)
	_ store.ScenarioStore = (*DB)(nil)
)

const dialect = sqlshared.Postgres

// SaveForecast stores a forecast; see store.ForecastStore.
func (db *DB) SaveForecast(ctx context.Context, f store.SavedForecast) (store.SavedForecast, error) {
	f, err := store.PrepareForecast(ctx, f, db.now())
	if err != nil {
		return store.SavedForecast{}, err
	}
	err = db.write(ctx, "save forecast", func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, sqlshared.InsertForecast, sqlshared.ForecastArgs(sqlshared.Native, f)...).Scan(&f.ID); err != nil {
			return err
		}
		if len(f.Councils) == 0 {
			return nil
		}
		rows := make([][]any, len(f.Councils))
		for i, c := range f.Councils {
			rows[i] = []any{f.ID, int64(i), c}
		}
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"forecast_councils"}, []string{"forecast_id", "position", "council"}, pgx.CopyFromRows(rows))
		return err
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
	err := db.read(ctx, "list forecasts", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, sqlshared.ForecastsSQL(dialect), filter.Council, filter.Mode)
		if err != nil {
			return err
		}
		for rows.Next() {
			f, err := sqlshared.ScanForecast(rows, sqlshared.Native)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, f)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
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
	err := db.read(ctx, "read forecast", func(tx pgx.Tx) error {
		var err error
		var rec []byte
		f, err = sqlshared.ScanForecast(tx.QueryRow(ctx, sqlshared.ForecastSQL(dialect), id), sqlshared.Native, &rec)
		if errors.Is(err, pgx.ErrNoRows) {
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

func forecastCouncils(ctx context.Context, tx pgx.Tx, id int64) ([]string, error) {
	rows, err := tx.Query(ctx, sqlshared.ForecastCouncilsSQL(dialect), id)
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
	err = db.write(ctx, "save scenario", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('scenario:' || $1))`, s.Name); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, sqlshared.NextScenarioVersionSQL(dialect), s.Name).Scan(&s.Version); err != nil {
			return err
		}
		return tx.QueryRow(ctx, sqlshared.InsertScenario, sqlshared.ScenarioArgs(sqlshared.Native, s)...).Scan(&s.ID)
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
	err := db.read(ctx, "list scenarios", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, sqlshared.ScenariosSQL(dialect), f.Name, f.Council)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			s, err := sqlshared.ScanScenario(rows, sqlshared.Native)
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
	err := db.read(ctx, "read scenario", func(tx pgx.Tx) error {
		var err error
		var file, result []byte
		s, err = sqlshared.ScanScenario(tx.QueryRow(ctx, sqlshared.ScenarioSQL(dialect), id), sqlshared.Native, &file, &result)
		if errors.Is(err, pgx.ErrNoRows) {
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
