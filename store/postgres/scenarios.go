package postgres

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"

	"sufficiency/care"
	"sufficiency/store"
)

var _ store.ScenarioStore = (*DB)(nil)

// SaveScenario stores a scenario run as the next version of its name; see
// store.ScenarioStore. A transaction-scoped advisory lock on the name keeps
// concurrent saves of one name from taking the same version.
func (db *DB) SaveScenario(ctx context.Context, s store.SavedScenario) (store.SavedScenario, error) {
	s, err := store.PrepareScenario(ctx, s, db.now())
	if err != nil {
		return store.SavedScenario{}, err
	}
	err = db.write(ctx, "save scenario", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('scenario:' || $1))`, s.Name); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM scenarios WHERE name = $1`, s.Name).Scan(&s.Version); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO scenarios (saved_at, actor, name, version, scope, councils, origin, years, sims, seed,
				model_version, inputs_sha256, file, result)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
			s.At, s.Actor, s.Name, s.Version, s.Scope, strings.Join(s.Councils, ","), s.Origin,
			s.Years, s.Sims, s.Seed, s.ModelVersion, s.InputsDigest, s.File, s.Result).Scan(&s.ID)
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
	err := db.read(ctx, "list scenarios", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+scenarioColumns+` FROM scenarios
			WHERE ($1 = '' OR name = $1) AND ($2 = '' OR $2 = ANY (string_to_array(councils, ',')))
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
	err := db.read(ctx, "read scenario", func(tx pgx.Tx) error {
		var err error
		var file, result []byte
		s, err = scanScenario(tx.QueryRow(ctx, `SELECT `+scenarioColumns+`, file, result FROM scenarios WHERE id = $1`, id), &file, &result)
		if errors.Is(err, pgx.ErrNoRows) {
			return care.Errorf(care.ENOTFOUND, "no saved scenario %d", id)
		}
		s.File, s.Result = file, result
		return err
	})
	if err != nil {
		return store.SavedScenario{}, err
	}
	return s, nil
}

func scanScenario(row pgx.Row, extra ...any) (store.SavedScenario, error) {
	var s store.SavedScenario
	var councils string
	dest := append([]any{&s.ID, &s.At, &s.Actor, &s.Name, &s.Version, &s.Scope, &councils, &s.Origin, &s.Years, &s.Sims, &s.Seed,
		&s.ModelVersion, &s.InputsDigest}, extra...)
	if err := row.Scan(dest...); err != nil {
		return s, err
	}
	s.At = s.At.UTC()
	s.Origin = s.Origin.UTC()
	if councils != "" {
		s.Councils = strings.Split(councils, ",")
	}
	return s, nil
}
