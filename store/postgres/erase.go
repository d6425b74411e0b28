package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

// EraseChild removes every record of one child; see store.Eraser. The
// statements are sqlshared's (erase.go), the same for SQLite; here the
// council's import lock is taken first: one change to a council's history
// at a time (as imports).
func (db *DB) EraseChild(ctx context.Context, council, child, reason string) (e store.Erasure, err error) {
	if err := sqlshared.CheckErasure(reason); err != nil {
		return e, err
	}
	err = db.write(ctx, "erase child "+child+" of "+council, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('sufficiency import ' || $1))`, council); err != nil {
			return err
		}
		e, err = sqlshared.EraseChild(ctx, pgTx{tx}, db.now(), council, child, reason)
		return err
	})
	if err != nil {
		return store.Erasure{}, err
	}
	return e, nil
}
