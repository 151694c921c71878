"""One entry point for every scheduler backend.

``solve(project, backend=...)`` dispatches to:

- ``"pulp"`` (default): the heuristic (a genetic search over activity lists with serial
  schedule generation and forward-backward justification) for a first plan, then the
  time-indexed MILP through PuLP (HiGHS by default) warm-started from it, then the heuristic
  again with the MILP's plan and dual bound; the best plan is returned with the real status,
  bound and gap.
- ``"heuristic"``: the heuristic alone.
- ``"cpsat"``: the same heuristic for a quarter of the budget, then OR-Tools CP-SAT (interval
  variables and cumulative constraints) hinted with its plan; the better plan is returned.

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
        return _portfolio_cpsat(project, time_limit_s=time_limit_s, seed=seed, initial=initial,
                                threads=threads)
    raise ValueError(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}")


#: Share of the ``cpsat`` budget given to the heuristic whose plan hints CP-SAT.
CPSAT_HEURISTIC_SHARE = 0.25


def _portfolio_cpsat(project: Project, *, time_limit_s: float, seed: int,
                     initial: Schedule | None, threads: int | None) -> Schedule:
    """Heuristic first (its plan as CP-SAT's hint), then CP-SAT; the better plan wins."""
    import time
    from dataclasses import replace

    from netplan.migration.project import SolveStatus
    from netplan.migration.solvers.cpsat import solve_cpsat
    from netplan.migration.solvers.heuristic import solve_heuristic

    t0 = time.perf_counter()
    heur = solve_heuristic(project, time_limit_s=CPSAT_HEURISTIC_SHARE * time_limit_s,
                           seed=seed, initial=initial)
    if heur.status is SolveStatus.OPTIMAL:
        return replace(heur, backend="cpsat", runtime_s=time.perf_counter() - t0,
                       log=(*heur.log, "heuristic plan meets the lower bound: CP-SAT not needed"))
    remaining = max(0.0, time_limit_s - (time.perf_counter() - t0))
    cp = solve_cpsat(project, time_limit_s=remaining, seed=seed,
                     initial=heur if heur.starts is not None else initial, threads=threads)
    if cp.status is SolveStatus.NO_SOLVER:
        return cp
    log = (*heur.log, *cp.log)
    runtime = time.perf_counter() - t0
    bound = max(b for b in (heur.bound, cp.bound) if b is not None) \
        if (heur.bound is not None or cp.bound is not None) else None
    if cp.starts is None and heur.starts is not None:
        return replace(heur, backend="cpsat", bound=bound, runtime_s=runtime, log=log)
    if cp.starts is not None and heur.starts is not None and heur.objective < cp.objective:
        status = SolveStatus.OPTIMAL if bound is not None and heur.objective <= bound + 1e-9 \
            else SolveStatus.FEASIBLE
        return replace(heur, status=status, backend="cpsat", bound=bound, runtime_s=runtime,
                       log=log)
    return replace(cp, bound=bound, runtime_s=runtime, log=log)
