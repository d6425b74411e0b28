package match

import (
	"math"
	"sort"

	"sufficiency/match/assign"
)

// Model is the allocation problem in plain numbers: children, places with
// capacities, the eligible (child, place) pairs with their costs, and sibling
// groups that must share one place. It is what Allocate builds from
// referrals and supply, and what the minimal CSV form gives directly.
type Model struct {
	Children int
	Capacity []int   // places each place can take
	Arcs     [][]Arc // eligible places of each child, with costs
	// Groups lists sibling groups to keep together (indices of children, two
	// or more each). A child is in at most one group.
	Groups [][]int
	// GroupFits, if set, says whether group g may take place p beyond
	// capacity and every member being eligible (e.g. a fostering household's
	// sibling capacity). nil means always.
	GroupFits func(g, p int) bool
	// ExactLimit is the largest number of combinations of group placements
	// to enumerate for a proven optimum; 0 means 4096.
	ExactLimit int
	// GroupBonus is subtracted from the cost for every child placed together
	// with their sibling group, so that, at equal numbers placed, keeping a
	// group together is worth that much against the other costs (the policy's
	// siblings_together weight). 0 for a pure objective such as distance.
	GroupBonus float64
}

// Arc is an eligible place of a child with its cost under the objective.
type Arc struct {
	Place int
	Cost  float64
}

// Solution is an allocation of the Model.
type Solution struct {
	PlaceOf []int   // place of each child, −1 when unplaced
	Placed  int     // children placed
	Cost    float64 // the objective: total cost of the placed children less GroupBonus per child placed with their group
	ArcCost float64 // total cost of the placed children (without the bonus)
	// Optimal is true when the solution is proven optimal: maximum children
	// placed, then least cost, with groups kept together.
	Optimal bool
	// Method says how it was found: "assignment (exact)", "enumeration of
	// sibling-group placements (exact)" or "fix-and-resolve with local search
	// (heuristic)".
	Method string
	// BoundPlaced and BoundCost are the relaxation's bound: no allocation
	// keeping groups together places more than BoundPlaced children, and
	// none placing BoundPlaced children costs less than BoundCost.
	BoundPlaced int
	BoundCost   float64
}

// better reports whether (placed a, cost ca) beats (placed b, cost cb):
// more children first, then less cost.
func better(a int, ca float64, b int, cb float64) bool {
	if a != b {
		return a > b
	}
	return ca < cb-1e-9*math.Max(1, math.Abs(cb))
}

