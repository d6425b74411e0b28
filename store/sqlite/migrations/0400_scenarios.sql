-- 0400: scenarios as they were run (store.ScenarioStore): the scenario file as
-- given and its result (package scenario's JSON), kept byte for byte, named and
-- versioned (the next version of a name on each save), with who ran it. Never
-- changed: UPDATE is refused.

CREATE TABLE scenarios (
    id            INTEGER PRIMARY KEY,
    saved_at      TEXT    NOT NULL, -- store.TimeString
    actor         TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    version       INTEGER NOT NULL CHECK (version >= 1),
    scope         TEXT    NOT NULL,
    councils      TEXT    NOT NULL, -- ONS codes, comma-separated
    origin        TEXT    NOT NULL, -- YYYY-MM-DD
    years         INTEGER NOT NULL CHECK (years >= 1),
    sims          INTEGER NOT NULL,
    seed          INTEGER NOT NULL,
    model_version TEXT    NOT NULL,
    inputs_sha256 TEXT    NOT NULL,
    file          BLOB    NOT NULL,
    result        BLOB    NOT NULL,
    UNIQUE (name, version)
) STRICT;

CREATE TRIGGER scenarios_no_update BEFORE UPDATE ON scenarios
BEGIN
    SELECT RAISE(ABORT, 'a saved scenario is never changed');
END;
