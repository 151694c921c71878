"""Structure of the built extranet, against counts derived by hand from the scenario."""

import networkx as nx
import pytest

from netplan.examples import meizhou_2020, tiny_scenario
from netplan.topology import build_topology


def expected_counts(s):
    """Nodes and links of a one-city scenario, from the scenario's own numbers (by formula)."""
    ex = s.extranet
    t = ex.tiers
    city = s.region.provinces[0].cities[0]
    n_cty = len(city.counties)
    n_town = sum(c.n_towns for c in city.counties)
    n_vil = sum(c.n_villages for c in city.counties)
    dep = ex.departments
    d_city = len(dep.city.name_list())
    d_cty = len(dep.county.name_list())
    d_town = len(dep.town.name_list())
    nodes = (1 + 1 + t.city.carriers + 1 + len(s.cloud) + 1
             + d_city + n_cty + n_cty * d_cty + n_town + n_town * d_town + n_vil)
    links = (2 * t.city.carriers  # interconnect + uplink per POP
             + ex.internet_egress.carriers + sum(c.links for c in s.cloud)
             + s.exchange_platform.links
             + d_city * dep.city.carriers
             + n_cty * t.county.carriers + n_cty * d_cty * dep.county.carriers
             + n_town * t.town.carriers + n_town * d_town * dep.town.carriers
             + n_vil * t.village.carriers)
    return nodes, links


def test_tiny_counts_by_hand(tiny):
    # province 1, city core 1, POPs 2, egress 1, cloud 1, platform 1, counties 2, towns 3,
    # villages 6, departments 2 + 2 + 3 = 7  -> 25 nodes
    # POP interconnect 2 + POP uplinks 2 + egress 2 + cloud 2 + platform 2 + city depts 2x2
    # + county uplinks 2x2 + county depts 2 + town uplinks 3x2 + town depts 3 + villages 6 -> 35
    assert (tiny.n_nodes, tiny.n_links) == (25, 35)
    assert tiny.nodes["kind"].value_counts().to_dict() == {
        "department": 7, "village": 6, "town": 3, "pop": 2, "county": 2, "province": 1,
        "city": 1, "egress": 1, "cloud": 1, "platform": 1}
    assert expected_counts(tiny_scenario()) == (25, 35)


def test_meizhou_counts_match_formula():
    s = meizhou_2020()
    topo = build_topology(s)
    assert (topo.n_nodes, topo.n_links) == expected_counts(s)
    kinds = topo.nodes["kind"].value_counts()
    assert kinds["county"] == 8
    assert kinds["town"] == 112
    assert kinds["village"] == 2234
    # Meizhou's eight county-level divisions by name
    assert set(topo.nodes.loc[topo.nodes["kind"] == "county", "name"]) == {
        "梅江区", "梅县区", "兴宁市", "平远县", "蕉岭县", "大埔县", "丰顺县", "五华县"}


def test_every_division_uplinked_to_its_parent_over_its_carriers(tiny):
    links = tiny.links[tiny.links["kind"] == "uplink"]
    for nid, row in tiny.nodes[tiny.nodes["kind"].isin(["county", "town", "village"])].iterrows():
        mine = links[links["source"] == nid]
        expected = {"county": 2, "town": 2, "village": 1}[row["kind"]]
        assert len(mine) == expected and mine["carrier"].nunique() == expected
        if row["kind"] == "county":  # to the city's POP of the same carrier
            pairs = zip(mine["target"], mine["carrier"], strict=True)
            assert all(t == f"{row['parent']}#{c}" for t, c in pairs)
        else:
            assert set(mine["target"]) == {row["parent"]}


def test_child_carriers_are_among_parent_carriers():
    topo = build_topology(meizhou_2020())
    up = topo.links[topo.links["kind"] == "uplink"]
    carriers_of = up.groupby("source")["carrier"].agg(set)
    lower = topo.nodes["kind"].isin(["town", "village"])
    for nid, parent in topo.nodes.loc[lower, "parent"].items():
        assert carriers_of[nid] <= carriers_of[parent]


def test_deterministic():
    a = build_topology(meizhou_2020())
    b = build_topology(meizhou_2020())
    assert a.nodes.equals(b.nodes) and a.links.equals(b.links)


def test_networkx_view(tiny):
    g = tiny.graph
    assert isinstance(g, nx.MultiGraph)
    assert g.number_of_nodes() == 25 and g.number_of_edges() == 35
    # parallel carrier links between a county and ... each link keyed by link_id
    e = g.edges["测试省/甲市/A县/A镇1", "测试省/甲市/A县", 17]
    assert e["capacity_mbps"] == 200 and e["carrier"] == "电信"
    assert nx.shortest_path_length(g, "测试省/甲市/A县/A镇1/村001", "测试省/甲市#cloud:政务云") == 5
    assert nx.is_connected(g)


def test_synthetic_region_is_seeded():
    from netplan.model.scenario import SyntheticRegion

    spec = SyntheticRegion(provinces=3, cities=7, counties=20, towns=100, villages=900, seed=4)
    a, b = spec.expand(), spec.expand()
    assert a == b
    counties = [k for p in a for c in p.cities for k in c.counties]
    assert len(counties) == 20
    assert sum(k.n_towns for k in counties) == 100
    assert sum(k.n_villages for k in counties) == 900
    assert spec.model_copy(update={"seed": 5}).expand() != a


def test_without_carrier_does_not_touch_input(tiny):
    before = tiny.links.copy()
    cut = tiny.without(carrier="电信")
    assert tiny.links.equals(before)
    assert (cut.links["carrier"] != "电信").all()
    assert cut.n_links == 35 - int((before["carrier"] == "电信").sum())


def test_unknown_node_message(tiny):
    from netplan.errors import UnknownNodeError

    with pytest.raises(UnknownNodeError, match="did you mean"):
        tiny.node("测试省/甲市/A县/A镇1/村01")
    with pytest.raises(UnknownNodeError, match="no carrier"):
        tiny.without(carrier="移动")
