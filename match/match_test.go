package match

import (
	"math"
	"strings"
	"testing"

	"sufficiency/care"
	"sufficiency/geo"
)

var day0 = care.Date(2026, 3, 2)

// testSupply is a small region around Manchester.
func testSupply() ([]care.Provision, []care.Vacancy) {
	provs := []care.Provision{
		{ID: "H1", Kind: care.KindChildrensHome, Name: "Didsbury House", Council: "E08000003", Postcode: "M20", Places: 4,
			Rating: care.RatingGood, MinAge: 8, MaxAge: 17, Needs: []string{"EBD"}, WeeklyPrice: 550000,
			Residents:  []care.Resident{{Age: 15, Sex: care.Male, Risks: []care.Risk{care.RiskMissing, care.RiskCriminalExploitation}}},
			Registered: care.Date(2015, 1, 1)},
		{ID: "H2", Kind: care.KindChildrensHome, Name: "Liverpool Lodge", Council: "E08000012", Postcode: "L1", Places: 3,
			Rating: care.RatingOutstanding, MinAge: 10, MaxAge: 17, Needs: []string{"EBD", "LD"}, WeeklyPrice: 480000,
			Registered: care.Date(2010, 1, 1)},
		{ID: "H3", Kind: care.KindChildrensHome, Name: "City Centre Home", Council: "E08000003", Postcode: "M1", Places: 2,
			Rating: care.RatingInadequate, MinAge: 8, MaxAge: 17, Needs: []string{"EBD"}, WeeklyPrice: 500000},
		{ID: "F1", Kind: care.KindFostering, Name: "Stockport carers", Council: "E08000007", Postcode: "SK4", Places: 2,
			Rating: care.RatingGood, MinAge: 0, MaxAge: 18, InHouse: true, SiblingCapacity: 2, WeeklyPrice: 45000},
		{ID: "F2", Kind: care.KindFostering, Name: "Oldham carers", Council: "E08000004", Postcode: "OL1", Places: 3,
			Rating: care.RatingGood, MinAge: 0, MaxAge: 10, SiblingCapacity: 3, WeeklyPrice: 80000,
			Specialisms: []string{"pets"}},
		{ID: "S1", Kind: care.KindSupported, Name: "Wigan flats", Council: "E08000010", Postcode: "WN1", Places: 6,
			Rating: care.RatingNone, MinAge: 16, MaxAge: 17, WeeklyPrice: 150000},
		{ID: "K1", Kind: care.KindSecureHome, Name: "Bolton secure", Council: "E08000001", Postcode: "BL1", Places: 8,
			Rating: care.RatingGood, MinAge: 10, MaxAge: 17, Needs: []string{"EBD", "MH"}, WeeklyPrice: 900000},
		{ID: "N1", Kind: care.KindChildrensHome, Name: "No vacancy home", Council: "E08000003", Postcode: "M14 5", Places: 2,
			Rating: care.RatingGood, MinAge: 8, MaxAge: 17, WeeklyPrice: 500000},
	}
	vacs := []care.Vacancy{
		{ID: "V-H1", ProvisionID: "H1", Places: 2, ValidFrom: day0, UpdatedAt: day0},
		{ID: "V-H2", ProvisionID: "H2", Places: 1, ValidFrom: day0, UpdatedAt: day0.AddDate(0, 0, -30)},
		{ID: "V-H3", ProvisionID: "H3", Places: 1, ValidFrom: day0},
		{ID: "V-F1", ProvisionID: "F1", Places: 2, ValidFrom: day0},
		{ID: "V-F2", ProvisionID: "F2", Places: 3, ValidFrom: day0},
		{ID: "V-S1", ProvisionID: "S1", Places: 2, ValidFrom: day0},
		{ID: "V-K1", ProvisionID: "K1", Places: 1, ValidFrom: day0.AddDate(0, 0, 20)},
	}
	return provs, vacs
}

