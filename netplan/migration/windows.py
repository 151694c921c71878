"""Time windows of a project's activities: the one home of the critical-path passes.

Every backend needs to know when an activity can start at all:

- :func:`earliest_starts`: the forward critical-path pass (release dates and precedences,
  resources ignored);
- :func:`latest_finishes`: the backward pass from the horizon and deadlines (and, for priority
  rules, milestone periods);
- :func:`time_windows`: both passes combined with the starts an activity can never take
  because it alone exceeds a renewable or landing capacity there, repeated until nothing
  changes. The MILP creates variables only for these starts, CP-SAT uses them as domains.

Periods follow :mod:`netplan.migration.project`: an activity started at ``s`` finishes at
``s + duration``, "finished by period p" means ``s + duration <= p``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netplan.migration.project import Project

__all__ = ["TimeWindows", "earliest_starts", "latest_finishes", "time_windows"]


def earliest_starts(project: Project) -> np.ndarray:
    """Earliest start per activity from release dates and precedences (resources ignored).

    Examples
    --------
    >>> from netplan.migration.project import Activity
    >>> p = Project((Activity("a", 2, release=1), Activity("b", 1)), np.array([]).reshape(0, 4),
    ...             ((0, 1),), horizon=4)
    >>> earliest_starts(p).tolist()
    [1, 3]
    """
    es = np.array([a.release for a in project.activities], dtype=np.int64)
    d = project.durations
    succ = project.successors()
    for i in project.topological_order():
        for j in succ[i]:
            es[j] = max(es[j], es[i] + d[i])
    return es


def latest_finishes(project: Project, horizon: int | None = None, *,
                    milestone_deadlines: bool = True) -> np.ndarray:
    """Latest finish per activity by the backward critical-path pass.

    Parameters
    ----------
    project : Project
    horizon : int, optional
        Every activity finishes by it (periods; default and at most the project's horizon).
    milestone_deadlines : bool
        Also treat each milestone's period as a deadline of the ``count`` activities of its pool
        that can finish earliest (by :func:`earliest_starts`; ties by index). This is a
        priority rule, not a hard constraint, unless a milestone needs its whole pool.

    Returns
    -------
    numpy.ndarray
        Integer latest finish periods; an activity with ``latest finish - duration <`` its
        earliest start has no feasible start.

    Examples
    --------
    >>> from netplan.migration.project import Activity, ProjectMilestone
    >>> p = Project((Activity("a", 1), Activity("b", 2), Activity("c", 1)),
    ...             np.array([]).reshape(0, 6), ((0, 1),), horizon=6,
    ...             milestones=(ProjectMilestone("m", 2, 1, (1, 2)),))
    >>> latest_finishes(p).tolist()
    [4, 6, 2]
    >>> latest_finishes(p, milestone_deadlines=False).tolist()
    [4, 6, 6]
    """
    H = int(project.horizon if horizon is None else min(horizon, project.horizon))
    acts = project.activities
    d = project.durations
    lf = np.array([H if a.deadline is None else min(H, int(a.deadline)) for a in acts],
                  dtype=np.int64)
    if milestone_deadlines and project.milestones:
        ef = earliest_starts(project) + d
        for m in project.milestones:
            if m.count <= 0:
                continue
            pool = range(project.n) if m.activities is None else m.activities
            for i in sorted(pool, key=lambda i: (ef[i], i))[:m.count]:
                lf[i] = min(lf[i], int(m.period))
    succ = project.successors()
    for j in reversed(project.topological_order()):
        for s in succ[j]:
            lf[j] = min(lf[j], lf[s] - d[s])
    return lf


@dataclass(frozen=True)
class TimeWindows:
    """Feasible start periods per activity (see :func:`time_windows`).

    Attributes
    ----------
    earliest_start, latest_start : numpy.ndarray
        Integer first and last feasible start per activity (``earliest_start > latest_start``
        when there is none).
    allowed : list of numpy.ndarray
        Per activity a boolean mask over start periods ``0 .. horizon - duration``.
    horizon : int
        The horizon the windows were computed for (periods).
    reason : str
        Why some activity has no feasible start (names it), ``""`` when all have one.
    """

    earliest_start: np.ndarray
    latest_start: np.ndarray
    allowed: list
    horizon: int
    reason: str = ""

    @property
    def feasible(self) -> bool:
        """True when every activity has at least one feasible start."""
        return all(m.any() for m in self.allowed)

    def starts(self, j: int) -> list[int]:
        """The feasible start periods of activity ``j``, ascending."""
        return np.flatnonzero(self.allowed[j]).tolist()

    @property
    def size(self) -> int:
        """Number of feasible (activity, start) pairs: the MILP's start variables."""
        return int(sum(int(m.sum()) for m in self.allowed))


def time_windows(project: Project, horizon: int | None = None) -> TimeWindows:
    """Per activity, the start periods left after time-window propagation.

    Earliest starts come from release dates and precedences, latest starts from ``horizon``
    (default and at most the project's), deadlines, milestones that need every activity of
    their pool, and precedences. Starts where the activity alone does not fit a renewable
    capacity in one of its periods, or its landing amount the landing capacity at its finish,
    are removed, and the propagation repeats until nothing changes. An empty window means no
    schedule exists within ``horizon``.

    Examples
    --------
    >>> from netplan.migration.project import Activity
    >>> p = Project((Activity("a", 2, (1,)), Activity("b", 1, (1,))), np.array([[1, 0, 1, 1]]),
    ...             ((0, 1),), horizon=4)
    >>> w = time_windows(p)
    >>> w.feasible, w.starts(0), w.reason  # doctest: +ELLIPSIS
    (False, [], 'activity a has no feasible start within 4 periods: ...')
    >>> p = Project((Activity("a", 1, (1,)), Activity("b", 1, (1,))), np.array([[1, 0, 1, 1]]),
    ...             ((0, 1),), horizon=4)
    >>> w = time_windows(p)
    >>> w.feasible, w.starts(0), w.starts(1), w.earliest_start.tolist(), w.latest_start.tolist()
    (True, [0, 2], [2, 3], [0, 2], [2, 3])
    """
    n = project.n
    H = int(project.horizon if horizon is None else min(horizon, project.horizon))
    d = [int(a.duration) for a in project.activities]
    lf = latest_finishes(project, H, milestone_deadlines=False).tolist()
    for m in project.milestones:
        pool = range(n) if m.activities is None else m.activities
        if m.count >= len(pool):  # every activity of the pool must be finished by the period
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
            if q and len(ok):
                # it occupies the landing resource from its finish f on (periods f .. H-1,
                # and after the horizon at the last period's capacity)
                f = np.arange(len(ok)) + d[j]
                land = project.landing_capacity[k]
                short = land[np.minimum(f, H - 1)] < q - 1e-9
                ok &= ~short
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
    reason = ""
    for j, a in enumerate(project.activities):
        if not allowed[j].any():
            reason = (f"activity {a.name} has no feasible start within {H} periods: "
                      "release, predecessors and capacities allow none by the latest start "
                      "that deadlines, milestones and successors leave")
            break
    return TimeWindows(np.array(es, dtype=np.int64), np.array(ls, dtype=np.int64),
                       allowed, H, reason)
