package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

var _ store.BulkLoader = (*DB)(nil)

// A multi-council import into an empty database (store.BulkLoader) keeps no
// secondary index of episodes up to date council by council: it drops them
// once, before the first council, and builds each once after the last, by
// sorting (with parallel workers), instead of 153 times the row-by-row
// upkeep. deferEpisodeIndexes does the same within one large first import,
// and defers the primary key too (its uniqueness is checked when it is built
// again, in the same transaction; a bulk load's imports each commit, so they
// keep it).

// BeginBulkLoad drops the episodes' secondary indexes when no episode is
// stored, recording their definitions in deferred_indexes in the same
// transaction; see store.BulkLoader. The table's lock is held only while
// this transaction runs: the imports that follow run at once, as before.
func (db *DB) BeginBulkLoad(ctx context.Context) (deferred bool, err error) {
	err = db.write(ctx, "prepare a bulk load", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `LOCK TABLE episodes IN ACCESS EXCLUSIVE MODE`); err != nil {
			return err
		}
		var some bool
		if err := tx.QueryRow(ctx, sqlshared.AnyEpisode).Scan(&some); err != nil || some {
			return err
		}
		idx, err := secondaryIndexes(ctx, tx)
		if err != nil {
			return err
		}
		for _, x := range idx {
			if _, err := tx.Exec(ctx, `INSERT INTO deferred_indexes (name, sql) VALUES ($1, $2)
				ON CONFLICT (name) DO UPDATE SET sql = EXCLUDED.sql`, x.name, x.def); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `DROP INDEX `+pgx.Identifier{x.name}.Sanitize()); err != nil {
				return err
			}
		}
		deferred = len(idx) > 0
		return nil
	})
	return deferred, err
}

// EndBulkLoad builds every index recorded in deferred_indexes and forgets
// it, in one transaction; see store.BulkLoader. An index that exists already
// is left as it is.
func (db *DB) EndBulkLoad(ctx context.Context) error {
	return db.write(ctx, "build the indexes a bulk load deferred", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT name, sql FROM deferred_indexes ORDER BY name FOR UPDATE`)
		if err != nil {
			return err
		}
		idx, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (index, error) {
			var x index
			return x, r.Scan(&x.name, &x.def)
		})
		if err != nil || len(idx) == 0 {
			return err
		}
		var defs []string
		for _, x := range idx {
			var exists bool
			if err := tx.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, pgx.Identifier{x.name}.Sanitize()).Scan(&exists); err != nil {
				return err
			}
			if !exists {
				defs = append(defs, x.def)
			}
		}
		if err := rebuildIndexes(ctx, tx, defs); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, sqlshared.ForgetDeferredIndexes)
		return err
	})
}

// ensureIndexes builds the indexes an interrupted bulk load left recorded
// (BeginBulkLoad without EndBulkLoad); Open calls it after migrating. It
// only reads unless one is recorded.
func (db *DB) ensureIndexes(ctx context.Context) error {
	var some bool
	if err := db.pool.QueryRowContext(ctx, sqlshared.AnyDeferredIndex).Scan(&some); err != nil {
		return dbError(err, "read the deferred indexes")
	}
	if !some {
		return nil
	}
	return db.EndBulkLoad(ctx)
}

// index is one index's name and definition (pg_get_indexdef).
type index struct{ name, def string }

// secondaryIndexes are the indexes of episodes other than its primary key
// and constraints', as the catalog defines them.
func secondaryIndexes(ctx context.Context, tx pgx.Tx) ([]index, error) {
	rows, err := tx.Query(ctx, `SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		WHERE i.indrelid = 'episodes'::regclass AND NOT i.indisprimary
		AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
		ORDER BY c.relname`)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (index, error) {
		var x index
		return x, r.Scan(&x.name, &x.def)
	})
}
