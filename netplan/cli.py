"""The ``netplan`` command line: validate, schema, topology, schedule, capacity, run, sweep...

The commands: validate, schema, topology, schedule, capacity, simulate, run, replan, sweep.
Every command reads a scenario file and checks all of it first: bad input is reported as
``file: line N: path: message; hint`` lines on stderr, exit status 2, nothing written. A run
then goes stage by stage (topology → migration → capacity → simulation → policy → report)
into a new folder beside ``--out``; each stage writes into a staging folder whose files move
into the new folder only when the stage succeeded, and at the end the new folder replaces
``--out`` as a whole (two renames: never a mix of old and new files, no file of an earlier
run left behind). A stage that fails stops the run with its error; the earlier stages'
outputs and the report, marked incomplete, are published. A run that fails before any stage
finished, or is interrupted, leaves ``--out`` as it was. ``run-metadata.json`` holds the
time, the stage times and the command line; every other file is the same bytes for the same
scenario and seed.

Exit status: 0 every target met; 1 the plan misses a target or a verdict is not a clean pass
(:data:`EXIT_TARGET_MISSED`: the outputs are complete, so a pipeline can gate on it); 2 bad
input (or an unwritable ``--out``); 3 an internal error (a bug); 4 ``netplan sweep``: some
variant failed; 5 no plan meets the targets (:data:`EXIT_INFEASIBLE`: the explanation says
which and what to change; the outputs are complete, with the relaxed plan); 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from netplan.errors import NetplanError, ScenarioError

__all__ = ["main", "EXIT_OK", "EXIT_TARGET_MISSED", "EXIT_INPUT", "EXIT_INTERNAL",
           "EXIT_INFEASIBLE"]

EXIT_OK = 0
#: The run finished, and the plan misses a target or a verdict is not a clean pass.
EXIT_TARGET_MISSED = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3
#: No plan exists: the targets cannot be met (:class:`~netplan.errors.InfeasiblePlanError`,
#: with the explanation: which target, how far off, what to change).
EXIT_INFEASIBLE = 5


class _Progress:
    """Progress of a run on stderr: a bar per stage on a terminal, plain lines otherwise.

    ``progress("what")`` starts the next step of the current stage; :meth:`stage` wraps a
    stage (its bar shows the step, the steps done and the elapsed time). Nothing is shown with
    ``quiet``; plain ``netplan: [stage k/n] what …`` lines when stderr is not a terminal (a log
    file, CI) or ``rich`` is missing.
    """

    def __init__(self, quiet: bool = False, n_stages: int = 0):
        self.quiet = quiet
        self.n_stages = n_stages
        self.t0 = time.perf_counter()
        self.timings: dict[str, float] = {}
        self._stage: str | None = None
        self._k = 0
        self._step = -1
        self._bar = None
        self._task = None
        if not quiet and sys.stderr.isatty():
            try:
                from rich.console import Console
                from rich.progress import (
                    BarColumn,
                    MofNCompleteColumn,
                    Progress,
                    SpinnerColumn,
                    TextColumn,
                    TimeElapsedColumn,
                )
            except ImportError:  # pragma: no cover - rich is a dependency
                pass
            else:
                self._bar = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                     BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                     console=Console(stderr=True), transient=False)

    @contextlib.contextmanager
    def stage(self, name: str, steps: int):
        """A stage of ``steps`` steps (its bar); records its wall time in :attr:`timings`."""
        self._stage, self._k, self._step = name, self._k + 1, -1
        start = time.perf_counter()
        if self._bar is not None:
            if self._task is None:
                self._bar.start()
            self._task = self._bar.add_task(name, total=steps)
        try:
            yield
        finally:
            self.timings[name] = time.perf_counter() - start
            if self._bar is not None:
                self._bar.update(self._task, completed=steps,
                                 description=f"{name} ({self.timings[name]:.1f} s)")

    def __call__(self, what: str) -> None:
        if self.quiet:
            return
        self._step += 1
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, description=f"{self._stage}: {what}",
                             completed=self._step)
            return
        where = f"{self._stage} {self._k}/{self.n_stages}" if self._stage else "netplan"
        print(f"netplan: [{where}] {what} …", file=sys.stderr, flush=True)

    def done(self, message: str) -> None:
        """The last line: what was written and the total time."""
        if self._bar is not None and self._task is not None:
            self._bar.stop()
        if not self.quiet:
            print(f"netplan: {message} ({time.perf_counter() - self.t0:.1f} s)", file=sys.stderr)


def _read(path: str):
    from netplan.io.scenario_yaml import read_scenario

    return read_scenario(path)


def _print_warnings(source: str, warnings) -> None:
    for w in warnings:
        print(f"{source}: warning: {w}", file=sys.stderr)


# --------------------------------------------------------------------------- commands


def _cmd_validate(args) -> int:
    scenario, warnings = _read(args.file)  # the inventory it names is read and checked too
    _print_warnings(args.file, warnings)
    extra = []
    if args.progress is not None:  # the same reader, and messages, as schedule/run/replan
        log = _progress_log(scenario, _context(args, scenario))
        extra.append(f"{Path(args.progress).name}: {len(log.events)} progress record(s)")
    for spec in args.topology or []:
        topo = _read_topology_files(spec)
        extra.append(f"{spec}: {topo.n_nodes:,} sites, {topo.n_links:,} links")
    from netplan.resources import check_resources, estimate_run_resources

    try:  # the file is valid; whether this machine can run it is said, not an error
        check_resources(estimate_run_resources(scenario, workers=_workers()))
    except NetplanError as exc:
        print(f"{args.file}: warning: {exc}", file=sys.stderr)
    print(f"{args.file}: OK — scenario {scenario.name!r}, {len(scenario.region.city_names())} "
          f"cities, {len(warnings)} warning(s)" + "".join(f"; {e}" for e in extra))
    return EXIT_OK


def _read_topology_files(spec: str):
    """A site/link inventory: ``SITES.csv,LINKS.csv``, GraphML, node-link JSON or SNDlib."""
    parts = [p.strip() for p in spec.split(",")]
    if len(parts) == 2:
        from netplan.io.topology_io import read_csv_topology

        return read_csv_topology(*parts)
    suffix = Path(spec).suffix.lower()
    if suffix == ".graphml":
        from netplan.io.topology_io import read_graphml

        return read_graphml(spec)
    if suffix == ".json":
        from netplan.io.topology_io import read_json

        return read_json(spec)
    if suffix in (".txt", ".xml"):
        from netplan.io.sndlib import read_sndlib

        return read_sndlib(spec).topology
    raise NetplanError(f"--topology {spec}: give SITES.csv,LINKS.csv, a .graphml, a node-link "
                       ".json or an SNDlib network (.txt/.xml) file")


def _cmd_schema(args) -> int:
    from netplan.io.scenario_yaml import scenario_json_schema

    text = json.dumps(scenario_json_schema(), ensure_ascii=False, indent=2)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return EXIT_OK


def _topology_section(scenario, out_dir: Path, progress: _Progress, *, pictures: bool,
                      ctx: dict, results):
    from netplan.report.topology_report import write_topology_report
    from netplan.topology import reachability, summarize, survivability

    progress("building the four-tier extranet")
    topo = _topology(scenario, ctx)
    progress(f"checking reachability ({topo.n_nodes:,} nodes, {topo.n_links:,} links)")
    summary = summarize(topo)
    reach = reachability(topo)
    progress(f"checking survivability ({len(topo.carriers)} carrier failures, links, nodes)")
    surv = survivability(topo)
    results.topology, results.summary, results.reach, results.surv = topo, summary, reach, surv
    pool = ctx.get("pool")
    progress("writing topology tables" + (" and pictures" if pictures and not pool else "")
             + (" (the pictures are drawn alongside the next stages)" if pictures and pool
                else ""))
    section = write_topology_report(scenario, topo, summary, reach, surv, out_dir,
                                    pictures=pictures and pool is None, lang=ctx["lang"])
    if pictures and pool is not None:  # on the other core while migration and capacity run
        from netplan.report.topology_report import draw_topology_pictures

        ctx["deferred"].append(("topology", lambda stage: pool.submit(
            draw_topology_pictures, scenario, topo, surv, stage, lang=ctx["lang"])))
    return section


def _topology(scenario, ctx: dict):
    """The scenario's topology, built once per run and shared by the sections."""
    if "topology" not in ctx:
        from netplan.topology import build_topology

        ctx["topology"] = build_topology(scenario)
    return ctx["topology"]


