-- 0003: the shared data version (issue 14); the same as SQLite's
-- 0003_data_version.sql, with statement-level triggers. The row is updated
-- inside the changing transaction, so a reader sees the new version exactly
-- when it sees the new data.

CREATE TABLE data_version (
    id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    version BIGINT  NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 1);

CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER data_version_import AFTER INSERT ON imports
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER data_version_provisions AFTER INSERT OR UPDATE OR DELETE ON provisions
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
CREATE TRIGGER data_version_vacancies AFTER INSERT OR UPDATE OR DELETE ON vacancies
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version();
