package refdata

import (
	"sort"
	"strings"
	"sync"
)

// CouncilShare is the share of a postcode district's or sector's postcodes
// that lie in one children's services council (ONS code).
type CouncilShare struct {
	Council string  // ONS code of the children's services council (upper-tier authority)
	Share   float64 // 0–1
}

// PostcodeDistrict is one postcode district (outcode, e.g. "M14") from the
// ONS Postcode Directory, November 2025: the mean position of its postcodes
// and how they split between children's services councils.
type PostcodeDistrict struct {
	Code            string  // outcode, e.g. "M14"
	Area            string  // postcode area, e.g. "M"
	Country         string  // "England", "Wales", "Scotland", "Northern Ireland", ...
	Lat, Lon        float64 // WGS84 centroid
	Easting         float64 // centroid easting in metres (OSGB36 National Grid; Irish Grid for Northern Ireland)
	Northing        float64 // centroid northing in metres
	HasPoint        bool    // false for non-geographic outcodes (PO boxes, Channel Islands, Isle of Man)
	IrishGrid       bool    // true when Easting/Northing are on the Irish Grid (Northern Ireland, "BT")
	Postcodes       int     // postcodes with coordinates (live and terminated)
	Councils        []CouncilShare
	Population2011  int  // 2011 Census population (Doogal, 2023 export); 0 when not known
	Households2011  int  // 2011 Census households; 0 when not known
	LikelyInactive  bool // no live postcodes in 2023 (re-coded or retired outcode)
	ActivePostcodes int  // live postcodes in 2023 (Doogal); 0 when not known or none
}

// PostcodeSector is one postcode sector (e.g. "M14 5") from the ONS Postcode
// Directory, November 2025. Only the main council is recorded for a sector.
type PostcodeSector struct {
	Code         string  // sector with one space, e.g. "M14 5"
	District     string  // outcode, e.g. "M14"
	Lat, Lon     float64 // WGS84 centroid
	Easting      float64 // centroid easting in metres (National Grid; Irish Grid in Northern Ireland, see the district's IrishGrid)
	Northing     float64
	HasPoint     bool    // false for sectors without coordinates (non-geographic)
	Postcodes    int     // postcodes with coordinates
	Council      string  // ONS code of the council holding most of its postcodes ("" outside England)
	CouncilShare float64 // share of the sector's postcodes in Council
}

var postcodeOnce struct {
	districts, sectors sync.Once
	d                  []PostcodeDistrict
	s                  []PostcodeSector
}

// PostcodeDistricts returns every UK postcode district, sorted by code. The
// slice is shared: callers must not modify it.
func PostcodeDistricts() []PostcodeDistrict {
	postcodeOnce.districts.Do(func() { postcodeOnce.d = loadDistricts() })
	return postcodeOnce.d
}

// PostcodeSectors returns every UK postcode sector, sorted by code. The slice
// is shared: callers must not modify it.
func PostcodeSectors() []PostcodeSector {
	postcodeOnce.sectors.Do(func() { postcodeOnce.s = loadSectors() })
	return postcodeOnce.s
}

func loadDistricts() []PostcodeDistrict {
	t := mustTable("uk_postcode_district_centroids.csv", "outcode", "easting", "northing", "cssrs_all")
	out := make([]PostcodeDistrict, 0, len(t.rows))
	for _, r := range t.rows {
		d := PostcodeDistrict{
			Code:    strings.ToUpper(t.get(r, "outcode")),
			Area:    t.get(r, "postcode_area"),
			Country: t.get(r, "country"),
		}
		e, eok := atof(t.get(r, "easting"))
		n, nok := atof(t.get(r, "northing"))
		d.Lat, _ = atof(t.get(r, "latitude"))
		d.Lon, _ = atof(t.get(r, "longitude"))
		d.Easting, d.Northing, d.HasPoint = e, n, eok && nok
		d.IrishGrid = t.get(r, "grid") != "" && t.get(r, "grid") != "OSGB36"
		d.Postcodes, _ = atoi(t.get(r, "n_postcodes_with_coords"))
		d.Councils = parseShares(t.get(r, "cssrs_all"))
		d.Population2011, _ = atoi(t.get(r, "doogal_population_2011"))
		d.Households2011, _ = atoi(t.get(r, "doogal_households_2011"))
		d.ActivePostcodes, _ = atoi(t.get(r, "doogal_active_postcodes"))
		d.LikelyInactive = t.get(r, "likely_inactive") == "Y"
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// parseShares reads "E08000003:0.950;E08000009:0.050", largest share first.
func parseShares(s string) []CouncilShare {
	if s == "" {
		return nil
	}
	var out []CouncilShare
	for _, part := range strings.Split(s, ";") {
		code, share, ok := strings.Cut(part, ":")
		if !ok {
			continue
		}
		v, ok := atof(share)
		if !ok || code == "" {
			continue
		}
		out = append(out, CouncilShare{Council: strings.TrimSpace(code), Share: v})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Share > out[j].Share })
	return out
}

func loadSectors() []PostcodeSector {
	t := mustTable("uk_postcode_sector_centroids.csv", "sector", "outcode", "easting", "northing", "cssr_code")
	out := make([]PostcodeSector, 0, len(t.rows))
	for _, r := range t.rows {
		s := PostcodeSector{
			Code:     strings.ToUpper(t.get(r, "sector")),
			District: strings.ToUpper(t.get(r, "outcode")),
			Council:  t.get(r, "cssr_code"),
		}
		e, eok := atof(t.get(r, "easting"))
		n, nok := atof(t.get(r, "northing"))
		s.Easting, s.Northing, s.HasPoint = e, n, eok && nok
		s.Lat, _ = atof(t.get(r, "latitude"))
		s.Lon, _ = atof(t.get(r, "longitude"))
		s.Postcodes, _ = atoi(t.get(r, "n_postcodes_with_coords"))
		s.CouncilShare, _ = atof(t.get(r, "cssr_share"))
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}
