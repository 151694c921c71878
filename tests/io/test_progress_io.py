"""The progress file reader, and the bureau workbooks (quarterly report, unit plans)."""

import datetime as dt

import numpy as np
import openpyxl
import pandas as pd
import pytest

from netplan.errors import InputFileError
from netplan.examples import scenario_path, tiny_migration, tiny_scenario
from netplan.io.bureau_xlsx import sheet_name, write_quarterly_xlsx, write_unit_plans_xlsx
from netplan.io.inventory_io import read_inventory
from netplan.io.progress_io import read_progress
from netplan.migration.build import build_migration_project
from netplan.migration.inventory import Inventory, System
from netplan.migration.progress import MEASURES, quarterly_report
from netplan.migration.project import Schedule, SolveStatus
from netplan.migration.result import MigrationPlan
from netplan.topology import build_topology

D = dt.date
HEADER = "事项类型,编号,事件,日期,备注\n"


def _write(tmp_path, text, name="progress.csv", encoding="utf-8-sig"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def _problems(path, **kw):
    with pytest.raises(InputFileError) as exc:
        read_progress(path, **kw)
    return [str(i) for i in exc.value.issues]


@pytest.fixture(scope="module")
def inventory():
    return tiny_migration()[1]


@pytest.fixture(scope="module")
def topology():
    return build_topology(tiny_scenario())


# --------------------------------------------------------------------------- reading


def test_reads_chinese_headers_events_and_comments(tmp_path, inventory, topology):
    p = _write(tmp_path, "# 示例数据，非真实数据\n" + HEADER
               + "系统,市公安局/人口库,已梳理,2020年1月5日,\n"
               + "\n"
               + "# 一条注释\n"
               + "系统,市公安局/人口库,已迁移上云,2020/1/26,滞后一周\n"
               + "链路,测试省/甲市/A县 -- 测试省/甲市#电信,已升级,2020-02-01,扩容\n"
               + "单位,市民政局,已提交方案,2020-01-20,\n"
               + ",测试省/甲市#联通 -- 测试省,已升级,2020-02-03,\n"  # kind inferred: link
               + "系统,市公安局/人口库,已迁移上云,2020-01-26,\n")  # exact repeat: fine
    log = read_progress(p, inventory=inventory, topology=topology, as_of=D(2020, 2, 29))
    df = log.to_frame()
    assert list(df.columns) == ["item_kind", "item_id", "event", "date", "note"]
    assert list(df["event"]) == ["inventoried", "migrated", "upgraded", "plan_submitted",
                                 "upgraded", "migrated"]
    assert list(df["item_kind"]) == ["system", "system", "link", "unit", "link", "system"]
    assert df.loc[1, "date"] == D(2020, 1, 26) and df.loc[1, "note"] == "滞后一周"
    assert [e.row for e in log.events] == [3, 6, 7, 8, 9, 10]
    assert log.as_of == D(2020, 2, 29) and log.source == "progress.csv"


def test_reads_english_headers_gbk_and_xlsx(tmp_path, inventory):
    en = _write(tmp_path, "item_kind,item_id,event,date,note\n"
                "system,市公安局/人口库,migrated,2020-01-26,late\n", "en.csv")
    gbk = _write(tmp_path, HEADER + "系统,市公安局/人口库,已迁移上云,2020-01-26,滞后\n",
                 "gbk.csv", encoding="gbk")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["梅州市工作进展台账"])  # a title row above the header
    ws.append(["事项类型", "编号", "事件", "日期", "备注"])
    ws.append(["系统", "市公安局/人口库", "已迁移上云", dt.datetime(2020, 1, 26), None])
    xlsx = tmp_path / "p.xlsx"
    wb.save(xlsx)
    logs = [read_progress(p, inventory=inventory) for p in (en, gbk, xlsx)]
    for log in logs:
        e = log.events[0]
        assert (e.item_kind, e.item_id, e.event, e.date) == ("system", "市公安局/人口库",
                                                             "migrated", D(2020, 1, 26))
    assert logs[2].events[0].row == 3


