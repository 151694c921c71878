"""PSPLIB benchmark of the migration scheduler: makespans against the known optima.

Every ``.sm`` file in a directory (natural order: ``j301_1``, ``j301_2``, ..., ``j301_10``,
``j302_1``, ..., ``j3010_1``, ...) is read with :func:`netplan.io.read_psplib` and scheduled by
:func:`netplan.migration.solve.solve` with the chosen backend, a time limit per instance and
two threads (``threads=2``, seed 0). Every schedule is verified with
:func:`netplan.migration.project.check_schedule`; a violation stops the benchmark with the
violation's message and a non-zero exit status.

One line is printed per instance: the instance, its number of jobs (including the dummy source
and sink), the makespan found, the optimum from the CSV, the gap ``(makespan - optimum) /
optimum`` in %, the solve status and the wall time of the ``solve`` call in seconds. The last
line is always::

    optimal: X/Y, mean gap: Z%

where Y counts the instances that have an optimum in the CSV, X those among them scheduled at
the optimum (makespan <= the CSV value, which for a CSV of proven optima means equal), and Z is
the mean gap over the Y instances. Instances missing from the CSV are scheduled and listed but
left out of X, Y and Z (a note names how many). An instance for which the backend found no
schedule counts in Y, not in X, and is left out of Z (a note names them).

Usage
-----
From the repository root::

    python benchmarks/psplib.py DIR --optima CSV --time-limit S [--backend NAME] [--limit N]

for example::

    python benchmarks/psplib.py ../shared/benchmarks/psplib/j30 \\
        --optima ../shared/benchmarks/psplib/j30_opt.csv --time-limit 2 --backend cpsat

``--backend`` is one of :data:`netplan.migration.solve.BACKENDS` (default ``milp``; ``pulp``
is its old name); ``--limit N`` runs only the first N instances.

Notes
-----
This is a script, not a test: it prints a table and exits with status 0 whatever the results
(status 1 only for a schedule that breaks its project's constraints). The CSV has the header
``instance,makespan``; the instance name is the ``.sm`` file stem.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

# This file is itself named psplib.py, and Python puts its folder first on sys.path, where it
# would shadow the ``psplib`` parser package that netplan.io imports. Drop that entry.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

from netplan.io import read_optima, read_psplib  # noqa: E402
from netplan.migration.project import ScheduleViolation, check_schedule  # noqa: E402
from netplan.migration.solve import BACKENDS, solve  # noqa: E402

THREADS = 2


def natural_key(path: Path) -> list:
    """Sort key that orders embedded numbers by value (``j302_1`` before ``j3010_1``)."""
    return [int(tok) if tok.isdigit() else tok for tok in re.split(r"(\d+)", path.stem)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path, help="folder of PSPLIB .sm files")
    parser.add_argument("--optima", type=Path, required=True,
                        help="CSV with columns instance,makespan")
    parser.add_argument("--time-limit", type=float, required=True,
                        help="seconds per instance")
    parser.add_argument("--backend", default="milp", choices=BACKENDS)
    parser.add_argument("--limit", type=int, default=None, help="run only the first N instances")
    args = parser.parse_args(argv)

    files = sorted(args.directory.glob("*.sm"), key=natural_key)
    if args.limit is not None:
        files = files[:args.limit]
    if not files:
        parser.error(f"no .sm files in {args.directory}")
    optima = read_optima(args.optima)

    print(f"# {len(files)} instances from {args.directory}, backend {args.backend}, "
          f"{args.time_limit:g} s each, {THREADS} threads")
    print(f"{'instance':<12} {'jobs':>5} {'makespan':>9} {'optimum':>8} {'gap%':>7} "
          f"{'status':<12} {'seconds':>8}")
    n_opt, n_with, gaps = 0, 0, []
    no_optimum, no_schedule = [], []
    for path in files:
        project = read_psplib(path)
        t0 = time.perf_counter()
        sched = solve(project, backend=args.backend, time_limit_s=args.time_limit,
                      threads=THREADS, seed=0)
        seconds = time.perf_counter() - t0
        name = path.stem
        opt = optima.get(name)
        makespan = None
        if sched.starts is not None:
            try:
                check_schedule(project, sched.starts)
            except ScheduleViolation as exc:
                sys.stdout.flush()
                raise SystemExit(f"SCHEDULE VIOLATION on {name} by {sched.backend}: {exc}") from exc
            makespan = int((sched.starts + project.durations).max(initial=0))
        gap_text = "-"
        if opt is None:
            no_optimum.append(name)
        else:
            n_with += 1
            if makespan is None:
                no_schedule.append(name)
            else:
                gap = (makespan - opt) / opt if opt else 0.0
                gaps.append(gap)
                gap_text = f"{100 * gap:.2f}"
                n_opt += makespan <= opt
        print(f"{name:<12} {project.n:>5} {'-' if makespan is None else makespan:>9} "
              f"{'-' if opt is None else opt:>8} {gap_text:>7} {sched.status.value:<12} "
              f"{seconds:>8.2f}", flush=True)

    if no_optimum:
        print(f"note: {len(no_optimum)} instances have no optimum in {args.optima.name} and are "
              f"left out of the summary: {', '.join(no_optimum[:10])}"
              f"{', ...' if len(no_optimum) > 10 else ''}")
    if no_schedule:
        print(f"note: no schedule found for {len(no_schedule)} instances (counted as not "
              f"optimal, left out of the mean gap): {', '.join(no_schedule[:10])}"
              f"{', ...' if len(no_schedule) > 10 else ''}")
    mean_gap = 100 * sum(gaps) / len(gaps) if gaps else 0.0
    print(f"optimal: {n_opt}/{n_with}, mean gap: {mean_gap:.2f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
