"""Write result tables so that Excel and pandas both read them, Chinese included."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

__all__ = ["write_csv", "markdown_table", "write_workbook"]

#: Rows of a worksheet at most (Excel's limit, the header row included).
EXCEL_MAX_ROWS = 1_048_576


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


def write_workbook(folder: Path, files: list[str], path: Path) -> Path:
    """One XLSX workbook with a sheet per CSV table of ``files`` (paths under ``folder``).

    Sheet names are the tables' paths (``topology-reachability``), shortened to Excel's 31
    characters and made unique; a contents sheet lists every table with its sheet and rows.
    A table longer than a sheet holds is listed there and left in its CSV. Text that starts
    like a formula (``=``, ``+``, ``-``, ``@``: a unit named ``=HYPERLINK(…)``) stays text.
    """
    from netplan.io.bureau_xlsx import sheet_name

    folder = Path(folder)
    taken: set[str] = {"contents"}
    contents = []
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        pd.DataFrame(columns=["table", "sheet", "rows"]).to_excel(xl, sheet_name="contents",
                                                                 index=False)
        for f in files:
            if not f.endswith(".csv"):
                continue
            df = pd.read_csv(folder / f, encoding="utf-8-sig", low_memory=False)
            if len(df) + 1 > EXCEL_MAX_ROWS:
                contents.append({"table": f, "sheet": "(too long: see the CSV)",
                                 "rows": len(df)})
                continue
            name = sheet_name(f.removesuffix(".csv").replace("/", "-"), taken)
            taken.add(name)
            df.to_excel(xl, sheet_name=name, index=False)
            _as_text(xl.sheets[name], df)
            contents.append({"table": f, "sheet": name, "rows": len(df)})
        pd.DataFrame(contents, columns=["table", "sheet", "rows"]).to_excel(
            xl, sheet_name="contents", index=False)
    return path


def _as_text(ws, df: pd.DataFrame) -> None:
    """Mark the cells of ``df``'s text that starts like a formula as text (openpyxl sheet)."""
    for j, col in enumerate(df.columns):
        if not (df[col].dtype == object or pd.api.types.is_string_dtype(df[col])):
            continue
        risky = df[col].map(lambda v: isinstance(v, str) and v[:1] in ("=", "+", "-", "@"))
        for i in risky.to_numpy().nonzero()[0]:
            ws.cell(row=int(i) + 2, column=j + 1).data_type = "s"
