"""The one place that turns "which MILP solver" into a PuLP solver object.

Never PuLP's ``LpSolverDefault`` (gone in PuLP 4) nor ``PULP_CBC_CMD`` (warns in 3.3): the
default is ``pulp.HiGHS`` through highspy, which ``pulp[highs]`` installs. The environment
variable ``NETPLAN_SOLVER`` (a PuLP solver name such as ``HiGHS`` or ``PULP_CBC_CMD``)
overrides the default, e.g. in CI.
"""

from __future__ import annotations

import os

from netplan.errors import SolverUnavailableError

__all__ = ["make_solver", "highs_outcomes", "read_highs", "has_solution"]


def make_solver(solver=None, *, time_limit_s: float | None = None, threads: int | None = None,
                gap_rel: float | None = None, msg: bool = False):
    """Resolve ``solver`` to an available PuLP solver object.

    Parameters
    ----------
    solver : pulp.LpSolver or str or None
        A solver object (returned as is), a PuLP solver name, or None for the default
        (``$NETPLAN_SOLVER`` or HiGHS).
    time_limit_s, threads, gap_rel, msg
        Passed to the solver when netplan builds it.

    Raises
    ------
    SolverUnavailableError
        When the named solver is not installed; the message names the pip extra.

    Examples
    --------
    >>> make_solver(time_limit_s=5).name
    'HiGHS'
    """
    import pulp

    if solver is not None and not isinstance(solver, str):
        return solver
    name = solver or os.environ.get("NETPLAN_SOLVER") or "HiGHS"
    options = {"msg": msg}
    if time_limit_s is not None:
        options["timeLimit"] = float(time_limit_s)
    if gap_rel is not None:
        options["gapRel"] = gap_rel
    if threads is not None and name == "HiGHS":
        options["threads"] = threads
    try:
        made = pulp.getSolver(name, **options)
    except pulp.PulpSolverError as exc:
        raise SolverUnavailableError(
            f"PuLP solver {name!r} is unknown: {exc}; the default is 'HiGHS'") from None
    if not made.available():
        raise SolverUnavailableError(
            f"PuLP solver {name!r} is not installed; for HiGHS: pip install 'pulp[highs]>=3.3,<4'")
    return made


def highs_outcomes() -> dict:
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
        "kIterationLimit": "stopped",  # simplex_iteration_limit
        "kSolutionLimit": "stopped",  # mip_max_nodes and the like
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


def read_highs(prob) -> tuple[str, float | None]:
    """The real outcome of a PuLP problem solved by HiGHS, and the MILP's dual bound.

    PuLP reports "Optimal" after a time-limit stop with a solution; this reads HiGHS's own
    model status. Returns (``optimal`` | ``infeasible`` | ``stopped`` | ``error``, bound).
    Whether a stopped search holds a feasible solution is :func:`has_solution`.
    For another solver, PuLP's status is mapped (``Optimal`` → optimal, ``Infeasible`` →
    infeasible, ``Not Solved`` → stopped, anything else → error) and the bound is None.

    Examples
    --------
    >>> import pulp
    >>> p = pulp.LpProblem("t", pulp.LpMinimize)
    >>> x = p.add_variable("x", 0, 3, cat="Integer")
    >>> p += x
    >>> p += x >= 1.5
    >>> _ = p.solve(make_solver())
    >>> read_highs(p)
    ('optimal', 2.0)
    """
    import math

    import pulp

    h = getattr(prob, "solverModel", None)
    if h is not None and hasattr(h, "getModelStatus"):
        outcome = highs_outcomes().get(h.getModelStatus(), "error")
        bound = None
        try:
            b = float(h.getInfo().mip_dual_bound)
            bound = b if math.isfinite(b) else None
        except (AttributeError, TypeError, ValueError):
            bound = None
        if bound is None and outcome == "optimal":
            bound = float(pulp.value(prob.objective) or 0.0)
        return outcome, bound
    status = pulp.LpStatus.get(prob.status, "")
    return ({"Optimal": "optimal", "Infeasible": "infeasible",
             "Not Solved": "stopped"}.get(status, "error"), None)


def has_solution(prob) -> bool:
    """True when the solver left a feasible solution in ``prob``'s variables.

    HiGHS says so itself (its primal solution status); for another solver, every variable has
    a value and PuLP's status is Optimal.
    """
    import pulp

    h = getattr(prob, "solverModel", None)
    if h is not None and hasattr(h, "getInfo"):
        import highspy

        return h.getInfo().primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
    return prob.status == pulp.LpStatusOptimal and all(
        v.value() is not None for v in prob.variables())
