"""Accuracy benchmark of the flow engine: M/M/1 processor sharing against queueing theory.

One link of capacity ``C`` = 10 Mbps carries flows arriving as a Poisson process of rate ``λ``
with exponentially distributed sizes of mean ``S`` = 4 Mbit (``μ = 1/S`` per Mbit, so the link
serves ``μC`` = 2.5 flows/s); :class:`netplan.simulation.engine.FlowEngine` shares the link
equally among the flows present, which is processor sharing. For ρ = λ/(μC) in 0.5, 0.8 and
0.95 the script compares the simulated mean flow completion (sojourn) time with the analytic

    E[T] = 1 / (μC − λ) = S / (C − λS)

(M/M/1-PS has the same mean as M/M/1-FIFO: the number in system has the same geometric law,
Little's law gives the mean; Kleinrock, *Queueing Systems* vol. 2, §4.4), i.e. 0.8 s, 2 s and
8 s.

The first 2 % of the flows (in arrival order) are a warm-up and left out; arrivals stop after
``n`` flows and the run goes on until all have finished, so no measured flow is cut off. The
95 % confidence interval is from batch means: 25 consecutive batches, Student t with 24
degrees of freedom (``tests/simulation/_stats.py``, shared with the tests).

A row PASSes when the mean is within 2 % of E[T] (5 % at ρ = 0.95) *and* the interval contains
E[T]. The mean of correlated sojourn times is noisy: its relative variance is close to the
M/M/1 asymptotic ``2 (1 + ρ) / ((1 − ρ)^2 n)`` (measured over 20 seeds at 0.5 and 0.8), a
standard error of 0.41 %, 0.66 % and 1.6 % at the default sizes 500k, 2M and 6M: the tolerance
is 4.8, 3.0 and 3.1 standard errors. The interval itself misses E[T] in about 1 run of 20 by
design.

Beside it (not in PASS/FAIL), the FIFO queue on the same arrivals and sizes is computed in
closed form (Lindley's recursion, no simulator): ``cv_rel_err_%`` = (PS mean − FIFO mean) /
E[T] is a control-variate estimate of the engine's error, some 3 (ρ = 0.5) to 10 (ρ = 0.8)
times less noisy than the plain one, since both disciplines see the same workload and busy
periods.

Usage
-----
From the repository root::

    python benchmarks/mm1_ps.py                     # 0.5: 500k, 0.8: 2M, 0.95: 6M flows
    python benchmarks/mm1_ps.py --flows 200000 --rho 0.5 0.8
    python benchmarks/mm1_ps.py --seed 7

Notes
-----
A script, not a test: it prints tables and exits with status 0 whatever the rows say. The
default run simulates 8.5M flows, a few minutes at about 40k flows per second.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

# benchmarks/psplib.py would shadow the ``psplib`` parser package netplan.io imports: drop this
# folder from sys.path (Python puts a script's folder first); the repository root goes in for
# the shared ``tests.simulation._stats``.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.append(str(_HERE.parent))

CAPACITY_MBPS = 10.0
MEAN_MBIT = 4.0
DEFAULT_FLOWS = {0.5: 500_000, 0.8: 2_000_000, 0.95: 6_000_000}
TOLERANCE = {0.5: 0.02, 0.8: 0.02, 0.95: 0.05}
WARMUP = 0.02
BATCHES = 25


def simulate(rho: float, n: int, seed: int, chunk: int = 100_000) -> tuple:
    """Sojourn times of ``n`` flows on one link at load ``rho``, their draws, and the wall time.

    Interarrival times and sizes are drawn in chunks as the source goes (Python lists of
    millions of floats would dominate the memory); the wall time includes those draws.
    """
    import numpy as np
    import simpy

    from netplan.simulation.engine import FlowEngine

    lam = rho * CAPACITY_MBPS / MEAN_MBIT
    rng = np.random.default_rng(seed)
    gaps = np.empty(n)
    sizes = np.empty(n)
    env = simpy.Environment()
    eng = FlowEngine(env, [CAPACITY_MBPS])
    start = np.empty(n)
    end = np.full(n, np.nan)

    def done(flow, t):
        end[flow.flow_id] = t

    def source():
        for c0 in range(0, n, chunk):
            c1 = min(n, c0 + chunk)
            gaps[c0:c1] = rng.exponential(1.0 / lam, c1 - c0)
            sizes[c0:c1] = rng.exponential(MEAN_MBIT, c1 - c0)
            for i, gap, size in zip(range(c0, c1), gaps[c0:c1].tolist(),
                                    sizes[c0:c1].tolist(), strict=True):
                yield env.timeout(gap)
                start[i] = env.now
                eng.start(i, (0,), size, on_done=done)

    env.process(source())
    t0 = time.perf_counter()
    env.run()
    wall = time.perf_counter() - t0
    if eng.flows or np.isnan(end).any():
        raise RuntimeError(f"rho={rho}: {len(eng.flows)} flows never finished")
    return end - start, gaps, sizes, wall


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rho", type=float, nargs="+", default=list(DEFAULT_FLOWS),
                    help="loads (default: %(default)s)")
    ap.add_argument("--flows", type=int, default=None,
                    help="flows per load (default: 500k, 2M, 6M for 0.5, 0.8, 0.95)")
    ap.add_argument("--seed", type=int, default=2020)
    args = ap.parse_args(argv)

    import pandas as pd

    from tests.simulation._stats import batch_means_ci, fifo_sojourn

    rows = []
    for rho in args.rho:
        n = args.flows or DEFAULT_FLOWS.get(rho, 1_000_000)
        print(f"rho={rho:g}: {n:,} flows ...", file=sys.stderr, flush=True)
        lam = rho * CAPACITY_MBPS / MEAN_MBIT
        expected = 1.0 / (CAPACITY_MBPS / MEAN_MBIT - lam)  # 1 / (μC − λ)
        fct, gaps, sizes, wall = simulate(rho, n, args.seed)
        warm = int(WARMUP * n)
        x = fct[warm:]
        mean = float(x.mean())
        fifo = float(fifo_sojourn(gaps, sizes / CAPACITY_MBPS)[warm:].mean())
        _, lo, hi = batch_means_ci(x, batches=BATCHES)
        tol = TOLERANCE.get(rho, 0.05 if rho > 0.9 else 0.02)
        rel = (mean - expected) / expected
        within = abs(rel) <= tol
        covers = lo <= expected <= hi
        rows.append({
            "rho": rho, "lambda_per_s": lam, "flows": n, "measured": len(x),
            "E[T]_s": expected, "mean_s": mean, "rel_err_%": 100 * rel,
            "ci95_low_s": lo, "ci95_high_s": hi, "ci_half_%": 100 * (hi - lo) / 2 / expected,
            "tol_%": 100 * tol, "within_tol": within, "ci_covers": covers,
            "result": "PASS" if within and covers else "FAIL",
            "fifo_rel_err_%": 100 * (fifo - expected) / expected,
            "cv_rel_err_%": 100 * (mean - fifo) / expected,
            "wall_s": wall, "flows_per_s": n / wall,
        })

    df = pd.DataFrame(rows).set_index("rho")
    fmt = {"lambda_per_s": "{:.3f}".format, "E[T]_s": "{:.4f}".format,
           "mean_s": "{:.4f}".format, "rel_err_%": "{:+.3f}".format,
           "ci95_low_s": "{:.4f}".format, "ci95_high_s": "{:.4f}".format,
           "ci_half_%": "{:.2f}".format, "tol_%": "{:g}".format, "wall_s": "{:.1f}".format,
           "fifo_rel_err_%": "{:+.3f}".format, "cv_rel_err_%": "{:+.3f}".format,
           "flows_per_s": "{:,.0f}".format, "flows": "{:,}".format, "measured": "{:,}".format}
    main_cols = ["flows", "E[T]_s", "mean_s", "rel_err_%", "ci95_low_s", "ci95_high_s",
                 "ci_half_%", "tol_%", "result", "wall_s", "flows_per_s"]
    detail_cols = ["lambda_per_s", "measured", "within_tol", "ci_covers", "fifo_rel_err_%",
                   "cv_rel_err_%"]
    print(f"M/M/1-PS accuracy of FlowEngine — C = {CAPACITY_MBPS:g} Mbps, mean size "
          f"{MEAN_MBIT:g} Mbit, seed {args.seed}, warm-up {WARMUP:.0%}, {BATCHES} batch means; "
          f"Python {platform.python_version()}")
    print()
    print(df[main_cols].to_string(formatters=fmt))
    print()
    print("details (measured: flows after the warm-up; fifo_rel_err_%: FIFO mean of the same "
          "flows vs E[T]; cv_rel_err_%: (PS mean - FIFO mean) / E[T], the control-variate "
          "error):")
    print(df[detail_cols].to_string(formatters=fmt))
    print()
    for rho, r in df.iterrows():
        print(f"  {r['result']}  rho={rho:g}: mean {r['mean_s']:.4f} s vs 1/(μC−λ) = "
              f"{r['E[T]_s']:.4f} s ({r['rel_err_%']:+.2f} %, tolerance {r['tol_%']:g} %), "
              f"95 % CI [{r['ci95_low_s']:.4f}, {r['ci95_high_s']:.4f}] "
              f"{'contains' if r['ci_covers'] else 'misses'} it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