@pytest.mark.parametrize(("rows", "where", "what"), [
    ("系统,市公安局/人口,已迁移上云,2020-01-26,\n", "row 2, column 编号",
     "unknown system id '市公安局/人口'; did you mean"),
    ("系统,市公安局/人口库,已搬迁,2020-01-26,\n", "row 2, column 事件",
     '"已搬迁" is not an event'),
    ("系统,市公安局/人口库,已迁移上云,2020-13-01,\n", "row 2, column 日期",
     '"2020-13-01" is not a date'),
    ("系统,市公安局/人口库,已迁移上云,下月,\n", "row 2, column 日期", '"下月" is not a date'),
    ("设备,市公安局/人口库,已迁移上云,2020-01-26,\n", "row 2, column 事项类型",
     '"设备" is not an item kind'),
    ("系统,,已迁移上云,2020-01-26,\n", "row 2, column 编号", "编号 (item_id) is empty"),
    ("系统,市公安局/人口库,,2020-01-26,\n", "row 2, column 事件", "事件 (event) is empty"),
    ("系统,市公安局/人口库,已迁移上云,2020-01-26,\n系统,市公安局/人口库,已迁移上云,2020-02-02,\n",
     "row 3, column 日期", "migrated on 2020-02-02, but on 2020-01-26 at progress.csv row 2"),
    ("系统,市公安局/人口库,已迁移上云,2020-03-02,\n", "row 2, column 日期",
     "2020-03-02 is after the report date 2020-02-29"),
    ("系统,市公安局/人口库,已迁移上云,2020-01-26,\n系统,市公安局/人口库,已梳理,2020-02-01,\n",
     "row 2, column 日期", "before it was inventoried on 2020-02-01"),
    ("系统,市民政局/旧OA,已下线,2020-01-10,\n系统,市民政局/旧OA,已迁移上云,2020-01-26,\n",
     "row 3, column 日期", "after it was retired on 2020-01-10"),
    ("系统,市公安局/人口库,已升级,2020-01-26,\n", "row 2, column 事件",
     "event 'upgraded' does not apply to a system"),
    ("单位,市公安,已提交方案,2020-01-26,\n", "row 2, column 编号", "unknown unit '市公安'"),
    ("链路,测试省/甲市/A县 -- 测试省,已升级,2020-01-26,\n", "row 2, column 编号",
     "are not linked"),
])
def test_each_problem_is_named_with_file_row_and_column(tmp_path, inventory, topology, rows,
                                                        where, what):
    p = _write(tmp_path, HEADER + rows)
    problems = _problems(p, inventory=inventory, topology=topology, as_of=D(2020, 2, 29))
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"progress.csv {where}: "), problems[0]
    assert what in problems[0]
    assert "; " in problems[0]  # says what to do


def test_every_row_problem_is_reported_at_once(tmp_path, inventory):
    p = _write(tmp_path, HEADER + "系统,市公安局/人口,已迁移上云,2020-01-26,\n"
               "系统,市公安局/人口库,已搬迁,2020-01-26,\n系统,市公安局/人口库,已梳理,昨天,\n")
    assert len(_problems(p, inventory=inventory)) == 3


def test_file_level_problems(tmp_path):
    assert "file not found" in _problems(tmp_path / "none.xlsx")[0]
    assert "the file is empty" in _problems(_write(tmp_path, ""))[0]
    assert "no header row naming 编号, 事件 and 日期" in \
        _problems(_write(tmp_path, "系统,市公安局/人口库\n"))[0]
    assert "header but no rows" in _problems(_write(tmp_path, HEADER))[0]
    assert "appears twice" in _problems(_write(tmp_path, "编号,item_id,事件,日期\n"))[0]
    with pytest.raises(ValueError, match="encoding"):
        read_progress(tmp_path / "x.csv", encoding="latin-1")


