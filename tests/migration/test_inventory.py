"""System inventory: model validation, CSV/XLSX reading in every encoding, located errors,
round trips, dependency groups, and the committed Meizhou inventory."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pydantic
import pytest

from netplan.errors import InputFileError, ScenarioError
from netplan.examples import meizhou_2020
from netplan.io.inventory_io import (
    INVENTORY_HEADERS_ZH,
    read_inventory,
    write_inventory,
)
from netplan.migration.inventory import (
    Inventory,
    System,
    check_systems,
    default_migration_weeks,
    dependency_groups,
)
from netplan.migration.synthetic import SHARES, synthetic_inventory

DATA = Path(__file__).resolve().parents[2] / "netplan" / "data" / "scenarios"
MEIZHOU_CSV = DATA / "meizhou-2020-systems.csv"

# A hand-written inventory in the form a department would type it: Chinese headers, 是/否,
# several date forms, an id list with 、 and a percentage.
HEADER = ["系统编号", "系统名称", "所属部门", "使用范围", "使用频度", "层级", "服务区域", "vCPU",
          "内存GB", "存储TB", "迁移数据量TB", "重要程度", "依赖系统", "最近更新", "最近使用",
          "资源闲置率", "可替代系统", "涉密", "已上云", "备注"]
ROWS = [
    ["GA-01", "人口信息管理系统", "市公安局", "全市", "每日", "市级", "梅州市", "16", "64", "12",
     "6.5", "5", "", "2020-03-01", "2020/6/29", "20", "", "否", "否", "核心系统"],
    ["GA-02", "警务综合平台", "市公安局", "跨部门", "每日", "市级", "梅州市", "8", "32", "2", "1",
     "4", "GA-01、ZW-01", "2020年5月6日", "2020-06-30", "35%", "", "N", "N", ""],
    ["ZW-01", "统一身份认证平台", "市政务服务数据管理局", "全市", "每日", "city", "梅州市", "4",
     "16", "0.5", "0.2", "5", "", "2020-01-10", "2020-06-30", "10", "", "0", "1", ""],
    ["MJ-01", "户政业务系统", "梅江区公安局", "本部门", "每周", "县级", "梅江区", "4", "8", "0.8",
     "0.4", "3", "GA-01;ZW-01", "2019-07-01", "2020-06-01", "50", "GA-01", "false", "true", ""],
    ["MJ-02", "档案管理系统", "梅江区公安局", "内部科室", "很少", "county", "梅江区", "2", "4",
     "0.1", "0.05", "1", "", "2016-02-01", "2018-01-01", "95", "", "Y", "是", ""],
]


def expected_rows() -> list[System]:
    d = dt.date
    return [
        System(system_id="GA-01", name="人口信息管理系统", department="市公安局",
               usage_scope="全市", tier="city", site="梅州市", vcpu=16, memory_gb=64,
               storage_tb=12, data_tb=6.5, criticality=5, last_update=d(2020, 3, 1),
               last_used=d(2020, 6, 29), idle_pct=20),
        System(system_id="GA-02", name="警务综合平台", department="市公安局",
               usage_scope="跨部门", tier="city", site="梅州市", vcpu=8, memory_gb=32,
               storage_tb=2, data_tb=1, criticality=4, depends_on=("GA-01", "ZW-01"),
               last_update=d(2020, 5, 6), last_used=d(2020, 6, 30), idle_pct=35),
        System(system_id="ZW-01", name="统一身份认证平台", department="市政务服务数据管理局",
               usage_scope="全市", tier="city", site="梅州市", vcpu=4, memory_gb=16,
               storage_tb=0.5, data_tb=0.2, criticality=5, last_update=d(2020, 1, 10),
               last_used=d(2020, 6, 30), idle_pct=10, on_cloud=True),
        System(system_id="MJ-01", name="户政业务系统", department="梅江区公安局",
               usage_scope="本部门", usage_frequency="每周", tier="county", site="梅江区",
               vcpu=4, memory_gb=8, storage_tb=0.8, data_tb=0.4, criticality=3,
               depends_on=("GA-01", "ZW-01"), last_update=d(2019, 7, 1),
               last_used=d(2020, 6, 1), idle_pct=50, replaceable_by="GA-01", on_cloud=True),
        System(system_id="MJ-02", name="档案管理系统", department="梅江区公安局",
               usage_scope="内部科室", usage_frequency="很少", tier="county", site="梅江区",
               vcpu=2, memory_gb=4, storage_tb=0.1, data_tb=0.05, criticality=1,
               last_update=d(2016, 2, 1), last_used=d(2018, 1, 1), idle_pct=95,
               classified=True, on_cloud=True),
    ]


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header, *rows])
    return buf.getvalue()


def write_xlsx(path: Path, header: list, rows: list[list], title: str = "Sheet1") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r in [header, *rows]:
        ws.append(r)
    wb.save(path)
    return path


# --------------------------------------------------------------------------- the model


def test_system_defaults_id_and_weeks_by_the_size_rule():
    s = System(name="不动产登记系统", department="市自然资源局", data_tb=5.0, storage_tb=11,
               criticality=4)
    assert s.system_id == "市自然资源局/不动产登记系统"
    # 1 week + 5 TB / 2 TB per week (2.5, rounded half up: 3) + storage > 10 TB + critical
    assert s.migration_weeks == 1 + 3 + 1 + 1 == default_migration_weeks(
        data_tb=5.0, storage_tb=11, criticality=4)
    assert System(name="a", department="b", migration_weeks=9).migration_weeks == 9
    assert System(name="a", department="b").migration_weeks == 1


def test_system_is_frozen_and_strict():
    s = System(name="a", department="b")
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        s.name = "c"
    with pytest.raises(ValueError, match="extra"):
        System(name="a", department="b", colour="red")
    with pytest.raises(ValueError, match="less than or equal to 5"):
        System(name="a", department="b", criticality=6)
    with pytest.raises(ValueError, match="separate ids"):
        System(system_id="a;b", name="a", department="b")


def test_every_field_has_a_description():
    for name, f in System.model_fields.items():
        assert f.description, name


def test_inventory_collects_every_cross_reference_problem():
    systems = [
        System(name="人口信息管理系统", department="市公安局"),
        System(name="人口信息管理系统", department="市公安局"),
        System(name="警务综合平台", department="市公安局",
               depends_on=("市公安局/人口信息系统", "市公安局/警务综合平台")),
        System(name="x", department="d", replaceable_by="d/y"),
        System(name="y", department="d", replaceable_by="d/x"),
    ]
    with pytest.raises(ScenarioError) as info:
        Inventory(systems)
    text = [str(i) for i in info.value.issues]
    assert len(text) == 4, text
    assert text[0] == ('systems[1].system_id: system id "市公安局/人口信息管理系统" is used twice '
                       "(first at systems[0].system_id); give every system its own id (or a "
                       "distinct name in its department)")
    assert ('systems[2].depends_on: system "市公安局/警务综合平台" depends on '
            '"市公安局/人口信息系统", which is not in the inventory; did you mean '
            "市公安局/人口信息管理系统?") in text
    assert any('"市公安局/警务综合平台" depends on itself' in t for t in text)
    assert any("replacement in a cycle: d/x → d/y → d/x" in t for t in text)


def test_inventory_container():
    inv = Inventory(expected_rows(), name="hand")
    assert len(inv) == 5 and "GA-01" in inv and "nope" not in inv
    assert inv.ids == ("GA-01", "GA-02", "ZW-01", "MJ-01", "MJ-02")
    assert inv.by_id["MJ-01"].replaceable_by == "GA-01"
    with pytest.raises(TypeError):
        inv.by_id["x"] = None  # read-only
    df = inv.to_frame()
    assert list(df.index) == list(inv.ids)
    assert list(df.columns) == [f for f in System.model_fields if f != "system_id"]
    assert df.loc["GA-02", "depends_on"] == ("GA-01", "ZW-01")
    assert df.attrs["units"]["memory_gb"] == "GB" and df.attrs["units"]["data_tb"] == "TB"
    assert df["vcpu"].dtype == "int64" and df["idle_pct"].dtype == float
    assert str(inv) == "hand: 5 systems of 3 departments (3 city, 2 county)"
    assert Inventory([]).to_frame().shape == (0, len(System.model_fields) - 1)


# --------------------------------------------------------------------------- dependency groups


def test_cycles_become_move_groups():
    # A → B → C → A (3-cycle), D ⇄ E (2-cycle), F → A.
    deps = {"A": ("B",), "B": ("C",), "C": ("A",), "D": ("E",), "E": ("D",), "F": ("A",)}
    inv = Inventory([System(system_id=k, name=k, department="市民政局", depends_on=v)
                     for k, v in reversed(deps.items())])
    assert dependency_groups(inv) == [("A", "B", "C"), ("D", "E"), ("F",)]
    assert dependency_groups(inv, min_size=2) == [("A", "B", "C"), ("D", "E")]
    groups = dependency_groups(inv)
    assert sorted(x for g in groups for x in g) == sorted(inv.ids)  # a partition


def test_groups_come_after_what_they_depend_on():
    inv = synthetic_inventory(120, seed=3)
    groups = dependency_groups(inv)
    position = {sid: k for k, g in enumerate(groups) for sid in g}
    for s in inv:
        for d in s.depends_on:
            assert position[d] <= position[s.system_id]


# --------------------------------------------------------------------------- reading


def test_hand_written_inventory_reads_as_expected(tmp_path):
    p = tmp_path / "systems.csv"
    p.write_text(csv_text(HEADER, ROWS), encoding="utf-8")
    inv = read_inventory(p)
    assert inv == Inventory(expected_rows())
    assert inv.name == "systems.csv"


@pytest.mark.parametrize("form", ["utf-8-sig", "gbk", "gb18030", "xlsx", "xlsx-native"])
def test_encodings_and_xlsx_read_identically(tmp_path, form):
    text = csv_text(HEADER, ROWS)
    if form == "xlsx":
        p = write_xlsx(tmp_path / "systems.xlsx", HEADER, ROWS)
    elif form == "xlsx-native":
        # What a spreadsheet stores: numbers as numbers, dates as dates, booleans as booleans.
        def native(v: str):
            for conv in (int, float):
                try:
                    return conv(v)
                except ValueError:
                    pass
            if v in ("true", "false"):
                return v == "true"
            if len(v) == 10 and v[4] == "-":
                return dt.datetime.fromisoformat(v)
            return v

        p = write_xlsx(tmp_path / "systems.xlsx", HEADER,
                       [[native(v) for v in r] for r in ROWS], title="系统清单")
    else:
        p = tmp_path / "systems.csv"
        p.write_bytes(text.encode(form))
    assert read_inventory(p) == Inventory(expected_rows())


def test_explicit_encoding(tmp_path):
    p = tmp_path / "systems.csv"
    p.write_bytes(csv_text(HEADER, ROWS).encode("gbk"))
    assert read_inventory(p, encoding="gbk") == Inventory(expected_rows())
    with pytest.raises(InputFileError, match="is not valid utf-8 text"):
        read_inventory(p, encoding="utf-8")
    with pytest.raises(ValueError, match="latin1"):
        read_inventory(p, encoding="latin1")


def test_xlsx_sheet_named_inventory_is_preferred(tmp_path):
    p = tmp_path / "book.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "说明"
    wb.active.append(["本工作簿第二张表为系统清单"])
    ws = wb.create_sheet("系统清单")
    for r in [HEADER, *ROWS]:
        ws.append(r)
    wb.save(p)
    assert read_inventory(p) == Inventory(expected_rows())


def test_title_rows_above_the_header_are_skipped(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[1][HEADER.index("内存GB")] = "很多"
    p = write_xlsx(tmp_path / "systems.xlsx", ["梅州市公安局政务信息系统情况清单"],
                   [["填报日期：2020年6月30日"], [], HEADER, *rows])
    (issue,) = _issues(p)
    assert issue.path == "systems.xlsx row 6, column 内存GB"  # rows 1-3 title, 4 header
    p = write_xlsx(tmp_path / "systems.xlsx", ["梅州市公安局政务信息系统情况清单"],
                   [[], HEADER, *ROWS])
    assert read_inventory(p) == Inventory(expected_rows())


def test_english_headers_and_minimal_columns(tmp_path):
    p = tmp_path / "systems.csv"
    p.write_text("Name,Department,Memory (GB),depends_on,idle_pct\n"
                 "门户网站,市民政局,8,,\n社会救助信息系统,市民政局,16,市民政局/门户网站,85%\n",
                 encoding="utf-8")
    inv = read_inventory(p)
    assert inv.ids == ("市民政局/门户网站", "市民政局/社会救助信息系统")
    s = inv.by_id["市民政局/社会救助信息系统"]
    assert (s.memory_gb, s.idle_pct, s.depends_on) == (16.0, 85.0, ("市民政局/门户网站",))
    assert inv.by_id["市民政局/门户网站"].idle_pct is None


def test_id_containing_the_enumeration_comma(tmp_path):
    rows = [["甲、乙合并系统", "市民政局", ""],
            ["丙", "市民政局", "市民政局/甲、乙合并系统、市民政局/丁"],
            ["丁", "市民政局", ""]]
    p = tmp_path / "systems.csv"
    p.write_text(csv_text(["系统名称", "所属部门", "依赖系统"], rows), encoding="utf-8")
    inv = read_inventory(p)
    assert inv.by_id["市民政局/丙"].depends_on == ("市民政局/甲、乙合并系统", "市民政局/丁")


# --------------------------------------------------------------------------- malformed files


def edited(row: int, column: str, value: str, header: list[str] | None = None) -> str:
    """The hand-written inventory with one cell changed (row as a spreadsheet shows it)."""
    rows = [list(r) for r in ROWS]
    rows[row - 2][HEADER.index(column)] = value
    return csv_text(header or HEADER, rows)


def renamed(old: str, new: str) -> str:
    return csv_text([new if h == old else h for h in HEADER], ROWS)


CASES = {
    "duplicate-id": (
        edited(3, "系统编号", "GA-01"),
        "systems.csv row 3, column 系统编号",
        'system id "GA-01" is used twice (first at systems.csv row 2, column 系统编号)',
        "give every system its own id"),
    "dangling-dependency": (
        edited(3, "依赖系统", "GA-01;ZW-010"),
        "systems.csv row 3, column 依赖系统",
        'system "GA-02" depends on "ZW-010", which is not in the inventory',
        "did you mean ZW-01?"),
    "dangling-replacement": (
        edited(5, "可替代系统", "GA-1"),
        "systems.csv row 5, column 可替代系统",
        'system "MJ-01" is replaceable by "GA-1", which is not in the inventory',
        "did you mean GA-01"),
    "self-dependency": (
        edited(4, "依赖系统", "ZW-01"),
        "systems.csv row 4, column 依赖系统",
        'system "ZW-01" depends on itself',
        "remove its own id"),
    "bad-number": (
        edited(2, "内存GB", "六十四"),
        "systems.csv row 2, column 内存GB",
        '"六十四" is not a number',
        "write a plain number, e.g. 16"),
    "negative-number": (
        edited(6, "存储TB", "-0.1"),
        "systems.csv row 6, column 存储TB",
        "-0.1 is out of range",
        "write a number >= 0"),
    "not-whole": (
        edited(2, "vCPU", "2.5"),
        "systems.csv row 2, column vCPU",
        '"2.5" is not a whole number',
        "e.g. 8"),
    "out-of-range": (
        edited(4, "重要程度", "7"),
        "systems.csv row 4, column 重要程度",
        "7 is out of range",
        "write a number from 1 to 5"),
    "idle-over-100": (
        edited(4, "资源闲置率", "120%"),
        "systems.csv row 4, column 资源闲置率",
        "120% is out of range",
        "from 0 to 100"),
    "bad-date": (
        edited(2, "最近使用", "2020-13-45"),
        "systems.csv row 2, column 最近使用",
        '"2020-13-45" is not a date',
        "write it as 2020-06-30, 2020/6/30 or 2020年6月30日"),
    "not-a-date": (
        edited(5, "最近更新", "去年"),
        "systems.csv row 5, column 最近更新",
        '"去年" is not a date',
        "2020年6月30日"),
    "bad-bool": (
        edited(3, "涉密", "可能"),
        "systems.csv row 3, column 涉密",
        '"可能" is not yes or no',
        "write 是 or 否"),
    "bad-scope": (
        edited(2, "使用范围", "全省"),
        "systems.csv row 2, column 使用范围",
        '"全省" is not one of the allowed values',
        "did you mean 全市? write one of 全市/跨部门/本部门/内部科室"),
    "bad-tier": (
        edited(2, "层级", "省级"),
        "systems.csv row 2, column 层级",
        '"省级" is not a tier',
        "write 市级 or 县级"),
    "empty-name": (
        edited(3, "系统名称", ""),
        "systems.csv row 3, column 系统名称",
        "系统名称 (name) is empty",
        "every system needs a name and a department"),
    "unknown-header": (
        renamed("资源闲置率", "资源闲置"),
        "systems.csv header",
        "unknown column '资源闲置'",
        "did you mean 资源闲置率 (idle_pct)?"),
    "missing-required-column": (
        csv_text(HEADER[:2] + HEADER[3:], [r[:2] + r[3:] for r in ROWS]),
        "systems.csv header",
        "missing required column 所属部门 (department)",
        "the first row must name the columns 系统名称 and 所属部门"),
    "repeated-column": (
        renamed("备注", "name"),
        "systems.csv header",
        "column name appears twice (as '系统名称' and 'name')",
        "keep one of them"),
    "empty-file": ("", "systems.csv", "the file is empty", "then one row per system"),
    "header-only": (csv_text(HEADER, []), "systems.csv", "the file has a header but no rows",
                    "add one row per system"),
}


def _issues(path: Path) -> list:
    with pytest.raises(InputFileError) as info:
        read_inventory(path)
    assert str(path) in str(info.value)
    return info.value.issues


@pytest.mark.parametrize("case", CASES)
def test_malformed_inventory_names_row_column_value_and_fix(tmp_path, case):
    text, where, message, hint = CASES[case]
    p = tmp_path / "systems.csv"
    p.write_text(text, encoding="utf-8-sig")
    issues = _issues(p)
    hit = [i for i in issues if i.path == where and message in i.message]
    assert hit, [str(i) for i in issues]
    assert hint in hit[0].hint, hit[0].hint


def test_row_with_an_extra_cell(tmp_path):
    p = tmp_path / "systems.csv"
    p.write_text(csv_text(HEADER, ROWS) + "X-1,系统,市民政局" + "," * (len(HEADER) - 2) + "多余\n",
                 encoding="utf-8")
    (issue,) = _issues(p)
    assert issue.path == "systems.csv row 7"
    assert issue.message == f"the row has {len(HEADER) + 1} cells but the header names " \
                            f"{len(HEADER)} columns"


def test_quoted_id_with_a_comma_is_refused(tmp_path):
    p = tmp_path / "systems.csv"
    p.write_text(csv_text(HEADER, ROWS).replace("GA-01,人口", '"GA,01",人口', 1),
                 encoding="utf-8")
    issues = _issues(p)
    assert any(i.path == "systems.csv row 2, column 系统编号" and "contains ','" in i.message
               for i in issues), [str(i) for i in issues]


def test_every_problem_is_reported_at_once(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[0][HEADER.index("内存GB")] = "abc"  # row 2
    rows[1][HEADER.index("最近使用")] = "2020-02-30"  # row 3
    rows[2][HEADER.index("已上云")] = "maybe"  # row 4
    rows[3][HEADER.index("依赖系统")] = "GA-01;XX"  # row 5
    p = tmp_path / "systems.csv"
    p.write_text(csv_text(HEADER, rows), encoding="utf-8")
    issues = _issues(p)
    assert [i.path for i in issues] == [
        "systems.csv row 2, column 内存GB", "systems.csv row 3, column 最近使用",
        "systems.csv row 4, column 已上云", "systems.csv row 5, column 依赖系统"]
    # GA-02 and ZW-01 failed to build, yet GA-01 still resolves and MJ-01's deps are checked.
    assert "day is out of range for month" in issues[1].message


def test_reference_to_a_bad_row_is_not_reported_twice(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[0][HEADER.index("内存GB")] = "abc"  # GA-01 fails; others depend on it
    p = tmp_path / "systems.csv"
    p.write_text(csv_text(HEADER, rows), encoding="utf-8")
    assert [i.path for i in _issues(p)] == ["systems.csv row 2, column 内存GB"]


def test_malformed_xlsx_is_located_the_same_way(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[2][HEADER.index("重要程度")] = 9
    p = write_xlsx(tmp_path / "systems.xlsx", HEADER, rows)
    (issue,) = _issues(p)
    assert str(issue) == ("systems.xlsx row 4, column 重要程度: 9 is out of range; write a number "
                          "from 1 to 5, e.g. 3")


def test_unreadable_files(tmp_path):
    bad = tmp_path / "systems.xlsx"
    bad.write_bytes(b"not a zip file")
    assert "not a readable XLSX workbook" in _issues(bad)[0].message
    old = tmp_path / "systems.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    assert "save it as .xlsx" in _issues(old)[0].hint
    missing = tmp_path / "nope.csv"
    assert "file not found" in _issues(missing)[0].message


# --------------------------------------------------------------------------- writing


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_write_read_round_trip(tmp_path, suffix, language):
    inv = synthetic_inventory(80, seed=5)
    p = write_inventory(inv, tmp_path / f"out{suffix}", language=language)
    assert read_inventory(p) == inv
    if suffix == ".csv":
        raw = p.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        header = raw.decode("utf-8-sig").splitlines()[0].split(",")
        assert header == (list(INVENTORY_HEADERS_ZH.values()) if language == "zh"
                          else list(System.model_fields))


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    inv = Inventory([System(name='=HYPERLINK("http://x")', department="@市民政局",
                            function="+1", depends_on=()),
                     System(name="-旧版", department="市民政局", operator="=1+1")])
    for suffix in (".csv", ".xlsx"):
        p = write_inventory(inv, tmp_path / f"f{suffix}")
        assert read_inventory(p) == inv
    assert "'=HYPERLINK" in (tmp_path / "f.csv").read_text(encoding="utf-8-sig")
    ws = openpyxl.load_workbook(tmp_path / "f.xlsx").active
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_write_refuses_other_suffixes(tmp_path):
    with pytest.raises(ValueError, match=r"\.csv or \.xlsx"):
        write_inventory(synthetic_inventory(3), tmp_path / "x.json")
    with pytest.raises(ValueError, match="'zh' or 'en'"):
        write_inventory(synthetic_inventory(3), tmp_path / "x.csv", language="fr")


# --------------------------------------------------------------------------- synthetic + Meizhou


def test_committed_meizhou_csv_is_the_generator_output(tmp_path):
    fresh = synthetic_inventory(236, seed=2020)
    assert read_inventory(MEIZHOU_CSV) == fresh
    again = write_inventory(fresh, tmp_path / "meizhou-2020-systems.csv")
    assert again.read_bytes() == MEIZHOU_CSV.read_bytes(), (
        "regenerate with the command in netplan/data/scenarios/README.md")


def test_meizhou_scenario_names_the_inventory():
    scenario = meizhou_2020()
    inv = read_inventory(scenario.inventory.path, encoding=scenario.inventory.encoding)
    assert len(inv) == 236 >= 200
    city_departments = set(scenario.extranet.departments.city.names)
    assert {s.department for s in inv if s.tier == "city"} <= city_departments
    assert {s.site for s in inv if s.tier == "county"} == {
        c.name for c in scenario.region.provinces[0].cities[0].counties}


def test_synthetic_inventory_has_the_stated_shares():
    n = 236
    inv = synthetic_inventory(n, seed=2020)
    assert sum(s.classified for s in inv) == round(SHARES["classified"] * n) == 7
    assert all(s.network == "涉密网" for s in inv if s.classified)
    assert sum(s.on_cloud for s in inv) == round(SHARES["on_cloud"] * n) == 12
    assert sum(s.replaceable_by is not None for s in inv) == round(SHARES["duplicate"] * n) == 19
    groups = dependency_groups(inv, min_size=2)
    assert sorted(len(g) for g in groups) == [2, 3]  # 2 % of 236 = 5 systems in cycles
    assert all(1 <= s.migration_weeks <= 8 for s in inv)
    assert {s.tier for s in inv} == {"city", "county"}
    assert any(s.department == "市公安局" for s in inv)
    assert any(s.department == "梅江区公安局" for s in inv)
    assert any(s.department == "梅州市生态环境局梅江分局" for s in inv)
    assert not check_systems(inv)


def test_synthetic_inventory_is_deterministic_and_parametrised():
    a = synthetic_inventory(50, seed=7, departments=("公安", "民政"), counties=("甲县", "乙区"),
                            city="某市")
    assert a == synthetic_inventory(50, seed=7, departments=("公安", "民政"),
                                    counties=("甲县", "乙区"), city="某市")
    assert a != synthetic_inventory(50, seed=8, departments=("公安", "民政"),
                                    counties=("甲县", "乙区"), city="某市")
    assert {s.department for s in a} <= {"市公安局", "市民政局", "甲县公安局", "甲县民政局",
                                         "乙区公安局", "乙区民政局"}
    assert {s.site for s in a} <= {"某市", "甲县", "乙区"}
    with pytest.raises(ValueError, match="did you mean 公安"):
        synthetic_inventory(10, departments=("公按",))
    with pytest.raises(ValueError, match="must be >= 1"):
        synthetic_inventory(0)
    assert len(synthetic_inventory(1)) == 1
