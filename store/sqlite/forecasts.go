package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

var _ store.ForecastStore = (*DB)(nil)

// SaveForecast stores a forecast; see store.ForecastStore.
func (db *DB) SaveForecast(ctx context.Context, f store.SavedForecast) (store.SavedForecast, error) {
	f, err := store.PrepareForecast(ctx, f, db.now())
	if err != nil {
		return store.SavedForecast{}, err
	}
	err = db.write(ctx, "save forecast", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO forecasts (saved_at, actor, mode, scope, origin, years, sims, seed,
				reference_start, reference_end, model_version, inputs_sha256, record)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			store.TimeString(f.At), f.Actor, f.Mode, f.Scope, store.DateString(f.Origin), f.Years, f.Sims, f.Seed,
			nullDate(f.ReferenceStart), nullDate(f.ReferenceEnd), f.ModelVersion, f.InputsDigest, f.Record)
		if err != nil {
			return err
		}
		if f.ID, err = res.LastInsertId(); err != nil {
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

const forecastColumns = `id, saved_at, actor, mode, scope, origin, years, sims, seed,
	COALESCE(reference_start, ''), COALESCE(reference_end, ''), model_version, inputs_sha256`

// Forecasts lists saved forecasts; see store.ForecastStore. Not audited:
// forecasts are aggregate figures.
func (db *DB) Forecasts(ctx context.Context, filter store.ForecastFilter) ([]store.SavedForecast, error) {
	var out []store.SavedForecast
	err := db.read(ctx, "list forecasts", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+forecastColumns+` FROM forecasts
			WHERE (?1 = '' OR id IN (SELECT forecast_id FROM forecast_councils WHERE council = ?1))
			  AND (?2 = '' OR mode = ?2)
			ORDER BY id`, filter.Council, filter.Mode)
		if err != nil {
			return err
		}
		for rows.Next() {
			f, err := scanForecast(rows)
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
		f, err = scanForecast(tx.QueryRowContext(ctx, `SELECT `+forecastColumns+`, record FROM forecasts WHERE id = ?`, id), &rec)
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

func scanForecast(row sqlshared.Row, extra ...any) (store.SavedForecast, error) {
	return sqlshared.ScanForecast(row, sqlshared.Text, extra...)
}

func forecastCouncils(ctx context.Context, tx *sql.Tx, id int64) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT council FROM forecast_councils WHERE forecast_id = ? ORDER BY position`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return sqlshared.ReadAll(rows, sqlshared.String)
}
