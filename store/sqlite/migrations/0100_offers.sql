-- 0100: the provider offers workflow (package offers).
-- A referral is stored only as it was sent to providers (pseudonymised JSON:
-- no name, no CHILD id, month of birth, postcode districts); its shortlist is
-- one row per provision in offers, which also holds that provider's answer.
--
-- The supply tables (provisions, vacancies) are replaced wholesale by
-- ReplaceSupply, so these tables name provisions and vacancies by id without
-- a foreign key: an enforced key would either block every supply refresh once
-- an offer exists (NO ACTION) or delete the offer history with it (CASCADE).
-- Accepting an offer checks the vacancy inside the same transaction instead.

CREATE TABLE referrals (
    reference  TEXT    NOT NULL PRIMARY KEY, -- opaque, e.g. R-7KQ2-M9XD
    council    TEXT    NOT NULL,             -- placing council (ONS code)
    status     TEXT    NOT NULL CHECK (status IN ('open', 'placed', 'cancelled')),
    group_size INTEGER NOT NULL CHECK (group_size BETWEEN 1 AND 13),
    start_date TEXT,                         -- YYYY-MM-DD; NULL when not given
    sent       TEXT    NOT NULL,             -- offers.SentReferral as JSON: what providers see
    sent_at    TEXT    NOT NULL,
    sent_by    TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    updated_by TEXT    NOT NULL,
    note       TEXT    NOT NULL DEFAULT ''   -- the council's note on cancelling
) STRICT;
CREATE INDEX referrals_council ON referrals (council, sent_at);

-- The shortlist and each provider's answer: one row per (referral, provision).
CREATE TABLE offers (
    referral          TEXT    NOT NULL REFERENCES referrals (reference),
    provision_id      TEXT    NOT NULL,
    vacancy_id        TEXT    NOT NULL, -- the vacancy match chose when shortlisting
    rank              INTEGER NOT NULL CHECK (rank >= 1),
    name              TEXT    NOT NULL, -- provision's name, kind, owner and council when sent
    provider          TEXT    NOT NULL,
    kind              TEXT    NOT NULL,
    provision_council TEXT    NOT NULL,
    miles             REAL    NOT NULL,
    score             REAL    NOT NULL,
    weekly_price      INTEGER NOT NULL, -- pence, as listed when sent
    status            TEXT    NOT NULL CHECK (status IN ('pending', 'offered', 'declined', 'accepted', 'withdrawn')),
    reason            TEXT    NOT NULL DEFAULT '' CHECK (reason IN ('', 'no_vacancy', 'outside_statement_of_purpose',
                          'impact_on_current_group', 'staffing', 'location', 'price', 'risk', 'other')),
    note              TEXT    NOT NULL DEFAULT '',
    offered_price     INTEGER NOT NULL DEFAULT 0 CHECK (offered_price >= 0), -- pence; 0: usual price
    responded_at      TEXT,             -- when the provider offered or declined
    updated_at        TEXT    NOT NULL,
    updated_by        TEXT    NOT NULL,
    PRIMARY KEY (referral, provision_id),
    UNIQUE (referral, rank),
    CHECK ((status = 'declined') = (reason <> '')),
    CHECK (note = '' OR reason = 'other'),
    CHECK (reason <> 'other' OR note <> '')
) STRICT, WITHOUT ROWID;
-- At most one accepted offer per referral, whatever the code does.
CREATE UNIQUE INDEX offers_one_accepted ON offers (referral) WHERE status = 'accepted';
CREATE INDEX offers_declined ON offers (responded_at) WHERE status = 'declined';
CREATE INDEX offers_provision ON offers (provision_id, status);

-- The place taken by an accepted offer; one per referral. A released
-- reservation (referral cancelled) keeps its row with released_at set.
CREATE TABLE reservations (
    referral     TEXT    NOT NULL PRIMARY KEY REFERENCES referrals (reference),
    provision_id TEXT    NOT NULL,
    vacancy_id   TEXT    NOT NULL,
    places       INTEGER NOT NULL CHECK (places >= 1),
    places_left  INTEGER NOT NULL CHECK (places_left >= 0), -- the vacancy's places after reserving
    valid_from   TEXT,              -- the vacancy's, to give the place back if it was used up
    weekly_price INTEGER NOT NULL,  -- the vacancy's, likewise
    reserved_at  TEXT    NOT NULL,
    reserved_by  TEXT    NOT NULL,
    released_at  TEXT,
    released_by  TEXT,
    FOREIGN KEY (referral, provision_id) REFERENCES offers (referral, provision_id)
) STRICT;

-- Every state change, append-only (also summarised in audit_log).
CREATE TABLE offer_events (
    id           INTEGER PRIMARY KEY,
    referral     TEXT    NOT NULL REFERENCES referrals (reference),
    provision_id TEXT    NOT NULL, -- '' for a change to the referral as a whole
    at           TEXT    NOT NULL,
    actor        TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    from_status  TEXT    NOT NULL,
    to_status    TEXT    NOT NULL,
    reason       TEXT    NOT NULL DEFAULT '',
    note         TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX offer_events_referral ON offer_events (referral, id);

CREATE TRIGGER offer_events_no_update BEFORE UPDATE ON offer_events
BEGIN
    SELECT RAISE(ABORT, 'offer_events is append-only');
END;

CREATE TRIGGER offer_events_no_delete BEFORE DELETE ON offer_events
BEGIN
    SELECT RAISE(ABORT, 'offer_events is append-only');
END;
