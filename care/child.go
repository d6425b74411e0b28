package care

import "time"

// Sex is the child's recorded sex, normalised to the 2024/25 codes:
// "M", "F" or "U" (not known). Older returns' 1/2 are mapped to M/F on read.
type Sex string

// Sex values.
const (
	Male    Sex = "M"
	Female  Sex = "F"
	Unknown Sex = "U"
)

// Date returns midnight UTC on the given day. All dates in the domain are
// civil dates held as time.Time at midnight UTC; the zero Time means "none".
func Date(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
}

// Child is a child looked after, as known to one council. ID is the council's
// own CHILD identifier and is only unique within Council.
type Child struct {
	Council   string    // ONS code of the responsible council, e.g. E08000003
	ID        string    // the council's CHILD id, as given
	Sex       Sex       // M, F or U
	DOB       time.Time // date of birth
	Ethnicity string    // one of the 20 DfE ETHNIC codes
	UPN       string    // unique pupil number, if recorded
	UASC      bool      // ever recorded as an unaccompanied asylum-seeking child
	UASCEnded time.Time // DUC: date UASC status ceased, if any
	// Needs is the child's needs profile. It is not part of the SSDA903 return:
	// it comes from the council's own records (the Needs extension table).
	Needs NeedsProfile
}

// AgeOn returns the child's age in whole years on date d.
func (c Child) AgeOn(d time.Time) int { return AgeOn(c.DOB, d) }

// AgeOn returns the age in whole years on date d of someone born on dob.
func AgeOn(dob, d time.Time) int {
	if dob.IsZero() || d.Before(dob) {
		return 0
	}
	age := d.Year() - dob.Year()
	if d.Month() < dob.Month() || (d.Month() == dob.Month() && d.Day() < dob.Day()) {
		age--
	}
	return age
}

// Episode is one SSDA903 episode of care: a period with one legal status and
// one placement. End is zero while the episode is open.
type Episode struct {
	Council           string
	ChildID           string
	Start             time.Time     // DECOM
	End               time.Time     // DEC; zero when open
	ReasonNew         string        // RNE: S, L, P, T, B, U
	LegalStatus       string        // LS: C1, C2, E1, V2, ...
	CategoryOfNeed    string        // CIN: N1–N8
	Placement         PlacementType // PLACE
	Provider          ProviderType  // PLACE_PROVIDER (blank for temporary/other)
	ReasonEnded       string        // REC: X1, E11, E4A, ...
	ReasonPlaceChange string        // REASON_PLACE_CHANGE
	HomePostcode      string        // HOME_POST, as recorded (often a sector)
	PlacementPostcode string        // PL_POST
	URN               string        // Ofsted URN of the placement, if any
	// WeeklyCost and Funding are not part of the SSDA903 return: they come from
	// the council's placement finance records (the PlacementCosts extension
	// table). Zero when unknown.
	WeeklyCost Pence
	Funding    Funding
}

// Funding splits a placement's weekly cost between the agencies paying for it
// (as in the Placements North West census). The parts sum to the weekly cost
// when known; all zero when the split is not recorded.
type Funding struct {
	SocialCare Pence
	Education  Pence
	Health     Pence
}

// Open reports whether the episode has no end date.
func (e Episode) Open() bool { return e.End.IsZero() }

// Covers reports whether the child was in this episode at the end of day d
// (start on or before d, and not ended on or before d).
func (e Episode) Covers(d time.Time) bool {
	return !e.Start.After(d) && (e.End.IsZero() || e.End.After(d))
}

// LeftCare reports whether the episode ended with the child leaving care
// (any REC other than X1, "episode ends and a new one starts the same day").
func (e Episode) LeftCare() bool {
	return !e.End.IsZero() && e.ReasonEnded != "" && e.ReasonEnded != "X1"
}

// Pence is an amount of money in pence. Weekly costs and prices are held as
// whole pence so sums are exact.
type Pence int64

// Pounds returns the amount in pounds.
func (p Pence) Pounds() float64 { return float64(p) / 100 }

// FromPounds converts pounds to pence, rounding to the nearest penny.
func FromPounds(f float64) Pence {
	if f < 0 {
		return Pence(f*100 - 0.5)
	}
	return Pence(f*100 + 0.5)
}
