// Command soak is the load and soak test of issue 14 (item 6): the JSON API
// on PostgreSQL behind two app servers, as a deployment runs it.
//
//	go run ./bench/soak --pg postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable \
//	    --bin /tmp/sufficiency [--duration 10m] [--readers 12] [--flows 4]
//
// It makes a database of its own on the server (dropped at the end), fills
// it with synth's data for two councils and their supply through the real
// CLI (import, import-supply), adds users and API tokens, and starts two
// `sufficiency serve` processes on it. Then, for --duration, virtual users
// call the two servers in turn (client-side round robin, as a load balancer
// does):
//
//   - readers, each a council user of their own, loop over reads (who am I,
//     councils, their council's picture and review, their referrals, past
//     imports) and matches (ranked homes for a referral of their own);
//   - flows, each owning one children's home, repeat a race: the home's
//     provider opens one place (PUT vacancy), three councils' officers each
//     make a referral, send it to the home, the provider offers the place to
//     all three, and the three accept at the same moment: exactly one must
//     win (200) and two be told the place is gone (409).
//
// Afterwards it checks, and reports as problems: any request that failed
// (a status other than the expected ones, or a transport error); any race
// not won exactly once; in the database, any home with more live
// reservations than places it opened, any referral with two accepted offers
// or any reservation the clients were not told of (double booking); database
// connections left open beyond the two servers' pools once idle, compared
// with before; goroutines of either server grown from before the load to
// after it; resident memory of either server growing over the run (last
// fifth of the samples against those from 30% to 50% of the run, once the
// caches have filled, beyond 25% + 32 MB; judged in runs of 2 minutes or
// more). It reports
// requests per second and latency percentiles overall and per operation, CPU
// seconds of the servers, of the PostgreSQL backends serving its database
// (when local: not other databases' work on a shared machine) and of this
// program, and the load average. Timings are reported, never pass/fail.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
)

func main() {
	var o options
	flag.StringVar(&o.PG, "pg", os.Getenv("SUFFICIENCY_TEST_PG"), "PostgreSQL server `URL` (a database of its own is made on it and dropped)")
	flag.StringVar(&o.Bin, "bin", "", "the sufficiency `binary` to run (default: build ./cmd/sufficiency into a temporary folder)")
	flag.DurationVar(&o.Duration, "duration", 30*time.Second, "how long to load the servers, after a warm-up")
	flag.DurationVar(&o.Warmup, "warmup", 10*time.Second, "warm-up before the measured period (not counted)")
	flag.IntVar(&o.Readers, "readers", 12, "reading users, each with one request at a time")
	flag.IntVar(&o.Flows, "flows", 4, "offer races running at once, each on a home of its own")
	flag.BoolVar(&o.Keep, "keep", false, "keep the database afterwards")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if o.PG == "" {
		fmt.Fprintln(os.Stderr, "soak: give --pg URL (or set SUFFICIENCY_TEST_PG)")
		os.Exit(2)
	}
	if o.Bin == "" {
		dir, err := os.MkdirTemp("", "soak-bin")
		if err != nil {
			fmt.Fprintln(os.Stderr, "soak:", err)
			os.Exit(1)
		}
		defer os.RemoveAll(dir)
		o.Bin = filepath.Join(dir, "sufficiency")
		if err := buildBinary(o.Bin); err != nil {
			fmt.Fprintln(os.Stderr, "soak:", err)
			os.Exit(1)
		}
	}
	rep, err := run(ctx, o, os.Stderr)
	if rep != nil {
		rep.write(os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
	if len(rep.Problems) > 0 {
		os.Exit(1)
	}
}

// buildBinary builds ./cmd/sufficiency of this module into path.
func buildBinary(path string) error {
	cmd := exec.Command("go", "build", "-o", path, "sufficiency/cmd/sufficiency")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build ./cmd/sufficiency: %w", err)
	}
	return nil
}

// options are the soak's settings.
type options struct {
	PG, Bin          string
	Duration, Warmup time.Duration
	Readers, Flows   int
	Keep             bool
}

// server is one running `sufficiency serve`.
type server struct {
	cmd  *exec.Cmd
	base string
	errb *strings.Builder
}

// startServe starts `BIN serve` on a free port of the loopback and waits for
// it to print its address.
func startServe(ctx context.Context, bin, dbURL string) (*server, error) {
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", dbURL)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	errb := &strings.Builder{}
	cmd.Stderr = &lockedWriter{w: errb}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, errb: errb}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		re := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
		for sc.Scan() {
			if m := re.FindString(sc.Text()); m != "" {
				select {
				case found <- m:
				default:
				}
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case s.base = <-found:
		return s, nil
	case <-time.After(90 * time.Second):
	case <-ctx.Done():
	}
	s.stop()
	return nil, fmt.Errorf("serve did not start: %s", errb.String())
}

// stop interrupts the server and waits for it (killing it after 15 s).
func (s *server) stop() {
	if s == nil || s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// runCLI runs BIN with args, returning its standard output.
func runCLI(ctx context.Context, bin string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("sufficiency %s: %v: %s", strings.Join(args, " "), err, lastLines(errb.String(), 5))
	}
	return out.String(), nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

var errNoHomes = errors.New("the supply has too few children's homes for the flows (need one per flow, each of a different provider)")

// lockedWriter serialises writes to w (a server's standard error, written
// by os/exec's copying goroutine and read at the end).
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
