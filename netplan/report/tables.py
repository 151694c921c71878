"""Write result tables so that Excel and pandas both read them, Chinese included."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

__all__ = ["write_csv", "markdown_table"]


def write_csv(df: pd.DataFrame, path: Path, *, index: bool = False) -> Path:
    """Write ``df`` as UTF-8 CSV with a BOM (Excel then shows Chinese correctly)."""
    df.to_csv(path, index=index, encoding="utf-8-sig")
    return path


def markdown_table(df: pd.DataFrame, *, max_rows: int = 40) -> str:
    """A GitHub-flavoured Markdown table of ``df`` (first ``max_rows`` rows), escaping pipes."""
    shown = df.head(max_rows)

    def cell(v: object) -> str:
        if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
            return ""
        if isinstance(v, float):
            return f"{v:.6g}"
        text = html.escape(str(v), quote=False)  # names are untrusted: no HTML gets through
        return text.replace("|", "\\|").replace("\n", " ")

    cols = [str(c) for c in shown.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in shown.itertuples(index=False, name=None):
        lines.append("| " + " | ".join(cell(v) for v in row) + " |")
    if len(df) > max_rows:
        lines.append(f"\n({len(df) - max_rows} more rows in the CSV)")
    return "\n".join(lines)
