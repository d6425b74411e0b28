package siting

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"sufficiency/geo"
)

// mile is a mile in grid metres.
const mile = 1609.3

func pt(x, y float64) geo.Point { return geo.Point{Easting: x * mile, Northing: y * mile} }

// TestTwoClusters: six children from a town at (0,0) and three from one at
// (100,0), all placed 50 miles away; candidates at both towns and midway.
// One home of 6 places goes to the larger town and brings its six within
// 20 miles; two homes take both towns.
func TestTwoClusters(t *testing.T) {
	var children []Child
	for i := 0; i < 6; i++ {
		children = append(children, Child{Home: pt(0, 0), Miles: 50})
	}
	for i := 0; i < 3; i++ {
		children = append(children, Child{Home: pt(100, 0), Miles: 50})
	}
	sites := []Site{{Code: "A", Point: pt(0, 0)}, {Code: "MID", Point: pt(50, 0)}, {Code: "B", Point: pt(100, 0)}}
	r, err := Choose(children, sites, Options{Homes: 1, Places: 6})
	if err != nil {
		t.Fatal(err)
	}
	if r.Sites[0].Code != "A" || r.Saving != 300 || r.After.Over20 != 3 || r.Before.Over20 != 9 {
		t.Fatalf("one home: %+v", r)
	}
	// capacity binds: with 2 places the home takes only 2 children
	r, _ = Choose(children, sites, Options{Homes: 1, Places: 2})
	if r.Sites[0].Children != 2 || math.Abs(r.Saving-100) > 1e-9 {
		t.Fatalf("two places: %+v", r.Sites)
	}
	r, _ = Choose(children, sites, Options{Homes: 2, Places: 6})
	if r.Sites[0].Code != "A" || r.Sites[1].Code != "B" || r.After.Over20 != 0 || r.Guaranteed != 1 {
		t.Fatalf("two homes: %+v %+v", r.Sites, r)
	}
	// a home farther than the current placement helps nobody
	r, _ = Choose([]Child{{Home: pt(0, 0), Miles: 5}}, []Site{{Code: "FAR", Point: pt(30, 0)}}, Options{Homes: 1, Places: 4})
	if r.Saving != 0 || r.Sites[0].Children != 0 || r.After.MeanMiles != 5 {
		t.Fatalf("far home: %+v", r)
	}
}

// bruteBest is the best saving of any k of the sites, each set's children
// assigned exactly (min-cost flow).
func bruteBest(children []Child, sites []Site, k, places int) float64 {
	d0 := make([]float64, len(children))
	for i, c := range children {
		d0[i] = c.Miles
	}
	ev := newEvaluator(children, d0, sites, len(children), places) // every child in every list: exact
	best := 0.0
	var rec func(start int, set []int)
	rec = func(start int, set []int) {
		if len(set) == k {
			a := ev.assignFlow(set)
			s := 0.0
			for i, j := range a {
				if j >= 0 {
					s += d0[i] - miles(children[i].Home, sites[set[j]].Point)
				}
			}
			best = math.Max(best, s)
			return
		}
		for i := start; i < len(sites); i++ {
			rec(i+1, append(set, i))
		}
	}
	rec(0, nil)
	return best
}

// TestBoundHolds: on random small cases, saving ≤ the best any K homes can
// do ≤ the bound, and the choice is close to the best.
func TestBoundHolds(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	worst := 1.0
	for trial := 0; trial < 40; trial++ {
		var children []Child
		for i := 0; i < 30; i++ {
			children = append(children, Child{Home: pt(rng.Float64()*60, rng.Float64()*60), Miles: 5 + rng.Float64()*60})
		}
		var sites []Site
		for i := 0; i < 9; i++ {
			sites = append(sites, Site{Code: string(rune('A' + i)), Point: pt(rng.Float64()*60, rng.Float64()*60)})
		}
		k, places := 1+trial%3, 2+trial%5
		r, err := Choose(children, sites, Options{Homes: k, Places: places})
		if err != nil {
			t.Fatal(err)
		}
		opt := bruteBest(children, sites, k, places)
		if r.Saving > opt+1e-6 || opt > r.Bound+1e-6 {
			t.Fatalf("trial %d: saving %.2f, optimum %.2f, bound %.2f", trial, r.Saving, opt, r.Bound)
		}
		for _, s := range r.Sites {
			if s.Children > places {
				t.Fatalf("trial %d: %d children in a home of %d places", trial, s.Children, places)
			}
		}
		if opt > 0 {
			worst = math.Min(worst, r.Saving/opt)
		}
	}
	if worst < 0.9 {
		t.Errorf("worst share of the optimum %.2f; want at least 0.9", worst)
	}
}

func TestChooseBadInput(t *testing.T) {
	sites := []Site{{Code: "A"}}
	for name, o := range map[string]Options{"no homes": {Homes: 0}, "too many": {Homes: 2}, "places": {Homes: 1, Places: -1}} {
		if _, err := Choose(nil, sites, o); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestReadSites(t *testing.T) {
	s, err := ReadSites(strings.NewReader("name,postcode\nHill House,NE8 1AA\n,NE9\n"), "c.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != 2 || s[0].Code != "Hill House" || s[0].District != "NE8" || s[1].Code != "NE9" || s[0].Council != "E08000037" {
		t.Fatalf("%+v", s)
	}
	for name, c := range map[string]struct{ in, want string }{
		"no column": {"name,place\nA,NE8\n", "no postcode column"},
		"bad":       {"postcode\nNE8\nnot a postcode\n", "row 3, column postcode"},
		"empty":     {"postcode\n", "no candidate sites"},
		"blank":     {"postcode,name\n,A\n", "row 2"},
	} {
		if _, err := ReadSites(strings.NewReader(c.in), "c.csv"); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
}
