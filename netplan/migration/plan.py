"""Migration planning: from a scenario and its system inventory to a weekly migration schedule.

The steps, each a pure function:

1. :func:`~netplan.migration.triage.triage` decides what moves (``migrate``), what is retired or
   integrated, and what stays (classified, already on the cloud).
2. :func:`build_migration_project` turns the systems to migrate into a
   :class:`~netplan.migration.project.Project` on a weekly grid: strongly connected dependency
   groups become one move group (one activity) that cuts over together; a provider moves before
   the systems that depend on it; each migration occupies teams for its weeks; its cutover takes
   a cutover slot (none in blackout weeks) and moves its data over the department's extranet
   path within the weekly maintenance windows, shared with other cutovers on the same links;
   once cut over it occupies cloud vCPU, memory and storage, whose capacity grows with the
   planned expansions; the dated ``targets.systems_on_cloud`` become milestones.
3. :func:`~netplan.migration.solve.solve` schedules it (heuristic warm start, then the MILP).
4. :func:`plan_migration` wraps all this and, when the milestones cannot be met, explains which
   resource or dependency chain makes them impossible and by how much.

Weeks: week 0 starts on the Monday of ``migration.start``. An activity finishing at period
``f`` cuts over in week ``f - 1`` and is on the cloud from the Sunday ending that week.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace

import networkx as nx
import numpy as np
import pandas as pd

from netplan.errors import Issue, ScenarioError
from netplan.migration.inventory import Inventory, System, dependency_graph
from netplan.migration.project import Activity, Project, ProjectMilestone, Schedule, SolveStatus
from netplan.migration.triage import TriagePolicy, TriageResult, triage
from netplan.model.scenario import MigrationPolicy, Scenario

__all__ = [
    "WeekGrid",
    "MoveGroup",
    "MigrationProject",
    "MigrationPlan",
    "build_migration_project",
    "plan_migration",
    "explain_infeasibility",
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
    """A migration as a scheduling project, with the mapping back to systems."""

    project: Project
    grid: WeekGrid
    groups: tuple[MoveGroup, ...]
    triage: TriageResult
    inventory: Inventory
    already_on_cloud: tuple[str, ...]
    done: tuple[str, ...]
    milestone_targets: tuple[tuple[str, dt.date, int], ...]  # (name, date, systems incl. done)
    notes: tuple[str, ...] = ()


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

    Returns
    -------
    MigrationProject
    """
    from netplan.topology import build_topology

    policy = _policy(scenario)
    done = dict(done or {})
    unknown = sorted(set(done) - set(inventory.by_id))
    if unknown:
        raise ScenarioError([Issue("done", f"unknown system id {u!r}",
                                   "use the system ids of the inventory") for u in unknown])
    start = as_of or policy.start
    deadlines = [t.by for t in scenario.targets.systems_on_cloud]
    end = policy.end or (max(deadlines) + dt.timedelta(weeks=26) if deadlines else
                         start + dt.timedelta(weeks=104))
    grid = WeekGrid.from_dates(start, end)
    H = grid.n_weeks
    topology = topology if topology is not None else build_topology(scenario)

    tri = triage(inventory, TriagePolicy(**policy.triage), as_of=policy.start)
    by_id = inventory.by_id
    disposition = {d.system_id: d.disposition.value for d in tri.decisions}
    on_cloud = tuple(sorted(i for i, s in by_id.items() if s.on_cloud))
    to_move = [i for i, d in disposition.items() if d == "migrate" and i not in done]
    move_set = set(to_move)

    # move groups: strongly connected dependency components among the systems to move
    graph = dependency_graph(inventory).subgraph(to_move)
    comps = sorted(tuple(sorted(c)) for c in nx.strongly_connected_components(graph))
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
    milestones, targets = [], []
    for t in scenario.targets.systems_on_cloud:
        want = total_target if t.systems == "all" else int(t.systems)
        name = f"{'all' if t.systems == 'all' else want} systems by {t.by}"
        targets.append((name, t.by, want))
        p = min(grid.finished_by(t.by), H)
        units = tuple(k for k, g in enumerate(comps) for _ in g)
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
                            tuple(sorted(done)),
                            tuple(targets), tuple(notes))


# --------------------------------------------------------------------------- explanation


def _fractional_min(costs: np.ndarray, units: np.ndarray, need: float) -> float:
    """Least total cost to cover ``need`` units, items divisible (a valid lower bound)."""
    if need <= 0:
        return 0.0
    order = np.argsort(costs / np.maximum(units, 1e-12), kind="stable")
    total, got = 0.0, 0.0
    for i in order:
        take = min(units[i], need - got)
        total += costs[i] * take / units[i]
        got += take
        if got >= need - 1e-9:
            return total
    return math.inf


