package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
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
	return db.write(ctx, "record "+e.Action+" in the audit log", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO audit_log (at, actor, action, council, councils, detail) VALUES ($1, $2, $3, $4, $5, $6)`,
			db.now(), store.ActorFrom(ctx), e.Action, e.Council, strings.Join(store.SortedCouncils(e.Councils), " "), e.Detail)
		return err
	})
}

func councilExists(ctx context.Context, tx pgx.Tx, council string) error {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM councils WHERE code = $1`, council).Scan(&n); err != nil {
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
	err := db.audited(ctx, store.ActionReadChildren, council, "all children", func(tx pgx.Tx) error {
		if err := councilExists(ctx, tx, council); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT c.child_id, c.sex, c.dob, c.ethnicity, c.upn, c.uasc, c.uasc_ended,
				COALESCE(n.tier, 0), COALESCE(n.risks, ''), COALESCE(n.disability, false), COALESCE(n.mental_health, false),
				COALESCE(n.communication, ''), COALESCE(n.solo_recommended, false), COALESCE(n.deprivation_of_liberty, false)
			FROM children c LEFT JOIN needs n ON n.council = c.council AND n.child_id = c.child_id
			WHERE c.council = $1 ORDER BY c.child_id`, council)
		if err != nil {
			return err
		}
		defer rows.Close()
		var col sqlshared.Collector[care.Child]
		for rows.Next() {
			c := care.Child{Council: council}
			var sex, risks, comm string
			var dob, ended *time.Time
			var tier int
			var dis, mh, solo, dolo bool
			if err := rows.Scan(&c.ID, &sex, &dob, &c.Ethnicity, &c.UPN, &c.UASC, &ended, &tier, &risks,
				&dis, &mh, &comm, &solo, &dolo); err != nil {
				return err
			}
			c.Sex, c.DOB, c.UASCEnded = care.Sex(sex), sqlshared.FromDate(dob), sqlshared.FromDate(ended)
			c.Needs = sqlshared.Needs(tier, risks, comm, dis, mh, solo, dolo)
			col.Add(c)
		}
		out = col.Slice()
		return rows.Err()
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
func (db *DB) Councils(ctx context.Context) ([]store.CouncilSummary, error) {
	var out []store.CouncilSummary
	err := db.read(ctx, "list councils", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT c.code, c.children, c.episodes,
				(SELECT COUNT(*) FROM imports WHERE council = c.code),
				COALESCE((SELECT MAX(id) FROM imports WHERE council = c.code), 0),
				c.first_start, c.last_event, c.first_end
			FROM councils c ORDER BY c.code`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var s store.CouncilSummary
			var first, last, firstEnd *time.Time
			if err := rows.Scan(&s.Council, &s.Children, &s.Episodes, &s.Imports, &s.LastImportID, &first, &last, &firstEnd); err != nil {
				rows.Close()
				return err
			}
			s.Span = store.Span{FirstStart: sqlshared.FromDate(first), LastEvent: sqlshared.FromDate(last), FirstEnd: sqlshared.FromDate(firstEnd)}
			out = append(out, s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range out {
			s := &out[i]
			if s.Years, err = queryInts(ctx, tx, `SELECT year FROM council_years WHERE council = $1 ORDER BY year`, s.Council); err != nil {
				return err
			}
			if s.LastImportID > 0 {
				if err := tx.QueryRow(ctx, `SELECT imported_at, actor FROM imports WHERE id = $1`, s.LastImportID).Scan(&s.LastImport, &s.LastActor); err != nil {
					return err
				}
				s.LastImport = s.LastImport.UTC()
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Imports lists imports; see store.Store.
func (db *DB) Imports(ctx context.Context, council string) ([]store.ImportRecord, error) {
	var out []store.ImportRecord
	err := db.read(ctx, "list imports", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, council, actor, imported_at, children, episodes, errors, warnings, accepted_errors
			FROM imports WHERE $1 = '' OR council = $1 ORDER BY id`, council)
		if err != nil {
			return err
		}
		for rows.Next() {
			var r store.ImportRecord
			if err := rows.Scan(&r.ID, &r.Council, &r.Actor, &r.At, &r.Children, &r.Episodes, &r.Errors, &r.Warnings, &r.AcceptedErrors); err != nil {
				rows.Close()
				return err
			}
			r.At = r.At.UTC()
			out = append(out, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
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

func importDetails(ctx context.Context, tx pgx.Tx, r *store.ImportRecord) error {
	var err error
	if r.Years, err = queryInts(ctx, tx, `SELECT year FROM import_years WHERE import_id = $1 ORDER BY year`, r.ID); err != nil {
		return err
	}
	for _, part := range []struct {
		query string
		read  func(sqlshared.Rows, *store.ImportRecord) error
	}{
		{`SELECT path, sha256, size FROM import_files WHERE import_id = $1 ORDER BY seq`, sqlshared.ReadFiles},
		{`SELECT year, table_name, rows FROM import_tables WHERE import_id = $1`, sqlshared.ReadTableCounts},
		{`SELECT table_name, reason, rows FROM import_left_out WHERE import_id = $1`, sqlshared.ReadLeftOut},
		{`SELECT rule, applied FROM import_stitch_rules WHERE import_id = $1`, sqlshared.ReadStitchRules},
	} {
		rows, err := tx.Query(ctx, part.query, r.ID)
		if err := readRows(rows, err, func(rows sqlshared.Rows) error { return part.read(rows, r) }); err != nil {
			return err
		}
	}
	return nil
}

// Findings returns an import's findings; see store.Store.
func (db *DB) Findings(ctx context.Context, importID int64) ([]ssda903.Finding, error) {
	var out []ssda903.Finding
	err := db.write(ctx, fmt.Sprintf("read findings of import %d", importID), func(tx pgx.Tx) error {
		var council string
		if err := tx.QueryRow(ctx, `SELECT council FROM imports WHERE id = $1`, importID).Scan(&council); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return sqlshared.ErrNoImport(importID)
			}
			return err
		}
		if err := db.auditRead(ctx, tx, store.ActionReadFindings, council, sqlshared.FindingsDetail(importID)); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT severity, rule_code, council, year, child, table_name, file, line, columns, value, message
			FROM findings WHERE import_id = $1 ORDER BY seq`, importID)
		if err != nil {
			return err
		}
		defer rows.Close()
		out, err = sqlshared.ReadAll(rows, sqlshared.Finding)
		return err
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
		stored, err := queryInts(ctx, tx, `SELECT year FROM council_years WHERE council = $1 ORDER BY year`, council)
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
func (db *DB) AuditLog(ctx context.Context, f store.AuditFilter) ([]store.AuditEvent, error) {
	var out []store.AuditEvent
	err := db.read(ctx, "read the audit log", func(tx pgx.Tx) error {
		var where strings.Builder
		var args []any
		where.WriteString("WHERE true")
		add := func(cond string, v any) {
			args = append(args, v)
			fmt.Fprintf(&where, " AND "+cond, len(args))
		}
		if f.Council != "" {
			add("(council = $%[1]d OR position(' ' || $%[1]d || ' ' in ' ' || councils || ' ') > 0)", f.Council)
		}
		if f.Actor != "" {
			add("actor = $%d", f.Actor)
		}
		if f.Action != "" {
			add("action = $%d", f.Action)
		}
		if !f.Since.IsZero() {
			add("at >= $%d", f.Since)
		}
		if !f.Before.IsZero() {
			add("at < $%d", f.Before)
		}
		rows, err := tx.Query(ctx, `SELECT id, at, actor, action, council, councils, detail FROM audit_log `+where.String()+` ORDER BY id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e store.AuditEvent
			var councils string
			if err := rows.Scan(&e.ID, &e.At, &e.Actor, &e.Action, &e.Council, &councils, &e.Detail); err != nil {
				return err
			}
			e.Councils = strings.Fields(councils)
			e.At = e.At.UTC()
			out = append(out, e)
		}
		return rows.Err()
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
	var v int64
	err := db.read(ctx, "read the data version", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT version FROM data_version WHERE id = 1`).Scan(&v)
	})
	return v, err
}