def test_meizhou_progress_log():
    folder = scenario_path("meizhou-2020").parent
    path = folder / "meizhou-2020-progress.csv"
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"  # UTF-8 with BOM
    assert "非真实数据" in path.read_text(encoding="utf-8-sig").splitlines()[0]
    from netplan.examples import meizhou_2020

    inv = read_inventory(folder / "meizhou-2020-systems.csv")
    log = read_progress(path, inventory=inv, topology=build_topology(meizhou_2020()),
                        as_of=D(2020, 9, 30))
    df = log.to_frame()
    n = df.groupby("event").size().to_dict()
    assert n["inventoried"] == n["listed"] == len(inv)  # every system, April to July
    assert 25 <= n["migrated"] <= 40 and n["retired"] >= 3 and n["upgraded"] >= 3
    assert df["date"].max() <= D(2020, 9, 30)
    inv_dates = df[df["event"] == "inventoried"]["date"]
    assert inv_dates.min() >= D(2020, 4, 1) and inv_dates.max() <= D(2020, 6, 30)
    assert set(df[df["event"] == "listed"]["date"].map(lambda d: d.month)) <= {6, 7}


# --------------------------------------------------------------------------- workbooks


@pytest.fixture(scope="module")
def plan():
    scenario, inventory = tiny_migration()
    mp = build_migration_project(scenario, inventory)
    week = {("A县医疗保障局/县医保",): 0, ("市公安局/人口库",): 1, ("市公安局/警务通",): 3,
            ("市民政局/低保", "市民政局/救助"): 4}
    starts = np.array([week[g.systems] for g in mp.groups])
    return MigrationPlan(SolveStatus.FEASIBLE,
                         Schedule(starts, SolveStatus.FEASIBLE, 0.0, None, 0.0, "by hand"), mp)


@pytest.fixture(scope="module")
def report(plan, tmp_path_factory, inventory):
    p = _write(tmp_path_factory.mktemp("log"), HEADER
               + "系统,A县医疗保障局/县医保,已迁移上云,2020-01-19,\n"
               + "系统,市公安局/人口库,已迁移上云,2020-02-09,\n")
    log = read_progress(p, inventory=inventory, as_of=D(2020, 2, 29))
    return quarterly_report(plan, log, report_dates=["01-31", "02-29", "03-29"])


def test_quarterly_workbook_layout(report, tmp_path):
    path = write_quarterly_xlsx(report, tmp_path / "out" / "季度进展.xlsx", scenario_name="甲市")
    assert sorted(p.name for p in path.parent.iterdir()) == ["季度进展.xlsx"]  # no temp file
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["汇总", "2020-01-31", "2020-02-29", "2020-03-29"]
    ws = wb["2020-02-29"]
    assert "甲市" in ws["A1"].value and "2020年2月29日" in ws["A1"].value
    header = [c.value for c in ws[3]]
    assert header == ["序号", "工作事项", "计量单位", "计划", "完成", "差距", "完成率", "备注"]
    assert all(c.font.bold for c in ws[3])
    assert ws.freeze_panes == "A4"
    assert ws.column_dimensions["B"].width > 10
    rows = {r[1]: r for r in ws.iter_rows(min_row=4, max_row=3 + len(MEASURES),
                                          values_only=True)}
    assert [r[0] for r in rows.values()] == list(range(1, len(MEASURES) + 1))
    mig = rows[MEASURES["systems_migrated"][0]]
    assert mig[3:6] == (5, 2, 3) and mig[6] == 40 and mig[7] == "滞后 3"
    # the units below the measures
    titles = [r[0] for r in ws.iter_rows(values_only=True)]
    k = titles.index("各单位迁移上云进展")
    assert [c.value for c in ws[k + 2]][:4] == ["序号", "单位", "层级", "应迁移系统数"]
    # after the log's date: no achieved figure, a note saying why
    late = openpyxl.load_workbook(path)["2020-03-29"]
    assert late["E5"].value is None and late["H5"].value == "报告期未到"
    summary = wb["汇总"]
    assert [c.value for c in summary[2]][:5] == ["序号", "工作事项", "计量单位",
                                                 "2020-01-31 计划", "2020-01-31 完成"]
    frame = pd.read_excel(path, sheet_name="2020-02-29", header=2, nrows=len(MEASURES))
    assert list(frame.columns[:4]) == ["序号", "工作事项", "计量单位", "计划"]
    assert frame["计划"].iloc[5] == 5


