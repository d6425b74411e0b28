package sqlite

import (
	"context"
	"strings"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/store"
	"sufficiency/store/internal/sqlshared"
)

// TestScopedReadsUseCoveringIndexes checks, with EXPLAIN QUERY PLAN, that the
// scoped reads select episodes from an index that carries the dates they test
// (migration 0600): the children placed in an area by district or URN, and
// those in care on a date in every council. Before 0600 the district and URN
// indexes held only the key, and SQLite read every matching episode to test
// its dates. Since 0610 the district and URN indexes are ordered by end date
// after the key, and the query reads two ranges of each, the open episodes and
// those ended after the date, rather than every episode ever placed there.
func TestScopedReadsUseCoveringIndexes(t *testing.T) {
	db := openTemp(t)
	defer db.Close()
	at := care.Date(2025, 3, 31)
	for _, c := range []struct {
		name  string
		q     store.EpisodeQuery
		index []string
	}{
		{"district", store.EpisodeQuery{At: at, Districts: []string{"M1"}, Except: []string{"E08000003"}},
			[]string{"USING COVERING INDEX episodes_district (pl_district=? AND end_date=? AND start_date<?)", "USING COVERING INDEX episodes_district (pl_district=? AND end_date>?)"}},
		{"urn", store.EpisodeQuery{At: at, URNs: []string{"SC000001"}, Except: []string{"E08000003"}},
			[]string{"USING COVERING INDEX episodes_urn (urn=? AND end_date=? AND start_date<?)", "USING COVERING INDEX episodes_urn (urn=? AND end_date>?)"}},
		{"every council", store.EpisodeQuery{At: at}, []string{"USING COVERING INDEX episodes_end"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			query, args, err := sqlshared.EpisodeQuerySQL(sqlshared.SQLite, c.q, func(t time.Time) any { return store.DateString(t) })
			if err != nil {
				t.Fatal(err)
			}
			rows, err := db.r.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+query, args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			for _, index := range c.index {
				if !strings.Contains(strings.Join(plan, "\n"), index) {
					t.Errorf("plan does not use %q:\n%s", index, strings.Join(plan, "\n"))
				}
			}
		})
	}
}
