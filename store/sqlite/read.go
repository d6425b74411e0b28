package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/ssda903"
	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

// audited runs fn in one read-only transaction on a reader (a snapshot that
// never waits for the writer or for other readers), then appends the audit
// entry in a short write transaction of its own. When the entry cannot be
// written the read fails: nothing read is returned unless it is recorded.
// Writing the entry waits at most for a write in progress (an import
// commits each council in its own transaction).
func (db *DB) audited(ctx context.Context, action, council, detail string, fn func(tx *sql.Tx) error) error {
	if err := db.read(ctx, action+" "+council, fn); err != nil {
		return err
	}
	return db.audit(ctx, auditEntry{action, council, detail})
}

// auditEntry is one entry of the audit log to append.
type auditEntry struct{ action, council, detail string }

// audit appends entries, under the context's actor, in one write
// transaction.
// When the context carries a read log (store.WithReadLog) the entries are
// noted there instead, for the user action's one entry.
func (db *DB) audit(ctx context.Context, entries ...auditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	if l := store.ReadLogFrom(ctx); l != nil {
		for _, e := range entries {
			l.Note(e.action, e.council, e.detail)
		}
		return nil
	}
	return db.write(ctx, "record the read in the audit log", func(tx *sql.Tx) error {
		now, actor := db.now(), store.ActorFrom(ctx)
		for _, e := range entries {
			if err := appendAudit(ctx, tx, now, actor, e.action, e.council, e.detail); err != nil {
				return err
			}
		}
		return nil
	})
}

// auditRead appends a read's entry in tx (a write transaction), or notes
// it in the context's read log when there is one.
func (db *DB) auditRead(ctx context.Context, tx *sql.Tx, action, council, detail string) error {
	if l := store.ReadLogFrom(ctx); l != nil {
		l.Note(action, council, detail)
		return nil
	}
	return appendAudit(ctx, tx, db.now(), store.ActorFrom(ctx), action, council, detail)
}

