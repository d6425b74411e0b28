package sqlshared

// The import's statements (the records of an import and the council-years
// it replaces) written once, with $n placeholders; each store runs them on
// its own connection (SQLite's import on the driver's raw connection reads
// them through Dialect.SQL) beside its own bulk writes of the rows (COPY in
// PostgreSQL, multi-row INSERT in SQLite). The one difference: PostgreSQL
// returns the new import's id (InsertImport + " RETURNING id"), SQLite reads
// the last inserted row id.
const (
	InsertCouncil       = `INSERT INTO councils (code, created_at) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING`
	LastImportID        = `SELECT COALESCE(MAX(id), 0) FROM imports WHERE council = $1`
	CouncilYearsSQL     = `SELECT year FROM council_years WHERE council = $1 ORDER BY year`
	InsertImport        = `INSERT INTO imports (council, actor, imported_at, children, episodes, errors, warnings, accepted_errors) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	InsertImportYear    = `INSERT INTO import_years (import_id, year) VALUES ($1, $2)`
	InsertImportFile    = `INSERT INTO import_files (import_id, seq, path, sha256, size) VALUES ($1, $2, $3, $4, $5)`
	InsertImportLeftOut = `INSERT INTO import_left_out (import_id, table_name, reason, rows) VALUES ($1, $2, $3, $4)`
	InsertImportStitch  = `INSERT INTO import_stitch_rules (import_id, rule, applied) VALUES ($1, $2, $3)`
	DeleteReturnTables  = `DELETE FROM return_tables WHERE council = $1 AND year = $2`
	UpsertCouncilYear   = `INSERT INTO council_years (council, year, import_id) VALUES ($1, $2, $3) ON CONFLICT (council, year) DO UPDATE SET import_id = excluded.import_id`
	UpdateCouncilCounts = `UPDATE councils SET children = $1, episodes = $2, first_start = $3, last_event = $4, first_end = $5 WHERE code = $6`
	InsertAudit         = `INSERT INTO audit_log (at, actor, action, council, detail) VALUES ($1, $2, $3, $4, $5)`
	InsertImportTable   = `INSERT INTO import_tables (import_id, year, table_name, file, rows) VALUES ($1, $2, $3, $4, $5)`
	InsertReturnTable   = `INSERT INTO return_tables (council, year, table_name, import_id, file, layout, present, extra, rows, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
)

// DeleteRawTable deletes a council-year's rows of a raw table (its SQL name,
// store.ReturnTables).
func DeleteRawTable(sqlName string) string {
	return `DELETE FROM "` + sqlName + `" WHERE council = $1 AND year = $2`
}

// DeleteHistory are the statements that delete a council's stitched history
// ($1 the council) before an import writes it again.
var DeleteHistory = []string{`DELETE FROM episodes WHERE council = $1`, `DELETE FROM needs WHERE council = $1`, `DELETE FROM children WHERE council = $1`}

// Statements both stores run outside a sqlshared.Tx (on a raw connection, in
// a migration, or beside a dialect's own steps), written once.
const (
	// AppliedMigrations reads the migrations applied (version, applied_at).
	AppliedMigrations = `SELECT version, applied_at FROM schema_migrations`
	// RecordMigration records a migration applied.
	RecordMigration = `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`
	// PlacementPostcodes are the distinct placement postcodes (the
	// districts backfill).
	PlacementPostcodes = `SELECT DISTINCT pl_post FROM episodes WHERE pl_post <> ''`
	// ResidentsOf reads the residents of the provisions p a WHERE clause
	// appended selects (ResidentsOrder after it).
	ResidentsOf    = `SELECT r.provision_id, r.age, r.sex, r.risks FROM provision_residents r JOIN provisions p ON p.id = r.provision_id `
	ResidentsOrder = ` ORDER BY r.provision_id, r.seq`
	// HeldReservation reads a referral's reservation not yet released.
	HeldReservation = `SELECT provision_id, vacancy_id, places, valid_from, weekly_price FROM reservations WHERE referral = $1 AND released_at IS NULL`
	// InsertVacancy adds a vacancy (VacancyValues' columns).
	InsertVacancy = `INSERT INTO vacancies (id, provision_id, places, valid_from, updated_at, weekly_price) VALUES ($1, $2, $3, $4, $5, $6)`
)

// A bulk load's statements (store.BulkLoader), the same in both stores: whether
// any episode is stored (the indexes are deferred only into an empty table),
// whether an interrupted load left indexes to build, and forgetting them once
// built. Listing and dropping the indexes is each dialect's own catalogue.
const (
	AnyEpisode            = `SELECT EXISTS (SELECT 1 FROM episodes)`
	AnyDeferredIndex      = `SELECT EXISTS (SELECT 1 FROM deferred_indexes)`
	ForgetDeferredIndexes = `DELETE FROM deferred_indexes`
)
