package workflow

import (
	"crypto/rand"

	"sufficiency/care"
)

// SentReferral is a referral as providers see it: what they need to decide
// whether they can care for the child, and nothing that identifies the child.
// It has no name (care.Referral never holds one), no council CHILD id and no
// council referral id (an opaque Reference instead), the month and year of
// birth only, and postcode districts only (home, school, locations to avoid).
// The council's budget ceiling is not sent either: providers price their care,
// the council compares. Free-text fields are passed through Redact.
type SentReferral struct {
	Reference  string `json:"reference"`
	Council    string `json:"council"` // the placing council (ONS code)
	Sex        string `json:"sex"`
	BirthMonth string `json:"birth_month"` // YYYY-MM
	// AgeAtStart is the child's age in whole years on the start date (or on
	// the day sent when no start date is known).
	AgeAtStart int    `json:"age_at_start"`
	Urgency    string `json:"needed_by"`
	StartDate  string `json:"start_date,omitempty"` // YYYY-MM-DD

	Foster      string `json:"foster_suitability"`
	Residential string `json:"residential_suitability"`
	Supported   string `json:"supported_accommodation_suitability"`

	SiblingCount    int             `json:"sibling_count"`
	HomeDistrict    string          `json:"home_district"`
	SchoolDistrict  string          `json:"school_district,omitempty"`
	KeepSchool      bool            `json:"keep_school,omitempty"`
	OutOfAreaReason string          `json:"out_of_area_reason,omitempty"`
	Avoid           []AvoidDistrict `json:"locations_to_avoid,omitempty"`

	Companions         string   `json:"living_companions"`
	Pets               string   `json:"pets"`
	CommunicationNeeds []string `json:"communication_needs,omitempty"`
	CulturalNeeds      string   `json:"cultural_needs,omitempty"`
	CulturalDetail     string   `json:"cultural_detail,omitempty"`
	HomeAdaptation     bool     `json:"home_adaptation,omitempty"`
	AdditionalSupport  []string `json:"additional_support,omitempty"`

	NeedsTier            string      `json:"needs_tier"`
	NeedCodes            []string    `json:"need_codes,omitempty"`
	Risks                []care.Risk `json:"risks,omitempty"`
	Disability           bool        `json:"disability,omitempty"`
	MentalHealth         bool        `json:"mental_health,omitempty"`
	DeprivationOfLiberty bool        `json:"deprivation_of_liberty,omitempty"`
	RiskOther            string      `json:"risk_to_child_other,omitempty"`
	RiskToOthersOther    string      `json:"risk_to_others_other,omitempty"`
}

// AvoidDistrict is a location to avoid, as a postcode district.
type AvoidDistrict struct {
	District string  `json:"district"`
	Miles    float64 `json:"miles"`
	Reason   string  `json:"reason,omitempty"`
}

// referenceAlphabet is Crockford's base 32: no I, L, O or U to misread.
const referenceAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewReference returns a fresh opaque referral reference, "R-" and eight
// random characters in two groups (40 random bits), e.g. "R-7KQ2-M9XD". It
// carries nothing of the child or the council.
func NewReference() string {
	var b [8]byte
	rand.Read(b[:]) // never fails (crypto/rand panics on the impossible)
	out := []byte("R-")
	for i, x := range b {
		if i == 4 {
			out = append(out, '-')
		}
		out = append(out, referenceAlphabet[x&31])
	}
	return string(out)
}
