"""The policy timeline: each dated target of the documents judged against the plan.

:func:`evaluate_timeline` judges every target of ``targets.timeline`` (with the old
``targets.milestones`` as kind ``other`` and the ``targets.systems_on_cloud`` targets that the
timeline does not name; see :meth:`netplan.model.scenario.Targets.full_timeline`). Each row
gets a status:

``met``
    The plan (or the recorded progress) reaches the target by its due date.
``missed``
    It does not: the plan reaches it late or never, or the due date has passed (``as_of``)
    without the progress log recording it.
``at risk``
    Not reached yet, but the due date has not passed (progress-judged targets); the recorded
    progress is behind the plan (plan-judged targets, due date not passed); or an upgrade the
    plan puts in service after the due date although its line needs it only later.
``not planned``
    Nothing to judge it by: no migration plan, capacity plan or progress log for its kind.
    It counts against a clean verdict (:attr:`Timeline.ok` is True only when every target is
    met).

Rules by kind (``planned`` is the date the target is reached; ``slack_days`` = due − planned):

*Judged from the plans* (a recorded progress log can only confirm or overturn them):

``systems_on_cloud``
    From :meth:`MigrationPlan.milestones() <netplan.migration.result.MigrationPlan.milestones>`:
    the Sunday the count is reached in the plan shown (the relaxed plan when no plan meets the
    targets). With a progress log and ``as_of`` on or after the due date, the systems recorded
    ``migrated`` by the due date (plus those on the cloud before the plan) decide instead;
    before it, a recorded count behind the plan's at ``as_of`` makes a met target at risk.
``platform_connected``
    From :meth:`MigrationPlan.platform_connections()
    <netplan.migration.result.MigrationPlan.platform_connections>` (migrated systems connect at
    their cutover, kept ones ``exchange_platform.connections_per_week`` a week from the
    platform upgrade date): ``planned`` is the first quarterly report date
    (``targets.report_dates``) at which the share of the systems in use that are connected
    reaches ``pct``. Recorded ``connected`` events overturn it as for systems_on_cloud.
``backbone_upgrade`` / ``platform_upgrade``
    From the capacity plan's upgrade lines of the backbone (the city cores' uplinks to the
    province, and the province's to the national backbone) / of the exchange platform's links
    to the city core. **A plan year's upgrades are in service by 1 January of that year**: the
    plan's loads of a year (demand grows by the year) hold for the whole year, so its
    capacities must; for the first plan year that means at once. ``planned`` is the latest
    in-service date of those lines (none: no upgrade is needed, met). An upgrade in service
    after the due date is ``at risk`` when every requirement on its line first binds after
    the due date too (the network is fine, the document's date is not kept), ``missed``
    otherwise; a requirement on those lines the plan leaves unmet (a budget, no catalogue
    option) is ``missed``. Without an upgrade plan (no catalogue): not planned. Recorded
    ``upgraded`` events of the plan's lines (``SOURCE -- TARGET`` or a link id) overturn it
    as for systems_on_cloud.
``four_tier_coverage``
    From the capacity plan's compliance: reached on 1 January of the first plan year from
    which the ``village_coverage`` rule has no violation on the upgraded network (the
    provisioned network for the first year when it has none already).

*Judged only from the recorded progress* (a DataFrame with ``item_kind``, ``item_id``,
``event``, ``date``, or the :class:`~netplan.migration.progress.ProgressLog` that
:func:`netplan.io.progress_io.read_progress` reads; a ``unit`` row is a department and
stands for each of its systems):

``inventory_city`` / ``inventory_county``
    Every city / county system of the inventory recorded ``inventoried`` (itself or its
    unit).
``three_lists``
    Every system of the inventory recorded ``listed`` (on the three lists, 三张清单).
``unit_plans``
    Every unit (department) owning a system to migrate (in the plan's triage; every
    department without a plan) handed in its plan: a ``plan_submitted`` row of the unit, or
    one of each of its systems to migrate. ``required`` and ``achieved`` count units.
``other``
    A row whose ``item_id`` is the target's name (any kind, any event).

The target is met when everything is recorded by the due date (``planned`` is the date of
the last record), missed when recorded later or when ``as_of`` (default: the log's last date)
is past the due date, at risk otherwise. Without a log they are not planned: nothing says
they are done.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from netplan.errors import InputFileError, Issue
from netplan.model.scenario import Scenario, TimelineTarget

if TYPE_CHECKING:
    from netplan.capacity.plan import CapacityPlan
    from netplan.migration.inventory import Inventory
    from netplan.migration.result import MigrationPlan

__all__ = ["evaluate_timeline", "Timeline", "TimelineEntry", "TargetStatus",
           "TIMELINE_COLUMNS", "PROGRESS_COLUMNS", "backbone_positions", "platform_positions"]

#: Columns of :meth:`Timeline.to_frame`.
TIMELINE_COLUMNS = ["target", "kind", "due", "planned", "status", "slack_days", "required",
                    "achieved"]
#: Columns a progress log must have.
PROGRESS_COLUMNS = ["item_kind", "item_id", "event", "date"]

#: What ``required`` and ``achieved`` count, per kind.
UNITS = {"inventory_city": "systems", "inventory_county": "systems", "three_lists": "systems",
         "unit_plans": "units", "platform_upgrade": "lines", "backbone_upgrade": "lines",
         "systems_on_cloud": "systems", "four_tier_coverage": "% of villages",
         "platform_connected": "% of systems in use", "other": "records"}


class TargetStatus(enum.StrEnum):
    """How a dated target fares: met, missed, at risk, or not planned (nothing to judge by)."""

    MET = "met"
    MISSED = "missed"
    AT_RISK = "at risk"
    NOT_PLANNED = "not planned"


@dataclass(frozen=True)
class TimelineEntry:
    """One dated target and its verdict.

    Attributes
    ----------
    target : str
        The target's name (as the document words it).
    kind : str
    due : date
    planned : date or None
        When the plan (or the log) reaches it; None when it never does or nothing says.
    status : TargetStatus
    slack_days : int or None
        ``due - planned`` in days (negative when late).
    required, achieved : float or None
        In :data:`UNITS` of the kind; ``achieved`` by the due date (by ``as_of`` when earlier).
    basis : str
        What it was judged from: ``migration plan``, ``capacity plan``, ``progress log``;
        for a target not planned, what is lacking (``no progress log``, ``no capacity
        plan``, ...).
    note : str
        Why, in words.
    """

    target: str
    kind: str
    due: dt.date
    planned: dt.date | None
    status: TargetStatus
    slack_days: int | None
    required: float | None
    achieved: float | None
    basis: str
    note: str = ""


@dataclass(frozen=True)
class Timeline:
    """The dated targets of a scenario, each judged (see the module docstring for the rules).

    Attributes
    ----------
    entries : tuple of TimelineEntry
        In date order.
    as_of : date or None
        The date the progress was judged at (None without a log or date).
    notes : tuple of str
        What could not be judged and why (it counts against a clean verdict).
    """

    entries: tuple[TimelineEntry, ...]
    as_of: dt.date | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True only when every target is met (not planned ones count against it)."""
        return all(e.status is TargetStatus.MET for e in self.entries)

    def to_frame(self) -> pd.DataFrame:
        """One row per target: :data:`TIMELINE_COLUMNS`; ``attrs["unit"]`` per kind."""
        df = pd.DataFrame([{"target": e.target, "kind": e.kind, "due": e.due,
                            "planned": e.planned, "status": e.status.value,
                            "slack_days": e.slack_days, "required": e.required,
                            "achieved": e.achieved} for e in self.entries],
                          columns=TIMELINE_COLUMNS)
        df.attrs["unit"] = {"slack_days": "days", "required": dict(UNITS),
                            "achieved": dict(UNITS)}
        return df

    def summary(self) -> list[str]:
        """The verdict and one line per target not met."""
        counts = {s: sum(e.status is s for e in self.entries) for s in TargetStatus}
        head = ("Timeline: every dated target is met" if self.ok and self.entries else
                "Timeline: " + ", ".join(f"{n} {s.value}" for s, n in counts.items() if n)
                if self.entries else "Timeline: no dated targets")
        lines = [head + (f" (as of {self.as_of})." if self.as_of else ".")]
        lines += [f"  {e.target} ({e.kind}, due {e.due}): {e.status.value} — {e.note}"
                  for e in self.entries if e.status is not TargetStatus.MET]
        return lines + list(self.notes)

    def __str__(self) -> str:
        return "\n".join(self.summary())


