package postgres

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"sufficiency/care"
	"sufficiency/internal/storetest"
	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

// TestScopedReadsUseIndexes checks, with EXPLAIN, that the scoped reads
// select episodes through the index made for them, after a first large
// import built the indexes after its rows (deferEpisodeIndexes): the
// children placed in an area by district or URN (migration 0740: keyed on
// the district or URN, the dates included) and those in care on a date in
// every council. The areas and the date select no episode, so a plan that
// read the table would read it all.
func TestScopedReadsUseIndexes(t *testing.T) {
	db := openSchema(t, testDatabase(t))
	defer db.Close()
	ctx := context.Background()
	storetest.MustImport(t, db, storetest.Large(bulkEpisodes))
	if _, err := db.pool.ExecContext(ctx, `ANALYZE episodes`); err != nil {
		t.Fatal(err)
	}
	at := care.Date(2030, 3, 31)
	for _, c := range []struct {
		name  string
		q     store.EpisodeQuery
		index string
	}{
		{"district", store.EpisodeQuery{At: at, Districts: []string{"ZZ9"}, Except: []string{"E08000003"}}, "using episodes_district"},
		{"urn", store.EpisodeQuery{At: at, URNs: []string{"SC999999"}, Except: []string{"E08000003"}}, "using episodes_urn"},
		{"every council", store.EpisodeQuery{At: at}, "using episodes_end"},
	} {
		t.Run(c.name, func(t *testing.T) {
			query, args, err := sqlshared.EpisodeQuerySQL(sqlshared.Postgres, c.q, func(t time.Time) any { return t })
			if err != nil {
				t.Fatal(err)
			}
			var plan []string
			err = db.write(ctx, "explain", func(tx pgx.Tx) error {
				rows, err := tx.Query(ctx, "EXPLAIN "+query, args...)
				if err != nil {
					return err
				}
				plan, err = pgx.CollectRows(rows, pgx.RowTo[string])
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if p := strings.Join(plan, "\n"); !strings.Contains(p, c.index) {
				t.Errorf("plan does not use %q:\n%s", c.index, p)
			}
		})
	}
}
