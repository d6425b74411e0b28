package match

import (
	"context"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"sufficiency/care"
)

// bruteModel enumerates every allocation of m (each child to an eligible
// place or none; groups all in one place or all out; capacities respected)
// and returns the best (placed, cost).
func bruteModel(m *Model) (int, float64) {
	inGroup := make([]int, m.Children)
	for i := range inGroup {
		inGroup[i] = -1
	}
	for g, mem := range m.Groups {
		for _, c := range mem {
			inGroup[c] = g
		}
	}
	used := make([]int, len(m.Capacity))
	choice := make([]int, m.Children)
	bestP, bestC := -1, 0.0
	var rec func(c int)
	rec = func(c int) {
		if c == m.Children {
			placed, cost := 0, 0.0
			for g, mem := range m.Groups {
				p := choice[mem[0]]
				for _, x := range mem {
					if choice[x] != p {
						return
					}
				}
				if p >= 0 && m.GroupFits != nil && !m.GroupFits(g, p) {
					return
				}
				if p >= 0 {
					cost -= m.GroupBonus * float64(len(mem))
				}
			}
			for i, p := range choice {
				if p < 0 {
					continue
				}
				placed++
				for _, a := range m.Arcs[i] {
					if a.Place == p {
						cost += a.Cost
					}
				}
			}
			if bestP < 0 || better(placed, cost, bestP, bestC) {
				bestP, bestC = placed, cost
			}
			return
		}
		choice[c] = -1
		rec(c + 1)
		for _, a := range m.Arcs[c] {
			if used[a.Place] < m.Capacity[a.Place] {
				used[a.Place]++
				choice[c] = a.Place
				rec(c + 1)
				used[a.Place]--
			}
		}
		choice[c] = -1
	}
	rec(0)
	return bestP, bestC
}

func randomModel(r *rand.Rand) *Model {
	n, np := 2+r.IntN(5), 1+r.IntN(4)
	m := &Model{Children: n, Capacity: make([]int, np), Arcs: make([][]Arc, n), GroupBonus: float64(r.IntN(2) * 30)}
	for p := range m.Capacity {
		m.Capacity[p] = 1 + r.IntN(3)
	}
	for c := 0; c < n; c++ {
		for p := 0; p < np; p++ {
			if r.Float64() < 0.7 {
				m.Arcs[c] = append(m.Arcs[c], Arc{Place: p, Cost: float64(r.IntN(50))})
			}
		}
	}
	// Up to two sibling groups among the first children.
	c := 0
	for g := 0; g < r.IntN(3); g++ {
		size := 2 + r.IntN(2)
		if c+size > n {
			break
		}
		var mem []int
		for k := 0; k < size; k++ {
			mem = append(mem, c)
			c++
		}
		m.Groups = append(m.Groups, mem)
	}
	return m
}

// checkSolution verifies the invariants: capacity never exceeded, only
// eligible pairs, groups never split.
func checkSolution(t *testing.T, m *Model, s Solution) {
	t.Helper()
	used := make([]int, len(m.Capacity))
	placed := 0
	for c, p := range s.PlaceOf {
		if p < 0 {
			continue
		}
		placed++
		used[p]++
		ok := false
		for _, a := range m.Arcs[c] {
			ok = ok || a.Place == p
		}
		if !ok {
			t.Fatalf("child %d placed in ineligible place %d", c, p)
		}
	}
	for p, u := range used {
		if u > m.Capacity[p] {
			t.Fatalf("place %d: %d children in %d places", p, u, m.Capacity[p])
		}
	}
	for _, mem := range m.Groups {
		for _, c := range mem {
			if s.PlaceOf[c] != s.PlaceOf[mem[0]] {
				t.Fatalf("group %v split: %v", mem, s.PlaceOf)
			}
		}
	}
	if placed != s.Placed {
		t.Fatalf("Placed %d, counted %d", s.Placed, placed)
	}
}

func TestModelAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for trial := 0; trial < 400; trial++ {
		m := randomModel(r)
		wantP, wantC := bruteModel(m)
		s := m.Solve()
		checkSolution(t, m, s)
		if !s.Optimal || s.Placed != wantP || math.Abs(s.Cost-wantC) > 1e-9 {
			t.Fatalf("trial %d: got %d/%v (optimal %v, %s), brute force %d/%v\n%+v", trial, s.Placed, s.Cost, s.Optimal, s.Method, wantP, wantC, m)
		}
		// The heuristic path (no enumeration) keeps the invariants and never
		// beats the bound or the optimum.
		m.ExactLimit = 1
		h := m.Solve()
		checkSolution(t, m, h)
		if better(h.Placed, h.Cost, wantP, wantC) || better(h.Placed, h.Cost, h.BoundPlaced, h.BoundCost) {
			t.Fatalf("trial %d: heuristic %d/%v beats optimum %d/%v or bound %d/%v", trial, h.Placed, h.Cost, wantP, wantC, h.BoundPlaced, h.BoundCost)
		}
		if better(wantP, wantC, h.BoundPlaced, h.BoundCost) {
			t.Fatalf("trial %d: bound %d/%v is not a bound on the optimum %d/%v", trial, h.BoundPlaced, h.BoundCost, wantP, wantC)
		}
		if h.Optimal && (h.Placed != wantP || math.Abs(h.Cost-wantC) > 1e-9) {
			t.Fatalf("trial %d: heuristic claims optimal at %d/%v, optimum %d/%v", trial, h.Placed, h.Cost, wantP, wantC)
		}
	}
}

func TestAllocateKeepsSiblingsAndExplains(t *testing.T) {
	ix := mustIndex(t, DefaultPolicy())
	a, b, c, d := baseReferral(), baseReferral(), baseReferral(), baseReferral()
	a.ID, b.ID, c.ID, d.ID = "A", "B", "C", "D"
	a.ChildID, b.ChildID, c.ChildID, d.ChildID = "A", "B", "C", "D"
	a.SiblingGroup, b.SiblingGroup = "G", "G"
	a.SiblingCount, b.SiblingCount = 1, 1
	d.DOB = care.Date(2000, 1, 1) // 26: no home takes an adult
	refs := []care.Referral{a, b, c, d}
	for _, obj := range []Objective{ObjectivePolicy, ObjectiveDistance} {
		al, err := Allocate(ix, refs, AllocateOptions{Objective: obj, KeepSiblings: true})
		if err != nil {
			t.Fatal(err)
		}
		where := map[string]string{}
		for _, as := range al.Assignments {
			where[as.ReferralID] = as.ProvisionID
		}
		if where["A"] == "" || where["A"] != where["B"] || al.SplitGroups != 0 {
			t.Fatalf("%s: siblings not together: %v", obj, where)
		}
		if al.Placed != 3 || len(al.Unplaced) != 1 || al.Unplaced[0].ReferralID != "D" ||
			!strings.Contains(al.Unplaced[0].Reason, "no eligible place") || !strings.Contains(al.Unplaced[0].Reason, "outside age range") {
			t.Fatalf("%s: placed %d, unplaced %+v", obj, al.Placed, al.Unplaced)
		}
		if !al.Optimal {
			t.Fatalf("%s: small instance not optimal: %s", obj, al.Gap)
		}
	}
}

