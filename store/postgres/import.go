package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"sufficiency/ssda903"
	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

// ImportReturns stores one import in one transaction; see store.Store.
func (db *DB) ImportReturns(ctx context.Context, imp store.Import) (store.ImportResult, error) {
	imp, err := store.PrepareImport(imp)
	if err != nil {
		return store.ImportResult{}, err
	}
	actor := sqlshared.ImportActor(ctx, imp)
	var res store.ImportResult
	err = db.write(ctx, "import returns for "+imp.Council, func(tx pgx.Tx) error {
		var err error
		res, err = db.importTx(ctx, tx, imp, actor)
		return err
	})
	if err != nil {
		return store.ImportResult{}, err
	}
	return res, nil
}

// progress counts written rows and reports them.
type progress struct {
	done, total, next int
	fn                func(done, total int)
}

func (p *progress) add(n int) {
	p.done += n
	if p.fn != nil && (p.done >= p.next || p.done == p.total) {
		p.fn(p.done, p.total)
		p.next = p.done + 10000
	}
}

// copyRows writes n rows with pgx's CopyFrom, reporting progress every
// 1,000 rows; the supply's tables use it (the import's bulk rows go through
// copyBinary).
func copyRows(ctx context.Context, tx pgx.Tx, table string, cols []string, n int, row func(i int) []any, prog *progress) error {
	if n == 0 {
		return nil
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromSlice(n, func(i int) ([]any, error) {
		if prog != nil && (i+1)%1000 == 0 {
			prog.add(1000)
		}
		return row(i), nil
	}))
	if err == nil && prog != nil {
		prog.add(n % 1000)
	}
	return err
}

