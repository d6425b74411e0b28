package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/ssda903"
	"sufficiency/store"
)

// errInjected is the failure injected by failAfterRows in tests.
var errInjected = errors.New("injected failure (test)")

// ImportReturns stores one import in one transaction; see store.Store.
func (db *DB) ImportReturns(ctx context.Context, imp store.Import) (store.ImportResult, error) {
	imp, err := store.PrepareImport(imp)
	if err != nil {
		return store.ImportResult{}, err
	}
	actor := imp.Actor
	if actor == "" {
		actor = store.ActorFrom(ctx)
	}
	var res store.ImportResult
	err = db.write(ctx, "import returns for "+imp.Council, func(tx *sql.Tx) error {
		var err error
		res, err = db.importTx(ctx, tx, imp, actor)
		return err
	})
	if err != nil {
		return store.ImportResult{}, err
	}
	return res, nil
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

func (db *DB) importTx(ctx context.Context, tx *sql.Tx, imp store.Import, actor string) (store.ImportResult, error) {
	var res store.ImportResult
	now := db.now()
	council := imp.Council
	prog := &progress{total: store.TotalRows(imp), fn: imp.Progress, failAfter: db.failAfterRows}

	if _, err := tx.ExecContext(ctx, `INSERT INTO councils (code, created_at) VALUES (?, ?) ON CONFLICT (code) DO NOTHING`,
		council, store.TimeString(now)); err != nil {
		return res, err
	}
	if imp.Base != nil {
		var last int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM imports WHERE council = ?`, council).Scan(&last); err != nil {
			return res, err
		}
		if last != *imp.Base {
			return res, care.Errorf(care.ECONFLICT, "council %s was imported again (import %d) while this import was being prepared: run the import again", council, last)
		}
	}
	// Years already stored, which this import replaces.
	rows, err := tx.QueryContext(ctx, `SELECT year FROM council_years WHERE council = ? ORDER BY year`, council)
	if err != nil {
		return res, err
	}
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			rows.Close()
			return res, err
		}
		if _, ok := slices.BinarySearch(imp.Years, y); ok {
			res.Replaced = append(res.Replaced, y)
		}
	}
	if err := rows.Close(); err != nil {
		return res, err
	}

	errorsN, warningsN := 0, 0
	for _, f := range imp.Findings {
		if f.Severity == ssda903.SeverityError {
			errorsN++
		} else {
			warningsN++
		}
	}
	r, err := tx.ExecContext(ctx, `INSERT INTO imports (council, actor, imported_at, children, episodes, errors, warnings, accepted_errors)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		council, actor, store.TimeString(now), len(imp.Children), len(imp.Episodes), errorsN, warningsN, boolInt(imp.AcceptedErrors))
	if err != nil {
		return res, err
	}
	id, err := r.LastInsertId()
	if err != nil {
		return res, err
	}
	res.ImportID = id

	for _, y := range imp.Years {
		if _, err := tx.ExecContext(ctx, `INSERT INTO import_years (import_id, year) VALUES (?, ?)`, id, y); err != nil {
			return res, err
		}
	}
	for i, f := range imp.Files {
		if _, err := tx.ExecContext(ctx, `INSERT INTO import_files (import_id, seq, path, sha256, size) VALUES (?, ?, ?, ?, ?)`,
			id, i, f.Path, f.SHA256, f.Size); err != nil {
			return res, err
		}
	}
	leftOut := map[[2]string]int{}
	for _, l := range imp.LeftOut {
		leftOut[[2]string{string(l.Table), l.Reason}] += l.Rows
	}
	for k, n := range leftOut {
		if _, err := tx.ExecContext(ctx, `INSERT INTO import_left_out (import_id, table_name, reason, rows) VALUES (?, ?, ?, ?)`,
			id, k[0], k[1], n); err != nil {
			return res, err
		}
	}
	for rule, n := range imp.StitchRules {
		if _, err := tx.ExecContext(ctx, `INSERT INTO import_stitch_rules (import_id, rule, applied) VALUES (?, ?, ?)`, id, rule, n); err != nil {
			return res, err
		}
	}

	// Replace exactly the council-years imported.
	for _, y := range imp.Years {
		if _, err := tx.ExecContext(ctx, `DELETE FROM return_tables WHERE council = ? AND year = ?`, council, y); err != nil {
			return res, err
		}
		for _, rt := range store.ReturnTables {
			if _, err := tx.ExecContext(ctx, `DELETE FROM "`+rt.SQL+`" WHERE council = ? AND year = ?`, council, y); err != nil {
				return res, err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO council_years (council, year, import_id) VALUES (?, ?, ?)
			ON CONFLICT (council, year) DO UPDATE SET import_id = excluded.import_id`, council, y, id); err != nil {
			return res, err
		}
	}
	returns := slices.Clone(imp.Returns)
	sort.SliceStable(returns, func(i, j int) bool { return returns[i].Year < returns[j].Year })
	for _, ret := range returns {
		if ret == nil {
			continue
		}
		for _, name := range ssda903.TableNames {
			t := ret.Tables[name]
			if t == nil {
				continue
			}
			if err := insertRawTable(ctx, tx, id, council, ret.Year, name, t, prog); err != nil {
				return res, fmt.Errorf("store %s %d: %w", name, ret.Year, err)
			}
			res.Rows = append(res.Rows, store.TableCount{Year: ret.Year, Table: name, Rows: len(t.Rows)})
		}
	}

	// Replace the council's stitched history.
	for _, q := range []string{`DELETE FROM episodes WHERE council = ?`, `DELETE FROM needs WHERE council = ?`, `DELETE FROM children WHERE council = ?`} {
		if _, err := tx.ExecContext(ctx, q, council); err != nil {
			return res, err
		}
	}
	if err := insertChildren(ctx, tx, imp.Children, prog); err != nil {
		return res, err
	}
	if err := insertEpisodes(ctx, tx, council, imp.Episodes, prog); err != nil {
		return res, err
	}
	if err := insertFindings(ctx, tx, id, imp.Findings); err != nil {
		return res, err
	}
	detail := fmt.Sprintf("import %d: years %s; %d children, %d episodes, %d findings", id, yearsText(imp.Years), len(imp.Children), len(imp.Episodes), len(imp.Findings))
	if err := appendAudit(ctx, tx, now, actor, store.ActionImport, council, detail); err != nil {
		return res, err
	}
	res.Children = len(imp.Children)
	res.Episodes = len(imp.Episodes)
	return res, nil
}

// insertRawTable stores one raw table of a council-year: packed as read in
// return_tables, and row for row in its typed table when it has one.
func insertRawTable(ctx context.Context, tx *sql.Tx, importID int64, council string, year int, name ssda903.TableName, t *ssda903.Table, prog *progress) error {
	ncols := len(ssda903.Columns[name])
	present := make([]byte, ncols)
	for i := range present {
		present[i] = '0'
		if i < len(t.Present) && t.Present[i] {
			present[i] = '1'
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO import_tables (import_id, year, table_name, file, rows) VALUES (?, ?, ?, ?, ?)`,
		importID, year, string(name), t.File, len(t.Rows)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO return_tables (council, year, table_name, import_id, file, layout, present, extra, rows, data)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		council, year, string(name), importID, t.File, string(t.Layout), string(present), store.JoinList(t.Extra), len(t.Rows), store.EncodeRows(t.Rows)); err != nil {
		return err
	}
	rt, typed := store.ReturnTableOf(name)
	if !typed {
		return prog.add(len(t.Rows))
	}
	cols := []string{"council", "year", "row_no", "import_id", "line"}
	for _, c := range rt.Columns {
		cols = append(cols, c.SQL)
	}
	b := newBulk(ctx, tx, rt.SQL, cols, prog.add)
	vals := make([]any, len(cols))
	for i, row := range t.Rows {
		vals[0], vals[1], vals[2], vals[3], vals[4] = council, year, i, importID, row.Line
		for j, c := range rt.Columns {
			var s string
			if j < len(row.Values) {
				s = row.Values[j]
			}
			v, ok := store.ParseValue(c.Kind, s)
			switch {
			case !ok:
				vals[5+j] = nil
			case c.Kind == store.KindDate:
				vals[5+j] = store.DateString(v.(time.Time))
			default:
				vals[5+j] = v
			}
		}
		if err := b.add(vals...); err != nil {
			return err
		}
	}
	return b.close()
}

func insertChildren(ctx context.Context, tx *sql.Tx, children []care.Child, prog *progress) error {
	b := newBulkConst(ctx, tx, "children", []string{"council"}, []string{children0Council(children)}, []string{"child_id", "sex", "dob", "ethnicity", "upn", "uasc", "uasc_ended"}, prog.add)
	n := newBulk(ctx, tx, "needs", []string{"council", "child_id", "tier", "risks", "disability", "mental_health", "communication", "solo_recommended", "deprivation_of_liberty"}, nil)
	for _, c := range children {
		if err := b.add(c.ID, string(c.Sex), nullDate(c.DOB), c.Ethnicity, c.UPN, boolInt(c.UASC), nullDate(c.UASCEnded)); err != nil {
			return err
		}
	}
	if err := b.close(); err != nil {
		return err
	}
	for _, c := range children {
		if store.NeedsIsZero(c.Needs) {
			continue
		}
		nd := c.Needs
		if err := n.add(c.Council, c.ID, int(nd.Tier), store.JoinList(nd.Risks), boolInt(nd.Disability), boolInt(nd.MentalHealth),
			store.JoinList(nd.CommunicationNeeds), boolInt(nd.SoloRecommended), boolInt(nd.DeprivationOfLiberty)); err != nil {
			return err
		}
	}
	return n.close()
}

// insertEpisodes writes the stitched episodes in (child, start) order. Most
// returns carry no placement costs, so episodes without any cost or funding
// go through a statement that leaves those columns at their default (0),
// binding four values fewer per row.
// children0Council is the council of a prepared import's children (all the same).
func children0Council(children []care.Child) string {
	if len(children) == 0 {
		return ""
	}
	return children[0].Council
}

func insertEpisodes(ctx context.Context, tx *sql.Tx, council string, episodes []care.Episode, prog *progress) error {
	cols := []string{"child_id", "seq", "start_date", "end_date", "rne", "ls", "cin", "place", "provider",
		"rec", "reason_place_change", "home_post", "pl_post", "urn"}
	plain := newBulkConst(ctx, tx, "episodes", []string{"council"}, []string{council}, cols, prog.add)
	costed := newBulkConst(ctx, tx, "episodes", []string{"council"}, []string{council},
		append(cols, "weekly_cost", "funding_social_care", "funding_education", "funding_health"), prog.add)
	const msg = "an episode names a child that is not among the import's children: every episode's CHILD must have a child record"
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
			err = plain.add(e.ChildID, seq, store.DateString(e.Start), nullDate(e.End), e.ReasonNew, e.LegalStatus, e.CategoryOfNeed,
				string(e.Placement), string(e.Provider), e.ReasonEnded, e.ReasonPlaceChange, e.HomePostcode, e.PlacementPostcode, e.URN)
		} else {
			err = costed.add(e.ChildID, seq, store.DateString(e.Start), nullDate(e.End), e.ReasonNew, e.LegalStatus, e.CategoryOfNeed,
				string(e.Placement), string(e.Provider), e.ReasonEnded, e.ReasonPlaceChange, e.HomePostcode, e.PlacementPostcode, e.URN,
				int64(e.WeeklyCost), int64(e.Funding.SocialCare), int64(e.Funding.Education), int64(e.Funding.Health))
		}
		if err != nil {
			return translateFK(err, msg)
		}
	}
	if err := plain.close(); err != nil {
		return translateFK(err, msg)
	}
	return translateFK(costed.close(), msg)
}

func insertFindings(ctx context.Context, tx *sql.Tx, importID int64, findings []ssda903.Finding) error {
	b := newBulk(ctx, tx, "findings", []string{"import_id", "seq", "severity", "rule_code", "council", "year", "child", "table_name", "file", "line", "columns", "value", "message"}, nil)
	for i, f := range findings {
		sev := f.Severity
		if sev != ssda903.SeverityError {
			sev = ssda903.SeverityWarning
		}
		if err := b.add(importID, i, string(sev), f.RuleCode, f.Council, f.Year, f.Child, string(f.Table), f.File, f.Line,
			store.JoinList(f.Columns), f.Value, f.Message); err != nil {
			return err
		}
	}
	return b.close()
}

// translateFK turns a foreign key failure into EINVALID with msg.
func translateFK(err error, msg string) error {
	if err != nil && strings.Contains(err.Error(), "FOREIGN KEY") {
		return care.WrapError(care.EINVALID, err, "%s", msg)
	}
	return err
}

func appendAudit(ctx context.Context, tx *sql.Tx, at time.Time, actor, action, council, detail string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor, action, council, detail) VALUES (?, ?, ?, ?, ?)`,
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

func yearsText(ys []int) string {
	parts := make([]string, len(ys))
	for i, y := range ys {
		parts[i] = fmt.Sprint(y)
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
