package geo

import (
	"bytes"
	"sort"
	"strings"

	"sufficiency/refdata"
)

// Share is the share of a postcode district's (or sector's) postcodes that lie
// in one children's services council.
type Share struct {
	Council string  // ONS code, e.g. "E08000003"
	Share   float64 // 0–1
}

// District is a postcode district as seen from one council: its centroid, the
// share of its postcodes in that council, and its weight for drawing a
// district of the council at random.
type District struct {
	Code   string  // e.g. "M14"
	Point  Point   // centroid of all its postcodes
	Share  float64 // share of the district's postcodes that lie in the council
	Weight float64 // probability of this district among the council's districts (they sum to 1)
}

// Sector is a postcode sector as seen from one council (see District).
type Sector struct {
	Code     string // e.g. "M14 5"
	District string // e.g. "M14"
	Point    Point
	Share    float64 // share of the sector's postcodes in the council (sectors are assigned whole to their main council)
	Weight   float64 // probability of this sector among the council's sectors (they sum to 1)
}

// CouncilShares returns how the postcodes of a district split between
// English children's services councils, largest share first. district may be
// any form ParsePostcode accepts (only its district is used). The shares sum
// to less than 1 where part of the district lies in Wales or Scotland (e.g.
// NP16: Gloucestershire 0.214). It returns nil for an unknown or malformed
// district and for a district wholly outside England.
func CouncilShares(district string) []Share {
	pc, err := ParsePostcode(district)
	if err != nil {
		return nil
	}
	d := load().districts[pc.District]
	if d == nil {
		return nil
	}
	return append([]Share(nil), d.shares...)
}

// CouncilOf returns the ONS code of the English children's services council a
// postcode is in: for a sector or full postcode, the council holding most of
// its sector's postcodes; for a district (or a sector not in the directory),
// the English council holding most of the district's. It reports false for an
// unknown postcode and for one lying mostly outside England (for those see
// CountryOf).
func CouncilOf(pc Postcode) (string, bool) {
	ix := compact()
	if pc.Sector != "" {
		if s := ix.sector(pc.Sector); s != nil && ix.sectCouncil(s) != "" {
			if !sectEnglish(s) {
				return "", false // the sector lies mostly in Wales or Scotland
			}
			return ix.sectCouncil(s), true
		}
	}
	if d := ix.district(pc.District); d != nil && distHasCouncil(d) {
		return ix.distCouncil(d), true
	}
	return "", false
}

// InCouncil reports whether pc lies in the council (ONS code, DfE code or
// name), by CouncilOf.
func InCouncil(pc Postcode, council string) bool {
	c, ok := refdata.CouncilByCode(council)
	if !ok {
		return false
	}
	got, ok := CouncilOf(pc)
	return ok && got == c.Code
}

// DistrictsOf returns the live postcode districts with postcodes in a council
// (ONS code, DfE code or name), sorted by code, with weights that sum to 1 for
// drawing a district in proportion to the council's population living in it
// (2011 Census population × the council's share of the district). An unknown
// council gives nil.
func DistrictsOf(council string) []District {
	c, ok := refdata.CouncilByCode(council)
	if !ok {
		return nil
	}
	return append([]District(nil), load().byCouncil[c.Code]...)
}

// SectorsOf returns the postcode sectors whose main council is council (ONS
// code, DfE code or name), sorted by code, with weights that sum to 1 in
// proportion to their postcode counts. An unknown council gives nil.
func SectorsOf(council string) []Sector {
	c, ok := refdata.CouncilByCode(council)
	if !ok {
		return nil
	}
	return append([]Sector(nil), load().secByC[c.Code]...)
}

// PickDistrict draws a district in proportion to Weight, given u in [0, 1)
// (e.g. from rand.Float64): it returns the district whose cumulative weight
// first exceeds u times the total weight, so a filtered list whose weights no
// longer sum to 1 is still drawn in proportion. It reports false for an empty
// list or one whose weights are all zero.
func PickDistrict(ds []District, u float64) (District, bool) {
	i, ok := pick(len(ds), func(i int) float64 { return ds[i].Weight }, u)
	if !ok {
		return District{}, false
	}
	return ds[i], true
}

// PickSector is PickDistrict for sectors.
func PickSector(ss []Sector, u float64) (Sector, bool) {
	i, ok := pick(len(ss), func(i int) float64 { return ss[i].Weight }, u)
	if !ok {
		return Sector{}, false
	}
	return ss[i], true
}

// pick returns the index whose cumulative weight first exceeds u × total.
func pick(n int, weight func(int) float64, u float64) (int, bool) {
	var total float64
	for i := 0; i < n; i++ {
		if w := weight(i); w > 0 {
			total += w
		}
	}
	if total <= 0 {
		return 0, false
	}
	target := u * total
	var cum float64
	last := -1
	for i := 0; i < n; i++ {
		w := weight(i)
		if w <= 0 {
			continue
		}
		last = i
		cum += w
		if target < cum {
			return i, true
		}
	}
	return last, true
}

// Location codes, as the DfE derives PL_LOCATION for a placement.
const (
	LocationIn       = "IN"  // inside the child's council
	LocationOut      = "OUT" // in another English council
	LocationWales    = "WAL"
	LocationScotland = "SCO"
	LocationNI       = "NIR"
)

// Location returns where a placement postcode lies relative to the child's
// council (ONS code, DfE code or name), as the DfE's derived PL_LOCATION: IN,
// OUT (elsewhere in England), WAL, SCO or NIR. It reports false when the
// postcode or council is unknown, or the place is outside the UK countries
// (Channel Islands, Isle of Man).
func Location(placement Postcode, council string) (string, bool) {
	c, ok := refdata.CouncilByCode(council)
	if !ok {
		return "", false
	}
	country, ok := CountryOf(placement)
	if !ok {
		return "", false
	}
	switch country {
	case "England":
		got, ok := CouncilOf(placement)
		if !ok {
			return "", false
		}
		if got == c.Code {
			return LocationIn, true
		}
		return LocationOut, true
	case "Wales":
		return LocationWales, true
	case "Scotland":
		return LocationScotland, true
	case "Northern Ireland":
		return LocationNI, true
	}
	return "", false
}

// DistrictsPlacingIn returns every postcode district (sorted) holding a
// postcode that CouncilOf places in one of councils (ONS codes): districts
// whose main English council is one of them, and districts with a sector
// whose council is. A placement whose postcode is in no returned district
// is in none of the councils by CouncilOf, so a store can look placements
// in an area up by district and let CouncilOf decide.
func DistrictsPlacingIn(councils []string) []string {
	want := make(map[string]bool, len(councils))
	for _, c := range councils {
		want[c] = true
	}
	ix := compact()
	set := map[string]bool{}
	for i := 0; i+distRec <= len(ix.districts); i += distRec {
		r := ix.districts[i : i+distRec]
		if distHasCouncil(r) && want[ix.distCouncil(r)] {
			set[codeOf(r[:distKey])] = true
		}
	}
	for i := 0; i+sectRec <= len(ix.sectors); i += sectRec {
		r := ix.sectors[i : i+sectRec]
		if c := ix.sectCouncil(r); c != "" && sectEnglish(r) && want[c] {
			d, _, _ := strings.Cut(codeOf(r[:sectKey]), " ")
			set[d] = true
		}
	}
	out := make([]string, 0, len(set))
	for d := range set {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// codeOf is a zero-padded code of the compact index as a string.
func codeOf(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}
