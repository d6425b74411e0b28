package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

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
	err = db.write(ctx, "save forecast", func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO forecasts (saved_at, actor, mode, scope, origin, years, sims, seed,
				reference_start, reference_end, model_version, inputs_sha256, record)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			f.At, f.Actor, f.Mode, f.Scope, f.Origin, f.Years, f.Sims, f.Seed,
			date(f.ReferenceStart), date(f.ReferenceEnd), f.ModelVersion, f.InputsDigest, f.Record).Scan(&f.ID); err != nil {
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

const forecastColumns = `id, saved_at, actor, mode, scope, origin, years, sims, seed,
	reference_start, reference_end, model_version, inputs_sha256`

// Forecasts lists saved forecasts; see store.ForecastStore. Not audited:
// forecasts are aggregate figures.
func (db *DB) Forecasts(ctx context.Context, filter store.ForecastFilter) ([]store.SavedForecast, error) {
	var out []store.SavedForecast
	err := db.read(ctx, "list forecasts", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+forecastColumns+` FROM forecasts
			WHERE ($1 = '' OR id IN (SELECT forecast_id FROM forecast_councils WHERE council = $1))
			  AND ($2 = '' OR mode = $2)
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
		f, err = scanForecast(tx.QueryRow(ctx, `SELECT `+forecastColumns+`, record FROM forecasts WHERE id = $1`, id), &rec)
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

func scanForecast(row sqlshared.Row, extra ...any) (store.SavedForecast, error) {
	return sqlshared.ScanForecast(row, sqlshared.Native, extra...)
}

func forecastCouncils(ctx context.Context, tx pgx.Tx, id int64) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT council FROM forecast_councils WHERE forecast_id = $1 ORDER BY position`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return sqlshared.ReadAll(rows, sqlshared.String)
}
