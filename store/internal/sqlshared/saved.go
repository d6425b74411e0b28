package sqlshared

import (
	"context"
	"regexp"
	"strings"

	"sufficiency/care"
	"sufficiency/store"
)

// Saved forecasts and scenario runs: their statements written once, with
// PostgreSQL's numbered placeholders ($1, $2, ...), and rewritten for SQLite
// by Dialect.SQL. What differs between the databases is said here, by
// dialect: how times are kept (Codec), how a nullable date is read
// (ForecastColumns), how a scenario's council list is searched
// (ScenariosSQL), and what each store does around the statement (SQLite's
// single writer; PostgreSQL's advisory lock on a scenario's name and COPY of
// a forecast's councils).

// Tx is a store's transaction as the statements written once need it: each
// store adapts its own (*sql.Tx, pgx.Tx) in a few lines.
type Tx interface {
	// Dialect is the database's dialect: Exec, QueryRow and Each take
	// statements written with $n and rewrite them for it.
	Dialect() Dialect
	// Exec runs a statement and returns how many rows it changed.
	Exec(ctx context.Context, sql string, args ...any) (int64, error)
	QueryRow(ctx context.Context, sql string, args ...any) Row
	// Each runs a query and calls row for each row, then closes the rows.
	Each(ctx context.Context, sql string, args []any, row func(Row) error) error
	// Rows runs a query, gives its rows to read, then closes them.
	Rows(ctx context.Context, sql string, args []any, read func(Rows) error) error
	// NoRows reports whether err says a QueryRow found no row.
	NoRows(err error) bool
	// Violates reports whether err is a unique violation of the named
	// constraint or index (SQLite, whose errors do not name it: of any).
	Violates(err error, constraint string) bool
}

// dollar is a numbered placeholder.
var dollar = regexp.MustCompile(`\$([0-9]+)`)

// SQL is the statement s, written with $n placeholders, as d reads it:
// unchanged for PostgreSQL; ?n for SQLite (the same numbers, so a parameter
// used twice is bound once).
func (d Dialect) SQL(s string) string {
	if d == Postgres {
		return s
	}
	return dollar.ReplaceAllString(s, "?$1")
}

// Codec is how d keeps times and booleans (Text for SQLite, Native for
// PostgreSQL).
func (d Dialect) Codec() Codec {
	if d == Postgres {
		return Native
	}
	return Text
}

// InsertForecast saves a forecast's summary and record and returns its id;
// ForecastArgs are its arguments.
const InsertForecast = `INSERT INTO forecasts (saved_at, actor, mode, scope, origin, years, sims, seed,
		reference_start, reference_end, model_version, inputs_sha256, record)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`

// ForecastArgs are InsertForecast's arguments for f, times as c keeps them.
func ForecastArgs(c Codec, f store.SavedForecast) []any {
	return []any{c.EncodeInstant(f.At), f.Actor, f.Mode, f.Scope, c.EncodeDate(f.Origin), f.Years, f.Sims, f.Seed,
		c.EncodeDate(f.ReferenceStart), c.EncodeDate(f.ReferenceEnd), f.ModelVersion, f.InputsDigest, f.Record}
}

// forecastColumns are the columns ScanForecast reads. SQLite reads an
// absent reference date as "" (its codec scans text); PostgreSQL as NULL.
func forecastColumns(d Dialect) string {
	ref := `reference_start, reference_end`
	if d == SQLite {
		ref = `COALESCE(reference_start, ''), COALESCE(reference_end, '')`
	}
	return `id, saved_at, actor, mode, scope, origin, years, sims, seed, ` + ref + `, model_version, inputs_sha256`
}

