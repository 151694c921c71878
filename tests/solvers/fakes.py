"""PuLP solvers that fail in known ways, for the solver-failure tests."""

from __future__ import annotations

import pulp


class RaisingSolver(pulp.LpSolver):
    """Installed, and raises ``PulpSolverError`` in the middle of every solve."""

    name = "Raising"

    def available(self):
        return True

    def actualSolve(self, lp, **kwargs):
        raise pulp.PulpSolverError("Pulp: Error while executing Raising (segmentation fault)")


class UndefinedSolver(pulp.LpSolver):
    """Installed, and answers "Undefined" (numerical trouble) without a solution."""

    name = "Undefined"

    def available(self):
        return True

    def actualSolve(self, lp, **kwargs):
        lp.assignStatus(pulp.LpStatusUndefined)
        return lp.status


class NotSolvedSolver(pulp.LpSolver):
    """Installed, and says "Not Solved" at once, long before any time limit."""

    name = "NotSolved"

    def available(self):
        return True

    def actualSolve(self, lp, **kwargs):
        lp.assignStatus(pulp.LpStatusNotSolved)  # PuLP infers "No Solution Exists" from it
        return lp.status


class MissingSolver(pulp.LpSolver):
    """A solver object whose ``available()`` is false (its library is not installed)."""

    name = "GUROBI"

    def available(self):
        return False

    def actualSolve(self, lp, **kwargs):  # pragma: no cover - never reached
        raise AssertionError("an unavailable solver must not be called")


class StoppedSolver(pulp.LpSolver):
    """HiGHS underneath, reported as CBC reports a time-limit stop with an incumbent.

    The values are HiGHS' (here its optimum), the statuses "Not Solved" / "Solution Found":
    whatever the values, nothing is proven.
    """

    name = "Stopped"

    def available(self):
        return True

    def actualSolve(self, lp, **kwargs):
        pulp.HiGHS(msg=False).actualSolve(lp)
        del lp.solverModel  # only PuLP's statuses remain to be read
        lp.assignStatus(pulp.LpStatusNotSolved, pulp.LpSolutionIntegerFeasible)
        return lp.status
