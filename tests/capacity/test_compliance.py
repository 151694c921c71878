"""The violation table on the tiny scenario with every rule broken on purpose, predicted by hand.

Tiny scenario (``netplan.examples.TINY_SCENARIO``): one city 甲市 with two carriers (电信,
联通), each with a 10G internet egress line and a 1G line to the province; two city
departments dual-homed; five county/town departments single-homed (电信: A县#部门01,
A镇1#部门01; 联通: A镇2#部门01, B区#部门01, B街道#部门01); six villages on one 20M line each.
"""

from __future__ import annotations

import pandas as pd
import pytest

from netplan.capacity.compliance import VIOLATION_COLUMNS, check_compliance
from netplan.capacity.loads import link_loads
from netplan.examples import TINY_SCENARIO, tiny_scenario
from netplan.model.demand import Demand
from netplan.model.scenario import Scenario
from netplan.topology import Topology, build_topology

P = "测试省/甲市"
A, B = f"{P}/A县", f"{P}/B区"
A1, A2, BJ = f"{A}/A镇1", f"{A}/A镇2", f"{B}/B街道"
QUIET = {"platform_sync": {"jobs_per_hour": 0},
         "interactive": {"requests_per_min": 0, "village_requests_per_min": 0}}


def broken():
    """Every rule broken once; returns (scenario, topology)."""
    data = dict(TINY_SCENARIO)
    data["targets"] = {"internet_egress": "30G", "backbone": "3G", "department_access": "100M",
                       "min_carriers": 3}
    s = Scenario.model_validate(data)
    # 15 Mbps per village on a 20M line: 15 / 70 % = 21.43 Mbps needed > 20
    s = s.model_copy(update={"demand": Demand.model_validate({"village_mbps": 15, **QUIET})})
    topo = build_topology(s)
    links = topo.links.copy()
    assert links.loc[16, "source"] == f"{A}#部门01"
    links.loc[16, "capacity_mbps"] = 50  # A县's department: 50M of access < 100M
    topo = Topology(topo.nodes, links, name=topo.name, root=topo.root)
    assert topo.links.loc[34, "source"] == f"{BJ}/村001"
    return s, topo.without(links=[34])  # B街道's village loses its only line


def rows(frame: pd.DataFrame) -> set[tuple]:
    return {(w, r, round(q, 6), round(p, 6), round(f, 6), st) for w, r, q, p, f, st in zip(
        frame["where"], frame["rule"], frame["required"], frame["provisioned"],
        frame["shortfall"], frame["state"], strict=True)}


def test_every_rule_broken_once_gives_the_predicted_rows():
    s, topo = broken()
    c = check_compliance(s, link_loads(s, topo, single_links=False))
    v = c.to_frame()
    assert list(v.columns) == VIOLATION_COLUMNS
    need = round(15 * 100 / 70, 6)
    expect = {
        # egress: 2 × 10G normal, one 10G with a carrier down, against 30G
        ("甲市 互联网出口", "internet_egress", 30000, 20000, 10000, "normal"),
        ("甲市 互联网出口", "internet_egress", 30000, 10000, 20000, "carrier:电信"),
        ("甲市 互联网出口", "internet_egress", 30000, 10000, 20000, "carrier:联通"),
        # backbone: 2 × 1G, one with a carrier down, against 3G
        ("甲市 至省骨干", "backbone", 3000, 2000, 1000, "normal"),
        ("甲市 至省骨干", "backbone", 3000, 1000, 2000, "carrier:电信"),
        ("甲市 至省骨干", "backbone", 3000, 1000, 2000, "carrier:联通"),
        # 2 carriers reach the city core, 3 required
        ("甲市 至省骨干", "min_carriers", 3, 2, 1, "normal"),
        # A县's department (电信): 50M normal and with 联通 down; with 电信 down it is cut off
        # (a reachable row instead)
        (f"{A}#部门01", "department_access", 100, 50, 50, "normal"),
        (f"{A}#部门01", "department_access", 100, 50, 50, "carrier:联通"),
        # 5 of 6 villages reach everything
        ("villages", "village_coverage", 100, round(500 / 6, 6), round(100 / 6, 6), "normal"),
        # single-homed departments cut off by their carrier
        (f"{A}#部门01", "reachable", 1, 0, 1, "carrier:电信"),
        (f"{A1}#部门01", "reachable", 1, 0, 1, "carrier:电信"),
        (f"{A2}#部门01", "reachable", 1, 0, 1, "carrier:联通"),
        (f"{B}#部门01", "reachable", 1, 0, 1, "carrier:联通"),
        (f"{BJ}#部门01", "reachable", 1, 0, 1, "carrier:联通"),
        # the five villages still on a line, in normal operation (at 100 % in a failure
        # state 15 Mbps fits in 20M)
        *{(f"{v} -- {t}", "utilisation", need, 20, round(need - 20, 6), "normal")
          for t, vs in ((A1, ("村001", "村002", "村003")), (A2, ("村001", "村002")))
          for v in (f"{t}/{x}" for x in vs)},
    }
    assert len(v) == len(expect) == 20
    assert rows(v) == expect
    assert (v["year"] == 2020).all()
    # reported in rule order
    order = ["internet_egress", "backbone", "min_carriers", "department_access",
             "village_coverage", "reachable", "utilisation"]
    assert list(dict.fromkeys(v["rule"])) == order
    checked = c.checked.set_index("rule")["violations"].to_dict()
    assert checked == {"internet_egress": 3, "backbone": 3, "min_carriers": 1,
                       "department_access": 2, "village_coverage": 1, "reachable": 5,
                       "utilisation": 5}
    # 7 departments in normal, 5 not cut off with 电信 down, 4 with 联通 down
    assert c.checked.set_index("rule").loc["department_access", "cases"] == 7 + 5 + 4
    assert not c.ok and c.not_checked == ["single-line failure states (not loaded)"]


