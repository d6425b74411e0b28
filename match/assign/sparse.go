package assign

import "sort"

// Arc is one allowed pair of a sparse assignment problem.
type Arc[T Cost] struct {
	Row, Col int
	Cost     T
}

// Graph is a sparse assignment problem in compressed-row form: the arcs of
// row i are Col[Start[i]:Start[i+1]] with costs Cost[Start[i]:Start[i+1]].
// Pairs without an arc are forbidden. Build one with NewGraph (which sorts
// and checks the arcs) or fill the fields directly: the solver does not need
// a row's columns sorted, and a repeated pair counts at its least cost.
type Graph[T Cost] struct {
	Rows, Cols int
	Start      []int
	Col        []int32
	Cost       []T
}

// NewGraph builds a Graph from an arc list. Arcs may come in any order. It
// returns BadInput when an arc is out of range, repeated, or has a NaN or
// infinite cost (a forbidden pair is simply left out).
func NewGraph[T Cost](rows, cols int, arcs []Arc[T]) (*Graph[T], Status) {
	if rows < 0 || cols < 0 || cols > 1<<31-1 {
		return nil, BadInput
	}
	g := &Graph[T]{Rows: rows, Cols: cols, Start: make([]int, rows+1)}
	for _, a := range arcs {
		if a.Row < 0 || a.Row >= rows || a.Col < 0 || a.Col >= cols || !finite(a.Cost) {
			return nil, BadInput
		}
		g.Start[a.Row+1]++
	}
	for i := 0; i < rows; i++ {
		g.Start[i+1] += g.Start[i]
	}
	g.Col = make([]int32, len(arcs))
	g.Cost = make([]T, len(arcs))
	next := append([]int(nil), g.Start[:rows]...)
	for _, a := range arcs {
		p := next[a.Row]
		next[a.Row]++
		g.Col[p] = int32(a.Col)
		g.Cost[p] = a.Cost
	}
	for i := 0; i < rows; i++ {
		lo, hi := g.Start[i], g.Start[i+1]
		s := rowSorter[T]{g.Col[lo:hi], g.Cost[lo:hi]}
		sort.Sort(s)
		for p := lo + 1; p < hi; p++ {
			if g.Col[p] == g.Col[p-1] {
				return nil, BadInput
			}
		}
	}
	return g, Optimal
}

type rowSorter[T Cost] struct {
	col  []int32
	cost []T
}

func (s rowSorter[T]) Len() int           { return len(s.col) }
func (s rowSorter[T]) Less(a, b int) bool { return s.col[a] < s.col[b] }
func (s rowSorter[T]) Swap(a, b int) {
	s.col[a], s.col[b] = s.col[b], s.col[a]
	s.cost[a], s.cost[b] = s.cost[b], s.cost[a]
}

func finite[T Cost](c T) bool {
	switch x := any(c).(type) {
	case float64:
		return x == x && x-x == 0
	case int64:
		return x != Forbidden
	}
	return false
}

// Sparse solves the assignment problem of g: each row to at most one column
// over g's arcs, as many rows as possible, and among those the least total
// cost. Status Optimal means every row (when Rows ≤ Cols; every column
// otherwise) is assigned; Partial means no such assignment exists and the
// result is of maximum cardinality and least cost (package comment).
//
// Method: each row gets a private dummy column at cost M (the big M of the
// package comment), so a complete assignment of rows always exists; rows
// start by row reduction, then each free row is placed by a Dijkstra search
// for the shortest augmenting path over reduced costs, with an indexed binary
// heap over the columns reached, stopping at the first free column settled;
// the duals are then updated from the path lengths as in Dense.
func Sparse[T Cost](g *Graph[T]) Result[T] {
	if g == nil || len(g.Start) != g.Rows+1 || len(g.Col) != len(g.Cost) || g.Start[g.Rows] != len(g.Col) {
		return Result[T]{Status: BadInput}
	}
	nr, nc := g.Rows, g.Cols
	res := Result[T]{RowCol: fill(nr, -1), ColRow: fill(nc, -1)}
	if len(g.Cost) == 0 {
		res.Status = Optimal
		if nr > 0 && nc > 0 {
			res.Status = Partial
		}
		return res
	}
	mn, mx, nForbidden, ok := scan(g.Cost)
	if !ok || nForbidden > 0 {
		res.Status = BadInput
		return res
	}
	big, ok := bigM(nr, mn, mx)
	if !ok {
		res.Status = PossibleOverflow
		return res
	}
	s := newSparseSolver(g, big)
	s.solve()
	for i := 0; i < nr; i++ {
		j := int(s.col4row[i])
		if j >= nc {
			continue
		}
		res.RowCol[i] = j
		res.ColRow[j] = i
		res.Assigned++
		res.Total += s.arcCost(i, j)
	}
	res.Status = Optimal
	if res.Assigned < min(nr, nc) {
		res.Status = Partial
	}
	return res
}

type sparseSolver[T Cost] struct {
	g       *Graph[T]
	big     T
	nr, nc  int // nc counts the real columns; dummy of row i is nc+i
	u, v    []T
	d       []T
	col4row []int32
	row4col []int32
	path    []int32
	heap    []int32 // columns in the heap
	pos     []int32 // position of a column in heap; −1 absent; −2 settled
	touched []int32
	settled []int32
}

