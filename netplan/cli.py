"""The ``netplan`` command line: validate, schema, topology, schedule, capacity, simulate, run.

Every command reads a scenario file, reports bad input as ``file: line N: path: message; hint``
lines on stderr and exits with status 2, and writes its outputs only when everything succeeded.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from netplan.errors import NetplanError, ScenarioError

__all__ = ["main"]

EXIT_OK = 0
EXIT_INPUT = 2


class _Progress:
    """Step lines with timings on stderr (quiet with ``--quiet``)."""

    def __init__(self, total: int, quiet: bool = False):
        self.total = total
        self.quiet = quiet
        self.step = 0
        self.t0 = time.perf_counter()
        self.timings: dict[str, float] = {}
        self._last: tuple[str, float] | None = None

    def __call__(self, what: str) -> None:
        self._close()
        self.step += 1
        self._last = (what, time.perf_counter())
        if not self.quiet:
            of = f"/{self.total}" if self.total else ""  # 0: not known yet
            print(f"netplan: [{self.step}{of}] {what} …", file=sys.stderr, flush=True)

    def _close(self) -> None:
        if self._last is not None:
            what, start = self._last
            self.timings[what] = time.perf_counter() - start
            self._last = None

    def done(self, message: str) -> None:
        self._close()
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
    scenario, warnings = _read(args.file)
    _print_warnings(args.file, warnings)
    print(f"{args.file}: OK — scenario {scenario.name!r}, {len(scenario.region.city_names())} "
          f"cities, {len(warnings)} warning(s)")
    return EXIT_OK


def _cmd_schema(args) -> int:
    from netplan.io.scenario_yaml import scenario_json_schema

    text = json.dumps(scenario_json_schema(), ensure_ascii=False, indent=2)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return EXIT_OK


def _topology_section(scenario, out_dir: Path, progress: _Progress, *, pictures: bool,
                      ctx: dict):
    from netplan.report.topology_report import write_topology_report
    from netplan.topology import reachability, summarize, survivability

    progress("building the four-tier extranet")
    topo = _topology(scenario, ctx)
    progress(f"checking reachability ({topo.n_nodes:,} nodes, {topo.n_links:,} links)")
    summary = summarize(topo)
    reach = reachability(topo)
    progress(f"checking survivability ({len(topo.carriers)} carrier failures, links, nodes)")
    surv = survivability(topo)
    progress("writing topology tables" + (" and pictures" if pictures else ""))
    return write_topology_report(scenario, topo, summary, reach, surv, out_dir,
                                 pictures=pictures)


def _topology(scenario, ctx: dict):
    """The scenario's topology, built once per run and shared by the sections."""
    if "topology" not in ctx:
        from netplan.topology import build_topology

        ctx["topology"] = build_topology(scenario)
    return ctx["topology"]


def _migration_section(scenario, out_dir: Path, progress: _Progress, *, pictures: bool,
                       ctx: dict):
    from netplan.io.inventory_io import read_inventory
    from netplan.migration.plan import plan_migration
    from netplan.report.migration_report import write_migration_report
    from netplan.report.topology_report import ReportSection

    if scenario.inventory is None or scenario.migration is None:
        progress("migration: skipped (no inventory or migration section)")
        return ReportSection("Migration", "## Migration\n\nNo `inventory` or `migration` "
                             "section in the scenario: nothing to schedule.\n", [])
    progress(f"reading the inventory {Path(scenario.inventory.path).name}")
    inventory = read_inventory(scenario.inventory.path, encoding=scenario.inventory.encoding)
    progress(f"scheduling {len(inventory.systems)} systems "
             f"({scenario.migration.backend}, ≤ {scenario.migration.time_limit_s:g} s)")
    plan = plan_migration(scenario, inventory, topology=_topology(scenario, ctx))
    ctx["plan"] = plan
    if not plan.feasible:  # a result, not an error (exit 0), but said even with --quiet
        for line in plan.summary():
            print(f"netplan: warning: {line}", file=sys.stderr)
    progress("writing the schedule, lists and charts")
    return write_migration_report(scenario, plan, out_dir, pictures=pictures)


