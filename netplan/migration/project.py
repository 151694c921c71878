"""The scheduling model shared by every scheduler backend: a resource-constrained project.

A :class:`Project` is a generalised RCPSP on a discrete grid of periods (weeks for migrations,
PSPLIB time units for the benchmark):

- activities with an integer duration, a release period and an optional deadline;
- *renewable* resources (migration teams, link transfer capacity, cutover slots) with a
  capacity per period (time-varying: blackouts are periods of capacity 0) and, per activity, a
  demand *profile* over its periods (constant for PSPLIB; e.g. link transfer only in a
  migration's last, cutover week);
- *landing* resources (cloud vCPU, memory, storage): an activity occupies them from its finish
  to the end of the horizon and beyond it, where the last period's capacity holds (so one
  finishing at the horizon still needs room); capacity per period must be non-decreasing
  (expansions);
- finish-to-start precedences;
- milestones: at least ``count`` of given activities finished by a period;
- an objective: the makespan, or the weighted sum of finish periods.

Periods are 0-based. An activity started at ``s`` occupies periods ``s .. s+duration-1`` and
finishes at ``s + duration`` (the first free period), so "finished by period p" means
``s + duration <= p``.

:func:`check_schedule` verifies any schedule against every constraint; all backends' outputs go
through it in the tests.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "Activity",
    "ProjectMilestone",
    "Project",
    "Schedule",
    "SolveStatus",
    "check_schedule",
    "ScheduleViolation",
    "objective_value",
    "resource_use",
    "landing_use",
]


@dataclass(frozen=True)
class Activity:
    """One activity (a system's migration, a PSPLIB job).

    Parameters
    ----------
    name : str
        Unique name.
    duration : int
        Periods it takes (>= 0; 0 for PSPLIB's dummy source and sink).
    demand : tuple of tuple of int
        Per renewable resource, the demand in each of its ``duration`` periods; or per resource
        a single number meaning "this much in every period".
    landing : tuple of float
        Per landing resource, what it occupies from its finish on (e.g. vCPU on the cloud).
    release : int
        Earliest start period.
    deadline : int, optional
        Latest finish period (``start + duration <= deadline``).
    weight : float
        Weight of its finish period in the ``weighted_completion`` objective.
    """

    name: str
    duration: int
    demand: tuple = ()
    landing: tuple = ()
    release: int = 0
    deadline: int | None = None
    weight: float = 1.0

    def profile(self, r: int) -> np.ndarray:
        """Demand on renewable resource ``r`` in each of the activity's periods."""
        if r >= len(self.demand):
            return np.zeros(self.duration, dtype=np.int64)
        d = np.asarray(self.demand[r], dtype=float)
        if not np.all(d == np.round(d)):
            raise ValueError(f"activity {self.name}: demand on resource {r} must be whole "
                             f"numbers, got {self.demand[r]!r}")
        if d.ndim == 0:
            return np.full(self.duration, int(d), dtype=np.int64)
        return d.astype(np.int64)


@dataclass(frozen=True)
class ProjectMilestone:
    """At least ``count`` of ``activities`` (indices; all when None) finished by ``period``.

    An index may appear several times in ``activities``: it then counts that many times (a
    move group of k systems that cut over together counts k systems).
    """

    name: str
    period: int
    count: int
    activities: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Project:
    """A resource-constrained project (see the module docstring).

    Parameters
    ----------
    activities : tuple of Activity
    capacity : numpy.ndarray
        Renewable capacities, shape ``(n_resources, horizon)`` (or ``(n_resources,)`` for
        constant ones, broadcast over the horizon).
    precedences : tuple of (int, int)
        ``(i, j)``: ``j`` starts no earlier than ``i`` finishes.
    horizon : int
        Number of periods; every activity must finish by it.
    landing_capacity : numpy.ndarray, optional
        Shape ``(n_landing, horizon)``, non-decreasing along the horizon.
    milestones : tuple of ProjectMilestone
    objective : {"makespan", "weighted_completion"}
    resource_names, landing_names : tuple of str
    """

    activities: tuple[Activity, ...]
    capacity: np.ndarray
    precedences: tuple[tuple[int, int], ...]
    horizon: int
    landing_capacity: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    milestones: tuple[ProjectMilestone, ...] = ()
    objective: str = "makespan"
    resource_names: tuple[str, ...] = ()
    landing_names: tuple[str, ...] = ()
    name: str = ""

    def __post_init__(self) -> None:
        raw = np.asarray(self.capacity, dtype=float)
        if raw.size and (not np.all(np.isfinite(raw)) or (raw < 0).any()
                         or not np.all(raw == np.round(raw))):
            raise ValueError("renewable capacities must be whole numbers >= 0")
        cap = raw.astype(np.int64)
        if cap.ndim == 1:
            cap = np.repeat(cap[:, None], self.horizon, axis=1)
        object.__setattr__(self, "capacity", cap)
        land = np.asarray(self.landing_capacity, dtype=float)
        if land.size == 0:
            land = np.zeros((0, self.horizon))
        elif land.ndim == 1:
            land = np.repeat(land[:, None], self.horizon, axis=1)
        object.__setattr__(self, "landing_capacity", land)
        self._validate()

    # ------------------------------------------------------------------ validation

    def _validate(self) -> None:
        n = len(self.activities)
        if self.objective not in ("makespan", "weighted_completion"):
            raise ValueError(f"objective {self.objective!r} must be 'makespan' or "
                             "'weighted_completion'")
        if self.capacity.shape[1] != self.horizon:
            raise ValueError(f"capacity has {self.capacity.shape[1]} periods, horizon is "
                             f"{self.horizon}")
        if self.landing_capacity.shape[1] != self.horizon:
            raise ValueError("landing_capacity must cover the horizon")
        if (np.diff(self.landing_capacity, axis=1) < 0).any():
            raise ValueError("landing capacity must not decrease over time (expansions only)")
        names = [a.name for a in self.activities]
        if len(set(names)) != n:
            dup = next(x for x in names if names.count(x) > 1)
            raise ValueError(f"activity name {dup!r} occurs twice")
        n_res = self.capacity.shape[0]
        for a in self.activities:
            if a.duration < 0:
                raise ValueError(f"activity {a.name}: duration {a.duration} must be >= 0")
            if len(a.demand) > n_res:
                raise ValueError(f"activity {a.name}: demands {len(a.demand)} resources, the "
                                 f"project has {n_res}")
            for r in range(len(a.demand)):
                p = a.profile(r)
                if len(p) != a.duration:
                    raise ValueError(f"activity {a.name}: demand profile of resource {r} has "
                                     f"{len(p)} periods, duration is {a.duration}")
                if (p < 0).any():
                    raise ValueError(f"activity {a.name}: negative demand on resource {r}")
            if any(x < 0 for x in a.landing):
                raise ValueError(f"activity {a.name}: negative landing amount {a.landing}")
            if len(a.landing) > self.landing_capacity.shape[0]:
                raise ValueError(f"activity {a.name}: lands on {len(a.landing)} resources, the "
                                 f"project has {self.landing_capacity.shape[0]}")
        for i, j in self.precedences:
            if not (0 <= i < n and 0 <= j < n) or i == j:
                raise ValueError(f"precedence ({i}, {j}) does not name two activities")
        order = self.topological_order()  # raises on cycles
        del order
        if (self.landing_capacity < 0).any():
            raise ValueError("landing capacities must be >= 0")
        for m in self.milestones:
            if m.activities is not None and any(not 0 <= i < n for i in m.activities):
                raise ValueError(f"milestone {m.name}: an activity index is not in 0..{n - 1}")
            pool = n if m.activities is None else len(m.activities)
            if m.count > pool:
                raise ValueError(f"milestone {m.name}: {m.count} activities asked, only {pool}")

    # ------------------------------------------------------------------ structure

    @property
    def n(self) -> int:
        """Number of activities."""
        return len(self.activities)

    @property
    def n_resources(self) -> int:
        """Number of renewable resources."""
        return int(self.capacity.shape[0])

    @property
    def durations(self) -> np.ndarray:
        """Durations as an integer array."""
        return np.array([a.duration for a in self.activities], dtype=np.int64)

    def successors(self) -> list[list[int]]:
        """Successor lists."""
        succ: list[list[int]] = [[] for _ in range(self.n)]
        for i, j in self.precedences:
            succ[i].append(j)
        return succ

    def predecessors(self) -> list[list[int]]:
        """Predecessor lists."""
        pred: list[list[int]] = [[] for _ in range(self.n)]
        for i, j in self.precedences:
            pred[j].append(i)
        return pred

    def topological_order(self) -> list[int]:
        """Activities in an order compatible with the precedences.

        Raises
        ------
        ValueError
            When the precedences contain a cycle (naming activities on it).
        """
        succ = self.successors()
        indeg = [0] * self.n
        for _, j in self.precedences:
            indeg[j] += 1
        ready = [i for i in range(self.n) if indeg[i] == 0]
        order = []
        while ready:
            i = ready.pop()
            order.append(i)
            for j in succ[i]:
                indeg[j] -= 1
                if indeg[j] == 0:
                    ready.append(j)
        if len(order) < self.n:
            stuck = [self.activities[i].name for i in range(self.n) if indeg[i] > 0][:5]
            raise ValueError(f"precedences form a cycle through {', '.join(stuck)}")
        return order

    def earliest_starts(self) -> np.ndarray:
        """Earliest starts from release dates and precedences (resources ignored).

        See :func:`netplan.migration.windows.earliest_starts`.
        """
        from netplan.migration.windows import earliest_starts

        return earliest_starts(self)

    def critical_path_bound(self) -> int:
        """Makespan lower bound from precedences and release dates alone."""
        return int((self.earliest_starts() + self.durations).max(initial=0))


class SolveStatus(enum.StrEnum):
    """How a schedule was obtained. Every backend maps its own status onto these explicitly."""

    OPTIMAL = "optimal"  # proven optimal
    FEASIBLE = "feasible"  # feasible, not proven optimal (time limit, heuristic)
    INFEASIBLE = "infeasible"  # proven infeasible
    NO_SOLUTION = "no_solution"  # none found in the time limit, infeasibility not proven
    NO_SOLVER = "no_solver"  # the backend is not installed


@dataclass(frozen=True)
class Schedule:
    """A schedule: the start period of every activity and how it was obtained.

    Attributes
    ----------
    starts : numpy.ndarray or None
        Start period per activity; None when no schedule was found.
    status : SolveStatus
    objective : float or None
        The project's objective value of ``starts``.
    bound : float or None
        Best proven lower bound on the objective.
    runtime_s : float
    backend : str
        E.g. ``"heuristic"``, ``"pulp-highs"``, ``"cpsat"``.
    log : tuple of str
        What the backend did, step by step (for reports).
    stopped_by : str or None
        Which budget ended the search: ``"time limit"`` (wall clock: the result may depend on
        the machine's load), ``"work limit"`` (a deterministic budget: schedules, nodes,
        deterministic time), or None when the search finished (proven optimal or infeasible).
    """

    starts: np.ndarray | None
    status: SolveStatus
    objective: float | None
    bound: float | None
    runtime_s: float
    backend: str
    log: tuple[str, ...] = ()
    stopped_by: str | None = None

    @property
    def gap(self) -> float | None:
        """Relative gap ``(objective - bound) / objective``; 0 when proven optimal."""
        if self.objective is None or self.bound is None:
            return None
        if self.objective == 0:
            return 0.0
        return max(0.0, (self.objective - self.bound) / abs(self.objective))

    def finishes(self, project: Project) -> np.ndarray:
        """Finish period per activity."""
        return self.starts + project.durations

    def to_frame(self, project: Project) -> pd.DataFrame:
        """One row per activity: name, start, finish, duration (periods)."""
        if self.starts is None:
            return pd.DataFrame(columns=["activity", "start", "finish", "duration"])
        return pd.DataFrame({
            "activity": [a.name for a in project.activities],
            "start": self.starts,
            "finish": self.finishes(project),
            "duration": project.durations,
        })

    def __str__(self) -> str:
        gap = f", gap {self.gap:.2%}" if self.gap is not None else ""
        stop = f", stopped by the {self.stopped_by}" if self.stopped_by else ""
        return (f"Schedule[{self.backend}] {self.status.value}: objective {self.objective}"
                f"{gap}, bound {self.bound}, {self.runtime_s:.2f} s{stop}")


def objective_value(project: Project, starts: np.ndarray) -> float:
    """The project's objective for given starts."""
    finish = np.asarray(starts) + project.durations
    if project.objective == "makespan":
        return float(finish.max(initial=0))
    w = np.array([a.weight for a in project.activities])
    return float((w * finish).sum())


def resource_use(project: Project, starts) -> np.ndarray:
    """Use of every renewable resource in every period by a schedule.

    Parameters
    ----------
    project : Project
    starts : sequence of int
        Start period per activity; an activity's periods past the horizon are not counted.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_resources, horizon)``, integers: row ``r`` is the summed demand profile of
        the activities running in each period.

    Examples
    --------
    >>> p = Project((Activity("a", 2, ((1, 2),)), Activity("b", 1, (3,))), np.array([5]), (),
    ...             horizon=4)
    >>> resource_use(p, [0, 1]).tolist()
    [[1, 5, 0, 0]]
    """
    s = np.asarray(starts, dtype=np.int64)
    H = project.horizon
    use = np.zeros((project.n_resources, H), dtype=np.int64)
    for i, a in enumerate(project.activities):
        lo, hi = int(s[i]), min(int(s[i]) + a.duration, H)
        if a.duration == 0 or hi <= lo:
            continue
        for r in range(project.n_resources):
            use[r, lo:hi] += a.profile(r)[: hi - lo]
    return use


def landing_use(project: Project, starts) -> np.ndarray:
    """Occupation of every landing resource in every period by a schedule.

    An activity occupies its landing amounts from its finish period (``start + duration``) to
    the end of the horizon; one finishing at the horizon occupies no period of it.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_landing, horizon)``, floats, non-decreasing along each row.

    Examples
    --------
    >>> p = Project((Activity("a", 2, (1,), landing=(4.0,)), Activity("b", 1, (1,), (1.5,))),
    ...             np.array([1]), (), horizon=4, landing_capacity=np.array([10.0]))
    >>> landing_use(p, [0, 2]).tolist()
    [[0.0, 0.0, 4.0, 5.5]]
    """
    f = np.asarray(starts, dtype=np.int64) + project.durations
    H = project.horizon
    K = project.landing_capacity.shape[0]
    landed = np.zeros((K, H + 1))
    for i, a in enumerate(project.activities):
        for k, q in enumerate(a.landing[:K]):
            if q:
                landed[k, min(int(f[i]), H)] += q
    return np.cumsum(landed, axis=1)[:, :H]


class ScheduleViolation(AssertionError):
    """A schedule breaks a constraint of its project; the message says which and where."""


def check_schedule(project: Project, starts) -> None:
    """Verify ``starts`` against every constraint of ``project``; raise on the first violation.

    Checks integrality, release dates, deadlines, the horizon, precedences, every renewable
    resource in every period, every landing resource in every period, and every milestone.

    Raises
    ------
    ScheduleViolation
        Naming the constraint, the activity or period, and the amounts.

    Examples
    --------
    >>> p = Project((Activity("a", 2, (1,)), Activity("b", 1, (1,))), np.array([1]),
    ...             ((0, 1),), horizon=4)
    >>> check_schedule(p, [0, 2])
    >>> check_schedule(p, [0, 1])
    Traceback (most recent call last):
    ...
    netplan.migration.project.ScheduleViolation: precedence a -> b: b starts at 1 before a ...
    """
    s = np.asarray(starts)
    if s.shape != (project.n,):
        raise ScheduleViolation(f"{len(s)} starts for {project.n} activities")
    if not np.all(np.equal(np.mod(s, 1), 0)):
        raise ScheduleViolation("starts must be whole periods")
    s = s.astype(np.int64)
    d = project.durations
    f = s + d
    acts = project.activities
    for i, a in enumerate(acts):
        if s[i] < a.release:
            raise ScheduleViolation(f"{a.name} starts at {s[i]} before its release {a.release}")
        if a.deadline is not None and f[i] > a.deadline:
            raise ScheduleViolation(f"{a.name} finishes at {f[i]} after its deadline {a.deadline}")
        if f[i] > project.horizon:
            raise ScheduleViolation(f"{a.name} finishes at {f[i]} beyond the horizon "
                                    f"{project.horizon}")
    for i, j in project.precedences:
        if s[j] < f[i]:
            raise ScheduleViolation(f"precedence {acts[i].name} -> {acts[j].name}: "
                                    f"{acts[j].name} starts at {s[j]} before {acts[i].name} "
                                    f"finishes at {f[i]}")
    use = resource_use(project, s)
    for r in range(project.n_resources):
        over = np.flatnonzero(use[r] > project.capacity[r])
        if len(over):
            t = int(over[0])
            name = project.resource_names[r] if r < len(project.resource_names) else f"#{r}"
            raise ScheduleViolation(f"resource {name} over capacity in period {t}: "
                                    f"{use[r, t]} > {project.capacity[r, t]}")
    landed = landing_use(project, s)
    for k in range(project.landing_capacity.shape[0]):
        occupied = landed[k]
        cap = project.landing_capacity[k]
        over = np.flatnonzero(occupied > cap + 1e-9 * np.maximum(1.0, np.abs(cap)))
        if len(over):
            t = int(over[0])
            name = project.landing_names[k] if k < len(project.landing_names) else f"#{k}"
            raise ScheduleViolation(f"landing resource {name} over capacity in period {t}: "
                                    f"{occupied[t]:g} > {project.landing_capacity[k, t]:g}")
        # after the horizon everything has landed, against the last period's capacity: an
        # activity finishing at the horizon occupies no period of it, but it is on the cloud
        total = float(sum(a.landing[k] for a in acts if k < len(a.landing)))
        if project.horizon and total > cap[-1] + 1e-9 * max(1.0, abs(cap[-1])):
            name = project.landing_names[k] if k < len(project.landing_names) else f"#{k}"
            raise ScheduleViolation(f"landing resource {name} over capacity after the horizon: "
                                    f"{total:g} landed in all > {cap[-1]:g}")
    for m in project.milestones:
        pool = range(project.n) if m.activities is None else m.activities
        done = sum(1 for i in pool if f[i] <= m.period)
        if done < m.count:
            raise ScheduleViolation(f"milestone {m.name}: {done} finished by period {m.period}, "
                                    f"{m.count} required")
