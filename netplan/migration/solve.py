"""One entry point for every scheduler backend.

``solve(project, backend=...)`` dispatches to:

- ``"pulp"`` (default): the priority-rule heuristic (serial schedule generation with
  forward-backward improvement) for a first plan, then the time-indexed MILP through PuLP
  (HiGHS by default) warm-started from it; the heuristic plan is returned when the MILP finds
  nothing better in time.
- ``"heuristic"``: the heuristic alone.
- ``"cpsat"``: OR-Tools CP-SAT (interval variables and cumulative constraints).

Backends are imported lazily, so OR-Tools is needed only when chosen.
"""

from __future__ import annotations

from netplan.migration.project import Project, Schedule

__all__ = ["solve", "BACKENDS"]

#: Backend names accepted by :func:`solve`.
BACKENDS = ("pulp", "heuristic", "cpsat")


def solve(project: Project, *, backend: str = "pulp", solver=None, time_limit_s: float = 60.0,
          seed: int = 0, initial: Schedule | None = None, threads: int | None = None) -> Schedule:
    """Schedule a project with the chosen backend.

    Parameters
    ----------
    project : Project
    backend : {"pulp", "heuristic", "cpsat"}
    solver : pulp.LpSolver, optional
        For ``"pulp"``: the MILP solver; default ``pulp.HiGHS`` (see
        :func:`netplan._solver.make_solver`).
    time_limit_s : float
        Wall-clock budget for the whole call.
    seed : int
        Seed of the heuristic's random choices (same seed, same schedule).
    initial : Schedule, optional
        A known feasible schedule to start from.
    threads : int, optional
        Worker threads for the MILP / CP-SAT solver.

    Returns
    -------
    Schedule
        Its status says whether it is proven optimal; ``gap`` how far from the bound.

    Raises
    ------
    ValueError
        For an unknown backend name.
    """
    if backend == "pulp":
        from netplan.migration.solvers.milp import solve_milp

        return solve_milp(project, solver=solver, time_limit_s=time_limit_s, seed=seed,
                          initial=initial, threads=threads)
    if backend == "heuristic":
        from netplan.migration.solvers.heuristic import solve_heuristic

        return solve_heuristic(project, time_limit_s=time_limit_s, seed=seed, initial=initial)
    if backend == "cpsat":
        from netplan.migration.solvers.cpsat import solve_cpsat

        return solve_cpsat(project, time_limit_s=time_limit_s, seed=seed, initial=initial,
                           threads=threads)
    raise ValueError(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}")
