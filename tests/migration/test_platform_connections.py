"""MigrationPlan.platform_connections and the progress projection built on it, counted by hand.

The inventory: seven classified systems that stay where they are (kept) and are not connected,
one system already on the cloud and connected, one system to migrate (one week: with one team
it starts in week 0 and is on the cloud on Sunday 2020-01-12) and a zombie that is retired.
Systems in use: 7 + 1 + 1 = 9; connected already: 1.

With 3 connections a week from the platform upgrade (2020-01-31, so from 2020-02-01), in order
of criticality then id, the kept systems connect: K-a, K-c (5), K-f (4) on 2020-02-07; K-b,
K-e (3), K-g (2) on 2020-02-14; K-d (1) on 2020-02-21.
"""

import datetime as dt

import pytest

from netplan.examples import TINY_SCENARIO
from netplan.migration.inventory import Inventory, System
from netplan.migration.plan import plan_migration
from netplan.model.scenario import Scenario

D = dt.date
KEPT = {"K-a": 5, "K-b": 3, "K-c": 5, "K-d": 1, "K-e": 3, "K-f": 4, "K-g": 2}


def _scenario(upgrade: str | None = "2020-01-31", per_week: int = 3,
              report_dates=("01-31", "02-10", "02-20", "02-29")) -> Scenario:
    data = dict(TINY_SCENARIO)
    data["migration"] = {"start": "2020-01-06", "end": "2020-03-29", "teams": 1}
    data["exchange_platform"] = dict(data["exchange_platform"], connections_per_week=per_week)
    timeline = ([{"name": "共享交换平台升级完成", "date": upgrade, "kind": "platform_upgrade"}]
                if upgrade else [])
    data["targets"] = dict(data["targets"], report_dates=list(report_dates), timeline=timeline,
                           systems_on_cloud=[{"by": "2020-03-29", "systems": "all"}])
    return Scenario.model_validate(data)


def _inventory() -> Inventory:
    city = {"tier": "city", "site": "甲市", "department": "市档案馆"}
    old = D(2017, 1, 1)
    systems = [System(system_id=sid, name=f"涉密{sid}", classified=True, criticality=c, **city)
               for sid, c in KEPT.items()]
    systems += [
        System(system_id="C1", name="门户", on_cloud=True, platform_connected=True, **city),
        System(system_id="M1", name="审批", migration_weeks=1, vcpu=4, **city),
        System(system_id="Z1", name="旧OA", idle_pct=95, last_used=old, last_update=old, **city),
    ]
    return Inventory(tuple(systems))


@pytest.fixture(scope="module")
def plans():
    inv = _inventory()
    s = _scenario()
    return s, plan_migration(s, inv, backend="heuristic", time_limit_s=5)


def test_every_system_in_use_gets_its_date(plans):
    s, plan = plans
    df = plan.platform_connections(s).set_index("system_id")
    assert list(df.columns) == ["name", "department", "disposition", "must_connect",
                                "connected_already", "planned_date", "rule"]
    assert df.loc["Z1", "disposition"] == "retire" and not df.loc["Z1", "must_connect"]
    assert df.loc["Z1", "planned_date"] is None
    assert df.loc["C1", "connected_already"] and df.loc["C1", "planned_date"] is None
    # the migrated system connects at its cutover, the same date the schedule gives
    cutover = plan.to_frame().set_index("system_id").loc["M1", "cutover_date"]
    assert cutover == D(2020, 1, 12)
    assert df.loc["M1", "planned_date"] == cutover and df.loc["M1", "rule"].startswith(
        "connects at its cutover")
    kept = {i: df.loc[i, "planned_date"] for i in KEPT}
    assert kept == {"K-a": D(2020, 2, 7), "K-c": D(2020, 2, 7), "K-f": D(2020, 2, 7),
                    "K-b": D(2020, 2, 14), "K-e": D(2020, 2, 14), "K-g": D(2020, 2, 14),
                    "K-d": D(2020, 2, 21)}
    assert int(df["must_connect"].sum()) == 9


def test_progress_reaches_100_pct_with_the_right_share_per_quarter(plans):
    s, plan = plans
    prog = plan.progress(scenario=s)
    assert list(prog["date"]) == [D(2020, 1, 31), D(2020, 2, 10), D(2020, 2, 20),
                                  D(2020, 2, 29)]
    # C1 + M1; + K-a, K-c, K-f; + K-b, K-e, K-g; + K-d — of 9 in use
    assert list(prog["platform_connected"]) == [2, 5, 8, 9]
    assert list(prog["platform_connected_pct"]) == [22.2, 55.6, 88.9, 100.0]


def test_connections_after_the_plan_extend_the_projection():
    inv = _inventory()
    s = _scenario(upgrade="2020-03-31", report_dates=("01-31", "02-20", "03-31", "04-10",
                                                      "04-30", "05-31"))
    plan = plan_migration(s, inv, backend="heuristic", time_limit_s=5)
    df = plan.platform_connections(s).set_index("system_id")
    # from 2020-04-01: 04-07, 04-14, 04-21 — after the plan's last day, 2020-03-29
    assert df.loc["K-d", "planned_date"] == D(2020, 4, 21)
    prog = plan.progress(scenario=s)
    # the report dates go on to the first one after the last connection (04-30), no further
    assert list(prog["date"]) == [D(2020, 1, 31), D(2020, 2, 20), D(2020, 3, 31),
                                  D(2020, 4, 10), D(2020, 4, 30)]
    assert list(prog["platform_connected"]) == [2, 2, 2, 5, 9]


def test_defaults_without_a_scenario_and_overrides(plans):
    s, plan = plans
    # 5 a week from the plan start (Monday 2020-01-06): 5 on 01-12, 2 on 01-19
    df = plan.platform_connections().set_index("system_id")
    dates = sorted(df.loc[list(KEPT), "planned_date"])
    assert dates == [D(2020, 1, 12)] * 5 + [D(2020, 1, 19)] * 2
    assert df.loc["K-d", "planned_date"] == D(2020, 1, 19)   # lowest criticality last
    # a start before the plan start is moved to it; per_week overrides the scenario's
    df = plan.platform_connections(s, per_week=7, start=D(2019, 6, 1)).set_index("system_id")
    assert set(df.loc[list(KEPT), "planned_date"]) == {D(2020, 1, 12)}
    with pytest.raises(ValueError, match="per_week=0"):
        plan.platform_connections(per_week=0)
