"""Read and write system inventories (政务信息系统情况清单) and the three lists (三张清单).

An inventory is a table with one row per system: CSV (UTF-8, UTF-8 with BOM, or GBK/GB18030) or
XLSX, headers in Chinese or English (:data:`INVENTORY_COLUMN_ALIASES`). :func:`read_inventory`
reports every problem of every row at once, located as ``systems.csv row 7, column 内存GB``
(spreadsheet row numbers: the header is row 1), quoting the value and saying what to write.
:func:`write_inventory` writes what :func:`read_inventory` reads back unchanged, and
:func:`write_three_lists` writes the lists of :func:`netplan.migration.triage.three_lists`.

Text cells that a spreadsheet would run as a formula (starting with ``= + - @``) are written with
a leading ``'`` in CSV (stripped again on reading) and as plain text in XLSX.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import math
import re
import warnings
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import annotated_types
from pydantic import ValidationError

from netplan.errors import InputFileError, Issue, ScenarioError
from netplan.io import scenario_yaml as _limits  # MAX_TABLE_ROWS...: one place, read at call time
from netplan.io._table import _Table
from netplan.io.cells import csv_text, save_openpyxl, text_cell, uncsv_text
from netplan.io.scenario_yaml import check_file_size, read_text
from netplan.migration.inventory import (
    NETWORKS,
    USAGE_FREQUENCIES,
    USAGE_SCOPES,
    Inventory,
    System,
    check_systems,
    default_system_id,
)
from netplan.migration.triage import THREE_LISTS

if TYPE_CHECKING:  # imported where used: reading files starts fast
    import pandas as pd

__all__ = [
    "read_inventory",
    "write_inventory",
    "write_three_lists",
    "INVENTORY_HEADERS_ZH",
    "INVENTORY_COLUMN_ALIASES",
    "LIST_HEADERS_ZH",
    "ENCODINGS",
]

#: The Chinese header of each inventory column, as :func:`write_inventory` writes it.
INVENTORY_HEADERS_ZH = {
    "system_id": "系统编号",
    "name": "系统名称",
    "department": "所属部门",
    "function": "主要功能",
    "usage_scope": "使用范围",
    "usage_frequency": "使用频度",
    "approving_department": "审批部门",
    "approval_date": "审批时间",
    "funding_source": "经费来源",
    "builder": "承建单位",
    "operator": "运维单位",
    "network": "使用网络",
    "tier": "层级",
    "site": "服务区域",
    "vcpu": "vCPU",
    "memory_gb": "内存GB",
    "storage_tb": "存储TB",
    "data_tb": "迁移数据量TB",
    "traffic_mbps": "业务流量Mbps",
    "criticality": "重要程度",
    "risk": "风险等级",
    "depends_on": "依赖系统",
    "last_update": "最近更新",
    "last_used": "最近使用",
    "idle_pct": "资源闲置率",
    "replaceable_by": "可替代系统",
    "classified": "涉密",
    "on_cloud": "已上云",
    "platform_connected": "已接入共享平台",
    "migration_weeks": "迁移周数",
}
assert list(INVENTORY_HEADERS_ZH) == list(System.model_fields)

#: Every header :func:`read_inventory` understands → the column it stands for. Headers are
#: compared after removing spaces, ``_``, ``-``, brackets and ``%`` and ignoring case, so
#: ``内存(GB)``, ``内存 GB`` and ``Memory_GB`` all mean ``memory_gb``.
INVENTORY_COLUMN_ALIASES = {
    **{zh: f for f, zh in INVENTORY_HEADERS_ZH.items()},
    **{f: f for f in INVENTORY_HEADERS_ZH},
    "编号": "system_id", "系统ID": "system_id", "ID": "system_id",
    "名称": "name", "部门": "department", "单位": "department", "所属单位": "department",
    "功能": "function", "审批日期": "approval_date", "使用网络类型": "network",
    "区域": "site", "CPU": "vcpu", "CPU核数": "vcpu", "内存": "memory_gb",
    "存储": "storage_tb", "数据量TB": "data_tb", "流量Mbps": "traffic_mbps",
    "重要性": "criticality", "风险": "risk", "依赖": "depends_on",
    "最近更新时间": "last_update", "最近使用时间": "last_used", "闲置率": "idle_pct",
    "替代系统": "replaceable_by", "是否涉密": "classified", "是否已上云": "on_cloud",
    "已接入共享交换平台": "platform_connected", "是否已接入共享平台": "platform_connected",
    "迁移工作量周": "migration_weeks",
}

#: Chinese headers of the triage columns in the lists (inventory columns as above).
LIST_HEADERS_ZH = {
    **INVENTORY_HEADERS_ZH,
    "disposition": "处置方式",
    "target": "整合目标",
    "criteria": "符合的僵尸系统条件",
    "evidence": "依据",
    "notes": "备注",
    "absorbs": "整合并入的系统",
}

#: Encodings :func:`read_inventory` accepts for CSV (``"auto"``: UTF-8 with or without BOM,
#: else GB18030, which includes GBK).
ENCODINGS = ("auto", "utf-8", "utf-8-sig", "gbk", "gb18030")

_REQUIRED = ("name", "department")
_FILE_NAMES = {
    "zh": {"inventory": "1_政务信息系统情况清单", "cleanup": "2_需整合和清理的系统清单",
           "platform": "3_接入共享交换平台的系统清单", "workbook": "三张清单"},
    "en": {"inventory": "1_system_inventory", "cleanup": "2_integrate_and_retire",
           "platform": "3_platform_connection", "workbook": "three_lists"},
}
_SHEET_NAMES = {"zh": THREE_LISTS,
                "en": {"inventory": "inventory", "cleanup": "integrate_and_retire",
                       "platform": "platform_connection"}}
_DISPOSITION_ZH = {"retire": "清理", "integrate": "整合", "migrate": "迁移上云", "keep": "保留"}
_TIER_ZH = {"city": "市级", "county": "县级"}
_TIER_WORDS = {"city": "city", "市": "city", "市级": "city", "市直": "city",
               "county": "county", "县": "county", "县级": "county", "区县": "county",
               "县区": "county", "县(市、区)": "county", "县（市、区）": "county"}
_TRUE = {"是", "y", "yes", "true", "t", "1", "√"}
_FALSE = {"否", "n", "no", "false", "f", "0", "×"}
_DATE_RE = re.compile(r"^(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2})\s*日?"
                      r"(?:[ T]00:00(?::00)?)?$")
_SPLIT_RE = re.compile(r"[;；,，\n]+")


def _norm(header: str) -> str:
    return re.sub(r"[\s_\-()（）\[\]【】%％]", "", header).lower()


_ALIASES = {_norm(h): f for h, f in INVENTORY_COLUMN_ALIASES.items()}


# --------------------------------------------------------------------------- cells


class _Bad(Exception):
    """A cell that cannot be read: message and hint of its issue."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


