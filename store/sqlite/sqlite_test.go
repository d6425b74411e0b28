package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/internal/storetest"
	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

func openTemp(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
}

// TestForeignKeysOnEveryConnection holds several connections of each pool at
// once and checks each has foreign keys and the busy timeout set.
func TestForeignKeysOnEveryConnection(t *testing.T) {
	db := openTemp(t)
	defer db.Close()
	ctx := context.Background()
	for _, pool := range []struct {
		name string
		db   *sql.DB
		n    int
	}{{"writer", db.w, 1}, {"reader", db.r, 4}} {
		var conns []*sql.Conn
		for i := 0; i < pool.n; i++ {
			c, err := pool.db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
		}
		for i, c := range conns {
			var fk, busy int
			if err := c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
				t.Fatal(err)
			}
			if err := c.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy); err != nil {
				t.Fatal(err)
			}
			if fk != 1 || busy != busyTimeout {
				t.Errorf("%s connection %d: foreign_keys=%d busy_timeout=%d", pool.name, i, fk, busy)
			}
		}
		for _, c := range conns {
			c.Close()
		}
	}
	var mode string
	if err := db.r.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode %q, %v; want wal", mode, err)
	}
	if _, err := db.r.ExecContext(ctx, "INSERT INTO councils (code, created_at) VALUES ('X', 'now')"); err == nil {
		t.Error("reader pool accepted a write")
	}
}

// TestMigrationsMatchReturnTables checks every raw table of the schema has
// exactly the columns store.ReturnTables describes, with the right types.
func TestMigrationsMatchReturnTables(t *testing.T) {
	db := openTemp(t)
	defer db.Close()
	for _, rt := range store.ReturnTables {
		rows, err := db.r.Query(`SELECT name, type FROM pragma_table_info(?) ORDER BY cid`, rt.SQL)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for rows.Next() {
			var name, typ string
			rows.Scan(&name, &typ)
			got = append(got, name+" "+typ)
		}
		rows.Close()
		want := []string{"council TEXT", "year INTEGER", "row_no INTEGER", "import_id INTEGER", "line INTEGER"}
		for _, c := range rt.Columns {
			typ := "TEXT"
			if c.Kind == store.KindInt || c.Kind == store.KindPence {
				typ = "INTEGER"
			}
			want = append(want, c.SQL+" "+typ)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s:\n got  %v\n want %v", rt.SQL, got, want)
		}
	}
}

func TestOpenTwiceMigratesOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	for i := 0; i < 2; i++ {
		db, err := Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		db.r.QueryRow(`SELECT COUNT(*) FROM schema_migrations`).Scan(&n)
		ms, _ := migrations()
		if n != len(ms) {
			t.Errorf("open %d: %d migrations recorded, want %d", i, n, len(ms))
		}
		db.Close()
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	newer := filepath.Join(dir, "newer.db")
	db, err := Open(context.Background(), newer)
	if err != nil {
		t.Fatal(err)
	}
	db.w.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 'x')`)
	db.Close()
	notDB := filepath.Join(dir, "text.db")
	os.WriteFile(notDB, []byte("this is not a database, just some text that is long enough to look like a header...."), 0o644)
	cases := []struct {
		name, path, code string
	}{
		{"ErrNewerSchema", newer, care.ECONFLICT},
		{"ErrNoFolder", filepath.Join(dir, "missing", "x.db"), care.EINVALID},
		{"ErrQuestionMark", filepath.Join(dir, "a?b.db"), care.EINVALID},
		{"ErrBlank", "", care.EINVALID},
		{"ErrNotADatabase", notDB, care.EINVALID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db, err := Open(context.Background(), c.path)
			if err == nil {
				db.Close()
				t.Fatal("opened")
			}
			if care.ErrorCode(err) != c.code {
				t.Errorf("code %q (%v), want %q", care.ErrorCode(err), err, c.code)
			}
		})
	}
}

// dump returns every row of every table as text, for row-for-row comparison.
func dump(t *testing.T, db *DB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	rows, err := db.r.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	for _, name := range tables {
		rs, err := db.r.Query(`SELECT * FROM "` + name + `"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rs.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rs.Next() {
			rs.Scan(ptrs...)
			var b strings.Builder
			for _, v := range vals {
				b.Write(must(v))
				b.WriteByte('|')
			}
			out[name] = append(out[name], b.String())
		}
		rs.Close()
		slices.Sort(out[name])
	}
	return out
}

