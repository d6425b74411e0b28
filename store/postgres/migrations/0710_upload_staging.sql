-- 0710: browser uploads staged in the database (store.UploadStore), with
-- their imports' progress; the PostgreSQL dialect of
-- store/sqlite/migrations/0710_upload_staging.sql. Any app server sharing
-- the database can check an upload, import it and show how far the import
-- has got (issue 14).

CREATE TABLE uploads (
    token         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    user_name     TEXT        NOT NULL,
    council       TEXT        NOT NULL,
    year          BIGINT      NOT NULL,
    staged_at     TIMESTAMPTZ NOT NULL,
    files         TEXT        NOT NULL, -- the files' names, one a line
    spent         BOOLEAN     NOT NULL DEFAULT false, -- contents deleted
    stage         TEXT        NOT NULL DEFAULT '',
    done          BIGINT      NOT NULL DEFAULT 0,
    total         BIGINT      NOT NULL DEFAULT 0,
    started_at    TIMESTAMPTZ,          -- NULL: the import has not started
    finished_at   TIMESTAMPTZ,          -- NULL: not started or running
    result        BYTEA,                -- the outcome, as the web app encodes it
    error_code    TEXT        NOT NULL DEFAULT '',
    error_message TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX uploads_staged_at ON uploads (staged_at);

CREATE TABLE upload_files (
    token TEXT COLLATE "C" NOT NULL REFERENCES uploads (token),
    seq   BIGINT NOT NULL,
    name  TEXT   NOT NULL,
    data  BYTEA  NOT NULL,
    PRIMARY KEY (token, seq)
);
