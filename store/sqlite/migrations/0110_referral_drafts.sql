-- 0110: referrals as the council drafts them (the web app's referral form and
-- POST /api/v1/referrals), and the provider's conditions on an offer.
--
-- A draft is the council's own record of the referral: the child's details in
-- the referral JSON form (care.ParseReferral reads it back), with the council's
-- CHILD id; it is never sent anywhere. Its key is the opaque reference the
-- referral is sent under, so sending twice is impossible (referrals.reference
-- is unique) and the sent referral finds its draft again. Reading a draft is
-- child-level and audited.
CREATE TABLE referral_drafts (
    reference  TEXT    NOT NULL PRIMARY KEY, -- opaque, e.g. R-7KQ2-M9XD; the sent referral's reference
    council    TEXT    NOT NULL,             -- placing council (ONS code)
    child_id   TEXT    NOT NULL,             -- the council's CHILD id (never sent)
    emergency  INTEGER NOT NULL CHECK (emergency IN (0, 1)),
    referral   TEXT    NOT NULL,             -- the referral JSON (care.ParseReferral)
    created_at TEXT    NOT NULL,
    created_by TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    updated_by TEXT    NOT NULL
) STRICT;
CREATE INDEX referral_drafts_council ON referral_drafts (council, created_at);

ALTER TABLE offers ADD COLUMN conditions TEXT NOT NULL DEFAULT '';
