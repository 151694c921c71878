"""The one place that turns "which MILP solver" into a PuLP solver object.

Never PuLP's ``LpSolverDefault`` (gone in PuLP 4) nor ``PULP_CBC_CMD`` (warns in 3.3): the
default is ``pulp.HiGHS`` through highspy, which ``pulp[highs]`` installs. The environment
variable ``NETPLAN_SOLVER`` (a PuLP solver name such as ``HiGHS`` or ``PULP_CBC_CMD``)
overrides the default, e.g. in CI.
"""

from __future__ import annotations

import os

from netplan.errors import SolverUnavailableError

__all__ = ["make_solver"]


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