# --------------------------------------------------------------------------- helpers


def _entry(t: TimelineTarget, status: TargetStatus, planned: dt.date | None, required,
           achieved, basis: str, note: str) -> TimelineEntry:
    slack = None if planned is None else (t.date - planned).days
    return TimelineEntry(t.name, t.kind, t.date, planned, status, slack,
                         None if required is None else float(required),
                         None if achieved is None else float(achieved), basis, note)


def _not_planned(t: TimelineTarget, lacking: str, why: str) -> TimelineEntry:
    return _entry(t, TargetStatus.NOT_PLANNED, None, None, None, f"no {lacking}", why)


def _check_progress(progress: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in PROGRESS_COLUMNS if c not in progress.columns]
    if missing:
        raise InputFileError([Issue("progress", f"the progress log lacks column(s) "
                                    f"{', '.join(missing)}",
                                    f"it needs {', '.join(PROGRESS_COLUMNS)}")])
    df = progress[PROGRESS_COLUMNS].copy()
    df["date"] = [d.date() if isinstance(d, pd.Timestamp) else d for d in df["date"]]
    df["item_id"] = df["item_id"].astype(str)
    return df


def _first_dates(log: pd.DataFrame, event: str | None,
                 kind: str | None = "system") -> dict[str, dt.date]:
    """Per item id (of ``kind``; any kind when None), its first date of ``event`` (any: None)."""
    rows = log if event is None else log[log["event"] == event]
    if kind is not None:
        rows = rows[rows["item_kind"] == kind]
    out: dict[str, dt.date] = {}
    for i, d in zip(rows["item_id"], rows["date"], strict=True):
        if i not in out or d < out[i]:
            out[i] = d
    return out