def _inventory(scenario, ctx: dict):
    """The scenario's inventory, read once per run (None without one)."""
    if "inventory" not in ctx:
        from netplan.io.inventory_io import read_inventory

        ctx["inventory"] = (None if scenario.inventory is None else
                            read_inventory(scenario.inventory.path,
                                           encoding=scenario.inventory.encoding))
    return ctx["inventory"]


def _progress_log(scenario, ctx: dict):
    """``--progress``: the progress log read against the inventory and topology (or None)."""
    path = ctx.get("progress_path")
    if path is None:
        return None
    if "progress_log" not in ctx:
        from netplan.io.progress_io import read_progress

        ctx["progress_log"] = read_progress(path, inventory=_inventory(scenario, ctx),
                                            topology=_topology(scenario, ctx),
                                            as_of=ctx.get("as_of"))
    return ctx["progress_log"]


def _migration_section(scenario, out_dir: Path, progress: _Progress, *, pictures: bool,
                       ctx: dict, results):
    from netplan.migration.plan import plan_migration
    from netplan.report.migration_report import write_migration_report
    from netplan.report.topology_report import ReportSection

    if scenario.inventory is None or scenario.migration is None:
        progress("skipped (no inventory or migration section)")
        return ReportSection("Migration", "## Migration\n\nNo `inventory` or `migration` "
                             "section in the scenario: nothing to schedule.\n", [],
                             skipped="no inventory or migration section in the scenario")
    progress(f"reading the inventory {Path(scenario.inventory.path).name}")
    inventory = _inventory(scenario, ctx)
    log = _progress_log(scenario, ctx)
    policy = scenario.migration
    if ctx.get("replan"):
        from netplan.migration.progress import replan

        progress(f"re-planning the rest from {Path(ctx['progress_path']).name} as of "
                 f"{ctx['as_of']} ({policy.backend}, ≤ {policy.time_limit_s:g} s)")
        plan = replan(scenario, inventory, log, as_of=ctx["as_of"],
                      topology=_topology(scenario, ctx))
    else:
        progress(f"scheduling {len(inventory.systems)} systems "
                 f"({policy.backend}, ≤ {policy.time_limit_s:g} s)")
        plan = plan_migration(scenario, inventory, topology=_topology(scenario, ctx))
    ctx["plan"] = results.plan = plan
    if not plan.feasible:  # a result, not an error, but said even with --quiet
        for line in plan.summary():
            print(f"netplan: warning: {line}", file=sys.stderr)
    progress("writing the schedule, lists, unit plans and charts")
    return write_migration_report(scenario, plan, out_dir, pictures=pictures,
                                  language=ctx["lang"])


