package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// client sends each request to the next server in turn.
type client struct {
	bases []string
	next  atomic.Uint64
	http  *http.Client
}

func newClient(servers []*server) *client {
	c := &client{http: &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}}
	for _, s := range servers {
		c.bases = append(c.bases, s.base)
	}
	return c
}

// result is one request's outcome.
type result struct {
	status int
	body   string
	err    error
	took   time.Duration
}

// do sends one request as a (bearer token), decoding a 2xx JSON answer into
// out when given.
func (c *client) do(ctx context.Context, a actor, method, path, body string, out any) result {
	base := c.bases[c.next.Add(1)%uint64(len(c.bases))]
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, rd)
	if err != nil {
		return result{err: err}
	}
	if a.Token != "" {
		req.Header.Set("Authorization", "Bearer "+a.Token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	t0 := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		return result{err: err, took: time.Since(t0)}
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	r := result{status: resp.StatusCode, took: time.Since(t0), err: err}
	if resp.StatusCode >= 300 {
		r.body = strings.TrimSpace(string(b))
		if len(r.body) > 300 {
			r.body = r.body[:300]
		}
	} else if out != nil && err == nil {
		r.err = json.Unmarshal(b, out)
	}
	return r
}

// recorder keeps every request's latency by operation, and the failures.
type recorder struct {
	mu       sync.Mutex
	lat      map[string][]time.Duration
	failures []string
	statuses map[string]map[int]int
	races    int // races run to the end
	wins     map[string]int
	raceBad  []string
}

func newRecorder() *recorder {
	return &recorder{lat: map[string][]time.Duration{}, statuses: map[string]map[int]int{}, wins: map[string]int{}}
}

// note records r for op; ok lists the statuses that are not failures.
func (rc *recorder) note(op string, r result, ok ...int) bool {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.lat[op] = append(rc.lat[op], r.took)
	if rc.statuses[op] == nil {
		rc.statuses[op] = map[int]int{}
	}
	rc.statuses[op][r.status]++
	good := r.err == nil
	if good {
		good = false
		for _, s := range ok {
			if r.status == s {
				good = true
			}
		}
	}
	if !good && len(rc.failures) < 1000 {
		msg := fmt.Sprintf("%s: status %d %s", op, r.status, r.body)
		if r.err != nil {
			msg = fmt.Sprintf("%s: %v", op, r.err)
		}
		rc.failures = append(rc.failures, msg)
	}
	return good
}

// runLoad runs the readers and flows for d, calling sample every second
// when given.
func runLoad(ctx context.Context, c *client, w *world, rec *recorder, d time.Duration, sample func()) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var wg sync.WaitGroup
	for i, a := range w.readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reader(ctx, c, a, w.drafts[i], rec, i)
		}()
	}
	for i := range w.flows {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := &w.flows[i]
			for round := 0; ctx.Err() == nil; round++ {
				race(ctx, c, w, f, fmt.Sprintf("%d-%d-%d", time.Now().UnixNano(), i, round), rec)
			}
		}()
	}
	if sample != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(time.Second)
			defer t.Stop()
			sample()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					sample()
				}
			}
		}()
	}
	wg.Wait()
}

// reads are a reader's requests, in turn: reads of its council and its
// referrals, and the matches of its draft referral.
var reads = []struct {
	op, path string
}{
	{"me", "/api/v1/me"},
	{"councils", "/api/v1/councils"},
	{"picture", "/api/v1/councils/{council}/picture"},
	{"referrals", "/api/v1/referrals"}, // the first page (50), as a client shows it
	{"matches", "/api/v1/referrals/{draft}/matches?top=10"},
	{"review", "/api/v1/councils/{council}/review"},
	{"imports", "/api/v1/imports"},
	{"matches", "/api/v1/referrals/{draft}/matches?top=10"},
}

func reader(ctx context.Context, c *client, a actor, draft string, rec *recorder, i int) {
	for k := i; ; k++ {
		rd := reads[k%len(reads)]
		path := strings.NewReplacer("{council}", a.Council, "{draft}", draft).Replace(rd.path)
		r := c.do(ctx, a, "GET", path, "", nil)
		if ctx.Err() != nil {
			return // cut short by the end of the run: not counted
		}
		rec.note(rd.op, r, 200)
	}
}

// race is one round of a flow: the provider opens one place, three
// officers refer, send and are offered it, and accept at once.
func race(ctx context.Context, c *client, w *world, f *flow, id string, rec *recorder) {
	step := func(op string, a actor, method, path, body string, out any, ok ...int) bool {
		r := c.do(ctx, a, method, path, body, out)
		if ctx.Err() != nil {
			return false
		}
		return rec.note(op, r, ok...)
	}
	// Opening the place and accepting it run to the end even when the run's
	// time is up, so the clients know every place opened and taken.
	open := fmt.Sprintf(`{"places": 1, "valid_from": %q}`, time.Now().Format("2006-01-02"))
	r := c.do(context.WithoutCancel(ctx), f.Provider, "PUT", "/api/v1/provider/vacancies/"+f.Home, open, nil)
	if r.status == 200 {
		w.count(w.opened, f.Home)
	}
	if ctx.Err() != nil || !rec.note("vacancy", r, 200) {
		return
	}
	var refs [3]string
	for j, o := range f.Officers {
		var created struct {
			Reference string `json:"reference"`
		}
		if !step("refer", o, "POST", "/api/v1/referrals", referralJSON("soak-"+id+"-"+fmt.Sprint(j), f.Postcode), &created, 201) {
			return
		}
		refs[j] = created.Reference
		if !step("send", o, "POST", "/api/v1/referrals/"+refs[j]+"/send", fmt.Sprintf(`{"provisions": [%q]}`, f.Home), nil, 200) {
			return
		}
		if !step("offer", f.Provider, "POST", "/api/v1/provider/referrals/"+refs[j]+"/offer", fmt.Sprintf(`{"provision": %q}`, f.Home), nil, 200) {
			return
		}
	}
	var wg sync.WaitGroup
	var codes [3]int
	var oks [3]bool
	startLine := make(chan struct{})
	for j, o := range f.Officers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-startLine
			r := c.do(context.WithoutCancel(ctx), o, "POST", "/api/v1/referrals/"+refs[j]+"/offers/"+f.Home+"/accept", "", nil)
			codes[j] = r.status
			if r.status == 200 {
				w.count(w.accepted, f.Home)
			}
			if ctx.Err() == nil {
				oks[j] = rec.note("accept", r, 200, 409)
			}
		}()
	}
	close(startLine)
	wg.Wait()
	if ctx.Err() != nil || !oks[0] || !oks[1] || !oks[2] {
		return
	}
	wins := 0
	for _, s := range codes {
		if s == 200 {
			wins++
		}
	}
	rec.mu.Lock()
	rec.races++
	rec.wins[f.Home] += wins
	if wins != 1 {
		rec.raceBad = append(rec.raceBad, fmt.Sprintf("home %s, round %s: accept statuses %v, want exactly one 200", f.Home, id, codes))
	}
	rec.mu.Unlock()
}
