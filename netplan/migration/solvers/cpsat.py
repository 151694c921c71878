"""The OR-Tools CP-SAT backend: interval variables and cumulative constraints.

Every feature of :class:`~netplan.migration.project.Project` is modelled exactly:

- **Starts.** One integer variable per activity, whose domain is its time window
  (:func:`netplan.migration.windows.time_windows`: release dates, precedences, the horizon,
  deadlines, milestones that need their whole pool, and starts at which the activity alone
  does not fit a capacity). An activity whose window is empty makes the project infeasible
  before any search, and the log names it.
- **Precedences.** ``start_j >= start_i + duration_i``.
- **Renewable resources.** One cumulative constraint per resource whose capacity is the
  resource's largest capacity ``cap_max``. An activity's demand profile is split into runs of
  constant demand; each run is a fixed-size interval at a fixed offset from the activity's start
  (a constant profile reuses the activity's own interval). Periods where the capacity is below
  ``cap_max`` (blackouts, reduced teams) hold fixed *blocking* intervals that take up
  ``cap_max - cap(t)``.
- **Landing resources.** An activity occupies ``landing[k]`` from its finish to the horizon:
  an interval ``[finish, horizon)`` in a cumulative constraint whose capacity is the final
  (largest) capacity, with blocking intervals filling the shortfall of the earlier periods (the
  capacity never decreases, so they all start at period 0). Amounts are fractional, so they are
  counted in thousandths: demands are rounded *up* and capacities *down* to the next 1/1000
  (values within a relative 1e-12 of a thousandth count as on it, so that ``0.1 * 1000`` is
  100). The integer model is therefore never looser than the real one.
- **Milestones.** One boolean per candidate activity meaning "finished by the milestone's
  period" (it forces ``finish <= period``); their sum, each weighted by how often the
  milestone lists the activity, is at least ``count``.
- **Redundant constraints** (they cut no schedule, they speed up the search): no-overlap
  constraints over cliques of activities that can never run in the same period (a precedence
  path between them, or constant demands that together exceed a resource's largest capacity);
  and, for the makespan, ``makespan >= start + longest path from the activity to the end``.
- **Objective.** The makespan, a variable ``>=`` every finish; or the weighted sum of finish
  periods with integer weights (weights are scaled by the smallest power of ten up to 10**6 that
  makes them whole; weights with more decimals are rounded at 10**6, the reported bound is
  corrected by the worst rounding error over the activities' finish windows so that it stays a
  valid bound of the real objective, and OPTIMAL becomes FEASIBLE unless that bound still
  meets the objective).

Search: CP-SAT's parameters are its defaults except, for the makespan objective, the choice of
workers (:data:`MAKESPAN_SUBSOLVERS`, :data:`MAKESPAN_IGNORED_SUBSOLVERS`).

The returned schedule is verified with :func:`~netplan.migration.project.check_schedule`
before it is returned.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from netplan.migration.project import (
    Project,
    Schedule,
    SolveStatus,
    check_schedule,
    objective_value,
)
from netplan.migration.solve import TIME_LIMIT, WORK_LIMIT, ExactOutcome, WorkLimit
from netplan.migration.windows import time_windows

__all__ = [
    "solve_cpsat",
    "cpsat_available",
    "CpsatStage",
    "build_cpsat_model",
    "CpsatModel",
    "LANDING_SCALE",
    "MAKESPAN_SUBSOLVERS",
    "MAKESPAN_IGNORED_SUBSOLVERS",
]

#: Landing amounts and capacities are counted in 1/LANDING_SCALE units in the CP-SAT model.
LANDING_SCALE = 1000
#: For the makespan objective, the full-problem CP-SAT worker runs without the LP relaxation
#: (its makespan bound is weak and it slows the search down)...
MAKESPAN_SUBSOLVERS = ("no_lp",)
#: ...and the large-neighbourhood workers are the scheduling ones only. Measured on the 18
#: PSPLIB j30 instances slowest with the defaults (2 threads, 2 seeds, paired runs): the optimum
#: was found within 4 CPU seconds in 28 and 32 of 36 runs with ``no_lp`` against 25 and 25
#: with the defaults, and in 30 of 36 with the LNS choice added.
MAKESPAN_IGNORED_SUBSOLVERS = ("feasibility_pump", "ls", "graph_arc_lns", "graph_var_lns",
                               "graph_dec_lns", "rnd_var_lns", "rnd_cst_lns", "rins/rens")
_REL_TOL = 1e-12  # floats within this relative distance of a grid point are on it
_INSTALL_HINT = "pip install 'netplan[cpsat]'"


@dataclass
class CpsatModel:
    """A CP-SAT model of a project, built by :func:`build_cpsat_model` and not yet solved.

    Attributes
    ----------
    model : ortools.sat.python.cp_model.CpModel or None
        None when the project was found infeasible while building (see ``infeasible``).
    starts : list of IntVar
        Start period per activity.
    objective_scale : int
        The CP-SAT objective is the project's objective times this (1 for the makespan).
    objective_offset : float
        A lower bound on ``real objective - CP-SAT objective / objective_scale`` over all
        schedules, caused by rounding the weights (0 when they are exact); adding it to the
        rescaled CP-SAT bound gives a bound of the real objective.
    weights_exact : bool
        Whether the integer weights are the real ones scaled exactly.
    landing_exact : bool
        Whether every landing amount and capacity is a whole number of 1/LANDING_SCALE units.
        When not, amounts were rounded up and capacities down: the model is stricter than the
        project, so its schedules are valid but "infeasible" and "optimal" are no proofs and
        its bound is no lower bound.
    infeasible : str
        Why the project is infeasible, when that was found before any search; else ``""``.
    log : list of str
        What was built.
    """

    model: object
    starts: list = field(default_factory=list)
    objective_scale: int = 1
    objective_offset: float = 0.0
    weights_exact: bool = True
    landing_exact: bool = True
    infeasible: str = ""
    log: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- helpers


def _runs(values: np.ndarray) -> list[tuple[int, int, int]]:
    """Maximal runs of equal positive values as ``(offset, length, value)``."""
    runs = []
    t, n = 0, len(values)
    while t < n:
        v = int(values[t])
        u = t + 1
        while u < n and int(values[u]) == v:
            u += 1
        if v > 0:
            runs.append((t, u - t, v))
        t = u
    return runs


def _scaled(x: float, scale: int, *, up: bool) -> int:
    """``x * scale`` as an integer, rounded up (``up``) or down unless it is on the grid."""
    q = float(x) * scale
    r = round(q)
    if abs(q - r) <= _REL_TOL * max(1.0, abs(q)):
        return int(r)
    return math.ceil(q) if up else math.floor(q)


def _weight_scale(weights: list[float]) -> tuple[int, list[int]]:
    """The smallest power of ten (up to 10**6) that makes every weight whole, and the weights."""
    for k in range(7):
        scale = 10**k
        scaled = [w * scale for w in weights]
        if all(abs(q - round(q)) <= _REL_TOL * max(1.0, abs(q)) for q in scaled):
            return scale, [int(round(q)) for q in scaled]
    scale = 10**6
    return scale, [int(round(w * scale)) for w in weights]


def _pre_check(project: Project) -> str:
    """Reasons the project is infeasible whatever the schedule (negative capacities), or ``""``."""
    for r in range(project.n_resources):
        low = np.flatnonzero(project.capacity[r] < 0)
        if len(low):
            t = int(low[0])
            return (f"renewable resource #{r} has negative capacity "
                    f"{project.capacity[r, t]} in period {t}")
    for k in range(project.landing_capacity.shape[0]):
        low = np.flatnonzero(project.landing_capacity[k] < -1e-9)
        if len(low):
            t = int(low[0])
            return (f"landing resource #{k} has negative capacity "
                    f"{project.landing_capacity[k, t]:g} in period {t}")
    return ""


# --------------------------------------------------------------------------- model
def _disjunctive_cliques(project: Project) -> list[list[int]]:
    """Groups of activities no two of which can ever run in the same period.

    Two activities with durations > 0 are incompatible when one (transitively) precedes the
    other, or when both have a constant demand on some resource that together exceeds the
    resource's largest capacity. One clique of this incompatibility graph is grown greedily
    from each activity (most incompatibilities first; longest candidates first); a clique is
    kept when it has three or more activities, adds at least two pairs not yet covered and has
    at least one resource conflict (precedences alone are already constraints).
    """
    n = project.n
    d = project.durations
    succ = project.successors()
    reach: list[set[int]] = [set() for _ in range(n)]
    for i in reversed(project.topological_order()):
        for j in succ[i]:
            reach[i].add(j)
            reach[i] |= reach[j]
    demands = []  # per resource: (largest capacity, constant demand per activity or None)
    for r in range(project.n_resources):
        q = []
        for a in project.activities:
            prof = a.profile(r)
            q.append(int(prof[0]) if len(prof) and (prof == prof[0]).all() else None)
        demands.append((int(project.capacity[r].max(initial=0)), q))
    busy = [i for i in range(n) if d[i] > 0]
    inc: dict[int, set[int]] = {i: set() for i in busy}
    for x, i in enumerate(busy):
        for j in busy[x + 1:]:
            if j in reach[i] or i in reach[j] or any(
                    q[i] is not None and q[j] is not None and q[i] + q[j] > cap
                    for cap, q in demands):
                inc[i].add(j)
                inc[j].add(i)
    covered: set[tuple[int, int]] = set()
    cliques = []
    for seed in sorted(busy, key=lambda i: (-len(inc[i]), i)):
        clique = [seed]
        for j in sorted(inc[seed], key=lambda j: (-d[j], j)):
            if all(j in inc[k] for k in clique):
                clique.append(j)
        pairs = [(min(a, b), max(a, b)) for x, a in enumerate(clique) for b in clique[x + 1:]]
        if (len(clique) < 3 or sum(e not in covered for e in pairs) < 2
                or all(b in reach[a] or a in reach[b] for a, b in pairs)):
            continue
        covered.update(pairs)
        cliques.append(sorted(clique))
    return cliques


def build_cpsat_model(project: Project) -> CpsatModel:
    """Build the CP-SAT model of a project (see the module docstring for the formulation).

    Parameters
    ----------
    project : Project

    Returns
    -------
    CpsatModel
        Its ``model`` can be inspected or extended before :func:`solve_cpsat`-style solving.

    Raises
    ------
    ImportError
        When OR-Tools is not installed.
    ValueError
        For a negative landing amount (the model counts landing from the finish on, so a
        negative amount would free capacity the project never had).
    """
    from ortools.sat.python import cp_model

    for a in project.activities:
        for k, amount in enumerate(a.landing):
            if amount < 0:
                raise ValueError(f"activity {a.name}: landing amount {amount:g} on landing "
                                 f"resource #{k} must be >= 0")
    why = _pre_check(project)
    windows = time_windows(project)
    es, ls = windows.earliest_start, windows.latest_start
    why = why or windows.reason
    if why:
        return CpsatModel(model=None, infeasible=why, log=[f"infeasible before search: {why}"])

    H = project.horizon
    acts = project.activities
    d = project.durations
    m = cp_model.CpModel()
    out = CpsatModel(model=m)

    starts, ends, intervals = [], [], []
    for i, a in enumerate(acts):
        allowed = windows.starts(i)
        if len(allowed) == ls[i] - es[i] + 1:
            s = m.new_int_var(int(es[i]), int(ls[i]), f"start[{a.name}]")
        else:  # starts where the activity alone does not fit a capacity are left out
            s = m.new_int_var_from_domain(cp_model.Domain.from_values(allowed),
                                          f"start[{a.name}]")
        starts.append(s)
        ends.append(s + int(d[i]))
        intervals.append(m.new_fixed_size_interval_var(s, int(d[i]), f"iv[{a.name}]"))
    out.starts = starts

    for i, j in project.precedences:
        m.add(starts[j] >= starts[i] + int(d[i]))

    # renewable resources: profile runs against cap_max, blocking intervals for the shortfall
    n_cum = 0
    for r in range(project.n_resources):
        ivs, dem = [], []
        for i, a in enumerate(acts):
            if d[i] == 0:
                continue
            runs = _runs(a.profile(r))
            if len(runs) == 1 and runs[0][1] == d[i]:
                ivs.append(intervals[i])
                dem.append(runs[0][2])
                continue
            for off, length, q in runs:
                ivs.append(m.new_fixed_size_interval_var(starts[i] + off, length,
                                                         f"iv[{a.name},r{r},+{off}]"))
                dem.append(q)
        if not ivs:
            continue
        cap = project.capacity[r]
        cap_max = int(cap.max(initial=0))
        for t0, length, q in _runs(cap_max - cap):
            ivs.append(m.new_fixed_size_interval_var(t0, length, f"block[r{r},{t0}]"))
            dem.append(q)
        m.add_cumulative(ivs, dem, cap_max)
        n_cum += 1

    # landing resources: [finish, horizon] against the final capacity, blocking the shortfall;
    # period H stands for "after the horizon" (the last period's capacity), so an activity
    # finishing at the horizon still occupies its amount
    for k in range(project.landing_capacity.shape[0]):
        ivs, dem = [], []
        for i, a in enumerate(acts):
            if k < len(a.landing) and a.landing[k] > 0:
                q = _scaled(a.landing[k], LANDING_SCALE, up=True)
                if q != _scaled(a.landing[k], LANDING_SCALE, up=False):
                    out.landing_exact = False
                ivs.append(m.new_interval_var(ends[i], H + 1 - ends[i], H + 1,
                                              f"land[{a.name},{k}]"))
                dem.append(q)
        if not ivs:
            continue
        cap = np.array([max(0, _scaled(c, LANDING_SCALE, up=False))
                        for c in np.append(project.landing_capacity[k],
                                           project.landing_capacity[k, -1:])], dtype=np.int64)
        if any(_scaled(c, LANDING_SCALE, up=True) != _scaled(c, LANDING_SCALE, up=False)
               for c in project.landing_capacity[k] if c >= 0):
            out.landing_exact = False
        cap_max = int(cap.max(initial=0))
        for t0, length, q in _runs(cap_max - cap):
            ivs.append(m.new_fixed_size_interval_var(t0, length, f"block[land{k},{t0}]"))
            dem.append(q)
        m.add_cumulative(ivs, dem, cap_max)
        n_cum += 1

    # milestones: "finished by period p" literals; an activity listed k times counts k times
    for ms in project.milestones:
        pool = Counter(range(project.n) if ms.activities is None else ms.activities)
        need, terms, reachable = ms.count, [], 0
        for i, times in sorted(pool.items()):
            if es[i] + d[i] > ms.period:
                continue  # cannot be finished by then
            reachable += times
            if ls[i] + d[i] <= ms.period:
                need -= times  # finished by then in every schedule
                continue
            b = m.new_bool_var(f"done[{ms.name},{acts[i].name}]")
            m.add(ends[i] <= ms.period).only_enforce_if(b)
            terms.append(times * b)
        if reachable < ms.count:
            why = (f"milestone {ms.name}: {ms.count} activities must finish by period "
                   f"{ms.period}, at most {reachable} can (releases and precedences)")
            return CpsatModel(model=None, infeasible=why, log=[f"infeasible before search: {why}"])
        if need > 0:
            m.add(sum(terms) >= need)

    # redundant: activities that can never overlap, as no-overlap constraints
    cliques = _disjunctive_cliques(project)
    for clique in cliques:
        m.add_no_overlap([intervals[i] for i in clique])
    if project.objective == "makespan":
        lb = int((es + d).max(initial=0))
        ub = int((ls + d).max(initial=0))
        makespan = m.new_int_var(lb, max(lb, ub), "makespan")
        succ = project.successors()
        for i in range(project.n):
            if not succ[i]:  # a successor finishes later anyway
                m.add(makespan >= ends[i])
        # redundant: the makespan is at least a start plus the longest path after it
        tail = d.copy()
        for i in reversed(project.topological_order()):
            for j in succ[i]:
                tail[i] = max(tail[i], d[i] + tail[j])
        for i in range(project.n):
            if succ[i]:
                m.add(makespan >= starts[i] + int(tail[i]))
        m.minimize(makespan)
        out.log.append(f"objective makespan, critical-path bound {lb}")
    else:
        weights = [float(a.weight) for a in acts]
        scale, w_int = _weight_scale(weights)
        out.objective_scale = scale
        # real - rounded = sum (w_i - q_i/scale) * finish_i, each finish within its window
        delta = [w - q / scale for w, q in zip(weights, w_int, strict=True)]
        out.weights_exact = not any(delta)
        out.objective_offset = float(sum(min(x * (es[i] + d[i]), x * (ls[i] + d[i]))
                                         for i, x in enumerate(delta)))
        terms = [q * e for q, e in zip(w_int, ends, strict=True) if q]
        if terms:
            m.minimize(sum(terms))
        exact = "exact" if out.weights_exact else "rounded"
        out.log.append(f"objective weighted completion, weights x{scale} ({exact})")
    out.log.append(f"built {project.n} start variables, {len(project.precedences)} "
                   f"precedences, {n_cum} cumulative constraints, {len(cliques)} redundant "
                   f"no-overlap cliques, {len(project.milestones)} milestones")
    return out


# --------------------------------------------------------------------------- solve


def cpsat_available() -> bool:
    """Whether OR-Tools (CP-SAT) can be imported."""
    try:
        from ortools.sat.python import cp_model  # noqa: F401
    except ImportError:
        return False
    return True


class CpsatStage:
    """CP-SAT as the exact stage of :func:`~netplan.migration.solve.portfolio`.

    The heuristic gets a quarter of the budget, CP-SAT the rest (hinted with its plan).
    """

    heuristic_share = {"makespan": 0.25, "weighted_completion": 0.25}
    exact_share = {"makespan": 0.75, "weighted_completion": 0.75}

    def __init__(self, *, threads: int | None = None) -> None:
        self.threads = threads

    def run(self, project: Project, *, incumbent, lower: float, deadline: float,
            work_limit: WorkLimit | None, seed: int) -> ExactOutcome:
        """Solve with CP-SAT until ``deadline`` (or the work limit), hinted by ``incumbent``."""
        hint = None
        if incumbent is not None:
            hint = Schedule(np.asarray(incumbent), SolveStatus.FEASIBLE,
                            objective_value(project, incumbent), None, 0.0, "heuristic")
        s = solve_cpsat(project, time_limit_s=max(0.0, deadline - time.perf_counter()),
                        seed=seed, initial=hint, threads=self.threads,
                        deterministic_time_s=None if work_limit is None
                        else work_limit.cpsat_deterministic_s)
        outcome = {SolveStatus.OPTIMAL: "optimal", SolveStatus.INFEASIBLE: "infeasible",
                   SolveStatus.FEASIBLE: "stopped", SolveStatus.NO_SOLUTION: "stopped"}
        return ExactOutcome(outcome[s.status], s.starts, s.bound, s.stopped_by, list(s.log))


def solve_cpsat(project: Project, *, time_limit_s: float = 60, seed: int = 0,
                initial: Schedule | None = None, threads: int | None = None,
                deterministic_time_s: float | None = None) -> Schedule:
    """Schedule a project with OR-Tools CP-SAT.

    Parameters
    ----------
    project : Project
    time_limit_s : float
        CP-SAT's ``max_time_in_seconds`` (seconds).
    seed : int
        CP-SAT's ``random_seed``.
    initial : Schedule, optional
        Its starts become solution hints.
    threads : int, optional
        CP-SAT's ``num_workers`` (default 2).
    deterministic_time_s : float, optional
        CP-SAT's ``max_deterministic_time``, a budget independent of the machine's load; the
        workers are then interleaved (``interleave_search``) so that reruns are identical.

    Returns
    -------
    Schedule
        Backend ``"cpsat"``. CP-SAT statuses map as OPTIMAL → OPTIMAL, FEASIBLE → FEASIBLE,
        INFEASIBLE → INFEASIBLE and UNKNOWN → NO_SOLUTION (nothing found in the time limit).
        Without OR-Tools the status is NO_SOLVER and the log names the pip extra. ``bound`` is
        CP-SAT's best objective bound in the project's units.

    Raises
    ------
    RuntimeError
        When CP-SAT reports the model invalid (a bug in this module; the message names the
        problem), or returns a status this function does not know.
    ScheduleViolation
        If CP-SAT's schedule broke a constraint of the project (a bug in this module; every
        schedule is checked before it is returned).
    ValueError
        For a negative landing amount, or ``initial`` with the wrong number of starts.

    Examples
    --------
    >>> import numpy as np
    >>> from netplan.migration.project import Activity, Project
    >>> p = Project((Activity("a", 2, (1,)), Activity("b", 3, (1,))), np.array([1]), (),
    ...             horizon=6)
    >>> s = solve_cpsat(p, time_limit_s=5)
    >>> s.status.value, s.objective
    ('optimal', 5.0)
    """
    t0 = time.perf_counter()
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        return Schedule(None, SolveStatus.NO_SOLVER, None, None, time.perf_counter() - t0,
                        "cpsat", (f"OR-Tools is not installed; {_INSTALL_HINT}",))

    built = build_cpsat_model(project)
    log = list(built.log)
    if built.infeasible:
        return Schedule(None, SolveStatus.INFEASIBLE, None, None, time.perf_counter() - t0,
                        "cpsat", tuple(log))
    m = built.model
    invalid = m.validate()
    if invalid:
        raise RuntimeError(f"CP-SAT model of project {project.name!r} is invalid: {invalid}")

    if initial is not None and initial.starts is not None:
        if len(initial.starts) != project.n:
            raise ValueError(f"initial schedule has {len(initial.starts)} starts, the project "
                             f"has {project.n} activities")
        for var, v in zip(built.starts, initial.starts, strict=True):
            m.add_hint(var, int(v))
        log.append(f"hinted the {initial.backend} schedule "
                   f"(objective {objective_value(project, initial.starts):g})")

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit_s)
    solver.parameters.num_workers = int(threads or 2)
    solver.parameters.random_seed = int(seed)
    if deterministic_time_s is not None:
        solver.parameters.max_deterministic_time = float(deterministic_time_s)
        solver.parameters.interleave_search = True
    if project.objective == "makespan":
        solver.parameters.subsolvers.extend(MAKESPAN_SUBSOLVERS)
        solver.parameters.ignore_subsolvers.extend(MAKESPAN_IGNORED_SUBSOLVERS)
        log.append(f"makespan search: full subsolvers {', '.join(MAKESPAN_SUBSOLVERS)}; "
                   f"skipping {', '.join(MAKESPAN_IGNORED_SUBSOLVERS)}")
    status = solver.solve(m)
    runtime = time.perf_counter() - t0
    log.append(f"CP-SAT {solver.status_name(status)} after {solver.wall_time:.2f} s, "
               f"{solver.num_conflicts} conflicts")

    if status == cp_model.MODEL_INVALID:
        raise RuntimeError(f"CP-SAT rejected the model of project {project.name!r} as invalid: "
                           f"{m.validate() or solver.solution_info()}")
    rounded = not built.landing_exact
    if rounded:
        log.append(f"landing amounts rounded to 1/{LANDING_SCALE} (up) and capacities (down): "
                   "the model is stricter than the project, so CP-SAT's infeasible, optimal "
                   "and bound prove nothing about it")
    if status == cp_model.INFEASIBLE:
        if rounded:
            return Schedule(None, SolveStatus.NO_SOLUTION, None, None, runtime, "cpsat",
                            tuple(log))
        return Schedule(None, SolveStatus.INFEASIBLE, None, None, runtime, "cpsat", tuple(log))

    raw_bound = solver.best_objective_bound
    bound = None
    if math.isfinite(raw_bound) and not rounded:
        bound = raw_bound / built.objective_scale + built.objective_offset
    stopped = None
    if status in (cp_model.UNKNOWN, cp_model.FEASIBLE):
        stopped = WORK_LIMIT if (deterministic_time_s is not None and solver.deterministic_time
                                 >= 0.99 * deterministic_time_s) else TIME_LIMIT
    if status == cp_model.UNKNOWN:
        return Schedule(None, SolveStatus.NO_SOLUTION, None, bound, runtime, "cpsat",
                        tuple(log), stopped_by=stopped)
    if status == cp_model.OPTIMAL:
        mapped = SolveStatus.OPTIMAL
    elif status == cp_model.FEASIBLE:
        mapped = SolveStatus.FEASIBLE
    else:
        raise RuntimeError(f"CP-SAT returned status {solver.status_name(status)}, which "
                           "solve_cpsat does not handle")

    starts = np.array([solver.value(s) for s in built.starts], dtype=np.int64)
    check_schedule(project, starts)  # the integer model is never looser than the project
    obj = objective_value(project, starts)
    if (mapped is SolveStatus.OPTIMAL and not built.weights_exact and bound is not None
            and bound < obj - 1e-9 * max(1.0, abs(obj))):
        # optimal for the rounded weights only; the bound above is valid for the real ones
        mapped = SolveStatus.FEASIBLE
        log.append("optimal for the rounded weights; reported as feasible for the real ones")
    if mapped is SolveStatus.OPTIMAL and rounded:
        mapped = SolveStatus.FEASIBLE
    if mapped is SolveStatus.OPTIMAL:
        bound = obj
    return Schedule(starts, mapped, obj, bound, runtime, "cpsat", tuple(log),
                    stopped_by=stopped)
