-- Settings that have closed (supply closed.csv): the register's history, so
-- that the validator knows a URN an episode of an earlier year carries
-- (rule 1008). Not places to offer: matching and the market never read them.
CREATE TABLE closed_settings (
    id         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    kind       TEXT    NOT NULL,
    sector     TEXT    NOT NULL,
    council    TEXT COLLATE "C" NOT NULL,
    postcode   TEXT    NOT NULL,
    places     BIGINT  NOT NULL,
    registered DATE,
    closed     DATE    NOT NULL
);
