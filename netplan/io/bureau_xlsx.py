"""Workbooks a bureau files: the quarterly progress report and the units' migration plans.

:func:`write_quarterly_xlsx` writes a :class:`~netplan.migration.progress.QuarterlyReport` as
the city files it (季度工作进展): a summary sheet, then one sheet per report date with a title
row naming the city and the date, a 序号 column, 工作事项 / 计划 / 完成 / 差距 / 备注, and the
units' migration progress below. :func:`write_unit_plans_xlsx` writes the migration plan of
every unit (迁云、上云计划, due 2020-07-31): an overview sheet and one sheet per department
listing its systems, their disposition, start and cutover dates, teams and data volume.

Both write atomically (a temporary file, then :func:`os.replace`), set column widths, bold
and freeze the header, and write every text cell as text (a system name starting with ``=``
is never a formula).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from pathlib import Path

import pandas as pd

from netplan.io.cells import save_openpyxl, text_cell
from netplan.migration.progress import MEASURES, QuarterlyReport

__all__ = ["write_quarterly_xlsx", "write_unit_plans_xlsx", "sheet_name", "DISPOSITION_ZH"]

#: Dispositions as the unit plans write them in Chinese.
DISPOSITION_ZH = {"migrate": "迁移", "keep": "保留", "integrate": "整合", "retire": "下线"}

_WORDS = {
    "zh": {"summary": "汇总", "overview": "总览", "no": "序号", "measure": "工作事项",
           "unit_of": "计量单位", "planned": "计划", "achieved": "完成", "gap": "差距",
           "rate": "完成率", "note": "备注", "units_title": "各单位迁移上云进展",
           "unit": "单位", "tier": "层级", "to_migrate": "应迁移系统数",
           "u_planned": "计划已迁移", "u_achieved": "实际已迁移",
           "plan_submitted": "迁移方案提交日期",
           "not_due": "报告期未到", "no_log": "无进展记录", "behind": "滞后", "ahead": "超前",
           "on_plan": "按计划", "no_plan": "计划未列", "system_id": "系统编号", "name": "系统名称",
           "disposition": "处置方式", "start": "开始日期", "cutover": "割接上云日期",
           "weeks": "迁移周数", "teams": "投入团队数", "data_tb": "迁移数据量（TB）",
           "group": "同批割接系统", "n_systems": "系统数", "first_start": "最早开始",
           "last_cutover": "最晚割接", "sheet": "工作表", "done": "已完成迁移（重新规划前）",
           "as_of": "进展截至", "city": "市级", "county": "县级",
           "systems": "个", "units": "个单位", "links": "条", "%": "%"},
    "en": {"summary": "summary", "overview": "overview", "no": "No.", "measure": "measure",
           "unit_of": "unit", "planned": "planned", "achieved": "achieved", "gap": "gap",
           "rate": "achieved %", "note": "note", "units_title": "Migration by unit",
           "unit": "unit", "tier": "tier", "to_migrate": "systems to migrate",
           "u_planned": "planned migrated", "u_achieved": "migrated",
           "plan_submitted": "plan submitted", "not_due": "after the log's date",
           "no_log": "no progress log", "behind": "behind by", "ahead": "ahead by",
           "on_plan": "on plan", "no_plan": "not in the plan", "system_id": "system id",
           "name": "name",
           "disposition": "disposition", "start": "start", "cutover": "cutover",
           "weeks": "weeks", "teams": "teams", "data_tb": "data (TB)",
           "group": "cut over with", "n_systems": "systems", "first_start": "first start",
           "last_cutover": "last cutover", "sheet": "sheet",
           "done": "migrated before the replan", "as_of": "progress as of",
           "city": "city", "county": "county",
           "systems": "systems", "units": "units", "links": "links", "%": "%"},
}
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_name(name: str, taken: set[str]) -> str:
    r"""A worksheet name for ``name``: no ``[]:*?/\``, at most 31 characters, not in ``taken``.

    The name found is added to ``taken`` (compared ignoring case, as Excel does).

    Examples
    --------
    >>> taken = set()
    >>> sheet_name("市公安局/治安", taken), sheet_name("市公安局:治安", taken)
    ('市公安局_治安', '市公安局_治安~2')
    """
    base = _FORBIDDEN.sub("_", name).strip().strip("'") or "sheet"
    out, k = base[:31], 1
    while out.lower() in taken:
        k += 1
        tail = f"~{k}"
        out = base[:31 - len(tail)] + tail
    taken.add(out.lower())
    return out


def _lang(lang: str) -> dict[str, str]:
    if lang not in _WORDS:
        raise ValueError(f"lang {lang!r} must be 'zh' or 'en'")
    return _WORDS[lang]


def _width(v: object) -> int:
    text = v.isoformat() if isinstance(v, dt.date) else "" if v is None else str(v)
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)


def _put(ws, row: int, col: int, value: object, *, bold: bool = False):
    cell = text_cell(ws.cell(row=row, column=col, value=value))  # text, never a formula
    if isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    if bold:
        from openpyxl.styles import Font

        cell.font = Font(bold=True)
    return cell


def _title(ws, text: str, n_cols: int, row: int = 1) -> None:
    from openpyxl.styles import Alignment, Font

    cell = _put(ws, row, 1, text)
    cell.font = Font(bold=True, size=14)
    cell.alignment = Alignment(horizontal="center")
    if n_cols > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n_cols)


def _table(ws, row: int, header: list[str], rows: list[list[object]]) -> int:
    """Write a bold header at ``row`` and the rows under it; the next free row."""
    for j, h in enumerate(header, start=1):
        _put(ws, row, j, h, bold=True)
    for i, r in enumerate(rows, start=row + 1):
        for j, v in enumerate(r, start=1):
            _put(ws, i, j, v)
    return row + 1 + len(rows)


def _widths(ws, *, first_row: int = 2) -> None:
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for r in ws.iter_rows(min_row=first_row):
        for c in r:
            if c.value is not None:
                widths[c.column] = max(widths.get(c.column, 0), _width(c.value))
    for col, w in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(max(6, w + 2), 60)


def _save(wb, path: Path) -> Path:
    """Save ``wb`` to ``path`` atomically: a temporary file beside it, then os.replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".xlsx.tmp", dir=path.parent)
    os.close(fd)
    try:
        save_openpyxl(wb, tmp)  # reproducible: no clock in the file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _num(v: float | None) -> float | int | None:
    if v is None:
        return None
    return int(v) if float(v).is_integer() else float(v)