func newSparseSolver[T Cost](g *Graph[T], big T) *sparseSolver[T] {
	nr, nc := g.Rows, g.Cols
	ncol := nc + nr
	s := &sparseSolver[T]{
		g: g, big: big, nr: nr, nc: nc,
		u: make([]T, nr), v: make([]T, ncol), d: make([]T, ncol),
		col4row: make([]int32, nr), row4col: make([]int32, ncol), path: make([]int32, ncol),
		pos: make([]int32, ncol),
	}
	INF := inf[T]()
	for j := range s.row4col {
		s.row4col[j] = -1
		s.pos[j] = -1
		s.d[j] = INF
	}
	return s
}

// arcCost returns the cost of the arc (i, j), j a real column. Columns of a
// row need not be sorted; the least cost is taken if a pair repeats.
func (s *sparseSolver[T]) arcCost(i, j int) T {
	var best T
	found := false
	for p := s.g.Start[i]; p < s.g.Start[i+1]; p++ {
		if int(s.g.Col[p]) == j && (!found || s.g.Cost[p] < best) {
			best, found = s.g.Cost[p], true
		}
	}
	return best
}

func (s *sparseSolver[T]) solve() {
	g := s.g
	// Row reduction start.
	for i := 0; i < s.nr; i++ {
		best, arg := s.big, s.nc+i
		for p := g.Start[i]; p < g.Start[i+1]; p++ {
			if g.Cost[p] < best {
				best, arg = g.Cost[p], int(g.Col[p])
			}
		}
		s.u[i] = best
		s.col4row[i] = -1
		if s.row4col[arg] == -1 {
			s.row4col[arg] = int32(i)
			s.col4row[i] = int32(arg)
		}
	}
	for cur := 0; cur < s.nr; cur++ {
		if s.col4row[cur] == -1 {
			s.augment(cur)
		}
	}
}

// relax offers column j the label dist via row i.
func (s *sparseSolver[T]) relax(j int, dist T, i int) {
	if s.pos[j] == -2 || dist >= s.d[j] {
		return
	}
	if s.pos[j] == -1 {
		s.touched = append(s.touched, int32(j))
		s.d[j] = dist
		s.path[j] = int32(i)
		s.pos[j] = int32(len(s.heap))
		s.heap = append(s.heap, int32(j))
		s.up(len(s.heap) - 1)
		return
	}
	s.d[j] = dist
	s.path[j] = int32(i)
	s.up(int(s.pos[j]))
}

func (s *sparseSolver[T]) less(a, b int32) bool {
	da, db := s.d[a], s.d[b]
	if da != db {
		return da < db
	}
	// On ties prefer a free column: the search can stop sooner.
	return s.row4col[a] == -1 && s.row4col[b] != -1
}

func (s *sparseSolver[T]) up(k int) {
	h := s.heap
	x := h[k]
	for k > 0 {
		p := (k - 1) / 2
		if !s.less(x, h[p]) {
			break
		}
		h[k] = h[p]
		s.pos[h[k]] = int32(k)
		k = p
	}
	h[k] = x
	s.pos[x] = int32(k)
}

func (s *sparseSolver[T]) pop() int32 {
	h := s.heap
	top := h[0]
	last := h[len(h)-1]
	h = h[:len(h)-1]
	s.heap = h
	if len(h) > 0 {
		k := 0
		n := len(h)
		for {
			c := 2*k + 1
			if c >= n {
				break
			}
			if c+1 < n && s.less(h[c+1], h[c]) {
				c++
			}
			if !s.less(h[c], last) {
				break
			}
			h[k] = h[c]
			s.pos[h[k]] = int32(k)
			k = c
		}
		h[k] = last
		s.pos[last] = int32(k)
	}
	s.pos[top] = -2
	return top
}

func (s *sparseSolver[T]) scanRow(i int, base T) {
	g := s.g
	ui := s.u[i]
	for p := g.Start[i]; p < g.Start[i+1]; p++ {
		j := int(g.Col[p])
		s.relax(j, base+g.Cost[p]-ui-s.v[j], i)
	}
	dj := s.nc + i
	s.relax(dj, base+s.big-ui-s.v[dj], i)
}

// augment finds a shortest augmenting path from the free row cur, updates
// the duals and flips the path.
func (s *sparseSolver[T]) augment(cur int) {
	s.heap = s.heap[:0]
	s.touched = s.touched[:0]
	s.settled = s.settled[:0]
	s.scanRow(cur, 0)
	sink := -1
	var minVal T
	for len(s.heap) > 0 {
		j := s.pop()
		minVal = s.d[j]
		if s.row4col[j] == -1 {
			sink = int(j)
			break
		}
		s.settled = append(s.settled, j)
		s.scanRow(int(s.row4col[j]), minVal)
	}
	// The dummy column of cur is always reachable, so sink ≥ 0.
	s.u[cur] += minVal
	for _, j := range s.settled {
		delta := minVal - s.d[j]
		s.v[j] -= delta
		s.u[s.row4col[j]] += delta
	}
	j := int32(sink)
	for {
		i := s.path[j]
		s.row4col[j] = i
		s.col4row[i], j = j, s.col4row[i]
		if int(i) == cur {
			break
		}
	}
	INF := inf[T]()
	for _, j := range s.touched {
		s.d[j] = INF
		s.pos[j] = -1
	}
}
