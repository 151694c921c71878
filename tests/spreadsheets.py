"""Checks on the spreadsheets netplan writes, for any test that has an output folder.

``assert_no_formulas(folder)`` walks a folder: no cell of any ``.xlsx`` is a formula, and no
field of any ``.csv`` starts with ``=``, ``+``, ``-``, ``@``, TAB or CR unless it is a number
(a spreadsheet reads ``-12.5`` as the number it is; ``-1+1`` would be a formula).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

#: What a spreadsheet program takes for the start of a formula (OWASP), spelt out here
#: independently of netplan.io.cells.
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and text.lower().lstrip("+-") not in ("inf", "nan", "infinity")


@dataclass
class Scanned:
    """What :func:`assert_no_formulas` read: the files and every text cell by its value."""

    xlsx: list[Path] = field(default_factory=list)
    csv: list[Path] = field(default_factory=list)
    cells: int = 0
    texts: set[str] = field(default_factory=set)  # every text cell, as the program shows it


def assert_no_formulas(folder: str | Path) -> Scanned:
    """Fail when a spreadsheet under ``folder`` holds a formula; return what was read.

    ``texts`` holds every XLSX text cell and every CSV field with a leading ``'`` removed when
    it guards a dangerous first character (as Excel shows it), so a test can check that a
    hostile name is there, written as text.
    """
    import openpyxl

    folder = Path(folder)
    out = Scanned()
    bad: list[str] = []
    for path in sorted(folder.rglob("*.xlsx")):
        out.xlsx.append(path)
        wb = openpyxl.load_workbook(path)  # not data_only: formulas stay formulas
        try:
            for ws in wb.worksheets:
                for row in ws.iter_rows():
                    for c in row:
                        out.cells += 1
                        if c.data_type == "f":
                            bad.append(f"{path.relative_to(folder)}!{ws.title}!{c.coordinate}: "
                                       f"formula {c.value!r}")
                        elif isinstance(c.value, str):
                            out.texts.add(c.value)
        finally:
            wb.close()
    for path in sorted(folder.rglob("*.csv")):
        out.csv.append(path)
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for i, row in enumerate(csv.reader(fh), start=1):
                for v in row:
                    out.cells += 1
                    if v[:1] in DANGEROUS_START and not _is_number(v):
                        bad.append(f"{path.relative_to(folder)} line {i}: field {v!r}")
                    elif v[:1] == "'" and v[1:2] in DANGEROUS_START:
                        out.texts.add(v[1:])
                    else:
                        out.texts.add(v)
    assert not bad, "cells a spreadsheet runs as formulas:\n" + "\n".join(bad[:20])
    return out
