package match

import (
	"encoding/json"
	"fmt"
)

// ReasonCode identifies a hard constraint that excludes a provision for a
// referral.
type ReasonCode uint8

// Reason codes, in the order the constraints are checked.
const (
	ReasonNoLocation     ReasonCode = iota + 1 // the provision's postcode cannot be located
	ReasonNoVacancy                            // no vacancy at all
	ReasonVacancyLater                         // a vacancy, but not free until after the start date
	ReasonSiblingGroup                         // cannot take the whole sibling group
	ReasonTypeUnsuitable                       // the social worker marked this type unsuitable
	ReasonSecureOrder                          // secure home without a deprivation of liberty order
	ReasonLibertyNotHere                       // a deprivation of liberty order cannot be met in supported accommodation
	ReasonAge                                  // outside the age range
	ReasonSex                                  // sex not accepted
	ReasonInadequate                           // rated Inadequate
	ReasonNeeds                                // a need not in the statement of purpose
	ReasonSolo                                 // solo placement recommended but the home has residents
	ReasonCompanions                           // older-only / younger-only companions not met
	ReasonImpact                               // risk flags clash with current residents
	ReasonPets                                 // pets requirement not met
	ReasonAvoid                                // within the distance of a location to avoid
	ReasonBudget                               // over the budget ceiling
	ReasonTooFar                               // beyond the policy's maximum distance
)

// Reason is one exclusion with the figures that explain it. Use String for
// the sentence shown to people.
type Reason struct {
	Code ReasonCode
	N    int     // a count: sibling group size, residents
	X    float64 // a figure: free places, miles, pounds, days
	S    string  // a name: need code, risk, type
}

// String returns the reason as a sentence fragment, e.g. "cannot take a
// sibling group of 3".
func (r Reason) String() string {
	switch r.Code {
	case ReasonNoLocation:
		return "postcode cannot be located, so distances cannot be checked"
	case ReasonNoVacancy:
		return "no vacancy"
	case ReasonVacancyLater:
		return fmt.Sprintf("no vacancy until %.0f days after the start date", r.X)
	case ReasonSiblingGroup:
		return fmt.Sprintf("cannot take a sibling group of %d (%.0f together at most)", r.N, r.X)
	case ReasonTypeUnsuitable:
		return r.S + " marked unsuitable for this child"
	case ReasonSecureOrder:
		return "secure children's home needs a secure accommodation or deprivation of liberty order"
	case ReasonLibertyNotHere:
		return "deprivation of liberty order cannot be met in supported accommodation"
	case ReasonAge:
		return fmt.Sprintf("outside %s age range (child %d)", r.S, r.N)
	case ReasonSex:
		return "sex not accepted"
	case ReasonInadequate:
		return "rated Inadequate"
	case ReasonNeeds:
		return fmt.Sprintf("needs not in statement of purpose (%s)", r.S)
	case ReasonSolo:
		return fmt.Sprintf("solo placement recommended but home has %d residents", r.N)
	case ReasonCompanions:
		return r.S
	case ReasonImpact:
		return "impact on current residents: " + r.S
	case ReasonPets:
		return r.S
	case ReasonAvoid:
		return fmt.Sprintf("within %g miles of a location to avoid", r.X)
	case ReasonBudget:
		return fmt.Sprintf("over budget ceiling (£%.0f a week)", r.X)
	case ReasonTooFar:
		return fmt.Sprintf("beyond the policy's %g-mile limit", r.X)
	}
	return fmt.Sprintf("reason %d", r.Code)
}

// MarshalJSON writes the reason as its sentence.
func (r Reason) MarshalJSON() ([]byte, error) { return json.Marshal(r.String()) }

// Label is a short name of the code for summaries ("no vacancy", "age", ...).
func (c ReasonCode) Label() string {
	switch c {
	case ReasonNoLocation:
		return "location unknown"
	case ReasonNoVacancy:
		return "no vacancy"
	case ReasonVacancyLater:
		return "vacancy too late"
	case ReasonSiblingGroup:
		return "sibling group too large"
	case ReasonTypeUnsuitable:
		return "type unsuitable"
	case ReasonSecureOrder:
		return "secure home without order"
	case ReasonLibertyNotHere:
		return "liberty order not possible here"
	case ReasonAge:
		return "outside age range"
	case ReasonSex:
		return "sex not accepted"
	case ReasonInadequate:
		return "rated Inadequate"
	case ReasonNeeds:
		return "needs not in statement of purpose"
	case ReasonSolo:
		return "solo placement, home has residents"
	case ReasonCompanions:
		return "companions"
	case ReasonImpact:
		return "impact on residents"
	case ReasonPets:
		return "pets"
	case ReasonAvoid:
		return "near a location to avoid"
	case ReasonBudget:
		return "over budget"
	case ReasonTooFar:
		return "too far"
	}
	return "other"
}
