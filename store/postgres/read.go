package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"sufficiency/care"
	"sufficiency/ssda903"
	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

// audited runs fn in one transaction that first appends an audit entry, so a
// read of child-level data happens only if it is recorded.
// When the context carries a read log (store.WithReadLog) the read is
// noted there instead, once it has succeeded, for the user action's one
// entry.
func (db *DB) audited(ctx context.Context, action, council, detail string, fn func(tx pgx.Tx) error) error {
	l := store.ReadLogFrom(ctx)
	err := db.inTx(ctx, action+" "+council, pgx.TxOptions{IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		if l == nil {
			if err := appendAudit(ctx, tx, db.now(), store.ActorFrom(ctx), action, council, detail); err != nil {
				return err
			}
		}
		return fn(tx)
	})
	if err == nil && l != nil {
		l.Note(action, council, detail)
	}
	return err
}

// auditRead appends a read's entry in tx, or notes it in the context's read
// log when there is one.
func (db *DB) auditRead(ctx context.Context, tx pgx.Tx, action, council, detail string) error {
	if l := store.ReadLogFrom(ctx); l != nil {
		l.Note(action, council, detail)
		return nil
	}
	return appendAudit(ctx, tx, db.now(), store.ActorFrom(ctx), action, council, detail)
}

// AppendAudit records one user action; see store.Auditor.
func (db *DB) AppendAudit(ctx context.Context, e store.AuditEntry) error {
	if e.Action == "" {
		return care.Errorf(care.EINVALID, "an audit entry needs an action")
	}
	return db.single(ctx, "record "+e.Action+" in the audit log", func(q pgTx) error {
		return sqlshared.AppendAuditEntry(ctx, q, db.now(), e)
	})
}

func councilExists(ctx context.Context, tx pgx.Tx, council string) error {
	return sqlshared.CouncilExists(ctx, pgTx{tx}, council)
}

