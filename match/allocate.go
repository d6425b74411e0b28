package match

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"sufficiency/care"
	"sufficiency/geo"
)

// Objective is what an allocation minimises once the number of children
// placed is as large as possible.
type Objective string

// Objectives.
const (
	// ObjectivePolicy minimises the total ranking score (the policy's
	// weighted penalty points: distance, school, needs fit, cost, rating,
	// stability).
	ObjectivePolicy Objective = "policy"
	// ObjectiveDistance minimises total straight-line miles from home (DfE
	// method) and nothing else, so results can be checked with any solver.
	ObjectiveDistance Objective = "distance"
)

// AllocateOptions tune an allocation.
type AllocateOptions struct {
	Objective Objective
	// KeepSiblings places each sibling group (referrals sharing a
	// sibling_group and council) in one home or not at all.
	KeepSiblings bool
	// At is the date of the allocation; zero means each referral's start
	// date.
	At time.Time
	// Free gives the free places of each vacancy (Index.Vacancies order); nil
	// means each vacancy's Places.
	Free []int
	// ExactLimit: see Model.ExactLimit.
	ExactLimit int
}

// Assignment is one child placed by an allocation.
type Assignment struct {
	ReferralID   string     `json:"referral_id"`
	ChildID      string     `json:"child_id"`
	SiblingGroup string     `json:"sibling_group,omitempty"`
	PlaceID      string     `json:"place_id"` // the vacancy (or minimal-form place) used
	ProvisionID  string     `json:"provision_id,omitempty"`
	Name         string     `json:"name,omitempty"`
	Kind         string     `json:"kind,omitempty"`
	Postcode     string     `json:"postcode"`
	Miles        float64    `json:"miles"`
	InArea       bool       `json:"in_area"`
	WeeklyPrice  care.Pence `json:"weekly_price_pence"`
	Cost         float64    `json:"cost"`  // under the objective
	Score        float64    `json:"score"` // policy score (0 in the minimal form)
	Parts        []Part     `json:"parts,omitempty"`
	Vacancy      int        `json:"-"` // index into Index.Vacancies; −1 in the minimal form
	Council      string     `json:"-"` // the placing council
}

// Unplaced is a child an allocation could not place, with why.
type Unplaced struct {
	ReferralID   string `json:"referral_id"`
	ChildID      string `json:"child_id"`
	SiblingGroup string `json:"sibling_group,omitempty"`
	Eligible     int    `json:"eligible_places"`
	Reason       string `json:"reason"`
}

// Allocation is the outcome of allocating many children to many places.
type Allocation struct {
	Objective    Objective    `json:"objective"`
	KeepSiblings bool         `json:"keep_siblings"`
	Children     int          `json:"children"`
	Placed       int          `json:"placed"`
	TotalCost    float64      `json:"total_cost"`
	TotalMiles   float64      `json:"total_miles"`
	WeeklyCost   care.Pence   `json:"weekly_cost_pence"`
	Optimal      bool         `json:"optimal"`
	Method       string       `json:"method"`
	BoundPlaced  int          `json:"bound_placed"`
	BoundCost    float64      `json:"bound_cost"`
	Gap          string       `json:"gap"`
	SplitGroups  int          `json:"sibling_groups_split"`
	Assignments  []Assignment `json:"assignments"`
	Unplaced     []Unplaced   `json:"unplaced"`
}

// groupsOf returns the sibling groups (indices into refs, two or more, in
// order of first appearance) keyed by council and group name.
func groupsOf(refs []care.Referral) [][]int {
	idx := map[string]int{}
	var groups [][]int
	for k, r := range refs {
		if r.SiblingGroup == "" {
			continue
		}
		key := r.Council + "\x00" + r.SiblingGroup
		g, ok := idx[key]
		if !ok {
			g = len(groups)
			idx[key] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], k)
	}
	out := groups[:0]
	for _, g := range groups {
		if len(g) >= 2 {
			out = append(out, g)
		}
	}
	return out
}

