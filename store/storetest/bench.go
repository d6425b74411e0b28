package storetest

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"sufficiency/store"
)

// BenchImport is the import benchmark every store runs: ImportReturns of
// Large(rows) into a fresh, empty store (open) for 100,000 and 1,000,000
// episode rows. Each run writes the raw Episodes and Header tables of ten
// years, the stitched episodes (one per raw episode row) and one child per
// four episodes. It reports episode rows of the files per second, all rows
// written per second, and the peak Go heap in use during the import beyond
// what was in use before (the import itself, not the data handed to it).
func BenchImport(b *testing.B, open func(b *testing.B) store.Store) {
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
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				st := open(b)
				runtime.GC()
				b.StartTimer()
				if _, err := st.ImportReturns(context.Background(), imp); err != nil {
					b.Fatal(err)
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
		})
	}
}
