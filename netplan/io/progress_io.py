"""Read the progress file (工作进展台账): one row per thing done, for the quarterly report.

A progress file is a table (CSV in UTF-8, UTF-8 with BOM or GBK/GB18030, or XLSX) with one
row per event: ``item_kind`` (system|link|unit), ``item_id``, ``event``, ``date`` and an
optional ``note``, headers in English or Chinese (事项类型, 编号, 事件, 日期, 备注), events in
English or Chinese (已梳理, 已列入清单, 已提交方案, 已整合, 已下线, 已迁移上云, 已接入平台,
已升级). Rows whose first cell starts with ``#`` are comments. :func:`read_progress` reports
every problem of every row at once, located as ``progress.csv row 7, column 编号``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from netplan.errors import InputFileError, Issue
from netplan.io._table import _Table
from netplan.io.inventory_io import ENCODINGS, _Bad, _csv_cells, _date, _norm, _xlsx_cells
from netplan.migration.progress import (
    EVENTS,
    ITEM_KINDS,
    ProgressEvent,
    ProgressLog,
    check_progress,
)

__all__ = ["read_progress", "PROGRESS_HEADERS_ZH", "PROGRESS_COLUMN_ALIASES", "EVENT_ALIASES"]

#: The Chinese header of each column of a progress file.
PROGRESS_HEADERS_ZH = {"item_kind": "事项类型", "item_id": "编号", "event": "事件",
                       "date": "日期", "note": "备注"}

#: Every header :func:`read_progress` understands → its column (compared ignoring case,
#: spaces, ``_``, ``-`` and brackets).
PROGRESS_COLUMN_ALIASES = {
    **{zh: col for col, zh in PROGRESS_HEADERS_ZH.items()},
    **{col: col for col in PROGRESS_HEADERS_ZH},
    "类型": "item_kind", "kind": "item_kind", "事项": "item_kind",
    "事项编号": "item_id", "系统编号": "item_id", "链路编号": "item_id", "id": "item_id",
    "进展": "event", "事项进展": "event", "完成事项": "event",
    "完成日期": "date", "完成时间": "date", "时间": "date",
    "说明": "note", "notes": "note",
}

#: Event names :func:`read_progress` understands → the event (English keys too).
EVENT_ALIASES = {
    **{zh: key for key, (zh, _) in EVENTS.items()},
    **{key: key for key in EVENTS},
    "梳理": "inventoried", "已完成梳理": "inventoried",
    "列入清单": "listed", "已列入三张清单": "listed",
    "提交方案": "plan_submitted", "已提交迁移方案": "plan_submitted",
    "已提交上云计划": "plan_submitted", "已提交计划": "plan_submitted",
    "整合": "integrated", "下线": "retired", "已清理": "retired", "清理": "retired",
    "迁移上云": "migrated", "已上云": "migrated", "已迁移": "migrated",
    "接入平台": "connected", "已接入共享交换平台": "connected", "已接入": "connected",
    "升级": "upgraded", "已扩容": "upgraded",
}

_KIND_ALIASES = {**{zh: k for k, zh in ITEM_KINDS.items()}, **{k: k for k in ITEM_KINDS},
                 "线路": "link", "链接": "link", "部门": "unit", "信息系统": "system"}
_ALIASES = {_norm(h): c for h, c in PROGRESS_COLUMN_ALIASES.items()}
_REQUIRED = ("item_id", "event", "date")


def _row_of(issue: Issue) -> int:
    """The row an issue is located at (0 for the file or its header), to report in order."""
    m = re.search(r" row (\d+),", issue.path)
    return int(m[1]) if m else 0


def _header(cells: list[list[str]]) -> int | None:
    for k, r in enumerate(cells[:12]):
        if r and r[0].startswith("#"):
            continue
        if {_ALIASES.get(_norm(h)) for h in r} >= set(_REQUIRED):
            return k
    return None


def _table(path: Path, cells: list[list[str]], issues: list[Issue]) -> _Table | None:
    where = path.name
    hint = ("the first row must name the columns 编号, 事件 and 日期 (or item_id, event, date), "
            "and may name 事项类型 (item_kind) and 备注 (note)")
    while cells and not any(cells[-1]):
        cells.pop()
    if not any(any(r) for r in cells):
        issues.append(Issue(where, "the file is empty", f"{hint}; then one row per event"))
        return None
    start = _header(cells)
    if start is None:
        issues.append(Issue(f"{where} header", "no header row naming 编号, 事件 and 日期", hint))
        return None
    header = cells[start]
    written: dict[str, str] = {}
    for h in header:
        col = _ALIASES.get(_norm(h)) if h else None
        if col is None:
            continue
        if col in written:
            issues.append(Issue(f"{where} header", f"column {col} appears twice (as "
                                f"{written[col]!r} and {h!r})", "keep one of them"))
            return None
        written[col] = h
    position = {col: header.index(h) for col, h in written.items()}
    rows = []
    for i, r in enumerate(cells[start + 1:], start=start + 2):
        if not any(r) or r[0].startswith("#"):
            continue
        rows.append((i, {col: (r[p] if p < len(r) else "") for col, p in position.items()}))
    return _Table(path, rows, written)


def _kind(text: str, item_id: str) -> str:
    if not text:
        return "link" if " -- " in item_id else "system"
    kind = _KIND_ALIASES.get(text.strip().lower())
    if kind is None:
        raise _Bad(f'"{text}" is not an item kind', "write 系统 (system), 链路 (link) or "
                   "单位 (unit)")
    return kind


def _event(text: str) -> str:
    event = EVENT_ALIASES.get(text.strip()) or EVENT_ALIASES.get(text.strip().lower())
    if event is None:
        raise _Bad(f'"{text}" is not an event', "write one of " + "、".join(
            zh for zh, _ in EVENTS.values()) + " (or " + ", ".join(EVENTS) + ")")
    return event


def read_progress(path: str | Path, *, inventory=None, topology=None,
                  as_of: dt.date | None = None, encoding: str = "auto") -> ProgressLog:
    r"""Read a progress file (CSV or XLSX) into a :class:`~netplan.migration.progress.ProgressLog`.

    Parameters
    ----------
    path : str or pathlib.Path
        ``.csv`` or ``.xlsx`` (its first sheet). The header is the first row (after comment
        rows starting with ``#`` and title rows) naming 编号, 事件 and 日期; blank and comment
        rows are skipped. An empty 事项类型 means a link when the id has `` -- ``, else a
        system.
    inventory : Inventory, optional
        When given, every system id and unit must be of it.
    topology : Topology, optional
        When given, every link ``SOURCE -- TARGET`` must join two linked nodes of it (or be
        a link id of it).
    as_of : datetime.date, optional
        When given, no event may be after it; it becomes the log's ``as_of``.
    encoding : {"auto", "utf-8", "utf-8-sig", "gbk", "gb18030"}
        Of a CSV file.

    Returns
    -------
    ProgressLog
        Events in file order, each with its row number.

    Raises
    ------
    InputFileError
        One issue per problem, located as ``progress.csv row 7, column 编号`` with what to
        write: a missing or empty file, no header, an empty cell, an unknown item kind or
        event, a bad date, and every problem of
        :func:`~netplan.migration.progress.check_progress` (unknown system id, unit or link,
        an event that does not apply to the item, a date after ``as_of``, the same event on
        one item at two dates, migrated before inventoried or after being retired).
    ValueError
        For an ``encoding`` not in ``ENCODINGS``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "progress.csv"
    >>> _ = p.write_text("# illustrative\n事项类型,编号,事件,日期,备注\n"
    ...                  "系统,市公安局/人口库,已迁移上云,2020/6/7,\n", encoding="utf-8-sig")
    >>> log = read_progress(p)
    >>> log.events[0].event, log.events[0].date, log.events[0].row
    ('migrated', datetime.date(2020, 6, 7), 3)
    """
    if encoding not in ENCODINGS:
        raise ValueError(f"encoding {encoding!r} is not one of {', '.join(ENCODINGS)}")
    path = Path(path)
    issues: list[Issue] = []
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        cells = _xlsx_cells(path, issues)
    else:
        cells = _csv_cells(path, encoding, issues)
        issues[:] = [Issue(i.path, i.message.replace("an inventory is", "a progress file is"),
                           i.hint) for i in issues]
    table = _table(path, cells, issues) if cells is not None else None
    events: list[ProgressEvent] = []
    if table is not None:
        if not table.rows:
            issues.append(Issue(path.name, "the file has a header but no rows",
                                "add one row per event"))
        for row, values in table.rows:
            item_id = values.get("item_id", "").strip()
            good = True
            parsed: dict[str, object] = {}
            for col in _REQUIRED:
                if not values.get(col):
                    issues.append(Issue(table.at(row, col), f"{PROGRESS_HEADERS_ZH[col]} "
                                        f"({col}) is empty", "every row needs an item id, an "
                                        "event and a date"))
                    good = False
            for col, parse in (("item_kind", lambda t, i=item_id: _kind(t, i)),
                               ("event", _event), ("date", _date)):
                text = values.get(col, "")
                if col != "item_kind" and not text:
                    continue
                try:
                    parsed[col] = parse(text)
                except _Bad as bad:
                    issues.append(Issue(table.at(row, col), bad.message, bad.hint))
                    good = False
            if good:
                events.append(ProgressEvent(parsed["item_kind"], item_id, parsed["event"],
                                            parsed["date"], values.get("note", ""), row))
        rows = [e.row for e in events]
        issues.extend(check_progress(events, inventory=inventory, topology=topology,
                                     as_of=as_of,
                                     locate=lambda i, col: table.at(rows[i], col)))
    if issues:
        raise InputFileError(sorted(issues, key=_row_of), str(path))
    return ProgressLog(tuple(events), as_of=as_of, source=path.name)