def _bounds(name: str) -> tuple[float | None, float | None]:
    lo = hi = None
    for m in System.model_fields[name].metadata:
        if isinstance(m, annotated_types.Ge):
            lo = m.ge
        elif isinstance(m, annotated_types.Le):
            hi = m.le
    return lo, hi


def _number(header: str, text: str, example: str, *, whole: bool, lo, hi) -> float | int:
    t = text.replace(",", "")
    if header == "idle_pct":
        t = t.rstrip("%％").strip()
    try:
        v = float(t)
    except ValueError:
        v = math.nan
    if not math.isfinite(v):
        raise _Bad(f'"{text}" is not a number', f"write a plain number, e.g. {example}")
    if whole and not v.is_integer():
        raise _Bad(f'"{text}" is not a whole number', f"write a whole number, e.g. {example}")
    rng = (f"from {lo:g} to {hi:g}" if lo is not None and hi is not None
           else f">= {lo:g}" if lo is not None else "")
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        raise _Bad(f"{text} is out of range", f"write a number {rng}, e.g. {example}")
    return int(v) if whole else v


def _date(text: str) -> dt.date:
    m = _DATE_RE.match(text)
    hint = "write it as 2020-06-30, 2020/6/30 or 2020年6月30日"
    if m is None:
        raise _Bad(f'"{text}" is not a date', hint)
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        raise _Bad(f'"{text}" is not a date ({exc})', hint) from None


