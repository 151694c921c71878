"""Cloud node capacity over the migration: occupancy, expansion (扩容), utilisation and 缩容.

:func:`cloud_capacity` follows the systems onto the government cloud node week by week, as a
migration plan (:func:`netplan.migration.plan_migration`) moves them, and judges the node by
two rules of the scenario:

- the **ceiling** (``capacity.cloud.ceiling_pct``, default 85 %): a node whose *occupancy*
  rises above it must be expanded;
- the **floor** (``targets.cloud_utilisation_min_pct``, the policy's 资源利用率, e.g. 65 %): an
  allocation whose *utilisation* stays below it should be shrunk (缩容).

Definitions, per resource (vCPU, memory GB, storage TB; network Mbps for occupancy only):

- A system is **on the cloud after week w** when it was there before the plan (already on the
  cloud, or migrated and reported done) or its cutover week is ``<= w``: it is counted from the
  Sunday that ends its cutover week, the day :meth:`MigrationPlan.to_frame
  <netplan.migration.result.MigrationPlan.to_frame>` gives as ``cutover_date``.
- **allocated** = the sum of the inventory figures (``vcpu``, ``memory_gb``, ``storage_tb``;
  ``traffic_mbps`` for the network) of the systems on the cloud.
- **used** = allocated x (1 - ``idle_pct`` / 100) per system (资源闲置率). A system whose idle
  share is unknown counts as not idle (:data:`IDLE_UNKNOWN_PCT` = 0 %), so the utilisation is
  never understated by a guess; the summary says how many such systems there are. The network
  has no used figure: ``traffic_mbps`` already is the busy-hour traffic.
- **capacity** = the node's ``vcpu``, ``memory_gb``, ``storage_tb`` and ``uplink_mbps x links``,
  plus the planned expansions of ``migration.expansions`` from the week of their date (as the
  migration planner counts them).
- **occupancy_pct** = 100 x allocated / capacity; **utilisation_pct** = 100 x used / allocated.
  The frame's own ``occupancy_pct`` is the highest of the four resources and its
  ``utilisation_pct`` the lowest of the three (the binding ones).

**Expansion.** For each resource whose occupancy exceeds the ceiling in some week: the first
such week (the node must be expanded by its Monday, before that week's cutover), and the
capacity that keeps every later week at or below the ceiling:
``added = max over those weeks of (allocated / ceiling - capacity)``, rounded up to a whole
vCPU, GB or Mbps or to 0.01 TB; ``capacity_needed`` = capacity in the first week + added. With
no planned expansion this is the peak allocation divided by the ceiling.

**缩容.** Judged at the end of the plan (every system on the cloud). When a resource's
utilisation is below the floor (and ``capacity.cloud.shrink_idle`` is on), systems are taken
highest idle share first (then largest vCPU, then id) until every resource reaches the floor:

- idle share >= :data:`REVOKE_IDLE_PCT` (95 %): the allocation is **revoked** (回收) — the
  system hardly uses anything; its owner should retire it or ask again;
- otherwise, when the system's own utilisation ``1 - idle`` is below the target
  ``shrink_target_pct`` (default: the floor plus :data:`SHRINK_MARGIN_PCT` = 10 points, at most
  the ceiling — 75 % for a 65 % floor and an 85 % ceiling), its allocation is **shrunk** to
  ``used / target``, rounded up to a whole vCPU, GB or 0.01 TB (never above what it had). The
  target sits above the floor so that the shrunk systems have headroom and the node still
  meets the floor, and below the ceiling so that no shrunk system runs hot.

Systems whose idle share is unknown, or low enough, are not touched. The result gives the
utilisation after the 缩容 and the list: system, department, allocated, used, proposed, freed.

:func:`hosts_needed` packs systems onto identical hosts (``capacity.cloud.host``) with
:func:`netplan.capacity.binpack.pack`.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from netplan.errors import Issue, ScenarioError, UnknownNodeError
from netplan.migration.project import SolveStatus
from netplan.model.capacity import HostType
from netplan.model.scenario import Scenario
from netplan.model.system import System

__all__ = [
    "CloudCapacity",
    "HostPlan",
    "cloud_capacity",
    "hosts_needed",
    "RESOURCES",
    "IDLE_UNKNOWN_PCT",
    "REVOKE_IDLE_PCT",
    "SHRINK_MARGIN_PCT",
]

#: Resources followed, in the frames' order (the network is occupancy only).
RESOURCES = ("vcpu", "memory_gb", "storage_tb", "network_mbps")
#: Resources that have a used figure, a utilisation and a 缩容 proposal.
SHRINKABLE = RESOURCES[:3]
#: Labels of the resources in words.
LABELS = {"vcpu": "vCPU", "memory_gb": "memory GB", "storage_tb": "storage TB",
          "network_mbps": "network Mbps"}
#: Idle share assumed for a system whose ``idle_pct`` is unknown, %: not idle.
IDLE_UNKNOWN_PCT = 0.0
#: A system at least this idle gets its allocation revoked (回收) instead of shrunk, %.
REVOKE_IDLE_PCT = 95.0
#: Default 缩容 target: the floor plus this many points (at most the ceiling).
SHRINK_MARGIN_PCT = 10.0
#: Rounding step of each resource (allocations are proposed in whole steps, rounded up).
_STEP = {"vcpu": 1.0, "memory_gb": 1.0, "storage_tb": 0.01, "network_mbps": 1.0}
_EPS = 1e-9


def _round_up(x: float, step: float) -> float:
    """``x`` rounded up to a multiple of ``step``, ignoring float noise (85/0.85 is 100)."""
    n = math.ceil(x / step - 1e-7)
    return round(n * step, 6) if step < 1 else float(n)


def _pct(num: np.ndarray, den: np.ndarray, *, empty: float) -> np.ndarray:
    """``100 * num / den``; ``empty`` where both are 0, inf where only ``den`` is."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.full(np.broadcast(num, den).shape, empty, dtype=float)
    pos = den > 0
    np.divide(100.0 * num, den, out=out, where=pos)
    out[(~pos) & (num > 0)] = np.inf
    return out