func (db *DB) importTx(ctx context.Context, tx pgx.Tx, imp store.Import, actor string) (store.ImportResult, error) {
	var res store.ImportResult
	now := db.now()
	council := imp.Council
	prog := &progress{total: store.TotalRows(imp), fn: imp.Progress}

	// One import of a council at a time.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('sufficiency import ' || $1))`, council); err != nil {
		return res, err
	}
	deferred, err := deferEpisodeIndexes(ctx, tx, council, len(imp.Episodes))
	if err != nil {
		return res, err
	}
	if imp.Base != nil {
		var last int64
		if err := tx.QueryRow(ctx, sqlshared.LastImportID, council).Scan(&last); err != nil {
			return res, err
		}
		if last != *imp.Base {
			return res, sqlshared.ErrImportedMeanwhile(council, last)
		}
	}
	if _, err := tx.Exec(ctx, sqlshared.InsertCouncil, council, now); err != nil {
		return res, err
	}
	stored, err := sqlshared.CouncilYears(ctx, pgTx{tx}, council)
	if err != nil {
		return res, err
	}
	res.Replaced = sqlshared.Replaced(stored, imp.Years)
	errorsN, warningsN := sqlshared.CountFindings(imp.Findings)
	var id int64
	if err := tx.QueryRow(ctx, sqlshared.InsertImport+` RETURNING id`,
		council, actor, now, len(imp.Children), len(imp.Episodes), errorsN, warningsN, imp.AcceptedErrors).Scan(&id); err != nil {
		return res, err
	}
	res.ImportID = id
	// The import's small rows and the deletes of the council-years it
	// replaces go in one round trip, as do the raw tables' records below
	// (a few hundred statements per council, each a round trip before).
	b := &pgx.Batch{}
	for _, y := range imp.Years {
		b.Queue(sqlshared.InsertImportYear, id, y)
	}
	for i, f := range imp.Files {
		b.Queue(sqlshared.InsertImportFile, id, i, f.Path, f.SHA256, f.Size)
	}
	for k, n := range sqlshared.LeftOutTotals(imp.LeftOut) {
		b.Queue(sqlshared.InsertImportLeftOut, id, k[0], k[1], n)
	}
	for rule, n := range imp.StitchRules {
		b.Queue(sqlshared.InsertImportStitch, id, rule, n)
	}
	// Replace exactly the council-years imported.
	for _, y := range imp.Years {
		b.Queue(sqlshared.DeleteReturnTables, council, y)
		for _, rt := range store.ReturnTables {
			b.Queue(sqlshared.DeleteRawTable(rt.SQL), council, y)
		}
		b.Queue(sqlshared.UpsertCouncilYear, council, y, id)
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return res, err
	}
	// The raw tables are packed (store.EncodeRows: about 0.4 CPU-seconds
	// for 1,000,000 rows) on another core while the server writes the
	// stitched history, and written after it.
	packed := make(chan [][]byte, 1)
	go func() { packed <- packRawTables(imp.Returns) }()
	// Replace the council's stitched history.
	for _, q := range sqlshared.DeleteHistory {
		if _, err := tx.Exec(ctx, q, council); err != nil {
			return res, err
		}
	}
	cs := imp.Children
	if err := copyBinary(ctx, tx, "children", []string{"council", "child_id", "sex", "dob", "ethnicity", "upn", "uasc", "uasc_ended"}, len(cs),
		func(t *tuple, i int) error {
			c := &cs[i]
			t.begin(8)
			t.text(council) // PrepareImport refused any other (migration 0740)
			t.text(c.ID)
			t.text(string(c.Sex))
			t.date(c.DOB)
			t.text(c.Ethnicity)
			t.text(c.UPN)
			t.bool(c.UASC)
			t.date(c.UASCEnded)
			return nil
		}, prog); err != nil {
		return res, err
	}
	var withNeeds []int
	for i := range cs {
		if !store.NeedsIsZero(cs[i].Needs) {
			withNeeds = append(withNeeds, i)
		}
	}
	if err := copyBinary(ctx, tx, "needs", []string{"council", "child_id", "tier", "risks", "disability", "mental_health", "communication", "solo_recommended", "deprivation_of_liberty"},
		len(withNeeds), func(t *tuple, i int) error {
			c := &cs[withNeeds[i]]
			n := &c.Needs
			t.begin(9)
			t.text(c.Council)
			t.text(c.ID)
			t.int8(int64(n.Tier))
			t.text(store.JoinList(n.Risks))
			t.bool(n.Disability)
			t.bool(n.MentalHealth)
			t.text(store.JoinList(n.CommunicationNeeds))
			t.bool(n.SoloRecommended)
			t.bool(n.DeprivationOfLiberty)
			return nil
		}, nil); err != nil {
		return res, err
	}
	es := imp.Episodes
	seq := 0
	if err := copyBinary(ctx, tx, "episodes", []string{"council", "child_id", "seq", "start_date", "end_date", "rne", "ls", "cin", "place", "provider",
		"rec", "reason_place_change", "home_post", "pl_post", "urn", "pl_district", "weekly_cost", "funding_social_care", "funding_education", "funding_health"},
		len(es), func(t *tuple, i int) error {
			e := &es[i]
			// seq: the episode's order within its child (rows are encoded
			// in order, once each).
			if i > 0 && es[i-1].ChildID == e.ChildID {
				seq++
			} else {
				seq = 0
			}
			t.begin(20)
			t.text(e.Council)
			t.text(e.ChildID)
			t.int8(int64(seq))
			t.date(e.Start)
			t.date(e.End)
			t.text(e.ReasonNew)
			t.text(e.LegalStatus)
			t.text(e.CategoryOfNeed)
			t.text(string(e.Placement))
			t.text(string(e.Provider))
			t.text(e.ReasonEnded)
			t.text(e.ReasonPlaceChange)
			t.text(e.HomePostcode)
			t.text(e.PlacementPostcode)
			t.text(e.URN)
			t.text(store.PlacementDistrict(e.PlacementPostcode))
			t.int8(int64(e.WeeklyCost))
			t.int8(int64(e.Funding.SocialCare))
			t.int8(int64(e.Funding.Education))
			t.int8(int64(e.Funding.Health))
			return nil
		}, prog); err != nil {
		return res, err
	}
	fs := imp.Findings
	if err := copyBinary(ctx, tx, "findings", []string{"import_id", "seq", "severity", "rule_code", "council", "year", "child", "table_name", "file", "line", "columns", "value", "message"},
		len(fs), func(t *tuple, i int) error {
			f := &fs[i]
			t.begin(13)
			t.int8(id)
			t.int8(int64(i))
			t.text(sqlshared.Severity(f.Severity))
			t.text(f.RuleCode)
			t.text(f.Council)
			t.int8(int64(f.Year))
			t.text(f.Child)
			t.text(string(f.Table))
			t.text(f.File)
			t.int8(int64(f.Line))
			t.text(store.JoinList(f.Columns))
			t.text(f.Value)
			t.text(f.Message)
			return nil
		}, nil); err != nil {
		return res, err
	}
	// They go in batches of about rawBatchBytes: pgx encodes a whole batch
	// before sending any of it, and one batch of all England's raw tables
	// (76 MB for 1,000,000 episodes) cost a second of the client's time
	// before the server saw its first row.
	raw := <-packed
	b = &pgx.Batch{}
	pending := 0
	if res.Rows, err = sqlshared.EachTable(imp.Returns, func(year int, name ssda903.TableName, t *ssda903.Table) error {
		data := raw[0]
		raw = raw[1:]
		if err := insertRawTable(ctx, tx, b, id, council, year, name, t, data, prog); err != nil {
			return err
		}
		if pending += len(data); pending < rawBatchBytes {
			return nil
		}
		pending = 0
		err := tx.SendBatch(ctx, b).Close()
		b = &pgx.Batch{}
		return err
	}); err != nil {
		return res, err
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return res, err
	}
	if err := rebuildIndexes(ctx, tx, deferred); err != nil {
		return res, err
	}
	if err := checkIntegrity(ctx, tx, council); err != nil {
		return res, err
	}
	span := store.SpanOf(imp.Episodes)
	if _, err := tx.Exec(ctx, sqlshared.UpdateCouncilCounts,
		len(imp.Children), len(imp.Episodes), date(span.FirstStart), date(span.LastEvent), date(span.FirstEnd), council); err != nil {
		return res, err
	}
	detail := sqlshared.ImportDetail(id, imp)
	if err := appendAudit(ctx, tx, now, actor, store.ActionImport, council, detail); err != nil {
		return res, err
	}
	res.Children, res.Episodes = len(imp.Children), len(imp.Episodes)
	return res, nil
}

