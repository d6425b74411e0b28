// Package market analyses the market of places for children in care:
// concentration of places and of spend by owner group (HHI, top-5 and top-10
// shares) per region and nationally; the share of places by sector and owner;
// the Ofsted ratings mix; places per 10,000 children by region; price
// benchmarks and price growth by placement and provider type; value for money
// (price against rating and needs); and the provider-failure contingency view
// the financial-oversight regime asks for: for each owner group, the children
// who would need a new home if it failed, the places it holds in each region,
// and how hard they would be to replace.
//
// It is a pure library over domain values: the Ofsted register as
// care.Provision values, councils with their regions and populations, and,
// where loaded, children's episodes with weekly costs.
package market

import (
	"sort"
	"strings"
	"time"

	"sufficiency/care"
)

// Council is what the market analysis needs to know about a council.
type Council struct {
	Code     string
	Name     string
	Region   string
	Pop0to17 int
	// Easting and Northing locate the council's centre (British National
	// Grid, metres; 0, 0 when unknown). Ofsted withholds homes' postcodes, so
	// a home is placed at its council's centre for "within 20 miles".
	Easting, Northing float64
}

// NearMiles is the distance within which spare places count as near a
// failed group's homes (the DfE's 20-mile threshold).
const NearMiles = 20.0

// ReferencePrice is a published weekly price used when no loaded placement
// costs exist for a type (e.g. the CMA's average children's home price).
type ReferencePrice struct {
	Label    string
	Group    care.PlacementGroup
	Provider care.ProviderType // "" when the figure covers every provider
	Weekly   care.Pence
	Period   string
	Source   string
}

// Input is what Analyse needs.
type Input struct {
	// Region limits the region-level tables to one region ("" for England).
	// Concentration is always given for every region and England.
	Region string
	// Provisions is the register (Ofsted: URN as ID, Owner, Sector, Kind,
	// Places, Council, Rating).
	Provisions []care.Provision
	// Councils gives every council's region and 0–17 population.
	Councils []Council
	// OwnerGroups maps an owner organisation (as the register names it) to
	// its group (ultimate parent), where known. Unmapped owners are their own
	// group, after normalising case and company suffixes (see OwnerGroup).
	OwnerGroups map[string]string
	// Owners is what is known of each group (ultimate owner, kind of
	// ownership), by group name (see ParseOwnerGroups); optional.
	Owners map[string]OwnerInfo
	// Children and Episodes are the loaded children and their episodes (any
	// councils, optional): the current placements give spend, children per
	// owner and prices.
	Children []care.Child
	Episodes []care.Episode
	// ChildrenInCare is the published number of children in care by region
	// (optional), for places per 100 children in care.
	ChildrenInCare map[string]int
	// Reference prices, shown beside (or instead of) loaded prices.
	Reference []ReferencePrice
	// Occupancy is the share of places assumed filled when the loaded data
	// cannot say (default 0.83: the 80–85% the sector reports).
	Occupancy float64
	// TopOwners is how many owner groups the contingency table lists
	// (default 25).
	TopOwners int
}

// NoOwner is the group of a setting whose owner the register does not name.
const NoOwner = "(owner not recorded)"

// England names the national scope in results.
const England = "England"

// residentialKinds are the kinds whose registered places Ofsted publishes:
// the places concentration, sector shares and contingency are measured in.
var residentialKinds = map[care.ProvisionKind]bool{
	care.KindChildrensHome: true, care.KindSecureHome: true, care.KindResidentialSchool: true,
}

// OwnerGroup returns the group an owner belongs to: the mapped group when
// given, else the owner's name with case, punctuation and company suffixes
// (Limited, Ltd, LLP, PLC, CIC) normalised, so "ACME CARE LTD" and
// "Acme Care Limited" are one group. Blank owners are NoOwner; Analyse then
// treats each such setting as its own group (followed by its URN), so
// unknown owners do not add up to a fictitious large group.
func OwnerGroup(owner string, groups map[string]string) string {
	if g, ok := groups[owner]; ok && g != "" {
		return g
	}
	f := strings.Fields(strings.NewReplacer(".", " ", ",", " ", "(", " ", ")", " ").Replace(owner))
	for len(f) > 0 {
		switch strings.ToLower(f[len(f)-1]) {
		case "ltd", "limited", "llp", "plc", "cic", "uk":
			f = f[:len(f)-1]
			continue
		}
		break
	}
	if len(f) == 0 {
		return NoOwner
	}
	for i, w := range f {
		f[i] = strings.ToUpper(w[:1]) + strings.ToLower(w[1:])
	}
	return strings.Join(f, " ")
}

// Concentration measures how concentrated places (or spend) are among owner
// groups in one area.
type Concentration struct {
	Area   string
	Total  float64 // places, or weekly spend in pounds
	Owners int     // owner groups with a share
	HHI    float64 // Herfindahl–Hirschman index: sum of squared percentage shares, 0–10,000
	Top5   float64 // % held by the five largest groups
	Top10  float64 // % held by the ten largest
	Top    string  // the largest group
	TopPct float64 // its share %
	// Coverage says what the figure is measured over (spend: whose
	// placements the data holds).
	Coverage string
}

