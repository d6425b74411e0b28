package forecast

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// cpuTime returns the process's CPU time so far (user + system, all
// threads): on a shared machine the steadier measure of a benchmark's cost.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

var englandOnce struct {
	sync.Once
	m *Model
	n int
}

// BenchmarkEnglandChildLevel fits the child-level model to a synthetic
// England (153 councils, about 84,000 children in care and 32,000 entries a
// year, 12 years of history generated outside the timer) and projects 5 years
// monthly with 1,000 simulations on all cores.
func BenchmarkEnglandChildLevel(b *testing.B) {
	children, episodes := england(42, 153, 32000, testOrigin)
	b.ResetTimer()
	cpu0 := cpuTime()
	var peak uint64
	cfg := Config{}
	for i := 0; i < b.N; i++ {
		m, err := Fit(children, episodes, cfg)
		if err != nil {
			b.Fatal(err)
		}
		p, err := Simulate(context.Background(), m, SimOptions{Years: 5, Sims: benchSims, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapAlloc > peak {
			peak = ms.HeapAlloc
		}
		if i == 0 {
			inCare := 0
			for _, c := range m.Councils {
				inCare += len(c.Current)
			}
			entries := 0
			for _, e := range m.Pooled.Entries {
				entries += e.Count
			}
			b.ReportMetric(float64(inCare), "children_in_care")
			b.ReportMetric(float64(entries)/2, "entries/yr")
			b.ReportMetric(p.RollUp.Total.Mean[60], "projected_5y")
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "heapMB")
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu_s/op")
}

// benchSims is the number of simulations in the benchmark.
var benchSims = envInt("BENCH_SIMS", 1000)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// BenchmarkEnglandMarkov fits the same synthetic England and runs the
// deterministic reference mode (daily chain, 5 years) for every council.
func BenchmarkEnglandMarkov(b *testing.B) {
	children, episodes := england(42, 153, 32000, testOrigin)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m, err := Fit(children, episodes, Config{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Markov(m, 5, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEnglandFit times the fit alone.
func BenchmarkEnglandFit(b *testing.B) {
	children, episodes := england(42, 153, 32000, testOrigin)
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		if _, err := Fit(children, episodes, Config{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu_s/op")
}

// BenchmarkEnglandSimulate times the projection alone (5 years, BENCH_SIMS
// simulations, default 1,000) on the fitted synthetic England; with
// BENCH_WORKERS=1 it measures the CPU cost of the simulation on one core.
func BenchmarkEnglandSimulate(b *testing.B) {
	children, episodes := england(42, 153, 32000, testOrigin)
	m, err := Fit(children, episodes, Config{})
	if err != nil {
		b.Fatal(err)
	}
	children, episodes = nil, nil
	runtime.GC()
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := 0; i < b.N; i++ {
		p, err := Simulate(context.Background(), m, SimOptions{Years: 5, Sims: benchSims, Seed: 1, Workers: envInt("BENCH_WORKERS", 0)})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(p.RollUp.Total.Mean[60], "projected_5y")
	}
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu_s/op")
}
