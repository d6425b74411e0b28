package assign

import (
	"math"
	"math/rand/v2"
	"testing"
)

// brute returns the maximum cardinality and the least cost among assignments
// of that cardinality, by enumerating every partial injective map of rows to
// columns.
func brute(nr, nc int, allowed func(i, j int) bool, cost func(i, j int) float64) (int, float64) {
	used := make([]bool, nc)
	bestK, bestC := 0, 0.0
	var rec func(i, k int, c float64)
	rec = func(i, k int, c float64) {
		if i == nr {
			if k > bestK || (k == bestK && c < bestC-1e-9) {
				bestK, bestC = k, c
			}
			return
		}
		rec(i+1, k, c)
		for j := 0; j < nc; j++ {
			if !used[j] && allowed(i, j) {
				used[j] = true
				rec(i+1, k+1, c+cost(i, j))
				used[j] = false
			}
		}
	}
	rec(0, 0, 0)
	return bestK, bestC
}

type instance struct {
	nr, nc int
	c      []int64 // Forbidden marks forbidden pairs
}

func randomInstance(r *rand.Rand, maxN int, pForbid float64, lo, hi int64) instance {
	nr, nc := 1+r.IntN(maxN), 1+r.IntN(maxN)
	in := instance{nr: nr, nc: nc, c: make([]int64, nr*nc)}
	for k := range in.c {
		if r.Float64() < pForbid {
			in.c[k] = Forbidden
		} else {
			in.c[k] = lo + r.Int64N(hi-lo+1)
		}
	}
	return in
}

func (in instance) float() []float64 {
	f := make([]float64, len(in.c))
	for k, c := range in.c {
		if c == Forbidden {
			f[k] = math.Inf(1)
		} else {
			f[k] = float64(c)
		}
	}
	return f
}

func (in instance) arcs() []Arc[int64] {
	var a []Arc[int64]
	for i := 0; i < in.nr; i++ {
		for j := 0; j < in.nc; j++ {
			if c := in.c[i*in.nc+j]; c != Forbidden {
				a = append(a, Arc[int64]{i, j, c})
			}
		}
	}
	return a
}

// checkResult verifies the invariants of a result: a matching, only allowed
// pairs, totals consistent.
func checkResult[T Cost](t *testing.T, name string, in instance, res Result[T]) {
	t.Helper()
	var total int64
	n := 0
	for i, j := range res.RowCol {
		if j < 0 {
			continue
		}
		if res.ColRow[j] != i {
			t.Fatalf("%s: row %d → col %d but col %d → row %d", name, i, j, j, res.ColRow[j])
		}
		c := in.c[i*in.nc+j]
		if c == Forbidden {
			t.Fatalf("%s: forbidden pair (%d,%d) assigned", name, i, j)
		}
		total += c
		n++
	}
	for j, i := range res.ColRow {
		if i >= 0 && res.RowCol[i] != j {
			t.Fatalf("%s: col %d → row %d not mirrored", name, j, i)
		}
	}
	if n != res.Assigned {
		t.Fatalf("%s: Assigned %d, counted %d", name, res.Assigned, n)
	}
	if float64(total) != float64(res.Total) {
		t.Fatalf("%s: Total %v, recomputed %d", name, res.Total, total)
	}
	wantStatus := Optimal
	if n < min(in.nr, in.nc) {
		wantStatus = Partial
	}
	if res.Status != wantStatus {
		t.Fatalf("%s: status %v with %d of %d assigned", name, res.Status, n, min(in.nr, in.nc))
	}
}

// flowAssign solves the instance as a min-cost max-flow.
func flowAssign(in instance) (int, int64, Status) {
	f := NewMinCostFlow(in.nr + in.nc)
	for i := 0; i < in.nr; i++ {
		f.SetSupply(i, 1)
	}
	for j := 0; j < in.nc; j++ {
		f.SetSupply(in.nr+j, -1)
	}
	for _, a := range in.arcs() {
		f.AddArc(a.Row, in.nr+a.Col, 1, a.Cost)
	}
	st := f.SolveMaxFlowWithMinCost()
	return int(f.MaximumFlow()), f.OptimalCost(), st
}

func TestAgainstBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 600; trial++ {
		pForbid := []float64{0, 0.3, 0.7}[trial%3]
		lo := int64(0)
		if trial%5 == 0 {
			lo = -50
		}
		in := randomInstance(r, 5, pForbid, lo, 100)
		k, c := brute(in.nr, in.nc,
			func(i, j int) bool { return in.c[i*in.nc+j] != Forbidden },
			func(i, j int) float64 { return float64(in.c[i*in.nc+j]) })

		di := Dense(in.nr, in.nc, in.c)
		checkResult(t, "DenseInt", in, di)
		df := Dense(in.nr, in.nc, in.float())
		checkResult(t, "DenseFloat", in, df)
		g, st := NewGraph(in.nr, in.nc, in.arcs())
		if st != Optimal {
			t.Fatalf("NewGraph: %v", st)
		}
		sp := Sparse(g)
		checkResult(t, "Sparse", in, sp)
		fk, fc, _ := flowAssign(in)
		for name, got := range map[string][2]float64{
			"DenseInt":   {float64(di.Assigned), float64(di.Total)},
			"DenseFloat": {float64(df.Assigned), df.Total},
			"Sparse":     {float64(sp.Assigned), float64(sp.Total)},
			"Flow":       {float64(fk), float64(fc)},
		} {
			if int(got[0]) != k || got[1] != c {
				t.Fatalf("trial %d %dx%d: %s gives %v pairs cost %v; brute force %d pairs cost %v\ncosts %v",
					trial, in.nr, in.nc, name, got[0], got[1], k, c, in.c)
			}
		}
	}
}

func TestSolversAgreeOnLargerInstances(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for trial := 0; trial < 40; trial++ {
		in := randomInstance(r, 60, []float64{0, 0.5, 0.9, 0.97}[trial%4], 0, 1000)
		di := Dense(in.nr, in.nc, in.c)
		checkResult(t, "DenseInt", in, di)
		df := Dense(in.nr, in.nc, in.float())
		checkResult(t, "DenseFloat", in, df)
		g, _ := NewGraph(in.nr, in.nc, in.arcs())
		sp := Sparse(g)
		checkResult(t, "Sparse", in, sp)
		fk, fc, _ := flowAssign(in)
		if di.Assigned != fk || di.Total != fc || sp.Assigned != fk || sp.Total != fc || df.Total != float64(fc) {
			t.Fatalf("trial %d %dx%d: dense %d/%d, float %d/%v, sparse %d/%d, flow %d/%d",
				trial, in.nr, in.nc, di.Assigned, di.Total, df.Assigned, df.Total, sp.Assigned, sp.Total, fk, fc)
		}
	}
}

func TestDenseFloatRandom(t *testing.T) {
	// Uniform [0,1) floats as in the SciPy benchmark; the duals give a
	// certificate: reduced costs of the optimum are checked via the int
	// solver on a scaled copy being no better.
	r := rand.New(rand.NewPCG(3, 4))
	n, m := 80, 120
	c := make([]float64, n*m)
	ci := make([]int64, n*m)
	for k := range c {
		ci[k] = r.Int64N(1 << 40)
		c[k] = float64(ci[k])
	}
	a := Dense(n, m, c)
	b := Dense(n, m, ci)
	if a.Status != Optimal || b.Status != Optimal || a.Total != float64(b.Total) {
		t.Fatalf("float %v %v, int %v %v", a.Status, a.Total, b.Status, b.Total)
	}
	// Transposed problem has the same optimum.
	ct := make([]int64, n*m)
	for i := 0; i < n; i++ {
		for j := 0; j < m; j++ {
			ct[j*n+i] = ci[i*m+j]
		}
	}
	if tr := Dense(m, n, ct); tr.Total != b.Total || tr.Assigned != n {
		t.Fatalf("transposed: %v %d, want %v", tr.Total, tr.Assigned, b.Total)
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name string
		res  Status
	}{
		{"NaN", Dense(1, 2, []float64{math.NaN(), 1}).Status},
		{"MinusInf", Dense(1, 2, []float64{math.Inf(-1), 1}).Status},
		{"LengthMismatch", Dense(2, 2, []float64{1, 2, 3}).Status},
		{"Overflow", Dense(2, 2, []int64{math.MaxInt64 - 1, 0, 0, math.MinInt64 + 5}).Status},
		{"NilGraph", Sparse[int64](nil).Status},
	}
	want := map[string]Status{"NaN": BadInput, "MinusInf": BadInput, "LengthMismatch": BadInput,
		"Overflow": PossibleOverflow, "NilGraph": BadInput}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.res != want[tt.name] {
				t.Fatalf("status %v, want %v", tt.res, want[tt.name])
			}
		})
	}
	if _, st := NewGraph(2, 2, []Arc[int64]{{0, 0, 1}, {0, 0, 2}}); st != BadInput {
		t.Fatalf("duplicate arc: %v", st)
	}
	if _, st := NewGraph(2, 2, []Arc[float64]{{0, 3, 1}}); st != BadInput {
		t.Fatalf("out of range arc: %v", st)
	}
}

