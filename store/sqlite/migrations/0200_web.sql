-- 0200: the web app's users, sessions and API tokens (package auth).
-- Secrets are never stored: passwords as Argon2id PHC strings, session and
-- API tokens as their SHA-256. Creating users, signing in and out are
-- recorded in audit_log.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    role          TEXT    NOT NULL CHECK (role IN ('council', 'rcc', 'provider', 'admin')),
    council       TEXT    NOT NULL DEFAULT '', -- ONS code, council users
    region        TEXT    NOT NULL DEFAULT '', -- RCC users
    provider      TEXT    NOT NULL DEFAULT '', -- provider users: the organisation
    password_hash TEXT    NOT NULL DEFAULT '',
    created       TEXT    NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
) STRICT;

CREATE TABLE sessions (
    token_hash TEXT    NOT NULL PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created    TEXT    NOT NULL,
    last_seen  TEXT    NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    token_hash TEXT    NOT NULL PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    label      TEXT    NOT NULL DEFAULT '',
    created    TEXT    NOT NULL,
    expires    TEXT    NOT NULL DEFAULT '' -- '' never
) STRICT;
