-- 0730: the secondary indexes a bulk load of an empty database builds after
-- its rows (store.BulkLoader): their definitions, recorded in the transaction
-- that drops them and deleted in the one that builds them again, so that
-- opening the database builds any index an interrupted load left out.
CREATE TABLE deferred_indexes (
    name TEXT NOT NULL PRIMARY KEY,
    sql  TEXT NOT NULL
);
