package match

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"sufficiency/care"
)

// The compact records (compact.go) decide as check does: over a varied
// supply (sexes, animals, sibling capacities, secure and inadequate homes,
// residents of every age and risk, vacancies opening later, prices) and
// random referrals (needs in any case, communication needs, home
// adaptation, liberty orders, companions, pets, places to avoid, budgets,
// sibling groups), with and without free places given, a search with the
// compact records and one reading the provisions give the same
// candidates, order, scores, exclusions with every reason, counts, and the
// same answer to HasEligible.
func TestCompactSameAsFullCheck(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	sectors := sectorsByCouncil()
	councils := []string{"E06000001", "E06000002", "E08000009", "E08000035", "E09000001", "E06000047"}
	start := care.Date(2026, 3, 2)
	provs, vacs := synthSupply(r, sectors, councils, 300, 80, 600, 0.6, start, 40)
	for k := range provs {
		p := &provs[k]
		switch r.IntN(12) {
		case 0:
			p.Kind = care.KindSecureHome
		case 1:
			p.Rating = care.RatingInadequate
		}
		if r.Float64() < 0.2 {
			p.Sexes = []care.Sex{pick(r, []care.Sex{care.Male, care.Female})}
		}
		if r.Float64() < 0.1 {
			p.Specialisms = append(p.Specialisms, pick(r, []string{"PETS", "animals", "BSL", "esol", "Disability"}))
		}
		if p.Kind == care.KindFostering && r.Float64() < 0.3 {
			p.SiblingCapacity = r.IntN(3)
		}
		if p.Kind != care.KindFostering && r.Float64() < 0.3 {
			p.Residents = append(p.Residents, care.Resident{Age: 5 + r.IntN(13), Risks: []care.Risk{pick(r, care.Risks), pick(r, care.Risks)}})
		}
		if r.Float64() < 0.1 {
			p.WeeklyPrice = 0
		}
	}
	for k := range vacs {
		if r.Float64() < 0.3 {
			vacs[k].WeeklyPrice = care.FromPounds(300 + float64(r.IntN(8000)))
		}
		if r.Float64() < 0.05 {
			vacs[k].ValidFrom = time.Time{}
		}
	}
	ix, err := NewIndex(provs, vacs, DefaultPolicy(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if ix.compact == nil {
		t.Fatal("no compact records built")
	}
	full := *ix
	full.compact, full.eligible = nil, &eligibleMemo{}
	refs := synthReferrals(r, sectors, councils, 300, start, 40)
	for n := range refs {
		ref := &refs[n]
		switch r.IntN(6) {
		case 0:
			ref.NeedCodes = append(ref.NeedCodes, pick(r, []string{"EBD", "ld", "PD", "SI", "PETS"}))
		case 1:
			ref.CommunicationNeeds = []string{pick(r, []string{"BSL", "esol", "Makaton"})}
		case 2:
			ref.HomeAdaptation = true
		case 3:
			ref.Needs.DeprivationOfLiberty = true
		}
		ref.Companions = pick(r, []care.Companions{care.CompanionsNoPreference, care.CompanionsOlderOnly, care.CompanionsYoungerOnly, care.CompanionsSolo})
		ref.Pets = pick(r, []care.Pets{care.PetsNotKnown, care.PetsNo, care.PetsMust})
		ref.Needs.SoloRecommended = r.Float64() < 0.05
		if r.Float64() < 0.3 {
			ref.Needs.Risks = append(ref.Needs.Risks, pick(r, care.Risks), pick(r, care.Risks))
		}
		if r.Float64() < 0.2 {
			c := pick(r, councils)
			ref.Avoid = []care.AvoidLocation{{Postcode: pick(r, sectors[c]), Miles: float64(r.IntN(15))}}
		}
		if r.Float64() < 0.3 {
			ref.Budget = care.FromPounds(500 + float64(r.IntN(6000)))
		}
		if r.Float64() < 0.1 {
			ref.Sex = care.Unknown
		}
		if r.Float64() < 0.2 {
			ref.Supported = care.SuitabilityUnsuitable
			ref.Foster = care.SuitabilityUnsuitable
		}
	}
	free := make([]int, len(vacs))
	for n, ref := range refs {
		opts := []Options{{}, {Top: 10}, {At: start.AddDate(0, 0, r.IntN(50)), Top: 5}, {Type: care.TypeFoster, Within: 30}}
		for k := range free {
			free[k] = r.IntN(3)
		}
		opts = append(opts, Options{Free: free, GroupSize: 1 + r.IntN(3)})
		for i, opt := range opts {
			a, err1 := ix.Search(ref, opt)
			b, err2 := full.Search(ref, opt)
			if (err1 == nil) != (err2 == nil) {
				t.Fatalf("referral %d, options %d: errors %v and %v", n, i, err1, err2)
			}
			if !reflect.DeepEqual(a.Candidates, b.Candidates) || !reflect.DeepEqual(a.Excluded, b.Excluded) ||
				a.Eligible != b.Eligible || a.NoVacancy != b.NoVacancy || !reflect.DeepEqual(a.exPos, b.exPos) || !reflect.DeepEqual(a.noVac, b.noVac) {
				t.Fatalf("referral %d (%+v), options %d: compact and full searches differ:\ncompact: %d eligible, %d excluded\n   full: %d eligible, %d excluded",
					n, ref, i, a.Eligible, len(a.Excluded), b.Eligible, len(b.Excluded))
			}
		}
		e1, err1 := ix.HasEligible(ref)
		e2, err2 := full.HasEligible(ref)
		if e1 != e2 || (err1 == nil) != (err2 == nil) {
			t.Fatalf("referral %d: HasEligible %v/%v and %v/%v", n, e1, err1, e2, err2)
		}
	}
}
