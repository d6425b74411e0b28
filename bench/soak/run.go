package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"sufficiency/auth"
	"sufficiency/identity"
	"sufficiency/store"
	"sufficiency/store/postgres"
)

// councils are the two councils whose data the soak loads (synth).
var councils = []string{"E06000001", "E06000002"}

// run sets up the database and the servers, loads them for o.Duration and
// checks the outcome. Progress goes to logw.
func run(ctx context.Context, o options, logw io.Writer) (*report, error) {
	logf := func(format string, a ...any) { fmt.Fprintf(logw, "soak: "+format+"\n", a...) }
	o.Readers, o.Flows = max(o.Readers, 1), max(o.Flows, 1)

	// A database of its own, so its connections can be counted exactly.
	admin, err := pgx.Connect(ctx, o.PG)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", o.PG, err)
	}
	defer admin.Close(context.Background())
	dbName := fmt.Sprintf("sufficiency_soak_%d", time.Now().UnixNano())
	if _, err := admin.Exec(ctx, `CREATE DATABASE `+dbName); err != nil {
		return nil, err
	}
	if !o.Keep {
		defer admin.Exec(context.Background(), `DROP DATABASE IF EXISTS `+dbName+` WITH (FORCE)`)
	}
	u, err := url.Parse(o.PG)
	if err != nil {
		return nil, err
	}
	u.Path = "/" + dbName
	dbURL := u.String()

	// Data through the real CLI.
	dir, err := os.MkdirTemp("", "soak-data")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	data := filepath.Join(dir, "synth")
	logf("synth %s, 2023–2025", strings.Join(councils, ", "))
	if _, err := runCLI(ctx, o.Bin, "synth", "--out", data, "--la", strings.Join(councils, ","), "--from", "2023", "--to", "2025"); err != nil {
		return nil, err
	}
	logf("import into %s", dbName)
	if _, err := runCLI(ctx, o.Bin, "import", data, "--db", dbURL); err != nil {
		return nil, err
	}
	if _, err := runCLI(ctx, o.Bin, "import-supply", filepath.Join(data, "supply"), "--db", dbURL); err != nil {
		return nil, err
	}

	// Users, tokens and the homes the flows race for.
	w, err := setupUsers(ctx, dbURL, o)
	if err != nil {
		return nil, err
	}

	logf("starting two servers")
	var servers []*server
	defer func() {
		for _, s := range servers {
			s.stop()
		}
	}()
	for range 2 {
		s, err := startServe(ctx, o.Bin, dbURL)
		if err != nil {
			return nil, err
		}
		servers = append(servers, s)
	}
	c := newClient(servers)
	if err := w.makeDrafts(ctx, c); err != nil {
		return nil, err
	}

	rep := &report{Options: o, Load0: loadAvg()}
	logf("warm-up %s", o.Warmup)
	warm := newRecorder()
	runLoad(ctx, c, w, warm, o.Warmup, nil)
	if n := len(warm.failures); n > 0 {
		rep.problem("%d requests failed during the warm-up, e.g. %s", n, warm.failures[0])
	}
	time.Sleep(time.Second)
	before := sampleServers(ctx, c, admin, dbName)
	rep.Before = before
	cpu0 := cpuOf(servers)
	pg0, pgOK := backendCPU(ctx, admin, dbName)
	self0 := selfCPU()

	logf("load for %s: %d readers, %d flows", o.Duration, o.Readers, o.Flows)
	rec := newRecorder()
	var rss []rssSample
	var mu sync.Mutex
	sampler := func() {
		s := rssSample{At: time.Now()}
		for _, sv := range servers {
			s.KB = append(s.KB, rssKB(sv.cmd.Process.Pid))
		}
		mu.Lock()
		rss = append(rss, s)
		mu.Unlock()
	}
	start := time.Now()
	runLoad(ctx, c, w, rec, o.Duration, sampler)
	rep.Wall = time.Since(start)
	rep.ServerCPU = cpuOf(servers) - cpu0
	if pg1, ok := backendCPU(ctx, admin, dbName); ok && pgOK {
		rep.PostgresCPU = cpuGrowth(pg0, pg1)
	}
	rep.SelfCPU = selfCPU() - self0
	rep.Load1 = loadAvg()
	rep.RSS = rss

	// Let the pools go idle, then look again.
	time.Sleep(3 * time.Second)
	rep.After = sampleServers(ctx, c, admin, dbName)
	rep.summarise(rec)
	if err := w.checkBookings(ctx, admin, dbURL, rep, warm, rec); err != nil {
		return rep, err
	}
	rep.checkLeaks()
	for i, s := range servers {
		if s.cmd.ProcessState != nil {
			rep.problem("server %d exited during the soak: %s", i+1, lastLines(s.errb.String(), 5))
		}
	}
	return rep, nil
}

