package analysis

import (
	"testing"

	"sufficiency/internal/storetest"
)

// benchStore is a SQLite store of three North East councils with 2,000
// children each (storetest.Fixture), as the CLI reads it.
func benchStore(b *testing.B) (Store, Scope, Scope) {
	b.Helper()
	db := openDB(b)
	for _, c := range []string{hartlepool, middlesbrough, "E06000003"} {
		storetest.MustImport(b, db, storetest.Fixture(c, []int{2024, 2025}, 2000, c))
	}
	// Parse the embedded register and postcodes once, outside the timings.
	if _, err := Provisions(ctx(), nil); err != nil {
		b.Fatal(err)
	}
	NewLocator().CouncilOf("TS1 2")
	council, err := resolve(db, hartlepool, "")
	if err != nil {
		b.Fatal(err)
	}
	region, err := resolve(db, "", "North East")
	if err != nil {
		b.Fatal(err)
	}
	return db, council, region
}

// BenchmarkPicture is the CLI's picture: read, assemble and compute.
func BenchmarkPicture(b *testing.B) {
	st, council, region := benchStore(b)
	for _, bc := range []struct {
		name string
		sc   Scope
	}{{"Council", council}, {"Region", region}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Picture(ctx(), st, bc.sc, PictureOptions{Options: Options{At: "2024-03-31"}, InPlacers: true, Published: true, CoverageNotes: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReview is the CLI's review of a region, with the stored returns.
func BenchmarkReview(b *testing.B) {
	st, _, region := benchStore(b)
	for b.Loop() {
		if _, err := Review(ctx(), st, region, ReviewOptions{Options: Options{At: "2024-03-31"}, StatutoryRecords: true}); err != nil {
			b.Fatal(err)
		}
	}
}
