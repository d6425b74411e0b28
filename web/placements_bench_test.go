package web

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"sufficiency/auth"
	"sufficiency/care"
	"sufficiency/geo"
	"sufficiency/refdata"
	"sufficiency/store"
	"sufficiency/store/sqlite"
)

// englandSupply is every setting of the embedded Ofsted register but
// fostering agencies, placed in a postcode sector of its council, plus
// nFoster fostering households spread over England's councils, each with a
// vacancy; seeded, so every run is the same.
func englandSupply(nFoster int) ([]care.Provision, []care.Vacancy) {
	r := rand.New(rand.NewPCG(7, 11))
	start := care.Date(2026, 3, 1)
	var provs []care.Provision
	var vacs []care.Vacancy
	var councils []string
	sectors := map[string][]geo.Sector{}
	for _, c := range refdata.Councils() {
		if s := geo.SectorsOf(c.Code); len(s) > 0 {
			sectors[c.Code] = s
			councils = append(councils, c.Code)
		}
	}
	sort.Strings(councils)
	vacancy := func(p care.Provision, places int) {
		vacs = append(vacs, care.Vacancy{ID: "V-" + p.ID, ProvisionID: p.ID, Places: places, ValidFrom: start, UpdatedAt: start})
	}
	for _, p := range refdata.Providers() {
		ss := sectors[p.Council]
		if p.Kind == "" || p.Kind == care.KindFostering || len(ss) == 0 {
			continue
		}
		cp := care.Provision{ID: p.URN, Kind: p.Kind, Name: p.Owner + " " + p.URN, Owner: p.Owner, Sector: p.Sector, Council: p.Council,
			Postcode: ss[r.IntN(len(ss))].Code, Places: max(p.Places, 1), Rating: p.Rating, MinAge: 8 + r.IntN(4), MaxAge: 17,
			WeeklyPrice: care.FromPounds(3500 + float64(r.IntN(6000))), Registered: p.Registered, Needs: []string{"EBD"}}
		if p.Kind == care.KindSupported {
			cp.MinAge = 16
		}
		provs = append(provs, cp)
		if r.Float64() < 0.2 {
			vacancy(cp, 1)
		}
	}
	for i := 0; i < nFoster; i++ {
		c := councils[r.IntN(len(councils))]
		ss := sectors[c]
		p := care.Provision{ID: fmt.Sprintf("FH%05d", i), Kind: care.KindFostering, Name: fmt.Sprintf("Household %d", i), Owner: "Fostering service " + c,
			Sector: care.SectorLA, Council: c, Postcode: ss[r.IntN(len(ss))].Code, Places: 1 + r.IntN(3), Rating: care.RatingGood, MaxAge: 18,
			InHouse: true, WeeklyPrice: care.FromPounds(400 + float64(r.IntN(500)))}
		provs = append(provs, p)
		if r.Float64() < 0.1 {
			vacancy(p, 1)
		}
	}
	return provs, vacs
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkMatchesPageEngland: the referral page with its ranked, explained
// matches over England's supply, asked for over HTTP by 20 placement
// officers at once, each request through the whole handler (session,
// audited draft read, search, page). The supply is that of
// SUFFICIENCY_BENCH_DB when it is set (e.g. a copy of the all-England
// database with its supply imported; users and drafts are added to it, so
// give a copy), else the register's settings and 40,000 fostering
// households in a new database. It reports wall p50/p95 per page and the
// process's CPU per page (server and the load generator's client).
//
//	go test ./web -run '^$' -bench MatchesPageEngland -benchtime 400x
//	SUFFICIENCY_BENCH_DB=/tmp/england-copy.db go test ./web -run '^$' -bench MatchesPageEngland -benchtime 400x
func BenchmarkMatchesPageEngland(b *testing.B) {
	ctx := store.WithActor(context.Background(), "bench")
	path := os.Getenv("SUFFICIENCY_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "england.db")
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	provisions, err := db.Provisions(ctx, store.ProvisionFilter{})
	if err != nil {
		b.Fatal(err)
	}
	if len(provisions) == 0 {
		provs, vacs := englandSupply(40000)
		if err := db.ReplaceSupply(ctx, provs, vacs); err != nil {
			b.Fatal(err)
		}
		provisions = provs
	}
	h, err := auth.HashPassword(testPassword)
	if err != nil {
		b.Fatal(err)
	}
	const users = 20
	stamp := time.Now().Format("150405")
	srv, err := New(Config{Store: db, InsecureCookies: true})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{MaxIdleConnsPerHost: users}}
	do := func(method, target, body string, c *http.Cookie) (int, string, string) {
		r, _ := http.NewRequest(method, ts.URL+target, strings.NewReader(body))
		if body != "" {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if c != nil {
			r.AddCookie(c)
		}
		resp, err := client.Do(r)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		page, _ := io.ReadAll(resp.Body)
		if c == nil {
			for _, ck := range resp.Cookies() {
				if ck.Value != "" {
					return resp.StatusCode, ck.Name + "=" + ck.Value, ""
				}
			}
		}
		return resp.StatusCode, resp.Header.Get("Location"), string(page)
	}
	var cookies []*http.Cookie
	var refs []string
	form := goodReferralForm()
	form.Set("start_date", time.Now().UTC().AddDate(0, 0, 1).Format("2006-01-02"))
	form.Set("foster_suitability", "preferred")
	for i := 0; i < users; i++ {
		name := fmt.Sprintf("officer%s-%d", stamp, i)
		if _, err := db.CreateUser(ctx, auth.User{Name: name, Role: auth.RoleCouncil, Council: "E08000009", PasswordHash: h}); err != nil {
			b.Fatal(err)
		}
		_, ck, _ := do("POST", "/login", url.Values{"name": {name}, "password": {testPassword}}.Encode(), nil)
		name, value, _ := strings.Cut(ck, "=")
		c := &http.Cookie{Name: name, Value: value}
		cookies = append(cookies, c)
		code, loc, page := do("POST", "/referrals", form.Encode(), c)
		if code != http.StatusSeeOther {
			b.Fatalf("create referral: %d %s", code, page)
		}
		refs = append(refs, loc)
	}
	t0 := time.Now()
	if code, _, page := do("GET", refs[0], "", cookies[0]); code != 200 || !strings.Contains(page, `id="matches"`) {
		b.Fatalf("first page: %d", code)
	}
	b.ReportMetric(float64(time.Since(t0).Milliseconds()), "first-page-ms")
	var mu sync.Mutex
	var times []time.Duration
	next := make(chan int)
	var wg sync.WaitGroup
	c0 := cpuTime()
	b.ResetTimer()
	for u := 0; u < users; u++ {
		wg.Add(1)
		go func(u int) {
			defer wg.Done()
			for range next {
				t := time.Now()
				code, _, _ := do("GET", refs[u], "", cookies[u])
				d := time.Since(t)
				if code != 200 {
					b.Errorf("page: %d", code)
				}
				mu.Lock()
				times = append(times, d)
				mu.Unlock()
			}
		}(u)
	}
	for i := 0; i < b.N; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	b.StopTimer()
	cpu := cpuTime() - c0
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/page")
	b.ReportMetric(float64(len(provisions)), "provisions")
}