// Solve finds an allocation of maximum cardinality and, among those, least
// total cost, keeping each group in one place.
//
// Without groups the problem is a rectangular assignment (each place's
// capacity expanded into that many slots) solved exactly by assign.Sparse.
// With groups:
//
//  1. Bound: the same assignment where a group's members may only use places
//     that could take the whole group, but may split across them. Every
//     allocation that keeps groups together is feasible here, so its result
//     bounds the true optimum (at least as many children, and no lower cost
//     at that number).
//  2. If the combinations of placements of the groups (each group: one of
//     its feasible places, or none) number at most ExactLimit, each is tried
//     with the single children assigned exactly around it: the best is
//     optimal.
//  3. Otherwise fix-and-resolve: groups, largest first, are fixed to the
//     place the bound solution used most for them (or their cheapest feasible
//     place with room), single children are assigned exactly around them,
//     then a local search moves one group at a time to another place or
//     out, keeping any improvement. The gap to the bound is reported.
func (m *Model) Solve() Solution {
	inGroup := make([]int, m.Children)
	for i := range inGroup {
		inGroup[i] = -1
	}
	for g, members := range m.Groups {
		for _, c := range members {
			inGroup[c] = g
		}
	}
	var singles []int
	for c := 0; c < m.Children; c++ {
		if inGroup[c] < 0 {
			singles = append(singles, c)
		}
	}
	if len(m.Groups) == 0 {
		placeOf, placed, cost := m.assignChildren(singles, m.Capacity, nil, 0)
		return Solution{PlaceOf: placeOf, Placed: placed, Cost: cost, ArcCost: cost, Optimal: true,
			Method: "assignment (exact)", BoundPlaced: placed, BoundCost: cost}
	}
	// Feasible places and costs of each group.
	type option struct {
		place int
		cost  float64
	}
	opts := make([][]option, len(m.Groups))
	for g, members := range m.Groups {
		count := map[int]int{}
		sum := map[int]float64{}
		for _, c := range members {
			for _, a := range m.Arcs[c] {
				count[a.Place]++
				sum[a.Place] += a.Cost
			}
		}
		for p, n := range count {
			if n == len(members) && m.Capacity[p] >= len(members) && (m.GroupFits == nil || m.GroupFits(g, p)) {
				opts[g] = append(opts[g], option{p, sum[p] - m.GroupBonus*float64(len(members))})
			}
		}
		sort.Slice(opts[g], func(a, b int) bool {
			if opts[g][a].cost != opts[g][b].cost {
				return opts[g][a].cost < opts[g][b].cost
			}
			return opts[g][a].place < opts[g][b].place
		})
	}
	groupOK := func(c, p int) bool {
		g := inGroup[c]
		if g < 0 {
			return true
		}
		for _, o := range opts[g] {
			if o.place == p {
				return true
			}
		}
		return false
	}
	all := make([]int, m.Children)
	for c := range all {
		all[c] = c
	}
	boundPlace, bPlaced, bCost := m.assignChildren(all, m.Capacity, groupOK, m.GroupBonus)

	// Evaluate a choice of group places (−1: unplaced).
	evaluate := func(choice []int) ([]int, int, float64, bool) {
		capLeft := append([]int(nil), m.Capacity...)
		placed, cost := 0, 0.0
		for g, p := range choice {
			if p < 0 {
				continue
			}
			capLeft[p] -= len(m.Groups[g])
			if capLeft[p] < 0 {
				return nil, 0, 0, false
			}
			placed += len(m.Groups[g])
			for _, o := range opts[g] {
				if o.place == p {
					cost += o.cost
				}
			}
		}
		placeOf, sp, sc := m.assignChildren(singles, capLeft, nil, 0)
		for g, p := range choice {
			for _, c := range m.Groups[g] {
				placeOf[c] = p
			}
		}
		return placeOf, placed + sp, cost + sc, true
	}

	limit := m.ExactLimit
	if limit <= 0 {
		limit = 4096
	}
	combos := 1.0
	for g := range opts {
		combos *= float64(len(opts[g]) + 1)
	}
	sol := Solution{BoundPlaced: bPlaced, BoundCost: bCost}
	if combos <= float64(limit) {
		choice := make([]int, len(m.Groups))
		bestPlaced, bestCost := -1, 0.0
		var bestPlace []int
		var rec func(g int)
		rec = func(g int) {
			if g == len(m.Groups) {
				placeOf, placed, cost, ok := evaluate(choice)
				if ok && (bestPlaced < 0 || better(placed, cost, bestPlaced, bestCost)) {
					bestPlaced, bestCost, bestPlace = placed, cost, placeOf
				}
				return
			}
			choice[g] = -1
			rec(g + 1)
			for _, o := range opts[g] {
				choice[g] = o.place
				rec(g + 1)
			}
		}
		rec(0)
		sol.PlaceOf, sol.Placed, sol.Cost = bestPlace, bestPlaced, bestCost
		sol.ArcCost = m.arcCost(bestPlace)
		sol.Optimal, sol.Method = true, "enumeration of sibling-group placements (exact)"
		return sol
	}

	// Fix-and-resolve.
	order := make([]int, len(m.Groups))
	for g := range order {
		order[g] = g
	}
	sort.SliceStable(order, func(a, b int) bool { return len(m.Groups[order[a]]) > len(m.Groups[order[b]]) })
	choice := make([]int, len(m.Groups))
	capLeft := append([]int(nil), m.Capacity...)
	for _, g := range order {
		choice[g] = -1
		votes := map[int]int{}
		for _, c := range m.Groups[g] {
			if p := boundPlace[c]; p >= 0 {
				votes[p]++
			}
		}
		best, bestVotes := -1, 0
		for _, o := range opts[g] {
			if capLeft[o.place] >= len(m.Groups[g]) && votes[o.place] > bestVotes {
				best, bestVotes = o.place, votes[o.place]
			}
		}
		if best < 0 && len(votes) > 0 {
			for _, o := range opts[g] {
				if capLeft[o.place] >= len(m.Groups[g]) {
					best = o.place
					break
				}
			}
		}
		if best >= 0 {
			choice[g] = best
			capLeft[best] -= len(m.Groups[g])
		}
	}
	bestPlace, bestPlaced, bestCost, _ := evaluate(choice)
	for improved, rounds := true, 0; improved && rounds < 5; rounds++ {
		improved = false
		for g := range m.Groups {
			cur := choice[g]
			alts := []int{-1}
			for k, o := range opts[g] {
				if k >= 8 {
					break
				}
				alts = append(alts, o.place)
			}
			for _, p := range alts {
				if p == cur {
					continue
				}
				choice[g] = p
				placeOf, placed, cost, ok := evaluate(choice)
				if ok && better(placed, cost, bestPlaced, bestCost) {
					bestPlace, bestPlaced, bestCost, cur = placeOf, placed, cost, p
					improved = true
				}
			}
			choice[g] = cur
		}
	}
	sol.PlaceOf, sol.Placed, sol.Cost = bestPlace, bestPlaced, bestCost
	sol.ArcCost = m.arcCost(bestPlace)
	sol.Optimal = bestPlaced == bPlaced && math.Abs(bestCost-bCost) <= 1e-9*math.Max(1, math.Abs(bCost))
	sol.Method = "fix-and-resolve with local search (heuristic)"
	return sol
}

