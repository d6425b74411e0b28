package postgres

import (
	"context"
	"sync"
	"testing"
)

// TestPoolKeepsItsConnections checks that a burst of requests as many as
// the pool may open leaves every connection open for the next burst: none
// is closed for being one idle connection too many (each reopened would
// cost a new PostgreSQL backend and its statement cache).
func TestPoolKeepsItsConnections(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, testDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	burst := func(n int) {
		t.Helper()
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := db.pool.ExecContext(ctx, `SELECT pg_sleep(0.05)`)
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	for range 3 {
		burst(maxConns)
	}
	st := db.pool.Stats()
	if st.MaxIdleClosed != 0 {
		t.Errorf("%d connections closed as idle beyond the pool's keep, want 0", st.MaxIdleClosed)
	}
	if st.OpenConnections > maxConns || st.MaxOpenConnections != maxConns {
		t.Errorf("open %d (most %d), want at most %d", st.OpenConnections, st.MaxOpenConnections, maxConns)
	}
	// A burst over the bound waits for a connection instead of opening more.
	burst(maxConns + 4)
	if st := db.pool.Stats(); st.OpenConnections > maxConns || st.MaxIdleClosed != 0 {
		t.Errorf("after a burst of %d: open %d, closed as idle %d", maxConns+4, st.OpenConnections, st.MaxIdleClosed)
	}
}
