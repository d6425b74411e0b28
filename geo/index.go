package geo

import (
	"sort"
	"strings"
	"sufficiency/refdata"
	"sync"
)

type districtInfo struct {
	pt       Point
	ok       bool // has a National Grid position
	irish    bool // published on the Irish Grid (Northern Ireland): pt converted from latitude/longitude
	country  string
	shares   []Share
	pop      int
	postcode int
	inactive bool
}

type sectorInfo struct {
	pt       Point
	ok       bool
	council  string
	share    float64
	postcode int
}

type index struct {
	districts map[string]*districtInfo
	sectors   map[string]*sectorInfo
	byCouncil map[string][]District
	secByC    map[string][]Sector
	english   map[string]bool // ONS codes of the 153 English councils
}

var idxOnce struct {
	sync.Once
	idx *index
}

func load() *index {
	idxOnce.Do(func() { idxOnce.idx = buildIndex() })
	return idxOnce.idx
}

func buildIndex() *index {
	ix := &index{
		districts: map[string]*districtInfo{},
		sectors:   map[string]*sectorInfo{},
		byCouncil: map[string][]District{},
		secByC:    map[string][]Sector{},
		english:   map[string]bool{},
	}
	for _, c := range refdata.Councils() {
		ix.english[c.Code] = true
	}
	for _, d := range refdata.PostcodeDistricts() {
		di := &districtInfo{
			pt:       Point{d.Easting, d.Northing},
			ok:       d.HasPoint,
			irish:    d.IrishGrid,
			country:  d.Country,
			pop:      d.Population2011,
			postcode: d.Postcodes,
			inactive: d.LikelyInactive,
		}
		if d.IrishGrid && d.HasPoint {
			di.pt = FromLatLon(d.Lat, d.Lon) // Irish Grid is not comparable: reproject
		}
		for _, s := range d.Councils {
			di.shares = append(di.shares, Share{Council: s.Council, Share: s.Share})
		}
		ix.districts[d.Code] = di
	}
	for _, s := range refdata.PostcodeSectors() {
		si := &sectorInfo{
			pt:       Point{s.Easting, s.Northing},
			ok:       s.HasPoint,
			council:  s.Council,
			share:    s.CouncilShare,
			postcode: s.Postcodes,
		}
		if isIrish(ix.districts[s.District]) && s.HasPoint {
			si.pt = FromLatLon(s.Lat, s.Lon)
		}
		ix.sectors[s.Code] = si
	}
	ix.buildCouncilDistricts()
	ix.buildCouncilSectors()
	return ix
}

func isIrish(d *districtInfo) bool { return d != nil && d.irish }

// buildCouncilDistricts weights each live district of a council by the people
// it holds in that council: its 2011 Census population times the council's
// share of its postcodes. Where the population is not known, the district's
// postcode count stands in, scaled by the council's people per postcode.
func (ix *index) buildCouncilDistricts() {
	type cand struct {
		code      string
		d         *districtInfo
		share     float64
		pop, pcds float64
	}
	cands := map[string][]cand{}
	for code, d := range ix.districts {
		if !d.ok || d.inactive {
			continue
		}
		for _, s := range d.shares {
			cands[s.Council] = append(cands[s.Council], cand{code, d, s.Share,
				float64(d.pop) * s.Share, float64(d.postcode) * s.Share})
		}
	}
	for council, cs := range cands {
		var pop, pcds float64
		for _, c := range cs {
			if c.pop > 0 {
				pop += c.pop
				pcds += c.pcds
			}
		}
		perPostcode := 1.0
		if pop > 0 && pcds > 0 {
			perPostcode = pop / pcds
		}
		var total float64
		ws := make([]float64, len(cs))
		for i, c := range cs {
			w := c.pop
			if w <= 0 {
				w = c.pcds * perPostcode
			}
			ws[i] = w
			total += w
		}
		out := make([]District, 0, len(cs))
		for i, c := range cs {
			if ws[i] <= 0 {
				continue
			}
			out = append(out, District{Code: c.code, Point: c.d.pt, Share: c.share, Weight: ws[i] / total})
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
		ix.byCouncil[council] = out
	}
}

// buildCouncilSectors weights each sector of a council by its postcode count
// (no population is published by sector). Sectors of districts with no live
// postcodes are left out.
func (ix *index) buildCouncilSectors() {
	totals := map[string]float64{}
	for code, s := range ix.sectors {
		if !s.ok || s.council == "" || s.postcode == 0 {
			continue
		}
		dist, _, _ := strings.Cut(code, " ")
		if d := ix.districts[dist]; d != nil && d.inactive {
			continue
		}
		ix.secByC[s.council] = append(ix.secByC[s.council], Sector{
			Code: code, District: dist, Point: s.pt, Share: s.share, Weight: float64(s.postcode)})
		totals[s.council] += float64(s.postcode)
	}
	for c, ss := range ix.secByC {
		for i := range ss {
			ss[i].Weight /= totals[c]
		}
		sort.Slice(ss, func(i, j int) bool { return ss[i].Code < ss[j].Code })
	}
}