// assignChildren places the given children exactly (maximum number, then
// least cost) into places with the given capacities, using only arcs allowed
// by ok (nil: all); when ok is given, arcs it allows for children of groups
// cost bonus less. It returns the place of every child of the model (−1 for
// children not placed or not given), the number placed and their cost.
func (m *Model) assignChildren(children []int, capacity []int, ok func(c, p int) bool, bonus float64) ([]int, int, float64) {
	grouped := map[int]bool{}
	if bonus != 0 {
		for _, mem := range m.Groups {
			for _, c := range mem {
				grouped[c] = true
			}
		}
	}
	placeOf := make([]int, m.Children)
	for i := range placeOf {
		placeOf[i] = -1
	}
	// Slots: place p owns columns first[p] .. first[p]+capacity[p]-1.
	first := make([]int, len(capacity)+1)
	for p, c := range capacity {
		first[p+1] = first[p] + max(c, 0)
	}
	nSlots := first[len(capacity)]
	slotPlace := make([]int, nSlots)
	for p := range capacity {
		for s := first[p]; s < first[p+1]; s++ {
			slotPlace[s] = p
		}
	}
	g := &assign.Graph[float64]{Rows: len(children), Cols: nSlots, Start: make([]int, len(children)+1)}
	// Sized once: a region's allocation has millions of (child, slot) arcs.
	n := 0
	for _, c := range children {
		for _, a := range m.Arcs[c] {
			n += first[a.Place+1] - first[a.Place]
		}
	}
	g.Col, g.Cost = make([]int32, 0, n), make([]float64, 0, n)
	for r, c := range children {
		for _, a := range m.Arcs[c] {
			if ok != nil && !ok(c, a.Place) {
				continue
			}
			cost := a.Cost
			if grouped[c] {
				cost -= bonus
			}
			for s := first[a.Place]; s < first[a.Place+1]; s++ {
				g.Col = append(g.Col, int32(s))
				g.Cost = append(g.Cost, cost)
			}
		}
		g.Start[r+1] = len(g.Col)
	}
	if len(g.Col) == 0 {
		return placeOf, 0, 0
	}
	// Columns within a row must be unique and sorted for NewGraph's checks;
	// here they are built in place order, so they are unique per child as
	// long as a child has one arc per place.
	res := assign.Sparse(g)
	placed, cost := 0, 0.0
	for r, s := range res.RowCol {
		if s < 0 {
			continue
		}
		placeOf[children[r]] = slotPlace[s]
		placed++
	}
	cost = res.Total
	return placeOf, placed, cost
}

// arcCost sums the costs of the children's arcs to their places.
func (m *Model) arcCost(placeOf []int) float64 {
	total := 0.0
	for c, p := range placeOf {
		if p < 0 {
			continue
		}
		for _, a := range m.Arcs[c] {
			if a.Place == p {
				total += a.Cost
				break
			}
		}
	}
	return total
}