func must(v any) []byte {
	switch x := v.(type) {
	case nil:
		return []byte("NULL")
	case []byte:
		return x
	}
	return []byte(fmt.Sprint(v))
}

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func checkpoint(t *testing.T, db *DB) {
	t.Helper()
	if _, err := db.w.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
}

// TestFailureMidImportLeavesFileUnchanged injects a failure after part of an
// import has been written and checks the database is row-for-row and, once
// checkpointed, byte-for-byte as it was.
func TestFailureMidImportLeavesFileUnchanged(t *testing.T) {
	db := openTemp(t)
	defer db.Close()
	storetest.MustImport(t, db, storetest.Fixture("E08000003", []int{2024, 2025}, 40, "a"))
	storetest.MustImport(t, db, storetest.Fixture("E08000004", []int{2025}, 10, "b"))
	checkpoint(t, db)
	rowsBefore := dump(t, db)
	hashBefore := fileHash(t, db.path)

	for _, after := range []int{1, 150, 700} {
		db.failAfterRows = after
		_, err := db.ImportReturns(context.Background(), storetest.Fixture("E08000003", []int{2025, 2026}, 200, "c"))
		if !errors.Is(err, errInjected) {
			t.Fatalf("failAfterRows=%d: %v", after, err)
		}
	}
	db.failAfterRows = 0
	checkpoint(t, db)
	if rowsAfter := dump(t, db); !mapsEqual(rowsBefore, rowsAfter) {
		t.Errorf("rows changed after failed imports")
	}
	if fileHash(t, db.path) != hashBefore {
		t.Errorf("database file changed after failed imports")
	}
	// And the store still works.
	storetest.MustImport(t, db, storetest.Fixture("E08000003", []int{2025}, 5, "d"))
}

func mapsEqual(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

func TestClockIsInjected(t *testing.T) {
	db := openTemp(t)
	defer db.Close()
	at := time.Date(2026, 3, 31, 23, 59, 58, 123, time.FixedZone("BST", 3600))
	db.Now = func() time.Time { return at }
	storetest.MustImport(t, db, storetest.Fixture("E08000003", []int{2025}, 2, ""))
	recs, err := db.Imports(context.Background(), "E08000003")
	if err != nil || len(recs) != 1 || !recs[0].At.Equal(at) || recs[0].At.Location() != time.UTC {
		t.Fatalf("import time %v (%v), want %v in UTC", recs, err, at)
	}
	db.Children(store.WithActor(context.Background(), "bob"), "E08000003")
	ev, _ := db.AuditLog(context.Background(), store.AuditFilter{Actor: "bob"})
	if len(ev) != 1 || !ev[0].At.Equal(at) {
		t.Errorf("audit %+v", ev)
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	db := openTemp(t)
	defer db.Close()
	storetest.MustImport(t, db, storetest.Fixture("E08000003", []int{2025}, 2, ""))
	for _, q := range []string{`UPDATE audit_log SET actor = 'x'`, `DELETE FROM audit_log`} {
		if _, err := db.w.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", q, err)
		}
	}
}

// TestWritersQueue checks two writers at once both succeed (IMMEDIATE
// transactions wait on the busy timeout instead of failing).
func TestWritersQueue(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	a, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			db := a
			if i%2 == 1 {
				db = b
			}
			_, errs[i] = db.ImportReturns(context.Background(), storetest.Fixture("E0800000"+string(rune('1'+i)), []int{2025}, 300, ""))
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}
	cs, _ := a.Councils(context.Background())
	if len(cs) != 4 {
		t.Errorf("%d councils, want 4", len(cs))
	}
}

func TestEraseContract(t *testing.T) {
	storetest.RunErase(t, func(t *testing.T) store.Store { return openTemp(t) })
}

