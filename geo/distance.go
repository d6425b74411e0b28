package geo

import (
	"math"
)

// Miles is the straight-line distance between two points in miles, exactly as
// the DfE computes PL_DISTANCE before rounding:
// √((E₁−E₂)² + (N₁−N₂)²) / 1000 / 1.6093.
func Miles(a, b Point) float64 {
	return math.Hypot(a.Easting-b.Easting, a.Northing-b.Northing) / 1000 / 1.6093
}

// MilesDfE is Miles rounded to one decimal place (half away from zero), the
// precision of PL_DISTANCE in 903 returns and DfE statistics.
func MilesDfE(a, b Point) float64 {
	return math.Round(Miles(a, b)*10) / 10
}

// Within20Miles reports whether b is 20 miles or less from a, by the DfE's
// rounded distance (the DfE's "20 miles or less" band includes 20.0).
func Within20Miles(a, b Point) bool {
	return MilesDfE(a, b) <= 20
}

// MilesBetween parses and locates two postcodes (any form ParsePostcode
// accepts) and returns the exact DfE distance between their centroids. Errors
// are those of LocateString, naming the postcode at fault.
func MilesBetween(a, b string) (float64, error) {
	pa, err := LocateString(a)
	if err != nil {
		return 0, err
	}
	pb, err := LocateString(b)
	if err != nil {
		return 0, err
	}
	return Miles(pa, pb), nil
}
