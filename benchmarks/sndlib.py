"""SNDlib benchmark of the network-dimensioning MILP: cost, bound and status per instance.

Every network directory ``DIR`` holds ``DIR/<name>.txt`` (the native-format network, ``name``
the directory's name) and ``DIR/models/<MODEL>.txt``. Each network is read with
:func:`netplan.io.sndlib.read_sndlib` under each requested model and dimensioned by
:func:`netplan.capacity.dimensioning.dimension` with the time limit (building the model
included) and two threads. Every plan is verified with
:func:`netplan.capacity.dimensioning.check_dimensioning`; a violation stops the benchmark with
its message and a non-zero exit status. A directory without the model file is skipped with a
printed note.

One line is printed per instance: ``name model objective bound status seconds``, and the last
line is always::

    instances: Y, proven optimal: X, mean gap: Z%

where Y counts the instances dimensioned, X those proven optimal, and Z is the mean of
``(objective - bound) / objective`` over the instances with a plan and a bound (a note names
instances without either).

Usage
-----
From the repository root::

    python benchmarks/sndlib.py NETWORK_DIR... --model MODEL --time-limit S

for example::

    python benchmarks/sndlib.py ../shared/benchmarks/sndlib/* \\
        --model U-U-M-N-C-A-N-N,D-B-M-N-C-A-N-N --time-limit 60

``--model`` may be given several times or as a comma-separated list, and ``all`` stands for
every model file a directory has.

Notes
-----
This is a script, not a test: it prints a table and exits with status 0 whatever the results
(status 1 only for a plan that breaks its problem's constraints).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# This file is named sndlib.py, and Python puts its folder first on sys.path, where it would
# shadow any ``sndlib`` module. Drop that entry, as benchmarks/psplib.py does.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

from netplan.capacity.dimensioning import (  # noqa: E402
    DimensioningProblem,
    DimensioningViolation,
    check_dimensioning,
    dimension,
)
from netplan.errors import ScenarioError  # noqa: E402
from netplan.io.sndlib import read_sndlib  # noqa: E402

THREADS = 2


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.10g}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("networks", type=Path, nargs="+", help="SNDlib network directories")
    parser.add_argument("--model", action="append", required=True,
                        help="model string(s), e.g. U-U-M-N-C-A-N-N; repeatable, "
                             "comma-separated, or 'all'")
    parser.add_argument("--time-limit", type=float, required=True,
                        help="seconds per instance, building included")
    args = parser.parse_args(argv)
    models = [m.strip() for group in args.model for m in group.split(",") if m.strip()]

    print(f"# {len(args.networks)} networks, models {', '.join(models)}, "
          f"{args.time_limit:g} s each, {THREADS} threads")
    print(f"{'name':<15} {'model':<16} {'objective':>14} {'bound':>14} {'status':<12} "
          f"{'seconds':>8}")
    n, n_opt, gaps, no_gap = 0, 0, [], []
    for directory in args.networks:
        name = directory.name
        network = directory / f"{name}.txt"
        wanted = models
        if "all" in models:
            wanted = sorted(p.stem for p in (directory / "models").glob("*.txt"))
        for model in wanted:
            model_file = directory / "models" / f"{model}.txt"
            if not network.is_file() or not model_file.is_file():
                missing = network if not network.is_file() else model_file
                print(f"# skipped {name} {model}: no {missing}")
                continue
            instance = read_sndlib(network, model_file)
            try:
                problem = DimensioningProblem.from_sndlib(instance)
            except ScenarioError as exc:
                print(f"# skipped {name} {model}: {exc}".replace("\n", " "))
                continue
            result = dimension(problem, time_limit_s=args.time_limit, threads=THREADS)
            try:
                check_dimensioning(problem, result)
            except DimensioningViolation as exc:
                sys.stdout.flush()
                raise SystemExit(f"PLAN VIOLATION on {name} {model}: {exc}") from exc
            n += 1
            n_opt += result.status.value == "optimal"
            if result.gap is None:
                no_gap.append(f"{name} {model}")
            else:
                gaps.append(result.gap)
            print(f"{name:<15} {model:<16} {_fmt(result.objective):>14} "
                  f"{_fmt(result.bound):>14} {result.status.value:<12} "
                  f"{result.seconds:>8.1f}", flush=True)
    if no_gap:
        print(f"# no gap (no plan or no bound): {', '.join(no_gap)}")
    mean = 100 * sum(gaps) / len(gaps) if gaps else 0.0
    print(f"instances: {n}, proven optimal: {n_opt}, mean gap: {mean:.2f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
