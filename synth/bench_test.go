package synth

import (
	"context"
	"path/filepath"
	"testing"
)

func benchGenerate(b *testing.B, cfg Config) {
	b.Helper()
	NationalFromRefdata()
	WorldFromRefdata() // reference data parse once, outside the timing
	dir := b.TempDir()
	var sum Summary
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cfg.Out = filepath.Join(dir, "out")
		var err error
		sum, err = Generate(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(sum.Children), "children")
	b.ReportMetric(float64(sum.Episodes), "episode-rows")
	b.ReportMetric(float64(sum.Episodes)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkGenerateNorthEast generates the North East (12 councils),
// 2015–2025, with supply.
func BenchmarkGenerateNorthEast(b *testing.B) {
	benchGenerate(b, Config{Region: "North East", From: 2015, To: 2025, Seed: 1})
}

// BenchmarkGenerateEngland generates all 153 councils, 2015–2025 (about
// 84,000 children in care at any time). Run it with -benchtime 1x.
func BenchmarkGenerateEngland(b *testing.B) {
	benchGenerate(b, Config{From: 2015, To: 2025, Seed: 1})
}
