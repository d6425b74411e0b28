package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"sufficiency/auth"
	"sufficiency/identity"
	"sufficiency/internal/storetest"
	"sufficiency/store"
	"sufficiency/store/sqlite"
)

// benchServer starts the whole app over real HTTP on 127.0.0.1 with one
// council of n synthetic children, an admin user and a bearer token.
func benchServer(b *testing.B, n int) (*httptest.Server, string) {
	b.Helper()
	ctx := store.WithActor(context.Background(), "bench")
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.ImportReturns(ctx, storetest.Fixture(hartlepool, []int{2024, 2025}, n, "h")); err != nil {
		b.Fatal(err)
	}
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.CreateUser(ctx, identity.User{Name: "admin", Role: identity.RoleAdmin, PasswordHash: hash}); err != nil {
		b.Fatal(err)
	}
	srv, err := New(Config{Store: db, InsecureCookies: true})
	if err != nil {
		b.Fatal(err)
	}
	tok, err := auth.NewService(db).NewAPIToken(ctx, "admin", "bench", time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	b.Cleanup(ts.Close)
	return ts, tok
}

// BenchmarkAPI measures whole HTTP requests (client, server, store, audit,
// computation and JSON) from two concurrent clients, as the machine has two
// cores, and reports the latency percentiles besides ns/op.
//
//	go test ./web -run '^$' -bench API -benchtime 200x
func BenchmarkAPI(b *testing.B) {
	ts, tok := benchServer(b, 1500)
	routes := []struct{ name, path string }{
		{"healthz", "/healthz"},
		{"councils", "/api/v1/councils"},
		{"picture", "/api/v1/councils/" + hartlepool + "/picture"},
		{"review", "/api/v1/councils/" + hartlepool + "/review"},
	}
	for _, rt := range routes {
		b.Run(rt.name, func(b *testing.B) {
			client := ts.Client()
			get := func() time.Duration {
				req, _ := http.NewRequest("GET", ts.URL+rt.path, nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return 0
				}
				n, _ := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || n == 0 {
					b.Errorf("%s: status %d, %d bytes", rt.path, resp.StatusCode, n)
				}
				return time.Since(t0)
			}
			get() // warm: first use of the reference data
			var mu sync.Mutex
			lat := make([]time.Duration, 0, b.N)
			b.SetParallelism(1) // GOMAXPROCS clients: two on the standard machine
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					d := get()
					mu.Lock()
					lat = append(lat, d)
					mu.Unlock()
				}
			})
			b.StopTimer()
			if len(lat) == 0 {
				b.Fatal("no request measured")
			}
			slices.Sort(lat)
			q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
			b.ReportMetric(q(0.5), "p50-ms")
			b.ReportMetric(q(0.99), "p99-ms")
			b.ReportMetric(float64(len(lat))/b.Elapsed().Seconds(), "req/s")
		})
	}
}
