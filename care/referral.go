package care

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// Urgency is when a placement is needed by, as the Placements Data Standard v2
// records it (neededBy): an urgency band, not a date.
type Urgency string

// Urgency values. The Standard's labels "Today", "in less than 5 days" and
// "in more than 5 days" are accepted on input.
const (
	UrgencyToday      Urgency = "today"
	UrgencyUnder5Days Urgency = "under_5_days"
	UrgencyLater      Urgency = "later"
)

// Suitability is the social worker's recommendation for one type of
// placement (Placements Data Standard v2, PlacementRecommendation).
type Suitability string

// Suitability values. The Standard's labels "Preferred", "Suitable but not
// preferred", "Unsuitable" and "Not specified" are accepted on input.
const (
	SuitabilityNotSpecified Suitability = "not_specified"
	SuitabilityPreferred    Suitability = "preferred"
	SuitabilitySuitable     Suitability = "suitable"
	SuitabilityUnsuitable   Suitability = "unsuitable"
)

// Companions is who the child can be cared for alongside (livingCompanions).
type Companions string

// Companions values, with the Standard's labels accepted on input.
const (
	CompanionsNoPreference Companions = "no_preference"
	CompanionsSolo         Companions = "solo"         // "Solo placement recommended"
	CompanionsWithOthers   Companions = "with_others"  // "With other children recommended"
	CompanionsOlderOnly    Companions = "older_only"   // "Only with other older children"
	CompanionsYoungerOnly  Companions = "younger_only" // "Only with other younger children"
)

// Pets is whether the child can live with pets or animals.
type Pets string

// Pets values, with the Standard's labels accepted on input.
const (
	PetsNotKnown Pets = "not_known"
	PetsMust     Pets = "must" // "Yes - must": the child needs a home with animals
	PetsCan      Pets = "can"  // "Yes - can"
	PetsNo       Pets = "no"   // the child cannot live with animals
)

// Placement types of the Standard's recommendation and actual placement.
const (
	TypeFoster      = "foster"
	TypeResidential = "residential"
	TypeSupported   = "supported"
)

// AvoidLocation is a place the child must be kept away from (risk to or from
// the child: exploiters, a known associate, a victim), with the distance to
// keep.
type AvoidLocation struct {
	Postcode string  `json:"postcode"`
	Miles    float64 `json:"miles"` // keep at least this far away; 0 means the default of 5 miles
	Reason   string  `json:"reason,omitempty"`
}

// DefaultAvoidMiles is the distance kept from a location to avoid when the
// referral gives none.
const DefaultAvoidMiles = 5.0

// Referral is a request to find a placement for one child, following the
// Placements Data Standard v2 (PlacementAvailability, PlacementRequirements,
// PlacementRecommendation, RiskAssessment) plus the matching criteria of
// local referral forms (start date, home and school locations, locations to
// avoid, needs for the statement of purpose, budget). It never holds the
// child's name: the child is known by the council's own id.
type Referral struct {
	ID      string    // referral id, unique in a batch
	Council string    // ONS code of the placing council
	ChildID string    // the council's CHILD id
	Sex     Sex       // M, F or U
	DOB     time.Time // date of birth (the first of the month is enough)
	// Received is when the referral reached the placements team.
	Received time.Time
	Urgency  Urgency
	// StartDate is the latest date the placement should start; zero when not
	// given (then Received).
	StartDate time.Time

	Foster      Suitability
	Residential Suitability
	Supported   Suitability

	// SiblingGroup names the group of siblings to be placed together; empty
	// when none. SiblingCount is the number of siblings to place with this
	// child (the Standard's siblingCount; 0 if none).
	SiblingGroup string
	SiblingCount int

	HomePostcode   string // the child's home (family) postcode, sector or district
	SchoolPostcode string // the school's postcode, if the child attends one
	KeepSchool     bool   // the child should stay at this school
	// OutOfAreaReason is why the home search may look outside the council
	// (Safeguarding concerns, Bail conditions, Court order, Other).
	OutOfAreaReason string
	Avoid           []AvoidLocation

	Companions Companions
	Pets       Pets
	// CommunicationNeeds lists ESOL, BSL, Makaton or Other; empty for none.
	// Homes must list each in their needs to be eligible.
	CommunicationNeeds []string
	CulturalNeeds      string // Required, Not required, Not known, Other
	CulturalDetail     string // e.g. place of worship
	HomeAdaptation     bool   // the home needs adapting (disability)
	AdditionalSupport  []string
	// Needs is the child's needs profile: tier, risk flags (to the child and
	// to others), deprivation of liberty, solo recommendation.
	Needs NeedsProfile
	// NeedCodes are the needs the home's statement of purpose must cover,
	// e.g. "EBD", "LD", "PD", "MH", "CSE".
	NeedCodes []string
	RiskOther string // free text: other risk to the child
	// RiskToOthersOther is free text: other risk to others or property.
	RiskToOthersOther string
	// Budget is the most the council will pay per week; 0 for no ceiling.
	Budget Pence
}

