// Package picture computes the current sufficiency picture of a council or a
// region at any date from its children's SSDA903 episodes: how many children
// are in care and who they are, where they live (placement mix, provider,
// distance from home), how stable their homes are, whether brothers and
// sisters live together, what it costs and who pays, and how the places
// registered in the area compare with the children placed in them. The same
// figures for statistical neighbours, the region and England come from
// published statistics passed in as Comparators.
//
// It is a pure library: Compute takes domain values and returns a Picture;
// Picture.Tables renders it for the CLI, the web and the strategy report.
// Definitions (DfE where the DfE defines the measure) are documented on each
// field of Picture and in Definitions.
package picture

import (
	"time"

	"sufficiency/care"
)

// Council is what the picture needs to know about a council.
type Council struct {
	Code     string // ONS code
	Name     string
	Region   string // English region, e.g. "North West"
	Pop0to17 int    // children aged 0–17 living in the council (for rates per 10,000)
}

// Locator places postcodes. The CLI adapts package geo (DfE distance method);
// tests use a fake. Either result may be unknown (ok false), for a blank or
// unknown postcode.
type Locator interface {
	// Miles returns the straight-line distance in miles between two postcodes
	// (full, sector or district), by the DfE method.
	Miles(from, to string) (miles float64, ok bool)
	// CouncilOf returns the ONS code of the council a postcode lies in.
	CouncilOf(postcode string) (council string, ok bool)
}

// Comparator is one set of published figures to show beside the computed
// ones: a statistical neighbour, the region or England. Values are keyed by
// the Measure ids (MeasureRate, MeasurePctFoster, ...); a measure the
// publisher does not give, or suppressed, is absent.
type Comparator struct {
	Name   string // e.g. "Salford", "North West", "England"
	Kind   string // "statistical neighbour", "region" or "England"
	Period string // e.g. "31 March 2023"
	Values map[string]float64
}

// Input is everything Compute needs.
type Input struct {
	// Name labels the scope: a council's or a region's name.
	Name string
	// Scope lists the councils (ONS codes) whose children the picture is about.
	Scope []string
	// Councils describes every council known: at least those in Scope (their
	// populations give the rate per 10,000) and, for "outside the region",
	// any council a child may be placed in.
	Councils []Council
	// Children are the children of the councils in Scope (others are ignored).
	Children []care.Child
	// Episodes are the stitched episodes of the councils in Scope, ordered by
	// council, child and start (they are sorted if not). Episodes of other
	// councils may be included: they count only as "other councils' children
	// placed in the area" (in-placers).
	Episodes []care.Episode
	// Provisions is the register of homes and other settings (the Ofsted
	// register, optionally with fostering households). Those in Scope councils
	// give the supply in the area; all of them let a placement's URN name the
	// council it is in.
	Provisions []care.Provision
	// Locate places postcodes; nil leaves distances and locations unknown.
	Locate Locator
	// Comparators are published figures shown beside the computed ones.
	Comparators []Comparator
}

// HighCostWeekly is the weekly cost above which a placement counts as
// high-cost (the LGA's survey threshold of £10,000 a week).
const HighCostWeekly = care.Pence(10_000_00)

// FarMiles is the distance above which a placement is "over 20 miles" from
// home (the DfE's threshold).
const FarMiles = 20.0

// yearBefore returns the start of the year ending at `at`: the year runs from
// the day after it to `at`, inclusive (1 April to 31 March for at = 31 March).
func yearBefore(at time.Time) time.Time { return MonthsBefore(at, 12) }

// MonthsBefore returns the same day n months before at, or the last day of
// that month when it is shorter (see care.MonthsBefore).
func MonthsBefore(at time.Time, n int) time.Time { return care.MonthsBefore(at, n) }
