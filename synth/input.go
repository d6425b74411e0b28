package synth

import (
	"math"

	"sufficiency/care"
)

// Kind is the generator's placement kind: the placement groups the published
// statistics report, with fostering split three ways (friends and relatives,
// in-house, agency) because their prices and locations differ.
type Kind uint8

// Placement kinds.
const (
	KindFosterRelative    Kind = iota // U1–U3
	KindFosterInHouse                 // U4–U6 with the council's own carers (PR1)
	KindFosterAgency                  // U4–U6 with an independent fostering agency (PR4/PR5)
	KindChildrensHome                 // K2
	KindSecure                        // K1
	KindSupported                     // H5/P2 before 2024/25, K3 from 2024/25
	KindParents                       // P1
	KindAdoption                      // A3–A6
	KindResidentialSchool             // S1
	KindOtherResidential              // R1, R2, R3, R5
	KindOther                         // Z1
	nKinds
)

var kindNames = [nKinds]string{
	"foster_relative", "foster_inhouse", "foster_agency", "childrens_home", "secure", "supported",
	"placed_with_parents", "adoption", "residential_school", "other_residential", "other",
}

// String returns the kind's name as used in the calibration report.
func (k Kind) String() string {
	if k < nKinds {
		return kindNames[k]
	}
	return "unknown"
}

// Kinds lists every placement kind in report order.
func Kinds() []Kind {
	out := make([]Kind, nKinds)
	for i := range out {
		out[i] = Kind(i)
	}
	return out
}

// KindOf maps an SSDA903 placement and provider to a generator kind.
func KindOf(p care.PlacementType, pr care.ProviderType) Kind {
	switch p.Group() {
	case care.GroupFosterRelative:
		return KindFosterRelative
	case care.GroupFosterOther:
		if pr.External() {
			return KindFosterAgency
		}
		return KindFosterInHouse
	case care.GroupChildrensHome:
		if p == "R1" {
			return KindOtherResidential
		}
		return KindChildrensHome
	case care.GroupSecure:
		return KindSecure
	case care.GroupSupported:
		return KindSupported
	case care.GroupPlacedWithParents:
		return KindParents
	case care.GroupAdoption:
		return KindAdoption
	case care.GroupResidentialSchool:
		return KindResidentialSchool
	}
	switch p {
	case "R2", "R3", "R5", "P3":
		return KindOtherResidential
	}
	return KindOther
}

// Age bands of the published statistics.
const (
	bandUnder1 = iota
	band1to4
	band5to9
	band10to15
	band16plus
	nBands
)

// AgeBands names the published age bands, in order.
var AgeBands = [nBands]string{"under 1", "1 to 4", "5 to 9", "10 to 15", "16 and over"}

func bandOf(age int) int {
	switch {
	case age < 1:
		return bandUnder1
	case age < 5:
		return band1to4
	case age < 10:
		return band5to9
	case age < 16:
		return band10to15
	}
	return band16plus
}

// Target is one year's totals the generator must follow for a council: the
// published figures, or where none were published an interpolation or the
// national trend (Source says which).
type Target struct {
	Year   int     // year ending 31 March
	Stock  float64 // children looked after at 31 March
	Starts float64 // children who started to be looked after during the year
	Ceases float64 // children who ceased to be looked after during the year
	Source string  // "published", "interpolated" or "national trend"
}

// Place is a postcode sector the generator can put a child or a carer in.
type Place struct {
	Code              string  // sector, e.g. "M14 5"
	Council           string  // ONS code of its main council ("" outside England)
	Easting, Northing float64 // National Grid metres
	Weight            float64 // relative weight for drawing it within its council
}

// Home is one Ofsted-registered setting children can be placed in (children's
// homes, secure homes, residential special schools, supported accommodation).
type Home struct {
	URN        string
	Name       string
	Owner      string
	Kind       care.ProvisionKind
	Sector     care.Sector
	Council    string // ONS code
	Places     int
	Rating     care.Rating
	Registered day    // registration date (noDay when unknown)
	Closed     day    // the day it closed (noDay while open; see closedHomes)
	Postcode   string // the sector the generator placed it in (Ofsted withholds homes' postcodes)
	Easting    float64
	Northing   float64
}