// Solo reports whether a solo placement is recommended.
func (r Referral) Solo() bool { return r.Companions == CompanionsSolo || r.Needs.SoloRecommended }

// GroupSize is the number of children to be placed together: the child plus
// the siblings to place with.
func (r Referral) GroupSize() int { return 1 + r.SiblingCount }

// AgeOn returns the child's age in whole years on d.
func (r Referral) AgeOn(d time.Time) int { return AgeOn(r.DOB, d) }

// Start returns the date the placement is needed from: StartDate, or the
// date received, or the zero time.
func (r Referral) Start() time.Time {
	if !r.StartDate.IsZero() {
		return r.StartDate
	}
	return r.Received
}

// SuitabilityOf returns the recommendation for one type (TypeFoster,
// TypeResidential or TypeSupported).
func (r Referral) SuitabilityOf(placementType string) Suitability {
	switch placementType {
	case TypeFoster:
		return r.Foster
	case TypeResidential:
		return r.Residential
	case TypeSupported:
		return r.Supported
	}
	return SuitabilityNotSpecified
}

// referralJSON is the wire form of a Referral: snake_case field names after
// the Standard's, dates as YYYY-MM-DD (YYYY-MM for the date of birth), money
// in pounds, risks as the two lists of the Standard's risk assessment.
type referralJSON struct {
	ID                 string          `json:"id"`
	Council            string          `json:"council"`
	ChildID            string          `json:"child_id"`
	Sex                string          `json:"sex"`
	DOB                string          `json:"date_of_birth"`
	Received           string          `json:"received,omitempty"`
	NeededBy           string          `json:"needed_by"`
	StartDate          string          `json:"start_date,omitempty"`
	Foster             string          `json:"foster_suitability"`
	Residential        string          `json:"residential_suitability"`
	Supported          string          `json:"supported_accommodation_suitability"`
	SiblingGroup       string          `json:"sibling_group,omitempty"`
	SiblingCount       int             `json:"sibling_count"`
	HomePostcode       string          `json:"home_postcode"`
	SchoolPostcode     string          `json:"school_postcode,omitempty"`
	KeepSchool         bool            `json:"keep_school,omitempty"`
	OutOfAreaReason    string          `json:"out_of_area_reason,omitempty"`
	Avoid              []AvoidLocation `json:"locations_to_avoid,omitempty"`
	Companions         string          `json:"living_companions"`
	Pets               string          `json:"pets"`
	CommunicationNeeds []string        `json:"communication_needs,omitempty"`
	CulturalNeeds      string          `json:"cultural_needs,omitempty"`
	CulturalDetail     string          `json:"cultural_detail,omitempty"`
	HomeAdaptation     bool            `json:"home_adaptation,omitempty"`
	AdditionalSupport  []string        `json:"additional_support,omitempty"`
	DeprivationOfLib   bool            `json:"deprivation_of_liberty,omitempty"`
	NeedsTier          string          `json:"needs_tier,omitempty"`
	Disability         bool            `json:"disability,omitempty"`
	MentalHealth       bool            `json:"mental_health,omitempty"`
	NeedCodes          []string        `json:"need_codes,omitempty"`
	RisksToChild       []string        `json:"risks_to_child,omitempty"`
	RisksToOthers      []string        `json:"risks_to_others,omitempty"`
	RiskOther          string          `json:"risk_to_child_other,omitempty"`
	RiskToOthersOther  string          `json:"risk_to_others_other,omitempty"`
	Budget             float64         `json:"weekly_budget,omitempty"`
}

