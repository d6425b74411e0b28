package geo

// Derived holds the fields the DfE derives for a placement from the child's
// home postcode and the placement postcode (PL_LA, PL_LOCATION, PL_DISTANCE).
type Derived struct {
	Council     string  // PL_LA: ONS code of the English council the placement is in; "" outside England or unknown
	Location    string  // PL_LOCATION: IN, OUT, WAL, SCO or NIR; "" when it cannot be told
	Miles       float64 // PL_DISTANCE: miles between the two centroids, rounded to 0.1 (MilesDfE)
	HasDistance bool    // false when either postcode has no National Grid position
}

// Derive computes the DfE's derived placement fields from a child's home
// postcode, the placement postcode (any form ParsePostcode accepts; the
// more precise, the better) and the child's council (ONS code, DfE code or
// name). A malformed postcode gives EINVALID; a well-formed one that cannot
// be placed just leaves the fields it affects empty, as the DfE leaves them
// blank.
func Derive(home, placement, council string) (Derived, error) {
	hp, err := ParsePostcode(home)
	if err != nil {
		return Derived{}, err
	}
	pp, err := ParsePostcode(placement)
	if err != nil {
		return Derived{}, err
	}
	var d Derived
	d.Council, _ = CouncilOf(pp)
	d.Location, _ = Location(pp, council)
	a, okA := Locate(hp)
	b, okB := Locate(pp)
	if okA && okB {
		d.Miles, d.HasDistance = MilesDfE(a, b), true
	}
	return d, nil
}