def _bool(text: str) -> bool:
    t = text.strip().lower()
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    raise _Bad(f'"{text}" is not yes or no', "write 是 or 否 (or Y/N, true/false, 1/0)")


def _choice(text: str, choices: tuple[str, ...]) -> str:
    if text in choices:
        return text
    close = difflib.get_close_matches(text, choices, n=1, cutoff=0.5)
    hint = f"did you mean {close[0]}? " if close else ""
    raise _Bad(f'"{text}" is not one of the allowed values', f"{hint}write one of "
               f"{'/'.join(choices)}")


def _tier(text: str) -> str:
    tier = _TIER_WORDS.get(text.strip().lower())
    if tier is None:
        raise _Bad(f'"{text}" is not a tier', "write 市级 or 县级 (city or county)")
    return tier


_EXAMPLES = {"vcpu": "8", "memory_gb": "16", "storage_tb": "1.5", "data_tb": "0.8",
             "traffic_mbps": "20", "criticality": "3", "risk": "2", "idle_pct": "35",
             "migration_weeks": "3"}
_WHOLE = ("vcpu", "criticality", "risk", "migration_weeks")
_CHOICES = {"usage_scope": USAGE_SCOPES, "usage_frequency": USAGE_FREQUENCIES,
            "network": NETWORKS}
_DATES = ("approval_date", "last_update", "last_used")
_BOOLS = ("classified", "on_cloud", "platform_connected")


def _parse(col: str, text: str) -> object:
    """The value of one non-empty cell of column ``col`` (``depends_on`` stays text)."""
    if col in _EXAMPLES:
        lo, hi = _bounds(col)
        return _number(col, text, _EXAMPLES[col], whole=col in _WHOLE, lo=lo, hi=hi)
    if col in _CHOICES:
        return _choice(text, _CHOICES[col])
    if col in _DATES:
        return _date(text)
    if col in _BOOLS:
        return _bool(text)
    if col == "tier":
        return _tier(text)
    return text




def _xlsx_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


# --------------------------------------------------------------------------- reading


def _csv_cells(path: Path, encoding: str, issues: list[Issue]) -> list[list[str]] | None:
    where = path.name
    if encoding == "auto":
        try:
            text = read_text(path)
        except ScenarioError as exc:
            issues.extend(Issue(where, i.message.replace("a scenario is a YAML", "an inventory "
                                                         "is a CSV"), i.hint)
                          for i in exc.issues)
            return None
    else:
        try:
            check_file_size(path)
            raw = path.read_bytes()
        except ScenarioError as exc:
            issues.extend(Issue(where, i.message, i.hint) for i in exc.issues)
            return None
        except OSError as exc:
            issues.append(Issue(where, f"cannot read the file: {exc.strerror or exc}"))
            return None
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            issues.append(Issue(where, f"byte {exc.start} is not valid {encoding} text",
                                "pass encoding='auto', or the encoding the file was saved in"))
            return None
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    if "\x00" in text:  # an explicit encoding skips read_text's check; csv refuses NULs
        issues.append(Issue(where, "the file is binary (it holds NUL bytes), not text",
                            "save it from the spreadsheet program as CSV (UTF-8) or .xlsx"))
        return None
    rows: list[list[str]] = []
    try:
        for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(rows) == _limits.MAX_TABLE_ROWS:
                issues.append(_too_many_rows(where))
                return None
            rows.append([uncsv_text(c.strip()) for c in r])
    except csv.Error as exc:
        issues.append(Issue(where, f"not a valid CSV table: {exc}",
                            "check the quotes: a quoted cell must end with a quote"))
        return None
    return rows


def _too_many_rows(where: str, what: str = "rows") -> Issue:
    limit = _limits.MAX_TABLE_ROWS if what == "rows" else _limits.MAX_TABLE_CELLS
    return Issue(where, f"the table has more than {limit:,} {what} (blank ones included), "
                 "more than netplan reads", "check that it is the right file, delete the "
                 "blank rows and columns below and beside the table, or split it by region")


