-- 0610: the children placed in an area (by postcode district or URN) on a date
-- are found by the episodes' end date first: a range of open episodes and one
-- of those ended after the date, in each district or at each URN
-- (sqlshared.selectedSQL), rather than every episode ever placed there whose
-- start is on or before the date. A region's in-placers on an all-England
-- database: some 18,000 index entries read instead of 257,000.
DROP INDEX episodes_district;
CREATE INDEX episodes_district ON episodes (pl_district, end_date, start_date);
DROP INDEX episodes_urn;
CREATE INDEX episodes_urn ON episodes (urn, end_date, start_date) WHERE urn <> '';