func TestAllocateMinimalDistance(t *testing.T) {
	children := []MinimalChild{{"c1", "M14 5", ""}, {"c2", "M20", ""}, {"c3", "L1", "g"}, {"c4", "L1", "g"}}
	places := []MinimalPlace{{"p1", "M13 9", 1}, {"p2", "SK4", 1}, {"p3", "WN1", 2}}
	a, err := AllocateMinimal(children, places, true, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if a.Placed != 4 || a.SplitGroups != 0 || !a.Optimal {
		t.Fatalf("%+v", a)
	}
	sum := 0.0
	for _, as := range a.Assignments {
		sum += as.Miles
		if (as.ChildID == "c3" || as.ChildID == "c4") && as.PlaceID != "p3" {
			t.Fatalf("siblings must share p3: %+v", as)
		}
	}
	if math.Abs(sum-a.TotalMiles) > 1e-9 {
		t.Fatalf("total %v vs %v", a.TotalMiles, sum)
	}
	// A group of three cannot fit anywhere together.
	children = append(children, MinimalChild{"c5", "L1", "g"})
	a, _ = AllocateMinimal(children, places, true, nil, 0)
	for _, u := range a.Unplaced {
		if u.SiblingGroup == "g" && !strings.Contains(u.Reason, "larger than any eligible home") {
			t.Fatalf("reason %q", u.Reason)
		}
	}
	if a.Placed != 2 {
		t.Fatalf("placed %d, want 2", a.Placed)
	}
	// Without keep-siblings they are placed apart.
	a, _ = AllocateMinimal(children, places, false, nil, 0)
	if a.Placed != 4 || a.SplitGroups != 1 {
		t.Fatalf("placed %d split %d", a.Placed, a.SplitGroups)
	}
}

func TestReadMinimalErrors(t *testing.T) {
	if _, err := ReadMinimalPlaces(strings.NewReader("place_id,postcode,places\np1,M1,1\np1,M2,2\n")); err == nil ||
		!strings.Contains(err.Error(), "place_id \"p1\" repeats row 2") {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := ReadMinimalPlaces(strings.NewReader("place_id,postcode\np1,M1\n")); err == nil || !strings.Contains(err.Error(), "no places column") {
		t.Fatalf("header: %v", err)
	}
	if _, err := ReadMinimalPlaces(strings.NewReader("place_id,postcode,places\np1,M1,0\n")); err == nil || !strings.Contains(err.Error(), "row 2") {
		t.Fatalf("zero: %v", err)
	}
	if _, err := ReadMinimalChildren(strings.NewReader("child_id,home_postcode\nc1,\n")); err == nil {
		t.Fatal("empty postcode accepted")
	}
}

func TestMarketJointBeatsFirstCome(t *testing.T) {
	// Two places: P near both children, Q near only the first. The first
	// child to search takes P (nearest); the second then finds nothing
	// eligible (Q is foster for under-11s only). Joint allocation gives Q to
	// the first child and P to the second.
	provs := []care.Provision{
		{ID: "P", Kind: care.KindChildrensHome, Council: "E08000003", Postcode: "M14 5", Places: 1, Rating: care.RatingGood,
			MinAge: 5, MaxAge: 17, WeeklyPrice: 500000},
		{ID: "Q", Kind: care.KindFostering, Council: "E08000003", Postcode: "M20", Places: 1, Rating: care.RatingGood,
			MinAge: 0, MaxAge: 10, WeeklyPrice: 60000},
	}
	vacs := []care.Vacancy{{ID: "VP", ProvisionID: "P", Places: 1}, {ID: "VQ", ProvisionID: "Q", Places: 1}}
	ix, err := NewIndex(provs, vacs, DefaultPolicy(), nil)
	if err != nil {
		t.Fatal(err)
	}
	young, old := baseReferral(), baseReferral()
	young.ID, young.ChildID, young.DOB = "Y", "Y", care.Date(2018, 1, 1)
	young.Foster, young.Residential = care.SuitabilitySuitable, care.SuitabilityPreferred
	old.ID, old.ChildID = "Z", "Z"
	old.Received = day0.AddDate(0, 0, 1)
	young.Received = day0.AddDate(0, 0, 1)
	young.ID = "A" // searches first on the day
	out, err := SimulateMarket(context.Background(), ix, []care.Referral{young, old}, MarketOptions{KeepSiblings: true})
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]MarketOutcome{}
	for _, o := range out {
		by[o.Mode] = o
	}
	if by[ModeFirstCome].Placed != 1 || by[ModeDaily].Placed != 2 || by[ModeWeekly].Placed != 2 {
		t.Fatalf("placed: first come %d, daily %d, weekly %d", by[ModeFirstCome].Placed, by[ModeDaily].Placed, by[ModeWeekly].Placed)
	}
	if by[ModeWeekly].MeanWaitDays <= by[ModeDaily].MeanWaitDays {
		t.Fatalf("weekly batching should add waiting: daily %v weekly %v", by[ModeDaily].MeanWaitDays, by[ModeWeekly].MeanWaitDays)
	}
	if by[ModeDaily].ShareInArea != 1 || by[ModeDaily].WeeklyCost != 560000 {
		t.Fatalf("daily outcome %+v", by[ModeDaily])
	}
}

// TestAllocateInvariantsRegion checks, on the fixture region, that an
// allocation never breaks a hard constraint (every assignment is a
// candidate of its referral's own search), never exceeds a vacancy's places,
// and never splits a sibling group when asked to keep them together.
func TestAllocateInvariantsRegion(t *testing.T) {
	ix, refs := loadRegion(t)
	at := care.Date(2026, 4, 6)
	for _, keep := range []bool{true, false} {
		for _, obj := range []Objective{ObjectivePolicy, ObjectiveDistance} {
			a, err := Allocate(ix, refs, AllocateOptions{Objective: obj, KeepSiblings: keep, At: at})
			if err != nil {
				t.Fatal(err)
			}
			byID := map[string]care.Referral{}
			for _, r := range refs {
				byID[r.ID] = r
			}
			used := map[string]int{}
			for _, as := range a.Assignments {
				used[as.PlaceID]++
				res, err := ix.Search(byID[as.ReferralID], Options{At: at, GroupSize: 1})
				if err != nil {
					t.Fatal(err)
				}
				ok := false
				for _, c := range res.Candidates {
					ok = ok || c.ProvisionID == as.ProvisionID
				}
				if !ok {
					t.Fatalf("%s placed in %s, which its search excludes", as.ReferralID, as.ProvisionID)
				}
			}
			for _, v := range ix.Vacancies() {
				if used[v.ID] > v.Places {
					t.Fatalf("vacancy %s: %d children in %d places", v.ID, used[v.ID], v.Places)
				}
			}
			if keep && a.SplitGroups != 0 {
				t.Fatalf("keep-siblings split %d groups", a.SplitGroups)
			}
			if a.Placed+len(a.Unplaced) != len(refs) || a.Placed > a.BoundPlaced {
				t.Fatalf("placed %d unplaced %d bound %d", a.Placed, len(a.Unplaced), a.BoundPlaced)
			}
			if !keep && !a.Optimal {
				t.Fatal("without sibling groups the assignment is exact")
			}
		}
	}
}

// TestMarketCapacity checks that no simulation mode gives a vacancy more
// children than it has places, and that nobody is placed before arriving.
func TestMarketCapacity(t *testing.T) {
	ix, refs := loadRegion(t)
	refs = refs[:60]
	out, err := SimulateMarket(context.Background(), ix, refs, MarketOptions{KeepSiblings: true})
	if err != nil {
		t.Fatal(err)
	}
	places := map[string]int{}
	for _, v := range ix.Vacancies() {
		places[v.ID] = v.Places
	}
	for _, o := range out {
		used := map[string]int{}
		for _, p := range o.Placements {
			used[p.VacancyID]++
			if p.WaitDays < 0 {
				t.Fatalf("%s: %s placed before arriving", o.Mode, p.ReferralID)
			}
		}
		for v, n := range used {
			if n > places[v] {
				t.Fatalf("%s: vacancy %s has %d children in %d places", o.Mode, v, n, places[v])
			}
		}
	}
}

func TestReferralsFromEpisodes(t *testing.T) {
	kids := []care.Child{
		{Council: "E1", ID: "a", Sex: care.Female, DOB: care.Date(2010, 1, 1)},
		{Council: "E1", ID: "b", Sex: care.Male, DOB: care.Date(2020, 1, 1)},
		{Council: "E2", ID: "a", Sex: care.Male, DOB: care.Date(2008, 6, 1), Needs: care.NeedsProfile{SoloRecommended: true}},
	}
	d := care.Date(2025, 5, 1)
	eps := []care.Episode{
		{Council: "E1", ChildID: "a", Start: d, ReasonNew: "S", Placement: "K2", HomePostcode: "M14 5"},
		{Council: "E1", ChildID: "a", Start: d.AddDate(0, 1, 0), ReasonNew: "L", Placement: "K2", HomePostcode: "M14 5"}, // legal status only
		{Council: "E1", ChildID: "b", Start: d, ReasonNew: "P", Placement: "U4", HomePostcode: "M20"},
		{Council: "E1", ChildID: "b", Start: d, ReasonNew: "P", Placement: "U1", HomePostcode: "M20"},                 // relatives
		{Council: "E2", ChildID: "a", Start: d.AddDate(0, 0, 3), ReasonNew: "P", Placement: "K3", HomePostcode: "L1"}, // supported
		{Council: "E2", ChildID: "a", Start: d.AddDate(1, 0, 0), ReasonNew: "P", Placement: "K3", HomePostcode: "L1"}, // after the period
		{Council: "E1", ChildID: "zz", Start: d, ReasonNew: "S", Placement: "U4", HomePostcode: "M20"},                // no such child
		{Council: "E1", ChildID: "b", Start: d.AddDate(0, 0, 1), ReasonNew: "P", Placement: "U5", HomePostcode: ""},   // no home postcode
		{Council: "E1", ChildID: "s1", Start: d.AddDate(0, 0, 9), ReasonNew: "S", Placement: "U4", HomePostcode: "M20 2"},
		{Council: "E1", ChildID: "s2", Start: d.AddDate(0, 0, 9), ReasonNew: "S", Placement: "U4", HomePostcode: "M20 2"},
	}
	kids = append(kids, care.Child{Council: "E1", ID: "s1", DOB: care.Date(2015, 1, 1)}, care.Child{Council: "E1", ID: "s2", DOB: care.Date(2017, 1, 1)})
	refs := ReferralsFromEpisodes(kids, eps, d, d.AddDate(0, 6, 0))
	if len(refs) != 5 || refs[3].SiblingGroup == "" || refs[3].SiblingGroup != refs[4].SiblingGroup || refs[3].SiblingCount != 1 ||
		refs[3].Urgency != refs[4].Urgency || refs[0].SiblingGroup != "" {
		t.Fatalf("%d referrals: %+v", len(refs), refs)
	}
	refs = refs[:3]
	if len(refs) != 3 {
		t.Fatalf("%d referrals: %+v", len(refs), refs)
	}
	if refs[0].ID != "E1/a/2025-05-01" || refs[0].Residential != care.SuitabilityPreferred || refs[0].Foster != care.SuitabilitySuitable {
		t.Fatalf("first %+v", refs[0])
	}
	if refs[1].Foster != care.SuitabilityPreferred || refs[1].Residential != care.SuitabilityUnsuitable {
		t.Fatalf("young child %+v", refs[1])
	}
	if refs[2].Supported != care.SuitabilityPreferred || refs[2].Companions != care.CompanionsSolo || refs[2].Council != "E2" {
		t.Fatalf("supported %+v", refs[2])
	}
	today := 0
	for k := 0; k < 1000; k++ {
		if urgencyOf(strconv.Itoa(k)) == care.UrgencyToday {
			today++
		}
	}
	if today < 150 || today > 250 {
		t.Fatalf("%d of 1000 urgent", today)
	}
}
