package match

import (
	"math"
	"strings"
	"testing"

	"sufficiency/care"
)

// TestAllocateObjectivesDiffer pins the two allocation objectives as
// docs/METHOD.md and Objective define them, on a small instance whose
// optimum differs between them:
//
//   - policy: place as many children as possible, then minimise the total
//     ranking score (the policy's penalty points);
//   - distance: place as many as possible, then minimise the total
//     straight-line miles from home and nothing else.
//
// The optimum of each is found here by brute force over every eligible
// candidate Search returns (each provision's free places pooled), and the
// allocation must reach it; the policy allocation must not have more total
// miles than needed for its score, and vice versa.
func TestAllocateObjectivesDiffer(t *testing.T) {
	ix := mustIndex(t, DefaultPolicy())
	a, b := baseReferral(), baseReferral()
	a.ID, a.ChildID = "A", "A"
	b.ID, b.ChildID = "B", "B"
	b.DOB = care.Date(2009, 1, 1) // 17: supported accommodation too
	b.HomePostcode = "WN1"
	refs := []care.Referral{a, b}

	// Brute force: each child to one of its candidates (or none), capacity
	// the free places of each provision.
	capacity := map[string]int{}
	for _, v := range ix.vacs {
		if !v.ValidFrom.After(day0) {
			capacity[v.ProvisionID] += v.Places
		}
	}
	var cands [][]Candidate
	for _, r := range refs {
		res, err := ix.Search(r, Options{GroupSize: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Candidates) < 2 {
			t.Fatalf("referral %s: %d candidates; the instance needs a choice", r.ID, len(res.Candidates))
		}
		cands = append(cands, res.Candidates)
	}
	type best struct {
		placed       int
		score, miles float64
	}
	bestBy := func(distance bool) best {
		var out best
		out.placed = -1
		used := map[string]int{}
		var rec func(k int, cur best)
		rec = func(k int, cur best) {
			if k == len(refs) {
				key, bestKey := cur.score, out.score
				if distance {
					key, bestKey = cur.miles, out.miles
				}
				if cur.placed > out.placed || (cur.placed == out.placed && key < bestKey-1e-9) {
					out = cur
				}
				return
			}
			rec(k+1, cur)
			for _, c := range cands[k] {
				if used[c.ProvisionID] >= capacity[c.ProvisionID] {
					continue
				}
				used[c.ProvisionID]++
				rec(k+1, best{cur.placed + 1, cur.score + c.Score, cur.miles + c.Miles})
				used[c.ProvisionID]--
			}
		}
		rec(0, best{})
		return out
	}
	wantPolicy, wantDistance := bestBy(false), bestBy(true)
	if math.Abs(wantPolicy.miles-wantDistance.miles) < 1e-6 || math.Abs(wantPolicy.score-wantDistance.score) < 1e-6 {
		t.Fatalf("instance does not separate the objectives: policy %+v, distance %+v", wantPolicy, wantDistance)
	}

	got := map[Objective]Allocation{}
	for _, obj := range []Objective{ObjectivePolicy, ObjectiveDistance} {
		al, err := Allocate(ix, refs, AllocateOptions{Objective: obj})
		if err != nil {
			t.Fatal(err)
		}
		if !al.Optimal || al.Objective != obj {
			t.Fatalf("%s: optimal %v, objective %s", obj, al.Optimal, al.Objective)
		}
		score, miles, cost := 0.0, 0.0, 0.0
		for _, as := range al.Assignments {
			score += as.Score
			miles += as.Miles
			cost += as.Cost
		}
		if math.Abs(miles-al.TotalMiles) > 1e-9 {
			t.Errorf("%s: TotalMiles %v, assignments add to %v", obj, al.TotalMiles, miles)
		}
		if math.Abs(cost-al.TotalCost) > 1e-6 {
			t.Errorf("%s: TotalCost %v, assignments add to %v", obj, al.TotalCost, cost)
		}
		got[obj] = al
		switch obj {
		case ObjectivePolicy:
			if al.Placed != wantPolicy.placed || math.Abs(score-wantPolicy.score) > 1e-6 {
				t.Errorf("policy: placed %d with score %.3f, best is %d with %.3f", al.Placed, score, wantPolicy.placed, wantPolicy.score)
			}
			if math.Abs(al.TotalCost-score) > 1e-6 {
				t.Errorf("policy: total cost %v is not the total score %v", al.TotalCost, score)
			}
		case ObjectiveDistance:
			if al.Placed != wantDistance.placed || math.Abs(miles-wantDistance.miles) > 1e-6 {
				t.Errorf("distance: placed %d with %.3f miles, best is %d with %.3f", al.Placed, miles, wantDistance.placed, wantDistance.miles)
			}
			if math.Abs(al.TotalCost-miles) > 1e-6 {
				t.Errorf("distance: total cost %v is not the total miles %v", al.TotalCost, miles)
			}
		}
	}
	if got[ObjectiveDistance].TotalMiles >= got[ObjectivePolicy].TotalMiles {
		t.Errorf("the distance objective (%.2f miles) must travel less than the policy one (%.2f) here",
			got[ObjectiveDistance].TotalMiles, got[ObjectivePolicy].TotalMiles)
	}
}

// TestAllocateSiblingBonusOnlyForPolicy: the policy's siblings_together
// points are part of the policy objective only; the distance objective is
// miles and nothing else (METHOD: "so results can be checked with any
// solver").
func TestAllocateSiblingBonusOnlyForPolicy(t *testing.T) {
	ix := mustIndex(t, DefaultPolicy())
	a, b := baseReferral(), baseReferral()
	a.ID, a.ChildID, b.ID, b.ChildID = "A", "A", "B", "B"
	a.SiblingGroup, b.SiblingGroup = "G", "G"
	a.SiblingCount, b.SiblingCount = 1, 1
	refs := []care.Referral{a, b}
	for _, obj := range []Objective{ObjectivePolicy, ObjectiveDistance} {
		al, err := Allocate(ix, refs, AllocateOptions{Objective: obj, KeepSiblings: true})
		if err != nil {
			t.Fatal(err)
		}
		if al.Placed != 2 || al.SplitGroups != 0 {
			t.Fatalf("%s: placed %d, split %d", obj, al.Placed, al.SplitGroups)
		}
		bonus := strings.Contains(al.Gap, "points off per child placed with their siblings")
		if bonus != (obj == ObjectivePolicy) {
			t.Errorf("%s: gap %q", obj, al.Gap)
		}
		if obj == ObjectiveDistance && math.Abs(al.TotalCost-al.TotalMiles) > 1e-9 {
			t.Errorf("distance: total cost %v, total miles %v", al.TotalCost, al.TotalMiles)
		}
	}
}