var urgencyLabels = map[string]Urgency{
	"today": UrgencyToday, "under_5_days": UrgencyUnder5Days, "in less than 5 days": UrgencyUnder5Days,
	"< 5 days": UrgencyUnder5Days, "later": UrgencyLater, "in more than 5 days": UrgencyLater, "> 5 days": UrgencyLater,
}

var suitabilityLabels = map[string]Suitability{
	"": SuitabilityNotSpecified, "not_specified": SuitabilityNotSpecified, "not specified": SuitabilityNotSpecified,
	"preferred": SuitabilityPreferred, "suitable": SuitabilitySuitable, "suitable but not preferred": SuitabilitySuitable,
	"unsuitable": SuitabilityUnsuitable,
}

var companionLabels = map[string]Companions{
	"": CompanionsNoPreference, "no_preference": CompanionsNoPreference, "no preference": CompanionsNoPreference,
	"solo": CompanionsSolo, "solo placement recommended": CompanionsSolo,
	"with_others": CompanionsWithOthers, "with other children recommended": CompanionsWithOthers,
	"older_only": CompanionsOlderOnly, "only with other older children": CompanionsOlderOnly,
	"younger_only": CompanionsYoungerOnly, "only with other younger children": CompanionsYoungerOnly,
}

var petLabels = map[string]Pets{
	"": PetsNotKnown, "not_known": PetsNotKnown, "not known": PetsNotKnown,
	"must": PetsMust, "yes - must": PetsMust, "yes-must": PetsMust,
	"can": PetsCan, "yes - can": PetsCan, "yes-can": PetsCan, "no": PetsNo,
}

var tierLabels = map[string]NeedsTier{
	"": TierUnknown, "unknown": TierUnknown, "standard": TierStandard, "enhanced": TierEnhanced,
	"complex": TierComplex, "highly_complex": TierHighly, "highly complex": TierHighly,
}

var riskToChild = map[string]Risk{
	"self_harm": RiskSelfHarm, "sexual_exploitation": RiskSexualExploitation,
	"criminal_exploitation": RiskCriminalExploitation, "substance_use": RiskSubstances,
	"drug_and_alcohol_use": RiskSubstances, "eating_disorder": RiskEatingDisorder, "going_missing": RiskMissing,
}

var riskToOthers = map[string]Risk{
	"physical_harm": RiskPhysicalHarm, "sexual_harm": RiskSexualHarm, "fire_setting": RiskFireSetting,
	"harm_to_animals": RiskHarmToAnimals, "criminal_exploitation": RiskExploitingOthers,
	"criminal_exploitation_of_others": RiskExploitingOthers,
}

var communicationCodes = map[string]string{"esol": "ESOL", "bsl": "BSL", "makaton": "Makaton", "other": "Other"}

