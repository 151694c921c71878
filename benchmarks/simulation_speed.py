"""Speed benchmark of the traffic simulation: the flow engine beside bare SimPy, and Meizhou.

Measured, in this order:

(a) **FlowEngine, one link at ρ = 0.8**: Poisson arrivals, exponential sizes (mean 4 Mbit on
    10 Mbps), driven by a SimPy source process that yields ``env.timeout`` between arrivals
    and calls ``FlowEngine.start``; flows per wall second (arrival to last completion).
(a2) **FlowEngine, general path, same queue**: the same flows, each also crossing a private
    dummy link of 10 Gbps (taken from a pool, given back at its end; never a bottleneck), so
    every flow is its own path class and each arrival and departure re-fills all the classes
    on the shared link: progressive filling over ``E[N] + 1/2`` = 4.5 classes per event on
    average at ρ = 0.8 instead of one (``classes/alloc``, counted by the engine). The same
    theory holds (``tests/simulation/test_engine.py`` and ``benchmarks/mm1_ps.py``), so the
    mean sojourn is again 2 s. Floor: (a2)/(b) ≥ 10 %.
(b) **Bare SimPy M/M/1 at ρ = 0.8**: a ``simpy.Resource`` of capacity 1 and one process per
    customer (request, service timeout, release), fed by the same kind of source process;
    customers per wall second. This is the cheapest way to write the same queue in SimPy,
    so (a)/(b) says what the flow-level machinery (max-min sharing, path classes, virtual
    clocks, the completion heap) costs over plain SimPy. Floor: (a)/(b) ≥ 30 %.
(c) **Bare SimPy timeout loop**: one process yielding ``env.timeout(1)`` in a loop; events per
    wall second, the ceiling of anything built on SimPy.
(d) **Meizhou busy hour**: :func:`netplan.simulation.simulate.simulate_traffic` on
    :func:`netplan.examples.meizhou_2020` for 3600 s, normally and with one carrier (电信)
    down from the start (``Fault(carrier="电信")``), with the systems on the cloud the
    scenario's ``simulation.systems_on_cloud`` names (``systems_on_cloud(scenario)``, resolved
    outside the timing, as the CLI does). Each case runs in a fresh spawned process
    (``multiprocessing``) that times the call (``TrafficResult.stats["wall_s"]``, which covers
    drawing the traffic, the run and the result table; the topology is built beforehand and
    not timed) and reads its own peak resident set size afterwards
    (``resource.getrusage(RUSAGE_SELF).ru_maxrss``), so each case's memory is its own.
    Floor: wall time < 120 s each.

(a), (a2) and (b) also print their mean sojourn times beside the M/M/1 value ``1/(μC − λ)`` = 2 s,
as a check that both ran the same queue.

Usage
-----
From the repository root::

    python benchmarks/simulation_speed.py            # full: Meizhou 3600 s, ~1.5 min in all
    python benchmarks/simulation_speed.py --quick    # smoke test: fewer flows, Meizhou 600 s

Notes
-----
A script, not a test: it prints tables and exits with status 0 whatever the floors say.
Peak RSS is in MiB (``ru_maxrss`` is KiB on Linux).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import platform
import resource
import sys
import time
from pathlib import Path

# benchmarks/psplib.py would shadow the ``psplib`` parser package netplan.io imports: drop this
# folder from sys.path (Python puts a script's folder first).
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

RHO = 0.8
CAPACITY_MBPS = 10.0
MEAN_MBIT = 4.0
FLOOR_RATIO = 0.30
FLOOR_RATIO_GENERAL = 0.10
FLOOR_MEIZHOU_S = 120.0
CARRIER = "电信"


def _peak_mib() -> float:
    """Peak RSS of this process so far, in MiB (``ru_maxrss`` is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _draws(n: int, seed: int):
    import numpy as np

    lam = RHO * CAPACITY_MBPS / MEAN_MBIT
    rng = np.random.default_rng(seed)
    return rng.exponential(1.0 / lam, n).tolist(), rng.exponential(MEAN_MBIT, n).tolist()


def flow_engine_mm1(n: int, seed: int, general: bool = False) -> dict:
    """(a) FlowEngine on one link at ρ = 0.8, a SimPy source process calling ``start``.

    With ``general``, (a2): each flow's path is ``(dummy, 0)`` with a dummy link of its own.
    """
    import simpy

    from netplan.simulation.engine import FlowEngine

    gaps, sizes = _draws(n, seed)
    pool = 4096
    env = simpy.Environment()
    eng = FlowEngine(env, [CAPACITY_MBPS] + [1000.0 * CAPACITY_MBPS] * (pool if general else 0))
    total = [0.0]
    free = list(range(pool, 0, -1))
    held: dict[int, int] = {}

    def done(flow, t):
        total[0] += t - flow.start_s

    def done_general(flow, t):
        total[0] += t - flow.start_s
        free.append(held.pop(flow.flow_id))

    def source():
        for i in range(n):
            yield env.timeout(gaps[i])
            eng.start(i, (0,), sizes[i], on_done=done)

    def source_general():
        for i in range(n):
            yield env.timeout(gaps[i])
            d = held[i] = free.pop()
            eng.start(i, (d, 0), sizes[i], on_done=done_general)

    env.process(source_general() if general else source())
    t0 = time.perf_counter()
    env.run()
    wall = time.perf_counter() - t0
    assert eng.stats["finished"] == n
    case = ("(a2) FlowEngine general path, private dummy link per flow, rho 0.8" if general
            else "(a) FlowEngine fast path, 1 link, rho 0.8")
    return {"case": case, "unit": "flows", "count": n, "wall_s": wall, "per_s": n / wall,
            "mean_sojourn_s": total[0] / n,
            "classes/alloc": eng.stats["reallocated"] / eng.stats["allocations"]}


def simpy_resource_mm1(n: int, seed: int) -> dict:
    """(b) The same queue in bare SimPy: a Resource and one process per customer (FIFO)."""
    import simpy

    gaps, sizes = _draws(n, seed)
    env = simpy.Environment()
    server = simpy.Resource(env, capacity=1)
    total = [0.0]

    def customer(service_s):
        arrived = env.now
        with server.request() as req:
            yield req
            yield env.timeout(service_s)
        total[0] += env.now - arrived

    def source():
        for i in range(n):
            yield env.timeout(gaps[i])
            env.process(customer(sizes[i] / CAPACITY_MBPS))

    env.process(source())
    t0 = time.perf_counter()
    env.run()
    wall = time.perf_counter() - t0
    return {"case": "(b) SimPy Resource M/M/1, rho 0.8", "unit": "customers", "count": n,
            "wall_s": wall, "per_s": n / wall, "mean_sojourn_s": total[0] / n}


def simpy_timeouts(n: int) -> dict:
    """(c) One SimPy process yielding ``n`` timeouts."""
    import simpy

    env = simpy.Environment()

    def loop():
        for _ in range(n):
            yield env.timeout(1.0)

    env.process(loop())
    t0 = time.perf_counter()
    env.run()
    wall = time.perf_counter() - t0
    return {"case": "(c) SimPy timeout loop", "unit": "events", "count": n, "wall_s": wall,
            "per_s": n / wall, "mean_sojourn_s": float("nan")}


def meizhou(case: str, duration_s: float) -> dict:
    """(d) One Meizhou case; meant to run in a fresh process (see :func:`run_isolated`)."""
    row: dict = {"case": case, "start_rss_MiB": _peak_mib()}
    from netplan.examples import meizhou_2020
    from netplan.io.cloud_systems_io import systems_on_cloud
    from netplan.model.scenario import Fault
    from netplan.simulation.simulate import simulate_traffic
    from netplan.topology import build_topology

    scenario = meizhou_2020()
    topo = build_topology(scenario)
    row["setup_rss_MiB"] = _peak_mib()
    faults = [Fault(carrier=CARRIER)] if case != "normal" else []
    systems = systems_on_cloud(scenario)  # the scenario's setting, as the CLI resolves it
    r = simulate_traffic(scenario, topo, faults=faults, duration_s=duration_s, case=case,
                         systems=systems)
    st = r.stats
    status = r.flows.loc[r.flows["measured"], "status"].value_counts()
    row.update({
        "duration_s": duration_s, "wall_s": st["wall_s"], "peak_rss_MiB": _peak_mib(),
        "flows": st["flows"], "started": st["started"], "finished": st["finished"],
        "measured": st["measured"], "done": int(status.get("done", 0)),
        "unreachable": int(status.get("unreachable", 0)),
        "dropped": int(status.get("dropped", 0)),
        "unfinished": int(status.get("unfinished", 0)),
        "allocations": st["allocations"], "simulated_s": st["simulated_s"],
    })
    row["flows_per_s"] = row["started"] / row["wall_s"]
    return row


def run_isolated(case: str, duration_s: float) -> dict:
    """Run :func:`meizhou` in a fresh spawned process."""
    ctx = mp.get_context("spawn")
    with ctx.Pool(processes=1, maxtasksperchild=1) as pool:
        return pool.apply(meizhou, (case, duration_s))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="smoke test: 50k flows in (a)/(b), 1M events in (c), Meizhou 600 s")
    ap.add_argument("--flows", type=int, default=None,
                    help="flows in (a) and customers in (b) (default 300k, --quick 50k); "
                         "(a2) runs a third of them")
    ap.add_argument("--duration", type=float, default=None,
                    help="Meizhou simulated seconds (default 3600, --quick 600)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    n = args.flows or (50_000 if args.quick else 300_000)
    n_general = n // 3  # the general path is slower: about as long a run
    n_events = 1_000_000 if args.quick else 3_000_000
    duration = args.duration or (600.0 if args.quick else 3600.0)

    # Meizhou first, in fresh processes, before this process imports anything heavy
    cases = []
    for case in ("normal", f"{CARRIER} down"):
        print(f"Meizhou {case}, {duration:g} s ...", file=sys.stderr, flush=True)
        cases.append(run_isolated(case, duration))

    print(f"engine vs SimPy: {n:,} flows/customers ({n_general:,} on the general path), "
          f"{n_events:,} timeouts ...", file=sys.stderr, flush=True)
    rows = [flow_engine_mm1(n, args.seed), flow_engine_mm1(n_general, args.seed, general=True),
            simpy_resource_mm1(n, args.seed), simpy_timeouts(n_events)]

    import pandas as pd

    print(f"netplan simulation speed — Python {platform.python_version()}, "
          f"{platform.machine()}, {mp.cpu_count()} CPUs{', --quick' if args.quick else ''}")
    print()
    print("engine vs bare SimPy (M/M/1: C = 10 Mbps, mean 4 Mbit, rho 0.8; "
          "analytic mean sojourn 1/(μC−λ) = 2 s):")
    df = pd.DataFrame(rows).set_index("case")
    print(df.to_string(formatters={"count": "{:,}".format, "wall_s": "{:.2f}".format,
                                   "per_s": "{:,.0f}".format,
                                   "mean_sojourn_s": "{:.3f}".format,
                                   "classes/alloc": "{:.2f}".format}, na_rep=""))
    ratio = rows[0]["per_s"] / rows[2]["per_s"]
    ratio_general = rows[1]["per_s"] / rows[2]["per_s"]
    print()
    print(f"  (a)/(b) = {ratio:.0%} and (a2)/(b) = {ratio_general:.0%} of bare SimPy's "
          f"customers/s; (a2)/(a) = {rows[1]['per_s'] / rows[0]['per_s']:.0%}; FlowEngine "
          f"fast-path flows/s = {rows[0]['per_s'] / rows[3]['per_s']:.1%} of SimPy timeouts/s")

    print()
    print(f"Meizhou busy hour, simulate_traffic(meizhou_2020(), duration_s={duration:g}); one "
          "spawned process per case; wall_s = stats['wall_s']; peak RSS = ru_maxrss of that "
          "process (MiB):")
    mz = pd.DataFrame(cases).set_index("case")
    cols = ["duration_s", "wall_s", "peak_rss_MiB", "flows", "started", "finished",
            "flows_per_s", "measured", "done", "unreachable", "dropped", "unfinished",
            "allocations", "setup_rss_MiB"]
    print(mz[cols].to_string(formatters={
        "duration_s": "{:g}".format, "wall_s": "{:.1f}".format,
        "peak_rss_MiB": "{:.0f}".format, "setup_rss_MiB": "{:.0f}".format,
        "flows_per_s": "{:,.0f}".format}))

    print()
    print("floors:")
    checks = [(f"(a)/(b) {ratio:.0%} >= {FLOOR_RATIO:.0%}", ratio >= FLOOR_RATIO),
              (f"(a2)/(b) {ratio_general:.0%} >= {FLOOR_RATIO_GENERAL:.0%}",
               ratio_general >= FLOOR_RATIO_GENERAL)]
    for case, r in mz.iterrows():
        checks.append((f"Meizhou {case} ({r['duration_s']:g} s simulated): wall "
                       f"{r['wall_s']:.1f} s < {FLOOR_MEIZHOU_S:g} s",
                       r["wall_s"] < FLOOR_MEIZHOU_S))
    for text, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
