-- 0001: the whole first schema of the sufficiency SQLite store.
-- Dates are TEXT 'YYYY-MM-DD'; instants are TEXT RFC 3339 UTC; money is INTEGER pence.
-- Child identifiers are always scoped by council: PRIMARY KEY (council, child_id).

CREATE TABLE councils (
    code       TEXT NOT NULL PRIMARY KEY,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE imports (
    id              INTEGER PRIMARY KEY,
    council         TEXT    NOT NULL REFERENCES councils (code),
    actor           TEXT    NOT NULL,
    imported_at     TEXT    NOT NULL,
    children        INTEGER NOT NULL,
    episodes        INTEGER NOT NULL,
    errors          INTEGER NOT NULL,
    warnings        INTEGER NOT NULL,
    accepted_errors INTEGER NOT NULL CHECK (accepted_errors IN (0, 1))
) STRICT;
CREATE INDEX imports_council ON imports (council, id);

CREATE TABLE import_years (
    import_id INTEGER NOT NULL REFERENCES imports (id),
    year      INTEGER NOT NULL,
    PRIMARY KEY (import_id, year)
) STRICT, WITHOUT ROWID;

CREATE TABLE import_files (
    import_id INTEGER NOT NULL REFERENCES imports (id),
    seq       INTEGER NOT NULL,
    path      TEXT    NOT NULL,
    sha256    TEXT    NOT NULL,
    size      INTEGER NOT NULL,
    PRIMARY KEY (import_id, seq)
) STRICT, WITHOUT ROWID;

-- Rows stored by an import, per collection year and table (history).
CREATE TABLE import_tables (
    import_id  INTEGER NOT NULL REFERENCES imports (id),
    year       INTEGER NOT NULL,
    table_name TEXT    NOT NULL,
    file       TEXT    NOT NULL,
    rows       INTEGER NOT NULL,
    PRIMARY KEY (import_id, year, table_name)
) STRICT, WITHOUT ROWID;

CREATE TABLE import_left_out (
    import_id  INTEGER NOT NULL REFERENCES imports (id),
    table_name TEXT    NOT NULL,
    reason     TEXT    NOT NULL,
    rows       INTEGER NOT NULL,
    PRIMARY KEY (import_id, table_name, reason)
) STRICT, WITHOUT ROWID;

CREATE TABLE import_stitch_rules (
    import_id INTEGER NOT NULL REFERENCES imports (id),
    rule      TEXT    NOT NULL,
    applied   INTEGER NOT NULL,
    PRIMARY KEY (import_id, rule)
) STRICT, WITHOUT ROWID;

-- Every raw table of each council-year exactly as it was read (rows packed by
-- store.EncodeRows), so a later import can stitch and validate against it.
CREATE TABLE return_tables (
    council    TEXT    NOT NULL,
    year       INTEGER NOT NULL,
    table_name TEXT    NOT NULL,
    import_id  INTEGER NOT NULL REFERENCES imports (id),
    file       TEXT    NOT NULL,
    layout     TEXT    NOT NULL,
    present    TEXT    NOT NULL, -- one '1' or '0' per canonical column
    extra      TEXT    NOT NULL, -- extra columns of the file, ';'-separated
    rows       INTEGER NOT NULL,
    data       BLOB    NOT NULL,
    PRIMARY KEY (council, year, table_name),
    FOREIGN KEY (council, year) REFERENCES council_years (council, year)
) STRICT, WITHOUT ROWID;

-- Which import currently provides each council-year's raw tables.
CREATE TABLE council_years (
    council   TEXT    NOT NULL REFERENCES councils (code),
    year      INTEGER NOT NULL,
    import_id INTEGER NOT NULL REFERENCES imports (id),
    PRIMARY KEY (council, year)
) STRICT, WITHOUT ROWID;

CREATE TABLE findings (
    import_id INTEGER NOT NULL REFERENCES imports (id),
    seq       INTEGER NOT NULL,
    severity  TEXT    NOT NULL CHECK (severity IN ('error', 'warning')),
    rule_code TEXT    NOT NULL,
    council   TEXT    NOT NULL,
    year      INTEGER NOT NULL,
    child     TEXT    NOT NULL,
    table_name TEXT   NOT NULL,
    file      TEXT    NOT NULL,
    line      INTEGER NOT NULL,
    columns   TEXT    NOT NULL, -- ';'-separated
    value     TEXT    NOT NULL,
    message   TEXT    NOT NULL,
    PRIMARY KEY (import_id, seq)
) STRICT, WITHOUT ROWID;

-- The council's stitched history: one row per child, one per episode.
CREATE TABLE children (
    council    TEXT    NOT NULL REFERENCES councils (code),
    child_id   TEXT    NOT NULL,
    sex        TEXT    NOT NULL,
    dob        TEXT,
    ethnicity  TEXT    NOT NULL,
    upn        TEXT    NOT NULL,
    uasc       INTEGER NOT NULL CHECK (uasc IN (0, 1)),
    uasc_ended TEXT,
    PRIMARY KEY (council, child_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE needs (
    council                TEXT    NOT NULL,
    child_id               TEXT    NOT NULL,
    tier                   INTEGER NOT NULL CHECK (tier BETWEEN 0 AND 4),
    risks                  TEXT    NOT NULL, -- ';'-separated care.Risk codes
    disability             INTEGER NOT NULL CHECK (disability IN (0, 1)),
    mental_health          INTEGER NOT NULL CHECK (mental_health IN (0, 1)),
    communication          TEXT    NOT NULL, -- ';'-separated
    solo_recommended       INTEGER NOT NULL CHECK (solo_recommended IN (0, 1)),
    deprivation_of_liberty INTEGER NOT NULL CHECK (deprivation_of_liberty IN (0, 1)),
    PRIMARY KEY (council, child_id),
    FOREIGN KEY (council, child_id) REFERENCES children (council, child_id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE TABLE episodes (
    council             TEXT    NOT NULL,
    child_id            TEXT    NOT NULL,
    seq                 INTEGER NOT NULL, -- order within the child, by start
    start_date          TEXT    NOT NULL,
    end_date            TEXT,
    rne                 TEXT    NOT NULL,
    ls                  TEXT    NOT NULL,
    cin                 TEXT    NOT NULL,
    place               TEXT    NOT NULL,
    provider            TEXT    NOT NULL,
    rec                 TEXT    NOT NULL,
    reason_place_change TEXT    NOT NULL,
    home_post           TEXT    NOT NULL,
    pl_post             TEXT    NOT NULL,
    urn                 TEXT    NOT NULL,
    weekly_cost         INTEGER NOT NULL DEFAULT 0, -- pence; 0 when unknown
    funding_social_care INTEGER NOT NULL DEFAULT 0,
    funding_education   INTEGER NOT NULL DEFAULT 0,
    funding_health      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (council, child_id, seq),
    FOREIGN KEY (council, child_id) REFERENCES children (council, child_id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE TABLE provisions (
    id               TEXT    NOT NULL PRIMARY KEY,
    kind             TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    owner            TEXT    NOT NULL,
    sector           TEXT    NOT NULL,
    council          TEXT    NOT NULL,
    postcode         TEXT    NOT NULL,
    places           INTEGER NOT NULL,
    rating           TEXT    NOT NULL,
    min_age          INTEGER NOT NULL,
    max_age          INTEGER NOT NULL,
    sexes            TEXT    NOT NULL, -- ';'-separated
    needs            TEXT    NOT NULL, -- ';'-separated
    provider         TEXT    NOT NULL,
    in_house         INTEGER NOT NULL CHECK (in_house IN (0, 1)),
    sibling_capacity INTEGER NOT NULL,
    specialisms      TEXT    NOT NULL, -- ';'-separated
    weekly_price     INTEGER NOT NULL, -- pence
    registered       TEXT
) STRICT;
CREATE INDEX provisions_council ON provisions (council, kind);

CREATE TABLE provision_residents (
    provision_id TEXT    NOT NULL REFERENCES provisions (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    age          INTEGER NOT NULL,
    sex          TEXT    NOT NULL,
    risks        TEXT    NOT NULL, -- ';'-separated
    PRIMARY KEY (provision_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE vacancies (
    id           TEXT    NOT NULL PRIMARY KEY,
    provision_id TEXT    NOT NULL REFERENCES provisions (id) ON DELETE CASCADE,
    places       INTEGER NOT NULL,
    valid_from   TEXT,
    updated_at   TEXT,
    weekly_price INTEGER NOT NULL -- pence; 0: the provision's usual price
) STRICT;
CREATE INDEX vacancies_provision ON vacancies (provision_id);

-- Append-only: every read of child-level data through the store appends here.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    council TEXT NOT NULL,
    detail  TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_council ON audit_log (council, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- The SSDA903 tables other than Header and Episodes, typed, row for row, for
-- each council-year (store.ReturnTables describes them; a test checks they
-- match). Values that could not be interpreted in the column's type are NULL.
CREATE TABLE ssda903_uasc (
    council   TEXT    NOT NULL,
    year      INTEGER NOT NULL,
    row_no    INTEGER NOT NULL,
    import_id INTEGER NOT NULL REFERENCES imports (id),
    line      INTEGER NOT NULL,
    "child"                TEXT,
    "sex"                  TEXT,
    "dob"                  TEXT,
    "duc"                  TEXT,
    PRIMARY KEY (council, year, row_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE ssda903_missing (
    council   TEXT    NOT NULL,
    year      INTEGER NOT NULL,
    row_no    INTEGER NOT NULL,
    import_id INTEGER NOT NULL REFERENCES imports (id),
    line      INTEGER NOT NULL,
    "child"                TEXT,
    "dob"                  TEXT,
    "missing"              TEXT,
    "mis_start"            TEXT,
    "mis_end"              TEXT,
    PRIMARY KEY (council, year, row_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE ssda903_reviews (
    council   TEXT    NOT NULL,
    year      INTEGER NOT NULL,
    row_no    INTEGER NOT NULL,
    import_id INTEGER NOT NULL REFERENCES imports (id),
    line      INTEGER NOT NULL,
    "child"                TEXT,
    "dob"                  TEXT,
    "review"               TEXT,
    "review_code"          TEXT,
    PRIMARY KEY (council, year, row_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE ssda903_oc2 (
    council   TEXT    NOT NULL,
    year      INTEGER NOT NULL,
    row_no    INTEGER NOT NULL,
    import_id INTEGER NOT NULL REFERENCES imports (id),
    line      INTEGER NOT NULL,
    "child"                TEXT,
    "dob"                  TEXT,
    "sdq_score"            INTEGER,
    "sdq_reason"           TEXT,
    "convicted"            TEXT,
    "health_check"         TEXT,
    "immunisations"        TEXT,
    "teeth_check"          TEXT,
    "health_assessment"    TEXT,
    "substance_misuse"     TEXT,
    "intervention_received" TEXT,
    "intervention_offered" TEXT,
    PRIMARY KEY (council, year, row_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE ssda903_oc3 (
    council   TEXT    NOT NULL,
    year      INTEGER NOT NULL,
    row_no    INTEGER NOT NULL,
    import_id INTEGER NOT NULL REFERENCES imports (id),
    line      INTEGER NOT NULL,
    "child"                TEXT,
    "dob"                  TEXT,
    "in_touch"             TEXT,
    "activ"                TEXT,
    "accom"                TEXT,
    PRIMARY KEY (council, year, row_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE ssda903_ad1 (
    council   TEXT    NOT NULL,
    year      INTEGER NOT NULL,
    row_no    INTEGER NOT NULL,
    import_id INTEGER NOT NULL REFERENCES imports (id),
    line      INTEGER NOT NULL,
    "child"                TEXT,
    "dob"                  TEXT,
    "date_int"             TEXT,
    "date_match"           TEXT,
    "foster_care"          TEXT,
    "nb_adoptr"            TEXT,
    "sex_adoptr"           TEXT,
    "ls_adoptr"            TEXT,
    PRIMARY KEY (council, year, row_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE ssda903_placed_adoption (
    council   TEXT    NOT NULL,
    year      INTEGER NOT NULL,
    row_no    INTEGER NOT NULL,
    import_id INTEGER NOT NULL REFERENCES imports (id),
    line      INTEGER NOT NULL,
    "child"                TEXT,
    "dob"                  TEXT,
    "date_placed"          TEXT,
    "date_placed_ceased"   TEXT,
    "reason_placed_ceased" TEXT,
    PRIMARY KEY (council, year, row_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE ssda903_prev_perm (
    council   TEXT    NOT NULL,
    year      INTEGER NOT NULL,
    row_no    INTEGER NOT NULL,
    import_id INTEGER NOT NULL REFERENCES imports (id),
    line      INTEGER NOT NULL,
    "child"                TEXT,
    "dob"                  TEXT,
    "prev_perm"            TEXT,
    "la_perm"              TEXT,
    "date_perm"            TEXT,
    PRIMARY KEY (council, year, row_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE ssda903_sw_episodes (
    council   TEXT    NOT NULL,
    year      INTEGER NOT NULL,
    row_no    INTEGER NOT NULL,
    import_id INTEGER NOT NULL REFERENCES imports (id),
    line      INTEGER NOT NULL,
    "child"                TEXT,
    "dob"                  TEXT,
    "sw_id"                TEXT,
    "sw_decom"             TEXT,
    "sw_dec"               TEXT,
    "sw_reason"            TEXT,
    PRIMARY KEY (council, year, row_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE ssda903_dolo (
    council   TEXT    NOT NULL,
    year      INTEGER NOT NULL,
    row_no    INTEGER NOT NULL,
    import_id INTEGER NOT NULL REFERENCES imports (id),
    line      INTEGER NOT NULL,
    "child"                TEXT,
    "dob"                  TEXT,
    "dolo_start"           TEXT,
    "dolo_end"             TEXT,
    PRIMARY KEY (council, year, row_no)
) STRICT, WITHOUT ROWID;