func mustIndex(t testing.TB, p Policy) *Index {
	t.Helper()
	provs, vacs := testSupply()
	ix, err := NewIndex(provs, vacs, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// baseReferral is a 13-year-old girl from Manchester, any type suitable.
func baseReferral() care.Referral {
	return care.Referral{ID: "R1", Council: "E08000003", ChildID: "C1", Sex: care.Female, DOB: care.Date(2012, 5, 1),
		Received: day0, Urgency: care.UrgencyUnder5Days, StartDate: day0,
		Foster: care.SuitabilityPreferred, Residential: care.SuitabilitySuitable, Supported: care.SuitabilitySuitable,
		HomePostcode: "M14 5", Companions: care.CompanionsNoPreference, Pets: care.PetsNotKnown,
		Needs: care.NeedsProfile{Tier: care.TierEnhanced}}
}

func reasonsFor(res Result, id string) []Reason {
	for _, e := range res.NearestExcluded(-1) {
		if e.Provision.ID == id {
			return e.Reasons
		}
	}
	return nil
}

func hasReason(rs []Reason, code ReasonCode, text string) bool {
	for _, r := range rs {
		if r.Code == code && strings.Contains(r.String(), text) {
			return true
		}
	}
	return false
}

func TestExclusionReasons(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *care.Referral)
		prov   string
		code   ReasonCode
		text   string
	}{
		{"NoVacancy", nil, "N1", ReasonNoVacancy, "no vacancy"},
		{"VacancyLater", func(r *care.Referral) { r.Needs.DeprivationOfLiberty = true }, "K1", ReasonVacancyLater, "20 days"},
		{"Inadequate", nil, "H3", ReasonInadequate, "rated Inadequate"},
		{"ApprovalAge", nil, "F2", ReasonAge, "outside approval age range (child 13)"},
		{"RegisteredAge", func(r *care.Referral) { r.DOB = care.Date(2020, 1, 1) }, "H1", ReasonAge, "outside registered age range"},
		{"SupportedAge", nil, "S1", ReasonAge, "age range"},
		{"SecureNeedsOrder", nil, "K1", ReasonSecureOrder, "secure"},
		{"SiblingGroup", func(r *care.Referral) { r.SiblingCount = 2 }, "F1", ReasonSiblingGroup, "cannot take a sibling group of 3"},
		{"TypeUnsuitable", func(r *care.Referral) { r.Residential = care.SuitabilityUnsuitable }, "H1", ReasonTypeUnsuitable, "residential care marked unsuitable"},
		{"NeedsNotInStatement", func(r *care.Referral) { r.NeedCodes = []string{"LD"} }, "H1", ReasonNeeds, "needs not in statement of purpose (LD)"},
		{"Communication", func(r *care.Referral) { r.CommunicationNeeds = []string{"BSL"} }, "H2", ReasonNeeds, "BSL"},
		{"Solo", func(r *care.Referral) { r.Companions = care.CompanionsSolo }, "H1", ReasonSolo, "solo placement recommended but home has 1 residents"},
		{"OlderOnly", func(r *care.Referral) { r.Companions = care.CompanionsYoungerOnly }, "H1", ReasonCompanions, "younger"},
		{"Impact", func(r *care.Referral) {
			r.Needs.Risks = []care.Risk{care.RiskExploitingOthers}
		}, "H1", ReasonImpact, "exploiting a resident"},
		{"Pets", func(r *care.Referral) { r.Pets = care.PetsNo; r.DOB = care.Date(2018, 1, 1) }, "F2", ReasonPets, "animals"},
		{"Avoid", func(r *care.Referral) {
			r.Avoid = []care.AvoidLocation{{Postcode: "M19", Miles: 5}}
		}, "H1", ReasonAvoid, "within 5 miles of a location to avoid"},
		{"Budget", func(r *care.Referral) { r.Budget = 300000 }, "H1", ReasonBudget, "over budget ceiling (£5500 a week)"},
		{"Sex", nil, "", 0, ""},
		{"LibertyNotInSupported", func(r *care.Referral) {
			r.Needs.DeprivationOfLiberty = true
			r.DOB = care.Date(2009, 6, 1)
		}, "S1", ReasonLibertyNotHere, "supported accommodation"},
	}
	ix := mustIndex(t, DefaultPolicy())
	for _, tt := range tests {
		if tt.prov == "" {
			continue
		}
		t.Run(tt.name, func(t *testing.T) {
			r := baseReferral()
			if tt.change != nil {
				tt.change(&r)
			}
			res, err := ix.Search(r, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if rs := reasonsFor(res, tt.prov); !hasReason(rs, tt.code, tt.text) {
				t.Fatalf("%s: reasons %v, want code %d containing %q", tt.prov, rs, tt.code, tt.text)
			}
			for _, c := range res.Candidates {
				if c.ProvisionID == tt.prov {
					t.Fatalf("%s is both excluded and a candidate", tt.prov)
				}
			}
		})
	}
}

func TestSexNotAccepted(t *testing.T) {
	provs, vacs := testSupply()
	provs[0].Sexes = []care.Sex{care.Male}
	ix, err := NewIndex(provs, vacs, DefaultPolicy(), nil)
	if err != nil {
		t.Fatal(err)
	}
	res, _ := ix.Search(baseReferral(), Options{})
	if !hasReason(reasonsFor(res, "H1"), ReasonSex, "sex not accepted") {
		t.Fatalf("H1 reasons %v", reasonsFor(res, "H1"))
	}
}

func TestRankingExplained(t *testing.T) {
	ix := mustIndex(t, DefaultPolicy())
	r := baseReferral()
	r.SchoolPostcode, r.KeepSchool = "M13 9", true
	res, err := ix.Search(r, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Candidates) < 3 || res.Considered != 8 || len(res.Candidates)+res.ExcludedCount() != 8 || res.Eligible != len(res.Candidates) {
		t.Fatalf("candidates %d excluded %d", len(res.Candidates), res.ExcludedCount())
	}
	// Foster is preferred, F1 is close, cheap and in-house: it must rank first.
	if res.Candidates[0].ProvisionID != "F1" {
		t.Fatalf("first candidate %s, want F1", res.Candidates[0].ProvisionID)
	}
	for k, c := range res.Candidates {
		sum := 0.0
		names := map[string]bool{}
		for _, p := range c.Parts {
			sum += p.Points
			names[p.Name] = true
		}
		if math.Abs(sum-c.Score) > 1e-9 {
			t.Fatalf("%s: parts sum to %v, score %v", c.ProvisionID, sum, c.Score)
		}
		for _, n := range []string{"distance", "in_area", "school", "needs_fit", "cost", "rating", "stability"} {
			if !names[n] {
				t.Fatalf("%s: no %s part", c.ProvisionID, n)
			}
		}
		if k > 0 && c.Score < res.Candidates[k-1].Score {
			t.Fatal("candidates not sorted by score")
		}
	}
	// H2 is in Liverpool: far, out of area, stale vacancy, school lost.
	for _, c := range res.Candidates {
		if c.ProvisionID != "H2" {
			continue
		}
		home, _ := geo.LocateString("M14 5")
		l1, _ := geo.LocateString("L1")
		if math.Abs(c.Miles-geo.Miles(home, l1)) > 1e-9 || c.InArea {
			t.Fatalf("H2 miles %v in area %v", c.Miles, c.InArea)
		}
		for _, p := range c.Parts {
			if p.Name == "school" && p.Points < 25 {
				t.Fatalf("school part %+v", p)
			}
			if p.Name == "stability" && !strings.Contains(p.Note, "not confirmed") {
				t.Fatalf("stability part %+v", p)
			}
		}
	}
}

func TestPolicyChangesRanking(t *testing.T) {
	pol := DefaultPolicy()
	r := baseReferral()
	r.Foster = care.SuitabilitySuitable
	r.Residential = care.SuitabilityPreferred
	r.Needs.Tier = care.TierComplex
	base, _ := mustIndex(t, pol).Search(r, Options{})
	heavy, err := ParsePolicy(strings.NewReader("distance_per_mile = 0\nout_of_area = 0\nrating_good = 50\n"), &pol)
	if err != nil {
		t.Fatal(err)
	}
	cheap, _ := mustIndex(t, heavy).Search(r, Options{})
	if base.Candidates[0].ProvisionID == cheap.Candidates[0].ProvisionID {
		t.Fatalf("a rating-heavy policy did not change the first choice (%s)", base.Candidates[0].ProvisionID)
	}
}

func TestPolicyParse(t *testing.T) {
	p := DefaultPolicy()
	if p.DistancePerMile != 1 || !p.ExcludeInadequate || p.BenchmarkFor(care.TypeResidential, care.TierComplex) != 700000 ||
		p.BenchmarkFor(care.TypeFoster, care.TierUnknown) != 65000 {
		t.Fatalf("defaults: %+v", p)
	}
	for _, bad := range []string{"nonsense = 1", "distance_per_mile = x", "distance_per_mile", "benchmark_foster_huge = 1",
		"max_miles = -1", "out_of_area = 1\nout_of_area = 2"} {
		if _, err := ParsePolicy(strings.NewReader(bad), &p); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("%q: err %v", bad, err)
		}
	}
}

