"""Migration planning: from a scenario and its system inventory to a weekly migration schedule.

The steps, each a pure function:

1. :func:`~netplan.migration.triage.triage` decides what moves (``migrate``), what is retired or
   integrated, and what stays (classified, already on the cloud).
2. :func:`~netplan.migration.build.build_migration_project` turns the systems to migrate into
   a weekly :class:`~netplan.migration.project.Project` (move groups, teams, cutover slots,
   transfers, cloud capacity, the dated targets as milestones).
3. :func:`~netplan.migration.explain.explain_infeasibility` checks the targets against lower
   bounds; when one proves them impossible, no solver is run.
4. :func:`~netplan.migration.solve.solve` schedules the project (heuristic warm start, then
   the MILP).
5. :func:`plan_migration` wraps all this into a :class:`~netplan.migration.result.MigrationPlan`
   and, when no plan meets the targets, adds the explanation and the *relaxed* plan: every
   system scheduled without the dated targets, on a grid extended until it fits, which says
   when the migration would be done.

This module keeps the public names of those modules, so ``from netplan.migration.plan
import ...`` works for all of them.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace

import numpy as np

from netplan.migration.build import (
    TB_TO_GB,
    MigrationProject,
    MoveGroup,
    WeekGrid,
    _policy,
    build_migration_project,
)
from netplan.migration.explain import explain_infeasibility
from netplan.migration.inventory import Inventory
from netplan.migration.project import (
    Schedule,
    ScheduleViolation,
    SolveStatus,
    check_schedule,
    objective_value,
)
from netplan.migration.result import MigrationPlan
from netplan.model.scenario import Scenario

__all__ = [
    "WeekGrid",
    "MoveGroup",
    "MigrationProject",
    "MigrationPlan",
    "build_migration_project",
    "plan_migration",
    "relaxed_plan",
    "explain_infeasibility",
    "TB_TO_GB",
]

#: Schedules the heuristic may generate for the relaxed plan and for each team-count check
#: (a deterministic budget: the same plan on any machine when the clock does not bind).
RELAXED_SCHEDULES = 1500
#: The relaxed plan's grid doubles at most this many times (64 × the planned grid).
MAX_DOUBLINGS = 6


def relaxed_plan(scenario: Scenario, inventory: Inventory, mp: MigrationProject, *,
                 topology=None, done: dict[str, dt.date] | None = None,
                 as_of: dt.date | None = None, time_limit_s: float = 5.0,
                 seed: int = 0) -> tuple[MigrationProject, Schedule | None, str | None]:
    """Every system scheduled without the dated targets, on a grid long enough for all.

    The grid of ``mp`` doubles (rebuilt from the scenario, so teams, blackouts and
    expansions follow their dates) until a serial schedule generation on latest-finish
    priorities places every move group strictly inside it; the grid is then cut to that
    plan's length and the heuristic improves it (weighted completion) from there. A serial
    SGS on a long enough grid always succeeds when every activity fits its resources alone,
    so this fails only when the cloud cannot hold every system, or one group cannot fit.

    Parameters
    ----------
    scenario, inventory
        As given to :func:`plan_migration`.
    mp : MigrationProject
        The project with the targets (its grid is the first one tried).
    topology, done, as_of
        As given to :func:`plan_migration`.
    time_limit_s : float
        Wall-clock safety net of the improvement (s); it also stops after
        :data:`RELAXED_SCHEDULES` schedules.
    seed : int

    Returns
    -------
    (MigrationProject, Schedule or None, str or None)
        The relaxed project (no milestones), its plan (every activity finishes before the
        end of the grid, so every system's cloud occupation is checked) and, when there is no
        plan, why.
    """
    from netplan.migration.solvers.heuristic import priority_list, serial_sgs, solve_heuristic

    t0 = time.perf_counter()
    # start with a grid that has every planned expansion: if the cloud cannot hold every
    # system then, no longer grid will
    policy = _policy(scenario)
    weeks = max([mp.project.horizon] + [mp.grid.week_of(e.date) + 2 for e in policy.expansions])
    found = None
    for attempt in range(MAX_DOUBLINGS + 1):
        rmp = build_migration_project(scenario, inventory, topology=topology, done=done,
                                      as_of=as_of, n_weeks=weeks)
        rmp = replace(rmp, project=replace(rmp.project, milestones=()))
        if attempt == 0 and _cloud_too_small(rmp.project):
            break
        starts = serial_sgs(rmp.project, priority_list(rmp.project))
        if starts is not None and int((starts + rmp.project.durations).max(initial=0)) < weeks:
            found = starts
            break
        weeks *= 2
    if found is None:
        return rmp, None, _why_no_plan(rmp)
    # improve on a grid with some room (a plan of lower weighted completion may end later),
    # then cut the grid to the end of the best plan
    end = int((found + rmp.project.durations).max(initial=0))
    room = max(mp.project.horizon, end + 1 + max(4, end // 10))
    p = _relaxed_project(scenario, inventory, topology, done, as_of, room)
    sgs = Schedule(found, SolveStatus.FEASIBLE, objective_value(p, found), None,
                   time.perf_counter() - t0, "serial-sgs",
                   (f"serial SGS on latest-finish priorities: every group placed within "
                    f"{end} weeks",))
    better = solve_heuristic(p, time_limit_s=time_limit_s, seed=seed, initial=sgs,
                             max_schedules=RELAXED_SCHEDULES)
    best = sgs
    if (better.starts is not None and better.objective <= sgs.objective
            and int((better.starts + p.durations).max(initial=0)) < room
            and _valid(p, better.starts)):
        best = better
    weeks = max(mp.project.horizon, int((best.starts + p.durations).max(initial=0)) + 1)
    rmp = build_migration_project(scenario, inventory, topology=topology, done=done,
                                  as_of=as_of, n_weeks=weeks)
    rmp = replace(rmp, project=replace(rmp.project, milestones=()))
    check_schedule(rmp.project, best.starts)
    log = (*sgs.log, *(better.log if best is better else ()))
    return rmp, replace(best, runtime_s=time.perf_counter() - t0, log=log), None


def _relaxed_project(scenario, inventory, topology, done, as_of, weeks):
    mp = build_migration_project(scenario, inventory, topology=topology, done=done,
                                 as_of=as_of, n_weeks=weeks)
    return replace(mp.project, milestones=())


def _valid(project, starts) -> bool:
    try:
        check_schedule(project, starts)
    except ScheduleViolation:
        return False
    return True


def _cloud_too_small(p) -> bool:
    total = np.array([a.landing for a in p.activities], dtype=float).reshape(p.n, -1).sum(axis=0)
    cap = p.landing_capacity[:, -1] if p.horizon else np.zeros(len(total))
    return bool((total > cap + 1e-9).any())


def _why_no_plan(rmp: MigrationProject) -> str:
    p = rmp.project
    total = np.array([a.landing for a in p.activities], dtype=float).reshape(p.n, -1).sum(axis=0)
    for k, name in enumerate(p.landing_names):
        cap = float(p.landing_capacity[k, -1]) if p.horizon else 0.0
        if total[k] > cap + 1e-9:
            return (f"the cloud cannot hold every system to migrate even after the planned "
                    f"expansions: {name} needed {total[k]:,.0f}, capacity {cap:,.0f} "
                    f"(short by {total[k] - cap:,.0f}); plan an expansion")
    return (f"no schedule of every move group fits in {p.horizon} weeks: a group needs more "
            "teams, cutover slots or transfer capacity than any week has")


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
    backend : {"milp", "heuristic", "cpsat"}, optional
        Default ``scenario.migration.backend`` (``"pulp"`` is the old name of ``"milp"``).
    solver : pulp.LpSolver, optional
        MILP solver for the ``milp`` backend (default HiGHS).
    time_limit_s : float, optional
        Wall-clock budget (s) of the plan with the targets, building the topology and the
        project included; default ``scenario.migration.time_limit_s``. With a deterministic
        policy it is a safety net only. When no plan meets the targets, the checks of team
        counts and the relaxed plan have budgets of their own.
    seed : int, optional
        Default ``scenario.migration.seed``.
    done, as_of
        Re-plan from progress: systems already migrated (id → date) and the re-plan date.

    Raises
    ------
    SolverUnavailableError
        When the backend's solver is not installed (OR-Tools for ``cpsat``, the MILP solver
        for ``milp``), naming the pip command.
    SolverFailedError
        When the solver failed and no stage found a plan (else the plan found stands).

    Returns
    -------
    MigrationPlan
        When no plan meets the targets: ``explanation`` says why (each statement backed by a
        bound; a team count "would meet it" only when a plan with it was found) and
        ``relaxed`` / ``relaxed_mp`` hold the plan of every system without the targets.

    Examples
    --------
    >>> from netplan.examples import tiny_migration
    >>> scenario, inventory = tiny_migration()
    >>> plan = plan_migration(scenario, inventory, backend="heuristic", time_limit_s=2)
    >>> plan.feasible, plan.finish_date  # last cutover in week 5: Sunday 2020-01-06 + 40 days
    (True, datetime.date(2020, 2, 16))
    """
    from netplan.migration.solve import WorkLimit, solve
    from netplan.topology import build_topology

    t_call = time.perf_counter()
    policy = _policy(scenario)
    topology = topology if topology is not None else build_topology(scenario)
    mp = build_migration_project(scenario, inventory, topology=topology, done=done, as_of=as_of)
    limit = time_limit_s or policy.time_limit_s
    seed = policy.seed if seed is None else seed
    t0 = time.perf_counter()
    proof = explain_infeasibility(mp)  # lower bounds only: cheap, and certain
    if proof:
        schedule = Schedule(None, SolveStatus.INFEASIBLE, None, None, time.perf_counter() - t0,
                            "bounds", ("lower bounds prove the targets impossible; no solver "
                                       "run", *proof))
    else:
        schedule = solve(mp.project, backend=backend or policy.backend, solver=solver,
                         time_limit_s=max(0.0, limit - (time.perf_counter() - t_call)),
                         work_limit=WorkLimit.from_policy(policy),
                         seed=seed)
    if schedule.status is SolveStatus.NO_SOLVER:  # not "no plan found": the backend is absent
        from netplan.errors import SolverUnavailableError

        raise SolverUnavailableError(
            f"the {schedule.backend} backend cannot run: {'; '.join(schedule.log)}; or choose "
            "backend 'milp' (HiGHS, installed with netplan)")
    if schedule.starts is not None:
        return MigrationPlan(schedule.status, schedule, mp)
    # the side searches are capped by schedules; with a deterministic policy the clock is only
    # a safety net, as for the main search
    deterministic = policy.deterministic
    verify_s = limit if deterministic else min(5.0, max(1.0, limit / 10))
    relaxed_s = limit if deterministic else min(10.0, max(1.0, limit / 4))
    explanation = (explain_infeasibility(mp, verify_time_s=verify_s, seed=seed)
                   if proof else [])
    rmp, relaxed, why = relaxed_plan(scenario, inventory, mp, topology=topology, done=done,
                                     as_of=as_of, time_limit_s=relaxed_s, seed=seed)
    if why:
        explanation.append(why)
    if relaxed is not None and not proof and _meets_targets(mp, relaxed.starts):
        # the search missed a plan that the relaxed one happens to be: it is a plan
        found = replace(relaxed, status=SolveStatus.FEASIBLE, log=(
            *schedule.log, *relaxed.log, "the plan without the targets meets them"))
        return MigrationPlan(SolveStatus.FEASIBLE, found, mp)
    if schedule.status is not SolveStatus.INFEASIBLE and not proof:
        explanation.append(
            "no single resource is short, so the targets may still be reachable: the "
            f"{schedule.backend} search found no plan within its budget"
            + (f" (stopped by the {schedule.stopped_by})" if schedule.stopped_by else "")
            + "; give it more (time_limit_s, max_schedules, max_milp_nodes) or use backend "
            "'milp' / 'cpsat'")
    return MigrationPlan(schedule.status, schedule, mp, explanation, relaxed, rmp)


def _meets_targets(mp: MigrationProject, starts) -> bool:
    if int((np.asarray(starts) + mp.project.durations).max(initial=0)) > mp.project.horizon:
        return False
    return _valid(mp.project, starts) and not mp.impossible
