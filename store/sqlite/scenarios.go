package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"sufficiency/care"
	"sufficiency/store"
)

var _ store.ScenarioStore = (*DB)(nil)

// SaveScenario stores a scenario run as the next version of its name; see
// store.ScenarioStore.
func (db *DB) SaveScenario(ctx context.Context, s store.SavedScenario) (store.SavedScenario, error) {
	s, err := store.PrepareScenario(ctx, s, db.now())
	if err != nil {
		return store.SavedScenario{}, err
	}
	err = db.write(ctx, "save scenario", func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM scenarios WHERE name = ?`, s.Name).Scan(&s.Version); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO scenarios (saved_at, actor, name, version, scope, councils, origin, years, sims, seed,
				model_version, inputs_sha256, file, result)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			store.TimeString(s.At), s.Actor, s.Name, s.Version, s.Scope, strings.Join(s.Councils, ","), store.DateString(s.Origin),
			s.Years, s.Sims, s.Seed, s.ModelVersion, s.InputsDigest, s.File, s.Result)
		if err != nil {
			return err
		}
		s.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return store.SavedScenario{}, err
	}
	return s, nil
}

const scenarioColumns = `id, saved_at, actor, name, version, scope, councils, origin, years, sims, seed, model_version, inputs_sha256`

// Scenarios lists saved scenarios, newest first; see store.ScenarioStore.
// Not audited: scenarios are aggregate figures.
func (db *DB) Scenarios(ctx context.Context, f store.ScenarioFilter) ([]store.SavedScenario, error) {
	var out []store.SavedScenario
	err := db.read(ctx, "list scenarios", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+scenarioColumns+` FROM scenarios
			WHERE (?1 = '' OR name = ?1) AND (?2 = '' OR instr(',' || councils || ',', ',' || ?2 || ',') > 0)
			ORDER BY id DESC`, f.Name, f.Council)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			s, err := scanScenario(rows)
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
		s, err = scanScenario(tx.QueryRowContext(ctx, `SELECT `+scenarioColumns+`, file, result FROM scenarios WHERE id = ?`, id), &file, &result)
		if errors.Is(err, sql.ErrNoRows) {
			return errNoScenario(id)
		}
		s.File, s.Result = file, result
		return err
	})
	if err != nil {
		return store.SavedScenario{}, err
	}
	return s, nil
}

func errNoScenario(id int64) error {
	return care.Errorf(care.ENOTFOUND, "no saved scenario %d", id)
}

type scanner interface{ Scan(dest ...any) error }

func scanScenario(row scanner, extra ...any) (store.SavedScenario, error) {
	var s store.SavedScenario
	var at, origin, councils string
	dest := append([]any{&s.ID, &at, &s.Actor, &s.Name, &s.Version, &s.Scope, &councils, &origin, &s.Years, &s.Sims, &s.Seed,
		&s.ModelVersion, &s.InputsDigest}, extra...)
	if err := row.Scan(dest...); err != nil {
		return s, err
	}
	var err error
	if s.At, err = store.ParseTimeString(at); err != nil {
		return s, err
	}
	if s.Origin, err = store.ParseDateString(origin); err != nil {
		return s, err
	}
	if councils != "" {
		s.Councils = strings.Split(councils, ",")
	}
	return s, nil
}
