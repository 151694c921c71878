"""From a scenario and its inventory to a weekly scheduling project (the migration's model).

:func:`build_migration_project` turns the systems to migrate into a
:class:`~netplan.migration.project.Project` on a weekly grid: the strongly connected dependency
groups among the systems to move (:func:`~netplan.migration.inventory.dependency_groups`)
become one move group (one activity) that cuts over together; a provider moves before the
systems that depend on it; each migration occupies teams for its weeks; its cutover takes a
cutover slot (none in blackout weeks) and moves its data over the department's extranet path
within the weekly maintenance windows, shared with other cutovers on the same links; once cut
over it occupies cloud vCPU, memory and storage, whose capacity grows with the planned
expansions; the dated ``targets.systems_on_cloud`` become milestones. A target asking for more
systems than can ever be on the cloud is not a milestone but an explained impossibility
(:attr:`MigrationProject.impossible`).

Weeks: week 0 starts on the Monday of ``migration.start``. An activity finishing at period
``f`` cuts over in week ``f - 1`` and is on the cloud from the Sunday ending that week.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from dataclasses import dataclass

import numpy as np

from netplan.errors import Issue, ScenarioError
from netplan.migration.inventory import Inventory, System, dependency_groups
from netplan.migration.project import Activity, Project, ProjectMilestone
from netplan.migration.triage import TriageResult, triage
from netplan.model.scenario import MigrationPolicy, Scenario

__all__ = [
    "WeekGrid",
    "MoveGroup",
    "MigrationProject",
    "build_migration_project",
    "TB_TO_GB",
]

TB_TO_GB = 1000
_CLOUD_PATH = "cloud attachment"


@dataclass(frozen=True)
class WeekGrid:
    """Whole weeks from a Monday: week ``w`` runs from ``monday(w)`` to ``sunday(w)``."""

    start: dt.date
    n_weeks: int

    @classmethod
    def from_dates(cls, start: dt.date, end: dt.date) -> WeekGrid:
        """The weeks covering ``start`` (moved back to its Monday) to ``end``."""
        monday = start - dt.timedelta(days=start.weekday())
        return cls(monday, max(1, (end - monday).days // 7 + 1))

    def week_of(self, day: dt.date) -> int:
        """The week holding ``day`` (may be negative or beyond the grid)."""
        return (day - self.start).days // 7

    def monday(self, week: int) -> dt.date:
        """First day of week ``week``."""
        return self.start + dt.timedelta(weeks=int(week))

    def sunday(self, week: int) -> dt.date:
        """Last day of week ``week``."""
        return self.monday(week) + dt.timedelta(days=6)

    def finished_by(self, day: dt.date) -> int:
        """The period ``p`` such that finishing at ``f <= p`` means done by ``day``."""
        return ((day - self.start).days + 1) // 7


@dataclass(frozen=True)
class MoveGroup:
    """Systems that cut over together (one activity): a dependency cycle, or one system."""

    systems: tuple[str, ...]
    departments: tuple[str, ...]
    path: tuple[str, ...]  # transfer resources its cutover data crosses
    duration_weeks: int
    teams: int
    data_gb: int
    weight: float


@dataclass(frozen=True)
class MigrationProject:
    """A migration as a scheduling project, with the mapping back to systems.

    Attributes
    ----------
    project : Project
        Activity ``k`` is move group ``groups[k]``.
    grid : WeekGrid
    groups : tuple of MoveGroup
    triage : TriageResult
    inventory : Inventory
    already_on_cloud, done : tuple of str
        Ids of the systems on the cloud before the plan (already, and migrated in progress).
    milestone_targets : tuple of (str, date, int)
        Every dated target: name, date, systems on the cloud it asks for (including those
        already there), whether or not it is a milestone of ``project``.
    notes : tuple of str
        What the builder changed (a migration lengthened by its transfer, cloud capacity).
    impossible : tuple of str
        Targets no plan can reach (more systems than the inventory has to move), explained;
        they are left out of ``project.milestones``.
    """

    project: Project
    grid: WeekGrid
    groups: tuple[MoveGroup, ...]
    triage: TriageResult
    inventory: Inventory
    already_on_cloud: tuple[str, ...]
    done: tuple[str, ...]
    milestone_targets: tuple[tuple[str, dt.date, int], ...]  # (name, date, systems incl. done)
    notes: tuple[str, ...] = ()
    impossible: tuple[str, ...] = ()

    @property
    def reachable(self) -> int:
        """Systems that can ever be on the cloud: those to migrate, already there and done."""
        return sum(len(g.systems) for g in self.groups) + len(self.already_on_cloud) \
            + len(self.done)


def _policy(scenario: Scenario) -> MigrationPolicy:
    if scenario.migration is None:
        raise ScenarioError([Issue("migration", "the scenario has no migration section",
                                   "add migration: {start: 2020-05-04, teams: 3}")])
    return scenario.migration


def _team_capacity(policy: MigrationPolicy, grid: WeekGrid) -> np.ndarray:
    teams = np.full(grid.n_weeks, policy.teams, dtype=np.int64)
    for change in sorted(policy.team_changes, key=lambda c: c.start):
        teams[max(0, grid.week_of(change.start)):] = change.teams
    return teams


def _blackout_weeks(policy: MigrationPolicy, grid: WeekGrid) -> np.ndarray:
    out = np.zeros(grid.n_weeks, dtype=bool)
    for b in policy.blackouts:
        lo, hi = max(0, grid.week_of(b.start)), min(grid.n_weeks - 1, grid.week_of(b.end))
        if lo <= hi:
            out[lo:hi + 1] = True
    return out


def _weekly_gb(capacity_mbps: float, hours: float) -> int:
    """GB moved in ``hours`` at ``capacity_mbps`` (decimal units, as carriers sell them)."""
    return int(capacity_mbps * hours * 3600 / 8 / 1000)


def _transfer_paths(scenario: Scenario, topology, hours: float) -> dict[str, int]:
    """Weekly transfer capacity (GB) of each path resource.

    The resources are the cloud attachment and, per county, its uplinks to the city (all
    carriers together).
    """
    links = topology.links
    cloud_ids = topology.nodes_of_kind("cloud")
    dc = links[(links["kind"] == "datacenter") & links["source"].isin(cloud_ids)]
    paths = {_CLOUD_PATH: _weekly_gb(float(dc["capacity_mbps"].sum()), hours)}
    counties = topology.nodes[topology.nodes["kind"] == "county"]
    up = links[links["kind"] == "uplink"]
    per_node = up.groupby("source")["capacity_mbps"].sum()
    for node_id, row in counties.iterrows():
        paths[f"{row['name']} uplink"] = _weekly_gb(float(per_node.get(node_id, 0)), hours)
    return paths


def _system_path(system: System, paths: dict[str, int]) -> tuple[str, ...]:
    county = f"{system.site} uplink"
    return (county, _CLOUD_PATH) if system.tier == "county" and county in paths else (_CLOUD_PATH,)


def build_migration_project(
    scenario: Scenario,
    inventory: Inventory,
    *,
    topology=None,
    done: dict[str, dt.date] | None = None,
    as_of: dt.date | None = None,
    n_weeks: int | None = None,
) -> MigrationProject:
    """Turn the systems to migrate into a weekly scheduling project.

    Parameters
    ----------
    scenario : Scenario
        Needs a ``migration`` section; its ``cloud`` nodes give the capacity, its
        ``targets.systems_on_cloud`` the milestones.
    inventory : Inventory
    topology : Topology, optional
        The extranet (built from the scenario when not given): gives each county's uplink
        capacity for cutover transfers.
    done : dict of str to date, optional
        Systems already migrated (re-planning from progress): they count toward the
        milestones and occupy cloud capacity; the rest is scheduled from ``as_of``.
    as_of : date, optional
        Re-plan date: the grid starts on its Monday. Default ``migration.start``.
    n_weeks : int, optional
        Length of the grid in weeks (at least 1); default to ``migration.end``, or 26 weeks
        after the last target, or 104 weeks. A longer grid extends every capacity as the
        policy states it (teams, blackouts and expansions by date).

    Returns
    -------
    MigrationProject

    Raises
    ------
    ScenarioError
        When the scenario has no ``migration`` section, or ``done`` or
        ``migration.earliest`` names a system id the inventory does not have.

    Examples
    --------
    >>> from netplan.examples import tiny_migration
    >>> scenario, inventory = tiny_migration()
    >>> mp = build_migration_project(scenario, inventory)
    >>> len(mp.groups), mp.project.horizon, mp.reachable
    (4, 12, 6)
    """
    from netplan.topology import build_topology

    policy = _policy(scenario)
    done = dict(done or {})
    issues = [Issue(f"{where}.{u}" if where != "done" else "done",
                    f"unknown system id {u!r}",
                    _close_hint(u, inventory.by_id) or "use the system ids of the inventory")
              for where, ids in (("done", done), ("migration.earliest", policy.earliest))
              for u in sorted(set(ids) - set(inventory.by_id))]
    if issues:
        raise ScenarioError(issues)
    start = as_of or policy.start
    deadlines = [t.by for t in scenario.targets.systems_on_cloud]
    end = policy.end or (max(deadlines) + dt.timedelta(weeks=26) if deadlines else
                         start + dt.timedelta(weeks=104))
    grid = WeekGrid.from_dates(start, end)
    if n_weeks is not None:
        grid = WeekGrid(grid.start, max(1, int(n_weeks)))
    H = grid.n_weeks
    topology = topology if topology is not None else build_topology(scenario)

    tri = triage(inventory, policy.triage, as_of=policy.start)
    by_id = inventory.by_id
    disposition = {d.system_id: d.disposition.value for d in tri.decisions}
    # on the cloud and staying there: one that triage retires or integrates does not count
    # toward the targets (its resources stay counted as used: when it goes is not known)
    on_cloud = tuple(sorted(i for i, s in by_id.items()
                            if s.on_cloud and disposition[i] not in ("retire", "integrate")))
    to_move = [i for i, d in disposition.items() if d == "migrate" and i not in done]
    move_set = set(to_move)

    # move groups: the dependency cycles among the systems to move (a cycle through a system
    # that stays, is retired or is done does not tie the others together)
    moving = Inventory(tuple(
        by_id[i].model_copy(update={"depends_on": tuple(d for d in by_id[i].depends_on
                                                        if d in move_set),
                                    "replaceable_by": None})
        for i in to_move))
    comps = sorted(dependency_groups(moving))
    group_of = {i: k for k, g in enumerate(comps) for i in g}

    hours = policy.window_hours_per_week
    paths = _transfer_paths(scenario, topology, hours)
    path_names = sorted(paths)
    teams_cap = _team_capacity(policy, grid)
    max_teams = int(teams_cap.max(initial=0))
    blackout = _blackout_weeks(policy, grid)
    slots = policy.max_cutovers_per_week or max(1, len(comps))
    slot_cap = np.where(blackout, 0, slots).astype(np.int64)
    notes: list[str] = []

    groups: list[MoveGroup] = []
    activities: list[Activity] = []
    for members in comps:
        systems = [by_id[i] for i in members]
        path = tuple(sorted({p for s in systems for p in _system_path(s, paths)}))
        data_gb = int(math.ceil(sum(s.data_tb for s in systems) * TB_TO_GB))
        # a move group's systems are prepared in parallel by as many teams as its effort
        # needs (at most all of them), and the group takes as long as that allows
        effort = sum(s.migration_weeks for s in systems)
        weeks = max(s.migration_weeks for s in systems)
        teams = min(max(1, math.ceil(effort / weeks)), max(1, max_teams))
        weeks = max(weeks, math.ceil(effort / teams))
        narrowest = min(paths[p] for p in path)
        transfer_weeks = max(1, math.ceil(data_gb / narrowest)) if narrowest > 0 else weeks
        if transfer_weeks > weeks:
            notes.append(f"{'+'.join(members)}: {data_gb} GB need {transfer_weeks} weekly windows "
                         f"on {min(path, key=paths.get)}; migration lengthened from {weeks} weeks")
            weeks = transfer_weeks
        per_week = np.zeros(weeks, dtype=np.int64)
        if data_gb:
            share = np.full(transfer_weeks, data_gb // transfer_weeks, dtype=np.int64)
            share[: data_gb % transfer_weeks] += 1
            per_week[weeks - transfer_weeks:] = share
        cutover = np.zeros(weeks, dtype=np.int64)
        cutover[-1] = 1
        demand = [np.full(weeks, teams, dtype=np.int64), cutover]
        demand += [per_week if p in path else np.zeros(weeks, dtype=np.int64)
                   for p in path_names]
        release = max([max(0, grid.week_of(policy.earliest[i])) for i in members
                       if i in policy.earliest] + [0])
        weight = float(sum(s.criticality + s.risk for s in systems))
        groups.append(MoveGroup(tuple(members), tuple(sorted({s.department for s in systems})),
                                path, weeks, teams, data_gb, weight))
        activities.append(Activity(name="+".join(members), duration=weeks,
                                   demand=tuple(tuple(int(x) for x in d) for d in demand),
                                   landing=(sum(s.vcpu for s in systems),
                                            sum(s.memory_gb for s in systems),
                                            sum(s.storage_tb for s in systems)),
                                   release=release, weight=weight))

    # a provider moves before the systems that depend on it (between different groups)
    precedences = sorted({(group_of[d], group_of[i]) for i in move_set
                          for d in by_id[i].depends_on
                          if d in move_set and group_of[d] != group_of[i]})

    # cloud capacity: the nodes, less what is already there, plus expansions from their week
    base = np.array([sum(c.vcpu for c in scenario.cloud), sum(c.memory_gb for c in scenario.cloud),
                     sum(c.storage_tb for c in scenario.cloud)], dtype=float)
    used = np.array([[s.vcpu, s.memory_gb, s.storage_tb] for s in by_id.values()
                     if s.on_cloud or s.system_id in done] or np.zeros((0, 3))).sum(axis=0)
    landing = np.repeat((base - used)[:, None], H, axis=1)
    for e in policy.expansions:
        w = max(0, grid.week_of(e.date))
        if w < H:
            landing[:, w:] += np.array([[e.vcpu], [e.memory_gb], [e.storage_tb]])
    if (landing < 0).any():
        what = ["vCPU", "memory GB", "storage TB"][int(np.argwhere(landing < 0)[0][0])]
        notes.append(f"systems already on the cloud exceed its {what} capacity")
        landing = np.maximum(landing, np.minimum.accumulate(landing[:, ::-1], axis=1)[:, ::-1])
        landing = np.maximum.accumulate(np.maximum(landing, 0), axis=1)

    # milestones: systems on the cloud by each dated target (already there and done count)
    already = len(on_cloud) + len(done)
    total_target = len(to_move) + already
    milestones, targets, impossible = [], [], []
    units = tuple(k for k, g in enumerate(comps) for _ in g)
    for t in scenario.targets.systems_on_cloud:
        want = total_target if t.systems == "all" else int(t.systems)
        name = f"{'all' if t.systems == 'all' else want} systems by {t.by}"
        targets.append((name, t.by, want))
        if want > total_target:
            impossible.append(
                f"{name}: only {len(to_move)} systems are to migrate ({total_target} on the "
                f"cloud with the {already} already there); {want} cannot be reached by any "
                "plan: lower the target or add the missing systems to the inventory")
            continue
        p = min(grid.finished_by(t.by), H)
        milestones.append(ProjectMilestone(name, p, max(0, want - already), units or None))

    capacity = np.vstack([teams_cap, slot_cap] + [np.full(H, paths[p], dtype=np.int64)
                                                   for p in path_names])
    project = Project(
        activities=tuple(activities),
        capacity=capacity,
        precedences=tuple(precedences),
        horizon=H,
        landing_capacity=landing,
        milestones=tuple(m for m in milestones if m.count > 0 and m.activities is not None),
        objective="weighted_completion",
        resource_names=("teams", "cutover slots", *path_names),
        landing_names=("vCPU", "memory GB", "storage TB"),
        name=scenario.name,
    )
    return MigrationProject(project, grid, tuple(groups), tri, inventory, on_cloud,
                            tuple(sorted(done)), tuple(targets), tuple(notes), tuple(impossible))


def _close_hint(value: str, choices) -> str:
    close = difflib.get_close_matches(value, list(choices), n=3, cutoff=0.6)
    return f"did you mean {', '.join(close)}?" if close else ""


