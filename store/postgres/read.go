package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"sufficiency/care"
	"sufficiency/ssda903"
	"sufficiency/store"
)

// audited runs fn in one transaction that first appends an audit entry, so a
// read of child-level data happens only if it is recorded.
func (db *DB) audited(ctx context.Context, action, council, detail string, fn func(tx pgx.Tx) error) error {
	return db.inTx(ctx, action+" "+council, pgx.TxOptions{IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		if err := appendAudit(ctx, tx, db.now(), store.ActorFrom(ctx), action, council, detail); err != nil {
			return err
		}
		return fn(tx)
	})
}

func councilExists(ctx context.Context, tx pgx.Tx, council string) error {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM councils WHERE code = $1`, council).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return care.Errorf(care.ENOTFOUND, "nothing is loaded for council %q: import its SSDA903 files first (sufficiency import PATH --la %s)", council, council)
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
		for rows.Next() {
			c := care.Child{Council: council}
			var sex, risks, comm string
			var dob, ended *time.Time
			var tier int
			if err := rows.Scan(&c.ID, &sex, &dob, &c.Ethnicity, &c.UPN, &c.UASC, &ended, &tier, &risks,
				&c.Needs.Disability, &c.Needs.MentalHealth, &comm, &c.Needs.SoloRecommended, &c.Needs.DeprivationOfLiberty); err != nil {
				return err
			}
			c.Sex, c.DOB, c.UASCEnded = care.Sex(sex), fromDate(dob), fromDate(ended)
			c.Needs.Tier, c.Needs.Risks, c.Needs.CommunicationNeeds = care.NeedsTier(tier), store.SplitList[care.Risk](risks), store.SplitList[string](comm)
			out = append(out, c)
		}
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
		for rows.Next() {
			e := care.Episode{Council: council}
			var start, end *time.Time
			var place, provider string
			var cost, sc, ed, he int64
			if err := rows.Scan(&e.ChildID, &start, &end, &e.ReasonNew, &e.LegalStatus, &e.CategoryOfNeed, &place, &provider, &e.ReasonEnded,
				&e.ReasonPlaceChange, &e.HomePostcode, &e.PlacementPostcode, &e.URN, &cost, &sc, &ed, &he); err != nil {
				return err
			}
			e.Start, e.End = fromDate(start), fromDate(end)
			e.Placement, e.Provider = care.PlacementType(place), care.ProviderType(provider)
			e.WeeklyCost = care.Pence(cost)
			e.Funding = care.Funding{SocialCare: care.Pence(sc), Education: care.Pence(ed), Health: care.Pence(he)}
			out = append(out, e)
		}
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
		rows, err := tx.Query(ctx, `SELECT c.code,
				(SELECT COUNT(*) FROM children WHERE council = c.code),
				(SELECT COUNT(*) FROM episodes WHERE council = c.code),
				(SELECT COUNT(*) FROM imports WHERE council = c.code),
				COALESCE((SELECT MAX(id) FROM imports WHERE council = c.code), 0)
			FROM councils c ORDER BY c.code`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var s store.CouncilSummary
			if err := rows.Scan(&s.Council, &s.Children, &s.Episodes, &s.Imports, &s.LastImportID); err != nil {
				rows.Close()
				return err
			}
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
	rows, err := tx.Query(ctx, `SELECT path, sha256, size FROM import_files WHERE import_id = $1 ORDER BY seq`, r.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var f store.File
		if err := rows.Scan(&f.Path, &f.SHA256, &f.Size); err != nil {
			rows.Close()
			return err
		}
		r.Files = append(r.Files, f)
	}
	rows.Close()
	rows, err = tx.Query(ctx, `SELECT year, table_name, rows FROM import_tables WHERE import_id = $1`, r.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var c store.TableCount
		var name string
		if err := rows.Scan(&c.Year, &name, &c.Rows); err != nil {
			rows.Close()
			return err
		}
		c.Table = ssda903.TableName(name)
		r.Rows = append(r.Rows, c)
	}
	rows.Close()
	store.SortTableCounts(r.Rows)
	rows, err = tx.Query(ctx, `SELECT table_name, reason, rows FROM import_left_out WHERE import_id = $1`, r.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var l store.LeftOut
		var name string
		if err := rows.Scan(&name, &l.Reason, &l.Rows); err != nil {
			rows.Close()
			return err
		}
		l.Table = ssda903.TableName(name)
		r.LeftOut = append(r.LeftOut, l)
	}
	rows.Close()
	store.SortLeftOut(r.LeftOut)
	rows, err = tx.Query(ctx, `SELECT rule, applied FROM import_stitch_rules WHERE import_id = $1`, r.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var rule string
		var n int
		if err := rows.Scan(&rule, &n); err != nil {
			return err
		}
		if r.StitchRules == nil {
			r.StitchRules = map[string]int{}
		}
		r.StitchRules[rule] = n
	}
	return rows.Err()
}

// Findings returns an import's findings; see store.Store.
func (db *DB) Findings(ctx context.Context, importID int64) ([]ssda903.Finding, error) {
	var out []ssda903.Finding
	err := db.write(ctx, fmt.Sprintf("read findings of import %d", importID), func(tx pgx.Tx) error {
		var council string
		if err := tx.QueryRow(ctx, `SELECT council FROM imports WHERE id = $1`, importID).Scan(&council); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return care.Errorf(care.ENOTFOUND, "there is no import %d: see \"sufficiency status\" for the imports made", importID)
			}
			return err
		}
		if err := appendAudit(ctx, tx, db.now(), store.ActorFrom(ctx), store.ActionReadFindings, council, fmt.Sprintf("findings of import %d", importID)); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT severity, rule_code, council, year, child, table_name, file, line, columns, value, message
			FROM findings WHERE import_id = $1 ORDER BY seq`, importID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var f ssda903.Finding
			var sev, table, cols string
			if err := rows.Scan(&sev, &f.RuleCode, &f.Council, &f.Year, &f.Child, &table, &f.File, &f.Line, &cols, &f.Value, &f.Message); err != nil {
				return err
			}
			f.Severity, f.Table, f.Columns = ssda903.Severity(sev), ssda903.TableName(table), store.SplitList[string](cols)
			out = append(out, f)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Returns gives back stored raw tables; see store.Store.
func (db *DB) Returns(ctx context.Context, council string, years []int) ([]*ssda903.Return, error) {
	var out []*ssda903.Return
	detail := "years " + yearsText(years)
	if len(years) == 0 {
		detail = "all years"
	}
	err := db.audited(ctx, store.ActionReadReturns, council, detail, func(tx pgx.Tx) error {
		if err := councilExists(ctx, tx, council); err != nil {
			return err
		}
		stored, err := queryInts(ctx, tx, `SELECT year FROM council_years WHERE council = $1 ORDER BY year`, council)
		if err != nil {
			return err
		}
		for _, y := range stored {
			if len(years) > 0 && !slices.Contains(years, y) {
				continue
			}
			ret := &ssda903.Return{Council: council, Year: y, Tables: map[ssda903.TableName]*ssda903.Table{}}
			rows, err := tx.Query(ctx, `SELECT table_name, file, layout, present, extra, data FROM return_tables WHERE council = $1 AND year = $2`, council, y)
			if err != nil {
				return err
			}
			for rows.Next() {
				var name, file, layout, present, extra string
				var data []byte
				if err := rows.Scan(&name, &file, &layout, &present, &extra, &data); err != nil {
					rows.Close()
					return err
				}
				t := &ssda903.Table{Name: ssda903.TableName(name), File: file, Layout: ssda903.Layout(layout), Extra: store.SplitList[string](extra)}
				t.Present = make([]bool, len(present))
				for i := range t.Present {
					t.Present[i] = present[i] == '1'
				}
				if t.Rows, err = store.DecodeRows(data); err != nil {
					rows.Close()
					return fmt.Errorf("table %s of %s %d: %w", name, council, y, err)
				}
				ret.Tables[t.Name] = t
			}
			rows.Close()
			if err := rows.Err(); err != nil {
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
			add("council = $%d", f.Council)
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
		rows, err := tx.Query(ctx, `SELECT id, at, actor, action, council, detail FROM audit_log `+where.String()+` ORDER BY id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e store.AuditEvent
			if err := rows.Scan(&e.ID, &e.At, &e.Actor, &e.Action, &e.Council, &e.Detail); err != nil {
				return err
			}
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
