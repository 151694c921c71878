"""A table read from a CSV or XLSX file as text, with its header mapped to canonical names.

Shared by the readers of topology, inventory and progress files (no heavy imports: the
command line's ``validate`` reads these without pandas).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["_Table"]


class _Table:
    """One CSV file's rows as text, with its header mapped to canonical column names."""

    def __init__(self, path: Path, rows: list[tuple[int, dict[str, str]]],
                 written: dict[str, str]):
        self.name = path.name
        self.rows = rows  # (spreadsheet row number, {canonical column: stripped text})
        self.written = written  # canonical column -> header as written in the file

    def at(self, row: int, column: str) -> str:
        return f"{self.name} row {row}, column {self.written.get(column, column)}"
