"""Time-indexed MILP scheduler through PuLP (HiGHS by default), warm-started by the heuristic.

Formulation (Pritsker, Watters & Wolfe 1969):

- ``x[j, t]`` binary, 1 when activity ``j`` starts in period ``t``, created only for ``t`` in
  its window ``[es_j, ls_j]``: earliest starts from release dates and precedences, latest
  starts from the horizon, deadlines, milestones that need all of their activities, and
  precedences; starts at which the activity's profile alone exceeds a (time-varying) capacity,
  or its landing amount the landing capacity, are left out. For the makespan the horizon is the
  heuristic's makespan: every better schedule finishes earlier.
- ``sum_t x[j, t] = 1``.
- precedence ``i -> j``: ``sum_t t x[j, t] >= sum_t t x[i, t] + d_i``, one row per pair
  (``precedence="aggregated"``, the default), or Christofides, Alvarez-Valdes & Tamarit's
  (1987) disaggregated rows, for every ``t``: ``sum_{s <= t} x[j, s] <= sum_{s <= t - d_i}
  x[i, s]`` (``precedence="disaggregated"``), whose LP relaxation is tighter.
- renewable resource ``r``, period ``t``: ``sum_j sum_{s = t-d_j+1}^{t} p_j[t-s] x[j, s] <=
  cap[r, t]`` (``p_j`` the demand profile); rows that cannot bind are left out.
- landing resource ``k``, period ``t``: ``sum_j q_j sum_{s <= t - d_j} x[j, s] <= cap[k, t]``.
- milestone: ``sum_{j in pool} sum_{s <= period - d_j} x[j, s] >= count``.
- objective: a makespan variable ``C >= sum_t (t + d_j) x[j, t]`` for every activity without
  successors (``C`` bounded below by :func:`~netplan.migration.solvers.heuristic.lower_bound`),
  or ``sum_j w_j sum_t (t + d_j) x[j, t]``.

Why the aggregated precedences by default: HiGHS solves PSPLIB j30 better with them. On the 49
instances of ``j30*_1`` and ``j30*_2`` that the heuristic could not prove optimal (5,000
schedules), with its makespan as the horizon and 3 s for HiGHS, the aggregated model proved 24
optimal in 87 s in all, the disaggregated one 23 in 105 s. The disaggregated model has three
times the nonzeros (j3013_2: 83,593 against 26,379), its presolve alone took up to 2.9 s and
overran the time limit by up to 2.3 s; its tighter precedence relaxation does not pay because
the resource conflicts decide these instances and HiGHS adds cuts of its own.

:func:`solve_milp` reads the solver's own status and bounds (for HiGHS the ``highspy.Highs``
object PuLP leaves in ``problem.solverModel``): PuLP reports "Optimal" after a time-limit stop.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import pulp

from netplan._solver import make_solver
from netplan.migration.project import (
    Project,
    Schedule,
    ScheduleViolation,
    SolveStatus,
    check_schedule,
    objective_value,
)
from netplan.migration.solvers.heuristic import GeneticSearch

__all__ = ["MilpVariables", "build_milp", "solve_milp", "start_windows"]

#: Share of the time budget the heuristic may use before the MILP starts.
HEURISTIC_SHARE = 0.4
#: Per objective, the largest share of the budget the MILP may use; the heuristic resumes
#: for whatever is left.
MILP_SHARE = {"makespan": 0.3, "weighted_completion": 0.6}
#: The MILP stage is skipped (the heuristic keeps the time) when the model has more start
#: variables than this per second of the stage: HiGHS then rarely gets through presolve and
#: the root LP. On PSPLIB j30 at 2 s (a 0.6 s MILP stage) no model above 800 variables was
#: proven optimal, and most above 1,200 had no dual bound yet when the stage ended.
MILP_VARIABLES_PER_S = 1500


@dataclass(frozen=True)
class MilpVariables:
    """The variables of :func:`build_milp`'s problem.

    Attributes
    ----------
    x : dict
        ``(activity, period) -> pulp.LpVariable``, 1 when the activity starts in that period.
    makespan : pulp.LpVariable or None
        The makespan variable (makespan objective only).
    windows : list of list of int
        Per activity, the start periods that have a variable.
    """

    x: dict
    makespan: pulp.LpVariable | None
    windows: list


def start_windows(project: Project, horizon: int | None = None) -> list[list[int]]:
    """Per activity, the start periods left after time-window propagation.

    Earliest starts come from release dates and precedences, latest starts from ``horizon``
    (default the project's), deadlines, milestones that need every activity of their pool,
    and precedences. Starts where the activity alone does not fit a renewable or landing
    capacity are removed, and the propagation repeats until nothing changes. An empty window
    means no schedule exists within ``horizon``.

    Examples
    --------
    >>> from netplan.migration.project import Activity
    >>> p = Project((Activity("a", 2, (1,)), Activity("b", 1, (1,))), np.array([[1, 0, 1, 1]]),
    ...             ((0, 1),), horizon=4)
    >>> start_windows(p)
    [[], []]
    >>> p = Project((Activity("a", 1, (1,)), Activity("b", 1, (1,))), np.array([[1, 0, 1, 1]]),
    ...             ((0, 1),), horizon=4)
    >>> start_windows(p)
    [[0, 2], [2, 3]]
    """
    n = project.n
    H = int(project.horizon if horizon is None else min(horizon, project.horizon))
    d = [int(a.duration) for a in project.activities]
    lf = [min(H, a.deadline) if a.deadline is not None else H for a in project.activities]
    for m in project.milestones:
        pool = range(n) if m.activities is None else m.activities
        if m.count >= len(pool):
            for i in pool:
                lf[i] = min(lf[i], int(m.period))
    allowed = []
    for j, a in enumerate(project.activities):
        ok = np.zeros(max(H - d[j] + 1, 0), dtype=bool)
        ok[a.release:] = True
        for r in range(project.n_resources):
            prof = a.profile(r)
            if d[j] == 0 or prof.max(initial=0) == 0:
                continue
            cap = project.capacity[r, :H]
            for k in range(d[j]):
                if prof[k]:
                    ok &= cap[k:k + len(ok)] >= prof[k]
        for k, q in enumerate(a.landing):
            if q:
                land = project.landing_capacity[k]
                for s in np.flatnonzero(ok):
                    f = s + d[j]
                    if f < H and land[f] < q - 1e-9:
                        ok[s] = False
        ok[max(lf[j] - d[j] + 1, 0):] = False
        allowed.append(ok)
    order = project.topological_order()
    preds, succs = project.predecessors(), project.successors()
    es = [0] * n
    ls = [0] * n
    for _ in range(n + 1):
        changed = False
        for j in order:
            t = max([es[i] + d[i] for i in preds[j]], default=0)
            nz = np.flatnonzero(allowed[j][t:])
            t = t + int(nz[0]) if len(nz) else len(allowed[j])
            if t != es[j]:
                es[j] = t
                changed = True
        for j in reversed(order):
            t = min([ls[s] - d[j] for s in succs[j]], default=len(allowed[j]) - 1)
            t = min(t, len(allowed[j]) - 1)
            nz = np.flatnonzero(allowed[j][:t + 1]) if t >= 0 else []
            t = int(nz[-1]) if len(nz) else -1
            if t != ls[j]:
                ls[j] = t
                changed = True
        for j in range(n):
            allowed[j][:es[j]] = False
            allowed[j][max(ls[j] + 1, 0):] = False
        if not changed:
            break
    return [np.flatnonzero(allowed[j]).tolist() if es[j] <= ls[j] else [] for j in range(n)]


def build_milp(project: Project, *, horizon: int | None = None, initial=None,
               precedence: str = "aggregated", lower: float | None = None):
    """The time-indexed MILP of ``project`` (see the module docstring).

    Parameters
    ----------
    project : Project
    horizon : int, optional
        Every activity finishes by it (default the project's horizon); for the makespan pass a
        known schedule's makespan.
    initial : Schedule or array-like, optional
        Starts set as the variables' initial values (``setInitialValue``) for a warm start;
        ignored when they fall outside the windows.
    precedence : {"aggregated", "disaggregated"}
        One precedence row per pair (default; smaller, weaker relaxation) or one per pair and
        period (tighter, about three times the nonzeros on PSPLIB j30).
    lower : float, optional
        A known lower bound on the makespan, added as ``C >= lower``.

    Returns
    -------
    (pulp.LpProblem, MilpVariables)

    Examples
    --------
    >>> from netplan.migration.project import Activity
    >>> p = Project((Activity("a", 2, (1,)), Activity("b", 1, (1,))), np.array([1]), (),
    ...             horizon=4)
    >>> lp, v = build_milp(p, horizon=3)
    >>> len(v.x), len(lp.constraints())
    (5, 7)
    """
    if precedence not in ("disaggregated", "aggregated"):
        raise ValueError(f"precedence {precedence!r} must be 'disaggregated' or 'aggregated'")
    n = project.n
    T = int(project.horizon if horizon is None else min(horizon, project.horizon))
    windows = start_windows(project, T)
    d = [int(a.duration) for a in project.activities]
    lp = pulp.LpProblem(project.name or "project", pulp.LpMinimize)
    x: dict = {}
    for j in range(n):
        for t in windows[j]:
            x[j, t] = lp.add_variable(f"x_{j}_{t}", cat=pulp.LpBinary)
    LE, GE, EQ = pulp.LpConstraintLE, pulp.LpConstraintGE, pulp.LpConstraintEQ
    Expr, Con = pulp.LpAffineExpression, pulp.LpConstraint

    def add(terms, sense, rhs, name):
        lp.addConstraint(Con(Expr(terms), sense, name, rhs))

    for j in range(n):
        add([(x[j, t], 1) for t in windows[j]], EQ, 1, f"once_{j}")
    # precedences
    for i, j in project.precedences:
        if precedence == "aggregated":
            terms = [(x[j, t], t) for t in windows[j]]
            terms += [(x[i, t], -t) for t in windows[i]]
            add(_merge(terms), GE, d[i], f"prec_{i}_{j}")
            continue
        if not windows[i] or not windows[j]:
            continue
        # j started by t only if i started by t - d_i; for t >= hi both sides are 1
        hi = min(windows[j][-1], windows[i][-1] + d[i])
        lhs: list = []
        rhs: list = []
        wj, wi = iter(windows[j]), iter(windows[i])
        nj, ni = next(wj, None), next(wi, None)
        for t in range(windows[j][0], hi):
            grew = False
            while nj is not None and nj <= t:
                lhs.append((x[j, nj], 1))
                nj = next(wj, None)
                grew = True
            while ni is not None and ni <= t - d[i]:
                rhs.append((x[i, ni], -1))
                ni = next(wi, None)
            if grew:  # with the same left side, a later t only loosens the right side
                add(lhs + rhs, LE, 0, f"prec_{i}_{j}_{t}")
    # renewable resources
    for r in range(project.n_resources):
        profiles = [project.activities[j].profile(r) for j in range(n)]
        per_t: dict[int, list] = {}
        peak: dict[int, dict] = {}
        for j in range(n):
            p = profiles[j]
            if d[j] == 0 or p.max(initial=0) == 0:
                continue
            for s in windows[j]:
                for k in range(d[j]):
                    if p[k]:
                        per_t.setdefault(s + k, []).append((x[j, s], int(p[k])))
                        pk = peak.setdefault(s + k, {})
                        pk[j] = max(pk.get(j, 0), int(p[k]))
        for t in sorted(per_t):
            cap = int(project.capacity[r, t])
            if sum(peak[t].values()) <= cap:
                continue  # cannot bind: every activity at its peak still fits
            add(per_t[t], LE, cap, f"res_{r}_{t}")
    # landing resources
    for k in range(project.landing_capacity.shape[0]):
        landers = [j for j in range(n)
                   if k < len(project.activities[j].landing) and project.activities[j].landing[k]]
        if not landers:
            continue
        for t in range(T):
            terms = []
            for j in landers:
                q = float(project.activities[j].landing[k])
                terms += [(x[j, s], q) for s in windows[j] if s + d[j] <= t]
            cap = float(project.landing_capacity[k, t])
            if sum(c for _, c in terms) <= cap + 1e-9 or not terms:
                continue
            add(_merge(terms), LE, cap, f"land_{k}_{t}")
    # milestones
    for mi, m in enumerate(project.milestones):
        pool = range(n) if m.activities is None else m.activities
        terms = [(x[j, s], 1) for j in pool for s in windows[j] if s + d[j] <= m.period]
        add(_merge(terms), GE, int(m.count), f"milestone_{mi}")
    # objective
    C = None
    if project.objective == "makespan":
        lo = 0.0 if lower is None else float(lower)
        C = lp.add_variable("makespan", lowBound=lo, upBound=max(T, lo))
        succs = project.successors()
        for j in range(n):
            if succs[j]:
                continue
            add([(C, 1)] + [(x[j, t], -(t + d[j])) for t in windows[j]], GE, 0, f"cmax_{j}")
        lp.setObjective(Expr([(C, 1)]))
    else:
        w = [float(a.weight) for a in project.activities]
        lp.setObjective(Expr(_merge([(x[j, t], w[j] * (t + d[j]))
                                     for j in range(n) for t in windows[j] if w[j]])))
    variables = MilpVariables(x=x, makespan=C, windows=windows)
    if initial is not None:
        starts = initial.starts if isinstance(initial, Schedule) else initial
        if starts is not None:
            set_initial(project, variables, starts)
    return lp, variables


def set_initial(project: Project, variables: MilpVariables, starts) -> bool:
    """Set the variables' initial values to ``starts`` (``setInitialValue``).

    Returns False, setting nothing, when some start lies outside its window.
    """
    s = [int(v) for v in starts]
    if any((j, s[j]) not in variables.x for j in range(project.n)):
        return False
    for (j, t), var in variables.x.items():
        var.setInitialValue(1 if s[j] == t else 0)
    if variables.makespan is not None:
        variables.makespan.setInitialValue(objective_value(project, np.array(s)))
    return True


def _merge(terms):
    out: dict = {}
    for v, c in terms:
        out[v] = out.get(v, 0) + c
    return list(out.items())


def solve_milp(project: Project, *, solver=None, time_limit_s: float = 60.0, seed: int = 0,
               initial: Schedule | None = None, threads: int | None = None) -> Schedule:
    """Heuristic, then the time-indexed MILP warm-started from it, then the heuristic again.

    1. The genetic algorithm of :mod:`~netplan.migration.solvers.heuristic` runs until
       :data:`HEURISTIC_SHARE` of the budget; a schedule that meets its lower bound ends the
       call (proven optimal, no MILP built).
    2. The MILP of :func:`build_milp` (for the makespan with the heuristic's makespan as the
       horizon) runs for at most :data:`MILP_SHARE` of the budget, starting from the heuristic
       schedule: with HiGHS the schedule is handed over as the incumbent
       (``Highs.setSolution``; PuLP 3.3's ``pulp.HiGHS`` has no ``warmStart``), other PuLP
       solvers get initial values (``setInitialValue``), which they use when built with
       ``warmStart=True``. A proof of optimality or infeasibility ends the call. The stage is
       skipped when the model has more than :data:`MILP_VARIABLES_PER_S` start variables per
       second of it, and it runs to the end of the budget when the heuristic found no
       schedule (only the MILP can then find one or prove that none exists).
    3. Otherwise the genetic algorithm resumes for the rest of the budget, with the MILP's
       schedule in its population and the MILP's dual bound as its stopping bound.

    For the makespan the MILP stage is short: on hard instances (PSPLIB j30 with scarce
    resources) HiGHS rarely improves a good heuristic schedule within seconds, while the
    genetic algorithm keeps improving; on easy ones the MILP proves optimality quickly. For
    the weighted completion time, where no simple bound lets the heuristic stop early, the
    MILP gets the rest of the budget.

    Parameters
    ----------
    project : Project
    solver : pulp.LpSolver or str, optional
        Resolved by :func:`netplan._solver.make_solver` (default HiGHS). A solver object is
        used as configured, except that netplan caps HiGHS' time limit by the stage's budget.
    time_limit_s : float
        Wall-clock budget for all stages (s).
    seed : int
        Seed of the heuristic and of HiGHS.
    initial : Schedule, optional
        A known schedule; the heuristic starts from it.
    threads : int, optional
        Solver threads.

    Returns
    -------
    Schedule
        The best schedule of all stages; ``bound`` is the larger of the MILP's dual bound and
        the heuristic's lower bound. ``INFEASIBLE`` only when the solver (or the time-window
        propagation) proved that no schedule exists.

    Raises
    ------
    netplan.errors.SolverUnavailableError
        When the named solver is not installed.
    netplan.errors.NetplanError
        When HiGHS reports a model status netplan does not know (a newer highspy).

    Examples
    --------
    >>> from netplan.migration.project import Activity
    >>> p = Project((Activity("a", 2, (1,)), Activity("b", 1, (1,)), Activity("c", 2, (1,))),
    ...             np.array([2]), ((0, 1),), horizon=6)
    >>> s = solve_milp(p, time_limit_s=5)
    >>> s.status.value, s.objective
    ('optimal', 3.0)
    """
    t0 = time.perf_counter()
    budget = max(0.0, float(time_limit_s))
    end = t0 + budget
    made = make_solver(solver, threads=threads)  # fails early when the solver is missing
    backend = f"pulp-{made.name.lower()}"
    if project.n == 0:
        return _result(project, np.zeros(0, dtype=np.int64), SolveStatus.OPTIMAL, 0.0, t0,
                       backend, ["empty project"])
    # stage 1: the heuristic
    search = GeneticSearch(project, seed=seed, initial=initial)
    search.run(deadline=t0 + HEURISTIC_SHARE * budget)
    heur = search.result(time.perf_counter() - t0)
    log = list(heur.log)
    lb = search.lb
    if search.proven():
        log.append("heuristic schedule meets the lower bound: no MILP needed")
        return _result(project, heur.starts, SolveStatus.OPTIMAL, heur.objective, t0, backend,
                       log)
    # stage 2: the MILP
    makespan = project.objective == "makespan"
    have = heur.starts is not None
    horizon = int(heur.objective) if (have and makespan) else project.horizon
    windows = start_windows(project, horizon)
    if any(not w for w in windows):
        empty = next(project.activities[j].name for j, w in enumerate(windows) if not w)
        log.append(f"activity {empty} has no feasible start within {horizon} periods")
        if not have:  # the horizon was the project's: no schedule exists at all
            return _result(project, None, SolveStatus.INFEASIBLE, None, t0, backend, log)
        return _result(project, heur.starts, heur.status, lb, t0, backend, log)
    # without a heuristic schedule only the MILP can find one (or prove there is none)
    milp_end = end if not have else \
        min(end, t0 + (HEURISTIC_SHARE + MILP_SHARE[project.objective]) * budget)
    size = sum(len(w) for w in windows)
    stage_s = milp_end - time.perf_counter()
    outcome, milp_starts, bound = "skipped", None, None
    if have and size > MILP_VARIABLES_PER_S * stage_s:
        log.append(f"MILP skipped: {size} start variables for {max(stage_s, 0):.2f} s")
    elif stage_s > 0:
        lp, v = build_milp(project, horizon=horizon, initial=heur.starts,
                           lower=lb if makespan else None)
        integral = makespan or all(float(a.weight).is_integer() for a in project.activities)
        remaining = milp_end - time.perf_counter()
        log.append(f"MILP: {len(v.x)} start variables, {len(lp.constraints())} constraints, "
                   f"horizon {horizon}, {max(remaining, 0):.2f} s")
        if remaining > 0:
            if isinstance(made, pulp.HiGHS):
                outcome, milp_starts, bound = _run_highs(lp, v, made, project, heur.starts,
                                                         milp_end, seed, integral)
            else:
                made = make_solver(solver, time_limit_s=remaining, threads=threads)
                outcome, milp_starts, bound = _run_generic(lp, v, made, project)
            log.append(f"MILP outcome: {outcome}; dual bound {bound}")
    if milp_starts is not None:
        try:
            check_schedule(project, milp_starts)
        except ScheduleViolation as exc:  # solver tolerances; keep the heuristic's schedule
            log.append(f"MILP schedule rejected: {exc}")
            milp_starts = None
    if outcome == "infeasible":
        if not have:
            return _result(project, None, SolveStatus.INFEASIBLE, None, t0, backend, log)
        # cannot be: the heuristic schedule is a solution of the model
        log.append("the MILP claims infeasibility of a feasible schedule; kept the heuristic")
    best_bound = max(lb, bound) if bound is not None else lb
    if outcome == "optimal" and milp_starts is not None:
        # optimal within the solver's gap tolerance (exactly so for an integral objective)
        return _result(project, _better(project, milp_starts, heur.starts),
                       SolveStatus.OPTIMAL, bound, t0, backend, log)
    # stage 3: the heuristic again, stopping at the MILP's bound
    if milp_starts is not None:
        search.inject(milp_starts)
    search.lb = max(search.lb, best_bound)
    if not search.proven() and time.perf_counter() < end:
        search.run(deadline=end)
        log.append(f"heuristic resumed: {search.schedules} schedules in all")
    final = search.result(time.perf_counter() - t0)
    starts = _better(project, milp_starts, final.starts)
    if starts is None:
        return _result(project, None, SolveStatus.NO_SOLUTION, best_bound, t0, backend, log)
    obj = objective_value(project, starts)
    proven = obj <= best_bound + 1e-9
    status = SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE
    return _result(project, starts, status, best_bound, t0, backend, log)


def _better(project: Project, a, b):
    """The starts with the smaller objective (either may be None; ties keep ``a``)."""
    if a is None:
        return b
    if b is None:
        return a
    return a if objective_value(project, a) <= objective_value(project, b) else b


def _result(project, starts, status, bound, t0, backend, log) -> Schedule:
    obj = None
    if starts is not None:
        starts = np.asarray(starts, dtype=np.int64)
        obj = objective_value(project, starts)
        bound = obj if bound is None else min(bound, obj)
    return Schedule(starts, status, obj, bound, time.perf_counter() - t0, backend, tuple(log))


def _starts_from(project: Project, v: MilpVariables, value) -> np.ndarray | None:
    """Starts from variable values (``value(var) -> float``); None when incomplete."""
    starts = np.full(project.n, -1, dtype=np.int64)
    for (j, t), var in v.x.items():
        val = value(var)
        if val is not None and val > 0.5:
            starts[j] = t
    if (starts < 0).any():
        return None
    return starts


def _highs_outcomes() -> dict:
    """Every ``highspy.HighsModelStatus`` mapped to what it means for netplan.

    ``optimal``: solved, ``infeasible``: proven infeasible (the model is bounded, so
    "unbounded or infeasible" is infeasible), ``stopped``: a limit or interrupt ended the
    search (a solution may exist), ``error``: the solver failed. ``kUnbounded`` is impossible
    (all variables are bounded) and is treated as an error.
    """
    import highspy

    S = highspy.HighsModelStatus
    table = {
        "kOptimal": "optimal",
        "kInfeasible": "infeasible",
        "kUnboundedOrInfeasible": "infeasible",
        "kTimeLimit": "stopped",
        "kIterationLimit": "stopped",
        "kSolutionLimit": "stopped",
        "kInterrupt": "stopped",
        "kHighsInterrupt": "stopped",
        "kMemoryLimit": "stopped",
        "kObjectiveBound": "stopped",
        "kObjectiveTarget": "stopped",
        "kUnknown": "stopped",
        "kNotset": "error",
        "kModelEmpty": "error",
        "kLoadError": "error",
        "kModelError": "error",
        "kPresolveError": "error",
        "kSolveError": "error",
        "kPostsolveError": "error",
        "kUnbounded": "error",
    }
    return {getattr(S, name): what for name, what in table.items() if hasattr(S, name)}


def _run_highs(lp, v, made, project, warm, until, seed, integral):
    """PuLP's ``HiGHS.actualSolve`` split open to pass the warm start before ``run()``."""
    import highspy

    made.createAndConfigureSolver(lp)
    made.buildSolverModel(lp)
    h = lp.solverModel
    remaining = max(until - time.perf_counter(), 0.01)
    if made.timeLimit is not None:
        remaining = min(remaining, float(made.timeLimit))
    h.setOptionValue("time_limit", remaining)
    h.setOptionValue("random_seed", int(seed) % 2**31)
    if integral and made.gapAbs is None:
        # integral objective: a gap below 1 proves optimality
        h.setOptionValue("mip_abs_gap", 1 - 1e-6)
    if warm is not None:
        idx, val = [], []
        for (j, t), var in v.x.items():
            idx.append(var.index)
            val.append(1.0 if warm[j] == t else 0.0)
        if v.makespan is not None:
            idx.append(v.makespan.index)
            val.append(float(objective_value(project, warm)))
        h.setSolution(len(idx), np.array(idx, dtype=np.int32), np.array(val, dtype=float))
    h.run()
    status = h.getModelStatus()
    outcomes = _highs_outcomes()
    if status not in outcomes:
        from netplan.errors import NetplanError

        raise NetplanError(f"HiGHS model status {h.modelStatusToString(status)!r} is not "
                           "known to netplan; please report it")
    outcome = outcomes[status]
    info = h.getInfo()
    starts = None
    if outcome in ("optimal", "stopped") and \
            info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible:
        col = h.getSolution().col_value
        starts = _starts_from(project, v, lambda var: col[var.index])
    bound = None
    if outcome in ("optimal", "stopped") and math.isfinite(info.mip_dual_bound):
        bound = float(info.mip_dual_bound)
        if integral:
            bound = float(math.ceil(bound - 1e-6))
    if outcome == "optimal" and starts is None:
        outcome = "stopped"
    return outcome, starts, bound


def _run_generic(lp, v, made, project):
    """Any other PuLP solver: PuLP's solution status mapped explicitly."""
    lp.solve(made)
    table = {
        pulp.LpSolutionOptimal: "optimal",
        pulp.LpSolutionIntegerFeasible: "stopped",
        pulp.LpSolutionInfeasible: "infeasible",
        pulp.LpSolutionNoSolutionFound: "stopped",
        pulp.LpSolutionUnbounded: "error",  # impossible: every variable is bounded
    }
    outcome = table[lp.sol_status]
    starts = None
    if outcome in ("optimal", "stopped"):
        starts = _starts_from(project, v, lambda var: var.varValue)
    bound = None
    if outcome == "optimal" and starts is not None:
        bound = objective_value(project, starts)
    if outcome == "optimal" and starts is None:
        outcome = "stopped"
    return outcome, starts, bound
