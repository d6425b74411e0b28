// Package siting chooses where to open new homes: K postcode districts (or
// candidate sites) that bring children placed far from home closest to it,
// given where they are placed now. It is a capacitated p-median with
// existing facilities: each child keeps its current placement distance
// unless a new home nearer home has a free place. Sites are chosen greedily
// and improved by swaps; the result carries an upper bound on the saving any
// K homes could make, so the answer's distance from the optimum is known.
// See docs/METHOD.md ("Where to open homes").
package siting

import (
	"math"
	"slices"
	"sort"

	"sufficiency/care"
	"sufficiency/geo"
	"sufficiency/match/assign"
)

// Child is one child whose placement a new home could replace: where home
// is, and how far the current placement is from it.
type Child struct {
	Council string
	Home    geo.Point
	Miles   float64 // current placement's distance from home
}

// Site is a place a home could open: a postcode district's centroid or a
// candidate site.
type Site struct {
	Code     string    `json:"code"`     // postcode district or the candidate's name
	District string    `json:"district"` // its postcode district
	Council  string    `json:"council"`  // council it lies in ("" when unknown)
	Point    geo.Point `json:"-"`
}

// Options set up a choice.
type Options struct {
	Homes  int // K, homes to open (1–100)
	Places int // places per home; 0 means unlimited
	// SwapCandidates limits the swap search to the sites with the largest
	// marginal saving (default 60).
	SwapCandidates int
}

// Summary describes the children's distances from home.
type Summary struct {
	Children   int     `json:"children"`
	MeanMiles  float64 `json:"mean_miles"`
	Over20     int     `json:"over_20_miles"`
	ShareOver0 float64 `json:"share_over_20_miles"` // 0–1
}

// Chosen is one chosen site and the children it would take.
type Chosen struct {
	Site
	Children   int     `json:"children"`    // children assigned (≤ places)
	MilesSaved float64 `json:"miles_saved"` // total miles closer to home
	BroughtIn  int     `json:"brought_within_20_miles"`
}

// Result is the choice, the before and after figures, and the bound.
type Result struct {
	Sites  []Chosen `json:"sites"`
	Before Summary  `json:"before"`
	After  Summary  `json:"after"`
	// Saving is the total miles closer to home of the children the homes
	// take (assignment by min-cost flow, at most Places a home); Bound is
	// an upper bound on the saving of any K homes among the candidates
	// (see docs/METHOD.md), so Saving/Bound is a guaranteed share of the
	// best possible.
	Saving     float64 `json:"miles_saved"`
	Bound      float64 `json:"bound_miles"`
	Guaranteed float64 `json:"guaranteed_share_of_optimum"`
	Candidates int     `json:"candidates"`
	Method     string  `json:"method"`
}

// miles between points, as geo.Miles.
func miles(a, b geo.Point) float64 {
	return math.Hypot(a.Easting-b.Easting, a.Northing-b.Northing) / 1000 / 1.6093
}

