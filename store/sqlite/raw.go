package sqlite

import (
	"context"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// The import writes through its own connection, opened on the SQLite C API
// that modernc.org/sqlite exposes as modernc.org/sqlite/lib, instead of
// through database/sql. Binding a value through database/sql and the driver
// costs a conversion to driver.Value, an interface allocation, a C copy of
// every text value (malloc and free), a parameter-name lookup, and the
// connection mutex on every sqlite3_bind_* and on the unbinding after each
// statement; at 18 values an episode that was most of the import's time. Here
// a connection is opened without the connection mutex (SQLITE_OPEN_NOMUTEX:
// it is used by one goroutine at a time), values are buffered per batch
// without allocating and bound straight from one C buffer per statement
// (SQLITE_STATIC), and every multi-row INSERT is prepared once.
//
// The connection gets the pools' settings (the busy timeout, WAL with
// synchronous NORMAL) except foreign keys, which the import checks as a set
// (importPragmas), and TestImportConnSettings checks them. It is opened by the
// first import and kept until the DB is closed (DB.importConn): closing it
// after each council freed its page cache page by page, and the next import
// read the same pages back. ImportReturns holds the writer pool's only
// connection while it writes, so writers of this process still queue in the
// pool as before.

// importPragmas are run on every import connection before it is used.
//
// Foreign keys are off on this connection, unlike on the pools': an immediate
// foreign key makes every multi-row INSERT keep a statement journal (see
// rawBulk). The import writes only keys it has just written itself (the import
// id, the council and its years) except for one: the child each episode and
// needs row names, which checkChildren checks for the whole import with one
// query before the transaction commits.
var importPragmas = []string{
	"PRAGMA busy_timeout = " + fmt.Sprint(busyTimeout),
	"PRAGMA foreign_keys = OFF",
	"PRAGMA journal_mode = WAL",
	"PRAGMA synchronous = NORMAL",
	"PRAGMA cache_size = -65536",
	"PRAGMA temp_store = MEMORY",
}

// rawConn is one SQLite connection used through the C API.
type rawConn struct {
	tls *libc.TLS
	db  uintptr
	// stmts, when not nil, keeps every statement the connection prepares,
	// by its text (or rawBulk's key), for the next use: an import's
	// statements are the same for every council.
	stmts map[string]*rawStmt
}

// cPtr turns the address of C memory (from libc.Xmalloc, never Go memory)
// into a pointer.
func cPtr(p uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&p)) }

// cBytes is the n bytes of C memory at p as a slice.
func cBytes(p uintptr, n int) []byte { return unsafe.Slice((*byte)(cPtr(p)), n) }

// openRawConn opens the existing database file at path for reading and
// writing and applies importPragmas.
func openRawConn(path string) (*rawConn, error) {
	c, err := openRawConnFlags(path, 0, importPragmas)
	if err != nil {
		return nil, err
	}
	c.stmts = map[string]*rawStmt{}
	return c, nil
}

// openRawConnFlags opens path for reading and writing, with flags added to
// the open flags, and runs pragmas.
func openRawConnFlags(path string, flags int32, pragmas []string) (_ *rawConn, err error) {
	name, err := libc.CString(path)
	if err != nil {
		return nil, err
	}
	c := &rawConn{tls: libc.NewTLS()}
	pp := c.tls.Alloc(int(unsafe.Sizeof(uintptr(0))))
	rc := sqlite3.Xsqlite3_open_v2(c.tls, name, pp, flags|sqlite3.SQLITE_OPEN_READWRITE|sqlite3.SQLITE_OPEN_NOMUTEX|sqlite3.SQLITE_OPEN_EXRESCODE, 0)
	c.db = *(*uintptr)(cPtr(pp))
	c.tls.Free(int(unsafe.Sizeof(uintptr(0))))
	libc.Xfree(c.tls, name)
	if rc != sqlite3.SQLITE_OK {
		if c.db != 0 {
			err = c.error(rc)
		} else {
			err = fmt.Errorf("sqlite: cannot open %s (%d)", path, rc)
		}
		c.close()
		return nil, err
	}
	defer func() {
		if err != nil {
			c.close()
		}
	}()
	for _, p := range pragmas {
		if err := c.exec(context.Background(), p); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	return c, nil
}

// close closes the connection; every statement must have been finalized.
func (c *rawConn) close() {
	for _, st := range c.stmts {
		st.finalize()
	}
	c.stmts = nil
	if c.db != 0 {
		sqlite3.Xsqlite3_close_v2(c.tls, c.db)
		c.db = 0
	}
	if c.tls != nil {
		c.tls.Close()
		c.tls = nil
	}
}

// interruptOn makes the end of ctx interrupt the statement running on c (as
// the driver does for database/sql). stop ends that; it must be called before
// c is closed, and after it returns no interruption is pending or running.
func (c *rawConn) interruptOn(ctx context.Context) (stop func()) {
	var mu sync.Mutex
	stopped := false
	db := c.db
	cancel := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		if stopped {
			return
		}
		// sqlite3_interrupt may be called from another thread while the
		// connection is open; it only sets a flag the running statement
		// checks.
		tls := libc.NewTLS()
		sqlite3.Xsqlite3_interrupt(tls, db)
		tls.Close()
	})
	return func() {
		cancel()
		mu.Lock()
		stopped = true
		mu.Unlock()
	}
}

