package refdata_test

import (
	"fmt"

	"sufficiency/refdata"
)

func ExampleCouncilsInRegion() {
	cs, _ := refdata.CouncilsInRegion("north east")
	fmt.Println(len(cs), cs[0].Name, cs[0].DfECode)
	_, err := refdata.CouncilsInRegion("Wessex")
	fmt.Println(err)
	// Output:
	// 12 Hartlepool 805
	// "Wessex" is not an English region: use one of "North East", "North West", "Yorkshire and The Humber", "East Midlands", "West Midlands", "East of England", "London", "South East", "South West"
}

func ExampleCLATotalsFor() {
	f, _ := refdata.CLATotalsFor("Manchester", 2023)
	fmt.Println(f.CLA31Mar, f.Starts, f.Ceases)
	s, _ := refdata.CLATotalsFor("City of London", 2015)
	fmt.Println(s.CLA31Mar, s.Starts, s.Starts.Known)
	// Output:
	// 1336 510 565
	// 8 x false
}
