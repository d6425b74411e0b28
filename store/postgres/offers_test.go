package postgres

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"sufficiency/internal/storetest"
	"sufficiency/match"
	"sufficiency/offers"
	"sufficiency/store"
	"sufficiency/workflow"
)

// schemaURL creates a new schema in the database at dbURL and returns a URL
// whose search_path selects it, so several handles can open the same store.
func schemaURL(t testing.TB, dbURL string) string {
	t.Helper()
	ctx := context.Background()
	schema := fmt.Sprintf("s%d", schemas.Add(1))
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// openURL opens the store at u and closes it when the test ends.
func openURL(t testing.TB, u string) *DB {
	t.Helper()
	db, err := Open(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// offersOpener opens each store in a fresh schema of one database made for
// the test run; connect opens another *DB (its own connection pool) on the
// same schema.
func offersOpener(dbURL string) storetest.OffersOpener {
	return func(t testing.TB, now func() time.Time) (storetest.OffersStore, func(testing.TB) storetest.OffersStore) {
		t.Helper()
		u := schemaURL(t, dbURL)
		db := openURL(t, u)
		db.Now = now
		return db, func(t testing.TB) storetest.OffersStore { return openURL(t, u) }
	}
}

func TestOffersContract(t *testing.T) {
	storetest.RunOffers(t, offersOpener(testDatabase(t)))
}

func TestDraftsContract(t *testing.T) {
	storetest.RunDrafts(t, offersOpener(testDatabase(t)))
}

// TestSentReferralIsPseudonymousInTables reads every row of every table of
// the store's schema as text after a send and a decline, and looks for the
// council's CHILD id, referral id, full date of birth and full postcodes.
func TestSentReferralIsPseudonymousInTables(t *testing.T) {
	open := offersOpener(testDatabase(t))
	st, _ := storetest.OpenWithSupply(t, open, nil, nil, nil)
	db := st.(*DB)
	ctx := context.Background()
	sent, err := offers.Send(ctx, db, mustIndex(t, db), storetest.OfferReferral(t), offers.SendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := offers.Decline(ctx, db, sent.Referral.Reference, sent.Offers[0].ProvisionID, workflow.ReasonLocation, "", "p"); err != nil {
		t.Fatal(err)
	}
	rows, err := db.pool.QueryContext(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, name)
	}
	rows.Close()
	var all strings.Builder
	for _, table := range tables {
		var text *string
		if err := db.pool.QueryRowContext(ctx, `SELECT string_agg(x::text, E'\n') FROM `+pgx.Identifier{table}.Sanitize()+` x`).Scan(&text); err != nil {
			t.Fatal(err)
		}
		if text != nil {
			all.WriteString(*text)
		}
	}
	for _, banned := range storetest.OfferBanned {
		if strings.Contains(all.String(), banned) {
			t.Errorf("a table holds %q", banned)
		}
	}
	if !strings.Contains(all.String(), sent.Referral.Reference) || len(tables) < 8 {
		t.Fatalf("the scan of %d tables found not even the reference: is it reading the right schema?", len(tables))
	}
}

func TestOfferEventsAppendOnly(t *testing.T) {
	st, _ := storetest.OpenWithSupply(t, offersOpener(testDatabase(t)), nil, nil, nil)
	db := st.(*DB)
	if _, err := db.SendReferral(context.Background(), workflow.SentReferral{Reference: "R-APND-0001", Council: "E08000009"}, 1,
		[]workflow.Entry{{Rank: 1, ProvisionID: "H1", VacancyID: "V-H1"}}, "c"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`UPDATE offer_events SET actor = 'x'`, `DELETE FROM offer_events`, `TRUNCATE offer_events`} {
		if _, err := db.pool.Exec(q); err == nil {
			t.Errorf("%s succeeded", q)
		}
	}
}

// TestMigrationsAddedToExistingDatabase checks a database made before the
// offers and web migrations existed (its schema at versions 1 and 300) gets
// them on opening, and keeps what it had.
func TestMigrationsAddedToExistingDatabase(t *testing.T) {
	u := schemaURL(t, testDatabase(t))
	db := openURL(t, u)
	ctx := context.Background()
	storetest.MustImport(t, db, storetest.Fixture("E08000003", []int{2025}, 2, ""))
	if _, err := db.pool.ExecContext(ctx, `DROP TABLE referral_drafts, offer_events, reservations, offers, referrals, api_tokens, sessions, users;
		DROP FUNCTION offer_events_append_only; DELETE FROM schema_migrations WHERE version IN (100, 110, 200)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = openURL(t, u)
	var versions []int
	rows, err := db.pool.QueryContext(ctx, `SELECT version FROM schema_migrations WHERE version IN (1, 100, 200) ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		versions = append(versions, v)
	}
	rows.Close()
	if fmt.Sprint(versions) != "[1 100 200]" {
		t.Fatalf("schema versions %v", versions)
	}
	if _, err := db.SendReferral(ctx, workflow.SentReferral{Reference: "R-MIGR-0001", Council: "E08000003"}, 1,
		[]workflow.Entry{{Rank: 1, ProvisionID: "H1", VacancyID: "V-H1"}}, "c"); err != nil {
		t.Fatal(err)
	}
	if cs, err := db.Children(ctx, "E08000003"); err != nil || len(cs) != 2 {
		t.Fatalf("children after migrating: %d, %v", len(cs), err)
	}
}

// BenchmarkAccept runs the offers stores' acceptance benchmark
// (storetest.BenchAccept) on PostgreSQL; race20's 20 handles are 20
// connection pools on the same schema.
//
//	SUFFICIENCY_TEST_PG=postgres://... go test ./store/postgres -run '^$' -bench Accept -benchtime 3s
func BenchmarkAccept(b *testing.B) {
	storetest.BenchAccept(b, offersOpener(testDatabase(b)))
}

// mustIndex builds the match index over the supply stored in db.
func mustIndex(t testing.TB, db *DB) *match.Index {
	t.Helper()
	ctx := context.Background()
	provs, err := db.Provisions(ctx, store.ProvisionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	vacs, err := db.Vacancies(ctx, store.VacancyFilter{})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := match.NewIndex(provs, vacs, match.DefaultPolicy(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}