def _earliest(*dates: dt.date | None) -> dt.date | None:
    known = [d for d in dates if d is not None]
    return min(known) if known else None


def backbone_positions(links: pd.DataFrame) -> np.ndarray:
    """Positions of the backbone lines: uplinks of the city and province tiers.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> backbone_positions(build_topology(tiny_scenario()).links).tolist()
    [1, 3]
    """
    kind = links["kind"].to_numpy(dtype=str)
    tier = links["tier"].to_numpy(dtype=str)
    return np.flatnonzero((kind == "uplink") & np.isin(tier, ["city", "province"]))


def platform_positions(links: pd.DataFrame, nodes: pd.DataFrame) -> np.ndarray:
    """Positions of the exchange platform's links to the city core.

    Examples
    --------
    >>> from netplan.examples import tiny_scenario
    >>> from netplan.topology import build_topology
    >>> t = build_topology(tiny_scenario())
    >>> platform_positions(t.links, t.nodes).tolist()
    [8, 9]
    """
    kind = nodes["kind"].reindex(links["source"]).to_numpy(dtype=object)
    return np.flatnonzero(kind == "platform")


# --------------------------------------------------------------------------- by kind


def _recorded(t: TimelineTarget, done: dict[str, dt.date | None] | None,
              as_of: dt.date | None, what: str) -> TimelineEntry:
    """Judge a progress-judged target from each unit's completion date (None: not recorded)."""
    if done is None:
        return _not_planned(t, "progress log",
                            f"judged only from a progress log ({what}), and none is given")
    cutoff = min(t.date, as_of) if as_of is not None else t.date
    achieved = sum(1 for d in done.values() if d is not None and d <= cutoff)
    n = len(done)
    if all(d is not None for d in done.values()):
        last = max(done.values(), default=None)
        if last is None or last <= t.date:
            return _entry(t, TargetStatus.MET, last, n, achieved, "progress log",
                          f"{what}: all {n} recorded" + (f" by {last}" if last else ""))
        return _entry(t, TargetStatus.MISSED, last, n, achieved, "progress log",
                      f"{what}: all {n} recorded, the last on {last}, after the due date")
    left = n - sum(1 for d in done.values() if d is not None)
    if as_of is not None and as_of > t.date:
        return _entry(t, TargetStatus.MISSED, None, n, achieved, "progress log",
                      f"{what}: {left} of {n} not recorded by {as_of}, past the due date")
    return _entry(t, TargetStatus.AT_RISK, None, n, achieved, "progress log",
                  f"{what}: {left} of {n} not recorded yet (as of {as_of})")


