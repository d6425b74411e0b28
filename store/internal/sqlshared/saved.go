package sqlshared

import (
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

// ForecastColumns are the columns ScanForecast reads. SQLite reads an
// absent reference date as "" (its codec scans text); PostgreSQL as NULL.
func ForecastColumns(d Dialect) string {
	ref := `reference_start, reference_end`
	if d == SQLite {
		ref = `COALESCE(reference_start, ''), COALESCE(reference_end, '')`
	}
	return `id, saved_at, actor, mode, scope, origin, years, sims, seed, ` + ref + `, model_version, inputs_sha256`
}

// ForecastsSQL lists the saved forecasts of a council ($1, "" for all) and
// mode ($2, "" for all), oldest first.
func ForecastsSQL(d Dialect) string {
	return d.SQL(`SELECT ` + ForecastColumns(d) + ` FROM forecasts
		WHERE ($1 = '' OR id IN (SELECT forecast_id FROM forecast_councils WHERE council = $1))
		  AND ($2 = '' OR mode = $2)
		ORDER BY id`)
}

// ForecastSQL reads one forecast ($1) with its record.
func ForecastSQL(d Dialect) string {
	return d.SQL(`SELECT ` + ForecastColumns(d) + `, record FROM forecasts WHERE id = $1`)
}

// ForecastCouncilsSQL lists a forecast's councils ($1) in order.
func ForecastCouncilsSQL(d Dialect) string {
	return d.SQL(`SELECT council FROM forecast_councils WHERE forecast_id = $1 ORDER BY position`)
}

// NextScenarioVersionSQL is the version the next run of a scenario name ($1)
// takes.
func NextScenarioVersionSQL(d Dialect) string {
	return d.SQL(`SELECT COALESCE(MAX(version), 0) + 1 FROM scenarios WHERE name = $1`)
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

// ScenariosSQL lists the scenario runs of a name ($1, "" for all) that
// cover a council ($2, "" for all), newest first. The council is found in
// the comma-separated list with instr in SQLite, string_to_array in
// PostgreSQL.
func ScenariosSQL(d Dialect) string {
	has := `instr(',' || councils || ',', ',' || $2 || ',') > 0`
	if d == Postgres {
		has = `$2 = ANY (string_to_array(councils, ','))`
	}
	return d.SQL(`SELECT ` + scenarioColumns + ` FROM scenarios
		WHERE ($1 = '' OR name = $1) AND ($2 = '' OR ` + has + `)
		ORDER BY id DESC`)
}

// ScenarioSQL reads one scenario run ($1) with its file and result.
func ScenarioSQL(d Dialect) string {
	return d.SQL(`SELECT ` + scenarioColumns + `, file, result FROM scenarios WHERE id = $1`)
}

// ScanScenario scans a row of ScenariosSQL (with extra destinations after
// its columns: ScenarioSQL's file and result), times through c.
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
