package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sufficiency/auth"
	"sufficiency/identity"
	"sufficiency/refdata"
	"sufficiency/store"
	"sufficiency/store/sqlite"
)

// loadBench is the all-England server of the page benchmarks: the database
// of SUFFICIENCY_BENCH_DB (users are added to it: give a copy) served over
// real HTTP, with signed-in RCC analysts of the first council's region
// (each user has its own concurrency limit, as in real use).
type loadBench struct {
	council refdata.Council
	cookies []*http.Cookie
	get     func(path string, ck *http.Cookie) time.Duration
	// bytes is the size of the last answer read.
	bytes *atomic.Int64
}

func newLoadBench(b *testing.B, users int) loadBench {
	path := os.Getenv("SUFFICIENCY_BENCH_DB")
	if path == "" {
		b.Skip("set SUFFICIENCY_BENCH_DB to a copy of a loaded database")
	}
	ctx := store.WithActor(context.Background(), "bench")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	sums, err := db.Councils(ctx)
	if err != nil || len(sums) == 0 {
		b.Fatalf("no councils: %v", err)
	}
	c, _ := refdata.CouncilByCode(sums[0].Council)
	hash, _ := auth.HashPassword(testPassword)
	stamp := time.Now().Format("150405.000")
	srv, err := New(Config{Store: db, InsecureCookies: true})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	b.Cleanup(ts.Close)
	cookies := make([]*http.Cookie, users)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for i := range cookies {
		name := fmt.Sprintf("load-%s-%d", stamp, i)
		if _, err := db.CreateUser(ctx, identity.User{Name: name, Role: identity.RoleRCC, Region: c.Region, PasswordHash: hash}); err != nil {
			b.Fatal(err)
		}
		resp, err := noRedirect.PostForm(ts.URL+"/login", url.Values{"name": {name}, "password": {testPassword}})
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		for _, ck := range resp.Cookies() {
			if ck.Value != "" {
				cookies[i] = ck
			}
		}
		if cookies[i] == nil {
			b.Fatalf("sign-in %d: status %d", i, resp.StatusCode)
		}
	}
	size := &atomic.Int64{}
	get := func(path string, ck *http.Cookie) time.Duration {
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		req.AddCookie(ck)
		t0 := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Error(err)
			return 0
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Errorf("%s: status %d", path, resp.StatusCode)
		}
		size.Store(n)
		return time.Since(t0)
	}
	return loadBench{council: c, cookies: cookies, get: get, bytes: size}
}

// BenchmarkCachedPages measures a cached view of the council's and the
// region's page one at a time (after a first view), over real HTTP with the
// client in the process: CPU per view, the figure to profile
// (-cpuprofile) as it holds no sign-ins and no first views.
//
//	SUFFICIENCY_BENCH_DB=/tmp/england-copy.db go test ./web -run '^$' -bench CachedPages -benchtime 400x
func BenchmarkCachedPages(b *testing.B) {
	lb := newLoadBench(b, 1)
	for _, pg := range []struct{ name, path string }{{"council", "/councils/" + lb.council.Code}, {"region", "/regions/" + url.PathEscape(lb.council.Region)}} {
		b.Run(pg.name, func(b *testing.B) {
			lb.get(pg.path, lb.cookies[0])
			c0 := cpuTime()
			b.ResetTimer()
			for range b.N {
				lb.get(pg.path, lb.cookies[0])
			}
			b.StopTimer()
			b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1000/float64(b.N), "cpu-ms/view")
			b.ReportMetric(float64(lb.bytes.Load())/1000, "kB/view")
		})
	}
}

// BenchmarkPagesUnderLoad is the load test: over a real database
// (SUFFICIENCY_BENCH_DB, e.g. all of England imported; it is opened, and
// users are added to it: give a copy), it measures the first view of a
// council's page and of its region's page (the cache empty, as after an
// import), then 50 concurrent signed-in users requesting each page for 10
// seconds over HTTP, and reports p50 and p95.
//
//	SUFFICIENCY_BENCH_DB=/tmp/england-copy.db go test ./web -run '^$' -bench PagesUnderLoad -benchtime 1x
func BenchmarkPagesUnderLoad(b *testing.B) {
	lb := newLoadBench(b, 50)
	c, cookies, get := lb.council, lb.cookies, lb.get
	const users = 50
	pages := []struct{ name, path string }{{"council", "/councils/" + c.Code}, {"region", "/regions/" + url.PathEscape(c.Region)}}
	for _, pg := range pages {
		b.Run(pg.name, func(b *testing.B) {
			first := get(pg.path, cookies[0])
			var mu sync.Mutex
			var lat []time.Duration
			c0 := cpuTime()
			stop := time.Now().Add(10 * time.Second)
			var wg sync.WaitGroup
			for i := range users {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for time.Now().Before(stop) {
						d := get(pg.path, cookies[i])
						mu.Lock()
						lat = append(lat, d)
						mu.Unlock()
					}
				}()
			}
			wg.Wait()
			slices.Sort(lat)
			q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
			b.ReportMetric(float64(first.Milliseconds()), "first-view-ms")
			b.ReportMetric(q(0.5), "p50-ms")
			b.ReportMetric(q(0.95), "p95-ms")
			b.ReportMetric(float64(len(lat))/10, "req/s")
			// CPU of the whole process (server and the load generator's
			// client) per view: comparable on a loaded machine.
			b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1000/float64(len(lat)), "cpu-ms/view")
		})
	}
}