// TestEpisodesOutOfPlanOrder: when the statement without ORDER BY returns
// its rows out of (council, child_id, seq) order, EpisodesWhere notices and
// reads them sorted: the contract's EpisodesWhere still holds.
func TestEpisodesOutOfPlanOrder(t *testing.T) {
	saved := episodesInPlanOrderSQL
	t.Cleanup(func() { episodesInPlanOrderSQL = saved })
	broke := 0
	episodesInPlanOrderSQL = func(d sqlshared.Dialect, q store.EpisodeQuery, dateArg func(time.Time) any) (string, []any, error) {
		text, args, err := saved(d, q, dateArg)
		broke++
		return text + " ORDER BY e.council DESC, e.child_id DESC, e.seq DESC", args, err
	}
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
	if broke == 0 {
		t.Error("the statement in plan order was never used")
	}
	// And rawEpisodes itself tells the order apart.
	db := openTemp(t)
	defer db.Close()
	imp := store.Import{Council: "E06000001"}
	for _, id := range []string{"a", "b"} {
		imp.Children = append(imp.Children, care.Child{Council: "E06000001", ID: id, Sex: care.Female, DOB: care.Date(2010, 1, 1), Ethnicity: "WBRI"})
		for k := 0; k < 2; k++ {
			e := care.Episode{Council: "E06000001", ChildID: id, Start: care.Date(2023, time.Month(1+k), 1), ReasonNew: "P", LegalStatus: "C2", CategoryOfNeed: "N1",
				Placement: "U4", Provider: care.ProviderPrivate}
			if k == 0 {
				e.End, e.ReasonEnded = care.Date(2023, 2, 1), "X1"
			}
			imp.Episodes = append(imp.Episodes, e)
		}
	}
	storetest.MustImport(t, db, imp)
	q := store.EpisodeQuery{At: care.Date(2024, 1, 1), Runs: true}
	text, args, err := saved(sqlshared.SQLite, q, func(t time.Time) any { return store.DateString(t) })
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		order string
		want  error
	}{
		{"", nil},
		{" ORDER BY e.council, e.child_id, e.seq", nil},
		{" ORDER BY e.council, e.child_id DESC, e.seq", errOutOfOrder},
		{" ORDER BY e.council, e.child_id, e.seq DESC", errOutOfOrder},
	} {
		err := db.rawRead(context.Background(), "test", func(c *rawConn) error {
			es, err := rawEpisodes(c, text+tc.order, args, true)
			if err == nil && len(es) != 4 {
				t.Errorf("%q: %d episodes, want 4", tc.order, len(es))
			}
			return err
		})
		if !errors.Is(err, tc.want) {
			t.Errorf("%q: %v, want %v", tc.order, err, tc.want)
		}
	}
}

// episodeIndexes is the SQL of the episodes' indexes, by name.
func episodeIndexes(t *testing.T, db *DB) map[string]string {
	t.Helper()
	rows, err := db.r.Query(`SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'episodes' AND sql IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var n, s string
		if err := rows.Scan(&n, &s); err != nil {
			t.Fatal(err)
		}
		out[n] = s
	}
	return out
}

// TestBulkLoadIsCrashSafe: BeginBulkLoad drops the episodes' secondary
// indexes and records them; a store closed before EndBulkLoad (a stopped
// import) has them built again, as the migrations define them, when next
// opened.
func TestBulkLoadIsCrashSafe(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bulk.db")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	want := episodeIndexes(t, db)
	if len(want) != 3 {
		t.Fatalf("episodes' indexes %v; want the three of the migrations", want)
	}
	if deferred, err := db.BeginBulkLoad(context.Background()); err != nil || !deferred {
		t.Fatalf("BeginBulkLoad = %v, %v", deferred, err)
	}
	if got := episodeIndexes(t, db); len(got) != 0 {
		t.Errorf("indexes left during a bulk load: %v", got)
	}
	storetest.MustImport(t, db, storetest.Fixture("E08000003", []int{2025}, 20, "a"))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := episodeIndexes(t, db); !reflect.DeepEqual(got, want) {
		t.Errorf("indexes after reopening %v; want %v", got, want)
	}
	var left int
	if err := db.r.QueryRow(`SELECT COUNT(*) FROM deferred_indexes`).Scan(&left); err != nil || left != 0 {
		t.Errorf("deferred_indexes holds %d rows (%v); want none", left, err)
	}
	if deferred, err := db.BeginBulkLoad(context.Background()); err != nil || deferred {
		t.Errorf("BeginBulkLoad with episodes stored = %v, %v; want false", deferred, err)
	}
}
