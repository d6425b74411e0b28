package picture

import (
	"slices"
	"strings"
	"time"

	"sufficiency/care"
)

// Count is one category and its number of children (or placements).
type Count struct {
	Key   string // stable key, e.g. "16+", "C2", "PR4"
	Label string // readable label
	N     int
}

// Money is spend on a set of placements.
type Money struct {
	Placements int        // placements with a known weekly cost
	Weekly     care.Pence // total weekly cost of the placements current at the date
	InYear     care.Pence // spent in the year to the date: each episode's weekly cost × days in the year / 7
	InYearEps  int        // episodes with a cost that fall in the year (the base of InYear)
	HighCost   int        // current placements costing more than HighCostWeekly a week
}

// Annualised returns the current weekly spend over a year of 52 weeks.
func (m Money) Annualised() care.Pence { return m.Weekly * 52 }

// Location counts where children live relative to home, by the DfE method:
// inside or outside the responsible council's boundary (by the placement's
// postcode or its Ofsted URN), and within or over 20 miles of the home
// postcode (straight line between postcode centroids).
type Location struct {
	Children      int // children counted
	Inside        int // placed inside their council's boundary
	Outside       int // placed outside it
	LocationKnown int // Inside + Outside
	Over20        int // over 20 miles from home
	Within20      int // 20 miles or less from home
	DistanceKnown int // Over20 + Within20
	OutsideRegion int // placed in a council of another region (or outside England)
	// The DfE's four-way split; a child with an unknown location or distance
	// is in none of them.
	InsideWithin20, InsideOver20, OutsideWithin20, OutsideOver20 int
}

// GroupRow is the picture of one placement group or provider type.
type GroupRow struct {
	Key      string
	Label    string
	Children int
	Where    Location
	Cost     Money
}

// Stability holds the DfE placement stability measures.
type Stability struct {
	// InCare is the number of children in care at the date; ThreePlus of them
	// had three or more placements in the year to the date (DfE: "children
	// looked after at 31 March with 3 or more placements during the year").
	InCare, ThreePlus int
	// Eligible: children under 16 at the date, in care continuously for at
	// least 2½ years; LongTerm of them have lived in the same placement for at
	// least 2 years (or are placed for adoption with the carers they had
	// before, the two together lasting 2 years) — the DfE long-term stability
	// measure (formerly NI 63).
	Eligible, LongTerm int
}

// Siblings counts sibling groups in care at the date. SSDA903 records no
// sibling relationships, so a group is inferred: two or more children of the
// same council who started their current period of care on the same day with
// the same home postcode (see Definitions). A group is "apart" when its
// members do not all live in the same placement (same URN or, without one,
// same placement type and postcode).
type Siblings struct {
	Groups        int // sibling groups in care
	Children      int // children in them
	GroupsApart   int // groups not all placed together
	ChildrenApart int // children in groups placed apart
}

// Funders splits the weekly cost of current placements between the agencies
// paying for it (Placements North West census): social care, education,
// health, and the part for which no split is recorded.
type Funders struct {
	SocialCare, Education, Health, NotSplit care.Pence
	// Placements counts current placements with a cost; SplitPlacements those
	// whose cost has a recorded split.
	Placements, SplitPlacements int
}

// Total returns the weekly cost paid by all funders.
func (f Funders) Total() care.Pence { return f.SocialCare + f.Education + f.Health + f.NotSplit }

// SupplyRow compares, for one kind of registered provision, the places in the
// area with the children placed in that kind of home.
type SupplyRow struct {
	Kind     care.ProvisionKind
	Label    string
	Settings int // registered settings in the area
	Places   int // registered places in them (0 where Ofsted does not publish places)
	// OwnChildren is the scope's children placed in this kind of provision
	// anywhere; OwnInArea those placed inside the area; OwnOutOfArea those
	// placed outside it (out-placed); OwnUnknown those whose location is not
	// known.
	OwnChildren, OwnInArea, OwnOutOfArea, OwnUnknown int
	// InPlacers is the number of other councils' children placed in this kind
	// of provision inside the area, among the councils whose data is loaded.
	InPlacers int
}