// Allocate places the referred children in the index's vacancies jointly:
// as many children as possible, then the least total cost under the
// objective, subject to every hard constraint of Search and to capacity
// (places of a provision are pooled, so a sibling group needs that many free
// places in one provision), keeping sibling groups together when asked.
// Referrals whose postcodes cannot be located give EINVALID. An allocation
// that cannot place everyone is not an error: the unplaced children are
// listed, each with why.
func Allocate(ix *Index, refs []care.Referral, opt AllocateOptions) (Allocation, error) {
	if opt.Objective == "" {
		opt.Objective = ObjectivePolicy
	}
	if opt.Objective != ObjectivePolicy && opt.Objective != ObjectiveDistance {
		return Allocation{}, care.Errorf(care.EINVALID, "objective %q: use policy or distance", opt.Objective)
	}
	// Places are provisions with free places by the date.
	placeOfProv := map[string]int{}
	var provOfPlace []string
	capacity := []int{}
	free := func(v int) int {
		if opt.Free != nil {
			return opt.Free[v]
		}
		return ix.vacs[v].Places
	}
	// Each referral's eligible provisions with their scores (no parts: only
	// the assigned are explained, below), one arc each in the same order;
	// why a referral has none is summarised at once (its search's
	// exclusions are not kept).
	none := make([]string, len(refs))
	arcs := make([][]Arc, len(refs))
	cands := make([][]light, len(refs))
	placeOfPos := make([]int32, len(ix.provs)) // place of each provision + 1 (0: none)
	for k, r := range refs {
		res, err := ix.Search(r, Options{At: opt.At, Free: opt.Free, GroupSize: 1, scoresOnly: true})
		if err != nil {
			return Allocation{}, err
		}
		if len(res.scored) == 0 {
			none[k] = summarise(res)
		}
		cands[k] = res.scored
		arcs[k] = make([]Arc, 0, len(res.scored))
		for _, cd := range res.scored {
			p := int(placeOfPos[cd.k]) - 1
			if p < 0 {
				p = len(provOfPlace)
				id := ix.provs[cd.k].p.ID
				placeOfPos[cd.k] = int32(p + 1)
				placeOfProv[id] = p
				provOfPlace = append(provOfPlace, id)
				capacity = append(capacity, 0)
			}
			cost := cd.score
			if opt.Objective == ObjectiveDistance {
				cost = cd.miles
			}
			arcs[k] = append(arcs[k], Arc{Place: p, Cost: cost})
		}
	}
	// Capacity of each place: free places of its vacancies valid by the date
	// (every vacancy when the date is each referral's own start date: Search
	// has checked that each eligible provision has one valid by then).
	validBy := func(v int, at time.Time) bool {
		vf := ix.vacs[v].ValidFrom
		return vf.IsZero() || at.IsZero() || !vf.After(at)
	}
	provVacs := map[string][]int{}
	for v := range ix.vacs {
		pid := ix.vacs[v].ProvisionID
		if _, ok := placeOfProv[pid]; !ok || free(v) <= 0 || !validBy(v, opt.At) {
			continue
		}
		provVacs[pid] = append(provVacs[pid], v)
	}
	for p, pid := range provOfPlace {
		for _, v := range provVacs[pid] {
			capacity[p] += free(v)
		}
	}
	m := &Model{Children: len(refs), Capacity: capacity, Arcs: arcs, ExactLimit: opt.ExactLimit}
	if opt.Objective == ObjectivePolicy {
		m.GroupBonus = ix.policy.SiblingsTogether
	}
	var groups [][]int
	if opt.KeepSiblings {
		groups = groupsOf(refs)
		m.Groups = groups
		m.GroupFits = func(g, p int) bool {
			vs := provVacs[provOfPlace[p]]
			if len(vs) == 0 {
				return false
			}
			pr := ix.provs[ix.vacProv[vs[0]]].p
			return pr.Kind != care.KindFostering || pr.SiblingCapacity == 0 || pr.SiblingCapacity >= len(groups[g])
		}
	}
	sol := m.Solve()
	alloc := Allocation{Objective: opt.Objective, KeepSiblings: opt.KeepSiblings, Children: len(refs),
		Placed: sol.Placed, TotalCost: sol.ArcCost, Optimal: sol.Optimal, Method: sol.Method,
		BoundPlaced: sol.BoundPlaced, BoundCost: sol.BoundCost}
	alloc.Gap = gapText(sol)
	if m.GroupBonus != 0 && len(groups) > 0 {
		alloc.Gap += fmt.Sprintf(" (objective counts %.0f points off per child placed with their siblings)", m.GroupBonus)
	}
	// Vacancies are used in order of price within a provision.
	used := map[int]int{}
	for k, r := range refs {
		p := sol.PlaceOf[k]
		if p < 0 {
			continue
		}
		var cd Candidate
		for a, arc := range arcs[k] {
			if arc.Place == p {
				var err error
				if cd, err = ix.explained(r, cands[k][a], opt.At); err != nil {
					return Allocation{}, err
				}
				break
			}
		}
		at := opt.At
		if at.IsZero() {
			at = r.Start()
		}
		vac := -1
		vs := provVacs[provOfPlace[p]]
		sort.SliceStable(vs, func(a, b int) bool { return ix.vacs[vs[a]].WeeklyPrice < ix.vacs[vs[b]].WeeklyPrice })
		for _, v := range vs {
			if free(v)-used[v] > 0 && validBy(v, at) {
				vac = v
				break
			}
		}
		if vac < 0 {
			// Capacity pools every vacancy of the provision when each
			// referral keeps its own start date: take one free later.
			for _, v := range vs {
				if free(v)-used[v] > 0 {
					vac = v
					break
				}
			}
		}
		if vac < 0 {
			vac = cd.Vacancy
		}
		used[vac]++
		price := ix.vacs[vac].WeeklyPrice
		if price == 0 {
			price = ix.ProvisionOf(vac).WeeklyPrice
		}
		cost := cd.Score
		if opt.Objective == ObjectiveDistance {
			cost = cd.Miles
		}
		alloc.Assignments = append(alloc.Assignments, Assignment{ReferralID: r.ID, ChildID: r.ChildID,
			SiblingGroup: r.SiblingGroup, PlaceID: ix.vacs[vac].ID, ProvisionID: cd.ProvisionID, Name: cd.Name,
			Kind: cd.Kind, Postcode: cd.Postcode, Miles: cd.Miles, InArea: cd.InArea, WeeklyPrice: price,
			Cost: cost, Score: cd.Score, Parts: cd.Parts, Vacancy: vac, Council: r.Council})
		alloc.TotalMiles += cd.Miles
		alloc.WeeklyCost += price
	}
	groupOf := make([]int, len(refs))
	for i := range groupOf {
		groupOf[i] = -1
	}
	for g, members := range groups {
		for _, c := range members {
			groupOf[c] = g
		}
	}
	maxCap := 0
	for _, c := range capacity {
		maxCap = max(maxCap, c)
	}
	for k, r := range refs {
		if sol.PlaceOf[k] >= 0 {
			continue
		}
		u := Unplaced{ReferralID: r.ID, ChildID: r.ChildID, SiblingGroup: r.SiblingGroup, Eligible: len(arcs[k])}
		switch {
		case len(arcs[k]) == 0:
			u.Reason = "no eligible place: " + none[k]
		case groupOf[k] >= 0:
			u.Reason = groupReason(m, groups[groupOf[k]], k, r.SiblingGroup)
		default:
			u.Reason = fmt.Sprintf("its %d eligible places went to other children (placing them gives more children a place, or a lower total cost)", len(arcs[k]))
		}
		alloc.Unplaced = append(alloc.Unplaced, u)
	}
	alloc.SplitGroups = splitGroups(refs, alloc.Assignments)
	return alloc, nil
}

