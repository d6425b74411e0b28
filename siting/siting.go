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
		o.SwapCandidates = 60
	}
	n, K := len(children), o.Homes
	res := &Result{Candidates: len(sites), Before: summarise(children, nil)}
	if n == 0 {
		res.After, res.Method = res.Before, "no children to bring closer"
		return res, nil
	}
	d0 := make([]float64, n)
	for i, c := range children {
		d0[i] = c.Miles
	}
	// gains of each site given the current distances cur (uncapacitated)
	gains := func(cur []float64, out []float64) {
		for s := range sites {
			g := 0.0
			p := sites[s].Point
			for i := range children {
				if d := miles(children[i].Home, p); d < cur[i] {
					g += cur[i] - d
				}
			}
			out[s] = g
		}
	}
	cur := append([]float64(nil), d0...)
	gs := make([]float64, len(sites))
	chosen := make([]int, 0, K)
	in := make([]bool, len(sites))
	gainSum := 0.0
	bound := math.Inf(1)
	for k := 0; k < K; k++ {
		gains(cur, gs)
		best := -1
		for s := range sites {
			if !in[s] && (best < 0 || gs[s] > gs[best]) {
				best = s
			}
		}
		// data-dependent bound at the greedy prefix: g(OPT) ≤ g(S) + the K
		// largest marginal gains (monotone submodular saving)
		bound = math.Min(bound, gainSum+topSum(gs, in, K))
		chosen = append(chosen, best)
		in[best] = true
		gainSum += gs[best]
		for i := range children {
			if d := miles(children[i].Home, sites[best].Point); d < cur[i] {
				cur[i] = d
			}
		}
	}
	gains(cur, gs)
	bound = math.Min(bound, gainSum+topSum(gs, in, K))
	bound = math.Min(bound, gainSum/(1-1/math.E))
	// with places: no K homes take more than K·P children, each saving at
	// most its best gain over all sites
	if o.Places > 0 {
		best := make([]float64, n)
		for i := range children {
			for s := range sites {
				if d := miles(children[i].Home, sites[s].Point); d0[i]-d > best[i] {
					best[i] = d0[i] - d
				}
			}
		}
		sort.Sort(sort.Reverse(sort.Float64Slice(best)))
		capB := 0.0
		for i := 0; i < len(best) && i < K*o.Places; i++ {
			capB += best[i]
		}
		bound = math.Min(bound, capB)
	}
	res.Method = "greedy"
	// swap search on the capacitated saving among the best single sites
	if o.Places > 0 {
		gains(d0, gs)
		pool := topIndexes(gs, o.SwapCandidates)
		val := greedyAssign(children, d0, sites, chosen, o.Places)
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
					if v := greedyAssign(children, d0, sites, chosen, o.Places); v > val+1e-9 {
						in[old], in[s] = false, true
						val, improved = v, true
					} else {
						chosen[ci] = old
					}
				}
			}
		}
		res.Method = "greedy, then swaps"
	}
	sort.Ints(chosen)
	assignTo := assignFlow(children, d0, sites, chosen, o.Places)
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

type pair struct {
	i, j int
	gain float64
}

// greedyAssign is the saving when children are given places in the chosen
// sites largest saving first (at most places a site).
func greedyAssign(children []Child, d0 []float64, sites []Site, chosen []int, places int) float64 {
	var ps []pair
	for i := range children {
		for j, s := range chosen {
			if g := d0[i] - miles(children[i].Home, sites[s].Point); g > 0 {
				ps = append(ps, pair{i, j, g})
			}
		}
	}
	sort.Slice(ps, func(a, b int) bool {
		if ps[a].gain != ps[b].gain {
			return ps[a].gain > ps[b].gain
		}
		return ps[a].i < ps[b].i || (ps[a].i == ps[b].i && ps[a].j < ps[b].j)
	})
	used := make([]int, len(chosen))
	done := map[int]bool{}
	t := 0.0
	for _, p := range ps {
		if done[p.i] || used[p.j] >= places {
			continue
		}
		done[p.i] = true
		used[p.j]++
		t += p.gain
	}
	return t
}

// assignFlow gives each child the chosen site (index into chosen) that
// maximises the total saving with at most places a site (0: unlimited), or
// −1 to stay; exact, by min-cost flow over the children a site would help.
func assignFlow(children []Child, d0 []float64, sites []Site, chosen []int, places int) []int {
	out := make([]int, len(children))
	for i := range out {
		out[i] = -1
	}
	if places == 0 {
		for i := range children {
			best := 0.0
			for j, s := range chosen {
				if g := d0[i] - miles(children[i].Home, sites[s].Point); g > best {
					best, out[i] = g, j
				}
			}
		}
		return out
	}
	var helped []int
	for i := range children {
		for _, s := range chosen {
			if d0[i]-miles(children[i].Home, sites[s].Point) > 0 {
				helped = append(helped, i)
				break
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
	for n, i := range helped {
		f.AddArc(src, 1+n, 1, 0)
		f.AddArc(1+n, sink, 1, 0) // stays where it is
		for j, s := range chosen {
			if g := d0[i] - miles(children[i].Home, sites[s].Point); g > 0 {
				arcs = append(arcs, arc{f.AddArc(1+n, 1+h+j, 1, -int64(math.Round(g*1000))), i, j})
			}
		}
	}
	for j := range chosen {
		f.AddArc(1+h+j, sink, int64(places), 0)
	}
	f.SetSupply(src, int64(h))
	f.SetSupply(sink, -int64(h))
	if f.Solve() != assign.Optimal {
		// fall back on the greedy order (never expected: the problem is
		// always feasible through the stay arcs)
		return out
	}
	for _, a := range arcs {
		if f.Flow(a.arc) > 0 {
			out[a.child] = a.site
		}
	}
	return out
}
