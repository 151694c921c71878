r"""The cells of every spreadsheet netplan writes: text stays text, and files are reproducible.

Names in netplan's tables come from planners' spreadsheets: a system, a department or a site
may be called ``=HYPERLINK("http://x","y")``. A spreadsheet program opening a CSV or an XLSX
runs such a cell as a formula (CSV/formula injection, OWASP). The rule, in one place:

- **CSV**: a text cell that begins with ``=``, ``+``, ``-``, ``@``, a TAB or a CR
  (:data:`FORMULA_START`) gets a leading apostrophe, ``'=HYPERLINK(...)`` — the spreadsheet
  programs' own mark for "this is text" (:func:`csv_text`). Text that is a plain number
  (``-12``, ``+3.5``, ``-1e-3``) is left as it is: a spreadsheet reads it as that number, never
  as a formula. Numbers (negative ones included) are numbers, never changed.
- **XLSX**: such text is written as a text cell (``t="s"``/``inlineStr``), never a formula,
  and without the apostrophe: the workbook keeps the name exactly (:func:`text_cell`,
  :func:`write_xlsx`).
- **Reading back** (netplan's inventory and progress readers): a cell that begins with an
  apostrophe followed by one of :data:`FORMULA_START` loses the apostrophe
  (:func:`uncsv_text`), so a CSV netplan wrote reads back equal to what was written; any
  other apostrophe is kept (``'t Hooft`` stays ``'t Hooft``).

Every XLSX is also reproducible: the same tables give byte-identical files
(:func:`fixed_datetime` as the creation and modification time, fixed times on the entries of
the zip archive).

Examples
--------
>>> csv_text('=HYPERLINK("http://x","y")'), csv_text("-1+1"), csv_text("-12.5"), csv_text(-3)
('\'=HYPERLINK("http://x","y")', "'-1+1", '-12.5', -3)
>>> uncsv_text(csv_text("@SUM(A1)"))
'@SUM(A1)'
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

__all__ = ["FORMULA_START", "starts_like_formula", "csv_text", "uncsv_text", "csv_frame",
           "text_cell", "save_openpyxl", "write_xlsx", "fixed_datetime", "DEFAULT_TIME"]

#: First characters that make a spreadsheet program read a cell as a formula (OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: The creation time written into workbooks when ``SOURCE_DATE_EPOCH`` is not set.
DEFAULT_TIME = dt.datetime(2000, 1, 1)
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def starts_like_formula(text: str) -> bool:
    """Whether the text ``text`` would be read as a formula (a plain number is not).

    >>> starts_like_formula("+1+1"), starts_like_formula("+1"), starts_like_formula("梅州")
    (True, False, False)
    """
    return text[:1] in FORMULA_START and _NUMBER.fullmatch(text) is None


def csv_text(value: object) -> object:
    """``value`` as written to a CSV cell: text that starts like a formula gets a ``'``.

    Anything but a ``str`` (numbers, dates, missing values) is returned unchanged.

    >>> csv_text("=1+1"), csv_text("1+1"), csv_text(-1.5)
    ("'=1+1", '1+1', -1.5)
    """
    if isinstance(value, str) and starts_like_formula(value):
        return "'" + value
    return value


def uncsv_text(text: str) -> str:
    """The text of a CSV cell netplan (or a spreadsheet program) guarded with ``'``.

    >>> uncsv_text("'=1+1"), uncsv_text("'t Hooft"), uncsv_text("=1+1")
    ('=1+1', "'t Hooft", '=1+1')
    """
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_START else text


def csv_frame(df, *, index: bool = False):
    """A copy of the ``pandas.DataFrame`` ``df`` whose text cells and labels pass :func:`csv_text`.

    Text columns (``str``, ``object`` and categorical ones) and the column names are
    guarded, the index too when ``index``; numeric columns are not touched (their negative
    numbers stay numbers).

    >>> import pandas as pd
    >>> csv_frame(pd.DataFrame({"name": ["=A1", "ok"], "x": [-1, 2]})).to_dict("list")
    {'name': ["'=A1", 'ok'], 'x': [-1, 2]}
    """
    import pandas as pd

    def texty(s) -> bool:
        return (isinstance(s.dtype, pd.CategoricalDtype) or s.dtype == object
                or pd.api.types.is_string_dtype(s.dtype))

    out = df.copy(deep=False)
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if texty(col):
            out.isetitem(i, col.astype(object).map(csv_text))
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = out.columns.map(lambda t: tuple(csv_text(x) for x in t))
    else:
        out.columns = [csv_text(c) for c in out.columns]
    if index:
        if isinstance(out.index, pd.MultiIndex):
            out.index = out.index.map(lambda t: tuple(csv_text(x) for x in t))
            out.index.names = [csv_text(n) for n in df.index.names]
        elif texty(out.index.to_series()):
            out.index = pd.Index([csv_text(x) for x in out.index], name=csv_text(df.index.name))
        else:
            out.index = out.index.rename(csv_text(df.index.name))
    return out


def text_cell(cell):
    """Make the openpyxl ``cell`` a text cell when its value is text; return the cell.

    openpyxl turns any string that begins with ``=`` into a formula; this sets it back to
    text. Use it on every cell a writer fills with text from an input.
    """
    if isinstance(cell.value, str) and cell.value[:1] in FORMULA_START:
        cell.data_type = "s"  # text, never a formula
    return cell


def fixed_datetime() -> dt.datetime:
    """The time written into files as their creation time: ``SOURCE_DATE_EPOCH`` or 2000-01-01.

    ``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC; https://reproducible-builds.org) is the
    convention of reproducible builds. The value is naive UTC, as workbooks store it.

    Raises
    ------
    ValueError
        When ``SOURCE_DATE_EPOCH`` is set but not a whole number of seconds.

    >>> fixed_datetime() if "SOURCE_DATE_EPOCH" not in os.environ else DEFAULT_TIME
    datetime.datetime(2000, 1, 1, 0, 0)
    """
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return DEFAULT_TIME
    try:
        seconds = int(raw)
    except ValueError:
        raise ValueError(f"SOURCE_DATE_EPOCH={raw!r} must be a whole number of seconds since "
                         "1970-01-01 UTC; unset it or set e.g. SOURCE_DATE_EPOCH=946684800"
                         ) from None
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).replace(tzinfo=None)


def _zip_time() -> tuple[int, int, int, int, int, int]:
    t = max(fixed_datetime(), dt.datetime(1980, 1, 1))  # the zip format starts in 1980
    return (t.year, t.month, t.day, t.hour, t.minute, t.second)


class _FixedTimeZip(zipfile.ZipFile):
    """A zip archive whose entries all carry :func:`fixed_datetime` instead of the clock."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=_zip_time())
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        self.writestr(arcname or Path(filename).name, Path(filename).read_bytes(),
                      compress_type, compresslevel)


