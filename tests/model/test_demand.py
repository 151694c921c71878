"""The demand model (model layer): busy-hour Mbps per site and destination, sizes, profile.

Reference numbers are counted by hand from the tiny scenario: 2 city departments, 2 county
departments, 3 town departments and 6 village offices.
"""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from netplan.examples import tiny_scenario
from netplan.model.demand import Demand, FlowSizes, demand_table
from netplan.model.scenario import Scenario
from netplan.topology import build_topology


def _with_demand(**demand) -> Scenario:
    s = tiny_scenario()
    return s.model_copy(update={"demand": Demand(**demand)})


def test_busy_hour_per_site_and_destination_by_hand():
    s = _with_demand(department_mbps={"city": "30M", "county": 10, "town": 5},
                     village_mbps="0.5M",
                     shares={"cloud": 0.5, "platform": 0.2, "province": 0.2, "internet": 0.1})
    t = demand_table(s, build_topology(s).nodes)
    # 2×30 + 2×10 + 3×5 + 6×0.5 = 98 Mbps in all
    assert t["busy_hour_mbps"].sum() == pytest.approx(98.0)
    by_dest = t.groupby("destination")["busy_hour_mbps"].sum()
    assert by_dest["cloud"] == pytest.approx(49.0)
    assert by_dest["internet"] == pytest.approx(9.8)
    village = t[(t["kind"] == "village") & (t["destination"] == "platform")]
    assert len(village) == 6 and village["busy_hour_mbps"].eq(0.1).all()


def test_growth_and_cloud_systems_add_up():
    s = _with_demand(growth_pct_per_year=20, base_year=2020)
    nodes = build_topology(s).nodes
    dep = nodes.index[(nodes["kind"] == "department") & (nodes["tier"] == "city")][0]
    base = demand_table(s, nodes)
    grown = demand_table(s, nodes, year=2022, system_mbps={dep: 6.0})
    # 1.2² = 1.44 on everything, and the systems' 6 Mbps to the cloud grow too
    assert grown["busy_hour_mbps"].sum() == pytest.approx(base["busy_hour_mbps"].sum() * 1.44
                                                         + 6.0 * 1.44)
    row = grown[(grown["source"] == dep) & (grown["destination"] == "cloud")]
    assert row["busy_hour_mbps"].iloc[0] == pytest.approx((20 * 0.6 + 6.0) * 1.44)


@pytest.mark.parametrize("dist, extra", [("exponential", {}), ("lognormal", {"sigma": 1.5}),
                                         ("pareto", {"shape": 2.5})])
def test_flow_sizes_keep_their_mean(dist, extra):
    sizes = FlowSizes(distribution=dist, mean_mb=5.0, **extra)
    x = sizes.sample_mb(np.random.default_rng(7), 1_000_000)
    # standard error of the mean, sd / sqrt(n): the largest sd here is the lognormal's,
    # mean × sqrt(exp(1.5²) − 1) ≈ 2.9 × mean, so the error is about 0.3%, well inside 2%
    assert x.mean() == pytest.approx(5.0, rel=0.02)
    assert (x > 0).all()


def test_diurnal_profile_interpolates_the_hours():
    d = Demand(arrivals="diurnal", start_hour=9.5,
               diurnal=[0.5] * 9 + [1.0] + [0.5] * 14)
    # 9:30 is the midpoint of hour 9 (value 1.0); 10:00 halfway to hour 10's midpoint (0.5)
    assert d.profile_at(np.array([0.0, 1800.0, 3600.0])).tolist() == [1.0, 0.75, 0.5]
    assert Demand().profile_at(np.array([0.0, 5000.0])).tolist() == [1.0, 1.0]


@pytest.mark.parametrize("bad, message", [
    ({"shares": {"cloud": 0.7, "platform": 0.2, "province": 0.2, "internet": 0.1}},
     "add up to 1.2"),
    ({"village_mbps": "1MB"}, "in bytes"),
    ({"flow_sizes": {"distribution": "pareto", "shape": 1.0}}, "greater than 1"),
    ({"diurnal": [0.0] * 24}, "at least one > 0"),
])
def test_bad_demand_is_refused_with_a_reason(bad, message):
    with pytest.raises(ValidationError, match=message):
        Demand(**bad)