def _with_records(entry: TimelineEntry, t: TimelineTarget, recorded_by, planned_by,
                  want: float, as_of: dt.date | None, what: str) -> TimelineEntry:
    """Let recorded progress confirm or overturn a plan-judged entry."""
    if as_of is None or recorded_by is None:
        return entry
    if as_of >= t.date:
        have = recorded_by(t.date)
        ok = have >= want
        return TimelineEntry(entry.target, entry.kind, entry.due, entry.planned,
                             TargetStatus.MET if ok else TargetStatus.MISSED, entry.slack_days,
                             entry.required, float(have), "progress log",
                             f"{have:g} {what} recorded by the due date, {want:g} required")
    have, plan = recorded_by(as_of), planned_by(as_of)
    if entry.status is TargetStatus.MET and have < plan:
        return TimelineEntry(entry.target, entry.kind, entry.due, entry.planned,
                             TargetStatus.AT_RISK, entry.slack_days, entry.required,
                             float(have), "progress log",
                             f"{have:g} {what} recorded by {as_of}, behind the plan's "
                             f"{plan:g}; " + entry.note)
    return entry


def _systems_on_cloud(t: TimelineTarget, plan: MigrationPlan | None, log, as_of):
    if plan is None:
        return _not_planned(t, "migration plan", "no migration plan")
    mp = plan.mp
    already = len(mp.already_on_cloud) + len(mp.done)
    n_move = sum(len(g.systems) for g in mp.groups)
    want = already + n_move if t.systems == "all" else int(t.systems)
    ms = plan.milestones()
    row = ms[(ms["date"] == t.date) & (ms["required"] == want)]
    cut = sorted(d for d in plan.to_frame().get("cutover_date", pd.Series(dtype=object))
                 if d is not None and not pd.isna(d))
    if len(row):
        reached, on = row["reached_on"].iloc[0], int(row["on_cloud"].iloc[0])
    else:  # not a scheduler target (diagnose flags it): count the plan's cutovers
        reached = mp.grid.start if want <= already else (
            cut[want - already - 1] if len(cut) >= want - already else None)
        on = already + sum(1 for d in cut if d <= t.date)
    if reached is None or pd.isna(reached):
        entry = _entry(t, TargetStatus.MISSED, None, want, on, "migration plan",
                       f"never reached: at most {mp.reachable} systems can be on the cloud"
                       if plan.starts is not None else "no plan moves the systems")
    else:
        late = reached > t.date
        shown = "" if plan.feasible else " (the plan without the dated targets)"
        entry = _entry(t, TargetStatus.MISSED if late else TargetStatus.MET, reached, want, on,
                       "migration plan", f"{want} systems on the cloud on {reached}{shown}")
    if log is None:
        return entry
    migrated = _first_dates(log, "migrated")
    base = set(mp.already_on_cloud) | set(mp.done)

    def recorded_by(day):
        return len(base | {i for i, d in migrated.items() if d <= day})

    def planned_by(day):
        return already + sum(1 for d in cut if d <= day)

    return _with_records(entry, t, recorded_by, planned_by, want, as_of, "systems on the cloud")


def _platform_connected(t: TimelineTarget, scenario: Scenario, plan: MigrationPlan | None,
                        log, as_of):
    if plan is None:
        return _not_planned(t, "migration plan",
                            "no migration plan (connections follow its cutovers)")
    pct = 100.0 if t.pct is None else float(t.pct)
    conns = plan.platform_connections(scenario)
    use = conns[conns["must_connect"]]
    n = len(use)
    connected0 = set(use.loc[use["connected_already"], "system_id"])
    dated = [(d, i) for d, i in zip(use["planned_date"], use["system_id"], strict=True)
             if d is not None and i not in connected0]

    def planned_by(day):
        return len(connected0) + sum(1 for d, _ in dated if d <= day)

    def share(count):
        return round(100 * count / n, 1) if n else 100.0

    prog = plan.progress(scenario=scenario)
    reached = next((d for d, c in zip(prog["date"], prog["platform_connected"], strict=True)
                    if 100 * c >= pct * n - 1e-9), None)
    achieved = share(planned_by(t.date))
    if reached is None:
        never = n - len(connected0) - len(dated)
        why = (f"{never} system(s) in use get no connection date (no plan)" if never else
               f"the share reaches {share(planned_by(dt.date.max))}% only")
        entry = _entry(t, TargetStatus.MISSED, None, pct, achieved, "migration plan",
                       f"{pct:g}% never reached at a report date: {why}")
    else:
        entry = _entry(t, TargetStatus.MET if reached <= t.date else TargetStatus.MISSED,
                       reached, pct, achieved, "migration plan",
                       f"{pct:g}% of the {n} systems in use connected at the report date "
                       f"{reached}")
    if log is None:
        return entry
    recorded = _first_dates(log, "connected")
    in_use = set(use["system_id"])

    def recorded_count(day):
        return len(connected0 | {i for i, d in recorded.items() if d <= day and i in in_use})

    return _with_records(entry, t, lambda day: share(recorded_count(day)),
                         lambda day: share(planned_by(day)), pct, as_of,
                         "% of the systems in use connected")