// CouncilRow is one council's line in a region's picture.
type CouncilRow struct {
	Code, Name   string
	InCare       int
	Pop0to17     int
	Started      int
	Ceased       int
	Where        Location
	ThreePlus    int
	WeeklySpend  care.Pence
	HighCost     int
	SiblingApart int
}

// Picture is the sufficiency picture of a scope at a date. Every count is of
// children in care at the end of the day At unless it says otherwise; children
// looked after under a series of short breaks (legal status V3 or V4) are not
// counted, as in the DfE statistics.
type Picture struct {
	Name      string
	Scope     []string
	At        time.Time
	YearStart time.Time // the year is the day after YearStart to At, inclusive

	InCare     int
	Pop0to17   int     // 0 when unknown
	RatePer10k float64 // children in care per 10,000 children; 0 when the population is unknown
	// Started and Ceased count children who started or ceased to be looked
	// after in the year (each child once, as the DfE counts them).
	Started, Ceased int

	ByAge, BySex, ByUASC, ByLegal []Count
	ByGroup                       []GroupRow // care.PlacementGroups order, then a total row
	ByProvider                    []GroupRow // PR0–PR5 and "not recorded", then a total row
	Where                         Location   // all children in care
	Stability                     Stability
	Siblings                      Siblings
	Funders                       Funders
	Cost                          Money // all current placements
	Supply                        []SupplyRow
	Councils                      []CouncilRow // one row per council in Scope (region pictures)
	Comparators                   []Comparator
	// Measures are this scope's values of the comparison measures, keyed as
	// the Comparators' Values; MeasureBase gives, for each, the count of
	// children it rests on (for suppression).
	Measures    map[string]float64
	MeasureBase map[string]int
}

// Age bands as the DfE publishes them.
var ageBands = []Count{
	{Key: "under1", Label: "Under 1"},
	{Key: "1-4", Label: "1 to 4 years"},
	{Key: "5-9", Label: "5 to 9 years"},
	{Key: "10-15", Label: "10 to 15 years"},
	{Key: "16+", Label: "16 years and over"},
}

func ageBand(age int) int {
	switch {
	case age < 1:
		return 0
	case age <= 4:
		return 1
	case age <= 9:
		return 2
	case age <= 15:
		return 3
	}
	return 4
}

// Legal status groups as the DfE publishes them.
var legalGroups = []Count{
	{Key: "care_order", Label: "Care orders (C1, C2)"},
	{Key: "placement_order", Label: "Placement order granted (E1, D1)"},
	{Key: "s20", Label: "Voluntary agreement under s20 (V2)"},
	{Key: "youth_justice", Label: "Youth justice legal statuses (J1–J3)"},
	{Key: "emergency", Label: "Detained for child protection (L1–L3)"},
	{Key: "unknown", Label: "Not recorded"},
}

func legalGroup(ls string) int {
	switch strings.ToUpper(ls) {
	case "C1", "C2":
		return 0
	case "E1", "D1":
		return 1
	case "V2":
		return 2
	case "J1", "J2", "J3":
		return 3
	case "L1", "L2", "L3":
		return 4
	}
	return 5
}

// shortBreak reports whether a legal status is a series of short breaks,
// which the DfE leaves out of counts of children looked after.
func shortBreak(ls string) bool { return care.IsShortBreak(ls) }

// providerTypes lists the provider types in display order; "" is "not recorded".
var providerTypes = []care.ProviderType{
	care.ProviderOwnLA, care.ProviderOtherLA, care.ProviderPrivate, care.ProviderVoluntary,
	care.ProviderPublic, care.ProviderParent, "",
}

func providerLabel(p care.ProviderType) string {
	if p == "" {
		return "Not recorded"
	}
	if l := p.Label(); l != "" {
		return l
	}
	return string(p)
}