def _check_unzipped(path: Path) -> str | None:
    """Why an XLSX file must not be opened (too large once unzipped), or None."""
    try:
        with zipfile.ZipFile(path) as z:
            unzipped = sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, OSError):
        return None  # openpyxl says what is wrong
    if unzipped > _limits.MAX_UNZIPPED_BYTES:
        return (f"the workbook unzips to {unzipped:,} bytes, above the "
                f"{_limits.MAX_UNZIPPED_BYTES:,}-byte limit netplan reads")
    return None


def _xlsx_cells(path: Path, issues: list[Issue]) -> list[list[str]] | None:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    where = path.name
    try:
        check_file_size(path)
    except ScenarioError as exc:
        issues.extend(Issue(where, i.message, i.hint) for i in exc.issues)
        return None
    too_big = _check_unzipped(path)
    if too_big:
        issues.append(Issue(where, too_big, "check that it is the right file, or save the "
                            "inventory sheet alone as CSV"))
        return None
    try:
        with warnings.catch_warnings():
            # e.g. "Workbook contains no default style" from files saved by other programs
            warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
            # read_only: the sheet is streamed, not held whole in memory
            wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    except FileNotFoundError:
        issues.append(Issue(where, f"file not found: {path}"))
        return None
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        issues.append(Issue(where, f"not a readable XLSX workbook ({exc})",
                            "save it from the spreadsheet program as .xlsx, or as CSV"))
        return None
    try:
        sheets = wb.worksheets
        ws = next((s for s in sheets if s.title.strip().lower() in ("系统清单", "inventory")),
                  sheets[0] if sheets else None)
        if ws is None:
            issues.append(Issue(where, "the workbook has no worksheet"))
            return None
        ws.reset_dimensions()  # trust the cells, not the sheet's declared size
        rows: list[list[str]] = []
        n_cells = 0
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
            for r in ws.iter_rows(min_row=1, values_only=True):
                n_cells += len(r)
                full = len(rows) == _limits.MAX_TABLE_ROWS
                if full or n_cells > _limits.MAX_TABLE_CELLS:
                    issues.append(_too_many_rows(where, "rows" if full else "cells"))
                    return None
                rows.append([uncsv_text(_xlsx_text(v)) for v in r])
        return rows
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
        # read_only mode parses the sheet while iterating: damage shows up here
        issues.append(Issue(where, f"not a readable XLSX workbook ({exc})",
                            "save it from the spreadsheet program as .xlsx, or as CSV"))
        return None
    finally:
        wb.close()


def _table(path: Path, cells: list[list[str]], issues: list[Issue]) -> _Table | None:
    """Map the header to columns and keep the non-blank rows; header problems give None."""
    where = path.name
    header_hint = (f"the first row must name the columns {INVENTORY_HEADERS_ZH['name']} and "
                   f"{INVENTORY_HEADERS_ZH['department']} (or name and department), then any "
                   "of the other inventory columns")
    while cells and not any(cells[-1]):
        cells.pop()
    if not cells:
        issues.append(Issue(where, "the file is empty", f"{header_hint}; then one row per system"))
        return None
    # A title row (梅州市XX局政务信息系统情况清单) may sit above the header: the header is the
    # first of the first rows that names both required columns, else the first non-blank row.
    start = next((k for k, r in enumerate(cells[:10])
                  if {_ALIASES.get(_norm(h)) for h in r} >= set(_REQUIRED)),
                 next(k for k, r in enumerate(cells) if any(r)))
    header = cells[start]
    written: dict[str, str] = {}
    ok = True
    for h in header:
        if not h:
            continue
        col = _ALIASES.get(_norm(h))
        if col is None:
            close = difflib.get_close_matches(_norm(h), list(_ALIASES), n=1, cutoff=0.75)
            if close:
                col = _ALIASES[close[0]]
                issues.append(Issue(f"{where} header", f"unknown column {h!r}",
                                    f"did you mean {INVENTORY_HEADERS_ZH[col]} ({col})?"))
                ok = False
            continue  # other columns (备注, 联系人...) are ignored
        if col in written:
            issues.append(Issue(f"{where} header", f"column {col} appears twice (as "
                                f"{written[col]!r} and {h!r})", "keep one of them"))
            ok = False
        else:
            written[col] = h
    for col in _REQUIRED:
        if col not in written:
            issues.append(Issue(f"{where} header", f"missing required column "
                                f"{INVENTORY_HEADERS_ZH[col]} ({col})", header_hint))
            ok = False
    if not ok:
        return None
    position = {col: header.index(h) for col, h in written.items()}
    rows = []
    for i, r in enumerate(cells[start + 1:], start=start + 2):
        if not any(r):
            continue  # blank lines are skipped
        if len(r) > len(header) and any(r[len(header):]):
            issues.append(Issue(f"{where} row {i}", f"the row has {len(r)} cells but the header "
                                f"names {len(header)} columns",
                                "check for a stray comma, or quote cells that hold one"))
        rows.append((i, {col: (r[p] if p < len(r) else "") for col, p in position.items()}))
    if not rows:
        issues.append(Issue(where, "the file has a header but no rows", "add one row per system"))
        return None
    return _Table(path, rows, written)


