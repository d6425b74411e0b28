package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"sufficiency/care"
	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

// Backup writes a consistent copy of the whole database to path with
// VACUUM INTO: a snapshot taken in one read transaction, while other
// processes go on reading and writing (WAL). The copy is written to a
// temporary file beside path and renamed, so path holds a complete backup
// or nothing. EINVALID when path exists or its folder does not.
func (db *DB) Backup(ctx context.Context, path string) error {
	if err := newFileAt(path, "the backup"); err != nil {
		return err
	}
	tmp := path + ".partial"
	_ = os.Remove(tmp)
	if _, err := db.w.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		_ = os.Remove(tmp)
		return dbError(err, "back up the database to "+path)
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return care.WrapError(care.EINTERNAL, err, "back up the database: rename %s to %s", tmp, path)
	}
	return nil
}

// newFileAt checks path can be created: its folder exists and it does not.
func newFileAt(path, what string) error {
	if path == "" || strings.ContainsAny(path, "?#") {
		return care.Errorf(care.EINVALID, "%s: give a plain file name (%q)", what, path)
	}
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || !fi.IsDir() {
		return care.Errorf(care.EINVALID, "%s: folder %s does not exist; create it or choose another file", what, filepath.Dir(path))
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return care.Errorf(care.EINVALID, "%s: %s already exists; choose a new file name (a backup never overwrites a file)", what, path)
	}
	return nil
}

// CheckBackup opens the SQLite file at path read-only and checks it is a
// whole sufficiency database: SQLite's quick_check passes and its schema
// version is one this program knows. It returns that version. EUNUSABLE
// otherwise.
func CheckBackup(ctx context.Context, path string) (int, error) {
	if _, err := os.Stat(path); err != nil {
		return 0, care.WrapError(care.EUNUSABLE, err, "cannot read the backup %s", path)
	}
	c, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return 0, care.WrapError(care.EUNUSABLE, err, "open the backup %s", path)
	}
	defer c.Close()
	var check string
	if err := c.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&check); err != nil || check != "ok" {
		if err == nil {
			err = errors.New(check)
		}
		return 0, care.WrapError(care.EUNUSABLE, err, "%s is not a sound SQLite database", path)
	}
	var v int
	if err := c.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v); err != nil || v == 0 {
		return 0, care.Errorf(care.EUNUSABLE, "%s is not a sufficiency database (no schema version)", path)
	}
	ms, err := migrations()
	if err != nil {
		return 0, care.WrapError(care.EINTERNAL, err, "read embedded migrations")
	}
	if latest := ms[len(ms)-1].Version; v > latest {
		return 0, care.Errorf(care.EUNUSABLE, "the backup %s has schema version %d but this sufficiency knows only up to %d: use a newer sufficiency", path, v, latest)
	}
	return v, nil
}

// Restore replaces the database file at target with a copy of the backup
// at from (checked with CheckBackup), removing target's write-ahead log so
// nothing of the old database survives; the copy is written beside target
// and renamed. No process may have target open: stop every server first.
// Open target afterwards to bring an older backup's schema up to date.
func Restore(ctx context.Context, from, target string) error {
	if _, err := CheckBackup(ctx, from); err != nil {
		return err
	}
	if fi, err := os.Stat(filepath.Dir(target)); err != nil || !fi.IsDir() {
		return care.Errorf(care.EINVALID, "restore: folder %s does not exist", filepath.Dir(target))
	}
	tmp := target + ".restoring"
	if err := copyFile(from, tmp); err != nil {
		_ = os.Remove(tmp)
		return care.WrapError(care.EINTERNAL, err, "restore: copy %s", from)
	}
	for _, side := range []string{target + "-wal", target + "-shm"} {
		if err := os.Remove(side); err != nil && !errors.Is(err, fs.ErrNotExist) {
			_ = os.Remove(tmp)
			return care.WrapError(care.EINTERNAL, err, "restore: remove %s", side)
		}
	}
	if err := os.Rename(tmp, target); err != nil {
		_ = os.Remove(tmp)
		return care.WrapError(care.EINTERNAL, err, "restore: rename %s to %s", tmp, target)
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := out.ReadFrom(in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// MigrationStatus lists every migration this program knows with when it
// was applied to the SQLite file at path (zero: pending), without changing
// the file. ENOTFOUND when there is no file.
func MigrationStatus(ctx context.Context, path string) ([]store.Migration, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, care.Errorf(care.ENOTFOUND, "no database at %s", path)
	}
	ms, err := migrations()
	if err != nil {
		return nil, care.WrapError(care.EINTERNAL, err, "read embedded migrations")
	}
	c, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return nil, care.WrapError(care.EUNUSABLE, err, "open %s", path)
	}
	defer c.Close()
	applied := map[int]string{}
	rows, err := c.QueryContext(ctx, sqlshared.AppliedMigrations)
	if err == nil {
		for rows.Next() {
			var v int
			var at string
			if err := rows.Scan(&v, &at); err != nil {
				rows.Close()
				return nil, care.WrapError(care.EUNUSABLE, err, "read the schema version of %s", path)
			}
			applied[v] = at
		}
		rows.Close()
	} else if !strings.Contains(err.Error(), "no such table") {
		return nil, care.WrapError(care.EUNUSABLE, err, "read the schema version of %s", path)
	}
	var out []store.Migration
	for _, m := range ms {
		mg := store.Migration{Version: m.Version, Name: m.Name}
		if at, ok := applied[m.Version]; ok {
			if mg.Applied, err = store.ParseTimeString(at); err != nil {
				return nil, care.WrapError(care.EUNUSABLE, err, "read the schema version of %s", path)
			}
			delete(applied, m.Version)
		}
		out = append(out, mg)
	}
	for v := range applied {
		out = append(out, store.Migration{Version: v, Name: "(unknown to this sufficiency: written by a newer one)", Unknown: true})
	}
	return out, nil
}
