package geo

import (
	"sufficiency/care"
	"sufficiency/refdata"
)

// Point is a position on the Ordnance Survey National Grid (OSGB36), in
// metres east and north of the grid's false origin.
type Point struct {
	Easting, Northing float64
}

// Locate returns the centroid of a postcode on the National Grid: its
// sector's when the sector is known, else its district's. Northern Ireland's
// centroids, published on the Irish Grid, are reprojected from their
// latitude and longitude (FromLatLon). It reports false when neither sector
// nor district is known or has coordinates (non-geographic districts, the
// Channel Islands, the Isle of Man).
func Locate(pc Postcode) (Point, bool) {
	ix := compact()
	if pc.Sector != "" {
		if s := ix.sector(pc.Sector); s != nil && sectHasPoint(s) {
			return sectPoint(s), true
		}
	}
	if d := ix.district(pc.District); d != nil && distHasPoint(d) {
		return distPoint(d), true
	}
	return Point{}, false
}

// LocateString parses s (see ParsePostcode) and locates it (see Locate). It
// gives EINVALID for a malformed postcode and ENOTFOUND for a well-formed one
// with no known position.
func LocateString(s string) (Point, error) {
	pc, err := ParsePostcode(s)
	if err != nil {
		return Point{}, err
	}
	pt, ok := Locate(pc)
	if !ok {
		return Point{}, care.Errorf(care.ENOTFOUND,
			"postcode %q has no position in the ONS Postcode Directory (unknown, non-geographic, Channel Islands or Isle of Man): check it, or give its district", pc.String())
	}
	return pt, nil
}

// Known reports whether the district (and the sector, if given) of pc exists
// in the ONS Postcode Directory.
func Known(pc Postcode) bool {
	ix := compact()
	if ix.district(pc.District) == nil {
		return false
	}
	if pc.Sector != "" {
		return ix.sector(pc.Sector) != nil
	}
	return true
}

// CountryOf returns the country a postcode is in: "England", "Wales",
// "Scotland", "Northern Ireland", "Channel Islands" or "Isle of Man". A sector
// is judged by the authority holding most of its postcodes (border districts
// such as SY10 or NP16 hold sectors on both sides); a district by the ONS
// Postcode Directory's country for it. It reports false for an unknown
// postcode.
func CountryOf(pc Postcode) (string, bool) {
	ix := compact()
	if pc.Sector != "" {
		if s := ix.sector(pc.Sector); s != nil {
			if c := ix.sectCouncil(s); c != "" {
				switch c[0] {
				case 'E':
					return "England", true
				case 'W':
					return "Wales", true
				case 'S':
					return "Scotland", true
				case 'N':
					return "Northern Ireland", true
				}
			}
		}
	}
	d := ix.district(pc.District)
	if d == nil || ix.distCountry(d) == "" {
		return "", false
	}
	return ix.distCountry(d), true
}

// CouncilCentre returns a council's centroid (the mean position of its
// postcodes; see refdata.Council). It reports false for an unknown council.
func CouncilCentre(council string) (Point, bool) {
	c, ok := refdata.CouncilByCode(council)
	if !ok {
		return Point{}, false
	}
	return Point{c.Easting, c.Northing}, true
}