func gapText(sol Solution) string {
	switch {
	case sol.Optimal:
		return "none: proven optimal"
	case sol.BoundPlaced > sol.Placed:
		return fmt.Sprintf("at most %d more children could be placed (relaxation allowing groups to split places %d)",
			sol.BoundPlaced-sol.Placed, sol.BoundPlaced)
	}
	return fmt.Sprintf("objective at most %.3f above the lower bound %.3f (%.2f%% of the total cost %.3f)", sol.Cost-sol.BoundCost, sol.BoundCost,
		100*(sol.Cost-sol.BoundCost)/math.Max(math.Abs(sol.ArcCost), 1e-9), sol.ArcCost)
}

// groupReason explains why a sibling group was not placed.
func groupReason(m *Model, members []int, k int, name string) string {
	n := len(members)
	count := map[int]int{}
	for _, c := range members {
		for _, a := range m.Arcs[c] {
			count[a.Place]++
		}
	}
	common, largest := 0, 0
	for p, c := range count {
		if c == n {
			common++
			largest = max(largest, m.Capacity[p])
		}
	}
	switch {
	case common == 0:
		return fmt.Sprintf("sibling_group %q: no place is eligible for all %d siblings; kept together they cannot be placed (allowing siblings apart may place them)", name, n)
	case largest < n:
		return fmt.Sprintf("sibling_group %q of %d is larger than any eligible home (largest has %d free places); kept together they cannot be placed (allowing siblings apart may place them)", name, n, largest)
	}
	return fmt.Sprintf("sibling_group %q of %d: the homes that could take them together went to other children (placing them gives more children a place, or a lower total cost)", name, n)
}

// summarise counts a search's exclusions by first reason, largest first.
func summarise(r Result) string {
	by := r.ExcludedBy()
	type kv struct {
		c ReasonCode
		n int
	}
	var s []kv
	for c, n := range by {
		s = append(s, kv{c, n})
	}
	sort.Slice(s, func(a, b int) bool {
		if s[a].n != s[b].n {
			return s[a].n > s[b].n
		}
		return s[a].c < s[b].c
	})
	var parts []string
	for k, x := range s {
		if k == 4 {
			break
		}
		parts = append(parts, fmt.Sprintf("%d %s", x.n, x.c.Label()))
	}
	if len(parts) == 0 {
		return "no provisions in the supply"
	}
	return strings.Join(parts, ", ")
}

