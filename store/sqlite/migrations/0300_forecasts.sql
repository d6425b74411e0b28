-- 0300: forecasts as they were made (store.ForecastStore), so a forecast can be
-- listed, shown again and reproduced. The summary columns are what lists and
-- filters need; record is the forecast itself as package forecast encoded it
-- (forecast.Record.Encode: gzip-compressed JSON), kept byte for byte. A saved
-- forecast is never changed: UPDATE is refused.

CREATE TABLE forecasts (
    id              INTEGER PRIMARY KEY,
    saved_at        TEXT    NOT NULL, -- store.TimeString
    actor           TEXT    NOT NULL,
    mode            TEXT    NOT NULL,
    scope           TEXT    NOT NULL,
    origin          TEXT    NOT NULL, -- YYYY-MM-DD
    years           INTEGER NOT NULL CHECK (years >= 1),
    sims            INTEGER NOT NULL,
    seed            INTEGER NOT NULL,
    reference_start TEXT,             -- YYYY-MM-DD; NULL when the mode has none
    reference_end   TEXT,
    model_version   TEXT    NOT NULL,
    inputs_sha256   TEXT    NOT NULL,
    record          BLOB    NOT NULL
) STRICT;

-- The councils each forecast covers, in the order given, for filtering.
CREATE TABLE forecast_councils (
    forecast_id INTEGER NOT NULL REFERENCES forecasts (id),
    position    INTEGER NOT NULL,
    council     TEXT    NOT NULL,
    PRIMARY KEY (forecast_id, position),
    UNIQUE (forecast_id, council)
) STRICT;
CREATE INDEX forecast_councils_council ON forecast_councils (council, forecast_id);

CREATE TRIGGER forecasts_no_update BEFORE UPDATE ON forecasts
BEGIN
    SELECT RAISE(ABORT, 'a saved forecast is never changed');
END;
