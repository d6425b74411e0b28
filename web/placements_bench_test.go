package web

import (
	"context"
	"encoding/json"
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
	"sufficiency/identity"
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

// placementBench is a server over real HTTP for the placement benchmarks,
// on SUFFICIENCY_BENCH_DB when it is set (a copy: users, drafts and, when
// it keeps none, a supply are added) or a new database.
type placementBench struct {
	b          *testing.B
	ctx        context.Context
	db         *sqlite.DB
	ts         *httptest.Server
	client     *http.Client
	provisions int
	stamp      string
}

// newPlacementBench opens the database and, when it keeps no supply, loads
// supply() into it.
func newPlacementBench(b *testing.B, supply func() ([]care.Provision, []care.Vacancy)) *placementBench {
	ctx := store.WithActor(context.Background(), "bench")
	path := os.Getenv("SUFFICIENCY_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "england.db")
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	provisions, err := db.Provisions(ctx, store.ProvisionFilter{})
	if err != nil {
		b.Fatal(err)
	}
	if len(provisions) == 0 {
		provs, vacs := supply()
		if err := db.ReplaceSupply(ctx, provs, vacs); err != nil {
			b.Fatal(err)
		}
		provisions = provs
	}
	srv, err := New(Config{Store: db, InsecureCookies: true})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	b.Cleanup(ts.Close)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
	return &placementBench{b: b, ctx: ctx, db: db, ts: ts, client: client, provisions: len(provisions), stamp: time.Now().Format("150405")}
}

// do sends one request; it returns the status, the Location header and the body.
func (pb *placementBench) do(method, target, contentType, body string, c *http.Cookie) (int, string, string) {
	r, _ := http.NewRequest(method, pb.ts.URL+target, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	if c != nil {
		r.AddCookie(c)
	}
	resp, err := pb.client.Do(r)
	if err != nil {
		pb.b.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(page)
}

// user creates a user named after name and signs it in.
func (pb *placementBench) user(name string, u identity.User) *http.Cookie {
	h, err := auth.HashPassword(testPassword)
	if err != nil {
		pb.b.Fatal(err)
	}
	u.Name, u.PasswordHash = name+pb.stamp, h
	if _, err := pb.db.CreateUser(pb.ctx, u); err != nil {
		pb.b.Fatal(err)
	}
	r, _ := http.NewRequest("POST", pb.ts.URL+"/login", strings.NewReader(url.Values{"name": {u.Name}, "password": {testPassword}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := pb.client.Do(r)
	if err != nil {
		pb.b.Fatal(err)
	}
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Value != "" {
			return &http.Cookie{Name: ck.Name, Value: ck.Value}
		}
	}
	pb.b.Fatalf("sign-in of %s: status %d", u.Name, resp.StatusCode)
	return nil
}

// draft creates a referral draft through the form and returns its address.
func (pb *placementBench) draft(c *http.Cookie, form url.Values) string {
	code, loc, page := pb.do("POST", "/referrals", "application/x-www-form-urlencoded", form.Encode(), c)
	if code != http.StatusSeeOther {
		pb.b.Fatalf("create referral: %d %s", code, page)
	}
	return loc
}

// BenchmarkMatchesPageEngland: the referral page with its ranked, explained
// matches over England's supply, asked for over HTTP by 20 placement
// officers at once, each request through the whole handler (session,
// audited draft read, search, page). The supply is that of
// SUFFICIENCY_BENCH_DB when it is set (e.g. a copy of the all-England
// database with its supply imported), else the register's settings and
// 40,000 fostering households in a new database. It reports wall p50/p95
// per page and the process's CPU per page (server and the load
// generator's client).
//
//	go test ./web -run '^$' -bench MatchesPageEngland -benchtime 400x
//	SUFFICIENCY_BENCH_DB=/tmp/england-copy.db go test ./web -run '^$' -bench MatchesPageEngland -benchtime 400x
func BenchmarkMatchesPageEngland(b *testing.B) {
	pb := newPlacementBench(b, func() ([]care.Provision, []care.Vacancy) { return englandSupply(40000) })
	const users = 20
	var cookies []*http.Cookie
	var refs []string
	form := goodReferralForm()
	form.Set("start_date", time.Now().UTC().AddDate(0, 0, 1).Format("2006-01-02"))
	form.Set("foster_suitability", "preferred")
	for i := 0; i < users; i++ {
		c := pb.user(fmt.Sprintf("officer%d-", i), identity.User{Role: identity.RoleCouncil, Council: "E08000009"})
		cookies = append(cookies, c)
		refs = append(refs, pb.draft(c, form))
	}
	t0 := time.Now()
	if code, _, page := pb.do("GET", refs[0], "", "", cookies[0]); code != 200 || !strings.Contains(page, `id="matches"`) {
		b.Fatalf("first page: %d", code)
	}
	first := time.Since(t0)
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
				code, _, _ := pb.do("GET", refs[u], "", "", cookies[u])
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
	b.ReportMetric(float64(pb.provisions), "provisions")
	b.ReportMetric(float64(first.Milliseconds()), "first-page-ms")
}

// BenchmarkRegionOutcomes: the North West's referral outcomes page (an RCC
// analyst's) with 200 drafts of Trafford never sent, over England's supply:
// each view reads the region's referrals and drafts and counts the drafts no
// home could meet. It reports CPU and wall time per view after the first
// (which searches every draft).
//
//	go test ./web -run '^$' -bench RegionOutcomes -benchtime 50x
func BenchmarkRegionOutcomes(b *testing.B) {
	pb := newPlacementBench(b, func() ([]care.Provision, []care.Vacancy) { return englandSupply(40000) })
	officer := pb.user("outcomes-officer-", identity.User{Role: identity.RoleCouncil, Council: "E08000009"})
	analyst := pb.user("outcomes-analyst-", identity.User{Role: identity.RoleRCC, Region: "North West"})
	sectors := geo.SectorsOf("E08000009")
	for i := 0; i < 200; i++ {
		form := goodReferralForm()
		form.Set("child_id", fmt.Sprintf("BENCH-%d", i))
		form.Set("start_date", time.Now().UTC().AddDate(0, 0, 1+i%20).Format("2006-01-02"))
		form.Set("date_of_birth", time.Now().UTC().AddDate(-2-i%16, 0, 0).Format("2006-01"))
		form.Set("home_postcode", sectors[i%len(sectors)].Code)
		if i%4 == 0 {
			form.Set("need_codes", "SI") // no home of the synthetic supply lists it
		}
		pb.draft(officer, form)
	}
	page := "/regions/North%20West/outcomes"
	t0, c0 := time.Now(), cpuTime()
	if code, _, body := pb.do("GET", page, "", "", analyst); code != 200 {
		b.Fatalf("first view: %d %.300s", code, body)
	}
	first, firstCPU := time.Since(t0), cpuTime()-c0
	c0 = cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if code, _, _ := pb.do("GET", page, "", "", analyst); code != 200 {
			b.Fatalf("view: %d", code)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1000/float64(b.N), "cpu-ms/view")
	b.ReportMetric(float64(first.Milliseconds()), "first-view-ms")
	b.ReportMetric(float64(firstCPU.Milliseconds()), "first-view-cpu-ms")
}

// BenchmarkAllocationAPI: POST /api/v1/regions/North West/allocations with
// 1,000 referrals of the region's councils against 2,000 places (one-place
// vacancies at homes and households of the North West, over the whole of
// England's supply in the index), policy objective, siblings kept
// together, through the whole handler. It reports wall and CPU per run.
//
//	go test ./web -run '^$' -bench AllocationAPI -benchtime 3x
func BenchmarkAllocationAPI(b *testing.B) {
	cs, _ := refdata.CouncilsInRegion("North West")
	inRegion := map[string]bool{}
	for _, c := range cs {
		inRegion[c.Code] = true
	}
	if os.Getenv("SUFFICIENCY_BENCH_DB") != "" {
		b.Skip("the allocation benchmark builds its own supply of 2,000 places: run it without SUFFICIENCY_BENCH_DB")
	}
	pb := newPlacementBench(b, func() ([]care.Provision, []care.Vacancy) {
		provs, _ := englandSupply(40000)
		r := rand.New(rand.NewPCG(3, 5))
		var vacs []care.Vacancy
		start := time.Now().UTC().AddDate(0, 0, -1).Truncate(24 * time.Hour)
		for _, k := range r.Perm(len(provs)) {
			if p := provs[k]; inRegion[p.Council] && len(vacs) < 2000 {
				vacs = append(vacs, care.Vacancy{ID: "V-" + p.ID, ProvisionID: p.ID, Places: 1, ValidFrom: start, UpdatedAt: start})
			}
		}
		return provs, vacs
	})
	analyst := pb.user("alloc-analyst-", identity.User{Role: identity.RoleRCC, Region: "North West"})
	r := rand.New(rand.NewPCG(9, 2))
	day := time.Now().UTC().Format("2006-01-02")
	var refs []map[string]any
	for i := 0; len(refs) < 1000; i++ {
		c := cs[r.IntN(len(cs))]
		ss := geo.SectorsOf(c.Code)
		if len(ss) == 0 {
			continue
		}
		age := 2 + r.IntN(16)
		ref := map[string]any{"id": fmt.Sprintf("R%04d", i), "child_id": fmt.Sprintf("C%04d", i), "council": c.Code,
			"date_of_birth": time.Now().UTC().AddDate(-age, -r.IntN(12), 0).Format("2006-01"), "sex": []string{"F", "M"}[r.IntN(2)],
			"home_postcode": ss[r.IntN(len(ss))].Code, "received": day, "start_date": day, "needed_by": "later",
			"foster_suitability": "preferred", "residential_suitability": "suitable", "supported_accommodation_suitability": "unsuitable",
			"living_companions": "no_preference", "pets": "not_known", "needs_tier": []string{"standard", "enhanced", "complex"}[r.IntN(3)],
			"sibling_count": 0}
		if age >= 16 {
			ref["supported_accommodation_suitability"] = "suitable"
		}
		if age >= 13 && r.IntN(3) == 0 {
			ref["foster_suitability"], ref["residential_suitability"] = "suitable", "preferred"
		}
		refs = append(refs, ref)
	}
	// A few sibling groups of two.
	for i := 0; i+1 < 100; i += 2 {
		refs[i]["sibling_group"], refs[i+1]["sibling_group"] = fmt.Sprintf("G%d", i), fmt.Sprintf("G%d", i)
		refs[i+1]["council"], refs[i+1]["home_postcode"] = refs[i]["council"], refs[i]["home_postcode"]
		refs[i]["sibling_count"], refs[i+1]["sibling_count"] = 1, 1
	}
	rj, _ := json.Marshal(refs)
	body, _ := json.Marshal(map[string]any{"from": day, "to": day, "objective": "policy", "keep_siblings": true, "referrals": json.RawMessage(rj)})
	var placed float64
	c0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		code, _, out := pb.do("POST", "/api/v1/regions/North%20West/allocations", "application/json", string(body), analyst)
		if code != 200 {
			b.Fatalf("allocation: %d %.400s", code, out)
		}
		var res allocationResult
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			b.Fatal(err)
		}
		if res.Allocation.Children != 1000 || res.Allocation.Placed == 0 {
			b.Fatalf("allocation of %d children placed %d", res.Allocation.Children, res.Allocation.Placed)
		}
		placed = float64(res.Allocation.Placed)
	}
	b.StopTimer()
	b.ReportMetric(float64((cpuTime()-c0).Milliseconds())/float64(b.N), "cpu-ms/run")
	b.ReportMetric(placed, "placed")
}
