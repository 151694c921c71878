"""Progress against the plan: the progress log, the quarterly report (季度工作进展) and replanning.

The Meizhou 2020 plan (梅市府办函〔2020〕61号) asks every city for a progress report on 03-30,
06-30, 09-30 and 12-30 (``targets.report_dates``): systems inventoried, the three lists,
the units' migration plans, systems cleaned up, moved to the cloud and connected to the
exchange platform, links upgraded — planned against achieved. This module holds

- :class:`ProgressLog`: what was done, one :class:`ProgressEvent` per row of the progress file
  (read by :func:`netplan.io.progress_io.read_progress`), and :func:`check_progress`, which
  finds every problem of a log against an inventory and a topology;
- :func:`quarterly_report`: a :class:`QuarterlyReport` of planned against achieved at each
  report date of a :class:`~netplan.migration.result.MigrationPlan`;
- :func:`replan`: the rest of the migration planned again from what the log says is done.

Nothing here reads or writes a file.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from netplan.errors import Issue
from netplan.migration.inventory import Inventory

if TYPE_CHECKING:  # imported where used: reading files starts fast
    import pandas as pd

__all__ = [
    "ITEM_KINDS",
    "EVENTS",
    "MEASURES",
    "ProgressEvent",
    "ProgressLog",
    "check_progress",
    "QuarterlyReport",
    "quarterly_report",
    "replan",
    "link_label",
    "next_monday",
]

#: What a progress row is about → its Chinese name. ``unit`` is a department (a 单位: its
#: name as in the inventory's 所属部门), for the events that are a unit's (lists, plans).
ITEM_KINDS = {"system": "系统", "link": "链路", "unit": "单位"}

#: Every event → its Chinese name in the progress file, and the item kinds it applies to.
EVENTS = {
    "inventoried": ("已梳理", ("system", "unit")),
    "listed": ("已列入清单", ("system", "unit")),
    "plan_submitted": ("已提交方案", ("system", "unit")),
    "integrated": ("已整合", ("system",)),
    "retired": ("已下线", ("system",)),
    "migrated": ("已迁移上云", ("system",)),
    "connected": ("已接入平台", ("system",)),
    "upgraded": ("已升级", ("link",)),
}

#: The measures of the quarterly report, in report order: key → (Chinese, English, unit).
MEASURES = {
    "systems_inventoried": ("完成梳理的系统", "systems inventoried", "systems"),
    "systems_listed": ("列入三张清单的系统", "systems in the three lists", "systems"),
    "unit_plans_submitted": ("提交迁云上云计划的单位", "unit migration plans submitted", "units"),
    "systems_integrated": ("完成整合的系统", "systems integrated", "systems"),
    "systems_retired": ("清理下线的系统", "systems retired", "systems"),
    "systems_migrated": ("迁移上云的系统", "systems migrated to the cloud", "systems"),
    "systems_on_cloud": ("云上系统总数（含原已上云）", "systems on the cloud (incl. before)",
                         "systems"),
    "platform_connected": ("接入共享交换平台的系统", "systems connected to the platform",
                           "systems"),
    "platform_connected_pct": ("在用系统接入共享交换平台比例", "share of systems in use connected",
                               "%"),
    "links_upgraded": ("完成升级的链路", "links upgraded", "links"),
}

_SEP = " -- "


def link_label(source: str, target: str) -> str:
    """The id of a link in a progress log: ``SOURCE -- TARGET``, as trunks are labelled.

    Examples
    --------
    >>> link_label("广东省/梅州市#电信", "广东省")
    '广东省/梅州市#电信 -- 广东省'
    """
    return f"{source}{_SEP}{target}"


def next_monday(day: dt.date) -> dt.date:
    """The first Monday strictly after ``day`` (a replan's schedule starts on it).

    Examples
    --------
    >>> next_monday(dt.date(2020, 9, 30)), next_monday(dt.date(2020, 10, 5))
    (datetime.date(2020, 10, 5), datetime.date(2020, 10, 12))
    """
    return day + dt.timedelta(days=7 - day.weekday())


# --------------------------------------------------------------------------- the log


@dataclass(frozen=True)
class ProgressEvent:
    """One thing done: an item, what happened to it, and when.

    Attributes
    ----------
    item_kind : {"system", "link", "unit"}
    item_id : str
        A system id of the inventory, a link ``SOURCE -- TARGET`` (or a topology link id), or
        a department name.
    event : str
        A key of :data:`EVENTS`.
    date : datetime.date
    note : str
    row : int, optional
        The row of the file it came from (not compared).
    """

    item_kind: str
    item_id: str
    event: str
    date: dt.date
    note: str = ""
    row: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ProgressLog:
    """What the progress file says was done, one event per row, in file order.

    Attributes
    ----------
    events : tuple of ProgressEvent
    as_of : datetime.date, optional
        The date the log is complete to (no event after it).
    source : str
        The file it came from (not compared).

    Examples
    --------
    >>> log = ProgressLog((ProgressEvent("system", "市民政局/救助", "migrated",
    ...                                  dt.date(2020, 6, 7)),))
    >>> log.dates("migrated")
    {'市民政局/救助': datetime.date(2020, 6, 7)}
    >>> list(log.to_frame().columns)
    ['item_kind', 'item_id', 'event', 'date', 'note']
    """

    events: tuple[ProgressEvent, ...] = ()
    as_of: dt.date | None = None
    source: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "events", tuple(self.events))

    def __len__(self) -> int:
        return len(self.events)

    def dates(self, event: str, *, kind: str = "system",
              by: dt.date | None = None) -> dict[str, dt.date]:
        """Item id → the earliest date of ``event`` on an item of ``kind`` (up to ``by``)."""
        out: dict[str, dt.date] = {}
        for e in self.events:
            if e.event == event and e.item_kind == kind and (by is None or e.date <= by):
                if e.item_id not in out or e.date < out[e.item_id]:
                    out[e.item_id] = e.date
        return out

    def by_system(self, inventory: Inventory) -> ProgressLog:
        """The log with each ``unit`` event replaced by one event per system of the unit.

        For readers that count systems only (e.g. :func:`netplan.policy.evaluate_timeline`,
        which takes a unit's plan as submitted when each of its systems to migrate has a
        ``plan_submitted`` row). Events keep their row; other events are unchanged.

        Examples
        --------
        >>> from netplan.examples import tiny_migration
        >>> _, inv = tiny_migration()
        >>> log = ProgressLog((ProgressEvent("unit", "市公安局", "listed", dt.date(2020, 6, 1)),))
        >>> [e.item_id for e in log.by_system(inv).events]
        ['市公安局/人口库', '市公安局/警务通']
        """
        events = []
        for e in self.events:
            if e.item_kind != "unit":
                events.append(e)
                continue
            events.extend(ProgressEvent("system", s.system_id, e.event, e.date, e.note, e.row)
                          for s in inventory if s.department == e.item_id)
        return ProgressLog(tuple(events), as_of=self.as_of, source=self.source)

    @property
    def last_date(self) -> dt.date | None:
        """The date of the latest event (None for an empty log)."""
        return max((e.date for e in self.events), default=None)

    def to_frame(self) -> pd.DataFrame:
        """One row per event: ``item_kind, item_id, event, date, note`` (file order)."""
        import pandas as pd

        rows = [(e.item_kind, e.item_id, e.event, e.date, e.note) for e in self.events]
        df = pd.DataFrame(rows, columns=["item_kind", "item_id", "event", "date", "note"])
        df.attrs["source"] = self.source
        if self.as_of is not None:
            df.attrs["as_of"] = self.as_of.isoformat()
        return df

    def __str__(self) -> str:
        counts: dict[str, int] = {}
        for e in self.events:
            counts[e.event] = counts.get(e.event, 0) + 1
        parts = ", ".join(f"{counts[k]} {k}" for k in EVENTS if k in counts)
        label = f"{self.source}: " if self.source else ""
        last = f" to {self.last_date}" if self.events else ""
        return f"{label}progress log of {len(self)} events{last}" + (f" ({parts})" if parts
                                                                      else "")


def _default_locate(index: int, column: str) -> str:
    return f"events[{index}].{column}"


def _close(value: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=3, cutoff=0.6)
    return f"did you mean {', '.join(close)}?" if close else ""


def _topology_links(topology) -> tuple[set[frozenset[str]], set[str], set[str]]:
    links = topology.links
    pairs = {frozenset((str(s), str(t))) for s, t in zip(links["source"], links["target"],
                                                          strict=True)}
    return pairs, {str(i) for i in links.index}, {str(n) for n in topology.nodes.index}


def check_progress(events: Iterable[ProgressEvent], *, inventory: Inventory | None = None,
                   topology=None, as_of: dt.date | None = None,
                   locate: Callable[[int, str], str] | None = None) -> list[Issue]:
    """Every problem of a list of progress events, one issue each.

    Checks: an item kind or event that is not known, or an event that does not apply to the
    kind (``upgraded`` is a link's, ``migrated`` a system's); with an ``inventory``, a system
    id or unit (department) it does not have (with close ids); with a ``topology``, a link
    whose ends are not linked in it; a date after ``as_of``; the same event on the same item
    at two different dates; a system migrated (or listed) before it was inventoried; a system
    migrated after it was retired or integrated.

    Parameters
    ----------
    events : iterable of ProgressEvent
    inventory : Inventory, optional
    topology : Topology, optional
    as_of : datetime.date, optional
    locate : callable, optional
        ``locate(index, column) -> str``: where event ``index``'s ``column`` is written (a
        reader passes ``"progress.csv row 7, column 编号"``); default ``"events[7].item_id"``.

    Returns
    -------
    list of Issue
        Empty when the events are consistent.

    Examples
    --------
    >>> from netplan.examples import tiny_migration
    >>> _, inv = tiny_migration()
    >>> e = ProgressEvent("system", "市公安局/人口", "migrated", dt.date(2020, 2, 2))
    >>> str(check_progress([e], inventory=inv)[0])  # doctest: +NORMALIZE_WHITESPACE
    "events[0].item_id: unknown system id '市公安局/人口'; did you mean 市公安局/人口库,
    市公安局/警务通?"
    """
    events = tuple(events)
    where = locate or _default_locate
    issues: list[Issue] = []
    ids = set(inventory.by_id) if inventory is not None else None
    units = {s.department for s in inventory} if inventory is not None else None
    links = _topology_links(topology) if topology is not None else None
    first: dict[tuple[str, str, str], int] = {}
    good: list[int] = []
    for i, e in enumerate(events):
        if e.item_kind not in ITEM_KINDS:
            issues.append(Issue(where(i, "item_kind"), f"unknown item kind {e.item_kind!r}",
                                "write system (系统), link (链路) or unit (单位)"))
            continue
        if e.event not in EVENTS:
            issues.append(Issue(where(i, "event"), f"unknown event {e.event!r}",
                                _close(e.event, EVENTS) or "write one of "
                                + ", ".join(f"{k} ({zh})" for k, (zh, _) in EVENTS.items())))
            continue
        kinds = EVENTS[e.event][1]
        if e.item_kind not in kinds:
            issues.append(Issue(where(i, "event"), f"event {e.event!r} does not apply to a "
                                f"{e.item_kind}", f"it applies to a {' or a '.join(kinds)}; "
                                "check the item kind"))
            continue
        if not e.item_id:
            issues.append(Issue(where(i, "item_id"), "the item id is empty",
                                "write the system id, the link SOURCE -- TARGET or the unit"))
            continue
        ok = True
        if e.item_kind == "system" and ids is not None and e.item_id not in ids:
            issues.append(Issue(where(i, "item_id"), f"unknown system id {e.item_id!r}",
                                _close(e.item_id, ids) or "use the system ids (系统编号) of "
                                "the inventory"))
            ok = False
        elif e.item_kind == "unit" and units is not None and e.item_id not in units:
            issues.append(Issue(where(i, "item_id"), f"unknown unit {e.item_id!r}",
                                _close(e.item_id, units) or "use a department (所属部门) of "
                                "the inventory"))
            ok = False
        elif e.item_kind == "link" and links is not None:
            pairs, link_ids, nodes = links
            ends = e.item_id.split(_SEP)
            if len(ends) == 2:
                a, b = (x.strip() for x in ends)
                if frozenset((a, b)) not in pairs:
                    bad = [x for x in (a, b) if x not in nodes]
                    why = (f"node {bad[0]!r} is not in the topology" if bad else
                           f"{a!r} and {b!r} are not linked")
                    issues.append(Issue(where(i, "item_id"), f"unknown link {e.item_id!r}: "
                                        f"{why}", _close(bad[0], nodes) if bad else
                                        "name the two ends of a link of the topology"))
                    ok = False
            elif e.item_id not in link_ids:
                issues.append(Issue(where(i, "item_id"), f"unknown link {e.item_id!r}",
                                    "write the link as SOURCE -- TARGET (its two node ids), "
                                    "or its link_id"))
                ok = False
        if as_of is not None and e.date > as_of:
            issues.append(Issue(where(i, "date"), f"{e.date} is after the report date "
                                f"{as_of}", "a progress log records what is done: remove the "
                                "row or correct the date"))
            ok = False
        key = (e.item_kind, e.item_id, e.event)
        if key in first:
            j = first[key]
            if events[j].date != e.date:
                issues.append(Issue(where(i, "date"), f"{e.item_kind} {e.item_id!r}: "
                                    f"{e.event} on {e.date}, but on {events[j].date} at "
                                    f"{where(j, 'date')}", "keep one of the two rows"))
                ok = False
        else:
            first[key] = i
        if ok:
            good.append(i)
    # order of events on one system
    on: dict[tuple[str, str], tuple[dt.date, int]] = {}
    for i in good:
        e = events[i]
        if e.item_kind == "system" and (e.item_id, e.event) not in on:
            on[(e.item_id, e.event)] = (e.date, i)
    for (sid, ev), (day, i) in on.items():
        inv = on.get((sid, "inventoried"))
        if ev in ("listed", "migrated") and inv is not None and day < inv[0]:
            issues.append(Issue(where(i, "date"), f"system {sid!r} {ev} on {day}, before it "
                                f"was inventoried on {inv[0]} ({where(inv[1], 'date')})",
                                "a system is inventoried first: correct one of the dates"))
        if ev == "migrated":
            for gone in ("retired", "integrated"):
                off = on.get((sid, gone))
                if off is not None and off[0] < day:
                    issues.append(Issue(where(i, "date"), f"system {sid!r} migrated on {day}, "
                                        f"after it was {gone} on {off[0]} "
                                        f"({where(off[1], 'date')})",
                                        "a system switched off does not move: correct one of "
                                        "the rows"))
    return issues


# --------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class ReportEntry:
    """One measure at one report date: planned, achieved (None when unknown) and the gap."""

    date: dt.date
    measure: str
    planned: float | None
    achieved: float | None

    @property
    def gap(self) -> float | None:
        """``planned - achieved`` (positive: behind the plan); None when either is unknown."""
        if self.planned is None or self.achieved is None:
            return None
        return round(self.planned - self.achieved, 1)


@dataclass(frozen=True)
class UnitEntry:
    """One unit (department) at one report date: systems to migrate, planned and achieved."""

    date: dt.date
    unit: str
    tier: str
    to_migrate: int
    planned: int
    achieved: int | None
    plan_submitted: dt.date | None


@dataclass(frozen=True)
class QuarterlyReport:
    """Planned against achieved at each report date (季度工作进展).

    Attributes
    ----------
    dates : tuple of datetime.date
        The report dates in the plan's span.
    entries : tuple of ReportEntry
        One per (date, measure of :data:`MEASURES`), date by date.
    units : tuple of UnitEntry
        One per (date, department with systems to migrate).
    as_of : datetime.date or None
        Achieved figures are known up to this date (None: no log).
    notes : tuple of str
        How the planned figures were obtained, in words.
    """

    dates: tuple[dt.date, ...]
    entries: tuple[ReportEntry, ...]
    units: tuple[UnitEntry, ...]
    as_of: dt.date | None
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """Long format: one row per (date, measure): ``date, measure, planned, achieved, gap``."""
        import pandas as pd

        rows = [(e.date, e.measure, e.planned, e.achieved, e.gap) for e in self.entries]
        df = pd.DataFrame(rows, columns=["date", "measure", "planned", "achieved", "gap"])
        for c in ("planned", "achieved", "gap"):
            df[c] = df[c].astype("Float64")
        df.attrs["units"] = {k: v[2] for k, v in MEASURES.items()}
        if self.as_of is not None:
            df.attrs["as_of"] = self.as_of.isoformat()
        return df

    def wide_frame(self) -> pd.DataFrame:
        """One row per date; columns ``<measure>_planned``, ``<measure>_achieved``, ``_gap``."""
        import pandas as pd

        long = self.to_frame()
        out = pd.DataFrame({"date": list(self.dates)})
        for m in MEASURES:
            part = long[long["measure"] == m].set_index("date")
            for c in ("planned", "achieved", "gap"):
                out[f"{m}_{c}"] = part[c].reindex(out["date"]).to_numpy()
        return out

    def at(self, day: dt.date, measure: str) -> ReportEntry:
        """The entry of ``measure`` at report date ``day``."""
        for e in self.entries:
            if e.date == day and e.measure == measure:
                return e
        raise KeyError(f"no entry for {measure!r} on {day}")

    def latest_date(self) -> dt.date | None:
        """The last report date with achieved figures (the last date when there is no log)."""
        known = [d for d in self.dates if self.as_of is not None and d <= self.as_of]
        if known:
            return known[-1]
        return self.dates[-1] if self.dates and self.as_of is None else None

    def by_unit(self, day: dt.date | None = None) -> pd.DataFrame:
        """Per unit at report date ``day`` (default :meth:`latest_date`): systems migrated.

        Columns ``unit, tier, to_migrate, planned, achieved, gap, plan_submitted`` (planned
        against achieved systems migrated; the date the unit's plan was submitted); units in
        the inventory's order of departments.
        """
        import pandas as pd

        day = day or self.latest_date()
        rows = [(u.unit, u.tier, u.to_migrate, u.planned, u.achieved,
                 None if u.achieved is None else u.planned - u.achieved, u.plan_submitted)
                for u in self.units if u.date == day]
        df = pd.DataFrame(rows, columns=["unit", "tier", "to_migrate", "planned", "achieved",
                                         "gap", "plan_submitted"])
        for c in ("achieved", "gap"):
            df[c] = df[c].astype("Int64")
        df.attrs["date"] = None if day is None else day.isoformat()
        return df

    def __str__(self) -> str:
        if not self.dates:
            return "quarterly report: no report date in the plan's span"
        day = self.latest_date() or self.dates[0]
        mig = self.at(day, "systems_migrated")
        got = "unknown" if mig.achieved is None else f"{mig.achieved:g}"
        return (f"quarterly report, {len(self.dates)} dates from {self.dates[0]} to "
                f"{self.dates[-1]}: on {day} {got} systems migrated against {mig.planned:g} "
                "planned")


#: Timeline kinds (``targets.timeline``) → the report deadline they set.
_DEADLINE_KINDS = {"inventory_city": "inventory_city", "inventory_county": "inventory_county",
                   "three_lists": "lists", "unit_plans": "unit_plans"}
#: Words of an untyped milestone's name (kind ``other``, old ``targets.milestones``) → the
#: deadline it sets: (key, any of these words, and any of these when given).
_DEADLINE_WORDS = (
    ("inventory_city", ("梳理",), ("市级", "市直")),
    ("inventory_county", ("梳理",), ("县级", "县区", "区县")),
    ("inventory", ("梳理",), ()),
    ("lists", ("三张清单",), ()),
    ("unit_plans", ("方案", "计划"), ("提交",)),
    ("cleanup", ("清理", "下线"), ()),
)


def _deadlines(timeline) -> dict[str, dt.date]:
    """Report deadlines from dated targets: by their kind, else by the words of their name."""
    out: dict[str, dt.date] = {}
    for m in timeline or ():
        name, day = (m.name, m.date) if hasattr(m, "name") else m
        kind = getattr(m, "kind", "other")
        if kind in _DEADLINE_KINDS:
            key = _DEADLINE_KINDS[kind]
            out[key] = min(day, out.get(key, day))
            continue
        for key, words, also in _DEADLINE_WORDS:
            if any(w in name for w in words) and (not also or any(w in name for w in also)):
                out.setdefault(key, day)
                break
    if "inventory" in out:
        out.setdefault("inventory_city", out["inventory"])
        out.setdefault("inventory_county", out["inventory"])
    return out


def _connections(plan, scenario) -> pd.DataFrame:
    """Per system: must it connect, is it connected already, the planned date (else None)."""
    import pandas as pd

    if hasattr(plan, "platform_connections"):
        return plan.platform_connections(scenario)
    # the rule of MigrationPlan.progress() before platform_connections: systems in use must
    # connect, and connect at their cutover unless connected already
    mp = plan.mp
    disposition = {d.system_id: d.disposition.value for d in mp.triage.decisions}
    cut = _cutovers(plan)
    rows = []
    for s in mp.inventory:
        must = disposition[s.system_id] in ("migrate", "keep")
        rows.append({"system_id": s.system_id, "must_connect": must,
                     "connected_already": bool(s.platform_connected),
                     "planned_date": None if s.platform_connected else cut.get(s.system_id)})
    return pd.DataFrame(rows, columns=["system_id", "must_connect", "connected_already",
                                       "planned_date"])


def _cutovers(plan) -> dict[str, dt.date]:
    """System id → planned cutover date (the Sunday it is on the cloud) in the plan shown."""
    mp = plan.mp
    out: dict[str, dt.date] = {}
    if plan.starts is not None:
        for k, g in enumerate(mp.groups):
            day = mp.grid.sunday(int(plan.starts[k]) + g.duration_weeks - 1)
            out.update(dict.fromkeys(g.systems, day))
    return out


def _upgrade_due(upgrades: pd.DataFrame | None, report_dates) -> dict[str, dt.date]:
    """Link label → the date its (first) upgrade is due."""
    if upgrades is None:
        return {}
    last_md = max(report_dates or ["12-30"])
    out: dict[str, dt.date] = {}
    for r in upgrades.itertuples(index=False):
        day = (r.date if "date" in upgrades.columns
               else dt.date.fromisoformat(f"{int(r.year)}-{last_md}"))
        label = link_label(str(r.source), str(r.target))
        out[label] = min(day, out.get(label, day))
    return out


def _planned_date(v) -> dt.date | None:
    import pandas as pd

    return None if v is None or pd.isna(v) else v


def quarterly_report(plan, log: ProgressLog | None = None, *,
                     report_dates: list[str] | None = None, as_of: dt.date | None = None,
                     scenario=None, timeline=None,
                     upgrades: pd.DataFrame | None = None) -> QuarterlyReport:
    """Planned against achieved at each report date of the plan's span.

    The dates are those of :meth:`MigrationPlan.progress
    <netplan.migration.result.MigrationPlan.progress>`: the report dates from the plan start
    to the end of the plan shown (and on until every system in use is connected). Planned
    (from the plan):

    - ``systems_inventoried``, ``systems_listed``: every system of the inventory, due by the
      inventory deadline of its tier and the three lists' deadline (timeline kinds
      ``inventory_city``, ``inventory_county``, ``three_lists``), else from the plan start;
    - ``unit_plans_submitted``: the departments with a system to migrate (by the triage),
      due by the ``unit_plans`` deadline, else from the start;
    - ``systems_integrated``, ``systems_retired``: the triage's integrate and retire
      dispositions, from the start (the plan has no date for switching them off; an untyped
      milestone naming 清理/下线 sets one);
    - ``systems_migrated``: the systems migrated before the plan (``plan.mp.done``, on their
      logged date, else from the start) and those whose cutover is on or before the date;
      ``systems_on_cloud`` adds those on the cloud before (as ``plan.progress()``);
    - ``platform_connected`` (and ``_pct`` of the systems that must connect): by
      ``plan.platform_connections(scenario)`` when the plan has it, else at their cutover;
    - ``links_upgraded``: the links of ``upgrades`` due by the date (None without it).

    A replanned plan's inventory lacks the systems the log retired or integrated: they are
    added to the planned figures (inventoried, listed, integrated, retired) as done.

    Achieved (from the log, up to each date; None after ``as_of`` and without a log): the
    systems (units, links) with the event on or before the date; a ``unit`` row stands for
    every system of the department. Only what the log says counts: a migrated system is not
    taken as inventoried. Connected counts the systems that must connect and are connected
    already (inventory) or by a ``connected`` row.

    Parameters
    ----------
    plan : MigrationPlan
    log : ProgressLog, optional
    report_dates : list of str, optional
        ``MM-DD``; default the scenario's ``targets.report_dates``, else 03-30, 06-30, 09-30,
        12-30.
    as_of : datetime.date, optional
        Achieved figures are known up to it; default ``log.as_of``, else the first report
        date on or after the log's last event.
    scenario : Scenario, optional
        Its ``targets.full_timeline()`` gives the deadlines, its report dates the default
        and its exchange platform the connection rule of kept systems.
    timeline : list of TimelineTarget, Milestone or (name, date), optional
        Instead of the scenario's.
    upgrades : pandas.DataFrame, optional
        The capacity upgrade plan's ``lines`` (``source``, ``target`` and ``year``, or
        ``date``): a line upgraded in year Y is due by the last report date of Y.

    Returns
    -------
    QuarterlyReport

    Examples
    --------
    >>> from netplan.examples import tiny_migration
    >>> from netplan.migration.plan import plan_migration
    >>> scenario, inventory = tiny_migration()
    >>> plan = plan_migration(scenario, inventory, backend="heuristic", time_limit_s=2)
    >>> log = ProgressLog((ProgressEvent("system", "市公安局/人口库", "migrated",
    ...                                  dt.date(2020, 1, 19)),))
    >>> rep = quarterly_report(plan, log, report_dates=["01-31", "02-29"])
    >>> e = rep.at(dt.date(2020, 1, 31), "systems_migrated")
    >>> e.planned, e.achieved, e.gap  # 低保, 救助 and 县医保 planned by 2020-01-26
    (3, 1, 2)
    >>> rep.at(dt.date(2020, 2, 29), "systems_migrated").achieved is None  # after as_of
    True
    """
    mp = plan.mp
    inv = mp.inventory
    by_id = inv.by_id
    if report_dates is None and scenario is not None:
        report_dates = list(scenario.targets.report_dates)
    report_dates = list(report_dates or ["03-30", "06-30", "09-30", "12-30"])
    if timeline is None and scenario is not None:
        timeline = scenario.targets.full_timeline()
    disposition = {d.system_id: d.disposition.value for d in mp.triage.decisions}
    dates = list(plan.progress(report_dates, scenario=scenario)["date"])
    if as_of is None and log is not None:
        as_of = log.as_of
        if as_of is None:
            last = log.last_date
            as_of = next((d for d in dates if last is None or d >= last),
                         last or (dates[0] if dates else None))
    dl = _deadlines(timeline)
    start = mp.grid.start
    notes = []
    if not dl:
        notes.append("no deadlines for the inventory, lists and unit plans: planned as done "
                     "from the plan start")

    def due(key: str) -> dt.date:
        return dl.get(key, start)

    need_plan = list(dict.fromkeys(by_id[i].department for i, d in disposition.items()
                                   if d == "migrate"))
    cut = _cutovers(plan)
    logged = log.dates("migrated") if log is not None else {}
    done = {i: logged.get(i) for i in mp.done}
    conn = _connections(plan, scenario)
    must = [(r.system_id, bool(r.connected_already), _planned_date(r.planned_date))
            for r in conn.itertuples() if r.must_connect]
    n_must = len(must)
    upgrade_due = _upgrade_due(upgrades, report_dates)
    already = set(mp.already_on_cloud)
    gone = {ev: set(log.dates(ev)) - set(by_id) if log is not None else set()
            for ev in ("integrated", "retired")}
    n_gone = len(gone["integrated"] | gone["retired"])
    n_disp = {x: sum(1 for v in disposition.values() if v == x) for x in ("integrate", "retire")}

    def planned(d: dt.date) -> dict[str, float | None]:
        migrated = sum(1 for day in done.values() if day is None or day <= d) \
            + sum(1 for day in cut.values() if day <= d)
        pconn = sum(1 for _, already_c, day in must
                    if already_c or (day is not None and day <= d))
        cleaned = d >= due("cleanup")
        return {
            "systems_inventoried": n_gone + sum(1 for s in inv
                                                if d >= due(f"inventory_{s.tier}")),
            "systems_listed": n_gone + (len(inv) if d >= due("lists") else 0),
            "unit_plans_submitted": len(need_plan) if d >= due("unit_plans") else 0,
            "systems_integrated": len(gone["integrated"]) + (n_disp["integrate"] if cleaned
                                                             else 0),
            "systems_retired": len(gone["retired"]) + (n_disp["retire"] if cleaned else 0),
            "systems_migrated": migrated,
            "systems_on_cloud": len(already) + migrated,
            "platform_connected": pconn,
            "platform_connected_pct": round(100 * pconn / max(n_must, 1), 1),
            "links_upgraded": (sum(1 for day in upgrade_due.values() if day <= d)
                               if upgrades is not None else None),
        }

    def unit_systems(event: str, d: dt.date) -> set[str]:
        ids = set(log.dates(event, by=d))
        units = set(log.dates(event, kind="unit", by=d))
        return ids | {s.system_id for s in inv if s.department in units}

    def achieved(d: dt.date) -> dict[str, float | None]:
        if log is None or as_of is None or d > as_of:
            return dict.fromkeys(MEASURES)
        migrated = set(log.dates("migrated", by=d))
        plans = {by_id[i].department for i in log.dates("plan_submitted", by=d) if i in by_id}
        plans |= set(log.dates("plan_submitted", kind="unit", by=d))
        connected = set(log.dates("connected", by=d))
        aconn = sum(1 for sid, already_c, _ in must if already_c or sid in connected)
        return {
            "systems_inventoried": len(unit_systems("inventoried", d)),
            "systems_listed": len(unit_systems("listed", d)),
            "unit_plans_submitted": len(plans),
            "systems_integrated": len(log.dates("integrated", by=d)),
            "systems_retired": len(log.dates("retired", by=d)),
            "systems_migrated": len(migrated - already),
            "systems_on_cloud": len(already | migrated),
            "platform_connected": aconn,
            "platform_connected_pct": round(100 * aconn / max(n_must, 1), 1),
            "links_upgraded": len(log.dates("upgraded", kind="link", by=d)),
        }

    entries = []
    units = []
    plan_dates: dict[str, dt.date] = {}
    if log is not None:
        plan_dates = dict(log.dates("plan_submitted", kind="unit"))
        for i, day in log.dates("plan_submitted").items():
            if i in by_id:
                u = by_id[i].department
                plan_dates[u] = min(day, plan_dates.get(u, day))
    to_migrate = {u: [i for i, x in disposition.items() if x == "migrate"
                      and by_id[i].department == u] for u in need_plan}
    for d in dates:
        p, a = planned(d), achieved(d)
        entries.extend(ReportEntry(d, m, p[m], a[m]) for m in MEASURES)
        known = log is not None and as_of is not None and d <= as_of
        migrated = set(log.dates("migrated", by=d)) if known else set()
        for u, ids in to_migrate.items():
            pu = sum(1 for i in ids if (i in done and (done[i] is None or done[i] <= d))
                     or (i in cut and cut[i] <= d))
            au = sum(1 for i in ids if i in migrated) if known else None
            pdate = plan_dates.get(u)
            units.append(UnitEntry(d, u, by_id[ids[0]].tier, len(ids), pu, au,
                                   pdate if known and pdate is not None and pdate <= d
                                   else None))
    return QuarterlyReport(tuple(dates), tuple(entries), tuple(units),
                           as_of if log is not None else None, tuple(notes))


# --------------------------------------------------------------------------- replanning


def _without(inventory: Inventory, gone: set[str]) -> Inventory:
    """The inventory without the systems ``gone``, references to them dropped."""
    if not gone:
        return inventory
    kept = tuple(
        s.model_copy(update={
            "depends_on": tuple(d for d in s.depends_on if d not in gone),
            "replaceable_by": None if s.replaceable_by in gone else s.replaceable_by})
        for s in inventory if s.system_id not in gone)
    return Inventory(kept, name=inventory.name)


def replan(scenario, inventory: Inventory, log: ProgressLog, *, as_of: dt.date,
           topology=None, solver=None, backend: str | None = None,
           time_limit_s: float | None = None, seed: int | None = None):
    """Plan the rest of the migration again from what the log says is done by ``as_of``.

    Systems the log says migrated on or before ``as_of`` are done (they count toward the
    targets and occupy the cloud, see
    :func:`~netplan.migration.build.build_migration_project`); systems retired or
    integrated by then are removed from the inventory (with the references to them); events
    after ``as_of`` are ignored. The new schedule starts on the first Monday after ``as_of``
    (:func:`next_monday`).

    Parameters
    ----------
    scenario : Scenario
    inventory : Inventory
    log : ProgressLog
    as_of : datetime.date
    topology, solver, backend, time_limit_s, seed
        As for :func:`~netplan.migration.plan.plan_migration`.

    Returns
    -------
    MigrationPlan
        Its ``mp.done`` are the systems migrated; no done system is scheduled again.

    Examples
    --------
    >>> from netplan.examples import tiny_migration
    >>> scenario, inventory = tiny_migration()
    >>> log = ProgressLog((ProgressEvent("system", "市公安局/人口库", "migrated",
    ...                                  dt.date(2020, 1, 19)),))
    >>> plan = replan(scenario, inventory, log, as_of=dt.date(2020, 1, 19),
    ...               backend="heuristic", time_limit_s=2)
    >>> plan.mp.done, plan.mp.grid.start
    (('市公安局/人口库',), datetime.date(2020, 1, 20))
    """
    from netplan.migration.plan import plan_migration

    gone = set(log.dates("retired", by=as_of)) | set(log.dates("integrated", by=as_of))
    done = {i: d for i, d in log.dates("migrated", by=as_of).items() if i not in gone}
    inv = _without(inventory, gone & set(inventory.by_id))
    return plan_migration(scenario, inv, topology=topology, backend=backend, solver=solver,
                          time_limit_s=time_limit_s, seed=seed, done=done,
                          as_of=next_monday(as_of))