def save_openpyxl(wb, path: str | os.PathLike) -> Path:
    """Save the openpyxl workbook ``wb`` to ``path`` reproducibly; return the path.

    openpyxl's ``Workbook.save`` stamps the file with the clock (the modification time in
    ``docProps/core.xml`` and the time of every zip entry); this writes
    :func:`fixed_datetime` instead, so that the same workbook gives the same bytes.

    >>> import openpyxl, tempfile, pathlib, zipfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.xlsx"
    >>> wb = openpyxl.Workbook(); wb.active["A1"] = "x"
    >>> _ = save_openpyxl(wb, p)
    >>> zipfile.ZipFile(p).infolist()[0].date_time == _zip_time()
    True
    """
    from openpyxl.writer.excel import ExcelWriter

    when = fixed_datetime()
    wb.properties.created = when
    wb.properties.modified = when
    path = Path(path)
    archive = _FixedTimeZip(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()  # closes the archive
    return path


def _xlsx_value(v: object) -> object:
    import math

    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    try:
        import pandas as pd

        if v is pd.NA or v is pd.NaT:
            return None
    except ImportError:  # pragma: no cover - pandas is a dependency
        pass
    if hasattr(v, "item") and not isinstance(v, str | bytes):  # numpy scalars
        v = v.item()
    return v


def write_xlsx(path: str | os.PathLike, sheets: Mapping[str, object] | Iterable, *,
               constant_memory: bool = False) -> Path:
    r"""Write tables as the sheets of one XLSX workbook, text as text, reproducibly.

    Text is always a text cell (``=HYPERLINK(...)`` is a name, not a formula; a URL is not a
    link; ``"12"`` is not turned into a number), numbers are numbers, dates are dates
    (``yyyy-mm-dd``), missing values are empty cells. The header is bold and frozen. The file's
    creation time is :func:`fixed_datetime`, so the same tables give the same bytes.

    Parameters
    ----------
    path : str or os.PathLike
        The workbook to write.
    sheets : mapping of str to pandas.DataFrame, or iterable of (name, DataFrame)
        Sheet names must be valid Excel names (at most 31 characters, no ``[]:*?/\``); the
        frames are written without their index.
    constant_memory : bool
        Stream the rows to the file (for big tables: little memory).

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib, openpyxl
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.xlsx"
    >>> _ = write_xlsx(p, {"s": pd.DataFrame({"name": ["=1+1"], "x": [-2]})})
    >>> c = openpyxl.load_workbook(p)["s"]["A2"]
    >>> c.value, c.data_type
    ('=1+1', 's')
    """
    import xlsxwriter

    items = list(sheets.items()) if isinstance(sheets, Mapping) else list(sheets)
    options = {"strings_to_formulas": False, "strings_to_urls": False,
               "strings_to_numbers": False, "nan_inf_to_errors": True,
               "constant_memory": constant_memory, "remove_timezone": True}
    path = Path(path)
    book = xlsxwriter.Workbook(str(path), options)
    try:
        book.set_properties({"created": fixed_datetime()})
        bold = book.add_format({"bold": True})
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        for name, df in items:
            ws = book.add_worksheet(name)
            for j, c in enumerate(df.columns):
                ws.write_string(0, j, str(c), bold)
            ws.freeze_panes(1, 0)
            columns = [df.iloc[:, j].to_numpy(object) for j in range(df.shape[1])]
            for r in range(len(df)):
                for j, col in enumerate(columns):
                    v = _xlsx_value(col[r])
                    if v is None:
                        continue
                    if isinstance(v, str):
                        ws.write_string(r + 1, j, v)
                    elif isinstance(v, bool):
                        ws.write_boolean(r + 1, j, v)
                    elif isinstance(v, int | float):
                        ws.write_number(r + 1, j, v)
                    elif isinstance(v, dt.datetime):
                        ws.write_datetime(r + 1, j, v, day if v == dt.datetime.combine(
                            v.date(), dt.time()) else stamp)
                    elif isinstance(v, dt.date):
                        ws.write_datetime(r + 1, j, v, day)
                    else:
                        ws.write_string(r + 1, j, str(v))
    finally:
        book.close()
    return path
