"""Time-indexed MILP scheduler (HiGHS by default, any PuLP solver on request).

Formulation (Pritsker, Watters & Wolfe 1969), with ``x[j, t]`` binary, 1 when activity ``j``
starts in period ``t``, and its *step* ``z_j(t) = sum_{s <= t} x[j, s]`` ("started by t"):

- ``x[j, t]`` exists only for ``t`` in the activity's window
  (:func:`netplan.migration.windows.time_windows`: release dates, precedences, the horizon,
  deadlines, milestones that need their whole pool, and starts at which the activity alone
  does not fit a capacity). Outside it ``z_j`` is a constant, 0 before the window and 1 after
  it; constants go to the right-hand side. For the makespan the horizon is the heuristic's
  makespan: every better schedule finishes earlier.
- ``sum_t x[j, t] = 1``.
- precedence ``i -> j``: ``sum_t t x[j, t] >= sum_t t x[i, t] + d_i``, one row per pair
  (``precedence="aggregated"``, the default), or Christofides, Alvarez-Valdes & Tamarit's
  (1987) disaggregated rows ``z_j(t) <= z_i(t - d_i)`` at every start ``t`` of ``j``
  (``precedence="disaggregated"``), whose LP relaxation is tighter.
- renewable resource ``r``, period ``t``: ``sum_j sum_{s = t-d_j+1}^{t} p_j[t-s] x[j, s] <=
  cap[r, t]`` (``p_j`` the demand profile); a row is left out when every activity that can
  run in ``t`` fits at its peak demand.
- landing resource ``k``, period ``t``: ``sum_j q_j z_j(t - d_j) <= cap[k, t]`` (an activity
  finished by ``t`` occupies ``q_j`` in ``t``). Two reductions, both exact:

  * *dominance*: the occupation ``sum_j q_j z_j(t - d_j)`` never decreases in ``t`` (each
    ``z_j`` is a partial sum of non-negative ``x``, in the LP relaxation too), so within a
    stretch of periods of equal capacity the row of its last period implies all the others;
    one row per stretch is kept. After the last period in which some activity can still
    finish (at the latest the last hard deadline: a milestone that needs every activity),
    every ``z_j`` is the constant 1: the row is a constant check, made while building.
  * *redundancy*: the row is left out when even every activity that *can* finish by ``t``
    (``es_j + d_j <= t``) fits: ``sum_{those j} q_j <= cap[k, t]``, each activity counted
    once (not once per start variable).

- milestone: ``sum_{j in pool} z_j(period - d_j) >= count``.
- objective: a makespan variable ``C >= sum_t (t + d_j) x[j, t]`` for every activity without
  successors (``C`` bounded below by :func:`~netplan.migration.solvers.heuristic.lower_bound`),
  or ``sum_j w_j sum_t (t + d_j) x[j, t]``.

A step ``z_j(t)`` enters a row either as the sum of its ``x`` (no new variable) or through a
continuous chain ``z_j(t_k) = z_j(t_{k-1}) + x[j, t_k]`` over the activity's starts (one
variable and three nonzeros per start, then one term per row): per activity, whichever has
fewer nonzeros. A model's size is thus ``O(n H)`` instead of ``O(n H^2)`` for landing rows.

Why the aggregated precedences by default: HiGHS solves PSPLIB j30 better with them. On the 49
instances of ``j30*_1`` and ``j30*_2`` that the heuristic could not prove optimal (5,000
schedules), with its makespan as the horizon and 3 s for HiGHS, the aggregated model proved 24
optimal in 87 s in all, the disaggregated one 23 in 105 s. That was measured with the
disaggregated rows written as sums of ``x`` (three times the nonzeros); the step form (two
nonzeros per row plus the chains, three per start) is smaller but has not been measured on
j30 again.

:func:`build_milp` returns a PuLP problem (to count rows or add your own); :func:`solve_milp`
passes the same rows straight to ``highspy`` when the solver is HiGHS (PuLP's per-variable
hand-over costs more than HiGHS' root on large models) and reads HiGHS' own status and
bounds: PuLP reports "Optimal" after a time-limit stop.
"""

