package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

// EraseChild removes every record of one child; see store.Eraser.
func (db *DB) EraseChild(ctx context.Context, council, child, reason string) (store.Erasure, error) {
	var e store.Erasure
	if err := sqlshared.CheckErasure(reason); err != nil {
		return e, err
	}
	err := db.write(ctx, "erase child "+child+" of "+council, func(tx pgx.Tx) error {
		// One change to a council's history at a time (as imports).
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('sufficiency import ' || $1))`, council); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM children WHERE council = $1 AND child_id = $2`, council, child).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return sqlshared.ErrNoChild(council, child)
		}
		exec := func(q string, args ...any) (int, error) {
			tag, err := tx.Exec(ctx, q, args...)
			return int(tag.RowsAffected()), err
		}
		var err error
		if e.Episodes, err = exec(`DELETE FROM episodes WHERE council = $1 AND child_id = $2`, council, child); err != nil {
			return err
		}
		for _, q := range []string{`DELETE FROM needs WHERE council = $1 AND child_id = $2`, `DELETE FROM children WHERE council = $1 AND child_id = $2`} {
			if _, err := exec(q, council, child); err != nil {
				return err
			}
		}
		if e.Drafts, err = exec(`DELETE FROM referral_drafts WHERE council = $1 AND child_id = $2`, council, child); err != nil {
			return err
		}
		if e.Findings, err = exec(`DELETE FROM findings WHERE council = $1 AND child = $2 AND import_id IN (SELECT id FROM imports WHERE council = $1)`, council, child); err != nil {
			return err
		}
		for _, rt := range store.ReturnTables {
			if _, err := exec(`DELETE FROM "`+rt.SQL+`" WHERE council = $1 AND trim("child") = $2`, council, child); err != nil {
				return err
			}
		}
		rows, err := tx.Query(ctx, `SELECT year, table_name, data FROM return_tables WHERE council = $1`, council)
		if err != nil {
			return err
		}
		tables, err := sqlshared.ReadAll(rows, sqlshared.ScanReturnTable)
		rows.Close()
		if err != nil {
			return err
		}
		if e.ReturnRows, err = sqlshared.EraseFromReturnTables(tables, child, func(t sqlshared.ReturnTable, data []byte, removed int) error {
			_, err := exec(`UPDATE return_tables SET data = $1, rows = rows - $2 WHERE council = $3 AND year = $4 AND table_name = $5`,
				data, removed, council, t.Year, t.Table)
			return err
		}); err != nil {
			return err
		}
		if _, err := exec(`UPDATE councils SET
				children = (SELECT COUNT(*) FROM children WHERE council = $1),
				episodes = (SELECT COUNT(*) FROM episodes WHERE council = $1),
				first_start = (SELECT MIN(start_date) FROM episodes WHERE council = $1),
				last_event = (SELECT GREATEST(MAX(start_date), MAX(end_date)) FROM episodes WHERE council = $1),
				first_end = (SELECT MIN(end_date) FROM episodes WHERE council = $1)
			WHERE code = $1`, council); err != nil {
			return err
		}
		if _, err := exec(`UPDATE data_version SET version = version + 1 WHERE id = 1`); err != nil {
			return err
		}
		return appendAudit(ctx, tx, db.now(), store.ActorFrom(ctx), store.ActionErase, council, sqlshared.EraseDetail(child, reason, e))
	})
	if err != nil {
		return store.Erasure{}, err
	}
	return e, nil
}