def explain_infeasibility(mp: MigrationProject) -> list[str]:
    """Why the milestones cannot be met: each resource or chain that makes them impossible.

    Every statement is backed by a lower bound (a relaxation), so a shortfall it names is
    certain; the margin ("short by 34 person-weeks") is the bound's.

    Returns
    -------
    list of str
        Empty when no single cause is found (the limits only bind in combination).
    """
    p = mp.project
    out: list[str] = []
    es = p.earliest_starts()
    dur = p.durations
    units = np.array([len(g.systems) for g in mp.groups], dtype=float)
    team_cost = np.array([g.duration_weeks * g.teams for g in mp.groups], dtype=float)
    land = np.array([a.landing for a in p.activities], dtype=float).reshape(p.n, -1)
    grid = mp.grid
    for m, (name, day, want) in zip(_active_milestones(mp), _active_targets(mp), strict=True):
        need = m.count
        eligible = np.flatnonzero(es + dur <= m.period)
        can = units[eligible].sum()
        if can < need:
            chain = _longest_chain(p, int(np.argmax(es + dur)))
            out.append(
                f"{name}: only {int(can) + want - need} systems can be on the cloud by {day} even "
                f"with unlimited teams; {int(need - can)} more are held back by dependency "
                f"chains or earliest starts (longest: {chain}, "
                f"{int((es + dur).max())} weeks from {grid.start})")
            continue
        weeks = m.period
        team_need = _fractional_min(team_cost[eligible], units[eligible], need)
        team_have = float(p.capacity[0, :weeks].sum())
        if team_need > team_have + 1e-9:
            short = team_need - team_have
            teams_needed = math.ceil(team_need / max(weeks, 1))
            out.append(f"{name}: team capacity short by {math.ceil(short)} person-weeks before "
                       f"{day}; {teams_needed} teams instead of {int(p.capacity[0, 0])} would "
                       f"meet it (needs at least {math.ceil(team_need)}, has {int(team_have)})")
        slots_have = int(p.capacity[1, :weeks].sum())
        biggest_first = np.cumsum(np.sort(units[eligible])[::-1])
        cutovers = int(np.searchsorted(biggest_first, need - 1e-9) + 1)
        if cutovers > slots_have:
            out.append(f"{name}: needs at least {cutovers} cutovers before {day} but blackouts "
                       f"and max_cutovers_per_week leave {slots_have} slots")
        for k, res in enumerate(p.landing_names):
            if p.landing_capacity.shape[1] == 0:
                break
            have = float(p.landing_capacity[k, min(weeks, p.horizon - 1)])
            got = _fractional_min(land[eligible, k], units[eligible], need)
            if got > have + 1e-9:
                out.append(f"{name}: cloud {res} short by {got - have:,.0f} at {day} (needs at "
                           f"least {got:,.0f}, capacity {have:,.0f}); plan an expansion")
        for r in range(2, p.n_resources):
            use = np.array([p.activities[i].profile(r).sum() for i in eligible], dtype=float)
            got = _fractional_min(use, units[eligible], need)
            have = float(p.capacity[r, :weeks].sum())
            if got > have + 1e-9:
                out.append(f"{name}: {p.resource_names[r]} carries {have:,.0f} GB in the "
                           f"maintenance windows before {day}, the cutovers need at least "
                           f"{got:,.0f} GB; widen the windows or raise the bandwidth")
    return out


def _active_milestones(mp: MigrationProject):
    return list(mp.project.milestones)


def _active_targets(mp: MigrationProject):
    names = {m.name for m in mp.project.milestones}
    return [t for t in mp.milestone_targets if t[0] in names]