from __future__ import annotations

import bisect
import math
import time
from dataclasses import dataclass, field

import numpy as np
import pulp

from netplan._solver import make_solver, read_highs_model, run_solver
from netplan.errors import SolverFailedError, SolverUnavailableError
from netplan.migration.project import (
    Project,
    Schedule,
    ScheduleViolation,
    check_schedule,
    objective_value,
)
from netplan.migration.solve import TIME_LIMIT, WORK_LIMIT, ExactOutcome, WorkLimit, portfolio
from netplan.migration.windows import TimeWindows, time_windows

__all__ = ["MilpVariables", "MilpStage", "build_milp", "lp_bound", "solve_milp", "start_windows"]

#: Per objective, the share of the budget the heuristic gets before the MILP (of the time, or
#: with a work limit of its schedules). The makespan has a bound the heuristic can meet and
#: often does; the weighted completion has none, so the heuristic only provides a warm start.
HEURISTIC_SHARE = {"makespan": 0.4, "weighted_completion": 0.1}
#: Per objective, the largest share of the time budget the MILP stage may use, building
#: included; the heuristic resumes for whatever is left.
MILP_SHARE = {"makespan": 0.3, "weighted_completion": 0.9}
#: The MILP stage is skipped (the heuristic keeps the time) when the model would have more
#: nonzeros than this per second of the stage (building included), estimated before building
#: (:func:`_estimate_nonzeros`, an upper bound): HiGHS then rarely gets through presolve and
#: the root LP. Calibrated on PSPLIB j30 at 2 s (a 0.6 s MILP stage): no model above 800 start
#: variables was proven optimal there, and most above 1,200 had no dual bound yet when the
#: stage ended, so the former limit was 1,500 start variables per second; j30 models have an
#: estimated 16.4 nonzeros per start variable (median over every 12th instance; 10th-90th
#: percentile 10.3 to 26.1), hence about 25,000 per second. Nonzeros, not variables, measure
#: the work of presolve and of every LP iteration.
MILP_NONZEROS_PER_S = 25_000
#: With a work limit, the stage is skipped above this many nonzeros (a deterministic rule).
MILP_MAX_NONZEROS = 20_000_000


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
    """Per activity, its feasible start periods (:func:`~netplan.migration.windows.time_windows`).

    Examples
    --------
    >>> from netplan.migration.project import Activity
    >>> p = Project((Activity("a", 1, (1,)), Activity("b", 1, (1,))), np.array([[1, 0, 1, 1]]),
    ...             ((0, 1),), horizon=4)
    >>> start_windows(p)
    [[0, 2], [2, 3]]
    """
    w = time_windows(project, horizon)
    return [w.starts(j) for j in range(project.n)]


# --------------------------------------------------------------------------- the model


@dataclass
class _Rows:
    """The MILP as plain lists: columns, then rows of ``lo <= sum coef * col <= hi``."""

    col_name: list = field(default_factory=list)
    col_lb: list = field(default_factory=list)
    col_ub: list = field(default_factory=list)
    col_int: list = field(default_factory=list)
    cost: list = field(default_factory=list)
    row_name: list = field(default_factory=list)
    row_lo: list = field(default_factory=list)
    row_hi: list = field(default_factory=list)
    row_terms: list = field(default_factory=list)  # dict col -> coef
    x: dict = field(default_factory=dict)  # (j, t) -> col
    makespan: int | None = None
    windows: TimeWindows | None = None
    starts: list = field(default_factory=list)  # per activity, its start periods
    chains: dict = field(default_factory=dict)  # j -> [(t, col of z_j(t))], see _Steps

    def col(self, name, lb, ub, integer, cost=0.0) -> int:
        self.col_name.append(name)
        self.col_lb.append(float(lb))
        self.col_ub.append(float(ub))
        self.col_int.append(bool(integer))
        self.cost.append(float(cost))
        return len(self.col_name) - 1

    def row(self, name, terms: dict, lo, hi) -> int:
        self.row_name.append(name)
        self.row_lo.append(float(lo))
        self.row_hi.append(float(hi))
        self.row_terms.append(terms)
        return len(self.row_name) - 1

    @property
    def nonzeros(self) -> int:
        return sum(len(t) for t in self.row_terms)


