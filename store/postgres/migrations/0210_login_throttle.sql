-- 0210: failed sign-ins, counted per user name and per client address; the
-- PostgreSQL dialect of store/sqlite/migrations/0210_login_throttle.sql.
-- Kept in the database so the count holds across restarts and is shared by
-- every app server. Keys are "name:" or "addr:" and a SHA-256 prefix: what
-- was typed as a name (perhaps a password) is never stored.

CREATE TABLE login_failures (
    key      TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    failures INTEGER     NOT NULL CHECK (failures > 0),
    last     TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_last ON login_failures (last);
