package synth

import "sufficiency/geo"

// postcodeLA is the validator's postcode hook, from the embedded ONS data.
func postcodeLA(s string) (string, bool) {
	pc, err := geo.ParsePostcode(s)
	if err != nil || pc.Sector == "" || !geo.Known(pc) {
		return "", false
	}
	la, _ := geo.CouncilOf(pc)
	return la, true
}