def _capacity_section(scenario, out_dir: Path, progress: _Progress, *, pictures: bool,
                      ctx: dict, results):
    from netplan.capacity import plan_capacity
    from netplan.report.capacity_report import write_capacity_report

    topo = _topology(scenario, ctx)
    plan = ctx.get("plan")
    inventory = plan.mp.inventory if plan is not None else _inventory(scenario, ctx)
    years = scenario.capacity.years or [scenario.year]
    progress(f"loading {topo.n_links:,} links per year ({', '.join(map(str, years))}), normal, "
             f"each carrier and each single line down; checking the targets; planning the "
             f"upgrades (≤ {scenario.capacity.time_limit_s:g} s)")
    cp = plan_capacity(scenario, topo, inventory=inventory, migration=plan)
    ctx["capacity"] = results.capacity = cp
    up = cp.upgrades
    if up is not None and up.status in ("infeasible", "over_budget", "no_solution"):
        for line in up.summary()[:3]:
            print(f"netplan: warning: {line}", file=sys.stderr)
    progress("writing loads, compliance, the upgrade plan, cloud and address tables")
    return write_capacity_report(scenario, cp, out_dir, pictures=pictures, lang=ctx["lang"])


def _simulation_section(scenario, out_dir: Path, progress: _Progress, *, pictures: bool,
                        ctx: dict, results):
    from netplan.simulation import cloud_system_mbps, default_failure_cases
    from netplan.simulation.validate import simulation_pool

    topo = _topology(scenario, ctx)
    opts = ctx.get("simulation", {})
    cases = opts.get("cases") or default_failure_cases(scenario)
    duration = opts.get("duration_s")
    systems = _systems_on_cloud(scenario, ctx)
    system_mbps = cloud_system_mbps(topo, systems.systems,
                                    default_mbps=scenario.demand.system_mbps)
    if ctx.get("pool") is not None:
        return _simulate(scenario, topo, out_dir, progress, pictures=pictures, ctx=ctx,
                         results=results, pool=ctx["pool"], cases=cases, duration=duration,
                         systems=systems, system_mbps=system_mbps)
    with simulation_pool(_workers()) as pool:  # started once for every simulation below
        return _simulate(scenario, topo, out_dir, progress, pictures=pictures, ctx=ctx,
                         results=results, pool=pool, cases=cases, duration=duration,
                         systems=systems, system_mbps=system_mbps)


def _simulate(scenario, topo, out_dir: Path, progress: _Progress, *, pictures: bool, ctx: dict,
              results, pool, cases, duration, systems, system_mbps):
    from netplan.report.simulation_report import write_simulation_report
    from netplan.simulation import validate_cutovers, validate_interconnect
    from netplan.simulation.validate import PILOT_S

    before = None
    cp = ctx.get("capacity")
    opts = ctx.get("simulation", {})
    upgraded = (cp is not None and cp.upgrades is not None and len(cp.upgrades.lines)
                and cp.upgrades.status != "no_solution")
    length = (f"{duration:g} s" if duration else
              f"a {PILOT_S:g} s pilot, longer where a verdict needs it (≤ "
              f"{scenario.simulation.duration_s:g} s)")
    common = dict(systems=systems, cases=cases, seed=opts.get("seed"), duration_s=duration,
                  workers=pool)
    if upgraded and opts.get("compare_provisioned"):
        progress(f"simulating the provisioned network: {length}, {systems.label} "
                 f"({sum(system_mbps.values()):,.0f} Mbps), normal and {len(cases)} "
                 f"failure case(s)")
        before = validate_interconnect(scenario, topo, **common)
    if upgraded:
        year = scenario.year or (scenario.capacity.years or [None])[0]
        topo = cp.upgrades.upgraded(year)
        where = f"the network upgraded by the plan ({year})"
    else:
        where = "the provisioned network (no upgrade plan)"
    progress(f"simulating {where}: {length}, {systems.label} "
             f"({sum(system_mbps.values()):,.0f} Mbps), normal and {len(cases)} failure "
             f"case(s) ({', '.join(c.name for c in cases) or 'none'})")
    validation = validate_interconnect(scenario, topo, **common)
    results.validation, results.before = validation, before
    cutovers = None
    if "plan" in ctx and ctx["plan"].starts is not None:
        progress(f"simulating the {scenario.simulation.cutover_weeks} heaviest cutover weeks")
        cutovers = validate_cutovers(scenario, ctx["plan"], topo, seed=opts.get("seed"),
                                     systems=systems, workers=pool)
    else:
        progress("cutover windows: skipped (no migration plan in this run)")
    results.cutovers = cutovers
    progress("writing validation tables, link loads and time series")
    return write_simulation_report(scenario, validation, out_dir, cutovers=cutovers,
                                   pictures=pictures, before=before, lang=ctx["lang"],
                                   network=where)