// world is who and what the virtual users act on.
type world struct {
	readers []actor // one per reader
	flows   []flow
	// drafts are the readers' referrals whose matches they ask for.
	drafts []string

	mu sync.Mutex
	// opened and accepted count, by home, the places its provider opened
	// and the acceptances answered 200, over the warm-up and the run.
	opened, accepted map[string]int
}

func (w *world) count(m map[string]int, home string) {
	w.mu.Lock()
	m[home]++
	w.mu.Unlock()
}

// actor is a signed-in user of the API.
type actor struct {
	Name, Token, Council string
}

// flow is one home raced for, its provider, and the three councils' officers.
type flow struct {
	Home, Postcode string
	Provider       actor
	Officers       [3]actor
}

// setupUsers adds the soak's users and their API tokens in the store, and
// picks one children's home per flow, each of a different provider, that
// takes a girl of 13 with emotional and behavioural needs.
func setupUsers(ctx context.Context, dbURL string, o options) (*world, error) {
	st, err := postgres.Open(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	ctx = store.WithActor(ctx, "soak")
	svc := auth.NewService(st)
	add := func(u identity.User) (actor, error) {
		if _, err := st.CreateUser(ctx, u); err != nil {
			return actor{}, fmt.Errorf("add user %s: %w", u.Name, err)
		}
		tok, err := svc.NewAPIToken(ctx, u.Name, "soak", 0)
		if err != nil {
			return actor{}, err
		}
		return actor{Name: u.Name, Token: tok, Council: u.Council}, nil
	}
	w := &world{opened: map[string]int{}, accepted: map[string]int{}}
	for i := range o.Readers {
		a, err := add(identity.User{Name: fmt.Sprintf("reader-%d", i), Role: identity.RoleCouncil, Council: councils[i%len(councils)]})
		if err != nil {
			return nil, err
		}
		w.readers = append(w.readers, a)
	}
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(ctx, `SELECT DISTINCT ON (owner) id, owner, postcode FROM provisions
		WHERE kind = 'childrens_home' AND min_age <= 13 AND max_age >= 13 AND places >= 1
		AND (sexes = '' OR sexes LIKE '%F%') AND (';' || needs || ';') LIKE '%;EBD;%' AND owner <> ''
		ORDER BY owner, id LIMIT $1`, o.Flows)
	if err != nil {
		return nil, err
	}
	type home struct{ id, owner, postcode string }
	homes, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (home, error) {
		var h home
		return h, r.Scan(&h.id, &h.owner, &h.postcode)
	})
	if err != nil {
		return nil, err
	}
	if len(homes) < o.Flows {
		return nil, fmt.Errorf("%w: found %d for %d flows", errNoHomes, len(homes), o.Flows)
	}
	for i, h := range homes {
		f := flow{Home: h.id, Postcode: h.postcode}
		if f.Provider, err = add(identity.User{Name: fmt.Sprintf("provider-%d", i), Role: identity.RoleProvider, Provider: h.owner}); err != nil {
			return nil, err
		}
		for j := range f.Officers {
			if f.Officers[j], err = add(identity.User{Name: fmt.Sprintf("officer-%d-%d", i, j), Role: identity.RoleCouncil, Council: councils[j%len(councils)]}); err != nil {
				return nil, err
			}
		}
		w.flows = append(w.flows, f)
	}
	return w, nil
}

// referralJSON is a referral of a girl of 13 needing a children's home near
// postcode, starting in a fortnight.
func referralJSON(id, postcode string) string {
	start := time.Now().AddDate(0, 0, 14)
	dob := start.AddDate(-13, -6, 0)
	return fmt.Sprintf(`{"id": %q, "child_id": "C-%s", "sex": "F", "date_of_birth": %q, "needed_by": "later", "start_date": %q,
		"foster_suitability": "unsuitable", "residential_suitability": "preferred", "supported_accommodation_suitability": "unsuitable",
		"sibling_count": 0, "home_postcode": %q, "living_companions": "no_preference", "pets": "not_known", "needs_tier": "enhanced", "need_codes": ["EBD"]}`,
		id, id, dob.Format("2006-01"), start.Format("2006-01-02"), postcode)
}

// makeDrafts makes each reader's referral, whose matches it asks for.
func (w *world) makeDrafts(ctx context.Context, c *client) error {
	for i, a := range w.readers {
		postcode := "TS24 7"
		if len(w.flows) > 0 {
			postcode = w.flows[i%len(w.flows)].Postcode
		}
		var created struct {
			Reference string `json:"reference"`
		}
		r := c.do(ctx, a, "POST", "/api/v1/referrals", referralJSON(fmt.Sprintf("draft-%d", i), postcode), &created)
		if r.status != 201 {
			return fmt.Errorf("reader %s: make a referral: %d %s", a.Name, r.status, r.body)
		}
		w.drafts = append(w.drafts, created.Reference)
	}
	return nil
}
