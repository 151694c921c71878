"""Nothing lost in the simulation: every flow counted, every site in the validation table."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from netplan.capacity.loads import link_loads
from netplan.examples import tiny_scenario
from netplan.model.scenario import Fault
from netplan.simulation import simulate_traffic, validate_interconnect
from netplan.simulation.validate import pool_replications
from netplan.testing import check_flow_accounting, check_site_coverage, expected_sites
from netplan.topology import build_topology
from tests.invariants.generators import INVARIANTS, small_scenarios


@pytest.fixture(scope="module")
def tiny():
    s = tiny_scenario()
    return s, build_topology(s)


def test_expected_sites_of_tiny_by_hand(tiny):
    s, _ = tiny
    # 2 city departments, 1 per county (2), 1 per town (3); villages 3 + 2 + 1 in 3 towns
    assert expected_sites(s) == {"departments": 7, "villages": 6, "towns_with_villages": 3,
                                 "towns": 3, "counties": 2, "cities": 1}


def test_every_site_in_topology_loads_and_validation(tiny):
    s, topo = tiny
    # 240 s: about 11 probe requests per unit and destination. In a 60 s run (3 expected,
    # Poisson) a unit can get none to a destination and is then missing from the table
    # unsaid (a known gap of validate._score, reported): the check here would catch it.
    v = validate_interconnect(s, topo, duration_s=240)  # normal, 电信 down, 联通 down
    assert v.cases == ["normal", "电信 down", "联通 down"]
    check_site_coverage(s, topo, loads=link_loads(s, topo, single_links=False), validation=v)
    for case, result in v.results.items():
        counts = check_flow_accounting(result)
        if case != "normal":  # the single-homed villages of the carrier down are cut off
            assert counts["unreachable"] > 0
            rows = v.table[v.table["case"] == case]
            assert int(rows["unreachable"].sum()) > 0


def test_flows_dropped_by_a_fault_are_counted(tiny):
    s, topo = tiny
    village = "测试省/甲市/A县/A镇1/村001"  # single-homed on 电信
    cut = pd.DataFrame({"name": ["v", "d"], "source": [village, "测试省/甲市#公安局"],
                        "size_mb": [5000.0, 5000.0], "start_s": [10.0, 10.0]})
    r = simulate_traffic(s, topo, duration_s=300, seed=1, cutovers=cut,
                         faults=[Fault(carrier="电信", at_s=60)])
    counts = check_flow_accounting(r)
    flows = r.flows.set_index("source")
    cutovers = r.flows[r.flows["klass"] == "cutover"].set_index("source")["status"]
    assert cutovers[village] == "dropped"  # its only line went down mid-transfer
    assert cutovers["测试省/甲市#公安局"] != "dropped"  # dual-homed: moved to 联通
    assert counts["dropped"] >= 1 and r.stats["aborted"] >= 1
    assert len(flows) == r.stats["flows"]


def test_pooled_replications_count_every_flow(tiny):
    s, topo = tiny
    a = simulate_traffic(s, topo, duration_s=120, seed=1,
                         faults=[Fault(carrier="联通", at_s=30, duration_s=30)])
    b = simulate_traffic(s, topo, duration_s=120, seed=2)
    both = pool_replications(a, b)
    check_flow_accounting(both)
    assert both.stats["flows_started"] == a.stats["flows_started"] + b.stats["flows_started"]


@INVARIANTS
@given(small_scenarios(), st.booleans())
def test_generated_scenarios_count_every_flow(s, fault):
    topo = build_topology(s)
    faults = [Fault(carrier=topo.carriers[0], at_s=20, duration_s=20)] if fault else []
    r = simulate_traffic(s, topo, duration_s=60, seed=3, faults=faults)
    check_flow_accounting(r)
    check_site_coverage(s, topo)
