package match

import (
	"cmp"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"sufficiency/care"
	"sufficiency/geo"
)

// rankPolicies are the default policy and one where every part can be a
// bonus (negative points), so the bound on the parts besides distance is
// far below zero.
func rankPolicies(t *testing.T) map[string]Policy {
	bonus, err := ParsePolicy(strings.NewReader(`out_of_area = -4
rating_outstanding = -9
rating_good = -1
not_preferred_type = -3
cost_per_10pct_under = -5
new_home = -2
stale_vacancy = -1
school_move = -6
distance_per_mile = 0.7
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]Policy{"default": DefaultPolicy(), "bonuses": bonus}
}

// rankReferrals are the fixture region's referrals and some drawn at random
// in the same region, a share of them asking to keep their school.
func rankReferrals(t *testing.T) (*Index, []care.Referral) {
	ix, refs := loadRegion(t)
	sectors := sectorsByCouncil()
	var councils []string
	for _, p := range ix.provs {
		if _, ok := sectors[p.p.Council]; ok {
			councils = append(councils, p.p.Council)
		}
	}
	r := rand.New(rand.NewPCG(5, 8))
	more := synthReferrals(r, sectors, councils[:min(len(councils), 40)], 60, day0, 60)
	for k := range more {
		more[k].ID = "X" + more[k].ID
		if k%3 == 0 {
			more[k].KeepSchool, more[k].SchoolPostcode = true, pick(r, sectors[more[k].Council])
		}
	}
	return ix, append(refs, more...)
}

// A search with Top scores only the provisions that can reach the top (see
// rankLazily); its candidates, their order, scores and parts must be
// exactly those of a search scoring every eligible provision, cut after
// the filters and Top — for any Top, filter and policy.
func TestLazyRankingSameAsScoringAll(t *testing.T) {
	ix0, refs := rankReferrals(t)
	for name, pol := range rankPolicies(t) {
		ix := &Index{}
		*ix = *ix0
		ix.policy = pol
		for _, ref := range refs {
			all, err := ix.Search(ref, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, opt := range []Options{{Top: 1}, {Top: 5}, {Top: 30}, {Top: 30, Type: care.TypeFoster},
				{Top: 10, Type: care.TypeResidential, Within: 40}, {Top: 3, Within: 5}, {Top: len(all.Candidates) + 1}} {
				got, err := ix.Search(ref, opt)
				if err != nil {
					t.Fatal(err)
				}
				var want []Candidate
				for _, c := range all.Candidates {
					if opt.Type != "" && c.Type != opt.Type || opt.Within > 0 && c.Miles > opt.Within {
						continue
					}
					if len(want) < opt.Top {
						want = append(want, c)
					}
				}
				if !reflect.DeepEqual(got.Candidates, want) && !(len(got.Candidates) == 0 && len(want) == 0) {
					t.Fatalf("%s policy, referral %s, %+v:\n got %v\nwant %v", name, ref.ID, opt, ids(got.Candidates), ids(want))
				}
				if got.Eligible != all.Eligible || got.NoVacancy != all.NoVacancy || !reflect.DeepEqual(got.Excluded, all.Excluded) {
					t.Fatalf("%s policy, referral %s, %+v: counts or exclusions changed: eligible %d vs %d", name, ref.ID, opt, got.Eligible, all.Eligible)
				}
			}
		}
	}
}

func ids(cs []Candidate) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ProvisionID)
	}
	return out
}

// The bound of the parts besides distance never exceeds what any eligible
// provision's parts add, under either policy; with a negative weight that
// leaves a part unbounded there is no bound (and no lazy ranking).
func TestScoreBound(t *testing.T) {
	ix0, refs := rankReferrals(t)
	for name, pol := range rankPolicies(t) {
		ix := &Index{}
		*ix = *ix0
		ix.policy = pol
		for _, ref := range refs {
			res, err := ix.Search(ref, Options{})
			if err != nil {
				t.Fatal(err)
			}
			b := pol.scoreBound(ref, ref.SchoolPostcode != "")
			for _, c := range res.Candidates {
				rest := c.Score - c.Miles*pol.DistancePerMile
				if rest < b-1e-9 {
					t.Fatalf("%s policy, referral %s, %s: parts besides distance add %v, below the bound %v", name, ref.ID, c.ProvisionID, rest, b)
				}
			}
		}
	}
	for _, over := range []string{"cost_per_10pct_over = -1", "school_per_mile = -0.1"} {
		pol, err := ParsePolicy(strings.NewReader(over), nil)
		if err != nil {
			t.Fatal(err)
		}
		ref := baseReferral()
		ref.KeepSchool = true
		if b := pol.scoreBound(ref, true); b > -1e300 {
			t.Errorf("%s: bound %v, want none (−Inf)", over, b)
		}
	}
	def := DefaultPolicy()
	if b := def.scoreBound(baseReferral(), false); b != -3 {
		t.Errorf("default policy: bound %v, want −3 (three steps under the benchmark at −1)", b)
	}
}

// NearestExcluded (which meets the provisions without a vacancy only when
// asked, and keeps just the nearest few) gives, for any n, the first n of
// every excluded provision sorted by distance (single precision for those
// without a free place, unlocated last) and then supply position; with
// Options.Free some provisions with vacancies have no free place.
func TestNearestExcludedAgainstSortingAll(t *testing.T) {
	ix, refs := rankReferrals(t)
	free := make([]int, len(ix.vacs))
	for k, v := range ix.vacs {
		free[k] = v.Places * (k % 3) / 2 // a third of the vacancies full
	}
	pos := map[string]int{}
	for k, p := range ix.provs {
		pos[p.p.ID] = k
	}
	for _, opt := range []Options{{}, {Free: free}} {
		for _, ref := range refs[:40] {
			res, err := ix.Search(ref, opt)
			if err != nil {
				t.Fatal(err)
			}
			home, _ := ix.locate(ref.HomePostcode)
			want := slices.Clone(res.Excluded)
			for k := range ix.provs {
				pv := &ix.provs[k]
				if hasFree(pv, opt.Free, ix.vacs) {
					continue
				}
				m := -1.0
				if pv.located {
					m = float64(float32(geo.Miles(home, pv.pt)))
				}
				want = append(want, Exclusion{Provision: pv.p, Miles: m, Reasons: noVacancy})
			}
			key := func(e Exclusion) float64 {
				if e.Miles < 0 {
					return math.Inf(1)
				}
				return e.Miles
			}
			slices.SortStableFunc(want, func(a, b Exclusion) int {
				if c := cmp.Compare(key(a), key(b)); c != 0 {
					return c
				}
				return pos[a.Provision.ID] - pos[b.Provision.ID]
			})
			if len(want) != res.ExcludedCount() {
				t.Fatalf("referral %s: %d excluded, counted %d", ref.ID, len(want), res.ExcludedCount())
			}
			for _, n := range []int{0, 1, 30, len(want) / 7, len(want) / 3, -1} {
				got := res.NearestExcluded(n)
				w := want
				if n >= 0 {
					w = want[:n]
				}
				if !reflect.DeepEqual(got, w) && !(len(got) == 0 && len(w) == 0) {
					t.Fatalf("referral %s, free %v, n %d: nearest excluded differ", ref.ID, opt.Free != nil, n)
				}
			}
		}
	}
}

// An allocation's searches keep only scores (scoresOnly): the eligible
// provisions in the order of a full search's candidates, with the same
// scores, distances and vacancies; and the candidates of the assigned
// children, built afterwards (explained), are those a full search gives
// the same home, parts and all.
func TestScoresOnlyAndExplained(t *testing.T) {
	ix, refs := rankReferrals(t)
	at := day0.AddDate(0, 0, 30)
	for _, ref := range refs {
		for _, o := range []Options{{}, {At: at}} {
			full, err := ix.Search(ref, o)
			if err != nil {
				t.Fatal(err)
			}
			o.scoresOnly = true
			light, err := ix.Search(ref, o)
			if err != nil {
				t.Fatal(err)
			}
			if len(light.scored) != len(full.Candidates) || len(light.Candidates) != 0 {
				t.Fatalf("referral %s: %d scored, %d candidates in full", ref.ID, len(light.scored), len(full.Candidates))
			}
			for n, l := range light.scored {
				want := full.Candidates[n]
				if ix.provs[l.k].p.ID != want.ProvisionID || l.score != want.Score || l.miles != want.Miles || int(l.vac) != want.Vacancy || int(l.free) != want.FreePlaces {
					t.Fatalf("referral %s, rank %d: %s %v, want %s %v", ref.ID, n, ix.provs[l.k].p.ID, l.score, want.ProvisionID, want.Score)
				}
				if n < 5 {
					e, err := ix.explained(ref, l, o.At)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(e, want) {
						t.Fatalf("referral %s, rank %d: explained %+v, want %+v", ref.ID, n, e, want)
					}
				}
			}
		}
	}
	a, err := Allocate(ix, refs, AllocateOptions{Objective: ObjectivePolicy, KeepSiblings: true, At: at})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]care.Referral{}
	for _, r := range refs {
		byID[r.ID] = r
	}
	for _, as := range a.Assignments {
		res, err := ix.Search(byID[as.ReferralID], Options{At: at, GroupSize: 1})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, c := range res.Candidates {
			if c.ProvisionID == as.ProvisionID {
				found = true
				if !reflect.DeepEqual(c.Parts, as.Parts) || c.Score != as.Score || c.Miles != as.Miles {
					t.Fatalf("referral %s at %s: parts %+v score %v, the search gives %+v %v", as.ReferralID, as.ProvisionID, as.Parts, as.Score, c.Parts, c.Score)
				}
			}
		}
		if !found {
			t.Fatalf("referral %s assigned to %s, not among its search's candidates", as.ReferralID, as.ProvisionID)
		}
	}
	if a.Placed == 0 {
		t.Fatal("nothing placed: the comparison tests nothing")
	}
}