// Children returns the council's children with their needs; see store.Store.
func (db *DB) Children(ctx context.Context, council string) ([]care.Child, error) {
	var out []care.Child
	err := db.audited(ctx, store.ActionReadChildren, council, "all children", func(tx pgx.Tx) error {
		if err := councilExists(ctx, tx, council); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT c.council, `+childColumns+`
			FROM children c LEFT JOIN needs n ON n.council = c.council AND n.child_id = c.child_id
			WHERE c.council = $1 ORDER BY c.child_id`, council)
		out, err = scanChildren(rows, err)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// childColumns are the columns of a child with its needs (children c, needs
// n), after its council, as scanChildren reads them.
const childColumns = `c.child_id, c.sex, c.dob, c.ethnicity, c.upn, c.uasc, c.uasc_ended,
	COALESCE(n.tier, 0), COALESCE(n.risks, ''), COALESCE(n.disability, false), COALESCE(n.mental_health, false),
	COALESCE(n.communication, ''), COALESCE(n.solo_recommended, false), COALESCE(n.deprivation_of_liberty, false)`

// scanChildren reads rows of the council and childColumns.
func scanChildren(rows pgx.Rows, err error) ([]care.Child, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var col sqlshared.Collector[care.Child]
	for rows.Next() {
		var c care.Child
		var sex, risks, comm string
		var dob, ended *time.Time
		var tier int
		var dis, mh, solo, dolo bool
		if err := rows.Scan(&c.Council, &c.ID, &sex, &dob, &c.Ethnicity, &c.UPN, &c.UASC, &ended, &tier, &risks,
			&dis, &mh, &comm, &solo, &dolo); err != nil {
			return nil, err
		}
		c.Sex, c.DOB, c.UASCEnded = care.Sex(sex), sqlshared.FromDate(dob), sqlshared.FromDate(ended)
		c.Needs = sqlshared.Needs(tier, risks, comm, dis, mh, solo, dolo)
		col.Add(c)
	}
	return col.Slice(), rows.Err()
}

// ChildrenWhere returns the children of the episodes a query selects; see
// store.Store.
func (db *DB) ChildrenWhere(ctx context.Context, q store.EpisodeQuery) ([]care.Child, error) {
	query, args, err := sqlshared.ChildrenQuerySQL(sqlshared.Postgres, q, func(t time.Time) any { return t }, childColumns)
	if err != nil {
		return nil, err
	}
	var out []care.Child
	err = db.write(ctx, "read children", func(tx pgx.Tx) error {
		if out, err = scanChildren(tx.Query(ctx, query, args...)); err != nil {
			return err
		}
		order, n := sqlshared.CountChildrenByCouncil(out)
		for _, c := range order {
			if err := db.auditRead(ctx, tx, store.ActionReadChildren, c, sqlshared.ChildrenWhereDetail(q, n[c])); err != nil {
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

// Episodes returns the council's stitched episodes; see store.Store.
func (db *DB) Episodes(ctx context.Context, council string) ([]care.Episode, error) {
	var out []care.Episode
	err := db.audited(ctx, store.ActionReadEpisodes, council, "all episodes", func(tx pgx.Tx) error {
		if err := councilExists(ctx, tx, council); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT child_id, start_date, end_date, rne, ls, cin, place, provider, rec,
				reason_place_change, home_post, pl_post, urn, weekly_cost, funding_social_care, funding_education, funding_health
			FROM episodes WHERE council = $1 ORDER BY child_id, seq`, council)
		if err != nil {
			return err
		}
		defer rows.Close()
		var col sqlshared.Collector[care.Episode]
		for rows.Next() {
			e := care.Episode{Council: council}
			var start, end *time.Time
			var place, provider string
			var cost, sc, ed, he int64
			if err := rows.Scan(&e.ChildID, &start, &end, &e.ReasonNew, &e.LegalStatus, &e.CategoryOfNeed, &place, &provider, &e.ReasonEnded,
				&e.ReasonPlaceChange, &e.HomePostcode, &e.PlacementPostcode, &e.URN, &cost, &sc, &ed, &he); err != nil {
				return err
			}
			e.Start, e.End = sqlshared.FromDate(start), sqlshared.FromDate(end)
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
func (db *DB) Councils(ctx context.Context) (out []store.CouncilSummary, err error) {
	err = db.read(ctx, "list councils", func(tx pgx.Tx) error {
		out, err = sqlshared.Councils(ctx, pgTx{tx})
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Imports lists imports; see store.Store.
func (db *DB) Imports(ctx context.Context, council string) (out []store.ImportRecord, err error) {
	err = db.read(ctx, "list imports", func(tx pgx.Tx) error {
		out, err = sqlshared.Imports(ctx, pgTx{tx}, council)
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
	err := db.write(ctx, fmt.Sprintf("read findings of import %d", importID), func(tx pgx.Tx) error {
		council, found, err := sqlshared.Findings(ctx, pgTx{tx}, importID)
		if err != nil {
			return err
		}
		out = found
		return db.auditRead(ctx, tx, store.ActionReadFindings, council, sqlshared.FindingsDetail(importID))
	})
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
	err := db.audited(ctx, store.ActionReadReturns, council, detail, func(tx pgx.Tx) error {
		if err := councilExists(ctx, tx, council); err != nil {
			return err
		}
		stored, err := sqlshared.CouncilYears(ctx, pgTx{tx}, council)
		if err != nil {
			return err
		}
		for _, y := range stored {
			if !sqlshared.WantYear(years, y) {
				continue
			}
			ret := sqlshared.NewReturn(council, y)
			query, args := sqlshared.ReturnTablesSQL(sqlshared.Postgres, council, y, tables)
			rows, err := tx.Query(ctx, query, args...)
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
	err = db.read(ctx, "read the audit log", func(tx pgx.Tx) error {
		out, err = sqlshared.AuditLog(ctx, pgTx{tx}, f)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// readRows runs read over the rows of a query (rows, err as the query
// returned them) and closes them.
func readRows(rows pgx.Rows, err error, read func(sqlshared.Rows) error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	return read(rows)
}

// EpisodesWhere returns the episodes a query selects; see store.Store.
func (db *DB) EpisodesWhere(ctx context.Context, q store.EpisodeQuery) ([]care.Episode, error) {
	query, args, err := sqlshared.EpisodeQuerySQL(sqlshared.Postgres, q, func(t time.Time) any { return t })
	if err != nil {
		return nil, err
	}
	var out []care.Episode
	err = db.write(ctx, "read episodes", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var col sqlshared.Collector[care.Episode]
		for rows.Next() {
			var e care.Episode
			var start, end *time.Time
			var place, provider string
			var cost, sc, ed, he int64
			if err := rows.Scan(&e.Council, &e.ChildID, &start, &end, &e.ReasonNew, &e.LegalStatus, &e.CategoryOfNeed, &place, &provider, &e.ReasonEnded,
				&e.ReasonPlaceChange, &e.HomePostcode, &e.PlacementPostcode, &e.URN, &cost, &sc, &ed, &he); err != nil {
				return err
			}
			e.Start, e.End = sqlshared.FromDate(start), sqlshared.FromDate(end)
			sqlshared.EpisodeValues(&e, place, provider, cost, sc, ed, he)
			col.Add(e)
		}
		out = col.Slice()
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		order, n := sqlshared.CountByCouncil(out)
		for _, c := range order {
			if err := db.auditRead(ctx, tx, store.ActionReadEpisodes, c, sqlshared.EpisodesWhereDetail(q, n[c])); err != nil {
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

// DataVersion returns the shared data version; see store.Versioned.
func (db *DB) DataVersion(ctx context.Context) (int64, error) {
	v, err := db.Versions(ctx)
	return v.Data(), err
}

// Versions returns the shared data version's two parts; see store.Versioned.
func (db *DB) Versions(ctx context.Context) (v store.Versions, err error) {
	err = db.single(ctx, "read the data version", func(q pgTx) error {
		v, err = sqlshared.DataVersions(ctx, q)
		return err
	})
	return v, err
}
