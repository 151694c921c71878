"""Read bin-packing instances: BPPLIB 1-D ``.txt``, VBP vector ``.vbp`` and an ``instances.csv``.

- BPPLIB BPP format (Delorme, Iori, Martello 2018): whitespace-separated integers, the number of
  items n, the bin capacity c, then n item weights.
- VBP format (VPSolver, Brandão & Pedroso): the number of dimensions d, d bin capacities, the
  number of item types m, then m rows ``w_1 .. w_d q`` where q is the multiplicity; each type is
  expanded into q items.
- ``instances.csv``: one row per instance with at least the columns ``instance``, ``file`` (a
  path relative to the CSV) and ``optimum`` (empty when unknown).

Every reader returns plain numpy arrays (sizes n x d, capacity length d) for
:func:`netplan.capacity.binpack.pack`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from netplan.errors import InputFileError, Issue
from netplan.io.scenario_yaml import read_data_text

__all__ = ["BinPackingInstance", "read_bpp", "read_vbp", "read_binpack", "read_binpack_csv"]


@dataclass(frozen=True)
class BinPackingInstance:
    """One bin-packing instance read from a file.

    Parameters
    ----------
    name : str
        The instance name (the file stem, or the CSV's ``instance`` column).
    sizes : numpy.ndarray
        Item sizes, integers, shape (n, d).
    capacity : numpy.ndarray
        Bin capacity per dimension, length d.
    optimum : int or None
        The known minimum number of bins, when the CSV gives one.
    path : pathlib.Path or None
        The file the items came from.
    """

    name: str
    sizes: np.ndarray
    capacity: np.ndarray
    optimum: int | None = None
    path: Path | None = None


def _integers(path: Path) -> list[tuple[int, int]]:
    """Every integer token of ``path`` with its 1-based line number."""
    label = str(path)
    if not path.is_file():
        raise InputFileError([Issue(path.name, f"file not found: {path}")], label)
    text = read_data_text(path)  # bounded in size, UTF-8 or GBK, not binary
    tokens = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        for tok in line.split():
            try:
                tokens.append((int(tok), line_no))
            except ValueError:
                raise InputFileError(
                    [Issue(path.name, f"{tok!r} is not an integer", line=line_no)], label
                ) from None
    return tokens


def _need(tokens: list, count: int, path: Path, what: str) -> None:
    if len(tokens) < count:
        last = tokens[-1][1] if tokens else None
        raise InputFileError(
            [Issue(path.name, f"file ends before {what} ({len(tokens)} numbers, "
                              f"{count} expected)", line=last)], str(path))


def read_bpp(path: str | Path) -> BinPackingInstance:
    r"""Read a 1-D instance in BPPLIB's BPP format.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.txt`` file: n, the capacity c, then n weights.

    Returns
    -------
    BinPackingInstance
        ``sizes`` of shape (n, 1), ``capacity`` of length 1.

    Raises
    ------
    InputFileError
        When the file is missing, holds a non-integer, ends early, has extra numbers, or a
        weight or the capacity is not positive (the line is named).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.txt"
    >>> _ = p.write_text("3\n10\n4\n6\n5\n")
    >>> inst = read_bpp(p)
    >>> inst.sizes.ravel().tolist(), inst.capacity.tolist()
    ([4, 6, 5], [10])
    """
    path = Path(path)
    tokens = _integers(path)
    _need(tokens, 2, path, "the header (n, capacity)")
    n, cap = tokens[0][0], tokens[1]
    issues = []
    if n < 0:
        issues.append(Issue(f"{path.name} n", f"item count {n} is negative", line=tokens[0][1]))
    if cap[0] <= 0:
        issues.append(Issue(f"{path.name} capacity", f"capacity {cap[0]} is not positive",
                            line=cap[1]))
    if issues:
        raise InputFileError(issues, str(path))
    _need(tokens, 2 + n, path, f"{n} weights")
    if len(tokens) > 2 + n:
        raise InputFileError([Issue(path.name, f"{len(tokens) - 2 - n} numbers after the {n} "
                                               "weights", line=tokens[2 + n][1])], str(path))
    weights = tokens[2:2 + n]
    for k, (w, line) in enumerate(weights):
        if w <= 0:
            issues.append(Issue(f"{path.name} item {k}", f"weight {w} is not positive",
                                line=line))
    if issues:
        raise InputFileError(issues, str(path))
    sizes = np.array([w for w, _ in weights], dtype=np.int64).reshape(n, 1)
    return BinPackingInstance(path.stem, sizes, np.array([cap[0]], dtype=np.int64), None, path)


def read_vbp(path: str | Path) -> BinPackingInstance:
    r"""Read a vector instance in VPSolver's VBP format.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.vbp`` file: d, d capacities, m, then m rows ``w_1 .. w_d q``.

    Returns
    -------
    BinPackingInstance
        ``sizes`` of shape (n, d) with every type repeated q times, ``capacity`` of length d.

    Raises
    ------
    InputFileError
        When the file is missing, holds a non-integer, ends early, has extra numbers, or a
        capacity, size or multiplicity is out of range (the line is named).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.vbp"
    >>> _ = p.write_text("2\n10 8\n2\n4 3 2\n6 5 1\n")
    >>> inst = read_vbp(p)
    >>> inst.sizes.tolist(), inst.capacity.tolist()
    ([[4, 3], [4, 3], [6, 5]], [10, 8])
    """
    path = Path(path)
    tokens = _integers(path)
    _need(tokens, 1, path, "the number of dimensions")
    d = tokens[0][0]
    if d <= 0:
        raise InputFileError([Issue(f"{path.name} d", f"{d} dimensions", line=tokens[0][1])],
                             str(path))
    _need(tokens, 2 + d, path, f"{d} capacities and the number of item types")
    issues = []
    caps = tokens[1:1 + d]
    for k, (c, line) in enumerate(caps):
        if c <= 0:
            issues.append(Issue(f"{path.name} capacity {k}", f"capacity {c} is not positive",
                                line=line))
    m, m_line = tokens[1 + d]
    if m < 0:
        issues.append(Issue(f"{path.name} m", f"item type count {m} is negative", line=m_line))
    if issues:
        raise InputFileError(issues, str(path))
    start = 2 + d
    _need(tokens, start + m * (d + 1), path, f"{m} item rows of {d + 1} numbers")
    if len(tokens) > start + m * (d + 1):
        raise InputFileError([Issue(path.name, "numbers after the last item row",
                                    line=tokens[start + m * (d + 1)][1])], str(path))
    rows = []
    for t in range(m):
        row = tokens[start + t * (d + 1): start + (t + 1) * (d + 1)]
        *w, (q, line) = row
        if any(v < 0 for v, _ in w) or q < 0:
            issues.append(Issue(f"{path.name} item type {t}",
                                f"negative size or multiplicity {[v for v, _ in row]}",
                                line=line))
            continue
        rows.extend([[v for v, _ in w]] * q)
    if issues:
        raise InputFileError(issues, str(path))
    sizes = np.array(rows, dtype=np.int64).reshape(len(rows), d)
    capacity = np.array([c for c, _ in caps], dtype=np.int64)
    return BinPackingInstance(path.stem, sizes, capacity, None, path)


def read_binpack(path: str | Path) -> BinPackingInstance:
    """Read a ``.vbp`` file with :func:`read_vbp`, anything else with :func:`read_bpp`.

    Parameters
    ----------
    path : str or pathlib.Path
        The instance file.

    Returns
    -------
    BinPackingInstance
        As the chosen reader returns it.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.txt"
    >>> _ = p.write_text("2 10 4 6")
    >>> read_binpack(p).sizes.shape
    (2, 1)
    """
    path = Path(path)
    return read_vbp(path) if path.suffix.lower() == ".vbp" else read_bpp(path)


def read_binpack_csv(csv_path: str | Path,
                     only: list[str] | None = None) -> list[BinPackingInstance]:
    r"""Read every instance listed in an ``instances.csv``.

    Parameters
    ----------
    csv_path : str or pathlib.Path
        A CSV with the columns ``instance``, ``file`` (relative to the CSV's folder) and
        ``optimum`` (an integer, or empty when unknown).
    only : list of str, optional
        Read only these instance names, in the CSV's order.

    Returns
    -------
    list of BinPackingInstance
        In the CSV's order, each named after its ``instance`` column with its ``optimum``.

    Raises
    ------
    InputFileError
        When the CSV is missing, lacks a column, repeats an instance, has a non-integer optimum,
        names a file that cannot be read, or ``only`` names an instance it does not list.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.txt").write_text("2 10 4 6")
    >>> _ = (d / "instances.csv").write_text("instance,optimum,file\nA,1,a.txt\n")
    >>> [(i.name, i.optimum) for i in read_binpack_csv(d / "instances.csv")]
    [('A', 1)]
    """
    csv_path = Path(csv_path)
    label = str(csv_path)
    if not csv_path.is_file():
        raise InputFileError([Issue(csv_path.name, f"file not found: {csv_path}")], label)
    text = read_data_text(csv_path)
    with io.StringIO(text, newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"instance", "file", "optimum"} - set(reader.fieldnames or ())
        if missing:
            raise InputFileError([Issue(csv_path.name, f"missing columns {sorted(missing)}",
                                        "the header needs instance, optimum and file",
                                        line=1)], label)
        rows = list(reader)
    issues: list[Issue] = []
    seen: set[str] = set()
    wanted = set(only) if only is not None else None
    chosen = []
    for line, row in enumerate(rows, start=2):
        name = (row["instance"] or "").strip()
        if name in seen:
            issues.append(Issue(f"row {line - 1}, column instance", f"{name!r} repeated",
                                line=line))
            continue
        seen.add(name)
        opt_text = (row["optimum"] or "").strip()
        try:
            optimum = int(opt_text) if opt_text else None
        except ValueError:
            issues.append(Issue(f"row {line - 1}, column optimum",
                                f"{opt_text!r} is not an integer", line=line))
            continue
        if wanted is None or name in wanted:
            chosen.append((name, optimum, (row["file"] or "").strip(), line))
    if wanted is not None:
        unknown = sorted(wanted - seen)
        if unknown:
            issues.append(Issue(csv_path.name, f"instances not in the CSV: {unknown[:5]}"))
    if issues:
        raise InputFileError(issues, label)
    out = []
    for name, optimum, rel, _line in chosen:
        inst = read_binpack(csv_path.parent / rel)
        out.append(BinPackingInstance(name, inst.sizes, inst.capacity, optimum, inst.path))
    return out
