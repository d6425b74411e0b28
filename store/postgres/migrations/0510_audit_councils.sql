-- One audit entry per user action: the councils whose child-level data the
-- action read, space-separated and sorted (store.AuditEntry.Councils).
ALTER TABLE audit_log ADD COLUMN councils TEXT NOT NULL DEFAULT '';