// SaveForecast inserts f (prepared by store.PrepareForecast) with its
// councils in order and returns its id.
func SaveForecast(ctx context.Context, tx Tx, f store.SavedForecast) (int64, error) {
	var id int64
	if err := tx.QueryRow(ctx, InsertForecast, ForecastArgs(tx.Dialect().Codec(), f)...).Scan(&id); err != nil {
		return 0, err
	}
	for i, c := range f.Councils {
		if _, err := tx.Exec(ctx, `INSERT INTO forecast_councils (forecast_id, position, council) VALUES ($1, $2, $3)`, id, int64(i), c); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// Forecasts lists the saved forecasts of a council and mode ("" for all),
// oldest first, each with its councils.
func Forecasts(ctx context.Context, tx Tx, filter store.ForecastFilter) ([]store.SavedForecast, error) {
	var out []store.SavedForecast
	err := tx.Each(ctx, `SELECT `+forecastColumns(tx.Dialect())+` FROM forecasts
		WHERE ($1 = '' OR id IN (SELECT forecast_id FROM forecast_councils WHERE council = $1))
		  AND ($2 = '' OR mode = $2)
		ORDER BY id`, []any{filter.Council, filter.Mode}, func(r Row) error {
		f, err := ScanForecast(r, tx.Dialect().Codec())
		out = append(out, f)
		return err
	})
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Councils, err = forecastCouncils(ctx, tx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Forecast reads one saved forecast with its record and councils.
// ENOTFOUND when there is none.
func Forecast(ctx context.Context, tx Tx, id int64) (store.SavedForecast, error) {
	var rec []byte
	f, err := ScanForecast(tx.QueryRow(ctx, `SELECT `+forecastColumns(tx.Dialect())+`, record FROM forecasts WHERE id = $1`, id), tx.Dialect().Codec(), &rec)
	if tx.NoRows(err) {
		return f, ErrNoForecast(id)
	}
	if err != nil {
		return f, err
	}
	f.Record = ForecastRecord(rec)
	f.Councils, err = forecastCouncils(ctx, tx, id)
	return f, err
}

func forecastCouncils(ctx context.Context, tx Tx, id int64) ([]string, error) {
	var out []string
	err := tx.Each(ctx, `SELECT council FROM forecast_councils WHERE forecast_id = $1 ORDER BY position`, []any{id}, func(r Row) error {
		c, err := String(r)
		out = append(out, c)
		return err
	})
	return out, err
}

// SaveScenario saves s (prepared by store.PrepareScenario) as the next
// version of its name and returns it with its id and version. PostgreSQL
// takes its lock on the name first (the store does).
func SaveScenario(ctx context.Context, tx Tx, s store.SavedScenario) (store.SavedScenario, error) {
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM scenarios WHERE name = $1`, s.Name).Scan(&s.Version); err != nil {
		return s, err
	}
	err := tx.QueryRow(ctx, InsertScenario, ScenarioArgs(tx.Dialect().Codec(), s)...).Scan(&s.ID)
	return s, err
}

// InsertScenario saves a scenario run and returns its id; ScenarioArgs are
// its arguments.
const InsertScenario = `INSERT INTO scenarios (saved_at, actor, name, version, scope, councils, origin, years, sims, seed,
		model_version, inputs_sha256, file, result)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`

// ScenarioArgs are InsertScenario's arguments for s, times as c keeps them
// (the councils as one comma-separated list).
func ScenarioArgs(c Codec, s store.SavedScenario) []any {
	return []any{c.EncodeInstant(s.At), s.Actor, s.Name, s.Version, s.Scope, strings.Join(s.Councils, ","), c.EncodeDate(s.Origin),
		s.Years, s.Sims, s.Seed, s.ModelVersion, s.InputsDigest, s.File, s.Result}
}

const scenarioColumns = `id, saved_at, actor, name, version, scope, councils, origin, years, sims, seed, model_version, inputs_sha256`

// Scenarios lists the scenario runs of a name that cover a council ("" for
// all), newest first. The council is found in the comma-separated list with
// instr in SQLite, string_to_array in PostgreSQL.
func Scenarios(ctx context.Context, tx Tx, f store.ScenarioFilter) ([]store.SavedScenario, error) {
	has := `instr(',' || councils || ',', ',' || $2 || ',') > 0`
	if tx.Dialect() == Postgres {
		has = `$2 = ANY (string_to_array(councils, ','))`
	}
	var out []store.SavedScenario
	err := tx.Each(ctx, `SELECT `+scenarioColumns+` FROM scenarios
		WHERE ($1 = '' OR name = $1) AND ($2 = '' OR `+has+`)
		ORDER BY id DESC`, []any{f.Name, f.Council}, func(r Row) error {
		s, err := ScanScenario(r, tx.Dialect().Codec())
		out = append(out, s)
		return err
	})
	return out, err
}

// Scenario reads one scenario run with its file and result. ENOTFOUND when
// there is none.
func Scenario(ctx context.Context, tx Tx, id int64) (store.SavedScenario, error) {
	var file, result []byte
	s, err := ScanScenario(tx.QueryRow(ctx, `SELECT `+scenarioColumns+`, file, result FROM scenarios WHERE id = $1`, id), tx.Dialect().Codec(), &file, &result)
	if tx.NoRows(err) {
		return s, ErrNoScenario(id)
	}
	s.File, s.Result = file, result
	return s, err
}

// ScanScenario scans a row of scenarioColumns (with extra destinations
// after them: the file and result), times through c.
func ScanScenario(row Row, c Codec, extra ...any) (store.SavedScenario, error) {
	var s store.SavedScenario
	var councils string
	at, origin := c.Instant(), c.Date()
	dest := append([]any{&s.ID, at.Dest(), &s.Actor, &s.Name, &s.Version, &s.Scope, &councils, origin.Dest(), &s.Years, &s.Sims, &s.Seed,
		&s.ModelVersion, &s.InputsDigest}, extra...)
	if err := row.Scan(dest...); err != nil {
		return s, err
	}
	var err error
	if s.At, err = at.Value(); err != nil {
		return s, err
	}
	if s.Origin, err = origin.Value(); err != nil {
		return s, err
	}
	if councils != "" {
		s.Councils = strings.Split(councils, ",")
	}
	return s, nil
}

// ErrNoScenario is the error for a scenario run id not stored.
func ErrNoScenario(id int64) error {
	return care.Errorf(care.ENOTFOUND, "no saved scenario %d", id)
}

// EachRow calls row for each of rows (the loop of every Tx.Each), then
// returns the rows' error. The caller closes rows.
func EachRow(rows Rows, row func(Row) error) error {
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