// error is the connection's last error: its message and (extended) code.
func (c *rawConn) error(rc int32) error {
	msg := libc.GoString(sqlite3.Xsqlite3_errmsg(c.tls, c.db))
	if ext := sqlite3.Xsqlite3_extended_errcode(c.tls, c.db); ext != 0 {
		rc = ext
	}
	return fmt.Errorf("sqlite: %s (%d)", msg, rc)
}

// prepare compiles one statement.
func (c *rawConn) prepare(query string) (*rawStmt, error) {
	q, err := libc.CString(query)
	if err != nil {
		return nil, err
	}
	defer libc.Xfree(c.tls, q)
	const ptr = unsafe.Sizeof(uintptr(0))
	pp := c.tls.Alloc(int(2 * ptr)) // the statement, then the text after it
	defer c.tls.Free(int(2 * ptr))
	if rc := sqlite3.Xsqlite3_prepare_v2(c.tls, c.db, q, -1, pp, pp+ptr); rc != sqlite3.SQLITE_OK {
		return nil, c.error(rc)
	}
	p := *(*uintptr)(cPtr(pp))
	if p == 0 {
		return nil, fmt.Errorf("sqlite: no statement in %q", query)
	}
	if tail := strings.TrimSpace(libc.GoString(*(*uintptr)(cPtr(pp + ptr)))); tail != "" && tail != ";" {
		sqlite3.Xsqlite3_finalize(c.tls, p)
		return nil, fmt.Errorf("sqlite: more than one statement in %q", query)
	}
	return &rawStmt{c: c, p: p, nparams: int(sqlite3.Xsqlite3_bind_parameter_count(c.tls, p))}, nil
}

// cached is the statement kept under key, prepared from query() on first
// use; without a cache (c.stmts nil), a statement prepared afresh, which
// the caller must give back with done.
func (c *rawConn) cached(key string, query func() string) (*rawStmt, error) {
	if st, ok := c.stmts[key]; ok {
		return st, nil
	}
	st, err := c.prepare(query())
	if err != nil {
		return nil, err
	}
	if c.stmts != nil {
		st.kept = true
		c.stmts[key] = st
	}
	return st, nil
}

// statement is the statement of query, from the cache when there is one.
func (c *rawConn) statement(query string) (*rawStmt, error) {
	return c.cached(query, func() string { return query })
}

// done gives back a statement from statement: reset for its next use if
// the cache keeps it, finalized otherwise.
func (s *rawStmt) done() {
	if s.kept {
		sqlite3.Xsqlite3_reset(s.c.tls, s.p)
		return
	}
	s.finalize()
}

// exec runs one statement with args (see rawValueOf for the types allowed).
func (c *rawConn) exec(ctx context.Context, query string, args ...any) error {
	_, err := c.execID(ctx, query, args...)
	return err
}

// execID is exec returning the rowid of the last row inserted.
func (c *rawConn) execID(ctx context.Context, query string, args ...any) (int64, error) {
	if err := c.eachRow(ctx, query, args, nil); err != nil {
		return 0, err
	}
	return sqlite3.Xsqlite3_last_insert_rowid(c.tls, c.db), nil
}

