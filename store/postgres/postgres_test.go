package postgres

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"sufficiency/care"
	"sufficiency/internal/storetest"
	"sufficiency/ssda903"
	"sufficiency/store"
)

// testServer returns the URL of the PostgreSQL server to test against, from
// SUFFICIENCY_TEST_PG. Without it the tests are skipped, except in CI
// (CI=true), where they fail: CI must not pass without PostgreSQL.
func testServer(t testing.TB) string {
	t.Helper()
	u := os.Getenv("SUFFICIENCY_TEST_PG")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("SUFFICIENCY_TEST_PG is not set in CI: give the URL of a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable")
		}
		t.Skip("SUFFICIENCY_TEST_PG is not set: skipping the PostgreSQL store tests")
	}
	return u
}

// testDatabase creates a fresh database for this test run and drops it when
// the test ends. It returns a URL for it.
func testDatabase(t testing.TB) string {
	t.Helper()
	server := testServer(t)
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatalf("connect to %s: %v", server, err)
	}
	name := fmt.Sprintf("sufficiency_test_%d_%d", os.Getpid(), time.Now().UnixNano())
	if _, err := admin.Exec(ctx, `CREATE DATABASE `+name); err != nil {
		admin.Close(ctx)
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
		admin.Close(ctx)
	})
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

var schemas atomic.Int64

