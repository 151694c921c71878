"""Reachability, survivability and summaries against hand-derived results and a second method."""

import networkx as nx
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


# --------------------------------------------------------------------------- what a planner loses

#         P (province, root)
#        / \
#    POPa   POPb ------+          POPa-K, POPb-K: interconnects; Y dual-homed to both POPs
#      | \  /          |          C (cloud) on K by two parallel lines, X (platform) by one
#     D1  K ==== C     |          D1: a department on POPa only
#         |            |
#         X     Y -----+--- POPa  Y: a county; T: its town; V1, V2 villages of T;
#              /|\                V3 a village of Y, D2 a department of Y
#             T V3 D2
#            / \
#           V1  V2
PLANNER = [("POPa", "P", "a", 1), ("POPb", "P", "b", 1), ("POPa", "K", "a", 1),
           ("POPb", "K", "b", 1), ("C", "K", "", 1), ("C", "K", "", 1), ("X", "K", "", 1),
           ("D1", "POPa", "a", 1), ("Y", "POPa", "a", 1), ("Y", "POPb", "b", 1),
           ("T", "Y", "a", 1), ("V1", "T", "a", 1), ("V2", "T", "a", 1), ("V3", "Y", "a", 1),
           ("D2", "Y", "a", 1)]
PLANNER_KINDS = {"P": "province", "POPa": "pop", "POPb": "pop", "K": "city", "C": "cloud",
                 "X": "platform", "D1": "department", "D2": "department", "Y": "county",
                 "T": "town", "V1": "village", "V2": "village", "V3": "village"}
# the sites: D1, D2, V1, V2, V3 (five)


def _losses(table, key):
    cols = ["sites_cut_off_cloud", "sites_cut_off_platform", "sites_cut_off_province",
            "sites_cut_off_any", "nodes_cut_off"]
    return {row[key]: tuple(int(row[c]) for c in cols) for _, row in table.iterrows()}


def test_single_points_of_failure_ranked_by_sites_cut_off():
    topo = make_topology(PLANNER, kinds=PLANNER_KINDS, root="P")
    s = survivability(topo)
    # By hand, (cloud, platform, province, any, nodes cut off the root):
    # K down: C and X are stranded; all 5 sites keep P (via the POPs) but lose C and X.
    #         Only C and X lose the root: 2 nodes (the old ranking put K below Y).
    # Y down: T, V1, V2, V3, D2 are cut off (4 sites, every target); 5 nodes.
    # T down: V1, V2 (2 sites, every target); 2 nodes.
    # POPa down: D1 (1 site, every target); 1 node. POPb, P, leaves: not cut vertices.
    assert _losses(s.articulation_points, "node_id") == {
        "K": (5, 5, 0, 5, 2), "Y": (4, 4, 4, 4, 5), "T": (2, 2, 2, 2, 2),
        "POPa": (1, 1, 1, 1, 1)}
    assert s.articulation_points["node_id"].tolist() == ["K", "Y", "T", "POPa"]
    # bridges: K-X (link 6) strands the platform: all 5 sites lose it, 1 node off the root;
    # Y-T (10): 2 sites; the leaf lines of D1 (7), V1 (11), V2 (12), V3 (13), D2 (14): 1 each
    b = _losses(s.bridges, "link_id")
    assert b == {6: (0, 5, 0, 5, 1), 10: (2, 2, 2, 2, 3), 7: (1, 1, 1, 1, 1),
                 11: (1, 1, 1, 1, 1), 12: (1, 1, 1, 1, 1), 13: (1, 1, 1, 1, 1),
                 14: (1, 1, 1, 1, 1)}
    assert s.bridges["link_id"].tolist()[:2] == [6, 10]
    assert "worst: K cuts 5 sites off (5 from the cloud, 5 from the platform)" in str(s)
    tiers = s.to_frame().set_index("tier")
    assert tiers.loc["", "max_sites_cut_off_by_spof"] == 5


def test_a_destination_below_a_spof_is_lost_by_the_rest():
    # the platform hangs on the county Y instead of the core: losing Y strands it, so D1 (on
    # the rest of the network) loses the platform while the 4 sites below Y lose everything
    edges = [e for e in PLANNER if e[0] != "X"] + [("X", "Y", "", 1)]
    s = survivability(make_topology(edges, kinds=PLANNER_KINDS, root="P"))
    got = _losses(s.articulation_points, "node_id")
    # Y: cloud 4 (below Y), platform 4 + D1 = 5, province 4, any 5; nodes: T V1 V2 V3 D2 X = 6
    assert got["Y"] == (4, 5, 4, 5, 6)
    # K: strands only C now: 5 sites lose the cloud, 1 node the root
    assert got["K"] == (5, 0, 0, 5, 1)
    # a tie on sites (5) is broken by the nodes cut off the root: Y before K
    assert s.articulation_points["node_id"].tolist()[:2] == ["Y", "K"]


