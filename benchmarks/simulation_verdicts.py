"""Meizhou busy-hour verdicts: censored flows at their bounds vs. finished flows only.

Runs :func:`netplan.simulation.validate_interconnect` once (normal and each carrier down) with
the systems on the cloud of ``--systems`` (``today``, ``planned`` or a date; ``planned`` and
dates schedule the migration first), then scores the same flows twice:

- **bounds** (what netplan does): every measured flow counts; one still running at the end
  counts at its bounds (FCT and latency at least the run's end − start + RTT, throughput at
  most size over that), and a unit with more than ``simulation.max_unfinished_pct`` of its
  flows still running fails;
- **survivors** (the old rule): unfinished flows are left out and never fail a check.

It prints both verdict tables and every (case, unit) whose verdict differs, and writes them
as CSV when ``--out`` is given. A full busy hour takes a few minutes on 2 cores.

    python benchmarks/simulation_verdicts.py --systems planned [--duration 1h] [--out DIR]
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import pandas as pd


def survivors_ok(result, levels) -> pd.DataFrame:
    """Per (unit, destination): the old verdict (finished flows only, unfinished ignored)."""
    from netplan.simulation.validate import CHECKED_DESTINATIONS

    f = result.flows
    f = f[f["measured"] & f["destination"].isin(CHECKED_DESTINATIONS)
          & f["klass"].isin(["bulk", "sync", "request"])]
    rows = []
    for (unit, dest), g in f.groupby(["unit", "destination"], sort=False, observed=True):
        sl = getattr(levels, g["tier"].iloc[0])
        done = g[g["status"] == "done"]
        bulk = done[done["klass"].isin(["bulk", "sync"])]
        req = done[done["klass"] == "request"]
        cut = g["status"].isin(["unreachable", "dropped"]).sum()
        tp = bulk["throughput_mbps"].mean() if len(bulk) else math.nan
        p95 = req["latency_ms"].quantile(0.95) if len(req) else math.nan
        p99 = req["latency_ms"].quantile(0.99) if len(req) else math.nan
        bad = (cut > 0 or tp < sl.throughput_mbps or p95 > sl.latency_p95_ms
               or p99 > sl.latency_p99_ms)
        rows.append({"unit": unit, "destination": dest, "ok_survivors": not bad,
                     "throughput_survivors_mbps": tp, "latency_p95_survivors_ms": p95})
    return pd.DataFrame(rows)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    p.add_argument("--systems", default=None, help="today, planned or a date (default: the "
                   "scenario's simulation.systems_on_cloud)")
    p.add_argument("--duration", type=float, default=None, help="simulated seconds")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--out", type=Path, default=None)
    args = p.parse_args(argv)

    from netplan.examples import meizhou_2020
    from netplan.io.cloud_systems_io import systems_on_cloud
    from netplan.simulation import validate_interconnect
    from netplan.topology import build_topology

    t0 = time.perf_counter()
    scenario = meizhou_2020()
    topo = build_topology(scenario)
    plan = None
    setting = args.systems or scenario.simulation.systems_on_cloud
    if setting != "today":
        from netplan.io.inventory_io import read_inventory
        from netplan.migration.plan import plan_migration

        inv = read_inventory(scenario.inventory.path)
        plan = plan_migration(scenario, inv, topology=topo)
    systems = systems_on_cloud(scenario, args.systems, plan=plan)
    print(f"{systems.label}; scheduling {time.perf_counter() - t0:.0f} s")
    v = validate_interconnect(scenario, topo, systems=systems, duration_s=args.duration,
                              workers=args.workers)
    print(f"simulated and scored in {time.perf_counter() - t0:.0f} s (2 shared cores: noisy)")
    t = v.to_frame()
    old = pd.concat([survivors_ok(r, scenario.simulation.service_levels).assign(case=c)
                     for c, r in v.results.items()], ignore_index=True)
    both = t.merge(old, on=["case", "unit", "destination"], how="left")
    per_unit = both.groupby(["case", "tier", "unit_name"], sort=False).agg(
        ok_bounds=("ok", "all"), ok_survivors=("ok_survivors", "all"),
        unfinished=("unfinished", "sum"), flows=("flows", "sum"),
        throughput_bounds_mbps=("throughput_mean_mbps", "min"),
        throughput_survivors_mbps=("throughput_survivors_mbps", "min"),
        reason=("reason", lambda s: next((x for x in s if x), ""))).reset_index()
    verdicts = per_unit.groupby(["case", "tier"], sort=False).agg(
        units=("unit_name", "size"), failing_bounds=("ok_bounds", lambda s: int((~s).sum())),
        failing_survivors=("ok_survivors", lambda s: int((~s).sum()))).reset_index()
    changed = per_unit[per_unit["ok_bounds"] != per_unit["ok_survivors"]]
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 20)
    pd.set_option("display.max_colwidth", 90)
    print("\nFailing units per case and tier: bounds (netplan) vs survivors only (old rule)\n")
    print(verdicts.to_string(index=False))
    print(f"\n{len(changed)} (case, unit) verdicts differ:\n")
    if len(changed):
        print(changed.round(2).to_string(index=False))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        verdicts.to_csv(args.out / "verdicts_bounds_vs_survivors.csv", index=False)
        per_unit.to_csv(args.out / "units_bounds_vs_survivors.csv", index=False)
        v.failing_units().to_csv(args.out / "failing_units.csv", index=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
