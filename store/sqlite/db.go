// Package sqlite is the embedded store of sufficiency: store.Store on one
// SQLite file, using the pure-Go modernc.org/sqlite driver.
//
// The file is opened in WAL mode with two connection pools: one writer
// connection whose transactions begin IMMEDIATE (so two writers queue on the
// busy timeout instead of failing), and several query-only reader connections
// for reads that write nothing, which in WAL mode never wait for a writer.
// Reads of child-level data run on a reader too; their audit entry is then
// appended on the writer in a short transaction of its own (read.go: audited).
// Foreign keys and the busy timeout are set in the DSN, so every pooled
// connection has them. Imports write through a connection of their own on
// SQLite's C API, kept open between imports, which checks the foreign keys an
// import could break once per import rather than row by row (raw.go). New
// files get 16 KiB pages.
// The schema is created and upgraded by the embedded
// migrations (migrations/NNNN_name.sql, applied in order, recorded in
// schema_migrations).
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
	sqlite3 "modernc.org/sqlite/lib"

	"sufficiency/care"
	"sufficiency/store"
)

// DB is a store.Store backed by one SQLite file.
type DB struct {
	path string
	w    *sql.DB // one connection, BEGIN IMMEDIATE
	r    *sql.DB // query-only readers
	// Now is the clock used to stamp imports and audit entries; it defaults to
	// time.Now and may be replaced before use (tests).
	Now func() time.Time

	// failAfterRows, when positive, makes ImportReturns fail after writing
	// that many rows (tests of all-or-nothing).
	failAfterRows int

	// rawMu guards raw, the import connection (importConn).
	rawMu sync.Mutex
	raw   *rawConn

	// readersMu guards readers, the idle raw readers (readraw.go), and
	// readersClosed, set by Close.
	readersMu     sync.Mutex
	readers       []*rawConn
	readersClosed bool
}

var _ store.Store = (*DB)(nil)

// busyTimeout is how long a writer waits for another writer (milliseconds).
const busyTimeout = 30000

// Open opens (creating if needed) the SQLite database at path and brings its
// schema up to date. EINVALID for an unusable path; ECONFLICT when the file was
// written by a newer version of sufficiency; EINTERNAL otherwise.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, care.Errorf(care.EINVALID, "no database file given")
	}
	if strings.ContainsAny(path, "?#") || strings.HasPrefix(path, "file:") {
		return nil, care.Errorf(care.EINVALID, "database path %q contains '?', '#' or starts with 'file:': choose a plain file name", path)
	}
	if dir := filepath.Dir(path); dir != "" {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return nil, care.Errorf(care.EINVALID, "cannot create database %s: folder %s does not exist; create the folder or choose another file", path, dir)
		}
	}
	if fi, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) || (err == nil && fi.Mode().IsRegular() && fi.Size() == 0) {
		_ = createFile(path) // a new file; errors are reported by the opening below
	}
	common := "_pragma=busy_timeout(" + strconv.Itoa(busyTimeout) + ")&_pragma=foreign_keys(1)"
	w, err := sql.Open("sqlite", path+"?"+common+"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-65536)&_txlock=immediate")
	if err != nil {
		return nil, care.WrapError(care.EINTERNAL, err, "open database %s", path)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxIdleTime(0)
	db := &DB{path: path, w: w, Now: time.Now}
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, care.WrapError(care.EINVALID, err, "cannot open %s as a sufficiency database; check the file is a SQLite database you can write", path)
	}
	if err := migrate(ctx, w, db.now); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", path+"?"+common+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, care.WrapError(care.EINTERNAL, err, "open database %s for reading", path)
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	db.r = r
	if err := db.ensureIndexes(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// pageSize is the page size of new database files. Larger pages than
// SQLite's default of 4 KiB make bulk imports cheaper (fewer pages to balance
// and write for the same rows); see docs/bench/store.md.
const pageSize = 16384

// createFile creates a new, empty database file at path with pageSize pages
// in WAL mode. The page size of a file can only be chosen before it is first
// written, which the DSN's pragmas cannot do (the driver runs them in
// alphabetical order, journal_mode before page_size).
func createFile(path string) error {
	c, err := openRawConnFlags(path, sqlite3.SQLITE_OPEN_CREATE, []string{
		"PRAGMA page_size = " + strconv.Itoa(pageSize),
		"PRAGMA journal_mode = WAL",
	})
	if err != nil {
		return err
	}
	c.close()
	return nil
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// Close closes both connection pools.
func (db *DB) Close() error {
	db.closeReaders()
	db.rawMu.Lock()
	if db.raw != nil {
		db.raw.close()
		db.raw = nil
	}
	db.rawMu.Unlock()
	err := errors.Join(db.r.Close(), db.w.Close())
	if err != nil {
		return care.WrapError(care.EINTERNAL, err, "close database %s", db.path)
	}
	return nil
}

func (db *DB) now() time.Time {
	if db.Now == nil {
		return time.Now().UTC()
	}
	return db.Now().UTC()
}

// write runs fn in one IMMEDIATE transaction on the writer connection.
func (db *DB) write(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return dbError(err, what)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return dbError(err, what)
	}
	if err := tx.Commit(); err != nil {
		return dbError(err, what)
	}
	return nil
}

// read runs fn in one read-only transaction on a reader connection: a
// consistent snapshot that never waits for the writer.
func (db *DB) read(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return dbError(err, what)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return dbError(err, what)
	}
	return nil
}

// dbError keeps *care.Error as they are and wraps anything else as EINTERNAL,
// except context cancellation which is passed through for callers to see.
func dbError(err error, what string) error {
	var ce *care.Error
	if errors.As(err, &ce) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return care.WrapError(care.EINTERNAL, err, "%s: stopped before it finished; nothing was changed", what)
	}
	return care.WrapError(care.EINTERNAL, err, "%s", what)
}
