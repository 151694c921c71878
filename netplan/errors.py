"""The exceptions netplan raises, in one small hierarchy.

Every message quotes the offending value and says what to do about it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Issue",
    "NetplanError",
    "ScenarioError",
    "InputFileError",
    "UnknownNodeError",
    "InfeasiblePlanError",
    "SolverUnavailableError",
    "SolverFailedError",
]


@dataclass(frozen=True)
class Issue:
    """One problem found in an input, located by a path into it.

    Parameters
    ----------
    path : str
        Where the problem is: a dotted YAML path (``extranet.tiers.county.uplink``),
        or ``row 12, column capacity`` for tables.
    message : str
        What is wrong, quoting the value.
    hint : str, optional
        What to do about it.
    severity : {"error", "warning"}
        Errors stop the run; warnings are reported and the run goes on.
    line : int, optional
        1-based line in the source file, when known.
    """

    path: str
    message: str
    hint: str = ""
    severity: str = "error"
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        text = f"{where}{self.path}: {self.message}" if self.path else f"{where}{self.message}"
        return f"{text}; {self.hint}" if self.hint else text


class NetplanError(Exception):
    """Base class of every error netplan raises on purpose."""


class ScenarioError(NetplanError, ValueError):
    """A scenario (or another input file) is invalid; carries every problem found.

    Parameters
    ----------
    issues : list of Issue
        All problems, not only the first.
    source : str, optional
        The file the scenario came from, named in the message.
    """

    def __init__(self, issues: list[Issue], source: str | None = None):
        self.issues = list(issues)
        self.source = source
        head = f"{source}: " if source else ""
        n = len(self.issues)
        lines = [f"{head}{n} problem{'s' if n != 1 else ''} found"]
        lines += [f"  {issue}" for issue in self.issues]
        super().__init__("\n".join(lines))

    @property
    def errors(self) -> list[Issue]:
        """The issues of severity ``error``."""
        return [i for i in self.issues if i.severity == "error"]


class InputFileError(ScenarioError):
    """A data file (CSV, GraphML, JSON) named by a scenario or the CLI is unreadable or invalid."""


class UnknownNodeError(NetplanError, KeyError):
    """A node or link name that the topology does not contain."""

    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0]) if self.args else ""


class InfeasiblePlanError(NetplanError):
    """A plan cannot meet its hard constraints; the message says which and by how much.

    Parameters
    ----------
    message : str
        The explanation in plain words: which target, deadline or limit, how far off.
    reasons : list of str, optional
        One line per cause (each backed by a bound or a check), listed after the message.
    hint : str, optional
        What to change (more teams, a later date, a larger host type, ...).

    Examples
    --------
    >>> e = InfeasiblePlanError("no plan meets the targets",
    ...                         reasons=["needs 6 person-weeks, has 3"], hint="add a team")
    >>> print(e)
    no plan meets the targets: needs 6 person-weeks, has 3; add a team
    """

    def __init__(self, message: str, *, reasons=(), hint: str = ""):
        self.message = str(message)
        self.reasons = [str(r) for r in reasons]
        self.hint = str(hint)
        text = self.message
        if self.reasons:
            text += ": " + "; ".join(self.reasons)
        if self.hint:
            text += f"; {self.hint}"
        super().__init__(text)


class SolverUnavailableError(NetplanError):
    """The requested optimisation solver is not installed; the message names the pip extra."""


class SolverFailedError(NetplanError):
    """An installed solver failed on a model: it raised, or it reported numerical trouble.

    The message names the solver, the model, what the solver said and what to try (another
    solver through ``NETPLAN_SOLVER``, a longer time limit, rescaled inputs).
    """
