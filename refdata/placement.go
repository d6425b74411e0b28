package refdata

import (
	"sync"
)

// PlacementCounts is one area's children looked after at 31 March by placement,
// provider, locality, distance, UASC status and age, as published by the DfE
// (2025 release; LA figures unrounded, regional and national rounded to the
// nearest 10). Suppressed ("c"), unavailable ("x") and not applicable ("z")
// values are Figures with Known false, never 0.
type PlacementCounts struct {
	Year    int    // year ending 31 March
	Council string // ONS code ("" for regional and national rows)
	Name    string // council, region or "England"

	Total Figure // all children looked after at 31 March

	// By placement group.
	Foster                         Figure
	SecureAndChildrensHomes        Figure
	IndependentSemiIndependentSupp Figure // independent / semi-independent living and supported accommodation
	PlacedWithParents              Figure
	PlacedForAdoption              Figure
	OtherResidential               Figure
	ResidentialSchools             Figure
	OtherPlacements                Figure

	// By placement provider.
	ProviderOwnLA         Figure
	ProviderPrivate       Figure
	ProviderVoluntary     Figure
	ProviderOtherLA       Figure
	ProviderOtherPublic   Figure
	ProviderParents       Figure
	ProviderNotReported   Figure
	InsideLABoundary      Figure
	OutsideLABoundary     Figure
	Within20Miles         Figure // placed 20 miles or less from home
	Over20Miles           Figure // placed more than 20 miles from home
	DistanceNotKnown      Figure
	OtherLAChildrenPlaced Figure // other councils' children placed inside this council's boundary

	UASC Figure // unaccompanied asylum-seeking children

	// By age at 31 March.
	AgeUnder1, Age1to4, Age5to9, Age10to15, Age16Plus Figure
}

type mixKey struct {
	area string // ONS council code, "region:<lower name>" or "england"
	year int
}

var mixOnce struct {
	sync.Once
	m     map[mixKey]PlacementCounts
	years []int
}

func loadMix() map[mixKey]PlacementCounts {
	mixOnce.Do(func() {
		t := mustTable("dfe_cla_la_31march_by_placement_2021_2025.csv", "time_period", "level", "cla_total")
		m := map[mixKey]PlacementCounts{}
		seen := map[int]bool{}
		for _, r := range t.rows {
			y, ok := atoi(t.get(r, "time_period"))
			if !ok {
				continue
			}
			f := func(c string) Figure { return parseFigure(t.get(r, c)) }
			p := PlacementCounts{
				Year:                           y,
				Council:                        t.get(r, "la_code"),
				Name:                           t.get(r, "la_name"),
				Total:                          f("cla_total"),
				Foster:                         f("foster"),
				SecureAndChildrensHomes:        f("secure_and_childrens_homes"),
				IndependentSemiIndependentSupp: f("independent_semi_independent_supported"),
				PlacedWithParents:              f("placed_with_parents"),
				PlacedForAdoption:              f("placed_for_adoption"),
				OtherResidential:               f("other_residential"),
				ResidentialSchools:             f("residential_schools"),
				OtherPlacements:                f("other_placements"),
				ProviderOwnLA:                  f("provider_own_la"),
				ProviderPrivate:                f("provider_private"),
				ProviderVoluntary:              f("provider_voluntary"),
				ProviderOtherLA:                f("provider_other_la"),
				ProviderOtherPublic:            f("provider_other_public"),
				ProviderParents:                f("provider_parents"),
				ProviderNotReported:            f("provider_not_reported"),
				InsideLABoundary:               f("inside_la_boundary"),
				OutsideLABoundary:              f("outside_la_boundary"),
				Within20Miles:                  f("distance_20_miles_or_less"),
				Over20Miles:                    f("distance_over_20_miles"),
				DistanceNotKnown:               f("distance_not_known"),
				OtherLAChildrenPlaced:          f("other_la_children_placed_within_boundary"),
				UASC:                           f("uasc"),
				AgeUnder1:                      f("age_under_1"),
				Age1to4:                        f("age_1_4"),
				Age5to9:                        f("age_5_9"),
				Age10to15:                      f("age_10_15"),
				Age16Plus:                      f("age_16_plus"),
			}
			var key string
			switch t.get(r, "level") {
			case "Local authority":
				key = p.Council
			case "Regional":
				p.Name = t.get(r, "region_name")
				key = "region:" + councilKey(p.Name)
			case "National":
				p.Name = "England"
				key = "england"
			default:
				continue
			}
			m[mixKey{key, y}] = p
			if !seen[y] {
				seen[y] = true
				mixOnce.years = append(mixOnce.years, y)
			}
		}
		mixOnce.m = m
	})
	return mixOnce.m
}

// PlacementMix returns a council's placement mix at 31 March of year (2021–
// 2025). council is an ONS code, DfE code or name. It reports false for an
// unknown council or a year not published.
func PlacementMix(council string, year int) (PlacementCounts, bool) {
	c, ok := CouncilByCode(council)
	if !ok {
		return PlacementCounts{}, false
	}
	p, ok := loadMix()[mixKey{c.Code, year}]
	return p, ok
}

// RegionPlacementMix returns a region's placement mix (region as in Regions(),
// or "Inner London" / "Outer London", any case).
func RegionPlacementMix(region string, year int) (PlacementCounts, bool) {
	p, ok := loadMix()[mixKey{"region:" + councilKey(region), year}]
	return p, ok
}

// EnglandPlacementMix returns England's placement mix.
func EnglandPlacementMix(year int) (PlacementCounts, bool) {
	p, ok := loadMix()[mixKey{"england", year}]
	return p, ok
}

// PlacementMixYears returns the years with published placement mixes.
func PlacementMixYears() []int {
	loadMix()
	return append([]int(nil), mixOnce.years...)
}

// Fraction returns f as a share of the area's total (e.g. p.Fraction(p.Foster)),
// reporting false when either is not known or the total is 0.
func (p PlacementCounts) Fraction(f Figure) (float64, bool) {
	if !f.Known || !p.Total.Known || p.Total.Value == 0 {
		return 0, false
	}
	return f.Value / p.Total.Value, true
}
