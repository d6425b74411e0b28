package care

import (
	"strings"
	"testing"
)

const goodReferral = `{
 "id": "R1", "council": "e08000003", "child_id": "C1", "sex": "F", "date_of_birth": "2012-05",
 "received": "2026-03-02", "needed_by": "in less than 5 days", "start_date": "2026-03-05",
 "foster_suitability": "Preferred", "residential_suitability": "Suitable but not preferred",
 "supported_accommodation_suitability": "Unsuitable", "sibling_group": "G1", "sibling_count": 1,
 "home_postcode": "M14 5", "school_postcode": "M13 9", "keep_school": true,
 "locations_to_avoid": [{"postcode": "M1", "reason": "exploitation"}],
 "living_companions": "Only with other younger children", "pets": "Yes - can",
 "communication_needs": ["bsl", "None"], "needs_tier": "complex", "need_codes": ["ebd"],
 "risks_to_child": ["going_missing"], "risks_to_others": ["fire_setting"],
 "deprivation_of_liberty": true, "weekly_budget": 5200.5
}`

func TestParseReferral(t *testing.T) {
	r, err := ParseReferral([]byte(goodReferral), "referral")
	if err != nil {
		t.Fatal(err)
	}
	if r.Council != "E08000003" || r.Sex != Female || r.DOB != Date(2012, 5, 1) || r.Urgency != UrgencyUnder5Days {
		t.Fatalf("basic fields: %+v", r)
	}
	if r.Foster != SuitabilityPreferred || r.Residential != SuitabilitySuitable || r.Supported != SuitabilityUnsuitable {
		t.Fatalf("suitability: %v %v %v", r.Foster, r.Residential, r.Supported)
	}
	if r.GroupSize() != 2 || r.Companions != CompanionsYoungerOnly || r.Pets != PetsCan || r.Solo() {
		t.Fatalf("group/companions: %+v", r)
	}
	if len(r.CommunicationNeeds) != 1 || r.CommunicationNeeds[0] != "BSL" || r.NeedCodes[0] != "EBD" {
		t.Fatalf("needs: %v %v", r.CommunicationNeeds, r.NeedCodes)
	}
	if !r.Needs.Has(RiskMissing) || !r.Needs.Has(RiskFireSetting) || !r.Needs.DeprivationOfLiberty || r.Needs.Tier != TierComplex {
		t.Fatalf("risks: %+v", r.Needs)
	}
	if r.Avoid[0].Miles != DefaultAvoidMiles || r.Budget != 520050 || r.Start() != Date(2026, 3, 5) {
		t.Fatalf("avoid/budget/start: %+v %v %v", r.Avoid, r.Budget, r.Start())
	}
	if r.AgeOn(Date(2026, 3, 5)) != 13 {
		t.Fatalf("age %d", r.AgeOn(Date(2026, 3, 5)))
	}
}

func TestParseReferralErrors(t *testing.T) {
	tests := []struct {
		name, from, to, want string
	}{
		{"ErrUnknownUrgency", `"needed_by": "in less than 5 days"`, `"needed_by": "soon"`, "referral.needed_by: unknown value \"soon\""},
		{"ErrMissingDOB", `"date_of_birth": "2012-05"`, `"date_of_birth": ""`, "referral.date_of_birth: missing"},
		{"ErrBadDate", `"start_date": "2026-03-05"`, `"start_date": "05/03/2026"`, "referral.start_date: \"05/03/2026\" is not a date"},
		{"ErrUnknownField", `"pets"`, `"animals"`, "\"animals\" is not a referral field"},
		{"ErrWrongType", `"sibling_count": 1`, `"sibling_count": "one"`, "referral.sibling_count: expected int"},
		{"ErrMalformed", `"id": "R1",`, `"id": "R1"`, "malformed JSON"},
		{"ErrUnknownRisk", `"going_missing"`, `"arson"`, "referral.risks_to_child: unknown value \"arson\""},
		{"ErrSex", `"sex": "F"`, `"sex": "X"`, "referral.sex"},
		{"ErrBudget", `5200.5`, `-3`, "referral.weekly_budget"},
		{"ErrNoHome", `"home_postcode": "M14 5"`, `"home_postcode": ""`, "referral.home_postcode: missing"},
		{"ErrSuitability", `"Preferred"`, `"Maybe"`, "referral.foster_suitability: unknown value"},
		{"ErrComms", `"bsl"`, `"semaphore"`, "referral.communication_needs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := strings.Replace(goodReferral, tt.from, tt.to, 1)
			if in == goodReferral {
				t.Fatalf("test does not change the input")
			}
			_, err := ParseReferral([]byte(in), "referral")
			if err == nil || ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want EINVALID containing %q", err, tt.want)
			}
		})
	}
}

func TestReadReferrals(t *testing.T) {
	two := "[" + goodReferral + "," + strings.Replace(goodReferral, `"id": "R1"`, `"id": "R2"`, 1) + "]"
	refs, err := ReadReferrals(strings.NewReader(two))
	if err != nil || len(refs) != 2 || refs[1].ID != "R2" {
		t.Fatalf("%v %d", err, len(refs))
	}
	if _, err := ReadReferrals(strings.NewReader("[" + goodReferral + "," + goodReferral + "]")); err == nil ||
		!strings.Contains(err.Error(), "referrals[1].id") {
		t.Fatalf("duplicate id: %v", err)
	}
	one, err := ReadReferrals(strings.NewReader(goodReferral))
	if err != nil || len(one) != 1 {
		t.Fatalf("single object: %v", err)
	}
	if _, err := ReadReferrals(strings.NewReader("  ")); ErrorCode(err) != EINVALID {
		t.Fatalf("empty: %v", err)
	}
}
