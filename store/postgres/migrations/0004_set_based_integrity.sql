-- 0004: one set-based integrity check per import instead of per-row foreign
-- keys on the bulk tables (issue 14). COPY into a table with a foreign key
-- checks each row against the referenced table; the import instead checks,
-- inside its transaction before it commits, that every episode and needs row
-- of the council has its child (store/postgres/import.go: checkIntegrity).
-- The typed return rows and findings carry the import's own id, written by the
-- same transaction. The contract suite (ErrInvalidImport, AllOrNothing) proves
-- a broken import is still refused whole. Deletes never relied on cascades:
-- imports and erasure delete episodes and needs before children.
ALTER TABLE episodes DROP CONSTRAINT IF EXISTS episodes_council_child_id_fkey;
ALTER TABLE needs DROP CONSTRAINT IF EXISTS needs_council_child_id_fkey;
ALTER TABLE findings DROP CONSTRAINT IF EXISTS findings_import_id_fkey;
ALTER TABLE ssda903_uasc DROP CONSTRAINT IF EXISTS ssda903_uasc_import_id_fkey;
ALTER TABLE ssda903_missing DROP CONSTRAINT IF EXISTS ssda903_missing_import_id_fkey;
ALTER TABLE ssda903_reviews DROP CONSTRAINT IF EXISTS ssda903_reviews_import_id_fkey;
ALTER TABLE ssda903_oc2 DROP CONSTRAINT IF EXISTS ssda903_oc2_import_id_fkey;
ALTER TABLE ssda903_oc3 DROP CONSTRAINT IF EXISTS ssda903_oc3_import_id_fkey;
ALTER TABLE ssda903_ad1 DROP CONSTRAINT IF EXISTS ssda903_ad1_import_id_fkey;
ALTER TABLE ssda903_placed_adoption DROP CONSTRAINT IF EXISTS ssda903_placed_adoption_import_id_fkey;
ALTER TABLE ssda903_prev_perm DROP CONSTRAINT IF EXISTS ssda903_prev_perm_import_id_fkey;
ALTER TABLE ssda903_sw_episodes DROP CONSTRAINT IF EXISTS ssda903_sw_episodes_import_id_fkey;
ALTER TABLE ssda903_dolo DROP CONSTRAINT IF EXISTS ssda903_dolo_import_id_fkey;
