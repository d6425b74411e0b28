package sqlite

import (
	"context"
	"database/sql"

	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

// EraseChild removes every record of one child; see store.Eraser. The
// statements are sqlshared's (erase.go), the same for PostgreSQL.
func (db *DB) EraseChild(ctx context.Context, council, child, reason string) (e store.Erasure, err error) {
	if err := sqlshared.CheckErasure(reason); err != nil {
		return e, err
	}
	err = db.write(ctx, "erase child "+child+" of "+council, func(tx *sql.Tx) error {
		e, err = sqlshared.EraseChild(ctx, sqlTx{tx}, db.now(), council, child, reason)
		return err
	})
	if err != nil {
		return store.Erasure{}, err
	}
	return e, nil
}
