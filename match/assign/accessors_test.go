package assign

import (
	"math"
	"testing"
)

// TestMinCostFlowArcs: an arc reads back as added (its ends, capacity and
// unit cost), before and after a solve moves flow on it; NumArcs counts the
// arcs added, not their reverse arcs.
func TestMinCostFlowArcs(t *testing.T) {
	f := NewMinCostFlow(3)
	a := f.AddArc(0, 1, 5, 7)
	b := f.AddArc(1, 2, 3, -2)
	f.SetSupply(0, 2)
	f.SetSupply(2, -2)
	if f.NumArcs() != 2 {
		t.Fatalf("NumArcs = %d, want 2", f.NumArcs())
	}
	check := func(when string) {
		for _, tc := range []struct {
			k, tail, head int
			cap, cost     int64
		}{{a, 0, 1, 5, 7}, {b, 1, 2, 3, -2}} {
			if f.Tail(tc.k) != tc.tail || f.Head(tc.k) != tc.head || f.Capacity(tc.k) != tc.cap || f.UnitCost(tc.k) != tc.cost {
				t.Errorf("%s: arc %d reads %d→%d cap %d cost %d, want %d→%d cap %d cost %d", when, tc.k,
					f.Tail(tc.k), f.Head(tc.k), f.Capacity(tc.k), f.UnitCost(tc.k), tc.tail, tc.head, tc.cap, tc.cost)
			}
		}
	}
	check("before the solve")
	if st := f.Solve(); st != Optimal {
		t.Fatalf("Solve: %v", st)
	}
	if f.Flow(a) != 2 || f.Flow(b) != 2 || f.OptimalCost() != 2*7+2*(-2) {
		t.Errorf("flows %d %d cost %d, want 2 2 10", f.Flow(a), f.Flow(b), f.OptimalCost())
	}
	check("after the solve")
}

// TestSparseRefusesNonFiniteCosts: a float cost that is NaN or infinite is
// not a cost (Forbidden is how an arc is left out), so the graph is refused;
// a large finite cost is accepted.
func TestSparseRefusesNonFiniteCosts(t *testing.T) {
	for _, c := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if finite(c) {
			t.Errorf("finite(%v) = true", c)
		}
	}
	for _, c := range []float64{0, -1.5, 1e300, -1e300, math.SmallestNonzeroFloat64} {
		if !finite(c) {
			t.Errorf("finite(%v) = false", c)
		}
	}
	if finite(int64(Forbidden)) || !finite(int64(Forbidden-1)) || !finite(int64(0)) {
		t.Error("int64 costs: only Forbidden is not a cost")
	}
}
