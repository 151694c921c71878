"""Read PSPLIB single-mode RCPSP instances (``.sm`` files) and their optimum tables.

The ``.sm`` text is parsed by the maintained ``psplib`` package
(``psplib.parse(path, instance_format="psplib")``); this module turns its instance into a
:class:`~netplan.migration.project.Project`:

- activities ``job1`` .. ``jobN`` in file order (``job1`` is the dummy source, ``jobN`` the dummy
  sink, both of duration 0), each with its constant demand on every resource;
- renewable resources ``R1`` .. ``Rk`` with the file's constant capacities;
- a precedence ``(i, j)`` for every successor ``j`` of ``i``;
- horizon = the sum of all durations (the schedule that runs the jobs one after another), and
  objective ``"makespan"``.

Only single-mode instances with renewable resources only are accepted; multi-mode ones
(``.mm``) and non-renewable resources are reported as an
:class:`~netplan.errors.InputFileError`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from netplan.errors import InputFileError, Issue
from netplan.io.scenario_yaml import read_data_text
from netplan.migration.project import Activity, Project

__all__ = ["read_psplib", "read_optima"]


def read_psplib(path: str | Path) -> Project:
    """Read a PSPLIB single-mode RCPSP instance.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.sm`` file, e.g. ``j301_1.sm``.

    Returns
    -------
    Project
        Named after the file stem; activities ``job1`` .. ``jobN``, resources ``R1`` .. ``Rk``,
        horizon = sum of durations, objective ``"makespan"``.

    Raises
    ------
    InputFileError
        When the file is missing or unreadable, is a multi-mode instance, has non-renewable
        resources, or names successors that do not exist or form a cycle. Every problem found
        is listed.

    See Also
    --------
    read_optima
    """
    path = Path(path)
    label = str(path)
    where = path.name
    if not path.is_file():
        raise InputFileError([Issue(where, f"file not found: {path}")], label)
    read_data_text(path)  # the size bound, and binary or undecodable files, named
    try:
        import psplib  # imported here: only PSPLIB reading needs it

        inst = psplib.parse(path, instance_format="psplib")
    except (ValueError, IndexError, UnicodeDecodeError, OSError) as exc:
        raise InputFileError(
            [Issue(where, f"not a readable PSPLIB .sm file: {str(exc).rstrip('.')}",
                   "expected the sections PRECEDENCE RELATIONS, REQUESTS/DURATIONS and "
                   "RESOURCEAVAILABILITIES of a PSPLIB single-mode instance")],
            label,
        ) from None

    issues: list[Issue] = []
    n = len(inst.activities)
    if n == 0:
        issues.append(Issue(where, "no jobs found under PRECEDENCE RELATIONS"))
    multi = [f"job{i + 1}" for i, a in enumerate(inst.activities) if len(a.modes) != 1]
    if multi:
        shown = ", ".join(multi[:5]) + (", ..." if len(multi) > 5 else "")
        issues.append(Issue(where, f"multi-mode instance: {len(multi)} jobs have other than one "
                                   f"mode ({shown})",
                            "only single-mode RCPSP (.sm) instances are supported"))
    n_nonrenewable = sum(not r.renewable for r in inst.resources)
    if n_nonrenewable:
        names = ", ".join(f"N{k + 1}" for k in range(n_nonrenewable))  # PSPLIB's N 1, N 2...
        issues.append(Issue(where, f"{n_nonrenewable} non-renewable resources ({names})",
                            "only renewable resources are supported"))
    for i, a in enumerate(inst.activities):
        bad = [j + 1 for j in a.successors if not 0 <= j < n]
        if bad:
            issues.append(Issue(f"{where} job{i + 1}", f"successors {bad} are not jobs 1..{n}"))
    if issues:
        raise InputFileError(issues, label)

    n_res = len(inst.resources)
    acts = []
    for i, a in enumerate(inst.activities):
        mode = a.modes[0]
        if len(mode.demands) != n_res:
            issues.append(Issue(f"{where} job{i + 1}", f"{len(mode.demands)} demands for "
                                                      f"{n_res} resources"))
        acts.append(Activity(f"job{i + 1}", int(mode.duration),
                             tuple(int(q) for q in mode.demands)))
    if issues:
        raise InputFileError(issues, label)
    precedences = tuple((i, j) for i, a in enumerate(inst.activities) for j in a.successors)
    capacity = np.array([int(r.capacity) for r in inst.resources], dtype=np.int64)
    try:
        return Project(tuple(acts), capacity, precedences,
                       horizon=int(sum(a.duration for a in acts)),
                       objective="makespan",
                       resource_names=tuple(f"R{k + 1}" for k in range(n_res)),
                       name=path.stem)
    except ValueError as exc:  # cycles, negative durations
        raise InputFileError([Issue(where, str(exc))], label) from None


def read_optima(csv_path: str | Path) -> dict[str, int]:
    """Read a table of optimal (or best known) makespans.

    Parameters
    ----------
    csv_path : str or pathlib.Path
        A CSV file with the header ``instance,makespan`` (instance = ``.sm`` file stem).

    Returns
    -------
    dict of str to int
        Makespan per instance name.

    Raises
    ------
    InputFileError
        When the file is missing, lacks a column, or has a makespan that is not a whole number
        >= 0 or an instance listed twice; every bad row is listed.

    See Also
    --------
    read_psplib
    """
    path = Path(csv_path)
    label = str(path)
    where = path.name
    if not path.is_file():
        raise InputFileError([Issue(where, f"file not found: {path}")], label)
    text = read_data_text(path)
    with io.StringIO(text, newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ("instance", "makespan") if c not in (reader.fieldnames or [])]
        if missing:
            raise InputFileError(
                [Issue(where, f"missing column {c!r}; header is {reader.fieldnames}",
                       "the header must be instance,makespan", line=1) for c in missing],
                label)
        issues: list[Issue] = []
        optima: dict[str, int] = {}
        for row in reader:
            line = reader.line_num
            name = (row["instance"] or "").strip()
            text = (row["makespan"] or "").strip()
            if not name:
                issues.append(Issue(f"{where} column instance", "empty instance name", line=line))
                continue
            try:
                value = int(text)
            except ValueError:
                value = -1
            if value < 0:
                issues.append(Issue(f"{where} column makespan",
                                    f"{name}: makespan {text!r} is not a whole number >= 0",
                                    line=line))
                continue
            if name in optima:
                issues.append(Issue(f"{where} column instance", f"{name} is listed twice",
                                    line=line))
                continue
            optima[name] = value
    if issues:
        raise InputFileError(issues, label)
    return optima
