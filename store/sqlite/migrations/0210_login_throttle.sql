-- 0210: failed sign-ins, counted per user name and per client address
-- (package auth: progressive delay, no lockout). Kept in the database so the
-- count holds across restarts and is shared by every app server. Keys are
-- "name:" or "addr:" and a SHA-256 prefix: what was typed as a name (perhaps
-- a password) is never stored.

CREATE TABLE login_failures (
    key      TEXT    NOT NULL PRIMARY KEY,
    failures INTEGER NOT NULL CHECK (failures > 0),
    last     TEXT    NOT NULL -- the latest failure, RFC 3339 UTC
) STRICT;
CREATE INDEX login_failures_last ON login_failures (last);
