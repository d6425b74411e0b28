package sqlite

import (
	"context"
	"errors"
	"fmt"
	"time"

	sqlite3 "modernc.org/sqlite/lib"

	"sufficiency/care"
	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

// The two reads every picture, review, market and page makes, often of
// hundreds of thousands of rows (EpisodesWhere and Children), run on
// query-only connections of their own on SQLite's C API, as imports write
// (raw.go). Through database/sql every column of every row took the driver's
// connection mutex twice, a conversion to driver.Value, a reflective Scan and
// a copy of its text; those were about half of a region's picture on an
// all-England database. Here the columns are read in place, the short codes
// and postcodes that repeat on every row are shared rather than copied
// (interner), and dates are parsed without time.Parse (columnDate). The SQL
// and the results are the pools' (the contract suite runs on these reads).
//
// Each read runs in one read transaction, like db.read, on a connection taken
// from a small pool of idle ones (at most maxRawReaders kept; more are opened
// when more reads run at once, and closed after).

// maxRawReaders is how many idle raw readers a DB keeps.
const maxRawReaders = 4

// readPragmas are run on every raw reader: the pools' busy timeout, no
// writing, and the file read through memory-mapped I/O (mmapSize): pages are
// then read in place rather than copied into the connection's page cache with
// a system call each, and there is no page cache to free when the
// connection closes. One council's picture on an all-England database took
// 13–18% less CPU. The file is never truncated under a reader (restore
// renames a new file into place; nothing vacuums in place), which is what
// makes a mapping unsafe.
var readPragmas = []string{
	fmt.Sprintf("PRAGMA busy_timeout = %d", busyTimeout),
	"PRAGMA query_only = 1",
	fmt.Sprintf("PRAGMA mmap_size = %d", mmapSize),
}

// mmapSize is how much of the file a raw reader maps: SQLite's own ceiling
// (SQLITE_MAX_MMAP_SIZE, just under 2 GiB), more than an all-England
// database (1.3 GB); pages past it are read as without a mapping.
const mmapSize = 0x7fff0000

// rawRead runs fn in one read transaction on a raw reader.
func (db *DB) rawRead(ctx context.Context, what string, fn func(c *rawConn) error) error {
	if err := ctx.Err(); err != nil {
		return dbError(err, what)
	}
	c, err := db.takeReader()
	if err != nil {
		return dbError(err, what)
	}
	stop := c.interruptOn(ctx)
	err = c.exec(ctx, "BEGIN")
	if err == nil {
		err = fn(c)
		// A read transaction ends the same way whether fn failed or not.
		if cerr := c.exec(context.Background(), "COMMIT"); err == nil {
			err = cerr
		}
	}
	stop()
	if cerr := ctx.Err(); cerr != nil && err != nil {
		err = cerr // an interrupted statement reports the cancellation as its error
	}
	var domain *care.Error
	db.giveReader(c, err == nil || errors.As(err, &domain)) // a domain error leaves the connection as it was
	if err != nil {
		return dbError(err, what)
	}
	return nil
}

// takeReader is an idle raw reader, or a new one.
func (db *DB) takeReader() (*rawConn, error) {
	db.readersMu.Lock()
	if n := len(db.readers); n > 0 {
		c := db.readers[n-1]
		db.readers = db.readers[:n-1]
		db.readersMu.Unlock()
		return c, nil
	}
	db.readersMu.Unlock()
	return openRawConnFlags(db.path, 0, readPragmas)
}

// giveReader keeps c for the next read, unless reuse is false (it failed in
// a way that may have left it in a state of its own), the pool is full or
// the DB is closed.
func (db *DB) giveReader(c *rawConn, reuse bool) {
	db.readersMu.Lock()
	if reuse && !db.readersClosed && len(db.readers) < maxRawReaders {
		db.readers = append(db.readers, c)
		c = nil
	}
	db.readersMu.Unlock()
	if c != nil {
		c.close()
	}
}

// closeReaders closes the idle raw readers; readers in use are closed when
// they are given back.
func (db *DB) closeReaders() {
	db.readersMu.Lock()
	idle := db.readers
	db.readers, db.readersClosed = nil, true
	db.readersMu.Unlock()
	for _, c := range idle {
		c.close()
	}
}

// query prepares query, binds args and calls row for each row.
func (c *rawConn) query(query string, args []any, row func(s *rawStmt) error) error {
	return c.queryRows(query, args, func(rows sqlshared.Rows) error {
		r := rows.(*rawRows)
		for r.Next() {
			if err := row(r.s); err != nil {
				return err
			}
		}
		return nil
	})
}

// columnBytes is column i of the current row as text, in SQLite's memory:
// valid until the next step, and empty for NULL.
func (s *rawStmt) columnBytes(i int) []byte {
	p := sqlite3.Xsqlite3_column_text(s.c.tls, s.p, int32(i))
	if p == 0 {
		return nil
	}
	return cBytes(p, int(sqlite3.Xsqlite3_column_bytes(s.c.tls, s.p, int32(i))))
}

// columnInt64 is column i of the current row as an integer (0 for NULL).
func (s *rawStmt) columnInt64(i int) int64 {
	return sqlite3.Xsqlite3_column_int64(s.c.tls, s.p, int32(i))
}

// columnDate is column i of the current row, a date stored as YYYY-MM-DD
// (store.DateString), or the zero time for NULL or empty text; what
// store.ParseDateString gives for the same text.
func (s *rawStmt) columnDate(i int) (time.Time, error) {
	b := s.columnBytes(i)
	if len(b) == 10 && b[4] == '-' && b[7] == '-' {
		y, okY := digits(b[0:4])
		m, okM := digits(b[5:7])
		d, okD := digits(b[8:10])
		if okY && okM && okD && m >= 1 && m <= 12 && d >= 1 {
			t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
			if t.Day() == d { // not a day past the month's end
				return t, nil
			}
		}
	}
	return store.ParseDateString(string(b))
}

// digits is b, all ASCII digits, as a number.
func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// interner shares the strings of one read that repeat from row to row
// (codes, councils, postcodes, a child's id on each of its episodes), so
// each distinct value is copied out of SQLite once. It stops adding values
// at maxInterned and then copies as before.
type interner map[string]string

const maxInterned = 1 << 16

// text is column i of s's current row as a string.
func (in interner) text(s *rawStmt, i int) string {
	b := s.columnBytes(i)
	if len(b) == 0 {
		return ""
	}
	if v, ok := in[string(b)]; ok {
		return v
	}
	v := string(b)
	if len(in) < maxInterned {
		in[v] = v
	}
	return v
}

// recent is a column's text on the row before: text shares it with the
// current row when the bytes are the same, and copies them otherwise. For the
// columns of too many values to intern (a child's id, a postcode, a URN),
// which repeat on rows that come together (a child's episodes), so the
// interner's map stays small and quick to look in.
type recent string

// text is column i of s's current row as a string.
func (r *recent) text(s *rawStmt, i int) string {
	if b := s.columnBytes(i); string(b) != string(*r) {
		*r = recent(b)
	}
	return string(*r)
}

// notNull refuses a NULL in the first n columns of the current row, as Scan
// does.
func (s *rawStmt) notNull(n int) error {
	for i := 0; i < n; i++ {
		if sqlite3.Xsqlite3_column_type(s.c.tls, s.p, int32(i)) == sqlite3.SQLITE_NULL {
			return fmt.Errorf("sqlite: column %d is NULL", i)
		}
	}
	return nil
}

// episodesInPlanOrderSQL is sqlshared.EpisodeQuerySQLInPlanOrder; a test
// replaces it to check what EpisodesWhere does when the order breaks.
var episodesInPlanOrderSQL = sqlshared.EpisodeQuerySQLInPlanOrder

// errOutOfOrder is rawEpisodes' error for rows out of (council, child_id,
// seq) order.
var errOutOfOrder = errors.New("sqlite: episodes out of order")

// rawEpisodes reads the episodes query (sqlshared.EpisodeQuerySQL) selects.
// With check, query is sqlshared.EpisodeQuerySQLInPlanOrder's (seq after
// the episode's columns) and errOutOfOrder stops the read at the first row
// out of (council, child_id, seq) order.
func rawEpisodes(c *rawConn, query string, args []any, check bool) ([]care.Episode, error) {
	var col sqlshared.Collector[care.Episode]
	in := interner{}
	var council, child, home, placed, urn recent
	var lastCouncil, lastChild string
	lastSeq := int64(-1)
	err := c.query(query, args, func(s *rawStmt) error {
		var e care.Episode
		var err error
		e.Council, e.ChildID = council.text(s, 0), child.text(s, 1)
		if check {
			seq := s.columnInt64(18)
			switch {
			case e.Council == lastCouncil && e.ChildID == lastChild:
				if seq <= lastSeq {
					return errOutOfOrder
				}
			case e.Council < lastCouncil || e.Council == lastCouncil && e.ChildID < lastChild:
				return errOutOfOrder
			}
			lastCouncil, lastChild, lastSeq = e.Council, e.ChildID, seq
		}
		if e.Start, err = s.columnDate(2); err != nil {
			return err
		}
		if e.End, err = s.columnDate(3); err != nil {
			return err
		}
		e.ReasonNew, e.LegalStatus, e.CategoryOfNeed = in.text(s, 4), in.text(s, 5), in.text(s, 6)
		place, provider := in.text(s, 7), in.text(s, 8)
		e.ReasonEnded, e.ReasonPlaceChange = in.text(s, 9), in.text(s, 10)
		e.HomePostcode, e.PlacementPostcode, e.URN = home.text(s, 11), placed.text(s, 12), urn.text(s, 13)
		sqlshared.EpisodeValues(&e, place, provider, s.columnInt64(14), s.columnInt64(15), s.columnInt64(16), s.columnInt64(17))
		col.Add(e)
		return nil
	})
	return col.Slice(), err
}

// childColumns are the columns of a child with its needs (children c, needs
// n), as rawChild reads them.
const childColumns = `c.child_id, c.sex, COALESCE(c.dob, ''), c.ethnicity, c.upn, c.uasc, COALESCE(c.uasc_ended, ''),
		COALESCE(n.tier, 0), COALESCE(n.risks, ''), COALESCE(n.disability, 0), COALESCE(n.mental_health, 0),
		COALESCE(n.communication, ''), COALESCE(n.solo_recommended, 0), COALESCE(n.deprivation_of_liberty, 0)`

// childrenSQL reads a council's children with their needs, in id order.
const childrenSQL = `SELECT ` + childColumns + `
	FROM children c LEFT JOIN needs n ON n.council = c.council AND n.child_id = c.child_id
	WHERE c.council = ? ORDER BY c.child_id`

// rawChild reads a child of council from childColumns, starting at column
// i of s's current row.
func rawChild(s *rawStmt, in interner, council string, i int) (care.Child, error) {
	ch := care.Child{Council: council, ID: string(s.columnBytes(i)), Sex: care.Sex(in.text(s, i+1)),
		Ethnicity: in.text(s, i+3), UPN: string(s.columnBytes(i + 4)), UASC: s.columnInt64(i+5) == 1}
	var err error
	if ch.DOB, err = s.columnDate(i + 2); err != nil {
		return ch, err
	}
	if ch.UASCEnded, err = s.columnDate(i + 6); err != nil {
		return ch, err
	}
	ch.Needs = sqlshared.Needs(int(s.columnInt64(i+7)), in.text(s, i+8), in.text(s, i+11),
		s.columnInt64(i+9) == 1, s.columnInt64(i+10) == 1, s.columnInt64(i+12) == 1, s.columnInt64(i+13) == 1)
	return ch, nil
}

// rawChildren reads council's children with their needs; ErrCouncilNotLoaded
// for a council never imported.
func rawChildren(ctx context.Context, c *rawConn, council string) ([]care.Child, error) {
	n, err := c.queryInt64s(ctx, `SELECT COUNT(*) FROM councils WHERE code = ?`, council)
	if err != nil {
		return nil, err
	}
	if n[0] == 0 {
		return nil, sqlshared.ErrCouncilNotLoaded(council)
	}
	var col sqlshared.Collector[care.Child]
	in := interner{}
	err = c.query(childrenSQL, []any{council}, func(s *rawStmt) error {
		ch, err := rawChild(s, in, council, 0)
		col.Add(ch)
		return err
	})
	return col.Slice(), err
}

// rawChildrenWhere reads the children query (sqlshared.ChildrenQuerySQL
// with childColumns) selects.
func rawChildrenWhere(c *rawConn, query string, args []any) ([]care.Child, error) {
	var col sqlshared.Collector[care.Child]
	in := interner{}
	var council recent
	err := c.query(query, args, func(s *rawStmt) error {
		ch, err := rawChild(s, in, council.text(s, 0), 1)
		col.Add(ch)
		return err
	})
	return col.Slice(), err
}

// rawRows reads a query's rows on a raw connection through sqlshared.Rows,
// so the scanning code the two stores share (sqlshared.ScanProvision,
// ReadResidents, ...) runs on the C API too. Scan takes the destinations
// those use — *string, *int, *int64, *bool, *float64 — and, like
// database/sql, refuses NULL into any of them.
type rawRows struct {
	s   *rawStmt
	in  interner
	err error
}

// queryRows prepares query with args and calls read with its rows.
func (c *rawConn) queryRows(query string, args []any, read func(sqlshared.Rows) error) error {
	s, err := c.prepare(query)
	if err != nil {
		return err
	}
	defer s.finalize()
	if err := s.bindAll(args); err != nil {
		return err
	}
	r := &rawRows{s: s, in: interner{}}
	err = read(r)
	if err == nil {
		err = r.err
	}
	sqlite3.Xsqlite3_reset(s.c.tls, s.p)
	return err
}

// Next steps to the next row.
func (r *rawRows) Next() bool {
	if r.err != nil {
		return false
	}
	ok, err := r.s.step()
	r.err = err
	return ok
}

// Err is the error that ended Next.
func (r *rawRows) Err() error { return r.err }

// Scan reads the current row into dest.
func (r *rawRows) Scan(dest ...any) error {
	s := r.s
	for i, d := range dest {
		if sqlite3.Xsqlite3_column_type(s.c.tls, s.p, int32(i)) == sqlite3.SQLITE_NULL {
			return fmt.Errorf("sqlite: column %d is NULL, which a %T cannot hold", i, d)
		}
		switch d := d.(type) {
		case *string:
			*d = r.in.text(s, i)
		case *int:
			*d = int(s.columnInt64(i))
		case *int64:
			*d = s.columnInt64(i)
		case *bool:
			*d = s.columnInt64(i) != 0
		case *float64:
			*d = sqlite3.Xsqlite3_column_double(s.c.tls, s.p, int32(i))
		default:
			return fmt.Errorf("sqlite: cannot scan column %d into a %T", i, d)
		}
	}
	return nil
}