def _vector(s: System) -> np.ndarray:
    return np.array([s.vcpu, s.memory_gb, s.storage_tb, s.traffic_mbps], dtype=float)


def _idle(s: System) -> float:
    return IDLE_UNKNOWN_PCT if s.idle_pct is None else float(s.idle_pct)


# --------------------------------------------------------------------------- result


@dataclass(frozen=True, eq=False)
class CloudCapacity:
    """Occupancy and utilisation of a cloud node, week by week, with its expansion and 缩容.

    Attributes
    ----------
    node : str
        The node judged (the names of the nodes pooled, joined by ``+``).
    weekly : pandas.DataFrame
        One row per week: ``week``, ``date`` (its Sunday; None for *today*), ``systems``
        (count on the cloud), per resource ``<r>_allocated``, ``<r>_used`` (not for the
        network), ``<r>_capacity``, ``<r>_occupancy_pct``, ``<r>_utilisation_pct`` (not for
        the network), then ``occupancy_pct`` (highest) and ``utilisation_pct`` (lowest).
    expansion : pandas.DataFrame
        One row per resource over the ceiling: ``resource``, ``week`` (first over),
        ``expand_by`` (its Monday), ``allocated_peak``, ``capacity``, ``capacity_needed``,
        ``added``; empty when the node is never over.
    shrink : pandas.DataFrame
        The 缩容 list, in the order taken: ``system_id``, ``name``, ``department``,
        ``idle_pct``, ``action`` (``"revoke"`` or ``"shrink"``), then per resource
        ``<r>_allocated``, ``<r>_used``, ``<r>_proposed``, ``<r>_freed``.
    utilisation_pct : float
        Lowest utilisation of the three resources at the end of the plan (NaN with nothing on
        the cloud).
    utilisation_after_shrink_pct : float
        The same after the 缩容 (equal to ``utilisation_pct`` when none is proposed).
    floor_pct : float or None
        The policy floor (``targets.cloud_utilisation_min_pct``); None when not set.
    ceiling_pct : float
        The ceiling (``capacity.cloud.ceiling_pct``).
    shrink_target_pct : float
        Utilisation a shrunk system is sized for.
    systems : tuple of System
        The systems on the cloud at the end of the plan.
    year : int or None
        Year of the end of the plan (the scenario's year for *today*).
    notes : tuple of str
        What the summary should also say (unknown idle shares, no schedule ...).
    """

    node: str
    weekly: pd.DataFrame
    expansion: pd.DataFrame
    shrink: pd.DataFrame
    utilisation_pct: float
    utilisation_after_shrink_pct: float
    floor_pct: float | None
    ceiling_pct: float
    shrink_target_pct: float
    systems: tuple[System, ...] = field(repr=False)
    year: int | None = None
    notes: tuple[str, ...] = ()

    def to_frame(self) -> pd.DataFrame:
        """The weekly frame (see the class attributes)."""
        return self.weekly

    def final(self) -> pd.Series:
        """The last week's row of :attr:`weekly` (the end of the plan)."""
        return self.weekly.iloc[-1]

    def shrunk_systems(self) -> tuple[System, ...]:
        """The systems on the cloud after the 缩容: shrunk ones resized, revoked ones left out.

        Feed it to :func:`hosts_needed` for the host count after the 缩容.
        """
        rows = {r.system_id: r for r in self.shrink.itertuples()}
        out = []
        for s in self.systems:
            r = rows.get(s.system_id)
            if r is None:
                out.append(s)
            elif r.action == "shrink":
                out.append(s.model_copy(update={
                    "vcpu": int(r.vcpu_proposed), "memory_gb": float(r.memory_gb_proposed),
                    "storage_tb": float(r.storage_tb_proposed)}))
        return tuple(out)

    def violations(self) -> pd.DataFrame:
        """Rules broken, in the compliance table's shape, one row per resource.

        ``cloud_ceiling``: occupancy above the ceiling (required = ``capacity_needed``,
        provisioned = the capacity in the first week over, shortfall = ``added``, in the
        resource's unit, year of that week). ``cloud_utilisation``: utilisation below the
        floor at the end of the plan (required = floor, provisioned = utilisation,
        shortfall = the difference, in %).

        Returns
        -------
        pandas.DataFrame
            Columns ``where``, ``rule``, ``required``, ``provisioned``, ``shortfall``,
            ``failure_state`` (always ``"normal"``), ``year``.
        """
        rows = []
        for e in self.expansion.itertuples():
            year = e.expand_by.year if e.expand_by is not None else self.year
            rows.append({"where": f"{self.node} {LABELS[e.resource]}", "rule": "cloud_ceiling",
                         "required": e.capacity_needed, "provisioned": e.capacity,
                         "shortfall": e.added, "failure_state": "normal", "year": year})
        if self.floor_pct is not None and len(self.weekly):
            last = self.final()
            for r in SHRINKABLE:
                u = float(last[f"{r}_utilisation_pct"])
                if not np.isnan(u) and u < self.floor_pct - _EPS:
                    rows.append({"where": f"{self.node} {LABELS[r]}",
                                 "rule": "cloud_utilisation", "required": self.floor_pct,
                                 "provisioned": round(u, 2),
                                 "shortfall": round(self.floor_pct - u, 2),
                                 "failure_state": "normal", "year": self.year})
        return pd.DataFrame(rows, columns=["where", "rule", "required", "provisioned",
                                           "shortfall", "failure_state", "year"])

    def summary(self) -> list[str]:
        """The plain answer: occupancy against the ceiling, utilisation against the floor."""
        if not len(self.weekly):
            return [f"Cloud {self.node}: no week to judge."]
        last = self.final()
        when = f"on {last['date']}" if last["date"] is not None else "today"
        occ = ", ".join(f"{LABELS[r]} {last[f'{r}_allocated']:g}/{last[f'{r}_capacity']:g} "
                        f"({last[f'{r}_occupancy_pct']:.1f}%)" for r in RESOURCES)
        lines = [f"Cloud {self.node} {when}: {int(last['systems'])} systems, allocated "
                 f"{occ}."]
        if self.expansion.empty:
            lines.append(f"Occupancy stays at or below the {self.ceiling_pct:g}% ceiling in "
                         "every week: no expansion (扩容) needed.")
        else:
            parts = []
            for e in self.expansion.itertuples():
                by = f"week {e.week} ({e.expand_by})" if e.expand_by is not None else "now"
                parts.append(f"{LABELS[e.resource]} from {by}: {e.capacity_needed:g} needed, "
                             f"add {e.added:g}")
            lines.append(f"Expansion (扩容) needed: occupancy above the {self.ceiling_pct:g}% "
                         "ceiling for " + "; ".join(parts) + ".")
        util = ", ".join(f"{LABELS[r]} {last[f'{r}_utilisation_pct']:.1f}%"
                         for r in SHRINKABLE)
        if self.floor_pct is None:
            lines.append(f"Resource utilisation (资源利用率) {when}: {util}; the scenario sets "
                         "no floor (targets.cloud_utilisation_min_pct).")
        elif np.isnan(self.utilisation_pct) or self.utilisation_pct >= self.floor_pct - _EPS:
            lines.append(f"Resource utilisation (资源利用率) {when}: {util}, at or above the "
                         f"{self.floor_pct:g}% floor.")
        elif self.shrink.empty:
            lines.append(f"Resource utilisation (资源利用率) {when}: {util}, BELOW the "
                         f"{self.floor_pct:g}% floor; no 缩容 proposed "
                         "(capacity.cloud.shrink_idle is off, or no idle share is known).")
        else:
            n_rev = int((self.shrink["action"] == "revoke").sum())
            freed = ", ".join(f"{self.shrink[f'{r}_freed'].sum():g} {LABELS[r]}"
                              for r in SHRINKABLE)
            rev = f" ({n_rev} revoked)" if n_rev else ""
            met = "meets" if self.utilisation_after_shrink_pct >= self.floor_pct - _EPS \
                else "still misses"
            lines.append(f"Resource utilisation (资源利用率) {when}: {util}, BELOW the "
                         f"{self.floor_pct:g}% floor. 缩容 of {len(self.shrink)} systems{rev}, "
                         f"sized for {self.shrink_target_pct:g}%, frees {freed} and brings it "
                         f"to {self.utilisation_after_shrink_pct:.1f}%, which {met} the floor.")
        lines += list(self.notes)
        return lines

    def __str__(self) -> str:
        return "\n".join([f"Cloud capacity of {self.node}:"]
                         + [f"  {x}" for x in self.summary()])


