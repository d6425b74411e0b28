package offers

import (
	"encoding/json"
	"os"
	"strings"
	"sufficiency/workflow"
	"testing"
	"time"

	"sufficiency/care"
	"sufficiency/match"
)

func identifyingReferral(t *testing.T) care.Referral {
	t.Helper()
	ref, err := care.ParseReferral([]byte(`{
		"id": "LAREF-77123", "council": "E08000003", "child_id": "CHILD-990011", "sex": "F",
		"date_of_birth": "2012-07-19", "needed_by": "today", "start_date": "2026-03-28",
		"foster_suitability": "preferred", "residential_suitability": "suitable",
		"supported_accommodation_suitability": "unsuitable", "sibling_count": 1,
		"home_postcode": "M14 5AB", "school_postcode": "m204rx", "keep_school": true,
		"locations_to_avoid": [{"postcode": "M1 1AE", "miles": 3, "reason": "known associate at M1 1AE"}],
		"living_companions": "no_preference", "pets": "can", "needs_tier": "complex",
		"need_codes": ["EBD"], "risks_to_child": ["going_missing"],
		"risk_to_child_other": "goes missing to M14 5AB; CHILD-990011 has been found at OL1 2AB; born 2012-07-19",
		"cultural_needs": "Required", "cultural_detail": "attends mosque near M13 9PL",
		"weekly_budget": 6000
	}`), "referral")
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func TestPseudonymise(t *testing.T) {
	ref := identifyingReferral(t)
	s, err := Pseudonymise(ref, "R-TEST-0001", time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(s)
	text := string(data)
	for _, banned := range []string{"CHILD-990011", "LAREF-77123", "2012-07-19", "19/07/2012", "M14 5AB", "M14 5", "M20 4RX", "m204rx",
		"M1 1AE", "OL1 2AB", "M13 9PL", "6000", "600000", "budget", "name"} {
		if strings.Contains(strings.ToUpper(text), strings.ToUpper(banned)) {
			t.Errorf("sent referral contains %q: %s", banned, text)
		}
	}
	if s.BirthMonth != "2012-07" || s.AgeAtStart != 13 {
		t.Errorf("birth month %q age %d", s.BirthMonth, s.AgeAtStart)
	}
	if s.HomeDistrict != "M14" || s.SchoolDistrict != "M20" || len(s.Avoid) != 1 || s.Avoid[0].District != "M1" || s.Avoid[0].Miles != 3 {
		t.Errorf("districts: home %q school %q avoid %+v", s.HomeDistrict, s.SchoolDistrict, s.Avoid)
	}
	if s.Reference != "R-TEST-0001" || s.Council != "E08000003" || s.SiblingCount != 1 || s.NeedsTier != "complex" ||
		len(s.Risks) != 1 || s.Urgency != "today" || s.StartDate != "2026-03-28" {
		t.Errorf("matching facts lost: %+v", s)
	}
	if !strings.Contains(s.RiskOther, "goes missing to M14") || !strings.Contains(s.RiskOther, "[removed]") {
		t.Errorf("risk note %q: want districts kept and ids removed", s.RiskOther)
	}
	// Every string field of the wire form is checked, so a field added later
	// that leaks the child id or a full postcode fails here.
	var generic map[string]any
	json.Unmarshal(data, &generic)
	for k := range generic {
		if strings.Contains(strings.ToLower(k), "child_id") || strings.Contains(strings.ToLower(k), "date_of_birth") {
			t.Errorf("field %q must not be sent", k)
		}
	}
}

func TestPseudonymiseBadPostcode(t *testing.T) {
	ref := identifyingReferral(t)
	ref.SchoolPostcode = "not a postcode"
	if _, err := Pseudonymise(ref, "R-1", time.Time{}); care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "school_postcode") {
		t.Fatalf("err %v; want EINVALID naming school_postcode", err)
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"lives at M14 5AB with mum", "lives at M14 with mum"},
		{"near m145ab", "near M14"},
		{"sector M14 5 only", "sector M14 only"},
		{"district B15 stays", "district B15 stays"},
		{"Year 10 5 days a week", "Year 10 5 days a week"},
		{"child c123 seen", "child [removed] seen"},
		{"born 2012-07-01", "born [removed]"},
		{"", ""},
	}
	for _, tc := range tests {
		if got := Redact(tc.in, []string{"C123"}, []string{"2012-07-01"}); got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNewReference(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		r := workflow.NewReference()
		if len(r) != 11 || !strings.HasPrefix(r, "R-") || r[6] != '-' || strings.ContainsAny(r, "ILOU") {
			t.Fatalf("reference %q", r)
		}
		if seen[r] {
			t.Fatalf("reference %q repeated in 1000", r)
		}
		seen[r] = true
	}
}

func fixtureIndex(t *testing.T) (*match.Index, care.Referral) {
	t.Helper()
	f, err := os.Open("../match/testdata/supply.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	provs, vacs, err := match.ReadSupply(f)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := match.NewIndex(provs, vacs, match.DefaultPolicy(), nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../match/testdata/referral.json")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := care.ParseReferral(data, "referral")
	if err != nil {
		t.Fatal(err)
	}
	return ix, ref
}

func TestShortlist(t *testing.T) {
	ix, ref := fixtureIndex(t)
	all, err := ix.Search(ref, match.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if all.Eligible < 2 {
		t.Fatalf("fixture has %d eligible provisions; the test needs 2", all.Eligible)
	}
	t.Run("Top", func(t *testing.T) {
		list, err := Shortlist(ix, ref, ShortlistOptions{Top: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ProvisionID != all.Candidates[0].ProvisionID || list[1].ProvisionID != all.Candidates[1].ProvisionID {
			t.Fatalf("shortlist %+v; want match's top two %s, %s", list, all.Candidates[0].ProvisionID, all.Candidates[1].ProvisionID)
		}
		if list[0].Rank != 1 || list[1].Rank != 2 || list[0].VacancyID == "" || list[0].Provider == "" {
			t.Fatalf("entries %+v", list)
		}
	})
	t.Run("ChosenKeepsRankOrder", func(t *testing.T) {
		second, first := all.Candidates[1].ProvisionID, all.Candidates[0].ProvisionID
		list, err := Shortlist(ix, ref, ShortlistOptions{Chosen: []string{second, first, second}})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ProvisionID != first || list[1].ProvisionID != second {
			t.Fatalf("shortlist %+v", list)
		}
	})
	t.Run("ErrChosenNotEligible", func(t *testing.T) {
		ex := all.NearestExcluded(1)
		if len(ex) == 0 {
			t.Skip("fixture excludes nothing")
		}
		_, err := Shortlist(ix, ref, ShortlistOptions{Chosen: []string{ex[0].Provision.ID}})
		if care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "not eligible") {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("ErrChosenUnknown", func(t *testing.T) {
		_, err := Shortlist(ix, ref, ShortlistOptions{Chosen: []string{"NOPE"}})
		if care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "not in the supply") {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("ErrTooMany", func(t *testing.T) {
		if _, err := Shortlist(ix, ref, ShortlistOptions{Top: MaxShortlist + 1}); care.ErrorCode(err) != care.EINVALID {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("ErrNothingEligible", func(t *testing.T) {
		r := ref
		r.DOB = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) // a baby: no home here takes one
		r.Foster = care.SuitabilityUnsuitable
		if _, err := Shortlist(ix, r, ShortlistOptions{}); care.ErrorCode(err) != care.ENOTFOUND {
			t.Fatalf("err %v", err)
		}
	})
}

func TestSummarise(t *testing.T) {
	counts := []workflow.DeclineCount{
		{Council: "E08000003", Provider: "Acme Care", Reason: workflow.ReasonNoVacancy, Count: 3},
		{Council: "E08000003", Provider: "Acme Care", Reason: workflow.ReasonPrice, Count: 1},
		{Council: "E08000003", Provider: "Beacon Homes", Reason: workflow.ReasonStatementOfPurpose, Count: 2},
		{Council: "E08000009", Provider: "Acme Care", Reason: workflow.ReasonNoVacancy, Count: 1},
		{Council: "E08000009", Provider: "Beacon Homes", Reason: workflow.ReasonOther, Count: 1},
		{Council: "E08000009", Provider: "Beacon Homes", Reason: workflow.ReasonOther, Count: 1}, // merged with the row above
		{Council: "E08000009", Provider: "Cedar", Reason: workflow.ReasonRisk, Count: 0},         // ignored
	}
	rep := Summarise(counts, workflow.DeclineFilter{})
	if rep.Total != 9 {
		t.Fatalf("total %d", rep.Total)
	}
	if len(rep.ByReason) != len(workflow.Reasons) {
		t.Fatalf("by reason has %d rows; want every reason", len(rep.ByReason))
	}
	want := map[workflow.Reason]int{workflow.ReasonNoVacancy: 4, workflow.ReasonPrice: 1, workflow.ReasonStatementOfPurpose: 2, workflow.ReasonOther: 2}
	sum := 0.0
	for _, rc := range rep.ByReason {
		if rc.Count != want[rc.Reason] {
			t.Errorf("%s: %d, want %d", rc.Reason, rc.Count, want[rc.Reason])
		}
		sum += rc.Share
	}
	if sum < 0.999 || sum > 1.001 {
		t.Errorf("shares add to %v", sum)
	}
	if len(rep.ByProvider) != 2 || rep.ByProvider[0].Key != "Acme Care" || rep.ByProvider[0].Total != 5 ||
		rep.ByProvider[0].Top != workflow.ReasonNoVacancy || rep.ByProvider[1].Total != 4 {
		t.Errorf("by provider %+v", rep.ByProvider)
	}
	if len(rep.ByCouncil) != 2 || rep.ByCouncil[0].Key != "E08000003" || rep.ByCouncil[0].Total != 6 || rep.ByCouncil[1].Total != 3 {
		t.Errorf("by council %+v", rep.ByCouncil)
	}
	if len(rep.Rows) != 5 || rep.Rows[4].Reason != workflow.ReasonOther || rep.Rows[4].Count != 2 {
		t.Errorf("rows %+v", rep.Rows)
	}
	empty := Summarise(nil, workflow.DeclineFilter{})
	if empty.Total != 0 || len(empty.ByReason) != len(workflow.Reasons) || empty.ByReason[0].Share != 0 {
		t.Errorf("empty report %+v", empty)
	}
}

func TestPseudonymiseNeedsCouncil(t *testing.T) {
	ref := identifyingReferral(t)
	ref.Council = ""
	if _, err := Pseudonymise(ref, "R-1", time.Time{}); care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "referral.council") {
		t.Fatalf("err %v; want EINVALID naming referral.council", err)
	}
}