def _policy_section(scenario, out_dir: Path, progress: _Progress, *, pictures: bool,
                    ctx: dict, results):
    """The policy timeline judged against the plans, and the quarterly progress report."""
    from netplan.policy import evaluate_timeline
    from netplan.report.policy_report import write_policy_report

    log = _progress_log(scenario, ctx)
    progress("judging the policy timeline" + (f" and the recorded progress of "
                                              f"{Path(ctx['progress_path']).name}" if log else ""))
    plan, cp = ctx.get("plan"), ctx.get("capacity")
    timeline = evaluate_timeline(scenario, plan=plan, capacity=cp, progress=log,
                                 as_of=ctx.get("as_of"), inventory=_inventory(scenario, ctx))
    quarterly = None
    if plan is not None:
        from netplan.migration.progress import quarterly_report

        progress("the quarterly progress report (季度工作进展)")
        upgrades = cp.upgrades.lines if cp is not None and cp.upgrades is not None else None
        quarterly = quarterly_report(plan, log, report_dates=scenario.targets.report_dates,
                                     as_of=ctx.get("as_of"), scenario=scenario,
                                     timeline=scenario.targets.full_timeline(),
                                     upgrades=upgrades)
    results.timeline, results.quarterly = timeline, quarterly
    return write_policy_report(scenario, timeline, quarterly, out_dir, lang=ctx["lang"])


def _systems_on_cloud(scenario, ctx: dict):
    """The systems on the cloud for the busy hour: ``--systems``, else the scenario's setting.

    The same helper as the Python API's (``netplan.io.cloud_systems_io.systems_on_cloud``);
    ``planned`` and dates use this run's migration plan.
    """
    from netplan.io.cloud_systems_io import systems_on_cloud

    setting = ctx.get("simulation", {}).get("systems")
    return systems_on_cloud(scenario, setting, plan=ctx.get("plan"))


def _systems_setting(args, scenario=None):
    """``--systems`` or the scenario's ``simulation.systems_on_cloud`` (read when not given)."""
    given = getattr(args, "systems", None)
    if given is not None:
        return given
    if scenario is None:
        scenario, _ = _read(args.file)
    return scenario.simulation.systems_on_cloud


