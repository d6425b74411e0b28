package assign

import (
	"math"
)

// Forbidden marks a forbidden pair in an int64 cost matrix. In a float64
// matrix a forbidden pair is +Inf.
const Forbidden int64 = math.MaxInt64

// Dense solves the rectangular linear sum assignment problem for the rows×cols
// cost matrix held row-major in cost (len rows·cols): it assigns each row to
// at most one column and each column to at most one row, as many pairs as
// possible (all rows when rows ≤ cols and no forbidden pair stands in the
// way), and among those the assignment of least total cost. Forbidden pairs
// are +Inf (float64) or Forbidden (int64).
//
// The status is Optimal when min(rows, cols) pairs are assigned, Partial
// when forbidden pairs prevent that (see the package comment for how the
// result is still of maximum cardinality and least cost), BadInput for NaN,
// −Inf or a length mismatch, PossibleOverflow when int64 costs are too large.
// cost is not modified.
func Dense[T Cost](rows, cols int, cost []T) Result[T] {
	res := Result[T]{RowCol: fill(rows, -1), ColRow: fill(cols, -1)}
	if rows < 0 || cols < 0 || len(cost) != rows*cols {
		res.Status = BadInput
		return res
	}
	if rows == 0 || cols == 0 {
		res.Status = Optimal
		return res
	}
	k := min(rows, cols)
	mn, mx, nForbidden, ok := scan(cost)
	if !ok {
		res.Status = BadInput
		return res
	}
	if nForbidden == len(cost) {
		res.Status = Partial
		return res
	}
	big, ok := bigM(k, mn, mx)
	if !ok {
		res.Status = PossibleOverflow
		return res
	}
	transpose := rows > cols
	nr, nc := rows, cols
	if transpose {
		nr, nc = cols, rows
	}
	work := cost
	if transpose || nForbidden > 0 {
		work = make([]T, len(cost))
		for i := 0; i < rows; i++ {
			row := cost[i*cols : (i+1)*cols]
			for j, c := range row {
				if isForbidden(c) {
					c = big
				}
				if transpose {
					work[j*nc+i] = c
				} else {
					work[i*nc+j] = c
				}
			}
		}
	}
	col4row := make([]int32, nr)
	lsap(nr, nc, work, col4row)
	for r, c := range col4row {
		i, j := r, int(c)
		if transpose {
			i, j = j, r
		}
		if isForbidden(cost[i*cols+j]) {
			continue
		}
		res.RowCol[i] = j
		res.ColRow[j] = i
		res.Total += cost[i*cols+j]
		res.Assigned++
	}
	res.Status = Optimal
	if res.Assigned < k {
		res.Status = Partial
	}
	return res
}

func fill(n, v int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = v
	}
	return s
}

// isForbidden reports whether c marks a forbidden pair.
func isForbidden[T Cost](c T) bool {
	switch x := any(c).(type) {
	case float64:
		return math.IsInf(x, 1)
	case int64:
		return x == Forbidden
	}
	return false
}

// scan returns the least and greatest allowed cost and the number of
// forbidden pairs; ok is false on NaN or −Inf.
func scan[T Cost](cost []T) (mn, mx T, forbidden int, ok bool) {
	first := true
	switch cs := any(cost).(type) {
	case []float64:
		var lo, hi float64
		for _, c := range cs {
			if c != c || math.IsInf(c, -1) {
				return mn, mx, 0, false
			}
			if math.IsInf(c, 1) {
				forbidden++
				continue
			}
			if first {
				lo, hi, first = c, c, false
				continue
			}
			if c < lo {
				lo = c
			}
			if c > hi {
				hi = c
			}
		}
		return any(lo).(T), any(hi).(T), forbidden, true
	case []int64:
		var lo, hi int64
		for _, c := range cs {
			if c == Forbidden {
				forbidden++
				continue
			}
			if first {
				lo, hi, first = c, c, false
				continue
			}
			if c < lo {
				lo = c
			}
			if c > hi {
				hi = c
			}
		}
		return any(lo).(T), any(hi).(T), forbidden, true
	}
	return mn, mx, 0, false
}