def _zh_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def write_quarterly_xlsx(report: QuarterlyReport, path: str | Path, *, scenario_name: str,
                         lang: str = "zh") -> Path:
    """Write the quarterly progress report as a bureau files it (季度工作进展).

    Sheets: ``汇总`` (summary: one row per measure, planned and achieved at every report
    date), then one sheet per report date named ``YYYY-MM-DD``: a title row naming
    ``scenario_name`` and the date, the header (序号, 工作事项, 计量单位, 计划, 完成, 差距,
    完成率, 备注) frozen under it, one row per measure of
    :data:`~netplan.migration.progress.MEASURES`, then the units' migration progress (单位,
    层级, 应迁移系统数, 计划已迁移, 实际已迁移, 差距, 迁移方案提交日期).

    Parameters
    ----------
    report : QuarterlyReport
    path : str or pathlib.Path
        The ``.xlsx`` file; written atomically (parent folders created).
    scenario_name : str
        The city or scenario named in the titles, e.g. ``"梅州市"``.
    lang : {"zh", "en"}
        Chinese or English titles, headers and measure names.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        For another ``lang``.

    Examples
    --------
    >>> import tempfile, pathlib, openpyxl
    >>> from netplan.migration.progress import QuarterlyReport
    >>> p = write_quarterly_xlsx(QuarterlyReport((), (), (), None), pathlib.Path(
    ...     tempfile.mkdtemp()) / "q.xlsx", scenario_name="甲市")
    >>> openpyxl.load_workbook(p).sheetnames
    ['汇总']
    """
    import openpyxl

    w = _lang(lang)
    path = Path(path)
    long = {(e.date, e.measure): e for e in report.entries}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = w["summary"]
    label = {k: (v[0] if lang == "zh" else v[1]) for k, v in MEASURES.items()}
    unit_of = {k: w.get(v[2], v[2]) for k, v in MEASURES.items()}
    head = [w["no"], w["measure"], w["unit_of"]]
    for d in report.dates:
        head += [f"{d} {w['planned']}", f"{d} {w['achieved']}"]
    title = (f"{scenario_name}政务信息系统整合迁移工作进展汇总表" if lang == "zh" else
             f"{scenario_name}: quarterly progress, summary")
    _title(ws, title, len(head))
    rows = []
    for n, m in enumerate(MEASURES, start=1):
        r: list[object] = [n, label[m], unit_of[m]]
        for d in report.dates:
            e = long.get((d, m))
            r += [_num(e.planned), _num(e.achieved)] if e else [None, None]
        rows.append(r)
    _table(ws, 2, head, rows)
    ws.freeze_panes = "D3"
    _widths(ws)
    for d in report.dates:
        _date_sheet(wb.create_sheet(sheet_name(d.isoformat(), set())), report, d, w, lang,
                    label, unit_of, scenario_name)
    return _save(wb, path)


