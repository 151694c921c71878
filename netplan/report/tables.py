"""Write result tables so that Excel and pandas both read them, Chinese included."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

__all__ = ["write_csv", "markdown_table", "markdown_text", "write_workbook"]

#: Cells of a table copied into the workbook at most (bigger ones stay in their CSV: nobody
#: reads 40,000 link loads in Excel, and writing them takes longer than the planning).
WORKBOOK_MAX_CELLS = 100_000


def write_csv(df: pd.DataFrame, path: Path, *, index: bool = False) -> Path:
    """Write ``df`` as UTF-8 CSV with a BOM (Excel then shows Chinese correctly).

    Text that starts like a formula (a system named ``=HYPERLINK(…)``, ``+1+1``, ``@SUM(A1)``)
    is written with a leading ``'`` so that no spreadsheet runs it; numbers are unchanged
    (:func:`netplan.io.cells.csv_frame`).
    """
    from netplan.io.cells import csv_frame

    csv_frame(df, index=index).to_csv(path, index=index, encoding="utf-8-sig")
    return path


def markdown_text(text: object) -> str:
    r"""``text`` from an input (a name, a sentence naming one) made inert in Markdown.

    ``<``, ``>`` and ``&`` become entities (no HTML gets through to a Markdown viewer) and
    ``[``, ``]`` are backslash-escaped (no link or image: a site named
    ``[x](javascript:alert(1))`` stays text). Emphasis and code marks are left alone.

    >>> print(markdown_text("<script>alert(1)</script> [x](javascript:alert(1))"))
    &lt;script&gt;alert(1)&lt;/script&gt; \[x\](javascript:alert(1))
    """
    out = html.escape(str(text), quote=False)
    return out.replace("[", "\\[").replace("]", "\\]")


def markdown_table(df: pd.DataFrame, *, max_rows: int = 40) -> str:
    """A GitHub-flavoured Markdown table of ``df`` (first ``max_rows`` rows), escaping pipes."""
    shown = df.head(max_rows)

    def cell(v: object) -> str:
        if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
            return ""
        if isinstance(v, float):
            return f"{v:.6g}"
        text = markdown_text(v)  # names are untrusted: no HTML, no link gets through
        return text.replace("|", "\\|").replace("\n", " ")

    cols = [str(c) for c in shown.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in shown.itertuples(index=False, name=None):
        lines.append("| " + " | ".join(cell(v) for v in row) + " |")
    if len(df) > max_rows:
        lines.append(f"\n({len(df) - max_rows} more rows in the CSV)")
    return "\n".join(lines)


def _read_back(path: Path) -> pd.DataFrame:
    """A CSV written by :func:`write_csv`, its text without the formula guard (``'``)."""
    from netplan.io.cells import uncsv_text

    df = pd.read_csv(path, encoding="utf-8-sig", low_memory=False)
    df.columns = [uncsv_text(c) if isinstance(c, str) else c for c in df.columns]
    for i in range(df.shape[1]):
        col = df.iloc[:, i]
        if col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
            df.isetitem(i, col.map(lambda v: uncsv_text(v) if isinstance(v, str) else v))
    return df


def write_workbook(folder: Path, files: list[str], path: Path) -> Path:
    """One XLSX workbook with a sheet per CSV table of ``files`` (paths under ``folder``).

    Sheet names are the tables' paths (``topology-reachability``), shortened to Excel's 31
    characters and made unique; a contents sheet lists every table with its sheet, rows and
    columns. A table of more than :data:`WORKBOOK_MAX_CELLS` cells (the link loads of every
    state, the per-case time series) is listed there and left in its CSV. Text is written as
    text: a value that starts like a formula (a unit named ``=HYPERLINK(…)``) or looks like a
    URL stays a plain string.
    """
    from netplan.io.bureau_xlsx import sheet_name

    folder = Path(folder)
    taken: set[str] = {"contents"}
    contents = []
    tables = []
    for f in files:
        if not f.endswith(".csv"):
            continue
        df = _read_back(folder / f)
        row = {"table": f, "rows": len(df), "columns": df.shape[1]}
        if df.size > WORKBOOK_MAX_CELLS:
            contents.append({**row, "sheet": f"(over {WORKBOOK_MAX_CELLS:,} cells: the CSV)"})
            continue
        name = sheet_name(f.removesuffix(".csv").replace("/", "-"), taken)
        contents.append({**row, "sheet": name})
        tables.append((name, df))
    from netplan.io.cells import write_xlsx

    index = pd.DataFrame(contents, columns=["table", "sheet", "rows", "columns"])
    write_xlsx(path, [("contents", index), *tables], constant_memory=True)
    return path
