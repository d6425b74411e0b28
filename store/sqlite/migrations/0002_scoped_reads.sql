-- 0002: reading only what a question needs (issue 14).
-- Each council keeps its counts and the dates its episodes cover, set at
-- import, so listing councils and choosing an analysis date read no episodes.
-- Each episode keeps its placement's postcode district (store.PlacementDistrict
-- of pl_post, set at import; filled for stored episodes when this migration is
-- applied), and episodes are indexed by end date, district and URN, so the
-- children in care on a date, and those placed in an area, are found without
-- reading any council's whole history.

ALTER TABLE councils ADD COLUMN children INTEGER NOT NULL DEFAULT 0;
ALTER TABLE councils ADD COLUMN episodes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE councils ADD COLUMN first_start TEXT;
ALTER TABLE councils ADD COLUMN last_event TEXT;
ALTER TABLE councils ADD COLUMN first_end TEXT;

UPDATE councils SET
    children    = (SELECT COUNT(*) FROM children WHERE council = councils.code),
    episodes    = (SELECT COUNT(*) FROM episodes WHERE council = councils.code),
    first_start = (SELECT MIN(start_date) FROM episodes WHERE council = councils.code),
    last_event  = (SELECT MAX(MAX(start_date), COALESCE(MAX(end_date), '')) FROM episodes WHERE council = councils.code),
    first_end   = (SELECT MIN(end_date) FROM episodes WHERE council = councils.code);

ALTER TABLE episodes ADD COLUMN pl_district TEXT NOT NULL DEFAULT '';

CREATE INDEX episodes_end ON episodes (end_date);
CREATE INDEX episodes_district ON episodes (pl_district);
CREATE INDEX episodes_urn ON episodes (urn) WHERE urn <> '';
