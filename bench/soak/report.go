package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// snapshot is the servers' state at one moment.
type snapshot struct {
	Goroutines []int // per server, from /metrics
	Conns      int   // connections to the soak's database, but the soak's own
}

// rssSample is the resident memory of each server at one moment.
type rssSample struct {
	At time.Time
	KB []int64
}

// opStats are one operation's figures.
type opStats struct {
	Op            string
	N             int
	P50, P95, P99 time.Duration
	Statuses      map[int]int
}

// report is the soak's outcome.
type report struct {
	Options           options
	Wall              time.Duration
	Requests          int
	P50, P95, P99     time.Duration
	Ops               []opStats
	Races             int
	ServerCPU         time.Duration // both serve processes
	PostgresCPU       time.Duration // the PostgreSQL backends of the soak's database (0: not readable)
	SelfCPU           time.Duration // this program
	Load0, Load1      string
	Before, After     snapshot
	RSS               []rssSample
	Opened, Accepted  int
	DBReservations    int
	Failures          []string
	Problems          []string
	pgConnsPerServer  int
	failuresTruncated bool
}

func (r *report) problem(format string, a ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, a...))
}

// summarise computes the figures of the measured run.
func (r *report) summarise(rec *recorder) {
	var all []time.Duration
	for op, lat := range rec.lat {
		all = append(all, lat...)
		s := opStats{Op: op, N: len(lat), Statuses: rec.statuses[op]}
		s.P50, s.P95, s.P99 = percentiles(lat)
		r.Ops = append(r.Ops, s)
	}
	sort.Slice(r.Ops, func(i, j int) bool { return r.Ops[i].Op < r.Ops[j].Op })
	r.Requests = len(all)
	r.P50, r.P95, r.P99 = percentiles(all)
	r.Races = rec.races
	r.Failures = rec.failures
	if len(rec.failures) > 0 {
		r.problem("%d requests failed, e.g. %s", len(rec.failures), rec.failures[0])
	}
	for _, b := range rec.raceBad {
		r.problem("%s", b)
	}
	if rec.races == 0 {
		r.problem("no offer race ran to the end")
	}
}

func percentiles(d []time.Duration) (p50, p95, p99 time.Duration) {
	if len(d) == 0 {
		return
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	at := func(q float64) time.Duration { return s[min(len(s)-1, int(q*float64(len(s))))] }
	return at(0.50), at(0.95), at(0.99)
}

// checkBookings checks, in the database, that no place was booked twice:
// per home, the live reservations are exactly the acceptances the clients
// were answered 200 for, and no more than the places its provider opened;
// no referral has two accepted offers.
func (w *world) checkBookings(ctx context.Context, admin *pgx.Conn, dbURL string, r *report, recs ...*recorder) error {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(ctx, `SELECT provision_id, COUNT(*) FROM reservations WHERE released_at IS NULL GROUP BY provision_id`)
	if err != nil {
		return err
	}
	db := map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		db[id] = n
	}
	if err := rows.Err(); err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, f := range w.flows {
		opened, accepted, reserved := w.opened[f.Home], w.accepted[f.Home], db[f.Home]
		r.Opened += opened
		r.Accepted += accepted
		r.DBReservations += reserved
		if reserved != accepted {
			r.problem("home %s: %d live reservations in the database, but %d acceptances answered 200", f.Home, reserved, accepted)
		}
		if reserved > opened {
			r.problem("home %s: %d live reservations for %d places opened: double booking", f.Home, reserved, opened)
		}
	}
	var twice int
	if err := conn.QueryRow(ctx, `SELECT COUNT(*) FROM (SELECT referral FROM offers WHERE status = 'accepted' GROUP BY referral HAVING COUNT(*) > 1) x`).Scan(&twice); err != nil {
		return err
	}
	if twice > 0 {
		r.problem("%d referrals have more than one accepted offer", twice)
	}
	var negative int
	if err := conn.QueryRow(ctx, `SELECT COUNT(*) FROM vacancies WHERE places < 0`).Scan(&negative); err != nil {
		return err
	}
	if negative > 0 {
		r.problem("%d vacancies have fewer than 0 places", negative)
	}
	return nil
}

