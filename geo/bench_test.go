package geo

import "testing"

func BenchmarkParsePostcode(b *testing.B) {
	in := []string{"M14 5AB", "m145ab", "M14 5", "SW1A", "EC1A 1BB", "garbage"}
	for i := 0; b.Loop(); i++ {
		ParsePostcode(in[i%len(in)])
	}
}

func BenchmarkLocate(b *testing.B) {
	var pcs []Postcode
	for _, s := range []string{"M14 5AB", "SW1A 1", "LS1", "B15 2", "NE1 4"} {
		p, err := ParsePostcode(s)
		if err != nil {
			b.Fatal(err)
		}
		pcs = append(pcs, p)
	}
	load()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, ok := Locate(pcs[i%len(pcs)]); !ok {
			b.Fatal("not found")
		}
	}
}

// BenchmarkParseLocateMiles is one 903 episode's distance: parse two
// postcodes, locate both, measure.
func BenchmarkParseLocateMiles(b *testing.B) {
	load()
	for b.Loop() {
		if _, err := MilesBetween("M14 5AB", "SK8 3"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMiles(b *testing.B) {
	a, c := Point{385516, 395208}, Point{529622, 179766}
	var sum float64
	for b.Loop() {
		sum += MilesDfE(a, c)
	}
	if sum == 0 {
		b.Fatal("no distance")
	}
}

func BenchmarkCouncilOf(b *testing.B) {
	p, _ := ParsePostcode("SK8 3")
	load()
	for b.Loop() {
		if _, ok := CouncilOf(p); !ok {
			b.Fatal("no council")
		}
	}
}

// BenchmarkBuildIndex is the full index's start-up (first CouncilShares,
// DistrictsOf or SectorsOf): building the district and sector maps and the
// per-council weights from already-parsed refdata tables. The point lookups
// use the compact table instead (BenchmarkOpenCompact).
func BenchmarkBuildIndex(b *testing.B) {
	load()
	for b.Loop() {
		if ix := buildIndex(); len(ix.districts) == 0 {
			b.Fatal("empty")
		}
	}
}

func BenchmarkDistrictsOfPick(b *testing.B) {
	load()
	for i := 0; b.Loop(); i++ {
		ds := DistrictsOf("Kent")
		if _, ok := PickDistrict(ds, float64(i%1000)/1000); !ok {
			b.Fatal("none")
		}
	}
}

// BenchmarkOpenCompact is the point lookups' start-up: checking the embedded
// compact table and packing its codes for binary search (what the first
// Known, Locate, CouncilOf or CountryOf of a process costs).
func BenchmarkOpenCompact(b *testing.B) {
	for b.Loop() {
		if _, ok := decodeCompact(postcodeIndexFile); !ok {
			b.Fatal("bad table")
		}
	}
}

// BenchmarkPostcodeHook is the validator's postcode hook (cmd/sufficiency's
// postcodeCouncil): parse, Known, CouncilOf.
func BenchmarkPostcodeHook(b *testing.B) {
	in := []string{"M14 5AB", "SK8 3", "TS24 8BT", "LS1 4", "Q17 9PC"}
	compact()
	for i := 0; b.Loop(); i++ {
		pc, err := ParsePostcode(in[i%len(in)])
		if err == nil && pc.Sector != "" && Known(pc) {
			CouncilOf(pc)
		}
	}
}
