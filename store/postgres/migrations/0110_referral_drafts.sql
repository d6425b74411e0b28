-- 0110: referral drafts and offer conditions; the PostgreSQL dialect of
-- store/sqlite/migrations/0110_referral_drafts.sql (see there).
CREATE TABLE referral_drafts (
    reference  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    council    TEXT COLLATE "C" NOT NULL,
    child_id   TEXT        NOT NULL,
    emergency  BOOLEAN     NOT NULL,
    referral   JSONB       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT        NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT        NOT NULL
);
CREATE INDEX referral_drafts_council ON referral_drafts (council, created_at);

ALTER TABLE offers ADD COLUMN conditions TEXT NOT NULL DEFAULT '';