// KindOfGroup maps a placement group to the kind of Ofsted-registered
// provision it is made in, and false for groups with no registered
// counterpart (fostering is not counted as supply here unless the
// register carries fostering households).
func KindOfGroup(p care.PlacementType) (care.ProvisionKind, bool) {
	switch p.Group() {
	case care.GroupChildrensHome:
		return care.KindChildrensHome, true
	case care.GroupSecure:
		return care.KindSecureHome, true
	case care.GroupResidentialSchool:
		return care.KindResidentialSchool, true
	case care.GroupSupported:
		return care.KindSupported, true
	case care.GroupFosterOther, care.GroupFosterRelative:
		return care.KindFostering, true
	}
	return "", false
}

var kindLabels = map[care.ProvisionKind]string{
	care.KindChildrensHome:     "Children's homes",
	care.KindSecureHome:        "Secure children's homes",
	care.KindResidentialSchool: "Residential special schools",
	care.KindSupported:         "Supported accommodation",
	care.KindFostering:         "Fostering",
}

var supplyKinds = []care.ProvisionKind{
	care.KindChildrensHome, care.KindSecureHome, care.KindResidentialSchool, care.KindSupported, care.KindFostering,
}

// ensureSorted returns the episodes ordered by council, child and start,
// sorting a copy only when they are not already. It sorts a permutation and
// copies each episode once, as moving the large structs while sorting costs
// more than the comparisons.
func ensureSorted(eps []care.Episode) []care.Episode {
	cmp := func(a, b *care.Episode) int {
		if c := strings.Compare(a.Council, b.Council); c != 0 {
			return c
		}
		if c := strings.Compare(a.ChildID, b.ChildID); c != 0 {
			return c
		}
		return a.Start.Compare(b.Start)
	}
	sorted := true
	for i := 1; i < len(eps); i++ {
		if cmp(&eps[i], &eps[i-1]) < 0 {
			sorted = false
			break
		}
	}
	if sorted {
		return eps
	}
	perm := make([]int32, len(eps))
	for i := range perm {
		perm[i] = int32(i)
	}
	slices.SortStableFunc(perm, func(a, b int32) int { return cmp(&eps[a], &eps[b]) })
	out := make([]care.Episode, len(eps))
	for i, k := range perm {
		out[i] = eps[k]
	}
	return out
}

// SortEpisodes is ensureSorted for other packages: the episodes ordered by
// council, child and start (a sorted copy, or eps itself when already in order).
func SortEpisodes(eps []care.Episode) []care.Episode { return ensureSorted(eps) }

// forEachChild calls f with each child's run of episodes (same council and
// child id) in sorted episodes.
func forEachChild(eps []care.Episode, f func(run []care.Episode)) {
	for i := 0; i < len(eps); {
		j := i + 1
		for j < len(eps) && eps[j].Council == eps[i].Council && eps[j].ChildID == eps[i].ChildID {
			j++
		}
		f(eps[i:j])
		i = j
	}
}

// Current returns the index in run of the episode covering at, or -1 (see
// care.Current).
func Current(run []care.Episode, at time.Time) int { return care.Current(run, at) }

// PeriodStart returns the start of the period of care that contains run[i]
// (see care.PeriodStart).
func PeriodStart(run []care.Episode, i int) time.Time { return care.PeriodStart(run, i) }

// PlacementStart returns the start of the placement that run[i] belongs to
// (see care.PlacementStart).
func PlacementStart(run []care.Episode, i int) time.Time { return care.PlacementStart(run, i) }

// PlacementKey identifies where a child lives (see care.PlacementKey).
func PlacementKey(e care.Episode) string { return care.PlacementKey(e) }

// NormalisePostcode upper-cases a postcode and removes its spaces (see
// care.NormalisePostcode).
func NormalisePostcode(pc string) string { return care.NormalisePostcode(pc) }

// PlacementsInYear counts a child's placements in the year (from, to] by
// the DfE's counting (see care.PlacementsInYear).
func PlacementsInYear(run []care.Episode, from, to time.Time) int {
	return care.PlacementsInYear(run, from, to)
}

// SamePlacement reports whether two episodes are in the same placement (see
// care.SamePlacement).
func SamePlacement(a, b care.Episode) bool { return care.SamePlacement(a, b) }
