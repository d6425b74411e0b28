package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"sufficiency/care"
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

// copyRows writes n rows with COPY, reporting progress every 1,000 rows.
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
	if imp.Base != nil {
		var last int64
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM imports WHERE council = $1`, council).Scan(&last); err != nil {
			return res, err
		}
		if last != *imp.Base {
			return res, sqlshared.ErrImportedMeanwhile(council, last)
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO councils (code, created_at) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING`, council, now); err != nil {
		return res, err
	}
	stored, err := queryInts(ctx, tx, `SELECT year FROM council_years WHERE council = $1 ORDER BY year`, council)
	if err != nil {
		return res, err
	}
	res.Replaced = sqlshared.Replaced(stored, imp.Years)
	errorsN, warningsN := sqlshared.CountFindings(imp.Findings)
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO imports (council, actor, imported_at, children, episodes, errors, warnings, accepted_errors)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		council, actor, now, len(imp.Children), len(imp.Episodes), errorsN, warningsN, imp.AcceptedErrors).Scan(&id); err != nil {
		return res, err
	}
	res.ImportID = id
	for _, y := range imp.Years {
		if _, err := tx.Exec(ctx, `INSERT INTO import_years (import_id, year) VALUES ($1, $2)`, id, y); err != nil {
			return res, err
		}
	}
	for i, f := range imp.Files {
		if _, err := tx.Exec(ctx, `INSERT INTO import_files (import_id, seq, path, sha256, size) VALUES ($1, $2, $3, $4, $5)`,
			id, i, f.Path, f.SHA256, f.Size); err != nil {
			return res, err
		}
	}
	for k, n := range sqlshared.LeftOutTotals(imp.LeftOut) {
		if _, err := tx.Exec(ctx, `INSERT INTO import_left_out (import_id, table_name, reason, rows) VALUES ($1, $2, $3, $4)`, id, k[0], k[1], n); err != nil {
			return res, err
		}
	}
	for rule, n := range imp.StitchRules {
		if _, err := tx.Exec(ctx, `INSERT INTO import_stitch_rules (import_id, rule, applied) VALUES ($1, $2, $3)`, id, rule, n); err != nil {
			return res, err
		}
	}

	// Replace exactly the council-years imported.
	for _, y := range imp.Years {
		if _, err := tx.Exec(ctx, `DELETE FROM return_tables WHERE council = $1 AND year = $2`, council, y); err != nil {
			return res, err
		}
		for _, rt := range store.ReturnTables {
			if _, err := tx.Exec(ctx, `DELETE FROM "`+rt.SQL+`" WHERE council = $1 AND year = $2`, council, y); err != nil {
				return res, err
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO council_years (council, year, import_id) VALUES ($1, $2, $3)
			ON CONFLICT (council, year) DO UPDATE SET import_id = excluded.import_id`, council, y, id); err != nil {
			return res, err
		}
	}
	if res.Rows, err = sqlshared.EachTable(imp.Returns, func(year int, name ssda903.TableName, t *ssda903.Table) error {
		return insertRawTable(ctx, tx, id, council, year, name, t, prog)
	}); err != nil {
		return res, err
	}

	// Replace the council's stitched history.
	for _, q := range []string{`DELETE FROM episodes WHERE council = $1`, `DELETE FROM needs WHERE council = $1`, `DELETE FROM children WHERE council = $1`} {
		if _, err := tx.Exec(ctx, q, council); err != nil {
			return res, err
		}
	}
	cs := imp.Children
	if err := copyRows(ctx, tx, "children", []string{"council", "child_id", "sex", "dob", "ethnicity", "upn", "uasc", "uasc_ended"}, len(cs),
		func(i int) []any {
			c := &cs[i]
			return []any{c.Council, c.ID, string(c.Sex), date(c.DOB), c.Ethnicity, c.UPN, c.UASC, date(c.UASCEnded)}
		}, prog); err != nil {
		return res, err
	}
	var withNeeds []care.Child
	for _, c := range cs {
		if !store.NeedsIsZero(c.Needs) {
			withNeeds = append(withNeeds, c)
		}
	}
	if err := copyRows(ctx, tx, "needs", []string{"council", "child_id", "tier", "risks", "disability", "mental_health", "communication", "solo_recommended", "deprivation_of_liberty"},
		len(withNeeds), func(i int) []any {
			c := &withNeeds[i]
			n := c.Needs
			return []any{c.Council, c.ID, int(n.Tier), store.JoinList(n.Risks), n.Disability, n.MentalHealth, store.JoinList(n.CommunicationNeeds), n.SoloRecommended, n.DeprivationOfLiberty}
		}, nil); err != nil {
		return res, err
	}
	es := imp.Episodes
	seqs := make([]int, len(es))
	for i := range es {
		if i > 0 && es[i-1].ChildID == es[i].ChildID {
			seqs[i] = seqs[i-1] + 1
		}
	}
	if err := copyRows(ctx, tx, "episodes", []string{"council", "child_id", "seq", "start_date", "end_date", "rne", "ls", "cin", "place", "provider",
		"rec", "reason_place_change", "home_post", "pl_post", "urn", "pl_district", "weekly_cost", "funding_social_care", "funding_education", "funding_health"},
		len(es), func(i int) []any {
			e := &es[i]
			return []any{e.Council, e.ChildID, seqs[i], e.Start, date(e.End), e.ReasonNew, e.LegalStatus, e.CategoryOfNeed,
				string(e.Placement), string(e.Provider), e.ReasonEnded, e.ReasonPlaceChange, e.HomePostcode, e.PlacementPostcode, e.URN, store.PlacementDistrict(e.PlacementPostcode),
				int64(e.WeeklyCost), int64(e.Funding.SocialCare), int64(e.Funding.Education), int64(e.Funding.Health)}
		}, prog); err != nil {
		return res, err
	}
	fs := imp.Findings
	if err := copyRows(ctx, tx, "findings", []string{"import_id", "seq", "severity", "rule_code", "council", "year", "child", "table_name", "file", "line", "columns", "value", "message"},
		len(fs), func(i int) []any {
			f := &fs[i]
			return []any{id, i, sqlshared.Severity(f.Severity), f.RuleCode, f.Council, f.Year, f.Child, string(f.Table), f.File, f.Line, store.JoinList(f.Columns), f.Value, f.Message}
		}, nil); err != nil {
		return res, err
	}
	if err := checkIntegrity(ctx, tx, council); err != nil {
		return res, err
	}
	span := store.SpanOf(imp.Episodes)
	if _, err := tx.Exec(ctx, `UPDATE councils SET children = $1, episodes = $2, first_start = $3, last_event = $4, first_end = $5 WHERE code = $6`,
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

// insertRawTable stores one raw table of a council-year: packed as read in
// return_tables, and row for row in its typed table when it has one.
func insertRawTable(ctx context.Context, tx pgx.Tx, importID int64, council string, year int, name ssda903.TableName, t *ssda903.Table, prog *progress) error {
	present := sqlshared.Present(name, t)
	if _, err := tx.Exec(ctx, `INSERT INTO import_tables (import_id, year, table_name, file, rows) VALUES ($1, $2, $3, $4, $5)`,
		importID, year, string(name), t.File, len(t.Rows)); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO return_tables (council, year, table_name, import_id, file, layout, present, extra, rows, data)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		council, year, string(name), importID, t.File, string(t.Layout), present, store.JoinList(t.Extra), len(t.Rows), store.EncodeRows(t.Rows)); err != nil {
		return err
	}
	rt, typed := store.ReturnTableOf(name)
	if !typed {
		prog.add(len(t.Rows))
		return nil
	}
	cols := []string{"council", "year", "row_no", "import_id", "line"}
	for _, c := range rt.Columns {
		cols = append(cols, c.SQL)
	}
	return copyRows(ctx, tx, rt.SQL, cols, len(t.Rows), func(i int) []any {
		row := t.Rows[i]
		vals := make([]any, len(cols))
		vals[0], vals[1], vals[2], vals[3], vals[4] = council, year, i, importID, row.Line
		for j, c := range rt.Columns {
			var s string
			if j < len(row.Values) {
				s = row.Values[j]
			}
			if v, ok := store.ParseValue(c.Kind, s); ok {
				vals[5+j] = v
			}
		}
		return vals
	}, prog)
}

func queryInts(ctx context.Context, tx pgx.Tx, q string, args ...any) ([]int, error) {
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return sqlshared.ReadAll(rows, sqlshared.Int)
}

// checkIntegrity is the import's one set-based integrity check (migration
// 0004 dropped the per-row foreign keys of the bulk tables): every episode
// and needs row of the council has its child. EINVALID otherwise, and the
// transaction is rolled back.
func checkIntegrity(ctx context.Context, tx pgx.Tx, council string) error {
	var orphan string
	err := tx.QueryRow(ctx, `SELECT x.child_id FROM (
			SELECT child_id FROM episodes WHERE council = $1
			UNION SELECT child_id FROM needs WHERE council = $1) x
		WHERE NOT EXISTS (SELECT 1 FROM children c WHERE c.council = $1 AND c.child_id = x.child_id) LIMIT 1`, council).Scan(&orphan)
	if err == pgx.ErrNoRows {
		return nil
	}
	if err != nil {
		return err
	}
	return care.Errorf(care.EINVALID, "import returns for %s: an episode or needs row names child %q, who is not among the import's children: every episode's CHILD must have a child record", council, orphan)
}
