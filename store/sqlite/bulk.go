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

// bulk inserts many rows into one table with multi-row INSERT statements,
// prepared once per batch size, inside the caller's transaction.
type bulk struct {
	ctx   context.Context
	tx    *sql.Tx
	head  string // INSERT INTO t (c1, c2, ...) VALUES
	row   string // (?, ?, ...)
	ncols int
	batch int // rows per full statement
	stmt  *sql.Stmt
	args  []any
	n     int // rows buffered in args
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
	var quoted []string
	for _, c := range append(append([]string(nil), constCols...), cols...) {
		quoted = append(quoted, `"`+c+`"`)
	}
	batch := maxVars / len(cols)
	if batch > maxBatchRows {
		batch = maxBatchRows
	}
	var lits strings.Builder
	for _, v := range constVals {
		lits.WriteString(sqlString(v))
		lits.WriteByte(',')
	}
	row := "(" + lits.String() + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
	return &bulk{
		ctx: ctx, tx: tx,
		head:  `INSERT INTO "` + table + `" (` + strings.Join(quoted, ", ") + `) VALUES `,
		row:   row,
		ncols: len(cols),
		batch: batch,
		args:  make([]any, 0, batch*len(cols)),
		after: after,
	}
}

func (b *bulk) query(rows int) string {
	var s strings.Builder
	s.Grow(len(b.head) + rows*(len(b.row)+1))
	s.WriteString(b.head)
	for i := 0; i < rows; i++ {
		if i > 0 {
			s.WriteByte(',')
		}
		s.WriteString(b.row)
	}
	return s.String()
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