def _split_ids(text: str, known: set[str]) -> list[str]:
    """Ids in a list cell: separated by ``; , 、`` (or their full-width forms, or line breaks).

    Names may contain ``、``, so between ``、`` the longest run of parts that is a known id is
    taken as one id.
    """
    out: list[str] = []
    for piece in _SPLIT_RE.split(text):
        parts = [p.strip() for p in piece.split("、")]
        k = 0
        while k < len(parts):
            m = next((m for m in range(len(parts), k + 1, -1)
                      if "、".join(parts[k:m]) in known), k + 1)
            sid = "、".join(parts[k:m])
            if sid:
                out.append(sid)
            k = m
    return out


def _systems(table: _Table, issues: list[Issue]) -> tuple[list[System], list[int], set[str]]:
    """Systems of the good rows, their row numbers, and the ids of rows that failed."""
    parsed: list[tuple[int, dict, bool]] = []
    ids: set[str] = set()
    for row, values in table.rows:
        kwargs: dict[str, object] = {}
        good = True
        for col, text in values.items():
            if not text or col == "depends_on":
                continue
            try:
                kwargs[col] = _parse(col, text)
            except _Bad as bad:
                issues.append(Issue(table.at(row, col), bad.message, bad.hint))
                good = False
        for col in _REQUIRED:
            if not values.get(col):
                issues.append(Issue(table.at(row, col),
                                    f"{INVENTORY_HEADERS_ZH[col]} ({col}) is empty",
                                    "every system needs a name and a department"))
                good = False
        if kwargs.get("name") and kwargs.get("department"):
            ids.add(str(kwargs.get("system_id") or default_system_id(str(kwargs["department"]),
                                                                      str(kwargs["name"]))))
        parsed.append((row, kwargs, good))
    systems: list[System] = []
    rows: list[int] = []
    failed: set[str] = set()
    for (row, kwargs, good), (_, values) in zip(parsed, table.rows, strict=True):
        if values.get("depends_on"):
            kwargs["depends_on"] = tuple(_split_ids(values["depends_on"], ids))
        system = None
        if good:
            try:
                system = System(**kwargs)
            except ValidationError as exc:
                for err in exc.errors():
                    col = str(err["loc"][0]) if err["loc"] else "system_id"
                    msg = str((err.get("ctx") or {}).get("error", err["msg"]))
                    issues.append(Issue(table.at(row, col), msg.removeprefix("Value error, ")))
        if system is None:
            if kwargs.get("name") and kwargs.get("department"):
                failed.add(str(kwargs.get("system_id") or default_system_id(
                    str(kwargs["department"]), str(kwargs["name"]))))
            continue
        systems.append(system)
        rows.append(row)
    return systems, rows, failed