def _workers() -> int:
    """Processes for independent simulations: the CPUs this process may use."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


#: Stages that ``netplan run`` runs, in order: (name, steps, section writer).
CAPABILITIES: list[tuple[str, int, Callable]] = [
    ("topology", 4, _topology_section),
    ("migration", 3, _migration_section),
    ("capacity", 2, _capacity_section),
    ("simulation", 4, _simulation_section),
    ("policy", 2, _policy_section),
]


def _what_ifs(args, scenario):
    """The scenario with ``--teams``, ``--time-limit`` and ``--seed`` applied (validated)."""
    changes: dict = {}
    teams = getattr(args, "teams", None)
    limit = getattr(args, "time_limit", None)
    seed = getattr(args, "seed", None)
    if (teams is not None or limit is not None or seed is not None) and scenario.migration:
        m = {}
        if teams is not None:
            if teams < 1:
                raise NetplanError(f"--teams {teams}: at least 1 team")
            m.update(teams=teams, team_changes=[])
        if limit is not None:
            m["time_limit_s"] = limit
        if seed is not None:
            m["seed"] = seed
        changes["migration"] = scenario.migration.model_copy(update=m)
    if limit is not None:
        if limit <= 0:
            raise NetplanError(f"--time-limit {limit:g}: give a positive number of seconds")
        changes["capacity"] = scenario.capacity.model_copy(update={"time_limit_s": limit})
    return scenario.model_copy(update=changes) if changes else scenario


def _run(args, names: list[str] | Callable) -> int:
    """Run the stages ``names`` (or ``names(scenario)``, once the scenario is read)."""
    from netplan.report import replaced_folder, staged_output
    from netplan.report.run_results import RunResults, StageRecord

    quiet = args.quiet
    scenario, warnings = _read(args.file)   # bad input: exit 2 before anything is written
    _print_warnings(args.file, warnings)
    scenario = _what_ifs(args, scenario)
    if callable(names):
        names = names(scenario)
    chosen = [c for c in CAPABILITIES if c[0] in names]
    # too large for this machine: said now, with the estimate, not by an out-of-memory kill
    from netplan.resources import check_resources, estimate_run_resources

    check_resources(estimate_run_resources(scenario, stages=names, workers=_workers()))
    ctx = _context(args, scenario)
    progress = _Progress(quiet=quiet, n_stages=len(chosen) + 1)
    results = RunResults(scenario, source=args.file, warnings=list(warnings))
    out = Path(args.out)
    sections, failure = [], None
    if ctx.get("progress_path"):  # a broken progress file is bad input: before anything runs
        _progress_log(scenario, ctx)
    with contextlib.ExitStack() as run_stack:
        # the run writes a new folder beside --out, which replaces --out whole at the end
        new = run_stack.enter_context(replaced_folder(out))
        if "simulation" in names and not getattr(args, "no_plot", False) and _workers() > 1:
            # one process pool for the run: the topology pictures are drawn in it while the
            # migration and capacity stages compute, then the simulations run in it
            from netplan.simulation.validate import simulation_pool

            ctx["pool"] = run_stack.enter_context(simulation_pool(_workers()))
        ctx["deferred"] = []
        run_stack.callback(_discard_deferred, ctx)  # interrupted: no staging folder left
        for name, steps, fn in chosen:
            start = time.perf_counter()
            try:
                with progress.stage(name, steps), staged_output(new) as stage:
                    section = fn(scenario, stage, progress, pictures=not args.no_plot,
                                 ctx=ctx, results=results)
                # a stage's background work writes into a staging folder of its own
                for owner, submit in ctx["deferred"]:
                    if not isinstance(submit, tuple):
                        cm = staged_output(new)
                        future = submit(cm.__enter__())
                        ctx["deferred"][ctx["deferred"].index((owner, submit))] = (
                            owner, (future, cm))
            except (KeyboardInterrupt, OSError):
                raise
            except Exception as exc:  # noqa: BLE001 - recorded, reported, re-raised below
                failure = exc
                results.stages.append(StageRecord(name, "failed", time.perf_counter() - start,
                                                  error=f"{type(exc).__name__}: {exc}"))
                break
            skipped = getattr(section, "skipped", None)
            results.stages.append(StageRecord(name, "skipped" if skipped else "done",
                                              time.perf_counter() - start, list(section.files),
                                              error=skipped))
            sections.append(section)
            if name in ("capacity", "simulation") or name == chosen[-1][0]:
                failure = _join_deferred(ctx, results, sections) or failure
                if failure is not None:
                    break
        failure = _join_deferred(ctx, results, sections) or failure
        finished = any(s.status == "done" for s in results.stages)
        if failure is not None and not finished:  # raised in here: --out is left as it was
            failed = next(s for s in results.stages if s.status == "failed")
            progress.done(f"stopped at the {failed.name} stage; nothing was written")
            raise _StageFailed(failed.name, False) from failure
        with progress.stage("report", 1):
            progress("writing report.html, index.md and tables.xlsx")
            _write_report(results, sections, new, ctx)
        missed = [] if failure is not None else _missed_targets(results)
        _write_metadata(new, args, results, missed)
    if failure is not None:  # the earlier stages' outputs and the report are in place
        failed = next(s for s in results.stages if s.status == "failed")
        progress.done(f"stopped at the {failed.name} stage; the earlier stages' outputs and "
                      f"the report (marked incomplete) are in {out}")
        raise _StageFailed(failed.name, True) from failure
    progress.done(f"wrote {out / 'report.html'}")
    no_plan = _no_plan(results)
    if no_plan:  # the outputs are complete (a relaxed plan says by how much), but no plan exists
        for err in no_plan:
            print(f"netplan: no plan: {err}", file=sys.stderr)
        for line in missed:
            print(f"netplan: not met: {line}", file=sys.stderr)
        return EXIT_INFEASIBLE
    if missed:
        for line in missed:
            print(f"netplan: not met: {line}", file=sys.stderr)
        return EXIT_TARGET_MISSED
    return EXIT_OK


def _discard_deferred(ctx: dict) -> None:
    """Remove the staging folders of background work never joined (an interrupted run)."""
    for _, pending in ctx.get("deferred", []):
        if isinstance(pending, tuple):
            future, cm = pending
            future.cancel()
            cm.__exit__(KeyboardInterrupt, KeyboardInterrupt(), None)
    ctx["deferred"] = []


def _join_deferred(ctx: dict, results, sections) -> Exception | None:
    """Wait for the stages' background work; move its files in; the first error, if any."""
    import dataclasses

    from netplan.report.topology_report import picture_markdown

    failure = None
    for owner, (future, cm) in ctx.get("deferred", []):
        record = results.stage(owner)
        try:
            files, pics = future.result()
        except Exception as exc:  # noqa: BLE001 - the owner stage failed after all
            cm.__exit__(type(exc), exc, exc.__traceback__)
            record.status, record.error = "failed", f"{type(exc).__name__}: {exc}"
            failure = failure or exc
            continue
        cm.__exit__(None, None, None)
        record.files += files
        k = next(i for i, sec in enumerate(sections) if sec.title.lower() == owner)
        sections[k] = dataclasses.replace(sections[k], files=sections[k].files + files,
                                          markdown=sections[k].markdown + "\n"
                                          + picture_markdown(pics))
    ctx["deferred"] = []
    return failure


class _StageFailed(Exception):
    """A stage of a run failed (the cause chained); ``wrote``: earlier stages' outputs stay."""

    def __init__(self, stage: str, wrote: bool):
        super().__init__(stage)
        self.stage, self.wrote = stage, wrote


def _write_report(results, sections, out: Path, ctx: dict) -> None:
    """report.html, index.md and tables.xlsx into ``out`` (each file replaced atomically)."""
    from netplan.report import staged_output, write_index
    from netplan.report.html import write_html_report
    from netplan.report.tables import write_workbook

    with staged_output(out) as stage:
        write_index(results.scenario, sections, stage, source=results.source,
                    warnings=results.warnings,
                    incomplete=next((s for s in results.stages if s.status == "failed"),
                                    None))
        write_workbook(out, results.files(), stage / "tables.xlsx")
    write_html_report(results, out, lang=ctx["lang"])


def _write_metadata(out: Path, args, results, missed: list[str]) -> None:
    """``run-metadata.json``: when, how and how long — the one file that differs between runs."""
    from netplan.report.metadata import write_run_metadata

    write_run_metadata(out, argv=getattr(args, "argv", None), source=results.source,
                       stages=results.stages, not_met=missed,
                       seed=getattr(results.scenario.migration, "seed", None))


