"""Zombie triage and the three lists: hand-checked dispositions and evidence, invariants on the
Meizhou inventory, and the lists written in Chinese and English."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pydantic
import pytest

from netplan.io.inventory_io import read_inventory, write_three_lists
from netplan.migration.inventory import Inventory, System
from netplan.migration.synthetic import synthetic_inventory
from netplan.migration.triage import (
    CRITERIA,
    THREE_LISTS,
    Disposition,
    TriagePolicy,
    three_lists,
    triage,
)

AS_OF = dt.date(2020, 6, 30)
MEIZHOU_CSV = (Path(__file__).resolve().parents[2] / "netplan" / "data" / "scenarios"
               / "meizhou-2020-systems.csv")


def system(sid: str, **kw) -> System:
    """A healthy system (used last week, updated this year, 30 % idle) unless told otherwise."""
    base = {"system_id": sid, "name": sid, "department": "市民政局",
            "last_used": dt.date(2020, 6, 20), "last_update": dt.date(2020, 1, 1), "idle_pct": 30}
    return System(**{**base, **kw})


def assert_triage_consistent(result, inventory, policy):
    """Certificate: what every disposition promises, checked from the inventory itself."""
    assert [d.system_id for d in result.decisions] == list(inventory.ids)  # nothing lost
    assert sum(result.counts().values()) == len(inventory)
    by = result.by_id
    staying = {Disposition.MIGRATE, Disposition.KEEP}
    for d in result.decisions:
        s = inventory.by_id[d.system_id]
        assert set(d.criteria) <= set(CRITERIA) and len(d.evidence) == len(d.criteria)
        if d.disposition == Disposition.RETIRE:
            assert len(d.criteria) >= policy.zombie_min_criteria
            assert not (s.classified or s.network == "涉密网")
            users = [x for x in inventory if d.system_id in x.depends_on]
            assert all(by[u.system_id].disposition not in staying for u in users)
        if d.disposition == Disposition.INTEGRATE:
            assert s.replaceable_by is not None
            assert by[d.target].disposition in staying
        else:
            assert d.target is None
        if s.classified or s.network == "涉密网":
            assert d.disposition == Disposition.KEEP


@pytest.fixture(scope="module")
def hand():
    systems = [
        system("K1", classified=True, idle_pct=95, last_used=dt.date(2018, 1, 1)),
        system("K2", network="涉密网"),
        system("C1", on_cloud=True),
        system("C2", on_cloud=True, idle_pct=90, last_update=dt.date(2018, 6, 30)),
        system("R1", idle_pct=92, last_update=dt.date(2017, 1, 15)),
        system("R2", last_used=dt.date(2019, 6, 30), usage_scope="内部科室",
               usage_frequency="很少"),
        system("M1", last_used=dt.date(2019, 7, 1), usage_scope="内部科室",
               usage_frequency="每年"),
        system("I1", replaceable_by="M2"),
        system("M2"),
        system("I2", replaceable_by="I1", idle_pct=85),
        system("Z1", idle_pct=99, last_update=dt.date(2015, 3, 3), depends_on=("Z2",)),
        system("M3", depends_on=("Z1",)),
        system("Z2", idle_pct=88, last_used=dt.date(2016, 1, 1)),
        system("T1", idle_pct=81, last_update=dt.date(2010, 1, 1)),
        system("I3", replaceable_by="T1"),
        system("U1", last_used=None, last_update=None, idle_pct=None),
        system("D1", depends_on=("I1",)),
    ]
    inv = Inventory(systems)
    return inv, triage(inv, TriagePolicy(), as_of=AS_OF)


EXPECTED = {
    "K1": ("keep", None), "K2": ("keep", None), "C1": ("keep", None), "C2": ("retire", None),
    "R1": ("retire", None), "R2": ("retire", None), "M1": ("migrate", None),
    "I1": ("integrate", "M2"), "M2": ("migrate", None), "I2": ("integrate", "M2"),
    "Z1": ("migrate", None), "M3": ("migrate", None), "Z2": ("migrate", None),
    "T1": ("migrate", None), "I3": ("integrate", "T1"), "U1": ("migrate", None),
    "D1": ("migrate", None),
}


def test_each_system_gets_the_expected_disposition(hand):
    inv, result = hand
    got = {d.system_id: (d.disposition.value, d.target) for d in result.decisions}
    assert got == EXPECTED
    assert result.counts() == {"retire": 3, "integrate": 3, "migrate": 8, "keep": 3}
    assert result.ids("integrate") == ("I1", "I2", "I3")
    assert_triage_consistent(result, inv, TriagePolicy())


def test_evidence_quotes_values_and_thresholds(hand):
    _, result = hand
    by = result.by_id
    assert by["R1"].criteria == ("idle", "stale")
    assert by["R1"].evidence == ("资源闲置率 92% ≥ 80%",
                                 "最近更新 2017-01-15，距评估日 2020-06-30 已 41 个月 ≥ 24 个月")
    assert by["R1"].reason == "zombie: 2 of 5 criteria met (≥ 2)"
    # exactly 12 months is "12 months or more"; 11 months and 29 days is not
    assert by["R2"].evidence == ("最近使用 2019-06-30，距评估日 2020-06-30 已 12 个月 ≥ 12 个月",
                                 "使用范围 内部科室、使用频度 很少（范围小、频度低）")
    assert by["M1"].criteria == ("small_low",)
    assert by["I2"].criteria == ("replaceable", "idle")
    assert by["I2"].evidence[0] == "功能可被 I1 替代"


def test_keep_reasons_come_first(hand):
    _, result = hand
    by = result.by_id
    assert by["K1"].reason == "classified (涉密): stays where it is"
    assert by["K1"].criteria == ("detached", "idle")  # evaluated, recorded, but it stays
    assert by["K2"].reason == "on the classified network (涉密网): stays where it is"
    assert by["C1"].reason == "already on cloud"
    # A zombie already on the cloud is still retired: its cloud resources are freed.
    assert by["C2"].disposition == Disposition.RETIRE


def test_nothing_needed_is_retired_silently(hand):
    _, result = hand
    by = result.by_id
    assert by["Z1"].criteria == ("idle", "stale")
    assert by["Z1"].reason == "zombie criteria met, but systems in use depend on it"
    assert by["Z1"].notes == ("被 M3 依赖，暂不清理",)
    # Z2 is needed by Z1, which is kept because M3 needs it: kept in turn.
    assert by["Z2"].disposition == Disposition.MIGRATE
    assert by["Z2"].notes == ("被 Z1 依赖，暂不清理",)
    assert by["T1"].reason == "zombie criteria met, but kept as an integration target"
    assert by["T1"].notes == ("是 I3 的整合目标，不予清理",)
    assert by["I2"].notes == ("I1 也将整合，功能最终并入 M2",)
    assert by["I1"].notes == ("D1 依赖本系统，整合后改为依赖 M2",)


def test_unknown_data_is_noted_not_counted(hand):
    _, result = hand
    d = result.by_id["U1"]
    assert d.criteria == () and d.disposition == Disposition.MIGRATE
    assert len(d.notes) == 3 and all(n.startswith("未填写") for n in d.notes)


@pytest.mark.parametrize(("policy", "changed"), [
    (TriagePolicy(zombie_min_criteria=3), {"C2": "keep", "R1": "migrate", "R2": "migrate"}),
    (TriagePolicy(idle_pct_min=95), {"C2": "keep", "R1": "migrate"}),
    (TriagePolicy(unused_months=13), {"R2": "migrate"}),
    (TriagePolicy(stale_months=120), {"C2": "keep", "R1": "migrate"}),
    (TriagePolicy(low_frequencies=("每年",)), {"R2": "migrate"}),
])
def test_thresholds_move_systems(hand, policy, changed):
    inv, _ = hand
    result = triage(inv, policy, as_of=AS_OF)
    got = {d.system_id: d.disposition.value for d in result.decisions}
    want = {k: v[0] for k, v in EXPECTED.items()} | changed
    assert got == want
    assert_triage_consistent(result, inv, policy)


def test_policy_is_validated():
    with pytest.raises(pydantic.ValidationError, match="not usage scopes"):
        TriagePolicy(low_scopes=("全省",))
    with pytest.raises(pydantic.ValidationError, match="not usage frequencies"):
        TriagePolicy(low_frequencies=("每天",))
    with pytest.raises(pydantic.ValidationError):
        TriagePolicy(zombie_min_criteria=6)
    for name, f in TriagePolicy.model_fields.items():
        assert f.description, name


def test_result_table(hand):
    _, result = hand
    df = result.to_frame()
    assert list(df.columns) == ["disposition", "reason", "n_criteria", "criteria", "evidence",
                                "target", "notes"]
    assert df.loc["R1", "criteria"] == "idle;stale" and df.loc["R1", "n_criteria"] == 2
    assert df.loc["I2", "target"] == "M2" and df.loc["M2", "target"] == ""
    assert str(result) == ("triage of 17 systems as of 2020-06-30: 3 retire, 3 integrate, "
                           "8 migrate, 3 keep")


# --------------------------------------------------------------------------- three lists


def test_three_lists_add_up(hand):
    inv, result = hand
    lists = three_lists(result, inv)
    assert set(lists) == set(THREE_LISTS)
    c = result.counts()
    assert len(lists["inventory"]) == len(inv) == 17
    assert len(lists["cleanup"]) == c["retire"] + c["integrate"] == 6
    assert len(lists["platform"]) == c["migrate"] + c["keep"] == 11
    assert set(lists["cleanup"].index).isdisjoint(lists["platform"].index)
    assert set(lists["cleanup"].index) | set(lists["platform"].index) == set(inv.ids)
    # every integration target stays in use, and says what it absorbs
    targets = set(lists["cleanup"]["target"]) - {""}
    assert targets == {"M2", "T1"} and targets <= set(lists["platform"].index)
    assert lists["platform"].loc["M2", "absorbs"] == "I1;I2"
    assert lists["cleanup"].loc["R1", "criteria"] == (
        "所占用资源长期处于空闲状态、运行维护停止更新服务")
    assert lists["platform"].loc["K1", "notes"].startswith("涉密系统")
    assert lists["platform"]["platform_connected"].dtype == bool


def test_three_lists_refuse_another_inventory(hand):
    inv, result = hand
    with pytest.raises(ValueError, match="not a triage of this inventory"):
        three_lists(result, synthetic_inventory(5))


# --------------------------------------------------------------------------- Meizhou


@pytest.fixture(scope="module")
def meizhou():
    inv = read_inventory(MEIZHOU_CSV)
    return inv, triage(inv, as_of=AS_OF)


def test_meizhou_nothing_lost(meizhou):
    inv, result = meizhou
    assert_triage_consistent(result, inv, TriagePolicy())
    ids = [sid for x in Disposition for sid in result.ids(x)]
    assert sorted(ids) == sorted(inv.ids) and len(set(ids)) == len(inv) == 236


def test_meizhou_counts(meizhou):
    inv, result = meizhou
    # 24 zombies (10 %) of which 4 others still need, 19 duplicates (8 %), 7 classified (3 %)
    # and 12 already on the cloud (5 %).
    assert result.counts() == {"retire": 20, "integrate": 19, "migrate": 178, "keep": 19}
    kept_zombies = [d for d in result.decisions if d.disposition == Disposition.MIGRATE
                    and len(d.criteria) >= 2]
    assert len(kept_zombies) == 4 and all(d.notes for d in kept_zombies)
    lists = three_lists(result, inv)
    assert {k: len(v) for k, v in lists.items()} == {"inventory": 236, "cleanup": 39,
                                                     "platform": 197}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_write_three_lists(meizhou, tmp_path, language):
    inv, result = meizhou
    lists = three_lists(result, inv)
    paths = write_three_lists(lists, tmp_path / "lists", language=language)
    assert [p.suffix for p in paths] == [".csv", ".csv", ".csv", ".xlsx"]
    assert all(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in paths[:3])
    # the first list is an inventory file netplan reads back
    assert read_inventory(paths[0]) == inv
    cleanup_header = paths[1].read_text(encoding="utf-8-sig").splitlines()[0]
    if language == "zh":
        assert paths[0].name == "1_政务信息系统情况清单.csv" and paths[3].name == "三张清单.xlsx"
        assert cleanup_header == ("系统编号,系统名称,所属部门,层级,服务区域,处置方式,整合目标,"
                                  "符合的僵尸系统条件,依据,备注")
        assert "整合" in paths[1].read_text(encoding="utf-8-sig")
    else:
        assert paths[0].name == "1_system_inventory.csv"
        assert cleanup_header == ("system_id,name,department,tier,site,disposition,target,"
                                  "criteria,evidence,notes")
    wb = openpyxl.load_workbook(paths[3])
    assert len(wb.sheetnames) == 3
    for ws, key in zip(wb.worksheets, THREE_LISTS, strict=True):
        assert ws.max_row == len(lists[key]) + 1
