"""targets.timeline: the model, the old milestones, the checks diagnose makes, the Meizhou file."""

import datetime as dt
import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from netplan.cli import main
from netplan.examples import TINY_SCENARIO, meizhou_2020, scenario_path
from netplan.model.diagnose import diagnose
from netplan.model.scenario import TIMELINE_KINDS, Scenario, Targets, TimelineTarget


def _scenario(**targets) -> Scenario:
    data = dict(TINY_SCENARIO)
    data["targets"] = dict(data["targets"], **targets)
    return Scenario.model_validate(data)


def test_kind_fields():
    t = TimelineTarget(name="清单系统100%接入共享交换平台", date="2022-12-31",
                       kind="platform_connected")
    assert t.pct == 100.0 and t.systems is None and t.source is None
    assert TimelineTarget(name="a", date="2022-12-31", kind="platform_connected",
                          pct=80).pct == 80
    assert TimelineTarget(name="a", date="2020-12-31", kind="systems_on_cloud",
                          systems="all").systems == "all"
    with pytest.raises(ValidationError, match="needs `systems`"):
        TimelineTarget(name="a", date="2020-12-31", kind="systems_on_cloud")
    with pytest.raises(ValidationError, match="`systems` is only for kind systems_on_cloud"):
        TimelineTarget(name="a", date="2020-12-31", kind="other", systems=3)
    with pytest.raises(ValidationError, match="`pct` is only for kind platform_connected"):
        TimelineTarget(name="a", date="2020-12-31", kind="backbone_upgrade", pct=50)
    with pytest.raises(ValidationError, match="four_tier_coverage"):  # the kinds are listed
        TimelineTarget(name="a", date="2020-12-31", kind="coverage")


def test_full_timeline_maps_old_milestones_and_unnamed_cloud_targets():
    t = Targets(
        systems_on_cloud=[{"by": "2020-12-31", "systems": 120},
                          {"by": "2021-12-31", "systems": "all"}],
        timeline=[{"name": "全部系统迁移上云", "date": "2021-12-31", "kind": "systems_on_cloud",
                   "systems": "all"},
                  {"name": "三张清单完成", "date": "2020-06-30", "kind": "three_lists"}],
        milestones=[{"name": "三张清单完成", "date": "2020-06-30"},   # already in the timeline
                    {"name": "老里程碑", "date": "2020-03-01"}])
    got = [(x.name, x.date, x.kind) for x in t.full_timeline()]
    assert got == [("老里程碑", dt.date(2020, 3, 1), "other"),
                   ("三张清单完成", dt.date(2020, 6, 30), "three_lists"),
                   ("120 systems on the cloud", dt.date(2020, 12, 31), "systems_on_cloud"),
                   ("全部系统迁移上云", dt.date(2021, 12, 31), "systems_on_cloud")]


def test_diagnose_cloud_targets_must_agree():
    s = _scenario(systems_on_cloud=[{"by": "2020-12-31", "systems": 120}],
                  timeline=[{"name": "120个以上系统迁移上云", "date": "2020-12-31",
                             "kind": "systems_on_cloud", "systems": 100},
                            {"name": "全部系统迁移上云", "date": "2021-12-31",
                             "kind": "systems_on_cloud", "systems": "all"}])
    issues = {i.path: i for i in diagnose(s)}
    a = issues["targets.timeline[0].systems"]
    assert a.severity == "error" and "asks for 100" in a.message and "120" in a.message
    b = issues["targets.timeline[1]"]
    assert b.severity == "error" and "no target on that date" in b.message
    assert "{by: 2021-12-31, systems: all}" in b.hint
    agreeing = _scenario(systems_on_cloud=[{"by": "2020-12-31", "systems": 120}],
                         timeline=[{"name": "x", "date": "2020-12-31",
                                    "kind": "systems_on_cloud", "systems": 120}])
    assert diagnose(agreeing) == []


def test_diagnose_warns_on_old_milestones_and_platform_pct():
    s = _scenario(milestones=[{"name": "三张清单完成", "date": "2020-06-30"}],
                  platform_connected_pct=90,
                  timeline=[{"name": "p", "date": "2022-12-31", "kind": "platform_connected"}])
    issues = {i.path: i for i in diagnose(s)}
    m = issues["targets.milestones"]
    assert m.severity == "warning" and "deprecated" in m.message and "kind other" in m.message
    assert '"三张清单完成" (2020-06-30)' in m.message
    assert all(k in m.hint for k in TIMELINE_KINDS)
    p = issues["targets.timeline[0].pct"]
    assert p.severity == "warning" and "100%" in p.message and "90%" in p.message


def test_validate_names_the_kinds_of_an_unknown_kind(tmp_path, capsys):
    text = Path(scenario_path("meizhou-2020")).read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("kind: three_lists", "kind: three_list", 1), encoding="utf-8")
    shutil.copy(Path(scenario_path("meizhou-2020")).parent / "meizhou-2020-systems.csv",
                tmp_path / "meizhou-2020-systems.csv")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "kind: three_lists" in t)
    assert f'line {line}: targets.timeline[2].kind: "three_list" is not allowed' in err
    assert all(f"'{k}'" in err for k in TIMELINE_KINDS)
    assert "Traceback" not in err


def test_meizhou_timeline_from_the_documents():
    s = meizhou_2020()
    assert s.targets.milestones == []
    got = [(t.name, str(t.date), t.kind) for t in s.targets.timeline]
    assert got == [  # REQUIREMENTS.md §2, §4, §5
        ("市级部门系统清单梳理完成", "2020-04-30", "inventory_city"),
        ("县级部门系统清单梳理完成", "2020-05-31", "inventory_county"),
        ("三张清单完成", "2020-06-30", "three_lists"),
        ("部门上云迁移方案提交", "2020-07-31", "unit_plans"),
        ("共享交换平台升级完成", "2020-09-30", "platform_upgrade"),
        ("电子政务外网骨干升级完成", "2020-12-31", "backbone_upgrade"),
        ("120个以上系统迁移上云", "2020-12-31", "systems_on_cloud"),
        ("全部系统迁移上云", "2021-12-31", "systems_on_cloud"),
        ("市县镇村四级全覆盖", "2021-12-31", "four_tier_coverage"),
        ("清单系统100%接入共享交换平台", "2022-12-31", "platform_connected")]
    assert [t.systems for t in s.targets.timeline if t.kind == "systems_on_cloud"] == [120, "all"]
    assert all(t.source for t in s.targets.timeline)
    assert s.exchange_platform.connections_per_week == 5
    # the timeline names every cloud target: nothing is added, nothing disagrees
    assert len(s.targets.full_timeline()) == len(s.targets.timeline)
    assert diagnose(s) == []