// Choose picks o.Homes sites among sites for the children.
func Choose(children []Child, sites []Site, o Options) (*Result, error) {
	if o.Homes < 1 || o.Homes > 100 {
		return nil, care.Errorf(care.EINVALID, "%d homes: give 1 to 100", o.Homes)
	}
	if o.Places < 0 || o.Places > 100 {
		return nil, care.Errorf(care.EINVALID, "%d places a home: give 1 to 100 (0 for no limit)", o.Places)
	}
	if len(sites) < o.Homes {
		return nil, care.Errorf(care.EINVALID, "%d candidate sites for %d homes: give at least as many sites as homes", len(sites), o.Homes)
	}
	if o.SwapCandidates == 0 {
		o.SwapCandidates = 100
	}
	n, K := len(children), o.Homes
	res := &Result{Candidates: len(sites), Before: summarise(children, nil)}
	if n == 0 {
		res.After, res.Method = res.Before, "no children to bring closer"
		for _, s := range sites[:K] {
			res.Sites = append(res.Sites, Chosen{Site: s})
		}
		res.Guaranteed = 1
		return res, nil
	}
	d0 := make([]float64, n)
	for i, c := range children {
		d0[i] = c.Miles
	}
	// One pass over sites × children: each site's uncapacitated saving, its
	// list of the K·P children it would help most (an optimal assignment
	// uses only those: a site's child outside its list can be swapped for
	// an unassigned one in it, as at most K·P children are placed), and
	// each child's best saving anywhere.
	listCap := n
	if o.Places > 0 && K*o.Places < n {
		listCap = K * o.Places
	}
	ev := newEvaluator(children, d0, sites, listCap, o.Places)
	single := make([]float64, len(sites)) // capacitated saving of each site alone
	for s := range sites {
		single[s] = ev.value([]int{s})
	}
	// Greedy on the capacitated saving, then swaps among the best sites.
	var chosen []int
	in := make([]bool, len(sites))
	val := 0.0
	for k := 0; k < K; k++ {
		best, bestV := -1, -1.0
		for s := range sites {
			if in[s] {
				continue
			}
			if v := ev.value(append(chosen, s)); v > bestV+1e-12 {
				best, bestV = s, v
			}
		}
		chosen = append(chosen, best)
		in[best] = true
		val = bestV
	}
	pool := topIndexes(single, o.SwapCandidates)
	improved := true
	for rounds := 0; improved && rounds < 20; rounds++ {
		improved = false
		for ci := range chosen {
			for _, s := range pool {
				if in[s] {
					continue
				}
				old := chosen[ci]
				chosen[ci] = s
				if v := ev.value(chosen); v > val+1e-9 {
					in[old], in[s] = false, true
					val, improved = v, true
				} else {
					chosen[ci] = old
				}
			}
		}
	}
	res.Method = "greedy, then swaps"
	sort.Ints(chosen)
	// Bound: the uncapacitated saving is monotone submodular, so for the
	// chosen set S and any K sites O, g∞(O) ≤ g∞(S) + the K largest
	// marginal savings Δs(S); at S = ∅ that is the K largest single
	// savings. With places, no K homes take more than K·P children, each
	// saving at most its best saving anywhere.
	cur := append([]float64(nil), d0...)
	for _, s := range chosen {
		for i := range children {
			if d := miles(children[i].Home, sites[s].Point); d < cur[i] {
				cur[i] = d
			}
		}
	}
	gS := 0.0
	for i := range cur {
		gS += d0[i] - cur[i]
	}
	delta := make([]float64, len(sites))
	for s := range sites {
		delta[s] = ev.gainOver(s, cur)
	}
	bound := math.Min(gS+topSum(delta, in, K), topSum(ev.unc, make([]bool, len(sites)), K))
	if o.Places > 0 {
		b := append([]float64(nil), ev.best...)
		sort.Sort(sort.Reverse(sort.Float64Slice(b)))
		capB := 0.0
		for i := 0; i < len(b) && i < K*o.Places; i++ {
			capB += b[i]
		}
		bound = math.Min(bound, capB)
	}
	assignTo := ev.assignFlow(chosen)
	after := append([]float64(nil), d0...)
	for _, s := range chosen {
		res.Sites = append(res.Sites, Chosen{Site: sites[s]})
	}
	for i, j := range assignTo {
		if j < 0 {
			continue
		}
		d := miles(children[i].Home, sites[chosen[j]].Point)
		c := &res.Sites[j]
		c.Children++
		c.MilesSaved += d0[i] - d
		if round1(d0[i]) > 20 && round1(d) <= 20 {
			c.BroughtIn++
		}
		after[i] = d
		res.Saving += d0[i] - d
	}
	res.Bound = math.Max(bound, res.Saving)
	if res.Bound > 0 {
		res.Guaranteed = res.Saving / res.Bound
	} else {
		res.Guaranteed = 1
	}
	res.After = summarise(children, after)
	return res, nil
}