def _longest_chain(p: Project, end: int) -> str:
    """The precedence chain that sets activity ``end``'s earliest start."""
    es = p.earliest_starts()
    dur = p.durations
    pred = p.predecessors()
    chain = [int(end)]
    while True:
        i = chain[-1]
        tight = [j for j in pred[i] if es[j] + dur[j] == es[i]]
        if not tight:
            break
        chain.append(tight[0])
    return " → ".join(p.activities[i].name for i in reversed(chain))


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class MigrationPlan:
    """A migration schedule with everything a project manager reports on.

    Attributes
    ----------
    status : SolveStatus
    schedule : Schedule
        The scheduler's result (starts per move group, objective, bound, gap, runtime).
    mp : MigrationProject
        The project it solved and the mapping to systems.
    explanation : list of str
        Why the milestones cannot be met (empty when they are).
    relaxed : Schedule, optional
        When no plan meets the milestones: the best plan found without them (every other
        constraint holds). Tables and charts then show it, so that the shortfall is visible.
    """

    status: SolveStatus
    schedule: Schedule
    mp: MigrationProject
    explanation: list[str] = field(default_factory=list)
    relaxed: Schedule | None = None

    @property
    def feasible(self) -> bool:
        """True when a schedule meeting every constraint and milestone was found."""
        return self.schedule.starts is not None

    @property
    def starts(self):
        """Start week per move group of the plan shown: the schedule, else the relaxed one."""
        if self.schedule.starts is not None:
            return self.schedule.starts
        return None if self.relaxed is None else self.relaxed.starts

    def to_frame(self) -> pd.DataFrame:
        """One row per system to migrate: group, weeks and dates of start and cutover."""
        rows = []
        starts = self.starts
        grid = self.mp.grid
        inv = self.mp.inventory.by_id
        for k, g in enumerate(self.mp.groups):
            s = None if starts is None else int(starts[k])
            for sid in g.systems:
                sys = inv[sid]
                rows.append({
                    "system_id": sid, "name": sys.name, "department": sys.department,
                    "tier": sys.tier, "group": "+".join(g.systems) if len(g.systems) > 1 else "",
                    "start_week": s,
                    "cutover_week": None if s is None else s + g.duration_weeks - 1,
                    "start_date": None if s is None else grid.monday(s),
                    "cutover_date": None if s is None else grid.sunday(s + g.duration_weeks - 1),
                    "duration_weeks": g.duration_weeks, "teams": g.teams, "data_tb": sys.data_tb,
                    "vcpu": sys.vcpu, "criticality": sys.criticality, "risk": sys.risk,
                })
        df = pd.DataFrame(rows)
        if len(df) and starts is not None:
            df = df.sort_values(["start_week", "department", "system_id"], kind="stable")
        df.attrs["unit"] = {"week": "weeks from " + str(grid.start)}
        return df.reset_index(drop=True)

    def milestones(self) -> pd.DataFrame:
        """Per dated target: systems required, on the cloud by then, met, slack in weeks.

        Slack is how many weeks before the deadline the last system needed to reach the
        count cut over (negative when missed).
        """
        grid = self.mp.grid
        already = len(self.mp.already_on_cloud) + len(self.mp.done)
        cut = self._cutover_days()
        rows = []
        for name, day, want in self.mp.milestone_targets:
            on = already + sum(1 for d in cut if d <= day)
            slack = None
            if want <= already:
                slack = None
            elif len(cut) >= want - already:
                kth = sorted(cut)[want - already - 1]
                slack = (day - kth).days // 7
            rows.append({"milestone": name, "date": day, "required": want, "on_cloud": on,
                         "met": on >= want, "slack_weeks": slack})
        del grid
        return pd.DataFrame(rows)

    def _cutover_days(self) -> list[dt.date]:
        if self.starts is None:
            return []
        days = []
        for k, g in enumerate(self.mp.groups):
            day = self.mp.grid.sunday(int(self.starts[k]) + g.duration_weeks - 1)
            days.extend([day] * len(g.systems))
        return days

    def weekly_load(self) -> pd.DataFrame:
        """Per week: teams used/available, cutovers, cloud occupation and capacity, transfers."""
        p = self.mp.project
        H = p.horizon
        grid = self.mp.grid
        df = pd.DataFrame({"week": np.arange(H), "monday": [grid.monday(w) for w in range(H)]})
        starts = self.starts
        for r, name in enumerate(p.resource_names):
            use = np.zeros(H, dtype=np.int64)
            if starts is not None:
                for i, a in enumerate(p.activities):
                    use[starts[i]:starts[i] + a.duration] += a.profile(r)
            unit = "" if r < 2 else "_gb"
            df[f"{name}{unit}_used"] = use
            df[f"{name}{unit}_capacity"] = p.capacity[r]
        for k, name in enumerate(p.landing_names):
            landed = np.zeros(H + 1)
            if starts is not None:
                for i, a in enumerate(p.activities):
                    landed[starts[i] + a.duration] += a.landing[k]
            df[f"cloud {name} used"] = np.cumsum(landed)[:H]
            df[f"cloud {name} capacity"] = p.landing_capacity[k]
        return df

    def progress(self, report_dates: list[str] | None = None) -> pd.DataFrame:
        """Quarterly progress projection at the report dates (MM-DD) within the plan.

        Columns: date, systems inventoried, on the cloud, the next dated target (systems and
        due date), connected to the exchange platform (systems in use that are connected:
        already, or connected at their cutover) and their share of the systems in use.
        """
        mp = self.mp
        inv = mp.inventory
        disposition = {d.system_id: d.disposition.value for d in mp.triage.decisions}
        in_use = [i for i, d in disposition.items() if d in ("migrate", "keep")]
        connected0 = {i for i in in_use if inv.by_id[i].platform_connected}
        cut = dict(zip([s for g in mp.groups for s in g.systems], self._cutover_days(),
                       strict=False)) if self.starts is not None else {}
        first = mp.grid.start
        last = mp.grid.sunday(mp.project.horizon - 1)
        dates = []
        for year in range(first.year, last.year + 1):
            for md in report_dates or ["03-30", "06-30", "09-30", "12-30"]:
                d = dt.date.fromisoformat(f"{year}-{md}")
                if first <= d <= last:
                    dates.append(d)
        already = len(mp.already_on_cloud) + len(mp.done)
        rows = []
        for d in dates:
            on = already + sum(1 for day in cut.values() if day <= d)
            upcoming = [(day, want) for _, day, want in mp.milestone_targets if day >= d]
            due, target = min(upcoming) if upcoming else (None, None)
            conn = len(connected0 | {i for i, day in cut.items() if day <= d and i in in_use})
            rows.append({"date": d, "inventoried": len(inv.systems), "on_cloud": on,
                         "next_target": target, "next_target_due": due,
                         "platform_connected": conn,
                         "platform_connected_pct": round(100 * conn / max(len(in_use), 1), 1)})
        return pd.DataFrame(rows)

    def __str__(self) -> str:
        s = self.schedule
        lines = [f"Migration plan: {len(self.mp.groups)} move groups, "
                 f"{sum(len(g.systems) for g in self.mp.groups)} systems — {s}"]
        lines += [f"  cannot meet: {e}" for e in self.explanation]
        return "\n".join(lines)


