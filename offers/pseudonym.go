package offers

import (
	"regexp"
	"strconv"
	"strings"
	"sufficiency/workflow"
	"time"

	"sufficiency/care"
	"sufficiency/geo"
)

var tierNames = map[care.NeedsTier]string{
	care.TierUnknown: "unknown", care.TierStandard: "standard", care.TierEnhanced: "enhanced",
	care.TierComplex: "complex", care.TierHighly: "highly_complex",
}

// Pseudonymise returns what providers are sent for ref under reference (see
// SentReferral). today is used for the age when the referral has neither a
// start date nor a date received. EINVALID naming the field when the council
// or date of birth is missing, or a postcode cannot be read as a UK postcode
// (its district could not be taken).
func Pseudonymise(ref care.Referral, reference string, today time.Time) (workflow.SentReferral, error) {
	if strings.TrimSpace(reference) == "" {
		return workflow.SentReferral{}, care.Errorf(care.EINVALID, "no referral reference: use NewReference")
	}
	if ref.DOB.IsZero() {
		return workflow.SentReferral{}, care.Errorf(care.EINVALID, "referral.date_of_birth: missing; give the month and year of birth")
	}
	if strings.TrimSpace(ref.Council) == "" {
		return workflow.SentReferral{}, care.Errorf(care.EINVALID, "referral.council: missing; give the placing council's ONS code (providers and the decline report need it)")
	}
	home, err := districtOf("home_postcode", ref.HomePostcode)
	if err != nil {
		return workflow.SentReferral{}, err
	}
	at := ref.Start()
	if at.IsZero() {
		at = today
	}
	red := redactor(ref)
	s := workflow.SentReferral{
		Reference: reference, Council: ref.Council, Sex: string(ref.Sex),
		BirthMonth: ref.DOB.Format("2006-01"), AgeAtStart: care.AgeOn(ref.DOB, at),
		Urgency: string(ref.Urgency), Foster: string(ref.Foster), Residential: string(ref.Residential),
		Supported: string(ref.Supported), SiblingCount: ref.SiblingCount, HomeDistrict: home,
		KeepSchool: ref.KeepSchool, OutOfAreaReason: red(ref.OutOfAreaReason),
		Companions: string(ref.Companions), Pets: string(ref.Pets),
		CommunicationNeeds: ref.CommunicationNeeds, CulturalNeeds: red(ref.CulturalNeeds),
		CulturalDetail: red(ref.CulturalDetail), HomeAdaptation: ref.HomeAdaptation,
		NeedsTier: tierNames[ref.Needs.Tier], NeedCodes: ref.NeedCodes, Risks: ref.Needs.Risks,
		Disability: ref.Needs.Disability, MentalHealth: ref.Needs.MentalHealth,
		DeprivationOfLiberty: ref.Needs.DeprivationOfLiberty,
		RiskOther:            red(ref.RiskOther), RiskToOthersOther: red(ref.RiskToOthersOther),
	}
	if !ref.StartDate.IsZero() {
		s.StartDate = ref.StartDate.Format("2006-01-02")
	}
	if strings.TrimSpace(ref.SchoolPostcode) != "" {
		if s.SchoolDistrict, err = districtOf("school_postcode", ref.SchoolPostcode); err != nil {
			return workflow.SentReferral{}, err
		}
	}
	for k, a := range ref.Avoid {
		d, err := districtOf("locations_to_avoid["+strconv.Itoa(k)+"].postcode", a.Postcode)
		if err != nil {
			return workflow.SentReferral{}, err
		}
		s.Avoid = append(s.Avoid, workflow.AvoidDistrict{District: d, Miles: a.Miles, Reason: red(a.Reason)})
	}
	for _, x := range ref.AdditionalSupport {
		s.AdditionalSupport = append(s.AdditionalSupport, red(x))
	}
	return s, nil
}

// districtOf returns the postcode district of a full postcode, sector or
// district.
func districtOf(field, s string) (string, error) {
	pc, err := geo.ParsePostcode(s)
	if err != nil {
		return "", care.WrapError(care.EINVALID, err, "referral.%s: cannot take the postcode district", field)
	}
	return pc.District, nil
}

// fullPostcode finds full postcodes and sectors written in free text
// ("M14 5AB", "m145ab", "M14 5"); Redact keeps their district only.
var fullPostcode = regexp.MustCompile(`(?i)\b([A-Z]{1,2}[0-9][A-Z0-9]?)(?: [0-9](?:[A-Z]{2})?|[0-9][A-Z]{2})\b`)

// redactor returns the free-text filter for one referral (see Redact).
func redactor(ref care.Referral) func(string) string {
	var ids []string
	for _, id := range []string{ref.ChildID, ref.ID} {
		if id = strings.TrimSpace(id); len(id) >= 3 {
			ids = append(ids, id)
		}
	}
	var dates []string
	if !ref.DOB.IsZero() {
		for _, layout := range []string{"2006-01-02", "02/01/2006", "2/1/2006", "02-01-2006", "2 January 2006", "2 Jan 2006"} {
			dates = append(dates, ref.DOB.Format(layout))
		}
	}
	return func(s string) string { return Redact(s, ids, dates) }
}

// Redact removes identifying details that may have been typed into free
// text: every occurrence of the given identifiers (the council's CHILD and
// referral ids) and dates (the date of birth in common layouts) becomes
// "[removed]", and full postcodes or sectors are cut to their district.
// Names cannot be found reliably, which is why declines take free text only
// with reason other and referrals never carry a name field.
func Redact(s string, ids, dates []string) string {
	if strings.TrimSpace(s) == "" {
		return strings.TrimSpace(s)
	}
	for _, d := range dates {
		s = replaceFold(s, d, "[removed]")
	}
	for _, id := range ids {
		s = replaceFold(s, id, "[removed]")
	}
	return strings.TrimSpace(fullPostcode.ReplaceAllStringFunc(s, func(m string) string {
		sub := fullPostcode.FindStringSubmatch(m)
		if _, err := geo.ParsePostcode(sub[1]); err != nil {
			return m
		}
		return strings.ToUpper(sub[1])
	}))
}

// replaceFold replaces every case-insensitive occurrence of old in s.
func replaceFold(s, old, repl string) string {
	if old == "" {
		return s
	}
	lower, lold := strings.ToLower(s), strings.ToLower(old)
	if len(lower) != len(s) {
		return strings.ReplaceAll(s, old, repl) // non-ASCII case changes lengths: exact match only
	}
	var b strings.Builder
	for {
		i := strings.Index(lower, lold)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(repl)
		s, lower = s[i+len(old):], lower[i+len(old):]
	}
}
