package sqlite

import (
	"context"
	"database/sql"
	"fmt"
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
	return sqlshared.CouncilExists(ctx, sqlTx{tx}, council)
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

// Episodes returns the council's stitched episodes; see store.Store. They
// are read on SQLite's C API as EpisodesWhere's are (rawEpisodes), in
// (child, seq) order.
func (db *DB) Episodes(ctx context.Context, council string) ([]care.Episode, error) {
	var out []care.Episode
	err := db.rawRead(ctx, store.ActionReadEpisodes+" "+council, func(c *rawConn) error {
		n, err := c.queryInt64s(ctx, `SELECT COUNT(*) FROM councils WHERE code = ?`, council)
		if err != nil {
			return err
		}
		if n[0] == 0 {
			return sqlshared.ErrCouncilNotLoaded(council)
		}
		out, err = rawEpisodes(c, episodesSQL, []any{council}, false)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := db.audit(ctx, auditEntry{store.ActionReadEpisodes, council, "all episodes"}); err != nil {
		return nil, err
	}
	return out, nil
}

// episodesSQL reads a council's episodes with the columns rawEpisodes reads.
const episodesSQL = `SELECT ` + sqlshared.EpisodeColumns + ` FROM episodes e WHERE e.council = ? ORDER BY e.child_id, e.seq`

// Councils summarises what is loaded; see store.Store.
func (db *DB) Councils(ctx context.Context) (out []store.CouncilSummary, err error) {
	err = db.read(ctx, "list councils", func(tx *sql.Tx) error {
		out, err = sqlshared.Councils(ctx, sqlTx{tx})
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
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
func (db *DB) Imports(ctx context.Context, council string) (out []store.ImportRecord, err error) {
	err = db.read(ctx, "list imports", func(tx *sql.Tx) error {
		out, err = sqlshared.Imports(ctx, sqlTx{tx}, council)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Findings returns an import's findings; see store.Store.
func (db *DB) Findings(ctx context.Context, importID int64) ([]ssda903.Finding, error) {
	var out []ssda903.Finding
	var council string
	err := db.read(ctx, fmt.Sprintf("read findings of import %d", importID), func(tx *sql.Tx) (err error) {
		council, out, err = sqlshared.Findings(ctx, sqlTx{tx}, importID)
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
		stored, err := sqlshared.CouncilYears(ctx, sqlTx{tx}, council)
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
func (db *DB) AuditLog(ctx context.Context, f store.AuditFilter) (out []store.AuditEvent, err error) {
	err = db.read(ctx, "read the audit log", func(tx *sql.Tx) error {
		out, err = sqlshared.AuditLog(ctx, sqlTx{tx}, f)
		return err
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
	fast, fastArgs, err := episodesInPlanOrderSQL(sqlshared.SQLite, q, func(t time.Time) any { return store.DateString(t) })
	if err != nil {
		return nil, err
	}
	var out []care.Episode
	err = db.rawRead(ctx, "read episodes", func(c *rawConn) (err error) {
		// In the plan's order, checked; sorted by SQLite if it was not.
		if out, err = rawEpisodes(c, fast, fastArgs, true); err != errOutOfOrder {
			return err
		}
		out, err = rawEpisodes(c, query, args, false)
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

// ChildrenWhere returns the children of the episodes a query selects; see
// store.Store.
func (db *DB) ChildrenWhere(ctx context.Context, q store.EpisodeQuery) ([]care.Child, error) {
	query, args, err := sqlshared.ChildrenQuerySQL(sqlshared.SQLite, q, func(t time.Time) any { return store.DateString(t) }, childColumns)
	if err != nil {
		return nil, err
	}
	var out []care.Child
	err = db.rawRead(ctx, "read children", func(c *rawConn) (err error) {
		out, err = rawChildrenWhere(c, query, args)
		return err
	})
	if err != nil {
		return nil, err
	}
	order, n := sqlshared.CountChildrenByCouncil(out)
	entries := make([]auditEntry, len(order))
	for i, c := range order {
		entries[i] = auditEntry{store.ActionReadChildren, c, sqlshared.ChildrenWhereDetail(q, n[c])}
	}
	if err := db.audit(ctx, entries...); err != nil {
		return nil, err
	}
	return out, nil
}

// DataVersion returns the shared data version; see store.Versioned.
func (db *DB) DataVersion(ctx context.Context) (int64, error) {
	v, err := db.Versions(ctx)
	return v.Data(), err
}

// Versions returns the shared data version's two parts; see store.Versioned.
func (db *DB) Versions(ctx context.Context) (v store.Versions, err error) {
	err = db.read(ctx, "read the data version", func(tx *sql.Tx) error {
		v, err = sqlshared.DataVersions(ctx, sqlTx{tx})
		return err
	})
	return v, err
}

// AppendAudit records one user action; see store.Auditor.
func (db *DB) AppendAudit(ctx context.Context, e store.AuditEntry) error {
	if e.Action == "" {
		return care.Errorf(care.EINVALID, "an audit entry needs an action")
	}
	return db.write(ctx, "record "+e.Action+" in the audit log", func(tx *sql.Tx) error {
		return sqlshared.AppendAuditEntry(ctx, sqlTx{tx}, db.now(), e)
	})
}
