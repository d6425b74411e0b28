-- 0004: PostgreSQL replaces per-row foreign keys on its bulk tables with one
-- set-based check per import (see its 0004_set_based_integrity.sql). SQLite
-- keeps its foreign keys: checking them there costs little (an index lookup in
-- the same process), and dropping one would mean rebuilding the table. This
-- migration keeps the two stores' core migrations in step.
SELECT 1;
