-- 0003: the shared data version (issue 14). One row whose version goes up
-- with every change to what analyses read: an import (a row in imports), and
-- any change to provisions or vacancies (supply replaced, a provider's
-- vacancy update, places taken or given back by an offer). App servers
-- sharing the database compare it to know when their caches are stale.
-- Triggers keep it, so no write path can forget it.

CREATE TABLE data_version (
    id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
) STRICT;
INSERT INTO data_version (id, version) VALUES (1, 1);

CREATE TRIGGER data_version_import AFTER INSERT ON imports
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER data_version_provisions_insert AFTER INSERT ON provisions
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER data_version_provisions_update AFTER UPDATE ON provisions
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER data_version_provisions_delete AFTER DELETE ON provisions
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER data_version_vacancies_insert AFTER INSERT ON vacancies
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER data_version_vacancies_update AFTER UPDATE ON vacancies
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER data_version_vacancies_delete AFTER DELETE ON vacancies
BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