def _capacity_section(scenario, out_dir: Path, progress: _Progress, *, pictures: bool,
                      ctx: dict):
    from netplan.capacity import plan_capacity
    from netplan.report.capacity_report import write_capacity_report

    topo = _topology(scenario, ctx)
    plan = ctx.get("plan")
    inventory = plan.mp.inventory if plan is not None else None
    if inventory is None and scenario.inventory is not None:
        from netplan.io.inventory_io import read_inventory

        inventory = read_inventory(scenario.inventory.path,
                                   encoding=scenario.inventory.encoding)
    years = scenario.capacity.years or [scenario.year]
    progress(f"loading {topo.n_links:,} links per year ({', '.join(map(str, years))}), normal, "
             f"each carrier and each single line down; checking the targets; planning the "
             f"upgrades (≤ {scenario.capacity.time_limit_s:g} s)")
    cp = plan_capacity(scenario, topo, inventory=inventory, migration=plan)
    ctx["capacity"] = cp
    up = cp.upgrades
    if up is not None and up.status in ("infeasible", "over_budget", "no_solution"):
        for line in up.summary()[:3]:
            print(f"netplan: warning: {line}", file=sys.stderr)
    progress("writing loads, compliance, the upgrade plan, cloud and address tables")
    return write_capacity_report(scenario, cp, out_dir, pictures=pictures)


def _simulation_section(scenario, out_dir: Path, progress: _Progress, *, pictures: bool,
                        ctx: dict):
    from netplan.report.simulation_report import write_simulation_report
    from netplan.simulation import (
        cloud_system_mbps,
        default_failure_cases,
        validate_cutovers,
        validate_interconnect,
    )

    topo = _topology(scenario, ctx)
    before = None
    cp = ctx.get("capacity")
    upgraded = (cp is not None and cp.upgrades is not None and len(cp.upgrades.lines)
                and cp.upgrades.status != "no_solution")
    opts = ctx.get("simulation", {})
    cases = opts.get("cases") or default_failure_cases(scenario)
    duration = opts.get("duration_s") or scenario.simulation.duration_s
    systems = _systems_on_cloud(scenario, ctx)
    system_mbps = cloud_system_mbps(topo, systems.systems,
                                    default_mbps=scenario.demand.system_mbps)
    progress(f"simulating {duration:g} s of traffic, {systems.label} "
             f"({sum(system_mbps.values()):,.0f} Mbps): normal and {len(cases)} "
             f"failure case(s) ({', '.join(c.name for c in cases) or 'none'})")
    if upgraded:
        before = validate_interconnect(scenario, topo, systems=systems, cases=cases,
                                       seed=opts.get("seed"),
                                       duration_s=opts.get("duration_s"), workers=_workers())
        year = scenario.year or (scenario.capacity.years or [None])[0]
        topo = cp.upgrades.upgraded(year)
        progress(f"simulating the same on the network upgraded by the plan ({year})")
    else:
        progress("no upgrade plan: the provisioned network only")
    validation = validate_interconnect(scenario, topo, systems=systems, cases=cases,
                                       seed=opts.get("seed"),
                                       duration_s=opts.get("duration_s"), workers=_workers())
    cutovers = None
    if "plan" in ctx and ctx["plan"].starts is not None:
        progress(f"simulating the {scenario.simulation.cutover_weeks} heaviest cutover weeks")
        cutovers = validate_cutovers(scenario, ctx["plan"], topo, seed=opts.get("seed"),
                                     systems=systems, workers=_workers())
    else:
        progress("cutover windows: skipped (no migration plan in this run)")
    progress("writing validation tables, link loads and time series")
    return write_simulation_report(scenario, validation, out_dir, cutovers=cutovers,
                                   pictures=pictures, before=before)


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


#: Capabilities that ``netplan run`` runs, in order: (name, steps, section writer).
CAPABILITIES: list[tuple[str, int, Callable]] = [
    ("topology", 4, _topology_section),
    ("migration", 3, _migration_section),
    ("capacity", 2, _capacity_section),
    ("simulation", 4, _simulation_section),
]


def _run(args, names: list[str] | Callable) -> int:
    """Run the capabilities ``names`` (or ``names(scenario)``, once the scenario is read)."""
    from netplan.report import staged_output, write_index

    def total(chosen_names) -> int:
        return 1 + sum(c[1] for c in CAPABILITIES if c[0] in chosen_names) + 1

    # the steps are known up front, or (names a function of the scenario) once it is read
    progress = _Progress(total=0 if callable(names) else total(names), quiet=args.quiet)
    progress(f"reading {args.file}")
    scenario, warnings = _read(args.file)
    _print_warnings(args.file, warnings)
    if callable(names):
        names = names(scenario)
        progress.total = total(names)
    chosen = [c for c in CAPABILITIES if c[0] in names]
    ctx = {"simulation": _simulation_options(args, scenario)}
    with staged_output(args.out) as stage:
        sections = [fn(scenario, stage, progress, pictures=not args.no_plot, ctx=ctx)
                    for _, _, fn in chosen]
        progress("writing the report index")
        write_index(scenario, sections, stage, source=args.file, warnings=warnings,
                    timings_s=progress.timings)
    progress.done(f"wrote {Path(args.out) / 'index.md'}")
    return EXIT_OK


