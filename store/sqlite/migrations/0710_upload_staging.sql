-- 0710: browser uploads staged in the database (store.UploadStore), with
-- their imports' progress, so any app server sharing the database can check
-- an upload, import it and show how far the import has got (issue 14). An
-- upload is its uploader's only and is deleted when cancelled or an hour
-- after it was staged; its files' contents are deleted once imported.

CREATE TABLE uploads (
    token         TEXT    NOT NULL PRIMARY KEY,
    user_name     TEXT    NOT NULL,
    council       TEXT    NOT NULL,
    year          INTEGER NOT NULL,
    staged_at     TEXT    NOT NULL, -- RFC 3339 UTC
    files         TEXT    NOT NULL, -- the files' names, one a line
    spent         INTEGER NOT NULL DEFAULT 0 CHECK (spent IN (0, 1)), -- contents deleted
    stage         TEXT    NOT NULL DEFAULT '',
    done          INTEGER NOT NULL DEFAULT 0,
    total         INTEGER NOT NULL DEFAULT 0,
    started_at    TEXT    NOT NULL DEFAULT '', -- '': the import has not started
    finished_at   TEXT    NOT NULL DEFAULT '', -- '': not started or running
    result        BLOB,             -- the outcome, as the web app encodes it
    error_code    TEXT    NOT NULL DEFAULT '',
    error_message TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX uploads_staged_at ON uploads (staged_at);

CREATE TABLE upload_files (
    token TEXT    NOT NULL REFERENCES uploads (token),
    seq   INTEGER NOT NULL,
    name  TEXT    NOT NULL,
    data  BLOB    NOT NULL,
    PRIMARY KEY (token, seq)
) STRICT;