def test_quarterly_workbook_in_english_replaces_the_file(report, tmp_path):
    path = tmp_path / "q.xlsx"
    path.write_bytes(b"old")
    write_quarterly_xlsx(report, path, scenario_name="Jia", lang="en")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == "summary"
    assert [c.value for c in wb["2020-01-31"][3]][:4] == ["No.", "measure", "unit", "planned"]
    with pytest.raises(ValueError, match="lang"):
        write_quarterly_xlsx(report, path, scenario_name="x", lang="fr")


def test_unit_plans_workbook(plan, tmp_path):
    path = write_unit_plans_xlsx(plan, tmp_path / "plans.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["总览", "市公安局", "市民政局", "市档案馆", "市政务服务数据管理局",
                             "A县医疗保障局"]
    ov = wb["总览"]
    assert [c.value for c in ov[2]] == ["序号", "单位", "层级", "系统数", "迁移", "保留", "整合",
                                       "下线", "最早开始", "最晚割接", "工作表"]
    assert ov.freeze_panes == "A3" and all(c.font.bold for c in ov[2])
    mz = [r for r in ov.iter_rows(min_row=3, values_only=True) if r[1] == "市民政局"][0]
    assert mz[3:8] == (3, 2, 0, 0, 1)  # 低保, 救助 migrate; 旧OA retired
    ws = wb["市公安局"]
    assert [c.value for c in ws[2]][:6] == ["序号", "系统编号", "系统名称", "处置方式", "开始日期",
                                           "割接上云日期"]
    first = [c.value for c in ws[3]]
    assert first[1:4] == ["市公安局/人口库", "人口库", "迁移"]
    assert first[4].date() == D(2020, 1, 13) and first[5].date() == D(2020, 1, 26)
    dispositions = {r[3] for name in wb.sheetnames[1:]
                    for r in wb[name].iter_rows(min_row=3, values_only=True)}
    assert dispositions == {"迁移", "保留", "下线"}
    frame = pd.read_excel(path, sheet_name="市民政局", header=1)
    assert list(frame["处置方式"]) == ["迁移", "迁移", "下线"]


def test_unit_sheet_names_are_valid_and_unique(tmp_path):
    long = "梅州市某某区某某某某某某某某某某某某局[信息中心]:二级单位*?"
    systems = (System(name="=HYPERLINK(\"x\")", department=long, tier="city"),
               System(name="B", department=long + "乙", tier="city"),
               System(name="C", department="市局/科", tier="city"),
               System(name="D", department="市局:科", tier="city"))
    scenario, _ = tiny_migration()
    mp = build_migration_project(scenario, Inventory(systems))
    from netplan.migration.plan import plan_migration

    plan = plan_migration(scenario, Inventory(systems), backend="heuristic", time_limit_s=2)
    assert plan.mp.groups == mp.groups
    wb = openpyxl.load_workbook(write_unit_plans_xlsx(plan, tmp_path / "u.xlsx"))
    names = wb.sheetnames[1:]
    assert len(names) == 4 and len({n.lower() for n in names}) == 4
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    assert names[2:] == ["市局_科", "市局_科~2"]
    cell = wb[names[0]]["C3"]
    assert cell.value == "=HYPERLINK(\"x\")" and cell.data_type == "s"  # text, not a formula
    assert [r[-1] for r in wb["总览"].iter_rows(min_row=3, values_only=True)] == names


def test_sheet_name():
    taken = {"总览"}
    assert sheet_name("总览", taken) == "总览~2"
    assert sheet_name("a" * 40, taken) == "a" * 31
    assert sheet_name("A" * 40, taken) == "A" * 29 + "~2"  # Excel ignores case
    assert sheet_name("[]", taken) == "__"
