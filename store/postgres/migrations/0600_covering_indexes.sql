-- 0600: the scoped reads' indexes cover their tests (issue 14), as SQLite's
-- 0600_covering_indexes.sql: the children placed in an area (by postcode
-- district or URN) and those in care on a date are selected on the index's
-- entries, which carry the dates the query tests, so no episode is fetched
-- only to be rejected on its dates.
DROP INDEX episodes_district;
CREATE INDEX episodes_district ON episodes (pl_district, start_date, end_date);
DROP INDEX episodes_urn;
CREATE INDEX episodes_urn ON episodes (urn, start_date, end_date) WHERE urn <> '';
DROP INDEX episodes_end;
CREATE INDEX episodes_end ON episodes (end_date, start_date);