def read_inventory(path: str | Path, *, encoding: str = "auto") -> Inventory:
    r"""Read a system inventory from a CSV or XLSX file.

    Parameters
    ----------
    path : str or pathlib.Path
        ``.csv`` (comma- or tab-separated) or ``.xlsx`` (the sheet named 系统清单 or
        ``inventory`` if there is one, else the first). The first row names the columns (or
        the first row naming 系统名称 and 所属部门, among the first ten: title rows above it are
        skipped), one row per system below it; blank rows are skipped. Columns (any order,
        Chinese or English, see :data:`INVENTORY_COLUMN_ALIASES`): 系统名称 (``name``) and
        所属部门 (``department``) are required, the others of
        :class:`~netplan.migration.inventory.System` optional, an empty cell meaning the
        field's default. Columns the inventory does not know (备注...)
        are ignored unless they look like a misspelt known one.
    encoding : {"auto", "utf-8", "utf-8-sig", "gbk", "gb18030"}
        Of a CSV file; ``"auto"`` reads UTF-8 (with or without BOM), else GB18030 (GBK).

    Returns
    -------
    Inventory
        Systems in file order, named after the file.

    Raises
    ------
    InputFileError
        Carrying one :class:`~netplan.errors.Issue` per problem, located as
        ``systems.csv row 7, column 内存GB`` (rows numbered as the spreadsheet shows them: the
        header is row 1 unless title rows sit above it) with the value and what to write: a
        missing, empty or unreadable file; a missing required, repeated or misspelt column
        (with "did you mean"); an empty name or department; a number, date, yes/no, tier,
        usage scope, frequency or network that cannot be read or is out of range; a duplicate
        system id; a ``depends_on`` or ``replaceable_by`` id that is not in the file (with
        close ids) or is the system itself; replacements that name each other in a cycle.
    ValueError
        For an ``encoding`` not in :data:`ENCODINGS`.

    Notes
    -----
    Yes/no cells accept 是/否, Y/N, yes/no, true/false, 1/0; dates ``2020-06-30``,
    ``2020/6/30`` or ``2020年6月30日``; tiers 市级/县级 or city/county; ``资源闲置率`` may end in
    ``%``. ``依赖系统`` lists ids separated by ``;``, ``,`` or ``、`` (``、`` only splits text
    that is not itself an id). A system without 系统编号 gets ``"<所属部门>/<系统名称>"``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "systems.csv"
    >>> _ = p.write_text("系统名称,所属部门,资源闲置率,依赖系统\n人口库,市公安局,90%,\n"
    ...                  "警务平台,市公安局,10,市公安局/人口库\n", encoding="utf-8-sig")
    >>> inv = read_inventory(p)
    >>> inv.ids, inv.by_id["市公安局/人口库"].idle_pct
    (('市公安局/人口库', '市公安局/警务平台'), 90.0)
    """
    if encoding not in ENCODINGS:
        raise ValueError(f"encoding {encoding!r} is not one of {', '.join(ENCODINGS)}")
    path = Path(path)
    issues: list[Issue] = []
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        cells = _xlsx_cells(path, issues)
    elif suffix in (".xls", ".et"):
        issues.append(Issue(path.name, f"{suffix} workbooks (old Excel/WPS format) cannot be read",
                            "save it as .xlsx or as CSV (UTF-8)"))
        cells = None
    else:
        cells = _csv_cells(path, encoding, issues)
    table = _table(path, cells, issues) if cells is not None else None
    if table is not None:
        systems, rows, failed = _systems(table, issues)
        issues.extend(check_systems(systems, locate=lambda i, col: table.at(rows[i], col),
                                    known_ids=failed))
    if issues:
        raise InputFileError(issues, str(path))
    return Inventory(tuple(systems), name=path.name)


# --------------------------------------------------------------------------- writing
#
# The formula guard of every cell is netplan.io.cells' (CSV: a leading ', XLSX: a text cell);
# the readers above undo it (uncsv_text), so a written inventory reads back equal.


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def _cell(col: str, v: object, language: str, *, xlsx: bool) -> object:
    """One value as written: text for CSV, a native value where XLSX has one."""
    import numpy as np

    if isinstance(v, np.generic):
        v = v.item()
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None if xlsx else ""
    if isinstance(v, bool):
        if language == "zh":
            return "是" if v else "否"
        return v if xlsx else ("true" if v else "false")
    if isinstance(v, dt.date):
        return v if xlsx else v.isoformat()
    if isinstance(v, int | float):
        return v if xlsx else _num(v)
    if isinstance(v, tuple | list):
        v = ";".join(str(x) for x in v)
    v = str(v)
    if language == "zh":
        if col == "tier":
            v = _TIER_ZH.get(v, v)
        elif col == "disposition":
            v = _DISPOSITION_ZH.get(v, v)
    return v if xlsx else csv_text(v)  # '=…' in CSV; a text cell in XLSX (_fill_sheet)