// memoryJudged is the shortest run whose memory is judged.
const memoryJudged = 2 * time.Minute

// checkLeaks compares the servers before and after the load.
func (r *report) checkLeaks() {
	// Each server's pool keeps at most 8 connections (store/postgres).
	const pool = 8
	if r.After.Conns > 2*pool {
		r.problem("%d connections to the database after the load, more than two pools of %d", r.After.Conns, pool)
	}
	if r.After.Conns > max(r.Before.Conns, 2*pool) {
		r.problem("connections grew from %d to %d", r.Before.Conns, r.After.Conns)
	}
	for i := range r.After.Goroutines {
		if i < len(r.Before.Goroutines) && r.After.Goroutines[i] > r.Before.Goroutines[i]+20 {
			r.problem("server %d: goroutines grew from %d to %d", i+1, r.Before.Goroutines[i], r.After.Goroutines[i])
		}
	}
	// Memory: after the caches fill (the first 30% of the run), the last
	// fifth of the samples against those from 30% to 50% of the run. A run
	// shorter than memoryJudged cannot tell caches filling from a leak.
	if n := len(r.RSS); n >= 10 && r.Options.Duration >= memoryJudged {
		mid, k := r.RSS[n*3/10:n/2], n/5
		for s := range r.RSS[0].KB {
			base, last := meanKB(mid, s), meanKB(r.RSS[n-k:], s)
			if base > 0 && last > base*5/4+32<<10 {
				r.problem("server %d: resident memory grew from %s to %s over the run", s+1, mb(base), mb(last))
			}
		}
	}
}

func meanKB(ss []rssSample, s int) int64 {
	var sum int64
	for _, x := range ss {
		sum += x.KB[s]
	}
	return sum / int64(len(ss))
}

func mb(kb int64) string { return fmt.Sprintf("%.0f MB", float64(kb)/1024) }

var goroutinesRE = regexp.MustCompile(`(?m)^go_goroutines (\d+)`)

// sampleServers reads the servers' goroutines and the database's connections.
func sampleServers(ctx context.Context, c *client, admin *pgx.Conn, dbName string) snapshot {
	// Idle keep-alive connections each hold a server goroutine: close them.
	c.http.CloseIdleConnections()
	time.Sleep(500 * time.Millisecond)
	var s snapshot
	for _, base := range c.bases {
		n := -1
		if resp, err := c.http.Get(base + "/metrics"); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if m := goroutinesRE.FindSubmatch(b); m != nil {
				n, _ = strconv.Atoi(string(m[1]))
			}
		}
		s.Goroutines = append(s.Goroutines, n)
	}
	admin.QueryRow(ctx, `SELECT COUNT(*) FROM pg_stat_activity WHERE datname = $1`, dbName).Scan(&s.Conns)
	return s
}

// cpuOf is the CPU time of the servers' processes so far.
func cpuOf(servers []*server) time.Duration {
	var d time.Duration
	for _, s := range servers {
		d += procCPU(s.cmd.Process.Pid)
	}
	return d
}

// procCPU is user + system time of a local process, from /proc/PID/stat.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	end := strings.LastIndexByte(s, ')')
	if end < 0 {
		return 0
	}
	f := strings.Fields(s[end+1:])
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// backendCPU is the CPU time so far of each PostgreSQL backend serving
// the database dbName, by process id, when the server is local (its
// processes readable under /proc as "postgres"); other databases' backends
// (anything else on the machine) are not counted. ok is false when none
// could be read.
func backendCPU(ctx context.Context, admin *pgx.Conn, dbName string) (cpu map[int]time.Duration, ok bool) {
	rows, err := admin.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, dbName)
	if err != nil {
		return nil, false
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return nil, false
	}
	cpu = map[int]time.Duration{}
	for _, pid := range pids {
		comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
		if err != nil || strings.TrimSpace(string(comm)) != "postgres" {
			continue
		}
		cpu[int(pid)] = procCPU(int(pid))
	}
	return cpu, len(cpu) > 0
}

