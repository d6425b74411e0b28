package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/ssda903"
	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

// errInjected is the failure injected by failAfterRows in tests.
var errInjected = errors.New("injected failure (test)")

// ImportReturns stores one import in one transaction; see store.Store.
//
// The import runs on a connection of its own (raw.go explains why), in one
// IMMEDIATE transaction that is committed only when every row has been
// written and the context has not been cancelled, and rolled back otherwise.
// While it runs it holds the writer pool's only connection, so the other
// writes of this process wait for it as they wait for any write.
func (db *DB) ImportReturns(ctx context.Context, imp store.Import) (store.ImportResult, error) {
	imp, err := store.PrepareImport(imp)
	if err != nil {
		return store.ImportResult{}, err
	}
	actor := sqlshared.ImportActor(ctx, imp)
	what := "import returns for " + imp.Council
	wc, err := db.w.Conn(ctx)
	if err != nil {
		return store.ImportResult{}, dbError(err, what)
	}
	defer wc.Close()
	db.rawMu.Lock()
	defer db.rawMu.Unlock()
	c, err := db.importConn()
	if err != nil {
		return store.ImportResult{}, dbError(err, what)
	}
	res, err := db.importRaw(ctx, c, imp, actor)
	if err != nil {
		// Start the next import on a fresh connection, whatever state this
		// failure left behind.
		db.raw.close()
		db.raw = nil
		return store.ImportResult{}, dbError(err, what)
	}
	return res, nil
}

// importConn is the import connection, opened on first use; db.rawMu must be
// held.
func (db *DB) importConn() (*rawConn, error) {
	if db.raw == nil {
		c, err := openRawConn(db.path)
		if err != nil {
			return nil, err
		}
		db.raw = c
	}
	return db.raw, nil
}

// importRaw runs the import's transaction on c.
func (db *DB) importRaw(ctx context.Context, c *rawConn, imp store.Import, actor string) (store.ImportResult, error) {
	var res store.ImportResult
	err := c.immediate(ctx, func() (err error) {
		res, err = db.importTx(ctx, c, imp, actor)
		return err
	})
	if err != nil {
		return store.ImportResult{}, err
	}
	return res, nil
}

// immediate runs fn in one IMMEDIATE transaction on c, interrupted when ctx
// ends: committed when fn returns nil and ctx is live, rolled back otherwise
// (cancelled: not committed, however far it got; an interrupted statement
// reports the cancellation as its error).
func (c *rawConn) immediate(ctx context.Context, fn func() error) error {
	if err := c.exec(ctx, "BEGIN IMMEDIATE"); err != nil {
		return err
	}
	stop := c.interruptOn(ctx)
	err := fn()
	stop()
	if cerr := ctx.Err(); cerr != nil {
		err = cerr
	}
	if err == nil {
		err = c.exec(context.Background(), "COMMIT")
	}
	if err != nil {
		if rerr := c.exec(context.Background(), "ROLLBACK"); rerr != nil && !strings.Contains(rerr.Error(), "no transaction") {
			err = errors.Join(err, rerr)
		}
		return err
	}
	return nil
}

// progress counts written rows, reports them and injects test failures.
type progress struct {
	done, total int
	next        int
	fn          func(done, total int)
	failAfter   int
}

func (p *progress) add(n int) error {
	p.done += n
	if p.failAfter > 0 && p.done >= p.failAfter {
		return errInjected
	}
	if p.fn != nil && (p.done >= p.next || p.done == p.total) {
		p.fn(p.done, p.total)
		p.next = p.done + 10000
	}
	return nil
}