class _Steps:
    """Collects ``coef * z_j(t)`` terms of rows; writes them as ``x`` sums or via a chain."""

    def __init__(self, m: _Rows) -> None:
        self.m = m
        self.requests: dict[int, list] = {}  # j -> [(row, k, coef)]; k indexes the starts

    def add(self, row: int, j: int, t: int, coef: float) -> float:
        """Record ``coef * z_j(t)`` in ``row``; returns the constant part (0 or ``coef``)."""
        w = self.m.starts[j]
        k = bisect.bisect_right(w, t) - 1
        if k < 0:
            return 0.0
        if k >= len(w) - 1:
            return float(coef)
        self.requests.setdefault(j, []).append((row, k, coef))
        return 0.0

    def write(self) -> None:
        m = self.m
        for j, reqs in sorted(self.requests.items()):
            w = m.starts[j]
            as_sums = sum(k + 1 for _, k, _ in reqs)
            top = max(k for _, k, _ in reqs)
            as_chain = 3 * top + len(reqs)
            if as_sums <= as_chain:
                for row, k, coef in reqs:
                    terms = m.row_terms[row]
                    for t in w[:k + 1]:
                        c = m.x[j, t]
                        terms[c] = terms.get(c, 0.0) + coef
                continue
            chain = [m.x[j, w[0]]]
            for k in range(1, top + 1):
                z = m.col(f"z_{j}_{w[k]}", 0, 1, False)
                m.row(f"step_{j}_{w[k]}", {z: 1.0, chain[-1]: -1.0, m.x[j, w[k]]: -1.0},
                      0, 0)
                chain.append(z)
                m.chains.setdefault(j, []).append((w[k], z))
            for row, k, coef in reqs:
                terms = m.row_terms[row]
                terms[chain[k]] = terms.get(chain[k], 0.0) + coef


def _estimate_nonzeros(project: Project, tw: TimeWindows) -> int:
    """Nonzeros of the aggregated model before the row filters (an upper bound, cheap).

    Per start variable: its ``once`` entry, one entry per resource period with demand, its
    ``cmax`` entry; per precedence both activities' starts; landing and milestone rows at most
    one entry per activity each.
    """
    size = [int(m.sum()) for m in tw.allowed]
    per = [1 + 1 + sum(int(np.count_nonzero(a.profile(r))) for r in range(project.n_resources))
           for a in project.activities]
    nnz = sum(k * c for k, c in zip(size, per, strict=True))
    nnz += sum(size[i] + size[j] for i, j in project.precedences)
    rows = project.landing_capacity.shape[0] * len(
        np.unique(project.landing_capacity, axis=1).T) + len(project.milestones)
    return nnz + rows * project.n


