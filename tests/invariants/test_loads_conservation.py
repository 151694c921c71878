"""Nothing lost in the link loads: demand at the sources = load at the sinks, every state.

The expected demand comes from the scenario's figures by formula and reachability from a
graph search (``netplan.testing.check_load_conservation``), not from the planner.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import given

from netplan.capacity.loads import link_loads
from netplan.examples import TINY_SCENARIO, tiny_scenario
from netplan.model.scenario import Scenario
from netplan.testing import check_load_conservation, expected_demand
from netplan.topology import build_topology
from tests.invariants.generators import INVARIANTS, small_scenarios


def _tiny(**changes) -> dict:
    data = copy.deepcopy(TINY_SCENARIO)
    data.update(changes)
    return data


def test_tiny_every_state_and_line():
    s = tiny_scenario()
    topo = build_topology(s)
    loads = link_loads(s, topo, years=[2020, 2022])
    seen = check_load_conservation(s, topo, loads)
    # by hand: 74 Mbps bulk, 7 sync jobs of 50 MB an hour (0.778 Mbps), responses of
    # 200 kB to (7 × 2 + 6 × 0.5) requests a minute (0.453 Mbps)
    assert seen["normal"]["demand_mbps"] == pytest.approx(74 + 7 * 400 / 3600 + 17 / 60 * 1.6)
    assert seen["normal"]["cut_off_mbps"] == 0
    # 电信 down: the single-homed villages on 电信 and their share of the total are cut off
    assert 0 < seen["carrier:电信"]["cut_off_mbps"] < seen["carrier:电信"]["demand_mbps"]
    assert len(seen) == len(loads.states) + len(loads.link_states)


def test_zero_latency_lines_lose_nothing():
    # lines of 0 ms: the route DAG once took arcs back (town → village) and lost traffic
    data = _tiny(demand={"shares": {"cloud": 0, "platform": 0, "province": 1.0, "internet": 0}})
    for name, tier in data["extranet"]["tiers"].items():
        tier["latency_ms"] = 5 if name == "town" else 0
    s = Scenario.model_validate(data)
    topo = build_topology(s)
    check_load_conservation(s, topo, link_loads(s, topo))


def test_traffic_to_a_missing_destination_is_counted_unrouted():
    data = _tiny()
    data.pop("exchange_platform")
    s = Scenario.model_validate(data)
    topo = build_topology(s)
    loads = link_loads(s, topo, single_links=False)
    assert loads.no_destination == ("platform",)
    # the platform's share of the bulk (15 % of 74 Mbps) and of the responses (0.15 of the
    # 0.9 shared by cloud, platform and province)
    lost = 0.15 * 74 + 17 / 60 * 1.6 * 0.15 / 0.9
    assert loads.unrouted_mbps["normal"][0] == pytest.approx(lost)
    check_load_conservation(s, topo, loads)


def test_a_line_on_routes_without_traffic_still_cuts_sites_off():
    # no traffic to the province: losing a city's uplink still cuts its sites off from it
    data = _tiny(demand={"shares": {"cloud": 1.0, "platform": 0, "province": 0, "internet": 0}},
                 region={"name": "合成", "synthetic": {"provinces": 1, "cities": 2,
                                                        "counties": 2, "towns": 0,
                                                        "villages": 0}})
    data.pop("exchange_platform")
    data["extranet"]["carriers"] = ["电信"]
    for tier in data["extranet"]["tiers"].values():
        tier["carriers"] = 1
    data["extranet"]["departments"]["city"]["carriers"] = 1
    data["extranet"]["internet_egress"]["carriers"] = 1
    s = Scenario.model_validate(data)
    topo = build_topology(s)
    check_load_conservation(s, topo, link_loads(s, topo))


@INVARIANTS
@given(small_scenarios())
def test_generated_scenarios_lose_nothing(s):
    topo = build_topology(s)
    check_load_conservation(s, topo, link_loads(s, topo))


def test_meizhou_sample_of_states(meizhou):
    s, topo = meizhou
    loads = link_loads(s, topo, years=[2021])  # the dedicated networks are in from 2021
    rng = np.random.default_rng(12)
    sample = [st.name for st in loads.states] + [
        loads.link_states[i].name for i in rng.choice(len(loads.link_states), 6, replace=False)]
    seen = check_load_conservation(s, topo, loads, states=sample)
    # in 2021 one dedicated network (公安视频专网, 医保 joins in 2022): 8 counties × 40 Mbps
    d = expected_demand(s, topo, year=2021)
    hubs = d[~d["sink"].isin(["cloud", "platform", "province", "internet"])]
    assert hubs["sink"].nunique() == 1 and len(hubs) == 8
    assert float((hubs["up_mbps"] + hubs["down_mbps"]).sum()) == pytest.approx(8 * 40)
    assert seen["normal"]["cut_off_mbps"] == 0