def _no_plan(results) -> list:
    """The :class:`~netplan.errors.InfeasiblePlanError` of each plan that has no answer."""
    errors = []
    if results.plan is not None:
        errors.append(results.plan.infeasible_error())
    if results.capacity is not None and results.capacity.upgrades is not None:
        errors.append(results.capacity.upgrades.infeasible_error())
    return [e for e in errors if e is not None]


def _missed_targets(results) -> list[str]:
    """The verdicts that are not a clean pass, one line each (empty: every target met)."""
    lines = []
    plan = results.plan
    if plan is not None and not plan.feasible:
        lines.append("migration milestones: " + plan.summary()[0])
    cp = results.capacity
    if cp is not None:
        if cp.upgrades is not None and len(cp.upgrades.lines):
            if not cp.compliant_after:
                lines.append("bandwidth targets: the upgrade plan leaves violations or states "
                             "unchecked (capacity/compliance_after.csv)")
        elif not cp.compliance.ok:
            lines.append(f"bandwidth targets: {cp.compliance.summary()[0]}")
    v = results.validation
    if v is not None and not v.passed:
        verdict = v.verdict()
        bad = verdict[verdict["verdict"] != "PASS"]
        lines.append("interconnect validation: " + "; ".join(
            f"{r.case} {r.tier} {r.verdict}" for r in bad.itertuples()))
    c = results.cutovers
    if c is not None and not c.passed:
        lines.append("cutover windows: some transfers do not finish in their window")
    t = results.timeline
    if t is not None and not t.ok:
        df = t.to_frame()
        lines.append("policy timeline: " + ", ".join(
            f"{n} {status}" for status, n in df["status"].value_counts().items()
            if status != "met"))
    return lines


def _context(args, scenario) -> dict:
    """The run's options: language, simulation options, progress file and as-of date."""
    ctx = {"lang": getattr(args, "lang", "zh"),
           "simulation": _simulation_options(args, scenario)}
    progress_file = getattr(args, "progress", None)
    if progress_file is not None:
        ctx["progress_path"] = progress_file
        ctx["as_of"] = getattr(args, "as_of", None)
    ctx["replan"] = getattr(args, "command", "") == "replan"
    return ctx


def _cmd_topology(args) -> int:
    return _run(args, ["topology"])


def _cmd_schedule(args) -> int:
    return _run(args, ["migration", "policy"])


def _cmd_capacity(args) -> int:
    # the cloud node's weekly allocation and the systems' traffic by year need the plan
    return _run(args, lambda s: ["migration", "capacity"]
                if s.inventory is not None and s.migration is not None else ["capacity"])


def _cmd_simulate(args) -> int:
    # systems on the cloud after the plan (or by a date) need the plan: schedule first
    plan_first = args.cutovers or _systems_setting(args) != "today"
    return _run(args, ["migration", "simulation"] if plan_first else ["simulation"])


def _cmd_run(args) -> int:
    return _run(args, [c[0] for c in CAPABILITIES])


def _cmd_replan(args) -> int:
    return _run(args, ["topology", "migration", "policy"])


def _simulation_options(args, scenario) -> dict:
    """``--failure``, ``--seed`` and ``--duration``, checked against the scenario up front."""
    from netplan.errors import UnknownNodeError
    from netplan.model.diagnose import carriers_in_use
    from netplan.model.scenario import FailureCase

    opts: dict = {"seed": getattr(args, "seed", None),
                  "duration_s": getattr(args, "duration", None),
                  "systems": getattr(args, "systems", None),
                  "compare_provisioned": getattr(args, "compare_provisioned", False)}
    specs = getattr(args, "failure", None) or []
    cases = []
    for text in specs:
        fault = _parse_failure(text)
        if fault.carrier is not None and fault.carrier not in scenario.extranet.carriers:
            raise UnknownNodeError(f"--failure {text}: no carrier {fault.carrier!r}; the "
                                   f"scenario has {', '.join(scenario.extranet.carriers)}")
        in_use = carriers_in_use(scenario)
        if fault.carrier is not None and fault.carrier not in in_use:
            raise NetplanError(f"--failure {text}: carrier {fault.carrier!r} has no line in "
                               f"this scenario (no tier uses it), so failing it tests "
                               f"nothing; the carriers with lines are {', '.join(in_use)}")
        if fault.cloud is not None and fault.cloud not in [c.name for c in scenario.cloud]:
            raise UnknownNodeError(f"--failure {text}: no cloud node {fault.cloud!r}; the "
                                   f"scenario has {', '.join(c.name for c in scenario.cloud)}")
        cases.append(FailureCase(name=text, faults=[fault]))
    opts["cases"] = cases
    if opts["duration_s"] is not None and opts["duration_s"] <= scenario.simulation.measured_from_s:
        raise NetplanError(f"--duration {opts['duration_s']:g} s is not longer than the "
                           f"warm-up ({scenario.simulation.measured_from_s:g} s); simulate "
                           "longer or lower simulation.warmup_s")
    return opts