def plan_migration(
    scenario: Scenario,
    inventory: Inventory,
    *,
    topology=None,
    backend: str | None = None,
    solver=None,
    time_limit_s: float | None = None,
    seed: int | None = None,
    done: dict[str, dt.date] | None = None,
    as_of: dt.date | None = None,
) -> MigrationPlan:
    """Plan the migration of an inventory under a scenario's policy and targets.

    Parameters
    ----------
    scenario : Scenario
    inventory : Inventory
    topology : Topology, optional
        Built from the scenario when not given.
    backend : {"pulp", "heuristic", "cpsat"}, optional
        Default ``scenario.migration.backend``.
    solver : pulp.LpSolver, optional
        MILP solver for the ``pulp`` backend (default HiGHS).
    time_limit_s : float, optional
        Default ``scenario.migration.time_limit_s``.
    seed : int, optional
        Default ``scenario.migration.seed``.
    done, as_of
        Re-plan from progress: systems already migrated (id → date) and the re-plan date.

    Returns
    -------
    MigrationPlan
        With ``explanation`` filled when the milestones cannot be met.
    """
    from netplan.migration.solve import WorkLimit, solve

    policy = _policy(scenario)
    mp = build_migration_project(scenario, inventory, topology=topology, done=done, as_of=as_of)
    schedule = solve(mp.project, backend=backend or policy.backend, solver=solver,
                     time_limit_s=time_limit_s or policy.time_limit_s,
                     work_limit=WorkLimit.from_policy(policy),
                     seed=policy.seed if seed is None else seed)
    explanation: list[str] = []
    relaxed = None
    if schedule.starts is None:
        explanation = explain_infeasibility(mp)
        relaxed = solve(replace(mp.project, milestones=()), backend="heuristic",
                        time_limit_s=min(10.0, max(1.0, (time_limit_s or policy.time_limit_s) / 4)),
                        seed=policy.seed if seed is None else seed)
        plan = MigrationPlan(schedule.status, schedule, mp, [], relaxed)
        for row in plan.milestones().itertuples():
            if not row.met:
                explanation.append(
                    f"{row.milestone}: the best plan found without this target has {row.on_cloud} "
                    f"of {row.required} systems on the cloud by {row.date} (short by "
                    f"{row.required - row.on_cloud})")
        if schedule.status == SolveStatus.NO_SOLUTION and not explain_infeasibility(mp):
            explanation.append(
                "no single resource is short, so the targets may still be reachable: the "
                f"{schedule.backend} search found no plan in its time limit; give it more time "
                "or use backend 'pulp' / 'cpsat'")
    return MigrationPlan(schedule.status, schedule, mp, explanation, relaxed)
