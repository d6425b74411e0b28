package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/internal/storetest"
	"sufficiency/store"
)

// TestImportConnSettings checks the connection imports write through has the
// pools' settings except foreign keys, which checkChildren checks once per
// import, and that a new file gets 16 KiB pages.
func TestImportConnSettings(t *testing.T) {
	db := openTemp(t)
	defer db.Close()
	ctx := context.Background()
	c, err := openRawConn(db.path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	for _, p := range []struct {
		pragma string
		want   int64
	}{{"foreign_keys", 0}, {"busy_timeout", busyTimeout}, {"synchronous", 1}, {"page_size", 16384}} {
		got, err := c.queryInt64s(ctx, "PRAGMA "+p.pragma)
		if err != nil || len(got) != 1 || got[0] != p.want {
			t.Errorf("PRAGMA %s = %v (%v), want %d", p.pragma, got, err, p.want)
		}
	}
	if mode, _, err := c.queryText(ctx, "PRAGMA journal_mode"); err != nil || mode != "wal" {
		t.Errorf("journal_mode %q (%v), want wal", mode, err)
	}
	// An episode without its child is written, and checkChildren finds it,
	// naming the child; a council whose rows all have their child passes.
	if err := c.exec(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO councils (code, created_at) VALUES ('X', '2025-01-01T00:00:00Z'), ('Y', '2025-01-01T00:00:00Z')`,
		`INSERT INTO children (council, child_id, sex, dob, ethnicity, upn, uasc) VALUES ('Y', 'c1', '1', '2010-01-01', '', '', 0)`,
		`INSERT INTO episodes (council, child_id, seq, start_date, rne, ls, cin, place, provider, rec,
			reason_place_change, home_post, pl_post, urn) VALUES ('X', 'nobody', 0, '2025-01-01', '', '', '', '', '', '', '', '', '', ''),
			('Y', 'c1', 0, '2025-01-01', '', '', '', '', '', '', '', '', '', '')`,
	} {
		if err := c.exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	err = checkChildren(ctx, c, "X")
	if care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), `"nobody"`) {
		t.Errorf("episode without a child: %v, want EINVALID naming the child", err)
	}
	if err := checkChildren(ctx, c, "Y"); err != nil {
		t.Errorf("council whose episodes have their children: %v", err)
	}
	if err := c.exec(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
}

// TestRawReaderSettings checks a raw reader (readraw.go) refuses writes,
// waits for a writer as the pools do and maps the file.
func TestRawReaderSettings(t *testing.T) {
	db := openTemp(t)
	defer db.Close()
	ctx := context.Background()
	err := db.rawRead(ctx, "settings", func(c *rawConn) error {
		for _, p := range []struct {
			pragma string
			want   int64
		}{{"query_only", 1}, {"busy_timeout", busyTimeout}, {"mmap_size", mmapSize}} {
			got, err := c.queryInt64s(ctx, "PRAGMA "+p.pragma)
			if err != nil || len(got) != 1 || got[0] != p.want {
				t.Errorf("PRAGMA %s = %v (%v), want %d", p.pragma, got, err, p.want)
			}
		}
		if err := c.exec(ctx, `INSERT INTO councils (code, created_at) VALUES ('X', '2025-01-01T00:00:00Z')`); err == nil {
			t.Error("a raw reader wrote a row")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRawOpenErrors(t *testing.T) {
	if _, err := openRawConn(filepath.Join(t.TempDir(), "missing", "x.db")); err == nil {
		t.Error("opened a file in a missing folder")
	}
}

// TestRawValues checks values are bound as the database/sql path bound them:
// dates as store.DateString, zero dates NULL, and each type as given.
func TestRawValues(t *testing.T) {
	db := openTemp(t)
	defer db.Close()
	c, err := openRawConn(db.path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	ctx := context.Background()
	s, err := c.prepare(`SELECT quote(?1), typeof(?1)`)
	if err != nil {
		t.Fatal(err)
	}
	defer s.finalize()
	check := func(v rawValue, want string) {
		t.Helper()
		if err := s.bind([]rawValue{v}); err != nil {
			t.Fatal(err)
		}
		row, err := s.step()
		if err != nil || !row {
			t.Fatalf("step: %v %v", row, err)
		}
		got := s.columnText(0) + " " + s.columnText(1)
		for row {
			row, err = s.step()
		}
		if got != want {
			t.Errorf("bound %+v: got %s, want %s", v, got, want)
		}
	}
	for _, d := range []time.Time{care.Date(2025, 3, 31), care.Date(1999, 12, 1), care.Date(2004, 2, 29), care.Date(1, 1, 2),
		time.Date(2025, 3, 31, 23, 30, 0, 0, time.UTC)} {
		check(dateValue(d), "'"+store.DateString(d)+"' text")
	}
	check(dateValue(time.Time{}), "NULL null")
	check(textValue("O'Neil"), "'O''Neil' text")
	check(textValue(""), "'' text")
	check(intValue(-42), "-42 integer")
	check(rawValue{}, "NULL null")
	long := strings.Repeat("x", 100000) // bigger than the buffer so far
	check(textValue(long), "'"+long+"' text")
	check(rawValue{kind: rawBlob, b: []byte{0, 1, 0xff}}, "X'0001FF' blob")
	for _, v := range []any{nil, "a", 7, int64(8), true, []byte("b"), care.Date(2020, 1, 2)} {
		if _, err := rawValueOf(v); err != nil {
			t.Errorf("rawValueOf(%T): %v", v, err)
		}
	}
	if _, err := rawValueOf(1.5); err == nil {
		t.Error("rawValueOf(float64) accepted")
	}
	if err := s.bind(nil); err == nil {
		t.Error("bind with too few values accepted")
	}
	if err := c.exec(ctx, "SELECT ?", struct{}{}); err == nil {
		t.Error("exec with an unsupported value accepted")
	}
	if err := c.exec(ctx, "NOT SQL"); err == nil || !strings.Contains(err.Error(), "syntax error") {
		t.Errorf("bad SQL: %v", err)
	}
	if err := c.exec(ctx, "SELECT 1; SELECT 2"); err == nil || !strings.Contains(err.Error(), "more than one statement") {
		t.Errorf("two statements: %v", err)
	}
	if err := c.exec(ctx, "SELECT 1;  "); err != nil {
		t.Errorf("one statement and a semicolon: %v", err)
	}
}

// TestImportBatches imports episodes with and without costs, interleaved, over
// several full batches and a part batch of each statement, and reads them back.
func TestImportBatches(t *testing.T) {
	db := openTemp(t)
	defer db.Close()
	ctx := context.Background()
	imp := storetest.Fixture("E08000003", []int{2024, 2025}, 700, "m")
	for i := range imp.Episodes {
		if i%3 != 0 {
			imp.Episodes[i].WeeklyCost = 0
			imp.Episodes[i].Funding = care.Funding{}
		}
		if i%5 == 0 {
			imp.Episodes[i].End = time.Time{}
		}
	}
	if len(imp.Episodes) < 3*maxBatchRows {
		t.Fatalf("only %d episodes", len(imp.Episodes))
	}
	storetest.MustImport(t, db, imp)
	want, err := store.PrepareImport(imp)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Episodes(ctx, "E08000003")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want.Episodes) {
		t.Errorf("episodes differ after import (%d read, %d imported)", len(got), len(want.Episodes))
	}
	children, err := db.Children(ctx, "E08000003")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(children, want.Children) {
		t.Errorf("children differ after import (%d read, %d imported)", len(children), len(want.Children))
	}
}

// TestImportCancelledMidway cancels an import while it writes: it fails with
// the cancellation and leaves the database as it was.
func TestImportCancelledMidway(t *testing.T) {
	db := openTemp(t)
	defer db.Close()
	storetest.MustImport(t, db, storetest.Fixture("E08000003", []int{2024, 2025}, 40, "a"))
	checkpoint(t, db)
	rowsBefore := dump(t, db)
	hashBefore := fileHash(t, db.path)
	for _, at := range []int{1, 2, 5} {
		ctx, cancel := context.WithCancel(context.Background())
		imp := storetest.Fixture("E08000003", []int{2025, 2026}, 3000, "c")
		calls := 0
		imp.Progress = func(done, total int) {
			calls++
			if calls == at {
				cancel()
			}
		}
		_, err := db.ImportReturns(ctx, imp)
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled at report %d: %v, want context.Canceled", at, err)
		}
	}
	checkpoint(t, db)
	if !mapsEqual(rowsBefore, dump(t, db)) {
		t.Errorf("rows changed after cancelled imports")
	}
	if fileHash(t, db.path) != hashBefore {
		t.Errorf("database file changed after cancelled imports")
	}
	storetest.MustImport(t, db, storetest.Fixture("E08000003", []int{2025}, 5, "d"))
}

// TestImportWaitsForWriter checks an import waits for a write transaction of
// the same process (it holds the writer pool's connection) instead of failing.
func TestImportWaitsForWriter(t *testing.T) {
	db := openTemp(t)
	defer db.Close()
	ctx := context.Background()
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() {
		_, err := db.ImportReturns(ctx, storetest.Fixture("E08000003", []int{2025}, 3, ""))
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("import finished during another write: %v", err)
	case <-time.After(200 * time.Millisecond):
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO councils (code, created_at) VALUES ('E08000009', 'x')`); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM councils`).Scan(&n); err != nil || n != 2 {
		t.Errorf("%d councils (%v), want 2", n, err)
	}
}

// TestRawBulkRowCounts: every number of rows, below, at and above a full
// batch and with remainders of many powers of two, is written once each, in
// order, with the constant columns bound from the statement's first
// parameters; the statements are kept by the connection, so a second table
// with other constants reuses them.
func TestRawBulkRowCounts(t *testing.T) {
	db := openTemp(t)
	defer db.Close()
	c, err := openRawConn(db.path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	ctx := context.Background()
	if err := c.exec(ctx, `CREATE TABLE bulk_test (k TEXT NOT NULL, y INTEGER NOT NULL, i INTEGER NOT NULL, s TEXT NOT NULL) STRICT`); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 1, 2, 3, 127, 199, 200, 201, 455, 600} {
		key := fmt.Sprintf("k%d", n)
		b := newRawBulkConst(ctx, c, "bulk_test", []string{"k", "y"}, []rawValue{textValue(key), intValue(int64(n))}, []string{"i", "s"}, nil)
		for i := range n {
			if err := b.add(intValue(int64(i)), textValue(fmt.Sprintf("row %d of %d", i, n))); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.close(); err != nil {
			t.Fatal(err)
		}
		rows, err := c.queryTexts(ctx, `SELECT y, i, s FROM bulk_test WHERE k = ? ORDER BY rowid`, 3, key)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != n {
			t.Fatalf("%d rows: %d stored", n, len(rows))
		}
		for i, r := range rows {
			if want := []string{fmt.Sprint(n), fmt.Sprint(i), fmt.Sprintf("row %d of %d", i, n)}; !reflect.DeepEqual(r, want) {
				t.Fatalf("%d rows: row %d is %v; want %v", n, i, r, want)
			}
		}
	}
	// 200 (a full batch), then the powers of two of the remainders of 3, 127,
	// 201, 455 and 600: 1, 2, 4, 8, 16, 32, 64 and 128, besides the
	// statements of the test's own queries.
	bulk := 0
	for k := range c.stmts {
		if strings.HasPrefix(k, `INSERT OR ROLLBACK INTO "bulk_test"`) {
			bulk++
		}
	}
	if bulk != 9 {
		t.Errorf("%d INSERT statements kept; want 9", bulk)
	}
}