def _upgrade(t: TimelineTarget, capacity: CapacityPlan | None, what: str, log, as_of):
    entry, service = _planned_upgrade(t, capacity, what)
    if log is None or not service:
        return entry
    links = capacity.upgrades.topology.links
    recorded = _first_dates(log, "upgraded", "link")
    label = {int(i): (f"{a} -- {b}", f"{b} -- {a}", str(i))
             for i, a, b in zip(links.index, links["source"], links["target"], strict=True)}

    def recorded_by(day):
        return sum(1 for i in service
                   if any(recorded.get(x, dt.date.max) <= day for x in label[i]))

    def planned_by(day):
        return sum(1 for d in service.values() if d <= day)

    return _with_records(entry, t, recorded_by, planned_by, len(service), as_of,
                         f"of the plan's {len(service)} {what} line upgrades")


def _planned_upgrade(t: TimelineTarget, capacity: CapacityPlan | None, what: str
                     ) -> tuple[TimelineEntry, dict[int, dt.date]]:
    """The entry from the capacity plan, and the in-service date per link id it upgrades."""
    if capacity is None:
        return _not_planned(t, "capacity plan", "no capacity plan"), {}
    up = capacity.upgrades
    if up is None:
        return _not_planned(t, "upgrade plan", "the capacity plan has no upgrade plan "
                            "(no capacity.catalogue)"), {}
    links, nodes = up.topology.links, up.topology.nodes
    pos = backbone_positions(links) if what == "backbone" else platform_positions(links, nodes)
    if not len(pos):
        return _not_planned(t, f"{what} lines", f"the network has no {what} lines"), {}
    mine = set(pos.tolist())
    cap0 = links["capacity_mbps"].to_numpy(dtype=float, na_value=0.0)
    unmet = []
    touching = [r for r in up.requirements if mine.intersection(r.lines)]
    for r in touching:
        have = up.capacity_by_year.get(r.year)
        if have is not None and have[list(r.lines)].sum() < r.need_mbps - 1e-6:
            unmet.append(r)
    ids = links.index.to_numpy()
    position = {int(i): p for p, i in enumerate(ids)}
    rows = up.lines[up.lines["link_id"].isin(ids[pos])]
    n = int(rows["link_id"].nunique())
    if unmet:
        r = min(unmet, key=lambda r: r.year)
        return _entry(t, TargetStatus.MISSED, None, n, None, "capacity plan",
                      f"the plan leaves {len(unmet)} requirement(s) on the {what} lines unmet, "
                      f"first {r.where} ({r.rule}, {r.state}) in {r.year}: "
                      f"{r.need_mbps:,.0f} Mbps needed"), {}
    if not n:
        return _entry(t, TargetStatus.MET, None, 0, 0, "capacity plan",
                      f"no upgrade needed: the {what} lines meet every requirement in every "
                      "plan year"), {}
    service: dict[int, dt.date] = {}
    for i, y in zip(rows["link_id"], rows["year"], strict=True):
        service[int(i)] = max(service.get(int(i), dt.date.min), dt.date(int(y), 1, 1))
    planned = max(service.values())
    achieved = sum(1 for d in service.values() if d <= t.date)
    late = {i: d for i, d in service.items() if d > t.date}
    if not late:
        return _entry(t, TargetStatus.MET, planned, n, achieved, "capacity plan",
                      f"{n} {what} line(s) upgraded, the last in service on {planned} "
                      "(a plan year's upgrades are in service by 1 January)"), service
    years = sorted(up.capacity_by_year)

    def binds(link_id: int, year: int) -> int:
        """First year a requirement on the line needs more than it had before ``year``."""
        p = position[link_id]
        before = [y for y in years if y < year]
        prev = up.capacity_by_year[before[-1]] if before else cap0
        need = [r.year for r in touching if p in r.lines and r.year >= year
                and prev[list(r.lines)].sum() < r.need_mbps - 1e-6]
        return min(need, default=9999)

    early = sorted({int(i) for i, y in zip(rows["link_id"], rows["year"], strict=True)
                    if dt.date(int(y), 1, 1) > t.date
                    and dt.date(min(binds(int(i), int(y)), 9999), 1, 1) <= t.date})
    if early:
        return _entry(t, TargetStatus.MISSED, planned, n, achieved, "capacity plan",
                      f"{len(early)} {what} line(s) needed by the due date are in service "
                      f"only on {max(late[i] for i in early)}"), service
    return _entry(t, TargetStatus.AT_RISK, planned, n, achieved, "capacity plan",
                  f"{len(late)} {what} line(s) are upgraded only on {planned}, after the due "
                  "date; their traffic needs it only then"), service