// cpuGrowth is the CPU time the processes of after used since before: a
// process in both counts its growth, one started in between all of its
// time (one that ended in between is lost: the servers' pools keep theirs).
func cpuGrowth(before, after map[int]time.Duration) time.Duration {
	var d time.Duration
	for pid, t := range after {
		d += t - before[pid]
	}
	return d
}

// selfCPU is this process's CPU time so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// rssKB is the resident set size of a local process, from /proc/PID/status.
func rssKB(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// write prints the report.
func (r *report) write(w io.Writer) {
	o := r.Options
	secs := r.Wall.Seconds()
	fmt.Fprintf(w, "soak: 2 servers on PostgreSQL, %d readers and %d offer races for %s (after %s warm-up)\n", o.Readers, o.Flows, o.Duration, o.Warmup)
	fmt.Fprintf(w, "load average before %s, after %s\n", r.Load0, r.Load1)
	if secs > 0 {
		fmt.Fprintf(w, "requests %d in %.1f s: %.0f req/s; latency p50 %s, p95 %s, p99 %s\n", r.Requests, secs, float64(r.Requests)/secs, ms(r.P50), ms(r.P95), ms(r.P99))
		perReq := func(d time.Duration) float64 { return 1000 * d.Seconds() / float64(max(r.Requests, 1)) }
		fmt.Fprintf(w, "CPU: servers %.1f s (%.2f cores), PostgreSQL backends %.1f s, load generator %.1f s; %.2f ms of server CPU per request, %.2f ms in all (servers + backends + load generator)\n",
			r.ServerCPU.Seconds(), r.ServerCPU.Seconds()/secs, r.PostgresCPU.Seconds(), r.SelfCPU.Seconds(), perReq(r.ServerCPU), perReq(r.ServerCPU+r.PostgresCPU+r.SelfCPU))
	}
	fmt.Fprintf(w, "%-10s %8s %9s %9s %9s  statuses\n", "operation", "requests", "p50", "p95", "p99")
	for _, s := range r.Ops {
		var st []string
		for code, n := range s.Statuses {
			st = append(st, fmt.Sprintf("%d×%d", code, n))
		}
		sort.Strings(st)
		fmt.Fprintf(w, "%-10s %8d %9s %9s %9s  %s\n", s.Op, s.N, ms(s.P50), ms(s.P95), ms(s.P99), strings.Join(st, " "))
	}
	fmt.Fprintf(w, "offer races run to the end: %d; places opened %d, acceptances answered 200: %d, live reservations in the database: %d\n",
		r.Races, r.Opened, r.Accepted, r.DBReservations)
	fmt.Fprintf(w, "goroutines per server before %v, after %v; database connections before %d, after %d\n",
		r.Before.Goroutines, r.After.Goroutines, r.Before.Conns, r.After.Conns)
	if n := len(r.RSS); n > 0 {
		for s := range r.RSS[0].KB {
			lo, hi := r.RSS[0].KB[s], r.RSS[0].KB[s]
			for _, x := range r.RSS {
				lo, hi = min(lo, x.KB[s]), max(hi, x.KB[s])
			}
			fmt.Fprintf(w, "server %d resident memory: first %s, last %s, min %s, max %s (%d samples)\n", s+1, mb(r.RSS[0].KB[s]), mb(r.RSS[n-1].KB[s]), mb(lo), mb(hi), n)
		}
	}
	if len(r.Problems) == 0 {
		memory := "memory flat"
		if o.Duration < memoryJudged {
			memory = "memory not judged (runs shorter than " + memoryJudged.String() + " cannot tell caches filling from a leak)"
		}
		fmt.Fprintln(w, "checks: no failed request, every race won exactly once, no double booking, no leaked connections or goroutines, "+memory)
		return
	}
	fmt.Fprintf(w, "PROBLEMS (%d):\n", len(r.Problems))
	for _, p := range r.Problems {
		fmt.Fprintln(w, "  -", p)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
