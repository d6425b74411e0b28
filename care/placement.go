package care

import "strings"

// PlacementType is an SSDA903 PLACE code such as "U4" or "K2", upper case.
type PlacementType string

// ProviderType is an SSDA903 PLACE_PROVIDER code, PR0 to PR5.
type ProviderType string

// Provider types as the DfE defines them.
const (
	ProviderParent    ProviderType = "PR0" // parent(s) or other person with parental responsibility
	ProviderOwnLA     ProviderType = "PR1" // own local authority provision (incl. RAA where the LA is host)
	ProviderOtherLA   ProviderType = "PR2" // other local authority provision
	ProviderPublic    ProviderType = "PR3" // other public provision (e.g. NHS)
	ProviderPrivate   ProviderType = "PR4" // private provision
	ProviderVoluntary ProviderType = "PR5" // voluntary / third sector provision
)

// Label returns the provider type's meaning, or "" if unknown.
func (p ProviderType) Label() string {
	switch p {
	case ProviderParent:
		return "Parent or person with parental responsibility"
	case ProviderOwnLA:
		return "Own council provision"
	case ProviderOtherLA:
		return "Other council provision"
	case ProviderPublic:
		return "Other public provision"
	case ProviderPrivate:
		return "Private provision"
	case ProviderVoluntary:
		return "Voluntary or third sector provision"
	}
	return ""
}

// External reports whether the provider is outside the public sector (PR4/PR5):
// agency fostering, private and voluntary homes.
func (p ProviderType) External() bool { return p == ProviderPrivate || p == ProviderVoluntary }

// PlacementGroup is the analytic grouping of placement types used across the
// product (picture, review, synthetic data). Fostering is split into
// friends/relatives and other carers; in-house versus agency is a matter of
// ProviderType, see ForecastGroupOf.
type PlacementGroup string

// Placement groups.
const (
	GroupFosterRelative    PlacementGroup = "foster_relative"     // U1–U3: with friends or relatives
	GroupFosterOther       PlacementGroup = "foster_other"        // U4–U6 (and legacy Q2): other foster carers
	GroupChildrensHome     PlacementGroup = "childrens_home"      // K2, R1
	GroupSecure            PlacementGroup = "secure"              // K1
	GroupSupported         PlacementGroup = "supported"           // H5, K3, P2
	GroupPlacedWithParents PlacementGroup = "placed_with_parents" // P1
	GroupAdoption          PlacementGroup = "adoption"            // A3–A6
	GroupResidentialSchool PlacementGroup = "residential_school"  // S1
	GroupTemporary         PlacementGroup = "temporary"           // T0–T4
	GroupOther             PlacementGroup = "other"               // P3, R2, R3, R5, Z1, Z11–Z14 and anything unknown
)

// PlacementGroups lists every group in display order.
var PlacementGroups = []PlacementGroup{
	GroupFosterRelative, GroupFosterOther, GroupChildrensHome, GroupSecure, GroupSupported,
	GroupPlacedWithParents, GroupAdoption, GroupResidentialSchool, GroupTemporary, GroupOther,
}

// Label returns a readable name for the group.
func (g PlacementGroup) Label() string {
	switch g {
	case GroupFosterRelative:
		return "Fostering with friends or relatives"
	case GroupFosterOther:
		return "Fostering with other carers"
	case GroupChildrensHome:
		return "Children's home"
	case GroupSecure:
		return "Secure children's home"
	case GroupSupported:
		return "Supported accommodation"
	case GroupPlacedWithParents:
		return "Placed with parents"
	case GroupAdoption:
		return "Placed for adoption"
	case GroupResidentialSchool:
		return "Residential school"
	case GroupTemporary:
		return "Temporary placement"
	case GroupOther:
		return "Other placement"
	}
	return string(g)
}

// Group returns the placement group of a PLACE code. Unknown codes are GroupOther.
func (p PlacementType) Group() PlacementGroup {
	switch strings.ToUpper(string(p)) {
	case "U1", "U2", "U3", "Q1":
		return GroupFosterRelative
	case "U4", "U5", "U6", "Q2":
		return GroupFosterOther
	case "K2", "R1":
		return GroupChildrensHome
	case "K1":
		return GroupSecure
	case "H5", "K3", "P2":
		return GroupSupported
	case "P1":
		return GroupPlacedWithParents
	case "A3", "A4", "A5", "A6":
		return GroupAdoption
	case "S1":
		return GroupResidentialSchool
	case "T0", "T1", "T2", "T3", "T4":
		return GroupTemporary
	}
	return GroupOther
}

// IsTemporary reports whether the placement is a temporary one (T0–T4).
func (p PlacementType) IsTemporary() bool { return p.Group() == GroupTemporary }

// IsFostering reports whether the placement is with foster carers.
func (p PlacementType) IsFostering() bool {
	g := p.Group()
	return g == GroupFosterRelative || g == GroupFosterOther
}

// IsResidential reports whether the placement is a children's home or secure
// children's home (the places Ofsted registers as homes).
func (p PlacementType) IsResidential() bool {
	g := p.Group()
	return g == GroupChildrensHome || g == GroupSecure
}

// ForecastGroup is the placement dimension of the forecast model's states.
type ForecastGroup string

// Forecast groups (issue: forecasts). NotInCare is the absorbing/entry state.
const (
	ForecastFosterRelative    ForecastGroup = "foster_relative"
	ForecastFosterInHouse     ForecastGroup = "foster_inhouse"
	ForecastFosterAgency      ForecastGroup = "foster_agency"
	ForecastChildrensHome     ForecastGroup = "childrens_home"
	ForecastSupported         ForecastGroup = "supported"
	ForecastPlacedWithParents ForecastGroup = "placed_with_parents"
	ForecastAdoption          ForecastGroup = "adoption"
	ForecastSecureOther       ForecastGroup = "secure_other"
	ForecastNotInCare         ForecastGroup = "not_in_care"
)

// ForecastGroups lists the in-care forecast groups in display order.
var ForecastGroups = []ForecastGroup{
	ForecastFosterRelative, ForecastFosterInHouse, ForecastFosterAgency, ForecastChildrensHome,
	ForecastSupported, ForecastPlacedWithParents, ForecastAdoption, ForecastSecureOther,
}

// ForecastGroupOf maps a placement and its provider to a forecast group.
// Other fostering is agency when the provider is private or voluntary (PR4/PR5),
// otherwise in-house. Residential schools count with children's homes.
func ForecastGroupOf(p PlacementType, pr ProviderType) ForecastGroup {
	switch p.Group() {
	case GroupFosterRelative:
		return ForecastFosterRelative
	case GroupFosterOther:
		if pr.External() {
			return ForecastFosterAgency
		}
		return ForecastFosterInHouse
	case GroupChildrensHome, GroupResidentialSchool:
		return ForecastChildrensHome
	case GroupSupported:
		return ForecastSupported
	case GroupPlacedWithParents:
		return ForecastPlacedWithParents
	case GroupAdoption:
		return ForecastAdoption
	}
	return ForecastSecureOther
}
