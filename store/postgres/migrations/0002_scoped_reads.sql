-- 0002: reading only what a question needs (issue 14); the same as SQLite's
-- 0002_scoped_reads.sql. Each council keeps its counts and the dates its
-- episodes cover, set at import; each episode keeps its placement's postcode
-- district (store.PlacementDistrict of pl_post, set at import; filled for
-- stored episodes when this migration is applied), and episodes are indexed
-- by end date, district and URN.

ALTER TABLE councils ADD COLUMN children BIGINT NOT NULL DEFAULT 0;
ALTER TABLE councils ADD COLUMN episodes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE councils ADD COLUMN first_start DATE;
ALTER TABLE councils ADD COLUMN last_event DATE;
ALTER TABLE councils ADD COLUMN first_end DATE;

UPDATE councils SET
    children    = (SELECT COUNT(*) FROM children WHERE council = councils.code),
    episodes    = (SELECT COUNT(*) FROM episodes WHERE council = councils.code),
    first_start = (SELECT MIN(start_date) FROM episodes WHERE council = councils.code),
    last_event  = (SELECT GREATEST(MAX(start_date), MAX(end_date)) FROM episodes WHERE council = councils.code),
    first_end   = (SELECT MIN(end_date) FROM episodes WHERE council = councils.code);

ALTER TABLE episodes ADD COLUMN pl_district TEXT NOT NULL DEFAULT '';

CREATE INDEX episodes_end ON episodes (end_date);
CREATE INDEX episodes_district ON episodes (pl_district);
CREATE INDEX episodes_urn ON episodes (urn) WHERE urn <> '';