func TestNewIndexErrors(t *testing.T) {
	provs, vacs := testSupply()
	tests := []struct {
		name string
		mod  func(p []care.Provision, v []care.Vacancy) ([]care.Provision, []care.Vacancy)
		want string
	}{
		{"ErrDuplicateVacancy", func(p []care.Provision, v []care.Vacancy) ([]care.Provision, []care.Vacancy) {
			return p, append(v, v[0])
		}, "vacancies[7].id"},
		{"ErrUnknownProvision", func(p []care.Provision, v []care.Vacancy) ([]care.Provision, []care.Vacancy) {
			return p, append(v, care.Vacancy{ID: "X", ProvisionID: "nope", Places: 1})
		}, "provision_id"},
		{"ErrDuplicateProvision", func(p []care.Provision, v []care.Vacancy) ([]care.Provision, []care.Vacancy) {
			return append(p, p[0]), v
		}, "provisions[8].id"},
		{"ErrNoPlaces", func(p []care.Provision, v []care.Vacancy) ([]care.Provision, []care.Vacancy) {
			return p, append(v, care.Vacancy{ID: "X", ProvisionID: "H1"})
		}, "places"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := append([]care.Provision(nil), provs...)
			v := append([]care.Vacancy(nil), vacs...)
			p, v = tt.mod(p, v)
			_, err := NewIndex(p, v, DefaultPolicy(), nil)
			if care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err %v, want EINVALID naming %s", err, tt.want)
			}
		})
	}
}