// Concentrate computes concentration from amounts by owner group.
func Concentrate(area string, byOwner map[string]float64) Concentration {
	c := Concentration{Area: area}
	type kv struct {
		k string
		v float64
	}
	var xs []kv
	for k, v := range byOwner {
		if v > 0 {
			xs = append(xs, kv{k, v})
		}
	}
	if len(xs) == 0 {
		return c
	}
	sort.Slice(xs, func(i, j int) bool {
		if xs[i].v != xs[j].v {
			return xs[i].v > xs[j].v
		}
		return xs[i].k < xs[j].k
	})
	// Summed in that order, not the map's, so the figures are the same to
	// the last digit on every run.
	for _, x := range xs {
		c.Total += x.v
	}
	c.Owners = len(xs)
	for i, x := range xs {
		s := 100 * x.v / c.Total
		c.HHI += s * s
		if i < 5 {
			c.Top5 += s
		}
		if i < 10 {
			c.Top10 += s
		}
	}
	c.Top, c.TopPct = xs[0].k, 100*xs[0].v/c.Total
	return c
}

// Market is the result of Analyse.
type Market struct {
	Region string // "" for England
	At     time.Time

	PlaceConcentration []Concentration // each region, then England
	SpendConcentration []Concentration // each region, then England; empty without loaded costs
	BySector           []SectorRow     // in Region (or England)
	TopOwners          []OwnerRow      // in Region (or England), largest first
	ByOwnership        []OwnershipRow  // places by kind of ownership, in Region (or England); only with Input.Owners
	Ratings            []RatingRow     // by sector, in Region (or England)
	RegionPlaces       []RegionRow     // every region, then England
	Prices             []PriceRow      // loaded weekly costs by placement and provider type
	Reference          []ReferencePrice
	ValueByRating      []ValueRow // price against the home's rating
	ValueByNeeds       []ValueRow // price against the child's needs tier
	Contingency        []Contingency
	Occupancy          float64
	// CouncilNames names each council code of the input, for the tables.
	CouncilNames map[string]string `json:"-"`
}

// SectorRow is the share of places and settings held by one sector.
type SectorRow struct {
	Sector   care.Sector
	Settings int
	Places   int
	Pct      float64
}

// OwnerRow is one owner group's holding.
type OwnerRow struct {
	Group string
	// UltimateOwner and Ownership come from an owner groups file ("" when
	// not given).
	UltimateOwner, Ownership string
	Settings                 int
	Places                   int
	Pct                      float64
	Regions                  int
	Ratings                  [5]int // Outstanding, Good, RI, Inadequate, not yet inspected (settings)
}

// RatingRow is the ratings mix of one sector's residential settings.
type RatingRow struct {
	Sector                                      string
	Outstanding, Good, RI, Inadequate, NotRated int
}

// RegionRow is one region's residential places against its children.
type RegionRow struct {
	Region         string
	Settings       int
	Places         int
	Pop0to17       int
	PlacesPer10k   float64
	ChildrenInCare int     // published, 0 when not given
	PlacesPer100   float64 // places per 100 children in care; 0 when not known
}

// PriceRow summarises loaded weekly costs for one placement group and provider type.
type PriceRow struct {
	Group                    care.PlacementGroup
	Provider                 care.ProviderType
	Placements               int // current placements with a cost
	Median, Mean, P10, P90   care.Pence
	StartedRecent, StartedPr int        // placements started in the last 12 months, and the 12 months before
	MedianRecent, MedianPr   care.Pence // their median weekly costs
	Growth                   float64    // % change of the median between the two; 0 when either is empty
	GrowthKnown              bool
}

// ValueRow is the price of current placements in one category.
type ValueRow struct {
	Category   string
	Placements int
	Median     care.Pence
	Mean       care.Pence
}

// Contingency is one owner group's provider-failure view.
type Contingency struct {
	Group    string
	Settings int
	Places   int
	// PlacesByRegion holds the places the group holds in each region.
	PlacesByRegion map[string]int
	// ChildrenByCouncil counts loaded children currently placed with the
	// group, by their council.
	ChildrenByCouncil map[string]int
	Children          int // sum of ChildrenByCouncil
	// Displaced is the number of children who would need a new home: the
	// loaded children, or places × occupancy where that is more (data for
	// every placing council is rarely loaded).
	Displaced int
	// Spare is the estimated spare places of the same kinds held by other
	// owners in the regions where the group operates (places × (1 −
	// occupancy)); SpareNear those within NearMiles of the group's homes
	// (by council centres; the same councils only when centres are unknown).
	Spare, SpareNear int
	// Difficulty is Displaced / Spare (0 when nothing is displaced; +Inf
	// shown as "no spare places" when Spare is 0).
	Difficulty float64
	Rating     string // "hard to replace" (≥1), "stretched" (≥0.5) or "replaceable"
}
