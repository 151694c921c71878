"""Reachability, survivability and summaries against hand-derived results and a second method."""

import numpy as np
import pytest

from netplan.examples import meizhou_2020
from netplan.testing import assert_cuts_match, make_topology
from netplan.topology import build_topology, reachability, summarize, survivability

P = "测试省/甲市"


def test_tiny_reachability_by_hand(tiny):
    r = reachability(tiny)
    assert r.all_reach
    t = r.table
    # village 村001 of A镇1: village(1) -> town(1) -> county(2) -> POP -> province(5) = 9 ms, 4 hops
    v = f"{P}/A县/A镇1/村001"
    assert t.loc[v, "hops_province"] == 4 and t.loc[v, "latency_ms_province"] == pytest.approx(9.0)
    # to the cloud: 1 + 1 + 2 + 0.1 (interconnect) + 0.2 (cloud link) = 4.3 ms, 5 hops
    assert t.loc[v, "hops_cloud"] == 5 and t.loc[v, "latency_ms_cloud"] == pytest.approx(4.3)
    # a city department: 0.5 access + 0.1 + 0.2 = 0.8 ms to the cloud, 3 hops
    d = f"{P}#公安局"
    assert t.loc[d, "hops_cloud"] == 3 and t.loc[d, "latency_ms_cloud"] == pytest.approx(0.8)
    assert len(t) == 13  # 7 departments + 6 villages


def test_tiny_carrier_failure_sets_by_hand(tiny):
    s = survivability(tiny)
    # round robin: A县 [电信,联通], B区 [联通,电信]; towns A镇1 [电信,联通], A镇2 [联通,电信],
    # B街道 [联通,电信]; single-carrier departments and villages take the first/next carrier.
    assert set(s.affected_by_carrier("电信")) == {
        f"{P}/A县#部门01", f"{P}/A县/A镇1#部门01",
        f"{P}/A县/A镇1/村001", f"{P}/A县/A镇1/村003", f"{P}/A县/A镇2/村002"}
    assert set(s.affected_by_carrier("联通")) == {
        f"{P}/B区#部门01", f"{P}/A县/A镇2#部门01", f"{P}/B区/B街道#部门01",
        f"{P}/A县/A镇1/村002", f"{P}/A县/A镇2/村001", f"{P}/B区/B街道/村001"}
    assert s.tiers_hit_by("电信") == ["county", "town", "village"]


def test_tiny_cuts_match_brute_force(tiny):
    assert_cuts_match(tiny, survivability(tiny))
    topo = make_topology(HAND)
    assert_cuts_match(topo, survivability(topo, targets=("root",)))


#   R ==(x,y)== A ----- B          R-A: two parallel links of carriers x and y
#               \      /           A-B-C: a triangle
#                \    /            C-D, D-E: single links
#                  C --- D --- E
HAND = [("R", "A", "x", 1), ("R", "A", "y", 3), ("A", "B", "x", 1), ("B", "C", "x", 1),
        ("C", "A", "y", 5), ("C", "D", "x", 2), ("D", "E", "y", 1)]


def test_hand_drawn_graph():
    topo = make_topology(HAND)
    s = survivability(topo, targets=("root",))
    # bridges: C-D (link 5) and D-E (link 6); parallel R-A links are not bridges
    assert sorted(s.bridges["link_id"]) == [5, 6]
    assert set(s.affected_by_link(5)) == {"D", "E"}
    assert set(s.affected_by_link(6)) == {"E"}
    assert set(s.affected_by_link(0)) == set()
    ap = s.articulation_points.set_index("node_id")["nodes_cut_off"].to_dict()
    assert ap == {"A": 4, "C": 2, "D": 1}
    # carrier x down: R-A survives over y; A-B, B-C, C-D lost; C still via C-A (y);
    # D and E are cut off (C-D was x).
    assert set(s.affected_by_carrier("x")) == {"B", "D", "E"}
    # carrier y down: D-E lost -> E cut off
    assert set(s.affected_by_carrier("y")) == {"E"}
    r = reachability(topo, targets=("root",), kinds=None)
    # E: R-A 1 + A-B 1 + B-C 1 + C-D 2 + D-E 1 = 6 ms (vs R-A-C: 1 + 5 = 6 + 3); 4 hops via A-C
    assert r.table.loc["E", "latency_ms_root"] == pytest.approx(6.0)
    assert r.table.loc["E", "hops_root"] == 4


def test_disconnected_node_is_unreachable():
    topo = make_topology(HAND + [("X", "Y", "x", 1)])
    r = reachability(topo, targets=("root",), kinds=None)
    assert set(r.unreachable()) == {"X", "Y"}
    assert np.isnan(r.table.loc["X", "hops_root"])


def test_meizhou_survivability_structure():
    topo = build_topology(meizhou_2020())
    s = survivability(topo)
    # single-homed villages (1 carrier) are all cut off by their carrier: villages per carrier
    # add up to all villages, and every village uplink is a bridge.
    villages = topo.nodes.index[topo.nodes["kind"] == "village"]
    lost = sum(len(set(s.affected_by_carrier(c)) & set(villages)) for c in topo.carriers)
    assert lost == len(villages)
    vb = s.bridges[s.bridges["tier"] == "village"]
    assert len(vb) == len(villages)
    # dual-homed county and town nodes never lose reachability to one carrier
    for c in topo.carriers:
        hit = topo.nodes.loc[s.affected_by_carrier(c), "kind"]
        assert not hit.isin(["county", "town", "city", "province", "pop"]).any()
    # every county and town is a single point of failure for what hangs below it
    ap = s.articulation_points.set_index("node_id")
    below = topo.nodes.groupby("county").size()
    for county in topo.nodes.index[topo.nodes["kind"] == "county"]:
        name = topo.nodes.loc[county, "name"]
        assert ap.loc[county, "nodes_cut_off"] == below[name] - 1


def test_summary_dual_homed(tiny):
    s = summarize(tiny).to_frame().set_index("tier")
    # county tier: 2 counties dual-homed, 2 single-carrier departments -> 50%
    assert s.loc["county", "dual_homed_pct"] == 50.0
    assert s.loc["town", "nodes"] == 6 and s.loc["town", "links"] == 9
    assert s.loc["village", "uplink_mbps"] == 20


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@st.composite
def random_graphs(draw):
    n = draw(st.integers(2, 9))
    names = ["R"] + [f"n{i}" for i in range(1, n)]
    # a random spanning tree keeps the root's component non-trivial, extra links (parallel
    # ones included) add cycles
    edges = [(names[i], names[draw(st.integers(0, i - 1))], draw(st.sampled_from("xy")), 1)
             for i in range(1, n)]
    extra = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1),
                                    st.sampled_from("xy")), max_size=6))
    edges += [(names[a], names[b], c, 2) for a, b, c in extra if a != b]
    return make_topology(edges)


@settings(max_examples=60, deadline=None)
@given(random_graphs())
def test_cuts_match_brute_force_on_random_graphs(topo):
    assert_cuts_match(topo, survivability(topo, targets=("root",)))
