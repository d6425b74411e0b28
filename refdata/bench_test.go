package refdata

import "testing"

// The Benchmark*Parse benchmarks measure a cold load (decompress, CSV parse,
// typed conversion) of one embedded file, bypassing the sync.Once cache; the
// others measure lookups once loaded.

func BenchmarkCouncilsParse(b *testing.B) {
	for b.Loop() {
		if idx := loadCouncils(); len(idx.list) != 153 {
			b.Fatal(len(idx.list))
		}
	}
}

func BenchmarkProvidersParse(b *testing.B) {
	for b.Loop() {
		if ix := parseProviders(); len(ix.list) != 5600 {
			b.Fatal(len(ix.list))
		}
	}
}

func BenchmarkCLATotalsParse(b *testing.B) {
	for b.Loop() {
		if t := parseCLATotals(); len(t.byDfE) < 150 {
			b.Fatal(len(t.byDfE))
		}
	}
}

func BenchmarkPostcodeSectorsParse(b *testing.B) {
	for b.Loop() {
		if s := loadSectors(); len(s) != 12496 {
			b.Fatal(len(s))
		}
	}
}

func BenchmarkPostcodeDistrictsParse(b *testing.B) {
	for b.Loop() {
		if d := loadDistricts(); len(d) != 3125 {
			b.Fatal(len(d))
		}
	}
}

func BenchmarkCouncilByCode(b *testing.B) {
	keys := []string{"E08000003", "352", "Manchester", "kent", "E09000033", "nowhere"}
	Councils()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		CouncilByCode(keys[i%len(keys)])
	}
}

func BenchmarkCLATotals(b *testing.B) {
	CLATotals("Kent")
	for b.Loop() {
		if len(CLATotals("Kent")) == 0 {
			b.Fatal("no rows")
		}
	}
}

func BenchmarkProvidersIn(b *testing.B) {
	ProvidersIn("Kent")
	for b.Loop() {
		if len(ProvidersIn("Kent")) == 0 {
			b.Fatal("no providers")
		}
	}
}

// BenchmarkOpenAllTables decompresses and CSV-parses every embedded file: the
// bulk of the cost of a cold start that touches all the reference data.
func BenchmarkOpenAllTables(b *testing.B) {
	entries, err := data.ReadDir("data")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		rows := 0
		for _, e := range entries {
			name := e.Name()
			if len(name) > 3 && name[len(name)-3:] == ".gz" {
				name = name[:len(name)-3]
			}
			t, err := openTable(name)
			if err != nil {
				b.Fatal(err)
			}
			rows += len(t.rows)
		}
		if rows < 29000 {
			b.Fatal(rows)
		}
	}
}
