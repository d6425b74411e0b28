package geo_test

import (
	"fmt"

	"sufficiency/geo"
)

func ExampleParsePostcode() {
	for _, s := range []string{"m145ab", "M14 5", "EC1A"} {
		pc, err := geo.ParsePostcode(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%q → district %s, sector %q, unit %q\n", s, pc.District, pc.Sector, pc.Unit)
	}
	_, err := geo.ParsePostcode("M14 5A")
	fmt.Println(err)
	// Output:
	// "m145ab" → district M14, sector "M14 5", unit "M14 5AB"
	// "M14 5" → district M14, sector "M14 5", unit ""
	// "EC1A" → district EC1A, sector "", unit ""
	// "M14 5A" is not a UK postcode: the part after the space must be a digit (sector) or a digit and two letters (full postcode); give a full postcode (M14 5AB), a sector (M14 5) or a district (M14)
}

func ExampleMilesDfE() {
	home, _ := geo.LocateString("M14")
	placement, _ := geo.LocateString("SW1A")
	fmt.Println(geo.MilesDfE(home, placement), geo.Within20Miles(home, placement))
	// Output: 160.8 false
}

func ExampleDerive() {
	d, _ := geo.Derive("M14 5AB", "SK8 3", "Manchester")
	fmt.Println(d.Council, d.Location, d.HasDistance)
	// Output: E08000007 OUT true
}