// rawBatchBytes is the packed raw tables' size from which importTx sends the
// statements it has queued.
const rawBatchBytes = 4 << 20

// packRawTables is store.EncodeRows of each raw table of returns, in the
// order sqlshared.EachTable visits them.
func packRawTables(returns []*ssda903.Return) [][]byte {
	var out [][]byte
	sqlshared.EachTable(returns, func(_ int, _ ssda903.TableName, t *ssda903.Table) error {
		out = append(out, store.EncodeRows(t.Rows))
		return nil
	})
	return out
}

// insertRawTable stores one raw table of a council-year: packed as read
// (data, store.EncodeRows of its rows) in return_tables (queued in b, sent by
// the caller), and row for row in its typed table when it has one (COPY,
// now).
func insertRawTable(ctx context.Context, tx pgx.Tx, b *pgx.Batch, importID int64, council string, year int, name ssda903.TableName, t *ssda903.Table, data []byte, prog *progress) error {
	present := sqlshared.Present(name, t)
	b.Queue(sqlshared.InsertImportTable, importID, year, string(name), t.File, len(t.Rows))
	b.Queue(sqlshared.InsertReturnTable,
		council, year, string(name), importID, t.File, string(t.Layout), present, store.JoinList(t.Extra), len(t.Rows), data)
	rt, typed := store.ReturnTableOf(name)
	if !typed {
		prog.add(len(t.Rows))
		return nil
	}
	cols := []string{"council", "year", "row_no", "import_id", "line"}
	for _, c := range rt.Columns {
		cols = append(cols, c.SQL)
	}
	return copyBinary(ctx, tx, rt.SQL, cols, len(t.Rows), func(tp *tuple, i int) error {
		row := &t.Rows[i]
		tp.begin(len(cols))
		tp.text(council)
		tp.int8(int64(year))
		tp.int8(int64(i))
		tp.int8(importID)
		tp.int8(int64(row.Line))
		for j, c := range rt.Columns {
			var s string
			if j < len(row.Values) {
				s = row.Values[j]
			}
			v, _ := store.ParseValue(c.Kind, s)
			if err := tp.value(v); err != nil {
				return err
			}
		}
		return nil
	}, prog)
}

