-- 0740: a large import into PostgreSQL costs its server half the CPU (issue 14).
--
-- children's foreign key to councils checked each COPYed row against
-- councils (about three quarters of the children's COPY: 250,000 children,
-- 1.4 of 1.9 server CPU-seconds). Every child an import writes carries the
-- import's council (store.PrepareImport refuses any other; the import writes
-- the council it was given), whose councils row the same transaction writes
-- first (InsertCouncil), and no statement deletes or renames a council: the
-- key can only hold, so it goes, as the bulk tables' keys went in 0004.
ALTER TABLE children DROP CONSTRAINT IF EXISTS children_council_fkey;

-- The area indexes are keyed on the district or URN alone, in byte order,
-- and carry the dates the scoped reads test (0600) as included columns:
-- a first import builds them after its rows (deferEpisodeIndexes), and a
-- sort on (text, date, date) compared each entry's dates at uncached offsets
-- behind the text and the text under the database's collation (strcoll
-- for C.UTF-8 or a language's): 3.1 and 2.8 of a first import's server
-- CPU-seconds per 1,000,000 episodes, 0.5 each now. The reads select
-- districts and URNs by equality only, the same under either collation;
-- their date tests were filters before as now (start_date <= at, the only
-- date in the old key's range, holds for nearly every entry of an area),
-- and the plans still go through these indexes (plan_test.go).
DROP INDEX IF EXISTS episodes_district;
DROP INDEX IF EXISTS episodes_urn;
ALTER TABLE episodes ALTER COLUMN pl_district TYPE TEXT COLLATE "C";
ALTER TABLE episodes ALTER COLUMN urn TYPE TEXT COLLATE "C";
CREATE INDEX episodes_district ON episodes (pl_district) INCLUDE (start_date, end_date);
CREATE INDEX episodes_urn ON episodes (urn) INCLUDE (start_date, end_date) WHERE urn <> '';
