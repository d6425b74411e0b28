package statement

import (
	"bytes"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files and the embedded forecast")

// TestEmbeddedForecasts recomputes the forecast and backtest from the
// embedded reference data and checks the embedded copy is the same (with
// -update it rewrites it).
func TestEmbeddedForecasts(t *testing.T) {
	if testing.Short() {
		t.Skip("recomputing the backtest takes about 15 CPU-seconds")
	}
	p, err := publishedSeries()
	if err != nil {
		t.Fatal(err)
	}
	f, err := computeForecasts(p.LastYear())
	if err != nil {
		t.Fatal(err)
	}
	b, err := encodeForecasts(f)
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	if *update {
		if err := os.WriteFile("embedded.json", b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(b, embeddedJSON) {
		t.Fatalf("statement/embedded.json is stale (new reference data or model?): run go test ./statement -run TestEmbeddedForecasts -update")
	}
	if f.Origin != p.LastYear() || len(f.Projections) < 150*forecastYears || len(f.Accuracy) != 3*accuracyHorizons {
		t.Fatalf("origin %d, %d projections, %d accuracy rows", f.Origin, len(f.Projections), len(f.Accuracy))
	}
}
