"""The quarterly report (planned against achieved), the log's checks and replan, by hand.

The plan is the tiny migration scheduled by hand (one team, serial): 县医保 in week 0 (on the
cloud Sunday 2020-01-12), 人口库 weeks 1-2 (01-26), 警务通 week 3 (02-02), 低保 + 救助 weeks 4-5
(02-16). 旧OA is retired by the triage, 档案 (classified) and 门户 (on the cloud, connected)
are kept. Report dates 01-31, 02-29 and 03-29 (the end of the grid).
"""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from netplan.examples import tiny_migration
from netplan.migration.build import build_migration_project
from netplan.migration.plan import plan_migration
from netplan.migration.progress import (
    MEASURES,
    ProgressEvent,
    ProgressLog,
    check_progress,
    link_label,
    next_monday,
    quarterly_report,
    replan,
)
from netplan.migration.project import Schedule, SolveStatus, check_schedule
from netplan.migration.result import MigrationPlan
from netplan.model.scenario import TimelineTarget

D = dt.date
DATES = ["01-31", "02-29", "03-29"]
J31, F29, M29 = D(2020, 1, 31), D(2020, 2, 29), D(2020, 3, 29)
POP, COUNTY = "测试省/甲市#电信", "测试省/甲市/A县"


@pytest.fixture(scope="module")
def tiny():
    scenario, inventory = tiny_migration()
    mp = build_migration_project(scenario, inventory)
    week = {("A县医疗保障局/县医保",): 0, ("市公安局/人口库",): 1, ("市公安局/警务通",): 3,
            ("市民政局/低保", "市民政局/救助"): 4}
    starts = np.array([week[g.systems] for g in mp.groups])
    check_schedule(mp.project, starts)
    plan = MigrationPlan(SolveStatus.FEASIBLE,
                         Schedule(starts, SolveStatus.FEASIBLE, 0.0, None, 0.0, "by hand"), mp)
    return scenario, inventory, plan


def _e(kind, item, event, day):
    return ProgressEvent(kind, item, event, day)


LOG = ProgressLog((
    _e("unit", "市公安局", "inventoried", D(2020, 1, 10)),
    _e("system", "A县医疗保障局/县医保", "inventoried", D(2020, 1, 15)),
    _e("system", "A县医疗保障局/县医保", "plan_submitted", D(2020, 1, 20)),
    _e("system", "A县医疗保障局/县医保", "migrated", D(2020, 1, 19)),
    _e("system", "A县医疗保障局/县医保", "connected", D(2020, 1, 25)),
    _e("link", link_label(COUNTY, POP), "upgraded", D(2020, 2, 1)),
    *(_e("system", f"市民政局/{n}", "inventoried", D(2020, 2, 5))
      for n in ("低保", "救助", "旧OA")),
    _e("system", "市公安局/人口库", "migrated", D(2020, 2, 9)),
    _e("system", "市档案馆/档案", "inventoried", D(2020, 2, 10)),
    _e("system", "市公安局/人口库", "connected", D(2020, 2, 12)),
    _e("system", "市民政局/低保", "migrated", D(2020, 2, 16)),
    _e("system", "市民政局/救助", "migrated", D(2020, 2, 16)),
    _e("unit", "市公安局", "listed", D(2020, 2, 20)),
    _e("system", "市民政局/旧OA", "retired", D(2020, 2, 20)),
    _e("unit", "市公安局", "plan_submitted", D(2020, 2, 25)),
), as_of=F29)


