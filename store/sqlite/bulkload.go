package sqlite

import (
	"context"
	"fmt"

	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

var _ store.BulkLoader = (*DB)(nil)

// An import keeps the episodes' three secondary indexes (end date, postcode
// district, URN) up to date row by row. Their keys are in no order the
// import writes, so every council's episodes land on leaf pages all over
// each index: once the indexes outgrow the import connection's page cache,
// a council of 10,000 episodes reads and rewrites thousands of 16 KiB pages
// of them, and each rewritten page is written twice (to the WAL, and by the
// checkpoint to the database). Importing all England into an empty database
// spent most of its system time there. A bulk load (store.BulkLoader) drops
// them while the database holds no episodes and builds each once at the end,
// by sorting, in one transaction.

// BeginBulkLoad drops the episodes' secondary indexes when no episode is
// stored, recording their definitions in deferred_indexes in the same
// transaction; see store.BulkLoader.
func (db *DB) BeginBulkLoad(ctx context.Context) (deferred bool, err error) {
	err = db.onImportConn(ctx, "prepare a bulk load", func(c *rawConn) error {
		some, err := c.queryInt64s(ctx, sqlshared.AnyEpisode)
		if err != nil || some[0] != 0 {
			return err
		}
		idx, err := c.queryTexts(ctx, `SELECT name, sql FROM sqlite_schema
			WHERE type = 'index' AND tbl_name = 'episodes' AND sql IS NOT NULL ORDER BY name`, 2)
		if err != nil {
			return err
		}
		for _, x := range idx {
			if err := c.exec(ctx, `INSERT OR REPLACE INTO deferred_indexes (name, sql) VALUES (?, ?)`, x[0], x[1]); err != nil {
				return err
			}
			if err := c.exec(ctx, `DROP INDEX "`+x[0]+`"`); err != nil {
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
	return db.onImportConn(ctx, "build the indexes a bulk load deferred", func(c *rawConn) error {
		idx, err := c.queryTexts(ctx, `SELECT name, sql FROM deferred_indexes ORDER BY name`, 2)
		if err != nil || len(idx) == 0 {
			return err
		}
		for _, x := range idx {
			_, exists, err := c.queryText(ctx, `SELECT name FROM sqlite_schema WHERE type = 'index' AND name = ?`, x[0])
			if err != nil {
				return err
			}
			if !exists {
				if err := c.exec(ctx, x[1]); err != nil {
					return fmt.Errorf("build index %s: %w", x[0], err)
				}
			}
		}
		return c.exec(ctx, sqlshared.ForgetDeferredIndexes)
	})
}

// ensureIndexes builds the indexes an interrupted bulk load left recorded
// (BeginBulkLoad without EndBulkLoad); Open calls it after migrating.
func (db *DB) ensureIndexes(ctx context.Context) error {
	var some bool
	if err := db.w.QueryRowContext(ctx, sqlshared.AnyDeferredIndex).Scan(&some); err != nil {
		return dbError(err, "read the deferred indexes")
	}
	if !some {
		return nil
	}
	return db.EndBulkLoad(ctx)
}

// onImportConn runs fn in one IMMEDIATE transaction on the import
// connection, holding the writer pool's connection meanwhile as
// ImportReturns does; committed when fn returns nil, rolled back otherwise.
func (db *DB) onImportConn(ctx context.Context, what string, fn func(c *rawConn) error) error {
	wc, err := db.w.Conn(ctx)
	if err != nil {
		return dbError(err, what)
	}
	defer wc.Close()
	db.rawMu.Lock()
	defer db.rawMu.Unlock()
	c, err := db.importConn()
	if err != nil {
		return dbError(err, what)
	}
	if err := c.immediate(ctx, func() error { return fn(c) }); err != nil {
		db.raw.close()
		db.raw = nil
		return dbError(err, what)
	}
	return nil
}
