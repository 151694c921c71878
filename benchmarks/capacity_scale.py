"""Scale benchmark of the capacity pipeline: topology, link loads, compliance and upgrades.

For each scenario (``meizhou`` = ``meizhou-2020``, ``province`` = ``guangdong-2020``,
``national`` = ``national-synthetic``; all three by default) a fresh Python process
(``multiprocessing``, spawn context) measures, in order:

1. ``load``: reading the scenario file (:func:`netplan.examples.load_example`);
2. ``build``: :func:`netplan.topology.build_topology`;
3. ``loads``: :func:`netplan.capacity.loads.link_loads` — Meizhou and the province with
   ``single_links=True`` (normal, each carrier down, each single-line failure), the national
   scenario with ``single_links=False`` (normal and each carrier down);
4. ``compliance``: :func:`netplan.capacity.compliance.check_compliance` on those loads;
5. ``upgrade``: :func:`netplan.capacity.upgrade.plan_upgrades` (Meizhou and the province
   only) with ``loads=`` the loads of step 3 (the planning loads derived from them, as
   :func:`netplan.capacity.plan_capacity` does). The guangdong scenario has no capacity
   catalogue: it is given Meizhou's ``capacity`` section (for every step) with the dedicated
   networks dropped (they name Meizhou's counties);
6. ``bare``: a bare ``scipy.sparse`` aggregation of the same demands over the same routes, in
   the normal and carrier-down states: per state a :class:`~netplan.topology.routing.Router`,
   per destination its :meth:`~netplan.topology.routing.Router.dag`, from it the explicit
   site→arc path-incidence matrix ``M`` (``M[a, s]``: share of site ``s``'s traffic on arc
   ``a``, summed over the hops of the DAG with sparse products) and ``M @ demand``. The
   demand matrices (the same as ``link_loads``'s, from its private ``_demand``) are built
   before the clock starts; the time of building them is printed apart (``demand``). The
   bare loads are checked against ``link_loads``'s (``max |diff|`` in Mbps).

Each step has its wall time (``time.perf_counter``) and ``peak_MB``: how much the step raised
the process's peak resident set size (``resource.getrusage(RUSAGE_SELF).ru_maxrss`` after the
step minus before it, in MiB). That is not tracemalloc: a step that stays under an earlier
step's peak shows 0; ``rss_MB`` is the process's peak RSS after the step (absolute).

Floors (each printed as a PASS/FAIL line):

- province end to end (load + build + loads + compliance + upgrade) under 30 s;
- national loads + compliance (normal and every single-carrier failure) under 20 s and under
  4 GiB of peak RSS, and ``loads_s / bare_s`` under 3.

Usage
-----
From the repository root::

    python benchmarks/capacity_scale.py
    python benchmarks/capacity_scale.py --only meizhou,province

Notes
-----
This is a script, not a test: it prints a table and exits with status 0 whatever the floors
say. The parent process imports neither netplan nor pandas before the children have run, so a
child does not start from a large parent's footprint. Timings on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import platform
import resource
import sys
import time

SCENARIOS = {"meizhou": "meizhou-2020", "province": "guangdong-2020",
             "national": "national-synthetic"}
FLOOR_PROVINCE_S = 30.0
FLOOR_NATIONAL_S = 20.0
FLOOR_NATIONAL_MIB = 4096.0
FLOOR_RATIO = 3.0


def _peak_mib() -> float:
    """Peak RSS of this process so far, in MiB (``ru_maxrss`` is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _incidence(dag, n_nodes: int):
    """The arc × node path-incidence matrix of one route DAG (shares of each source's traffic)."""
    import numpy as np
    from scipy.sparse import csr_array

    k = len(dag.tail)
    rows = np.arange(k)
    pick = csr_array((dag.share, (rows, dag.tail)), shape=(k, n_nodes))  # node -> DAG arc
    head = csr_array((np.ones(k), (dag.head, rows)), shape=(n_nodes, k))  # DAG arc -> node
    to_arc = csr_array((np.ones(k), (dag.arc, rows)), shape=(dag.n_arcs, k))
    alive = np.isfinite(dag.distance_ms).astype(float)
    diag = np.arange(n_nodes)
    at = csr_array((alive, (diag, diag)), shape=(n_nodes, n_nodes))  # cut-off sources drop
    total = csr_array((k, n_nodes))
    for _ in range(dag.depth):
        flow = pick @ at
        if flow.nnz == 0:
            break
        total = total + flow
        at = head @ flow
    return to_arc @ total


def bare_loads(scenario, topology, years):
    """Normal and carrier-down arc loads by explicit path-incidence matrices.

    Returns ``(loads, demand_s, routes_s, aggregate_s)``: loads of shape (states, years,
    trunks, 2) as :attr:`LinkLoads.loads_mbps`; the seconds of building the demand (not part
    of the bare time), of routing (``Router`` and its DAGs) and of the incidence matrices and
    products.
    """
    import numpy as np

    from netplan.capacity.loads import _demand, failure_states
    from netplan.topology.routing import Router, Trunks

    t = time.perf_counter()
    trunks = Trunks.of(topology)
    demand = _demand(scenario, topology, years, {}, scenario.capacity.dedicated_networks)
    demand_s = time.perf_counter() - t
    Y, T, n = len(years), trunks.n_trunks, topology.n_nodes
    states = failure_states(topology)
    out = np.zeros((len(states), Y, T, 2))
    routes_s = aggregate_s = 0.0
    for i, s in enumerate(states):
        t = time.perf_counter()
        router = Router(trunks, s.link_up)
        routes_s += time.perf_counter() - t
        for key, mat in zip(demand.keys, demand.matrices, strict=True):
            if isinstance(key, str) and len(router._dest[key]) == 0:
                continue
            t = time.perf_counter()
            dag = router.dag(key if isinstance(key, str) else np.array([key]))
            t2 = time.perf_counter()
            routes_s += t2 - t
            arcs = _incidence(dag, n) @ mat  # (2T, columns): column 2k up, 2k+1 down
            # uploads travel the DAG's arcs, downloads the reverse arcs (a ^ 1)
            down = arcs[:, 1::2].reshape(T, 2, -1)[:, ::-1, :].reshape(2 * T, -1)
            per = (arcs[:, 0::2] + down).reshape(T, 2, -1)
            out[i] += per[..., :Y].transpose(2, 0, 1) + per[..., Y:].transpose(2, 0, 1)
            aggregate_s += time.perf_counter() - t2
    return out, demand_s, routes_s, aggregate_s


def measure(key: str) -> dict:
    """Measure one scenario; meant to run in a fresh process (see :func:`run_isolated`)."""
    name = SCENARIOS[key]
    steps: list[dict] = []
    info: dict = {"scenario": key}

    def step(label, fn):
        before = _peak_mib()
        t = time.perf_counter()
        out = fn()
        sec = time.perf_counter() - t
        after = _peak_mib()
        steps.append({"scenario": key, "step": label, "seconds": sec,
                      "peak_MB": after - before, "rss_MB": after})
        print(f"  {key} {label}: {sec:.3f} s, peak RSS {after:.0f} MiB", file=sys.stderr,
              flush=True)  # progress, so a long step's predecessors are known
        return out

    import numpy as np

    import netplan
    from netplan.capacity.compliance import check_compliance
    from netplan.capacity.loads import link_loads
    from netplan.capacity.upgrade import plan_upgrades
    from netplan.examples import load_example
    from netplan.topology import build_topology

    scenario = step("load", lambda: load_example(name))
    topo = step("build", lambda: build_topology(scenario))
    info["nodes"], info["links"] = topo.n_nodes, topo.n_links
    single = key != "national"
    if key == "province":  # Meizhou's catalogue, ceilings and years (its dedicated networks
        # name Meizhou's counties: left out)
        cap = netplan.examples.meizhou_2020().capacity
        scenario = scenario.model_copy(update={"capacity": cap.model_copy(
            update={"dedicated_networks": []})})
    ll = step("loads", lambda: link_loads(scenario, topo, single_links=single))
    info["states"] = len(ll.states) + len(ll.link_states)
    comp = step("compliance", lambda: check_compliance(scenario, ll))
    info["violations"] = len(comp.violations)
    if key != "national":
        # the loads compliance was checked on are reused for the plan (the new lines
        # parallel existing ones): "end to end" is loads + compliance + upgrade
        plan = step("upgrade", lambda: plan_upgrades(scenario, topo, loads=ll))
        info["plan"] = f"{plan.status}, {len(plan.lines)} lines, {plan.cost:,.1f} {plan.currency}"
    bare, demand_s, routes_s, agg_s = step("bare", lambda: bare_loads(scenario, topo, ll.years))
    info["demand_s"], info["bare_routes_s"], info["bare_aggregate_s"] = demand_s, routes_s, agg_s
    info["max_diff_mbps"] = float(np.abs(bare - ll.loads_mbps).max())
    steps[-1]["seconds"] = routes_s + agg_s  # the bare time leaves the demand building out
    info["steps"] = steps
    return info


def run_isolated(key: str) -> dict:
    """Run :func:`measure` for one scenario in a fresh spawned process."""
    ctx = mp.get_context("spawn")
    with ctx.Pool(processes=1, maxtasksperchild=1) as pool:
        return pool.apply(measure, (key,))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time topology, link loads, compliance and the upgrade MILP per scenario, "
        "beside a bare scipy.sparse aggregation of the same demands.")
    parser.add_argument("--only", default=",".join(SCENARIOS), metavar="NAMES",
                        help="comma-separated subset of %(default)s")
    args = parser.parse_args(argv)
    keys = [k.strip() for k in args.only.split(",") if k.strip()]
    bad = [k for k in keys if k not in SCENARIOS]
    if bad:
        parser.error(f"unknown scenario {', '.join(bad)}; known: {', '.join(SCENARIOS)}")

    infos = []
    for key in keys:
        print(f"measuring {key} ({SCENARIOS[key]}) ...", file=sys.stderr, flush=True)
        infos.append(run_isolated(key))

    import pandas as pd

    df = pd.DataFrame([r for info in infos for r in info["steps"]])
    print(f"netplan capacity scale benchmark — Python {platform.python_version()}, "
          f"{platform.machine()}, {mp.cpu_count()} CPUs (peak_MB: rise of ru_maxrss during "
          "the step; rss_MB: peak RSS after it)")
    print()
    print(df.to_string(index=False, formatters={"seconds": "{:.3f}".format,
                                                "peak_MB": "{:.1f}".format,
                                                "rss_MB": "{:.1f}".format}))
    print()
    for info in infos:
        extra = f", plan: {info['plan']}" if "plan" in info else ""
        print(f"{info['scenario']}: {info['nodes']:,} nodes, {info['links']:,} links, "
              f"{info['states']:,} states loaded, {info['violations']:,} violations{extra}; "
              f"bare: routes {info['bare_routes_s']:.3f} s + incidence and products "
              f"{info['bare_aggregate_s']:.3f} s (demand built apart in "
              f"{info['demand_s']:.3f} s), max |diff| vs link_loads "
              f"{info['max_diff_mbps']:.2e} Mbps")

    sec = df.set_index(["scenario", "step"])["seconds"]
    checks = []
    if "province" in keys:
        total = sum(sec.get(("province", s), 0.0)
                    for s in ("load", "build", "loads", "compliance", "upgrade"))
        checks.append((f"province end to end {total:.2f} s < {FLOOR_PROVINCE_S:g} s",
                       total < FLOOR_PROVINCE_S))
    if "national" in keys:
        t = sec[("national", "loads")] + sec[("national", "compliance")]
        rss = float(df[(df["scenario"] == "national")
                       & df["step"].isin(["load", "build", "loads", "compliance"])]["rss_MB"].max())
        ratio = sec[("national", "loads")] / sec[("national", "bare")]
        checks += [
            (f"national loads+compliance {t:.2f} s < {FLOOR_NATIONAL_S:g} s", t < FLOOR_NATIONAL_S),
            (f"national peak RSS {rss:.0f} MiB < {FLOOR_NATIONAL_MIB:g} MiB (4 GiB)",
             rss < FLOOR_NATIONAL_MIB),
            (f"national loads_s / bare_s {ratio:.2f} < {FLOOR_RATIO:g}", ratio < FLOOR_RATIO),
        ]
        nat = next(i for i in infos if i["scenario"] == "national")
        with_demand = sec[("national", "loads")] / (sec[("national", "bare")] + nat["demand_s"])
        print()
        print(f"(for information: loads_s / (bare_s + demand_s) = {with_demand:.2f}, the bare "
              "time charged with building the same demand matrices)")
    if checks:
        print()
        print("floors:")
        for text, ok in checks:
            print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
