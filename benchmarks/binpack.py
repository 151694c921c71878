"""Bin-packing benchmark of :func:`netplan.capacity.binpack.pack`: host counts against the optima.

Every instance of an ``instances.csv`` (BPPLIB 1-D ``.txt`` and VBP vector ``.vbp`` files, paths
relative to the CSV) is read with :func:`netplan.io.binpack_io.read_binpack_csv` and packed by
:func:`~netplan.capacity.binpack.pack` with a time limit per instance, two threads and seed 0.
Every packing is verified with :func:`~netplan.capacity.binpack.check_packing`; an infeasible one
stops the benchmark with its message and exit status 1.

One line is printed per instance: ``name bins lower_bound optimum seconds`` (the optimum from
the CSV, ``-`` when unknown; the lower bound is pack's proven one). The last line is always::

    optimal: X/Y, mean excess bins: Z

where Y counts the instances with an optimum in the CSV, X those packed into that many bins,
and Z is the mean of ``bins - optimum`` over the Y instances.

Usage
-----
From the repository root::

    python benchmarks/binpack.py INSTANCES_CSV [--only NAMES_FILE] --time-limit S

for example::

    python benchmarks/binpack.py ../shared/benchmarks/binpack/instances.csv --time-limit 10

``--only`` names a file with one instance name per line (blank lines and ``#`` comments are
skipped). This is a script, not a test: it exits with status 0 whatever the results.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from netplan.capacity.binpack import PackingViolation, check_packing, pack
from netplan.io.binpack_io import read_binpack_csv

THREADS = 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", type=Path, help="instances.csv")
    parser.add_argument("--only", type=Path, default=None,
                        help="file with one instance name per line")
    parser.add_argument("--time-limit", type=float, required=True, help="seconds per instance")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    only = None
    if args.only is not None:
        only = [ln.strip() for ln in args.only.read_text(encoding="utf-8").splitlines()
                if ln.strip() and not ln.strip().startswith("#")]
    instances = read_binpack_csv(args.instances, only=only)
    width = max((len(i.name) for i in instances), default=8)
    print(f"{'name':<{width}} bins lower_bound optimum seconds")
    n_known = n_opt = 0
    excess = 0
    for inst in instances:
        t0 = time.perf_counter()
        p = pack(inst.sizes, inst.capacity, time_limit_s=args.time_limit, seed=args.seed,
                 threads=THREADS)
        seconds = time.perf_counter() - t0
        try:
            check_packing(inst.sizes, inst.capacity, p)
        except PackingViolation as exc:
            print(f"INFEASIBLE packing of {inst.name}: {exc}", file=sys.stderr)
            return 1
        opt = "-" if inst.optimum is None else str(inst.optimum)
        print(f"{inst.name:<{width}} {p.n_bins:4d} {p.lower_bound:11d} {opt:>7} {seconds:7.2f}",
              flush=True)
        if inst.optimum is not None:
            n_known += 1
            n_opt += p.n_bins == inst.optimum
            excess += p.n_bins - inst.optimum
    mean = excess / n_known if n_known else float("nan")
    print(f"optimal: {n_opt}/{n_known}, mean excess bins: {mean:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