def _cmd_topology(args) -> int:
    return _run(args, ["topology"])


def _cmd_schedule(args) -> int:
    return _run(args, ["migration"])


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


def _simulation_options(args, scenario) -> dict:
    """``--failure``, ``--seed`` and ``--duration``, checked against the scenario up front."""
    from netplan.errors import UnknownNodeError
    from netplan.model.diagnose import carriers_in_use
    from netplan.model.scenario import FailureCase

    opts: dict = {"seed": getattr(args, "seed", None),
                  "duration_s": getattr(args, "duration", None),
                  "systems": getattr(args, "systems", None)}
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


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="netplan",
        description="Plan and simulate e-government extranets and government-cloud migrations.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    v = sub.add_parser("validate", help="check a scenario file and list every problem")
    v.add_argument("file", help="scenario YAML file")
    v.set_defaults(func=_cmd_validate)

    s = sub.add_parser("schema", help="print the JSON Schema of scenario files")
    s.add_argument("--out", help="write it to this file instead of stdout")
    s.set_defaults(func=_cmd_schema)

    for name, func, text in (
        ("topology", _cmd_topology, "build the extranet; write tables, survivability, picture"),
        ("schedule", _cmd_schedule, "triage the inventory and schedule the migration"),
        ("capacity", _cmd_capacity, "link loads in every failure state, target compliance, "
         "the least-cost upgrade plan, cloud node sizing and the address plan"),
        ("simulate", _cmd_simulate, "simulate the busy hour and validate every site's service "
         "levels, normal and in failure cases"),
        ("run", _cmd_run, "run every capability and write a report index"),
    ):
        c = sub.add_parser(name, help=text)
        c.add_argument("file", help="scenario YAML file")
        c.add_argument("--out", required=True, help="output folder (created if missing)")
        c.add_argument("--no-plot", action="store_true", help="skip the pictures")
        c.add_argument("--quiet", action="store_true", help="no progress lines")
        if name in ("simulate", "run"):
            c.add_argument("--failure", action="append", metavar="SPEC",
                           help="a failure case instead of the scenario's (repeatable): "
                           "carrier:NAME, link:SOURCE -- TARGET, cloud:NAME@PCT%%, optionally "
                           "@START+DURATION, e.g. carrier:电信@5min+10min")
            c.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
            c.add_argument("--duration", type=_duration_arg, metavar="TIME",
                           help='simulated time, e.g. "1h", "15min", "900s"')
            c.add_argument("--systems", type=_systems_arg, metavar="today|planned|DATE",
                           help="which inventory systems are on the cloud in the busy hour: "
                           "today's (default, or the scenario's simulation.systems_on_cloud), "
                           "after the migration plan, or by a date such as 2020-12-31 "
                           "(planned and dates schedule the migration first)")
        if name == "simulate":
            c.add_argument("--cutovers", action="store_true",
                           help="also schedule the migration and simulate its heaviest "
                           "cutover weeks")
        c.set_defaults(func=func)
    return p


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


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status.

    0 ok; 2 bad input (or an output folder that cannot be written), with the problems on
    stderr; 3 an internal error (a bug: any other exception, reported in one line, nothing
    written); 130 interrupted.
    """
    args = _parser().parse_args(argv)
    try:
        return args.func(args)
    except ScenarioError as exc:
        print(f"netplan: error: {exc}", file=sys.stderr)
        if getattr(args, "out", None):
            print("netplan: nothing was written.", file=sys.stderr)
        return EXIT_INPUT
    except NetplanError as exc:
        print(f"netplan: error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("netplan: interrupted; nothing was written.", file=sys.stderr)
        return 130
    except OSError as exc:  # the disk, not the input: an unwritable --out, a full disk
        print(f"netplan: error: {exc}; nothing was written.", file=sys.stderr)
        return EXIT_INPUT
    except Exception as exc:  # noqa: BLE001 - the last resort: a bug, said in one line
        print(f"netplan: internal error: {type(exc).__name__}: {exc} — please report it; "
              "nothing was written.", file=sys.stderr)
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
