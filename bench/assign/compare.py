#!/usr/bin/python3
"""Time sufficiency's assignment solvers against SciPy on identical instances.

Run from the repository root with Debian's Python and SciPy:

    /usr/bin/python3 bench/assign/compare.py [--repeat 3] [--quick] [--json out.json]

For each instance the Go program (bench/assign) writes the random instance to
files; SciPy then solves those files and the Go solver solves the same files,
back to back, each best of --repeat runs. Only the solve call is timed on both
sides (not reading files or building the matrix), as wall time and as the
process's CPU time (which waiting for a CPU on a shared machine does not
inflate). The optimal totals must agree; the script exits 1 if any differs.
Output: a Markdown table.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

INSTANCES = [
    # name, kind, rows, cols, int costs, density
    ("dense float 1000x1000", "dense", 1000, 1000, False, 0),
    ("dense float 2000x2000", "dense", 2000, 2000, False, 0),
    ("dense float 3000x3000", "dense", 3000, 3000, False, 0),
    ("dense float 4000x4000", "dense", 4000, 4000, False, 0),
    ("dense float 5000x5000", "dense", 5000, 5000, False, 0),
    ("dense int 1000x1000", "dense", 1000, 1000, True, 0),
    ("dense int 3000x3000", "dense", 3000, 3000, True, 0),
    ("dense int 5000x5000", "dense", 5000, 5000, True, 0),
    ("rect float 2000x10000", "dense", 2000, 10000, False, 0),
    ("sparse 5% 2000x10000", "sparse", 2000, 10000, False, 0.05),
]

QUICK = {"dense float 1000x1000", "dense int 1000x1000", "rect float 2000x10000", "sparse 5% 2000x10000"}


def timed(fn, repeat):
    times, cpus, out = [], [], None
    for _ in range(repeat):
        c0 = time.process_time()
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    times.sort()
    return times[0], times[len(times) // 2], min(cpus), out


def scipy_solve(prefix, meta, repeat):
    if meta["kind"] == "dense":
        dtype = np.int64 if meta["int"] else np.float64
        c = np.fromfile(prefix + ".cost", dtype=dtype).reshape(meta["rows"], meta["cols"])

        def run():
            r, k = linear_sum_assignment(c)
            return float(c[r, k].sum()), len(r)
    else:
        rows = np.fromfile(prefix + ".row", dtype=np.int32)
        cols = np.fromfile(prefix + ".col", dtype=np.int32)
        cost = np.fromfile(prefix + ".cost", dtype=np.float64)
        m = csr_matrix((cost, (rows, cols)), shape=(meta["rows"], meta["cols"]))

        def run():
            r, k = min_weight_full_bipartite_matching(m)
            return float(np.asarray(m[r, k]).sum()), len(r)
    best, median, cpu, (total, assigned) = timed(run, repeat)
    return {"best": best, "median": median, "cpu_best": cpu, "total": total, "assigned": assigned}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="only the small instances")
    ap.add_argument("--json", help="also write the raw results here")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    work = tempfile.mkdtemp(prefix="assign-bench-")
    binary = os.path.join(work, "assign")
    subprocess.run(["go", "build", "-o", binary, "./bench/assign"], cwd=root, check=True)
    import scipy
    print(f"SciPy {scipy.__version__}, NumPy {np.__version__}, best of {args.repeat}; times in seconds\n")
    print("| instance | SciPy best | SciPy median | Go best | Go median | Go / SciPy (best) | SciPy CPU | Go CPU | Go / SciPy (CPU) | optimal total (both) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    results, bad = [], False
    for name, kind, rows, cols, is_int, density in INSTANCES:
        if args.quick and name not in QUICK:
            continue
        prefix = os.path.join(work, "inst")
        gen = [binary, "gen", "-out", prefix, "-kind", kind, "-rows", str(rows), "-cols", str(cols),
               "-seed", str(args.seed)]
        if is_int:
            gen.append("-int")
        if kind == "sparse":
            gen += ["-density", str(density)]
        subprocess.run(gen, check=True)
        with open(prefix + ".json") as f:
            meta = json.load(f)
        sp = scipy_solve(prefix, meta, args.repeat)
        out = subprocess.run([binary, "solve", "-in", prefix, "-repeat", str(args.repeat)],
                             check=True, capture_output=True, text=True).stdout
        go = json.loads(out)
        same = abs(go["total"] - sp["total"]) <= 1e-9 * max(1.0, abs(sp["total"])) and go["assigned"] == sp["assigned"]
        bad |= not same
        ratio = go["best"] / sp["best"]
        total = f"{sp['total']:.6f}" if same else f"DIFFER: SciPy {sp['total']!r} Go {go['total']!r}"
        cpu_ratio = go["cpu_best"] / sp["cpu_best"] if sp["cpu_best"] > 0 else float("nan")
        print(f"| {name} | {sp['best']:.4f} | {sp['median']:.4f} | {go['best']:.4f} | {go['median']:.4f} | "
              f"{ratio:.2f} | {sp['cpu_best']:.4f} | {go['cpu_best']:.4f} | {cpu_ratio:.2f} | {total} |", flush=True)
        results.append({"instance": name, "scipy": sp, "go": go, "same_total": same})
        for ext in (".json", ".cost", ".row", ".col"):
            if os.path.exists(prefix + ext):
                os.remove(prefix + ext)
    os.remove(binary)
    os.rmdir(work)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