// bigM returns the cost that stands for a forbidden pair or a dummy column
// (see the package comment) when k rows are to be assigned and allowed costs
// lie in [mn, mx]. ok is false when int64 arithmetic could overflow in the
// solve (sums of up to 2k+2 terms of size M must fit).
func bigM[T Cost](k int, mn, mx T) (T, bool) {
	fk := float64(k)
	fmn, fmx := float64(mn), float64(mx)
	m := fk*(fmx-fmn) + math.Abs(fmx) + 1
	switch any(mn).(type) {
	case int64:
		bound := (2*fk + 4) * (m + math.Abs(fmn) + math.Abs(fmx))
		if bound >= 1<<62 {
			return 0, false
		}
		im := int64(k)*(int64(mx)-int64(mn)) + absInt(int64(mx)) + 1
		return any(im).(T), true
	}
	return any(m).(T), true
}

func absInt(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// inf returns the value used as "unreached" in shortest-path labels.
func inf[T Cost]() T {
	var z T
	switch any(z).(type) {
	case float64:
		return any(math.Inf(1)).(T)
	}
	return any(int64(math.MaxInt64)).(T)
}

// lsap solves a complete nr×nc problem (nr ≤ nc, every cost finite) by
// shortest augmenting paths, writing the column of each row to col4row.
//
// Start (Jonker–Volgenant 1987): for a square problem, column reduction
// (v_j = min_i c_ij, each column's cheapest row takes it if free) and
// reduction transfer; then, for any shape, two passes of augmenting row
// reduction, which assigns each free row its cheapest column (reduced cost
// c_ij − v_j), lowering v of that column to the row's second-cheapest value
// and displacing the column's previous row. Throughout, each assigned row's
// column has the least reduced cost in its row, so u_i = c_i,x(i) − v_x(i)
// gives feasible duals (u_i + v_j ≤ c_ij) with assigned pairs tight; for a
// rectangular problem v starts at 0 and only falls on columns that stay
// assigned, which keeps v_j ≤ 0 on free columns as the rectangular dual
// requires. Then each free row is placed by a Dijkstra search over reduced
// costs c_ij − u_i − v_j for the shortest augmenting path (Crouse 2016,
// Alg. 4, as in SciPy), the duals are updated from the path lengths and the
// path is flipped.
func lsap[T Cost](nr, nc int, c []T, col4row []int32) {
	INF := inf[T]()
	u := make([]T, nr)
	v := make([]T, nc)
	spc := make([]T, nc)
	path := make([]int32, nc)
	row4col := make([]int32, nc)
	for j := range row4col {
		row4col[j] = -1
	}
	for i := range col4row {
		col4row[i] = -1
	}
	free := make([]int32, 0, nr)
	if nr == nc {
		free = columnReduction(nr, nc, c, v, col4row, row4col, free)
	} else {
		for i := 0; i < nr; i++ {
			free = append(free, int32(i))
		}
	}
	for pass := 0; pass < 2 && len(free) > 0; pass++ {
		free = rowReduction(nc, c, v, col4row, row4col, free)
	}
	for i := 0; i < nr; i++ {
		if j := col4row[i]; j >= 0 {
			u[i] = c[i*nc+int(j)] - v[j]
		}
	}
	scanned := make([]bool, nc)
	order := make([]int32, 0, nc) // columns scanned, in order
	for cur := 0; cur < nr; cur++ {
		if col4row[cur] != -1 {
			continue
		}
		for j := range spc {
			spc[j] = INF
		}
		order = order[:0]
		var minVal T
		i := cur
		sink := -1
		for sink == -1 {
			index := -1
			lowest := INF
			base := minVal - u[i]
			// Every column in memory order; scanned ones are skipped. The
			// reslices let the compiler drop the bounds checks.
			crow := c[i*nc : (i+1)*nc : (i+1)*nc]
			vv, ss, pp, rr, sc := v[:len(crow)], spc[:len(crow)], path[:len(crow)], row4col[:len(crow)], scanned[:len(crow)]
			i32 := int32(i)
			for j, x := range crow {
				if sc[j] {
					continue
				}
				r := base + x - vv[j]
				d := ss[j]
				if r < d {
					pp[j] = i32
					ss[j] = r
					d = r
				}
				if d < lowest || (d == lowest && rr[j] == -1) {
					lowest = d
					index = j
				}
			}
			minVal = lowest
			j := index
			scanned[j] = true
			order = append(order, int32(j))
			if row4col[j] == -1 {
				sink = j
			} else {
				i = int(row4col[j])
			}
		}
		// Dual update: every scanned column but the sink is matched; its row
		// was visited.
		u[cur] += minVal
		for _, jj := range order {
			j := int(jj)
			scanned[j] = false
			if j == sink {
				continue
			}
			delta := minVal - spc[j]
			v[j] -= delta
			u[row4col[j]] += delta
		}
		// Augment along the path.
		j := int32(sink)
		for {
			i := path[j]
			row4col[j] = i
			col4row[i], j = j, col4row[i]
			if int(i) == cur {
				break
			}
		}
	}
}

// columnReduction is the JV start for square problems: v_j = min_i c_ij, the
// cheapest row of each column takes it if still free, and rows that took
// exactly one column transfer their slack to it. It returns the free rows.
func columnReduction[T Cost](nr, nc int, c []T, v []T, col4row, row4col []int32, free []int32) []int32 {
	matches := make([]int32, nr)
	// Column minima by rows, so the matrix is read in memory order.
	arg := make([]int32, nc)
	copy(v, c[:nc])
	for i := 1; i < nr; i++ {
		row := c[i*nc : (i+1)*nc]
		vv := v[:len(row)]
		for j, x := range row {
			if x < vv[j] {
				vv[j] = x
				arg[j] = int32(i)
			}
		}
	}
	for j := nc - 1; j >= 0; j-- {
		i := arg[j]
		matches[i]++
		if matches[i] == 1 {
			col4row[i] = int32(j)
			row4col[j] = i
		}
	}
	for i := 0; i < nr; i++ {
		switch matches[i] {
		case 0:
			free = append(free, int32(i))
		case 1:
			j1 := int(col4row[i])
			row := c[i*nc : (i+1)*nc]
			first := true
			var mu T
			for j, x := range row {
				if j == j1 {
					continue
				}
				if h := x - v[j]; first || h < mu {
					mu, first = h, false
				}
			}
			if !first {
				v[j1] -= mu - (row[j1] - v[j1])
			}
		}
	}
	return free
}

// rowReduction is one pass of JV's augmenting row reduction over the free
// rows; it returns the rows still free. The number of reassignments is
// capped so that ties in floating point cannot make it spin.
func rowReduction[T Cost](nc int, c []T, v []T, col4row, row4col []int32, free []int32) []int32 {
	prev := append([]int32(nil), free...)
	free = free[:0]
	budget := 8*len(prev) + 16
	k := 0
	for k < len(prev) {
		i := int(prev[k])
		k++
		if budget--; budget < 0 {
			free = append(free, int32(i))
			continue
		}
		row := c[i*nc : (i+1)*nc]
		vv := v[:len(row)]
		umin, j1 := row[0]-vv[0], 0
		usub, j2 := inf[T](), -1
		for j := 1; j < len(row); j++ {
			h := row[j] - vv[j]
			if h < usub {
				if h >= umin {
					usub, j2 = h, j
				} else {
					usub, j2 = umin, j1
					umin, j1 = h, j
				}
			}
		}
		i0 := row4col[j1]
		if umin < usub {
			v[j1] -= usub - umin
		} else if i0 >= 0 && j2 >= 0 {
			j1 = j2
			i0 = row4col[j2]
		}
		col4row[i] = int32(j1)
		row4col[j1] = int32(i)
		if i0 >= 0 {
			col4row[i0] = -1
			if umin < usub {
				k--
				prev[k] = i0
			} else {
				free = append(free, i0)
			}
		}
	}
	return free
}
