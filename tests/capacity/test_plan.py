"""plan_capacity: every capacity answer in one call, the cloud node's and the platform's rows
in the one compliance table."""

import pandas as pd
import pytest

from netplan.capacity import plan_capacity
from netplan.capacity.compliance import VIOLATION_COLUMNS
from netplan.examples import tiny_migration
from netplan.migration.plan import plan_migration
from netplan.topology import build_topology


@pytest.fixture(scope="module")
def tiny():
    scenario, inventory = tiny_migration()
    targets = scenario.targets.model_copy(update={"platform_connected_pct": 100.0,
                                                  "report_dates": ["01-10"]})
    # a 50-vCPU node: the 6 systems' 48 vCPU are 96% of it, above the 85% ceiling
    node = scenario.cloud[0].model_copy(update={"vcpu": 50})
    scenario = scenario.model_copy(update={"targets": targets, "cloud": [node]})
    plan = plan_migration(scenario, inventory, backend="heuristic", time_limit_s=2)
    return scenario, inventory, plan


def test_cloud_and_platform_rows_share_the_table(tiny):
    scenario, inventory, plan = tiny
    cp = plan_capacity(scenario, build_topology(scenario), inventory=inventory, migration=plan,
                       single_links=False)
    v = cp.compliance.violations
    assert list(v.columns) == VIOLATION_COLUMNS
    assert v["state"].notna().all()
    # 48 vCPU at an 85% ceiling need 48 / 0.85 = 56.5 -> 57 vCPU: 7 more than the 50
    ceiling = v[v["rule"] == "cloud_ceiling"]
    assert len(ceiling) == 1
    assert ceiling["required"].iloc[0] == 57 and ceiling["shortfall"].iloc[0] == 7
    # by 2020-01-10 (a Friday of the first week) no system has cut over (cutovers close a
    # week, on its Sunday) and the kept 档案 is connected in the first week's batch (that
    # Sunday too): of the 7 systems in use only 门户, connected already: 1 / 7 = 14.3%
    row = v[v["rule"] == "platform_connected"]
    assert len(row) == 1
    assert row["provisioned"].iloc[0] == pytest.approx(14.3)
    assert row["shortfall"].iloc[0] == pytest.approx(85.7)


def test_no_catalogue_no_plan_and_it_is_said(tiny):
    scenario, inventory, plan = tiny
    cp = plan_capacity(scenario, build_topology(scenario), inventory=inventory, migration=plan,
                       single_links=False)
    assert cp.upgrades is None
    assert any("no upgrade plan" in n for n in cp.notes)
    assert isinstance(cp.after_frame(), pd.DataFrame) and cp.after_frame().empty


def test_single_line_failures_off_keeps_normal_and_carrier_states_only():
    # tiny: 35 links, 2 carriers. With the setting off, the capacity stage loads the normal
    # state and each carrier down (3 states), and the resource estimate counts just those.
    from netplan.examples import tiny_scenario
    from netplan.resources import scenario_size
    from netplan.topology import build_topology

    s = tiny_scenario()
    off = s.model_copy(update={"capacity": s.capacity.model_copy(
        update={"single_line_failures": False})})
    topo = build_topology(s)
    assert plan_capacity(s, topo).loads.link_states  # default: every line down as well
    assert not plan_capacity(off, topo).loads.link_states
    assert scenario_size(s).failure_states == 1 + 2 + 35
    assert scenario_size(off).failure_states == 1 + 2
