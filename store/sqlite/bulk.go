package sqlite

import (
	"context"
	"database/sql"
	"strings"
)

// maxVars is how many bound parameters one statement may carry; SQLite's
// default limit is 32766.
const maxVars = 32000

// maxBatchRows bounds the rows of one multi-row INSERT.
const maxBatchRows = 200

// insertSQL is the text of multi-row INSERT statements into one table.
type insertSQL struct {
	head  string // INSERT INTO t (c1, c2, ...) VALUES
	row   string // (?, ?, ...)
	ncols int
	batch int // rows per full statement
}

// newInsertSQL is the INSERT of cols into table, with columns that take the
// same value in every row (constCols = constLits, SQL literals such as
// sqlString gives) written into the statement rather than bound. verb is
// "INSERT" or "INSERT OR ROLLBACK" (rawBulk explains the second).
func newInsertSQL(verb, table string, constCols, constLits, cols []string) insertSQL {
	var quoted []string
	for _, col := range append(append([]string(nil), constCols...), cols...) {
		quoted = append(quoted, `"`+col+`"`)
	}
	var lits strings.Builder
	for _, v := range constLits {
		lits.WriteString(v)
		lits.WriteByte(',')
	}
	return insertSQL{
		head:  verb + ` INTO "` + table + `" (` + strings.Join(quoted, ", ") + `) VALUES `,
		row:   "(" + lits.String() + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")",
		ncols: len(cols),
		batch: min(maxVars/len(cols), maxBatchRows),
	}
}

// query is the statement inserting rows rows.
func (q insertSQL) query(rows int) string {
	var s strings.Builder
	s.Grow(len(q.head) + rows*(len(q.row)+1))
	s.WriteString(q.head)
	for i := 0; i < rows; i++ {
		if i > 0 {
			s.WriteByte(',')
		}
		s.WriteString(q.row)
	}
	return s.String()
}

// bulk inserts many rows into one table with multi-row INSERT statements,
// prepared once per batch size, inside the caller's transaction.
type bulk struct {
	ctx context.Context
	tx  *sql.Tx
	insertSQL
	stmt *sql.Stmt
	args []any
	n    int // rows buffered in args
	// after is called with the number of rows each flush wrote.
	after func(rows int) error
}

func newBulk(ctx context.Context, tx *sql.Tx, table string, cols []string, after func(int) error) *bulk {
	return newBulkConst(ctx, tx, table, nil, nil, cols, after)
}

// newBulkConst is newBulk with columns that take the same value in every row
// (constCols = constVals), written into the statement as SQL string literals
// rather than bound for each row.
func newBulkConst(ctx context.Context, tx *sql.Tx, table string, constCols, constVals []string, cols []string, after func(int) error) *bulk {
	lits := make([]string, len(constVals))
	for i, v := range constVals {
		lits[i] = sqlString(v)
	}
	q := newInsertSQL("INSERT", table, constCols, lits, cols)
	return &bulk{ctx: ctx, tx: tx, insertSQL: q, args: make([]any, 0, q.batch*q.ncols), after: after}
}

// add buffers one row; vals must have one value per column.
func (b *bulk) add(vals ...any) error {
	b.args = append(b.args, vals...)
	b.n++
	if b.n == b.batch {
		return b.flush()
	}
	return nil
}

// flush writes the buffered rows.
func (b *bulk) flush() error {
	if b.n == 0 {
		return nil
	}
	if err := b.ctx.Err(); err != nil {
		return err
	}
	var err error
	if b.n == b.batch {
		if b.stmt == nil {
			b.stmt, err = b.tx.PrepareContext(b.ctx, b.query(b.batch))
			if err != nil {
				return err
			}
		}
		_, err = b.stmt.ExecContext(b.ctx, b.args...)
	} else {
		_, err = b.tx.ExecContext(b.ctx, b.query(b.n), b.args...)
	}
	if err != nil {
		return err
	}
	n := b.n
	clear(b.args)
	b.args = b.args[:0]
	b.n = 0
	if b.after != nil {
		return b.after(n)
	}
	return nil
}

// close flushes what is left and releases the prepared statement.
func (b *bulk) close() error {
	err := b.flush()
	if b.stmt != nil {
		if cerr := b.stmt.Close(); err == nil {
			err = cerr
		}
		b.stmt = nil
	}
	return err
}

// sqlString quotes s as an SQL string literal. NUL bytes, which would end the
// statement text, are dropped (callers only pass codes checked beforehand).
func sqlString(s string) string {
	s = strings.ReplaceAll(s, "\x00", "")
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