def _assemble(project: Project, T: int, precedence: str, lower: float | None,
              windows: TimeWindows | None = None) -> _Rows:
    """The rows and columns of the MILP (see the module docstring) within horizon ``T``."""
    n = project.n
    tw = time_windows(project, T) if windows is None else windows
    m = _Rows(windows=tw)
    m.starts = [tw.starts(j) for j in range(n)]
    win = m.starts
    d = [int(a.duration) for a in project.activities]
    inf = math.inf
    for j in range(n):
        for t in win[j]:
            m.x[j, t] = m.col(f"x_{j}_{t}", 0, 1, True)
    x = m.x
    for j in range(n):
        m.row(f"once_{j}", {x[j, t]: 1.0 for t in win[j]}, 1, 1)
    steps = _Steps(m)
    es = [w[0] if w else 0 for w in win]
    ls = [w[-1] if w else -1 for w in win]
    # precedences
    for i, j in project.precedences:
        if precedence == "aggregated":
            terms: dict = {}
            for t in win[j]:
                terms[x[j, t]] = terms.get(x[j, t], 0.0) + t
            for t in win[i]:
                terms[x[i, t]] = terms.get(x[i, t], 0.0) - t
            m.row(f"prec_{i}_{j}", {c: v for c, v in terms.items() if v}, d[i], inf)
            continue
        if not win[i] or not win[j]:
            continue
        for t in win[j]:  # z_j(t) - z_i(t - d_i) <= 0, tightest where z_j steps up
            if t - d[i] >= ls[i]:
                break  # z_i(t - d_i) = 1: nothing left to say
            r = m.row(f"prec_{i}_{j}_{t}", {}, -inf, 0)
            const = steps.add(r, j, t, 1.0) + steps.add(r, i, t - d[i], -1.0)
            m.row_hi[r] -= const
    # renewable resources
    for r in range(project.n_resources):
        per_t: dict[int, dict] = {}
        peak: dict[int, dict] = {}
        for j in range(n):
            p = project.activities[j].profile(r)
            if d[j] == 0 or p.max(initial=0) == 0:
                continue
            for s in win[j]:
                for k in range(d[j]):
                    if p[k]:
                        row = per_t.setdefault(s + k, {})
                        row[x[j, s]] = float(p[k])
                        pk = peak.setdefault(s + k, {})
                        pk[j] = max(pk.get(j, 0), int(p[k]))
        for t in sorted(per_t):
            cap = int(project.capacity[r, t])
            if sum(peak[t].values()) <= cap:
                continue  # cannot bind: every activity at its peak still fits
            m.row(f"res_{r}_{t}", per_t[t], -inf, cap)
    # landing resources (see the module docstring for the two reductions)
    H = project.horizon
    # beyond T nothing finishes; period H stands for "after the horizon" (the last period's
    # capacity), where an activity finishing at the horizon still occupies its amount
    t_last = min(T, H)
    for k in range(project.landing_capacity.shape[0]):
        acts = project.activities
        landers = [j for j in range(n)
                   if k < len(acts[j].landing) and acts[j].landing[k] and win[j]]
        if not landers:
            continue
        cap = np.append(project.landing_capacity[k], project.landing_capacity[k, -1:])
        ends = [t for t in range(t_last + 1)
                if t == t_last or cap[t + 1] > cap[t] + 1e-9 * max(1.0, abs(cap[t]))]
        for t in ends:
            can = [j for j in landers if es[j] + d[j] <= t]
            if sum(float(acts[j].landing[k]) for j in can) <= cap[t] + 1e-9 * max(1.0, cap[t]):
                continue  # cannot bind, nor can any earlier row of its stretch
            row = m.row(f"land_{k}_{t}", {}, -inf, float(cap[t]))
            const = sum(steps.add(row, j, t - d[j], float(acts[j].landing[k])) for j in can)
            m.row_hi[row] -= const
    # milestones
    for mi, ms in enumerate(project.milestones):
        pool = range(n) if ms.activities is None else ms.activities
        row = m.row(f"milestone_{mi}", {}, int(ms.count), inf)
        const = sum(steps.add(row, j, int(ms.period) - d[j], 1.0) for j in pool if win[j])
        m.row_lo[row] -= const
    steps.write()
    # rows left without variables are constant checks: drop them when they hold, else keep
    # one (empty, so the model is infeasible as the project is)
    keep = [i for i, terms in enumerate(m.row_terms)
            if terms or not (m.row_lo[i] <= 1e-9 and m.row_hi[i] >= -1e-9)]
    if len(keep) < len(m.row_terms):
        for attr in ("row_name", "row_lo", "row_hi", "row_terms"):
            vals = getattr(m, attr)
            setattr(m, attr, [vals[i] for i in keep])
    # objective
    if project.objective == "makespan":
        lo = 0.0 if lower is None else float(lower)
        C = m.col("makespan", lo, max(T, lo), False, 1.0)
        m.makespan = C
        succs = project.successors()
        for j in range(n):
            if succs[j]:
                continue
            terms = {C: 1.0}
            for t in win[j]:
                terms[x[j, t]] = -float(t + d[j])
            m.row(f"cmax_{j}", terms, 0, inf)
    else:
        w = [float(a.weight) for a in project.activities]
        for j in range(n):
            if w[j]:
                for t in win[j]:
                    m.cost[x[j, t]] = w[j] * (t + d[j])
    return m