func (db *DB) importTx(ctx context.Context, c *rawConn, imp store.Import, actor string) (store.ImportResult, error) {
	var res store.ImportResult
	now := db.now()
	council := imp.Council
	prog := &progress{total: store.TotalRows(imp), fn: imp.Progress, failAfter: db.failAfterRows}

	if err := c.exec(ctx, sqlshared.SQLite.SQL(sqlshared.InsertCouncil),
		council, store.TimeString(now)); err != nil {
		return res, err
	}
	if imp.Base != nil {
		last, err := c.queryInt64s(ctx, sqlshared.SQLite.SQL(sqlshared.LastImportID), council)
		if err != nil {
			return res, err
		}
		if last[0] != *imp.Base {
			return res, sqlshared.ErrImportedMeanwhile(council, last[0])
		}
	}
	// Years already stored, which this import replaces.
	stored, err := c.queryInt64s(ctx, sqlshared.SQLite.SQL(sqlshared.CouncilYearsSQL), council)
	if err != nil {
		return res, err
	}
	res.Replaced = sqlshared.Replaced(stored, imp.Years)

	errorsN, warningsN := sqlshared.CountFindings(imp.Findings)
	id, err := c.execID(ctx, sqlshared.SQLite.SQL(sqlshared.InsertImport),
		council, actor, store.TimeString(now), len(imp.Children), len(imp.Episodes), errorsN, warningsN, boolInt(imp.AcceptedErrors))
	if err != nil {
		return res, err
	}
	res.ImportID = id

	for _, y := range imp.Years {
		if err := c.exec(ctx, sqlshared.SQLite.SQL(sqlshared.InsertImportYear), id, y); err != nil {
			return res, err
		}
	}
	for i, f := range imp.Files {
		if err := c.exec(ctx, sqlshared.SQLite.SQL(sqlshared.InsertImportFile),
			id, i, f.Path, f.SHA256, f.Size); err != nil {
			return res, err
		}
	}
	for k, n := range sqlshared.LeftOutTotals(imp.LeftOut) {
		if err := c.exec(ctx, sqlshared.SQLite.SQL(sqlshared.InsertImportLeftOut),
			id, k[0], k[1], n); err != nil {
			return res, err
		}
	}
	for rule, n := range imp.StitchRules {
		if err := c.exec(ctx, sqlshared.SQLite.SQL(sqlshared.InsertImportStitch), id, rule, n); err != nil {
			return res, err
		}
	}

	// Replace exactly the council-years imported.
	for _, y := range imp.Years {
		if err := c.exec(ctx, sqlshared.SQLite.SQL(sqlshared.DeleteReturnTables), council, y); err != nil {
			return res, err
		}
		for _, rt := range store.ReturnTables {
			if err := c.exec(ctx, sqlshared.SQLite.SQL(sqlshared.DeleteRawTable(rt.SQL)), council, y); err != nil {
				return res, err
			}
		}
		if err := c.exec(ctx, sqlshared.SQLite.SQL(sqlshared.UpsertCouncilYear), council, y, id); err != nil {
			return res, err
		}
	}
	if res.Rows, err = sqlshared.EachTable(imp.Returns, func(year int, name ssda903.TableName, t *ssda903.Table) error {
		return insertRawTable(ctx, c, id, council, year, name, t, prog)
	}); err != nil {
		return res, err
	}

	// Replace the council's stitched history.
	for _, q := range sqlshared.DeleteHistory {
		if err := c.exec(ctx, sqlshared.SQLite.SQL(q), council); err != nil {
			return res, err
		}
	}
	if err := insertChildren(ctx, c, council, imp.Children, prog); err != nil {
		return res, err
	}
	if err := insertEpisodes(ctx, c, council, imp.Episodes, prog); err != nil {
		return res, err
	}
	if err := checkChildren(ctx, c, council); err != nil {
		return res, err
	}
	if err := insertFindings(ctx, c, id, imp.Findings); err != nil {
		return res, err
	}
	span := store.SpanOf(imp.Episodes)
	if err := c.exec(ctx, sqlshared.SQLite.SQL(sqlshared.UpdateCouncilCounts),
		len(imp.Children), len(imp.Episodes), nullDate(span.FirstStart), nullDate(span.LastEvent), nullDate(span.FirstEnd), council); err != nil {
		return res, err
	}
	detail := sqlshared.ImportDetail(id, imp)
	if err := c.exec(ctx, sqlshared.SQLite.SQL(sqlshared.InsertAudit),
		store.TimeString(now), actor, store.ActionImport, council, detail); err != nil {
		return res, err
	}
	res.Children = len(imp.Children)
	res.Episodes = len(imp.Episodes)
	return res, nil
}