// splitGroups counts sibling groups whose members are not all placed in one
// provision (some placed elsewhere or some unplaced while others placed).
func splitGroups(refs []care.Referral, as []Assignment) int {
	placed := map[string]string{}
	for _, a := range as {
		placed[a.ReferralID] = a.ProvisionID + "|" + a.PlaceID
		if a.ProvisionID != "" {
			placed[a.ReferralID] = a.ProvisionID
		}
	}
	split := 0
	for _, g := range groupsOf(refs) {
		where := map[string]bool{}
		anyPlaced, anyUnplaced := false, false
		for _, k := range g {
			if w, ok := placed[refs[k].ID]; ok {
				where[w] = true
				anyPlaced = true
			} else {
				anyUnplaced = true
			}
		}
		if len(where) > 1 || (anyPlaced && anyUnplaced) {
			split++
		}
	}
	return split
}

// MinimalChild is a child of the minimal CSV form: id, home postcode and an
// optional sibling group.
type MinimalChild struct {
	ID           string
	HomePostcode string
	SiblingGroup string
}

// MinimalPlace is a place of the minimal CSV form: id, postcode, places.
type MinimalPlace struct {
	ID       string
	Postcode string
	Places   int
}

// AllocateMinimal allocates children to places in the minimal form: every
// child is eligible for every place and the cost is the straight-line miles
// from home (DfE method, unrounded) — whatever the objective, since the form
// carries nothing else. Unknown postcodes give EINVALID naming the row.
func AllocateMinimal(children []MinimalChild, places []MinimalPlace, keepSiblings bool, locate Locator, exactLimit int) (Allocation, error) {
	if locate == nil {
		locate = geo.LocateString
	}
	pp := make([]geo.Point, len(places))
	capacity := make([]int, len(places))
	for k, p := range places {
		pt, err := locate(p.Postcode)
		if err != nil {
			return Allocation{}, care.WrapError(care.EINVALID, err, "vacancies row %d (place_id %s): postcode %q cannot be located", k+2, p.ID, p.Postcode)
		}
		pp[k], capacity[k] = pt, p.Places
	}
	arcs := make([][]Arc, len(children))
	refs := make([]care.Referral, len(children))
	for k, c := range children {
		pt, err := locate(c.HomePostcode)
		if err != nil {
			return Allocation{}, care.WrapError(care.EINVALID, err, "referrals row %d (child_id %s): home_postcode %q cannot be located", k+2, c.ID, c.HomePostcode)
		}
		arcs[k] = make([]Arc, len(places))
		for p := range places {
			arcs[k][p] = Arc{Place: p, Cost: geo.Miles(pt, pp[p])}
		}
		refs[k] = care.Referral{ID: c.ID, ChildID: c.ID, SiblingGroup: c.SiblingGroup}
	}
	m := &Model{Children: len(children), Capacity: capacity, Arcs: arcs, ExactLimit: exactLimit}
	var groups [][]int
	if keepSiblings {
		groups = groupsOf(refs)
		m.Groups = groups
	}
	sol := m.Solve()
	alloc := Allocation{Objective: ObjectiveDistance, KeepSiblings: keepSiblings, Children: len(children),
		Placed: sol.Placed, TotalCost: sol.ArcCost, TotalMiles: sol.ArcCost, Optimal: sol.Optimal, Method: sol.Method,
		BoundPlaced: sol.BoundPlaced, BoundCost: sol.BoundCost, Gap: gapText(sol)}
	groupOf := map[int]int{}
	for g, members := range groups {
		for _, c := range members {
			groupOf[c] = g
		}
	}
	for k, c := range children {
		p := sol.PlaceOf[k]
		if p < 0 {
			u := Unplaced{ReferralID: c.ID, ChildID: c.ID, SiblingGroup: c.SiblingGroup, Eligible: len(places)}
			if g, ok := groupOf[k]; ok {
				u.Reason = groupReason(m, groups[g], k, c.SiblingGroup)
			} else {
				u.Reason = fmt.Sprintf("more children than places: all %d places are taken by children placed at less total distance", len(places))
			}
			alloc.Unplaced = append(alloc.Unplaced, u)
			continue
		}
		cost := arcs[k][p].Cost
		alloc.Assignments = append(alloc.Assignments, Assignment{ReferralID: c.ID, ChildID: c.ID, SiblingGroup: c.SiblingGroup,
			PlaceID: places[p].ID, Postcode: places[p].Postcode, Miles: cost, Cost: cost, Vacancy: -1})
	}
	alloc.SplitGroups = splitGroups(refs, alloc.Assignments)
	return alloc, nil
}
