"""Migration scheduling at scale: synthetic inventories of 120, 500 and 2,000 systems.

Each size runs in a fresh process (so peak memory is its own) on Meizhou's extranet with a
migration policy scaled to the inventory: a 104-week plan from 2020-01-06, teams and cloud
capacity proportional to the number of systems, the Spring Festival blackout, and the
milestones "60 % of the systems on the cloud after 52 weeks" and "all by the end".

Two cloud variants: ``ample`` (24 vCPU per system, about 1.7 times the 14 the synthetic systems
need on average: no landing row can bind) and ``tight`` (4 vCPU per system at the start,
expanded by 12 per system from week 30: until then at most about a quarter of the systems fit,
so the MILP keeps a landing row and the optimum is later than with the ample cloud).

Prints one row per size and variant: systems, move groups, MILP size (from the log), status,
objective, bound, gap, wall time (the time limit covers everything: triage, building the
project and the MILP, solving), what stopped the search, peak RSS, and whether every milestone
is met. The floors checked at the end, each within the time limit: 500 systems (ample) with a
proven gap under 1 %, 2,000 systems (ample) under 5 %.

Usage::

    python benchmarks/migration_scale.py                 # 120, 500, 2000 at 300 s each
    python benchmarks/migration_scale.py --sizes 500 --time-limit 120 --variants tight
    python benchmarks/migration_scale.py --sizes 120 --time-based   # wall-clock budget only
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import resource
import sys
import time
from pathlib import Path

# benchmarks/psplib.py would shadow the ``psplib`` parser package netplan.io imports: drop this
# folder from sys.path (Python puts a script's folder first).
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]


def scenario_for(n_systems: int, variant: str = "ample", time_limit_s: float = 300.0,
                 deterministic: bool = True):
    from netplan.examples import meizhou_2020
    from netplan.model.scenario import (
        BlackoutPeriod,
        CloudExpansion,
        CloudNode,
        CloudTarget,
        MigrationPolicy,
    )

    base = meizhou_2020()
    start = dt.date(2020, 1, 6)
    end = start + dt.timedelta(weeks=104) - dt.timedelta(days=1)
    teams = max(2, round(n_systems / 45))
    vcpu = 24 * n_systems if variant == "ample" else 4 * n_systems
    expansions = [] if variant == "ample" else [
        CloudExpansion(date=start + dt.timedelta(weeks=30), vcpu=12 * n_systems)]
    cloud = CloudNode(name="政务云节点", vcpu=vcpu, memory_gb=96 * n_systems,
                      storage_tb=4.0 * n_systems, uplink_mbps=20_000, links=2)
    targets = base.targets.model_copy(update={"systems_on_cloud": [
        CloudTarget(by=start + dt.timedelta(weeks=52) - dt.timedelta(days=1),
                    systems=int(0.6 * n_systems)),
        CloudTarget(by=end, systems="all")]})
    policy = MigrationPolicy(start=start, end=end, teams=teams,
                             blackouts=[BlackoutPeriod(name="春节", start=dt.date(2021, 2, 8),
                                                       end=dt.date(2021, 2, 21))],
                             expansions=expansions, time_limit_s=time_limit_s,
                             deterministic=deterministic)
    return base.model_copy(update={"cloud": [cloud], "targets": targets, "migration": policy,
                                   "inventory": None})


def run_one(n_systems: int, variant: str, time_limit_s: float, backend: str, seed: int,
            deterministic: bool, queue) -> None:
    from netplan.migration.plan import plan_migration
    from netplan.migration.synthetic import synthetic_inventory

    scenario = scenario_for(n_systems, variant, time_limit_s, deterministic)
    inventory = synthetic_inventory(n_systems, seed=seed)
    t0 = time.perf_counter()
    plan = plan_migration(scenario, inventory, backend=backend, time_limit_s=time_limit_s,
                          seed=seed)
    wall = time.perf_counter() - t0
    ms = plan.milestones()
    s = plan.schedule
    size = next((line.split(": ", 1)[1].split(", horizon")[0] for line in s.log
                 if line.startswith(("MILP: ", "MILP skipped: "))), "")
    queue.put({
        "systems": n_systems,
        "variant": variant,
        "to_move": sum(len(g.systems) for g in plan.mp.groups),
        "groups": len(plan.mp.groups),
        "weeks": plan.mp.project.horizon,
        "status": s.status.value,
        "objective": s.objective,
        "bound": s.bound,
        "gap_pct": None if s.gap is None else round(100 * s.gap, 2),
        "wall_s": round(wall, 1),
        "stopped_by": s.stopped_by or "-",
        "milp": size.replace(" start variables", " x").replace(" nonzeros", " nnz"),
        "peak_rss_MiB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "milestones_met": bool(ms["met"].all()) if len(ms) else True,
        "backend": s.backend,
    })


def main(argv=None) -> int:
    from netplan.migration.solve import BACKENDS

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[120, 500, 2000])
    ap.add_argument("--variants", nargs="+", choices=("ample", "tight"),
                    default=["ample", "tight"])
    ap.add_argument("--time-limit", type=float, default=300.0,
                    help="seconds per size and variant, everything included")
    ap.add_argument("--backend", default="milp", choices=BACKENDS)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--time-based", action="store_true",
                    help="wall-clock budget only (MigrationPolicy.deterministic = false)")
    args = ap.parse_args(argv)

    import pandas as pd

    ctx = mp.get_context("spawn")
    rows = []
    for n in args.sizes:
        for variant in args.variants:
            print(f"scheduling {n} systems, {variant} cloud ...", file=sys.stderr, flush=True)
            q = ctx.Queue()
            p = ctx.Process(target=run_one, args=(n, variant, args.time_limit, args.backend,
                                                  args.seed, not args.time_based, q))
            p.start()
            rows.append(q.get())
            p.join()
    df = pd.DataFrame(rows).set_index(["systems", "variant"])
    print(f"migration scheduling benchmark — backend {args.backend}, "
          f"{'wall-clock' if args.time_based else 'deterministic'} budget, time limit "
          f"{args.time_limit:g} s per run")
    with pd.option_context("display.width", 250, "display.max_columns", 30):
        print(df.to_string())
    for n, floor in ((500, 1.0), (2000, 5.0)):
        if (n, "ample") in df.index:
            r = df.loc[(n, "ample")]
            ok = bool(r["milestones_met"]) and r["gap_pct"] is not None \
                and r["gap_pct"] < floor and r["wall_s"] < args.time_limit
            print(f"floor ({n} systems, ample cloud: milestones met, gap < {floor:g} %, within "
                  f"{args.time_limit:g} s): {'PASS' if ok else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