def _brute_force_site_losses(topo, targets, sites):
    """Per cut vertex and bridge, the sites losing each target: remove it, look (networkx)."""
    g = topo.to_networkx()
    kind = topo.nodes["kind"].to_dict()
    comp = nx.node_connected_component(g, topo.root)

    def lost(h, gone=()):
        out = {t: 0 for t in targets}
        anyl = 0
        for part in nx.connected_components(h.subgraph(comp - set(gone))):
            have = {kind[n] for n in part}
            n_sites = sum(kind[n] in sites for n in part)
            miss = [t for t in targets if t not in have and any(kind[n] == t for n in comp)]
            for t in miss:
                out[t] += n_sites
            anyl += n_sites if miss else 0
        return (*[out[t] for t in targets], anyl)

    nodes = {}
    for n in comp - {topo.root}:
        h = g.copy()
        h.remove_node(n)
        if nx.number_connected_components(h.subgraph(comp - {n})) > 1:
            nodes[n] = lost(h, [n])
    links = {}
    for u, v, key in list(g.edges(keys=True)):
        h = g.copy()
        h.remove_edge(u, v, key)
        if u in comp and not nx.has_path(h, u, v):
            links[key] = lost(h)
    return nodes, links


@st.composite
def random_kinded_graphs(draw):
    topo = draw(random_graphs())
    kinds = {n: draw(st.sampled_from(["site", "cloud", "platform", "other"]))
             for n in topo.nodes.index if n != "R"}
    kinds["R"] = "province"
    edges = [(r.source, r.target, r.carrier, r.latency_ms) for r in topo.links.itertuples()]
    return make_topology(edges, kinds=kinds)


@settings(max_examples=60, deadline=None)
@given(random_kinded_graphs())
def test_site_losses_match_brute_force_on_random_graphs(topo):
    targets = ("cloud", "platform", "province")
    present = tuple(t for t in targets if (topo.nodes["kind"] == t).any())
    s = survivability(topo, targets=present, sites=("site",))
    nodes, links = _brute_force_site_losses(topo, present, {"site"} if (
        topo.nodes["kind"] == "site").any() else set(topo.nodes["kind"]))
    cols = [f"sites_cut_off_{t}" for t in present] + ["sites_cut_off_any"]
    got_nodes = {r["node_id"]: tuple(int(r[c]) for c in cols)
                 for _, r in s.articulation_points.iterrows()}
    got_links = {int(r["link_id"]): tuple(int(r[c]) for c in cols)
                 for _, r in s.bridges.iterrows()}
    assert got_nodes == nodes
    assert got_links == links
    any_ = s.articulation_points["sites_cut_off_any"].tolist()
    assert any_ == sorted(any_, reverse=True)


def test_meizhou_city_core_is_the_worst_single_point_of_failure():
    topo = build_topology(meizhou_2020())
    s = survivability(topo)
    worst = s.articulation_points.iloc[0]
    kinds = topo.nodes["kind"]
    assert worst["node_id"] == topo.nodes_of_kind("city")[0]
    # the cloud node and the platform hang on the core only, and every site (department or
    # village office) reaches them through it: all of them lose both; none loses the province
    # (city departments and counties are homed on the carriers' POPs, which uplink directly)
    n_sites = int(kinds.isin(["department", "village"]).sum())
    assert n_sites == 932 + 2234  # 36 + 8 × 28 + 112 × 6 departments, 2,234 villages
    assert (worst["sites_cut_off_cloud"], worst["sites_cut_off_platform"],
            worst["sites_cut_off_province"], worst["sites_cut_off_any"]) == (
                n_sites, n_sites, 0, n_sites)
    assert worst["nodes_cut_off"] == 2  # what the old ranking went by: the cloud and platform
    # the next: the largest county, 兴宁市, strands its own sites: 28 county departments,
    # 20 towns × 6 departments and 497 villages
    second = s.articulation_points.iloc[1]
    assert second["node_id"].endswith("兴宁市")
    assert second["sites_cut_off_any"] == 28 + 20 * 6 + 497
