-- 0720: the data version in two parts (issue 14, the soak). A provider's
-- vacancy update and every offer accepted or cancelled change the vacancies
-- many times a minute in a busy region, and each raised the one data version
-- that every cached picture, review and scope is keyed on: a council's
-- picture, which reads no vacancy, was computed again after every place
-- offered anywhere. Now `version` goes up with what analyses read (imports,
-- erasures, provisions) and `vacancy_version` with the vacancies; the match
-- index, which reads both, follows their sum (store.Versions).

ALTER TABLE data_version ADD COLUMN vacancy_version INTEGER NOT NULL DEFAULT 0;

DROP TRIGGER data_version_vacancies_insert;
DROP TRIGGER data_version_vacancies_update;
DROP TRIGGER data_version_vacancies_delete;
CREATE TRIGGER data_version_vacancies_insert AFTER INSERT ON vacancies
BEGIN UPDATE data_version SET vacancy_version = vacancy_version + 1 WHERE id = 1; END;
CREATE TRIGGER data_version_vacancies_update AFTER UPDATE ON vacancies
BEGIN UPDATE data_version SET vacancy_version = vacancy_version + 1 WHERE id = 1; END;
CREATE TRIGGER data_version_vacancies_delete AFTER DELETE ON vacancies
BEGIN UPDATE data_version SET vacancy_version = vacancy_version + 1 WHERE id = 1; END;
