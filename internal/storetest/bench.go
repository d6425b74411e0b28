package storetest

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"sufficiency/store"
)

// BenchImport is the import benchmark every store runs: ImportReturns of
// Large(rows) into a fresh, empty store (open) for 100,000 and 1,000,000
// episode rows. Each run writes the raw Episodes and Header tables of ten
// years, the stitched episodes (one per raw episode row) and one child per
// four episodes. It reports episode rows of the files per second, all rows
// written per second, and the peak Go heap in use during the import beyond
// what was in use before (the import itself, not the data handed to it).
//
// Because the benchmark machine is often shared, it also reports the CPU
// time the whole process used during the imports (cpu-s, every goroutine:
// the import, the garbage collector, the driver; for a database server in
// another process, only the client's share) and episode rows per CPU-second,
// which wall time on a loaded machine does not show; and the peak resident
// set size of the process (input data included).
func BenchImport(b *testing.B, open func(b *testing.B) store.Store) {
	BenchImportServer(b, open, nil)
}

// BenchImportServer is BenchImport that also reports the CPU time of the
// database server's processes serving the store (server-cpu-s/op, and
// episode rows per CPU-second of client and server together) when
// serverCPU, which returns their CPU time so far, is given and can read it.
func BenchImportServer(b *testing.B, open func(b *testing.B) store.Store, serverCPU func() (time.Duration, bool)) {
	for _, rows := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprint(rows), func(b *testing.B) {
			imp := Large(rows)
			var ms runtime.MemStats
			var peak uint64
			imp.Progress = func(done, total int) {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
			runtime.GC()
			runtime.ReadMemStats(&ms)
			base := ms.HeapInuse
			var cpu, server time.Duration
			serverOK := serverCPU != nil
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				st := open(b)
				runtime.GC()
				b.StartTimer()
				var s0, s1 time.Duration
				var ok bool
				if serverOK {
					s0, ok = serverCPU()
					serverOK = serverOK && ok
				}
				cpu0, _ := processCPU()
				if _, err := st.ImportReturns(context.Background(), imp); err != nil {
					b.Fatal(err)
				}
				cpu1, _ := processCPU()
				cpu += cpu1 - cpu0
				if serverOK {
					s1, ok = serverCPU()
					serverOK = serverOK && ok
					server += s1 - s0
				}
				b.StopTimer()
				if err := st.Close(); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "episode-rows/s")
			b.ReportMetric(float64(store.TotalRows(imp))*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			if peak > base {
				b.ReportMetric(float64(peak-base)/(1<<20), "peak-heap-MiB")
			}
			if cpu > 0 {
				b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
				b.ReportMetric(float64(rows)*float64(b.N)/cpu.Seconds(), "episode-rows/cpu-s")
			}
			if serverOK && server > 0 {
				b.ReportMetric(server.Seconds()/float64(b.N), "server-cpu-s/op")
				b.ReportMetric(float64(rows)*float64(b.N)/(cpu+server).Seconds(), "episode-rows/total-cpu-s")
			}
			if _, rss := processCPU(); rss > 0 {
				b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MiB")
			}
		})
	}
}