def _note(e, report: QuarterlyReport, w: dict[str, str]) -> str:
    if e.achieved is None:
        return w["no_log"] if report.as_of is None else w["not_due"]
    if e.planned is None or e.gap is None:
        return w["no_plan"]
    g = e.gap
    if g > 0:
        return f"{w['behind']} {_num(g)}"
    if g < 0:
        return f"{w['ahead']} {_num(-g)}"
    return w["on_plan"]


def _date_sheet(ws, report: QuarterlyReport, d: dt.date, w, lang, label, unit_of,
                scenario_name) -> None:
    head = [w["no"], w["measure"], w["unit_of"], w["planned"], w["achieved"], w["gap"],
            w["rate"], w["note"]]
    title = (f"{scenario_name}政务信息系统整合迁移季度工作进展（截至{_zh_date(d)}）"
             if lang == "zh" else f"{scenario_name}: quarterly progress to {d}")
    _title(ws, title, len(head))
    known = report.as_of.isoformat() if report.as_of is not None else "—"
    _put(ws, 2, 1, f"{w['as_of']}: {known}")
    rows = []
    for n, m in enumerate(MEASURES, start=1):
        e = report.at(d, m)
        rate = None
        if e.achieved is not None and e.planned and m != "platform_connected_pct":
            rate = round(100 * e.achieved / e.planned, 1)
        rows.append([n, label[m], unit_of[m], _num(e.planned), _num(e.achieved), _num(e.gap),
                     rate, _note(e, report, w)])
    nxt = _table(ws, 3, head, rows)
    ws.freeze_panes = "A4"
    units = report.by_unit(d)
    if len(units):
        _put(ws, nxt + 1, 1, w["units_title"], bold=True)
        uhead = [w["no"], w["unit"], w["tier"], w["to_migrate"], w["u_planned"],
                 w["u_achieved"], w["gap"], w["plan_submitted"]]
        urows = [[n, r.unit, w.get(r.tier, r.tier), int(r.to_migrate), int(r.planned),
                  None if pd.isna(r.achieved) else int(r.achieved),
                  None if pd.isna(r.gap) else int(r.gap), r.plan_submitted]
                 for n, r in enumerate(units.itertuples(), start=1)]
        _table(ws, nxt + 2, uhead, urows)
    _widths(ws, first_row=3)


