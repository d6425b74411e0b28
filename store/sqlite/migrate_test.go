package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"sufficiency/care"
	"sufficiency/store"
)

// TestMigration0002FillsStoredRows opens a database written at schema 0001
// (before councils kept their counts and dates, and episodes their placement
// district) and checks the upgrade fills them for the rows already stored, so
// the scoped reads answer as they do for data imported afterwards.
func TestMigration0002FillsStoredRows(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if ms[0].Version != 1 {
		t.Fatalf("first migration %d", ms[0].Version)
	}
	for _, q := range []string{ms[0].SQL,
		`CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`,
		`INSERT INTO schema_migrations VALUES (1, 'init', '2025-01-01T00:00:00Z')`,
		`INSERT INTO councils VALUES ('E08000003', '2025-01-01T00:00:00Z'), ('E06000001', '2025-01-01T00:00:00Z')`,
		`INSERT INTO children (council, child_id, sex, dob, ethnicity, upn, uasc) VALUES
			('E08000003', 'a', '1', '2010-01-01', 'WBRI', '', 0), ('E08000003', 'b', '1', '2010-01-01', 'WBRI', '', 0),
			('E06000001', 'a', '2', '2011-01-01', 'WBRI', '', 0)`,
		`INSERT INTO episodes (council, child_id, seq, start_date, end_date, rne, ls, cin, place, provider, rec, reason_place_change, home_post, pl_post, urn) VALUES
			('E08000003', 'a', 0, '2020-04-01', '2021-02-01', 'S', 'C2', 'N1', 'U4', 'PR1', 'X1', '', '', 'm145ab', ''),
			('E08000003', 'a', 1, '2021-02-01', NULL, 'P', 'C2', 'N1', 'U4', 'PR1', '', '', '', 'TS25 1', ''),
			('E08000003', 'b', 0, '2019-07-01', '2024-03-31', 'S', 'C2', 'N1', 'U4', 'PR1', 'E11', '', '', 'not one', ''),
			('E06000001', 'a', 0, '2022-01-05', NULL, 'S', 'C2', 'N1', 'U4', 'PR1', '', '', '', 'M14 5', 'SC1')`,
	} {
		if _, err := old.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	old.Close()

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sums, err := db.Councils(ctx)
	if err != nil {
		t.Fatal(err)
	}
	d := care.Date
	want := map[string]store.CouncilSummary{
		"E06000001": {Children: 1, Episodes: 1, Span: store.Span{FirstStart: d(2022, 1, 5), LastEvent: d(2022, 1, 5)}},
		"E08000003": {Children: 2, Episodes: 3, Span: store.Span{FirstStart: d(2019, 7, 1), LastEvent: d(2024, 3, 31), FirstEnd: d(2021, 2, 1)}},
	}
	for _, s := range sums {
		w := want[s.Council]
		if s.Children != w.Children || s.Episodes != w.Episodes || s.Span != w.Span {
			t.Errorf("%s: %+v, want %+v", s.Council, s, w)
		}
	}
	got, err := db.EpisodesWhere(ctx, store.EpisodeQuery{At: d(2023, 1, 1), Districts: []string{"M14", "TS25"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Council != "E06000001" || got[1].PlacementPostcode != "TS25 1" {
		t.Errorf("placed in M14 or TS25 on 1 January 2023: %+v", got)
	}
	runs, err := db.EpisodesWhere(ctx, store.EpisodeQuery{At: d(2023, 1, 1), Except: []string{"E06000001"}, Districts: []string{"TS25"}, Runs: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[0].PlacementPostcode != "m145ab" {
		t.Errorf("the history of the child placed in TS25: %+v", runs)
	}
}
