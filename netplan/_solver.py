"""The one place that turns "which MILP solver" into a PuLP solver object.

Never PuLP's ``LpSolverDefault`` (gone in PuLP 4) nor ``PULP_CBC_CMD`` (warns in 3.3): the
default is ``pulp.HiGHS`` through highspy, which ``pulp[highs]`` installs. The environment
variable ``NETPLAN_SOLVER`` (a PuLP solver name such as ``HiGHS`` or ``PULP_CBC_CMD``)
overrides the default, e.g. in CI.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from netplan.errors import SolverFailedError, SolverUnavailableError

__all__ = ["make_solver", "require_highspy", "highs_outcomes", "read_highs", "has_solution",
           "pulp_outcome", "run_solver", "read_highs_model", "SolveReport", "HIGHS_PIP"]

#: How to install the default solver.
HIGHS_PIP = "pip install 'pulp[highs]>=3.3,<4'"
#: What to try when a solver fails on a model.
RETRY = ("try another solver (NETPLAN_SOLVER=PULP_CBC_CMD, or unset it for HiGHS), a longer "
         "time limit, or inputs in units that keep the numbers between about 1e-3 and 1e6")
_PIP = {
    "HiGHS": HIGHS_PIP,
    "HiGHS_CMD": "install the 'highs' executable on the PATH, or use 'HiGHS' "
                 f"({HIGHS_PIP})",
    "PULP_CBC_CMD": "pip install --force-reinstall 'pulp>=3.3,<4' (PuLP bundles CBC)",
    "COIN_CMD": "install the 'cbc' executable on the PATH",
    "GUROBI": "pip install gurobipy (and a Gurobi licence)",
    "GUROBI_CMD": "install Gurobi and its 'gurobi_cl' (and a licence)",
    "CPLEX_PY": "pip install cplex (and a CPLEX licence)",
    "SCIP_PY": "pip install pyscipopt",
    "XPRESS_PY": "pip install xpress (and a licence)",
    "MOSEK": "pip install mosek (and a licence)",
    "COPT": "pip install coptpy (and a licence)",
}


def _install_hint(name: str) -> str:
    how = _PIP.get(name)
    if how is None:
        return f"install it as PuLP's documentation says, or use the default 'HiGHS' ({HIGHS_PIP})"
    return how


def require_highspy():
    """The ``highspy`` module, or :class:`SolverUnavailableError` saying how to install it.

    Examples
    --------
    >>> require_highspy().__name__
    'highspy'
    """
    try:
        import highspy
    except ImportError as exc:
        raise SolverUnavailableError(
            f"the HiGHS solver cannot be imported ({exc}); {HIGHS_PIP}") from None
    return highspy


def make_solver(solver=None, *, time_limit_s: float | None = None, threads: int | None = None,
                gap_rel: float | None = None, msg: bool = False):
    """Resolve ``solver`` to an available PuLP solver object.

    Parameters
    ----------
    solver : pulp.LpSolver or str or None
        A solver object (returned as is when its ``available()`` is true), a PuLP solver
        name, or None for the default (``$NETPLAN_SOLVER`` or HiGHS).
    time_limit_s, threads, gap_rel, msg
        Passed to the solver when netplan builds it.

    Raises
    ------
    SolverUnavailableError
        When the solver is unknown or not installed (a solver object whose ``available()``
        is false, HiGHS without an importable ``highspy``); the message names the solver
        and the pip command.

    Examples
    --------
    >>> make_solver(time_limit_s=5).name
    'HiGHS'
    """
    import pulp

    if solver is not None and not isinstance(solver, str):
        name = getattr(solver, "name", type(solver).__name__)
        available = getattr(solver, "available", None)
        if not callable(available) or not available():
            raise SolverUnavailableError(
                f"the solver object {name!r} passed in is not available (its available() is "
                f"false): {_install_hint(name)}")
        if isinstance(solver, pulp.HiGHS):
            require_highspy()
        return solver
    env = os.environ.get("NETPLAN_SOLVER")
    name = solver or env or "HiGHS"
    origin = f"NETPLAN_SOLVER={name!r}" if not solver and env else f"PuLP solver {name!r}"
    options = {"msg": msg}
    if time_limit_s is not None:
        options["timeLimit"] = float(time_limit_s)
    if gap_rel is not None:
        options["gapRel"] = gap_rel
    if threads is not None and name == "HiGHS":
        options["threads"] = threads
    try:
        made = pulp.getSolver(name, **options)
    except pulp.PulpSolverError:
        known = ", ".join(pulp.listSolvers(onlyAvailable=True))
        raise SolverUnavailableError(
            f"{origin} is not a solver PuLP knows; installed here: {known or 'none'} (the "
            f"default is 'HiGHS': {HIGHS_PIP})") from None
    if not made.available():
        raise SolverUnavailableError(f"{origin} is not installed: {_install_hint(name)}")
    if isinstance(made, pulp.HiGHS):
        require_highspy()
    return made


def highs_outcomes() -> dict:
    """Every ``highspy.HighsModelStatus`` mapped to what it means for netplan.

    ``optimal``: solved, ``infeasible``: proven infeasible (the model is bounded, so
    "unbounded or infeasible" is infeasible), ``stopped``: a limit or interrupt ended the
    search (a solution may exist), ``error``: the solver failed. ``kUnbounded`` is impossible
    (all variables are bounded) and is treated as an error.
    """
    S = require_highspy().HighsModelStatus
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
    For another solver, PuLP's statuses are mapped by :func:`pulp_outcome` and the bound is
    None.

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
    return pulp_outcome(prob), None


def pulp_outcome(prob) -> str:
    """PuLP's status and solution status of a solved problem, mapped explicitly.

    ``Optimal`` with an optimal solution → ``optimal``; a solution found but not proven
    (``Solution Found``) → ``stopped``; ``Infeasible`` → ``infeasible``. ``Not Solved``
    means a stop without a solution: ``stopped`` when the solve used (nearly) its time limit,
    else ``error`` (PuLP then also says "no solution exists", which is not proven).
    ``Undefined`` and ``Unbounded`` (every netplan variable is bounded) are ``error``.

    Examples
    --------
    >>> import pulp
    >>> p = pulp.LpProblem("t", pulp.LpMinimize)
    >>> p.assignStatus(pulp.LpStatusUndefined)
    True
    >>> pulp_outcome(p)
    'error'
    """
    import pulp

    status, sol = prob.status, prob.sol_status
    if status == pulp.LpStatusOptimal:
        return {pulp.LpSolutionOptimal: "optimal",
                pulp.LpSolutionIntegerFeasible: "stopped",
                pulp.LpSolutionNoSolutionFound: "stopped",
                pulp.LpSolutionInfeasible: "infeasible",
                pulp.LpSolutionUnbounded: "error"}[sol]
    if status == pulp.LpStatusInfeasible:
        return "infeasible"
    if status == pulp.LpStatusNotSolved:
        if sol == pulp.LpSolutionIntegerFeasible:
            return "stopped"
        limit = getattr(getattr(prob, "solver", None), "timeLimit", None)
        spent = getattr(prob, "solutionTime", 0.0) or 0.0
        return "stopped" if limit is not None and spent >= 0.9 * float(limit) else "error"
    if status in (pulp.LpStatusUndefined, pulp.LpStatusUnbounded):
        return "error"
    raise SolverFailedError(f"PuLP status {status!r} is not known to netplan; please report it")


def _said(prob) -> str:
    """What the solver said about ``prob``, in its own words."""
    import pulp

    h = getattr(prob, "solverModel", None)
    if h is not None and hasattr(h, "getModelStatus"):
        return f"HiGHS model status {h.modelStatusToString(h.getModelStatus())!r}"
    return (f"PuLP status {pulp.LpStatus.get(prob.status, prob.status)!r}, "
            f"{pulp.LpSolution.get(prob.sol_status, prob.sol_status)!r}")


def has_solution(prob) -> bool:
    """True when the solver left a feasible solution in ``prob``'s variables.

    HiGHS says so itself (its primal solution status); for another solver, PuLP's solution
    status is "Optimal Solution Found" or "Solution Found" and every variable has a value.
    """
    import pulp

    h = getattr(prob, "solverModel", None)
    if h is not None and hasattr(h, "getInfo"):
        highspy = require_highspy()
        return h.getInfo().primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
    return prob.status in (pulp.LpStatusOptimal, pulp.LpStatusNotSolved) and prob.sol_status in (
        pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible) and all(
        v.value() is not None for v in prob.variables())


@dataclass(frozen=True)
class SolveReport:
    """What happened when a PuLP problem was solved: the one reading of every solver's status.

    Attributes
    ----------
    outcome : {"optimal", "stopped", "infeasible"}
        ``optimal``: proven; ``stopped``: a limit ended the search (``feasible`` says whether
        a solution is in the problem's variables); ``infeasible``: proven to have none.
        Solver errors never get here: :func:`run_solver` raises :class:`SolverFailedError`.
    feasible : bool
        A feasible solution is in the variables (:func:`has_solution`).
    bound : float or None
        The solver's proven bound on the objective (HiGHS only).
    solver : str
        The solver's name.
    said : str
        The solver's own status words (for messages).
    """

    outcome: str
    feasible: bool
    bound: float | None
    solver: str
    said: str

    def describe(self, what: str) -> str:
        """One sentence on the outcome, e.g. for a log or an explanation."""
        if self.outcome == "optimal":
            return f"{self.solver} solved the {what} to optimality"
        if self.outcome == "infeasible":
            return f"{self.solver} proved the {what} infeasible ({self.said})"
        found = "its best solution so far is kept" if self.feasible else "no solution found yet"
        bound = f", bound {self.bound:.6g}" if self.bound is not None else ""
        return (f"{self.solver} stopped on the {what} before proving optimality ({self.said}"
                f"{bound}): {found}; give it more time for a better or proven plan")


def run_solver(prob, made, *, what: str) -> SolveReport:
    """Solve ``prob`` with ``made`` and say what really happened.

    Parameters
    ----------
    prob : pulp.LpProblem
    made : pulp.LpSolver
        From :func:`make_solver`.
    what : str
        The model in words ("upgrade MILP"), for messages.

    Returns
    -------
    SolveReport

    Raises
    ------
    SolverFailedError
        When the solver raises (``pulp.PulpSolverError``, a missing executable) or reports
        numerical trouble (HiGHS' solve errors, PuLP's ``Undefined`` / unexplained
        ``Not Solved``): no plan rather than a silently wrong one.

    Examples
    --------
    >>> import pulp
    >>> p = pulp.LpProblem("t", pulp.LpMinimize)
    >>> x = p.add_variable("x", 0, 3, cat="Integer")
    >>> p += x
    >>> p += x >= 1.5
    >>> r = run_solver(p, make_solver(), what="toy MILP")
    >>> r.outcome, r.feasible, x.value()
    ('optimal', True, 2.0)
    """
    import pulp

    name = getattr(made, "name", type(made).__name__)
    try:
        prob.solve(made)
    except (pulp.PulpSolverError, OSError) as exc:
        raise SolverFailedError(f"{name} failed on the {what}: {exc}; {RETRY}") from exc
    outcome, bound = read_highs(prob)
    said = _said(prob)
    if outcome == "error":
        raise SolverFailedError(
            f"{name} could not solve the {what} ({said}): a solver failure or numerical "
            f"trouble, so no plan is given rather than a possibly wrong one; {RETRY}")
    return SolveReport(outcome, has_solution(prob), bound, name, said)


def read_highs_model(h, *, what: str) -> SolveReport:
    """What a ``highspy.Highs`` that has run says, read as :func:`run_solver` reads PuLP.

    Parameters
    ----------
    h : highspy.Highs
        After ``h.run()``.
    what : str
        The model in words, for messages.

    Returns
    -------
    SolveReport
        ``bound`` is HiGHS' MIP dual bound when finite.

    Raises
    ------
    SolverFailedError
        For a solve error (numerical trouble, a model or presolve error) or a model status
        netplan does not know (a newer highspy).

    Examples
    --------
    >>> import highspy
    >>> h = highspy.Highs()
    >>> _ = h.setOptionValue("output_flag", False)
    >>> _ = h.addVar(1.0, 3.0)
    >>> _ = h.changeColCost(0, 1.0)
    >>> _ = h.run()
    >>> r = read_highs_model(h, what="toy LP")
    >>> r.outcome, r.feasible, r.bound is None or r.bound <= 1.0
    ('optimal', True, True)
    """
    import math

    highspy = require_highspy()
    status = h.getModelStatus()
    said = f"HiGHS model status {h.modelStatusToString(status)!r}"
    table = highs_outcomes()
    if status not in table:
        raise SolverFailedError(f"{said} is not known to netplan; please report it")
    outcome = table[status]
    if outcome == "error":
        raise SolverFailedError(
            f"HiGHS could not solve the {what} ({said}): a solver failure or numerical "
            f"trouble, so no plan is given rather than a possibly wrong one; {RETRY}")
    info = h.getInfo()
    feasible = outcome != "infeasible" and \
        info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
    bound = None
    if outcome != "infeasible" and math.isfinite(info.mip_dual_bound):
        bound = float(info.mip_dual_bound)
    return SolveReport(outcome, feasible, bound, "HiGHS", said)