def _check_language(language: str) -> None:
    if language not in ("zh", "en"):
        raise ValueError(f"language {language!r} must be 'zh' or 'en'")


def _records(df: pd.DataFrame, language: str, *, xlsx: bool) -> tuple[list[str], list[list]]:
    """Header and rows of a list table (its index, ``system_id``, as the first column)."""
    flat = df.reset_index()
    columns = list(flat.columns)
    header = [LIST_HEADERS_ZH.get(c, c) if language == "zh" else c for c in columns]
    rows = [[_cell(c, v, language, xlsx=xlsx) for c, v in zip(columns, r, strict=True)]
            for r in flat.itertuples(index=False, name=None)]
    return header, rows


def _write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([csv_text(h) for h in header])
    w.writerows(rows)  # cells already guarded by _cell
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))


def _fill_sheet(ws, header: list[str], rows: list[list]) -> None:
    ws.append(header)
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows(min_row=1):
        for cell in row:
            text_cell(cell)  # text, never a formula
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    for i, h in enumerate(header, start=1):
        width = max([len(str(h))] + [len(str(r[i - 1] or "")) for r in rows[:200]])
        ws.column_dimensions[ws.cell(1, i).column_letter].width = min(max(8, 1.8 * width), 60)


def write_inventory(inventory: Inventory, path: str | Path, *, language: str = "zh") -> Path:
    """Write an inventory as CSV (UTF-8 with BOM, for Excel) or XLSX, by the file's suffix.

    :func:`read_inventory` reads the file back into an equal inventory.

    Parameters
    ----------
    inventory : Inventory
    path : str or pathlib.Path
        Ends in ``.csv`` or ``.xlsx``.
    language : {"zh", "en"}
        Headers in Chinese (:data:`INVENTORY_HEADERS_ZH`, yes/no as 是/否, tiers as 市级/县级) or
        English (field names, true/false, city/county).

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ValueError
        For another suffix or language.
    """
    _check_language(language)
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValueError(f"cannot write {path.name}: the file must end in .csv or .xlsx")
    df = inventory.to_frame()
    if suffix == ".csv":
        header, rows = _records(df, language, xlsx=False)
        _write_csv(path, header, rows)
        return path
    import openpyxl

    header, rows = _records(df, language, xlsx=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "系统清单" if language == "zh" else "inventory"
    _fill_sheet(ws, header, rows)
    save_openpyxl(wb, path)  # reproducible: no clock in the file
    return path


def write_three_lists(lists: dict[str, pd.DataFrame], out_dir: str | Path, *,
                      language: str = "zh") -> list[Path]:
    """Write the three lists as three CSV files (UTF-8 with BOM) and one XLSX of three sheets.

    Parameters
    ----------
    lists : dict of str to pandas.DataFrame
        As returned by :func:`netplan.migration.triage.three_lists` (keys ``inventory``,
        ``cleanup``, ``platform``).
    out_dir : str or pathlib.Path
        Created if missing.
    language : {"zh", "en"}
        Chinese headers, sheet and file names (``1_政务信息系统情况清单.csv`` ...
        ``三张清单.xlsx``; dispositions as 清理/整合/迁移上云/保留) or English ones
        (``1_system_inventory.csv`` ... ``three_lists.xlsx``).

    Returns
    -------
    list of pathlib.Path
        The three CSV files, then the workbook. The inventory file is one
        :func:`read_inventory` reads.

    Raises
    ------
    ValueError
        When a list is missing, or for another language.
    """
    import openpyxl

    _check_language(language)
    missing = [k for k in THREE_LISTS if k not in lists]
    if missing:
        raise ValueError(f"lists {missing} are missing; pass the result of three_lists()")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    names = _FILE_NAMES[language]
    paths = []
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for key in THREE_LISTS:
        header, rows = _records(lists[key], language, xlsx=False)
        path = out / f"{names[key]}.csv"
        _write_csv(path, header, rows)
        paths.append(path)
        header, rows = _records(lists[key], language, xlsx=True)
        _fill_sheet(wb.create_sheet(_SHEET_NAMES[language][key]), header, rows)
    book = out / f"{names['workbook']}.xlsx"
    save_openpyxl(wb, book)
    paths.append(book)
    return paths