// openSchema opens a store in a new schema of the database at dbURL.
func openSchema(t testing.TB, dbURL string) *DB {
	t.Helper()
	db, err := Open(context.Background(), newSchema(t, dbURL))
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// newSchema creates a new schema in the database at dbURL and returns the
// URL of the database with it as the search path.
func newSchema(t testing.TB, dbURL string) string {
	t.Helper()
	ctx := context.Background()
	schema := fmt.Sprintf("s%d", schemas.Add(1))
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	u, _ := url.Parse(dbURL)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func TestContract(t *testing.T) {
	dbURL := testDatabase(t)
	storetest.Run(t, func(t *testing.T) store.Store { return openSchema(t, dbURL) })
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	db := openSchema(t, testDatabase(t))
	defer db.Close()
	storetest.MustImport(t, db, storetest.Fixture("E08000003", []int{2025}, 2, ""))
	for _, q := range []string{`UPDATE audit_log SET actor = 'x'`, `DELETE FROM audit_log`, `TRUNCATE audit_log`} {
		if _, err := db.pool.Exec(q); err == nil {
			t.Errorf("%s succeeded", q)
		}
	}
}

// TestMigrationsParallelSQLite checks both stores have the same core
// migrations (versions 1–99, the schema behind store.Store), so a change to
// the core schema is made to both. Versions from 100 are capability
// extensions (e.g. offers) that each store adds when it implements them;
// they are listed, not required.
func TestMigrationsParallelSQLite(t *testing.T) {
	core := func(dir string) []string {
		es, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range es {
			var v int
			if _, err := fmt.Sscanf(e.Name(), "%d_", &v); err != nil {
				t.Fatalf("%s/%s is not named NNNN_name.sql", dir, e.Name())
			}
			if v < 100 {
				out = append(out, e.Name())
			} else {
				t.Logf("%s/%s: extension migration, not part of the core store schema", dir, e.Name())
			}
		}
		return out
	}
	pg, lite := core("migrations"), core("../sqlite/migrations")
	if fmt.Sprint(pg) != fmt.Sprint(lite) {
		t.Errorf("core migrations differ: postgres %v, sqlite %v", pg, lite)
	}
}

// TestTypedTablesMatchReturnTables checks the typed tables have exactly the
// columns store.ReturnTables describes, in the right types.
func TestTypedTablesMatchReturnTables(t *testing.T) {
	db := openSchema(t, testDatabase(t))
	defer db.Close()
	for _, rt := range store.ReturnTables {
		rows, err := db.pool.Query(`SELECT column_name, data_type FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, rt.SQL)
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
		want := []string{"council text", "year bigint", "row_no bigint", "import_id bigint", "line bigint"}
		for _, c := range rt.Columns {
			typ := map[store.Kind]string{store.KindText: "text", store.KindDate: "date", store.KindInt: "bigint", store.KindPence: "bigint"}[c.Kind]
			want = append(want, c.SQL+" "+typ)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s:\n got  %v\n want %v", rt.SQL, got, want)
		}
	}
}

// BenchmarkImport runs the stores' import benchmark on a fresh schema.
//
//	SUFFICIENCY_TEST_PG=postgres://... go test ./store/postgres -run '^$' -bench Import -benchtime 1x
//
// When the server runs on this machine (its processes' /proc/PID/stat are
// readable), it also reports the CPU time of the server processes serving
// the store's connections (server-cpu-s/op; parallel workers of an index
// build are not counted).
func BenchmarkImport(b *testing.B) {
	dbURL := testDatabase(b)
	u, err := url.Parse(dbURL)
	if err != nil {
		b.Fatal(err)
	}
	q := u.Query()
	q.Set("application_name", "sufficiency-import-bench")
	u.RawQuery = q.Encode()
	admin, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close(context.Background())
	serverCPU := func() (time.Duration, bool) {
		rows, err := admin.Query(context.Background(), `SELECT pid FROM pg_stat_activity WHERE application_name = 'sufficiency-import-bench'`)
		if err != nil {
			return 0, false
		}
		pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
		if err != nil || len(pids) == 0 {
			return 0, false
		}
		var sum time.Duration
		for _, pid := range pids {
			d, ok := procCPU(pid)
			if !ok {
				return 0, false
			}
			sum += d
		}
		return sum, true
	}
	storetest.BenchImportServer(b, func(b *testing.B) store.Store { return openSchema(b, u.String()) }, serverCPU)
}

// procCPU is the user + system CPU time of the local process pid, from
// /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s), when it is a
// postgres process.
func procCPU(pid int32) (time.Duration, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	s := string(b)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open || !strings.HasPrefix(s[open+1:end], "postgres") {
		return 0, false
	}
	f := strings.Fields(s[end+1:])
	if len(f) < 13 {
		return 0, false
	}
	var ut, st int64
	fmt.Sscan(f[11], &ut)
	fmt.Sscan(f[12], &st)
	return time.Duration(ut+st) * 10 * time.Millisecond, true
}

func TestEraseContract(t *testing.T) {
	dbURL := testDatabase(t)
	storetest.RunErase(t, func(t *testing.T) store.Store { return openSchema(t, dbURL) })
}

// TestSetBasedIntegrity checks the import's one integrity check refuses an
// episode or needs row whose child is not stored (the per-row foreign keys
// were dropped by migration 0004), and passes a whole history.
func TestSetBasedIntegrity(t *testing.T) {
	db := openSchema(t, testDatabase(t))
	defer db.Close()
	storetest.MustImport(t, db, storetest.Fixture("E08000003", []int{2025}, 3, "i"))
	ctx := context.Background()
	for _, q := range []string{
		"",
		`INSERT INTO episodes (council, child_id, seq, start_date, rne, ls, cin, place, provider, rec, reason_place_change, home_post, pl_post, urn)
			VALUES ('E08000003', 'ghost', 0, '2024-05-01', 'S', 'C2', 'N1', 'U4', 'PR1', '', '', '', '', '')`,
		`INSERT INTO needs (council, child_id, tier, risks, disability, mental_health, communication, solo_recommended, deprivation_of_liberty)
			VALUES ('E08000003', 'ghost', 1, '', false, false, '', false, false)`,
	} {
		err := db.write(ctx, "test", func(tx pgx.Tx) error {
			if q != "" {
				if _, err := tx.Exec(ctx, q); err != nil {
					return err
				}
			}
			return checkIntegrity(ctx, tx, "E08000003")
		})
		if want := q != ""; (care.ErrorCode(err) == care.EINVALID) != want || (!want && err != nil) {
			t.Errorf("%.40s: %v", q, err)
		}
	}
}

// TestBulkFirstImportRebuildsIndexes checks that the first large imports of
// a database, which build the episodes' secondary indexes after writing
// (deferEpisodeIndexes), leave exactly the indexes the migrations define,
// that two such imports at once both succeed (one waits for the other), and
// that the indexes are used as before by a later import.
func TestBulkFirstImportRebuildsIndexes(t *testing.T) {
	db := openSchema(t, testDatabase(t))
	defer db.Close()
	ctx := context.Background()
	indexes := func() string {
		rows, err := db.pool.QueryContext(ctx, `SELECT indexname || ': ' || indexdef FROM pg_indexes
			WHERE schemaname = current_schema() AND tablename = 'episodes' ORDER BY indexname`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			rows.Scan(&s)
			out = append(out, s)
		}
		return fmt.Sprint(out)
	}
	want := indexes()
	if !strings.Contains(want, "episodes_district") {
		t.Fatalf("the migrations define no episodes_district index: %s", want)
	}
	a := storetest.Large(bulkEpisodes)
	b := recouncil(storetest.Large(bulkEpisodes), "E08000003")
	errs := make(chan error, 2)
	for _, imp := range []store.Import{a, b} {
		go func() { _, err := db.ImportReturns(ctx, imp); errs <- err }()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if got := indexes(); got != want {
		t.Errorf("indexes after the first imports:\n got  %s\n want %s", got, want)
	}
	var n int
	if err := db.pool.QueryRowContext(ctx, `SELECT COUNT(*) FROM episodes WHERE pl_district = 'M14'`).Scan(&n); err != nil || n != 2*bulkEpisodes {
		t.Errorf("episodes in M14: %d, %v; want %d", n, err, 2*bulkEpisodes)
	}
	// A later import keeps the indexes (others' episodes are stored).
	if _, err := db.ImportReturns(ctx, a); err != nil {
		t.Fatal(err)
	}
	if got := indexes(); got != want {
		t.Errorf("indexes after a later import:\n got  %s\n want %s", got, want)
	}
}

// recouncil moves imp to council code.
func recouncil(imp store.Import, code string) store.Import {
	imp.Council = code
	imp.Children = append([]care.Child(nil), imp.Children...)
	for i := range imp.Children {
		imp.Children[i].Council = code
	}
	imp.Episodes = append([]care.Episode(nil), imp.Episodes...)
	for i := range imp.Episodes {
		imp.Episodes[i].Council = code
	}
	rets := make([]*ssda903.Return, len(imp.Returns))
	for i, r := range imp.Returns {
		c := *r
		c.Council = code
		rets[i] = &c
	}
	imp.Returns = rets
	return imp
}

// TestImportsOfCouncilsOverlap checks an import does not wait for another
// council's import to commit (migration 0705: the data version is bumped at
// commit by a deferred trigger, not when the import row is written), and
// that each import still bumps the data version once, when it commits.
func TestImportsOfCouncilsOverlap(t *testing.T) {
	db := openSchema(t, testDatabase(t))
	defer db.Close()
	ctx := context.Background()
	v0, err := db.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Another import, in progress: its import row written, not committed.
	conn, err := db.pool.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN`); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO councils (code, created_at) VALUES ('E08000021', now())`,
		`INSERT INTO imports (council, actor, imported_at, children, episodes, errors, warnings, accepted_errors) VALUES ('E08000021', 't', now(), 0, 0, 0, 0, false)`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	wait, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if _, err := db.ImportReturns(wait, storetest.Fixture("E08000003", []int{2025}, 2, "")); err != nil {
		t.Fatalf("an import while another council's import is open: %v", err)
	}
	if v, err := db.DataVersion(ctx); err != nil || v != v0+1 {
		t.Errorf("data version after one import committed: %d, %v; want %d", v, err, v0+1)
	}
	if _, err := conn.ExecContext(ctx, `COMMIT`); err != nil {
		t.Fatal(err)
	}
	if v, err := db.DataVersion(ctx); err != nil || v != v0+2 {
		t.Errorf("data version after both committed: %d, %v; want %d", v, err, v0+2)
	}
}

// TestBulkLoadIsCrashSafe: BeginBulkLoad drops the episodes' secondary
// indexes and records them; a store closed before EndBulkLoad (a stopped
// import) has them built again, as the migrations define them, when next
// opened.
func TestBulkLoadIsCrashSafe(t *testing.T) {
	ctx := context.Background()
	dbURL := newSchema(t, testDatabase(t))
	db, err := Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	indexes := func(db *DB) map[string]string {
		t.Helper()
		rows, err := db.pool.QueryContext(ctx, `SELECT indexname, indexdef FROM pg_indexes
			WHERE schemaname = current_schema() AND tablename = 'episodes' AND indexname <> 'episodes_pkey'`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		out := map[string]string{}
		for rows.Next() {
			var n, d string
			if err := rows.Scan(&n, &d); err != nil {
				t.Fatal(err)
			}
			out[n] = d
		}
		return out
	}
	want := indexes(db)
	if len(want) != 3 {
		t.Fatalf("episodes' indexes %v; want the three of the migrations", want)
	}
	if deferred, err := db.BeginBulkLoad(ctx); err != nil || !deferred {
		t.Fatalf("BeginBulkLoad = %v, %v", deferred, err)
	}
	if got := indexes(db); len(got) != 0 {
		t.Errorf("indexes left during a bulk load: %v", got)
	}
	storetest.MustImport(t, db, storetest.Fixture("E08000003", []int{2025}, 20, "a"))
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, err = Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := indexes(db); !reflect.DeepEqual(got, want) {
		t.Errorf("indexes after reopening %v; want %v", got, want)
	}
	var left int
	if err := db.pool.QueryRowContext(ctx, `SELECT COUNT(*) FROM deferred_indexes`).Scan(&left); err != nil || left != 0 {
		t.Errorf("deferred_indexes holds %d rows (%v); want none", left, err)
	}
	if deferred, err := db.BeginBulkLoad(ctx); err != nil || deferred {
		t.Errorf("BeginBulkLoad with episodes stored = %v, %v; want false", deferred, err)
	}
}