def test_planned_and_achieved_by_hand(tiny):
    scenario, _, plan = tiny
    upgrades = pd.DataFrame({"source": [COUNTY], "target": [POP], "year": [2020]})
    rep = quarterly_report(plan, LOG, report_dates=DATES, scenario=scenario, upgrades=upgrades)
    assert rep.dates == (J31, F29, M29)
    want = {  # measure: (planned, achieved) at 01-31, 02-29, 03-29
        "systems_inventoried": ((8, 3), (8, 7), (8, None)),
        "systems_listed": ((8, 0), (8, 2), (8, None)),
        "unit_plans_submitted": ((3, 1), (3, 2), (3, None)),
        "systems_integrated": ((0, 0), (0, 0), (0, None)),
        "systems_retired": ((1, 0), (1, 1), (1, None)),
        "systems_migrated": ((2, 1), (5, 4), (5, None)),
        "systems_on_cloud": ((3, 2), (6, 5), (6, None)),
        # must connect: 5 to migrate + 档案 + 门户; 门户 connected, 档案 queued for 01-12
        "platform_connected": ((4, 2), (7, 3), (7, None)),
        "platform_connected_pct": ((57.1, 28.6), (100.0, 42.9), (100.0, None)),
        # due by the last report date of 2020 (03-29 here)
        "links_upgraded": ((0, 0), (0, 1), (1, None)),
    }
    assert list(want) == list(MEASURES)
    for m, per_date in want.items():
        for day, (p, a) in zip(rep.dates, per_date, strict=True):
            e = rep.at(day, m)
            assert (e.planned, e.achieved) == (p, a), (m, day)
            assert e.gap == (None if a is None else round(p - a, 1))
    df = rep.to_frame()
    assert list(df.columns) == ["date", "measure", "planned", "achieved", "gap"]
    assert len(df) == 3 * len(MEASURES)
    wide = rep.wide_frame()
    assert len(wide) == 3 and wide.loc[1, "systems_migrated_gap"] == 1
    assert "2020-02-29 4 systems migrated against 5 planned" in str(rep)


def test_deadlines_from_the_timeline(tiny):
    scenario, _, plan = tiny
    kinds = [TimelineTarget(name="市级梳理", date=D(2020, 2, 15), kind="inventory_city"),
             TimelineTarget(name="县级梳理", date=D(2020, 1, 20), kind="inventory_county"),
             TimelineTarget(name="三张清单完成", date=D(2020, 3, 1), kind="three_lists"),
             TimelineTarget(name="方案", date=D(2020, 2, 20), kind="unit_plans")]
    words = [("市级部门系统清单梳理完成", D(2020, 2, 15)),
             ("县级部门系统清单梳理完成", D(2020, 1, 20)),
             ("三张清单完成", D(2020, 3, 1)), ("部门上云迁移方案提交", D(2020, 2, 20))]
    for timeline in (kinds, words):
        rep = quarterly_report(plan, report_dates=DATES, timeline=timeline)
        got = {m: [rep.at(d, m).planned for d in rep.dates]
               for m in ("systems_inventoried", "systems_listed", "unit_plans_submitted")}
        # one county system (县医保) by 01-20, the 7 city ones by 02-15
        assert got == {"systems_inventoried": [1, 8, 8], "systems_listed": [0, 0, 8],
                       "unit_plans_submitted": [0, 3, 3]}
        assert rep.as_of is None
        assert all(e.achieved is None and e.gap is None for e in rep.entries)


def test_by_unit(tiny):
    scenario, _, plan = tiny
    rep = quarterly_report(plan, LOG, report_dates=DATES, scenario=scenario)
    df = rep.by_unit()  # the last date with achieved figures: 02-29
    assert df.attrs["date"] == "2020-02-29"
    rows = [tuple(r) for r in df[["unit", "to_migrate", "planned", "achieved", "gap"]]
            .itertuples(index=False)]
    assert rows == [("市公安局", 2, 2, 1, 1), ("市民政局", 2, 2, 2, 0),
                    ("A县医疗保障局", 1, 1, 1, 0)]
    assert list(df["plan_submitted"]) == [D(2020, 2, 25), None, D(2020, 1, 20)]
    early = rep.by_unit(J31)
    assert list(early["planned"]) == [1, 0, 1] and list(early["achieved"]) == [0, 0, 1]
    assert list(early["plan_submitted"]) == [None, None, D(2020, 1, 20)]
    assert rep.by_unit(M29)["achieved"].isna().all()


def test_as_of_defaults_to_the_report_date_after_the_last_event(tiny):
    _, _, plan = tiny
    log = ProgressLog(LOG.events[:4])  # last event 2020-01-20, no as_of
    rep = quarterly_report(plan, log, report_dates=DATES)
    assert rep.as_of == J31
    assert rep.at(J31, "systems_migrated").achieved == 1
    assert rep.at(F29, "systems_migrated").achieved is None


