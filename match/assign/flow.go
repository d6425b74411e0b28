package assign

import "math"

// MinCostFlow is a min-cost flow problem on a directed graph with int64
// capacities and unit costs, solved by successive shortest paths: Dijkstra
// over reduced costs with node potentials (a Bellman–Ford start when some
// cost is negative), augmenting along each shortest path by its bottleneck.
// The API follows OR-Tools' SimpleMinCostFlow.
//
// Each augmentation keeps the flow of least cost for its value, so stopping
// when no augmenting path is left gives, among flows of maximum value, one of
// least cost.
type MinCostFlow struct {
	n      int
	supply []int64
	// arcs are stored in pairs: 2k is arc k, 2k+1 its reverse.
	head []int32
	tail []int32
	cap  []int64 // residual capacity
	cost []int64
	adj  [][]int32 // residual arcs leaving each node (including super nodes)

	status   Status
	total    int64
	flowSent int64
}

// NewMinCostFlow returns a problem on nodes 0..n−1 with no arcs.
func NewMinCostFlow(n int) *MinCostFlow {
	return &MinCostFlow{n: n, supply: make([]int64, n), adj: make([][]int32, n+2)}
}

// AddArc adds an arc from tail to head with the given capacity and unit cost
// and returns its index. Out-of-range nodes or a negative capacity make Solve
// return BadInput.
func (f *MinCostFlow) AddArc(tail, head int, capacity, unitCost int64) int {
	k := len(f.head) / 2
	f.tail = append(f.tail, int32(tail), int32(head))
	f.head = append(f.head, int32(head), int32(tail))
	f.cap = append(f.cap, capacity, 0)
	f.cost = append(f.cost, unitCost, -unitCost)
	if tail >= 0 && tail < f.n && head >= 0 && head < f.n {
		f.adj[tail] = append(f.adj[tail], int32(2*k))
		f.adj[head] = append(f.adj[head], int32(2*k+1))
	} else {
		f.status = BadInput
	}
	if capacity < 0 {
		f.status = BadInput
	}
	return k
}

// SetSupply sets the supply of a node (positive: flow leaves it; negative: a
// demand).
func (f *MinCostFlow) SetSupply(node int, supply int64) { f.supply[node] = supply }

// NumArcs returns the number of arcs added.
func (f *MinCostFlow) NumArcs() int { return len(f.head) / 2 }

// Flow returns the flow on arc k after a solve.
func (f *MinCostFlow) Flow(k int) int64 { return f.cap[2*k+1] }

// Tail and Head return the ends of arc k.
func (f *MinCostFlow) Tail(k int) int { return int(f.tail[2*k]) }

// Head returns the head of arc k.
func (f *MinCostFlow) Head(k int) int { return int(f.head[2*k]) }

// Capacity returns the capacity of arc k.
func (f *MinCostFlow) Capacity(k int) int64 { return f.cap[2*k] + f.cap[2*k+1] }

// UnitCost returns the unit cost of arc k.
func (f *MinCostFlow) UnitCost(k int) int64 { return f.cost[2*k] }

// OptimalCost returns the total cost of the flow found.
func (f *MinCostFlow) OptimalCost() int64 { return f.total }

// MaximumFlow returns the flow sent from supply nodes to demand nodes.
func (f *MinCostFlow) MaximumFlow() int64 { return f.flowSent }

// Solve sends every supply to the demands at least cost. It returns
// Unbalanced when supplies do not sum to zero, Infeasible when they cannot
// all be met (the flow found is then a maximum flow of least cost), Optimal
// otherwise.
func (f *MinCostFlow) Solve() Status {
	var sum int64
	for _, s := range f.supply {
		sum += s
	}
	if sum != 0 {
		return Unbalanced
	}
	st := f.SolveMaxFlowWithMinCost()
	if st == Partial {
		return Infeasible
	}
	return st
}

