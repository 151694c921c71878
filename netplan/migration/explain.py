"""Why the dated targets of a migration cannot be met, and by how much.

Every statement of :func:`explain_infeasibility` is backed by a lower bound (a relaxation of
the project), so a shortfall it names is certain and its margin ("short by 34 person-weeks")
is the bound's. A bound only says what is *necessary*: "5 teams would meet it" is said only
when a plan with 5 teams that meets the target was found and checked
(:func:`~netplan.migration.project.check_schedule`); otherwise the statement is "at least 5
teams".
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from netplan.migration.build import MigrationProject
from netplan.migration.project import (
    Project,
    ProjectMilestone,
    ScheduleViolation,
    check_schedule,
)

__all__ = ["explain_infeasibility", "plan_with_teams"]


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


def plan_with_teams(project: Project, teams: int, milestone: ProjectMilestone, *,
                    time_limit_s: float, seed: int = 0,
                    max_schedules: int = 1500) -> np.ndarray | None:
    """A plan meeting ``milestone`` with at least ``teams`` teams in every week, if one is found.

    The team capacity (resource 0) is raised to ``teams`` where it is lower; every other limit
    stays, the other milestones are dropped. The heuristic searches for ``time_limit_s`` at
    most (and ``max_schedules`` schedules, so that the answer does not depend on the
    machine's speed when the clock does not bind).

    Returns
    -------
    numpy.ndarray or None
        Start period per activity of a plan that passes
        :func:`~netplan.migration.project.check_schedule` on the changed project; None when
        none was found (which does not prove that none exists).
    """
    from netplan.migration.solvers.heuristic import solve_heuristic

    capacity = project.capacity.copy()
    capacity[0] = np.maximum(capacity[0], teams)
    changed = replace(project, capacity=capacity, milestones=(milestone,))
    got = solve_heuristic(changed, time_limit_s=time_limit_s, seed=seed,
                          max_schedules=max_schedules)
    if got.starts is None:
        return None
    try:
        check_schedule(changed, got.starts)
    except ScheduleViolation:  # pragma: no cover - the heuristic returns feasible plans only
        return None
    return got.starts


def explain_infeasibility(mp: MigrationProject, *, verify_time_s: float = 0.0,
                          seed: int = 0) -> list[str]:
    """Why the milestones cannot be met: each resource or chain that makes them impossible.

    Parameters
    ----------
    mp : MigrationProject
    verify_time_s : float
        Per team shortfall, the search budget (s) for a plan with the team count the bound
        asks for (:func:`plan_with_teams`). With 0 (the default) nothing is searched and the
        statement says "at least N teams".
    seed : int
        Seed of that search.

    Returns
    -------
    list of str
        First the targets no plan can reach (:attr:`MigrationProject.impossible`), then one
        line per milestone and short resource. Empty when no single cause is found (the
        limits only bind in combination, or the milestones can be met).

    Examples
    --------
    >>> import datetime as dt
    >>> from netplan.examples import tiny_migration
    >>> from netplan.migration.build import build_migration_project
    >>> from netplan.model.scenario import CloudTarget
    >>> scenario, inventory = tiny_migration()
    >>> t = scenario.targets.model_copy(update={"systems_on_cloud": [
    ...     CloudTarget(by=dt.date(2020, 1, 26), systems="all")]})
    >>> mp = build_migration_project(scenario.model_copy(update={"targets": t}), inventory)
    >>> for part in explain_infeasibility(mp)[0].split(": ", 1)[1].split("; "):
    ...     part
    'team capacity short by 3 person-weeks before 2020-01-26 (needs at least 6, has 3)'
    'at least 2 teams instead of 1 are needed'
    """
    p = mp.project
    out: list[str] = list(mp.impossible)
    es = p.earliest_starts()
    dur = p.durations
    units = np.array([len(g.systems) for g in mp.groups], dtype=float)
    team_cost = np.array([g.duration_weeks * g.teams for g in mp.groups], dtype=float)
    land = np.array([a.landing for a in p.activities], dtype=float).reshape(p.n, -1)
    grid = mp.grid
    for m, (name, day, want) in zip(p.milestones, _active_targets(mp), strict=True):
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
            k = math.ceil(team_need / max(weeks, 1))
            base = int(p.capacity[0, 0])
            found = verify_time_s > 0 and plan_with_teams(
                p, k, m, time_limit_s=verify_time_s, seed=seed) is not None
            if found:
                verdict = (f"{k} teams instead of {base} would meet it (a plan with {k} teams "
                           "that meets it was found)")
            else:
                verdict = f"at least {k} teams instead of {base} are needed"
                if verify_time_s > 0:
                    verdict += f" (no plan with {k} teams was found by a short search)"
            out.append(f"{name}: team capacity short by {math.ceil(short)} person-weeks before "
                       f"{day} (needs at least {math.ceil(team_need)}, has {int(team_have)}); "
                       f"{verdict}")
        slots_have = int(p.capacity[1, :weeks].sum())
        biggest_first = np.cumsum(np.sort(units[eligible])[::-1])
        cutovers = int(np.searchsorted(biggest_first, need - 1e-9) + 1)
        if cutovers > slots_have:
            out.append(f"{name}: needs at least {cutovers} cutovers before {day} but blackouts "
                       f"and max_cutovers_per_week leave {slots_have} slots")
        # the systems on the cloud by the milestone occupy its capacity from then on (for a
        # milestone at the horizon, in its last week)
        if p.horizon:
            for k_land, res in enumerate(p.landing_names):
                have = float(p.landing_capacity[k_land, min(weeks, p.horizon - 1)])
                got = _fractional_min(land[eligible, k_land], units[eligible], need)
                if got > have + 1e-9:
                    out.append(f"{name}: cloud {res} short by {got - have:,.0f} at {day} "
                               f"(needs at least {got:,.0f}, capacity {have:,.0f}); plan an "
                               "expansion")
        for r in range(2, p.n_resources):
            use = np.array([p.activities[i].profile(r).sum() for i in eligible], dtype=float)
            got = _fractional_min(use, units[eligible], need)
            have = float(p.capacity[r, :weeks].sum())
            if got > have + 1e-9:
                out.append(f"{name}: {p.resource_names[r]} carries {have:,.0f} GB in the "
                           f"maintenance windows before {day}, the cutovers need at least "
                           f"{got:,.0f} GB; widen the windows or raise the bandwidth")
    return out


def _active_targets(mp: MigrationProject) -> list[tuple]:
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