def _coverage(t: TimelineTarget, scenario: Scenario, capacity: CapacityPlan | None):
    if capacity is None:
        return _not_planned(t, "capacity plan", "no capacity plan")
    want = scenario.targets.village_coverage_pct

    def coverage(c) -> float | None:
        v = c.violations
        rows = v[v["rule"] == "village_coverage"] if len(v) else v
        return float(rows["provisioned"].min()) if len(rows) else None

    years = sorted(capacity.after) or list(scenario.capacity.years or
                                           [scenario.year or dt.date.today().year])
    by_year = {y: coverage(capacity.after[y]) for y in sorted(capacity.after)}
    first = years[0]
    reached = None
    if coverage(capacity.compliance) is None:
        reached = first
    else:
        for y in sorted(by_year):
            if all(by_year[z] is None for z in by_year if z >= y):
                reached = y
                break
    due_years = [y for y in by_year if y <= t.date.year]
    at_due = (by_year[max(due_years)] if due_years else coverage(capacity.compliance))
    achieved = want if at_due is None else at_due
    if reached is None:
        worst = min(v for v in [*by_year.values(), coverage(capacity.compliance)]
                    if v is not None)
        return _entry(t, TargetStatus.MISSED, None, want, achieved, "capacity plan",
                      f"villages reaching every destination stay below {want:g}% "
                      f"(at worst {worst:g}%) on the upgraded network")
    planned = dt.date(reached, 1, 1)
    return _entry(t, TargetStatus.MET if planned <= t.date else TargetStatus.MISSED, planned,
                  want, achieved, "capacity plan",
                  f"no village_coverage violation from {reached} on (the "
                  + ("provisioned" if reached == first and coverage(capacity.compliance) is None
                     else "upgraded") + " network)")


_EVENT = {"inventory_city": ("inventoried", "city systems inventoried"),
          "inventory_county": ("inventoried", "county systems inventoried"),
          "three_lists": ("listed", "systems on the three lists"),
          "unit_plans": ("plan_submitted", "units' migration plans handed in")}


def _completion(kind: str, inventory: Inventory, plan: MigrationPlan | None,
                log: pd.DataFrame) -> dict[str, dt.date | None]:
    """Per system (per unit for unit_plans), the date its event is recorded, or None."""
    event = _EVENT[kind][0]
    by_system = _first_dates(log, event, "system")
    by_unit = _first_dates(log, event, "unit")
    systems = inventory.systems
    if kind != "unit_plans":
        tier = {"inventory_city": "city", "inventory_county": "county"}.get(kind)
        return {s.system_id: _earliest(by_system.get(s.system_id), by_unit.get(s.department))
                for s in systems if tier is None or s.tier == tier}
    # the departments owning a system to migrate (every department without a plan's triage)
    if plan is not None:
        moving = {d.system_id for d in plan.mp.triage.decisions
                  if d.disposition.value == "migrate"}
    else:
        moving = {s.system_id for s in systems}
    units: dict[str, list[str]] = {}
    for s in systems:
        if s.system_id in moving:
            units.setdefault(s.department, []).append(s.system_id)
    out = {}
    for unit, ids in units.items():
        dates = [by_system.get(i) for i in ids]
        every = None if None in dates else max(dates)
        out[unit] = _earliest(by_unit.get(unit), every)
    return out