// checkIntegrity is the import's one set-based integrity check (migration
// 0004 dropped the per-row foreign keys of the bulk tables): every episode
// and needs row of the council has its child. EINVALID otherwise, and the
// transaction is rolled back.
//
// The rows were written by this transaction, so the planner has no
// statistics for them and, left to itself, picks a nested loop that scans
// the council's children once per episode (35 s for 100,000 episodes).
// Nested loops are turned off for the check alone: the anti-join is then a
// hash or merge join, one pass over each side.
func checkIntegrity(ctx context.Context, tx pgx.Tx, council string) error {
	if _, err := tx.Exec(ctx, `SET LOCAL enable_nestloop = off`); err != nil {
		return err
	}
	var orphan string
	err := tx.QueryRow(ctx, sqlshared.OrphanChildSQL, council).Scan(&orphan)
	if err != nil && err != pgx.ErrNoRows {
		return err
	}
	if _, rerr := tx.Exec(ctx, `SET LOCAL enable_nestloop = on`); rerr != nil {
		return rerr
	}
	if err == pgx.ErrNoRows {
		return nil
	}
	return sqlshared.ErrOrphanChild(council, orphan)
}

// bulkEpisodes is the size of import from which, into a database holding no
// other council's episodes, the episodes' indexes are built after the rows
// are written rather than kept up to date row by row.
const bulkEpisodes = 50_000

// deferEpisodeIndexes drops the indexes of episodes (its primary key and
// every secondary index, as the catalog defines them) when the import writes
// at least bulkEpisodes episodes and no other council has any: the first,
// large import of a database. It returns the statements that create them
// again, for rebuildIndexes to run in the same transaction, before commit:
// the primary key first, then the secondary indexes.
//
// Keeping the indexes up to date costs PostgreSQL about 4 CPU-seconds per
// 1,000,000 episodes for the three secondary indexes and 1.6 for the
// primary key (45% of the episodes' COPY; perf); building them afterwards
// from the written rows, by sorting, costs a fraction of that and can use
// parallel workers. The primary key's build sorts rows already in its order
// (the import writes episodes by child, then start: store.PrepareImport),
// and checks its uniqueness as the key did row by row: a duplicate still
// refuses the import. The price: DROP holds an exclusive lock on episodes
// until the import commits, so on a database with no other council's
// episodes a reader waits for the first import (there is nothing yet for it
// to read). Once any council has episodes, imports keep the indexes and
// never block readers. The decision and the lock come before the import
// writes to episodes, so two first imports at once queue instead of
// deadlocking.
func deferEpisodeIndexes(ctx context.Context, tx pgx.Tx, council string, episodes int) ([]string, error) {
	if episodes < bulkEpisodes {
		return nil, nil
	}
	var others bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM councils WHERE code <> $1 AND episodes > 0)`, council).Scan(&others); err != nil || others {
		return nil, err
	}
	if _, err := tx.Exec(ctx, `LOCK TABLE episodes IN ACCESS EXCLUSIVE MODE`); err != nil {
		return nil, err
	}
	// Another first import may have committed while this one waited.
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM councils WHERE code <> $1 AND episodes > 0)`, council).Scan(&others); err != nil || others {
		return nil, err
	}
	var defs []string
	var key, keyDef string
	err := tx.QueryRow(ctx, `SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'episodes'::regclass AND contype = 'p'`).Scan(&key, &keyDef)
	switch {
	case err == pgx.ErrNoRows:
	case err != nil:
		return nil, err
	default:
		if _, err := tx.Exec(ctx, `ALTER TABLE episodes DROP CONSTRAINT `+pgx.Identifier{key}.Sanitize()); err != nil {
			return nil, err
		}
		defs = append(defs, `ALTER TABLE episodes ADD CONSTRAINT `+pgx.Identifier{key}.Sanitize()+` `+keyDef)
	}
	idx, err := secondaryIndexes(ctx, tx)
	if err != nil {
		return nil, err
	}
	for _, x := range idx {
		if _, err := tx.Exec(ctx, `DROP INDEX `+pgx.Identifier{x.name}.Sanitize()); err != nil {
			return nil, err
		}
		defs = append(defs, x.def)
	}
	return defs, nil
}

// rebuildIndexes runs the statements that create again the indexes
// deferEpisodeIndexes or BeginBulkLoad dropped, in order.
func rebuildIndexes(ctx context.Context, tx pgx.Tx, defs []string) error {
	if len(defs) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `SET LOCAL maintenance_work_mem = '256MB'`); err != nil {
		return err
	}
	for _, d := range defs {
		if _, err := tx.Exec(ctx, d); err != nil {
			return err
		}
	}
	return nil
}