// CouncilInput is everything the generator needs to know about one council:
// plain numbers, filled from the reference data by FromRefdata or by hand in
// tests.
type CouncilInput struct {
	Code    string // ONS code
	DfECode string
	Name    string
	Region  string

	// Targets holds one entry per year from the year before the first
	// generated year (its Stock is the starting stock) to the last.
	Targets []Target

	// Mix is the share of children at 31 March in each placement kind
	// (sums to 1); AgeMix the share in each published age band.
	Mix    [nKinds]float64
	AgeMix [nBands]float64
	// HomesShare is, by year, the published share of children at 31 March
	// in secure and children's homes (every year the DfE published the
	// council's placement mix). The placement feedback follows it from year
	// to year (see mixTarget); Mix is the target of other years.
	HomesShare map[int]float64

	UASCShare   float64 // share of children at 31 March who are unaccompanied asylum-seeking children
	InsideShare float64 // share placed inside the council's boundary
	Over20Share float64 // share placed more than 20 miles from home

	// Sectors are the council's postcode sectors with population weights,
	// for home addresses and in-council placements.
	Sectors []Place
	// Easting, Northing: the council's centroid.
	Easting, Northing float64
	// Pop0to17 is the council's child population (for sizing supply).
	Pop0to17 int
}

// National holds the national breakdowns the generator follows where no
// council figure is published.
type National struct {
	StartAge       [nBands]float64 // age on starting
	StartMale      float64         // share of starters who are boys
	StartUASC      float64         // share of starters who are UASC
	StartLegal     [4]float64      // s20 (V2), care order (C1), detained for protection (L1/L2), youth justice (J1)
	CategoryOfNeed [8]float64      // N1–N8 of starters
	Ethnicity      []Weighted      // ETHNIC codes with shares
	Mix            [nKinds]float64 // England's mix at 31 March
	InsideShare    float64         // England: share placed inside the council boundary
	Over20Share    float64         // England: share placed more than 20 miles away
	// KindInside is the share of each kind placed inside the council boundary (England).
	KindInside [nKinds]float64
	Costs      Costs
}

// Weighted is a code with a weight.
type Weighted struct {
	Code   string
	Weight float64
}

// Costs are the weekly price parameters, in pounds at 2024 prices, with the
// yearly growth used to move them to other years.
type Costs struct {
	ChildrensHome     float64 // average residential weekly cost, 2024 (≈ £6,000)
	ChildrensHomeSD   float64 // log-scale spread (gives the tail above £10,000)
	FosterAgency      float64 // ≈ £900
	FosterInHouse     float64 // ≈ £450
	FosterRelative    float64
	Supported         float64
	Secure            float64
	ResidentialSchool float64
	OtherResidential  float64
	GrowthResidential float64 // yearly price growth of residential and supported placements
	GrowthFostering   float64 // yearly price growth of fostering
}

// ipf fits a joint age-band × kind table to the given margins by iterative
// proportional fitting, starting from seed (whose zeros stay zero).
func ipf(seed [nBands][nKinds]float64, rows [nBands]float64, cols [nKinds]float64) [nBands][nKinds]float64 {
	t := seed
	for it := 0; it < 50; it++ {
		for a := 0; a < nBands; a++ {
			var s float64
			for k := 0; k < int(nKinds); k++ {
				s += t[a][k]
			}
			if s > 0 {
				f := rows[a] / s
				for k := 0; k < int(nKinds); k++ {
					t[a][k] *= f
				}
			}
		}
		for k := 0; k < int(nKinds); k++ {
			var s float64
			for a := 0; a < nBands; a++ {
				s += t[a][k]
			}
			if s > 0 {
				f := cols[k] / s
				for a := 0; a < nBands; a++ {
					t[a][k] *= f
				}
			}
		}
	}
	return t
}

// kindSeed is the structural pattern of placements by age that the fit starts
// from: which kinds are possible at which ages and roughly how common. The
// fit then matches the council's published age and placement margins.
var kindSeed = [nBands][nKinds]float64{
	//  rel  inh  agy  home  sec   sup  par  adopt sch  ores  oth
	{1.0, 1.0, 0.5, 0.001, 0, 0, 1.0, 0.6, 0, 1.0, 0.3},   // under 1
	{1.0, 1.0, 0.7, 0.005, 0, 0, 1.0, 1.0, 0, 0.05, 0.3},  // 1–4
	{1.0, 1.0, 1.0, 0.05, 0, 0, 1.0, 0.1, 0.5, 0.02, 0.3}, // 5–9
	{1.0, 0.8, 1.0, 1.0, 0.5, 0, 0.7, 0, 1.0, 0.3, 1.0},   // 10–15
	{0.6, 0.5, 0.6, 0.8, 0.3, 1.0, 0.3, 0, 0.5, 1.0, 1.0}, // 16+
}

func normalise(v []float64) {
	var s float64
	for _, x := range v {
		s += x
	}
	if s <= 0 {
		return
	}
	for i := range v {
		v[i] /= s
	}
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

func pow(x, y float64) float64 { return math.Pow(x, y) }