func TestSearchUnknownHome(t *testing.T) {
	ix := mustIndex(t, DefaultPolicy())
	r := baseReferral()
	r.HomePostcode = "ZZ99"
	if _, err := ix.Search(r, Options{}); care.ErrorCode(err) != care.EINVALID || !strings.Contains(err.Error(), "home_postcode") {
		t.Fatalf("err %v", err)
	}
}

func TestNearestExcluded(t *testing.T) {
	var res Result
	miles := []float64{5, -1, 2, 9, 2, 0.5, 7, -1, 3, 1, 4, 6, 8, 10, 11, 12, 13, 14, 15, 16}
	p := &care.Provision{ID: "x"}
	for _, m := range miles {
		res.Excluded = append(res.Excluded, Exclusion{Provision: p, Miles: m})
	}
	all := res.NearestExcluded(-1)
	if len(all) != len(miles) || all[0].Miles != 0.5 || all[len(all)-1].Miles != -1 || all[len(all)-3].Miles != 16 {
		t.Fatalf("order %v", all)
	}
	for n := 0; n <= len(miles); n++ {
		part := res.NearestExcluded(n)
		if len(part) != n {
			t.Fatalf("n=%d: %d", n, len(part))
		}
		for k := range part {
			if part[k].Miles != all[k].Miles {
				t.Fatalf("n=%d: partial selection differs at %d", n, k)
			}
		}
	}
}
