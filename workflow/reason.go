package workflow

import (
	"strings"

	"sufficiency/care"
)

// Reason is why a provider declined a referral: a fixed vocabulary, so
// declines can be counted for the gap analysis. Free text is allowed only
// with ReasonOther.
type Reason string

// Decline reasons.
const (
	ReasonNoVacancy          Reason = "no_vacancy"                   // no place free (the vacancy has gone)
	ReasonStatementOfPurpose Reason = "outside_statement_of_purpose" // the child's needs are outside what the home is registered for
	ReasonImpact             Reason = "impact_on_current_group"      // the matching and impact risk assessment ruled it out
	ReasonStaffing           Reason = "staffing"                     // not enough staff (or carers) for the support needed
	ReasonLocation           Reason = "location"                     // the home is too far, or the area is unsafe for the child
	ReasonPrice              Reason = "price"                        // the price the council can pay does not cover the care
	ReasonRisk               Reason = "risk"                         // the risks to or from the child cannot be managed
	ReasonOther              Reason = "other"                        // anything else, explained in a note
)

// Reasons lists every decline reason in the order reports show them.
var Reasons = []Reason{ReasonNoVacancy, ReasonStatementOfPurpose, ReasonImpact, ReasonStaffing,
	ReasonLocation, ReasonPrice, ReasonRisk, ReasonOther}

var reasonLabels = map[Reason]string{
	ReasonNoVacancy:          "no vacancy",
	ReasonStatementOfPurpose: "outside statement of purpose",
	ReasonImpact:             "impact on current group",
	ReasonStaffing:           "staffing",
	ReasonLocation:           "location",
	ReasonPrice:              "price",
	ReasonRisk:               "risk",
	ReasonOther:              "other",
}

// Label returns the reason in words ("outside statement of purpose").
func (r Reason) Label() string {
	if l, ok := reasonLabels[r]; ok {
		return l
	}
	return string(r)
}

// reasonCodes lists the codes for messages.
func reasonCodes() string {
	parts := make([]string, len(Reasons))
	for i, r := range Reasons {
		parts[i] = string(r)
	}
	return strings.Join(parts, ", ")
}

// ParseReason reads a decline reason: its code or its label, in any case,
// with spaces, hyphens or underscores. EINVALID listing the codes otherwise.
func ParseReason(s string) (Reason, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	k = strings.NewReplacer(" ", "_", "-", "_").Replace(k)
	if k == "" {
		return "", care.Errorf(care.EINVALID, "no decline reason given; use one of %s", reasonCodes())
	}
	for _, r := range Reasons {
		if string(r) == k {
			return r, nil
		}
	}
	return "", care.Errorf(care.EINVALID, "unknown decline reason %q; use one of %s", s, reasonCodes())
}

// MaxNote is the longest note accepted with ReasonOther, in characters.
const MaxNote = 500

// CheckDecline checks a decline's reason and note: the reason must be known;
// a note is required with ReasonOther and refused with any other reason (the
// structured reasons say it all, and free text is where identifying details
// creep in). EINVALID saying what to do otherwise.
func CheckDecline(r Reason, note string) error {
	known := false
	for _, x := range Reasons {
		known = known || x == r
	}
	if !known {
		return care.Errorf(care.EINVALID, "unknown decline reason %q; use one of %s", r, reasonCodes())
	}
	note = strings.TrimSpace(note)
	switch {
	case r == ReasonOther && note == "":
		return care.Errorf(care.EINVALID, "reason other needs a note saying why (at most %d characters)", MaxNote)
	case r != ReasonOther && note != "":
		return care.Errorf(care.EINVALID, "a note is taken only with reason other; reason %s says it already, so drop the note", r)
	case len([]rune(note)) > MaxNote:
		return care.Errorf(care.EINVALID, "the note has %d characters; keep it to %d", len([]rune(note)), MaxNote)
	}
	return nil
}
