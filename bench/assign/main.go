// Command assign is the Go half of the solver comparison with SciPy: it writes
// random assignment instances to files and times sufficiency's solvers on
// them. compare.py drives it and times SciPy on the very same files, back to
// back; see README.md.
//
//	assign gen   -out PREFIX -kind dense|sparse -rows N -cols M [-int] [-density 0.05] [-seed S]
//	assign solve -in PREFIX [-repeat 3]
//
// gen writes PREFIX.json (shape and kind) and the data: dense instances as
// PREFIX.cost (row-major little-endian float64 or int64), sparse ones as
// PREFIX.row, PREFIX.col (int32) and PREFIX.cost (float64), arcs sorted by
// row then column. solve prints one JSON line with the best and median
// solve time in seconds (wall clock), the best CPU time of the process
// during a solve, the optimal total and the number of pairs assigned.
package main

import (
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"sort"
	"time"

	"sufficiency/match/assign"
)

// meta describes an instance on disk.
type meta struct {
	Kind    string  `json:"kind"` // dense or sparse
	Rows    int     `json:"rows"`
	Cols    int     `json:"cols"`
	Int     bool    `json:"int"` // dense int64 costs in [0, 1e6)
	Density float64 `json:"density,omitempty"`
	Seed    uint64  `json:"seed"`
	Arcs    int     `json:"arcs,omitempty"`
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: assign gen|solve [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(os.Args[2:])
	case "solve":
		err = solve(os.Args[2:])
	default:
		err = fmt.Errorf("unknown subcommand %q; use gen or solve", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "assign:", err)
		os.Exit(1)
	}
}

func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	out := fs.String("out", "", "path prefix of the files to write")
	kind := fs.String("kind", "dense", "dense or sparse")
	rows := fs.Int("rows", 1000, "rows (children)")
	cols := fs.Int("cols", 1000, "columns (places)")
	isInt := fs.Bool("int", false, "dense: int64 costs uniform on [0, 1e6) instead of float64 on [0, 1)")
	density := fs.Float64("density", 0.05, "sparse: share of pairs that are arcs")
	seed := fs.Uint64("seed", 1, "random seed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("gen: -out is required")
	}
	m := meta{Kind: *kind, Rows: *rows, Cols: *cols, Int: *isInt, Seed: *seed}
	r := rand.New(rand.NewPCG(*seed, 0x5eed))
	switch *kind {
	case "dense":
		f, err := os.Create(*out + ".cost")
		if err != nil {
			return err
		}
		buf := make([]byte, 8**cols)
		for i := 0; i < *rows; i++ {
			for j := 0; j < *cols; j++ {
				var u uint64
				if *isInt {
					u = uint64(r.Int64N(1_000_000))
				} else {
					u = floatBits(r.Float64())
				}
				binary.LittleEndian.PutUint64(buf[8*j:], u)
			}
			if _, err := f.Write(buf); err != nil {
				f.Close()
				return err
			}
		}
		if err := f.Close(); err != nil {
			return err
		}
	case "sparse":
		m.Density = *density
		var rowB, colB, costB []byte
		for i := 0; i < *rows; i++ {
			for j := 0; j < *cols; j++ {
				if r.Float64() >= *density {
					continue
				}
				rowB = binary.LittleEndian.AppendUint32(rowB, uint32(i))
				colB = binary.LittleEndian.AppendUint32(colB, uint32(j))
				// Costs in (0, 1]: SciPy's sparse matching needs no explicit zeros.
				costB = binary.LittleEndian.AppendUint64(costB, floatBits(1-r.Float64()))
				m.Arcs++
			}
		}
		for ext, b := range map[string][]byte{".row": rowB, ".col": colB, ".cost": costB} {
			if err := os.WriteFile(*out+ext, b, 0o644); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("gen: -kind %q: use dense or sparse", *kind)
	}
	b, _ := json.Marshal(m)
	return os.WriteFile(*out+".json", b, 0o644)
}

func solve(args []string) error {
	fs := flag.NewFlagSet("solve", flag.ContinueOnError)
	in := fs.String("in", "", "path prefix written by gen")
	repeat := fs.Int("repeat", 3, "timed repetitions")
	if err := fs.Parse(args); err != nil {
		return err
	}
	b, err := os.ReadFile(*in + ".json")
	if err != nil {
		return err
	}
	var m meta
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	raw, err := os.ReadFile(*in + ".cost")
	if err != nil {
		return err
	}
	var run func() (float64, int, assign.Status)
	switch {
	case m.Kind == "dense" && m.Int:
		c := make([]int64, len(raw)/8)
		for k := range c {
			c[k] = int64(binary.LittleEndian.Uint64(raw[8*k:]))
		}
		run = func() (float64, int, assign.Status) {
			res := assign.Dense(m.Rows, m.Cols, c)
			return float64(res.Total), res.Assigned, res.Status
		}
	case m.Kind == "dense":
		c := make([]float64, len(raw)/8)
		for k := range c {
			c[k] = floatFrom(binary.LittleEndian.Uint64(raw[8*k:]))
		}
		run = func() (float64, int, assign.Status) {
			res := assign.Dense(m.Rows, m.Cols, c)
			return res.Total, res.Assigned, res.Status
		}
	case m.Kind == "sparse":
		rowB, err := os.ReadFile(*in + ".row")
		if err != nil {
			return err
		}
		colB, err := os.ReadFile(*in + ".col")
		if err != nil {
			return err
		}
		g := &assign.Graph[float64]{Rows: m.Rows, Cols: m.Cols, Start: make([]int, m.Rows+1),
			Col: make([]int32, m.Arcs), Cost: make([]float64, m.Arcs)}
		for k := 0; k < m.Arcs; k++ {
			row := int(binary.LittleEndian.Uint32(rowB[4*k:]))
			g.Start[row+1]++
			g.Col[k] = int32(binary.LittleEndian.Uint32(colB[4*k:]))
			g.Cost[k] = floatFrom(binary.LittleEndian.Uint64(raw[8*k:]))
		}
		for i := 0; i < m.Rows; i++ {
			g.Start[i+1] += g.Start[i]
		}
		run = func() (float64, int, assign.Status) {
			res := assign.Sparse(g)
			return res.Total, res.Assigned, res.Status
		}
	default:
		return fmt.Errorf("solve: unknown kind %q", m.Kind)
	}
	var times, cpus []float64
	var total float64
	var assigned int
	var status assign.Status
	for k := 0; k < *repeat; k++ {
		c0 := processCPU()
		t0 := time.Now()
		total, assigned, status = run()
		times = append(times, time.Since(t0).Seconds())
		cpus = append(cpus, (processCPU() - c0).Seconds())
	}
	sort.Float64s(times)
	sort.Float64s(cpus)
	out, _ := json.Marshal(map[string]any{
		"best": times[0], "median": times[len(times)/2], "cpu_best": cpus[0], "total": total,
		"assigned": assigned, "status": status.String(),
	})
	fmt.Println(string(out))
	return nil
}