// gainPair is a child a site would help, by how many miles.
type gainPair struct {
	child int
	gain  float64
}

// sitePair is a gain pair of the j-th chosen site.
type sitePair struct {
	gainPair
	site int
}

// evaluator holds each site's list of the children it would help most.
type evaluator struct {
	children []Child
	d0       []float64
	sites    []Site
	places   int
	lists    [][]gainPair // per site, largest gain first, at most listCap
	unc      []float64    // per site, the uncapacitated saving
	best     []float64    // per child, the best saving at any site
	// scratch
	pairs []sitePair
	used  []int
	done  []bool
}

func newEvaluator(children []Child, d0 []float64, sites []Site, listCap, places int) *evaluator {
	ev := &evaluator{children: children, d0: d0, sites: sites, places: places, lists: make([][]gainPair, len(sites)),
		unc: make([]float64, len(sites)), best: make([]float64, len(children)), done: make([]bool, len(children))}
	const m = 1000 * 1.6093 // metres a mile
	e := make([]float64, len(children))
	nn := make([]float64, len(children))
	r2 := make([]float64, len(children))
	for i, c := range children {
		e[i], nn[i] = c.Home.Easting, c.Home.Northing
		r := d0[i] * m
		r2[i] = r * r
	}
	var buf []gainPair
	for s, site := range sites {
		buf = buf[:0]
		se, sn := site.Point.Easting, site.Point.Northing
		u := 0.0
		for i := range e {
			dx, dy := e[i]-se, nn[i]-sn
			q := dx*dx + dy*dy
			if q >= r2[i] {
				continue
			}
			g := d0[i] - math.Sqrt(q)/m
			u += g
			if g > ev.best[i] {
				ev.best[i] = g
			}
			// keep the listCap largest in a min-heap (ties: lower child first)
			p := gainPair{i, g}
			if len(buf) < listCap {
				buf = append(buf, p)
				heapUp(buf, len(buf)-1)
			} else if worse(buf[0], p) {
				buf[0] = p
				heapDown(buf, 0)
			}
		}
		ev.unc[s] = u
		list := append([]gainPair(nil), buf...)
		slices.SortFunc(list, func(a, b gainPair) int {
			if worse(a, b) {
				return 1
			}
			if worse(b, a) {
				return -1
			}
			return 0
		})
		ev.lists[s] = list
	}
	return ev
}

// worse orders pairs: a is worse than b when its gain is smaller (or equal
// with a higher child index).
func worse(a, b gainPair) bool {
	return a.gain < b.gain || (a.gain == b.gain && a.child > b.child)
}

