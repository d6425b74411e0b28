package ingest

import (
	"context"
	"path/filepath"
	"testing"

	"sufficiency/store/sqlite"
)

// BenchmarkRunSample measures a whole import of the cs-demand-model sample
// (five years, 3,737 episode rows, 820 children) with --accept-errors into a
// fresh SQLite file: read, validate, stitch and store.
//
//	go test ./ingest -run '^$' -bench RunSample
func BenchmarkRunSample(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := Run(context.Background(), db, []string{"testdata/cs-demand-model"}, Options{Council: council, AcceptErrors: true})
		if err != nil || res.Children != 820 {
			b.Fatalf("%v, %d children", err, res.Children)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(3737*float64(b.N)/b.Elapsed().Seconds(), "episode-rows/s")
}
