package postgres

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// The import writes its bulk rows with COPY in PostgreSQL's binary format,
// encoded here directly from the import's structs into one reused buffer:
// no []any per row, no boxed values, no per-value lookup of an encoder. pgx's
// CopyFrom costs about 4 CPU-seconds of the client per 1,000,000 episodes;
// this costs well under one (BenchmarkImport).
//
// Format (PostgreSQL documentation, COPY, "Binary Format"): an 11-byte
// signature, a 32-bit flags field and a 32-bit header extension length (both
// 0); then per row a 16-bit field count and per field a 32-bit length (-1 for
// NULL) followed by the value in the type's binary send format; then a 16-bit
// -1. The types used are text (the UTF-8 bytes), bigint (8 bytes, big-endian),
// boolean (one byte) and date (32-bit days since 1 January 2000).

var copySignature = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")

// tuple appends one row's fields in the binary COPY format.
type tuple struct{ b []byte }

func (t *tuple) begin(fields int) { t.b = binary.BigEndian.AppendUint16(t.b, uint16(fields)) }

func (t *tuple) null() { t.b = binary.BigEndian.AppendUint32(t.b, math.MaxUint32) }

func (t *tuple) text(s string) {
	t.b = binary.BigEndian.AppendUint32(t.b, uint32(len(s)))
	t.b = append(t.b, s...)
}

func (t *tuple) int8(v int64) {
	t.b = binary.BigEndian.AppendUint32(t.b, 8)
	t.b = binary.BigEndian.AppendUint64(t.b, uint64(v))
}

func (t *tuple) bool(v bool) {
	t.b = binary.BigEndian.AppendUint32(t.b, 1)
	if v {
		t.b = append(t.b, 1)
	} else {
		t.b = append(t.b, 0)
	}
}

// pgEpochDays is 1 January 2000, PostgreSQL's day 0, in days since 1970.
var pgEpochDays = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Unix() / 86400

// date writes the calendar date of d (in d's location, as pgx does), or
// NULL for the zero time.
func (t *tuple) date(d time.Time) {
	if d.IsZero() {
		t.null()
		return
	}
	y, m, day := d.Date()
	days := time.Date(y, m, day, 0, 0, 0, 0, time.UTC).Unix()/86400 - pgEpochDays
	t.b = binary.BigEndian.AppendUint32(t.b, 4)
	t.b = binary.BigEndian.AppendUint32(t.b, uint32(int32(days)))
}

// value writes a value of the kinds store.ParseValue returns: nil (NULL),
// time.Time (date), int64 (bigint) or string (text).
func (t *tuple) value(v any) error {
	switch v := v.(type) {
	case nil:
		t.null()
	case time.Time:
		t.date(v)
	case int64:
		t.int8(v)
	case string:
		t.text(v)
	default:
		return fmt.Errorf("binary COPY: no encoding for %T", v)
	}
	return nil
}

// copySource is an io.Reader of a whole binary COPY stream of n rows, each
// encoded by row when pgconn asks for more bytes: memory is one buffer of
// about 64 KiB whatever n is.
type copySource struct {
	n, i   int
	row    func(t *tuple, i int) error
	t      tuple // encoded bytes not yet read, from off
	off    int
	sig    bool           // the signature has been written
	done   bool           // the trailer has been written
	onRows func(rows int) // called every 1,000 rows and at the end
}

func (s *copySource) Read(p []byte) (int, error) {
	if s.off > 0 {
		s.t.b = append(s.t.b[:0], s.t.b[s.off:]...)
		s.off = 0
	}
	for len(s.t.b) < len(p) && !s.done {
		switch {
		case !s.sig:
			s.t.b = append(s.t.b, copySignature...)
			s.sig = true
		case s.i < s.n:
			if err := s.row(&s.t, s.i); err != nil {
				return 0, err
			}
			s.i++
			if s.onRows != nil && s.i%1000 == 0 {
				s.onRows(1000)
			}
		default:
			s.t.b = binary.BigEndian.AppendUint16(s.t.b, math.MaxUint16)
			s.done = true
			if s.onRows != nil && s.n%1000 != 0 {
				s.onRows(s.n % 1000)
			}
		}
	}
	k := copy(p, s.t.b)
	s.off = k
	if s.done && k == len(s.t.b) {
		return k, io.EOF
	}
	return k, nil
}

// copyBinary writes n rows into table's cols with COPY (binary), encoding
// row i with row. prog, when not nil, counts the rows as they are sent.
func copyBinary(ctx context.Context, tx pgx.Tx, table string, cols []string, n int, row func(t *tuple, i int) error, prog *progress) error {
	if n == 0 {
		return nil
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = pgx.Identifier{c}.Sanitize()
	}
	src := &copySource{n: n, row: row, t: tuple{b: make([]byte, 0, 80<<10)}}
	if prog != nil {
		src.onRows = prog.add
	}
	_, err := tx.Conn().PgConn().CopyFrom(ctx, src,
		`COPY `+pgx.Identifier{table}.Sanitize()+` (`+strings.Join(quoted, ", ")+`) FROM STDIN WITH (FORMAT binary)`)
	return err
}