// insertRawTable stores one raw table of a council-year: packed as read in
// return_tables, and row for row in its typed table when it has one.
func insertRawTable(ctx context.Context, c *rawConn, importID int64, council string, year int, name ssda903.TableName, t *ssda903.Table, prog *progress) error {
	present := sqlshared.Present(name, t)
	if err := c.exec(ctx, sqlshared.SQLite.SQL(sqlshared.InsertImportTable),
		importID, year, string(name), t.File, len(t.Rows)); err != nil {
		return err
	}
	if err := c.exec(ctx, sqlshared.SQLite.SQL(sqlshared.InsertReturnTable),
		council, year, string(name), importID, t.File, string(t.Layout), present, store.JoinList(t.Extra), len(t.Rows), store.EncodeRows(t.Rows)); err != nil {
		return err
	}
	rt, typed := store.ReturnTableOf(name)
	if !typed {
		return prog.add(len(t.Rows))
	}
	cols := []string{"row_no", "import_id", "line"}
	for _, col := range rt.Columns {
		cols = append(cols, col.SQL)
	}
	b := newRawBulkConst(ctx, c, rt.SQL, []string{"council", "year"}, []rawValue{textValue(council), intValue(int64(year))}, cols, prog.add)
	vals := make([]rawValue, len(cols))
	for i, row := range t.Rows {
		vals[0], vals[1], vals[2] = intValue(int64(i)), intValue(importID), intValue(int64(row.Line))
		for j, col := range rt.Columns {
			var s string
			if j < len(row.Values) {
				s = row.Values[j]
			}
			v, ok := store.ParseValue(col.Kind, s)
			if !ok {
				v = nil
			}
			rv, err := rawValueOf(v)
			if err != nil {
				return err
			}
			vals[3+j] = rv
		}
		if err := b.add(vals...); err != nil {
			return err
		}
	}
	return b.close()
}

// insertChildren writes the children (and their needs, for those that have
// any) in id order.
func insertChildren(ctx context.Context, c *rawConn, council string, children []care.Child, prog *progress) error {
	b := newRawBulkConst(ctx, c, "children", []string{"council"}, []rawValue{textValue(council)},
		[]string{"child_id", "sex", "dob", "ethnicity", "upn", "uasc", "uasc_ended"}, prog.add)
	for i := range children {
		ch := &children[i]
		if err := b.add(textValue(ch.ID), textValue(string(ch.Sex)), dateValue(ch.DOB), textValue(ch.Ethnicity), textValue(ch.UPN),
			intValue(int64(boolInt(ch.UASC))), dateValue(ch.UASCEnded)); err != nil {
			return err
		}
	}
	if err := b.close(); err != nil {
		return err
	}
	n := newRawBulkConst(ctx, c, "needs", []string{"council"}, []rawValue{textValue(council)},
		[]string{"child_id", "tier", "risks", "disability", "mental_health", "communication", "solo_recommended", "deprivation_of_liberty"}, nil)
	for i := range children {
		ch := &children[i]
		if store.NeedsIsZero(ch.Needs) {
			continue
		}
		nd := &ch.Needs
		if err := n.add(textValue(ch.ID), intValue(int64(nd.Tier)), textValue(store.JoinList(nd.Risks)), intValue(int64(boolInt(nd.Disability))),
			intValue(int64(boolInt(nd.MentalHealth))), textValue(store.JoinList(nd.CommunicationNeeds)), intValue(int64(boolInt(nd.SoloRecommended))),
			intValue(int64(boolInt(nd.DeprivationOfLiberty)))); err != nil {
			return err
		}
	}
	return n.close()
}