func TestAllForbidden(t *testing.T) {
	res := Dense(2, 2, []int64{Forbidden, Forbidden, Forbidden, Forbidden})
	if res.Status != Partial || res.Assigned != 0 {
		t.Fatalf("%+v", res)
	}
	g, _ := NewGraph[int64](3, 3, nil)
	if res := Sparse(g); res.Status != Partial || res.Assigned != 0 {
		t.Fatalf("%+v", res)
	}
}

func TestMaxCardinalityBeatsCost(t *testing.T) {
	// Row 0 can take col 0 (cost 1) or col 1 (cost 1000); row 1 only col 0.
	// Least cost alone would place row 0 in col 0 and leave row 1 out.
	c := []int64{1, 1000, 5, Forbidden}
	res := Dense(2, 2, c)
	if res.Assigned != 2 || res.RowCol[0] != 1 || res.RowCol[1] != 0 || res.Total != 1005 {
		t.Fatalf("%+v", res)
	}
}

func TestMinCostFlowCapacities(t *testing.T) {
	// Three children, two homes: home A 2 places, home B 1 place.
	// Child i → home h costs given; every child placed, capacity respected.
	f := NewMinCostFlow(3 + 2)
	costs := [3][2]int64{{1, 10}, {2, 3}, {1, 9}}
	arcs := map[[2]int]int{}
	for i := 0; i < 3; i++ {
		f.SetSupply(i, 1)
		for h := 0; h < 2; h++ {
			arcs[[2]int{i, h}] = f.AddArc(i, 3+h, 1, costs[i][h])
		}
	}
	f.SetSupply(3, -2)
	f.SetSupply(4, -1)
	if st := f.Solve(); st != Optimal {
		t.Fatalf("status %v", st)
	}
	if f.OptimalCost() != 1+3+1 {
		t.Fatalf("cost %d, want 5", f.OptimalCost())
	}
	if f.Flow(arcs[[2]int{1, 1}]) != 1 {
		t.Fatal("child 1 should go to home B")
	}
	// One more child than places: Solve says Infeasible, max-flow variant Partial.
	g := NewMinCostFlow(2)
	g.SetSupply(0, 2)
	g.SetSupply(1, -2)
	g.AddArc(0, 1, 1, 4)
	if st := g.Solve(); st != Infeasible || g.MaximumFlow() != 1 {
		t.Fatalf("status %v flow %d", st, g.MaximumFlow())
	}
	h := NewMinCostFlow(2)
	h.SetSupply(0, 1)
	if st := h.Solve(); st != Unbalanced {
		t.Fatalf("status %v", st)
	}
}

func TestMinCostFlowNegativeCosts(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 100; trial++ {
		in := randomInstance(r, 5, 0.3, -100, 100)
		k, c := brute(in.nr, in.nc,
			func(i, j int) bool { return in.c[i*in.nc+j] != Forbidden },
			func(i, j int) float64 { return float64(in.c[i*in.nc+j]) })
		fk, fc, _ := flowAssign(in)
		if fk != k || float64(fc) != c {
			t.Fatalf("flow %d/%d, brute %d/%v", fk, fc, k, c)
		}
	}
}

func TestCapacityNeverExceeded(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for trial := 0; trial < 50; trial++ {
		kids, homes := 5+r.IntN(30), 2+r.IntN(8)
		f := NewMinCostFlow(kids + homes)
		caps := make([]int64, homes)
		for h := range caps {
			caps[h] = int64(1 + r.IntN(4))
			f.SetSupply(kids+h, -caps[h])
		}
		var eligible []int
		for i := 0; i < kids; i++ {
			f.SetSupply(i, 1)
			for h := 0; h < homes; h++ {
				if r.Float64() < 0.5 {
					eligible = append(eligible, f.AddArc(i, kids+h, 1, r.Int64N(100)))
				}
			}
		}
		f.SolveMaxFlowWithMinCost()
		used := make([]int64, homes)
		placed := make([]int64, kids)
		for _, a := range eligible {
			used[f.Head(a)-kids] += f.Flow(a)
			placed[f.Tail(a)] += f.Flow(a)
		}
		for h := range used {
			if used[h] > caps[h] {
				t.Fatalf("home %d: %d children in %d places", h, used[h], caps[h])
			}
		}
		for i, p := range placed {
			if p > 1 {
				t.Fatalf("child %d placed %d times", i, p)
			}
		}
	}
}