def _parse_failure(text: str):
    """``carrier:电信``, ``link:A -- B``, ``cloud:节点[@50%]``, each optionally ``@AT+FOR``.

    ``carrier:电信@300+600`` is 电信 down from 300 s for 600 s.
    """
    from pydantic import ValidationError

    from netplan.model.scenario import Fault
    from netplan.units import parse_duration_s

    kind, sep, rest = text.partition(":")
    if not sep or kind not in ("carrier", "link", "cloud") or not rest.strip():
        raise NetplanError(f"--failure {text!r}: write carrier:NAME, link:SOURCE -- TARGET or "
                           "cloud:NAME[@PCT%], optionally followed by @START+DURATION "
                           "(e.g. carrier:电信@5min+10min)")
    fields: dict = {}
    when = re.search(r"@(?P<at>[^@%+]+)(\+(?P<for>[^@%]+))?$", rest)
    if when and not rest.rstrip().endswith("%"):
        try:
            fields["at_s"] = parse_duration_s(when["at"]) if when["at"].strip() != "0" else 0.0
            if when["for"]:
                fields["duration_s"] = parse_duration_s(when["for"])
        except ValueError as exc:
            raise NetplanError(f"--failure {text!r}: {exc}") from None
        rest = rest[: when.start()]
    if kind == "cloud":
        name, _, pct = rest.partition("@")
        fields["cloud"] = name.strip()
        if pct:
            try:
                fields["capacity_pct"] = float(pct.strip().rstrip("%"))
            except ValueError:
                raise NetplanError(f"--failure {text!r}: {pct!r} is not a percentage; write "
                                   "e.g. cloud:政务云梅州节点@50%") from None
    else:
        fields[kind] = rest.strip()
    try:
        return Fault(**fields)
    except ValidationError as exc:
        msg = "; ".join(e["msg"] for e in exc.errors())
        raise NetplanError(f"--failure {text!r}: {msg}") from None


# --------------------------------------------------------------------------- entry point


_FAILURE_HELP = ("a failure case instead of the scenario's (repeatable): carrier:NAME, "
                 "link:SOURCE -- TARGET (node ids; quote the whole spec, e.g. --failure "
                 "'link:广东省/梅州市 -- 广东省/梅州市/梅县区'), cloud:NAME@PCT%%, each optionally "
                 "@START+DURATION, e.g. carrier:电信@5min+10min")


def _parser() -> argparse.ArgumentParser:
    from netplan import __version__

    p = argparse.ArgumentParser(
        prog="netplan",
        description="Plan and simulate e-government extranets and government-cloud migrations.",
        epilog="Exit status: 0 every target met; 1 a target missed or a verdict not a clean "
        "pass (the outputs are complete); 2 bad input; 3 internal error; 4 sweep: some "
        "variant failed; 5 no plan meets the targets (the message says why).",
    )
    p.add_argument("--version", action="version", version=f"netplan {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    v = sub.add_parser("validate", help="check a scenario file and list every problem")
    v.add_argument("file", help="scenario YAML file")
    v.add_argument("--progress", metavar="FILE",
                   help="also check a progress file (CSV/XLSX) against the scenario's "
                   "inventory and sites, as schedule/run/replan read it")
    v.add_argument("--as-of", type=_date_arg, metavar="DATE",
                   help="the date the progress file is complete to (records after it are "
                   "errors)")
    v.add_argument("--topology", action="append", metavar="FILES",
                   help="also check a site/link inventory: SITES.csv,LINKS.csv, a .graphml, a "
                   "node-link .json or an SNDlib network; may be repeated")
    v.set_defaults(func=_cmd_validate)

    s = sub.add_parser("schema", help="print the JSON Schema of scenario files")
    s.add_argument("--out", help="write it to this file instead of stdout")
    s.set_defaults(func=_cmd_schema)

    for name, func, text in (
        ("topology", _cmd_topology, "build the extranet; write tables, survivability, picture"),
        ("schedule", _cmd_schedule, "triage the inventory and schedule the migration; the "
         "policy timeline and the quarterly report"),
        ("capacity", _cmd_capacity, "link loads in every failure state, target compliance, "
         "the least-cost upgrade plan, cloud node sizing and the address plan"),
        ("simulate", _cmd_simulate, "simulate the busy hour and validate every site's service "
         "levels, normal and in failure cases"),
        ("run", _cmd_run, "every stage, then report.html (the verdicts first), index.md and "
         "tables.xlsx"),
        ("replan", _cmd_replan, "re-plan the rest of the migration from a progress file as of "
         "a date; the timeline and the quarterly report"),
    ):
        c = sub.add_parser(name, help=text, description=text)
        c.add_argument("file", help="scenario YAML file")
        c.add_argument("--out", required=True, help="output folder (created if missing)")
        c.add_argument("--no-plot", action="store_true", help="skip the pictures")
        c.add_argument("--quiet", action="store_true", help="no progress output")
        c.add_argument("--lang", choices=["zh", "en"], default="zh",
                       help="language of report.html, the pictures and the bureau workbooks "
                       "(default zh)")
        if name in ("schedule", "run", "replan"):
            c.add_argument("--teams", type=int, metavar="N",
                           help="migration teams (instead of the scenario's, team changes "
                           "dropped)")
            c.add_argument("--time-limit", type=float, metavar="S",
                           help="time budget of the scheduler and of the upgrade plan, "
                           "seconds each")
            c.add_argument("--progress", metavar="FILE",
                           help="progress file (CSV/XLSX: what was inventoried, listed, "
                           "migrated, retired, connected or upgraded, with dates) for the "
                           "timeline and the quarterly report" + (" (required)"
                                                                 if name == "replan" else ""),
                           required=name == "replan")
            c.add_argument("--as-of", type=_date_arg, metavar="DATE",
                           required=name == "replan",
                           help="the date the progress file is complete to (ISO, e.g. "
                           "2020-09-30)" + ("; the new schedule starts the Monday after"
                                            if name == "replan" else ""))
        if name in ("schedule", "simulate", "run", "replan"):
            c.add_argument("--seed", type=int, help="random seed of the heuristic scheduler "
                           "and the simulation (default: the scenario's)")
        if name in ("simulate", "run"):
            c.add_argument("--failure", action="append", metavar="SPEC", help=_FAILURE_HELP)
            c.add_argument("--duration", type=_duration_arg, metavar="TIME",
                           help='simulated time, e.g. "1h", "15min", "900s" (default: '
                           "dimensioned — a 720 s pilot, longer where a verdict needs it)")
            c.add_argument("--systems", type=_systems_arg, metavar="today|planned|DATE",
                           help="which inventory systems are on the cloud in the busy hour: "
                           "today's (default, or the scenario's simulation.systems_on_cloud), "
                           "after the migration plan, or by a date such as 2020-12-31 "
                           "(planned and dates schedule the migration first)")
        if name == "run":
            c.add_argument("--compare-provisioned", action="store_true",
                           help="also simulate the provisioned network, to list which failing "
                           "units the upgrades make pass (twice the simulation time)")
        if name == "simulate":
            c.add_argument("--cutovers", action="store_true",
                           help="also schedule the migration and simulate its heaviest "
                           "cutover weeks")
        c.set_defaults(func=func)

    from netplan.sweep.cli import add_parser as add_sweep

    add_sweep(sub)
    return p


def _date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: write an ISO date such as 2020-09-30"
                                         ) from None