// heapUp and heapDown keep h a min-heap by worse (the worst pair first).
func heapUp(h []gainPair, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !worse(h[i], h[p]) {
			return
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func heapDown(h []gainPair, i int) {
	for {
		l, m := 2*i+1, i
		if l < len(h) && worse(h[l], h[m]) {
			m = l
		}
		if r := l + 1; r < len(h) && worse(h[r], h[m]) {
			m = r
		}
		if m == i {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// gainOver is the uncapacitated marginal saving of site s over the
// distances cur.
func (ev *evaluator) gainOver(s int, cur []float64) float64 {
	p := ev.sites[s].Point
	g := 0.0
	for i := range ev.children {
		if d := miles(ev.children[i].Home, p); d < cur[i] {
			g += cur[i] - d
		}
	}
	return g
}

// value is the saving of the chosen sites when children are given places
// largest saving first, at most places a site.
func (ev *evaluator) value(chosen []int) float64 {
	ev.pairs = ev.pairs[:0]
	for j, s := range chosen {
		for _, p := range ev.lists[s] {
			ev.pairs = append(ev.pairs, sitePair{p, j})
		}
	}
	ps := ev.pairs
	slices.SortFunc(ps, func(a, b sitePair) int {
		switch {
		case a.gain != b.gain:
			if a.gain > b.gain {
				return -1
			}
			return 1
		case a.child != b.child:
			return a.child - b.child
		}
		return a.site - b.site
	})
	if cap(ev.used) < len(chosen) {
		ev.used = make([]int, len(chosen))
	}
	used := ev.used[:len(chosen)]
	clear(used)
	t := 0.0
	var marked []int
	for _, p := range ps {
		if ev.done[p.child] || (ev.places > 0 && used[p.site] >= ev.places) {
			continue
		}
		ev.done[p.child] = true
		marked = append(marked, p.child)
		used[p.site]++
		t += p.gain
	}
	for _, c := range marked {
		ev.done[c] = false
	}
	return t
}

// assignFlow gives each child the chosen site (index into chosen) that
// maximises the total saving with at most places a site (0: unlimited), or
// −1 to stay; exact, by min-cost flow over the children in the chosen
// sites' lists.
func (ev *evaluator) assignFlow(chosen []int) []int {
	out := make([]int, len(ev.children))
	for i := range out {
		out[i] = -1
	}
	if ev.places == 0 {
		best := make([]float64, len(ev.children))
		for j, s := range chosen {
			for _, p := range ev.lists[s] {
				if p.gain > best[p.child] {
					best[p.child], out[p.child] = p.gain, j
				}
			}
		}
		return out
	}
	node := map[int]int{}
	var helped []int
	for _, s := range chosen {
		for _, p := range ev.lists[s] {
			if _, ok := node[p.child]; !ok {
				node[p.child] = len(helped)
				helped = append(helped, p.child)
			}
		}
	}
	if len(helped) == 0 {
		return out
	}
	// nodes: 0 source, 1..h children, then sites, then the sink
	h, k := len(helped), len(chosen)
	src, sink := 0, 1+h+k
	f := assign.NewMinCostFlow(sink + 1)
	type arc struct{ arc, child, site int }
	var arcs []arc
	for n := range helped {
		f.AddArc(src, 1+n, 1, 0)
		f.AddArc(1+n, sink, 1, 0) // stays where it is
	}
	for j, s := range chosen {
		for _, p := range ev.lists[s] {
			arcs = append(arcs, arc{f.AddArc(1+node[p.child], 1+h+j, 1, -int64(math.Round(p.gain*1000))), p.child, j})
		}
		f.AddArc(1+h+j, sink, int64(ev.places), 0)
	}
	f.SetSupply(src, int64(h))
	f.SetSupply(sink, -int64(h))
	if f.Solve() != assign.Optimal {
		return out // never expected: the stay arcs keep it feasible
	}
	for _, a := range arcs {
		if f.Flow(a.arc) > 0 {
			out[a.child] = a.site
		}
	}
	return out
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

func summarise(children []Child, d []float64) Summary {
	s := Summary{Children: len(children)}
	t := 0.0
	for i, c := range children {
		v := c.Miles
		if d != nil {
			v = d[i]
		}
		t += v
		if round1(v) > 20 {
			s.Over20++
		}
	}
	if len(children) > 0 {
		s.MeanMiles = t / float64(len(children))
		s.ShareOver0 = float64(s.Over20) / float64(len(children))
	}
	return s
}

// topSum is the sum of the k largest values of g outside in.
func topSum(g []float64, in []bool, k int) float64 {
	var v []float64
	for s, x := range g {
		if !in[s] {
			v = append(v, x)
		}
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(v)))
	t := 0.0
	for i := 0; i < k && i < len(v); i++ {
		t += v[i]
	}
	return t
}

func topIndexes(g []float64, k int) []int {
	idx := make([]int, len(g))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return g[idx[a]] > g[idx[b]] })
	if len(idx) > k {
		idx = idx[:k]
	}
	return idx
}