// SolveMaxFlowWithMinCost sends as much flow as possible from supply nodes to
// demand nodes and, among flows of that value, one of least cost. Status is
// Optimal when every supply (or every demand) is met, Partial otherwise.
func (f *MinCostFlow) SolveMaxFlowWithMinCost() Status {
	if f.status == BadInput {
		return BadInput
	}
	// Reset any previous flow.
	for k := 0; k < len(f.cap); k += 2 {
		f.cap[k] += f.cap[k+1]
		f.cap[k+1] = 0
	}
	f.total, f.flowSent = 0, 0
	src, snk := f.n, f.n+1
	f.adj[src], f.adj[snk] = f.adj[src][:0], f.adj[snk][:0]
	nUser := len(f.head)
	var want, demand int64
	var maxAbs float64
	for k := 0; k < nUser; k += 2 {
		maxAbs = math.Max(maxAbs, math.Abs(float64(f.cost[k])))
	}
	var capSum float64
	for v, s := range f.supply {
		if s > 0 {
			f.addSuper(src, v, s)
			want += s
			capSum += float64(s)
		} else if s < 0 {
			f.addSuper(v, snk, -s)
			demand += -s
		}
	}
	defer f.dropSuper(nUser)
	if maxAbs*float64(f.n+2)*(capSum+1) >= 1<<62 {
		return PossibleOverflow
	}
	N := f.n + 2
	pot := make([]int64, N)
	if f.hasNegative() {
		if !f.bellmanFord(src, pot) {
			return BadInput // a negative cycle
		}
	}
	dist := make([]int64, N)
	prev := make([]int32, N)
	done := make([]bool, N)
	h := &nodeHeap{pos: make([]int32, N), key: dist}
	const INF = math.MaxInt64
	for {
		for v := range dist {
			dist[v] = INF
			prev[v] = -1
			done[v] = false
			h.pos[v] = -1
		}
		h.items = h.items[:0]
		dist[src] = 0
		h.push(int32(src))
		for len(h.items) > 0 {
			u := h.pop()
			done[u] = true
			if int(u) == snk {
				break
			}
			du := dist[u]
			for _, a := range f.adj[u] {
				if f.cap[a] <= 0 {
					continue
				}
				w := f.head[a]
				if done[w] {
					continue
				}
				nd := du + f.cost[a] + pot[u] - pot[w]
				if nd < dist[w] {
					dist[w] = nd
					prev[w] = a
					h.update(w)
				}
			}
		}
		if dist[snk] == INF {
			break
		}
		dt := dist[snk]
		for v := range pot {
			if done[v] {
				pot[v] += dist[v]
			} else {
				pot[v] += dt
			}
		}
		// Bottleneck.
		b := int64(math.MaxInt64)
		for v := snk; v != src; v = int(f.tail[prev[v]]) {
			b = min(b, f.cap[prev[v]])
		}
		for v := snk; v != src; v = int(f.tail[prev[v]]) {
			a := prev[v]
			f.cap[a] -= b
			f.cap[a^1] += b
		}
		f.flowSent += b
	}
	for k := 0; k < nUser; k += 2 {
		f.total += f.cap[k+1] * f.cost[k]
	}
	if f.flowSent == want || f.flowSent == demand {
		return Optimal
	}
	return Partial
}

func (f *MinCostFlow) hasNegative() bool {
	for k := 0; k < len(f.cost); k += 2 {
		if f.cost[k] < 0 {
			return true
		}
	}
	return false
}

// bellmanFord sets pot to shortest distances over arcs with residual
// capacity from a virtual node joined to every node at cost 0, so every
// residual arc has a non-negative reduced cost; false on a negative cycle.
func (f *MinCostFlow) bellmanFord(_ int, pot []int64) bool {
	for v := range pot {
		pot[v] = 0
	}
	N := len(pot)
	for it := 0; it <= N; it++ {
		changed := false
		for a := range f.head {
			if f.cap[a] <= 0 {
				continue
			}
			u, w := f.tail[a], f.head[a]
			if nd := pot[u] + f.cost[a]; nd < pot[w] {
				pot[w] = nd
				changed = true
			}
		}
		if !changed {
			return true
		}
	}
	return false
}

func (f *MinCostFlow) addSuper(tail, head int, c int64) {
	k := len(f.head)
	f.tail = append(f.tail, int32(tail), int32(head))
	f.head = append(f.head, int32(head), int32(tail))
	f.cap = append(f.cap, c, 0)
	f.cost = append(f.cost, 0, 0)
	f.adj[tail] = append(f.adj[tail], int32(k))
	f.adj[head] = append(f.adj[head], int32(k+1))
}

// dropSuper removes the super source and sink arcs added by a solve.
func (f *MinCostFlow) dropSuper(nUser int) {
	for v := 0; v < f.n; v++ {
		a := f.adj[v]
		w := a[:0]
		for _, x := range a {
			if int(x) < nUser {
				w = append(w, x)
			}
		}
		f.adj[v] = w
	}
	f.adj[f.n], f.adj[f.n+1] = nil, nil
	f.tail, f.head, f.cap, f.cost = f.tail[:nUser], f.head[:nUser], f.cap[:nUser], f.cost[:nUser]
}

// nodeHeap is an indexed binary min-heap of nodes keyed by key[node].
type nodeHeap struct {
	items []int32
	pos   []int32
	key   []int64
}

func (h *nodeHeap) push(v int32) {
	h.pos[v] = int32(len(h.items))
	h.items = append(h.items, v)
	h.up(len(h.items) - 1)
}

func (h *nodeHeap) update(v int32) {
	if h.pos[v] < 0 {
		h.push(v)
		return
	}
	h.up(int(h.pos[v]))
}

func (h *nodeHeap) up(k int) {
	x := h.items[k]
	for k > 0 {
		p := (k - 1) / 2
		if h.key[h.items[p]] <= h.key[x] {
			break
		}
		h.items[k] = h.items[p]
		h.pos[h.items[k]] = int32(k)
		k = p
	}
	h.items[k] = x
	h.pos[x] = int32(k)
}

func (h *nodeHeap) pop() int32 {
	top := h.items[0]
	last := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	n := len(h.items)
	if n > 0 {
		k := 0
		for {
			c := 2*k + 1
			if c >= n {
				break
			}
			if c+1 < n && h.key[h.items[c+1]] < h.key[h.items[c]] {
				c++
			}
			if h.key[h.items[c]] >= h.key[last] {
				break
			}
			h.items[k] = h.items[c]
			h.pos[h.items[k]] = int32(k)
			k = c
		}
		h.items[k] = last
		h.pos[last] = int32(k)
	}
	h.pos[top] = -3
	return top
}