// eachRow runs a query with args (see rawValueOf for the types allowed) to
// its end, calling row with the statement on each result row; row returning
// false stops there. A nil row steps through every row.
func (c *rawConn) eachRow(ctx context.Context, query string, args []any, row func(s *rawStmt) bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s, err := c.statement(query)
	if err != nil {
		return err
	}
	defer s.done()
	if err := s.bindAll(args); err != nil {
		return err
	}
	for {
		more, err := s.step()
		if err != nil || !more {
			return err
		}
		if row != nil && !row(s) {
			return nil
		}
	}
}

// queryInt64s runs a query and returns its first column, read as integers.
func (c *rawConn) queryInt64s(ctx context.Context, query string, args ...any) ([]int64, error) {
	var out []int64
	err := c.eachRow(ctx, query, args, func(s *rawStmt) bool {
		out = append(out, sqlite3.Xsqlite3_column_int64(c.tls, s.p, 0))
		return true
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// queryTexts runs a query and returns the first ncols columns of every row,
// read as text.
func (c *rawConn) queryTexts(ctx context.Context, query string, ncols int, args ...any) ([][]string, error) {
	var out [][]string
	err := c.eachRow(ctx, query, args, func(s *rawStmt) bool {
		r := make([]string, ncols)
		for i := range r {
			r[i] = s.columnText(i)
		}
		out = append(out, r)
		return true
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// queryText is the first column of the query's first row as text; found is
// false when there is no row.
func (c *rawConn) queryText(ctx context.Context, query string, args ...any) (text string, found bool, err error) {
	err = c.eachRow(ctx, query, args, func(s *rawStmt) bool {
		text, found = s.columnText(0), true
		return false
	})
	if err != nil {
		return "", false, err
	}
	return text, found, nil
}

// Kinds of rawValue.
const (
	rawNull = iota
	rawInt
	rawText
	rawBlob
	rawDate // i is year*10000 + month*100 + day, bound as text YYYY-MM-DD
)

// rawValue is one value to bind, held without an interface or allocation.
type rawValue struct {
	kind uint8
	i    int64
	s    string
	b    []byte
}

func textValue(s string) rawValue { return rawValue{kind: rawText, s: s} }
func intValue(i int64) rawValue   { return rawValue{kind: rawInt, i: i} }

// dateValue is a date bound as store.DateString writes it; NULL for the
// zero time.
func dateValue(t time.Time) rawValue {
	if t.IsZero() {
		return rawValue{}
	}
	y, m, d := t.Date()
	return rawValue{kind: rawDate, i: int64(y%10000)*10000 + int64(m)*100 + int64(d)}
}

// rawValueOf converts a value of the types the import binds.
func rawValueOf(v any) (rawValue, error) {
	switch x := v.(type) {
	case nil:
		return rawValue{}, nil
	case string:
		return textValue(x), nil
	case int:
		return intValue(int64(x)), nil
	case int64:
		return intValue(x), nil
	case bool:
		return intValue(int64(boolInt(x))), nil
	case []byte:
		return rawValue{kind: rawBlob, b: x}, nil
	case time.Time:
		return dateValue(x), nil
	}
	return rawValue{}, fmt.Errorf("sqlite: cannot bind a %T", v)
}

// size is the bytes v needs in a statement's C buffer.
func (v *rawValue) size() int {
	switch v.kind {
	case rawText:
		return len(v.s)
	case rawBlob:
		return len(v.b)
	case rawDate:
		return 10
	}
	return 0
}

// rawStmt is one prepared statement with the C buffer its text and blob
// values are bound from.
type rawStmt struct {
	c       *rawConn
	p       uintptr
	kept    bool // in c.stmts: reset after use, finalized by c.close
	nparams int
	buf     uintptr // C memory, cap bytes
	cap     int
}

// finalize releases the statement and its buffer.
func (s *rawStmt) finalize() {
	if s.p != 0 {
		sqlite3.Xsqlite3_finalize(s.c.tls, s.p)
		s.p = 0
	}
	if s.buf != 0 {
		libc.Xfree(s.c.tls, s.buf)
		s.buf, s.cap = 0, 0
	}
}

func (s *rawStmt) bindAll(args []any) error {
	vals := make([]rawValue, len(args))
	for i, a := range args {
		v, err := rawValueOf(a)
		if err != nil {
			return err
		}
		vals[i] = v
	}
	return s.bind(vals)
}

// bind binds vals to the statement's parameters 1..len(vals). The statement
// must have been reset (or never run); text and blob values are copied into
// the statement's buffer, which stays valid until the next bind.
func (s *rawStmt) bind(vals []rawValue) error {
	return s.bind2(vals, nil)
}

// bind2 binds the values of a, then those of b, to parameters 1..len(a)+len(b)
// (see bind).
func (s *rawStmt) bind2(a, b []rawValue) error {
	if len(a)+len(b) != s.nparams {
		return fmt.Errorf("sqlite: %d values for %d parameters", len(a)+len(b), s.nparams)
	}
	need := 0
	for i := range a {
		need += a[i].size()
	}
	for i := range b {
		need += b[i].size()
	}
	if need > s.cap || s.buf == 0 { // never a NULL pointer: empty text is not NULL
		// Parameters still bound to the old buffer are all bound again below
		// before the statement next runs.
		if s.buf != 0 {
			libc.Xfree(s.c.tls, s.buf)
		}
		s.cap = max(need, 4096)
		s.buf = libc.Xmalloc(s.c.tls, uint64(s.cap))
		if s.buf == 0 {
			s.cap = 0
			return fmt.Errorf("sqlite: out of memory binding %d bytes", need)
		}
	}
	var mem []byte
	if s.cap > 0 {
		mem = cBytes(s.buf, s.cap)
	}
	tls, p, off := s.c.tls, s.p, 0
	for i := range len(a) + len(b) {
		var v *rawValue
		if i < len(a) {
			v = &a[i]
		} else {
			v = &b[i-len(a)]
		}
		idx := int32(i + 1)
		var rc int32
		switch v.kind {
		case rawNull:
			rc = sqlite3.Xsqlite3_bind_null(tls, p, idx)
		case rawInt:
			rc = sqlite3.Xsqlite3_bind_int64(tls, p, idx, v.i)
		case rawText:
			n := copy(mem[off:], v.s)
			rc = sqlite3.Xsqlite3_bind_text(tls, p, idx, s.buf+uintptr(off), int32(n), 0)
			off += n
		case rawBlob:
			n := copy(mem[off:], v.b)
			rc = sqlite3.Xsqlite3_bind_blob(tls, p, idx, s.buf+uintptr(off), int32(n), 0)
			off += n
		case rawDate:
			b := mem[off : off+10 : off+10]
			y, md := v.i/10000, v.i%10000
			m, d := md/100, md%100
			b[0], b[1], b[2], b[3] = byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10)
			b[4], b[5], b[6], b[7], b[8], b[9] = '-', byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10)
			rc = sqlite3.Xsqlite3_bind_text(tls, p, idx, s.buf+uintptr(off), 10, 0)
			off += 10
		}
		if rc != sqlite3.SQLITE_OK {
			return s.c.error(rc)
		}
	}
	return nil
}

// columnText is column i of the current row as text.
func (s *rawStmt) columnText(i int) string {
	return libc.GoString(sqlite3.Xsqlite3_column_text(s.c.tls, s.p, int32(i)))
}

// step runs the statement one step: true with a row to read, false when done
// (the statement is then reset).
func (s *rawStmt) step() (bool, error) {
	rc := sqlite3.Xsqlite3_step(s.c.tls, s.p)
	switch rc {
	case sqlite3.SQLITE_ROW:
		return true, nil
	case sqlite3.SQLITE_DONE:
		sqlite3.Xsqlite3_reset(s.c.tls, s.p)
		return false, nil
	}
	err := s.c.error(rc)
	sqlite3.Xsqlite3_reset(s.c.tls, s.p)
	return false, err
}

// rawBulk inserts many rows into one table with multi-row INSERT statements,
// prepared once, each value bound once from a buffer of typed values.
//
// The statements are INSERT OR ROLLBACK: a row that breaks a constraint ends
// the whole transaction, which is what an import does with any error anyway.
// An INSERT of many rows that could instead abort alone (the default, OR
// ABORT) makes SQLite keep a statement journal of every page it changes, so
// that it can undo just that statement; in a large transaction that is
// nearly every page, and the journal's memory, allocated and freed per
// statement, was a third of an England import's CPU time (the allocator hands
// freed memory back to the kernel). For the same reason the import connection
// runs with foreign keys off and checks them once per import (importPragmas).
type rawBulk struct {
	ctx context.Context
	c   *rawConn
	// head is the statement's text before its rows, key its cache key but
	// for the number of rows; nconst values bound once per statement, ncols
	// per row, batch rows in a full statement.
	head, key            string
	nconst, ncols, batch int
	// vals is the constant values, then the buffered rows' values.
	vals []rawValue
	// after is called with the number of rows each flush wrote.
	after func(rows int) error
}

func newRawBulk(ctx context.Context, c *rawConn, table string, cols []string, after func(int) error) *rawBulk {
	return newRawBulkConst(ctx, c, table, nil, nil, cols, after)
}

// newRawBulkConst is newRawBulk with columns that take the same value in
// every row (constCols = constVals). Each is one numbered parameter (?1,
// ?2, ...) that every row of a statement names, bound once per statement,
// so that the statement's text is the same for every council and year and
// the connection prepares it once (rawConn.cached): parsing a multi-row
// INSERT of thousands of parameters for each table of each council-year
// was a tenth of an England import's CPU time.
func newRawBulkConst(ctx context.Context, c *rawConn, table string, constCols []string, constVals []rawValue, cols []string, after func(int) error) *rawBulk {
	var quoted []string
	for _, col := range append(append([]string(nil), constCols...), cols...) {
		quoted = append(quoted, `"`+col+`"`)
	}
	head := `INSERT OR ROLLBACK INTO "` + table + `" (` + strings.Join(quoted, ", ") + `) VALUES `
	batch := min(maxVars/len(cols), maxBatchRows)
	vals := make([]rawValue, len(constVals), len(constVals)+batch*len(cols))
	copy(vals, constVals)
	return &rawBulk{ctx: ctx, c: c, head: head, key: fmt.Sprintf("%s\x00%d", head, len(constVals)),
		nconst: len(constVals), ncols: len(cols), batch: batch, vals: vals, after: after}
}

// query is the statement inserting rows rows: the constants ?1..?nconst in
// every row, then each row's own parameters numbered in order.
func (b *rawBulk) query(rows int) string {
	var s strings.Builder
	s.Grow(len(b.head) + rows*(b.nconst+b.ncols)*7)
	s.WriteString(b.head)
	n := b.nconst
	for i := 0; i < rows; i++ {
		if i > 0 {
			s.WriteByte(',')
		}
		s.WriteByte('(')
		for j := 0; j < b.nconst+b.ncols; j++ {
			if j > 0 {
				s.WriteByte(',')
			}
			s.WriteByte('?')
			if j < b.nconst {
				s.WriteString(strconv.Itoa(j + 1))
			} else {
				n++
				s.WriteString(strconv.Itoa(n))
			}
		}
		s.WriteByte(')')
	}
	return s.String()
}

// add buffers one row; vals must have one value per column.
func (b *rawBulk) add(vals ...rawValue) error {
	b.vals = append(b.vals, vals...)
	if len(b.vals) == b.nconst+b.batch*b.ncols {
		return b.flush()
	}
	return nil
}

// flush writes the buffered rows: a full batch with one statement, fewer
// rows with one statement per power of two in their number (at most eight,
// each prepared once per connection, not one statement per number).
func (b *rawBulk) flush() error {
	consts, rows := b.vals[:b.nconst], b.vals[b.nconst:]
	n := len(rows) / b.ncols
	if n == 0 {
		return nil
	}
	if err := b.ctx.Err(); err != nil {
		return err
	}
	for done := 0; done < n; {
		k := n - done
		if k != b.batch {
			k = 1 << (bits.Len(uint(k)) - 1)
		}
		st, err := b.c.cached(b.key+"\x00"+strconv.Itoa(k), func() string { return b.query(k) })
		if err != nil {
			return err
		}
		if err := st.bind2(consts, rows[done*b.ncols:(done+k)*b.ncols]); err != nil {
			return err
		}
		if _, err := st.step(); err != nil {
			return err
		}
		done += k
	}
	clear(rows)
	b.vals = b.vals[:b.nconst]
	if b.after != nil {
		return b.after(n)
	}
	return nil
}

// close flushes what is left.
func (b *rawBulk) close() error {
	return b.flush()
}
