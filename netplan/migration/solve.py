"""One entry point for every scheduler backend, and the one portfolio driver behind them.

``solve(project, backend=...)`` dispatches to:

- ``"milp"`` (default; ``"pulp"`` is an alias): the heuristic (a genetic search over activity
  lists with serial schedule generation and forward-backward justification) for a first plan,
  then the time-indexed MILP (HiGHS by default, any PuLP solver on request) warm-started from
  it, then the heuristic again with the MILP's plan and dual bound.
- ``"heuristic"``: the heuristic alone.
- ``"cpsat"``: the same heuristic, then OR-Tools CP-SAT (interval variables and cumulative
  constraints) hinted with its plan, then the heuristic again if time is left.

Both exact backends run through :func:`portfolio`, so they share one status rule: a plan is
``OPTIMAL`` when the exact solver proved it (within its gap tolerance, 0 for integral
objectives) or when its objective meets the best proven bound; ``INFEASIBLE`` only when the
exact solver or the time-window propagation proved that no plan exists.

Budgets. ``time_limit_s`` is wall time for the whole call, model building included. With a
:class:`WorkLimit` the stages are bounded by work instead: the heuristic by a number of
schedules, HiGHS by branch-and-bound nodes (and optionally simplex iterations), CP-SAT by its
deterministic time. The same project, seed and work limit then give the same plan whatever the
machine's load, as long as the wall-clock limit (kept as a safety net) does not strike first;
:attr:`~netplan.migration.project.Schedule.stopped_by` says which budget ended the search.

Backends are imported lazily, so OR-Tools is needed only when chosen.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from netplan.migration.project import Project, Schedule, SolveStatus, objective_value

__all__ = ["solve", "portfolio", "BACKENDS", "WorkLimit", "ExactOutcome"]

#: Backend names accepted by :func:`solve` (``"pulp"`` is the old name of ``"milp"``).
BACKENDS = ("milp", "pulp", "heuristic", "cpsat")
#: Wall-clock stopping reason of :attr:`Schedule.stopped_by`.
TIME_LIMIT = "time limit"
#: Work-budget stopping reason of :attr:`Schedule.stopped_by`.
WORK_LIMIT = "work limit"


@dataclass(frozen=True)
class WorkLimit:
    """A deterministic budget: how much work each stage may do, independent of the clock.

    Parameters
    ----------
    schedules : int
        Schedule generation passes of the heuristic, all its stages together.
    milp_nodes : int
        HiGHS branch-and-bound nodes (``mip_max_nodes``); the root node (presolve, root LP,
        cuts) always runs to its end.
    milp_iterations : int, optional
        HiGHS ``simplex_iteration_limit`` (per LP solve inside the MILP); None for no limit.
    cpsat_deterministic_s : float
        CP-SAT's ``max_deterministic_time`` (its own deterministic "seconds"); CP-SAT then
        interleaves its workers (``interleave_search``) so that the search is reproducible.

    Examples
    --------
    >>> WorkLimit(schedules=5000).milp_nodes
    2000
    """

    schedules: int = 20_000
    milp_nodes: int = 2_000
    milp_iterations: int | None = None
    cpsat_deterministic_s: float = 30.0

    @classmethod
    def from_policy(cls, policy) -> WorkLimit | None:
        """The work limit of a :class:`~netplan.model.scenario.MigrationPolicy`.

        None when the policy is not ``deterministic`` (the time limit alone then applies).
        """
        if not policy.deterministic:
            return None
        return cls(schedules=policy.max_schedules, milp_nodes=policy.max_milp_nodes,
                   cpsat_deterministic_s=policy.cpsat_deterministic_s)


@dataclass
class ExactOutcome:
    """What an exact stage (MILP, CP-SAT) of :func:`portfolio` returns.

    Attributes
    ----------
    outcome : {"optimal", "infeasible", "stopped", "skipped", "error"}
        ``optimal``: proven within the solver's gap tolerance; ``stopped``: a budget ended it;
        ``error``: the solver failed (``error`` says how): the other stages' plan stands, and
        without one :func:`portfolio` raises it.
    starts : numpy.ndarray or None
        The best plan it found (checked by the stage against the project).
    bound : float or None
        Its proven lower bound on the objective.
    stopped_by : str or None
        :data:`TIME_LIMIT` or :data:`WORK_LIMIT` when a budget ended it.
    log : list of str
    error : netplan.errors.NetplanError or None
        The solver's failure, when ``outcome`` is ``error``.
    """

    outcome: str
    starts: np.ndarray | None = None
    bound: float | None = None
    stopped_by: str | None = None
    log: list[str] = field(default_factory=list)
    error: Exception | None = None


def solve(project: Project, *, backend: str = "milp", solver=None, time_limit_s: float = 60.0,
          work_limit: WorkLimit | None = None, seed: int = 0, initial: Schedule | None = None,
          threads: int | None = None) -> Schedule:
    """Schedule a project with the chosen backend.

    Parameters
    ----------
    project : Project
    backend : {"milp", "pulp", "heuristic", "cpsat"}
        ``"pulp"`` is an alias of ``"milp"``.
    solver : pulp.LpSolver or str, optional
        For ``"milp"``: the MILP solver; default HiGHS (see
        :func:`netplan._solver.make_solver`).
    time_limit_s : float
        Wall-clock budget for the whole call, model building included (s).
    work_limit : WorkLimit, optional
        A deterministic budget (see the module docstring); the wall-clock limit stays a
        safety net. None: the stages share ``time_limit_s``.
    seed : int
        Seed of the heuristic's random choices and of the exact solver.
    initial : Schedule, optional
        A known feasible schedule to start from.
    threads : int, optional
        Worker threads for the MILP / CP-SAT solver.

    Returns
    -------
    Schedule
        Its status says whether it is proven optimal, ``gap`` how far from the bound,
        ``stopped_by`` which budget ended the search.

    Raises
    ------
    ValueError
        For an unknown backend name.
    netplan.errors.SolverUnavailableError
        When the MILP solver is not installed (named, with the pip command).
    netplan.errors.SolverFailedError
        When the exact solver failed (raised, or numerical trouble) and no other stage found
        a plan; when another stage did, that plan is returned (``FEASIBLE``) and the log says
        the solver failed.

    Examples
    --------
    >>> from netplan.migration.project import Activity
    >>> p = Project((Activity("a", 2, (1,)), Activity("b", 1, (1,))), np.array([1]), (),
    ...             horizon=4)
    >>> s = solve(p, work_limit=WorkLimit(schedules=200))
    >>> s.status.value, s.objective, s.stopped_by
    ('optimal', 3.0, None)
    """
    if backend in ("milp", "pulp"):
        from netplan.migration.solvers.milp import solve_milp

        s = solve_milp(project, solver=solver, time_limit_s=time_limit_s,
                       work_limit=work_limit, seed=seed, initial=initial, threads=threads)
        if backend == "pulp":  # the old name keeps its old label ("pulp-highs")
            from dataclasses import replace

            s = replace(s, backend="pulp" + s.backend.removeprefix("milp"))
        return s
    if backend == "heuristic":
        from netplan.migration.solvers.heuristic import solve_heuristic

        return solve_heuristic(project, time_limit_s=time_limit_s, seed=seed, initial=initial,
                               max_schedules=None if work_limit is None else work_limit.schedules)
    if backend == "cpsat":
        from netplan.migration.solvers.cpsat import CpsatStage, cpsat_available

        if not cpsat_available():  # before any time is spent on the heuristic
            from netplan.migration.solvers.cpsat import solve_cpsat

            return solve_cpsat(project)
        return portfolio(project, CpsatStage(threads=threads), backend="cpsat",
                         time_limit_s=time_limit_s, work_limit=work_limit, seed=seed,
                         initial=initial)
    raise ValueError(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}")


def portfolio(project: Project, exact, *, backend: str, time_limit_s: float,
              work_limit: WorkLimit | None, seed: int, initial: Schedule | None) -> Schedule:
    """Heuristic, then an exact stage warm-started from it, then the heuristic again.

    1. The genetic algorithm runs for ``exact.heuristic_share[objective]`` of the budget
       (time, or with a work limit that share of its schedules); a plan that meets its lower
       bound ends the call.
    2. ``exact.run(project, incumbent=, lower=, deadline=, work_limit=, seed=)`` gets the
       budget up to ``heuristic_share + exact_share`` (all of it when the heuristic found no
       plan: only the exact stage can then find one or prove there is none); building its
       model counts against it. Proving optimality or infeasibility ends the call.
    3. The heuristic resumes for what is left, with the exact stage's plan in its population
       and its bound as the stopping bound.

    Parameters
    ----------
    project : Project
    exact : object
        The exact stage: ``heuristic_share`` and ``exact_share`` (dicts keyed by objective)
        and ``run(...) -> ExactOutcome``.
    backend : str
        Reported in :attr:`Schedule.backend`.
    time_limit_s, work_limit, seed, initial
        As in :func:`solve`.

    Returns
    -------
    Schedule
        The best plan of all stages; ``bound`` the best proven bound (rounded up for an
        integral objective).
    """
    from netplan.migration.solvers.heuristic import GeneticSearch

    t0 = time.perf_counter()
    budget = max(0.0, float(time_limit_s))
    end = t0 + budget
    if project.n == 0:
        return _result(project, np.zeros(0, dtype=np.int64), SolveStatus.OPTIMAL, 0.0, t0,
                       backend, ["empty project"], None)
    obj = project.objective
    integral = obj == "makespan" or all(float(a.weight).is_integer()
                                        for a in project.activities)
    h_share = exact.heuristic_share[obj]
    deterministic = work_limit is not None
    cap = work_limit.schedules if deterministic else math.inf
    # stage 1: the heuristic (with a work limit only the whole budget is a wall-clock limit)
    search = GeneticSearch(project, seed=seed, initial=initial)
    if deterministic:
        first_cap = max(1, int(h_share * cap))
        search.run(deadline=end, max_schedules=first_cap)
    else:
        search.run(deadline=t0 + h_share * budget)
    heur = search.result(time.perf_counter() - t0)
    log = list(heur.log)
    if search.proven():
        log.append("heuristic schedule meets the lower bound: no exact stage needed")
        return _result(project, heur.starts, SolveStatus.OPTIMAL, heur.objective, t0,
                       backend, log, None)
    timed_out = time.perf_counter() >= end
    # stage 2: the exact stage
    have = heur.starts is not None
    if deterministic or not have:
        exact_end = end
    else:
        exact_end = min(end, t0 + (h_share + exact.exact_share[obj]) * budget)
    ex = exact.run(project, incumbent=heur.starts, lower=search.lb, deadline=exact_end,
                   work_limit=work_limit, seed=seed)
    log += ex.log
    if ex.outcome == "infeasible":
        if not have:
            return _result(project, None, SolveStatus.INFEASIBLE, None, t0, backend, log, None)
        log.append("the exact stage claims infeasibility of a feasible schedule; kept the "
                   "heuristic's")
        ex = ExactOutcome("stopped", None, None, ex.stopped_by)
    bound = search.lb if ex.bound is None else max(search.lb, ex.bound)
    if integral:
        bound = float(math.ceil(bound - 1e-6))
    if ex.outcome == "optimal" and ex.starts is not None:
        return _result(project, _better(project, ex.starts, heur.starts), SolveStatus.OPTIMAL,
                       bound, t0, backend, log, None)
    # stage 3: the heuristic again, stopping at the exact stage's bound
    if ex.starts is not None:
        search.inject(ex.starts)
    search.lb = max(search.lb, bound)
    if not search.proven() and time.perf_counter() < end and search.schedules < cap:
        search.run(deadline=end, max_schedules=cap)
        log.append(f"heuristic resumed: {search.schedules} schedules in all")
    final = search.result(time.perf_counter() - t0)
    starts = _better(project, ex.starts, final.starts)
    stopped = None
    if not search.proven():
        if not deterministic or timed_out or ex.stopped_by == TIME_LIMIT \
                or (search.schedules < cap and time.perf_counter() >= end):
            stopped = TIME_LIMIT
        else:
            stopped = WORK_LIMIT
    if starts is None:
        if ex.error is not None:  # nothing to fall back on: the failure is the answer
            raise ex.error
        return _result(project, None, SolveStatus.NO_SOLUTION, bound, t0, backend, log, stopped)
    proven = objective_value(project, starts) <= bound + 1e-9
    status = SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE
    return _result(project, starts, status, bound, t0, backend, log,
                   None if proven else stopped)


def _better(project: Project, a, b):
    """The starts with the smaller objective (either may be None; ties keep ``a``)."""
    if a is None:
        return b
    if b is None:
        return a
    return a if objective_value(project, a) <= objective_value(project, b) else b


def _result(project, starts, status, bound, t0, backend, log, stopped_by) -> Schedule:
    obj = None
    if starts is not None:
        starts = np.asarray(starts, dtype=np.int64)
        obj = objective_value(project, starts)
        bound = obj if bound is None else min(bound, obj)
    return Schedule(starts, status, obj, bound, time.perf_counter() - t0, backend, tuple(log),
                    stopped_by=stopped_by)