def write_unit_plans_xlsx(plan, path: str | Path, *, lang: str = "zh") -> Path:
    r"""Write every unit's migration plan (迁云、上云计划): an overview and one sheet per unit.

    The overview (``总览``) lists each department: its systems and how many migrate, stay,
    are integrated and retired, its first start and last cutover, and the sheet holding its
    plan. Each department's sheet (named after it: at most 31 characters, unique, without
    ``[]:*?/\``) has a title row, then per system: 序号, 系统编号, 系统名称, 处置方式
    (迁移/保留/整合/下线), 开始日期, 割接上云日期, 迁移周数, 投入团队数, 迁移数据量（TB）,
    同批割接系统 and 备注 (the triage's reason, the integration target, done before a replan).

    Parameters
    ----------
    plan : MigrationPlan
        Dates are those of the plan shown (the relaxed plan when no plan meets the targets).
    path : str or pathlib.Path
        The ``.xlsx`` file; written atomically (parent folders created).
    lang : {"zh", "en"}

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ValueError
        For another ``lang``.

    Examples
    --------
    >>> import tempfile, pathlib, openpyxl
    >>> from netplan.examples import tiny_migration
    >>> from netplan.migration.plan import plan_migration
    >>> plan = plan_migration(*tiny_migration(), backend="heuristic", time_limit_s=2)
    >>> p = write_unit_plans_xlsx(plan, pathlib.Path(tempfile.mkdtemp()) / "plans.xlsx")
    >>> openpyxl.load_workbook(p).sheetnames[:3]
    ['总览', '市公安局', '市民政局']
    """
    import openpyxl

    w = _lang(lang)
    path = Path(path)
    mp = plan.mp
    inv = mp.inventory
    frame = plan.to_frame()
    sched = {r.system_id: r for r in frame.itertuples()}
    decisions = mp.triage.by_id
    done = set(mp.done)
    depts = list(dict.fromkeys(s.department for s in inv))
    wb = openpyxl.Workbook()
    ov = wb.active
    ov.title = w["overview"]
    taken = {ov.title.lower()}
    names = {d: sheet_name(d, taken) for d in depts}
    ohead = [w["no"], w["unit"], w["tier"], w["n_systems"], *(
        DISPOSITION_ZH[k] if lang == "zh" else k for k in DISPOSITION_ZH),
        w["first_start"], w["last_cutover"], w["sheet"]]
    _title(ov, "各单位政务信息系统迁云上云计划总览" if lang == "zh" else
           "Unit migration plans: overview", len(ohead))
    orows = []
    head = [w["no"], w["system_id"], w["name"], w["disposition"], w["start"], w["cutover"],
            w["weeks"], w["teams"], w["data_tb"], w["group"], w["note"]]
    for n, dept in enumerate(depts, start=1):
        systems = [s for s in inv if s.department == dept]
        rows = []
        for k, s in enumerate(systems, start=1):
            d = decisions[s.system_id]
            disp = d.disposition.value
            r = sched.get(s.system_id)
            note = d.target or ""
            if s.system_id in done:
                note = w["done"]
            elif disp != "migrate" or d.notes:
                note = "；".join(x for x in (note, d.reason if disp != "migrate" else "",
                                            *d.notes) if x)
            start = r.start_date if r is not None and r.start_date is not None else None
            cut = r.cutover_date if r is not None and r.cutover_date is not None else None
            rows.append([k, s.system_id, s.name,
                         DISPOSITION_ZH[disp] if lang == "zh" else disp, start, cut,
                         None if r is None else int(r.duration_weeks),
                         None if r is None else int(r.teams), _num(s.data_tb),
                         "" if r is None else r.group, note])
        ws = wb.create_sheet(names[dept])
        _title(ws, f"{dept}政务信息系统迁云上云计划" if lang == "zh" else
               f"{dept}: migration plan", len(head))
        _table(ws, 2, head, rows)
        ws.freeze_panes = "A3"
        _widths(ws)
        count = {k: sum(decisions[s.system_id].disposition.value == k for s in systems)
                 for k in DISPOSITION_ZH}
        starts = [r[4] for r in rows if r[4] is not None]
        cuts = [r[5] for r in rows if r[5] is not None]
        tier = systems[0].tier
        orows.append([n, dept, w.get(tier, tier), len(systems), *count.values(),
                      min(starts, default=None), max(cuts, default=None), names[dept]])
    _table(ov, 2, ohead, orows)
    ov.freeze_panes = "A3"
    _widths(ov)
    return _save(wb, path)