def test_provisioned_tiny_breaks_only_reachability():
    s = tiny_scenario()
    c = check_compliance(s, link_loads(s, build_topology(s)))
    assert set(c.violations["rule"]) == {"reachable"}
    assert len(c.violations) == 5  # the five single-homed departments, by their carrier
    assert c.not_checked == []


def test_failure_ceiling_on_a_line_left_alone():
    # With a carrier down, what is left of A县's bulk runs on one 1G uplink; at a 1 % failure
    # ceiling a load of L Mbps needs 100 L Mbps.
    s = tiny_scenario()
    s = s.model_copy(update={
        "demand": Demand.model_validate(
            {"shares": {"cloud": 1, "platform": 0, "province": 0, "internet": 0}, **QUIET}),
        "capacity": s.capacity.model_validate({"ceiling_pct": {"failure": 1}})})
    c = check_compliance(s, link_loads(s, build_topology(s), single_links=False))
    util = c.violations[c.violations["rule"] == "utilisation"]
    got = {(w, st): q for w, st, q in zip(util["where"], util["state"], util["required"],
                                          strict=True)}
    # 联通 down: A县 keeps 8 + (4 + 2 villages of 电信 in A镇1) + (0 + 村002) = 15 on 电信
    assert got[(f"{A} -- {P}#电信", "carrier:联通")] == pytest.approx(15 * 100)
    # 电信 down: A县 keeps 0 + (0 + 村002) + (4 + 村001) = 6 on 联通: 600 Mbps fit in 1G
    assert (f"{A} -- {P}#联通", "carrier:电信") not in got
    # B区 = 8 + 4 + 1 = 13 on 电信 with 联通 down? No: B区's sites are all 联通, cut off.
    # With 电信 down B区 runs 13 on 联通: 1300 > 1000
    assert got[(f"{B} -- {P}#联通", "carrier:电信")] == pytest.approx(13 * 100)
    assert (f"{B} -- {P}#电信", "carrier:联通") not in got
    assert set(util["state"]) <= {"carrier:电信", "carrier:联通"}


def test_skipped_line_states_count_against_a_failure_ceiling_below_the_normal_one():
    """Lines whose loss only lowers loads are judged by normal operation: with a failure
    ceiling below the normal one that is no proof, and the verdict says so."""
    from netplan.capacity.compliance import check_compliance
    from netplan.capacity.loads import link_loads
    from netplan.examples import tiny_scenario
    from netplan.topology import build_topology

    s = tiny_scenario()
    strict = s.model_copy(update={"capacity": s.capacity.model_validate(
        {"ceiling_pct": {"normal": 70, "failure": 50}})})
    for scenario, flagged in ((s, False), (strict, True)):
        loads = link_loads(scenario, build_topology(scenario))
        assert loads.skipped_links > 0
        c = check_compliance(scenario, loads)
        assert any("loads only drop" in x for x in c.not_checked) is flagged
        assert not (flagged and c.ok)