def build_milp(project: Project, *, horizon: int | None = None, initial=None,
               precedence: str = "aggregated", lower: float | None = None):
    """The time-indexed MILP of ``project`` (see the module docstring) as a PuLP problem.

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
        start period in step form.
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
    T = int(project.horizon if horizon is None else min(horizon, project.horizon))
    m = _assemble(project, T, precedence, lower)
    lp, cols = _to_pulp(project, m)
    x = {key: cols[c] for key, c in m.x.items()}
    variables = MilpVariables(x=x, makespan=None if m.makespan is None else cols[m.makespan],
                              windows=m.starts)
    if initial is not None:
        starts = initial.starts if isinstance(initial, Schedule) else initial
        if starts is not None:
            set_initial(project, variables, starts)
    return lp, variables


def _to_pulp(project: Project, m: _Rows):
    lp = pulp.LpProblem(project.name or "project", pulp.LpMinimize)
    cols = []
    for name, lb, ub, integer in zip(m.col_name, m.col_lb, m.col_ub, m.col_int, strict=True):
        cols.append(lp.add_variable(name, lowBound=lb, upBound=ub,
                                    cat=pulp.LpBinary if integer and lb == 0 and ub == 1
                                    else pulp.LpInteger if integer else pulp.LpContinuous))
    Expr, Con = pulp.LpAffineExpression, pulp.LpConstraint
    for name, lo, hi, terms in zip(m.row_name, m.row_lo, m.row_hi, m.row_terms, strict=True):
        expr = Expr([(cols[c], v) for c, v in terms.items()])
        if lo == hi:
            lp.addConstraint(Con(expr, pulp.LpConstraintEQ, name, lo))
        elif math.isinf(hi):
            lp.addConstraint(Con(expr, pulp.LpConstraintGE, name, lo))
        elif math.isinf(lo):
            lp.addConstraint(Con(expr, pulp.LpConstraintLE, name, hi))
        else:  # not produced by _assemble
            raise AssertionError(f"row {name} has two finite sides")
    lp.setObjective(Expr([(cols[c], v) for c, v in enumerate(m.cost) if v]))
    return lp, cols


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


# --------------------------------------------------------------------------- solving


def solve_milp(project: Project, *, solver=None, time_limit_s: float = 60.0,
               work_limit: WorkLimit | None = None, seed: int = 0,
               initial: Schedule | None = None, threads: int | None = None) -> Schedule:
    """Heuristic, then the time-indexed MILP warm-started from it, then the heuristic again.

    The stages are those of :func:`netplan.migration.solve.portfolio` with the MILP as the
    exact stage (:class:`MilpStage`): the heuristic gets :data:`HEURISTIC_SHARE` of the
    budget, the MILP (building included) up to :data:`MILP_SHARE`, then the heuristic resumes
    with the MILP's plan and bound. With HiGHS the heuristic plan is handed over as the
    incumbent (``Highs.setSolution``); other PuLP solvers get initial values
    (``setInitialValue``), which they use when built with ``warmStart=True``.

    Parameters
    ----------
    project : Project
    solver : pulp.LpSolver or str, optional
        Resolved by :func:`netplan._solver.make_solver` (default HiGHS). A solver object is
        used as configured, except that netplan caps HiGHS' time limit by the stage's budget.
    time_limit_s : float
        Wall-clock budget for all stages, model building included (s).
    work_limit : WorkLimit, optional
        Deterministic budget: heuristic schedules and HiGHS nodes (see
        :class:`~netplan.migration.solve.WorkLimit`); ``time_limit_s`` stays a safety net.
    seed : int
        Seed of the heuristic and of HiGHS.
    initial : Schedule, optional
        A known schedule; the heuristic starts from it.
    threads : int, optional
        Solver threads.

    Returns
    -------
    Schedule
        Backend ``"milp-highs"`` (or ``"milp-<solver>"``). ``bound`` is the larger of the
        MILP's dual bound and the heuristic's lower bound. ``INFEASIBLE`` only when the solver
        (or the time-window propagation) proved that no schedule exists.

    Raises
    ------
    netplan.errors.SolverUnavailableError
        When the named solver is not installed.
    netplan.errors.SolverFailedError
        When the MILP solver failed (raised, reported numerical trouble, or a model status
        netplan does not know) and the heuristic found no plan either; with a heuristic plan,
        that plan is returned and the log says the MILP failed.

    Examples
    --------
    >>> from netplan.migration.project import Activity
    >>> p = Project((Activity("a", 2, (1,)), Activity("b", 1, (1,)), Activity("c", 2, (1,))),
    ...             np.array([2]), ((0, 1),), horizon=6)
    >>> s = solve_milp(p, time_limit_s=5)
    >>> s.status.value, s.objective
    ('optimal', 3.0)
    """
    made = make_solver(solver, threads=threads)  # fails early when the solver is missing
    stage = MilpStage(solver=solver, made=made, threads=threads)
    return portfolio(project, stage, backend=f"milp-{made.name.lower()}",
                     time_limit_s=time_limit_s, work_limit=work_limit, seed=seed,
                     initial=initial)


class MilpStage:
    """The MILP as the exact stage of :func:`~netplan.migration.solve.portfolio`."""

    heuristic_share = HEURISTIC_SHARE
    exact_share = MILP_SHARE

    def __init__(self, *, solver=None, made=None, threads: int | None = None) -> None:
        self.solver = solver
        self.made = make_solver(solver, threads=threads) if made is None else made
        self.threads = threads

    def run(self, project: Project, *, incumbent, lower: float, deadline: float,
            work_limit: WorkLimit | None, seed: int) -> ExactOutcome:
        """Build the MILP, solve it until ``deadline`` (or the work limit), check its plan."""
        makespan = project.objective == "makespan"
        have = incumbent is not None
        horizon = int(objective_value(project, incumbent)) if (have and makespan) \
            else project.horizon
        tw = time_windows(project, horizon)
        if not tw.feasible:
            log = [tw.reason]
            if not have:  # the horizon was the project's: no schedule exists at all
                return ExactOutcome("infeasible", log=log)
            return ExactOutcome("skipped", log=log)
        stage_s = deadline - time.perf_counter()
        if stage_s <= 0:
            return ExactOutcome("skipped", stopped_by=TIME_LIMIT, log=["MILP: no time left"])
        # the skip guard runs on an estimate, before any time goes into building the model
        estimate = _estimate_nonzeros(project, tw)
        limit = MILP_MAX_NONZEROS if work_limit is not None else MILP_NONZEROS_PER_S * stage_s
        if have and estimate > limit:
            why = (f"more than {MILP_MAX_NONZEROS}" if work_limit is not None else
                   f"too many for {max(stage_s, 0):.2f} s")
            return ExactOutcome("skipped", stopped_by=WORK_LIMIT if work_limit else TIME_LIMIT,
                                log=[f"MILP skipped: {tw.size} start variables, up to "
                                     f"{estimate} nonzeros, horizon {horizon}: {why}"])
        m = _assemble(project, horizon, "aggregated", lower if makespan else None, tw)
        stage_s = deadline - time.perf_counter()
        size = (f"{len(m.x)} start variables, {len(m.col_name) - len(m.x)} others, "
                f"{len(m.row_name)} rows, {m.nonzeros} nonzeros, horizon {horizon}")
        log = [f"MILP: {size}, {max(stage_s, 0):.2f} s"]
        integral = makespan or all(float(a.weight).is_integer() for a in project.activities)
        try:
            if isinstance(self.made, pulp.HiGHS):
                outcome, starts, bound, stopped = _run_highs(
                    m, self.made, project, incumbent, deadline, seed, integral, work_limit)
            else:
                lp, cols = _to_pulp(project, m)
                v = MilpVariables({k: cols[c] for k, c in m.x.items()},
                                  None if m.makespan is None else cols[m.makespan], m.starts)
                if have:
                    set_initial(project, v, incumbent)
                made = make_solver(self.solver, time_limit_s=max(stage_s, 0.01),
                                   threads=self.threads)
                outcome, starts, bound = _run_generic(lp, v, made, project)
                stopped = TIME_LIMIT if outcome == "stopped" else None
        except SolverFailedError as exc:  # the heuristic's plan (if any) stands, said so
            log.append(f"MILP failed, its result is not used: {exc}")
            return ExactOutcome("error", None, None, None, log, error=exc)
        log.append(f"MILP outcome: {outcome}; dual bound {bound}"
                   + (f" (stopped by the {stopped})" if stopped else ""))
        left = deadline - time.perf_counter()
        if outcome == "stopped" and bound is None and left > 0.5:
            # no dual bound yet (the root LP did not finish): try the plain LP relaxation
            try:
                relaxed = lp_bound(project, horizon=horizon, time_limit_s=left)
            except SolverUnavailableError:  # another solver, and no HiGHS for the LP
                relaxed = None
            if relaxed is not None and math.isfinite(relaxed):
                bound = float(math.ceil(relaxed - 1e-6)) if integral else relaxed
                log.append(f"LP relaxation bound {relaxed:.6g}")
        if starts is not None:
            try:
                check_schedule(project, starts)
            except ScheduleViolation as exc:  # solver tolerances; keep the heuristic's
                log.append(f"MILP schedule rejected: {exc}")
                starts = None
                if outcome == "optimal":
                    outcome = "stopped"
        if outcome == "optimal" and starts is None:
            outcome = "stopped"
        return ExactOutcome(outcome, starts, bound, stopped, log)


def lp_bound(project: Project, *, horizon: int | None = None,
             time_limit_s: float = 60.0) -> float | None:
    """The optimum of the MILP's LP relaxation: a lower bound on every schedule's objective.

    Parameters
    ----------
    project : Project
    horizon : int, optional
        Schedules finishing by it (default the project's horizon, when the bound holds for
        every schedule).
    time_limit_s : float
        HiGHS' time limit (s).

    Returns
    -------
    float or None
        The bound; ``math.inf`` when the relaxation (hence the project within ``horizon``) is
        infeasible; None when HiGHS did not finish in time.

    Examples
    --------
    >>> from netplan.migration.project import Activity
    >>> p = Project((Activity("a", 2, (1,)), Activity("b", 2, (1,))), np.array([1]), (),
    ...             horizon=6, objective="weighted_completion")
    >>> lp_bound(p)  # both half-started at 0 and 2 (finish 3 each), weights 1: 3 + 3
    6.0
    """
    from netplan._solver import require_highspy

    highspy = require_highspy()

    T = int(project.horizon if horizon is None else min(horizon, project.horizon))
    tw = time_windows(project, T)
    if not tw.feasible:
        return math.inf
    h = _highs(pulp.HiGHS(msg=False), _assemble(project, T, "aggregated", None, tw))
    h.setOptionValue("solve_relaxation", True)
    h.setOptionValue("time_limit", max(float(time_limit_s), 0.01))
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return float(h.getInfo().objective_function_value)
    if status == highspy.HighsModelStatus.kInfeasible:
        return math.inf
    return None


def _starts_from(project: Project, x: dict, value) -> np.ndarray | None:
    """Starts from variable values (``value(key) -> float``); None when incomplete."""
    starts = np.full(project.n, -1, dtype=np.int64)
    for (j, t), var in x.items():
        val = value(var)
        if val is not None and val > 0.5:
            starts[j] = t
    if (starts < 0).any():
        return None
    return starts


#: HiGHS statuses that a work limit (not the clock) caused.
_WORK_STATUSES = ("kIterationLimit", "kSolutionLimit")


def _highs(made, m: _Rows):
    """A ``highspy.Highs`` configured like ``made`` with the model ``m`` passed in bulk."""
    import highspy

    dummy = pulp.LpProblem("configure")
    made.createAndConfigureSolver(dummy)  # PuLP's option handling (msg, gaps, threads, ...)
    h = dummy.solverModel
    lp = highspy.HighsLp()
    ncol, nrow = len(m.col_name), len(m.row_name)
    lp.num_col_, lp.num_row_ = ncol, nrow
    lp.col_cost_ = np.array(m.cost, dtype=float)
    lp.col_lower_ = np.array(m.col_lb, dtype=float)
    lp.col_upper_ = np.array(m.col_ub, dtype=float)
    inf = highspy.kHighsInf
    lp.row_lower_ = np.array([-inf if math.isinf(v) else v for v in m.row_lo], dtype=float)
    lp.row_upper_ = np.array([inf if math.isinf(v) else v for v in m.row_hi], dtype=float)
    starts, index, value = [0], [], []
    for terms in m.row_terms:
        index.extend(terms.keys())
        value.extend(terms.values())
        starts.append(len(index))
    a = lp.a_matrix_
    a.format_ = highspy.MatrixFormat.kRowwise
    a.start_ = np.array(starts, dtype=np.int32)
    a.index_ = np.array(index, dtype=np.int32)
    a.value_ = np.array(value, dtype=float)
    a.num_col_, a.num_row_ = ncol, nrow
    lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                       for i in m.col_int]
    h.passModel(lp)
    return h


def _run_highs(m: _Rows, made, project, warm, until, seed, integral, work_limit):
    """Solve ``m`` with HiGHS until ``until`` (a ``perf_counter`` value) or the work limit."""
    import highspy

    h = _highs(made, m)
    remaining = max(until - time.perf_counter(), 0.01)
    if made.timeLimit is not None:
        remaining = min(remaining, float(made.timeLimit))
    h.setOptionValue("time_limit", remaining)
    h.setOptionValue("random_seed", int(seed) % 2**31)
    if integral and made.gapAbs is None and made.gapRel is None:
        # integral objective: a gap below 1 proves optimality, and nothing short of it does
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 1 - 1e-6)
    if work_limit is not None:
        h.setOptionValue("mip_max_nodes", int(work_limit.milp_nodes))
        if work_limit.milp_iterations is not None:
            h.setOptionValue("simplex_iteration_limit", int(work_limit.milp_iterations))
    if warm is not None:
        val = np.zeros(len(m.col_name))
        for (j, t), c in m.x.items():
            if warm[j] == t:
                val[c] = 1.0
        _fill_chains(m, val)  # chain variables z_j(t_k): started by t_k
        if m.makespan is not None:
            val[m.makespan] = float(objective_value(project, warm))
        h.setSolution(_solution(val))
    h.run()
    report = read_highs_model(h, what="schedule MILP")
    outcome = report.outcome
    S = highspy.HighsModelStatus
    stopped = None
    if outcome == "stopped":
        work = {getattr(S, s) for s in _WORK_STATUSES if hasattr(S, s)}
        stopped = WORK_LIMIT if h.getModelStatus() in work else TIME_LIMIT
    starts = None
    if report.feasible:
        col = h.getSolution().col_value
        starts = _starts_from(project, m.x, lambda c: col[c])
    bound = report.bound
    if bound is not None and integral:
        bound = float(math.ceil(bound - 1e-6))
    if outcome == "optimal" and starts is None:
        outcome = "stopped"
    return outcome, starts, bound, stopped


def _fill_chains(m: _Rows, val: np.ndarray) -> None:
    """Set each chain variable ``z_j(t)`` to the partial sum of its activity's ``x``."""
    for j, chain in m.chains.items():
        at = dict(chain)
        run = 0.0
        for t in m.starts[j]:
            run += val[m.x[j, t]]
            if t in at:
                val[at[t]] = run


def _solution(val: np.ndarray):
    import highspy

    sol = highspy.HighsSolution()
    sol.col_value = list(map(float, val))
    sol.value_valid = True
    return sol


def _run_generic(lp, v, made, project):
    """Any other PuLP solver, its statuses read by :func:`netplan._solver.run_solver`."""
    report = run_solver(lp, made, what="schedule MILP")
    outcome = report.outcome
    starts = None
    if report.feasible:
        starts = _starts_from(project, v.x, lambda var: var.varValue)
    bound = None
    if outcome == "optimal" and starts is not None:
        bound = objective_value(project, starts)
    if outcome == "optimal" and starts is None:
        outcome = "stopped"
    return outcome, starts, bound