func keys[V any](m map[string]V) string {
	var ks []string
	for k := range m {
		if k != "" && !strings.ContainsAny(k, " <>-") {
			ks = append(ks, k)
		}
	}
	sortStrings(ks)
	return strings.Join(ks, ", ")
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func lookup[V any](m map[string]V, field, value string) (V, error) {
	v, ok := m[strings.ToLower(strings.TrimSpace(value))]
	if !ok {
		return v, Errorf(EINVALID, "%s: unknown value %q; use one of %s", field, value, keys(m))
	}
	return v, nil
}

// parseDay reads YYYY-MM-DD (or YYYY-MM when monthOK, as the first of the month).
func parseDay(field, s string, monthOK bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if monthOK {
		if t, err := time.Parse("2006-01", s); err == nil {
			return t, nil
		}
	}
	want := "YYYY-MM-DD"
	if monthOK {
		want = "YYYY-MM-DD or YYYY-MM"
	}
	return time.Time{}, Errorf(EINVALID, "%s: %q is not a date; write %s", field, s, want)
}

// ParseReferral reads one referral in the JSON form documented on
// referralJSON (see testdata of package match for examples). Unknown fields,
// unknown codes, missing required fields (id, date_of_birth, home_postcode,
// needed_by) and impossible values give EINVALID naming the field; prefix is
// prepended to field names (e.g. "referrals[3]").
func ParseReferral(data []byte, prefix string) (Referral, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var w referralJSON
	if err := dec.Decode(&w); err != nil {
		return Referral{}, jsonError(err, prefix)
	}
	return w.referral(prefix)
}

// ReadReferrals reads a JSON array of referrals, or a single referral
// object, from r. Errors name the referral by position and the field.
// Duplicate referral ids give EINVALID.
func ReadReferrals(r io.Reader) ([]Referral, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, WrapError(EUNUSABLE, err, "read referrals")
	}
	trim := bytes.TrimSpace(data)
	if len(trim) == 0 {
		return nil, Errorf(EINVALID, "referrals: the file is empty; give a JSON referral object or an array of them")
	}
	if trim[0] == '{' {
		ref, err := ParseReferral(trim, "referral")
		if err != nil {
			return nil, err
		}
		return []Referral{ref}, nil
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(trim, &raws); err != nil {
		return nil, jsonError(err, "referrals")
	}
	out := make([]Referral, 0, len(raws))
	seen := map[string]int{}
	for k, raw := range raws {
		ref, err := ParseReferral(raw, fmt.Sprintf("referrals[%d]", k))
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[ref.ID]; dup {
			return nil, Errorf(EINVALID, "referrals[%d].id: %q repeats referrals[%d].id; give each referral its own id", k, ref.ID, prev)
		}
		seen[ref.ID] = k
		out = append(out, ref)
	}
	return out, nil
}

func jsonError(err error, prefix string) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case err == io.ErrUnexpectedEOF || err == io.EOF:
		return Errorf(EINVALID, "%s: malformed JSON: the text ends too early; check for an unclosed bracket, brace or quote", prefix)
	case asErr(err, &se):
		return WrapError(EINVALID, err, "%s: malformed JSON at byte %d; check quotes, commas and brackets", prefix, se.Offset)
	case asErr(err, &te):
		return Errorf(EINVALID, "%s.%s: expected %s, got a JSON %s", prefix, te.Field, te.Type, te.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return Errorf(EINVALID, "%s: %s is not a referral field; check its spelling against the documented fields",
			prefix, strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return WrapError(EINVALID, err, "%s: cannot read JSON", prefix)
}

func asErr[T error](err error, target *T) bool {
	for err != nil {
		if t, ok := err.(T); ok {
			*target = t
			return true
		}
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		err = u.Unwrap()
	}
	return false
}

func (w referralJSON) referral(p string) (Referral, error) {
	var err error
	f := func(name string) string { return p + "." + name }
	r := Referral{
		ID: strings.TrimSpace(w.ID), Council: strings.ToUpper(strings.TrimSpace(w.Council)),
		ChildID: strings.TrimSpace(w.ChildID), SiblingGroup: strings.TrimSpace(w.SiblingGroup),
		SiblingCount: w.SiblingCount, HomePostcode: strings.TrimSpace(w.HomePostcode),
		SchoolPostcode: strings.TrimSpace(w.SchoolPostcode), KeepSchool: w.KeepSchool,
		OutOfAreaReason: w.OutOfAreaReason, Avoid: w.Avoid, CulturalNeeds: w.CulturalNeeds,
		CulturalDetail: w.CulturalDetail, HomeAdaptation: w.HomeAdaptation, AdditionalSupport: w.AdditionalSupport,
		RiskOther: w.RiskOther, RiskToOthersOther: w.RiskToOthersOther,
	}
	if r.ID == "" {
		return r, Errorf(EINVALID, "%s: missing; give the referral an id", f("id"))
	}
	if r.ChildID == "" {
		r.ChildID = r.ID
	}
	switch strings.ToUpper(strings.TrimSpace(w.Sex)) {
	case "M", "1", "MALE":
		r.Sex = Male
	case "F", "2", "FEMALE":
		r.Sex = Female
	case "U", "", "NOT KNOWN":
		r.Sex = Unknown
	default:
		return r, Errorf(EINVALID, "%s: unknown value %q; use M, F or U", f("sex"), w.Sex)
	}
	if r.DOB, err = parseDay(f("date_of_birth"), w.DOB, true); err != nil {
		return r, err
	}
	if r.DOB.IsZero() {
		return r, Errorf(EINVALID, "%s: missing; give the month of birth as YYYY-MM", f("date_of_birth"))
	}
	if r.Received, err = parseDay(f("received"), w.Received, false); err != nil {
		return r, err
	}
	if r.StartDate, err = parseDay(f("start_date"), w.StartDate, false); err != nil {
		return r, err
	}
	if strings.TrimSpace(w.NeededBy) == "" {
		return r, Errorf(EINVALID, "%s: missing; use today, under_5_days or later", f("needed_by"))
	}
	if r.Urgency, err = lookup(urgencyLabels, f("needed_by"), w.NeededBy); err != nil {
		return r, err
	}
	if r.Foster, err = lookup(suitabilityLabels, f("foster_suitability"), w.Foster); err != nil {
		return r, err
	}
	if r.Residential, err = lookup(suitabilityLabels, f("residential_suitability"), w.Residential); err != nil {
		return r, err
	}
	if r.Supported, err = lookup(suitabilityLabels, f("supported_accommodation_suitability"), w.Supported); err != nil {
		return r, err
	}
	if r.Companions, err = lookup(companionLabels, f("living_companions"), w.Companions); err != nil {
		return r, err
	}
	if r.Pets, err = lookup(petLabels, f("pets"), w.Pets); err != nil {
		return r, err
	}
	if r.Needs.Tier, err = lookup(tierLabels, f("needs_tier"), w.NeedsTier); err != nil {
		return r, err
	}
	if r.SiblingCount < 0 || r.SiblingCount > 12 {
		return r, Errorf(EINVALID, "%s: %d is out of range; give the number of siblings to place with the child (0–12)", f("sibling_count"), r.SiblingCount)
	}
	if r.HomePostcode == "" {
		return r, Errorf(EINVALID, "%s: missing; give the family home's postcode (a sector or district will do)", f("home_postcode"))
	}
	for k, a := range r.Avoid {
		if strings.TrimSpace(a.Postcode) == "" {
			return r, Errorf(EINVALID, "%s[%d].postcode: missing; give the postcode of the place to avoid", f("locations_to_avoid"), k)
		}
		if a.Miles < 0 || a.Miles > 500 {
			return r, Errorf(EINVALID, "%s[%d].miles: %v is out of range; give 0–500 (0 means %v miles)", f("locations_to_avoid"), k, a.Miles, DefaultAvoidMiles)
		}
		if a.Miles == 0 {
			r.Avoid[k].Miles = DefaultAvoidMiles
		}
	}
	for _, c := range w.CommunicationNeeds {
		code, ok := communicationCodes[strings.ToLower(strings.TrimSpace(c))]
		if strings.EqualFold(strings.TrimSpace(c), "none") {
			continue
		}
		if !ok {
			return r, Errorf(EINVALID, "%s: unknown value %q; use ESOL, BSL, Makaton, Other or None", f("communication_needs"), c)
		}
		r.CommunicationNeeds = append(r.CommunicationNeeds, code)
	}
	r.Needs.CommunicationNeeds = r.CommunicationNeeds
	for _, c := range w.NeedCodes {
		if c = strings.ToUpper(strings.TrimSpace(c)); c != "" {
			r.NeedCodes = append(r.NeedCodes, c)
		}
	}
	for _, s := range w.RisksToChild {
		risk, err := lookup(riskToChild, f("risks_to_child"), s)
		if err != nil {
			return r, err
		}
		r.Needs.Risks = append(r.Needs.Risks, risk)
	}
	for _, s := range w.RisksToOthers {
		risk, err := lookup(riskToOthers, f("risks_to_others"), s)
		if err != nil {
			return r, err
		}
		r.Needs.Risks = append(r.Needs.Risks, risk)
	}
	r.Needs.Disability = w.Disability || w.HomeAdaptation
	r.Needs.MentalHealth = w.MentalHealth
	r.Needs.DeprivationOfLiberty = w.DeprivationOfLib
	r.Needs.SoloRecommended = r.Companions == CompanionsSolo
	if w.Budget < 0 || w.Budget > 100000 {
		return r, Errorf(EINVALID, "%s: £%v is out of range; give the weekly ceiling in pounds (0 for none, at most 100000)", f("weekly_budget"), w.Budget)
	}
	r.Budget = FromPounds(w.Budget)
	if r.Foster == SuitabilityUnsuitable && r.Residential == SuitabilityUnsuitable && r.Supported == SuitabilityUnsuitable {
		return r, Errorf(EINVALID, "%s: foster, residential and supported accommodation are all unsuitable; at least one type must be possible", p)
	}
	return r, nil
}
