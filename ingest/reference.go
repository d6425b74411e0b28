package ingest

import (
	"math"

	"sufficiency/geo"
	"sufficiency/refdata"
	"sufficiency/ssda903/rules"
)

// RuleOptions are the validation rules' reference-data hooks, from the
// embedded public data: every council code is checked against refdata and,
// with postcodes, home and placement postcodes against the ONS Postcode
// Directory (rules 392c, 454, 503G, 503H, 1015) and distances measured as the
// DfE measures them. Validating files and importing them use the same.
func RuleOptions(postcodes bool) rules.Options {
	opt := rules.Options{CouncilKnown: councilKnown}
	if postcodes {
		opt.PostcodeLA, opt.Distance = postcodeCouncil, placementMiles
	}
	return opt
}

// postcodeCouncil is the validator's postcode hook: the council of a
// postcode from the embedded ONS Postcode Directory (by sector), "" for a
// known postcode outside England, false for an unknown one. The Ofsted
// register is not connected here: it is a 31 March 2025 snapshot without
// closed providers, so alone it would wrongly reject the URNs of homes
// closed since; an import connects it with the closed settings the store
// holds (ProviderList).
func postcodeCouncil(s string) (string, bool) {
	pc, err := geo.ParsePostcode(s)
	if err != nil || pc.Sector == "" || !geo.Known(pc) {
		return "", false
	}
	la, _ := geo.CouncilOf(pc)
	return la, true
}

// placementMiles is the validator's distance hook: the DfE placement
// distance (miles between postcode centroids, rounded to 0.1).
func placementMiles(home, placement string) (float64, bool) {
	d, err := geo.MilesBetween(home, placement)
	if err != nil {
		return 0, false
	}
	return math.Round(d*10) / 10, true
}

// councilKnown reports whether a council code (ONS, DfE 3-digit or name) exists.
func councilKnown(code string) bool {
	_, ok := refdata.CouncilByCode(code)
	return ok
}