def _systems_arg(text: str):
    import datetime as dt

    if text in ("today", "planned"):
        return text
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: write today, planned or a date such as "
                                         "2020-12-31") from None


def _duration_arg(text: str) -> float:
    from netplan.units import parse_duration_s

    try:
        return parse_duration_s(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


@contextlib.contextmanager
def _terminate_cleanly():
    """SIGTERM (a job scheduler's stop) unwinds like Ctrl-C: the new folder is removed."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status.

    0 every target met; 1 (:data:`EXIT_TARGET_MISSED`) the run finished and the plan misses
    a target or a verdict is not a clean pass; 2 bad input (or an output folder that cannot be
    written), with the problems on stderr; 3 an internal error (a bug: any other exception,
    reported in one line); 4 ``sweep``: some variant failed; 5 (:data:`EXIT_INFEASIBLE`) no
    plan exists: the targets cannot be met, with the explanation; 130 interrupted. When a
    stage fails after others finished, their outputs and the report (marked incomplete) are
    published; 130 also on SIGTERM, which unwinds like Ctrl-C (``--out`` is left as it was).
    """
    args = _parser().parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    with _terminate_cleanly():
        return _main(args)


def _main(args) -> int:
    """:func:`main` once the arguments are parsed: the command, its errors as exit codes."""
    from netplan.errors import InfeasiblePlanError, SolverFailedError

    wrote = "nothing was written"
    try:
        return args.func(args)
    except _StageFailed as stopped:
        exc = stopped.__cause__
        if stopped.wrote:
            wrote = (f"the {stopped.stage} stage wrote nothing; the earlier stages' outputs and "
                     f"the report (marked incomplete) are in {args.out}")
        if isinstance(exc, InfeasiblePlanError):
            print(f"netplan: no plan: {exc}; {wrote}.", file=sys.stderr)
            return EXIT_INFEASIBLE
        if isinstance(exc, SolverFailedError):  # not the input, not (necessarily) a bug
            print(f"netplan: solver failed: {exc}; {wrote}.", file=sys.stderr)
            return EXIT_INTERNAL
        if isinstance(exc, NetplanError):
            print(f"netplan: error: {exc}; {wrote}.", file=sys.stderr)
            return EXIT_INPUT
        print(f"netplan: internal error: {type(exc).__name__}: {exc} — please report it; "
              f"{wrote}.", file=sys.stderr)
        return EXIT_INTERNAL
    except ScenarioError as exc:
        print(f"netplan: error: {exc}", file=sys.stderr)
        if getattr(args, "out", None):
            print("netplan: nothing was written.", file=sys.stderr)
        return EXIT_INPUT
    except InfeasiblePlanError as exc:
        print(f"netplan: no plan: {exc}; {wrote}.", file=sys.stderr)
        return EXIT_INFEASIBLE
    except SolverFailedError as exc:
        print(f"netplan: solver failed: {exc}; {wrote}.", file=sys.stderr)
        return EXIT_INTERNAL
    except NetplanError as exc:
        print(f"netplan: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("netplan: interrupted; nothing was written (the output folder is as it was "
              "before the run).", file=sys.stderr)
        return 130
    except OSError as exc:  # the disk, not the input: an unwritable --out, a full disk
        print(f"netplan: error: {exc}; {wrote}.", file=sys.stderr)
        return EXIT_INPUT
    except Exception as exc:  # noqa: BLE001 - the last resort: a bug, said in one line
        print(f"netplan: internal error: {type(exc).__name__}: {exc} — please report it; "
              f"{wrote}.", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
