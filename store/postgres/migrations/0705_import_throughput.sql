-- 0705: imports of different councils write at the same time (issue 14).
--
-- The data version (0003) was bumped by a statement trigger on imports, so
-- an import locked the data_version row from its first write to its commit
-- and every other import waited for it: the imports of a multi-council
-- import took turns in the database. The trigger is now a constraint
-- trigger deferred to commit: the row is locked only while the import
-- commits, readers still see the new version exactly when they see the new
-- data, and no write path can forget it.
DROP TRIGGER data_version_import ON imports;
CREATE CONSTRAINT TRIGGER data_version_import AFTER INSERT ON imports
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION bump_data_version();

-- The stored raw tables (return_tables.data, about 400 MB for all England
-- before compression) are compressed with lz4 where the server has it: the
-- default, pglz, cost the server about a quarter of an import's CPU.
-- Values already stored keep their compression; a server built without lz4
-- keeps pglz.
DO $$
BEGIN
    ALTER TABLE return_tables ALTER COLUMN data SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
    NULL;
END
$$;