def test_no_log_gives_planned_only(tiny):
    _, _, plan = tiny
    rep = quarterly_report(plan, report_dates=DATES)
    assert [rep.at(d, "systems_on_cloud").planned for d in rep.dates] == [3, 6, 6]
    # the same on-cloud projection as the plan's own progress()
    prog = plan.progress(DATES)
    assert list(prog["on_cloud"]) == [3, 6, 6]
    assert rep.by_unit()["achieved"].isna().all()


# --------------------------------------------------------------------------- checks


def test_check_progress_names_each_problem(tiny):
    _, inventory, _ = tiny
    from netplan.topology import build_topology

    topo = build_topology(tiny[0])
    events = [
        _e("system", "市公安局/人口", "migrated", D(2020, 1, 5)),  # 0 unknown id
        _e("system", "市公安局/人口库", "upgraded", D(2020, 1, 5)),  # 1 wrong kind
        _e("thing", "x", "migrated", D(2020, 1, 5)),  # 2 unknown kind
        _e("system", "市公安局/人口库", "moved", D(2020, 1, 5)),  # 3 unknown event
        _e("unit", "市公安", "listed", D(2020, 1, 5)),  # 4 unknown unit
        _e("link", link_label(COUNTY, "测试省"), "upgraded", D(2020, 1, 5)),  # 5 not linked
        _e("link", link_label("测试省/乙市", POP), "upgraded", D(2020, 1, 5)),  # 6 no node
        _e("link", "9999", "upgraded", D(2020, 1, 5)),  # 7 no such link id
        _e("system", "市公安局/警务通", "migrated", D(2020, 3, 1)),  # 8 after as_of
        _e("system", "市公安局/人口库", "migrated", D(2020, 1, 5)),  # 9 first
        _e("system", "市公安局/人口库", "migrated", D(2020, 1, 6)),  # 10 contradicts 9
        _e("system", "市公安局/人口库", "migrated", D(2020, 1, 5)),  # 11 same as 9: fine
        _e("system", "市公安局/人口库", "inventoried", D(2020, 1, 8)),  # 12 → 9 before it
        _e("system", "市民政局/旧OA", "retired", D(2020, 1, 2)),  # 13
        _e("system", "市民政局/旧OA", "migrated", D(2020, 1, 9)),  # 14 after retired
        _e("link", link_label(POP, COUNTY), "upgraded", D(2020, 1, 5)),  # 15 fine (reversed)
        _e("link", "14", "upgraded", D(2020, 1, 5)),  # 16 fine (a link id)
    ]
    issues = check_progress(events, inventory=inventory, topology=topo, as_of=F29)
    text = [str(i) for i in issues]
    expect = [
        ("events[0].item_id", "unknown system id '市公安局/人口'"),
        ("events[1].event", "event 'upgraded' does not apply to a system"),
        ("events[2].item_kind", "unknown item kind 'thing'"),
        ("events[3].event", "unknown event 'moved'"),
        ("events[4].item_id", "unknown unit '市公安'"),
        ("events[5].item_id", "are not linked"),
        ("events[6].item_id", "node '测试省/乙市' is not in the topology"),
        ("events[7].item_id", "unknown link '9999'"),
        ("events[8].date", "2020-03-01 is after the report date 2020-02-29"),
        ("events[10].date", "migrated on 2020-01-06, but on 2020-01-05 at events[9].date"),
        ("events[9].date", "before it was inventoried on 2020-01-08"),
        ("events[14].date", "after it was retired on 2020-01-02"),
    ]
    assert len(issues) == len(expect), text
    for (path, msg), t in zip(expect, text, strict=True):
        assert t.startswith(path) and msg in t, (path, msg, t)
    assert all(i.hint for i in issues)


def test_check_progress_without_references_checks_only_the_log():
    events = [_e("system", "anything", "migrated", D(2020, 1, 5)),
              _e("link", "a -- b", "upgraded", D(2020, 1, 5))]
    assert check_progress(events) == []


