package sqlshared

import (
	"context"
	"strings"
	"time"

	"sufficiency/ssda903"
	"sufficiency/store"
)

// The store's small reads written once for both databases: councils loaded,
// imports with their details, an import's findings, the audit log, the data
// version. (The bulk reads of children, episodes and raw tables are each
// store's own: SQLite's run on the driver's C API, readraw.go.) What
// differs is said here, by dialect: SQLite reads an absent date as ""
// (optionalTime), and a council is found in an audit entry's list of
// councils by instr in SQLite and position in PostgreSQL (hasWord).

// CouncilExists returns ErrCouncilNotLoaded unless the council is loaded.
func CouncilExists(ctx context.Context, tx Tx, council string) error {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM councils WHERE code = $1`, council).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return ErrCouncilNotLoaded(council)
	}
	return nil
}

// Ints runs a query of one integer column.
func Ints(ctx context.Context, tx Tx, q string, args ...any) ([]int, error) {
	var out []int
	err := tx.Each(ctx, q, args, func(r Row) error {
		n, err := Int(r)
		out = append(out, n)
		return err
	})
	return out, err
}

// CouncilYears are the collection years stored for a council, in order.
func CouncilYears(ctx context.Context, tx Tx, council string) ([]int, error) {
	return Ints(ctx, tx, `SELECT year FROM council_years WHERE council = $1 ORDER BY year`, council)
}

// Councils lists the councils loaded, by code, with their spans, years and
// last import.
func Councils(ctx context.Context, tx Tx) ([]store.CouncilSummary, error) {
	d := tx.Dialect()
	c := d.Codec()
	var out []store.CouncilSummary
	err := tx.Each(ctx, `SELECT c.code, c.children, c.episodes,
			(SELECT COUNT(*) FROM imports WHERE council = c.code),
			COALESCE((SELECT MAX(id) FROM imports WHERE council = c.code), 0),
			`+optionalTime(d, "c.first_start")+`, `+optionalTime(d, "c.last_event")+`, `+optionalTime(d, "c.first_end")+`
		FROM councils c ORDER BY c.code`, nil, func(r Row) error {
		var s store.CouncilSummary
		first, last, firstEnd := c.Date(), c.Date(), c.Date()
		if err := r.Scan(&s.Council, &s.Children, &s.Episodes, &s.Imports, &s.LastImportID, first.Dest(), last.Dest(), firstEnd.Dest()); err != nil {
			return err
		}
		for _, x := range []struct {
			v Time
			t *time.Time
		}{{first, &s.Span.FirstStart}, {last, &s.Span.LastEvent}, {firstEnd, &s.Span.FirstEnd}} {
			var err error
			if *x.t, err = x.v.Value(); err != nil {
				return err
			}
		}
		out = append(out, s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range out {
		s := &out[i]
		if s.Years, err = CouncilYears(ctx, tx, s.Council); err != nil {
			return nil, err
		}
		if s.LastImportID > 0 {
			at := c.Instant()
			if err := tx.QueryRow(ctx, `SELECT imported_at, actor FROM imports WHERE id = $1`, s.LastImportID).Scan(at.Dest(), &s.LastActor); err != nil {
				return nil, err
			}
			if s.LastImport, err = at.Value(); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// Imports lists the imports of a council ("" for every council), oldest
// first, with their details.
func Imports(ctx context.Context, tx Tx, council string) ([]store.ImportRecord, error) {
	c := tx.Dialect().Codec()
	var out []store.ImportRecord
	err := tx.Each(ctx, `SELECT id, council, actor, imported_at, children, episodes, errors, warnings, accepted_errors
		FROM imports WHERE $1 = '' OR council = $1 ORDER BY id`, []any{council}, func(row Row) error {
		var r store.ImportRecord
		at := c.Instant()
		if err := row.Scan(&r.ID, &r.Council, &r.Actor, at.Dest(), &r.Children, &r.Episodes, &r.Errors, &r.Warnings, &r.AcceptedErrors); err != nil {
			return err
		}
		var err error
		r.At, err = at.Value()
		out = append(out, r)
		return err
	})
	if err != nil {
		return nil, err
	}
	for i := range out {
		if err := importDetails(ctx, tx, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// importDetails reads an import's years, files, table counts, tables left
// out and stitching rules into r.
func importDetails(ctx context.Context, tx Tx, r *store.ImportRecord) error {
	var err error
	if r.Years, err = Ints(ctx, tx, `SELECT year FROM import_years WHERE import_id = $1 ORDER BY year`, r.ID); err != nil {
		return err
	}
	for _, part := range []struct {
		query string
		read  func(Rows, *store.ImportRecord) error
	}{
		{`SELECT path, sha256, size FROM import_files WHERE import_id = $1 ORDER BY seq`, ReadFiles},
		{`SELECT year, table_name, rows FROM import_tables WHERE import_id = $1`, ReadTableCounts},
		{`SELECT table_name, reason, rows FROM import_left_out WHERE import_id = $1`, ReadLeftOut},
		{`SELECT rule, applied FROM import_stitch_rules WHERE import_id = $1`, ReadStitchRules},
	} {
		if err := tx.Rows(ctx, part.query, []any{r.ID}, func(rows Rows) error { return part.read(rows, r) }); err != nil {
			return err
		}
	}
	return nil
}

// Findings reads an import's findings in order, and the import's council
// (for the caller's audit entry). ENOTFOUND when there is no such import.
func Findings(ctx context.Context, tx Tx, importID int64) (string, []ssda903.Finding, error) {
	var council string
	if err := tx.QueryRow(ctx, `SELECT council FROM imports WHERE id = $1`, importID).Scan(&council); err != nil {
		if tx.NoRows(err) {
			return "", nil, ErrNoImport(importID)
		}
		return "", nil, err
	}
	var out []ssda903.Finding
	err := tx.Rows(ctx, `SELECT severity, rule_code, council, year, child, table_name, file, line, columns, value, message
		FROM findings WHERE import_id = $1 ORDER BY seq`, []any{importID}, func(rows Rows) (err error) {
		out, err = ReadAll(rows, Finding)
		return err
	})
	return council, out, err
}

// hasWord is the condition that the space-separated list in column col
// holds the word in parameter p.
func hasWord(d Dialect, col, p string) string {
	if d == Postgres {
		return `position(' ' || ` + p + ` || ' ' in ' ' || ` + col + ` || ' ') > 0`
	}
	return `instr(' ' || ` + col + ` || ' ', ' ' || ` + p + ` || ' ') > 0`
}

// AuditLog reads the audit events f selects, in order.
func AuditLog(ctx context.Context, tx Tx, f store.AuditFilter) ([]store.AuditEvent, error) {
	d := tx.Dialect()
	c := d.Codec()
	where := NewWhere("WHERE 1=1", Dollar) // Each rewrites $n for the dialect
	if f.Council != "" {
		where.Add("(council = %[1]s OR "+hasWord(d, "councils", "%[1]s")+")", f.Council)
	}
	if f.Actor != "" {
		where.Add("actor = %s", f.Actor)
	}
	if f.Action != "" {
		where.Add("action = %s", f.Action)
	}
	if !f.Since.IsZero() {
		where.Add("at >= %s", c.EncodeInstant(f.Since))
	}
	if !f.Before.IsZero() {
		where.Add("at < %s", c.EncodeInstant(f.Before))
	}
	var out []store.AuditEvent
	err := tx.Each(ctx, `SELECT id, at, actor, action, council, councils, detail FROM audit_log `+where.String()+` ORDER BY id`, where.Args, func(r Row) error {
		var e store.AuditEvent
		var councils string
		at := c.Instant()
		if err := r.Scan(&e.ID, at.Dest(), &e.Actor, &e.Action, &e.Council, &councils, &e.Detail); err != nil {
			return err
		}
		e.Councils = strings.Fields(councils)
		var err error
		e.At, err = at.Value()
		out = append(out, e)
		return err
	})
	return out, err
}

// AppendAuditEntry records one user action (store.Auditor) at at under the
// context's actor.
func AppendAuditEntry(ctx context.Context, tx Tx, at time.Time, e store.AuditEntry) error {
	_, err := tx.Exec(ctx, `INSERT INTO audit_log (at, actor, action, council, councils, detail) VALUES ($1, $2, $3, $4, $5, $6)`,
		tx.Dialect().Codec().EncodeInstant(at), store.ActorFrom(ctx), e.Action, e.Council, strings.Join(store.SortedCouncils(e.Councils), " "), e.Detail)
	return err
}

// DataVersions reads the shared data version's two parts (store.Versions).
func DataVersions(ctx context.Context, tx Tx) (store.Versions, error) {
	var v store.Versions
	err := tx.QueryRow(ctx, `SELECT version, vacancy_version FROM data_version WHERE id = 1`).Scan(&v.Analysis, &v.Vacancies)
	return v, err
}