func councilExists(ctx context.Context, tx *sql.Tx, council string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM councils WHERE code = ?`, council).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return sqlshared.ErrCouncilNotLoaded(council)
	}
	return nil
}

// Children returns the council's children with their needs; see store.Store.
func (db *DB) Children(ctx context.Context, council string) ([]care.Child, error) {
	var out []care.Child
	err := db.rawRead(ctx, store.ActionReadChildren+" "+council, func(c *rawConn) (err error) {
		out, err = rawChildren(ctx, c, council)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := db.audit(ctx, auditEntry{store.ActionReadChildren, council, "all children"}); err != nil {
		return nil, err
	}
	return out, nil
}

// Episodes returns the council's stitched episodes; see store.Store.
func (db *DB) Episodes(ctx context.Context, council string) ([]care.Episode, error) {
	var out []care.Episode
	err := db.audited(ctx, store.ActionReadEpisodes, council, "all episodes", func(tx *sql.Tx) error {
		if err := councilExists(ctx, tx, council); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT child_id, start_date, COALESCE(end_date, ''), rne, ls, cin, place, provider, rec,
				reason_place_change, home_post, pl_post, urn, weekly_cost, funding_social_care, funding_education, funding_health
			FROM episodes WHERE council = ? ORDER BY child_id, seq`, council)
		if err != nil {
			return err
		}
		defer rows.Close()
		var col sqlshared.Collector[care.Episode]
		for rows.Next() {
			e := care.Episode{Council: council}
			var start, end, place, provider string
			var cost, sc, ed, he int64
			if err := rows.Scan(&e.ChildID, &start, &end, &e.ReasonNew, &e.LegalStatus, &e.CategoryOfNeed, &place, &provider, &e.ReasonEnded,
				&e.ReasonPlaceChange, &e.HomePostcode, &e.PlacementPostcode, &e.URN, &cost, &sc, &ed, &he); err != nil {
				return err
			}
			if e.Start, err = store.ParseDateString(start); err != nil {
				return err
			}
			if e.End, err = store.ParseDateString(end); err != nil {
				return err
			}
			sqlshared.EpisodeValues(&e, place, provider, cost, sc, ed, he)
			col.Add(e)
		}
		out = col.Slice()
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Councils summarises what is loaded; see store.Store.
func (db *DB) Councils(ctx context.Context) ([]store.CouncilSummary, error) {
	var out []store.CouncilSummary
	err := db.read(ctx, "list councils", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT c.code, c.children, c.episodes,
				(SELECT COUNT(*) FROM imports WHERE council = c.code),
				COALESCE((SELECT MAX(id) FROM imports WHERE council = c.code), 0),
				COALESCE(c.first_start, ''), COALESCE(c.last_event, ''), COALESCE(c.first_end, '')
			FROM councils c ORDER BY c.code`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var s store.CouncilSummary
			var first, last, firstEnd string
			if err := rows.Scan(&s.Council, &s.Children, &s.Episodes, &s.Imports, &s.LastImportID, &first, &last, &firstEnd); err != nil {
				rows.Close()
				return err
			}
			for _, d := range []struct {
				s string
				t *time.Time
			}{{first, &s.Span.FirstStart}, {last, &s.Span.LastEvent}, {firstEnd, &s.Span.FirstEnd}} {
				if *d.t, err = store.ParseDateString(d.s); err != nil {
					rows.Close()
					return err
				}
			}
			out = append(out, s)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		for i := range out {
			s := &out[i]
			years, err := queryInts(ctx, tx, `SELECT year FROM council_years WHERE council = ? ORDER BY year`, s.Council)
			if err != nil {
				return err
			}
			s.Years = years
			if s.LastImportID > 0 {
				var at string
				if err := tx.QueryRowContext(ctx, `SELECT imported_at, actor FROM imports WHERE id = ?`, s.LastImportID).Scan(&at, &s.LastActor); err != nil {
					return err
				}
				if s.LastImport, err = store.ParseTimeString(at); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func queryInts(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]int, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return sqlshared.ReadAll(rows, sqlshared.Int)
}

// readRows runs read over the rows of a query (rows, err as the query
// returned them) and closes them.
func readRows(rows *sql.Rows, err error, read func(sqlshared.Rows) error) error {
	if err != nil {
		return err
	}
	err = read(rows)
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}

// Imports lists imports; see store.Store.
func (db *DB) Imports(ctx context.Context, council string) ([]store.ImportRecord, error) {
	var out []store.ImportRecord
	err := db.read(ctx, "list imports", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, council, actor, imported_at, children, episodes, errors, warnings, accepted_errors
			FROM imports WHERE ? = '' OR council = ? ORDER BY id`, council, council)
		if err != nil {
			return err
		}
		for rows.Next() {
			var r store.ImportRecord
			var at string
			var acc int
			if err := rows.Scan(&r.ID, &r.Council, &r.Actor, &at, &r.Children, &r.Episodes, &r.Errors, &r.Warnings, &acc); err != nil {
				rows.Close()
				return err
			}
			r.AcceptedErrors = acc == 1
			if r.At, err = store.ParseTimeString(at); err != nil {
				rows.Close()
				return err
			}
			out = append(out, r)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		for i := range out {
			if err := importDetails(ctx, tx, &out[i]); err != nil {
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

func importDetails(ctx context.Context, tx *sql.Tx, r *store.ImportRecord) error {
	var err error
	if r.Years, err = queryInts(ctx, tx, `SELECT year FROM import_years WHERE import_id = ? ORDER BY year`, r.ID); err != nil {
		return err
	}
	for _, part := range []struct {
		query string
		read  func(sqlshared.Rows, *store.ImportRecord) error
	}{
		{`SELECT path, sha256, size FROM import_files WHERE import_id = ? ORDER BY seq`, sqlshared.ReadFiles},
		{`SELECT year, table_name, rows FROM import_tables WHERE import_id = ?`, sqlshared.ReadTableCounts},
		{`SELECT table_name, reason, rows FROM import_left_out WHERE import_id = ? ORDER BY table_name, reason`, sqlshared.ReadLeftOut},
		{`SELECT rule, applied FROM import_stitch_rules WHERE import_id = ?`, sqlshared.ReadStitchRules},
	} {
		rows, err := tx.QueryContext(ctx, part.query, r.ID)
		if err := readRows(rows, err, func(rows sqlshared.Rows) error { return part.read(rows, r) }); err != nil {
			return err
		}
	}
	return nil
}

// Findings returns an import's findings; see store.Store.
func (db *DB) Findings(ctx context.Context, importID int64) ([]ssda903.Finding, error) {
	var out []ssda903.Finding
	var council string
	err := db.read(ctx, fmt.Sprintf("read findings of import %d", importID), func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT council FROM imports WHERE id = ?`, importID).Scan(&council); err != nil {
			if err == sql.ErrNoRows {
				return sqlshared.ErrNoImport(importID)
			}
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT severity, rule_code, council, year, child, table_name, file, line, columns, value, message
			FROM findings WHERE import_id = ? ORDER BY seq`, importID)
		if err != nil {
			return err
		}
		defer rows.Close()
		out, err = sqlshared.ReadAll(rows, sqlshared.Finding)
		return err
	})
	if err == nil {
		err = db.audit(ctx, auditEntry{store.ActionReadFindings, council, sqlshared.FindingsDetail(importID)})
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Returns gives back stored raw tables; see store.Store.
func (db *DB) Returns(ctx context.Context, council string, years []int) ([]*ssda903.Return, error) {
	return db.ReturnTables(ctx, council, years, nil)
}

// ReturnTables gives back some of the stored raw tables; see
// store.TableReader.
func (db *DB) ReturnTables(ctx context.Context, council string, years []int, tables []ssda903.TableName) ([]*ssda903.Return, error) {
	var out []*ssda903.Return
	detail := sqlshared.ReturnsDetail(years, tables)
	err := db.audited(ctx, store.ActionReadReturns, council, detail, func(tx *sql.Tx) error {
		if err := councilExists(ctx, tx, council); err != nil {
			return err
		}
		stored, err := queryInts(ctx, tx, `SELECT year FROM council_years WHERE council = ? ORDER BY year`, council)
		if err != nil {
			return err
		}
		for _, y := range stored {
			if !sqlshared.WantYear(years, y) {
				continue
			}
			ret := sqlshared.NewReturn(council, y)
			query, args := sqlshared.ReturnTablesSQL(sqlshared.SQLite, council, y, tables)
			rows, err := tx.QueryContext(ctx, query, args...)
			if err := readRows(rows, err, func(rows sqlshared.Rows) error { return sqlshared.ReadReturnTables(rows, ret) }); err != nil {
				return err
			}
			out = append(out, ret)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// AuditLog returns audit events; see store.Store.
func (db *DB) AuditLog(ctx context.Context, f store.AuditFilter) ([]store.AuditEvent, error) {
	var out []store.AuditEvent
	err := db.read(ctx, "read the audit log", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, at, actor, action, council, councils, detail FROM audit_log
			WHERE (? = '' OR council = ? OR instr(' ' || councils || ' ', ' ' || ? || ' ') > 0)
			AND (? = '' OR actor = ?) AND (? = '' OR action = ?) AND (? = '' OR at >= ?) AND (? = '' OR at < ?)
			ORDER BY id`, f.Council, f.Council, f.Council, f.Actor, f.Actor, f.Action, f.Action,
			store.TimeString(f.Since), store.TimeString(f.Since), store.TimeString(f.Before), store.TimeString(f.Before))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e store.AuditEvent
			var at, councils string
			if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Council, &councils, &e.Detail); err != nil {
				return err
			}
			e.Councils = strings.Fields(councils)
			if e.At, err = store.ParseTimeString(at); err != nil {
				return err
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EpisodesWhere returns the episodes a query selects; see store.Store.
func (db *DB) EpisodesWhere(ctx context.Context, q store.EpisodeQuery) ([]care.Episode, error) {
	query, args, err := sqlshared.EpisodeQuerySQL(sqlshared.SQLite, q, func(t time.Time) any { return store.DateString(t) })
	if err != nil {
		return nil, err
	}
	var out []care.Episode
	err = db.rawRead(ctx, "read episodes", func(c *rawConn) (err error) {
		out, err = rawEpisodes(c, query, args)
		return err
	})
	if err != nil {
		return nil, err
	}
	order, n := sqlshared.CountByCouncil(out)
	entries := make([]auditEntry, len(order))
	for i, c := range order {
		entries[i] = auditEntry{store.ActionReadEpisodes, c, sqlshared.EpisodesWhereDetail(q, n[c])}
	}
	if err := db.audit(ctx, entries...); err != nil {
		return nil, err
	}
	return out, nil
}

// DataVersion returns the shared data version; see store.Versioned.
func (db *DB) DataVersion(ctx context.Context) (int64, error) {
	var v int64
	err := db.read(ctx, "read the data version", func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT version FROM data_version WHERE id = 1`).Scan(&v)
	})
	return v, err
}

// AppendAudit records one user action; see store.Auditor.
func (db *DB) AppendAudit(ctx context.Context, e store.AuditEntry) error {
	if e.Action == "" {
		return care.Errorf(care.EINVALID, "an audit entry needs an action")
	}
	return db.write(ctx, "record "+e.Action+" in the audit log", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor, action, council, councils, detail) VALUES (?, ?, ?, ?, ?, ?)`,
			store.TimeString(db.now()), store.ActorFrom(ctx), e.Action, e.Council, strings.Join(store.SortedCouncils(e.Councils), " "), e.Detail)
		return err
	})
}