# --------------------------------------------------------------------------- replan


def test_next_monday():
    assert next_monday(D(2020, 1, 19)) == D(2020, 1, 20)  # a Sunday
    assert next_monday(D(2020, 1, 20)) == D(2020, 1, 27)  # a Monday: the next one
    assert next_monday(D(2020, 1, 22)) == D(2020, 1, 27)


def test_replan_with_an_empty_log_is_the_plan_from_as_of(tiny):
    scenario, inventory, _ = tiny
    as_of = D(2020, 1, 22)
    a = replan(scenario, inventory, ProgressLog(), as_of=as_of, backend="milp",
               time_limit_s=20)
    b = plan_migration(scenario, inventory, backend="milp", time_limit_s=20,
                       as_of=D(2020, 1, 27))
    assert a.mp.grid == b.mp.grid and a.mp.grid.start == D(2020, 1, 27)
    assert a.mp.done == b.mp.done == ()
    assert [g.systems for g in a.mp.groups] == [g.systems for g in b.mp.groups]
    assert a.status == b.status
    assert np.array_equal(a.starts, b.starts)
    assert a.to_frame().equals(b.to_frame())


def test_replan_does_not_reschedule_done_systems(tiny):
    scenario, inventory, _ = tiny
    log = ProgressLog((
        _e("system", "A县医疗保障局/县医保", "migrated", D(2020, 1, 12)),
        _e("system", "市公安局/人口库", "migrated", D(2020, 1, 26)),
        _e("system", "市民政局/旧OA", "retired", D(2020, 1, 20)),
        _e("system", "市公安局/警务通", "migrated", D(2020, 2, 2)),  # after as_of: ignored
    ))
    plan = replan(scenario, inventory, log, as_of=D(2020, 1, 26), backend="milp",
                  time_limit_s=20)
    assert plan.feasible
    assert plan.mp.done == ("A县医疗保障局/县医保", "市公安局/人口库")
    scheduled = {s for g in plan.mp.groups for s in g.systems}
    assert scheduled == {"市公安局/警务通", "市民政局/低保", "市民政局/救助"}
    assert "市民政局/旧OA" not in plan.mp.inventory
    assert plan.mp.grid.start == D(2020, 1, 27)
    assert (plan.to_frame()["start_date"] >= D(2020, 1, 27)).all()
    # the done systems count toward the targets: all 7 on the cloud by 2020-03-29
    ms = plan.milestones()
    assert list(ms["required"]) == [3, 6] and ms["met"].all()
    # the report of the replan counts the retired system as planned and retired
    rep = quarterly_report(plan, log, report_dates=DATES, as_of=D(2020, 1, 26))
    e = rep.at(J31, "systems_retired")
    assert e.planned == 1 and e.achieved is None  # 01-31 is after as_of
    assert rep.at(J31, "systems_inventoried").planned == 8


def test_replan_drops_references_to_removed_systems(tiny):
    scenario, inventory, _ = tiny
    # 人口库 is 警务通's provider: retiring it must not leave a dangling dependency
    log = ProgressLog((_e("system", "市公安局/人口库", "retired", D(2020, 1, 10)),))
    plan = replan(scenario, inventory, log, as_of=D(2020, 1, 12), backend="heuristic",
                  time_limit_s=2)
    assert plan.mp.inventory.by_id["市公安局/警务通"].depends_on == ()
    assert "市公安局/人口库" not in {s for g in plan.mp.groups for s in g.systems}


def test_by_system_expands_unit_rows(tiny):
    _, inventory, plan = tiny
    log = LOG.by_system(inventory)
    assert all(e.item_kind in ("system", "link") for e in log.events)
    assert log.dates("listed") == {"市公安局/人口库": D(2020, 2, 20),
                                   "市公安局/警务通": D(2020, 2, 20)}
    assert len(log) == len(LOG) + 2 * 3 - 3  # three unit rows of two systems each
    # the report counts the same either way
    a = quarterly_report(plan, LOG, report_dates=DATES).to_frame()
    b = quarterly_report(plan, log, report_dates=DATES).to_frame()
    assert a.equals(b)
