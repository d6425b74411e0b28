-- 0720: the data version in two parts (issue 14, the soak); the same as
-- SQLite's 0720_vacancy_version.sql. `version` goes up with what analyses
-- read (imports, erasures, provisions) and `vacancy_version` with the
-- vacancies, which change with every vacancy update and offer; cached
-- pictures, reviews and scopes follow `version` alone, the match index the
-- sum (store.Versions).

ALTER TABLE data_version ADD COLUMN vacancy_version BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION bump_vacancy_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET vacancy_version = vacancy_version + 1 WHERE id = 1;
    RETURN NULL;
END
$$;

DROP TRIGGER data_version_vacancies ON vacancies;
CREATE TRIGGER data_version_vacancies AFTER INSERT OR UPDATE OR DELETE ON vacancies
    FOR EACH STATEMENT EXECUTE FUNCTION bump_vacancy_version();
