"""Scale benchmark of the topology pipeline: build, reachability and survivability.

For each bundled scenario (``meizhou-2020``, ``guangdong-2020``, ``national-synthetic`` by
default) a fresh Python process (``multiprocessing``, spawn context) measures, in order:

1. loading the scenario file (``netplan.examples.load_example``; importing netplan, pandas
   and networkx is timed apart as ``import_s``);
2. :func:`netplan.topology.build_topology`;
3. :func:`netplan.topology.reachability` with its defaults;
4. :func:`netplan.topology.survivability` with its defaults: every carrier failed one at a
   time, plus bridges and articulation points (single points of failure);

each with its wall time (``time.perf_counter``) and the peak resident set size of the process
after the step (``resource.getrusage(RUSAGE_SELF).ru_maxrss``). One process per scenario keeps
each scenario's peak memory its own.

After these measurements, in the same process, a bare-networkx reference runs on the same
graph: an ``nx.Graph`` is built from ``topo.links[["source", "target"]]`` (timed, reported as
``nx_graph_s`` but left out of the comparison), then one breadth-first search from the root
(``nx.single_source_shortest_path_length``) plus ``nx.articulation_points`` is timed as
``nx_bfs_ap_s``. ``ratio`` is ``total_s / nx_bfs_ap_s`` with ``total_s = build_s + reach_s +
surv_s``: how many times the full netplan pipeline costs over the simplest networkx pass that
answers "who is connected to the root and which nodes are single points of failure".

The national row is checked against the floors: ``total_s < 60``, ``peak_rss_MiB < 4096``
(4 GiB) and ``ratio < 3``; each is printed as a PASS/FAIL line.

Usage
-----
From the repository root::

    python benchmarks/topology_scale.py
    python benchmarks/topology_scale.py --scenarios meizhou-2020 guangdong-2020

Notes
-----
This is a script, not a test: it prints a table and exits with status 0 whatever the floors
say. Peak RSS is in MiB (``ru_maxrss`` is in KiB on Linux). The parent process imports neither
netplan nor pandas before the children have run, so a child does not start from a large
parent's footprint.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import platform
import resource
import sys
import time

SCENARIOS = ("meizhou-2020", "guangdong-2020", "national-synthetic")
NATIONAL = "national-synthetic"
FLOOR_TOTAL_S = 60.0
FLOOR_PEAK_MIB = 4096.0
FLOOR_RATIO = 3.0


def _peak_mib() -> float:
    """Peak RSS of this process so far, in MiB (``ru_maxrss`` is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def measure(name: str) -> dict:
    """Measure one scenario; meant to run in a fresh process (see :func:`run_isolated`)."""
    row: dict = {"scenario": name, "start_rss_MiB": _peak_mib()}

    t = time.perf_counter()
    import networkx as nx

    from netplan.examples import load_example
    from netplan.topology import build_topology, reachability, survivability

    row["import_s"] = time.perf_counter() - t

    t = time.perf_counter()
    scenario = load_example(name)
    row["load_s"] = time.perf_counter() - t
    row["load_rss_MiB"] = _peak_mib()

    t = time.perf_counter()
    topo = build_topology(scenario)
    row["build_s"] = time.perf_counter() - t
    row["build_rss_MiB"] = _peak_mib()
    row["nodes"] = topo.n_nodes
    row["links"] = topo.n_links

    t = time.perf_counter()
    reach = reachability(topo)
    row["reach_s"] = time.perf_counter() - t
    row["reach_rss_MiB"] = _peak_mib()

    t = time.perf_counter()
    surv = survivability(topo)
    row["surv_s"] = time.perf_counter() - t
    row["surv_rss_MiB"] = _peak_mib()
    row["peak_rss_MiB"] = row["surv_rss_MiB"]
    row["all_reach"] = reach.all_reach
    row["bridges"] = len(surv.bridges)
    row["spofs"] = len(surv.articulation_points)

    # bare-networkx reference on the same graph, after our own measurements
    t = time.perf_counter()
    g = nx.Graph()
    g.add_edges_from(topo.links[["source", "target"]].itertuples(index=False, name=None))
    row["nx_graph_s"] = time.perf_counter() - t

    t = time.perf_counter()
    dist = nx.single_source_shortest_path_length(g, topo.root)
    aps = list(nx.articulation_points(g))
    row["nx_bfs_ap_s"] = time.perf_counter() - t
    row["nx_reached"] = len(dist)
    row["nx_aps"] = len(aps)
    row["nx_rss_MiB"] = _peak_mib()
    return row


def run_isolated(name: str) -> dict:
    """Run :func:`measure` for one scenario in a fresh spawned process."""
    ctx = mp.get_context("spawn")
    with ctx.Pool(processes=1, maxtasksperchild=1) as pool:
        return pool.apply(measure, (name,))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time build_topology, reachability and survivability per scenario, "
        "beside a bare networkx BFS + articulation points on the same graph.")
    parser.add_argument("--scenarios", nargs="+", default=list(SCENARIOS), metavar="NAME",
                        help="bundled scenario names (default: %(default)s)")
    args = parser.parse_args(argv)

    rows = []
    for name in args.scenarios:
        print(f"measuring {name} ...", file=sys.stderr, flush=True)
        rows.append(run_isolated(name))

    import pandas as pd

    df = pd.DataFrame(rows).set_index("scenario")
    df["total_s"] = df["build_s"] + df["reach_s"] + df["surv_s"]
    df["ratio"] = df["total_s"] / df["nx_bfs_ap_s"]
    main_cols = ["nodes", "links", "build_s", "reach_s", "surv_s", "total_s", "peak_rss_MiB",
                 "nx_bfs_ap_s", "ratio"]
    detail_cols = ["import_s", "load_s", "nx_graph_s", "start_rss_MiB", "load_rss_MiB",
                   "build_rss_MiB", "reach_rss_MiB", "surv_rss_MiB", "nx_rss_MiB", "bridges",
                   "spofs", "nx_aps", "all_reach"]
    fmt = {c: "{:.3f}".format for c in ("build_s", "reach_s", "surv_s", "total_s",
                                        "nx_bfs_ap_s", "import_s", "load_s", "nx_graph_s")}
    fmt.update({c: "{:.1f}".format for c in df.columns if c.endswith("_MiB")})
    fmt["ratio"] = "{:.2f}".format

    print(f"netplan topology scale benchmark — Python {platform.python_version()}, "
          f"{platform.machine()}, {mp.cpu_count()} CPUs")
    print()
    print(df[main_cols].to_string(formatters=fmt))
    print()
    print("details (import_s: importing netplan; nx_graph_s: building the nx.Graph, not in the "
          "ratio; *_rss_MiB: peak RSS after each step):")
    print(df[detail_cols].to_string(formatters=fmt))

    if NATIONAL in df.index:
        r = df.loc[NATIONAL]
        print()
        print(f"floors ({NATIONAL}):")
        checks = [
            (f"total_s {r['total_s']:.2f} < {FLOOR_TOTAL_S:g}", r["total_s"] < FLOOR_TOTAL_S),
            (f"peak_rss_MiB {r['peak_rss_MiB']:.0f} < {FLOOR_PEAK_MIB:g} (4 GiB)",
             r["peak_rss_MiB"] < FLOOR_PEAK_MIB),
            (f"ratio {r['ratio']:.2f} < {FLOOR_RATIO:g}", r["ratio"] < FLOOR_RATIO),
        ]
        for text, ok in checks:
            print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
