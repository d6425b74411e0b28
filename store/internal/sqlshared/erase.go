package sqlshared

import (
	"context"
	"fmt"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/ssda903"
	"sufficiency/store"
)

// WithoutChild returns a raw table's packed rows (store.EncodeRows) without
// the rows whose CHILD is child, and how many were removed.
func WithoutChild(table string, data []byte, child string) ([]byte, int, error) {
	rows, err := store.DecodeRows(data)
	if err != nil {
		return nil, 0, err
	}
	kept := rows[:0]
	for _, r := range rows {
		if strings.TrimSpace(r.Get(ssda903.TableName(table), "CHILD")) == child {
			continue
		}
		kept = append(kept, r)
	}
	removed := len(rows) - len(kept)
	if removed == 0 {
		return data, 0, nil
	}
	return store.EncodeRows(kept), removed, nil
}

// ErrNoChild is the error for erasing a child the council does not hold.
func ErrNoChild(council, child string) error {
	return care.Errorf(care.ENOTFOUND, "council %s holds no child %q: check the CHILD id", council, child)
}

// CheckErasure refuses an erasure without a reason (EINVALID): the audit
// log keeps it with the erasure.
func CheckErasure(reason string) error {
	if strings.TrimSpace(reason) == "" {
		return care.Errorf(care.EINVALID, "an erasure needs a reason (e.g. the request's reference)")
	}
	return nil
}

// EraseDetail is the audit detail of an erasure.
func EraseDetail(child, reason string, e store.Erasure) string {
	return fmt.Sprintf("erased child %s on request (%s): %d episodes, %d rows of stored returns, %d findings, %d referral drafts",
		child, reason, e.Episodes, e.ReturnRows, e.Findings, e.Drafts)
}

// ReturnTable is one stored raw table of a council's return (a row of
// return_tables).
type ReturnTable struct {
	Year  int
	Table string
	Data  []byte
}

// ScanReturnTable scans a row of `SELECT year, table_name, data FROM
// return_tables`.
func ScanReturnTable(r Row) (ReturnTable, error) {
	var t ReturnTable
	err := r.Scan(&t.Year, &t.Table, &t.Data)
	return t, err
}

// EraseFromReturnTables removes child's rows from each of a council's stored
// return tables (read whole, before any is written), calling update with the
// rewritten data of each table that held some, and returns how many rows
// were removed in all.
func EraseFromReturnTables(tables []ReturnTable, child string, update func(t ReturnTable, data []byte, removed int) error) (int, error) {
	total := 0
	for _, t := range tables {
		data, removed, err := WithoutChild(t.Table, t.Data, child)
		if err != nil {
			return total, err
		}
		if removed == 0 {
			continue
		}
		total += removed
		if err := update(t, data, removed); err != nil {
			return total, err
		}
	}
	return total, nil
}

// lastEventSQL is the latest date in a council's episodes, start or end, as
// d writes it: SQLite's MAX of two values (an end date NULL as ”),
// PostgreSQL's GREATEST (which passes over NULL).
func lastEventSQL(d Dialect) string {
	if d == Postgres {
		return `GREATEST(MAX(start_date), MAX(end_date))`
	}
	return `MAX(MAX(start_date), COALESCE(MAX(end_date), ''))`
}

// EraseChild removes every record of one child of a council in tx: the
// episodes, needs, child, referral drafts, findings and raw return rows,
// then recounts the council, moves the data version on and records the
// erasure at now under the context's actor. ENOTFOUND (ErrNoChild) when the
// council holds no such child. The reason is CheckErasure'd by the caller;
// PostgreSQL's store first takes the council's import lock.
func EraseChild(ctx context.Context, tx Tx, now time.Time, council, child, reason string) (store.Erasure, error) {
	var e store.Erasure
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM children WHERE council = $1 AND child_id = $2`, council, child).Scan(&n); err != nil {
		return e, err
	}
	if n == 0 {
		return e, ErrNoChild(council, child)
	}
	exec := func(q string, args ...any) (int, error) {
		k, err := tx.Exec(ctx, q, args...)
		return int(k), err
	}
	var err error
	if e.Episodes, err = exec(`DELETE FROM episodes WHERE council = $1 AND child_id = $2`, council, child); err != nil {
		return e, err
	}
	for _, q := range []string{`DELETE FROM needs WHERE council = $1 AND child_id = $2`, `DELETE FROM children WHERE council = $1 AND child_id = $2`} {
		if _, err := exec(q, council, child); err != nil {
			return e, err
		}
	}
	if e.Drafts, err = exec(`DELETE FROM referral_drafts WHERE council = $1 AND child_id = $2`, council, child); err != nil {
		return e, err
	}
	if e.Findings, err = exec(`DELETE FROM findings WHERE council = $1 AND child = $2 AND import_id IN (SELECT id FROM imports WHERE council = $1)`, council, child); err != nil {
		return e, err
	}
	for _, rt := range store.ReturnTables {
		if _, err := exec(`DELETE FROM "`+rt.SQL+`" WHERE council = $1 AND trim("child") = $2`, council, child); err != nil {
			return e, err
		}
	}
	var tables []ReturnTable
	if err := tx.Each(ctx, `SELECT year, table_name, data FROM return_tables WHERE council = $1`, []any{council}, func(r Row) error {
		t, err := ScanReturnTable(r)
		tables = append(tables, t)
		return err
	}); err != nil {
		return e, err
	}
	if e.ReturnRows, err = EraseFromReturnTables(tables, child, func(t ReturnTable, data []byte, removed int) error {
		_, err := exec(`UPDATE return_tables SET data = $1, rows = rows - $2 WHERE council = $3 AND year = $4 AND table_name = $5`,
			data, removed, council, t.Year, t.Table)
		return err
	}); err != nil {
		return e, err
	}
	if _, err := exec(`UPDATE councils SET
			children = (SELECT COUNT(*) FROM children WHERE council = $1),
			episodes = (SELECT COUNT(*) FROM episodes WHERE council = $1),
			first_start = (SELECT MIN(start_date) FROM episodes WHERE council = $1),
			last_event = (SELECT `+lastEventSQL(tx.Dialect())+` FROM episodes WHERE council = $1),
			first_end = (SELECT MIN(end_date) FROM episodes WHERE council = $1)
		WHERE code = $1`, council); err != nil {
		return e, err
	}
	if _, err := exec(`UPDATE data_version SET version = version + 1 WHERE id = 1`); err != nil {
		return e, err
	}
	return e, AppendAudit(ctx, tx, now, store.ActorFrom(ctx), store.ActionErase, council, EraseDetail(child, reason, e))
}
