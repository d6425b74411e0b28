// Package assign solves the assignment problems of regional placement
// allocation: which child goes to which place, so that as many children as
// possible are placed and, among all such assignments, the total cost is
// least.
//
// Three solvers, written here without dependencies:
//
//   - Dense: rectangular linear sum assignment by shortest augmenting paths
//     (the Jonker–Volgenant family, in the form of Crouse 2016 used by SciPy's
//     linear_sum_assignment), started by JV's column reduction, reduction
//     transfer and augmenting row reduction, on a flat row-major cost matrix
//     of float64 or int64.
//   - Sparse: the same method over an arc list (eligible pairs only), with a
//     heap-based Dijkstra in the style of LAPJVsp; the sparse counterpart of
//     SciPy's min_weight_full_bipartite_matching.
//   - MinCostFlow: successive shortest paths with Dijkstra and node
//     potentials, for capacities (several places per home), in the manner of
//     OR-Tools' SimpleMinCostFlow.
//
// # Maximum cardinality, then minimum cost
//
// A forbidden pair (+Inf for float64 costs, Forbidden for int64 costs, or an
// absent arc) may make a complete assignment impossible. The solvers then
// return an assignment of maximum cardinality and, among those, of least total
// cost, with Status Partial. They do so with a "big M": each forbidden pair
// (Dense) or a private dummy column per row (Sparse) costs
//
//	M = k·(max − min) + |max| + 1
//
// where k is the number of rows to assign and max, min are the largest and
// smallest allowed costs. The padded problem always has a complete
// assignment. If assignment A uses a more big-M pairs than assignment B, then
// with a > b
//
//	cost(A) ≥ a·M + (k−a)·min   and   cost(B) ≤ b·M + (k−b)·max,
//
// so cost(A) − cost(B) ≥ (a−b)·M − (k−b−1)·(max−min) − max > 0 because
// M > k·(max−min) + max. The padded optimum therefore uses as few big-M pairs
// as possible, i.e. it places the maximum number of rows on allowed pairs (a
// matching of the allowed pairs extends to a complete padded assignment), and
// among those it has the least allowed cost. Pairs assigned at big-M are
// reported as unassigned. With int64 costs the arithmetic is exact; the
// solvers return PossibleOverflow instead of risking an overflow. With
// float64 costs, M is exact for the comparisons above but rounding of sums of
// size M can hide cost differences smaller than about M·1e-16.
package assign

import "fmt"

// Cost is the type of a cost: float64, or int64 (e.g. pence per week or
// thousandths of a mile) for exact sums.
type Cost interface{ float64 | int64 }

// Status is the outcome of a solve, after OR-Tools' statuses.
type Status int

// Statuses.
const (
	// NotSolved: Solve has not been called, or stopped on bad input.
	NotSolved Status = iota
	// Optimal: every row of the smaller side is assigned (every supply met,
	// for flows) and the total cost is least.
	Optimal
	// Partial: a complete assignment does not exist; the result assigns as
	// many rows as possible (sends as much flow as possible) and, among such
	// results, has the least total cost.
	Partial
	// Infeasible: the flow problem's supplies cannot all be met (MinCostFlow.Solve).
	Infeasible
	// Unbalanced: supplies and demands of a flow problem do not sum to zero.
	Unbalanced
	// BadInput: a cost is NaN or −Inf, or the dimensions do not match.
	BadInput
	// PossibleOverflow: int64 costs are too large for exact arithmetic.
	PossibleOverflow
)

// String returns the status name.
func (s Status) String() string {
	switch s {
	case NotSolved:
		return "NotSolved"
	case Optimal:
		return "Optimal"
	case Partial:
		return "Partial"
	case Infeasible:
		return "Infeasible"
	case Unbalanced:
		return "Unbalanced"
	case BadInput:
		return "BadInput"
	case PossibleOverflow:
		return "PossibleOverflow"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Result is an assignment of rows to columns.
type Result[T Cost] struct {
	Status   Status
	RowCol   []int // column assigned to each row, −1 when unassigned
	ColRow   []int // row assigned to each column, −1 when unassigned
	Total    T     // total cost of the assigned pairs
	Assigned int   // number of assigned pairs
}
