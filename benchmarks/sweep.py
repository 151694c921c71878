"""Sweep benchmark: the 100-variant Meizhou sweep on a local Dask cluster against a plain loop.

The grid is the bundled ``meizhou-2020-sweep.yaml`` (demand growth 5 values × migration teams
4 × a third axis of 5 values = 100 variants, stages migration + capacity), run twice on the
bundled Meizhou scenario: on a ``distributed.LocalCluster`` of ``--workers`` single-threaded
processes, then synchronously in this process. The two tables (wall-clock columns left out)
must be identical: the benchmark says whether they are and, if not, which cells differ.

Cuts (the default, ``--cut``): one Meizhou variant takes 14 s with the scenario's own settings
(MILP scheduler about 8 s, capacity about 6 s) and 20-30 s when the upgrade budget binds (the
budgeted knapsack), too long to run 2 × 100 of them here. So the benchmark grid

- schedules with the deterministic heuristic, ``migration.backend: heuristic`` and
  ``migration.max_schedules: 3000`` (about 2 s; the MILP's 8 s otherwise), and
- sweeps ``capacity.ceiling_pct.normal`` (50-90%) instead of ``capacity.budget`` as the third
  axis (no budgeted knapsack).

``--full`` runs the bundled grid as it is (budget axis, MILP; about 4 × longer).

Usage
-----
From the repository root::

    python benchmarks/sweep.py [--workers 2] [--full] [--limit N] [--out DIR]

One table is printed: per scheduler, variants, wall seconds, seconds per variant, the
speed-up over the loop, failed variants; then whether the two tables are identical. Exit
status 0 whatever the speed; 1 when the tables differ.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace

from netplan.examples import scenario_path
from netplan.sweep import read_grid, run_sweep
from netplan.sweep.grid import SweepGrid

#: The benchmark's cuts (see the module docstring).
CUT_FIXED = {"migration.backend": ["heuristic"], "migration.max_schedules": [3000]}
CUT_THIRD_AXIS = ("capacity.budget", "capacity.ceiling_pct.normal", [50, 60, 70, 80, 90])


def benchmark_grid(full: bool, limit: int | None) -> SweepGrid:
    """The bundled grid, cut unless ``full``; only its first ``limit`` variants if given."""
    grid = read_grid(scenario_path("meizhou-2020-sweep"))
    if not full:
        old, new, values = CUT_THIRD_AXIS
        axes = {(new if k == old else k): (values if k == old else v)
                for k, v in grid.grid.items()}
        grid = replace(grid, name=grid.name + " (cut)", grid={**axes, **CUT_FIXED})
    if limit is not None:
        keep = [v.params | ({"seed": v.seed} if v.seed is not None else {})
                for v in grid.expand()[:limit]]
        grid = replace(grid, grid={}, variants=keep, seeds=())
    return grid


def _differences(a, b) -> list[str]:
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return [f"columns or rows differ: {list(a.columns)} / {list(b.columns)}, "
                f"{len(a)} / {len(b)} rows"]
    out = []
    for col in a.columns:
        x, y = a[col], b[col]
        same = (x == y) | (x.isna() & y.isna())
        for i in (~same).to_numpy().nonzero()[0]:
            out.append(f"{a['variant'].iloc[i]} {col}: {x.iloc[i]!r} / {y.iloc[i]!r}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="local cluster workers (2)")
    parser.add_argument("--full", action="store_true", help="the bundled grid, no cuts")
    parser.add_argument("--limit", type=int, help="only the first N variants")
    parser.add_argument("--out", help="also write the cluster's table and the trade-off plots "
                        "here (as netplan sweep does)")
    args = parser.parse_args(argv)
    grid = benchmark_grid(args.full, args.limit)
    path = scenario_path("meizhou-2020")
    n = len(grid.expand())
    print(f"grid {grid.name!r}: {n} variants, stages {', '.join(grid.stages)}; axes "
          + ", ".join(f"{k} {v}" for k, v in grid.grid.items()), flush=True)
    results = {}
    for label, kw in ((f"LocalCluster({args.workers})", {"workers": args.workers}),
                      ("synchronous", {"scheduler": "sync"})):
        t0 = time.perf_counter()
        results[label] = run_sweep(path, grid, progress=False, **kw)
        print(f"  {label}: {time.perf_counter() - t0:.1f} s", flush=True)
    loop = results["synchronous"].seconds
    print()
    print(f"{'scheduler':<18} {'variants':>8} {'wall s':>9} {'s/variant':>10} "
          f"{'speed-up':>9} {'failed':>7}")
    for label, r in results.items():
        print(f"{label:<18} {len(r.rows):>8} {r.seconds:>9.1f} {r.seconds / len(r.rows):>10.2f} "
              f"{loop / r.seconds:>9.2f} {len(r.failed):>7}")
    frames = [r.to_frame(wall_clock=False) for r in results.values()]
    diff = _differences(*frames)
    print()
    for label, r in results.items():
        task = [row["seconds"] for row in r.rows]
        cpu = [row["cpu_seconds"] for row in r.rows]
        print(f"{label}: one variant: wall s mean {sum(task) / len(task):.2f} (max "
              f"{max(task):.2f}), CPU s mean {sum(cpu) / len(cpu):.2f}")
    print("tables identical: " + ("yes" if not diff else f"NO, {len(diff)} cells differ"))
    if args.out:
        from pathlib import Path

        from netplan.sweep.cli import write_sweep

        Path(args.out).mkdir(parents=True, exist_ok=True)
        written = write_sweep(results[f"LocalCluster({args.workers})"], Path(args.out))
        print("wrote " + ", ".join(str(w) for w in written))
    for line in diff[:20]:
        print(f"  {line}")
    for r in results.values():
        for row in r.rows:
            if row.get("error"):
                print(f"  failed {row['variant']}: {row['error']}")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
