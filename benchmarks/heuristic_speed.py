"""Speed of the heuristic scheduler (schedules per second) and its j30 makespans at a fixed cap.

Measured, in this order:

(a) **Meizhou**: the weekly migration project of :func:`netplan.examples.meizhou_2020`
    (about 175 activities, 11 renewable and 3 landing resources, horizon about 113 weeks,
    weighted-completion objective), one :class:`GeneticSearch` with seed 0 run to
    ``--meizhou-schedules`` schedule passes.
(b) **j30**: the first ``--j30-instances`` PSPLIB j30 instances (natural order ``j301_1``,
    ``j301_2``, ...), each searched to ``--j30-schedules`` passes with seed 0 (a search stops
    early when it meets the lower bound, so the count can be smaller).
(c) **synthetic 2,000**: :func:`netplan.migration.synthetic.synthetic_inventory` of 2,000
    systems (seed 0) on the scenario of ``benchmarks/migration_scale.py`` (1,500 move groups,
    104 weeks), run to ``--synthetic-schedules`` passes.

Each row gives the activities, the horizon, the passes, the seconds spent in ``run`` (the
construction of the search, which compiles the project and computes its bound, is timed
apart), schedules per wall-clock second and per CPU second of this process
(``time.process_time``, less disturbed by other jobs on the machine) and the best objective
found. A "schedule" is one serial or backward SGS pass, the unit of
:attr:`GeneticSearch.schedules`; the first 150 or so of a search also sample the initial
population's activity lists.

With ``--quality`` the script then runs the instances ``j301_1`` .. ``j3048_1`` (one per
parameter group) to 5,000 passes each with seed 0 and prints each makespan beside the
optimum, then how many are optimal and the sum of makespans; these must not get worse when
the scheduler is sped up (same seed and cap: the same search, so normally the same values).

With ``--reference FILE`` each row is followed by the same search with the
:class:`GeneticSearch` of ``FILE`` (another version of ``heuristic.py``, loaded as a module;
it imports ``netplan.migration.project`` from the installed package), so that a before/after
runs under the same load.

Usage
-----
From the repository root::

    python benchmarks/heuristic_speed.py             # (a)-(c), under a minute
    python benchmarks/heuristic_speed.py --quality   # plus the 48 j30 makespans
    git show 1f3d1e5:netplan/migration/solvers/heuristic.py > /tmp/heuristic_before.py
    python benchmarks/heuristic_speed.py --reference /tmp/heuristic_before.py \
        --synthetic-schedules 20      # against the single-integer SGS (slow on 2,000)

Notes
-----
A script, not a test: it prints tables and exits with status 0. Timings are wall-clock on
whatever the machine is doing at the time; on a shared machine they vary by tens of percent.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import sys
import time
from pathlib import Path

# benchmarks/psplib.py would shadow the ``psplib`` parser package netplan.io imports: drop this
# folder from sys.path (Python puts a script's folder first).
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

#: PSPLIB data (j30/*.sm and j30_opt.csv).
PSPLIB = Path(os.environ.get("NETPLAN_PSPLIB_DIR",
                             _HERE.parent.parent / "shared" / "benchmarks" / "psplib"))


def natural_key(path: Path) -> list:
    """Sort key that orders embedded numbers by value (``j302_1`` before ``j3010_1``)."""
    return [int(tok) if tok.isdigit() else tok for tok in re.split(r"(\d+)", path.stem)]


def meizhou_project():
    import netplan
    from netplan.io.inventory_io import read_inventory
    from netplan.migration.plan import build_migration_project

    scenario = netplan.examples.meizhou_2020()
    return build_migration_project(scenario, read_inventory(scenario.inventory.path)).project


def synthetic_project(n_systems: int):
    from netplan.migration.plan import build_migration_project
    from netplan.migration.synthetic import synthetic_inventory

    spec = importlib.util.spec_from_file_location("migration_scale",
                                                  _HERE / "migration_scale.py")
    scale = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scale)
    return build_migration_project(scale.scenario_for(n_systems),
                                   synthetic_inventory(n_systems, seed=0)).project


def load_reference(path: Path):
    """A heuristic module from a file (e.g. an older heuristic.py), for a before/after."""
    spec = importlib.util.spec_from_file_location("reference_heuristic", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def search(project, max_schedules: int, seed: int = 0, module=None):
    """``(setup_s, run_s, cpu_s, schedules, objective)`` of one search."""
    if module is None:
        from netplan.migration.solvers import heuristic as module
    GeneticSearch = module.GeneticSearch

    t0 = time.perf_counter()
    gs = GeneticSearch(project, seed=seed)
    t1 = time.perf_counter()
    c1 = time.process_time()
    gs.run(max_schedules=max_schedules)
    c2 = time.process_time()
    t2 = time.perf_counter()
    res = gs.result(t2 - t0)
    return t1 - t0, t2 - t1, c2 - c1, gs.schedules, res.objective


def row(label, n, horizon, setup_s, run_s, cpu_s, schedules, objective) -> None:
    rate = schedules / run_s if run_s > 0 else float("inf")
    cpu_rate = schedules / cpu_s if cpu_s > 0 else float("inf")
    obj = "-" if objective is None else f"{objective:g}"
    print(f"{label:<28} {n:>6} {horizon:>7} {schedules:>9} {setup_s:>8.2f} {run_s:>8.2f} "
          f"{rate:>9.0f} {cpu_rate:>9.0f} {obj:>10}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meizhou-schedules", type=int, default=3000)
    parser.add_argument("--j30-instances", type=int, default=20)
    parser.add_argument("--j30-schedules", type=int, default=5000)
    parser.add_argument("--synthetic-schedules", type=int, default=1000)
    parser.add_argument("--reference", type=Path, default=None,
                        help="also time the GeneticSearch of this file (an older "
                             "heuristic.py), right after each row")
    parser.add_argument("--quality", action="store_true",
                        help="also run j301_1 .. j3048_1 to 5,000 passes and list makespans")
    args = parser.parse_args(argv)

    from netplan.io import read_optima, read_psplib

    print(f"{'project':<28} {'acts':>6} {'horizon':>7} {'passes':>9} {'setup_s':>8} "
          f"{'run_s':>8} {'passes/s':>9} {'cpu/s':>9} {'objective':>10}")
    ref = load_reference(args.reference) if args.reference else None
    versions = [("", None)] + ([(" (reference)", ref)] if ref else [])

    p = meizhou_project()
    for tag, module in versions:
        row("Meizhou" + tag, p.n, p.horizon,
            *search(p, args.meizhou_schedules, module=module))

    files = sorted((PSPLIB / "j30").glob("*.sm"), key=natural_key)
    if not files:
        print(f"no PSPLIB j30 files under {PSPLIB}; set NETPLAN_PSPLIB_DIR")
    else:
        for tag, module in versions:
            tot = [0.0, 0.0, 0.0, 0]
            for path in files[:args.j30_instances]:
                q = read_psplib(path)
                for k, x in enumerate(search(q, args.j30_schedules, module=module)[:4]):
                    tot[k] += x
            row(f"j30 x{min(len(files), args.j30_instances)}{tag}", q.n, q.horizon, *tot, None)

    p = synthetic_project(2000)
    for tag, module in versions:
        row("synthetic 2,000" + tag, p.n, p.horizon,
            *search(p, args.synthetic_schedules, module=module))

    if args.quality and files:
        optima = read_optima(PSPLIB / "j30_opt.csv")
        print()
        print(f"{'instance':<10} {'makespan':>8} {'optimum':>8} {'passes':>7}")
        n_opt = total = 0
        for g in range(1, 49):
            name = f"j30{g}_1"
            *_, count, obj = search(read_psplib(PSPLIB / "j30" / f"{name}.sm"), 5000)
            n_opt += obj <= optima[name]
            total += obj
            print(f"{name:<10} {obj:>8g} {optima[name]:>8} {count:>7}", flush=True)
        print(f"optimal: {n_opt}/48, sum of makespans: {total:g} "
              f"(optima sum {sum(optima[f'j30{g}_1'] for g in range(1, 49))})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