def evaluate_timeline(scenario: Scenario, *, plan: MigrationPlan | None = None,
                      capacity: CapacityPlan | None = None, progress: pd.DataFrame | None = None,
                      as_of: dt.date | None = None,
                      inventory: Inventory | None = None) -> Timeline:
    """Judge every dated target of a scenario against the plans and the recorded progress.

    Parameters
    ----------
    scenario : Scenario
        Its ``targets`` (:meth:`~netplan.model.scenario.Targets.full_timeline`).
    plan : MigrationPlan, optional
        The migration plan: systems on the cloud and platform connections.
    capacity : CapacityPlan, optional
        The capacity plan: backbone and platform upgrades, village coverage.
    progress : pandas.DataFrame or ProgressLog, optional
        The progress log: ``item_kind`` (``system``, ``unit`` (a department) or ``link``
        (``SOURCE -- TARGET`` or a link id)), ``item_id``, ``event`` (``inventoried``,
        ``listed``, ``plan_submitted``, ``migrated``, ``connected``, ``upgraded``, ...) and
        ``date``, as :func:`netplan.io.progress_io.read_progress` reads it.
    as_of : date, optional
        The date progress is judged at; default the log's ``as_of``, else its last date.
    inventory : Inventory, optional
        The systems the progress-judged targets count (default the plan's inventory).

    Returns
    -------
    Timeline

    Raises
    ------
    InputFileError
        When ``progress`` lacks one of :data:`PROGRESS_COLUMNS`.

    Examples
    --------
    >>> from netplan.examples import tiny_migration
    >>> from netplan.migration.plan import plan_migration
    >>> scenario, inventory = tiny_migration()
    >>> tl = evaluate_timeline(scenario, plan=plan_migration(scenario, inventory))
    >>> for e in tl.entries:
    ...     print(e.target, e.planned, e.status.value, e.slack_days)
    3 systems on the cloud 2020-01-19 met 14
    all systems on the cloud 2020-02-16 met 42
    >>> tl.ok
    True
    """
    if progress is not None and not isinstance(progress, pd.DataFrame):
        as_of = as_of or getattr(progress, "as_of", None)
        progress = progress.to_frame()  # a ProgressLog
    log = _check_progress(progress) if progress is not None else None
    if as_of is None and log is not None and len(log):
        as_of = max(log["date"])
    if inventory is None and plan is not None:
        inventory = plan.mp.inventory
    entries = []
    for t in scenario.targets.full_timeline():
        if t.kind == "systems_on_cloud":
            e = _systems_on_cloud(t, plan, log, as_of)
        elif t.kind == "platform_connected":
            e = _platform_connected(t, scenario, plan, log, as_of)
        elif t.kind in ("backbone_upgrade", "platform_upgrade"):
            e = _upgrade(t, capacity, "backbone" if t.kind == "backbone_upgrade" else "platform",
                         log, as_of)
        elif t.kind == "four_tier_coverage":
            e = _coverage(t, scenario, capacity)
        elif t.kind == "other":
            done = None if log is None else {
                t.name: _first_dates(log, None, None).get(t.name)}
            e = _recorded(t, done, as_of, "a record named after it")
        elif log is not None and inventory is None:
            e = _not_planned(t, "inventory", "no inventory to count the records against")
        else:
            done = None if log is None else _completion(t.kind, inventory, plan, log)
            e = _recorded(t, done, as_of, _EVENT[t.kind][1])
        entries.append(e)
    lacking: dict[str, int] = {}
    for e in entries:
        if e.status is TargetStatus.NOT_PLANNED:
            lacking[e.basis] = lacking.get(e.basis, 0) + 1
    notes = tuple(f"{n} target(s) not judged: {why}." for why, n in lacking.items())
    return Timeline(tuple(entries), as_of if log is not None else None, notes)