# --------------------------------------------------------------------------- analysis


def _nodes(scenario: Scenario, node: str | None):
    nodes = list(scenario.cloud)
    if not nodes:
        raise ScenarioError([Issue("cloud", "the scenario lists no cloud node",
                                   "add a node under cloud: (name, vcpu, memory_gb, "
                                   "storage_tb, uplink)")])
    if node is None:
        return nodes
    by_name = {c.name: c for c in nodes}
    if node not in by_name:
        close = difflib.get_close_matches(node, list(by_name), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else \
            f"; the nodes are {', '.join(by_name)}"
        raise UnknownNodeError(f"cloud node {node!r} is not in the scenario{hint}")
    return [by_name[node]]


def _timeline(plan, inventory) -> tuple[list[int], list, list[tuple[System, int]], list[str]]:
    """Weeks, their Sundays, and (system, first week on the cloud; -1 before the plan)."""
    notes: list[str] = []
    if plan is None:
        systems = [(s, -1) for s in inventory.systems if s.on_cloud]
        return [0], [None], systems, notes
    mp = plan.shown_mp
    by_id = mp.inventory.by_id
    before = list(mp.already_on_cloud) + [i for i in mp.done if i not in mp.already_on_cloud]
    systems = [(by_id[i], -1) for i in before]
    H = mp.project.horizon
    starts = plan.starts
    if starts is None:
        notes.append("The migration plan has no schedule: only the systems on the cloud "
                     "before it are counted.")
    else:
        for k, g in enumerate(mp.groups):
            cut = int(starts[k]) + g.duration_weeks - 1
            systems += [(by_id[i], cut) for i in g.systems]
        if not plan.feasible:
            notes.append("The weeks are those of the plan without the dated targets (no plan "
                         "meets them).")
    weeks = list(range(H))
    return weeks, [mp.grid.sunday(w) for w in weeks], systems, notes


def _capacity(scenario: Scenario, nodes, plan, n_weeks: int) -> np.ndarray:
    """Capacity per week and resource, shape (weeks, 4), planned expansions included."""
    base = np.array([sum(c.vcpu for c in nodes), sum(c.memory_gb for c in nodes),
                     sum(c.storage_tb for c in nodes),
                     sum(c.uplink_mbps * c.links for c in nodes)], dtype=float)
    cap = np.repeat(base[None, :], n_weeks, axis=0)
    pooled = len(nodes) == len(scenario.cloud)  # expansions name no node: the whole cloud
    if plan is not None and scenario.migration is not None and pooled:
        grid = plan.shown_mp.grid
        for e in scenario.migration.expansions:
            w = max(0, grid.week_of(e.date))
            if w < n_weeks:
                cap[w:, :3] += np.array([e.vcpu, e.memory_gb, e.storage_tb], dtype=float)
    return cap


def _expansion(alloc: np.ndarray, cap: np.ndarray, ceiling_pct: float, weeks, mondays):
    rows = []
    c = ceiling_pct / 100.0
    for r, name in enumerate(RESOURCES):
        over = np.flatnonzero(alloc[:, r] > c * cap[:, r] + _EPS)
        if not len(over):
            continue
        first = int(over[0])
        added = _round_up(float(np.max(alloc[first:, r] / c - cap[first:, r])), _STEP[name])
        rows.append({"resource": name, "week": weeks[first], "expand_by": mondays[first],
                     "allocated_peak": float(alloc[:, r].max()),
                     "capacity": float(cap[first, r]),
                     "capacity_needed": round(float(cap[first, r]) + added, 6),
                     "added": added})
    return pd.DataFrame(rows, columns=["resource", "week", "expand_by", "allocated_peak",
                                       "capacity", "capacity_needed", "added"])


def _utilisation(alloc: np.ndarray, used: np.ndarray) -> np.ndarray:
    return _pct(used, alloc, empty=np.nan)


def _lowest(util: np.ndarray) -> float:
    util = np.asarray(util, dtype=float)
    return float(np.nanmin(util)) if not np.all(np.isnan(util)) else float("nan")


def _shrink(systems: list[System], floor_pct: float, target_pct: float):
    """The 缩容 list (see the module) and the lowest utilisation after it."""
    alloc = np.array([_vector(s)[:3] for s in systems]).reshape(-1, 3)
    keep = np.array([1.0 - _idle(s) / 100.0 for s in systems])
    used = alloc * keep[:, None]
    tot_a, tot_u = alloc.sum(axis=0), used.sum(axis=0)
    t = target_pct / 100.0
    order = sorted(range(len(systems)),
                   key=lambda i: (-_idle(systems[i]), -systems[i].vcpu, systems[i].system_id))
    rows = []
    for i in order:
        if _lowest(_utilisation(tot_a, tot_u)) >= floor_pct - _EPS:
            break
        s = systems[i]
        if s.idle_pct is None:
            continue
        if s.idle_pct >= REVOKE_IDLE_PCT:
            action, new_a, new_u = "revoke", np.zeros(3), np.zeros(3)
        elif keep[i] < t - _EPS:
            action = "shrink"
            new_a = np.array([min(alloc[i, r], _round_up(used[i, r] / t, _STEP[name]))
                              for r, name in enumerate(SHRINKABLE)])
            new_u = used[i]
            if np.all(new_a >= alloc[i] - _EPS):
                continue  # too small to shrink by a whole step
        else:
            continue
        tot_a = tot_a - alloc[i] + new_a
        tot_u = tot_u - used[i] + new_u
        row = {"system_id": s.system_id, "name": s.name, "department": s.department,
               "idle_pct": float(s.idle_pct), "action": action}
        for r, name in enumerate(SHRINKABLE):
            row[f"{name}_allocated"] = float(alloc[i, r])
            row[f"{name}_used"] = round(float(used[i, r]), 6)
            row[f"{name}_proposed"] = float(new_a[r])
            row[f"{name}_freed"] = round(float(alloc[i, r] - new_a[r]), 6)
        rows.append(row)
    columns = ["system_id", "name", "department", "idle_pct", "action"] + [
        f"{name}_{k}" for name in SHRINKABLE for k in ("allocated", "used", "proposed", "freed")]
    return pd.DataFrame(rows, columns=columns), _lowest(_utilisation(tot_a, tot_u))


def cloud_capacity(scenario: Scenario, plan=None, *, inventory=None, node: str | None = None,
                   shrink_target_pct: float | None = None) -> CloudCapacity:
    """Occupancy, utilisation, expansion and 缩容 of the cloud node over a migration plan.

    Pure: reads nothing, changes nothing. The definitions are in the module docstring.

    Parameters
    ----------
    scenario : Scenario
        Its ``cloud`` nodes, ``capacity.cloud`` (ceiling, ``shrink_idle``),
        ``targets.cloud_utilisation_min_pct`` (floor) and ``migration.expansions``.
    plan : MigrationPlan, optional
        From :func:`netplan.migration.plan_migration`; the weeks are those of the plan shown
        (the relaxed plan when none meets the dated targets). None: the systems on the cloud
        today only, as one row (week 0, date None); then ``inventory`` is required.
    inventory : Inventory, optional
        The inventory, when ``plan`` is None (default: ``plan.mp.inventory``).
    node : str, optional
        Name of one node of ``scenario.cloud`` to judge; every system on the cloud is taken to
        be on it (netplan does not place systems on nodes), and the planned expansions, which
        name no node, are left out when the scenario has several nodes. Default: every node
        as one pool, as the migration planner counts them.
    shrink_target_pct : float, optional
        Utilisation a shrunk system is sized for, %; default the floor plus
        :data:`SHRINK_MARGIN_PCT`, at most the ceiling.

    Returns
    -------
    CloudCapacity

    Raises
    ------
    ScenarioError
        When the scenario has no cloud node, or ``plan`` and ``inventory`` are both None.
    UnknownNodeError
        When ``node`` is not a node of the scenario.

    Examples
    --------
    >>> from netplan.examples import tiny_migration
    >>> from netplan.migration.plan import plan_migration
    >>> scenario, inventory = tiny_migration()
    >>> plan = plan_migration(scenario, inventory, backend="heuristic", time_limit_s=2)
    >>> cc = cloud_capacity(scenario, plan)
    >>> int(cc.final()["vcpu_allocated"]), float(cc.final()["vcpu_occupancy_pct"])
    (48, 4.8)
    >>> cc.expansion.empty
    True
    """
    if plan is None and inventory is None:
        raise ScenarioError([Issue("inventory", "no migration plan and no inventory given",
                                   "pass plan= (a MigrationPlan) or inventory= (the systems "
                                   "on the cloud today are judged)")])
    nodes = _nodes(scenario, node)
    label = "+".join(c.name for c in nodes)
    sizing = scenario.capacity.cloud
    ceiling = float(sizing.ceiling_pct)
    floor = scenario.targets.cloud_utilisation_min_pct
    floor = None if floor is None else float(floor)
    if shrink_target_pct is None:
        target = min((floor if floor is not None else ceiling - SHRINK_MARGIN_PCT)
                     + SHRINK_MARGIN_PCT, ceiling)
    else:
        target = float(shrink_target_pct)
    if not 0 < target <= 100:
        raise ScenarioError([Issue("shrink_target_pct", f"{target:g} must lie in (0, 100]")])

    weeks, sundays, timeline, notes = _timeline(plan, inventory)
    H = len(weeks)
    if plan is not None:
        grid = plan.shown_mp.grid
        mondays = [grid.monday(w) for w in weeks]
    else:
        mondays = [None]
    cap = _capacity(scenario, nodes, plan, H)
    alloc = np.zeros((H + 1, 4))
    used = np.zeros((H + 1, 3))
    for s, w in timeline:
        v = _vector(s)
        k = max(w, 0)
        alloc[k] += v
        used[k] += v[:3] * (1.0 - _idle(s) / 100.0)
    count = np.zeros(H + 1, dtype=np.int64)
    for _, w in timeline:
        count[max(w, 0)] += 1
    alloc = np.cumsum(alloc, axis=0)[:H]
    used = np.cumsum(used, axis=0)[:H]
    count = np.cumsum(count)[:H]

    occ = _pct(alloc, cap, empty=0.0)
    util = _utilisation(alloc[:, :3], used)
    df = pd.DataFrame({"week": weeks, "date": sundays, "systems": count})
    for r, name in enumerate(RESOURCES):
        df[f"{name}_allocated"] = np.round(alloc[:, r], 6)
        if r < 3:
            df[f"{name}_used"] = np.round(used[:, r], 6)
        df[f"{name}_capacity"] = cap[:, r]
        df[f"{name}_occupancy_pct"] = np.round(occ[:, r], 4)
        if r < 3:
            df[f"{name}_utilisation_pct"] = np.round(util[:, r], 4)
    df["occupancy_pct"] = df[[f"{n}_occupancy_pct" for n in RESOURCES]].max(axis=1)
    df["utilisation_pct"] = df[[f"{n}_utilisation_pct" for n in SHRINKABLE]].min(axis=1)
    df.attrs["unit"] = {"vcpu": "vCPU", "memory_gb": "GB", "storage_tb": "TB",
                        "network_mbps": "Mbps", "pct": "%", "date": "Sunday ending the week"}

    expansion = _expansion(alloc, cap, ceiling, weeks, mondays)

    on_end = [s for s, w in timeline if w <= weeks[-1]]
    end_util = _lowest(util[-1])
    shrink = pd.DataFrame()
    after = end_util
    if floor is not None and sizing.shrink_idle and not np.isnan(end_util) \
            and end_util < floor - _EPS:
        shrink, after = _shrink(on_end, floor, target)
    if shrink.empty:
        shrink = _shrink([], 0.0, target)[0]
    unknown = sum(1 for s in on_end if s.idle_pct is None)
    if unknown:
        notes.append(f"{unknown} of the {len(on_end)} systems on the cloud have no idle share "
                     "(资源闲置率) in the inventory: counted as not idle.")
    end_day = sundays[-1]
    year = end_day.year if end_day is not None else scenario.year
    return CloudCapacity(node=label, weekly=df, expansion=expansion, shrink=shrink,
                         utilisation_pct=end_util, utilisation_after_shrink_pct=after,
                         floor_pct=floor, ceiling_pct=ceiling, shrink_target_pct=target,
                         systems=tuple(on_end), year=year, notes=tuple(notes))


# --------------------------------------------------------------------------- hosts

_STATUS = {"optimal": SolveStatus.OPTIMAL, "feasible": SolveStatus.FEASIBLE}


@dataclass(frozen=True, eq=False)
class HostPlan:
    """How many hosts of one type hold the systems, and which system goes where.

    Attributes
    ----------
    n_hosts : int
        Hosts used.
    lower_bound : int
        Proven lower bound on the hosts any placement needs.
    status : SolveStatus
        ``OPTIMAL`` when ``n_hosts == lower_bound``, else ``FEASIBLE``.
    host : HostType
    hosts : pandas.DataFrame
        One row per host (numbered from 1): ``host``, ``systems`` (ids, comma-separated),
        ``n_systems``, ``<r>_used`` and ``<r>_util_pct`` for ``vcpu``, ``memory_gb`` (and
        ``storage_tb`` when the host type has local storage).
    assignment : pandas.DataFrame
        One row per system: ``system_id``, ``name``, ``department``, its sizes, ``host``.
    packing : Packing or None
        The packer's own result (None without systems).
    """

    n_hosts: int
    lower_bound: int
    status: SolveStatus
    host: HostType
    hosts: pd.DataFrame
    assignment: pd.DataFrame
    packing: object = field(default=None, repr=False)

    def to_frame(self) -> pd.DataFrame:
        """The per-host table (see the class attributes)."""
        return self.hosts

    def __str__(self) -> str:
        proof = "optimal" if self.status is SolveStatus.OPTIMAL else \
            f"lower bound {self.lower_bound}"
        return (f"Host plan: {len(self.assignment)} systems on {self.n_hosts} hosts of "
                f"{self.host.vcpu} vCPU / {self.host.memory_gb:g} GB ({proof})")


def hosts_needed(systems: Iterable[System], host: HostType, *, time_limit_s: float = 10,
                 seed: int = 0) -> HostPlan:
    """The fewest hosts of type ``host`` that hold ``systems``, by vector bin packing.

    Each system is a vector (vCPU, memory GB, and storage TB when ``host.storage_tb`` is set:
    host-local storage) placed whole on one host; a host holds systems whose sums fit it in
    every dimension. Packed by :func:`netplan.capacity.binpack.pack`.

    Parameters
    ----------
    systems : iterable of System
        E.g. :attr:`CloudCapacity.systems`, or :meth:`CloudCapacity.shrunk_systems` for the
        count after the 缩容.
    host : HostType
        ``scenario.capacity.cloud.host``.
    time_limit_s : float
        Wall-clock limit of the packer, seconds.
    seed : int
        Seed of the packer's local search.

    Returns
    -------
    HostPlan

    Raises
    ------
    ScenarioError
        Naming every system larger than a host in some dimension.

    Examples
    --------
    >>> from netplan.model.capacity import HostType
    >>> systems = [System(name=n, department="市政务服务数据管理局", vcpu=v, memory_gb=m)
    ...            for n, v, m in [("a", 40, 64), ("b", 30, 128), ("c", 20, 64)]]
    >>> hp = hosts_needed(systems, HostType(vcpu=64, memory_gb=256))
    >>> hp.n_hosts, hp.lower_bound
    (2, 2)
    """
    from netplan.capacity.binpack import pack

    systems = list(systems)
    dims = ["vcpu", "memory_gb"] + (["storage_tb"] if host.storage_tb is not None else [])
    capacity = np.array([getattr(host, d) for d in dims], dtype=float)
    sizes = np.array([[float(getattr(s, d)) for d in dims] for s in systems],
                     dtype=float).reshape(-1, len(dims))
    issues = []
    for s, row in zip(systems, sizes, strict=True):
        over = [f"{LABELS[d]} {row[k]:g} > {capacity[k]:g}" for k, d in enumerate(dims)
                if row[k] > capacity[k] + _EPS]
        if over:
            issues.append(Issue(
                s.system_id, "larger than a host: " + ", ".join(over),
                "split the system over several hosts (one inventory row per part) or choose "
                "a larger host type in capacity.cloud.host"))
    if issues:
        raise ScenarioError(issues)
    ids = tuple(s.system_id for s in systems)
    if not systems:
        packing, bin_of, n_bins, lb, status = None, np.zeros(0, dtype=int), 0, 0, "optimal"
    else:
        packing = pack(sizes, capacity, time_limit_s=time_limit_s, seed=seed, names=ids)
        bin_of = np.asarray(packing.bin_of, dtype=int)
        n_bins, lb, status = int(packing.n_bins), int(packing.lower_bound), packing.status
    rows = []
    for b in range(n_bins):
        members = np.flatnonzero(bin_of == b)
        load = sizes[members].sum(axis=0)
        row = {"host": b + 1, "systems": ",".join(ids[i] for i in members),
               "n_systems": len(members)}
        for k, d in enumerate(dims):
            row[f"{d}_used"] = round(float(load[k]), 6)
        for k, d in enumerate(dims):
            row[f"{d}_util_pct"] = round(100.0 * float(load[k]) / float(capacity[k]), 2)
        rows.append(row)
    hosts = pd.DataFrame(rows, columns=["host", "systems", "n_systems"]
                         + [f"{d}_used" for d in dims] + [f"{d}_util_pct" for d in dims])
    assignment = pd.DataFrame(
        [{"system_id": s.system_id, "name": s.name, "department": s.department,
          **{d: float(getattr(s, d)) for d in dims}, "host": int(bin_of[i]) + 1}
         for i, s in enumerate(systems)],
        columns=["system_id", "name", "department", *dims, "host"])
    return HostPlan(n_hosts=n_bins, lower_bound=lb, status=_STATUS[status], host=host,
                    hosts=hosts, assignment=assignment, packing=packing)
