"""Run every variant of a sweep, on Dask or in a plain loop, into one table of key figures.

:func:`evaluate_variant` is the pure function of one variant (a validated scenario) to its key
figures; :func:`run_sweep` validates every variant first, then maps that function over them on
a ``distributed.LocalCluster`` (one single-threaded worker process per CPU), an existing Dask
cluster, or synchronously, and gathers the rows into a :class:`SweepResult`.

A variant that raises becomes a row with its ``error``; the others finish. The table is sorted
by variant id and every compared column is deterministic (the scenario's migration policy is
``deterministic`` by default), so the same grid gives the same table on any scheduler; only
``seconds`` (wall) and ``cpu_seconds`` are timings (:data:`WALL_CLOCK_COLUMNS`).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from netplan.model.scenario import Scenario
from netplan.sweep.grid import DEFAULT_STAGES, STAGES, SweepGrid, Variant, read_grid

__all__ = ["SweepResult", "evaluate_variant", "run_sweep", "WALL_CLOCK_COLUMNS",
           "SCHEDULER_ENV"]

#: Columns that measure time (wall, and CPU of the process): left out when two sweeps' tables
#: are compared.
WALL_CLOCK_COLUMNS = ("seconds", "cpu_seconds")
#: Environment variable naming a Dask scheduler (``tcp://HOST:PORT``) used when none is given.
SCHEDULER_ENV = "NETPLAN_DASK_SCHEDULER"

#: The key figures, in the table's order (``upgrade_cost_<year>`` columns follow
#: ``upgrade_cost``; the variant's parameters follow ``seed``).
COLUMNS = ("variant", "label", "seed", "nodes", "links",
           "migration_feasible", "milestones_met", "milestones", "min_slack_weeks",
           "finish_date", "migration_status", "migration_proven",
           "compliant_before", "violations", "compliant_after", "violations_after",
           "upgrade_cost", "upgrade_status", "upgrade_proven", "cloud_utilisation_pct",
           "simulation_passed", "failing_units", "error", "seconds", "cpu_seconds")
UNITS = {"upgrade_cost": "万元 (discounted total)", "upgrade_cost_<year>": "万元 (that year)",
         "min_slack_weeks": "weeks", "cloud_utilisation_pct": "%", "seconds": "s",
         "cpu_seconds": "s"}


def evaluate_variant(scenario: Scenario, *, stages=DEFAULT_STAGES, inventory=None,
                     time_limit_s: float | None = None) -> dict:
    """The key figures of one scenario: topology size, migration, capacity, simulation.

    Parameters
    ----------
    scenario : Scenario
        Validated (its inventory path absolute, or ``inventory`` given).
    stages : iterable of {"migration", "capacity", "simulation"}
        What to run (in that order, whatever the order given).
    inventory : Inventory, optional
        The scenario's inventory, already read (default: read from ``scenario.inventory``).
    time_limit_s : float, optional
        Of the migration scheduler and of the upgrade plan each (s); default the scenario's
        ``migration.time_limit_s`` and ``capacity.time_limit_s``.

    Returns
    -------
    dict
        ``nodes``, ``links``; with the migration: ``migration_feasible``, ``milestones_met``
        of ``milestones``, ``min_slack_weeks`` (of the plan shown: negative when late),
        ``finish_date``, ``migration_status`` and ``migration_proven`` (optimal or proven
        infeasible); with the capacity: ``compliant_before``, ``violations``,
        ``compliant_after``, ``violations_after`` (every plan year), ``upgrade_cost``
        (discounted total, 万元), ``upgrade_cost_<year>`` (that year's one-off and rent),
        ``upgrade_status``, ``upgrade_proven``, ``cloud_utilisation_pct`` (lowest resource at
        the end of the plan); with the simulation: ``simulation_passed``, ``failing_units``.
        Figures of stages not run are absent.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> row = evaluate_variant(tiny_scenario(), stages=["capacity"])
    >>> row["nodes"], row["links"], row["compliant_before"], row["upgrade_status"]
    (25, 35, False, None)
    """
    from netplan.topology import build_topology

    stages = set(stages)
    unknown = stages - set(STAGES)
    if unknown:
        raise ValueError(f"unknown stage(s) {', '.join(sorted(unknown))}; use "
                         + ", ".join(STAGES))
    topo = build_topology(scenario)
    row: dict = {"nodes": topo.n_nodes, "links": topo.n_links}
    if inventory is None and scenario.inventory is not None:
        from netplan.io.inventory_io import read_inventory

        inventory = read_inventory(scenario.inventory.path, encoding=scenario.inventory.encoding)
    plan = None
    if "migration" in stages and inventory is not None and scenario.migration is not None:
        from netplan.migration.plan import plan_migration
        from netplan.migration.project import SolveStatus

        plan = plan_migration(scenario, inventory, topology=topo, time_limit_s=time_limit_s)
        ms = plan.milestones()
        slack = pd.to_numeric(ms["slack_weeks"], errors="coerce")
        row.update(
            migration_feasible=plan.feasible,
            milestones_met=int(ms["met"].sum()), milestones=len(ms),
            min_slack_weeks=float(slack.min()) if slack.notna().any() else np.nan,
            finish_date=plan.finish_date,
            migration_status=plan.status.value,
            migration_proven=plan.status in (SolveStatus.OPTIMAL, SolveStatus.INFEASIBLE),
        )
    elif "migration" in stages:
        row.update(migration_status="no inventory or migration section")
    cp = None
    if "capacity" in stages:
        from netplan.capacity import plan_capacity

        cp = plan_capacity(scenario, topo, inventory=inventory, migration=plan,
                           time_limit_s=time_limit_s)
        row.update(compliant_before=cp.compliance.ok, violations=len(cp.compliance.violations))
        up = cp.upgrades
        if up is not None:
            row.update(compliant_after=cp.compliant_after,
                       violations_after=sum(len(c.violations) for c in cp.after.values()),
                       upgrade_cost=float(up.cost), upgrade_status=up.status,
                       upgrade_proven=up.status in ("optimal", "nothing_to_do")
                       or (up.gap_pct is not None and up.gap_pct <= 1e-6))
            for _, r in up.cost_by_year.iterrows():
                row[f"upgrade_cost_{int(r['year'])}"] = float(r["total"])
        else:
            row.update(upgrade_status=None)
        if cp.cloud is not None:
            row["cloud_utilisation_pct"] = float(cp.cloud.utilisation_pct)
    if "simulation" in stages:
        from netplan.io.cloud_systems_io import systems_on_cloud
        from netplan.simulation import validate_interconnect

        net = cp.upgraded(scenario.year) if cp is not None and cp.upgrades is not None \
            and cp.upgrades.status != "no_solution" else topo
        systems = systems_on_cloud(scenario, plan=plan, inventory=inventory) \
            if inventory is not None else None
        v = validate_interconnect(scenario, net, systems=systems, workers=1)
        row.update(simulation_passed=v.passed, failing_units=len(v.failing_units()))
    return row


def _run_variant(variant: Variant, scenario: Scenario, inventory, stages, time_limit_s
                 ) -> dict:
    """One table row: the variant, its figures or its error, and its wall time."""
    t0, cpu0 = time.perf_counter(), time.process_time()
    row: dict = {"variant": variant.id, "label": variant.label(), "seed": variant.seed,
                 **{f"param:{k}": v for k, v in variant.params.items()}}
    try:
        row.update(evaluate_variant(scenario, stages=stages, inventory=inventory,
                                    time_limit_s=time_limit_s))
        row["error"] = ""
    except Exception as exc:  # noqa: BLE001 - recorded in the row, the sweep goes on
        row["error"] = f"{type(exc).__name__}: {exc}"
    row["seconds"] = time.perf_counter() - t0
    row["cpu_seconds"] = time.process_time() - cpu0  # the worker process's, all threads
    return row


@dataclass(frozen=True)
class SweepResult:
    """The key figures of every variant of a sweep.

    Attributes
    ----------
    name : str
        The grid's name.
    stages : tuple of str
    params : tuple of str
        The scenario paths the variants set (their columns in :meth:`to_frame`).
    rows : tuple of dict
        One per variant, sorted by variant id.
    scheduler : str
        ``"sync"``, ``"local:<n> workers"`` or the cluster's address.
    seconds : float
        Wall time of the whole sweep (validation included).
    """

    name: str
    stages: tuple[str, ...]
    params: tuple[str, ...]
    rows: tuple[dict, ...] = field(repr=False)
    scheduler: str = "sync"
    seconds: float = 0.0

    @property
    def failed(self) -> list[str]:
        """Ids of the variants that raised (their rows hold the ``error``)."""
        return [r["variant"] for r in self.rows if r.get("error")]

    @property
    def ok(self) -> bool:
        """True when every variant ran."""
        return not self.failed

    def to_frame(self, *, wall_clock: bool = True) -> pd.DataFrame:
        """One row per variant, sorted by id: its parameters, then the key figures.

        Parameters are columns named by their scenario path; list or mapping values are
        JSON text. ``wall_clock=False`` leaves out :data:`WALL_CLOCK_COLUMNS`, for comparing
        two sweeps.
        """
        df = pd.DataFrame(list(self.rows))
        years = sorted(c for c in df.columns if c.startswith("upgrade_cost_"))
        params = [f"param:{p}" for p in self.params]
        order: list[str] = []
        for c in COLUMNS:
            if c in df.columns or c in ("variant", "error", "seconds", "cpu_seconds"):
                order.append(c)
            if c == "seed":
                order += params
            if c == "upgrade_cost":
                order += years
        df = df.reindex(columns=order)
        for p in params:
            df[p] = _param_column(df[p])
        df = df.rename(columns={f"param:{p}": p for p in self.params})
        df = df.sort_values("variant", kind="stable").reset_index(drop=True)
        df["error"] = df["error"].fillna("")
        if not wall_clock:
            df = df.drop(columns=[c for c in WALL_CLOCK_COLUMNS if c in df.columns])
        df.attrs["unit"] = dict(UNITS)
        df.attrs["name"] = self.name
        return df

    def __str__(self) -> str:
        n = len(self.rows)
        failed = self.failed
        tail = f"; {len(failed)} failed: {', '.join(failed[:5])}" if failed else ""
        return (f"Sweep {self.name!r}: {n} variant{'s' if n != 1 else ''} "
                f"({', '.join(self.stages)}) on {self.scheduler} in {self.seconds:.1f} s{tail}")


def _param_column(values: pd.Series) -> pd.Series:
    """Numbers stay numbers (None → NaN); anything else becomes text (lists as JSON)."""
    def is_num(v) -> bool:
        return v is None or (isinstance(v, int | float) and not isinstance(v, bool))

    if all(is_num(v) or (isinstance(v, float) and np.isnan(v)) for v in values):
        return pd.to_numeric(values.astype(object).where(values.notna(), np.nan))
    if all(isinstance(v, bool) for v in values):
        return values.astype(bool)
    return values.map(lambda v: "" if v is None else
                      v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str))


# --------------------------------------------------------------------------- execution


def _cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _inventories(pairs: list[tuple[Variant, Scenario]]) -> dict:
    """Each distinct inventory file read once, here, so that workers read no file."""
    from netplan.io.inventory_io import read_inventory

    out: dict = {}
    for _, s in pairs:
        if s.inventory is not None:
            key = (s.inventory.path, s.inventory.encoding)
            if key not in out:
                out[key] = read_inventory(s.inventory.path, encoding=s.inventory.encoding)
    return out


class _Reporter:
    """Progress on stderr: a rich bar on a terminal, else one plain line per variant."""

    def __init__(self, total: int, title: str, enabled: bool):
        self.total, self.done, self.enabled = total, 0, enabled
        self.bar = None
        if enabled and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            self.bar = Progress("[progress.description]{task.description}", BarColumn(),
                                MofNCompleteColumn(), TimeElapsedColumn(),
                                console=Console(stderr=True), transient=False)
            self.bar.start()
            self.task = self.bar.add_task(title, total=total)
        elif enabled:
            print(f"netplan sweep: {title}: {total} variants", file=sys.stderr, flush=True)

    def __call__(self, row: dict) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.advance(self.task)
        elif self.enabled:
            what = f"FAILED ({row['error']})" if row.get("error") else "done"
            print(f"netplan sweep: [{self.done}/{self.total}] {row['variant']} {what} "
                  f"({row['seconds']:.1f} s)", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def run_sweep(scenario_path: str | Path, grid: SweepGrid | str | Path, *,
              scheduler: str | None = None, workers: int | None = None,
              progress: bool = True, time_limit_s: float | None = None) -> SweepResult:
    """Validate every variant of ``grid``, then evaluate them all (in parallel on Dask).

    Parameters
    ----------
    scenario_path : str or Path
        The scenario file the variants change (relative paths in it resolve against it).
    grid : SweepGrid, or the path of a grid file
    scheduler : str, optional
        None: ``$NETPLAN_DASK_SCHEDULER`` when set, else a new ``distributed.LocalCluster``
        of ``workers`` processes with one thread each (closed at the end); ``"sync"``: a
        plain loop in this process (``dask.config.set(scheduler="synchronous")``);
        ``"tcp://HOST:PORT"``: an existing cluster's scheduler. Workers need netplan
        installed, but no file: the scenarios and inventories are sent to them. The local
        cluster's workers are spawned processes: a script calling this needs the
        ``if __name__ == "__main__":`` guard, as with :mod:`multiprocessing`.
    workers : int, optional
        Of the local cluster (default: the CPUs this process may use).
    progress : bool
        A progress bar (or one line per variant when stderr is not a terminal) on stderr.
    time_limit_s : float, optional
        Per variant, of the migration scheduler and of the upgrade plan each (s).

    Returns
    -------
    SweepResult

    Raises
    ------
    ScenarioError
        Before anything runs: the grid file, the scenario or a variant is invalid (each
        issue names the grid file, the variant and the field).

    Examples
    --------
    >>> from netplan.examples import scenario_path
    >>> from netplan.sweep.grid import parse_grid
    >>> g = parse_grid({"name": "teams", "stages": ["migration"],
    ...                 "grid": {"migration.teams": [6, 8], "migration.backend": ["heuristic"],
    ...                          "migration.max_schedules": [500]}})
    >>> r = run_sweep(scenario_path("meizhou-2020"), g, scheduler="sync", progress=False)
    >>> r.to_frame()[["variant", "migration.teams", "migration_feasible"]].values.tolist()
    [['v000', 6, True], ['v001', 8, True]]
    """
    import dask

    from netplan.sweep.grid import variant_scenarios

    t0 = time.perf_counter()
    if not isinstance(grid, SweepGrid):
        grid = read_grid(grid)
    pairs = variant_scenarios(scenario_path, grid)
    inventories = _inventories(pairs)
    params = tuple(dict.fromkeys(k for v, _ in pairs for k in v.params))
    scheduler = scheduler or os.environ.get(SCHEDULER_ENV) or None
    tasks = [(v, s, inventories.get((s.inventory.path, s.inventory.encoding))
              if s.inventory is not None else None) for v, s in pairs]
    report = _Reporter(len(tasks), f"sweep {grid.name}", progress)
    rows: list[dict] = []
    try:
        if scheduler == "sync":
            label = "sync"
            with dask.config.set(scheduler="synchronous"):
                for v, s, inv in tasks:
                    rows.append(_run_variant(v, s, inv, grid.stages, time_limit_s))
                    report(rows[-1])
        elif scheduler is None:
            from distributed import Client, LocalCluster

            n = workers or _cpus()
            label = f"local:{n} worker{'s' if n != 1 else ''}"
            # no dashboard; the scheduler's HTTP routes (/health) on a free port, not 8787
            with LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                              dashboard_address=None, silence_logs=logging.ERROR,
                              scheduler_kwargs={"dashboard_address": ":0"}) as cluster, \
                    Client(cluster) as client:
                rows = _on_cluster(client, tasks, grid, time_limit_s, report)
        else:
            from distributed import Client

            label = scheduler
            with Client(scheduler) as client:
                rows = _on_cluster(client, tasks, grid, time_limit_s, report)
    finally:
        report.close()
    rows.sort(key=lambda r: r["variant"])
    return SweepResult(name=grid.name, stages=grid.stages, params=params, rows=tuple(rows),
                       scheduler=label, seconds=time.perf_counter() - t0)


def _on_cluster(client, tasks, grid: SweepGrid, time_limit_s, report) -> list[dict]:
    from distributed import as_completed

    futures = {client.submit(_run_variant, v, s, inv, grid.stages, time_limit_s, pure=False,
                             key=f"netplan-sweep-{v.id}-{os.getpid()}-{time.time_ns()}"): v
               for v, s, inv in tasks}
    rows = []
    for fut in as_completed(list(futures)):
        try:
            rows.append(fut.result())  # _run_variant returns an error as a row ...
        except Exception as exc:  # noqa: BLE001 - ... but a worker may die under it
            v = futures[fut]
            rows.append({"variant": v.id, "label": v.label(), "seed": v.seed,
                         **{f"param:{k}": x for k, x in v.params.items()},
                         "error": f"{type(exc).__name__}: {exc}", "seconds": np.nan})
        report(rows[-1])
    return rows
