"""Lower bounds and priority rules of the heuristic, from the project's time windows.

- :func:`lower_bound` — the critical-path bound and, for the makespan, the resource (energy)
  bound of every renewable resource;
- :func:`priority_list` — a precedence-feasible activity list by latest finish first (the
  backward critical-path pass of :func:`netplan.migration.windows.latest_finishes`) or by
  weight per period (WSPT), the seeds of the genetic search's first population.
"""

from __future__ import annotations

import numpy as np

from netplan.migration.project import Project
from netplan.migration.solvers.sgs import _Compiled, _sample_list
from netplan.migration.windows import earliest_starts, latest_finishes

__all__ = ["lower_bound", "priority_list"]


def lower_bound(project: Project) -> float:
    """A lower bound on the objective of any feasible schedule.

    For the makespan: the larger of the critical-path bound (release dates and precedences)
    and, per renewable resource, the first period by which the cumulated capacity covers the
    total demand on it. For the weighted completion: the weighted sum of earliest finishes.

    Examples
    --------
    >>> from netplan.migration.project import Activity
    >>> p = Project((Activity("a", 2, (1,)), Activity("b", 2, (1,))), np.array([1]), (),
    ...             horizon=6)
    >>> lower_bound(p)
    4.0
    """
    if project.n == 0:
        return 0.0
    ef = earliest_starts(project) + project.durations
    if project.objective == "weighted_completion":
        w = np.array([a.weight for a in project.activities], dtype=float)
        return float((w * ef).sum())
    lb = int(ef.max(initial=0))
    for r in range(project.n_resources):
        total = sum(int(a.profile(r).sum()) for a in project.activities)
        if total == 0:
            continue
        cum = np.cumsum(project.capacity[r])
        hit = np.flatnonzero(cum >= total)
        # beyond the horizon nothing fits; the horizon is then a (weak) bound
        t = int(hit[0]) + 1 if len(hit) else project.horizon
        lb = max(lb, t)
    return float(lb)


def _lft(project: Project) -> list[float]:
    """Latest finishes from deadlines, the horizon and milestones (smaller is more urgent)."""
    return [float(x) for x in latest_finishes(project, milestone_deadlines=True)]


def _wspt(c: _Compiled) -> list[float]:
    """Minus the weight an activity unlocks (its own and all its successors') per period.

    A WSPT rule that respects precedences; smaller is more urgent.
    """
    reach = list(c.weights)
    for j in reversed(c.topo):
        for s in c.succs[j]:
            reach[j] += reach[s]
    return [-reach[j] / max(c.dur[j], 1) for j in range(c.n)]


def _priorities(c: _Compiled) -> list[float]:
    """The genetic search's priority rule: :func:`_lft` for the makespan, else :func:`_wspt`."""
    return _lft(c.project) if c.makespan else _wspt(c)


def priority_list(project: Project, rule: str = "lft") -> list[int]:
    """A precedence-feasible activity list by a priority rule.

    Parameters
    ----------
    project : Project
    rule : {"lft", "wspt"}
        ``"lft"``: latest finish first (from deadlines, the horizon and milestones, by backward
        critical-path); ``"wspt"``: largest weight (of the activity and all its successors) per
        period of duration first.

    Examples
    --------
    >>> from netplan.migration.project import Activity
    >>> p = Project((Activity("a", 1), Activity("b", 1), Activity("c", 1, deadline=1)),
    ...             np.array([1]), ((0, 1),), horizon=3)
    >>> priority_list(p)
    [2, 0, 1]
    """
    c = _Compiled(project)
    if rule == "lft":
        prio = _lft(project)
    elif rule == "wspt":
        prio = _wspt(c)
    else:
        raise ValueError(f"unknown priority rule {rule!r}; use 'lft' or 'wspt'")
    return _sample_list(c, prio, None)