// insertEpisodes writes the stitched episodes in (child, start) order. Most
// returns carry no placement costs, so episodes without any cost or funding
// go through a statement that leaves those columns at their default (0),
// binding four values fewer per row.
func insertEpisodes(ctx context.Context, c *rawConn, council string, episodes []care.Episode, prog *progress) error {
	cols := []string{"child_id", "seq", "start_date", "end_date", "rne", "ls", "cin", "place", "provider",
		"rec", "reason_place_change", "home_post", "pl_post", "urn", "pl_district"}
	plain := newRawBulkConst(ctx, c, "episodes", []string{"council"}, []rawValue{textValue(council)}, cols, prog.add)
	costed := newRawBulkConst(ctx, c, "episodes", []string{"council"}, []rawValue{textValue(council)},
		append(cols, "weekly_cost", "funding_social_care", "funding_education", "funding_health"), prog.add)
	seq := 0
	for i := range episodes {
		e := &episodes[i]
		if i > 0 && episodes[i-1].ChildID == e.ChildID {
			seq++
		} else {
			seq = 0
		}
		var err error
		if e.WeeklyCost == 0 && e.Funding == (care.Funding{}) {
			err = plain.add(textValue(e.ChildID), intValue(int64(seq)), dateValue(e.Start), dateValue(e.End), textValue(e.ReasonNew),
				textValue(e.LegalStatus), textValue(e.CategoryOfNeed), textValue(string(e.Placement)), textValue(string(e.Provider)),
				textValue(e.ReasonEnded), textValue(e.ReasonPlaceChange), textValue(e.HomePostcode), textValue(e.PlacementPostcode), textValue(e.URN), textValue(store.PlacementDistrict(e.PlacementPostcode)))
		} else {
			err = costed.add(textValue(e.ChildID), intValue(int64(seq)), dateValue(e.Start), dateValue(e.End), textValue(e.ReasonNew),
				textValue(e.LegalStatus), textValue(e.CategoryOfNeed), textValue(string(e.Placement)), textValue(string(e.Provider)),
				textValue(e.ReasonEnded), textValue(e.ReasonPlaceChange), textValue(e.HomePostcode), textValue(e.PlacementPostcode), textValue(e.URN), textValue(store.PlacementDistrict(e.PlacementPostcode)),
				intValue(int64(e.WeeklyCost)), intValue(int64(e.Funding.SocialCare)), intValue(int64(e.Funding.Education)), intValue(int64(e.Funding.Health)))
		}
		if err != nil {
			return err
		}
	}
	if err := plain.close(); err != nil {
		return err
	}
	return costed.close()
}

func insertFindings(ctx context.Context, c *rawConn, importID int64, findings []ssda903.Finding) error {
	b := newRawBulk(ctx, c, "findings", []string{"import_id", "seq", "severity", "rule_code", "council", "year", "child", "table_name", "file", "line", "columns", "value", "message"}, nil)
	for i, f := range findings {
		if err := b.add(intValue(importID), intValue(int64(i)), textValue(sqlshared.Severity(f.Severity)), textValue(f.RuleCode), textValue(f.Council), intValue(int64(f.Year)),
			textValue(f.Child), textValue(string(f.Table)), textValue(f.File), intValue(int64(f.Line)),
			textValue(store.JoinList(f.Columns)), textValue(f.Value), textValue(f.Message)); err != nil {
			return err
		}
	}
	return b.close()
}

// checkChildren is the foreign key the import connection does not check row
// by row (importPragmas): every episode and needs row of the council names one
// of its children. EINVALID when one does not.
func checkChildren(ctx context.Context, c *rawConn, council string) error {
	orphan, found, err := c.queryText(ctx, sqlshared.OrphanChildSQL, council)
	if err != nil {
		return err
	}
	if found {
		return sqlshared.ErrOrphanChild(council, orphan)
	}
	return nil
}

func appendAudit(ctx context.Context, tx *sql.Tx, at time.Time, actor, action, council, detail string) error {
	_, err := tx.ExecContext(ctx, sqlshared.SQLite.SQL(sqlshared.InsertAudit),
		store.TimeString(at), actor, action, council, detail)
	return err
}

func nullDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return store.DateString(t)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
